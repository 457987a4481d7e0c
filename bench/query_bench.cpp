// Loads a GraphML file with ReadGraphML and times it, then times queries on the loaded graph.
//   query_bench FILE.graphml [--queries N]
// Prints one JSON object: load seconds (wall and CPU), peak RSS after load (MB), nodes, edges, and the median,
// 99th percentile and maximum latency of `neighbors` (top 10 by weight, name lookup included),
// plus a shortest and a strongest path between random entities.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "newsgraph/graphml.hpp"
#include "newsgraph/query.hpp"

namespace ng = newsgraph;

namespace {

double PeakRssMb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double CpuSeconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: query_bench FILE.graphml [--queries N]\n");
    return 1;
  }
  std::size_t queries = 10000;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--queries") queries = std::strtoull(argv[++i], nullptr, 10);

  const double cpu0 = CpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  ng::Graph graph;
  ng::Status s = ng::ReadGraphML(argv[1], &graph);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  const double load = Seconds(t0);
  const double load_cpu = CpuSeconds() - cpu0;
  const double rss = PeakRssMb();
  const ng::GraphQuery query(graph);
  const ng::Network& g = graph.network();
  const std::size_t n = graph.num_nodes();
  if (n == 0) { std::fprintf(stderr, "empty graph\n"); return 1; }

  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> micros;
  micros.reserve(queries);
  std::size_t sink = 0;
  for (std::size_t q = 0; q < queries; ++q) {
    const std::string& name = g[pick(rng)].name;
    const auto start = std::chrono::steady_clock::now();
    const ng::Lookup lookup = query.Find(name);
    ng::NeighborOptions o;
    o.top = 10;
    const auto result = query.Neighbors(lookup.candidates.front(), o);
    micros.push_back(Seconds(start) * 1e6);
    sink += result.size();
  }
  std::sort(micros.begin(), micros.end());
  // The most connected entity: the worst case for neighbours.
  ng::Vertex hub = 0;
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    if (boost::out_degree(v, g) > boost::out_degree(hub, g)) hub = v;
  // Median of 21 runs: a single one is at the mercy of the scheduler on a busy machine.
  std::vector<double> hub_runs;
  for (int run = 0; run < 21; ++run) {
    const auto start = std::chrono::steady_clock::now();
    ng::NeighborOptions o;
    o.top = 10;
    sink += query.Neighbors(hub, o).size();
    hub_runs.push_back(Seconds(start) * 1e6);
  }
  std::sort(hub_runs.begin(), hub_runs.end());
  const double hub_us = hub_runs[hub_runs.size() / 2];
  auto t1 = std::chrono::steady_clock::now();
  const ng::Path shortest = query.ShortestPath(pick(rng), pick(rng));
  const double shortest_ms = Seconds(t1) * 1e3;
  t1 = std::chrono::steady_clock::now();
  const ng::Path strongest = query.StrongestPath(pick(rng), pick(rng));
  const double strongest_ms = Seconds(t1) * 1e3;
  t1 = std::chrono::steady_clock::now();
  const auto suggestions = query.Suggest("Lena Novak 4711x");
  const double suggest_ms = Seconds(t1) * 1e3;

  std::printf(
      "{\"file\": \"%s\", \"load_s\": %.3f, \"load_cpu_s\": %.3f, \"peak_rss_mb\": %.1f, \"nodes\": %zu, \"edges\": %zu, "
      "\"neighbors_us\": {\"median\": %.1f, \"p99\": %.1f, \"max\": %.1f, \"hub_degree\": %zu, "
      "\"hub\": %.1f}, \"shortest_path_ms\": %.2f, \"strongest_path_ms\": %.2f, "
      "\"suggest_ms\": %.1f, \"check\": %zu}\n",
      argv[1], load, load_cpu, rss, n, graph.num_edges(), micros[micros.size() / 2],
      micros[micros.size() * 99 / 100], micros.back(), boost::out_degree(hub, g), hub_us,
      shortest_ms, strongest_ms, suggest_ms,
      sink + shortest.hops() + strongest.hops() + suggestions.size());
  return 0;
}
