// The unit of input: one article with its metadata.
#pragma once

#include <cstdint>
#include <string>

namespace newsgraph {

struct Document {
  std::string id;      // JSON Lines `id`, else the file path as given
  std::string text;    // UTF-8 body; all offsets refer to these bytes
  std::string title;   // optional
  std::string date;    // optional, ISO 8601 as given (e.g. 2024-06-14 or 2024-06-14T09:30:00Z)
  std::string source;  // optional
  std::string url;     // optional
  std::string origin;  // the file the document came from, for messages
  std::uint64_t line = 0;  // 1-based line in `origin` for JSON Lines, 0 for whole files
};

}  // namespace newsgraph
