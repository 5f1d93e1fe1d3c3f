// The Boost.Graph adapter: concept checks, and BGL's own BFS on the CSR against graph/bfs.
#include "graph/bgl_adapter.h"

#include <gtest/gtest.h>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/graph/visitors.hpp>

#include "graph/bfs.h"
#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<CsrGraph>));
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<CsrGraph>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<CsrGraph>));
BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<CsrGraph>));
BOOST_CONCEPT_ASSERT((boost::ReadablePropertyMapConcept<BglEdgeIndexMap, BglEdge>));

//   0 -> 1 -> 2,  0 -> 2 (label 1),  3 isolated
TEST(BglAdapter, TinyFixtureTraversal) {
  CsrGraph graph =
      CsrBuilder::FromEdges(4, std::vector<EdgeInput>{{0, 1, 0}, {1, 2, 0}, {0, 2, 1, 0, 0.25f}});
  EXPECT_EQ(num_vertices(graph), 4u);
  auto [first, last] = out_edges(0, graph);
  ASSERT_EQ(last - first, 2);
  EXPECT_EQ(target(*first, graph), 1u);
  EXPECT_EQ(source(*first, graph), 0u);
  EXPECT_EQ(get(BglEdgeValueMap{&graph}, *(first + 1)), 0.25f);
  EXPECT_EQ(get(BglEdgeLabelMap{&graph}, *(first + 1)), 1);
  auto [in_first, in_last] = in_edges(2, graph);
  ASSERT_EQ(in_last - in_first, 2);
  EXPECT_EQ(source(*in_first, graph), 1u);  // in-edges sorted by (label, tail)
  EXPECT_EQ(get(get(boost::edge_index, graph), *in_first), 2u);  // edge ids: 0->1, 0->2, 1->2
}

TEST(BglAdapter, BglBreadthFirstSearchMatchesOwnBfs) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(2 + seed * 11 % 200),
                               .num_edges = std::size_t(seed * 37 % 600),
                               .num_labels = 2,
                               .skew = 1.0,
                               .seed = seed};
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, RandomEdges(options));
    std::vector<std::uint32_t> distance(graph.num_nodes(), kUnreached);
    const NodeId source_node = NodeId(seed % graph.num_nodes());
    distance[source_node] = 0;
    auto index = get(boost::vertex_index, graph);
    boost::breadth_first_search(
        graph, source_node,
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(
            boost::make_iterator_property_map(distance.begin(), index), boost::on_tree_edge())))
            .vertex_index_map(index));
    EXPECT_EQ(distance, BfsDistances(graph, source_node, EdgeFilter{}));
  }
}

}  // namespace
}  // namespace cg
