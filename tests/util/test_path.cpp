#include <boost/test/unit_test.hpp>

#include "util/path.h"
#include "util/text.h"
#include "util/time.h"

using namespace auditeql::util;

BOOST_AUTO_TEST_SUITE(path)

BOOST_AUTO_TEST_CASE(normalize_collapses_dots_slashes_and_parents) {
  BOOST_TEST(normalize_path("/usr/lib/dracut/modules.d/") == "/usr/lib/dracut/modules.d");
  BOOST_TEST(normalize_path("//usr///bin//cp") == "/usr/bin/cp");
  BOOST_TEST(normalize_path("/tmp/scen/./bin/../bin/x") == "/tmp/scen/bin/x");
  BOOST_TEST(normalize_path("/../../etc") == "/etc");
  BOOST_TEST(normalize_path("/") == "/");
  BOOST_TEST(normalize_path("") == ".");
  BOOST_TEST(normalize_path("../a/./b/..") == "../a");
  BOOST_TEST(normalize_path("a/../..") == "..");
  BOOST_TEST(normalize_path("/boot/..") == "/");
}

BOOST_AUTO_TEST_CASE(join_resolves_relative_names_against_a_directory) {
  BOOST_TEST(join_path("/tmp/scen/bin", "./myscript.sh") == "/tmp/scen/bin/myscript.sh");
  BOOST_TEST(join_path("/usr/bin", "../bin/true") == "/usr/bin/true");
  BOOST_TEST(join_path("/tmp/scen", "/usr/bin/cp") == "/usr/bin/cp");
  BOOST_TEST(join_path("/", "boot") == "/boot");
  BOOST_TEST(join_path("/a/b/", "../../../c") == "/c");
}

BOOST_AUTO_TEST_CASE(base_dir_and_extension) {
  BOOST_TEST(base_name("/usr/sbin/update-initramfs") == "update-initramfs");
  BOOST_TEST(base_name("relative") == "relative");
  BOOST_TEST(base_name("/") == "");
  BOOST_TEST(dir_name("/usr/bin/cp") == "/usr/bin");
  BOOST_TEST(dir_name("/boot") == "/");
  BOOST_TEST(dir_name("name") == ".");
  BOOST_TEST(file_extension("module-setup.sh") == "sh");
  BOOST_TEST(file_extension("initrd.img-6.1.0.tar.gz") == "gz");
  BOOST_TEST(file_extension(".bashrc") == "");
  BOOST_TEST(file_extension("noext") == "");
  BOOST_TEST(file_extension("trailing.") == "");
}

BOOST_AUTO_TEST_CASE(hex_decoding_and_numbers) {
  std::string out;
  BOOST_TEST(append_hex_decoded("6172672074776F", out));
  BOOST_TEST(out == "arg two");
  out = "keep";
  BOOST_TEST(!append_hex_decoded("6G", out));
  BOOST_TEST(out == "keep");
  BOOST_TEST(!append_hex_decoded("616", out));
  BOOST_TEST(parse_int("-2").value() == -2);
  BOOST_TEST(!parse_int("12x").has_value());
  BOOST_TEST(!parse_int("").has_value());
  BOOST_TEST(parse_uint("ffffff9c", 16).value() == 0xffffff9cu);
}

BOOST_AUTO_TEST_CASE(timestamps_are_iso8601_utc_with_milliseconds) {
  BOOST_TEST(iso8601_ms(1795413918753) == "2026-11-23T06:05:18.753Z");
  BOOST_TEST(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(iso8601_ms(5) == "1970-01-01T00:00:00.005Z");
}

BOOST_AUTO_TEST_SUITE_END()
