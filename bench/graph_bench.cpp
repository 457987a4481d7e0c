// Graph-phase benchmark: loads a partial graph (from `newsgraph build --partial`), builds the
// network, then times ComputeMetrics and every exporter separately (wall and process CPU).
//
//   build/bench/graph_bench PARTIAL [THREADS] [OUTDIR] [FORMATS]
//
// FORMATS: comma-separated extensions (default graphml,gexf,json,csv,dot). Files are written to
// OUTDIR (default /tmp) as graph_bench.EXT. GRAPH_BENCH_NO_BETWEENNESS=1 skips betweenness.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/metrics.hpp"
#include "newsgraph/partial_io.hpp"

namespace {

double Cpu() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
double Wall() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timer {
  const char* name;
  double wall = Wall(), cpu = Cpu();
  ~Timer() {
    std::printf("%-12s %8.3f s wall %8.3f s cpu\n", name, Wall() - wall, Cpu() - cpu);
    std::fflush(stdout);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: graph_bench PARTIAL [THREADS] [OUTDIR] [FORMATS]\n";
    return 2;
  }
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 1;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  std::string formats = argc > 4 ? argv[4] : "graphml,gexf,json,csv,dot";
  newsgraph::PartialGraph partial;
  newsgraph::RelateOptions options;
  {
    Timer t{"load"};
    newsgraph::Status s = newsgraph::LoadPartial(argv[1], &partial, &options);
    if (!s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  }
  newsgraph::Graph graph;
  {
    Timer t{"from_partial"};
    graph = newsgraph::Graph::FromPartial(partial, {});
    partial = newsgraph::PartialGraph();
  }
  std::printf("nodes %zu edges %zu threads %u\n", graph.num_nodes(), graph.num_edges(), threads);
  {
    Timer t{"metrics"};
    newsgraph::MetricsOptions mo;
    mo.threads = threads;
    if (std::getenv("GRAPH_BENCH_NO_BETWEENNESS")) {
      mo.exact_betweenness_max_nodes = 0;
      mo.betweenness_pivots = 0;
    }
    newsgraph::ComputeMetrics(&graph, mo);
  }
  formats += ",";
  for (std::size_t i = 0, j; (j = formats.find(',', i)) != std::string::npos; i = j + 1) {
    if (j == i) continue;
    const std::string ext = formats.substr(i, j - i);
    Timer t{ext.c_str()};
    newsgraph::Status s = newsgraph::ExportGraph(graph, dir + "/graph_bench." + ext);
    if (!s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  }
  return 0;
}
