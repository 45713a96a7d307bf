#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "app/config.h"
#include "support/temp_dir.h"

using namespace auditeql;
namespace fs = std::filesystem;

namespace {

// The path from the binary's directory to the shipped rules, as CMake
// configured it: ../share/auditeql/rules by default; absolute when
// CMAKE_INSTALL_DATADIR is, and then the same for every binary.
const fs::path kRulesFromBinary = AUDITEQL_RULES_FROM_BINARY;

// Where an install puts the shipped rules for a binary in `sbin`.
std::string rules_for(const fs::path& sbin) { return (sbin / kRulesFromBinary).lexically_normal().string(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(shipped_rules)

BOOST_AUTO_TEST_CASE(an_installed_binary_finds_the_rules_installed_with_it_whatever_the_prefix) {
  testing::TempDir root;  // a staging root: outside the build tree
  if (kRulesFromBinary.is_absolute()) {
    // Nothing to stage (and nothing to create outside the scratch directory).
    BOOST_TEST(app::shipped_rules_dir((root.path() / "usr/sbin/auditeql").string()) == kRulesFromBinary.string());
    return;
  }
  for (const std::string prefix : {"usr", "usr/local", "opt/auditeql"}) {
    const fs::path sbin = root.path() / prefix / "sbin";
    const std::string rules = rules_for(sbin);
    fs::create_directories(rules);
    BOOST_TEST(app::shipped_rules_dir((sbin / "auditeql").string()) == rules, prefix);
  }
}

BOOST_AUTO_TEST_CASE(a_binary_replaced_by_an_upgrade_still_finds_them) {
  // /proc/self/exe of a running binary whose file was replaced.
  testing::TempDir root;
  const fs::path sbin = root.path() / "usr/sbin";
  if (!kRulesFromBinary.is_absolute()) fs::create_directories(rules_for(sbin));
  BOOST_TEST(app::shipped_rules_dir((sbin / "auditeql (deleted)").string()) == rules_for(sbin));
}

BOOST_AUTO_TEST_CASE(an_installed_binary_without_its_rules_names_them_never_the_source_tree) {
  // The loader then fails with "no such directory" on this path: fail closed.
  testing::TempDir root;
  const fs::path sbin = root.path() / "usr/sbin";
  BOOST_TEST(app::shipped_rules_dir((sbin / "auditeql").string()) == rules_for(sbin));
}

BOOST_AUTO_TEST_CASE(a_binary_of_the_build_tree_uses_the_source_tree_rules) {
  // This suite runs from the build tree, where nothing is installed.
  BOOST_TEST(app::shipped_rules_dir() == std::string(AUDITEQL_SOURCE_DIR) + "/conf/rules");
}

BOOST_AUTO_TEST_SUITE_END()
