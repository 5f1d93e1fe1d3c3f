// Breadth-first search and k-hop neighbourhoods with label and direction filters.
// Sources: whole-graph BfsDistances is direction-optimizing (Beamer, Asanovic & Patterson 2012,
// "Direction-Optimizing Breadth-First Search"; gapbs bfs.cc): top-down steps while the frontier
// is small, parallel (TBB) bottom-up steps, where every unvisited node looks for a parent in the
// frontier through its reverse edges, while the frontier is large. K-hop neighbourhoods are the
// textbook top-down BFS (Cormen et al., ch. 22.2) over a sparse visited set.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg {

inline constexpr std::uint32_t kUnreached = ~std::uint32_t{0};

/// Hop distance from `source` to every node (kUnreached where no path); dense, for whole-graph
/// searches. `alpha` and `beta` are Beamer's switching parameters (go bottom-up when the
/// frontier's edges exceed the unexplored edges / alpha, back when the frontier holds fewer than
/// n / beta nodes); alpha <= 0 means top-down only.
std::vector<std::uint32_t> BfsDistances(const CsrGraph& graph, NodeId source,
                                        const EdgeFilter& filter, int alpha = 15, int beta = 18);

struct HopNode {
  NodeId node;
  std::uint32_t hops;
  friend bool operator==(const HopNode&, const HopNode&) = default;
};

/// Nodes within `max_hops` of any source (sources themselves at hop 0), in BFS order: by hop,
/// and within a hop in discovery order. Cost is proportional to the neighbourhood, not to the
/// graph (sparse visited set), so a 2-hop query on a huge graph is microseconds.
std::vector<HopNode> KHopNeighborhood(const CsrGraph& graph, std::span<const NodeId> sources,
                                      std::uint32_t max_hops, const EdgeFilter& filter);

}  // namespace cg
