// Top-down BFS and k-hop neighbourhoods (graph/bfs.h).
#include "graph/bfs.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <functional>

#include "absl/container/flat_hash_set.h"

namespace cg {

namespace {

Direction Reverse(Direction direction) {
  switch (direction) {
    case Direction::kOut:
      return Direction::kIn;
    case Direction::kIn:
      return Direction::kOut;
    default:
      return Direction::kBoth;
  }
}

}  // namespace

std::vector<std::uint32_t> BfsDistances(const CsrGraph& graph, NodeId source,
                                        const EdgeFilter& filter, int alpha, int beta) {
  const NodeId n = graph.num_nodes();
  std::vector<std::uint32_t> distance(n, kUnreached);
  if (source >= n) return distance;
  const EdgeFilter reverse{filter.labels, Reverse(filter.direction)};
  auto degree = [&](NodeId node) -> std::int64_t {
    return (filter.direction != Direction::kIn ? graph.out_degree(node) : 0) +
           (filter.direction != Direction::kOut ? graph.in_degree(node) : 0);
  };
  std::int64_t edges_to_check =
      std::int64_t(graph.num_edges()) * (filter.direction == Direction::kBoth ? 2 : 1);
  std::int64_t scout = degree(source);
  std::vector<NodeId> frontier{source}, next;
  std::vector<std::uint8_t> in_frontier, in_next;
  distance[source] = 0;
  std::uint32_t depth = 0;
  while (!frontier.empty()) {
    if (alpha > 0 && scout > edges_to_check / alpha) {
      // Bottom-up steps (parallel: each node writes only its own distance and bit).
      in_frontier.assign(n, 0);
      in_next.assign(n, 0);
      for (NodeId node : frontier) in_frontier[node] = 1;
      std::size_t awake = frontier.size(), previous;
      do {
        previous = awake;
        awake = tbb::parallel_reduce(
            tbb::blocked_range<NodeId>(0, n, 4096), std::size_t{0},
            [&](const tbb::blocked_range<NodeId>& range, std::size_t count) {
              for (NodeId node = range.begin(); node < range.end(); ++node) {
                if (distance[node] != kUnreached) continue;
                ForEachNeighbor(graph, node, reverse, [&](NodeId parent, EdgeIdx, bool) {
                  if (!in_frontier[parent]) return true;
                  distance[node] = depth + 1;
                  in_next[node] = 1;
                  ++count;
                  return false;
                });
              }
              return count;
            },
            std::plus<>());
        ++depth;
        in_frontier.swap(in_next);
        std::fill(in_next.begin(), in_next.end(), 0);
      } while (awake > 0 && (awake >= previous || awake > n / std::size_t(beta)));
      frontier.clear();
      for (NodeId node = 0; node < n; ++node)
        if (in_frontier[node]) frontier.push_back(node);
      scout = 1;
      continue;
    }
    // Top-down step.
    edges_to_check -= scout;
    scout = 0;
    next.clear();
    for (NodeId node : frontier) {
      ForEachNeighbor(graph, node, filter, [&](NodeId neighbor, EdgeIdx, bool) {
        if (distance[neighbor] == kUnreached) {
          distance[neighbor] = depth + 1;
          next.push_back(neighbor);
          scout += degree(neighbor);
        }
        return true;
      });
    }
    ++depth;
    frontier.swap(next);
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
