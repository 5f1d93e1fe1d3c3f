// Majority-controller derivation (graph/control.h).
#include "graph/control.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace cg {

std::vector<NodeId> MajorityHolders(const CsrGraph& graph, Label label, float threshold) {
  const NodeId n = graph.num_nodes();
  std::vector<NodeId> next(n, kNoNode);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 2048), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      float best = threshold;
      for (EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) {
        if (graph.label(e) != label) continue;
        // Out-edges are sorted by (label, head): ties keep the smaller head.
        if (graph.value(e) > best) {
          best = graph.value(e);
          next[node] = graph.head(e);
        }
      }
    }
  });
  return next;
}

ControlResult DeriveControllers(const CsrGraph& graph, Label label, float threshold,
                                std::span<const std::pair<NodeId, NodeId>> declared) {
  const NodeId n = graph.num_nodes();
  const std::vector<NodeId> next = MajorityHolders(graph, label, threshold);
  // end[v]: where the walk from v stops. state: 0 new, 1 on the current walk, 2 resolved.
  std::vector<NodeId> end(n, kNoNode);
  std::vector<std::uint8_t> state(n, 0);
  std::vector<NodeId> walk;
  for (NodeId start = 0; start < n; ++start) {
    if (state[start] == 2) continue;
    walk.clear();
    NodeId node = start;
    while (node != kNoNode && state[node] == 0) {
      state[node] = 1;
      walk.push_back(node);
      node = next[node];
    }
    std::size_t resolved_from = walk.size();  // walk[0 .. resolved_from) take `tail_end`
    NodeId tail_end;
    if (node == kNoNode) {
      tail_end = walk.back();  // the last node has no majority holder
    } else if (state[node] == 2) {
      tail_end = end[node];  // joins an already resolved walk
    } else {
      // node is on the current walk: walk[cycle_start..] is a new cycle
      std::size_t cycle_start = 0;
      while (walk[cycle_start] != node) ++cycle_start;
      const std::size_t cycle_length = walk.size() - cycle_start;
      for (std::size_t i = 0; i < cycle_length; ++i) {
        const NodeId member = walk[cycle_start + i];
        end[member] = walk[cycle_start + (i + cycle_length - 1) % cycle_length];
        state[member] = 2;
      }
      tail_end = end[node];  // a tail entering at `node` ends at node's predecessor
      resolved_from = cycle_start;
    }
    for (std::size_t i = 0; i < resolved_from; ++i) {
      end[walk[i]] = tail_end;
      state[walk[i]] = 2;
    }
  }
  ControlResult result{std::vector<NodeId>(n, kNoNode),
                       std::vector<ControlSource>(n, ControlSource::kNone)};
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 4096), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      if (end[node] != node) {
        result.controller[node] = end[node];
        result.source[node] = ControlSource::kDerived;
      }
    }
  });
  std::vector<bool> overridden(n, false);
  for (const auto& [node, controller] : declared) {
    if (node >= n || overridden[node]) continue;
    overridden[node] = true;
    result.controller[node] = controller;
    result.source[node] = ControlSource::kDeclared;
  }
  return result;
}

}  // namespace cg
