# shellcheck shell=bash
# Harness for end-to-end tests that run auditeql as the plugin of a private
# auditd (tests/e2e/run_e2e_kinds.sh; written so that other e2e scripts can
# share it). Sourced after proc_helpers.sh; bash only. The sourcing script
# sets E2E_NAME (its CTest name, used in SKIPPED lines) and SELF (its own
# path: the guard process runs `$SELF --guard MAIN_PID MAIN_START STATE`,
# which must call guard_main).
#
# What it sets up, and undoes on exit (EXIT trap) or, when the script is
# killed (a CTest timeout kills the process tree), from a detached guard
# process that reads the state file:
#   - the kernel-audit lock, held while the script runs;
#   - the audit rules it loads (each deleted with its own spec), `enabled`
#     and the backlog limit (restored);
#   - a private auditd (`auditd -f -c $T/conf`) whose plugins.d runs the
#     binary under test, and the plugin it starts;
#   - a private rsyslogd on /dev/log when nothing listens there, writing
#     every message to $T/out/syslog.log as "facility.severity time tag msg";
#   - packages installed when missing (services not started: a temporary
#     policy-rc.d forbids it);
#   - the files named in CREATED_PATHS (removed with rm -f).
# It stops only the processes it started, checked by pid and start time.

E2E_LOCK=/run/lock/auditeql-kernel-audit.lock

# ---------------------------------------------------------------------------
# state (saved to $T/state for the guard)
T=
KEEP=${KEEP_E2E:-0}
AUDITD_PID= AUDITD_START=
PLUGIN_PID= PLUGIN_START=
RSYS_PID= RSYS_START=
CREATED_DEVLOG=0
POLICY_RC_CREATED=0
ORIG_ENABLED= ORIG_BACKLOG=
RULES_LOADED=()   # each entry: one audit rule line exactly as loaded
CREATED_PATHS=()  # files this test created outside $T
GUARD_PID=
LOCK_FD=
SLEEP_FD=
CLEANED=0

gone() { ! alive "$1" "$2"; }

save_state() {
  [ -n "$T" ] && [ -d "$T" ] || return 0
  declare -p T KEEP AUDITD_PID AUDITD_START PLUGIN_PID PLUGIN_START RSYS_PID RSYS_START CREATED_DEVLOG \
    POLICY_RC_CREATED ORIG_ENABLED ORIG_BACKLOG RULES_LOADED CREATED_PATHS CLEANED > "$T/state.new" 2> /dev/null \
    && mv -f "$T/state.new" "$T/state"
}

# ---------------------------------------------------------------------------
# verdicts
PASSES=0 FAILS=0
FAILED=()
T_BEGIN=${EPOCHREALTIME/./}
pass() { PASSES=$((PASSES + 1)); printf 'PASS: %s\n' "$*"; }
fail() { FAILS=$((FAILS + 1)); FAILED+=("$*"); printf 'FAIL: %s\n' "$*"; }
check() { # check DESCRIPTION COMMAND...: PASS when the command succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; return 1; fi
}
skip() {
  printf '\nSKIPPED: %s: %s\n' "$E2E_NAME" "$*"
  exit 77
}
elapsed() { # elapsed SINCE_US: "12.3s"
  local d=$((${EPOCHREALTIME/./} - $1))
  printf '%d.%01ds' $((d / 1000000)) $((d / 100000 % 10))
}
summary() {
  local l
  printf '\n== summary\n'
  for l in "${FAILED[@]}"; do printf '   failed: %s\n' "$l"; done
  printf '%s: %d passed, %d failed, %s\n' "$([ "$FAILS" = 0 ] && echo "E2E PASSED" || echo "E2E FAILED")" \
    "$PASSES" "$FAILS" "$(elapsed "$T_BEGIN")"
}
abort() { # a failure the rest of the test cannot run without
  fail "$*"
  teardown
  summary
  exit 1
}

# ---------------------------------------------------------------------------
# teardown: from the EXIT trap, or from the guard. Idempotent.
unload_rules() { # newest first, each removed with its own spec
  local i
  local -a w
  for ((i = ${#RULES_LOADED[@]} - 1; i >= 0; i--)); do
    read -r -a w <<< "${RULES_LOADED[i]}"
    case "${w[0]}" in
      -a) w[0]=-d ;;
      -w) w[0]=-W ;;
      *) continue ;;
    esac
    auditctl "${w[@]}" > /dev/null 2>&1 || log "   could not remove audit rule: ${RULES_LOADED[i]}"
  done
  RULES_LOADED=()
  save_state
}
stop_auditd() { # auditd, then its plugin (auditd does not wait for its plugins)
  local i
  if [ -n "$AUDITD_PID" ] && alive "$AUDITD_PID" "$AUDITD_START"; then
    stop_pid "$AUDITD_PID" "$AUDITD_START" auditd 15
  fi
  if [ -n "$AUDITD_PID" ] && [ "$(cat /var/run/auditd.pid 2> /dev/null)" = "$AUDITD_PID" ]; then
    rm -f /var/run/auditd.pid
  fi
  if [ -n "$PLUGIN_PID" ]; then
    for ((i = 0; i < 100; i++)); do alive "$PLUGIN_PID" "$PLUGIN_START" || break; nap 0.05; done
    alive "$PLUGIN_PID" "$PLUGIN_START" && stop_pid "$PLUGIN_PID" "$PLUGIN_START" plugin 5
  fi
  # a registration left by an auditd that died without unregistering
  if [ -n "$AUDITD_PID" ] && [ "$(kstat pid)" = "$AUDITD_PID" ]; then auditctl -m "$E2E_NAME teardown" > /dev/null 2>&1; fi
  AUDITD_PID= PLUGIN_PID=
  save_state
}
teardown() {
  [ "$CLEANED" = 1 ] && return 0
  local i
  log ""
  log "== teardown"
  unload_rules
  stop_auditd
  if [ -n "$ORIG_BACKLOG" ] && [ "$(kstat backlog_limit)" != "$ORIG_BACKLOG" ]; then
    auditctl -b "$ORIG_BACKLOG" > /dev/null 2>&1 || log "   could not restore backlog_limit $ORIG_BACKLOG"
  fi
  if [ -n "$ORIG_ENABLED" ] && [ "$ORIG_ENABLED" != 2 ] && [ "$(kstat enabled)" != "$ORIG_ENABLED" ]; then
    auditctl -e "$ORIG_ENABLED" > /dev/null 2>&1 || log "   could not restore enabled=$ORIG_ENABLED"
  fi
  if [ -n "$RSYS_PID" ]; then
    stop_pid "$RSYS_PID" "$RSYS_START" rsyslogd 10
    RSYS_PID=
  fi
  if [ "$CREATED_DEVLOG" = 1 ] && [ -S /dev/log ] && ! devlog_listening; then rm -f /dev/log; fi
  CREATED_DEVLOG=0
  for ((i = ${#CREATED_PATHS[@]} - 1; i >= 0; i--)); do
    [ -n "${CREATED_PATHS[i]}" ] && rm -f -- "${CREATED_PATHS[i]}"
  done
  CREATED_PATHS=()
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
  log "   audit: enabled=$(kstat enabled) pid=$(kstat pid) backlog_limit=$(kstat backlog_limit); rules now: $(auditctl -l 2> /dev/null | tr '\n' ';')"
  CLEANED=1
  save_state
  if [ -n "$SLEEP_FD" ]; then exec {SLEEP_FD}>&-; SLEEP_FD=; fi
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$KEEP" = 1 ]; then log "   kept $T (KEEP_E2E=1)"; else rm -rf -- "$T"; fi
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
# The guard waits, outside the script's process tree, for the script to end,
# and tears down whatever the state file says is still set up.
guard_main() {
  local main=$1 main_start=$2 state=$3 lock_fd
  while alive "$main" "$main_start"; do sleep 1; done
  [ -f "$state" ] || exit 0
  # shellcheck disable=SC1090
  . "$state"
  [ "$CLEANED" = 1 ] && exit 0
  exec >> "$T/guard.log" 2>&1
  log "$E2E_NAME (pid $main) ended without cleaning up: tearing down"
  exec {lock_fd}> "$E2E_LOCK" && flock -w 30 "$lock_fd"
  KEEP=1 # keep the evidence
  teardown
}
start_guard() {
  proc_info $$
  local start=$P_START
  (
    [ -n "$LOCK_FD" ] && exec {LOCK_FD}>&-
    [ -n "$SLEEP_FD" ] && exec {SLEEP_FD}>&-
    setsid "$SELF" --guard $$ "$start" "$T/state" < /dev/null > /dev/null 2>&1 &
    echo $! > "$T/guard.pid"
  )
  GUARD_PID=$(cat "$T/guard.pid" 2> /dev/null)
}

# e2e_begin: the temporary directory $T (0755, with out/), the traps, the
# kernel-audit lock (held until exit) and the guard.
e2e_begin() {
  T=$(mktemp -d "/tmp/auditeql-$E2E_NAME.XXXXXX") || skip "cannot create a temporary directory"
  chmod 0755 "$T"
  mkdir -p "$T/out"
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  exec {LOCK_FD}> "$E2E_LOCK" || skip "cannot open $E2E_LOCK"
  if ! flock -n "$LOCK_FD"; then
    info "waiting for $E2E_LOCK (another test is using the kernel audit system)"
    flock -w 300 "$LOCK_FD" || skip "another test has held $E2E_LOCK for 300 s"
  fi
  mkfifo "$T/sleep.fifo" && exec {SLEEP_FD}<> "$T/sleep.fifo"
  save_state
  start_guard
  info "temporary directory $T (guard pid ${GUARD_PID:-?})"
}

# ensure_packages PACKAGE...: apt-get install the missing ones, services not started
ensure_packages() {
  [ "$#" -gt 0 ] || return 0
  info "installing $* (apt-get; services not started)"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# auditeql %s: do not start services while installing\nexit 101\n' "$E2E_NAME" > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    POLICY_RC_CREATED=1
    save_state
  fi
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } > "$T/out/apt.log" 2>&1; then
    tail -n 5 "$T/out/apt.log" | sed 's/^/   apt: /'
    skip "$* missing and 'apt-get install -y $*' failed"
  fi
  if [ "$POLICY_RC_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; save_state; fi
  hash -r
}

# kernel_audit_ready KEYS_REGEX: skips unless the kernel audit system answers,
# is not locked, has no live audit daemon and no rules matching KEYS_REGEX
kernel_audit_ready() {
  local keys=$1 kpid
  auditctl -s > "$T/out/auditctl-s.before" 2>&1 \
    || skip "the kernel audit subsystem does not answer (auditctl -s: $(head -n 1 "$T/out/auditctl-s.before")): no CAP_AUDIT_CONTROL, audit=0 or not the initial namespaces"
  ORIG_ENABLED=$(kstat enabled)
  ORIG_BACKLOG=$(kstat backlog_limit)
  [ "$ORIG_ENABLED" = 2 ] && skip "the kernel audit configuration is locked (enabled=2 until reboot)"
  kpid=$(kstat pid)
  if [ -n "$kpid" ] && [ "$kpid" != 0 ]; then
    if proc_info "$kpid" && [ "$P_STATE" != Z ]; then
      skip "another audit daemon is registered with the kernel (pid $kpid, $(cat "/proc/$kpid/comm" 2> /dev/null)); stop it to run this test"
    fi
    auditctl -m "$E2E_NAME: clearing a dead audit daemon registration" > /dev/null 2>&1
    nap 0.2
    [ "$(kstat pid)" = 0 ] || skip "the kernel still names dead audit daemon pid $kpid"
  fi
  auditctl -l 2> /dev/null | grep -qE -- "$keys" \
    && skip "audit rules with auditeql's keys are already loaded: an auditeql installation or another test is using them"
  [ -e /var/run/auditd.pid ] && skip "/var/run/auditd.pid exists (an auditd is running or crashed); auditd -f would overwrite it"
  auditctl -l > "$T/out/rules.before" 2>&1
  save_state
}

# ---------------------------------------------------------------------------
# syslog, read with builtins (every fork+exec is an event the plugin handles).
#   A_FS[i], A_PID[i], A_MSG[i]: the lines with ident auditeql: facility.severity
#   (private rsyslogd; "authpriv.?" / "daemon.?" from host files), pid, message
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
  local i line fd
  for i in "${!SYS_SRC_FILE[@]}"; do
    if [ -z "${SYS_FD[i]:-}" ]; then
      [ -f "${SYS_SRC_FILE[i]}" ] || continue
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

# start_syslog: the host's daemon when one owns /dev/log and its authpriv and
# daemon files are known (E2E_SYSLOG_AUTH_FILE, E2E_SYSLOG_DAEMON_FILE, or
# rsyslog's Debian defaults), else a private rsyslogd. Checked with logger.
start_syslog() {
  local i fd probe ok=0
  if [ -e /dev/log ] && devlog_listening; then
    local auth=${E2E_SYSLOG_AUTH_FILE:-} daemon=${E2E_SYSLOG_DAEMON_FILE:-}
    if [ -z "$auth$daemon" ] && pidof rsyslogd > /dev/null 2>&1 && [ -f /var/log/auth.log ] && [ -f /var/log/syslog ]; then
      auth=/var/log/auth.log daemon=/var/log/syslog
    fi
    [ -n "$auth" ] && [ -f "$auth" ] && [ -n "$daemon" ] && [ -f "$daemon" ] \
      || skip "a syslog daemon already listens on /dev/log and its authpriv/daemon files are unknown; set E2E_SYSLOG_AUTH_FILE and E2E_SYSLOG_DAEMON_FILE"
    SYSLOG_MODE=host
    SYS_SRC_FILE=("$auth" "$daemon") SYS_SRC_FAC=("authpriv.?" "daemon.?")
    for i in 0 1; do # only what is written from now on
      exec {fd}< "${SYS_SRC_FILE[i]}"
      SYS_FD[i]=$fd
      perl -e 'sysseek(STDIN, 0, 2) or exit 1' <&"$fd"
      SYS_PARTIAL[i]=
    done
    info "the host's syslog daemon owns /dev/log: reading $auth and $daemon"
  else
    SYSLOG_MODE=private
    mkdir -p "$T/rsyslog"
    cat > "$T/rsyslog/rsyslog.conf" << EOF
global(workDirectory="$T/rsyslog" maxMessageSize="64k")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="e2e" type="string"
         string="%syslogfacility-text%.%syslogseverity-text% %timegenerated:::date-rfc3339% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
*.* action(type="omfile" file="$T/out/syslog.log" template="e2e")
EOF
    rsyslogd -N1 -f "$T/rsyslog/rsyslog.conf" > "$T/out/rsyslog-check.log" 2>&1 \
      || abort "rsyslogd rejects the test configuration: $(tail -n 2 "$T/out/rsyslog-check.log")"
    CREATED_DEVLOG=1
    (
      for fd in /proc/$BASHPID/fd/*; do i=${fd##*/}; [ "$i" -gt 2 ] && eval "exec $i>&-"; done
      exec rsyslogd -n -f "$T/rsyslog/rsyslog.conf" -i "$T/rsyslog/rsyslogd.pid"
    ) < /dev/null > "$T/out/rsyslogd.log" 2>&1 &
    RSYS_PID=$!
    proc_info "$RSYS_PID" && RSYS_START=$P_START
    save_state
    for ((i = 0; i < 200; i++)); do devlog_listening && break; alive "$RSYS_PID" "$RSYS_START" || break; nap 0.02; done
    devlog_listening || abort "the test's rsyslogd did not open /dev/log: $(tail -n 3 "$T/out/rsyslogd.log")"
    SYS_SRC_FILE=("$T/out/syslog.log") SYS_SRC_FAC=(parse)
    info "private rsyslogd pid $RSYS_PID on /dev/log -> $T/out/syslog.log"
  fi
  rand_hex
  probe="probe-$RAND"
  logger -p authpriv.notice -t "auditeql-$E2E_NAME" "$probe"
  for ((i = 0; i < 250 && ok == 0; i++)); do
    collect
    [[ ${RAW[*]} == *"$probe"* ]] && ok=1
    nap 0.02
  done
  [ "$ok" = 1 ] || abort "a logger message did not reach the syslog file within 5 s"
}

# wait_status FROM REGEX SECONDS: a non-alert line of the plugin, index >=
# FROM, matching the bash regex; ST_IDX, ST_MSG, ST_FS (BASH_REMATCH kept)
wait_status() {
  local from=$1 re=$2 secs=$3 i deadline
  now_us
  deadline=$((NOW_US + secs * 1000000))
  ST_IDX= ST_MSG= ST_FS=
  while :; do
    collect
    for ((i = from; i < ${#A_MSG[@]}; i++)); do
      [ "${A_PID[i]}" = "$PLUGIN_PID" ] && [[ ${A_MSG[i]} != "{"* && ${A_MSG[i]} =~ $re ]] || continue
      ST_IDX=$i ST_MSG=${A_MSG[i]} ST_FS=${A_FS[i]}
      return 0
    done
    now_us
    [ "$NOW_US" -ge "$deadline" ] && return 1
    nap 0.05
  done
}

# ---------------------------------------------------------------------------
# start_auditd BINARY PLUGIN_CONFIG: a private auditd (logs in $T/log) that
# runs BINARY with PLUGIN_CONFIG as its plugin; the backlog raised to 8192.
# Sets AUDITD_PID and PLUGIN_PID (auditd's child running BINARY).
start_auditd() {
  local bin=$1 config=$2 i c fd
  mkdir -p "$T/conf/plugins.d" "$T/log"
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
  printf 'active = yes\ndirection = out\npath = %s\ntype = always\nargs = %s\nformat = string\n' "$bin" "$config" \
    > "$T/conf/plugins.d/auditeql.conf"
  chmod 0640 "$T/conf/auditd.conf" "$T/conf/plugins.d/auditeql.conf"
  if [ -n "$ORIG_BACKLOG" ] && [ "$ORIG_BACKLOG" -lt 8192 ]; then auditctl -b 8192 > /dev/null; fi
  (
    for fd in /proc/$BASHPID/fd/*; do i=${fd##*/}; [ "$i" -gt 2 ] && eval "exec $i>&-"; done
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
  [ "$(kstat pid)" = "$AUDITD_PID" ] \
    || abort "auditd did not register with the kernel within 5 s: $(tail -n 5 "$T/out/auditd.stderr" | tr '\n' ' ')"
  for ((i = 0; i < 250; i++)); do
    children_of "$AUDITD_PID"
    for c in "${CHILDREN[@]}"; do
      [ "$(readlink "/proc/$c/exe" 2> /dev/null)" = "$bin" ] && PLUGIN_PID=$c
    done
    [ -n "$PLUGIN_PID" ] && break
    nap 0.02
  done
  [ -n "$PLUGIN_PID" ] \
    || abort "auditd started no plugin running $bin within 5 s (it skips a plugin silently when its conf or binary is rejected)"
  proc_info "$PLUGIN_PID" && PLUGIN_START=$P_START
  save_state
}

# load_audit_rules FILE: FILE's rules loaded as augenrules does, with one
# `auditctl -R` (one process: each exec is an event the plugin handles);
# every rule line is remembered first, for the teardown to delete. Fails
# when auditctl does (its output in $T/out/auditctl-R.out).
load_audit_rules() {
  local line
  while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] || RULES_LOADED+=("$line")
  done < "$1"
  save_state
  auditctl -R "$1" > "$T/out/auditctl-R.out" 2>&1
}
