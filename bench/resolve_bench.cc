// Benchmarks of the entity-resolution kernels (issue 5): comparing candidate pairs from the
// mention columns against comparing them from packed CompareRows, building the rows, and a
// whole Resolve() of the mentions. The whole stage against Splink is bench/resolve_vs_peers.py.
//
// Mentions: CG_RESOLVE_DB names an ingested database (e.g. the generator's SF=0.01 after
// `creditgraph ingest`), read with AddStoreRecords; without it, the small synthetic province of
// the tests (12,000 companies, ~60,000 records: it fits in cache, so the row layout shows
// little there).
// Run: CG_RESOLVE_DB=/path/to/sf001.db build/dev/bench/cg_bench_resolve
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/resolve/comparisons.h"
#include "core/resolve/from_store.h"
#include "core/resolve/resolve_test_util.h"
#include "core/resolve/resolver.h"

namespace {

namespace rs = cg::core::resolve;

const rs::MentionTable& Mentions() {
  static const std::unique_ptr<rs::Resolver> resolver = [] {
    auto out = std::make_unique<rs::Resolver>();
    if (const char* db = std::getenv("CG_RESOLVE_DB"); db != nullptr && *db != '\0') {
      auto read = rs::AddDatabase(db, *out);
      if (!read.ok()) {
        std::fprintf(stderr, "CG_RESOLVE_DB: %s\n", std::string(read.status().message()).c_str());
        std::exit(1);
      }
    } else {
      for (const auto& record : rs::testing::MakeSynthetic(12000, 7).records) out->Add(record);
    }
    return out;
  }();
  return resolver->mentions();
}

// Pairs of one class: random ones (as the u sample draws them) and pairs that share a folded
// name (as a name block gives them), 200,000 of each, drawn with a fixed generator.
std::vector<std::pair<rs::MentionId, rs::MentionId>> Pairs(bool near) {
  const rs::MentionTable& table = Mentions();
  std::vector<rs::MentionId> order(table.size());
  for (rs::MentionId m = 0; m < table.size(); ++m) order[m] = m;
  if (near) {
    std::sort(order.begin(), order.end(), [&](rs::MentionId x, rs::MentionId y) {
      return std::pair(table.folded[x], x) < std::pair(table.folded[y], y);
    });
  }
  std::uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  std::vector<std::pair<rs::MentionId, rs::MentionId>> out;
  const std::size_t n = order.size();
  while (out.size() < 200000 && n > 2) {
    const std::size_t i = next() % (n - 1);
    const std::size_t j = near ? i + 1 : next() % n;
    const rs::MentionId a = order[i], b = order[j];
    if (a != b && table.kind_class[a] == table.kind_class[b]) out.emplace_back(a, b);
  }
  return out;
}

void BM_CompareColumns(benchmark::State& state) {
  const auto pairs = Pairs(state.range(0) == 1);
  const rs::MentionTable& table = Mentions();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& [a, b] : pairs) sum += rs::Compare(table, a, b);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}
BENCHMARK(BM_CompareColumns)->Arg(0)->Arg(1)->ArgName("near")->Unit(benchmark::kMillisecond);

void BM_CompareRows(benchmark::State& state) {
  const auto pairs = Pairs(state.range(0) == 1);
  const rs::CompareRows rows(Mentions());
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (const auto& [a, b] : pairs) sum += rs::Compare(rows[a], rows[b]);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}
BENCHMARK(BM_CompareRows)->Arg(0)->Arg(1)->ArgName("near")->Unit(benchmark::kMillisecond);

void BM_CompareRowsFetchedAhead(benchmark::State& state) {
  const auto pairs = Pairs(state.range(0) == 1);
  const rs::CompareRows rows(Mentions());
  for (auto _ : state) {
    std::uint64_t sum = 0;
    rs::ForEachComparedPair(
        rows, 0, pairs.size(), [&](std::size_t i) { return pairs[i]; },
        [&](std::size_t, const rs::CompareFields& a, const rs::CompareFields& b) { sum += rs::Compare(a, b); });
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(pairs.size()));
}
BENCHMARK(BM_CompareRowsFetchedAhead)->Arg(0)->Arg(1)->ArgName("near")->Unit(benchmark::kMillisecond);

void BM_BuildCompareRows(benchmark::State& state) {
  const rs::MentionTable& table = Mentions();
  for (auto _ : state) {
    rs::CompareRows rows(table);
    benchmark::DoNotOptimize(rows.bytes());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table.size()));
}
BENCHMARK(BM_BuildCompareRows)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading the values blocking keys are made of, mention after mention (as key making reads
// them): at a province's size each value sits at a random place of a dictionary larger than the
// cache. Arg 1: the places and then the texts fetched ahead, a group of mentions at a time.
void BM_ReadKeyColumns(benchmark::State& state) {
  const rs::MentionTable& table = Mentions();
  const rs::StringColumn* columns[] = {&table.core,  &table.uscc,  &table.org_code, &table.reg_no, &table.id_no,
                                       &table.trade, &table.phone, &table.rel_name, &table.rel_code};
  const bool ahead = state.range(0) == 1;
  constexpr std::size_t kPlaceAhead = 16, kTextAhead = 8;
  const std::size_t n = table.size();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t m = 0; m < n; ++m) {
      if (ahead) {
        if (m + kPlaceAhead < n) {
          for (const auto* column : columns) column->PrefetchPlace(m + kPlaceAhead);
        }
        if (m + kTextAhead < n) {
          for (const auto* column : columns) column->PrefetchText(m + kTextAhead);
        }
      }
      for (const auto* column : columns) {
        const std::string_view value = (*column)[m];
        sum += value.size() + (value.empty() ? 0 : static_cast<unsigned char>(value.back()));
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_ReadKeyColumns)->Arg(0)->Arg(1)->ArgName("ahead")->Unit(benchmark::kMillisecond);

// Reading the rows' ids of every dictionary column, mention after mention (as the digests, the
// entity summaries and the code groups read them): the cost of the rows' layout alone, with no
// dictionary lookup.
void BM_ReadIds(benchmark::State& state) {
  const rs::MentionTable& table = Mentions();
  const auto columns = table.string_columns();
  const std::size_t n = table.size();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t m = 0; m < n; ++m) {
      for (const auto* column : columns) sum += column->id(m);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_ReadIds)->Unit(benchmark::kMillisecond);

void BM_Resolve(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    rs::Resolver resolver;
    resolver.mentions() = Mentions();
    state.ResumeTiming();
    const rs::ResolveStats stats = resolver.Resolve();
    state.counters["comparisons"] = static_cast<double>(stats.comparisons);
    state.counters["entities"] = static_cast<double>(stats.entities);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(Mentions().size()));
}
BENCHMARK(BM_Resolve)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
