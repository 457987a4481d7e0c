#include "newsgraph/extract.hpp"

#include <algorithm>
#include <re2/re2.h>

#include "embedded.hpp"
#include "json_util.hpp"
#include "lexicons.hpp"
#include "newsgraph/gazetteer.hpp"
#include "newsgraph/rules.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

// Embedded files that are not gazetteers.
bool IsLexiconFile(std::string_view name) {
  return name == "rules.json" || name == "titles.json" || name == "given_names.json";
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

EntityExtractor::EntityExtractor(const ExtractorOptions& options)
    : options_(options), rules_(std::make_unique<RuleSet>()),
      lexicons_(std::make_unique<Lexicons>()) {
  Gazetteer gazetteer;
  auto fail = [&](Status s) {
    status_ = std::move(s);
    gazetteer_ = std::make_unique<GazetteerMatcher>(Gazetteer{});
  };
  for (const char* w : kFunctionWords) lexicons_->function_words.insert(w);
  if (options.use_default_data) {
    for (const auto& [name, content] : embedded::Files()) {
      const std::string origin = "data/" + std::string(name);
      Status s;
      if (name == "rules.json") s = rules_->AddJson(content, origin);
      else if (name == "titles.json") s = lexicons_->AddTitles(content, origin);
      else if (name == "given_names.json") s = lexicons_->AddGivenNames(content, origin);
      else if (!IsLexiconFile(name)) s = gazetteer.AddJson(content, origin);
      if (!s.ok()) { fail(Status::Internal("embedded " + s.message())); return; }
    }
  }
  for (const auto& path : options.gazetteer_files) {
    Status s = gazetteer.AddFile(path);
    if (!s.ok()) { fail(s); return; }
  }
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
  Status s = rules_->Compile();
  if (!s.ok()) { fail(s); return; }
  gazetteer_ = std::make_unique<GazetteerMatcher>(gazetteer);
}

EntityExtractor::~EntityExtractor() = default;

namespace {

struct Candidate {
  std::uint32_t begin, end;            // entity span (bytes)
  std::uint32_t full_begin, full_end;  // what matched, title included
  int priority;
  int source;  // 0 gazetteer, 1 rule
  std::string type, entity, rule, title;
};

bool Overlaps(const Candidate& a, std::uint32_t b, std::uint32_t e) {
  return a.begin < e && b < a.end;
}

}  // namespace

std::vector<Mention> EntityExtractor::Extract(std::string_view text,
                                              const Segmentation& seg) const {
  std::vector<Mention> out;
  if (!ok()) return out;
  const auto& tokens = seg.tokens;
  const Lexicons& lex = *lexicons_;
  std::vector<Candidate> cands;
  std::vector<RuleSet::Match> matches;
  std::vector<char> taken;

  for (std::uint32_t si = 0; si < seg.sentences.size(); ++si) {
    const Sentence& sent = seg.sentences[si];
    cands.clear();
    // Sentence shape: ALL-CAPS headlines and Title Case headlines get the gazetteer only.
    int words = 0, caps = 0, capitalised = 0;
    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      const Token& t = tokens[k];
      if (!t.Is(kWord) || t.Is(kHasDigit) || t.end - t.begin < 4) continue;
      ++words;
      if (t.Is(kAllCaps)) ++caps;
      if (t.Is(kCapitalized)) ++capitalised;
    }
    const bool all_caps = words >= 2 && caps * 10 >= words * 6;
    // Title Case: nearly every long word capitalised, and no closing period.
    const Token& last = tokens[sent.token_end - 1];
    const bool closed = last.Is(kPunct) && text[last.begin] == '.';
    const bool title_case = !all_caps && words >= 3 &&
                            (closed ? capitalised * 20 >= words * 19 : capitalised * 5 >= words * 4);

    for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
      const Token& t = tokens[k];
      if (!t.Is(kWord)) continue;
      // Skip word pieces glued to a previous word ("based" in "UAE-based" is fine to skip).
      if (k > sent.first_token && !t.Is(kSpaceBefore) && tokens[k - 1].Is(kWord)) continue;
      const bool capital = t.Is(kCapitalized) || t.Is(kHasDigit);
      GazetteerMatch gm;
      if (capital && gazetteer_->LongestMatch(text, tokens, k, sent.token_end, &gm) &&
          (!gm.demonym || options_.demonyms)) {
        const GazetteerEntry& e = gazetteer_->entry(gm.entry);
        Candidate c;
        c.begin = c.full_begin = t.begin;
        c.end = c.full_end = tokens[gm.token_end - 1].end;
        c.priority = 50;
        c.source = 0;
        c.type = e.type;
        c.entity = e.name;
        c.rule = gm.demonym ? "gazetteer.demonym" : "gazetteer";
        cands.push_back(std::move(c));
      }
      if (all_caps) continue;
      if (!capital && !lex.title_starts.count(FoldForLookup(TokenText(text, t)))) continue;
      const std::size_t window_end = std::min<std::size_t>(sent.end, t.begin + 400);
      const std::string_view window = text.substr(t.begin, window_end - t.begin);
      matches.clear();
      rules_->MatchAt(window, &matches);
      // A rule match may not start with a word capitalised only by its position ("The").
      const bool function_word = lex.function_words.count(FoldForLookup(TokenText(text, t))) > 0;
      for (const auto& m : matches) {
        const PatternRule& r = rules_->rules()[m.rule];
        if (title_case && r.title_group.empty()) continue;
        if (function_word && m.begin == 0) continue;
        Candidate c;
        c.begin = t.begin + static_cast<std::uint32_t>(m.begin);
        c.end = t.begin + static_cast<std::uint32_t>(m.end);
        c.full_begin = t.begin;
        c.full_end = std::max(c.end, t.begin + static_cast<std::uint32_t>(m.end));
        c.priority = r.priority;
        c.source = 1;
        c.type = r.type;
        c.rule = r.id;
        if (m.title_end > m.title_begin) {
          c.title = std::string(window.substr(m.title_begin, m.title_end - m.title_begin));
        }
        // A name must start with a capital and not be a bare function word.
        if (c.end <= c.begin) continue;
        cands.push_back(std::move(c));
      }
    }

    // Choose: priority, then length, then gazetteer over rule, then position.
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.priority != b.priority) return a.priority > b.priority;
      const auto la = a.full_end - a.full_begin, lb = b.full_end - b.full_begin;
      if (la != lb) return la > lb;
      if (a.source != b.source) return a.source < b.source;
      return a.begin < b.begin;
    });
    std::vector<Candidate> chosen;
    for (auto& c : cands) {
      bool clash = false;
      for (const auto& x : chosen) clash = clash || Overlaps(x, c.begin, c.end);
      if (!clash) chosen.push_back(std::move(c));
    }

    // Capitalised runs no candidate covers: names for the resolver to type or drop.
    if (!all_caps && !title_case) {
      for (std::uint32_t k = sent.first_token; k < sent.token_end; ++k) {
        const Token& t = tokens[k];
        if (!t.Is(kWord) || !t.Is(kCapitalized)) continue;
        if (k > sent.first_token && !t.Is(kSpaceBefore) && tokens[k - 1].Is(kWord)) continue;
        bool covered = false;
        for (const auto& x : chosen) covered = covered || Overlaps(x, t.begin, t.end);
        if (covered) continue;
        if (lex.function_words.count(FoldForLookup(TokenText(text, t)))) continue;
        std::uint32_t last = k;
        while (last + 1 < sent.token_end) {
          const Token& n = tokens[last + 1];
          bool inside = false;
          for (const auto& x : chosen) inside = inside || Overlaps(x, n.begin, n.end);
          if (inside || !n.Is(kWord) || !n.Is(kCapitalized) || !n.Is(kSpaceBefore) ||
              n.Is(kNewlineBefore))
            break;
          ++last;
        }
        Candidate c;
        c.begin = c.full_begin = t.begin;
        c.end = c.full_end = tokens[last].end;
        c.priority = 0;
        c.source = 2;
        c.rule = "name";
        chosen.push_back(std::move(c));
        k = last;
      }
    }

    for (auto& c : chosen) {
      Mention m;
      m.begin = c.begin;
      m.end = c.end;
      m.sentence = si;
      m.type = std::move(c.type);
      m.entity = c.entity.empty() ? std::string(text.substr(c.begin, c.end - c.begin))
                                  : std::move(c.entity);
      m.rule = std::move(c.rule);
      m.title = std::move(c.title);
      out.push_back(std::move(m));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

}  // namespace newsgraph
