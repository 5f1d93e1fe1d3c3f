// related_risk with Eigen sparse products (batch) and a local ball evaluation (one entity,
// incremental). See related_risk.h for why the two agree exactly.
#include "core/scoring/related_risk.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <Eigen/SparseCore>
#include <algorithm>
#include <bit>
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
void SetSeeds(std::span<const std::uint8_t> seeds, NodeId block, std::span<double> current) {
  const auto n = static_cast<NodeId>(current.size());
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n, block), [&](const tbb::blocked_range<NodeId>& range) {
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      current[node] = node < seeds.size() && seeds[node] ? 1.0 : 0.0;
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
  SetSeeds(seeds, kBlock, {current.data(), std::size_t(n)});
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

// The sums of RiskWith over the nonzeros only, in parallel. x_k is mostly zeros where few nodes
// are black-listed (2 % of the SF=0.1 province's), so a step pushes each nonzero x_j (the
// frontier, ascending j) into its neighbours' rows: next(u) += x_j · P(u, j) with
// P(u, j) = 1/deg(u), the double the row-major matrix holds. Row u thus receives exactly the
// nonzero terms of RiskWith's row sum, in the same ascending-j order, from 0.0; the zero terms
// that sum also adds are +0.0, which leaves a non-negative sum unchanged: the result is
// RiskWith's bit for bit (tests compare them and the local evaluation). The rows are split in
// as many ranges as threads, each range one task that walks the whole frontier in order and
// keeps the terms of its own rows: so every row still receives its terms in ascending j, the
// random reads and writes are split between the cores, and only the sequential walk of the
// frontier's lists is repeated. No matrix is built (the serial version before built the
// frontier's columns of P, 12 bytes an entry, on one core, and Eigen's sparse × sparse product
// into a dense vector is serial): the memory is x_k, x_{k+1}, r and a bitmap of the frontier.
std::vector<double> RiskFrontier(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                 double damping, int steps) {
  const NodeId n = related.num_nodes();
  std::vector<double> current(n);
  std::vector<double> next(n);
  std::vector<double> risk(n, 0.0);
  constexpr NodeId kBlock = 1 << 14;
  SetSeeds(seeds, kBlock, current);
  std::vector<std::uint64_t> frontier((std::size_t(n) + 63) / 64, 0);
  // neighbors() without the overlay lookup when there is no overlay (the batch's usual case).
  const std::span<const std::uint64_t> offsets = related.base_offsets();
  const std::span<const NodeId> adjacency = related.base_adjacency();
  const bool overlay = related.has_overlay();
  const auto around = [&](NodeId node) -> std::span<const NodeId> {
    if (overlay) return related.neighbors(node);
    if (std::size_t(node) + 1 >= offsets.size()) return {};
    return adjacency.subspan(offsets[node], offsets[node + 1] - offsets[node]);
  };
  const std::size_t parts =
      std::max<std::size_t>(1, std::size_t(tbb::this_task_arena::max_concurrency()));
  double factor = 1.0;
  for (int step = 1; step <= steps; ++step) {
    factor *= damping;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, frontier.size(), kBlock / 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t word = range.begin(); word < range.end(); ++word) {
                          const std::size_t first = word * 64;
                          const std::size_t last = std::min<std::size_t>(first + 64, n);
                          std::uint64_t bits = 0;
                          for (std::size_t node = first; node < last; ++node) {
                            bits |= std::uint64_t(current[node] != 0.0) << (node - first);
                          }
                          frontier[word] = bits;
                        }
                      });
    tbb::parallel_for(std::size_t(0), parts, [&](std::size_t part) {
      const NodeId low = NodeId(std::size_t(n) * part / parts);
      const NodeId high = NodeId(std::size_t(n) * (part + 1) / parts);
      std::fill(next.begin() + low, next.begin() + high, 0.0);
      for (std::size_t word = 0; word < frontier.size(); ++word) {
        for (std::uint64_t bits = frontier[word]; bits != 0; bits &= bits - 1) {
          const auto member = NodeId(word * 64 + std::size_t(std::countr_zero(bits)));
          const double value = current[member];
          for (NodeId neighbor : around(member)) {
            if (neighbor < low || neighbor >= high) continue;
            next[neighbor] += value * (1.0 / double(around(neighbor).size()));
          }
        }
      }
      for (NodeId node = low; node < high; ++node) risk[node] += factor * next[node];
    });
    current.swap(next);
  }
  return risk;
}

}  // namespace

std::vector<double> RelatedRiskAll(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                   double damping, int steps) {
  return RiskFrontier(related, seeds, damping, steps);
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
