// Tests of the step index (step_index.h) against graph/path_pattern.h's ForEachStepEdge on a
// tiny fixture and on random graphs with random steps.
#include "core/measures/step_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg::core::measures {
namespace {

std::vector<NodeId> ByIndex(const StepIndex& index, NodeId node, std::uint32_t step) {
  std::vector<NodeId> out;
  index.ForEach(node, step, [&](NodeId other) { out.push_back(other); });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<NodeId> ByCsr(const CsrGraph& graph, const PatternStep& step, NodeId node) {
  std::vector<NodeId> out;
  ForEachStepEdge(graph, nullptr, step, node, [&](NodeId other, EdgeIdx) { out.push_back(other); });
  std::sort(out.begin(), out.end());
  return out;
}

PatternStep Step(Label label, StepDirection direction) {
  PatternStep step;
  step.label = label;
  step.direction = direction;
  return step;
}

//   0 --a--> 1 --a--> 2        label a = 0, b = 1 (tag 3 on 0->2)
//   0 --b--> 2 <--b-- 1
TEST(StepIndex, TinyFixture) {
  const std::vector<EdgeInput> edges = {
      {0, 1, 0, 0, 0}, {1, 2, 0, 0, 0}, {0, 2, 1, 3, 0}, {1, 2, 1, 0, 0}};
  const CsrGraph graph = CsrBuilder::FromEdges(3, edges);
  PatternStep tagged = Step(1, StepDirection::kBackward);
  tagged.filter = StepFilter::kTagIn;
  tagged.tags.set(3);
  const std::vector<PatternStep> steps = {Step(0, StepDirection::kForward),
                                          Step(1, StepDirection::kBackward), tagged};
  const StepIndex index = StepIndex::Build(graph, steps);
  ASSERT_TRUE(index.usable());
  EXPECT_EQ(ByIndex(index, 0, 0), (std::vector<NodeId>{1}));
  EXPECT_EQ(ByIndex(index, 1, 0), (std::vector<NodeId>{2}));
  EXPECT_EQ(ByIndex(index, 2, 0), (std::vector<NodeId>{}));
  EXPECT_EQ(ByIndex(index, 2, 1), (std::vector<NodeId>{0, 1}));
  EXPECT_EQ(ByIndex(index, 2, 2), (std::vector<NodeId>{0}));
  EXPECT_EQ(ByIndex(index, 0, 1), (std::vector<NodeId>{}));
  EXPECT_EQ(ByIndex(index, 7, 0), (std::vector<NodeId>{}));  // beyond the graph
}

TEST(StepIndex, SameEdgesAsTheCsrWalkOnRandomGraphs) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    RandomGraphOptions options;
    options.num_nodes = NodeId(2 + rng() % 60);
    options.num_edges = rng() % 400;
    options.num_labels = 1 + int(rng() % 4);
    options.skew = (trial % 3) * 1.5;  // heavy-tailed: long runs per node (binary search)
    options.seed = rng();
    std::vector<EdgeInput> edges = RandomEdges(options);
    for (EdgeInput& edge : edges) edge.tag = Tag(rng() % 4);
    const CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    std::vector<PatternStep> steps;
    const int num_steps = 1 + int(rng() % 6);
    for (int at = 0; at < num_steps; ++at) {
      PatternStep step = Step(Label(rng() % options.num_labels),
                              rng() % 2 ? StepDirection::kForward : StepDirection::kBackward);
      switch (rng() % 3) {
        case 0: break;
        case 1:
          step.filter = StepFilter::kTagIn;
          step.tags.set(rng() % 4);
          break;
        case 2:
          step.filter = StepFilter::kValue;
          step.op = ValueOp(rng() % 5);
          step.threshold = float(rng() % 10) / 10.0f;
          break;
      }
      steps.push_back(step);
    }
    const StepIndex index = StepIndex::Build(graph, steps);
    ASSERT_TRUE(index.usable());
    for (NodeId node = 0; node < options.num_nodes; ++node) {
      for (std::uint32_t step = 0; step < steps.size(); ++step) {
        ASSERT_EQ(ByIndex(index, node, step), ByCsr(graph, steps[step], node))
            << "trial " << trial << " node " << node << " step " << step;
      }
    }
  }
}

TEST(StepIndex, SameStep) {
  PatternStep left = Step(2, StepDirection::kForward);
  PatternStep right = left;
  EXPECT_TRUE(SameStep(left, right));
  right.direction = StepDirection::kBackward;
  EXPECT_FALSE(SameStep(left, right));
  right = left;
  right.filter = StepFilter::kTagIn;
  right.tags.set(1);
  EXPECT_FALSE(SameStep(left, right));
  left = right;
  EXPECT_TRUE(SameStep(left, right));
  left.tags.set(2);
  EXPECT_FALSE(SameStep(left, right));
}

}  // namespace
}  // namespace cg::core::measures
