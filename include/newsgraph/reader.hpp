// read: turns inputs (files, directories, JSON Lines, standard input) into a stream of Documents.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
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
  // Text files (and standard input) larger than this arrive as several Document parts, split
  // at a blank line (else a line break, else a sentence end), so memory never holds a whole
  // huge file. Parts carry `base_offset`, so offsets still refer to the whole document.
  std::size_t max_part_bytes = 1 << 20;  // 1 MiB
  // A JSON Lines record longer than max_part_bytes is read twice from its file and handed on in
  // parts, never held. From an input that cannot seek (standard input from a pipe) it is first
  // copied to an unlinked temporary file in `spool_directory` (empty: $TMPDIR, else /tmp), so
  // memory stays bounded there too; false holds such a line in memory instead, as happens
  // when no temporary file can be made (with a warning).
  bool spool_long_lines = true;
  std::string spool_directory;
};

// Lists the files that `inputs` stand for: files as given, directories expanded recursively to
// their .txt/.md/.jsonl/.ndjson files in sorted order, "-" kept for standard input.
Status ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>* files);

// Calls `visit` for every file `inputs` stand for, in the order ExpandInputs lists them, while
// holding only one directory's listing at a time (a million-file tree costs no memory).
Status WalkInputs(const std::vector<std::string>& inputs,
                  const std::function<Status(const std::string&)>& visit);

// Returns the total size in bytes of the files `inputs` stand for, or 0 when unknown (standard
// input).
std::uint64_t TotalInputBytes(const std::vector<std::string>& inputs);

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
  // Returns how many input bytes were read so far (safe to read from another thread).
  std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  // Returns how many files were opened so far.
  std::uint64_t files_read() const { return files_read_.load(std::memory_order_relaxed); }

 private:
  Status ReadTextFile(const std::string& path, const std::function<Status(Document&&)>& sink);
  // `head`: the start of the text, already read from `in`.
  Status ReadTextStream(std::istream& in, const std::string& id, const std::string& origin,
                        const std::function<Status(Document&&)>& sink,
                        const std::string& head = {});
  // `lines_before`: blank lines already read from `in`, counted in line numbers; `line_head`:
  // the start of the first line, already read (white space).
  Status ReadJsonLines(std::istream& in, const std::string& path,
                       const std::function<Status(Document&&)>& sink,
                       std::uint64_t lines_before = 0, const std::string& line_head = {});
  void Warn(const std::string& message) const;

  ReaderOptions options_;
  std::uint64_t skipped_records_ = 0;
  std::atomic<std::uint64_t> bytes_read_{0};
  std::atomic<std::uint64_t> files_read_{0};
};

// Parses one JSON Lines record into `doc`; the message names `origin` and `line` on failure.
Status ParseJsonLine(const std::string& line, const std::string& origin, std::uint64_t line_no,
                     Document* doc);

// Replaces invalid UTF-8 sequences in `text` by U+FFFD; returns the byte offset of the first
// repair, or -1 when the text was valid.
long long RepairUtf8(std::string* text);

}  // namespace newsgraph
