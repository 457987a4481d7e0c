#include "newsgraph/export.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "newsgraph/io.hpp"
#include "export_util.hpp"
#include "utf8.hpp"

namespace newsgraph {

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    const char32_t c = utf8::Next(s, &i);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 allows tab, newline, carriage return and U+0020 upwards (minus surrogates,
        // U+FFFE and U+FFFF); anything else is dropped.
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF ||
            (c >= 0xD800 && c <= 0xDFFF))
          break;
        // U+FFFD also stands for an invalid byte, which must not be copied.
        if (c == 0xFFFD) out += "\xEF\xBF\xBD";
        else out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::string FormatDouble(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string JoinAliases(const std::vector<std::string>& aliases, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < aliases.size() && i < limit; ++i) {
    if (i) out += "; ";
    out += aliases[i];
  }
  return out;
}

std::string EvidenceText(const std::vector<Evidence>& evidence) {
  std::string out;
  for (const auto& e : evidence) {
    if (!out.empty()) out += "\n";
    out += e.doc + " [" + std::to_string(e.begin) + "," + std::to_string(e.end) + "]: " + e.text;
  }
  return out;
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
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  struct Key { const char* id; const char* domain; const char* name; const char* type; };
  static const Key kKeys[] = {
      {"label", "node", "label", "string"},       {"type", "node", "type", "string"},
      {"frequency", "node", "frequency", "long"}, {"documents", "node", "documents", "long"},
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
    out << "  <key id=\"" << k.id << "\" for=\"" << k.domain << "\" attr.name=\"" << k.name
        << "\" attr.type=\"" << k.type << "\"/>\n";
  }
  out << "  <graph id=\"newsgraph\" edgedefault=\"undirected\">\n";
  auto data = [&](const char* key, std::string_view value) {
    out << "      <data key=\"" << key << "\">" << XmlEscape(value) << "</data>\n";
  };
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    out << "    <node id=\"n" << v << "\">\n";
    data("label", n.name);
    data("type", n.type);
    data("frequency", std::to_string(n.frequency));
    data("documents", std::to_string(n.documents));
    if (!n.aliases.empty()) data("aliases", JoinAliases(n.aliases, 20));
    if (!n.first_seen.empty()) data("first_seen", n.first_seen);
    if (!n.last_seen.empty()) data("last_seen", n.last_seen);
    data("degree", FormatDouble(n.degree));
    data("weighted_degree", FormatDouble(n.weighted_degree));
    data("pagerank", FormatDouble(n.pagerank));
    data("betweenness", FormatDouble(n.betweenness));
    data("component", std::to_string(n.component));
    data("community", std::to_string(n.community));
    out << "    </node>\n";
  }
  std::size_t id = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    out << "    <edge id=\"e" << id++ << "\" source=\"n" << boost::source(e, g) << "\" target=\"n"
        << boost::target(e, g) << "\">\n";
    data("weight", FormatDouble(r.weight));
    data("count", std::to_string(r.count));
    data("edocuments", std::to_string(r.documents));
    data("association", FormatDouble(r.association));
    data("pmi", FormatDouble(r.pmi));
    data("npmi", FormatDouble(r.npmi));
    data("jaccard", FormatDouble(r.jaccard));
    data("cosine", FormatDouble(r.cosine));
    data("g2", FormatDouble(r.g2));
    if (!r.first_seen.empty()) data("efirst_seen", r.first_seen);
    if (!r.last_seen.empty()) data("elast_seen", r.last_seen);
    if (options.evidence && !r.evidence.empty()) data("evidence", EvidenceText(r.evidence));
    out << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
  return out ? Status::Ok() : Status::IoError("write failed");
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

Status WriteDot(const Graph& graph, std::ostream& out, const ExportOptions&) {
  const Network& g = graph.network();
  double max_weight = 0, max_freq = 1;
  for (auto e : boost::make_iterator_range(boost::edges(g))) max_weight = std::max(max_weight, g[e].weight);
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    max_freq = std::max(max_freq, static_cast<double>(g[v].frequency));
  out << "graph newsgraph {\n"
         "  graph [overlap=false, splines=curved, outputorder=edgesfirst, K=1.2, "
         "fontname=\"Helvetica\"];\n"
         "  node [style=filled, fontname=\"Helvetica\", fontsize=11, penwidth=0.5];\n"
         "  edge [color=\"#55555580\"];\n";
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    const TypeStyle& st = StyleOf(n.type);
    const double size = 10 + 8 * std::sqrt(static_cast<double>(n.frequency) / max_freq);
    out << "  n" << v << " [label=" << DotQuote(n.name) << ", shape=" << st.shape
        << ", fillcolor=\"" << st.color << "\", fontsize=" << FormatDouble(size)
        << ", tooltip=" << DotQuote(n.type + ", " + std::to_string(n.frequency) + " mentions")
        << "];\n";
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    // Negative weights (NPMI, PMI) draw as the thinnest line rather than a negative width.
    const double pen = max_weight > 0 ? 0.5 + 5.5 * (std::max(r.weight, 0.0) / max_weight) : 1.0;
    out << "  n" << boost::source(e, g) << " -- n" << boost::target(e, g)
        << " [penwidth=" << FormatDouble(pen) << ", weight=" << FormatDouble(std::max(r.weight, 0.0))
        << ", tooltip=" << DotQuote(std::to_string(r.count) + " co-occurrences") << "];\n";
  }
  out << "}\n";
  return out ? Status::Ok() : Status::IoError("write failed");
}

// ---------------------------------------------------------------------------------------------
// Files

namespace {

// Runs Graphviz on a DOT file; returns its stderr in `errors`.
Status RenderWithGraphviz(const Graph& graph, const std::string& path, const char* fmt,
                          const ExportOptions& options) {
  const std::string program = options.layout.empty() ? "sfdp" : options.layout;
  if (program.find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
    return Status::InvalidInput("invalid Graphviz layout \"" + program + "\"");
  }
  if (std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) != 0) {
    return Status::InvalidInput(path + ": rendering needs Graphviz's '" + program +
                                "', which is not installed (apt-get install graphviz); write "
                                ".dot instead and render it elsewhere");
  }
  AtomicFile dot(path + ".dot");
  if (!dot.status().ok()) return dot.status();
  Status s = WriteDot(graph, dot.stream(), options);
  if (!s.ok()) return s;
  const std::string dot_path = path + ".dot.render";
  if (!(s = dot.Commit()).ok()) return s;
  std::rename((path + ".dot").c_str(), dot_path.c_str());
  AtomicFile result(path);
  if (!result.status().ok()) { std::remove(dot_path.c_str()); return result.status(); }
  const std::string err_path = path + ".stderr";
  auto quote = [](const std::string& p) {
    std::string q = "'";
    for (char c : p) { if (c == '\'') q += "'\\''"; else q += c; }
    return q + "'";
  };
  const std::string cmd = program + " -T" + fmt + " " + quote(dot_path) + " 2>" + quote(err_path);
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) { std::remove(dot_path.c_str()); return Status::IoError(path + ": cannot run " + program); }
  char buf[65536];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) result.stream().write(buf, got);
  const int rc = ::pclose(pipe);
  std::remove(dot_path.c_str());
  std::string errors;
  ReadFile(err_path, &errors);
  std::remove(err_path.c_str());
  if (rc != 0) {
    return Status::IoError(path + ": " + program + " failed: " + errors.substr(0, 500));
  }
  return result.Commit();
}

}  // namespace

Status ExportGraph(const Graph& graph, const std::string& path, const ExportOptions& options) {
  Format format;
  Status s = FormatFromPath(path, &format);
  if (!s.ok()) return s;
  if (format == Format::kSvg) return RenderWithGraphviz(graph, path, "svg", options);
  if (format == Format::kPng) return RenderWithGraphviz(graph, path, "png", options);
  if (format == Format::kCsv) {
    const std::string stem = path.substr(0, path.size() - 4);
    AtomicFile nodes(stem + ".nodes.csv"), edges(stem + ".edges.csv");
    if (!nodes.status().ok()) return nodes.status();
    if (!edges.status().ok()) return edges.status();
    if (!(s = WriteCsv(graph, nodes.stream(), edges.stream(), options)).ok())
      return Status::IoError(path + ": " + s.message());
    if (!(s = nodes.Commit()).ok()) return s;
    return edges.Commit();
  }
  AtomicFile file(path);
  if (!file.status().ok()) return file.status();
  switch (format) {
    case Format::kGraphML: s = WriteGraphML(graph, file.stream(), options); break;
    case Format::kGexf: s = WriteGexf(graph, file.stream(), options); break;
    case Format::kDot: s = WriteDot(graph, file.stream(), options); break;
    case Format::kJson: s = WriteJson(graph, file.stream(), options); break;
    default: break;
  }
  if (!s.ok()) return Status::IoError(path + ": " + s.message());
  return file.Commit();
}

}  // namespace newsgraph
