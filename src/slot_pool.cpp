// slot_pool: fixed-size slots for the small objects a graph holds by the million.
#include "newsgraph/slot_pool.hpp"

#include <cstdlib>
#include <map>

namespace newsgraph {

namespace {

// The process-wide pools by slot size, and their lock. Never destroyed (see SlotPool::For).
struct Registry {
  std::mutex mu;
  std::map<std::size_t, SlotPool*> pools;
};
Registry& Pools() {
  static auto* registry = new Registry;
  return *registry;
}

}  // namespace

SlotPool& SlotPool::For(std::size_t size) {
  Registry& r = Pools();
  std::lock_guard<std::mutex> lock(r.mu);
  SlotPool*& pool = r.pools[size];
  if (!pool) pool = new SlotPool(size);
  return *pool;
}

std::size_t SlotPool::TotalReservedBytes() {
  Registry& r = Pools();
  std::lock_guard<std::mutex> lock(r.mu);
  std::size_t bytes = 0;
  for (const auto& [size, pool] : r.pools) bytes += pool->reserved_bytes();
  return bytes;
}

SlotPool::~SlotPool() {
  for (void* block : blocks_) std::free(block);
}

void* SlotPool::Allocate() {
  std::lock_guard<std::mutex> lock(mu_);
  void* slot;
  if (free_) {
    slot = free_;
    free_ = *static_cast<void**>(slot);
  } else {
    if (static_cast<std::size_t>(end_ - next_) < size_) {
      if (blocks_.size() == blocks_.capacity()) {
        blocks_.reserve(blocks_.empty() ? 16 : 2 * blocks_.size());  // may throw; no change yet
      }
      void* block = std::malloc(kBlockBytes);
      if (!block) throw std::bad_alloc();
      blocks_.push_back(block);
      next_ = static_cast<char*>(block);
      end_ = next_ + kBlockBytes / size_ * size_;
    }
    slot = next_;
    next_ += size_;
  }
  ++live_;
  return slot;
}

void SlotPool::Free(void* slot) noexcept {
  std::lock_guard<std::mutex> lock(mu_);
  if (--live_ == 0) {
    // The last slot: hand every block back, so a program that drops its graphs gets their
    // memory back.
    for (void* block : blocks_) std::free(block);
    blocks_.clear();
    blocks_.shrink_to_fit();
    free_ = nullptr;
    next_ = end_ = nullptr;
    return;
  }
  *static_cast<void**>(slot) = free_;
  free_ = slot;
}

std::size_t SlotPool::live() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_;
}

std::size_t SlotPool::reserved_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return blocks_.size() * kBlockBytes;
}

}  // namespace newsgraph
