#include <catch2/catch.hpp>

#include <string>

#include "newsgraph/pipeline.hpp"
#include "test_util.hpp"

using namespace newsgraph;

namespace {

struct Found {
  std::string text, type, entity, title;
};

std::vector<Found> Run(const std::string& text, ExtractorOptions options = {}) {
  PipelineOptions p;
  p.extractor = std::move(options);
  static Pipeline* cached = nullptr;
  Pipeline local(p);
  REQUIRE(local.status().ok());
  AnalyzedDocument item;
  item.doc.text = text;
  local.Analyze(&item);
  std::vector<Found> out;
  for (const auto& m : item.mentions)
    out.push_back({text.substr(m.begin, m.end - m.begin), m.type, m.entity, m.title});
  (void)cached;
  return out;
}

bool Has(const std::vector<Found>& found, const std::string& text, const std::string& type,
         const std::string& entity = "") {
  for (const auto& f : found)
    if (f.text == text && f.type == type && (entity.empty() || f.entity == entity)) return true;
  return false;
}

}  // namespace

TEST_CASE("countries by short form and acronym map to one canonical name", "[extract]") {
  const auto f = Run("Officials from the U.S. and the UK met counterparts from the United States "
                     "Trade Representative's office and from Britain.");
  CHECK(Has(f, "U.S.", "country", "United States"));
  CHECK(Has(f, "UK", "country", "United Kingdom"));
  CHECK(Has(f, "Britain", "country", "United Kingdom"));
}

TEST_CASE("possessives are outside the span", "[extract]") {
  const auto f = Run("Kenya\xE2\x80\x99s envoy praised Ghana's stance.");
  CHECK(Has(f, "Kenya", "country", "Kenya"));
  CHECK(Has(f, "Ghana", "country", "Ghana"));
}

TEST_CASE("a title is kept out of the span and recorded", "[extract]") {
  const auto f = Run("Prime Minister Aino Virtanen opened the session.");
  REQUIRE(Has(f, "Aino Virtanen", "person"));
  for (const auto& x : f)
    if (x.text == "Aino Virtanen") CHECK(x.title == "Prime Minister");
}

TEST_CASE("lower-case titles of one to seven words still lead to the name", "[extract]") {
  // The rules are tried at a lower-case word only where a title's name can follow: these check
  // that titles of every length, across runs of white space, still reach it.
  const struct {
    const char* text;
    const char* name;
    const char* title;
  } cases[] = {
      {"The talks were led by foreign minister Aino Virtanen on Monday.", "Aino Virtanen",
       "foreign minister"},
      {"A letter from the chairman of the joint chiefs of staff Tomas Ekberg followed.",
       "Tomas Ekberg", "chairman of the joint chiefs of staff"},
      {"Questions went to the\tHon.  Marit Solberg, who declined.", "Marit Solberg",
       "the\tHon."},
      {"It was signed by general Oskar Lind.", "Oskar Lind", "general"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto f = Run(c.text);
    bool found = false;
    for (const auto& x : f) {
      if (x.text != c.name) continue;
      found = true;
      CHECK(x.type == "person");
      CHECK(x.title == c.title);
    }
    CHECK(found);
  }
}

TEST_CASE("a surname later in the document resolves to the full name", "[extract]") {
  const auto f = Run("President Tomas Ferreira arrived on Monday. Ferreira said the talks went well. "
                     "Later, Ferreira\xE2\x80\x99s aides left.");
  CHECK(Has(f, "Tomas Ferreira", "person", "Tomas Ferreira"));
  int resolved = 0;
  for (const auto& x : f) resolved += x.text == "Ferreira" && x.entity == "Tomas Ferreira";
  CHECK(resolved == 2);
}

TEST_CASE("summits, declarations and parties are typed by their head word", "[extract]") {
  const auto f = Run("Leaders at the Nairobi Water Summit adopted the Lakeside Declaration, "
                     "which the Green Harbour Party opposed.");
  CHECK(Has(f, "Nairobi Water Summit", "event"));
  CHECK(Has(f, "Lakeside Declaration", "document"));
  CHECK(Has(f, "Green Harbour Party", "organization"));
}

TEST_CASE("an acronym defined in the text takes its long form's type and name", "[extract]") {
  const auto f = Run("The Coastal Fisheries Agency (CFA) issued a warning. The CFA said stocks fell.");
  CHECK(Has(f, "Coastal Fisheries Agency", "organization"));
  int acronyms = 0;
  for (const auto& x : f) acronyms += x.text == "CFA" && x.entity == "Coastal Fisheries Agency";
  CHECK(acronyms == 2);
}

TEST_CASE("sentence-initial function words are not entities", "[extract]") {
  const auto f = Run("However, the talks stalled. The delegates went home. In March they returned.");
  CHECK(f.empty());
}

TEST_CASE("an unknown capitalised name with no evidence is left out", "[extract]") {
  const auto f = Run("Delegates praised Brightwater for its candour.");
  CHECK_FALSE(Has(f, "Brightwater", "person"));
  CHECK_FALSE(Has(f, "Brightwater", "organization"));
}

// ---------------------------------------------------------------------------------------------
// Context cues for names no rule types (issue 3).

TEST_CASE("counties and cities named as competitors in a sports report are teams", "[extract]") {
  const auto f = Run("Kent beat Essex by six wickets at Canterbury on Friday.");
  CHECK(Has(f, "Kent", "organization"));
  CHECK(Has(f, "Essex", "organization"));
  CHECK(Has(f, "Canterbury", "location"));  // the venue, after "at"
}

TEST_CASE("a place followed by a score is a team, a place before a date a dateline", "[extract]") {
  const auto f = Run("Leeds 3 Bristol 1");
  CHECK(Has(f, "Leeds", "organization"));
  CHECK(Has(f, "Bristol", "organization"));
  const auto g = Run("Leeds 2024-05-01\n\nThe council met on Tuesday.");
  CHECK(Has(g, "Leeds", "location"));
}

TEST_CASE("places outside sports reports stay places", "[extract]") {
  const auto f = Run("Flooding closed roads in Kent and Essex after heavy rain.");
  CHECK(Has(f, "Kent", "location"));
  CHECK(Has(f, "Essex", "location"));
}

TEST_CASE("an initial and a surname are a person", "[extract]") {
  const auto f = Run("The spinner R. Whitcombe took four wickets before tea.");
  CHECK(Has(f, "R. Whitcombe", "person"));
}

TEST_CASE("a name followed by a bracketed country is a competitor", "[extract]") {
  const auto f = Run("Tomasz Wielgosz (Poland) lost to Chidi Okafor (Nigeria) in three sets.");
  CHECK(Has(f, "Tomasz Wielgosz", "person"));
  CHECK(Has(f, "Chidi Okafor", "person"));
  CHECK(Has(f, "Poland", "country"));
}

TEST_CASE("a name before a speech verb is a person; a common word is not", "[extract]") {
  const auto f = Run("Okonkwo told reporters the plan would fail. Officials said little.");
  CHECK(Has(f, "Okonkwo", "person"));
  CHECK_FALSE(Has(f, "Officials", "person"));
}

TEST_CASE("an acronym in running text is an organisation, a common abbreviation is not",
          "[extract]") {
  const auto f = Run("Delegates from the KPDL walked out, and the CEO resigned.");
  CHECK(Has(f, "KPDL", "organization"));
  CHECK_FALSE(Has(f, "CEO", "organization"));
}

TEST_CASE("a lower-case organisation noun after a name types it", "[extract]") {
  const auto f = Run("Voters backed the Vistula party in the north.");
  CHECK(Has(f, "Vistula", "organization"));
}

TEST_CASE("a list of names in a Title Case line still finds known given names", "[extract]") {
  const auto f = Run("69 Gordon Pallister, Marcus Feldmann, Peter Quist");
  CHECK(Has(f, "Gordon Pallister", "person"));
  CHECK(Has(f, "Peter Quist", "person"));
}

TEST_CASE("a party or body 'of' a place keeps the place in its name", "[extract]") {
  const auto f = Run("He left the Social Credit Party of Alberta for the Reform Party.");
  CHECK(Has(f, "Social Credit Party of Alberta", "organization"));
  CHECK_FALSE(Has(f, "Alberta", "location"));
}

TEST_CASE("elections named with year, office and place are events", "[extract]") {
  const auto f = Run("She lost the 1994 United States Senate special election in Ohio and won "
                     "the 2002 Alberta provincial election.");
  CHECK(Has(f, "1994 United States Senate special election in Ohio", "event"));
  CHECK(Has(f, "2002 Alberta provincial election", "event"));
}

TEST_CASE("numbered wars are events", "[extract]") {
  const auto f = Run("His father served in World War II as a medic.");
  CHECK(Has(f, "World War II", "event"));
}

TEST_CASE("possessives stay outside rule spans too", "[extract]") {
  const auto f = Run("Premier Li Wenhao\xE2\x80\x99s aides visited the UK\xE2\x80\x99s Marine "
                     "Survey Institute.");
  CHECK(Has(f, "Li Wenhao", "person"));
  CHECK(Has(f, "Marine Survey Institute", "organization"));
  CHECK(Has(f, "UK", "country"));
}

TEST_CASE("the nations of the United Kingdom are countries", "[extract]") {
  const auto f = Run("Fishing rights divide England and Scotland.");
  CHECK(Has(f, "England", "country"));
  CHECK(Has(f, "Scotland", "country"));
}

TEST_CASE("demonyms are found only with the demonyms option", "[extract]") {
  const std::string text = "Chinese officials met British envoys.";
  CHECK_FALSE(Has(Run(text), "Chinese", "country"));
  ExtractorOptions o;
  o.demonyms = true;
  const auto f = Run(text, o);
  CHECK(Has(f, "Chinese", "country", "China"));
  CHECK(Has(f, "British", "country", "United Kingdom"));
}

TEST_CASE("a sentence-initial common word does not start a name", "[extract]") {
  const auto f = Run("Results of the Harbour Cup were delayed. Analysts expect more rain.");
  CHECK_FALSE(Has(f, "Results", "organization"));
  CHECK_FALSE(Has(f, "Analysts", "person"));
}

TEST_CASE("named grounds and streets are places, not people", "[extract]") {
  const auto f = Run("Derbyshire batted all day at Grace Road while fans queued on Mill Street.");
  CHECK(Has(f, "Grace Road", "location"));
  CHECK(Has(f, "Mill Street", "location"));
}

TEST_CASE("the city before a bracketed ground in a score line is the venue", "[extract]") {
  const auto f = Run("London (Lord's): Middlesex 210, Kent 180-4 (R. Whitcombe 60 not out).");
  CHECK(Has(f, "London", "location"));
  CHECK(Has(f, "Middlesex", "organization"));
  CHECK(Has(f, "Kent", "organization"));
}

TEST_CASE("the opponent in a fixture list is a team", "[extract]") {
  const auto f = Run("June 3 v Sussex (three days)");
  CHECK(Has(f, "Sussex", "organization"));
}

TEST_CASE("an election named with a hyphenated word after a place is an event", "[extract]") {
  // "mid" and "run" open the election words "mid-term" and "run-off" as separate tokens.
  CHECK(Has(Run("Turnout in the Ohio mid-term election fell again."), "Ohio mid-term election",
            "event"));
  CHECK(Has(Run("Results of the Lagos run-off election came late."), "Lagos run-off election",
            "event"));
}

TEST_CASE("a rule match ends where its word ends", "[extract]") {
  // RE2's \b knows only ASCII letters: the rules' final \b would cut a name before a last
  // non-ASCII letter. The initials rule stops before a dotted abbreviation's last dot.
  CHECK(Has(Run("Talks with Marie Dub\xC3\xA9 ended early."), "Marie Dub\xC3\xA9", "person"));
  CHECK(Has(Run("Aid reached Tomas Horvat\xC4\x87 on Friday."), "Tomas Horvat\xC4\x87",
            "person"));
  CHECK(Has(Run("A portrait of J.K.L. hung in the hall of the Senate."), "J.K.L.", "person"));
  // Initials inside a longer dotted abbreviation are no name.
  for (const auto& f : Run("Marchers from R.E.S.I.S.T. gathered and left."))
    CHECK(f.text.rfind("R.E.S", 0) != 0);
}

TEST_CASE("skipping RE2 where no default rule can match changes no mention", "[extract]") {
  // The extractor tries its rules only at words where a default rule can match (a title
  // opening a name, a capitalised word with a name word or joiner behind it, a year or an
  // ordinal before a name, ...). A user rule file turns that filter off, as a user rule may
  // match anywhere; an empty one adds no rule, so both extractors must find the same mentions.
  const newsgraph::testing::TempDir dir;
  ExtractorOptions unfiltered;
  unfiltered.rule_files.push_back(dir.Write("none.json", R"({"version": 1, "rules": []})"));
  const std::vector<std::string> texts = {
      // titles, lower- and upper-case, before a name or not, with any white space
      "The talks were chaired by former president Ana Ruiz, and the president said little.",
      "Later the Rt. Hon. Ewan Price and Vice-President Lea Moss met prime\tminister Ola Dahl.",
      "The Chargé d'affaires Pia Holm left; chargé d'affaires Tor Berg stayed. President spoke.",
      "General Ida Falk and general manager Sven Ek visited; the General said nothing.",
      // numbers: years and ordinals before names, and numbers nothing can follow
      "In 2019 Nordic elections and the 2004 and 2008 Senate elections, turnout rose by 12 and 3.",
      "The 3rd Infantry Division, 12 plc, the 7 of Hearts, 1990s music, 2nd place, 15 or 16.",
      "Scores: 6-4, 1/2, 3.5 and 2018; the 21st Century Fund and 4th July Parade.",
      // words glued to a capitalised word, dotted initials, capitals beyond the tokenizer's
      "Voters in the Ohio mid-term election and the Lagos run-off election stayed home.",
      "Marchers from R.E.S.I.S.T. joined A.B. Lindqvist and J.Smith downtown.",
      "Olaf \xEF\xBC\xAD\xEF\xBD\x85yer and \xC3\x89lise Martin met \xCE\xA9mega Partners.",
      "G20 leaders, COP28 delegates and x86 makers met the Emir of Qatar on Monday.",
      // given names: followed by a surname, an initial, a particle, or by nothing that makes a
      // name; hyphenated, with an apostrophe, glued to punctuation, and at a sentence start
      "Maria Lindqvist and John F. Okafor met Ali al-Rashid, Jean-Luc Moreau and Anna van Dijk.",
      "John's plan and Maria's reply reached Peter, Paul and Mary (Anna) Berg on Friday.",
      "Jean-Luc, Jean Luc and Sha'Carri Okoye ran; John-Paul Ek and Marie-Claire Dupont won.",
      "Maria\tLindqvist, Peter\nNyberg and David  Holm signed; George said Michael would.",
      "Anna's Bakery, Victoria Station, Francis Drive and the Elizabeth Line were shut.",
      "Sofia Ortega Party leader Carlos Mendez met President Ana Ruiz and Omar Haddad Foundation staff.",
      // each rule's condition: a head word in reach, whole, cut short or glued to a character
      // RE2's \b does not count as a letter; a first word; a comma and a determiner; an initial
      "The Harbour Workers Party, the Delta Water Agency and Tallin Corp. merged; Vesk Co. did not.",
      "Lune Shipping AG&T, the Ostra Farmers Party\xC3\xA9 and the Velde Cup\xCC\x81 drew crowds.",
      "The River Party's plan, the Party2 list and the Hill Party'x wing came to the Ridge Summit II.",
      "Under the Coastal Trade Agreement of the North, the Treaty of Carrow and Resolution No. 88.",
      "The Lakeside Conference on Water, the Summit of the Islands and the Ostra Grand Prix began.",
      "Senateelection rows, the Ostra snapelection, Velde by-elections and Dunmore caucuses ended.",
      "Marta Velez, the regional trade commissioner, met Ivo Kral, a former ambassador, and Ana Pol.",
      "J. Almeda of the Ministry of Roads spoke at Grey Lane Stadium near Old Mill Road on Monday.",
      "The Communiqu\xC3\xA9 of the Ridge Summit and the Ostra Organisation of Farmers were read.",
      "COP 41 and COP41 met the Federal Reserve Bank of Ostra and the University of Velde.",
  };
  for (const auto& text : texts) {
    INFO(text);
    const auto filtered = Run(text);
    const auto all = Run(text, unfiltered);
    REQUIRE(filtered.size() == all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
      CHECK(filtered[i].text == all[i].text);
      CHECK(filtered[i].type == all[i].type);
      CHECK(filtered[i].entity == all[i].entity);
      CHECK(filtered[i].title == all[i].title);
    }
  }
}

TEST_CASE("extracting into a reused vector gives what a fresh one gets", "[extract]") {
  const EntityExtractor extractor;
  REQUIRE(extractor.ok());
  const SentenceSplitter splitter;
  // Documents with more, then fewer, then no mentions, with titles and long names, so that
  // every field of a reused mention is written over (and a stale title would show).
  const std::vector<std::string> texts = {
      "President Amara Okafor of Northland met the Secretary-General of the United Nations "
      "and officials of the International Monetary Fund in Geneva on Monday.",
      "Talks in Oslo went on.",
      "nothing capitalised here at all",
      "Minister Jonas Berg spoke to reporters in Brussels, then flew to Nairobi and Lagos.",
      "Kenya."};
  std::vector<Mention> reused;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& text : texts) {
      const Segmentation seg = splitter.Segment(text);
      const std::vector<Mention> fresh = extractor.Extract(text, seg);
      extractor.Extract(text, seg, &reused);
      INFO(text);
      REQUIRE(reused.size() == fresh.size());
      for (std::size_t i = 0; i < fresh.size(); ++i) {
        CHECK(reused[i].begin == fresh[i].begin);
        CHECK(reused[i].end == fresh[i].end);
        CHECK(reused[i].sentence == fresh[i].sentence);
        CHECK(reused[i].type == fresh[i].type);
        CHECK(reused[i].entity == fresh[i].entity);
        CHECK(reused[i].rule == fresh[i].rule);
        CHECK(reused[i].title == fresh[i].title);
      }
    }
  }
}
