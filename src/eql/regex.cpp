#include "eql/regex.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "eql/text.h"

namespace auditeql::eql {

RegexError::RegexError(size_t index, std::string message)
    : std::runtime_error("at character " + std::to_string(index + 1) + ": " + message),
      char_index(index),
      detail(std::move(message)) {}

namespace {

constexpr uint32_t kMaxCodePoint = 0x1100FF;  // real code points plus the stray-byte range

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

Ranges normalized(Ranges ranges) {
  std::sort(ranges.begin(), ranges.end());
  Ranges out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.first <= out.back().second + 1) {
      out.back().second = std::max(out.back().second, r.second);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

Ranges complement(const Ranges& sorted) {
  Ranges out;
  uint32_t next = 0;
  for (const auto& r : sorted) {
    if (r.first > next) out.emplace_back(next, r.first - 1);
    next = r.second + 1;
  }
  if (next <= kMaxCodePoint) out.emplace_back(next, kMaxCodePoint);
  return out;
}

// Adds the other-case twin of every ASCII letter in the ranges.
void add_case_variants(Ranges& ranges) {
  const size_t n = ranges.size();
  for (size_t i = 0; i < n; ++i) {
    const auto [lo, hi] = ranges[i];
    const uint32_t lower_lo = std::max<uint32_t>(lo, 'a'), lower_hi = std::min<uint32_t>(hi, 'z');
    if (lower_lo <= lower_hi) ranges.emplace_back(lower_lo - 32, lower_hi - 32);
    const uint32_t upper_lo = std::max<uint32_t>(lo, 'A'), upper_hi = std::min<uint32_t>(hi, 'Z');
    if (upper_lo <= upper_hi) ranges.emplace_back(upper_lo + 32, upper_hi + 32);
  }
}

Ranges shorthand_class(uint32_t letter) {
  Ranges r;
  switch (letter) {
    case 'd':
    case 'D':
      r = {{'0', '9'}};
      break;
    case 'w':
    case 'W':
      r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
      break;
    case 's':
    case 'S':
      r = {{'\t', '\r'}, {' ', ' '}};
      break;  // \t \n \v \f \r and space
    default:
      break;
  }
  if (letter == 'D' || letter == 'W' || letter == 'S') return complement(normalized(r));
  return r;
}

bool is_shorthand(uint32_t c) {
  return c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S';
}

struct Node {
  enum class Kind : uint8_t { Empty, Chars, Concat, Alternate, Repeat };
  Kind kind = Kind::Empty;
  uint32_t set = 0;
  int min = 0;
  int max = 0;       // -1: unbounded
  size_t where = 0;  // character index, for errors found while emitting
  std::vector<Node> children;
};

}  // namespace

bool Regex::CharSet::contains(uint32_t cp) const {
  if (cp < 128) return (ascii[cp >> 6] >> (cp & 63)) & 1;
  // Sets are small; a linear scan beats a binary search here.
  for (const auto& [lo, hi] : wide) {
    if (cp < lo) return false;
    if (cp <= hi) return true;
  }
  return false;
}

class RegexCompiler {
 public:
  RegexCompiler(std::string_view pattern, bool case_insensitive) : fold_(case_insensitive) {
    for (size_t i = 0; i < pattern.size();) {
      const size_t len = text::sequence_length(pattern, i);
      chars_.push_back(text::decode(pattern, i, len));
      i += len;
    }
  }

  Regex run() {
    Node root = parse_alternation(0);
    if (pos_ < chars_.size()) fail(pos_, "unbalanced ')'");
    emit(root);
    append({Regex::Op::Match});
    out_.sets_ = std::move(sets_);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(size_t where, std::string message) const { throw RegexError(where, std::move(message)); }

  bool at_end() const { return pos_ >= chars_.size(); }
  uint32_t peek() const { return chars_[pos_]; }

  // --- character sets ---------------------------------------------------

  uint32_t intern(Ranges ranges) {
    ranges = normalized(std::move(ranges));
    auto found = set_index_.find(ranges);
    if (found != set_index_.end()) return found->second;
    Regex::CharSet set;
    for (const auto& [lo, hi] : ranges) {
      for (uint32_t c = lo; c <= hi && c < 128; ++c) set.ascii[c >> 6] |= uint64_t{1} << (c & 63);
      if (hi >= 128) set.wide.emplace_back(std::max<uint32_t>(lo, 128), hi);
    }
    const auto index = static_cast<uint32_t>(sets_.size());
    sets_.push_back(std::move(set));
    set_index_.emplace(std::move(ranges), index);
    return index;
  }

  Node chars_node(Ranges ranges, size_t where) {
    if (fold_) add_case_variants(ranges);
    Node n;
    n.kind = Node::Kind::Chars;
    n.set = intern(std::move(ranges));
    n.where = where;
    return n;
  }

  Node literal(uint32_t c, size_t where) { return chars_node({{c, c}}, where); }

  // --- parsing ----------------------------------------------------------

  Node parse_alternation(int depth) {
    if (depth > Regex::kMaxNesting) fail(pos_, "pattern nested too deeply");
    Node first = parse_concat(depth);
    if (at_end() || peek() != '|') return first;
    Node alt;
    alt.kind = Node::Kind::Alternate;
    alt.where = first.where;
    alt.children.push_back(std::move(first));
    while (!at_end() && peek() == '|') {
      ++pos_;
      alt.children.push_back(parse_concat(depth));
    }
    return alt;
  }

  Node parse_concat(int depth) {
    Node seq;
    seq.kind = Node::Kind::Concat;
    seq.where = pos_;
    while (!at_end() && peek() != '|' && peek() != ')') seq.children.push_back(parse_repeat(depth));
    if (seq.children.size() == 1) return std::move(seq.children.front());
    if (seq.children.empty()) seq.kind = Node::Kind::Empty;
    return seq;
  }

  Node parse_repeat(int depth) {
    Node atom = parse_atom(depth);
    int wraps = 0;
    while (!at_end()) {
      const size_t where = pos_;
      int min = 0, max = 0;
      const uint32_t c = peek();
      if (c == '*') {
        min = 0, max = -1;
        ++pos_;
      } else if (c == '+') {
        min = 1, max = -1;
        ++pos_;
      } else if (c == '?') {
        min = 0, max = 1;
        ++pos_;
      } else if (c == '{') {
        parse_bounds(min, max);
      } else {
        break;
      }
      if (depth + ++wraps > Regex::kMaxNesting) fail(where, "too many repetition operators");
      Node rep;
      rep.kind = Node::Kind::Repeat;
      rep.min = min;
      rep.max = max;
      rep.where = where;
      rep.children.push_back(std::move(atom));
      atom = std::move(rep);
    }
    return atom;
  }

  int parse_bound_number() {
    if (at_end() || peek() < '0' || peek() > '9') fail(pos_, "expected a number in {n,m}");
    long value = 0;
    while (!at_end() && peek() >= '0' && peek() <= '9') {
      value = value * 10 + static_cast<long>(peek() - '0');
      if (value > Regex::kMaxRepeat) fail(pos_, "repetition bound larger than " + std::to_string(Regex::kMaxRepeat));
      ++pos_;
    }
    return static_cast<int>(value);
  }

  void parse_bounds(int& min, int& max) {
    const size_t open = pos_;
    ++pos_;  // '{'
    min = parse_bound_number();
    max = min;
    if (!at_end() && peek() == ',') {
      ++pos_;
      max = (!at_end() && peek() == '}') ? -1 : parse_bound_number();
    }
    if (at_end() || peek() != '}') fail(open, "unterminated {n,m} repetition");
    ++pos_;
    if (max != -1 && max < min) fail(open, "repetition {n,m} with m < n");
  }

  Node parse_atom(int depth) {
    const size_t where = pos_;
    const uint32_t c = peek();
    switch (c) {
      case '(': {
        ++pos_;
        Node inner = parse_alternation(depth + 1);
        if (at_end() || peek() != ')') fail(where, "unbalanced '('");
        ++pos_;
        return inner;
      }
      case '[':
        return parse_class();
      case '.':
        ++pos_;
        return chars_node({{0, kMaxCodePoint}}, where);
      case '\\':
        return parse_escape();
      case '"':
        return parse_quoted();
      case '@': {  // Lucene: any string
        ++pos_;
        Node rep;
        rep.kind = Node::Kind::Repeat;
        rep.min = 0;
        rep.max = -1;
        rep.where = where;
        rep.children.push_back(chars_node({{0, kMaxCodePoint}}, where));
        return rep;
      }
      case '#':
        ++pos_;
        return chars_node({}, where);  // Lucene: the empty language
      case '*':
      case '+':
      case '?':
      case '{':
        fail(where, "nothing to repeat");
      case '&':
      case '~':
      case '<':
      case '>':
        fail(where, std::string("operator '") + static_cast<char>(c) +
                        "' (Lucene intersection/complement/interval) is not supported; escape it as \\" +
                        static_cast<char>(c) + " to match it literally");
      default:
        ++pos_;
        return literal(c, where);
    }
  }

  Node parse_escape() {
    const size_t where = pos_;
    ++pos_;  // backslash
    if (at_end()) fail(where, "pattern ends with a lone backslash");
    const uint32_t c = peek();
    ++pos_;
    if (is_shorthand(c)) return chars_node(shorthand_class(c), where);
    return literal(c, where);
  }

  Node parse_quoted() {
    const size_t where = pos_;
    ++pos_;  // opening quote
    Node seq;
    seq.kind = Node::Kind::Concat;
    seq.where = where;
    while (true) {
      if (at_end()) fail(where, "unterminated \"quoted\" literal");
      const uint32_t c = peek();
      ++pos_;
      if (c == '"') break;
      seq.children.push_back(literal(c, pos_ - 1));
    }
    if (seq.children.empty()) seq.kind = Node::Kind::Empty;
    return seq;
  }

  // One member of a [...] class: a character, possibly escaped.
  uint32_t parse_class_char() {
    if (peek() == '\\') {
      ++pos_;
      if (at_end()) fail(pos_ - 1, "pattern ends with a lone backslash");
    }
    return chars_[pos_++];
  }

  Node parse_class() {
    const size_t open = pos_;
    ++pos_;  // '['
    bool negated = false;
    if (!at_end() && peek() == '^') {
      negated = true;
      ++pos_;
    }
    Ranges ranges;
    bool first = true;
    while (true) {
      if (at_end()) fail(open, "unterminated character class '['");
      if (peek() == ']' && !first) break;
      first = false;
      if (peek() == '\\' && pos_ + 1 < chars_.size() && is_shorthand(chars_[pos_ + 1])) {
        const Ranges r = shorthand_class(chars_[pos_ + 1]);
        ranges.insert(ranges.end(), r.begin(), r.end());
        pos_ += 2;
        continue;
      }
      const size_t item = pos_;
      const uint32_t lo = parse_class_char();
      if (!at_end() && peek() == '-' && pos_ + 1 < chars_.size() && chars_[pos_ + 1] != ']') {
        ++pos_;  // '-'
        const uint32_t hi = parse_class_char();
        if (hi < lo) fail(item, "character class range is out of order");
        ranges.emplace_back(lo, hi);
      } else {
        ranges.emplace_back(lo, lo);
      }
    }
    ++pos_;  // ']'
    if (fold_) add_case_variants(ranges);
    Ranges set = normalized(std::move(ranges));
    if (negated) set = complement(set);
    Node n;
    n.kind = Node::Kind::Chars;
    n.set = intern(std::move(set));
    n.where = open;
    return n;
  }

  // --- code generation --------------------------------------------------

  size_t append(Regex::Instruction inst) {
    out_.program_.push_back(inst);
    return out_.program_.size() - 1;
  }

  uint32_t here() const { return static_cast<uint32_t>(out_.program_.size()); }

  void check_size(const Node& node) const {
    if (out_.program_.size() > Regex::kMaxInstructions)
      fail(node.where, "pattern too large after expanding repetitions (limit " +
                           std::to_string(Regex::kMaxInstructions) + " states)");
  }

  void emit(const Node& node) {
    switch (node.kind) {
      case Node::Kind::Empty:
        break;
      case Node::Kind::Chars:
        append({Regex::Op::Consume, node.set});
        break;
      case Node::Kind::Concat:
        for (const Node& child : node.children) emit(child);
        break;
      case Node::Kind::Alternate:
        emit_alternation(node);
        break;
      case Node::Kind::Repeat:
        emit_repeat(node);
        break;
    }
    check_size(node);
  }

  void emit_alternation(const Node& node) {
    std::vector<size_t> jumps_to_end;
    for (size_t i = 0; i < node.children.size(); ++i) {
      const bool last = i + 1 == node.children.size();
      if (last) {
        emit(node.children[i]);
        break;
      }
      const size_t split = append({Regex::Op::Split, here() + 1, 0});
      emit(node.children[i]);
      jumps_to_end.push_back(append({Regex::Op::Jump}));
      out_.program_[split].y = here();
    }
    for (size_t j : jumps_to_end) out_.program_[j].x = here();
  }

  void emit_repeat(const Node& node) {
    const Node& body = node.children.front();
    if (node.max == -1) {
      if (node.min == 0) {  // loop: split(body, out); body; jump loop
        const uint32_t loop = here();
        const size_t split = append({Regex::Op::Split, loop + 1, 0});
        emit(body);
        append({Regex::Op::Jump, loop});
        out_.program_[split].y = here();
        return;
      }
      for (int i = 0; i < node.min - 1; ++i) {
        emit(body);
        check_size(node);
      }
      const uint32_t start = here();  // last copy loops back to itself
      emit(body);
      append({Regex::Op::Split, start, here() + 1});
      return;
    }
    for (int i = 0; i < node.min; ++i) {
      emit(body);
      check_size(node);
    }
    std::vector<size_t> exits;
    for (int i = node.min; i < node.max; ++i) {
      exits.push_back(append({Regex::Op::Split, here() + 1, 0}));
      emit(body);
      check_size(node);
    }
    for (size_t e : exits) out_.program_[e].y = here();
  }

  bool fold_;
  std::vector<uint32_t> chars_;
  size_t pos_ = 0;
  std::vector<Regex::CharSet> sets_;
  std::map<Ranges, uint32_t> set_index_;
  Regex out_;
};

Regex Regex::compile(std::string_view pattern, bool case_insensitive) {
  Regex regex = RegexCompiler(pattern, case_insensitive).run();
  regex.find_required_bytes();
  return regex;
}

// A Consume that lies on every path from the start to Match, and whose set
// holds only ASCII characters, is a byte every matching input contains. Such
// Consumes are dominators of Match, so they come in one order on every path:
// a match contains bytes from their sets as a subsequence, in that order
// (`.*[0-9]\.[0-9]:.*` needs a digit, then a dot, then a digit, then a
// colon). ASCII bytes are never part of a longer UTF-8 sequence, so the check
// runs on bytes. Dominance is computed with bit sets (small programs only).
void Regex::find_required_bytes() {
  const size_t n = program_.size();
  if (n == 0 || n > 1024) return;
  const size_t words = (n + 63) / 64;
  std::vector<std::vector<uint64_t>> dom(n, std::vector<uint64_t>(words, ~uint64_t{0}));
  std::vector<std::vector<uint32_t>> preds(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Instruction& in = program_[i];
    switch (in.op) {
      case Op::Consume: if (i + 1 < n) preds[i + 1].push_back(i); break;
      case Op::Split: preds[in.x].push_back(i); preds[in.y].push_back(i); break;
      case Op::Jump: preds[in.x].push_back(i); break;
      case Op::Match: break;
    }
  }
  std::fill(dom[0].begin(), dom[0].end(), 0);
  dom[0][0] = 1;
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t i = 1; i < n; ++i) {
      std::vector<uint64_t> d(words, preds[i].empty() ? 0 : ~uint64_t{0});
      for (uint32_t p : preds[i]) {
        for (size_t w = 0; w < words; ++w) d[w] &= dom[p][w];
      }
      d[i / 64] |= uint64_t{1} << (i % 64);
      if (d != dom[i]) {
        dom[i] = std::move(d);
        changed = true;
      }
    }
  }
  std::vector<uint64_t> all_matches(words, ~uint64_t{0});
  bool any_match = false;
  for (uint32_t i = 0; i < n; ++i) {
    if (program_[i].op != Op::Match) continue;
    any_match = true;
    for (size_t w = 0; w < words; ++w) all_matches[w] &= dom[i][w];
  }
  if (!any_match) return;
  // Dominators of one node form a chain: the fewer dominators one has
  // itself, the earlier it comes.
  std::vector<std::pair<int, uint32_t>> chain;
  for (uint32_t i = 0; i < n; ++i) {
    if (program_[i].op != Op::Consume || !((all_matches[i / 64] >> (i % 64)) & 1)) continue;
    const CharSet& set = sets_[program_[i].x];
    if (!set.wide.empty() || (set.ascii[0] | set.ascii[1]) == 0) continue;
    int depth = 0;
    for (size_t w = 0; w < words; ++w) depth += __builtin_popcountll(dom[i][w]);
    chain.emplace_back(depth, i);
  }
  std::sort(chain.begin(), chain.end());
  for (const auto& [depth, i] : chain) {
    const CharSet& set = sets_[program_[i].x];
    RequiredClass required;
    required.bits[0] = set.ascii[0];
    required.bits[1] = set.ascii[1];
    if (__builtin_popcountll(set.ascii[0]) + __builtin_popcountll(set.ascii[1]) == 1) {
      for (int c = 0; c < 128; ++c) {
        if (set.contains(static_cast<uint32_t>(c))) required.only = static_cast<char>(c);
      }
    }
    required_.push_back(required);
  }
}

bool Regex::has_required_bytes(std::string_view text) const {
  size_t k = 0;
  for (size_t i = 0; k < required_.size() && i < text.size(); ++i) {
    const RequiredClass& want = required_[k];
    if (want.only != 0) {
      // A single byte: let memchr skip to it.
      const void* hit = std::memchr(text.data() + i, want.only, text.size() - i);
      if (hit == nullptr) return false;
      i = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
      ++k;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 128 && ((want.bits[c >> 6] >> (c & 63)) & 1)) ++k;
  }
  return k == required_.size();
}

namespace {

// A set of NFA states with O(1) insert, membership test and clear, and no
// need to initialise its storage (Briggs & Torczon).
struct StateSet {
  std::vector<uint32_t> dense;
  std::vector<uint32_t> sparse;
  uint32_t count = 0;

  void reserve(size_t n) {
    if (dense.size() < n) {
      dense.resize(n);
      sparse.resize(n);
    }
  }
  bool contains(uint32_t s) const { return sparse[s] < count && dense[sparse[s]] == s; }
  void insert(uint32_t s) {
    sparse[s] = count;
    dense[count++] = s;
  }
};

struct Scratch {
  StateSet a, b;
  std::vector<uint32_t> stack;
};

// Per-thread working memory: grows to the largest program seen, then
// matching allocates nothing.
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

bool Regex::matches(std::string_view input) const { return has_required_bytes(input) && nfa_matches(input); }

bool Regex::nfa_matches(std::string_view input) const {
  Scratch& work = scratch();
  work.a.reserve(program_.size());
  work.b.reserve(program_.size());
  StateSet* current = &work.a;
  StateSet* next = &work.b;
  std::vector<uint32_t>& stack = work.stack;

  // Follows Split/Jump edges from `start`, adding every state reached.
  auto add_closure = [&](StateSet& set, uint32_t start) {
    stack.clear();
    stack.push_back(start);
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (set.contains(pc)) continue;
      set.insert(pc);
      const Instruction& inst = program_[pc];
      if (inst.op == Op::Jump) {
        stack.push_back(inst.x);
      } else if (inst.op == Op::Split) {
        stack.push_back(inst.y);
        stack.push_back(inst.x);
      }
    }
  };

  current->count = 0;
  add_closure(*current, 0);
  for (size_t i = 0; i < input.size();) {
    const size_t length = text::sequence_length(input, i);
    const uint32_t cp = text::decode(input, i, length);
    i += length;
    next->count = 0;
    for (uint32_t k = 0; k < current->count; ++k) {
      const uint32_t pc = current->dense[k];
      const Instruction& inst = program_[pc];
      if (inst.op == Op::Consume && sets_[inst.x].contains(cp)) add_closure(*next, pc + 1);
    }
    std::swap(current, next);
    if (current->count == 0) return false;
  }
  return current->contains(static_cast<uint32_t>(program_.size() - 1));
}

}  // namespace auditeql::eql
