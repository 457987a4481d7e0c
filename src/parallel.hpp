// parallel: a loop spread over threads, for the library's internal use.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace newsgraph {

// Runs fn(worker, i) for every i in [0, count), spread over up to `threads` threads (worker 0
// is the calling thread); items are handed out one at a time, in order. `first`, when given,
// runs on the calling thread before it takes items (the other threads start on them at once),
// as one more job. An exception thrown by fn or first stops the loop and is rethrown here once
// every thread has ended.
template <typename Fn>
void ParallelFor(unsigned threads, std::size_t count, const Fn& fn,
                 const std::function<void()>& first = {}) {
  const std::size_t jobs = count + (first ? 1 : 0);
  const auto workers =
      static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), jobs));
  if (workers <= 1) {
    if (first) first();
    for (std::size_t i = 0; i < count; ++i) fn(0u, i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::mutex error_mu;
  std::exception_ptr error;  // the first exception a worker threw (std::bad_alloc, ...)
  auto work = [&](unsigned worker) {
    try {
      if (worker == 0 && first) first();
      for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;)
        fn(worker, i);
    } catch (...) {
      next.store(count, std::memory_order_relaxed);  // the others stop at their next item
      std::lock_guard<std::mutex> lock(error_mu);
      if (!error) error = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  try {
    for (unsigned t = 1; t < workers; ++t) pool.emplace_back(work, t);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started and this one do the work.
  }
  work(0);
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);  // on the caller's thread, as without threads
}

}  // namespace newsgraph
