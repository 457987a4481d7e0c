#include "newsgraph/extract.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <unordered_map>
#include <re2/re2.h>

#include "embedded.hpp"
#include "json_util.hpp"
#include "lexicons.hpp"
#include "newsgraph/gazetteer.hpp"
#include "newsgraph/rules.hpp"
#include "re2_space.hpp"
#include "rule_filter.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

// Embedded files that are not gazetteers.
bool IsLexiconFile(std::string_view name) {
  return name == "rules.json" || name == "titles.json" || name == "given_names.json" ||
         name == "common_words.json";
}

// Words written with a capital only because they open a sentence or a headline.
const char* const kFunctionWords[] = {
    "the", "a", "an", "in", "on", "at", "to", "of", "for", "from", "by", "with", "and", "but",
    "or", "nor", "so", "yet", "as", "if", "when", "while", "after", "before", "since", "until",
    "this", "that", "these", "those", "there", "here", "it", "its", "he", "she", "they", "we",
    "i", "you", "his", "her", "their", "our", "my", "your", "some", "many", "most", "all", "both",
    "each", "every", "no", "not", "such", "what", "which", "who", "whom", "whose", "why", "how",
    "where", "however", "meanwhile", "also", "although", "though", "because", "despite",
    "amid", "amidst", "during", "under", "over", "about", "against", "between", "into", "through",
    "without", "within", "among", "according", "earlier", "later", "last", "next", "first",
    "then", "now", "still", "even", "only", "just", "more", "less", "other", "another", "one",
    "two", "three", "new", "former", "several", "few", "any", "instead", "thus", "therefore",
    "while", "whether", "once", "unlike", "like", "initiatives", "in", "asked", "speaking"};

// Lower-case words that mark a sentence as a sports report, where a city or county named as
// a competitor stands for its team ("Leicestershire beat Somerset", "Pohang 3 Ulsan 2").
const char* const kSportsWords[] = {
    "beat", "beats", "drew", "innings", "wicket", "wickets", "halftime", "half-time",
    "goals", "striker", "midfielder", "goalkeeper", "defender", "bowled", "batting",
    "bowling", "batsman", "seeded", "quarter-final", "quarter-finals", "semi-final",
    "semi-finals", "semifinal", "semifinals", "play-off", "play-offs", "playoff", "playoffs",
    "soccer", "cricket", "rugby", "baseball", "basketball", "hockey", "tennis", "golf",
    "inning", "homer", "homered", "touchdown", "touchdowns", "quarterback", "pitcher",
    "championship", "standings", "scored", "equaliser", "equalizer", "penalty", "relegation",
    "promoted", "fixtures", "unbeaten", "draw", "win", "won", "lost", "points"};

std::string QuoteAlternation(std::vector<std::string> words, bool space_flexible) {
  std::sort(words.begin(), words.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() > b.size() : a < b;
            });
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::string out;
  for (const auto& w : words) {
    if (w.empty()) continue;
    std::string q = RE2::QuoteMeta(w);
    if (space_flexible) {
      std::string r;
      for (std::size_t i = 0; i < q.size(); ++i) {
        if (q[i] == '\\' && i + 1 < q.size() && q[i + 1] == ' ') { r += "\\s+"; ++i; }
        else r += q[i];
      }
      q = r;
    }
    out += (out.empty() ? "" : "|") + q;
  }
  return out.empty() ? "[^\\s\\S]" : out;  // an empty list matches nothing
}

}  // namespace

Status Lexicons::AddTitles(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  Status s = json::Parse(text, origin, &d);
  if (!s.ok()) return s;
  if (!d.IsObject()) return Status::InvalidInput(origin + ": expected a JSON object");
  if (!(s = json::CheckFields(d, {"version", "description", "titles", "lowercase_role_words"},
                              origin)).ok())
    return s;
  if (!(s = json::GetStringArray(d, "titles", origin, &titles)).ok()) return s;
  if (!(s = json::GetStringArray(d, "lowercase_role_words", origin, &role_words)).ok()) return s;
  for (const auto& t : titles) {
    std::string first = FoldForLookup(t.substr(0, t.find_first_of(" .-")));
    if (!first.empty()) title_starts.insert(first);
  }
  return Status::Ok();
}

Status Lexicons::AddGivenNames(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  Status s = json::Parse(text, origin, &d);
  if (!s.ok()) return s;
  if (!d.IsObject()) return Status::InvalidInput(origin + ": expected a JSON object");
  if (!(s = json::CheckFields(d, {"version", "description", "given_names"}, origin)).ok()) return s;
  std::vector<std::string> names;
  if (!(s = json::GetStringArray(d, "given_names", origin, &names)).ok()) return s;
  given_names.insert(names.begin(), names.end());
  return Status::Ok();
}

Status Lexicons::AddCommonWords(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  Status s = json::Parse(text, origin, &d);
  if (!s.ok()) return s;
  if (!d.IsObject()) return Status::InvalidInput(origin + ": expected a JSON object");
  if (!(s = json::CheckFields(d, {"version", "description", "common_words"}, origin)).ok()) return s;
  std::vector<std::string> words;
  if (!(s = json::GetStringArray(d, "common_words", origin, &words)).ok()) return s;
  for (const auto& w : words) common_words.insert(FoldForLookup(w));
  return Status::Ok();
}

void Lexicons::Index(const GazetteerMatcher* gazetteer) {
  std::unordered_map<std::string_view, std::uint32_t> bits;
  for (const auto& w : title_starts) bits[w] |= kTitleStartWord;
  for (const auto& w : function_words) bits[w] |= kFunctionWord;
  for (const auto& w : common_words) bits[w] |= kCommonWord;
  for (const auto& w : sports_words) bits[w] |= kSportsWord;
  for (const auto& w : given_starts) bits[w] |= kGivenStart;
  rule_word_bits = inside_word_bits = 0;
  inside_words.clear();
  inside_word_last.fill(false);
  shortest_inside_word = std::string::npos;
  for (std::size_t g = 0; g < rule_words.size() && g < kMaxRuleWordGroups; ++g) {
    const bool inside = g < rule_words_inside.size() && rule_words_inside[g];
    rule_word_bits |= RuleWordBit(g);
    if (inside) inside_word_bits |= RuleWordBit(g);
    for (const auto& w : rule_words[g]) {
      bits[w] |= RuleWordBit(g);
      if (inside && !w.empty()) {
        inside_words.emplace_back(std::string(w), RuleWordBit(g));
        inside_word_last[static_cast<unsigned char>(w.back())] = true;
        shortest_inside_word = std::min(shortest_inside_word, w.size());
      }
    }
  }
  // Keyed like title_starts: the fewest and the most words of the titles starting so.
  std::unordered_map<std::string, std::pair<std::uint32_t, std::uint32_t>> title_words;
  for (const auto& t : titles) {
    const auto words = static_cast<std::uint32_t>(
        std::min<std::size_t>(255, 1 + std::count(t.begin(), t.end(), ' ')));
    const auto it = title_words.try_emplace(
        FoldForLookup(t.substr(0, t.find_first_of(" .-"))), words, words).first;
    it->second.first = std::min(it->second.first, words);
    it->second.second = std::max(it->second.second, words);
  }
  for (const auto& [word, range] : title_words) {
    const auto it = bits.find(word);  // every title's first word is a title start
    if (it != bits.end())
      it->second |= range.first << kFewestTitleWordsShift | range.second << kMostTitleWordsShift;
  }
  words_ = StringIdMap();
  infos_.clear();
  for (const auto& [word, b] : bits) {
    words_.Insert(word, static_cast<std::uint32_t>(infos_.size()));
    infos_.push_back({b, 0});
  }
  const std::uint32_t vocabulary = gazetteer ? gazetteer->VocabularySize() : 0;
  for (std::uint32_t id = 1; id <= vocabulary; ++id) {
    const auto slot = words_.Insert(gazetteer->VocabularyWord(id),
                                    static_cast<std::uint32_t>(infos_.size()));
    if (slot == infos_.size()) infos_.emplace_back();
    infos_[slot].gazetteer_id = id;
  }
  ascii_titles = WordSet();
  titles_plain = true;
  for (const auto& t : titles) {
    auto non_ascii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
    // Such a title matches only text with non-ASCII characters, which TitleOpens lets through.
    if (std::any_of(t.begin(), t.end(), non_ascii)) continue;
    std::string lower(t);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool plain = !lower.empty() && lower.front() != ' ' && lower.back() != ' ' &&
                       lower.find("  ") == std::string::npos &&
                       lower.find_first_of("\t\n\r\f\v") == std::string::npos;
    titles_plain = titles_plain && plain;
    ascii_titles.insert(lower);
  }
}

EntityExtractor::EntityExtractor(const ExtractorOptions& options)
    : options_(options), rules_(std::make_unique<RuleSet>()),
      lexicons_(std::make_unique<Lexicons>()) {
  Gazetteer gazetteer;
  auto fail = [&](Status s) {
    status_ = std::move(s);
    gazetteer_ = std::make_unique<GazetteerMatcher>(Gazetteer{});
  };
  for (const char* w : kFunctionWords) lexicons_->function_words.insert(w);
  for (const char* w : kSportsWords) lexicons_->sports_words.insert(w);
  if (options.use_default_data) {
    for (const auto& [name, content] : embedded::Files()) {
      const std::string origin = "data/" + std::string(name);
      Status s;
      if (name == "rules.json") s = rules_->AddJson(content, origin);
      else if (name == "titles.json") s = lexicons_->AddTitles(content, origin);
      else if (name == "given_names.json") s = lexicons_->AddGivenNames(content, origin);
      else if (name == "common_words.json") s = lexicons_->AddCommonWords(content, origin);
      else if (!IsLexiconFile(name)) s = gazetteer.AddJson(content, origin);
      if (!s.ok()) { fail(Status::Internal("embedded " + s.message())); return; }
    }
  }
  for (const auto& path : options.gazetteer_files) {
    Status s = gazetteer.AddFile(path);
    if (!s.ok()) { fail(s); return; }
  }
  prefilter_rules_ = options.rule_files.empty();  // user rules may start anywhere
  for (const auto& path : options.rule_files) {
    Status s = rules_->AddFile(path);
    if (!s.ok()) { fail(s); return; }
  }
  std::vector<std::string> given(lexicons_->given_names.begin(), lexicons_->given_names.end());
  rules_->DefineMacro("TITLE", "(?i:" + QuoteAlternation(lexicons_->titles, true) + ")");
  rules_->DefineMacro("GIVEN", QuoteAlternation(given, false));
  rules_->DefineMacro("ROLE", QuoteAlternation(lexicons_->role_words, true));
  for (const auto& r : lexicons_->role_words) {
    lexicons_->title_starts.insert(FoldForLookup(r.substr(0, r.find_first_of(" .-"))));
  }
  const SentenceSplitter tokenizer;
  for (const auto& name : given) {
    const Segmentation seg = tokenizer.Segment(name);
    if (!seg.tokens.empty())
      lexicons_->given_starts.insert(FoldForLookup(TokenText(name, seg.tokens[0])));
  }
  // The title and given-name lists multiply the states of a set that holds their rules; with
  // the filter, those rules are tried on their own where a title or a given name opens the
  // text, and the others where their conditions hold: no set is built.
  std::vector<std::size_t> apart;
  // GivenOpens finds a name in the window's first run of non-space characters.
  const bool names_one_run = std::none_of(given.begin(), given.end(), [](const std::string& n) {
    return std::any_of(n.begin(), n.end(),
                       [](char c) { return IsRe2Space(static_cast<unsigned char>(c)); });
  });
  if (prefilter_rules_) {
    for (std::size_t i = 0; i < rules_->rules().size(); ++i) {
      const std::string lead = RuleSet::LeadingMacro(rules_->rules()[i].pattern);
      if (lead == "TITLE") title_rules_.push_back(i);
      if (lead == "GIVEN" && names_one_run) given_rules_.push_back(i);
      if (lead == "TITLE" || (lead == "GIVEN" && names_one_run)) apart.push_back(i);
    }
    for (const auto& name : given) longest_given_name_ = std::max(longest_given_name_, name.size());
    conditions_ = PlanRuleConditions(*rules_, apart, lexicons_.get());
    condition_index_ = std::make_unique<ConditionIndex>();
    // Too many conditions to index (not so with the default rules): the rules try the set.
    if (!IndexConditions(conditions_, condition_index_.get())) conditions_.clear();
    for (const RuleCondition& c : conditions_) apart.push_back(c.rule);
  }
  gazetteer_ = std::make_unique<GazetteerMatcher>(gazetteer);
  // One lookup of a token answers both the word lists and the gazetteer's vocabulary.
  lexicons_->Index(gazetteer_.get());
  Status s = rules_->Compile(apart);
  if (!s.ok()) { fail(s); return; }
}

EntityExtractor::~EntityExtractor() = default;

namespace {

struct Candidate {
  std::uint32_t begin, end;            // entity span (bytes)
  std::uint32_t full_begin, full_end;  // what matched, title included
  int priority;
  int source;  // 0 gazetteer, 1 rule
  std::uint32_t rule_index;  // for a rule: its index in the rule set (the first listed wins ties)
  // Views into the extractor's gazetteer and rules, string literals or the document text, all
  // of which outlive the candidate: choosing among candidates allocates nothing.
  std::string_view type, entity, rule, title;
};

bool Overlaps(const Candidate& a, std::uint32_t b, std::uint32_t e) {
  return a.begin < e && b < a.end;
}

}  // namespace

namespace {

// Lower-case words after a name that say it is a person: "Ferreira said", "Ferreira told".
bool IsSpeechVerb(std::string_view w) {
  static const WordSet set = {
      "said", "says", "told", "added", "asked", "replied", "explained", "insisted", "admitted",
      "argued", "wrote", "testified", "declared", "warned", "urged", "stressed", "recalled",
      "acknowledged", "conceded", "complained", "believes", "thinks", "smiled", "laughed"};
  return set.count(w) > 0;
}

// Lower-case nouns after a name that say it is an organisation: "the Likud party".
bool IsOrgNoun(std::string_view w) {
  static const WordSet set = {
      "party", "parties", "company", "firm", "group", "bank", "club", "newspaper", "daily",
      "weekly", "magazine", "agency", "airline", "carrier", "movement", "union", "unions",
      "coalition", "faction", "militia", "insurer", "broker", "brokerage", "bloc", "conglomerate",
      "retailer", "manufacturer", "maker", "automaker", "carmaker", "chipmaker", "bourse",
      "exchange", "consortium", "network", "broadcaster", "station", "ministry", "guerrillas",
      "rebels", "organisation", "organization", "institute", "university", "team", "league"};
  return set.count(w) > 0;
}

// ALL-CAPS sport names that open Reuters sports headlines: "SOCCER - ...".
bool IsSportHeadline(std::string_view w) {
  static const WordSet set = {
      "SOCCER", "CRICKET", "TENNIS", "GOLF", "BASEBALL", "BASKETBALL", "RUGBY", "BOXING",
      "CYCLING", "ATHLETICS", "HOCKEY", "SQUASH", "FOOTBALL", "NFL", "NBA", "NHL", "MOTORSPORT",
      "MOTOCROSS", "SWIMMING", "SKIING", "HANDBALL", "VOLLEYBALL", "BADMINTON", "ROWING",
      "SAILING", "YACHTING", "EQUESTRIANISM", "SNOOKER", "DARTS", "TRIATHLON", "JUDO"};
  return set.count(w) > 0;
}

// The words of the JOIN macro ("Bank of England", "Bosnia and Herzegovina"), each followed by
// white space in a match.
const WordSet& JoinWords() {
  static const WordSet words = {"of", "for", "on", "and", "the", "de",
                                "del", "des", "du", "in",  "to",  "&"};
  return words;
}

// Whether the token at `k` can be a token of a default rule match after its first, up to the
// match's head word (ORG_HEAD, ELECTION, ...) or the comma of an apposition: a capitalised
// word or number (any word opening with a non-ASCII character, as RE2's \p{Lu} covers more
// capitals than the tokenizer does), a word glued to it, a dot or hyphen, an
// apostrophe that {{CAP}} continues through, a lower-case joiner of names ("of", "de"), or a
// word opening with an election word ("general", "mid" of "mid-term": the ELECTION macro
// lets them run together) or "plc".
bool MayContinueRule(std::string_view text, const std::vector<Token>& tokens, std::uint32_t k,
                     std::uint32_t end) {
  // JoinWords(), PARTICLE words ("van", "bin") and "between" (document.head_first).
  static const WordSet joiners = [] {
    WordSet set = {"da", "do", "dos", "das", "della", "di", "van", "von", "der", "den", "ter",
                   "bin", "ibn", "al", "el", "le", "la", "y", "abu", "ben", "st", "between"};
    for (const std::string_view w : JoinWords()) set.insert(w);
    return set;
  }();
  static constexpr std::string_view kOpeners[] = {
      "general", "presidential", "parliamentary", "legislative", "federal", "local",
      "municipal", "regional", "state", "provincial", "mid", "snap", "national", "by",
      "leadership", "primar", "mayoral", "gubernatorial", "senatorial", "congressional",
      "special", "recall", "run", "city", "council", "assembly", "constituent", "election",
      "referendum", "caucus", "plc"};
  // By first byte, the openers starting with it (bit i: kOpeners[i]); most words start with
  // none of them, the others with a few.
  static_assert(std::size(kOpeners) <= 32, "one bit an opener");
  static const std::array<std::uint32_t, 256> openers_by_first = [] {
    std::array<std::uint32_t, 256> by_first{};
    for (std::size_t i = 0; i < std::size(kOpeners); ++i)
      by_first[static_cast<unsigned char>(kOpeners[i][0])] |= 1u << i;
    return by_first;
  }();
  if (k >= end) return false;
  const Token& t = tokens[k];
  if (t.Is(kCapitalized) || t.Is(kHasDigit)) return true;
  const std::string_view w = TokenText(text, t);
  auto byte_at = [&](std::size_t i) -> unsigned {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
  };
  auto letter = [](unsigned c) { return c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); };
  // An apostrophe continues a {{CAP}} before a letter other than a lone s: "Didn't" (tokens
  // "Didn", "'t"), "O'Neill", not the possessive "Obama's".
  const std::size_t apostrophe =
      w[0] == '\'' ? 1 : w.size() >= 3 && SameBytes(w.data(), "\xE2\x80\x99", 3) ? 3 : 0;
  if (apostrophe > 0) {
    const std::size_t after = t.begin + apostrophe;
    return (byte_at(after) | 0x20) == 's' ? letter(byte_at(after + 1)) : letter(byte_at(after));
  }
  if (letter(byte_at(t.begin)) && !t.Is(kSpaceBefore)) return true;  // glued: the same word
  if (static_cast<unsigned char>(w[0]) >= 0x80) return true;
  if (t.Is(kPunct)) return w.size() == 1 && (w[0] == '.' || w[0] == '-' || w[0] == '&');
  if (joiners.count(w) > 0) return true;
  for (std::uint32_t openers = openers_by_first[static_cast<unsigned char>(w[0])]; openers;
       openers &= openers - 1) {
    const std::string_view o = kOpeners[__builtin_ctz(openers)];
    if (w.size() >= o.size() && SameBytes(w.data(), o.data(), o.size())) return true;
  }
  return false;
}

// Whether a title at the start of `window` can be followed by a name. The TITLE macro matches
// a title (here: of `fewest` to `most` words) with \s+ between its words and after it, so a
// name, which starts with a capital, must open run `fewest` to `most` of the runs of text
// between white space (run 0 opens the window); any non-ASCII first character counts as a
// capital, conservatively. The default rules can match at a lower-case word only through a
// title.
bool NameWithinReach(std::string_view window, std::size_t fewest, std::size_t most) {
  std::size_t run = 0;
  for (std::size_t i = 1; i < window.size() && run < most; ++i) {
    const auto c = static_cast<unsigned char>(window[i]);
    if (IsRe2Space(c) || !IsRe2Space(static_cast<unsigned char>(window[i - 1]))) continue;
    ++run;
    if (run >= fewest && (c >= 0x80 || (c >= 'A' && c <= 'Z'))) return true;
  }
  return false;
}

// Whether the title rule can match at the start of `window`: whether its first runs of
// non-space characters, `fewest` to `most` of them, spell a title (case-insensitively, any
// white space between words) and the next run starts with a capital. Exact for ASCII text; a
// non-ASCII character in the runs compared, or a title that is not plain (see Lexicons), lets
// the rule be tried (RE2's case folding of other scripts is not reproduced here).
bool TitleOpens(std::string_view window, std::size_t fewest, std::size_t most,
                const Lexicons& lex) {
  if (most == 0) return false;
  if (!lex.titles_plain) return NameWithinReach(window, fewest, most);
  char buffer[256];  // the runs, lower-cased and joined by single spaces
  std::size_t size = 0, i = 0;
  for (std::size_t run = 1; run <= most; ++run) {
    for (; i < window.size() && !IsRe2Space(static_cast<unsigned char>(window[i])); ++i) {
      const auto c = static_cast<unsigned char>(window[i]);
      if (c >= 0x80 || size == sizeof buffer) return true;
      buffer[size++] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    const std::size_t run_end = i;
    while (i < window.size() && IsRe2Space(static_cast<unsigned char>(window[i]))) ++i;
    if (i == run_end || i == window.size()) return false;  // no white space, or nothing after
    const auto next = static_cast<unsigned char>(window[i]);
    if (run >= fewest && (next >= 0x80 || (next >= 'A' && next <= 'Z')) &&
        lex.ascii_titles.count(std::string_view(buffer, size)))
      return true;
    if (size == sizeof buffer) return true;
    buffer[size++] = ' ';
  }
  return false;
}

// Whether a default rule can match at a number. Those that start with one (a year or an
// ordinal opening an event, election, document or organisation name: "2004 European
// Parliament election", "2nd Armoured Division") need \d+, an optional st/nd/rd/th, white
// space, and then a capital, a digit, a joiner of their names (itself followed by white space)
// or the one lower-case head word, "plc".
bool NumberMayStartRule(std::string_view window) {
  std::size_t i = 0;
  while (i < window.size() && window[i] >= '0' && window[i] <= '9') ++i;
  if (i < window.size() && !IsRe2Space(static_cast<unsigned char>(window[i]))) {
    const std::string_view suffix = window.substr(i, 2);
    if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") return false;
    i += 2;
  }
  const std::size_t digits_end = i;
  while (i < window.size() && IsRe2Space(static_cast<unsigned char>(window[i]))) ++i;
  if (i == digits_end || i == window.size()) return false;
  const auto c = static_cast<unsigned char>(window[i]);
  if (c >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  if (window.substr(i, 3) == "plc") return true;
  std::size_t end = i;
  while (end < window.size() && !IsRe2Space(static_cast<unsigned char>(window[end]))) ++end;
  return JoinWords().count(window.substr(i, end - i)) > 0;
}

// Whether the first run of non-space characters of `window` is one of `names`. The default
// given-name rule needs a given name followed by white space, so it can match only there.
bool GivenOpens(std::string_view window, const WordSet& names, std::size_t longest) {
  std::size_t end = 0;
  while (end < window.size() && end <= longest &&
         !IsRe2Space(static_cast<unsigned char>(window[end])))
    ++end;
  return end <= longest && names.count(window.substr(0, end)) > 0;
}

// What Extract works in: per sentence (candidates, matches, marks) and per token (the caches).
// A word of the sentence folded for lookup: where the folded form is (the token itself in the
// text, or a copy in the scratch's fold arena) and its hash.
struct FoldedWord {
  std::uint64_t hash;
  std::uint32_t offset, size;
  bool copied;  // in the arena, not the text
};

struct ExtractScratch {
  std::vector<Candidate> cands, chosen;
  std::vector<FoldedWord> folded_words;  // per token of the sentence (words only)
  std::string fold_arena;
  std::vector<RuleSet::Match> matches;
  std::vector<int> cover;
  std::vector<bool> overlapped;
  std::string fold_buffer;
  std::vector<std::uint32_t> folded_classes, token_ids, rule_bits, reach_bits;
  std::vector<std::int8_t> continues_cache;
};

bool AllLetters(std::string_view w) {
  for (std::size_t i = 0; i < w.size();)
    if (!utf8::IsLetter(utf8::Next(w, &i))) return false;
  return true;
}

bool IsRomanNumeral(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w)
    if (c != 'I' && c != 'V' && c != 'X' && c != 'L') return false;
  return true;
}

bool AllDigits(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::vector<Mention> EntityExtractor::Extract(std::string_view text,
                                              const Segmentation& seg) const {
  std::vector<Mention> out;
  Extract(text, seg, &out);
  return out;
}

void EntityExtractor::Extract(std::string_view text, const Segmentation& seg,
                              std::vector<Mention>* mentions) const {
  // The mentions already in `mentions` are written over, their strings keeping their storage;
  // those left over are dropped at the end.
  std::vector<Mention>& out = *mentions;
  std::size_t used = 0;
  if (!ok()) {
    out.clear();
    return;
  }
  const auto& tokens = seg.tokens;
  const Lexicons& lex = *lexicons_;
  // The working storage, kept by each thread from one document to the next (as the resolver's).
  thread_local ExtractScratch scratch;
  auto& cands = scratch.cands;
  auto& chosen = scratch.chosen;
  auto& matches = scratch.matches;
  auto& cover = scratch.cover;  // per token of the sentence: index into `chosen`, or -1
  auto& overlapped = scratch.overlapped;  // per token of the sentence: overlaps a typed candidate
  std::string& fold_buffer = scratch.fold_buffer;
  // WordClass bits and gazetteer vocabulary id of each token folded, both from one lookup on
  // first use (the gazetteer looks up the tokens it reaches that are not known yet itself).
  constexpr std::uint32_t kUnknownClasses = 0xFFFFFFFF;
  auto& folded_classes = scratch.folded_classes;
  folded_classes.assign(tokens.size(), kUnknownClasses);
  auto& token_ids = scratch.token_ids;
  token_ids.assign(tokens.size(), GazetteerMatcher::kUnknownToken);
  auto look_up = [&](std::uint32_t k, std::string_view folded) {
    const WordInfo info = lex.Lookup(folded);
    folded_classes[k] = info.classes;
    token_ids[k] = info.gazetteer_id;
  };
  auto classes_of = [&](std::uint32_t k) -> std::uint32_t {
    if (folded_classes[k] == kUnknownClasses)
      look_up(k, FoldedView(TokenText(text, tokens[k]), &fold_buffer));
    return folded_classes[k];
  };
  // The rule word bits of each token (Lexicons::rule_words), found on first use: a token
  // holds a word of a group when it is the word (folded), or, for a token with a character
  // other than an ASCII letter, starts with it (RE2's \b knows only ASCII letters: "Cupé",
  // "AG&T"), or, in an `inside` group, has it anywhere.
  auto& rule_bits = scratch.rule_bits;
  rule_bits.assign(conditions_.empty() ? 0 : tokens.size(), kUnknownClasses);
  auto rule_bits_of = [&](std::uint32_t k) -> std::uint32_t {
    if (rule_bits[k] != kUnknownClasses) return rule_bits[k];
    std::uint32_t bits = classes_of(k) & lex.rule_word_bits;
    const std::string_view w = TokenText(text, tokens[k]);
    const bool plain = std::all_of(w.begin(), w.end(), [](char c) {
      return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    });
    if (plain) {
      // An `inside` word ends a token of ASCII letters (RE2 needs \b or white space after
      // it): "snapelection".
      if (w.size() > lex.shortest_inside_word &&
          lex.inside_word_last[static_cast<unsigned char>(w.back() | 0x20)]) {
        for (const auto& [x, bit] : lex.inside_words) {
          if (x.size() >= w.size() || (bits & bit)) continue;
          const std::string_view end = w.substr(w.size() - x.size());
          if (std::equal(end.begin(), end.end(), x.begin(),
                         [](char a, char b) { return (a | 0x20) == b; }))
            bits |= bit;
        }
      }
    } else {
      const std::string_view folded = FoldedView(w, &fold_buffer);
      if (!folded.empty() && !(folded[0] >= '0' && folded[0] <= '9')) {
        std::uint32_t starts = 0;  // the bits of the words the token starts with
        for (std::size_t n = 1; n < folded.size(); ++n)
          starts |= lex.Classes(folded.substr(0, n)) & lex.rule_word_bits;
        bits |= starts & ~lex.inside_word_bits;
      }
      for (const auto& [x, bit] : lex.inside_words)
        if (!(bits & bit) && folded.find(x) != std::string_view::npos) bits |= bit;
    }
    return rule_bits[k] = bits;
  };
  // MayContinueRule of each token, found on first use (0: no, 1: yes).
  auto& continues_cache = scratch.continues_cache;
  continues_cache.assign(tokens.size(), -1);
  auto continues = [&](std::uint32_t k, std::uint32_t end) {
    if (k >= end) return false;
    if (continues_cache[k] < 0) continues_cache[k] = MayContinueRule(text, tokens, k, end);
    return continues_cache[k] == 1;
  };
  // A candidate's reach: the first token after it that cannot continue a default rule match.
  // Candidates inside one reach share it.
  std::uint32_t reach_from = 0, reach_end = 0;
  // The rule word bits of the reach's tokens from each on to its end, for the reach that
  // starts at token reach_start: reach_bits[j - reach_start] is the OR over [j, reach_end).
  std::uint32_t reach_start = 0;
  auto& reach_bits = scratch.reach_bits;
  auto word_at = [&](std::uint32_t k) { return TokenText(text, tokens[k]); };
  auto punct_is = [&](std::uint32_t k, char c) {
    return tokens[k].Is(kPunct) && text[tokens[k].begin] == c;
  };

  // A document that opens with "SOCCER - ..." is a sports report throughout.
  bool sports_doc = false;
  if (tokens.size() >= 2 && tokens[0].Is(kAllCaps) && IsSportHeadline(word_at(0))) {
    std::uint32_t k = 1;
    if (k < tokens.size() && tokens[k].Is(kAllCaps) && tokens[k].Is(kWord)) ++k;  // ICE HOCKEY
    sports_doc = k < tokens.size() && punct_is(k, '-');
  }

  for (std::uint32_t si = 0; si < seg.sentences.size(); ++si) {
    const Sentence& sent = seg.sentences[si];
    cands.clear();
    // The sentence's words folded and hashed first, each loading the table slot its lookup will
    // read: a lookup is mostly a cache miss (with the gazetteer's vocabulary the word table is
    // about as large as a core's L2), and so the misses of a sentence overlap.
    auto& folded_words = scratch.folded_words;
    auto& fold_arena = scratch.fold_arena;
    folded_words.resize(sent.token_end - sent.first_token);
    fold_arena.clear();
    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      if (!tokens[k].Is(kWord)) continue;
      const std::string_view w = word_at(k);
      const std::string_view folded = FoldedView(w, &fold_buffer);
      FoldedWord& f = folded_words[k - sent.first_token];
      f.copied = folded.data() != w.data();
      f.offset = f.copied ? static_cast<std::uint32_t>(fold_arena.size()) : tokens[k].begin;
      f.size = static_cast<std::uint32_t>(folded.size());
      if (f.copied) fold_arena.append(folded);
      f.hash = HashBytes(folded);
      lex.PrefetchLookup(f.hash);
    }
    // Looks a word of the sentence up (as look_up does), returning whether its folded form is
    // the word as written.
    auto look_up_folded = [&](std::uint32_t k) {
      const FoldedWord& f = folded_words[k - sent.first_token];
      const std::string_view folded = f.copied
          ? std::string_view(fold_arena).substr(f.offset, f.size) : text.substr(f.offset, f.size);
      const WordInfo info = lex.Lookup(folded, f.hash);
      folded_classes[k] = info.classes;
      token_ids[k] = info.gazetteer_id;
      return !f.copied;
    };
    // Sentence shape: ALL-CAPS headlines get the gazetteer only, Title Case headlines the
    // gazetteer and person rules.
    int words = 0, caps = 0, lower_content = 0;
    bool sports = sports_doc;
    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      const Token& t = tokens[k];
      if (t.Is(kWord) && !t.Is(kLower)) {
        // Every other word is looked up below, for the gazetteer and for its classes: here
        // that is one lookup for both.
        look_up_folded(k);
      } else if (t.Is(kWord)) {
        const std::string_view w = word_at(k);
        const bool unchanged = look_up_folded(k);
        // The classes of the word as written: most lower-case words fold to themselves.
        const std::uint32_t classes = unchanged ? folded_classes[k] : lex.Classes(w);
        if (classes & kSportsWord) sports = true;
        if (w.size() >= 4 && !(classes & kFunctionWord)) ++lower_content;
      }
      // A score: "2-1", "6-4" (not a date such as 1996-08-30).
      if (!sports && t.Is(kHasDigit) && k + 2 < sent.token_end && t.end - t.begin <= 3 &&
          !(k > sent.first_token && !t.Is(kSpaceBefore) && punct_is(k - 1, '-')) &&
          punct_is(k + 1, '-') && !tokens[k + 1].Is(kSpaceBefore) &&
          tokens[k + 2].Is(kHasDigit) && !tokens[k + 2].Is(kSpaceBefore) &&
          tokens[k + 2].end - tokens[k + 2].begin <= 3 &&
          !(k + 3 < sent.token_end && punct_is(k + 3, '-')))
        sports = true;
      if (!t.Is(kWord) || t.Is(kHasDigit) || t.end - t.begin < 4) continue;
      ++words;
      if (t.Is(kAllCaps)) ++caps;
    }
    const bool all_caps = words >= 2 && caps * 10 >= words * 6;
    // Title Case: every long word capitalised (a sentence has lower-case content words).
    const bool title_case = !all_caps && words >= 3 && lower_content == 0;
    // The first word token of the sentence, after opening quotes or brackets.
    std::uint32_t first_word = sent.first_token;
    while (first_word < sent.token_end && !tokens[first_word].Is(kWord)) ++first_word;

    reach_from = reach_end = 0;
    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      const Token& t = tokens[k];
      if (!t.Is(kWord)) continue;
      // Skip word pieces glued to a previous word ("based" in "UAE-based" is fine to skip).
      if (k > sent.first_token && !t.Is(kSpaceBefore) && tokens[k - 1].Is(kWord)) continue;
      const bool capital = t.Is(kCapitalized) || t.Is(kHasDigit);
      GazetteerMatch gm;
      if (capital && gazetteer_->LongestMatch(text, tokens, k, sent.token_end, &token_ids, &gm) &&
          (!gm.demonym || options_.demonyms)) {
        const GazetteerEntry& e = gazetteer_->entry(gm.entry);
        Candidate c;
        c.begin = c.full_begin = t.begin;
        c.end = c.full_end = tokens[gm.token_end - 1].end;
        c.priority = 50;
        c.source = 0;
        c.rule_index = 0;
        c.type = e.type;
        c.entity = e.name;
        c.rule = gm.demonym ? "gazetteer.demonym" : "gazetteer";
        cands.push_back(c);
      }
      if (all_caps) continue;
      const std::uint32_t classes = classes_of(k);
      const bool title_start = (classes & kTitleStartWord) != 0;
      if (!capital && !title_start) continue;
      const std::size_t window_end = std::min<std::size_t>(sent.end, t.begin + 400);
      const std::string_view window = text.substr(t.begin, window_end - t.begin);
      // Skip RE2 where no default rule can match (most candidate words). The title rule needs
      // a title and a name ("president Ana Ruiz", not "the president said"); at a lower-case
      // word nothing else can match. Every other rule needs, after a capitalised word, a
      // second name word, a joiner or a digit, and after a number what NumberMayStartRule
      // says. A capitalised word with a digit ("G20", "COP28") or a dot ("A.N.S", an initials
      // rule match on its own) is always tried.
      // The title and given-name rules, kept out of the set, are tried only where a title or
      // a given name opens the window.
      bool try_set = true, try_title = false, try_given = false;
      if (prefilter_rules_) {
        const auto first = static_cast<unsigned char>(window[0]);
        try_title = title_start && TitleOpens(window, Lexicons::FewestTitleWords(classes),
                                              Lexicons::MostTitleWords(classes), lex);
        if (first >= '0' && first <= '9') try_set = NumberMayStartRule(window);
        else if (t.Is(kHasDigit)) try_set = true;
        else if (t.Is(kCapitalized))
          try_set = t.Is(kDotted) || continues(k + 1, sent.token_end);
        else try_set = false;
        // A given name followed by white space opens the window: its first token (folded, as
        // `classes` was looked up) is the first token of a given name, and the text up to the
        // white space is the name.
        try_given = try_set && !given_rules_.empty() && (classes & kGivenStart) &&
                    GivenOpens(window, lex.given_names, longest_given_name_);
        // No title rule set apart: the title rule is among the others (in the set, or tried
        // with no condition).
        if (title_rules_.empty()) try_set = try_set || try_title;
      }
      matches.clear();
      if (try_set && conditions_.empty()) rules_->MatchAt(window, &matches);
      if (try_set && !conditions_.empty()) {
        // Each rule where its condition holds. The tokens of a match from `k` (up to its head
        // word) all continue one: they lie before the reach.
        if (!(k > reach_from && k < reach_end)) {
          reach_end = k + 1;
          while (continues(reach_end, sent.token_end)) ++reach_end;
          reach_start = k;
          reach_bits.resize(reach_end - k);
          std::uint32_t after = 0;
          for (std::uint32_t j = reach_end; j-- > k;) reach_bits[j - k] = after |= rule_bits_of(j);
        }
        reach_from = k;
        const std::uint32_t in_reach = reach_bits[k - reach_start];
        // The conditions the index leaves to be checked one by one: those on the text.
        auto holds = [&](const RuleCondition& c) {
          switch (c.need) {
            case RuleNeed::kNothing:
            case RuleNeed::kWordInReach:
            case RuleNeed::kFirstWord: break;  // indexed
            case RuleNeed::kApposition:
              return reach_end + 1 < sent.token_end && punct_is(reach_end, ',') &&
                     (rule_bits_of(reach_end + 1) & c.word_bit) != 0;
            case RuleNeed::kInitial: {
              std::size_t after = 0;
              utf8::Next(window, &after);
              return after < window.size() && window[after] == '.';
            }
            case RuleNeed::kPrefix: return window.substr(0, c.prefix.size()) == c.prefix;
          }
          return false;
        };
        // The conditions that hold, as a mask (bit i: conditions_[i]): those on word bits
        // from the index by the bits present, the others one by one; then their rules in
        // rule order.
        const ConditionIndex& index = *condition_index_;
        std::uint64_t holding = index.always;
        for (std::uint32_t b = in_reach & index.in_reach_bits; b; b &= b - 1)
          holding |= index.in_reach[__builtin_ctz(b)];
        for (std::uint32_t b = rule_bits_of(k) & index.first_word_bits; b; b &= b - 1)
          holding |= index.first_word[__builtin_ctz(b)];
        for (std::uint64_t o = index.others; o; o &= o - 1) {
          const int i = __builtin_ctzll(o);
          if (holds(conditions_[i])) holding |= std::uint64_t{1} << i;
        }
        for (; holding; holding &= holding - 1)
          rules_->MatchRule(conditions_[__builtin_ctzll(holding)].rule, window, &matches);
      }
      if (try_title) for (std::size_t r : title_rules_) rules_->MatchRule(r, window, &matches);
      if (try_given) for (std::size_t r : given_rules_) rules_->MatchRule(r, window, &matches);
      if (matches.empty()) continue;
      // A rule match may not start with a word capitalised only by its position ("The",
      // "Officials" opening a sentence, any common word in a headline).
      const bool function_word = (classes & kFunctionWord) != 0;
      const bool common_start = (classes & kCommonWord) != 0 &&
                                (k == first_word || title_case);
      for (const auto& m : matches) {
        const PatternRule& r = rules_->rules()[m.rule];
        if (title_case && r.type != "person") continue;
        if ((function_word || common_start) && m.begin == 0) continue;
        Candidate c;
        c.begin = t.begin + static_cast<std::uint32_t>(m.begin);
        c.end = t.begin + static_cast<std::uint32_t>(m.end);
        c.full_begin = t.begin;
        c.full_end = std::max(c.end, t.begin + static_cast<std::uint32_t>(m.end));
        c.priority = r.priority;
        c.source = 1;
        c.rule_index = static_cast<std::uint32_t>(m.rule);
        c.type = r.type;
        c.rule = r.id;
        if (m.title_end > m.title_begin) {
          c.title = window.substr(m.title_begin, m.title_end - m.title_begin);
        }
        // A name must start with a capital and not be a bare function word.
        if (c.end <= c.begin) continue;
        // A match that stops inside a token takes the rest of it where that is letters (RE2's
        // \b knows only ASCII letters: "Fouér|é") or a dotted abbreviation's last dot (the
        // initials rule: "F.D.R|."); stopping anywhere else ("A.N.S|.W.E.R.") it is no name.
        const auto last = std::lower_bound(
            tokens.begin() + k, tokens.begin() + sent.token_end, c.end,
            [](const Token& x, std::uint32_t end) { return x.end < end; });
        if (last != tokens.begin() + sent.token_end && last->begin < c.end && c.end < last->end) {
          const std::string_view rest = text.substr(c.end, last->end - c.end);
          if (rest != "." && !AllLetters(rest)) continue;
          c.end = last->end;
          c.full_end = std::max(c.full_end, c.end);
        }
        cands.push_back(c);
      }
    }

    // Choose: priority, then length, then gazetteer over rule, then position, then the rule
    // listed first (two rules matching the same words: "Western Desert Campaign of World War
    // II", an event by event.named and an organisation by organization.named).
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      const auto la = a.full_end - a.full_begin, lb = b.full_end - b.full_begin;
      if (la != lb) return la > lb;
      if (a.source != b.source) return a.source < b.source;
      if (a.begin != b.begin) return a.begin < b.begin;
      return a.rule_index < b.rule_index;
    });
    chosen.clear();
    for (const auto& c : cands) {
      bool clash = false;
      for (const auto& x : chosen) clash = clash || Overlaps(x, c.begin, c.end);
      if (!clash) chosen.push_back(c);
    }

    // Capitalised runs no candidate covers: names for the resolver to type or drop.
    const std::size_t typed = chosen.size();
    if (!all_caps && !title_case) {
      // The sentence's tokens that overlap a typed candidate. The names found below lie each
      // before the tokens looked at after it, so they need no marks.
      overlapped.assign(sent.token_end - sent.first_token, false);
      const auto sent_begin = tokens.begin() + sent.first_token;
      const auto sent_end = tokens.begin() + sent.token_end;
      for (const Candidate& x : chosen) {
        auto it = std::upper_bound(sent_begin, sent_end, x.begin,
                                   [](std::uint32_t b, const Token& t) { return b < t.end; });
        for (; it != sent_end && Overlaps(x, it->begin, it->end); ++it)
          overlapped[it - sent_begin] = true;
      }
      for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
        const Token& t = tokens[k];
        if (!t.Is(kWord) || !t.Is(kCapitalized)) continue;
        if (k > sent.first_token && !t.Is(kSpaceBefore) && tokens[k - 1].Is(kWord)) continue;
        if (overlapped[k - sent.first_token]) continue;
        const std::uint32_t classes = classes_of(k);
        if (classes & kFunctionWord) continue;
        if (k == first_word && (classes & kCommonWord)) continue;
        std::uint32_t last = k;
        while (last + 1 < sent.token_end) {
          const Token& n = tokens[last + 1];
          if (overlapped[last + 1 - sent.first_token] || !n.Is(kWord) || !n.Is(kCapitalized) ||
              !n.Is(kSpaceBefore) || n.Is(kNewlineBefore))
            break;
          ++last;
        }
        Candidate c;
        c.begin = c.full_begin = t.begin;
        c.end = c.full_end = tokens[last].end;
        c.priority = 0;
        c.source = 2;
        c.rule_index = 0;
        c.rule = "name";
        c.full_begin = k;  // token range, for the context cues below
        c.full_end = last + 1;
        chosen.push_back(c);
        k = last;
      }
    }

    // Token -> chosen candidate, for the context cues.
    const std::uint32_t ntok = sent.token_end - sent.first_token;
    cover.assign(ntok, -1);
    const auto sent_tokens_begin = tokens.begin() + sent.first_token;
    const auto sent_tokens_end = tokens.begin() + sent.token_end;
    for (std::size_t ci = 0; ci < chosen.size(); ++ci) {
      // Tokens are in text order: the covered ones are a run starting at the first token that
      // begins inside the candidate.
      auto it = std::lower_bound(sent_tokens_begin, sent_tokens_end, chosen[ci].begin,
                                 [](const Token& t, std::uint32_t b) { return t.begin < b; });
      for (; it != sent_tokens_end && it->begin < chosen[ci].end; ++it) {
        if (it->end <= chosen[ci].end)
          cover[it - sent_tokens_begin] = static_cast<int>(ci);
      }
    }
    auto cand_at = [&](std::uint32_t k) -> Candidate* {
      if (k < sent.first_token || k >= sent.token_end) return nullptr;
      const int ci = cover[k - sent.first_token];
      return ci < 0 ? nullptr : &chosen[ci];
    };
    auto lower_word = [&](std::uint32_t k) -> std::string_view {
      if (k < sent.first_token || k >= sent.token_end || !tokens[k].Is(kLower)) return {};
      return word_at(k);
    };

    // Untyped names typed from context where the evidence is good.
    for (std::size_t ci = typed; ci < chosen.size(); ++ci) {
      Candidate& c = chosen[ci];
      const std::uint32_t k0 = c.full_begin, k1 = c.full_end;  // tokens [k0, k1)
      c.full_begin = c.begin;
      c.full_end = c.end;
      const std::string_view surface = text.substr(c.begin, c.end - c.begin);
      // An acronym in running text: an organisation unless a gazetteer says otherwise.
      if (k1 == k0 + 1 && tokens[k0].Is(kAllCaps) && surface.size() >= 2 && surface.size() <= 6 &&
          !IsRomanNumeral(surface) && !tokens[k0].Is(kDotted) &&
          !(classes_of(k0) & kCommonWord)) {
        c.type = "organization";
        c.rule = "context.acronym";
        continue;
      }
      // "Jansher Khan (Pakistan)": a name followed by a bracketed country is a competitor.
      if (k1 + 2 < sent.token_end && punct_is(k1, '(')) {
        const Candidate* inner = cand_at(k1 + 1);
        std::uint32_t close = k1 + 1;
        while (close < sent.token_end && cand_at(close) == inner && inner) ++close;
        if (inner && inner->type == "country" && inner->begin == tokens[k1 + 1].begin &&
            close < sent.token_end && punct_is(close, ')')) {
          c.type = "person";
          c.rule = "context.nationality";
          continue;
        }
      }
      // "Ferreira said", "..., said Ferreira."
      if (IsSpeechVerb(lower_word(k1)) ||
          (k1 < sent.token_end && punct_is(k1, ',') && lower_word(k1 + 1) == "who")) {
        c.type = "person";
        c.rule = "context.speech";
        continue;
      }
      if (k0 > sent.first_token && IsSpeechVerb(lower_word(k0 - 1)) &&
          (k1 >= sent.token_end || tokens[k1].Is(kPunct))) {
        c.type = "person";
        c.rule = "context.speech";
        continue;
      }
      // "the Likud party", "Nomura brokerage".
      if (IsOrgNoun(lower_word(k1))) {
        c.type = "organization";
        c.rule = "context.org_noun";
        continue;
      }
    }

    // In sports reports a city, county or region named as a competitor is its team.
    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      Candidate* c = cand_at(k);
      if (!c || c->type != "location" || c->source != 0 || tokens[k].begin != c->begin) continue;
      std::uint32_t e = k;
      while (e < sent.token_end && cand_at(e) == c) ++e;
      const std::string_view prev = lower_word(k - 1);
      const bool after_place_prep = prev == "in" || prev == "at" || prev == "near" ||
                                    prev == "from" || prev == "to" || prev == "of" ||
                                    prev == "outside";
      // "Pohang 3", "BALTIMORE 70 63": a place followed by a small number is a score line.
      const bool score_follows = e < sent.token_end && tokens[e].Is(kHasDigit) &&
                                 AllDigits(word_at(e)) && word_at(e).size() <= 3 &&
                                 !(e + 1 < sent.token_end && punct_is(e + 1, '-') &&
                                   !tokens[e + 1].Is(kSpaceBefore));
      // "Bristol: ...", "London (The Oval): ...": the venue of a match, not a team.
      const bool venue = e < sent.token_end &&
                         (punct_is(e, ':') || punct_is(e, ',') ||
                          (punct_is(e, '(') && e + 1 < sent.token_end &&
                           tokens[e + 1].Is(kCapitalized)));
      // "v Hampshire", "vs. Boston": the opponent in a fixture list.
      const bool opponent = prev == "v" || prev == "vs" || prev == "versus" ||
                            (k >= sent.first_token + 2 && punct_is(k - 1, '.') &&
                             lower_word(k - 2) == "vs");
      if (score_follows || opponent || (sports && !after_place_prep && !venue)) {
        c->type = "organization";
        c->rule = "context.sports_team";
      }
      k = e - 1;
    }

    // Mentions in text order (chosen candidates never overlap, so every begin is distinct).
    std::sort(chosen.begin(), chosen.end(),
              [](const Candidate& a, const Candidate& b) { return a.begin < b.begin; });
    for (const auto& c : chosen) {
      Mention& m = used < out.size() ? out[used] : out.emplace_back();
      ++used;
      m.begin = c.begin;
      m.end = c.end;
      m.sentence = si;
      m.type = c.type;
      m.entity = c.entity.empty() ? text.substr(c.begin, c.end - c.begin) : c.entity;
      m.rule = c.rule;
      m.title = c.title;
    }
  }
  out.resize(used);
}

}  // namespace newsgraph
