#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>

#include <rapidjson/document.h>

#include "newsgraph/export.hpp"
#include "newsgraph/graphml.hpp"
#include "newsgraph/pipeline.hpp"
#include "newsgraph/query.hpp"
#include "test_util.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

namespace {

// Four short documents written for these tests:
//  - two people both called "Johnson" (an ambiguous alias),
//  - Germany-France and France-Ukraine co-occur three times, Germany-Ukraine once, so the
//    strongest Germany-Ukraine path goes through France while the shortest is direct,
//  - Iceland, Greenland and Reykjavik form a component of their own (disconnected).
const char* const kDocs[][2] = {
    {"a.txt",
     "Prime Minister Boris Johnson met Chancellor Olaf Scholz in Berlin on Monday. Johnson praised "
     "Germany.\n\nPresident Joe Biden spoke with Prime Minister Boris Johnson about Ukraine.\n"},
    {"b.txt",
     "Former President Lyndon Johnson signed the treaty in Washington. Johnson later visited "
     "Mexico.\n\nThe Mayor of Tromsø, Kari Nordmann, welcomed delegates from Norway.\n"},
    {"c.txt", "Iceland and Greenland signed a fisheries accord in Reykjavík.\n"},
    {"d.txt",
     "France backed Germany on Tuesday. Germany thanked France. France and Germany agreed on "
     "energy. Ukraine thanked France. France promised Ukraine more aid. Ukraine and France signed "
     "a pact. Germany and Ukraine signed a grain deal.\n"}};

// A fresh directory for `name`, removed when the test program exits.
fs::path TempDir(const std::string& name) {
  static std::vector<std::unique_ptr<testing::TempDir>> dirs;
  dirs.push_back(std::make_unique<testing::TempDir>("newsgraph_test_query_" + name + "_"));
  return dirs.back()->path;
}

// The corpus written to a fresh directory; returns the directory.
fs::path WriteCorpus() {
  const fs::path dir = TempDir("corpus");
  for (const auto& d : kDocs) std::ofstream(dir / d[0]) << d[1];
  return dir;
}

Graph BuildGraph() {
  static const fs::path dir = WriteCorpus();
  Pipeline pipeline(PipelineOptions{});
  REQUIRE(pipeline.status().ok());
  PartialGraph partial;
  REQUIRE(pipeline.Build({dir.string()}, &partial).ok());
  return Graph::FromPartial(partial);
}

const Graph& TestGraph() {
  static const Graph graph = BuildGraph();
  return graph;
}

Vertex V(const Graph& g, const char* name) {
  const auto v = g.FindVertex(name);
  INFO("entity " << name);
  REQUIRE(v.has_value());
  return *v;
}

std::vector<std::string> Names(const Graph& g, const std::vector<Vertex>& vs) {
  std::vector<std::string> out;
  for (Vertex v : vs) out.push_back(g.network()[v].name);
  return out;
}

std::string ToGraphML(const Graph& g) {
  std::ostringstream out;
  REQUIRE(WriteGraphML(g, out).ok());
  return out.str();
}

struct Run {
  int status;
  std::string out, err;
};

// Runs the CLI with `args` (shell-quoted by the caller), capturing stdout and stderr.
Run Cli(const std::string& args) {
  static const fs::path dir = TempDir("cli");
  const fs::path out = dir / "stdout", err = dir / "stderr";
  const std::string cmd = std::string(NEWSGRAPH_CLI) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int raw = std::system(cmd.c_str());
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

std::string GraphFile() {
  static const std::string path = [] {
    const fs::path p = TempDir("graph") / "g.graphml";
    std::ofstream(p) << ToGraphML(TestGraph());
    return p.string();
  }();
  return path;
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  INFO(text);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Lookups

TEST_CASE("the test corpus builds the graph the tests expect", "[query]") {
  const Graph& g = TestGraph();
  for (const char* name : {"Boris Johnson", "Lyndon Johnson", "Olaf Scholz", "Germany", "France",
                           "Ukraine", "Iceland", "Greenland", "Reykjavik", "Norway"}) {
    CHECK(g.FindVertex(name).has_value());
  }
}

TEST_CASE("Find matches names, aliases, folded forms and words", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);

  Lookup l = q.Find("Germany");
  CHECK(l.kind == MatchKind::kName);
  REQUIRE(l.found());
  CHECK(l.candidates[0] == V(g, "Germany"));

  l = q.Find("GERMANY");
  CHECK(l.kind == MatchKind::kFolded);
  REQUIRE(l.found());
  CHECK(l.candidates[0] == V(g, "Germany"));

  l = q.Find("Reykjavík");  // the surface seen, an alias of the canonical "Reykjavik"
  CHECK(l.kind == MatchKind::kAlias);
  REQUIRE(l.found());
  CHECK(l.candidates[0] == V(g, "Reykjavik"));
  CHECK(q.Find("REYKJAVÍK").candidates == std::vector<Vertex>{V(g, "Reykjavik")});
  CHECK(q.Find("the Ukraine").candidates == std::vector<Vertex>{V(g, "Ukraine")});

  l = q.Find("Scholz");
  CHECK(l.kind == MatchKind::kWords);
  CHECK(l.candidates == std::vector<Vertex>{V(g, "Olaf Scholz")});

  l = q.Find("Atlantis");
  CHECK(l.kind == MatchKind::kNone);
  CHECK(l.candidates.empty());
  CHECK_FALSE(l.found());
  CHECK_FALSE(l.ambiguous());
}

TEST_CASE("an alias shared by two entities is ambiguous", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);
  const Lookup l = q.Find("Johnson");
  CHECK(l.kind == MatchKind::kAlias);
  REQUIRE(l.ambiguous());
  // Most mentioned first: Boris Johnson (3 mentions) before Lyndon Johnson (2).
  CHECK(Names(g, l.candidates) == std::vector<std::string>{"Boris Johnson", "Lyndon Johnson"});

  Vertex v = 12345;
  const Status s = q.Resolve("Johnson", &v);
  CHECK(s.code() == StatusCode::kInvalidInput);
  CHECK(s.message().find("ambiguous") != std::string::npos);
  CHECK(s.message().find("Boris Johnson (person)") != std::string::npos);
  CHECK(s.message().find("Lyndon Johnson (person)") != std::string::npos);
  CHECK(v == 12345);
}

TEST_CASE("Resolve and Suggest propose the closest names", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);
  Vertex v;
  REQUIRE(q.Resolve("olaf scholz", &v).ok());
  CHECK(v == V(g, "Olaf Scholz"));

  const Status s = q.Resolve("Olaf Sholz", &v);
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message().find("no entity named \"Olaf Sholz\"") != std::string::npos);
  CHECK(s.message().find("did you mean \"Olaf Scholz\"") != std::string::npos);

  const auto close = q.Suggest("Boris Jonson", 3);
  REQUIRE_FALSE(close.empty());
  CHECK(g.network()[close[0].vertex].name == "Boris Johnson");
  CHECK(close[0].score < 1.0);
  CHECK(close[0].score >= 0.5);
  CHECK(close.size() <= 3);
  for (std::size_t i = 1; i < close.size(); ++i) CHECK(close[i - 1].score >= close[i].score);

  const auto exact = q.Suggest("iceland");
  REQUIRE_FALSE(exact.empty());
  CHECK(exact[0].vertex == V(g, "Iceland"));
  CHECK(exact[0].score == 1.0);

  const auto alias = q.Suggest("Reykjavík");
  REQUIRE_FALSE(alias.empty());
  CHECK(alias[0].vertex == V(g, "Reykjavik"));

  CHECK(q.Suggest("zzzzzzzz").empty());
  CHECK(q.Suggest("").empty());
}

// ---------------------------------------------------------------------------------------------
// Neighbours, paths, ego networks

TEST_CASE("Neighbors ranks by any edge measure and filters by type", "[query]") {
  const Graph& g = TestGraph();
  const Network& n = g.network();
  GraphQuery q(g);
  const Vertex germany = V(g, "Germany");

  NeighborOptions o;
  o.by = EdgeMeasure::kCount;
  auto all = q.Neighbors(germany, o);
  REQUIRE(all.size() == boost::out_degree(germany, n));
  CHECK(n[all[0].vertex].name == "France");
  CHECK(all[0].value == 3);
  CHECK(n[all[0].edge].count == 3);
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].value >= all[i].value);

  o.top = 1;
  CHECK(q.Neighbors(germany, o).size() == 1);

  o.top = 0;
  o.types = {"person"};
  const auto people = q.Neighbors(germany, o);
  REQUIRE_FALSE(people.empty());
  for (const auto& p : people) CHECK(n[p.vertex].type == "person");
  CHECK(n[people[0].vertex].name == "Boris Johnson");

  o.types = {"event"};
  CHECK(q.Neighbors(germany, o).empty());

  for (const auto& [name, m] : std::vector<std::pair<std::string, EdgeMeasure>>{
           {"npmi", EdgeMeasure::kNpmi}, {"jaccard", EdgeMeasure::kJaccard}, {"g2", EdgeMeasure::kG2}}) {
    EdgeMeasure parsed;
    REQUIRE(ParseEdgeMeasure(name, &parsed).ok());
    CHECK(parsed == m);
    CHECK(EdgeMeasureName(m) == name);
    NeighborOptions by;
    by.by = m;
    const auto ranked = q.Neighbors(germany, by);
    for (const auto& r : ranked) CHECK(r.value == EdgeValue(q.graph(), r.edge, m));
    for (std::size_t i = 1; i < ranked.size(); ++i) CHECK(ranked[i - 1].value >= ranked[i].value);
  }
  EdgeMeasure bad;
  CHECK(ParseEdgeMeasure("strength", &bad).code() == StatusCode::kInvalidInput);
}

TEST_CASE("Neighbors of a hub keeps the best K", "[query]") {
  // A star with repeated weights: the bounded-heap path (degree > 4K) must agree with a sort.
  Graph g;
  EntityNode hub;
  hub.name = "Hub";
  hub.type = "country";
  const Vertex h = g.AddVertex(hub);
  for (int i = 0; i < 40; ++i) {
    EntityNode leaf;
    leaf.name = "Leaf " + std::string(1, static_cast<char>('A' + i / 10)) + std::to_string(i % 10);
    leaf.type = i % 2 ? "person" : "country";
    const Vertex l = g.AddVertex(leaf);
    Relation r;
    r.weight = (i * 7) % 5;
    r.count = static_cast<std::uint64_t>(i);
    boost::add_edge(h, l, r, g.mutable_network());
  }
  GraphQuery q(g);
  NeighborOptions all, top;
  top.top = 6;
  const auto full = q.Neighbors(h, all);
  const auto best = q.Neighbors(h, top);
  REQUIRE(full.size() == 40);
  REQUIRE(best.size() == 6);
  for (std::size_t i = 0; i < best.size(); ++i) {
    CHECK(best[i].vertex == full[i].vertex);
    CHECK(best[i].value == full[i].value);
  }
  top.types = {"person"};
  all.types = {"person"};
  const auto people = q.Neighbors(h, top);
  const auto all_people = q.Neighbors(h, all);
  REQUIRE(people.size() == 6);
  for (std::size_t i = 0; i < people.size(); ++i) CHECK(people[i].vertex == all_people[i].vertex);
}

TEST_CASE("EdgeBetween and the evidence of a pair", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);
  const auto e = q.EdgeBetween(V(g, "Germany"), V(g, "France"));
  REQUIRE(e.has_value());
  const Relation& r = g.network()[*e];
  CHECK(r.count == 3);
  REQUIRE(r.evidence().size() == 3);
  for (const auto& ev : r.evidence()) {
    CHECK(ev.text.str().find("France") != std::string::npos);
    CHECK(ev.text.str().find("Germany") != std::string::npos);
  }
  CHECK(q.EdgeBetween(V(g, "France"), V(g, "Germany")).has_value());
  CHECK_FALSE(q.EdgeBetween(V(g, "Germany"), V(g, "Iceland")).has_value());
}

TEST_CASE("shortest and strongest paths", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);
  const Vertex germany = V(g, "Germany"), ukraine = V(g, "Ukraine");

  const Path shortest = q.ShortestPath(germany, ukraine, EdgeMeasure::kCount);
  REQUIRE(shortest.found());
  CHECK(shortest.hops() == 1);
  CHECK(Names(g, shortest.vertices) == std::vector<std::string>{"Germany", "Ukraine"});
  CHECK(shortest.strength == Approx(1.0 / 3));  // count 1 out of a maximum of 3

  const Path strongest = q.StrongestPath(germany, ukraine, EdgeMeasure::kCount);
  REQUIRE(strongest.found());
  CHECK(Names(g, strongest.vertices) == std::vector<std::string>{"Germany", "France", "Ukraine"});
  CHECK(strongest.edges.size() == 2);
  CHECK(strongest.strength == Approx(1.0));

  // Longer chains: Olaf Scholz -> Boris Johnson -> Germany (two hops at least).
  const Path chain = q.ShortestPath(V(g, "Olaf Scholz"), germany);
  REQUIRE(chain.found());
  CHECK(chain.hops() == 2);
  CHECK(chain.vertices.front() == V(g, "Olaf Scholz"));
  CHECK(chain.vertices.back() == germany);
  for (std::size_t i = 0; i < chain.edges.size(); ++i) {
    const Edge e = chain.edges[i];
    const Vertex s = boost::source(e, g.network()), t = boost::target(e, g.network());
    CHECK(((s == chain.vertices[i] && t == chain.vertices[i + 1]) ||
           (t == chain.vertices[i] && s == chain.vertices[i + 1])));
  }

  const Path self = q.ShortestPath(germany, germany);
  REQUIRE(self.found());
  CHECK(self.hops() == 0);
  CHECK(q.StrongestPath(germany, germany).hops() == 0);

  // Disconnected entities.
  CHECK_FALSE(q.ShortestPath(germany, V(g, "Iceland")).found());
  CHECK_FALSE(q.StrongestPath(germany, V(g, "Iceland")).found());
  CHECK(q.ShortestPath(germany, V(g, "Iceland")).hops() == 0);
}

TEST_CASE("Ego returns the entities within D hops and the relations among them", "[query]") {
  const Graph& g = TestGraph();
  GraphQuery q(g);
  const Graph island = q.Ego(V(g, "Iceland"), 1);
  CHECK(island.num_nodes() == 3);
  CHECK(island.num_edges() == 3);
  CHECK(island.FindVertex("Greenland").has_value());
  CHECK(island.FindVertex("Reykjavik").has_value());

  const Graph alone = q.Ego(V(g, "Iceland"), 0);
  CHECK(alone.num_nodes() == 1);
  CHECK(alone.num_edges() == 0);

  const Graph germany = q.Ego(V(g, "Germany"), 1);
  CHECK(germany.num_nodes() == 1 + boost::out_degree(V(g, "Germany"), g.network()));
  // France-Ukraine is among the neighbours, so it is in the ego network too.
  GraphQuery eq(germany);
  const auto fu = eq.EdgeBetween(V(germany, "France"), V(germany, "Ukraine"));
  REQUIRE(fu.has_value());
  CHECK(germany.network()[*fu].count == 3);
  // Attributes travel with the copy.
  CHECK(germany.network()[V(germany, "France")].frequency == g.network()[V(g, "France")].frequency);

  const Graph wide = q.Ego(V(g, "Germany"), 2);
  CHECK(wide.num_nodes() > germany.num_nodes());
  CHECK(wide.FindVertex("Joe Biden").has_value());
  CHECK_FALSE(wide.FindVertex("Iceland").has_value());

  // An ego network exports like any graph.
  const fs::path out = TempDir("ego") / "ego.graphml";
  REQUIRE(ExportGraph(island, out.string()).ok());
  Graph back;
  REQUIRE(ReadGraphML(out.string(), &back).ok());
  CHECK(back.num_nodes() == 3);
}

// ---------------------------------------------------------------------------------------------
// Rankings, components, statistics

TEST_CASE("Top ranks by degree, weighted degree, frequency, PageRank and betweenness", "[query]") {
  const Graph& g = TestGraph();
  const Network& n = g.network();
  GraphQuery q(g);

  auto top = q.Top(NodeMeasure::kDegree, 3);
  REQUIRE(top.size() == 3);
  for (std::size_t i = 1; i < top.size(); ++i) CHECK(top[i - 1].value >= top[i].value);
  for (auto v : boost::make_iterator_range(boost::vertices(n))) CHECK(n[v].degree <= top[0].value);

  top = q.Top(NodeMeasure::kWeightedDegree, 1);
  CHECK(n[top[0].vertex].name == "France");  // 3 + 3 + 1... the strongest ties

  top = q.Top(NodeMeasure::kFrequency, 100, {"person"});
  CHECK(top.size() == 5);  // both Johnsons, Scholz, Biden, Nordmann
  for (const auto& t : top) CHECK(n[t.vertex].type == "person");

  // The graph was built in this program: no PageRank on the nodes, so it is computed.
  for (auto v : boost::make_iterator_range(boost::vertices(n))) REQUIRE(n[v].pagerank == 0);
  const auto pr = q.Top(NodeMeasure::kPageRank, 0);
  REQUIRE(pr.size() == g.num_nodes());
  double sum = 0;
  for (const auto& r : pr) { sum += r.value; CHECK(r.value > 0); }
  CHECK(sum == Approx(1.0));

  const auto bc = q.Top(NodeMeasure::kBetweenness, 1);
  REQUIRE(bc.size() == 1);
  CHECK(bc[0].value > 0);
  // Germany links the Scholz/Biden/Johnson cluster to France and Ukraine... or Boris Johnson
  // does: either way a country or a person on the main component's bridges.
  CHECK((n[bc[0].vertex].name == "Germany" || n[bc[0].vertex].name == "Boris Johnson" ||
         n[bc[0].vertex].name == "Ukraine"));

  NodeMeasure m;
  REQUIRE(ParseNodeMeasure("weighted", &m).ok());
  CHECK(m == NodeMeasure::kWeightedDegree);
  CHECK(NodeMeasureName(m) == "weighted_degree");
  CHECK(ParseNodeMeasure("closeness", &m).code() == StatusCode::kInvalidInput);
}

TEST_CASE("Components and Stats", "[query]") {
  const Graph& g = TestGraph();
  const Network& n = g.network();
  GraphQuery q(g);
  const auto components = q.Components();
  REQUIRE(components.size() >= 3);
  std::size_t total = 0;
  for (std::size_t i = 0; i < components.size(); ++i) {
    total += components[i].size();
    if (i) CHECK(components[i - 1].size() >= components[i].size());
  }
  CHECK(total == g.num_nodes());
  const auto island = std::find_if(components.begin(), components.end(), [&](const auto& c) {
    return std::find(c.begin(), c.end(), V(g, "Iceland")) != c.end();
  });
  REQUIRE(island != components.end());
  CHECK(Names(g, *island) == std::vector<std::string>{"Greenland", "Iceland", "Reykjavik"});

  const GraphStats s = q.Stats();
  CHECK(s.nodes == g.num_nodes());
  CHECK(s.edges == g.num_edges());
  CHECK(s.components == components.size());
  CHECK(s.largest_component == components[0].size());
  CHECK(s.isolates == 0);
  CHECK(s.density == Approx(2.0 * s.edges / (s.nodes * (s.nodes - 1.0))));
  CHECK(s.mean_degree == Approx(2.0 * s.edges / s.nodes));
  std::size_t per_type = 0;
  for (const auto& [t, c] : s.nodes_per_type) per_type += c;
  CHECK(per_type == s.nodes);
  CHECK(s.nodes_per_type.at("person") == 5);
  std::size_t edge_types = 0;
  for (const auto& [t, c] : s.edges_per_type) edge_types += c;
  CHECK(edge_types == s.edges);
  CHECK(s.edges_per_type.at("country-country") >= 3);  // Germany, France, Ukraine
  CHECK(s.edges_per_type.count("location-country") == 0);  // pairs are sorted: country-location
  (void)n;
}

TEST_CASE("every call works on an empty graph", "[query]") {
  const Graph empty;
  GraphQuery q(empty);
  CHECK(q.Find("Germany").candidates.empty());
  Vertex v;
  const Status s = q.Resolve("Germany", &v);
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message().find("did you mean") == std::string::npos);
  CHECK(q.Suggest("Germany").empty());
  CHECK(q.Top(NodeMeasure::kPageRank, 10).empty());
  CHECK(q.Top(NodeMeasure::kDegree, 10).empty());
  CHECK(q.Components().empty());
  const GraphStats st = q.Stats();
  CHECK(st.nodes == 0);
  CHECK(st.edges == 0);
  CHECK(st.components == 0);
  CHECK(st.density == 0);
  CHECK(st.mean_degree == 0);

  Graph back;
  REQUIRE(ParseGraphML(ToGraphML(empty), "empty", &back).ok());
  CHECK(back.num_nodes() == 0);
  CHECK(back.num_edges() == 0);
}

TEST_CASE("a graph with one isolated entity", "[query]") {
  Graph g;
  EntityNode n;
  n.name = "Tuvalu";
  n.type = "country";
  g.AddVertex(n);
  GraphQuery q(g);
  const Vertex t = V(g, "Tuvalu");
  CHECK(q.Neighbors(t).empty());
  CHECK(q.Ego(t, 3).num_nodes() == 1);
  CHECK(q.Components().size() == 1);
  CHECK(q.Stats().isolates == 1);
  CHECK(q.Stats().density == 0);
  CHECK(q.Top(NodeMeasure::kBetweenness, 5).size() == 1);  // no edges: nothing to compute
}

// ---------------------------------------------------------------------------------------------
// GraphML

TEST_CASE("GraphML round trip keeps nodes, edges and attributes", "[query][graphml]") {
  Graph original = BuildGraph();
  // Metrics and dates, so every written key carries something.
  Network& on = original.mutable_network();
  for (auto v : boost::make_iterator_range(boost::vertices(on))) {
    on[v].pagerank = 0.01 * static_cast<double>(v + 1);
    on[v].betweenness = 2.5 * static_cast<double>(v);
    on[v].component = static_cast<std::int64_t>(v % 3);
    on[v].community = static_cast<std::int64_t>(v % 2);
    on[v].first_seen = "2024-01-0" + std::to_string(1 + v % 9);
    on[v].last_seen = "2024-02-0" + std::to_string(1 + v % 9);
  }
  for (auto e : boost::make_iterator_range(boost::edges(on))) {
    on[e].detail.mutable_get().first_seen = "2024-03-01";
    on[e].detail.mutable_get().last_seen = "2024-03-02";
  }
  const fs::path path = TempDir("roundtrip") / "g.graphml";
  std::ofstream(path) << ToGraphML(original);

  Graph back;
  REQUIRE(ReadGraphML(path.string(), &back).ok());
  const Network& a = original.network();
  const Network& b = back.network();
  REQUIRE(back.num_nodes() == original.num_nodes());
  REQUIRE(back.num_edges() == original.num_edges());
  for (auto v : boost::make_iterator_range(boost::vertices(a))) {
    const EntityNode& x = a[v];
    const EntityNode& y = b[V(back, x.name.c_str())];
    INFO(x.name);
    CHECK(y.type == x.type);
    CHECK(y.frequency == x.frequency);
    CHECK(y.documents == x.documents);
    CHECK(y.units == x.units);
    CHECK(y.aliases == x.aliases);
    CHECK(y.first_seen == x.first_seen);
    CHECK(y.last_seen == x.last_seen);
    CHECK(y.degree == Approx(x.degree));
    CHECK(y.weighted_degree == Approx(x.weighted_degree));
    CHECK(y.pagerank == Approx(x.pagerank));
    CHECK(y.betweenness == Approx(x.betweenness));
    CHECK(y.component == x.component);
    CHECK(y.community == x.community);
  }
  CHECK(back.documents == original.documents);
  CHECK(back.units == original.units);
  CHECK(back.mentions == original.mentions);
  CHECK(back.bytes == original.bytes);
  CHECK(back.scope == original.scope);
  CHECK(back.weight_measure == original.weight_measure);
  GraphQuery qb(back);
  for (auto e : boost::make_iterator_range(boost::edges(a))) {
    const Relation& x = a[e];
    const auto f = qb.EdgeBetween(V(back, a[boost::source(e, a)].name.c_str()),
                                  V(back, a[boost::target(e, a)].name.c_str()));
    REQUIRE(f.has_value());
    const Relation& y = b[*f];
    CHECK(y.weight == Approx(x.weight).epsilon(1e-5));
    CHECK(y.count == x.count);
    CHECK(y.documents == x.documents);
    // The measures follow from the counts and the corpus totals the file keeps, exactly, so
    // the edge read back holds none of its own.
    const EdgeMeasures mx = original.measures(e), my = back.measures(*f);
    CHECK_FALSE(y.given.has_value());
    CHECK(my.association == mx.association);
    CHECK(my.pmi == mx.pmi);
    CHECK(my.npmi == mx.npmi);
    CHECK(my.jaccard == mx.jaccard);
    CHECK(my.cosine == mx.cosine);
    CHECK(my.g2 == mx.g2);
    CHECK(y.first_seen() == x.first_seen());
    CHECK(y.last_seen() == x.last_seen());
    REQUIRE(y.evidence().size() == x.evidence().size());
    for (std::size_t i = 0; i < x.evidence().size(); ++i) {
      CHECK(y.evidence()[i].doc == x.evidence()[i].doc);
      CHECK(y.evidence()[i].begin == x.evidence()[i].begin);
      CHECK(y.evidence()[i].end == x.evidence()[i].end);
      CHECK(y.evidence()[i].text == x.evidence()[i].text);
    }
  }
  // Written again, the file is byte-identical.
  CHECK(ToGraphML(back) == ToGraphML(original));

  GraphMLReadOptions lean;
  lean.evidence = false;
  Graph no_evidence;
  REQUIRE(ReadGraphML(path.string(), &no_evidence, lean).ok());
  for (auto e : boost::make_iterator_range(boost::edges(no_evidence.network())))
    CHECK(no_evidence.network()[e].evidence().empty());
}

TEST_CASE("GraphML from other tools: keys by attr.name, defaults, entities, CDATA", "[query][graphml]") {
  const std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand, in the style of networkx and yEd -->
<!DOCTYPE graphml [ <!ENTITY unused "x"> ]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <key id="d1" for="node" attr.name="Type" attr.type="string"><default>person</default></key>
  <key id="d2" for="edge" attr.name="weight" attr.type="double"/>
  <key id="d3" for="node" yfiles.type="nodegraphics"/>
  <key id="d4" for="all" attr.name="note" attr.type="string"/>
  <graph id="G" edgedefault="directed">
    <desc>a test graph</desc>
    <edge source="late" target="a"/>
    <node id="a"><data key="d0">Ana &amp; Bo &lt;3 &#233;&#xE9;</data><data key="d4">x</data></node>
    <node id="b"><data key="d0"><![CDATA[Cy <Dee>]]></data><data key="d1">country</data>
      <data key="d3"><y:ShapeNode><y:NodeLabel>ignored</y:NodeLabel><y:Fill color="#fff"/></y:ShapeNode></data>
    </node>
    <node id="c"/>
    <node id="late"><data key="d0">Late Node</data></node>
    <edge id="e1" source="a" target="b"><data key="d2">2.5</data></edge>
    <edge source='b' target='c'>
    </edge>
  </graph>
</graphml>
)";
  Graph g;
  REQUIRE(ParseGraphML(text, "hand.graphml", &g).ok());
  CHECK(g.num_nodes() == 4);
  CHECK(g.num_edges() == 3);
  const Network& n = g.network();
  const Vertex a = V(g, "Ana & Bo <3 éé");
  const Vertex b = V(g, "Cy <Dee>");
  const Vertex c = V(g, "c");  // no label: the id
  const Vertex late = V(g, "Late Node");
  CHECK(n[a].type == "person");  // the key's default
  CHECK(n[b].type == "country");
  CHECK(n[c].type == "person");
  GraphQuery q(g);
  REQUIRE(q.EdgeBetween(a, b).has_value());
  CHECK(n[*q.EdgeBetween(a, b)].weight == 2.5);
  CHECK(n[*q.EdgeBetween(b, c)].weight == 1.0);  // no weight: 1
  CHECK(q.EdgeBetween(late, a).has_value());
  // Degrees are computed when the file has none.
  CHECK(n[b].degree == 2);
  CHECK(n[b].weighted_degree == 3.5);
}

TEST_CASE("GraphML edge measures: derived from the corpus totals, kept where a file gives others",
          "[query][graphml]") {
  // Two entities seen in 4 and 3 of 8 units, together in 2: PMI log(2 * 8 / 12).
  auto file = [](const std::string& desc, const std::string& pmi) {
    return R"(<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="units" for="node" attr.name="units" attr.type="long"/>
  <key id="count" for="edge" attr.name="count" attr.type="long"/>
  <key id="pmi" for="edge" attr.name="pmi" attr.type="double"/>
  <graph id="G" edgedefault="undirected">
    )" + desc + R"(
    <node id="a"><data key="label">Alpha</data><data key="units">4</data></node>
    <node id="b"><data key="label">Beta</data><data key="units">3</data></node>
    <edge source="a" target="b"><data key="count">2</data><data key="pmi">)" + pmi +
           R"(</data></edge>
  </graph>
</graphml>
)";
  };
  const std::string totals =
      "<desc>newsgraph: documents 3; units 8; mentions 9; bytes 120; scope paragraph; weight npmi</desc>";
  auto edge_of = [](const Graph& g) { return *boost::edges(g.network()).first; };

  SECTION("newsgraph's own file: the totals are read, the measures follow from them") {
    Graph g;
    REQUIRE(ParseGraphML(file(totals, "0.287682"), "own.graphml", &g).ok());
    CHECK(g.documents == 3);
    CHECK(g.units == 8);
    CHECK(g.mentions == 9);
    CHECK(g.bytes == 120);
    CHECK(g.scope == "paragraph");
    CHECK(g.weight_measure == WeightMeasure::kNpmi);
    const Edge e = edge_of(g);
    CHECK_FALSE(g.network()[e].given.has_value());
    CHECK(g.measures(e).pmi == std::log(16.0 / 12));  // exact, not the file's six digits
    CHECK(g.measures(e).jaccard == Approx(2.0 / 5));  // not in the file, but derivable
    CHECK(EdgeValue(g, e, EdgeMeasure::kPmi) == g.measures(e).pmi);
  }
  SECTION("a file without the totals (another tool's, or an older newsgraph's) keeps its values") {
    Graph g;
    REQUIRE(ParseGraphML(file("<desc>a graph</desc>", "0.287682"), "old.graphml", &g).ok());
    CHECK(g.units == 0);
    const Edge e = edge_of(g);
    REQUIRE(g.network()[e].given.has_value());
    CHECK(g.measures(e).pmi == 0.287682);
    CHECK(g.measures(e).jaccard == 0);  // not given: none, as before
    CHECK(EdgeValue(g, e, EdgeMeasure::kPmi) == 0.287682);
    // Written again, the given value is what the file says.
    CHECK(ToGraphML(g).find("<data key=\"pmi\">0.287682</data>") != std::string::npos);
  }
  SECTION("a value that disagrees with the totals is kept as given") {
    Graph g;
    REQUIRE(ParseGraphML(file(totals, "0.5"), "edited.graphml", &g).ok());
    const Edge e = edge_of(g);
    REQUIRE(g.network()[e].given.has_value());
    CHECK(g.measures(e).pmi == 0.5);
  }
  SECTION("the exact value, written with all its digits, is derivable too") {
    char exact[40];
    std::snprintf(exact, sizeof exact, "%.17g", std::log(16.0 / 12));
    Graph g;
    REQUIRE(ParseGraphML(file(totals, exact), "exact.graphml", &g).ok());
    CHECK_FALSE(g.network()[edge_of(g)].given.has_value());
  }
  SECTION("a last digit edited by hand is kept") {
    Graph g;
    REQUIRE(ParseGraphML(file(totals, "0.287683"), "edited.graphml", &g).ok());
    const Edge e = edge_of(g);
    REQUIRE(g.network()[e].given.has_value());
    CHECK(g.measures(e).pmi == 0.287683);
  }
  SECTION("a malformed description is a description: nothing is read from it") {
    Graph g;
    REQUIRE(ParseGraphML(file("<desc>newsgraph: units many; scope</desc>", "0.287682"),
                         "odd.graphml", &g).ok());
    CHECK(g.units == 0);
    CHECK(g.scope == "sentence");
    CHECK(g.network()[edge_of(g)].given.has_value());
  }
}

TEST_CASE("GraphML with a `name` attribute and shared labels", "[query][graphml]") {
  const std::string text = R"(<graphml>
  <key id="v_name" for="node" attr.name="name" attr.type="string"/>
  <key id="w" for="edge" attr.name="weight" attr.type="double"><default>4</default></key>
  <graph edgedefault="undirected">
    <node id="1"><data key="v_name">Paris</data></node>
    <node id="2"><data key="v_name">Paris</data></node>
    <node id="3"><data key="v_name">Texas</data></node>
    <edge source="2" target="3"/>
  </graph>
</graphml>)";
  Graph g;
  REQUIRE(ParseGraphML(text, "igraph.graphml", &g).ok());
  CHECK(g.num_nodes() == 3);
  CHECK(g.FindVertex("Paris [1]").has_value());
  CHECK(g.FindVertex("Paris [2]").has_value());
  GraphQuery q(g);
  const Lookup l = q.Find("Paris");
  CHECK(l.ambiguous());
  CHECK(l.candidates.size() == 2);
  const auto e = q.EdgeBetween(V(g, "Paris [2]"), V(g, "Texas"));
  REQUIRE(e.has_value());
  CHECK(g.network()[*e].weight == 4);
}

TEST_CASE("malformed GraphML is rejected with file and line", "[query][graphml]") {
  const std::pair<const char*, const char*> cases[] = {
      {"<graphml>\n<graph>\n<node id=\"a\">\n</graph>\n</graphml>\n", "t.graphml:4:"},
      {"<graphml>\n<graph>\n<node id=\"a\"/>\n", "t.graphml:4: malformed GraphML: unexpected end of file"},
      {"<html><body/></html>", "not <graphml>"},
      {"", "no <graphml> element"},
      {"<graphml><graph>\n<node/>\n</graph></graphml>", "t.graphml:2:"},
      {"<graphml><graph>\n\n<edge source=\"a\"/></graph></graphml>", "t.graphml:3:"},
      {"<graphml><key id=\"k\" for=\"node\" attr.name=\"label\"/><graph>\n<node id=\"a\"><data key=\"k\">a &bogus; b</data></node></graph></graphml>",
       "unknown entity &bogus;"},
      {"<graphml><key id=\"k\" for=\"node\" attr.name=\"frequency\"/><graph>\n<node id=\"a\"><data key=\"k\">many</data></node></graph></graphml>",
       "t.graphml:2: malformed GraphML: expected a non-negative integer"},
      {"<graphml><key id=\"w\" for=\"edge\" attr.name=\"weight\"/><graph><node id=\"a\"/>\n<edge source=\"a\" target=\"a\"><data key=\"w\">heavy</data></edge></graph></graphml>",
       "t.graphml:2: malformed GraphML: expected a number"},
      {"<graphml><graph><node id=\"a\"/>\n<node id=\"a\"/></graph></graphml>", "duplicate node id"},
      {"<graphml><graph><node id=\"a\" label=oops/></graph></graphml>", "quoted value"},
      {"<graphml><graph><node id=\"a\"><data key=\"k\">&#0;</data></node></graph></graphml>", "invalid character reference"},
      {"<graphml><graph></graphml>", "expected </graph>, found </graphml>"},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    Graph g;
    EntityNode old;
    old.name = "previous";
    g.AddVertex(old);
    const Status s = ParseGraphML(text, "t.graphml", &g);
    CHECK(s.code() == StatusCode::kInvalidInput);
    CHECK(s.message().find(expected) != std::string::npos);
    CHECK(s.message().find("t.graphml") == 0);
    CHECK(g.num_nodes() == 0);  // left empty, not half-read
    CHECK_FALSE(g.FindVertex("previous").has_value());
  }

  Graph g;
  const Status missing = ReadGraphML("/nonexistent/dir/g.graphml", &g);
  CHECK(missing.code() == StatusCode::kIoError);
  CHECK(missing.message().find("/nonexistent/dir/g.graphml") != std::string::npos);

  // A truncated copy of a real file.
  const std::string full = ToGraphML(TestGraph());
  const fs::path cut = TempDir("truncated") / "cut.graphml";
  std::ofstream(cut) << full.substr(0, full.size() / 2);
  const Status s = ReadGraphML(cut.string(), &g);
  CHECK(s.code() == StatusCode::kInvalidInput);
  CHECK(s.message().find(cut.string() + ":") == 0);
}

// ---------------------------------------------------------------------------------------------
// The command line

TEST_CASE("newsgraph query neighbors: table and JSON", "[query][cli]") {
  const std::string graph = GraphFile();
  Run r = Cli("query " + graph + " neighbors germany --by count --top 2");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Neighbours of Germany (country)") != std::string::npos);
  CHECK(r.out.find("#  entity         type     count  documents\n") != std::string::npos);
  CHECK(r.out.find("1  France         country      3          1\n") != std::string::npos);

  r = Cli("query " + graph + " neighbors Germany --type person --json");
  REQUIRE(r.status == 0);
  const auto doc = ParseJson(r.out);
  CHECK(std::string(doc["entity"]["name"].GetString()) == "Germany");
  CHECK(std::string(doc["by"].GetString()) == "weight");
  const auto& list = doc["neighbors"];
  REQUIRE(list.Size() >= 1);
  for (const auto& n : list.GetArray()) {
    CHECK(std::string(n["type"].GetString()) == "person");
    CHECK(n.HasMember("rank"));
    CHECK(n.HasMember("value"));
    CHECK(n.HasMember("count"));
    CHECK(n.HasMember("documents"));
  }
}

TEST_CASE("newsgraph query: unknown and ambiguous entities exit 1", "[query][cli]") {
  const std::string graph = GraphFile();
  Run r = Cli("query " + graph + " neighbors 'Olaf Sholz'");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("did you mean \"Olaf Scholz\"") != std::string::npos);

  r = Cli("query " + graph + " path Johnson Germany");
  CHECK(r.status == 1);
  CHECK(r.err.find("ambiguous") != std::string::npos);
  CHECK(r.err.find("Lyndon Johnson") != std::string::npos);

  r = Cli("query " + graph + " neighbors Germany --by strength");
  CHECK(r.status == 1);
  CHECK(r.err.find("invalid edge measure") != std::string::npos);

  r = Cli("query /nonexistent.graphml stats");
  CHECK(r.status == 1);
  CHECK(r.err.find("/nonexistent.graphml") != std::string::npos);
}

TEST_CASE("newsgraph query path, top, evidence, stats, find", "[query][cli]") {
  const std::string graph = GraphFile();
  Run r = Cli("query " + graph + " path Germany Ukraine --strongest --by count");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Strongest path from Germany to Ukraine: 2 hops, strength 1") != std::string::npos);
  CHECK(r.out.find("   1  France   country      3") != std::string::npos);

  r = Cli("query " + graph + " path Germany Iceland --json");
  REQUIRE(r.status == 0);
  auto doc = ParseJson(r.out);
  CHECK_FALSE(doc["found"].GetBool());
  CHECK(doc["path"].Size() == 0);
  r = Cli("query " + graph + " path Germany Iceland");
  CHECK(r.out.find("No path between Germany and Iceland") != std::string::npos);

  r = Cli("query " + graph + " top --by weighted -n 2 --json");
  REQUIRE(r.status == 0);
  doc = ParseJson(r.out);
  CHECK(std::string(doc["by"].GetString()) == "weighted_degree");
  REQUIRE(doc["entities"].Size() == 2);
  CHECK(std::string(doc["entities"][0]["name"].GetString()) == "France");
  CHECK(doc["entities"][0]["rank"].GetInt() == 1);

  r = Cli("query " + graph + " top --by pagerank --type country -n 3");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("#  entity") == 0);
  CHECK(r.out.find("pagerank") != std::string::npos);
  CHECK(r.out.find("person") == std::string::npos);

  r = Cli("query " + graph + " evidence Germany France");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Germany — France: 3 co-occurrences in 1 document") != std::string::npos);
  CHECK(r.out.find("Germany thanked France.") != std::string::npos);
  r = Cli("query " + graph + " evidence Iceland Germany --json");
  REQUIRE(r.status == 0);
  doc = ParseJson(r.out);
  CHECK_FALSE(doc["related"].GetBool());
  r = Cli("query " + graph + " --json evidence Germany France");
  REQUIRE(r.status == 0);
  doc = ParseJson(r.out);
  CHECK(doc["related"].GetBool());
  CHECK(doc["count"].GetInt() == 3);
  CHECK(doc["evidence"].Size() == 3);
  CHECK(std::string(doc["evidence"][0]["doc"].GetString()).find("d.txt") != std::string::npos);

  r = Cli("query " + graph + " stats --json");
  REQUIRE(r.status == 0);
  doc = ParseJson(r.out);
  CHECK(doc["nodes"].GetUint64() == TestGraph().num_nodes());
  CHECK(doc["edges"].GetUint64() == TestGraph().num_edges());
  CHECK(doc["nodes_per_type"]["person"].GetInt() == 5);
  CHECK(doc.HasMember("density"));
  CHECK(doc.HasMember("components"));
  r = Cli("query " + graph + " stats");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("components") != std::string::npos);
  CHECK(r.out.find("person") != std::string::npos);

  r = Cli("query " + graph + " find 'boris jonson'");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("1  Boris Johnson") != std::string::npos);
  r = Cli("query " + graph + " find johnson --json");
  REQUIRE(r.status == 0);
  doc = ParseJson(r.out);
  REQUIRE(doc["matches"].Size() >= 2);
  CHECK(doc["matches"][0]["score"].GetDouble() == 1.0);
  CHECK(std::string(doc["matches"][0]["matched"].GetString()) == "Johnson");
  r = Cli("query " + graph + " find qqqqqqqq");
  CHECK(r.status == 1);
}

TEST_CASE("newsgraph query ego writes any format; text inputs are built first", "[query][cli]") {
  const std::string graph = GraphFile();
  const fs::path dir = TempDir("cli_ego");
  Run r = Cli("query " + graph + " ego Iceland -o " + (dir / "ego.graphml").string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("3 entities, 3 relations") != std::string::npos);
  Graph ego;
  REQUIRE(ReadGraphML((dir / "ego.graphml").string(), &ego).ok());
  CHECK(ego.num_nodes() == 3);

  r = Cli("query " + graph + " ego Germany --depth 2 -o " + (dir / "ego.dot").string() + " --json");
  REQUIRE(r.status == 0);
  const auto doc = ParseJson(r.out);
  CHECK(doc["depth"].GetInt() == 2);
  CHECK(fs::exists(dir / "ego.dot"));

  r = Cli("query " + graph + " ego Germany -o " + (dir / "ego.xyz").string());
  CHECK(r.status == 1);
  CHECK(r.err.find("unknown output format") != std::string::npos);

  // The corpus itself, built in-process: same answers as the saved graph.
  static const fs::path corpus = WriteCorpus();
  r = Cli("query " + corpus.string() + " neighbors germany --by count --top 2");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("1  France         country      3          1\n") != std::string::npos);
  r = Cli("query " + corpus.string() + " " + graph + " stats");
  CHECK(r.status == 1);
}

TEST_CASE("EvidenceList holds passages like a vector, with value semantics", "[query]") {
  auto passage = [](int i) {
    return Evidence{"doc" + std::to_string(i), static_cast<std::uint32_t>(i),
                    static_cast<std::uint32_t>(i + 3), "Passage " + std::to_string(i) + "."};
  };
  EvidenceList list;
  CHECK(list.empty());
  CHECK(list.begin() == list.end());
  for (int i = 0; i < 40; ++i) {
    list.push_back(passage(i));
    REQUIRE(list.size() == static_cast<std::size_t>(i + 1));
    for (int j = 0; j <= i; ++j) {  // growing moved every earlier passage intact
      CHECK(list[j].doc == "doc" + std::to_string(j));
      CHECK(list[j].text == "Passage " + std::to_string(j) + ".");
      CHECK(list[j].begin == static_cast<std::uint32_t>(j));
    }
  }
  CHECK(list.back().end == 42);

  EvidenceList copy = list;
  CHECK(copy == list);
  copy[5].text = "Changed.";
  CHECK(copy != list);
  CHECK(list[5].text == "Passage 5.");
  copy = list;
  CHECK(copy == list);
  copy = copy;  // self-assignment keeps the value
  CHECK(copy == list);
  EvidenceList moved = std::move(copy);
  CHECK(moved == list);
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from list is empty
  copy.push_back(passage(1));  // and usable
  CHECK(copy.size() == 1);

  std::vector<Evidence> source{passage(7), passage(8), passage(9)};
  const EvidenceList from_vector(std::move(source));
  CHECK(from_vector == EvidenceList{passage(7), passage(8), passage(9)});
  CHECK(from_vector != EvidenceList{passage(7), passage(8)});
  CHECK(from_vector != EvidenceList{passage(7), passage(8), passage(10)});
  std::size_t n = 0;
  for (const Evidence& e : from_vector) CHECK(e.begin == 7 + n++);
  CHECK(n == 3);

  list.clear();
  CHECK(list.empty());
  list.reserve(2);  // never shrinks, still usable
  list.push_back(passage(3));
  CHECK(list[0].doc == "doc3");
}

TEST_CASE("SharedEvidence shares one record among copies and copies it before a write",
          "[query]") {
  const SharedEvidence a(Evidence{"doc1", 3, 9, "A passage."});
  SharedEvidence b = a;
  CHECK(b.same(a));
  CHECK(&b.get() == &a.get());
  CHECK(b->text == "A passage.");
  b.mutable_get().text = "Another.";  // shared: copied first
  CHECK_FALSE(b.same(a));
  CHECK(a->text == "A passage.");
  CHECK(b->text == "Another.");
  const Evidence* held = &b.get();
  b.mutable_get().begin = 4;  // held alone: written in place
  CHECK(&b.get() == held);
  CHECK(b->begin == 4);
  const SharedEvidence none;
  CHECK(none.empty());
  CHECK(none->text.empty());

  // A list of them: copies share the records, and a write copies the one record written.
  EvidenceList one{Evidence{"doc1", 0, 5, "One."}};
  STATIC_REQUIRE(sizeof(EvidenceList) <= 2 * sizeof(void*));
  EvidenceList list{Evidence{"doc1", 0, 5, "One."}, Evidence{"doc2", 5, 9, "Two."}};
  EvidenceList copy = list;
  CHECK(copy.shared(0).same(list.shared(0)));
  CHECK(copy.shared(1).same(list.shared(1)));
  copy[1].text = "Second.";
  CHECK(copy.shared(0).same(list.shared(0)));
  CHECK_FALSE(copy.shared(1).same(list.shared(1)));
  CHECK(list[1].text == "Two.");
  CHECK(one[0] == list[0]);
  CHECK(EvidenceList{one[0]} == EvidenceList{list[0]});  // equal values, separate records
  EvidenceList grown = one;  // from one record held in place to a block
  grown.push_back(list.shared(1));
  CHECK(grown.size() == 2);
  CHECK(grown.shared(1).same(list.shared(1)));
  CHECK(grown[0].text == "One.");
  CHECK(one.size() == 1);
}

TEST_CASE("EvidencePool gives one record per passage of the same shared strings", "[query]") {
  SharedStringPool strings;
  EvidencePool pool;
  const SharedString doc = strings.Get("doc7"), text = strings.Get("Ann met Bob in Oslo.");
  const SharedEvidence first = pool.Get({doc, 10, 30, text});
  CHECK(pool.Get({strings.Get("doc7"), 10, 30, strings.Get("Ann met Bob in Oslo.")}).same(first));
  CHECK_FALSE(pool.Get({doc, 10, 31, text}).same(first));  // another span
  CHECK_FALSE(pool.Get({strings.Get("doc8"), 10, 30, text}).same(first));
  // The same text in a buffer of its own: a record of its own, equal in value.
  const SharedEvidence apart = pool.Get({doc, 10, 30, SharedString("Ann met Bob in Oslo.")});
  CHECK_FALSE(apart.same(first));
  CHECK(*apart == *first);
  CHECK(pool.size() == 4);
  // Thousands of passages: every one found again after the table grew.
  std::vector<SharedString> texts;
  std::vector<SharedEvidence> made;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    texts.push_back(strings.Get("Passage " + std::to_string(i) + "."));
    made.push_back(pool.Get({doc, i, i + 1, texts.back()}));
  }
  for (std::uint32_t i = 0; i < 3000; ++i) {
    REQUIRE(pool.Get({doc, i, i + 1, texts[i]}).same(made[i]));
  }
  CHECK(pool.size() == 3004);
}

TEST_CASE("the edges quoting one passage share its record, built or read from GraphML",
          "[query][graphml]") {
  const fs::path dir = TempDir("shared_passage");
  std::ofstream(dir / "s.txt") << "France, Germany and Ukraine signed a pact in Paris.\n";
  Pipeline pipeline(PipelineOptions{});
  REQUIRE(pipeline.status().ok());
  PartialGraph partial;
  REQUIRE(pipeline.Build({dir.string()}, &partial).ok());
  auto check = [](const Graph& graph) {
    const Network& g = graph.network();
    REQUIRE(boost::num_edges(g) >= 3);  // among at least three of the four places
    const Relation& first = g[*boost::edges(g).first];
    REQUIRE(first.evidence().size() == 1);
    CHECK(first.evidence()[0].text == "France, Germany and Ukraine signed a pact in Paris.");
    for (auto e : boost::make_iterator_range(boost::edges(g))) {
      REQUIRE(g[e].evidence().size() == 1);
      CHECK(g[e].evidence().shared(0).same(first.evidence().shared(0)));
    }
  };
  const Graph copied = Graph::FromPartial(partial);
  check(copied);
  std::ostringstream graphml;
  REQUIRE(WriteGraphML(copied, graphml).ok());
  Graph read;
  REQUIRE(ParseGraphML(graphml.str(), "shared.graphml", &read).ok());
  check(read);
  check(Graph::FromPartial(std::move(partial)));
}

TEST_CASE("Relation keeps dates, periods and evidence out of line, copied by value", "[query]") {
  // A million edges of a lean GraphML must cost numbers, not empty strings and maps, and not
  // the measures their counts give: counts, weight and two pointers, so that Boost's edge-list
  // node (two links, two ends and the Relation) takes an 80-byte malloc block, not 128.
  STATIC_REQUIRE(sizeof(Relation) <= 5 * sizeof(double));
  // An edge with evidence but no time slices: two dates, a pointer and the passages' list
  // (40 bytes: malloc gives it a 48-byte block, where 48 bytes took a 64-byte one); a list
  // of one passage holds its record in place.
  STATIC_REQUIRE(sizeof(EvidenceList) <= 2 * sizeof(void*));
  STATIC_REQUIRE(sizeof(RelationDetail) <= 5 * sizeof(void*));
  Relation a;
  a.count = 4;
  CHECK_FALSE(a.detail.has_value());
  CHECK(a.evidence().empty());
  CHECK(a.first_seen().empty());
  CHECK_FALSE(a.detail.has_value());  // reading does not allocate
  a.detail.mutable_get().evidence.push_back({"d1", 0, 5, "Oslo."});
  a.detail.mutable_get().first_seen = "2024-05-01";
  Relation b = a;
  b.detail.mutable_get().evidence[0].text = "Bergen.";
  CHECK(a.evidence()[0].text == "Oslo.");
  CHECK(b.evidence()[0].text == "Bergen.");
  CHECK(b.first_seen() == "2024-05-01");
  CHECK(b.count == 4);
  CHECK(b.periods().empty());
  CHECK_FALSE(b.detail.get().periods.has_value());
  b.detail.mutable_get().periods.mutable_get()["2024-05"] = 2;
  CHECK(a.periods().empty());
  CHECK(b.periods().at("2024-05") == 2);
  Relation c;
  c = b;
  c = c;  // self-assignment keeps the value
  CHECK(c.evidence()[0].text == "Bergen.");
  Relation d = std::move(c);
  CHECK(d.evidence().size() == 1);
  CHECK(d.periods().at("2024-05") == 2);
}
