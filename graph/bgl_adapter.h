// Boost.Graph adapter for CsrGraph: graph_traits, the free functions of the VertexListGraph,
// IncidenceGraph, BidirectionalGraph and AdjacencyGraph concepts, and property maps
// (vertex_index: identity; edge_index: the CSR edge id; edge label/value maps), so that BGL
// algorithms (strong_components, breadth_first_search, ...) run on the CSR without copying.
// Pattern: boost/graph/vector_as_graph.hpp and the BGL "Using BGL with your own graph" guide.
//
//   cg::CsrGraph graph = ...;
//   std::vector<cg::NodeId> scc(graph.num_vertices());
//   boost::strong_components(graph, boost::make_iterator_property_map(scc.begin(),
//                                                     get(boost::vertex_index, graph)));  // ADL
//   // one label only:  boost::filtered_graph<cg::CsrGraph, cg::BglLabelFilter> view(graph, {&graph, mask});
#pragma once

#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>

#include <cstddef>
#include <utility>

#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg {

/// A BGL edge descriptor: the CSR edge id plus its source (so source(e) is O(1)).
struct BglEdge {
  NodeId source = kNoNode;
  EdgeIdx id = kNoEdge;
  friend bool operator==(const BglEdge& a, const BglEdge& b) { return a.id == b.id; }
  friend bool operator!=(const BglEdge& a, const BglEdge& b) { return a.id != b.id; }
};

/// Out-edges of one node: edge ids out_begin(u)..out_end(u)-1.
class BglOutEdgeIterator
    : public boost::iterator_facade<BglOutEdgeIterator, BglEdge,
                                    std::random_access_iterator_tag, BglEdge> {
 public:
  BglOutEdgeIterator() = default;
  BglOutEdgeIterator(NodeId source, EdgeIdx edge) : source_(source), edge_(edge) {}

 private:
  friend class boost::iterator_core_access;
  BglEdge dereference() const { return {source_, edge_}; }
  bool equal(const BglOutEdgeIterator& other) const { return edge_ == other.edge_; }
  void increment() { ++edge_; }
  void decrement() { --edge_; }
  void advance(std::ptrdiff_t n) { edge_ = EdgeIdx(std::ptrdiff_t(edge_) + n); }
  std::ptrdiff_t distance_to(const BglOutEdgeIterator& other) const {
    return std::ptrdiff_t(other.edge_) - std::ptrdiff_t(edge_);
  }
  NodeId source_ = kNoNode;
  EdgeIdx edge_ = 0;
};

/// In-edges of one node: positions in_begin(v)..in_end(v)-1 of the in-arrays.
class BglInEdgeIterator
    : public boost::iterator_facade<BglInEdgeIterator, BglEdge, std::random_access_iterator_tag,
                                    BglEdge> {
 public:
  BglInEdgeIterator() = default;
  BglInEdgeIterator(const CsrGraph* graph, EdgeIdx position) : graph_(graph), position_(position) {}

 private:
  friend class boost::iterator_core_access;
  BglEdge dereference() const {
    return {graph_->in_tails()[position_], graph_->in_edges()[position_]};
  }
  bool equal(const BglInEdgeIterator& other) const { return position_ == other.position_; }
  void increment() { ++position_; }
  void decrement() { --position_; }
  void advance(std::ptrdiff_t n) { position_ = EdgeIdx(std::ptrdiff_t(position_) + n); }
  std::ptrdiff_t distance_to(const BglInEdgeIterator& other) const {
    return std::ptrdiff_t(other.position_) - std::ptrdiff_t(position_);
  }
  const CsrGraph* graph_ = nullptr;
  EdgeIdx position_ = 0;
};

struct BglTraversalCategory : virtual boost::vertex_list_graph_tag,
                              virtual boost::incidence_graph_tag,
                              virtual boost::bidirectional_graph_tag,
                              virtual boost::adjacency_graph_tag {};

// ---- concept functions (found by argument-dependent lookup on cg::CsrGraph)
inline std::pair<boost::counting_iterator<NodeId>, boost::counting_iterator<NodeId>> vertices(
    const CsrGraph& graph) {
  return {boost::counting_iterator<NodeId>(0), boost::counting_iterator<NodeId>(graph.num_nodes())};
}
inline NodeId num_vertices(const CsrGraph& graph) { return graph.num_nodes(); }
inline EdgeIdx num_edges(const CsrGraph& graph) { return graph.num_edges(); }
inline std::pair<BglOutEdgeIterator, BglOutEdgeIterator> out_edges(NodeId node,
                                                                   const CsrGraph& graph) {
  return {BglOutEdgeIterator(node, graph.out_begin(node)),
          BglOutEdgeIterator(node, graph.out_end(node))};
}
inline EdgeIdx out_degree(NodeId node, const CsrGraph& graph) { return graph.out_degree(node); }
inline std::pair<BglInEdgeIterator, BglInEdgeIterator> in_edges(NodeId node,
                                                                const CsrGraph& graph) {
  return {BglInEdgeIterator(&graph, graph.in_begin(node)),
          BglInEdgeIterator(&graph, graph.in_end(node))};
}
inline EdgeIdx in_degree(NodeId node, const CsrGraph& graph) { return graph.in_degree(node); }
inline EdgeIdx degree(NodeId node, const CsrGraph& graph) {
  return graph.in_degree(node) + graph.out_degree(node);
}
inline NodeId source(const BglEdge& edge, const CsrGraph&) { return edge.source; }
inline NodeId target(const BglEdge& edge, const CsrGraph& graph) { return graph.head(edge.id); }
inline std::pair<const NodeId*, const NodeId*> adjacent_vertices(NodeId node,
                                                                 const CsrGraph& graph) {
  const auto neighbors = graph.out_neighbors(node);
  return {neighbors.data(), neighbors.data() + neighbors.size()};
}

// ---- property maps
/// edge_index: the CSR edge id (use it to index per-edge arrays).
struct BglEdgeIndexMap {
  using key_type = BglEdge;
  using value_type = EdgeIdx;
  using reference = EdgeIdx;
  using category = boost::readable_property_map_tag;
};
inline EdgeIdx get(const BglEdgeIndexMap&, const BglEdge& edge) { return edge.id; }

/// The edge's label (readable property map).
struct BglEdgeLabelMap {
  using key_type = BglEdge;
  using value_type = Label;
  using reference = Label;
  using category = boost::readable_property_map_tag;
  const CsrGraph* graph = nullptr;
};
inline Label get(const BglEdgeLabelMap& map, const BglEdge& edge) { return map.graph->label(edge.id); }

/// The edge's value (readable property map, e.g. a shareholder ratio as a weight).
struct BglEdgeValueMap {
  using key_type = BglEdge;
  using value_type = float;
  using reference = float;
  using category = boost::readable_property_map_tag;
  const CsrGraph* graph = nullptr;
};
inline float get(const BglEdgeValueMap& map, const BglEdge& edge) { return map.graph->value(edge.id); }

inline boost::typed_identity_property_map<NodeId> get(boost::vertex_index_t, const CsrGraph&) {
  return {};
}
inline BglEdgeIndexMap get(boost::edge_index_t, const CsrGraph&) { return {}; }

/// Edge predicate for boost::filtered_graph: keeps edges whose label is in the mask.
struct BglLabelFilter {
  const CsrGraph* graph = nullptr;
  LabelMask labels = kAllLabels;
  bool operator()(const BglEdge& edge) const {
    return EdgeFilter{labels, Direction::kOut}.accepts(graph->label(edge.id));
  }
};

}  // namespace cg

namespace boost {

template <>
struct graph_traits<cg::CsrGraph> {
  using vertex_descriptor = cg::NodeId;
  using edge_descriptor = cg::BglEdge;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = cg::BglTraversalCategory;
  using vertex_iterator = counting_iterator<cg::NodeId>;
  using out_edge_iterator = cg::BglOutEdgeIterator;
  using in_edge_iterator = cg::BglInEdgeIterator;
  using adjacency_iterator = const cg::NodeId*;
  using edge_iterator = void;
  using vertices_size_type = cg::NodeId;
  using edges_size_type = cg::EdgeIdx;
  using degree_size_type = cg::EdgeIdx;
  static vertex_descriptor null_vertex() { return cg::kNoNode; }
};

template <>
struct property_map<cg::CsrGraph, vertex_index_t> {
  using type = typed_identity_property_map<cg::NodeId>;
  using const_type = type;
};
template <>
struct property_map<cg::CsrGraph, edge_index_t> {
  using type = cg::BglEdgeIndexMap;
  using const_type = type;
};

}  // namespace boost
