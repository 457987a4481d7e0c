// GEXF 1.3 (https://gexf.net/): static, or dynamic (spells, per-period values) for dated corpora.
#include <algorithm>
#include <cmath>

#include "export_util.hpp"
#include "newsgraph/export.hpp"

namespace newsgraph {

namespace {

struct Attribute { const char* id; const char* type; };

const Attribute kNodeAttributes[] = {
    {"type", "string"},         {"frequency", "long"},      {"documents", "long"},
    {"units", "long"},          {"aliases", "string"},      {"first_seen", "string"},
    {"last_seen", "string"},    {"degree", "double"},       {"weighted_degree", "double"},
    {"pagerank", "double"},     {"betweenness", "double"},  {"component", "long"},
    {"community", "long"}};
const Attribute kEdgeAttributes[] = {
    {"count", "long"},          {"documents", "long"},      {"association", "double"},
    {"pmi", "double"},          {"npmi", "double"},         {"jaccard", "double"},
    {"cosine", "double"},       {"g2", "double"},           {"first_seen", "string"},
    {"last_seen", "string"},    {"evidence", "string"}};

void DeclareAttributes(Sink& out, const char* cls, const char* mode,
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
  explicit AttValues(Sink& out) : out_(out) {}
  // <attvalue for="ID" value="...">: Text() escapes the value for an attribute
  // (XmlEscape, and line breaks and tabs as character references, which parsers would otherwise
  // normalise to spaces); the others
  // write numbers (which need no escaping).
  Sink& Open(const char* id) {
    OpenList();
    return out_ << "          <attvalue for=\"" << id << "\" value=\"";
  }
  static constexpr std::string_view kEnd = "\"/>\n";
  void Text(const char* id, std::string_view value) { Open(id).Xml(value, true) << kEnd; }
  void Uint(const char* id, std::uint64_t value) { Open(id).Uint(value) << kEnd; }
  void Int(const char* id, std::int64_t value) { Open(id).Int(value) << kEnd; }
  void Double(const char* id, double value) { Open(id).Double(value) << kEnd; }
  // A value holding from `start` to `end` (dynamic attributes).
  void AddTimed(const char* id, std::uint64_t value, const std::string& start, const std::string& end) {
    Open(id).Uint(value) << "\" start=\"" << start << "\" end=\"" << end << kEnd;
  }
  void Close() {
    if (open_) out_ << "        </attvalues>\n";
    open_ = false;
  }

 private:
  void OpenList() {
    if (!open_) out_ << "        <attvalues>\n";
    open_ = true;
  }
  Sink& out_;
  bool open_ = false;
};

// The interval [first day of first_seen, last day of last_seen], or empty strings.
std::pair<std::string, std::string> Lifetime(std::string_view first, std::string_view last) {
  const auto a = DateBounds(first), b = DateBounds(last);
  if (a.first.empty() || b.second.empty()) return {};
  return {a.first, b.second};
}

void WriteSpell(Sink& out, std::string_view first, std::string_view last) {
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

Status WriteGexf(const Graph& graph, std::ostream& stream, const ExportOptions& options) {
  const Network& g = graph.network();
  // Dynamic when anything is dated; the time span is the union of the lifetimes.
  std::string start, end;
  bool periods = false;
  auto widen = [&](std::string_view first, std::string_view last) {
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
    widen(g[e].first_seen(), g[e].last_seen());
    periods = periods || !g[e].periods().empty();
  }
  const bool dynamic = !start.empty();
  periods = periods && dynamic;

  Sink out(&stream);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n"
         "  <meta>\n    <creator>newsgraph</creator>\n    <description>"
      << XmlEscape("Entity co-occurrence network: " + std::to_string(graph.documents) +
                   " documents, scope " + graph.scope + ", weight " +
                   WeightMeasureName(graph.weight_measure))
      << std::string_view("</description>\n  </meta>\n");
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
    out << "      <node id=\"";
    out.Xml(n.name, true) << "\" label=\"";
    out.Xml(n.name, true) << "\">\n";
    AttValues values(out);
    values.Text("type", n.type);
    values.Uint("frequency", n.frequency);
    values.Uint("documents", n.documents);
    values.Uint("units", n.units);
    if (!n.aliases.empty()) values.Open("aliases").XmlAliases(n.aliases, 20, true) << AttValues::kEnd;
    if (!n.first_seen.empty()) values.Text("first_seen", n.first_seen);
    if (!n.last_seen.empty()) values.Text("last_seen", n.last_seen);
    values.Double("degree", n.degree);
    values.Double("weighted_degree", n.weighted_degree);
    values.Double("pagerank", n.pagerank);
    values.Double("betweenness", n.betweenness);
    values.Int("component", n.component);
    values.Int("community", n.community);
    if (periods) WritePeriods(&values, "period_count", n.periods);
    values.Close();
    if (dynamic) WriteSpell(out, n.first_seen, n.last_seen);
    const TypeStyle& st = StyleOf(n.type);
    out << "        <viz:color r=\"";
    out.Int(st.r) << "\" g=\"";
    out.Int(st.g) << "\" b=\"";
    out.Int(st.b) << "\" a=\"1.0\"/>\n"
                  << "        <viz:size value=\"";
    out.Double(5 + 45 * std::sqrt(static_cast<double>(n.frequency) / max_freq)) << "\"/>\n      </node>\n";
    out.MaybeFlush();
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t id = 0;
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    const EdgeMeasures m = graph.measures(e);
    out << "      <edge id=\"e";
    out.Uint(id++) << "\" source=\"";
    out.Xml(g[boost::source(e, g)].name, true) << "\" target=\"";
    out.Xml(g[boost::target(e, g)].name, true) << "\" weight=\"";
    out.Double(r.weight) << "\">\n";
    AttValues values(out);
    values.Uint("count", r.count);
    values.Uint("documents", r.documents);
    for (const EdgeMeasureField& f : kEdgeMeasureFields) values.Double(f.name, m.*f.value);
    if (!r.first_seen().empty()) values.Text("first_seen", r.first_seen());
    if (!r.last_seen().empty()) values.Text("last_seen", r.last_seen());
    if (options.evidence && !r.evidence().empty())
      values.Open("evidence").XmlEvidence(r.evidence(), true) << AttValues::kEnd;
    if (periods) WritePeriods(&values, "period_count", r.periods());
    values.Close();
    if (dynamic) WriteSpell(out, r.first_seen(), r.last_seen());
    out << "      </edge>\n";
    out.MaybeFlush();
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
  return out.Done() ? Status::Ok() : Status::IoError("write failed");
}

}  // namespace newsgraph
