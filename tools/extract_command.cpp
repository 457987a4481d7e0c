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
  ng::Status s = pipeline.ForEachAnalyzed(o.inputs, [&](const ng::AnalyzedDocument& item) {
    for (const ng::Mention& m : item.mentions) {
      buf.Clear();
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      w.StartObject();
      w.Key("doc"); w.String(item.doc.id.c_str(), item.doc.id.size());
      w.Key("start"); w.Uint(m.begin);
      w.Key("end"); w.Uint(m.end);
      w.Key("text"); w.String(item.doc.text.data() + m.begin, m.end - m.begin);
      w.Key("type"); w.String(m.type.c_str(), m.type.size());
      w.Key("entity"); w.String(m.entity.c_str(), m.entity.size());
      w.Key("sentence"); w.Uint(m.sentence);
      w.Key("rule"); w.String(m.rule.c_str(), m.rule.size());
      if (!m.title.empty()) { w.Key("title"); w.String(m.title.c_str(), m.title.size()); }
      w.EndObject();
      std::cout.write(buf.GetString(), buf.GetSize());
      std::cout.put('\n');
    }
    if (!std::cout) return ng::Status::IoError("standard output: write failed");
    return ng::Status::Ok();
  });
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
