#include "newsgraph/rules.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include "json_util.hpp"
#include "newsgraph/io.hpp"

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

struct RuleSet::Compiled {
  std::vector<std::unique_ptr<RE2>> patterns;
  // Per rule: whether the entity span is the whole match (no group, or a group that spans the
  // pattern), so that RE2 may find the match without its slower submatch engine.
  std::vector<bool> whole_match;
  std::unique_ptr<RE2::Set> set;
};

namespace {

// Whether `pattern` is "(?P<group>...)" or "(?P<group>...)\b" with that group's parenthesis
// closing at the end: the group's span is then the whole match.
bool GroupSpansPattern(std::string_view pattern, const std::string& group) {
  const std::string open = "(?P<" + group + ">";
  if (pattern.substr(0, open.size()) != open) return false;
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') { ++i; continue; }  // an escaped character, \p{..} or \x{..} start
    if (in_class) { in_class = c != ']'; continue; }
    if (c == '[') {
      in_class = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]...]": ']' is literal
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      const std::string_view rest = pattern.substr(i + 1);
      return rest.empty() || rest == "\\b";
    }
  }
  return false;
}

}  // namespace

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

Status RuleSet::Compile() {
  compiled_.reset();
  auto compiled = std::make_unique<Compiled>();
  const RE2::Options options = RuleOptions();
  compiled->set = std::make_unique<RE2::Set>(options, RE2::ANCHOR_START);
  for (const PatternRule& r : rules_) {
    const std::string where = (r.origin.empty() ? "" : r.origin + ": ") + "rule \"" + r.id + "\"";
    // Expand {{MACRO}} repeatedly (macros may use macros), with a bound against cycles.
    std::string pattern = r.pattern;
    // A macro that names itself is expanded once per round (each pass copies into a new string,
    // in linear time), and the result may not grow beyond kMaxExpandedPattern bytes.
    constexpr std::size_t kMaxExpandedPattern = 16 << 20;
    bool too_long = false;
    for (int round = 0; round < 8 && !too_long && pattern.find("{{") != std::string::npos;
         ++round) {
      for (const auto& [name, regex] : macros_) {
        const std::string key = "{{" + name + "}}", value = "(?:" + regex + ")";
        std::size_t p = pattern.find(key);
        if (p == std::string::npos) continue;
        std::string expanded;
        std::size_t from = 0;
        for (; p != std::string::npos && !too_long; p = pattern.find(key, from)) {
          expanded.append(pattern, from, p - from).append(value);
          from = p + key.size();
          too_long = expanded.size() > kMaxExpandedPattern;
        }
        if (too_long) break;
        expanded.append(pattern, from, std::string::npos);
        pattern = std::move(expanded);
      }
    }
    if (too_long) {
      return Status::InvalidInput(where + ": the pattern is too long once its macros are "
                                  "expanded (a macro that uses itself?)");
    }
    const std::size_t open = pattern.find("{{");
    if (open != std::string::npos) {
      const std::size_t close = pattern.find("}}", open);
      return Status::InvalidInput(where + ": unknown or recursive macro " +
                                  pattern.substr(open, close == std::string::npos
                                                           ? std::string::npos
                                                           : close + 2 - open));
    }
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) {
      return Status::InvalidInput(where + ": invalid pattern: " + re->error());
    }
    for (const std::string* group : {&r.group, &r.title_group}) {
      if (!group->empty() && re->NamedCapturingGroups().count(*group) == 0) {
        return Status::InvalidInput(where + ": the pattern has no group named \"" +
                                    *group + "\"");
      }
    }
    std::string error;
    if (compiled->set->Add(pattern, &error) < 0) {
      return Status::InvalidInput(where + ": invalid pattern: " + error);
    }
    compiled->whole_match.push_back(r.title_group.empty() &&
                                    (r.group.empty() || GroupSpansPattern(pattern, r.group)));
    compiled->patterns.push_back(std::move(re));
  }
  if (!compiled->set->Compile()) {
    // Name the likeliest culprit: the rule with the largest compiled program.
    std::size_t largest = 0;
    for (std::size_t i = 1; i < compiled->patterns.size(); ++i) {
      if (compiled->patterns[i]->ProgramSize() > compiled->patterns[largest]->ProgramSize())
        largest = i;
    }
    return Status::InvalidInput(
        "the rule set is too large to compile within its memory bound" +
        (rules_.empty() ? std::string()
                        : " (largest pattern: " +
                              (rules_[largest].origin.empty() ? "" : rules_[largest].origin + ": ") +
                              "rule \"" + rules_[largest].id + "\")"));
  }
  compiled_ = std::move(compiled);
  return Status::Ok();
}

void RuleSet::MatchAt(std::string_view text, std::vector<Match>* out) const {
  if (!compiled_ || compiled_->patterns.empty()) return;
  thread_local std::vector<int> hits;  // reused: MatchAt runs at most candidate words
  hits.clear();
  if (!compiled_->set->Match(text, &hits)) return;
  re2::StringPiece groups[16];
  for (int h : hits) {
    const RE2& re = *compiled_->patterns[h];
    const int n = compiled_->whole_match[h] ? 1 : std::min(re.NumberOfCapturingGroups() + 1, 16);
    if (!re.Match(text, 0, text.size(), RE2::ANCHOR_START, groups, n)) continue;
    const PatternRule& rule = rules_[h];
    Match m;
    m.rule = static_cast<std::size_t>(h);
    re2::StringPiece span = groups[0];
    if (!rule.group.empty() && n > 1) {
      const int g = re.NamedCapturingGroups().at(rule.group);
      if (g < n) span = groups[g];
    }
    if (span.data() == nullptr || span.empty()) continue;
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
}

}  // namespace newsgraph
