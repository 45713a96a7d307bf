// Which audit rules files the offline commands read to place names created
// relative to a directory fd (app/audit_rules.h).
#include <boost/test/unit_test.hpp>

#include "app/audit_rules.h"
#include "support/corpus.h"
#include "support/temp_dir.h"

using namespace auditeql;
using Directories = std::vector<std::string>;

namespace {

Directories directories(const normalize::WatchedDirectories& w, std::string_view key) {
  const auto* list = w.directories_for(key);
  return list ? *list : Directories{};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_rules)

BOOST_AUTO_TEST_CASE(the_compiled_in_rules_are_the_shipped_rules_file) {
  BOOST_TEST(app::kBundledAuditRules == testing::read_file(std::string(AUDITEQL_SOURCE_DIR) + "/rules.d/auditeql.rules"));
  normalize::WatchedDirectories w;
  w.add_rules(app::kBundledAuditRules);
  BOOST_TEST(directories(w, "bp_boot") == Directories{"/boot"});
  BOOST_TEST(directories(w, "bp_dracut") == (Directories{"/usr/lib/dracut/modules.d", "/lib/dracut/modules.d"}));
  BOOST_TEST(w.keys() == 2u);
}

BOOST_AUTO_TEST_CASE(by_default_rules_d_in_augenrules_order_then_the_bundled_rules) {
  testing::TempDir dir;
  dir.write("rules.d/10-late.rules", "-w /srv/ten -p wa -k site\n");
  dir.write("rules.d/9-early.rules", "-w /srv/nine -p wa -k site\n-w /srv/boot -p wa -k bp_boot\n");
  dir.write("rules.d/notes.txt", "-w /srv/ignored -p wa -k site\n");
  dir.mkdir("rules.d/odd.rules");  // not a file: a warning, the rest still counts
  app::AuditRulesSources sources;
  sources.rules_d = dir.str() + "/rules.d";
  const auto loaded = app::load_audit_watches(sources);
  BOOST_TEST(loaded.error.empty());
  BOOST_REQUIRE(loaded.warnings.size() == 1u);
  BOOST_TEST(loaded.warnings[0].find("odd.rules") != std::string::npos);
  BOOST_TEST(directories(loaded.watched, "site") == (Directories{"/srv/nine", "/srv/ten"}));
  // The host's files come first: a key they share with the bundled rules
  // stands for the host's directory.
  BOOST_TEST(directories(loaded.watched, "bp_boot") == (Directories{"/srv/boot", "/boot"}));
  BOOST_TEST(directories(loaded.watched, "bp_dracut").size() == 2u);
}

BOOST_AUTO_TEST_CASE(named_files_replace_the_defaults_and_must_be_readable) {
  testing::TempDir dir;
  app::AuditRulesSources sources;
  sources.rules_d = dir.str();  // would add nothing anyway
  sources.files = {dir.write("host.rules", "-w /srv/modules -p wa -k bp_dracut\n")};
  const auto loaded = app::load_audit_watches(sources);
  BOOST_TEST(loaded.error.empty());
  BOOST_TEST(directories(loaded.watched, "bp_dracut") == Directories{"/srv/modules"});
  BOOST_TEST(loaded.watched.directories_for("bp_boot") == nullptr);  // no bundled rules

  sources.files.push_back(dir.str() + "/missing.rules");
  const auto failed = app::load_audit_watches(sources);
  BOOST_TEST(failed.error.find("missing.rules") != std::string::npos, failed.error);
}

BOOST_AUTO_TEST_SUITE_END()
