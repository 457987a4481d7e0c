#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "export_util.hpp"
#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/metrics.hpp"
#include "newsgraph/relate.hpp"
#include "newsgraph/segment.hpp"

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
