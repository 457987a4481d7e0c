// Placeholder writers for formats not written yet; replaced by their own files.
#include "newsgraph/export.hpp"

namespace newsgraph {

Status WriteGexf(const Graph&, std::ostream&, const ExportOptions&) {
  return Status::InvalidInput("GEXF output is not available yet");
}
Status WriteJson(const Graph&, std::ostream&, const ExportOptions&) {
  return Status::InvalidInput("JSON output is not available yet");
}
Status WriteCsv(const Graph&, std::ostream&, std::ostream&, const ExportOptions&) {
  return Status::InvalidInput("CSV output is not available yet");
}

}  // namespace newsgraph
