// FactColumns (see fact_columns.h).
#include "core/engine/fact_columns.h"

#include <charconv>
#include <cstring>

#include "core/store/store.h"
#include "core/strings.h"
#include "core/varint.h"

namespace cg::core::engine {
namespace {

using store::RecordField;

template <typename T>
void AppendColumn(std::string& out, const std::vector<T>& column, std::size_t begin,
                  std::size_t end) {
  out.append(reinterpret_cast<const char*>(column.data() + begin), (end - begin) * sizeof(T));
}

template <typename T>
bool ReadColumn(std::string_view& in, std::vector<T>& column, std::size_t rows) {
  const std::size_t bytes = rows * sizeof(T);
  if (in.size() < bytes) return false;
  const std::size_t at = column.size();
  column.resize(at + rows);
  std::memcpy(column.data() + at, in.data(), bytes);
  in.remove_prefix(bytes);
  return true;
}

constexpr std::size_t kRowBytes = 8 + 4 + 4 + 4 + 4 + 1 + 1;


// The value under `prefix` + "meta" (the first key the scan gives), if any.
absl::StatusOr<std::optional<std::string>> ReadMeta(const FactColumns::Scan& scan, std::string_view prefix) {
  std::optional<std::string> meta;
  auto status = scan(strings::Cat(prefix, "meta"), [&](std::string_view, std::string_view value) {
    meta.emplace(value);
    return false;
  });
  if (!status.ok()) return status;
  return meta;
}

}  // namespace

bool IsFactKind(RecordKind kind) {
  switch (kind) {
    case RecordKind::kRegistry:
    case RecordKind::kList:
    case RecordKind::kPenalty:
    case RecordKind::kLicense:
    case RecordKind::kCommitment:
    case RecordKind::kRating:
      return true;
    default:
      return false;
  }
}

store::RecordFieldMask FactFields() {
  return {RecordField::kSource,     RecordField::kRid,       RecordField::kKind,
          RecordField::kSubjectKind, RecordField::kSubjectRegion, RecordField::kEstDate,
          RecordField::kIndustry,   RecordField::kList,      RecordField::kListedOn,
          RecordField::kRemovedOn,  RecordField::kDisputed,  RecordField::kDecidedOn,
          RecordField::kSeverity,   RecordField::kDomain,    RecordField::kGrantedOn,
          RecordField::kValidUntil, RecordField::kMadeOn,    RecordField::kCommitmentStatus,
          RecordField::kScheme,     RecordField::kGrade,     RecordField::kRatedOn};
}

std::uint32_t FactColumns::Code(std::string_view text) {
  if (text.empty()) return 0;
  auto found = dict_index_.find(absl::string_view(text.data(), text.size()));
  if (found != dict_index_.end()) return found->second;
  const auto code = std::uint32_t(dict_.size());
  dict_.emplace_back(text);
  dict_index_.emplace(std::string(text), code);
  return code;
}

void FactColumns::Append(const scoring::FactRow& row) {
  key_.push_back(row.key);
  date_.push_back(row.date);
  until_.push_back(row.until);
  code_.push_back(Code(row.code));
  text_.push_back(Code(row.text));
  subject_kind_.push_back(static_cast<std::uint8_t>(row.subject_kind));
  sub_.push_back(row.sub);
}

scoring::FactRow FactColumns::Row(std::size_t index) const {
  scoring::FactRow row;
  row.kind = kind_;
  row.subject_kind = EntityKind(subject_kind_[index]);
  row.key = key_[index];
  row.date = date_[index];
  row.until = until_[index];
  row.code = dict_[code_[index]];
  row.text = dict_[text_[index]];
  row.sub = sub_[index];
  return row;
}

scoring::FactBatch FactColumns::Batch(std::span<const NodeId> subjects) const {
  scoring::FactBatch batch;
  batch.kind = kind_;
  batch.dict = dict_;
  batch.subject = subjects;
  batch.subject_kind = subject_kind_;
  batch.key = key_;
  batch.date = date_;
  batch.until = until_;
  batch.code = code_;
  batch.text = text_;
  batch.sub = sub_;
  return batch;
}

std::vector<std::pair<std::string, std::string>> FactColumns::Encode(std::string_view run) const {
  const std::string prefix = strings::Cat(ToString(kind_), "/");
  std::vector<std::pair<std::string, std::string>> out;
  std::string dict;
  for (std::size_t code = 1; code < dict_.size(); ++code) {
    PutVarint(dict, dict_[code].size());
    dict += dict_[code];
  }
  out.emplace_back(strings::Cat(prefix, "dict"), std::move(dict));
  for (std::size_t begin = 0, chunk = 0; begin < size(); begin += kFactChunkRows, ++chunk) {
    const std::size_t end = std::min(size(), begin + kFactChunkRows);
    std::string value;
    value.reserve((end - begin) * kRowBytes);
    AppendColumn(value, key_, begin, end);
    AppendColumn(value, date_, begin, end);
    AppendColumn(value, until_, begin, end);
    AppendColumn(value, code_, begin, end);
    AppendColumn(value, text_, begin, end);
    AppendColumn(value, subject_kind_, begin, end);
    AppendColumn(value, sub_, begin, end);
    out.emplace_back(strings::Cat(prefix, "c", store::EncodeBigEndian64(chunk)), std::move(value));
  }
  std::string meta(run);
  meta.push_back('\0');
  meta += strings::Cat(size());
  meta.push_back('\0');
  meta += strings::Cat(key_hash_);
  out.emplace_back(strings::Cat(prefix, "meta"), std::move(meta));
  return out;
}

absl::StatusOr<std::unique_ptr<FactColumns>> FactColumns::Decode(RecordKind kind,
                                                                 std::string_view run,
                                                                 const Scan& scan) {
  const std::string prefix = strings::Cat(ToString(kind), "/");
  std::string dict;
  auto meta = ReadMeta(scan, prefix);
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) return std::unique_ptr<FactColumns>();
  std::vector<std::string_view> parts = strings::Split(**meta, '\0');
  if (parts.size() != 3 || parts[0] != run) return std::unique_ptr<FactColumns>();
  auto columns = std::make_unique<FactColumns>(kind);
  std::uint64_t count = 0;
  std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), count);
  std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), columns->key_hash_);
  auto status = scan(strings::Cat(prefix, "dict"), [&](std::string_view, std::string_view value) {
    dict.assign(value);
    return false;
  });
  if (!status.ok()) return status;
  for (std::string_view in = dict; !in.empty();) {
    std::uint64_t size = 0;
    if (!GetVarint(in, size) || size > in.size()) return std::unique_ptr<FactColumns>();
    columns->dict_.emplace_back(in.substr(0, size));
    in.remove_prefix(size);
  }
  columns->key_.reserve(count);
  columns->date_.reserve(count);
  columns->until_.reserve(count);
  columns->code_.reserve(count);
  columns->text_.reserve(count);
  columns->subject_kind_.reserve(count);
  columns->sub_.reserve(count);
  bool intact = true;
  status = scan(strings::Cat(prefix, "c"), [&](std::string_view, std::string_view value) {
    if (value.size() % kRowBytes != 0) {
      intact = false;
      return false;
    }
    const std::size_t rows = value.size() / kRowBytes;
    intact = ReadColumn(value, columns->key_, rows) && ReadColumn(value, columns->date_, rows) &&
             ReadColumn(value, columns->until_, rows) && ReadColumn(value, columns->code_, rows) &&
             ReadColumn(value, columns->text_, rows) &&
             ReadColumn(value, columns->subject_kind_, rows) &&
             ReadColumn(value, columns->sub_, rows);
    return intact;
  });
  if (!status.ok()) return status;
  if (!intact || columns->size() != count) return std::unique_ptr<FactColumns>();
  const auto codes = std::uint32_t(columns->dict_.size());
  for (std::size_t index = 0; index < columns->size(); ++index) {
    if (columns->code_[index] >= codes || columns->text_[index] >= codes ||
        columns->subject_kind_[index] > static_cast<std::uint8_t>(EntityKind::kPerson)) {
      return std::unique_ptr<FactColumns>();
    }
  }
  return columns;
}

std::vector<std::pair<std::string, std::string>> EncodeRestrictionPieces(
    std::span<const scoring::RestrictionPiece> pieces) {
  const std::string prefix(kRestrictionPiecesPrefix);
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<NodeId> entity;
  std::vector<std::uint32_t> measure;
  std::vector<Date> start, end;
  std::vector<std::uint8_t> effect;
  for (std::size_t begin = 0, chunk = 0; begin < pieces.size(); begin += kFactChunkRows, ++chunk) {
    const std::size_t stop = std::min(pieces.size(), begin + kFactChunkRows);
    entity.clear();
    measure.clear();
    start.clear();
    end.clear();
    effect.clear();
    for (std::size_t index = begin; index < stop; ++index) {
      entity.push_back(pieces[index].entity);
      measure.push_back(pieces[index].measure);
      start.push_back(pieces[index].start);
      end.push_back(pieces[index].end);
      effect.push_back(static_cast<std::uint8_t>(pieces[index].effect));
    }
    std::string value;
    value.reserve((stop - begin) * 17);
    AppendColumn(value, entity, 0, entity.size());
    AppendColumn(value, measure, 0, measure.size());
    AppendColumn(value, start, 0, start.size());
    AppendColumn(value, end, 0, end.size());
    AppendColumn(value, effect, 0, effect.size());
    out.emplace_back(strings::Cat(prefix, "c", store::EncodeBigEndian64(chunk)), std::move(value));
  }
  out.emplace_back(strings::Cat(prefix, "meta"), strings::Cat(pieces.size()));
  return out;
}

absl::StatusOr<std::optional<std::vector<scoring::RestrictionPiece>>> DecodeRestrictionPieces(
    const FactColumns::Scan& scan) {
  const std::string prefix(kRestrictionPiecesPrefix);
  auto meta = ReadMeta(scan, prefix);
  if (!meta.ok()) return meta.status();
  std::optional<std::uint64_t> count;
  if (meta->has_value()) {
    const std::string& value = **meta;
    std::uint64_t parsed = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (error == std::errc() && end == value.data() + value.size()) count = parsed;
  }
  if (!count) return std::optional<std::vector<scoring::RestrictionPiece>>();
  std::vector<scoring::RestrictionPiece> pieces;
  pieces.reserve(*count);
  bool intact = true;
  std::vector<NodeId> entity;
  std::vector<std::uint32_t> measure;
  std::vector<Date> start, end;
  std::vector<std::uint8_t> effect;
  auto status = scan(strings::Cat(prefix, "c"), [&](std::string_view, std::string_view value) {
    if (value.size() % 17 != 0) {
      intact = false;
      return false;
    }
    const std::size_t rows = value.size() / 17;
    entity.clear();
    measure.clear();
    start.clear();
    end.clear();
    effect.clear();
    intact = ReadColumn(value, entity, rows) && ReadColumn(value, measure, rows) &&
             ReadColumn(value, start, rows) && ReadColumn(value, end, rows) &&
             ReadColumn(value, effect, rows);
    for (std::size_t row = 0; intact && row < rows; ++row) {
      if (effect[row] >= scoring::kNumEffects) {
        intact = false;
        break;
      }
      pieces.push_back({entity[row], measure[row], start[row], end[row],
                        static_cast<scoring::Effect>(effect[row])});
    }
    return intact;
  });
  if (!status.ok()) return status;
  if (!intact || pieces.size() != *count) return std::optional<std::vector<scoring::RestrictionPiece>>();
  return std::optional<std::vector<scoring::RestrictionPiece>>(std::move(pieces));
}

namespace {
constexpr std::size_t kRelatedChunk = std::size_t{1} << 20;
}  // namespace

std::vector<std::pair<std::string, std::string>> EncodeRelatedGraph(
    const scoring::RelatedGraph& related) {
  const std::string prefix(kRelatedGraphPrefix);
  const std::span<const std::uint64_t> offsets = related.base_offsets();
  const std::span<const NodeId> adjacency = related.base_adjacency();
  const std::size_t nodes = offsets.empty() ? 0 : offsets.size() - 1;
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t begin = 0, chunk = 0; begin < nodes; begin += kRelatedChunk, ++chunk) {
    const std::size_t end = std::min(nodes, begin + kRelatedChunk);
    std::string value;
    value.reserve((end - begin) * 4);
    for (std::size_t node = begin; node < end; ++node) {
      const auto degree = std::uint32_t(offsets[node + 1] - offsets[node]);
      value.append(reinterpret_cast<const char*>(&degree), sizeof degree);
    }
    out.emplace_back(strings::Cat(prefix, "d", store::EncodeBigEndian64(chunk)), std::move(value));
  }
  for (std::size_t begin = 0, chunk = 0; begin < adjacency.size(); begin += kRelatedChunk, ++chunk) {
    const std::size_t end = std::min(adjacency.size(), begin + kRelatedChunk);
    std::string value(reinterpret_cast<const char*>(adjacency.data() + begin),
                      (end - begin) * sizeof(NodeId));
    out.emplace_back(strings::Cat(prefix, "a", store::EncodeBigEndian64(chunk)), std::move(value));
  }
  std::string meta = strings::Cat(nodes);
  meta.push_back('\0');
  meta += strings::Cat(adjacency.size());
  out.emplace_back(strings::Cat(prefix, "meta"), std::move(meta));
  return out;
}

absl::StatusOr<std::optional<scoring::RelatedGraph>> DecodeRelatedGraph(
    const FactColumns::Scan& scan) {
  const std::string prefix(kRelatedGraphPrefix);
  using Result = std::optional<scoring::RelatedGraph>;
  auto meta = ReadMeta(scan, prefix);
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) return Result();
  std::vector<std::string_view> parts = strings::Split(**meta, '\0');
  if (parts.size() != 2) return Result();
  std::uint64_t nodes = 0, entries = 0;
  for (auto [part, number] : {std::pair{parts[0], &nodes}, std::pair{parts[1], &entries}}) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), *number);
    if (error != std::errc() || end != part.data() + part.size()) return Result();
  }
  std::vector<std::uint64_t> offsets;
  offsets.reserve(nodes + 1);
  offsets.push_back(0);
  bool intact = true;
  auto status = scan(strings::Cat(prefix, "d"), [&](std::string_view, std::string_view value) {
    if (value.size() % 4 != 0) {
      intact = false;
      return false;
    }
    for (std::size_t at = 0; at < value.size(); at += 4) {
      std::uint32_t degree = 0;
      std::memcpy(&degree, value.data() + at, sizeof degree);
      offsets.push_back(offsets.back() + degree);
    }
    return true;
  });
  if (!status.ok()) return status;
  if (!intact || offsets.size() != nodes + 1 || offsets.back() != entries) return Result();
  std::vector<NodeId> adjacency;
  adjacency.reserve(entries);
  status = scan(strings::Cat(prefix, "a"), [&](std::string_view, std::string_view value) {
    intact = ReadColumn(value, adjacency, value.size() / sizeof(NodeId)) && value.empty();
    return intact;
  });
  if (!status.ok()) return status;
  if (!intact || adjacency.size() != entries) return Result();
  return scoring::RelatedGraph::FromBase(std::move(offsets), std::move(adjacency));
}

}  // namespace cg::core::engine
