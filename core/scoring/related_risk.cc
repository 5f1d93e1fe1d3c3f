// related_risk with Eigen sparse products (batch) and a local ball evaluation (one entity,
// incremental). See related_risk.h for why the two agree exactly.
#include "core/scoring/related_risk.h"

#include <tbb/parallel_for.h>

#include <Eigen/SparseCore>
#include <algorithm>
#include <limits>
#include <optional>

#include "absl/container/flat_hash_map.h"

namespace cg::core::scoring {
namespace {

template <typename Index>
using SparseRowMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, Index>;

// P(u, j) = 1/deg(u) for each neighbour j of u, rows in ascending-neighbour order (parallel).
template <typename Index>
SparseRowMatrix<Index> TransitionMatrix(const RelatedGraph& related) {
  const NodeId n = related.num_nodes();
  SparseRowMatrix<Index> matrix(n, n);
  Index* outer = matrix.outerIndexPtr();
  outer[0] = 0;
  for (NodeId node = 0; node < n; ++node) outer[node + 1] = outer[node] + Index(related.degree(node));
  matrix.resizeNonZeros(outer[n]);
  Index* inner = matrix.innerIndexPtr();
  double* values = matrix.valuePtr();
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      auto neighbors = related.neighbors(node);
      const double weight = 1.0 / double(neighbors.size());
      Index position = outer[node];
      for (NodeId neighbor : neighbors) {
        inner[position] = Index(neighbor);
        values[position] = weight;
        ++position;
      }
    }
  });
  return matrix;
}

// x_0: 1 at the seeds, 0 elsewhere (seeds may be shorter than the vector).
void SetSeeds(std::span<const std::uint8_t> seeds, NodeId block, Eigen::VectorXd* current) {
  const NodeId n = static_cast<NodeId>(current->size());
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, block), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      (*current)[node] = node < seeds.size() && seeds[node] ? 1.0 : 0.0;
    }
  });
}

template <typename Index>
std::vector<double> RiskWith(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                             double damping, int steps) {
  const NodeId n = related.num_nodes();
  const SparseRowMatrix<Index> matrix = TransitionMatrix<Index>(related);
  Eigen::VectorXd current(n);
  Eigen::VectorXd next(n);
  std::vector<double> risk(n, 0.0);
  constexpr NodeId kBlock = 1 << 14;
  SetSeeds(seeds, kBlock, &current);
  double factor = 1.0;
  for (int step = 1; step <= steps; ++step) {
    factor *= damping;
    tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, kBlock),
                      [&](const tbb::blocked_range<NodeId>& range) {
                        const Eigen::Index begin = range.begin();
                        const Eigen::Index length = range.end() - range.begin();
                        next.segment(begin, length).noalias() =
                            matrix.middleRows(begin, length) * current;
                        for (NodeId node = range.begin(); node < range.end(); ++node) {
                          risk[node] += factor * next[node];
                        }
                      });
    current.swap(next);
  }
  return risk;
}

// The sums of RiskWith over the nonzeros only. x_k is sparse where few nodes are black-listed
// (2 % of the SF=0.1 province's), so a step is Eigen's sparse (by columns) × sparse vector
// product into a dense vector, over the columns of x_k's nonzeros (the frontier): P's columns
// j of the frontier (column j holds P(u, j) = 1/deg(u) for each neighbour u of j: the graph is
// undirected, so these rows are j's neighbours, ascending, and each value is the double the
// row-major matrix holds), the other columns left empty since x_j = 0 never reads them. Eigen
// pushes x_j·P(u, j) into next(u) for each nonzero x_j in ascending j, so row u receives exactly
// the nonzero terms of the row-major sum in the same ascending-j order, from 0.0; the zero terms
// that sum also adds are +0.0, which leaves a non-negative sum unchanged: the result is
// RiskWith's bit for bit (tests compare them and the local evaluation). Every step is a frontier
// step, however dense: the row-major matrix would cost 12 bytes an entry (~0.8 GB at SF=1) on
// top of the frontier's columns; a dense frontier is then serial (Eigen's sparse × sparse
// product is), at most the work of one row-major product.
template <typename Index>
std::vector<double> RiskFrontier(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                 double damping, int steps) {
  const NodeId n = related.num_nodes();
  std::vector<Index> degree(n);  // read at random below: one array, not the graph's lookups
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      degree[node] = Index(related.degree(node));
    }
  });
  Eigen::VectorXd current(n);
  Eigen::VectorXd next(n);
  std::vector<double> risk(n, 0.0);
  constexpr NodeId kBlock = 1 << 14;
  SetSeeds(seeds, kBlock, &current);
  Eigen::SparseMatrix<double, Eigen::ColMajor, Index> columns(n, n);
  Eigen::SparseVector<double, Eigen::ColMajor, Index> frontier(n);
  std::vector<NodeId> members;
  double factor = 1.0;
  for (int step = 1; step <= steps; ++step) {
    factor *= damping;
    // The frontier: current's nonzeros, ascending, and the entries their columns hold.
    members.clear();
    std::size_t work = 0;
    for (NodeId node = 0; node < n; ++node) {
      if (current[node] != 0.0) {
        members.push_back(node);
        work += std::size_t(degree[node]);
      }
    }
    frontier.setZero();
    frontier.reserve(Index(members.size()));
    for (NodeId node : members) frontier.insertBack(Index(node)) = current[node];
    // P's frontier columns (the others empty).
    columns.setZero();
    columns.resizeNonZeros(Index(work));
    Index* outer = columns.outerIndexPtr();
    Index* inner = columns.innerIndexPtr();
    double* values = columns.valuePtr();
    Index filled = 0;
    std::size_t member = 0;
    for (NodeId node = 0; node < n; ++node) {
      outer[node] = filled;
      if (member < members.size() && members[member] == node) {
        ++member;
        for (NodeId neighbor : related.neighbors(node)) {
          inner[filled] = Index(neighbor);
          values[filled] = 1.0 / double(degree[neighbor]);
          ++filled;
        }
      }
    }
    outer[n] = filled;
    tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, kBlock),
                      [&](const tbb::blocked_range<NodeId>& range) {
                        next.segment(range.begin(), range.end() - range.begin()).setZero();
                      });
    next += columns * frontier;  // dense += sparse × sparse: Eigen pushes column by column
    tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, kBlock),
                      [&](const tbb::blocked_range<NodeId>& range) {
                        for (NodeId node = range.begin(); node < range.end(); ++node) {
                          risk[node] += factor * next[node];
                        }
                      });
    current.swap(next);
  }
  return risk;
}

}  // namespace

std::vector<double> RelatedRiskAll(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                   double damping, int steps) {
  // 32-bit indices when they fit (half the index bytes the product reads), else 64-bit; the
  // same sums in the same order either way.
  const std::size_t nonzeros = 2 * related.num_undirected_edges();
  if (nonzeros < std::size_t(std::numeric_limits<std::int32_t>::max()) &&
      related.num_nodes() < NodeId(std::numeric_limits<std::int32_t>::max())) {
    return RiskFrontier<std::int32_t>(related, seeds, damping, steps);
  }
  return RiskFrontier<std::int64_t>(related, seeds, damping, steps);
}

std::vector<double> RelatedRiskAllRowMajor(const RelatedGraph& related,
                                           std::span<const std::uint8_t> seeds, double damping,
                                           int steps) {
  std::size_t nonzeros = 0;
  for (NodeId node = 0; node < related.num_nodes(); ++node) nonzeros += related.degree(node);
  if (nonzeros < std::size_t(std::numeric_limits<std::int32_t>::max()) &&
      related.num_nodes() < NodeId(std::numeric_limits<std::int32_t>::max())) {
    return RiskWith<std::int32_t>(related, seeds, damping, steps);
  }
  return RiskWith<std::int64_t>(related, seeds, damping, steps);
}

std::vector<NodeId> Ball(const RelatedGraph& related, std::span<const NodeId> sources, int radius) {
  absl::flat_hash_map<NodeId, int> distance;
  std::vector<NodeId> frontier;
  for (NodeId source : sources) {
    if (distance.emplace(source, 0).second) frontier.push_back(source);
  }
  std::vector<NodeId> ball = frontier;
  for (int hop = 1; hop <= radius && !frontier.empty(); ++hop) {
    std::vector<NodeId> next;
    for (NodeId node : frontier) {
      for (NodeId neighbor : related.neighbors(node)) {
        if (distance.emplace(neighbor, hop).second) next.push_back(neighbor);
      }
    }
    ball.insert(ball.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  std::sort(ball.begin(), ball.end());
  return ball;
}

std::vector<double> RelatedRiskLocal(const RelatedGraph& related,
                                     std::span<const NodeId> targets,
                                     const std::function<bool(NodeId)>& seed, double damping,
                                     int steps) {
  // Breadth-first ball of radius `steps`, remembering each node's distance to the targets.
  absl::flat_hash_map<NodeId, std::uint32_t> index;
  std::vector<NodeId> nodes;
  std::vector<int> distance;
  for (NodeId target : targets) {
    if (index.emplace(target, std::uint32_t(nodes.size())).second) {
      nodes.push_back(target);
      distance.push_back(0);
    }
  }
  std::size_t level_begin = 0;
  for (int hop = 1; hop <= steps; ++hop) {
    const std::size_t level_end = nodes.size();
    for (std::size_t position = level_begin; position < level_end; ++position) {
      for (NodeId neighbor : related.neighbors(nodes[position])) {
        if (index.emplace(neighbor, std::uint32_t(nodes.size())).second) {
          nodes.push_back(neighbor);
          distance.push_back(hop);
        }
      }
    }
    level_begin = level_end;
  }
  // x_k on the nodes within steps-k hops; nodes are ordered by distance, so a prefix.
  std::vector<double> current(nodes.size()), next(nodes.size(), 0.0);
  for (std::size_t position = 0; position < nodes.size(); ++position) {
    current[position] = seed(nodes[position]) ? 1.0 : 0.0;
  }
  std::vector<double> risk(targets.size(), 0.0);
  std::vector<double> target_risk(nodes.size(), 0.0);
  double factor = 1.0;
  for (int step = 1; step <= steps; ++step) {
    for (std::size_t position = 0; position < nodes.size() && distance[position] <= steps - step;
         ++position) {
      auto neighbors = related.neighbors(nodes[position]);
      const double weight = 1.0 / double(neighbors.size());
      double sum = 0.0;
      for (NodeId neighbor : neighbors) sum += weight * current[index.at(neighbor)];
      next[position] = sum;
    }
    factor *= damping;
    for (std::size_t position = 0; position < nodes.size() && distance[position] == 0; ++position) {
      target_risk[position] += factor * next[position];
    }
    std::swap(current, next);
  }
  for (std::size_t position = 0; position < targets.size(); ++position) {
    risk[position] = target_risk[index.at(targets[position])];
  }
  return risk;
}

}  // namespace cg::core::scoring
