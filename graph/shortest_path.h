// Shortest paths between two nodes over chosen labels and directions ("how is A tied to B?").
// Source: BFS with a predecessor DAG, then enumeration of the DAG's source-to-target paths
// (Brandes 2001, "A faster algorithm for betweenness centrality", section 3, for the DAG).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "graph/bfs.h"
#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg {

/// A walk from nodes.front() to nodes.back(); edges[i] joins nodes[i] and nodes[i+1] (as an
/// out-edge of nodes[i], or, for Direction::kIn/kBoth, possibly an in-edge: compare tail/head).
struct Path {
  std::vector<NodeId> nodes;
  std::vector<EdgeIdx> edges;
  std::size_t hops() const { return edges.size(); }
  friend bool operator==(const Path&, const Path&) = default;
  friend auto operator<=>(const Path&, const Path&) = default;
};

/// Every shortest path from `from` to `to` (at most `max_paths` of them, sorted), each at most
/// `max_hops` long. Empty when `to` is not reachable within max_hops. Parallel edges with
/// different labels make different paths. from == to gives the one path of zero hops.
std::vector<Path> AllShortestPaths(const CsrGraph& graph, NodeId from, NodeId to,
                                   const EdgeFilter& filter, std::size_t max_paths = 16,
                                   std::uint32_t max_hops = kUnreached);

/// One shortest path (the first one the enumeration finds), or nullopt.
std::optional<Path> ShortestPath(const CsrGraph& graph, NodeId from, NodeId to,
                                 const EdgeFilter& filter, std::uint32_t max_hops = kUnreached);

}  // namespace cg
