#include "newsgraph/metrics.hpp"

#include "metrics_internal.hpp"
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <numeric>
#include <system_error>
#include <thread>
#include <vector>

namespace newsgraph {

namespace {

// The hop adjacency of the network in compressed rows (CSR): the neighbours of node v are
// target[begin[v] .. begin[v + 1]), in Boost's out-edge order, self-loops left out (they lie
// on no shortest path) and parallel edges kept (each is a distinct shortest path, as in Boost).
struct HopGraph {
  std::vector<std::size_t> begin;
  std::vector<std::uint32_t> target;
  std::size_t size() const { return begin.size() - 1; }
};

HopGraph MakeHopGraph(const Network& g) {
  HopGraph h;
  const std::size_t n = boost::num_vertices(g);
  h.begin.reserve(n + 1);
  h.begin.push_back(0);
  h.target.reserve(2 * boost::num_edges(g));
  for (std::size_t v = 0; v < n; ++v) {
    for (auto w : boost::make_iterator_range(boost::adjacent_vertices(v, g)))
      if (w != v) h.target.push_back(static_cast<std::uint32_t>(w));
    h.begin.push_back(h.target.size());
  }
  return h;
}

// The hop graph of the network of `n` vertices that the edges of `plan` make when added in
// order: the rows MakeHopGraph reads off that network (Boost appends each edge to the out-edge
// lists of both ends, so a node's row lists its edges in the order they were added).
HopGraph MakeHopGraph(std::size_t n, const std::vector<PlannedEdge>& plan) {
  HopGraph h;
  h.begin.assign(n + 1, 0);
  for (const PlannedEdge& e : plan) {
    if (e.source == e.target) continue;
    ++h.begin[e.source + 1];
    ++h.begin[e.target + 1];
  }
  for (std::size_t v = 0; v < n; ++v) h.begin[v + 1] += h.begin[v];
  h.target.resize(h.begin[n]);
  std::vector<std::size_t> fill(h.begin.begin(), h.begin.end() - 1);
  for (const PlannedEdge& e : plan) {
    if (e.source == e.target) continue;
    h.target[fill[e.source]++] = e.target;
    h.target[fill[e.target]++] = e.source;
  }
  return h;
}

// The weighted adjacency the metrics share, in the same compressed rows: node i's neighbours
// are topology().target[k] with weight[k] for k in [begin[i], begin[i + 1]); both directions,
// weights clamped at 0, self-loops kept apart. The network's own level borrows the hop graph
// the betweenness searches use (same rows, same order), so only the weights are added.
struct WeightedGraph {
  const HopGraph* shared = nullptr;  // the topology, when borrowed
  HopGraph own;                      // the topology otherwise (Louvain's aggregated levels)
  // The weight per entry of topology().target: in `weight`, or, when every weight is a whole
  // number below 2^32 (count weights, the default), in `whole` at half the size.
  std::vector<double> weight;
  std::vector<std::uint32_t> whole;
  std::vector<double> self;          // loop weight per node

  const HopGraph& topology() const { return shared ? *shared : own; }
  std::size_t size() const { return self.size(); }

  // The (neighbour, weight) pairs of one node, read in place.
  class Neighbours {
   public:
    class iterator {
     public:
      iterator(const WeightedGraph& g, std::size_t k)
          : target_(g.topology().target.data()), weight_(g.weight.data()),
            whole_(g.whole.empty() ? nullptr : g.whole.data()), k_(k) {}
      std::pair<std::size_t, double> operator*() const {
        return {target_[k_], whole_ ? static_cast<double>(whole_[k_]) : weight_[k_]};
      }
      iterator& operator++() { ++k_; return *this; }
      bool operator!=(const iterator& o) const { return k_ != o.k_; }
     private:
      const std::uint32_t* target_;
      const double* weight_;
      const std::uint32_t* whole_;
      std::size_t k_;
    };
    Neighbours(const WeightedGraph& g, std::size_t i) : g_(g), i_(i) {}
    iterator begin() const { return {g_, g_.topology().begin[i_]}; }
    iterator end() const { return {g_, g_.topology().begin[i_ + 1]}; }
   private:
    const WeightedGraph& g_;
    std::size_t i_;
  };
  Neighbours adj(std::size_t i) const { return {*this, i}; }

  // Returns the strength of `i`: its edge weights, a loop counted twice.
  double Strength(std::size_t i) const {
    double s = 2 * self[i];
    for (const auto& [j, w] : adj(i)) s += w;
    return s;
  }
};

double ClampedWeight(double weight) {
  return std::isfinite(weight) ? std::max(weight, 0.0) : 0.0;
}

bool IsWhole(double w) { return w == std::floor(w) && w <= static_cast<double>(UINT32_MAX); }

// The weighted adjacency of `g`, on `hops` (MakeHopGraph(g)): each row lists a node's edges in
// Boost's out-edge order, which is the order the edges were added, as the hop graph does.
WeightedGraph FromNetwork(const Network& g, const HopGraph& hops) {
  WeightedGraph wg;
  const std::size_t n = boost::num_vertices(g);
  wg.shared = &hops;
  wg.self.assign(n, 0.0);
  bool whole = true;
  for (auto e : boost::make_iterator_range(boost::edges(g)))
    whole = whole && IsWhole(ClampedWeight(g[e].weight));
  if (whole) wg.whole.reserve(hops.target.size());
  else wg.weight.reserve(hops.target.size());
  for (std::size_t v = 0; v < n; ++v) {
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      if (boost::target(e, g) == v) continue;
      const double w = ClampedWeight(g[e].weight);
      if (whole) wg.whole.push_back(static_cast<std::uint32_t>(w));
      else wg.weight.push_back(w);
    }
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const std::size_t a = boost::source(e, g), b = boost::target(e, g);
    if (a == b) wg.self[a] += ClampedWeight(g[e].weight);
  }
  return wg;
}

// The same of the network the edges of `plan` make, on `hops` (MakeHopGraph(n, plan)).
WeightedGraph FromPlan(std::size_t n, const std::vector<PlannedEdge>& plan, const HopGraph& hops) {
  WeightedGraph wg;
  wg.shared = &hops;
  wg.self.assign(n, 0.0);
  bool whole = true;
  for (const PlannedEdge& e : plan) whole = whole && IsWhole(ClampedWeight(e.weight));
  if (whole) wg.whole.resize(hops.target.size());
  else wg.weight.resize(hops.target.size());
  std::vector<std::size_t> fill(hops.begin.begin(), hops.begin.end() - 1);
  for (const PlannedEdge& e : plan) {
    const double w = ClampedWeight(e.weight);
    if (e.source == e.target) {
      wg.self[e.source] += w;
      continue;
    }
    for (std::size_t at : {fill[e.source]++, fill[e.target]++}) {
      if (whole) wg.whole[at] = static_cast<std::uint32_t>(w);
      else wg.weight[at] = w;
    }
  }
  return wg;
}

// Labels the connected components of `hops` (arbitrary labels, one per component).
std::vector<std::size_t> Components(const HopGraph& hops) {
  const std::size_t n = hops.size(), kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> label(n, kNone);
  std::vector<std::uint32_t> stack;
  std::size_t count = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (label[root] != kNone) continue;
    label[root] = count;
    stack.push_back(static_cast<std::uint32_t>(root));
    while (!stack.empty()) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      for (std::size_t k = hops.begin[v]; k < hops.begin[v + 1]; ++k) {
        const std::uint32_t w = hops.target[k];
        if (label[w] == kNone) {
          label[w] = count;
          stack.push_back(w);
        }
      }
    }
    ++count;
  }
  return label;
}

// Renumbers group labels by group size, largest first; ties by the group's first member.
std::vector<std::int64_t> RenumberBySize(const std::vector<std::size_t>& label) {
  const std::size_t n = label.size();
  std::size_t groups = 0;
  for (auto l : label) groups = std::max(groups, l + 1);
  std::vector<std::size_t> size(groups, 0), first(groups, n);
  for (std::size_t v = 0; v < n; ++v) {
    ++size[label[v]];
    first[label[v]] = std::min(first[label[v]], v);
  }
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < groups; ++c)
    if (size[c] > 0) order.push_back(c);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return size[a] != size[b] ? size[a] > size[b] : first[a] < first[b];
  });
  std::vector<std::int64_t> rank(groups, -1);
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<std::int64_t>(r);
  std::vector<std::int64_t> out(n);
  for (std::size_t v = 0; v < n; ++v) out[v] = rank[label[v]];
  return out;
}

std::vector<double> PageRank(const WeightedGraph& wg, const MetricsOptions& o) {
  const std::size_t n = wg.size();
  if (n == 0) return {};
  std::vector<double> strength(n), rank(n, 1.0 / n), next(n);
  for (std::size_t i = 0; i < n; ++i) strength[i] = wg.Strength(i);
  for (int it = 0; it < o.max_iterations; ++it) {
    double dangling = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (strength[i] <= 0) dangling += rank[i];
    const double base = (1.0 - o.damping) / n + o.damping * dangling / n;
    std::fill(next.begin(), next.end(), base);
    for (std::size_t j = 0; j < n; ++j) {
      if (strength[j] <= 0) continue;
      const double share = o.damping * rank[j] / strength[j];
      next[j] += share * 2 * wg.self[j];
      for (const auto& [i, w] : wg.adj(j)) next[i] += share * w;
    }
    double change = 0, total = 0;
    for (std::size_t i = 0; i < n; ++i) { change += std::abs(next[i] - rank[i]); total += next[i]; }
    for (std::size_t i = 0; i < n; ++i) rank[i] = next[i] / total;
    if (change < o.tolerance) break;
  }
  return rank;
}

// Brandes (2001) from one source at a time: a breadth-first search counts the shortest paths
// sigma and records each node's successors on them (the neighbours one hop further); then, in
// reverse search order,
//   delta(v) = sigma(v) * S(v),  S(v) = sum over successors w of coeff(w),
//   coeff(w) = (1 + delta(w)) / sigma(w) = 1 / sigma(w) + S(w).
class SingleSourceBrandes {
 public:
  static constexpr std::size_t kBatch = 1;

  explicit SingleSourceBrandes(const HopGraph& g)
      : g_(g), dist_(g.size(), -1), sigma_(g.size(), 0.0), coeff_(g.size(), 0.0),
        order_(g.size()), succ_end_(g.size()), succ_(g.target.size() + 1) {}

  // Adds to `centrality` the dependency of every node on sources[0] (count is 1).
  void Accumulate(const std::uint32_t* sources, std::size_t count, double* centrality) {
    for (std::size_t i = 0; i < count; ++i) AccumulateOne(sources[i], centrality);
  }

 private:
  void AccumulateOne(std::uint32_t s, double* centrality) {
    const std::uint32_t* adj = g_.target.data();
    const std::size_t* begin = g_.begin.data();
    std::int32_t* dist = dist_.data();
    double* sigma = sigma_.data();
    std::uint32_t* order = order_.data();
    std::uint32_t* succ = succ_.data();
    std::size_t tail = 1, nsucc = 0;
    order[0] = s;
    dist[s] = 0;
    sigma[s] = 1;
    for (std::size_t head = 0; head < tail; ++head) {
      const std::uint32_t v = order[head];
      const std::int32_t next = dist[v] + 1;
      // New neighbours are few (a predictable branch); whether a neighbour is a successor is
      // not, so successors are recorded without a branch and counted in a second loop.
      const std::size_t first = nsucc;
      for (std::size_t k = begin[v], e = begin[v + 1]; k < e; ++k) {
        const std::uint32_t w = adj[k];
        std::int32_t dw = dist[w];
        if (dw < 0) {
          dist[w] = dw = next;
          order[tail++] = w;
        }
        succ[nsucc] = w;
        nsucc += dw == next;
      }
      const double sv = sigma[v];
      for (std::size_t k = first; k < nsucc; ++k) sigma[succ[k]] += sv;
      succ_end_[head] = nsucc;
    }
    // Reverse order: every successor of v comes after v, so its coefficient is final.
    double* coeff = coeff_.data();
    for (std::size_t i = tail; i-- > 1;) {
      const std::uint32_t v = order[i];
      double sum = 0;
      for (std::size_t k = succ_end_[i - 1], e = succ_end_[i]; k < e; ++k) sum += coeff[succ[k]];
      coeff[v] = 1.0 / sigma[v] + sum;
      centrality[v] += sigma[v] * sum;
    }
    for (std::size_t i = 0; i < tail; ++i) {
      dist[order[i]] = -1;
      sigma[order[i]] = 0;
    }
  }

  const HopGraph& g_;
  std::vector<std::int32_t> dist_;
  std::vector<double> sigma_, coeff_;
  std::vector<std::uint32_t> order_;   // search order
  std::vector<std::size_t> succ_end_;  // end of order[i]'s successors in succ_
  std::vector<std::uint32_t> succ_;
};

// The same sums for 64 sources at once, level by level (multi-source BFS, Then et al. 2014):
// bit b of a node's mask stands for source b, so one scan of a node's edges serves every
// source that reaches the node at the same distance. Path counts, then coefficients, are kept
// in one slot per (node, source); the work on them is proportional to the shortest-path edges,
// as for one source, while the edge scans are shared. Memory: 512 bytes per node.
class MultiSourceBrandes {
 public:
  static constexpr std::size_t kBatch = 64;

  explicit MultiSourceBrandes(const HopGraph& g)
      : g_(g), seen_(g.size(), 0), next_(g.size(), 0), mark_(g.size(), 0),
        sigma_(g.size() * kBatch, 0.0) {
    levels_.reserve(g.size());  // a node per level per batch, mostly: grown by the searches
    touched_.reserve(g.size());
  }

  // Adds to `centrality` the dependencies of every node on sources[0 .. count), count <= 64.
  void Accumulate(const std::uint32_t* sources, std::size_t count, double* centrality) {
    const std::uint32_t* adj = g_.target.data();
    const std::size_t* begin = g_.begin.data();
    std::uint64_t* seen = seen_.data();
    std::uint64_t* next = next_.data();
    double* sigma = sigma_.data();
    levels_.clear();
    level_end_.clear();
    touched_.clear();
    for (std::size_t b = 0; b < count; ++b) {
      const std::uint32_t s = sources[b];
      if (next[s] == 0) touched_.push_back(s);
      next[s] |= std::uint64_t{1} << b;
      sigma[s * kBatch + b] = 1;
    }
    // Forward: level by level, a node v at level L (in the sources of mask f) makes each
    // neighbour w not yet seen by those sources a node of level L + 1, with v's paths.
    while (!touched_.empty()) {
      const std::size_t from = levels_.size();
      for (std::uint32_t v : touched_) {
        levels_.emplace_back(v, next[v]);
        seen[v] |= next[v];
        next[v] = 0;
      }
      level_end_.push_back(levels_.size());
      touched_.clear();
      for (std::size_t i = from, e = levels_.size(); i < e; ++i) {
        const auto [v, f] = levels_[i];
        const double* sv = sigma + std::size_t{v} * kBatch;
        for (std::size_t k = begin[v], ke = begin[v + 1]; k < ke; ++k) {
          const std::uint32_t w = adj[k];
          std::uint64_t m = f & ~seen[w];
          if (m == 0) continue;
          if (next[w] == 0) touched_.push_back(w);
          next[w] |= m;
          double* sw = sigma + std::size_t{w} * kBatch;
          do {
            const int b = __builtin_ctzll(m);
            sw[b] += sv[b];
            m &= m - 1;
          } while (m != 0);
        }
      }
    }
    // Backward: from the deepest level up, S(v) sums the coefficients of v's successors (the
    // neighbours one level deeper for the same source). Once a node's coefficient for a source
    // is known its path count is no longer needed, so the coefficient takes its place in sigma:
    // the successors' slots read below hold coefficients, v's own still hold path counts.
    std::uint64_t* mark = mark_.data();
    double s[kBatch];  // S(v) for the sources of the node at hand
    for (std::size_t level = level_end_.size(); level-- > 0;) {
      const std::size_t from = level == 0 ? 0 : level_end_[level - 1], to = level_end_[level];
      const bool deeper = level + 1 < level_end_.size();
      if (deeper)
        for (std::size_t i = to; i < level_end_[level + 1]; ++i) mark[levels_[i].first] = levels_[i].second;
      for (std::size_t i = from; i < to; ++i) {
        const auto [v, f] = levels_[i];
        for (std::uint64_t m = f; m != 0; m &= m - 1) s[__builtin_ctzll(m)] = 0;
        if (deeper) {
          for (std::size_t k = begin[v], ke = begin[v + 1]; k < ke; ++k) {
            const std::uint32_t w = adj[k];
            std::uint64_t m = f & mark[w];
            if (m == 0) continue;
            const double* cw = sigma + std::size_t{w} * kBatch;  // coefficients by now
            do {
              const int b = __builtin_ctzll(m);
              s[b] += cw[b];
              m &= m - 1;
            } while (m != 0);
          }
        }
        double* sv = sigma + std::size_t{v} * kBatch;
        double sum = 0;
        for (std::uint64_t m = f; m != 0; m &= m - 1) {
          const int b = __builtin_ctzll(m);
          sum += sv[b] * s[b];
          sv[b] = 1.0 / sv[b] + s[b];  // coeff(v) = 1 / sigma(v) + S(v)
        }
        if (level > 0) centrality[v] += sum;
      }
      if (deeper)
        for (std::size_t i = to; i < level_end_[level + 1]; ++i) mark[levels_[i].first] = 0;
    }
    for (const auto& [v, f] : levels_) {
      seen[v] = 0;
      for (std::uint64_t m = f; m != 0; m &= m - 1)
        sigma[std::size_t{v} * kBatch + __builtin_ctzll(m)] = 0;
    }
  }

 private:
  const HopGraph& g_;
  std::vector<std::uint64_t> seen_, next_, mark_;  // per node: a bit per source
  std::vector<double> sigma_;  // per node and source: path counts, then coefficients
  std::vector<std::pair<std::uint32_t, std::uint64_t>> levels_;  // (node, sources), by level
  std::vector<std::size_t> level_end_;
  std::vector<std::uint32_t> touched_;
};

// Sums with `Kernel` the dependencies of every node on the given sources. Deterministic for
// any thread count: the sources fall into consecutive chunks whose number depends only on the
// graph and the source count; each chunk sums into its own array, in a fixed order, and the
// arrays are added in chunk order.
template <typename Kernel>
std::vector<double> SumDependenciesWith(const HopGraph& g, const std::vector<std::uint32_t>& sources,
                                    unsigned threads, const std::function<void()>& beside) {
  const std::size_t n = g.size();
  std::vector<double> centrality(n, 0.0);
  if (sources.empty() || n == 0) {
    if (beside) beside();
    return centrality;
  }
  constexpr std::size_t kMaxChunks = 256;
  constexpr std::size_t kMaxChunkValues = std::size_t{1} << 22;  // 32 MB of partial sums
  const std::size_t batches = (sources.size() + Kernel::kBatch - 1) / Kernel::kBatch;
  const std::size_t chunks =
      std::max<std::size_t>(1, std::min({kMaxChunks, batches, kMaxChunkValues / n}));
  std::vector<double> partial(chunks * n, 0.0);
  // Each thread's search state, made here, and `beside` run on this thread too: memory
  // allocated on this thread goes back to its malloc arena, where what the caller allocates
  // next can reuse it (a helper thread's arena would keep it from the caller).
  std::vector<std::unique_ptr<Kernel>> workers(
      std::min<std::size_t>(std::max(threads, 1u), chunks + (beside ? 1 : 0)));
  for (auto& w : workers) w = std::make_unique<Kernel>(g);
  ParallelFor(
      threads, chunks,
      [&](unsigned worker, std::size_t c) {
        double* sum = partial.data() + c * n;
        for (std::size_t b = c * batches / chunks, e = (c + 1) * batches / chunks; b < e; ++b) {
          const std::size_t first = b * Kernel::kBatch;
          workers[worker]->Accumulate(sources.data() + first,
                                      std::min(Kernel::kBatch, sources.size() - first), sum);
        }
      },
      beside);
  for (std::size_t c = 0; c < chunks; ++c) {
    const double* sum = partial.data() + c * n;
    for (std::size_t v = 0; v < n; ++v) centrality[v] += sum[v];
  }
  return centrality;
}

// Louvain (Blondel et al. 2008): local moves in node order, then aggregation, until no move
// improves modularity. Returns each original node's community (arbitrary labels).
std::vector<std::size_t> Louvain(const WeightedGraph& graph) {
  // The graph of the current level: `graph` itself, then its aggregations (held in `coarse`,
  // so the first, largest level is never copied).
  WeightedGraph coarse;
  const WeightedGraph* level = &graph;
  const std::size_t n0 = level->size();
  std::vector<std::size_t> membership(n0);
  std::iota(membership.begin(), membership.end(), 0);
  double m2 = 0;
  for (std::size_t i = 0; i < n0; ++i) m2 += level->Strength(i);
  if (m2 <= 0) return membership;
  constexpr double kEpsilon = 1e-12;
  for (int round = 0; round < 64; ++round) {
    const std::size_t n = level->size();
    std::vector<double> k(n), tot(n), to(n, 0.0);
    std::vector<std::size_t> comm(n);
    for (std::size_t i = 0; i < n; ++i) { k[i] = level->Strength(i); tot[i] = k[i]; comm[i] = i; }
    std::vector<char> touched(n, 0);
    std::vector<std::size_t> neighbours;
    bool moved_any = false;
    for (int pass = 0; pass < 1000; ++pass) {
      bool moved = false;
      for (std::size_t i = 0; i < n; ++i) {
        neighbours.clear();
        for (const auto& [j, w] : level->adj(i)) {
          if (!touched[comm[j]]) { touched[comm[j]] = 1; neighbours.push_back(comm[j]); }
          to[comm[j]] += w;
        }
        const std::size_t own = comm[i];
        tot[own] -= k[i];
        std::size_t best = own;
        double best_gain = to[own] - tot[own] * k[i] / m2;
        std::sort(neighbours.begin(), neighbours.end());
        for (std::size_t c : neighbours) {
          const double gain = to[c] - tot[c] * k[i] / m2;
          if (gain > best_gain + kEpsilon) { best = c; best_gain = gain; }
        }
        tot[best] += k[i];
        comm[i] = best;
        if (best != own) moved = true;
        for (std::size_t c : neighbours) { touched[c] = 0; to[c] = 0; }
        to[own] = 0;
      }
      if (!moved) break;
      moved_any = true;
    }
    if (!moved_any) break;
    // Aggregate: communities become the nodes of the next level.
    std::vector<std::size_t> id(n, n);
    std::size_t count = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (id[comm[i]] == n) id[comm[i]] = count++;
    for (auto& m : membership) m = id[comm[m]];
    // One community at a time, its members in node order (a counting sort), so that only one
    // community's edges are ever gathered: sorted, they sum in a fixed order.
    std::vector<std::size_t> first_member(count + 1, 0), members(n);
    for (std::size_t i = 0; i < n; ++i) ++first_member[id[comm[i]] + 1];
    for (std::size_t c = 0; c < count; ++c) first_member[c + 1] += first_member[c];
    {
      std::vector<std::size_t> fill(first_member.begin(), first_member.end() - 1);
      for (std::size_t i = 0; i < n; ++i) members[fill[id[comm[i]]]++] = i;
    }
    WeightedGraph next;
    next.own.begin.reserve(count + 1);
    next.own.begin.push_back(0);
    next.self.assign(count, 0.0);
    std::vector<std::pair<std::size_t, double>> gathered;
    for (std::size_t c = 0; c < count; ++c) {
      gathered.clear();
      for (std::size_t m = first_member[c]; m < first_member[c + 1]; ++m) {
        const std::size_t i = members[m];
        next.self[c] += level->self[i];
        for (const auto& [j, w] : level->adj(i)) {
          const std::size_t d = id[comm[j]];
          if (d == c) next.self[c] += w / 2;  // each internal edge is seen from both ends
          else gathered.emplace_back(d, w);
        }
      }
      std::sort(gathered.begin(), gathered.end());
      for (std::size_t q = 0; q < gathered.size(); ++q) {
        if (q == 0 || gathered[q].first != gathered[q - 1].first) {
          next.own.target.push_back(static_cast<std::uint32_t>(gathered[q].first));
          next.weight.push_back(gathered[q].second);
        } else {
          next.weight.back() += gathered[q].second;
        }
      }
      next.own.begin.push_back(next.own.target.size());
    }
    coarse = std::move(next);
    level = &coarse;
    if (count == n) break;
  }
  return membership;
}

double Modularity(const WeightedGraph& wg, const std::vector<std::int64_t>& community) {
  const std::size_t n = wg.size();
  double m2 = 0;
  std::vector<double> inside(n + 1, 0.0), tot(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double k = wg.Strength(i);
    m2 += k;
    const auto c = static_cast<std::size_t>(community[i]);
    tot[c] += k;
    inside[c] += 2 * wg.self[i];
    for (const auto& [j, w] : wg.adj(i))
      if (community[j] == community[i]) inside[c] += w;
  }
  if (m2 <= 0) return 0;
  double q = 0;
  for (std::size_t c = 0; c <= n; ++c) q += inside[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
  return q;
}

// internal::SumDependencies on the hop graph of the network.
std::vector<double> SumHopDependencies(const HopGraph& hops,
                                       const std::vector<std::uint32_t>& sources, unsigned threads,
                                       internal::BetweennessKernel kernel,
                                       const std::function<void()>& beside) {
  using internal::BetweennessKernel;
  // The multi-source kernel needs 512 bytes per node and thread; above 32768 nodes (sampled
  // betweenness), one search at a time.
  if (kernel == BetweennessKernel::kAuto)
    kernel = hops.size() <= 32768 ? BetweennessKernel::kMultiSource : BetweennessKernel::kSingleSource;
  if (kernel == BetweennessKernel::kMultiSource)
    return SumDependenciesWith<MultiSourceBrandes>(hops, sources, threads, beside);
  return SumDependenciesWith<SingleSourceBrandes>(hops, sources, threads, beside);
}

}  // namespace

namespace internal {

std::vector<double> SumDependencies(const Network& g, const std::vector<std::uint32_t>& sources,
                                    unsigned threads, BetweennessKernel kernel,
                                    const std::function<void()>& beside) {
  return SumHopDependencies(MakeHopGraph(g), sources, threads, kernel, beside);
}

}  // namespace internal

namespace {

// Computes the metrics of the network whose hop graph is `hops` and weighted graph `wg` (on
// the same hops), and stores them on the vertices of `g` (whose edges are not read). Returns
// the modularity.
double ComputeOn(Network& g, const HopGraph& hops, const WeightedGraph& wg,
                 const MetricsOptions& options) {
  const std::size_t n = hops.size();
  const unsigned threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());

  // The weighted metrics (PageRank, Louvain) are one more job beside the betweenness searches:
  // this thread computes them while the others search, and then joins the searches, so
  // `threads` threads are busy and no more. Each metric is computed whole by one
  // code path, so the results do not depend on the thread count.
  struct Weighted {
    std::vector<double> rank;
    std::vector<std::int64_t> communities;
    double modularity = 0;
  };
  Weighted w;
  auto weighted = [&wg, &options, &w]() {
    w.rank = PageRank(wg, options);
    w.communities = RenumberBySize(Louvain(wg));
    w.modularity = Modularity(wg, w.communities);
  };

  std::vector<double> between(n, 0.0);
  const std::size_t pivots = n <= options.exact_betweenness_max_nodes
                                 ? n
                                 : std::min(options.betweenness_pivots, n);
  if (pivots > 0) {
    std::vector<std::uint32_t> sources(pivots);
    for (std::size_t k = 0; k < pivots; ++k) sources[k] = static_cast<std::uint32_t>(k * n / pivots);
    between = SumHopDependencies(hops, sources, threads, internal::BetweennessKernel::kAuto,
                                 weighted);
    // Each pair is reached from both of its ends, hence the halving; pivots stand for n / p
    // sources each.
    const double scale = static_cast<double>(n) / static_cast<double>(pivots) / 2;
    for (double& b : between) b *= scale;
  } else {
    weighted();
  }
  const std::vector<std::int64_t> components = RenumberBySize(Components(hops));

  for (std::size_t v = 0; v < n; ++v) {
    EntityNode& node = g[v];
    node.pagerank = w.rank[v];
    node.betweenness = between[v];
    node.component = components[v];
    node.community = w.communities[v];
  }
  return w.modularity;
}

}  // namespace

double ComputeMetrics(Graph* graph, const MetricsOptions& options) {
  Network& g = graph->mutable_network();
  if (boost::num_vertices(g) == 0) return 0;
  // One hop graph serves the betweenness searches and, with the weights added, the weighted
  // metrics; the network is only read until both are done.
  // (Both made on this thread, like every large buffer of the metrics; see SumDependenciesWith.)
  const HopGraph hops = MakeHopGraph(g);
  const double modularity = ComputeOn(g, hops, FromNetwork(g, hops), options);
  graph->UpdateDegrees();
  return modularity;
}

Graph BuildGraphWithMetrics(PartialGraph&& partial, const GraphOptions& graph_options,
                            const MetricsOptions& options, double* modularity) {
  double q = 0;
  Graph graph = Graph::FromPartial(
      std::move(partial), graph_options,
      [&](Network& g, const std::vector<PlannedEdge>& plan) {
        const std::size_t n = boost::num_vertices(g);
        if (n == 0) return;
        const HopGraph hops = MakeHopGraph(n, plan);
        q = ComputeOn(g, hops, FromPlan(n, plan, hops), options);
      });
  if (modularity) *modularity = q;
  return graph;  // FromPartial has set the degrees
}

}  // namespace newsgraph
