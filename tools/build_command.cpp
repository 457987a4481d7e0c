// newsgraph build: corpus -> graph files.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli_common.hpp"
#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/io.hpp"
#include "newsgraph/partial_io.hpp"
#include "newsgraph/metrics.hpp"

namespace newsgraph::cli {

namespace ng = newsgraph;

namespace {

struct BuildArgs {
  std::vector<std::string> outputs;
  std::string partial;  // --partial FILE: the corpus counts, for `newsgraph merge`
  std::string scope = "sentence";
  std::string weight = "count";
  std::size_t evidence = 3;
  std::uint64_t min_count = 1, min_frequency = 1;
  double min_weight = 0;
  std::size_t top = 0;
  std::string types;
  double backbone = 0;
  bool summary = false;
  std::string layout = "sfdp";
  std::string slice = "none";
  std::size_t betweenness_pivots = 500;
};

void PrintSummary(const ng::Graph& graph) {
  const ng::Network& g = graph.network();
  std::map<std::string, std::size_t> per_type;
  std::vector<ng::Vertex> order;
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    ++per_type[g[v].type];
    order.push_back(v);
  }
  std::stable_sort(order.begin(), order.end(), [&](ng::Vertex a, ng::Vertex b) {
    if (g[a].degree != g[b].degree) return g[a].degree > g[b].degree;
    return g[a].frequency > g[b].frequency;
  });
  std::cout << "documents: " << graph.documents << "\nmentions:  " << graph.mentions
            << "\nentities:  " << graph.num_nodes() << " (";
  bool first = true;
  for (const auto& [t, n] : per_type) {
    std::cout << (first ? "" : ", ") << t << " " << n;
    first = false;
  }
  std::cout << ")\nedges:     " << graph.num_edges() << " (scope " << graph.scope << ")\n"
            << "most connected:\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < order.size() && i < 10; ++i) {
    const auto& n = g[order[i]];
    rows.push_back({std::to_string(i + 1), n.name, n.type,
                    std::to_string(static_cast<std::uint64_t>(n.degree)),
                    std::to_string(n.frequency)});
  }
  PrintTable({"#", "entity", "type", "degree", "mentions"}, rows,
             {true, false, false, true, true});
  std::cout << std::flush;
}

int RunBuild(const CommonOptions& o, const BuildArgs& b) {
  ng::PipelineOptions p = MakePipelineOptions(o);
  ng::Status s = ng::ParseScope(b.scope, &p.relate.scope);
  if (!s.ok()) return Fail(s);
  p.relate.evidence = b.evidence;
  if (!(s = ng::ParseTimeSlice(b.slice, &p.relate.slice)).ok()) return Fail(s);
  ng::GraphOptions go;
  if (!(s = ng::ParseWeightMeasure(b.weight, &go.weight)).ok()) return Fail(s);
  go.min_count = b.min_count;
  go.min_frequency = b.min_frequency;
  go.min_weight = b.min_weight;
  go.top = b.top;
  go.backbone_alpha = b.backbone;
  for (std::size_t i = 0; i < b.types.size();) {
    std::size_t j = b.types.find(',', i);
    if (j == std::string::npos) j = b.types.size();
    if (j > i) go.types.push_back(b.types.substr(i, j - i));
    i = j + 1;
  }
  if (b.outputs.empty() && b.partial.empty()) {
    return Fail(ng::Status::InvalidInput("build needs -o FILE or --partial FILE"));
  }
  // Check every output name before the (possibly long) run.
  for (const auto& out : b.outputs) {
    ng::Format f;
    if (!(s = ng::FormatFromPath(out, &f)).ok()) return Fail(s);
    if (!(s = ng::CheckOutputPath(out)).ok()) return Fail(s);
  }
  ng::PartialGraph partial;
  {
    // The pipeline (rules, gazetteers, RE2's caches: tens of MB) ends with the corpus pass, so
    // that the graph reuses its memory.
    ng::Pipeline pipeline(p);
    if (!pipeline.status().ok()) return Fail(pipeline.status());
    {
      ProgressLine progress(o.quiet);
      s = pipeline.Build(o.inputs, &partial, progress.callback());
    }
    if (!s.ok()) return Fail(s);
    ReportSkipped(pipeline, o);
  }
  ReleaseFreedMemory();
  if (!b.partial.empty() && !(s = ng::SavePartial(partial, p.relate, b.partial)).ok()) {
    return Fail(s);
  }
  if (b.outputs.empty()) {
    LeaveToExit(std::make_unique<ng::PartialGraph>(std::move(partial)));
    return 0;
  }
  ng::MetricsOptions mo;
  mo.betweenness_pivots = b.betweenness_pivots;
  mo.threads = o.threads;
  // Frees the partial graph as it goes; the metrics are computed before the edges are built.
  // Made in place on the heap (a Graph cannot be moved without copying its network), to be
  // left to the system at exit.
  std::unique_ptr<ng::Graph> made(
      new ng::Graph(ng::BuildGraphWithMetrics(std::move(partial), go, mo)));
  ng::Graph& graph = *made;
  graph.scope = ng::ScopeName(p.relate.scope);
  ng::ExportOptions eo;
  eo.layout = b.layout;
  eo.threads = o.threads;
  if (!(s = ng::ExportGraphs(graph, b.outputs, eo)).ok()) return Fail(s);  // all or nothing
  if (b.summary) PrintSummary(graph);
  LeaveToExit(std::move(made));
  return 0;
}

}  // namespace

Runner RegisterBuild(CLI::App* app) {
  auto opts = std::make_shared<CommonOptions>();
  auto args = std::make_shared<BuildArgs>();
  CLI::App* build = app->add_subcommand(
      "build", "Build the co-occurrence graph of the inputs and write it (format by extension)");
  AddCommon(build, opts.get());
  BuildArgs& a = *args;
  build->add_option("-o,--output", a.outputs,
                    "Output file: .graphml .gexf .dot/.gv .json .csv .svg .png (repeatable)");
  build->add_option("--partial", a.partial,
                    "Also (or only) write the corpus counts to FILE, for `newsgraph merge`");
  build->add_option("--scope", a.scope, "Co-occurrence unit: sentence, paragraph, document or window:N")
      ->capture_default_str();
  build->add_option("--weight", a.weight, "Edge weight: count, association, npmi, jaccard, cosine or g2")
      ->capture_default_str();
  build->add_option("--evidence", a.evidence, "Evidence passages kept per edge")->capture_default_str();
  build->add_option("--min-count", a.min_count, "Drop edges seen in fewer units");
  build->add_option("--min-weight", a.min_weight, "Drop edges with a lower weight");
  build->add_option("--min-frequency", a.min_frequency, "Drop entities with fewer mentions");
  build->add_option("--top", a.top, "Keep the N most mentioned entities");
  build->add_option("--types", a.types, "Keep only these types (comma-separated)");
  build->add_option("--backbone", a.backbone, "Disparity-filter backbone at significance alpha (e.g. 0.05)");
  build->add_option("--layout", a.layout, "Graphviz program for .svg/.png")->capture_default_str();
  build->add_option("--slice", a.slice, "Per-period counts for dated documents: day, week or month")
      ->capture_default_str();
  build->add_option("--betweenness-pivots", a.betweenness_pivots,
                    "Above 5000 entities, estimate betweenness from N sources (0: skip)")
      ->capture_default_str();
  build->add_flag("--summary", a.summary, "Print a summary of the graph");
  return [build, opts, args]() { return *build ? RunBuild(*opts, *args) : -1; };
}

}  // namespace newsgraph::cli
