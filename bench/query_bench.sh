#!/usr/bin/env bash
# The GraphML load benchmark: newsgraph's ReadGraphML against igraph's Read_GraphML (and,
# with --networkx, networkx.read_graphml on the lean file) on the same files, one after the
# other.
#   bench/query_bench.sh BUILD_DIR [--networkx]
# Writes two 100,000-node / 1,000,000-edge graphs to /tmp (deleted afterwards):
#   lean  ~110 MB: label and type per node, weight per edge (the shape of the issue's file)
#   full  ~460 MB: newsgraph's own GraphML, every node and edge key
set -euo pipefail
build=${1:?usage: query_bench.sh BUILD_DIR [--networkx]}
networkx=${2:-}
dir=$(mktemp -d /tmp/newsgraph-query-bench.XXXXXX); trap 'rm -rf "$dir"' EXIT
"$build/bench/query_make_graph" "$dir/lean.graphml" --lean
"$build/bench/query_make_graph" "$dir/full.graphml"

py_load() {  # tool file
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, resource, sys, time
tool, path = sys.argv[1], sys.argv[2]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
if tool == "igraph":
    import igraph
    g = igraph.Graph.Read_GraphML(path); n, m = g.vcount(), g.ecount()
else:
    import networkx
    g = networkx.read_graphml(path); n, m = g.number_of_nodes(), g.number_of_edges()
print(json.dumps({"tool": tool, "load_s": round(time.perf_counter() - t, 3),
                  "load_cpu_s": round(cpu() - c, 3),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "nodes": n, "edges": m}))
PY
}

for f in lean full; do
  echo "== $f: $(du -m "$dir/$f.graphml" | cut -f1) MB"
  "$build/bench/query_bench" "$dir/$f.graphml"
  py_load igraph "$dir/$f.graphml"
  # networkx needs ~25 bytes of RAM per byte of GraphML: the lean file only.
  if [ "$networkx" = --networkx ] && [ $f = lean ]; then py_load networkx "$dir/$f.graphml"; fi
done
