// Majority-controller derivation against the literal walk of measures.md §2.
#include "graph/control.h"

#include <gtest/gtest.h>

#include <set>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

constexpr Label kHolds = 2;

// The rule, word for word: from E move to the holder with ratio > threshold (largest, then
// smallest id), stop where none passes or a node repeats; the last node, if not E.
NodeId ReferenceController(const CsrGraph& graph, NodeId start, float threshold) {
  std::set<NodeId> seen{start};
  NodeId node = start;
  while (true) {
    NodeId best = kNoNode;
    float best_value = threshold;
    for (EdgeIdx e = 0; e < graph.num_edges(); ++e) {
      if (graph.tail(e) != node || graph.label(e) != kHolds) continue;
      if (graph.value(e) > best_value ||
          (best != kNoNode && graph.value(e) == best_value && graph.head(e) < best)) {
        best_value = graph.value(e);
        best = graph.head(e);
      }
    }
    if (best == kNoNode || seen.contains(best)) break;
    seen.insert(best);
    node = best;
  }
  return node == start ? kNoNode : node;
}

//   company 0 --0.6--> 1 --0.7--> 2 --0.4--> 3      (0's chain stops at 2: 3 holds only 40%)
//   cycle: 4 --0.8--> 5 --0.9--> 6 --0.55--> 4      (each ends at its predecessor on the cycle)
//   tail 7 --0.51--> 5                               (enters the cycle at 5, ends at 4)
//   8 --0.5--> 9                                     (exactly 0.5 is not a majority)
TEST(Control, TinyChainsAndCycles) {
  std::vector<EdgeInput> edges{{0, 1, kHolds, 0, 0.6f},  {1, 2, kHolds, 0, 0.7f},
                               {2, 3, kHolds, 0, 0.4f},  {4, 5, kHolds, 0, 0.8f},
                               {5, 6, kHolds, 0, 0.9f},  {6, 4, kHolds, 0, 0.55f},
                               {7, 5, kHolds, 0, 0.51f}, {8, 9, kHolds, 0, 0.5f}};
  CsrGraph graph = CsrBuilder::FromEdges(10, edges);
  ControlResult result = DeriveControllers(graph, kHolds);
  const std::vector<NodeId> want{2, 2, kNoNode, kNoNode, 6, 4, 5, 4, kNoNode, kNoNode};
  EXPECT_EQ(result.controller, want);
  EXPECT_EQ(result.source[0], ControlSource::kDerived);
  EXPECT_EQ(result.source[2], ControlSource::kNone);
  // A declared controller wins.
  const std::pair<NodeId, NodeId> declared[] = {{0, 9}, {0, 8}, {3, 1}};
  result = DeriveControllers(graph, kHolds, 0.5f, declared);
  EXPECT_EQ(result.controller[0], 9u);
  EXPECT_EQ(result.source[0], ControlSource::kDeclared);
  EXPECT_EQ(result.controller[3], 1u);
  EXPECT_EQ(result.controller[1], 2u);
}

TEST(Control, RandomGraphsWithCyclesMatchReference) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(2 + seed % 50),
                               .num_edges = std::size_t(seed * 7 % 120),
                               .num_labels = 3,
                               .skew = 0.0,
                               .self_loops = seed % 3 == 0,
                               .seed = seed};
    auto edges = RandomEdges(options);
    for (auto& edge : edges) edge.value = 0.3f + 0.1f * float(int(edge.value * 7));  // ties
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    ControlResult result = DeriveControllers(graph, kHolds);
    for (NodeId node = 0; node < options.num_nodes; ++node) {
      EXPECT_EQ(result.controller[node], ReferenceController(graph, node, 0.5f))
          << "seed " << seed << " node " << node;
    }
  }
}

}  // namespace
}  // namespace cg
