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
