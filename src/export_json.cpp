// Node-link JSON, the layout networkx.node_link_graph / node_link_data use.
//
// Written straight into a Sink, byte for byte as RapidJSON's compact Writer writes it (the
// string escapes of Writer::WriteString and the numbers of internal::dtoa, u64toa and i64toa),
// without its per-character stream calls.
#include <cmath>

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>

#include "export_util.hpp"
#include "newsgraph/export.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

// Returns whether ValidUtf8(s) == s, without copying.
bool ValidAsIs(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t c = utf8::Next(s, &i);
    if ((c == 0xFFFD && s.substr(start, i - start) != "\xEF\xBF\xBD") || (c >= 0xD800 && c <= 0xDFFF))
      return false;
  }
  return true;
}

// RapidJSON's escape table: control characters, the quote and the backslash.
struct JsonEscapes {
  char code[256] = {};
  constexpr JsonEscapes() {
    for (int c = 0; c < 0x20; ++c) code[c] = 'u';
    code['\b'] = 'b';
    code['\t'] = 't';
    code['\n'] = 'n';
    code['\f'] = 'f';
    code['\r'] = 'r';
    code['"'] = '"';
    code['\\'] = '\\';
  }
};
constexpr JsonEscapes kJsonEscapes;

class JsonOut {
 public:
  explicit JsonOut(Sink& sink) : sink_(sink) {}

  // A string value (ValidUtf8 first, as before).
  void String(std::string_view s) {
    if (ValidAsIs(s)) {
      Escaped(s);
    } else {
      Escaped(ValidUtf8(s));
    }
  }
  // `"key":` after a comma unless it is the object's first member.
  void Key(std::string_view k) {
    Comma();
    String(k);
    sink_ << ':';
    first_ = true;  // the value that follows takes no comma
  }
  void StartObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void StartArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Bool(bool b) { Value(b ? "true" : "false"); }
  void Double(double d) {
    char buf[25];
    const char* end = rapidjson::internal::dtoa(std::isfinite(d) ? d : 0.0, buf, 324);
    Value(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  void Uint64(std::uint64_t v) {
    char buf[20];
    const char* end = rapidjson::internal::u64toa(v, buf);
    Value(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  void Int64(std::int64_t v) {
    char buf[21];
    const char* end = rapidjson::internal::i64toa(v, buf);
    Value(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  void Text(std::string_view v) {
    Comma();
    String(v);
    first_ = false;
  }

 private:
  void Comma() {
    if (!first_) sink_ << ',';
  }
  void Value(std::string_view text) {
    Comma();
    sink_ << text;
    first_ = false;
  }
  void Open(char c) {
    Comma();
    sink_ << c;
    first_ = true;
  }
  void Close(char c) {
    sink_ << c;
    first_ = false;
  }
  void Escaped(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    sink_ << '"';
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t run = i;
      while (run < s.size() && kJsonEscapes.code[static_cast<unsigned char>(s[run])] == 0) ++run;
      sink_ << s.substr(i, run - i);
      if (run == s.size()) break;
      const auto c = static_cast<unsigned char>(s[run]);
      const char code = kJsonEscapes.code[c];
      sink_ << '\\' << code;
      if (code == 'u') sink_ << '0' << '0' << kHex[c >> 4] << kHex[c & 0xF];
      i = run + 1;
    }
    sink_ << '"';
  }

  Sink& sink_;
  bool first_ = true;
};

void Number(JsonOut* w, std::string_view k, double v) {
  w->Key(k);
  w->Double(v);  // JSON has no NaN or infinity: written as 0
}
void Number(JsonOut* w, std::string_view k, std::uint64_t v) {
  w->Key(k);
  w->Uint64(v);
}
void Number(JsonOut* w, std::string_view k, std::int64_t v) {
  w->Key(k);
  w->Int64(v);
}
void Text(JsonOut* w, std::string_view k, std::string_view v) {
  w->Key(k);
  w->Text(v);
}
void Dates(JsonOut* w, std::string_view first, std::string_view last,
           const std::map<std::string, std::uint64_t>& periods) {
  if (!first.empty()) Text(w, "first_seen", first);
  if (!last.empty()) Text(w, "last_seen", last);
  if (!periods.empty()) {
    w->Key("periods");
    w->StartObject();
    for (const auto& [p, n] : periods) Number(w, p, n);
    w->EndObject();
  }
}

}  // namespace

Status WriteJson(const Graph& graph, std::ostream& out, const ExportOptions& options) {
  const Network& g = graph.network();
  Sink sink(&out);
  JsonOut json(sink);
  JsonOut* w = &json;
  w->StartObject();
  w->Key("directed");
  w->Bool(false);
  w->Key("multigraph");
  w->Bool(false);
  w->Key("graph");
  w->StartObject();
  Text(w, "name", "newsgraph");
  Text(w, "scope", graph.scope);
  Text(w, "weight", WeightMeasureName(graph.weight_measure));
  Number(w, "documents", static_cast<std::uint64_t>(graph.documents));
  Number(w, "units", static_cast<std::uint64_t>(graph.units));
  Number(w, "mentions", static_cast<std::uint64_t>(graph.mentions));
  w->EndObject();

  w->Key("nodes");
  w->StartArray();
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    w->StartObject();
    Text(w, "id", n.name);
    Text(w, "label", n.name);
    Text(w, "type", n.type);
    Number(w, "frequency", n.frequency);
    Number(w, "documents", n.documents);
    Number(w, "units", n.units);
    w->Key("aliases");
    w->StartArray();
    for (const auto& a : n.aliases) w->Text(a);
    w->EndArray();
    Dates(w, n.first_seen, n.last_seen, n.periods);
    Number(w, "degree", n.degree);
    Number(w, "weighted_degree", n.weighted_degree);
    Number(w, "pagerank", n.pagerank);
    Number(w, "betweenness", n.betweenness);
    Number(w, "component", n.component);
    Number(w, "community", n.community);
    w->EndObject();
    sink.MaybeFlush();
  }
  w->EndArray();

  w->Key("links");
  w->StartArray();
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const Relation& r = g[e];
    const EdgeMeasures m = graph.measures(e);
    w->StartObject();
    Text(w, "source", g[boost::source(e, g)].name);
    Text(w, "target", g[boost::target(e, g)].name);
    Number(w, "weight", r.weight);
    Number(w, "count", r.count);
    Number(w, "documents", r.documents);
    for (const EdgeMeasureField& f : kEdgeMeasureFields) Number(w, f.name, m.*f.value);
    Dates(w, r.first_seen(), r.last_seen(), r.periods());
    if (options.evidence) {
      w->Key("evidence");
      w->StartArray();
      for (const Evidence& ev : r.evidence()) {
        w->StartObject();
        Text(w, "doc", ev.doc);
        Number(w, "begin", static_cast<std::uint64_t>(ev.begin));
        Number(w, "end", static_cast<std::uint64_t>(ev.end));
        Text(w, "text", ev.text);
        w->EndObject();
      }
      w->EndArray();
    }
    w->EndObject();
    sink.MaybeFlush();
  }
  w->EndArray();
  w->EndObject();
  sink << '\n';
  return sink.Done() ? Status::Ok() : Status::IoError("write failed");
}

}  // namespace newsgraph
