// Connected components against a slow reference (serial BFS over an undirected edge list).
#include "graph/components.h"

#include <gtest/gtest.h>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

std::vector<NodeId> ReferenceComponents(NodeId n, const std::vector<EdgeInput>& edges,
                                        LabelMask labels) {
  std::vector<std::vector<NodeId>> adjacency(n);
  for (const auto& e : edges) {
    if (!EdgeFilter{labels}.accepts(e.label)) continue;
    adjacency[e.tail].push_back(e.head);
    adjacency[e.head].push_back(e.tail);
  }
  std::vector<NodeId> component(n, kNoNode);
  for (NodeId root = 0; root < n; ++root) {  // ascending: the root is the smallest member
    if (component[root] != kNoNode) continue;
    std::vector<NodeId> stack{root};
    component[root] = root;
    while (!stack.empty()) {
      NodeId node = stack.back();
      stack.pop_back();
      for (NodeId next : adjacency[node]) {
        if (component[next] == kNoNode) {
          component[next] = root;
          stack.push_back(next);
        }
      }
    }
  }
  return component;
}

//   0 -a- 1 -b- 2     3 -a- 4     5
TEST(Components, TinyFixtureWithLabels) {
  std::vector<EdgeInput> edges{{1, 0, 0}, {1, 2, 1}, {4, 3, 0}};
  CsrGraph graph = CsrBuilder::FromEdges(6, edges);
  EXPECT_EQ(ConnectedComponents(graph), (std::vector<NodeId>{0, 0, 0, 3, 3, 5}));
  EXPECT_EQ(ConnectedComponents(graph, LabelBit(0)), (std::vector<NodeId>{0, 0, 2, 3, 3, 5}));
  auto groups = GroupComponents(ConnectedComponents(graph));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members, (std::vector<NodeId>{0, 1, 2}));
  EXPECT_EQ(groups[1].members, (std::vector<NodeId>{3, 4}));
  EXPECT_EQ(GroupComponents(ConnectedComponents(graph), 1).size(), 3u);
}

TEST(Components, RandomGraphsMatchReference) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(1 + seed * 13 % 300),
                               .num_edges = std::size_t(seed * 11 % 250),
                               .num_labels = 3,
                               .skew = seed % 2 ? 2.0 : 0.0,
                               .self_loops = true,
                               .seed = seed};
    auto edges = RandomEdges(options);
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    for (LabelMask labels : {kAllLabels, LabelBit(1), LabelBit(0) | LabelBit(2)}) {
      EXPECT_EQ(ConnectedComponents(graph, labels),
                ReferenceComponents(options.num_nodes, edges, labels))
          << "seed " << seed;
    }
  }
}

TEST(Components, LargerRandomGraphMatchesReference) {
  RandomGraphOptions options{.num_nodes = 20000, .num_edges = 18000, .num_labels = 2,
                             .skew = 1.0, .seed = 3};
  auto edges = RandomEdges(options);
  CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
  EXPECT_EQ(ConnectedComponents(graph), ReferenceComponents(options.num_nodes, edges, kAllLabels));
}

}  // namespace
}  // namespace cg
