// Top-down BFS and k-hop neighbourhoods (graph/bfs.h).
#include "graph/bfs.h"

#include "absl/container/flat_hash_set.h"

namespace cg {

std::vector<std::uint32_t> BfsDistances(const CsrGraph& graph, NodeId source,
                                        const EdgeFilter& filter) {
  std::vector<std::uint32_t> distance(graph.num_nodes(), kUnreached);
  if (source >= graph.num_nodes()) return distance;
  std::vector<NodeId> queue;
  queue.reserve(1024);
  queue.push_back(source);
  distance[source] = 0;
  for (std::size_t head = 0; head < queue.size(); ++head) {
    const NodeId node = queue[head];
    const std::uint32_t next = distance[node] + 1;
    ForEachNeighbor(graph, node, filter, [&](NodeId neighbor, EdgeIdx, bool) {
      if (distance[neighbor] == kUnreached) {
        distance[neighbor] = next;
        queue.push_back(neighbor);
      }
      return true;
    });
  }
  return distance;
}

std::vector<HopNode> KHopNeighborhood(const CsrGraph& graph, std::span<const NodeId> sources,
                                      std::uint32_t max_hops, const EdgeFilter& filter) {
  std::vector<HopNode> reached;
  absl::flat_hash_set<NodeId> seen;
  for (NodeId source : sources) {
    if (source < graph.num_nodes() && seen.insert(source).second) reached.push_back({source, 0});
  }
  for (std::size_t head = 0; head < reached.size(); ++head) {
    const HopNode current = reached[head];
    if (current.hops >= max_hops) break;  // BFS order: every later node is at least as far
    ForEachNeighbor(graph, current.node, filter, [&](NodeId neighbor, EdgeIdx, bool) {
      if (seen.insert(neighbor).second) reached.push_back({neighbor, current.hops + 1});
      return true;
    });
  }
  return reached;
}

}  // namespace cg
