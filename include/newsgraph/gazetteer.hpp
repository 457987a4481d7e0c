// Gazetteers: known names with their canonical form and type, matched over tokens with a trie.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "newsgraph/segment.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct GazetteerEntry {
  std::string name;                    // canonical name
  std::string type;                    // entity type
  std::vector<std::string> aliases;    // other surface forms
  std::vector<std::string> demonyms;   // adjectives and plurals (Chinese, Britons)
};

// A set of entries assembled from JSON files. Later files override earlier ones: an entry with
// the same name replaces the old one, and "suppress" removes names or aliases.
class Gazetteer {
 public:
  // Adds the entries of a gazetteer JSON document; `origin` names it in error messages.
  Status AddJson(std::string_view json, const std::string& origin);
  // Reads and adds a gazetteer JSON file.
  Status AddFile(const std::string& path);
  // Adds (or replaces, by name) one entry.
  void Add(GazetteerEntry entry);
  // Removes every entry named `name_or_alias` and every alias spelled so.
  void Suppress(const std::string& name_or_alias);

  // Returns the entries in insertion order.
  const std::vector<GazetteerEntry>& entries() const { return entries_; }

 private:
  std::vector<GazetteerEntry> entries_;
  std::unordered_map<std::string, std::size_t> by_name_;
};

// One gazetteer hit: tokens [first_token, token_end) spell an alias of entry `entry`.
struct GazetteerMatch {
  std::uint32_t first_token = 0;
  std::uint32_t token_end = 0;
  std::uint32_t entry = 0;
  bool demonym = false;
};

// Compiles a Gazetteer into a token trie. Immutable after construction; thread-safe to share.
class GazetteerMatcher {
 public:
  explicit GazetteerMatcher(const Gazetteer& gazetteer);
  ~GazetteerMatcher();
  GazetteerMatcher(const GazetteerMatcher&) = delete;
  GazetteerMatcher& operator=(const GazetteerMatcher&) = delete;

  // Returns the longest match starting at token `first` and ending before `limit`, if any.
  bool LongestMatch(std::string_view text, const std::vector<Token>& tokens, std::uint32_t first,
                    std::uint32_t limit, GazetteerMatch* match) const;
  // The same, with a per-document cache of token ids: `token_ids` holds one entry per token of
  // `tokens`, kUnknownToken where not looked up yet. Each token is then folded and looked up
  // at most once per document, however many matches are tried across it.
  static constexpr std::uint32_t kUnknownToken = 0xFFFFFFFF;
  bool LongestMatch(std::string_view text, const std::vector<Token>& tokens, std::uint32_t first,
                    std::uint32_t limit, std::vector<std::uint32_t>* token_ids,
                    GazetteerMatch* match) const;
  // The vocabulary of the names: the folded tokens, by the ids LongestMatch gives them (from
  // 1 to VocabularySize(); 0: not in any name). A caller that looks tokens up itself can fill
  // LongestMatch's `token_ids` with them.
  std::uint32_t VocabularySize() const;
  std::string_view VocabularyWord(std::uint32_t id) const;
  // Returns the entry a match refers to.
  const GazetteerEntry& entry(std::uint32_t index) const { return entries_[index]; }
  // Returns the entry whose name or alias is `surface` (normalised), or nullptr.
  const GazetteerEntry* Find(std::string_view surface) const;

 private:
  struct Trie;
  std::vector<GazetteerEntry> entries_;
  std::unique_ptr<Trie> trie_;
};

// Folds a surface form for lookups: ASCII lower case, curly apostrophes and quotes to straight,
// common Latin diacritics removed, runs of spaces and hyphens kept as they are.
std::string FoldForLookup(std::string_view surface);
// Same, into `out` (replacing its content, reusing its storage).
void FoldForLookup(std::string_view surface, std::string* out);
// Same, as a view: `surface` itself where folding would leave it unchanged (ASCII without
// capitals, most words), else the folded text written into `buffer`.
std::string_view FoldedView(std::string_view surface, std::string* buffer);

}  // namespace newsgraph
