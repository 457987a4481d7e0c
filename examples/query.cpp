// Builds a graph from files with the library API and prints an entity's strongest neighbours.
//   query_example FILE_OR_DIR ENTITY
#include <algorithm>
#include <iostream>
#include <vector>

#include "newsgraph/graph.hpp"
#include "newsgraph/pipeline.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: query_example FILE_OR_DIR ENTITY\n";
    return 1;
  }
  newsgraph::Pipeline pipeline(newsgraph::PipelineOptions{});
  newsgraph::PartialGraph counts;
  if (auto s = pipeline.Build({argv[1]}, &counts); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  const newsgraph::Graph graph = newsgraph::Graph::FromPartial(counts);
  const auto v = graph.FindVertex(argv[2]);
  if (!v) {
    std::cerr << "no entity named '" << argv[2] << "'\n";
    return 1;
  }
  const auto& g = graph.network();
  std::vector<std::pair<double, std::string>> neighbours;
  for (auto e : boost::make_iterator_range(boost::out_edges(*v, g)))
    neighbours.emplace_back(g[e].weight, g[boost::target(e, g)].name);
  std::sort(neighbours.rbegin(), neighbours.rend());
  for (std::size_t i = 0; i < neighbours.size() && i < 10; ++i)
    std::cout << neighbours[i].second << "\t" << neighbours[i].first << "\n";
  return 0;
}
