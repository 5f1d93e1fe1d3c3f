// Which edges a traversal may use: a set of labels and a direction (out, in, both).
// Shared by the kernels of graph/ (bfs, shortest_path, components). Domain-free: labels are the
// caller's small integers (0..63 can be selected; a mask of all ones selects every label).
#pragma once

#include <cstdint>

#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg {

enum class Direction : std::uint8_t {
  kOut,   // tail -> head, as stored
  kIn,    // head -> tail (the `~label` steps of measures.md)
  kBoth,  // either way (weak connectivity)
};

using LabelMask = std::uint64_t;
inline constexpr LabelMask kAllLabels = ~LabelMask{0};
constexpr LabelMask LabelBit(Label label) { return label < 64 ? LabelMask{1} << label : 0; }

struct EdgeFilter {
  LabelMask labels = kAllLabels;
  Direction direction = Direction::kOut;
  bool accepts(Label label) const {
    return label >= 64 ? labels == kAllLabels : (labels >> label) & 1u;
  }
};

/// Calls visit(neighbor, edge_id, forward) for every edge of `node` that the filter accepts;
/// forward is true for an out-edge (node is the tail) and false for an in-edge.
/// visit returns false to stop early; ForEachNeighbor then returns false too.
template <typename Visit>
bool ForEachNeighbor(const CsrGraph& graph, NodeId node, const EdgeFilter& filter, Visit&& visit) {
  if (filter.direction != Direction::kIn) {
    for (EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) {
      if (filter.accepts(graph.label(e)) && !visit(graph.head(e), e, true)) return false;
    }
  }
  if (filter.direction != Direction::kOut) {
    const auto tails = graph.in_neighbors(node);
    const auto ids = graph.in_edge_ids(node);
    for (std::size_t i = 0; i < tails.size(); ++i) {
      if (filter.accepts(graph.label(ids[i])) && !visit(tails[i], ids[i], false)) return false;
    }
  }
  return true;
}

}  // namespace cg
