// Shortest paths against a slow reference: every simple path by DFS, keep the shortest.
#include "graph/shortest_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

std::vector<Path> ReferenceShortestPaths(const CsrGraph& graph, NodeId from, NodeId to,
                                         const EdgeFilter& filter) {
  std::vector<Path> all;
  Path current{{from}, {}};
  std::vector<bool> on_path(graph.num_nodes(), false);
  on_path[from] = true;
  std::function<void(NodeId)> dfs = [&](NodeId node) {
    if (node == to) {
      all.push_back(current);
      return;
    }
    for (EdgeIdx e = 0; e < graph.num_edges(); ++e) {
      if (!filter.accepts(graph.label(e))) continue;
      const NodeId tail = graph.tail(e), head = graph.head(e);
      std::vector<NodeId> nexts;
      if (filter.direction != Direction::kIn && tail == node) nexts.push_back(head);
      if (filter.direction != Direction::kOut && head == node) nexts.push_back(tail);
      for (NodeId next : nexts) {
        if (on_path[next]) continue;
        on_path[next] = true;
        current.nodes.push_back(next);
        current.edges.push_back(e);
        dfs(next);
        current.nodes.pop_back();
        current.edges.pop_back();
        on_path[next] = false;
      }
    }
  };
  dfs(from);
  if (all.empty()) return all;
  std::size_t best = all.front().hops();
  for (const Path& path : all) best = std::min(best, path.hops());
  std::erase_if(all, [&](const Path& path) { return path.hops() != best; });
  std::sort(all.begin(), all.end());
  return all;
}

//        a        b
//   0 ------> 1 -----> 3          two shortest ways from 0 to 3 (via 1 and via 2),
//   0 ------> 2 -----> 3          plus a parallel edge 0 -c-> 1 (another tie)
//        a        b
TEST(ShortestPath, TinyFixtureTies) {
  CsrGraph graph = CsrBuilder::FromEdges(
      4, std::vector<EdgeInput>{{0, 1, 0}, {0, 2, 0}, {1, 3, 1}, {2, 3, 1}, {0, 1, 2}});
  const EdgeFilter out{kAllLabels, Direction::kOut};
  auto paths = AllShortestPaths(graph, 0, 3, out);
  ASSERT_EQ(paths.size(), 3u);
  for (const Path& path : paths) EXPECT_EQ(path.hops(), 2u);
  EXPECT_FALSE(ShortestPath(graph, 3, 0, out).has_value());
  auto back = ShortestPath(graph, 3, 0, EdgeFilter{LabelBit(0) | LabelBit(1), Direction::kIn});
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->nodes.front(), 3u);
  EXPECT_EQ(back->nodes.back(), 0u);
  EXPECT_EQ(AllShortestPaths(graph, 0, 3, out, 2).size(), 2u);
  EXPECT_TRUE(AllShortestPaths(graph, 0, 3, out, 16, 1).empty());  // max_hops 1
  EXPECT_EQ(AllShortestPaths(graph, 2, 2, out).front().hops(), 0u);
}

TEST(ShortestPath, RandomGraphsMatchReference) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(2 + seed % 9),
                               .num_edges = std::size_t(seed * 3 % 16),
                               .num_labels = 2,
                               .skew = 0.0,
                               .self_loops = seed % 5 == 0,
                               .seed = seed};
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, RandomEdges(options),
                                           CsrBuilder::Duplicates::kKeepAll);
    for (Direction direction : {Direction::kOut, Direction::kIn, Direction::kBoth}) {
      const EdgeFilter filter{seed % 3 ? kAllLabels : LabelBit(1), direction};
      for (NodeId from = 0; from < options.num_nodes; ++from) {
        const NodeId to = NodeId((from * 5 + seed) % options.num_nodes);
        auto want = ReferenceShortestPaths(graph, from, to, filter);
        auto got = AllShortestPaths(graph, from, to, filter, 1000);
        EXPECT_EQ(got, want) << "seed " << seed << " " << from << "->" << to;
        auto one = ShortestPath(graph, from, to, filter);
        ASSERT_EQ(one.has_value(), !want.empty());
        if (one) {
          EXPECT_NE(std::find(want.begin(), want.end(), *one), want.end());
        }
      }
    }
  }
}

}  // namespace
}  // namespace cg
