// Integrated (indirect, "beneficial") ownership with Eigen sparse matrices.
// A[c][h] = the value (ratio) of the edge c -> h of the ownership label: h holds A[c][h] of c.
// The integrated share of h in c sums, over every chain c -> ... -> h, the product of the
// ratios along it: row c of  A + A^2 + A^3 + ... = (I - A)^-1 - I.
// Source: Brioschi, Buzzacchi & Colombo (1989), "Risk capital financing and the separation of
// ownership and control in business groups" (integrated ownership); Vitali, Glattfelder &
// Battiston (2011), "The network of global corporate control", eq. for indirect holdings.
//
// The series is summed by iteration x_{k+1} = x_k A, starting from x_0 = e_c, restricted to the
// nodes actually reached (sparse vectors), until the mass ||x_k||_1 falls under `tolerance`.
// With every company's ratios summing to at most 1 and some share leaving each cycle the series
// converges geometrically; chains through ownership cycles are counted as often as they loop.
// Choices: a company whose stated ratios sum over 1 (bad data) has its row scaled to sum 1; a
// closed cycle that holds all of its own shares never converges: the iteration stops after
// `max_iterations` and reports converged = false (the shares are then partial sums).
#pragma once

#include <Eigen/SparseCore>

#include <cstddef>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg {

struct OwnershipShare {
  NodeId holder;
  double share;    // integrated share of holder in the company, summed over all chains
  double direct;   // the stated (direct) ratio, 0 when the holder holds only indirectly
  bool terminal;   // the holder has no holders of its own (an ultimate owner)
};

struct OwnershipResult {
  std::vector<OwnershipShare> shares;  // sorted by share, largest first, then holder
  int iterations = 0;
  bool converged = true;
};

class OwnershipModel {
 public:
  /// Builds A from the edges of `label` (O(m)).
  OwnershipModel(const CsrGraph& graph, Label label);

  /// Every holder of `company` with integrated share >= min_share (the company itself left out).
  OwnershipResult IntegratedShares(NodeId company, double min_share = 0.0,
                                   double tolerance = 1e-10, int max_iterations = 1000) const;

  /// Ultimate owners only (terminal holders) with integrated share >= min_share.
  OwnershipResult BeneficialOwners(NodeId company, double min_share = 0.25) const;

  NodeId num_nodes() const { return NodeId(transposed_.cols()); }

 private:
  // transposed_ = A^T, column-major: column c holds the ratios of c's holders, so a sparse
  // vector-matrix product x A is  A^T x  touching only the columns where x is non-zero.
  Eigen::SparseMatrix<double, Eigen::ColMajor, std::int64_t> transposed_;
  std::vector<bool> has_holders_;
};

}  // namespace cg
