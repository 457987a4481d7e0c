#include "newsgraph/export.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <memory>
#include <sstream>
#include <thread>

#include "newsgraph/io.hpp"
#include "export_util.hpp"
#include "utf8.hpp"

namespace newsgraph {

std::string XmlEscape(std::string_view s) {
  Sink sink(nullptr);
  sink.Xml(s);
  return sink.Take();
}

namespace {

// Bytes Sink::Xml copies as they are: printable ASCII but the five XML specials, and (in text,
// not in attributes) tab, line feed and carriage return.
struct XmlPlain {
  bool text[256] = {}, attribute[256] = {};
  constexpr XmlPlain() {
    for (int c = 0x20; c < 0x80; ++c) text[c] = attribute[c] = true;
    for (unsigned char c : {'&', '<', '>', '"', '\''}) text[c] = attribute[c] = false;
    for (unsigned char c : {'\t', '\n', '\r'}) text[c] = true;
  }
};
constexpr XmlPlain kXmlPlain;

}  // namespace

Sink& Sink::Xml(std::string_view s, bool attribute) {
  const bool* plain = attribute ? kXmlPlain.attribute : kXmlPlain.text;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && plain[static_cast<unsigned char>(s[run])]) ++run;
    if (run > i) buf_.append(s.data() + i, run - i);
    if (run == s.size()) break;
    i = run;
    const std::size_t start = i;
    const char32_t c = utf8::Next(s, &i);
    switch (c) {
      case '&': buf_ += "&amp;"; break;
      case '<': buf_ += "&lt;"; break;
      case '>': buf_ += "&gt;"; break;
      case '"': buf_ += "&quot;"; break;
      case '\'': buf_ += "&apos;"; break;
      case '\t': buf_ += attribute ? "&#9;" : "\t"; break;
      case '\n': buf_ += attribute ? "&#10;" : "\n"; break;
      case '\r': buf_ += attribute ? "&#13;" : "\r"; break;
      default:
        // XML 1.0 allows tab, newline, carriage return and U+0020 upwards (minus surrogates,
        // U+FFFE and U+FFFF); anything else is dropped.
        if (c < 0x20 || c == 0xFFFE || c == 0xFFFF || (c >= 0xD800 && c <= 0xDFFF)) break;
        // U+FFFD also stands for an invalid byte, which must not be copied.
        if (c == 0xFFFD) buf_ += "\xEF\xBF\xBD";
        else buf_.append(s.data() + start, i - start);
    }
  }
  return *this;
}

Sink& Sink::Utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && static_cast<unsigned char>(s[run]) < 0x80) ++run;
    if (run > i) buf_.append(s.data() + i, run - i);
    if (run == s.size()) break;
    i = run;
    const std::size_t start = i;
    const char32_t c = utf8::Next(s, &i);
    if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF)) buf_ += "\xEF\xBF\xBD";
    else buf_.append(s.data() + start, i - start);
  }
  return *this;
}

Sink& Sink::Csv(std::string_view s) {
  // ValidUtf8 keeps every ASCII byte, so the quoting is decided on `s` itself, and a quote byte
  // never falls inside a sequence it validates.
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return Utf8(s);
  buf_.push_back('"');
  for (std::size_t i = 0;;) {
    const std::size_t q = s.find('"', i);
    Utf8(s.substr(i, q == std::string_view::npos ? std::string_view::npos : q - i));
    if (q == std::string_view::npos) break;
    buf_ += "\"\"";
    i = q + 1;
  }
  buf_.push_back('"');
  return *this;
}

Sink& Sink::XmlEvidence(const EvidenceList& evidence, bool attribute) {
  // Each piece is followed by ASCII, so escaping piece by piece equals escaping the joined text.
  bool first = true;
  for (const auto& e : evidence) {
    if (!first) Xml("\n", attribute);
    first = false;
    Xml(e.doc, attribute);
    *this << " [";
    Uint(e.begin);
    *this << ',';
    Uint(e.end);
    *this << "]: ";
    Xml(e.text, attribute);
  }
  return *this;
}

Sink& Sink::XmlAliases(const std::vector<std::string>& aliases, std::size_t limit,
                       bool attribute) {
  for (std::size_t i = 0; i < aliases.size() && i < limit; ++i) {
    if (i) *this << "; ";
    Xml(aliases[i], attribute);
  }
  return *this;
}

std::string FormatDouble(double v) {
  char buf[kDoubleChars];
  return std::string(buf, FormatDoubleTo(buf, v));
}

std::string JoinAliases(const std::vector<std::string>& aliases, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < aliases.size() && i < limit; ++i) {
    if (i) out += "; ";
    out += aliases[i];
  }
  return out;
}

std::string EvidenceText(const EvidenceList& evidence) {
  std::string out;
  AppendEvidenceText(evidence, &out);
  return out;
}

void AppendEvidenceText(const EvidenceList& evidence, std::string* out) {
  const std::size_t start = out->size();
  for (const auto& e : evidence) {
    if (out->size() > start) *out += '\n';
    char num[24];
    *out += e.doc;
    *out += " [";
    out->append(num, static_cast<std::size_t>(std::to_chars(num, num + sizeof num, e.begin).ptr - num));
    *out += ',';
    out->append(num, static_cast<std::size_t>(std::to_chars(num, num + sizeof num, e.end).ptr - num));
    *out += "]: ";
    *out += e.text;
  }
}

Status FormatFromPath(std::string_view path, Format* format) {
  const std::size_t dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : std::string(path.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<std::string_view, Format> kFormats[] = {
      {"graphml", Format::kGraphML}, {"gexf", Format::kGexf}, {"dot", Format::kDot},
      {"gv", Format::kDot},          {"json", Format::kJson}, {"csv", Format::kCsv},
      {"svg", Format::kSvg},         {"png", Format::kPng}};
  for (const auto& [e, f] : kFormats) {
    if (e == ext) { *format = f; return Status::Ok(); }
  }
  return Status::InvalidInput(std::string(path) +
                              ": unknown output format (use .graphml, .gexf, .dot, .gv, .json, "
                              ".csv, .svg or .png)");
}

// ---------------------------------------------------------------------------------------------
// GraphML

Status WriteGraphML(const Graph& graph, std::ostream& out, const ExportOptions& options) {
  const Network& g = graph.network();
  Sink sink(&out);
  sink << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  struct Key { const char* id; const char* domain; const char* name; const char* type; };
  static const Key kKeys[] = {
      {"label", "node", "label", "string"},       {"type", "node", "type", "string"},
      {"frequency", "node", "frequency", "long"}, {"documents", "node", "documents", "long"},
      {"units", "node", "units", "long"},
      {"aliases", "node", "aliases", "string"},   {"first_seen", "node", "first_seen", "string"},
      {"last_seen", "node", "last_seen", "string"},
      {"degree", "node", "degree", "double"},     {"weighted_degree", "node", "weighted_degree", "double"},
      {"pagerank", "node", "pagerank", "double"}, {"betweenness", "node", "betweenness", "double"},
      {"component", "node", "component", "long"}, {"community", "node", "community", "long"},
      {"weight", "edge", "weight", "double"},     {"count", "edge", "count", "long"},
      {"edocuments", "edge", "documents", "long"},
      {"association", "edge", "association", "double"}, {"pmi", "edge", "pmi", "double"},
      {"npmi", "edge", "npmi", "double"},         {"jaccard", "edge", "jaccard", "double"},
      {"cosine", "edge", "cosine", "double"},     {"g2", "edge", "g2", "double"},
      {"efirst_seen", "edge", "first_seen", "string"}, {"elast_seen", "edge", "last_seen", "string"},
      {"evidence", "edge", "evidence", "string"}};
  for (const Key& k : kKeys) {
    if (!options.evidence && std::string_view(k.id) == "evidence") continue;
    sink << "  <key id=\"" << k.id << "\" for=\"" << k.domain << "\" attr.name=\"" << k.name
         << "\" attr.type=\"" << k.type << "\"/>\n";
  }
  sink << "  <graph id=\"newsgraph\" edgedefault=\"undirected\">\n";
  // The corpus totals, which the edge measures divide by; ReadGraphML reads them back.
  sink << "    <desc>newsgraph: documents ";
  sink.Uint(graph.documents) << "; units ";
  sink.Uint(graph.units) << "; mentions ";
  sink.Uint(graph.mentions) << "; bytes ";
  sink.Uint(graph.bytes) << "; scope ";
  sink.Xml(graph.scope) << "; weight " << WeightMeasureName(graph.weight_measure) << "</desc>\n";
  // <data key="KEY">VALUE</data>, the value escaped.
  auto open = [&](std::string_view key) -> Sink& { return sink << "      <data key=\"" << key << "\">"; };
  constexpr std::string_view kClose = "</data>\n";
  auto text = [&](std::string_view key, std::string_view value) { open(key).Xml(value) << kClose; };
  auto uint = [&](std::string_view key, std::uint64_t value) { open(key).Uint(value) << kClose; };
  auto sint = [&](std::string_view key, std::int64_t value) { open(key).Int(value) << kClose; };
  auto real = [&](std::string_view key, double value) { open(key).Double(value) << kClose; };
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    sink << "    <node id=\"n";
    sink.Uint(v) << "\">\n";
    text("label", n.name);
    text("type", n.type);
    uint("frequency", n.frequency);
    uint("documents", n.documents);
    uint("units", n.units);
    if (!n.aliases.empty()) open("aliases").XmlAliases(n.aliases, 20) << kClose;
    if (!n.first_seen.empty()) text("first_seen", n.first_seen);
    if (!n.last_seen.empty()) text("last_seen", n.last_seen);
    real("degree", n.degree);
    real("weighted_degree", n.weighted_degree);
    real("pagerank", n.pagerank);
    real("betweenness", n.betweenness);
    sint("component", n.component);
    sint("community", n.community);
    sink << "    </node>\n";
    sink.MaybeFlush();
  }
  std::size_t id = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    const EdgeMeasures m = graph.measures(e);
    sink << "    <edge id=\"e";
    sink.Uint(id++) << "\" source=\"n";
    sink.Uint(boost::source(e, g)) << "\" target=\"n";
    sink.Uint(boost::target(e, g)) << "\">\n";
    real("weight", r.weight);
    uint("count", r.count);
    uint("edocuments", r.documents);
    for (const EdgeMeasureField& f : kEdgeMeasureFields) real(f.name, m.*f.value);
    if (!r.first_seen().empty()) text("efirst_seen", r.first_seen());
    if (!r.last_seen().empty()) text("elast_seen", r.last_seen());
    if (options.evidence && !r.evidence().empty()) open("evidence").XmlEvidence(r.evidence()) << kClose;
    sink << "    </edge>\n";
    sink.MaybeFlush();
  }
  sink << "  </graph>\n</graphml>\n";
  return sink.Done() ? Status::Ok() : Status::IoError("write failed");
}

// ---------------------------------------------------------------------------------------------
// DOT

std::string DotQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\r') continue;
    out.push_back(c);
  }
  return out + "\"";
}

const TypeStyle& StyleOf(std::string_view type) {
  static const TypeStyle kStyles[] = {
      {"person", "#4E79A7", "ellipse", 78, 121, 167},
      {"country", "#E15759", "box", 225, 87, 89},
      {"location", "#F28E2B", "house", 242, 142, 43},
      {"organization", "#59A14F", "hexagon", 89, 161, 79},
      {"event", "#B07AA1", "diamond", 176, 122, 161},
      {"document", "#EDC948", "note", 237, 201, 72}};
  static const TypeStyle kOther{"other", "#BAB0AC", "ellipse", 186, 176, 172};
  for (const auto& s : kStyles)
    if (s.type == type) return s;
  return kOther;
}

Status WriteDot(const Graph& graph, std::ostream& stream, const ExportOptions&) {
  const Network& g = graph.network();
  double max_weight = 0, max_freq = 1;
  for (auto e : boost::make_iterator_range(boost::edges(g))) max_weight = std::max(max_weight, g[e].weight);
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    max_freq = std::max(max_freq, static_cast<double>(g[v].frequency));
  Sink out(&stream);
  out << "graph newsgraph {\n"
         "  graph [overlap=false, splines=curved, outputorder=edgesfirst, K=1.2, "
         "fontname=\"Helvetica\"];\n"
         "  node [style=filled, fontname=\"Helvetica\", fontsize=11, penwidth=0.5];\n"
         "  edge [color=\"#55555580\"];\n";
  std::string tooltip;
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    const TypeStyle& st = StyleOf(n.type);
    const double size = 10 + 8 * std::sqrt(static_cast<double>(n.frequency) / max_freq);
    out << "  n";
    out.Uint(v) << " [label=" << DotQuote(n.name) << ", shape=" << st.shape << ", fillcolor=\""
                << st.color << "\", fontsize=";
    out.Double(size) << ", tooltip=";
    tooltip = n.type;
    tooltip += ", ";
    tooltip += std::to_string(n.frequency);
    tooltip += " mentions";
    out << DotQuote(tooltip) << "];\n";
    out.MaybeFlush();
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    // Negative weights (NPMI, PMI) draw as the thinnest line rather than a negative width.
    const double pen = max_weight > 0 ? 0.5 + 5.5 * (std::max(r.weight, 0.0) / max_weight) : 1.0;
    out << "  n";
    out.Uint(boost::source(e, g)) << " -- n";
    out.Uint(boost::target(e, g)) << " [penwidth=";
    out.Double(pen) << ", weight=";
    out.Double(std::max(r.weight, 0.0)) << ", tooltip=\"";  // a number needs no DOT quoting
    out.Uint(r.count) << " co-occurrences\"];\n";
    out.MaybeFlush();
  }
  out << "}\n";
  return out.Done() ? Status::Ok() : Status::IoError("write failed");
}

// ---------------------------------------------------------------------------------------------
// Files

namespace {

// Runs Graphviz on a DOT file; returns its stderr in `errors`.
using PendingFiles = std::vector<std::unique_ptr<AtomicFile>>;

// Renders the graph with Graphviz into a temporary file added to `pending`.
Status RenderWithGraphviz(const Graph& graph, const std::string& path, const char* fmt,
                          const ExportOptions& options, PendingFiles* pending) {
  const std::string program = options.layout.empty() ? "sfdp" : options.layout;
  if (program.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
    return Status::InvalidInput("invalid Graphviz layout \"" + program + "\"");
  }
  if (std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) != 0) {
    return Status::InvalidInput(path + ": rendering needs Graphviz's '" + program +
                                "', which is not installed (apt-get install graphviz); write "
                                ".dot instead and render it elsewhere");
  }
  // The DOT text goes to a scratch file that is never committed (removed at the end, and on
  // Ctrl-C like every temporary file), and Graphviz writes straight into the result's temporary
  // file, renamed into place only when Graphviz succeeded. Nothing else beside `path` is touched.
  AtomicFile dot(path + ".dot");
  if (!dot.status().ok()) return dot.status();
  Status s = WriteDot(graph, dot.stream(), options);
  if (!s.ok()) return s;
  dot.stream().flush();
  auto result = std::make_unique<AtomicFile>(path);
  if (!result->status().ok()) return result->status();
  auto quote = [](const std::string& p) {
    std::string q = "'";
    for (char c : p) { if (c == '\'') q += "'\\''"; else q += c; }
    return q + "'";
  };
  const std::string cmd = program + " -T" + fmt + " -o " + quote(result->temporary_path()) + " " +
                          quote(dot.temporary_path()) + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return Status::IoError(path + ": cannot run " + program);
  std::string errors;  // Graphviz's messages (its standard output is empty with -o)
  char buf[4096];
  for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
    if (errors.size() < 4096) errors.append(buf, got);
  const int rc = ::pclose(pipe);
  if (rc != 0) {
    return Status::IoError(path + ": " + program + " failed: " + errors.substr(0, 500));
  }
  pending->push_back(std::move(result));
  return Status::Ok();
}

}  // namespace

namespace {

// Writes the graph as `path` (format by extension) into temporary files added to `pending`.
Status WritePending(const Graph& graph, const std::string& path, const ExportOptions& options,
                    PendingFiles* pending) {
  Format format;
  Status s = FormatFromPath(path, &format);
  if (!s.ok()) return s;
  if (format == Format::kSvg) return RenderWithGraphviz(graph, path, "svg", options, pending);
  if (format == Format::kPng) return RenderWithGraphviz(graph, path, "png", options, pending);
  if (format == Format::kCsv) {
    const std::string stem = path.substr(0, path.size() - 4);
    auto nodes = std::make_unique<AtomicFile>(stem + ".nodes.csv");
    auto edges = std::make_unique<AtomicFile>(stem + ".edges.csv");
    if (!nodes->status().ok()) return nodes->status();
    if (!edges->status().ok()) return edges->status();
    if (!(s = WriteCsv(graph, nodes->stream(), edges->stream(), options)).ok())
      return Status::IoError(path + ": " + s.message());
    pending->push_back(std::move(nodes));
    pending->push_back(std::move(edges));
    return Status::Ok();
  }
  auto file = std::make_unique<AtomicFile>(path);
  if (!file->status().ok()) return file->status();
  switch (format) {
    case Format::kGraphML: s = WriteGraphML(graph, file->stream(), options); break;
    case Format::kGexf: s = WriteGexf(graph, file->stream(), options); break;
    case Format::kDot: s = WriteDot(graph, file->stream(), options); break;
    case Format::kJson: s = WriteJson(graph, file->stream(), options); break;
    default: break;
  }
  if (!s.ok()) return Status::IoError(path + ": " + s.message());
  pending->push_back(std::move(file));
  return Status::Ok();
}

}  // namespace

Status ExportGraph(const Graph& graph, const std::string& path, const ExportOptions& options) {
  return ExportGraphs(graph, {path}, options);
}

Status ExportGraphs(const Graph& graph, const std::vector<std::string>& paths,
                    const ExportOptions& options) {
  // Each output is written into temporary files of its own, several at once (the writers only
  // read the graph); all are renamed into place once every one is written, and on any error
  // the temporary files are removed (by the destructors) and nothing is committed.
  std::vector<PendingFiles> pending(paths.size());
  std::vector<Status> status(paths.size());
  std::atomic<std::size_t> next{0};
  auto write = [&] {
    for (std::size_t i; (i = next++) < paths.size();) {
      try {
        status[i] = WritePending(graph, paths[i], options, &pending[i]);
      } catch (const std::exception& e) {  // out of memory: reported, other threads joined
        status[i] = Status::Internal(paths[i] + ": " + e.what());
      }
    }
  };
  unsigned threads = options.threads > 0 ? options.threads
                                         : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, paths.size()));
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(write);
  write();
  for (std::thread& t : helpers) t.join();
  for (const Status& s : status) {
    if (!s.ok()) return s;  // the first failing output, in the order given
  }
  for (PendingFiles& files : pending) {
    for (auto& file : files) {
      Status s = file->Commit();
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace newsgraph
