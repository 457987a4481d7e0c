#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "newsgraph/extract.hpp"
#include "newsgraph/gazetteer.hpp"
#include "newsgraph/pipeline.hpp"
#include "flat_hash.hpp"
#include "lexicons.hpp"

using namespace newsgraph;

namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/newsgraph_test_gazetteer_" + name;
  std::ofstream(path) << content;
  return path;
}

// Returns "text/type/entity" for each mention of `text`.
std::vector<std::string> Mentions(const std::string& text, const ExtractorOptions& options) {
  PipelineOptions p;
  p.extractor = options;
  Pipeline pipeline(p);
  REQUIRE(pipeline.status().ok());
  AnalyzedDocument item;
  item.doc.text = text;
  pipeline.Analyze(&item);
  std::vector<std::string> out;
  for (const auto& m : item.mentions)
    out.push_back(text.substr(m.begin, m.end - m.begin) + "/" + m.type + "/" + m.entity);
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  for (const auto& s : v)
    if (s == x) return true;
  return false;
}

}  // namespace

TEST_CASE("a later entry with the same name retypes it", "[gazetteer]") {
  Gazetteer g;
  REQUIRE(g.AddJson(R"j({"entries": [{"name": "Kent", "type": "location"}]})j", "a").ok());
  REQUIRE(g.AddJson(R"j({"entries": [{"name": "Kent", "type": "organization"}]})j", "b").ok());
  REQUIRE(g.entries().size() == 1);
  CHECK(g.entries()[0].type == "organization");
}

TEST_CASE("a user gazetteer retypes and suppresses defaults", "[gazetteer]") {
  ExtractorOptions o;
  o.gazetteer_files.push_back(WriteTemp(
      "retype.json",
      R"j({"version": 1, "entries": [{"name": "Kent", "type": "organization"}],
          "suppress": ["Essex"]})j"));
  const auto f = Mentions("Storms hit Kent and Essex overnight.", o);
  CHECK(Contains(f, "Kent/organization/Kent"));
  for (const auto& m : f) CHECK(m.rfind("Essex/", 0) != 0);
  // Without the user file both are places.
  const auto d = Mentions("Storms hit Kent and Essex overnight.", {});
  CHECK(Contains(d, "Kent/location/Kent"));
  CHECK(Contains(d, "Essex/location/Essex"));
}

TEST_CASE("a user alias of a default name maps to the user's entry", "[gazetteer]") {
  ExtractorOptions o;
  o.gazetteer_files.push_back(WriteTemp(
      "alias.json",
      R"j({"entries": [{"name": "Harbour Authority", "type": "organization", "aliases": ["HA"]}]})j"));
  const auto f = Mentions("The HA closed the port.", o);
  CHECK(Contains(f, "HA/organization/Harbour Authority"));
}

TEST_CASE("malformed user gazetteers are errors naming the file and line", "[gazetteer]") {
  ExtractorOptions o;
  const std::string path = WriteTemp("bad.json", "{\n  \"entries\": [\n    {\"name\": \"X\",}\n  ]\n}\n");
  o.gazetteer_files.push_back(path);
  EntityExtractor e(o);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().find(path + ":3:") != std::string::npos);
}

TEST_CASE("unknown fields and missing types in a user gazetteer are errors", "[gazetteer]") {
  Gazetteer g;
  Status s = g.AddJson(R"j({"entries": [{"name": "X", "type": "person", "colour": "red"}]})j",
                       "user.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("user.json") != std::string::npos);
  CHECK(s.message().find("colour") != std::string::npos);
  s = g.AddJson(R"j({"entries": [{"name": "X"}]})j", "user.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("type") != std::string::npos);
  s = g.AddJson(R"j({"entrys": []})j", "user.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("entrys") != std::string::npos);
}

TEST_CASE("lookups fold case, diacritics and curly apostrophes", "[gazetteer]") {
  CHECK(FoldForLookup("C\xC3\xB4te d\xE2\x80\x99Ivoire") == "cote d'ivoire");
  Gazetteer g;
  REQUIRE(g.AddJson(R"j({"entries": [{"name": "Côte d'Ivoire", "type": "country"}]})j", "x").ok());
  GazetteerMatcher m(g);
  REQUIRE(m.Find("COTE D\xE2\x80\x99IVOIRE") != nullptr);
  CHECK(m.Find("cote d'ivoire")->name == "Côte d'Ivoire");
}

TEST_CASE("longest matches with a shared token-id cache equal the uncached ones", "[gazetteer]") {
  Gazetteer g;
  REQUIRE(g.AddJson(R"j({"entries": [
      {"name": "New Zealand", "type": "country"},
      {"name": "New Zealand Rugby Union", "type": "organization"},
      {"name": "Zealand", "type": "location"},
      {"name": "Union Bank", "type": "organization"}]})j", "test").ok());
  const GazetteerMatcher matcher(g);
  const std::string text =
      "The New Zealand Rugby Union met Union Bank staff in Zealand, not in New Zealand.\n"
      "NEW ZEALAND Rugby";
  const Segmentation seg = SentenceSplitter().Segment(text);
  const auto n = static_cast<std::uint32_t>(seg.tokens.size());
  std::vector<std::uint32_t> cache(n, GazetteerMatcher::kUnknownToken);
  int found = 0;
  // Every start, twice: the second pass reads only cached ids.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::uint32_t k = 0; k < n; ++k) {
      GazetteerMatch a, b;
      const bool plain = matcher.LongestMatch(text, seg.tokens, k, n, &a);
      const bool cached = matcher.LongestMatch(text, seg.tokens, k, n, &cache, &b);
      REQUIRE(plain == cached);
      if (!plain) continue;
      ++found;
      CHECK(a.token_end == b.token_end);
      CHECK(a.entry == b.entry);
      CHECK(a.demonym == b.demonym);
    }
  }
  CHECK(found >= 2 * 5);  // the union, the bank, Zealand, New Zealand twice, ...
}

TEST_CASE("folding into a reused buffer replaces its content and equals the plain fold",
          "[gazetteer]") {
  std::string buffer = "left over from an earlier, much longer word";
  for (const std::string s :
       {"", "Oslo", "SÃO PAULO", "São Paulo", "Ma\xE2\x80\x99" "an", "\xC3\x85land", "Nguyễn",
        "Ştefan Tudor", "ΑΘΗΝΑ", "\xE2\x80\x9CQuoted\xE2\x80\x9D", "e\xCC\x81t\xC3\xA9", "x"}) {
    FoldForLookup(s, &buffer);
    CHECK(buffer == FoldForLookup(s));
  }
  FoldForLookup("Zürich", &buffer);
  CHECK(buffer == "zurich");
}

TEST_CASE("a folded view is the word itself where folding changes nothing", "[gazetteer]") {
  std::string buffer;
  for (const std::string s :
       {"", "oslo", "talks", "x", "well-known", "o'brien", "1996", "Oslo", "SÃO PAULO",
        "são paulo", "Ma\xE2\x80\x99" "an", "iPhone", "e\xCC\x81t\xC3\xA9"}) {
    const std::string_view view = FoldedView(s, &buffer);
    CHECK(view == FoldForLookup(s));
    const bool unchanged = FoldForLookup(s) == s;
    // No copy for an unchanged word: the view points into `s` itself.
    CHECK((view.data() == s.data()) == unchanged);
  }
}

TEST_CASE("folding lowers every capital at every length and position", "[gazetteer]") {
  // The fold works on eight bytes at a time with an overlapping tail (and four at a time
  // under eight bytes): every length around those steps, a capital or an accented capital
  // ("É", two bytes, folding to "e") at each position, and the bytes around 'A'..'Z'.
  std::string buffer;
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string base;
    for (std::size_t i = 0; i < n; ++i) base.push_back("a@[`z{0-'"[i % 9]);
    auto check = [&](const std::string& s, const std::string& want) {
      INFO("\"" << s << "\"");
      CHECK(FoldForLookup(s) == want);
      FoldForLookup(s, &buffer);
      CHECK(buffer == want);
      const std::string_view view = FoldedView(s, &buffer);
      CHECK(view == want);
      CHECK((view.data() == s.data()) == (s == want));
    };
    check(base, base);
    for (std::size_t at = 0; at < n; ++at) {
      std::string upper = base, want = base;
      upper[at] = static_cast<char>('A' + at % 26);
      want[at] = static_cast<char>('a' + at % 26);
      check(upper, want);
      std::string accented = base.substr(0, at) + "\xC3\x89" + base.substr(at + 1);
      std::string folded = base.substr(0, at) + "e" + base.substr(at + 1);
      check(accented, folded);
    }
    std::string all_upper = base;
    for (char& c : all_upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    check(all_upper, base);
  }
}

TEST_CASE("HashBytes depends on every byte and on the length", "[gazetteer]") {
  // Every length class of the hash (under 4 bytes, 4 to 7, 8, longer with an overlapping tail).
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + (i * 7) % 26));
    const std::uint64_t h = HashBytes(s);
    for (std::size_t i = 0; i < n; ++i) {
      std::string t = s;
      t[i] = static_cast<char>(t[i] ^ 0x01);
      CHECK(HashBytes(t) != h);
    }
    CHECK(HashBytes(s + '\0') != h);  // a trailing zero byte is not the shorter string
  }
}

TEST_CASE("one word-class lookup answers every lexicon, as of the last Index()", "[gazetteer]") {
  Lexicons lex;
  lex.title_starts.insert("president");
  lex.function_words.insert("the");
  lex.common_words.insert("the");
  lex.sports_words.insert("innings");
  lex.Index();
  CHECK(lex.Classes("president") == kTitleStartWord);
  CHECK(lex.Classes("the") == (kFunctionWord | kCommonWord));
  CHECK(lex.Classes("innings") == kSportsWord);
  CHECK(lex.Classes("The") == 0);  // words as written: callers fold first
  CHECK(lex.Classes("talks") == 0);
  lex.common_words.insert("talks");
  CHECK(lex.Classes("talks") == 0);
  lex.Index();
  CHECK(lex.Classes("talks") == kCommonWord);
  CHECK(lex.Classes("the") == (kFunctionWord | kCommonWord));
}

TEST_CASE("the same lookup gives a word's gazetteer vocabulary id", "[gazetteer]") {
  Gazetteer g;
  REQUIRE(g.AddJson(R"j({"entries": [
      {"name": "Bank of the North", "type": "organization"},
      {"name": "Northland", "type": "country", "aliases": ["The North"]}]})j", "test").ok());
  const GazetteerMatcher matcher(g);
  // bank, of, the, north, northland: each folded token once, with ids from 1.
  REQUIRE(matcher.VocabularySize() == 5);
  CHECK(matcher.VocabularyWord(0).empty());
  CHECK(matcher.VocabularyWord(6).empty());
  Lexicons lex;
  lex.function_words.insert("the");
  lex.common_words.insert("talks");
  lex.Index(&matcher);
  for (std::uint32_t id = 1; id <= matcher.VocabularySize(); ++id) {
    const std::string_view word = matcher.VocabularyWord(id);
    CHECK(lex.Lookup(word).gazetteer_id == id);
    CHECK(lex.Lookup(word).classes == (word == "the" ? kFunctionWord : 0u));
  }
  CHECK(lex.Lookup("talks").classes == kCommonWord);
  CHECK(lex.Lookup("talks").gazetteer_id == 0);
  CHECK(lex.Lookup("North").gazetteer_id == 0);  // words as written: callers fold first
  // The ids are the ones the matcher's own lookups give: a cache filled from Lookup() finds
  // the same names as an empty one.
  const std::string text = "The Bank of the North lent to Northland.";
  const Segmentation seg = SentenceSplitter().Segment(text);
  const auto n = static_cast<std::uint32_t>(seg.tokens.size());
  std::vector<std::uint32_t> filled(n), empty(n, GazetteerMatcher::kUnknownToken);
  for (std::uint32_t k = 0; k < n; ++k)
    filled[k] = lex.Lookup(FoldForLookup(TokenText(text, seg.tokens[k]))).gazetteer_id;
  int found = 0;
  for (std::uint32_t k = 0; k < n; ++k) {
    GazetteerMatch a, b;
    const bool with_filled = matcher.LongestMatch(text, seg.tokens, k, n, &filled, &a);
    REQUIRE(with_filled == matcher.LongestMatch(text, seg.tokens, k, n, &empty, &b));
    if (!with_filled) continue;
    ++found;
    CHECK(a.token_end == b.token_end);
    CHECK(a.entry == b.entry);
  }
  // "Bank of the North" and "Northland" ("the North" is no alias: "The North" needs its
  // capital).
  CHECK(found == 2);
}

TEST_CASE("StringIdMap finds every key it was given, and nothing else, across growth",
          "[gazetteer]") {
  StringIdMap map;
  // (Appending, not "w" + ...: GCC 12 warns falsely about operator+ on a temporary.)
  auto key = [](std::uint32_t i) { std::string k = "w"; return k.append(std::to_string(i)); };
  CHECK(map.Find("anything") == StringIdMap::kMissing);
  for (std::uint32_t i = 0; i < 5000; ++i) CHECK(map.Insert(key(i), i) == i);
  CHECK(map.Insert("w17", 99) == 17);  // an existing key keeps its value
  CHECK(map.Insert("", 7) == 7);       // the empty string is a key like any other
  CHECK(map.size() == 5001);
  for (std::uint32_t i = 0; i < 5000; ++i) REQUIRE(map.Find(key(i)) == i);
  // With the hash given (a caller that hashed ahead, and prefetched: a hint, no change).
  for (std::uint32_t i = 0; i < 5000; ++i) {
    map.Prefetch(HashBytes(key(i)));
    REQUIRE(map.Find(key(i), HashBytes(key(i))) == i);
  }
  CHECK(map.Find("w5000", HashBytes("w5000")) == StringIdMap::kMissing);
  CHECK(map.Find("") == 7);
  CHECK(map.Find("w5000") == StringIdMap::kMissing);
  CHECK(map.Find("W1") == StringIdMap::kMissing);
  CHECK(map.key(0) == "w0");
  CHECK(map.key(map.size() - 1) == "");
}

TEST_CASE("StringIdMap keeps long keys, NUL bytes and keys alike in their first bytes apart",
          "[gazetteer]") {
  StringIdMap map;
  // Keys of 21 to 24 bytes straddle the size a slot holds itself; the rest of a longer key
  // lives elsewhere and must still be compared.
  const std::string stem = "Democratic Republic of";
  std::vector<std::string> keys;
  for (std::size_t n = 18; n <= stem.size(); ++n) keys.push_back(stem.substr(0, n));
  for (const char* tail : {" the Congo", " the Congo.", " Timor-Leste", " Somalia"})
    keys.push_back(stem + tail);
  keys.push_back(std::string("a\0b", 3));
  keys.push_back(std::string("a\0c", 3));
  keys.push_back(std::string(300, 'x'));
  keys.push_back(std::string(299, 'x') + "y");
  for (std::uint32_t i = 0; i < keys.size(); ++i) REQUIRE(map.Insert(keys[i], i) == i);
  // Enough other keys to make the table grow several times over the ones above.
  for (std::uint32_t i = 0; i < 3000; ++i) map.Insert(stem + " " + std::to_string(i), 1000 + i);
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    CHECK(map.Find(keys[i]) == i);
    CHECK(map.key(i) == keys[i]);
  }
  CHECK(map.Find(stem + " the Cong") == StringIdMap::kMissing);
  CHECK(map.Find(stem + " the Congo!") == StringIdMap::kMissing);
  CHECK(map.Find(std::string("a\0d", 3)) == StringIdMap::kMissing);
  CHECK(map.Find(std::string(300, 'y')) == StringIdMap::kMissing);
  CHECK(map.Find(stem + " 2999") == 3999);
}
