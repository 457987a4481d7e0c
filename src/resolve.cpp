#include "newsgraph/resolve.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "newsgraph/gazetteer.hpp"
#include "flat_hash.hpp"
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


bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// FoldForLookup(s) into `out` (reusing its storage). Every key compared in Resolve is folded
// here, so the maps agree.
void FoldInto(std::string_view s, std::string* out) { FoldForLookup(s, out); }

std::string Folded(std::string_view s) {
  std::string out;
  FoldInto(s, &out);
  return out;
}

// Returns the number of space-separated words of `s`.
std::size_t WordCount(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    if (c == ' ') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++n;
    }
  }
  return n;
}

// NormalizeName in place: names of plain printable ASCII with single inner spaces (nearly all)
// only need the article and possessive trimmed, with no new string.
void NormalizeInPlace(std::string* name) {
  const std::string& s = *name;
  bool plain = !s.empty() && s.front() != ' ' && s.back() != ' ';
  for (std::size_t i = 0; plain && i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b >= 0x7F || (b == ' ' && s[i + 1] == ' ')) plain = false;
  }
  if (!plain) {
    *name = NormalizeName(s);
    return;
  }
  if (StartsWith(*name, "the ") || StartsWith(*name, "The ")) name->erase(0, 4);
  // The possessive: "'s", then a lone "'" (as NormalizeName).
  if (name->size() > 2 && name->compare(name->size() - 2, 2, "'s", 2) == 0) name->resize(name->size() - 2);
  if (name->size() > 1 && name->back() == '\'') name->pop_back();
}

// A string-keyed map for one Resolve call, without allocations once warm: keys and values are
// copies in a shared arena (so they stay as they were when stored), entries in an open-addressing
// table sized for the most entries the call can add.
class ScratchMap {
 public:
  struct Entry {
    std::uint64_t hash;
    std::uint32_t key, key_len, a, a_len, b, b_len;  // offsets into the arena
  };
  void Reset(std::string* arena, std::size_t max_entries) {
    arena_ = arena;
    entries_.clear();
    std::size_t size = 16;
    while (size < 2 * max_entries + 2) size *= 2;
    table_.assign(size, kEmpty);
    mask_ = size - 1;
  }
  std::string_view Key(const Entry& e) const { return View(e.key, e.key_len); }
  std::string_view A(const Entry& e) const { return View(e.a, e.a_len); }
  std::string_view B(const Entry& e) const { return View(e.b, e.b_len); }
  // Returns the entry of `key`, or null.
  Entry* Find(std::string_view key) {
    if (entries_.empty()) return nullptr;
    const std::uint64_t h = HashBytes(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (table_[i] == kEmpty) return nullptr;
      Entry& e = entries_[table_[i]];
      if (e.hash == h && SameBytes(Key(e), key)) return &e;
    }
  }
  // Adds `key` with values (a, b) unless present; returns whether it was added.
  bool Insert(std::string_view key, std::string_view a, std::string_view b) {
    const std::uint64_t h = HashBytes(key);
    std::size_t i = h & mask_;
    for (; table_[i] != kEmpty; i = (i + 1) & mask_) {
      const Entry& e = entries_[table_[i]];
      if (e.hash == h && SameBytes(Key(e), key)) return false;
    }
    table_[i] = static_cast<std::uint32_t>(entries_.size());
    Entry e{h, 0, 0, 0, 0, 0, 0};
    Store(key, &e.key, &e.key_len);
    Store(a, &e.a, &e.a_len);
    Store(b, &e.b, &e.b_len);
    entries_.push_back(e);
    return true;
  }
  // Replaces the first value of `e`.
  void SetA(Entry* e, std::string_view a) { Store(a, &e->a, &e->a_len); }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  std::string_view View(std::uint32_t off, std::uint32_t len) const {
    return std::string_view(*arena_).substr(off, len);
  }
  void Store(std::string_view s, std::uint32_t* off, std::uint32_t* len) {
    *off = static_cast<std::uint32_t>(arena_->size());
    *len = static_cast<std::uint32_t>(s.size());
    arena_->append(s.data(), s.size());
  }
  std::string* arena_ = nullptr;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> table_;
  std::size_t mask_ = 0;
};

// Per-thread storage reused by every Resolve call (the resolver itself is shared).
struct Scratch {
  std::string arena, folded, word;
  ScratchMap person_parts, typed_surface;
};

}  // namespace

constexpr std::string_view kPerson = "person";

void EntityResolver::Resolve(std::string_view text, std::vector<Mention>* mentions) const {
  auto& ms = *mentions;
  for (auto& m : ms) NormalizeInPlace(&m.entity);

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
    if (acro.type.empty() || acro.type == longform.type || StartsWith(acro.rule, "context.")) {
      acro.type = longform.type;
      acro.entity = longform.entity;
      acro.rule = "acronym";
      defined[Folded(surface)] = {acro.type, acro.entity};
    }
  }

  // Which of the steps below can apply at all: a type, once set, is never cleared, so only
  // mentions untyped (or single-word people) now can be resolved below.
  bool any_untyped = false, any_short = false;
  for (const auto& m : ms) {
    const bool untyped = m.type.empty();
    any_untyped |= untyped;
    if (!any_short && (untyped || std::string_view(m.type) == kPerson) && WordCount(m.entity) == 1)
      any_short = true;
  }

  thread_local Scratch scratch;
  scratch.arena.clear();
  std::string& folded = scratch.folded;

  // Short forms of people named in full somewhere in the document: folded word -> full name.
  ScratchMap& person_parts = scratch.person_parts;
  person_parts.Reset(&scratch.arena, any_short ? 2 * ms.size() : 0);
  if (any_short) {
    for (const auto& m : ms) {
      if (std::string_view(m.type) != kPerson) continue;
      const std::size_t count = WordCount(m.entity);
      if (count < 2) continue;
      // The first and the last word.
      const std::string_view entity = m.entity;
      const std::size_t first_begin = entity.find_first_not_of(' ');
      const std::size_t first_end = std::min(entity.find(' ', first_begin), entity.size());
      const std::size_t last_end = entity.find_last_not_of(' ') + 1;
      const std::size_t last_space = entity.rfind(' ', last_end - 1);
      const std::size_t last_begin = last_space == std::string_view::npos ? 0 : last_space + 1;
      const std::string_view front = entity.substr(first_begin, first_end - first_begin);
      const std::string_view back = entity.substr(last_begin, last_end - last_begin);
      for (std::string_view w : {front, back}) {
        FoldInto(w, &scratch.word);
        ScratchMap::Entry* it = person_parts.Find(scratch.word);
        if (it == nullptr) {
          person_parts.Insert(scratch.word, m.entity, {});
        } else if (person_parts.A(*it) != m.entity) {
          // Two people share the word: prefer the longer full name, then the first seen.
          if (WordCount(person_parts.A(*it)) < count) person_parts.SetA(it, m.entity);
        }
      }
    }
  }
  // Every typed surface in the document, for untyped repeats of it: -> (type, entity).
  ScratchMap& typed_surface = scratch.typed_surface;
  typed_surface.Reset(&scratch.arena, any_untyped ? ms.size() : 0);
  if (any_untyped) {
    for (const auto& m : ms) {
      if (m.type.empty()) continue;
      FoldInto(text.substr(m.begin, m.end - m.begin), &folded);
      typed_surface.Insert(folded, m.type, m.entity);
    }
  }

  // Mentions stay in place until the end (kept ones are compacted then).
  for (auto& m : ms) {
    const std::string_view surface = text.substr(m.begin, m.end - m.begin);
    bool have_folded = false;
    auto fold = [&]() -> const std::string& {
      if (!have_folded) {
        FoldInto(surface, &folded);
        have_folded = true;
      }
      return folded;
    };
    if (any_short && (m.type.empty() || std::string_view(m.type) == kPerson) &&
        WordCount(m.entity) == 1) {
      if (const ScratchMap::Entry* it = person_parts.Find(fold())) {
        m.type = "person";
        m.entity = person_parts.A(*it);
        if (m.rule == "name") m.rule = "resolve.surname";
      }
    }
    // An acronym defined in this document outweighs a type guessed from context.
    if (!defined.empty() && (m.type.empty() || StartsWith(m.rule, "context."))) {
      auto d = defined.find(fold());
      if (d != defined.end()) {
        m.type = d->second.first;
        m.entity = d->second.second;
        m.rule = "resolve.acronym";
      }
    }
    if (any_untyped && m.type.empty()) {
      if (const ScratchMap::Entry* t = typed_surface.Find(fold())) {
        m.type = typed_surface.A(*t);
        m.entity = typed_surface.B(*t);
        m.rule = "resolve.repeat";
      }
    }
  }
  ms.erase(std::remove_if(ms.begin(), ms.end(), [](const Mention& m) { return m.type.empty(); }),
           ms.end());
}

}  // namespace newsgraph
