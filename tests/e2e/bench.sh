#!/usr/bin/env bash
# The benchmark script runs end to end on a small corpus and prints its table: every row, with
# figures, and the two-thread speed-up. (The figures themselves are for the README, not a test.)
# Exit 77 (skipped) when the CLI, GNU time or bc is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
[ -x /usr/bin/time ] && command -v bc > /dev/null || exit 77
corpus="$src/examples/corpus/wire.jsonl"
[ -f "$corpus" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

REPEAT=2 CORPUS="$corpus" bash "$src/bench/run.sh" 1 "$cli" > "$out/table.txt"
cat "$out/table.txt"
number='[0-9]+(\.[0-9]+)?'
for row in "wc -w" "build --threads 1" "build --threads 2" "build -o .graphml \(2\)" \
           "extract --threads 1" "extract --threads 2"; do
  grep -Eq "^$row +$number +$number +$number +$number +$number\$" "$out/table.txt" ||
    { echo "bench: no row for '$row'" >&2; exit 1; }
done
grep -Eq "^build speed-up, 2 threads over 1: ${number}x \(median of 2 back-to-back pairs\)\$" \
  "$out/table.txt" || { echo "bench: no speed-up line" >&2; exit 1; }
echo "bench: ok"
