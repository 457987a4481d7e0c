// Where each default rule can match: conditions on the tokens at a candidate word that a
// rule's pattern needs to match there (internal header).
//
// The extractor tries a rule with RE2 only where its condition holds. A condition is written
// for one pattern, quoted in rule_filter.cpp: a rule whose pattern differs (an edited
// rules.json) gets no condition and is tried wherever a rule can start. Word lists come from
// the macros at run time (ORG_HEAD, ELECTION), so editing a list keeps its condition exact.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newsgraph {

class RuleSet;
struct Lexicons;

// Expands `regex`, a pattern that spells a finite set of strings, into those strings: literal
// characters, escaped punctuation ("\."), (?:...) groups with '|', character sets of literal
// characters ("[sz]", "[eé]"), '?' after a character or group, and \s, \s?, \s+ and \s*
// (written as one space, or nothing for \s? and \s*). A group followed by '*' is written as
// `star`, a character no expansion has: it stands for any text, so a string of the result
// says which characters occur together, not what the group adds. Returns false for any other
// syntax or more than `limit` strings.
bool ExpandLiteralPattern(std::string_view regex, std::size_t limit, char star,
                          std::vector<std::string>* out);

enum class RuleNeed : std::uint8_t {
  kNothing,      // no known condition: tried wherever a rule can start
  kWordInReach,  // a word of the rule's list among the tokens from the candidate to its reach
  kApposition,   // a comma at the reach, then a determiner ("Ana Ruiz, the minister")
  kInitial,      // the text opens with one character and a dot ("J. Smith")
  kPrefix,       // the text opens with `prefix` ("COP")
  kFirstWord,    // the candidate's word is a word of the rule's list
};

struct RuleCondition {
  std::size_t rule = 0;  // index into RuleSet::rules()
  RuleNeed need = RuleNeed::kNothing;
  std::uint32_t word_bit = 0;  // kWordInReach, kFirstWord: the WordClass bit of the list
  // kWordInReach: the listed words may sit inside a token ("election" in "snapelection", as
  // the ELECTION macro lets its words run together); else a token starts with one.
  bool inside = false;
  std::string prefix;  // kPrefix
};

// The conditions of `rules` (those not in `skip`), in rule order. The word lists go into
// `lexicons` as rule word groups; call it before Lexicons::Index().
std::vector<RuleCondition> PlanRuleConditions(const RuleSet& rules,
                                              const std::vector<std::size_t>& skip,
                                              Lexicons* lexicons);

// A plan's conditions (at most kMaxIndexed) indexed by what they look at, so that those that
// hold at a candidate come out as a mask (bit i: conditions[i]) without visiting each one.
struct ConditionIndex {
  static constexpr std::size_t kMaxIndexed = 64;
  std::uint64_t always = 0;  // kNothing
  // By WordClass bit: the kWordInReach conditions on that bit (any of their bits), and the
  // kFirstWord ones.
  std::array<std::uint64_t, 32> in_reach{}, first_word{};
  std::uint32_t in_reach_bits = 0, first_word_bits = 0;  // the bits with any
  std::uint64_t others = 0;  // the conditions on the text (kApposition, kInitial, kPrefix)
};

// Indexes `conditions`; false (and `index` left empty) when there are too many.
bool IndexConditions(const std::vector<RuleCondition>& conditions, ConditionIndex* index);

}  // namespace newsgraph
