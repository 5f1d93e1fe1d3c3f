// Graph kernels on a random heavy-tailed graph (graph/random_graph.h): parallel CSR build,
// 2-hop neighbourhood latency (median over random sources), BFS, connected components, save and
// load through the store, bytes per edge. Size: CG_BENCH_NODES (default 1M) nodes and
// 3 x that many edges; e.g. CG_BENCH_NODES=4000000 for a larger run.
//   cmake --build build/dev --target cg_bench_graph && ./build/dev/bench/cg_bench_graph
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <unistd.h>

#include "core/related/graph_io.h"
#include "graph/bfs.h"
#include "graph/components.h"
#include "graph/control.h"
#include "graph/csr_builder.h"
#include "graph/random_graph.h"
#include "graph/strong_components.h"

namespace {

cg::NodeId BenchNodes() {
  const char* text = std::getenv("CG_BENCH_NODES");
  return text ? cg::NodeId(std::atoll(text)) : cg::NodeId(1'000'000);
}

const std::vector<cg::EdgeInput>& Edges() {
  static const std::vector<cg::EdgeInput> edges = cg::RandomEdges(
      {.num_nodes = BenchNodes(), .num_edges = std::size_t(BenchNodes()) * 3, .num_labels = 6,
       .skew = 1.5, .seed = 42});
  return edges;
}

const cg::CsrGraph& Graph() {
  static const cg::CsrGraph graph = cg::CsrBuilder::FromEdges(BenchNodes(), Edges());
  return graph;
}

void BM_Build(benchmark::State& state) {
  const auto& edges = Edges();
  for (auto _ : state) {
    cg::CsrGraph graph = cg::CsrBuilder::FromEdges(BenchNodes(), edges);
    benchmark::DoNotOptimize(graph.num_edges());
  }
  const cg::CsrGraph& graph = Graph();
  state.counters["edges"] = double(graph.num_edges());
  state.counters["bytes_per_edge"] = double(graph.memory_bytes()) / double(graph.num_edges());
  state.counters["edges_per_s"] =
      benchmark::Counter(double(edges.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Build)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// Median latency of one 2-hop query (both directions, all labels) over 2000 random sources.
void BM_TwoHopMedian(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  std::mt19937 rng(7);
  std::vector<double> micros;
  std::size_t reached = 0;
  const cg::EdgeFilter filter{cg::kAllLabels, cg::Direction::kBoth};
  for (auto _ : state) {
    micros.clear();
    for (int query = 0; query < 2000; ++query) {
      const cg::NodeId source = rng() % graph.num_nodes();
      const auto start = std::chrono::steady_clock::now();
      auto hood = cg::KHopNeighborhood(graph, {&source, 1}, 2, filter);
      const auto stop = std::chrono::steady_clock::now();
      reached += hood.size();
      micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  state.counters["median_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["mean_nodes"] = double(reached) / double(2000 * state.iterations());
}
BENCHMARK(BM_TwoHopMedian)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_BfsWeak(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  std::size_t reached = 0;
  for (auto _ : state) {
    auto distance = cg::BfsDistances(graph, 0, {cg::kAllLabels, cg::Direction::kBoth});
    reached = std::count_if(distance.begin(), distance.end(),
                            [](std::uint32_t d) { return d != cg::kUnreached; });
  }
  state.counters["reached"] = double(reached);
}
BENCHMARK(BM_BfsWeak)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_Components(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  for (auto _ : state) {
    auto component = cg::ConnectedComponents(graph);
    benchmark::DoNotOptimize(component.data());
  }
}
BENCHMARK(BM_Components)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_StrongComponentsBgl(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  for (auto _ : state) benchmark::DoNotOptimize(cg::StrongComponents(graph, cg::LabelBit(2)).data());
}
BENCHMARK(BM_StrongComponentsBgl)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_DeriveControllers(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  for (auto _ : state) {
    auto result = cg::DeriveControllers(graph, 2, 0.5f);
    benchmark::DoNotOptimize(result.controller.data());
  }
}
BENCHMARK(BM_DeriveControllers)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// Save once, then time LoadGraph (read the chunks, checksum, cheap invariant checks).
void BM_LoadFromStore(benchmark::State& state) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cg_bench_graph_" + std::to_string(::getpid())))
                               .string();
  std::filesystem::remove_all(path);
  {
    auto store = cg::core::store::Store::Open(path);
    if (!store.ok() || !cg::core::related::SaveGraph(**store, Graph()).ok()) {
      state.SkipWithError("could not save the graph");
      return;
    }
  }
  auto store = cg::core::store::Store::Open(path, {.read_only = true});
  for (auto _ : state) {
    auto graph = cg::core::related::LoadGraph(**store);
    if (!graph.ok()) state.SkipWithError("load failed");
    benchmark::DoNotOptimize(graph->num_edges());
  }
  store->reset();
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_LoadFromStore)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
