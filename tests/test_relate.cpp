#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "newsgraph/graph.hpp"
#include "newsgraph/relate.hpp"

using namespace newsgraph;

namespace {

// A document with hand-placed mentions: three sentences.
//   s0: Ann Bo      s1: Ann Cy      s2: Bo
struct Fixture {
  Document doc;
  Segmentation seg;
  std::vector<Mention> mentions;
  Fixture() {
    doc.id = "d1";
    doc.text = "Ann and Bo. Ann or Cy. Bo alone.";
    doc.date = "2024-03-05";
    SentenceSplitter splitter;
    seg = splitter.Segment(doc.text);
    auto add = [&](std::uint32_t begin, std::uint32_t sentence, const char* name) {
      Mention m;
      m.begin = begin; m.end = begin + static_cast<std::uint32_t>(std::strlen(name)); m.sentence = sentence; m.type = "country"; m.entity = name;
      mentions.push_back(m);
    };
    add(0, 0, "Ann"); add(8, 0, "Bo"); add(12, 1, "Ann"); add(19, 1, "Cy"); add(23, 2, "Bo");
  }
};

}  // namespace

TEST_CASE("scopes parse and print", "[relate]") {
  Scope s;
  REQUIRE(ParseScope("window:3", &s).ok());
  CHECK(s.kind == ScopeKind::kWindow);
  CHECK(ScopeName(s) == "window:3");
  CHECK_FALSE(ParseScope("window:0", &s).ok());
  CHECK_FALSE(ParseScope("chapter", &s).ok());
}

TEST_CASE("sentence scope counts co-occurring sentences", "[relate]") {
  Fixture f;
  REQUIRE(f.seg.sentences.size() == 3);
  PartialGraph p;
  RelateOptions o;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  CHECK(p.units() == 3);
  CHECK(p.nodes().at("Ann").frequency == 2);
  CHECK(p.nodes().at("Ann").units == 2);
  CHECK(p.edges().at({"Ann", "Bo"}).count == 1);
  CHECK(p.edges().at({"Ann", "Cy"}).count == 1);
  CHECK(p.edges().count({"Bo", "Cy"}) == 0);
  CHECK(p.edges().at({"Ann", "Bo"}).evidence.at(0).text == "Ann and Bo.");
  CHECK(p.edges().at({"Ann", "Bo"}).first_seen == "2024-03-05");
}

TEST_CASE("document scope links everything once", "[relate]") {
  Fixture f;
  PartialGraph p;
  RelateOptions o;
  o.scope.kind = ScopeKind::kDocument;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  CHECK(p.units() == 1);
  CHECK(p.edges().at({"Bo", "Cy"}).count == 1);
  CHECK(p.edges().at({"Ann", "Bo"}).count == 1);
}

TEST_CASE("window scope slides over sentences", "[relate]") {
  Fixture f;
  PartialGraph p;
  RelateOptions o;
  o.scope = {ScopeKind::kWindow, 2};
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  CHECK(p.units() == 2);                          // windows {s0,s1} and {s1,s2}
  CHECK(p.edges().at({"Ann", "Bo"}).count == 2);     // both windows
  CHECK(p.edges().at({"Bo", "Cy"}).count == 2);
}

TEST_CASE("merging partial graphs is order-independent", "[relate]") {
  Fixture f;
  RelateOptions o;
  PartialGraph one, two, ab, ba;
  Document other = f.doc;
  other.id = "d0";
  other.date = "2023-01-01";
  one.AddDocument(f.doc, f.seg, f.mentions, o);
  two.AddDocument(other, f.seg, f.mentions, o);
  ab.Merge(one, o); ab.Merge(two, o);
  ba.Merge(two, o); ba.Merge(one, o);
  const auto& e1 = ab.edges().at({"Ann", "Bo"});
  const auto& e2 = ba.edges().at({"Ann", "Bo"});
  CHECK(e1.count == 2);
  CHECK(e1.count == e2.count);
  CHECK(e1.first_seen == "2023-01-01");
  CHECK(e1.last_seen == "2024-03-05");
  REQUIRE(e1.evidence.size() == e2.evidence.size());
  CHECK(e1.evidence.front().doc == "d0");
  CHECK(e2.evidence.front().doc == "d0");
}

TEST_CASE("edge measures match hand computation", "[relate][measures]") {
  // c=2 units together, w_i=4, w_j=5, n=20.
  const EdgeMeasures m = ComputeEdgeMeasures(2, 4, 5, 20);
  CHECK(m.association == Approx(0.1));                    // 2 / 20
  CHECK(m.pmi == Approx(std::log(2.0)));                  // log(2*20/20)
  CHECK(m.npmi == Approx(std::log(2.0) / std::log(10.0)));  // pmi / -log(2/20)
  CHECK(m.jaccard == Approx(2.0 / 7.0));
  CHECK(m.cosine == Approx(2.0 / std::sqrt(20.0)));
  // G2 over the table [[2,2],[3,13]] with expectations [[1,3],[4,12]].
  const double g2 = 2 * (2 * std::log(2.0) + 2 * std::log(2.0 / 3) + 3 * std::log(3.0 / 4) +
                         13 * std::log(13.0 / 12));
  CHECK(m.g2 == Approx(g2));
}

TEST_CASE("the graph keeps a name index and prunes by frequency", "[graph]") {
  Fixture f;
  PartialGraph p;
  RelateOptions o;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  GraphOptions go;
  Graph g = Graph::FromPartial(p, go);
  CHECK(g.num_nodes() == 3);
  CHECK(g.num_edges() == 2);
  REQUIRE(g.FindVertex("Ann"));
  CHECK(g.network()[*g.FindVertex("Ann")].degree == 2);
  go.min_frequency = 2;
  Graph pruned = Graph::FromPartial(p, go);
  CHECK(pruned.num_nodes() == 2);  // C has one mention
  CHECK_FALSE(pruned.FindVertex("Cy"));
}

namespace {

// Two documents of four sentences, mentions placed by hand:
//   d1: {Ann, Bo} {Ann, Bo} {Cy} {Dee}        d2: {Ann, Cy} {Bo} {} {Ann}
// N = 8 sentences; Ann is in 4, Bo in 3, Cy in 2, Dee in 1; Ann-Bo share 2, Ann-Cy 1.
PartialGraph MeasureCorpus() {
  struct Text { const char* id; const char* text; std::vector<std::pair<const char*, int>> names; };
  const Text texts[] = {
      {"d1", "Ann met Bo in Rome. Ann saw Bo again. Cy slept. Dee ran home.",
       {{"Ann", 0}, {"Bo", 0}, {"Ann", 1}, {"Bo", 1}, {"Cy", 2}, {"Dee", 3}}},
      {"d2", "Ann called Cy. Bo rested. Nobody came. Ann waited.",
       {{"Ann", 0}, {"Cy", 0}, {"Bo", 1}, {"Ann", 3}}}};
  PartialGraph p;
  RelateOptions o;
  SentenceSplitter splitter;
  for (const Text& t : texts) {
    Document doc;
    doc.id = t.id;
    doc.text = t.text;
    Segmentation seg = splitter.Segment(doc.text);
    REQUIRE(seg.sentences.size() == 4);
    std::vector<Mention> mentions;
    for (const auto& [name, sentence] : t.names) {
      const auto& s = seg.sentences[sentence];
      const std::size_t at = doc.text.find(name, s.begin);
      REQUIRE(at < s.end);
      Mention m;
      m.begin = static_cast<std::uint32_t>(at);
      m.end = m.begin + static_cast<std::uint32_t>(std::strlen(name));
      m.sentence = static_cast<std::uint32_t>(sentence);
      m.type = "person";
      m.entity = name;
      mentions.push_back(m);
    }
    p.AddDocument(doc, seg, mentions, o);
  }
  return p;
}

const Relation& EdgeBetween(const Graph& g, const char* a, const char* b) {
  auto [e, found] = boost::edge(*g.FindVertex(a), *g.FindVertex(b), g.network());
  REQUIRE(found);
  return g.network()[e];
}

}  // namespace

TEST_CASE("each weight measure matches hand computation on a small corpus", "[relate][measures]") {
  const PartialGraph p = MeasureCorpus();
  REQUIRE(p.units() == 8);
  REQUIRE(p.nodes().at("Ann").units == 4);
  REQUIRE(p.nodes().at("Bo").units == 3);
  REQUIRE(p.nodes().at("Cy").units == 2);
  REQUIRE(p.edges().at({"Ann", "Bo"}).count == 2);
  REQUIRE(p.edges().at({"Ann", "Cy"}).count == 1);
  REQUIRE(p.edges().size() == 2);

  // Ann-Bo: c = 2, w = 4 and 3, N = 8. Contingency table [[2, 2], [1, 3]], expected
  // [[1.5, 2.5], [1.5, 2.5]].
  const double ab_g2 = 2 * (2 * std::log(2 / 1.5) + 2 * std::log(2 / 2.5) + 1 * std::log(1 / 1.5) +
                            3 * std::log(3 / 2.5));
  const double ab[] = {2, 2.0 / 12, std::log(4.0 / 3) / std::log(4.0), 2.0 / 5, 2 / std::sqrt(12.0), ab_g2};
  // Ann-Cy: c = 1, w = 4 and 2: observed equals expected, so PMI, NPMI and G2 are 0.
  const double ac[] = {1, 1.0 / 8, 0, 1.0 / 5, 1 / std::sqrt(8.0), 0};
  const WeightMeasure measures[] = {WeightMeasure::kCount, WeightMeasure::kAssociation,
                                    WeightMeasure::kNpmi,  WeightMeasure::kJaccard,
                                    WeightMeasure::kCosine, WeightMeasure::kG2};
  for (int k = 0; k < 6; ++k) {
    CAPTURE(WeightMeasureName(measures[k]));
    GraphOptions go;
    go.weight = measures[k];
    const Graph g = Graph::FromPartial(p, go);
    CHECK(EdgeBetween(g, "Ann", "Bo").weight == Approx(ab[k]).margin(1e-12));
    CHECK(EdgeBetween(g, "Ann", "Cy").weight == Approx(ac[k]).margin(1e-12));
    // Whatever is chosen, every measure is kept on the edge.
    const Relation& r = EdgeBetween(g, "Ann", "Bo");
    CHECK(r.count == 2);
    CHECK(r.documents == 1);
    CHECK(r.association == Approx(2.0 / 12));
    CHECK(r.pmi == Approx(std::log(4.0 / 3)));
    CHECK(r.npmi == Approx(ab[2]));
    CHECK(r.jaccard == Approx(0.4));
    CHECK(r.cosine == Approx(ab[4]));
    CHECK(r.g2 == Approx(ab_g2));
    std::string name = WeightMeasureName(measures[k]);
    WeightMeasure parsed;
    REQUIRE(ParseWeightMeasure(name, &parsed).ok());
    CHECK(parsed == measures[k]);
  }
  WeightMeasure m;
  CHECK_FALSE(ParseWeightMeasure("pagerank", &m).ok());
}

TEST_CASE("pruning by weight, count, type and top uses the measures", "[graph]") {
  const PartialGraph p = MeasureCorpus();
  GraphOptions go;
  go.weight = WeightMeasure::kNpmi;
  go.min_weight = 0.1;  // Ann-Cy has NPMI 0
  Graph g = Graph::FromPartial(p, go);
  CHECK(g.num_edges() == 1);
  go = {};
  go.min_count = 2;
  CHECK(Graph::FromPartial(p, go).num_edges() == 1);
  go = {};
  go.top = 2;  // Ann (4 mentions) and Bo (3)
  g = Graph::FromPartial(p, go);
  CHECK(g.num_nodes() == 2);
  CHECK(g.FindVertex("Bo"));
  go = {};
  go.keep_isolates = false;
  CHECK(Graph::FromPartial(p, go).num_nodes() == 3);  // Dee has no edge
}

TEST_CASE("time slices name days, ISO weeks and months", "[relate]") {
  TimeSlice s;
  REQUIRE(ParseTimeSlice("week", &s).ok());
  CHECK(s == TimeSlice::kWeek);
  CHECK_FALSE(ParseTimeSlice("year", &s).ok());
  CHECK(PeriodOf("2024-06-14", TimeSlice::kDay) == "2024-06-14");
  CHECK(PeriodOf("2024-06-14", TimeSlice::kMonth) == "2024-06");
  CHECK(PeriodOf("2024-06-10", TimeSlice::kWeek) == "2024-W24");  // Monday
  CHECK(PeriodOf("2024-06-16", TimeSlice::kWeek) == "2024-W24");  // Sunday, same week
  CHECK(PeriodOf("2024-06-17", TimeSlice::kWeek) == "2024-W25");
  CHECK(PeriodOf("2021-01-03", TimeSlice::kWeek) == "2020-W53");  // a Sunday in 2020's last week
  CHECK(PeriodOf("2024-12-30", TimeSlice::kWeek) == "2025-W01");
  CHECK(PeriodOf("2024-06", TimeSlice::kWeek) == "");               // no day, no week
  CHECK(PeriodOf("2024-06-14", TimeSlice::kNone) == "");
  CHECK(PeriodOf("20x4-06-14", TimeSlice::kWeek) == "");
}

TEST_CASE("per-period counts follow the document dates", "[relate]") {
  Fixture f;
  RelateOptions o;
  o.slice = TimeSlice::kMonth;
  PartialGraph p;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  Document later = f.doc;
  later.id = "d2";
  later.date = "2024-04-01";
  p.AddDocument(later, f.seg, f.mentions, o);
  const auto& periods = p.edges().at({"Ann", "Bo"}).periods;
  REQUIRE(periods.size() == 2);
  CHECK(periods.at("2024-03") == 1);
  CHECK(periods.at("2024-04") == 1);
  CHECK(p.nodes().at("Ann").periods.at("2024-03") == 2);  // two sentences
}
