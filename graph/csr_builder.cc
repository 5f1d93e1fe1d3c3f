// CsrBuilder::Build: parallel CSR construction with TBB (graph/csr_builder.h).
// Steps (gapbs src/builder.h, "MakeCSR"): count out-degrees with atomic increments, exclusive
// prefix sum (tbb::parallel_scan), scatter the edge records with atomic cursors (so each node's
// edges are contiguous), sort each node's slice by (label, head, input position) so the result
// is deterministic, drop duplicates, then the same count/scan/scatter/sort for the in-edges.
#include "graph/csr_builder.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_scan.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <tuple>

namespace cg {
namespace {

// Exclusive prefix sum of counts[0..n) into offsets[0..n] (offsets[n] = total).
std::vector<EdgeIdx> PrefixSum(const std::vector<EdgeIdx>& counts) {
  std::vector<EdgeIdx> offsets(counts.size() + 1, 0);
  tbb::parallel_scan(
      tbb::blocked_range<std::size_t>(0, counts.size(), 1 << 14), EdgeIdx{0},
      [&](const tbb::blocked_range<std::size_t>& range, EdgeIdx running, bool is_final) {
        for (std::size_t index = range.begin(); index < range.end(); ++index) {
          if (is_final) offsets[index] = running;
          running += counts[index];
        }
        return running;
      },
      [](EdgeIdx left, EdgeIdx right) { return left + right; });
  offsets[counts.size()] =
      counts.empty() ? 0 : offsets[counts.size() - 1] + counts[counts.size() - 1];
  return offsets;
}

// Counts keys[i] occurrences into a histogram of size n with relaxed atomic increments.
template <typename KeyFn>
std::vector<EdgeIdx> Histogram(std::size_t count, NodeId n, KeyFn key) {
  std::vector<EdgeIdx> counts(n, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        std::atomic_ref<EdgeIdx>(counts[key(index)])
                            .fetch_add(1, std::memory_order_relaxed);
                      }
                    });
  return counts;
}

// Copies make(i) into slots[offsets[key(i)] + arrival order]: records land grouped by key,
// so the per-node sorts that follow work on contiguous memory.
template <typename Slot, typename KeyFn, typename MakeFn>
std::vector<Slot> Scatter(std::size_t count, const std::vector<EdgeIdx>& offsets, KeyFn key,
                          MakeFn make) {
  std::vector<EdgeIdx> cursor(offsets.begin(), offsets.end() - 1);
  std::vector<Slot> slots(count);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        const EdgeIdx slot = std::atomic_ref<EdgeIdx>(cursor[key(index)])
                                                 .fetch_add(1, std::memory_order_relaxed);
                        slots[slot] = make(index);
                      }
                    });
  return slots;
}

// An out-edge while building: its input position keeps the order deterministic.
struct OutSlot {
  NodeId head;
  EdgeIdx input;
  float value;
  Label label;
  Tag tag;
};
// An in-edge while building.
struct InSlot {
  NodeId tail;
  EdgeIdx edge;
  Label label;
};

}  // namespace

CsrGraph CsrBuilder::FromEdges(NodeId num_nodes, std::span<const EdgeInput> edges,
                               Duplicates duplicates) {
  if (edges.size() >= std::size_t(kNoEdge)) {
    throw std::length_error("CsrBuilder: more edges than a 32-bit EdgeIdx can index");
  }
  const std::size_t input_count = edges.size();
  // Node count: the given one or 1 + the largest endpoint.
  const NodeId n = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, input_count, 1 << 16), num_nodes,
      [&](const tbb::blocked_range<std::size_t>& range, NodeId best) {
        for (std::size_t i = range.begin(); i < range.end(); ++i)
          best = std::max({best, edges[i].tail + 1, edges[i].head + 1});
        return best;
      },
      [](NodeId a, NodeId b) { return std::max(a, b); });

  // 1. Out-edges: count, scan, scatter records, sort each node's slice, drop duplicates.
  const std::vector<EdgeIdx> out_offsets =
      PrefixSum(Histogram(input_count, n, [&](std::size_t i) { return edges[i].tail; }));
  std::vector<OutSlot> slots = Scatter<OutSlot>(
      input_count, out_offsets, [&](std::size_t i) { return edges[i].tail; },
      [&](std::size_t i) {
        const EdgeInput& edge = edges[i];
        return OutSlot{edge.head, EdgeIdx(i), edge.value, edge.label, edge.tag};
      });
  std::vector<EdgeIdx> kept_count(n, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      auto first = slots.begin() + out_offsets[node];
      auto last = slots.begin() + out_offsets[node + 1];
      std::sort(first, last, [](const OutSlot& a, const OutSlot& b) {
        return std::tie(a.label, a.head, a.input) < std::tie(b.label, b.head, b.input);
      });
      if (duplicates == Duplicates::kKeepFirst) {
        last = std::unique(first, last, [](const OutSlot& a, const OutSlot& b) {
          return a.label == b.label && a.head == b.head;
        });
      }
      kept_count[node] = EdgeIdx(last - first);
    }
  });

  // 2. Compact into the final arrays.
  CsrGraph graph;
  graph.out_offsets_ = PrefixSum(kept_count);
  const EdgeIdx m = graph.out_offsets_[n];
  graph.head_.resize(m);
  graph.label_.resize(m);
  graph.tag_.resize(m);
  std::vector<float> values(m);  // compressed into the graph's value storage below
  std::vector<NodeId> tails(m);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      EdgeIdx source = out_offsets[node];
      for (EdgeIdx e = graph.out_offsets_[node]; e < graph.out_offsets_[node + 1]; ++e, ++source) {
        const OutSlot& slot = slots[source];
        graph.head_[e] = slot.head;
        graph.label_[e] = slot.label;
        graph.tag_[e] = slot.tag;
        values[e] = slot.value;
        tails[e] = node;
      }
    }
  });
  slots.clear();
  slots.shrink_to_fit();
  graph.SetValues(values);
  values.clear();
  values.shrink_to_fit();

  // 3. In-edges: count heads, scan, scatter (tail, edge, label), sort each node's slice by
  //    (label, tail, edge id).
  graph.in_offsets_ = PrefixSum(Histogram(m, n, [&](std::size_t e) { return graph.head_[e]; }));
  std::vector<InSlot> in_slots = Scatter<InSlot>(
      m, graph.in_offsets_, [&](std::size_t e) { return graph.head_[e]; },
      [&](std::size_t e) { return InSlot{tails[e], EdgeIdx(e), graph.label_[e]}; });
  tails.clear();
  tails.shrink_to_fit();
  graph.in_tail_.resize(m);
  graph.in_edge_.resize(m);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      auto first = in_slots.begin() + graph.in_offsets_[node];
      auto last = in_slots.begin() + graph.in_offsets_[node + 1];
      std::sort(first, last, [](const InSlot& a, const InSlot& b) {
        return std::tie(a.label, a.tail, a.edge) < std::tie(b.label, b.tail, b.edge);
      });
      for (EdgeIdx i = graph.in_offsets_[node]; i < graph.in_offsets_[node + 1]; ++i) {
        graph.in_tail_[i] = in_slots[i].tail;
        graph.in_edge_[i] = in_slots[i].edge;
      }
    }
  });
  return graph;
}

CsrGraph CsrBuilder::Build() {
  CsrGraph graph = FromEdges(num_nodes_, edges_, duplicates_);
  edges_.clear();
  edges_.shrink_to_fit();
  return graph;
}

}  // namespace cg
