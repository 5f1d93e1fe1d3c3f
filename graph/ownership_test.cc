// Integrated ownership against a slow reference: (I - A)^-1 - I by plain Gauss-Jordan.
#include "graph/ownership.h"

#include <gtest/gtest.h>

#include <cmath>

#include "graph/csr_builder.h"
#include "graph/random_graph.h"

namespace cg {
namespace {

constexpr Label kHolds = 2;

std::vector<std::vector<double>> ReferenceIntegrated(NodeId n, const std::vector<EdgeInput>& edges) {
  // m = I - A, augmented with I; invert by Gauss-Jordan with partial pivoting.
  std::vector<std::vector<double>> m(n, std::vector<double>(2 * n, 0.0));
  for (NodeId i = 0; i < n; ++i) m[i][i] = m[i][n + i] = 1.0;
  for (const auto& e : edges)
    if (e.label == kHolds) m[e.tail][e.head] -= e.value;
  for (NodeId col = 0; col < n; ++col) {
    NodeId pivot = col;
    for (NodeId row = col; row < n; ++row)
      if (std::abs(m[row][col]) > std::abs(m[pivot][col])) pivot = row;
    std::swap(m[col], m[pivot]);
    const double diagonal = m[col][col];
    for (auto& value : m[col]) value /= diagonal;
    for (NodeId row = 0; row < n; ++row) {
      if (row == col || m[row][col] == 0.0) continue;
      const double factor = m[row][col];
      for (NodeId k = 0; k < 2 * n; ++k) m[row][k] -= factor * m[col][k];
    }
  }
  std::vector<std::vector<double>> integrated(n, std::vector<double>(n));
  for (NodeId i = 0; i < n; ++i)
    for (NodeId j = 0; j < n; ++j) integrated[i][j] = m[i][n + j] - (i == j ? 1.0 : 0.0);
  return integrated;
}

//   P (person 3) holds 60% of B (1); B holds 50% of C (0); Q (person 4) holds 30% of B and
//   20% of C directly. Integrated in C: B 0.5, P 0.6*0.5 = 0.3, Q 0.2 + 0.3*0.5 = 0.35.
//   Cycle: C holds 10% of B (edge 1 -> 0 value 0.1 on top), so shares loop.
TEST(Ownership, TinyChainAndCycle) {
  std::vector<EdgeInput> edges{{1, 3, kHolds, 0, 0.6f}, {0, 1, kHolds, 0, 0.5f},
                               {1, 4, kHolds, 0, 0.3f}, {0, 4, kHolds, 0, 0.2f}};
  CsrGraph graph = CsrBuilder::FromEdges(5, edges);
  OwnershipModel model(graph, kHolds);
  auto result = model.IntegratedShares(0);
  ASSERT_TRUE(result.converged);
  ASSERT_EQ(result.shares.size(), 3u);
  EXPECT_EQ(result.shares[0].holder, 1u);
  EXPECT_NEAR(result.shares[0].share, 0.5, 1e-6);
  EXPECT_NEAR(result.shares[1].share, 0.35, 1e-6);  // Q: 0.2 + 0.3*0.5
  EXPECT_NEAR(result.shares[2].share, 0.30, 1e-6);  // P
  auto owners = model.BeneficialOwners(0, 0.25);
  ASSERT_EQ(owners.shares.size(), 2u);
  EXPECT_TRUE(owners.shares[0].terminal);
  EXPECT_EQ(model.BeneficialOwners(0, 0.32).shares.size(), 1u);

  // Add the cycle: B is 10% held by C.
  edges.push_back({1, 0, kHolds, 0, 0.1f});
  CsrGraph cyclic = CsrBuilder::FromEdges(5, edges);
  OwnershipModel cyclic_model(cyclic, kHolds);
  auto looped = cyclic_model.IntegratedShares(0);
  ASSERT_TRUE(looped.converged);
  const auto want = ReferenceIntegrated(5, edges);
  for (const auto& share : looped.shares) EXPECT_NEAR(share.share, want[0][share.holder], 1e-6);
}

TEST(Ownership, ClosedCycleDoesNotConverge) {
  //   0 <--100%--> 1  (each holds all of the other)
  CsrGraph graph = CsrBuilder::FromEdges(
      2, std::vector<EdgeInput>{{0, 1, kHolds, 0, 1.0f}, {1, 0, kHolds, 0, 1.0f}});
  auto result = OwnershipModel(graph, kHolds).IntegratedShares(0, 0.0, 1e-10, 50);
  EXPECT_FALSE(result.converged);
}

TEST(Ownership, RandomGraphsWithCyclesMatchReference) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RandomGraphOptions options{.num_nodes = NodeId(2 + seed % 30),
                               .num_edges = std::size_t(seed * 5 % 80),
                               .num_labels = 3,
                               .self_loops = seed % 4 == 0,
                               .seed = seed};
    auto edges = RandomEdges(options);
    // Ratios of each company sum to at most 0.9, so every cycle leaks and the series converges.
    std::vector<double> total(options.num_nodes, 0.0);
    for (const auto& e : edges)
      if (e.label == kHolds) total[e.tail] += e.value;
    for (auto& e : edges)
      if (e.label == kHolds && total[e.tail] > 0.9) e.value = float(e.value * 0.9 / total[e.tail]);
    CsrGraph graph = CsrBuilder::FromEdges(options.num_nodes, edges);
    // Parallel edges are merged by the builder (first kept): the reference sees the same set.
    std::vector<EdgeInput> kept;
    for (EdgeIdx e = 0; e < graph.num_edges(); ++e)
      kept.push_back({graph.tail(e), graph.head(e), graph.label(e), 0, graph.value(e)});
    const auto want = ReferenceIntegrated(options.num_nodes, kept);
    OwnershipModel model(graph, kHolds);
    for (NodeId company = 0; company < options.num_nodes; ++company) {
      auto result = model.IntegratedShares(company);
      ASSERT_TRUE(result.converged);
      std::vector<double> got(options.num_nodes, 0.0);
      for (const auto& share : result.shares) got[share.holder] = share.share;
      for (NodeId holder = 0; holder < options.num_nodes; ++holder) {
        if (holder == company) continue;
        EXPECT_NEAR(got[holder], want[company][holder], 1e-6)
            << "seed " << seed << " company " << company << " holder " << holder;
      }
    }
  }
}

}  // namespace
}  // namespace cg
