// slot_pool: fixed-size slots for the small objects a graph holds by the million.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace newsgraph {

// Hands out slots of one size, carved from 64 KiB blocks, with a free list threaded through
// the freed slots. A slot costs its size and no more: malloc adds a header and rounds up to
// 16 bytes, 16 bytes an edge on a Boost list node of 112. All blocks go back to the system
// when the last slot is freed. Thread-safe (one lock; allocations are not on a hot path).
class SlotPool {
 public:
  // Returns the process-wide pool for slots of `size` bytes (a multiple of a pointer's size
  // and of the alignment of what they hold). Never destroyed, so objects in static storage may outlive
  // any other static.
  static SlotPool& For(std::size_t size);

  explicit SlotPool(std::size_t size) : size_(size) {}
  SlotPool(const SlotPool&) = delete;
  SlotPool& operator=(const SlotPool&) = delete;
  ~SlotPool();

  // Returns an uninitialised slot. Throws std::bad_alloc when memory runs out.
  void* Allocate();
  // Returns `slot` (from Allocate) to the pool.
  void Free(void* slot) noexcept;

  // Slots in use, and bytes held in blocks (used or not). For tests and reports.
  std::size_t live() const;
  std::size_t reserved_bytes() const;
  // Bytes held in blocks by all the process-wide pools.
  static std::size_t TotalReservedBytes();

  static constexpr std::size_t kBlockBytes = std::size_t{64} << 10;

 private:
  mutable std::mutex mu_;
  const std::size_t size_;
  void* free_ = nullptr;                 // freed slots, each holding the next one's address
  char* next_ = nullptr;                 // the unused tail of the newest block
  char* end_ = nullptr;
  std::vector<void*> blocks_;
  std::size_t live_ = 0;
};

// Objects may be taken from the pools when their size is a multiple of their alignment and
// their alignment no more than malloc's. Under AddressSanitizer every object gets its own
// heap block, so overflows and uses after free are still caught.
#if defined(__SANITIZE_ADDRESS__)
#define NEWSGRAPH_POOLS_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NEWSGRAPH_POOLS_OFF 1
#endif
#endif
#ifndef NEWSGRAPH_POOLS_OFF
#define NEWSGRAPH_POOLS_OFF 0
#endif
template <typename T>
constexpr bool kPoolable = !NEWSGRAPH_POOLS_OFF && sizeof(T) % alignof(T) == 0 &&
                           alignof(T) <= alignof(std::max_align_t);

// A standard allocator that takes single objects (list and tree nodes, out-of-line values)
// from the SlotPool of their size, and arrays from operator new. Stateless: all instances
// are equal.
template <typename T>
struct PoolAllocator {
  using value_type = T;

  PoolAllocator() noexcept = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n == 1 && kPoolable<T>) return static_cast<T*>(Pool().Allocate());
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1 && kPoolable<T>) {
      Pool().Free(p);
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }

  friend bool operator==(const PoolAllocator&, const PoolAllocator&) noexcept { return true; }
  friend bool operator!=(const PoolAllocator&, const PoolAllocator&) noexcept { return false; }

 private:
  static SlotPool& Pool() {
    // Rounded up to whole pointers: a free slot holds the address of the next.
    constexpr std::size_t kPtr = sizeof(void*);
    static SlotPool& pool = SlotPool::For((sizeof(T) + kPtr - 1) / kPtr * kPtr);
    return pool;
  }
};

// Deletes an object made by PoolNew.
template <typename T>
struct PoolDelete {
  void operator()(T* p) const noexcept {
    p->~T();
    PoolAllocator<T>().deallocate(p, 1);
  }
};

// Makes a T from `args` in a pool slot, owned by the returned pointer.
template <typename T, typename... Args>
std::unique_ptr<T, PoolDelete<T>> PoolNew(Args&&... args) {
  PoolAllocator<T> alloc;
  T* p = alloc.allocate(1);
  try {
    new (p) T(std::forward<Args>(args)...);
  } catch (...) {
    alloc.deallocate(p, 1);
    throw;
  }
  return std::unique_ptr<T, PoolDelete<T>>(p);
}

}  // namespace newsgraph
