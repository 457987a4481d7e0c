// relate: co-occurrence counts of entities within sentences, paragraphs, windows or documents.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "newsgraph/document.hpp"
#include "newsgraph/extract.hpp"
#include "newsgraph/segment.hpp"
#include "newsgraph/status.hpp"

namespace newsgraph {

enum class ScopeKind { kSentence, kParagraph, kWindow, kDocument };

struct Scope {
  ScopeKind kind = ScopeKind::kSentence;
  std::uint32_t window = 1;  // sentences per window for kWindow
};

// Parses "sentence", "paragraph", "document" or "window:N".
Status ParseScope(std::string_view text, Scope* scope);
// Returns the textual form of `scope`.
std::string ScopeName(const Scope& scope);

// One supporting passage for an edge.
struct Evidence {
  std::string doc;
  std::uint32_t begin = 0;  // byte span of the unit (sentence, paragraph, ...) in the document
  std::uint32_t end = 0;
  std::string text;         // the passage, trimmed to a bounded length
  // Orders by place; the text breaks ties (two inputs may reuse a document id), so which
  // passages are kept never depends on the order documents arrive in.
  bool operator<(const Evidence& o) const {
    return std::tie(doc, begin, end, text) < std::tie(o.doc, o.begin, o.end, o.text);
  }
};

struct NodeStats {
  std::map<std::string, std::uint64_t> type_votes;  // mentions per type
  std::uint64_t frequency = 0;   // mentions
  std::uint64_t documents = 0;   // documents mentioning it
  std::uint64_t units = 0;       // co-occurrence units containing it (w_i)
  std::string first_seen, last_seen;  // dates, ISO 8601; empty when undated
  std::map<std::string, std::uint64_t> periods;  // per time slice: units
  std::map<std::string, std::uint64_t> surfaces;  // surface forms, for aliases
  // Returns the type with most votes (ties: the alphabetically first).
  const std::string& type() const;
};

struct EdgeStats {
  std::uint64_t count = 0;      // co-occurring units
  std::uint64_t documents = 0;  // documents with at least one
  std::string first_seen, last_seen;
  std::map<std::string, std::uint64_t> periods;
  std::vector<Evidence> evidence;  // the smallest by (doc, begin), at most the evidence limit
};

enum class TimeSlice { kNone, kDay, kWeek, kMonth };

// Parses "day", "week", "month" or "none".
Status ParseTimeSlice(std::string_view text, TimeSlice* slice);

struct RelateOptions {
  Scope scope;
  std::size_t evidence = 3;           // evidence passages kept per edge
  std::size_t evidence_chars = 400;   // longest passage kept, in bytes
  TimeSlice slice = TimeSlice::kNone;
};

// The per-corpus state: counts that merge associatively and commutatively, so documents can
// be processed in any order, on any thread or machine, and give the same result.
class PartialGraph {
 public:
  using EdgeKey = std::pair<std::string, std::string>;  // ordered: first < second

  // Adds the co-occurrences of one document's resolved mentions. The parts of a split document
  // (Document::part) must be added consecutively to the same PartialGraph.
  void AddDocument(const Document& doc, const Segmentation& seg,
                   const std::vector<Mention>& mentions, const RelateOptions& options);
  // Adds every count of `other` to this one.
  void Merge(const PartialGraph& other, const RelateOptions& options);
  // Same, taking `other`'s storage where this graph has no entry yet (no copies).
  void Merge(PartialGraph&& other, const RelateOptions& options);

  // Returns the node statistics by canonical name.
  const std::map<std::string, NodeStats>& nodes() const { return nodes_; }
  // Returns the edge statistics by ordered name pair.
  const std::map<EdgeKey, EdgeStats>& edges() const { return edges_; }
  std::uint64_t documents() const { return documents_; }
  std::uint64_t units() const { return units_; }   // co-occurrence units in the corpus (N)
  std::uint64_t mentions() const { return mentions_; }
  std::uint64_t bytes() const { return bytes_; }

  // For deserialisation and tests.
  std::map<std::string, NodeStats>& mutable_nodes() { return nodes_; }
  std::map<EdgeKey, EdgeStats>& mutable_edges() { return edges_; }
  void SetTotals(std::uint64_t documents, std::uint64_t units, std::uint64_t mentions,
                 std::uint64_t bytes) {
    documents_ = documents; units_ = units; mentions_ = mentions; bytes_ = bytes;
  }

 private:
  std::map<std::string, NodeStats> nodes_;
  std::map<EdgeKey, EdgeStats> edges_;
  // The entities and edges already counted for the document being added, so the later parts of
  // a split document (Document::part > 0) count them once.
  std::unordered_set<const NodeStats*> open_nodes_;
  std::unordered_set<const EdgeStats*> open_edges_;
  std::uint64_t documents_ = 0;
  std::uint64_t units_ = 0;
  std::uint64_t mentions_ = 0;
  std::uint64_t bytes_ = 0;
};

// Returns the period key ("2024-06-14", "2024-W24", "2024-06") of an ISO 8601 date, or "".
std::string PeriodOf(std::string_view date, TimeSlice slice);

}  // namespace newsgraph
