// Bad input at the library level: every error names the file and the place, and the cases the
// fuzzers found stay fixed. The end-to-end cases (exit status, no partial output) are in
// tests/e2e/errors.sh.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "newsgraph/gazetteer.hpp"
#include "newsgraph/graphml.hpp"
#include "newsgraph/reader.hpp"
#include "newsgraph/rules.hpp"
#include "test_util.hpp"

using namespace newsgraph;
namespace fs = std::filesystem;

namespace {

// Each test's own directory, removed at its end.
struct TempDir : testing::TempDir {
  TempDir() : testing::TempDir("newsgraph-errors-") {}
};

using testing::Slurp;

Status ParseLine(const std::string& line, Document* doc = nullptr) {
  Document local;
  return ParseJsonLine(line, "news.jsonl", 7, doc ? doc : &local);
}

// Runs the CLI through the shell; returns its exit status (-1 if it did not exit normally).
int RunCli(const std::string& args, const fs::path& err) {
  const std::string cmd = std::string("'") + NEWSGRAPH_CLI + "' " + args + " >/dev/null 2>'" +
                          err.string() + "'";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("JSON Lines errors name the file and line") {
  CHECK(ParseLine(R"({"id":"a","text":"x")").message() ==
        "news.jsonl:7: malformed JSON at column 21: Missing a comma or '}' after an object member.");
  CHECK(ParseLine(R"({"id":"a"})").message() == "news.jsonl:7: missing field \"text\"");
  CHECK(ParseLine(R"({"id":"a","text":null})").message() ==
        "news.jsonl:7: field \"text\" must be a string");
  CHECK(ParseLine(R"({"id":"a","text":"x","date":"14 June 2024"})").message() ==
        "news.jsonl:7: field \"date\" is not an ISO 8601 date: \"14 June 2024\"");
  CHECK(ParseLine(R"({"id":"a","text":"x","date":"2024-13-01"})").code() ==
        StatusCode::kInvalidInput);
  CHECK(ParseLine("[1,2]").message() == "news.jsonl:7: expected a JSON object");
  Document doc;
  REQUIRE(ParseLine(R"({"id":"a","text":"","date":"2024-06-14T09:30:00Z"})", &doc).ok());
  CHECK(doc.text.empty());
}

TEST_CASE("invalid UTF-8 is repaired byte by byte, reporting the first offset") {
  std::string text = "ab\xff\xfe" "cd\xc3";
  CHECK(RepairUtf8(&text) == 2);
  CHECK(text == "ab\xEF\xBF\xBD\xEF\xBF\xBD" "cd\xEF\xBF\xBD");
  CHECK(RepairUtf8(&text) == -1);
  std::string overlong = "\xc0\xaf", surrogate = "\xed\xa0\x80";
  CHECK(RepairUtf8(&overlong) == 0);
  CHECK(RepairUtf8(&surrogate) == 0);
  std::string empty;
  CHECK(RepairUtf8(&empty) == -1);
}

TEST_CASE("invalid UTF-8 is found at any offset of a long ASCII run, valid text passes") {
  for (std::size_t at = 0; at < 24; ++at) {
    INFO("offset " << at);
    std::string text(24, 'x');
    text[at] = '\xff';
    CHECK(RepairUtf8(&text) == static_cast<long long>(at));
    std::string valid(24, 'y');
    valid.replace(at, 1, "\xC3\xA9");  // a two-byte letter anywhere, across 8-byte blocks too
    CHECK(RepairUtf8(&valid) == -1);
    std::string cut(at, 'z');
    cut += "\xC3";  // a sequence cut short by the end of the text
    CHECK(RepairUtf8(&cut) == static_cast<long long>(at));
  }
}

TEST_CASE("the reader skips and counts bad records only when asked, naming each") {
  TempDir dir;
  const std::string path = (dir.path / "mixed.jsonl").string();
  std::ofstream(path) << "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"A\"}\r\n"
                         "{\"id\":\"b\",\"text\":\n"
                         "\n"
                         "{\"id\":\"c\",\"text\":7}\n"
                         "{\"id\":\"d\",\"text\":\"D \xff\"}\n";
  std::vector<std::string> warnings, ids;
  ReaderOptions options;
  options.on_warning = [&](const std::string& m) { warnings.push_back(m); };
  auto collect = [&](Document&& d) {
    ids.push_back(d.id);
    return Status::Ok();
  };
  {
    CorpusReader strict(options);
    const Status s = strict.ForEach({path}, collect);
    CHECK(s.message().rfind(path + ":2: malformed JSON", 0) == 0);
    CHECK(ids == std::vector<std::string>{"a"});
  }
  ids.clear();
  options.skip_bad_lines = true;
  CorpusReader lenient(options);
  REQUIRE(lenient.ForEach({path}, collect).ok());
  CHECK(ids == std::vector<std::string>{"a", "d"});
  CHECK(lenient.skipped_records() == 2);
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].rfind("skipped " + path + ":2: malformed JSON", 0) == 0);
  CHECK(warnings[1] == "skipped " + path + ":4: field \"text\" must be a string");
  CHECK(warnings[2] == path + ":5: invalid UTF-8 in \"text\" at byte 2, replaced by U+FFFD");
}

TEST_CASE("a binary file is skipped with a warning, an empty one is an empty document") {
  TempDir dir;
  std::ofstream(dir.path / "a.txt") << "";
  std::ofstream(dir.path / "b.txt", std::ios::binary) << std::string("x\0y", 3);
  std::vector<std::string> warnings, ids;
  ReaderOptions options;
  options.on_warning = [&](const std::string& m) { warnings.push_back(m); };
  CorpusReader reader(options);
  REQUIRE(reader.ForEach({dir.path.string()}, [&](Document&& d) {
    ids.push_back(fs::path(d.id).filename().string());
    return Status::Ok();
  }).ok());
  CHECK(ids == std::vector<std::string>{"a.txt"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == (dir.path / "b.txt").string() + ": skipped: contains NUL bytes (binary file?)");
}

TEST_CASE("deeply nested JSON is parsed without recursion (no stack overflow)") {
  // 400,000 nested arrays: a recursive parser overflows the stack long before.
  const std::string open(400000, '['), close(400000, ']');
  Document doc;
  REQUIRE(ParseLine("{\"text\": \"France.\", \"extra\": " + open + close + "}", &doc).ok());
  CHECK(doc.text == "France.");
  CHECK(ParseLine("{\"text\": \"France.\", \"extra\": " + open + "}").message().rfind(
            "news.jsonl:7: malformed JSON at column ", 0) == 0);
  TempDir dir;
  const std::string path = dir.Write("deep.jsonl", "{\"text\": \"a\", \"x\": " + open + close + "}\n");
  CorpusReader reader;
  std::size_t docs = 0;
  CHECK(reader.ForEach({path}, [&](Document&&) { ++docs; return Status::Ok(); }).ok());
  CHECK(docs == 1);
  Gazetteer g;
  CHECK(g.AddJson("{\"entries\": " + open + close + "}", "user.json").message() ==
        "user.json: entries[0]: expected an object");
  CHECK(g.AddJson("{\"entries\": " + open, "user.json").message().rfind(
            "user.json:1:", 0) == 0);
  RuleSet r;
  CHECK_FALSE(r.AddJson("{\"rules\": " + open + close + "}", "rules.json").ok());
}

TEST_CASE("a malformed user gazetteer is reported with line, column and RapidJSON's message") {
  Gazetteer g;
  Status s = g.AddJson("{\n  \"entries\": [\n    {\"name\": \"A\", \"type\": \"person\"\n    {}\n  ]\n}",
                       "user.json");
  CHECK(s.message() == "user.json:4:5: malformed JSON: Missing a comma or '}' after an object member.");
  s = g.AddJson(R"({"entries":[{"name":"A","type":"person","colour":"red"}]})", "user.json");
  CHECK(s.message() == "user.json: entries[0] (\"A\"): unknown field \"colour\" (expected one of: "
                       "name, type, aliases, demonyms, note)");
  s = g.AddJson(R"({"entries":[{"name":"A","type":"person","aliases":[1]}]})", "user.json");
  CHECK(s.message() == "user.json: entries[0] (\"A\"): field \"aliases\" must be an array of strings");
  s = g.AddJson(R"({"entries":{}})", "user.json");
  CHECK(s.message() == "user.json: field \"entries\" must be an array");
}

TEST_CASE("rule errors name the file, the rule id and RE2's error") {
  RuleSet bad;
  REQUIRE(bad.AddJson(R"({"rules":[{"id":"my.rule","type":"event","pattern":"(Summit"}]})",
                      "rules.json").ok());
  CHECK(bad.Compile().message() == "rules.json: rule \"my.rule\": invalid pattern: missing ): (Summit");

  RuleSet typed;
  CHECK(typed.AddJson(R"({"rules":[{"id":"r","type":"x","pattern":"a","priority":"high"}]})",
                      "rules.json").message() ==
        "rules.json: rule \"r\": field \"priority\" must be an integer");
  CHECK(typed.AddJson(R"({"rules":[{"id":"r","type":"x","pattern":"a","flags":"i"}]})",
                      "rules.json").message().rfind("rules.json: rule \"r\": unknown field \"flags\"", 0) == 0);
  CHECK(typed.AddJson(R"({"rules":[{"type":"x","pattern":"a"}]})", "rules.json").message() ==
        "rules.json: rules[0]: missing field \"id\"");
}

TEST_CASE("pathological rules fail quickly and cleanly (fuzz regressions)") {
  const auto start = std::chrono::steady_clock::now();
  // Found by fuzz_loader: a macro naming itself made the expansion loop forever.
  RuleSet self;
  REQUIRE(self.AddJson(R"({"macros":{"A":"x{{A}}"},"rules":[{"id":"self","type":"t","pattern":"{{A}}"}]})",
                       "rules.json").ok());
  CHECK(self.Compile().message() == "rules.json: rule \"self\": unknown or recursive macro {{A}}");
  // Each round multiplies the pattern by eight: stopped by the length bound, not by memory.
  RuleSet boom;
  REQUIRE(boom.AddJson(R"({"macros":{"M":"{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}x"},)"
                       R"("rules":[{"id":"boom","type":"t","pattern":"{{M}}"}]})", "rules.json").ok());
  CHECK(boom.Compile().message().rfind("rules.json: rule \"boom\": the pattern is too long", 0) == 0);
  RuleSet repeat;
  REQUIRE(repeat.AddJson(R"({"rules":[{"id":"rep","type":"t","pattern":"((a{100}){100}){100}"}]})",
                         "rules.json").ok());
  CHECK(repeat.Compile().message().rfind("rules.json: rule \"rep\": invalid pattern: ", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
}

TEST_CASE("the fuzz regression inputs of the loaders and the GraphML reader run cleanly") {
  const fs::path root = fs::path(NEWSGRAPH_SOURCE_DIR) / "fuzz" / "regressions";
  std::size_t n = 0;
  for (const char* target : {"fuzz_loader", "fuzz_graphml"}) {
    if (!fs::exists(root / target)) continue;
    for (const auto& e : fs::directory_iterator(root / target)) {
      const std::string bytes = Slurp(e.path());
      INFO(e.path().string());
      const auto start = std::chrono::steady_clock::now();
      if (std::string(target) == "fuzz_graphml") {
        Graph g;
        (void)ParseGraphML(bytes, "in.graphml", &g);
      } else if (!bytes.empty() && (bytes[0] & 1)) {
        Gazetteer g;
        (void)g.AddJson(std::string_view(bytes).substr(1), "user.json");
      } else if (!bytes.empty()) {
        RuleSet r;
        if (r.AddJson(std::string_view(bytes).substr(1), "user.json").ok()) (void)r.Compile();
      }
      CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
      ++n;
    }
  }
  CHECK(n >= 4);
}

TEST_CASE("the CLI exits 1 naming the file, and writes nothing, on bad input") {
  TempDir dir;
  const fs::path bad = dir.path / "bad.jsonl", out = dir.path / "g.graphml", err = dir.path / "err";
  std::ofstream(bad) << "{\"id\":\"a\",\"text\":\"Germany and France\"}\n{\"id\":\"b\",\"text\":\n";
  CHECK(RunCli("build '" + bad.string() + "' -o '" + out.string() + "'", err) == 1);
  CHECK(Slurp(err).rfind("newsgraph: error: " + bad.string() + ":2: malformed JSON", 0) == 0);
  CHECK_FALSE(fs::exists(out));
  CHECK(RunCli("build '" + bad.string() + "' --skip-bad -o '" + out.string() + "'", err) == 0);
  CHECK(Slurp(err).find("newsgraph: skipped 1 malformed JSON Lines record(s)") != std::string::npos);
  CHECK(fs::exists(out));
  CHECK(RunCli("build '" + (dir.path / "missing.txt").string() + "' -o '" + out.string() + "'", err) == 1);
  CHECK(Slurp(err) == "newsgraph: error: " + (dir.path / "missing.txt").string() +
                          ": no such file or directory\n");
}
