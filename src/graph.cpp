#include "newsgraph/graph.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "free_storage.hpp"

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

namespace {

// The measures but G2, which alone takes four logarithms.
EdgeMeasures MeasuresButG2(double c, double wi, double wj, double n) {
  EdgeMeasures m;
  m.association = c / (wi * wj);
  m.pmi = std::log(c * n / (wi * wj));
  const double p = c / n;
  m.npmi = p >= 1.0 ? 1.0 : m.pmi / -std::log(p);
  m.jaccard = c / (wi + wj - c);
  m.cosine = c / std::sqrt(wi * wj);
  return m;
}

// Dunning's log-likelihood ratio over the 2x2 contingency table.
double G2(double c, double wi, double wj, double n) {
  const double o[4] = {c, wi - c, wj - c, n - wi - wj + c};
  const double e[4] = {wi * wj / n, wi * (n - wj) / n, (n - wi) * wj / n,
                       (n - wi) * (n - wj) / n};
  double g2 = 0;
  for (int k = 0; k < 4; ++k) {
    if (o[k] > 0 && e[k] > 0) g2 += o[k] * std::log(o[k] / e[k]);
  }
  return 2 * g2;
}

bool Measurable(double c, double wi, double wj, double n) {
  return c > 0 && wi > 0 && wj > 0 && n > 0;
}

}  // namespace

EdgeMeasures ComputeEdgeMeasures(double c, double wi, double wj, double n) {
  if (!Measurable(c, wi, wj, n)) return {};
  EdgeMeasures m = MeasuresButG2(c, wi, wj, n);
  m.g2 = G2(c, wi, wj, n);
  return m;
}

namespace {

double Pick(std::uint64_t count, const EdgeMeasures& e, WeightMeasure m) {
  switch (m) {
    case WeightMeasure::kCount: return static_cast<double>(count);
    case WeightMeasure::kAssociation: return e.association;
    case WeightMeasure::kNpmi: return e.npmi;
    case WeightMeasure::kJaccard: return e.jaccard;
    case WeightMeasure::kCosine: return e.cosine;
    case WeightMeasure::kG2: return e.g2;
  }
  return 0;
}

// The corpus units the measures divide by: at least 1, as FromPartial has always counted.
double CorpusUnits(std::uint64_t units) {
  return static_cast<double>(std::max<std::uint64_t>(units, 1));
}

}  // namespace

EdgeMeasures Graph::measures(Edge e) const {
  const Relation& r = g_[e];
  if (r.given.has_value()) return r.given.get();
  return ComputeEdgeMeasures(static_cast<double>(r.count),
                             static_cast<double>(g_[boost::source(e, g_)].units),
                             static_cast<double>(g_[boost::target(e, g_)].units),
                             CorpusUnits(units));
}

double Graph::measure(Edge e, double EdgeMeasures::*which) const {
  const Relation& r = g_[e];
  if (r.given.has_value()) return r.given.get().*which;
  const auto c = static_cast<double>(r.count);
  const auto wi = static_cast<double>(g_[boost::source(e, g_)].units);
  const auto wj = static_cast<double>(g_[boost::target(e, g_)].units);
  const double n = CorpusUnits(units);
  if (!Measurable(c, wi, wj, n)) return 0;
  return which == &EdgeMeasures::g2 ? G2(c, wi, wj, n) : MeasuresButG2(c, wi, wj, n).*which;
}

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
  return Build(partial, options, [&](const SurveyVisit& survey, const EdgeVisit& take) {
    partial.ForEachEdge(survey);
    partial.ForEachEdge([&](const EdgeView& e) { take(e, nullptr); });
  });
}

Graph Graph::FromPartial(PartialGraph&& partial, const GraphOptions& options) {
  return FromPartial(std::move(partial), options, {});
}

Graph Graph::FromPartial(PartialGraph&& partial, const GraphOptions& options,
                         const EdgePlanVisit& before_edges) {
  Graph graph = Build(
      partial, options,
      [&](const SurveyVisit& survey, const EdgeVisit& take) { partial.DrainEdges(survey, take); },
      before_edges);
  partial = PartialGraph();  // drained already, unless it had no edges
  return graph;
}

Graph Graph::Build(const PartialGraph& partial, const GraphOptions& options,
                   const std::function<void(const SurveyVisit&, const EdgeVisit&)>& visit_edges,
                   const EdgePlanVisit& before_edges) {
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
  // full relations (evidence and all) ever exists beside it. Nodes are known by their index
  // in `nodes` from here on.
  std::vector<std::uint64_t> units(nodes.size());  // w_i
  std::unordered_map<std::string_view, std::uint32_t> index_of;
  index_of.reserve(nodes.size());
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    units[i] = nodes[i].units;
    index_of.emplace(nodes[i].name, i);
  }
  const double total = CorpusUnits(partial.units());
  // Fills the counts and measures of `e`, between nodes `a` and `b`, into `r`; false when the
  // edge is filtered out by its weight.
  auto measure = [&](const EdgeView& e, std::uint32_t a, std::uint32_t b, Relation* r) {
    r->count = e.count;
    r->documents = e.documents;
    const EdgeMeasures m = ComputeEdgeMeasures(static_cast<double>(e.count),
                                               static_cast<double>(units[a]),
                                               static_cast<double>(units[b]), total);
    r->weight = Pick(e.count, m, options.weight);
    return r->weight >= options.min_weight;
  };
  // The survey's verdict, a bit per edge in visit order (an edge is 1 bit here, not its ends
  // and weight: a million edges cost 128 KB), and the kept edges per node. The backbone needs
  // each survivor's ends and weight, so with it they are listed first and filtered in `prepare`.
  std::vector<bool> kept;
  kept.reserve(partial.edge_count());
  std::vector<std::size_t> degree(nodes.size());
  struct Candidate {
    std::uint32_t a, b;        // node indices
    std::uint32_t ordinal;     // place in the visit order (a partial graph has < 2^32 edges)
    double weight;
  };
  std::vector<Candidate> candidates;  // only with the backbone
  const bool backbone = options.backbone_alpha > 0;
  // The kept edges' ends (node indices) and weights in visit order, for `before_edges` only.
  std::vector<PlannedEdge> plan;
  auto keep = [&](std::uint32_t a, std::uint32_t b, std::uint32_t at, double weight) {
    kept[at] = true;
    ++degree[a];
    ++degree[b];
    if (before_edges) plan.push_back({a, b, weight});
  };
  std::uint32_t ordinal = 0;
  Relation r;
  auto survey = [&](const EdgeView& e) {
    const std::uint32_t at = ordinal++;
    kept.push_back(false);
    if (e.count < options.min_count) return;
    const auto a = index_of.find(e.first);
    if (a == index_of.end()) return;
    const auto b = index_of.find(e.second);
    if (b == index_of.end()) return;
    if (!measure(e, a->second, b->second, &r)) return;
    if (backbone) candidates.push_back({a->second, b->second, at, r.weight});
    else keep(a->second, b->second, at, r.weight);
  };

  // Between the two passes, with the surviving edges known: the backbone, then the vertices.
  // Called on the second pass's first edge (or after both passes when there is none).
  const Vertex kNoVertex = boost::graph_traits<Network>::null_vertex();
  std::vector<Vertex> vertex_of(nodes.size(), kNoVertex);
  bool prepared = false;
  auto prepare = [&] {
    prepared = true;
    // Disparity filter backbone (Serrano, Boguna & Vespignani 2009): keep an edge when, for
    // either end, its share of that node's strength is unlikely under a uniform split.
    if (backbone) {
      std::vector<std::pair<double, std::size_t>> strength(nodes.size());  // (sum, degree)
      for (const auto& c : candidates) {
        for (std::uint32_t end : {c.a, c.b}) {
          auto& s = strength[end];
          s.first += c.weight;
          s.second += 1;
        }
      }
      auto significant = [&](std::uint32_t node, double w) {
        const auto& [s, k] = strength[node];
        if (k <= 1 || s <= 0) return k == 1;  // a node's only edge is its backbone
        const double alpha = std::pow(1.0 - w / s, static_cast<double>(k - 1));
        return alpha < options.backbone_alpha;
      };
      for (const auto& c : candidates)
        if (significant(c.a, c.weight) || significant(c.b, c.weight))
          keep(c.a, c.b, c.ordinal, c.weight);
      FreeStorage(candidates);
    }

    // Vertices in name order, each vertex's edge list allocated once at its final size.
    for (std::uint32_t i = 0; i < nodes.size(); ++i) {
      const NodeView& n = nodes[i];
      if (!options.keep_isolates && degree[i] == 0) continue;
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
      vertex_of[i] = graph.AddVertex(node);
      graph.g_.out_edge_list(vertex_of[i]).reserve(degree[i]);
    }
    FreeStorage(nodes);
    FreeStorage(degree);
    if (before_edges) {
      for (PlannedEdge& e : plan) {
        e.source = static_cast<std::uint32_t>(vertex_of[e.source]);
        e.target = static_cast<std::uint32_t>(vertex_of[e.target]);
      }
      before_edges(graph.g_, plan);
      FreeStorage(plan);
    }
  };
  SharedStringPool dates, texts;  // each date, document id and passage held once
  EvidencePool passages;          // and each passage record, shared by the edges quoting it
  auto take = [&](const EdgeView& e, std::vector<Evidence>* evidence) {
    if (!prepared) {
      prepare();
      ordinal = 0;
    }
    const std::uint32_t at = ordinal++;
    if (at >= kept.size() || !kept[at]) return;
    // Kept: the survey found both ends by these names (the two passes visit the same edges).
    const auto ia = index_of.find(e.first), ib = index_of.find(e.second);
    if (ia == index_of.end() || ib == index_of.end()) return;
    const std::uint32_t a = ia->second, b = ib->second;
    Relation rel;
    measure(e, a, b, &rel);
    const bool has_evidence = evidence ? !evidence->empty() : !e.evidence.empty();
    if (!e.first_seen.empty() || !e.periods.empty() || has_evidence) {
      RelationDetail& d = rel.detail.mutable_get();  // only edges with something to hold
      d.first_seen = dates.Get(e.first_seen);
      d.last_seen = dates.Get(e.last_seen);
      if (!e.periods.empty()) {
        auto& periods = d.periods.mutable_get();
        for (const auto& [k, v] : e.periods) periods.emplace_hint(periods.end(), k, v);
      }
      if (evidence) {
        d.evidence.reserve(evidence->size());
        for (Evidence& ev : *evidence) d.evidence.push_back(passages.Get(std::move(ev)));
      } else {
        d.evidence.reserve(e.evidence.size());
        for (const EvidenceView& ev : e.evidence) {
          d.evidence.push_back(
              passages.Get({texts.Get(ev.doc), ev.begin, ev.end, texts.Get(ev.text)}));
        }
      }
    }
    boost::add_edge(vertex_of[a], vertex_of[b], std::move(rel), graph.g_);
  };
  visit_edges(survey, take);
  passages = EvidencePool();  // the records stay with the edges
  if (!prepared) prepare();
  FreeStorage(index_of);
  graph.UpdateDegrees();
  return graph;
}

}  // namespace newsgraph
