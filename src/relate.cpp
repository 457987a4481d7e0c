#include "newsgraph/relate.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <unordered_map>

namespace newsgraph {

Status ParseScope(std::string_view text, Scope* scope) {
  if (text == "sentence") { *scope = {ScopeKind::kSentence, 1}; return Status::Ok(); }
  if (text == "paragraph") { *scope = {ScopeKind::kParagraph, 1}; return Status::Ok(); }
  if (text == "document") { *scope = {ScopeKind::kDocument, 1}; return Status::Ok(); }
  if (text.rfind("window:", 0) == 0) {
    const std::string_view num = text.substr(7);
    unsigned n = 0;
    auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
    if (ec == std::errc() && p == num.data() + num.size() && n >= 1 && n <= 1000) {
      *scope = {ScopeKind::kWindow, n};
      return Status::Ok();
    }
  }
  return Status::InvalidInput("invalid scope \"" + std::string(text) +
                              "\" (expected sentence, paragraph, document or window:N, N >= 1)");
}

std::string ScopeName(const Scope& scope) {
  switch (scope.kind) {
    case ScopeKind::kSentence: return "sentence";
    case ScopeKind::kParagraph: return "paragraph";
    case ScopeKind::kDocument: return "document";
    case ScopeKind::kWindow: return "window:" + std::to_string(scope.window);
  }
  return "sentence";
}

const std::string& NodeStats::type() const {
  static const std::string kEmpty;
  const std::string* best = &kEmpty;
  std::uint64_t votes = 0;
  for (const auto& [t, v] : type_votes) {
    if (v > votes) { votes = v; best = &t; }
  }
  return *best;
}

namespace {

void Widen(std::string* first, std::string* last, const std::string& date) {
  if (date.empty()) return;
  if (first->empty() || date < *first) *first = date;
  if (last->empty() || date > *last) *last = date;
}

void AddEvidence(std::vector<Evidence>* kept, Evidence e, std::size_t limit) {
  if (limit == 0) return;
  if (kept->size() >= limit && !(e < kept->back())) return;
  auto pos = std::lower_bound(kept->begin(), kept->end(), e);
  if (pos != kept->end() && !(e < *pos) && !(*pos < e)) return;  // the same passage
  kept->insert(pos, std::move(e));
  if (kept->size() > limit) kept->pop_back();
}

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
long DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string TrimPassage(std::string_view s, std::size_t limit) {
  if (s.size() <= limit) return std::string(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace

Status ParseTimeSlice(std::string_view text, TimeSlice* slice) {
  static const std::pair<std::string_view, TimeSlice> kNames[] = {
      {"none", TimeSlice::kNone}, {"day", TimeSlice::kDay}, {"week", TimeSlice::kWeek},
      {"month", TimeSlice::kMonth}};
  for (const auto& [name, value] : kNames) {
    if (name == text) { *slice = value; return Status::Ok(); }
  }
  return Status::InvalidInput("invalid time slice \"" + std::string(text) +
                              "\" (expected day, week or month)");
}

std::string PeriodOf(std::string_view date, TimeSlice slice) {
  if (slice == TimeSlice::kNone || date.size() < 7) return "";
  if (slice == TimeSlice::kMonth) return std::string(date.substr(0, 7));
  if (date.size() < 10) return "";
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (date[i] < '0' || date[i] > '9') return "";
  if (slice == TimeSlice::kDay) return std::string(date.substr(0, 10));
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  // ISO 8601 week: the week with the year's first Thursday is week 1.
  const long days = DaysFromCivil(y, m, d);
  // 1970-01-01 (day 0) was a Thursday (3 with Monday = 0).
  const int weekday = static_cast<int>(((days % 7) + 10) % 7);  // Monday = 0
  const long thursday = days - weekday + 3;
  // Year of that Thursday.
  int wy = y;
  if (thursday < DaysFromCivil(y, 1, 1)) wy = y - 1;
  else if (thursday >= DaysFromCivil(y + 1, 1, 1)) wy = y + 1;
  const long week = (thursday - DaysFromCivil(wy, 1, 1)) / 7 + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02ld", wy, week);
  return buf;
}

void PartialGraph::AddDocument(const Document& doc, const Segmentation& seg,
                               const std::vector<Mention>& mentions,
                               const RelateOptions& options) {
  // A later part of a split document continues the previous one: counted once as a document,
  // with its entities and edges counted once per document across the parts.
  const bool continued = doc.part > 0;
  if (!continued) {
    ++documents_;
    open_nodes_.clear();
    open_edges_.clear();
  }
  bytes_ += doc.text.size();
  mentions_ += mentions.size();
  const std::string period = PeriodOf(doc.date, options.slice);
  const auto base = static_cast<std::uint32_t>(doc.base_offset);  // documents < 4 GB

  // Each distinct entity of the document is looked up in the (ordered, string-keyed) maps once;
  // the rest of the work uses small per-document indexes.
  std::vector<NodeStats*> local;          // by local index
  std::vector<const std::string*> names;  // the map's own key, by local index
  std::vector<std::uint32_t> local_of(mentions.size());
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(mentions.size());
  std::string surface;  // reused: no allocation per mention for short surfaces
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    const Mention& m = mentions[k];
    auto [it, fresh] = index.try_emplace(m.entity, static_cast<std::uint32_t>(local.size()));
    if (fresh) {
      auto node = nodes_.try_emplace(m.entity).first;
      local.push_back(&node->second);
      names.push_back(&node->first);
      NodeStats& n = node->second;
      if (open_nodes_.insert(&n).second) {
        ++n.documents;
        Widen(&n.first_seen, &n.last_seen, doc.date);
      }
    }
    local_of[k] = it->second;
    NodeStats& n = *local[it->second];
    ++n.frequency;
    ++n.type_votes[m.type];
    surface.assign(doc.text, m.begin, m.end - m.begin);
    auto s = n.surfaces.find(surface);
    if (s != n.surfaces.end()) ++s->second;
    else n.surfaces.emplace(surface, 1);
  }

  // The units: each a byte span and the range of sentences it covers.
  struct Unit { std::uint32_t first_sentence, sentence_end, begin, end; };
  std::vector<Unit> units;
  const auto& sents = seg.sentences;
  const std::uint32_t ns = static_cast<std::uint32_t>(sents.size());
  if (ns == 0) return;
  switch (options.scope.kind) {
    case ScopeKind::kSentence:
      for (std::uint32_t i = 0; i < ns; ++i) units.push_back({i, i + 1, sents[i].begin, sents[i].end});
      break;
    case ScopeKind::kParagraph:
      for (std::uint32_t i = 0; i < ns;) {
        std::uint32_t j = i;
        while (j < ns && sents[j].paragraph == sents[i].paragraph) ++j;
        units.push_back({i, j, sents[i].begin, sents[j - 1].end});
        i = j;
      }
      break;
    case ScopeKind::kWindow: {
      const std::uint32_t w = options.scope.window;
      const std::uint32_t starts = ns > w ? ns - w + 1 : 1;
      for (std::uint32_t i = 0; i < starts; ++i) {
        const std::uint32_t j = std::min(ns, i + w);
        units.push_back({i, j, sents[i].begin, sents[j - 1].end});
      }
      break;
    }
    case ScopeKind::kDocument:
      units.push_back({0, ns, sents[0].begin, sents[ns - 1].end});
      break;
  }
  units_ += units.size();

  // The edges of the document, by local index pair (smaller index first).
  std::unordered_map<std::uint64_t, EdgeStats*> pair_edges;
  auto edge_of = [&](std::uint32_t a, std::uint32_t b) -> EdgeStats& {
    const std::uint64_t id = (std::uint64_t{std::min(a, b)} << 32) | std::max(a, b);
    auto [it, fresh] = pair_edges.try_emplace(id, nullptr);
    if (fresh) {
      const std::string& na = *names[a];
      const std::string& nb = *names[b];
      EdgeStats& e = na < nb ? edges_[EdgeKey{na, nb}] : edges_[EdgeKey{nb, na}];
      it->second = &e;
      if (open_edges_.insert(&e).second) {
        ++e.documents;
        Widen(&e.first_seen, &e.last_seen, doc.date);
      }
    }
    return *it->second;
  };

  // Mentions are sorted by offset, so each unit's mentions are a contiguous range.
  std::vector<std::uint32_t> present;
  std::size_t first_mention = 0;
  for (const Unit& u : units) {
    while (first_mention < mentions.size() && mentions[first_mention].sentence < u.first_sentence)
      ++first_mention;
    present.clear();
    for (std::size_t k = first_mention;
         k < mentions.size() && mentions[k].sentence < u.sentence_end; ++k) {
      present.push_back(local_of[k]);
    }
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    for (std::uint32_t e : present) {
      NodeStats& n = *local[e];
      ++n.units;
      if (!period.empty()) ++n.periods[period];
    }
    if (present.size() < 2) continue;
    // Evidence spans refer to the whole document.
    const std::uint32_t begin = u.begin + base, end = u.end + base;
    // Whether (doc, begin, end) with its passage sorts before `kept` (the passage, not yet
    // made, compares as the empty string here: AddEvidence settles full ties).
    auto sorts_before = [&](const Evidence& kept) {
      const int c = doc.id.compare(kept.doc);
      if (c != 0) return c < 0;
      if (begin != kept.begin) return begin < kept.begin;
      if (end != kept.end) return end < kept.end;
      return !kept.text.empty();
    };
    std::string passage;  // made once per unit, when some edge keeps it
    for (std::size_t a = 0; a < present.size(); ++a) {
      for (std::size_t b = a + 1; b < present.size(); ++b) {
        EdgeStats& e = edge_of(present[a], present[b]);
        ++e.count;
        if (!period.empty()) ++e.periods[period];
        if (options.evidence > 0 &&
            (e.evidence.size() < options.evidence || sorts_before(e.evidence.back()))) {
          if (passage.empty()) {
            passage = TrimPassage(std::string_view(doc.text).substr(u.begin, u.end - u.begin),
                                  options.evidence_chars);
          }
          AddEvidence(&e.evidence, Evidence{doc.id, begin, end, passage}, options.evidence);
        }
      }
    }
  }
}

namespace {

void MergeNode(NodeStats& n, const NodeStats& o) {
  n.frequency += o.frequency;
  n.documents += o.documents;
  n.units += o.units;
  for (const auto& [t, v] : o.type_votes) n.type_votes[t] += v;
  for (const auto& [p, v] : o.periods) n.periods[p] += v;
  for (const auto& [s, v] : o.surfaces) n.surfaces[s] += v;
  Widen(&n.first_seen, &n.last_seen, o.first_seen);
  Widen(&n.first_seen, &n.last_seen, o.last_seen);
}

void MergeEdge(EdgeStats& e, const EdgeStats& o, std::size_t evidence) {
  e.count += o.count;
  e.documents += o.documents;
  for (const auto& [p, v] : o.periods) e.periods[p] += v;
  Widen(&e.first_seen, &e.last_seen, o.first_seen);
  Widen(&e.first_seen, &e.last_seen, o.last_seen);
  for (const auto& ev : o.evidence) AddEvidence(&e.evidence, ev, evidence);
}

}  // namespace

void PartialGraph::Merge(const PartialGraph& other, const RelateOptions& options) {
  documents_ += other.documents_;
  units_ += other.units_;
  mentions_ += other.mentions_;
  bytes_ += other.bytes_;
  for (const auto& [name, o] : other.nodes_) MergeNode(nodes_[name], o);
  for (const auto& [key, o] : other.edges_) MergeEdge(edges_[key], o, options.evidence);
}

void PartialGraph::Merge(PartialGraph&& other, const RelateOptions& options) {
  if (this == &other) return Merge(static_cast<const PartialGraph&>(other), options);
  documents_ += other.documents_;
  units_ += other.units_;
  mentions_ += other.mentions_;
  bytes_ += other.bytes_;
  for (auto it = other.nodes_.begin(); it != other.nodes_.end();) {
    auto here = nodes_.find(it->first);
    if (here == nodes_.end()) {
      nodes_.insert(other.nodes_.extract(it++));
    } else {
      MergeNode(here->second, it->second);
      ++it;
    }
  }
  for (auto it = other.edges_.begin(); it != other.edges_.end();) {
    auto here = edges_.find(it->first);
    if (here == edges_.end()) {
      auto node = other.edges_.extract(it++);
      // Keep the evidence bound of this graph's options (the other may have kept more).
      if (node.mapped().evidence.size() > options.evidence)
        node.mapped().evidence.resize(options.evidence);
      edges_.insert(std::move(node));
    } else {
      MergeEdge(here->second, it->second, options.evidence);
      ++it;
    }
  }
  other = PartialGraph();
}

}  // namespace newsgraph
