#include "newsgraph/pipeline.hpp"

namespace newsgraph {

Pipeline::Pipeline(const PipelineOptions& options)
    : options_(options), extractor_(options.extractor), reader_(options.reader) {}

void Pipeline::Analyze(AnalyzedDocument* item) const {
  splitter_.Segment(item->doc.text, &item->seg);
  item->mentions = extractor_.Extract(item->doc.text, item->seg);
  resolver_.Resolve(item->doc.text, &item->mentions);
}

Status Pipeline::ForEachAnalyzed(const std::vector<std::string>& inputs,
                                 const std::function<Status(const AnalyzedDocument&)>& sink,
                                 const std::function<void(const Progress&)>& progress) {
  if (!status().ok()) return status();
  Progress p;
  AnalyzedDocument item;
  return reader_.ForEach(inputs, [&](Document&& doc) -> Status {
    item.doc = std::move(doc);
    Analyze(&item);
    ++p.documents;
    p.bytes = reader_.bytes_read();
    if (progress) progress(p);
    return sink(item);
  });
}

Status Pipeline::Build(const std::vector<std::string>& inputs, PartialGraph* out,
                       const std::function<void(const Progress&)>& progress) {
  return ForEachAnalyzed(
      inputs,
      [&](const AnalyzedDocument& item) {
        out->AddDocument(item.doc, item.seg, item.mentions, options_.relate);
        return Status::Ok();
      },
      progress);
}

}  // namespace newsgraph
