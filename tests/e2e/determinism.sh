#!/usr/bin/env bash
# Same inputs, byte-identical outputs: whatever the order the files are listed in, whether they
# come as a directory or one by one, and (where --threads exists) whatever the thread count.
# Exit 77 (skipped) only when the CLI itself is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
mapfile -t files < <(find "$src/examples/corpus" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.jsonl' \) | sort)
[ ${#files[@]} -ge 3 ] || { echo "determinism: example corpus too small"; exit 1; }
mapfile -t reversed < <(printf '%s\n' "${files[@]}" | sort -r)
mapfile -t shuffled < <(printf '%s\n' "${files[@]}" | shuf --random-source=<(yes))

build() {  # build NAME ARGS...: writes NAME.graphml, NAME.dot and NAME.json
  local name=$1; shift
  "$cli" build "$@" -q -o "$out/$name.graphml" -o "$out/$name.dot" -o "$out/$name.json"
}
build dir "$src/examples/corpus"
build sorted "${files[@]}"
build reversed "${reversed[@]}"
build shuffled "${shuffled[@]}"
status=0
for name in sorted reversed shuffled; do
  for ext in graphml dot json; do
    cmp -s "$out/dir.$ext" "$out/$name.$ext" || { echo "determinism: $name.$ext differs from dir.$ext"; status=1; }
  done
done
if "$cli" build --help 2>&1 | grep -q -- '--threads'; then
  for t in 1 2 4; do
    build "threads$t" "${reversed[@]}" --threads "$t"
    for ext in graphml dot json; do
      cmp -s "$out/dir.$ext" "$out/threads$t.$ext" || { echo "determinism: --threads $t .$ext differs"; status=1; }
    done
  done
else
  echo "determinism: no --threads option; thread counts not compared"
fi
[ $status -eq 0 ] && echo "determinism: ok"
exit $status
