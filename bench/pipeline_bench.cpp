// Per-stage throughput of the newsgraph pipeline on real news text (Google Benchmark).
//   build/bench/pipeline_bench [--benchmark_filter=Analyze]
// Text: the JSON Lines files of ../shared/eval (or NEWSGRAPH_BENCH_TEXT=FILE.jsonl); bytes/s
// is the processed text. End-to-end figures beside `wc -w`: bench/run.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "newsgraph/partial_io.hpp"
#include "newsgraph/pipeline.hpp"
#include "newsgraph/reader.hpp"

namespace ng = newsgraph;

namespace {

// The documents of the evaluation files, read once.
const std::vector<ng::Document>& Texts() {
  static const std::vector<ng::Document> docs = [] {
    std::vector<std::string> inputs;
    if (const char* f = std::getenv("NEWSGRAPH_BENCH_TEXT")) {
      inputs.push_back(f);
    } else {
      for (const char* name : {"politics-dev.jsonl", "news-dev.jsonl"}) {
        const std::string path = std::string(NEWSGRAPH_SOURCE_DIR) + "/../shared/eval/" + name;
        if (std::ifstream(path)) inputs.push_back(path);
      }
    }
    std::vector<ng::Document> out;
    ng::CorpusReader reader;
    reader.ForEach(inputs, [&](ng::Document&& d) {
      out.push_back(std::move(d));
      return ng::Status::Ok();
    });
    return out;
  }();
  return docs;
}

std::size_t TotalBytes() {
  std::size_t n = 0;
  for (const auto& d : Texts()) n += d.text.size();
  return n;
}

const ng::Pipeline& SharedPipeline() {
  static const ng::Pipeline pipeline{ng::PipelineOptions{}};
  return pipeline;
}

void BM_Segment(benchmark::State& state) {
  ng::SentenceSplitter splitter;
  ng::Segmentation seg;
  for (auto _ : state) {
    for (const auto& d : Texts()) splitter.Segment(d.text, &seg);
    benchmark::DoNotOptimize(seg.tokens.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

void BM_Analyze(benchmark::State& state) {
  const ng::Pipeline& pipeline = SharedPipeline();
  ng::AnalyzedDocument item;
  for (auto _ : state) {
    for (const auto& d : Texts()) {
      item.doc.text = d.text;
      pipeline.Analyze(&item);
    }
    benchmark::DoNotOptimize(item.mentions.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

// Relating only: the analysed documents are prepared outside the timing.
void BM_AddDocument(benchmark::State& state) {
  const ng::Pipeline& pipeline = SharedPipeline();
  std::vector<ng::AnalyzedDocument> items(Texts().size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    items[i].doc = Texts()[i];
    pipeline.Analyze(&items[i]);
  }
  ng::RelateOptions options;
  for (auto _ : state) {
    ng::PartialGraph g;
    for (const auto& item : items) g.AddDocument(item.doc, item.seg, item.mentions, options);
    benchmark::DoNotOptimize(g.units());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

// Resolution only: extraction output prepared outside the timing; each pass resolves copies
// (the copy is timed too: BM_CopyMentions is that part alone).
std::vector<std::vector<ng::Mention>> Extracted() {
  ng::EntityExtractor extractor;
  ng::SentenceSplitter splitter;
  std::vector<std::vector<ng::Mention>> out;
  for (const auto& d : Texts()) out.push_back(extractor.Extract(d.text, splitter.Segment(d.text)));
  return out;
}

void BM_Resolve(benchmark::State& state) {
  const auto extracted = Extracted();
  ng::EntityResolver resolver;
  std::vector<ng::Mention> ms;
  for (auto _ : state) {
    for (std::size_t i = 0; i < extracted.size(); ++i) {
      ms = extracted[i];
      resolver.Resolve(Texts()[i].text, &ms);
    }
    benchmark::DoNotOptimize(ms.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

void BM_CopyMentions(benchmark::State& state) {
  const auto extracted = Extracted();
  std::vector<ng::Mention> ms;
  for (auto _ : state) {
    for (std::size_t i = 0; i < extracted.size(); ++i) ms = extracted[i];
    benchmark::DoNotOptimize(ms.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}

void BM_WriteReadPartial(benchmark::State& state) {
  const ng::Pipeline& pipeline = SharedPipeline();
  ng::PartialGraph g;
  ng::RelateOptions options;
  ng::AnalyzedDocument item;
  for (const auto& d : Texts()) {
    item.doc = d;
    pipeline.Analyze(&item);
    g.AddDocument(item.doc, item.seg, item.mentions, options);
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::stringstream io;
    ng::WritePartial(g, options, io);
    bytes = io.str().size();
    ng::PartialGraph back;
    ng::RelateOptions o;
    ng::ReadPartial(io, "bench", &back, &o);
    benchmark::DoNotOptimize(back.units());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

}  // namespace

BENCHMARK(BM_Segment)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Analyze)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AddDocument)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Resolve)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CopyMentions)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteReadPartial)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
