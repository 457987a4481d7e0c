// Gephi's spreadsheet import pair (node table, edge table), RFC 4180: CRLF line ends, fields
// with commas, quotes or line breaks quoted, quotes doubled.
#include <initializer_list>

#include "export_util.hpp"
#include "newsgraph/export.hpp"

namespace newsgraph {

namespace {

void Row(std::ostream& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const std::string& f : fields) {
    if (!first) out << ',';
    out << CsvField(ValidUtf8(f));
    first = false;
  }
  out << "\r\n";
}

}  // namespace

Status WriteCsv(const Graph& graph, std::ostream& nodes, std::ostream& edges,
                const ExportOptions& options) {
  const Network& g = graph.network();
  // Gephi recognises Id and Label (nodes) and Source, Target, Type and Weight (edges); the
  // other columns become attributes.
  Row(nodes, {"Id", "Label", "Type", "Frequency", "Documents", "Aliases", "First_Seen",
              "Last_Seen", "Degree", "Weighted_Degree", "PageRank", "Betweenness", "Component",
              "Community"});
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    Row(nodes, {n.name, n.name, n.type, std::to_string(n.frequency), std::to_string(n.documents),
                JoinAliases(n.aliases, 20), n.first_seen, n.last_seen, FormatDouble(n.degree),
                FormatDouble(n.weighted_degree), FormatDouble(n.pagerank),
                FormatDouble(n.betweenness), std::to_string(n.component),
                std::to_string(n.community)});
  }
  if (options.evidence) {
    Row(edges, {"Source", "Target", "Type", "Id", "Weight", "Count", "Documents", "Association",
                "PMI", "NPMI", "Jaccard", "Cosine", "G2", "First_Seen", "Last_Seen", "Evidence"});
  } else {
    Row(edges, {"Source", "Target", "Type", "Id", "Weight", "Count", "Documents", "Association",
                "PMI", "NPMI", "Jaccard", "Cosine", "G2", "First_Seen", "Last_Seen"});
  }
  std::size_t id = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    std::string source = g[boost::source(e, g)].name, target = g[boost::target(e, g)].name;
    std::string eid = "e";
    eid += std::to_string(id++);
    if (options.evidence) {
      Row(edges, {source, target, "Undirected", eid, FormatDouble(r.weight), std::to_string(r.count),
                  std::to_string(r.documents), FormatDouble(r.association), FormatDouble(r.pmi),
                  FormatDouble(r.npmi), FormatDouble(r.jaccard), FormatDouble(r.cosine),
                  FormatDouble(r.g2), r.first_seen, r.last_seen, EvidenceText(r.evidence)});
    } else {
      Row(edges, {source, target, "Undirected", eid, FormatDouble(r.weight), std::to_string(r.count),
                  std::to_string(r.documents), FormatDouble(r.association), FormatDouble(r.pmi),
                  FormatDouble(r.npmi), FormatDouble(r.jaccard), FormatDouble(r.cosine),
                  FormatDouble(r.g2), r.first_seen, r.last_seen});
    }
  }
  if (!nodes || !edges) return Status::IoError("write failed");
  return Status::Ok();
}

}  // namespace newsgraph
