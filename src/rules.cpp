#include "newsgraph/rules.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <future>
#include <limits>
#include <thread>

#include "json_util.hpp"
#include "parallel.hpp"
#include "newsgraph/io.hpp"
#include "re2_space.hpp"

namespace newsgraph {

namespace {

// Memory bound per compiled pattern: a pathological pattern fails to compile instead of
// exhausting memory.
constexpr int64_t kMaxPatternMemory = 64 << 20;

RE2::Options RuleOptions() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_longest_match(true);
  o.set_log_errors(false);
  o.set_max_mem(kMaxPatternMemory);
  return o;
}

}  // namespace

namespace {

// A rule whose pattern is two named groups with white space between, "(?P<a>X)\s+(?P<b>Y)"
// (the title rule: a title, then a name), with X and Y compiled on their own, to find the groups
// with DFA passes where only one split of the match fits. RE2 finds groups with its NFA, which
// for a pattern as large as the title list costs several microseconds a match.
struct SplitRule {
  std::unique_ptr<RE2> first, second;
  int first_group = 0, second_group = 0;  // their numbers in the whole pattern
};

}  // namespace

struct RuleSet::Compiled {
  std::vector<std::unique_ptr<RE2>> patterns;
  // Per rule: whether the entity span is the whole match (no group, or a group that spans the
  // pattern), so that RE2 may find the match without its slower submatch engine.
  std::vector<bool> whole_match;
  std::unique_ptr<RE2::Set> set;
  std::vector<std::size_t> set_rules;  // the set's patterns, as indexes into rules_ (ascending)
  // Per rule: its SplitRule, or null.
  std::vector<std::unique_ptr<SplitRule>> splits;
};

namespace {

// Calls `visit(i)` at each character of `pattern` from `from` on that is outside escapes
// ("\(", "\p{Lu}") and character classes ("[(|]"), where '(', ')' and '|' are syntax, until
// `visit` returns false.
template <class Visit>
void ForEachSyntaxChar(std::string_view pattern, std::size_t from, Visit visit) {
  bool in_class = false;
  for (std::size_t i = from; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') { ++i; continue; }  // an escaped character, \p{..} or \x{..} start
    if (in_class) { in_class = c != ']'; continue; }
    if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]": ']' is literal
      continue;
    }
    if (!visit(i)) return;
  }
}

// Where the group that opens at `pattern[open]` ('(') closes, or npos.
std::size_t GroupEnd(std::string_view pattern, std::size_t open) {
  int depth = 0;
  std::size_t end = std::string_view::npos;
  ForEachSyntaxChar(pattern, open, [&](std::size_t i) {
    if (pattern[i] == '(') ++depth;
    if (pattern[i] != ')' || --depth > 0) return true;
    end = i;
    return false;
  });
  return end;
}

// Whether `pattern` is "(?P<group>...)" or "(?P<group>...)\b" with that group's parenthesis
// closing at the end: the group's span is then the whole match.
bool GroupSpansPattern(std::string_view pattern, const std::string& group) {
  const std::string open = "(?P<" + group + ">";
  if (pattern.substr(0, open.size()) != open) return false;
  const std::size_t close = GroupEnd(pattern, 0);
  if (close == std::string_view::npos) return false;
  const std::string_view rest = pattern.substr(close + 1);
  return rest.empty() || rest == "\\b";
}

// Reads "(?P<a>X)\s+(?P<b>Y)", the whole of `pattern`, into its group names and X and Y.
bool ReadSplitPattern(std::string_view pattern, std::string_view names[2],
                      std::string_view inner[2]) {
  std::size_t i = 0;
  for (int g = 0; g < 2; ++g) {
    if (g == 1) {
      if (pattern.substr(i, 3) != "\\s+") return false;
      i += 3;
    }
    if (pattern.substr(i, 4) != "(?P<") return false;
    const std::size_t name_end = pattern.find('>', i + 4);
    const std::size_t close = GroupEnd(pattern, i);
    if (name_end == std::string_view::npos || close == std::string_view::npos || close < name_end)
      return false;
    names[g] = pattern.substr(i + 4, name_end - i - 4);
    inner[g] = pattern.substr(name_end + 1, close - name_end - 1);
    i = close + 1;
  }
  return i == pattern.size();
}

// Whether a quantifier that allows zero repetitions starts at `pattern[i]`.
bool OptionalAt(std::string_view pattern, std::size_t i) {
  if (i >= pattern.size()) return false;
  const char c = pattern[i];
  return c == '?' || c == '*' || (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '0');
}

}  // namespace

std::string RuleSet::LeadingMacro(std::string_view pattern) {
  // The groups opened before the macro: "(?:", "(?P<name>" or a plain "(".
  std::size_t i = 0;
  int enclosing = 0;
  for (;;) {
    if (pattern.substr(i, 3) == "(?:") {
      i += 3;
    } else if (pattern.substr(i, 4) == "(?P<") {
      const std::size_t close = pattern.find('>', i);
      if (close == std::string_view::npos) return {};
      i = close + 1;
    } else if (pattern.substr(i, 1) == "(" && pattern.substr(i + 1, 1) != "?") {
      i += 1;
    } else {
      break;
    }
    ++enclosing;
  }
  if (pattern.substr(i, 2) != "{{") return {};
  const std::size_t close = pattern.find("}}", i + 2);
  if (close == std::string_view::npos || close == i + 2) return {};
  const std::string_view name = pattern.substr(i + 2, close - i - 2);
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return {};
  }
  i = close + 2;
  if (OptionalAt(pattern, i) || pattern.find("\\Q", i) != std::string_view::npos) return {};
  // What follows may not offer another start: no alternation inside a group that encloses the
  // macro (or at the top), and no such group made optional when it closes.
  int depth = enclosing;
  bool leads = true;
  ForEachSyntaxChar(pattern, i, [&](std::size_t j) {
    const char c = pattern[j];
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth < 0) leads = false;
      else if (depth < enclosing) {
        leads = !OptionalAt(pattern, j + 1);
        enclosing = depth;
      }
    } else if (c == '|' && depth <= enclosing) {
      leads = false;
    }
    return leads;
  });
  if (!leads) return {};
  return std::string(name);
}

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

void RuleSet::DefineMacro(const std::string& name, const std::string& regex) {
  for (auto& [n, r] : macros_) {
    if (n == name) { r = regex; return; }
  }
  macros_.emplace_back(name, regex);
}

std::string_view RuleSet::Macro(std::string_view name) const {
  for (const auto& [n, r] : macros_) {
    if (n == name) return r;
  }
  return {};
}

Status RuleSet::AddJson(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  Status s = json::Parse(text, origin, &d);
  if (!s.ok()) return s;
  if (!d.IsObject()) return Status::InvalidInput(origin + ": expected a JSON object");
  if (!(s = json::CheckFields(d, {"version", "description", "macros", "rules"}, origin)).ok())
    return s;
  auto macros = d.FindMember("macros");
  if (macros != d.MemberEnd()) {
    if (!macros->value.IsObject())
      return Status::InvalidInput(origin + ": field \"macros\" must be an object");
    for (auto it = macros->value.MemberBegin(); it != macros->value.MemberEnd(); ++it) {
      if (!it->value.IsString())
        return Status::InvalidInput(origin + ": macro \"" + it->name.GetString() +
                                    "\" must be a string");
      DefineMacro(it->name.GetString(), it->value.GetString());
    }
  }
  auto rules = d.FindMember("rules");
  if (rules == d.MemberEnd()) return Status::Ok();
  if (!rules->value.IsArray()) return Status::InvalidInput(origin + ": field \"rules\" must be an array");
  std::size_t index = 0;
  for (const auto& v : rules->value.GetArray()) {
    std::string where = origin + ": rules[" + std::to_string(index++) + "]";
    if (!v.IsObject()) return Status::InvalidInput(where + ": expected an object");
    PatternRule r;
    r.origin = origin;
    if (!(s = json::GetString(v, "id", where, &r.id, true)).ok()) return s;
    where = origin + ": rule \"" + r.id + "\"";
    if (!(s = json::CheckFields(v, {"id", "type", "priority", "pattern", "group", "title_group",
                                    "description", "examples"}, where)).ok())
      return s;
    if (!(s = json::GetString(v, "type", where, &r.type, true)).ok()) return s;
    if (!(s = json::GetString(v, "pattern", where, &r.pattern, true)).ok()) return s;
    if (!(s = json::GetString(v, "group", where, &r.group)).ok()) return s;
    if (!(s = json::GetString(v, "title_group", where, &r.title_group)).ok()) return s;
    auto priority = v.FindMember("priority");
    if (priority != v.MemberEnd()) {
      if (!priority->value.IsInt())
        return Status::InvalidInput(where + ": field \"priority\" must be an integer");
      r.priority = priority->value.GetInt();
    }
    bool replaced = false;
    for (auto& old : rules_) {
      if (old.id == r.id) { old = r; replaced = true; }
    }
    if (!replaced) rules_.push_back(std::move(r));
  }
  compiled_.reset();
  return Status::Ok();
}

Status RuleSet::AddFile(const std::string& path) {
  std::string text;
  Status s = ReadFile(path, &text);
  if (!s.ok()) return s;
  return AddJson(text, path);
}

namespace {

// Expands the {{MACRO}}s of `pattern` into `out`, repeatedly (macros may use macros), with a
// bound against cycles. `where` names the rule in errors.
Status ExpandMacros(const std::string& pattern,
                    const std::vector<std::pair<std::string, std::string>>& macros,
                    const std::string& where, std::string* out) {
  std::string text = pattern;
  // A macro that names itself is expanded once per round (each pass copies into a new string,
  // in linear time), and the result may not grow beyond kMaxExpandedPattern bytes.
  constexpr std::size_t kMaxExpandedPattern = 16 << 20;
  bool too_long = false;
  for (int round = 0; round < 8 && !too_long && text.find("{{") != std::string::npos; ++round) {
    for (const auto& [name, regex] : macros) {
      const std::string key = "{{" + name + "}}", value = "(?:" + regex + ")";
      std::size_t p = text.find(key);
      if (p == std::string::npos) continue;
      std::string expanded;
      std::size_t from = 0;
      for (; p != std::string::npos && !too_long; p = text.find(key, from)) {
        expanded.append(text, from, p - from).append(value);
        from = p + key.size();
        too_long = expanded.size() > kMaxExpandedPattern;
      }
      if (too_long) break;
      expanded.append(text, from, std::string::npos);
      text = std::move(expanded);
    }
  }
  if (too_long) {
    return Status::InvalidInput(where + ": the pattern is too long once its macros are "
                                "expanded (a macro that uses itself?)");
  }
  const std::size_t open = text.find("{{");
  if (open != std::string::npos) {
    const std::size_t close = text.find("}}", open);
    return Status::InvalidInput(where + ": unknown or recursive macro " +
                                text.substr(open, close == std::string::npos
                                                      ? std::string::npos
                                                      : close + 2 - open));
  }
  *out = std::move(text);
  return Status::Ok();
}

// The RE2::Set of the rules, built on a helper thread while the rules' own RE2s compile: the
// two cost about the same, and each compiles every pattern again.
struct SetBuild {
  std::unique_ptr<RE2::Set> set;
  std::size_t failed = std::numeric_limits<std::size_t>::max();  // the pattern Add() refused
  std::string error;                                              // and RE2's reason
  bool compiled = false;
};

// Adds `patterns` to a set and compiles it (unless `cancel` is raised: an error is reported
// anyway). Compiling is skipped when `complete` is false (a later rule failed to expand).
SetBuild BuildSet(const std::vector<std::string>& patterns, bool complete,
                  const RE2::Options& options, const std::atomic<bool>& cancel) {
  SetBuild b;
  b.set = std::make_unique<RE2::Set>(options, RE2::ANCHOR_START);
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (cancel.load(std::memory_order_relaxed)) return b;
    if (b.set->Add(patterns[i], &b.error) < 0) {
      b.failed = i;
      return b;
    }
  }
  b.compiled = complete && !cancel.load(std::memory_order_relaxed) && b.set->Compile();
  return b;
}

}  // namespace

Status RuleSet::Compile(const std::vector<std::size_t>& apart) {
  compiled_.reset();
  auto compiled = std::make_unique<Compiled>();
  const RE2::Options options = RuleOptions();
  auto where = [&](std::size_t i) {
    const PatternRule& r = rules_[i];
    return (r.origin.empty() ? "" : r.origin + ": ") + "rule \"" + r.id + "\"";
  };
  // Expand the patterns up to the first rule that fails to (its error comes after any error of
  // the rules before it, as when compiling one rule after the other).
  std::vector<std::string> patterns;
  Status expand_status;
  for (std::size_t i = 0; i < rules_.size() && expand_status.ok(); ++i) {
    std::string pattern;
    expand_status = ExpandMacros(rules_[i].pattern, macros_, where(i), &pattern);
    if (expand_status.ok()) patterns.push_back(std::move(pattern));
  }
  // The set holds the rules not set apart (each pattern is still checked by its own RE2).
  std::vector<std::string> set_patterns;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (std::find(apart.begin(), apart.end(), i) != apart.end()) continue;
    set_patterns.push_back(patterns[i]);
    compiled->set_rules.push_back(i);
  }
  // The set compiles on a helper thread while the rules' own RE2s compile; the first error in
  // rule order is reported, whichever thread found it.
  std::atomic<bool> cancel{false};
  std::future<SetBuild> set_build;
  if (!set_patterns.empty()) {
    set_build = std::async(std::launch::async, [&] {
      return BuildSet(set_patterns, expand_status.ok(), options, cancel);
    });
  }
  // The rules' own RE2s compile on every core (a default rule takes about 10 ms: the Unicode
  // classes of {{CAP}} make programs of thousands of instructions), then are checked in rule
  // order, so the error reported is the first rule's whatever thread found it.
  std::vector<std::unique_ptr<RE2>> res(patterns.size());
  ParallelFor(std::thread::hardware_concurrency(), patterns.size(), [&](unsigned, std::size_t i) {
    res[i] = std::make_unique<RE2>(patterns[i], options);
  });
  Status status;
  std::size_t failed = patterns.size();  // the rule `status` is about
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const PatternRule& r = rules_[i];
    std::unique_ptr<RE2> re = std::move(res[i]);
    if (!re->ok()) {
      status = Status::InvalidInput(where(i) + ": invalid pattern: " + re->error());
    }
    for (const std::string* group : {&r.group, &r.title_group}) {
      if (status.ok() && !group->empty() && re->NamedCapturingGroups().count(*group) == 0) {
        status = Status::InvalidInput(where(i) + ": the pattern has no group named \"" +
                                      *group + "\"");
      }
    }
    if (!status.ok()) {
      failed = i;
      cancel = true;
      break;
    }
    compiled->whole_match.push_back(r.title_group.empty() &&
                                    (r.group.empty() || GroupSpansPattern(patterns[i], r.group)));
    std::unique_ptr<SplitRule> split;
    std::string_view names[2], inner[2];
    if (!compiled->whole_match.back() && ReadSplitPattern(patterns[i], names, inner)) {
      split = std::make_unique<SplitRule>();
      split->first = std::make_unique<RE2>(inner[0], options);
      split->second = std::make_unique<RE2>(inner[1], options);
      const auto& numbers = re->NamedCapturingGroups();
      const auto first = numbers.find(std::string(names[0]));
      const auto second = numbers.find(std::string(names[1]));
      if (split->first->ok() && split->second->ok() && first != numbers.end() &&
          second != numbers.end() && first->second == 1 &&
          second->second == 2 + split->first->NumberOfCapturingGroups()) {
        split->first_group = first->second;
        split->second_group = second->second;
      } else {
        split.reset();
      }
    }
    compiled->splits.push_back(std::move(split));
    compiled->patterns.push_back(std::move(re));
  }
  SetBuild set;
  if (set_build.valid()) {
    set = set_build.get();
  } else {
    set.compiled = true;  // nothing to build
  }
#ifdef __GLIBC__
  // The helper thread compiled in a malloc arena of its own; hand back what it freed (the
  // compilers' scratch), which would otherwise stay resident for the whole run.
  malloc_trim(0);
#endif
  if (set.failed < set_patterns.size() && compiled->set_rules[set.failed] < failed) {
    return Status::InvalidInput(where(compiled->set_rules[set.failed]) +
                                ": invalid pattern: " + set.error);
  }
  if (!status.ok()) return status;
  if (!expand_status.ok()) return expand_status;
  if (!set.compiled) {
    // Name the likeliest culprit: the rule with the largest compiled program.
    std::size_t largest = 0;
    for (std::size_t i = 1; i < compiled->patterns.size(); ++i) {
      if (compiled->patterns[i]->ProgramSize() > compiled->patterns[largest]->ProgramSize())
        largest = i;
    }
    return Status::InvalidInput("the rule set is too large to compile within its memory bound" +
                                (rules_.empty() ? std::string()
                                                : " (largest pattern: " + where(largest) + ")"));
  }
  compiled->set = std::move(set.set);
  compiled_ = std::move(compiled);
  return Status::Ok();
}

void RuleSet::MatchAt(std::string_view text, std::vector<Match>* out) const {
  if (!compiled_ || compiled_->set_rules.empty()) return;
  thread_local std::vector<int> hits;  // reused: MatchAt runs at most candidate words
  hits.clear();
  if (!compiled_->set->Match(text, &hits)) return;
  std::sort(hits.begin(), hits.end());
  for (int h : hits) MatchRule(compiled_->set_rules[h], text, out);
}

// Finds the two groups of a split rule's `match` (RE2's leftmost-longest match of the whole
// pattern): the splits of it into X, white space and Y are tried at its runs of white space,
// and where exactly one fits, it is the one RE2 would give; else (none, or several) false.
// Groups other than the two are left unset.
namespace {

bool SplitMatch(const SplitRule& split, re2::StringPiece match, re2::StringPiece* groups) {
  const std::string_view m(match.data(), match.size());
  std::size_t fits = 0, title_end = 0, name_begin = 0;
  for (std::size_t a = 0; a < m.size() && fits < 2;) {
    if (!IsRe2Space(static_cast<unsigned char>(m[a]))) { ++a; continue; }
    std::size_t b = a;
    while (b < m.size() && IsRe2Space(static_cast<unsigned char>(m[b]))) ++b;
    for (std::size_t p = a; p < b && fits < 2; ++p) {
      if (!RE2::FullMatch(re2::StringPiece(m.data(), p), *split.first)) continue;
      for (std::size_t q = p + 1; q <= b && fits < 2; ++q) {
        if (!RE2::FullMatch(re2::StringPiece(m.data() + q, m.size() - q), *split.second)) continue;
        ++fits;
        title_end = p;
        name_begin = q;
      }
    }
    a = b;
  }
  if (fits != 1) return false;
  for (int g = 1; g <= split.second_group; ++g) groups[g] = re2::StringPiece();
  groups[split.first_group] = re2::StringPiece(m.data(), title_end);
  groups[split.second_group] = re2::StringPiece(m.data() + name_begin, m.size() - name_begin);
  return true;
}

}  // namespace

void RuleSet::MatchRule(std::size_t h, std::string_view text, std::vector<Match>* out) const {
  if (!compiled_ || h >= compiled_->patterns.size()) return;
  const RE2& re = *compiled_->patterns[h];
  const int n = compiled_->whole_match[h] ? 1 : std::min(re.NumberOfCapturingGroups() + 1, 16);
  re2::StringPiece groups[16];
  const SplitRule* split = compiled_->splits[h].get();
  if (split && n > split->second_group) {
    if (!re.Match(text, 0, text.size(), RE2::ANCHOR_START, groups, 1)) return;
    if (!SplitMatch(*split, groups[0], groups) &&
        !re.Match(text, 0, text.size(), RE2::ANCHOR_START, groups, n))
      return;
  } else if (!re.Match(text, 0, text.size(), RE2::ANCHOR_START, groups, n)) {
    return;
  }
  const PatternRule& rule = rules_[h];
  re2::StringPiece span = groups[0];
  if (!rule.group.empty() && n > 1) {
    const int g = re.NamedCapturingGroups().at(rule.group);
    if (g < n) span = groups[g];
  }
  if (span.data() == nullptr || span.empty()) return;
  Match m;
  m.rule = h;
  m.begin = static_cast<std::size_t>(span.data() - text.data());
  m.end = m.begin + span.size();
  if (!rule.title_group.empty()) {
    const int g = re.NamedCapturingGroups().at(rule.title_group);
    if (g < n && groups[g].data() != nullptr) {
      m.title_begin = static_cast<std::size_t>(groups[g].data() - text.data());
      m.title_end = m.title_begin + groups[g].size();
    }
  }
  out->push_back(m);
}

}  // namespace newsgraph
