// Gephi's spreadsheet import pair (node table, edge table), RFC 4180: CRLF line ends, fields
// with commas, quotes or line breaks quoted, quotes doubled.
#include "export_util.hpp"
#include "newsgraph/export.hpp"

namespace newsgraph {

Status WriteCsv(const Graph& graph, std::ostream& nodes, std::ostream& edges,
                const ExportOptions& options) {
  const Network& g = graph.network();
  Sink ns(&nodes), es(&edges);
  // Gephi recognises Id and Label (nodes) and Source, Target, Type and Weight (edges); the
  // other columns become attributes. Every field goes through Sink::Csv (CsvField(ValidUtf8)),
  // numbers too, where it changes nothing.
  ns << "Id,Label,Type,Frequency,Documents,Units,Aliases,First_Seen,Last_Seen,Degree,"
        "Weighted_Degree,PageRank,Betweenness,Component,Community\r\n";
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    ns.Csv(n.name) << ',';
    ns.Csv(n.name) << ',';
    ns.Csv(n.type) << ',';
    ns.Uint(n.frequency) << ',';
    ns.Uint(n.documents) << ',';
    ns.Uint(n.units) << ',';
    ns.Csv(JoinAliases(n.aliases, 20)) << ',';
    ns.Csv(n.first_seen) << ',';
    ns.Csv(n.last_seen) << ',';
    ns.Double(n.degree) << ',';
    ns.Double(n.weighted_degree) << ',';
    ns.Double(n.pagerank) << ',';
    ns.Double(n.betweenness) << ',';
    ns.Int(n.component) << ',';
    ns.Int(n.community) << "\r\n";
    ns.MaybeFlush();
  }
  es << "Source,Target,Type,Id,Weight,Count,Documents,Association,PMI,NPMI,Jaccard,Cosine,G2,"
        "First_Seen,Last_Seen";
  es << (options.evidence ? ",Evidence\r\n" : "\r\n");
  std::size_t id = 0;
  std::string evidence;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    const EdgeMeasures m = graph.measures(e);
    es.Csv(g[boost::source(e, g)].name) << ',';
    es.Csv(g[boost::target(e, g)].name) << ",Undirected,e";
    es.Uint(id++) << ',';
    es.Double(r.weight) << ',';
    es.Uint(r.count) << ',';
    es.Uint(r.documents) << ',';
    for (const EdgeMeasureField& f : kEdgeMeasureFields) es.Double(m.*f.value) << ',';
    es.Csv(r.first_seen()) << ',';
    es.Csv(r.last_seen());
    if (options.evidence) {
      evidence.clear();
      AppendEvidenceText(r.evidence(), &evidence);
      es << ',';
      es.Csv(evidence);
    }
    es << "\r\n";
    es.MaybeFlush();
  }
  const bool nodes_ok = ns.Done(), edges_ok = es.Done();
  if (!nodes_ok || !edges_ok) return Status::IoError("write failed");
  return Status::Ok();
}

}  // namespace newsgraph
