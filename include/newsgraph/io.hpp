// Files written whole or not at all.
#pragma once

#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "newsgraph/status.hpp"

namespace newsgraph {

// Writes to a temporary file beside `path`; Commit() renames it into place. Destroyed without
// Commit(), it removes the temporary file and leaves `path` as it was. While it lives, its
// temporary file is registered for RemoveTemporaryFilesOnSignal().
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
  // Flushes, checks every write (a full disk, a file size limit), syncs and renames into place;
  // the message names `path` and the system's reason.
  Status Commit();
  // Returns the temporary file's name (for tests).
  const std::string& temporary_path() const { return tmp_; }

 private:
  class Buffer;
  void Discard();

  std::string path_, tmp_;
  std::unique_ptr<Buffer> buffer_;
  std::ostream out_;
  Status status_;
  int slot_ = -1;  // index in the registry of live temporary files
  bool committed_ = false;
};

// Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGQUIT that remove the temporary files of
// every live AtomicFile and then let the signal end the process as it would have. For programs
// (the CLI) to call once at start-up; the library never installs it by itself.
void RemoveTemporaryFilesOnSignal();

// Returns an error naming `path` when it cannot be an output file (its directory is missing or
// it is a directory), so a long run can fail before it starts rather than at the end.
Status CheckOutputPath(const std::string& path);

// Reads a whole file into `content`; the message names the file on failure.
Status ReadFile(const std::string& path, std::string* content);

}  // namespace newsgraph
