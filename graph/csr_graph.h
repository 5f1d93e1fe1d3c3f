// CsrGraph: the immutable compressed-sparse-row container for typed, attributed, directed edges
// (gapbs src/graph.h style). It is only a container: CsrBuilder (graph/csr_builder.h) makes it.
//
// Layout (all arrays are plain std::vector, so the whole graph serializes as a few blobs):
//   out_offsets_[u] .. out_offsets_[u+1]  : edge ids of u's out-edges, in ascending order;
//                                           edge e goes out_src(e)=u -> head_[e]
//   head_[e], label_[e], tag_[e]          : the edge's target, label and tag
//   value(e)                              : the edge's value; only non-zero values are stored
//                                           (most labels carry none): bit e of value_present_
//                                           says whether e has one, and it is
//                                           value_[value_rank_[e/64] + popcount(bits below e)]
//                                           (a rank directory: value_rank_[w] = set bits in
//                                           words 0..w-1); an edge without one has value 0
//   in_offsets_[v] .. in_offsets_[v+1]    : positions of v's in-edges; in_tail_[i] is the source
//                                           and in_edge_[i] the edge id (so attributes are
//                                           stored once, by edge id)
// Invariants (checked by Validate() and the tests):
//   out_offsets_.size() == in_offsets_.size() == num_nodes()+1, both non-decreasing, last == m;
//   head_, label_, tag_ have size m; in_tail_, in_edge_ have size m;
//   value_present_ and value_rank_ have ceil(m/64) words, no bit at or past m, value_ holds
//   exactly the set bits' values, none of them +0.0f (the representation is canonical);
//   within a node, out-edges are sorted by (label, head) and in-edges by (label, tail).
// Memory: 4 (head) + 1 (label) + 1 (tag) + 4 (in_tail) + 4 (in_edge) + 0.1875 (value bits and
// rank directory) = 14.19 bytes per edge, plus 4 bytes per stored value, plus 8 bytes per node
// for the two 32-bit offset arrays. With the province's label mix (about a fifth of the edges,
// shareholders and guarantees, carry a value) that is 21.5 bytes per edge at 1.25 edges per
// node (the SF=1 shape) and 23.1 at one edge per node (docs/graph.md).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/types.h"

namespace cg {

class CsrGraph {
 public:
  CsrGraph() = default;

  NodeId num_nodes() const { return out_offsets_.empty() ? 0 : NodeId(out_offsets_.size() - 1); }
  EdgeIdx num_edges() const { return EdgeIdx(head_.size()); }

  // ---- out-edges: edge ids out_begin(u) .. out_end(u)-1
  EdgeIdx out_begin(NodeId u) const { return out_offsets_[u]; }
  EdgeIdx out_end(NodeId u) const { return out_offsets_[u + 1]; }
  EdgeIdx out_degree(NodeId u) const { return out_end(u) - out_begin(u); }
  std::span<const NodeId> out_neighbors(NodeId u) const {
    return {head_.data() + out_begin(u), out_degree(u)};
  }

  // ---- in-edges: positions in_begin(v) .. in_end(v)-1 into in_tails()/in_edges()
  EdgeIdx in_begin(NodeId v) const { return in_offsets_[v]; }
  EdgeIdx in_end(NodeId v) const { return in_offsets_[v + 1]; }
  EdgeIdx in_degree(NodeId v) const { return in_end(v) - in_begin(v); }
  std::span<const NodeId> in_neighbors(NodeId v) const {
    return {in_tail_.data() + in_begin(v), in_degree(v)};
  }
  /// Edge ids of v's in-edges, aligned with in_neighbors(v).
  std::span<const EdgeIdx> in_edge_ids(NodeId v) const {
    return {in_edge_.data() + in_begin(v), in_degree(v)};
  }

  // ---- per-edge attributes
  NodeId head(EdgeIdx e) const { return head_[e]; }
  Label label(EdgeIdx e) const { return label_[e]; }
  Tag tag(EdgeIdx e) const { return tag_[e]; }
  /// The edge's value (0 for an edge stored without one). O(1): a bit test and a popcount.
  float value(EdgeIdx e) const {
    const std::uint64_t word = value_present_[e >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (e & 63);
    if ((word & bit) == 0) return 0.0f;
    return value_[value_rank_[e >> 6] + EdgeIdx(std::popcount(word & (bit - 1)))];
  }
  /// Whether edge e has a stored (non-zero) value.
  bool has_value(EdgeIdx e) const { return (value_present_[e >> 6] >> (e & 63)) & 1; }
  /// Source of edge e (binary search over out_offsets_; O(log n)).
  NodeId tail(EdgeIdx e) const;

  /// Bytes held by the arrays (for the memory-per-edge figure).
  std::size_t memory_bytes() const;
  /// Checks every invariant in the banner; returns an empty string or the first violation.
  std::string Validate() const;

  // Raw arrays, for serialization and for kernels that want to stream them.
  const std::vector<EdgeIdx>& out_offsets() const { return out_offsets_; }
  const std::vector<NodeId>& heads() const { return head_; }
  const std::vector<Label>& labels() const { return label_; }
  const std::vector<Tag>& tags() const { return tag_; }
  /// Every edge's value by edge id, materialized (O(m) copy; zeros included).
  std::vector<float> values() const;
  /// The compact value storage: presence bits (ceil(m/64) words), the rank directory, and the
  /// stored non-zero values in edge id order.
  const std::vector<std::uint64_t>& value_present() const { return value_present_; }
  const std::vector<EdgeIdx>& value_ranks() const { return value_rank_; }
  const std::vector<float>& stored_values() const { return value_; }
  const std::vector<EdgeIdx>& in_offsets() const { return in_offsets_; }
  const std::vector<NodeId>& in_tails() const { return in_tail_; }
  const std::vector<EdgeIdx>& in_edges() const { return in_edge_; }

  /// Rebuilds a graph from raw arrays (deserialization); Validate() it afterwards.
  static CsrGraph FromArrays(std::vector<EdgeIdx> out_offsets, std::vector<NodeId> heads,
                             std::vector<Label> labels, std::vector<Tag> tags,
                             std::vector<float> values, std::vector<EdgeIdx> in_offsets,
                             std::vector<NodeId> in_tails, std::vector<EdgeIdx> in_edges);
  /// The same from the compact value storage (presence bits and the stored values; the rank
  /// directory is recomputed). Validate() it afterwards.
  static CsrGraph FromCompactArrays(std::vector<EdgeIdx> out_offsets, std::vector<NodeId> heads,
                                    std::vector<Label> labels, std::vector<Tag> tags,
                                    std::vector<std::uint64_t> value_present,
                                    std::vector<float> stored_values,
                                    std::vector<EdgeIdx> in_offsets, std::vector<NodeId> in_tails,
                                    std::vector<EdgeIdx> in_edges);

 private:
  friend class CsrBuilder;
  // Fills value_present_, value_rank_ and value_ from one value per edge (parallel).
  void SetValues(std::span<const float> values);
  // Recomputes value_rank_ from value_present_.
  void RankValues();

  std::vector<EdgeIdx> out_offsets_;
  std::vector<NodeId> head_;
  std::vector<Label> label_;
  std::vector<Tag> tag_;
  std::vector<std::uint64_t> value_present_;
  std::vector<EdgeIdx> value_rank_;
  std::vector<float> value_;
  std::vector<EdgeIdx> in_offsets_;
  std::vector<NodeId> in_tail_;
  std::vector<EdgeIdx> in_edge_;
};

}  // namespace cg
