// Word lists the extractor consults (internal header).
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "newsgraph/status.hpp"

namespace newsgraph {

// A set of words looked up by string_view (no std::string built per lookup).
class WordSet {
 public:
  void insert(std::string w) {
    if (set_.count(w)) return;
    storage_.push_back(std::move(w));
    set_.insert(storage_.back());
  }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) insert(std::string(*first));
  }
  std::size_t count(std::string_view w) const { return set_.count(w); }
  std::size_t size() const { return storage_.size(); }
  // Iterates in insertion order.
  std::deque<std::string>::const_iterator begin() const { return storage_.begin(); }
  std::deque<std::string>::const_iterator end() const { return storage_.end(); }

 private:
  std::deque<std::string> storage_;  // stable addresses for the views in set_
  std::unordered_set<std::string_view> set_;
};

struct Lexicons {
  std::vector<std::string> titles;              // "President", "Prime Minister", "Mr."
  WordSet given_names;  // "Gina", "Gordon"
  std::vector<std::string> role_words;          // lower-case: "secretary", "spokesman"
  WordSet title_starts; // folded first words of titles and roles
  WordSet function_words;  // capitalised only at sentence start
  WordSet common_words;    // lower-case common words (common_words.json)

  // Loads titles.json and given_names.json content; `origin` names them in messages.
  Status AddTitles(std::string_view json, const std::string& origin);
  Status AddGivenNames(std::string_view json, const std::string& origin);
  Status AddCommonWords(std::string_view json, const std::string& origin);
};

}  // namespace newsgraph
