// relate: co-occurrence counts of entities within sentences, paragraphs, windows or documents.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "newsgraph/document.hpp"
#include "newsgraph/evidence.hpp"
#include "newsgraph/extract.hpp"
#include "newsgraph/segment.hpp"
#include "newsgraph/shared_string.hpp"
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

// The statistics of one entity, in owned form (lookups and tests; PartialGraph stores them
// compactly and hands out NodeView for bulk reading).
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

// Read-only views of a PartialGraph's entries; the string_views point into the graph and stay
// valid until it is changed. Count lists are sorted by key.
using CountList = std::vector<std::pair<std::string_view, std::uint64_t>>;

struct NodeView {
  std::string_view name;
  // The graph's number for the entity: small and dense, the same in every view of it while the
  // graph is unchanged (it says nothing of order).
  std::uint32_t id = 0;
  std::string_view type;  // most votes; ties: the alphabetically first
  std::uint64_t frequency = 0, documents = 0, units = 0;
  std::string_view first_seen, last_seen;
  CountList type_votes, periods, surfaces;
};

struct EvidenceView {
  std::string_view doc;
  std::uint32_t begin = 0, end = 0;
  std::string_view text;
  // The graph holds each document id and each passage once and numbers them: within one graph,
  // and while it is unchanged, equal numbers mean equal strings (the numbers are small, dense
  // and reused after a string is let go; they say nothing of order).
  std::uint32_t doc_id = 0, text_id = 0;
};

struct EdgeView {
  std::string_view first, second;  // first < second
  std::uint32_t first_id = 0, second_id = 0;  // their NodeView::id
  std::uint64_t count = 0, documents = 0;
  std::string_view first_seen, last_seen;
  CountList periods;
  std::vector<EvidenceView> evidence;  // sorted, at most the evidence limit
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
//
// Storage is compact and bounded by the number of entities and edges: names, surfaces, dates and
// periods are interned to dense ids, edges live in a hash table keyed by their two entity ids,
// and evidence passages and document ids are reference-counted strings shared by every edge
// that keeps them (freed when the last one lets go). Name order is only established when the
// graph is read (ForEachNode, ForEachEdge).
class PartialGraph {
 public:
  PartialGraph();
  ~PartialGraph();
  PartialGraph(const PartialGraph& other);
  PartialGraph(PartialGraph&& other) noexcept;
  PartialGraph& operator=(const PartialGraph& other);
  PartialGraph& operator=(PartialGraph&& other) noexcept;

  // Adds the co-occurrences of one document's resolved mentions. The parts of a split document
  // (Document::part) must be added consecutively to the same PartialGraph.
  void AddDocument(const Document& doc, const Segmentation& seg,
                   const std::vector<Mention>& mentions, const RelateOptions& options);
  // Adds every count of `other` to this one.
  void Merge(const PartialGraph& other, const RelateOptions& options);
  // Same, taking `other`'s storage when this graph is empty (no copies); leaves `other` empty.
  void Merge(PartialGraph&& other, const RelateOptions& options);

  std::size_t node_count() const;
  std::size_t edge_count() const;
  // Visits every node in name order.
  void ForEachNode(const std::function<void(const NodeView&)>& visit) const;
  // Visits every edge in (first, second) name order.
  void ForEachEdge(const std::function<void(const EdgeView&)>& visit) const;
  // Empties the graph, visiting its edges twice in (first, second) name order: `survey` sees
  // each as ForEachEdge would, then `take` sees each again with its evidence handed over as
  // shared strings in `evidence` (EdgeView::evidence stays empty; `take` may move from
  // `evidence`). The lookup indexes go first and the edges' storage is released as `take` goes,
  // so a graph built from the edges never sits beside all of this one. Each document id and
  // passage is one shared string.
  void DrainEdges(const std::function<void(const EdgeView&)>& survey,
                  const std::function<void(const EdgeView&, std::vector<Evidence>* evidence)>& take);
  // Returns the statistics of the entity `name`, if any (a copy).
  std::optional<NodeStats> node(std::string_view name) const;
  // Returns the statistics of the edge between `a` and `b` (either order), if any (a copy).
  std::optional<EdgeStats> edge(std::string_view a, std::string_view b) const;

  // For deserialisation: adds an entity (ignored when `name` exists already).
  void AddNode(std::string_view name, const NodeStats& stats);
  // Adds an edge between existing entities `a` < `b`, keeping at most `evidence_limit` passages;
  // returns false (and adds nothing) when either is unknown. Ignored when the edge exists.
  bool AddEdge(std::string_view a, std::string_view b, const EdgeStats& stats,
               std::size_t evidence_limit);

  std::uint64_t documents() const { return documents_; }
  std::uint64_t units() const { return units_; }   // co-occurrence units in the corpus (N)
  std::uint64_t mentions() const { return mentions_; }
  std::uint64_t bytes() const { return bytes_; }
  void SetTotals(std::uint64_t documents, std::uint64_t units, std::uint64_t mentions,
                 std::uint64_t bytes) {
    documents_ = documents; units_ = units; mentions_ = mentions; bytes_ = bytes;
  }

 private:
  struct Store;
  std::unique_ptr<Store> store_;
  std::uint64_t documents_ = 0;
  std::uint64_t units_ = 0;
  std::uint64_t mentions_ = 0;
  std::uint64_t bytes_ = 0;
};

// Returns the period key ("2024-06-14", "2024-W24", "2024-06") of an ISO 8601 date, or "".
std::string PeriodOf(std::string_view date, TimeSlice slice);

}  // namespace newsgraph
