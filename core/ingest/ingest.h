// Ingest: reads every source of a data set (catalog.md) into the RocksDB store, accounting for
// every record: loaded + quarantined = read, per source, printed and stored in meta.
//
// The whole run writes into a staged copy of the database (store.h) and is published by one
// atomic rename at Commit(): a process killed at any moment leaves the previous database.
// Per source, records are updated by (source, rid): unchanged records are not rewritten,
// new/changed/removed ones are written and appended to the change log. Sources that are not in
// the catalog are left as they are.
//
// Parallelism: one TBB pipeline over all csv/jsonl sources, in catalog order — split the text
// at record boundaries (serial, in order, without parsing: CSV quoting states, JSONL LFs) →
// parse, validate and encode (parallel) → write (serial, in order: duplicate rids, change
// detection, SST runs whose sorting, compression and writing run on a background thread).
// Parquet sources are read by the Python layer and pushed through AddExternalRows.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ingest/catalog.h"
#include "core/store/store.h"

namespace cg::core::ingest {

struct IngestOptions {
  std::size_t batch_rows = 4096;      // rows per pipeline token (readers that parse serially)
  std::size_t chunk_bytes = 512 << 10;  // raw text per token of a CSV source (parsed in parallel)
  std::size_t max_tokens = 0;     // batches in flight; 0 = 2 × hardware threads + 2
  bool progress = false;          // one line per source on stderr
};

struct IngestReport {
  std::string dataset;  // the catalog's name
  std::string dataset_dir;
  std::string db_path;
  std::vector<store::SourceCounts> sources;
  /// (source, column) pairs refused by the Art. 42 guard (never read, never stored).
  std::vector<std::pair<std::string, std::string>> refused_columns;
  std::uint64_t read = 0;
  std::uint64_t loaded = 0;
  std::uint64_t quarantined = 0;
  std::uint64_t run = 0;              // ingest runs so far in this database
  std::uint64_t last_change_seq = 0;  // change log position after this run
  double seconds = 0;
};

class SourceWriter;
class LoaderPool;

class IngestSession {
 public:
  /// Validates the catalog (nothing is written if it is refused) and opens a staged store.
  static absl::StatusOr<std::unique_ptr<IngestSession>> Open(const std::string& dataset_dir,
                                                             const std::string& db_path,
                                                             const IngestOptions& options = {});
  ~IngestSession();

  const Catalog& catalog() const { return catalog_; }
  /// Reads one csv or jsonl source.
  absl::Status IngestFileSource(const SourceSpec& spec);
  /// Reads every csv and jsonl source of the catalog.
  absl::Status IngestFileSources();

  /// Rows read elsewhere (Parquet from Python): Begin, any number of batches, End.
  absl::Status BeginExternalSource(std::string_view source_id);
  /// One batch, column-major: names[c] is the column of columns[c]; nullopt / "" = empty.
  absl::Status AddExternalRows(const std::vector<std::string>& names,
                               const std::vector<std::vector<std::optional<std::string>>>& columns);
  absl::Status EndExternalSource();

  /// Publishes the run; every source of the catalog must have been ingested.
  absl::StatusOr<IngestReport> Commit();

 private:
  IngestSession() = default;
  absl::Status FinishSource(SourceWriter& writer, const std::vector<std::string>& refused);
  /// One pipeline over these sources, in this order.
  absl::Status IngestFiles(const std::vector<const SourceSpec*>& specs);

  IngestOptions options_;
  Catalog catalog_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<LoaderPool> loaders_;  // SST loaders reused from source to source
  IngestReport report_;
  std::vector<std::string> done_;
  std::unique_ptr<SourceWriter> external_;
  std::vector<std::string> external_refused_;
  std::uint64_t external_rows_ = 0;
  double started_ = 0;
};

/// Catalog check, every csv/jsonl source, commit. Refuses a catalog with Parquet sources
/// (use the Python creditgraph.ingest.ingest, which reads them with pyarrow).
absl::StatusOr<IngestReport> IngestDataset(const std::string& dataset_dir,
                                           const std::string& db_path,
                                           const IngestOptions& options = {});

/// A one-line-per-source text table of a report (printed at the end of a run).
std::string FormatReport(const IngestReport& report);

}  // namespace cg::core::ingest
