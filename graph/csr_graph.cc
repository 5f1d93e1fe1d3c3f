// CsrGraph's out-of-line members (graph/csr_graph.h).
#include "graph/csr_graph.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>

namespace cg {

NodeId CsrGraph::tail(EdgeIdx e) const {
  auto it = std::upper_bound(out_offsets_.begin(), out_offsets_.end(), e);
  return NodeId(it - out_offsets_.begin() - 1);
}

namespace {

constexpr std::size_t Words(std::size_t m) { return (m + 63) / 64; }

// A stored value is any whose bit pattern is not +0.0f (so -0.0f and NaN survive a round trip).
bool Stored(float value) { return std::bit_cast<std::uint32_t>(value) != 0; }

}  // namespace

void CsrGraph::SetValues(std::span<const float> values) {
  const std::size_t words = Words(values.size());
  value_present_.assign(words, 0);
  value_rank_.assign(words, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, words, 1 << 10),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t w = range.begin(); w < range.end(); ++w) {
                        std::uint64_t bits = 0;
                        const std::size_t end = std::min(values.size(), (w + 1) * 64);
                        for (std::size_t e = w * 64; e < end; ++e) {
                          if (Stored(values[e])) bits |= std::uint64_t{1} << (e & 63);
                        }
                        value_present_[w] = bits;
                      }
                    });
  RankValues();
  const std::size_t stored =
      words == 0 ? 0 : value_rank_[words - 1] + std::popcount(value_present_[words - 1]);
  value_.assign(stored, 0.0f);
  value_.shrink_to_fit();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, words, 1 << 10),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t w = range.begin(); w < range.end(); ++w) {
                        EdgeIdx slot = value_rank_[w];
                        for (std::uint64_t bits = value_present_[w]; bits != 0; bits &= bits - 1) {
                          value_[slot++] = values[w * 64 + std::countr_zero(bits)];
                        }
                      }
                    });
}

void CsrGraph::RankValues() {
  value_rank_.assign(value_present_.size(), 0);
  EdgeIdx running = 0;
  for (std::size_t w = 0; w < value_present_.size(); ++w) {
    value_rank_[w] = running;
    running += EdgeIdx(std::popcount(value_present_[w]));
  }
}

std::vector<float> CsrGraph::values() const {
  std::vector<float> result(head_.size(), 0.0f);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, value_present_.size(), 1 << 10),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t w = range.begin(); w < range.end(); ++w) {
                        EdgeIdx slot = value_rank_[w];
                        for (std::uint64_t bits = value_present_[w]; bits != 0; bits &= bits - 1) {
                          result[w * 64 + std::countr_zero(bits)] = value_[slot++];
                        }
                      }
                    });
  return result;
}

std::size_t CsrGraph::memory_bytes() const {
  return out_offsets_.capacity() * sizeof(EdgeIdx) + head_.capacity() * sizeof(NodeId) +
         label_.capacity() + tag_.capacity() +
         value_present_.capacity() * sizeof(std::uint64_t) +
         value_rank_.capacity() * sizeof(EdgeIdx) + value_.capacity() * sizeof(float) +
         in_offsets_.capacity() * sizeof(EdgeIdx) + in_tail_.capacity() * sizeof(NodeId) +
         in_edge_.capacity() * sizeof(EdgeIdx);
}

std::string CsrGraph::Validate() const {
  const std::size_t m = head_.size();
  if (out_offsets_.empty() && in_offsets_.empty() && m == 0) return "";
  if (out_offsets_.size() != in_offsets_.size()) return "offset arrays differ in size";
  if (label_.size() != m || tag_.size() != m) return "attribute size != m";
  if (value_present_.size() != Words(m) || value_rank_.size() != Words(m)) {
    return "value presence bits or rank directory size != ceil(m/64)";
  }
  if (m % 64 != 0 && (value_present_.back() >> (m % 64)) != 0) return "value bit past m";
  EdgeIdx running = 0;
  for (std::size_t w = 0; w < value_present_.size(); ++w) {
    if (value_rank_[w] != running) return "value rank directory does not match the bits";
    running += EdgeIdx(std::popcount(value_present_[w]));
  }
  if (value_.size() != running) return "stored values != value bits set";
  if (!std::all_of(value_.begin(), value_.end(), Stored)) return "a stored value is +0.0f";
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
  graph.SetValues(values);
  if (values.size() != graph.head_.size()) {  // make Validate() report it
    graph.value_present_.assign(Words(values.size()) + 1, 0);
    graph.value_rank_.clear();
  }
  graph.in_offsets_ = std::move(in_offsets);
  graph.in_tail_ = std::move(in_tails);
  graph.in_edge_ = std::move(in_edges);
  return graph;
}

CsrGraph CsrGraph::FromCompactArrays(std::vector<EdgeIdx> out_offsets, std::vector<NodeId> heads,
                                     std::vector<Label> labels, std::vector<Tag> tags,
                                     std::vector<std::uint64_t> value_present,
                                     std::vector<float> stored_values,
                                     std::vector<EdgeIdx> in_offsets,
                                     std::vector<NodeId> in_tails,
                                     std::vector<EdgeIdx> in_edges) {
  CsrGraph graph;
  graph.out_offsets_ = std::move(out_offsets);
  graph.head_ = std::move(heads);
  graph.label_ = std::move(labels);
  graph.tag_ = std::move(tags);
  graph.value_present_ = std::move(value_present);
  graph.RankValues();
  graph.value_ = std::move(stored_values);
  graph.in_offsets_ = std::move(in_offsets);
  graph.in_tail_ = std::move(in_tails);
  graph.in_edge_ = std::move(in_edges);
  return graph;
}

}  // namespace cg
