#include <catch2/catch.hpp>

#include <string>

#include "newsgraph/pipeline.hpp"

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
