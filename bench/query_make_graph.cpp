// Writes a synthetic entity graph as GraphML for the query load benchmark.
//   query_make_graph OUT.graphml [--nodes N] [--edges M] [--lean] [--seed S]
// Default: newsgraph's own GraphML (WriteGraphML, every node and edge key). --lean writes the
// minimal file other tools produce (label and type on nodes, weight on edges), about 113 MB
// for 100,000 nodes and 1,000,000 edges.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "newsgraph/export.hpp"
#include "newsgraph/graph.hpp"

namespace ng = newsgraph;

namespace {

const char* const kTypes[] = {"person", "country", "organization", "location", "event", "document"};
const char* const kFirst[] = {"Ana", "Boris", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana",
                              "Ivan", "Jun", "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya"};
const char* const kLast[] = {"Alvarez", "Becker", "Costa", "Dubois", "Eriksen", "Fischer",
                             "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist",
                             "Moreau", "Novak", "Okafor", "Petrov"};

std::string NameOf(std::size_t i) {
  // Unique, name-like labels: "Lena Novak 4711".
  return std::string(kFirst[i % 16]) + " " + kLast[(i / 16) % 16] + " " + std::to_string(i);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: query_make_graph OUT.graphml [--nodes N] [--edges M] [--lean] [--seed S]\n";
    return 1;
  }
  std::string out_path = argv[1];
  std::size_t nodes = 100000, edges = 1000000;
  unsigned seed = 7;
  bool lean = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--nodes" && i + 1 < argc) nodes = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--edges" && i + 1 < argc) edges = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc) seed = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--lean") lean = true;
    else { std::cerr << "unknown argument " << a << "\n"; return 1; }
  }
  if (nodes < 2 || edges > nodes * (nodes - 1) / 2) { std::cerr << "too many edges\n"; return 1; }

  // Skewed degrees, as in news: one end uniform, the other drawn towards low indices.
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(edges * 2);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(edges);
  while (pairs.size() < edges) {
    auto a = static_cast<std::uint32_t>(unit(rng) * nodes);
    const double r = unit(rng);
    auto b = static_cast<std::uint32_t>(r * r * r * nodes);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (!seen.insert((std::uint64_t{a} << 32) | b).second) continue;
    pairs.emplace_back(a, b);
  }
  seen = {};

  std::ofstream out(out_path, std::ios::binary);
  static char buffer[1 << 20];
  out.rdbuf()->pubsetbuf(buffer, sizeof buffer);
  if (!out) { std::cerr << out_path << ": cannot write\n"; return 1; }

  if (lean) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
           "  <key id=\"d0\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
           "  <key id=\"d1\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
           "  <key id=\"d2\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
           "  <graph id=\"G\" edgedefault=\"undirected\">\n";
    for (std::size_t i = 0; i < nodes; ++i) {
      out << "    <node id=\"n" << i << "\">\n      <data key=\"d0\">" << NameOf(i)
          << "</data>\n      <data key=\"d1\">" << kTypes[i % 6] << "</data>\n    </node>\n";
    }
    std::size_t id = 0;
    for (const auto& [a, b] : pairs) {
      out << "    <edge id=\"e" << id++ << "\" source=\"n" << a << "\" target=\"n" << b
          << "\">\n      <data key=\"d2\">" << 1 + (a ^ b) % 40 << "</data>\n    </edge>\n";
    }
    out << "  </graph>\n</graphml>\n";
  } else {
    ng::Graph graph;
    graph.units = 10000000;  // the measures follow from the edge counts and these units
    for (std::size_t i = 0; i < nodes; ++i) {
      ng::EntityNode n;
      n.name = NameOf(i);
      n.type = kTypes[i % 6];
      n.frequency = 1 + (i * 7919) % 500;
      n.documents = 1 + n.frequency / 3;
      n.units = n.frequency + 40;
      graph.AddVertex(n);
    }
    ng::Network& g = graph.mutable_network();
    for (const auto& [a, b] : pairs) {
      ng::Relation r;
      r.count = 1 + (a ^ b) % 40;
      r.documents = 1 + r.count / 2;
      r.weight = static_cast<double>(r.count);
      boost::add_edge(a, b, std::move(r), g);
    }
    for (auto v : boost::make_iterator_range(boost::vertices(g))) {
      g[v].degree = static_cast<double>(boost::degree(v, g));
      double w = 0;
      for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) w += g[e].weight;
      g[v].weighted_degree = w;
    }
    ng::Status s = ng::WriteGraphML(graph, out);
    if (!s.ok()) { std::cerr << s.message() << "\n"; return 1; }
  }
  out.close();
  if (!out) { std::cerr << out_path << ": write failed\n"; return 1; }
  return 0;
}
