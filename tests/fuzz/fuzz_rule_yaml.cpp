// fuzz_rule_yaml: the YAML rule, exception and configuration loaders.
//
// The input is written to a file in a per-process scratch directory and read
// by the real entry points, on top of the five shipped rules (so that an
// input with a shipped rule's id is an override):
//   load_rule_file + load_exception_file -> Ruleset::compile
//   app::load_config
// Every diagnostic is formatted. The compiled rules are evaluated on fixed
// events, and each alert they raise must be one line of valid JSON with only
// the alert's own top-level keys (the rule's name, description, tags and
// threat mapping come from the input). Errors must come as diagnostics: any
// exception escaping the loaders is a finding.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "alerts/alert_builder.h"
#include "app/config.h"
#include "ecs/event.h"
#include "fuzz_support.h"
#include "rules/rule_loader.h"
#include "rules/ruleset.h"

#ifndef AUDITEQL_FUZZ_RULES_DIR
#error "AUDITEQL_FUZZ_RULES_DIR (the shipped rules, conf/rules) must be defined"
#endif

using namespace auditeql;

namespace {

std::string g_dir;    // per-process scratch directory
std::string g_file;   // the input, rewritten for each run

void remove_scratch() {
  std::error_code ec;
  if (!g_dir.empty()) std::filesystem::remove_all(g_dir, ec);
}

const rules::LoadedRules& shipped() {
  static const rules::LoadedRules* loaded = [] {
    rules::Diagnostics d;
    rules::RuleSources sources;
    sources.rule_dirs.push_back({AUDITEQL_FUZZ_RULES_DIR, false});
    auto* l = new rules::LoadedRules(rules::load_rule_sources(sources, d));
    if (d.has_errors() || l->rules.size() != 5) fuzz::fail("the shipped rules do not load", d.format());
    return l;
  }();
  return *loaded;
}

std::vector<ecs::Event> make_events() {
  std::vector<ecs::Event> events;
  ecs::Event e;
  e.kind = ecs::EventKind::ProcessStart;
  e.time_ms = 1795413918753;
  e.host_name = "web1";
  e.sequence = 49358;
  e.key = "bp_exec";
  e.pid = 1979;
  e.parent_pid = 1978;
  e.uid = e.euid = e.gid = e.egid = 0;
  e.user_name = e.effective_user_name = "root";
  e.working_directory = "/tmp";
  e.process = ecs::make_process_image("/usr/bin/cp", {"cp", "-a", "/tmp/vmlinuz", "/boot/"});
  e.parent = ecs::make_process_image("/usr/bin/bash", {"bash", "-i"});
  events.push_back(e);

  e.process = ecs::make_process_image("/usr/bin/cpio", {"cpio", "-H", "newc", "-o"});
  e.parent = ecs::make_process_image("/usr/bin/sh", {"sh", "-c", "find . | cpio -H newc -o"});
  events.push_back(e);

  e.process = ecs::make_process_image("/usr/bin/dracut", {"dracut", "--force", "/boot/initrd.img"});
  e.parent = nullptr;
  e.parent_pid = ecs::kNoId;
  events.push_back(e);

  ecs::Event f = events.front();
  f.kind = ecs::EventKind::FileCreation;
  f.process = ecs::make_process_image("/usr/bin/tee", {"tee", "module-setup.sh"});
  f.file_path = "/usr/lib/dracut/modules.d/99evil/module-setup.sh";
  events.push_back(f);
  f.kind = ecs::EventKind::FileRename;
  f.file_path = "/boot/grub/grub.cfg";
  events.push_back(f);
  return events;
}

const std::vector<ecs::Event>& fixed_events() {
  static const auto* events = new std::vector<ecs::Event>(make_events());
  return *events;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/auditeql-fuzz-yaml-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) fuzz::fail("mkdtemp failed", pattern);
  g_dir = pattern;
  g_file = g_dir + "/input.yaml";
  atexit(remove_scratch);
  shipped();
  fixed_events();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (g_dir.empty()) LLVMFuzzerInitialize(nullptr, nullptr);
  {
    FILE* f = std::fopen(g_file.c_str(), "wb");
    if (f == nullptr) fuzz::fail("cannot write the scratch file", g_file);
    if (size > 0 && std::fwrite(data, 1, size, f) != size) fuzz::fail("short write", g_file);
    std::fclose(f);
  }

  rules::Diagnostics d;
  rules::LoadedRules loaded = shipped();
  rules::load_rule_file(g_file, loaded, d);
  rules::load_exception_file(g_file, loaded, d);
  rules::Ruleset set = rules::Ruleset::compile(std::move(loaded), d);
  (void)d.format();
  for (const auto& item : d.all()) (void)item.format();

  alerts::AlertBuilder capped({8000});
  alerts::AlertBuilder unlimited({0});
  alerts::Alert alert;
  for (const ecs::Event& event : fixed_events()) {
    set.evaluate(event, [&](const rules::CompiledRule& rule) {
      unlimited.build(event, rule, 3, fuzz::kFixedStamp, alert);
      fuzz::check_alert(alert, 0, false);
      capped.build(event, rule, 0, fuzz::kFixedStamp, alert);
      fuzz::check_alert(alert, 8000, false);
    });
  }

  rules::Diagnostics config_diagnostics;
  (void)app::load_config(g_file, AUDITEQL_FUZZ_RULES_DIR, config_diagnostics);
  (void)config_diagnostics.format();
  return 0;
}
