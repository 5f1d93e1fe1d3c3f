// Strongly connected components over chosen labels, computed by Boost.Graph's
// strong_components (Tarjan 1972, iterative DFS in BGL) running on the CSR through
// graph/bgl_adapter.h. Used by the product to find ownership cycles (shareholder edges:
// A holds B holds ... holds A), which integrated ownership and controller derivation must survive.
#pragma once

#include <vector>

#include "graph/components.h"
#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg {

/// scc[v] = the smallest node id in v's strongly connected component, using only edges whose
/// label is in `labels` (followed tail -> head).
std::vector<NodeId> StrongComponents(const CsrGraph& graph, LabelMask labels = kAllLabels);

/// The cycles: strongly connected components with more than one node, plus single nodes with a
/// self-loop of a selected label. Sorted by size (largest first), then smallest member.
std::vector<Component> CyclicComponents(const CsrGraph& graph, LabelMask labels = kAllLabels);

}  // namespace cg
