// Random edge lists for the tests and benchmarks of graph/: uniform or heavy-tailed endpoints,
// a few labels, ratios in (0, 1]. Deterministic for a given seed (std::mt19937_64).
#pragma once

#include <cstdint>
#include <vector>

#include "graph/csr_builder.h"
#include "graph/types.h"

namespace cg {

struct RandomGraphOptions {
  NodeId num_nodes = 100;
  std::size_t num_edges = 300;
  int num_labels = 3;
  /// 0: uniform endpoints; > 0: endpoint = n * u^(1 + skew), a heavy-tailed degree distribution.
  double skew = 0.0;
  bool self_loops = false;
  std::uint64_t seed = 1;
  /// Fraction of the edges whose value is 0 (no value stored), like the labels that carry none.
  double zero_values = 0.0;
};

/// Random edges: tail, head, label in [0, num_labels), tag in [0, 4), value in (0, 1]
/// (or 0 for a `zero_values` fraction of them).
std::vector<EdgeInput> RandomEdges(const RandomGraphOptions& options);

}  // namespace cg
