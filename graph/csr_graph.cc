// CsrGraph's out-of-line members (graph/csr_graph.h).
#include "graph/csr_graph.h"

#include <algorithm>

namespace cg {

NodeId CsrGraph::tail(EdgeIdx e) const {
  auto it = std::upper_bound(out_offsets_.begin(), out_offsets_.end(), e);
  return NodeId(it - out_offsets_.begin() - 1);
}

std::size_t CsrGraph::memory_bytes() const {
  return out_offsets_.capacity() * sizeof(EdgeIdx) + head_.capacity() * sizeof(NodeId) +
         label_.capacity() + tag_.capacity() + value_.capacity() * sizeof(float) +
         in_offsets_.capacity() * sizeof(EdgeIdx) + in_tail_.capacity() * sizeof(NodeId) +
         in_edge_.capacity() * sizeof(EdgeIdx);
}

std::string CsrGraph::Validate() const {
  const std::size_t m = head_.size();
  if (out_offsets_.empty() && in_offsets_.empty() && m == 0) return "";
  if (out_offsets_.size() != in_offsets_.size()) return "offset arrays differ in size";
  if (label_.size() != m || tag_.size() != m || value_.size() != m) return "attribute size != m";
  if (in_tail_.size() != m || in_edge_.size() != m) return "in-edge arrays size != m";
  if (out_offsets_.front() != 0 || out_offsets_.back() != m) return "out offsets do not span m";
  if (in_offsets_.front() != 0 || in_offsets_.back() != m) return "in offsets do not span m";
  const NodeId n = num_nodes();
  for (NodeId u = 0; u < n; ++u) {
    if (out_offsets_[u] > out_offsets_[u + 1]) return "out offsets decrease";
    if (in_offsets_[u] > in_offsets_[u + 1]) return "in offsets decrease";
    for (EdgeIdx e = out_begin(u); e < out_end(u); ++e) {
      if (head_[e] >= n) return "edge head out of range";
      if (e > out_begin(u) && std::pair(label_[e - 1], head_[e - 1]) > std::pair(label_[e], head_[e]))
        return "out-edges not sorted by (label, head)";
    }
    for (EdgeIdx i = in_begin(u); i < in_end(u); ++i) {
      const EdgeIdx e = in_edge_[i];
      if (e >= m || head_[e] != u || tail(e) != in_tail_[i]) return "in-edge does not match";
    }
  }
  return "";
}

CsrGraph CsrGraph::FromArrays(std::vector<EdgeIdx> out_offsets, std::vector<NodeId> heads,
                              std::vector<Label> labels, std::vector<Tag> tags,
                              std::vector<float> values, std::vector<EdgeIdx> in_offsets,
                              std::vector<NodeId> in_tails, std::vector<EdgeIdx> in_edges) {
  CsrGraph graph;
  graph.out_offsets_ = std::move(out_offsets);
  graph.head_ = std::move(heads);
  graph.label_ = std::move(labels);
  graph.tag_ = std::move(tags);
  graph.value_ = std::move(values);
  graph.in_offsets_ = std::move(in_offsets);
  graph.in_tail_ = std::move(in_tails);
  graph.in_edge_ = std::move(in_edges);
  return graph;
}

}  // namespace cg
