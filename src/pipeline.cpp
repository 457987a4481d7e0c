#include "newsgraph/pipeline.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "free_storage.hpp"

namespace newsgraph {

// Consecutive documents analysed by one worker; `seq` restores input order.
struct Pipeline::Batch {
  std::uint64_t seq = 0;
  unsigned worker = 0;  // the worker that analysed it
  bool spent = false;   // emitted: handed back to its worker to be freed
  std::vector<AnalyzedDocument> items;
};

namespace {

// An unbounded FIFO between the reading thread and one worker (the number of batches in flight
// is bounded separately, for all workers together).
template <class T>
class WorkQueue {
 public:
  void Push(T value) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(std::move(value));
    }
    cv_.notify_one();
  }
  // Waits for a value; returns false once the queue is closed and empty.
  bool Pop(T* value) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    *value = std::move(queue_.front());
    queue_.pop_front();
    return true;
  }
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> queue_;
  bool closed_ = false;
};

}  // namespace

Pipeline::Pipeline(const PipelineOptions& options)
    : options_(options), extractor_(options.extractor), reader_(options.reader) {}

unsigned Pipeline::threads() const {
  if (options_.threads > 0) return options_.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void Pipeline::Analyze(AnalyzedDocument* item) const {
  splitter_.Segment(item->doc.text, &item->seg);
  extractor_.Extract(item->doc.text, item->seg, &item->mentions);
  resolver_.Resolve(item->doc.text, &item->mentions);
}

Status Pipeline::ForEachAnalyzed(const std::vector<std::string>& inputs,
                                 const std::function<Status(const AnalyzedDocument&)>& sink,
                                 const std::function<void(const Progress&)>& progress) {
  if (!status().ok()) return status();
  return Run(inputs, threads(), [](unsigned, AnalyzedDocument&) {}, sink, progress);
}

Status Pipeline::Build(const std::vector<std::string>& inputs, PartialGraph* out,
                       const std::function<void(const Progress&)>& progress) {
  if (!status().ok()) return status();
  const unsigned n = threads();
  auto add = [&](PartialGraph* graph, const AnalyzedDocument& item) {
    graph->AddDocument(item.doc, item.seg, item.mentions, options_.relate);
  };
  if (n <= std::max(1u, options_.in_order_workers)) {
    // Workers analyse; this thread adds each document to the one graph in input order, as a
    // single thread would. Adding costs about a tenth of analysing, so this thread keeps up
    // with a few workers, and there is neither a second graph in memory nor a merge at the end.
    return Run(inputs, n, [](unsigned, AnalyzedDocument&) {},
               [&](const AnalyzedDocument& item) {
                 add(out, item);
                 return Status::Ok();
               },
               progress);
  }
  // More workers would outpace one adder: each worker counts into a graph of its own, merged
  // at the end. The merge is commutative and associative, so the result does not depend on
  // which worker saw which document.
  std::vector<PartialGraph> partials(n);
  Status s = Run(inputs, n, [&](unsigned w, AnalyzedDocument& item) { add(&partials[w], item); },
                 nullptr, progress);
  if (!s.ok()) return s;
  for (PartialGraph& p : partials) out->Merge(std::move(p), options_.relate);
  return Status::Ok();
}

Status Pipeline::Run(const std::vector<std::string>& inputs, unsigned workers,
                     const std::function<void(unsigned, AnalyzedDocument&)>& work,
                     const std::function<Status(const AnalyzedDocument&)>& emit,
                     const std::function<void(const Progress&)>& progress) {
  Progress p;
  if (progress && options_.measure_total) p.total_bytes = TotalInputBytes(inputs);
  auto report = [&] {
    if (!progress) return;
    p.bytes = reader_.bytes_read();
    p.files = reader_.files_read();
    progress(p);
  };

  if (workers <= 1) {
    // No threads: read, analyse and emit one document at a time.
    AnalyzedDocument item;
    std::uint64_t next_sentence = 0;
    Status s = reader_.ForEach(inputs, [&](Document&& doc) -> Status {
      item.doc = std::move(doc);
      if (item.doc.part == 0) {
        next_sentence = 0;
        ++p.documents;
      }
      item.sentence_base = next_sentence;
      Analyze(&item);
      next_sentence += item.seg.sentences.size();
      work(0, item);
      report();
      return emit ? emit(item) : Status::Ok();
    });
    report();
    return s;
  }

  // Threads: this thread emits in input order; a reading thread fills batches and hands each
  // to a worker (every part of a split document to the same worker, in order); workers analyse
  // and return batches. At most `max_in_flight` batches exist at once, so memory is bounded.
  // An emitted batch goes back to its worker to be freed: the thread that made the analyses
  // frees them. Were this thread to free them, malloc's per-thread cache would hand their
  // blocks, which belong to the worker's arena, to this thread's next allocations, and what this
  // thread keeps (the graph) would pin the workers' arenas in memory after the workers end.
  const std::size_t max_in_flight = 2 * static_cast<std::size_t>(workers) + 2;
  std::vector<WorkQueue<std::unique_ptr<Batch>>> queues(workers);
  std::unique_ptr<std::atomic<std::size_t>[]> queued(new std::atomic<std::size_t>[workers]);
  for (unsigned w = 0; w < workers; ++w) queued[w] = 0;

  std::mutex mu;  // guards everything below
  std::condition_variable cv;
  std::map<std::uint64_t, std::unique_ptr<Batch>> done;
  std::size_t in_flight = 0;
  std::uint64_t dispatched = 0;
  bool reader_done = false;
  bool stop = false;
  Status reader_status, worker_status, sink_status;

  auto request_stop = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stop = true;
    }
    cv.notify_all();
  };
  auto stopped = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return stop;
  };

  std::thread reader([&] {
    std::unique_ptr<Batch> batch;
    std::size_t batch_bytes = 0;
    unsigned sticky = 0;  // the worker holding the split document in progress
    bool halted = false;
    auto dispatch = [&]() -> bool {
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return in_flight < max_in_flight || stop; });
        if (stop) return false;
        ++in_flight;
        batch->seq = dispatched++;
      }
      unsigned w = 0;
      if (batch->items.front().doc.part > 0) {
        w = sticky;
      } else {
        for (unsigned k = 1; k < workers; ++k)
          if (queued[k].load() < queued[w].load()) w = k;
      }
      if (!batch->items.back().doc.last_part) sticky = w;
      ++queued[w];
      queues[w].Push(std::move(batch));
      batch.reset();
      batch_bytes = 0;
      return true;
    };
    Status s = reader_.ForEach(inputs, [&](Document&& doc) -> Status {
      if (!batch) batch = std::make_unique<Batch>();
      const bool split = !doc.last_part;  // its next part must start a batch of its own
      if (doc.part == 0) ++p.documents;
      batch_bytes += doc.text.size() + 256;
      batch->items.emplace_back();
      batch->items.back().doc = std::move(doc);
      if (split || batch_bytes >= options_.batch_bytes) {
        if (!dispatch()) {
          halted = true;
          return Status::Internal("stopped");
        }
      }
      report();
      return Status::Ok();
    });
    // Documents read before an input error are still analysed and emitted, as without threads.
    if (!halted && batch && !batch->items.empty()) dispatch();
    report();
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!halted) reader_status = s;
      reader_done = true;
    }
    cv.notify_all();
  });

  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      std::uint64_t next_sentence = 0;
      // The mention lists of this worker's spent batches, handed to its next documents:
      // Extract writes over their mentions, reusing their strings' storage. Enough for a
      // batch of short documents, so that what it keeps stays small.
      constexpr std::size_t kSpareLists = 128;
      std::vector<std::vector<Mention>> spare;
      auto keep_lists = [&](Batch* batch) {
        for (AnalyzedDocument& item : batch->items) {
          if (spare.size() >= kSpareLists) break;
          if (item.mentions.capacity() > 0) spare.push_back(std::move(item.mentions));
        }
      };
      std::unique_ptr<Batch> b;
      while (queues[w].Pop(&b)) {
        if (b->spent) {
          keep_lists(b.get());
          b.reset();
          {
            std::lock_guard<std::mutex> lock(mu);
            --in_flight;
          }
          cv.notify_all();
          continue;
        }
        b->worker = w;
        if (!stopped()) {
          try {
            for (AnalyzedDocument& item : b->items) {
              if (item.doc.part == 0) next_sentence = 0;
              item.sentence_base = next_sentence;
              if (!spare.empty()) {
                item.mentions = std::move(spare.back());
                spare.pop_back();
              }
              Analyze(&item);
              next_sentence += item.seg.sentences.size();
              work(w, item);
            }
          } catch (const std::exception& e) {
            {
              std::lock_guard<std::mutex> lock(mu);
              if (worker_status.ok()) worker_status = Status::Internal(e.what());
            }
            request_stop();
          }
        }
        if (!emit) {  // nothing to emit: free the text now
          keep_lists(b.get());
          FreeStorage(b->items);
        }
        --queued[w];
        {
          std::lock_guard<std::mutex> lock(mu);
          const std::uint64_t seq = b->seq;
          done.emplace(seq, std::move(b));
        }
        cv.notify_all();
      }
    });
  }

  // Emit batches in input order, releasing each one's slot.
  for (std::uint64_t next = 0;; ++next) {
    std::unique_ptr<Batch> b;
    bool failed;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return done.count(next) > 0 || (reader_done && next >= dispatched); });
      auto it = done.find(next);
      if (it == done.end()) break;
      b = std::move(it->second);
      done.erase(it);
      failed = stop;
    }
    if (emit && !failed) {
      for (const AnalyzedDocument& item : b->items) {
        Status s;
        try {
          s = emit(item);
        } catch (const std::exception& e) {  // the threads must be joined before it goes on
          s = Status::Internal(e.what());
        }
        if (!s.ok()) {
          sink_status = s;
          request_stop();
          break;
        }
      }
    }
    b->spent = true;  // its worker frees it and releases its slot
    const unsigned w = b->worker;
    queues[w].Push(std::move(b));
  }
  // Every dispatched batch is back (the reader is done): the workers free the last ones and end.
  for (auto& q : queues) q.Close();
  reader.join();
  for (auto& t : pool) t.join();
  if (!worker_status.ok()) return worker_status;
  if (!sink_status.ok()) return sink_status;
  return reader_status;
}

}  // namespace newsgraph
