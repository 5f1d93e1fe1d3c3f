// Streaming row readers: CSV (RFC 4180 with libcsv's rules; split at record boundaries without
// parsing, chunks parsed on any thread), JSONL (split at LFs, chunks parsed by simdjson on any
// thread), UTF-8 or GB18030 text (GB18030 is split raw and each chunk converted by ICU on the
// thread that parses it). A reader yields bounded chunks / RowBatch values, so memory does not grow
// with the file. Each cell already carries the canonical field it maps to
// (catalog `columns:`, canonical names, or kAttrField); Art. 42 columns are dropped here and
// never reach a batch.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/ingest/catalog.h"

namespace cg::core::ingest {

/// Column names of a source as seen so far (grows for JSONL); shared, immutable snapshots.
using ColumnNames = std::vector<std::string>;

struct Cell {
  std::uint32_t column;  // index into RowBatch::columns
  std::uint8_t field;    // Field, or kAttrField
  bool in_text = false;  // offset is into RowBatch::text (a slice of the CSV), else the arena
  std::uint32_t offset;  // into RowBatch::arena or RowBatch::text
  std::uint32_t size;
};

/// A bounded run of consecutive rows of one source.
struct RowBatch {
  std::uint64_t first_row = 0;  // 0-based position of the first row in the source
  std::shared_ptr<const ColumnNames> columns;
  /// The CSV text the rows were parsed from (a chunk, moved in without a copy): cells of
  /// unquoted fields and of quoted fields without a doubled quote are slices of it.
  std::string text;
  /// Bytes of the source file the rows were read from (before any conversion), or 0 when not
  /// known (external rows): the writer sizes its duplicate detector from it.
  std::size_t source_bytes = 0;
  std::string arena;  // the other cells' values (unescaped CSV fields, JSONL, external rows)
  std::vector<Cell> cells;
  std::vector<std::uint32_t> row_begin;  // row r = cells[row_begin[r], row_begin[r+1])
  /// Columns of this batch refused by the Art. 42 guard (JSONL keys, found as the batch is
  /// parsed; a CSV reader's are settled by its header, in RowReader::plan()).
  std::vector<std::string> refused;
  /// Rows the reader could not split into fields: (row index in batch, reason).
  std::vector<std::pair<std::uint32_t, std::string>> malformed;

  std::size_t rows() const { return row_begin.empty() ? 0 : row_begin.size() - 1; }
  std::string_view value(const Cell& cell) const {
    return std::string_view((cell.in_text ? text.data() : arena.data()) + cell.offset, cell.size);
  }
  void Clear();
  void BeginRow();
  void AddCell(std::uint32_t column, std::uint8_t field, std::string_view value);
  void EndRows();  // closes the last row's range
};

/// Maps column names onto canonical fields for one source (catalog `columns:` first, then the
/// canonical names themselves); refuses Art. 42 columns.
class ColumnPlan {
 public:
  explicit ColumnPlan(const SourceSpec& spec);
  /// kAttrField, kRefusedField or a Field value.
  std::uint8_t Resolve(std::string_view column_name) const;
  /// Resolve() for every column of a header, with one column per field: when several columns
  /// give the same field (a header naming a column twice, or a `columns:` mapping onto a field
  /// whose canonical name is also a column), the one the catalog maps wins, else the first;
  /// the others are kept as opaque attributes (docs/ingest.md, "Column plan").
  std::vector<std::uint8_t> ResolveHeader(std::span<const std::string> column_names) const;
  /// Names of columns the Art. 42 guard refused so far.
  const std::vector<std::string>& refused() const { return refused_; }
  void NoteRefused(const std::string& name);

 private:
  RecordKind kind_;
  absl::flat_hash_map<std::string, std::uint8_t> mapped_;
  std::vector<std::string> refused_;
};

/// A byte stream of UTF-8 text (GB18030 converted on the fly). The row readers read their file
/// raw and convert GB18030 chunk by chunk (Gb18030ToUtf8); this serial stream is the reference
/// the tests compare them with.
class TextStream {
 public:
  virtual ~TextStream() = default;
  /// Reads up to `capacity` bytes; 0 at the end.
  virtual absl::StatusOr<std::size_t> Read(char* buffer, std::size_t capacity) = 0;
};
absl::StatusOr<std::unique_ptr<TextStream>> OpenTextStream(const SourceSpec& spec);

/// GB18030 text that starts and ends between characters (a whole file, or a piece of one cut
/// right after a CR or LF) converted to UTF-8 into `utf8` (replaced), by ICU with its default
/// substitution (an illegal or truncated sequence becomes U+FFFD). Thread-safe: one ICU
/// converter per thread. Cutting after CR/LF is safe because ICU never takes a byte below 0x30
/// into a multi-byte or illegal sequence (GB18030 trail bytes are 0x30–0x39, 0x40–0x7E,
/// 0x80–0xFE): the pieces convert to exactly the whole text's conversion, and the quotes,
/// commas, blanks, CR and LF that decide CSV record boundaries are the same bytes before and
/// after the conversion (tested on random bytes against one whole-text conversion).
absl::Status Gb18030ToUtf8(std::string_view gb18030, std::string& utf8);
/// Its fast path: text made only of ASCII and two-byte characters that ICU converts cleanly is
/// converted through a table of ICU's own conversion of every two-byte sequence (GB18030 is
/// stateless, so character by character equals ICU on the whole text). False when the text
/// has anything else (a four-byte sequence, an illegal or unassigned byte pair, a byte cut at
/// the end): `utf8` is then unspecified and Gb18030ToUtf8 converts the text with ICU.
bool Gb18030ToUtf8Fast(std::string_view gb18030, std::string& utf8);

/// Raw text of whole records of one source, split off the stream without parsing it, so that
/// the parsing itself can run on any thread (RowReader::ParseChunk).
struct RawChunk {
  std::string bytes;  // as in the file (GB18030 sources: not converted yet)
  bool first = false;  // the start of the file's records (JSONL: a BOM here is dropped)
  bool last = false;  // the end of the source: a quoted field still open here is truncated
};

class RowReader {
 public:
  virtual ~RowReader() = default;
  /// Fills `batch` with about `max_rows` rows (a CSV reader splits by bytes: roughly 64 bytes
  /// per requested row); false when the source is exhausted (and the batch is empty).
  virtual absl::StatusOr<bool> Next(RowBatch& batch, std::size_t max_rows) = 0;
  virtual const ColumnPlan& plan() const = 0;

  /// Readers that can split their text at record boundaries without parsing it (CSV) say so
  /// here; the ingest pipeline then calls NextChunk serially, in order, and ParseChunk on any
  /// thread for any chunk (each chunk starts at a record boundary).
  virtual bool chunked() const { return false; }
  /// The next chunk of at least `min_bytes` (unless the source ends first): false when the
  /// source is exhausted. Exactly one chunk of a source has `last` set (possibly empty).
  virtual absl::StatusOr<bool> NextChunk(RawChunk& chunk, std::size_t min_bytes);
  /// Parses a chunk into `batch` (first_row is left 0: the caller numbers rows in order). The
  /// chunk's text moves into `batch.text` (its cells point into it) and the chunk gets the
  /// batch's previous text buffer, so that buffers keep circulating without copies; a GB18030
  /// chunk is converted into `batch.text` first (the chunk keeps its buffer).
  /// Thread-safe: reads only what NextChunk settled before handing the chunk out.
  virtual absl::Status ParseChunk(RawChunk& chunk, RowBatch& batch) const;
};

/// Rows of CSV text parsed as a whole file (fields as libcsv 3.0 delivers them with default
/// options: quotes removed, "" unescaped, unquoted fields without leading/trailing blanks), and
/// whether the file ended inside a quoted field. Exposed for the tests, which compare the
/// ingest's own parser (ParseCsvText) with libcsv (ParseCsvLibcsv) on random text.
struct CsvRows {
  std::vector<std::vector<std::string>> rows;
  bool truncated = false;
};
CsvRows ParseCsvText(std::string_view text);
CsvRows ParseCsvLibcsv(std::string_view text);

/// A reader for a csv or jsonl source (Parquet is read by the Python layer).
absl::StatusOr<std::unique_ptr<RowReader>> OpenRowReader(const SourceSpec& spec);

}  // namespace cg::core::ingest
