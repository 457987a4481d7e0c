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
  // Compiles every rule; returns the first invalid pattern with its rule id and RE2's error.
  Status Compile();

  struct Match {
    std::size_t rule = 0;       // index into rules()
    std::size_t begin = 0;      // entity span, byte offsets into the matched text
    std::size_t end = 0;
    std::size_t title_begin = 0, title_end = 0;  // empty when the rule records no title
  };
  // Appends to `out` every rule match anchored at the start of `text` (one per rule, the
  // leftmost-longest). Requires Compile().
  void MatchAt(std::string_view text, std::vector<Match>* out) const;

  // Returns the rules in their final order.
  const std::vector<PatternRule>& rules() const { return rules_; }

 private:
  std::vector<PatternRule> rules_;
  std::vector<std::pair<std::string, std::string>> macros_;
  struct Compiled;  // the RE2 objects, built by Compile()
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace newsgraph
