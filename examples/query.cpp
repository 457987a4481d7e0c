// The query API in one program: load a saved graph (or build one from text), resolve a name,
// list its strongest neighbours, find how two entities connect, rank the most central
// entities, show the evidence for a relation and write an ego network.
//   query_example GRAPH.graphml|FILE_OR_DIR ENTITY [OTHER_ENTITY]
// e.g. query_example examples/corpus "Modi" "Xi Jinping"
#include <iostream>
#include <string>

#include "newsgraph/export.hpp"
#include "newsgraph/graphml.hpp"
#include "newsgraph/pipeline.hpp"
#include "newsgraph/query.hpp"

namespace ng = newsgraph;

namespace {

int Explore(const ng::Graph& graph, const std::string& name, const std::string& other) {
  const ng::Network& g = graph.network();
  const ng::GraphQuery query(graph);

  // Names, aliases ("Xi"), other spellings ("erdogan") and word matches ("Modi") resolve;
  // an unknown name comes back with suggestions, an ambiguous one with its candidates.
  ng::Vertex entity;
  if (ng::Status s = query.Resolve(name, &entity); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << g[entity].name << " (" << g[entity].type << "), " << g[entity].frequency
            << " mentions\n\nStrongest neighbours by NPMI:\n";
  ng::NeighborOptions by_npmi;
  by_npmi.by = ng::EdgeMeasure::kNpmi;
  by_npmi.top = 5;
  for (const ng::Neighbor& n : query.Neighbors(entity, by_npmi)) {
    std::cout << "  " << g[n.vertex].name << "\t" << n.value << " (" << g[n.edge].count
              << " co-occurrences)\n";
  }

  std::cout << "\nMost central countries (PageRank):\n";
  for (const ng::RankedEntity& r : query.Top(ng::NodeMeasure::kPageRank, 5, {"country"}))
    std::cout << "  " << g[r.vertex].name << "\t" << r.value << "\n";

  if (!other.empty()) {
    ng::Vertex target;
    if (ng::Status s = query.Resolve(other, &target); !s.ok()) {
      std::cerr << s.message() << "\n";
      return 1;
    }
    const ng::Path path = query.StrongestPath(entity, target, ng::EdgeMeasure::kCount);
    std::cout << "\nStrongest path to " << g[target].name << ":";
    if (!path.found()) std::cout << " none (different components)";
    for (ng::Vertex v : path.vertices) std::cout << " > " << g[v].name;
    std::cout << "\n";
    if (const auto edge = query.EdgeBetween(entity, target)) {
      std::cout << "Evidence:\n";
      for (const ng::Evidence& e : g[*edge].evidence()) std::cout << "  " << e.doc << ": " << e.text << "\n";
    }
  }

  const ng::GraphStats stats = query.Stats();
  std::cout << "\n" << stats.nodes << " entities, " << stats.edges << " relations, "
            << stats.components << " components, density " << stats.density << "\n";

  // The ego network is a Graph like any other: export it, query it.
  const ng::Graph ego = query.Ego(entity, 1);
  if (ng::Status s = ng::ExportGraph(ego, "ego.graphml"); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << "Wrote ego.graphml: " << ego.num_nodes() << " entities, " << ego.num_edges()
            << " relations\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: query_example GRAPH.graphml|FILE_OR_DIR ENTITY [OTHER_ENTITY]\n";
    return 1;
  }
  const std::string input = argv[1];
  const std::string other = argc == 4 ? argv[3] : "";
  if (input.size() > 8 && input.compare(input.size() - 8, 8, ".graphml") == 0) {
    // Loaded in place: Boost graphs are copied, not moved, so pass a Graph* rather than
    // returning one.
    ng::Graph graph;
    if (ng::Status s = ng::ReadGraphML(input, &graph); !s.ok()) {
      std::cerr << s.message() << "\n";
      return 1;
    }
    return Explore(graph, argv[2], other);
  }
  ng::Pipeline pipeline(ng::PipelineOptions{});
  ng::PartialGraph counts;
  if (ng::Status s = pipeline.Build({input}, &counts); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  const ng::Graph graph = ng::Graph::FromPartial(counts);
  return Explore(graph, argv[2], other);
}
