// Word lists the extractor consults (internal header).
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
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
  // Iterates the words, as string_views, in insertion order (an input iterator: it hands out
  // values, not references).
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string_view*;
    using reference = std::string_view;
    Iterator(const StringIdMap* words, std::size_t i) : words_(words), i_(i) {}
    std::string_view operator*() const { return words_->key(i_); }
    Iterator& operator++() { ++i_; return *this; }
    Iterator operator++(int) { Iterator old = *this; ++i_; return old; }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }
    bool operator!=(const Iterator& o) const { return i_ != o.i_; }

   private:
    const StringIdMap* words_;
    std::size_t i_;
  };
  Iterator begin() const { return Iterator(&words_, 0); }
  Iterator end() const { return Iterator(&words_, words_.size()); }

 private:
  StringIdMap words_;
};

// What a word is to the extractor, as bits: one lookup answers every list at once.
enum WordClass : std::uint32_t {
  kTitleStartWord = 1u << 0,  // in title_starts
  kFunctionWord = 1u << 1,    // in function_words
  kCommonWord = 1u << 2,      // in common_words
  kSportsWord = 1u << 3,      // in sports_words
  kGivenStart = 1u << 4,      // in given_starts
  // Bits 5-7 and 24-31: in rule_words[g], by Lexicons::RuleWordBit(g).
  // Bits 8-15 and 16-23: the fewest and the most words in a title that starts with this word
  // (0: no title does).
  kFewestTitleWordsShift = 8,
  kMostTitleWordsShift = 16,
};

class GazetteerMatcher;

// One lookup's answer about a folded word: its WordClass bits and its id in a gazetteer's
// vocabulary (GazetteerMatcher::VocabularyWord; 0: in no name).
struct WordInfo {
  std::uint32_t classes = 0;
  std::uint32_t gazetteer_id = 0;
};

struct Lexicons {
  std::vector<std::string> titles;              // "President", "Prime Minister", "Mr."
  WordSet given_names;  // "Gina", "Gordon"
  WordSet given_starts;  // folded first tokens of the given names ("gina", "jean" of "Jean-Luc")
  std::vector<std::string> role_words;          // lower-case: "secretary", "spokesman"
  WordSet title_starts; // folded first words of titles and roles
  WordSet function_words;  // capitalised only at sentence start
  WordSet common_words;    // lower-case common words (common_words.json)

  WordSet sports_words;    // lower-case words of sports reports ("innings", "striker")
  // Folded words the default rules need where they match (rule_filter.hpp), a group a rule;
  // with `inside`, a group's words may sit inside a token.
  std::vector<WordSet> rule_words;
  std::vector<bool> rule_words_inside;
  static constexpr std::size_t kMaxRuleWordGroups = 11;
  // Filled by Index(): the bits of all groups and of the `inside` ones; the words of `inside`
  // groups with their bits, their last bytes, and the shortest one's length (npos: none).
  std::uint32_t rule_word_bits = 0, inside_word_bits = 0;
  std::vector<std::pair<std::string, std::uint32_t>> inside_words;
  std::array<bool, 256> inside_word_last{};
  std::size_t shortest_inside_word = std::string::npos;
  // The WordClass bit of rule_words[g], g < kMaxRuleWordGroups.
  static constexpr std::uint32_t RuleWordBit(std::size_t g) {
    return g < 3 ? 1u << (5 + g) : 1u << (24 + (g - 3));
  }

  // Filled by Index(): the titles written in ASCII, lower-cased ("prime minister", "mr."), and
  // whether every ASCII title is plain: words separated by single spaces, no other white
  // space. Where they are, a title opens a text exactly when the text's first runs of
  // non-space characters, lower-cased and joined by single spaces, are one of them.
  WordSet ascii_titles;
  bool titles_plain = true;

  // Indexes the lists above for Classes() and Lookup(), with the vocabulary of `gazetteer`
  // (if any) for Lookup(); call after the last change to them.
  void Index(const GazetteerMatcher* gazetteer = nullptr);
  // The fewest and the most words in a title that starts with a word of these classes (0: no
  // title does).
  static std::size_t FewestTitleWords(std::uint32_t classes) {
    return (classes >> kFewestTitleWordsShift) & 0xFF;
  }
  static std::size_t MostTitleWords(std::uint32_t classes) {
    return (classes >> kMostTitleWordsShift) & 0xFF;
  }
  // Returns the WordClass bits of `w` as written (the lists hold folded words, so pass a folded
  // word to ask about a token case-insensitively).
  std::uint32_t Classes(std::string_view w) const { return Lookup(w).classes; }
  // Returns the WordClass bits and the gazetteer id of `w` as written (pass a folded word).
  WordInfo Lookup(std::string_view w) const { return Lookup(w, HashBytes(w)); }
  // The same, `hash` being HashBytes(w).
  WordInfo Lookup(std::string_view w, std::uint64_t hash) const {
    const std::uint32_t slot = words_.Find(w, hash);
    return slot == StringIdMap::kMissing ? WordInfo{} : infos_[slot];
  }
  // Loads into the cache where Lookup of a word with hash `hash` starts (see StringIdMap).
  [[gnu::always_inline]] void PrefetchLookup(std::uint64_t hash) const { words_.Prefetch(hash); }

  // Loads titles.json and given_names.json content; `origin` names them in messages.
  Status AddTitles(std::string_view json, const std::string& origin);
  Status AddGivenNames(std::string_view json, const std::string& origin);
  Status AddCommonWords(std::string_view json, const std::string& origin);

 private:
  StringIdMap words_;           // word -> index into infos_
  std::vector<WordInfo> infos_;
};

}  // namespace newsgraph
