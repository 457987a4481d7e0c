#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.hpp"
#include "newsgraph/reader.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

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
