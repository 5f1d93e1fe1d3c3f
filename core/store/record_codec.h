// Compact binary codec of core::Record, the value format of the per-kind column families.
// Hand-written (no library): a version byte, then every field in a fixed order; strings as
// varint length + bytes, dates as zig-zag varints, optional numbers as a presence byte + 8-byte
// IEEE double, enumerations as one byte. Decoding checks every length against the buffer.
//
// DecodeRecordFields is the selective decoder for the stages after resolve: it walks the same
// bytes but copies only the fields of a mask (the others are skipped by their length, without
// allocating), into a Record the caller reuses, so a scan that needs a few fields of millions of
// records does not build every name, address and attribute.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/record.h"

namespace cg::core::store {

/// Current format version (first byte of every encoded record).
inline constexpr unsigned char kRecordCodecVersion = 1;

/// The fields of a Record in codec order, one bit each in a RecordFieldMask.
enum class RecordField : std::uint8_t {
  kSource, kRid, kKind,
  kSubjectUscc, kSubjectRegNo, kSubjectOrgCode, kSubjectIdNo, kSubjectName, kSubjectKind,
  kSubjectRegion, kSubjectAddress, kSubjectPhone, kSubjectBirth, kSubjectWeak,
  kPartyUscc, kPartyRegNo, kPartyOrgCode, kPartyIdNo, kPartyName, kPartyKind,
  kPartyRegion, kPartyAddress, kPartyPhone, kPartyBirth, kPartyWeak,
  kStatus, kEstDate, kRegCapital, kIndustry, kRatio, kAmount, kStart, kEnd, kRole, kList,
  kListedOn, kRemovedOn, kDisputed, kCaseNo, kReason, kDecisionNo, kDecidedOn, kSeverity,
  kDomain, kPublicityUntil, kLicenseNo, kGrantedOn, kValidUntil, kMadeOn, kTopic,
  kCommitmentStatus, kScheme, kGrade, kRatedOn, kAttrs, kFlags,
};
inline constexpr int kNumRecordFields = int(RecordField::kFlags) + 1;

/// A set of RecordFields (bit i = RecordField i).
class RecordFieldMask {
 public:
  constexpr RecordFieldMask() = default;
  constexpr RecordFieldMask(std::initializer_list<RecordField> fields) {
    for (RecordField field : fields) bits_ |= Bit(field);
  }
  static constexpr RecordFieldMask All() {
    RecordFieldMask mask;
    mask.bits_ = (std::uint64_t{1} << kNumRecordFields) - 1;
    return mask;
  }
  /// The five fields Identity::empty() reads, of the subject or the party side.
  static constexpr RecordFieldMask SubjectKeys() {
    return {RecordField::kSubjectUscc, RecordField::kSubjectRegNo, RecordField::kSubjectOrgCode,
            RecordField::kSubjectIdNo, RecordField::kSubjectName};
  }
  static constexpr RecordFieldMask PartyKeys() {
    return {RecordField::kPartyUscc, RecordField::kPartyRegNo, RecordField::kPartyOrgCode,
            RecordField::kPartyIdNo, RecordField::kPartyName};
  }
  constexpr bool Has(RecordField field) const { return (bits_ & Bit(field)) != 0; }
  constexpr RecordFieldMask operator|(RecordFieldMask other) const {
    RecordFieldMask mask;
    mask.bits_ = bits_ | other.bits_;
    return mask;
  }
  constexpr bool operator==(const RecordFieldMask&) const = default;
  constexpr std::uint64_t bits() const { return bits_; }

 private:
  static constexpr std::uint64_t Bit(RecordField field) {
    return std::uint64_t{1} << static_cast<int>(field);
  }
  std::uint64_t bits_ = 0;
};

/// A Record whose texts are views (into a row's cells, normalized-code buffers, column names,
/// static field names) instead of owned strings: what ingest validates a row into, so that a
/// row is encoded without copying every value into a Record first. Same fields, same meaning;
/// EncodeRecord of a RecordView gives exactly the bytes of EncodeRecord of the equal Record.
/// Valid only as long as the memory it views.
struct IdentityView {
  std::string_view uscc;
  std::string_view reg_no;
  std::string_view org_code;
  std::string_view id_no;
  std::string_view name;
  EntityKind kind = EntityKind::kUnknown;
  std::string_view region;
  std::string_view address;
  std::string_view phone;
  Date birth = kNoDate;
  std::uint8_t weak = 0;
  bool empty() const {
    return uscc.empty() && reg_no.empty() && org_code.empty() && id_no.empty() && name.empty();
  }
};

struct RecordView {
  std::string_view source;
  std::string_view rid;
  RecordKind kind = RecordKind::kRegistry;
  IdentityView subject;
  IdentityView party;
  RegStatus status = RegStatus::kNone;
  Date est_date = kNoDate;
  std::optional<double> reg_capital;
  std::string_view industry;
  std::optional<double> ratio;
  std::optional<double> amount;
  Date start = kNoDate;
  Date end = kNoDate;
  OfficerRole role = OfficerRole::kNone;
  std::string_view list;
  Date listed_on = kNoDate;
  Date removed_on = kNoDate;
  bool disputed = false;
  std::string_view case_no;
  std::string_view reason;
  std::string_view decision_no;
  Date decided_on = kNoDate;
  Severity severity = Severity::kNone;
  std::string_view domain;
  Date publicity_until = kNoDate;
  std::string_view license_no;
  Date granted_on = kNoDate;
  Date valid_until = kNoDate;
  Date made_on = kNoDate;
  std::string_view topic;
  CommitmentStatus commitment_status = CommitmentStatus::kNone;
  std::string_view scheme;
  std::string_view grade;
  Date rated_on = kNoDate;
  std::vector<std::pair<std::string_view, std::string_view>> attrs;
  std::vector<std::pair<std::string_view, std::string>> flags;  // reasons are made per row
};

/// Appends the encoding of `record` to `out`.
void EncodeRecord(const Record& record, std::string& out);
/// The same bytes for a RecordView (written through a per-thread buffer: `out` is not
/// zero-filled to an upper bound first).
void EncodeRecord(const RecordView& record, std::string& out);
std::string EncodeRecord(const Record& record);
/// Decodes a value written by EncodeRecord; a DataLossError for a truncated or foreign value.
absl::StatusOr<Record> DecodeRecord(std::string_view bytes);
/// Selective decode: sets the fields of `fields` in `record` from the encoding and leaves every
/// other field of `record` as it was (pass a default Record, or one reused with the same mask).
/// Every length and enumeration is still checked: the same DataLossError as DecodeRecord for
/// bytes it refuses. With RecordFieldMask::All() the result equals DecodeRecord's.
absl::Status DecodeRecordFields(std::string_view bytes, RecordFieldMask fields, Record& record);

}  // namespace cg::core::store
