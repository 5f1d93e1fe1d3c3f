// related_risk with Eigen sparse products (batch) and a local ball evaluation (one entity,
// incremental). See related_risk.h for why the two agree exactly.
#include "core/scoring/related_risk.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <Eigen/SparseCore>
#include <algorithm>
#include <atomic>
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

// The sums of RiskWith over the nonzeros only, row blocks in parallel. x_k is mostly zeros
// where few nodes are black-listed (2 % of the SF=0.1 province's), and the whole row-major
// matrix would cost 12 bytes an entry (~0.8 GB at SF=1). So each step marks x_k's nonzeros (the
// frontier) in a bitmap and the rows it reaches (its members' neighbours; the other rows of
// x_{k+1} are 0), and each block of rows builds, in a per-thread Eigen matrix reused from
// block to block, only its reached rows' entries in the frontier's columns: row u holds
// P(u, j) = 1/deg(u) for its neighbours j with x_j != 0, in ascending j (the same doubles the
// row-major matrix holds, in the same order); then Eigen's row-major product of the block with
// x_k. Each row sums exactly the nonzero terms of RiskWith's row sum, in the same order, from
// 0.0; the zero terms that sum also adds are +0.0, which leaves a non-negative sum unchanged:
// the result is RiskWith's bit for bit (tests compare them and the local evaluation). Blocks
// are independent (each writes its own rows of x_{k+1}), so a step runs on every core; the
// memory is x_k, x_{k+1}, r, the bitmap, a byte a node and one block's matrix per thread (the
// serial version before built the frontier's columns of P: up to 12 bytes an entry).
template <typename Index>
std::vector<double> RiskFrontier(const RelatedGraph& related, std::span<const std::uint8_t> seeds,
                                 double damping, int steps) {
  const NodeId n = related.num_nodes();
  Eigen::VectorXd current(n);
  Eigen::VectorXd next(n);
  std::vector<double> risk(n, 0.0);
  constexpr NodeId kBlock = 1 << 14;
  SetSeeds(seeds, kBlock, &current);
  std::vector<std::uint64_t> frontier((std::size_t(n) + 63) / 64, 0);
  std::vector<std::uint8_t> reached(n, 0);
  // neighbors() without the overlay lookup when there is no overlay (the batch's usual case).
  const std::span<const std::uint64_t> offsets = related.base_offsets();
  const std::span<const NodeId> adjacency = related.base_adjacency();
  const bool overlay = related.has_overlay();
  const auto around = [&](NodeId node) -> std::span<const NodeId> {
    if (overlay) return related.neighbors(node);
    if (std::size_t(node) + 1 >= offsets.size()) return {};
    return adjacency.subspan(offsets[node], offsets[node + 1] - offsets[node]);
  };
  tbb::enumerable_thread_specific<SparseRowMatrix<Index>> blocks;
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
                            bits |= std::uint64_t(current[Eigen::Index(node)] != 0.0)
                                    << (node - first);
                          }
                          frontier[word] = bits;
                        }
                      });
    // The rows the frontier reaches (its members' neighbours): the other rows of x_{k+1} are 0.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, reached.size(), kBlock),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        std::fill(reached.begin() + std::ptrdiff_t(range.begin()),
                                  reached.begin() + std::ptrdiff_t(range.end()), 0);
                      });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, frontier.size(), kBlock / 64),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t word = range.begin(); word < range.end(); ++word) {
                          for (std::uint64_t bits = frontier[word]; bits != 0; bits &= bits - 1) {
                            const NodeId member = NodeId(word * 64 + std::countr_zero(bits));
                            for (NodeId neighbor : around(member)) {
                              std::atomic_ref<std::uint8_t>(reached[neighbor])
                                  .store(1, std::memory_order_relaxed);
                            }
                          }
                        }
                      });
    tbb::parallel_for(
        tbb::blocked_range<NodeId>(0, n, kBlock), [&](const tbb::blocked_range<NodeId>& range) {
          const NodeId rows = range.end() - range.begin();
          SparseRowMatrix<Index>& block = blocks.local();
          std::size_t bound = 0;  // every neighbour of the block's reached rows
          for (NodeId node = range.begin(); node < range.end(); ++node) {
            if (reached[node]) bound += around(node).size();
          }
          block.resize(Index(rows), Index(n));
          block.resizeNonZeros(Index(bound));
          Index* outer = block.outerIndexPtr();
          Index* inner = block.innerIndexPtr();
          double* values = block.valuePtr();
          Index filled = 0;
          for (NodeId row = 0; row < rows; ++row) {
            outer[row] = filled;
            const NodeId node = range.begin() + row;
            if (!reached[node]) continue;
            const auto neighbors = around(node);
            const double weight = 1.0 / double(neighbors.size());
            for (NodeId neighbor : neighbors) {
              if ((frontier[neighbor / 64] >> (neighbor % 64) & 1) == 0) continue;
              inner[filled] = Index(neighbor);
              values[filled] = weight;
              ++filled;
            }
          }
          outer[rows] = filled;
          block.resizeNonZeros(filled);
          next.segment(range.begin(), rows).noalias() = block * current;
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
