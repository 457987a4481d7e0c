#!/usr/bin/env bash
# Times `newsgraph build` and `newsgraph extract` on 1 and 2 threads beside `wc -w` on the same
# generated corpus, printing seconds, MB/s, words/s and peak memory (median of REPEAT runs; the
# one- and two-thread builds alternate, and their speed-up is the median of the pairs' ratios).
#
#   bench/run.sh [MB] [BINARY]      e.g.  bench/run.sh 100 build/newsgraph
#
# Environment: REPEAT (default 3), FORMAT (jsonl or txt, default jsonl), CORPUS (an existing
# file to use instead of generating one), KEEP=1 keeps the generated corpus.
# The corpus comes from ../shared/eval/make_corpus.py (real news sentences); without it the
# benchmark is skipped (exit 77) unless CORPUS is given.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mb=${1:-100}
bin=${2:-$here/../build/newsgraph}
repeat=${REPEAT:-3}
format=${FORMAT:-jsonl}
[ -x "$bin" ] || { echo "bench: no newsgraph binary at $bin (build first)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 1; }

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -n "${CORPUS:-}" ]; then
  corpus=$CORPUS
else
  maker=$here/../../shared/eval/make_corpus.py
  [ -f "$maker" ] || { echo "bench: $maker not found, skipping (set CORPUS=FILE)" >&2; exit 77; }
  corpus=$work/corpus.$format
  echo "generating a $mb MB $format corpus ..." >&2
  python3 "$maker" "$corpus" --mb "$mb" --format "$format"
  [ "${KEEP:-0}" = 1 ] && cp "$corpus" "./bench-corpus.$format"
fi
bytes=$(stat -c %s "$corpus")
words=$(wc -w < "$corpus")
cores=$(nproc)
cpus() { if command -v taskset > /dev/null && [ "$1" -le "$cores" ]; then echo "taskset -c 0-$(($1 - 1))"; fi; }

# Runs "$@" REPEAT times; prints the median elapsed seconds and the largest peak RSS (KB).
measure() {
  local times=() peak=0 t m
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" ||
      { cat "$work/stderr" >&2; return 1; }
    read -r t m < "$work/time"
    times+=("$t")
    (( m > peak )) && peak=$m
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (repeat + 1) / 2 ))p")" "$peak"
}

printf 'corpus: %s, %.1f MB, %d words, %d cores, median of %d runs\n' \
  "$(basename "$corpus")" "$(echo "$bytes / 1000000" | bc -l)" "$words" "$cores" "$repeat"
printf '%-22s %9s %9s %12s %10s %9s\n' command seconds MB/s words/s peak_MB "x wc -w"
row() {
  local name=$1 t=$2 m=$3
  printf '%-22s %9.2f %9.1f %12.0f %10.1f %9.1f\n' "$name" "$t" \
    "$(echo "$bytes / 1000000 / $t" | bc -l)" "$(echo "$words / $t" | bc -l)" \
    "$(echo "$m / 1024" | bc -l)" "$(echo "$t / $wc_t" | bc -l)"
}
read -r wc_t wc_m < <(measure wc -w "$corpus")
wc_t=$(echo "if ($wc_t < 0.01) 0.01 else $wc_t" | bc -l)
row "wc -w" "$wc_t" "$wc_m"
# One and two threads alternate, run after run, so that both medians (and the speed-up, the
# median of each pair's ratio) come from the same minutes of a machine whose speed may drift.
t1s=() t2s=() ratios=() m1=0 m2=0
for ((i = 0; i < repeat; i++)); do
  for threads in 1 2; do
    # shellcheck disable=SC2046
    /usr/bin/time -f "%e %M" -o "$work/time" $(cpus $threads) "$bin" build "$corpus" \
      --threads "$threads" -q --partial "$work/g.partial" > /dev/null 2> "$work/stderr" ||
      { cat "$work/stderr" >&2; exit 1; }
    read -r t m < "$work/time"
    if [ "$threads" = 1 ]; then t1s+=("$t"); (( m > m1 )) && m1=$m; t1=$t
    else t2s+=("$t"); (( m > m2 )) && m2=$m; ratios+=("$(echo "$t1 / $t" | bc -l)"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
row "build --threads 1" "$(median "${t1s[@]}")" "$m1"
row "build --threads 2" "$(median "${t2s[@]}")" "$m2"
# shellcheck disable=SC2046
read -r t m < <(measure $(cpus 2) "$bin" build "$corpus" --threads 2 -q -o "$work/g.graphml")
row "build -o .graphml (2)" "$t" "$m"
for threads in 1 2; do
  # shellcheck disable=SC2046
  read -r t m < <(measure $(cpus $threads) "$bin" extract "$corpus" --threads "$threads" -q)
  row "extract --threads $threads" "$t" "$m"
done
printf 'build speed-up, 2 threads over 1: %.2fx (median of %d back-to-back pairs)\n' \
  "$(median "${ratios[@]}")" "$repeat"
