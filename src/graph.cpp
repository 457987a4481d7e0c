#include "newsgraph/graph.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

namespace newsgraph {

Status ParseWeightMeasure(std::string_view text, WeightMeasure* measure) {
  static const std::pair<std::string_view, WeightMeasure> kNames[] = {
      {"count", WeightMeasure::kCount},     {"association", WeightMeasure::kAssociation},
      {"npmi", WeightMeasure::kNpmi},       {"jaccard", WeightMeasure::kJaccard},
      {"cosine", WeightMeasure::kCosine},   {"g2", WeightMeasure::kG2}};
  for (const auto& [name, m] : kNames) {
    if (name == text) { *measure = m; return Status::Ok(); }
  }
  return Status::InvalidInput("invalid weight measure \"" + std::string(text) +
                              "\" (expected count, association, npmi, jaccard, cosine or g2)");
}

std::string WeightMeasureName(WeightMeasure m) {
  switch (m) {
    case WeightMeasure::kCount: return "count";
    case WeightMeasure::kAssociation: return "association";
    case WeightMeasure::kNpmi: return "npmi";
    case WeightMeasure::kJaccard: return "jaccard";
    case WeightMeasure::kCosine: return "cosine";
    case WeightMeasure::kG2: return "g2";
  }
  return "count";
}

EdgeMeasures ComputeEdgeMeasures(double c, double wi, double wj, double n) {
  EdgeMeasures m;
  if (c <= 0 || wi <= 0 || wj <= 0 || n <= 0) return m;
  m.association = c / (wi * wj);
  m.pmi = std::log(c * n / (wi * wj));
  const double p = c / n;
  m.npmi = p >= 1.0 ? 1.0 : m.pmi / -std::log(p);
  m.jaccard = c / (wi + wj - c);
  m.cosine = c / std::sqrt(wi * wj);
  // Dunning's log-likelihood ratio over the 2x2 contingency table.
  const double o[4] = {c, wi - c, wj - c, n - wi - wj + c};
  const double e[4] = {wi * wj / n, wi * (n - wj) / n, (n - wi) * wj / n,
                       (n - wi) * (n - wj) / n};
  double g2 = 0;
  for (int k = 0; k < 4; ++k) {
    if (o[k] > 0 && e[k] > 0) g2 += o[k] * std::log(o[k] / e[k]);
  }
  m.g2 = 2 * g2;
  return m;
}

namespace {

double Pick(const Relation& r, WeightMeasure m) {
  switch (m) {
    case WeightMeasure::kCount: return static_cast<double>(r.count);
    case WeightMeasure::kAssociation: return r.association;
    case WeightMeasure::kNpmi: return r.npmi;
    case WeightMeasure::kJaccard: return r.jaccard;
    case WeightMeasure::kCosine: return r.cosine;
    case WeightMeasure::kG2: return r.g2;
  }
  return 0;
}

}  // namespace

std::optional<Vertex> Graph::FindVertex(std::string_view name) const {
  auto it = index_.find(std::string(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Vertex Graph::AddVertex(const EntityNode& node) {
  auto it = index_.find(node.name);
  if (it != index_.end()) return it->second;
  const Vertex v = boost::add_vertex(node, g_);
  index_.emplace(node.name, v);
  return v;
}

void Graph::UpdateDegrees() {
  for (auto v : boost::make_iterator_range(boost::vertices(g_))) {
    EntityNode& n = g_[v];
    n.degree = static_cast<double>(boost::degree(v, g_));
    double w = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g_))) w += g_[e].weight;
    n.weighted_degree = w;
  }
}

void Graph::Reindex() {
  index_.clear();
  for (auto v : boost::make_iterator_range(boost::vertices(g_))) index_.emplace(g_[v].name, v);
}

Graph Graph::FromPartial(const PartialGraph& partial, const GraphOptions& options) {
  Graph graph;
  graph.documents = partial.documents();
  graph.units = partial.units();
  graph.mentions = partial.mentions();
  graph.bytes = partial.bytes();
  graph.weight_measure = options.weight;

  // Nodes that pass the filters (views into `partial`, which outlives them).
  std::vector<NodeView> nodes;
  const std::set<std::string, std::less<>> types(options.types.begin(), options.types.end());
  partial.ForEachNode([&](const NodeView& n) {
    if (n.frequency < options.min_frequency) return;
    if (!types.empty() && !types.count(n.type)) return;
    nodes.push_back(n);
  });
  if (options.top > 0 && nodes.size() > options.top) {
    std::stable_sort(nodes.begin(), nodes.end(), [](const NodeView& a, const NodeView& b) {
      return a.frequency > b.frequency;
    });
    nodes.resize(options.top);
    std::sort(nodes.begin(), nodes.end(),
              [](const NodeView& a, const NodeView& b) { return a.name < b.name; });
  }

  // Edges between kept nodes, with their measures. Two passes over the partial graph's edges
  // (visited in the same order each time): the first decides which edges stay from their
  // weights alone, the second builds only those, straight into the network, so no list of
  // full relations (evidence and all) ever exists beside it.
  std::unordered_map<std::string_view, std::uint64_t> kept;  // name -> units
  kept.reserve(nodes.size());
  for (const NodeView& n : nodes) kept.emplace(n.name, n.units);
  const double total = static_cast<double>(std::max<std::uint64_t>(partial.units(), 1));
  // Fills the counts and measures of `e` into `r`; false when the edge is filtered out.
  auto measure = [&](const EdgeView& e, Relation* r) {
    if (e.count < options.min_count) return false;
    const auto a = kept.find(e.first);
    if (a == kept.end()) return false;
    const auto b = kept.find(e.second);
    if (b == kept.end()) return false;
    r->count = e.count;
    r->documents = e.documents;
    const EdgeMeasures m = ComputeEdgeMeasures(static_cast<double>(e.count),
                                               static_cast<double>(a->second),
                                               static_cast<double>(b->second), total);
    r->association = m.association;
    r->pmi = m.pmi;
    r->npmi = m.npmi;
    r->jaccard = m.jaccard;
    r->cosine = m.cosine;
    r->g2 = m.g2;
    r->weight = Pick(*r, options.weight);
    return r->weight >= options.min_weight;
  };
  struct Candidate { std::string_view a, b; double weight; std::size_t ordinal; };
  std::vector<Candidate> edges;
  {
    std::size_t ordinal = 0;
    Relation r;
    partial.ForEachEdge([&](const EdgeView& e) {
      if (measure(e, &r)) edges.push_back({e.first, e.second, r.weight, ordinal});
      ++ordinal;
    });
  }

  // Disparity filter backbone (Serrano, Boguna & Vespignani 2009): keep an edge when, for
  // either end, its share of that node's strength is unlikely under a uniform split.
  if (options.backbone_alpha > 0) {
    std::map<std::string_view, std::pair<double, std::size_t>> strength;  // (sum, degree)
    for (const auto& c : edges) {
      for (std::string_view end : {c.a, c.b}) {
        auto& s = strength[end];
        s.first += c.weight;
        s.second += 1;
      }
    }
    auto significant = [&](std::string_view node, double w) {
      const auto& [s, k] = strength[node];
      if (k <= 1 || s <= 0) return k == 1;  // a node's only edge is its backbone
      const double alpha = std::pow(1.0 - w / s, static_cast<double>(k - 1));
      return alpha < options.backbone_alpha;
    };
    std::vector<Candidate> kept_edges;
    for (auto& c : edges) {
      if (significant(c.a, c.weight) || significant(c.b, c.weight)) kept_edges.push_back(c);
    }
    edges = std::move(kept_edges);
  }

  std::unordered_set<std::string_view> connected;
  if (!options.keep_isolates) {
    for (const auto& c : edges) { connected.insert(c.a); connected.insert(c.b); }
  }
  // Vertices in name order; an edge's ends are found by name.
  std::unordered_map<std::string_view, Vertex> vertex_of;
  vertex_of.reserve(nodes.size());
  for (NodeView& n : nodes) {
    if (!options.keep_isolates && !connected.count(n.name)) continue;
    EntityNode node;
    node.name = n.name;
    node.type = n.type;
    node.frequency = n.frequency;
    node.documents = n.documents;
    node.units = n.units;
    node.first_seen = n.first_seen;
    node.last_seen = n.last_seen;
    for (const auto& [k, v] : n.periods) node.periods.emplace_hint(node.periods.end(), k, v);
    std::vector<std::pair<std::uint64_t, std::string_view>> surfaces;
    for (const auto& [s, count] : n.surfaces)
      if (s != n.name) surfaces.emplace_back(count, s);
    std::stable_sort(surfaces.begin(), surfaces.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    for (const auto& s : surfaces) node.aliases.emplace_back(s.second);
    vertex_of.emplace(n.name, graph.AddVertex(node));
  }
  nodes = {};
  if (!edges.empty()) {
    std::size_t ordinal = 0, next = 0;
    partial.ForEachEdge([&](const EdgeView& e) {
      const std::size_t at = ordinal++;
      if (next >= edges.size() || edges[next].ordinal != at) return;
      ++next;
      const auto a = vertex_of.find(e.first);
      const auto b = vertex_of.find(e.second);
      if (a == vertex_of.end() || b == vertex_of.end()) return;
      Relation r;
      measure(e, &r);
      if (!e.first_seen.empty() || !e.periods.empty() || !e.evidence.empty()) {
        RelationDetail& d = r.detail.mutable_get();  // only edges with something to hold
        d.first_seen = e.first_seen;
        d.last_seen = e.last_seen;
        for (const auto& [k, v] : e.periods) d.periods.emplace_hint(d.periods.end(), k, v);
        d.evidence.reserve(e.evidence.size());
        for (const EvidenceView& ev : e.evidence)
          d.evidence.push_back({std::string(ev.doc), ev.begin, ev.end, std::string(ev.text)});
      }
      boost::add_edge(a->second, b->second, std::move(r), graph.g_);
    });
  }
  edges = {};
  graph.UpdateDegrees();
  return graph;
}

}  // namespace newsgraph
