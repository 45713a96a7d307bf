#!/usr/bin/env bash
# Benign-alert survey: which rules fire on legitimate activity when every
# loadable rule of a detection-rules checkout is loaded next to the shipped
# ones. Prints figures, never fails a build; docs/benign-alerts.md explains
# each alert.
#
#   tests/bench/benign-alerts.sh --rules CHECKOUT [--events N] [--build DIR] [--keep DIR]
#
# The configuration is the README's one-line change (rule_directories: the
# shipped rules, then CHECKOUT's root), with building-block alerts shown so
# that every match counts. Files of the checkout that do not load (on an
# older build, the sequence and sample rules) are left out
# and listed. Every benign_* scenario of tests/fixtures/scenarios is replayed,
# then a storm of N events from auditeql-loggen (seed 1, default 200000).
# For each input: the alerts per rule, and the matches throttling dropped.
# --keep DIR keeps each input's alerts (NDJSON) and replay summary there.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
events=200000
checkout=
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --rules) checkout=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$checkout" ] || { echo "--rules CHECKOUT (a detection-rules checkout) is needed" >&2; exit 2; }

cmake --build "$build" --target auditeql auditeql-loggen -j"$(nproc)" >/dev/null
bin=$build/src/app/auditeql
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${keep:-$tmp/out}
mkdir -p "$out"

config() {  # config RULES_DIR -> a configuration file
  printf 'rule_directories: [%s, %s]\nexception_directories: []\nbuilding_block_alerts: true\n' \
    "$root/conf/rules" "$1" >"$tmp/auditeql.yaml"
}

config "$checkout"
rules=$checkout
if ! "$bin" check --config "$tmp/auditeql.yaml" >"$tmp/check.txt" 2>&1; then
  # Leave out the files with errors, keep the checkout's layout for the rest.
  grep -o '^[^ :]*\.toml:[0-9]*:[0-9]*: error' "$tmp/check.txt" | cut -d: -f1 | sort -u >"$tmp/refused"
  [ -s "$tmp/refused" ] || { cat "$tmp/check.txt" >&2; exit 1; }
  rules=$tmp/rules
  for dir in rules/linux rules/cross-platform rules_building_block; do
    mkdir -p "$rules/$dir"
    for f in "$checkout/$dir"/*.toml; do
      grep -qxF "$f" "$tmp/refused" || cp "$f" "$rules/$dir/"
    done
  done
  echo "left out $(wc -l <"$tmp/refused") rule files that do not load here; reasons:"
  grep ': error: ' "$tmp/check.txt" | sed 's/.*): //' | sort | uniq -c | sed 's/^/  /'
  config "$rules"
  "$bin" check --config "$tmp/auditeql.yaml" >/dev/null 2>&1 || { echo "the rest still does not load" >&2; exit 1; }
fi

survey() {  # survey NAME LOG
  "$bin" replay --config "$tmp/auditeql.yaml" "$2" >"$out/$1.ndjson" 2>"$out/$1.summary"
  local alerts throttled
  alerts=$(wc -l <"$out/$1.ndjson")
  throttled=$({ grep -o ', [0-9]* throttled' "$out/$1.summary" || true; } | awk '{ s += $2 } END { print s + 0 }')
  echo "$1: $alerts alerts, $throttled more matches throttled"
  grep -E '^  .*\): [0-9]+ alerts' "$out/$1.summary" | grep -v ': 0 alerts$' | sed 's/^  /    /' || true
}

for dir in "$root"/tests/fixtures/scenarios/benign_*; do
  name=$(basename "$dir")
  if [ -f "$dir/audit.log" ]; then
    log=$dir/audit.log
  else
    log=$tmp/$name.log
    gzip -dc "$dir/audit.log.gz" >"$log"
  fi
  survey "$name" "$log"
done
"$build/tests/bench/auditeql-loggen" --events "$events" --out "$tmp/storm.log" 2>/dev/null
survey "storm-$events" "$tmp/storm.log"
grep -m1 -o 'checked against [0-9]* rules.*' "$out/storm-$events.summary" | sed 's/^/rules: /'
