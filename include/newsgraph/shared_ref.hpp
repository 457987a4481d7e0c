// shared_ref: the reference counting shared by SharedString and SharedEvidence.
#pragma once

#include <atomic>
#include <utility>

namespace newsgraph {

// An 8-byte handle to an immutable `Rep` on the heap, shared by reference counting: copies
// share it, the last one to go frees it. `Rep` has a std::atomic count `refs`, 1 when made, and
// a static `Free(Rep*)`. Copies may be used and released from several threads.
template <class Rep>
class SharedRef {
 public:
  SharedRef() = default;
  // Takes over the one reference of a new `rep` (nullptr: empty).
  explicit SharedRef(Rep* rep) noexcept : rep_(rep) {}
  SharedRef(const SharedRef& o) noexcept : rep_(o.rep_) {
    if (rep_) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedRef(SharedRef&& o) noexcept : rep_(std::exchange(o.rep_, nullptr)) {}
  SharedRef& operator=(SharedRef o) noexcept {
    std::swap(rep_, o.rep_);
    return *this;
  }
  ~SharedRef() {
    if (rep_ && rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) Rep::Free(rep_);
  }

  Rep* get() const { return rep_; }
  // Whether this is the only reference (false when empty).
  bool unique() const { return rep_ && rep_->refs.load(std::memory_order_acquire) == 1; }

 private:
  Rep* rep_ = nullptr;
};

}  // namespace newsgraph
