#include "newsgraph/gazetteer.hpp"

#include <algorithm>
#include <cstring>

#include "flat_hash.hpp"
#include "free_storage.hpp"
#include "json_util.hpp"
#include "newsgraph/io.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

// ASCII base letters of U+00C0..U+017F ('?' where there is none).
constexpr std::string_view kLatinFold =
    "AAAAAAACEEEEIIIIDNOOOOO?OUUUUYTsaaaaaaaceeeeiiiidnooooo?ouuuuytyAaAaAaCcCcCcCcDdDdEeEeEeEeEe"
    "GgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYy"
    "YZzZzZzs";

}  // namespace

namespace {

// Eight bytes at a time (SWAR): words are short, so a word is one or two such steps instead of
// a loop over its bytes.
constexpr std::uint64_t kEveryByte = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// For eight ASCII bytes (high bits clear): 0x20 in each byte that is 'A'..'Z', else 0. Adding
// to a byte below 0x80 never carries into the next one.
inline std::uint64_t CapitalBits(std::uint64_t v) {
  const std::uint64_t from_a = v + kEveryByte * (0x80 - 'A');     // high bit: byte >= 'A'
  const std::uint64_t past_z = v + kEveryByte * (0x80 - 'Z' - 1); // high bit: byte > 'Z'
  return ((from_a ^ past_z) & kHighBits) >> 2;
}

inline std::uint64_t Load64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline void Store64(char* p, std::uint64_t v) { std::memcpy(p, &v, 8); }
inline std::uint64_t Load4x2(const char* p, std::size_t n) {  // 4 <= n < 8: two overlapping
  std::uint32_t a, b;
  std::memcpy(&a, p, 4);
  std::memcpy(&b, p + n - 4, 4);
  return a | static_cast<std::uint64_t>(b) << 32;
}
inline void Store4x2(char* p, std::size_t n, std::uint64_t v) {
  const auto a = static_cast<std::uint32_t>(v), b = static_cast<std::uint32_t>(v >> 32);
  std::memcpy(p + n - 4, &b, 4);  // the overlap holds the same bytes either way
  std::memcpy(p, &a, 4);
}

// What folding an ASCII string does: its capitals lowered.
enum class AsciiFold { kUnchanged, kLowered, kNotAscii };

// Looks at `s` and, where it is ASCII with capitals, writes it lowered to `out` (room for
// s.size() bytes). The tail is read as an overlapping step; lowering is idempotent, so the
// bytes written twice are the same both times.
AsciiFold LowerAscii(std::string_view s, char* out) {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n >= 8) {
    std::uint64_t capitals = 0;
    for (std::size_t i = 0;; i += 8) {
      if (i + 8 > n) i = n - 8;
      const std::uint64_t v = Load64(p + i);
      if (v & kHighBits) return AsciiFold::kNotAscii;
      const std::uint64_t c = CapitalBits(v);
      capitals |= c;
      Store64(out + i, v | c);
      if (i + 8 == n) break;
    }
    return capitals ? AsciiFold::kLowered : AsciiFold::kUnchanged;
  }
  if (n >= 4) {
    const std::uint64_t v = Load4x2(p, n);
    if (v & kHighBits) return AsciiFold::kNotAscii;
    const std::uint64_t c = CapitalBits(v);
    Store4x2(out, n, v | c);
    return c ? AsciiFold::kLowered : AsciiFold::kUnchanged;
  }
  bool capitals = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(p[i]);
    if (b >= 0x80) return AsciiFold::kNotAscii;
    const bool capital = b >= 'A' && b <= 'Z';
    capitals = capitals || capital;
    out[i] = static_cast<char>(capital ? b + 32 : b);
  }
  return capitals ? AsciiFold::kLowered : AsciiFold::kUnchanged;
}

// The general fold, for text with non-ASCII characters.
void FoldAny(std::string_view s, std::string* out_buffer) {
  std::string& out = *out_buffer;
  out.clear();
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    const char32_t c = utf8::Next(s, &i);
    if (c >= 0xC0 && c < 0x180 && kLatinFold[c - 0xC0] != '?') {
      char f = kLatinFold[c - 0xC0];
      out.push_back(static_cast<char>(f >= 'A' && f <= 'Z' ? f + 32 : f));
    } else if (c == 0x2019 || c == 0x2018 || c == 0x02BC) {
      out.push_back('\'');
    } else if (c == 0x201C || c == 0x201D) {
      out.push_back('"');
    } else if (c >= 0x2010 && c <= 0x2015) {
      out.push_back('-');
    } else if (c == 0x218 || c == 0x219 || c == 0x21A || c == 0x21B) {
      out.push_back(c < 0x21A ? 's' : 't');
    } else if (c >= 0x300 && c <= 0x36F) {
      // combining marks: dropped
    } else if (c >= 0x391 && c <= 0x3A9) {
      utf8::Append(&out, c + 32);
    } else if (c >= 0x410 && c <= 0x42F) {
      utf8::Append(&out, c + 32);
    } else {
      utf8::Append(&out, c);
    }
  }
}

}  // namespace

void FoldForLookup(std::string_view s, std::string* out_buffer) {
  std::string& out = *out_buffer;
  out.resize(s.size());
  if (LowerAscii(s, out.data()) == AsciiFold::kNotAscii) FoldAny(s, out_buffer);
}

std::string_view FoldedView(std::string_view s, std::string* buffer) {
  if (buffer->size() < s.size()) buffer->resize(std::max<std::size_t>(s.size(), 32));
  switch (LowerAscii(s, buffer->data())) {
    case AsciiFold::kUnchanged: return s;
    case AsciiFold::kLowered: return std::string_view(buffer->data(), s.size());
    case AsciiFold::kNotAscii: break;
  }
  FoldAny(s, buffer);
  return *buffer;
}

std::string FoldForLookup(std::string_view s) {
  std::string out;
  FoldForLookup(s, &out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gazetteer

void Gazetteer::Add(GazetteerEntry entry) {
  auto it = by_name_.find(entry.name);
  if (it != by_name_.end()) {
    entries_[it->second] = std::move(entry);
    return;
  }
  by_name_.emplace(entry.name, entries_.size());
  entries_.push_back(std::move(entry));
}

void Gazetteer::Suppress(const std::string& name_or_alias) {
  const std::string key = FoldForLookup(name_or_alias);
  std::vector<GazetteerEntry> kept;
  for (auto& e : entries_) {
    if (FoldForLookup(e.name) == key) continue;
    auto drop = [&](std::vector<std::string>& v) {
      v.erase(std::remove_if(v.begin(), v.end(),
                             [&](const std::string& a) { return FoldForLookup(a) == key; }),
              v.end());
    };
    drop(e.aliases);
    drop(e.demonyms);
    kept.push_back(std::move(e));
  }
  entries_ = std::move(kept);
  by_name_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) by_name_.emplace(entries_[i].name, i);
}

Status Gazetteer::AddJson(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  Status s = json::Parse(text, origin, &d);
  if (!s.ok()) return s;
  if (!d.IsObject()) return Status::InvalidInput(origin + ": expected a JSON object");
  s = json::CheckFields(d, {"version", "description", "entries", "suppress"}, origin);
  if (!s.ok()) return s;
  auto version = d.FindMember("version");
  if (version != d.MemberEnd() && !(version->value.IsInt() && version->value.GetInt() == 1)) {
    return Status::InvalidInput(origin + ": unsupported \"version\" (expected 1)");
  }
  std::vector<std::string> suppress;
  s = json::GetStringArray(d, "suppress", origin, &suppress);
  if (!s.ok()) return s;
  auto entries = d.FindMember("entries");
  if (entries != d.MemberEnd()) {
    if (!entries->value.IsArray()) {
      return Status::InvalidInput(origin + ": field \"entries\" must be an array");
    }
    std::size_t index = 0;
    for (const auto& v : entries->value.GetArray()) {
      std::string where = origin + ": entries[" + std::to_string(index++) + "]";
      if (!v.IsObject()) return Status::InvalidInput(where + ": expected an object");
      GazetteerEntry e;
      if (!(s = json::GetString(v, "name", where, &e.name, true)).ok()) return s;
      where += " (\"" + e.name + "\")";
      if (!(s = json::CheckFields(v, {"name", "type", "aliases", "demonyms", "note"}, where)).ok())
        return s;
      if (!(s = json::GetString(v, "type", where, &e.type, true)).ok()) return s;
      if (!(s = json::GetStringArray(v, "aliases", where, &e.aliases)).ok()) return s;
      if (!(s = json::GetStringArray(v, "demonyms", where, &e.demonyms)).ok()) return s;
      Add(std::move(e));
    }
  }
  for (const auto& name : suppress) Suppress(name);
  return Status::Ok();
}

Status Gazetteer::AddFile(const std::string& path) {
  std::string text;
  Status s = ReadFile(path, &text);
  if (!s.ok()) return s;
  return AddJson(text, path);
}

// ---------------------------------------------------------------------------------------------
// GazetteerMatcher: a trie whose edges are folded tokens.

namespace {

enum class CaseNeed : std::uint8_t { kAny, kCapitalized, kAllCaps };

struct Terminal {
  std::uint32_t entry;
  bool demonym;
  std::vector<CaseNeed> needs;  // per token of the alias
};

// A terminal once the trie is frozen: its case needs live in one shared array.
struct FlatTerminal {
  std::uint32_t entry;
  std::uint32_t needs;  // index of the first need in Trie::needs
  std::uint32_t tokens;
  bool demonym;
};

}  // namespace

struct GazetteerMatcher::Trie {
  StringIdMap vocab;  // folded token -> id (from 1)
  std::unordered_map<std::uint64_t, std::uint32_t> children;  // (node << 32 | token) -> node
  std::vector<std::vector<Terminal>> terminals;                // per node, until Freeze()
  std::unordered_map<std::string, std::uint32_t> by_surface;   // folded full surface -> entry
  std::uint32_t num_nodes = 1;

  // `children` frozen into an open-addressing table (linear probing, at most half full): the
  // lookup on the extraction hot path is a multiply, a shift and usually one cache line.
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<std::pair<std::uint64_t, std::uint32_t>> table;
  int shift = 64;
  // The root's children by token id: every lookup starts there, and an array of the vocabulary's
  // size stays in cache where the table's slots would not.
  std::vector<std::uint32_t> root_child;
  // `terminals` frozen into three flat arrays: node n's terminals are
  // flat[first_terminal[n] .. first_terminal[n + 1]).
  std::vector<std::uint32_t> first_terminal;
  std::vector<FlatTerminal> flat;
  std::vector<CaseNeed> needs;

  void Freeze() {
    std::size_t below_root = 0;
    for (const auto& entry : children) below_root += (entry.first >> 32) != 0;
    std::size_t capacity = 16;
    while (capacity < 2 * below_root) capacity *= 2;
    shift = 64 - __builtin_ctzll(capacity);
    table.assign(capacity, {kEmpty, 0});
    root_child.assign(vocab.size() + 1, 0);
    for (const auto& [key, child] : children) {
      if ((key >> 32) == 0) {
        root_child[static_cast<std::uint32_t>(key)] = child;
        continue;
      }
      std::size_t i = Slot(key);
      while (table[i].first != kEmpty) i = (i + 1) & (table.size() - 1);
      table[i] = {key, child};
    }
    FreeStorage(children);
    first_terminal.assign(1, 0);
    for (const auto& node_terms : terminals) {
      for (const Terminal& term : node_terms) {
        flat.push_back({term.entry, static_cast<std::uint32_t>(needs.size()),
                        static_cast<std::uint32_t>(term.needs.size()), term.demonym});
        needs.insert(needs.end(), term.needs.begin(), term.needs.end());
      }
      first_terminal.push_back(static_cast<std::uint32_t>(flat.size()));
    }
    FreeStorage(terminals);
  }
  std::size_t Slot(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift);
  }
  std::uint32_t Child(std::uint32_t node, std::uint32_t token) const {
    if (node == 0) return root_child[token];
    const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | token;
    for (std::size_t i = Slot(key);; i = (i + 1) & (table.size() - 1)) {
      if (table[i].first == key) return table[i].second;
      if (table[i].first == kEmpty) return 0;
    }
  }
};

GazetteerMatcher::GazetteerMatcher(const Gazetteer& gazetteer)
    : entries_(gazetteer.entries()), trie_(std::make_unique<Trie>()) {
  SentenceSplitter splitter;
  Trie& t = *trie_;
  t.terminals.emplace_back();
  auto insert = [&](const std::string& surface, std::uint32_t entry, bool demonym) {
    Segmentation seg = splitter.Segment(surface);
    if (seg.tokens.empty()) return;
    std::uint32_t node = 0;
    Terminal term{entry, demonym, {}};
    for (const Token& tok : seg.tokens) {
      const std::string_view text = TokenText(surface, tok);
      const std::string folded = FoldForLookup(text);
      const std::uint32_t id =
          t.vocab.Insert(folded, static_cast<std::uint32_t>(t.vocab.size() + 1));
      const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | id;
      auto child = t.children.find(key);
      if (child == t.children.end()) {
        child = t.children.emplace(key, t.num_nodes++).first;
        t.terminals.emplace_back();
      }
      node = child->second;
      CaseNeed need = CaseNeed::kAny;
      if (tok.Is(kAllCaps) && tok.end - tok.begin >= 2 && !tok.Is(kHasDigit)) need = CaseNeed::kAllCaps;
      else if (tok.Is(kCapitalized)) need = CaseNeed::kCapitalized;
      term.needs.push_back(need);
    }
    auto& terms = t.terminals[node];
    // A later entry for the same surface replaces an earlier one (user files override).
    terms.erase(std::remove_if(terms.begin(), terms.end(),
                               [&](const Terminal& x) {
                                 return x.needs == term.needs && x.demonym == demonym;
                               }),
                terms.end());
    terms.push_back(std::move(term));
    if (!demonym) t.by_surface[FoldForLookup(surface)] = entry;
  };
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    const GazetteerEntry& e = entries_[i];
    insert(e.name, i, false);
    for (const auto& a : e.aliases) insert(a, i, false);
    for (const auto& d : e.demonyms) insert(d, i, true);
  }
  t.Freeze();
}

GazetteerMatcher::~GazetteerMatcher() = default;

std::uint32_t GazetteerMatcher::VocabularySize() const {
  return static_cast<std::uint32_t>(trie_->vocab.size());
}

std::string_view GazetteerMatcher::VocabularyWord(std::uint32_t id) const {
  return id == 0 || id > trie_->vocab.size() ? std::string_view() : trie_->vocab.key(id - 1);
}

const GazetteerEntry* GazetteerMatcher::Find(std::string_view surface) const {
  auto it = trie_->by_surface.find(FoldForLookup(surface));
  return it == trie_->by_surface.end() ? nullptr : &entries_[it->second];
}

bool GazetteerMatcher::LongestMatch(std::string_view text, const std::vector<Token>& tokens,
                                    std::uint32_t first, std::uint32_t limit,
                                    GazetteerMatch* match) const {
  std::vector<std::uint32_t> ids(tokens.size(), kUnknownToken);
  return LongestMatch(text, tokens, first, limit, &ids, match);
}

bool GazetteerMatcher::LongestMatch(std::string_view text, const std::vector<Token>& tokens,
                                    std::uint32_t first, std::uint32_t limit,
                                    std::vector<std::uint32_t>* token_ids,
                                    GazetteerMatch* match) const {
  const Trie& t = *trie_;
  std::uint32_t node = 0;
  bool found = false;
  std::vector<std::uint32_t>& ids = *token_ids;
  std::string folded;
  for (std::uint32_t k = first; k < limit; ++k) {
    const Token& tok = tokens[k];
    if (k > first && tok.Is(kNewlineBefore)) break;
    if (ids[k] == kUnknownToken) {  // 0: not in any gazetteer name
      FoldForLookup(TokenText(text, tok), &folded);
      const std::uint32_t id = t.vocab.Find(folded);
      ids[k] = id == StringIdMap::kMissing ? 0 : id;
    }
    if (ids[k] == 0) break;
    node = t.Child(node, ids[k]);
    if (node == 0) break;
    for (std::uint32_t i = t.first_terminal[node]; i < t.first_terminal[node + 1]; ++i) {
      const FlatTerminal& term = t.flat[i];
      if (term.tokens != k - first + 1) continue;
      const CaseNeed* needs = t.needs.data() + term.needs;
      bool ok = true;
      for (std::uint32_t q = 0; q < term.tokens && ok; ++q) {
        const Token& s = tokens[first + q];
        switch (needs[q]) {
          case CaseNeed::kAny: break;
          case CaseNeed::kCapitalized: ok = s.Is(kCapitalized); break;
          case CaseNeed::kAllCaps: ok = s.Is(kAllCaps); break;
        }
      }
      if (!ok) continue;
      // Prefer names over demonyms for the same tokens.
      if (found && match->token_end == k + 1 && !match->demonym) continue;
      found = true;
      match->first_token = first;
      match->token_end = k + 1;
      match->entry = term.entry;
      match->demonym = term.demonym;
    }
  }
  return found;
}

}  // namespace newsgraph
