// Word lists the extractor consults (internal header).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "newsgraph/status.hpp"

namespace newsgraph {

struct Lexicons {
  std::vector<std::string> titles;              // "President", "Prime Minister", "Mr."
  std::unordered_set<std::string> given_names;  // "Gina", "Gordon"
  std::vector<std::string> role_words;          // lower-case: "secretary", "spokesman"
  std::unordered_set<std::string> title_starts; // folded first words of titles and roles
  std::unordered_set<std::string> function_words;  // capitalised only at sentence start
  std::unordered_set<std::string> common_words;    // lower-case common words (common_words.json)

  // Loads titles.json and given_names.json content; `origin` names them in messages.
  Status AddTitles(std::string_view json, const std::string& origin);
  Status AddGivenNames(std::string_view json, const std::string& origin);
  Status AddCommonWords(std::string_view json, const std::string& origin);
};

}  // namespace newsgraph
