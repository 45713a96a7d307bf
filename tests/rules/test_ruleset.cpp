#include <boost/test/unit_test.hpp>

#include <set>

#include "eql/eql.h"
#include "rules/ecs_document.h"
#include "rules/rule_loader.h"
#include "rules/ruleset.h"
#include "support/corpus.h"
#include "support/hand_made.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

ecs::Event cpio_event(const std::string& parent_executable) {
  ecs::Event e;
  e.kind = ecs::EventKind::ProcessStart;
  e.time_ms = 1795413964349;
  e.host_name = "h";
  e.pid = 2725;
  e.parent_pid = 2723;
  e.uid = e.euid = e.gid = e.egid = 0;
  e.user_name = e.effective_user_name = "root";
  e.process = ecs::make_process_image("/usr/bin/cpio", {"cpio", "-o", "-H", "newc"});
  e.parent = ecs::make_process_image(parent_executable, {"/bin/sh", parent_executable});
  e.sequence = 51582;
  e.key = "bp_exec";
  return e;
}

const auto rule = testing::rule_definition;

std::vector<std::string> matching(rules::Ruleset& set, const ecs::Event& e) {
  std::vector<std::string> ids;
  set.evaluate(e, [&](const rules::CompiledRule& r) { ids.push_back(r.definition.id); });
  return ids;
}

bool eval(const std::string& condition, const ecs::Event& e) {
  rules::EcsSchema schema;
  const auto compiled = eql::compile_condition(eql::parse_condition(condition), schema);
  return compiled.matches(rules::EcsDocument(e));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ecs_binding)

BOOST_AUTO_TEST_CASE(every_field_reads_the_event) {
  const ecs::Event e = cpio_event("/usr/sbin/mkinitramfs");
  BOOST_TEST(eval(R"(event.category == "process" and event.type == "start" and event.action == "exec")", e));
  BOOST_TEST(eval(R"(host.os.type == "linux" and host.name == "h")", e));
  BOOST_TEST(eval(R"(process.pid == 2725 and process.parent.pid == 2723)", e));
  BOOST_TEST(eval(R"(process.name == "cpio" and process.executable == "/usr/bin/cpio")", e));
  BOOST_TEST(eval(R"(process.args == "newc" and process.args_count == 4)", e));
  BOOST_TEST(eval(R"(process.command_line == "cpio -o -H newc")", e));
  BOOST_TEST(eval(R"(process.parent.name == "mkinitramfs" and process.parent.args == "/usr/sbin/mkinitramfs")", e));
  BOOST_TEST(eval(R"(process.parent.args_count == 2 and process.parent.command_line : "/bin/sh *")", e));
  BOOST_TEST(eval(R"(user.id == "0" and user.name == "root" and user.effective.id == "0" and group.id == "0")", e));
  BOOST_TEST(eval(R"(auditd.sequence == 51582 and auditd.key == "bp_exec")", e));
  BOOST_TEST(eval(R"(file.path == null and process.working_directory == null)", e));
  BOOST_TEST(eval(R"(process.pe.original_file_name == null and ?process.code_signature.trusted == null)", e));
}

BOOST_AUTO_TEST_CASE(file_events_expose_file_fields) {
  ecs::Event e;
  e.kind = ecs::EventKind::FileCreation;
  e.file_path = "/usr/lib/dracut/modules.d/98evil/module-setup.sh";
  e.process = ecs::make_process_image("/usr/bin/cp", {"cp"});
  BOOST_TEST(eval(R"(event.category == "file" and event.type == "creation" and event.action == "creation")", e));
  BOOST_TEST(eval(R"(file.name == "module-setup.sh" and file.extension == "sh")", e));
  BOOST_TEST(eval(R"(file.directory == "/usr/lib/dracut/modules.d/98evil")", e));
  BOOST_TEST(eval(R"(file.path like~ "/usr/lib/dracut/modules.d/*")", e));
  BOOST_TEST(eval(R"(process.parent.name == null)", e));
  e.kind = ecs::EventKind::FileRename;
  BOOST_TEST(eval(R"(event.type == "change" and event.action == "rename")", e));
}

BOOST_AUTO_TEST_CASE(unknown_parents_are_null_not_empty_strings) {
  ecs::Event e = cpio_event("/x");
  e.parent = nullptr;
  BOOST_TEST(eval(R"(process.parent.executable == null and process.parent.name == null)", e));
  BOOST_TEST(eval(R"(process.parent.name != "mkinitramfs")", e));  // != holds on a missing field
  BOOST_TEST(!eval(R"(process.parent.executable != null)", e));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ruleset)

BOOST_AUTO_TEST_CASE(rules_only_see_the_event_kinds_their_category_names) {
  rules::LoadedRules loaded;
  loaded.rules = {rule("p", R"(process where true)"), rule("f", R"(file where true)"), rule("a", R"(any where true)"),
                  rule("n", R"(network where true)")};
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  ecs::Event process = cpio_event("/x");
  ecs::Event file = process;
  file.kind = ecs::EventKind::FileCreation;
  BOOST_TEST(matching(set, process) == (std::vector<std::string>{"p", "a"}), boost::test_tools::per_element());
  BOOST_TEST(matching(set, file) == (std::vector<std::string>{"f", "a"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_exception_suppresses_exactly_what_it_names) {
  rules::LoadedRules loaded;
  loaded.rules = {rule("cpio", R"(process where process.name == "cpio" and process.args == "newc")"),
                  rule("other", R"(process where process.name == "cpio")")};
  rules::ExceptionDefinition ex;
  ex.rule_id = "cpio";
  ex.condition = R"(process.parent.executable == "/opt/backup/bin/restore")";
  loaded.exceptions = {ex};
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(!d.has_errors(), d.format());
  BOOST_TEST(matching(set, cpio_event("/opt/backup/bin/restore")) == (std::vector<std::string>{"other"}),
             boost::test_tools::per_element());
  BOOST_TEST(matching(set, cpio_event("/opt/backup/bin/restore2")) == (std::vector<std::string>{"cpio", "other"}),
             boost::test_tools::per_element());
  BOOST_TEST(set.counters(0).matches == 2u);
  BOOST_TEST(set.counters(0).suppressed == 1u);
}

BOOST_AUTO_TEST_CASE(the_elastic_corpus_compiles_against_ecs_events_and_evaluates_on_real_ones) {
  const std::string text = testing::read_file(std::string(AUDITEQL_TEST_DATA_DIR) + "/elastic-linux-eql-rules.jsonl");
  rules::LoadedRules loaded;
  size_t single_event = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const auto doc = util::parse_json(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (doc.find("query_kind")->as_string() != "event") continue;
    ++single_event;
    loaded.rules.push_back(rule(doc.find("rule_id")->as_string(), doc.find("query")->as_string()));
    loaded.rules.back().schema = rules::RuleSchema::Elastic;
  }
  rules::Diagnostics d;
  auto set = rules::Ruleset::compile(loaded, d);
  BOOST_TEST(single_event == 318u);
  BOOST_TEST(set.size() == 318u);
  BOOST_TEST(!d.has_errors(), d.format());
  // Evaluate on a real capture: nothing throws, and the corpus's own boot
  // persistence rules find the attack.
  const auto run = testing::run_pipeline(testing::read_file(testing::scenario_file("atk_cpio_o_H_newc", "audit.log")));
  std::set<std::string> fired;
  for (const auto& e : run.events) set.evaluate(e, [&](const rules::CompiledRule& r) { fired.insert(r.definition.id); });
  BOOST_TEST(fired.count("17b3fcd1-90fb-4f5d-858c-dc1d998fa368") == 1u);  // Initramfs Extraction via CPIO (current version)
}

BOOST_AUTO_TEST_SUITE_END()
