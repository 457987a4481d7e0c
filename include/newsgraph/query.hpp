// query: questions asked of a built or loaded Graph: which entity a name means, its strongest
// neighbours, how two entities connect, an entity's ego network, the most central entities,
// the components, the evidence for a relation, summary statistics and fuzzy search.
//
//   Graph graph;
//   Status s = ReadGraphML("out/graph.graphml", &graph);   // or Graph::FromPartial(...)
//   GraphQuery query(graph);
//   Vertex macron;
//   s = query.Resolve("macron", &macron);           // NotFound with suggestions, or ambiguous
//   for (const Neighbor& n : query.Neighbors(macron, {.by = EdgeMeasure::kNpmi, .top = 10}))
//     std::cout << graph.network()[n.vertex].name << " " << n.value << "\n";
//
// A GraphQuery only reads the graph (which must outlive it and not change while it is used);
// every method is const and safe to call from several threads at once.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/graph.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

// The edge values neighbours and strongest paths are ranked by.
enum class EdgeMeasure { kWeight, kCount, kDocuments, kAssociation, kPmi, kNpmi, kJaccard, kCosine, kG2 };
// Parses weight|count|documents|association|pmi|npmi|jaccard|cosine|g2.
Status ParseEdgeMeasure(std::string_view text, EdgeMeasure* measure);
// Returns the textual form of `measure`.
std::string EdgeMeasureName(EdgeMeasure measure);
// Returns the value of `measure` on edge `e` of `graph` (the strength measures computed by
// Graph::measures).
double EdgeValue(const Graph& graph, Edge e, EdgeMeasure measure);

// The node values entities are ranked by.
enum class NodeMeasure { kDegree, kWeightedDegree, kPageRank, kBetweenness, kFrequency };
// Parses degree|weighted|weighted_degree|pagerank|betweenness|frequency.
Status ParseNodeMeasure(std::string_view text, NodeMeasure* measure);
// Returns the textual form of `measure` (weighted_degree for kWeightedDegree).
std::string NodeMeasureName(NodeMeasure measure);
// Returns the value of `measure` on `node`.
double NodeValue(const EntityNode& node, NodeMeasure measure);

// How a name was matched.
enum class MatchKind { kNone, kName, kAlias, kFolded, kWords };

// The entities a name may mean.
struct Lookup {
  MatchKind kind = MatchKind::kNone;
  std::vector<Vertex> candidates;  // most mentioned first; exactly one when unambiguous

  // Returns true when the name means exactly one entity.
  bool found() const { return candidates.size() == 1; }
  // Returns true when the name fits several entities.
  bool ambiguous() const { return candidates.size() > 1; }
};

struct Neighbor {
  Vertex vertex;  // the neighbouring entity
  Edge edge;      // the relation to it
  double value;   // the ranking measure on `edge`
};

struct NeighborOptions {
  EdgeMeasure by = EdgeMeasure::kWeight;  // rank by this edge value, highest first
  std::size_t top = 0;                    // keep the first K (0: all)
  std::vector<std::string> types;         // keep only neighbours of these types (empty: all)
};

struct Path {
  std::vector<Vertex> vertices;  // source to target; empty when there is no path
  std::vector<Edge> edges;       // vertices.size() - 1 relations, in order
  double strength = 0;           // product of the edges' normalised values (w / w_max)

  // Returns true when the entities are connected.
  bool found() const { return !vertices.empty(); }
  // Returns the number of edges.
  std::size_t hops() const { return edges.size(); }
};

struct RankedEntity {
  Vertex vertex;
  double value;  // the ranking measure
};

struct Suggestion {
  Vertex vertex;
  double score;         // similarity in [0, 1], 1 for an exact (folded) match
  std::string matched;  // the name or alias that matched best
};

struct GraphStats {
  std::size_t nodes = 0, edges = 0;
  std::map<std::string, std::size_t> nodes_per_type;
  std::map<std::string, std::size_t> edges_per_type;  // "country-person": type pair, sorted
  std::size_t components = 0;         // connected components, isolates included
  std::size_t largest_component = 0;  // nodes in the largest
  std::size_t isolates = 0;           // nodes without edges
  double density = 0;                 // 2E / (N (N - 1))
  double mean_degree = 0;             // 2E / N
};

class GraphQuery {
 public:
  // Wraps `graph`; O(1). The alias and folded-name index is built on the first lookup that
  // needs it (O(N + aliases)).
  explicit GraphQuery(const Graph& graph);
  ~GraphQuery();
  GraphQuery(GraphQuery&&) noexcept;
  GraphQuery& operator=(GraphQuery&&) noexcept;

  // Returns the graph queried.
  const Graph& graph() const { return *graph_; }

  // Returns the entities `name` may mean: the canonical name if one matches exactly, else the
  // entities with that alias, else those whose name or alias folds (case, diacritics, curly
  // quotes, a leading "the") to the same form (O(1) expected), else those whose name contains
  // its words as whole words, "Macron" for "Emmanuel Macron" (O(N)).
  Lookup Find(std::string_view name) const;
  // Sets `*vertex` to the one entity `name` means. Returns NotFound (with the closest names
  // as suggestions) when none matches, InvalidInput listing the candidates when several do.
  Status Resolve(std::string_view name, Vertex* vertex) const;
  // Returns the entities closest to `text` (edit distance, shared words, containment over
  // folded names and aliases), best first, at most `limit`, none below `min_score`. O(N).
  std::vector<Suggestion> Suggest(std::string_view text, std::size_t limit = 5,
                                  double min_score = 0.5) const;

  // Returns the neighbours of `v`, highest `options.by` first (ties in vertex order: name
  // order for graphs newsgraph built or wrote), filtered by type and cut to `options.top`.
  // O(d log K) for degree d.
  std::vector<Neighbor> Neighbors(Vertex v, const NeighborOptions& options = {}) const;
  // Returns the relation between `a` and `b`, if they co-occur. O(min(deg a, deg b)).
  std::optional<Edge> EdgeBetween(Vertex a, Vertex b) const;

  // Returns a path from `a` to `b` with the fewest hops (breadth-first search, O(N + E)), its
  // strength measured by `by`; an empty path when they are not connected.
  Path ShortestPath(Vertex a, Vertex b, EdgeMeasure by = EdgeMeasure::kWeight) const;
  // Returns the path maximising the product of normalised edge values w / w_max, i.e. the
  // shortest under cost -log(w / w_max) (Dijkstra, O(E + N log N)); among equally strong paths
  // the one with fewest hops. Edges whose value is not positive are not used.
  Path StrongestPath(Vertex a, Vertex b, EdgeMeasure by = EdgeMeasure::kWeight) const;

  // Returns the ego network of `center`: the entities within `depth` hops and every relation
  // among them, as a new Graph (nodes in the original order, their original attributes and
  // metrics). O(size of the ego network's adjacency).
  Graph Ego(Vertex center, std::size_t depth = 1) const;

  // Returns the `n` entities highest by `by` (ties by name), of the given types (empty: all).
  // PageRank and betweenness are read from the nodes (newsgraph's GraphML carries them);
  // when every node has 0 they are computed first (see ComputeCentrality). O(N log n).
  std::vector<RankedEntity> Top(NodeMeasure by, std::size_t n,
                                const std::vector<std::string>& types = {}) const;

  // Returns the connected components, largest first (ties by first vertex), each in vertex
  // order. O(N + E).
  std::vector<std::vector<Vertex>> Components() const;

  // Returns node and edge counts per type, components, density. O(N + E).
  GraphStats Stats() const;

 private:
  struct Index;
  const Index& index() const;
  const std::vector<double>& Centrality(NodeMeasure by) const;

  const Graph* graph_;
  std::unique_ptr<Index> index_;
};

}  // namespace newsgraph
