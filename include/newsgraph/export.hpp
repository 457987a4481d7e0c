// export: writes a Graph as GraphML, GEXF, DOT, JSON or CSV, and renders SVG/PNG with Graphviz.
#pragma once

#include <ostream>
#include <string>
#include <vector>
#include <string_view>

#include "newsgraph/graph.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

enum class Format { kGraphML, kGexf, kDot, kJson, kCsv, kSvg, kPng };

// Returns the format of `path` by its extension (.graphml .gexf .dot .gv .json .csv .svg .png).
Status FormatFromPath(std::string_view path, Format* format);

struct ExportOptions {
  bool evidence = true;   // write evidence passages where the format has room for them
  std::string layout = "sfdp";  // Graphviz program for .svg/.png
  // Outputs ExportGraphs writes at once, one per thread (0: one per core). The bytes of each
  // file do not depend on it.
  unsigned threads = 1;
};

// Each writer streams `graph` to `out` and returns an error only when the stream fails.
Status WriteGraphML(const Graph& graph, std::ostream& out, const ExportOptions& options = {});
Status WriteDot(const Graph& graph, std::ostream& out, const ExportOptions& options = {});
Status WriteGexf(const Graph& graph, std::ostream& out, const ExportOptions& options = {});
Status WriteJson(const Graph& graph, std::ostream& out, const ExportOptions& options = {});
// Writes Gephi's spreadsheet pair: node table and edge table.
Status WriteCsv(const Graph& graph, std::ostream& nodes, std::ostream& edges,
                const ExportOptions& options = {});

// Writes `graph` to `path` in the format its extension names. Output goes to a temporary file
// renamed into place on success, so a failure never leaves a partial file or harms an old one.
// For .csv, writes PATH-without-.csv + ".nodes.csv" and ".edges.csv".
Status ExportGraph(const Graph& graph, const std::string& path, const ExportOptions& options = {});
// Writes the graph to every path (format by extension), all or nothing: every file is written
// to a temporary name first, and they are renamed into place only once all were written
// (a failure of the final renames themselves, which is rare, can still leave the earlier ones).
Status ExportGraphs(const Graph& graph, const std::vector<std::string>& paths,
                    const ExportOptions& options = {});

// Returns `s` escaped for XML text and attribute values (and stripped of characters XML 1.0
// forbids).
std::string XmlEscape(std::string_view s);

}  // namespace newsgraph
