// libFuzzer target: arbitrary bytes as one document through segment, extract, resolve, relate,
// the graph and the GraphML writer. Checks the offset invariants the stages promise, and that
// the extractor's rule filter (RE2 only where a default rule can match; the title and given-name
// rules on their own) finds what the unfiltered extractor finds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"
#include "newsgraph/pipeline.hpp"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

const newsgraph::Pipeline& SharedPipeline() {
  static const newsgraph::Pipeline* pipeline = [] {
    auto* p = new newsgraph::Pipeline(newsgraph::PipelineOptions{});
    Check(p->status().ok());
    return p;
  }();
  return *pipeline;
}

// An extractor without the rule filter: any user rule file turns it off, and an empty one adds
// no rule.
const newsgraph::EntityExtractor& UnfilteredExtractor() {
  static const newsgraph::EntityExtractor* extractor = [] {
    const std::string path = "/tmp/fuzz_extract_no_rules." + std::to_string(getpid()) + ".json";
    std::ofstream(path) << R"({"version": 1, "rules": []})";
    newsgraph::ExtractorOptions o;
    o.rule_files.push_back(path);
    auto* e = new newsgraph::EntityExtractor(o);
    std::remove(path.c_str());
    Check(e->ok());
    return e;
  }();
  return *extractor;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newsgraph;
  const Pipeline& pipeline = SharedPipeline();
  AnalyzedDocument item;
  item.doc.id = "fuzz";
  item.doc.date = "2024-06-14";
  item.doc.text.assign(reinterpret_cast<const char*>(data), size);
  // The reader hands the pipeline valid UTF-8; the library API takes any bytes, so half the
  // inputs go in raw.
  if (size > 0 && (data[0] & 1)) RepairUtf8(&item.doc.text);
  pipeline.Analyze(&item);

  const std::size_t n = item.doc.text.size();
  const Segmentation& seg = item.seg;
  for (const Token& t : seg.tokens) Check(t.begin < t.end && t.end <= n);
  for (std::size_t i = 1; i < seg.tokens.size(); ++i) Check(seg.tokens[i - 1].end <= seg.tokens[i].begin);
  for (const Sentence& s : seg.sentences) {
    Check(s.begin <= s.end && s.end <= n);
    Check(s.first_token <= s.token_end && s.token_end <= seg.tokens.size());
    Check(s.paragraph < seg.paragraphs.size());
  }
  for (const Paragraph& p : seg.paragraphs) Check(p.begin <= p.end && p.end <= n);
  std::uint32_t last_end = 0;
  for (const Mention& m : item.mentions) {
    Check(m.begin < m.end && m.end <= n);
    Check(m.begin >= last_end);  // sorted and non-overlapping
    last_end = m.end;
    Check(m.sentence < seg.sentences.size() || seg.sentences.empty());
  }

  // The filtered and the unfiltered extractor find the same mentions.
  const std::vector<Mention> filtered = pipeline.extractor().Extract(item.doc.text, seg);
  const std::vector<Mention> all = UnfilteredExtractor().Extract(item.doc.text, seg);
  Check(filtered.size() == all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    Check(filtered[i].begin == all[i].begin && filtered[i].end == all[i].end);
    Check(filtered[i].type == all[i].type && filtered[i].entity == all[i].entity);
    Check(filtered[i].rule == all[i].rule && filtered[i].title == all[i].title);
  }

  PartialGraph partial;
  for (Scope scope : {Scope{ScopeKind::kSentence, 1}, Scope{ScopeKind::kWindow, 2}}) {
    RelateOptions ro;
    ro.scope = scope;
    partial.AddDocument(item.doc, seg, item.mentions, ro);
  }
  Graph graph = Graph::FromPartial(partial);
  std::ostringstream out;
  Check(WriteGraphML(graph, out).ok());
  return 0;
}
