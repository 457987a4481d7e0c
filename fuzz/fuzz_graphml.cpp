// libFuzzer target: the GraphML reader on arbitrary bytes. Whatever it accepts must survive a
// round trip: written back by WriteGraphML, it parses again to the same numbers of nodes and
// edges, and every edge's measures (given by the file, or derived from the corpus totals and
// the counts) are written the same again. Rejections must name the origin.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include "newsgraph/export.hpp"
#include "newsgraph/graphml.hpp"
#include "export_util.hpp"  // the writers' number format

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
  // Edges come back in the order they were written.
  auto written = [](double v) {
    char buf[kDoubleChars];
    return std::string(buf, FormatDoubleTo(buf, v));
  };
  auto e1 = boost::edges(graph.network()).first;
  for (auto e2 : boost::make_iterator_range(boost::edges(again.network()))) {
    const EdgeMeasures a = graph.measures(*e1++), b = again.measures(e2);
    Check(written(a.association) == written(b.association) && written(a.pmi) == written(b.pmi) &&
          written(a.npmi) == written(b.npmi) && written(a.jaccard) == written(b.jaccard) &&
          written(a.cosine) == written(b.cosine) && written(a.g2) == written(b.g2));
  }
  return 0;
}
