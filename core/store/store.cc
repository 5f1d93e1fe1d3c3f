// The RocksDB store (see store.h for the layout and the generation scheme).
#include "core/store/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/store/record_codec.h"
#include "core/varint.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/memtablerep.h"
#include "rocksdb/options.h"
#include "rocksdb/sst_file_writer.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"

namespace cg::core::store {
namespace fs = std::filesystem;
namespace {

// Debian's Abseil is built with its own absl::string_view (not std::string_view).
absl::string_view Av(std::string_view text) { return {text.data(), text.size()}; }

constexpr std::string_view kCurrentGenFile = "CURRENT_GEN";
constexpr std::string_view kLockFile = "WRITER.lock";

absl::Status FromRocks(const rocksdb::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(Av(what), ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsBusy() || status.IsTimedOut()) return absl::UnavailableError(message);
  return absl::InternalError(message);
}

rocksdb::Slice ToSlice(std::string_view text) { return rocksdb::Slice(text.data(), text.size()); }
std::string_view ToView(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

bool IsBlobFamily(std::string_view name) {
  return name == kBlobsFamily || (name.size() > 6 && name.substr(name.size() - 6) == "_blobs");
}

bool ValidFamilyName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

rocksdb::CompressionType BestCompression(bool strong) {
  const auto supported = rocksdb::GetSupportedCompressions();
  auto has = [&](rocksdb::CompressionType type) {
    return std::find(supported.begin(), supported.end(), type) != supported.end();
  };
  if (strong && has(rocksdb::kZSTD)) return rocksdb::kZSTD;
  if (has(rocksdb::kLZ4Compression)) return rocksdb::kLZ4Compression;
  if (has(rocksdb::kSnappyCompression)) return rocksdb::kSnappyCompression;
  return rocksdb::kNoCompression;
}

bool IsRecordOrChangeFamily(std::string_view name) {
  if (name == kChangesFamily) return true;
  for (int index = 0; index < kNumRecordKinds; ++index) {
    if (name == ToString(RecordKind(index))) return true;
  }
  return false;
}

rocksdb::ColumnFamilyOptions FamilyOptions(std::string_view name, bool bulk_load,
                                           bool append_only = false) {
  rocksdb::ColumnFamilyOptions options;
  if (bulk_load && append_only && IsRecordOrChangeFamily(name)) {
    options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  }
  options.compression = BestCompression(false);
  options.bottommost_compression = BestCompression(true);
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_size = 16 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.write_buffer_size = bulk_load ? 32 << 20 : 16 << 20;
  options.max_write_buffer_number = bulk_load ? 4 : 2;
  if (bulk_load) {
    // Fresh bulk data is rewritten by compaction soon: compress only from level 2 on.
    options.compression_per_level.assign(7, BestCompression(false));
    options.compression_per_level[0] = rocksdb::kNoCompression;
    options.compression_per_level[1] = rocksdb::kNoCompression;
    options.compression_per_level[6] = BestCompression(true);
    options.level0_file_num_compaction_trigger = 8;
    options.level0_slowdown_writes_trigger = 40;
    options.level0_stop_writes_trigger = 60;
    options.target_file_size_base = 64 << 20;
  }
  if (IsBlobFamily(name)) {
    options.enable_blob_files = true;
    options.min_blob_size = 4096;
    options.blob_compression_type = BestCompression(true);
  }
  return options;
}

std::string GenDir(const std::string& path, std::uint64_t generation) {
  return (fs::path(path) / absl::StrFormat("gen-%06d", generation)).string();
}

absl::StatusOr<std::uint64_t> ReadCurrentGen(const std::string& path) {
  std::ifstream in(fs::path(path) / kCurrentGenFile);
  if (!in) return std::uint64_t{0};
  std::string text;
  std::getline(in, text);
  std::uint64_t generation = 0;
  if (!absl::SimpleAtoi(text, &generation)) {
    return absl::DataLossError(absl::StrCat(path, "/", Av(kCurrentGenFile), " holds '", text,
                                            "', not a generation number: the folder is not a "
                                            "CreditGraph database or was damaged"));
  }
  return generation;
}

absl::Status WriteCurrentGen(const std::string& path, std::uint64_t generation) {
  const fs::path final_path = fs::path(path) / kCurrentGenFile;
  const fs::path temp_path = fs::path(path) / absl::StrCat(Av(kCurrentGenFile), ".tmp");
  const std::string text = absl::StrCat(generation, "\n");
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write ", temp_path.string()));
  const bool written = ::write(fd, text.data(), text.size()) == ssize_t(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) {
    return absl::InternalError(absl::StrCat("cannot write ", temp_path.string()));
  }
  std::error_code error;
  fs::rename(temp_path, final_path, error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot publish generation ", generation, ": ",
                                            error.message()));
  }
  const int dir_fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> AcquireWriterLock(const std::string& path) {
  const fs::path lock_path = fs::path(path) / kLockFile;
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot create ", lock_path.string()));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat(
        "the database ", path, " is being written by another process; wait for it to finish"));
  }
  return fd;
}

/// Removes generation folders other than `keep` (orphans of killed staged writers).
void RemoveOrphans(const std::string& path, std::uint64_t keep) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("gen-", 0) != 0) continue;
    std::uint64_t generation = 0;
    if (!absl::SimpleAtoi(name.substr(4), &generation) || generation == keep) continue;
    fs::remove_all(entry.path(), error);
  }
}

// A change-log entry's value (its key is the big-endian sequence number): op, kind, record key.
void ChangeValue(ChangeOp op, RecordKind kind, std::string_view record_key, std::string* out) {
  out->clear();
  out->push_back(char(op));
  out->push_back(char(kind));
  out->append(record_key);
}


/// Visits the changes of one change-log entry whose sequence number is above `after`: a single
/// entry (op, kind, source \0 rid) or a group (kChangeGroupFlag | op, kind, varint source size,
/// source, then per change: varint seq delta — from the key's seq for the first —, varint rid
/// size, rid). False when `visit` asked to stop. A malformed group is skipped from there on.
bool VisitChangeEntry(std::string_view key, std::string_view value, std::uint64_t after,
                      const std::function<bool(const Change&)>& visit) {
  if (value.size() < 3 || key.size() != 8) return true;
  Change change;
  change.seq = DecodeBigEndian64(key);
  const auto op = std::uint8_t(value[0]);
  change.kind = RecordKind(std::uint8_t(value[1]));
  if ((op & kChangeGroupFlag) == 0) {
    if (change.seq <= after) return true;
    change.op = ChangeOp(op);
    const std::string_view rest = value.substr(2);
    const std::size_t split = rest.find('\0');
    change.source = std::string(rest.substr(0, split));
    if (split != std::string_view::npos) change.rid = std::string(rest.substr(split + 1));
    return visit(change);
  }
  change.op = ChangeOp(op & ~kChangeGroupFlag);
  std::string_view rest = value.substr(2);
  std::uint64_t size = 0;
  if (!GetVarint(rest, size) || size > rest.size()) return true;
  change.source = std::string(rest.substr(0, size));
  rest.remove_prefix(size);
  std::uint64_t seq = change.seq;
  while (!rest.empty()) {
    std::uint64_t delta = 0;
    if (!GetVarint(rest, delta) || !GetVarint(rest, size) || size > rest.size()) return true;
    seq += delta;
    if (seq > after) {
      change.seq = seq;
      change.rid.assign(rest.data(), size);
      if (!visit(change)) return false;
    }
    rest.remove_prefix(size);
  }
  return true;
}

/// The sequence number of the last change of a change-log entry (its key's for a single one).
std::uint64_t LastSeqOfChangeEntry(std::string_view key, std::string_view value) {
  std::uint64_t last = DecodeBigEndian64(key);
  VisitChangeEntry(key, value, 0, [&](const Change& change) {
    last = change.seq;
    return true;
  });
  return last;
}

}  // namespace

std::string EncodeBigEndian64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (int index = 7; index >= 0; --index) {
    bytes[index] = char(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

std::uint64_t DecodeBigEndian64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t index = 0; index < 8 && index < bytes.size(); ++index) {
    value = (value << 8) | std::uint8_t(bytes[index]);
  }
  return value;
}

std::string RecordKey(std::string_view source, std::string_view rid) {
  std::string key;
  key.reserve(source.size() + rid.size() + 1);
  key.append(source);
  key.push_back('\0');
  key.append(rid);
  return key;
}

std::string_view ToString(ChangeOp op) {
  switch (op) {
    case ChangeOp::kInsert: return "insert";
    case ChangeOp::kUpdate: return "update";
    case ChangeOp::kDelete: return "delete";
  }
  return "?";
}

// ----------------------------------------------------------------------------------- Batch

Batch::Batch(Store& store) : store_(store), batch_(std::make_unique<rocksdb::WriteBatch>()) {}
Batch::~Batch() = default;

absl::Status Batch::Put(std::string_view family, std::string_view key, std::string_view value) {
  auto handle = store_.Family(family);
  if (!handle.ok()) return handle.status();
  return FromRocks(batch_->Put(*handle, ToSlice(key), ToSlice(value)), "batch put");
}

absl::Status Batch::Put(rocksdb::ColumnFamilyHandle* family, std::string_view key,
                        std::string_view value) {
  return FromRocks(batch_->Put(family, ToSlice(key), ToSlice(value)), "batch put");
}

absl::Status Batch::Delete(std::string_view family, std::string_view key) {
  auto handle = store_.Family(family);
  if (!handle.ok()) return handle.status();
  return FromRocks(batch_->Delete(*handle, ToSlice(key)), "batch delete");
}

absl::Status Batch::DeleteRange(std::string_view family, std::string_view begin,
                                std::string_view end) {
  auto handle = store_.Family(family);
  if (!handle.ok()) return handle.status();
  return FromRocks(batch_->DeleteRange(*handle, ToSlice(begin), ToSlice(end)),
                   "batch delete range");
}

absl::Status Batch::PutRecord(const Record& record) {
  return PutEncodedRecord(record.kind, RecordKey(record.source, record.rid),
                          EncodeRecord(record));
}

absl::Status Batch::PutEncodedRecord(RecordKind kind, std::string_view key,
                                     std::string_view value) {
  return Put(ToString(kind), key, value);
}

absl::Status Batch::DeleteRecord(RecordKind kind, std::string_view source, std::string_view rid) {
  return Delete(ToString(kind), RecordKey(source, rid));
}

absl::Status Batch::PutQuarantine(const QuarantineEntry& entry) {
  std::string key = RecordKey(entry.source, entry.rid);
  key.push_back('\0');
  key.append(EncodeBigEndian64(entry.seq));
  std::string value;
  value.reserve(entry.field.size() + entry.reason.size() + entry.raw.size() + 2);
  value.append(entry.field);
  value.push_back('\0');
  value.append(entry.reason);
  value.push_back('\0');
  value.append(entry.raw);
  return Put(kQuarantineFamily, key, value);
}

absl::Status Batch::AppendChange(ChangeOp op, RecordKind kind, std::string_view source,
                                 std::string_view rid) {
  return AppendChangeForKey(op, kind, RecordKey(source, rid));
}

absl::Status Batch::AppendChangeForKey(ChangeOp op, RecordKind kind,
                                       std::string_view record_key) {
  if (changes_ == nullptr) {
    auto handle = store_.Family(kChangesFamily);
    if (!handle.ok()) return handle.status();
    changes_ = *handle;
  }
  const std::uint64_t seq = store_.ReserveChangeSeq();
  last_change_seq_ = std::max(last_change_seq_, seq);
  ChangeValue(op, kind, record_key, &scratch_);
  return Put(changes_, EncodeBigEndian64(seq), scratch_);
}

absl::Status Batch::PutMeta(std::string_view key, std::string_view value) {
  return Put(kMetaFamily, key, value);
}

absl::Status Batch::SetCursor(std::string_view stage, std::uint64_t seq) {
  return PutMeta(absl::StrCat("cursor/", Av(stage)), EncodeBigEndian64(seq));
}

absl::Status Batch::PutSourceCounts(const SourceCounts& counts) {
  return PutMeta(absl::StrCat("count/", counts.source),
                 absl::StrCat(Av(ToString(counts.kind)), " ", counts.read, " ", counts.loaded, " ",
                              counts.quarantined, " ", counts.flagged, " ", counts.inserted, " ",
                              counts.updated, " ", counts.deleted));
}

absl::Status Batch::PutBlob(std::string_view key, std::string_view value) {
  return Put(kBlobsFamily, key, value);
}

std::size_t Batch::Count() const { return batch_->Count(); }
std::size_t Batch::ByteSize() const { return batch_->GetDataSize(); }
void Batch::Clear() { batch_->Clear(); }

// ------------------------------------------------------------------------------- SstLoader

SstLoader::SstLoader(Store& store, rocksdb::ColumnFamilyHandle* family, std::size_t run_bytes)
    : store_(store), family_(family), run_bytes_(std::max<std::size_t>(run_bytes, 1 << 16)) {}

SstLoader::~SstLoader() {
  (void)WaitRun();
  std::error_code error;
  for (const std::string& file : files_) fs::remove(file, error);
}

void SstLoader::Restart(rocksdb::ColumnFamilyHandle* family) {
  (void)WaitRun();
  family_ = family;
  current_.arena.clear();
  current_.entries.clear();
  current_.sorted = true;
  entries_ = 0;
  group_count_ = 0;
  files_.clear();
  pending_status_ = absl::OkStatus();
  finished_ = false;
}

void SstLoader::Add(std::string_view key, std::string_view value) {
  // One allocation per run buffer (pages are touched as it fills), no copies as it grows.
  if (current_.arena.capacity() < run_bytes_) current_.arena.reserve(run_bytes_ + (1 << 16));
  if (current_.arena.size() + key.size() + value.size() > run_bytes_ &&
      !current_.entries.empty()) {
    // The run goes to the background writer; its status is kept for Finish.
    pending_status_.Update(StartRun());
  }
  const Entry entry{std::uint32_t(current_.arena.size()), std::uint32_t(key.size()),
                    std::uint32_t(value.size())};
  if (current_.sorted && !current_.entries.empty() &&
      !(current_.KeyOf(current_.entries.back()) < key)) {
    current_.sorted = false;
  }
  current_.arena.append(key);
  current_.arena.append(value);
  current_.entries.push_back(entry);
  ++entries_;
}

void SstLoader::AddChange(ChangeOp op, RecordKind kind, std::string_view record_key) {
  const std::uint64_t seq = store_.ReserveChangeSeq();
  const std::size_t split = record_key.find('\0');
  const std::string_view source =
      split == std::string_view::npos ? record_key : record_key.substr(0, split);
  const std::string_view rid =
      split == std::string_view::npos ? std::string_view() : record_key.substr(split + 1);
  // Consecutive changes of one source, op and kind with consecutive sequence numbers share one
  // entry (a group; ReadChanges yields them one by one): one SST entry per kChangeGroupMax
  // changes instead of one per change.
  if (group_count_ > 0 &&
      (group_count_ == kChangeGroupMax || seq != group_last_ + 1 || op != group_op_ ||
       kind != group_kind_ || source != group_source_)) {
    FlushChangeGroup();
  }
  if (group_count_ == 0) {
    group_first_ = seq;
    group_op_ = op;
    group_kind_ = kind;
    group_source_.assign(source);
    group_value_.clear();
    group_value_.push_back(char(kChangeGroupFlag | std::uint8_t(op)));
    group_value_.push_back(char(kind));
    PutVarint(group_value_, source.size());
    group_value_.append(source);
    PutVarint(group_value_, 0);
  } else {
    PutVarint(group_value_, seq - group_last_);
  }
  PutVarint(group_value_, rid.size());
  group_value_.append(rid);
  group_last_ = seq;
  ++group_count_;
}

void SstLoader::FlushChangeGroup() {
  if (group_count_ == 0) return;
  group_count_ = 0;
  Add(EncodeBigEndian64(group_first_), group_value_);
}

absl::Status SstLoader::WaitRun() {
  if (!writer_) return absl::OkStatus();
  writer_->join();
  writer_.reset();
  absl::Status status = std::move(writer_status_);
  writer_status_ = absl::OkStatus();
  return status;
}

absl::Status SstLoader::StartRun() {
  if (current_.entries.empty()) return absl::OkStatus();
  absl::Status previous = WaitRun();
  // The finished run's buffers (capacity kept) become the next run to fill.
  std::swap(current_, writing_);
  current_.arena.clear();
  current_.entries.clear();
  current_.sorted = true;
  rocksdb::Options options(store_.db_->GetDBOptions(), store_.db_->GetOptions(family_));
  // Bulk runs are written once and compacted later (or read as they are): cheap compression.
  // LZ4 kept on evidence (docs/ingest.md): SF=0.01's CSV sources take 42 MB with it, 129 MB
  // without, and switching it off saved no measurable CPU (writing 3x the bytes costs too).
  options.compression = BestCompression(false);
  options.bottommost_compression = rocksdb::kDisableCompressionOption;
  options.compression_per_level.clear();
  std::string path = store_.NextBulkFile();
  files_.push_back(path);
  const bool skip_filters = family_->GetName() == kChangesFamily;
  writer_ = std::make_unique<std::thread>([this, options, skip_filters, path = std::move(path)] {
    Run& run = writing_;
    if (!run.sorted) {
      std::sort(run.entries.begin(), run.entries.end(), [&](const Entry& left, const Entry& right) {
        return run.KeyOf(left) < run.KeyOf(right);
      });
    }
    // The change log is only ever scanned (ReadChanges), never read by key: no filter.
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), options, family_,
                                  /*invalidate_page_cache=*/true, rocksdb::Env::IO_TOTAL,
                                  /*skip_filters=*/skip_filters);
    auto status = FromRocks(writer.Open(path), "bulk load: open SST file");
    for (std::size_t index = 0; status.ok() && index < run.entries.size(); ++index) {
      const Entry& entry = run.entries[index];
      if (index > 0 && run.KeyOf(run.entries[index - 1]) == run.KeyOf(entry)) {
        status =
            absl::InternalError("bulk load: the same key was added twice to one column family");
        break;
      }
      status = FromRocks(writer.Put(ToSlice(run.KeyOf(entry)),
                                    ToSlice(std::string_view(run.arena).substr(
                                        entry.offset + entry.key_size, entry.value_size))),
                         "bulk load: write SST file");
    }
    if (status.ok()) status = FromRocks(writer.Finish(), "bulk load: finish SST file");
    writer_status_ = std::move(status);
  });
  return previous;
}

absl::Status SstLoader::FlushRun() {
  FlushChangeGroup();
  absl::Status status = StartRun();
  status.Update(WaitRun());
  return status;
}

absl::Status SstLoader::Finish() {
  if (finished_) return absl::FailedPreconditionError("SstLoader::Finish() was already called");
  finished_ = true;
  if (auto status = FlushRun(); !status.ok()) return status;
  if (auto status = pending_status_; !status.ok()) return status;
  if (files_.empty()) return absl::OkStatus();
  rocksdb::IngestExternalFileOptions options;
  options.move_files = true;
  options.allow_global_seqno = true;
  options.allow_blocking_flush = true;
  auto status = FromRocks(store_.db_->IngestExternalFile(family_, files_, options),
                          "bulk load: ingest SST files");
  std::error_code error;
  for (const std::string& file : files_) fs::remove(file, error);
  files_.clear();
  return status;
}

// ----------------------------------------------------------------------------------- Store

std::string Store::NextBulkFile() {
  const fs::path folder = fs::path(gen_dir_) / "bulk";
  std::error_code error;
  fs::create_directories(folder, error);
  return (folder / absl::StrFormat("run-%08d.sst", ++bulk_files_)).string();
}

absl::Status Store::OpenDb(const std::string& db_dir, const OpenOptions& options) {
  read_only_ = options.read_only;
  bulk_load_ = options.bulk_load;
  append_only_ = options.bulk_load && options.append_only;
  gen_dir_ = db_dir;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.bytes_per_sync = 1 << 20;
  if (options.bulk_load) db_options.max_subcompactions = 1;
  // Vector memtables do not take concurrent inserts (we write from one thread anyway).
  if (append_only_) db_options.allow_concurrent_memtable_write = false;
  // One budget for every memtable of every column family: memory does not grow with the
  // number of families (or the data).
  db_options.db_write_buffer_size = options.bulk_load ? 128 << 20 : 64 << 20;

  std::vector<std::string> names;
  rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(db_options, db_dir, &names);
  if (!listed.ok()) names = {rocksdb::kDefaultColumnFamilyName};
  for (std::string_view fixed : {kMetaFamily, kQuarantineFamily, kChangesFamily}) {
    if (!read_only_ && std::find(names.begin(), names.end(), fixed) == names.end()) {
      names.emplace_back(fixed);
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, FamilyOptions(name, options.bulk_load, append_only_));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status =
      read_only_ ? rocksdb::DB::OpenForReadOnly(db_options, db_dir, descriptors, &handles, &raw)
                 : rocksdb::DB::Open(db_options, db_dir, descriptors, &handles, &raw);
  if (!status.ok()) return FromRocks(status, absl::StrCat("cannot open database ", db_dir));
  db_.reset(raw);
  {
    absl::MutexLock lock(&families_mutex_);
    for (std::size_t index = 0; index < handles.size(); ++index) {
      families_[names[index]] = handles[index];
      handles_.push_back(handles[index]);
    }
  }
  // The change-log counter continues after the last stored entry.
  std::uint64_t last = 0;
  if (HasFamily(kChangesFamily)) {
    auto handle = Family(kChangesFamily);
    if (!handle.ok()) return handle.status();
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), *handle));
    it->SeekToLast();
    if (it->Valid()) last = LastSeqOfChangeEntry(ToView(it->key()), ToView(it->value()));
  }
  change_seq_.store(last);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& path,
                                                   const OpenOptions& options) {
  std::error_code error;
  if (!fs::exists(path, error)) {
    if (options.read_only || !options.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("no database at ", path,
                                              ": run `creditgraph ingest DIR --db ", path,
                                              "` first"));
    }
    fs::create_directories(path, error);
    if (error) {
      return absl::InternalError(absl::StrCat("cannot create ", path, ": ", error.message()));
    }
  }
  auto generation = ReadCurrentGen(path);
  if (!generation.ok()) return generation.status();
  std::unique_ptr<Store> store(new Store());  // private constructor
  store->path_ = path;
  if (!options.read_only) {
    auto fd = AcquireWriterLock(path);
    if (!fd.ok()) return fd.status();
    store->lock_fd_ = *fd;
    if (*generation == 0) {
      *generation = 1;
      if (auto status = WriteCurrentGen(path, 1); !status.ok()) return status;
    }
    RemoveOrphans(path, *generation);
  } else if (*generation == 0) {
    return absl::NotFoundError(absl::StrCat(path, " is not a CreditGraph database (no ",
                                            Av(kCurrentGenFile), "): run `creditgraph ingest` "
                                            "first"));
  }
  store->generation_ = *generation;
  if (auto status = store->OpenDb(GenDir(path, *generation), options); !status.ok()) {
    return status;
  }
  return store;
}

absl::StatusOr<std::unique_ptr<Store>> Store::OpenStaged(const std::string& path,
                                                         const OpenOptions& options) {
  if (options.read_only) return absl::InvalidArgumentError("a staged store cannot be read-only");
  std::uint64_t next = 0;
  int lock_fd = -1;
  {
    // Open the committed generation, checkpoint it into the next one, close it.
    OpenOptions plain = options;
    plain.bulk_load = false;
    plain.append_only = false;
    auto current = Open(path, plain);
    if (!current.ok()) return current.status();
    next = (*current)->generation_ + 1;
    const std::string next_dir = GenDir(path, next);
    std::error_code error;
    fs::remove_all(next_dir, error);
    rocksdb::Checkpoint* raw_checkpoint = nullptr;
    auto status = FromRocks(rocksdb::Checkpoint::Create((*current)->db_.get(), &raw_checkpoint),
                            "checkpoint");
    if (!status.ok()) return status;
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw_checkpoint);
    status = FromRocks(checkpoint->CreateCheckpoint(next_dir), "checkpoint");
    if (!status.ok()) return status;
    // Keep the writer lock across the hand-over.
    lock_fd = (*current)->lock_fd_;
    (*current)->lock_fd_ = -1;
  }
  std::unique_ptr<Store> store(new Store());
  store->path_ = path;
  store->staged_ = true;
  store->lock_fd_ = lock_fd;
  store->generation_ = next;
  if (auto status = store->OpenDb(GenDir(path, next), options); !status.ok()) return status;
  return store;
}

Store::~Store() {
  {
    absl::MutexLock lock(&families_mutex_);
    if (db_) {
      for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
      handles_.clear();
      families_.clear();
    }
  }
  if (db_) {
    db_->Close();
    db_.reset();
  }
  if (staged_ && !committed_ && !gen_dir_.empty()) {
    std::error_code error;
    fs::remove_all(gen_dir_, error);
  }
  if (lock_fd_ >= 0) {
    ::flock(lock_fd_, LOCK_UN);
    ::close(lock_fd_);
  }
}

absl::Status Store::Commit() {
  if (!staged_ || committed_ || !db_) {
    return absl::FailedPreconditionError("Commit() is for an open staged store, once");
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  {
    absl::MutexLock lock(&families_mutex_);
    handles = handles_;
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  if (auto status = FromRocks(db_->Flush(flush, handles), "flush"); !status.ok()) return status;
  if (auto status = FromRocks(db_->SyncWAL(), "sync"); !status.ok()) return status;
  {
    absl::MutexLock lock(&families_mutex_);
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    handles_.clear();
    families_.clear();
  }
  if (auto status = FromRocks(db_->Close(), "close"); !status.ok()) return status;
  db_.reset();
  {
    std::error_code error;
    fs::remove_all(fs::path(gen_dir_) / "bulk", error);  // SstLoader's folder (empty by now)
  }
  if (auto status = WriteCurrentGen(path_, generation_); !status.ok()) return status;
  committed_ = true;
  RemoveOrphans(path_, generation_);
  return absl::OkStatus();
}

absl::StatusOr<rocksdb::ColumnFamilyHandle*> Store::Family(std::string_view name) {
  {
    absl::MutexLock lock(&families_mutex_);
    if (auto found = families_.find(Av(name)); found != families_.end()) return found->second;
  }
  if (!db_) return absl::FailedPreconditionError("the store is closed");
  if (!ValidFamilyName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("column family name '", Av(name), "' must match [a-z0-9_]+"));
  }
  if (read_only_) {
    return absl::NotFoundError(absl::StrCat("column family '", Av(name), "' does not exist"));
  }
  absl::MutexLock lock(&families_mutex_);
  if (auto found = families_.find(Av(name)); found != families_.end()) return found->second;
  rocksdb::ColumnFamilyHandle* handle = nullptr;
  auto status = FromRocks(
      db_->CreateColumnFamily(FamilyOptions(name, bulk_load_, append_only_), std::string(name),
                              &handle),
      absl::StrCat("cannot create column family ", Av(name)));
  if (!status.ok()) return status;
  families_[std::string(name)] = handle;
  handles_.push_back(handle);
  return handle;
}

absl::Status Store::DropFamily(std::string_view name) {
  if (!db_) return absl::FailedPreconditionError("the store is closed");
  if (read_only_) return absl::FailedPreconditionError("the store is read-only");
  absl::MutexLock lock(&families_mutex_);
  auto found = families_.find(Av(name));
  if (found == families_.end()) return absl::OkStatus();
  rocksdb::ColumnFamilyHandle* handle = found->second;
  if (auto status = FromRocks(db_->DropColumnFamily(handle), absl::StrCat("cannot drop column family ", Av(name)));
      !status.ok()) {
    return status;
  }
  families_.erase(found);
  std::erase(handles_, handle);
  return FromRocks(db_->DestroyColumnFamilyHandle(handle), absl::StrCat("cannot close column family ", Av(name)));
}

bool Store::HasFamily(std::string_view name) const {
  absl::MutexLock lock(&families_mutex_);
  return families_.contains(Av(name));
}

std::vector<std::string> Store::FamilyNames() const {
  absl::MutexLock lock(&families_mutex_);
  std::vector<std::string> names;
  for (const auto& [name, handle] : families_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status Store::Put(std::string_view family, std::string_view key, std::string_view value) {
  Batch batch(*this);
  if (auto status = batch.Put(family, key, value); !status.ok()) return status;
  return Write(batch);
}

absl::StatusOr<std::optional<std::string>> Store::Get(std::string_view family,
                                                      std::string_view key) {
  if (!HasFamily(family)) return std::optional<std::string>();
  auto handle = Family(family);
  if (!handle.ok()) return handle.status();
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), *handle, ToSlice(key), &value);
  if (status.IsNotFound()) return std::optional<std::string>();
  if (!status.ok()) return FromRocks(status, "get");
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::Delete(std::string_view family, std::string_view key) {
  Batch batch(*this);
  if (auto status = batch.Delete(family, key); !status.ok()) return status;
  return Write(batch);
}

absl::Status Store::ScanRange(
    std::string_view family, std::string_view begin, std::string_view end,
    const std::function<bool(std::string_view, std::string_view)>& visit) {
  if (!HasFamily(family)) return absl::OkStatus();
  auto handle = Family(family);
  if (!handle.ok()) return handle.status();
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper = ToSlice(end);
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, *handle));
  for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
    if (!visit(ToView(it->key()), ToView(it->value()))) break;
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Store::ScanPrefix(
    std::string_view family, std::string_view prefix,
    const std::function<bool(std::string_view, std::string_view)>& visit) {
  // The upper bound of a prefix: the prefix with its last non-0xff byte incremented.
  std::string end(prefix);
  while (!end.empty() && std::uint8_t(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = char(std::uint8_t(end.back()) + 1);
  return ScanRange(family, prefix, end, visit);
}

absl::Status Store::Write(Batch& batch, bool sync) {
  if (!db_) return absl::FailedPreconditionError("the store is closed");
  if (read_only_) return absl::FailedPreconditionError("the store was opened read-only");
  rocksdb::WriteOptions options;
  options.sync = sync && !staged_;
  options.disableWAL = staged_ && bulk_load_;  // flushed on Commit instead
  return FromRocks(db_->Write(options, batch.batch_.get()), "write");
}

std::uint64_t Store::ReserveChangeSeq() {
  // Once per change-log entry (millions in a bulk load): an atomic, not the families' mutex.
  return change_seq_.fetch_add(1) + 1;
}

absl::StatusOr<std::optional<Record>> Store::GetRecord(RecordKind kind, std::string_view source,
                                                       std::string_view rid) {
  auto value = Get(ToString(kind), RecordKey(source, rid));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<Record>();
  auto record = DecodeRecord(**value);
  if (!record.ok()) return record.status();
  return std::optional<Record>(std::move(*record));
}

absl::Status Store::ForEachRecord(RecordKind kind, std::string_view source,
                                  const std::function<bool(const Record&)>& visit) {
  const std::string prefix = source.empty() ? std::string() : RecordKey(source, "");
  absl::Status decode_status;
  auto status = ScanPrefix(ToString(kind), prefix, [&](std::string_view, std::string_view value) {
    auto record = DecodeRecord(value);
    if (!record.ok()) {
      decode_status = record.status();
      return false;
    }
    return visit(*record);
  });
  return status.ok() ? decode_status : status;
}

absl::StatusOr<std::uint64_t> Store::CountRecords(RecordKind kind, std::string_view source) {
  const std::string prefix = source.empty() ? std::string() : RecordKey(source, "");
  std::uint64_t count = 0;
  auto status = ScanPrefix(ToString(kind), prefix, [&](std::string_view, std::string_view) {
    ++count;
    return true;
  });
  if (!status.ok()) return status;
  return count;
}

absl::Status Store::ForEachQuarantine(std::string_view source,
                                      const std::function<bool(const QuarantineEntry&)>& visit) {
  const std::string prefix = source.empty() ? std::string() : RecordKey(source, "");
  return ScanPrefix(kQuarantineFamily, prefix, [&](std::string_view key, std::string_view value) {
    QuarantineEntry entry;
    const std::size_t first = key.find('\0');
    if (first == std::string_view::npos || key.size() < first + 10) return true;
    entry.source = std::string(key.substr(0, first));
    entry.rid = std::string(key.substr(first + 1, key.size() - first - 10));
    entry.seq = DecodeBigEndian64(key.substr(key.size() - 8));
    std::vector<std::string> parts = absl::StrSplit(Av(value), absl::MaxSplits('\0', 2));
    if (parts.size() == 3) {
      entry.field = std::string(parts[0]);
      entry.reason = std::string(parts[1]);
      entry.raw = std::string(parts[2]);
    }
    return visit(entry);
  });
}

std::uint64_t Store::LastChangeSeq() const { return change_seq_.load(); }

absl::Status Store::ReadChanges(std::uint64_t after,
                                const std::function<bool(const Change&)>& visit) {
  if (!HasFamily(kChangesFamily)) return absl::OkStatus();
  auto handle = Family(kChangesFamily);
  if (!handle.ok()) return handle.status();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), *handle));
  // A group entry is keyed by its first change: the one that may hold `after + 1` starts at or
  // before it.
  const std::string begin = EncodeBigEndian64(after + 1);
  it->SeekForPrev(ToSlice(begin));
  if (!it->Valid()) it->Seek(ToSlice(begin));
  for (; it->Valid(); it->Next()) {
    if (!VisitChangeEntry(ToView(it->key()), ToView(it->value()), after, visit)) break;
  }
  return FromRocks(it->status(), "scan");
}

absl::StatusOr<std::uint64_t> Store::GetCursor(std::string_view stage) {
  auto value = GetMeta(absl::StrCat("cursor/", Av(stage)));
  if (!value.ok()) return value.status();
  return value->has_value() ? DecodeBigEndian64(**value) : 0;
}

absl::StatusOr<std::optional<std::string>> Store::GetMeta(std::string_view key) {
  return Get(kMetaFamily, key);
}

namespace {
std::optional<SourceCounts> ParseCounts(std::string_view source, std::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(Av(text), ' ');
  if (parts.size() != 8) return std::nullopt;
  SourceCounts counts;
  counts.source = std::string(source);
  auto kind = ParseRecordKind(std::string_view(parts[0].data(), parts[0].size()));
  if (!kind) return std::nullopt;
  counts.kind = *kind;
  std::uint64_t* fields[] = {&counts.read,     &counts.loaded,  &counts.quarantined,
                             &counts.flagged,  &counts.inserted, &counts.updated,
                             &counts.deleted};
  for (std::size_t index = 0; index < 7; ++index) {
    if (!absl::SimpleAtoi(parts[index + 1], fields[index])) return std::nullopt;
  }
  return counts;
}
}  // namespace

absl::StatusOr<std::optional<SourceCounts>> Store::GetSourceCounts(std::string_view source) {
  auto value = GetMeta(absl::StrCat("count/", Av(source)));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<SourceCounts>();
  return ParseCounts(source, **value);
}

absl::StatusOr<std::vector<SourceCounts>> Store::AllSourceCounts() {
  std::vector<SourceCounts> all;
  auto status = ScanPrefix(kMetaFamily, "count/", [&](std::string_view key, std::string_view value) {
    if (auto counts = ParseCounts(key.substr(6), value)) all.push_back(*counts);
    return true;
  });
  if (!status.ok()) return status;
  return all;
}

absl::StatusOr<std::optional<std::string>> Store::GetBlob(std::string_view key) {
  return Get(kBlobsFamily, key);
}

}  // namespace cg::core::store
