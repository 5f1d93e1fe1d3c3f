// CsrBuilder::Build: parallel CSR construction with TBB (graph/csr_builder.h).
// Steps (gapbs src/builder.h, "MakeCSR"): count out-degrees with atomic increments, exclusive
// prefix sum (tbb::parallel_scan), scatter input positions with atomic cursors, sort each node's
// slice by (label, head, input position) so the result is deterministic, drop duplicates, then
// the same count/scan/scatter/sort for the in-edges.
#include "graph/csr_builder.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
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

// Places item i at offsets[key(i)] + (arrival order); returns the slot -> item map.
template <typename KeyFn>
std::vector<EdgeIdx> Scatter(std::size_t count, const std::vector<EdgeIdx>& offsets, KeyFn key) {
  std::vector<EdgeIdx> cursor(offsets.begin(), offsets.end() - 1);
  std::vector<EdgeIdx> slots(count);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        const EdgeIdx slot = std::atomic_ref<EdgeIdx>(cursor[key(index)])
                                                 .fetch_add(1, std::memory_order_relaxed);
                        slots[slot] = EdgeIdx(index);
                      }
                    });
  return slots;
}

}  // namespace

CsrGraph CsrBuilder::FromEdges(NodeId num_nodes, std::span<const EdgeInput> edges,
                               Duplicates duplicates) {
  if (edges.size() >= std::size_t(kNoEdge)) {
    throw std::length_error("CsrBuilder: more edges than a 32-bit EdgeIdx can index");
  }
  const std::size_t input_count = edges.size();
  // Node count: the given one or 1 + the largest endpoint.
  NodeId n = num_nodes;
  for (const EdgeInput& edge : edges) n = std::max({n, edge.tail + 1, edge.head + 1});

  // 1. Out-edges: count, scan, scatter input positions, sort each node's slice.
  std::vector<EdgeIdx> out_offsets =
      PrefixSum(Histogram(input_count, n, [&](std::size_t i) { return edges[i].tail; }));
  std::vector<EdgeIdx> order =
      Scatter(input_count, out_offsets, [&](std::size_t i) { return edges[i].tail; });
  std::vector<EdgeIdx> kept_count(n, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      auto first = order.begin() + out_offsets[node];
      auto last = order.begin() + out_offsets[node + 1];
      std::sort(first, last, [&](EdgeIdx a, EdgeIdx b) {
        return std::tie(edges[a].label, edges[a].head, a) <
               std::tie(edges[b].label, edges[b].head, b);
      });
      if (duplicates == Duplicates::kKeepFirst) {
        last = std::unique(first, last, [&](EdgeIdx a, EdgeIdx b) {
          return edges[a].label == edges[b].label && edges[a].head == edges[b].head;
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
  graph.value_.resize(m);
  std::vector<NodeId> tails(m);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      EdgeIdx source = out_offsets[node];
      for (EdgeIdx e = graph.out_offsets_[node]; e < graph.out_offsets_[node + 1]; ++e, ++source) {
        const EdgeInput& edge = edges[order[source]];
        graph.head_[e] = edge.head;
        graph.label_[e] = edge.label;
        graph.tag_[e] = edge.tag;
        graph.value_[e] = edge.value;
        tails[e] = node;
      }
    }
  });
  order.clear();
  order.shrink_to_fit();

  // 3. In-edges: count heads, scan, scatter edge ids, sort each node's slice by (label, tail, e).
  graph.in_offsets_ = PrefixSum(Histogram(m, n, [&](std::size_t e) { return graph.head_[e]; }));
  graph.in_edge_ = Scatter(m, graph.in_offsets_, [&](std::size_t e) { return graph.head_[e]; });
  graph.in_tail_.resize(m);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 256), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      auto first = graph.in_edge_.begin() + graph.in_offsets_[node];
      auto last = graph.in_edge_.begin() + graph.in_offsets_[node + 1];
      std::sort(first, last, [&](EdgeIdx a, EdgeIdx b) {
        return std::tie(graph.label_[a], tails[a], a) < std::tie(graph.label_[b], tails[b], b);
      });
      for (EdgeIdx i = graph.in_offsets_[node]; i < graph.in_offsets_[node + 1]; ++i) {
        graph.in_tail_[i] = tails[graph.in_edge_[i]];
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
