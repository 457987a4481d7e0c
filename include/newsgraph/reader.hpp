// read: turns inputs (files, directories, JSON Lines, standard input) into a stream of Documents.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "newsgraph/document.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct ReaderOptions {
  // Continue past malformed JSON Lines records, counting them, instead of failing.
  bool skip_bad_lines = false;
  // Receives non-fatal problems (skipped files, repaired encodings), already naming file and place.
  std::function<void(const std::string&)> on_warning;
};

// Lists the files that `inputs` stand for: files as given, directories expanded recursively to
// their .txt/.md/.jsonl/.ndjson files in sorted order, "-" kept for standard input.
Status ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>* files);

// Returns true when `path` is read as JSON Lines (by its extension).
bool IsJsonLinesPath(const std::string& path);

class CorpusReader {
 public:
  explicit CorpusReader(ReaderOptions options = {});

  // Calls `sink` for every document of `inputs`, in order, one at a time: memory holds one
  // document, not the corpus. Stops at the first error from the input or from `sink`.
  Status ForEach(const std::vector<std::string>& inputs,
                 const std::function<Status(Document&&)>& sink);

  // Returns how many JSON Lines records were skipped (only with skip_bad_lines).
  std::uint64_t skipped_records() const { return skipped_records_; }
  // Returns how many input bytes were read so far.
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  Status ReadTextFile(const std::string& path, const std::function<Status(Document&&)>& sink);
  Status ReadJsonLines(std::istream& in, const std::string& path,
                       const std::function<Status(Document&&)>& sink);
  void Warn(const std::string& message) const;

  ReaderOptions options_;
  std::uint64_t skipped_records_ = 0;
  std::uint64_t bytes_read_ = 0;
};

// Parses one JSON Lines record into `doc`; the message names `origin` and `line` on failure.
Status ParseJsonLine(const std::string& line, const std::string& origin, std::uint64_t line_no,
                     Document* doc);

// Replaces invalid UTF-8 sequences in `text` by U+FFFD; returns the byte offset of the first
// repair, or -1 when the text was valid.
long long RepairUtf8(std::string* text);

}  // namespace newsgraph
