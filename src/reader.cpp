#include "newsgraph/reader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "newsgraph/io.hpp"

namespace newsgraph {

namespace fs = std::filesystem;

namespace {

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool IsCorpusFile(const std::string& path) {
  const std::string ext = LowerExtension(path);
  return ext == ".txt" || ext == ".md" || ext == ".jsonl" || ext == ".ndjson";
}

// Accepts YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by T and a time.
bool IsIsoDate(std::string_view d) {
  auto digits = [&](size_t from, size_t n) {
    if (d.size() < from + n) return false;
    for (size_t i = from; i < from + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    return true;
  };
  if (!digits(0, 4)) return false;
  if (d.size() == 4) return true;
  if (d[4] != '-' || !digits(5, 2)) return false;
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  if (month < 1 || month > 12) return false;
  if (d.size() == 7) return true;
  if (d[7] != '-' || !digits(8, 2)) return false;
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  if (day < 1 || day > 31) return false;
  if (d.size() == 10) return true;
  return d[10] == 'T' || d[10] == ' ';
}

}  // namespace

bool IsJsonLinesPath(const std::string& path) {
  const std::string ext = LowerExtension(path);
  return ext == ".jsonl" || ext == ".ndjson";
}

Status ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>* files) {
  for (const std::string& input : inputs) {
    if (input == "-") {
      files->push_back(input);
      continue;
    }
    std::error_code ec;
    const auto st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      return Status::IoError(input + ": no such file or directory");
    }
    if (fs::is_directory(st)) {
      std::vector<std::string> found;
      fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied,
                                          ec), end;
      if (ec) return Status::IoError(input + ": cannot list directory: " + ec.message());
      for (; it != end; it.increment(ec)) {
        if (ec) return Status::IoError(input + ": cannot list directory: " + ec.message());
        if (it->is_regular_file(ec) && IsCorpusFile(it->path().string())) {
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else {
      files->push_back(input);
    }
  }
  return Status::Ok();
}

long long RepairUtf8(std::string* text) {
  const std::string& s = *text;
  size_t i = 0, n = s.size();
  // Fast path: scan until the first invalid sequence.
  auto valid_at = [&](size_t p, size_t* len) {
    unsigned char c = static_cast<unsigned char>(s[p]);
    if (c < 0x80) { *len = 1; return true; }
    size_t need;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) { need = 1; min = 0x80; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { need = 2; min = 0x800; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { need = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (p + need >= n) return false;
    for (size_t k = 1; k <= need; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[p + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    *len = need + 1;
    return true;
  };
  size_t len = 0;
  while (i < n && valid_at(i, &len)) i += len;
  if (i == n) return -1;
  const long long first = static_cast<long long>(i);
  std::string out(s, 0, i);
  out.reserve(n + 16);
  while (i < n) {
    if (valid_at(i, &len)) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  *text = std::move(out);
  return first;
}

Status ParseJsonLine(const std::string& line, const std::string& origin, std::uint64_t line_no,
                     Document* doc) {
  const std::string where = origin + ":" + std::to_string(line_no);
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  if (d.HasParseError()) {
    return Status::InvalidInput(where + ": malformed JSON at column " +
                                std::to_string(d.GetErrorOffset() + 1) + ": " +
                                rapidjson::GetParseError_En(d.GetParseError()));
  }
  if (!d.IsObject()) return Status::InvalidInput(where + ": expected a JSON object");
  auto text = d.FindMember("text");
  if (text == d.MemberEnd()) return Status::InvalidInput(where + ": missing field \"text\"");
  if (!text->value.IsString()) {
    return Status::InvalidInput(where + ": field \"text\" must be a string");
  }
  *doc = Document{};
  doc->text.assign(text->value.GetString(), text->value.GetStringLength());
  auto id = d.FindMember("id");
  if (id != d.MemberEnd() && id->value.IsString()) {
    doc->id.assign(id->value.GetString(), id->value.GetStringLength());
  } else if (id != d.MemberEnd() && id->value.IsInt64()) {
    doc->id = std::to_string(id->value.GetInt64());
  } else if (id != d.MemberEnd() && id->value.IsUint64()) {
    doc->id = std::to_string(id->value.GetUint64());
  } else if (id != d.MemberEnd() && !id->value.IsNull()) {
    return Status::InvalidInput(where + ": field \"id\" must be a string or an integer");
  } else {
    doc->id = where;
  }
  for (auto [name, field] : {std::pair{"title", &doc->title}, std::pair{"date", &doc->date},
                             std::pair{"source", &doc->source}, std::pair{"url", &doc->url}}) {
    auto it = d.FindMember(name);
    if (it == d.MemberEnd() || it->value.IsNull()) continue;
    if (!it->value.IsString()) {
      return Status::InvalidInput(where + ": field \"" + name + "\" must be a string");
    }
    field->assign(it->value.GetString(), it->value.GetStringLength());
  }
  if (!doc->date.empty() && !IsIsoDate(doc->date)) {
    return Status::InvalidInput(where + ": field \"date\" is not an ISO 8601 date: \"" +
                                doc->date + "\"");
  }
  doc->origin = origin;
  doc->line = line_no;
  return Status::Ok();
}

CorpusReader::CorpusReader(ReaderOptions options) : options_(std::move(options)) {}

void CorpusReader::Warn(const std::string& message) const {
  if (options_.on_warning) options_.on_warning(message);
}

Status CorpusReader::ReadJsonLines(std::istream& in, const std::string& path,
                                   const std::function<Status(Document&&)>& sink) {
  std::string line;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    bytes_read_ += line.size() + 1;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Document doc;
    Status s = ParseJsonLine(line, path, line_no, &doc);
    if (!s.ok()) {
      if (!options_.skip_bad_lines) return s;
      ++skipped_records_;
      Warn("skipped " + s.message());
      continue;
    }
    long long bad = RepairUtf8(&doc.text);
    if (bad >= 0) {
      Warn(path + ":" + std::to_string(line_no) + ": invalid UTF-8 in \"text\" at byte " +
           std::to_string(bad) + ", replaced by U+FFFD");
    }
    s = sink(std::move(doc));
    if (!s.ok()) return s;
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return Status::Ok();
}

Status CorpusReader::ReadTextFile(const std::string& path,
                                  const std::function<Status(Document&&)>& sink) {
  Document doc;
  Status s = ReadFile(path, &doc.text);
  if (!s.ok()) return s;
  bytes_read_ += doc.text.size();
  if (doc.text.find('\0') != std::string::npos) {
    Warn(path + ": skipped: contains NUL bytes (binary file?)");
    return Status::Ok();
  }
  if (doc.text.rfind("\xEF\xBB\xBF", 0) == 0) doc.text.erase(0, 3);
  long long bad = RepairUtf8(&doc.text);
  if (bad >= 0) {
    Warn(path + ": invalid UTF-8 at byte " + std::to_string(bad) + ", replaced by U+FFFD");
  }
  doc.id = path;
  doc.origin = path;
  return sink(std::move(doc));
}

Status CorpusReader::ForEach(const std::vector<std::string>& inputs,
                             const std::function<Status(Document&&)>& sink) {
  std::vector<std::string> files;
  Status s = ExpandInputs(inputs, &files);
  if (!s.ok()) return s;
  for (const std::string& path : files) {
    if (path == "-") {
      // Standard input: JSON Lines when it starts with '{', else one text document.
      std::istream& in = std::cin;
      int c;
      while ((c = in.peek()) != EOF && std::isspace(c)) in.get();
      if (in.peek() == '{') {
        s = ReadJsonLines(in, "<stdin>", sink);
      } else {
        std::ostringstream buffer;
        buffer << in.rdbuf();
        Document doc;
        doc.text = std::move(buffer).str();
        bytes_read_ += doc.text.size();
        RepairUtf8(&doc.text);
        doc.id = "-";
        doc.origin = "<stdin>";
        s = sink(std::move(doc));
      }
    } else if (IsJsonLinesPath(path)) {
      std::ifstream in(path, std::ios::binary);
      if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
      s = ReadJsonLines(in, path, sink);
    } else {
      s = ReadTextFile(path, sink);
    }
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace newsgraph
