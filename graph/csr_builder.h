// CsrBuilder: collects typed, attributed edges and builds an immutable CsrGraph in parallel
// (gapbs src/builder.h style: count degrees, prefix-sum offsets, scatter, sort each node).
//
// Usage:
//   cg::CsrBuilder builder(num_nodes);
//   builder.AddEdge(tail, head, label, tag, value);   // any order, any thread-free caller
//   cg::CsrGraph graph = builder.Build();            // parallel (TBB); builder is left empty
//
// Policies (documented choices; the domain layer relies on them):
//   - Node count: max(the count given, 1 + the largest endpoint added).
//   - Duplicates: edges with the same (tail, head, label) are parallel edges. With
//     Duplicates::kKeepFirst (the default) only the first one added survives, with its tag and
//     value; later ones are dropped. Duplicates::kKeepAll keeps them all, ordered by the order
//     they were added. Either way the result does not depend on the number of threads.
//   - Self-loops are kept (graph/ is domain-free; callers that do not want them skip them).
//   - Edge ids are positions in the out-edge order: node by node, then (label, head, insertion).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg {

/// One edge as given to the builder.
struct EdgeInput {
  NodeId tail = 0;
  NodeId head = 0;
  Label label = 0;
  Tag tag = 0;
  float value = 0.0f;
};

class CsrBuilder {
 public:
  enum class Duplicates { kKeepFirst, kKeepAll };

  explicit CsrBuilder(NodeId num_nodes = 0, Duplicates duplicates = Duplicates::kKeepFirst)
      : num_nodes_(num_nodes), duplicates_(duplicates) {}

  void Reserve(std::size_t num_edges) { edges_.reserve(num_edges); }
  /// Raises the node count (never lowers it).
  void EnsureNodes(NodeId num_nodes) {
    if (num_nodes > num_nodes_) num_nodes_ = num_nodes;
  }
  void AddEdge(NodeId tail, NodeId head, Label label, Tag tag = 0, float value = 0.0f) {
    edges_.push_back({tail, head, label, tag, value});
  }
  void AddEdges(std::span<const EdgeInput> edges) {
    edges_.insert(edges_.end(), edges.begin(), edges.end());
  }
  std::size_t num_pending_edges() const { return edges_.size(); }

  /// Builds the graph (parallel); the builder is empty afterwards.
  CsrGraph Build();

  /// One-shot form.
  static CsrGraph FromEdges(NodeId num_nodes, std::span<const EdgeInput> edges,
                            Duplicates duplicates = Duplicates::kKeepFirst);

 private:
  NodeId num_nodes_;
  Duplicates duplicates_;
  std::vector<EdgeInput> edges_;
};

}  // namespace cg
