#!/usr/bin/env bash
# Opens every output format with the clients users read it with: xmllint, networkx (read_graphml,
# read_gexf, node_link_graph), igraph (Read_GraphML), Python's csv module, and Graphviz's dot and
# sfdp (which must print no warnings). Numbers must come back as numbers, names with &, <, quotes
# and non-ASCII letters unchanged, and every format must hold the same graph.
# Exit 77 (skipped) only when the CLI itself is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

# A dated corpus whose names need escaping in XML, JSON, CSV and DOT.
cat > "$out/gaz.json" <<'JSON'
{"version": 1, "entries": [
  {"name": "Barnes & Noble <Books> \"Holdings\"", "type": "organization", "aliases": ["Barnes & Noble"]},
  {"name": "Café Ünal, Ltd", "type": "organization", "aliases": ["Café Ünal"]}
]}
JSON
cat > "$out/dated.jsonl" <<'JSONL'
{"id": "t1", "date": "2024-06-14", "text": "President Recep Tayyip Erdoğan met President Luiz Inácio Lula da Silva in Ankara. Barnes & Noble opened a shop in Brazil."}
{"id": "t2", "date": "2024-06-16", "text": "Ursula von der Leyen and Recep Tayyip Erdoğan discussed Turkey and the European Union. Café Ünal supplied Barnes & Noble in Turkey."}
{"id": "t3", "date": "2024-07-02", "text": "Ursula von der Leyen visited Brazil with Luiz Inácio Lula da Silva. Café Ünal and Barnes & Noble signed a deal in Brazil."}
JSONL

check() {  # check NAME INPUT... [OPTIONS]
  local name=$1; shift
  "$cli" build "$@" -q -o "$out/$name.graphml" -o "$out/$name.gexf" -o "$out/$name.json" \
    -o "$out/$name.csv" -o "$out/$name.dot"
  xmllint --noout "$out/$name.graphml" "$out/$name.gexf"
  for layout in dot sfdp; do
    warnings=$("$layout" -Tsvg "$out/$name.dot" -o "$out/$name.$layout.svg" 2>&1)
    [ -z "$warnings" ] || { echo "$layout warned on $name.dot: $warnings"; exit 1; }
    grep -q "<svg" "$out/$name.$layout.svg"
  done
  /usr/bin/python3 - "$out/$name" <<'PY'
import csv, json, sys
import networkx as nx
import igraph as ig
from networkx.readwrite import gexf

stem = sys.argv[1]
# networkx < 3 knows GEXF 1.2draft only; newer releases ship this same 1.3 entry.
gexf.GEXF.versions.setdefault("1.3", {
    "NS_GEXF": "http://gexf.net/1.3", "NS_VIZ": "http://gexf.net/1.3/viz",
    "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
    "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd", "VERSION": "1.3"})

TYPES = {"person", "country", "location", "organization", "event", "document"}
NODE_INT = ["frequency", "documents", "units", "component", "community"]
NODE_FLOAT = ["degree", "weighted_degree", "pagerank", "betweenness"]
EDGE_INT = ["count", "documents"]
EDGE_FLOAT = ["weight", "association", "pmi", "npmi", "jaccard", "cosine", "g2"]

def check_types(kind, d, ints, floats):
    for k in ints:
        assert type(d[k]) is int, (kind, k, d)
    for k in floats:
        assert type(d[k]) is float, (kind, k, d)

def by_label(g):
    """Returns {label: attrs} and {frozenset(labels): attrs}."""
    label = {n: d["label"] for n, d in g.nodes(data=True)}
    nodes = {label[n]: d for n, d in g.nodes(data=True)}
    edges = {frozenset((label[a], label[b])): d for a, b, d in g.edges(data=True)}
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    return nodes, edges

# GraphML with networkx and igraph.
gm = nx.read_graphml(stem + ".graphml")
nodes, edges = by_label(gm)
assert len(nodes) >= 5 and len(edges) >= 5, (len(nodes), len(edges))
for d in nodes.values():
    assert d["type"] in TYPES, d
    check_types("graphml node", d, NODE_INT, NODE_FLOAT)
for d in edges.values():
    check_types("graphml edge", d, EDGE_INT, EDGE_FLOAT)
assert abs(sum(d["pagerank"] for d in nodes.values()) - 1) < 1e-3
# The measures follow from the counts and the entities' units (the w_i of the measures).
for a, b, d in gm.edges(data=True):
    expected = d["count"] / (gm.nodes[a]["units"] * gm.nodes[b]["units"])
    assert abs(d["association"] - expected) <= 1e-5 * expected, (d, expected)
h = ig.Graph.Read_GraphML(stem + ".graphml")
assert h.vcount() == len(nodes) and h.ecount() == len(edges)
assert set(h.vs["label"]) == set(nodes)
assert all(type(w) is float for w in h.es["weight"]) and all(type(c) is float for c in h.vs["pagerank"])

# GEXF.
gx = nx.read_gexf(stem + ".gexf")
gnodes, gedges = by_label(gx)
assert set(gnodes) == set(nodes) and set(gedges) == set(edges)
for name, d in gnodes.items():
    check_types("gexf node", d, NODE_INT, NODE_FLOAT)
    assert d["type"] == nodes[name]["type"] and d["frequency"] == nodes[name]["frequency"]
    assert set(d["viz"]) >= {"color", "size"}, d
for pair, d in gedges.items():
    check_types("gexf edge", d, EDGE_INT, EDGE_FLOAT)
    assert d["count"] == edges[pair]["count"] and abs(d["weight"] - edges[pair]["weight"]) < 1e-6
dated = any("first_seen" in d for d in nodes.values())
assert gx.graph["mode"] == ("dynamic" if dated else "static"), gx.graph
if dated:
    spelled = [d for d in gnodes.values() if "spells" in d]
    assert spelled and all(s <= e for d in spelled for s, e in d["spells"])

# Node-link JSON, read with node_link_graph's default arguments.
data = json.load(open(stem + ".json", encoding="utf-8"))
jg = nx.node_link_graph(data)
assert not jg.is_directed() and not jg.is_multigraph()
assert set(jg.nodes) == set(nodes)  # ids are the canonical names
jnodes, jedges = by_label(jg)
assert set(jedges) == set(edges)
for name, d in jnodes.items():
    check_types("json node", d, NODE_INT, NODE_FLOAT)
    assert abs(d["pagerank"] - nodes[name]["pagerank"]) <= 1e-5 * max(1.0, d["pagerank"])
for pair, d in jedges.items():
    check_types("json edge", d, EDGE_INT, EDGE_FLOAT)
    assert d["count"] == edges[pair]["count"]
    for ev in d["evidence"]:
        assert type(ev["begin"]) is int and type(ev["end"]) is int and ev["begin"] < ev["end"], ev
        assert isinstance(ev["doc"], str) and isinstance(ev["text"], str) and ev["text"]

# Gephi's CSV pair: RFC 4180 (CRLF rows), the same nodes and edges.
raw = open(stem + ".nodes.csv", "rb").read()
assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
with open(stem + ".nodes.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert {r["Id"] for r in rows} == set(nodes) and {r["Label"] for r in rows} == set(nodes)
for r in rows:
    assert int(r["Frequency"]) == nodes[r["Id"]]["frequency"]
    assert int(r["Units"]) == nodes[r["Id"]]["units"]
    float(r["PageRank"]), int(r["Community"])
with open(stem + ".edges.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert {frozenset((r["Source"], r["Target"])) for r in rows} == set(edges)
for r in rows:
    assert r["Type"] == "Undirected"
    assert int(r["Count"]) == edges[frozenset((r["Source"], r["Target"]))]["count"]
    float(r["Weight"])
print(stem.rsplit("/", 1)[-1], len(nodes), "nodes", len(edges), "edges: ok")
PY
}

check example "$src/examples/corpus" --slice month
check dated "$out/dated.jsonl" --gazetteer "$out/gaz.json" --slice week --weight npmi

# The names that need escaping came back unchanged from every reader.
/usr/bin/python3 - "$out/dated" <<'PY'
import csv, json, sys
import networkx as nx
from networkx.readwrite import gexf
stem = sys.argv[1]
want = {"Barnes & Noble <Books> \"Holdings\"", "Café Ünal, Ltd", "Recep Tayyip Erdoğan",
        "Luiz Inácio Lula da Silva", "Ursula von der Leyen"}
gexf.GEXF.versions.setdefault("1.3", {
    "NS_GEXF": "http://gexf.net/1.3", "NS_VIZ": "http://gexf.net/1.3/viz",
    "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
    "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd", "VERSION": "1.3"})
labels = {
    "graphml": {d["label"] for _, d in nx.read_graphml(stem + ".graphml").nodes(data=True)},
    "gexf": {d["label"] for _, d in nx.read_gexf(stem + ".gexf").nodes(data=True)},
    "json": set(nx.node_link_graph(json.load(open(stem + ".json", encoding="utf-8"))).nodes),
    "csv": {r["Id"] for r in csv.DictReader(open(stem + ".nodes.csv", newline="", encoding="utf-8"))},
}
for fmt, got in labels.items():
    assert want <= got, (fmt, want - got, got)
g = nx.read_gexf(stem + ".gexf")
assert g.graph["mode"] == "dynamic"
periods = [v for _, d in g.nodes(data=True) for v in d.get("period_count", [])]
assert periods and all(type(c) is int and s <= e for c, s, e in periods), periods
print("escaping and time: ok")
PY
grep -q 'label="Barnes & Noble <Books> \\"Holdings\\""' "$out/dated.dot"
echo "interop: ok"
