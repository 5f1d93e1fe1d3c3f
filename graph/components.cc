// Parallel union-find connected components (graph/components.h).
#include "graph/components.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <numeric>

namespace cg {
namespace {

NodeId FindRoot(std::vector<NodeId>& parent, NodeId node) {
  while (true) {
    const NodeId up = std::atomic_ref<NodeId>(parent[node]).load(std::memory_order_relaxed);
    if (up == node) return node;
    // Path halving; a lost race only leaves a longer (still correct) path.
    const NodeId grand = std::atomic_ref<NodeId>(parent[up]).load(std::memory_order_relaxed);
    if (grand != up) {
      NodeId expected = up;
      std::atomic_ref<NodeId>(parent[node])
          .compare_exchange_weak(expected, grand, std::memory_order_relaxed);
    }
    node = grand;
  }
}

// Hooks the larger root onto the smaller; roots only ever point to smaller ids, so every
// tree's root is its minimum and the result is independent of the schedule.
void Unite(std::vector<NodeId>& parent, NodeId a, NodeId b) {
  while (true) {
    NodeId root_a = FindRoot(parent, a);
    NodeId root_b = FindRoot(parent, b);
    if (root_a == root_b) return;
    if (root_a < root_b) std::swap(root_a, root_b);
    NodeId expected = root_a;
    if (std::atomic_ref<NodeId>(parent[root_a])
            .compare_exchange_strong(expected, root_b, std::memory_order_acq_rel)) {
      return;
    }
  }
}

}  // namespace

std::vector<NodeId> ConnectedComponents(const CsrGraph& graph, LabelMask labels) {
  const NodeId n = graph.num_nodes();
  std::vector<NodeId> parent(n);
  std::iota(parent.begin(), parent.end(), NodeId{0});
  const EdgeFilter filter{labels, Direction::kOut};
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 1024), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      for (EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) {
        if (filter.accepts(graph.label(e))) Unite(parent, node, graph.head(e));
      }
    }
  });
  // Flatten: after the unions every chain ends at its minimum.
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, 4096), [&](const tbb::blocked_range<NodeId>& r) {
    for (NodeId node = r.begin(); node < r.end(); ++node) {
      std::atomic_ref<NodeId>(parent[node]).store(FindRoot(parent, node), std::memory_order_relaxed);
    }
  });
  return parent;
}

std::vector<Component> GroupComponents(const std::vector<NodeId>& component,
                                       std::size_t min_size) {
  const NodeId n = NodeId(component.size());
  std::vector<NodeId> size(n, 0);
  for (NodeId node = 0; node < n; ++node) ++size[component[node]];
  std::vector<Component> groups;
  std::vector<std::size_t> slot(n, 0);
  for (NodeId root = 0; root < n; ++root) {
    if (size[root] >= std::max<std::size_t>(min_size, 1)) {
      slot[root] = groups.size();
      groups.push_back({root, {}});
      groups.back().members.reserve(size[root]);
    }
  }
  for (NodeId node = 0; node < n; ++node) {
    if (size[component[node]] >= std::max<std::size_t>(min_size, 1))
      groups[slot[component[node]]].members.push_back(node);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Component& a, const Component& b) {
    return a.members.size() > b.members.size();
  });
  return groups;
}

}  // namespace cg
