// Feeding the resolver from the store (see from_store.h).
#include "core/resolve/from_store.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/store/record_codec.h"

namespace cg::core::resolve {

absl::StatusOr<std::uint64_t> AddStoreRecords(
    store::Store& store, Resolver& resolver, const std::function<void(const Record&)>& visit,
    std::size_t chunk_records, std::size_t window_chunks,
    const std::function<bool(RecordKind, std::string_view)>& skip) {
  // The store is read sequentially (cheap: raw values copied into a window of chunks); decoding
  // and normalizing the mentions (the expensive part) runs in parallel over the window's chunks,
  // each into its own table; the chunk tables are appended in order, so the result is exactly
  // the table a record-by-record Add() would give. Memory: one window of raw records.
  const std::size_t kChunkRecords = std::max<std::size_t>(1, chunk_records);
  const std::size_t kWindowChunks = std::max<std::size_t>(1, window_chunks);
  struct Chunk {
    std::string bytes;
    std::vector<std::size_t> ends;
    MentionTable table;
    std::vector<Record> records;  // kept for `visit` only
    absl::Status status;
  };
  std::vector<Chunk> window(kWindowChunks);
  std::size_t filled = 0;  // chunks of the window holding records
  std::uint64_t records = 0;
  absl::Status failure;
  auto flush = [&] {
    tbb::parallel_for(std::size_t{0}, filled, [&](std::size_t c) {
      Chunk& chunk = window[c];
      std::size_t begin = 0;
      for (const std::size_t end : chunk.ends) {
        auto record = store::DecodeRecord(std::string_view(chunk.bytes).substr(begin, end - begin));
        begin = end;
        if (!record.ok()) {
          chunk.status = record.status();
          return;
        }
        chunk.table.Add(*record);
        if (visit) chunk.records.push_back(std::move(*record));
      }
    });
    for (std::size_t c = 0; c < filled; ++c) {
      Chunk& chunk = window[c];
      if (failure.ok() && !chunk.status.ok()) failure = chunk.status;
      if (failure.ok()) {
        resolver.mentions().Append(chunk.table);
        if (visit) {
          for (const Record& record : chunk.records) visit(record);
        }
      }
      chunk = Chunk{};
    }
    filled = 0;
  };
  for (int kind = 0; kind < kNumRecordKinds && failure.ok(); ++kind) {
    absl::Status status = store.ScanPrefix(
        ToString(static_cast<RecordKind>(kind)), "",
        [&](std::string_view key, std::string_view value) {
          if (skip && skip(static_cast<RecordKind>(kind), key)) return true;
          if (filled == 0 || window[filled - 1].ends.size() == kChunkRecords) {
            if (filled == kWindowChunks) flush();
            ++filled;
          }
          Chunk& chunk = window[filled - 1];
          chunk.bytes.append(value);
          chunk.ends.push_back(chunk.bytes.size());
          ++records;
          return failure.ok();
        });
    if (!status.ok()) return status;
  }
  flush();
  if (!failure.ok()) return failure;
  return records;
}

absl::StatusOr<std::uint64_t> AddDatabase(const std::string& db_path, Resolver& resolver) {
  if (!std::filesystem::exists(db_path)) {
    return absl::NotFoundError("no database at " + db_path +
                               ": run `creditgraph ingest` on a data set first");
  }
  store::OpenOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  auto opened = store::Store::Open(db_path, options);
  if (!opened.ok()) return opened.status();
  return AddStoreRecords(**opened, resolver);
}

}  // namespace cg::core::resolve
