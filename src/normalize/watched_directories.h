#pragma once
// Audit key -> the directories its watch rules name, read from audit rules
// files (auditctl syntax), to place files whose directory the log never names.
//
// `cp FILE /boot/` and `tar -C DIR -x` create names relative to a directory
// fd. The records then hold the relative name, the CWD as the PARENT name and
// the directory's inode; unless that inode was seen with an absolute path
// earlier in the log, only the rule key says where the file went: key bp_boot
// was matched by `-w /boot`, so the file is somewhere in the /boot tree.
//
// The file is taken to be relative to the watched directory itself. When the
// directory fd was a subdirectory of it, the real path has more components
// than the inferred one, but it is in the same tree, so a rule that asks for
// "anything under the watched directory" decides the same way. Events built
// this way say so (ecs::Event::file_path_inferred).
//
// A key that names several directories (bp_dracut: /usr/lib/dracut/modules.d
// and /lib/dracut/modules.d, one directory on merged-/usr systems, two on
// others) stands for the first one listed, in the order the rules were read:
// there is nothing in such a record to tell them apart.
//
// Every watched path is taken for a directory: a key on a watch of a single
// file would place a created name under that file's name.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace auditeql::normalize {

class WatchedDirectories {
 public:
  // Adds the directory watches of one rules file: `-w DIR ... -k KEY` lines
  // and syscall rules with `-F dir=DIR` (what `-w` on a directory becomes),
  // with their keys given by `-k KEY` or `-F key=KEY`. `never` rules, watch
  // removals (-W) and rules without a key are skipped, as is anything else
  // auditctl accepts: only the watches matter here. Returns the number of
  // (key, directory) pairs that were new.
  size_t add_rules(std::string_view text);
  // False when the pair was known already (or the directory is not absolute).
  bool add(std::string_view key, std::string_view directory);

  // The directory a file matched through `key` is placed under; nullptr when
  // no watch carries that key.
  const std::string* directory_for(std::string_view key) const;
  // Every directory listed for `key`, first one first.
  const std::vector<std::string>* directories_for(std::string_view key) const;

  // Each directory once.
  std::vector<std::string> all_directories() const;

  bool empty() const { return by_key_.empty(); }
  size_t keys() const { return by_key_.size(); }

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> by_key_;
};

}  // namespace auditeql::normalize
