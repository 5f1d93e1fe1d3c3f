// BFS and k-hop neighbourhoods against a slow reference (relaxation over the raw edge list).
#include "graph/bfs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

// Bellman-Ford style: relax every edge n times; obviously right, O(n m).
std::vector<std::uint32_t> ReferenceDistances(const CsrGraph& graph,
                                              const std::vector<NodeId>& sources,
                                              const EdgeFilter& filter) {
  const NodeId n = graph.num_nodes();
  std::vector<std::uint32_t> distance(n, kUnreached);
  for (NodeId s : sources) distance[s] = 0;
  for (NodeId round = 0; round < n; ++round) {
    for (EdgeIdx e = 0; e < graph.num_edges(); ++e) {
      if (!filter.accepts(graph.label(e))) continue;
      const NodeId tail = graph.tail(e), head = graph.head(e);
      auto relax = [&](NodeId from, NodeId to) {
        if (distance[from] != kUnreached && distance[from] + 1 < distance[to])
          distance[to] = distance[from] + 1;
      };
      if (filter.direction != Direction::kIn) relax(tail, head);
      if (filter.direction != Direction::kOut) relax(head, tail);
    }
  }
  return distance;
}

//   0 -a-> 1 -a-> 2 -b-> 3        4 -a-> 0
TEST(Bfs, TinyFixtureDirectionsAndLabels) {
  CsrGraph graph = CsrBuilder::FromEdges(5, std::vector<EdgeInput>{
                                                {0, 1, 0}, {1, 2, 0}, {2, 3, 1}, {4, 0, 0}});
  const EdgeFilter out_a{LabelBit(0), Direction::kOut};
  EXPECT_EQ(BfsDistances(graph, 0, out_a),
            (std::vector<std::uint32_t>{0, 1, 2, kUnreached, kUnreached}));
  const EdgeFilter both_all{kAllLabels, Direction::kBoth};
  EXPECT_EQ(BfsDistances(graph, 0, both_all), (std::vector<std::uint32_t>{0, 1, 2, 3, 1}));
  const EdgeFilter in_all{kAllLabels, Direction::kIn};
  EXPECT_EQ(BfsDistances(graph, 2, in_all),
            (std::vector<std::uint32_t>{2, 1, 0, kUnreached, 3}));
  const NodeId source = 0;
  auto two_hop = KHopNeighborhood(graph, {&source, 1}, 2, both_all);
  EXPECT_EQ(two_hop, (std::vector<HopNode>{{0, 0}, {1, 1}, {4, 1}, {2, 2}}));
}

TEST(Bfs, RandomGraphsMatchReference) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(2 + seed % 40),
                               .num_edges = std::size_t(seed * 5 % 90),
                               .num_labels = 3,
                               .skew = seed % 2 ? 1.0 : 0.0,
                               .self_loops = seed % 4 == 0,
                               .seed = seed};
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, RandomEdges(options));
    for (Direction direction : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      for (LabelMask labels : {kAllLabels, LabelBit(0) | LabelBit(2), LabelBit(1)}) {
        const EdgeFilter filter{labels, direction};
        const NodeId source = NodeId(seed % options.num_nodes);
        const auto want = ReferenceDistances(graph, {source}, filter);
        // top-down only, Beamer's default switching, and bottom-up as early as possible
        for (int alpha : {0, 15, 1 << 30}) {
          EXPECT_EQ(BfsDistances(graph, source, filter, alpha), want)
              << "seed " << seed << " alpha " << alpha;
        }
        std::vector<NodeId> sources{source, NodeId((seed * 7) % options.num_nodes)};
        const auto multi = ReferenceDistances(graph, sources, filter);
        for (std::uint32_t hops : {0u, 1u, 2u, 3u}) {
          auto got = KHopNeighborhood(graph, sources, hops, filter);
          for (std::size_t i = 1; i < got.size(); ++i) EXPECT_LE(got[i - 1].hops, got[i].hops);
          std::vector<HopNode> want_nodes;
          for (NodeId v = 0; v < options.num_nodes; ++v)
            if (multi[v] <= hops) want_nodes.push_back({v, multi[v]});
          std::sort(got.begin(), got.end(),
                    [](const HopNode& a, const HopNode& b) { return a.node < b.node; });
          EXPECT_EQ(got, want_nodes) << "seed " << seed << " hops " << hops;
        }
      }
    }
  }
}

TEST(Bfs, LargerHeavyTailedGraphSwitchesDirection) {
  RandomGraphOptions options{.num_nodes = 3000, .num_edges = 12000, .num_labels = 2,
                             .skew = 2.0, .seed = 9};
  CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, RandomEdges(options));
  for (Direction direction : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
    const EdgeFilter filter{kAllLabels, direction};
    // Plain top-down (checked against the reference above) vs the switching variants.
    const auto want = BfsDistances(graph, 0, filter, /*alpha=*/0);
    EXPECT_EQ(BfsDistances(graph, 0, filter), want);
    EXPECT_EQ(BfsDistances(graph, 0, filter, 1 << 30), want);
  }
}

}  // namespace
}  // namespace cg
