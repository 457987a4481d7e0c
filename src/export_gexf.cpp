// GEXF 1.3 (https://gexf.net/): static, or dynamic (spells, per-period values) for dated corpora.
#include <algorithm>
#include <cmath>

#include "export_util.hpp"
#include "newsgraph/export.hpp"

namespace newsgraph {

namespace {

// XmlEscape plus line breaks and tabs as character references: attribute values are
// whitespace-normalised by XML parsers, so a literal newline would come back as a space.
std::string AttrEscape(std::string_view s) {
  std::string escaped = XmlEscape(s), out;
  out.reserve(escaped.size());
  for (char c : escaped) {
    if (c == '\n') out += "&#10;";
    else if (c == '\r') out += "&#13;";
    else if (c == '\t') out += "&#9;";
    else out += c;
  }
  return out;
}

struct Attribute { const char* id; const char* type; };

const Attribute kNodeAttributes[] = {
    {"type", "string"},         {"frequency", "long"},      {"documents", "long"},
    {"aliases", "string"},      {"first_seen", "string"},   {"last_seen", "string"},
    {"degree", "double"},       {"weighted_degree", "double"}, {"pagerank", "double"},
    {"betweenness", "double"},  {"component", "long"},      {"community", "long"}};
const Attribute kEdgeAttributes[] = {
    {"count", "long"},          {"documents", "long"},      {"association", "double"},
    {"pmi", "double"},          {"npmi", "double"},         {"jaccard", "double"},
    {"cosine", "double"},       {"g2", "double"},           {"first_seen", "string"},
    {"last_seen", "string"},    {"evidence", "string"}};

void DeclareAttributes(std::ostream& out, const char* cls, const char* mode,
                       const Attribute* begin, const Attribute* end, bool evidence) {
  out << "    <attributes class=\"" << cls << "\" mode=\"" << mode << "\">\n";
  for (const Attribute* a = begin; a != end; ++a) {
    if (!evidence && std::string_view(a->id) == "evidence") continue;
    out << "      <attribute id=\"" << a->id << "\" title=\"" << a->id << "\" type=\"" << a->type
        << "\"/>\n";
  }
  out << "    </attributes>\n";
}

class AttValues {
 public:
  explicit AttValues(std::ostream& out) : out_(out) {}
  void Add(const char* id, std::string_view value) {
    Open();
    out_ << "          <attvalue for=\"" << id << "\" value=\"" << AttrEscape(value) << "\"/>\n";
  }
  // A value holding from `start` to `end` (dynamic attributes).
  void AddTimed(const char* id, std::uint64_t value, const std::string& start, const std::string& end) {
    Open();
    out_ << "          <attvalue for=\"" << id << "\" value=\"" << value << "\" start=\"" << start
         << "\" end=\"" << end << "\"/>\n";
  }
  void Close() {
    if (open_) out_ << "        </attvalues>\n";
    open_ = false;
  }

 private:
  void Open() {
    if (!open_) out_ << "        <attvalues>\n";
    open_ = true;
  }
  std::ostream& out_;
  bool open_ = false;
};

// The interval [first day of first_seen, last day of last_seen], or empty strings.
std::pair<std::string, std::string> Lifetime(const std::string& first, const std::string& last) {
  const auto a = DateBounds(first), b = DateBounds(last);
  if (a.first.empty() || b.second.empty()) return {};
  return {a.first, b.second};
}

void WriteSpell(std::ostream& out, const std::string& first, const std::string& last) {
  const auto [start, end] = Lifetime(first, last);
  if (start.empty()) return;
  out << "        <spells>\n          <spell start=\"" << start << "\" end=\"" << end
      << "\"/>\n        </spells>\n";
}

void WritePeriods(AttValues* values, const char* id, const std::map<std::string, std::uint64_t>& periods) {
  for (const auto& [period, count] : periods) {
    const auto [start, end] = PeriodBounds(period);
    if (!start.empty()) values->AddTimed(id, count, start, end);
  }
}

}  // namespace

Status WriteGexf(const Graph& graph, std::ostream& out, const ExportOptions& options) {
  const Network& g = graph.network();
  // Dynamic when anything is dated; the time span is the union of the lifetimes.
  std::string start, end;
  bool periods = false;
  auto widen = [&](const std::string& first, const std::string& last) {
    const auto [a, b] = Lifetime(first, last);
    if (a.empty()) return;
    if (start.empty() || a < start) start = a;
    if (end.empty() || b > end) end = b;
  };
  double max_freq = 1;
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    widen(g[v].first_seen, g[v].last_seen);
    periods = periods || !g[v].periods.empty();
    max_freq = std::max(max_freq, static_cast<double>(g[v].frequency));
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    widen(g[e].first_seen, g[e].last_seen);
    periods = periods || !g[e].periods.empty();
  }
  const bool dynamic = !start.empty();
  periods = periods && dynamic;

  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
         "  <meta>\n    <creator>newsgraph</creator>\n    <description>"
      << XmlEscape("Entity co-occurrence network: " + std::to_string(graph.documents) +
                   " documents, scope " + graph.scope + ", weight " +
                   WeightMeasureName(graph.weight_measure))
      << "</description>\n  </meta>\n";
  out << "  <graph defaultedgetype=\"undirected\" mode=\"" << (dynamic ? "dynamic" : "static")
      << "\"";
  if (dynamic) {
    out << " timeformat=\"date\" timerepresentation=\"interval\" start=\"" << start << "\" end=\""
        << end << "\"";
  }
  out << ">\n";
  DeclareAttributes(out, "node", "static", std::begin(kNodeAttributes), std::end(kNodeAttributes),
                    true);
  // Per-period co-occurrence units, so Gephi's timeline can size and filter by activity.
  static const Attribute kPeriodAttribute[] = {{"period_count", "long"}};
  if (periods) {
    DeclareAttributes(out, "node", "dynamic", std::begin(kPeriodAttribute),
                      std::end(kPeriodAttribute), true);
  }
  DeclareAttributes(out, "edge", "static", std::begin(kEdgeAttributes), std::end(kEdgeAttributes),
                    options.evidence);
  if (periods) {
    DeclareAttributes(out, "edge", "dynamic", std::begin(kPeriodAttribute),
                      std::end(kPeriodAttribute), true);
  }

  out << "    <nodes>\n";
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    out << "      <node id=\"" << AttrEscape(n.name) << "\" label=\"" << AttrEscape(n.name)
        << "\">\n";
    AttValues values(out);
    values.Add("type", n.type);
    values.Add("frequency", std::to_string(n.frequency));
    values.Add("documents", std::to_string(n.documents));
    if (!n.aliases.empty()) values.Add("aliases", JoinAliases(n.aliases, 20));
    if (!n.first_seen.empty()) values.Add("first_seen", n.first_seen);
    if (!n.last_seen.empty()) values.Add("last_seen", n.last_seen);
    values.Add("degree", FormatDouble(n.degree));
    values.Add("weighted_degree", FormatDouble(n.weighted_degree));
    values.Add("pagerank", FormatDouble(n.pagerank));
    values.Add("betweenness", FormatDouble(n.betweenness));
    values.Add("component", std::to_string(n.component));
    values.Add("community", std::to_string(n.community));
    if (periods) WritePeriods(&values, "period_count", n.periods);
    values.Close();
    if (dynamic) WriteSpell(out, n.first_seen, n.last_seen);
    const TypeStyle& st = StyleOf(n.type);
    out << "        <viz:color r=\"" << st.r << "\" g=\"" << st.g << "\" b=\"" << st.b
        << "\" a=\"1.0\"/>\n"
        << "        <viz:size value=\""
        << FormatDouble(5 + 45 * std::sqrt(static_cast<double>(n.frequency) / max_freq))
        << "\"/>\n      </node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t id = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    out << "      <edge id=\"e" << id++ << "\" source=\"" << AttrEscape(g[boost::source(e, g)].name)
        << "\" target=\"" << AttrEscape(g[boost::target(e, g)].name) << "\" weight=\""
        << FormatDouble(r.weight) << "\">\n";
    AttValues values(out);
    values.Add("count", std::to_string(r.count));
    values.Add("documents", std::to_string(r.documents));
    values.Add("association", FormatDouble(r.association));
    values.Add("pmi", FormatDouble(r.pmi));
    values.Add("npmi", FormatDouble(r.npmi));
    values.Add("jaccard", FormatDouble(r.jaccard));
    values.Add("cosine", FormatDouble(r.cosine));
    values.Add("g2", FormatDouble(r.g2));
    if (!r.first_seen.empty()) values.Add("first_seen", r.first_seen);
    if (!r.last_seen.empty()) values.Add("last_seen", r.last_seen);
    if (options.evidence && !r.evidence.empty()) values.Add("evidence", EvidenceText(r.evidence));
    if (periods) WritePeriods(&values, "period_count", r.periods);
    values.Close();
    if (dynamic) WriteSpell(out, r.first_seen, r.last_seen);
    out << "      </edge>\n";
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
  return out ? Status::Ok() : Status::IoError("write failed");
}

}  // namespace newsgraph
