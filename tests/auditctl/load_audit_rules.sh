#!/bin/bash
# load_audit_rules.sh AUDITEQL_BINARY REPO_DIR   (CTest test "audit_rules_load")
#
# Writes audit rules with `auditeql audit-rules` and loads each file into the
# running kernel with `auditctl -R`, as augenrules would: every line must
# load, and `auditctl -l` must then list as many rules with auditeql's keys
# as the file has rule lines. The files:
#   - the shipped rules and configuration (the packaged file, with this
#     host's missing directories commented out);
#   - tests/fixtures/audit_rules/rules with every costly class written in
#     (file syscalls anywhere, busy watches, and whatever syscall rules the
#     event kinds auditeql builds need).
#
# Exit status: 0 passed, 1 failed, 77 skipped ("SKIPPED: audit_rules_load:
# <reason>": not root, no auditctl, kernel audit unavailable or locked,
# auditeql's rules already loaded).
#
# It changes nothing it does not restore: each rule it loads is deleted again
# with the same spec (on exit, whatever happens), and the kernel's rule list
# must then be what it was. It holds /run/lock/auditeql-kernel-audit.lock
# while it runs, as the e2e and packaging tests do.

set -u
set -o pipefail
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

BIN=$1
REPO=$2
KEYS='(key=|-k )(bp|aeql)_'
T=
LOADED=()  # files whose rules may be in the kernel
FAILS=0

skip() { printf 'SKIPPED: audit_rules_load: %s\n' "$*"; exit 77; }
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; FAILS=$((FAILS + 1)); }

# Deletes the rules of file $1 by their own specs (-a -> -d, -w -> -W).
unload() {
  local line
  local -a w
  while IFS= read -r line; do
    read -r -a w <<< "$line"
    case ${w[0]:-} in
      -a) w[0]=-d ;;
      -w) w[0]=-W ;;
      *) continue ;;
    esac
    auditctl "${w[@]}" > /dev/null 2>&1
  done < "$1"
}

cleanup() {
  local f
  for f in "${LOADED[@]}"; do unload "$f"; done
  [ -n "$T" ] && rm -rf "$T"
}

[ "$(id -u)" = 0 ] || skip "not root"
command -v auditctl > /dev/null || skip "auditctl is not installed (apt-get install auditd)"
exec 9> /run/lock/auditeql-kernel-audit.lock
flock -w 600 9 || skip "another session held /run/lock/auditeql-kernel-audit.lock for 10 minutes"
auditctl -s > /dev/null 2>&1 || skip "the kernel audit subsystem does not answer (auditctl -s)"
[ "$(auditctl -s | awk '$1 == "enabled" { print $2 }')" != 2 ] || skip "the audit configuration is locked (enabled 2)"
if auditctl -l 2> /dev/null | grep -qE "$KEYS"; then
  skip "rules with auditeql's keys are already loaded (another auditeql installation or test)"
fi

T=$(mktemp -d)
trap cleanup EXIT
trap 'exit 1' INT TERM
auditctl -l > "$T/rules.before" 2>&1

cat > "$T/shipped.yaml" << EOF2
rule_directories: [$REPO/conf/rules]
EOF2
sed -n '/^watched_directories:/,/^$/p' "$REPO/conf/auditeql.yaml" >> "$T/shipped.yaml"
cat > "$T/costly.yaml" << EOF2
rule_directories: [$REPO/tests/fixtures/audit_rules/rules]
audit_rules_costly: true
EOF2

for name in shipped costly; do
  if ! "$BIN" audit-rules --config "$T/$name.yaml" > "$T/$name.rules" 2> "$T/$name.err"; then
    fail "$name: auditeql audit-rules failed: $(cat "$T/$name.err")"
    continue
  fi
  expected=$(grep -c '^-[aw] ' "$T/$name.rules")
  LOADED+=("$T/$name.rules")
  if auditctl -R "$T/$name.rules" > "$T/$name.auditctl" 2>&1; then
    pass "$name: auditctl -R loaded the file ($expected rule lines; $(grep -c '^#-[aw] ' "$T/$name.rules") commented out)"
  else
    fail "$name: auditctl -R: $(tr '\n' ' ' < "$T/$name.auditctl")"
  fi
  got=$(auditctl -l | grep -cE "$KEYS")
  if [ "$got" = "$expected" ]; then pass "$name: auditctl -l lists $got rules with auditeql's keys"; else fail "$name: auditctl -l lists $got rules with auditeql's keys, the file has $expected"; fi
  unload "$T/$name.rules"
  LOADED=()
  if auditctl -l 2>&1 | cmp -s - "$T/rules.before"; then pass "$name: every rule deleted again"; else fail "$name: the rule list differs from before"; fi
done
# The costly file has what the cheap one does not: every line a class opts in to.
grep -q '^-a always,exit -F arch=b64 -S openat -F a2&0x40 -F success=1 -k aeql_file$' "$T/costly.rules" \
  && pass "costly: the system-wide file syscall rules are written in" || fail "costly: no system-wide file syscall rules"

[ "$FAILS" = 0 ] || exit 1
