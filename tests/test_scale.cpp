// Threads, split documents and shards: the same corpus gives the same counts however it is cut.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "newsgraph/partial_io.hpp"
#include "newsgraph/pipeline.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("newsgraph_test_scale_") {}
};

const char* const kSentences[] = {
    "France and Germany agreed on a new trade plan with China.",
    "The United States and Japan held talks in Tokyo on Monday.",
    "India, Brazil and South Africa met in Geneva.",
    "Canada signed a deal with Mexico and the United States.",
    "Officials from Italy and Spain travelled to Egypt.",
    "Russia and China issued a joint statement.",
    "Australia and New Zealand discussed fishing rights with Indonesia.",
    "Nigeria and Kenya joined talks in Paris.",
};

// A JSON Lines corpus of `n` dated documents mixing the sentences above.
std::string Corpus(int n, int offset = 0) {
  std::string out;
  for (int i = offset; i < offset + n; ++i) {
    std::string text;
    for (int k = 0; k < 4; ++k) text += std::string(kSentences[(i * 3 + k * 5) % 8]) + " ";
    out += "{\"id\": \"doc" + std::to_string(i) + "\", \"date\": \"2024-0" +
           std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "\", \"text\": \"" + text +
           "\"}\n";
  }
  return out;
}

std::uintmax_t FileSize(const std::string& path) { return fs::file_size(path); }

std::string Bytes(const PartialGraph& g, const RelateOptions& o) {
  std::ostringstream out;
  REQUIRE(WritePartial(g, o, out).ok());
  return out.str();
}

// The partial graph of `inputs`, built in one pipeline.
PartialGraph BuildPartial(const std::vector<std::string>& inputs, const PipelineOptions& options) {
  Pipeline pipeline(options);
  PartialGraph g;
  REQUIRE(pipeline.Build(inputs, &g).ok());
  return g;
}

std::string BuildBytes(const std::vector<std::string>& inputs, unsigned threads,
                       std::size_t batch_bytes = 256 << 10, unsigned in_order_workers = 4) {
  PipelineOptions options;
  options.threads = threads;
  options.batch_bytes = batch_bytes;
  options.in_order_workers = in_order_workers;
  Pipeline pipeline(options);
  REQUIRE(pipeline.status().ok());
  PartialGraph g;
  REQUIRE(pipeline.Build(inputs, &g).ok());
  REQUIRE(g.edge_count() > 5);
  return Bytes(g, options.relate);
}

std::string ExtractLines(const std::vector<std::string>& inputs, unsigned threads,
                         std::size_t part_bytes = 1 << 20) {
  PipelineOptions options;
  options.threads = threads;
  options.batch_bytes = 512;  // many small batches, to exercise reordering
  options.reader.max_part_bytes = part_bytes;
  Pipeline pipeline(options);
  std::string out;
  Status s = pipeline.ForEachAnalyzed(inputs, [&](const AnalyzedDocument& item) {
    for (const Mention& m : item.mentions) {
      out += item.doc.id + " " + std::to_string(item.doc.base_offset + m.begin) + " " +
             std::to_string(item.doc.base_offset + m.end) + " " + m.entity + " " +
             std::to_string(item.sentence_base + m.sentence) + "\n";
    }
    return Status::Ok();
  });
  REQUIRE(s.ok());
  return out;
}

}  // namespace

TEST_CASE("build gives the same counts on any number of threads", "[scale]") {
  TempDir dir;
  const std::string corpus = dir.Write("c.jsonl", Corpus(120));
  const std::string one = BuildBytes({corpus}, 1);
  CHECK(BuildBytes({corpus}, 2) == one);
  CHECK(BuildBytes({corpus}, 3, 300) == one);  // tiny batches: many hand-offs
  CHECK(BuildBytes({corpus}, 4, 2000) == one);
}

TEST_CASE("build gives the same counts whether one thread adds or each worker counts",
          "[scale]") {
  // Up to in_order_workers workers, the calling thread adds every document in input order;
  // beyond, each worker fills a graph of its own and the graphs merge. Both give one bytes.
  TempDir dir;
  const std::string corpus = dir.Write("c.jsonl", Corpus(120));
  const std::string one = BuildBytes({corpus}, 1);
  for (unsigned threads : {2u, 3u, 5u}) {
    INFO("threads " << threads);
    CHECK(BuildBytes({corpus}, threads, 300, 0) == one);          // per-worker graphs, merged
    CHECK(BuildBytes({corpus}, threads, 300, threads) == one);    // one graph, in order
    CHECK(BuildBytes({corpus}, threads, 300, threads - 1) == one);
  }
}

TEST_CASE("extract keeps input order on any number of threads", "[scale]") {
  TempDir dir;
  dir.Write("a/1.jsonl", Corpus(30));
  dir.Write("a/2.txt", std::string(kSentences[0]) + "\n\n" + kSentences[1] + "\n");
  dir.Write("b.jsonl", Corpus(30, 30));
  const std::string one = ExtractLines({dir.path.string()}, 1);
  REQUIRE(!one.empty());
  CHECK(ExtractLines({dir.path.string()}, 2) == one);
  CHECK(ExtractLines({dir.path.string()}, 4) == one);
}

TEST_CASE("a document read in parts keeps whole-document offsets and counts", "[scale]") {
  TempDir dir;
  // Self-contained paragraphs: no name depends on an earlier paragraph for its resolution.
  std::string text;
  for (int i = 0; i < 60; ++i) text += std::string(kSentences[i % 8]) + "\n\n";
  const std::string path = dir.Write("long.txt", text);
  const std::string whole = ExtractLines({path}, 1);
  REQUIRE(!whole.empty());
  CHECK(ExtractLines({path}, 1, 400) == whole);
  CHECK(ExtractLines({path}, 2, 400) == whole);

  PipelineOptions single;
  Pipeline reference(single);
  PartialGraph one;
  REQUIRE(reference.Build({path}, &one).ok());
  // Parts go to one worker in order, whether that worker counts them or the calling thread.
  for (unsigned in_order_workers : {4u, 0u}) {
    PipelineOptions options;
    options.reader.max_part_bytes = 400;
    options.threads = 2;
    options.in_order_workers = in_order_workers;
    Pipeline pipeline(options);
    PartialGraph parts;
    REQUIRE(pipeline.Build({path}, &parts).ok());
    CHECK(parts.documents() == 1);
    CHECK(parts.node("France").value().documents == 1);
    CHECK(Bytes(parts, options.relate) == Bytes(one, single.relate));
  }
}

TEST_CASE("shards merge to the bytes of one build, in any order and grouping", "[scale][partial]") {
  TempDir dir;
  const std::string a = dir.Write("a.jsonl", Corpus(40, 0));
  const std::string b = dir.Write("b.jsonl", Corpus(40, 40));
  const std::string c = dir.Write("c.jsonl", Corpus(40, 80));
  PipelineOptions options;
  auto build = [&](const std::vector<std::string>& inputs) {
    return BuildPartial(inputs, options);
  };
  const std::string whole = Bytes(build({a, b, c}), options.relate);
  const PartialGraph pa = build({a}), pb = build({b}), pc = build({c});

  PartialGraph abc;  // (a + b) + c
  abc.Merge(pa, options.relate);
  abc.Merge(pb, options.relate);
  abc.Merge(pc, options.relate);
  CHECK(Bytes(abc, options.relate) == whole);

  PartialGraph bc, cba;  // c + (b + a), a moved in
  bc.Merge(pb, options.relate);
  bc.Merge(PartialGraph(pa), options.relate);
  cba.Merge(pc, options.relate);
  cba.Merge(std::move(bc), options.relate);
  CHECK(Bytes(cba, options.relate) == whole);
}

TEST_CASE("partial graph files round-trip and reject damage", "[scale][partial]") {
  TempDir dir;
  const std::string corpus = dir.Write("c.jsonl", Corpus(50));
  PipelineOptions options;
  options.relate.slice = TimeSlice::kMonth;
  options.relate.scope = {ScopeKind::kWindow, 2};
  Pipeline pipeline(options);
  PartialGraph g;
  REQUIRE(pipeline.Build({corpus}, &g).ok());
  const std::string bytes = Bytes(g, options.relate);
  CHECK(bytes.rfind("newsgraph-partial\n", 0) == 0);

  PartialGraph back;
  RelateOptions read_options;
  std::istringstream in(bytes);
  REQUIRE(ReadPartial(in, "mem", &back, &read_options).ok());
  CHECK(read_options.scope.kind == ScopeKind::kWindow);
  CHECK(read_options.scope.window == 2);
  CHECK(read_options.slice == TimeSlice::kMonth);
  CHECK(back.documents() == 50);
  CHECK(Bytes(back, read_options) == bytes);

  const std::string path = dir.path / "g.partial";
  REQUIRE(SavePartial(g, options.relate, path).ok());
  PartialGraph loaded;
  REQUIRE(LoadPartial(path, &loaded, &read_options).ok());
  CHECK(Bytes(loaded, read_options) == bytes);

  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    std::istringstream truncated(bytes.substr(0, cut));
    PartialGraph damaged;
    const Status s = ReadPartial(truncated, "cut.partial", &damaged, &read_options);
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("cut.partial") == 0);
  }
  std::istringstream trailing(bytes + "x");
  PartialGraph damaged;
  CHECK_FALSE(ReadPartial(trailing, "t.partial", &damaged, &read_options).ok());

  RelateOptions other = options.relate;
  other.scope = {ScopeKind::kSentence, 1};
  CHECK(CheckMergeable(options.relate, options.relate).ok());
  CHECK_FALSE(CheckMergeable(options.relate, other).ok());
}

TEST_CASE("partial files carry interned names through load and merge unchanged", "[scale][partial]") {
  TempDir dir;
  const std::string a = dir.Write("a.jsonl", Corpus(30, 0));
  const std::string b = dir.Write("b.jsonl", Corpus(30, 30));
  PipelineOptions options;
  auto build = [&](const std::vector<std::string>& inputs) {
    return BuildPartial(inputs, options);
  };
  const std::string whole = Bytes(build({a, b}), options.relate);
  // b's file is read first, so the loaded graph interns names in another order than a build.
  const std::string pa = (dir.path / "a.partial").string(), pb = (dir.path / "b.partial").string();
  REQUIRE(SavePartial(build({a}), options.relate, pa).ok());
  REQUIRE(SavePartial(build({b}), options.relate, pb).ok());
  PartialGraph ga, gb;
  RelateOptions oa, ob;
  REQUIRE(LoadPartial(pb, &gb, &ob).ok());
  REQUIRE(LoadPartial(pa, &ga, &oa).ok());
  gb.Merge(std::move(ga), ob);
  CHECK(Bytes(gb, ob) == whole);
  // Merging into a fresh graph and copying keep the bytes.
  PartialGraph fresh;
  fresh.Merge(gb, ob);
  CHECK(Bytes(fresh, ob) == whole);
  const PartialGraph copy = fresh;
  CHECK(Bytes(copy, ob) == whole);
}

TEST_CASE("a partial graph much larger than the write buffer round-trips byte for byte",
          "[scale][partial]") {
  // Encoding and writing overlap on two threads; the buffers must reach the file in order.
  RelateOptions options;
  PartialGraph g;
  NodeStats node;
  node.frequency = 1;
  node.first_seen = "2024-01-01";
  node.last_seen = "2024-02-01";
  for (int i = 0; i < 400; ++i) g.AddNode("entity " + std::to_string(i), node);
  for (int i = 0; i + 1 < 400; ++i) {
    EdgeStats e;
    e.count = static_cast<std::uint64_t>(i) + 1;
    for (int k = 0; k < 3; ++k) {
      e.evidence.push_back({"doc" + std::to_string(i), static_cast<std::uint32_t>(k * 400),
                            static_cast<std::uint32_t>(k * 400 + 399),
                            std::to_string(i * 3 + k) + ' ' +
                                std::string(390, static_cast<char>('a' + (i + k) % 26))});
    }
    REQUIRE(g.AddEdge("entity " + std::to_string(i), "entity " + std::to_string(i + 1), e, 3));
  }
  const std::string bytes = Bytes(g, options);
  REQUIRE(bytes.size() > 6 * (64 << 10));
  PartialGraph back;
  RelateOptions read_options;
  std::istringstream in(bytes);
  REQUIRE(ReadPartial(in, "mem", &back, &read_options).ok());
  CHECK(back.edge_count() == 399);
  CHECK(Bytes(back, read_options) == bytes);
  TempDir dir;
  const std::string path = dir.path / "big.partial";
  REQUIRE(SavePartial(g, options, path).ok());
  std::ifstream file(path, std::ios::binary);
  CHECK(std::string(std::istreambuf_iterator<char>(file), {}) == bytes);
}

TEST_CASE("a passage that many edges quote is written once in a partial file",
          "[scale][partial]") {
  // The ten edges among five entities of one sentence all quote it: the file holds the passage
  // and its document id once, and the edges refer to them by number.
  RelateOptions options;
  PartialGraph g;
  NodeStats n;
  n.frequency = 1;
  const std::vector<std::string> names = {"Ankara", "Berne", "Cairo", "Dakar", "Essen"};
  for (const std::string& name : names) g.AddNode(name, n);
  const std::string passage = "Envoys from five cities met at the river port on Tuesday.";
  const std::string other = "A second passage, quoted by one edge only.";
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = i + 1; j < names.size(); ++j) {
      EdgeStats e;
      e.count = 1;
      e.evidence.push_back({"wire-17", 0, static_cast<std::uint32_t>(passage.size()), passage});
      if (i == 0 && j == 4) e.evidence.push_back({"wire-18", 5, 48, other});
      REQUIRE(g.AddEdge(names[i], names[j], e, 3));
    }
  }
  const std::string bytes = Bytes(g, options);
  auto occurrences = [&](const std::string& s) {
    std::size_t count = 0;
    for (std::size_t at = bytes.find(s); at != std::string::npos; at = bytes.find(s, at + 1))
      ++count;
    return count;
  };
  CHECK(occurrences(passage) == 1);
  CHECK(occurrences("wire-17") == 1);
  CHECK(occurrences(other) == 1);
  CHECK(occurrences("wire-18") == 1);
  CHECK(occurrences("Cairo") == 1);  // edges name their ends by number

  PartialGraph back;
  RelateOptions read_options;
  std::istringstream in(bytes);
  REQUIRE(ReadPartial(in, "mem", &back, &read_options).ok());
  CHECK(back.edge_count() == 10);
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t j = i + 1; j < names.size(); ++j) {
      const auto e = back.edge(names[i], names[j]);
      REQUIRE(e);
      REQUIRE(e->evidence.size() == (i == 0 && j == 4 ? 2u : 1u));
      CHECK(e->evidence[0].doc == "wire-17");
      CHECK(e->evidence[0].text == passage);
    }
  }
  const auto both = back.edge("Ankara", "Essen");
  REQUIRE(both);
  CHECK(both->evidence[1].doc == "wire-18");
  CHECK(both->evidence[1].begin == 5);
  CHECK(both->evidence[1].end == 48);
  CHECK(both->evidence[1].text == other);
  CHECK(Bytes(back, read_options) == bytes);

  // The graph's own numbers for its strings, which the writer numbers by: equal strings, equal
  // numbers; different strings, different numbers.
  std::map<std::uint32_t, std::string> text_of, doc_of;
  back.ForEachEdge([&](const EdgeView& edge) {
    for (const EvidenceView& ev : edge.evidence) {
      CHECK(text_of.emplace(ev.text_id, std::string(ev.text)).first->second == ev.text);
      CHECK(doc_of.emplace(ev.doc_id, std::string(ev.doc)).first->second == ev.doc);
    }
  });
  CHECK(text_of.size() == 2);
  CHECK(doc_of.size() == 2);
  // And its numbers for the entities, which name the edges' ends in the file.
  std::map<std::string, std::uint32_t> id_of;
  back.ForEachNode([&](const NodeView& node) { id_of[std::string(node.name)] = node.id; });
  CHECK(id_of.size() == names.size());
  back.ForEachEdge([&](const EdgeView& edge) {
    CHECK(edge.first_id == id_of.at(std::string(edge.first)));
    CHECK(edge.second_id == id_of.at(std::string(edge.second)));
  });

  // A reference to a string not yet met is damage, reported with the input's name.
  std::string bad = bytes;
  const std::size_t at = bad.find(std::string("\x00\x07wire-17", 9));
  REQUIRE(at != std::string::npos);
  bad[at] = '\x05';
  std::istringstream damaged_in(bad);
  PartialGraph damaged;
  const Status s = ReadPartial(damaged_in, "bad.partial", &damaged, &read_options);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("bad.partial: byte ") == 0);
  CHECK(s.message().find("string number out of range") != std::string::npos);
}

TEST_CASE("a version 1 partial file still reads", "[scale][partial]") {
  // tests/data/partial_v1/corpus.partial was written by the version 1 writer from corpus.jsonl
  // beside it (build --slice month): edge ends by name, every passage written in full.
  const std::string path =
      std::string(NEWSGRAPH_SOURCE_DIR) + "/tests/data/partial_v1/corpus.partial";
  PartialGraph v1;
  RelateOptions options;
  REQUIRE(LoadPartial(path, &v1, &options).ok());
  CHECK(options.slice == TimeSlice::kMonth);
  CHECK(v1.documents() == 12);
  CHECK(v1.node_count() == 22);
  CHECK(v1.edge_count() == 25);
  const auto e = v1.edge("France", "Germany");
  REQUIRE(e);
  REQUIRE_FALSE(e->evidence.empty());
  CHECK(e->evidence[0].text.str().find("France and Germany agreed") != std::string::npos);
  CHECK(e->evidence[0].doc.str().rfind("doc", 0) == 0);
  CHECK_FALSE(e->periods.empty());

  // Written again (as version 2), it reads back as the same graph.
  const std::string v2 = Bytes(v1, options);
  CHECK(v2.size() < FileSize(path));
  PartialGraph back;
  RelateOptions read_options;
  std::istringstream in(v2);
  REQUIRE(ReadPartial(in, "mem", &back, &read_options).ok());
  CHECK(Bytes(back, read_options) == v2);
  v1.ForEachEdge([&](const EdgeView& edge) {
    const auto got = back.edge(edge.first, edge.second);
    REQUIRE(got);
    CHECK(got->count == edge.count);
    REQUIRE(got->evidence.size() == edge.evidence.size());
    for (std::size_t k = 0; k < edge.evidence.size(); ++k) {
      CHECK(got->evidence[k].doc == edge.evidence[k].doc);
      CHECK(got->evidence[k].begin == edge.evidence[k].begin);
      CHECK(got->evidence[k].text == edge.evidence[k].text);
    }
  });
}

TEST_CASE("merging keeps shared passages and dates that many entries hold", "[scale][partial]") {
  // A merge looks each passage and date up once and holds it until the end; what no entry
  // keeps is let go, what some keep must survive with the right text.
  RelateOptions options;
  options.evidence = 1;
  auto graph = [](const std::string& passage, const std::string& date, std::uint32_t begin) {
    PartialGraph g;
    NodeStats n;
    n.frequency = 1;
    n.first_seen = n.last_seen = date;
    for (const char* name : {"a", "b", "c", "d"}) g.AddNode(name, n);
    for (const auto& [x, y] : {std::pair{"a", "b"}, {"a", "c"}, {"b", "c"}, {"c", "d"}}) {
      EdgeStats e;
      e.count = 1;
      e.first_seen = e.last_seen = date;
      e.evidence.push_back({"doc", begin, begin + 10, passage});
      REQUIRE(g.AddEdge(x, y, e, 1));
    }
    return g;
  };
  const PartialGraph early = graph("the early passage", "2024-01-05", 0);
  const PartialGraph late = graph("the late passage", "2024-03-07", 50);
  PartialGraph one, two;
  one.Merge(late, options);
  one.Merge(early, options);  // replaces every kept passage, widens every date
  two.Merge(early, options);
  two.Merge(late, options);   // every passage is rejected
  for (const PartialGraph* g : {&one, &two}) {
    const auto e = g->edge("c", "d");
    REQUIRE(e);
    CHECK(e->count == 2);
    REQUIRE(e->evidence.size() == 1);
    CHECK(e->evidence[0].text == "the early passage");
    CHECK(e->first_seen == "2024-01-05");
    CHECK(e->last_seen == "2024-03-07");
    CHECK(g->node("a")->last_seen == "2024-03-07");
  }
  CHECK(Bytes(one, options) == Bytes(two, options));
}
