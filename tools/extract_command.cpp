// newsgraph extract: mentions as JSON Lines.
#include <iostream>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli_common.hpp"

namespace newsgraph::cli {

namespace ng = newsgraph;

namespace {

int RunExtract(const CommonOptions& o) {
  ng::Pipeline pipeline(MakePipelineOptions(o));
  if (!pipeline.status().ok()) return Fail(pipeline.status());
  std::ios::sync_with_stdio(false);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  ProgressLine progress(o.quiet);
  // One write per document; offsets and sentence numbers refer to the whole document, also
  // when it arrived in parts.
  auto print = [&](const ng::AnalyzedDocument& item) {
    buf.Clear();
    const std::uint64_t base = item.doc.base_offset;
    for (const ng::Mention& m : item.mentions) {
      w.Reset(buf);
      w.StartObject();
      w.Key("doc"); w.String(item.doc.id.c_str(), item.doc.id.size());
      w.Key("start"); w.Uint64(base + m.begin);
      w.Key("end"); w.Uint64(base + m.end);
      w.Key("text"); w.String(item.doc.text.data() + m.begin, m.end - m.begin);
      w.Key("type"); w.String(m.type.c_str(), m.type.size());
      w.Key("entity"); w.String(m.entity.c_str(), m.entity.size());
      w.Key("sentence"); w.Uint64(item.sentence_base + m.sentence);
      w.Key("rule"); w.String(m.rule.c_str(), m.rule.size());
      if (!m.title.empty()) { w.Key("title"); w.String(m.title.c_str(), m.title.size()); }
      w.EndObject();
      buf.Put('\n');
    }
    std::cout.write(buf.GetString(), static_cast<std::streamsize>(buf.GetSize()));
    if (!std::cout) return ng::Status::IoError("standard output: write failed");
    return ng::Status::Ok();
  };
  ng::Status s = pipeline.ForEachAnalyzed(o.inputs, print, progress.callback());
  progress.Clear();
  std::cout.flush();
  if (!s.ok()) return Fail(s);
  ReportSkipped(pipeline, o);
  return 0;
}

}  // namespace

Runner RegisterExtract(CLI::App* app) {
  auto opts = std::make_shared<CommonOptions>();
  CLI::App* cmd = app->add_subcommand(
      "extract", "Print the entity mentions of the inputs, one JSON object a line");
  AddCommon(cmd, opts.get());
  return [cmd, opts]() { return *cmd ? RunExtract(*opts) : -1; };
}

}  // namespace newsgraph::cli
