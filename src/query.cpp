#include "newsgraph/query.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <mutex>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include <boost/graph/connected_components.hpp>

#include "newsgraph/gazetteer.hpp"
#include "newsgraph/metrics.hpp"

namespace newsgraph {

// ---------------------------------------------------------------------------------------------
// Measures

namespace {

constexpr std::pair<std::string_view, EdgeMeasure> kEdgeMeasures[] = {
    {"weight", EdgeMeasure::kWeight},     {"count", EdgeMeasure::kCount},
    {"documents", EdgeMeasure::kDocuments}, {"association", EdgeMeasure::kAssociation},
    {"pmi", EdgeMeasure::kPmi},           {"npmi", EdgeMeasure::kNpmi},
    {"jaccard", EdgeMeasure::kJaccard},   {"cosine", EdgeMeasure::kCosine},
    {"g2", EdgeMeasure::kG2}};

constexpr std::pair<std::string_view, NodeMeasure> kNodeMeasures[] = {
    {"degree", NodeMeasure::kDegree},           {"weighted_degree", NodeMeasure::kWeightedDegree},
    {"weighted", NodeMeasure::kWeightedDegree}, {"pagerank", NodeMeasure::kPageRank},
    {"betweenness", NodeMeasure::kBetweenness}, {"frequency", NodeMeasure::kFrequency}};

}  // namespace

Status ParseEdgeMeasure(std::string_view text, EdgeMeasure* measure) {
  for (const auto& [name, m] : kEdgeMeasures) {
    if (name == text) { *measure = m; return Status::Ok(); }
  }
  return Status::InvalidInput("invalid edge measure \"" + std::string(text) +
                              "\" (expected weight, count, documents, association, pmi, npmi, "
                              "jaccard, cosine or g2)");
}

std::string EdgeMeasureName(EdgeMeasure measure) {
  for (const auto& [name, m] : kEdgeMeasures)
    if (m == measure) return std::string(name);
  return "weight";
}

double EdgeValue(const Graph& graph, Edge e, EdgeMeasure measure) {
  const Relation& r = graph.network()[e];
  switch (measure) {
    case EdgeMeasure::kWeight: return r.weight;
    case EdgeMeasure::kCount: return static_cast<double>(r.count);
    case EdgeMeasure::kDocuments: return static_cast<double>(r.documents);
    case EdgeMeasure::kAssociation: return graph.measure(e, &EdgeMeasures::association);
    case EdgeMeasure::kPmi: return graph.measure(e, &EdgeMeasures::pmi);
    case EdgeMeasure::kNpmi: return graph.measure(e, &EdgeMeasures::npmi);
    case EdgeMeasure::kJaccard: return graph.measure(e, &EdgeMeasures::jaccard);
    case EdgeMeasure::kCosine: return graph.measure(e, &EdgeMeasures::cosine);
    case EdgeMeasure::kG2: return graph.measure(e, &EdgeMeasures::g2);
  }
  return r.weight;
}

Status ParseNodeMeasure(std::string_view text, NodeMeasure* measure) {
  for (const auto& [name, m] : kNodeMeasures) {
    if (name == text) { *measure = m; return Status::Ok(); }
  }
  return Status::InvalidInput("invalid node measure \"" + std::string(text) +
                              "\" (expected degree, weighted, pagerank, betweenness or frequency)");
}

std::string NodeMeasureName(NodeMeasure measure) {
  for (const auto& [name, m] : kNodeMeasures)
    if (m == measure) return std::string(name);
  return "degree";
}

double NodeValue(const EntityNode& n, NodeMeasure measure) {
  switch (measure) {
    case NodeMeasure::kDegree: return n.degree;
    case NodeMeasure::kWeightedDegree: return n.weighted_degree;
    case NodeMeasure::kPageRank: return n.pagerank;
    case NodeMeasure::kBetweenness: return n.betweenness;
    case NodeMeasure::kFrequency: return static_cast<double>(n.frequency);
  }
  return n.degree;
}

// ---------------------------------------------------------------------------------------------
// The lazily built index

namespace {

// The folded form used for lookups: FoldForLookup plus a leading "the " dropped.
std::string LookupKey(std::string_view s) {
  std::string k = FoldForLookup(s);
  std::size_t b = 0, e = k.size();
  while (b < e && k[b] == ' ') ++b;
  while (e > b && k[e - 1] == ' ') --e;
  k = k.substr(b, e - b);
  if (k.size() > 4 && k.compare(0, 4, "the ") == 0) k.erase(0, 4);
  return k;
}

std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : folded) {
    if (c == ' ' || c == '-' || c == '.' || c == ',' || c == '\'' || c == '"' || c == '(' ||
        c == ')' || c == '/') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Levenshtein distance over bytes of folded text (one row, O(|a||b|)).
std::size_t EditDistance(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

double Similarity(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0;
  return 1.0 - static_cast<double>(EditDistance(a, b)) / static_cast<double>(std::max(a.size(), b.size()));
}

// Scores how well the folded query (with its words) matches a folded candidate.
double MatchScore(const std::string& q, const std::vector<std::string>& qwords, const std::string& c) {
  if (q == c) return 1.0;
  double score = Similarity(q, c);
  if (q.size() >= 3 && c.find(q) != std::string::npos) {
    score = std::max(score, 0.6 + 0.35 * static_cast<double>(q.size()) / static_cast<double>(c.size()));
  }
  const std::vector<std::string> cwords = Words(c);
  if (!qwords.empty() && !cwords.empty()) {
    // Each query word against its closest candidate word, scaled by how much of the
    // candidate the query covers.
    double sum = 0;
    for (const auto& w : qwords) {
      double best = 0;
      for (const auto& cw : cwords) best = std::max(best, Similarity(w, cw));
      sum += best;
    }
    const double per_word = sum / static_cast<double>(qwords.size());
    const double cover = std::min(1.0, static_cast<double>(qwords.size()) / static_cast<double>(cwords.size()));
    score = std::max(score, per_word * (0.6 + 0.35 * cover));
  }
  return std::min(score, 0.99);  // 1 is kept for exact matches
}

}  // namespace

struct GraphQuery::Index {
  std::once_flag names_once;
  std::unordered_map<std::string, std::vector<Vertex>> alias;   // exact alias -> entities
  std::unordered_map<std::string, std::vector<Vertex>> folded;  // folded name or alias -> entities
  std::vector<std::vector<std::string>> words;                  // folded words of each name
  std::once_flag centrality_once;
  std::vector<double> pagerank, betweenness;  // computed when the nodes carry none
};

GraphQuery::GraphQuery(const Graph& graph) : graph_(&graph), index_(std::make_unique<Index>()) {}
GraphQuery::~GraphQuery() = default;
GraphQuery::GraphQuery(GraphQuery&&) noexcept = default;
GraphQuery& GraphQuery::operator=(GraphQuery&&) noexcept = default;

const GraphQuery::Index& GraphQuery::index() const {
  std::call_once(index_->names_once, [this] {
    const Network& g = graph_->network();
    auto add = [](std::vector<Vertex>& list, Vertex v) {
      if (list.empty() || list.back() != v) list.push_back(v);
    };
    index_->words.reserve(boost::num_vertices(g));
    for (auto v : boost::make_iterator_range(boost::vertices(g))) {
      std::string key = LookupKey(g[v].name);
      index_->words.push_back(Words(key));
      add(index_->folded[std::move(key)], v);
      for (const auto& a : g[v].aliases) {
        add(index_->alias[a], v);
        add(index_->folded[LookupKey(a)], v);
      }
    }
  });
  return *index_;
}

// ---------------------------------------------------------------------------------------------
// Lookups

Lookup GraphQuery::Find(std::string_view name) const {
  Lookup out;
  if (auto v = graph_->FindVertex(name)) {
    out.kind = MatchKind::kName;
    out.candidates.push_back(*v);
    return out;
  }
  const Index& ix = index();
  const std::vector<Vertex>* list = nullptr;
  if (auto it = ix.alias.find(std::string(name)); it != ix.alias.end()) {
    out.kind = MatchKind::kAlias;
    list = &it->second;
  } else if (auto jt = ix.folded.find(LookupKey(name)); jt != ix.folded.end()) {
    out.kind = MatchKind::kFolded;
    list = &jt->second;
  }
  std::vector<Vertex> by_words;
  if (!list) {
    // Whole words of a name ("Macron" for "Emmanuel Macron").
    const std::vector<std::string> q = Words(LookupKey(name));
    for (std::size_t v = 0; v < ix.words.size() && !q.empty(); ++v) {
      const auto& w = ix.words[v];
      if (std::search(w.begin(), w.end(), q.begin(), q.end()) != w.end()) by_words.push_back(v);
    }
    if (by_words.empty()) return out;
    out.kind = MatchKind::kWords;
    list = &by_words;
  }
  out.candidates = *list;
  std::sort(out.candidates.begin(), out.candidates.end());
  out.candidates.erase(std::unique(out.candidates.begin(), out.candidates.end()), out.candidates.end());
  const Network& g = graph_->network();
  std::stable_sort(out.candidates.begin(), out.candidates.end(), [&](Vertex a, Vertex b) {
    if (g[a].frequency != g[b].frequency) return g[a].frequency > g[b].frequency;
    return g[a].name < g[b].name;
  });
  return out;
}

Status GraphQuery::Resolve(std::string_view name, Vertex* vertex) const {
  const Lookup lookup = Find(name);
  const Network& g = graph_->network();
  if (lookup.found()) {
    *vertex = lookup.candidates.front();
    return Status::Ok();
  }
  if (lookup.ambiguous()) {
    std::string list;
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < lookup.candidates.size() && i < kShown; ++i) {
      const EntityNode& n = g[lookup.candidates[i]];
      list += (i ? ", " : "") + n.name + " (" + n.type + ")";
    }
    if (lookup.candidates.size() > kShown) {
      list += " and " + std::to_string(lookup.candidates.size() - kShown) + " more";
    }
    return Status::InvalidInput("\"" + std::string(name) + "\" is ambiguous: " + list);
  }
  std::string message = "no entity named \"" + std::string(name) + "\"";
  const std::vector<Suggestion> close = Suggest(name, 5, 0.55);
  if (!close.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < close.size(); ++i) {
      message += (i ? ", \"" : "\"") + g[close[i].vertex].name + "\"";
    }
    message += "?";
  }
  return Status::NotFound(message);
}

std::vector<Suggestion> GraphQuery::Suggest(std::string_view text, std::size_t limit,
                                            double min_score) const {
  const std::string q = LookupKey(text);
  std::vector<Suggestion> out;
  if (q.empty() || limit == 0) return out;
  const std::vector<std::string> qwords = Words(q);
  const Network& g = graph_->network();
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const EntityNode& n = g[v];
    double best = MatchScore(q, qwords, LookupKey(n.name));
    const std::string* matched = &n.name;
    for (std::size_t i = 0; i < n.aliases.size() && i < 8 && best < 1.0; ++i) {
      const double s = MatchScore(q, qwords, LookupKey(n.aliases[i]));
      if (s > best) { best = s; matched = &n.aliases[i]; }
    }
    if (best >= min_score) out.push_back({v, best, *matched});
  }
  auto better = [&](const Suggestion& a, const Suggestion& b) {
    if (a.score != b.score) return a.score > b.score;
    if (g[a.vertex].frequency != g[b.vertex].frequency) return g[a.vertex].frequency > g[b.vertex].frequency;
    return g[a.vertex].name < g[b.vertex].name;
  };
  if (out.size() > limit) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(limit), out.end(), better);
    out.resize(limit);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Neighbours and paths

std::vector<Neighbor> GraphQuery::Neighbors(Vertex v, const NeighborOptions& options) const {
  const Network& g = graph_->network();
  // Ties by vertex order, which is name order in graphs newsgraph builds or writes; cheaper
  // than comparing names (a hub has many equal weights).
  auto better = [](const Neighbor& a, const Neighbor& b) {
    if (a.value != b.value) return a.value > b.value;
    return a.vertex < b.vertex;
  };
  auto wanted = [&](Vertex w) {
    return options.types.empty() ||
           std::find(options.types.begin(), options.types.end(), g[w].type) != options.types.end();
  };
  std::vector<Neighbor> out;
  const std::size_t degree = boost::out_degree(v, g);
  if (options.top > 0 && degree > 4 * options.top) {
    // A hub: keep only the best K in a heap (its top is the worst kept).
    out.reserve(options.top + 1);
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      const Vertex w = boost::target(e, g);
      const Neighbor n{w, e, EdgeValue(*graph_, e, options.by)};
      if (out.size() == options.top && !better(n, out.front())) continue;
      if (!wanted(w)) continue;
      out.push_back(n);
      std::push_heap(out.begin(), out.end(), better);
      if (out.size() > options.top) {
        std::pop_heap(out.begin(), out.end(), better);
        out.pop_back();
      }
    }
    std::sort_heap(out.begin(), out.end(), better);
    return out;
  }
  out.reserve(degree);
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
    const Vertex w = boost::target(e, g);
    if (wanted(w)) out.push_back({w, e, EdgeValue(*graph_, e, options.by)});
  }
  if (options.top > 0 && out.size() > options.top) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(options.top), out.end(), better);
    out.resize(options.top);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

std::optional<Edge> GraphQuery::EdgeBetween(Vertex a, Vertex b) const {
  const Network& g = graph_->network();
  if (boost::out_degree(a, g) > boost::out_degree(b, g)) std::swap(a, b);
  for (auto e : boost::make_iterator_range(boost::out_edges(a, g)))
    if (boost::target(e, g) == b) return e;
  return std::nullopt;
}

namespace {

double MaxValue(const Graph& graph, EdgeMeasure by) {
  double max = 0;
  for (auto e : boost::make_iterator_range(boost::edges(graph.network())))
    max = std::max(max, EdgeValue(graph, e, by));
  return max;
}

// Fills the path's edges and strength from parent links; `max` is MaxValue(graph, by) when the
// caller has it (a pass over every edge, computing their measures).
Path Trace(const Graph& graph, Vertex a, Vertex b, const std::vector<Vertex>& parent,
           const std::vector<Edge>& via, EdgeMeasure by, std::optional<double> max = {}) {
  Path path;
  for (Vertex v = b;; v = parent[v]) {
    path.vertices.push_back(v);
    if (v == a) break;
    path.edges.push_back(via[v]);
  }
  std::reverse(path.vertices.begin(), path.vertices.end());
  std::reverse(path.edges.begin(), path.edges.end());
  if (path.edges.empty()) max = 1;
  else if (!max) max = MaxValue(graph, by);
  path.strength = 1;
  for (const Edge& e : path.edges) {
    path.strength *= *max > 0 ? std::max(0.0, EdgeValue(graph, e, by)) / *max : 0;
  }
  return path;
}

}  // namespace

Path GraphQuery::ShortestPath(Vertex a, Vertex b, EdgeMeasure by) const {
  const Network& g = graph_->network();
  const std::size_t n = boost::num_vertices(g);
  constexpr Vertex kNone = std::numeric_limits<Vertex>::max();
  std::vector<Vertex> parent(n, kNone);
  std::vector<Edge> via(n);
  std::deque<Vertex> queue{a};
  parent[a] = a;
  while (!queue.empty() && parent[b] == kNone) {
    const Vertex u = queue.front();
    queue.pop_front();
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const Vertex w = boost::target(e, g);
      if (parent[w] != kNone) continue;
      parent[w] = u;
      via[w] = e;
      if (w == b) break;
      queue.push_back(w);
    }
  }
  if (parent[b] == kNone) return {};
  return Trace(*graph_, a, b, parent, via, by);
}

Path GraphQuery::StrongestPath(Vertex a, Vertex b, EdgeMeasure by) const {
  const Network& g = graph_->network();
  const std::size_t n = boost::num_vertices(g);
  const double max = MaxValue(*graph_, by);
  if (a == b) {
    return Trace(*graph_, a, b, std::vector<Vertex>(n, a), std::vector<Edge>(n), by, max);
  }
  if (max <= 0) return {};
  // A tiny cost per hop makes the fewest hops win among equally strong paths.
  constexpr double kHop = 1e-9;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr Vertex kNone = std::numeric_limits<Vertex>::max();
  std::vector<double> dist(n, kInf);
  std::vector<Vertex> parent(n, kNone);
  std::vector<Edge> via(n);
  using Item = std::pair<double, Vertex>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  dist[a] = 0;
  parent[a] = a;
  heap.push({0, a});
  while (!heap.empty()) {
    const auto [d, u] = heap.top();
    heap.pop();
    if (d > dist[u]) continue;
    if (u == b) break;
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const double w = EdgeValue(*graph_, e, by);
      if (!(w > 0)) continue;
      const Vertex t = boost::target(e, g);
      const double nd = d + std::max(0.0, -std::log(w / max)) + kHop;
      if (nd < dist[t]) {
        dist[t] = nd;
        parent[t] = u;
        via[t] = e;
        heap.push({nd, t});
      }
    }
  }
  if (parent[b] == kNone) return {};
  return Trace(*graph_, a, b, parent, via, by, max);
}

// ---------------------------------------------------------------------------------------------
// Ego networks, rankings, components, statistics

Graph GraphQuery::Ego(Vertex center, std::size_t depth) const {
  const Network& g = graph_->network();
  std::unordered_map<Vertex, std::size_t> hops{{center, 0}};
  std::deque<Vertex> queue{center};
  while (!queue.empty()) {
    const Vertex u = queue.front();
    queue.pop_front();
    const std::size_t h = hops[u];
    if (h >= depth) continue;
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const Vertex w = boost::target(e, g);
      if (hops.emplace(w, h + 1).second) queue.push_back(w);
    }
  }
  std::vector<Vertex> members;
  members.reserve(hops.size());
  for (const auto& [v, h] : hops) members.push_back(v);
  std::sort(members.begin(), members.end());

  Graph ego;
  ego.documents = graph_->documents;
  ego.units = graph_->units;
  ego.mentions = graph_->mentions;
  ego.bytes = graph_->bytes;
  ego.scope = graph_->scope;
  ego.weight_measure = graph_->weight_measure;
  Network& out = ego.mutable_network();
  std::unordered_map<Vertex, Vertex> to_new;
  for (Vertex v : members) to_new.emplace(v, boost::add_vertex(g[v], out));
  std::unordered_set<const Relation*> loops;
  for (Vertex u : members) {
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const Vertex w = boost::target(e, g);
      auto it = to_new.find(w);
      if (it == to_new.end() || w < u) continue;
      if (w == u && !loops.insert(&g[e]).second) continue;  // a self-loop is listed twice
      boost::add_edge(to_new[u], it->second, g[e], out);
    }
  }
  ego.Reindex();
  return ego;
}

const std::vector<double>& GraphQuery::Centrality(NodeMeasure by) const {
  std::call_once(index_->centrality_once, [this] {
    // The metrics need a mutable graph: compute them on a copy of the structure and weights.
    const Network& g = graph_->network();
    Graph copy;
    Network& c = copy.mutable_network();
    for (std::size_t v = 0; v < boost::num_vertices(g); ++v) boost::add_vertex(c);
    for (auto e : boost::make_iterator_range(boost::edges(g))) {
      Relation r;
      r.weight = g[e].weight;
      boost::add_edge(boost::source(e, g), boost::target(e, g), std::move(r), c);
    }
    ComputeMetrics(&copy);
    for (auto v : boost::make_iterator_range(boost::vertices(c))) {
      index_->pagerank.push_back(c[v].pagerank);
      index_->betweenness.push_back(c[v].betweenness);
    }
  });
  return by == NodeMeasure::kPageRank ? index_->pagerank : index_->betweenness;
}

std::vector<RankedEntity> GraphQuery::Top(NodeMeasure by, std::size_t n,
                                          const std::vector<std::string>& types) const {
  const Network& g = graph_->network();
  const std::vector<double>* computed = nullptr;
  if (by == NodeMeasure::kPageRank || by == NodeMeasure::kBetweenness) {
    bool any = false;
    for (auto v : boost::make_iterator_range(boost::vertices(g))) any = any || NodeValue(g[v], by) != 0;
    // All zero: a graph built in this program, before ComputeMetrics. PageRank is never all
    // zero once computed; betweenness can be (a graph of isolated pairs), costing a recount.
    if (!any && boost::num_edges(g) > 0) computed = &Centrality(by);
  }
  std::vector<RankedEntity> out;
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    if (!types.empty() && std::find(types.begin(), types.end(), g[v].type) == types.end()) continue;
    out.push_back({v, computed ? (*computed)[v] : NodeValue(g[v], by)});
  }
  auto better = [&](const RankedEntity& a, const RankedEntity& b) {
    if (a.value != b.value) return a.value > b.value;
    return g[a.vertex].name < g[b.vertex].name;
  };
  if (n > 0 && out.size() > n) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), better);
    out.resize(n);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

std::vector<std::vector<Vertex>> GraphQuery::Components() const {
  const Network& g = graph_->network();
  const std::size_t n = boost::num_vertices(g);
  std::vector<std::size_t> label(n);
  const std::size_t count = n == 0 ? 0
      : boost::connected_components(
            g, boost::make_iterator_property_map(label.begin(), boost::get(boost::vertex_index, g)));
  std::vector<std::vector<Vertex>> out(count);
  for (std::size_t v = 0; v < n; ++v) out[label[v]].push_back(v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.size() != b.size()) return a.size() > b.size();
    return a.front() < b.front();
  });
  return out;
}

GraphStats GraphQuery::Stats() const {
  const Network& g = graph_->network();
  GraphStats s;
  s.nodes = boost::num_vertices(g);
  s.edges = boost::num_edges(g);
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    ++s.nodes_per_type[g[v].type];
    if (boost::out_degree(v, g) == 0) ++s.isolates;
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    std::string a = g[boost::source(e, g)].type, b = g[boost::target(e, g)].type;
    if (b < a) std::swap(a, b);
    ++s.edges_per_type[a + "-" + b];
  }
  const auto components = Components();
  s.components = components.size();
  s.largest_component = components.empty() ? 0 : components.front().size();
  if (s.nodes > 1) {
    s.density = 2.0 * static_cast<double>(s.edges) /
                (static_cast<double>(s.nodes) * static_cast<double>(s.nodes - 1));
  }
  if (s.nodes > 0) s.mean_degree = 2.0 * static_cast<double>(s.edges) / static_cast<double>(s.nodes);
  return s;
}

}  // namespace newsgraph
