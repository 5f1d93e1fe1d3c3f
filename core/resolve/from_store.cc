// Feeding the resolver from the store (see from_store.h).
#include "core/resolve/from_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/store/record_codec.h"

namespace cg::core::resolve {

store::RecordFieldMask MentionFields() {
  using store::RecordField;
  return store::RecordFieldMask{
      RecordField::kSource,        RecordField::kRid,          RecordField::kKind,
      RecordField::kSubjectUscc,   RecordField::kSubjectRegNo, RecordField::kSubjectOrgCode,
      RecordField::kSubjectIdNo,   RecordField::kSubjectName,  RecordField::kSubjectKind,
      RecordField::kSubjectRegion, RecordField::kSubjectAddress, RecordField::kSubjectPhone,
      RecordField::kSubjectBirth,  RecordField::kSubjectWeak,  RecordField::kPartyUscc,
      RecordField::kPartyRegNo,    RecordField::kPartyOrgCode, RecordField::kPartyIdNo,
      RecordField::kPartyName,     RecordField::kPartyKind,    RecordField::kPartyRegion,
      RecordField::kPartyAddress,  RecordField::kPartyPhone,   RecordField::kPartyBirth,
      RecordField::kPartyWeak};
}

absl::StatusOr<std::uint64_t> AddStoreRecords(
    store::Store& store, Resolver& resolver, const std::function<void(const Record&)>& visit,
    std::size_t chunk_records, std::size_t window_chunks,
    const std::function<bool(RecordKind, std::string_view)>& skip, store::RecordFieldMask visit_fields) {
  const store::RecordFieldMask fields = MentionFields() | visit_fields;
  // The store is read sequentially (cheap: raw values copied into a window of chunks); decoding
  // and normalizing the mentions (the expensive part) runs in parallel over the window's chunks,
  // each into its own table; the chunk tables are appended in order, so the result is exactly
  // the table a record-by-record Add() would give. Two windows: while one is decoded and
  // appended (a task), the reading thread fills the other. Memory: two windows of raw records.
  const std::size_t kChunkRecords = std::max<std::size_t>(1, chunk_records);
  const std::size_t kWindowChunks = std::max<std::size_t>(1, window_chunks);
  struct Chunk {
    std::string bytes;
    std::vector<std::size_t> ends;
    MentionTable table;
    std::vector<Record> records;  // kept for `visit` only
    absl::Status status;
  };
  struct Window {
    std::vector<Chunk> chunks;
    std::size_t filled = 0;  // chunks holding records
  };
  Window windows[2];
  for (Window& window : windows) {
    window.chunks.resize(kWindowChunks);
    // Chunk tables only stage rows for the main table: its columns deduplicate values, once.
    for (Chunk& chunk : window.chunks) chunk.table.SetStaging();
  }
  int current = 0;  // the window being filled; the other one may be in `decoding`
  std::uint64_t records = 0;
  absl::Status failure;        // written by the decoding task only, read after a wait
  std::atomic<bool> failed{false};
  tbb::task_group decoding;
  auto decode = [&](Window& window) {
    tbb::parallel_for(std::size_t{0}, window.filled, [&](std::size_t c) {
      Chunk& chunk = window.chunks[c];
      std::size_t begin = 0;
      Record record;  // reused: every field of `fields` is rewritten by each decode
      for (const std::size_t end : chunk.ends) {
        absl::Status decoded = store::DecodeRecordFields(std::string_view(chunk.bytes).substr(begin, end - begin), fields, record);
        begin = end;
        if (!decoded.ok()) {
          chunk.status = std::move(decoded);
          return;
        }
        chunk.table.Add(record);
        if (visit) chunk.records.push_back(record);
      }
    });
    for (std::size_t c = 0; c < window.filled; ++c) {
      Chunk& chunk = window.chunks[c];
      if (failure.ok() && !chunk.status.ok()) {
        failure = chunk.status;
        failed = true;
      }
      if (failure.ok()) {
        resolver.mentions().Append(chunk.table);
        if (visit) {
          for (const Record& record : chunk.records) visit(record);
        }
      }
      // Emptied, not freed: the next window reuses the memory (no fresh pages to fault in).
      chunk.bytes.clear();
      chunk.ends.clear();
      chunk.table.Clear();
      chunk.records.clear();
      chunk.status = absl::OkStatus();
    }
    window.filled = 0;
  };
  // Hands the filled window to the decoding task (after the previous one is done, so that the
  // windows are appended in order) and goes on filling the other.
  auto hand_over = [&] {
    decoding.wait();
    Window* full = &windows[current];
    decoding.run([&decode, full] { decode(*full); });
    current = 1 - current;
  };
  // The scan reads every record once, in key order: RocksDB's iterator directly (no callback per
  // record), blocks not inserted into the block cache (they would only evict others), and
  // readahead of the table files.
  rocksdb::ReadOptions scan_options;
  scan_options.fill_cache = false;
  scan_options.readahead_size = 2 << 20;
  for (int kind = 0; kind < kNumRecordKinds && !failed; ++kind) {
    const std::string family(ToString(static_cast<RecordKind>(kind)));
    if (!store.HasFamily(family)) continue;
    auto handle = store.Family(family);
    if (!handle.ok()) {
      decoding.wait();
      return handle.status();
    }
    std::unique_ptr<rocksdb::Iterator> it(store.raw()->NewIterator(scan_options, *handle));
    for (it->SeekToFirst(); it->Valid() && !failed.load(std::memory_order_relaxed); it->Next()) {
      const rocksdb::Slice value = it->value();
      if (skip) {
        const rocksdb::Slice key = it->key();
        if (skip(static_cast<RecordKind>(kind), std::string_view(key.data(), key.size()))) continue;
      }
      Window* window = &windows[current];
      if (window->filled == 0 || window->chunks[window->filled - 1].ends.size() == kChunkRecords) {
        if (window->filled == kWindowChunks) {
          hand_over();
          window = &windows[current];
        }
        ++window->filled;
      }
      Chunk& chunk = window->chunks[window->filled - 1];
      chunk.bytes.append(value.data(), value.size());
      chunk.ends.push_back(chunk.bytes.size());
      ++records;
    }
    if (!it->status().ok()) {
      decoding.wait();
      const rocksdb::Status& status = it->status();
      const std::string message = "reading the " + family + " records: " + status.ToString();
      return status.IsCorruption() ? absl::DataLossError(message) : absl::InternalError(message);
    }
  }
  decoding.wait();
  decode(windows[current]);
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
