// related_risk of scoring.md §3:  r(v) = Σ_{k=1..steps} damping^k · (P^k s)(v)
// where P is the row-normalized adjacency of the undirected related-party graph (RelatedGraph)
// and s(u) = 1 for an entity with an active black-list entry, else 0.
//
// Evaluations that agree bit for bit (tests check it):
//   RelatedRiskAll   every node: `steps` pushes of x_k's nonzeros only (the frontier, in
//                    ascending order) into their neighbours' rows, the rows split in one range
//                    per thread (TBB), each range receiving its terms in ascending-neighbour
//                    order;
//   RelatedRiskAllRowMajor  every node: `steps` row-major Eigen SparseMatrix (P(u,j) = 1/deg(u))
//                    × dense vector products, row blocks in parallel with TBB;
//   RelatedRiskLocal the given targets only: a breadth-first ball of radius `steps` around them,
//                    x_k computed on the nodes within steps-k hops, each row summed in the same
//                    (ascending neighbour) order as Eigen's row-major kernel.
// Accumulation order of r is fixed: factor *= damping; r += factor * x_k, k = 1..steps.
// The graph must be undirected (each edge in both nodes' lists): RelatedGraph::FromCsr and
// AddEdge make it so, and the engine saves FromCsr's graph for FromBase.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/scoring/input.h"
#include "graph/types.h"

namespace cg::core::scoring {

/// r for every node of the graph (size related.num_nodes()); `seeds[u]` is s(u) (0 or 1).
std::vector<double> RelatedRiskAll(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                   double damping, int steps);

/// The same with a row-major product at every step (the batch before the sparse steps; kept as
/// a cross-check and for the benchmark).
std::vector<double> RelatedRiskAllRowMajor(const RelatedGraph& related,
                                           std::span<const std::uint8_t> seeds, double damping,
                                           int steps);

/// r for each target (aligned with `targets`); `seed(u)` answers s(u) on demand.
std::vector<double> RelatedRiskLocal(const RelatedGraph& related,
                                     std::span<const NodeId> targets,
                                     const std::function<bool(NodeId)>& seed, double damping,
                                     int steps);

/// Nodes within `radius` hops of any source (sources included), ascending.
std::vector<NodeId> Ball(const RelatedGraph& related, std::span<const NodeId> sources, int radius);

}  // namespace cg::core::scoring
