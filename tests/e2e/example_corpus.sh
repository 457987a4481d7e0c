#!/usr/bin/env bash
# Builds the example corpus and opens the results the way users do: an XML parser, networkx,
# igraph and Graphviz. Exit 77 (skipped) only when the CLI itself is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
"$cli" build "$src/examples/corpus" -o "$out/g.graphml" -o "$out/g.dot" --summary > "$out/summary.txt"
grep -q "^documents: 14" "$out/summary.txt"
# The table of the most connected entities lines up on a terminal, accented names included:
# its last column is right-aligned, so every row is as wide as the header (in characters).
/usr/bin/python3 - "$out/summary.txt" <<'PY'
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("most connected:\n")[1].splitlines()
width = lambda s: sum(1 for c in s if not unicodedata.combining(c))
assert len(lines) == 11 and any(ord(c) > 127 for c in "".join(lines)), lines
assert len({width(l) for l in lines}) == 1, lines
PY
xmllint --noout "$out/g.graphml"
/usr/bin/python3 - "$out/g.graphml" <<'PY'
import sys, networkx as nx, igraph as ig
g = nx.read_graphml(sys.argv[1])
assert g.number_of_nodes() > 50, g.number_of_nodes()
assert g.number_of_edges() > 50, g.number_of_edges()
for _, d in g.nodes(data=True):
    assert isinstance(d["label"], str) and d["type"] in {"person","country","location","organization","event","document"}, d
    assert isinstance(d["frequency"], int)
for _, _, d in g.edges(data=True):
    assert isinstance(d["weight"], float) and isinstance(d["count"], int), d
labels = {d["label"] for _, d in g.nodes(data=True)}
for name in ["United States", "China", "European Union"]:
    assert name in labels, name
h = ig.Graph.Read_GraphML(sys.argv[1])
assert h.vcount() == g.number_of_nodes() and h.ecount() == g.number_of_edges()
assert all(isinstance(w, float) for w in h.es["weight"])
assert all(isinstance(t, str) for t in h.vs["type"])
PY
warnings=$(dot -Tsvg "$out/g.dot" -o "$out/g.svg" 2>&1)
[ -z "$warnings" ] || { echo "dot warned: $warnings"; exit 1; }
grep -q "<svg" "$out/g.svg"
echo "example corpus: ok"
