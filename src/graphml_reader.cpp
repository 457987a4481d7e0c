// A streaming GraphML reader: one pass over the memory-mapped file, no DOM. Text is only
// copied where it is kept (names, strings) or needs decoding (entities, CDATA); the pages
// already parsed are handed back to the kernel so the file never counts twice in memory.
#include "newsgraph/graphml.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "export_util.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

enum class Field : std::uint8_t {
  kIgnore,
  // Node fields.
  kName, kAltName, kType, kFrequency, kDocuments, kAliases, kFirstSeen, kLastSeen, kDegree,
  kWeightedDegree, kPageRank, kBetweenness, kComponent, kCommunity, kUnits,
  // Edge fields; the measures in the order of kEdgeMeasureFields.
  kWeight, kCount, kEdgeDocuments, kAssociation, kPmi, kNpmi, kJaccard, kCosine, kG2,
  kEdgeFirstSeen, kEdgeLastSeen, kEvidence,
};

static_assert(static_cast<std::size_t>(Field::kG2) - static_cast<std::size_t>(Field::kAssociation) + 1 ==
              std::size(kEdgeMeasureFields));

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

Field NodeFieldOf(std::string_view attr_name) {
  static const std::pair<std::string_view, Field> kFields[] = {
      {"label", Field::kName},         {"name", Field::kAltName},
      {"type", Field::kType},          {"frequency", Field::kFrequency},
      {"documents", Field::kDocuments}, {"aliases", Field::kAliases},
      {"first_seen", Field::kFirstSeen}, {"last_seen", Field::kLastSeen},
      {"degree", Field::kDegree},      {"weighted_degree", Field::kWeightedDegree},
      {"pagerank", Field::kPageRank},  {"betweenness", Field::kBetweenness},
      {"component", Field::kComponent}, {"community", Field::kCommunity},
      {"units", Field::kUnits}};
  const std::string name = Lower(attr_name);
  for (const auto& [n, f] : kFields)
    if (n == name) return f;
  return Field::kIgnore;
}

Field EdgeFieldOf(std::string_view attr_name) {
  static const std::pair<std::string_view, Field> kFields[] = {
      {"weight", Field::kWeight},           {"count", Field::kCount},
      {"documents", Field::kEdgeDocuments}, {"association", Field::kAssociation},
      {"pmi", Field::kPmi},                 {"npmi", Field::kNpmi},
      {"jaccard", Field::kJaccard},         {"cosine", Field::kCosine},
      {"g2", Field::kG2},                   {"first_seen", Field::kEdgeFirstSeen},
      {"last_seen", Field::kEdgeLastSeen},  {"evidence", Field::kEvidence}};
  const std::string name = Lower(attr_name);
  for (const auto& [n, f] : kFields)
    if (n == name) return f;
  return Field::kIgnore;
}

struct KeyDef {
  std::string id;
  Field node_field = Field::kIgnore;
  Field edge_field = Field::kIgnore;
  bool has_default = false;
  std::string default_value;
};

inline bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool ParseDouble(std::string_view s, double* out) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseInt(std::string_view s, std::int64_t* out) {
  s = Trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return true;
  // Other tools write integers as doubles ("3.0").
  double d;
  if (!ParseDouble(s, &d) || !std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9e18) {
    return false;
  }
  *out = static_cast<std::int64_t>(d);
  return true;
}

bool ParseCount(std::string_view s, std::uint64_t* out) {
  std::int64_t v;
  if (!ParseInt(s, &v) || v < 0) return false;
  *out = static_cast<std::uint64_t>(v);
  return true;
}

// Splits newsgraph's evidence text: lines "DOC [BEGIN,END]: TEXT"; a line without that head
// continues the previous passage. Document ids and passages come from `pool`, and their records
// from `records`, so edges quoting the same passage share it.
EvidenceList ParseEvidence(std::string_view s, SharedStringPool* pool, EvidencePool* records) {
  struct Passage {
    std::string_view doc;
    std::uint32_t begin = 0, end = 0;
    std::string text;
  };
  std::vector<Passage> passages;
  while (!s.empty()) {
    const std::size_t nl = s.find('\n');
    const std::string_view line = s.substr(0, nl);
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
    bool parsed = false;
    for (std::size_t at = line.find(" ["); at != std::string_view::npos;
         at = line.find(" [", at + 1)) {
      std::uint32_t begin = 0, end = 0;
      const char* p = line.data() + at + 2;
      const char* e = line.data() + line.size();
      auto r = std::from_chars(p, e, begin);
      if (r.ec != std::errc() || r.ptr == e || *r.ptr != ',') continue;
      r = std::from_chars(r.ptr + 1, e, end);
      if (r.ec != std::errc() || e - r.ptr < 3 || r.ptr[0] != ']' || r.ptr[1] != ':' ||
          r.ptr[2] != ' ') {
        continue;
      }
      passages.push_back({line.substr(0, at), begin, end, std::string(r.ptr + 3, e)});
      parsed = true;
      break;
    }
    if (!parsed) {
      if (passages.empty()) {
        passages.push_back({{}, 0, 0, std::string(line)});
      } else {
        passages.back().text.append("\n").append(line);
      }
    }
  }
  EvidenceList out;
  out.reserve(passages.size());
  for (Passage& p : passages)
    out.push_back(records->Get({pool->Get(p.doc), p.begin, p.end, pool->Get(p.text)}));
  return out;
}

class GraphMLParser {
 public:
  GraphMLParser(std::string_view text, const std::string& origin, const GraphMLReadOptions& options,
                bool release_pages, Graph* graph)
      : b_(text.data()), p_(text.data()), e_(text.data() + text.size()), origin_(origin),
        options_(options), release_pages_(release_pages), graph_(*graph),
        g_(graph->mutable_network()) {}

  Status Run();
  // Whether the file gave the nodes' degrees (else the caller computes them).
  bool has_degree_key() const { return has_degree_key_; }

 private:
  struct Attr { std::string_view name, value; };
  static constexpr std::size_t kMaxAttrs = 16;

  // Returns an InvalidInput status naming the file and the line of `at`.
  Status Error(const char* at, const std::string& what) const {
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(b_, std::min(at, e_), '\n'));
    return Status::InvalidInput(origin_ + ":" + std::to_string(line) + ": malformed GraphML: " + what);
  }

  bool StartsWith(const char* at, std::string_view s) const {
    return static_cast<std::size_t>(e_ - at) >= s.size() && std::memcmp(at, s.data(), s.size()) == 0;
  }
  // Moves past the next `end`; false at end of file.
  bool SkipPast(std::string_view end) {
    const std::string_view rest(p_, static_cast<std::size_t>(e_ - p_));
    const std::size_t at = rest.find(end);
    if (at == std::string_view::npos) return false;
    p_ += at + end.size();
    return true;
  }

  Status SkipMarkup(const char* lt);
  Status ParseTag(const char* lt, std::string_view* name, bool* self_closing);
  Status ParseEndTag(const char* lt, std::string_view* name);
  Status DecodeInto(const char* from, const char* to, std::string* out);
  Status ReadContent(const char* start_tag, std::string_view name, std::string_view* value,
                     bool* nested);
  Status SkipElement(const char* lt);
  std::string_view AttrValue(std::string_view name) const {
    for (std::size_t i = 0; i < nattrs_; ++i)
      if (attrs_[i].name == name) return attrs_[i].value;
    return {};
  }
  bool HasAttr(std::string_view name) const {
    for (std::size_t i = 0; i < nattrs_; ++i)
      if (attrs_[i].name == name) return true;
    return false;
  }

  Status StartElement(const char* lt, std::string_view name, bool self_closing);
  Status EndElement(const char* lt, std::string_view name);
  int FindKey(std::string_view id);
  Vertex VertexFor(std::string_view id);
  Status ApplyNode(const char* at, Field f, std::string_view v, Vertex vertex);
  Status ApplyEdge(const char* at, Field f, std::string_view v);
  void ApplyDescription(std::string_view text);
  bool GivenMeasuresDerivable(Edge e) const;
  void Finish();

  void MaybeRelease() {
    if (!release_pages_) return;
    Release(static_cast<std::size_t>(p_ - b_), &released_);
  }
  // Hands the mapped pages before `done` (less a margin) back to the kernel, every 4 MB.
  void Release(std::size_t done, std::size_t* released) const {
    constexpr std::size_t kStep = 4u << 20, kMargin = 1u << 20;
    if (done < *released + kStep + kMargin) return;
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t upto = ((done - kMargin) / page) * page;
    madvise(const_cast<char*>(b_) + *released, upto - *released, MADV_DONTNEED);
    *released = upto;
  }
  void Prescan();

  const char* b_;
  const char* p_;
  const char* e_;
  const std::string& origin_;
  const GraphMLReadOptions& options_;
  SharedStringPool shared_;  // edge dates, document ids and passages, each held once
  EvidencePool records_;     // passage records, each held once
  const bool release_pages_;
  std::size_t released_ = 0;

  std::array<Attr, kMaxAttrs> attrs_;
  std::array<std::string, kMaxAttrs> decoded_;
  std::size_t nattrs_ = 0;
  std::string content_;  // decoded text of the current <data>

  std::vector<std::string_view> stack_;  // open elements
  bool seen_root_ = false;

  std::vector<KeyDef> keys_;
  int last_key_ = -1;
  int open_key_ = -1;  // the <key> being read (for its <default>)
  std::vector<int> node_defaults_, edge_defaults_;
  bool has_degree_key_ = false;

  Graph& graph_;  // the corpus totals, from the graph's <desc>
  Network& g_;  // built in place: Boost 1.74's adjacency_list has no move, only deep copies
  std::unordered_map<std::string, Vertex> by_id_;  // filled once ids stop being sequential
  std::vector<std::string> ids_;       // node id of each vertex
  std::vector<std::uint32_t> degree_hint_;  // from Prescan: edges naming id "n<k>", by k
  std::vector<bool> declared_;         // vertex had its own <node> element
  bool sequential_ids_ = true;         // every id so far is "n" + its vertex index
  std::vector<Vertex> node_stack_;     // <node> elements being read (nested graphs)
  std::string alt_name_;               // the node's `name` attribute, used when it has no label

  bool in_edge_ = false;
  Vertex edge_u_ = 0, edge_v_ = 0;
  Relation rel_;
  bool weight_set_ = false;
  EdgeMeasures given_;        // the edge's measures as the file gives them
  unsigned given_fields_ = 0;  // which of them: bit k for kEdgeMeasureFields[k]
};

Status GraphMLParser::SkipMarkup(const char* lt) {
  // <? ... ?>, <!-- ... -->, <![CDATA[ ... ]]>, <!DOCTYPE ... [ ... ]>
  p_ = lt + 1;
  if (*p_ == '?') {
    if (!SkipPast("?>")) return Error(lt, "unterminated processing instruction");
  } else if (StartsWith(p_, "!--")) {
    p_ += 3;
    if (!SkipPast("-->")) return Error(lt, "unterminated comment");
  } else if (StartsWith(p_, "![CDATA[")) {
    if (!SkipPast("]]>")) return Error(lt, "unterminated CDATA section");
  } else {
    int depth = 0;
    for (; p_ < e_; ++p_) {
      if (*p_ == '[') ++depth;
      else if (*p_ == ']') --depth;
      else if (*p_ == '>' && depth <= 0) break;
    }
    if (p_ >= e_) return Error(lt, "unterminated declaration");
    ++p_;
  }
  return Status::Ok();
}

Status GraphMLParser::ParseTag(const char* lt, std::string_view* name, bool* self_closing) {
  const char* p = lt + 1;
  const char* start = p;
  while (p < e_ && !IsXmlSpace(*p) && *p != '>' && *p != '/') ++p;
  if (p == start) return Error(lt, "expected an element name after '<'");
  *name = std::string_view(start, static_cast<std::size_t>(p - start));
  nattrs_ = 0;
  while (true) {
    while (p < e_ && IsXmlSpace(*p)) ++p;
    if (p >= e_) return Error(lt, "unexpected end of file in <" + std::string(*name) + ">");
    if (*p == '>') { *self_closing = false; p_ = p + 1; return Status::Ok(); }
    if (*p == '/') {
      if (p + 1 < e_ && p[1] == '>') { *self_closing = true; p_ = p + 2; return Status::Ok(); }
      return Error(p, "expected '>' after '/' in <" + std::string(*name) + ">");
    }
    const char* an = p;
    while (p < e_ && !IsXmlSpace(*p) && *p != '=' && *p != '>' && *p != '/') ++p;
    const std::string_view attr(an, static_cast<std::size_t>(p - an));
    while (p < e_ && IsXmlSpace(*p)) ++p;
    if (p >= e_ || *p != '=') {
      return Error(p, "expected '=' after attribute \"" + std::string(attr) + "\" in <" +
                          std::string(*name) + ">");
    }
    ++p;
    while (p < e_ && IsXmlSpace(*p)) ++p;
    if (p >= e_ || (*p != '"' && *p != '\'')) {
      return Error(p, "expected a quoted value for attribute \"" + std::string(attr) + "\"");
    }
    const char quote = *p++;
    const char* close = static_cast<const char*>(std::memchr(p, quote, static_cast<std::size_t>(e_ - p)));
    if (!close) return Error(an, "unterminated value of attribute \"" + std::string(attr) + "\"");
    std::string_view value(p, static_cast<std::size_t>(close - p));
    if (value.find('<') != std::string_view::npos) {
      return Error(an, "'<' in the value of attribute \"" + std::string(attr) + "\"");
    }
    if (nattrs_ < kMaxAttrs) {
      if (value.find('&') != std::string_view::npos) {
        std::string& d = decoded_[nattrs_];
        d.clear();
        Status s = DecodeInto(p, close, &d);
        if (!s.ok()) return s;
        value = d;
      }
      attrs_[nattrs_++] = {attr, value};
    }
    p = close + 1;
  }
}

Status GraphMLParser::ParseEndTag(const char* lt, std::string_view* name) {
  const char* p = lt + 2;
  const char* start = p;
  while (p < e_ && !IsXmlSpace(*p) && *p != '>') ++p;
  *name = std::string_view(start, static_cast<std::size_t>(p - start));
  while (p < e_ && IsXmlSpace(*p)) ++p;
  if (p >= e_ || *p != '>' || name->empty()) return Error(lt, "malformed end tag");
  p_ = p + 1;
  return Status::Ok();
}

Status GraphMLParser::DecodeInto(const char* from, const char* to, std::string* out) {
  while (from < to) {
    const char* amp = static_cast<const char*>(std::memchr(from, '&', static_cast<std::size_t>(to - from)));
    if (!amp) { out->append(from, to); return Status::Ok(); }
    out->append(from, amp);
    const char* semi = static_cast<const char*>(std::memchr(amp, ';', static_cast<std::size_t>(std::min<std::ptrdiff_t>(to - amp, 12))));
    if (!semi) return Error(amp, "'&' not starting an entity (write &amp;)");
    const std::string_view ent(amp + 1, static_cast<std::size_t>(semi - amp - 1));
    if (ent == "amp") out->push_back('&');
    else if (ent == "lt") out->push_back('<');
    else if (ent == "gt") out->push_back('>');
    else if (ent == "quot") out->push_back('"');
    else if (ent == "apos") out->push_back('\'');
    else if (ent.size() >= 2 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (digits.empty() || r.ec != std::errc() || r.ptr != digits.data() + digits.size() || cp == 0 ||
          cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return Error(amp, "invalid character reference &" + std::string(ent) + ";");
      }
      utf8::Append(out, static_cast<char32_t>(cp));
    } else {
      return Error(amp, "unknown entity &" + std::string(ent) + ";");
    }
    from = semi + 1;
  }
  return Status::Ok();
}

Status GraphMLParser::SkipElement(const char* lt) {
  std::string_view name;
  bool self_closing = false;
  Status s = ParseTag(lt, &name, &self_closing);
  if (!s.ok() || self_closing) return s;
  std::vector<std::string_view> open = {name};
  while (!open.empty()) {
    const char* next = static_cast<const char*>(std::memchr(p_, '<', static_cast<std::size_t>(e_ - p_)));
    if (!next) return Error(e_, "unexpected end of file: <" + std::string(open.back()) + "> not closed");
    if (next + 1 >= e_) return Error(next, "unexpected end of file");
    if (next[1] == '/') {
      if (!(s = ParseEndTag(next, &name)).ok()) return s;
      if (name != open.back()) {
        return Error(next, "expected </" + std::string(open.back()) + ">, found </" + std::string(name) + ">");
      }
      open.pop_back();
    } else if (next[1] == '?' || next[1] == '!') {
      if (!(s = SkipMarkup(next)).ok()) return s;
    } else {
      if (!(s = ParseTag(next, &name, &self_closing)).ok()) return s;
      if (!self_closing) open.push_back(name);
    }
  }
  return Status::Ok();
}

Status GraphMLParser::ReadContent(const char* start_tag, std::string_view name,
                                  std::string_view* value, bool* nested) {
  *nested = false;
  const char* lt = static_cast<const char*>(std::memchr(p_, '<', static_cast<std::size_t>(e_ - p_)));
  if (!lt) return Error(start_tag, "unexpected end of file: <" + std::string(name) + "> not closed");
  // The common case: plain text up to the end tag.
  if (lt + 1 < e_ && lt[1] == '/' &&
      !std::memchr(p_, '&', static_cast<std::size_t>(lt - p_))) {
    *value = std::string_view(p_, static_cast<std::size_t>(lt - p_));
  } else {
    content_.clear();
    while (true) {
      Status s = DecodeInto(p_, lt, &content_);
      if (!s.ok()) return s;
      p_ = lt;
      if (lt + 1 >= e_) return Error(lt, "unexpected end of file");
      if (lt[1] == '/') break;
      if (StartsWith(lt, "<![CDATA[")) {
        p_ = lt + 9;
        const char* at = p_;
        if (!SkipPast("]]>")) return Error(lt, "unterminated CDATA section");
        content_.append(at, p_ - 3);
      } else if (lt[1] == '!' || lt[1] == '?') {
        if (!(s = SkipMarkup(lt)).ok()) return s;
      } else {
        // Markup inside the value (yEd graphics): skipped, the value is ignored.
        if (!(s = SkipElement(lt)).ok()) return s;
        *nested = true;
      }
      lt = static_cast<const char*>(std::memchr(p_, '<', static_cast<std::size_t>(e_ - p_)));
      if (!lt) return Error(start_tag, "unexpected end of file: <" + std::string(name) + "> not closed");
    }
    *value = content_;
  }
  std::string_view end;
  Status s = ParseEndTag(lt, &end);
  if (!s.ok()) return s;
  if (end != name) {
    return Error(lt, "expected </" + std::string(name) + ">, found </" + std::string(end) + ">");
  }
  return Status::Ok();
}

int GraphMLParser::FindKey(std::string_view id) {
  const int guess = last_key_ + 1;
  if (guess < static_cast<int>(keys_.size()) && keys_[guess].id == id) return last_key_ = guess;
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i].id == id) return last_key_ = static_cast<int>(i);
  // An undeclared key: its id doubles as its name.
  KeyDef k;
  k.id = std::string(id);
  k.node_field = NodeFieldOf(id);
  k.edge_field = EdgeFieldOf(id);
  keys_.push_back(std::move(k));
  return last_key_ = static_cast<int>(keys_.size() - 1);
}

Vertex GraphMLParser::VertexFor(std::string_view id) {
  // newsgraph writes ids "n0", "n1", ... in vertex order: no map needed while that holds.
  std::size_t number = std::numeric_limits<std::size_t>::max();
  if (id.size() >= 2 && id[0] == 'n' && (id[1] != '0' || id.size() == 2)) {
    const auto r = std::from_chars(id.data() + 1, id.data() + id.size(), number);
    if (r.ec != std::errc() || r.ptr != id.data() + id.size()) number = std::numeric_limits<std::size_t>::max();
  }
  if (sequential_ids_) {
    if (number < ids_.size()) return number;
  } else if (auto it = by_id_.find(std::string(id)); it != by_id_.end()) {
    return it->second;
  }
  const Vertex v = boost::add_vertex(g_);
  if (number < degree_hint_.size()) g_.out_edge_list(v).reserve(degree_hint_[number]);
  ids_.emplace_back(id);
  declared_.push_back(false);
  if (sequential_ids_ && number != v) {
    sequential_ids_ = false;
    by_id_.reserve(ids_.size() * 2);
    for (std::size_t i = 0; i < ids_.size(); ++i) by_id_.emplace(ids_[i], i);
  } else if (!sequential_ids_) {
    by_id_.emplace(std::string(id), v);
  }
  return v;
}

// A quick pass counting nodes and the edges at each "n<k>" id, so the vertex array and the
// adjacency vectors are allocated once at their final size (no growth slack or copies).
void GraphMLParser::Prescan() {
  std::size_t nodes = 0, released = 0;
  const char* p = b_;
  auto count = [&](std::string_view tag, std::string_view attr) {
    const std::size_t at = tag.find(attr);
    if (at == std::string_view::npos) return;
    std::size_t k = 0;
    const char* d = tag.data() + at + attr.size();
    const auto r = std::from_chars(d, tag.data() + tag.size(), k);
    // A hint only: an index beyond what the file could hold (a <node> takes over 8 bytes) is
    // ignored, so a tiny file naming "n111111111" cannot allocate gigabytes.
    const auto max_k = std::min<std::size_t>(std::size_t{1} << 28, static_cast<std::size_t>(e_ - b_) / 8);
    if (r.ec != std::errc() || r.ptr == d || k >= max_k) return;
    if (k >= degree_hint_.size()) degree_hint_.resize(std::max<std::size_t>(k + 1, degree_hint_.size() * 2));
    ++degree_hint_[k];
  };
  while ((p = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(e_ - p))))) {
    ++p;
    if (e_ - p < 6) break;
    if (std::memcmp(p, "node", 4) == 0 && (IsXmlSpace(p[4]) || p[4] == '>' || p[4] == '/')) {
      ++nodes;
    } else if (std::memcmp(p, "edge", 4) == 0 && IsXmlSpace(p[4])) {
      const char* gt = static_cast<const char*>(std::memchr(p, '>', static_cast<std::size_t>(e_ - p)));
      if (!gt) break;
      const std::string_view tag(p, static_cast<std::size_t>(gt - p));
      count(tag, " source=\"n");
      count(tag, " target=\"n");
      p = gt;
    }
    if (release_pages_) Release(static_cast<std::size_t>(p - b_), &released);
  }
  if (release_pages_) madvise(const_cast<char*>(b_), static_cast<std::size_t>(e_ - b_), MADV_DONTNEED);
  // Boost exposes the vertex array; reserving it avoids a doubling copy of every vertex.
  g_.m_vertices.reserve(nodes);
}

Status GraphMLParser::ApplyNode(const char* at, Field f, std::string_view v, Vertex vertex) {
  EntityNode& n = g_[vertex];
  auto count = [&](std::uint64_t* out) {
    return ParseCount(v, out) ? Status::Ok()
                              : Error(at, "expected a non-negative integer, found \"" + std::string(v) + "\"");
  };
  auto real = [&](double* out) {
    return ParseDouble(v, out) ? Status::Ok() : Error(at, "expected a number, found \"" + std::string(v) + "\"");
  };
  auto integer = [&](std::int64_t* out) {
    return ParseInt(v, out) ? Status::Ok() : Error(at, "expected an integer, found \"" + std::string(v) + "\"");
  };
  switch (f) {
    case Field::kName: n.name.assign(v); break;
    case Field::kAltName: alt_name_.assign(v); break;
    case Field::kType: n.type.assign(v); break;
    case Field::kFrequency: return count(&n.frequency);
    case Field::kDocuments: return count(&n.documents);
    case Field::kAliases:
      n.aliases.clear();
      while (!v.empty()) {
        const std::size_t sep = v.find("; ");
        if (sep != 0) n.aliases.emplace_back(v.substr(0, sep));
        v = sep == std::string_view::npos ? std::string_view() : v.substr(sep + 2);
      }
      break;
    case Field::kFirstSeen: n.first_seen.assign(v); break;
    case Field::kLastSeen: n.last_seen.assign(v); break;
    case Field::kDegree: return real(&n.degree);
    case Field::kWeightedDegree: return real(&n.weighted_degree);
    case Field::kPageRank: return real(&n.pagerank);
    case Field::kBetweenness: return real(&n.betweenness);
    case Field::kComponent: return integer(&n.component);
    case Field::kCommunity: return integer(&n.community);
    case Field::kUnits: return count(&n.units);
    default: break;
  }
  return Status::Ok();
}

Status GraphMLParser::ApplyEdge(const char* at, Field f, std::string_view v) {
  Relation& r = rel_;
  auto count = [&](std::uint64_t* out) {
    return ParseCount(v, out) ? Status::Ok()
                              : Error(at, "expected a non-negative integer, found \"" + std::string(v) + "\"");
  };
  auto real = [&](double* out) {
    return ParseDouble(v, out) ? Status::Ok() : Error(at, "expected a number, found \"" + std::string(v) + "\"");
  };
  switch (f) {
    case Field::kWeight: weight_set_ = true; return real(&r.weight);
    case Field::kCount: return count(&r.count);
    case Field::kEdgeDocuments: return count(&r.documents);
    case Field::kAssociation: case Field::kPmi: case Field::kNpmi: case Field::kJaccard:
    case Field::kCosine: case Field::kG2: {
      const unsigned k = static_cast<unsigned>(f) - static_cast<unsigned>(Field::kAssociation);
      given_fields_ |= 1u << k;
      return real(&(given_.*kEdgeMeasureFields[k].value));
    }
    case Field::kEdgeFirstSeen: r.detail.mutable_get().first_seen = shared_.Get(v); break;
    case Field::kEdgeLastSeen: r.detail.mutable_get().last_seen = shared_.Get(v); break;
    case Field::kEvidence:
      if (options_.evidence) r.detail.mutable_get().evidence = ParseEvidence(v, &shared_, &records_);
      break;
    default: break;
  }
  return Status::Ok();
}

Status GraphMLParser::StartElement(const char* lt, std::string_view name, bool self_closing) {
  Status s;
  if (stack_.empty()) {
    if (seen_root_) return Error(lt, "content after the root element");
    if (name != "graphml" && !(name.size() > 8 && name.substr(name.size() - 8) == ":graphml")) {
      return Error(lt, "the root element is <" + std::string(name) + ">, not <graphml>");
    }
    seen_root_ = true;
  } else if (name == "data") {
    const std::string_view key = AttrValue("key");
    if (!HasAttr("key")) return Error(lt, "<data> without a key attribute");
    const int k = FindKey(key);
    std::string_view value;
    bool nested = false;
    if (!self_closing && !(s = ReadContent(lt, name, &value, &nested)).ok()) return s;
    if (self_closing || nested) return Status::Ok();
    if (in_edge_) return ApplyEdge(lt, keys_[k].edge_field, value);
    if (!node_stack_.empty()) return ApplyNode(lt, keys_[k].node_field, value, node_stack_.back());
    return Status::Ok();  // graph-level data
  } else if (name == "desc" && !stack_.empty() && stack_.back() == "graph" && !in_edge_ &&
             node_stack_.empty()) {
    // The graph's description: newsgraph writes its corpus totals there.
    std::string_view value;
    bool nested = false;
    if (self_closing) return Status::Ok();
    if (!(s = ReadContent(lt, name, &value, &nested)).ok()) return s;
    if (!nested) ApplyDescription(value);
    return Status::Ok();
  } else if (name == "node") {
    if (!HasAttr("id")) return Error(lt, "<node> without an id attribute");
    const std::string_view id = AttrValue("id");
    const Vertex v = VertexFor(id);
    if (declared_[v]) return Error(lt, "duplicate node id \"" + std::string(id) + "\"");
    declared_[v] = true;
    alt_name_.clear();
    node_stack_.push_back(v);
    for (int k : node_defaults_) {
      if (!(s = ApplyNode(lt, keys_[k].node_field, keys_[k].default_value, v)).ok()) return s;
    }
    if (self_closing) return EndElement(lt, name);
  } else if (name == "edge") {
    if (in_edge_) return Error(lt, "<edge> inside <edge>");
    if (!HasAttr("source") || !HasAttr("target")) {
      return Error(lt, "<edge> without source and target attributes");
    }
    // Look both ends up before creating either: the second lookup may add a vertex.
    edge_u_ = VertexFor(AttrValue("source"));
    edge_v_ = VertexFor(AttrValue("target"));
    in_edge_ = true;
    rel_ = Relation();
    weight_set_ = false;
    given_ = EdgeMeasures();
    given_fields_ = 0;
    for (int k : edge_defaults_) {
      if (!(s = ApplyEdge(lt, keys_[k].edge_field, keys_[k].default_value)).ok()) return s;
    }
    if (self_closing) return EndElement(lt, name);
  } else if (name == "key") {
    KeyDef k;
    k.id = std::string(AttrValue("id"));
    if (!HasAttr("id")) return Error(lt, "<key> without an id attribute");
    for (const auto& other : keys_) {
      if (other.id == k.id) return Error(lt, "duplicate key id \"" + k.id + "\"");
    }
    const std::string_view attr_name = HasAttr("attr.name") ? AttrValue("attr.name") : AttrValue("id");
    const std::string domain = Lower(AttrValue("for"));
    if (domain.empty() || domain == "all" || domain == "node") k.node_field = NodeFieldOf(attr_name);
    if (domain.empty() || domain == "all" || domain == "edge") k.edge_field = EdgeFieldOf(attr_name);
    if (k.node_field == Field::kDegree) has_degree_key_ = true;
    keys_.push_back(std::move(k));
    if (!self_closing) open_key_ = static_cast<int>(keys_.size() - 1);
  } else if (name == "default" && open_key_ >= 0) {
    std::string_view value;
    bool nested = false;
    if (!self_closing && !(s = ReadContent(lt, name, &value, &nested)).ok()) return s;
    KeyDef& k = keys_[open_key_];
    k.has_default = !self_closing && !nested;
    k.default_value.assign(value);
    if (k.has_default && k.node_field != Field::kIgnore) node_defaults_.push_back(open_key_);
    if (k.has_default && k.edge_field != Field::kIgnore) edge_defaults_.push_back(open_key_);
    return Status::Ok();
  }
  if (!self_closing) stack_.push_back(name);
  return Status::Ok();
}

Status GraphMLParser::EndElement(const char* lt, std::string_view name) {
  if (name == "node") {
    if (node_stack_.empty()) return Error(lt, "</node> without <node>");
    const Vertex v = node_stack_.back();
    node_stack_.pop_back();
    EntityNode& n = g_[v];
    if (n.name.empty()) n.name = alt_name_.empty() ? ids_[v] : alt_name_;
  } else if (name == "edge") {
    if (!weight_set_) rel_.weight = 1;
    const Edge e = boost::add_edge(edge_u_, edge_v_, std::move(rel_), g_).first;
    if (given_fields_ != 0 && !GivenMeasuresDerivable(e)) g_[e].given.mutable_get() = given_;
    in_edge_ = false;
  } else if (name == "key") {
    open_key_ = -1;
  }
  return Status::Ok();
}

// "newsgraph: documents D; units U; mentions M; bytes B; scope S; weight W", as WriteGraphML
// writes it. Anything else is a description like any other, and ignored, as are unknown or
// malformed parts.
void GraphMLParser::ApplyDescription(std::string_view text) {
  constexpr std::string_view kHead = "newsgraph:";
  text = Trim(text);
  if (text.substr(0, kHead.size()) != kHead) return;
  text.remove_prefix(kHead.size());
  while (!text.empty()) {
    const std::size_t end = text.find(';');
    const std::string_view part = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t space = part.find(' ');
    if (space == std::string_view::npos) continue;
    const std::string_view key = part.substr(0, space), value = Trim(part.substr(space + 1));
    std::uint64_t n = 0;
    const bool number = ParseCount(value, &n);
    if (key == "documents" && number) graph_.documents = n;
    else if (key == "units" && number) graph_.units = n;
    else if (key == "mentions" && number) graph_.mentions = n;
    else if (key == "bytes" && number) graph_.bytes = n;
    else if (key == "scope" && !value.empty()) graph_.scope.assign(value);
    else if (key == "weight") ParseWeightMeasure(value, &graph_.weight_measure);
  }
}

// Whether `given` is `exact` or `exact` as WriteGraphML writes it (6 significant digits).
bool SameAsWritten(double given, double exact) {
  return given == exact || given == RoundedAsWritten(exact);
}

// Whether the measures the file gives for edge `e` (just added, without them) are those its
// count, its ends' units and the corpus units give, exactly or as newsgraph writes them, so
// that Graph::measures can derive them and the edge need not hold them.
bool GraphMLParser::GivenMeasuresDerivable(Edge e) const {
  const EdgeMeasures derived = graph_.measures(e);
  for (unsigned k = 0; k < std::size(kEdgeMeasureFields); ++k) {
    const auto value = kEdgeMeasureFields[k].value;
    if ((given_fields_ & (1u << k)) && !SameAsWritten(given_.*value, derived.*value)) {
      return false;
    }
  }
  return true;
}

void GraphMLParser::Finish() {
  // Vertices only named by edges take their id as name.
  for (auto v : boost::make_iterator_range(boost::vertices(g_)))
    if (g_[v].name.empty()) g_[v].name = ids_[v];
  // Shared labels: each becomes "LABEL [ID]", the label an alias, so lookups see the ambiguity.
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(boost::num_vertices(g_));
  bool shared = false;
  for (auto v : boost::make_iterator_range(boost::vertices(g_))) shared |= ++seen[g_[v].name] > 1;
  if (shared) {
    std::vector<Vertex> renamed;
    for (auto v : boost::make_iterator_range(boost::vertices(g_)))
      if (seen[g_[v].name] > 1) renamed.push_back(v);
    seen.clear();
    for (Vertex v : renamed) {
      EntityNode& n = g_[v];
      n.aliases.insert(n.aliases.begin(), n.name);
      n.name += " [" + ids_[v] + "]";
    }
  }
}

Status GraphMLParser::Run() {
  Status s;
  Prescan();
  while (true) {
    const char* lt = static_cast<const char*>(std::memchr(p_, '<', static_cast<std::size_t>(e_ - p_)));
    if (!lt) break;
    if (lt + 1 >= e_) return Error(lt, "unexpected end of file after '<'");
    const char c = lt[1];
    if (c == '?' || c == '!') {
      s = SkipMarkup(lt);
    } else if (c == '/') {
      std::string_view name;
      if (!(s = ParseEndTag(lt, &name)).ok()) return s;
      if (stack_.empty()) return Error(lt, "</" + std::string(name) + "> without a start tag");
      if (stack_.back() != name) {
        return Error(lt, "expected </" + std::string(stack_.back()) + ">, found </" +
                             std::string(name) + ">");
      }
      stack_.pop_back();
      s = EndElement(lt, name);
    } else {
      std::string_view name;
      bool self_closing = false;
      if (!(s = ParseTag(lt, &name, &self_closing)).ok()) return s;
      s = StartElement(lt, name, self_closing);
    }
    if (!s.ok()) return s;
    MaybeRelease();
  }
  if (!stack_.empty()) {
    return Error(e_, "unexpected end of file: <" + std::string(stack_.back()) + "> not closed");
  }
  if (!seen_root_) return Error(e_, "no <graphml> element");
  Finish();
  return Status::Ok();
}

}  // namespace

namespace {

// Empties `out` and parses into it; on failure leaves it empty.
Status ParseInto(std::string_view text, const std::string& origin, Graph* out,
                 const GraphMLReadOptions& options, bool release_pages) {
  auto clear = [out] {
    out->mutable_network().clear();
    out->documents = out->units = out->mentions = out->bytes = 0;
    out->scope = "sentence";
    out->weight_measure = WeightMeasure::kCount;
  };
  clear();
  GraphMLParser parser(text, origin, options, release_pages, out);
  Status s = parser.Run();
  if (!s.ok()) clear();
  else if (!parser.has_degree_key()) out->UpdateDegrees();  // files from other tools
  out->Reindex();
  return s;
}

}  // namespace

Status ParseGraphML(std::string_view text, const std::string& origin, Graph* out,
                    const GraphMLReadOptions& options) {
  return ParseInto(text, origin, out, options, /*release_pages=*/false);
}

Status ReadGraphML(const std::string& path, Graph* out, const GraphMLReadOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    // Not a regular file (a pipe, say): read it whole.
    std::string text;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return Status::IoError(path + ": read failed");
    return ParseGraphML(text, path, out, options);
  }
  if (st.st_size == 0) {
    ::close(fd);
    return ParseGraphML({}, path, out, options);
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Status::IoError(path + ": cannot map: " + std::strerror(errno));
  ::madvise(map, size, MADV_SEQUENTIAL);
  Status s = ParseInto(std::string_view(static_cast<const char*>(map), size), path, out, options,
                       /*release_pages=*/true);
  ::munmap(map, size);
  return s;
}

}  // namespace newsgraph
