// libFuzzer target: the user gazetteer and rule loaders. The first byte picks the loader; the
// rest is the JSON document. Loaded gazetteers are compiled into a matcher and rule sets into
// RE2, and both are run over a fixed sentence.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "newsgraph/gazetteer.hpp"
#include "newsgraph/rules.hpp"
#include "newsgraph/segment.hpp"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::string_view kSentence =
    "President Ana Ferreira of Portugal met the Coastal Fisheries Agency (CFA) at the Lisbon "
    "Summit on 14 June, before the Treaty of Porto was signed.";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace newsgraph;
  if (size == 0) return 0;
  const std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    Gazetteer gazetteer;
    Status s = gazetteer.AddJson(json, "user.json");
    if (!s.ok()) {
      Check(s.message().rfind("user.json", 0) == 0);
      return 0;
    }
    GazetteerMatcher matcher(gazetteer);
    SentenceSplitter splitter;
    Segmentation seg = splitter.Segment(kSentence);
    const auto n = static_cast<std::uint32_t>(seg.tokens.size());
    for (std::uint32_t i = 0; i < n; ++i) {
      GazetteerMatch m;
      if (matcher.LongestMatch(kSentence, seg.tokens, i, n, &m)) {
        Check(m.first_token == i && m.token_end > i && m.token_end <= n);
        Check(m.entry < gazetteer.entries().size());
      }
    }
    for (const GazetteerEntry& e : gazetteer.entries()) (void)matcher.Find(e.name);
  } else {
    RuleSet rules;
    Status s = rules.AddJson(json, "user.json");
    if (!s.ok()) {
      Check(s.message().rfind("user.json", 0) == 0);
      return 0;
    }
    s = rules.Compile();
    if (!s.ok()) {
      Check(!s.message().empty());
      return 0;
    }
    std::vector<RuleSet::Match> matches;
    for (std::size_t i = 0; i < kSentence.size(); ++i) rules.MatchAt(kSentence.substr(i), &matches);
    for (const auto& m : matches) Check(m.rule < rules.rules().size() && m.begin <= m.end);
  }
  return 0;
}
