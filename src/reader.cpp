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

namespace {

// Visits the corpus files under `dir` in the order a sort of their full paths gives: entries of
// one directory are sorted by name, a directory's name compared as "name/" (so "b.txt" comes
// before the files of "b/", as in a sort of whole paths), and subdirectories are entered in
// place. Only one directory's listing is held at a time per level.
Status WalkDirectory(const fs::path& dir, const std::string& input,
                     const std::function<Status(const std::string&)>& visit) {
  struct Entry {
    std::string key;  // name, with a trailing '/' for directories
    bool is_dir;
  };
  std::vector<Entry> entries;
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) return Status::IoError(input + ": cannot list directory: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IoError(input + ": cannot list directory: " + ec.message());
    const fs::path& p = it->path();
    // Like recursive_directory_iterator, do not follow symlinks to directories.
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      entries.push_back({p.filename().string() + "/", true});
    } else if (it->is_regular_file(ec) && IsCorpusFile(p.string())) {
      entries.push_back({p.filename().string(), false});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.key < b.key; });
  entries.shrink_to_fit();
  for (const Entry& e : entries) {
    Status s = e.is_dir ? WalkDirectory(dir / e.key.substr(0, e.key.size() - 1), input, visit)
                        : visit((dir / e.key).string());
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status WalkInputs(const std::vector<std::string>& inputs,
                  const std::function<Status(const std::string&)>& visit) {
  for (const std::string& input : inputs) {
    if (input == "-") {
      Status s = visit(input);
      if (!s.ok()) return s;
      continue;
    }
    std::error_code ec;
    const auto st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      return Status::IoError(input + ": no such file or directory");
    }
    Status s = fs::is_directory(st) ? WalkDirectory(fs::path(input), input, visit) : visit(input);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ExpandInputs(const std::vector<std::string>& inputs, std::vector<std::string>* files) {
  // Check every input exists before listing any, as callers expect an early failure.
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input != "-" && !fs::exists(input, ec)) {
      return Status::IoError(input + ": no such file or directory");
    }
  }
  return WalkInputs(inputs, [&](const std::string& path) {
    files->push_back(path);
    return Status::Ok();
  });
}

std::uint64_t TotalInputBytes(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  bool known = true;
  WalkInputs(inputs, [&](const std::string& path) {
    if (path == "-") {
      known = false;
      return Status::IoError("");  // stop: the total cannot be known
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec) total += size;
    return Status::Ok();
  });
  return known ? total : 0;
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
  while (i < n) {
    // Eight ASCII bytes at a time (most text), then one sequence.
    for (std::uint64_t block; i + 8 <= n; i += 8) {
      std::memcpy(&block, s.data() + i, 8);
      if (block & 0x8080808080808080ULL) break;
    }
    if (i >= n || !valid_at(i, &len)) break;
    i += len;
  }
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

namespace {

// Iterative parsing: a record nesting arrays a million deep must not overflow the stack, as
// RapidJSON's default recursive descent would.
constexpr unsigned kJsonParseFlags = rapidjson::kParseIterativeFlag;

Status FillFromJson(rapidjson::Document& d, const std::string& origin, std::uint64_t line_no,
                    Document* doc, std::string_view* text_view);

// Parses `line` in place; with `text_view`, the text is left in `line` (viewed, not copied).
Status ParseInPlace(std::string* line, const std::string& origin, std::uint64_t line_no,
                    Document* doc, std::string_view* text_view) {
  rapidjson::Document d;
  // In-situ parsing decodes strings inside `line` itself: no copy per field. std::string is
  // NUL-terminated, and RapidJSON treats a NUL as the end of input, as Parse() did.
  d.ParseInsitu<kJsonParseFlags>(line->data());
  return FillFromJson(d, origin, line_no, doc, text_view);
}

}  // namespace

Status ParseJsonLine(const std::string& line, const std::string& origin, std::uint64_t line_no,
                     Document* doc) {
  rapidjson::Document d;
  d.Parse<kJsonParseFlags>(line.data(), line.size());
  return FillFromJson(d, origin, line_no, doc, nullptr);
}

namespace {

Status FillFromJson(rapidjson::Document& d, const std::string& origin, std::uint64_t line_no,
                    Document* doc, std::string_view* text_view) {
  const std::string where = origin + ":" + std::to_string(line_no);
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
  if (text_view) {
    *text_view = std::string_view(text->value.GetString(), text->value.GetStringLength());
  } else {
    doc->text.assign(text->value.GetString(), text->value.GetStringLength());
  }
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

}  // namespace

CorpusReader::CorpusReader(ReaderOptions options) : options_(std::move(options)) {}

void CorpusReader::Warn(const std::string& message) const {
  if (options_.on_warning) options_.on_warning(message);
}

namespace {

// Returns where to end a part of `buf` (which holds more than `limit` bytes and continues
// beyond): after the last blank line in its second half, else after the last line break, else
// after the last sentence end (". "), else at the last character boundary before `limit`.
std::size_t PartEnd(std::string_view buf, std::size_t limit) {
  const std::size_t floor = limit / 2;
  const std::string_view v = buf.substr(0, limit);
  std::size_t p = v.rfind("\n\n");
  if (p != std::string_view::npos && p >= floor) {
    p += 2;
    while (p < buf.size() && (buf[p] == '\n' || buf[p] == '\r')) ++p;  // the whole blank run
    return p;
  }
  p = v.rfind('\n');
  if (p != std::string_view::npos && p >= floor) return p + 1;
  for (const char* end : {". ", "! ", "? "}) {
    p = v.rfind(end);
    if (p != std::string_view::npos && p >= floor) return p + 2;
  }
  p = v.rfind(' ');
  if (p != std::string_view::npos && p >= floor) return p + 1;
  p = limit;
  while (p > 0 && (static_cast<unsigned char>(buf[p]) & 0xC0) == 0x80) --p;  // whole characters
  return p > 0 ? p : limit;
}

}  // namespace

Status CorpusReader::ReadJsonLines(std::istream& in, const std::string& path,
                                   const std::function<Status(Document&&)>& sink) {
  std::string line, scratch;
  std::uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    bytes_read_.fetch_add(line.size() + 1, std::memory_order_relaxed);
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    Document doc;
    std::string_view text;
    // Parse a copy in place (a memcpy, then no allocation per field); a huge line is parsed in
    // place itself, not to hold it twice. Messages come from the plain parser, for exact columns.
    std::string* parsed = &line;
    if (line.size() <= options_.max_part_bytes) {
      scratch.assign(line);
      parsed = &scratch;
    }
    Status s = ParseInPlace(parsed, path, line_no, &doc, &text);
    if (!s.ok() && parsed == &scratch) s = ParseJsonLine(line, path, line_no, &doc);
    if (!s.ok()) {
      if (!options_.skip_bad_lines) return s;
      ++skipped_records_;
      Warn("skipped " + s.message());
      continue;
    }
    // A huge text field goes on in parts, as huge text files do (the line itself is in memory).
    const std::size_t limit = std::max<std::size_t>(options_.max_part_bytes, 64);
    std::uint64_t base = 0;
    for (std::uint32_t part = 0;; ++part) {
      const bool last = text.size() <= limit;
      const std::size_t cut = last ? text.size() : PartEnd(text, limit);
      Document piece;
      if (last) {
        piece = std::move(doc);
      } else {
        piece.id = doc.id; piece.title = doc.title; piece.date = doc.date;
        piece.source = doc.source; piece.url = doc.url; piece.origin = doc.origin;
        piece.line = doc.line;
      }
      piece.text.assign(text.data(), cut);
      text.remove_prefix(cut);
      long long bad = RepairUtf8(&piece.text);
      if (bad >= 0) {
        Warn(path + ":" + std::to_string(line_no) + ": invalid UTF-8 in \"text\" at byte " +
             std::to_string(base + bad) + ", replaced by U+FFFD");
      }
      piece.base_offset = base;
      piece.part = part;
      piece.last_part = last;
      base += piece.text.size();
      s = sink(std::move(piece));
      if (!s.ok()) return s;
      if (last) break;
    }
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return Status::Ok();
}


Status CorpusReader::ReadTextStream(std::istream& in, const std::string& id,
                                    const std::string& origin,
                                    const std::function<Status(Document&&)>& sink) {
  const std::size_t limit = std::max<std::size_t>(options_.max_part_bytes, 64);
  constexpr std::size_t kFirstRead = 64 * 1024;
  std::string buf;
  bool eof = false, first = true;
  std::uint64_t base = 0;
  std::uint32_t part = 0;
  while (true) {
    // Fill the buffer to one byte past the limit, so a part that ends the input is known. It
    // grows from 64 KiB, so a small file costs a small buffer, and a text that moves out of it
    // gives back the spare room: a directory of small files keeps thousands of documents in
    // flight, and a part-sized buffer each would make memory grow with their number.
    while (!eof && buf.size() <= limit) {
      const std::size_t have = buf.size();
      const std::size_t want = std::min(limit + 1, std::max(2 * have, kFirstRead));
      buf.resize(want);
      in.read(buf.data() + have, static_cast<std::streamsize>(want - have));
      const std::size_t got = static_cast<std::size_t>(in.gcount());
      buf.resize(have + got);
      bytes_read_.fetch_add(got, std::memory_order_relaxed);
      if (got == 0 || !in) eof = true;
    }
    if (in.bad()) return Status::IoError(origin + ": read failed");
    if (first) {
      if (buf.find('\0') != std::string::npos) {
        Warn(origin + ": skipped: contains NUL bytes (binary file?)");
        return Status::Ok();
      }
      if (buf.rfind("\xEF\xBB\xBF", 0) == 0) buf.erase(0, 3);
    }
    const bool last = eof && buf.size() <= limit;
    Document doc;
    if (last) {
      doc.text = std::move(buf);
      buf.clear();
      if (doc.text.capacity() - doc.text.size() > 4096) doc.text.shrink_to_fit();
    } else {
      const std::size_t cut = PartEnd(buf, limit);
      doc.text.assign(buf, 0, cut);
      buf.erase(0, cut);
    }
    if (!first && doc.text.find('\0') != std::string::npos) {
      Warn(origin + ": stopped at byte " + std::to_string(base) + ": contains NUL bytes");
      return Status::Ok();
    }
    long long bad = RepairUtf8(&doc.text);
    if (bad >= 0) {
      Warn(origin + ": invalid UTF-8 at byte " + std::to_string(base + bad) +
           ", replaced by U+FFFD");
    }
    doc.id = id;
    doc.origin = origin;
    doc.base_offset = base;
    doc.part = part++;
    doc.last_part = last;
    base += doc.text.size();
    first = false;
    Status s = sink(std::move(doc));
    if (!s.ok() || last) return s;
  }
}

Status CorpusReader::ReadTextFile(const std::string& path,
                                  const std::function<Status(Document&&)>& sink) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Status::InvalidInput(path + ": is a directory, expected a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  return ReadTextStream(in, path, path, sink);
}

Status CorpusReader::ForEach(const std::vector<std::string>& inputs,
                             const std::function<Status(Document&&)>& sink) {
  // Fail on a missing input before reading any.
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input != "-" && !fs::exists(input, ec)) {
      return Status::IoError(input + ": no such file or directory");
    }
  }
  return WalkInputs(inputs, [&](const std::string& path) -> Status {
    files_read_.fetch_add(1, std::memory_order_relaxed);
    if (path == "-") {
      // Standard input: JSON Lines when it starts with '{', else one text document.
      std::istream& in = std::cin;
      int c;
      while ((c = in.peek()) != EOF && std::isspace(c)) in.get();
      if (in.peek() == '{') return ReadJsonLines(in, "<stdin>", sink);
      return ReadTextStream(in, "-", "<stdin>", sink);
    }
    if (IsJsonLinesPath(path)) {
      std::ifstream in(path, std::ios::binary);
      if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
      return ReadJsonLines(in, path, sink);
    }
    return ReadTextFile(path, sink);
  });
}

}  // namespace newsgraph
