// Graph persistence: byte-string round trips, damage detection, save/load in the store.
#include "core/related/graph_io.h"

#include <gtest/gtest.h>
#include <xxhash.h>

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
                               .num_labels = 6, .skew = 1.0, .seed = seed,
                               .zero_values = double(seed % 4) / 3.0};
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

// Version 1 of the format, written by hand: one f32 value per edge.
std::string SerializeVersion1(const CsrGraph& graph) {
  std::string out("CGCSR\0\0\1", 8);
  auto u64 = [&](std::uint64_t value) { out.append(reinterpret_cast<const char*>(&value), 8); };
  auto array = [&](const auto& values) {
    u64(values.size() * sizeof(values[0]));
    out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(values[0]));
  };
  u64(graph.num_nodes());
  u64(graph.num_edges());
  array(graph.out_offsets());
  array(graph.heads());
  array(graph.labels());
  array(graph.tags());
  array(graph.values());
  array(graph.in_offsets());
  array(graph.in_tails());
  array(graph.in_edges());
  u64(XXH64(out.data(), out.size(), 0));
  return out;
}

TEST(GraphIo, ReadsVersion1) {
  RandomGraphOptions options{.num_nodes = 300, .num_edges = 1500, .num_labels = 6, .skew = 1.0,
                             .seed = 9, .zero_values = 0.6};
  CsrGraph graph = CsrBuilder::FromEdges(300, RandomEdges(options));
  const std::string old_bytes = SerializeVersion1(graph);
  auto back = DeserializeGraph(old_bytes, /*full_check=*/true);
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSameArrays(*back, graph);
  EXPECT_EQ(back->value_present(), graph.value_present());
  EXPECT_EQ(back->stored_values(), graph.stored_values());
  // Version 2 is smaller: only the non-zero values are written.
  EXPECT_LT(SerializeGraph(graph).size(), old_bytes.size() - 2 * graph.num_edges());
  std::string future = old_bytes;
  future[7] = '\3';
  EXPECT_EQ(DeserializeGraph(future).status().code(), absl::StatusCode::kDataLoss);
}

TEST(GraphIo, DamageIsDetected) {
  RandomGraphOptions options{.num_nodes = 50, .num_edges = 200, .seed = 3};
  const std::string bytes = SerializeGraph(CsrBuilder::FromEdges(50, RandomEdges(options)));
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x40;
  EXPECT_EQ(DeserializeGraph(flipped).status().code(), absl::StatusCode::kDataLoss);
  // A value bit past the last edge, with a correct checksum, is refused too.
  {
    CsrGraph small = CsrBuilder::FromEdges(3, std::vector<EdgeInput>{{0, 1, 0, 0, 0.5f}});
    std::string bytes1 = SerializeGraph(small);
    // header (8 + 16) + out_offsets (8 + 16) + heads (8 + 4) + labels (8 + 1) + tags (8 + 1),
    // then the presence words' length and the first word.
    const std::size_t word = 24 + 24 + 12 + 9 + 9 + 8;
    ASSERT_EQ(bytes1[word], '\1');
    bytes1[word] = '\3';
    bytes1.resize(bytes1.size() - 8);
    const std::uint64_t hash = XXH64(bytes1.data(), bytes1.size(), 0);
    bytes1.append(reinterpret_cast<const char*>(&hash), 8);
    EXPECT_EQ(DeserializeGraph(bytes1).status().code(), absl::StatusCode::kDataLoss);
  }
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
