// A string -> id map with open addressing, for the word lookups on the extraction hot path
// (internal header). Linear probing over a power-of-two table kept at most half full, each slot
// holding the key's full hash, so a lookup is one hash, usually one cache line and one compare.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace newsgraph {

// A fast 64-bit hash of a short byte string (words, names): 8-byte multiply-mix rounds, the tail
// read as overlapping fixed-size loads (no byte loop, no variable-length memcpy), and a final
// mix so that the low bits, which pick a slot, depend on every input byte.
inline std::uint64_t HashBytes(std::string_view s) {
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

class StringIdMap {
 public:
  static constexpr std::uint32_t kMissing = 0xFFFFFFFF;

  // Maps `key` to `value` unless it is mapped already; returns the value it maps to.
  std::uint32_t Insert(std::string_view key, std::uint32_t value) {
    if (2 * (keys_.size() + 1) > slots_.size()) Grow();
    const std::uint64_t h = Hash(key);
    std::size_t i = h & (slots_.size() - 1);
    for (; slots_[i].key != kEmpty; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].hash == h && keys_[slots_[i].key] == key) return slots_[i].value;
    }
    slots_[i] = {h, static_cast<std::uint32_t>(keys_.size()), value};
    keys_.emplace_back(key);
    return value;
  }
  // Returns what `key` maps to, or kMissing.
  std::uint32_t Find(std::string_view key) const {
    if (keys_.empty()) return kMissing;
    const std::uint64_t h = Hash(key);
    for (std::size_t i = h & (slots_.size() - 1); slots_[i].key != kEmpty;
         i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].hash == h && keys_[slots_[i].key] == key) return slots_[i].value;
    }
    return kMissing;
  }
  std::size_t size() const { return keys_.size(); }
  // The keys in insertion order.
  const std::deque<std::string>& keys() const { return keys_; }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  struct Slot {
    std::uint64_t hash;
    std::uint32_t key;  // index into keys_, kEmpty for a free slot
    std::uint32_t value;
  };
  static std::uint64_t Hash(std::string_view key) { return HashBytes(key); }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : 2 * old.size(), Slot{0, kEmpty, 0});
    for (const Slot& s : old) {
      if (s.key == kEmpty) continue;
      std::size_t i = s.hash & (slots_.size() - 1);
      while (slots_[i].key != kEmpty) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::deque<std::string> keys_;
};

}  // namespace newsgraph
