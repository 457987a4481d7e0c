#include "newsgraph/reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <vector>

#include <unistd.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "newsgraph/io.hpp"
#include "utf8.hpp"

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

// A record's syntax error: file, line, column (1-based, in bytes) and RapidJSON's message.
Status MalformedJson(const std::string& where, rapidjson::ParseErrorCode code, std::size_t offset) {
  return Status::InvalidInput(where + ": malformed JSON at column " + std::to_string(offset + 1) +
                              ": " + rapidjson::GetParseError_En(code));
}

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
    return MalformedJson(where, d.GetParseError(), d.GetErrorOffset());
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

// Hands on a record's text in parts of at most `limit` bytes (cut by PartEnd), each carrying
// the record's metadata, its offset in the whole text and its part number; invalid UTF-8 in a
// part is repaired with a warning naming the record and the byte.
class PartCutter {
 public:
  PartCutter(Document meta, std::size_t limit, const std::string& path, std::uint64_t line_no,
             const std::function<void(const std::string&)>& warn,
             const std::function<Status(Document&&)>& sink)
      : meta_(std::move(meta)), limit_(limit), path_(path), line_no_(line_no), warn_(warn),
        sink_(sink) {}

  // Hands on the whole parts at the front of `text` and sets `*used` to their length. With
  // `last`, `text` ends the record and all of it goes, its end as the last part. Without it, a
  // part is cut only where the bytes after the cut show it is where the whole text would be cut
  // (PartEnd looks past a blank line's end), so a text cut as it streams in gives the parts of
  // the same text cut at once.
  Status Cut(std::string_view text, bool last, std::size_t* used) {
    *used = 0;
    while (true) {
      const bool final_part = last && text.size() <= limit_;
      if (!final_part && text.size() <= limit_) return Status::Ok();
      const std::size_t cut = final_part ? text.size() : PartEnd(text, limit_);
      if (!last && cut >= text.size()) return Status::Ok();  // the blank run may go on
      Document piece;
      if (final_part) {
        piece = std::move(meta_);
      } else {
        piece.id = meta_.id; piece.title = meta_.title; piece.date = meta_.date;
        piece.source = meta_.source; piece.url = meta_.url; piece.origin = meta_.origin;
        piece.line = meta_.line;
      }
      piece.text.assign(text.data(), cut);
      text.remove_prefix(cut);
      *used += cut;
      const long long bad = RepairUtf8(&piece.text);
      if (bad >= 0) {
        warn_(path_ + ":" + std::to_string(line_no_) + ": invalid UTF-8 in \"text\" at byte " +
              std::to_string(base_ + bad) + ", replaced by U+FFFD");
      }
      piece.base_offset = base_;
      piece.part = part_++;
      piece.last_part = final_part;
      base_ += piece.text.size();
      Status s = sink_(std::move(piece));
      if (!s.ok() || final_part) return s;
    }
  }

 private:
  Document meta_;
  std::size_t limit_;
  const std::string& path_;
  std::uint64_t line_no_;
  const std::function<void(const std::string&)>& warn_;
  const std::function<Status(Document&&)>& sink_;
  std::uint64_t base_ = 0;
  std::uint32_t part_ = 0;
};

// Reads lines from a stream through its buffer, knowing each byte's offset, so that a line too
// long to hold can be read again from its start (when the stream can seek: files, and standard
// input redirected from one).
class LineReader {
 public:
  explicit LineReader(std::istream& in) : sb_(in.rdbuf()), buf_(kBufferBytes) {
    const std::streampos pos = sb_->pubseekoff(0, std::ios::cur, std::ios::in);
    seekable_ = pos != std::streampos(std::streamoff(-1));
    base_ = seekable_ ? static_cast<std::uint64_t>(std::streamoff(pos)) : 0;
  }

  bool seekable() const { return seekable_; }
  // The offset of the next byte to read.
  std::uint64_t offset() const { return base_ + pos_; }

  // Reads the next line, without its '\n', into `line`; false at the end of input. A line of
  // more than `hold` bytes leaves its first `hold` in `line`, `*whole` false and the reader
  // after them.
  bool Next(std::string* line, std::size_t hold, bool* whole) {
    line->clear();
    bool any = false;
    while (true) {
      if (pos_ == end_ && !Fill()) {
        *whole = true;
        return any;
      }
      any = true;
      const char* p = buf_.data() + pos_;
      const std::size_t n = end_ - pos_;
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', n));
      std::size_t take = nl ? static_cast<std::size_t>(nl - p) : n;
      if (line->size() + take > hold) {
        take = hold - line->size();
        line->append(p, take);
        pos_ += take;
        *whole = false;
        return true;
      }
      line->append(p, take);
      pos_ += take;
      if (nl) {
        ++pos_;
        *whole = true;
        return true;
      }
    }
  }

  // Appends the rest of the line to `line` and steps past its '\n'.
  void Rest(std::string* line) {
    bool whole = false;
    std::string more;
    while (!whole && Next(&more, std::numeric_limits<std::size_t>::max() / 2, &whole))
      line->append(more);
  }

  // Writes the rest of the line to `out`, without its '\n', and steps past the '\n' (or to the
  // end of input), adding the bytes taken to `*taken` as it goes; stops early when `out` fails.
  void CopyRest(std::ostream& out, std::atomic<std::uint64_t>* taken) {
    const char* data;
    std::size_t size;
    while (out && Buffered(&data, &size)) {
      const char* nl = static_cast<const char*>(std::memchr(data, '\n', size));
      const std::size_t take = nl ? static_cast<std::size_t>(nl - data) : size;
      out.write(data, static_cast<std::streamsize>(take));
      Advance(nl ? take + 1 : take);
      taken->fetch_add(nl ? take + 1 : take, std::memory_order_relaxed);
      if (nl) return;
    }
  }

  // Steps past the next '\n' (or to the end of input).
  void SkipLine() {
    while (pos_ < end_ || Fill()) {
      const char* p = buf_.data() + pos_;
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end_ - pos_));
      if (nl) {
        pos_ += static_cast<std::size_t>(nl - p) + 1;
        return;
      }
      pos_ = end_;
    }
  }

  bool Seek(std::uint64_t offset) {
    pos_ = end_ = 0;
    base_ = offset;
    return seekable_ && sb_->pubseekpos(static_cast<std::streamoff>(offset), std::ios::in) !=
                            std::streampos(std::streamoff(-1));
  }

  // The byte `ahead` bytes past the reader (ahead < 2), or -1 past the end of input.
  RAPIDJSON_FORCEINLINE int Peek(std::size_t ahead = 0) {
    if (end_ - pos_ <= ahead && !Fill()) {
      if (end_ - pos_ <= ahead) return -1;
    }
    return static_cast<unsigned char>(buf_[pos_ + ahead]);
  }
  void Skip() { ++pos_; }

  // Points `*data` at the unread bytes in the buffer (refilling it when empty) and sets `*size`;
  // false at the end of input. Advance(n) then takes n of them.
  bool Buffered(const char** data, std::size_t* size) {
    if (pos_ == end_ && !Fill()) return false;
    *data = buf_.data() + pos_;
    *size = end_ - pos_;
    return true;
  }
  void Advance(std::size_t n) { pos_ += n; }

 private:
  static constexpr std::size_t kBufferBytes = 256 * 1024;

  // Keeps the unread bytes and reads more after them; false when nothing more came.
  bool Fill() {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      base_ += pos_;
      end_ -= pos_;
      pos_ = 0;
    }
    const std::streamsize got =
        sb_->sgetn(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
    if (got <= 0) return false;
    end_ += static_cast<std::size_t>(got);
    return true;
  }

  std::streambuf* sb_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t base_ = 0;  // the offset of buf_[0]
  bool seekable_ = false;
};

// The fields FillFromJson reads; a streamed record keeps the first member of each name.
constexpr const char* kRecordFields[] = {"text", "id", "title", "date", "source", "url"};

// What a streamed record's parser does with the string it is about to read.
enum class StringUse { kDrop, kKey, kKeep, kText };

// The state of one streamed record's parse, shared by its stream and its SAX handler.
struct RecordScan {
  rapidjson::Document fields;  // the root's kind and the members of kRecordFields, text empty
  int depth = 0;               // of the value being read: 0 root, 1 a member's
  bool awaiting_value = false; // a root member's name was read
  int field = -1;              // its index in kRecordFields, if it is the first of its name
  unsigned seen = 0;           // kRecordFields already met (bit per index)
  std::string captured;        // the last key or kept string, decoded
  bool truncated = false;      // the last key was longer than any field name
  std::uint64_t text_begin = 0;  // the offset of the text's first byte, after its quote

  StringUse NextString() const {
    if (depth != 1) return StringUse::kDrop;
    if (!awaiting_value) return StringUse::kKey;
    if (field == 0) return StringUse::kText;
    return field > 0 ? StringUse::kKeep : StringUse::kDrop;
  }
};

// A RapidJSON in-situ stream over one line of a LineReader. A string's decoded bytes go nowhere
// but to the scan's `captured` (keys and kept fields), never into the line: the line is read,
// not held. The text's offset is noted for pass two. The line ends at its '\n' (a '\r' before
// it is the line's end too), as a held line does.
class RecordStream {
 public:
  using Ch = char;
  RecordStream(LineReader& lines, RecordScan& scan)
      : lines_(lines), scan_(scan), start_(lines.offset()) {}

  RAPIDJSON_FORCEINLINE Ch Peek() {
    const int c = lines_.Peek();
    if (c > '\r') return static_cast<Ch>(c);  // neither a line end nor a NUL (most bytes)
    if (c < 0 || c == '\n') return '\0';
    if (c == '\r') {
      const int d = lines_.Peek(1);
      if (d < 0 || d == '\n') return '\0';
    }
    return static_cast<Ch>(c);
  }
  RAPIDJSON_FORCEINLINE Ch Take() {
    const int c = lines_.Peek();
    if (c > '\r') {
      lines_.Skip();
      return static_cast<Ch>(c);
    }
    const Ch p = Peek();
    if (p != '\0' || c == 0) lines_.Skip();  // a NUL byte is taken, the line's end is not
    return p;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(lines_.offset() - start_); }

  Ch* PutBegin() {
    use_ = scan_.NextString();
    if (use_ == StringUse::kText) scan_.text_begin = lines_.offset();
    scan_.captured.clear();
    scan_.truncated = false;
    return &dummy_;
  }
  void Put(Ch c) {
    if (use_ == StringUse::kKey) {
      if (scan_.captured.size() < 16) scan_.captured.push_back(c);
      else scan_.truncated = true;
    } else if (use_ == StringUse::kKeep) {
      scan_.captured.push_back(c);
    }
  }
  std::size_t PutEnd(Ch*) {
    // Drop the terminating NUL the parser puts (a kept key of 16 bytes or more is truncated).
    if ((use_ == StringUse::kKey || use_ == StringUse::kKeep) && !scan_.truncated &&
        !scan_.captured.empty())
      scan_.captured.pop_back();
    use_ = StringUse::kDrop;
    return scan_.captured.size() + 1;
  }
  void Flush() {}

 private:
  LineReader& lines_;
  RecordScan& scan_;
  std::uint64_t start_;
  StringUse use_ = StringUse::kDrop;
  Ch dummy_ = 0;
};

// The SAX handler of a streamed record: keeps the root's kind and, of kRecordFields, the first
// member of each name (the text as an empty string), which FillFromJson then checks as it
// checks a parsed line.
class RecordHandler {
 public:
  explicit RecordHandler(RecordScan& scan) : scan_(scan) {}
  bool Null() { return Value(rapidjson::Value()); }
  bool Bool(bool b) { return Value(rapidjson::Value(b)); }
  bool Int(int i) { return Value(rapidjson::Value(i)); }
  bool Uint(unsigned u) { return Value(rapidjson::Value(u)); }
  bool Int64(std::int64_t i) { return Value(rapidjson::Value(i)); }
  bool Uint64(std::uint64_t u) { return Value(rapidjson::Value(u)); }
  bool Double(double d) { return Value(rapidjson::Value(d)); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return Value(rapidjson::Value(0)); }
  bool String(const char*, rapidjson::SizeType, bool) {
    const bool keep = scan_.depth == 1 && scan_.awaiting_value && scan_.field > 0;
    return Value(keep ? rapidjson::Value(scan_.captured.data(),
                                         static_cast<rapidjson::SizeType>(scan_.captured.size()),
                                         scan_.fields.GetAllocator())
                      : rapidjson::Value(rapidjson::kStringType));
  }
  bool StartObject() { Value(rapidjson::Value(rapidjson::kObjectType)); ++scan_.depth; return true; }
  bool EndObject(rapidjson::SizeType) { --scan_.depth; return true; }
  bool StartArray() { Value(rapidjson::Value(rapidjson::kArrayType)); ++scan_.depth; return true; }
  bool EndArray(rapidjson::SizeType) { --scan_.depth; return true; }
  bool Key(const char*, rapidjson::SizeType, bool) {
    if (scan_.depth != 1) return true;
    scan_.field = -1;
    for (int i = 0; i < static_cast<int>(std::size(kRecordFields)) && !scan_.truncated; ++i) {
      if (scan_.captured == kRecordFields[i] && !(scan_.seen & (1u << i))) {
        scan_.field = i;
        scan_.seen |= 1u << i;
      }
    }
    scan_.awaiting_value = true;
    return true;
  }

 private:
  bool Value(rapidjson::Value&& v) {
    if (scan_.depth == 0) {
      scan_.fields.CopyFrom(v, scan_.fields.GetAllocator());
    } else if (scan_.depth == 1 && scan_.awaiting_value) {
      if (scan_.field >= 0) {
        scan_.fields.AddMember(rapidjson::StringRef(kRecordFields[scan_.field]), v,
                               scan_.fields.GetAllocator());
      }
      scan_.awaiting_value = false;
    }
    return true;
  }
  RecordScan& scan_;
};

// Parses the record on the line at the reader's place, through its end, with `scan`.
rapidjson::ParseResult ScanRecord(LineReader& lines, RecordScan& scan) {
  RecordStream stream(lines, scan);
  RecordHandler handler(scan);
  rapidjson::Reader reader;
  return reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag>(stream,
                                                                                    handler);
}

// Reads four hex digits at the reader into `*value`; false if they are not there.
bool ReadHex4(LineReader& lines, unsigned* value) {
  *value = 0;
  for (int i = 0; i < 4; ++i, lines.Skip()) {
    const int c = lines.Peek();
    unsigned digit;
    if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
    else return false;
    *value = *value << 4 | digit;
  }
  return true;
}

// Decodes the JSON string whose first byte (after its opening quote) is at the reader, as
// RapidJSON decodes it, appending to `text`; the reader ends after the closing quote. Calls
// `grown` after each run of bytes (it may take bytes off the front of `text`; false stops).
// Returns false when the string is not a valid one (the line was checked: it changed) or
// `grown` stopped it.
bool DecodeJsonString(LineReader& lines, std::string* text, const std::function<bool()>& grown) {
  static const auto kStops = [] {
    std::array<bool, 256> stops{};
    for (int c = 0; c < 0x20; ++c) stops[c] = true;
    stops['"'] = stops['\\'] = true;
    return stops;
  }();
  const char* data;
  std::size_t size;
  while (lines.Buffered(&data, &size)) {
    std::size_t run = 0;
    while (run < size && !kStops[static_cast<unsigned char>(data[run])]) ++run;
    text->append(data, run);
    lines.Advance(run);
    if (!grown()) return false;
    if (run == size) continue;
    const char c = data[run];
    lines.Skip();
    if (c == '"') return true;
    if (c != '\\') return false;  // a control character
    const int e = lines.Peek();
    lines.Skip();
    switch (e) {
      case '"': case '\\': case '/': text->push_back(static_cast<char>(e)); break;
      case 'b': text->push_back('\b'); break;
      case 'f': text->push_back('\f'); break;
      case 'n': text->push_back('\n'); break;
      case 'r': text->push_back('\r'); break;
      case 't': text->push_back('\t'); break;
      case 'u': {
        unsigned codepoint, low;
        if (!ReadHex4(lines, &codepoint)) return false;
        if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {  // a surrogate pair
          if (lines.Peek() != '\\') return false;
          lines.Skip();
          if (lines.Peek() != 'u') return false;
          lines.Skip();
          if (!ReadHex4(lines, &low) || low < 0xDC00 || low > 0xDFFF) return false;
          codepoint = (((codepoint - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
        }
        utf8::Append(text, codepoint);  // as RapidJSON encodes it, a lone low surrogate too
        break;
      }
      default: return false;
    }
  }
  return false;
}

// Reads the record on a line too long to hold, which starts at `line_start` of a seekable input
// (its JSON at `start`, after a byte order mark), and hands on its text in parts; the reader
// ends after the line, whose bytes are counted in `bytes_read`. A bad record sets `*bad` to
// the error a held line would give (and hands nothing on); the status returned is the sink's or
// a read error.
Status ReadLongRecord(LineReader& lines, std::uint64_t line_start, std::uint64_t start,
                      const std::string& path, std::uint64_t line_no, std::size_t limit,
                      const std::function<void(const std::string&)>& warn,
                      const std::function<Status(Document&&)>& sink,
                      std::atomic<std::uint64_t>* bytes_read, Status* bad) {
  const std::string where = path + ":" + std::to_string(line_no);
  std::uint64_t counted = line_start;
  auto count = [&] {
    bytes_read->fetch_add(lines.offset() - counted, std::memory_order_relaxed);
    counted = lines.offset();
  };
  // Moves the reader past the line; `error` is the record's.
  auto skip_line = [&](Status error) {
    lines.SkipLine();
    count();
    *bad = std::move(error);
    return Status::Ok();
  };
  auto seek = [&](std::uint64_t offset) {
    return lines.Seek(offset) ? Status::Ok()
                              : Status::IoError(where + ": cannot read the line again");
  };
  // Pass one: check the record and read its metadata; the text's bytes are dropped.
  Status s = seek(start);
  if (!s.ok()) return s;
  RecordScan first;
  const rapidjson::ParseResult checked = ScanRecord(lines, first);
  if (checked.IsError()) {
    // A line of nothing but JSON's blanks is skipped, as a held one is.
    if (checked.Code() == rapidjson::kParseErrorDocumentEmpty) {
      if (!(s = seek(start)).ok()) return s;
      bool blank = true;
      for (int c; blank && (c = lines.Peek()) >= 0 && c != '\n'; lines.Skip()) {
        blank = c == ' ' || c == '\t' || c == '\r';
      }
      if (blank) return skip_line(Status::Ok());
    }
    return skip_line(MalformedJson(where, checked.Code(), checked.Offset()));
  }
  Document doc;
  std::string_view unused;
  s = FillFromJson(first.fields, path, line_no, &doc, &unused);
  if (!s.ok()) return skip_line(s);
  // Pass two: the text, decoded from its first byte into a buffer that is cut into parts as it
  // fills.
  if (!(s = seek(first.text_begin)).ok()) return s;
  PartCutter cutter(std::move(doc), limit, path, line_no, warn, sink);
  std::string text;
  Status cut_status;
  std::size_t cut_at = 2 * limit;  // a cut is tried each `limit` bytes, not at every byte
  const bool decoded = DecodeJsonString(lines, &text, [&] {
    if (text.size() < cut_at) return true;
    std::size_t used = 0;
    cut_status = cutter.Cut(text, false, &used);
    text.erase(0, used);
    cut_at = text.size() + limit;
    count();
    return cut_status.ok();
  });
  if (!cut_status.ok()) return cut_status;
  if (!decoded) return Status::IoError(where + ": the line changed while it was read");
  lines.SkipLine();
  count();
  std::size_t used = 0;
  return cutter.Cut(text, true, &used);
}

// The directory a line from a pipe is spooled to: `configured`, else $TMPDIR, else /tmp.
std::string SpoolDirectory(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

// A temporary file that is gone from its directory as soon as it is open, so nothing is left
// behind however the program ends.
class SpoolFile {
 public:
  // Makes the file in `dir`; on failure ok() is false and error() says why.
  explicit SpoolFile(const std::string& dir) {
    std::string name = dir + (dir.empty() || dir.back() != '/' ? "/" : "") +
                       "newsgraph-line-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
      error_ = std::strerror(errno);
      return;
    }
    ::close(fd);
    file_.open(name, std::ios::in | std::ios::out | std::ios::binary | std::ios::trunc);
    if (!file_) error_ = std::strerror(errno);
    ::unlink(name.c_str());
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::fstream& stream() { return file_; }

 private:
  std::fstream file_;
  std::string error_;
};

}  // namespace

Status CorpusReader::ReadJsonLines(std::istream& in, const std::string& path,
                                   const std::function<Status(Document&&)>& sink,
                                   std::uint64_t lines_before, const std::string& line_head) {
  // A line of up to `limit` bytes is held and parsed in memory; a longer one is read twice from
  // the file: once to check it and read its metadata, once to hand on its text in parts as they
  // are decoded. From an input that cannot seek (a pipe), it is copied to a temporary file
  // first, or held when it cannot be.
  const std::size_t limit = std::max<std::size_t>(options_.max_part_bytes, 64);
  const std::function<void(const std::string&)> warn = [this](const std::string& m) { Warn(m); };
  LineReader lines(in);
  std::string line, scratch;
  std::uint64_t line_no = lines_before;
  bool whole = true;
  while (true) {
    // A held long line (from a pipe) does not keep its room for the lines after it.
    if (line.capacity() > 4 * limit) std::string().swap(line);
    std::uint64_t line_start = lines.offset();
    if (!lines.Next(&line, limit, &whole)) break;
    ++line_no;
    const bool first = line_no == lines_before + 1;
    const bool bom = first && line.rfind("\xEF\xBB\xBF", 0) == 0;
    if (first && !line_head.empty()) {  // read before: in the input just before the line
      line.insert(0, line_head);
      line_start -= std::min<std::uint64_t>(line_start, line_head.size());
    }
    // A long line from a pipe is copied to a temporary file and streamed from there.
    std::optional<SpoolFile> spool;
    if (!whole && !lines.seekable() && options_.spool_long_lines) {
      const std::string dir = SpoolDirectory(options_.spool_directory);
      spool.emplace(dir);
      const std::string where = path + ":" + std::to_string(line_no);
      if (!spool->ok()) {
        Warn(where + ": cannot make a temporary file in " + dir + " (" + spool->error() +
             ") for a line longer than " + std::to_string(limit) +
             " bytes; it is held in memory");
        spool.reset();
      } else {
        // The input's bytes count as they are copied (the progress line moves while a pipe
        // delivers the line), not again as the copy is read.
        std::fstream& f = spool->stream();
        f.write(line.data(), static_cast<std::streamsize>(line.size()));
        bytes_read_.fetch_add(line.size(), std::memory_order_relaxed);
        lines.CopyRest(f, &bytes_read_);
        f.put('\n');
        f.flush();
        if (!f) {
          return Status::IoError(where + ": cannot copy the line to a temporary file in " + dir +
                                 " (" + std::strerror(errno) + ")");
        }
      }
    }
    if (!whole && (lines.seekable() || spool)) {
      // Read from the copy (where the line starts at 0, its bytes counted already), or from
      // the input itself.
      std::optional<LineReader> spooled;
      if (spool) spooled.emplace(spool->stream());
      std::atomic<std::uint64_t> recounted{0};
      LineReader& from = spooled ? *spooled : lines;
      const std::uint64_t start = spooled ? 0 : line_start;
      Status bad;
      Status s = ReadLongRecord(from, start, start + (bom ? 3 : 0), path, line_no, limit, warn,
                                sink, spooled ? &recounted : &bytes_read_, &bad);
      if (!s.ok()) return s;
      if (!bad.ok()) {
        if (!options_.skip_bad_lines) return bad;
        ++skipped_records_;
        Warn("skipped " + bad.message());
      }
      continue;
    }
    if (!whole) lines.Rest(&line);
    bytes_read_.fetch_add(line.size() + 1, std::memory_order_relaxed);
    if (bom) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // JSON's blanks
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
    PartCutter cutter(std::move(doc), limit, path, line_no, warn, sink);
    std::size_t used = 0;
    s = cutter.Cut(text, true, &used);
    if (!s.ok()) return s;
  }
  if (in.bad()) return Status::IoError(path + ": read failed");
  return Status::Ok();
}


Status CorpusReader::ReadTextStream(std::istream& in, const std::string& id,
                                    const std::string& origin,
                                    const std::function<Status(Document&&)>& sink,
                                    const std::string& head) {
  const std::size_t limit = std::max<std::size_t>(options_.max_part_bytes, 64);
  constexpr std::size_t kFirstRead = 64 * 1024;
  std::string buf = head;
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
      // Standard input: JSON Lines when it starts with '{' after JSON's white space, else one
      // text document.
      std::istream& in = std::cin;
      // The white space read to see the first character still counts for line numbers and
      // columns: the lines it ends, and the start of the first record's line.
      int c;
      std::string blank;
      while ((c = in.peek()) == ' ' || c == '\t' || c == '\r' || c == '\n')
        blank.push_back(static_cast<char>(in.get()));
      if (in.peek() == '{') {
        const std::size_t line_start = blank.rfind('\n') + 1;  // 0 when there is none
        return ReadJsonLines(in, "<stdin>", sink,
                             static_cast<std::uint64_t>(std::count(blank.begin(), blank.end(), '\n')),
                             blank.substr(line_start));
      }
      return ReadTextStream(in, "-", "<stdin>", sink, blank);
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
