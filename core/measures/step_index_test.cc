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

// Random graphs and random steps; `max_steps` distinct-or-not steps per trial (more than 8 in
// one direction sends Build to BuildByScatter). Both builds are compared with the CSR walk.
void CheckRandomGraphs(std::uint32_t seed, int trials, int max_steps) {
  std::mt19937 rng(seed);
  for (int trial = 0; trial < trials; ++trial) {
    RandomGraphOptions options;
    options.num_nodes = NodeId(2 + rng() % 60);
    options.num_edges = rng() % 400;
    options.num_labels = 1 + int(rng() % 4);
    options.skew = (trial % 3) * 1.5;  // heavy-tailed: long runs per node (binary search)
    options.seed = rng();
    options.zero_values = (trial % 2) * 0.4;  // edges without a value (0) under value filters
    std::vector<EdgeInput> edges = RandomEdges(options);
    for (EdgeInput& edge : edges) edge.tag = Tag(rng() % 4);
    const CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    std::vector<PatternStep> steps;
    const int num_steps = 1 + int(rng() % std::uint32_t(max_steps));
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
    const StepIndex scattered = StepIndex::BuildByScatter(graph, steps);
    ASSERT_TRUE(index.usable());
    ASSERT_TRUE(scattered.usable());
    for (NodeId node = 0; node < options.num_nodes + 2; ++node) {  // two past the graph
      for (std::uint32_t step = 0; step < steps.size(); ++step) {
        const std::vector<NodeId> expected = ByCsr(graph, steps[step], node);
        ASSERT_EQ(ByIndex(index, node, step), expected)
            << "trial " << trial << " node " << node << " step " << step;
        ASSERT_EQ(ByIndex(scattered, node, step), expected)
            << "scatter build, trial " << trial << " node " << node << " step " << step;
      }
    }
  }
}

TEST(StepIndex, SameEdgesAsTheCsrWalkOnRandomGraphs) { CheckRandomGraphs(11, 40, 6); }

// Up to 24 steps: trials with more than 8 steps in one direction take the scatter build.
TEST(StepIndex, ManyStepsSameEdgesAsTheCsrWalk) { CheckRandomGraphs(23, 30, 24); }

// Build keeps the CSR's order within a step: out-edges by (label, head), in-edges by
// (label, tail), i.e. ascending other ends here (one label).
//   0 --a--> 3   1 --a--> 3   2 --a--> 3   3 --a--> 0   3 --a--> 2
TEST(StepIndex, RunsInCsrOrderWithinAStep) {
  const std::vector<EdgeInput> edges = {
      {2, 3, 0, 0, 0}, {0, 3, 0, 0, 0}, {3, 2, 0, 0, 0}, {1, 3, 0, 0, 0}, {3, 0, 0, 0, 0}};
  const CsrGraph graph = CsrBuilder::FromEdges(4, edges);
  const std::vector<PatternStep> steps = {Step(0, StepDirection::kBackward),
                                          Step(0, StepDirection::kForward)};
  const StepIndex index = StepIndex::Build(graph, steps);
  std::vector<NodeId> order;
  index.ForEach(3, 0, [&](NodeId other) { order.push_back(other); });
  EXPECT_EQ(order, (std::vector<NodeId>{0, 1, 2}));
  order.clear();
  index.ForEach(3, 1, [&](NodeId other) { order.push_back(other); });
  EXPECT_EQ(order, (std::vector<NodeId>{0, 2}));
}

TEST(StepIndex, EmptyGraphAndNoSteps) {
  const CsrGraph empty = CsrBuilder::FromEdges(0, {});
  const std::vector<PatternStep> steps = {Step(0, StepDirection::kForward)};
  EXPECT_TRUE(StepIndex::Build(empty, steps).usable());
  EXPECT_EQ(ByIndex(StepIndex::Build(empty, steps), 0, 0), (std::vector<NodeId>{}));
  const std::vector<EdgeInput> edges = {{0, 1, 0, 0, 0}};
  const CsrGraph graph = CsrBuilder::FromEdges(2, edges);
  const StepIndex none = StepIndex::Build(graph, {});
  EXPECT_TRUE(none.usable());
  EXPECT_EQ(ByIndex(none, 0, 0), (std::vector<NodeId>{}));
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
