// Strongly connected components via BGL on the CSR adapter (graph/strong_components.h).
#include "graph/strong_components.h"

#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/property_map/property_map.hpp>

#include <algorithm>

#include "graph/bgl_adapter.h"

namespace cg {

std::vector<NodeId> StrongComponents(const CsrGraph& graph, LabelMask labels) {
  const NodeId n = graph.num_nodes();
  std::vector<NodeId> bgl_component(n, 0);
  if (n == 0) return bgl_component;
  boost::filtered_graph<CsrGraph, BglLabelFilter> view(graph, BglLabelFilter{&graph, labels});
  boost::strong_components(
      view, boost::make_iterator_property_map(bgl_component.begin(),
                                              get(boost::vertex_index, graph)));
  // BGL numbers components 0..k-1 in finishing order; renumber by smallest member.
  std::vector<NodeId> smallest(n, kNoNode);
  for (NodeId node = 0; node < n; ++node) {
    NodeId& slot = smallest[bgl_component[node]];
    if (slot == kNoNode) slot = node;  // ascending scan: the first seen is the smallest
  }
  std::vector<NodeId> component(n);
  for (NodeId node = 0; node < n; ++node) component[node] = smallest[bgl_component[node]];
  return component;
}

std::vector<Component> CyclicComponents(const CsrGraph& graph, LabelMask labels) {
  const std::vector<NodeId> component = StrongComponents(graph, labels);
  const NodeId n = graph.num_nodes();
  const EdgeFilter filter{labels, Direction::kOut};
  std::vector<NodeId> size(n, 0);
  for (NodeId node = 0; node < n; ++node) ++size[component[node]];
  // A single node is a cycle only with a selected self-loop: mark it by bumping its size.
  for (NodeId node = 0; node < n; ++node) {
    if (size[node] != 1 || component[node] != node) continue;
    for (EdgeIdx e = graph.out_begin(node); e < graph.out_end(node); ++e) {
      if (graph.head(e) == node && filter.accepts(graph.label(e))) {
        size[node] = 2;
        break;
      }
    }
  }
  std::vector<Component> groups;
  std::vector<std::size_t> slot(n, 0);
  for (NodeId node = 0; node < n; ++node) {
    const NodeId root = component[node];
    if (size[root] < 2) continue;
    if (root == node) {
      slot[root] = groups.size();
      groups.push_back({root, {}});
    }
    groups[slot[root]].members.push_back(node);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Component& a, const Component& b) {
    return a.members.size() > b.members.size();
  });
  return groups;
}

}  // namespace cg
