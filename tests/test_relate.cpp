#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "flat_hash.hpp"
#include "free_storage.hpp"

#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/relate.hpp"
#include "newsgraph/shared_ref.hpp"

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
  CHECK(p.node("Ann").value().frequency == 2);
  CHECK(p.node("Ann").value().units == 2);
  CHECK(p.edge("Ann", "Bo").value().count == 1);
  CHECK(p.edge("Ann", "Cy").value().count == 1);
  CHECK(!p.edge("Bo", "Cy").has_value());
  CHECK(p.edge("Ann", "Bo").value().evidence.at(0).text == "Ann and Bo.");
  CHECK(p.edge("Ann", "Bo").value().first_seen == "2024-03-05");
}

TEST_CASE("document scope links everything once", "[relate]") {
  Fixture f;
  PartialGraph p;
  RelateOptions o;
  o.scope.kind = ScopeKind::kDocument;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  CHECK(p.units() == 1);
  CHECK(p.edge("Bo", "Cy").value().count == 1);
  CHECK(p.edge("Ann", "Bo").value().count == 1);
}

TEST_CASE("window scope slides over sentences", "[relate]") {
  Fixture f;
  PartialGraph p;
  RelateOptions o;
  o.scope = {ScopeKind::kWindow, 2};
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  CHECK(p.units() == 2);                          // windows {s0,s1} and {s1,s2}
  CHECK(p.edge("Ann", "Bo").value().count == 2);     // both windows
  CHECK(p.edge("Bo", "Cy").value().count == 2);
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
  const EdgeStats e1 = ab.edge("Ann", "Bo").value();
  const EdgeStats e2 = ba.edge("Ann", "Bo").value();
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
  REQUIRE(p.node("Ann").value().units == 4);
  REQUIRE(p.node("Bo").value().units == 3);
  REQUIRE(p.node("Cy").value().units == 2);
  REQUIRE(p.edge("Ann", "Bo").value().count == 2);
  REQUIRE(p.edge("Ann", "Cy").value().count == 1);
  REQUIRE(p.edge_count() == 2);

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
    // Whatever is chosen, every measure is there to read.
    const Relation& r = EdgeBetween(g, "Ann", "Bo");
    CHECK(r.count == 2);
    CHECK(r.documents == 1);
    const Vertex ann = *g.FindVertex("Ann"), bo = *g.FindVertex("Bo");
    const EdgeMeasures em = g.measures(boost::edge(ann, bo, g.network()).first);
    CHECK(em.association == Approx(2.0 / 12));
    CHECK(em.pmi == Approx(std::log(4.0 / 3)));
    CHECK(em.npmi == Approx(ab[2]));
    CHECK(em.jaccard == Approx(0.4));
    CHECK(em.cosine == Approx(ab[4]));
    CHECK(em.g2 == Approx(ab_g2));
    // One measure alone, as the path searches read it, is the same number.
    for (const EdgeMeasureField& f : kEdgeMeasureFields) {
      CAPTURE(f.name);
      CHECK(g.measure(boost::edge(ann, bo, g.network()).first, f.value) == em.*f.value);
    }
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

TEST_CASE("per-period counts follow the document dates, through copies and merges", "[relate]") {
  Fixture f;
  RelateOptions o;
  o.slice = TimeSlice::kMonth;
  PartialGraph p;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  Document later = f.doc;
  later.id = "d2";
  later.date = "2024-04-01";
  p.AddDocument(later, f.seg, f.mentions, o);
  const auto periods = p.edge("Ann", "Bo").value().periods;
  REQUIRE(periods.size() == 2);
  CHECK(periods.at("2024-03") == 1);
  CHECK(periods.at("2024-04") == 1);
  CHECK(p.node("Ann").value().periods.at("2024-03") == 2);  // two sentences

  // They survive copies and merges; an undated edge has none.
  const PartialGraph copy(p);
  CHECK(copy.edge("Ann", "Bo").value().periods == p.edge("Ann", "Bo").value().periods);
  PartialGraph merged;
  merged.Merge(p, o);
  merged.Merge(copy, o);
  const auto merged_periods = merged.edge("Ann", "Bo").value().periods;
  REQUIRE(merged_periods.size() == 2);
  CHECK(merged_periods.at("2024-03") == 2);
  CHECK(merged_periods.at("2024-04") == 2);

  Document undated = f.doc;
  undated.id = "d3";
  undated.date.clear();
  PartialGraph plain;
  plain.AddDocument(undated, f.seg, f.mentions, o);
  CHECK(plain.edge("Ann", "Bo").value().periods.empty());
  CHECK(plain.edge("Ann", "Bo").value().count == 1);
  plain.Merge(p, o);  // an edge without periods takes the other's
  CHECK(plain.edge("Ann", "Bo").value().periods.at("2024-04") == 1);
}

namespace {

// One document per (id, sentence text) with two entities in its single sentence.
// A small deterministic random number generator (a 64-bit LCG's high bits).
struct Lcg {
  std::uint64_t seed;
  unsigned operator()() {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(seed >> 33);
  }
};

// `format` (one %u) with `i`: entity names such as "E007".
std::string Numbered(const char* format, unsigned i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, i);
  return buf;
}

struct OneSentence {
  Document doc;
  Segmentation seg;
  std::vector<Mention> mentions;
  OneSentence(const std::string& id, const std::string& text, const char* a, const char* b) {
    doc.id = id;
    doc.text = text;
    doc.date = "2024-01-0" + std::to_string(1 + id.size() % 9);
    seg = SentenceSplitter().Segment(doc.text);
    for (const char* name : {a, b}) {
      Mention m;
      m.begin = static_cast<std::uint32_t>(doc.text.find(name));
      m.end = m.begin + static_cast<std::uint32_t>(std::strlen(name));
      m.type = "person";
      m.entity = name;
      mentions.push_back(m);
    }
  }
};

std::vector<std::string> EvidenceDocs(const PartialGraph& p, const char* a, const char* b) {
  std::vector<std::string> out;
  const EdgeStats edge = p.edge(a, b).value();
  for (const Evidence& e : edge.evidence) out.push_back(std::string(e.doc) + ":" + std::string(e.text));
  return out;
}

}  // namespace

TEST_CASE("edges are found among thousands, through every growth of the edge index",
          "[relate]") {
  // Random pairs of 200 entities, counted beside a std::map: every edge (and no other) is
  // found with its count after the index has grown many times, also in a copy and a merge.
  RelateOptions o;
  o.evidence = 1;
  PartialGraph p;
  std::map<std::pair<std::string, std::string>, std::uint64_t> expected;
  Lcg next{7};
  auto name = [](unsigned i) { return Numbered("E%03u", i); };
  for (int k = 0; k < 6000; ++k) {
    const unsigned a = next() % 200, b = next() % 200;
    if (a == b) continue;
    const std::string x = name(a), y = name(b);
    OneSentence s("d" + std::to_string(k), x + " met " + y + ".", x.c_str(), y.c_str());
    p.AddDocument(s.doc, s.seg, s.mentions, o);
    ++expected[{std::min(x, y), std::max(x, y)}];
  }
  REQUIRE(expected.size() > 3000);
  PartialGraph merged;
  merged.Merge(PartialGraph(p), o);
  for (const PartialGraph* g : {&p, &merged}) {
    CHECK(g->edge_count() == expected.size());
    for (const auto& [pair, count] : expected) {
      const auto e = g->edge(pair.second, pair.first);  // either order
      REQUIRE(e.has_value());
      CHECK(e->count == count);
    }
    for (unsigned a = 0; a < 200; a += 7) {
      for (unsigned b = a + 1; b < 200; b += 11) {
        const bool present = expected.count({name(a), name(b)}) > 0;
        CHECK(g->edge(name(a), name(b)).has_value() == present);
      }
    }
  }
}

TEST_CASE("long documents count every pair of every unit, in each scope", "[relate]") {
  // Documents of 30 sentences, each naming 0 to 9 of 40 entities (some twice), so that a
  // document counts hundreds of pairs across its units: every edge's count (units), documents
  // and every entity's units equal a direct count, for sentence, window and paragraph scope.
  Lcg next{11};
  auto name = [](unsigned i) { return Numbered("Q%02u", i); };
  struct Doc {
    Document doc;
    Segmentation seg;
    std::vector<Mention> mentions;
    std::vector<std::vector<unsigned>> sentences;  // the entities of each sentence
  };
  std::vector<Doc> docs(12);
  for (std::size_t d = 0; d < docs.size(); ++d) {
    Doc& x = docs[d];
    x.doc.id = "long" + std::to_string(d);
    x.doc.date = "2024-05-1" + std::to_string(d % 10);
    for (int s = 0; s < 30; ++s) {
      std::vector<unsigned> named;
      const unsigned n = next() % 10;
      for (unsigned k = 0; k < n; ++k) named.push_back(next() % 40);
      if (s % 4 == 3) x.doc.text += "\n\n";  // paragraphs of about four sentences
      x.doc.text += "Then ";
      for (unsigned e : named) {
        Mention m;
        m.begin = static_cast<std::uint32_t>(x.doc.text.size());
        m.end = m.begin + 3;
        m.sentence = static_cast<std::uint32_t>(s);
        m.type = "person";
        m.entity = name(e);
        x.mentions.push_back(m);
        x.doc.text += name(e) + " ";
      }
      x.doc.text += "said so.";
      if (s + 1 < 30) x.doc.text += " ";
      x.sentences.push_back(named);
    }
    x.seg = SentenceSplitter().Segment(x.doc.text);
    REQUIRE(x.seg.sentences.size() == 30);
  }
  for (const char* scope : {"sentence", "window:3", "paragraph"}) {
    CAPTURE(scope);
    RelateOptions o;
    o.evidence = 2;
    REQUIRE(ParseScope(scope, &o.scope).ok());
    PartialGraph p;
    std::map<std::pair<unsigned, unsigned>, std::uint64_t> count, documents;
    std::map<unsigned, std::uint64_t> units;
    for (const Doc& x : docs) {
      p.AddDocument(x.doc, x.seg, x.mentions, o);
      // The units as sentence ranges.
      std::vector<std::pair<std::size_t, std::size_t>> ranges;
      const auto& sents = x.seg.sentences;
      if (o.scope.kind == ScopeKind::kSentence) {
        for (std::size_t i = 0; i < 30; ++i) ranges.emplace_back(i, i + 1);
      } else if (o.scope.kind == ScopeKind::kWindow) {
        for (std::size_t i = 0; i + 3 <= 30; ++i) ranges.emplace_back(i, i + 3);
      } else {
        for (std::size_t i = 0; i < 30;) {
          std::size_t j = i;
          while (j < 30 && sents[j].paragraph == sents[i].paragraph) ++j;
          ranges.emplace_back(i, j);
          i = j;
        }
      }
      std::set<std::pair<unsigned, unsigned>> in_doc;
      for (const auto& [from, to] : ranges) {
        std::set<unsigned> present;
        for (std::size_t i = from; i < to; ++i)
          present.insert(x.sentences[i].begin(), x.sentences[i].end());
        for (unsigned a : present) {
          ++units[a];
          for (unsigned b : present) {
            if (a >= b) continue;
            ++count[{a, b}];
            in_doc.insert({a, b});
          }
        }
      }
      for (const auto& pair : in_doc) ++documents[pair];
    }
    REQUIRE(count.size() > 300);
    CHECK(p.edge_count() == count.size());
    for (const auto& [pair, n] : count) {
      const auto e = p.edge(name(pair.second), name(pair.first));
      REQUIRE(e.has_value());
      CHECK(e->count == n);
      CHECK(e->documents == documents[pair]);
      CHECK(e->evidence.size() == std::min<std::uint64_t>(2, n));
    }
    for (const auto& [entity, n] : units) CHECK(p.node(name(entity))->units == n);
  }
}

TEST_CASE("AddEdge adds an edge once, and only between known entities", "[relate]") {
  PartialGraph p;
  NodeStats n;
  n.frequency = 1;
  p.AddNode("Ann", n);
  p.AddNode("Bo", n);
  EdgeStats e;
  e.count = 4;
  e.periods["2024-01"] = 4;
  REQUIRE(p.AddEdge("Ann", "Bo", e, 3));
  EdgeStats again;
  again.count = 9;
  CHECK(p.AddEdge("Ann", "Bo", again, 3));  // exists: ignored
  CHECK(p.edge_count() == 1);
  CHECK(p.edge("Bo", "Ann").value().count == 4);
  CHECK(p.edge("Ann", "Bo").value().periods.at("2024-01") == 4);
  CHECK_FALSE(p.AddEdge("Ann", "Nobody", e, 3));
  CHECK(p.edge_count() == 1);
}

TEST_CASE("evidence keeps the K smallest passages whatever the document order", "[relate]") {
  // Ids chosen so string order differs from arrival order; two share an id and a span and
  // differ only by text (the tie-break).
  std::vector<OneSentence> docs;
  const char* ids[] = {"d9", "d10", "d2", "d1", "d2", "d30", "d11"};
  for (int i = 0; i < 7; ++i) {
    docs.emplace_back(ids[i], std::string("Ann met Bo ") + char('a' + i) + ".", "Ann", "Bo");
  }
  RelateOptions o;
  o.evidence = 3;
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6};
  std::vector<std::string> first;
  for (int round = 0; round < 8; ++round) {
    PartialGraph p;
    for (int i : order) p.AddDocument(docs[i].doc, docs[i].seg, docs[i].mentions, o);
    const auto kept = EvidenceDocs(p, "Ann", "Bo");
    REQUIRE(kept.size() == 3);
    CHECK(kept[0] == "d1:Ann met Bo d.");
    CHECK(kept[1] == "d10:Ann met Bo b.");
    CHECK(kept[2] == "d11:Ann met Bo g.");
    CHECK(p.edge("Bo", "Ann").value().count == 7);
    if (round == 0) first = kept;
    CHECK(kept == first);
    std::rotate(order.begin(), order.begin() + 3, order.end());
    if (round % 2) std::reverse(order.begin(), order.end());
  }
  // A smaller bound keeps a prefix of the same order; merging keeps it too.
  o.evidence = 2;
  PartialGraph left, right;
  for (int i = 0; i < 7; ++i) {
    PartialGraph& p = i % 2 ? left : right;
    p.AddDocument(docs[i].doc, docs[i].seg, docs[i].mentions, o);
  }
  left.Merge(std::move(right), o);
  CHECK(EvidenceDocs(left, "Ann", "Bo") ==
        std::vector<std::string>{"d1:Ann met Bo d.", "d10:Ann met Bo b."});
  // Same-id, same-span passages order by their text.
  o.evidence = 10;
  PartialGraph twins;
  twins.AddDocument(docs[4].doc, docs[4].seg, docs[4].mentions, o);
  twins.AddDocument(docs[2].doc, docs[2].seg, docs[2].mentions, o);
  twins.AddDocument(docs[2].doc, docs[2].seg, docs[2].mentions, o);  // the same passage again
  CHECK(EvidenceDocs(twins, "Ann", "Bo") ==
        std::vector<std::string>{"d2:Ann met Bo c.", "d2:Ann met Bo e."});
}

TEST_CASE("interned names survive copies, merges and views in name order", "[relate]") {
  // Entities arrive in a different order in each graph, so their ids differ between graphs.
  Fixture f;
  RelateOptions o;
  PartialGraph p, q;
  p.AddDocument(f.doc, f.seg, f.mentions, o);
  Fixture g;
  std::reverse(g.mentions.begin(), g.mentions.end());
  std::stable_sort(g.mentions.begin(), g.mentions.end(),
                   [](const Mention& a, const Mention& b) { return a.sentence < b.sentence; });
  g.doc.id = "d2";
  q.AddDocument(g.doc, g.seg, g.mentions, o);
  OneSentence extra("d3", "Zed met Ann.", "Zed", "Ann");
  q.AddDocument(extra.doc, extra.seg, extra.mentions, o);

  PartialGraph copy(q);
  PartialGraph merged;
  merged.Merge(p, o);
  merged.Merge(std::move(copy), o);
  CHECK(merged.node_count() == 4);
  CHECK(merged.edge_count() == 3);
  CHECK(merged.node("Ann").value().frequency == 5);
  CHECK(merged.node("Ann").value().documents == 3);
  CHECK(merged.edge("Ann", "Bo").value().count == 2);
  CHECK(merged.edge("Ann", "Zed").value().count == 1);
  CHECK_FALSE(merged.node("Nobody").has_value());
  CHECK_FALSE(merged.edge("Bo", "Zed").has_value());

  std::vector<std::string> names, edges;
  merged.ForEachNode([&](const NodeView& n) { names.emplace_back(n.name); });
  merged.ForEachEdge([&](const EdgeView& e) {
    CHECK(e.first < e.second);
    edges.push_back(std::string(e.first) + "-" + std::string(e.second));
  });
  CHECK(names == std::vector<std::string>{"Ann", "Bo", "Cy", "Zed"});
  CHECK(edges == std::vector<std::string>{"Ann-Bo", "Ann-Cy", "Ann-Zed"});

  // The other grouping gives equal counts.
  PartialGraph other;
  other.Merge(q, o);
  other.Merge(p, o);
  CHECK(other.edge("Ann", "Cy").value().evidence.size() ==
        merged.edge("Ann", "Cy").value().evidence.size());
  CHECK(other.node("Ann").value().surfaces == merged.node("Ann").value().surfaces);
}

namespace {

// A partial graph of `n` entities, added in an order unlike name order, with every pair linked
// (more edges than one storage chunk holds) in a shuffled order. Each edge quotes one of a few
// passages, so passages are shared between edges; some edges have dates and periods.
PartialGraph ManyEdges(int n) {
  PartialGraph p;
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("E" + std::to_string((i * 37) % n));
  for (int i = 0; i < n; ++i) {
    NodeStats s;
    s.frequency = 1 + i % 7;
    s.units = 1 + i % 5;
    s.type_votes[i % 3 ? "person" : "country"] = s.frequency;
    s.surfaces[names[i]] = s.frequency;
    p.AddNode(names[i], s);
  }
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) pairs.emplace_back(i, j);
  std::uint64_t state = 7;
  for (std::size_t k = pairs.size(); k > 1; --k) {  // Fisher-Yates with a fixed LCG
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::swap(pairs[k - 1], pairs[(state >> 33) % k]);
  }
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto [i, j] = pairs[k];
    EdgeStats e;
    e.count = 1 + (i + j) % 4;
    e.documents = 1;
    if (k % 3 == 0) {
      e.first_seen = "2024-01-0" + std::to_string(1 + k % 9);
      e.last_seen = "2024-02-0" + std::to_string(1 + k % 9);
      e.periods["2024-01"] = e.count;
    }
    for (int m = 0; m < static_cast<int>(k % 4); ++m) {
      const int s = (i + m) % 5;
      e.evidence.push_back({"doc" + std::to_string(s), static_cast<std::uint32_t>(10 * s),
                            static_cast<std::uint32_t>(10 * s + 9),
                            "Passage " + std::to_string(s) + " quoted by many edges."});
    }
    const std::string& a = std::min(names[i], names[j]);
    const std::string& b = std::max(names[i], names[j]);
    REQUIRE(p.AddEdge(a, b, e, 3));
  }
  p.SetTotals(50, 400, 900, 10000);
  return p;
}

std::string GraphMLOf(const Graph& g) {
  std::ostringstream out;
  REQUIRE(WriteGraphML(g, out).ok());
  return out.str();
}

}  // namespace

TEST_CASE("draining a partial graph visits its edges as ForEachEdge does and empties it",
          "[relate]") {
  PartialGraph p = ManyEdges(90);  // 4005 edges: two storage chunks
  std::vector<std::string> expected;
  p.ForEachEdge([&](const EdgeView& e) {
    std::string line = std::string(e.first) + "|" + std::string(e.second) + "|" +
                       std::to_string(e.count) + "|" + std::string(e.first_seen);
    for (const auto& ev : e.evidence) line += "|" + std::string(ev.doc) + ":" + std::string(ev.text);
    expected.push_back(line);
  });
  REQUIRE(expected.size() == 4005);
  std::vector<std::string> surveyed, drained;
  p.DrainEdges([&](const EdgeView& e) {
    std::string line = std::string(e.first) + "|" + std::string(e.second) + "|" +
                       std::to_string(e.count) + "|" + std::string(e.first_seen);
    for (const auto& ev : e.evidence) line += "|" + std::string(ev.doc) + ":" + std::string(ev.text);
    surveyed.push_back(line);
  }, [&](const EdgeView& e, std::vector<Evidence>* evidence) {
    CHECK(e.evidence.empty());
    std::string line = std::string(e.first) + "|" + std::string(e.second) + "|" +
                       std::to_string(e.count) + "|" + std::string(e.first_seen);
    for (const auto& ev : *evidence) line += "|" + std::string(ev.doc) + ":" + std::string(ev.text);
    drained.push_back(line);
  });
  CHECK(surveyed == expected);
  CHECK(drained == expected);
  CHECK(p.edge_count() == 0);
  CHECK(p.node_count() == 0);
  CHECK(p.units() == 0);
}

TEST_CASE("the consuming FromPartial builds the graph the copying one does", "[graph]") {
  std::vector<GraphOptions> settings(5);
  settings[1].min_count = 2;
  settings[2].top = 40;
  settings[2].weight = WeightMeasure::kNpmi;
  settings[3].backbone_alpha = 0.5;
  settings[3].keep_isolates = false;
  settings[4].min_count = 1000;  // no edge kept
  for (std::size_t k = 0; k < settings.size(); ++k) {
    CAPTURE(k);
    PartialGraph p = ManyEdges(80);
    const std::string copied = GraphMLOf(Graph::FromPartial(p, settings[k]));
    const Graph consumed = Graph::FromPartial(std::move(p), settings[k]);
    CHECK(p.edge_count() == 0);  // NOLINT(bugprone-use-after-move): documented as left empty
    CHECK(p.node_count() == 0);
    CHECK(GraphMLOf(consumed) == copied);
  }
}

TEST_CASE("edges quoting one passage share it, and it outlives the partial graph", "[graph]") {
  Graph g;
  {
    PartialGraph p = ManyEdges(30);
    g = Graph::FromPartial(std::move(p));
  }
  const Network& net = g.network();
  std::map<std::string, const char*> buffer_of;  // passage -> its one buffer
  std::size_t quotes = 0;
  for (auto e : boost::make_iterator_range(boost::edges(net))) {
    for (const Evidence& ev : net[e].evidence()) {
      ++quotes;
      CHECK(ev.text.str().rfind("Passage ", 0) == 0);
      CHECK(ev.doc.str().rfind("doc", 0) == 0);
      const auto [it, fresh] = buffer_of.emplace(ev.text.str(), ev.text.data());
      CHECK(it->second == ev.text.data());
    }
  }
  CHECK(buffer_of.size() == 5);
  CHECK(quotes > 100);
  // The copying build shares them too.
  const Graph copied = Graph::FromPartial(ManyEdges(30));
  const char* first = nullptr;
  for (auto e : boost::make_iterator_range(boost::edges(copied.network()))) {
    for (const Evidence& ev : copied.network()[e].evidence()) {
      if (ev.text != "Passage 0 quoted by many edges.") continue;
      if (!first) first = ev.text.data();
      CHECK(ev.text.data() == first);
    }
  }
  CHECK(first != nullptr);
}

TEST_CASE("SharedString copies share one buffer and read like a string", "[relate]") {
  SharedString a("passage"), none;
  const SharedString b = a;
  CHECK(b.data() == a.data());
  CHECK(a == "passage");
  CHECK("passage" == a);
  CHECK(a == std::string("passage"));
  CHECK(a != "other");
  CHECK(none.empty());
  CHECK(none == "");
  CHECK(none.str().empty());
  CHECK(none < a);
  CHECK_FALSE(a < b);
  const std::string_view view = a;
  CHECK(view == "passage");
  SharedString c = b;
  c = "replaced";
  CHECK(b == "passage");  // assignment replaces the reference, never the shared text
  CHECK(c == "replaced");
  std::ostringstream out;
  out << a << none;
  CHECK(out.str() == "passage");
  SharedStringPool pool;
  CHECK(pool.Get("x").data() == pool.Get(std::string("x")).data());
  CHECK(pool.size() == 1);
  // The text is NUL-terminated and may hold NULs of its own.
  const SharedString nul(std::string_view("a\0b", 3));
  CHECK(nul.size() == 3);
  CHECK(nul.str() == std::string_view("a\0b", 3));
  CHECK(nul.c_str()[3] == '\0');
  CHECK(std::string(a.c_str()) == "passage");
  CHECK(std::string(none.c_str()).empty());
  CHECK(sizeof(SharedString) == sizeof(void*));
}

namespace {
struct CountedRep {
  static inline std::atomic<int> freed{0};
  static void Free(CountedRep* r) {
    ++freed;
    delete r;
  }
  std::atomic<std::uint32_t> refs{1};
};
}  // namespace

TEST_CASE("SharedRef frees its Rep once, when the last copy goes, from any thread",
          "[relate]") {
  CountedRep::freed = 0;
  {
    SharedRef<CountedRep> empty;
    CHECK(empty.get() == nullptr);
    CHECK_FALSE(empty.unique());
    SharedRef<CountedRep> a(new CountedRep);
    CHECK(a.unique());
    SharedRef<CountedRep> b = a;
    CHECK_FALSE(a.unique());
    CHECK(b.get() == a.get());
    SharedRef<CountedRep> c = std::move(b);
    CHECK(b.get() == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
    c = empty;
    CHECK(a.unique());
    CHECK(CountedRep::freed == 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([copy = a] {
        for (int i = 0; i < 10000; ++i) SharedRef<CountedRep> held = copy;
      });
    }
    for (auto& t : threads) t.join();
    CHECK(a.unique());
    CHECK(CountedRep::freed == 0);
  }
  CHECK(CountedRep::freed == 1);
}

TEST_CASE("draining the shared-string pool hands over its buffers, not copies", "[relate]") {
  SharedStrings pool;
  std::vector<const char*> buffers;
  for (int i = 0; i < 100; ++i) {
    const std::uint32_t id = pool.Acquire("a passage long enough for the heap, number " +
                                          std::to_string(i));
    REQUIRE(id == buffers.size());
    buffers.push_back(pool[id].data());
  }
  const std::vector<SharedString> drained = pool.Drain();
  REQUIRE(drained.size() == buffers.size());
  for (std::size_t i = 0; i < buffers.size(); ++i) CHECK(drained[i].data() == buffers[i]);
}

TEST_CASE("the shared-string pool finds, counts and frees strings through heavy churn",
          "[relate]") {
  // Thousands of acquires and releases of 400 strings (so that the pool grows, slots collide
  // and freed slots are refilled), checked against a plain model after every step.
  std::mt19937 rng(17);
  std::vector<std::string> words;
  for (int i = 0; i < 400; ++i) {
    std::string w = "passage " + std::to_string(i);
    w.append(static_cast<std::size_t>(rng() % 40), static_cast<char>('a' + i % 26));
    words.push_back(w);
  }
  SharedStrings pool;
  std::map<std::string, std::pair<std::uint32_t, int>> model;  // text -> (id, references)
  std::vector<std::string> held;                                // one entry per reference
  for (int step = 0; step < 20000; ++step) {
    if (held.empty() || rng() % 5 < 3) {
      const std::string& w = words[rng() % (step < 10000 ? 400 : 60)];
      const std::uint32_t id = pool.Acquire(w);
      auto [it, fresh] = model.try_emplace(w, id, 0);
      REQUIRE(it->second.first == id);  // a held string keeps its id
      if (fresh) {
        for (const auto& [text, entry] : model)
          REQUIRE((text == w || entry.first != id));  // no two live strings share an id
      }
      ++it->second.second;
      held.push_back(w);
    } else {
      const std::size_t k = rng() % held.size();
      auto it = model.find(held[k]);
      REQUIRE(pool[it->second.first] == held[k]);
      pool.Release(it->second.first);
      if (--it->second.second == 0) model.erase(it);
      held[k] = held.back();
      held.pop_back();
    }
  }
  // A copy finds every live string under the same id (an acquire there adds a reference there
  // only), and draining hands each live string over under its id.
  SharedStrings copy(pool);
  for (const auto& [text, entry] : model) {
    CHECK(copy.Acquire(text) == entry.first);
    pool.Prefetch(entry.first);  // a hint: changes nothing
    CHECK(pool[entry.first] == text);
  }
  const std::vector<SharedString> drained = pool.Drain();
  for (const auto& [text, entry] : model) CHECK(drained.at(entry.first).str() == text);
}

TEST_CASE("FreeStorage hands a container's memory back, as `= {}` does not", "[relate]") {
  std::vector<std::uint64_t> v(1000, 7);
  FreeStorage(v);
  CHECK(v.empty());
  CHECK(v.capacity() == 0);
  std::unordered_map<int, int> m;
  for (int i = 0; i < 1000; ++i) m[i] = i;
  const std::size_t buckets = m.bucket_count();
  FreeStorage(m);
  CHECK(m.empty());
  CHECK(m.bucket_count() < buckets / 10);
  v.assign(10, 1);  // usable again
  CHECK(v.size() == 10);
}
