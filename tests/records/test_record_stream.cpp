#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "records/record_stream.h"

using auditeql::records::classify_line;
using auditeql::records::LineVerdict;
using auditeql::records::RecordStream;

namespace {

const std::string kExec =
    "type=EXECVE msg=audit(1795413918.753:49358): argc=3 a0=\"cp\" a1=\"/tmp/scen/payload/evil.ko\" a2=\"/boot/\"";

// Splits the runs the stream hands on back into lines.
struct Collector {
  std::vector<std::string> lines;
  size_t runs = 0;
  RecordStream stream{[this](std::string_view run) {
    ++runs;
    BOOST_TEST(run.back() == '\n');
    size_t start = 0;
    while (start < run.size()) {
      const size_t nl = run.find('\n', start);
      lines.emplace_back(run.substr(start, nl - start));
      start = nl + 1;
    }
  }};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(record_stream)

BOOST_AUTO_TEST_CASE(accepts_audit_headers_with_optional_node_prefix) {
  BOOST_TEST((classify_line(kExec) == LineVerdict::Record));
  BOOST_TEST((classify_line("node=vm " + kExec) == LineVerdict::Record));
  BOOST_TEST((classify_line("type=EOE msg=audit(1795413513.456:17957): ") == LineVerdict::Record));
  BOOST_TEST((classify_line("type=UNKNOWN[1334] msg=audit(1.2:3): x=1") == LineVerdict::Record));
  BOOST_TEST((classify_line(kExec + "\r") == LineVerdict::Record));
}

BOOST_AUTO_TEST_CASE(rejects_what_is_not_a_record) {
  BOOST_TEST((classify_line("") == LineVerdict::Blank));
  BOOST_TEST((classify_line("# a comment") == LineVerdict::Malformed));
  BOOST_TEST((classify_line("type=SYSCALL msg=audit(1795413918.753): x") == LineVerdict::Malformed));
  BOOST_TEST((classify_line("type=SYSCALL msg=audit(abc.1:2): x") == LineVerdict::Malformed));
  BOOST_TEST((classify_line("node= type=SYSCALL msg=audit(1.2:3): x") == LineVerdict::Malformed));
  BOOST_TEST((classify_line("type=SYSCALL msg=audit(1.2:3") == LineVerdict::Malformed));
  BOOST_TEST((classify_line(std::string("type=SYSCALL msg=audit(1.2:3): a\0b", 34)) == LineVerdict::Binary));
}

BOOST_AUTO_TEST_CASE(lines_split_across_reads_are_reassembled) {
  Collector c;
  const std::string input = kExec + "\n" + kExec + "\n";
  for (char ch : input) c.stream.feed(std::string_view(&ch, 1));
  c.stream.finish();
  BOOST_TEST(c.lines.size() == 2u);
  BOOST_TEST(c.lines[0] == kExec);
  BOOST_TEST(c.stream.stats().records == 2u);
}

BOOST_AUTO_TEST_CASE(a_truncated_last_line_is_still_delivered) {
  Collector c;
  c.stream.feed(kExec + "\n" + kExec.substr(0, 30));
  BOOST_TEST(c.lines.size() == 1u);
  c.stream.finish();
  // The cut line has no full header: it is counted, not lost silently.
  BOOST_TEST(c.lines.size() == 1u);
  BOOST_TEST(c.stream.stats().malformed == 1u);
  Collector d;
  d.stream.feed(kExec);
  d.stream.finish();
  BOOST_TEST(d.lines.size() == 1u);
}

BOOST_AUTO_TEST_CASE(oversized_lines_are_dropped_and_the_stream_goes_on) {
  for (const size_t size : {size_t{(1 << 20) + 1}, size_t{10 << 20}}) {
    Collector c;
    std::string huge = "type=EXECVE msg=audit(1.2:3): a0=";
    huge.append(size, 'A');
    const std::string input = kExec + "\n" + huge + "\n" + kExec + "\n";
    for (size_t i = 0; i < input.size(); i += 65536) c.stream.feed(std::string_view(input).substr(i, 65536));
    c.stream.finish();
    BOOST_TEST(c.lines.size() == 2u);
    BOOST_TEST(c.stream.stats().oversized == 1u);
    BOOST_TEST(c.stream.stats().skipped() == 1u);
  }
}

BOOST_AUTO_TEST_CASE(after_an_input_gap_the_cut_line_is_dropped_and_the_next_line_kept) {
  Collector c;
  // The line in progress was cut by the gap; the input resumes at a line start.
  c.stream.feed(kExec + "\n" + kExec.substr(0, 40));
  c.stream.discard_partial_line();
  c.stream.feed(kExec + "\n");
  c.stream.finish();
  BOOST_TEST(c.lines.size() == 2u);
  BOOST_TEST(c.stream.stats().malformed == 1u);
  // Also when the gap comes while an oversized line is being skipped.
  Collector d;
  std::string huge = "type=EXECVE msg=audit(1.2:3): a0=";
  huge.append((1 << 20) + 1, 'A');
  d.stream.feed(huge);
  d.stream.discard_partial_line();
  d.stream.feed(kExec + "\n");
  d.stream.finish();
  BOOST_TEST(d.lines.size() == 1u);
  if (!d.lines.empty()) BOOST_TEST(d.lines[0] == kExec);
}

BOOST_AUTO_TEST_CASE(binary_garbage_is_counted_and_skipped) {
  Collector c;
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 256);
  c.stream.feed(garbage + "\n" + kExec + "\n");
  c.stream.finish();
  BOOST_TEST(c.lines.size() == 1u);
  BOOST_TEST(c.lines.back() == kExec);
  BOOST_TEST(c.stream.stats().skipped() >= 1u);
  BOOST_TEST(c.stream.stats().lines == c.stream.stats().records + c.stream.stats().skipped() + c.stream.stats().blank);
}

BOOST_AUTO_TEST_CASE(valid_lines_pass_on_in_runs_and_bad_ones_split_them) {
  Collector c;
  c.stream.feed(kExec + "\n" + kExec + "\n" + "junk\n" + kExec + "\n");
  c.stream.finish();
  BOOST_TEST(c.lines.size() == 3u);
  BOOST_TEST(c.runs == 2u);
  BOOST_TEST(c.stream.stats().malformed == 1u);
}

// What a reader of the records says it reads, as the events stage does.
auditeql::records::RecordNeeds test_needs() {
  auditeql::records::RecordNeeds needs;
  needs.unread_types = {"BPRM_FCAPS"};
  needs.end_of_event_types = {"PROCTITLE"};
  needs.selective = {
      {"SYSCALL", {"arch", "syscall", "success", "exit", "a0", "ppid", "pid", "uid", "gid", "euid", "egid", "tty", "comm", "exe", "key"}, {"UID"}},
      {"PATH", {"item", "name", "inode", "dev", "mode", "nametype"}, {}},
  };
  return needs;
}

BOOST_AUTO_TEST_CASE(compaction_drops_what_nothing_reads) {
  Collector c;
  c.stream.set_compaction(test_needs());
  c.stream.feed(
      "node=vm type=BPRM_FCAPS msg=audit(1.002:7): fver=0 fp=0\n"
      "type=PROCTITLE msg=audit(1.002:7): proctitle=6370002F6574632F686F73746E616D65\n"
      "node=vm type=PROCTITLE msg=audit(1.002:8): proctitle=6370\r\n" +
      kExec + "\n");
  c.stream.finish();
  BOOST_REQUIRE(c.lines.size() == 3u);
  BOOST_TEST(c.lines[0] == "type=EOE msg=audit(1.002:7):");
  BOOST_TEST(c.lines[1] == "node=vm type=EOE msg=audit(1.002:8):");
  BOOST_TEST(c.lines[2] == kExec);
  BOOST_TEST(c.stream.stats().compacted == 3u);
  BOOST_TEST(c.stream.stats().records == 4u);
  BOOST_TEST(c.stream.stats().skipped() == 0u);
}

BOOST_AUTO_TEST_CASE(compaction_keeps_only_the_enriched_user_name) {
  Collector c;
  c.stream.set_compaction(test_needs());
  const std::string syscall =
      "type=SYSCALL msg=audit(1.003:9): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=2 auid=7 uid=4242 "
      "comm=\"x\" exe=\"/bin/x\" key=\"k\"";
  c.stream.feed(syscall + "\x1d" + "ARCH=x86_64 SYSCALL=execve AUID=\"bob\" UID=\"alice\" GID=\"staff\"\n" +
                "type=CWD msg=audit(1.003:9): cwd=\"/\"\x1d\n" +  // ausearch --raw's bare separator
                "type=PATH msg=audit(1.003:9): item=0 name=\"/bin/x\" ouid=0\x1dOUID=\"root\"\n" +
                syscall + "\x1d" + "AUID=\"bob\"\n");
  c.stream.finish();
  BOOST_REQUIRE(c.lines.size() == 4u);
  const std::string without_auid =
      "type=SYSCALL msg=audit(1.003:9): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 uid=4242 "
      "comm=\"x\" exe=\"/bin/x\" key=\"k\"";
  BOOST_TEST(c.lines[0] == without_auid + "\x1d" + "UID=\"alice\"");
  BOOST_TEST(c.lines[1] == "type=CWD msg=audit(1.003:9): cwd=\"/\"");
  BOOST_TEST(c.lines[2] == "type=PATH msg=audit(1.003:9): item=0 name=\"/bin/x\"");
  BOOST_TEST(c.lines[3] == without_auid);  // AUID= is not UID=
  BOOST_TEST(c.stream.stats().compacted == 4u);
}

BOOST_AUTO_TEST_CASE(a_field_kept_is_told_from_every_look_alike) {
  // Names sharing their first two bytes, a one-byte name, and fields whose
  // name is a prefix or an extension of a kept one.
  Collector c;
  auditeql::records::RecordNeeds needs;
  needs.selective = {{"SYSCALL", {"a", "ab", "abc", "uid"}, {}}};
  c.stream.set_compaction(needs);
  c.stream.feed("type=SYSCALL msg=audit(1.005:1): a=1 ab=2 abc=3 abcd=4 ac=5 b=6 ui=7 uid=8 uidx=9 auid=10 =11 x\n");
  c.stream.finish();
  BOOST_REQUIRE(c.lines.size() == 1u);
  BOOST_TEST(c.lines[0] == "type=SYSCALL msg=audit(1.005:1): a=1 ab=2 abc=3 uid=8");
  // Every two-byte start, against a set of every one: each field alone.
  std::vector<std::string> names;
  for (char x = 'a'; x <= 'z'; ++x) {
    for (char y = 'a'; y <= 'z'; y += 5) names.push_back(std::string{x, y});
  }
  Collector all;
  auditeql::records::RecordNeeds every;
  every.selective = {{"PATH", names, {}}};
  all.stream.set_compaction(every);
  std::string line = "type=PATH msg=audit(1.005:2):", kept = line;
  for (char x = 'a'; x <= 'z'; ++x) {
    for (char y = 'a'; y <= 'z'; ++y) {
      const std::string field = std::string{x, y} + "=1";
      line += " " + field;
      if ((y - 'a') % 5 == 0) kept += " " + field;
    }
  }
  all.stream.feed(line + "\n");
  all.stream.finish();
  BOOST_REQUIRE(all.lines.size() == 1u);
  BOOST_TEST(all.lines[0] == kept);
}

BOOST_AUTO_TEST_CASE(compaction_keeps_only_the_fields_asked_for) {
  Collector c;
  c.stream.set_compaction(test_needs());
  // As auditd writes them, but with look-alike names (sesx=, pidx=), a
  // value that holds another name (key="auid=1"), doubled spaces and a
  // token without '=' (it goes with the field before it, as the rest of a
  // value with a space would): only the fields asked for stay, byte for byte.
  c.stream.feed(
      "type=SYSCALL msg=audit(1.004:3): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c items=2 ppid=1 "
      "pid=9 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 sesx=1 pidx=2  comm=\"t\" "
      "exe=\"/bin/t\" bare key=\"auid=1\" ses=4\n"
      "type=PATH msg=audit(1.004:3): item=1 name=\"a b\" inode=5 dev=fe:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 "
      "nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n"
      "type=PATH msg=audit(1.004:3): ouid=0\n"
      "type=EXECVE msg=audit(1.004:3): argc=2 a0=\"t\" a1=\"ses=4\" auid=1\n");
  c.stream.finish();
  BOOST_REQUIRE(c.lines.size() == 4u);
  BOOST_TEST(c.lines[0] ==
             "type=SYSCALL msg=audit(1.004:3): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c ppid=1 "
             "pid=9 uid=0 gid=0 euid=0 egid=0 tty=pts0 comm=\"t\" exe=\"/bin/t\" bare key=\"auid=1\"");
  BOOST_TEST(c.lines[1] ==
             "type=PATH msg=audit(1.004:3): item=1 name=\"a b\" inode=5 dev=fe:00 mode=0100644 nametype=CREATE");
  BOOST_TEST(c.lines[2] == "type=PATH msg=audit(1.004:3):");
  // Other record types keep every field.
  BOOST_TEST(c.lines[3] == "type=EXECVE msg=audit(1.004:3): argc=2 a0=\"t\" a1=\"ses=4\" auid=1");
  BOOST_TEST(c.stream.stats().compacted == 3u);
}

BOOST_AUTO_TEST_CASE(crlf_endings_are_stripped) {
  Collector c;
  c.stream.feed(kExec + "\r\n");
  c.stream.finish();
  BOOST_TEST(c.lines.size() == 1u);
  BOOST_TEST(c.lines[0] == kExec);
}

BOOST_AUTO_TEST_SUITE_END()
