// Google Benchmark of the ingest stages one by one (rows/s of each): CSV reading (split at
// record boundaries, serial; parse, parallel in the pipeline), GB18030 (the old serial
// conversion vs the raw split and the chunk conversion),
// row validation, record encoding, batched RocksDB writes, and the whole IngestDataset.
//   cmake --build build/dev --target cg_bench_ingest && build/dev/bench/cg_bench_ingest
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <unicode/ucnv.h>

#include "core/ingest/ingest.h"
#include "core/ingest/rows.h"
#include "core/ingest/validate.h"
#include "core/store/record_codec.h"
#include "core/store/store.h"

namespace {
namespace fs = std::filesystem;
using cg::core::RecordKind;
namespace ingest = cg::core::ingest;
namespace store = cg::core::store;

constexpr int kRows = 200000;

/// A registry data set like the generator's (valid USCCs, Chinese names, dates, numbers).
const fs::path& DataSet() {
  static const fs::path dir = [] {
    fs::path path = fs::temp_directory_path() / ("cg_ingest_bench_" + std::to_string(getpid()));
    fs::create_directories(path);
    std::ofstream(path / "catalog.yaml")
        << "name: bench\nsources:\n  - id: reg\n    kind: registry\n    path: reg.csv\n";
    std::ofstream out(path / "reg.csv");
    out << "rid,subject_uscc,subject_name,subject_region,subject_address,party_id_no,party_name,"
           "status,est_date,reg_capital,industry\n";
    std::mt19937 rng(1);
    for (int row = 0; row < kRows; ++row) {
      out << "R" << row << ",91370102MA3C4XK10Q,\"山东新海控股集团" << row
          << "有限公司\",370102,临沂市郯城县学府路" << rng() % 1000
          << "号,370102198001010015,刘梓刚,存续,2016-08-" << 10 + rng() % 18 << ","
          << rng() % 10000 << ",7212\n";
    }
    return path;
  }();
  return dir;
}

ingest::SourceSpec Spec() {
  auto catalog = ingest::LoadCatalog(DataSet().string());
  return catalog->sources[0];
}

void BM_CsvRead(benchmark::State& state) {
  const ingest::SourceSpec spec = Spec();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto reader = ingest::OpenRowReader(spec);
    ingest::RowBatch batch;
    while (*(*reader)->Next(batch, 4096)) rows += batch.rows();
  }
  state.SetItemsProcessed(std::int64_t(rows));
}
BENCHMARK(BM_CsvRead)->Unit(benchmark::kMillisecond);

/// The serial part of CSV reading: splitting the text at record boundaries (no parsing).
void BM_CsvSplit(benchmark::State& state) {
  const ingest::SourceSpec spec = Spec();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto reader = ingest::OpenRowReader(spec);
    ingest::RawChunk chunk;
    while (*(*reader)->NextChunk(chunk, 512 << 10)) bytes += chunk.bytes.size();
  }
  state.SetItemsProcessed(std::int64_t(kRows) * state.iterations());
  state.SetBytesProcessed(std::int64_t(bytes));
}
BENCHMARK(BM_CsvSplit)->Unit(benchmark::kMillisecond);

/// The parallel part: parsing chunks into row batches (one thread here).
void BM_CsvParseChunks(benchmark::State& state) {
  const ingest::SourceSpec spec = Spec();
  auto reader = ingest::OpenRowReader(spec);
  std::vector<ingest::RawChunk> chunks;
  for (ingest::RawChunk chunk; *(*reader)->NextChunk(chunk, 512 << 10);) chunks.push_back(chunk);
  ingest::RowBatch batch;
  std::size_t rows = 0;
  for (auto _ : state) {
    for (ingest::RawChunk& chunk : chunks) {
      (void)(*reader)->ParseChunk(chunk, batch);  // the text moves into the batch
      rows += batch.rows();
      chunk.bytes.swap(batch.text);  // and back, for the next iteration
    }
  }
  state.SetItemsProcessed(std::int64_t(rows));
}
BENCHMARK(BM_CsvParseChunks)->Unit(benchmark::kMillisecond);

/// The registry file in GB18030 (written once from reg.csv by ICU).
ingest::SourceSpec Gb18030Spec() {
  ingest::SourceSpec spec = Spec();
  const fs::path path = DataSet() / "reg_gb18030.csv";
  if (!fs::exists(path)) {
    std::ifstream in(spec.full_path, std::ios::binary);
    const std::string utf8((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string gb(utf8.size() * 2 + 16, '\0');
    UErrorCode error = U_ZERO_ERROR;
    const int32_t size = ucnv_convert("GB18030", "UTF-8", gb.data(), int32_t(gb.size()),
                                      utf8.data(), int32_t(utf8.size()), &error);
    gb.resize(U_SUCCESS(error) ? std::size_t(size) : 0);
    std::ofstream(path, std::ios::binary) << gb;
  }
  spec.encoding = ingest::Encoding::kGb18030;
  spec.full_path = path.string();
  return spec;
}

/// GB18030 before the fifth session: the whole file converted by the serial reader's stream.
void BM_Gb18030SerialStream(benchmark::State& state) {
  const ingest::SourceSpec spec = Gb18030Spec();
  std::string buffer(256 << 10, '\0');
  for (auto _ : state) {
    auto stream = ingest::OpenTextStream(spec);
    while (*(*stream)->Read(buffer.data(), buffer.size()) > 0) {
    }
  }
  state.SetItemsProcessed(std::int64_t(kRows) * state.iterations());
  state.SetBytesProcessed(std::int64_t(fs::file_size(spec.full_path)) * state.iterations());
}
BENCHMARK(BM_Gb18030SerialStream)->Unit(benchmark::kMillisecond);

/// GB18030 now, the serial part: raw bytes split at record boundaries (no conversion).
void BM_Gb18030Split(benchmark::State& state) {
  const ingest::SourceSpec spec = Gb18030Spec();
  for (auto _ : state) {
    auto reader = ingest::OpenRowReader(spec);
    ingest::RawChunk chunk;
    while (*(*reader)->NextChunk(chunk, 512 << 10)) {
    }
  }
  state.SetItemsProcessed(std::int64_t(kRows) * state.iterations());
  state.SetBytesProcessed(std::int64_t(fs::file_size(spec.full_path)) * state.iterations());
}
BENCHMARK(BM_Gb18030Split)->Unit(benchmark::kMillisecond);

/// GB18030 now, the parallel part: converting the raw chunks (one thread here).
void BM_Gb18030ConvertChunks(benchmark::State& state) {
  const ingest::SourceSpec spec = Gb18030Spec();
  auto reader = ingest::OpenRowReader(spec);
  std::vector<ingest::RawChunk> chunks;
  for (ingest::RawChunk chunk; *(*reader)->NextChunk(chunk, 512 << 10);) chunks.push_back(chunk);
  std::string utf8;
  for (auto _ : state) {
    for (const ingest::RawChunk& chunk : chunks) (void)ingest::Gb18030ToUtf8(chunk.bytes, utf8);
  }
  state.SetItemsProcessed(std::int64_t(kRows) * state.iterations());
  state.SetBytesProcessed(std::int64_t(fs::file_size(spec.full_path)) * state.iterations());
}
BENCHMARK(BM_Gb18030ConvertChunks)->Unit(benchmark::kMillisecond);

void BM_ValidateAndEncode(benchmark::State& state) {
  const ingest::SourceSpec spec = Spec();
  auto reader = ingest::OpenRowReader(spec);
  ingest::RowBatch batch;
  (void)(*reader)->Next(batch, 4096);
  std::size_t rows = 0;
  std::string value;
  for (auto _ : state) {
    for (std::size_t row = 0; row < batch.rows(); ++row) {
      auto verdict = ingest::ValidateRow(spec, batch, row);
      value.clear();
      cg::core::store::EncodeRecord(verdict.record, value);
      benchmark::DoNotOptimize(value.data());
    }
    rows += batch.rows();
  }
  state.SetItemsProcessed(std::int64_t(rows));
}
BENCHMARK(BM_ValidateAndEncode);

void BM_StoreBatchWrite(benchmark::State& state) {
  const std::string value(120, 'v');
  std::size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path db = DataSet() / "bench_db";
    fs::remove_all(db);
    auto staged = store::Store::OpenStaged(
        db.string(), {.bulk_load = true, .append_only = state.range(0) != 0});
    state.ResumeTiming();
    if (state.range(0) == 2) {
      // The bulk path of a source new to the database: SST files + IngestExternalFile.
      auto records = (*staged)->Family("registry");
      auto changes = (*staged)->Family(store::kChangesFamily);
      store::SstLoader record_loader(**staged, *records, 32 << 20);
      store::SstLoader change_loader(**staged, *changes, 32 << 20);
      for (int row = 0; row < kRows; ++row) {
        std::string rid = std::to_string(row);
        rid.insert(rid.begin(), 'R');
        const std::string key = store::RecordKey("reg", rid);
        record_loader.Add(key, value);
        change_loader.AddChange(store::ChangeOp::kInsert, RecordKind::kRegistry, key);
      }
      (void)record_loader.Finish();
      (void)change_loader.Finish();
      (void)(*staged)->Commit();
      rows += kRows;
      continue;
    }
    store::Batch batch(**staged);
    for (int row = 0; row < kRows; ++row) {
      std::string rid = std::to_string(row);
      rid.insert(rid.begin(), 'R');
      const std::string key = store::RecordKey("reg", rid);
      (void)batch.PutEncodedRecord(RecordKind::kRegistry, key, value);
      (void)batch.AppendChangeForKey(store::ChangeOp::kInsert, RecordKind::kRegistry, key);
      if (batch.ByteSize() > (8 << 20)) {
        (void)(*staged)->Write(batch);
        batch.Clear();
      }
    }
    (void)(*staged)->Write(batch);
    (void)(*staged)->Commit();
    rows += kRows;
  }
  state.SetItemsProcessed(std::int64_t(rows));
}
// Arg 0: skip-list memtables; 1: append-only vector memtables; 2: SstLoader (SST files
// ingested; what ingest does for a source new to the database).
BENCHMARK(BM_StoreBatchWrite)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2);

void BM_IngestDataset(benchmark::State& state) {
  std::size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path db = DataSet() / "ingest_db";
    fs::remove_all(db);
    state.ResumeTiming();
    auto report = ingest::IngestDataset(DataSet().string(), db.string());
    rows += report->read;
  }
  state.SetItemsProcessed(std::int64_t(rows));
}
BENCHMARK(BM_IngestDataset)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code error;
  fs::remove_all(DataSet(), error);
  return 0;
}
