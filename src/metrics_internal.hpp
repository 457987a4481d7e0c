// Internals of the metrics, for tests (internal header).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "newsgraph/graph.hpp"

namespace newsgraph::internal {

enum class BetweennessKernel {
  kAuto,          // multi-source up to 32768 nodes, single-source above
  kSingleSource,  // one breadth-first search at a time
  kMultiSource,   // 64 searches at once, sharing the edge scans
};

// Returns, per node, the sum over `sources` of its Brandes dependency on the source: the share
// of shortest paths (by hops) from the source to every other node that pass through it. Each
// unordered pair is counted from both ends when both are sources (not halved). The result is
// the same for every thread count (summation order is fixed by the graph and the sources).
// `beside`, when given, runs once on the calling thread, before it joins the searches (other
// work to share the threads with).
std::vector<double> SumDependencies(const Network& g, const std::vector<std::uint32_t>& sources,
                                    unsigned threads,
                                    BetweennessKernel kernel = BetweennessKernel::kAuto,
                                    const std::function<void()>& beside = {});

}  // namespace newsgraph::internal
