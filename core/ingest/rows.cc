// Streaming readers (see rows.h): CSV split by ScanCsvRows and parsed by ParseCsv (libcsv's
// rules; libcsv itself kept as the tests' reference), JSONL split at LFs and parsed by
// simdjson, ICU for GB18030 (a chunk at a time, on the parsing thread).
#include "core/ingest/rows.h"

#include <csv.h>
#include <simdjson.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/ingest/fields.h"

namespace cg::core::ingest {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;

std::string_view TrimAscii(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file) std::fclose(file);
  }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

absl::StatusOr<FilePtr> OpenFile(const SourceSpec& spec) {
  FilePtr file(std::fopen(spec.full_path.c_str(), "rb"));
  if (!file) {
    return absl::NotFoundError("source '" + spec.id + "': cannot open " + spec.full_path + ": " +
                               std::strerror(errno));
  }
  return file;
}

/// The file's bytes as they are (UTF-8 text, or GB18030 for the row readers to convert).
class RawStream : public TextStream {
 public:
  explicit RawStream(FilePtr file) : file_(std::move(file)) {}
  absl::StatusOr<std::size_t> Read(char* buffer, std::size_t capacity) override {
    const std::size_t count = std::fread(buffer, 1, capacity, file_.get());
    if (count == 0 && std::ferror(file_.get())) return absl::DataLossError("read error");
    return count;
  }

 private:
  FilePtr file_;
};

struct ConverterCloser {
  void operator()(UConverter* converter) const {
    if (converter) ucnv_close(converter);
  }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Drops a UTF-8 BOM (GB18030's, 84 31 95 33, converts to it) from the start of `text`.
void DropUtf8Bom(std::string& text) {
  if (std::string_view(text).substr(0, 3) == kUtf8Bom) text.erase(0, 3);
}

/// GB18030 -> UTF-8 in streaming chunks (ucnv_convertEx keeps partial characters across calls).
class Gb18030Stream : public TextStream {
 public:
  Gb18030Stream(FilePtr file, ConverterPtr source, ConverterPtr target)
      : file_(std::move(file)), source_(std::move(source)), target_(std::move(target)) {
    pivot_source_ = pivot_target_ = pivot_.data();
  }
  absl::StatusOr<std::size_t> Read(char* buffer, std::size_t capacity) override {
    char* out = buffer;
    while (out == buffer) {
      if (input_begin_ == input_end_ && !eof_) {
        const std::size_t count = std::fread(input_.data(), 1, input_.size(), file_.get());
        if (count == 0 && std::ferror(file_.get())) return absl::DataLossError("read error");
        input_begin_ = input_.data();
        input_end_ = input_.data() + count;
        eof_ = count == 0;
      }
      if (done_) return 0;
      UErrorCode error = U_ZERO_ERROR;
      ucnv_convertEx(target_.get(), source_.get(), &out, buffer + capacity, &input_begin_,
                     input_end_, pivot_.data(), &pivot_source_, &pivot_target_,
                     pivot_.data() + pivot_.size(), first_, eof_, &error);
      first_ = false;
      if (error == U_BUFFER_OVERFLOW_ERROR) break;
      if (U_FAILURE(error)) {
        return absl::DataLossError(std::string("GB18030 conversion failed: ") +
                                   u_errorName(error));
      }
      if (eof_) done_ = true;
    }
    return std::size_t(out - buffer);
  }

 private:
  FilePtr file_;
  ConverterPtr source_;
  ConverterPtr target_;
  std::array<char, kChunkBytes> input_{};
  const char* input_begin_ = nullptr;
  const char* input_end_ = nullptr;
  std::array<UChar, 4096> pivot_{};
  UChar* pivot_source_;
  UChar* pivot_target_;
  bool first_ = true;
  bool eof_ = false;
  bool done_ = false;
};

// ------------------------------------------------------------------------------------- CSV

// Record boundaries without parsing. The states of libcsv's parser (csv_parse in libcsv 3.0,
// default options) reduced to what decides whether a CR or LF ends a row: a split right after
// a row-ending CR/LF leaves libcsv in its initial state, so parsing the chunks one by one
// gives exactly the rows of parsing the whole file (tested against that on random input with
// quoted newlines, doubled quotes, stray quotes and spaces after closing quotes).
enum CsvState : std::uint8_t {
  kRowNotBegun,     // ROW_NOT_BEGUN: CR/LF are blank lines, not rows
  kFieldNotBegun,   // FIELD_NOT_BEGUN: after a comma
  kUnquoted,        // FIELD_BEGUN, not quoted: quotes are literal
  kQuoted,          // FIELD_BEGUN, quoted: only a quote matters
  kMightEnd,        // FIELD_MIGHT_HAVE_ENDED with no spaces after the quote
  kMightEndSpaces,  // FIELD_MIGHT_HAVE_ENDED after spaces (a quote now is literal)
};
enum CsvClass : std::uint8_t { kOther, kQuoteChar, kComma, kTerm, kSpace };

constexpr std::array<CsvClass, 256> MakeCsvClasses() {
  std::array<CsvClass, 256> classes{};
  classes['"'] = kQuoteChar;
  classes[','] = kComma;
  classes['\r'] = kTerm;
  classes['\n'] = kTerm;
  classes[' '] = kSpace;
  classes['\t'] = kSpace;
  return classes;
}
constexpr std::array<CsvClass, 256> kCsvClass = MakeCsvClasses();

// kCsvNext[state][class]; a CR/LF in a state other than kRowNotBegun/kQuoted ends the row (handled
// before the table is consulted).
constexpr CsvState kCsvNext[6][5] = {
    /* kRowNotBegun   */ {kUnquoted, kQuoted, kFieldNotBegun, kRowNotBegun, kRowNotBegun},
    /* kFieldNotBegun */ {kUnquoted, kQuoted, kFieldNotBegun, kRowNotBegun, kFieldNotBegun},
    /* kUnquoted      */ {kUnquoted, kUnquoted, kFieldNotBegun, kRowNotBegun, kUnquoted},
    /* kQuoted        */ {kQuoted, kMightEnd, kQuoted, kQuoted, kQuoted},
    /* kMightEnd      */ {kQuoted, kQuoted, kFieldNotBegun, kRowNotBegun, kMightEndSpaces},
    /* kMightEndSpaces*/ {kQuoted, kMightEnd, kFieldNotBegun, kRowNotBegun, kMightEndSpaces},
};

/// The next '"', CR or LF in data[from, size), or size: 16 bytes per step (SSE2, which every
/// x86-64 has), the rest byte by byte.
std::size_t FindQuoteOrTerm(const char* data, std::size_t from, std::size_t size) {
  std::size_t index = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  for (; index + 16 <= size; index += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + index));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, quote),
                                                   _mm_cmpeq_epi8(block, cr)),
                                      _mm_cmpeq_epi8(block, lf));
    if (const int mask = _mm_movemask_epi8(hits); mask != 0) {
      return index + std::size_t(__builtin_ctz(unsigned(mask)));
    }
  }
#endif
  for (; index < size; ++index) {
    const char c = data[index];
    if (c == '"' || c == '\r' || c == '\n') return index;
  }
  return size;
}

/// The last character before `position` that is not a blank (space, tab), or '\n' when there
/// is none (the text starts at a record boundary, where the parser is in its initial state).
char PreviousNonBlank(const char* data, std::size_t position) {
  while (position > 0 && (data[position - 1] == ' ' || data[position - 1] == '\t')) --position;
  return position == 0 ? '\n' : data[position - 1];
}

/// Scans text[from, size) from `state`; returns the position just after the first row-ending
/// CR/LF at or after `min_end`, or npos (then `from`'s state at the end is left in `state`).
///
/// Outside quotes (row not begun, field not begun, unquoted) only quotes and CR/LF matter, so
/// they are found 16 bytes at a time. Which of the three states holds is decided by looking
/// back over blanks, and only where it matters: a quote opens a quoted field when the last
/// non-blank before it is a comma, a CR/LF or the start of the text (libcsv: a quote in a
/// field not begun), else it is literal (unquoted field); a CR/LF at or after `min_end` ends a
/// row unless the last non-blank before it is a CR/LF or the start (a blank line: row not
/// begun). Inside quotes memchr finds the next quote; after it, the few states of a field that
/// might have ended are followed byte by byte with libcsv's table.
std::size_t ScanCsvRows(std::string_view text, std::size_t& from, CsvState& state,
                        std::size_t min_end) {
  const char* data = text.data();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  const std::size_t size = text.size();
  std::size_t index = from;
  CsvState current = state;
  std::size_t found = std::string_view::npos;
  auto is_term = [](char c) { return c == '\r' || c == '\n'; };
  while (index < size) {
    if (current == kQuoted) {
      const void* quote = std::memchr(data + index, '"', size - index);
      if (quote == nullptr) {
        index = size;
        break;
      }
      index = std::size_t(static_cast<const char*>(quote) - data) + 1;
      current = kMightEnd;
      continue;
    }
    if (current == kMightEnd || current == kMightEndSpaces) {
      const CsvClass type = kCsvClass[bytes[index++]];
      if (type == kTerm) {  // the row (begun: it has a quoted field) ends
        current = kRowNotBegun;
        if (index >= min_end) {
          found = index;
          break;
        }
        continue;
      }
      current = kCsvNext[current][type];
      continue;
    }
    // Outside quotes.
    index = FindQuoteOrTerm(data, index, size);
    if (index == size) break;
    const char c = data[index];
    if (c == '"') {
      const char before = PreviousNonBlank(data, index);
      current = before == ',' || is_term(before) ? kQuoted : kUnquoted;
      ++index;
      continue;
    }
    const bool row_ends = index + 1 >= min_end && !is_term(PreviousNonBlank(data, index));
    ++index;
    current = kRowNotBegun;
    if (row_ends) {
      found = index;
      break;
    }
  }
  from = index;
  state = current;
  return found;
}

/// The CSV parser of the ingest: libcsv's rules (see the states above) without its
/// byte-at-a-time callback loop — unquoted fields are slices of the text, quoted ones are
/// found with memchr and copied only when they hold a doubled quote or text after the closing
/// quote. `sink.Field(value)` per field, `sink.Row(fields, truncated)` per row. Tested against
/// libcsv itself (ParseCsvLibcsv) on random text.
template <typename Sink>
void ParseCsv(std::string_view text, Sink& sink, std::string& scratch) {
  const char* cursor = text.data();
  const char* const end = cursor + text.size();
  std::size_t fields = 0;
  bool in_row = false;          // not ROW_NOT_BEGUN
  bool at_field_start = true;   // ROW_NOT_BEGUN or FIELD_NOT_BEGUN
  auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  auto is_term = [](char c) { return c == '\r' || c == '\n'; };
  auto end_row = [&](bool truncated) {
    sink.Row(fields, truncated);
    fields = 0;
    in_row = false;
    at_field_start = true;
  };
  while (cursor < end) {
    const char c = *cursor;
    if (is_blank(c)) {  // blanks before a field are skipped
      ++cursor;
      continue;
    }
    if (is_term(c)) {
      ++cursor;
      if (in_row) {  // a row ending in an empty field; else a blank line
        sink.Field(std::string_view());
        ++fields;
        end_row(false);
      }
      continue;
    }
    in_row = true;
    if (c == ',') {
      sink.Field(std::string_view());
      ++fields;
      ++cursor;
      continue;
    }
    if (c != '"') {  // unquoted: up to a comma or CR/LF, quotes literal, trailing blanks cut
      const char* start = cursor;
      while (cursor < end && *cursor != ',' && !is_term(*cursor)) ++cursor;
      const char* stop = cursor;
      while (stop > start && is_blank(stop[-1])) --stop;
      sink.Field(std::string_view(start, std::size_t(stop - start)));
      ++fields;
      if (cursor == end) {
        at_field_start = false;
        break;
      }
      if (*cursor++ != ',') end_row(false);
      continue;
    }
    // Quoted. `scratch` holds the field when it is not one slice of the text.
    ++cursor;
    const char* start = cursor;
    bool copied = false;
    std::string_view value;
    enum { kComma, kRowEnd, kTextEnd, kTruncated } how = kTextEnd;
    while (true) {
      const void* found = std::memchr(cursor, '"', std::size_t(end - cursor));
      if (found == nullptr) {  // the text ends inside the quotes
        value = copied ? std::string_view(scratch.append(cursor, end))
                       : std::string_view(start, std::size_t(end - start));
        cursor = end;
        how = kTruncated;
        break;
      }
      const char* quote = static_cast<const char*>(found);
      // After a quote (FIELD_MIGHT_HAVE_ENDED): blanks are held back with it.
      const char* after = quote + 1;
      const char* blanks_end = after;
      while (blanks_end < end && is_blank(*blanks_end)) ++blanks_end;
      if (blanks_end == end || *blanks_end == ',' || is_term(*blanks_end)) {
        // The field ends: the quote and the blanks after it are dropped.
        value = copied ? std::string_view(scratch.append(cursor, quote))
                       : std::string_view(start, std::size_t(quote - start));
        cursor = blanks_end;
        how = cursor == end ? kTextEnd : *cursor == ',' ? kComma : kRowEnd;
        if (cursor < end) ++cursor;
        break;
      }
      if (!copied) {
        scratch.assign(start, cursor);
        copied = true;
      }
      scratch.append(cursor, quote);
      if (*blanks_end == '"' && blanks_end == after) {
        scratch.push_back('"');  // "" inside quotes: one quote, still quoted
        cursor = after + 1;
      } else {
        // Text after the quote (or blanks and another quote, the new candidate end): the
        // quote and the blanks are text.
        scratch.append(quote, blanks_end);
        cursor = blanks_end;
      }
    }
    sink.Field(value);
    ++fields;
    if (how == kTruncated) {
      end_row(true);
      break;
    }
    if (how == kRowEnd) end_row(false);
    if (how == kTextEnd) at_field_start = false;
  }
  if (in_row) {  // the last row has no CR/LF (csv_fini); after a comma, one more empty field
    if (at_field_start) {
      sink.Field(std::string_view());
      ++fields;
    }
    end_row(false);
  }
}

namespace {
struct CollectRows {
  CsvRows* out;
  std::vector<std::string> row;
  void Field(std::string_view value) { row.emplace_back(value); }
  void Row(std::size_t, bool truncated) {
    out->rows.push_back(std::move(row));
    row.clear();
    out->truncated = out->truncated || truncated;
  }
};

/// `status` with the source named in its message.
absl::Status SourceError(const SourceSpec& spec, const absl::Status& status) {
  return absl::Status(status.code(), "source '" + spec.id + "': " + std::string(status.message()));
}

/// Appends up to `want` bytes of `stream` to `pending` (at least 64 KB, at most 8 MB per call:
/// a caller asking for huge chunks reads in steps instead of zero-filling a huge buffer first),
/// dropping a UTF-8 BOM at the start of the file; sets `eof` when the stream is exhausted.
absl::Status ReadMoreInto(TextStream& stream, const SourceSpec& spec, std::size_t want, std::string& pending,
                          bool& first_read, bool& eof) {
  want = std::clamp<std::size_t>(want, 64 << 10, 8 << 20);
  const std::size_t old_size = pending.size();
  pending.resize(old_size + want);
  auto count = stream.Read(pending.data() + old_size, want);
  if (!count.ok()) {
    pending.resize(old_size);
    return absl::Status(count.status().code(),
                        "source '" + spec.id + "': " + std::string(count.status().message()));
  }
  pending.resize(old_size + *count);
  if (first_read) {
    first_read = false;
    DropUtf8Bom(pending);
  }
  if (*count == 0) eof = true;
  return absl::OkStatus();
}
}  // namespace

class CsvReader : public RowReader {
 public:
  /// `stream` gives the file's bytes as they are: a GB18030 source's chunks are converted by
  /// ParseChunk (its record boundaries are found in the raw bytes: see Gb18030ToUtf8).
  CsvReader(const SourceSpec& spec, std::unique_ptr<TextStream> stream)
      : spec_(spec),
        plan_(spec),
        stream_(std::move(stream)),
        gb18030_(spec.encoding == Encoding::kGb18030),
        first_read_(!gb18030_) {}
  const ColumnPlan& plan() const override { return plan_; }
  bool chunked() const override { return true; }

  absl::StatusOr<bool> Next(RowBatch& out, std::size_t max_rows) override {
    while (true) {
      auto more = NextChunk(chunk_, std::max<std::size_t>(max_rows, 1) * 64);
      if (!more.ok()) return more.status();
      if (!*more) {
        out.Clear();
        return false;
      }
      if (auto status = ParseChunk(chunk_, out); !status.ok()) return status;
      out.first_row = next_row_;
      next_row_ += out.rows();
      if (out.rows() > 0 || chunk_.last) return out.rows() > 0;
    }
  }

  absl::StatusOr<bool> NextChunk(RawChunk& chunk, std::size_t min_bytes) override {
    chunk.bytes.clear();
    chunk.last = false;
    if (done_) return false;
    if (!header_done_) {
      if (auto status = ReadHeader(); !status.ok()) return status;
    }
    min_bytes = std::max<std::size_t>(min_bytes, 1);
    std::size_t boundary = std::string_view::npos;
    while (true) {
      boundary = ScanCsvRows(pending_, scanned_, state_, min_bytes);
      if (boundary != std::string_view::npos || eof_) break;
      // Read about what the chunk still needs (plus a little for the row that crosses
      // min_bytes), so that little text is left over to copy into the next chunk.
      const std::size_t want = min_bytes + (4 << 10) - std::min(pending_.size(), min_bytes);
      if (auto status = ReadMore(want); !status.ok()) return status;
    }
    if (boundary == std::string_view::npos) {  // the end of the file: everything left
      std::swap(chunk.bytes, pending_);
      pending_.clear();
      chunk.last = true;
      done_ = true;
      return true;
    }
    // The chunk takes the buffer; the bytes after the boundary stay (already scanned).
    std::swap(chunk.bytes, pending_);
    pending_.assign(chunk.bytes, boundary, std::string::npos);
    chunk.bytes.resize(boundary);
    scanned_ -= boundary;
    return true;
  }

  absl::Status ParseChunk(RawChunk& chunk, RowBatch& batch) const override {
    batch.Clear();
    batch.columns = names_;
    batch.source_bytes = chunk.bytes.size();
    if (gb18030_) {
      if (auto status = Gb18030ToUtf8(chunk.bytes, batch.text); !status.ok()) {
        return SourceError(spec_, status);
      }
    } else {
      batch.text.swap(chunk.bytes);
    }
    chunk.bytes.clear();
    BatchSink sink{this, &batch, batch.text.data(), batch.text.data() + batch.text.size()};
    thread_local std::string scratch;
    // Every chunk but the last ends at a row end; at the last, an open quoted field is a
    // truncated row (as csv_fini would see it).
    ParseCsv(batch.text, sink, scratch);
    batch.EndRows();
    return absl::OkStatus();
  }

 private:
  /// Cells straight into the batch (mapped, Art. 42 columns dropped, trimmed, empty skipped):
  /// a value that is a slice of the text is not copied; one ParseCsv unescaped is.
  struct BatchSink {
    const CsvReader* reader;
    RowBatch* batch;
    const char* text_begin;
    const char* text_end;
    std::size_t column = 0;
    void Field(std::string_view value) {
      const std::vector<std::uint8_t>& fields = reader->fields_;
      const std::size_t index = column++;
      if (index >= fields.size()) return;  // counted, reported at the row's end
      const std::uint8_t field = fields[index];
      if (field == kRefusedField) return;
      value = TrimAscii(value);
      if (value.empty()) return;
      if (value.data() >= text_begin && value.data() < text_end) {
        batch->cells.push_back(Cell{std::uint32_t(index), field, true,
                                    std::uint32_t(value.data() - text_begin),
                                    std::uint32_t(value.size())});
        return;
      }
      batch->cells.push_back(Cell{std::uint32_t(index), field, false,
                                  std::uint32_t(batch->arena.size()),
                                  std::uint32_t(value.size())});
      batch->arena.append(value);
    }
    void Row(std::size_t count, bool truncated) {
      column = 0;
      // The row's cells are [row_begin.back(), cells.size()) (rows are contiguous).
      if (batch->row_begin.empty()) batch->row_begin.push_back(0);
      batch->row_begin.push_back(std::uint32_t(batch->cells.size()));
      const auto row = std::uint32_t(batch->rows() - 1);
      const std::size_t expected = reader->fields_.size();
      if (truncated) {
        batch->malformed.emplace_back(
            row, "truncated row: a quoted field is not closed at the end of the file");
      } else if (count != expected) {
        batch->malformed.emplace_back(row, "row has " + std::to_string(count) +
                                               " fields, the header has " +
                                               std::to_string(expected));
      }
    }
  };

  absl::Status ReadMore(std::size_t want) {
    return ReadMoreInto(*stream_, spec_, want, pending_, first_read_, eof_);
  }

  /// Reads up to the end of the first row and settles the column plan.
  absl::Status ReadHeader() {
    std::size_t boundary = std::string_view::npos;
    while (true) {
      boundary = ScanCsvRows(pending_, scanned_, state_, 1);
      if (boundary != std::string_view::npos || eof_) break;
      if (auto status = ReadMore(kChunkBytes); !status.ok()) return status;
    }
    const std::size_t end = boundary == std::string_view::npos ? pending_.size() : boundary;
    std::string converted;
    std::string_view header_text(pending_.data(), end);
    if (gb18030_) {
      if (auto status = Gb18030ToUtf8(header_text, converted); !status.ok()) {
        return SourceError(spec_, status);
      }
      DropUtf8Bom(converted);
      header_text = converted;
    }
    std::vector<std::string> header;
    bool row_seen = false;
    struct HeaderContext {
      std::vector<std::string>* header;
      bool* row_seen;
    } context{&header, &row_seen};
    auto on_field = [](void* data, std::size_t size, void* self) {
      auto& header_context = *static_cast<HeaderContext*>(self);
      header_context.header->emplace_back(
          TrimAscii(std::string_view(static_cast<const char*>(data), size)));
    };
    auto on_row = [](int, void* self) { *static_cast<HeaderContext*>(self)->row_seen = true; };
    csv_parser parser{};
    csv_init(&parser, 0);
    csv_parse(&parser, header_text.data(), header_text.size(), on_field, on_row, &context);
    csv_fini(&parser, on_field, on_row, &context);
    csv_free(&parser);
    if (!row_seen) {
      // No header in this line: blank lines before the header are skipped (as blank lines
      // are everywhere), and a file with nothing but blanks is an empty source — a department
      // that sent no records (docs/ingest.md) — not a refusal of the whole data set.
      const bool only_blanks =
          pending_.find_first_not_of(" \t\r\n") == std::string::npos;
      if (eof_ && only_blanks) {
        names_ = std::make_shared<ColumnNames>();
        header_done_ = true;
        pending_.clear();
        scanned_ = 0;
        state_ = kRowNotBegun;
        return absl::OkStatus();
      }
      if (boundary != std::string_view::npos &&
          header_text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        pending_.erase(0, end);
        scanned_ = 0;
        state_ = kRowNotBegun;
        return ReadHeader();
      }
      return absl::InvalidArgumentError("source '" + spec_.id + "': " + spec_.path +
                                        " has no header row: a CSV source starts with its "
                                        "column names (catalog.md)");
    }
    auto names = std::make_shared<ColumnNames>();
    for (std::size_t index = 0; index < header.size(); ++index) {
      std::string name = header[index];
      if (name.empty()) name = "column_" + std::to_string(index + 1);
      names->push_back(std::move(name));
    }
    fields_ = plan_.ResolveHeader(*names);
    for (std::size_t index = 0; index < names->size(); ++index) {
      if (fields_[index] == kRefusedField) plan_.NoteRefused((*names)[index]);
    }
    names_ = std::move(names);
    header_done_ = true;
    pending_.erase(0, end);
    scanned_ -= std::min(scanned_, end);
    if (boundary == std::string_view::npos) {  // the header was the whole file
      scanned_ = 0;
      state_ = kRowNotBegun;
    }
    return absl::OkStatus();
  }

  const SourceSpec& spec_;
  ColumnPlan plan_;
  std::unique_ptr<TextStream> stream_;
  bool gb18030_;  // pending_ and the chunks are raw GB18030 bytes
  std::string pending_;  // text from a record boundary on, not handed out yet
  std::size_t scanned_ = 0;  // pending_[0, scanned_) scanned, ending in state_
  CsvState state_ = kRowNotBegun;
  bool first_read_;  // a UTF-8 BOM is dropped at the first read (UTF-8 sources)
  bool eof_ = false;
  bool done_ = false;
  bool header_done_ = false;
  std::vector<std::uint8_t> fields_;
  std::shared_ptr<const ColumnNames> names_;
  std::uint64_t next_row_ = 0;
  RawChunk chunk_;  // Next()'s
};

// ----------------------------------------------------------------------------------- JSONL

/// JSONL: every LF ends a record (JSON text has no raw newline inside a string), so the text
/// is split at the first LF after ~512 KB without parsing, and the chunks are parsed in the
/// pipeline's parallel stage with simdjson (one parser per thread). Column indices are per
/// batch (each batch carries its own column names), so no state is shared between chunks;
/// keys refused by the Art. 42 guard are reported per batch (RowBatch::refused) and merged in
/// order by the writer.
class JsonlReader : public RowReader {
 public:
  /// `stream` gives the file's bytes as they are (GB18030: converted chunk by chunk in
  /// ParseChunk; LF never occurs inside a GB18030 character).
  JsonlReader(const SourceSpec& spec, std::unique_ptr<TextStream> stream)
      : spec_(spec),
        plan_(spec),
        stream_(std::move(stream)),
        gb18030_(spec.encoding == Encoding::kGb18030),
        first_read_(!gb18030_) {}
  const ColumnPlan& plan() const override { return plan_; }
  bool chunked() const override { return true; }

  absl::StatusOr<bool> Next(RowBatch& out, std::size_t max_rows) override {
    while (true) {
      auto more = NextChunk(chunk_, std::max<std::size_t>(max_rows, 1) * 64);
      if (!more.ok()) return more.status();
      if (!*more) {
        out.Clear();
        return false;
      }
      if (auto status = ParseChunk(chunk_, out); !status.ok()) return status;
      for (const std::string& name : out.refused) {
        if (std::find(plan_.refused().begin(), plan_.refused().end(), name) ==
            plan_.refused().end()) {
          plan_.NoteRefused(name);
        }
      }
      out.first_row = next_row_;
      next_row_ += out.rows();
      if (out.rows() > 0 || chunk_.last) return out.rows() > 0;
    }
  }

  absl::StatusOr<bool> NextChunk(RawChunk& chunk, std::size_t min_bytes) override {
    chunk.bytes.clear();
    chunk.last = false;
    chunk.first = !handed_out_;
    handed_out_ = true;
    if (done_) return false;
    min_bytes = std::max<std::size_t>(min_bytes, 1);
    std::size_t boundary = std::string::npos;
    while (true) {
      if (pending_.size() >= min_bytes) {
        const void* newline =
            std::memchr(pending_.data() + min_bytes - 1, '\n', pending_.size() - (min_bytes - 1));
        if (newline != nullptr) {
          boundary = std::size_t(static_cast<const char*>(newline) - pending_.data()) + 1;
          break;
        }
      }
      if (eof_) break;
      if (auto status = ReadMoreInto(*stream_, spec_, min_bytes + (4 << 10) - std::min(pending_.size(), min_bytes),
                                     pending_, first_read_, eof_);
          !status.ok()) {
        return status;
      }
    }
    if (boundary == std::string::npos) {  // the end of the file: everything left
      std::swap(chunk.bytes, pending_);
      pending_.clear();
      chunk.last = true;
      done_ = true;
      return true;
    }
    std::swap(chunk.bytes, pending_);
    pending_.assign(chunk.bytes, boundary, std::string::npos);
    chunk.bytes.resize(boundary);
    return true;
  }

  absl::Status ParseChunk(RawChunk& chunk, RowBatch& batch) const override {
    batch.Clear();
    batch.source_bytes = chunk.bytes.size();
    if (gb18030_) {
      if (auto status = Gb18030ToUtf8(chunk.bytes, batch.text); !status.ok()) {
        return SourceError(spec_, status);
      }
      if (chunk.first) DropUtf8Bom(batch.text);
    } else {
      batch.text.swap(chunk.bytes);
    }
    chunk.bytes.clear();
    thread_local simdjson::dom::parser parser;
    ChunkColumns columns{&plan_, {}, std::make_shared<ColumnNames>()};
    std::string_view text = batch.text;
    while (!text.empty()) {
      const std::size_t newline = text.find('\n');
      const std::string_view line = text.substr(0, newline);
      AddLine(parser, columns, batch, line);
      if (newline == std::string_view::npos) break;
      text.remove_prefix(newline + 1);
    }
    batch.EndRows();
    batch.columns = std::move(columns.names);
    return absl::OkStatus();
  }

 private:
  /// The columns of one batch: key -> (index in names, field).
  struct ChunkColumns {
    const ColumnPlan* plan;
    absl::flat_hash_map<std::string, std::pair<std::uint32_t, std::uint8_t>> index;
    std::shared_ptr<ColumnNames> names;
  };

  static std::uint32_t ColumnIndex(ChunkColumns& columns, RowBatch& out, std::string_view key,
                                   std::uint8_t& field) {
    auto found = columns.index.find(absl::string_view(key.data(), key.size()));
    if (found == columns.index.end()) {
      std::string name(key);
      const std::uint8_t resolved = columns.plan->Resolve(name);
      if (resolved == kRefusedField) out.refused.push_back(name);
      found = columns.index
                  .emplace(name, std::make_pair(std::uint32_t(columns.names->size()), resolved))
                  .first;
      columns.names->push_back(name);
    }
    field = found->second.second;
    return found->second.first;
  }

  static void AddLine(simdjson::dom::parser& parser, ChunkColumns& columns, RowBatch& out,
                      std::string_view line) {
    line = TrimAscii(line);
    if (line.empty()) return;  // blank lines are not records
    out.BeginRow();
    const auto row = std::uint32_t(out.rows() - 1);
    simdjson::dom::element element;
    auto error = parser.parse(line.data(), line.size()).get(element);
    // A line that is not an object is kept whole (column "_line") for the quarantine.
    auto keep_line = [&] {
      std::uint8_t field = kAttrField;
      const std::uint32_t column = ColumnIndex(columns, out, "_line", field);
      out.AddCell(column, kAttrField, line);
    };
    if (error) {
      out.malformed.emplace_back(row, std::string("line is not valid JSON: ") +
                                          simdjson::error_message(error));
      keep_line();
      return;
    }
    simdjson::dom::object object;
    if (element.get(object)) {
      out.malformed.emplace_back(row, "line is valid JSON but not an object");
      keep_line();
      return;
    }
    char number[32];
    for (auto [key, value] : object) {
      std::uint8_t field = kAttrField;
      const std::uint32_t column = ColumnIndex(columns, out, key, field);
      if (field == kRefusedField) continue;
      std::string_view text;
      std::string minified;
      switch (value.type()) {
        case simdjson::dom::element_type::STRING:
          text = TrimAscii(std::string_view(value.get_string().value()));
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          break;
        case simdjson::dom::element_type::BOOL:
          text = value.get_bool().value() ? "true" : "false";
          break;
        case simdjson::dom::element_type::INT64: {
          const int size = std::snprintf(number, sizeof number, "%lld",
                                         static_cast<long long>(value.get_int64().value()));
          text = std::string_view(number, std::size_t(size));
          break;
        }
        case simdjson::dom::element_type::UINT64: {
          const int size = std::snprintf(number, sizeof number, "%llu",
                                         static_cast<unsigned long long>(value.get_uint64().value()));
          text = std::string_view(number, std::size_t(size));
          break;
        }
        default:
          minified = simdjson::minify(value);
          text = minified;
          break;
      }
      if (!text.empty()) out.AddCell(column, field, text);
    }
  }

  const SourceSpec& spec_;
  ColumnPlan plan_;
  std::unique_ptr<TextStream> stream_;
  bool gb18030_;  // pending_ and the chunks are raw GB18030 bytes
  std::string pending_;  // text from a record boundary on, not handed out yet
  bool first_read_;  // a UTF-8 BOM is dropped at the first read (UTF-8 sources)
  bool handed_out_ = false;  // a chunk was handed out (the next one is not the first)
  bool eof_ = false;
  bool done_ = false;
  std::uint64_t next_row_ = 0;
  RawChunk chunk_;  // Next()'s
};

}  // namespace

void RowBatch::Clear() {
  first_row = 0;
  refused.clear();
  text.clear();
  arena.clear();
  cells.clear();
  row_begin.clear();
  malformed.clear();
}

void RowBatch::BeginRow() {
  // Invariant: row_begin = [start of row 0, …, start of the last row, end of the last row].
  if (row_begin.empty()) row_begin.push_back(std::uint32_t(cells.size()));
  row_begin.back() = std::uint32_t(cells.size());
  row_begin.push_back(std::uint32_t(cells.size()));
}

void RowBatch::AddCell(std::uint32_t column, std::uint8_t field, std::string_view value) {
  cells.push_back(
      Cell{column, field, false, std::uint32_t(arena.size()), std::uint32_t(value.size())});
  arena.append(value);
  row_begin.back() = std::uint32_t(cells.size());
}

void RowBatch::EndRows() {
  if (!row_begin.empty()) row_begin.back() = std::uint32_t(cells.size());
}

ColumnPlan::ColumnPlan(const SourceSpec& spec) : kind_(spec.kind) {
  for (const auto& [field, column] : spec.columns) {
    if (auto parsed = ParseField(field)) mapped_[column] = std::uint8_t(*parsed);
  }
}

std::uint8_t ColumnPlan::Resolve(std::string_view column_name) const {
  if (IsArt42Column(column_name)) return kRefusedField;
  const std::string name(column_name);
  if (auto found = mapped_.find(name); found != mapped_.end()) return found->second;
  if (auto field = ParseField(column_name); field && KindUsesField(kind_, *field)) {
    return std::uint8_t(*field);
  }
  return kAttrField;
}

std::vector<std::uint8_t> ColumnPlan::ResolveHeader(
    std::span<const std::string> column_names) const {
  std::vector<std::uint8_t> fields;
  fields.reserve(column_names.size());
  for (const std::string& name : column_names) fields.push_back(Resolve(name));
  for (std::size_t index = 0; index < fields.size(); ++index) {
    const std::uint8_t field = fields[index];
    if (field == kAttrField || field == kRefusedField) continue;
    // The winner among the columns giving this field: the mapped one, else the first.
    std::size_t winner = index;
    for (std::size_t other = index; other < fields.size(); ++other) {
      if (fields[other] == field && mapped_.contains(column_names[other])) {
        winner = other;
        break;
      }
    }
    for (std::size_t other = index; other < fields.size(); ++other) {
      if (other != winner && fields[other] == field) fields[other] = kAttrField;
    }
  }
  return fields;
}

void ColumnPlan::NoteRefused(const std::string& name) { refused_.push_back(name); }

absl::StatusOr<bool> RowReader::NextChunk(RawChunk&, std::size_t) {
  return absl::UnimplementedError("this reader does not split its input into chunks");
}

absl::Status RowReader::ParseChunk(RawChunk&, RowBatch&) const {
  return absl::UnimplementedError("this reader does not split its input into chunks");
}

absl::StatusOr<std::unique_ptr<TextStream>> OpenTextStream(const SourceSpec& spec) {
  auto file = OpenFile(spec);
  if (!file.ok()) return file.status();
  if (spec.encoding == Encoding::kUtf8) {
    return std::unique_ptr<TextStream>(std::make_unique<RawStream>(std::move(*file)));
  }
  UErrorCode error = U_ZERO_ERROR;
  ConverterPtr source(ucnv_open("GB18030", &error));
  ConverterPtr target(ucnv_open("UTF-8", &error));
  if (U_FAILURE(error)) {
    return absl::InternalError(std::string("ICU cannot open the GB18030 converter: ") +
                               u_errorName(error));
  }
  return std::unique_ptr<TextStream>(
      std::make_unique<Gb18030Stream>(std::move(*file), std::move(source), std::move(target)));
}

namespace {

/// ICU's own conversion of every two-byte GB18030 sequence (lead 0x81–0xFE, trail 0x40–0xFE
/// but 0x7F), made once: entry[0] is the UTF-8 length (0: not a character ICU converts cleanly
/// to one BMP code point — illegal or unassigned —, left to ICU), then the UTF-8 bytes.
struct TwoByteTable {
  static constexpr int kTrails = 0xFF - 0x40;  // 0x40 … 0xFE
  std::array<std::array<char, 4>, 126 * kTrails> entries{};
};

TwoByteTable MakeTwoByteTable() {
  TwoByteTable table;
  UErrorCode opened = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open("GB18030", &opened));
  if (U_FAILURE(opened)) return table;  // every entry 0: everything goes to ICU
  // Stop at an illegal or unassigned sequence instead of substituting it.
  UErrorCode set = U_ZERO_ERROR;
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &set);
  if (U_FAILURE(set)) return table;
  for (int lead = 0x81; lead <= 0xFE; ++lead) {
    for (int trail = 0x40; trail <= 0xFE; ++trail) {
      if (trail == 0x7F) continue;
      const char bytes[2] = {char(lead), char(trail)};
      UChar units[4];
      UErrorCode error = U_ZERO_ERROR;
      ucnv_reset(converter.get());
      const int32_t count = ucnv_toUChars(converter.get(), units, 4, bytes, 2, &error);
      if (U_FAILURE(error) || count != 1) continue;
      const UChar unit = units[0];
      if (unit >= 0xD800 && unit <= 0xDFFF) continue;  // never for two bytes; ICU decides
      if (unit == 0xFFFD || unit == 0x1A || unit < 0x80) continue;
      std::array<char, 4>& entry = table.entries[(lead - 0x81) * TwoByteTable::kTrails +
                                                 (trail - 0x40)];
      if (unit < 0x800) {
        entry = {2, char(0xC0 | (unit >> 6)), char(0x80 | (unit & 0x3F)), 0};
      } else {
        entry = {3, char(0xE0 | (unit >> 12)), char(0x80 | ((unit >> 6) & 0x3F)),
                 char(0x80 | (unit & 0x3F))};
      }
    }
  }
  return table;
}

}  // namespace

bool Gb18030ToUtf8Fast(std::string_view gb18030, std::string& utf8) {
  static const TwoByteTable table = MakeTwoByteTable();
  // ASCII stays one byte, two bytes become at most three: 1.5x (+ room for 8-byte stores).
  utf8.resize(gb18030.size() + gb18030.size() / 2 + 16);
  const auto* in = reinterpret_cast<const unsigned char*>(gb18030.data());
  const std::size_t size = gb18030.size();
  char* out = utf8.data();
  std::size_t at = 0;
  while (at < size) {
    if (at + 8 <= size) {
      std::uint64_t eight;
      std::memcpy(&eight, in + at, 8);
      if ((eight & 0x8080808080808080ull) == 0) {  // eight ASCII bytes
        std::memcpy(out, &eight, 8);
        out += 8;
        at += 8;
        continue;
      }
    }
    const unsigned char lead = in[at];
    if (lead < 0x80) {
      *out++ = char(lead);
      ++at;
      continue;
    }
    if (lead == 0x80 || lead == 0xFF || at + 1 == size) return false;
    const unsigned char trail = in[at + 1];
    if (trail < 0x40 || trail == 0x7F || trail == 0xFF) return false;
    const std::array<char, 4>& entry =
        table.entries[(lead - 0x81) * TwoByteTable::kTrails + (trail - 0x40)];
    if (entry[0] == 0) return false;
    std::memcpy(out, entry.data() + 1, 3);
    out += entry[0];
    at += 2;
  }
  utf8.resize(std::size_t(out - utf8.data()));
  return true;
}

absl::Status Gb18030ToUtf8(std::string_view gb18030, std::string& utf8) {
  // Text of ASCII and two-byte characters only (nearly all Chinese text) by ICU's table; the
  // rest (four-byte sequences, illegal bytes, a sequence cut at the end) by ICU itself.
  if (Gb18030ToUtf8Fast(gb18030, utf8)) return absl::OkStatus();
  struct Converters {
    ConverterPtr source;
    ConverterPtr target;
    UErrorCode opened = U_ZERO_ERROR;
    Converters() {
      source.reset(ucnv_open("GB18030", &opened));
      target.reset(ucnv_open("UTF-8", &opened));
    }
  };
  thread_local Converters converters;  // ICU converters are not to be shared between threads
  if (U_FAILURE(converters.opened)) {
    return absl::InternalError(std::string("ICU cannot open the GB18030 converter: ") +
                               u_errorName(converters.opened));
  }
  utf8.clear();
  if (gb18030.empty()) return absl::OkStatus();
  // Two GB18030 bytes make at most three UTF-8 bytes (an illegal single byte, U+FFFD, too):
  // 1.5x + a little is enough for Chinese text; more only for unusual input.
  std::size_t capacity = gb18030.size() + gb18030.size() / 2 + 64;
  utf8.resize(capacity);
  const char* in = gb18030.data();
  const char* const in_end = in + gb18030.size();
  std::array<UChar, 4096> pivot;
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  std::size_t written = 0;
  bool reset = true;
  while (true) {
    char* out = utf8.data() + written;
    UErrorCode error = U_ZERO_ERROR;
    ucnv_convertEx(converters.target.get(), converters.source.get(), &out,
                   utf8.data() + utf8.size(), &in, in_end, pivot.data(), &pivot_source,
                   &pivot_target, pivot.data() + pivot.size(), reset, /*flush=*/true, &error);
    reset = false;
    written = std::size_t(out - utf8.data());
    if (error == U_BUFFER_OVERFLOW_ERROR) {
      capacity = utf8.size() + std::max<std::size_t>(std::size_t(in_end - in) * 3, 4096);
      utf8.resize(capacity);
      continue;
    }
    if (U_FAILURE(error)) {
      utf8.clear();
      return absl::DataLossError(std::string("GB18030 conversion failed: ") + u_errorName(error));
    }
    break;
  }
  utf8.resize(written);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RowReader>> OpenRowReader(const SourceSpec& spec) {
  if (spec.format == Format::kParquet) {
    return absl::InvalidArgumentError(
        "source '" + spec.id +
        "' is Parquet: Parquet is read by the Python layer (creditgraph.ingest.ingest)");
  }
  // Both encodings are read raw: GB18030 chunks are converted where they are parsed.
  auto file = OpenFile(spec);
  if (!file.ok()) return file.status();
  auto stream = std::make_unique<RawStream>(std::move(*file));
  if (spec.format == Format::kCsv) {
    return std::unique_ptr<RowReader>(std::make_unique<CsvReader>(spec, std::move(stream)));
  }
  return std::unique_ptr<RowReader>(std::make_unique<JsonlReader>(spec, std::move(stream)));
}

CsvRows ParseCsvText(std::string_view text) {
  CsvRows out;
  CollectRows sink{&out, {}};
  std::string scratch;
  ParseCsv(text, sink, scratch);
  return out;
}

CsvRows ParseCsvLibcsv(std::string_view text) {
  CsvRows out;
  struct Context {
    CsvRows* out;
    std::vector<std::string> row;
  } context{&out, {}};
  auto on_field = [](void* data, std::size_t size, void* self) {
    static_cast<Context*>(self)->row.emplace_back(static_cast<const char*>(data), size);
  };
  auto on_row = [](int, void* self) {
    auto& context = *static_cast<Context*>(self);
    context.out->rows.push_back(std::move(context.row));
    context.row.clear();
  };
  csv_parser parser{};
  csv_init(&parser, 0);
  csv_parse(&parser, text.data(), text.size(), on_field, on_row, &context);
  out.truncated = parser.pstate == 2 && parser.quoted;
  csv_fini(&parser, on_field, on_row, &context);
  csv_free(&parser);
  return out;
}

}  // namespace cg::core::ingest
