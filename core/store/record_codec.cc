// Binary codec of core::Record (see record_codec.h for the format).
#include "core/store/record_codec.h"

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
  void IdentityValue(const Identity& identity) {
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
  void Pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
    Varint(pairs.size());
    for (const auto& [name, value] : pairs) {
      String(name);
      String(value);
    }
  }

 private:
  char* at_;
};

std::size_t IdentityTextBytes(const Identity& identity) {
  return identity.uscc.size() + identity.reg_no.size() + identity.org_code.size() +
         identity.id_no.size() + identity.name.size() + identity.region.size() +
         identity.address.size() + identity.phone.size();
}

std::size_t PairBytes(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::size_t bytes = 10;
  for (const auto& [name, value] : pairs) bytes += 20 + name.size() + value.size();
  return bytes;
}

/// An upper bound of the encoded size: every string's bytes plus the fixed part — 28 string
/// lengths and 13 dates as varints of at most 10 bytes, 11 one-byte fields, 3 optional numbers
/// of 9 bytes (448 bytes) — and the attribute and flag pairs.
std::size_t EncodedBound(const Record& record) {
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

  std::uint64_t Varint() {
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
  std::string String() {
    const std::uint64_t size = Varint();
    if (!ok_ || size > bytes_.size() - position_) {
      Fail();
      return {};
    }
    std::string text(bytes_.substr(position_, size));
    position_ += size;
    return text;
  }
  Date DateValue() {
    const std::uint64_t zigzag = Varint();
    return Date(std::int64_t(zigzag >> 1) ^ -std::int64_t(zigzag & 1));
  }
  std::optional<double> Optional() {
    if (Byte() == 0 || !ok_) return std::nullopt;
    if (bytes_.size() - position_ < 8) {
      Fail();
      return std::nullopt;
    }
    double value;
    std::memcpy(&value, bytes_.data() + position_, 8);
    position_ += 8;
    return value;
  }
  template <typename Enum>
  Enum EnumValue(int count) {
    const std::uint8_t value = Byte();
    if (value >= count) Fail();
    return Enum(value);
  }
  void IdentityValue(Identity& identity) {
    identity.uscc = String();
    identity.reg_no = String();
    identity.org_code = String();
    identity.id_no = String();
    identity.name = String();
    identity.kind = EnumValue<EntityKind>(5);
    identity.region = String();
    identity.address = String();
    identity.phone = String();
    identity.birth = DateValue();
    identity.weak = Byte();
  }
  void Pairs(std::vector<std::pair<std::string, std::string>>& pairs) {
    const std::uint64_t count = Varint();
    if (!ok_ || count > bytes_.size()) {
      Fail();
      return;
    }
    pairs.reserve(count);
    for (std::uint64_t index = 0; index < count && ok_; ++index) {
      std::string name = String();
      std::string value = String();
      pairs.emplace_back(std::move(name), std::move(value));
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

}  // namespace

void EncodeRecord(const Record& record, std::string& out) {
  const std::size_t begin = out.size();
  out.resize(begin + EncodedBound(record));
  Sink sink(out.data() + begin);
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
  sink.Pairs(record.attrs);
  sink.Pairs(record.flags);
  out.resize(std::size_t(sink.at() - out.data()));
}

std::string EncodeRecord(const Record& record) {
  std::string out;
  out.reserve(256);
  EncodeRecord(record, out);
  return out;
}

absl::StatusOr<Record> DecodeRecord(std::string_view bytes) {
  Reader reader(bytes);
  const std::uint8_t version = reader.Byte();
  if (!reader.ok() || version != kRecordCodecVersion) {
    return absl::DataLossError(absl::StrCat("record value has codec version ", int(version),
                                            ", expected ", int(kRecordCodecVersion),
                                            ": the database was written by another version; "
                                            "re-ingest the data set"));
  }
  Record record;
  record.source = reader.String();
  record.rid = reader.String();
  record.kind = reader.EnumValue<RecordKind>(kNumRecordKinds);
  reader.IdentityValue(record.subject);
  reader.IdentityValue(record.party);
  record.status = reader.EnumValue<RegStatus>(5);
  record.est_date = reader.DateValue();
  record.reg_capital = reader.Optional();
  record.industry = reader.String();
  record.ratio = reader.Optional();
  record.amount = reader.Optional();
  record.start = reader.DateValue();
  record.end = reader.DateValue();
  record.role = reader.EnumValue<OfficerRole>(8);
  record.list = reader.String();
  record.listed_on = reader.DateValue();
  record.removed_on = reader.DateValue();
  record.disputed = reader.Byte() != 0;
  record.case_no = reader.String();
  record.reason = reader.String();
  record.decision_no = reader.String();
  record.decided_on = reader.DateValue();
  record.severity = reader.EnumValue<Severity>(4);
  record.domain = reader.String();
  record.publicity_until = reader.DateValue();
  record.license_no = reader.String();
  record.granted_on = reader.DateValue();
  record.valid_until = reader.DateValue();
  record.made_on = reader.DateValue();
  record.topic = reader.String();
  record.commitment_status = reader.EnumValue<CommitmentStatus>(4);
  record.scheme = reader.String();
  record.grade = reader.String();
  record.rated_on = reader.DateValue();
  reader.Pairs(record.attrs);
  reader.Pairs(record.flags);
  if (!reader.ok() || !reader.done()) {
    return absl::DataLossError("record value is truncated or corrupt: re-ingest the data set");
  }
  return record;
}

}  // namespace cg::core::store
