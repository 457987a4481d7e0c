#include "newsgraph/relate.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <limits>

#include "flat_hash.hpp"
#include "free_storage.hpp"

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


namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// Strings interned for good: dense ids, storage that never moves, and an open-addressing
// index (hash fingerprint, id) compared against the stored views.
class Interner {
 public:
  Interner() = default;
  Interner(const Interner& o) { for (std::string_view s : o.views_) Intern(s); }
  Interner& operator=(const Interner&) = delete;
  std::uint32_t Intern(std::string_view s) {
    if ((views_.size() + 1) * 2 > slots_.size()) Grow();
    const std::uint64_t h = HashBytes(s);
    const auto fp = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.id == kNone) {
        const auto id = static_cast<std::uint32_t>(views_.size());
        strings_.emplace_back(s);
        views_.push_back(strings_.back());
        slot = {fp, id};
        return id;
      }
      if (slot.fp == fp && SameBytes(views_[slot.id], s)) return slot.id;
    }
  }
  // Returns the id of `s`, or kNone.
  std::uint32_t Find(std::string_view s) const {
    if (slots_.empty()) return kNone;
    const std::uint64_t h = HashBytes(s);
    const auto fp = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id == kNone) return kNone;
      if (slot.fp == fp && SameBytes(views_[slot.id], s)) return slot.id;
    }
  }
  std::string_view operator[](std::uint32_t id) const { return views_[id]; }
  std::size_t size() const { return views_.size(); }

 private:
  struct Slot {
    std::uint32_t fp = 0, id = kNone;
  };
  void Grow() {
    std::vector<Slot> slots(std::max<std::size_t>(64, slots_.size() * 2));
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t id = 0; id < views_.size(); ++id) {
      const std::uint64_t h = HashBytes(views_[id]);
      std::size_t i = h & mask;
      while (slots[i].id != kNone) i = (i + 1) & mask;
      slots[i] = {static_cast<std::uint32_t>(h >> 32), id};
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }
  std::deque<std::string> strings_;
  std::vector<std::string_view> views_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

// (interned id, count) pairs, unsorted; short, so searched linearly.
using Counts = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

inline void Bump(Counts* counts, std::uint32_t id, std::uint64_t by = 1) {
  for (auto it = counts->rbegin(); it != counts->rend(); ++it) {
    if (it->first == id) {
      it->second += by;
      return;
    }
  }
  counts->emplace_back(id, by);
}

struct Node {
  std::uint64_t frequency = 0, documents = 0, units = 0;
  std::uint64_t open_doc = 0;  // the document serial that last counted it
  std::uint32_t first_seen = kNone, last_seen = kNone;  // SharedStrings ids (dates)
  Counts type_votes, periods, surfaces;
};

struct EvRef {
  std::uint32_t doc, begin, end, text;  // doc and text: SharedStrings ids
};

struct EdgeRec {
  std::uint32_t a = 0, b = 0;  // node ids, a < b
  std::uint32_t first_seen = kNone, last_seen = kNone;
  std::uint64_t count = 0, documents = 0;
  std::uint64_t open_doc = 0;
  // Per time slice; allocated on the first count, so without --slice an edge spends 8 bytes
  // here instead of an empty vector's 24 (a million edges: 16 MB).
  std::unique_ptr<Counts> periods;
  std::vector<EvRef> evidence;  // sorted, at most the evidence limit
};

inline void Bump(std::unique_ptr<Counts>* counts, std::uint32_t id, std::uint64_t by = 1) {
  if (!*counts) *counts = std::make_unique<Counts>();
  Bump(counts->get(), id, by);
}

inline std::uint64_t PairKey(std::uint32_t a, std::uint32_t b) {
  return a < b ? (std::uint64_t{a} << 32) | b : (std::uint64_t{b} << 32) | a;
}

// Open addressing from a 64-bit key to the index of the record that holds it. A slot keeps the
// index and 32 bits of the key's hash (8 bytes, not the 16 of key and value); a candidate is
// confirmed against the record's own key, `key_of(index)`, which costs nothing extra where the
// caller goes on to read the record.
class EdgeTable {
 public:
  // Returns the index stored for `key`, or kNone.
  template <class KeyOf>
  std::uint32_t Find(std::uint64_t key, const KeyOf& key_of) const {
    if (slots_.empty()) return kNone;
    const std::uint64_t h = Hash(key);
    const auto fp = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Entry& e = slots_[i];
      if (e.index == kNone) return kNone;
      if (e.fp == fp && key_of(e.index) == key) return e.index;
    }
  }
  // Hints, for a caller that will look `key` up soon: loads its home slot into the cache.
  // (Always inlined: GCC takes a function that only prefetches for one without effects, and
  // drops its calls.)
  [[gnu::always_inline]] void PrefetchSlot(std::uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Hash(key) & mask_]);
  }
  // The index in the first slot from `key`'s home whose hash bits are the key's, or kNone: the
  // record it likely names, to prefetch (unconfirmed, so the record is not read here).
  [[gnu::always_inline]] std::uint32_t Guess(std::uint64_t key) const {
    if (slots_.empty()) return kNone;
    const std::uint64_t h = Hash(key);
    const auto fp = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Entry& e = slots_[i];
      if (e.index == kNone || e.fp == fp) return e.index;
    }
  }
  // Returns the index stored for `key`; when there is none, stores `index` (the caller then
  // makes that record, with key `key`) and returns it.
  template <class KeyOf>
  std::uint32_t FindOrInsert(std::uint64_t key, std::uint32_t index, const KeyOf& key_of) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(key_of);
    const std::uint64_t h = Hash(key);
    const auto fp = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Entry& e = slots_[i];
      if (e.index == kNone) {
        e = {fp, index};
        ++size_;
        return index;
      }
      if (e.fp == fp && key_of(e.index) == key) return e.index;
    }
  }

 private:
  struct Entry {
    std::uint32_t fp = 0, index = kNone;
  };
  static std::uint64_t Hash(std::uint64_t k) {
    k ^= k >> 29;
    k *= 0xBF58476D1CE4E5B9ULL;
    k ^= k >> 32;
    return k;
  }
  template <class KeyOf>
  void Grow(const KeyOf& key_of) {
    std::vector<Entry> slots(std::max<std::size_t>(64, slots_.size() * 2));
    const std::size_t mask = slots.size() - 1;
    for (const Entry& e : slots_) {
      if (e.index == kNone) continue;
      std::size_t i = Hash(key_of(e.index)) & mask;
      while (slots[i].index != kNone) i = (i + 1) & mask;
      slots[i] = e;
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }
  std::vector<Entry> slots_;
  std::size_t size_ = 0, mask_ = 0;
};

// A growing array in fixed chunks: no reallocation (so no moment with two copies of a large
// array) and stable element addresses.
template <class T>
class Chunked {
 public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& emplace_back() {
    if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<T[]>(kChunk));
    return (*this)[size_++];
  }
  T& operator[](std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  // Frees the whole chunks below element `i`; their elements must not be used again.
  void ReleaseBefore(std::size_t i) {
    for (; released_ < i / kChunk && released_ < chunks_.size(); ++released_)
      chunks_[released_].reset();
  }

 private:
  static constexpr std::size_t kChunk = 2048;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
  std::size_t released_ = 0;  // chunks freed by ReleaseBefore
};

}  // namespace

struct PartialGraph::Store {
  // Entity names and surface forms share one table (most surfaces equal their name), so a
  // mention usually costs one lookup; node_of maps a string to its entity, if it names one.
  Interner strings, types, periods;
  std::vector<std::uint32_t> node_of;  // by string id: node id or kNone
  std::vector<std::uint32_t> name_of;  // by node id: string id
  SharedStrings dates, docs, passages;
  std::vector<Node> nodes;
  Chunked<EdgeRec> edges;
  EdgeTable edge_index;
  std::uint64_t serial = 0;  // documents started (the current one's serial)

  // Per-document scratch, kept for its storage.
  std::vector<std::uint32_t> local_of, present;
  std::vector<std::uint32_t> unit_end;
  // Comparisons of the current document's id and date with stored ones, by stored id
  // (direct-mapped; the stored strings cannot change while a document is added).
  struct Cached { std::uint32_t id; int result; };
  std::array<Cached, 64> doc_cmp, date_cmp;
  template <class Pool>
  int CompareCached(std::array<Cached, 64>* cache, std::string_view mine, const Pool& pool,
                    std::uint32_t id) {
    Cached& c = (*cache)[id & 63];
    if (c.id != id) c = {id, mine.compare(pool[id])};
    return c.result;
  }

  std::uint32_t NodeId(std::string_view name) {
    return NodeFor(strings.Intern(name));
  }
  // Returns the node named by string `sid`, added when new.
  std::uint32_t NodeFor(std::uint32_t sid) {
    if (sid >= node_of.size()) node_of.resize(sid + 1, kNone);
    if (node_of[sid] == kNone) {
      node_of[sid] = static_cast<std::uint32_t>(nodes.size());
      nodes.emplace_back();
      name_of.push_back(sid);
    }
    return node_of[sid];
  }
  // Returns the node named `name`, or kNone.
  std::uint32_t FindNode(std::string_view name) const {
    const std::uint32_t sid = strings.Find(name);
    return sid == kNone || sid >= node_of.size() ? kNone : node_of[sid];
  }
  std::string_view Name(std::uint32_t node) const { return strings[name_of[node]];
  }
  // The key of edge record `i`, for the edge index.
  std::uint64_t EdgeKey(std::uint32_t i) const { return PairKey(edges[i].a, edges[i].b); }
  // Returns the edge between nodes `a` and `b`, or kNone.
  std::uint32_t FindEdge(std::uint32_t a, std::uint32_t b) const {
    return edge_index.Find(PairKey(a, b), [this](std::uint32_t i) { return EdgeKey(i); });
  }
  // Returns the edge between nodes `a` and `b`, added when new.
  EdgeRec& Edge(std::uint32_t a, std::uint32_t b) {
    const auto next = static_cast<std::uint32_t>(edges.size());
    const std::uint32_t i = edge_index.FindOrInsert(
        PairKey(a, b), next, [this](std::uint32_t k) { return EdgeKey(k); });
    if (i == next) {
      EdgeRec& e = edges.emplace_back();
      e.a = std::min(a, b);
      e.b = std::max(a, b);
    }
    return edges[i];
  }

  // Widens [first, last] to include the date `id` (a held reference; `date` its text).
  void Widen(std::uint32_t* first, std::uint32_t* last, std::uint32_t id, std::string_view date) {
    Widen(first, last, id, [&](std::uint32_t other) { return date.compare(dates[other]); });
  }
  // Same, `compare(other)` comparing the date with the date `other`.
  template <class Compare>
  void Widen(std::uint32_t* first, std::uint32_t* last, std::uint32_t id, const Compare& compare) {
    if (*first == kNone || (*first != id && compare(*first) < 0)) {
      if (*first != kNone) dates.Release(*first);
      dates.AddRef(id);
      *first = id;
    }
    if (*last == kNone || (*last != id && compare(*last) > 0)) {
      if (*last != kNone) dates.Release(*last);
      dates.AddRef(id);
      *last = id;
    }
  }
  // Same with a date of another store (empty: none).
  void WidenWith(std::uint32_t* first, std::uint32_t* last, std::string_view date) {
    if (date.empty()) return;
    const std::uint32_t id = dates.Acquire(date);
    Widen(first, last, id, date);
    dates.Release(id);
  }

  // Orders evidence by (doc, begin, end, text), the strings compared by content.
  bool Less(const EvRef& x, const EvRef& y) const {
    if (x.doc != y.doc) {
      const int c = docs[x.doc].compare(docs[y.doc]);
      if (c != 0) return c < 0;
    }
    if (x.begin != y.begin) return x.begin < y.begin;
    if (x.end != y.end) return x.end < y.end;
    if (x.text == y.text) return false;
    return passages[x.text] < passages[y.text];
  }

  // Keeps `e` among the `limit` smallest of `kept` (taking references when it stays).
  void AddEvidence(std::vector<EvRef>* kept, const EvRef& e, std::size_t limit) {
    if (limit == 0) return;
    if (kept->empty() || (kept->size() < limit && Less(kept->back(), e))) {  // goes last
      docs.AddRef(e.doc);
      passages.AddRef(e.text);
      kept->push_back(e);
      return;
    }
    if (kept->size() >= limit && !Less(e, kept->back())) return;
    auto pos = std::lower_bound(kept->begin(), kept->end(), e,
                                [&](const EvRef& x, const EvRef& y) { return Less(x, y); });
    if (pos != kept->end() && !Less(e, *pos)) return;  // the same passage
    docs.AddRef(e.doc);
    passages.AddRef(e.text);
    kept->insert(pos, e);
    if (kept->size() > limit) {
      docs.Release(kept->back().doc);
      passages.Release(kept->back().text);
      kept->pop_back();
    }
  }
  void TrimEvidence(std::vector<EvRef>* kept, std::size_t limit) {
    while (kept->size() > limit) {
      docs.Release(kept->back().doc);
      passages.Release(kept->back().text);
      kept->pop_back();
    }
  }

  // Loads ahead what counting the edges of a document will read, so that the cache misses of
  // the edges to come overlap each other and the work on the edges between: at each edge
  // counted (Step), the index slot of the edge twelve ahead, the record of the one eight ahead
  // (its index guessed from the slot, which was loaded four edges before; unconfirmed) and the
  // last kept passage of the one four ahead (whose record was loaded four edges before). The
  // edges are those of each unit's entities, present[unit_end[u - 1], unit_end[u]), pair by
  // pair (i < j), as AddDocument counts them; a second walk over them runs ahead, keeping the
  // keys and guesses of the next sixteen edges, so that the memory used does not grow with a
  // document's edges.
  class EdgePrefetcher {
   public:
    EdgePrefetcher(const Store& st, const std::vector<std::uint32_t>& present,
                   const std::vector<std::uint32_t>& unit_end)
        : st_(st), present_(present), unit_end_(unit_end) {
      StartUnit();
      for (std::size_t k = 0; k < kSlotAhead; ++k) MakeNext();
    }
    // To be called before counting each edge, in order.
    [[gnu::always_inline]] void Step() {
      MakeNext();
      if (counted_ + kRecordAhead < made_) {
        Ahead& a = ring_[(counted_ + kRecordAhead) % kRing];
        a.guess = st_.edge_index.Guess(a.key);
        if (a.guess != kNone) {
          const char* at = reinterpret_cast<const char*>(&st_.edges[a.guess]);
          __builtin_prefetch(at);
          __builtin_prefetch(at + sizeof(EdgeRec) - 1);
        }
      }
      if (counted_ + kEvidenceAhead < made_) {
        const std::uint32_t r = ring_[(counted_ + kEvidenceAhead) % kRing].guess;
        if (r != kNone && !st_.edges[r].evidence.empty())
          __builtin_prefetch(&st_.edges[r].evidence.back());
      }
      ++counted_;
    }

   private:
    static constexpr std::size_t kSlotAhead = 12, kRecordAhead = 8, kEvidenceAhead = 4;
    static constexpr std::size_t kRing = 16;  // > kSlotAhead: an entry outlives its reads
    struct Ahead {
      std::uint64_t key;
      std::uint32_t guess;
    };
    // Positions the walk at the first pair of unit unit_ or a later one (or past the end).
    void StartUnit() {
      for (; unit_ < unit_end_.size(); ++unit_) {
        i_ = unit_ == 0 ? 0 : unit_end_[unit_ - 1];
        j_ = i_ + 1;
        if (j_ < unit_end_[unit_]) return;
      }
    }
    // Keys the walk's pair and prefetches its index slot, then moves the walk on.
    [[gnu::always_inline]] void MakeNext() {
      if (unit_ == unit_end_.size()) return;
      Ahead& a = ring_[made_++ % kRing];
      a.key = PairKey(present_[i_], present_[j_]);
      a.guess = kNone;
      st_.edge_index.PrefetchSlot(a.key);
      if (++j_ < unit_end_[unit_]) return;
      ++i_;
      j_ = i_ + 1;
      if (j_ < unit_end_[unit_]) return;
      ++unit_;
      StartUnit();
    }

    const Store& st_;
    const std::vector<std::uint32_t>& present_;
    const std::vector<std::uint32_t>& unit_end_;
    std::array<Ahead, kRing> ring_{};
    std::size_t made_ = 0, counted_ = 0;  // edges keyed by the walk, and counted
    std::size_t unit_ = 0, i_ = 0, j_ = 0;  // the walk's next pair
  };

  // Adds every count of `o` (another store); passages beyond `limit` are not kept.
  void MergeFrom(const Store& o, std::size_t limit);

  // Name order: the node ids sorted by name, and each node's rank in it.
  std::vector<std::uint32_t> NameOrder() const {
    std::vector<std::uint32_t> order(name_of.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t x, std::uint32_t y) { return Name(x) < Name(y); });
    return order;
  }
  CountList Sorted(const Counts& counts, const Interner& keys) const {
    CountList out;
    out.reserve(counts.size());
    for (const auto& [id, v] : counts) out.emplace_back(keys[id], v);
    std::sort(out.begin(), out.end());
    return out;
  }
  // The edges in (first, second) name order: (key, edge id) pairs, the key packing the ranks
  // of the two ends.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> EdgeOrder() const {
    const std::vector<std::uint32_t> order = NameOrder();
    std::vector<std::uint32_t> rank(order.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(edges.size());
    for (std::uint32_t i = 0; i < edges.size(); ++i)
      keyed[i] = {PairKey(rank[edges[i].a], rank[edges[i].b]), i};
    std::sort(keyed.begin(), keyed.end());
    return keyed;
  }
  std::string_view Date(std::uint32_t id) const {
    return id == kNone ? std::string_view() : std::string_view(dates[id]);
  }
  void FillNode(std::uint32_t id, NodeView* v) const {
    const Node& n = nodes[id];
    v->name = Name(id);
    v->id = id;
    v->frequency = n.frequency;
    v->documents = n.documents;
    v->units = n.units;
    v->first_seen = Date(n.first_seen);
    v->last_seen = Date(n.last_seen);
    v->type_votes = Sorted(n.type_votes, types);
    v->periods = Sorted(n.periods, periods);
    v->surfaces = Sorted(n.surfaces, strings);
    v->type = std::string_view();
    std::uint64_t votes = 0;
    for (const auto& [t, c] : v->type_votes) {
      if (c > votes) { votes = c; v->type = t; }
    }
  }
  // Fills `v` from `e`, its ends named `first` (node `first_id`) and `second`.
  void FillEdge(const EdgeRec& e, std::string_view first, std::uint32_t first_id,
                std::string_view second, std::uint32_t second_id, EdgeView* v) const {
    v->first = first;
    v->second = second;
    v->first_id = first_id;
    v->second_id = second_id;
    v->count = e.count;
    v->documents = e.documents;
    v->first_seen = Date(e.first_seen);
    v->last_seen = Date(e.last_seen);
    v->periods = e.periods ? Sorted(*e.periods, periods) : CountList();
    v->evidence.clear();
    for (const EvRef& r : e.evidence)
      v->evidence.push_back({docs[r.doc], r.begin, r.end, passages[r.text], r.doc, r.text});
  }
  // Hints for visiting the edges in `order` (as EdgeOrder gives it): at the i-th, loads the
  // record of a later edge, the kept evidence of a nearer one (whose record was loaded before)
  // and the documents' ids and passages of a nearer one still (whose evidence was), which
  // FillEdge reads; in name order the records lie scattered, so each would be a cache miss.
  [[gnu::always_inline]] void PrefetchVisit(
      const std::vector<std::pair<std::uint64_t, std::uint32_t>>& order, std::size_t i) const {
    constexpr std::size_t kRecordAhead = 12, kEvidenceAhead = 6, kTextsAhead = 3;
    if (i + kRecordAhead < order.size()) {
      const char* at = reinterpret_cast<const char*>(&edges[order[i + kRecordAhead].second]);
      __builtin_prefetch(at);
      __builtin_prefetch(at + sizeof(EdgeRec) - 1);
    }
    if (i + kEvidenceAhead < order.size()) {
      const EdgeRec& e = edges[order[i + kEvidenceAhead].second];
      if (!e.evidence.empty()) __builtin_prefetch(e.evidence.data());
    }
    if (i + kTextsAhead < order.size()) {
      for (const EvRef& r : edges[order[i + kTextsAhead].second].evidence) {
        docs.Prefetch(r.doc);
        passages.Prefetch(r.text);
      }
    }
  }
  // Same, the ends in name order.
  void FillEdgeInOrder(const EdgeRec& e, EdgeView* v) const {
    const std::string_view a = Name(e.a), b = Name(e.b);
    if (b < a) {
      FillEdge(e, b, e.b, a, e.a, v);
    } else {
      FillEdge(e, a, e.a, b, e.b, v);
    }
  }
};

void PartialGraph::Store::MergeFrom(const Store& o, std::size_t limit) {
  auto map_all = [](const Interner& from, Interner& to) {
    std::vector<std::uint32_t> m(from.size());
    for (std::uint32_t i = 0; i < m.size(); ++i) m[i] = to.Intern(from[i]);
    return m;
  };
  const auto type_of = map_all(o.types, types);
  const auto string_of = map_all(o.strings, strings);
  const auto period_of = map_all(o.periods, periods);
  // `o`'s shared strings (dates, document ids, passages) are looked up here once per merge, not
  // once per use: a date is held by many nodes and edges, a passage by every edge of its
  // sentence. Each mapped entry holds one reference until the end of the merge.
  std::vector<std::uint32_t> date_of, doc_of, passage_of;
  auto shared = [](std::vector<std::uint32_t>* memo, SharedStrings* to, const SharedStrings& from,
                   std::uint32_t id) {
    if (id >= memo->size()) memo->resize(id + 1, kNone);
    std::uint32_t& mine = (*memo)[id];
    if (mine == kNone) mine = to->AcquireShared(from.shared(id));
    return mine;
  };
  // Widens [first, last] to include `o`'s date `id` (kNone: undated).
  auto widen = [&](std::uint32_t* first, std::uint32_t* last, std::uint32_t id) {
    if (id != kNone)
      Widen(first, last, shared(&date_of, &dates, o.dates, id), std::string_view(o.dates[id]));
  };
  std::vector<std::uint32_t> node_of(o.nodes.size());
  for (std::uint32_t i = 0; i < o.nodes.size(); ++i) {
    const std::uint32_t id = NodeFor(string_of[o.name_of[i]]);
    node_of[i] = id;
    const Node& src = o.nodes[i];
    Node& n = nodes[id];
    n.frequency += src.frequency;
    n.documents += src.documents;
    n.units += src.units;
    for (const auto& [t, v] : src.type_votes) Bump(&n.type_votes, type_of[t], v);
    for (const auto& [p, v] : src.periods) Bump(&n.periods, period_of[p], v);
    for (const auto& [s, v] : src.surfaces) Bump(&n.surfaces, string_of[s], v);
    widen(&n.first_seen, &n.last_seen, src.first_seen);
    widen(&n.first_seen, &n.last_seen, src.last_seen);
  }
  for (std::size_t k = 0; k < o.edges.size(); ++k) {
    const EdgeRec& src = o.edges[k];
    EdgeRec& e = Edge(node_of[src.a], node_of[src.b]);
    e.count += src.count;
    e.documents += src.documents;
    if (src.periods) {
      for (const auto& [p, v] : *src.periods) Bump(&e.periods, period_of[p], v);
    }
    widen(&e.first_seen, &e.last_seen, src.first_seen);
    widen(&e.first_seen, &e.last_seen, src.last_seen);
    // One allocation for the passages this edge can keep (at most `limit`).
    e.evidence.reserve(std::min(limit, e.evidence.size() + src.evidence.size()));
    for (const EvRef& r : src.evidence) {
      if (limit == 0) break;
      // Cheap rejection before any lookup: compare with the largest kept passage by content.
      if (e.evidence.size() >= limit) {
        const EvRef& back = e.evidence.back();
        const int c = o.docs[r.doc].compare(docs[back.doc]);
        if (c > 0 || (c == 0 && (r.begin > back.begin ||
                                 (r.begin == back.begin && r.end > back.end)))) {
          continue;
        }
      }
      AddEvidence(&e.evidence,
                  {shared(&doc_of, &docs, o.docs, r.doc), r.begin, r.end,
                   shared(&passage_of, &passages, o.passages, r.text)},
                  limit);
    }
  }
  // Let go of the merge's references: what no entry kept is freed.
  for (auto [memo, pool] : {std::pair{&date_of, &dates}, std::pair{&doc_of, &docs},
                            std::pair{&passage_of, &passages}}) {
    for (std::uint32_t id : *memo)
      if (id != kNone) pool->Release(id);
  }
}

PartialGraph::PartialGraph() = default;
PartialGraph::~PartialGraph() = default;
PartialGraph::PartialGraph(PartialGraph&& other) noexcept = default;
PartialGraph& PartialGraph::operator=(PartialGraph&& other) noexcept = default;

PartialGraph::PartialGraph(const PartialGraph& other) { *this = other; }

PartialGraph& PartialGraph::operator=(const PartialGraph& other) {
  if (this == &other) return *this;
  store_.reset();
  if (other.store_) {
    store_ = std::make_unique<Store>();
    store_->MergeFrom(*other.store_, std::numeric_limits<std::size_t>::max());
    store_->serial = other.store_->serial;
    for (std::size_t i = 0; i < store_->nodes.size(); ++i) {
      // Ids are assigned in the same order, so open documents carry over.
      store_->nodes[i].open_doc = other.store_->nodes[i].open_doc;
    }
    for (std::size_t i = 0; i < store_->edges.size(); ++i)
      store_->edges[i].open_doc = other.store_->edges[i].open_doc;
  }
  documents_ = other.documents_;
  units_ = other.units_;
  mentions_ = other.mentions_;
  bytes_ = other.bytes_;
  return *this;
}

std::size_t PartialGraph::node_count() const { return store_ ? store_->nodes.size() : 0; }
std::size_t PartialGraph::edge_count() const { return store_ ? store_->edges.size() : 0; }

void PartialGraph::AddDocument(const Document& doc, const Segmentation& seg,
                               const std::vector<Mention>& mentions,
                               const RelateOptions& options) {
  if (!store_) store_ = std::make_unique<Store>();
  Store& st = *store_;
  // A later part of a split document continues the previous one: counted once as a document,
  // with its entities and edges counted once per document across the parts.
  const bool continued = doc.part > 0;
  if (!continued) {
    ++documents_;
    ++st.serial;
  }
  const std::uint64_t serial = st.serial;
  bytes_ += doc.text.size();
  mentions_ += mentions.size();
  const std::uint32_t period = [&] {
    if (options.slice == TimeSlice::kNone) return kNone;
    const std::string p = PeriodOf(doc.date, options.slice);
    return p.empty() ? kNone : st.periods.Intern(p);
  }();
  // The document's date, held for the call.
  const std::string_view date = doc.date;
  const std::uint32_t date_id = date.empty() ? kNone : st.dates.Acquire(date);
  st.doc_cmp.fill({kNone, 0});
  st.date_cmp.fill({kNone, 0});
  auto date_compare = [&](std::uint32_t other) {
    return st.CompareCached(&st.date_cmp, date, st.dates, other);
  };
  const auto base = static_cast<std::uint32_t>(doc.base_offset);  // documents < 4 GB
  const std::string_view text = doc.text;

  auto& local_of = st.local_of;
  local_of.resize(mentions.size());
  const std::string* last_type = nullptr;
  std::uint32_t last_type_id = kNone;
  // The mentions' entities first, each node's record loaded as it is found; then their counts,
  // with the lists of a later mention's node loaded ahead (see EdgePrefetcher).
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    local_of[k] = st.NodeFor(st.strings.Intern(mentions[k].entity));
    const char* at = reinterpret_cast<const char*>(&st.nodes[local_of[k]]);
    __builtin_prefetch(at);
    __builtin_prefetch(at + sizeof(Node) - 1);
  }
  for (std::size_t k = 0; k < mentions.size(); ++k) {
    constexpr std::size_t kListsAhead = 4;
    if (k + kListsAhead < mentions.size()) {
      const Node& ahead = st.nodes[local_of[k + kListsAhead]];
      if (!ahead.type_votes.empty()) __builtin_prefetch(ahead.type_votes.data());
      if (!ahead.surfaces.empty()) __builtin_prefetch(ahead.surfaces.data());
    }
    const Mention& m = mentions[k];
    const std::uint32_t id = local_of[k];
    const std::uint32_t sid = st.name_of[id];
    Node& n = st.nodes[id];
    if (n.open_doc != serial) {
      n.open_doc = serial;
      ++n.documents;
      if (date_id != kNone) st.Widen(&n.first_seen, &n.last_seen, date_id, date_compare);
    }
    ++n.frequency;
    if (last_type == nullptr || *last_type != m.type) {
      last_type = &m.type;
      last_type_id = st.types.Intern(m.type);
    }
    Bump(&n.type_votes, last_type_id);
    const std::string_view surface = text.substr(m.begin, m.end - m.begin);
    Bump(&n.surfaces, surface == m.entity ? sid : st.strings.Intern(surface));
  }

  // The units: each a byte span and the range of sentences it covers.
  struct Unit { std::uint32_t first_sentence, sentence_end, begin, end; };
  std::vector<Unit> units;
  const auto& sents = seg.sentences;
  const std::uint32_t ns = static_cast<std::uint32_t>(sents.size());
  if (ns == 0) {
    if (date_id != kNone) st.dates.Release(date_id);
    return;
  }
  switch (options.scope.kind) {
    case ScopeKind::kSentence:
      units.reserve(ns);
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

  // The entities of each unit, sorted and unique: unit `u`'s are present[unit_end[u - 1],
  // unit_end[u]), all known before the first edge is counted (for EdgePrefetcher).
  auto& present = st.present;
  auto& unit_end = st.unit_end;
  present.clear();
  unit_end.clear();
  // Mentions are sorted by offset, so each unit's mentions are a contiguous range.
  std::size_t first_mention = 0;
  for (const Unit& u : units) {
    while (first_mention < mentions.size() && mentions[first_mention].sentence < u.first_sentence)
      ++first_mention;
    const auto from = static_cast<std::ptrdiff_t>(present.size());
    for (std::size_t k = first_mention;
         k < mentions.size() && mentions[k].sentence < u.sentence_end; ++k) {
      present.push_back(local_of[k]);
    }
    std::sort(present.begin() + from, present.end());
    present.erase(std::unique(present.begin() + from, present.end()), present.end());
    unit_end.push_back(static_cast<std::uint32_t>(present.size()));
    for (auto i = static_cast<std::size_t>(from); i < present.size(); ++i) {
      Node& n = st.nodes[present[i]];
      ++n.units;
      if (period != kNone) Bump(&n.periods, period);
    }
  }

  // The document id, held once some passage of it is kept.
  std::uint32_t doc_ref = kNone;
  const std::size_t limit = options.evidence;
  Store::EdgePrefetcher prefetcher(st, present, unit_end);
  for (std::size_t ui = 0; ui < units.size(); ++ui) {
    const Unit& u = units[ui];
    const std::uint32_t* const unit_present = present.data() + (ui == 0 ? 0 : unit_end[ui - 1]);
    const std::size_t unit_size = unit_end[ui] - (ui == 0 ? 0 : unit_end[ui - 1]);
    if (unit_size < 2) continue;
    // Evidence spans refer to the whole document.
    const std::uint32_t begin = u.begin + base, end = u.end + base;
    std::uint32_t passage = kNone;  // made once per unit, when some edge keeps it
    auto make_passage = [&] {
      if (passage != kNone) return;
      passage = st.passages.Acquire(
          TrimPassage(text.substr(u.begin, u.end - u.begin), options.evidence_chars));
      if (doc_ref == kNone) doc_ref = st.docs.Acquire(doc.id);
    };
    // Whether this unit's passage sorts before `kept`.
    auto sorts_before = [&](const EvRef& kept) {
      if (kept.doc != doc_ref) {
        const int c = st.CompareCached(&st.doc_cmp, doc.id, st.docs, kept.doc);
        if (c != 0) return c < 0;
      }
      if (begin != kept.begin) return begin < kept.begin;
      if (end != kept.end) return end < kept.end;
      make_passage();
      return kept.text != passage && st.passages[passage] < st.passages[kept.text];
    };
    for (std::size_t i = 0; i < unit_size; ++i) {
      const std::uint32_t a = unit_present[i];
      for (std::size_t j = i + 1; j < unit_size; ++j) {
        prefetcher.Step();
        EdgeRec& e = st.Edge(a, unit_present[j]);
        if (e.open_doc != serial) {
          e.open_doc = serial;
          ++e.documents;
          if (date_id != kNone) st.Widen(&e.first_seen, &e.last_seen, date_id, date_compare);
        }
        ++e.count;
        if (period != kNone) Bump(&e.periods, period);
        if (limit > 0 && (e.evidence.size() < limit || sorts_before(e.evidence.back()))) {
          make_passage();
          st.AddEvidence(&e.evidence, EvRef{doc_ref, begin, end, passage}, limit);
        }
      }
    }
    if (passage != kNone) st.passages.Release(passage);
  }
  if (doc_ref != kNone) st.docs.Release(doc_ref);
  if (date_id != kNone) st.dates.Release(date_id);
}

void PartialGraph::Merge(const PartialGraph& other, const RelateOptions& options) {
  if (this == &other) {
    const PartialGraph copy(other);
    return Merge(copy, options);
  }
  documents_ += other.documents_;
  units_ += other.units_;
  mentions_ += other.mentions_;
  bytes_ += other.bytes_;
  if (!other.store_) return;
  if (!store_) store_ = std::make_unique<Store>();
  store_->MergeFrom(*other.store_, options.evidence);
}

void PartialGraph::Merge(PartialGraph&& other, const RelateOptions& options) {
  if (this == &other) return Merge(static_cast<const PartialGraph&>(other), options);
  if (!store_ || (store_->nodes.empty() && store_->edges.empty())) {
    // Nothing here yet: take the other's storage, within this graph's evidence bound.
    documents_ += other.documents_;
    units_ += other.units_;
    mentions_ += other.mentions_;
    bytes_ += other.bytes_;
    store_ = std::move(other.store_);
    if (store_) {
      for (std::size_t i = 0; i < store_->edges.size(); ++i)
        store_->TrimEvidence(&store_->edges[i].evidence, options.evidence);
    }
  } else {
    Merge(static_cast<const PartialGraph&>(other), options);
  }
  other = PartialGraph();
}

void PartialGraph::ForEachNode(const std::function<void(const NodeView&)>& visit) const {
  if (!store_) return;
  const Store& st = *store_;
  NodeView v;
  for (std::uint32_t id : st.NameOrder()) {
    st.FillNode(id, &v);
    visit(v);
  }
}

void PartialGraph::ForEachEdge(const std::function<void(const EdgeView&)>& visit) const {
  if (!store_) return;
  const Store& st = *store_;
  EdgeView v;
  const auto order = st.EdgeOrder();
  for (std::size_t k = 0; k < order.size(); ++k) {
    st.PrefetchVisit(order, k);
    st.FillEdgeInOrder(st.edges[order[k].second], &v);
    visit(v);
  }
}

void PartialGraph::DrainEdges(
    const std::function<void(const EdgeView&)>& survey,
    const std::function<void(const EdgeView&, std::vector<Evidence>*)>& take) {
  if (!store_) return;
  Store& st = *store_;
  // What the visits do not need goes first.
  st.edge_index = EdgeTable();
  FreeStorage(st.nodes);
  FreeStorage(st.node_of);
  FreeStorage(st.local_of);
  FreeStorage(st.present);
  FreeStorage(st.unit_end);
  auto order = st.EdgeOrder();  // order[i].second: the edge that comes i-th
  EdgeView v;
  for (std::size_t k = 0; k < order.size(); ++k) {
    st.PrefetchVisit(order, k);
    st.FillEdgeInOrder(st.edges[order[k].second], &v);
    survey(v);
  }
  // The edges moved in place into name order, cycle by cycle, so they can be freed a chunk at
  // a time as `take` goes.
  for (std::size_t start = 0; start < order.size(); ++start) {
    if (order[start].second == kNone || order[start].second == start) continue;
    EdgeRec held = std::move(st.edges[start]);
    std::size_t at = start;
    while (order[at].second != start) {
      const std::uint32_t from = order[at].second;
      st.edges[at] = std::move(st.edges[from]);
      order[at].second = kNone;
      at = from;
    }
    st.edges[at] = std::move(held);
    order[at].second = kNone;
  }
  FreeStorage(order);
  const std::vector<SharedString> docs = st.docs.Drain(), passages = st.passages.Drain();
  std::vector<Evidence> evidence;
  for (std::size_t i = 0; i < st.edges.size(); ++i) {
    EdgeRec& e = st.edges[i];
    const std::vector<EvRef> refs = std::move(e.evidence);  // FillEdge must not read them
    FreeStorage(e.evidence);
    st.FillEdgeInOrder(e, &v);
    evidence.clear();
    evidence.reserve(refs.size());
    for (const EvRef& r : refs) evidence.push_back({docs[r.doc], r.begin, r.end, passages[r.text]});
    e.periods.reset();
    take(v, &evidence);
    st.edges.ReleaseBefore(i + 1);
  }
  *this = PartialGraph();
}

std::optional<NodeStats> PartialGraph::node(std::string_view name) const {
  if (!store_) return std::nullopt;
  const std::uint32_t id = store_->FindNode(name);
  if (id == kNone) return std::nullopt;
  NodeView v;
  store_->FillNode(id, &v);
  NodeStats n;
  n.frequency = v.frequency;
  n.documents = v.documents;
  n.units = v.units;
  n.first_seen = v.first_seen;
  n.last_seen = v.last_seen;
  for (const auto& [k, c] : v.type_votes) n.type_votes.emplace(k, c);
  for (const auto& [k, c] : v.periods) n.periods.emplace(k, c);
  for (const auto& [k, c] : v.surfaces) n.surfaces.emplace(k, c);
  return n;
}

std::optional<EdgeStats> PartialGraph::edge(std::string_view a, std::string_view b) const {
  if (!store_) return std::nullopt;
  const std::uint32_t x = store_->FindNode(a), y = store_->FindNode(b);
  if (x == kNone || y == kNone || x == y) return std::nullopt;
  const std::uint32_t i = store_->FindEdge(x, y);
  if (i == kNone) return std::nullopt;
  EdgeView v;
  store_->FillEdge(store_->edges[i], a, x, b, y, &v);
  EdgeStats e;
  e.count = v.count;
  e.documents = v.documents;
  e.first_seen = v.first_seen;
  e.last_seen = v.last_seen;
  for (const auto& [k, c] : v.periods) e.periods.emplace(k, c);
  for (const auto& ev : v.evidence)
    e.evidence.push_back({std::string(ev.doc), ev.begin, ev.end, std::string(ev.text)});
  return e;
}

void PartialGraph::AddNode(std::string_view name, const NodeStats& stats) {
  if (!store_) store_ = std::make_unique<Store>();
  Store& st = *store_;
  if (st.FindNode(name) != kNone) return;
  Node& n = st.nodes[st.NodeId(name)];
  n.frequency = stats.frequency;
  n.documents = stats.documents;
  n.units = stats.units;
  st.WidenWith(&n.first_seen, &n.last_seen, stats.first_seen);
  st.WidenWith(&n.first_seen, &n.last_seen, stats.last_seen);
  for (const auto& [k, c] : stats.type_votes) n.type_votes.emplace_back(st.types.Intern(k), c);
  for (const auto& [k, c] : stats.periods) n.periods.emplace_back(st.periods.Intern(k), c);
  for (const auto& [k, c] : stats.surfaces) n.surfaces.emplace_back(st.strings.Intern(k), c);
}

bool PartialGraph::AddEdge(std::string_view a, std::string_view b, const EdgeStats& stats,
                           std::size_t evidence_limit) {
  if (!store_) store_ = std::make_unique<Store>();
  Store& st = *store_;
  const std::uint32_t x = st.FindNode(a), y = st.FindNode(b);
  if (x == kNone || y == kNone || x == y) return false;
  const std::size_t edges_before = st.edges.size();
  EdgeRec& e = st.Edge(x, y);
  if (st.edges.size() == edges_before) return true;  // the edge exists: ignored
  e.count = stats.count;
  e.documents = stats.documents;
  st.WidenWith(&e.first_seen, &e.last_seen, stats.first_seen);
  st.WidenWith(&e.first_seen, &e.last_seen, stats.last_seen);
  for (const auto& [k, c] : stats.periods) Bump(&e.periods, st.periods.Intern(k), c);
  e.evidence.reserve(std::min(evidence_limit, stats.evidence.size()));
  for (const Evidence& ev : stats.evidence) {
    const EvRef r{st.docs.AcquireShared(ev.doc), ev.begin, ev.end,
                  st.passages.AcquireShared(ev.text)};
    st.AddEvidence(&e.evidence, r, evidence_limit);
    st.docs.Release(r.doc);
    st.passages.Release(r.text);
  }
  return true;
}

}  // namespace newsgraph
