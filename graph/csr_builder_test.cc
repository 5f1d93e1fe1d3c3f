// Tests of CsrBuilder against a slow serial reference (gapbs-style verifier).
#include "graph/csr_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "graph/random_graph.h"

namespace cg {
namespace {

// The obvious construction: stable-sort all edges by (tail, label, head), drop later duplicates,
// and for the in-side list edge ids per head sorted by (label, tail, id).
CsrGraph ReferenceBuild(NodeId n, std::vector<EdgeInput> edges, bool keep_first) {
  for (const auto& e : edges) n = std::max({n, e.tail + 1, e.head + 1});
  std::stable_sort(edges.begin(), edges.end(), [](const EdgeInput& a, const EdgeInput& b) {
    return std::tie(a.tail, a.label, a.head) < std::tie(b.tail, b.label, b.head);
  });
  if (keep_first) {
    edges.erase(std::unique(edges.begin(), edges.end(),
                            [](const EdgeInput& a, const EdgeInput& b) {
                              return a.tail == b.tail && a.label == b.label && a.head == b.head;
                            }),
                edges.end());
  }
  std::vector<EdgeIdx> out_offsets(n + 1, 0), in_offsets(n + 1, 0);
  std::vector<NodeId> heads, in_tails;
  std::vector<Label> labels;
  std::vector<Tag> tags;
  std::vector<float> values;
  std::vector<EdgeIdx> in_edges;
  for (const auto& e : edges) {
    out_offsets[e.tail + 1]++;
    heads.push_back(e.head);
    labels.push_back(e.label);
    tags.push_back(e.tag);
    values.push_back(e.value);
  }
  for (NodeId u = 0; u < n; ++u) out_offsets[u + 1] += out_offsets[u];
  std::vector<std::vector<EdgeIdx>> by_head(n);
  for (EdgeIdx e = 0; e < edges.size(); ++e) by_head[edges[e].head].push_back(e);
  for (NodeId v = 0; v < n; ++v) {
    std::vector<EdgeIdx> mine = by_head[v];
    std::sort(mine.begin(), mine.end(), [&](EdgeIdx a, EdgeIdx b) {
      return std::tie(edges[a].label, edges[a].tail, a) < std::tie(edges[b].label, edges[b].tail, b);
    });
    for (EdgeIdx e : mine) {
      in_edges.push_back(e);
      in_tails.push_back(edges[e].tail);
    }
    in_offsets[v + 1] = in_offsets[v] + EdgeIdx(mine.size());
  }
  return CsrGraph::FromArrays(out_offsets, heads, labels, tags, values, in_offsets, in_tails,
                              in_edges);
}

void ExpectSame(const CsrGraph& got, const CsrGraph& want) {
  EXPECT_EQ(got.out_offsets(), want.out_offsets());
  EXPECT_EQ(got.heads(), want.heads());
  EXPECT_EQ(got.labels(), want.labels());
  EXPECT_EQ(got.tags(), want.tags());
  EXPECT_EQ(got.values(), want.values());
  EXPECT_EQ(got.in_offsets(), want.in_offsets());
  EXPECT_EQ(got.in_tails(), want.in_tails());
  EXPECT_EQ(got.in_edges(), want.in_edges());
}

//   0 --a--> 1 --b--> 2        edge 0->1 label a given twice (values 0.3 then 0.7)
//   0 --b--> 2                 node 3 is isolated (count given as 4)
TEST(CsrBuilder, TinyFixtureKeepFirst) {
  CsrBuilder builder(4);
  builder.AddEdge(1, 2, /*label=*/1);
  builder.AddEdge(0, 1, 0, 0, 0.3f);
  builder.AddEdge(0, 2, 1);
  builder.AddEdge(0, 1, 0, 0, 0.7f);
  CsrGraph graph = builder.Build();
  EXPECT_EQ(graph.Validate(), "");
  ASSERT_EQ(graph.num_nodes(), 4u);
  ASSERT_EQ(graph.num_edges(), 3u);
  EXPECT_EQ(graph.out_degree(0), 2u);
  EXPECT_EQ(graph.head(0), 1u);
  EXPECT_FLOAT_EQ(graph.value(0), 0.3f);  // the first one added survives
  EXPECT_EQ(graph.head(1), 2u);
  EXPECT_EQ(graph.in_degree(2), 2u);
  EXPECT_EQ(graph.in_degree(3), 0u);
  EXPECT_EQ(graph.tail(2), 1u);
  EXPECT_EQ(builder.num_pending_edges(), 0u);
}

TEST(CsrBuilder, KeepAllKeepsParallelEdgesInInsertionOrder) {
  std::vector<EdgeInput> edges = {{0, 1, 0, 0, 0.3f}, {0, 1, 0, 1, 0.7f}};
  CsrGraph graph = CsrBuilder::FromEdges(0, edges, CsrBuilder::Duplicates::kKeepAll);
  ASSERT_EQ(graph.num_edges(), 2u);
  EXPECT_FLOAT_EQ(graph.value(0), 0.3f);
  EXPECT_FLOAT_EQ(graph.value(1), 0.7f);
  EXPECT_EQ(graph.Validate(), "");
}

TEST(CsrBuilder, EmptyAndNodesOnly) {
  EXPECT_EQ(CsrBuilder::FromEdges(0, {}).num_nodes(), 0u);
  CsrGraph graph = CsrBuilder::FromEdges(5, {});
  EXPECT_EQ(graph.num_nodes(), 5u);
  EXPECT_EQ(graph.num_edges(), 0u);
  EXPECT_EQ(graph.Validate(), "");
}

TEST(CsrBuilder, RandomGraphsMatchReference) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RandomGraphOptions options;
    options.num_nodes = NodeId(1 + seed * 7 % 60);
    options.num_edges = seed * 23 % 400;
    options.num_labels = int(1 + seed % 4);
    options.skew = seed % 2 ? 1.5 : 0.0;
    options.self_loops = seed % 3 == 0;
    options.seed = seed;
    options.zero_values = double(seed % 3) * 0.4;  // 0, 0.4, 0.8 of the edges without a value
    auto edges = RandomEdges(options);
    for (bool keep_first : {true, false}) {
      CsrGraph got = CsrBuilder::FromEdges(
          options.num_nodes, edges,
          keep_first ? CsrBuilder::Duplicates::kKeepFirst : CsrBuilder::Duplicates::kKeepAll);
      ASSERT_EQ(got.Validate(), "") << "seed " << seed;
      ExpectSame(got, ReferenceBuild(options.num_nodes, edges, keep_first));
    }
  }
}

TEST(CsrBuilder, LargerRandomGraphIsValidAndDeterministic) {
  RandomGraphOptions options{.num_nodes = 5000, .num_edges = 40000, .num_labels = 5, .skew = 2.0,
                             .seed = 7, .zero_values = 0.7};
  auto edges = RandomEdges(options);
  CsrGraph first = CsrBuilder::FromEdges(0, edges);
  CsrGraph second = CsrBuilder::FromEdges(0, edges);
  EXPECT_EQ(first.Validate(), "");
  ExpectSame(first, second);
  ExpectSame(first, ReferenceBuild(0, edges, true));
}

}  // namespace
}  // namespace cg
