// The ingest run (see ingest.h): TBB pipeline per source, staged store, change detection.
#include "core/ingest/ingest.h"

#include <tbb/concurrent_queue.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <xxhash.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "core/date.h"
#include "core/huge_pages.h"
#include "core/ingest/fields.h"
#include "core/ingest/rows.h"
#include "core/ingest/validate.h"
#include "core/store/record_codec.h"

namespace cg::core::ingest {
namespace {

using store::Batch;
using store::ChangeOp;
using store::SourceCounts;
using store::Store;

constexpr std::size_t kFlushBytes = 8 << 20;
constexpr std::size_t kRunBytes = 16 << 20;  // per SST file of the bulk path

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct RidHash {
  std::uint64_t low;
  std::uint64_t high;
  bool operator==(const RidHash& other) const = default;
  template <typename H>
  friend H AbslHashValue(H state, const RidHash& hash) {
    return H::combine(std::move(state), hash.low, hash.high);
  }
};

RidHash HashRid(std::string_view rid) {
  const XXH128_hash_t hash = XXH3_128bits(rid.data(), rid.size());
  return {hash.low64, hash.high64};
}

/// What the parallel stage makes of one row.
struct RowOutcome {
  bool ok = false;
  bool flagged = false;
  RidHash rid_hash{0, 0};  // of rid (computed in the parallel stage)
  std::string rid;
  std::string value;  // encoded record when ok
  std::string field;  // quarantine
  std::string reason;
  std::string raw;
};

struct Work {
  std::size_t source = 0;           // index into the pipeline's sources
  bool last = false;                // the last token of its source
  const RowReader* reader = nullptr;
  RawChunk chunk;                   // raw text to parse in the parallel stage (chunked readers)
  bool parse = false;
  absl::Status status;              // of the parallel stage
  RowBatch rows;
  std::vector<RowOutcome> outcomes;
};

/// `verdict` is the calling thread's, reused row after row. The record is validated into a view
/// of the row and encoded from there (no Record with copies of every value in between).
void ProcessRow(const SourceSpec& spec, Work& work, std::size_t row, RowViewVerdict& verdict) {
  ValidateRowView(spec, work.rows, row, verdict);
  RowOutcome& outcome = work.outcomes[row];
  // Outcomes are reused from batch to batch (WorkPool): assign every member, keep capacity.
  outcome.ok = verdict.ok;
  outcome.flagged = false;
  outcome.rid.assign(verdict.record.rid);
  outcome.rid_hash = HashRid(outcome.rid);
  outcome.value.clear();
  if (verdict.ok) {
    outcome.flagged = !verdict.record.flags.empty();
    store::EncodeRecord(verdict.record, outcome.value);
  } else {
    outcome.field.assign(verdict.field);
    outcome.reason.assign(verdict.reason);
    outcome.raw = RowToJson(work.rows, row);
  }
}

/// Batches in flight are recycled, so that their rows, cells and encoded values keep their
/// capacity instead of being allocated anew for every row.
class WorkPool {
 public:
  std::shared_ptr<Work> Get() {
    std::unique_ptr<Work> work;
    if (!free_.try_pop(work)) work = std::make_unique<Work>();
    work->rows.Clear();
    work->source = 0;
    work->last = false;
    work->reader = nullptr;
    work->parse = false;
    work->status = absl::OkStatus();
    // Hand it out with a deleter that returns it here.
    return std::shared_ptr<Work>(work.release(), [this](Work* done) {
      free_.push(std::unique_ptr<Work>(done));
    });
  }

 private:
  tbb::concurrent_queue<std::unique_ptr<Work>> free_;
};

/// Validates a batch on the calling thread (the pipeline's parallel stage runs many at once).
void Process(const SourceSpec& spec, Work& work) {
  thread_local RowViewVerdict verdict;
  RowViewVerdict& reused = verdict;  // one thread-local lookup per batch, not per row
  work.outcomes.resize(work.rows.rows());
  for (std::size_t row = 0; row < work.outcomes.size(); ++row) {
    ProcessRow(spec, work, row, reused);
  }
}

/// Validates one large batch with a parallel loop (external rows arrive one batch at a time).
void ProcessParallel(const SourceSpec& spec, Work& work) {
  work.outcomes.resize(work.rows.rows());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, work.outcomes.size(), 512),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      thread_local RowViewVerdict verdict;
                      RowViewVerdict& reused = verdict;
                      for (std::size_t row = range.begin(); row < range.end(); ++row) {
                        ProcessRow(spec, work, row, reused);
                      }
                    });
}

}  // namespace

/// SST loaders kept from source to source (their run buffers stay allocated), one pool per
/// role (records, change log: a change-log loader's runs stay small, so it is never reused for
/// records). A source's loaders finish (last run written, files ingested) on a background
/// thread while the next source is being written; at most kMaxPerRole loaders per role exist
/// (one being written, one finishing), so memory stays bounded.
class LoaderPool {
 public:
  enum Role { kRecords = 0, kChanges = 1 };
  ~LoaderPool() { (void)WaitAll(); }

  std::unique_ptr<store::SstLoader> Take(Store& store, rocksdb::ColumnFamilyHandle* family,
                                         Role role) {
    std::vector<std::unique_ptr<store::SstLoader>>& free = free_[role];
    while (free.empty()) {
      if (made_[role] < kMaxPerRole || finishing_.empty()) {
        ++made_[role];
        return std::make_unique<store::SstLoader>(store, family, kRunBytes);
      }
      ReapOldest();
    }
    std::unique_ptr<store::SstLoader> loader = std::move(free.back());
    free.pop_back();
    loader->Restart(family);
    return loader;
  }

  /// Runs loader->Finish() in the background; its status is reported by WaitAll.
  void FinishAsync(std::unique_ptr<store::SstLoader> loader, Role role) {
    auto job = std::make_unique<Finishing>();
    job->loader = std::move(loader);
    job->role = role;
    Finishing* raw = job.get();
    job->thread = std::thread([raw] { raw->status = raw->loader->Finish(); });
    finishing_.push_back(std::move(job));
  }

  /// Waits for every loader still finishing; the first error of any of them.
  absl::Status WaitAll() {
    while (!finishing_.empty()) ReapOldest();
    return status_;
  }

 private:
  static constexpr std::size_t kMaxPerRole = 2;
  struct Finishing {
    std::unique_ptr<store::SstLoader> loader;
    Role role = kRecords;
    std::thread thread;
    absl::Status status;
  };
  void ReapOldest() {
    Finishing& job = *finishing_.front();
    job.thread.join();
    status_.Update(job.status);
    free_[job.role].push_back(std::move(job.loader));
    finishing_.pop_front();
  }

  std::vector<std::unique_ptr<store::SstLoader>> free_[2];
  std::deque<std::unique_ptr<Finishing>> finishing_;
  std::size_t made_[2] = {0, 0};
  absl::Status status_;
};

/// The serial, in-order end of a source's pipeline.
class SourceWriter {
 public:
  SourceWriter(Store& store, const SourceSpec& spec, LoaderPool& loaders)
      : store_(store), spec_(spec), batch_(store), loaders_(loaders) {
    counts_.source = spec.id;
    counts_.kind = spec.kind;
  }
  const SourceSpec& spec() const { return spec_; }
  const SourceCounts& counts() const { return counts_; }

  /// Art. 42 columns a batch found (JSONL keys), merged in the order the batches come in; then
  /// `settled` (the reader's plan: a CSV header's) first, each name once.
  void NoteRefused(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      if (std::find(refused_.begin(), refused_.end(), name) == refused_.end()) {
        refused_.push_back(name);
      }
    }
  }
  std::vector<std::string> Refused(const std::vector<std::string>& settled) const {
    std::vector<std::string> all = settled;
    for (const std::string& name : refused_) {
      if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
    }
    return all;
  }

  absl::Status Begin() {
    auto handle = store_.Family(ToString(spec_.kind));
    if (!handle.ok()) return handle.status();
    records_ = *handle;
    auto previous = store_.GetSourceCounts(spec_.id);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      if ((*previous)->kind != spec_.kind) {
        // The source changed kind: everything it had under the old kind is removed.
        if (auto status = DeleteStale((*previous)->kind, /*all=*/true); !status.ok()) {
          return status;
        }
      } else {
        had_previous_ = true;
      }
    }
    if (!had_previous_ && store_.staged()) {
      // A source new to the database: its records and change-log entries go into SST files
      // ingested at the end of the source (no write batch, memtable or flush).
      auto changes = store_.Family(store::kChangesFamily);
      if (!changes.ok()) return changes.status();
      record_loader_ = loaders_.Take(store_, records_, LoaderPool::kRecords);
      change_loader_ = loaders_.Take(store_, *changes, LoaderPool::kChanges);
    }
    const std::string begin = store::RecordKey(spec_.id, "");
    std::string end = spec_.id;
    end.push_back('\x01');
    if (auto status = batch_.DeleteRange(store::kQuarantineFamily, begin, end); !status.ok()) {
      return status;
    }
    return absl::OkStatus();
  }

  absl::Status Write(Work& work) {
    const RowBatch& rows = work.rows;
    ReserveSeen(rows);
    // The duplicate detector is a large hash table (24 bytes per record of the source): its
    // slots are random accesses, so they are prefetched a few rows ahead.
    constexpr std::size_t kPrefetchAhead = 8;
    const std::size_t count = work.outcomes.size();
    for (std::size_t row = 0; row < std::min(count, kPrefetchAhead); ++row) {
      seen_.prefetch(work.outcomes[row].rid_hash);
    }
    for (std::size_t row = 0; row < count; ++row) {
      if (row + kPrefetchAhead < count) seen_.prefetch(work.outcomes[row + kPrefetchAhead].rid_hash);
      RowOutcome& outcome = work.outcomes[row];
      const std::uint64_t position = rows.first_row + row;
      ++counts_.read;
      if (outcome.ok) {
        auto [entry, inserted] = seen_.try_emplace(outcome.rid_hash, position);
        if (!inserted) {
          outcome.ok = false;
          outcome.field = "rid";
          outcome.reason = "duplicate rid '" + outcome.rid + "' (first at row " +
                           std::to_string(entry->second + 1) + " of the source)";
          outcome.raw = RowToJson(rows, row);
        }
      }
      if (!outcome.ok) {
        ++counts_.quarantined;
        auto status = batch_.PutQuarantine(
            {spec_.id, outcome.rid, position, outcome.field, outcome.reason, outcome.raw});
        if (!status.ok()) return status;
        continue;
      }
      ++counts_.loaded;
      if (outcome.flagged) ++counts_.flagged;
      key_.assign(spec_.id);
      key_.push_back('\0');
      key_.append(outcome.rid);
      const std::string& key = key_;
      if (record_loader_) {
        record_loader_->Add(key, outcome.value);
        change_loader_->AddChange(ChangeOp::kInsert, spec_.kind, key);
        ++counts_.inserted;
        continue;
      }
      ChangeOp op = ChangeOp::kInsert;
      if (had_previous_) {
        auto old = store_.Get(ToString(spec_.kind), key);
        if (!old.ok()) return old.status();
        if (old->has_value()) {
          if (**old == outcome.value) continue;  // unchanged: idempotent
          op = ChangeOp::kUpdate;
        }
      }
      if (auto status = batch_.Put(records_, key, outcome.value); !status.ok()) return status;
      if (auto status = batch_.AppendChangeForKey(op, spec_.kind, key); !status.ok()) {
        return status;
      }
      ++(op == ChangeOp::kInsert ? counts_.inserted : counts_.updated);
    }
    return MaybeFlush();
  }

  /// Deletes the records of this source that the run did not load, then stores the counts.
  absl::Status Finish(const std::vector<std::string>& refused) {
    if (record_loader_) {
      loaders_.FinishAsync(std::move(record_loader_), LoaderPool::kRecords);
      loaders_.FinishAsync(std::move(change_loader_), LoaderPool::kChanges);
    }
    if (had_previous_) {
      if (auto status = DeleteStale(spec_.kind, /*all=*/false); !status.ok()) return status;
    }
    if (auto status = batch_.PutSourceCounts(counts_); !status.ok()) return status;
    std::string refused_text;
    for (const std::string& name : refused) {
      if (!refused_text.empty()) refused_text.push_back('\n');
      refused_text += name;
    }
    if (auto status = batch_.PutMeta("art42/" + spec_.id, refused_text); !status.ok()) {
      return status;
    }
    if (auto status = batch_.PutMeta("source/" + spec_.id,
                                     std::string(ToString(spec_.kind)) + " " +
                                         std::string(ToString(spec_.format)) + " " + spec_.path);
        !status.ok()) {
      return status;
    }
    return Flush();
  }

 private:
  /// Sizes the duplicate detector once, from the source's first batch: its rows per byte of the
  /// file (before any GB18030 conversion) times the file's size (an estimate), so that the
  /// table is not rehashed again and again as it grows (each rehash of a large table is a
  /// pass of cache misses, on the serial writer).
  void ReserveSeen(const RowBatch& rows) {
    if (seen_reserved_ || rows.rows() == 0) return;
    seen_reserved_ = true;
    const std::size_t sample = rows.source_bytes != 0 ? rows.source_bytes : rows.text.size();
    if (sample == 0) return;
    std::error_code error;
    const std::uintmax_t file_bytes = std::filesystem::file_size(spec_.full_path, error);
    if (error || file_bytes <= sample) return;
    const double estimate = double(rows.rows()) * double(file_bytes) / double(sample);
    // At most 8 M rows ahead (~256 MB): a first chunk of unusually short rows must not reserve
    // far more than the source holds; past that the table grows by itself.
    constexpr double kMaxReserve = 8 << 20;
    seen_.reserve(std::size_t(std::min(estimate * 1.05, kMaxReserve)));
  }

  absl::Status MaybeFlush() {
    if (batch_.ByteSize() < kFlushBytes) return absl::OkStatus();
    return Flush();
  }
  absl::Status Flush() {
    if (batch_.Count() == 0) return absl::OkStatus();
    auto status = store_.Write(batch_);
    batch_.Clear();
    return status;
  }

  absl::Status DeleteStale(RecordKind kind, bool all) {
    if (auto status = Flush(); !status.ok()) return status;
    absl::Status inner;
    const std::string prefix = store::RecordKey(spec_.id, "");
    auto status = store_.ScanPrefix(
        ToString(kind), prefix, [&](std::string_view key, std::string_view) {
          const std::string_view rid = key.substr(prefix.size());
          if (!all && seen_.contains(HashRid(rid))) return true;
          inner = batch_.Delete(ToString(kind), key);
          if (inner.ok()) inner = batch_.AppendChange(ChangeOp::kDelete, kind, spec_.id, rid);
          if (inner.ok()) inner = MaybeFlush();
          ++counts_.deleted;
          return inner.ok();
        });
    if (!status.ok()) return status;
    return inner;
  }

  Store& store_;
  const SourceSpec& spec_;
  Batch batch_;
  LoaderPool& loaders_;
  SourceCounts counts_;
  bool had_previous_ = false;
  rocksdb::ColumnFamilyHandle* records_ = nullptr;
  std::string key_;
  std::unique_ptr<store::SstLoader> record_loader_;  // bulk path (source new to the database)
  std::unique_ptr<store::SstLoader> change_loader_;
  std::vector<std::string> refused_;  // Art. 42 columns found by batches (JSONL keys)
  // rid hash -> first row; on huge pages (random slots in tens of MB miss the TLB otherwise)
  absl::flat_hash_map<RidHash, std::uint64_t, absl::Hash<RidHash>, std::equal_to<RidHash>,
                      HugePageAllocator<std::pair<const RidHash, std::uint64_t>>>
      seen_;
  bool seen_reserved_ = false;
};

IngestSession::~IngestSession() = default;

absl::StatusOr<std::unique_ptr<IngestSession>> IngestSession::Open(
    const std::string& dataset_dir, const std::string& db_path, const IngestOptions& options) {
  auto catalog = LoadCatalog(dataset_dir);
  if (!catalog.ok()) return catalog.status();
  std::unique_ptr<IngestSession> session(new IngestSession());
  session->started_ = Now();
  session->options_ = options;
  if (session->options_.max_tokens == 0) {
    session->options_.max_tokens = 2 * std::max(1u, std::thread::hardware_concurrency()) + 2;
  }
  session->catalog_ = std::move(*catalog);
  session->db_path_ = db_path;
  // A first load (no source counted yet) never reads records back: append-only memtables.
  bool fresh = true;
  if (auto existing = Store::Open(db_path, {.read_only = true}); existing.ok()) {
    auto counts = (*existing)->AllSourceCounts();
    fresh = counts.ok() && counts->empty();
  }
  auto store = Store::OpenStaged(db_path, {.bulk_load = true, .append_only = fresh});
  if (!store.ok()) return store.status();
  session->store_ = std::move(*store);
  session->loaders_ = std::make_unique<LoaderPool>();
  session->report_.dataset = session->catalog_.name;
  session->report_.dataset_dir = dataset_dir;
  session->report_.db_path = db_path;
  return session;
}

absl::Status IngestSession::FinishSource(SourceWriter& writer,
                                         const std::vector<std::string>& refused) {
  if (auto status = writer.Finish(refused); !status.ok()) return status;
  const SourceCounts& counts = writer.counts();
  report_.sources.push_back(counts);
  report_.read += counts.read;
  report_.loaded += counts.loaded;
  report_.quarantined += counts.quarantined;
  for (const std::string& name : refused) report_.refused_columns.emplace_back(counts.source, name);
  done_.push_back(counts.source);
  if (options_.progress) {
    std::fprintf(stderr, "ingest: %-28s read %10llu  loaded %10llu  quarantined %8llu\n",
                 counts.source.c_str(), static_cast<unsigned long long>(counts.read),
                 static_cast<unsigned long long>(counts.loaded),
                 static_cast<unsigned long long>(counts.quarantined));
  }
  return absl::OkStatus();
}

absl::Status IngestSession::IngestFileSource(const SourceSpec& spec) {
  return IngestFiles({&spec});
}

absl::Status IngestSession::IngestFileSources() {
  std::vector<const SourceSpec*> specs;
  for (const SourceSpec& spec : catalog_.sources) {
    if (spec.format != Format::kParquet) specs.push_back(&spec);
  }
  return IngestFiles(specs);
}

absl::Status IngestSession::IngestFiles(const std::vector<const SourceSpec*>& specs) {
  for (const SourceSpec* spec : specs) {
    if (std::find(done_.begin(), done_.end(), spec->id) != done_.end()) {
      return absl::FailedPreconditionError("source '" + spec->id + "' was already ingested");
    }
  }
  if (specs.empty()) return absl::OkStatus();
  // One pipeline for all the sources, in catalog order: the next source is read and validated
  // while the previous one is still being written, so no stage waits at a source's end.
  std::vector<std::unique_ptr<RowReader>> readers(specs.size());
  std::size_t current = 0;  // input stage: the source being read
  absl::Status read_status;
  absl::Status write_status;
  std::atomic<bool> failed{false};
  std::unique_ptr<SourceWriter> writer;  // output stage: the source being written
  std::uint64_t next_row = 0;
  const std::size_t batch_rows = options_.batch_rows;
  const std::size_t chunk_bytes = options_.chunk_bytes;
  WorkPool pool;  // outlives every batch of the pipeline
  tbb::parallel_pipeline(
      options_.max_tokens,
      tbb::make_filter<void, std::shared_ptr<Work>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& control) -> std::shared_ptr<Work> {
            if (current == specs.size() || failed.load()) {
              control.stop();
              return nullptr;
            }
            if (!readers[current]) {
              auto reader = OpenRowReader(*specs[current]);
              if (!reader.ok()) {
                read_status = reader.status();
                failed = true;
                control.stop();
                return nullptr;
              }
              readers[current] = std::move(*reader);
            }
            RowReader& reader = *readers[current];
            auto work = pool.Get();
            work->source = current;
            work->reader = &reader;
            absl::StatusOr<bool> more;
            if (reader.chunked()) {
              more = reader.NextChunk(work->chunk, chunk_bytes);
              work->parse = more.ok() && *more;
              work->last = work->parse && work->chunk.last;
            } else {
              more = reader.Next(work->rows, batch_rows);
              work->last = more.ok() && !*more;
            }
            if (!more.ok()) {
              read_status = more.status();
              failed = true;
              control.stop();
              return nullptr;
            }
            if (!*more) work->last = true;  // an empty end-of-source token
            if (work->last) ++current;
            return work;
          }) &
          tbb::make_filter<std::shared_ptr<Work>, std::shared_ptr<Work>>(
              tbb::filter_mode::parallel,
              [&](std::shared_ptr<Work> work) {
                if (failed.load()) return work;
                if (work->parse) work->status = work->reader->ParseChunk(work->chunk, work->rows);
                if (work->status.ok()) Process(*specs[work->source], *work);
                return work;
              }) &
          tbb::make_filter<std::shared_ptr<Work>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Work> work) {
                if (!write_status.ok() || failed.load()) return;
                write_status = work->status;
                if (write_status.ok() && !writer) {
                  writer = std::make_unique<SourceWriter>(*store_, *specs[work->source],
                                                          *loaders_);
                  write_status = writer->Begin();
                  next_row = 0;
                }
                if (write_status.ok()) {
                  work->rows.first_row = next_row;
                  next_row += work->rows.rows();
                  writer->NoteRefused(work->rows.refused);
                  write_status = writer->Write(*work);
                }
                if (write_status.ok() && work->last) {
                  write_status =
                      FinishSource(*writer, writer->Refused(work->reader->plan().refused()));
                  writer.reset();
                }
                if (!write_status.ok()) failed = true;
              }));
  if (!read_status.ok()) return read_status;
  if (!write_status.ok()) return write_status;
  return loaders_->WaitAll();
}

absl::Status IngestSession::BeginExternalSource(std::string_view source_id) {
  if (external_) return absl::FailedPreconditionError("an external source is already open");
  const SourceSpec* found = nullptr;
  for (const SourceSpec& spec : catalog_.sources) {
    if (spec.id == source_id) found = &spec;
  }
  if (!found) {
    return absl::NotFoundError("source '" + std::string(source_id) + "' is not in the catalog");
  }
  if (std::find(done_.begin(), done_.end(), found->id) != done_.end()) {
    return absl::FailedPreconditionError("source '" + found->id + "' was already ingested");
  }
  external_ = std::make_unique<SourceWriter>(*store_, *found, *loaders_);
  external_refused_.clear();
  external_rows_ = 0;
  return external_->Begin();
}

absl::Status IngestSession::AddExternalRows(
    const std::vector<std::string>& names,
    const std::vector<std::vector<std::optional<std::string>>>& columns) {
  if (!external_) return absl::FailedPreconditionError("BeginExternalSource first");
  if (names.size() != columns.size()) {
    return absl::InvalidArgumentError("AddExternalRows: one name per column");
  }
  const SourceSpec& spec = external_->spec();
  ColumnPlan plan(spec);
  std::vector<std::uint8_t> fields;
  auto column_names = std::make_shared<ColumnNames>(names);
  fields = plan.ResolveHeader(names);
  for (std::size_t index = 0; index < names.size(); ++index) {
    const std::string& name = names[index];
    if (fields[index] == kRefusedField &&
        std::find(external_refused_.begin(), external_refused_.end(), name) ==
            external_refused_.end()) {
      external_refused_.push_back(name);
    }
  }
  const std::size_t rows = columns.empty() ? 0 : columns[0].size();
  for (const auto& column : columns) {
    if (column.size() != rows) {
      return absl::InvalidArgumentError("AddExternalRows: columns of different lengths");
    }
  }
  Work work;
  work.rows.columns = column_names;
  work.rows.first_row = external_rows_;
  for (std::size_t row = 0; row < rows; ++row) {
    work.rows.BeginRow();
    for (std::size_t column = 0; column < columns.size(); ++column) {
      if (fields[column] == kRefusedField) continue;
      const std::optional<std::string>& value = columns[column][row];
      if (!value || value->empty()) continue;
      std::string_view text = *value;
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
      if (!text.empty()) work.rows.AddCell(std::uint32_t(column), fields[column], text);
    }
  }
  work.rows.EndRows();
  external_rows_ += rows;
  ProcessParallel(spec, work);
  return external_->Write(work);
}

absl::Status IngestSession::EndExternalSource() {
  if (!external_) return absl::FailedPreconditionError("no external source is open");
  auto status = FinishSource(*external_, external_refused_);
  external_.reset();
  return status;
}

absl::StatusOr<IngestReport> IngestSession::Commit() {
  if (external_) return absl::FailedPreconditionError("EndExternalSource first");
  for (const SourceSpec& spec : catalog_.sources) {
    if (std::find(done_.begin(), done_.end(), spec.id) == done_.end()) {
      return absl::FailedPreconditionError(
          "source '" + spec.id + "' (" + std::string(ToString(spec.format)) +
          ") was not ingested; nothing was written" +
          (spec.format == Format::kParquet
               ? " (Parquet sources are read by creditgraph.ingest.ingest in Python)"
               : ""));
    }
  }
  auto previous_run = store_->GetMeta("stage/ingest/run");
  if (!previous_run.ok()) return previous_run.status();
  std::uint64_t run = 0;
  if (previous_run->has_value()) {
    if (!absl::SimpleAtoi(**previous_run, &run)) run = 0;
  }
  report_.run = run + 1;
  report_.last_change_seq = store_->LastChangeSeq();
  report_.seconds = Now() - started_;
  Batch batch(*store_);
  const std::string name = catalog_.name.empty() ? "unnamed" : catalog_.name;
  std::string sources;
  for (const SourceSpec& spec : catalog_.sources) {
    if (!sources.empty()) sources.push_back(' ');
    sources += spec.id;
  }
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"catalog/" + name, catalog_.yaml},
           {"catalog/current", name},
           {"stage/ingest/status", "done"},
           {"stage/ingest/version", "1"},
           {"stage/ingest/run", std::to_string(report_.run)},
           {"stage/ingest/dataset_dir", report_.dataset_dir},
           {"stage/ingest/as_of", FormatDate(catalog_.as_of)},
           {"stage/ingest/sources", sources},
           {"stage/ingest/last_change_seq", std::to_string(report_.last_change_seq)},
       }) {
    if (auto status = batch.PutMeta(key, value); !status.ok()) return status;
  }
  if (auto status = store_->Write(batch); !status.ok()) return status;
  if (auto status = loaders_->WaitAll(); !status.ok()) return status;
  loaders_.reset();  // before the store they load into
  if (auto status = store_->Commit(); !status.ok()) return status;
  store_.reset();
  return report_;
}

absl::StatusOr<IngestReport> IngestDataset(const std::string& dataset_dir,
                                           const std::string& db_path,
                                           const IngestOptions& options) {
  auto catalog = LoadCatalog(dataset_dir);
  if (!catalog.ok()) return catalog.status();
  for (const SourceSpec& spec : catalog->sources) {
    if (spec.format == Format::kParquet) {
      return absl::InvalidArgumentError(
          "source '" + spec.id +
          "' is Parquet, which the C++ reader does not read: use creditgraph.ingest.ingest "
          "(Python, pyarrow) or `creditgraph ingest`");
    }
  }
  auto session = IngestSession::Open(dataset_dir, db_path, options);
  if (!session.ok()) return session.status();
  if (auto status = (*session)->IngestFileSources(); !status.ok()) return status;
  return (*session)->Commit();
}

std::string FormatReport(const IngestReport& report) {
  char line[256];
  std::string out;
  std::snprintf(line, sizeof line, "%-28s %-11s %10s %10s %11s %8s %8s %8s %8s\n", "source",
                "kind", "read", "loaded", "quarantined", "flagged", "inserted", "updated",
                "deleted");
  out += line;
  for (const auto& counts : report.sources) {
    std::snprintf(line, sizeof line, "%-28s %-11s %10llu %10llu %11llu %8llu %8llu %8llu %8llu\n",
                  counts.source.c_str(), std::string(ToString(counts.kind)).c_str(),
                  static_cast<unsigned long long>(counts.read),
                  static_cast<unsigned long long>(counts.loaded),
                  static_cast<unsigned long long>(counts.quarantined),
                  static_cast<unsigned long long>(counts.flagged),
                  static_cast<unsigned long long>(counts.inserted),
                  static_cast<unsigned long long>(counts.updated),
                  static_cast<unsigned long long>(counts.deleted));
    out += line;
  }
  std::snprintf(line, sizeof line, "%-28s %-11s %10llu %10llu %11llu   (%.2f s)\n", "total", "",
                static_cast<unsigned long long>(report.read),
                static_cast<unsigned long long>(report.loaded),
                static_cast<unsigned long long>(report.quarantined), report.seconds);
  out += line;
  for (const auto& [source, column] : report.refused_columns) {
    out += "Art. 42: refused column '" + column + "' of source '" + source +
           "' (never read, never stored)\n";
  }
  return out;
}

}  // namespace cg::core::ingest
