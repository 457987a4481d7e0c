// extract: finds entity mentions in a segmented document with gazetteers, rules and lexicons.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/segment.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

struct Mention {
  std::uint32_t begin = 0;  // UTF-8 byte offsets into the document text, end exclusive
  std::uint32_t end = 0;
  std::uint32_t sentence = 0;  // index into Segmentation::sentences
  std::string type;            // person, country, location, organization, event, document, ...
  std::string entity;          // canonical name
  std::string rule;            // what found it: "gazetteer", a rule id, or a heuristic's name
  std::string title;           // for people found after a title ("President"), else empty
};

struct ExtractorOptions {
  bool use_default_data = true;               // the gazetteers and rules compiled into newsgraph
  std::vector<std::string> gazetteer_files;   // user gazetteers, applied after the defaults
  std::vector<std::string> rule_files;        // user rule files, applied after the defaults
  bool demonyms = false;                      // emit demonyms (Chinese, Britons) as mentions
};

class GazetteerMatcher;
class RuleSet;
struct Lexicons;
struct RuleCondition;
struct ConditionIndex;

// Immutable after construction and safe to share between threads (like re2::RE2).
class EntityExtractor {
 public:
  explicit EntityExtractor(const ExtractorOptions& options = {});
  ~EntityExtractor();
  EntityExtractor(const EntityExtractor&) = delete;
  EntityExtractor& operator=(const EntityExtractor&) = delete;

  // Returns true when every resource loaded and compiled.
  bool ok() const { return status_.ok(); }
  // Returns why construction failed (file, line, rule id), or OK.
  const Status& status() const { return status_; }

  // Returns the mentions of `text`, sorted by offset and non-overlapping, with canonical names
  // from the gazetteers. Capitalised names no rule could type come back with an empty `type`:
  // EntityResolver types them from the rest of the document (a surname, an acronym) or drops
  // them.
  std::vector<Mention> Extract(std::string_view text, const Segmentation& seg) const;
  // The same, into `mentions` (replacing what it holds): the Mention objects already there are
  // written over, so that a caller that passes the same vector for document after document
  // reuses their strings' storage.
  void Extract(std::string_view text, const Segmentation& seg,
               std::vector<Mention>* mentions) const;

  // Returns the gazetteer matcher (for resolution and queries).
  const GazetteerMatcher& gazetteer() const { return *gazetteer_; }

 private:
  Status status_;
  ExtractorOptions options_;
  std::unique_ptr<GazetteerMatcher> gazetteer_;
  std::unique_ptr<RuleSet> rules_;
  std::unique_ptr<Lexicons> lexicons_;
  bool prefilter_rules_ = true;  // skip RE2 where no default rule can match (no user rules)
  // With the filter: the rules that open with a title or a given name (RuleSet::LeadingMacro),
  // kept out of the rule set and tried only where a title or a given name opens the text.
  std::vector<std::size_t> title_rules_, given_rules_;
  std::size_t longest_given_name_ = 0;  // bytes
  // With the filter: the other rules, each with the condition on the tokens at a candidate
  // that it needs to match there (src/rule_filter.hpp), in rule order. Each is tried with its
  // own RE2 where its condition holds; the rule set is not built.
  std::vector<RuleCondition> conditions_;
  std::unique_ptr<ConditionIndex> condition_index_;  // of conditions_
};

}  // namespace newsgraph
