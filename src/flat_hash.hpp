// A string -> id map with open addressing, for the word lookups on the extraction hot path, and
// a pool of reference-counted strings (internal header). Linear probing over a power-of-two
// table kept at most half full, each slot holding the high bits of the key's hash and, for a
// key of up to 22 bytes (most words), the key itself: a lookup is one hash, usually one cache
// line and one compare.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "free_storage.hpp"
#include "newsgraph/shared_string.hpp"

namespace newsgraph {

// A fast 64-bit hash of a short byte string (words, names): 8-byte multiply-mix rounds, the tail
// read as overlapping fixed-size loads (no byte loop, no variable-length memcpy), and a final
// mix so that the low bits, which pick a slot, depend on every input byte.
[[gnu::always_inline]] inline std::uint64_t HashBytes(std::string_view s) {
  constexpr std::uint64_t kMul1 = 0xFF51AFD7ED558CCDULL, kMul2 = 0xC4CEB9FE1A85EC53ULL;
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * kMul2);
  auto load64 = [](const char* q) { std::uint64_t v; std::memcpy(&v, q, 8); return v; };
  auto load32 = [](const char* q) { std::uint32_t v; std::memcpy(&v, q, 4); return v; };
  auto round = [&](std::uint64_t v) {
    h = (h ^ v) * kMul1;
    h ^= h >> 32;
  };
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) round(load64(p));
    round(load64(p + n - 8));  // the last 8 bytes, overlapping the previous round
  } else if (n >= 4) {
    round((static_cast<std::uint64_t>(load32(p)) << 32) | load32(p + n - 4));
  } else if (n > 0) {
    const auto b = [&](std::size_t i) { return static_cast<std::uint64_t>(
                                            static_cast<unsigned char>(p[i])); };
    round((b(0) << 16) | (b(n >> 1) << 8) | b(n - 1));
  }
  h ^= h >> 29;
  h *= kMul2;
  return h ^ (h >> 32);
}

// Whether a[0, n) and b[0, n) are the same bytes: for keys of up to 16 bytes (most words) two
// pairs of overlapping fixed-size loads instead of a call to memcmp.
inline bool SameBytes(const char* a, const char* b, std::size_t n) {
  auto load64 = [](const char* q) { std::uint64_t v; std::memcpy(&v, q, 8); return v; };
  auto load32 = [](const char* q) { std::uint32_t v; std::memcpy(&v, q, 4); return v; };
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  return n == 0 || (a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]);
}
inline bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
}

class StringIdMap {
 public:
  static constexpr std::uint32_t kMissing = 0xFFFFFFFF;

  // Maps `key` to `value` unless it is mapped already; returns the value it maps to.
  std::uint32_t Insert(std::string_view key, std::uint32_t value) {
    if (2 * (size() + 1) > slots_.size()) Grow();
    const std::uint64_t h = HashBytes(key);
    std::size_t i = h & (slots_.size() - 1);
    for (; slots_[i].size != kEmpty; i = (i + 1) & (slots_.size() - 1)) {
      if (Matches(slots_[i], Tag(h), key)) return slots_[i].value;
    }
    const auto offset = static_cast<std::uint32_t>(blob_.size());
    blob_.append(key);
    ends_.push_back(static_cast<std::uint32_t>(blob_.size()));
    Slot& slot = slots_[i];
    slot.tag = Tag(h);
    slot.value = value;
    if (key.size() <= kInline) {
      slot.size = static_cast<std::uint8_t>(key.size());
      std::memcpy(slot.bytes, key.data(), key.size());
    } else {
      slot.size = kLong;
      const std::uint32_t where[2] = {offset, static_cast<std::uint32_t>(key.size())};
      std::memcpy(slot.bytes, where, sizeof where);
    }
    return value;
  }
  // Returns what `key` maps to, or kMissing.
  std::uint32_t Find(std::string_view key) const { return Find(key, HashBytes(key)); }
  // The same, `h` being HashBytes(key).
  std::uint32_t Find(std::string_view key, std::uint64_t h) const {
    if (slots_.empty()) return kMissing;
    for (std::size_t i = h & (slots_.size() - 1); slots_[i].size != kEmpty;
         i = (i + 1) & (slots_.size() - 1)) {
      if (Matches(slots_[i], Tag(h), key)) return slots_[i].value;
    }
    return kMissing;
  }
  // Loads the slot where a lookup of a key with hash `h` (HashBytes) starts into the cache: a
  // hint, for a caller that knows its next keys. (Always inlined: GCC takes a function that
  // only prefetches for one without effects, and drops its calls.)
  [[gnu::always_inline]] void Prefetch(std::uint64_t h) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
  }
  std::size_t size() const { return ends_.size(); }
  // The i-th key inserted (valid until the next Insert).
  std::string_view key(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(blob_).substr(begin, ends_[i] - begin);
  }

 private:
  // A slot is half a cache line and holds a key of up to kInline bytes itself, so that a
  // lookup of a word reads one line: no second load for the key.
  static constexpr std::size_t kInline = 22;
  static constexpr std::uint8_t kEmpty = 0xFF, kLong = 0xFE;  // `size` of a free, long slot
  struct alignas(32) Slot {  // aligned, so that no slot straddles two cache lines
    std::uint32_t tag;    // the hash's high bits
    std::uint32_t value;
    std::uint8_t size;    // the key's size if inline, else kLong (or kEmpty)
    char bytes[kInline];  // the key, or (offset, size) of it in blob_ when longer
  };
  static_assert(sizeof(Slot) == 32, "a slot is half a cache line");
  static std::uint32_t Tag(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 32); }
  std::string_view KeyOf(const Slot& s) const {
    if (s.size != kLong) return std::string_view(s.bytes, s.size);
    std::uint32_t where[2];  // offset, size
    std::memcpy(where, s.bytes, sizeof where);
    return std::string_view(blob_).substr(where[0], where[1]);
  }
  bool Matches(const Slot& s, std::uint32_t tag, std::string_view key) const {
    if (s.tag != tag) return false;
    if (s.size != kLong)
      return s.size == key.size() && SameBytes(s.bytes, key.data(), key.size());
    return SameBytes(KeyOf(s), key);
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    Slot empty{};
    empty.size = kEmpty;
    slots_.assign(old.empty() ? 16 : 2 * old.size(), empty);
    // A slot's home is the hash's low bits, which are not kept: each key is hashed again.
    for (const Slot& s : old) {
      if (s.size == kEmpty) continue;
      std::size_t i = HashBytes(KeyOf(s)) & (slots_.size() - 1);
      while (slots_[i].size != kEmpty) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::string blob_;                  // every key, in insertion order
  std::vector<std::uint32_t> ends_;   // where each key ends in blob_
};

// Reference-counted shared strings (document ids, passages, dates): one copy however many
// entries hold it, freed when the last reference goes. The index is open addressing over
// (hash bits, id) slots, the hash bits also giving the home slot, so that a freed string's slot
// is emptied by shifting its followers back (no tombstones) without hashing them again.
class SharedStrings {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  SharedStrings() = default;
  SharedStrings(const SharedStrings& o) : strings_(o.strings_), refs_(o.refs_), free_(o.free_) {
    for (std::uint32_t i = 0; i < strings_.size(); ++i)
      if (refs_[i] > 0) Insert(Fingerprint(strings_[i]), i);
  }
  SharedStrings& operator=(const SharedStrings&) = delete;
  // Returns the id of `s` with one more reference.
  std::uint32_t Acquire(std::string_view s) {
    return AcquireAs(s, [s] { return SharedString(s); });
  }
  // The same; a string not held yet is held by sharing `s`'s buffer, not by a copy of it.
  std::uint32_t AcquireShared(const SharedString& s) {
    return AcquireAs(s.str(), [&s] { return s; });
  }
  void AddRef(std::uint32_t id) { ++refs_[id]; }
  void Release(std::uint32_t id) {
    if (--refs_[id] > 0) return;
    Erase(id);
    strings_[id] = SharedString();
    free_.push_back(id);
  }
  std::string_view operator[](std::uint32_t id) const { return strings_[id]; }
  // Loads string `id` (its size and first bytes) into the cache: a hint, for a caller that
  // knows which strings it reads next. (Always inlined: see StringIdMap::Prefetch.)
  [[gnu::always_inline]] void Prefetch(std::uint32_t id) const {
    __builtin_prefetch(strings_[id].data() - sizeof(std::size_t));
  }
  // The string `id` as held, to share its buffer.
  const SharedString& shared(std::uint32_t id) const { return strings_[id]; }
  // Hands every string over (moved, not copied), by id, and empties the pool.
  std::vector<SharedString> Drain() {
    FreeStorage(slots_);
    mask_ = 0;
    live_ = 0;
    std::vector<SharedString> out;
    out.reserve(strings_.size());
    for (SharedString& s : strings_) out.push_back(std::move(s));
    FreeStorage(strings_);
    FreeStorage(refs_);
    FreeStorage(free_);
    return out;
  }

 private:
  struct Slot {
    std::uint32_t fp = 0, id = kNone;
  };
  // Acquire, with `make()` giving the SharedString to hold when `s` is new.
  template <class Make>
  std::uint32_t AcquireAs(std::string_view s, const Make& make) {
    if ((live_ + 1) * 2 > slots_.size()) Grow();
    const std::uint32_t fp = Fingerprint(s);
    for (std::size_t i = fp & mask_; slots_[i].id != kNone; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.fp == fp && SameBytes(strings_[slot.id], s)) {
        ++refs_[slot.id];
        return slot.id;
      }
    }
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
      strings_[id] = make();
      refs_[id] = 1;
    } else {
      id = static_cast<std::uint32_t>(strings_.size());
      strings_.push_back(make());
      refs_.push_back(1);
    }
    Insert(fp, id);
    return id;
  }
  static std::uint32_t Fingerprint(std::string_view s) {
    return static_cast<std::uint32_t>(HashBytes(s) >> 32);
  }
  // Places (fp, id), known absent; the table has room.
  void Insert(std::uint32_t fp, std::uint32_t id) {
    if ((live_ + 1) * 2 > slots_.size()) Grow();
    std::size_t i = fp & mask_;
    while (slots_[i].id != kNone) i = (i + 1) & mask_;
    slots_[i] = {fp, id};
    ++live_;
  }
  // Removes the slot of `id` (present), moving back the slots after it that may take its place.
  void Erase(std::uint32_t id) {
    std::size_t i = Fingerprint(strings_[id]) & mask_;
    while (slots_[i].id != id) i = (i + 1) & mask_;
    for (std::size_t j = (i + 1) & mask_; slots_[j].id != kNone; j = (j + 1) & mask_) {
      // Slot j may move to the hole at i unless its home lies cyclically in (i, j].
      const std::size_t home = slots_[j].fp & mask_;
      const bool stays = i < j ? (home > i && home <= j) : (home > i || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i] = Slot{};
    --live_;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    mask_ = slots_.size() - 1;
    live_ = 0;
    for (const Slot& slot : old)
      if (slot.id != kNone) Insert(slot.fp, slot.id);
  }

  std::deque<SharedString> strings_;  // held as the graph will hold them, so Drain moves them
  std::vector<std::uint32_t> refs_;
  std::vector<std::uint32_t> free_;
  std::vector<Slot> slots_;  // a power of two, at most half full
  std::size_t mask_ = 0;
  std::size_t live_ = 0;  // slots in use
};

}  // namespace newsgraph
