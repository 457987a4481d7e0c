// Helpers the exporters share (internal header).
#pragma once

#include <string>
#include <string_view>
#include <utility>
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

namespace newsgraph {

// Returns the first and last day ("YYYY-MM-DD") an ISO 8601 date covers: "2024" is the whole
// year, "2024-06" the month, "2024-06-14T10:00Z" that day. Empty strings for a malformed date.
std::pair<std::string, std::string> DateBounds(std::string_view date);
// Returns the first and last day of a period key made by PeriodOf ("2024-06-14", "2024-W24",
// "2024-06"); empty strings when `period` is not one.
std::pair<std::string, std::string> PeriodBounds(std::string_view period);

// Returns `field` as an RFC 4180 CSV field: quoted (quotes doubled) when it holds a comma, a
// quote, a line break or leading/trailing space.
std::string CsvField(std::string_view field);

// Returns `s` with every invalid UTF-8 sequence (bad bytes, encoded surrogates) replaced by
// U+FFFD, so JSON and XML readers accept it.
std::string ValidUtf8(std::string_view s);

}  // namespace newsgraph
