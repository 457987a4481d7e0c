// libFuzzer target: the partial graph reader (`merge`'s input, which may come from anywhere).
// Whatever it accepts must write back and read again to the same bytes, and merge with itself.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "newsgraph/partial_io.hpp"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

std::string Write(const newsgraph::PartialGraph& g, const newsgraph::RelateOptions& o) {
  std::ostringstream out;
  Check(newsgraph::WritePartial(g, o, out).ok());
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newsgraph;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  PartialGraph g;
  RelateOptions o;
  if (!ReadPartial(in, "fuzz", &g, &o).ok()) return 0;
  const std::string once = Write(g, o);
  std::istringstream again(once);
  PartialGraph back;
  RelateOptions back_options;
  Check(ReadPartial(again, "again", &back, &back_options).ok());
  Check(Write(back, back_options) == once);
  PartialGraph twice;
  twice.Merge(g, o);
  twice.Merge(std::move(back), o);
  Check(twice.edge_count() == g.edge_count() && twice.node_count() == g.node_count());
  return 0;
}
