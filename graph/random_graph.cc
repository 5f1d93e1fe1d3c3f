// Random edge lists for tests and benchmarks (graph/random_graph.h).
#include "graph/random_graph.h"

#include <cmath>
#include <random>

namespace cg {

std::vector<EdgeInput> RandomEdges(const RandomGraphOptions& options) {
  std::vector<EdgeInput> edges;
  if (options.num_nodes == 0) return edges;
  edges.reserve(options.num_edges);
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double exponent = 1.0 + options.skew;
  auto pick = [&]() {
    const double u = options.skew > 0 ? std::pow(unit(rng), exponent) : unit(rng);
    NodeId node = NodeId(u * options.num_nodes);
    return node >= options.num_nodes ? options.num_nodes - 1 : node;
  };
  while (edges.size() < options.num_edges) {
    EdgeInput edge;
    edge.tail = pick();
    edge.head = options.skew > 0 ? NodeId(rng() % options.num_nodes) : pick();
    if (!options.self_loops && edge.tail == edge.head) {
      if (options.num_nodes == 1) break;
      continue;
    }
    edge.label = Label(rng() % std::uint64_t(options.num_labels));
    edge.tag = Tag(rng() % 4);
    edge.value = float(1.0 - unit(rng));  // (0, 1]
    if (options.zero_values > 0 && unit(rng) < options.zero_values) edge.value = 0.0f;
    edges.push_back(edge);
  }
  return edges;
}

}  // namespace cg
