// Small UTF-8 helpers shared by the stages (internal header).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace newsgraph::utf8 {

// Decodes the code point at `i` (advancing `i`); invalid bytes decode as U+FFFD, one byte each.
inline char32_t Next(std::string_view s, std::size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) { ++*i; return c; }
  int need = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
  if (need < 0 || *i + need >= s.size()) { ++*i; return 0xFFFD; }
  char32_t cp = c & (0x3F >> need);
  for (int k = 1; k <= need; ++k) {
    const auto cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc & 0xC0) != 0x80) { ++*i; return 0xFFFD; }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += need + 1;
  return cp;
}

// Returns the code point starting at `i` without advancing.
inline char32_t At(std::string_view s, std::size_t i) { return Next(s, &i); }

inline bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

inline bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x2018; }

inline bool IsDash(char32_t c) { return c == '-' || (c >= 0x2010 && c <= 0x2015); }

// Letters: ASCII letters plus non-ASCII code points outside the punctuation and symbol blocks.
inline bool IsLetter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;   // punctuation, symbols, arrows, ...
  if (c >= 0x3000 && c <= 0x303F) return false;   // CJK punctuation
  if (c >= 0xFE30 && c <= 0xFE4F) return false;
  if (c >= 0xFF00 && c <= 0xFF20) return false;
  if (c >= 0x1F000) return false;                 // emoji and pictographs
  if (c == 0xFFFD) return false;
  return true;
}

inline bool IsUpper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x137) return (c & 1) == 0;
  if (c >= 0x139 && c <= 0x148) return (c & 1) == 1;
  if (c >= 0x14A && c <= 0x177) return (c & 1) == 0;
  if (c == 0x178 || c == 0x179 || c == 0x17B || c == 0x17D) return true;
  if (c >= 0x391 && c <= 0x3AB) return true;      // Greek
  if (c >= 0x400 && c <= 0x42F) return true;      // Cyrillic
  if (c >= 0x460 && c <= 0x4FF) return (c & 1) == 0;
  if (c >= 0x1E00 && c <= 0x1EFF) return (c & 1) == 0;  // Latin Extended Additional (Vietnamese)
  return false;
}

inline bool IsLowerLetter(char32_t c) { return IsLetter(c) && !IsUpper(c) && c >= 0x61; }

inline bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

// Appends the UTF-8 encoding of `c`.
inline void Append(std::string* out, char32_t c) {
  if (c < 0x80) { out->push_back(static_cast<char>(c)); }
  else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace newsgraph::utf8
