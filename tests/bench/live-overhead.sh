#!/bin/bash
# live-overhead.sh -- what the auditeql plugin costs next to auditd, live.
#
#   tests/bench/live-overhead.sh [--execs N] [--parallel K] [--runs R] [--keep]
#                                [--files F] [--binary PATH] [--perf] ...
#
# Starts a PRIVATE auditd (`auditd -f -c <tmp>/conf`, Debian 12's auditd.conf
# defaults: q_depth 2000, overflow_action SYSLOG, log_format ENRICHED; with -f
# auditd writes the events to its stdout, a file in the temporary directory,
# see --auditd-mode) whose plugins.d runs the auditeql binary under test with
# the shipped rules (conf/rules), loads the project's audit rule bundle
# (rules.d/auditeql.rules, fork tracking included), sets the kernel backlog
# limit to 8192 as the bundle expects, and runs an exec storm:
#
#   per storm worker (--parallel K workers run at the same time, each doing
#   --execs N execs, so K x N in all):
#     - a C driver (compiled here with gcc) that fork()s and execs N/2 times a
#       mix of /bin/true, /usr/bin/env true, sh -c scripts, cp, mkdir, rm, echo
#       with many arguments -- as fast as the machine allows;
#     - F files (default 200) created then removed under
#       /usr/lib/dracut/modules.d/zz-bench-<run>-w<k>/ (watched: each creation
#       matches Dracut Module Creation, which raises at most 100 alerts per
#       5-minute window: the rest are counted as throttled);
#     - four planted attacks from bash scripts, each with a unique marker:
#       cp into /boot, find | cpio -o -H newc, unmkinitramfs, dracut;
#     - the C driver again for the other half;
#     - a bash loop (10 % of the execs): sh -c, pipelines, subshells, cp,
#       mkdir/rmdir, command substitution.
#   After the workers, a sentinel (one more cp into /boot) whose alert marks
#   the point where the plugin has processed everything the storm produced.
#
# Reported for each run (and medians when --runs > 1):
#   - execs, storm duration, execs/s;
#   - CPU time (utime+stime from /proc/PID/stat, all threads) of auditd and of
#     the plugin over the window [storm start, sentinel alert] ("drained": all
#     the work the storm caused), and over [storm start, last worker done]
#     ("storm"); the ratio plugin/auditd on the drained window is the target;
#   - alerts in syslog and in the plugin's alert_file, against the expected
#     count (warm-up + planted attacks + min(100, dracut creations) + sentinel),
#     and every planted attack's alert present;
#   - auditd's "queue to plugins is full" messages (its stderr and syslog);
#   - the kernel's lost counter before/after, the largest backlog sampled
#     (auditctl -s every 0.5 s) and backlog_wait_time_actual (how long
#     processes were held because the backlog was full);
#   - auditd's own queue report (SIGCONT -> /var/run/auditd.state: max plugin
#     queue depth used, overflow detected);
#   - the plugin's statistics line (SIGUSR1): records/events/starts seen during
#     the window, dropped_bytes, dropped_chunks.
#
# Targets (exit 1 when a run misses one, with the list): plugin CPU <= 15 %
# of auditd's (--target-pct), every expected alert arrived (and nothing else),
# no queue-full message, kernel lost counter unchanged, plugin dropped nothing,
# plugin alive. Exit 77 with "SKIPPED: <reason>" when it cannot run (not root,
# no kernel audit, another audit daemon registered, the kernel-audit lock held
# too long, tools missing).
#
# Options:
#   --execs N          execs per storm worker (default 20000)
#   --parallel K       storm workers running at the same time (default 1)
#   --runs R           repeat R times, each with a fresh auditd and plugin (default 1)
#   --files F          files created per worker in the dracut tree (default 200)
#   --bash-share P     percent of each worker's execs done by the bash loop (default 10)
#   --binary PATH      auditeql binary (default <repo>/build/src/app/auditeql)
#   --q-depth N        auditd q_depth (default 2000, Debian's default: keep it)
#   --target-pct P     CPU target, plugin as a percentage of auditd (default 15)
#   --auditd-mode M    f (default): `auditd -f`, as tests/e2e: events go to
#                      auditd's stdout (a file here) instead of log_file, its
#                      diagnostics to stderr; n: `auditd -n`, as the init
#                      system runs it: events to log_file (rotated, 5 x 8 MB),
#                      diagnostics to syslog
#   --perf             profile with perf (cpu-clock) during the storm and report
#                      where the plugin (and auditd) spend their time; the CPU
#                      figures of a profiled run include perf's own cost
#   --perf-scope S     system (default: perf record -a, then the plugin's
#                      samples; least distortion) or process (perf record -p
#                      <plugin>: per-thread events hook every context switch
#                      and inflate the plugin's CPU 2-3x)
#   --perf-callgraph M perf call graphs: fp (perf record -g, default) or dwarf
#   --relay-linger MS  EXPERIMENT, not the product: put a relay between auditd
#                      and the plugin that waits MS milliseconds after input
#                      arrives and then passes everything on in one write: what
#                      the plugin would cost if it read its input in batches
#                      (the relay's own CPU is reported apart)
#   --lock-wait S      seconds to wait for the kernel-audit lock (default 120)
#   --rule-dir DIR     also load the rules of DIR (repeatable; a detection-rules
#                      checkout root will do) and load the audit rules that
#                      `auditeql audit-rules` derives for the whole set (costly
#                      lines stay commented out, as by default) instead of the
#                      bundle; alert counts are then checked for the shipped
#                      rules only, the other rules' alerts are listed
#   --keep             keep the temporary directory (configs, logs, syslog, perf data)
#
# Safety (the recipe of tests/e2e/run_e2e.sh): holds
# /run/lock/auditeql-kernel-audit.lock (tests/e2e and tests/packaging take it
# too); skips when another audit daemon is registered or auditeql's rules are
# loaded; removes exactly the rules it loaded; restores the kernel's enabled
# flag and backlog_limit; stops only the processes it started (pid + start
# time); removes what it created in /boot, /usr/lib/dracut/modules.d (and the
# directories it had to create), /var/run/auditd.state; a private rsyslogd is
# started only when nothing listens on /dev/log. A detached guard process
# tears down if this script is killed.
#
# Environment (when a syslog daemon already listens on /dev/log):
#   BENCH_SYSLOG_AUTH_FILE, BENCH_SYSLOG_DAEMON_FILE  where it writes authpriv
#   and daemon messages (default /var/log/auth.log and /var/log/syslog when
#   rsyslogd runs).

set -u
set -o pipefail
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

SELF=$(readlink -f "$0")

RULE_BOOT_COPY=5bda8597-69a6-4b9e-87a2-69a7c963ea83
RULE_CPIO=17b3fcd1-90fb-4f5d-858c-dc1d998fa368
RULE_DRACUT_MODULE=dc765fb2-0c99-4e57-8c11-dafdf1992b66
RULE_UNMKINITRAMFS=c5fc788c-7576-4a02-b3d6-d2c016eb85a6
RULE_MANUAL_DRACUT=834ee026-f9f9-4ec7-b5e0-7fbfe84765f4
DRACUT_MODULES=/usr/lib/dracut/modules.d
LOCK=/run/lock/auditeql-kernel-audit.lock
STATE_REPORT=/var/run/auditd.state
MAX_SIGNALS=100   # max_signals of the shipped rules (per 5-minute window)

# ----------------------------------------------------------------------------
# options
EXECS=20000 PARALLEL=1 RUNS=1 FILES=200 BASH_SHARE=10 BIN_ARG= Q_DEPTH=2000 TARGET_PCT=15
PERF=0 PERF_CG=fp PERF_SCOPE=system RELAY_MS= RELAY_PID= LOCK_WAIT=120 KEEP=0 REPO= AUDITD_MODE=f
EXTRA_RULE_DIRS=()

usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$SELF" | sed -n '1,/^Safety/p' | sed '$d'; }

# ----------------------------------------------------------------------------
# state (saved to $T/state for the guard process)
T=
AUDITD_PID= AUDITD_START=
PLUGIN_PID= PLUGIN_START=
RSYS_PID= RSYS_START=
SYSLOGD_PID= SYSLOGD_NAME=   # whose CPU is reported: our rsyslogd, or the host's syslog daemon (never stopped)
SAMPLER_PID= SAMPLER_START=
PERF_PID= PERF_START=
WORKER_PIDS=() WORKER_STARTS=()
CREATED_DEVLOG=0
ORIG_ENABLED= ORIG_BACKLOG=
RULES_LOADED=()
CREATED_DIRS=()
CREATED_PATHS=()
GUARD_PID=
LOCK_FD=
CLEANED=0

save_state() {
  [ -n "$T" ] && [ -d "$T" ] || return 0
  {
    declare -p T KEEP AUDITD_PID AUDITD_START PLUGIN_PID PLUGIN_START RSYS_PID RSYS_START SAMPLER_PID SAMPLER_START \
      PERF_PID PERF_START WORKER_PIDS WORKER_STARTS CREATED_DEVLOG ORIG_ENABLED ORIG_BACKLOG RULES_LOADED \
      CREATED_DIRS CREATED_PATHS CLEANED
  } > "$T/state.new" 2> /dev/null && mv -f "$T/state.new" "$T/state"
}

# shared helpers: log/step/info, nap, now_us, rand_hex, proc_info, alive, children_of, stop_pid, kstat, devlog_listening
# shellcheck source=../support/proc_helpers.sh
source "$(dirname "$SELF")/../support/proc_helpers.sh"
skip() {
  printf 'SKIPPED: %s\n' "$*"
  exit 77
}
die() { # a setup failure: not a measurement
  printf 'ERROR: %s\n' "$*"
  exit 1
}

# ----------------------------------------------------------------------------
# helpers (builtins where they run while measuring: every fork+exec is an
# audit event the plugin and auditd have to process)
SLEEP_FD=

cpu_of() { if proc_info "$1"; then CPU=$P_CPU; else CPU=0; fi; }
# thread_counters PID ARRAY: for every thread of PID, ARRAY[tid]="cpu_ticks
# voluntary_switches involuntary_switches read_syscalls write_syscalls comm"
thread_counters() {
  local -n tc=$2
  local d tid k v comm vcs nvcs r w
  tc=()
  for d in /proc/"$1"/task/*; do
    tid=${d##*/}
    proc_info "$1/task/$tid" || continue
    vcs=0 nvcs=0 r=0 w=0 comm=
    while read -r k v _; do
      case $k in voluntary_ctxt_switches:) vcs=$v ;; nonvoluntary_ctxt_switches:) nvcs=$v ;; esac
    done < "$d/status" 2> /dev/null
    while read -r k v _; do
      case $k in syscr:) r=$v ;; syscw:) w=$v ;; esac
    done < "$d/io" 2> /dev/null
    { read -r comm < "$d/comm"; } 2> /dev/null
    tc[$tid]="$P_CPU $vcs $nvcs $r $w $comm"
  done
}
# thread_report BEFORE AFTER: one line per thread with the deltas; sums in TR_*
thread_report() {
  local -n b=$1 a=$2
  local tid out=
  local -a x y
  TR_CPU=0 TR_VCS=0 TR_NVCS=0 TR_R=0 TR_W=0
  for tid in "${!a[@]}"; do
    read -r -a y <<< "${a[$tid]}"
    read -r -a x <<< "${b[$tid]:-0 0 0 0 0 ?}"
    out+=" ${y[5]:-?}[$tid]: cpu=$(secs $((y[0] - x[0])))s switches=$((y[1] - x[1]))+$((y[2] - x[2]))inv reads=$((y[3] - x[3])) writes=$((y[4] - x[4]));"
    TR_CPU=$((TR_CPU + y[0] - x[0])) TR_VCS=$((TR_VCS + y[1] - x[1])) TR_NVCS=$((TR_NVCS + y[2] - x[2]))
    TR_R=$((TR_R + y[3] - x[3])) TR_W=$((TR_W + y[4] - x[4]))
  done
  TR_LINE=$out
}
declare -A KS=()
kstat_all() { # KS[name]=value for every line of auditctl -s (one exec)
  local k v
  KS=()
  while read -r k v _; do [ -n "$k" ] && KS[$k]=$v; done < <(auditctl -s 2> /dev/null)
}
secs() { # secs TICKS -> seconds with 2 decimals (CLK_TCK)
  awk -v t="$1" -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }'
}
fmt_us() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000000 }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "inf" }'; }

# ----------------------------------------------------------------------------
# teardown: EXIT trap, or the guard when this script was killed. Idempotent.
teardown() {
  [ "$CLEANED" = 1 ] && return 0
  local i r kpid
  local -a w
  log ""
  log "== teardown"
  # 0. storm workers, sampler, perf (ours, by pid and start time)
  for i in "${!WORKER_PIDS[@]}"; do
    alive "${WORKER_PIDS[i]}" "${WORKER_STARTS[i]}" && stop_pid "${WORKER_PIDS[i]}" "${WORKER_STARTS[i]}" "storm worker" 5
  done
  WORKER_PIDS=() WORKER_STARTS=()
  if [ -n "$SAMPLER_PID" ]; then stop_pid "$SAMPLER_PID" "$SAMPLER_START" "backlog sampler" 3; SAMPLER_PID=; fi
  if [ -n "$PERF_PID" ]; then stop_pid "$PERF_PID" "$PERF_START" perf 10 INT; PERF_PID=; fi
  # 1. audit rules, newest first, each removed with its own spec
  for ((i = ${#RULES_LOADED[@]} - 1; i >= 0; i--)); do
    r=${RULES_LOADED[i]}
    read -r -a w <<< "$r"
    case "${w[0]}" in -a) w[0]=-d ;; -w) w[0]=-W ;; *) continue ;; esac
    auditctl "${w[@]}" > /dev/null 2>&1 || log "   could not remove audit rule: $r"
  done
  RULES_LOADED=()
  save_state
  # 2. auditd, then its plugin
  stop_auditd_and_plugin
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
  log "   audit: enabled=$(kstat enabled) pid=$(kstat pid) backlog_limit=$(kstat backlog_limit) lost=$(kstat lost); rules now: $(auditctl -l 2> /dev/null | tr '\n' ';')"
  CLEANED=1
  save_state
  if [ -n "$SLEEP_FD" ]; then exec {SLEEP_FD}>&-; SLEEP_FD=; fi
  if [ -n "$T" ] && [ -d "$T" ]; then
    if [ "$KEEP" = 1 ]; then log "   kept $T"; else rm -rf -- "$T"; fi
  fi
}

stop_auditd_and_plugin() {
  local i kpid
  if [ -n "$AUDITD_PID" ]; then
    if alive "$AUDITD_PID" "$AUDITD_START"; then
      stop_pid "$AUDITD_PID" "$AUDITD_START" auditd 15
      log "   auditd (pid $AUDITD_PID) stopped"
    fi
    if [ -f /var/run/auditd.pid ] && [ "$(cat /var/run/auditd.pid 2> /dev/null)" = "$AUDITD_PID" ]; then
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
  kpid=$(kstat pid)
  if [ -n "$AUDITD_PID" ] && [ "$kpid" = "$AUDITD_PID" ]; then auditctl -m "auditeql-bench teardown" > /dev/null 2>&1; fi
  AUDITD_PID= PLUGIN_PID=
  save_state
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

guard_main() {
  local main=$1 main_start=$2 state=$3
  while alive "$main" "$main_start"; do sleep 1; done
  [ -f "$state" ] || exit 0
  # shellcheck disable=SC1090
  . "$state"
  [ "$CLEANED" = 1 ] && exit 0
  exec >> "$T/guard.log" 2>&1
  log "live-overhead.sh (pid $main) ended without cleaning up: tearing down"
  local lock_fd
  exec {lock_fd}> "$LOCK" && flock -w 30 "$lock_fd"
  KEEP=1
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

# ----------------------------------------------------------------------------
# syslog: a list of files and the byte offset each is read from
SYS_FILES=() RUN_OFFS=()
syslog_mark() { # RUN_OFFS = current sizes
  local i s
  RUN_OFFS=()
  for i in "${!SYS_FILES[@]}"; do
    s=$(stat -c %s "${SYS_FILES[i]}" 2> /dev/null || echo 0)
    RUN_OFFS[i]=$s
  done
}
syslog_since() { # what the syslog files got since RUN_OFFS
  local i
  for i in "${!SYS_FILES[@]}"; do tail -c +$((${RUN_OFFS[i]:-0} + 1)) "${SYS_FILES[i]}" 2> /dev/null; done
}
# wait_plugin_line REGEX SECONDS [N]: at least N (default 1) lines of our
# plugin in syslog (not alerts) match the extended regex; LINE = the last one
wait_plugin_line() {
  local re=$1 t=$2 n=${3:-1} i out
  LINE=
  for ((i = 0; i < t * 10; i++)); do
    out=$(syslog_since | grep -F " auditeql[$PLUGIN_PID]: " | sed "s/^.* auditeql\[$PLUGIN_PID\]: //" | grep -v '^{' | grep -E "$re")
    if [ -n "$out" ] && [ "$(grep -c '' <<< "$out")" -ge "$n" ]; then
      LINE=$(tail -n 1 <<< "$out")
      return 0
    fi
    nap 0.1
  done
  return 1
}
# alert file, read with builtins (no fork while measuring)
AF_FD= AF_LINES=() AF_PART=
af_open() { AF_LINES=() AF_PART=; AF_FD=; }
af_collect() {
  local line
  if [ -z "$AF_FD" ]; then
    [ -f "$ALERT_FILE" ] || return 0
    exec {AF_FD}< "$ALERT_FILE"
  fi
  while :; do
    line=
    if IFS= read -r -u "$AF_FD" line; then
      AF_LINES+=("$AF_PART$line")
      AF_PART=
    else
      AF_PART+=$line
      break
    fi
  done
}
af_close() { if [ -n "$AF_FD" ]; then exec {AF_FD}<&-; AF_FD=; fi; }
# wait_alert_file MARKER SECONDS: the alert file has a line with MARKER; FOUND_US
wait_alert_file() {
  local marker=$1 deadline l
  now_us
  deadline=$((NOW_US + $2 * 1000000))
  FOUND_US=
  while :; do
    af_collect
    for ((l = ${AF_SCANNED:-0}; l < ${#AF_LINES[@]}; l++)); do
      if [[ ${AF_LINES[l]} == *"$marker"* ]]; then now_us; FOUND_US=$NOW_US; return 0; fi
    done
    AF_SCANNED=${#AF_LINES[@]}
    now_us
    [ "$NOW_US" -ge "$deadline" ] && return 1
    nap 0.01
  done
}

# stats line -> ST[key]=value (numbers only)
parse_stats() { # parse_stats LINE ARRAY_NAME
  local -n out=$2
  local tok
  out=()
  for tok in $1; do
    [[ $tok =~ ^([a-z_]+)=([0-9]+)(/[0-9]+)?$ ]] && out[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  done
}

# ----------------------------------------------------------------------------
# the storm driver
write_storm_c() {
  cat > "$1" << 'EOF'
/* storm: fork+exec as fast as possible, and file creations in a directory.
 *   storm exec N SCRATCH   run a mix of short commands until N successful execs
 *   storm files DIR COUNT  create COUNT files in DIR, then remove them
 * Prints "execs=E commands=C failed=F" (exec) or "files=N" (files). Stops when
 * its parent goes away (the benchmark was interrupted). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static pid_t parent;

static int run(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    execve(argv[0], argv, environ);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv) {
  parent = getppid();
  if (argc == 4 && strcmp(argv[1], "exec") == 0) {
    long n = atol(argv[2]);
    const char *s = argv[3];
    char src[4096], dst[4096], dir[4096];
    snprintf(src, sizeof src, "%s/src", s);
    long execs = 0, commands = 0, failed = 0;
    for (long i = 0; execs < n; i++) {
      if ((i & 63) == 0 && getppid() != parent) return 2;
      int k = (int)(i % 16), cost = 1, rc;
      snprintf(dst, sizeof dst, "%s/c%ld", s, i % 32);
      snprintf(dir, sizeof dir, "%s/d%ld", s, i % 32);
      switch (k) {
        case 9: {
          char *a[] = {"/usr/bin/env", "true", NULL};
          cost = 2; rc = run(a); break;
        }
        case 10: {
          char *a[] = {"/bin/sh", "-c", "exit 0", NULL};
          rc = run(a); break;
        }
        case 11: {
          char *a[] = {"/bin/sh", "-c", "/bin/true; /bin/true", NULL};
          cost = 3; rc = run(a); break;
        }
        case 12: {
          char *a[] = {"/bin/cp", src, dst, NULL};
          rc = run(a); break;
        }
        case 13: {
          char *a[] = {"/bin/mkdir", "-p", dir, NULL};
          rc = run(a); break;
        }
        case 14: {
          char *a[] = {"/bin/rm", "-rf", dir, NULL};
          rc = run(a); break;
        }
        case 15: {
          char *a[] = {"/bin/echo", "-n", "--alpha", "--beta=1", "-c", "/etc/hosts", "one two", "x\"y", "0123456789abcdef",
                       "/usr/lib/x86_64-linux-gnu/libc.so.6", "--", "a", "b", "c", "d", "e", "f", "g", "h", NULL};
          int fd = open("/dev/null", O_WRONLY);
          int saved = dup(1);
          dup2(fd, 1);
          rc = run(a);
          dup2(saved, 1);
          close(saved);
          close(fd);
          break;
        }
        default: {
          char *a[] = {"/bin/true", NULL};
          rc = run(a); break;
        }
      }
      commands++;
      if (rc == 0) execs += cost; else failed++;
      if (failed > 1000) break;
    }
    printf("execs=%ld commands=%ld failed=%ld\n", execs, commands, failed);
    return failed ? 1 : 0;
  }
  if (argc == 4 && strcmp(argv[1], "files") == 0) {
    const char *d = argv[2];
    long n = atol(argv[3]), made = 0;
    char p[4096];
    for (long i = 0; i < n; i++) {
      snprintf(p, sizeof p, "%s/module-%04ld.sh", d, i);
      int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) continue;
      if (write(fd, "#!/bin/sh\n", 10) != 10) { /* counted anyway: the creation happened */ }
      close(fd);
      made++;
    }
    for (long i = 0; i < n; i++) {
      snprintf(p, sizeof p, "%s/module-%04ld.sh", d, i);
      unlink(p);
    }
    printf("files=%ld\n", made);
    return made == n ? 0 : 1;
  }
  fprintf(stderr, "usage: storm exec N SCRATCH | storm files DIR COUNT\n");
  return 2;
}
EOF
}

write_relay_c() {
  cat > "$1" << 'EOF'
/* relay LINGER_MS CONFIG: EXPERIMENT. Started by auditd in place of the
 * plugin; starts the plugin (PLUGIN_PATH CONFIG) on a pipe and copies its own
 * standard input there in batches: once input is readable it waits LINGER_MS,
 * then reads all that is there and writes it in one go. Ends (closing the
 * pipe: the plugin sees the end of its input) on end of input or SIGTERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  long ms = atol(argv[1]);
  int p[2];
  if (pipe(p) != 0) return 1;
  fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
  pid_t c = fork();
  if (c < 0) return 1;
  if (c == 0) {
    dup2(p[0], 0);
    close(p[0]);
    close(p[1]);
    execl(PLUGIN_PATH, PLUGIN_PATH, argv[2], (char *)NULL);
    _exit(127);
  }
  close(p[0]);
  signal(SIGPIPE, SIG_IGN);
  static char buf[1 << 20];
  struct timespec linger = {ms / 1000, (ms % 1000) * 1000000L};
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  for (;;) {
    struct pollfd pfd = {0, POLLIN, 0};
    if (poll(&pfd, 1, -1) < 0) { if (errno == EINTR) continue; break; }
    if (ms > 0) nanosleep(&linger, NULL);
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(p[1], buf + off, (size_t)(n - off));
      if (w < 0) { if (errno == EINTR) continue; goto out; }
      off += w;
    }
  }
out:
  close(p[1]);
  waitpid(c, NULL, 0);
  return 0;
}
EOF
}

# ----------------------------------------------------------------------------
# one storm worker (runs in a background subshell); writes $T/run/w<k>.counts
attack_script() { # attack_script FILE BODY
  printf '#!/bin/bash\n%s\nexit 0\n' "$2" > "$1"
  chmod 0755 "$1"
}
worker() {
  local wk=$1 n_c=$2 n_b=$3 dir=$4
  local S=$T/scratch/w$wk cnt=$T/run/w$wk.counts execs=0 i x
  local -a a
  local IFS=$' \t\n'
  # 1. the C driver, first half
  read -r -a a <<< "$("$STORM" exec $((n_c / 2)) "$S")"
  execs=$((execs + 1 + ${a[0]#execs=}))
  echo "c1 ${a[*]}" >> "$cnt"
  # 2. file creations in the dracut tree (1 exec each: mkdir, storm, rm)
  /bin/mkdir "$dir"
  read -r -a a <<< "$("$STORM" files "$dir" "$FILES")"
  /bin/rm -rf "$dir"
  execs=$((execs + 3))
  echo "files ${a[*]}" >> "$cnt"
  # 3. the planted attacks (scripts prepared before the storm)
  "$T/attacks/w$wk-boot.sh"      # bash, cp, rm = 3
  "$T/attacks/w$wk-cpio.sh"      # bash, find, cpio = 3
  "$T/attacks/w$wk-unmk.sh"      # bash, unmkinitramfs (sh script) = 2
  "$T/attacks/w$wk-dracut.sh"    # bash, dracut (bash script) = 2
  execs=$((execs + 10))
  # 4. the C driver, second half
  read -r -a a <<< "$("$STORM" exec $((n_c - n_c / 2)) "$S")"
  execs=$((execs + 1 + ${a[0]#execs=}))
  echo "c2 ${a[*]}" >> "$cnt"
  # 5. bash variety: 9 execs per iteration
  for ((i = 0; i < n_b; i++)); do
    /bin/true "$i"
    /bin/sh -c '/bin/true; /bin/true'
    echo "x$i" | /usr/bin/tr x y > /dev/null
    (/bin/cp "$S/src" "$S/b$((i % 16))")
    /bin/mkdir -p "$S/bd"
    /bin/rmdir "$S/bd"
    x=$(/usr/bin/basename "/a/b$i")
    : "$x"
  done
  execs=$((execs + 9 * n_b))
  echo "bash iterations=$n_b execs=$((9 * n_b))" >> "$cnt"
  echo "total execs=$execs" >> "$cnt"
}

# ----------------------------------------------------------------------------
# main
if [ "${1:-}" = --guard ]; then
  guard_main "$2" "$3" "$4"
  exit 0
fi
while [ $# -gt 0 ]; do
  case $1 in
    --execs) EXECS=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --bash-share) BASH_SHARE=$2; shift 2 ;;
    --binary) BIN_ARG=$2; shift 2 ;;
    --q-depth) Q_DEPTH=$2; shift 2 ;;
    --target-pct) TARGET_PCT=$2; shift 2 ;;
    --perf) PERF=1; shift ;;
    --auditd-mode) AUDITD_MODE=$2; shift 2 ;;
    --perf-callgraph) PERF_CG=$2; shift 2 ;;
    --perf-scope) PERF_SCOPE=$2; shift 2 ;;
    --relay-linger) RELAY_MS=$2; shift 2 ;;
    --lock-wait) LOCK_WAIT=$2; shift 2 ;;
    --rule-dir) EXTRA_RULE_DIRS+=("$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    --repo) REPO=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in EXECS PARALLEL RUNS FILES BASH_SHARE Q_DEPTH TARGET_PCT LOCK_WAIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "--${v,,}: not a number: ${!v}" >&2; exit 2; }
done
[ "$EXECS" -ge 100 ] && [ "$PARALLEL" -ge 1 ] && [ "$RUNS" -ge 1 ] && [ "$BASH_SHARE" -le 90 ] \
  || { echo "need --execs >= 100, --parallel >= 1, --runs >= 1, --bash-share <= 90" >&2; exit 2; }
case $PERF_CG in fp | dwarf) ;; *) echo "--perf-callgraph: fp or dwarf" >&2; exit 2 ;; esac
[ -z "$RELAY_MS" ] || [[ $RELAY_MS =~ ^[0-9]+$ ]] || { echo "--relay-linger: milliseconds" >&2; exit 2; }
case $PERF_SCOPE in system | process) ;; *) echo "--perf-scope: system or process" >&2; exit 2 ;; esac
case $AUDITD_MODE in f | n) ;; *) echo "--auditd-mode: f or n" >&2; exit 2 ;; esac
[ -n "$REPO" ] || REPO=$(readlink -f "$(dirname "$SELF")/../..")
[ -n "$BIN_ARG" ] || BIN_ARG=$REPO/build/src/app/auditeql

step "preconditions"
[ "$(id -u)" = 0 ] || skip "must run as root (uid $(id -u)): it starts auditd and loads kernel audit rules"
[ -x "$BIN_ARG" ] && [ -f "$BIN_ARG" ] || skip "binary under test not found: $BIN_ARG (build the auditeql target, or --binary)"
[ -d "$REPO/conf/rules" ] || skip "no rule directory $REPO/conf/rules"
[ -f "$REPO/rules.d/auditeql.rules" ] || skip "no audit rule bundle $REPO/rules.d/auditeql.rules"
missing=()
for tool in auditd auditctl gcc cpio flock awk; do command -v "$tool" > /dev/null 2>&1 || missing+=("$tool"); done
[ "$PERF" = 1 ] && { command -v perf > /dev/null 2>&1 || missing+=(perf); }
if ! devlog_listening; then command -v rsyslogd > /dev/null 2>&1 || missing+=(rsyslogd); fi
[ "${#missing[@]}" = 0 ] || skip "missing tools: ${missing[*]} (apt-get install auditd gcc cpio rsyslog linux-perf)"
HZ=$(getconf CLK_TCK)

T=$(mktemp -d /tmp/auditeql-bench.XXXXXX) || skip "cannot create a temporary directory"
chmod 0755 "$T"
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
mkdir -p "$T"/{conf/plugins.d,log,out,rsyslog,exceptions.d,bin,sbin,attacks,data/tree/etc,scratch,run}
chmod -R 0755 "$T"
exec {LOCK_FD}> "$LOCK" || skip "cannot open $LOCK"
if ! flock -n "$LOCK_FD"; then
  info "waiting for $LOCK (another test is using the kernel audit system)"
  flock -w "$LOCK_WAIT" "$LOCK_FD" || skip "another test has held $LOCK for $LOCK_WAIT s (it is using the kernel audit system)"
fi
mkfifo "$T/sleep.fifo" && exec {SLEEP_FD}<> "$T/sleep.fifo"
save_state
start_guard
info "temporary directory $T (guard pid ${GUARD_PID:-?})"

auditctl -s > "$T/out/auditctl-s.before" 2>&1 \
  || skip "the kernel audit subsystem does not answer (auditctl -s: $(head -n 1 "$T/out/auditctl-s.before")): no CAP_AUDIT_CONTROL, audit=0 or not the initial namespaces"
ORIG_ENABLED=$(kstat enabled)
ORIG_BACKLOG=$(kstat backlog_limit)
LOST_START=$(kstat lost)
[ "$ORIG_ENABLED" = 2 ] && skip "the kernel audit configuration is locked (enabled=2 until reboot)"
KPID=$(kstat pid)
if [ -n "$KPID" ] && [ "$KPID" != 0 ]; then
  if proc_info "$KPID" && [ "$P_STATE" != Z ]; then
    skip "another audit daemon is registered with the kernel (pid $KPID, $(cat "/proc/$KPID/comm" 2> /dev/null))"
  fi
  auditctl -m "auditeql-bench: clearing a dead audit daemon registration" > /dev/null 2>&1
  nap 0.2
  [ "$(kstat pid)" = 0 ] || skip "the kernel still names dead audit daemon pid $KPID"
fi
if auditctl -l 2> /dev/null | grep -qE -- '(key=|-k )bp_(exec|fork|boot|dracut)$'; then
  skip "audit rules with auditeql's keys (bp_*) are already loaded: an auditeql installation or another test is using them"
fi
[ -e /var/run/auditd.pid ] && skip "/var/run/auditd.pid exists (an auditd is running or crashed)"
[ -d /boot ] || skip "/boot does not exist"
STATE_REPORT_OK=1
[ -e "$STATE_REPORT" ] && { STATE_REPORT_OK=0; info "$STATE_REPORT exists: auditd's queue report (SIGCONT) not used"; }
auditctl -l > "$T/out/rules.before" 2>&1
save_state
info "root, $(auditctl -v 2>&1 | head -n 1), kernel audit enabled=$ORIG_ENABLED backlog_limit=$ORIG_BACKLOG lost=$LOST_START backlog_wait_time=$(kstat backlog_wait_time)"

# ----------------------------------------------------------------------------
step "configuration"
BIN=$T/sbin/auditeql
cp "$BIN_ARG" "$BIN" && chown root:root "$BIN" && chmod 0750 "$BIN" || die "cannot copy $BIN_ARG"
info "binary under test: $BIN_ARG ($(stat -c '%y' "$BIN_ARG" | cut -d. -f1), sha256 $(sha256sum "$BIN" | cut -c1-16))"
SHIPPED=$REPO/conf/rules
if [ -n "$(find "$SHIPPED" -maxdepth 1 \( ! -uid 0 -o -perm -o+w -o \( -perm -g+w ! -gid 0 \) \) -print -quit)" ]; then
  mkdir -p "$T/shipped-rules" && cp "$SHIPPED"/*.yaml "$T/shipped-rules/" && chmod 0644 "$T/shipped-rules"/*.yaml
  SHIPPED=$T/shipped-rules
fi
"$BIN" check --config /dev/null > /dev/null 2>&1   # warm the page cache
STORM=$T/bin/storm
write_storm_c "$T/storm.c"
gcc -O2 -Wall -o "$STORM" "$T/storm.c" 2> "$T/out/gcc.log" || { cat "$T/out/gcc.log"; skip "gcc cannot build the storm driver"; }
if [ -n "$RELAY_MS" ]; then
  write_relay_c "$T/relay.c"
  gcc -O2 -Wall -DPLUGIN_PATH="\"$BIN\"" -o "$T/sbin/relay" "$T/relay.c" 2> "$T/out/gcc-relay.log" \
    || { cat "$T/out/gcc-relay.log"; skip "gcc cannot build the relay"; }
  chmod 0750 "$T/sbin/relay"
  info "EXPERIMENT: auditd -> relay (linger $RELAY_MS ms, batched writes) -> plugin"
fi
printf 'bench payload\n' > "$T/data/payload"
printf 'x\n' > "$T/data/tree/etc/bench"
printf '#!/bin/sh\nexit 0\n' > "$T/bin/unmkinitramfs"
printf '#!/bin/bash\nexit 0\n' > "$T/bin/dracut"
chmod 0755 "$T/bin/unmkinitramfs" "$T/bin/dracut"
chmod 0644 "$T/data/payload" "$T/data/tree/etc/bench"
for ((w = 0; w < PARALLEL; w++)); do mkdir -p "$T/scratch/w$w" && printf 'src\n' > "$T/scratch/w$w/src"; done

# audit rules and the watched directories
create_watched_dirs() {  # the -w directories of audit rules file $1 that are missing
  local -a w missing_levels
  local d p
  while read -r -a w; do
    [ "${w[0]:-}" = -w ] || continue
    d=${w[1]}
    [ -d "$d" ] && continue
    missing_levels=()
    p=$d
    while [ ! -e "$p" ]; do missing_levels=("$p" "${missing_levels[@]}"); p=$(dirname "$p"); done
    for p in "${missing_levels[@]}"; do mkdir "$p" && CREATED_DIRS+=("$p") && save_state; done
    info "created $d (removed at the end)"
  done < "$1"
}
grep -v '^[[:space:]]*\(#\|$\)' "$REPO/rules.d/auditeql.rules" > "$T/audit.rules"
create_watched_dirs "$T/audit.rules"
RULE_DIRS_YAML=$SHIPPED
for d in "${EXTRA_RULE_DIRS[@]}"; do RULE_DIRS_YAML+=", $d"; done
if [ "${#EXTRA_RULE_DIRS[@]}" -gt 0 ]; then
  # Derived on this host, the bundle's directories created: a watch whose
  # directory is still missing is written commented out, as for a user.
  printf 'rule_directories: [%s]\n' "$RULE_DIRS_YAML" > "$T/derive.yaml"
  "$BIN" audit-rules --config "$T/derive.yaml" > "$T/derived.rules" 2> "$T/out/audit-rules.err" \
    || { cat "$T/out/audit-rules.err"; die "auditeql audit-rules cannot derive the audit rules for ${EXTRA_RULE_DIRS[*]}"; }
  info "audit rules derived for the whole rule set: $(tail -n 1 "$T/out/audit-rules.err")"
  grep -v '^[[:space:]]*\(#\|$\)' "$T/derived.rules" > "$T/audit.rules"
fi
grep -q -- '-k bp_fork' "$T/audit.rules" || info "note: the bundle has no fork tracking rules (bp_fork)"
[ -d "$DRACUT_MODULES" ] || die "the bundle has no watch on $DRACUT_MODULES"

# auditd.conf: Debian 12's defaults (auditd 3.0.9), logs and plugins in $T
cat > "$T/conf/auditd.conf" << EOF
local_events = yes
write_logs = yes
log_file = $T/log/audit.log
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 8
num_logs = 5
priority_boost = 4
name_format = NONE
max_log_file_action = ROTATE
space_left = 75
space_left_action = SYSLOG
admin_space_left = 50
admin_space_left_action = SUSPEND
disk_full_action = SUSPEND
disk_error_action = SUSPEND
q_depth = $Q_DEPTH
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $T/conf/plugins.d
end_of_event_timeout = 2
EOF
chmod 0640 "$T/conf/auditd.conf"
info "auditd -$AUDITD_MODE; auditd.conf: Debian 12 defaults, q_depth=$Q_DEPTH overflow_action=SYSLOG log_format=ENRICHED flush=INCREMENTAL_ASYNC priority_boost=4, log in $T/log"

# ----------------------------------------------------------------------------
step "syslog"
if [ -e /dev/log ] && devlog_listening; then
  AUTH_FILE=${BENCH_SYSLOG_AUTH_FILE:-}
  DAEMON_FILE=${BENCH_SYSLOG_DAEMON_FILE:-}
  if [ -z "$AUTH_FILE" ] && [ -z "$DAEMON_FILE" ] && pidof rsyslogd > /dev/null 2>&1 \
    && [ -f /var/log/auth.log ] && [ -f /var/log/syslog ]; then
    AUTH_FILE=/var/log/auth.log DAEMON_FILE=/var/log/syslog
  fi
  [ -n "$AUTH_FILE" ] && [ -f "$AUTH_FILE" ] && [ -n "$DAEMON_FILE" ] && [ -f "$DAEMON_FILE" ] \
    || skip "a syslog daemon listens on /dev/log and its authpriv/daemon files are unknown: set BENCH_SYSLOG_AUTH_FILE and BENCH_SYSLOG_DAEMON_FILE"
  SYS_FILES=("$AUTH_FILE" "$DAEMON_FILE")
  if devlog_owner; then
    SYSLOGD_PID=$DEVLOG_PID
    { read -r SYSLOGD_NAME < "/proc/$SYSLOGD_PID/comm"; } 2> /dev/null
  fi
  info "the host's syslog daemon owns /dev/log: reading $AUTH_FILE and $DAEMON_FILE; its CPU: ${SYSLOGD_NAME:-?} (pid ${SYSLOGD_PID:-not found})"
else
  SYSLOG_FILE=$T/out/syslog.log
  cat > "$T/rsyslog/rsyslog.conf" << EOF
global(workDirectory="$T/rsyslog" maxMessageSize="64k")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
template(name="bench" type="string"
         string="%syslogfacility-text%.%syslogseverity-text% %timegenerated:::date-rfc3339% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
*.* action(type="omfile" file="$SYSLOG_FILE" template="bench")
EOF
  rsyslogd -N1 -f "$T/rsyslog/rsyslog.conf" > "$T/out/rsyslog-check.log" 2>&1 \
    || die "rsyslogd rejects the configuration: $(tail -n 2 "$T/out/rsyslog-check.log")"
  CREATED_DEVLOG=1
  (
    for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
    exec rsyslogd -n -f "$T/rsyslog/rsyslog.conf" -i "$T/rsyslog/rsyslogd.pid"
  ) < /dev/null > "$T/out/rsyslogd.log" 2>&1 &
  RSYS_PID=$!
  proc_info "$RSYS_PID" && RSYS_START=$P_START
  save_state
  for ((i = 0; i < 200; i++)); do devlog_listening && break; alive "$RSYS_PID" "$RSYS_START" || break; nap 0.02; done
  devlog_listening || die "the private rsyslogd did not open /dev/log: $(tail -n 3 "$T/out/rsyslogd.log")"
  : > "$SYSLOG_FILE"
  SYS_FILES=("$SYSLOG_FILE")
  SYSLOGD_PID=$RSYS_PID SYSLOGD_NAME=rsyslogd
  info "private rsyslogd pid $RSYS_PID on /dev/log -> $SYSLOG_FILE"
fi
syslog_mark
rand_hex
PROBE="probe-$RAND"
logger -p authpriv.notice -t auditeql-bench "$PROBE"
for ((i = 0; i < 100; i++)); do syslog_since | grep -qF "$PROBE" && break; nap 0.05; done
syslog_since | grep -qF "$PROBE" || die "a logger message did not reach the syslog file within 5 s"

if [ -n "$ORIG_BACKLOG" ] && [ "$ORIG_BACKLOG" != 8192 ]; then
  auditctl -b 8192 > /dev/null && info "backlog_limit $ORIG_BACKLOG -> 8192 while the benchmark runs (restored at the end)"
fi

# ----------------------------------------------------------------------------
# one measured run
RESULTS=()     # one table line per run
MISSES=()      # "run N: what"
declare -a M_DUR M_RATE M_AUD M_PLU M_RATIO M_ALERTS M_QF M_DROP M_LAG M_QMAX M_FLOOR M_SW M_LOST
EXPECTED_ALERTS=
N_BASH_ITER=$(((EXECS * BASH_SHARE / 100 + 8) / 9))
# per worker, besides the C driver's children and the bash loop: the driver
# itself twice, mkdir + storm + rm for the files, 10 in the attack scripts
N_C=$((EXECS - 9 * N_BASH_ITER - 15))
[ "$N_C" -ge 10 ] || die "--execs too small for --bash-share"

run_once() {
  local run=$1 i w c line
  local -a miss=()
  local R=$T/run/r$run
  mkdir -p "$R"
  rm -f "$T/run"/w*.counts
  rand_hex
  local RUNID=r$run$RAND
  step "run $run/$RUNS: $PARALLEL worker(s) x $EXECS execs (C driver $N_C, bash loop $N_BASH_ITER x 9, $FILES files), run id $RUNID"

  # plugin configuration for this run
  ALERT_FILE=$R/alerts.ndjson
  cat > "$R/auditeql.yaml" << EOF
rule_directories: [$RULE_DIRS_YAML]
exception_directories: [$T/exceptions.d]
syslog_facility: authpriv
alert_file: $ALERT_FILE
EOF
  chmod 0644 "$R/auditeql.yaml"
  local enabled_expected="rules: 5 enabled"
  [ "${#EXTRA_RULE_DIRS[@]}" -gt 0 ] && enabled_expected="rules: "
  "$BIN" check --config "$R/auditeql.yaml" > "$R/check.out" 2>&1 && grep -q "$enabled_expected" "$R/check.out" \
    || { cat "$R/check.out"; die "auditeql check rejects the configuration (expected 5 enabled rules)"; }
  if [ -n "$RELAY_MS" ]; then
    cat > "$T/conf/plugins.d/auditeql.conf" << EOF
active = yes
direction = out
path = $T/sbin/relay
type = always
args = $RELAY_MS $R/auditeql.yaml
format = string
EOF
  else
    cat > "$T/conf/plugins.d/auditeql.conf" << EOF
active = yes
direction = out
path = $BIN
type = always
args = $R/auditeql.yaml
format = string
EOF
  fi
  chmod 0640 "$T/conf/plugins.d/auditeql.conf"

  # attack scripts (written now: no exec in the storm window for that)
  local -a MARK_BOOT MARK_CPIO MARK_UNMK MARK_DRACUT MODDIR
  for ((w = 0; w < PARALLEL; w++)); do
    MARK_BOOT[w]=auditeql-bench-$RUNID-w$w-boot
    MARK_CPIO[w]=initrd-$RUNID-w$w-cpio
    MARK_UNMK[w]=initrd-$RUNID-w$w-unmk
    MARK_DRACUT[w]=initrd-$RUNID-w$w-dracut
    MODDIR[w]=$DRACUT_MODULES/zz-bench-$RUNID-w$w
    CREATED_PATHS+=("/boot/${MARK_BOOT[w]}" "${MODDIR[w]}")
    attack_script "$T/attacks/w$w-boot.sh" "cp '$T/data/payload' '/boot/${MARK_BOOT[w]}'
rm -f '/boot/${MARK_BOOT[w]}'"
    attack_script "$T/attacks/w$w-cpio.sh" "find '$T/data/tree' | cpio -o -H newc -O '$R/${MARK_CPIO[w]}.cpio' 2>/dev/null"
    attack_script "$T/attacks/w$w-unmk.sh" "'$T/bin/unmkinitramfs' '$R/${MARK_UNMK[w]}.img' '$R/unpacked'"
    attack_script "$T/attacks/w$w-dracut.sh" "'$T/bin/dracut' --force '$R/${MARK_DRACUT[w]}.img'"
  done
  local WARM=auditeql-bench-$RUNID-warm END=auditeql-bench-$RUNID-end
  CREATED_PATHS+=("/boot/$WARM" "/boot/$END")
  save_state
  attack_script "$T/attacks/warm.sh" "cp '$T/data/payload' '/boot/$WARM'
rm -f '/boot/$WARM'"
  attack_script "$T/attacks/end.sh" "cp '$T/data/payload' '/boot/$END'
rm -f '/boot/$END'"

  # auditd and the plugin
  syslog_mark
  (
    for fd in /proc/$BASHPID/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
    exec auditd "-$AUDITD_MODE" -c "$T/conf"
  ) < /dev/null > "$R/auditd.stdout" 2> "$R/auditd.stderr" &
  AUDITD_PID=$!
  proc_info "$AUDITD_PID" && AUDITD_START=$P_START
  save_state
  for ((i = 0; i < 250; i++)); do
    [ "$(kstat pid)" = "$AUDITD_PID" ] && break
    alive "$AUDITD_PID" "$AUDITD_START" || break
    nap 0.02
  done
  [ "$(kstat pid)" = "$AUDITD_PID" ] || { tail -n 10 "$R/auditd.stderr"; die "auditd did not register with the kernel within 5 s"; }
  PLUGIN_PID=
  RELAY_PID=
  for ((i = 0; i < 250; i++)); do
    children_of "$AUDITD_PID"
    if [ -n "$RELAY_MS" ]; then
      for c in "${CHILDREN[@]}"; do [ "$(readlink "/proc/$c/exe" 2> /dev/null)" = "$T/sbin/relay" ] && RELAY_PID=$c; done
      [ -n "$RELAY_PID" ] && children_of "$RELAY_PID"
    fi
    for c in "${CHILDREN[@]}"; do
      [ "$(readlink "/proc/$c/exe" 2> /dev/null)" = "$BIN" ] && { PLUGIN_PID=$c; break; }
    done
    [ -n "$PLUGIN_PID" ] && break
    nap 0.02
  done
  [ -n "$PLUGIN_PID" ] || { tail -n 10 "$R/auditd.stderr"; die "auditd started no plugin running $BIN within 5 s"; }
  proc_info "$PLUGIN_PID" && PLUGIN_START=$P_START
  save_state
  wait_plugin_line 'started: [0-9]+ rules' 15 || { tail -n 10 "$R/auditd.stderr"; die "the plugin logged no 'started' line"; }
  info "auditd pid $AUDITD_PID (nice $(awk '{print $19}' "/proc/$AUDITD_PID/stat")), plugin pid $PLUGIN_PID: $LINE"

  # audit rules
  local nrules=0
  while IFS= read -r line; do
    read -r -a w <<< "$line"
    if auditctl "${w[@]}" > "$R/auditctl.out" 2>&1; then
      RULES_LOADED+=("$line")
      save_state
      nrules=$((nrules + 1))
    else
      die "auditctl rejected: $line: $(tr '\n' ' ' < "$R/auditctl.out")"
    fi
  done < "$T/audit.rules"
  auditctl -l > "$R/rules.loaded" 2>&1

  # warm-up: the whole path works
  af_open
  AF_SCANNED=0
  "$T/attacks/warm.sh"
  wait_alert_file "$WARM" 10 || die "warm-up: no alert for a cp into /boot within 10 s (kernel -> auditd -> plugin broken?)"
  info "warm-up alert received; $nrules audit rules loaded, backlog_limit=$(kstat backlog_limit)"
  nap 1

  # statistics before
  kill -USR1 "$PLUGIN_PID"
  wait_plugin_line '^statistics: records=' 10 || die "no statistics line after SIGUSR1"
  local STATS0=$LINE
  declare -A S0 S1
  parse_stats "$STATS0" S0

  # optional profiler
  if [ "$PERF" = 1 ]; then
    local cg=(-g)
    [ "$PERF_CG" = dwarf ] && cg=(--call-graph dwarf,16384)
    local scope=(-p "$PLUGIN_PID")
    [ "$PERF_SCOPE" = system ] && scope=(-a)
    perf record -e cpu-clock "${cg[@]}" "${scope[@]}" -o "$R/perf.data" > "$R/perf-record.log" 2>&1 &
    PERF_PID=$!
    proc_info "$PERF_PID" && PERF_START=$P_START
    save_state
    nap 1
  fi

  # backlog sampler
  : > "$R/backlog.samples"
  (
    trap - EXIT INT TERM HUP
    exec {LOCK_FD}>&-
    while [ ! -e "$R/stop-sampler" ]; do
      while read -r k v _; do [ "$k" = backlog ] && echo "$v"; done < <(auditctl -s 2> /dev/null) >> "$R/backlog.samples"
      nap 0.5
    done
  ) &
  SAMPLER_PID=$!
  proc_info "$SAMPLER_PID" && SAMPLER_START=$P_START
  save_state

  # ---- the storm
  kstat_all
  local lost_before=${KS[lost]} bwa0=${KS[backlog_wait_time_actual]:-}
  local kaud_pid=
  local comm
  for c in /proc/[0-9]*; do
    comm=
    { read -r comm < "$c/comm"; } 2> /dev/null
    [ "$comm" = kauditd ] && { kaud_pid=${c#/proc/}; break; }
  done
  local -A PT0 PT1 AT0 AT1
  thread_counters "$PLUGIN_PID" PT0
  thread_counters "$AUDITD_PID" AT0
  local cpu_line stat0 stat1
  read -r cpu_line < /proc/stat; stat0=$cpu_line
  cpu_of "$AUDITD_PID"; local a0=$CPU
  cpu_of "$PLUGIN_PID"; local p0=$CPU
  cpu_of "$SYSLOGD_PID"; local r0=$CPU
  local y0=0; [ -n "$RELAY_PID" ] && { cpu_of "$RELAY_PID"; y0=$CPU; }
  local k0=0; [ -n "$kaud_pid" ] && { cpu_of "$kaud_pid"; k0=$CPU; }
  now_us; local t0=$NOW_US

  WORKER_PIDS=() WORKER_STARTS=()
  for ((w = 0; w < PARALLEL; w++)); do
    (
      trap - EXIT INT TERM HUP
      exec {LOCK_FD}>&-
      worker "$w" "$N_C" "$N_BASH_ITER" "${MODDIR[w]}"
    ) > "$T/run/w$w.out" 2>&1 &
    WORKER_PIDS+=($!)
    proc_info "$!" && WORKER_STARTS+=("$P_START")
  done
  save_state
  for ((w = 0; w < PARALLEL; w++)); do wait "${WORKER_PIDS[w]}"; done
  now_us; local t1=$NOW_US
  cpu_of "$AUDITD_PID"; local a1=$CPU
  cpu_of "$PLUGIN_PID"; local p1=$CPU
  WORKER_PIDS=() WORKER_STARTS=()
  save_state

  # sentinel: when its alert is out, the plugin has processed the whole storm
  "$T/attacks/end.sh"
  local drained=1
  wait_alert_file "$END" 300 || drained=0
  now_us; local t2=$NOW_US
  cpu_of "$AUDITD_PID"; local a2=$CPU
  cpu_of "$PLUGIN_PID"; local p2=$CPU
  cpu_of "$SYSLOGD_PID"; local r2=$CPU
  local y2=0; [ -n "$RELAY_PID" ] && { cpu_of "$RELAY_PID"; y2=$CPU; }
  local k2=0; [ -n "$kaud_pid" ] && { cpu_of "$kaud_pid"; k2=$CPU; }
  read -r cpu_line < /proc/stat; stat1=$cpu_line
  thread_counters "$PLUGIN_PID" PT1
  thread_counters "$AUDITD_PID" AT1
  : > "$R/stop-sampler"
  stop_pid "$SAMPLER_PID" "$SAMPLER_START" "backlog sampler" 3
  SAMPLER_PID=
  if [ -n "$PERF_PID" ]; then stop_pid "$PERF_PID" "$PERF_START" perf 30 INT; PERF_PID=; fi
  save_state
  # ---- end of the measured window

  kstat_all
  local lost_after=${KS[lost]} bwa1=${KS[backlog_wait_time_actual]:-}
  local bmax
  bmax=$(sort -n "$R/backlog.samples" | tail -n 1)
  local bsamples
  bsamples=$(grep -c '' "$R/backlog.samples")

  # statistics after
  kill -USR1 "$PLUGIN_PID"
  local STATS1=
  wait_plugin_line '^statistics: records=' 10 2 && STATS1=$LINE
  parse_stats "$STATS1" S1

  # auditd's own queue report
  local qmax='?' qover='?' qsize='?'
  if [ "$STATE_REPORT_OK" = 1 ]; then
    CREATED_PATHS+=("$STATE_REPORT")
    save_state
    kill -CONT "$AUDITD_PID"
    for ((i = 0; i < 50; i++)); do [ -s "$STATE_REPORT" ] && break; nap 0.1; done
    nap 0.2
    if [ -s "$STATE_REPORT" ]; then
      cp "$STATE_REPORT" "$R/auditd.state"
      qmax=$(sed -n 's/^max plugin queue depth used = //p' "$R/auditd.state")
      qover=$(sed -n 's/^plugin queue overflow detected = //p' "$R/auditd.state")
      qsize=$(sed -n 's/^plugin queue size = //p' "$R/auditd.state")
    fi
    rm -f "$STATE_REPORT"
  fi

  # worker accounting
  local execs=0
  for ((w = 0; w < PARALLEL; w++)); do
    line=$(sed -n 's/^total execs=//p' "$T/run/w$w.counts" 2> /dev/null)
    [ -n "$line" ] || { miss+=("worker $w did not finish: $(tail -n 3 "$T/run/w$w.out" 2> /dev/null | tr '\n' ' ')"); line=0; }
    execs=$((execs + line))
    grep -h 'failed=[1-9]' "$T/run/w$w.counts" > /dev/null 2>&1 && miss+=("worker $w: failed commands: $(grep -h failed "$T/run/w$w.counts" | tr '\n' ' ')")
    cp "$T/run/w$w.counts" "$T/run/w$w.out" "$R/" 2> /dev/null
  done

  # remove the rules, stop auditd (the plugin logs its final statistics)
  auditctl -l > "$R/rules.end" 2>&1
  cmp -s "$R/rules.loaded" "$R/rules.end" || miss+=("the audit rules were changed by another process during the run")
  for ((i = ${#RULES_LOADED[@]} - 1; i >= 0; i--)); do
    read -r -a w <<< "${RULES_LOADED[i]}"
    case "${w[0]}" in -a) w[0]=-d ;; -w) w[0]=-W ;; esac
    auditctl "${w[@]}" > /dev/null 2>&1 || info "could not remove audit rule: ${RULES_LOADED[i]}"
  done
  RULES_LOADED=()
  save_state
  local plugin_alive=yes
  alive "$PLUGIN_PID" "$PLUGIN_START" || plugin_alive=no
  local ppid_saved=$PLUGIN_PID auditd_saved=$AUDITD_PID
  stop_auditd_and_plugin > /dev/null
  PLUGIN_PID=$ppid_saved
  wait_plugin_line '^stopping \(' 5 && info "plugin's final line: $(printf '%.200s' "$LINE")..."
  PLUGIN_PID=
  af_collect
  af_close
  for p in "${MARK_BOOT[@]}" "$WARM" "$END"; do rm -f "/boot/$p"; done

  # ---- alerts
  syslog_since > "$R/syslog.txt"
  grep -F " auditeql[$ppid_saved]: {" "$R/syslog.txt" | sed 's/^.*\]: //' > "$R/alerts.syslog"
  local n_sys n_file n_other=0
  if [ "${#EXTRA_RULE_DIRS[@]}" -gt 0 ]; then
    # The expected counts are the shipped rules'; the others' are listed.
    local shipped_ids="\"rule\":\\{[^}]*\"id\":\"($RULE_BOOT_COPY|$RULE_CPIO|$RULE_DRACUT_MODULE|$RULE_UNMKINITRAMFS|$RULE_MANUAL_DRACUT)\""
    n_other=$(grep -cvE "$shipped_ids" "$R/alerts.syslog")
    n_sys=$(grep -cE "$shipped_ids" "$R/alerts.syslog")
    n_file=$(grep -cE "$shipped_ids" "$ALERT_FILE" 2> /dev/null || echo 0)
  else
    n_sys=$(grep -c '' "$R/alerts.syslog")
    n_file=$(grep -c '' "$ALERT_FILE" 2> /dev/null || echo 0)
  fi
  local dracut_matches=$((PARALLEL * (FILES + 1)))
  local dracut_expected=$((dracut_matches < MAX_SIGNALS ? dracut_matches : MAX_SIGNALS))
  local expected=$((1 + 4 * PARALLEL + dracut_expected + 1))
  local n_dracut_sys n_dracut_file
  # The alert's rule object has its keys in name order and no object inside it.
  # The marker stands anywhere in the line (fields are in name order: process before rule).
  of_rule() { grep -E "\"rule\":\{[^}]*\"id\":\"$1\"" "$2" 2> /dev/null | grep -F -- "$3"; }
  n_dracut_sys=$(of_rule "$RULE_DRACUT_MODULE" "$R/alerts.syslog" "zz-bench-$RUNID-w" | grep -c '')
  n_dracut_file=$(of_rule "$RULE_DRACUT_MODULE" "$ALERT_FILE" "zz-bench-$RUNID-w" | grep -c '')
  local missing_alerts=()
  chk_alert() { # chk_alert RULE MARKER NAME
    of_rule "$1" "$R/alerts.syslog" "$2" > /dev/null || missing_alerts+=("$3 (syslog)")
    of_rule "$1" "$ALERT_FILE" "$2" > /dev/null || missing_alerts+=("$3 (alert_file)")
  }
  chk_alert "$RULE_BOOT_COPY" "$WARM" warm-up
  chk_alert "$RULE_BOOT_COPY" "$END" sentinel
  for ((w = 0; w < PARALLEL; w++)); do
    chk_alert "$RULE_BOOT_COPY" "${MARK_BOOT[w]}" "w$w boot copy"
    chk_alert "$RULE_CPIO" "${MARK_CPIO[w]}" "w$w cpio"
    chk_alert "$RULE_UNMKINITRAMFS" "${MARK_UNMK[w]}" "w$w unmkinitramfs"
    chk_alert "$RULE_MANUAL_DRACUT" "${MARK_DRACUT[w]}" "w$w dracut"
  done
  local per_rule
  per_rule=$(grep -o '"rule":{[^}]*}' "$R/alerts.syslog" | grep -o '"name":"[^"]*"' | sed 's/^"name":"//; s/"$//' | sort | uniq -c | awk '{ n = $1; $1 = ""; printf "%s%s=%d", (NR > 1 ? ", " : ""), substr($0, 2), n }')

  # ---- queue full
  local qf_err qf_sys qf
  qf_err=$(grep -c 'queue to plugins is full' "$R/auditd.stderr")
  qf_sys=$(grep -c 'queue to plugins is full' "$R/syslog.txt")
  qf=$((qf_err + qf_sys))
  local restarts
  restarts=$(grep -c 'terminated unexpectedly\|was restarted' "$R/auditd.stderr" "$R/syslog.txt" | awk -F: '{ s += $2 } END { print s + 0 }')

  # ---- figures
  local dur_us=$((t1 - t0)) lag_us=$((t2 - t1))
  local rate
  rate=$(awk -v e="$execs" -v u="$dur_us" 'BEGIN { printf "%.0f", e * 1000000 / u }')
  local da=$((a2 - a0)) dp=$((p2 - p0)) das=$((a1 - a0)) dps=$((p1 - p0))
  local ratio ratio_storm
  ratio=$(pct "$dp" "$da")
  ratio_storm=$(pct "$dps" "$das")
  local -a c0 c1
  read -r -a c0 <<< "$stat0"
  read -r -a c1 <<< "$stat1"
  local busy idle
  idle=$(((c1[4] + c1[5]) - (c0[4] + c0[5])))
  busy=$(((c1[1] + c1[2] + c1[3] + c1[6] + c1[7] + c1[8]) - (c0[1] + c0[2] + c0[3] + c0[6] + c0[7] + c0[8])))
  local dropped=$((${S1[dropped_bytes]:-0} + ${S1[dropped_chunks]:-0}))
  thread_report PT0 PT1
  local p_threads=$TR_LINE p_switches=$((TR_VCS + TR_NVCS)) p_reads=$TR_R
  thread_report AT0 AT1
  local a_threads=$TR_LINE a_writes=$TR_W
  local records=$((${S1[records]:-0} - ${S0[records]:-0}))
  local p_floor='n/a'
  if [ -s "$R/auditd.stdout" ]; then
    # the same records replayed offline: the pipeline's compute cost without
    # the live input path (threads, wake-ups, small reads)
    local TIMEFORMAT='%U %S' tu ts
    { time "$BIN" replay --config "$R/auditeql.yaml" "$R/auditd.stdout" > "$R/replay.out" 2> "$R/replay.err"; } 2> "$R/replay.time"
    read -r tu ts < "$R/replay.time"
    p_floor=$(awk -v u="$tu" -v s="$ts" 'BEGIN { printf "%.2f", u + s }')
  fi

  info "storm: $execs execs ($PARALLEL x $EXECS by design) in $(fmt_us "$dur_us") s = $rate execs/s; plugin caught up $(fmt_us "$lag_us") s after the storm ended$([ "$drained" = 1 ] || echo ' -- NOT within 300 s')"
  info "CPU, storm+drain window ($(fmt_us $((t2 - t0))) s): auditd $(secs "$da") s, plugin $(secs "$dp") s ($ratio %), ${SYSLOGD_NAME:-syslog daemon} $([ -n "$SYSLOGD_PID" ] && echo "$(secs $((r2 - r0))) s" || echo "n/a (pid unknown)"), kauditd $(secs $((k2 - k0))) s; machine busy $(pct "$busy" $((busy + idle))) % of 2 CPUs"
  [ -n "$RELAY_MS" ] && info "EXPERIMENT relay (linger $RELAY_MS ms): relay cpu $(secs $((y2 - y0))) s; plugin + relay $(secs $((dp + y2 - y0))) s = $(pct $((dp + y2 - y0)) "$da") % of auditd"
  info "CPU, storm window only: auditd $(secs "$das") s, plugin $(secs "$dps") s ($ratio_storm %)"
  info "plugin threads (storm+drain):$p_threads"
  info "auditd threads (storm+drain):$a_threads"
  info "input path: $records records; plugin read() calls $p_reads ($(awk -v r="$records" -v n="$p_reads" 'BEGIN { if (n) printf "%.1f", r / n; else print "?" }') records per read), context switches $p_switches ($(awk -v r="$records" -v n="$p_switches" 'BEGIN { if (r) printf "%.2f", n / r; else print "?" }') per record); auditd write() calls $a_writes"
  info "offline replay of the same records by the same binary (auditeql replay auditd.stdout): ${p_floor} s CPU, vs $(secs "$dp") s live"
  info "plugin saw: records=$((${S1[records]:-0} - ${S0[records]:-0})) events=$((${S1[events]:-0} - ${S0[events]:-0})) starts=$((${S1[starts]:-0} - ${S0[starts]:-0})) creations=$((${S1[creations]:-0} - ${S0[creations]:-0})) unknown_parents=$((${S1[unknown_parents]:-0} - ${S0[unknown_parents]:-0})) proc_lookups=$((${S1[proc_lookups]:-0} - ${S0[proc_lookups]:-0})) throttled=$((${S1[throttled]:-0} - ${S0[throttled]:-0}))"
  info "plugin statistics: $STATS1"
  info "alerts: syslog $n_sys, alert_file $n_file, expected $expected$([ "$n_other" = 0 ] || echo " (shipped rules; $n_other more from the other rules)") (warm-up 1 + planted $((4 * PARALLEL)) + dracut min($MAX_SIGNALS, $dracut_matches) = $dracut_expected + sentinel 1); by rule: $per_rule"
  info "kernel: lost $lost_before -> $lost_after (at start of script $LOST_START), backlog max $bmax over $bsamples samples (limit $(kstat backlog_limit 2> /dev/null)), backlog_wait_time_actual ${bwa0:-?} -> ${bwa1:-?}"
  info "auditd: queue to plugins is full: $qf_err on stderr, $qf_sys in syslog; plugin queue max depth used $qmax of $qsize (overflow detected: $qover); plugin restarts $restarts; auditd.stdout $(stat -c %s "$R/auditd.stdout") bytes, audit log $(du -sb "$T/log" | cut -f1) bytes"

  # ---- targets
  awk -v r="$ratio" -v t="$TARGET_PCT" 'BEGIN { exit !(r != "inf" && r + 0 <= t + 0) }' \
    || miss+=("plugin CPU $(secs "$dp") s is $ratio % of auditd's $(secs "$da") s (target <= $TARGET_PCT %)")
  [ "$drained" = 1 ] || miss+=("the sentinel alert did not arrive within 300 s of the storm's end")
  [ "${#missing_alerts[@]}" = 0 ] || miss+=("missing alerts: ${missing_alerts[*]}")
  [ "$n_dracut_sys" = "$dracut_expected" ] || miss+=("Dracut Module Creation: $n_dracut_sys alerts in syslog, expected $dracut_expected")
  [ "$n_dracut_file" = "$dracut_expected" ] || miss+=("Dracut Module Creation: $n_dracut_file alerts in alert_file, expected $dracut_expected")
  [ "$n_sys" = "$expected" ] || miss+=("alerts in syslog: $n_sys, expected $expected")
  [ "$n_file" = "$expected" ] || miss+=("alerts in alert_file: $n_file, expected $expected")
  local thr=$((${S1[throttled]:-0} - ${S0[throttled]:-0}))
  [ "${#EXTRA_RULE_DIRS[@]}" -gt 0 ] || [ "$thr" = $((dracut_matches - dracut_expected)) ] || miss+=("plugin throttled $thr alerts, expected $((dracut_matches - dracut_expected))")
  [ "$qf" = 0 ] || miss+=("auditd logged 'queue to plugins is full' $qf times")
  [ "$qover" != yes ] || miss+=("auditd's plugin queue overflowed")
  [ "$lost_after" = "$lost_before" ] || miss+=("kernel lost counter $lost_before -> $lost_after")
  [ -n "$STATS1" ] || miss+=("no statistics line after the storm")
  [ "$dropped" = 0 ] || miss+=("plugin dropped input: dropped_bytes=${S1[dropped_bytes]} dropped_chunks=${S1[dropped_chunks]}")
  [ "$plugin_alive" = yes ] && [ "$restarts" = 0 ] || miss+=("the plugin died or was restarted")

  local row
  row="execs=$execs duration=$(fmt_us "$dur_us")s execs/s=$rate | auditd cpu=$(secs "$da")s plugin cpu=$(secs "$dp")s ratio=$ratio% | alerts=$n_sys expected=$expected | queue-full msgs=$qf | lost before=$lost_before after=$lost_after | plugin dropped=$dropped"
  RESULTS+=("run $run: $row")
  M_DUR+=("$(fmt_us "$dur_us")") M_RATE+=("$rate") M_AUD+=("$(secs "$da")") M_PLU+=("$(secs "$dp")") M_RATIO+=("$ratio")
  M_ALERTS+=("$n_sys") M_QF+=("$qf") M_DROP+=("$dropped") M_LAG+=("$(fmt_us "$lag_us")") M_QMAX+=("$qmax")
  M_FLOOR+=("$p_floor") M_SW+=("$p_switches") M_LOST+=($((lost_after - lost_before)))
  EXPECTED_ALERTS=$expected
  log "$row"
  for i in "${miss[@]}"; do MISSES+=("run $run: $i"); log "   MISSED: $i"; done

  # ---- profile
  if [ "$PERF" = 1 ] && [ -s "$R/perf.data" ]; then
    local pr=(perf report -i "$R/perf.data" --no-children --stdio --percentage relative)
    "${pr[@]}" --sort comm,dso -g none --percent-limit 1 > "$R/perf-system.txt" 2> "$R/perf-report.err"
    "${pr[@]}" --pid "$ppid_saved" --sort pid,dso -g none > "$R/perf-plugin-dso.txt" 2>> "$R/perf-report.err"
    # (pid must be a sort key: perf report applies --pid after merging entries)
    "${pr[@]}" --pid "$ppid_saved" --sort pid,dso,symbol -g none --percent-limit 0.3 > "$R/perf-plugin-flat.txt" 2>> "$R/perf-report.err"
    "${pr[@]}" --pid "$ppid_saved" --sort comm,dso,symbol -g none --percent-limit 0.3 > "$R/perf-plugin-symbols.txt" 2>> "$R/perf-report.err"
    "${pr[@]}" --pid "$ppid_saved" --sort pid,dso,symbol --percent-limit 1 > "$R/perf-plugin-callers.txt" 2>> "$R/perf-report.err"
    "${pr[@]}" --pid "$ppid_saved" --children --sort pid,symbol -g none --percent-limit 2 > "$R/perf-plugin-children.txt" 2>> "$R/perf-report.err"
    "${pr[@]}" --pid "$auditd_saved" --sort pid,dso,symbol -g none --percent-limit 1 > "$R/perf-auditd-flat.txt" 2>> "$R/perf-report.err"
    info "perf (cpu-clock, scope $PERF_SCOPE, call graph $PERF_CG): $(grep -m1 '^# Samples' "$R/perf-plugin-flat.txt" | sed 's/^# //') for the plugin"
    if [ "$PERF_SCOPE" = system ]; then
      info "whole machine by command and DSO:"
      grep -E '^ +[0-9.]+%' "$R/perf-system.txt" | head -n 14 | sed 's/  */ /g; s/^/     /'
    fi
    info "plugin by thread and DSO:"
    grep -E '^ +[0-9.]+%' "$R/perf-plugin-dso.txt" | head -n 8 | sed 's/  */ /g; s/^/     /'
    info "plugin, top symbols (self; both threads together):"
    grep -E '^ +[0-9.]+%' "$R/perf-plugin-symbols.txt" | head -n 30 | sed 's/  */ /g; s/^/     /'
    info "plugin, top symbols per thread (self):"
    grep -E '^ +[0-9.]+%' "$R/perf-plugin-flat.txt" | head -n 20 | sed 's/  */ /g; s/^/     /'
    info "plugin, top symbols (self + callees; needs --perf-callgraph dwarf: the binary has no frame pointers):"
    grep -E '^ +[0-9.]+%' "$R/perf-plugin-children.txt" | head -n 30 | sed 's/  */ /g; s/^/     /'
    info "auditd, top symbols (self):"
    grep -E '^ +[0-9.]+%' "$R/perf-auditd-flat.txt" | head -n 12 | sed 's/  */ /g; s/^/     /'
    info "full reports: $R/perf-*.txt (kept with --keep)"
  fi
}

for ((run = 1; run <= RUNS; run++)); do run_once "$run"; done

# ----------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
step "results (--execs $EXECS --parallel $PARALLEL --runs $RUNS; auditd -$AUDITD_MODE,$([ -n "$RELAY_MS" ] && echo " EXPERIMENT relay linger $RELAY_MS ms,") q_depth=$Q_DEPTH, backlog_limit 8192, $(nproc) CPUs$([ "$PERF" = 1 ] && echo ', PROFILED: CPU figures include perf'))"
for r in "${RESULTS[@]}"; do log "$r"; done
if [ "$RUNS" -gt 1 ]; then
  log "median: execs=$((EXECS * PARALLEL)) duration=$(median "${M_DUR[@]}")s execs/s=$(median "${M_RATE[@]}") | auditd cpu=$(median "${M_AUD[@]}")s plugin cpu=$(median "${M_PLU[@]}")s ratio=$(median "${M_RATIO[@]}")% | alerts=$(median "${M_ALERTS[@]}") expected=$EXPECTED_ALERTS | queue-full msgs max=$(printf '%s\n' "${M_QF[@]}" | sort -n | tail -n 1) | lost increase max=$(printf '%s\n' "${M_LOST[@]}" | sort -n | tail -n 1) | plugin dropped max=$(printf '%s\n' "${M_DROP[@]}" | sort -n | tail -n 1) | drain lag=$(median "${M_LAG[@]}")s | plugin queue max depth=$(median "${M_QMAX[@]}") | plugin context switches=$(median "${M_SW[@]}") | offline replay cpu=$(median "${M_FLOOR[@]}")s"
fi
if [ "${#MISSES[@]}" -gt 0 ]; then
  log ""
  log "TARGETS MISSED:"
  for m in "${MISSES[@]}"; do log "   $m"; done
  RC=1
else
  log "all targets met"
  RC=0
fi
teardown
exit "$RC"
