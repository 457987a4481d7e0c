// Pattern rules: RE2 patterns that recognise and type entity names at candidate positions.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/status.hpp"

namespace newsgraph {

struct PatternRule {
  std::string id;        // unique, named in messages ("event.summit")
  std::string type;      // the entity type it assigns
  int priority = 50;     // higher wins where candidates overlap
  std::string pattern;   // RE2 syntax, {{MACRO}} expanded; matched anchored at a candidate token
  std::string group;     // optional named capture giving the entity span (default: whole match)
  std::string title_group;  // optional named capture recorded as the person's title
  std::string origin;       // the file that defined the rule, named in compile errors
};

// A compiled, immutable rule set. Built from JSON rule files; thread-safe to share.
class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // Adds the rules (and macros) of a rule JSON document; `origin` names it in messages. A rule
  // with an existing id replaces the old one.
  Status AddJson(std::string_view json, const std::string& origin);
  // Reads and adds a rule file.
  Status AddFile(const std::string& path);
  // Defines a macro usable as {{NAME}} in later patterns.
  void DefineMacro(const std::string& name, const std::string& regex);
  // Returns the regex a macro stands for, as defined (its own {{MACRO}}s unexpanded), or an
  // empty view when there is no such macro.
  std::string_view Macro(std::string_view name) const;
  // Compiles every rule; returns the first invalid pattern with its rule id and RE2's error.
  // The rules listed in `apart` (indexes into rules()) are left out of the set that MatchAt
  // runs, for a caller that knows where they can match to try them with MatchRule there: a
  // rule that opens with a long word list multiplies the set's states, and with them the cost
  // of every set match. With every rule set apart no set is built, and MatchAt finds nothing.
  Status Compile(const std::vector<std::size_t>& apart = {});

  struct Match {
    std::size_t rule = 0;       // index into rules()
    std::size_t begin = 0;      // entity span, byte offsets into the matched text
    std::size_t end = 0;
    std::size_t title_begin = 0, title_end = 0;  // empty when the rule records no title
  };
  // Appends to `out` every match anchored at the start of `text` of the rules not set apart
  // (one per rule, the leftmost-longest, in rule order). Requires Compile().
  void MatchAt(std::string_view text, std::vector<Match>* out) const;
  // Appends to `out` the match of rule `rule` (an index into rules()) anchored at the start of
  // `text`, if it has one. Requires Compile().
  void MatchRule(std::size_t rule, std::string_view text, std::vector<Match>* out) const;

  // The macro that every match of `pattern` (a rule's pattern before expansion) must open
  // with: "GIVEN" for "(?P<name>{{GIVEN}}\\s+...)", where no quantifier makes it optional and
  // no alternation offers another start. Empty when there is none, or when the pattern's
  // shape is beyond this simple reading (a flag group, a character class first).
  static std::string LeadingMacro(std::string_view pattern);

  // Returns the rules in their final order.
  const std::vector<PatternRule>& rules() const { return rules_; }

 private:
  std::vector<PatternRule> rules_;
  std::vector<std::pair<std::string, std::string>> macros_;
  struct Compiled;  // the RE2 objects, built by Compile()
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace newsgraph
