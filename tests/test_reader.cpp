#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <fstream>
#include <iostream>
#include <streambuf>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "newsgraph/reader.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

// The bytes this test program holds through operator new, and their peak since a reset: what a
// reader holds at once, measured, not guessed. Not under AddressSanitizer, which has its own
// operator new.
#if defined(__SANITIZE_ADDRESS__)
#define NEWSGRAPH_COUNT_HEAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NEWSGRAPH_COUNT_HEAP 0
#endif
#endif
#ifndef NEWSGRAPH_COUNT_HEAP
#define NEWSGRAPH_COUNT_HEAP 1
#endif

namespace heap {
std::size_t live = 0, peak = 0;
void ResetPeak() { peak = live; }
}  // namespace heap

#if NEWSGRAPH_COUNT_HEAP
void* operator new(std::size_t n) {
  void* p = std::malloc(n + 16);
  if (!p) throw std::bad_alloc();
  *static_cast<std::size_t*>(p) = n;
  heap::live += n;
  heap::peak = std::max(heap::peak, heap::live);
  return static_cast<char*>(p) + 16;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  char* block = static_cast<char*>(p) - 16;
  heap::live -= *reinterpret_cast<std::size_t*>(block);
  std::free(block);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
#endif

namespace {

struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("newsgraph_test_reader_") {}
};

std::vector<Document> ReadAll(const std::vector<std::string>& inputs, ReaderOptions options = {}) {
  CorpusReader reader(options);
  std::vector<Document> docs;
  Status s = reader.ForEach(inputs, [&](Document&& d) {
    docs.push_back(std::move(d));
    return Status::Ok();
  });
  REQUIRE(s.ok());
  return docs;
}

// Paragraphs of sentences, `n` of them, each naming its number.
std::string Paragraphs(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "Paragraph " + std::to_string(i) + " says that France and Germany met. ";
    text += "It was a long meeting, which ended late.\n\n";
  }
  return text;
}

}  // namespace

TEST_CASE("directories list in sorted whole-path order", "[reader]") {
  TempDir dir;
  dir.Write("b.txt", "b");
  dir.Write("b/c.txt", "c");
  dir.Write("a.md", "a");
  dir.Write("b-x/d.txt", "d");
  dir.Write("z.jsonl", "{\"text\": \"z\"}\n");
  dir.Write("ignored.bin", "x");
  std::vector<std::string> files;
  REQUIRE(ExpandInputs({dir.path.string()}, &files).ok());
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(fs::relative(f, dir.path).string());
  // What a sort of the whole paths gives ('-' < '.' < '/').
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  CHECK(names == sorted);
  CHECK(names == std::vector<std::string>{"a.md", "b-x/d.txt", "b.txt", "b/c.txt", "z.jsonl"});
  CHECK(TotalInputBytes({dir.path.string()}) == 1 + 1 + 1 + 1 + 14);
  std::vector<std::string> missing;
  CHECK_FALSE(ExpandInputs({(dir.path / "nope").string()}, &missing).ok());
}

TEST_CASE("a small text file is one document", "[reader]") {
  TempDir dir;
  const std::string path = dir.Write("one.txt", "\xEF\xBB\xBFHello France.\n");
  const auto docs = ReadAll({path});
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == "Hello France.\n");  // byte order mark dropped
  CHECK(docs[0].id == path);
  CHECK(docs[0].part == 0);
  CHECK(docs[0].last_part);
  CHECK(docs[0].base_offset == 0);
}

TEST_CASE("a small text file's document holds about its own size", "[reader]") {
  // A directory of a million small files keeps thousands of documents in flight: each must
  // cost about its text, not a part-sized read buffer.
  TempDir dir;
  for (int i = 0; i < 200; ++i) {
    std::string name = std::to_string(1000 + i), text = "Short note ";
    name += ".txt";
    text += std::to_string(i);
    text += " about Chile and Peru.\n";
    dir.Write(name, text);
  }
  const auto docs = ReadAll({dir.path.string()});
  REQUIRE(docs.size() == 200);
  std::size_t held = 0, text = 0;
  for (const auto& d : docs) {
    held += d.text.capacity();
    text += d.text.size();
  }
  CHECK(held < 2 * text + 200 * 64);
  // A text larger than a part still reads whole, each part holding about its size.
  const std::string big = Paragraphs(20000);  // about 2 MB: parts of up to 1 MiB
  const auto parts = ReadAll({dir.Write("big.txt", big)});
  std::string joined;
  for (const auto& d : parts) {
    joined += d.text;
    CHECK(d.text.capacity() < d.text.size() + 65536);
  }
  CHECK(joined == big);
}

TEST_CASE("a large text file arrives in parts split at blank lines", "[reader]") {
  TempDir dir;
  const std::string text = Paragraphs(40);
  const std::string path = dir.Write("big.txt", text);
  ReaderOptions options;
  options.max_part_bytes = 300;
  const auto docs = ReadAll({path}, options);
  REQUIRE(docs.size() > 5);
  std::string joined;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    INFO("part " << i);
    CHECK(docs[i].id == path);
    CHECK(docs[i].part == i);
    CHECK(docs[i].base_offset == joined.size());
    CHECK(docs[i].last_part == (i + 1 == docs.size()));
    CHECK(docs[i].text.size() <= 300);
    if (i + 1 < docs.size()) {
      // Every part but the last ends with a blank line, so no paragraph is cut.
      CHECK(docs[i].text.size() >= 2);
      CHECK(docs[i].text.substr(docs[i].text.size() - 2) == "\n\n");
    }
    joined += docs[i].text;
  }
  CHECK(joined == text);
}

TEST_CASE("a text without line breaks is cut after a sentence or a space", "[reader]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50; ++i) text += "Sentence number " + std::to_string(i) + " is here. ";
  const std::string path = dir.Write("flat.txt", text);
  ReaderOptions options;
  options.max_part_bytes = 200;
  const auto docs = ReadAll({path}, options);
  REQUIRE(docs.size() > 5);
  std::string joined;
  for (std::size_t i = 0; i + 1 < docs.size(); ++i) {
    CHECK(docs[i].text.substr(docs[i].text.size() - 2) == ". ");
    joined += docs[i].text;
  }
  joined += docs.back().text;
  CHECK(joined == text);
}

TEST_CASE("parts never cut a UTF-8 character", "[reader]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "\xC3\xA9";  // é, no spaces or breaks at all
  const std::string path = dir.Write("accents.txt", text);
  ReaderOptions options;
  options.max_part_bytes = 101;
  const auto docs = ReadAll({path}, options);
  REQUIRE(docs.size() > 1);
  std::string joined;
  for (const auto& d : docs) {
    CHECK(d.text.size() % 2 == 0);
    CHECK(RepairUtf8(const_cast<std::string*>(&d.text)) == -1);
    joined += d.text;
  }
  CHECK(joined == text);
}

TEST_CASE("a huge JSON Lines text field arrives in parts with the record's metadata", "[reader]") {
  TempDir dir;
  const std::string text = Paragraphs(30);
  std::string escaped;
  for (char c : text) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  const std::string path = dir.Write(
      "big.jsonl", "{\"id\": \"small\", \"text\": \"Hi.\"}\n{\"id\": \"big\", \"date\": \"2024-05-01\", "
                   "\"text\": \"" + escaped + "\"}\n");
  ReaderOptions options;
  options.max_part_bytes = 256;
  const auto docs = ReadAll({path}, options);
  REQUIRE(docs.size() > 3);
  CHECK(docs[0].id == "small");
  CHECK(docs[0].last_part);
  std::string joined;
  for (std::size_t i = 1; i < docs.size(); ++i) {
    CHECK(docs[i].id == "big");
    CHECK(docs[i].date == "2024-05-01");
    CHECK(docs[i].line == 2);
    CHECK(docs[i].part == i - 1);
    CHECK(docs[i].base_offset == joined.size());
    CHECK(docs[i].last_part == (i + 1 == docs.size()));
    joined += docs[i].text;
  }
  CHECK(joined == text);
}

TEST_CASE("JSON Lines records decode escapes, in place or not, and errors give columns",
          "[reader]") {
  TempDir dir;
  const std::string path = dir.Write(
      "esc.jsonl", "{\"id\": 7, \"text\": \"Caf\\u00e9 \\\"x\\\"\\n\", \"title\": null}\n"
                   "{\"text\": \"a\",}\n");
  CorpusReader reader;
  std::vector<Document> docs;
  const Status read = reader.ForEach({path}, [&](Document&& d) {
    docs.push_back(std::move(d));
    return Status::Ok();
  });
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].id == "7");
  CHECK(docs[0].text == "Caf\xC3\xA9 \"x\"\n");
  CHECK(read.message() == path + ":2: malformed JSON at column 14: Missing a name for object member.");
  Document doc;
  std::string line = R"({"id": 7, "text": "Caf\u00e9 \"x\"\n", "title": null})";
  REQUIRE(ParseJsonLine(line, "f.jsonl", 3, &doc).ok());
  CHECK(doc.id == "7");
  CHECK(doc.text == "Caf\xC3\xA9 \"x\"\n");
  CHECK(doc.line == 3);
  std::string bad = R"({"text": "a",})";
  Status s = ParseJsonLine(bad, "f.jsonl", 4, &doc);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("f.jsonl:4: malformed JSON at column") == 0);
  std::string trailing = R"({"text": "a"} x)";
  CHECK_FALSE(ParseJsonLine(trailing, "f.jsonl", 5, &doc).ok());
}

namespace {

// Standard input that cannot seek (a pipe), so the reader holds every line in memory.
class PipeBuf : public std::streambuf {
 public:
  explicit PipeBuf(std::string data) : data_(std::move(data)) {
    setg(data_.data(), data_.data(), data_.data() + data_.size());
  }

 private:
  std::string data_;
};

struct ReadResult {
  std::vector<Document> docs;
  std::string status;
  std::vector<std::string> warnings;
  std::uint64_t skipped = 0;
};

ReadResult ReadWith(const std::string& input, ReaderOptions options, const std::string& path,
                    bool as_pipe) {
  ReadResult r;
  options.on_warning = [&](const std::string& m) { r.warnings.push_back(m); };
  CorpusReader reader(options);
  Status s;
  auto keep = [&](Document&& d) {
    if (as_pipe) d.origin = path;
    r.docs.push_back(std::move(d));
    return Status::Ok();
  };
  if (as_pipe) {
    PipeBuf pipe(input);
    std::streambuf* saved = std::cin.rdbuf(&pipe);
    s = reader.ForEach({"-"}, keep);
    std::cin.rdbuf(saved);
    std::cin.clear();
  } else {
    s = reader.ForEach({path}, keep);
  }
  r.status = s.message();
  r.skipped = reader.skipped_records();
  // Name the input alike: "<stdin>" for the pipe.
  auto rename = [&](std::string& m) {
    for (std::size_t p; (p = m.find("<stdin>")) != std::string::npos;) m.replace(p, 7, path);
  };
  rename(r.status);
  for (auto& w : r.warnings) rename(w);
  for (auto& d : r.docs) rename(d.id);
  return r;
}

void CheckSameRead(const ReadResult& a, const ReadResult& b) {
  CHECK(a.status == b.status);
  CHECK(a.warnings == b.warnings);
  CHECK(a.skipped == b.skipped);
  REQUIRE(a.docs.size() == b.docs.size());
  for (std::size_t i = 0; i < a.docs.size(); ++i) {
    const Document &x = a.docs[i], &y = b.docs[i];
    CHECK(x.text == y.text);
    CHECK(x.id == y.id);
    CHECK(x.title == y.title);
    CHECK(x.date == y.date);
    CHECK(x.source == y.source);
    CHECK(x.url == y.url);
    CHECK(x.origin == y.origin);
    CHECK(x.line == y.line);
    CHECK(x.base_offset == y.base_offset);
    CHECK(x.part == y.part);
    CHECK(x.last_part == y.last_part);
  }
}

}  // namespace

TEST_CASE("a long JSON Lines record is streamed from the file, reading as if it were held",
          "[reader]") {
  // Lines longer than the part size are read twice from a file (checked, then decoded in
  // parts), never held; from a pipe they are copied to a temporary file and read from there,
  // or held when that is turned off. All three must give the same documents, errors, warnings
  // and skips, on records and on broken copies of them.
  const std::vector<std::string> records = {
      R"({"id": "r1", "date": "2025-03-02", "text": "The mayor of Lisbon met the Danish minister.\n\nTalks on the port went on until late in the evening, officials said.", "source": "wire"})",
      R"({"text": "Caf\u00e9 owners in Porto \"welcomed\" the plan.\r\nA second line follows here, with more words to pass the part size.", "title": "Caf\u00e9s", "id": 42})",
      R"({"extra": {"text": "nested, not the text", "list": [1, 2.5, true, null, "x"]}, "text": "The nested text field above is not the record's text; this one is, and it is long enough.", "url": "https://example.org/a"})",
      R"({"text": "First text wins over the second one in this record, as a parsed record would have it.", "text": "second", "id": "dup", "id": "dup2"})",
      R"({"text": "Surrogates \ud83d\ude00 and escapes \t\/\b\f decode the same way when streamed as when held in memory.", "date": null})",
      "{\"id\": -7, \"text\": \"Invalid bytes \xff\xfe in the middle of a long text are repaired "
      "alike in both reading paths.\"}",
      "{\"text\": \"A line ending in a carriage return is read the same way whether held or streamed along.\"}\r",
      "   \t   \t                                                                                      ",
      R"({"text": "   padding   ", "id": 1.5, "more": "a field after the bad id, long enough to stream the line"})",
      R"(["an", "array", "is", "no", "record", "even", "when", "the", "line", "is", "long", "enough", "to", "stream"])",
  };
  std::string all;
  for (const auto& r : records) all += r + "\n";
  TempDir dir, spool_dir;
  std::uint64_t seed = 12345;
  auto next = [&] { seed = seed * 6364136223846793005ULL + 1442695040888963407ULL; return seed >> 33; };
  const std::string specials = "\"\\{}[]:,u0 \r\xC3\xff";
  std::size_t streamed_lines = 0;
  for (int round = 0; round < 400; ++round) {
    std::string input = all;
    // Break a copy: a few bytes replaced, removed or inserted, JSON's own characters favoured.
    if (round > 0) {
      for (int k = 1 + static_cast<int>(next() % 3); k > 0; --k) {
        const std::size_t at = next() % input.size();
        const char c = next() % 4 ? specials[next() % specials.size()] : static_cast<char>(next());
        switch (next() % 3) {
          case 0: input[at] = c; break;
          case 1: input.erase(at, 1); break;
          default: input.insert(at, 1, c); break;
        }
      }
    }
    // White space first: standard input reads it to see the '{', and must still count its lines
    // and columns.
    if (round % 5 == 4) input = "\n \n" + input;
    if (round % 7 == 6) input = " \r\t " + input;
    // Standard input is read as JSON Lines only when it opens with '{'.
    const std::size_t opening = input.find_first_not_of(" \t\n\r");
    if (opening == std::string::npos || input[opening] != '{') continue;
    for (bool skip : {false, true}) {
      ReaderOptions options;
      options.max_part_bytes = 64;
      options.skip_bad_lines = skip;
      options.spool_directory = spool_dir.path.string();
      const std::string path = dir.Write("r.jsonl", input);
      INFO("round " << round << " skip " << skip << " input:\n" << input);
      const ReadResult streamed = ReadWith(input, options, path, false);
      const ReadResult spooled = ReadWith(input, options, path, true);
      ReaderOptions holding = options;
      holding.spool_long_lines = false;
      const ReadResult held = ReadWith(input, holding, path, true);
      CheckSameRead(streamed, spooled);
      CheckSameRead(streamed, held);
      for (const auto& d : streamed.docs) streamed_lines += d.part > 0;
    }
  }
  CHECK(streamed_lines > 1000);
  // The temporary files are gone.
  CHECK(fs::is_empty(spool_dir.path));
  // The unbroken records read as written.
  ReaderOptions options;
  options.max_part_bytes = 64;
  options.skip_bad_lines = true;
  const ReadResult r = ReadWith(all, options, dir.Write("all.jsonl", all), false);
  CHECK(r.skipped == 2);  // the bad id and the array
  std::string first;
  for (const auto& d : r.docs) {
    if (d.line == 1) first += d.text;
  }
  CHECK(first == "The mayor of Lisbon met the Danish minister.\n\nTalks on the port went on until "
                 "late in the evening, officials said.");
}

namespace {

// Reads three records, the middle one with a 24 MB text field (with escapes), from a file or
// from standard input as a pipe, and checks that it goes on in parts of the part size while
// the reader holds no more than a few parts, never the line.
void CheckLongRecordNotHeld(bool from_pipe) {
  std::string text;
  for (int i = 0; text.size() < (24u << 20); ++i) {
    text += "The council of Lisbon met on day " + std::to_string(i) + ". \\u00c9vora sent a \\\"note\\\".";
    if (i % 50 == 49) text += "\\n\\n";
  }
  std::string input = "{\"id\": \"short\", \"text\": \"Hi.\"}\n{\"text\": \"" + text +
                      "\", \"id\": \"long\"}\n{\"id\": \"after\", \"text\": \"Bye.\"}\n";
  TempDir dir, spool_dir;
  const std::string path = dir.Write("long.jsonl", input);
  const std::uint64_t total = input.size();
  const std::uint64_t through_long = input.find('\n', input.find('\n') + 1) + 1;
  ReaderOptions options;
  options.max_part_bytes = 64 << 10;
  options.spool_directory = spool_dir.path.string();  // where a pipe's line goes meanwhile
  std::vector<std::string> warnings;
  options.on_warning = [&](const std::string& m) { warnings.push_back(m); };
  PipeBuf pipe(from_pipe ? std::move(input) : std::string());
  std::streambuf* saved = from_pipe ? std::cin.rdbuf(&pipe) : nullptr;
  CorpusReader reader(options);
  std::vector<std::string> ids;
  std::size_t bytes = 0, parts = 0;
  std::uint64_t read_at_long = 0;  // bytes_read() as the long record's first part arrives
  heap::ResetPeak();
  const std::size_t before = heap::live;
  const Status s = reader.ForEach({from_pipe ? "-" : path}, [&](Document&& d) {
    CHECK(d.text.size() <= options.max_part_bytes);
    if (d.id == "long" && d.part == 0) read_at_long = reader.bytes_read();
    if (ids.empty() || ids.back() != d.id) ids.push_back(d.id);
    bytes += d.text.size();
    ++parts;
    return Status::Ok();
  });
  const std::size_t held = heap::peak - before;
  if (from_pipe) {
    std::cin.rdbuf(saved);
    std::cin.clear();
  }
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(warnings.empty());
  CHECK(ids == std::vector<std::string>{"short", "long", "after"});
  CHECK(parts > 300);
  CHECK(bytes > (20u << 20));
  CHECK(fs::is_empty(spool_dir.path));  // the pipe's temporary file is gone
#if NEWSGRAPH_COUNT_HEAP
  CHECK(held < (2u << 20));
#else
  (void)held;
  WARN("the bytes held are not counted under AddressSanitizer");
#endif
  CHECK(reader.bytes_read() == total);
  // From a pipe, the input's bytes count as the line is copied, before any part goes on (so
  // the progress line moves meanwhile); from a file, as the parts are read.
  if (from_pipe) CHECK(read_at_long == through_long);
  else CHECK(read_at_long < through_long);
}

}  // namespace

TEST_CASE("a long JSON Lines record is not held in memory", "[reader]") {
  CheckLongRecordNotHeld(false);
}

TEST_CASE("a long JSON Lines record from a pipe is not held in memory either", "[reader]") {
  // Standard input cannot seek: the line goes to a temporary file as it arrives, and is read
  // from there in parts.
  CheckLongRecordNotHeld(true);
}

TEST_CASE("a long record from a pipe is held, with a warning, when no temporary file can be made",
          "[reader]") {
  const std::string long_text(300, 'a');
  const std::string input = "{\"text\": \"Short.\"}\n{\"id\": \"x\", \"text\": \"" + long_text +
                            " end.\"}\n{\"text\": \"Last.\"}\n";
  TempDir dir;
  ReaderOptions options;
  options.max_part_bytes = 64;
  options.spool_directory = (dir.path / "no" / "such" / "directory").string();
  const std::string path = dir.Write("in.jsonl", input);
  const ReadResult r = ReadWith(input, options, path, true);  // "<stdin>" read as `path`
  CHECK(r.status.empty());
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].rfind(path + ":2: cannot make a temporary file in " +
                                options.spool_directory, 0) == 0);
  CHECK(r.warnings[0].find("held in memory") != std::string::npos);
  // Read as a file would be.
  const ReadResult from_file = ReadWith(input, options, path, false);
  std::string joined;
  for (const auto& d : r.docs) joined += d.line == 2 ? d.text : "";
  CHECK(joined == long_text + " end.");
  CHECK(r.docs.size() == from_file.docs.size());
}

TEST_CASE("standard input keeps the white space read to tell JSON Lines from text", "[reader]") {
  // As text: the document is all of the input, so offsets count the leading blank lines.
  const std::string text = "\n  \n\tThe envoy of Chile arrived.\n";
  PipeBuf pipe(text);
  std::streambuf* saved = std::cin.rdbuf(&pipe);
  CorpusReader reader;
  std::vector<Document> docs;
  const Status s = reader.ForEach({"-"}, [&](Document&& d) {
    docs.push_back(std::move(d));
    return Status::Ok();
  });
  std::cin.rdbuf(saved);
  std::cin.clear();
  REQUIRE(s.ok());
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == text);
  // As JSON Lines: line numbers and columns count it.
  PipeBuf records("\n \n  {\"text\": 5}\n");
  saved = std::cin.rdbuf(&records);
  const Status bad = CorpusReader().ForEach({"-"}, [](Document&&) { return Status::Ok(); });
  std::cin.rdbuf(saved);
  std::cin.clear();
  CHECK(bad.message() == "<stdin>:3: field \"text\" must be a string");
}
