// Benchmarks of entity resolution's read path (issue 5): the records of an ingested database
// scanned from RocksDB, decoded (only the fields mentions need), and normalized into the mention
// table, piece by piece on one thread (CPU time of each kernel) and whole (AddStoreRecords, in
// parallel, real time). Figures and choices: docs/read_path.md.
//
// Records: CG_READ_DB names an ingested database (e.g. the generator's SF=0.01 after
// `creditgraph ingest`); without it, the small synthetic province of the resolver's tests,
// written into a temporary database. The per-kernel benchmarks run over every
// CG_READ_SAMPLE-th record (default 8, so that the decoded Records fit in memory at SF=0.01).
// Run: CG_READ_DB=/path/to/sf001.db build/dev/bench/cg_bench_read
//      CG_READ_DB=... build/dev/bench/cg_bench_read --digest   (prints a digest of the whole
//      mention table, to check that a change keeps the normalization byte-identical)
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/resolve/from_store.h"
#include "core/resolve/mentions.h"
#include "core/resolve/name_parts.h"
// (its snprintf of test codes trips GCC's truncation warning once inlined here)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include "core/resolve/resolve_test_util.h"
#pragma GCC diagnostic pop
#include "core/resolve/resolver.h"
#include "core/store/record_codec.h"
#include "core/store/store.h"
#include "core/text/normalize.h"
#include "core/text/org_name.h"

namespace {

namespace rs = cg::core::resolve;
namespace st = cg::core::store;

void Fail(const std::string& what) {
  std::fprintf(stderr, "cg_bench_read: %s\n", what.c_str());
  std::exit(1);
}

// The database: CG_READ_DB, or the synthetic province written once into a temporary folder.
const std::string& DatabasePath() {
  static const std::string path = [] {
    if (const char* db = std::getenv("CG_READ_DB"); db != nullptr && *db != '\0') return std::string(db);
    const std::string temp =
        (std::filesystem::temp_directory_path() / ("cg_bench_read_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(temp);
    auto opened = st::Store::Open(temp);
    if (!opened.ok()) Fail(std::string(opened.status().message()));
    st::Batch batch(**opened);
    for (const cg::core::Record& record : rs::testing::MakeSynthetic(12000, 7).records) {
      if (auto status = batch.PutRecord(record); !status.ok()) Fail(std::string(status.message()));
    }
    if (auto status = (*opened)->Write(batch); !status.ok()) Fail(std::string(status.message()));
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("cg_bench_read_" + std::to_string(::getpid())), ignored);
    });
    return temp;
  }();
  return path;
}

std::unique_ptr<st::Store> OpenStore() {
  st::OpenOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  auto opened = st::Store::Open(DatabasePath(), options);
  if (!opened.ok()) Fail(std::string(opened.status().message()));
  return std::move(*opened);
}

std::size_t SampleEvery() {
  const char* every = std::getenv("CG_READ_SAMPLE");
  const long value = every != nullptr ? std::atol(every) : 8;
  return value > 0 ? static_cast<std::size_t>(value) : 8;
}

// Every record's raw value, in key order (all kinds), and one in SampleEvery() decoded.
struct Raw {
  std::string bytes;
  std::vector<std::size_t> ends;
  std::vector<cg::core::Record> sample;
  std::string_view Value(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
};

const Raw& RawRecords() {
  static const Raw raw = [] {
    Raw out;
    auto store = OpenStore();
    for (int kind = 0; kind < cg::core::kNumRecordKinds; ++kind) {
      auto status = store->ScanPrefix(ToString(static_cast<cg::core::RecordKind>(kind)), "",
                                      [&](std::string_view, std::string_view value) {
                                        out.bytes.append(value);
                                        out.ends.push_back(out.bytes.size());
                                        return true;
                                      });
      if (!status.ok()) Fail(std::string(status.message()));
    }
    const std::size_t every = SampleEvery();
    for (std::size_t i = 0; i < out.ends.size(); i += every) {
      cg::core::Record record;
      if (auto status = st::DecodeRecordFields(out.Value(i), rs::MentionFields(), record); !status.ok()) {
        Fail(std::string(status.message()));
      }
      out.sample.push_back(std::move(record));
    }
    return out;
  }();
  return raw;
}

// The texts of the sample that each normalizer sees in MentionTable::AddSide.
struct Texts {
  std::vector<std::string> org_names, person_names, addresses;
};
const Texts& SampleTexts() {
  static const Texts texts = [] {
    Texts out;
    rs::MentionTable table;
    for (const cg::core::Record& record : RawRecords().sample) table.Add(record);
    for (rs::MentionId m = 0; m < table.size(); ++m) {
      const std::string name(table.name[m]);
      if (table.kind_class[m] == rs::KindClass::kOrganization) {
        out.org_names.push_back(name);
      } else {
        out.person_names.push_back(name);
      }
    }
    for (const cg::core::Record& record : RawRecords().sample) {
      for (const cg::core::Identity* side : {&record.subject, &record.party}) {
        if (!side->empty()) out.addresses.push_back(side->address);
      }
    }
    return out;
  }();
  return texts;
}

// RocksDB: every value of every kind copied out, in key order (the reading thread's work).
void BM_ScanStore(benchmark::State& state) {
  auto store = OpenStore();
  std::size_t records = 0;
  for (auto _ : state) {
    records = 0;
    std::string window;
    for (int kind = 0; kind < cg::core::kNumRecordKinds; ++kind) {
      auto status = store->ScanPrefix(ToString(static_cast<cg::core::RecordKind>(kind)), "",
                                      [&](std::string_view, std::string_view value) {
                                        if (window.size() > (8u << 20)) window.clear();
                                        window.append(value);
                                        ++records;
                                        return true;
                                      });
      if (!status.ok()) Fail(std::string(status.message()));
    }
    benchmark::DoNotOptimize(window.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
}
BENCHMARK(BM_ScanStore)->Unit(benchmark::kMillisecond);

// The same scan through RocksDB's iterator directly, with the read options of a one-time full
// scan (range 0: the defaults, as Store::ScanPrefix; 1: fill_cache off; 2: and 2 MB readahead).
void BM_ScanStoreIterator(benchmark::State& state) {
  auto store = OpenStore();
  rocksdb::ReadOptions options;
  if (state.range(0) >= 1) options.fill_cache = false;
  if (state.range(0) >= 2) options.readahead_size = 2 << 20;
  std::size_t records = 0;
  for (auto _ : state) {
    records = 0;
    std::string window;
    for (int kind = 0; kind < cg::core::kNumRecordKinds; ++kind) {
      const std::string family(ToString(static_cast<cg::core::RecordKind>(kind)));
      if (!store->HasFamily(family)) continue;
      auto handle = store->Family(family);
      if (!handle.ok()) Fail(std::string(handle.status().message()));
      std::unique_ptr<rocksdb::Iterator> it(store->raw()->NewIterator(options, *handle));
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        if (window.size() > (8u << 20)) window.clear();
        window.append(it->value().data(), it->value().size());
        ++records;
      }
      if (!it->status().ok()) Fail(it->status().ToString());
    }
    benchmark::DoNotOptimize(window.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
}
BENCHMARK(BM_ScanStoreIterator)->Arg(0)->Arg(1)->Arg(2)->ArgName("options")->Unit(benchmark::kMillisecond);

// Decoding the mention fields of every record into one reused Record.
void BM_DecodeMentionFields(benchmark::State& state) {
  const Raw& raw = RawRecords();
  const st::RecordFieldMask fields = rs::MentionFields();
  for (auto _ : state) {
    cg::core::Record record;
    for (std::size_t i = 0; i < raw.ends.size(); ++i) {
      if (!st::DecodeRecordFields(raw.Value(i), fields, record).ok()) Fail("decode");
      benchmark::DoNotOptimize(record.subject.name.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(raw.ends.size()));
}
BENCHMARK(BM_DecodeMentionFields)->Unit(benchmark::kMillisecond);

// MentionTable::Add of the decoded sample (one thread; the table cleared between iterations).
void BM_MentionTableAdd(benchmark::State& state) {
  const Raw& raw = RawRecords();
  rs::MentionTable table;
  // Filled once untimed: the columns' pages are faulted in here, not in the first iterations.
  for (const cg::core::Record& record : raw.sample) table.Add(record);
  for (auto _ : state) {
    table.Clear();
    for (const cg::core::Record& record : raw.sample) table.Add(record);
    benchmark::DoNotOptimize(table.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(raw.sample.size()));
}
BENCHMARK(BM_MentionTableAdd)->Unit(benchmark::kMillisecond);

// The normalizers alone, on the texts of the sample's mentions.
void BM_ParseOrgName(benchmark::State& state) {
  const auto& names = SampleTexts().org_names;
  cg::core::OrgNameParts parts;
  for (auto _ : state) {
    for (const std::string& name : names) {
      cg::core::ParseOrgName(name, parts);
      benchmark::DoNotOptimize(parts.key.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(names.size()));
}
BENCHMARK(BM_ParseOrgName)->Unit(benchmark::kMillisecond);

void BM_NormalizePersonName(benchmark::State& state) {
  const auto& names = SampleTexts().person_names;
  std::string out;
  for (auto _ : state) {
    for (const std::string& name : names) {
      cg::core::NormalizePersonName(name, out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(names.size()));
}
BENCHMARK(BM_NormalizePersonName)->Unit(benchmark::kMillisecond);

void BM_FoldAddress(benchmark::State& state) {
  const auto& addresses = SampleTexts().addresses;
  for (auto _ : state) {
    for (const std::string& address : addresses) {
      const std::string folded = rs::EncodeUtf8(rs::FoldName(rs::DecodeUtf8(address)));
      benchmark::DoNotOptimize(folded.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(addresses.size()));
}
BENCHMARK(BM_FoldAddress)->Unit(benchmark::kMillisecond);

// Process CPU time (every thread, user + system) and minor page faults so far.
struct Usage {
  double cpu_seconds = 0;
  double faults = 0;
};
Usage ProcessUsage() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) { return double(time.tv_sec) + double(time.tv_usec) * 1e-6; };
  return {seconds(usage.ru_utime) + seconds(usage.ru_stime), double(usage.ru_minflt)};
}

// The whole read as resolve does it: AddStoreRecords (parallel decoding and normalizing), into a
// fresh resolver (range 0: the table's columns grow as the chunks are appended, as in a real run)
// or into one whose table was filled once and cleared (range 1: the columns already have their
// final capacity: what reserving them up front would give). Counters: the process's CPU seconds
// (all threads) and minor page faults per read.
void BM_AddStoreRecords(benchmark::State& state) {
  auto store = OpenStore();
  const bool presized = state.range(0) == 1;
  auto kept = std::make_unique<rs::Resolver>();
  if (presized) {
    if (auto read = rs::AddStoreRecords(*store, *kept); !read.ok()) Fail(std::string(read.status().message()));
  }
  std::uint64_t records = 0;
  double cpu = 0, faults = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<rs::Resolver> fresh;
    if (presized) {
      kept->mentions().Clear();
    } else {
      fresh = std::make_unique<rs::Resolver>();
    }
    rs::Resolver& resolver = presized ? *kept : *fresh;
    const Usage before = ProcessUsage();
    state.ResumeTiming();
    auto read = rs::AddStoreRecords(*store, resolver);
    state.PauseTiming();
    const Usage after = ProcessUsage();
    cpu += after.cpu_seconds - before.cpu_seconds;
    faults += after.faults - before.faults;
    if (!read.ok()) Fail(std::string(read.status().message()));
    records = *read;
    state.counters["mentions"] = static_cast<double>(resolver.mentions().size());
    fresh.reset();  // freed untimed
    state.ResumeTiming();
  }
  state.counters["process_cpu_s"] = cpu / double(state.iterations());
  state.counters["minor_faults"] = faults / double(state.iterations());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
}
BENCHMARK(BM_AddStoreRecords)->Arg(0)->Arg(1)->ArgName("presized")->Unit(benchmark::kMillisecond)->UseRealTime();

// A digest of every column of every mention, in order (MentionTable::Digest chained).
int PrintDigest() {
  rs::Resolver resolver;
  auto read = rs::AddDatabase(DatabasePath(), resolver);
  if (!read.ok()) Fail(std::string(read.status().message()));
  const rs::MentionTable& table = resolver.mentions();
  std::uint64_t chained = 0;
  for (rs::MentionId m = 0; m < table.size(); ++m) {
    const std::uint64_t pair[2] = {chained, table.Digest(m)};
    chained = XXH3_64bits(pair, sizeof(pair));
  }
  std::printf("records %llu mentions %zu digest %016llx\n", static_cast<unsigned long long>(*read),
              table.size(), static_cast<unsigned long long>(chained));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--digest") == 0) return PrintDigest();
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
