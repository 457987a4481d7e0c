// Node-link JSON, the layout networkx.node_link_graph / node_link_data use.
#include <cmath>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/writer.h>

#include "export_util.hpp"
#include "newsgraph/export.hpp"

namespace newsgraph {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::OStreamWrapper>;

void String(JsonWriter* w, std::string_view s) {
  const std::string valid = ValidUtf8(s);
  w->String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}
void Key(JsonWriter* w, std::string_view k) {
  const std::string valid = ValidUtf8(k);
  w->Key(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}
void Number(JsonWriter* w, std::string_view k, double v) {
  Key(w, k);
  w->Double(std::isfinite(v) ? v : 0.0);  // JSON has no NaN or infinity
}
void Number(JsonWriter* w, std::string_view k, std::uint64_t v) {
  Key(w, k);
  w->Uint64(v);
}
void Number(JsonWriter* w, std::string_view k, std::int64_t v) {
  Key(w, k);
  w->Int64(v);
}
void Text(JsonWriter* w, std::string_view k, std::string_view v) {
  Key(w, k);
  String(w, v);
}
void Dates(JsonWriter* w, const std::string& first, const std::string& last,
           const std::map<std::string, std::uint64_t>& periods) {
  if (!first.empty()) Text(w, "first_seen", first);
  if (!last.empty()) Text(w, "last_seen", last);
  if (!periods.empty()) {
    Key(w, "periods");
    w->StartObject();
    for (const auto& [p, n] : periods) Number(w, p, n);
    w->EndObject();
  }
}

}  // namespace

Status WriteJson(const Graph& graph, std::ostream& out, const ExportOptions& options) {
  const Network& g = graph.network();
  rapidjson::OStreamWrapper stream(out);
  JsonWriter w(stream);
  w.StartObject();
  Key(&w, "directed");
  w.Bool(false);
  Key(&w, "multigraph");
  w.Bool(false);
  Key(&w, "graph");
  w.StartObject();
  Text(&w, "name", "newsgraph");
  Text(&w, "scope", graph.scope);
  Text(&w, "weight", WeightMeasureName(graph.weight_measure));
  Number(&w, "documents", graph.documents);
  Number(&w, "units", graph.units);
  Number(&w, "mentions", graph.mentions);
  w.EndObject();

  Key(&w, "nodes");
  w.StartArray();
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    w.StartObject();
    Text(&w, "id", n.name);
    Text(&w, "label", n.name);
    Text(&w, "type", n.type);
    Number(&w, "frequency", n.frequency);
    Number(&w, "documents", n.documents);
    Key(&w, "aliases");
    w.StartArray();
    for (const auto& a : n.aliases) String(&w, a);
    w.EndArray();
    Dates(&w, n.first_seen, n.last_seen, n.periods);
    Number(&w, "degree", n.degree);
    Number(&w, "weighted_degree", n.weighted_degree);
    Number(&w, "pagerank", n.pagerank);
    Number(&w, "betweenness", n.betweenness);
    Number(&w, "component", n.component);
    Number(&w, "community", n.community);
    w.EndObject();
  }
  w.EndArray();

  Key(&w, "links");
  w.StartArray();
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    w.StartObject();
    Text(&w, "source", g[boost::source(e, g)].name);
    Text(&w, "target", g[boost::target(e, g)].name);
    Number(&w, "weight", r.weight);
    Number(&w, "count", r.count);
    Number(&w, "documents", r.documents);
    Number(&w, "association", r.association);
    Number(&w, "pmi", r.pmi);
    Number(&w, "npmi", r.npmi);
    Number(&w, "jaccard", r.jaccard);
    Number(&w, "cosine", r.cosine);
    Number(&w, "g2", r.g2);
    Dates(&w, r.first_seen, r.last_seen, r.periods);
    if (options.evidence) {
      Key(&w, "evidence");
      w.StartArray();
      for (const Evidence& ev : r.evidence) {
        w.StartObject();
        Text(&w, "doc", ev.doc);
        Number(&w, "begin", static_cast<std::uint64_t>(ev.begin));
        Number(&w, "end", static_cast<std::uint64_t>(ev.end));
        Text(&w, "text", ev.text);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out << "\n";
  return out ? Status::Ok() : Status::IoError("write failed");
}

}  // namespace newsgraph
