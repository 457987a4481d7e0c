// Helpers the exporters share (internal header).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/relate.hpp"

namespace newsgraph {

// Returns `v` in the shortest form that round-trips to 6 significant digits ("0" for NaN/inf).
std::string FormatDouble(double v);
// Returns up to `limit` aliases joined by "; ".
std::string JoinAliases(const std::vector<std::string>& aliases, std::size_t limit);
// Returns the evidence passages as "doc [begin,end]: text" lines.
std::string EvidenceText(const std::vector<Evidence>& evidence);
// Returns `s` as a double-quoted DOT string.
std::string DotQuote(std::string_view s);

// How each entity type is drawn.
struct TypeStyle {
  std::string_view type, color, shape;
  int r, g, b;
};
// Returns the style of `type` (a neutral grey for types without one).
const TypeStyle& StyleOf(std::string_view type);

}  // namespace newsgraph
