// `auditeql events` and `replay` on every event kind: each document is ECS
// (types, arrays, allowed values), carries the identity fields sequence rules
// join on, and file.extension is absent, not empty, when a name has none.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "support/command.h"
#include "support/ecs_conformance.h"
#include "support/synthetic.h"
#include "util/json_value.h"

using namespace auditeql;
using testing::run_command;

namespace {

const std::string kBinary = AUDITEQL_BINARY;
const std::string kHostId = "4f0c2d4e9a7b4d2c8e1f6a3b5c7d9e0f";

std::string capture(const std::string& name) { return testing::fixture("formats/" + name).string(); }

std::vector<util::JsonValue> events_of(const std::vector<std::string>& files, const std::string& input = {}) {
  std::vector<std::string> argv = {kBinary, "events", "--host-name", "h1", "--host-id", kHostId};
  argv.insert(argv.end(), files.begin(), files.end());
  const auto r = run_command(argv, input);
  BOOST_TEST(r.exit_code == 0, r.err);
  std::vector<util::JsonValue> docs;
  for (const auto& line : testing::lines_of(r.out)) docs.push_back(util::parse_json(line));
  return docs;
}

std::string text_at(const util::JsonValue& doc, std::initializer_list<const char*> path) {
  const util::JsonValue* v = &doc;
  for (const char* key : path) {
    v = v->find(key);
    if (v == nullptr) return "<none>";
  }
  if (v->is_array()) v = &v->as_array().at(0);
  return v->type() == util::JsonValue::Type::String ? v->as_string() : "<not a string>";
}

// What init_module looks like when the kernel takes the module (not
// capturable here: this kernel has no module support).
std::string loaded_module() {
  testing::SyscallSpec finit;
  finit.serial = 7;
  finit.pid = 60;
  finit.syscall = 313;
  finit.a0 = "3";
  finit.exe = "/usr/bin/kmod";
  finit.extra = {"KERN_MODULE name=\"evil\""};
  return testing::syscall_records(finit);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_event_kinds)

BOOST_AUTO_TEST_CASE(every_kind_is_printed_as_ecs_with_its_identity) {
  auto docs = events_of({capture("m_delete.log"), capture("m_rename.log"), capture("m_connect.log"), capture("m_accept.log"),
                         capture("m_setid.log"), capture("m_exit_setsid_tty.log"), capture("m_module.log"),
                         capture("m_prctl_kill.log")});
  for (auto& d : events_of({"-"}, loaded_module())) docs.push_back(std::move(d));
  std::set<std::string> kinds;  // category/type/action
  for (const auto& doc : docs) {
    for (const auto& problem : testing::ecs_conformance_problems(doc)) BOOST_ERROR(problem);
    kinds.insert(text_at(doc, {"event", "category"}) + "/" + text_at(doc, {"event", "type"}) + "/" +
                 text_at(doc, {"event", "action"}));
    BOOST_TEST(text_at(doc, {"host", "id"}) == kHostId);
    BOOST_TEST(text_at(doc, {"process", "entity_id"}).size() == 32u);
    BOOST_TEST(text_at(doc, {"process", "parent", "entity_id"}).size() == 32u);
  }
  const std::set<std::string> expected = {
      "process/start/exec",
      "file/creation/creation",
      "file/change/rename",
      "file/deletion/deletion",
      "network/start/connection_attempted",
      "network/start/connection_accepted",
      "process/change/uid_change",
      "process/change/gid_change",
      "process/change/session_id_change",
      "process/start/load_module",
      "process/end/end",
      "driver/start/loaded-kernel-module",
      "process/end/killed-pid",
      "process/info/<none>",  // prctl: Auditd Manager gives it no action
  };
  BOOST_TEST(kinds == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_summary_counts_the_other_kinds) {
  const auto r = run_command({kBinary, "events", capture("m_exit_setsid_tty.log")});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err.find("20 other events (0 deletions, 0 connection attempts, 0 accepted, 0 id changes, "
                        "5 session changes, 0 module loads, 15 process ends, 0 signals, 0 prctl)") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(file_extension_null_matches_names_without_one_as_in_elasticsearch) {
  // In Elasticsearch `file.extension == null` holds for a document without
  // the field, and not for one holding "" (a value). auditeql leaves the field
  // out when a name has no extension.
  const auto r = run_command({kBinary, "events", capture("m_delete.log")});
  BOOST_REQUIRE(r.exit_code == 0);
  const auto lines = testing::lines_of(r.out);
  std::map<std::string, bool> expected;  // file.path -> whether `file.extension == null`
  for (const auto& line : lines) {
    const auto doc = util::parse_json(line);
    const auto* file = doc.find("file");
    if (file == nullptr) continue;
    const auto* extension = file->find("extension");
    BOOST_TEST((extension == nullptr || !extension->as_string().empty()), "an empty extension in " << line);
    expected[file->find("path")->as_string()] = extension == nullptr;
  }
  BOOST_TEST(expected.at("/tmp/scen/del/.ssh/authorized_keys"));
  const auto verdicts = run_command({kBinary, "eql", "--query", "file where file.extension == null"}, r.out);
  BOOST_REQUIRE(verdicts.exit_code == 0);
  const auto verdict_lines = testing::lines_of(verdicts.out);
  BOOST_REQUIRE(verdict_lines.size() == lines.size());
  size_t without = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto doc = util::parse_json(lines[i]);
    const auto* file = doc.find("file");
    const bool match = verdict_lines[i] == std::to_string(i) + "\ttrue";
    if (file == nullptr) {
      BOOST_TEST(!match);  // a process start is not a file event
      continue;
    }
    BOOST_TEST(match == expected.at(file->find("path")->as_string()), lines[i]);
    without += match ? 1 : 0;
  }
  BOOST_TEST(without > 5u);
  // The same name with an empty extension would be a value, not null.
  const auto empty = run_command({kBinary, "eql", "--query", "file where file.extension == null"},
                                 R"({"event":{"category":["file"]},"file":{"name":"authorized_keys","extension":""}})" "\n");
  BOOST_TEST(empty.out == "0\tfalse\n");
}

BOOST_AUTO_TEST_CASE(replayed_alerts_carry_the_identity_fields) {
  const auto r = run_command({kBinary, "replay", "--host-id", kHostId,
                              std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"});
  BOOST_TEST(r.exit_code == 0, r.err);
  const auto lines = testing::lines_of(r.out);
  BOOST_TEST(lines.size() == 6u);
  std::set<std::string> entities;
  for (const auto& line : lines) {
    const auto doc = util::parse_json(line);
    for (const auto& problem : testing::ecs_conformance_problems(doc)) BOOST_ERROR(problem);
    BOOST_TEST(text_at(doc, {"host", "id"}) == kHostId);
    BOOST_TEST(text_at(doc, {"process", "entity_id"}).size() == 32u);
    BOOST_TEST(text_at(doc, {"process", "parent", "entity_id"}).size() == 32u);
    entities.insert(text_at(doc, {"process", "entity_id"}));
  }
  BOOST_TEST(entities.size() == lines.size());  // six processes
  // Replayed again, and with another host id.
  const auto again = run_command({kBinary, "replay", "--host-id", kHostId,
                                  std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"});
  const auto other = run_command({kBinary, "replay", "--host-id", "another-host",
                                  std::string(AUDITEQL_FIXTURES_DIR) + "/sample/boot-persistence-attacks.log"});
  const auto ids = [](const std::string& out) {
    std::vector<std::string> v;
    for (const auto& line : testing::lines_of(out)) v.push_back(text_at(util::parse_json(line), {"process", "entity_id"}));
    return v;
  };
  BOOST_TEST(ids(again.out) == ids(r.out), boost::test_tools::per_element());
  for (const auto& id : ids(other.out)) BOOST_TEST(entities.count(id) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
