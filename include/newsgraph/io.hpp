// Files written whole or not at all.
#pragma once

#include <fstream>
#include <string>

#include "newsgraph/status.hpp"

namespace newsgraph {

// Writes to a temporary file beside `path`; Commit() renames it into place. Destroyed without
// Commit(), it removes the temporary file and leaves `path` as it was.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Returns OK when the temporary file is open for writing.
  const Status& status() const { return status_; }
  // Returns the stream to write to.
  std::ostream& stream() { return out_; }
  // Flushes, checks for write errors (a full disk) and renames into place.
  Status Commit();

 private:
  std::string path_, tmp_;
  std::ofstream out_;
  Status status_;
  bool committed_ = false;
};

// Reads a whole file into `content`; the message names the file on failure.
Status ReadFile(const std::string& path, std::string* content);

}  // namespace newsgraph
