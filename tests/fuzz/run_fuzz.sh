#!/bin/sh
# Runs one libFuzzer target for a fixed time: the CTest test fuzz_<target>.
#
#   run_fuzz.sh FUZZER TARGET SOURCE_DIR WORK_DIR SECONDS [libFuzzer flags...]
#
# The seeds (SOURCE_DIR/corpus/TARGET) and regressions
# (SOURCE_DIR/regressions/TARGET) are copied to WORK_DIR/corpus, which the
# fuzzer grows, so the source tree is never written to; crash, leak, timeout
# and out-of-memory inputs are saved under WORK_DIR/artifacts/. Fails when
# the fuzzer reports anything or leaves an artifact. SOURCE_DIR/TARGET.dict,
# when present, is the fuzzer's dictionary; SOURCE_DIR/lsan.supp the leak
# suppressions. The whole fuzzer output is in WORK_DIR/fuzz.log.
set -u
if [ $# -lt 5 ]; then
  sed -n '4p' "$0" >&2
  exit 2
fi
fuzzer=$1 target=$2 src=$3 work=$4 seconds=$5
shift 5

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" || exit 2
for kind in corpus regressions; do
  dir="$src/$kind/$target"
  [ -d "$dir" ] || continue
  find "$dir" -type f ! -name 'README*' ! -name .gitkeep | while read -r f; do
    cp "$f" "$work/corpus/$kind-$(basename "$f")" || exit 2
  done
done
seeds=$(ls "$work/corpus" | wc -l)
[ -f "$src/$target.dict" ] && set -- "-dict=$src/$target.dict" "$@"
# Known leaks outside auditeql (lsan.supp says which).
LSAN_OPTIONS="suppressions=$src/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

echo "run_fuzz: $(basename "$fuzzer") for ${seconds}s from $seeds seed inputs" >&2
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" >"$work/fuzz.log" 2>&1
status=$?
# The log without the per-input progress lines.
grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)[[:space:]]' "$work/fuzz.log" >&2

artifacts=$(find "$work/artifacts" -type f | sort)
if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
  echo "run_fuzz: FAILED: $(basename "$fuzzer") exited with $status" >&2
  for a in $artifacts; do
    echo "run_fuzz: reproduce with: $fuzzer $a" >&2
  done
  echo "run_fuzz: fix the bug, then keep the input as $src/regressions/$target/<name>" >&2
  exit 1
fi
echo "run_fuzz: $(basename "$fuzzer"): no findings; $(grep -h 'stat::number_of_executed_units' "$work/fuzz.log")" >&2
exit 0
