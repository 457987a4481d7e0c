// libFuzzer target: the JSON Lines reader. Every line goes through ParseJsonLine; the whole
// input is also read as a .jsonl file by CorpusReader (strict, then with --skip-bad). Checks that
// errors name the file and line and that every text handed on is valid UTF-8. With a part size
// of 64 bytes, longer lines of the file are streamed (read twice, never held), while from a
// pipe they are copied to a temporary file and streamed from there, or held: all three must
// give the same documents, messages and counts.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <streambuf>
#include <string>
#include <vector>

#include "newsgraph/reader.hpp"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool ValidUtf8(std::string s) { return newsgraph::RepairUtf8(&s) < 0; }

const std::string& ScratchPath() {
  static const std::string path = "/tmp/newsgraph-fuzz-jsonl-" + std::to_string(::getpid()) + ".jsonl";
  return path;
}

// Standard input that cannot seek, as a pipe.
class PipeBuf : public std::streambuf {
 public:
  explicit PipeBuf(const std::string& data) : data_(data) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }

 private:
  std::string data_;
};

enum class From { kFile, kPipeSpooled, kPipeHeld };

// Everything one read gives, with standard input named as the file.
std::string ReadAll(const std::string& input, bool skip, From from) {
  using namespace newsgraph;
  std::string log;
  auto rename = [](std::string m) {
    for (std::size_t p; (p = m.find("<stdin>")) != std::string::npos;) m.replace(p, 7, ScratchPath());
    return m;
  };
  ReaderOptions options;
  options.skip_bad_lines = skip;
  options.max_part_bytes = 64;
  options.spool_long_lines = from != From::kPipeHeld;
  options.on_warning = [&](const std::string& m) { log += "warning " + rename(m) + "\n"; };
  CorpusReader reader(options);
  auto keep = [&](Document&& d) {
    log += "doc " + rename(d.id) + "|" + d.title + "|" + d.date + "|" + d.source + "|" + d.url +
           "|" + std::to_string(d.line) + "|" + std::to_string(d.base_offset) + "|" +
           std::to_string(d.part) + "|" + std::to_string(d.last_part) + "|" + d.text + "\n";
    return Status::Ok();
  };
  Status s;
  if (from != From::kFile) {
    PipeBuf buf(input);
    std::streambuf* saved = std::cin.rdbuf(&buf);
    s = reader.ForEach({"-"}, keep);
    std::cin.rdbuf(saved);
    std::cin.clear();
  } else {
    s = reader.ForEach({ScratchPath()}, keep);
  }
  return log + "status " + rename(s.message()) + " skipped " +
         std::to_string(reader.skipped_records());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newsgraph;
  const std::string input(reinterpret_cast<const char*>(data), size);

  std::uint64_t line_no = 0;
  for (std::size_t begin = 0; begin <= input.size();) {
    std::size_t end = input.find('\n', begin);
    if (end == std::string::npos) end = input.size();
    Document doc;
    Status s = ParseJsonLine(input.substr(begin, end - begin), "f.jsonl", ++line_no, &doc);
    if (!s.ok()) Check(s.message().rfind("f.jsonl:" + std::to_string(line_no) + ": ", 0) == 0);
    begin = end + 1;
  }

  std::string repaired = input;
  const long long first = RepairUtf8(&repaired);
  Check(ValidUtf8(repaired));
  Check(first < 0 ? repaired == input : first < static_cast<long long>(input.size()) &&
                                            repaired.compare(0, first, input, 0, first) == 0);

  {
    std::ofstream f(ScratchPath(), std::ios::binary | std::ios::trunc);
    f.write(input.data(), static_cast<std::streamsize>(input.size()));
  }
  for (bool skip : {false, true}) {
    ReaderOptions options;
    options.skip_bad_lines = skip;
    options.on_warning = [](const std::string& m) { Check(m.find(ScratchPath()) != std::string::npos); };
    CorpusReader reader(options);
    std::uint64_t docs = 0;
    Status s = reader.ForEach({ScratchPath()}, [&](Document&& doc) {
      Check(ValidUtf8(doc.text));
      Check(doc.line >= 1);
      ++docs;
      return Status::Ok();
    });
    if (!s.ok()) {
      Check(!skip);
      Check(s.message().rfind(ScratchPath() + ":", 0) == 0);
    }
  }
  // Standard input is JSON Lines when it opens with '{' (after white space).
  const std::size_t opening = input.find_first_not_of(" \t\n\r");
  if (opening != std::string::npos && input[opening] == '{') {
    for (bool skip : {false, true}) {
      const std::string file = ReadAll(input, skip, From::kFile);
      Check(file == ReadAll(input, skip, From::kPipeSpooled));
      Check(file == ReadAll(input, skip, From::kPipeHeld));
    }
  }
  return 0;
}
