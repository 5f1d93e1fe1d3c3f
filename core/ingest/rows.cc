// Streaming readers (see rows.h): libcsv for CSV, simdjson for JSONL, ICU for GB18030.
#include "core/ingest/rows.h"

#include <csv.h>
#include <simdjson.h>
#include <unicode/ucnv.h>

#include <array>
#include <cstring>

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

class Utf8Stream : public TextStream {
 public:
  explicit Utf8Stream(FilePtr file) : file_(std::move(file)) {}
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

class CsvReader : public RowReader {
 public:
  CsvReader(const SourceSpec& spec, std::unique_ptr<TextStream> stream)
      : spec_(spec), plan_(spec), stream_(std::move(stream)), chunk_(kChunkBytes, '\0') {
    csv_init(&parser_, 0);
  }
  ~CsvReader() override { csv_free(&parser_); }
  const ColumnPlan& plan() const override { return plan_; }

  absl::StatusOr<bool> Next(RowBatch& out, std::size_t max_rows) override {
    while (current_.rows() < max_rows && !finished_) {
      auto count = stream_->Read(chunk_.data(), chunk_.size());
      if (!count.ok()) {
        return absl::Status(count.status().code(),
                            "source '" + spec_.id + "': " + std::string(count.status().message()));
      }
      std::string_view data(chunk_.data(), *count);
      if (first_chunk_) {
        first_chunk_ = false;
        if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);  // UTF-8 BOM
      }
      if (data.empty()) {
        // A quoted field still open at the end: the file was cut inside it.
        if (parser_.pstate == 2 && parser_.quoted) truncated_ = true;
        csv_fini(&parser_, &CsvReader::OnField, &CsvReader::OnRow, this);
        finished_ = true;
        break;
      }
      if (csv_parse(&parser_, data.data(), data.size(), &CsvReader::OnField, &CsvReader::OnRow,
                    this) != data.size()) {
        return absl::InvalidArgumentError("source '" + spec_.id + "': CSV parser failed: " +
                                          csv_strerror(csv_error(&parser_)));
      }
    }
    if (!header_done_ && finished_) {
      return absl::InvalidArgumentError("source '" + spec_.id + "': " + spec_.path +
                                        " is empty: a CSV source needs a header row");
    }
    // Cells of a row still open (it continues in the next read) move to the next batch.
    const std::uint32_t complete = current_.row_begin.empty() ? 0 : current_.row_begin.back();
    open_cells_.assign(current_.cells.begin() + complete, current_.cells.end());
    const std::size_t open_from =
        open_cells_.empty() ? current_.arena.size() : open_cells_.front().offset;
    open_arena_.assign(current_.arena, open_from, std::string::npos);
    current_.cells.resize(complete);
    current_.arena.resize(open_from);
    current_.EndRows();
    current_.columns = names_;
    current_.first_row = next_row_;
    next_row_ += current_.rows();
    std::swap(out, current_);
    current_.Clear();
    current_.arena = open_arena_;
    for (Cell cell : open_cells_) {
      cell.offset -= std::uint32_t(open_from);
      current_.cells.push_back(cell);
    }
    return out.rows() > 0;
  }

 private:
  static void OnField(void* data, std::size_t size, void* self_ptr) {
    auto& self = *static_cast<CsvReader*>(self_ptr);
    std::string_view value(static_cast<const char*>(data), size);
    const std::size_t column = self.field_index_++;
    if (!self.header_done_) {
      self.header_.emplace_back(TrimAscii(value));
      return;
    }
    if (column >= self.fields_.size()) return;  // counted, reported at the row's end
    const std::uint8_t field = self.fields_[column];
    if (field == kRefusedField) return;
    value = TrimAscii(value);
    if (value.empty()) return;
    // Straight into the batch; Next() carries the cells of a row still open to the next one.
    RowBatch& batch = self.current_;
    batch.cells.push_back(Cell{std::uint32_t(column), field, std::uint32_t(batch.arena.size()),
                               std::uint32_t(value.size())});
    batch.arena.append(value);
  }

  static void OnRow(int, void* self_ptr) {
    auto& self = *static_cast<CsvReader*>(self_ptr);
    const std::size_t count = self.field_index_;
    self.field_index_ = 0;
    if (!self.header_done_) {
      self.header_done_ = true;
      auto names = std::make_shared<ColumnNames>();
      for (std::size_t index = 0; index < self.header_.size(); ++index) {
        std::string name = self.header_[index];
        if (name.empty()) name = "column_" + std::to_string(index + 1);
        const std::uint8_t field = self.plan_.Resolve(name);
        if (field == kRefusedField) self.plan_.NoteRefused(name);
        self.fields_.push_back(field);
        names->push_back(std::move(name));
      }
      self.names_ = std::move(names);
      return;
    }
    RowBatch& batch = self.current_;
    if (count == 0) return;
    // The row's cells are [row_begin.back(), cells.size()) (rows are contiguous).
    if (batch.row_begin.empty()) batch.row_begin.push_back(0);
    batch.row_begin.push_back(std::uint32_t(batch.cells.size()));
    const auto row = std::uint32_t(batch.rows() - 1);
    if (self.truncated_) {
      self.current_.malformed.emplace_back(
          row, "truncated row: a quoted field is not closed at the end of the file");
    } else if (count != self.fields_.size()) {
      self.current_.malformed.emplace_back(
          row, "row has " + std::to_string(count) + " fields, the header has " +
                   std::to_string(self.fields_.size()));
    }
  }

  const SourceSpec& spec_;
  ColumnPlan plan_;
  std::unique_ptr<TextStream> stream_;
  std::string chunk_;
  csv_parser parser_{};
  bool first_chunk_ = true;
  bool finished_ = false;
  bool truncated_ = false;
  bool header_done_ = false;
  std::vector<std::string> header_;
  std::vector<std::uint8_t> fields_;
  std::shared_ptr<const ColumnNames> names_;
  std::size_t field_index_ = 0;
  std::uint64_t next_row_ = 0;
  RowBatch current_;
  std::vector<Cell> open_cells_;
  std::string open_arena_;
};

// ----------------------------------------------------------------------------------- JSONL

class JsonlReader : public RowReader {
 public:
  JsonlReader(const SourceSpec& spec, std::unique_ptr<TextStream> stream)
      : spec_(spec), plan_(spec), stream_(std::move(stream)), chunk_(kChunkBytes, '\0') {}
  const ColumnPlan& plan() const override { return plan_; }

  absl::StatusOr<bool> Next(RowBatch& out, std::size_t max_rows) override {
    out.Clear();
    while (out.rows() < max_rows) {
      const std::size_t newline = pending_.find('\n', position_);
      if (newline == std::string::npos) {
        if (finished_) {
          if (position_ < pending_.size()) {
            AddLine(out, std::string_view(pending_).substr(position_));  // no final newline
          }
          pending_.clear();
          position_ = 0;
          break;
        }
        pending_.erase(0, position_);
        position_ = 0;
        auto count = stream_->Read(chunk_.data(), chunk_.size());
        if (!count.ok()) return count.status();
        std::string_view data(chunk_.data(), *count);
        if (first_chunk_) {
          first_chunk_ = false;
          if (data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
        }
        if (data.empty()) finished_ = true;
        pending_.append(data);
        continue;
      }
      AddLine(out, std::string_view(pending_).substr(position_, newline - position_));
      position_ = newline + 1;
    }
    out.EndRows();
    out.columns = std::make_shared<const ColumnNames>(names_);
    out.first_row = next_row_;
    next_row_ += out.rows();
    return out.rows() > 0;
  }

 private:
  std::uint32_t ColumnIndex(std::string_view key, std::uint8_t& field) {
    auto found = index_.find(absl::string_view(key.data(), key.size()));
    if (found == index_.end()) {
      std::string name(key);
      const std::uint8_t resolved = plan_.Resolve(name);
      if (resolved == kRefusedField) plan_.NoteRefused(name);
      found = index_.emplace(name, std::make_pair(std::uint32_t(names_.size()), resolved)).first;
      names_.push_back(name);
    }
    field = found->second.second;
    return found->second.first;
  }

  void AddLine(RowBatch& out, std::string_view line) {
    line = TrimAscii(line);
    if (line.empty()) return;  // blank lines are not records
    out.BeginRow();
    const auto row = std::uint32_t(out.rows() - 1);
    simdjson::dom::element element;
    auto error = parser_.parse(line.data(), line.size()).get(element);
    // A line that is not an object is kept whole (column "_line") for the quarantine.
    auto keep_line = [&] {
      std::uint8_t field = kAttrField;
      const std::uint32_t column = ColumnIndex("_line", field);
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
    for (auto [key, value] : object) {
      std::uint8_t field = kAttrField;
      const std::uint32_t column = ColumnIndex(key, field);
      if (field == kRefusedField) continue;
      std::string text;
      switch (value.type()) {
        case simdjson::dom::element_type::STRING:
          text = std::string(TrimAscii(std::string_view(value.get_string().value())));
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          break;
        case simdjson::dom::element_type::BOOL:
          text = value.get_bool().value() ? "true" : "false";
          break;
        case simdjson::dom::element_type::INT64:
          text = std::to_string(value.get_int64().value());
          break;
        case simdjson::dom::element_type::UINT64:
          text = std::to_string(value.get_uint64().value());
          break;
        default:
          text = simdjson::minify(value);
          break;
      }
      if (!text.empty()) out.AddCell(column, field, text);
    }
  }

  const SourceSpec& spec_;
  ColumnPlan plan_;
  std::unique_ptr<TextStream> stream_;
  std::string chunk_;
  std::string pending_;
  std::size_t position_ = 0;
  bool first_chunk_ = true;
  bool finished_ = false;
  simdjson::dom::parser parser_;
  absl::flat_hash_map<std::string, std::pair<std::uint32_t, std::uint8_t>> index_;
  ColumnNames names_;
  std::uint64_t next_row_ = 0;
};

}  // namespace

void RowBatch::Clear() {
  first_row = 0;
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
  cells.push_back(Cell{column, field, std::uint32_t(arena.size()), std::uint32_t(value.size())});
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

void ColumnPlan::NoteRefused(const std::string& name) { refused_.push_back(name); }

absl::StatusOr<std::unique_ptr<TextStream>> OpenTextStream(const SourceSpec& spec) {
  auto file = OpenFile(spec);
  if (!file.ok()) return file.status();
  if (spec.encoding == Encoding::kUtf8) {
    return std::unique_ptr<TextStream>(std::make_unique<Utf8Stream>(std::move(*file)));
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

absl::StatusOr<std::unique_ptr<RowReader>> OpenRowReader(const SourceSpec& spec) {
  if (spec.format == Format::kParquet) {
    return absl::InvalidArgumentError(
        "source '" + spec.id +
        "' is Parquet: Parquet is read by the Python layer (creditgraph.ingest.ingest)");
  }
  auto stream = OpenTextStream(spec);
  if (!stream.ok()) return stream.status();
  if (spec.format == Format::kCsv) {
    return std::unique_ptr<RowReader>(std::make_unique<CsvReader>(spec, std::move(*stream)));
  }
  return std::unique_ptr<RowReader>(std::make_unique<JsonlReader>(spec, std::move(*stream)));
}

}  // namespace cg::core::ingest
