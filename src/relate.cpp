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

std::string PeriodOf(std::string_view date, TimeSlice slice) {
  if (slice == TimeSlice::kNone || date.size() < 7) return "";
  if (slice == TimeSlice::kMonth) return std::string(date.substr(0, 7));
  if (date.size() < 10) return "";
  if (slice == TimeSlice::kDay) return std::string(date.substr(0, 10));
  const int y = std::stoi(std::string(date.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  // ISO 8601 week: the week with the year's first Thursday is week 1.
  const long days = DaysFromCivil(y, m, d);
  const int weekday = static_cast<int>(((days % 7) + 11) % 7);  // Monday = 0
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
  ++documents_;
  bytes_ += doc.text.size();
  mentions_ += mentions.size();
  const std::string period = PeriodOf(doc.date, options.slice);

  std::set<std::string> in_doc;
  for (const Mention& m : mentions) {
    NodeStats& n = nodes_[m.entity];
    ++n.frequency;
    ++n.type_votes[m.type];
    ++n.surfaces[std::string(doc.text.substr(m.begin, m.end - m.begin))];
    if (in_doc.insert(m.entity).second) {
      ++n.documents;
      Widen(&n.first_seen, &n.last_seen, doc.date);
    }
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

  // Mentions are sorted by offset, so each unit's mentions are a contiguous range.
  std::set<EdgeKey> edges_in_doc;
  std::vector<const std::string*> present;
  std::size_t first_mention = 0;
  for (const Unit& u : units) {
    while (first_mention < mentions.size() && mentions[first_mention].sentence < u.first_sentence)
      ++first_mention;
    present.clear();
    for (std::size_t k = first_mention;
         k < mentions.size() && mentions[k].sentence < u.sentence_end; ++k) {
      present.push_back(&mentions[k].entity);
    }
    std::sort(present.begin(), present.end(),
              [](const std::string* a, const std::string* b) { return *a < *b; });
    present.erase(std::unique(present.begin(), present.end(),
                              [](const std::string* a, const std::string* b) { return *a == *b; }),
                  present.end());
    for (const std::string* e : present) {
      NodeStats& n = nodes_[*e];
      ++n.units;
      if (!period.empty()) ++n.periods[period];
    }
    if (present.size() < 2) continue;
    const std::string_view passage =
        std::string_view(doc.text).substr(u.begin, u.end - u.begin);
    for (std::size_t a = 0; a < present.size(); ++a) {
      for (std::size_t b = a + 1; b < present.size(); ++b) {
        EdgeKey key{*present[a], *present[b]};
        EdgeStats& e = edges_[key];
        ++e.count;
        if (!period.empty()) ++e.periods[period];
        if (edges_in_doc.insert(key).second) {
          ++e.documents;
          Widen(&e.first_seen, &e.last_seen, doc.date);
        }
        if (options.evidence > 0 &&
            (e.evidence.size() < options.evidence || Evidence{doc.id, u.begin, u.end, {}} < e.evidence.back())) {
          AddEvidence(&e.evidence,
                      Evidence{doc.id, u.begin, u.end, TrimPassage(passage, options.evidence_chars)},
                      options.evidence);
        }
      }
    }
  }
}

void PartialGraph::Merge(const PartialGraph& other, const RelateOptions& options) {
  documents_ += other.documents_;
  units_ += other.units_;
  mentions_ += other.mentions_;
  bytes_ += other.bytes_;
  for (const auto& [name, o] : other.nodes_) {
    NodeStats& n = nodes_[name];
    n.frequency += o.frequency;
    n.documents += o.documents;
    n.units += o.units;
    for (const auto& [t, v] : o.type_votes) n.type_votes[t] += v;
    for (const auto& [p, v] : o.periods) n.periods[p] += v;
    for (const auto& [s, v] : o.surfaces) n.surfaces[s] += v;
    Widen(&n.first_seen, &n.last_seen, o.first_seen);
    Widen(&n.first_seen, &n.last_seen, o.last_seen);
  }
  for (const auto& [key, o] : other.edges_) {
    EdgeStats& e = edges_[key];
    e.count += o.count;
    e.documents += o.documents;
    for (const auto& [p, v] : o.periods) e.periods[p] += v;
    Widen(&e.first_seen, &e.last_seen, o.first_seen);
    Widen(&e.first_seen, &e.last_seen, o.last_seen);
    for (const auto& ev : o.evidence) AddEvidence(&e.evidence, ev, options.evidence);
  }
}

}  // namespace newsgraph
