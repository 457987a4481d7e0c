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
  unsigned threads = 1;  // 0: all cores
};

// Progress figures for a live status line; called from the reading thread.
struct Progress {
  std::uint64_t files = 0, documents = 0, bytes = 0;
};

// The per-document result.
struct AnalyzedDocument {
  Document doc;
  Segmentation seg;
  std::vector<Mention> mentions;
};

class Pipeline {
 public:
  explicit Pipeline(const PipelineOptions& options);

  // Returns OK when the extractor's resources loaded.
  const Status& status() const { return extractor_.status(); }

  // Segments, extracts and resolves one document in place (doc must be set).
  void Analyze(AnalyzedDocument* item) const;

  // Streams `inputs`, analysing every document and passing it to `sink` in input order.
  Status ForEachAnalyzed(const std::vector<std::string>& inputs,
                         const std::function<Status(const AnalyzedDocument&)>& sink,
                         const std::function<void(const Progress&)>& progress = nullptr);

  // Builds the corpus counts of `inputs` into `out`.
  Status Build(const std::vector<std::string>& inputs, PartialGraph* out,
               const std::function<void(const Progress&)>& progress = nullptr);

  // Returns the reader (for skipped-record counts).
  const CorpusReader& reader() const { return reader_; }
  const EntityExtractor& extractor() const { return extractor_; }

 private:
  PipelineOptions options_;
  EntityExtractor extractor_;
  SentenceSplitter splitter_;
  EntityResolver resolver_;
  CorpusReader reader_;
};

}  // namespace newsgraph
