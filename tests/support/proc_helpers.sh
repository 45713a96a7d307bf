# Shell helpers shared by the scripts that drive real auditd
# (tests/e2e/run_e2e.sh, tests/bench/live-overhead.sh): output, fork-free
# time and sleep, and /proc-based process checks that stop only the process
# a script started (a pid is only "ours" while its start time matches).
# Sourced; bash only.

log() { printf '%s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
info() { printf '   %s\n' "$*"; }

nap() { # sleep without forking, on a fd nobody writes to (SLEEP_FD), when the script opened one
  if [ -n "${SLEEP_FD:-}" ]; then read -r -t "$1" -u "$SLEEP_FD" _ 2> /dev/null || true; else sleep "$1"; fi
}
now_us() { NOW_US=${EPOCHREALTIME/./}; }
rand_hex() { printf -v RAND '%08x' "$SRANDOM"; }

# proc_info PID: P_STATE, P_PPID, P_START (start time in ticks), P_CPU (utime + stime);
# fails for an empty PID (which would read /proc//stat, that is /proc/stat)
proc_info() {
  local line rest
  P_STATE= P_PPID= P_START= P_CPU=
  [ -n "$1" ] || return 1
  { IFS= read -r line < "/proc/$1/stat"; } 2> /dev/null || return 1
  [[ $line == *") "* ]] || return 1
  rest=${line##*) }
  local -a f
  read -r -a f <<< "$rest"
  P_STATE=${f[0]} P_PPID=${f[1]} P_START=${f[19]} P_CPU=$((f[11] + f[12]))
}
alive() { [ -n "$1" ] && proc_info "$1" && [ "$P_START" = "$2" ] && [ "$P_STATE" != Z ]; }
children_of() { # CHILDREN=(pids whose parent is $1)
  local d
  CHILDREN=()
  for d in /proc/[0-9]*; do
    proc_info "${d#/proc/}" && [ "$P_PPID" = "$1" ] && [ "$P_STATE" != Z ] && CHILDREN+=("${d#/proc/}")
  done
}

# stop_pid PID START NAME SECONDS [SIGNAL]: SIGNAL (TERM), wait, then SIGKILL; only that process
stop_pid() {
  local pid=$1 start=$2 name=$3 secs=$4 sig=${5:-TERM} i
  alive "$pid" "$start" || { wait "$pid" 2> /dev/null; return 0; }
  kill -"$sig" "$pid" 2> /dev/null
  for ((i = 0; i < secs * 20; i++)); do alive "$pid" "$start" || break; nap 0.05; done
  if alive "$pid" "$start"; then
    log "   $name (pid $pid) ignored SIG$sig for ${secs}s: SIGKILL"
    kill -KILL "$pid" 2> /dev/null
    for ((i = 0; i < 40; i++)); do alive "$pid" "$start" || break; nap 0.05; done
  fi
  wait "$pid" 2> /dev/null # reap when it is our child
  return 0
}

kstat() { auditctl -s 2> /dev/null | awk -v k="$1" '$1 == k { print $2 }'; }
devlog_owner() { # DEVLOG_PID: a process (not pid 1, which may only hold it for socket activation) with /dev/log's socket open
  local target inode
  DEVLOG_PID=
  target=$(readlink -f /dev/log 2> /dev/null) || return 1
  inode=$(awk -v t="$target" '$NF == t { print $7; exit }' /proc/net/unix 2> /dev/null)
  [ -n "$inode" ] || return 1
  DEVLOG_PID=$(find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\[$inode\]" 2> /dev/null \
    | awk -F/ '$3 != 1 { print $3; exit }')
  [ -n "$DEVLOG_PID" ]
}
devlog_listening() { # some socket is bound to /dev/log (or to what it links to)
  local target
  target=$(readlink -f /dev/log 2> /dev/null) || return 1
  [ -S "$target" ] && awk -v t="$target" '$NF == t { found = 1 } END { exit !found }' /proc/net/unix 2> /dev/null
}
