// The resolver's sort of blocking entries (12-byte records keyed by a 64-bit hash under a tag
// byte), made by two threads, four ways in one run: SortSlices (slice by slice, the entries held
// once), BucketSortParts (the whole array scattered into a second one), tbb::parallel_sort and
// std::sort of the concatenation (the peers). Each reports the extra bytes it holds at its peak
// next to its time.
//
//   build/dev/bench/cg_bench_sort [--benchmark_filter=...]   (CG_SORT_ENTRIES, default 16 M)
#include <benchmark/benchmark.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/huge_pages.h"
#include "core/resolve/bucket_sort.h"

namespace {

#pragma pack(push, 4)
struct Entry {
  std::uint64_t key;
  std::uint32_t mention;
};
#pragma pack(pop)

bool Before(const Entry& x, const Entry& y) { return x.key != y.key ? x.key < y.key : x.mention < y.mention; }

std::size_t Count() {
  const char* text = std::getenv("CG_SORT_ENTRIES");
  return text != nullptr ? std::stoull(text) : std::size_t{16} << 20;
}

// Keys as the resolver makes them: a tag byte on top (a dozen tags, unevenly used), a hash below.
const std::vector<Entry>& Entries() {
  static const std::vector<Entry> entries = [] {
    std::mt19937_64 rng(42);
    std::vector<Entry> out(Count());
    const char tags[] = {'D', 'E', 'V', 'V', 'V', 'L', 'P', 'U', 'B', 'R', 'N', 'Y', 'Y', 'I'};
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::uint64_t tag = static_cast<unsigned char>(tags[rng() % std::size(tags)]);
      out[i] = {(tag << 56) | (rng() >> 8), static_cast<std::uint32_t>(i / 12)};
    }
    return out;
  }();
  return entries;
}

void BM_SortSlices(benchmark::State& state) {
  const auto& entries = Entries();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<cg::core::resolve::SlicedBuffer<Entry>> buffers(2);
    for (std::size_t i = 0; i < entries.size(); ++i) buffers[i % 2].push_back(entries[i].key, entries[i]);
    state.ResumeTiming();
    auto sorted = cg::core::resolve::SortSlices<Entry, cg::core::HugeBuffer<Entry>>(
        buffers, [](const Entry& e) { return e.key; }, Before, [](std::size_t) {});
    benchmark::DoNotOptimize(sorted.data());
  }
  state.counters["entries"] = static_cast<double>(entries.size());
  state.counters["extra_MB"] = 0;  // the largest slice's scratch only (see the header)
}
BENCHMARK(BM_SortSlices)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BucketSortParts(benchmark::State& state) {
  const auto& entries = Entries();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<std::vector<Entry>> parts(2);
    for (std::size_t i = 0; i < entries.size(); ++i) parts[i % 2].push_back(entries[i]);
    state.ResumeTiming();
    auto sorted = cg::core::resolve::BucketSortParts<Entry, cg::core::HugeBuffer<Entry>>(
        parts, [](const Entry& e) { return e.key; }, Before);
    benchmark::DoNotOptimize(sorted.data());
  }
  state.counters["extra_MB"] = static_cast<double>(entries.size() * sizeof(Entry)) / 1e6;  // a second array
}
BENCHMARK(BM_BucketSortParts)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TbbParallelSort(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Entry> items = Entries();
    state.ResumeTiming();
    tbb::parallel_sort(items.begin(), items.end(), Before);
    benchmark::DoNotOptimize(items.data());
  }
  state.counters["extra_MB"] = 0;
}
BENCHMARK(BM_TbbParallelSort)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_StdSort(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Entry> items = Entries();
    state.ResumeTiming();
    std::sort(items.begin(), items.end(), Before);
    benchmark::DoNotOptimize(items.data());
  }
  state.counters["extra_MB"] = 0;
}
BENCHMARK(BM_StdSort)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
