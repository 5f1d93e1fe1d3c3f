// The CreditGraph database: one folder holding one RocksDB database, the engine's system of
// record. Column families (docs/ingest.md, "Store layout"):
//   meta        catalog YAML per data set, stage status and versions, per-source counts, cursors
//   <kind>      one per RecordKind ("registry", "person", …): source \0 rid -> encoded Record
//   quarantine  source \0 rid \0 seq(8B BE) -> field \0 reason \0 raw row (JSON object text)
//   changes     seq (8B BE, increasing) -> op, kind, source \0 rid: the change log; a bulk load
//               packs runs of consecutive changes into one group entry keyed by its first seq
//               (ReadChanges yields every change alone either way)
//   blobs       large values (RocksDB integrated BlobDB); also any CF whose name ends in "_blobs"
//   …           any CF a later stage opens on demand with Family(name)
//
// Atomicity. Every WriteBatch commits atomically across column families. For a stage whose whole
// output must appear at once however large it is (ingest), OpenStaged() works on a private copy
// (a RocksDB checkpoint: hard links, cheap) of the committed generation; Commit() publishes it by
// an atomic rename of the folder's CURRENT_GEN file. A process killed at any moment before that
// rename leaves the previous generation in place; the orphan copy is removed at the next open.
//   <db>/CURRENT_GEN    text: the committed generation number
//   <db>/gen-000007/    the RocksDB database of that generation
//   <db>/WRITER.lock    flock held by the one writer (readers open read-only and never block)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "core/record.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace cg::core::store {

/// Names of the fixed column families.
inline constexpr std::string_view kMetaFamily = "meta";
inline constexpr std::string_view kQuarantineFamily = "quarantine";
inline constexpr std::string_view kChangesFamily = "changes";
inline constexpr std::string_view kBlobsFamily = "blobs";

/// 8-byte big-endian encoding (keys that sort numerically) and its inverse.
std::string EncodeBigEndian64(std::uint64_t value);
std::uint64_t DecodeBigEndian64(std::string_view bytes);
/// source + '\0' + rid: the key of a record in its kind's CF.
std::string RecordKey(std::string_view source, std::string_view rid);

enum class ChangeOp : std::uint8_t { kInsert = 1, kUpdate = 2, kDelete = 3 };
/// Set in the first byte of a change-log value that holds a group of changes (SstLoader).
inline constexpr std::uint8_t kChangeGroupFlag = 0x80;
/// Changes per group entry at most.
inline constexpr std::size_t kChangeGroupMax = 256;
std::string_view ToString(ChangeOp op);

/// One entry of the change log.
struct Change {
  std::uint64_t seq = 0;
  ChangeOp op = ChangeOp::kInsert;
  RecordKind kind = RecordKind::kRegistry;
  std::string source;
  std::string rid;
};

/// One quarantined row.
struct QuarantineEntry {
  std::string source;
  std::string rid;
  std::uint64_t seq = 0;  // position of the row in its source (0-based), keeps keys unique
  std::string field;
  std::string reason;
  std::string raw;  // the row as a JSON object (Art. 42 columns never included)
};

/// Per-source accounting stored in meta (`count/<source>`): loaded + quarantined = read.
struct SourceCounts {
  std::string source;
  RecordKind kind = RecordKind::kRegistry;
  std::uint64_t read = 0;
  std::uint64_t loaded = 0;
  std::uint64_t quarantined = 0;
  std::uint64_t flagged = 0;   // loaded with at least one flagged optional field
  std::uint64_t inserted = 0;  // change log entries of the last run, by op
  std::uint64_t updated = 0;
  std::uint64_t deleted = 0;
};

struct OpenOptions {
  bool read_only = false;
  /// Settings for bulk writes: large memtables, more L0 files before slow-down, no WAL for
  /// staged stores (they are flushed on Commit instead).
  bool bulk_load = false;
  /// With bulk_load, for a first load that never reads back what it writes: the record-kind
  /// and change-log families use vector memtables (append now, sort at flush) instead of skip
  /// lists. Reads of those families during the run are slow: only for runs that do none.
  bool append_only = false;
  bool create_if_missing = true;
};

class Store;

/// Bulk loading of one column family of a staged store (first loads): key/values are buffered,
/// sorted into runs and written as SST files (rocksdb::SstFileWriter) inside the staged
/// generation; Finish() ingests them all at once (IngestExternalFile: files moved, global
/// sequence numbers allowed, so runs that overlap each other or existing keys go to L0 and are
/// correct, runs that do not go straight to the lowest free level). This skips the write batch,
/// the memtable and its flush. Keys must be unique within one loader (a duplicate key is an
/// error). Not thread-safe; the SST files live in the staged folder, so a process killed before
/// Commit() leaves nothing behind.
class SstLoader {
 public:
  /// `run_bytes`: buffered bytes (keys + values) per SST file.
  SstLoader(Store& store, rocksdb::ColumnFamilyHandle* family,
            std::size_t run_bytes = std::size_t{64} << 20);
  ~SstLoader();
  SstLoader(const SstLoader&) = delete;
  SstLoader& operator=(const SstLoader&) = delete;

  /// A full run is sorted and written by a background thread while Add goes on filling the
  /// next one (two runs of memory at most; an error surfaces at the next flush or Finish).
  void Add(std::string_view key, std::string_view value);
  /// For a loader of the change-log family: appends an entry with the store's next sequence
  /// number (as Batch::AppendChangeForKey does).
  void AddChange(ChangeOp op, RecordKind kind, std::string_view record_key);
  /// Writes the buffered run (if any) into an SST file now (and waits for it).
  absl::Status FlushRun();
  /// Writes the last run and ingests every file into the column family.
  absl::Status Finish();
  /// After Finish(): starts over for another family (or the same), keeping the run's memory
  /// (a bulk load of many sources touches fresh pages once, not once per source).
  void Restart(rocksdb::ColumnFamilyHandle* family);
  std::size_t entries() const { return entries_; }
  std::size_t files() const { return files_.size(); }

 private:
  struct Entry {
    std::uint32_t offset;
    std::uint32_t key_size;
    std::uint32_t value_size;
  };
  struct Run {
    std::string arena;
    std::vector<Entry> entries;
    bool sorted = true;
    std::string_view KeyOf(const Entry& entry) const {
      return std::string_view(arena).substr(entry.offset, entry.key_size);
    }
  };
  /// Adds the pending group of changes (AddChange) as one entry.
  void FlushChangeGroup();
  /// Hands the current run to the background writer (after the previous one is done).
  absl::Status StartRun();
  /// Waits for the background writer; its status.
  absl::Status WaitRun();

  Store& store_;
  rocksdb::ColumnFamilyHandle* family_;
  std::size_t run_bytes_;
  Run current_;
  Run writing_;  // owned by the background thread while it runs
  std::unique_ptr<std::thread> writer_;
  absl::Status writer_status_;
  std::size_t entries_ = 0;
  std::vector<std::string> files_;
  // The group of changes being built by AddChange (one SST entry per group).
  std::string group_value_;
  std::string group_source_;
  std::uint64_t group_first_ = 0;
  std::uint64_t group_last_ = 0;
  std::size_t group_count_ = 0;
  ChangeOp group_op_ = ChangeOp::kInsert;
  RecordKind group_kind_ = RecordKind::kRegistry;
  absl::Status pending_status_;
  bool finished_ = false;
};

/// A set of writes over any column families that commits atomically (Store::Write).
class Batch {
 public:
  explicit Batch(Store& store);
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  absl::Status Put(std::string_view family, std::string_view key, std::string_view value);
  /// The same with a handle from Store::Family (no lookup: for hot loops).
  absl::Status Put(rocksdb::ColumnFamilyHandle* family, std::string_view key,
                   std::string_view value);
  absl::Status Delete(std::string_view family, std::string_view key);
  /// Deletes every key in [begin, end) of a family.
  absl::Status DeleteRange(std::string_view family, std::string_view begin, std::string_view end);
  /// A record under its kind's CF, key RecordKey(source, rid).
  absl::Status PutRecord(const Record& record);
  absl::Status PutEncodedRecord(RecordKind kind, std::string_view key, std::string_view value);
  absl::Status DeleteRecord(RecordKind kind, std::string_view source, std::string_view rid);
  absl::Status PutQuarantine(const QuarantineEntry& entry);
  /// Appends to the change log; the sequence number is taken from the store's counter.
  absl::Status AppendChange(ChangeOp op, RecordKind kind, std::string_view source,
                            std::string_view rid);
  /// The same with the record key (source \0 rid) already built.
  absl::Status AppendChangeForKey(ChangeOp op, RecordKind kind, std::string_view record_key);
  absl::Status PutMeta(std::string_view key, std::string_view value);
  /// Stores the position of a consuming stage in the change log (meta `cursor/<stage>`).
  absl::Status SetCursor(std::string_view stage, std::uint64_t seq);
  absl::Status PutSourceCounts(const SourceCounts& counts);
  /// Large value in the blob CF.
  absl::Status PutBlob(std::string_view key, std::string_view value);

  std::size_t Count() const;
  std::size_t ByteSize() const;
  void Clear();

 private:
  friend class Store;
  Store& store_;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::uint64_t last_change_seq_ = 0;  // the store's counter after this batch commits
  rocksdb::ColumnFamilyHandle* changes_ = nullptr;
  std::string scratch_;
};

class Store {
 public:
  /// Opens (or creates) the committed generation of the database folder `path`.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                                     const OpenOptions& options = {});
  /// Opens a private copy of the committed generation; Commit() publishes it atomically,
  /// destroying the Store without Commit() discards it. Holds the writer lock.
  static absl::StatusOr<std::unique_ptr<Store>> OpenStaged(const std::string& path,
                                                           const OpenOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Flushes, closes and publishes a staged store. The Store is unusable afterwards.
  absl::Status Commit();
  bool staged() const { return staged_; }
  const std::string& path() const { return path_; }

  /// Column families: created on demand (not in read-only mode, where a missing family reads
  /// as empty). Names: [a-z0-9_]+.
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> Family(std::string_view name);
  bool HasFamily(std::string_view name) const;
  std::vector<std::string> FamilyNames() const;
  /// Drops a column family and everything in it (no-op when absent); Family(name) creates it
  /// anew, empty. For a stage that rewrites a whole family in a staged copy: the new files it
  /// loads then land on the bottom level, where range deletions would have left them over the
  /// old ones in L0 and a compaction to pay. Handles of the family held elsewhere go stale.
  absl::Status DropFamily(std::string_view name);

  absl::Status Put(std::string_view family, std::string_view key, std::string_view value);
  absl::StatusOr<std::optional<std::string>> Get(std::string_view family, std::string_view key);
  absl::Status Delete(std::string_view family, std::string_view key);
  /// Calls `visit(key, value)` for every key starting with `prefix`, in key order, until it
  /// returns false.
  absl::Status ScanPrefix(std::string_view family, std::string_view prefix,
                          const std::function<bool(std::string_view, std::string_view)>& visit);
  /// Calls `visit(key, value)` for keys in [begin, end) (end empty: to the last key).
  absl::Status ScanRange(std::string_view family, std::string_view begin, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& visit);
  /// Commits a batch atomically. `sync`: fsync the WAL (ignored for staged stores: no WAL).
  absl::Status Write(Batch& batch, bool sync = false);

  // Records.
  absl::StatusOr<std::optional<Record>> GetRecord(RecordKind kind, std::string_view source,
                                                  std::string_view rid);
  /// Every record of a kind, optionally of one source only, in key order.
  absl::Status ForEachRecord(RecordKind kind, std::string_view source,
                             const std::function<bool(const Record&)>& visit);
  absl::StatusOr<std::uint64_t> CountRecords(RecordKind kind, std::string_view source);

  // Quarantine.
  absl::Status ForEachQuarantine(std::string_view source,
                                 const std::function<bool(const QuarantineEntry&)>& visit);

  // Change log.
  /// The last sequence number used (0 when the log is empty).
  std::uint64_t LastChangeSeq() const;
  /// Entries with seq > after, in order.
  absl::Status ReadChanges(std::uint64_t after, const std::function<bool(const Change&)>& visit);
  absl::StatusOr<std::uint64_t> GetCursor(std::string_view stage);

  // Meta.
  absl::StatusOr<std::optional<std::string>> GetMeta(std::string_view key);
  absl::StatusOr<std::optional<SourceCounts>> GetSourceCounts(std::string_view source);
  absl::StatusOr<std::vector<SourceCounts>> AllSourceCounts();

  // Blobs.
  absl::StatusOr<std::optional<std::string>> GetBlob(std::string_view key);

  rocksdb::DB* raw() { return db_.get(); }

 private:
  friend class Batch;
  friend class SstLoader;
  Store() = default;
  std::string NextBulkFile();
  absl::Status OpenDb(const std::string& db_dir, const OpenOptions& options);
  std::uint64_t ReserveChangeSeq();

  std::string path_;     // the database folder
  std::string gen_dir_;  // the RocksDB folder of this generation
  std::uint64_t generation_ = 0;
  bool staged_ = false;
  bool committed_ = false;
  bool read_only_ = false;
  bool bulk_load_ = false;
  bool append_only_ = false;
  int lock_fd_ = -1;
  std::atomic<std::uint64_t> bulk_files_{0};  // loaders of several families flush concurrently
  std::unique_ptr<rocksdb::DB> db_;
  mutable absl::Mutex families_mutex_;
  absl::flat_hash_map<std::string, rocksdb::ColumnFamilyHandle*> families_
      ABSL_GUARDED_BY(families_mutex_);
  std::vector<rocksdb::ColumnFamilyHandle*> handles_ ABSL_GUARDED_BY(families_mutex_);
  std::atomic<std::uint64_t> change_seq_{0};  // the last change-log sequence number reserved
};

}  // namespace cg::core::store
