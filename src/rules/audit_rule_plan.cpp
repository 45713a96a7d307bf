#include "rules/audit_rule_plan.h"

#include <algorithm>
#include <map>

#include "eql/error.h"
#include "eql/parser.h"
#include "rules/event_kinds_matched.h"
#include "rules/rule_index.h"
#include "util/path.h"

namespace auditeql::rules {
namespace {

// The fields whose fixed prefix places a file event in a directory a watch
// can record. A watch on a directory also records renames out of it, so the
// old path of a rename counts too.
constexpr std::string_view kPathFields[] = {"file.path", "file.directory", "file.Ext.original.path"};

bool is_path_field(std::string_view name) {
  return std::find(std::begin(kPathFields), std::end(kPathFields), name) != std::end(kPathFields);
}

// Trees written all day: a watch on one (or on a directory holding one)
// records a write-open, creation or deletion for each of those writes.
// `subtrees`: their subdirectories are as busy (a user's home, /tmp/x);
// otherwise only the tree as a whole is (/usr/lib holds Python's byte-code
// caches, /usr/lib/systemd/system is written by package upgrades only).
// /lib, /lib64 and /var/run are /usr/lib, /usr/lib64 and /run on merged-/usr
// systems.
struct BusyTree {
  std::string_view path;
  bool subtrees;
};
constexpr BusyTree kBusyTrees[] = {
    {"/home", true},     {"/tmp", true},       {"/var/tmp", true}, {"/dev/shm", true}, {"/run", true},
    {"/var/run", true},  {"/var/log", true},   {"/proc", true},    {"/sys", true},      {"/usr/lib", false},
    {"/usr/lib64", false}, {"/usr/local/lib", false}, {"/lib", false}, {"/lib64", false},
};

bool inside(std::string_view path, std::string_view tree) {
  return path.size() > tree.size() && path.starts_with(tree) && (tree == "/" || path[tree.size()] == '/');
}

// A path auditctl can take: absolute, and nothing it would split or cut
// (it splits lines at white space, with no quoting).
bool writable_path(std::string_view path) {
  if (!util::is_absolute(path)) return false;
  return std::none_of(path.begin(), path.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

struct Target {
  std::string path;
  bool directory = true;
};

std::optional<Target> directory_target(std::string_view path) {
  std::string normalized = util::normalize_path(path);
  if (!writable_path(normalized) || normalized == "/") return std::nullopt;
  return Target{std::move(normalized), true};
}

std::optional<Target> file_target(std::string_view path) {
  std::string normalized = util::normalize_path(path);
  if (!writable_path(normalized) || normalized == "/") return std::nullopt;
  return Target{std::move(normalized), false};
}

// The directory every path starting with `prefix` is in: "/etc/cron" is in
// /etc, "/etc/cron.d/" in /etc/cron.d.
std::optional<Target> prefix_target(std::string_view prefix) {
  if (!util::is_absolute(prefix)) return std::nullopt;
  return directory_target(prefix.substr(0, prefix.rfind('/')));
}

// A Windows path of a cross-platform rule ("C:\\Windows\\...", "?:\\...",
// "\\\\server\\share"). It can be the whole path of no Linux file but one
// directly in / whose name starts with ":\\" ('?' matching the '/'), which
// no watch could serve and which changes nothing a Windows path names.
bool windows_path(std::string_view constant) {
  if (constant.starts_with("\\\\")) return true;
  if (constant.size() < 3 || constant[1] != ':' || constant[2] != '\\') return false;
  const char drive = constant[0];
  return drive == '?' || (drive >= 'A' && drive <= 'Z') || (drive >= 'a' && drive <= 'z');
}

// The fixed directories and files one of which every file event matching
// `condition` is in, or nullopt when it names none for some branch (a
// pattern such as "/*/etc/x" or "*.so", or no condition on paths at all).
// The constants are taken as written: `:` and `like~` compare paths
// case-insensitively, but the file system does not, and the directory a
// rule names is the one spelled that way.
std::optional<std::vector<Target>> fixed_targets(const eql::ExprPtr& condition) {
  static const RequirementScope kPaths{is_path_field, false, true, windows_path};
  const auto required = condition ? requirement(*condition, kPaths) : std::nullopt;
  if (!required) return std::nullopt;
  std::vector<Target> targets;
  for (const auto& f : required->any_of) {
    if (!f.suffixes.empty()) return std::nullopt;
    const bool of_directory = f.field == "file.directory";
    for (const auto& v : f.values) {
      auto t = of_directory ? directory_target(v) : file_target(v);
      if (!t) return std::nullopt;
      targets.push_back(std::move(*t));
    }
    for (const auto& p : f.prefixes) {
      auto t = prefix_target(p);
      if (!t) return std::nullopt;
      targets.push_back(std::move(*t));
    }
  }
  return targets;
}

std::vector<eql::EventFilter> filters_of(const eql::Query& query) {
  if (query.kind == eql::QueryKind::Event) return {query.event};
  std::vector<eql::EventFilter> filters;
  for (const auto& stage : query.stages) filters.push_back(stage.filter);
  if (query.until) filters.push_back(query.until->filter);
  return filters;
}

void add_name(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

bool opted_in(const AuditRuleOptions& options, CostClass cost) {
  return cost == CostClass::None || std::find(options.costly.begin(), options.costly.end(), cost) != options.costly.end();
}

// What the rules need, before it is grouped into sections and watches.
struct Needs {
  std::map<const KindAuditRules*, std::vector<std::string>> kinds;       // syscall rules of non-file kinds
  std::map<const KindAuditRules*, std::vector<std::string>> elsewhere;   // file kinds outside fixed directories
  std::map<std::string, std::pair<bool, std::vector<std::string>>> targets;  // path -> (directory, rules)
};

void add_target(Needs& needs, const Target& t, const std::string& rule) {
  auto& [directory, names] = needs.targets[t.path];
  directory = directory || t.directory;  // a directory watch also records the directory's own entry
  add_name(names, rule);
}

// What the file kinds of one filter of `rule` need: watches on the targets
// its conditions name, or, when they name none, system-wide syscall rules.
void add_file_needs(Needs& needs, const eql::EventFilter& filter, ecs::KindMask kinds, const std::string& rule,
                    UnplacedRule& unplaced) {
  if (const auto targets = fixed_targets(condition_for_kinds(filter.condition.root, kinds))) {
    for (const auto& t : *targets) add_target(needs, t, rule);
    return;
  }
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    if ((kinds & (ecs::KindMask{1} << k)) == 0) continue;
    const KindAuditRules* entry = find_kind_audit_rules(ecs::classification(static_cast<ecs::EventKind>(k)));
    add_name(needs.elsewhere[entry], rule);
    add_name(unplaced.needs, std::string(entry->what));
  }
}

ecs::KindMask watchable_kinds() {
  ecs::KindMask mask = 0;
  for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
    const auto* entry = find_kind_audit_rules(ecs::classification(static_cast<ecs::EventKind>(k)));
    if (entry != nullptr && entry->watchable) mask |= ecs::KindMask{1} << k;
  }
  return mask;
}

void add_rule(Needs& needs, const ServedRule& rule, AuditRulePlan& plan) {
  eql::Query query;
  try {
    query = eql::parse_query(rule.query);
  } catch (const eql::Error&) {
    return;
  }
  ++plan.rules;
  UnplacedRule unplaced{rule.name, {}};
  ecs::KindMask all = 0;
  const ecs::KindMask watchable = watchable_kinds();
  for (const auto& filter : filters_of(query)) {
    const ecs::KindMask kinds = kinds_matched(filter.category, filter.condition.root);
    all |= kinds;
    for (size_t k = 0; k < ecs::kEventKindCount; ++k) {
      if ((kinds & ~watchable & (ecs::KindMask{1} << k)) == 0) continue;
      const KindAuditRules* entry = find_kind_audit_rules(ecs::classification(static_cast<ecs::EventKind>(k)));
      // Exec records are loaded for every rule set (render_audit_rules).
      if (entry == nullptr) {
        const auto& c = ecs::classification(static_cast<ecs::EventKind>(k));
        add_name(plan.kinds_without_rules,
                 std::string(c.category) + "/" + std::string(c.type) + "/" + std::string(c.action));
      } else if (entry->key != kExecKey) {
        add_name(needs.kinds[entry], rule.name);
      }
    }
    if ((kinds & watchable) != 0) add_file_needs(needs, filter, kinds & watchable, rule.name, unplaced);
  }
  if (all == 0) plan.matching_nothing.push_back(rule.name);
  if (!unplaced.needs.empty()) plan.unplaced.push_back(std::move(unplaced));
}

bool same_syscalls(const KindAuditRules& a, const KindAuditRules& b) {
  if (a.key != b.key || a.syscalls.size() != b.syscalls.size()) return false;
  for (size_t i = 0; i < a.syscalls.size(); ++i) {
    const auto &x = a.syscalls[i], &y = b.syscalls[i];
    if (x.b64 != y.b64 || x.b32 != y.b32 || x.filter != y.filter) return false;
  }
  return true;
}

// One section per set of syscall rules, in the table's order; kinds served
// by the same rules (a module load in both schemas) share one.
std::vector<AuditRuleSection> sections_of(const Needs& needs, const AuditRuleOptions& options) {
  std::vector<AuditRuleSection> sections;
  for (const auto& entry : kind_audit_rules()) {
    for (const bool elsewhere : {false, true}) {
      const auto& from = elsewhere ? needs.elsewhere : needs.kinds;
      const auto it = from.find(&entry);
      if (it == from.end()) continue;
      auto section = std::find_if(sections.begin(), sections.end(), [&](const AuditRuleSection& s) {
        return s.only_elsewhere == elsewhere && same_syscalls(*s.kinds.front(), entry);
      });
      if (section == sections.end()) {
        sections.push_back({{}, {}, opted_in(options, entry.cost), elsewhere});
        section = sections.end() - 1;
      }
      section->kinds.push_back(&entry);
      for (const auto& name : it->second) add_name(section->needed_by, name);
    }
  }
  return sections;
}

AuditRuleWatch::State state_of(const std::string& path, bool directory, const AuditRuleOptions& options) {
  if (directory && is_busy_directory(path) && !opted_in(options, CostClass::BusyDirectories) &&
      std::find(options.costly_directories.begin(), options.costly_directories.end(), path) ==
          options.costly_directories.end()) {
    return AuditRuleWatch::State::Busy;
  }
  if (options.path_state) {
    // A directory watch needs the directory (else it is not recursive, or
    // fails); a file watch needs the file's directory.
    const std::string must_exist = directory ? path : std::string(util::dir_name(path));
    if (options.path_state(must_exist) != PathState::Directory) return AuditRuleWatch::State::Missing;
  }
  return AuditRuleWatch::State::Loaded;
}

// On merged-/usr systems /lib, /bin, /sbin are links into /usr: their
// spelling of a directory is listed after /usr's, which replay then takes
// for a key naming both (normalize/watched_directories.h).
bool legacy_spelling(std::string_view path) {
  for (const std::string_view top : {"/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"}) {
    if (path == top || inside(path, top)) return true;
  }
  return false;
}

// Whether watch `outer` records what `inner` does: a directory above it,
// loaded, or as commented out as `inner` is.
bool covers(const AuditRuleWatch& outer, const AuditRuleWatch& inner) {
  if (!outer.directory || !inside(inner.path, outer.path)) return false;
  return outer.state == AuditRuleWatch::State::Loaded || inner.state != AuditRuleWatch::State::Loaded;
}

std::vector<AuditRuleWatch> watches_of(const Needs& needs, const AuditRuleOptions& options) {
  std::vector<AuditRuleWatch> all;
  for (const auto& [path, target] : needs.targets) {
    all.push_back({path, target.first, watch_key(path), target.second, state_of(path, target.first, options)});
  }
  // Nested watches merge into the outermost one that covers them.
  std::vector<AuditRuleWatch> merged;
  for (const auto& w : all) {
    const AuditRuleWatch* outermost = nullptr;
    for (const auto& o : all) {
      if (covers(o, w) && (outermost == nullptr || o.path.size() < outermost->path.size())) outermost = &o;
    }
    if (outermost == nullptr) merged.push_back(w);
  }
  for (const auto& w : all) {
    for (auto& m : merged) {
      if (covers(m, w)) {
        for (const auto& name : w.needed_by) add_name(m.needed_by, name);
      }
    }
  }
  std::sort(merged.begin(), merged.end(), [](const AuditRuleWatch& a, const AuditRuleWatch& b) {
    const bool la = legacy_spelling(a.path), lb = legacy_spelling(b.path);
    return la != lb ? lb : a.path < b.path;
  });
  return merged;
}

}  // namespace

bool is_busy_directory(std::string_view path) {
  for (const auto& tree : kBusyTrees) {
    if (path == tree.path || inside(tree.path, path) || (tree.subtrees && inside(path, tree.path))) return true;
  }
  return false;
}

AuditRulePlan plan_audit_rules(const std::vector<ServedRule>& rules, const AuditRuleOptions& options) {
  AuditRulePlan plan;
  plan.directories_checked = static_cast<bool>(options.path_state);
  plan.costly = options.costly;
  Needs needs;
  for (const auto& rule : rules) add_rule(needs, rule, plan);
  for (const auto& directory : options.extra_watches) {
    if (auto t = directory_target(directory)) add_target(needs, *t, "watched_directories (auditeql.yaml)");
  }
  plan.sections = sections_of(needs, options);
  plan.watches = watches_of(needs, options);
  return plan;
}

}  // namespace auditeql::rules
