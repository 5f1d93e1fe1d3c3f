// Benchmarks of measures propagation (issue 7 targets: full propagation at SF=1 <= 10 s on
// 2 cores, one update <= 1 ms median, one check <= 10 us), default catalog. Two shapes
// (CG_BENCH_SHAPE):
//   simple   (default) a synthetic related-party graph of CG_BENCH_NODES (default 1M) nodes,
//            ~1.9 edges and 0.14 triggers per node.
//   province the SF=1 shape: CG_BENCH_NODES (default 14M) entities with the entity and relation
//            mix of the generator (the same synthetic province as bench/graph_bench.cc, built by
//            the real stage glue core/related BuildRelatedGraph), and the trigger mix counted on
//            /work/data/sf0.1 scaled to SF=1 (ProvinceTriggers below: 12.6M trigger records).
// Run: CG_SOURCE_DIR=. build/dev/bench/cg_bench_measures
//      CG_BENCH_SHAPE=province CG_SOURCE_DIR=. build/dev/bench/cg_bench_measures
// CG_BENCH_ITERATIONS sets the full-propagation iterations (default 3; 1 for province: its
// inputs are moved in, not copied, to keep the peak memory at ~4 GB).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <random>
#include <string_view>

#include "bench/province_shape.h"
#include "core/labels.h"
#include "core/measures/graph_build.h"
#include "core/measures/propagate.h"
#include "core/related/related_graph.h"
#include "graph/csr_builder.h"

namespace {

namespace ms = cg::core::measures;
using cg::core::EdgeLabel;
using cg::core::EntityKind;
using cg::core::OfficerRole;

namespace rel = cg::core::related;

struct Synthetic {
  cg::NodeId num_nodes = 0;
  cg::CsrGraph graph;
  std::vector<EntityKind> kinds;
  ms::TriggerInputs inputs;
};

bool ProvinceShape() {
  const char* text = std::getenv("CG_BENCH_SHAPE");
  return text != nullptr && std::string_view(text) == "province";
}

/// ~40% enterprises, 60% persons; each enterprise has a legal representative (persons drawn
/// with a heavy tail, so some represent many companies), two officers, one or two
/// shareholders, 30% a controller, 5% a branch parent. Triggers: 2% of entities on a list,
/// tax ratings for a quarter of enterprises (5% D, 20% A), serious/general penalties.
Synthetic Make(cg::NodeId num_nodes, std::uint64_t seed) {
  Synthetic world;
  world.num_nodes = num_nodes;
  std::mt19937_64 rng(seed);
  const cg::NodeId enterprises = num_nodes * 2 / 5;
  const cg::NodeId persons = num_nodes - enterprises;
  world.kinds.assign(num_nodes, EntityKind::kPerson);
  for (cg::NodeId node = 0; node < enterprises; ++node) world.kinds[node] = EntityKind::kEnterprise;
  auto person = [&] {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return cg::NodeId(enterprises + cg::NodeId(persons * u * u));
  };
  auto any_enterprise = [&] { return cg::NodeId(rng() % enterprises); };
  const cg::Date base = *cg::core::ParseDate("2019-01-01");
  std::vector<cg::EdgeInput> edges;
  edges.reserve(std::size_t(enterprises) * 6);
  for (cg::NodeId company = 0; company < enterprises; ++company) {
    edges.push_back({company, person(), cg::Label(EdgeLabel::kLegalRep), 0, 0});
    for (int officer = 0; officer < 2; ++officer) {
      const OfficerRole role = OfficerRole(1 + rng() % 5);
      edges.push_back({company, person(), cg::Label(EdgeLabel::kOfficer), cg::Tag(role), 0});
    }
    const int holders = 1 + int(rng() % 2);
    for (int holder = 0; holder < holders; ++holder) {
      const cg::NodeId owner = rng() % 3 == 0 ? any_enterprise() : person();
      if (owner == company) continue;
      edges.push_back({company, owner, cg::Label(EdgeLabel::kShareholder), 0,
                             float(1 + rng() % 100) / 100.0f});
    }
    if (rng() % 10 < 3) {
      edges.push_back({company, person(), cg::Label(EdgeLabel::kController), 1, 0});
    }
    if (rng() % 20 == 0) {
      const cg::NodeId parent = any_enterprise();
      if (parent != company) edges.push_back({company, parent, cg::Label(EdgeLabel::kBranch), 0, 0});
    }
  }
  const char* kLists[] = {"court_dishonest_debtor", "tax_major_violation", "amr_abnormal_operation",
                          "amr_serious_illegal", "env_serious", "tax_a", "contract_honoring"};
  for (cg::NodeId index = 0; index < num_nodes / 50; ++index) {
    ms::ListEntry entry;
    entry.subject = rng() % 4 == 0 ? person() : any_enterprise();
    entry.list = kLists[rng() % 7];
    entry.listed_on = base + cg::Date(rng() % 2000);
    if (rng() % 3 == 0) entry.removed_on = entry.listed_on + cg::Date(rng() % 1500);
    entry.disputed = rng() % 50 == 0;
    entry.source = "lists";
    entry.rid = "L" + std::to_string(index);
    world.inputs.lists.push_back(std::move(entry));
  }
  for (cg::NodeId index = 0; index < enterprises / 4; ++index) {
    const int roll = int(rng() % 100);
    world.inputs.ratings.push_back({any_enterprise(), "tax", roll < 5 ? "D" : roll < 25 ? "A" : "B",
                                    base + cg::Date(365 * (rng() % 6)), "tax",
                                    "T" + std::to_string(index)});
  }
  for (cg::NodeId index = 0; index < num_nodes / 50; ++index) {
    world.inputs.penalties.push_back({any_enterprise(),
                                      rng() % 4 == 0 ? cg::core::Severity::kSerious
                                                     : cg::core::Severity::kGeneral,
                                      rng() % 2 ? "market" : "environment",
                                      base + cg::Date(rng() % 2000), "penalties",
                                      "P" + std::to_string(index)});
  }
  world.graph = cg::CsrBuilder::FromEdges(num_nodes, edges);
  return world;
}

// The SF=1 shape. Entities and relations: the synthetic province of bench/graph_bench.cc
// (mix measured on /work/data/sf0.01: 58.65 % persons, 27.86 % individual businesses,
// 13.20 % enterprises, 0.29 % organizations; legal representatives, 2-5 officers with roles,
// shareholders, branches, guarantees; heavy-tailed people and parents; ids a random
// permutation), built by BuildRelatedGraph (officer roles legal_rep/controller, derived
// controllers). Triggers, counted on /work/data/sf0.1 and scaled x10 (SF=1) for 14M nodes,
// proportionally for other sizes: 1.26M list entries (amr_lists 79k, court_dishonest 25k,
// tax_lists 18k, rst 2.8k, sthjt 2.1k at SF=0.1), 1.64M penalties (amr 66k + xzcf 98k),
// 8.5M tax ratings (grades A 23.5 %, B 53 %, C 5.4 %, D 2.4 %, M 15 %; 1-4 yearly ratings per
// subject: 42/34/19/4 %) and 1.16M environment ratings.
Synthetic Province(cg::NodeId n, std::uint64_t seed) {
  Synthetic world;
  world.num_nodes = n;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  cg::bench::ProvinceShape shape = cg::bench::MakeProvinceShape(n, rng);
  world.kinds = std::move(shape.kinds);
  {
    auto built = rel::BuildRelatedGraph(world.kinds, shape.edges);
    if (!built.ok()) {
      std::fprintf(stderr, "%s\n", std::string(built.status().message()).c_str());
      std::abort();
    }
    world.graph = std::move(built->graph);
    std::vector<rel::StatedEdge>().swap(shape.edges);
  }
  const std::vector<cg::NodeId>& id = shape.id;
  const cg::NodeId enterprises = shape.enterprises, persons = shape.persons, person0 = shape.person0;
  // Triggers. Subjects: organizations-like (enterprise, organization, individual business) by
  // rank, or persons; uniform (violations are not concentrated on the heavy-tailed agents).
  const double scale = double(n) / 14'000'000.0;
  auto organization = [&] { return id[rng() % person0]; };
  auto company = [&] { return id[rng() % enterprises]; };
  auto any_person = [&] { return id[person0 + rng() % persons]; };
  const cg::Date base = *cg::core::ParseDate("2019-01-01");
  auto& lists = world.inputs.lists;
  const auto num_lists = std::size_t(1'260'000 * scale);
  lists.reserve(num_lists);
  for (std::size_t index = 0; index < num_lists; ++index) {
    ms::ListEntry entry;
    const double u = unit(rng);
    // amr 63 %: abnormal operation (60 %) and serious illegal (3 %); court 20 % (persons half);
    // tax 14 %: major violation (7 %) and A-list (7 %); social security 2 %; environment 1 %.
    if (u < 0.60) {
      entry.list = "amr_abnormal_operation";
      entry.subject = organization();
    } else if (u < 0.63) {
      entry.list = "amr_serious_illegal";
      entry.subject = company();
    } else if (u < 0.83) {
      entry.list = "court_dishonest_debtor";
      entry.subject = unit(rng) < 0.5 ? any_person() : organization();
    } else if (u < 0.90) {
      entry.list = "tax_major_violation";
      entry.subject = organization();
    } else if (u < 0.97) {
      entry.list = "tax_a";
      entry.subject = company();
    } else if (u < 0.99) {
      entry.list = "labor_wage_arrears";
      entry.subject = organization();
    } else {
      entry.list = "env_serious";
      entry.subject = company();
    }
    entry.listed_on = base + cg::Date(rng() % 2400);
    if (rng() % 3 == 0) entry.removed_on = entry.listed_on + cg::Date(rng() % 1500);
    entry.disputed = rng() % 100 == 0;
    entry.source = u < 0.63 ? "amr_lists" : u < 0.83 ? "court_dishonest" : "tax_lists";
    entry.rid = "LS" + std::to_string(100000000 + index);
    lists.push_back(std::move(entry));
  }
  auto& penalties = world.inputs.penalties;
  const auto num_penalties = std::size_t(1'640'000 * scale);
  penalties.reserve(num_penalties);
  const char* kDomains[] = {"market", "environment", "safety", "tax", "quality"};
  for (std::size_t index = 0; index < num_penalties; ++index) {
    penalties.push_back({organization(),
                         rng() % 10 == 0 ? cg::core::Severity::kSerious : cg::core::Severity::kGeneral,
                         kDomains[rng() % 5], base + cg::Date(rng() % 2400),
                         index % 5 < 2 ? "amr_penalties" : "xzcf_penalties",
                         "XZCF" + std::to_string(1000000000 + index)});
  }
  auto& ratings = world.inputs.ratings;
  const auto num_tax = std::size_t(8'500'000 * scale);
  const auto num_env = std::size_t(1'160'000 * scale);
  ratings.reserve(num_tax + num_env);
  std::size_t serial = 0;
  auto rate = [&](const char* scheme, std::size_t count, auto&& grade) {
    for (std::size_t made = 0; made < count;) {
      const double u = unit(rng);
      const int years = u < 0.42 ? 1 : u < 0.76 ? 2 : u < 0.95 ? 3 : 4;
      const cg::NodeId subject = organization();
      const int first = int(rng() % (7 - years));
      for (int year = 0; year < years && made < count; ++year, ++made) {
        ratings.push_back({subject, scheme, grade(),
                           base + cg::Date(365 * (first + year) + 100), scheme,
                           "TR" + std::to_string(100000000 + serial++) + "-" +
                               std::to_string(2019 + first + year)});
      }
    }
  };
  rate("tax", num_tax, [&]() -> std::string {
    const double u = unit(rng);
    return u < 0.235 ? "A" : u < 0.765 ? "B" : u < 0.819 ? "C" : u < 0.843 ? "D" : "M";
  });
  rate("environment", num_env, [&]() -> std::string {
    const double u = unit(rng);
    return u < 0.3 ? "green" : u < 0.8 ? "blue" : u < 0.95 ? "yellow" : "red";
  });
  return world;
}

ms::Catalog DefaultCatalog() {
  const char* dir = std::getenv("CG_SOURCE_DIR");
  auto catalog = ms::LoadCatalog(std::string(dir ? dir : ".") + "/datasets/measures/default.yaml");
  if (!catalog.ok()) {
    std::fprintf(stderr, "%s\n", std::string(catalog.status().message()).c_str());
    std::abort();
  }
  return *catalog;
}

// CG_BENCH_NODES overrides the size (default 1,000,000 nodes; 14,000,000 for province).
Synthetic& World() {
  static Synthetic world = [] {
    const char* nodes = std::getenv("CG_BENCH_NODES");
    const cg::NodeId count = nodes != nullptr ? cg::NodeId(std::strtoul(nodes, nullptr, 10))
                             : ProvinceShape() ? 14'000'000
                                               : 1'000'000;
    return ProvinceShape() ? Province(count, 42) : Make(count, 7);
  }();
  return world;
}

// CPU seconds of the whole process (all threads): the machine is shared, wall time is not.
double ProcessCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

std::unique_ptr<ms::MeasureEngine> Engine() {
  const Synthetic& world = World();
  auto engine = std::make_unique<ms::MeasureEngine>(DefaultCatalog(), world.graph, world.kinds);
  engine->Propagate(world.inputs);
  return engine;
}

std::unique_ptr<ms::MeasureEngine>& SharedSlot() {
  static std::unique_ptr<ms::MeasureEngine> engine;
  return engine;
}

// The CSR of the engine from edge records: CsrBuilder::FromEdges (atomic scatters) and
// core/measures/graph_build.h's grouping (what the Python binding uses). The records are the
// world graph's edges.
template <bool kGrouped>
void BM_GraphBuild(benchmark::State& state) {
  const Synthetic& world = World();
  std::vector<cg::EdgeInput> edges;
  edges.reserve(world.graph.num_edges());
  for (cg::NodeId tail = 0; tail < world.graph.num_nodes(); ++tail) {
    for (cg::EdgeIdx edge = world.graph.out_begin(tail); edge < world.graph.out_end(tail); ++edge) {
      edges.push_back({tail, world.graph.head(edge), world.graph.label(edge), world.graph.tag(edge),
                       world.graph.value(edge)});
    }
  }
  // In a shuffled order, as from a table (a CSR's own order would favour both builders).
  std::shuffle(edges.begin(), edges.end(), std::mt19937_64(13));
  double cpu = 0;
  for (auto _ : state) {
    const double began = ProcessCpuSeconds();
    const cg::CsrGraph graph = kGrouped ? ms::BuildGraphKeepFirst(world.graph.num_nodes(), edges)
                                        : cg::CsrBuilder::FromEdges(world.graph.num_nodes(), edges);
    cpu += ProcessCpuSeconds() - began;
    benchmark::DoNotOptimize(graph.num_edges());
  }
  state.counters["process_cpu_s"] = cpu / double(state.iterations());
  state.counters["edges"] = double(edges.size());
}
BENCHMARK_TEMPLATE(BM_GraphBuild, true)->Name("BM_GraphBuildGrouped")
    ->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK_TEMPLATE(BM_GraphBuild, false)->Name("BM_GraphBuildCsrBuilder")
    ->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The catalog's distinct pattern steps, as MeasureEngine compiles them.
std::vector<cg::PatternStep> CatalogSteps(const ms::Catalog& catalog) {
  std::vector<cg::PatternStep> steps;
  for (const ms::Measure& measure : catalog.measures) {
    for (const ms::Reach& reach : measure.reach) {
      for (const cg::PatternStep& step : reach.pattern.steps) {
        if (std::none_of(steps.begin(), steps.end(), [&](const cg::PatternStep& other) {
              return ms::SameStep(other, step);
            })) {
          steps.push_back(step);
        }
      }
    }
  }
  return steps;
}

// The step index build of the engine's constructor (Build: per node from the CSR's order,
// parallel) and the scatter build it replaced (edge by edge, then each run sorted). Runs
// before BM_FullPropagation (which moves the province graph into its engine).
template <bool kScatter>
void BM_StepIndexBuild(benchmark::State& state) {
  const Synthetic& world = World();
  const std::vector<cg::PatternStep> steps = CatalogSteps(DefaultCatalog());
  double cpu = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const double began = ProcessCpuSeconds();
    const ms::StepIndex index = kScatter ? ms::StepIndex::BuildByScatter(world.graph, steps)
                                         : ms::StepIndex::Build(world.graph, steps);
    cpu += ProcessCpuSeconds() - began;
    bytes = index.memory_bytes();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["process_cpu_s"] = cpu / double(state.iterations());
  state.counters["steps"] = double(steps.size());
  state.counters["index_mb"] = double(bytes) / 1e6;
}
BENCHMARK_TEMPLATE(BM_StepIndexBuild, false)->Name("BM_StepIndexBuild")
    ->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK_TEMPLATE(BM_StepIndexBuild, true)->Name("BM_StepIndexBuildByScatter")
    ->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The last iteration moves the penalties and ratings in instead of copying them, and the
// province shape moves the graph into the engine (memory: SF=1 inputs are ~2 GB); the engine
// then serves the update and check benchmarks.
void BM_FullPropagation(benchmark::State& state) {
  Synthetic& world = World();
  const std::size_t num_triggers =
      world.inputs.lists.size() + world.inputs.penalties.size() + world.inputs.ratings.size();
  const std::size_t num_edges = world.graph.num_edges();
  auto engine = std::make_unique<ms::MeasureEngine>(
      DefaultCatalog(), ProvinceShape() ? std::move(world.graph) : world.graph, world.kinds);
  double cpu = 0;
  std::int64_t iteration = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ms::TriggerInputs inputs;  // the copy is not part of propagation
    inputs.lists = world.inputs.lists;
    if (++iteration == state.max_iterations) {
      inputs.penalties = std::move(world.inputs.penalties);
      inputs.ratings = std::move(world.inputs.ratings);
    } else {
      inputs.penalties = world.inputs.penalties;
      inputs.ratings = world.inputs.ratings;
    }
    state.ResumeTiming();
    const double began = ProcessCpuSeconds();
    engine->Propagate(std::move(inputs));
    cpu += ProcessCpuSeconds() - began;
    benchmark::DoNotOptimize(engine->num_triggers());
  }
  state.counters["process_cpu_s"] = cpu / double(state.iterations());
  state.counters["nodes"] = double(world.num_nodes);
  state.counters["edges"] = double(num_edges);
  state.counters["triggers"] = double(num_triggers);
  state.counters["restrictions"] = double(engine->num_restrictions());
  SharedSlot() = std::move(engine);
}
int FullIterations() {
  const char* text = std::getenv("CG_BENCH_ITERATIONS");
  return text != nullptr ? std::atoi(text) : ProvinceShape() ? 1 : 3;
}
BENCHMARK(BM_FullPropagation)->Unit(benchmark::kMillisecond)->Iterations(FullIterations())
    ->UseRealTime();

ms::MeasureEngine& Shared() {
  if (!SharedSlot()) SharedSlot() = Engine();
  return *SharedSlot();
}

// One update = a credit repair (removal date set or undone) on a random list entry.
// The first updates after a full propagation (one iteration, right after
// BM_FullPropagation): a credit repair, a new list entry (a new group: the arrays grow), a new
// relation. Each must cost what a later one does: nothing is built or reallocated on the first
// (the groups-by-subject index is made by the full propagation; the arrays updates append to
// have head room). Counters in microseconds.
void BM_FirstUpdatesAfterPropagation(benchmark::State& state) {
  ms::MeasureEngine& engine = Shared();
  const Synthetic& world = World();
  using Clock = std::chrono::steady_clock;
  auto micros = [](Clock::time_point from) {
    return std::chrono::duration<double, std::micro>(Clock::now() - from).count();
  };
  for (auto _ : state) {
    const ms::ListEntry& entry = world.inputs.lists[world.inputs.lists.size() / 2];
    auto began = Clock::now();
    benchmark::DoNotOptimize(engine.SetRemoved(entry.source, entry.rid, entry.listed_on + 100).ok());
    state.counters["repair_us"] = micros(began);
    ms::ListEntry added = entry;
    added.rid = "first-update-bench";
    began = Clock::now();
    engine.AddListEntry(std::move(added));
    state.counters["new_entry_us"] = micros(began);
    const cg::NodeId enterprises = world.num_nodes * 2 / 5;
    const cg::EdgeInput edge{enterprises / 3, enterprises + 7, cg::Label(EdgeLabel::kOfficer),
                             cg::Tag(OfficerRole::kDirector), 0};
    began = Clock::now();
    benchmark::DoNotOptimize(engine.AddEdge(edge).ok());
    state.counters["new_edge_us"] = micros(began);
  }
}
BENCHMARK(BM_FirstUpdatesAfterPropagation)->Unit(benchmark::kMicrosecond)->Iterations(1);

void BM_OneUpdateCreditRepair(benchmark::State& state) {
  ms::MeasureEngine& engine = Shared();
  const Synthetic& world = World();
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    const ms::ListEntry& entry = world.inputs.lists[rng() % world.inputs.lists.size()];
    const cg::Date removed = rng() % 2 ? entry.listed_on + 100 : entry.removed_on;
    benchmark::DoNotOptimize(engine.SetRemoved(entry.source, entry.rid, removed).ok());
  }
}
BENCHMARK(BM_OneUpdateCreditRepair)->Unit(benchmark::kMicrosecond)->Repetitions(5)
    ->ReportAggregatesOnly(true);

// One update = a new relation (an officer edge) between random nodes.
void BM_OneUpdateNewEdge(benchmark::State& state) {
  ms::MeasureEngine& engine = Shared();
  const Synthetic& world = World();
  std::mt19937_64 rng(5);
  const cg::NodeId enterprises = world.num_nodes * 2 / 5;
  for (auto _ : state) {
    const cg::EdgeInput edge{cg::NodeId(rng() % enterprises),
                             cg::NodeId(enterprises + rng() % (world.num_nodes - enterprises)),
                             cg::Label(EdgeLabel::kOfficer), cg::Tag(OfficerRole::kDirector), 0};
    benchmark::DoNotOptimize(engine.AddEdge(edge).ok());
  }
}
BENCHMARK(BM_OneUpdateNewEdge)->Unit(benchmark::kMicrosecond)->Iterations(2000)->Repetitions(3)
    ->ReportAggregatesOnly(true);

void BM_OneCheck(benchmark::State& state) {
  ms::MeasureEngine& engine = Shared();
  std::mt19937_64 rng(9);
  const cg::Date date = *cg::core::ParseDate("2022-06-01");
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine.Check(cg::NodeId(rng() % engine.num_nodes()), "consumption", date));
  }
}
BENCHMARK(BM_OneCheck)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
