// Weakly connected components over chosen labels, in parallel with TBB.
// Source: lock-free union-find with hooking of the larger root onto the smaller by
// compare-and-swap (Shiloach & Vishkin 1982; the concurrent form of Jayanti & Tarjan 2016, as in
// gapbs cc_sv.cc and Afforest, Sutton et al. 2018, without the sampling phase).
#pragma once

#include <vector>

#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg {

/// component[v] = the smallest node id in v's weakly connected component, where only edges whose
/// label is in `labels` join nodes (direction is ignored). Deterministic.
std::vector<NodeId> ConnectedComponents(const CsrGraph& graph, LabelMask labels = kAllLabels);

struct Component {
  NodeId id;                  // smallest member
  std::vector<NodeId> members;  // ascending
};

/// Groups nodes by component; components smaller than `min_size` are left out. Sorted by size
/// (largest first), then by id.
std::vector<Component> GroupComponents(const std::vector<NodeId>& component,
                                       std::size_t min_size = 2);

}  // namespace cg
