// Google Benchmark for core/scoring: batch scoring of every organization with the default
// model (related_risk included), related_risk alone (Eigen sparse products), one entity alone.
// Synthetic province: N organizations, N/2 persons, ~1.6 dated facts and ~2 related-party edges
// per organization. Run:  build/dev/cg_bench_scoring --benchmark_filter=. (N = the argument)
// SF=1 size (about 14M organizations; ~4.5 GB, generation ~1-2 min), three batches, with the
// process CPU seconds per batch (all threads):
//   CG_BENCH_SCORING_ORGS=14000000 build/dev/cg_bench_scoring --benchmark_filter=BM_BatchScoreLarge
// GCC 12 reports a false -Wrestrict inside std::string assignment here (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"

#include <benchmark/benchmark.h>

#include <atomic>
#include <ctime>
#include <cstdlib>
#include <random>

#include "absl/strings/str_cat.h"
#include "core/date.h"
#include "core/labels.h"
#include "core/scoring/model.h"
#include "core/scoring/related_risk.h"
#include "core/scoring/scorer.h"
#include "graph/csr_builder.h"

namespace {

using namespace cg;                 // NOLINT: benchmark file, not a header
using namespace cg::core;           // NOLINT
using namespace cg::core::scoring;  // NOLINT

const Date kAsOf = *ParseDate("2025-06-30");

ScoringInput MakeProvince(NodeId organizations, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](std::uint64_t bound) { return rng() % bound; };
  const NodeId persons = organizations / 2;
  const NodeId n = organizations + persons;
  ScoringParams params;
  params.escalations.push_back({"amr_abnormal_operation", Period{3, 0, 0}, "amr_serious_illegal"});
  ScoringInput input(params);
  const auto& lists = KnownLists();
  std::vector<EdgeInput> edges;
  edges.reserve(std::size_t(organizations) * 2);
  int serial = 0;
  for (NodeId org = 0; org < organizations; ++org) {
    Record registry;
    registry.kind = RecordKind::kRegistry;
    registry.subject.kind = EntityKind(1 + pick(3));
    registry.est_date = pick(20) ? Date(kAsOf - Date(pick(10000))) : kNoDate;
    input.Add(registry, org);
    auto add = [&](Record record) {
      record.source = "s";
      record.rid = absl::StrCat("r", serial++);
      input.Add(record, org);
    };
    if (pick(100) < 15) {
      Record record;
      record.kind = RecordKind::kList;
      record.list = std::string(lists[pick(lists.size())].code);
      record.listed_on = Date(kAsOf - Date(pick(3000)));
      if (pick(3) == 0) record.removed_on = record.listed_on + Date(pick(2000));
      record.disputed = pick(20) == 0;
      add(record);
    }
    if (pick(100) < 30) {
      Record record;
      record.kind = RecordKind::kPenalty;
      record.severity = Severity(1 + pick(3));
      record.decided_on = Date(kAsOf - Date(pick(2500)));
      record.domain = "market";
      add(record);
    }
    if (pick(100) < 50) {
      Record record;
      record.kind = RecordKind::kLicense;
      record.granted_on = Date(kAsOf - Date(pick(3000)));
      if (pick(2)) record.valid_until = record.granted_on + Date(pick(3000));
      add(record);
    }
    if (pick(100) < 20) {
      Record record;
      record.kind = RecordKind::kCommitment;
      record.made_on = Date(kAsOf - Date(pick(1500)));
      record.commitment_status = CommitmentStatus(1 + pick(3));
      add(record);
    }
    if (pick(100) < 50) {
      Record record;
      record.kind = RecordKind::kRating;
      record.scheme = "tax";
      static const char* const kGradeNames[] = {"A", "B", "M", "C", "D"};
      record.grade = kGradeNames[pick(5)];
      record.rated_on = Date(kAsOf - Date(pick(1500)));
      add(record);
    }
    edges.push_back({org, NodeId(organizations + pick(persons)), Label(EdgeLabel::kLegalRep)});
    if (pick(2)) edges.push_back({org, NodeId(organizations + pick(persons)), Label(EdgeLabel::kOfficer)});
    if (pick(3) == 0) edges.push_back({org, NodeId(pick(n)), Label(EdgeLabel::kShareholder)});
  }
  for (NodeId person = organizations; person < n; ++person) {
    Record registry;
    registry.kind = RecordKind::kPerson;
    registry.subject.kind = EntityKind::kPerson;
    input.Add(registry, person);
    if (pick(100) < 3) {
      Record record;
      record.kind = RecordKind::kList;
      record.source = "court";
      record.rid = absl::StrCat("r", serial++);
      record.list = "court_dishonest_debtor";
      record.listed_on = Date(kAsOf - Date(pick(1500)));
      input.Add(record, person);
    }
  }
  input.SetRelatedGraph(CsrBuilder::FromEdges(n, edges));
  return input;
}

Model DefaultModel() {
  const char* root = std::getenv("CG_SOURCE_DIR");
  auto model = LoadModel(std::string(root ? root : ".") + "/datasets/scoring/default.yaml");
  if (!model.ok()) std::abort();
  return *model;
}

void BM_BatchScore(benchmark::State& state) {
  Scorer scorer(DefaultModel(), MakeProvince(NodeId(state.range(0)), 1), kAsOf);
  for (auto _ : state) {
    scorer.ScoreAll();
    benchmark::DoNotOptimize(scorer.table().score.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BatchScore)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The batch at a size given by CG_BENCH_SCORING_ORGS (not run otherwise): three batches on one
// scorer (generation is not timed), and the process CPU seconds per batch (every thread).
void BM_BatchScoreLarge(benchmark::State& state) {
  Scorer scorer(DefaultModel(), MakeProvince(NodeId(state.range(0)), 1), kAsOf);
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    scorer.ScoreAll();
    benchmark::DoNotOptimize(scorer.table().score.data());
  }
  state.counters["cpu_s_per_batch"] = double(std::clock() - cpu_start) / CLOCKS_PER_SEC /
                                      double(state.iterations());
  state.counters["nodes"] = double(scorer.input().num_nodes());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// The same batch as the engine's score stage runs it: rows handed over in chunks of 4096
// (Scorer::ScoreAllChunked) instead of a table of every organization's values (~1.9 GB at
// 14M organizations); the sink only reads each chunk's scores.
void BM_BatchScoreLargeChunked(benchmark::State& state) {
  Scorer scorer(DefaultModel(), MakeProvince(NodeId(state.range(0)), 1), kAsOf);
  const std::clock_t cpu_start = std::clock();
  std::atomic<double> total{0};
  for (auto _ : state) {
    scorer.ScoreAllChunked(4096, [&](std::size_t, const ScoreTable& rows) {
      double sum = 0;
      for (double score : rows.score) sum += score;
      total.fetch_add(sum);
    });
    benchmark::DoNotOptimize(total.load());
  }
  state.counters["cpu_s_per_batch"] = double(std::clock() - cpu_start) / CLOCKS_PER_SEC /
                                      double(state.iterations());
  state.counters["nodes"] = double(scorer.input().num_nodes());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void LargeSizes(benchmark::internal::Benchmark* bench) {
  if (const char* size = std::getenv("CG_BENCH_SCORING_ORGS")) bench->Arg(std::atoll(size));
}
BENCHMARK(BM_BatchScoreLarge)
    ->Apply(LargeSizes)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_BatchScoreLargeChunked)
    ->Apply(LargeSizes)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RelatedRisk(benchmark::State& state) {
  ScoringInput input = MakeProvince(NodeId(state.range(0)), 2);
  std::vector<std::uint8_t> seeds(input.related().num_nodes());
  std::mt19937_64 rng(3);
  for (auto& seed : seeds) seed = rng() % 50 == 0;
  for (auto _ : state) {
    auto risk = RelatedRiskAll(input.related(), seeds, 0.5, 3);
    benchmark::DoNotOptimize(risk.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RelatedRisk)->Arg(1000000)->Arg(4000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with a row-major product at every step (the batch's product before the sparse
// frontier steps; equal bit for bit).
void BM_RelatedRiskRowMajor(benchmark::State& state) {
  ScoringInput input = MakeProvince(NodeId(state.range(0)), 2);
  std::vector<std::uint8_t> seeds(input.related().num_nodes());
  std::mt19937_64 rng(3);
  for (auto& seed : seeds) seed = rng() % 50 == 0;
  for (auto _ : state) {
    auto risk = RelatedRiskAllRowMajor(input.related(), seeds, 0.5, 3);
    benchmark::DoNotOptimize(risk.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RelatedRiskRowMajor)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ScoreOne(benchmark::State& state) {
  Scorer scorer(DefaultModel(), MakeProvince(NodeId(state.range(0)), 4), kAsOf);
  std::mt19937_64 rng(5);
  for (auto _ : state) {
    auto result = scorer.ScoreOne(NodeId(rng() % std::uint64_t(state.range(0))));
    benchmark::DoNotOptimize(result.score);
  }
}
BENCHMARK(BM_ScoreOne)->Arg(1000000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
