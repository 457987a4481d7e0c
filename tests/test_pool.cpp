// Tests of the slot pools that hold a graph's edges and out-of-line values.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <list>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "newsgraph/graph.hpp"
#include "newsgraph/slot_pool.hpp"

namespace ng = newsgraph;

namespace {

struct Record {  // 120 bytes, a size no other object in the tests has
  std::uint64_t id = 0;
  std::array<char, 112> payload{};
};

struct Throws {
  std::array<char, 136> payload{};
  explicit Throws(bool fail) {
    if (fail) throw std::runtime_error("constructor failed");
  }
};

}  // namespace

TEST_CASE("SlotPool hands out distinct slots, reuses freed ones and returns empty blocks",
          "[pool]") {
  ng::SlotPool pool(48);
  const std::size_t per_block = ng::SlotPool::kBlockBytes / 48;
  const std::size_t n = 2 * per_block + 7;  // three blocks
  std::vector<unsigned char*> slots;
  for (std::size_t i = 0; i < n; ++i) {
    auto* p = static_cast<unsigned char*>(pool.Allocate());
    REQUIRE(reinterpret_cast<std::uintptr_t>(p) % 8 == 0);
    std::memset(p, static_cast<int>(i % 251), 48);
    slots.push_back(p);
  }
  CHECK(pool.live() == n);
  CHECK(pool.reserved_bytes() == 3 * ng::SlotPool::kBlockBytes);
  CHECK(std::set<unsigned char*>(slots.begin(), slots.end()).size() == n);
  // No slot overlaps another: each still holds what was written to it.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t b = 0; b < 48; ++b) REQUIRE(slots[i][b] == i % 251);
  }

  // A freed slot is the next one handed out, and no new block is taken for it.
  pool.Free(slots[5]);
  CHECK(pool.live() == n - 1);
  CHECK(pool.Allocate() == slots[5]);
  CHECK(pool.reserved_bytes() == 3 * ng::SlotPool::kBlockBytes);

  for (unsigned char* p : slots) pool.Free(p);
  CHECK(pool.live() == 0);
  CHECK(pool.reserved_bytes() == 0);
  // And it starts over.
  void* again = pool.Allocate();
  CHECK(pool.reserved_bytes() == ng::SlotPool::kBlockBytes);
  pool.Free(again);
  CHECK(pool.reserved_bytes() == 0);
}

TEST_CASE("SlotPool is safe to use from several threads", "[pool]") {
  ng::SlotPool pool(32);
  auto churn = [&pool](int seed) {
    std::vector<std::uint64_t*> mine;
    for (int round = 0; round < 20; ++round) {
      for (int i = 0; i < 2000; ++i) {
        auto* p = static_cast<std::uint64_t*>(pool.Allocate());
        p[0] = static_cast<std::uint64_t>(seed);
        p[3] = static_cast<std::uint64_t>(i);
        mine.push_back(p);
      }
      for (std::size_t i = 0; i < mine.size(); ++i) {
        REQUIRE(mine[i][0] == static_cast<std::uint64_t>(seed));
        REQUIRE(mine[i][3] == i);
      }
      for (std::uint64_t* p : mine) pool.Free(p);
      mine.clear();
    }
  };
  std::thread a(churn, 1), b(churn, 2);
  a.join();
  b.join();
  CHECK(pool.live() == 0);
  CHECK(pool.reserved_bytes() == 0);
}

TEST_CASE("PoolAllocator serves containers and single objects from the pools", "[pool]") {
  ng::SlotPool& records = ng::SlotPool::For(sizeof(Record));
  const std::size_t before = records.live();
  {
    ng::PoolAllocator<Record> alloc;
    Record* r = alloc.allocate(1);
    CHECK(records.live() == before + (ng::kPoolable<Record> ? 1 : 0));
    alloc.deallocate(r, 1);
    CHECK(records.live() == before);
    Record* many = alloc.allocate(10);  // arrays come from operator new
    CHECK(records.live() == before);
    alloc.deallocate(many, 10);
  }

  // A list with pooled nodes behaves like any list, across many blocks.
  std::list<Record, ng::PoolAllocator<Record>> list;
  for (std::uint64_t i = 0; i < 5000; ++i) {
    Record r;
    r.id = i;
    r.payload.fill(static_cast<char>(i % 127));
    if (i % 2) {
      list.push_back(r);
    } else {
      list.push_front(r);
    }
  }
  list.remove_if([](const Record& r) { return r.id % 3 == 0; });
  std::size_t seen = 0;
  for (const Record& r : list) {
    REQUIRE(r.id % 3 != 0);
    REQUIRE(r.payload[0] == static_cast<char>(r.id % 127));
    REQUIRE(r.payload[111] == static_cast<char>(r.id % 127));
    ++seen;
  }
  CHECK(seen == 5000 - 1667);
  const auto copy = list;
  CHECK(copy.size() == list.size());
  CHECK(copy.front().id == list.front().id);
}

TEST_CASE("PoolNew gives the slot back when the constructor throws", "[pool]") {
  ng::SlotPool& pool = ng::SlotPool::For(sizeof(Throws));
  const std::size_t before = pool.live();
  CHECK_THROWS_AS(ng::PoolNew<Throws>(true), std::runtime_error);
  CHECK(pool.live() == before);
  {
    auto made = ng::PoolNew<Throws>(false);
    CHECK(pool.live() == before + (ng::kPoolable<Throws> ? 1 : 0));
  }
  CHECK(pool.live() == before);
}

TEST_CASE("a graph's edges and relation details live in the pools and go back with it",
          "[pool]") {
  const std::size_t before = ng::SlotPool::TotalReservedBytes();
  {
    ng::Graph graph;
    ng::Network& g = graph.mutable_network();
    std::vector<ng::Vertex> v;
    for (int i = 0; i < 300; ++i) {
      ng::EntityNode node;
      node.name = "entity " + std::to_string(i);
      v.push_back(graph.AddVertex(node));
    }
    std::size_t edges = 0;
    for (int i = 0; i < 300; ++i) {
      for (int j = i + 1; j < 300; j += 7) {
        ng::Relation r;
        r.count = static_cast<std::uint64_t>(i + j);
        r.detail.mutable_get().first_seen = "2026-01-0" + std::to_string(1 + i % 9);
        r.detail.mutable_get().evidence.push_back({"doc", 0, 4, "text"});
        boost::add_edge(v[i], v[j], r, g);
        ++edges;
      }
    }
    CHECK(graph.num_edges() == edges);
    if (ng::kPoolable<ng::Relation>) {
      // Every edge's list node and detail take a slot: about 150 bytes an edge, in blocks.
      CHECK(ng::SlotPool::TotalReservedBytes() >= before + edges * (sizeof(ng::Relation) + 40));
    }
    // Copies are deep and independent of the original.
    ng::Network copy = g;
    boost::clear_vertex(v[0], g);
    CHECK(boost::num_edges(copy) == edges);
    std::uint64_t sum = 0;
    for (auto e : boost::make_iterator_range(boost::edges(copy))) {
      sum += copy[e].count;
      REQUIRE(copy[e].evidence().size() == 1);
      REQUIRE(copy[e].evidence()[0].text == "text");
    }
    CHECK(sum > 0);
  }
  CHECK(ng::SlotPool::TotalReservedBytes() == before);
}
