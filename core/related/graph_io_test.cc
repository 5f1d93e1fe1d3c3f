// Graph persistence: byte-string round trips, damage detection, save/load in the store.
#include "core/related/graph_io.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg::core::related {
namespace {
namespace fs = std::filesystem;

void ExpectSameArrays(const CsrGraph& a, const CsrGraph& b) {
  EXPECT_EQ(a.out_offsets(), b.out_offsets());
  EXPECT_EQ(a.heads(), b.heads());
  EXPECT_EQ(a.labels(), b.labels());
  EXPECT_EQ(a.tags(), b.tags());
  EXPECT_EQ(a.values(), b.values());
  EXPECT_EQ(a.in_offsets(), b.in_offsets());
  EXPECT_EQ(a.in_tails(), b.in_tails());
  EXPECT_EQ(a.in_edges(), b.in_edges());
}

TEST(GraphIo, RoundTripsRandomAndEmptyGraphs) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(seed * 17), .num_edges = seed * 40,
                               .num_labels = 6, .skew = 1.0, .seed = seed};
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, RandomEdges(options));
    auto back = DeserializeGraph(SerializeGraph(graph), /*full_check=*/true);
    ASSERT_TRUE(back.ok()) << back.status();
    ExpectSameArrays(*back, graph);
  }
  for (const CsrGraph& empty : {CsrGraph(), CsrBuilder::FromEdges(0, {}), CsrBuilder::FromEdges(4, {})}) {
    auto back = DeserializeGraph(SerializeGraph(empty), true);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->num_nodes(), empty.num_nodes());
  }
}

TEST(GraphIo, DamageIsDetected) {
  RandomGraphOptions options{.num_nodes = 50, .num_edges = 200, .seed = 3};
  const std::string bytes = SerializeGraph(CsrBuilder::FromEdges(50, RandomEdges(options)));
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  EXPECT_EQ(DeserializeGraph(flipped).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(DeserializeGraph(bytes.substr(0, bytes.size() - 9)).ok());
  EXPECT_FALSE(DeserializeGraph("hello").ok());
}

TEST(GraphIo, SavesAndLoadsInTheStore) {
  const std::string path =
      (fs::temp_directory_path() / ("cg_graph_io_test_" + std::to_string(::getpid()))).string();
  fs::remove_all(path);
  {
    auto store = store::Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(LoadGraph(**store).status().code(), absl::StatusCode::kNotFound);
    // Large enough to need several 8 MiB chunks.
    RandomGraphOptions big{.num_nodes = 100000, .num_edges = 600000, .num_labels = 6,
                           .skew = 1.5, .seed = 5};
    CsrGraph graph = CsrBuilder::FromEdges(0, RandomEdges(big));
    ASSERT_TRUE(SaveGraph(**store, graph).ok());
    auto loaded = LoadGraph(**store);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ExpectSameArrays(*loaded, graph);
    // A smaller save replaces it wholly (no stale chunks).
    RandomGraphOptions small{.num_nodes = 10, .num_edges = 20, .seed = 6};
    CsrGraph little = CsrBuilder::FromEdges(10, RandomEdges(small));
    ASSERT_TRUE(SaveGraph(**store, little).ok());
    ASSERT_TRUE(SaveGraph(**store, graph, "other").ok());
  }
  {
    auto store = store::Store::Open(path, {.read_only = true});
    ASSERT_TRUE(store.ok()) << store.status();
    auto loaded = LoadGraph(**store, kRelatedGraphName, true);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->num_nodes(), 10u);
    auto other = LoadGraph(**store, "other");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->num_nodes(), 100000u);
  }
  fs::remove_all(path);
}

}  // namespace
}  // namespace cg::core::related
