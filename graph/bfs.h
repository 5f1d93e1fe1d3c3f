// Breadth-first search and k-hop neighbourhoods with label and direction filters.
// Source: the textbook top-down BFS (Cormen et al., ch. 22.2; gapbs bfs.cc without the
// bottom-up step, which pays off only for whole-graph searches on low-diameter graphs).
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
/// searches.
std::vector<std::uint32_t> BfsDistances(const CsrGraph& graph, NodeId source,
                                        const EdgeFilter& filter);

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
