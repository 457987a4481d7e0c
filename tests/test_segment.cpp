#include <catch2/catch.hpp>

#include <string>

#include "newsgraph/segment.hpp"

using namespace newsgraph;

namespace {
std::vector<std::string> Sentences(const std::string& text) {
  SentenceSplitter splitter;
  const Segmentation seg = splitter.Segment(text);
  std::vector<std::string> out;
  for (const auto& s : seg.sentences) out.push_back(text.substr(s.begin, s.end - s.begin));
  return out;
}
std::vector<std::string> Tokens(const std::string& text) {
  SentenceSplitter splitter;
  std::vector<std::string> out;
  for (const auto& t : splitter.Segment(text).tokens) out.emplace_back(TokenText(text, t));
  return out;
}
}  // namespace

TEST_CASE("titles and dotted abbreviations do not end sentences", "[segment]") {
  const auto s = Sentences(
      "Mr. Okafor met Dr. Lindqvist in St. Louis on Jan. 4. The U.S. delegation left early. "
      "Talks resumed at No. 10 later.");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "Mr. Okafor met Dr. Lindqvist in St. Louis on Jan. 4.");
  CHECK(s[1] == "The U.S. delegation left early.");
}

TEST_CASE("a dotted abbreviation ends a sentence before a sentence starter", "[segment]") {
  const auto s = Sentences("The envoy flew back to the U.K. The talks ended.");
  REQUIRE(s.size() == 2);
  CHECK(s[1] == "The talks ended.");
}

TEST_CASE("initials stay inside the sentence", "[segment]") {
  const auto s = Sentences("J. Mbeki spoke first. Then the chair replied.");
  REQUIRE(s.size() == 2);
  CHECK(s[0] == "J. Mbeki spoke first.");
}

TEST_CASE("closing quotes belong to the sentence they close", "[segment]") {
  const auto s = Sentences("She said: \xE2\x80\x9CWe will sign.\xE2\x80\x9D Then she left. \"Done?\" he asked.");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "She said: \xE2\x80\x9CWe will sign.\xE2\x80\x9D");
  CHECK(s[2] == "\"Done?\" he asked.");
}

TEST_CASE("blank lines separate paragraphs; a headline line is its own sentence", "[segment]") {
  SentenceSplitter splitter;
  const std::string text = "Ministers Meet in Oslo\n\nThe ministers met. They agreed.\n\nA new paragraph.";
  const Segmentation seg = splitter.Segment(text);
  REQUIRE(seg.paragraphs.size() == 3);
  REQUIRE(seg.sentences.size() == 4);
  CHECK(seg.sentences[0].paragraph == 0);
  CHECK(seg.sentences[2].paragraph == 1);
  CHECK(seg.sentences[3].paragraph == 2);
}

TEST_CASE("possessives split off with straight and curly apostrophes", "[segment]") {
  CHECK(Tokens("Kenya's plan") == std::vector<std::string>{"Kenya", "'s", "plan"});
  CHECK(Tokens("Kenya\xE2\x80\x99s plan") == std::vector<std::string>{"Kenya", "\xE2\x80\x99s", "plan"});
  CHECK(Tokens("O'Neill and Côte d'Ivoire") ==
        std::vector<std::string>{"O'Neill", "and", "Côte", "d'Ivoire"});
}

TEST_CASE("tokens keep byte offsets into UTF-8 text", "[segment]") {
  SentenceSplitter splitter;
  const std::string text = "Erdoğan met U.S. officials, 1,200 of them.";
  const Segmentation seg = splitter.Segment(text);
  REQUIRE(seg.tokens.size() >= 6);
  CHECK(TokenText(text, seg.tokens[0]) == "Erdoğan");
  CHECK(seg.tokens[0].end == 8);  // ğ is two bytes
  CHECK(TokenText(text, seg.tokens[2]) == "U.S.");
  CHECK(seg.tokens[2].Is(kDotted));
  CHECK(TokenText(text, seg.tokens[5]) == "1,200");
}

TEST_CASE("hyphenated words split so a country inside is found", "[segment]") {
  CHECK(Tokens("a Kenya-based firm") == std::vector<std::string>{"a", "Kenya", "-", "based", "firm"});
}

TEST_CASE("empty and space-only text give no sentences", "[segment]") {
  SentenceSplitter splitter;
  CHECK(splitter.Segment("").sentences.empty());
  CHECK(splitter.Segment("  \n\n ").sentences.empty());
}

namespace {
// Each token as its text and its flags, one letter a flag (W word, P punct, C capitalised,
// A all caps, D digit, L lower, S possessive, _ space before, N newline before, B blank line
// before, . dotted).
std::vector<std::string> Described(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : SentenceSplitter().Segment(text).tokens) {
    std::string d(TokenText(text, t));
    d += '|';
    const std::pair<TokenFlag, char> names[] = {
        {kWord, 'W'},       {kPunct, 'P'},        {kCapitalized, 'C'},    {kAllCaps, 'A'},
        {kHasDigit, 'D'},   {kLower, 'L'},        {kPossessive, 'S'},     {kSpaceBefore, '_'},
        {kNewlineBefore, 'N'}, {kParagraphBefore, 'B'}, {kDotted, '.'}};
    for (const auto& [flag, letter] : names)
      if (t.Is(flag)) d += letter;
    out.push_back(d);
  }
  return out;
}
}  // namespace

TEST_CASE("the tokenizer's classes of characters, ASCII and not", "[segment]") {
  // Every kind of white space, numbers with separators, acronyms with ampersands, internal
  // apostrophes and clitics, dotted abbreviations (and "A.B.C", which is none), digits in
  // words, and non-ASCII letters, capitals, combining marks and spaces.
  const std::string text =
      "AT&T and S&p\tpaid\v1,000.50 (G20)\fto O'Neill's\rteam; they didn't.\n"
      "U.S.-led e.g. A.B.C NATO's iPhone 3rd\n\n"
      "\xC3\x89tienne \xC3\xA9t\xC3\xA9 e\xCC\x81 x\xC2\xA0y \xE2\x80\x9CQ\xE2\x80\x9D nations' "
      "\xCE\x91\xCE\xB8 \xD0\x9C\xD0\x98\xD0\xA0 & , . - 12,a 3.b";
  const std::vector<std::string> want = {
      "AT&T|WCA",     "and|WL_",     "S|WCA_",      "&|P",          "p|WL",
      "paid|WL_",     "1,000.50|WD_", "(|P_",       "G20|WCAD",     ")|P",
      "to|WL_",       "O'Neill|WC_", "'s|S",        "team|WL_",     ";|P",
      "they|WL_",     "didn|WL_",    "'t|WL",       ".|P",          "U.S.|WCA_N.",
      "-|P",          "led|WL",      "e.g.|WL_.",   "A|WCA_",       ".|P",
      "B|WCA",        ".|P",         "C|WCA",       "NATO|WCA_",    "'s|S",
      "iPhone|WL_",   "3rd|WD_",     "\xC3\x89tienne|WC_NB",       "\xC3\xA9t\xC3\xA9|WL_",
      "e\xCC\x81|WL_", "x|WL_",      "y|WL_",       "\xE2\x80\x9C|P_", "Q|WCA",
      "\xE2\x80\x9D|P", "nations|WL_", "'|PS",      "\xCE\x91\xCE\xB8|WC_",
      "\xD0\x9C\xD0\x98\xD0\xA0|WCA_", "&|P_", ",|P_", ".|P_",   "-|P_",
      "12|WD_",       ",|P",         "a|WL",        "3|WD_",        ".|P",
      "b|WL"};
  CHECK(Described(text) == want);
}

TEST_CASE("words of any length keep their flags, wherever they end", "[segment]") {
  // Words of 1 to 40 characters, lower case, capitalised, all capitals and with a digit at
  // varying places, some continued by a non-ASCII letter, each followed by a space, a comma or
  // the end of the text: the tokenizer reads ASCII letters and digits in steps of sixteen
  // bytes where it can, and a word's end, kinds of characters and flags must not depend on
  // where a step falls.
  std::string text;
  std::vector<std::string> want;
  auto add = [&](const std::string& word, const char* after) {
    bool upper = false, lower = false, digit = false;
    for (std::size_t i = 0; i < word.size();) {
      const unsigned char c = static_cast<unsigned char>(word[i]);
      if (c >= 0x80) { lower = true; i += 2; continue; }  // only "é" here
      upper = upper || (c >= 'A' && c <= 'Z');
      lower = lower || (c >= 'a' && c <= 'z');
      digit = digit || (c >= '0' && c <= '9');
      ++i;
    }
    const unsigned char first = static_cast<unsigned char>(word[0]);
    std::string d = word + "|W";
    if (first >= 'A' && first <= 'Z') d += 'C';
    if (upper && !lower) d += 'A';
    if (digit) d += 'D';
    if (first >= 'a' && first <= 'z') d += 'L';
    if (!text.empty()) d += '_';
    if (!text.empty()) text += ' ';
    text += word;
    want.push_back(d);
    text += after;
    if (std::string(after) == ",") want.push_back(",|P");
  };
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string lower_word, capitalised, capitals;
    for (std::size_t i = 0; i < n; ++i) {
      lower_word += static_cast<char>('a' + i % 26);
      capitals += static_cast<char>('A' + i % 26);
    }
    capitalised = capitals.substr(0, 1) + lower_word.substr(1);
    const char* after = n % 3 == 0 ? "," : "";
    add(lower_word, after);
    add(capitalised, after);
    add(capitals, after);
    std::string with_digit = lower_word;
    with_digit[(n * 7) % n] = '7';
    add(with_digit, after);
    std::string capitals_digit = capitals;
    capitals_digit[n - 1] = '4';
    add(capitals_digit, after);
    add(capitals + "\xC3\xA9", after);  // a lower-case letter after the ASCII run
  }
  add("Closing17WordOfTheText", "");  // ends the text: no step of sixteen fits at its end
  CHECK(Described(text) == want);
}
