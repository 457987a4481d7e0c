#include "newsgraph/resolve.hpp"

#include <unordered_map>

#include "newsgraph/gazetteer.hpp"
#include "utf8.hpp"

namespace newsgraph {

std::string NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  std::size_t i = 0;
  bool space = false;
  while (i < name.size()) {
    const char32_t c = utf8::Next(name, &i);
    if (utf8::IsSpace(c)) { space = !out.empty(); continue; }
    if (space) { out.push_back(' '); space = false; }
    if (c == 0x2019 || c == 0x2018) out.push_back('\'');
    else utf8::Append(&out, c);
  }
  if (out.rfind("the ", 0) == 0 || out.rfind("The ", 0) == 0) out.erase(0, 4);
  for (const char* suffix : {"'s", "'"}) {
    const std::size_t n = std::char_traits<char>::length(suffix);
    if (out.size() > n && out.compare(out.size() - n, n, suffix) == 0) out.resize(out.size() - n);
  }
  return out;
}

namespace {

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

// Returns the text between the end of `a` and the start of `b`, if b follows a.
std::string_view Between(std::string_view text, const Mention& a, const Mention& b) {
  if (b.begin < a.end) return {};
  return text.substr(a.end, b.begin - a.end);
}

bool IsAcronymSurface(std::string_view s) {
  if (s.size() < 2 || s.size() > 10) return false;
  int upper = 0;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') ++upper;
    else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '&') return false;
  }
  return upper >= 2;
}

}  // namespace

void EntityResolver::Resolve(std::string_view text, std::vector<Mention>* mentions) const {
  auto& ms = *mentions;
  for (auto& m : ms) m.entity = NormalizeName(m.entity);

  // Acronyms defined in the text: "Association of Southeast Asian Nations (ASEAN)".
  // Folded surface -> (type, entity), copied: mentions move below.
  std::unordered_map<std::string, std::pair<std::string, std::string>> defined;
  for (std::size_t i = 0; i + 1 < ms.size(); ++i) {
    Mention& longform = ms[i];
    Mention& acro = ms[i + 1];
    if (longform.type.empty()) continue;
    const std::string_view gap = Between(text, longform, acro);
    if (gap != " (" && gap != "(") continue;
    if (acro.end >= text.size() || text[acro.end] != ')') continue;
    const std::string_view surface = text.substr(acro.begin, acro.end - acro.begin);
    if (!IsAcronymSurface(surface)) continue;
    if (acro.type.empty() || acro.type == longform.type || acro.rule.rfind("context.", 0) == 0) {
      acro.type = longform.type;
      acro.entity = longform.entity;
      acro.rule = "acronym";
      defined[FoldForLookup(surface)] = {acro.type, acro.entity};
    }
  }

  // Short forms of people named in full somewhere in the document.
  std::unordered_map<std::string, std::string> person_parts;  // folded word -> full name
  std::unordered_map<std::string, int> part_uses;
  for (const auto& m : ms) {
    if (m.type != "person") continue;
    const auto words = Words(m.entity);
    if (words.size() < 2) continue;
    for (std::string_view w : {words.front(), words.back()}) {
      const std::string key = FoldForLookup(w);
      auto it = person_parts.find(key);
      if (it == person_parts.end()) {
        person_parts.emplace(key, m.entity);
      } else if (it->second != m.entity) {
        // Two people share the word: prefer the longer full name, then the first seen.
        if (Words(it->second).size() < words.size()) it->second = m.entity;
      }
      ++part_uses[key];
    }
  }
  // Every typed surface in the document, for untyped repeats of it.
  std::unordered_map<std::string, std::pair<std::string, std::string>> typed_surface;
  for (const auto& m : ms) {
    if (m.type.empty()) continue;
    typed_surface.emplace(FoldForLookup(text.substr(m.begin, m.end - m.begin)),
                          std::pair{m.type, m.entity});
  }

  std::vector<Mention> kept;
  kept.reserve(ms.size());
  for (auto& m : ms) {
    const std::string_view surface = text.substr(m.begin, m.end - m.begin);
    const std::string folded = FoldForLookup(surface);
    if (m.type.empty() || m.type == "person") {
      const auto words = Words(m.entity);
      if (words.size() == 1) {
        auto it = person_parts.find(folded);
        if (it != person_parts.end()) {
          m.type = "person";
          m.entity = it->second;
          if (m.rule == "name") m.rule = "resolve.surname";
        }
      }
    }
    // An acronym defined in this document outweighs a type guessed from context.
    if (m.type.empty() || m.rule.rfind("context.", 0) == 0) {
      auto d = defined.find(folded);
      if (d != defined.end()) {
        m.type = d->second.first;
        m.entity = d->second.second;
        m.rule = "resolve.acronym";
      }
    }
    if (m.type.empty()) {
      auto s = typed_surface.find(folded);
      if (s != typed_surface.end()) {
        m.type = s->second.first;
        m.entity = s->second.second;
        m.rule = "resolve.repeat";
      }
    }
    if (!m.type.empty()) kept.push_back(std::move(m));
  }
  ms = std::move(kept);
}

}  // namespace newsgraph
