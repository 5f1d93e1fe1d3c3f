// BFS predecessor DAG and path enumeration (graph/shortest_path.h).
#include "graph/shortest_path.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"

namespace cg {
namespace {

struct Pred {
  NodeId node;
  EdgeIdx edge;
};

}  // namespace

std::vector<Path> AllShortestPaths(const CsrGraph& graph, NodeId from, NodeId to,
                                   const EdgeFilter& filter, std::size_t max_paths,
                                   std::uint32_t max_hops) {
  std::vector<Path> paths;
  if (from >= graph.num_nodes() || to >= graph.num_nodes() || max_paths == 0) return paths;
  if (from == to) {
    paths.push_back({{from}, {}});
    return paths;
  }
  // Level-synchronous BFS; stop after the level that reaches `to`.
  absl::flat_hash_map<NodeId, std::uint32_t> distance{{from, 0}};
  absl::flat_hash_map<NodeId, std::vector<Pred>> preds;
  std::vector<NodeId> frontier{from}, next;
  bool found = false;
  for (std::uint32_t level = 0; !frontier.empty() && !found && level < max_hops; ++level) {
    next.clear();
    for (NodeId node : frontier) {
      ForEachNeighbor(graph, node, filter, [&](NodeId neighbor, EdgeIdx edge, bool) {
        auto [it, inserted] = distance.try_emplace(neighbor, level + 1);
        if (inserted) next.push_back(neighbor);
        if (it->second == level + 1) preds[neighbor].push_back({node, edge});
        return true;
      });
    }
    found = distance.contains(to);
    frontier.swap(next);
  }
  if (!found) return paths;
  // Enumerate DAG paths backward from `to` (iterative DFS over predecessor choices).
  const std::uint32_t length = distance[to];
  std::vector<NodeId> nodes(length + 1);
  std::vector<EdgeIdx> edges(length);
  std::vector<std::size_t> choice(length + 1, 0);
  nodes[length] = to;
  std::size_t depth = length;  // position being chosen: predecessor of nodes[depth]
  while (paths.size() < max_paths) {
    if (depth == 0) {
      paths.push_back({nodes, edges});
      depth = 1;
      ++choice[1];
      continue;
    }
    const auto& options = preds[nodes[depth]];
    if (choice[depth] >= options.size()) {
      choice[depth] = 0;
      if (depth == length) break;
      ++depth;
      ++choice[depth];
      continue;
    }
    nodes[depth - 1] = options[choice[depth]].node;
    edges[depth - 1] = options[choice[depth]].edge;
    --depth;
    if (depth > 0) choice[depth] = 0;
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::optional<Path> ShortestPath(const CsrGraph& graph, NodeId from, NodeId to,
                                 const EdgeFilter& filter, std::uint32_t max_hops) {
  auto paths = AllShortestPaths(graph, from, to, filter, 1, max_hops);
  if (paths.empty()) return std::nullopt;
  return paths.front();
}

}  // namespace cg
