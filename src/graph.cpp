#include "newsgraph/graph.hpp"

#include <algorithm>
#include <cmath>
#include <set>

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

  // Nodes that pass the filters.
  std::vector<const std::pair<const std::string, NodeStats>*> nodes;
  const std::set<std::string> types(options.types.begin(), options.types.end());
  for (const auto& entry : partial.nodes()) {
    const NodeStats& n = entry.second;
    if (n.frequency < options.min_frequency) continue;
    if (!types.empty() && !types.count(n.type())) continue;
    nodes.push_back(&entry);
  }
  if (options.top > 0 && nodes.size() > options.top) {
    std::stable_sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) {
      return a->second.frequency > b->second.frequency;
    });
    nodes.resize(options.top);
    std::sort(nodes.begin(), nodes.end(), [](auto* a, auto* b) { return a->first < b->first; });
  }

  // Edges between kept nodes, with their measures.
  struct Candidate { const std::string* a; const std::string* b; Relation r; };
  std::vector<Candidate> edges;
  std::set<std::string_view> kept;
  for (auto* n : nodes) kept.insert(n->first);
  const double total = static_cast<double>(std::max<std::uint64_t>(partial.units(), 1));
  for (const auto& [key, e] : partial.edges()) {
    if (e.count < options.min_count) continue;
    if (!kept.count(key.first) || !kept.count(key.second)) continue;
    const NodeStats& a = partial.nodes().at(key.first);
    const NodeStats& b = partial.nodes().at(key.second);
    Relation r;
    r.count = e.count;
    r.documents = e.documents;
    const EdgeMeasures m = ComputeEdgeMeasures(static_cast<double>(e.count),
                                               static_cast<double>(a.units),
                                               static_cast<double>(b.units), total);
    r.association = m.association;
    r.pmi = m.pmi;
    r.npmi = m.npmi;
    r.jaccard = m.jaccard;
    r.cosine = m.cosine;
    r.g2 = m.g2;
    r.weight = Pick(r, options.weight);
    if (r.weight < options.min_weight) continue;
    if (!e.first_seen.empty() || !e.periods.empty() || !e.evidence.empty()) {
      RelationDetail& d = r.detail.mutable_get();
      d.first_seen = e.first_seen;
      d.last_seen = e.last_seen;
      d.periods = e.periods;
      d.evidence = e.evidence;
    }
    edges.push_back({&key.first, &key.second, std::move(r)});
  }

  // Disparity filter backbone (Serrano, Boguna & Vespignani 2009): keep an edge when, for
  // either end, its share of that node's strength is unlikely under a uniform split.
  if (options.backbone_alpha > 0) {
    std::map<std::string_view, std::pair<double, std::size_t>> strength;  // (sum, degree)
    for (const auto& c : edges) {
      for (const std::string* end : {c.a, c.b}) {
        auto& s = strength[*end];
        s.first += c.r.weight;
        s.second += 1;
      }
    }
    auto significant = [&](const std::string& node, double w) {
      const auto& [s, k] = strength[node];
      if (k <= 1 || s <= 0) return k == 1;  // a node's only edge is its backbone
      const double alpha = std::pow(1.0 - w / s, static_cast<double>(k - 1));
      return alpha < options.backbone_alpha;
    };
    std::vector<Candidate> kept_edges;
    for (auto& c : edges) {
      if (significant(*c.a, c.r.weight) || significant(*c.b, c.r.weight))
        kept_edges.push_back(std::move(c));
    }
    edges = std::move(kept_edges);
  }

  std::set<std::string_view> connected;
  for (const auto& c : edges) { connected.insert(*c.a); connected.insert(*c.b); }
  for (auto* entry : nodes) {
    if (!options.keep_isolates && !connected.count(entry->first)) continue;
    const NodeStats& n = entry->second;
    EntityNode node;
    node.name = entry->first;
    node.type = n.type();
    node.frequency = n.frequency;
    node.documents = n.documents;
    node.units = n.units;
    node.first_seen = n.first_seen;
    node.last_seen = n.last_seen;
    node.periods = n.periods;
    std::vector<std::pair<std::uint64_t, std::string>> surfaces;
    for (const auto& [s, count] : n.surfaces)
      if (s != node.name) surfaces.emplace_back(count, s);
    std::stable_sort(surfaces.begin(), surfaces.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    for (auto& s : surfaces) node.aliases.push_back(std::move(s.second));
    graph.AddVertex(node);
  }
  for (auto& c : edges) {
    const auto a = graph.FindVertex(*c.a);
    const auto b = graph.FindVertex(*c.b);
    if (!a || !b) continue;
    boost::add_edge(*a, *b, std::move(c.r), graph.g_);
  }
  for (auto v : boost::make_iterator_range(boost::vertices(graph.g_))) {
    EntityNode& n = graph.g_[v];
    n.degree = static_cast<double>(boost::degree(v, graph.g_));
    double w = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, graph.g_))) w += graph.g_[e].weight;
    n.weighted_degree = w;
  }
  return graph;
}

}  // namespace newsgraph
