#include "newsgraph/segment.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "utf8.hpp"

namespace newsgraph {

namespace {

using utf8::IsApostrophe;
using utf8::IsDash;
using utf8::IsDigit;
using utf8::IsLetter;
using utf8::IsSpace;
using utf8::IsUpper;

// Abbreviations after which a period does not end a sentence.
const std::unordered_set<std::string_view>& NonFinalAbbreviations() {
  static const std::unordered_set<std::string_view> set = {
      "Mr", "Mrs", "Ms", "Messrs", "Mme", "Mlle", "Dr", "Prof", "Rev", "Fr", "St", "Ste", "Mt",
      "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt", "Brig",
      "Rep", "Reps", "Sen", "Sens", "Gov", "Hon", "Rt", "Pres", "Supt", "Insp", "Amb", "Atty",
      "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
      "No", "Nos", "Vol", "vol", "p", "pp", "Fig", "fig", "Art", "art", "approx", "ca", "cf",
      "vs", "v", "Ave", "Blvd", "Rd", "Dept", "Univ", "Assn", "Bros", "Gov't", "Op", "para"};
  return set;
}

// Words that, capitalised after a dotted abbreviation ("... the U.S. The talks"), start a
// new sentence; any other capitalised word continues it ("U.S. President").
const std::unordered_set<std::string_view>& SentenceStarters() {
  static const std::unordered_set<std::string_view> set = {
      "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
      "Those", "There", "In", "On", "At", "But", "And", "Or", "So", "Yet", "For", "As", "If",
      "When", "While", "After", "Before", "Some", "Many", "Most", "Its", "His", "Her", "Their",
      "Our", "Officials", "Mr", "Mrs", "Ms", "Dr", "However", "Meanwhile", "Still", "Earlier",
      "Later", "Last", "Next", "Both", "Such", "What", "Why", "How", "Who", "Where", "Asked"};
  return set;
}

bool IsTerminal(char32_t c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }
bool IsCloser(char32_t c) {
  return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == ')' || c == ']' ||
         c == 0xBB;
}

// What the tokenizer needs to know of an ASCII byte, in one table lookup (0: any other byte).
enum AsciiClass : std::uint8_t {
  kAsciiSpace = 1, kAsciiDigit = 2, kAsciiUpper = 4, kAsciiLower = 8
};
constexpr std::uint8_t kAsciiAlnum = kAsciiDigit | kAsciiUpper | kAsciiLower;
constexpr std::array<std::uint8_t, 256> kAsciiClasses = [] {
  std::array<std::uint8_t, 256> c{};
  for (const char b : {' ', '\t', '\n', '\r', '\f', '\v'})
    c[static_cast<unsigned char>(b)] = kAsciiSpace;
  for (int b = '0'; b <= '9'; ++b) c[b] = kAsciiDigit;
  for (int b = 'A'; b <= 'Z'; ++b) c[b] = kAsciiUpper;
  for (int b = 'a'; b <= 'z'; ++b) c[b] = kAsciiLower;
  return c;
}();

#if defined(__SSE2__)
// The ASCII letters and digits that open 16 bytes: how many, and which kinds (kAsciiDigit,
// kAsciiUpper, kAsciiLower) among them.
struct AsciiRun {
  unsigned length;
  std::uint8_t seen;
};
inline AsciiRun ScanAsciiAlnum(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Bytes in [lo, hi]: v - lo, unsigned, at most hi - lo.
  auto in_range = [&](char lo, char hi) {
    const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
  };
  const unsigned digit = static_cast<unsigned>(_mm_movemask_epi8(in_range('0', '9')));
  const unsigned upper = static_cast<unsigned>(_mm_movemask_epi8(in_range('A', 'Z')));
  const unsigned lower = static_cast<unsigned>(_mm_movemask_epi8(in_range('a', 'z')));
  const unsigned length = static_cast<unsigned>(__builtin_ctz(~(digit | upper | lower)));
  const unsigned within = (1u << length) - 1;  // length <= 16: no overflow
  std::uint8_t seen = 0;
  if (digit & within) seen |= kAsciiDigit;
  if (upper & within) seen |= kAsciiUpper;
  if (lower & within) seen |= kAsciiLower;
  return {length, seen};
}
#endif

// Tokenises `text` into `tokens`.
void Tokenize(std::string_view text, std::vector<Token>* tokens) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::uint16_t pending = 0;  // flags from the white space before the next token
  int newlines = 0;
  while (i < n) {
    std::size_t j = i;
    const auto lead = static_cast<unsigned char>(text[i]);
    // An ASCII byte is its own code point, its class one lookup; others are decoded.
    const char32_t c = lead < 0x80 ? (++j, lead) : utf8::Next(text, &j);
    if (lead < 0x80 ? (kAsciiClasses[lead] & kAsciiSpace) != 0 : IsSpace(c)) {
      pending |= kSpaceBefore;
      if (c == '\n') {
        ++newlines;
        pending |= kNewlineBefore;
        if (newlines >= 2) pending |= kParagraphBefore;
      }
      i = j;
      continue;
    }
    Token t;
    t.begin = static_cast<std::uint32_t>(i);
    t.flags = pending;
    pending = 0;
    newlines = 0;
    if (IsLetter(c) || IsDigit(c)) {
      // Dotted abbreviation: single letters each followed by a period (U.S., e.g.).
      std::size_t k = i;
      int letters = 0;
      auto ascii_letter = [&](std::size_t q) {
        return q < n && ((text[q] | 0x20) >= 'a' && (text[q] | 0x20) <= 'z');
      };
      while (ascii_letter(k) && k + 1 < n && text[k + 1] == '.') {
        ++letters;
        k += 2;
      }
      if (letters >= 2 && k < n && IsLetter(utf8::At(text, k))) letters = 0;
      if (letters >= 2) {
        t.end = static_cast<std::uint32_t>(k);
        t.flags |= kWord | kDotted;
        bool upper = true;
        for (std::size_t q = i; q < k; ++q)
          if (text[q] >= 'a' && text[q] <= 'z') upper = false;
        if (upper) t.flags |= kAllCaps;
        if (text[i] >= 'A' && text[i] <= 'Z') t.flags |= kCapitalized; else t.flags |= kLower;
        tokens->push_back(t);
        i = k;
        continue;
      }
      std::uint8_t seen = 0;  // kAsciiDigit, kAsciiUpper, kAsciiLower: what the word holds
      std::size_t end = i;
      std::size_t p = i;
      while (p < n) {
#if defined(__SSE2__)
        // Sixteen bytes at a time while they are ASCII letters and digits: one load and a few
        // compares find where the run ends, with no branch per byte to mispredict at a word's
        // end (most words end within the first sixteen).
        if (p + 16 <= n) {
          const AsciiRun run = ScanAsciiAlnum(text.data() + p);
          seen |= run.seen;
          p += run.length;
          end = p;
          if (run.length == 16) continue;
        }
#endif
        const auto b = static_cast<unsigned char>(text[p]);
        const std::uint8_t cls = kAsciiClasses[b];
        if (cls & kAsciiAlnum) {
          // An ASCII letter or digit, the common case: no decoding.
          seen |= cls;
          end = ++p;
          continue;
        }
        // Other ASCII bytes go on a word only as an apostrophe, a number's separator or an
        // acronym's ampersand (below).
        if (b < 0x80 && b != '\'' && b != ',' && b != '.' && b != '&') break;
        std::size_t q = p;
        const char32_t d = utf8::Next(text, &q);
        if (IsLetter(d) || IsDigit(d) || (d >= 0x300 && d <= 0x36F)) {
          if (IsDigit(d)) seen |= kAsciiDigit;
          else if (IsUpper(d)) seen |= kAsciiUpper;
          else seen |= kAsciiLower;
          p = q;
          end = p;
          continue;
        }
        if (p == end && q < n) {
          // Internal apostrophe (O'Brien, d'Ivoire) but not the possessive 's.
          if (IsApostrophe(d)) {
            std::size_t r = q;
            const char32_t e = utf8::Next(text, &r);
            if (IsLetter(e)) {
              const bool possessive = (e == 's' || e == 'S') &&
                                      (r >= n || !IsLetter(utf8::At(text, r)));
              const bool contraction_t = (e == 't') && (r >= n || !IsLetter(utf8::At(text, r)));
              if (!possessive && !contraction_t) { p = q; continue; }
            }
          }
          // Numbers with separators: 1,000 and 3.5.
          if ((d == ',' || d == '.') && seen == kAsciiDigit &&
              IsDigit(static_cast<unsigned char>(text[q]))) {
            p = q;
            continue;
          }
          // Ampersand inside capitalised acronyms: AT&T, S&P.
          if (d == '&' && (seen & (kAsciiUpper | kAsciiLower)) == kAsciiUpper && q < n &&
              IsUpper(utf8::At(text, q))) {
            p = q;
            continue;
          }
        }
        break;
      }
      t.end = static_cast<std::uint32_t>(end);
      t.flags |= kWord;
      if (IsUpper(c)) t.flags |= kCapitalized;  // c: the word's first character
      else if (IsLetter(c)) t.flags |= kLower;
      if ((seen & (kAsciiUpper | kAsciiLower)) == kAsciiUpper) t.flags |= kAllCaps;
      if (seen & kAsciiDigit) t.flags |= kHasDigit;
      tokens->push_back(t);
      i = end;
      continue;
    }
    // Possessive clitic: 's after a word, or a lone apostrophe after a plural (nations').
    if (IsApostrophe(c) && !tokens->empty() && !(t.flags & kSpaceBefore) &&
        tokens->back().Is(kWord)) {
      std::size_t r = j;
      if (r < n && (text[r] == 's' || text[r] == 'S') &&
          (r + 1 >= n || !IsLetter(utf8::At(text, r + 1)))) {
        t.end = static_cast<std::uint32_t>(r + 1);
        t.flags |= kPossessive;
        tokens->push_back(t);
        i = r + 1;
        continue;
      }
      if (r < n && text[r] == 't' && (r + 1 >= n || !IsLetter(utf8::At(text, r + 1)))) {
        t.end = static_cast<std::uint32_t>(r + 1);
        t.flags |= kWord | kLower;
        tokens->push_back(t);
        i = r + 1;
        continue;
      }
      if (r >= n || !IsLetter(utf8::At(text, r))) t.flags |= kPossessive;
    }
    t.end = static_cast<std::uint32_t>(j);
    t.flags |= kPunct;
    tokens->push_back(t);
    i = j;
  }
}

}  // namespace

SentenceSplitter::SentenceSplitter() = default;

Segmentation SentenceSplitter::Segment(std::string_view text) const {
  Segmentation seg;
  Segment(text, &seg);
  return seg;
}

void SentenceSplitter::Segment(std::string_view text, Segmentation* out) const {
  out->clear();
  auto& tokens = out->tokens;
  Tokenize(text, &tokens);
  const std::uint32_t n = static_cast<std::uint32_t>(tokens.size());
  if (n == 0) {
    return;
  }
  auto tok = [&](std::uint32_t k) { return TokenText(text, tokens[k]); };
  auto first_char = [&](std::uint32_t k) { return utf8::At(text, tokens[k].begin); };

  // Decides whether a sentence ends after token k (k + 1 < n).
  auto ends_after = [&](std::uint32_t k) -> bool {
    const Token& next = tokens[k + 1];
    if (next.Is(kParagraphBefore)) return true;
    const Token& t = tokens[k];
    const bool next_lower = next.Is(kLower) || (next.Is(kPunct) && first_char(k + 1) == ',');
    if (t.Is(kPunct)) {
      const char32_t c = first_char(k);
      if (IsTerminal(c)) {
        if (next.Is(kPunct) && IsTerminal(first_char(k + 1))) return false;  // "..." or "?!"
        if (next_lower || (next.Is(kHasDigit) && !next.Is(kSpaceBefore))) return false;
        if (c == '.' && k > 0 && !t.Is(kSpaceBefore)) {
          const Token& prev = tokens[k - 1];
          const std::string_view w = tok(k - 1);
          if (prev.Is(kWord) && NonFinalAbbreviations().count(w)) {
            // "No. 10", "Jan. 5" and titles never end a sentence; numbers after months do not.
            return false;
          }
          // An initial: "J. Biden".
          if (prev.Is(kWord) && prev.Is(kCapitalized) && prev.end - prev.begin == 1 &&
              next.Is(kCapitalized)) {
            return false;
          }
        }
        return true;
      }
      return false;
    }
    if (t.Is(kDotted)) {
      // "U.S." ends a sentence only before a word that typically starts one.
      if (next.Is(kCapitalized) && SentenceStarters().count(tok(k + 1))) return true;
      return false;
    }
    // A line without closing punctuation followed by a capitalised line: a headline or byline.
    if (next.Is(kNewlineBefore) && (next.Is(kCapitalized) || next.Is(kHasDigit)) &&
        !(t.Is(kPunct) && first_char(k) == ',')) {
      // Find the start of this line; short lines (under 100 bytes) are headlines.
      std::size_t line_start = text.rfind('\n', t.begin);
      line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
      return next.begin - line_start < 120;
    }
    return false;
  };

  // Paragraphs and sentences in one pass.
  std::uint32_t sent_start = 0;
  std::uint32_t para_start_tok = 0;
  auto close_sentence = [&](std::uint32_t end_tok) {  // tokens [sent_start, end_tok)
    Sentence s;
    s.first_token = sent_start;
    s.token_end = end_tok;
    s.begin = tokens[sent_start].begin;
    s.end = tokens[end_tok - 1].end;
    s.paragraph = static_cast<std::uint32_t>(out->paragraphs.size());
    out->sentences.push_back(s);
    sent_start = end_tok;
  };
  auto close_paragraph = [&](std::uint32_t end_tok) {
    Paragraph p;
    p.begin = tokens[para_start_tok].begin;
    p.end = tokens[end_tok - 1].end;
    out->paragraphs.push_back(p);
    para_start_tok = end_tok;
  };
  for (std::uint32_t k = 0; k < n; ++k) {
    if (k + 1 == n) {
      close_sentence(n);
      close_paragraph(n);
      break;
    }
    if (!ends_after(k)) continue;
    // Closing quotes and brackets right after the terminal belong to this sentence.
    std::uint32_t end = k + 1;
    while (end < n && tokens[end].Is(kPunct) && !tokens[end].Is(kSpaceBefore) &&
           IsCloser(first_char(end)) && !tokens[end].Is(kParagraphBefore)) {
      ++end;
    }
    // "Done?" he asked: a lower-case word after the closing quote continues the sentence.
    if (end < n && end > k + 1 && tokens[end].Is(kLower) && !tokens[end].Is(kNewlineBefore)) continue;
    close_sentence(end);
    if (end == n) {
      close_paragraph(n);
      break;
    }
    if (tokens[end].Is(kParagraphBefore)) close_paragraph(end);
    k = end - 1;
  }
}

}  // namespace newsgraph
