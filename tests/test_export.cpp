#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "export_util.hpp"
#include "newsgraph/export.hpp"
#include "newsgraph/io.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/metrics.hpp"
#include "newsgraph/relate.hpp"
#include "newsgraph/segment.hpp"
#include "test_util.hpp"

using namespace newsgraph;

namespace {

const char* const kErdogan = "Recep Tayyip Erdo\xC4\x9F" "an";
const char* const kLula = "Lula da Silva";
const char* const kLeyen = "Ursula von der Leyen";
const char* const kOdd = "AT&T <Labs> \"Bell\", Inc.";  // needs escaping everywhere

// Mentions placed by hand on text written for the test: each name at its occurrences.
struct Corpus {
  std::vector<Document> docs;
  std::vector<Segmentation> segs;
  std::vector<std::vector<Mention>> mentions;

  void Add(const std::string& id, const std::string& date, const std::string& text,
           const std::vector<std::pair<std::string, std::string>>& names) {
    Document doc;
    doc.id = id;
    doc.date = date;
    doc.text = text;
    SentenceSplitter splitter;
    Segmentation seg = splitter.Segment(doc.text);
    std::vector<Mention> ms;
    for (const auto& [name, type] : names) {
      for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
        Mention m;
        m.begin = static_cast<std::uint32_t>(at);
        m.end = static_cast<std::uint32_t>(at + name.size());
        m.entity = name;
        m.type = type;
        for (std::size_t s = 0; s < seg.sentences.size(); ++s)
          if (seg.sentences[s].begin <= at && at < seg.sentences[s].end) m.sentence = static_cast<std::uint32_t>(s);
        ms.push_back(m);
      }
    }
    std::sort(ms.begin(), ms.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
    docs.push_back(doc);
    segs.push_back(seg);
    mentions.push_back(ms);
  }

  Graph Build(TimeSlice slice = TimeSlice::kWeek) const {
    RelateOptions o;
    o.slice = slice;
    PartialGraph p;
    for (std::size_t i = 0; i < docs.size(); ++i) p.AddDocument(docs[i], segs[i], mentions[i], o);
    Graph g = Graph::FromPartial(p);
    ComputeMetrics(&g);
    return g;
  }
};

const std::vector<std::pair<std::string, std::string>> kNames = {
    {kErdogan, "person"}, {kLula, "person"}, {kLeyen, "person"}, {kOdd, "organization"},
    {"Brazil", "country"}};

Corpus MakeCorpus(bool dated) {
  Corpus c;
  c.Add("doc-1", dated ? "2024-06-14" : "",
        std::string(kErdogan) + " met " + kLula + " on Friday. " + kLeyen + " called " + kOdd +
            " twice.",
        kNames);
  c.Add("doc-2", dated ? "2024-06-17" : "",
        std::string(kLula) + " and " + kLeyen + " spoke of Brazil. " + kOdd + " praised " + kLeyen + ".",
        kNames);
  return c;
}

// Decodes the five XML entities and numeric character references.
std::string XmlUnescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') { out += s[i]; continue; }
    const std::size_t semi = s.find(';', i);
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent.size() > 1 && ent[0] == '#') out += static_cast<char>(std::stoi(std::string(ent.substr(1))));
    i = semi;
  }
  return out;
}

// Returns every value of XML attribute `attr` in `xml`, unescaped.
std::vector<std::string> AttributeValues(const std::string& xml, const std::string& attr) {
  std::vector<std::string> out;
  const std::string key = " " + attr + "=\"";
  for (std::size_t at = xml.find(key); at != std::string::npos; at = xml.find(key, at + 1)) {
    const std::size_t begin = at + key.size();
    out.push_back(XmlUnescape(std::string_view(xml).substr(begin, xml.find('"', begin) - begin)));
  }
  return out;
}

// A strict RFC 4180 reader: returns the records, failing on a bare LF or a stray quote.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') { field += '"'; ++i; }
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      REQUIRE(field.empty());
      quoted = was_quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field); field.clear(); was_quoted = false;
    } else if (c == '\r') {
      REQUIRE(i + 1 < text.size());
      REQUIRE(text[i + 1] == '\n');
      rows.back().push_back(field); field.clear(); was_quoted = false;
      rows.emplace_back();
      ++i;
    } else {
      REQUIRE(c != '\n');  // a record ends with CRLF only
      REQUIRE_FALSE(was_quoted);
      field += c;
    }
  }
  REQUIRE_FALSE(quoted);
  REQUIRE(field.empty());
  REQUIRE(rows.back().empty());  // the file ends with CRLF
  rows.pop_back();
  return rows;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("RoundedAsWritten is the number the written text reads back as", "[export]") {
  auto read_back = [](double v) {
    char text[kDoubleChars];
    const char* end = FormatDoubleTo(text, v);
    double back = 0;
    std::from_chars(text, end, back);
    return back;
  };
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-40, 40);
  for (int i = 0; i < 200000; ++i) {
    double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    if (i % 3 == 0) v = -v;
    if (i % 5 == 0) v = std::nextafter(read_back(v), 0.0);  // just off a 6-digit value
    INFO(v);
    REQUIRE(RoundedAsWritten(v) == read_back(v));
  }
  // Ties, powers of ten, the ends of the range, digits rounding up to the next decade.
  for (double v : {123456.5, 1234565.0, 0.5, 1e5, 1e6, 999999.5, 9999995.0, 9.999995, 0.0, -0.0,
                   1e-300, 5e-324, 1e300, std::numeric_limits<double>::max(), 2.5e-5, 1.0 / 3}) {
    INFO(v);
    CHECK(RoundedAsWritten(v) == read_back(v));
  }
  CHECK(RoundedAsWritten(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(RoundedAsWritten(-std::numeric_limits<double>::infinity()) == 0);
}

TEST_CASE("the test corpus gives the graph the tests expect", "[export]") {
  Graph g = MakeCorpus(true).Build();
  CHECK(g.num_nodes() == 5);
  CHECK(g.num_edges() == 5);  // Erdogan-Lula, Leyen-Odd (twice), Lula-Leyen, Lula-Brazil, Leyen-Brazil
}

TEST_CASE("GraphML escapes names and they round-trip", "[export]") {
  Graph g = MakeCorpus(true).Build();
  std::ostringstream out;
  REQUIRE(WriteGraphML(g, out).ok());
  const std::string xml = out.str();
  CHECK(xml.find("AT&amp;T &lt;Labs&gt; &quot;Bell&quot;, Inc.") != std::string::npos);
  CHECK(xml.find(kErdogan) != std::string::npos);  // UTF-8 kept as is
  CHECK(xml.find("attr.name=\"weight\" attr.type=\"double\"") != std::string::npos);
  CHECK(xml.find("attr.name=\"pagerank\" attr.type=\"double\"") != std::string::npos);
  CHECK(xml.find("attr.name=\"community\" attr.type=\"long\"") != std::string::npos);
}

TEST_CASE("XmlEscape drops what XML forbids and replaces invalid UTF-8", "[export]") {
  CHECK(XmlEscape("a\x01" "b") == "ab");
  CHECK(XmlEscape("x\xFFy") == "x\xEF\xBF\xBDy");
  CHECK(XmlEscape("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;");
}

TEST_CASE("GEXF is dynamic for dated corpora and round-trips names", "[export]") {
  Graph g = MakeCorpus(true).Build();
  std::ostringstream out;
  REQUIRE(WriteGexf(g, out).ok());
  const std::string xml = out.str();
  CHECK(xml.find("xmlns=\"http://gexf.net/1.3\"") != std::string::npos);
  CHECK(xml.find("xmlns:viz=\"http://gexf.net/1.3/viz\"") != std::string::npos);
  CHECK(xml.find("version=\"1.3\"") != std::string::npos);
  CHECK(xml.find("mode=\"dynamic\" timeformat=\"date\"") != std::string::npos);
  CHECK(xml.find("start=\"2024-06-14\" end=\"2024-06-17\"") != std::string::npos);
  const auto labels = AttributeValues(xml, "label");
  for (const char* name : {kErdogan, kLula, kLeyen, kOdd})
    CHECK(std::count(labels.begin(), labels.end(), std::string(name)) == 1);
  // Leyen: 2024-06-14 is in ISO week 24 (Mon 10 - Sun 16), 2024-06-17 starts week 25.
  CHECK(xml.find("<attvalue for=\"period_count\" value=\"1\" start=\"2024-06-10\" end=\"2024-06-16\"/>") !=
        std::string::npos);
  CHECK(xml.find("<attvalue for=\"period_count\" value=\"2\" start=\"2024-06-17\" end=\"2024-06-23\"/>") !=
        std::string::npos);
  CHECK(xml.find("<spell start=\"2024-06-14\" end=\"2024-06-17\"/>") != std::string::npos);
  CHECK(xml.find("<attribute id=\"frequency\" title=\"frequency\" type=\"long\"/>") != std::string::npos);
  CHECK(xml.find("<viz:color r=\"78\" g=\"121\" b=\"167\"") != std::string::npos);  // person
  CHECK(xml.find("<viz:size value=\"50\"/>") != std::string::npos);  // the most mentioned node
  // Evidence keeps its line breaks as character references.
  CHECK(xml.find("&#10;doc-2") != std::string::npos);
}

TEST_CASE("GEXF is static for undated corpora", "[export]") {
  Graph g = MakeCorpus(false).Build();
  std::ostringstream out;
  REQUIRE(WriteGexf(g, out).ok());
  const std::string xml = out.str();
  CHECK(xml.find("mode=\"static\"") != std::string::npos);
  CHECK(xml.find("<spells>") == std::string::npos);
  CHECK(xml.find("mode=\"dynamic\"") == std::string::npos);
}

TEST_CASE("node-link JSON has networkx's layout and round-trips names", "[export]") {
  Graph g = MakeCorpus(true).Build();
  std::ostringstream out;
  REQUIRE(WriteJson(g, out).ok());
  rapidjson::Document d;
  d.Parse(out.str().c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["directed"].IsFalse());
  CHECK(d["multigraph"].IsFalse());
  CHECK(d["graph"]["scope"] == "sentence");
  const auto& nodes = d["nodes"];
  REQUIRE(nodes.Size() == 5);
  std::vector<std::string> ids;
  for (const auto& n : nodes.GetArray()) {
    ids.push_back(n["id"].GetString());
    CHECK(std::string(n["label"].GetString()) == n["id"].GetString());
    CHECK(n["frequency"].IsUint64());
    CHECK(n["pagerank"].IsDouble());
    CHECK(n["community"].IsInt64());
  }
  for (const char* name : {kErdogan, kLula, kLeyen, kOdd})
    CHECK(std::count(ids.begin(), ids.end(), std::string(name)) == 1);
  bool found = false;
  for (const auto& l : d["links"].GetArray()) {
    CHECK(l["weight"].IsDouble());
    CHECK(l["count"].IsUint64());
    if (std::string(l["source"].GetString()) == kOdd && std::string(l["target"].GetString()) == kLeyen) {
      found = true;
      CHECK(l["count"].GetUint64() == 2);
      CHECK(l["weight"].GetDouble() == 2.0);
      CHECK(std::string(l["first_seen"].GetString()) == "2024-06-14");
      CHECK(l["periods"]["2024-W25"].GetUint64() == 1);
      REQUIRE(l["evidence"].Size() == 2);
      const auto& ev = l["evidence"][0];
      CHECK(std::string(ev["doc"].GetString()) == "doc-1");
      const std::string text = ev["text"].GetString();
      CHECK(text == std::string(kLeyen) + " called " + kOdd + " twice.");
      CHECK(ev["end"].GetUint64() - ev["begin"].GetUint64() == text.size());
    }
  }
  CHECK(found);
}

TEST_CASE("CSV pair follows RFC 4180 and Gephi's column names", "[export]") {
  Graph g = MakeCorpus(true).Build();
  std::ostringstream nodes_out, edges_out;
  REQUIRE(WriteCsv(g, nodes_out, edges_out).ok());
  const auto nodes = ParseCsv(nodes_out.str());
  const auto edges = ParseCsv(edges_out.str());
  REQUIRE(nodes.size() == 6);
  REQUIRE(edges.size() == 6);
  CHECK(nodes[0][0] == "Id");
  CHECK(nodes[0][1] == "Label");
  CHECK(nodes[0][2] == "Type");
  CHECK(nodes[0][3] == "Frequency");
  CHECK(edges[0][0] == "Source");
  CHECK(edges[0][1] == "Target");
  CHECK(edges[0][2] == "Type");
  CHECK(edges[0][4] == "Weight");
  for (const auto& row : nodes) CHECK(row.size() == nodes[0].size());
  for (const auto& row : edges) CHECK(row.size() == edges[0].size());
  std::vector<std::string> ids;
  for (std::size_t i = 1; i < nodes.size(); ++i) ids.push_back(nodes[i][0]);
  for (const char* name : {kErdogan, kLula, kLeyen, kOdd})
    CHECK(std::count(ids.begin(), ids.end(), std::string(name)) == 1);
  // The odd name is quoted, its quotes doubled.
  CHECK(nodes_out.str().find("\"AT&T <Labs> \"\"Bell\"\", Inc.\"") != std::string::npos);
  for (std::size_t i = 1; i < edges.size(); ++i) CHECK(edges[i][2] == "Undirected");
  // The evidence of the edge seen twice spans two lines inside one quoted field.
  bool multiline = false;
  for (const auto& row : edges) multiline = multiline || row.back().find('\n') != std::string::npos;
  CHECK(multiline);
}

TEST_CASE("CsvField quotes only when needed", "[export]") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("two\nlines") == "\"two\nlines\"");
  CHECK(CsvField("") == "");
}

TEST_CASE("DOT quotes names and styles by type", "[export]") {
  Graph g = MakeCorpus(true).Build();
  std::ostringstream out;
  REQUIRE(WriteDot(g, out).ok());
  const std::string dot = out.str();
  CHECK(dot.find("label=\"AT&T <Labs> \\\"Bell\\\", Inc.\"") != std::string::npos);
  CHECK(dot.find(std::string("label=\"") + kErdogan + "\"") != std::string::npos);
  CHECK(dot.find("overlap=false") != std::string::npos);
  CHECK(dot.find("shape=hexagon") != std::string::npos);  // the organisation
}

TEST_CASE("period and date bounds", "[export]") {
  CHECK(PeriodBounds("2024-W01") == std::pair<std::string, std::string>("2024-01-01", "2024-01-07"));
  CHECK(PeriodBounds("2020-W53") == std::pair<std::string, std::string>("2020-12-28", "2021-01-03"));
  CHECK(PeriodBounds("2024-02") == std::pair<std::string, std::string>("2024-02-01", "2024-02-29"));
  CHECK(PeriodBounds("2023-02") == std::pair<std::string, std::string>("2023-02-01", "2023-02-28"));
  CHECK(PeriodBounds("2024-06-14") == std::pair<std::string, std::string>("2024-06-14", "2024-06-14"));
  CHECK(PeriodBounds("junk").first.empty());
  CHECK(DateBounds("2024") == std::pair<std::string, std::string>("2024-01-01", "2024-12-31"));
  CHECK(DateBounds("2024-06-14T10:00:00Z") == std::pair<std::string, std::string>("2024-06-14", "2024-06-14"));
  CHECK(DateBounds("2024-13").first.empty());
}

TEST_CASE("ExportGraph writes each format by extension, CSV as a pair", "[export]") {
  Graph g = MakeCorpus(true).Build();
  char dir_template[] = "/tmp/newsgraph-export-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  for (const char* name : {"g.graphml", "g.gexf", "g.json", "g.dot", "g.csv"})
    REQUIRE(ExportGraph(g, dir + "/" + name).ok());
  CHECK(Slurp(dir + "/g.gexf").rfind("<?xml", 0) == 0);
  CHECK(Slurp(dir + "/g.json").rfind("{\"directed\":false", 0) == 0);
  CHECK(Slurp(dir + "/g.nodes.csv").rfind("Id,Label,Type", 0) == 0);
  CHECK(Slurp(dir + "/g.edges.csv").rfind("Source,Target,Type", 0) == 0);
  std::ifstream absent(dir + "/g.csv");
  CHECK_FALSE(absent.good());
  CHECK_FALSE(ExportGraph(g, dir + "/g.xlsx").ok());
  // The same graph gives byte-identical files.
  REQUIRE(ExportGraph(MakeCorpus(true).Build(), dir + "/h.gexf").ok());
  CHECK(Slurp(dir + "/g.gexf") == Slurp(dir + "/h.gexf"));
  for (const char* name : {"g.graphml", "g.gexf", "g.json", "g.dot", "g.nodes.csv", "g.edges.csv", "h.gexf"})
    std::remove((dir + "/" + name).c_str());
  std::remove(dir.c_str());
}

TEST_CASE("ExportGraphs writes several outputs at once, each as ExportGraph would", "[export]") {
  const Graph g = MakeCorpus(true).Build();
  testing::TempDir dir;
  const std::vector<std::string> names = {"g.graphml", "g.gexf", "g.json", "g.dot", "g.csv"};
  const std::vector<std::string> files = {"g.graphml", "g.gexf",      "g.json",
                                          "g.dot",     "g.nodes.csv", "g.edges.csv"};
  std::map<std::string, std::string> one_by_one;
  for (const std::string& name : names) {
    REQUIRE(ExportGraph(g, (dir.path / ("single_" + name)).string()).ok());
  }
  for (const std::string& file : files) one_by_one[file] = testing::Slurp(dir.path / ("single_" + file));
  for (unsigned threads : {1u, 2u, 3u, 8u, 0u}) {
    INFO("threads " << threads);
    ExportOptions options;
    options.threads = threads;
    std::vector<std::string> paths;
    for (const std::string& name : names) paths.push_back((dir.path / name).string());
    REQUIRE(ExportGraphs(g, paths, options).ok());
    for (const std::string& file : files) {
      CHECK(testing::Slurp(dir.path / file) == one_by_one[file]);
      std::filesystem::remove(dir.path / file);
    }
  }
}

TEST_CASE("ExportGraphs commits nothing when one of several outputs fails", "[export]") {
  const Graph g = MakeCorpus(true).Build();
  testing::TempDir dir;
  ExportOptions options;
  options.threads = 3;
  const std::vector<std::string> paths = {(dir.path / "a.graphml").string(),
                                          (dir.path / "missing" / "b.json").string(),
                                          (dir.path / "c.gexf").string(),
                                          (dir.path / "d.xlsx").string()};
  const Status s = ExportGraphs(g, paths, options);
  REQUIRE_FALSE(s.ok());
  // The first failure in the order given is the one reported.
  CHECK(s.message().find("b.json") != std::string::npos);
  // Neither the good outputs nor any temporary file is left behind.
  CHECK(std::filesystem::is_empty(dir.path));
}

TEST_CASE("Sink writes what the string helpers return, for random bytes and numbers", "[export]") {
  std::mt19937 rng(5);
  // Bytes weighted towards what needs care: XML specials, controls, UTF-8 lead and
  // continuation bytes (valid, overlong, truncated, surrogates, U+FFFD, U+FFFE).
  const std::string pieces[] = {"a", " ", "&", "<", ">", "\"", "'", ",", "\n", "\r", "\t", "\x01",
                                "\x7F", "\xC3\xA9", "\xC3", "\xA9", "\xE2\x80\x99", "\xED\xA0\x80",
                                "\xEF\xBF\xBD", "\xEF\xBF\xBE", "\xF0\x9F\x98\x80", "\xF0\x9F",
                                "\xC0\xA6", "\xFF", "Z"};
  auto old_attr = [](std::string_view s) {  // the GEXF attribute escape as it was written
    std::string out;
    for (char c : XmlEscape(s)) {
      if (c == '\n') out += "&#10;";
      else if (c == '\r') out += "&#13;";
      else if (c == '\t') out += "&#9;";
      else out += c;
    }
    return out;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const int len = static_cast<int>(rng() % 12);
    for (int i = 0; i < len; ++i) s += pieces[rng() % std::size(pieces)];
    INFO("round " << round);
    Sink a(nullptr);
    a.Xml(s);
    CHECK(a.Take() == XmlEscape(s));
    Sink b(nullptr);
    b.Xml(s, true);
    CHECK(b.Take() == old_attr(s));
    Sink c(nullptr);
    c.Utf8(s);
    CHECK(c.Take() == ValidUtf8(s));
    Sink d(nullptr);
    d.Csv(s);
    CHECK(d.Take() == CsvField(ValidUtf8(s)));
    // Evidence and aliases escaped piece by piece equal the joined text escaped.
    std::vector<Evidence> evidence(rng() % 3);
    std::vector<std::string> aliases;
    for (auto& e : evidence) {
      e.doc = s.substr(0, rng() % (s.size() + 1));
      e.begin = static_cast<std::uint32_t>(rng() % 100000);
      e.end = e.begin + static_cast<std::uint32_t>(rng() % 1000);
      e.text = s.substr(rng() % (s.size() + 1));
      aliases.emplace_back(e.text);
      aliases.emplace_back(e.doc);
    }
    const EvidenceList list(std::move(evidence));
    Sink ev(nullptr);
    ev.XmlEvidence(list, round % 2 == 1);
    CHECK(ev.Take() == (round % 2 ? old_attr(EvidenceText(list)) : XmlEscape(EvidenceText(list))));
    Sink al(nullptr);
    al.XmlAliases(aliases, 3);
    CHECK(al.Take() == XmlEscape(JoinAliases(aliases, 3)));
  }
  const double specials[] = {0.0, -0.0, 1.0, 0.1, 1e-7, 123456.5, 1234567.0, 9.999995e5, 1e300,
                             -2.5e-300, 5e-324, std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(), -1.0 / 3};
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int round = 0; round < 20000; ++round) {
    double v = round < static_cast<int>(std::size(specials))
                   ? specials[round]
                   : unit(rng) * std::pow(10.0, static_cast<double>(static_cast<int>(rng() % 40) - 20));
    if (round % 7 == 0) v = std::round(v * 1e6) / 1e6;  // values at the rounding boundaries
    Sink s(nullptr);
    s.Double(v);
    CHECK(s.Take() == FormatDouble(v));
    const auto u = static_cast<std::uint64_t>(rng()) << (rng() % 33);
    Sink t(nullptr);
    t.Uint(u) << ' ';
    t.Int(-static_cast<std::int64_t>(u / 2));
    CHECK(t.Take() == std::to_string(u) + " " + std::to_string(-static_cast<std::int64_t>(u / 2)));
  }
}

TEST_CASE("a Sink over an AtomicFile writes large and small blocks in order", "[export]") {
  testing::TempDir dir;
  const std::string path = (dir.path / "big.txt").string();
  std::string want;
  {
    AtomicFile file(path);
    REQUIRE(file.status().ok());
    Sink sink(&file.stream());
    std::mt19937 rng(3);
    for (int i = 0; i < 4000; ++i) {
      // Records from a few bytes to 3 MB, so writes go through the file's buffer, around it,
      // and straddle its end.
      const std::size_t len = i % 500 == 0 ? (std::size_t{3} << 20) : rng() % (i % 3 ? 40 : 70000);
      std::string record(len, static_cast<char>('a' + i % 26));
      sink << record;
      want += record;
      sink.MaybeFlush();
      if (i % 1000 == 0) file.stream() << '!', want += '!';  // the stream directly, after a flush
      if (i % 1000 == 0) sink.Flush();
    }
    REQUIRE(sink.Done());
    REQUIRE(file.Commit().ok());
  }
  std::string got;
  REQUIRE(ReadFile(path, &got).ok());
  CHECK(got.size() == want.size());
  CHECK(got == want);
}

TEST_CASE("JSON is byte for byte what RapidJSON's Writer makes of the same values", "[export]") {
  // Names, types, aliases, periods and evidence with every kind of byte JSON must escape or
  // ValidUtf8 must repair; numbers at the edges of their formats.
  std::mt19937 rng(9);
  const std::string pieces[] = {"a", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\x01", "\x1F",
                                "\x7F", "\xC3\xA9", "\xFF", "\xED\xA0\x80", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80"};
  auto random_text = [&](std::size_t max) {
    std::string s;
    for (std::size_t i = rng() % max; i > 0; --i) s += pieces[rng() % std::size(pieces)];
    return s;
  };
  Graph graph;
  graph.scope = "sentence";
  graph.documents = 18446744073709551615ull;
  std::vector<Vertex> vs;
  for (int i = 0; i < 40; ++i) {
    EntityNode n;
    n.name = "n" + std::to_string(i) + random_text(6);
    n.type = random_text(3);
    n.frequency = rng();
    n.aliases = {random_text(4), random_text(4)};
    n.first_seen = i % 2 ? "2024-01-0" + std::to_string(1 + i % 9) : "";
    n.periods[random_text(3)] = rng();
    n.degree = i;
    n.pagerank = std::ldexp(static_cast<double>(rng()), -static_cast<int>(rng() % 80));
    n.betweenness = i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN() : -1.0 / (i + 1);
    n.component = -static_cast<std::int64_t>(rng());
    vs.push_back(graph.AddVertex(n));
  }
  for (int i = 0; i < 60; ++i) {
    Relation r;
    r.count = rng();
    r.weight = i % 7 == 0 ? std::numeric_limits<double>::infinity() : 1e300 / (i + 1);
    r.given.mutable_get().pmi = -std::ldexp(1.0, -1070);  // a subnormal
    r.given.mutable_get().npmi = 0.1 * i;
    for (int k = 0; k < 3; ++k) {
      const auto begin = static_cast<std::uint32_t>(rng()), end = static_cast<std::uint32_t>(rng());
      r.detail.mutable_get().evidence.push_back({random_text(3), begin, end, random_text(20)});
    }
    boost::add_edge(vs[rng() % vs.size()], vs[rng() % vs.size()], r, graph.mutable_network());
  }
  std::ostringstream ours;
  REQUIRE(WriteJson(graph, ours).ok());

  // The reference: the writer as it was, on RapidJSON's Writer.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](std::string_view s) {
    const std::string v = ValidUtf8(s);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto key = [&](const std::string& s) {
    const std::string v = ValidUtf8(s);
    w.Key(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto real = [&](const char* k, double v) { key(k); w.Double(std::isfinite(v) ? v : 0.0); };
  auto uint = [&](const std::string& k, std::uint64_t v) { key(k); w.Uint64(v); };
  auto sint = [&](const char* k, std::int64_t v) { key(k); w.Int64(v); };
  auto text = [&](const char* k, std::string_view v) { key(k); str(v); };
  auto dates = [&](std::string_view first, std::string_view last,
                   const std::map<std::string, std::uint64_t>& periods) {
    if (!first.empty()) text("first_seen", first);
    if (!last.empty()) text("last_seen", last);
    if (!periods.empty()) {
      key("periods");
      w.StartObject();
      for (const auto& [p, n] : periods) uint(p, n);
      w.EndObject();
    }
  };
  const Network& g = graph.network();
  w.StartObject();
  key("directed"); w.Bool(false);
  key("multigraph"); w.Bool(false);
  key("graph");
  w.StartObject();
  text("name", "newsgraph");
  text("scope", graph.scope);
  text("weight", WeightMeasureName(graph.weight_measure));
  uint("documents", graph.documents);
  uint("units", graph.units);
  uint("mentions", graph.mentions);
  w.EndObject();
  key("nodes");
  w.StartArray();
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    w.StartObject();
    text("id", n.name);
    text("label", n.name);
    text("type", n.type);
    uint("frequency", n.frequency);
    uint("documents", n.documents);
    uint("units", n.units);
    key("aliases");
    w.StartArray();
    for (const auto& a : n.aliases) str(a);
    w.EndArray();
    dates(n.first_seen, n.last_seen, n.periods);
    real("degree", n.degree);
    real("weighted_degree", n.weighted_degree);
    real("pagerank", n.pagerank);
    real("betweenness", n.betweenness);
    sint("component", n.component);
    sint("community", n.community);
    w.EndObject();
  }
  w.EndArray();
  key("links");
  w.StartArray();
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    const EdgeMeasures m = graph.measures(e);
    w.StartObject();
    text("source", g[boost::source(e, g)].name);
    text("target", g[boost::target(e, g)].name);
    real("weight", r.weight);
    uint("count", r.count);
    uint("documents", r.documents);
    real("association", m.association);
    real("pmi", m.pmi);
    real("npmi", m.npmi);
    real("jaccard", m.jaccard);
    real("cosine", m.cosine);
    real("g2", m.g2);
    dates(r.first_seen(), r.last_seen(), r.periods());
    key("evidence");
    w.StartArray();
    for (const Evidence& ev : r.evidence()) {
      w.StartObject();
      text("doc", ev.doc);
      uint("begin", ev.begin);
      uint("end", ev.end);
      text("text", ev.text);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  CHECK(ours.str() == std::string(buffer.GetString(), buffer.GetSize()) + "\n");
}
