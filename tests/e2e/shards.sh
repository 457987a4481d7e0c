#!/usr/bin/env bash
# Shard-and-merge: build partial graphs of a corpus split several ways in parallel processes,
# merge them (in different groupings and orders) and compare the bytes with one build over the
# whole corpus, on one and several threads. Exit 77 (skipped) when the CLI is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
corpus="$src/examples/corpus"
[ -d "$corpus" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

mapfile -t files < <(find "$corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.jsonl' -o -name '*.ndjson' \) | LC_ALL=C sort)
[ "${#files[@]}" -ge 3 ] || exit 77

# The reference: one build over every file, on one thread.
"$cli" build "${files[@]}" --threads 1 -q -o "$out/whole.graphml" -o "$out/whole.json" \
  --partial "$out/whole.partial"
"$cli" build "${files[@]}" --threads 3 -q -o "$out/threads.graphml" --partial "$out/threads.partial"
cmp "$out/whole.graphml" "$out/threads.graphml"
cmp "$out/whole.partial" "$out/threads.partial"

# Three shards, built by three processes at once (round-robin split, so shards interleave).
pids=()
for k in 0 1 2; do
  shard=()
  for i in "${!files[@]}"; do
    (( i % 3 == k )) && shard+=("${files[$i]}")
  done
  "$cli" build "${shard[@]}" --threads 1 -q --partial "$out/shard$k.partial" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

"$cli" merge "$out/shard0.partial" "$out/shard1.partial" "$out/shard2.partial" \
  -o "$out/merged.graphml" -o "$out/merged.json" -o "$out/merged.partial"
cmp "$out/whole.graphml" "$out/merged.graphml"
cmp "$out/whole.json" "$out/merged.json"
cmp "$out/whole.partial" "$out/merged.partial"

# Another grouping and order: (shard2 + shard0) + shard1.
"$cli" merge "$out/shard2.partial" "$out/shard0.partial" --partial "$out/s20.partial"
"$cli" merge "$out/shard1.partial" "$out/s20.partial" -o "$out/regrouped.graphml"
cmp "$out/whole.graphml" "$out/regrouped.graphml"

# Partials counted differently do not merge; a damaged partial is refused with exit 1.
"$cli" build "${files[0]}" -q --scope paragraph --partial "$out/para.partial"
if "$cli" merge "$out/shard0.partial" "$out/para.partial" -o "$out/bad.graphml" 2> "$out/err.txt"; then
  echo "merging different scopes succeeded"; exit 1
fi
grep -q "cannot be merged" "$out/err.txt"
[ ! -e "$out/bad.graphml" ]
head -c 100 "$out/shard0.partial" > "$out/cut.partial"
set +e
"$cli" merge "$out/cut.partial" -o "$out/bad.graphml" 2> "$out/err.txt"; rc=$?
set -e
[ "$rc" -eq 1 ] || { echo "damaged partial: exit $rc"; exit 1; }
grep -q "cut.partial" "$out/err.txt"
echo "shards: ok"
