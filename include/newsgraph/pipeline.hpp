// The whole per-document pipeline (segment, extract, resolve) and the corpus-level build.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "newsgraph/document.hpp"
#include "newsgraph/extract.hpp"
#include "newsgraph/reader.hpp"
#include "newsgraph/relate.hpp"
#include "newsgraph/resolve.hpp"
#include "newsgraph/segment.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct PipelineOptions {
  ExtractorOptions extractor;
  RelateOptions relate;
  ReaderOptions reader;
  // Worker threads analysing documents (0: one per core). Results are the same for any count:
  // ForEachAnalyzed keeps input order, and so does Build up to `in_order_workers` workers (the
  // calling thread adds every document to the graph); with more, each worker counts into a
  // graph of its own and these merge (commutatively) at the end.
  unsigned threads = 1;
  unsigned in_order_workers = 4;
  // Documents travel to the workers in batches of about this many bytes; at most
  // 2 * threads + 2 batches are in flight, which bounds memory whatever the corpus size.
  std::size_t batch_bytes = 256 << 10;
  // Compute Progress::total_bytes (one extra pass over the file sizes) for an ETA.
  bool measure_total = false;
};

// Progress figures for a live status line; called from the reading thread.
struct Progress {
  std::uint64_t files = 0, documents = 0, bytes = 0;
  std::uint64_t total_bytes = 0;  // 0 when unknown (standard input, or not measured)
};

// The per-document result.
struct AnalyzedDocument {
  Document doc;
  Segmentation seg;
  std::vector<Mention> mentions;
  // Sentences in the earlier parts of a split document (add it to Mention::sentence for the
  // index in the whole document); 0 for whole documents.
  std::uint64_t sentence_base = 0;
};

class Pipeline {
 public:
  explicit Pipeline(const PipelineOptions& options);

  // Returns OK when the extractor's resources loaded.
  const Status& status() const { return extractor_.status(); }

  // Segments, extracts and resolves one document in place (doc must be set).
  void Analyze(AnalyzedDocument* item) const;

  // Streams `inputs`, analysing every document and passing it to `sink` in input order, on the
  // calling thread (documents are analysed on `threads` workers).
  Status ForEachAnalyzed(const std::vector<std::string>& inputs,
                         const std::function<Status(const AnalyzedDocument&)>& sink,
                         const std::function<void(const Progress&)>& progress = nullptr);

  // Builds the corpus counts of `inputs` into `out`.
  Status Build(const std::vector<std::string>& inputs, PartialGraph* out,
               const std::function<void(const Progress&)>& progress = nullptr);

  // Returns the number of worker threads runs use.
  unsigned threads() const;

  // Returns the reader (for skipped-record counts).
  const CorpusReader& reader() const { return reader_; }
  const EntityExtractor& extractor() const { return extractor_; }

 private:
  struct Batch;
  // Runs the threaded pipeline: each worker analyses batches and passes every document to
  // `work` (with its worker index); `emit` receives finished batches' documents in input order.
  Status Run(const std::vector<std::string>& inputs, unsigned workers,
             const std::function<void(unsigned, AnalyzedDocument&)>& work,
             const std::function<Status(const AnalyzedDocument&)>& emit,
             const std::function<void(const Progress&)>& progress);

  PipelineOptions options_;
  EntityExtractor extractor_;
  SentenceSplitter splitter_;
  EntityResolver resolver_;
  CorpusReader reader_;
};

}  // namespace newsgraph
