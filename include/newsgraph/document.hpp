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
  // A document too large to hold at once arrives in parts (split at paragraph, else line
  // boundaries): `text` is then one part, `base_offset` the byte offset of its first byte in
  // the whole document (add it to every offset into `text`), and `part` its 0-based index.
  // Parts of one document are consecutive and in order.
  std::uint64_t base_offset = 0;
  std::uint32_t part = 0;
  bool last_part = true;  // false when more parts of this document follow
};

}  // namespace newsgraph
