// Pieces the newsgraph subcommands share: options every command takes, error reporting.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/pipeline.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph::cli {

// Maps a status to the exit code: 0 ok, 2 internal error, 1 anything else.
int ExitCode(const Status& s);
// Prints "newsgraph: error: MESSAGE" and returns the exit code.
int Fail(const Status& s);

// Options of the commands that read a corpus.
struct CommonOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> gazetteers, rules;
  bool demonyms = false;
  bool skip_bad = false;
  bool quiet = false;
  unsigned threads = 0;  // 0: one per core
};

// A live status line on standard error (files, documents, MB, MB/s, ETA), drawn at most a few
// times a second, only when standard error is a terminal and not --quiet.
class ProgressLine {
 public:
  explicit ProgressLine(bool quiet);
  ~ProgressLine();  // clears the line
  // Returns true when the line is drawn at all.
  bool enabled() const { return enabled_; }
  // Returns the callback to give the pipeline (empty when disabled).
  std::function<void(const Progress&)> callback();
  // Erases the line (before other output on standard error).
  void Clear();

 private:
  void Draw(const Progress& p, bool force);
  bool enabled_;
  bool drawn_ = false;
  double start_ = 0, last_ = 0;
};

// Registers the corpus options on `cmd`.
void AddCommon(CLI::App* cmd, CommonOptions* o);
// Returns the pipeline options those flags ask for (warnings to stderr unless quiet).
PipelineOptions MakePipelineOptions(const CommonOptions& o);
// Prints how many JSON Lines records were skipped, if any.
void ReportSkipped(const Pipeline& pipeline, const CommonOptions& o);
// Hands memory the process has freed back to the system (glibc keeps it per thread arena,
// where the thread that builds the graph cannot reuse what the worker threads freed).
void ReleaseFreedMemory();

// Keeps `*object` alive until the process exits, never destroying it: a command's last large
// object (a graph of a million edges) is left for the system to reclaim at exit, instead of
// being freed block by block just before the process ends (a tenth of a second for a 100 MB
// corpus's graph). It stays reachable, so leak checkers do not report it. It takes the object
// already on the heap: moving a Graph into a new one would copy its Boost network (which has no
// move constructor), doubling the memory at the very end. For a command's final result only:
// nothing is released, so never call it in a loop.
template <class T>
void LeaveToExit(std::unique_ptr<T> object) {
  static auto* const kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::shared_ptr<void>(std::move(object)));
}

// Returns the columns `s` takes on a terminal: UTF-8 code points, combining marks excluded.
std::size_t DisplayWidth(std::string_view s);
// Prints rows under a header to standard output, columns padded to their widest cell (by
// DisplayWidth); `right` marks the numeric columns, aligned right.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right);

// Each subcommand registers itself on `app` and returns a runner called when it was chosen.
using Runner = std::function<int()>;
Runner RegisterExtract(CLI::App* app);
Runner RegisterBuild(CLI::App* app);
Runner RegisterMerge(CLI::App* app);
Runner RegisterQuery(CLI::App* app);

}  // namespace newsgraph::cli
