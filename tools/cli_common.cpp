#include "cli_common.hpp"

#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
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
  cmd->add_option("--threads", o->threads, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
}

ng::PipelineOptions MakePipelineOptions(const CommonOptions& o) {
  ng::PipelineOptions p;
  p.extractor.gazetteer_files = o.gazetteers;
  p.extractor.rule_files = o.rules;
  p.extractor.demonyms = o.demonyms;
  p.reader.skip_bad_lines = o.skip_bad;
  p.threads = o.threads;
  p.measure_total = !o.quiet && ::isatty(2);  // for the progress line's ETA
  if (!o.quiet) {
    // On a terminal, erase the progress line first.
    const char* clear = ::isatty(2) ? "\r\033[K" : "";
    p.reader.on_warning = [clear](const std::string& m) {
      std::cerr << clear << "newsgraph: warning: " << m << "\n";
    };
  }
  return p;
}

void ReportSkipped(const ng::Pipeline& pipeline, const CommonOptions& o) {
  if (pipeline.reader().skipped_records() > 0 && !o.quiet) {
    std::cerr << "newsgraph: skipped " << pipeline.reader().skipped_records()
              << " malformed JSON Lines record(s)\n";
  }
}

void ReleaseFreedMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

namespace {
double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

ProgressLine::ProgressLine(bool quiet) : enabled_(!quiet && ::isatty(2)), start_(Now()) {}

ProgressLine::~ProgressLine() { Clear(); }

std::function<void(const ng::Progress&)> ProgressLine::callback() {
  if (!enabled_) return nullptr;
  return [this](const ng::Progress& p) { Draw(p, false); };
}

void ProgressLine::Clear() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
}

void ProgressLine::Draw(const ng::Progress& p, bool force) {
  const double now = Now();
  if (!force && now - last_ < 0.25) return;
  last_ = now;
  const double elapsed = std::max(now - start_, 1e-3);
  const double mb = p.bytes / 1e6, rate = mb / elapsed;
  char eta[32] = "";
  if (p.total_bytes > p.bytes && rate > 0) {
    const long left = static_cast<long>((p.total_bytes - p.bytes) / 1e6 / rate);
    std::snprintf(eta, sizeof eta, ", ETA %ld:%02ld:%02ld", left / 3600, left / 60 % 60, left % 60);
  }
  char total[32] = "";
  if (p.total_bytes > 0) std::snprintf(total, sizeof total, " of %.1f", p.total_bytes / 1e6);
  std::fprintf(stderr, "\r\033[Knewsgraph: %llu files, %llu documents, %.1f%s MB, %.1f MB/s%s",
               static_cast<unsigned long long>(p.files),
               static_cast<unsigned long long>(p.documents), mb, total, rate, eta);
  std::fflush(stderr);
  drawn_ = true;
}

std::size_t DisplayWidth(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    // U+0300..U+036F, combining diacritics (0xCC 0x80 .. 0xCD 0xAF), take no column.
    if (i + 1 < s.size() && (c == 0xCC || (c == 0xCD && static_cast<unsigned char>(s[i + 1]) < 0xB0)))
      continue;
    ++w;
  }
  return w;
}

void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                const std::vector<bool>& right) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = DisplayWidth(header[c]);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], DisplayWidth(row[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string pad(width[c] - DisplayWidth(cells[c]), ' ');
      const bool last = c + 1 == cells.size();
      if (c) out += "  ";
      if (right[c]) out += pad + cells[c];
      else out += last ? cells[c] : cells[c] + pad;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::cout << out << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

}  // namespace newsgraph::cli
