// Pieces the newsgraph subcommands share: options every command takes, error reporting.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
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
};

// Registers the corpus options on `cmd`.
void AddCommon(CLI::App* cmd, CommonOptions* o);
// Returns the pipeline options those flags ask for (warnings to stderr unless quiet).
PipelineOptions MakePipelineOptions(const CommonOptions& o);
// Prints how many JSON Lines records were skipped, if any.
void ReportSkipped(const Pipeline& pipeline, const CommonOptions& o);

// Each subcommand registers itself on `app` and returns a runner called when it was chosen.
using Runner = std::function<int()>;
Runner RegisterExtract(CLI::App* app);
Runner RegisterBuild(CLI::App* app);

}  // namespace newsgraph::cli
