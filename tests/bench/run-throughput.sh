#!/usr/bin/env bash
# Throughput benchmark: prints figures, never fails a build.
#
#   tests/bench/run-throughput.sh [--events N] [--runs R] [--rss-events M] [--build DIR]
#
# On the same generated log (auditeql-loggen, fixed seed) it times, interleaved
# and R times each:
#   (a) auparse-floor: a bare libauparse feed loop walking every record and field
#   (b) auditeql replay with the five shipped rules
#   (c) auditeql replay with the 318 single-event Elastic Linux rules
#   (d) auditeql replay with the five rules and Elastic's 80 sequence and 3
#       sample Linux rules
#   (e) with --detection-rules DIR (default ../shared/elastic-detection-rules
#       when it exists): auditeql replay with every rule of that checkout that
#       loads (Elastic's TOML files as published, single-event and join rules)
# and reports events/s, MB/s, peak RSS and the ratios (b)/(a), (c)/(b) and
# (d)/(b) from the medians. Then it streams M events (default 1,000,000)
# through (b) to read its peak RSS once the process table and inode map are
# full, and through (d) to read it once the sequence rules' state is full.
# Targets: (b) >= 0.8 x (a); (c), (d) and (e) >= 0.5 x (b); RSS of (b)
# <= 32 MiB after 1M events.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build
events=200000
runs=5
rss_events=1000000
detection_rules=$root/../shared/elastic-detection-rules
[ -d "$detection_rules" ] || detection_rules=
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rss-events) rss_events=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --detection-rules) detection_rules=$2; shift 2 ;;
    -h|--help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >/dev/null; else echo "needs GNU time (apt-get install time)" >&2; exit 2; fi
fi

cmake --build "$build" --target auditeql auditeql-loggen auparse-floor auditeql-corpus-rules -j"$(nproc)" >/dev/null
bin=$build/src/app/auditeql
bench=$build/tests/bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bench/auditeql-loggen" --events "$events" --out "$tmp/bench.log" 2>"$tmp/loggen.txt"
"$bench/auditeql-corpus-rules" "$root/tests/data/elastic-linux-eql-rules.jsonl" "$tmp/corpus-rules" 2>/dev/null
mkdir -p "$tmp/join-rules"
cp "$root"/conf/rules/*.yaml "$tmp/join-rules/"
"$bench/auditeql-corpus-rules" --join "$root/tests/data/elastic-linux-eql-rules.jsonl" "$tmp/join-rules" 2>/dev/null
kinds="a b c d"
if [ -n "$detection_rules" ]; then
  printf 'rule_directories: [%s]\n' "$detection_rules" > "$tmp/all-rules.yaml"
  "$bin" check --config "$tmp/all-rules.yaml" > "$tmp/all-rules.check" 2>&1 \
    || { tail -5 "$tmp/all-rules.check" >&2; echo "the rules of $detection_rules do not all load" >&2; exit 2; }
  kinds="a b c d e"
fi
bytes=$(stat -c %s "$tmp/bench.log")
cat "$tmp/bench.log" >/dev/null  # page cache

run() {  # run NAME CMD... -> appends "seconds kib" to $tmp/NAME
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$@" >/dev/null 2>&1
  cat "$tmp/time.txt" >>"$tmp/$name"
}
for ((i = 0; i < runs; i++)); do
  # Rotate the order so that a noisy neighbour does not always hit the same one.
  read -r -a k <<<"$kinds"
  order="${k[*]:i % ${#k[@]}} ${k[*]:0:i % ${#k[@]}}"
  for which in $order; do
    case $which in
      a) run a "$bench/auparse-floor" "$tmp/bench.log" ;;
      b) run b "$bin" replay --rules "$root/conf/rules" "$tmp/bench.log" ;;
      c) run c "$bin" replay --rules "$tmp/corpus-rules" "$tmp/bench.log" ;;
      d) run d "$bin" replay --rules "$tmp/join-rules" "$tmp/bench.log" ;;
      e) run e "$bin" replay --config "$tmp/all-rules.yaml" "$tmp/bench.log" ;;
    esac
  done
done

median() { sort -n "$1" | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'; }
peak() { awk 'BEGIN { m = 0 } { if ($2 > m) m = $2 } END { print m }' "$1"; }

ta=$(median "$tmp/a"); tb=$(median "$tmp/b"); tc=$(median "$tmp/c"); td=$(median "$tmp/d")
echo "input: $events events, $((bytes / 1000000)) MB ($(tail -1 "$tmp/loggen.txt" | cut -c1-120)...)"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); medians of $runs interleaved runs"
printf '%-34s %8s %12s %9s %10s\n' "" "seconds" "events/s" "MB/s" "peak RSS"
for which in $kinds; do
  case $which in
    a) label="(a) bare libauparse loop"; t=$ta ;;
    b) label="(b) auditeql replay, 5 rules"; t=$tb ;;
    c) label="(c) auditeql replay, 318 rules"; t=$tc ;;
    d) label="(d) replay, 5 + 83 sequence rules"; t=$td ;;
    e) label="(e) replay, $(grep -o '^rules: [0-9]*' "$tmp/all-rules.check" | cut -d' ' -f2) detection-rules"; t=$(median "$tmp/e") ;;
  esac
  awk -v l="$label" -v t="$t" -v e="$events" -v b="$bytes" -v r="$(peak "$tmp/$which")" \
    'BEGIN { printf "%-34s %8.2f %12.0f %9.1f %7.1f MiB\n", l, t, e / t, b / t / 1e6, r / 1024 }'
done
awk -v a="$ta" -v b="$tb" -v c="$tc" -v d="$td" 'BEGIN {
  printf "(b)/(a) = %.2f (target >= 0.80: %s)\n", a / b, (a / b >= 0.8) ? "met" : "MISSED"
  printf "(c)/(b) = %.2f (target >= 0.50: %s)\n", b / c, (b / c >= 0.5) ? "met" : "MISSED"
  printf "(d)/(b) = %.2f (target >= 0.50: %s)\n", b / d, (b / d >= 0.5) ? "met" : "MISSED"
}'
if [ -n "$detection_rules" ]; then
  awk -v b="$tb" -v e="$(median "$tmp/e")" -v dir="$detection_rules" 'BEGIN {
    printf "(e)/(b) = %.2f (target >= 0.50: %s), every rule of %s that loads\n", b / e, (b / e >= 0.5) ? "met" : "MISSED", dir }'
fi

if [ "$rss_events" -gt 0 ]; then
  "$bench/auditeql-loggen" --events "$rss_events" --pid-max 4194304 2>/dev/null |
    /usr/bin/time -f "%e %M" -o "$tmp/rss.txt" "$bin" replay --rules "$root/conf/rules" - >/dev/null 2>&1
  read -r secs kib <"$tmp/rss.txt"
  awk -v k="$kib" -v n="$rss_events" -v s="$secs" 'BEGIN {
    printf "(b) on %d streamed events (pids never reused): peak RSS %.1f MiB in %.1f s (target <= 32 MiB: %s)\n",
      n, k / 1024, s, (k <= 32768) ? "met" : "MISSED" }'
  "$bench/auditeql-loggen" --events "$rss_events" --pid-max 4194304 2>/dev/null |
    /usr/bin/time -f "%e %M" -o "$tmp/rss.txt" "$bin" replay --rules "$tmp/join-rules" - >/dev/null 2>"$tmp/join.txt"
  read -r secs kib <"$tmp/rss.txt"
  awk -v k="$kib" -v n="$rss_events" -v s="$secs" 'BEGIN {
    printf "(d) on %d streamed events (pids never reused): peak RSS %.1f MiB in %.1f s\n", n, k / 1024, s }'
  grep "sequence or sample" "$tmp/join.txt" | sed 's/^auditeql replay: /    /' || true
fi
