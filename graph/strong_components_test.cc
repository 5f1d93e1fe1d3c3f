// Strong components (BGL on the CSR adapter) against the project's own recursive Tarjan.
#include "graph/strong_components.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

// Tarjan (1972), recursive, over the raw edge list; result normalized to the smallest member.
std::vector<NodeId> ReferenceScc(NodeId n, const std::vector<EdgeInput>& edges, LabelMask labels) {
  std::vector<std::vector<NodeId>> out(n);
  for (const auto& e : edges)
    if (EdgeFilter{labels}.accepts(e.label)) out[e.tail].push_back(e.head);
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<NodeId> stack, component(n, kNoNode);
  int counter = 0;
  std::function<void(NodeId)> visit = [&](NodeId v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (NodeId w : out[v]) {
      if (index[w] < 0) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      std::vector<NodeId> members;
      NodeId w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        members.push_back(w);
      } while (w != v);
      const NodeId smallest = *std::min_element(members.begin(), members.end());
      for (NodeId member : members) component[member] = smallest;
    }
  };
  for (NodeId v = 0; v < n; ++v)
    if (index[v] < 0) visit(v);
  return component;
}

//   shareholder (label 2) cycle 0 -> 1 -> 2 -> 0; 2 -> 3; 4 holds itself (self-loop);
//   5 -> 6 -> 5 only through label 0 (not an ownership cycle)
TEST(StrongComponents, TinyOwnershipCycles) {
  std::vector<EdgeInput> edges{{0, 1, 2}, {1, 2, 2}, {2, 0, 2}, {2, 3, 2},
                               {4, 4, 2}, {5, 6, 0}, {6, 5, 0}};
  CsrGraph graph = CsrBuilder::FromEdges(7, edges);
  EXPECT_EQ(StrongComponents(graph, LabelBit(2)), (std::vector<NodeId>{0, 0, 0, 3, 4, 5, 6}));
  auto cycles = CyclicComponents(graph, LabelBit(2));
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0].members, (std::vector<NodeId>{0, 1, 2}));
  EXPECT_EQ(cycles[1].members, (std::vector<NodeId>{4}));
  EXPECT_EQ(CyclicComponents(graph).size(), 3u);
}

TEST(StrongComponents, RandomGraphsMatchTarjan) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(1 + seed * 7 % 120),
                               .num_edges = std::size_t(seed * 17 % 300),
                               .num_labels = 3,
                               .skew = seed % 2 ? 1.0 : 0.0,
                               .self_loops = true,
                               .seed = seed};
    auto edges = RandomEdges(options);
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    for (LabelMask labels : {kAllLabels, LabelBit(2)}) {
      const auto want = ReferenceScc(options.num_nodes, edges, labels);
      EXPECT_EQ(StrongComponents(graph, labels), want) << "seed " << seed;
      for (const Component& cycle : CyclicComponents(graph, labels)) {
        for (NodeId member : cycle.members) EXPECT_EQ(want[member], cycle.id);
      }
    }
  }
}

}  // namespace
}  // namespace cg
