// Integrated ownership by sparse power series (graph/ownership.h).
#include "graph/ownership.h"

#include <algorithm>
#include <cmath>

namespace cg {

OwnershipModel::OwnershipModel(const CsrGraph& graph, Label label)
    : has_holders_(graph.num_nodes(), false) {
  const NodeId n = graph.num_nodes();
  std::vector<Eigen::Triplet<double, std::int64_t>> triplets;
  for (NodeId company = 0; company < n; ++company) {
    double total = 0.0;
    std::size_t first = triplets.size();
    for (EdgeIdx e = graph.out_begin(company); e < graph.out_end(company); ++e) {
      if (graph.label(e) != label || !(graph.value(e) > 0.0f)) continue;
      total += graph.value(e);
      triplets.emplace_back(graph.head(e), company, graph.value(e));  // A^T[h][c] = A[c][h]
    }
    has_holders_[company] = triplets.size() > first;
    if (total > 1.0) {
      for (std::size_t i = first; i < triplets.size(); ++i) {
        triplets[i] = {triplets[i].row(), triplets[i].col(), triplets[i].value() / total};
      }
    }
  }
  transposed_.resize(n, n);
  transposed_.setFromTriplets(triplets.begin(), triplets.end());  // duplicates are summed
  transposed_.makeCompressed();
}

OwnershipResult OwnershipModel::IntegratedShares(NodeId company, double min_share,
                                                 double tolerance, int max_iterations) const {
  OwnershipResult result;
  if (company >= num_nodes()) return result;
  using Vector = Eigen::SparseVector<double, Eigen::ColMajor, std::int64_t>;
  Vector power(num_nodes());
  power.insert(company) = 1.0;
  Vector direct = transposed_ * power;
  Vector total(num_nodes());
  power = direct;
  for (result.iterations = 1;; ++result.iterations) {
    total += power;
    if (power.nonZeros() == 0 || power.sum() < tolerance) break;
    if (result.iterations >= max_iterations) {
      result.converged = false;
      break;
    }
    power = transposed_ * power;
    power.prune(tolerance * 1e-3, 1.0);  // drop dust so the support stays small
  }
  for (Vector::InnerIterator it(total); it; ++it) {
    const NodeId holder = NodeId(it.index());
    if (holder == company || it.value() < min_share || it.value() <= 0.0) continue;
    result.shares.push_back({holder, it.value(), direct.coeff(holder), !has_holders_[holder]});
  }
  std::sort(result.shares.begin(), result.shares.end(),
            [](const OwnershipShare& a, const OwnershipShare& b) {
              return a.share != b.share ? a.share > b.share : a.holder < b.holder;
            });
  return result;
}

OwnershipResult OwnershipModel::BeneficialOwners(NodeId company, double min_share) const {
  OwnershipResult result = IntegratedShares(company, min_share);
  std::erase_if(result.shares, [](const OwnershipShare& share) { return !share.terminal; });
  return result;
}

}  // namespace cg
