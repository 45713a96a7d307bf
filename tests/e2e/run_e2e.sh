#!/bin/bash
# run_e2e.sh -- end-to-end test of auditeql as a real auditd plugin.
#
#   run_e2e.sh AUDITEQL_BINARY REPO_DIR        (CTest test "e2e")
#
# Starts a private auditd (`auditd -f -c <tmp>/conf`) whose plugins.d runs the
# binary under test, loads the project's audit rules, runs five
# boot-persistence techniques and two benign look-alikes on this machine, and
# a sequence rule written for the test (an exec, then a file creation by the
# same process.entity_id within its maxspan; the same activity spread beyond
# the maxspan must not alert), and checks what arrives in SYSLOG: the alerts (ident auditeql, facility
# authpriv, priority notice for these low-severity rules, one JSON object per
# line), the SIGHUP reload diagnostics and the SIGUSR1 statistics (facility
# daemon). Then it kills the plugin twice so that auditd restarts it, first
# with a rule file any user can write, then with an error in the
# configuration: each time the plugin must start with what loads, raise its
# "auditeql: configuration refused" alert (authpriv.err) again and again, and
# still alert on an attack; a SIGHUP that loads everything stops the alerts. When nothing listens on /dev/log a private rsyslogd is started and
# writes everything to <tmp>/out/syslog.log.
#
# Exit status: 0 every assertion passed, 1 one failed, 77 skipped (a line
# "SKIPPED: e2e: <reason>" says why: not root, no kernel audit, another audit
# daemon running, packages missing and not installable, ...).
#
# What it changes on the machine, all undone on exit (trap), and by a detached
# guard process if this script is killed (e.g. by a CTest timeout):
#   - the kernel audit state: the rules it loads (removed one by one with the
#     exact same spec), `enabled` (restored), the backlog limit (raised to 8192
#     while it runs, restored);
#   - /var/run/auditd.pid (written by auditd itself, removed when it stops);
#   - /dev/log, only when it had to start its own rsyslogd;
#   - files it creates in /boot and /usr/lib/dracut/modules.d, and the watched
#     directories it had to create;
#   - packages: auditd, rsyslog and cpio are installed with apt-get when missing
#     (their services are not started: a temporary policy-rc.d forbids it).
# It only signals processes it started, identified by pid and start time.
# It holds /run/lock/auditeql-kernel-audit.lock while it runs (tests/packaging
# takes the same lock), skips when auditeql's audit rules (keys bp_*) are
# already loaded, and fails loudly when another process changes the audit
# rules or signals its auditd while it runs (the results would be meaningless).
#
# Environment:
#   KEEP_E2E=1                  keep the temporary directory (configs, syslog,
#                               auditd/plugin stderr, alert file) for debugging
#   E2E_SYSLOG_AUTH_FILE, E2E_SYSLOG_DAEMON_FILE
#                               when a syslog daemon already listens on /dev/log:
#                               the files where it writes authpriv and daemon
#                               messages (default: /var/log/auth.log and
#                               /var/log/syslog when rsyslogd runs)

set -u
set -o pipefail
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

SELF=$(readlink -f "$0")

# The five rules (conf/rules/*.yaml) and the test-only canary rule.
RULE_BOOT_COPY=5bda8597-69a6-4b9e-87a2-69a7c963ea83
RULE_CPIO=17b3fcd1-90fb-4f5d-858c-dc1d998fa368
RULE_DRACUT_MODULE=dc765fb2-0c99-4e57-8c11-dafdf1992b66
RULE_UNMKINITRAMFS=c5fc788c-7576-4a02-b3d6-d2c016eb85a6
RULE_MANUAL_DRACUT=834ee026-f9f9-4ec7-b5e0-7fbfe84765f4
CANARY_ID=e2e00000-0000-4000-8000-00000000ca11
CANARY_TAG=e2ecanary
# The test's sequence rule: a program in the test's bin directory that,
# within 2 s of its exec, creates a file in /boot itself (the same
# process.entity_id on the same host.id).
RULE_SEQUENCE=e2e00000-0000-4000-8000-0000000005e9
SEQUENCE_MAXSPAN_S=2
RULES_RUNNING=7   # the five, the canary, the sequence rule
DRACUT_MODULES=/usr/lib/dracut/modules.d

# ----------------------------------------------------------------------------
# state (saved to $T/state for the guard process)
T=
KEEP=${KEEP_E2E:-0}
AUDITD_PID= AUDITD_START=
PLUGIN_PID= PLUGIN_START=
RSYS_PID= RSYS_START=
CREATED_DEVLOG=0
POLICY_RC_CREATED=0
ORIG_ENABLED= ORIG_BACKLOG=
RULES_LOADED=()      # each entry: one rule line exactly as loaded
CREATED_DIRS=()      # directories this test created outside $T (parents first)
CREATED_PATHS=()     # files/directories created in /boot and the dracut tree
GUARD_PID=
LOCK_FD=
CLEANED=0

save_state() {
  [ -n "$T" ] && [ -d "$T" ] || return 0
  {
    declare -p T KEEP AUDITD_PID AUDITD_START PLUGIN_PID PLUGIN_START RSYS_PID RSYS_START CREATED_DEVLOG \
      POLICY_RC_CREATED ORIG_ENABLED ORIG_BACKLOG RULES_LOADED CREATED_DIRS CREATED_PATHS CLEANED
  } > "$T/state.new" 2>/dev/null && mv -f "$T/state.new" "$T/state"
}

# ----------------------------------------------------------------------------
# output and assertions
PASSES=0 FAILS=0
FAILED=()
LATENCIES=()
T_BEGIN=${EPOCHREALTIME/./}

# shared helpers: log/step/info, nap, now_us, rand_hex, proc_info, alive, children_of, stop_pid, kstat, devlog_listening
# shellcheck source=../support/proc_helpers.sh
source "$(dirname "$(readlink -f "$0")")/../support/proc_helpers.sh"
pass() { PASSES=$((PASSES + 1)); printf 'PASS: %s\n' "$*"; }
fail() { FAILS=$((FAILS + 1)); FAILED+=("$*"); printf 'FAIL: %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: PASS when the command succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; return 1; fi
}
contains() { [[ $1 == *"$2"* ]]; }
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
alert_time_ms() { # the @timestamp of an alert line, in ms since the epoch (0 when absent)
  local ts
  [[ $1 =~ \"@timestamp\":\"([^\"]+)\" ]] && ts=${BASH_REMATCH[1]}
  date -u -d "${ts:-@0}" +%s%3N 2> /dev/null || echo 0
}
matches() { [[ $1 =~ $2 ]]; }
is_daemon() { [[ $1 == daemon.* ]]; }
skip() {
  printf '\n*****************************************************************\n'
  printf 'SKIPPED: e2e: %s\n' "$*"
  printf '*****************************************************************\n'
  exit 77
}
abort() { # a failure the rest of the test cannot run without
  fail "$*"
  teardown
  summary
  exit 1
}
summary() {
  local now=${EPOCHREALTIME/./}
  printf '\n== summary\n'
  local l
  for l in "${LATENCIES[@]}"; do printf '   latency %s\n' "$l"; done
  for l in "${FAILED[@]}"; do printf '   failed: %s\n' "$l"; done
  printf '%s: %d passed, %d failed, %d.%01ds\n' "$([ "$FAILS" = 0 ] && echo "E2E PASSED" || echo "E2E FAILED")" \
    "$PASSES" "$FAILS" $(((now - T_BEGIN) / 1000000)) $(((now - T_BEGIN) / 100000 % 10))
}

# ----------------------------------------------------------------------------
# small helpers (builtins where they run in polling loops: every fork+exec on
# this machine is an audit event the plugin has to process)
SLEEP_FD=

gone() { ! alive "$1" "$2"; }

# ----------------------------------------------------------------------------
# teardown: runs from the EXIT trap, or from the guard process when this script
# was killed. Idempotent.
teardown() {
  [ "$CLEANED" = 1 ] && return 0
  local i r
  local -a w
  log ""
  log "== teardown"
  # 1. audit rules, newest first, each removed with its own spec
  for ((i = ${#RULES_LOADED[@]} - 1; i >= 0; i--)); do
    r=${RULES_LOADED[i]}
    read -r -a w <<< "$r"
    case "${w[0]}" in
      -a) w[0]=-d ;;
      -w) w[0]=-W ;;
      *) continue ;;
    esac
    auditctl "${w[@]}" > /dev/null 2>&1 || log "   could not remove audit rule: $r"
  done
  RULES_LOADED=()
  save_state
  # 2. auditd, then its plugin (auditd does not wait for its plugins)
  if [ -n "$AUDITD_PID" ]; then
    if alive "$AUDITD_PID" "$AUDITD_START"; then
      stop_pid "$AUDITD_PID" "$AUDITD_START" auditd 15
      log "   auditd (pid $AUDITD_PID) stopped"
    fi
    if [ -f /var/run/auditd.pid ] && [ "$(cat /var/run/auditd.pid 2>/dev/null)" = "$AUDITD_PID" ]; then
      rm -f /var/run/auditd.pid
    fi
  fi
  if [ -n "$PLUGIN_PID" ]; then
    for ((i = 0; i < 100; i++)); do alive "$PLUGIN_PID" "$PLUGIN_START" || break; nap 0.05; done
    if alive "$PLUGIN_PID" "$PLUGIN_START"; then
      log "   plugin (pid $PLUGIN_PID) still running 5s after auditd stopped: stopping it"
      stop_pid "$PLUGIN_PID" "$PLUGIN_START" plugin 5
    fi
  fi
  # a registration left by an auditd that died without unregistering
  local kpid
  kpid=$(kstat pid)
  if [ -n "$AUDITD_PID" ] && [ "$kpid" = "$AUDITD_PID" ]; then auditctl -m "auditeql-e2e teardown" > /dev/null 2>&1; fi
  AUDITD_PID= PLUGIN_PID=
  # 3. kernel audit settings
  if [ -n "$ORIG_BACKLOG" ] && [ "$(kstat backlog_limit)" != "$ORIG_BACKLOG" ]; then
    auditctl -b "$ORIG_BACKLOG" > /dev/null 2>&1 || log "   could not restore backlog_limit $ORIG_BACKLOG"
  fi
  if [ -n "$ORIG_ENABLED" ] && [ "$ORIG_ENABLED" != 2 ] && [ "$(kstat enabled)" != "$ORIG_ENABLED" ]; then
    auditctl -e "$ORIG_ENABLED" > /dev/null 2>&1 || log "   could not restore enabled=$ORIG_ENABLED"
  fi
  # 4. our rsyslogd and its /dev/log
  if [ -n "$RSYS_PID" ]; then
    alive "$RSYS_PID" "$RSYS_START" && log "   stopping rsyslogd (pid $RSYS_PID)"
    stop_pid "$RSYS_PID" "$RSYS_START" rsyslogd 10
    RSYS_PID=
  fi
  if [ "$CREATED_DEVLOG" = 1 ] && [ -S /dev/log ] && ! devlog_listening; then rm -f /dev/log; fi
  CREATED_DEVLOG=0
  # 5. files and directories created outside the temporary directory
  for ((i = ${#CREATED_PATHS[@]} - 1; i >= 0; i--)); do rm -rf -- "${CREATED_PATHS[i]}"; done
  CREATED_PATHS=()
  for ((i = ${#CREATED_DIRS[@]} - 1; i >= 0; i--)); do
    rmdir -- "${CREATED_DIRS[i]}" 2> /dev/null || log "   left ${CREATED_DIRS[i]} (not empty)"
  done
  CREATED_DIRS=()
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
  # 6. the kernel state as we found it?
  log "   audit: enabled=$(kstat enabled) pid=$(kstat pid) backlog_limit=$(kstat backlog_limit); rules now: $(auditctl -l 2>/dev/null | tr '\n' ';')"
  CLEANED=1
  save_state
  if [ -n "$SLEEP_FD" ]; then exec {SLEEP_FD}>&-; SLEEP_FD=; fi
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$KEEP" = 1 ]; then
      log "   kept $T (KEEP_E2E=1)"
    else
      rm -rf -- "$T"
    fi
  fi
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM HUP
  teardown
  if [ -n "$GUARD_PID" ] && proc_info "$GUARD_PID" && [ "$P_PPID" != "$$" ]; then
    kill -TERM "$GUARD_PID" 2> /dev/null
  fi
  exit "$rc"
}

# The guard: detached from this script's process tree (so that a CTest
# timeout, which kills the tree, does not kill it), it waits for this script
# to end and tears down whatever the state file says is still set up.
guard_main() {
  local main=$1 main_start=$2 state=$3
  while alive "$main" "$main_start"; do sleep 1; done
  [ -f "$state" ] || exit 0
  # shellcheck disable=SC1090
  . "$state"
  [ "$CLEANED" = 1 ] && exit 0
  exec >> "$T/guard.log" 2>&1
  log "run_e2e.sh (pid $main) ended without cleaning up: tearing down"
  local lock_fd
  exec {lock_fd}> /run/lock/auditeql-kernel-audit.lock && flock -w 30 "$lock_fd"
  KEEP=1   # keep the evidence
  teardown
}

start_guard() {
  proc_info $$
  local start=$P_START
  # not holding the lock (it takes it again when it has to tear down)
  (
    [ -n "$LOCK_FD" ] && exec {LOCK_FD}>&-
    [ -n "$SLEEP_FD" ] && exec {SLEEP_FD}>&-
    setsid "$SELF" --guard $$ "$start" "$T/state" < /dev/null > /dev/null 2>&1 &
    echo $! > "$T/guard.pid"
  )
  GUARD_PID=$(cat "$T/guard.pid" 2> /dev/null)
}

# ----------------------------------------------------------------------------
# syslog: collected with builtins into arrays.
#   SYS_SRC_FILE[i], SYS_SRC_FAC[i] ("parse": the private template's first
#   field is facility.severity; else a fixed label for the whole file)
#   A_FS[], A_PID[], A_MSG[]: every line with ident auditeql (pid from the tag)
#   RAW[]: every line
SYS_SRC_FILE=() SYS_SRC_FAC=() SYS_FD=() SYS_PARTIAL=()
A_FS=() A_PID=() A_MSG=() RAW=()
SYSLOG_MODE=

add_line() {
  local src=$1 raw=$2 fs rest pid
  RAW+=("$raw")
  [[ $raw == *" auditeql["*"]: "* ]] || return 0
  if [ "${SYS_SRC_FAC[src]}" = parse ]; then fs=${raw%% *}; else fs=${SYS_SRC_FAC[src]}; fi
  rest=${raw#* auditeql\[}
  pid=${rest%%\]: *}
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  A_FS+=("$fs") A_PID+=("$pid") A_MSG+=("${rest#*\]: }")
}
collect() {
  local i line
  for i in "${!SYS_SRC_FILE[@]}"; do
    if [ -z "${SYS_FD[i]:-}" ]; then
      [ -f "${SYS_SRC_FILE[i]}" ] || continue
      local fd
      exec {fd}< "${SYS_SRC_FILE[i]}"
      SYS_FD[i]=$fd
      SYS_PARTIAL[i]=
    fi
    while :; do
      line=
      if IFS= read -r -u "${SYS_FD[i]}" line; then
        add_line "$i" "${SYS_PARTIAL[i]}$line"
        SYS_PARTIAL[i]=
      else
        SYS_PARTIAL[i]+=$line
        break
      fi
    done
  done
}

# select_alerts MARKER MODE: SEL=(indexes of JSON alert lines of our plugin
# (any of its instances) carrying MARKER); MODE real (not the canary rule),
# canary, all (any rule), refused (the plugin's "configuration refused"
# alerts), any (everything)
REFUSED_NAME='"name":"auditeql: configuration refused"'
# The alert's rule object (its keys in name order; no object inside it) with the canary's id.
CANARY_RULE='"rule":\{[^}]*"id":"'"$CANARY_ID"'"'
declare -A OUR_PLUGINS=()
select_alerts() {
  local marker=$1 mode=$2 i msg
  SEL=()
  for i in "${!A_MSG[@]}"; do
    msg=${A_MSG[i]}
    [ -n "${OUR_PLUGINS[${A_PID[i]}]:-}" ] || continue
    [[ $msg == "{"* && $msg == *"$marker"* ]] || continue
    case $mode in
      real) [[ $msg =~ $CANARY_RULE || $msg == *"$REFUSED_NAME"* ]] && continue ;;
      canary) [[ $msg =~ $CANARY_RULE ]] || continue ;;
      all) [[ $msg == *"$REFUSED_NAME"* ]] && continue ;;
      refused) [[ $msg == *"$REFUSED_NAME"* ]] || continue ;;
    esac
    SEL+=("$i")
  done
}
# wait_alerts MARKER MODE T0 FIRST_TIMEOUT_S STRAGGLE_MS: polls syslog;
# FIRST_US = when the first alert was seen (or empty); SEL = final selection
wait_alerts() {
  local marker=$1 mode=$2 t0=$3 first=$4 straggle=$5 deadline
  FIRST_US=
  deadline=$((t0 + first * 1000000))
  while :; do
    collect
    now_us
    select_alerts "$marker" "$mode"
    if [ "${#SEL[@]}" -gt 0 ]; then FIRST_US=$NOW_US; break; fi
    [ "$NOW_US" -ge "$deadline" ] && break
    nap 0.02
  done
  if [ -n "$FIRST_US" ]; then
    deadline=$((NOW_US + straggle * 1000))
    while now_us && [ "$NOW_US" -lt "$deadline" ]; do nap 0.05; done
    collect
    select_alerts "$marker" "$mode"
  fi
}
# wait_status FROM REGEX SECONDS: a non-alert line of our plugin, index >=
# FROM, matching the bash regex; sets ST_IDX, ST_MSG, ST_FS
wait_status() {
  local from=$1 re=$2 secs=$3 i deadline
  now_us
  deadline=$((NOW_US + secs * 1000000))
  ST_IDX= ST_MSG= ST_FS=
  while :; do
    collect
    for ((i = from; i < ${#A_MSG[@]}; i++)); do
      [ "${A_PID[i]}" = "$PLUGIN_PID" ] || continue
      [[ ${A_MSG[i]} == "{"* ]] && continue
      if [[ ${A_MSG[i]} =~ $re ]]; then
        ST_IDX=$i ST_MSG=${A_MSG[i]} ST_FS=${A_FS[i]}
        return 0
      fi
    done
    now_us
    [ "$NOW_US" -ge "$deadline" ] && return 1
    nap 0.05
  done
}
# the JSON payloads of SEL into a file, for `auditeql eql`
sel_to_file() {
  local i
  : > "$1"
  for i in "${SEL[@]}"; do printf '%s\n' "${A_MSG[i]}" >> "$1"; done
}
# eql_count FILE QUERY: EQL_N = number of payloads matching the query (-1 on error)
eql_count() {
  local out
  if ! out=$("$BIN" eql --query "$2" "$1" 2> "$T/out/eql.err"); then
    EQL_N=-1
    info "auditeql eql failed: $(head -c 500 "$T/out/eql.err")"
    return 0
  fi
  EQL_N=$(grep -c $'\ttrue$' <<< "$out")
}
show_sel() { # print the selected alert lines (shortened) for a failure report
  local i
  for i in "${SEL[@]}"; do info "   [${A_FS[i]}] $(printf '%.600s' "${A_MSG[i]}")"; done
}
facility_ok() { # every selected line has the expected facility.severity
  local i want=$1
  for i in "${SEL[@]}"; do
    case "${A_FS[i]}" in
      "$want") ;;
      "${want%%.*}.?") [ "$SYSLOG_MODE" = host ] || return 1 ;;   # host files: facility only
      *) return 1 ;;
    esac
  done
}

# ----------------------------------------------------------------------------
# one attack: runs the command, waits for the alerts, checks them.
#   attack NAME MARKER RULE_ID EXPECTED FIELD_QUERY COMMAND...
attack() {
  local name=$1 marker=$2 rule=$3 expected=$4 fields=$5
  shift 5
  local t0 rc lat file="$T/json/$name.ndjson"
  now_us
  t0=$NOW_US
  "$@" > "$T/out/$name.out" 2>&1
  rc=$?
  [ "$rc" = 0 ] || info "command exited $rc: $(head -c 300 "$T/out/$name.out")"
  wait_alerts "$marker" real "$t0" 5 1500
  if [ -n "$FIRST_US" ]; then
    lat=$(((FIRST_US - t0) / 1000))
    LATENCIES+=("$name: ${lat} ms")
    info "first alert in syslog ${lat} ms after the command started"
  else
    LATENCIES+=("$name: no alert within 5 s")
  fi
  if [ "${#SEL[@]}" = "$expected" ]; then
    pass "$name: exactly $expected alert(s) in syslog within 5 s (marker $marker)"
  else
    fail "$name: expected exactly $expected alert(s) in syslog for marker $marker, got ${#SEL[@]}"
    show_sel
    [ "${#SEL[@]}" = 0 ] && diagnose_missing "$marker"
  fi
  [ "${#SEL[@]}" -gt 0 ] || return 0
  check "$name: facility.priority authpriv.notice (low severity)" facility_ok authpriv.notice || show_sel
  sel_to_file "$file"
  eql_count "$file" "any where rule.id == \"$rule\""
  check "$name: all $expected from rule $rule (got $EQL_N)" [ "$EQL_N" = "$expected" ]
  eql_count "$file" "any where rule.id == \"$rule\" and ($fields)"
  check "$name: alert fields ($fields)" [ "$EQL_N" = "$expected" ] || show_sel
}
# benign NAME MARKER PARENT_QUERY COMMAND...: no real rule may alert; the
# canary rule shows the event was processed and how its parent was named.
benign() {
  local name=$1 marker=$2 parent=$3
  shift 3
  local t0 done_us rc file="$T/json/$name.ndjson"
  now_us
  t0=$NOW_US
  "$@" > "$T/out/$name.out" 2>&1
  rc=$?
  [ "$rc" = 0 ] || info "command exited $rc: $(head -c 300 "$T/out/$name.out")"
  now_us
  done_us=$NOW_US
  wait_alerts "$marker" canary "$t0" 5 200
  if [ -n "$FIRST_US" ]; then
    pass "$name: the event reached the plugin (canary alert after $(((FIRST_US - t0) / 1000)) ms)"
    sel_to_file "$file"
    eql_count "$file" "any where $parent"
    check "$name: parent seen as expected ($parent)" [ "$EQL_N" -ge 1 ] || show_sel
  else
    fail "$name: the canary rule saw no event for marker $marker within 5 s (cannot tell whether the exclusion worked)"
    diagnose_missing "$marker"
  fi
  # at least 3 s after the command finished, no real alert for the marker
  while now_us && [ "$NOW_US" -lt $((done_us + 3000000)) ]; do nap 0.05; done
  collect
  select_alerts "$marker" real
  if [ "${#SEL[@]}" = 0 ]; then
    pass "$name: no alert in syslog 3 s after the command"
  else
    fail "$name: ${#SEL[@]} unexpected alert(s) in syslog"
    show_sel
  fi
}
# find_plugin_child [OLD_PID]: PLUGIN_PID/PLUGIN_START = auditd's child running
# $BIN (other than OLD_PID), within 5 s. auditd starts a plugin again when it
# finds it dead on its next write to it: execs give it events to write.
find_plugin_child() {
  local old=${1:-} i c
  PLUGIN_PID= PLUGIN_START=
  for ((i = 0; i < 250; i++)); do
    children_of "$AUDITD_PID"
    for c in "${CHILDREN[@]}"; do
      [ "$c" != "$old" ] || continue
      if [ "$(readlink "/proc/$c/exe" 2> /dev/null)" = "$BIN" ]; then PLUGIN_PID=$c; break; fi
    done
    [ -n "$PLUGIN_PID" ] && break
    [ -n "$old" ] && /bin/true "restart-$CANARY_TAG"
    nap 0.02
  done
  [ -n "$PLUGIN_PID" ] || return 1
  proc_info "$PLUGIN_PID" && PLUGIN_START=$P_START
  OUR_PLUGINS[$PLUGIN_PID]=1
  save_state
}
# restart_plugin: SIGKILL the plugin (a crash) and wait for auditd to start
# it again and for its "started" line; RESTART_FROM = syslog index before it
restart_plugin() {
  local old=$PLUGIN_PID old_start=$PLUGIN_START i
  RESTART_FROM=${#A_MSG[@]}
  kill -KILL "$old"
  for ((i = 0; i < 100; i++)); do gone "$old" "$old_start" && break; nap 0.05; done
  find_plugin_child "$old" || abort "auditd did not start the plugin again within 5 s of its crash: $(grep -i plugin "$T/out/auditd.stderr" | tail -n 3 | tr '\n' ' ')"
  if wait_status "$RESTART_FROM" 'started: ([0-9]+) rules' 10; then
    pass "auditd restarted the plugin (pid $old -> $PLUGIN_PID): '$(printf '%.120s' "$ST_MSG")'"
  else
    fail "the restarted plugin (pid $PLUGIN_PID) logged no 'started' line within 10 s"
    grep '^auditeql: ' "$T/out/auditd.stderr" | tail -n 5 | sed 's/^/     /'
  fi
}
# wait_refused FILE FROM COUNT SECONDS: SEL = the current plugin's "configuration
# refused" alerts naming FILE, from syslog index FROM; true once COUNT arrived
wait_refused() {
  local file=$1 from=$2 want=$3 secs=$4 i deadline msg
  now_us
  deadline=$((NOW_US + secs * 1000000))
  while :; do
    collect
    SEL=()
    for ((i = from; i < ${#A_MSG[@]}; i++)); do
      [ "${A_PID[i]}" = "$PLUGIN_PID" ] || continue
      msg=${A_MSG[i]}
      [[ $msg == "{"*"$REFUSED_NAME"* && $msg == *"\"file\":{\"path\":\"$file\"}"* ]] && SEL+=("$i")
    done
    [ "${#SEL[@]}" -ge "$want" ] && return 0
    now_us
    [ "$NOW_US" -ge "$deadline" ] && return 1
    nap 0.05
  done
}
# check_refused NAME FILE ERROR_GLOB: the restarted plugin raises its alert for
# FILE at once and again after the interval (2 s), with authpriv.err
check_refused() {
  local name=$1 file=$2 error=$3 t_first t_second json="$T/json/refused-$1.ndjson"
  if wait_refused "$file" "$RESTART_FROM" 1 5; then
    pass "$name: 'auditeql: configuration refused' alert in syslog naming $file"
    check "$name: refused alert with facility.priority authpriv.err (high)" facility_ok authpriv.err || show_sel
    sel_to_file "$json"
    eql_count "$json" "any where event.kind == \"alert\" and rule.name == \"auditeql: configuration refused\" and file.path == \"$file\" and error.message : \"$error\" and auditeql.refused_at == \"start\""
    check "$name: the alert is one JSON object with the file and the error ($error)" [ "$EQL_N" = 1 ] || show_sel
  else
    fail "$name: no 'configuration refused' alert naming $file within 5 s of the restart"
    return 0
  fi
  if wait_refused "$file" "$RESTART_FROM" 2 6; then
    # by the alerts' own @timestamp (when they were raised)
    t_first=$(alert_time_ms "${A_MSG[${SEL[0]}]}")
    t_second=$(alert_time_ms "${A_MSG[${SEL[1]}]}")
    check "$name: the alert repeats at the configured 2 s ($((t_second - t_first)) ms later)" \
      in_range $((t_second - t_first)) 1500 3500
  else
    fail "$name: the 'configuration refused' alert did not repeat within 6 s (interval 2 s)"
  fi
  check "$name: plugin (pid $PLUGIN_PID) still running" alive "$PLUGIN_PID" "$PLUGIN_START"
}

# After a missing alert: did the plugin get the records at all?
diagnose_missing() {
  local marker=$1
  info "diagnosis for $marker:"
  info "  records with the marker in auditd's output: $(grep -c -F "$marker" "$T/out/auditd.stdout" 2> /dev/null)"
  info "  in the alert file: $(grep -c -F "$marker" "$T/out/alerts.ndjson" 2> /dev/null)"
  info "  plugin alive: $(alive "$PLUGIN_PID" "$PLUGIN_START" && echo yes || echo NO); audit lost=$(kstat lost)"
  info "  plugin stderr (last lines):"
  tail -n 5 "$T/out/auditd.stderr" 2> /dev/null | sed 's/^/        /'
}

# ----------------------------------------------------------------------------
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

step "preconditions"
[ "$(id -u)" = 0 ] || skip "must run as root (uid $(id -u)): it starts auditd and loads kernel audit rules"
[ -x "$BIN_ARG" ] && [ -f "$BIN_ARG" ] || skip "binary under test not found: $BIN_ARG (build the auditeql target first)"
[ -d "$REPO/conf/rules" ] || skip "no rule directory $REPO/conf/rules"

T=$(mktemp -d /tmp/auditeql-e2e.XXXXXX) || skip "cannot create a temporary directory"
chmod 0755 "$T"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
mkdir -p "$T"/{conf/plugins.d,log,out,rsyslog,rules.d,exceptions.d,bin,sbin,attacks,json,data/tree/etc}
chmod -R 0755 "$T"
# Tests that drive the kernel audit system must not overlap (tests/packaging
# takes the same lock): held until this script exits.
LOCK=/run/lock/auditeql-kernel-audit.lock
if command -v flock > /dev/null 2>&1 && mkdir -p "$(dirname "$LOCK")" 2> /dev/null && exec {LOCK_FD}> "$LOCK"; then
  if ! flock -n "$LOCK_FD"; then
    info "waiting for $LOCK (another test is using the kernel audit system)"
    flock -w 120 "$LOCK_FD" || skip "another test has held $LOCK for 120 s (it is using the kernel audit system)"
  fi
fi
mkfifo "$T/sleep.fifo" && exec {SLEEP_FD}<> "$T/sleep.fifo"
save_state
start_guard
info "temporary directory $T (guard pid ${GUARD_PID:-?})"

missing=()
for tool in auditd:auditd auditctl:auditd cpio:cpio; do
  command -v "${tool%%:*}" > /dev/null 2>&1 || missing+=("${tool#*:}")
done
if ! command -v rsyslogd > /dev/null 2>&1 && ! devlog_listening; then missing+=(rsyslog); fi
if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  info "installing ${missing[*]} (apt-get; services not started)"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# auditeql e2e: do not start services while installing\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    save_state
  fi
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } > "$T/out/apt.log" 2>&1; then
    tail -n 5 "$T/out/apt.log" | sed 's/^/   apt: /'
    skip "${missing[*]} missing and 'apt-get install -y ${missing[*]}' failed (see the apt output above)"
  fi
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; save_state; fi
  hash -r
  for tool in auditd auditctl cpio; do
    command -v "$tool" > /dev/null 2>&1 || skip "$tool still missing after installing ${missing[*]}"
  done
fi

auditctl -s > "$T/out/auditctl-s.before" 2>&1 \
  || skip "the kernel audit subsystem does not answer (auditctl -s: $(head -n 1 "$T/out/auditctl-s.before")): no CAP_AUDIT_CONTROL, audit=0 or not the initial namespaces"
ORIG_ENABLED=$(kstat enabled)
ORIG_BACKLOG=$(kstat backlog_limit)
LOST_BEFORE=$(kstat lost)
[ "$ORIG_ENABLED" = 2 ] && skip "the kernel audit configuration is locked (enabled=2, set by -e 2 until reboot)"
KPID=$(kstat pid)
if [ -n "$KPID" ] && [ "$KPID" != 0 ]; then
  if proc_info "$KPID" && [ "$P_STATE" != Z ]; then
    skip "another audit daemon is registered with the kernel (pid $KPID, $(cat "/proc/$KPID/comm" 2> /dev/null)); stop it to run this test"
  fi
  auditctl -m "auditeql-e2e: clearing a dead audit daemon registration" > /dev/null 2>&1
  nap 0.2
  [ "$(kstat pid)" = 0 ] || skip "the kernel still names dead audit daemon pid $KPID"
fi
if auditctl -l 2> /dev/null | grep -qE -- '(key=|-k )bp_(exec|fork|boot|dracut)$'; then
  skip "audit rules with auditeql's keys (bp_*) are already loaded: an auditeql installation or another test is using them"
fi
[ -e /var/run/auditd.pid ] && skip "/var/run/auditd.pid exists (an auditd is running or crashed); auditd -f would overwrite it"
[ -d /boot ] || skip "/boot does not exist"
auditctl -l > "$T/out/rules.before" 2>&1
save_state
pass "root, $(auditctl -v 2>&1 | head -n 1), kernel audit (enabled=$ORIG_ENABLED, backlog_limit=$ORIG_BACKLOG), no audit daemon registered"

# ----------------------------------------------------------------------------
step "configuration"
BIN=$T/sbin/auditeql
cp "$BIN_ARG" "$BIN" && chown root:root "$BIN" && chmod 0750 "$BIN" || abort "cannot copy $BIN_ARG to $BIN"
info "binary under test: $BIN_ARG (copied to $BIN, root 0750)"

# The shipped rules: used in place when auditeql would accept them (root
# owned, not writable by others), else copied.
SHIPPED=$REPO/conf/rules
if [ -n "$(find "$SHIPPED" -maxdepth 1 \( ! -uid 0 -o -perm -o+w -o \( -perm -g+w ! -gid 0 \) \) -print -quit)" ]; then
  mkdir -p "$T/shipped-rules" && cp "$SHIPPED"/*.yaml "$T/shipped-rules/" && chmod 0644 "$T/shipped-rules"/*.yaml
  info "$SHIPPED is not root-owned or is writable by others: using a copy in $T/shipped-rules"
  SHIPPED=$T/shipped-rules
fi

cat > "$T/rules.d/e2e-canary.yaml" << EOF
# Test-only rule: every process start with "$CANARY_TAG" in its arguments.
# Shows that an event reached the plugin and how its parent was named, for the
# benign cases where the real rules must stay silent.
id: $CANARY_ID
name: E2E Canary
description: auditeql end-to-end test instrumentation.
ruleset: e2e
severity: low
risk_score: 1
max_signals: 1000
query: |
  process where event.type == "start" and process.args : "*$CANARY_TAG*"
EOF
cat > "$T/rules.d/e2e-sequence.yaml" << EOF
# Test-only sequence rule, in the style of Elastic's: an exec followed within
# $SEQUENCE_MAXSPAN_S s by a file creation of the same process, joined on the
# identity fields Elastic's rules join on.
id: $RULE_SEQUENCE
name: E2E Exec Then Boot File
description: auditeql end-to-end test of sequence rules.
ruleset: e2e
severity: low
risk_score: 21
query: |
  sequence by host.id, process.entity_id with maxspan=${SEQUENCE_MAXSPAN_S}s
    [process where host.os.type == "linux" and event.type == "start" and event.action == "exec" and
     process.executable : "$T/bin/e2e-seq-*"]
    [file where host.os.type == "linux" and event.type == "creation" and file.path : "/boot/auditeql-e2e-*"]
EOF
cat > "$T/auditeql.yaml" << EOF
rule_directories: [$SHIPPED, $T/rules.d]
exception_directories: [$T/exceptions.d]
syslog_facility: authpriv
alert_file: $T/out/alerts.ndjson
EOF
chmod 0644 "$T/auditeql.yaml" "$T/rules.d"/*.yaml
if "$BIN" check --config "$T/auditeql.yaml" > "$T/out/check.out" 2>&1 && grep -q "rules: $RULES_RUNNING enabled" "$T/out/check.out" \
   && grep -q "E2E Exec Then Boot File  \[sequence of 2 stages, maxspan 2000 ms" "$T/out/check.out"; then
  pass "auditeql check accepts the test configuration (5 rules + canary + sequence)"
else
  sed 's/^/   /' "$T/out/check.out"
  abort "auditeql check rejects the test configuration"
fi

cat > "$T/conf/auditd.conf" << EOF
local_events = yes
write_logs = yes
log_file = $T/log/audit.log
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
num_logs = 2
max_log_file = 8
max_log_file_action = ROTATE
priority_boost = 0
space_left = 2
admin_space_left = 1
space_left_action = SYSLOG
admin_space_left_action = SUSPEND
disk_full_action = SUSPEND
disk_error_action = SUSPEND
q_depth = 4000
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $T/conf/plugins.d
end_of_event_timeout = 2
EOF
cat > "$T/conf/plugins.d/auditeql.conf" << EOF
active = yes
direction = out
path = $BIN
type = always
args = $T/auditeql.yaml
format = string
EOF
chmod 0640 "$T/conf/auditd.conf" "$T/conf/plugins.d/auditeql.conf"

# ----------------------------------------------------------------------------
step "syslog"
if [ -e /dev/log ] && devlog_listening; then
  AUTH_FILE=${E2E_SYSLOG_AUTH_FILE:-}
  DAEMON_FILE=${E2E_SYSLOG_DAEMON_FILE:-}
  if [ -z "$AUTH_FILE" ] && [ -z "$DAEMON_FILE" ] && pidof rsyslogd > /dev/null 2>&1 \
     && [ -f /var/log/auth.log ] && [ -f /var/log/syslog ]; then
    AUTH_FILE=/var/log/auth.log DAEMON_FILE=/var/log/syslog
  fi
  [ -n "$AUTH_FILE" ] && [ -f "$AUTH_FILE" ] && [ -n "$DAEMON_FILE" ] && [ -f "$DAEMON_FILE" ] \
    || skip "a syslog daemon already listens on /dev/log ($(readlink -f /dev/log)) and its authpriv/daemon output files are unknown; set E2E_SYSLOG_AUTH_FILE and E2E_SYSLOG_DAEMON_FILE"
  SYSLOG_MODE=host
  SYS_SRC_FILE=("$AUTH_FILE" "$DAEMON_FILE") SYS_SRC_FAC=("authpriv.?" "daemon.?")
  for i in 0 1; do   # read only what is written from now on
    exec {fd}< "${SYS_SRC_FILE[i]}"
    SYS_FD[i]=$fd
    perl -e 'sysseek(STDIN, 0, 2) or exit 1' <&"${SYS_FD[i]}"
    SYS_PARTIAL[i]=
  done
  info "the host's syslog daemon owns /dev/log: reading $AUTH_FILE (authpriv) and $DAEMON_FILE (daemon); priorities cannot be checked"
else
  SYSLOG_MODE=private
  SYSLOG_FILE=$T/out/syslog.log
  cat > "$T/rsyslog/rsyslog.conf" << EOF
global(workDirectory="$T/rsyslog" maxMessageSize="64k")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="e2e" type="string"
         string="%syslogfacility-text%.%syslogseverity-text% %timegenerated:::date-rfc3339% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
*.* action(type="omfile" file="$SYSLOG_FILE" template="e2e")
EOF
  rsyslogd -N1 -f "$T/rsyslog/rsyslog.conf" > "$T/out/rsyslog-check.log" 2>&1 \
    || abort "rsyslogd rejects the test configuration: $(tail -n 2 "$T/out/rsyslog-check.log")"
  [ -e /dev/log ] && info "/dev/log exists but nothing listens on it: replaced by the test's rsyslogd"
  CREATED_DEVLOG=1
  (
    for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
    exec rsyslogd -n -f "$T/rsyslog/rsyslog.conf" -i "$T/rsyslog/rsyslogd.pid"
  ) < /dev/null > "$T/out/rsyslogd.log" 2>&1 &
  RSYS_PID=$!
  proc_info "$RSYS_PID" && RSYS_START=$P_START
  save_state
  for ((i = 0; i < 200; i++)); do devlog_listening && break; alive "$RSYS_PID" "$RSYS_START" || break; nap 0.02; done
  devlog_listening || abort "the test's rsyslogd did not open /dev/log: $(tail -n 3 "$T/out/rsyslogd.log")"
  SYS_SRC_FILE=("$SYSLOG_FILE") SYS_SRC_FAC=(parse)
  info "private rsyslogd pid $RSYS_PID on /dev/log -> $SYSLOG_FILE"
fi
rand_hex
PROBE="probe-$RAND"
now_us
t0=$NOW_US
logger -p authpriv.notice -t auditeql-e2e "$PROBE"
probe_ok=0
for ((i = 0; i < 250; i++)); do
  collect
  for l in "${RAW[@]}"; do [[ $l == *"$PROBE"* ]] && probe_ok=1; done
  [ "$probe_ok" = 1 ] && break
  nap 0.02
done
now_us
[ "$probe_ok" = 1 ] || abort "a logger message did not reach the syslog file within 5 s"
pass "syslog works (logger -> file in $(((NOW_US - t0) / 1000)) ms)"

# ----------------------------------------------------------------------------
step "audit rules file and watched directories"
RULES_FILE=$REPO/rules.d/auditeql.rules
if [ -f "$RULES_FILE" ]; then
  grep -v '^[[:space:]]*\(#\|$\)' "$RULES_FILE" > "$T/audit.rules"
  info "audit rules: $RULES_FILE"
else
  RULES_FILE=$REPO/tests/fixtures/bundle.rules
  sed -n -e 's/^## \(-a .* -k bp_fork\)$/\1/p' -e '/^[[:space:]]*\(#\|$\)/d' -e p "$RULES_FILE" > "$T/audit.rules"
  info "audit rules: $RULES_FILE (with the bp_fork lines enabled; rules.d/auditeql.rules not found)"
fi
grep -q -- '-k bp_fork' "$T/audit.rules" || info "note: no fork tracking rules (bp_fork): subshell parents rely on /proc lookups"
# every watched directory must exist before its -w rule is loaded
while read -r -a w; do
  [ "${w[0]:-}" = -w ] || continue
  d=${w[1]}
  [ -d "$d" ] && continue
  # create the missing levels one by one, remembering each for the teardown
  missing_levels=()
  p=$d
  while [ ! -e "$p" ]; do missing_levels=("$p" "${missing_levels[@]}"); p=$(dirname "$p"); done
  for p in "${missing_levels[@]}"; do
    mkdir "$p" && CREATED_DIRS+=("$p") && save_state
  done
  info "created $d (removed at the end)"
done < "$T/audit.rules"
[ -d "$DRACUT_MODULES" ] || abort "$(basename "$RULES_FILE") has no watch on $DRACUT_MODULES"

# ----------------------------------------------------------------------------
step "auditd and the plugin"
if [ -n "$ORIG_BACKLOG" ] && [ "$ORIG_BACKLOG" -lt 8192 ]; then
  auditctl -b 8192 > /dev/null && info "backlog_limit $ORIG_BACKLOG -> 8192 while the test runs (the rules file expects >= 8192)"
fi
(
  for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
  exec auditd -f -c "$T/conf"
) < /dev/null > "$T/out/auditd.stdout" 2> "$T/out/auditd.stderr" &
AUDITD_PID=$!
proc_info "$AUDITD_PID" && AUDITD_START=$P_START
save_state
for ((i = 0; i < 250; i++)); do
  [ "$(kstat pid)" = "$AUDITD_PID" ] && break
  alive "$AUDITD_PID" "$AUDITD_START" || break
  nap 0.02
done
if [ "$(kstat pid)" != "$AUDITD_PID" ]; then
  sed 's/^/   auditd: /' "$T/out/auditd.stderr" | tail -n 10
  abort "auditd did not register with the kernel within 5 s"
fi
pass "auditd running (pid $AUDITD_PID, enabled=$(kstat enabled))"
find_plugin_child || true
if [ -z "$PLUGIN_PID" ]; then
  sed 's/^/   auditd: /' "$T/out/auditd.stderr" | tail -n 10
  abort "auditd started no plugin child running $BIN within 5 s (auditd skips a plugin silently when its conf or binary is rejected)"
fi
if wait_status 0 'started: ([0-9]+) rules' 10; then
  check "plugin (pid $PLUGIN_PID) started: '$ST_MSG'" [ "${BASH_REMATCH[1]}" = "$RULES_RUNNING" ]
  check "plugin status lines go to facility daemon (got ${ST_FS})" is_daemon "$ST_FS"
else
  sed 's/^/   plugin stderr: /' "$T/out/auditd.stderr" | tail -n 10
  abort "the plugin (pid $PLUGIN_PID) logged no 'started' line to syslog within 10 s"
fi

# ----------------------------------------------------------------------------
step "audit rules"
load_failures=0
while IFS= read -r line; do
  read -r -a w <<< "$line"
  if auditctl "${w[@]}" > "$T/out/auditctl.out" 2>&1; then
    RULES_LOADED+=("$line")
    save_state
  else
    load_failures=$((load_failures + 1))
    info "auditctl rejected: $line: $(tr '\n' ' ' < "$T/out/auditctl.out")"
  fi
done < "$T/audit.rules"
check "loaded all ${#RULES_LOADED[@]} audit rules of $(basename "$RULES_FILE") ($load_failures rejected)" [ "$load_failures" = 0 ]
auditctl -l > "$T/out/rules.loaded" 2>&1
[ "${#RULES_LOADED[@]}" -gt 0 ] || abort "no audit rule could be loaded"

# warm-up: the whole path (kernel -> auditd -> plugin -> syslog) works
rand_hex
m="w$RAND$CANARY_TAG"
now_us
t0=$NOW_US
/bin/true "$m"
wait_alerts "$m" canary "$t0" 10 100
if [ -n "$FIRST_US" ]; then
  pass "pipeline warm-up: a canary exec alerted in $(((FIRST_US - t0) / 1000)) ms"
else
  diagnose_missing "$m"
  abort "pipeline warm-up: no canary alert within 10 s (kernel -> auditd -> plugin -> syslog broken)"
fi

# ----------------------------------------------------------------------------
step "attacks"
printf 'e2e payload\n' > "$T/data/payload"
printf 'x\n' > "$T/data/tree/etc/e2e"
chmod 0644 "$T/data/payload" "$T/data/tree/etc/e2e"
printf '#!/bin/sh\nexit 0\n' > "$T/bin/unmkinitramfs"
printf '#!/bin/bash\nexit 0\n' > "$T/bin/dracut"
chmod 0755 "$T/bin/unmkinitramfs" "$T/bin/dracut"
# attack_script NAME BODY: a bash script (so every alert has a known parent)
attack_script() {
  printf '#!/bin/bash\n%s\nexit 0\n' "$2" > "$T/attacks/$1"
  chmod 0755 "$T/attacks/$1"
  SCRIPT=$T/attacks/$1
}
boot_copy() { # boot_copy NAME MARKER: cp a file to /boot/auditeql-e2e-MARKER from a script
  BOOT_TARGET=/boot/auditeql-e2e-$2
  CREATED_PATHS+=("$BOOT_TARGET")
  save_state
  attack_script "$1-$2.sh" "cp '$T/data/payload' '$BOOT_TARGET'"
}
boot_copy_attack() { # boot_copy_attack NAME MARKER_PREFIX: the copy must raise one Boot File Copy alert
  rand_hex
  local marker=$2$RAND
  boot_copy boot-copy "$marker"
  attack "$1" "$marker" "$RULE_BOOT_COPY" 1 "process.name == \"cp\" and process.args == \"$BOOT_TARGET\"" "$SCRIPT"
  rm -f "$BOOT_TARGET"
}

log "-- a. cp into /boot"
rand_hex
M_A=a$RAND
boot_copy boot-copy "$M_A"
attack boot-file-copy "$M_A" "$RULE_BOOT_COPY" 1 \
  "process.name == \"cp\" and process.args == \"$BOOT_TARGET\" and process.parent.executable == \"$SCRIPT\"" "$SCRIPT"
rm -f "$BOOT_TARGET"

log "-- b. cpio -o -H newc"
rand_hex
M_B=b$RAND
attack_script "cpio-$M_B.sh" "find '$T/data/tree' | cpio -o -H newc -O '$T/out/initrd-$M_B.cpio' 2>/dev/null"
attack initramfs-cpio "$M_B" "$RULE_CPIO" 1 \
  "process.name == \"cpio\" and process.args == \"newc\" and process.parent.executable == \"$SCRIPT\"" "$SCRIPT"

log "-- c. dracut module directory and file"
rand_hex
M_C=c$RAND
MOD_DIR=$DRACUT_MODULES/99e2e-$M_C
CREATED_PATHS+=("$MOD_DIR")
save_state
attack_script "dracut-module-$M_C.sh" "mkdir '$MOD_DIR'
cp '$T/data/payload' '$MOD_DIR/module-setup.sh'"
attack dracut-module "$M_C" "$RULE_DRACUT_MODULE" 2 \
  "event.type == \"creation\" and ((file.path == \"$MOD_DIR\" and process.name == \"mkdir\") or (file.path == \"$MOD_DIR/module-setup.sh\" and process.name == \"cp\"))" \
  "$SCRIPT"
if [ -s "$T/json/dracut-module.ndjson" ]; then
  eql_count "$T/json/dracut-module.ndjson" "any where file.path == \"$MOD_DIR\""
  n_dir=$EQL_N
  eql_count "$T/json/dracut-module.ndjson" "any where file.path == \"$MOD_DIR/module-setup.sh\""
  check "dracut-module: one alert for the directory ($n_dir), one for module-setup.sh ($EQL_N)" [ "$n_dir:$EQL_N" = 1:1 ]
fi
rm -rf "$MOD_DIR"

log "-- d. unmkinitramfs"
rand_hex
M_D=d$RAND
attack_script "unmkinitramfs-$M_D.sh" "'$T/bin/unmkinitramfs' '$T/out/initrd-$M_D' '$T/out/unpacked-$M_D'"
attack unmkinitramfs "$M_D" "$RULE_UNMKINITRAMFS" 1 \
  "process.name == \"unmkinitramfs\" and process.executable == \"$T/bin/unmkinitramfs\" and process.parent.executable == \"$SCRIPT\"" \
  "$SCRIPT"

log "-- e. dracut started from a bash script"
rand_hex
M_E=e$RAND
attack_script "manual-dracut-$M_E.sh" "'$T/bin/dracut' --force '$T/out/initrd-$M_E.img'"
attack manual-dracut "$M_E" "$RULE_MANUAL_DRACUT" 1 \
  "process.name == \"dracut\" and process.executable == \"$T/bin/dracut\" and process.parent.executable == \"$SCRIPT\" and process.parent.name == \"$(basename "$SCRIPT")\"" \
  "$SCRIPT"

log "-- f. sequence: an exec, then a file creation in /boot by the same process within ${SEQUENCE_MAXSPAN_S} s"
# sequence_program MARKER DELAY_S: SEQ_PROGRAM, a program of the sequence
# rule that DELAY_S seconds after its exec creates BOOT_TARGET itself (a
# shell redirection, no cp: the creation's process is the one exec'd)
sequence_program() {
  BOOT_TARGET=/boot/auditeql-e2e-$1
  SEQ_PROGRAM=$T/bin/e2e-seq-$1
  CREATED_PATHS+=("$BOOT_TARGET")
  save_state
  printf '#!/bin/bash\nsleep %s\nprintf x > %s\nexit 0\n' "$2" "'$BOOT_TARGET'" > "$SEQ_PROGRAM"
  chmod 0755 "$SEQ_PROGRAM"
}
rand_hex
M_F=f$RAND
sequence_program "$M_F" 0
attack sequence "$M_F" "$RULE_SEQUENCE" 1 \
  "file.path == \"$BOOT_TARGET\" and process.executable == \"$SEQ_PROGRAM\" and auditeql.sequence.event_count == 2" \
  "$SEQ_PROGRAM"
if [ -s "$T/json/sequence.ndjson" ]; then
  # The match's events: the exec, then the creation, of one process.entity_id
  # (the alert's own, and its join key with this host's id).
  listed=$(perl -MJSON::PP -ne '$a = decode_json($_); $e = $a->{auditeql}{sequence}{events};
    $id = $a->{process}{entity_id} // ""; $key = join(",", @{$a->{auditeql}{sequence}{join_key}});
    print join(" ", scalar(@$e), $e->[0]{event}{action}, $e->[0]{process}{executable}, $e->[1]{event}{action},
      $e->[1]{file}{path}, $id =~ /^[0-9a-f]{32}$/ && $e->[0]{process}{entity_id} eq $id &&
      $e->[1]{process}{entity_id} eq $id ? "same-entity" : "other-entity",
      $key eq $a->{host}{id} . "," . $id ? "keyed" : "key $key"), "\n"' \
    "$T/json/sequence.ndjson" 2>&1)
  check "sequence: the alert lists the exec and the creation of one entity, its join key host.id and process.entity_id ($listed)" \
    [ "$listed" = "2 exec $SEQ_PROGRAM creation $BOOT_TARGET same-entity keyed" ]
fi
rm -f "$BOOT_TARGET"

# ----------------------------------------------------------------------------
step "benign look-alikes"
log "-- a. cp into /boot by a script named update-initramfs (16 characters; comm is cut to 15)"
rand_hex
M_BA=x$RAND$CANARY_TAG
BOOT_TARGET=/boot/auditeql-e2e-$M_BA
CREATED_PATHS+=("$BOOT_TARGET")
save_state
printf '#!/bin/sh\ncp %s %s\nexit 0\n' "'$T/data/payload'" "'$BOOT_TARGET'" > "$T/bin/update-initramfs"
chmod 0755 "$T/bin/update-initramfs"
benign update-initramfs-copy "$M_BA" \
  "process.name == \"cp\" and process.parent.name == \"update-initramfs\" and process.parent.executable == \"$T/bin/update-initramfs\"" \
  "$T/bin/update-initramfs"
rm -f "$BOOT_TARGET"

log "-- b. cpio -H newc in a subshell of a script named mkinitramfs"
rand_hex
M_BB=y$RAND$CANARY_TAG
printf '#!/bin/sh\n( find %s | cpio -o -H newc -O %s 2>/dev/null )\nexit 0\n' "'$T/data/tree'" "'$T/out/initrd-$M_BB.cpio'" > "$T/bin/mkinitramfs"
chmod 0755 "$T/bin/mkinitramfs"
benign mkinitramfs-cpio "$M_BB" \
  "process.name == \"cpio\" and process.parent.name == \"mkinitramfs\" and process.parent.executable == \"$T/bin/mkinitramfs\"" \
  "$T/bin/mkinitramfs"

log "-- c. the same sequence spread beyond its maxspan (the creation $((SEQUENCE_MAXSPAN_S + 1)) s after the exec)"
rand_hex
M_BC=z$RAND$CANARY_TAG
sequence_program "$M_BC" $((SEQUENCE_MAXSPAN_S + 1))
benign sequence-beyond-maxspan "$M_BC" "process.executable == \"$SEQ_PROGRAM\"" "$SEQ_PROGRAM"
rm -f "$BOOT_TARGET"

# ----------------------------------------------------------------------------
step "SIGHUP with a broken exception file"
cat > "$T/exceptions.d/broken.yaml" << EOF
# auditeql e2e: deliberately broken (two 'and' in a row)
- rule_id: $RULE_BOOT_COPY
  description: broken on purpose
  condition: process.name == "cp" and and
EOF
chmod 0644 "$T/exceptions.d/broken.yaml"
cond_line=$(sed -n 4p "$T/exceptions.d/broken.yaml")
BROKEN_POS="$T/exceptions.d/broken.yaml:4:$((${#cond_line} - 2))"   # the second 'and'
from=${#A_MSG[@]}
kill -HUP "$PLUGIN_PID"
if wait_status "$from" "broken\\.yaml:[0-9]+" 5; then
  info "syslog: [$ST_FS] $(printf '%.300s' "$ST_MSG")"
  check "reload error names the file and position $BROKEN_POS" contains "$ST_MSG" "$BROKEN_POS: error:"
  check "reload error logged with facility daemon (got $ST_FS)" is_daemon "$ST_FS"
else
  fail "no syslog line naming broken.yaml within 5 s of SIGHUP"
fi
if wait_status "$from" 'reload failed: keeping the previous ([0-9]+) rules' 5; then
  check "plugin keeps the previous rules: '$ST_MSG'" [ "${BASH_REMATCH[1]}" = "$RULES_RUNNING" ]
else
  fail "no 'reload failed: keeping the previous ... rules' line within 5 s of SIGHUP"
fi
check "plugin still running after the failed reload" alive "$PLUGIN_PID" "$PLUGIN_START"
if wait_refused "$T/exceptions.d/broken.yaml" "$from" 1 5; then
  check "the failed reload raised a 'configuration refused' alert (refused_at reload)" \
    contains "${A_MSG[${SEL[0]}]}" '"refused_at":"reload"' || show_sel
else
  fail "no 'configuration refused' alert naming broken.yaml within 5 s of the failed reload"
fi
log "-- cp into /boot after the failed reload"
boot_copy_attack after-failed-reload h

step "SIGHUP with a valid exception"
rand_hex
M_H2=i$RAND$CANARY_TAG
rand_hex
M_H3=j$RAND
rm -f "$T/exceptions.d/broken.yaml"
cat > "$T/exceptions.d/e2e.yaml" << EOF
# auditeql e2e: silence Boot File Copy for one marker
- rule_id: $RULE_BOOT_COPY
  description: e2e exception for $M_H2
  condition: 'process.args : "*/boot/auditeql-e2e-$M_H2*"'
EOF
chmod 0644 "$T/exceptions.d/e2e.yaml"
from=${#A_MSG[@]}
kill -HUP "$PLUGIN_PID"
if wait_status "$from" 'reloaded .*: ([0-9]+) rules' 5; then
  check "reload succeeded: '$ST_MSG'" [ "${BASH_REMATCH[1]}" = "$RULES_RUNNING" ]
else
  fail "no 'reloaded ...' line within 5 s of SIGHUP"
  wait_status "$from" '.' 0 && info "plugin said: $ST_MSG"
fi
log "-- cp into /boot matching the exception"
boot_copy boot-copy "$M_H2"
benign excepted-copy "$M_H2" "process.name == \"cp\" and process.args == \"$BOOT_TARGET\"" "$SCRIPT"
rm -f "$BOOT_TARGET"
log "-- cp into /boot not matching the exception"
boot_copy boot-copy "$M_H3"
attack not-excepted-copy "$M_H3" "$RULE_BOOT_COPY" 1 "process.name == \"cp\" and process.args == \"$BOOT_TARGET\"" "$SCRIPT"
rm -f "$BOOT_TARGET"

# ----------------------------------------------------------------------------
step "SIGUSR1 statistics"
from=${#A_MSG[@]}
kill -USR1 "$PLUGIN_PID"
if wait_status "$from" '^statistics: records=[0-9]+ ' 5; then
  info "syslog: [$ST_FS] $ST_MSG"
  check "statistics line in syslog, facility daemon (got $ST_FS)" is_daemon "$ST_FS"
  check "statistics count the reloads (reloads=1 failed_reloads=1)" contains "$ST_MSG" " reloads=1 failed_reloads=1"
  select_alerts '"kind":"alert"' all
  n_syslog=${#SEL[@]}
  [[ $ST_MSG =~ \ alerts=([0-9]+)\  ]] && n_stats=${BASH_REMATCH[1]} || n_stats='?'
  check "statistics alerts=$n_stats equals the alerts syslog received ($n_syslog)" [ "$n_stats" = "$n_syslog" ]
  check "statistics show the exception at work (Boot File Copy +1excepted)" \
    matches "$ST_MSG" 'rule\[Boot File Copy\]=[0-9]+(\+[0-9]+throttled)?\+1excepted' 
  check "statistics count the sequence past its maxspan as expired (E2E Exec Then Boot File =1+1expired)" \
    matches "$ST_MSG" 'rule\[E2E Exec Then Boot File\]=1\+1expired( |$)' 
else
  fail "no 'statistics: records=...' line in syslog within 5 s of SIGUSR1"
fi

# ----------------------------------------------------------------------------
step "restart with a rule file any user can write"
# It would switch Boot File Copy off: refused, the rule stays on.
REFUSED_RULE=$T/rules.d/zz-e2e-off.yaml
printf '# auditeql e2e: refused (mode 0666)\nid: %s\nenabled: false\n' "$RULE_BOOT_COPY" > "$REFUSED_RULE"
chmod 0666 "$REFUSED_RULE"
printf 'health_alert_interval_seconds: 2\n' >> "$T/auditeql.yaml"
restart_plugin
check_refused writable-rule "$REFUSED_RULE" "*refusing to load: writable by every user*"
log "-- cp into /boot: the refused override must not have switched the rule off"
boot_copy_attack after-refused-rule r

step "SIGHUP once the file is gone stops the refused alerts"
rm -f "$REFUSED_RULE"
from=${#A_MSG[@]}
kill -HUP "$PLUGIN_PID"
if wait_status "$from" 'reloaded .*: ([0-9]+) rules' 5; then
  check "reload succeeded with all $RULES_RUNNING rules: '$(printf '%.120s' "$ST_MSG")'" [ "${BASH_REMATCH[1]}" = "$RULES_RUNNING" ]
  from=$((ST_IDX + 1))   # one may have come between the signal and the reload
else
  fail "no 'reloaded ...' line within 5 s of SIGHUP"
fi
wait_refused "$REFUSED_RULE" "$from" 1 5
check "no 'configuration refused' alert in the 5 s after the good reload (${#SEL[@]} arrived)" [ "${#SEL[@]}" = 0 ]

step "restart with an error in the configuration"
printf 'e2e_unknown_key: 1\n' >> "$T/auditeql.yaml"
restart_plugin
check_refused config-error "$T/auditeql.yaml" "*unknown key 'e2e_unknown_key'*"
log "-- cpio -o -H newc: the other keys of the configuration apply (the rules, the alert file)"
rand_hex
M_R2=s$RAND
attack_script "cpio-$M_R2.sh" "find '$T/data/tree' | cpio -o -H newc -O '$T/out/initrd-$M_R2.cpio' 2>/dev/null"
attack after-config-error "$M_R2" "$RULE_CPIO" 1 "process.name == \"cpio\" and process.args == \"newc\"" "$SCRIPT"

# ----------------------------------------------------------------------------
step "shutdown"
# Did anything else touch the kernel audit system or our auditd meanwhile?
# (augenrules --load starts with -D; package scripts and `auditctl --signal`
# send auditd SIGHUP, which it passes on to its plugins.)
auditctl -l > "$T/out/rules.end" 2>&1
if ! check "audit rules unchanged by other processes during the test" cmp -s "$T/out/rules.loaded" "$T/out/rules.end"; then
  diff "$T/out/rules.loaded" "$T/out/rules.end" | head -n 20 | sed 's/^/     /'
fi
foreign=$(sed -n 's/.*config change requested by pid=\([0-9]*\).*/\1/p' "$T/out/auditd.stderr" | sort -u | tr '\n' ' ')
check "auditd not reconfigured by other processes during the test (requests from pids: ${foreign:-none})" [ -z "$foreign" ]
for ((i = ${#RULES_LOADED[@]} - 1; i >= 0; i--)); do
  read -r -a w <<< "${RULES_LOADED[i]}"
  case "${w[0]}" in -a) w[0]=-d ;; -w) w[0]=-W ;; esac
  auditctl "${w[@]}" > /dev/null 2>&1 || info "could not remove audit rule (already gone?): ${RULES_LOADED[i]}"
done
RULES_LOADED=()
save_state
auditctl -l > "$T/out/rules.after" 2>&1
check "audit rules as before the test" cmp -s "$T/out/rules.before" "$T/out/rules.after"
from=${#A_MSG[@]}
stop_pid "$AUDITD_PID" "$AUDITD_START" auditd 15
info "auditd stopped"
for ((i = 0; i < 100; i++)); do alive "$PLUGIN_PID" "$PLUGIN_START" || break; nap 0.05; done
check "plugin exited within 5 s of auditd stopping" gone "$PLUGIN_PID" "$PLUGIN_START"
if wait_status "$from" '^stopping \(' 5; then
  pass "plugin logged its final statistics: $(printf '%.160s' "$ST_MSG")"
else
  fail "no 'stopping (...)' line from the plugin in syslog"
fi
select_alerts '"kind":"alert"' any
n_syslog=${#SEL[@]}
n_file=$(grep -c '' "$T/out/alerts.ndjson" 2> /dev/null || echo 0)
check "alert_file holds the same $n_syslog alerts (rules' and refused) as syslog, across $((${#OUR_PLUGINS[@]})) plugin starts (got $n_file)" [ "$n_file" = "$n_syslog" ]
LOST_AFTER=$(kstat lost)
info "kernel audit lost counter: $LOST_BEFORE -> $LOST_AFTER"
# the plugin's own stderr lines (auditd -f mixes its debug output in)
grep '^auditeql: ' "$T/out/auditd.stderr" | grep -v -e 'broken\.yaml' -e 'reload failed' -e 'zz-e2e-off\.yaml' \
  -e 'e2e_unknown_key' -e 'file(s) refused' > "$T/out/plugin-errors" 2>/dev/null
if grep -qi -e error -e warning "$T/out/plugin-errors"; then
  info "errors/warnings on the plugin's stderr:"
  grep -i -e error -e warning "$T/out/plugin-errors" | head -n 5 | sed 's/^/     /'
fi

teardown
summary
[ "$FAILS" = 0 ]
