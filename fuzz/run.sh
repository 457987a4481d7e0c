#!/usr/bin/env bash
# Replays fuzz/regressions/<target>/ through every fuzz target, then fuzzes each for SECONDS
# (default 60) starting from fuzz/corpus/<target>/. New inputs go to BUILD_DIR/corpus/<target>/,
# crashes to BUILD_DIR/artifacts/<target>/. Exits non-zero when any target fails.
#   fuzz/run.sh [SECONDS] [BUILD_DIR]     (build first: fuzz/build.sh [BUILD_DIR])
#   TARGETS="fuzz_jsonl" fuzz/run.sh 600  (a subset; several targets run one after another)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
out=${2:-$root/build-fuzz}
targets=${TARGETS:-$(cd "$root/fuzz" && ls fuzz_*.cpp | sed 's/\.cpp$//')}
status=0
for t in $targets; do
  bin=$out/$t
  [ -x "$bin" ] || { echo "fuzz: $bin missing (run fuzz/build.sh)" >&2; status=1; continue; }
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  case $t in
    fuzz_extract) opts=(-max_len=8192) ;;
    fuzz_loader) opts=(-max_len=16384) ;;
    *) opts=(-max_len=16384) ;;
  esac
  reg=$root/fuzz/regressions/$t
  if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
    if "$bin" -runs=0 -timeout=30 -malloc_limit_mb=256 "$reg"/* > "$out/$t.replay.log" 2>&1; then
      echo "fuzz: $t: replayed $(ls "$reg" | wc -l) regression input(s): ok"
    else
      echo "fuzz: $t: regression replay FAILED (log: $out/$t.replay.log)" >&2
      tail -40 "$out/$t.replay.log" >&2
      status=1
    fi
  fi
  [ "$secs" -gt 0 ] || continue
  if "$bin" "${opts[@]}" -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=256 -max_total_time="$secs" -print_final_stats=1 \
       -artifact_prefix="$out/artifacts/$t/" "$out/corpus/$t" "$root/fuzz/corpus/$t" \
       > "$out/$t.log" 2>&1; then
    echo "fuzz: $t: $(grep -E '^stat::number_of_executed_units' "$out/$t.log" | awk '{print $2}') executions in ${secs}s," \
         "$(grep -E '^#[0-9]+' "$out/$t.log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+'): ok"
  else
    echo "fuzz: $t: FAILED (log: $out/$t.log)" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==|Test unit written' "$out/$t.log" | head -20 >&2
    status=1
  fi
done
exit $status
