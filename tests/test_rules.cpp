#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include "newsgraph/extract.hpp"
#include "newsgraph/io.hpp"
#include "newsgraph/rules.hpp"
#include "lexicons.hpp"
#include "rule_filter.hpp"

using namespace newsgraph;

namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/newsgraph_test_rules_" + name;
  std::ofstream(path) << content;
  return path;
}

}  // namespace

TEST_CASE("an invalid RE2 pattern is an error naming the rule id and its file", "[rules]") {
  RuleSet r;
  REQUIRE(r.AddJson(R"j({"rules": [{"id": "user.broken", "type": "event", "pattern": "(abc"}]})j",
                    "my_rules.json")
              .ok());
  const Status s = r.Compile();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("user.broken") != std::string::npos);
  CHECK(s.message().find("my_rules.json") != std::string::npos);
}

TEST_CASE("unknown fields, macros and groups in rules are errors naming the rule", "[rules]") {
  RuleSet r;
  Status s = r.AddJson(
      R"j({"rules": [{"id": "user.x", "type": "event", "pattern": "A", "colour": 1}]})j", "f.json");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("user.x") != std::string::npos);
  CHECK(s.message().find("colour") != std::string::npos);

  RuleSet m;
  REQUIRE(m.AddJson(R"j({"rules": [{"id": "user.m", "type": "event", "pattern": "{{NOPE}} Fair"}]})j",
                    "f.json").ok());
  s = m.Compile();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("user.m") != std::string::npos);
  CHECK(s.message().find("NOPE") != std::string::npos);

  RuleSet g;
  const std::string bad_group =
      R"j({"rules": [{"id": "user.g", "type": "event", "pattern": "(?P<a>X)", "group": "b"}]})j";
  REQUIRE(g.AddJson(bad_group, "f.json").ok());
  s = g.Compile();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("user.g") != std::string::npos);
}

TEST_CASE("malformed rule JSON names the file, line and column", "[rules]") {
  ExtractorOptions o;
  const std::string path = WriteTemp("bad.json", "{\n  \"rules\": [\n    {\"id\": 3,,}\n  ]\n}\n");
  o.rule_files.push_back(path);
  EntityExtractor e(o);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().find(path + ":3:") != std::string::npos);
}

TEST_CASE("a user rule adds a type and a rule with an existing id replaces it", "[rules]") {
  RuleSet r;
  const std::string json = R"j({"rules": [{"id": "x", "type": "event", "pattern": "Fair"},
                                  {"id": "x", "type": "product", "pattern": "Widget \\d+"}]})j";
  REQUIRE(r.AddJson(json, "f.json").ok());
  REQUIRE(r.rules().size() == 1);
  REQUIRE(r.Compile().ok());
  std::vector<RuleSet::Match> out;
  r.MatchAt("Widget 42 ships", &out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].end == 9);
  CHECK(r.rules()[0].type == "product");
}

TEST_CASE("user rules see the default macros and match beside the default rules", "[rules]") {
  ExtractorOptions o;
  o.rule_files.push_back(WriteTemp(
      "fair.json",
      R"j({"rules": [{"id": "event.fair", "type": "event", "priority": 55,
                     "pattern": "{{CAP}}\\s+Fair"}]})j"));
  EntityExtractor e(o);
  REQUIRE(e.ok());
  SentenceSplitter splitter;
  const std::string text = "Crowds filled the Harvest Fair on Sunday.";
  const auto seg = splitter.Segment(text);
  bool found = false;
  for (const auto& m : e.Extract(text, seg))
    found = found || (text.substr(m.begin, m.end - m.begin) == "Harvest Fair" && m.type == "event");
  CHECK(found);
}

TEST_CASE("a named group gives the span whether or not it covers the whole pattern", "[rules]") {
  // Groups that span the pattern (optionally before \b) are matched without submatches; the
  // others, and groups whose closing parenthesis is hidden in a class or escaped, need them.
  RuleSet r;
  REQUIRE(r.AddJson(R"j({"rules": [
    {"id": "t.whole", "type": "a", "group": "name", "pattern": "(?P<name>Ab+)\\b"},
    {"id": "t.prefix", "type": "b", "group": "name", "pattern": "(?P<name>Ab+) said"},
    {"id": "t.class", "type": "c", "group": "name", "pattern": "(?P<name>A[)]b)(?:b+)"},
    {"id": "t.escaped", "type": "d", "group": "name", "pattern": "(?P<name>Ab\\)b)b"},
    {"id": "t.nogroup", "type": "e", "pattern": "(A)(b)b"}]})j", "test").ok());
  REQUIRE(r.Compile().ok());
  auto spans = [&](std::string_view text) {
    std::vector<RuleSet::Match> out;
    r.MatchAt(text, &out);
    std::map<std::string, std::pair<std::size_t, std::size_t>> by_id;
    for (const auto& m : out) by_id[r.rules()[m.rule].id] = {m.begin, m.end};
    return by_id;
  };
  auto a = spans("Abbb said so");
  CHECK(a["t.whole"] == std::make_pair<std::size_t, std::size_t>(0, 4));
  CHECK(a["t.prefix"] == std::make_pair<std::size_t, std::size_t>(0, 4));
  CHECK(a["t.nogroup"] == std::make_pair<std::size_t, std::size_t>(0, 3));
  CHECK(a.count("t.class") == 0);
  auto b = spans("A)bbb");
  CHECK(b["t.class"] == std::make_pair<std::size_t, std::size_t>(0, 3));
  auto c = spans("Ab)bb");
  CHECK(c["t.escaped"] == std::make_pair<std::size_t, std::size_t>(0, 4));
  CHECK(spans("Abbbc").count("t.whole") == 0);  // \b after the group still applies
}

TEST_CASE("with several broken rules the first in rule order is reported, whatever broke", "[rules]") {
  // The rules' RE2s and their set compile on two threads; which one finds an error first must
  // not change the message.
  const std::string ok = R"j({"id": "r.ok", "type": "event", "pattern": "Fair"})j";
  const std::string bad_regex = R"j({"id": "r.regex", "type": "event", "pattern": "(Fair"})j";
  const std::string bad_group =
      R"j({"id": "r.group", "type": "event", "pattern": "(?P<a>Fair)", "group": "b"})j";
  const std::string bad_macro = R"j({"id": "r.macro", "type": "event", "pattern": "{{NOPE}}"})j";
  auto first_error = [&](const std::vector<std::string>& rules) {
    std::string json = R"j({"rules": [)j";
    for (std::size_t i = 0; i < rules.size(); ++i) json += (i ? "," : "") + rules[i];
    RuleSet r;
    REQUIRE(r.AddJson(json + "]}", "f.json").ok());
    const Status s = r.Compile();
    REQUIRE_FALSE(s.ok());
    return s.message();
  };
  CHECK(first_error({ok, bad_regex, bad_macro}) ==
        "f.json: rule \"r.regex\": invalid pattern: missing ): (Fair");
  CHECK(first_error({bad_macro, bad_regex}) == "f.json: rule \"r.macro\": unknown or recursive macro {{NOPE}}");
  CHECK(first_error({ok, bad_group, bad_regex}) ==
        "f.json: rule \"r.group\": the pattern has no group named \"b\"");
  CHECK(first_error({bad_regex, bad_group}).rfind("f.json: rule \"r.regex\"", 0) == 0);
  // The rules' own RE2s compile on every core: among many, a late broken rule may be found
  // before an early one, and the early one is still the one named.
  std::vector<std::string> many;
  for (int i = 0; i < 24; ++i) {
    const std::string id = "\"r" + std::to_string(i) + "\"";
    const std::string pattern = i == 5 ? "(Fair" : i == 19 ? "[Fair" : "Fair " + std::to_string(i);
    many.push_back(R"j({"id": )j" + id + R"j(, "type": "event", "pattern": ")j" + pattern + "\"}");
  }
  CHECK(first_error(many) == "f.json: rule \"r5\": invalid pattern: missing ): (Fair");
  // Every rule is still compiled into both the set and its own RE2 when all are valid.
  RuleSet r;
  REQUIRE(r.AddJson(R"j({"rules": [{"id": "a", "type": "x", "pattern": "Fai"},
                                   {"id": "b", "type": "y", "pattern": "(?P<n>Fair) d", "group": "n"},
                                   {"id": "c", "type": "z", "pattern": "Fairs"}]})j", "f.json").ok());
  REQUIRE(r.Compile().ok());
  std::vector<RuleSet::Match> out;
  r.MatchAt("Fair day", &out);
  REQUIRE(out.size() == 2);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.rule < y.rule; });
  CHECK((out[0].rule == 0 && out[0].end == 3));
  CHECK((out[1].rule == 1 && out[1].begin == 0 && out[1].end == 4));
}

TEST_CASE("a rule's leading macro is found only where every match must open with it", "[rules]") {
  CHECK(RuleSet::LeadingMacro("(?P<name>{{GIVEN}}(?:\\s+{{CAP}}){1,3})\\b") == "GIVEN");
  CHECK(RuleSet::LeadingMacro("(?P<title>{{TITLE}})\\s+(?P<name>{{PNAME}})") == "TITLE");
  CHECK(RuleSet::LeadingMacro("{{LIST}}") == "LIST");
  CHECK(RuleSet::LeadingMacro("(?:({{LIST}}))+ (?:a|b)") == "LIST");  // + repeats, not skips
  CHECK(RuleSet::LeadingMacro("{{LIST}}[|(]\\)x") == "LIST");  // literal | ( ) in a class
  // Optional, or one branch of an alternation, or not first: no leading macro.
  CHECK(RuleSet::LeadingMacro("{{LIST}}? Fair").empty());
  CHECK(RuleSet::LeadingMacro("{{LIST}}* Fair").empty());
  CHECK(RuleSet::LeadingMacro("{{LIST}}{0,2} Fair").empty());
  CHECK(RuleSet::LeadingMacro("(?:{{LIST}})? Fair").empty());
  CHECK(RuleSet::LeadingMacro("(?:{{LIST}}\\s+)* Fair").empty());
  CHECK(RuleSet::LeadingMacro("{{LIST}} Fair|Expo").empty());
  CHECK(RuleSet::LeadingMacro("(?P<n>{{LIST}}|Expo) Fair").empty());
  CHECK(RuleSet::LeadingMacro("(?:(?:{{LIST}})|x)").empty());
  CHECK(RuleSet::LeadingMacro("Grand {{LIST}}").empty());
  CHECK(RuleSet::LeadingMacro("(?i){{LIST}}").empty());
  CHECK(RuleSet::LeadingMacro("[A-Z]{{LIST}}").empty());
  CHECK(RuleSet::LeadingMacro("{{LIST}}\\Q|\\E").empty());
  CHECK(RuleSet::LeadingMacro("{{}} x").empty());
  CHECK(RuleSet::LeadingMacro("{{LIST x").empty());
  CHECK(RuleSet::LeadingMacro("").empty());
}

TEST_CASE("rules set apart are matched on their own, the others by MatchAt", "[rules]") {
  RuleSet r;
  REQUIRE(r.AddJson(R"j({"rules": [
      {"id": "a", "type": "event", "pattern": "Expo \\d+"},
      {"id": "b", "type": "event", "pattern": "Expo"},
      {"id": "c", "type": "person", "pattern": "(?P<t>Dr\\.?)\\s+(?P<n>[A-Z]\\w+)",
       "group": "n", "title_group": "t"},
      {"id": "d", "type": "event", "pattern": "Expo \\d+ Fair"}]})j",
                    "f.json").ok());
  REQUIRE(r.Compile({1, 2}).ok());
  std::vector<RuleSet::Match> out;
  r.MatchAt("Expo 2030 Fair", &out);
  REQUIRE(out.size() == 2);  // a and d, in rule order; b is set apart
  CHECK(out[0].rule == 0);
  CHECK(out[0].end == 9);
  CHECK(out[1].rule == 3);
  CHECK(out[1].end == 14);
  out.clear();
  r.MatchAt("Dr. Okafor", &out);
  CHECK(out.empty());
  r.MatchRule(2, "Dr. Okafor spoke", &out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].begin == 4);
  CHECK(out[0].end == 10);
  CHECK(out[0].title_begin == 0);
  CHECK(out[0].title_end == 3);
  r.MatchRule(1, "Expo 2030", &out);
  REQUIRE(out.size() == 2);
  CHECK(out[1].end == 4);
  r.MatchRule(1, "The Expo", &out);  // anchored at the start
  r.MatchRule(7, "Expo", &out);      // no such rule
  CHECK(out.size() == 2);

  // Every rule set apart: MatchAt finds nothing; an invalid rule set apart is still reported.
  RuleSet all;
  REQUIRE(all.AddJson(R"j({"rules": [{"id": "x", "type": "event", "pattern": "Fair"}]})j", "f.json")
              .ok());
  REQUIRE(all.Compile({0}).ok());
  out.clear();
  all.MatchAt("Fair", &out);
  CHECK(out.empty());
  all.MatchRule(0, "Fair day", &out);  // no set built, the rule's own RE2 is
  REQUIRE(out.size() == 1);
  CHECK(out[0].end == 4);
  RuleSet bad;
  REQUIRE(bad.AddJson(R"j({"rules": [{"id": "ok", "type": "event", "pattern": "Fair"},
                                     {"id": "broken", "type": "event", "pattern": "(Fair"}]})j",
                      "f.json").ok());
  const Status s = bad.Compile({1});
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("broken") != std::string::npos);
}

TEST_CASE("the default title and given-name rules open with their word lists", "[rules]") {
  // The extractor keeps these rules out of its rule set, and tries them only where a title or
  // a given name opens the text; a default rule that stopped opening so would cost speed.
  std::string json;
  REQUIRE(ReadFile(std::string(NEWSGRAPH_SOURCE_DIR) + "/data/rules.json", &json).ok());
  RuleSet r;
  REQUIRE(r.AddJson(json, "rules.json").ok());
  std::map<std::string, std::string> lead;
  for (const auto& rule : r.rules()) lead[rule.id] = RuleSet::LeadingMacro(rule.pattern);
  CHECK(lead["person.title"] == "TITLE");
  CHECK(lead["person.given_name"] == "GIVEN");
  for (const auto& [id, macro] : lead) {
    if (id == "person.title" || id == "person.given_name") continue;
    CHECK(macro != "TITLE");
    CHECK(macro != "GIVEN");
  }
}

TEST_CASE("a title and a name split by white space get RE2's groups", "[rules]") {
  // For a pattern "(?P<a>X)\s+(?P<b>Y)" MatchRule finds the groups by matching X and Y on their
  // own where one split of the match fits, and with RE2's submatch engine where none or several
  // do. The same pattern inside a plain group is never split: both must give the same spans.
  const std::string x =
      R"((?i:vice\\s+president|president|vice|mr\\.?|dr|the\\s+rt\\.?\\s+hon\\.?))";
  const std::string y = R"(\\p{Lu}[\\p{L}.]*(?:\\s+\\p{Lu}[\\p{L}.]*){0,2})";
  const std::string split = "(?P<title>" + x + ")\\\\s+(?P<name>" + y + ")";
  auto rule_set = [](const std::string& pattern) {
    auto r = std::make_unique<RuleSet>();
    REQUIRE(r->AddJson(R"({"rules": [{"id": "t", "type": "person", "group": "name",
                          "title_group": "title", "pattern": ")" + pattern + R"("}]})",
                       "f.json").ok());
    REQUIRE(r->Compile().ok());
    return r;
  };
  const auto fast = rule_set(split), plain = rule_set("(?:" + split + ")");
  const std::vector<std::string> texts = {
      "President Ana Ruiz said", "Vice President Lea Moss left", "vice  president\tOla Dahl",
      "Mr. Li", "Mr Li Wei Chen Bo", "Dr  Mo Ek", "President Vice Ann", "Vice Vice President Ek",
      "president of the board", "Mr.Li", "The Rt. Hon. Ewan Price", "the rt hon Ewan",
      "Vice President", "Dr \xC3\x89lise Martin", "President  \t Ana", "President Ana  ",
  };
  for (const auto& text : texts) {
    INFO(text);
    std::vector<RuleSet::Match> a, b;
    fast->MatchRule(0, text, &a);
    plain->MatchRule(0, text, &b);
    REQUIRE(a.size() == b.size());
    if (a.empty()) continue;
    CHECK(a[0].begin == b[0].begin);
    CHECK(a[0].end == b[0].end);
    CHECK(a[0].title_begin == b[0].title_begin);
    CHECK(a[0].title_end == b[0].title_end);
  }
  std::vector<RuleSet::Match> m;
  fast->MatchRule(0, "President Ana Ruiz said", &m);
  REQUIRE(m.size() == 1);
  CHECK(m[0].title_end == 9);
  CHECK(m[0].begin == 10);
  CHECK(m[0].end == 18);
}

TEST_CASE("a pattern that spells a finite set of strings expands to them", "[rules]") {
  std::vector<std::string> out;
  REQUIRE(ExpandLiteralPattern("Party|Corp\\.?|Organi[sz]ation", 100, '*', &out));
  CHECK(out == std::vector<std::string>{"Party", "Corp.", "Corp", "Organisation",
                                        "Organization"});
  // Groups nest and may be optional; a set may hold multi-byte characters.
  REQUIRE(ExpandLiteralPattern("(?:Grand(?: Prix)?|Communiqu[e\xC3\xA9])s?", 100, '*', &out));
  CHECK(out.size() == 8);
  CHECK(std::count(out.begin(), out.end(), "Communiqu\xC3\xA9s") == 1);
  CHECK(std::count(out.begin(), out.end(), "Grand Prix") == 1);
  // White space becomes one space (or none where it may be absent); a starred group the star.
  REQUIRE(ExpandLiteralPattern("(?:(?:snap|by-)\\s*)*(?:elections?|vote)\\s+x\\s?y", 100, '*',
                               &out));
  std::sort(out.begin(), out.end());
  CHECK(out == std::vector<std::string>{"*election x y", "*election xy", "*elections x y",
                                        "*elections xy", "*vote x y", "*vote xy"});
  // Anything else is no finite list: classes, repetition, anchors, capturing groups, macros.
  for (const char* p : {"\\d+", "a+", "a{2}", "(a)", "{{CAP}}", "\\p{Lu}", "a.", "^a", "[^a]",
                        "[a-z]", "a*", "(?i:a)", "(?:a)*?", "a\\b", "(?:a|b"}) {
    INFO(p);
    CHECK_FALSE(ExpandLiteralPattern(p, 100, '*', &out));
  }
  CHECK_FALSE(ExpandLiteralPattern("[ab][cd][ef]", 7, '*', &out));  // 8 strings, limit 7
  REQUIRE(ExpandLiteralPattern("[ab][cd][ef]", 8, '*', &out));
}

TEST_CASE("every default rule but the title and given-name rules gets a condition", "[rules]") {
  // A rule with no condition is tried with RE2 wherever any rule can start: exact, but slow. A
  // changed pattern loses its condition until rule_filter.cpp is checked against it.
  std::string json;
  REQUIRE(ReadFile(std::string(NEWSGRAPH_SOURCE_DIR) + "/data/rules.json", &json).ok());
  RuleSet r;
  REQUIRE(r.AddJson(json, "rules.json").ok());
  std::vector<std::size_t> skip;
  for (std::size_t i = 0; i < r.rules().size(); ++i) {
    const std::string lead = RuleSet::LeadingMacro(r.rules()[i].pattern);
    if (lead == "TITLE" || lead == "GIVEN") skip.push_back(i);
  }
  CHECK(skip.size() == 2);
  Lexicons lex;
  const auto plan = PlanRuleConditions(r, skip, &lex);
  REQUIRE(plan.size() == r.rules().size() - skip.size());
  std::map<std::string, RuleNeed> need;
  for (const RuleCondition& c : plan) {
    INFO(r.rules()[c.rule].id);
    CHECK(c.need != RuleNeed::kNothing);
    need[r.rules()[c.rule].id] = c.need;
  }
  CHECK(need["organization.named"] == RuleNeed::kWordInReach);
  CHECK(need["person.apposition"] == RuleNeed::kApposition);
  CHECK(need["event.cop"] == RuleNeed::kPrefix);
  // The word lists come from the macros, folded; ELECTION's words may sit inside a token.
  std::size_t election = plan.size();
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (r.rules()[plan[i].rule].id == "event.election") election = i;
  REQUIRE(election < plan.size());
  CHECK(plan[election].inside);
  lex.Index();
  CHECK((lex.Classes("election") & plan[election].word_bit) != 0);
  CHECK((lex.Classes("referendum") & plan[election].word_bit) != 0);
  CHECK((lex.Classes("general") & plan[election].word_bit) == 0);
  for (const RuleCondition& c : plan) {
    if (r.rules()[c.rule].id == "organization.named") {
      CHECK((lex.Classes("party") & c.word_bit) != 0);
      CHECK((lex.Classes("organization") & c.word_bit) != 0);
      CHECK((lex.Classes("air") & c.word_bit) != 0);  // "Air Force" starts a token with "Air"
      CHECK((lex.Classes("corp") & c.word_bit) != 0);
      CHECK((lex.Classes("said") & c.word_bit) == 0);
    }
  }
}

TEST_CASE("a changed rule or an unreadable word list gets no condition", "[rules]") {
  std::string json;
  REQUIRE(ReadFile(std::string(NEWSGRAPH_SOURCE_DIR) + "/data/rules.json", &json).ok());
  auto plan_for = [&](const std::string& id, RuleSet& r) {
    Lexicons lex;
    for (const RuleCondition& c : PlanRuleConditions(r, {}, &lex))
      if (r.rules()[c.rule].id == id) return c.need;
    FAIL("no rule " << id);
    return RuleNeed::kNothing;
  };
  {
    RuleSet r;
    REQUIRE(r.AddJson(json, "rules.json").ok());
    CHECK(r.Macro("ORG_HEAD").find("Party|") != std::string_view::npos);
    CHECK(r.Macro("NO_SUCH_MACRO").empty());
    CHECK(plan_for("organization.named", r) == RuleNeed::kWordInReach);
    // The same id with another pattern (a user's replacement, an edited rules.json).
    REQUIRE(r.AddJson(R"({"version": 1, "rules": [{"id": "organization.named",
        "type": "organization", "pattern": "{{CAP}}\\s+Group"}]})", "user.json").ok());
    CHECK(plan_for("organization.named", r) == RuleNeed::kNothing);
  }
  {
    RuleSet r;
    REQUIRE(r.AddJson(json, "rules.json").ok());
    r.DefineMacro("ORG_HEAD", "(?:Party|\\p{Lu}\\w+ Ltd)");  // no finite list
    CHECK(plan_for("organization.named", r) == RuleNeed::kNothing);
    CHECK(plan_for("event.named", r) == RuleNeed::kWordInReach);
    // A head that is no plain word: "U.N." is one token before a space, "U" before a letter.
    r.DefineMacro("ORG_HEAD", "(?:Party|U\\.N\\.)");
    CHECK(plan_for("organization.named", r) == RuleNeed::kNothing);
    r.DefineMacro("ORG_HEAD", "(?:Party|Agency)");
    CHECK(plan_for("organization.named", r) == RuleNeed::kWordInReach);
  }
}

TEST_CASE("conditions are indexed by the word bits they need, those on the text kept one by one",
          "[rules]") {
  auto condition = [](RuleNeed need, std::uint32_t word_bit) {
    RuleCondition c;
    c.need = need;
    c.word_bit = word_bit;
    return c;
  };
  const std::vector<RuleCondition> conditions = {
      condition(RuleNeed::kWordInReach, 1u << 5),     // 0
      condition(RuleNeed::kNothing, 0),               // 1
      condition(RuleNeed::kFirstWord, 1u << 6),       // 2
      condition(RuleNeed::kWordInReach, 1u << 5),     // 3: the same bit as 0
      condition(RuleNeed::kApposition, 1u << 7),      // 4
      condition(RuleNeed::kWordInReach, 0x3u << 24),  // 5: two bits: under each
      condition(RuleNeed::kInitial, 0),               // 6
      condition(RuleNeed::kPrefix, 0),                // 7
      condition(RuleNeed::kFirstWord, 1u << 31),      // 8
      condition(RuleNeed::kFirstWord, 0)};            // 9: no bit: never holds, nowhere
  ConditionIndex index;
  REQUIRE(IndexConditions(conditions, &index));
  CHECK(index.always == 0b10);
  CHECK(index.in_reach_bits == ((1u << 5) | (0x3u << 24)));
  CHECK(index.in_reach[5] == 0b1001);
  CHECK(index.in_reach[24] == 0b100000);
  CHECK(index.in_reach[25] == 0b100000);
  CHECK(index.first_word_bits == ((1u << 6) | (1u << 31)));
  CHECK(index.first_word[6] == 0b100);
  CHECK(index.first_word[31] == 0b100000000);
  CHECK(index.others == 0b11010000);
  // Every condition but the one with no bit is somewhere; only condition 5 in two places.
  std::uint64_t all = index.always | index.others;
  int places_of_5 = 0;
  for (std::size_t b = 0; b < 32; ++b) {
    const std::uint64_t here = index.in_reach[b] | index.first_word[b];
    CHECK((all & here & ~std::uint64_t{0b100000}) == 0);
    places_of_5 += (here >> 5) & 1;
    all |= here;
  }
  CHECK(places_of_5 == 2);
  CHECK(all == (std::uint64_t{1} << 9) - 1);

  const std::vector<RuleCondition> too_many(ConditionIndex::kMaxIndexed + 1,
                                            condition(RuleNeed::kNothing, 0));
  CHECK_FALSE(IndexConditions(too_many, &index));
  CHECK(index.always == 0);
}
