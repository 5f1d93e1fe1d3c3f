// Tests of graph_build.h: GroupByKey against std::stable_sort, and BuildGraphKeepFirst against
// CsrBuilder::FromEdges (kKeepFirst), array by array, on fixtures and random graphs.
#include "core/measures/graph_build.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "graph/random_graph.h"

namespace cg::core::measures {
namespace {

void ExpectSameGraph(const CsrGraph& got, const CsrGraph& want) {
  EXPECT_EQ(got.Validate(), "");
  EXPECT_EQ(got.num_nodes(), want.num_nodes());
  EXPECT_EQ(got.out_offsets(), want.out_offsets());
  EXPECT_EQ(got.heads(), want.heads());
  EXPECT_EQ(got.labels(), want.labels());
  EXPECT_EQ(got.tags(), want.tags());
  EXPECT_EQ(got.values(), want.values());
  EXPECT_EQ(got.in_offsets(), want.in_offsets());
  EXPECT_EQ(got.in_tails(), want.in_tails());
  EXPECT_EQ(got.in_edges(), want.in_edges());
}

TEST(GroupByKey, StableAndLikeAStableSortOnRandomKeys) {
  std::mt19937 rng(5);
  // Sizes around the chunk (65,536 items) and key block (16,384 keys) boundaries.
  for (const auto& [count, num_keys] : std::vector<std::pair<std::size_t, std::size_t>>{
           {0, 1}, {1, 1}, {10, 3}, {1000, 40000}, {70000, 16384}, {140000, 16385}, {200000, 7}}) {
    std::vector<std::uint32_t> keys(count);
    for (auto& key : keys) key = std::uint32_t(rng() % num_keys);
    std::vector<std::uint32_t> offsets, order;
    GroupByKey(
        count, num_keys, [&](std::size_t item) { return keys[item]; },
        [](std::size_t item) { return std::uint32_t(item); }, &offsets, &order);
    std::vector<std::uint32_t> expected(count);
    std::iota(expected.begin(), expected.end(), 0u);
    std::stable_sort(expected.begin(), expected.end(),
                     [&](std::uint32_t left, std::uint32_t right) { return keys[left] < keys[right]; });
    ASSERT_EQ(order, expected) << count << " items, " << num_keys << " keys";
    ASSERT_EQ(offsets.size(), num_keys + 1);
    for (std::size_t key = 0; key < num_keys; ++key) {
      const auto size = std::size_t(std::count(keys.begin(), keys.end(), std::uint32_t(key)));
      ASSERT_EQ(offsets[key + 1] - offsets[key], size) << "key " << key;
    }
  }
}

//   0 --a--> 1   0 --a--> 1 (duplicate: the first one's tag and value stay)
//   1 --b--> 0   1 --a--> 0   2 --a--> 2 (self-loop)   node 3: no edges
TEST(BuildGraphKeepFirst, FixtureLikeCsrBuilder) {
  const std::vector<EdgeInput> edges = {{0, 1, 0, 1, 0.5f}, {1, 0, 1, 0, 0.0f},
                                        {0, 1, 0, 2, 0.7f}, {1, 0, 0, 3, 0.0f},
                                        {2, 2, 0, 0, 0.25f}};
  const CsrGraph want = CsrBuilder::FromEdges(4, edges);
  const CsrGraph got = BuildGraphKeepFirst(4, edges);
  ExpectSameGraph(got, want);
  EXPECT_EQ(got.num_edges(), 4u);
  EXPECT_EQ(got.tag(got.out_begin(0)), 1);  // the first duplicate's
  EXPECT_EQ(BuildGraphKeepFirst(2, {}).num_nodes(), 2u);
  EXPECT_EQ(BuildGraphKeepFirst(0, edges).num_nodes(), 3u);  // 1 + the largest endpoint
  ExpectSameGraph(BuildGraphKeepFirst(0, edges), CsrBuilder::FromEdges(0, edges));
  ExpectSameGraph(BuildGraphKeepFirst(0, {}), CsrBuilder::FromEdges(0, {}));
}

TEST(BuildGraphKeepFirst, RandomGraphsLikeCsrBuilder) {
  std::mt19937 rng(17);
  for (int trial = 0; trial < 30; ++trial) {
    RandomGraphOptions options;
    options.num_nodes = NodeId(1 + rng() % (trial < 25 ? 300 : 40000));
    options.num_edges = rng() % (trial < 25 ? 3000 : 150000);
    options.num_labels = 1 + int(rng() % 5);
    options.skew = (trial % 3) * 1.5;  // heavy-tailed heads and tails
    options.self_loops = trial % 2 == 0;
    options.zero_values = 0.5;
    options.seed = rng();
    std::vector<EdgeInput> edges = RandomEdges(options);
    // Duplicates (same tail, head, label) with other tags and values, anywhere in the input.
    const std::size_t original = edges.size();
    for (std::size_t at = 0; at < original / 5; ++at) {
      EdgeInput copy = edges[rng() % original];
      copy.tag = Tag(rng() % 4);
      copy.value = float(rng() % 3);
      edges.push_back(copy);
    }
    std::shuffle(edges.begin(), edges.end(), rng);
    SCOPED_TRACE(testing::Message() << "trial " << trial);
    ExpectSameGraph(BuildGraphKeepFirst(options.num_nodes, edges),
                    CsrBuilder::FromEdges(options.num_nodes, edges));
  }
}

}  // namespace
}  // namespace cg::core::measures
