#include "rule_filter.hpp"

#include <algorithm>

#include "lexicons.hpp"
#include "newsgraph/gazetteer.hpp"
#include "newsgraph/rules.hpp"
#include "newsgraph/segment.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

// A recursive-descent reading of the literal patterns ExpandLiteralPattern accepts.
class LiteralExpander {
 public:
  LiteralExpander(std::string_view regex, std::size_t limit, char star)
      : s_(regex), limit_(limit), star_(star) {}

  bool Run(std::vector<std::string>* out) { return Alternation(out) && pos_ == s_.size(); }

 private:
  bool Alternation(std::vector<std::string>* out) {
    out->clear();
    std::vector<std::string> branch;
    for (;;) {
      if (!Sequence(&branch)) return false;
      out->insert(out->end(), branch.begin(), branch.end());
      if (out->size() > limit_) return false;
      if (pos_ >= s_.size() || s_[pos_] != '|') return true;
      ++pos_;
    }
  }

  // Appends every choice of `atom` to every string of `acc`.
  bool Append(std::vector<std::string>* acc, const std::vector<std::string>& atom) {
    if (acc->size() * atom.size() > limit_) return false;
    std::vector<std::string> next;
    next.reserve(acc->size() * atom.size());
    for (const auto& a : *acc)
      for (const auto& b : atom) next.push_back(a + b);
    *acc = std::move(next);
    return true;
  }

  bool Sequence(std::vector<std::string>* out) {
    std::vector<std::string> acc = {""};
    while (pos_ < s_.size() && s_[pos_] != '|' && s_[pos_] != ')') {
      std::vector<std::string> atom;
      bool group = false;
      const char c = s_[pos_];
      if (s_.substr(pos_, 3) == "(?:") {
        pos_ += 3;
        if (!Alternation(&atom) || pos_ >= s_.size() || s_[pos_] != ')') return false;
        ++pos_;
        group = true;
      } else if (c == '[') {
        const std::size_t close = s_.find(']', pos_ + 1);
        if (close == std::string_view::npos || close == pos_ + 1) return false;
        const std::string_view set = s_.substr(pos_ + 1, close - pos_ - 1);
        for (std::size_t i = 0; i < set.size();) {
          const std::size_t from = i;
          utf8::Next(set, &i);
          const std::string_view ch = set.substr(from, i - from);
          if (ch == "\\" || ch == "^" || ch == "-" || ch == "[") return false;
          atom.emplace_back(ch);
        }
        pos_ = close + 1;
      } else if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return false;
        const char e = s_[pos_ + 1];
        pos_ += 2;
        if (e == 's') {
          const char q = pos_ < s_.size() ? s_[pos_] : '\0';
          if (q == '+') ++pos_;
          if (q == '?' || q == '*') {
            ++pos_;
            atom = {"", " "};
          } else {
            atom = {" "};
          }
          if (!Append(&acc, atom)) return false;
          continue;
        }
        // Escaped punctuation stands for itself; \d, \p, \b and the like are not literal.
        const auto u = static_cast<unsigned char>(e);
        if (u >= 0x80 || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z') || (u >= '0' && u <= '9'))
          return false;
        atom = {std::string(1, e)};
      } else if (c == '(' || c == '.' || c == '^' || c == '$' || c == '*' || c == '+' ||
                 c == '?' || c == '{' || c == '}' || c == ']') {
        return false;
      } else {
        const std::size_t from = pos_;
        utf8::Next(s_, &pos_);
        atom = {std::string(s_.substr(from, pos_ - from))};
      }
      if (pos_ < s_.size() && s_[pos_] == '?') {
        ++pos_;
        atom.emplace_back();
      } else if (group && pos_ < s_.size() && s_[pos_] == '*') {
        ++pos_;
        atom = {std::string(1, star_)};
      }
      if (pos_ < s_.size() && (s_[pos_] == '*' || s_[pos_] == '+' || s_[pos_] == '{' ||
                               s_[pos_] == '?'))
        return false;  // a repeated character or group, or a lazy quantifier
      if (!Append(&acc, atom)) return false;
    }
    *out = std::move(acc);
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t limit_;
  char star_;
};

// The condition of each default rule, and the pattern (as in rules.json, before macro
// expansion) it was derived from. The derivations rest on what MayContinueRule (extract.cpp)
// says of every token a rule match covers after its first: it is a capitalised word, a
// number, a joiner of names or an ELECTION word. So a match's tokens run from the candidate
// to before the first token that cannot continue one: the candidate's reach.
struct KnownRule {
  std::string_view id;
  std::string_view pattern;
  RuleNeed need;
  // kWordInReach, kFirstWord: the words, as a macro's name or a literal pattern.
  std::string_view words;
  bool inside = false;
  std::string_view prefix = {};
};

constexpr KnownRule kKnownRules[] = {
    // The name runs from the candidate to the comma: the comma is the reach.
    {"person.apposition",
     R"re((?P<name>{{CAP}}(?:\s+(?:{{PARTICLE}}\s+)*{{CAP}}){1,3}),\s+(?:the|a|an|its|his|her|their)\s+(?:[\p{L}\p{Nd}.'’-]+\s+){0,4}?(?:{{ROLE}})\b)re",
     RuleNeed::kApposition, "the|a|an|its|his|her|their"},
    // The head follows white space, so a token starts with it: with its first word.
    {"event.named",
     R"re((?:(?:\d{4}|\d+(?:st|nd|rd|th))\s+)?(?:{{CAPNUM}}{{JOIN}})*?{{CAPNUM}}\s+{{EVENT_HEAD}}(?:\s+{{ROMAN}}\b)?(?:\s+(?:of|on)\s+(?:the\s+)?{{CAP}}(?:\s+(?:and\s+)?{{CAP}})*)?(?:\s+\d{4})?\b)re",
     RuleNeed::kWordInReach, "EVENT_HEAD"},
    {"event.head_first",
     R"re((?:Summit|Conference|Congress|Battle|Siege|Festival)\s+(?:of|on|for)\s+(?:the\s+)?{{CAP}}(?:\s+(?:and\s+)?{{CAP}})*)re",
     RuleNeed::kFirstWord, "Summit|Conference|Congress|Battle|Siege|Festival"},
    {"event.cop", R"re(COP\s?\d{1,2}\b)re", RuleNeed::kPrefix, {}, false, "COP"},
    // ELECTION lets its words run together ("snapelection"): a token holds the last one.
    {"event.election",
     R"re((?:\d{4}\s+(?:and\s+\d{4}\s+)?)?(?:{{CAP}}(?:\s+of\s+{{CAP}})?\s+)+{{ELECTION}}(?:\s+in\s+(?:the\s+)?{{CAP}}(?:\s+{{CAP}})*)?\b)re",
     RuleNeed::kWordInReach, "ELECTION", true},
    {"document.named",
     R"re((?:{{CAPNUM}}{{JOIN}})*?{{CAPNUM}}\s+{{DOC_HEAD}}(?:\s+(?:of|on)\s+(?:the\s+)?{{CAP}}(?:\s+{{CAP}})*)?\b)re",
     RuleNeed::kWordInReach, "DOC_HEAD"},
    {"document.head_first",
     R"re((?:Treaty|Declaration|Convention|Charter|Protocol|Statute|Act|Agreement|Accords?)\s+(?:of|on|for|between)\s+(?:the\s+)?{{CAP}}(?:{{JOIN}}{{CAP}})*)re",
     RuleNeed::kFirstWord,
     "Treaty|Declaration|Convention|Charter|Protocol|Statute|Act|Agreement|Accords?"},
    {"document.resolution", R"re((?:(?:{{CAP}}\s+)*)Resolution\s+(?:No\.?\s*)?\d+)re",
     RuleNeed::kWordInReach, "Resolution"},
    {"organization.named",
     R"re((?:{{CAPNUM}}{{JOIN}})*?{{CAPNUM}}\s+{{ORG_HEAD}}{{OFPLACE}}?\b)re",
     RuleNeed::kWordInReach, "ORG_HEAD"},
    {"organization.head_first",
     R"re((?:Ministry|Department|Bank|University|Office|Council|Commission|Institute|Organi[sz]ation|Federation|Union|League|Association|Court|Party|Academy|Church|Museum|Chamber|Board|Court|House|Federal Reserve Bank)\s+(?:of|for)\s+(?:the\s+)?{{CAP}}(?:{{JOIN}}{{CAP}})*)re",
     RuleNeed::kFirstWord,
     "Ministry|Department|Bank|University|Office|Council|Commission|Institute|Organi[sz]ation|"
     "Federation|Union|League|Association|Court|Party|Academy|Church|Museum|Chamber|Board|Court|"
     "House|Federal Reserve Bank"},
    {"person.initial",
     R"re((?P<name>\p{Lu}\.(?:\s?\p{Lu}\.)?\s*(?:{{PARTICLE}}\s+)*(?:al-|el-)?{{CAP}}(?:\s+{{CAP}})?)\b)re",
     RuleNeed::kInitial, {}},
    {"location.facility",
     R"re((?:{{CAP}}\s+){1,3}(?:Road|Street|Avenue|Boulevard|Lane|Square|Stadium|Arena|Park|Bridge|Ground|Golf Course|Racecourse|Airport|Palace|Castle|Cathedral|Abbey|Gardens|Valley|Heights)\b)re",
     RuleNeed::kWordInReach,
     "Road|Street|Avenue|Boulevard|Lane|Square|Stadium|Arena|Park|Bridge|Ground|Golf Course|"
     "Racecourse|Airport|Palace|Castle|Cathedral|Abbey|Gardens|Valley|Heights"},
};

// Stands for a starred group in an expansion; no pattern spells it.
constexpr char kStar = '\x01';
constexpr std::size_t kMaxWords = 4096;

bool IsMacroName(std::string_view words) {
  return !words.empty() && std::all_of(words.begin(), words.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || c == '_';
  });
}

// The folded words a token holds where a string of `words` (a macro's name or a pattern)
// occurs in a text: the first token of each string, or with `inside`, its longest run of
// letters. False where the pattern is beyond ExpandLiteralPattern, or a word is not plain
// letters.
bool ListWords(const RuleSet& rules, std::string_view words, bool inside,
               std::vector<std::string>* out) {
  std::string_view regex = words;
  if (IsMacroName(words)) regex = rules.Macro(words);
  std::vector<std::string> strings;
  if (regex.empty() || !ExpandLiteralPattern(regex, kMaxWords, kStar, &strings)) return false;
  const SentenceSplitter tokenizer;
  for (const std::string& s : strings) {
    std::string_view word;
    if (inside) {
      auto letter = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
      };
      for (std::size_t i = 0; i < s.size();) {
        if (!letter(s[i])) { ++i; continue; }
        std::size_t j = i;
        while (j < s.size() && letter(s[j])) ++j;
        if (j - i > word.size()) word = std::string_view(s).substr(i, j - i);
        i = j;
      }
      // The tokenizer splits no run of ASCII letters; other characters it may.
      if (std::any_of(word.begin(), word.end(),
                      [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        return false;
    } else {
      const Segmentation seg = tokenizer.Segment(s);
      if (!seg.tokens.empty() && seg.tokens[0].begin == 0) word = TokenText(s, seg.tokens[0]);
      // Letters only: then a text's token at the word starts with it, and where it goes on in
      // ASCII letters the pattern cannot match there. A dotted word ("U.N.") may be cut short
      // in a text ("U.N.x"), and is not looked for.
      for (std::size_t i = 0; i < word.size();) {
        if (!utf8::IsLetter(utf8::Next(word, &i))) return false;
      }
    }
    if (word.empty()) return false;  // a string with no word: nothing to look for
    out->push_back(FoldForLookup(word));
  }
  return true;
}

}  // namespace

bool ExpandLiteralPattern(std::string_view regex, std::size_t limit, char star,
                          std::vector<std::string>* out) {
  return LiteralExpander(regex, limit, star).Run(out);
}

std::vector<RuleCondition> PlanRuleConditions(const RuleSet& rules,
                                              const std::vector<std::size_t>& skip,
                                              Lexicons* lexicons) {
  std::vector<RuleCondition> plan;
  for (std::size_t i = 0; i < rules.rules().size(); ++i) {
    if (std::find(skip.begin(), skip.end(), i) != skip.end()) continue;
    const PatternRule& rule = rules.rules()[i];
    RuleCondition& c = plan.emplace_back();
    c.rule = i;
    const auto known = std::find_if(std::begin(kKnownRules), std::end(kKnownRules),
                                    [&](const KnownRule& k) { return k.id == rule.id; });
    if (known == std::end(kKnownRules) || known->pattern != rule.pattern) continue;
    // A list written out must be the pattern's own (a guard against a slip in the table).
    if (!known->words.empty() && !IsMacroName(known->words) &&
        known->pattern.find(known->words) == std::string_view::npos)
      continue;
    std::vector<std::string> words;
    const bool listed = known->need == RuleNeed::kWordInReach ||
                        known->need == RuleNeed::kFirstWord ||
                        known->need == RuleNeed::kApposition;
    if (listed && !ListWords(rules, known->words, known->inside, &words)) continue;
    if (!words.empty()) {
      if (lexicons->rule_words.size() == Lexicons::kMaxRuleWordGroups) continue;
      c.word_bit = Lexicons::RuleWordBit(lexicons->rule_words.size());
      WordSet& set = lexicons->rule_words.emplace_back();
      set.insert(words.begin(), words.end());
      lexicons->rule_words_inside.push_back(known->inside);
    }
    c.need = known->need;
    c.inside = known->inside;
    c.prefix = std::string(known->prefix);
  }
  return plan;
}

bool IndexConditions(const std::vector<RuleCondition>& conditions, ConditionIndex* index) {
  *index = ConditionIndex();
  if (conditions.size() > ConditionIndex::kMaxIndexed) return false;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const RuleCondition& c = conditions[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    // A condition on word bits holds where any of them is present: it goes under each (none:
    // it never holds).
    auto under_each = [&](std::array<std::uint64_t, 32>* by_bit, std::uint32_t* bits) {
      for (std::uint32_t b = c.word_bit; b; b &= b - 1) (*by_bit)[__builtin_ctz(b)] |= bit;
      *bits |= c.word_bit;
    };
    switch (c.need) {
      case RuleNeed::kNothing: index->always |= bit; break;
      case RuleNeed::kWordInReach: under_each(&index->in_reach, &index->in_reach_bits); break;
      case RuleNeed::kFirstWord: under_each(&index->first_word, &index->first_word_bits); break;
      case RuleNeed::kApposition:
      case RuleNeed::kInitial:
      case RuleNeed::kPrefix: index->others |= bit; break;
    }
  }
  return true;
}

}  // namespace newsgraph
