// libFuzzer target: the GraphML reader on arbitrary bytes. Whatever it accepts must survive a
// round trip: written back by WriteGraphML, it parses again to the same numbers of nodes and
// edges. Rejections must name the origin.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "newsgraph/export.hpp"
#include "newsgraph/graphml.hpp"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newsgraph;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  GraphMLReadOptions options;
  options.evidence = size > 0 && (data[0] & 1);
  Graph graph;
  Status s = ParseGraphML(text, "in.graphml", &graph, options);
  if (!s.ok()) {
    Check(s.message().rfind("in.graphml", 0) == 0);
    return 0;
  }
  std::ostringstream out;
  Check(WriteGraphML(graph, out).ok());
  Graph again;
  s = ParseGraphML(out.str(), "round-trip.graphml", &again, options);
  Check(s.ok());
  Check(again.num_nodes() == graph.num_nodes());
  Check(again.num_edges() == graph.num_edges());
  return 0;
}
