// newsgraph: the command-line front end. Parses arguments, calls the library, maps errors to
// exit codes (0 success, 1 bad input or usage, 2 internal error). All work is in the library.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/pipeline.hpp"

namespace ng = newsgraph;

namespace {

int ExitCode(const ng::Status& s) {
  if (s.ok()) return 0;
  return s.code() == ng::StatusCode::kInternal ? 2 : 1;
}

int Fail(const ng::Status& s) {
  std::cerr << "newsgraph: error: " << s.message() << "\n";
  return ExitCode(s);
}

struct CommonOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> gazetteers, rules;
  bool demonyms = false;
  bool skip_bad = false;
  bool quiet = false;
};

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

int RunExtract(const CommonOptions& o) {
  ng::Pipeline pipeline(MakePipelineOptions(o));
  if (!pipeline.status().ok()) return Fail(pipeline.status());
  std::ios::sync_with_stdio(false);
  rapidjson::StringBuffer buf;
  ng::Status s = pipeline.ForEachAnalyzed(o.inputs, [&](const ng::AnalyzedDocument& item) {
    for (const ng::Mention& m : item.mentions) {
      buf.Clear();
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      w.StartObject();
      w.Key("doc"); w.String(item.doc.id.c_str(), item.doc.id.size());
      w.Key("start"); w.Uint(m.begin);
      w.Key("end"); w.Uint(m.end);
      w.Key("text"); w.String(item.doc.text.data() + m.begin, m.end - m.begin);
      w.Key("type"); w.String(m.type.c_str(), m.type.size());
      w.Key("entity"); w.String(m.entity.c_str(), m.entity.size());
      w.Key("sentence"); w.Uint(m.sentence);
      w.Key("rule"); w.String(m.rule.c_str(), m.rule.size());
      if (!m.title.empty()) { w.Key("title"); w.String(m.title.c_str(), m.title.size()); }
      w.EndObject();
      std::cout.write(buf.GetString(), buf.GetSize());
      std::cout.put('\n');
    }
    if (!std::cout) return ng::Status::IoError("standard output: write failed");
    return ng::Status::Ok();
  });
  std::cout.flush();
  if (!s.ok()) return Fail(s);
  ReportSkipped(pipeline, o);
  return 0;
}

struct BuildArgs {
  std::vector<std::string> outputs;
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
  for (std::size_t i = 0; i < order.size() && i < 10; ++i) {
    const auto& n = g[order[i]];
    std::printf("  %2zu. %-34s %-12s degree %3.0f, %llu mentions\n", i + 1, n.name.c_str(),
                n.type.c_str(), n.degree, static_cast<unsigned long long>(n.frequency));
  }
  std::fflush(stdout);
}

int RunBuild(const CommonOptions& o, const BuildArgs& b) {
  ng::PipelineOptions p = MakePipelineOptions(o);
  ng::Status s = ng::ParseScope(b.scope, &p.relate.scope);
  if (!s.ok()) return Fail(s);
  p.relate.evidence = b.evidence;
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
  // Check every output name before the (possibly long) run.
  for (const auto& out : b.outputs) {
    ng::Format f;
    if (!(s = ng::FormatFromPath(out, &f)).ok()) return Fail(s);
  }
  ng::Pipeline pipeline(p);
  if (!pipeline.status().ok()) return Fail(pipeline.status());
  ng::PartialGraph partial;
  if (!(s = pipeline.Build(o.inputs, &partial)).ok()) return Fail(s);
  ReportSkipped(pipeline, o);
  ng::Graph graph = ng::Graph::FromPartial(partial, go);
  graph.scope = ng::ScopeName(p.relate.scope);
  ng::ExportOptions eo;
  eo.layout = b.layout;
  for (const auto& out : b.outputs) {
    if (!(s = ng::ExportGraph(graph, out, eo)).ok()) return Fail(s);
  }
  if (b.summary) PrintSummary(graph);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"newsgraph: turns news text into a knowledge graph of people, countries, "
               "organisations, places, events and documents."};
  app.set_version_flag("--version", std::string("newsgraph ") + NEWSGRAPH_VERSION);
  app.require_subcommand(1);

  CommonOptions extract_opts;
  CLI::App* extract = app.add_subcommand(
      "extract", "Print the entity mentions of the inputs, one JSON object a line");
  AddCommon(extract, &extract_opts);

  CommonOptions build_opts;
  BuildArgs build_args;
  CLI::App* build = app.add_subcommand(
      "build", "Build the co-occurrence graph of the inputs and write it (format by extension)");
  AddCommon(build, &build_opts);
  build->add_option("-o,--output", build_args.outputs,
                    "Output file: .graphml .gexf .dot/.gv .json .csv .svg .png (repeatable)")
      ->required();
  build->add_option("--scope", build_args.scope,
                    "Co-occurrence unit: sentence, paragraph, document or window:N")
      ->capture_default_str();
  build->add_option("--weight", build_args.weight,
                    "Edge weight: count, association, npmi, jaccard, cosine or g2")
      ->capture_default_str();
  build->add_option("--evidence", build_args.evidence, "Evidence passages kept per edge")
      ->capture_default_str();
  build->add_option("--min-count", build_args.min_count, "Drop edges seen in fewer units");
  build->add_option("--min-weight", build_args.min_weight, "Drop edges with a lower weight");
  build->add_option("--min-frequency", build_args.min_frequency, "Drop entities with fewer mentions");
  build->add_option("--top", build_args.top, "Keep the N most mentioned entities");
  build->add_option("--types", build_args.types, "Keep only these types (comma-separated)");
  build->add_option("--backbone", build_args.backbone,
                    "Disparity-filter backbone at significance alpha (e.g. 0.05)");
  build->add_option("--layout", build_args.layout, "Graphviz program for .svg/.png")
      ->capture_default_str();
  build->add_flag("--summary", build_args.summary, "Print a summary of the graph");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    if (*extract) return RunExtract(extract_opts);
    if (*build) return RunBuild(build_opts, build_args);
  } catch (const std::exception& e) {
    std::cerr << "newsgraph: internal error: " << e.what() << "\n";
    return 2;
  }
  return 1;
}
