// metrics: node centralities, components and communities of a Graph, stored on its nodes.
#pragma once

#include <cstddef>

#include "newsgraph/graph.hpp"

namespace newsgraph {

struct MetricsOptions {
  double damping = 0.85;          // PageRank damping factor
  double tolerance = 1e-12;       // PageRank stops when the L1 change falls below this
  int max_iterations = 200;       // PageRank iteration cap
  // Exact betweenness (Brandes, O(VE)) up to this many nodes; above it, betweenness is
  // estimated from `betweenness_pivots` evenly spaced source nodes (Brandes & Pich 2007).
  std::size_t exact_betweenness_max_nodes = 5000;
  std::size_t betweenness_pivots = 500;  // 0: leave betweenness at 0 on graphs above the limit
  // Worker threads (0: one per core). The results are identical for every thread count.
  unsigned threads = 1;
};

// Fills every node's degree, weighted_degree, pagerank, betweenness, component and community,
// deterministically (fixed node order, no randomness):
// - pagerank: power iteration on the weighted graph (weights below 0 count as 0; nodes
//   without weight spread their rank evenly); the values sum to 1.
// - betweenness: shortest paths by hops, each unordered pair counted once (unnormalised, as
//   Gephi shows it). Brandes' algorithm on breadth-first searches, 64 sources at a time sharing
//   their edge scans, spread over `threads`; the summation order depends only on the graph, so
//   the values are the same for every thread count (and equal Boost's
//   brandes_betweenness_centrality up to rounding in the last bits).
// - component: connected components numbered by size, largest first (ties: first node).
// - community: Louvain modularity optimisation on the weighted graph, numbered like components.
// Returns the modularity of the community partition.
double ComputeMetrics(Graph* graph, const MetricsOptions& options = {});

// Builds the graph of `partial` as Graph::FromPartial(std::move(partial), graph_options) does
// and computes its metrics as ComputeMetrics(&graph, options) does, with the same results. The
// metrics are computed from the surviving edges before the graph's edges are built, so their
// working memory (about 30 bytes per edge) is spent while the graph is small instead of on top
// of the whole graph. `modularity`, when given, receives ComputeMetrics' return value.
Graph BuildGraphWithMetrics(PartialGraph&& partial, const GraphOptions& graph_options,
                            const MetricsOptions& options, double* modularity = nullptr);

}  // namespace newsgraph
