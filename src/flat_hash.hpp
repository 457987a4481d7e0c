// A string -> id map with open addressing, for the word lookups on the extraction hot path
// (internal header). Linear probing over a power-of-two table kept at most half full, each slot
// holding the key's full hash, so a lookup is one hash, usually one cache line and one compare.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace newsgraph {

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
  static std::uint64_t Hash(std::string_view key) {
    // libstdc++'s std::hash of a string is MurmurHash2 64: its low bits, used for the slot, are
    // well mixed.
    return static_cast<std::uint64_t>(std::hash<std::string_view>()(key));
  }
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
