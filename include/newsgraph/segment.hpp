// segment: paragraphs, sentences and tokens, as UTF-8 byte offsets into the original text.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace newsgraph {

// Token shape flags, computed once so later stages never re-scan bytes.
enum TokenFlag : std::uint16_t {
  kWord = 1 << 0,         // letters and/or digits (may contain internal . ' -)
  kPunct = 1 << 1,        // a single punctuation or symbol character
  kCapitalized = 1 << 2,  // first character is an upper-case letter
  kAllCaps = 1 << 3,      // at least one letter and no lower-case letters
  kHasDigit = 1 << 4,
  kLower = 1 << 5,        // first character is a lower-case letter
  kPossessive = 1 << 6,   // the possessive clitic 's / ’s, or a lone trailing apostrophe
  kSpaceBefore = 1 << 7,  // white space precedes the token
  kNewlineBefore = 1 << 8,
  kParagraphBefore = 1 << 9,  // a blank line precedes the token
  kDotted = 1 << 10,          // a dotted abbreviation such as U.S. (the final dot included)
};

struct Token {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint16_t flags = 0;
  bool Is(TokenFlag f) const { return (flags & f) != 0; }
};

struct Sentence {
  std::uint32_t begin = 0;        // byte offset of the first token
  std::uint32_t end = 0;          // byte offset after the last token
  std::uint32_t first_token = 0;  // index into Segmentation::tokens
  std::uint32_t token_end = 0;    // one past the last token
  std::uint32_t paragraph = 0;    // index into Segmentation::paragraphs
};

struct Paragraph {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct Segmentation {
  std::vector<Token> tokens;
  std::vector<Sentence> sentences;
  std::vector<Paragraph> paragraphs;
  void clear() { tokens.clear(); sentences.clear(); paragraphs.clear(); }
};

// Splits text into paragraphs (blank lines), sentences (aware of abbreviations, initials,
// quotes and brackets) and tokens. Stateless and thread-safe.
class SentenceSplitter {
 public:
  SentenceSplitter();

  // Returns the segmentation of `text`; offsets are byte offsets into `text`.
  Segmentation Segment(std::string_view text) const;
  // Same, reusing `out`'s storage (the hot path).
  void Segment(std::string_view text, Segmentation* out) const;
};

// Returns the text of `t` in `text`.
inline std::string_view TokenText(std::string_view text, const Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

}  // namespace newsgraph
