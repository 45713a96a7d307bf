#!/bin/bash
# run_e2e_kinds.sh -- end-to-end test of the event kinds of issue 13 with real
# auditd, TOML rules in Elastic's format and the audit rules auditeql derives.
#
#   run_e2e_kinds.sh AUDITEQL_BINARY REPO_DIR        (CTest test "e2e_kinds")
#
# Loads the rules of tests/fixtures/e2e_kinds/rules (written for this test in
# the layout of Elastic's detection-rules files), derives the audit rules with
# `auditeql audit-rules` (the test configuration opts in to the costly
# classes file_syscalls and network) and loads exactly those into a private
# auditd whose plugin is the binary under test. Then it runs one technique per
# rule and checks the alerts that reach SYSLOG, by rule.id, their fields and
# their priority: a cron file, a systemd unit, /etc/ld.so.preload, an
# authorized_keys deletion, an outbound connect and an accept, a setuid back
# to root, a module load attempt, a rename over a binary in /usr/bin. Prints a
# table technique -> alerts found.
#
# Exit status: 0 every assertion passed, 1 one failed, 77 skipped (a line
# "SKIPPED: e2e_kinds: <reason>": not root, no kernel audit, another audit
# daemon or auditeql's audit rules already loaded, packages missing and not
# installable, ...).
#
# What it changes on the machine, all undone on exit (trap), or by a guard
# process when the script is killed (tests/support/e2e_harness.sh): the
# kernel audit rules, enabled and backlog_limit; /var/run/auditd.pid; /dev/log
# when it starts its own rsyslogd; and these files, each created and removed
# again at once by its technique (and by the teardown if that failed):
#   /etc/cron.d/auditeql-e2e.MARKER      a comment line (the dot in the name
#                                        keeps cron from reading it)
#   /etc/systemd/system/auditeql-e2e-MARKER.service
#                                        a unit with no command, never loaded
#   /etc/ld.so.preload                   empty (preloads nothing); only when
#                                        the file does not exist already
#   /usr/bin/auditeql-e2e-MARKER[.new]   copies of /usr/bin/true
# The authorized_keys file and the module image are in the temporary
# directory; the module load is refused (the file is not a module).
#
# Environment: KEEP_E2E=1 keeps the temporary directory; E2E_SYSLOG_AUTH_FILE
# and E2E_SYSLOG_DAEMON_FILE when a syslog daemon already owns /dev/log.

set -u
set -o pipefail
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

SELF=$(readlink -f "$0")
HERE=$(dirname "$SELF")
# shellcheck disable=SC2034 # read by the harness
E2E_NAME=e2e_kinds
# shellcheck source=../support/proc_helpers.sh
source "$HERE/../support/proc_helpers.sh"
# shellcheck source=../support/e2e_harness.sh
source "$HERE/../support/e2e_harness.sh"

# The rules of tests/fixtures/e2e_kinds/rules.
RULE_CRON=5be2707f-4cdc-4de1-bc1b-bb263b8ec114
RULE_SYSTEMD=0c80f596-d40f-4ce8-9586-91ba7b88a05e
RULE_PRELOAD=768065be-421d-484d-ac08-1e772bd1865e
RULE_AUTHKEYS=01e6ea81-9243-4e11-a3b0-9e12e6faaa9a
RULE_CONNECT=d99a010d-9789-4527-a0c0-7b4a04010d02
RULE_ACCEPT=e6a342ad-daba-4da0-9252-04f8fca4c8a7
RULE_UID=23ec24c6-dfe4-424a-bfeb-20742738e49a
RULE_MODULE_ATTEMPT=42d7409a-e7d9-469e-a872-95afc010b507
RULE_MODULE_LOADED=f3c2a89d-8f0a-4881-8718-cdafe9c639e9
RULE_RENAME=91c12d89-afc0-4c16-b19d-5c3f7205d059
N_RULES=10
# syslog priority of each rule's alerts (severity low notice, medium warning, high err)
declare -A PRIORITY=(
  [$RULE_CRON]=warning [$RULE_SYSTEMD]=warning [$RULE_PRELOAD]=err [$RULE_AUTHKEYS]=warning
  [$RULE_CONNECT]=warning [$RULE_ACCEPT]=warning [$RULE_UID]=err [$RULE_MODULE_ATTEMPT]=notice
  [$RULE_MODULE_LOADED]=warning [$RULE_RENAME]=warning
)
AUDIT_KEYS='(key=|-k )(bp|aeql)_'

# ---------------------------------------------------------------------------
# Techniques and what they must raise. One row per (technique, rule):
#   ROW_TECH ROW_RULE ROW_N (alerts expected) ROW_FIELDS (EQL condition every
#   one of them meets) ROW_MARKER
ROW_TECH=() ROW_RULE=() ROW_N=() ROW_FIELDS=() ROW_MARKER=()
declare -A LATENCY=() NOT_RUN=()
TECHNIQUES=()

expect() { # expect TECHNIQUE RULE N FIELDS
  ROW_TECH+=("$1") ROW_RULE+=("$2") ROW_N+=("$3") ROW_FIELDS+=("$4") ROW_MARKER+=("$MARKER")
}
new_marker() { rand_hex; MARKER=$1$RAND; }
# script NAME BODY: a bash script $T/attacks/NAME-MARKER.sh (its path, with
# the marker, is in the arguments of every process it runs)
script() {
  SCRIPT=$T/attacks/$1-$MARKER.sh
  printf '#!/bin/bash\n%s\n' "$2" > "$SCRIPT"
  chmod 0755 "$SCRIPT"
}

# The alerts of our plugin that carry MARKER: SEL = their indexes in A_MSG.
select_marker() {
  local i
  SEL=()
  for i in "${!A_MSG[@]}"; do
    [ "${A_PID[i]}" = "$PLUGIN_PID" ] && [[ ${A_MSG[i]} == "{"*"$1"* ]] && SEL+=("$i")
  done
}
# run_technique NAME WAIT_S COMMAND...: runs it, then waits up to WAIT_S for
# the alerts expected for the current marker; LATENCY[NAME] = when the last of
# them was in syslog. (Late or extra alerts are counted after all techniques.)
run_technique() {
  local name=$1 wait=$2 want=0 i t0 rc deadline
  shift 2
  TECHNIQUES+=("$name")
  for i in "${!ROW_TECH[@]}"; do [ "${ROW_TECH[i]}" = "$name" ] && want=$((want + ROW_N[i])); done
  now_us
  t0=$NOW_US
  "$@" > "$T/out/$name.out" 2>&1
  rc=$?
  [ "$rc" = 0 ] || info "$name: command exited $rc: $(head -c 300 "$T/out/$name.out")"
  deadline=$((t0 + wait * 1000000))
  while :; do
    collect
    select_marker "$MARKER"
    now_us
    [ "${#SEL[@]}" -ge "$want" ] || [ "$NOW_US" -ge "$deadline" ] && break
    nap 0.02
  done
  if [ "${#SEL[@]}" -ge "$want" ] && [ "$want" -gt 0 ]; then
    LATENCY[$name]="$(((NOW_US - t0) / 1000)) ms"
    nap 0.1
  else
    LATENCY[$name]="-"
  fi
  info "$name: ${#SEL[@]} alert(s) for $MARKER ($want expected), in syslog after ${LATENCY[$name]}"
  return "$rc"
}
not_run() { # not_run NAME REASON: a technique this host cannot run safely
  TECHNIQUES+=("$1")
  NOT_RUN[$1]=$2
  info "$1: not run: $2"
}

# eql_count FILE QUERY: EQL_N = lines of FILE matching QUERY (-1 on error)
eql_count() {
  local out
  if ! out=$("$BIN" eql --query "$2" "$1" 2> "$T/out/eql.err"); then
    EQL_N=-1
    info "auditeql eql failed: $(head -c 500 "$T/out/eql.err")"
    return 0
  fi
  EQL_N=$(grep -c $'\ttrue$' <<< "$out")
}

# ---------------------------------------------------------------------------
# main
if [ "${1:-}" = --guard ]; then
  guard_main "$2" "$3" "$4"
  exit 0
fi
BIN_ARG=${1:-}
REPO=${2:-}
if [ -z "$BIN_ARG" ] || [ -z "$REPO" ]; then
  echo "usage: $0 AUDITEQL_BINARY REPO_DIR" >&2
  exit 2
fi
REPO=$(readlink -f "$REPO")
FIXTURE_RULES=$REPO/tests/fixtures/e2e_kinds/rules
PYTHON=/usr/bin/python3

step "preconditions"
[ "$(id -u)" = 0 ] || skip "must run as root (uid $(id -u)): it starts auditd and loads kernel audit rules"
[ -x "$BIN_ARG" ] && [ -f "$BIN_ARG" ] || skip "binary under test not found: $BIN_ARG (build the auditeql target first)"
[ -d "$FIXTURE_RULES" ] || skip "no rule directory $FIXTURE_RULES"
[ -x "$PYTHON" ] || skip "$PYTHON not found (the network, setuid and module techniques are Python scripts)"
e2e_begin
missing=()
command -v auditd > /dev/null 2>&1 && command -v auditctl > /dev/null 2>&1 || missing+=(auditd)
command -v rsyslogd > /dev/null 2>&1 || devlog_listening || missing+=(rsyslog)
ensure_packages "${missing[@]}"
command -v auditd > /dev/null 2>&1 || skip "auditd still missing after installing it"
kernel_audit_ready "$AUDIT_KEYS"
pass "root, $(auditctl -v 2>&1 | head -n 1), kernel audit (enabled=$ORIG_ENABLED, backlog_limit=$ORIG_BACKLOG), no audit daemon registered"

# ---------------------------------------------------------------------------
step "configuration and derived audit rules"
mkdir -p "$T"/{sbin,rules,attacks,data,json}
BIN=$T/sbin/auditeql
cp "$BIN_ARG" "$BIN" && chmod 0750 "$BIN" || abort "cannot copy $BIN_ARG to $BIN"
# auditeql refuses rule files a non-root user could change: root-owned copies
cp "$FIXTURE_RULES"/*.toml "$T/rules/" && chmod 0644 "$T/rules"/*.toml || abort "cannot copy $FIXTURE_RULES"
CONFIG=$T/auditeql.yaml
cat > "$CONFIG" << EOF
rule_directories: [$T/rules]
exception_directories: [$T/exceptions.d]
syslog_facility: authpriv
alert_file: $T/out/alerts.ndjson
audit_rules_costly: [file_syscalls, network]
EOF
chmod 0644 "$CONFIG"
"$BIN" check --config "$CONFIG" > "$T/out/check.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q "rules: $N_RULES enabled" "$T/out/check.out"; then
  pass "auditeql check loads the $N_RULES TOML rules"
else
  sed 's/^/   /' "$T/out/check.out"
  abort "auditeql check rejects the test configuration (exit $rc)"
fi
n_can=$(grep -c '^    can fire$' "$T/out/check.out")
check "auditeql check says every rule can fire ($n_can of $N_RULES)" [ "$n_can" = "$N_RULES" ] \
  || grep -A1 'e2e test' "$T/out/check.out" | grep -v '^    can fire$' | sed 's/^/   /'

RULES_FILE=$T/auditeql.rules
"$BIN" audit-rules --config "$CONFIG" > "$RULES_FILE" 2> "$T/out/audit-rules.err" \
  || abort "auditeql audit-rules failed: $(cat "$T/out/audit-rules.err")"
info "$(cat "$T/out/audit-rules.err")"
# What the techniques need is written in; what no rule needs is not there.
derived() { # derived DESCRIPTION REGEX [absent]: a rule line (not commented out) matches, or none does
  local n
  n=$(grep -cE -- "^$2" "$RULES_FILE")
  if [ "${3:-}" = absent ]; then check "derived audit rules: no $1" [ "$n" = 0 ]; else check "derived audit rules: $1" [ "$n" -gt 0 ]; fi
}
derived "exec rule" '-a always,exit -F arch=b64 -S execve,execveat -F success=1 -k bp_exec$'
derived "watch on /etc/cron.d" '-w /etc/cron.d -p wa '
derived "watch on /etc/systemd/system" '-w /etc/systemd/system -p wa '
derived "rule for the file /etc/ld.so.preload" '-a always,exit -F path=/etc/ld.so.preload -F perm=wa '
derived "watch on /usr/bin" '-w /usr/bin -p wa '
derived "deletions anywhere (authorized_keys names no directory)" '-a always,exit -F arch=b64 -S unlink,unlinkat,rmdir -F success=1 -k aeql_file$'
derived "connects, whatever their result" '-a always,exit -F arch=b64 -S connect -k aeql_net$'
derived "accepts" '-a always,exit -F arch=b64 -S accept,accept4 -F success=1 -k aeql_net$'
derived "binds (the local end of an accept)" '-a always,exit -F arch=b64 -S bind -F success=1 -k aeql_net$'
derived "set*uid calls" '-a always,exit -F arch=b64 -S setuid,setreuid,setresuid -F success=1 -k aeql_id$'
derived "module loads, whatever their result" '-a always,exit -F arch=b64 -S init_module,finit_module -k aeql_module$'
derived "creations anywhere (every creation rule names its directories)" '-a .* -S openat -F a2&0x40' absent
derived "renames anywhere (the rename rule names its directories)" '-a .* -S rename' absent
derived "gid or session changes, exits or signals" '-a .* -S (setgid|setsid|exit_group|kill)' absent
# The plugin learns the inodes of the watched directories the file suggests.
wd=$(sed -n 's/^##   watched_directories: //p' "$RULES_FILE")
[ -n "$wd" ] && printf 'watched_directories: %s\n' "$wd" >> "$CONFIG"
info "plugin configuration: $(tr '\n' ' ' < "$CONFIG")"

# ---------------------------------------------------------------------------
step "syslog, auditd and the plugin"
start_syslog
pass "syslog works ($SYSLOG_MODE)"
start_auditd "$BIN" "$CONFIG"
pass "auditd running (pid $AUDITD_PID), plugin pid $PLUGIN_PID"
if wait_status 0 'started: ([0-9]+) rules' 10; then
  check "plugin started with the $N_RULES rules: '$(printf '%.120s' "$ST_MSG")'" [ "${BASH_REMATCH[1]}" = "$N_RULES" ]
else
  tail -n 10 "$T/out/auditd.stderr" | sed 's/^/   auditd: /'
  abort "the plugin (pid $PLUGIN_PID) logged no 'started' line to syslog within 10 s"
fi
n_lines=$(grep -cE '^-[aw] ' "$RULES_FILE")
check "auditctl -R loads the $n_lines derived audit rules" load_audit_rules "$RULES_FILE" \
  || sed 's/^/   auditctl: /' "$T/out/auditctl-R.out"
auditctl -l > "$T/out/rules.loaded" 2>&1
n_listed=$(grep -cE -- "$AUDIT_KEYS" "$T/out/rules.loaded")
check "auditctl -l lists $n_listed rules with auditeql's keys, as many as the file has" [ "$n_listed" = "$n_lines" ]

# ---------------------------------------------------------------------------
step "techniques"
printf 'auditeql e2e: not a kernel module\n' > "$T/data/not-a-module.ko"
printf '[Unit]\nDescription=auditeql e2e test unit (no command: systemd cannot start it)\n' > "$T/data/unit.service"
chmod 0644 "$T/data"/*

new_marker c
F=/etc/cron.d/auditeql-e2e.$MARKER
if [ -d /etc/cron.d ]; then
  CREATED_PATHS+=("$F") && save_state
  script cron "printf '# auditeql e2e test: no job\\n' > '$F'
rm -f '$F'"
  expect cron-file "$RULE_CRON" 1 "event.action == \"creation\" and file.path == \"$F\" and process.executable == \"$SCRIPT\""
  run_technique cron-file 10 "$SCRIPT"   # the first technique: the pipeline may still be warming up
else
  not_run cron-file "/etc/cron.d does not exist"
fi

new_marker s
F=/etc/systemd/system/auditeql-e2e-$MARKER.service
if [ -d /etc/systemd/system ]; then
  CREATED_PATHS+=("$F") && save_state
  expect systemd-unit "$RULE_SYSTEMD" 1 \
    "event.action == \"creation\" and file.path == \"$F\" and file.extension == \"service\" and process.name == \"cp\""
  script systemd "cp '$T/data/unit.service' '$F'
rm -f '$F'"
  run_technique systemd-unit 5 "$SCRIPT"
else
  not_run systemd-unit "/etc/systemd/system does not exist"
fi

new_marker p
if [ -e /etc/ld.so.preload ] || [ -L /etc/ld.so.preload ]; then
  not_run ld.so.preload "/etc/ld.so.preload exists: the test never touches an existing preload list"
else
  CREATED_PATHS+=(/etc/ld.so.preload) && save_state
  script ld-preload ": > /etc/ld.so.preload
rm -f /etc/ld.so.preload"
  expect ld.so.preload "$RULE_PRELOAD" 1 \
    "event.action == \"creation\" and file.path == \"/etc/ld.so.preload\" and process.args == \"$SCRIPT\""
  run_technique ld.so.preload 5 "$SCRIPT"
fi

new_marker k
D=$T/home/u$MARKER/.ssh
expect authorized_keys-deletion "$RULE_AUTHKEYS" 1 \
  "event.type == \"deletion\" and file.path == \"$D/authorized_keys\" and file.name == \"authorized_keys\" and file.extension == null and process.name == \"rm\""
script authorized-keys "mkdir -p '$D'
printf 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2eE2e e2e\\n' > '$D/authorized_keys'
rm '$D/authorized_keys'"
run_technique authorized_keys-deletion 5 "$SCRIPT"

new_marker n
# the port and the peer are only known once the script has run: the
# expectations name them afterwards
run_technique_net() {
  run_technique "$@" || return 0
  local out
  out=$(cat "$T/out/connect+accept.out")
  [[ $out =~ port=([0-9]+)\ connect_errno=([0-9]+)\ peer=([0-9.]+):([0-9]+) ]] || return 0
  NET_PORT=${BASH_REMATCH[1]} NET_PEER_PORT=${BASH_REMATCH[4]}
  # a connect still in progress is an attempt of unknown outcome
  [ "${BASH_REMATCH[2]}" = 0 ] && NET_OUTCOME=success || NET_OUTCOME=unknown
  info "listened on port $NET_PORT; the connect returned errno ${BASH_REMATCH[2]}; peer port $NET_PEER_PORT"
}
NET_PORT=0 NET_PEER_PORT=0 NET_OUTCOME=
expect connect+accept "$RULE_CONNECT" 1 x
expect connect+accept "$RULE_ACCEPT" 1 x
run_technique_net connect+accept 5 "$PYTHON" "$HERE/techniques/connect_accept.py" "$MARKER"
ROW_FIELDS[-2]="event.category == \"network\" and destination.ip == \"127.0.0.1\" and destination.port == $NET_PORT and network.direction == \"egress\" and network.type == \"ipv4\" and event.outcome == \"$NET_OUTCOME\" and process.name : \"python*\""
ROW_FIELDS[-1]="destination.ip == \"127.0.0.1\" and destination.port == $NET_PORT and source.ip == \"127.0.0.1\" and source.port == $NET_PEER_PORT and network.direction == \"ingress\" and network.transport == \"tcp\" and process.name : \"python*\""

new_marker u
expect setuid "$RULE_UID" 1 x
run_technique setuid 5 "$PYTHON" "$HERE/techniques/uid_back_to_root.py" "$MARKER"
[[ $(cat "$T/out/setuid.out") =~ parent=([0-9]+)\ child=([0-9]+) ]] && UID_PARENT=${BASH_REMATCH[1]} UID_CHILD=${BASH_REMATCH[2]}
ROW_FIELDS[-1]="process.pid == ${UID_CHILD:-0} and process.parent.pid == ${UID_PARENT:-0} and user.id == \"0\" and process.user.id == \"0\" and process.parent.user.id == \"65534\""

new_marker m
expect module-load-attempt "$RULE_MODULE_ATTEMPT" 1 \
  "event.category == \"driver\" and auditd.data.syscall == \"init_module\" and auditd.result == \"fail\" and process.name : \"python*\""
expect module-load-attempt "$RULE_MODULE_LOADED" 0 "true"
run_technique module-load-attempt 5 "$PYTHON" "$HERE/techniques/module_attempt.py" "$MARKER" "$T/data/not-a-module.ko"

new_marker r
B=/usr/bin/auditeql-e2e-$MARKER
CREATED_PATHS+=("$B" "$B.new") && save_state
expect rename-over-binary "$RULE_RENAME" 1 \
  "file.path == \"$B\" and file.Ext.original.path == \"$B.new\" and file.Ext.original.name == \"auditeql-e2e-$MARKER.new\" and file.Ext.original.extension == \"new\" and process.name == \"mv\""
script rename "cp /usr/bin/true '$B'
cp /usr/bin/true '$B.new'
mv -f '$B.new' '$B'
rm -f '$B'"
run_technique rename-over-binary 5 "$SCRIPT"

# ---------------------------------------------------------------------------
step "alerts"
nap 1   # a late or unexpected alert would be there by now
collect
# rule_object ID: RULE_RE = a regex for the alert's rule object (no object inside it) naming ID
rule_object() { printf -v RULE_RE '"rule":\\{[^}]*"id":"%s"' "$1"; }
# priority_ok RULE INDEX...: the rule's alerts among A_MSG[INDEX...] have its
# facility.severity, authpriv.<low notice, medium warning, high err>
priority_ok() {
  local rule=$1 i
  shift
  rule_object "$rule"
  for i in "$@"; do
    [[ ${A_MSG[i]} =~ $RULE_RE ]] || continue
    case ${A_FS[i]} in
      "authpriv.${PRIORITY[$rule]}") ;;
      "authpriv.?") ;;   # the host's files: the facility only
      *) return 1 ;;
    esac
  done
}
declare -A TOTAL_SEEN=() TOTAL_WANT=()
TABLE=()
for r in "${!ROW_TECH[@]}"; do
  tech=${ROW_TECH[r]} rule=${ROW_RULE[r]} want=${ROW_N[r]}
  select_marker "${ROW_MARKER[r]}"
  json=$T/json/$tech.ndjson
  : > "$json"
  for i in "${SEL[@]}"; do printf '%s\n' "${A_MSG[i]}" >> "$json"; done
  TOTAL_SEEN[$tech]=${#SEL[@]}
  TOTAL_WANT[$tech]=$((${TOTAL_WANT[$tech]:-0} + want))
  got=0
  rule_object "$rule"
  for i in "${SEL[@]}"; do [[ ${A_MSG[i]} =~ $RULE_RE ]] && got=$((got + 1)); done
  eql_count "$json" "any where rule.id == \"$rule\" and (${ROW_FIELDS[r]})"
  fields=$EQL_N
  name=$(sed -n 's/^name = "\(.*\) (e2e test)"$/\1/p' "$(grep -l "^rule_id = \"$rule\"" "$T/rules"/*.toml)")
  if [ "$got" = "$want" ] && [ "$fields" = "$want" ]; then
    pass "$tech: $want alert(s) of '$name', with the expected fields"
    verdict=ok
  else
    fail "$tech: '$name': $got alert(s) in syslog, $want expected; $fields with the expected fields (${ROW_FIELDS[r]})"
    verdict=FAILED
    for i in "${SEL[@]}"; do info "   [${A_FS[i]}] $(printf '%.700s' "${A_MSG[i]}")"; done
  fi
  if [ "$got" -gt 0 ]; then
    check "$tech: '$name' alerts have priority authpriv.${PRIORITY[$rule]}" priority_ok "$rule" "${SEL[@]}" || verdict=FAILED
  fi
  TABLE+=("$(printf '%-26s %-58s %4s %4s  %-8s %s' "$tech" "$name" "$want" "$got" "$verdict" "${LATENCY[$tech]}")")
done
for tech in "${TECHNIQUES[@]}"; do
  [ -n "${TOTAL_WANT[$tech]:-}" ] || continue
  check "$tech: ${TOTAL_SEEN[$tech]} alert(s) with its marker in all, as many as expected (${TOTAL_WANT[$tech]}): none from another rule" \
    [ "${TOTAL_SEEN[$tech]}" = "${TOTAL_WANT[$tech]}" ]
done
for tech in "${!NOT_RUN[@]}"; do
  TABLE+=("$(printf '%-26s %-58s %4s %4s  %-8s' "$tech" "(not run: ${NOT_RUN[$tech]})" - - "not run")")
done

# ---------------------------------------------------------------------------
step "shutdown"
auditctl -l > "$T/out/rules.end" 2>&1
check "audit rules unchanged by other processes during the test" cmp -s "$T/out/rules.loaded" "$T/out/rules.end"
unload_rules
auditctl -l > "$T/out/rules.after" 2>&1
check "audit rules as before the test" cmp -s "$T/out/rules.before" "$T/out/rules.after"
check "the plugin (pid $PLUGIN_PID) ran the whole test" alive "$PLUGIN_PID" "$PLUGIN_START"
plugin=$PLUGIN_PID plugin_start=$PLUGIN_START
stop_auditd
check "plugin exited with auditd" gone "$plugin" "$plugin_start"
for f in "${CREATED_PATHS[@]}"; do check "$f removed by its technique" [ ! -e "$f" ]; done
if grep '^auditeql: ' "$T/out/auditd.stderr" | grep -qi -e error -e warning; then
  info "errors or warnings on the plugin's stderr:"
  grep '^auditeql: ' "$T/out/auditd.stderr" | grep -i -e error -e warning | head -n 5 | sed 's/^/     /'
fi
lost=$(kstat lost)
[ "$lost" = "$(awk '$1 == "lost" { print $2 }' "$T/out/auditctl-s.before")" ] || info "the kernel audit lost counter moved to $lost"

printf '\n== technique -> alerts in syslog\n'
printf '   %-26s %-58s %4s %4s  %-8s %s\n' technique rule want got verdict "in syslog after"
for l in "${TABLE[@]}"; do printf '   %s\n' "$l"; done
[ "${#NOT_RUN[@]}" = 0 ] || printf '   NOTE: %d technique(s) not run on this host: %s\n' "${#NOT_RUN[@]}" "${!NOT_RUN[*]}"
teardown
summary
[ "$FAILS" = 0 ]
