// Path patterns against a slow set-by-set walk over the raw edge list, plus a tiny fixture.
#include "graph/path_pattern.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "graph/random_graph.h"

namespace cg {
namespace {

PatternStep Step(Label label, bool backward = false) {
  PatternStep step;
  step.label = label;
  step.direction = backward ? StepDirection::kBackward : StepDirection::kForward;
  return step;
}

//   E0 --0--> P2 <--0-- E1        label 0 = "legal_rep"
//   E0 --1--> P3 (tag 5)          label 1 = "officer"
TEST(PathPattern, TinyFixtureForwardBackward) {
  std::vector<EdgeInput> edges = {{0, 2, 0, 0, 0}, {1, 2, 0, 0, 0}, {0, 3, 1, 5, 0}};
  CsrGraph graph = CsrBuilder::FromEdges(4, edges);
  PathPattern there_and_back{{Step(0), Step(0, true)}};
  auto hits = EvaluatePattern(graph, there_and_back, 0);
  ASSERT_EQ(hits.size(), 1u);  // E0 itself is never a target
  EXPECT_EQ(hits[0].target, 1u);
  EXPECT_EQ(hits[0].nodes, (std::vector<NodeId>{0, 2, 1}));
  EXPECT_TRUE(IsWitness(graph, there_and_back, hits[0], 0));
  PatternStep officer = Step(1);
  officer.filter = StepFilter::kTagIn;
  officer.tags.set(4);
  EXPECT_TRUE(EvaluatePattern(graph, PathPattern{{officer}}, 0).empty());
  officer.tags.set(5);
  EXPECT_EQ(EvaluatePattern(graph, PathPattern{{officer}}, 0).size(), 1u);
  auto self = EvaluatePattern(graph, PathPattern{}, 3);
  ASSERT_EQ(self.size(), 1u);
  EXPECT_EQ(self[0].target, 3u);
  // Overlay: a new edge E1 -0-> P3 makes E1 reachable from P3 backwards.
  EdgeOverlay overlay(graph.num_edges());
  overlay.AddEdge({1, 3, 0, 0, 0});
  auto via_overlay = EvaluatePattern(graph, PathPattern{{Step(0, true)}}, 3, &overlay);
  ASSERT_EQ(via_overlay.size(), 1u);
  EXPECT_EQ(via_overlay[0].edges[0], graph.num_edges());
  EXPECT_TRUE(IsWitness(graph, PathPattern{{Step(0, true)}}, via_overlay[0], 3, &overlay));
}

std::set<NodeId> SlowTargets(const std::vector<EdgeInput>& edges, const PathPattern& pattern,
                             NodeId start) {
  std::set<NodeId> level = {start};
  for (const PatternStep& step : pattern.steps) {
    std::set<NodeId> next;
    for (const EdgeInput& edge : edges) {
      if (edge.label != step.label || !step.Accepts(edge.tag, edge.value)) continue;
      if (step.direction == StepDirection::kForward && level.count(edge.tail)) next.insert(edge.head);
      if (step.direction == StepDirection::kBackward && level.count(edge.head)) next.insert(edge.tail);
    }
    level = std::move(next);
  }
  if (!pattern.is_self()) level.erase(start);
  return level;
}

TEST(PathPattern, RandomAgainstSlowWalk) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 60; ++trial) {
    RandomGraphOptions options;
    options.num_nodes = 30 + rng() % 30;
    options.num_edges = 40 + rng() % 120;
    options.num_labels = 3;
    options.self_loops = trial % 2 == 0;
    options.seed = trial + 1;
    std::vector<EdgeInput> edges = RandomEdges(options);
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges, CsrBuilder::Duplicates::kKeepAll);
    // Split the edges: some in the CSR, the rest in an overlay.
    const std::size_t split = edges.size() * 3 / 4;
    std::vector<EdgeInput> base(edges.begin(), edges.begin() + split);
    CsrGraph partial = CsrBuilder::FromEdges(options.num_nodes, base, CsrBuilder::Duplicates::kKeepAll);
    EdgeOverlay overlay(partial.num_edges());
    for (std::size_t index = split; index < edges.size(); ++index) overlay.AddEdge(edges[index]);
    for (int pattern_trial = 0; pattern_trial < 10; ++pattern_trial) {
      PathPattern pattern;
      const int depth = int(rng() % 4);
      for (int index = 0; index < depth; ++index) {
        PatternStep step = Step(Label(rng() % 3), rng() % 2 == 0);
        const int filter = int(rng() % 3);
        if (filter == 1) {
          step.filter = StepFilter::kTagIn;
          step.tags.set(rng() % 4);
          step.tags.set(rng() % 4);
        } else if (filter == 2) {
          step.filter = StepFilter::kValue;
          step.op = ValueOp(rng() % 5);
          step.threshold = float(rng() % 10) / 10.0f;
        }
        pattern.steps.push_back(step);
      }
      for (NodeId start = 0; start < options.num_nodes; start += 3) {
        const std::set<NodeId> expected = SlowTargets(edges, pattern, start);
        for (const EdgeOverlay* view : {static_cast<const EdgeOverlay*>(nullptr), static_cast<const EdgeOverlay*>(&overlay)}) {
          const CsrGraph& used = view ? partial : graph;
          auto hits = EvaluatePattern(used, pattern, start, view);
          std::set<NodeId> got;
          for (const PatternHit& hit : hits) {
            got.insert(hit.target);
            ASSERT_TRUE(IsWitness(used, pattern, hit, start, view));
          }
          ASSERT_EQ(got, expected) << "trial " << trial << " start " << start;
          ASSERT_EQ(got.size(), hits.size());
        }
      }
    }
  }
}

}  // namespace
}  // namespace cg
