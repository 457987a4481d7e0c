// newsgraph merge: partial graphs (from `build --partial`) -> one graph or one partial graph.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/metrics.hpp"
#include "newsgraph/partial_io.hpp"

namespace newsgraph::cli {

namespace ng = newsgraph;

namespace {

struct MergeArgs {
  std::vector<std::string> parts;
  std::vector<std::string> outputs;
  std::string partial;
  std::string weight = "count";
  std::uint64_t min_count = 1, min_frequency = 1;
  double min_weight = 0;
  std::size_t top = 0;
  unsigned threads = 0;  // for the metrics; 0: one per core
  std::string types;
  double backbone = 0;
  std::string layout = "sfdp";
  std::size_t betweenness_pivots = 500;
  bool quiet = false;
};

bool IsPartialPath(const std::string& path) {
  const std::string ext = ".partial";
  return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
}

int RunMerge(const MergeArgs& a) {
  ng::GraphOptions go;
  ng::Status s;
  if (!(s = ng::ParseWeightMeasure(a.weight, &go.weight)).ok()) return Fail(s);
  go.min_count = a.min_count;
  go.min_frequency = a.min_frequency;
  go.min_weight = a.min_weight;
  go.top = a.top;
  go.backbone_alpha = a.backbone;
  for (std::size_t i = 0; i < a.types.size();) {
    std::size_t j = a.types.find(',', i);
    if (j == std::string::npos) j = a.types.size();
    if (j > i) go.types.push_back(a.types.substr(i, j - i));
    i = j + 1;
  }
  std::vector<std::string> graphs, partials;
  if (!a.partial.empty()) partials.push_back(a.partial);
  for (const auto& out : a.outputs) {
    if (IsPartialPath(out)) {
      partials.push_back(out);
      continue;
    }
    ng::Format f;
    if (!(s = ng::FormatFromPath(out, &f)).ok()) return Fail(s);
    graphs.push_back(out);
  }
  if (graphs.empty() && partials.empty()) {
    return Fail(ng::Status::InvalidInput("merge needs -o FILE or --partial FILE"));
  }

  // Merge one file at a time: memory holds the running total and one shard.
  ng::PartialGraph total;
  ng::RelateOptions options;
  {
    ProgressLine progress(a.quiet);  // parts merged, their documents and bytes
    const auto report = progress.callback();
    ng::Progress done;
    std::vector<std::uint64_t> sizes(a.parts.size(), 0);
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(a.parts[i], ec);
      if (!ec) done.total_bytes += sizes[i] = size;
    }
    for (std::size_t i = 0; i < a.parts.size(); ++i) {
      ng::PartialGraph part;
      ng::RelateOptions o;
      s = ng::LoadPartial(a.parts[i], &part, &o);
      if (s.ok() && i > 0 && !(s = ng::CheckMergeable(options, o)).ok())
        s = ng::Status::InvalidInput(a.parts[i] + ": " + s.message());
      if (!s.ok()) {
        progress.Clear();
        return Fail(s);
      }
      done.files += 1;
      done.documents += part.documents();
      done.bytes += sizes[i];
      if (i == 0) {
        options = o;
        total = std::move(part);
      } else {
        total.Merge(std::move(part), options);
      }
      if (report) report(done);
    }
  }
  for (const auto& path : partials) {
    if (!(s = ng::SavePartial(total, options, path)).ok()) return Fail(s);
  }
  if (graphs.empty()) {
    LeaveToExit(std::make_unique<ng::PartialGraph>(std::move(total)));
    return 0;
  }
  ng::MetricsOptions mo;
  mo.betweenness_pivots = a.betweenness_pivots;
  mo.threads = a.threads;
  // Frees the partial graph as it goes; the metrics are computed before the edges are built.
  // Made in place on the heap (a Graph cannot be moved without copying its network), to be
  // left to the system at exit.
  std::unique_ptr<ng::Graph> made(
      new ng::Graph(ng::BuildGraphWithMetrics(std::move(total), go, mo)));
  ng::Graph& graph = *made;
  graph.scope = ng::ScopeName(options.scope);
  ng::ExportOptions eo;
  eo.layout = a.layout;
  eo.threads = a.threads;
  if (!(s = ng::ExportGraphs(graph, graphs, eo)).ok()) return Fail(s);  // all or nothing
  LeaveToExit(std::move(made));
  return 0;
}

}  // namespace

Runner RegisterMerge(CLI::App* app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = app->add_subcommand(
      "merge", "Combine partial graphs written by `build --partial` into a graph or a partial");
  MergeArgs& a = *args;
  cmd->add_option("parts", a.parts, "Partial graph files (from build --partial or merge)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a.outputs,
                  "Output file: .graphml .gexf .dot/.gv .json .csv .svg .png, or .partial "
                  "(repeatable)");
  cmd->add_option("--partial", a.partial, "Write the merged counts to FILE (any name)");
  cmd->add_option("--weight", a.weight, "Edge weight: count, association, npmi, jaccard, cosine or g2")
      ->capture_default_str();
  cmd->add_option("--min-count", a.min_count, "Drop edges seen in fewer units");
  cmd->add_option("--min-weight", a.min_weight, "Drop edges with a lower weight");
  cmd->add_option("--min-frequency", a.min_frequency, "Drop entities with fewer mentions");
  cmd->add_option("--top", a.top, "Keep the N most mentioned entities");
  cmd->add_option("--threads", a.threads, "Threads for the graph metrics and the outputs (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--types", a.types, "Keep only these types (comma-separated)");
  cmd->add_option("--backbone", a.backbone, "Disparity-filter backbone at significance alpha (e.g. 0.05)");
  cmd->add_option("--layout", a.layout, "Graphviz program for .svg/.png")->capture_default_str();
  cmd->add_option("--betweenness-pivots", a.betweenness_pivots,
                  "Above 5000 entities, estimate betweenness from N sources (0: skip)")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", a.quiet, "No progress on standard error");
  return [cmd, args]() { return *cmd ? RunMerge(*args) : -1; };
}

}  // namespace newsgraph::cli
