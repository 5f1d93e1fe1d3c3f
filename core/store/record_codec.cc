// Binary codec of core::Record (see record_codec.h for the format).
#include "core/store/record_codec.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cg::core::store {
namespace {

/// Writes into memory the caller has sized with EncodedBound (no per-byte capacity checks).
class Sink {
 public:
  explicit Sink(char* at) : at_(at) {}
  char* at() const { return at_; }
  void Byte(std::uint8_t byte) { *at_++ = char(byte); }
  void Varint(std::uint64_t value) {
    while (value >= 0x80) {
      *at_++ = char((value & 0x7f) | 0x80);
      value >>= 7;
    }
    *at_++ = char(value);
  }
  void String(std::string_view text) {
    Varint(text.size());
    if (!text.empty()) std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  void DateValue(Date date) {
    const auto wide = std::int64_t(date);
    Varint((std::uint64_t(wide) << 1) ^ std::uint64_t(wide >> 63));
  }
  void Optional(const std::optional<double>& value) {
    Byte(value.has_value() ? 1 : 0);
    if (value) {
      std::memcpy(at_, &*value, 8);
      at_ += 8;
    }
  }
  template <typename IdentityType>
  void IdentityValue(const IdentityType& identity) {
    String(identity.uscc);
    String(identity.reg_no);
    String(identity.org_code);
    String(identity.id_no);
    String(identity.name);
    Byte(std::uint8_t(identity.kind));
    String(identity.region);
    String(identity.address);
    String(identity.phone);
    DateValue(identity.birth);
    Byte(identity.weak);
  }
  template <typename Pairs>
  void PairList(const Pairs& pairs) {
    Varint(pairs.size());
    for (const auto& [name, value] : pairs) {
      String(name);
      String(value);
    }
  }

 private:
  char* at_;
};

template <typename IdentityType>
std::size_t IdentityTextBytes(const IdentityType& identity) {
  return identity.uscc.size() + identity.reg_no.size() + identity.org_code.size() +
         identity.id_no.size() + identity.name.size() + identity.region.size() +
         identity.address.size() + identity.phone.size();
}

template <typename Pairs>
std::size_t PairBytes(const Pairs& pairs) {
  std::size_t bytes = 10;
  for (const auto& [name, value] : pairs) bytes += 20 + name.size() + value.size();
  return bytes;
}

/// An upper bound of the encoded size: every string's bytes plus the fixed part — 28 string
/// lengths and 13 dates as varints of at most 10 bytes, 11 one-byte fields, 3 optional numbers
/// of 9 bytes (448 bytes) — and the attribute and flag pairs.
template <typename RecordType>
std::size_t EncodedBound(const RecordType& record) {
  return 512 + record.source.size() + record.rid.size() + IdentityTextBytes(record.subject) +
         IdentityTextBytes(record.party) + record.industry.size() + record.list.size() +
         record.case_no.size() + record.reason.size() + record.decision_no.size() +
         record.domain.size() + record.license_no.size() + record.topic.size() +
         record.scheme.size() + record.grade.size() + PairBytes(record.attrs) +
         PairBytes(record.flags);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool done() const { return position_ == bytes_.size(); }

  // (Reader's small steps are forced inline: DecodeRecordFields is one long sequence of them,
  // and a call per field costs more than the field.)
  [[gnu::always_inline]] std::uint64_t Varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position_ >= bytes_.size()) return Fail();
      const auto byte = std::uint8_t(bytes_[position_++]);
      value |= std::uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail();
  }
  std::uint8_t Byte() {
    if (position_ >= bytes_.size()) return std::uint8_t(Fail());
    return std::uint8_t(bytes_[position_++]);
  }
  /// The next string's bytes (a view into the buffer); empty on failure.
  [[gnu::always_inline]] std::string_view View() {
    const std::uint64_t size = Varint();
    if (!ok_ || size > bytes_.size() - position_) {
      Fail();
      return {};
    }
    const std::string_view text = bytes_.substr(position_, size);
    position_ += size;
    return text;
  }
  [[gnu::always_inline]] void String(bool want, std::string& out) {
    const std::string_view text = View();
    if (want) out.assign(text.data(), text.size());
  }
  void DateValue(bool want, Date& out) {
    const std::uint64_t zigzag = Varint();
    if (want) out = Date(std::int64_t(zigzag >> 1) ^ -std::int64_t(zigzag & 1));
  }
  void Optional(bool want, std::optional<double>& out) {
    if (Byte() == 0 || !ok_) {
      if (want) out.reset();
      return;
    }
    if (bytes_.size() - position_ < 8) {
      Fail();
      return;
    }
    if (want) {
      double value;
      std::memcpy(&value, bytes_.data() + position_, 8);
      out = value;
    }
    position_ += 8;
  }
  template <typename Enum>
  void EnumValue(bool want, int count, Enum& out) {
    const std::uint8_t value = Byte();
    if (value >= count) Fail();
    if (want) out = Enum(value);
  }
  void Flag(bool want, bool& out) {
    const std::uint8_t value = Byte();
    if (want) out = value != 0;
  }
  void Weak(bool want, std::uint8_t& out) {
    const std::uint8_t value = Byte();
    if (want) out = value;
  }
  /// One Identity; `first` is the side's first field (kSubjectUscc or kPartyUscc).
  void IdentityValue(RecordFieldMask fields, RecordField first, Identity& identity) {
    const int base = static_cast<int>(first);
    auto want = [&](RecordField subject_field) {
      return fields.Has(RecordField(base + static_cast<int>(subject_field) -
                                    static_cast<int>(RecordField::kSubjectUscc)));
    };
    String(want(RecordField::kSubjectUscc), identity.uscc);
    String(want(RecordField::kSubjectRegNo), identity.reg_no);
    String(want(RecordField::kSubjectOrgCode), identity.org_code);
    String(want(RecordField::kSubjectIdNo), identity.id_no);
    String(want(RecordField::kSubjectName), identity.name);
    EnumValue(want(RecordField::kSubjectKind), 5, identity.kind);
    String(want(RecordField::kSubjectRegion), identity.region);
    String(want(RecordField::kSubjectAddress), identity.address);
    String(want(RecordField::kSubjectPhone), identity.phone);
    DateValue(want(RecordField::kSubjectBirth), identity.birth);
    Weak(want(RecordField::kSubjectWeak), identity.weak);
  }
  void Pairs(bool want, std::vector<std::pair<std::string, std::string>>& pairs) {
    const std::uint64_t count = Varint();
    if (!ok_ || count > bytes_.size()) {
      Fail();
      return;
    }
    if (want) {
      pairs.clear();
      pairs.reserve(count);
    }
    for (std::uint64_t index = 0; index < count && ok_; ++index) {
      const std::string_view name = View();
      const std::string_view value = View();
      if (want && ok_) pairs.emplace_back(std::string(name), std::string(value));
    }
  }

 private:
  std::uint64_t Fail() {
    ok_ = false;
    position_ = bytes_.size();
    return 0;
  }
  std::string_view bytes_;
  std::size_t position_ = 0;
  bool ok_ = true;
};

/// Writes the encoding of `record` (a Record or a RecordView: the same fields in the same
/// order) at `at`, which has room for EncodedBound(record) bytes; returns the end.
template <typename RecordType>
char* EncodeInto(const RecordType& record, char* at) {
  Sink sink(at);
  sink.Byte(kRecordCodecVersion);
  sink.String(record.source);
  sink.String(record.rid);
  sink.Byte(std::uint8_t(record.kind));
  sink.IdentityValue(record.subject);
  sink.IdentityValue(record.party);
  sink.Byte(std::uint8_t(record.status));
  sink.DateValue(record.est_date);
  sink.Optional(record.reg_capital);
  sink.String(record.industry);
  sink.Optional(record.ratio);
  sink.Optional(record.amount);
  sink.DateValue(record.start);
  sink.DateValue(record.end);
  sink.Byte(std::uint8_t(record.role));
  sink.String(record.list);
  sink.DateValue(record.listed_on);
  sink.DateValue(record.removed_on);
  sink.Byte(record.disputed ? 1 : 0);
  sink.String(record.case_no);
  sink.String(record.reason);
  sink.String(record.decision_no);
  sink.DateValue(record.decided_on);
  sink.Byte(std::uint8_t(record.severity));
  sink.String(record.domain);
  sink.DateValue(record.publicity_until);
  sink.String(record.license_no);
  sink.DateValue(record.granted_on);
  sink.DateValue(record.valid_until);
  sink.DateValue(record.made_on);
  sink.String(record.topic);
  sink.Byte(std::uint8_t(record.commitment_status));
  sink.String(record.scheme);
  sink.String(record.grade);
  sink.DateValue(record.rated_on);
  sink.PairList(record.attrs);
  sink.PairList(record.flags);
  return sink.at();
}

}  // namespace

void EncodeRecord(const Record& record, std::string& out) {
  const std::size_t begin = out.size();
  out.resize(begin + EncodedBound(record));
  char* end = EncodeInto(record, out.data() + begin);
  out.resize(std::size_t(end - out.data()));
}

void EncodeRecord(const RecordView& record, std::string& out) {
  thread_local std::string buffer;
  std::string& scratch = buffer;
  const std::size_t bound = EncodedBound(record);
  // Grows (zero-filled) only when a record needs more than any before it on this thread.
  if (scratch.size() < bound) scratch.resize(std::max(bound, 2 * scratch.size()));
  char* end = EncodeInto(record, scratch.data());
  out.append(scratch.data(), std::size_t(end - scratch.data()));
}

std::string EncodeRecord(const Record& record) {
  std::string out;
  out.reserve(256);
  EncodeRecord(record, out);
  return out;
}

absl::Status DecodeRecordFields(std::string_view bytes, RecordFieldMask fields, Record& record) {
  using F = RecordField;
  Reader reader(bytes);
  const std::uint8_t version = reader.Byte();
  if (!reader.ok() || version != kRecordCodecVersion) {
    return absl::DataLossError(absl::StrCat("record value has codec version ", int(version),
                                            ", expected ", int(kRecordCodecVersion),
                                            ": the database was written by another version; "
                                            "re-ingest the data set"));
  }
  reader.String(fields.Has(F::kSource), record.source);
  reader.String(fields.Has(F::kRid), record.rid);
  reader.EnumValue(fields.Has(F::kKind), kNumRecordKinds, record.kind);
  reader.IdentityValue(fields, F::kSubjectUscc, record.subject);
  reader.IdentityValue(fields, F::kPartyUscc, record.party);
  reader.EnumValue(fields.Has(F::kStatus), 5, record.status);
  reader.DateValue(fields.Has(F::kEstDate), record.est_date);
  reader.Optional(fields.Has(F::kRegCapital), record.reg_capital);
  reader.String(fields.Has(F::kIndustry), record.industry);
  reader.Optional(fields.Has(F::kRatio), record.ratio);
  reader.Optional(fields.Has(F::kAmount), record.amount);
  reader.DateValue(fields.Has(F::kStart), record.start);
  reader.DateValue(fields.Has(F::kEnd), record.end);
  reader.EnumValue(fields.Has(F::kRole), 8, record.role);
  reader.String(fields.Has(F::kList), record.list);
  reader.DateValue(fields.Has(F::kListedOn), record.listed_on);
  reader.DateValue(fields.Has(F::kRemovedOn), record.removed_on);
  reader.Flag(fields.Has(F::kDisputed), record.disputed);
  reader.String(fields.Has(F::kCaseNo), record.case_no);
  reader.String(fields.Has(F::kReason), record.reason);
  reader.String(fields.Has(F::kDecisionNo), record.decision_no);
  reader.DateValue(fields.Has(F::kDecidedOn), record.decided_on);
  reader.EnumValue(fields.Has(F::kSeverity), 4, record.severity);
  reader.String(fields.Has(F::kDomain), record.domain);
  reader.DateValue(fields.Has(F::kPublicityUntil), record.publicity_until);
  reader.String(fields.Has(F::kLicenseNo), record.license_no);
  reader.DateValue(fields.Has(F::kGrantedOn), record.granted_on);
  reader.DateValue(fields.Has(F::kValidUntil), record.valid_until);
  reader.DateValue(fields.Has(F::kMadeOn), record.made_on);
  reader.String(fields.Has(F::kTopic), record.topic);
  reader.EnumValue(fields.Has(F::kCommitmentStatus), 4, record.commitment_status);
  reader.String(fields.Has(F::kScheme), record.scheme);
  reader.String(fields.Has(F::kGrade), record.grade);
  reader.DateValue(fields.Has(F::kRatedOn), record.rated_on);
  reader.Pairs(fields.Has(F::kAttrs), record.attrs);
  reader.Pairs(fields.Has(F::kFlags), record.flags);
  if (!reader.ok() || !reader.done()) {
    return absl::DataLossError("record value is truncated or corrupt: re-ingest the data set");
  }
  return absl::OkStatus();
}

absl::StatusOr<Record> DecodeRecord(std::string_view bytes) {
  Record record;
  if (auto status = DecodeRecordFields(bytes, RecordFieldMask::All(), record); !status.ok()) {
    return status;
  }
  return record;
}

}  // namespace cg::core::store
