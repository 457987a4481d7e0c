// graph: the entity network in Boost.Graph, with a name index and the edge strength measures.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "newsgraph/relate.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct EntityNode {
  std::string name;   // canonical name (the GraphML `label`)
  std::string type;
  std::uint64_t frequency = 0;   // mentions
  std::uint64_t documents = 0;
  std::uint64_t units = 0;       // co-occurrence units containing it
  std::string first_seen, last_seen;
  std::map<std::string, std::uint64_t> periods;
  std::vector<std::string> aliases;  // other surface forms seen, most frequent first
  // Metrics (filled by ComputeMetrics).
  double degree = 0, weighted_degree = 0, pagerank = 0, betweenness = 0;
  std::int64_t component = -1, community = -1;
};

// A T held on the heap with value semantics (copies copy the T), absent until first written:
// 8 bytes where the T would be, for data most objects never have.
template <typename T>
class OutOfLine {
 public:
  OutOfLine() = default;
  OutOfLine(const OutOfLine& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  OutOfLine(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(const OutOfLine& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  OutOfLine& operator=(OutOfLine&&) noexcept = default;
  // Returns the value, or a default-constructed T when there is none. O(1).
  const T& get() const {
    static const T kNone{};
    return p_ ? *p_ : kNone;
  }
  // Returns the value for writing, creating it on first use.
  T& mutable_get() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  bool has_value() const { return p_ != nullptr; }

 private:
  std::unique_ptr<T> p_;
};

// The dates, per-period counts and evidence of an edge. Kept out of line, because most edges
// of a graph loaded for querying have none, and a million edges should cost little memory;
// dates and passages are shared strings, held once however many edges carry them.
struct RelationDetail {
  SharedString first_seen, last_seen;
  OutOfLine<std::map<std::string, std::uint64_t>> periods;  // only with --slice
  EvidenceList evidence;
};

// The strength measures of an edge, from its count, its ends' units and the corpus units.
struct EdgeMeasures {
  double association = 0;        // c_ij / (w_i w_j), van Eck & Waltman
  double pmi = 0, npmi = 0, jaccard = 0, cosine = 0, g2 = 0;
};
// The measures by name, in the order every output lists them.
struct EdgeMeasureField {
  const char* name;
  double EdgeMeasures::*value;
};
inline constexpr EdgeMeasureField kEdgeMeasureFields[] = {
    {"association", &EdgeMeasures::association}, {"pmi", &EdgeMeasures::pmi},
    {"npmi", &EdgeMeasures::npmi},               {"jaccard", &EdgeMeasures::jaccard},
    {"cosine", &EdgeMeasures::cosine},           {"g2", &EdgeMeasures::g2}};
// Returns the strength measures of an edge seen in c_ij units, its ends in w_i and w_j units,
// out of n units in the corpus (all zero when any of them is not positive).
EdgeMeasures ComputeEdgeMeasures(double c_ij, double w_i, double w_j, double n);

// An edge of the network. Its strength measures are not stored: they follow from its count,
// its ends' units and the corpus units, and Graph::measures(edge) computes them when asked
// (40 bytes an edge less than six doubles, which is 48 bytes less for each of Boost's
// edge-list nodes). Only a graph read from a file whose measures cannot be derived (a file
// without the corpus totals, or whose values disagree with them) holds them, in `given`.
struct Relation {
  std::uint64_t count = 0;       // co-occurring units
  std::uint64_t documents = 0;
  double weight = 0;             // the measure chosen by GraphOptions::weight
  OutOfLine<RelationDetail> detail;  // dates, periods, evidence: detail.get().evidence
  OutOfLine<EdgeMeasures> given;     // measures read from a file, where not derivable

  // Shorthands for detail.get().first_seen, ..., detail.get().periods.get()
  std::string_view first_seen() const { return detail.get().first_seen.str(); }
  std::string_view last_seen() const { return detail.get().last_seen.str(); }
  const std::map<std::string, std::uint64_t>& periods() const {
    return detail.get().periods.get();
  }
  const EvidenceList& evidence() const { return detail.get().evidence; }
};

using Network = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, EntityNode,
                                      Relation>;
using Vertex = boost::graph_traits<Network>::vertex_descriptor;
using Edge = boost::graph_traits<Network>::edge_descriptor;

enum class WeightMeasure { kCount, kAssociation, kNpmi, kJaccard, kCosine, kG2 };

// Parses count|association|npmi|jaccard|cosine|g2.
Status ParseWeightMeasure(std::string_view text, WeightMeasure* measure);
// Returns the textual form of `measure`.
std::string WeightMeasureName(WeightMeasure measure);

struct GraphOptions {
  WeightMeasure weight = WeightMeasure::kCount;
  double min_weight = 0;          // edges below are dropped
  std::uint64_t min_count = 1;    // edges seen in fewer units are dropped
  std::uint64_t min_frequency = 1;  // nodes with fewer mentions are dropped
  std::size_t top = 0;            // keep the N nodes with most mentions (0: all)
  std::vector<std::string> types;  // keep only these node types (empty: all)
  double backbone_alpha = 0;      // disparity filter significance (0: off)
  bool keep_isolates = true;      // keep nodes left without edges
};

// An edge FromPartial is about to build: its ends (vertex descriptors) and weight.
struct PlannedEdge {
  std::uint32_t source, target;
  double weight;
};

// The network plus its index. Vertices are ordered by name, so output is deterministic.
class Graph {
 public:
  Graph() = default;
  // Builds the network from corpus counts, applying the measures and the pruning of `options`.
  static Graph FromPartial(const PartialGraph& partial, const GraphOptions& options = {});
  // Same, consuming `partial` (left empty): its storage is freed as the edges are built, so
  // the two are never both whole in memory. The way to go when the counts are not needed after.
  static Graph FromPartial(PartialGraph&& partial, const GraphOptions& options = {});
  // Called by FromPartial once the vertices exist and the edges that survive the filters are
  // known, before any edge is built: `plan` lists them in the order they will be added to
  // `network`. For work on the edges' ends and weights alone (the metrics), done while the
  // graph is still small.
  using EdgePlanVisit =
      std::function<void(Network& network, const std::vector<PlannedEdge>& plan)>;
  // The consuming FromPartial, calling `before_edges` as above.
  static Graph FromPartial(PartialGraph&& partial, const GraphOptions& options,
                           const EdgePlanVisit& before_edges);

  // Returns the Boost.Graph network.
  const Network& network() const { return g_; }
  Network& mutable_network() { return g_; }
  // Returns the vertex named `name` (canonical), if any. O(1).
  std::optional<Vertex> FindVertex(std::string_view name) const;
  // Adds a vertex (or returns the existing one) named `name`.
  Vertex AddVertex(const EntityNode& node);
  // Rebuilds the name index after the network was changed directly.
  void Reindex();
  // Sets every node's degree and weighted_degree (the sum of its edges' weights) from the
  // network. O(V + E).
  void UpdateDegrees();

  // Returns the strength measures of `e`: those given for it (Relation::given), else those
  // of its count, its ends' `units` and the corpus `units`. O(1): a few logarithms.
  EdgeMeasures measures(Edge e) const;
  // Returns measures(e).*which, computing only what it needs (for searches that read one
  // measure of many edges).
  double measure(Edge e, double EdgeMeasures::*which) const;

  std::size_t num_nodes() const { return boost::num_vertices(g_); }
  std::size_t num_edges() const { return boost::num_edges(g_); }

  // Corpus totals the graph was built from.
  std::uint64_t documents = 0, units = 0, mentions = 0, bytes = 0;
  std::string scope = "sentence";
  WeightMeasure weight_measure = WeightMeasure::kCount;

 private:
  // The two passes over a partial graph's edges, both in name order: the survey (decides
  // which edges stay), then the take (builds them), with the evidence as shared strings
  // (nullptr: take it from the view).
  using SurveyVisit = std::function<void(const EdgeView&)>;
  using EdgeVisit = std::function<void(const EdgeView&, std::vector<Evidence>* evidence)>;
  // FromPartial, the passes over the edges made by `visit_edges`.
  static Graph Build(const PartialGraph& partial, const GraphOptions& options,
                     const std::function<void(const SurveyVisit&, const EdgeVisit&)>& visit_edges,
                     const EdgePlanVisit& before_edges = {});

  Network g_;
  std::unordered_map<std::string, Vertex> index_;
};

}  // namespace newsgraph
