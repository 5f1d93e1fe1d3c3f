// Binary codec of core::Record (see record_codec.h for the format).
#include "core/store/record_codec.h"

#include <cstdint>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace cg::core::store {
namespace {

inline void PutVarint(std::string& out, std::uint64_t value) {
  if (value < 0x80) {
    out.push_back(char(value));
    return;
  }
  while (value >= 0x80) {
    out.push_back(char((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(char(value));
}
void PutString(std::string& out, std::string_view text) {
  PutVarint(out, text.size());
  out.append(text);
}
void PutDate(std::string& out, Date date) {
  const auto wide = std::int64_t(date);
  PutVarint(out, (std::uint64_t(wide) << 1) ^ std::uint64_t(wide >> 63));
}
void PutOptional(std::string& out, const std::optional<double>& value) {
  out.push_back(value.has_value() ? 1 : 0);
  if (value) {
    char bytes[8];
    std::memcpy(bytes, &*value, 8);
    out.append(bytes, 8);
  }
}
void PutIdentity(std::string& out, const Identity& identity) {
  PutString(out, identity.uscc);
  PutString(out, identity.reg_no);
  PutString(out, identity.org_code);
  PutString(out, identity.id_no);
  PutString(out, identity.name);
  out.push_back(char(identity.kind));
  PutString(out, identity.region);
  PutString(out, identity.address);
  PutString(out, identity.phone);
  PutDate(out, identity.birth);
  out.push_back(char(identity.weak));
}
void PutPairs(std::string& out, const std::vector<std::pair<std::string, std::string>>& pairs) {
  PutVarint(out, pairs.size());
  for (const auto& [name, value] : pairs) {
    PutString(out, name);
    PutString(out, value);
  }
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
  out.reserve(out.size() + 256);
  out.push_back(char(kRecordCodecVersion));
  PutString(out, record.source);
  PutString(out, record.rid);
  out.push_back(char(record.kind));
  PutIdentity(out, record.subject);
  PutIdentity(out, record.party);
  out.push_back(char(record.status));
  PutDate(out, record.est_date);
  PutOptional(out, record.reg_capital);
  PutString(out, record.industry);
  PutOptional(out, record.ratio);
  PutOptional(out, record.amount);
  PutDate(out, record.start);
  PutDate(out, record.end);
  out.push_back(char(record.role));
  PutString(out, record.list);
  PutDate(out, record.listed_on);
  PutDate(out, record.removed_on);
  out.push_back(record.disputed ? 1 : 0);
  PutString(out, record.case_no);
  PutString(out, record.reason);
  PutString(out, record.decision_no);
  PutDate(out, record.decided_on);
  out.push_back(char(record.severity));
  PutString(out, record.domain);
  PutDate(out, record.publicity_until);
  PutString(out, record.license_no);
  PutDate(out, record.granted_on);
  PutDate(out, record.valid_until);
  PutDate(out, record.made_on);
  PutString(out, record.topic);
  out.push_back(char(record.commitment_status));
  PutString(out, record.scheme);
  PutString(out, record.grade);
  PutDate(out, record.rated_on);
  PutPairs(out, record.attrs);
  PutPairs(out, record.flags);
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
