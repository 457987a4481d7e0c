// evidence: the passages that support an edge, shared by the edges that quote them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "newsgraph/shared_ref.hpp"
#include "newsgraph/shared_string.hpp"

namespace newsgraph {

// One supporting passage for an edge. The document id and the passage are shared strings: the
// edges between the entities of one sentence all quote it, and hold it once.
struct Evidence {
  SharedString doc;
  std::uint32_t begin = 0;  // byte span of the unit (sentence, paragraph, ...) in the document
  std::uint32_t end = 0;
  SharedString text;        // the passage, trimmed to a bounded length
  // Orders by place; the text breaks ties (two inputs may reuse a document id), so which
  // passages are kept never depends on the order documents arrive in.
  bool operator<(const Evidence& o) const {
    return std::tie(doc, begin, end, text) < std::tie(o.doc, o.begin, o.end, o.text);
  }
  friend bool operator==(const Evidence& a, const Evidence& b) {
    return a.begin == b.begin && a.end == b.end && a.doc == b.doc && a.text == b.text;
  }
  friend bool operator!=(const Evidence& a, const Evidence& b) { return !(a == b); }
};

// An Evidence held once by reference counting: copies share one 32-byte record, so the ten edges among the five entities of a sentence hold its passage in 8 bytes each.
// Reads like a const Evidence; mutable_get() copies the record first when it is shared, so
// every holder keeps value semantics. Copies may be used and released from several threads.
class SharedEvidence {
 public:
  SharedEvidence() = default;
  explicit SharedEvidence(Evidence e) : rec_(new Rec(std::move(e))) {}

  // Returns the passage (a default Evidence when empty).
  const Evidence& get() const { return rec_.get() ? rec_.get()->e : None(); }
  const Evidence& operator*() const { return get(); }
  const Evidence* operator->() const { return &get(); }
  bool empty() const { return rec_.get() == nullptr; }
  // Whether both hold the same record.
  bool same(const SharedEvidence& o) const { return rec_.get() == o.rec_.get(); }
  // Returns the passage for writing, held by this object alone (copied first if shared).
  Evidence& mutable_get() {
    if (!rec_.unique()) *this = SharedEvidence(get());
    return rec_.get()->e;
  }

 private:
  struct Rec {
    explicit Rec(Evidence x) : e(std::move(x)) {}
    static void Free(Rec* r) { delete r; }
    std::atomic<std::uint32_t> refs{1};
    Evidence e;
  };
  static const Evidence& None() {
    static const Evidence kNone;
    return kNone;
  }
  SharedRef<Rec> rec_;
};

// The evidence passages of an edge: SharedEvidence records, one held in place and more in one
// exactly sized block. 16 bytes; a graph of a million edges holds a million of them. Reads like
// a const std::vector<Evidence>; copies share the records, and writing through operator[] or
// back() copies the one record written first.
class EvidenceList {
 public:
  using value_type = Evidence;
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Evidence;
    using difference_type = std::ptrdiff_t;
    using pointer = const Evidence*;
    using reference = const Evidence&;
    const_iterator() = default;
    explicit const_iterator(const SharedEvidence* p) : p_(p) {}
    reference operator*() const { return p_->get(); }
    pointer operator->() const { return &p_->get(); }
    reference operator[](difference_type n) const { return p_[n].get(); }
    const_iterator& operator++() { ++p_; return *this; }
    const_iterator operator++(int) { return const_iterator(p_++); }
    const_iterator& operator--() { --p_; return *this; }
    const_iterator operator--(int) { return const_iterator(p_--); }
    const_iterator& operator+=(difference_type n) { p_ += n; return *this; }
    const_iterator& operator-=(difference_type n) { p_ -= n; return *this; }
    friend const_iterator operator+(const_iterator i, difference_type n) { return i += n; }
    friend const_iterator operator+(difference_type n, const_iterator i) { return i += n; }
    friend const_iterator operator-(const_iterator i, difference_type n) { return i -= n; }
    friend difference_type operator-(const_iterator a, const_iterator b) { return a.p_ - b.p_; }
    friend bool operator==(const_iterator a, const_iterator b) { return a.p_ == b.p_; }
    friend bool operator!=(const_iterator a, const_iterator b) { return a.p_ != b.p_; }
    friend bool operator<(const_iterator a, const_iterator b) { return a.p_ < b.p_; }
    friend bool operator>(const_iterator a, const_iterator b) { return a.p_ > b.p_; }
    friend bool operator<=(const_iterator a, const_iterator b) { return a.p_ <= b.p_; }
    friend bool operator>=(const_iterator a, const_iterator b) { return a.p_ >= b.p_; }

   private:
    const SharedEvidence* p_ = nullptr;
  };
  using iterator = const_iterator;

  EvidenceList() noexcept : many_(nullptr) {}
  EvidenceList(std::initializer_list<Evidence> items) : EvidenceList() {
    reserve(items.size());
    for (const Evidence& e : items) push_back(e);
  }
  // Takes the passages of `items` (moved, in order), each a record of its own.
  explicit EvidenceList(std::vector<Evidence>&& items) : EvidenceList() {
    reserve(items.size());
    for (Evidence& e : items) push_back(std::move(e));
  }
  EvidenceList(const EvidenceList& o) : EvidenceList() {
    reserve(o.size_);
    for (std::uint32_t i = 0; i < o.size_; ++i) push_back(o.data()[i]);
  }
  EvidenceList(EvidenceList&& o) noexcept : EvidenceList() { Steal(o); }
  EvidenceList& operator=(EvidenceList o) noexcept {
    Release();
    Steal(o);
    return *this;
  }
  ~EvidenceList() { Release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const_iterator begin() const { return const_iterator(data()); }
  const_iterator end() const { return const_iterator(data() + size_); }
  const Evidence& operator[](std::size_t i) const { return data()[i].get(); }
  const Evidence& back() const { return data()[size_ - 1].get(); }
  Evidence& operator[](std::size_t i) { return data()[i].mutable_get(); }
  Evidence& back() { return data()[size_ - 1].mutable_get(); }
  // The shared record of passage `i`.
  const SharedEvidence& shared(std::size_t i) const { return data()[i]; }

  // Makes room for `n` passages in all (never shrinks).
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    if (n > UINT32_MAX) throw std::length_error("EvidenceList: too many passages");
    if (n == 1) {  // capacity 0: the one record is held in place
      new (&one_) SharedEvidence();
      capacity_ = 1;
      return;
    }
    SharedEvidence* grown = std::allocator<SharedEvidence>().allocate(n);
    SharedEvidence* old = data();
    for (std::uint32_t i = 0; i < size_; ++i) new (grown + i) SharedEvidence(std::move(old[i]));
    DestroyStorage();
    many_ = grown;
    capacity_ = static_cast<std::uint32_t>(n);
  }
  void push_back(SharedEvidence e) {
    if (size_ == capacity_) reserve(capacity_ < 2 ? capacity_ + 1 : 2 * std::size_t{capacity_});
    if (capacity_ == 1) {
      one_ = std::move(e);
    } else {
      new (many_ + size_) SharedEvidence(std::move(e));
    }
    ++size_;
  }
  void push_back(Evidence e) { push_back(SharedEvidence(std::move(e))); }
  void clear() {
    if (capacity_ == 1) {
      one_ = SharedEvidence();
    } else {
      for (std::uint32_t i = 0; i < size_; ++i) many_[i].~SharedEvidence();
    }
    size_ = 0;
  }

  friend bool operator==(const EvidenceList& a, const EvidenceList& b) {
    if (a.size_ != b.size_) return false;
    for (std::uint32_t i = 0; i < a.size_; ++i) {
      const SharedEvidence &x = a.data()[i], &y = b.data()[i];
      if (!x.same(y) && x.get() != y.get()) return false;
    }
    return true;
  }
  friend bool operator!=(const EvidenceList& a, const EvidenceList& b) { return !(a == b); }

 private:
  SharedEvidence* data() { return capacity_ == 1 ? &one_ : many_; }
  const SharedEvidence* data() const { return capacity_ == 1 ? &one_ : many_; }
  // Destroys the records and frees the block, leaving the storage undefined.
  void DestroyStorage() noexcept {
    if (capacity_ == 1) {
      one_.~SharedEvidence();
    } else if (capacity_ > 1) {
      for (std::uint32_t i = 0; i < size_; ++i) many_[i].~SharedEvidence();
      std::allocator<SharedEvidence>().deallocate(many_, capacity_);
    }
  }
  void Release() noexcept {
    DestroyStorage();
    many_ = nullptr;
    size_ = capacity_ = 0;
  }
  // Takes `o`'s records (this list is empty, without storage); leaves `o` empty.
  void Steal(EvidenceList& o) noexcept {
    if (o.capacity_ == 1) {
      new (&one_) SharedEvidence(std::move(o.one_));
      capacity_ = 1;
      size_ = o.size_;
      o.Release();
    } else {
      many_ = std::exchange(o.many_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
  }

  union {
    SharedEvidence one_;     // capacity 1
    SharedEvidence* many_;   // capacity 0 (nullptr) or more
  };
  std::uint32_t size_ = 0, capacity_ = 0;
};

// Hands out one SharedEvidence per distinct passage, so that the edges quoting a passage share
// its record. Passages are the same when their span is, and their document id and text are the
// same shared buffers (as a SharedStringPool hands out); equal texts in separate buffers get
// separate records, which is only less sharing. An open-addressing table of 8-byte slots.
class EvidencePool {
 public:
  // Returns the shared record of `e`, made on first use.
  const SharedEvidence& Get(Evidence e) {
    if ((live_ + 1) * 2 > slots_.size()) Grow();
    const std::size_t h = Hash(e);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      SharedEvidence& slot = slots_[i];
      if (slot.empty()) {
        slot = SharedEvidence(std::move(e));
        ++live_;
        return slot;
      }
      if (Same(*slot, e)) return slot;
    }
  }
  std::size_t size() const { return live_; }

 private:
  static bool Same(const Evidence& a, const Evidence& b) {
    return a.begin == b.begin && a.end == b.end && a.doc.data() == b.doc.data() &&
           a.text.data() == b.text.data();
  }
  static std::size_t Hash(const Evidence& e) {
    std::uint64_t h = reinterpret_cast<std::uintptr_t>(e.text.data());
    h = (h ^ (h >> 29)) * 0x9E3779B97F4A7C15ull;
    h ^= reinterpret_cast<std::uintptr_t>(e.doc.data()) + (std::uint64_t{e.begin} << 32) + e.end;
    h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  void Grow() {
    std::vector<SharedEvidence> old = std::move(slots_);
    slots_ = std::vector<SharedEvidence>(std::max<std::size_t>(64, old.size() * 2));
    mask_ = slots_.size() - 1;
    for (SharedEvidence& s : old) {
      if (s.empty()) continue;
      std::size_t i = Hash(*s) & mask_;
      while (!slots_[i].empty()) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  std::vector<SharedEvidence> slots_;
  std::size_t live_ = 0, mask_ = 0;
};

}  // namespace newsgraph
