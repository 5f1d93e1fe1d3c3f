// BuildGraphKeepFirst (graph_build.h): CsrBuilder::FromEdges's graph (kKeepFirst) by stable
// grouping instead of atomic scatters.
//   out-edges: the input grouped by tail (GroupByKey: each node's edges in input order), each
//     node's slice sorted by (label, head, input position), duplicates (same label and head)
//     dropped keeping the first, then the arrays written node by node (edge ids = positions);
//   in-edges: the edge ids grouped by head (ascending ids = ascending tails), each slice sorted
//     by (label, tail, edge id).
#include "core/measures/graph_build.h"

#include <tbb/parallel_reduce.h>
#include <tbb/parallel_scan.h>

#include <stdexcept>
#include <tuple>

namespace cg::core::measures {

CsrGraph BuildGraphKeepFirst(NodeId num_nodes, std::span<const EdgeInput> edges) {
  if (edges.size() >= std::size_t(kNoEdge)) {
    throw std::length_error("BuildGraphKeepFirst: more edges than a 32-bit EdgeIdx can index");
  }
  const std::size_t input_count = edges.size();
  const NodeId n = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, input_count, 1 << 16), num_nodes,
      [&](const tbb::blocked_range<std::size_t>& range, NodeId best) {
        for (std::size_t at = range.begin(); at < range.end(); ++at) {
          best = std::max({best, edges[at].tail + 1, edges[at].head + 1});
        }
        return best;
      },
      [](NodeId left, NodeId right) { return std::max(left, right); });

  // 1. Out-edges: records grouped by tail (contiguous per node), each node's sorted by
  // (label, head, input position), duplicates dropped keeping the first.
  struct OutRecord {
    NodeId head;
    std::uint32_t input;
    float value;
    Label label;
    Tag tag;
  };
  std::vector<std::uint32_t> grouped_offsets;
  HugeBuffer<OutRecord> out;
  GroupByKey(
      input_count, n, [&](std::size_t at) { return edges[at].tail; },
      [&](std::size_t at) {
        const EdgeInput& edge = edges[at];
        return OutRecord{edge.head, std::uint32_t(at), edge.value, edge.label, edge.tag};
      },
      &grouped_offsets, &out);
  std::vector<EdgeIdx> out_offsets(std::size_t(n) + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 12),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node != range.end(); ++node) {
                        auto first = out.begin() + grouped_offsets[node];
                        auto last = out.begin() + grouped_offsets[node + 1];
                        if (last - first > 1) {
                          std::sort(first, last, [](const OutRecord& left, const OutRecord& right) {
                            return std::tie(left.label, left.head, left.input) <
                                   std::tie(right.label, right.head, right.input);
                          });
                          last = std::unique(first, last, [](const OutRecord& left,
                                                             const OutRecord& right) {
                            return left.label == right.label && left.head == right.head;
                          });
                        }
                        out_offsets[node + 1] = EdgeIdx(last - first);  // kept, for the scan
                      }
                    });
  tbb::parallel_scan(
      tbb::blocked_range<std::size_t>(1, std::size_t(n) + 1, 1 << 14), EdgeIdx{0},
      [&](const tbb::blocked_range<std::size_t>& range, EdgeIdx running, bool is_final) {
        for (std::size_t at = range.begin(); at != range.end(); ++at) {
          running += out_offsets[at];
          if (is_final) out_offsets[at] = running;
        }
        return running;
      },
      [](EdgeIdx left, EdgeIdx right) { return left + right; });
  const EdgeIdx m = out_offsets[n];
  std::vector<NodeId> heads(m), tails(m);
  std::vector<Label> labels(m);
  std::vector<Tag> tags(m);
  std::vector<float> values(m);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 12),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node != range.end(); ++node) {
                        const OutRecord* record = out.data() + grouped_offsets[node];
                        for (EdgeIdx edge = out_offsets[node]; edge < out_offsets[node + 1];
                             ++edge, ++record) {
                          heads[edge] = record->head;
                          labels[edge] = record->label;
                          tags[edge] = record->tag;
                          values[edge] = record->value;
                          tails[edge] = NodeId(node);
                        }
                      }
                    });
  out = {};
  // 2. In-edges: (tail, edge, label) grouped by head, in ascending edge ids (= ascending
  // tails); each node's sorted by label, stably: (label, tail, edge id).
  struct InRecord {
    NodeId tail;
    EdgeIdx edge;
    Label label;
  };
  std::vector<std::uint32_t> in_offsets;
  HugeBuffer<InRecord> in;
  GroupByKey(
      m, n, [&](std::size_t edge) { return heads[edge]; },
      [&](std::size_t edge) { return InRecord{tails[edge], EdgeIdx(edge), labels[edge]}; },
      &in_offsets, &in);
  tails = {};
  std::vector<NodeId> in_tails(m);
  std::vector<EdgeIdx> in_edges(m);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 12),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node != range.end(); ++node) {
                        auto first = in.begin() + in_offsets[node];
                        auto last = in.begin() + in_offsets[node + 1];
                        auto by_label = [](const InRecord& left, const InRecord& right) {
                          return left.label < right.label;
                        };
                        if (last - first > 32) {
                          std::stable_sort(first, last, by_label);
                        } else {  // insertion sort (stable) for the usual few in-edges
                          for (auto at = first + (first != last); at < last; ++at) {
                            const InRecord record = *at;
                            auto to = at;
                            for (; to > first && by_label(record, *(to - 1)); --to) *to = *(to - 1);
                            *to = record;
                          }
                        }
                        for (auto at = first; at != last; ++at) {
                          const auto position = std::size_t(at - in.begin());
                          in_tails[position] = at->tail;
                          in_edges[position] = at->edge;
                        }
                      }
                    });
  in = {};
  return CsrGraph::FromArrays(std::move(out_offsets), std::move(heads), std::move(labels),
                              std::move(tags), std::move(values), std::move(in_offsets),
                              std::move(in_tails), std::move(in_edges));
}

}  // namespace cg::core::measures
