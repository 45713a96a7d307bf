// fuzz_eql: the EQL lexer, parser, compiler and matchers, and the regex and
// wildcard engines behind `regex`, `like` and `:`.
//
// Input: HEAD [ '\0' TAIL ]
//   HEAD  an EQL query: parse_query(); an event query is compiled against a
//         DynamicSchema and evaluated on fixed events (and on TAIL when TAIL
//         is a JSON object). HEAD is also parsed and compiled as a bare
//         condition (rule exceptions) and evaluated the same way.
//   TAIL  when present, HEAD is also used directly as a regex and as a
//         wildcard pattern (both case modes) matched against TAIL.
//
// eql::Error is the expected way to refuse input; any other exception, a
// crash, a sanitizer report or a hang is a finding. Oracles (abort() when
// broken):
//   - regex `.*` and wildcard `*` match any bytes;
//   for valid UTF-8 pattern and subject:
//   - WildcardPattern agrees with a simple dynamic-programming glob matcher;
//   - the wildcard, translated into a Lucene regex, matches the same values.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eql/eql.h"
#include "eql/regex.h"
#include "eql/text.h"
#include "eql/wildcard.h"
#include "fuzz_support.h"
#include "util/json_value.h"

using namespace auditeql;

namespace {

// Fixed events with the fields Elastic's Linux rules read most, multi-valued
// ones included, and every JSON scalar type.
constexpr const char* kEvents[] = {
    R"({"@timestamp":"2026-11-23T06:06:29.425Z","host":{"name":"web1","id":"h-1","os":{"type":"linux"}},
        "event":{"kind":"event","category":["process"],"type":["start"],"action":"exec","outcome":"success"},
        "process":{"pid":3225,"entity_id":"e-3225","executable":"/usr/bin/cp","name":"cp",
          "args":["cp","-a","/boot/vmlinuz-6.1.0","/tmp/x y"],"args_count":4,
          "command_line":"cp -a /boot/vmlinuz-6.1.0 /tmp/x y","working_directory":"/tmp",
          "parent":{"pid":3224,"executable":"/usr/bin/bash","name":"bash","args":["bash","-c","cp -a /boot/*"],
                    "command_line":"bash -c cp -a /boot/*","user":{"id":"0"},"group":{"id":"0"}},
          "entry_leader":{"entry_meta":{"type":"sshd"}}},
        "user":{"id":"0","name":"root","effective":{"id":"0"}},"group":{"id":"0"},
        "destination":{"ip":"10.1.2.3","port":443},"source":{"ip":"::ffff:192.168.1.5","port":51234},
        "auditd":{"sequence":53598,"key":"bp_exec","data":{"syscall":"execve","a2":"7ffd"}},
        "ratio":0.5,"big":9223372036854775807,"neg":-42,"flag":true,"off":false,"nothing":null,"empty":[],
        "container":{"id":null},"label":"\u00c9t\u00e9 \u2028 \ud83d\ude00"})",
    R"({"host":{"os":{"type":"linux"}},"event":{"category":"file","type":"creation","action":"creation"},
        "file":{"path":"/usr/lib/dracut/modules.d/99evil/module-setup.sh","name":"module-setup.sh",
                "extension":"sh","directory":"/usr/lib/dracut/modules.d/99evil"},
        "process":{"name":"tee","executable":"/usr/bin/tee","args":["tee","-a","MODULE-SETUP.SH"],"pid":"77"},
        "nested":[{"a":1,"b":"x"},{"a":2.25,"b":["y","Z"]}],"process.name.alias":"dotted key"})",
    R"({})",
};

const std::vector<std::shared_ptr<const util::JsonValue>>& fixed_events() {
  static const auto* events = [] {
    auto* v = new std::vector<std::shared_ptr<const util::JsonValue>>();
    for (const char* text : kEvents) v->push_back(std::make_shared<const util::JsonValue>(util::parse_json(text)));
    return v;
  }();
  return *events;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = eql::text::sequence_length(s, i);
    if (n == 1 && static_cast<unsigned char>(s[i]) >= 0x80) return false;
    i += n;
  }
  return true;
}

std::vector<uint32_t> code_points(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const size_t n = eql::text::sequence_length(s, i);
    out.push_back(eql::text::decode(s, i, n));
    i += n;
  }
  return out;
}

// Reference glob matcher over code points: `*` any run, `?` one character.
bool glob_reference(std::string_view pattern, std::string_view value, bool fold) {
  const auto p = code_points(pattern);
  const auto v = code_points(value);
  // row[j]: pattern prefix matches value prefix of length j.
  std::vector<char> row(v.size() + 1, 0), next(v.size() + 1, 0);
  row[0] = 1;
  for (const uint32_t pc : p) {
    std::fill(next.begin(), next.end(), 0);
    if (pc == '*') {
      char any = 0;
      for (size_t j = 0; j <= v.size(); ++j) {
        any = any || row[j];
        next[j] = any;
      }
    } else {
      for (size_t j = 0; j < v.size(); ++j) {
        if (!row[j]) continue;
        const bool same = pc == '?' || (fold ? eql::text::fold(pc) == eql::text::fold(v[j]) : pc == v[j]);
        if (same) next[j + 1] = 1;
      }
    }
    row.swap(next);
  }
  return row[v.size()];
}

// The wildcard as a Lucene regex: `*` -> `.*`, `?` -> `.`, every other
// character literal (escaped unless it is an ASCII letter or digit).
std::string glob_as_regex(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    const size_t n = eql::text::sequence_length(pattern, i);
    const char c = pattern[i];
    if (n == 1 && c == '*') {
      out += ".*";
    } else if (n == 1 && c == '?') {
      out += '.';
    } else {
      const bool alnum = n == 1 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      if (!alnum) out += '\\';
      out.append(pattern.substr(i, n));
    }
    i += n;
  }
  return out;
}

void fuzz_engines(std::string_view pattern, std::string_view subject) {
  // Whatever the bytes, `.*` and `*` match them (a value that escapes `.*`
  // escapes every regex rule that wraps a needle in it).
  static const eql::Regex any = eql::Regex::compile(".*", false);
  static const eql::WildcardPattern star("*", false);
  fuzz::check(any.matches(subject), "regex .* does not match a value", subject);
  fuzz::check(star.matches(subject), "wildcard * does not match a value", subject);
  fuzz::check(any.matches(pattern), "regex .* does not match a value", pattern);

  for (const bool fold : {false, true}) {
    std::optional<eql::Regex> regex;
    try {
      regex = eql::Regex::compile(pattern, fold);
    } catch (const eql::RegexError&) {
    }
    if (regex) (void)regex->matches(subject);

    const eql::WildcardPattern glob(pattern, fold);
    const bool got = glob.matches(subject);
    if (pattern.size() > 512 || subject.size() > 512 || !valid_utf8(pattern) || !valid_utf8(subject)) continue;
    const bool want = glob_reference(pattern, subject, fold);
    fuzz::check(got == want, "wildcard disagrees with the reference glob matcher",
                std::string(fold ? "like~ " : "like ") + "pattern [" + std::string(pattern) + "] value [" +
                    std::string(subject) + "] got " + (got ? "true" : "false"));
    const std::string as_regex = glob_as_regex(pattern);
    std::optional<eql::Regex> translated;
    try {
      translated = eql::Regex::compile(as_regex, fold);
    } catch (const eql::RegexError& e) {
      // Too many states for a very long pattern is a fair refusal; anything
      // else means the translation met a syntax the engine does not take.
      if (e.detail.find("too") == std::string::npos && e.detail.find("large") == std::string::npos) {
        fuzz::fail("regex engine refuses an escaped wildcard", as_regex + ": " + e.detail);
      }
    }
    if (translated) {
      fuzz::check(translated->matches(subject) == want, "regex disagrees with the wildcard",
                  "regex [" + as_regex + "] value [" + std::string(subject) + "] want " + (want ? "true" : "false"));
    }
  }
}

void evaluate(const eql::CompiledCondition& condition, eql::DynamicSchema& schema,
              const std::shared_ptr<const util::JsonValue>& extra) {
  for (const auto& event : fixed_events()) {
    const eql::JsonDocument doc(event, schema);
    (void)condition.matches(doc);
  }
  if (extra) {
    const eql::JsonDocument doc(extra, schema);
    (void)condition.matches(doc);
  }
}

void fuzz_query(std::string_view text, const std::shared_ptr<const util::JsonValue>& extra) {
  try {
    const eql::Query query = eql::parse_query(text);
    (void)eql::describe(query);
    eql::DynamicSchema schema;
    const eql::CompiledQuery compiled = eql::compile(query, schema);
    fuzz::check(query.kind == eql::QueryKind::Event, "a sequence or sample query compiled");
    (void)compiled.applies_to("process");
    for (const auto& use : compiled.fields()) fuzz::check(schema.find(use.name) == use.id, "field id mismatch", use.name);
    evaluate(compiled.condition(), schema, extra);
  } catch (const eql::Error& e) {
    (void)eql::format_error(e, text, "fuzz.eql");
    (void)eql::format_error(e, text, "fuzz.yaml", 3, 7);
  }
  try {
    const eql::Condition condition = eql::parse_condition(text);
    eql::DynamicSchema schema;
    const eql::CompiledCondition compiled = eql::compile_condition(condition, schema);
    evaluate(compiled, schema, extra);
  } catch (const eql::Error& e) {
    (void)eql::format_error(e, text, "fuzz.eql");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fixed_events();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string_view head = input.substr(0, nul);

  std::shared_ptr<const util::JsonValue> extra;
  if (nul != std::string_view::npos) {
    const std::string_view tail = input.substr(nul + 1);
    fuzz_engines(head, tail);
    try {
      auto json = util::parse_json(tail);
      (void)json.dump();
      fuzz::check(util::parse_json(json.dump()) == json, "JSON dump does not parse back to the same value", tail);
      if (json.is_object()) extra = std::make_shared<const util::JsonValue>(std::move(json));
    } catch (const util::JsonError&) {
    }
  }
  fuzz_query(head, extra);
  return 0;
}
