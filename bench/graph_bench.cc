// Graph kernels: parallel CSR build, 2-hop neighbourhood latency (median over random sources),
// BFS, connected components, save and load through the store, bytes per edge.
// Two graph shapes (CG_BENCH_SHAPE):
//   random   (default) a random heavy-tailed graph (graph/random_graph.h): CG_BENCH_NODES
//            (default 1M) nodes and 3 x that many edges, 6 labels, every edge with a value.
//   province a synthetic province with the entity and relation mix measured on the generator's
//            SF=0.01 data (ProvinceEdges below), built by the real stage glue
//            (core/related BuildRelatedGraph: officer roles, derived controllers): CG_BENCH_NODES
//            (default 14M, the SF=1 shape) entities and about 1.27 edges per entity.
// The store for the load benchmark goes under CG_BENCH_DIR (default: the temp directory).
//   cmake --build build/dev --target cg_bench_graph && ./build/dev/bench/cg_bench_graph
//   CG_BENCH_SHAPE=province CG_BENCH_DIR=/work/scratch/graph ./build/dev/bench/cg_bench_graph
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string_view>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/province_shape.h"
#include "core/labels.h"
#include "core/record.h"
#include "core/related/graph_io.h"
#include "core/related/related_graph.h"
#include "graph/bfs.h"
#include "graph/components.h"
#include "graph/control.h"
#include "graph/csr_builder.h"
#include "graph/random_graph.h"
#include "graph/strong_components.h"

namespace {

namespace rel = cg::core::related;
using cg::core::EdgeLabel;
using cg::core::EntityKind;
using cg::core::OfficerRole;

bool ProvinceShape() {
  const char* text = std::getenv("CG_BENCH_SHAPE");
  return text != nullptr && std::string_view(text) == "province";
}

cg::NodeId BenchNodes() {
  const char* text = std::getenv("CG_BENCH_NODES");
  if (text != nullptr) return cg::NodeId(std::atoll(text));
  return ProvinceShape() ? cg::NodeId(14'000'000) : cg::NodeId(1'000'000);
}

// CPU seconds used by the whole process so far, every thread (user + system). On a shared,
// loaded machine the wall time says little; cpu_s / 2 is what two free cores would take at best.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Adds the per-iteration all-thread CPU figure to a benchmark's counters.
class CpuMeter {
 public:
  explicit CpuMeter(benchmark::State& state) : state_(state), start_(ProcessCpuSeconds()) {}
  ~CpuMeter() {
    if (state_.iterations() > 0) {
      state_.counters["cpu_s_all_threads"] =
          (ProcessCpuSeconds() - start_) / double(state_.iterations());
    }
  }

 private:
  benchmark::State& state_;
  double start_;
};

// The synthetic province of bench/province_shape.h (the SF=1 shape).
struct Province {
  std::vector<EntityKind> kinds;
  std::vector<rel::StatedEdge> edges;
};

Province ProvinceEdges(cg::NodeId n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  cg::bench::ProvinceShape shape = cg::bench::MakeProvinceShape(n, rng);
  return Province{std::move(shape.kinds), std::move(shape.edges)};
}

const Province& ProvinceInput() {
  static const Province province = ProvinceEdges(BenchNodes(), 42);
  return province;
}

// The graph every kernel benchmark walks.
const cg::CsrGraph& Graph() {
  static const cg::CsrGraph graph = [] {
    if (!ProvinceShape()) {
      return cg::CsrBuilder::FromEdges(
          BenchNodes(), cg::RandomEdges({.num_nodes = BenchNodes(),
                                         .num_edges = std::size_t(BenchNodes()) * 3,
                                         .num_labels = 6, .skew = 1.5, .seed = 42}));
    }
    auto built = rel::BuildRelatedGraph(ProvinceInput().kinds, ProvinceInput().edges);
    if (!built.ok()) std::abort();
    return std::move(built->graph);
  }();
  return graph;
}

// The graph's edges as builder input (for timing the CSR build alone).
const std::vector<cg::EdgeInput>& Edges() {
  static const std::vector<cg::EdgeInput> edges = [] {
    const cg::CsrGraph& graph = Graph();
    std::vector<cg::EdgeInput> result(graph.num_edges());
    for (cg::NodeId u = 0; u < graph.num_nodes(); ++u) {
      for (cg::EdgeIdx e = graph.out_begin(u); e < graph.out_end(u); ++e) {
        result[e] = {u, graph.head(e), graph.label(e), graph.tag(e), graph.value(e)};
      }
    }
    std::shuffle(result.begin(), result.end(), std::mt19937_64(3));  // input order is arbitrary
    return result;
  }();
  return edges;
}

// Memory of the graph, every array counted at its capacity: bytes per edge, per node, and the
// share of edges that carry a value.
void BM_Memory(benchmark::State& state) {
  const cg::CsrGraph& graph = Graph();
  for (auto _ : state) benchmark::DoNotOptimize(graph.memory_bytes());
  state.counters["nodes"] = double(graph.num_nodes());
  state.counters["edges"] = double(graph.num_edges());
  state.counters["bytes_per_edge"] = double(graph.memory_bytes()) / double(graph.num_edges());
  state.counters["valued_edges_pct"] =
      100.0 * double(graph.stored_values().size()) / double(graph.num_edges());
  // The layout before the compact values (one f32 per edge): 18 B per edge + 8 B per node.
  state.counters["old_layout_bytes_per_edge"] =
      (18.0 * double(graph.num_edges()) + 8.0 * double(graph.num_nodes() + 1)) /
      double(graph.num_edges());
}
BENCHMARK(BM_Memory)->Iterations(1);

// The whole graph stage's build in memory: stated edges -> officer-role edges, derived
// controllers (a holdings CSR + DeriveControllers), the final CSR (province shape only).
void BM_BuildRelated(benchmark::State& state) {
  if (!ProvinceShape()) {
    state.SkipWithError("province shape only (CG_BENCH_SHAPE=province)");
    return;
  }
  const Province& province = ProvinceInput();
  CpuMeter cpu(state);
  for (auto _ : state) {
    auto built = rel::BuildRelatedGraph(province.kinds, province.edges);
    benchmark::DoNotOptimize(built->graph.num_edges());
    state.counters["derived_controllers"] = double(built->derived_controllers);
  }
  state.counters["stated_edges"] = double(province.edges.size());
}
BENCHMARK(BM_BuildRelated)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

void BM_Build(benchmark::State& state) {
  const auto& edges = Edges();
  Graph();
  CpuMeter cpu(state);
  for (auto _ : state) {
    cg::CsrGraph graph = cg::CsrBuilder::FromEdges(Graph().num_nodes(), edges);
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
  CpuMeter cpu(state);
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
  CpuMeter cpu(state);
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
  const char* dir = std::getenv("CG_BENCH_DIR");
  const std::filesystem::path root = dir ? std::filesystem::path(dir)
                                         : std::filesystem::temp_directory_path();
  const std::string path = (root / ("cg_bench_graph_" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(path);
  {
    auto store = cg::core::store::Store::Open(path);
    if (!store.ok() || !cg::core::related::SaveGraph(**store, Graph()).ok()) {
      state.SkipWithError("could not save the graph");
      return;
    }
  }
  auto store = cg::core::store::Store::Open(path, {.read_only = true});
  {
    CpuMeter cpu(state);
    for (auto _ : state) {
      auto graph = cg::core::related::LoadGraph(**store);
      if (!graph.ok()) state.SkipWithError("load failed");
      benchmark::DoNotOptimize(graph->num_edges());
    }
  }
  state.counters["stored_MB"] =
      double(cg::core::related::SerializeGraph(Graph()).size()) / 1e6;
  store->reset();
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_LoadFromStore)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
