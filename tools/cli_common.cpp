#include "cli_common.hpp"

#include <iostream>

namespace newsgraph::cli {

namespace ng = newsgraph;

int ExitCode(const ng::Status& s) {
  if (s.ok()) return 0;
  return s.code() == ng::StatusCode::kInternal ? 2 : 1;
}

int Fail(const ng::Status& s) {
  std::cerr << "newsgraph: error: " << s.message() << "\n";
  return ExitCode(s);
}


void AddCommon(CLI::App* cmd, CommonOptions* o) {
  cmd->add_option("inputs", o->inputs,
                  "Files (.txt/.md: one document; .jsonl/.ndjson: one a line), directories "
                  "(recursive), or - for standard input")
      ->required();
  cmd->add_option("--gazetteer", o->gazetteers, "Extra gazetteer JSON file (repeatable)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--rules", o->rules, "Extra rule JSON file (repeatable)")->check(CLI::ExistingFile);
  cmd->add_flag("--demonyms", o->demonyms, "Emit demonyms (Chinese, Britons) as mentions");
  cmd->add_flag("--skip-bad", o->skip_bad, "Skip malformed JSON Lines records, reporting them");
  cmd->add_flag("-q,--quiet", o->quiet, "No warnings or progress on standard error");
}

ng::PipelineOptions MakePipelineOptions(const CommonOptions& o) {
  ng::PipelineOptions p;
  p.extractor.gazetteer_files = o.gazetteers;
  p.extractor.rule_files = o.rules;
  p.extractor.demonyms = o.demonyms;
  p.reader.skip_bad_lines = o.skip_bad;
  if (!o.quiet) {
    p.reader.on_warning = [](const std::string& m) { std::cerr << "newsgraph: warning: " << m << "\n"; };
  }
  return p;
}

void ReportSkipped(const ng::Pipeline& pipeline, const CommonOptions& o) {
  if (pipeline.reader().skipped_records() > 0 && !o.quiet) {
    std::cerr << "newsgraph: skipped " << pipeline.reader().skipped_records()
              << " malformed JSON Lines record(s)\n";
  }
}

}  // namespace newsgraph::cli
