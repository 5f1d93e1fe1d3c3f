// Tests of CsrGraph's compact value storage (presence bits + rank directory + the non-zero
// values) against the obvious reference: one float per edge.
#include "graph/csr_graph.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

// A graph whose m edges all leave node 0 (one per head, so the edge id is the head), with the
// given values; the slow reference is `values` itself.
CsrGraph StarWithValues(const std::vector<float>& values) {
  std::vector<EdgeInput> edges;
  for (std::size_t i = 0; i < values.size(); ++i) {
    edges.push_back({0, NodeId(i + 1), 0, 0, values[i]});
  }
  return CsrBuilder::FromEdges(NodeId(values.size() + 1), edges);
}

void ExpectValues(const CsrGraph& graph, const std::vector<float>& want) {
  ASSERT_EQ(graph.num_edges(), want.size());
  std::size_t nonzero = 0;
  for (EdgeIdx e = 0; e < want.size(); ++e) {
    const bool stored = std::bit_cast<std::uint32_t>(want[e]) != 0;
    nonzero += stored;
    EXPECT_EQ(graph.has_value(e), stored) << "edge " << e;
    EXPECT_EQ(std::bit_cast<std::uint32_t>(graph.value(e)), std::bit_cast<std::uint32_t>(want[e]))
        << "edge " << e;
  }
  EXPECT_EQ(graph.stored_values().size(), nonzero);
  const std::vector<float> dense = graph.values();
  ASSERT_EQ(dense.size(), want.size());
  for (std::size_t e = 0; e < want.size(); ++e) {
    EXPECT_EQ(std::bit_cast<std::uint32_t>(dense[e]), std::bit_cast<std::uint32_t>(want[e]));
  }
}

//   edge id:  0    1    2     3 ... 63   64   65  ...  129
//   value:    0.5  0    -0.0  0 ... 0    NaN  0   ...  1e-40 (denormal)
// Only +0.0f means "no value": -0.0f, NaN and denormals are stored and come back bit for bit.
TEST(CsrGraphValues, TinyFixtureAcrossWordBoundaries) {
  std::vector<float> values(130, 0.0f);
  values[0] = 0.5f;
  values[2] = -0.0f;
  values[64] = std::numeric_limits<float>::quiet_NaN();
  values[129] = 1e-40f;
  CsrGraph graph = StarWithValues(values);
  EXPECT_EQ(graph.Validate(), "");
  ExpectValues(graph, values);
  EXPECT_EQ(graph.stored_values().size(), 4u);
  EXPECT_EQ(graph.value_present().size(), 3u);  // ceil(130 / 64)
}

TEST(CsrGraphValues, RandomValuesMatchOneFloatPerEdge) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 40; ++round) {
    const std::size_t m = rng() % 700;
    const double zero_fraction = double(round % 5) / 4.0;  // 0, 0.25, ..., 1
    std::vector<float> values(m);
    for (float& value : values) {
      value = std::uniform_real_distribution<double>(0, 1)(rng) < zero_fraction
                  ? 0.0f
                  : float(1 + rng() % 1000) / 7.0f;
    }
    CsrGraph graph = StarWithValues(values);
    ASSERT_EQ(graph.Validate(), "") << "round " << round;
    ExpectValues(graph, values);
    // FromArrays (dense values, the old layout) gives the same storage.
    CsrGraph again = CsrGraph::FromArrays(graph.out_offsets(), graph.heads(), graph.labels(),
                                          graph.tags(), values, graph.in_offsets(),
                                          graph.in_tails(), graph.in_edges());
    ASSERT_EQ(again.Validate(), "");
    EXPECT_EQ(again.value_present(), graph.value_present());
    EXPECT_EQ(again.value_ranks(), graph.value_ranks());
    EXPECT_EQ(again.stored_values(), graph.stored_values());
  }
}

TEST(CsrGraphValues, ValidateCatchesBrokenValueStorage) {
  std::vector<float> values = {0.5f, 0.0f, 0.25f};
  CsrGraph graph = StarWithValues(values);
  ASSERT_EQ(graph.Validate(), "");
  auto rebuild = [&](std::vector<std::uint64_t> present, std::vector<float> stored) {
    return CsrGraph::FromCompactArrays(graph.out_offsets(), graph.heads(), graph.labels(),
                                       graph.tags(), std::move(present), std::move(stored),
                                       graph.in_offsets(), graph.in_tails(), graph.in_edges());
  };
  EXPECT_EQ(rebuild({0b101}, {0.5f, 0.25f}).Validate(), "");
  EXPECT_NE(rebuild({0b101}, {0.5f}).Validate(), "");              // a value missing
  EXPECT_NE(rebuild({0b1101}, {0.5f, 0.25f, 1.0f}).Validate(), "");  // a bit past m
  EXPECT_NE(rebuild({0b101}, {0.5f, 0.0f}).Validate(), "");        // +0.0 stored
  EXPECT_NE(rebuild({}, {}).Validate(), "");                        // no presence words
  // FromArrays with the wrong number of dense values.
  EXPECT_NE(CsrGraph::FromArrays(graph.out_offsets(), graph.heads(), graph.labels(), graph.tags(),
                                 {0.5f, 0.0f}, graph.in_offsets(), graph.in_tails(),
                                 graph.in_edges())
                .Validate(),
            "");
}

TEST(CsrGraphValues, MemoryCountsEveryArray) {
  // 1000 nodes, 3000 edges, half of them with a value: 14 bytes per edge for head, label, tag,
  // in_tail and in_edge, 8 per node for the offsets, 12 bytes per 64 edges for the value bits
  // and ranks, 4 per stored value.
  RandomGraphOptions options{.num_nodes = 1000, .num_edges = 3000, .num_labels = 4,
                             .seed = 5, .zero_values = 0.5};
  CsrGraph graph = CsrBuilder::FromEdges(1000, RandomEdges(options));
  const std::size_t m = graph.num_edges(), words = (m + 63) / 64;
  EXPECT_GE(graph.memory_bytes(),
            14 * m + 4 * 1001 * 2 + 12 * words + 4 * graph.stored_values().size());
  EXPECT_LT(graph.stored_values().size(), m * 6 / 10);
  EXPECT_GT(graph.stored_values().size(), m * 4 / 10);
}

}  // namespace
}  // namespace cg
