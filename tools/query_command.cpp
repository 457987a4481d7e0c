// newsgraph query: questions about a saved graph (.graphml) or one built from the inputs.
//   newsgraph query GRAPH_OR_INPUTS... COMMAND [ARGS] [--json]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "cli_common.hpp"
#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/graphml.hpp"
#include "newsgraph/query.hpp"

namespace newsgraph::cli {

namespace ng = newsgraph;

namespace {

struct QueryArgs {
  // How to build a graph from text inputs.
  std::string scope = "sentence", weight = "count";
  std::size_t evidence = 3;
  bool json = false;
  // Subcommand arguments.
  std::string entity, from, to, text, output, types;
  std::string edge_by = "weight", node_by = "degree";
  std::size_t top = 10, n = 10, depth = 1;
  bool strongest = false;
};

struct Subcommands {
  CLI::App *neighbors, *path, *top, *ego, *evidence, *stats, *find;
};

using Json = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

std::vector<std::string> SplitTypes(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string Num(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}


void Double(Json& w, double v) {
  if (std::isfinite(v)) w.Double(v);
  else w.Null();
}
void Str(Json& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void EntityJson(Json& w, const ng::EntityNode& n) {
  w.StartObject();
  w.Key("name"); Str(w, n.name);
  w.Key("type"); Str(w, n.type);
  w.Key("frequency"); w.Uint64(n.frequency);
  w.EndObject();
}

void RelationFields(Json& w, const ng::Relation& r) {
  w.Key("weight"); Double(w, r.weight);
  w.Key("count"); w.Uint64(r.count);
  w.Key("documents"); w.Uint64(r.documents);
}

int Print(const rapidjson::StringBuffer& buf) {
  std::cout.write(buf.GetString(), static_cast<std::streamsize>(buf.GetSize()));
  std::cout << "\n";
  std::cout.flush();
  return std::cout ? 0 : Fail(ng::Status::IoError("standard output: write failed"));
}

int Neighbors(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  ng::Vertex v;
  ng::NeighborOptions o;
  ng::Status s = q.Resolve(a.entity, &v);
  if (!s.ok() || !(s = ng::ParseEdgeMeasure(a.edge_by, &o.by)).ok()) return Fail(s);
  o.top = a.top;
  o.types = SplitTypes(a.types);
  const auto result = q.Neighbors(v, o);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("entity"); EntityJson(w, g[v]);
    w.Key("by"); Str(w, a.edge_by);
    w.Key("neighbors");
    w.StartArray();
    for (std::size_t i = 0; i < result.size(); ++i) {
      const auto& n = result[i];
      w.StartObject();
      w.Key("rank"); w.Uint64(i + 1);
      w.Key("name"); Str(w, g[n.vertex].name);
      w.Key("type"); Str(w, g[n.vertex].type);
      w.Key("value"); Double(w, n.value);
      RelationFields(w, g[n.edge]);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Print(buf);
  }
  std::cout << "Neighbours of " << g[v].name << " (" << g[v].type << "), " << result.size()
            << " by " << a.edge_by << ":\n";
  // The ranking column, then count and documents unless that is what ranks.
  std::vector<std::string> header = {"#", "entity", "type", a.edge_by};
  for (const char* extra : {"count", "documents"})
    if (a.edge_by != extra) header.push_back(extra);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < result.size(); ++i) {
    const auto& n = result[i];
    const ng::Relation& r = g[n.edge];
    std::vector<std::string> row = {std::to_string(i + 1), g[n.vertex].name, g[n.vertex].type, Num(n.value)};
    if (a.edge_by != "count") row.push_back(std::to_string(r.count));
    if (a.edge_by != "documents") row.push_back(std::to_string(r.documents));
    rows.push_back(std::move(row));
  }
  std::vector<bool> right(header.size(), true);
  right[1] = right[2] = false;
  PrintTable(header, rows, right);
  return 0;
}

int PathCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  ng::Vertex from, to;
  ng::EdgeMeasure by;
  ng::Status s = q.Resolve(a.from, &from);
  if (!s.ok() || !(s = q.Resolve(a.to, &to)).ok() || !(s = ng::ParseEdgeMeasure(a.edge_by, &by)).ok()) {
    return Fail(s);
  }
  const ng::Path path = a.strongest ? q.StrongestPath(from, to, by) : q.ShortestPath(from, to, by);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("from"); EntityJson(w, g[from]);
    w.Key("to"); EntityJson(w, g[to]);
    w.Key("mode"); w.String(a.strongest ? "strongest" : "shortest");
    w.Key("by"); Str(w, a.edge_by);
    w.Key("found"); w.Bool(path.found());
    w.Key("hops"); w.Uint64(path.hops());
    w.Key("strength"); Double(w, path.strength);
    w.Key("path");
    w.StartArray();
    for (ng::Vertex v : path.vertices) EntityJson(w, g[v]);
    w.EndArray();
    w.Key("edges");
    w.StartArray();
    for (std::size_t i = 0; i < path.edges.size(); ++i) {
      w.StartObject();
      w.Key("from"); Str(w, g[path.vertices[i]].name);
      w.Key("to"); Str(w, g[path.vertices[i + 1]].name);
      w.Key("value"); Double(w, ng::EdgeValue(q.graph(), path.edges[i], by));
      RelationFields(w, g[path.edges[i]]);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Print(buf);
  }
  if (!path.found()) {
    std::cout << "No path between " << g[from].name << " and " << g[to].name
              << ": they are in different components.\n";
    return 0;
  }
  std::cout << (a.strongest ? "Strongest" : "Shortest") << " path from " << g[from].name << " to "
            << g[to].name << ": " << path.hops() << (path.hops() == 1 ? " hop" : " hops")
            << ", strength " << Num(path.strength) << " (by " << a.edge_by << ")\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < path.vertices.size(); ++i) {
    const ng::EntityNode& n = g[path.vertices[i]];
    std::vector<std::string> row = {std::to_string(i), n.name, n.type, "", ""};
    if (i > 0) {
      const ng::Relation& r = g[path.edges[i - 1]];
      row[3] = Num(ng::EdgeValue(q.graph(), path.edges[i - 1], by));
      row[4] = std::to_string(r.count);
    }
    if (a.edge_by == "count") row.pop_back();
    rows.push_back(std::move(row));
  }
  std::vector<std::string> header = {"step", "entity", "type", a.edge_by, "count"};
  if (a.edge_by == "count") header.pop_back();
  PrintTable(header, rows, {true, false, false, true, true});
  return 0;
}

int TopCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  ng::NodeMeasure by;
  ng::Status s = ng::ParseNodeMeasure(a.node_by, &by);
  if (!s.ok()) return Fail(s);
  const auto result = q.Top(by, a.n, SplitTypes(a.types));
  const std::string name = ng::NodeMeasureName(by);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("by"); Str(w, name);
    w.Key("entities");
    w.StartArray();
    for (std::size_t i = 0; i < result.size(); ++i) {
      const ng::EntityNode& n = g[result[i].vertex];
      w.StartObject();
      w.Key("rank"); w.Uint64(i + 1);
      w.Key("name"); Str(w, n.name);
      w.Key("type"); Str(w, n.type);
      w.Key("value"); Double(w, result[i].value);
      w.Key("degree"); Double(w, n.degree);
      w.Key("weighted_degree"); Double(w, n.weighted_degree);
      w.Key("frequency"); w.Uint64(n.frequency);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return Print(buf);
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < result.size(); ++i) {
    const ng::EntityNode& n = g[result[i].vertex];
    rows.push_back({std::to_string(i + 1), n.name, n.type, Num(result[i].value), Num(n.degree),
                    std::to_string(n.frequency)});
  }
  PrintTable({"#", "entity", "type", name, "degree", "mentions"}, rows,
             {true, false, false, true, true, true});
  return 0;
}

int EgoCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  ng::Vertex v;
  ng::Format format;
  ng::Status s = ng::FormatFromPath(a.output, &format);
  if (!s.ok() || !(s = q.Resolve(a.entity, &v)).ok()) return Fail(s);
  const ng::Graph ego = q.Ego(v, a.depth);
  if (!(s = ng::ExportGraph(ego, a.output)).ok()) return Fail(s);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("center"); EntityJson(w, g[v]);
    w.Key("depth"); w.Uint64(a.depth);
    w.Key("nodes"); w.Uint64(ego.num_nodes());
    w.Key("edges"); w.Uint64(ego.num_edges());
    w.Key("output"); Str(w, a.output);
    w.EndObject();
    return Print(buf);
  }
  std::cout << "Wrote " << a.output << ": ego network of " << g[v].name << " (depth " << a.depth
            << "), " << ego.num_nodes() << " entities, " << ego.num_edges() << " relations\n";
  return 0;
}

int EvidenceCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  ng::Vertex x, y;
  ng::Status s = q.Resolve(a.from, &x);
  if (!s.ok() || !(s = q.Resolve(a.to, &y)).ok()) return Fail(s);
  const auto edge = q.EdgeBetween(x, y);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("a"); EntityJson(w, g[x]);
    w.Key("b"); EntityJson(w, g[y]);
    w.Key("related"); w.Bool(edge.has_value());
    if (edge) {
      const ng::Relation& r = g[*edge];
      RelationFields(w, r);
      w.Key("first_seen"); Str(w, r.first_seen());
      w.Key("last_seen"); Str(w, r.last_seen());
      w.Key("evidence");
      w.StartArray();
      for (const auto& e : r.evidence()) {
        w.StartObject();
        w.Key("doc"); Str(w, e.doc);
        w.Key("begin"); w.Uint(e.begin);
        w.Key("end"); w.Uint(e.end);
        w.Key("text"); Str(w, e.text);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
    return Print(buf);
  }
  if (!edge) {
    std::cout << g[x].name << " and " << g[y].name << " do not co-occur.\n";
    return 0;
  }
  const ng::Relation& r = g[*edge];
  std::cout << g[x].name << " — " << g[y].name << ": " << r.count << " co-occurrences in "
            << r.documents << (r.documents == 1 ? " document" : " documents") << ", weight "
            << Num(r.weight);
  if (!r.first_seen().empty()) std::cout << ", seen " << r.first_seen() << " to " << r.last_seen();
  std::cout << "\n";
  if (r.evidence().empty()) std::cout << "(no evidence passages kept)\n";
  for (const auto& e : r.evidence()) {
    std::cout << "  " << e.doc << " [" << e.begin << "," << e.end << "]: " << e.text << "\n";
  }
  return 0;
}

int StatsCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::GraphStats st = q.Stats();
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("nodes"); w.Uint64(st.nodes);
    w.Key("edges"); w.Uint64(st.edges);
    w.Key("density"); Double(w, st.density);
    w.Key("mean_degree"); Double(w, st.mean_degree);
    w.Key("components"); w.Uint64(st.components);
    w.Key("largest_component"); w.Uint64(st.largest_component);
    w.Key("isolates"); w.Uint64(st.isolates);
    w.Key("nodes_per_type");
    w.StartObject();
    for (const auto& [t, c] : st.nodes_per_type) { w.Key(t.c_str()); w.Uint64(c); }
    w.EndObject();
    w.Key("edges_per_type");
    w.StartObject();
    for (const auto& [t, c] : st.edges_per_type) { w.Key(t.c_str()); w.Uint64(c); }
    w.EndObject();
    w.EndObject();
    return Print(buf);
  }
  PrintTable({"measure", "value"},
             {{"nodes", std::to_string(st.nodes)},
              {"edges", std::to_string(st.edges)},
              {"density", Num(st.density)},
              {"mean degree", Num(st.mean_degree)},
              {"components", std::to_string(st.components)},
              {"largest component", std::to_string(st.largest_component)},
              {"isolates", std::to_string(st.isolates)}},
             {false, true});
  std::vector<std::vector<std::string>> rows;
  for (const auto& [t, c] : st.nodes_per_type) rows.push_back({t, std::to_string(c)});
  std::cout << "\n";
  PrintTable({"node type", "nodes"}, rows, {false, true});
  rows.clear();
  for (const auto& [t, c] : st.edges_per_type) rows.push_back({t, std::to_string(c)});
  std::cout << "\n";
  PrintTable({"edge types", "edges"}, rows, {false, true});
  return 0;
}

int FindCommand(const ng::GraphQuery& q, const QueryArgs& a) {
  const ng::Network& g = q.graph().network();
  const auto matches = q.Suggest(a.text, a.n, 0.4);
  if (a.json) {
    rapidjson::StringBuffer buf;
    Json w(buf);
    w.StartObject();
    w.Key("query"); Str(w, a.text);
    w.Key("matches");
    w.StartArray();
    for (const auto& m : matches) {
      w.StartObject();
      w.Key("name"); Str(w, g[m.vertex].name);
      w.Key("type"); Str(w, g[m.vertex].type);
      w.Key("score"); Double(w, m.score);
      w.Key("matched"); Str(w, m.matched);
      w.Key("frequency"); w.Uint64(g[m.vertex].frequency);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    const int rc = Print(buf);
    return rc != 0 ? rc : matches.empty() ? 1 : 0;
  }
  if (matches.empty()) {
    return Fail(ng::Status::NotFound("no entity resembles \"" + a.text + "\""));
  }
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const auto& m = matches[i];
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", m.score);
    rows.push_back({std::to_string(i + 1), g[m.vertex].name, g[m.vertex].type, score,
                    m.matched == g[m.vertex].name ? "" : m.matched});
  }
  PrintTable({"#", "entity", "type", "score", "matched alias"}, rows, {true, false, false, true, false});
  return 0;
}

int RunOn(const ng::Graph& graph, const Subcommands& sub, const QueryArgs& a) {
  const ng::GraphQuery q(graph);
  if (*sub.neighbors) return Neighbors(q, a);
  if (*sub.path) return PathCommand(q, a);
  if (*sub.top) return TopCommand(q, a);
  if (*sub.ego) return EgoCommand(q, a);
  if (*sub.evidence) return EvidenceCommand(q, a);
  if (*sub.stats) return StatsCommand(q, a);
  if (*sub.find) return FindCommand(q, a);
  return Fail(ng::Status::InvalidInput("query: a command is required"));
}

bool IsGraphML(const std::string& path) {
  return path.size() > 8 && (path.compare(path.size() - 8, 8, ".graphml") == 0 ||
                             path.compare(path.size() - 8, 8, ".GRAPHML") == 0);
}

int RunQuery(const CommonOptions& o, const Subcommands& sub, const QueryArgs& a) {
  std::size_t graphml = 0;
  for (const auto& in : o.inputs) graphml += IsGraphML(in);
  if (graphml > 0) {
    if (o.inputs.size() != 1) {
      return Fail(ng::Status::InvalidInput(
          "query: give one .graphml file, or text inputs to build a graph from, not both"));
    }
    // Built in place: graphs are not cheaply movable.
    ng::Graph graph;
    ng::Status s = ng::ReadGraphML(o.inputs[0], &graph);
    if (!s.ok()) return Fail(s);
    return RunOn(graph, sub, a);
  }
  ng::PipelineOptions p = MakePipelineOptions(o);
  ng::Status s = ng::ParseScope(a.scope, &p.relate.scope);
  if (!s.ok()) return Fail(s);
  p.relate.evidence = a.evidence;
  ng::GraphOptions go;
  if (!(s = ng::ParseWeightMeasure(a.weight, &go.weight)).ok()) return Fail(s);
  ng::Pipeline pipeline(p);
  if (!pipeline.status().ok()) return Fail(pipeline.status());
  ng::PartialGraph partial;
  if (!(s = pipeline.Build(o.inputs, &partial)).ok()) return Fail(s);
  ReportSkipped(pipeline, o);
  ng::Graph graph = ng::Graph::FromPartial(std::move(partial), go);
  graph.scope = ng::ScopeName(p.relate.scope);
  return RunOn(graph, sub, a);
}

}  // namespace

Runner RegisterQuery(CLI::App* app) {
  auto opts = std::make_shared<CommonOptions>();
  auto args = std::make_shared<QueryArgs>();
  auto sub = std::make_shared<Subcommands>();
  QueryArgs& a = *args;
  CLI::App* query = app->add_subcommand(
      "query", "Query a graph: a .graphml file, or text inputs built into a graph first");
  AddCommon(query, opts.get());
  query->add_option("--scope", a.scope, "When building: co-occurrence unit")->capture_default_str();
  query->add_option("--weight", a.weight, "When building: edge weight measure")->capture_default_str();
  query->add_option("--evidence", a.evidence, "When building: evidence passages kept per edge")
      ->capture_default_str();
  query->add_flag("--json", a.json, "Print one JSON document instead of a table");
  query->require_subcommand(1);

  auto add = [&](const char* name, const char* help) {
    CLI::App* s = query->add_subcommand(name, help);
    s->fallthrough();  // --json and the build options may follow the command
    return s;
  };
  const std::string measures = "weight, count, documents, association, pmi, npmi, jaccard, cosine or g2";
  sub->neighbors = add("neighbors", "An entity's neighbours, strongest first");
  sub->neighbors->add_option("entity", a.entity, "Entity name, alias or folded form")->required();
  sub->neighbors->add_option("-k,--top", a.top, "Show the first K (0: all)")->capture_default_str();
  sub->neighbors->add_option("--type", a.types, "Only neighbours of these types (comma-separated)");
  sub->neighbors->add_option("--by", a.edge_by, "Rank by " + measures)->capture_default_str();

  sub->path = add("path", "How two entities connect: fewest hops, or --strongest");
  sub->path->add_option("from", a.from, "First entity")->required();
  sub->path->add_option("to", a.to, "Second entity")->required();
  sub->path->add_flag("--strongest", a.strongest,
                      "Maximise the product of normalised edge values instead of minimising hops");
  sub->path->add_option("--by", a.edge_by, "Edge value for strength: " + measures)->capture_default_str();

  sub->top = add("top", "The most central entities");
  sub->top->add_option("--by", a.node_by, "degree, weighted, pagerank, betweenness or frequency")
      ->capture_default_str();
  sub->top->add_option("--type", a.types, "Only these types (comma-separated)");
  sub->top->add_option("-n", a.n, "How many")->capture_default_str();

  sub->ego = add("ego", "Write an entity's ego network (format by extension)");
  sub->ego->add_option("entity", a.entity, "Centre entity")->required();
  sub->ego->add_option("--depth", a.depth, "Hops from the centre")->capture_default_str();
  sub->ego->add_option("-o,--output", a.output, "Output file: .graphml .gexf .dot .json .csv .svg .png")
      ->required();

  sub->evidence = add("evidence", "The passages where two entities co-occur");
  sub->evidence->add_option("a", a.from, "First entity")->required();
  sub->evidence->add_option("b", a.to, "Second entity")->required();

  sub->stats = add("stats", "Nodes and edges per type, components, density");

  sub->find = add("find", "Entities whose name or alias resembles TEXT");
  sub->find->add_option("text", a.text, "Text to look for")->required();
  sub->find->add_option("-n", a.n, "How many")->capture_default_str();

  return [query, opts, args, sub]() { return *query ? RunQuery(*opts, *sub, *args) : -1; };
}

}  // namespace newsgraph::cli
