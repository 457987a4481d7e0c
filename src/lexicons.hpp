// Word lists the extractor consults (internal header).
#pragma once

#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "flat_hash.hpp"

#include "newsgraph/status.hpp"

namespace newsgraph {

// A set of words looked up by string_view (no std::string built per lookup).
class WordSet {
 public:
  WordSet() = default;
  WordSet(std::initializer_list<std::string_view> words) { insert(words.begin(), words.end()); }
  void insert(std::string_view w) { words_.Insert(w, 0); }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(std::string_view(*first));
  }
  std::size_t count(std::string_view w) const { return words_.Find(w) != StringIdMap::kMissing; }
  std::size_t size() const { return words_.size(); }
  // Iterates in insertion order.
  std::deque<std::string>::const_iterator begin() const { return words_.keys().begin(); }
  std::deque<std::string>::const_iterator end() const { return words_.keys().end(); }

 private:
  StringIdMap words_;
};

// What a word is to the extractor, as bits: one lookup answers every list at once.
enum WordClass : std::uint32_t {
  kTitleStartWord = 1u << 0,  // in title_starts
  kFunctionWord = 1u << 1,    // in function_words
  kCommonWord = 1u << 2,      // in common_words
  kSportsWord = 1u << 3,      // in sports_words
  // Bits 8-15 and 16-23: the fewest and the most words in a title that starts with this word
  // (0: no title does).
  kFewestTitleWordsShift = 8,
  kMostTitleWordsShift = 16,
};

struct Lexicons {
  std::vector<std::string> titles;              // "President", "Prime Minister", "Mr."
  WordSet given_names;  // "Gina", "Gordon"
  std::vector<std::string> role_words;          // lower-case: "secretary", "spokesman"
  WordSet title_starts; // folded first words of titles and roles
  WordSet function_words;  // capitalised only at sentence start
  WordSet common_words;    // lower-case common words (common_words.json)

  WordSet sports_words;    // lower-case words of sports reports ("innings", "striker")

  // Filled by Index(): the titles written in ASCII, lower-cased ("prime minister", "mr."), and
  // whether every ASCII title is plain: words separated by single spaces, no other white
  // space. Where they are, a title opens a text exactly when the text's first runs of
  // non-space characters, lower-cased and joined by single spaces, are one of them.
  WordSet ascii_titles;
  bool titles_plain = true;

  // Indexes the lists above for Classes(); call after the last change to them.
  void Index();
  // Returns the WordClass bits of `w` as written (the lists hold folded words, so pass a folded
  // word to ask about a token case-insensitively).
  // The fewest and the most words in a title that starts with a word of these classes (0: no
  // title does).
  static std::size_t FewestTitleWords(std::uint32_t classes) {
    return (classes >> kFewestTitleWordsShift) & 0xFF;
  }
  static std::size_t MostTitleWords(std::uint32_t classes) {
    return (classes >> kMostTitleWordsShift) & 0xFF;
  }
  std::uint32_t Classes(std::string_view w) const {
    const std::uint32_t bits = classes_.Find(w);
    return bits == StringIdMap::kMissing ? 0 : bits;
  }

  // Loads titles.json and given_names.json content; `origin` names them in messages.
  Status AddTitles(std::string_view json, const std::string& origin);
  Status AddGivenNames(std::string_view json, const std::string& origin);
  Status AddCommonWords(std::string_view json, const std::string& origin);

 private:
  StringIdMap classes_;  // word -> WordClass bits
};

}  // namespace newsgraph
