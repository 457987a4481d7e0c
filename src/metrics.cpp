#include "newsgraph/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <vector>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/connected_components.hpp>

namespace newsgraph {

namespace {

// The weighted adjacency the metrics share: weights clamped at 0, self-loops kept apart.
struct WeightedGraph {
  std::vector<std::vector<std::pair<std::size_t, double>>> adj;  // both directions, no loops
  std::vector<double> self;                                       // loop weight per node
  std::size_t size() const { return adj.size(); }
  // Returns the strength of `i`: its edge weights, a loop counted twice.
  double Strength(std::size_t i) const {
    double s = 2 * self[i];
    for (const auto& [j, w] : adj[i]) s += w;
    return s;
  }
};

WeightedGraph FromNetwork(const Network& g) {
  WeightedGraph wg;
  const std::size_t n = boost::num_vertices(g);
  wg.adj.resize(n);
  wg.self.assign(n, 0.0);
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const std::size_t a = boost::source(e, g), b = boost::target(e, g);
    const double w = std::isfinite(g[e].weight) ? std::max(g[e].weight, 0.0) : 0.0;
    if (a == b) { wg.self[a] += w; continue; }
    wg.adj[a].emplace_back(b, w);
    wg.adj[b].emplace_back(a, w);
  }
  return wg;
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
      for (const auto& [i, w] : wg.adj[j]) next[i] += share * w;
    }
    double change = 0, total = 0;
    for (std::size_t i = 0; i < n; ++i) { change += std::abs(next[i] - rank[i]); total += next[i]; }
    for (std::size_t i = 0; i < n; ++i) rank[i] = next[i] / total;
    if (change < o.tolerance) break;
  }
  return rank;
}

// Brandes' accumulation from the given sources over unweighted shortest paths (hops).
std::vector<double> SampledBetweenness(const Network& g, const std::vector<std::size_t>& sources) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<double> centrality(n, 0.0), sigma(n), delta(n);
  std::vector<long> dist(n);
  std::vector<std::vector<std::size_t>> preds(n);
  std::vector<std::size_t> stack;
  for (std::size_t s : sources) {
    std::fill(sigma.begin(), sigma.end(), 0.0);
    std::fill(delta.begin(), delta.end(), 0.0);
    std::fill(dist.begin(), dist.end(), -1);
    for (auto& p : preds) p.clear();
    stack.clear();
    sigma[s] = 1;
    dist[s] = 0;
    std::queue<std::size_t> queue;
    queue.push(s);
    while (!queue.empty()) {
      const std::size_t v = queue.front();
      queue.pop();
      stack.push_back(v);
      for (auto w : boost::make_iterator_range(boost::adjacent_vertices(v, g))) {
        if (dist[w] < 0) { dist[w] = dist[v] + 1; queue.push(w); }
        if (dist[w] == dist[v] + 1) { sigma[w] += sigma[v]; preds[w].push_back(v); }
      }
    }
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      const std::size_t w = *it;
      for (std::size_t v : preds[w]) delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
      if (w != s) centrality[w] += delta[w];
    }
  }
  return centrality;
}

// Louvain (Blondel et al. 2008): local moves in node order, then aggregation, until no move
// improves modularity. Returns each original node's community (arbitrary labels).
std::vector<std::size_t> Louvain(WeightedGraph level) {
  const std::size_t n0 = level.size();
  std::vector<std::size_t> membership(n0);
  std::iota(membership.begin(), membership.end(), 0);
  double m2 = 0;
  for (std::size_t i = 0; i < n0; ++i) m2 += level.Strength(i);
  if (m2 <= 0) return membership;
  constexpr double kEpsilon = 1e-12;
  for (int round = 0; round < 64; ++round) {
    const std::size_t n = level.size();
    std::vector<double> k(n), tot(n), to(n, 0.0);
    std::vector<std::size_t> comm(n);
    for (std::size_t i = 0; i < n; ++i) { k[i] = level.Strength(i); tot[i] = k[i]; comm[i] = i; }
    std::vector<char> touched(n, 0);
    std::vector<std::size_t> neighbours;
    bool moved_any = false;
    for (int pass = 0; pass < 1000; ++pass) {
      bool moved = false;
      for (std::size_t i = 0; i < n; ++i) {
        neighbours.clear();
        for (const auto& [j, w] : level.adj[i]) {
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
    WeightedGraph next;
    next.adj.resize(count);
    next.self.assign(count, 0.0);
    std::vector<std::vector<std::pair<std::size_t, double>>> raw(count);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t c = id[comm[i]];
      next.self[c] += level.self[i];
      for (const auto& [j, w] : level.adj[i]) {
        const std::size_t d = id[comm[j]];
        if (d == c) next.self[c] += w / 2;  // each internal edge is seen from both ends
        else raw[c].emplace_back(d, w);
      }
    }
    for (std::size_t c = 0; c < count; ++c) {
      std::sort(raw[c].begin(), raw[c].end());
      for (const auto& [d, w] : raw[c]) {
        if (!next.adj[c].empty() && next.adj[c].back().first == d) next.adj[c].back().second += w;
        else next.adj[c].emplace_back(d, w);
      }
    }
    level = std::move(next);
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
    for (const auto& [j, w] : wg.adj[i])
      if (community[j] == community[i]) inside[c] += w;
  }
  if (m2 <= 0) return 0;
  double q = 0;
  for (std::size_t c = 0; c <= n; ++c) q += inside[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
  return q;
}

}  // namespace

double ComputeMetrics(Graph* graph, const MetricsOptions& options) {
  Network& g = graph->mutable_network();
  const std::size_t n = boost::num_vertices(g);
  if (n == 0) return 0;
  const WeightedGraph wg = FromNetwork(g);

  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    g[v].degree = static_cast<double>(boost::degree(v, g));
    double w = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) w += g[e].weight;
    g[v].weighted_degree = w;
  }

  const std::vector<double> rank = PageRank(wg, options);
  for (std::size_t v = 0; v < n; ++v) g[v].pagerank = rank[v];

  std::vector<double> between(n, 0.0);
  if (n <= options.exact_betweenness_max_nodes) {
    boost::brandes_betweenness_centrality(
        g, boost::centrality_map(
               boost::make_iterator_property_map(between.begin(), boost::get(boost::vertex_index, g))));
  } else if (options.betweenness_pivots > 0) {
    const std::size_t p = std::min(options.betweenness_pivots, n);
    std::vector<std::size_t> sources;
    for (std::size_t k = 0; k < p; ++k) sources.push_back(k * n / p);
    between = SampledBetweenness(g, sources);
    // Each pair is reached from both of its ends, hence the halving.
    const double scale = static_cast<double>(n) / static_cast<double>(p) / 2;
    for (double& b : between) b *= scale;
  }
  for (std::size_t v = 0; v < n; ++v) g[v].betweenness = between[v];

  std::vector<std::size_t> component(n);
  boost::connected_components(
      g, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
  const std::vector<std::int64_t> components = RenumberBySize(component);
  for (std::size_t v = 0; v < n; ++v) g[v].component = components[v];

  const std::vector<std::int64_t> communities = RenumberBySize(Louvain(wg));
  for (std::size_t v = 0; v < n; ++v) g[v].community = communities[v];
  return Modularity(wg, communities);
}

}  // namespace newsgraph
