// Benchmarks of measures propagation (issue 7 targets: full propagation at SF=1 <= 10 s on
// 2 cores, one update <= 1 ms median, one check <= 10 us) on a synthetic related-party graph
// of ~1M nodes with the default catalog. Run: build/dev/cg_bench_measures
// (CG_BENCH_NODES=3000000 for another size; CG_SOURCE_DIR=. to find the default catalog).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <random>

#include "core/labels.h"
#include "core/measures/propagate.h"
#include "graph/csr_builder.h"

namespace {

namespace ms = cg::core::measures;
using cg::core::EdgeLabel;
using cg::core::EntityKind;
using cg::core::OfficerRole;

struct Synthetic {
  cg::NodeId num_nodes = 0;
  std::vector<cg::EdgeInput> edges;
  std::vector<EntityKind> kinds;
  ms::TriggerInputs inputs;
};

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
  world.edges.reserve(std::size_t(enterprises) * 6);
  for (cg::NodeId company = 0; company < enterprises; ++company) {
    world.edges.push_back({company, person(), cg::Label(EdgeLabel::kLegalRep), 0, 0});
    for (int officer = 0; officer < 2; ++officer) {
      const OfficerRole role = OfficerRole(1 + rng() % 5);
      world.edges.push_back({company, person(), cg::Label(EdgeLabel::kOfficer), cg::Tag(role), 0});
    }
    const int holders = 1 + int(rng() % 2);
    for (int holder = 0; holder < holders; ++holder) {
      const cg::NodeId owner = rng() % 3 == 0 ? any_enterprise() : person();
      if (owner == company) continue;
      world.edges.push_back({company, owner, cg::Label(EdgeLabel::kShareholder), 0,
                             float(1 + rng() % 100) / 100.0f});
    }
    if (rng() % 10 < 3) {
      world.edges.push_back({company, person(), cg::Label(EdgeLabel::kController), 1, 0});
    }
    if (rng() % 20 == 0) {
      const cg::NodeId parent = any_enterprise();
      if (parent != company) world.edges.push_back({company, parent, cg::Label(EdgeLabel::kBranch), 0, 0});
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

// CG_BENCH_NODES overrides the size (default 1,000,000 nodes).
const Synthetic& World() {
  static const Synthetic world = [] {
    const char* nodes = std::getenv("CG_BENCH_NODES");
    return Make(nodes ? cg::NodeId(std::strtoul(nodes, nullptr, 10)) : 1'000'000, 7);
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
  auto engine = std::make_unique<ms::MeasureEngine>(
      DefaultCatalog(), cg::CsrBuilder::FromEdges(world.num_nodes, world.edges), world.kinds);
  engine->Propagate(world.inputs);
  return engine;
}

void BM_FullPropagation(benchmark::State& state) {
  const Synthetic& world = World();
  ms::MeasureEngine engine(DefaultCatalog(), cg::CsrBuilder::FromEdges(world.num_nodes, world.edges),
                           world.kinds);
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ms::TriggerInputs inputs = world.inputs;  // the copy is not part of propagation
    state.ResumeTiming();
    const double began = ProcessCpuSeconds();
    engine.Propagate(std::move(inputs));
    cpu += ProcessCpuSeconds() - began;
    benchmark::DoNotOptimize(engine.num_triggers());
  }
  state.counters["process_cpu_s"] = cpu / double(state.iterations());
  state.counters["nodes"] = double(world.num_nodes);
  state.counters["edges"] = double(world.edges.size());
  state.counters["triggers"] = double(world.inputs.lists.size() + world.inputs.penalties.size() +
                                      world.inputs.ratings.size());
  state.counters["restrictions"] = double(engine.num_restrictions());
}
BENCHMARK(BM_FullPropagation)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

ms::MeasureEngine& Shared() {
  static std::unique_ptr<ms::MeasureEngine> engine = Engine();
  return *engine;
}

// One update = a credit repair (removal date set or undone) on a random list entry.
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
