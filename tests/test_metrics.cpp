#include <catch2/catch.hpp>

#include <atomic>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <boost/graph/betweenness_centrality.hpp>

#include "metrics_internal.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/metrics.hpp"
#include "newsgraph/relate.hpp"

using namespace newsgraph;

namespace {

// Builds a graph with nodes "v0".."v{n-1}" (zero-padded so name order is index order) and the
// given weighted edges.
Graph MakeGraph(std::size_t n, const std::vector<std::tuple<std::size_t, std::size_t, double>>& edges) {
  Graph g;
  std::vector<Vertex> v;
  for (std::size_t i = 0; i < n; ++i) {
    EntityNode node;
    node.name = i < 10 ? "v0" : "v";  // appended: "v" + ... makes GCC 12 warn falsely (-Wrestrict)
    node.name += std::to_string(i);
    node.type = "person";
    v.push_back(g.AddVertex(node));
  }
  for (const auto& [a, b, w] : edges) {
    Relation r;
    r.weight = w;
    r.count = 1;
    boost::add_edge(v[a], v[b], r, g.mutable_network());
  }
  return g;
}

double Sum(const Graph& g, double EntityNode::*field) {
  double s = 0;
  for (auto v : boost::make_iterator_range(boost::vertices(g.network()))) s += g.network()[v].*field;
  return s;
}

// A random graph of several components with hubs, leaves, isolates, parallel edges and
// self-loops: the cases the breadth-first searches must get right.
Graph RandomGraph(std::size_t n, std::size_t edges, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::tuple<std::size_t, std::size_t, double>> list;
  const std::size_t hub = n / 3;  // nodes below it connect among themselves, as do those above
  for (std::size_t k = 0; k < edges; ++k) {
    const bool left = rng() % 3 == 0;
    const std::size_t lo = left ? 0 : hub, hi = left ? hub : n - n / 10;  // the last tenth: isolates
    std::size_t a = lo + rng() % (hi - lo), b = lo + rng() % (hi - lo);
    if (rng() % 4 == 0) a = lo + rng() % 3;  // a few hubs
    list.emplace_back(a, b, 1.0 + static_cast<double>(rng() % 5));
    if (rng() % 50 == 0) list.emplace_back(a, b, 1.0);  // a parallel edge
  }
  Graph g = MakeGraph(0, {});
  std::vector<Vertex> v;
  for (std::size_t i = 0; i < n; ++i) {
    EntityNode node;
    node.name = std::to_string(1000000 + i);
    node.name.insert(0, 1, 'n');  // not "n" + ...: GCC 12 warns falsely (-Wrestrict) there
    v.push_back(g.AddVertex(node));
  }
  for (const auto& [a, b, w] : list) {
    Relation r;
    r.weight = w;
    boost::add_edge(v[a], v[b], r, g.mutable_network());
  }
  return g;
}

// Every node of `g`, as betweenness sources.
std::vector<std::uint32_t> AllNodes(const Network& g) {
  std::vector<std::uint32_t> all(boost::num_vertices(g));
  std::iota(all.begin(), all.end(), 0u);
  return all;
}

std::vector<double> BoostBetweenness(const Network& g) {
  std::vector<double> c(boost::num_vertices(g), 0.0);
  boost::brandes_betweenness_centrality(
      g, boost::centrality_map(boost::make_iterator_property_map(c.begin(), boost::get(boost::vertex_index, g))));
  return c;
}

}  // namespace

TEST_CASE("PageRank sums to 1 and matches the hand solution on a star", "[metrics]") {
  // Star: centre 0, leaves 1..3. With d = 0.85 and N = 4:
  //   c = 0.15/4 + 0.85 * 3l,  l = 0.15/4 + 0.85 * c/3  =>  c = 0.133125 / 0.2775.
  Graph g = MakeGraph(4, {{0, 1, 1}, {0, 2, 1}, {0, 3, 1}});
  ComputeMetrics(&g);
  const auto& net = g.network();
  CHECK(Sum(g, &EntityNode::pagerank) == Approx(1.0));
  CHECK(net[0].pagerank == Approx(0.133125 / 0.2775).epsilon(1e-9));
  CHECK(net[1].pagerank == Approx((1 - 0.133125 / 0.2775) / 3).epsilon(1e-9));
  CHECK(net[0].degree == 3);
  CHECK(net[0].weighted_degree == 3);
}

TEST_CASE("PageRank follows weights and handles isolated nodes", "[metrics]") {
  // 0 -(9)- 1 -(1)- 2, and 3 alone: 1 is central, 0 outranks 2, the isolate keeps a share.
  Graph g = MakeGraph(4, {{0, 1, 9}, {1, 2, 1}});
  ComputeMetrics(&g);
  const auto& net = g.network();
  CHECK(Sum(g, &EntityNode::pagerank) == Approx(1.0));
  CHECK(net[1].pagerank > net[0].pagerank);
  CHECK(net[0].pagerank > net[2].pagerank);
  CHECK(net[3].pagerank > 0);
  CHECK(net[1].weighted_degree == 10);
}

TEST_CASE("betweenness of a path graph counts the pairs each node separates", "[metrics]") {
  // 0-1-2-3-4: node 1 lies between 0 and {2,3,4} (3 pairs), node 2 between {0,1} and {3,4} (4).
  Graph g = MakeGraph(5, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}});
  ComputeMetrics(&g);
  const auto& net = g.network();
  const std::vector<double> want = {0, 3, 4, 3, 0};
  for (std::size_t i = 0; i < 5; ++i) CHECK(net[i].betweenness == Approx(want[i]).margin(1e-12));

  SECTION("the pivot estimate with every node as a pivot is exact") {
    Graph h = MakeGraph(5, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}});
    MetricsOptions o;
    o.exact_betweenness_max_nodes = 3;
    o.betweenness_pivots = 5;
    ComputeMetrics(&h, o);
    for (std::size_t i = 0; i < 5; ++i)
      CHECK(h.network()[i].betweenness == Approx(want[i]).margin(1e-12));
  }
  SECTION("betweenness can be skipped on large graphs") {
    Graph h = MakeGraph(5, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}});
    MetricsOptions o;
    o.exact_betweenness_max_nodes = 3;
    o.betweenness_pivots = 0;
    ComputeMetrics(&h, o);
    CHECK(Sum(h, &EntityNode::betweenness) == 0);
  }
}

TEST_CASE("betweenness splits over equal shortest paths", "[metrics]") {
  // A 4-cycle 0-1-2-3-0: each pair of opposite nodes has two shortest paths, so every node
  // gets half of one pair.
  Graph g = MakeGraph(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 0, 1}});
  ComputeMetrics(&g);
  for (std::size_t i = 0; i < 4; ++i) CHECK(g.network()[i].betweenness == Approx(0.5));
}

TEST_CASE("components are numbered by size, largest first", "[metrics]") {
  // {0,4}, {1,2,3}, {5}: the triple is component 0, the pair 1, the isolate 2.
  Graph g = MakeGraph(6, {{0, 4, 1}, {1, 2, 1}, {2, 3, 1}});
  ComputeMetrics(&g);
  const auto& net = g.network();
  CHECK(net[1].component == 0);
  CHECK(net[2].component == 0);
  CHECK(net[3].component == 0);
  CHECK(net[0].component == 1);
  CHECK(net[4].component == 1);
  CHECK(net[5].component == 2);
}

TEST_CASE("Louvain separates two cliques joined by one edge", "[metrics]") {
  // K4 on 0..3 and K4 on 4..7, bridged by 3-4.
  std::vector<std::tuple<std::size_t, std::size_t, double>> edges;
  for (std::size_t base : {0u, 4u})
    for (std::size_t a = 0; a < 4; ++a)
      for (std::size_t b = a + 1; b < 4; ++b) edges.emplace_back(base + a, base + b, 1.0);
  edges.emplace_back(3, 4, 1.0);
  Graph g = MakeGraph(8, edges);
  const double q = ComputeMetrics(&g);
  const auto& net = g.network();
  for (std::size_t i = 1; i < 4; ++i) CHECK(net[i].community == net[0].community);
  for (std::size_t i = 5; i < 8; ++i) CHECK(net[i].community == net[4].community);
  CHECK(net[0].community != net[4].community);
  CHECK(net[0].community == 0);  // equal sizes: the community with the first node comes first
  // Modularity of that split: each side holds 6 of 13 edges and 13 of 26 degree units.
  CHECK(q == Approx(2 * (6.0 / 13 - 0.25)));

  SECTION("the result does not change between runs") {
    Graph again = MakeGraph(8, edges);
    ComputeMetrics(&again);
    for (std::size_t i = 0; i < 8; ++i) {
      CHECK(again.network()[i].community == net[i].community);
      CHECK(again.network()[i].pagerank == net[i].pagerank);
    }
  }
}

TEST_CASE("Louvain follows the weights", "[metrics]") {
  // A 4-cycle whose 0-1 and 2-3 edges are heavy: the pairs {0,1} and {2,3} are communities.
  Graph g = MakeGraph(4, {{0, 1, 10}, {1, 2, 1}, {2, 3, 10}, {3, 0, 1}});
  ComputeMetrics(&g);
  const auto& net = g.network();
  CHECK(net[0].community == net[1].community);
  CHECK(net[2].community == net[3].community);
  CHECK(net[0].community != net[2].community);
}

TEST_CASE("PageRank and modularity equal a dense reference on irregular weighted graphs",
          "[metrics]") {
  // Edges in random order with random weights, self-loops, parallel edges and isolates: each
  // weight must stay with its edge wherever the metrics keep it. The reference holds the
  // graph as a dense matrix (a loop adds twice its weight to the diagonal, parallel edges add).
  // Whole weights (counts) and fractional ones: the metrics hold the two kinds differently.
  for (unsigned seed : {4u, 5u, 6u, 7u}) {
    Graph g = RandomGraph(60, 240, seed);
    const Network& net = g.network();
    if (seed % 2 == 0)
      for (auto e : boost::make_iterator_range(boost::edges(net)))
        g.mutable_network()[e].weight *= 0.37;
    const std::size_t n = boost::num_vertices(net);
    std::vector<std::vector<double>> w(n, std::vector<double>(n, 0.0));
    for (auto e : boost::make_iterator_range(boost::edges(net))) {
      const std::size_t a = boost::source(e, net), b = boost::target(e, net);
      w[a][b] += net[e].weight;
      if (a != b) w[b][a] += net[e].weight;
      else w[a][a] += net[e].weight;
    }
    std::vector<double> strength(n, 0.0);
    double m2 = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) { strength[j] += w[i][j]; m2 += w[i][j]; }
    const MetricsOptions o;
    std::vector<double> rank(n, 1.0 / static_cast<double>(n)), next(n);
    for (int it = 0; it < o.max_iterations; ++it) {
      double dangling = 0;
      for (std::size_t j = 0; j < n; ++j)
        if (strength[j] <= 0) dangling += rank[j];
      double total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double nn = static_cast<double>(n);
        next[i] = (1 - o.damping) / nn + o.damping * dangling / nn;
        for (std::size_t j = 0; j < n; ++j)
          if (strength[j] > 0) next[i] += o.damping * rank[j] * w[j][i] / strength[j];
        total += next[i];
      }
      for (std::size_t i = 0; i < n; ++i) rank[i] = next[i] / total;
    }
    const double q = ComputeMetrics(&g);
    double want_q = 0;
    std::vector<double> inside(n, 0.0), tot(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<std::size_t>(net[i].community);
      tot[c] += strength[i];
      for (std::size_t j = 0; j < n; ++j)
        if (net[j].community == net[i].community) inside[c] += w[i][j];
    }
    for (std::size_t c = 0; c < n; ++c) want_q += inside[c] / m2 - (tot[c] / m2) * (tot[c] / m2);
    for (std::size_t v = 0; v < n; ++v) {
      INFO("seed " << seed << ", node " << v);
      CHECK(net[v].pagerank == Approx(rank[v]).epsilon(1e-9));
    }
    CHECK(q == Approx(want_q).epsilon(1e-12));
    CHECK(q > 0.1);  // the two halves of the random graph are found
  }
}

TEST_CASE("metrics of an empty graph and of a graph without weight", "[metrics]") {
  Graph empty;
  CHECK(ComputeMetrics(&empty) == 0);
  Graph zero = MakeGraph(3, {{0, 1, 0}, {1, 2, 0}});
  ComputeMetrics(&zero);
  CHECK(Sum(zero, &EntityNode::pagerank) == Approx(1.0));
  CHECK(zero.network()[0].community != zero.network()[1].community);  // nothing pulls them together
  CHECK(zero.network()[0].component == zero.network()[2].component);
}

TEST_CASE("both betweenness kernels equal Boost's Brandes on random graphs", "[metrics]") {
  using internal::BetweennessKernel;
  for (unsigned seed : {1u, 2u, 3u}) {
    const Graph g = RandomGraph(150 + 40 * seed, 400 * seed, seed);
    const Network& net = g.network();
    const std::vector<double> want = BoostBetweenness(net);
    const std::vector<std::uint32_t> all = AllNodes(net);
    for (auto kernel : {BetweennessKernel::kSingleSource, BetweennessKernel::kMultiSource}) {
      const std::vector<double> got = internal::SumDependencies(net, all, 1, kernel);
      REQUIRE(got.size() == want.size());
      for (std::size_t v = 0; v < got.size(); ++v) {
        INFO("seed " << seed << ", node " << v);
        CHECK(got[v] / 2 == Approx(want[v]).epsilon(1e-12).margin(1e-9));
      }
    }
  }
}

TEST_CASE("the work beside the betweenness runs once, on the calling thread", "[metrics]") {
  using internal::BetweennessKernel;
  const Graph g = RandomGraph(300, 1200, 11);
  const Network& net = g.network();
  const std::vector<std::uint32_t> all = AllNodes(net);
  const std::vector<double> want = internal::SumDependencies(net, all, 1);
  for (unsigned threads : {1u, 2u, 4u}) {
    INFO(threads << " threads");
    std::atomic<int> runs{0};
    std::thread::id ran_on;
    const auto got = internal::SumDependencies(net, all, threads, BetweennessKernel::kAuto,
                                               [&] { ++runs; ran_on = std::this_thread::get_id(); });
    CHECK(runs == 1);
    // There, what it allocates and frees goes back to the caller's malloc arena.
    CHECK(ran_on == std::this_thread::get_id());
    CHECK(got == want);
    // No sources: no searches, the work beside still done.
    CHECK(internal::SumDependencies(net, {}, threads, BetweennessKernel::kAuto, [&] { ++runs; }) ==
          std::vector<double>(all.size(), 0.0));
    CHECK(runs == 2);
    // Its exception reaches the caller, after the threads are joined.
    CHECK_THROWS_AS(internal::SumDependencies(net, all, threads, BetweennessKernel::kAuto,
                                              [] { throw std::runtime_error("beside"); }),
                    std::runtime_error);
  }
}

TEST_CASE("betweenness is identical for every thread count and between runs", "[metrics]") {
  using internal::BetweennessKernel;
  const Graph g = RandomGraph(700, 3000, 7);
  const Network& net = g.network();
  const std::vector<std::uint32_t> all = AllNodes(net);
  for (auto kernel : {BetweennessKernel::kSingleSource, BetweennessKernel::kMultiSource}) {
    const std::vector<double> one = internal::SumDependencies(net, all, 1, kernel);
    for (unsigned threads : {2u, 3u, 8u}) {
      CHECK(internal::SumDependencies(net, all, threads, kernel) == one);  // bit for bit
    }
    CHECK(internal::SumDependencies(net, all, 1, kernel) == one);
  }
  // Through ComputeMetrics, every metric, with threads = 0 (one per core) too.
  Graph a = RandomGraph(700, 3000, 7), b = RandomGraph(700, 3000, 7), c = RandomGraph(700, 3000, 7);
  MetricsOptions o1, o4, o0;
  o4.threads = 4;
  o0.threads = 0;
  const double qa = ComputeMetrics(&a, o1), qb = ComputeMetrics(&b, o4), qc = ComputeMetrics(&c, o0);
  CHECK(qa == qb);
  CHECK(qa == qc);
  for (std::size_t v = 0; v < a.num_nodes(); ++v) {
    for (const Graph* other : {&b, &c}) {
      const EntityNode &x = a.network()[v], &y = other->network()[v];
      CHECK(x.betweenness == y.betweenness);
      CHECK(x.pagerank == y.pagerank);
      CHECK(x.community == y.community);
      CHECK(x.component == y.component);
    }
  }
}

TEST_CASE("sampled betweenness: pivots spread over the graph, both kernels agree", "[metrics]") {
  using internal::BetweennessKernel;
  const Graph g = RandomGraph(500, 2000, 11);
  const Network& net = g.network();
  std::vector<std::uint32_t> pivots;
  for (std::uint32_t k = 0; k < 70; ++k) pivots.push_back(k * 500 / 70);
  const std::vector<double> single = internal::SumDependencies(net, pivots, 2, BetweennessKernel::kSingleSource);
  const std::vector<double> multi = internal::SumDependencies(net, pivots, 2, BetweennessKernel::kMultiSource);
  for (std::size_t v = 0; v < single.size(); ++v) CHECK(multi[v] == Approx(single[v]).epsilon(1e-12).margin(1e-9));
  // Through ComputeMetrics: the estimate from every node as a pivot is the exact value.
  Graph exact = RandomGraph(500, 2000, 11), sampled = RandomGraph(500, 2000, 11);
  ComputeMetrics(&exact);
  MetricsOptions o;
  o.exact_betweenness_max_nodes = 100;
  o.betweenness_pivots = 500;
  o.threads = 3;
  ComputeMetrics(&sampled, o);
  for (std::size_t v = 0; v < 500; ++v)
    CHECK(sampled.network()[v].betweenness == Approx(exact.network()[v].betweenness).epsilon(1e-12).margin(1e-9));
}

namespace {

// A sparse partial graph: several components, hubs, isolated entities and varied counts.
PartialGraph SparsePartial(std::size_t n, std::size_t edges, unsigned seed) {
  std::mt19937 rng(seed);
  PartialGraph p;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < n; ++i) {
    names.push_back("P");  // appended: "P" + ... makes GCC 12 warn falsely (-Wrestrict)
    names.back() += std::to_string(100000 + i);
    NodeStats s;
    s.frequency = 1 + rng() % 9;
    s.units = 1 + rng() % 6;
    s.type_votes["person"] = s.frequency;
    s.surfaces[names.back()] = s.frequency;
    p.AddNode(names.back(), s);
  }
  const std::size_t hub = n / 4;  // nodes below it link among themselves, as do those above
  for (std::size_t k = 0; k < edges; ++k) {
    const bool left = rng() % 3 == 0;
    const std::size_t lo = left ? 0 : hub, hi = left ? hub : n - n / 10;  // the last tenth: isolates
    std::size_t a = lo + rng() % (hi - lo), b = lo + rng() % (hi - lo);
    if (rng() % 4 == 0) a = lo + rng() % 3;
    if (a == b) continue;
    EdgeStats e;
    e.count = 1 + rng() % 7;
    e.documents = 1;
    p.AddEdge(std::min(names[a], names[b]), std::max(names[a], names[b]), e, 3);
  }
  p.SetTotals(n, 500, 2000, 100000);
  return p;
}

void CheckSameNodes(const Graph& a, const Graph& b) {
  REQUIRE(a.num_nodes() == b.num_nodes());
  REQUIRE(a.num_edges() == b.num_edges());
  for (auto v : boost::make_iterator_range(boost::vertices(a.network()))) {
    const EntityNode &x = a.network()[v], &y = b.network()[v];
    CAPTURE(x.name);
    CHECK(x.name == y.name);
    CHECK(x.degree == y.degree);
    CHECK(x.weighted_degree == y.weighted_degree);
    CHECK(x.pagerank == y.pagerank);  // exactly: the same computation in the same order
    CHECK(x.betweenness == y.betweenness);
    CHECK(x.component == y.component);
    CHECK(x.community == y.community);
  }
}

}  // namespace

TEST_CASE("BuildGraphWithMetrics gives the metrics ComputeMetrics gives the built graph",
          "[metrics]") {
  std::vector<GraphOptions> settings(5);
  settings[1].min_count = 3;
  settings[2].weight = WeightMeasure::kNpmi;  // fractional weights, some below 0
  settings[2].keep_isolates = false;
  settings[3].backbone_alpha = 0.4;
  settings[4].min_count = 1000;  // no edge kept
  for (std::size_t k = 0; k < settings.size(); ++k) {
    for (unsigned threads : {1u, 3u}) {
      CAPTURE(k, threads);
      MetricsOptions mo;
      mo.threads = threads;
      mo.exact_betweenness_max_nodes = k == 1 ? 50 : 5000;  // sampled betweenness too
      mo.betweenness_pivots = 20;
      Graph expected = Graph::FromPartial(SparsePartial(300, 700, 5), settings[k]);
      const double q_expected = ComputeMetrics(&expected, mo);
      double q = -1;
      const Graph g = BuildGraphWithMetrics(SparsePartial(300, 700, 5), settings[k], mo, &q);
      CHECK(q == q_expected);
      CheckSameNodes(g, expected);
      if (k == 0) {  // the case has what the metrics tell apart
        CHECK(q > 0);
        std::int64_t components = 0;
        for (auto v : boost::make_iterator_range(boost::vertices(g.network())))
          components = std::max(components, g.network()[v].component + 1);
        CHECK(components > 2);
      }
    }
  }
}

TEST_CASE("a plan visitor sees the edges FromPartial then builds, in order", "[graph]") {
  GraphOptions go;
  go.weight = WeightMeasure::kJaccard;
  go.min_count = 2;
  go.keep_isolates = false;
  // (lesser end name, greater end name, weight) of each planned edge, in plan order.
  std::vector<std::tuple<std::string, std::string, double>> planned;
  std::size_t vertices = 0;
  const Graph g = Graph::FromPartial(
      SparsePartial(60, 120, 9), go, [&](Network& net, const std::vector<PlannedEdge>& plan) {
        CHECK(boost::num_edges(net) == 0);  // none built yet
        vertices = boost::num_vertices(net);
        for (const PlannedEdge& e : plan) {
          REQUIRE(e.source < vertices);
          REQUIRE(e.target < vertices);
          const std::string &a = net[e.source].name, &b = net[e.target].name;
          planned.emplace_back(std::min(a, b), std::max(a, b), e.weight);
        }
      });
  const Network& net = g.network();
  CHECK(vertices == boost::num_vertices(net));
  REQUIRE(planned.size() == boost::num_edges(net));
  CHECK(planned.size() > 20);
  std::size_t k = 0;
  for (auto e : boost::make_iterator_range(boost::edges(net))) {
    CAPTURE(k);
    const std::string &a = net[boost::source(e, net)].name, &b = net[boost::target(e, net)].name;
    CHECK(std::get<0>(planned[k]) == std::min(a, b));
    CHECK(std::get<1>(planned[k]) == std::max(a, b));
    CHECK(std::get<2>(planned[k]) == net[e].weight);
    ++k;
  }
}
