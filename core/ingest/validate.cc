// Row -> Record validation (see validate.h and docs/ingest.md for the rules).
#include "core/ingest/validate.h"

#include "core/strings.h"
#include <array>
#include <cmath>
#include <type_traits>

#include "absl/strings/numbers.h"
#include "core/date.h"
#include "core/ids/divisions.h"
#include "core/ingest/fields.h"
#include "core/ingest/identifiers.h"

namespace cg::core::ingest {
namespace {

std::string Quote(std::string_view text) {
  std::string out = "'";
  out.append(text.substr(0, 80));
  if (text.size() > 80) out.append("…");
  out.push_back('\'');
  return out;
}

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  if (!absl::SimpleAtod(absl::string_view(text.data(), text.size()), &value) ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool ValidListCode(std::string_view code) {
  if (code.empty()) return false;
  for (char c : code) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

/// Text fields: a Record owns copies, a RecordView views the row's memory.
inline void Set(std::string& out, std::string_view text) { out.assign(text); }
inline void Set(std::string_view& out, std::string_view text) { out = text; }

/// Identity code slots (uscc, reg_no, org_code, id_no) of either identity type.
template <typename IdentityType>
auto& CodeSlot(IdentityType& identity, int offset) {
  switch (offset) {
    case 0:
      return identity.uscc;
    case 1:
      return identity.reg_no;
    case 2:
      return identity.org_code;
    default:
      return identity.id_no;
  }
}

/// Validates one row into a Record (RowVerdict) or a RecordView (RowViewVerdict): one set of
/// rules for both, so that the two can only differ in how texts are held.
template <typename Verdict>
class Builder {
 public:
  using RecordType = decltype(Verdict::record);
  /// `codes`: where a RecordView's normalized identifiers live (8 slots), or nullptr (Record).
  Builder(const SourceSpec& spec, const RowBatch& batch, std::size_t row,
          NormalizedCode* codes = nullptr)
      : spec_(spec), batch_(batch), row_(row), codes_(codes) {}

  /// Fills `verdict`, which may hold a previous row's verdict: every member is reset first by
  /// assignment (strings and vectors keep their capacity, so a reused verdict allocates nothing
  /// for the row's text in the steady state).
  Verdict& Run(Verdict& verdict) {
    static const RecordType kEmptyRecord;
    verdict.ok = false;
    verdict.field.clear();
    verdict.reason.clear();
    RecordType& record = verdict.record;
    record = kEmptyRecord;
    Set(record.source, spec_.id);
    record.kind = spec_.kind;
    for (std::uint32_t index = batch_.row_begin[row_]; index < batch_.row_begin[row_ + 1];
         ++index) {
      const Cell& cell = batch_.cells[index];
      if (cell.field == kAttrField) {
        record.attrs.emplace_back((*batch_.columns)[cell.column], batch_.value(cell));
      } else if (cell.field < kNumFields) {
        values_[cell.field] = batch_.value(cell);
      }
    }
    Set(record.rid, Value(Field::kRid));
    for (const auto& [malformed_row, reason] : batch_.malformed) {
      if (malformed_row == row_) return Quarantine(verdict, "row", reason);
    }
    if (record.rid.empty()) return Quarantine(verdict, "rid", "missing rid");

    // Required fields of the kind.
    for (Field field : RequiredFields(spec_.kind)) {
      if (Value(field).empty()) {
        return Quarantine(verdict, std::string(ToString(field)),
                          "missing " + std::string(ToString(field)) + ", required for " +
                              std::string(ToString(spec_.kind)) + " records");
      }
    }
    std::string field_at_fault, reason;
    if (!Fill(record, field_at_fault, reason)) {
      return Quarantine(verdict, field_at_fault, reason);
    }
    Identity(record, record.subject, Field::kSubjectUscc);
    if (HasParty(spec_.kind)) Identity(record, record.party, Field::kPartyUscc);
    if (record.subject.empty()) {
      return Quarantine(verdict, "subject",
                        "no usable subject identity (uscc, reg_no, org_code, id_no or name)");
    }
    if (RequiresParty(spec_.kind) && record.party.empty()) {
      return Quarantine(verdict, "party",
                        "no usable party identity, required for " +
                            std::string(ToString(spec_.kind)) + " records");
    }
    verdict.ok = true;
    return verdict;
  }

 private:
  std::string_view Value(Field field) const { return values_[std::size_t(field)]; }

  static Verdict& Quarantine(Verdict& verdict, std::string field, std::string reason) {
    verdict.ok = false;
    verdict.field = std::move(field);
    verdict.reason = std::move(reason);
    return verdict;
  }

  void Flag(RecordType& record, Field field, std::string reason) {
    record.flags.emplace_back(ToString(field), std::move(reason));
  }

  /// An optional date: empty -> kNoDate; bad -> flagged, kNoDate.
  Date OptionalDate(RecordType& record, Field field) {
    const std::string_view text = Value(field);
    if (text.empty()) return kNoDate;
    if (auto date = ParseDate(text)) return *date;
    Flag(record, field, "bad date " + Quote(text));
    return kNoDate;
  }
  /// A required date (present, checked by the caller): bad -> false with a reason.
  bool RequiredDate(Field field, Date& out, std::string& field_at_fault, std::string& reason) {
    const std::string_view text = Value(field);
    if (auto date = ParseDate(text)) {
      out = *date;
      return true;
    }
    field_at_fault = std::string(ToString(field));
    reason = "bad date " + Quote(text) + " in required field " + field_at_fault +
             " (use 2016-08-05, 2016/8/5, 20160805 or 2016年8月5日)";
    return false;
  }
  std::optional<double> OptionalNumber(RecordType& record, Field field,
                                       bool positive_only = true) {
    const std::string_view text = Value(field);
    if (text.empty()) return std::nullopt;
    auto value = ParseNumber(text);
    if (!value) {
      Flag(record, field, "bad number " + Quote(text));
      return std::nullopt;
    }
    if (positive_only && *value < 0) {
      Flag(record, field, "negative amount " + Quote(text));
      return std::nullopt;
    }
    return value;
  }
  template <typename TextType>
  void Text(TextType& out, Field field) const {
    Set(out, Value(field));
  }

  bool Fill(RecordType& record, std::string& field_at_fault, std::string& reason) {
    using F = Field;
    switch (spec_.kind) {
      case RecordKind::kRegistry: {
        if (!Value(F::kStatus).empty()) {
          if (auto status = ParseRegStatus(Value(F::kStatus))) {
            record.status = *status;
          } else {
            Flag(record, F::kStatus, "status " + Quote(Value(F::kStatus)) +
                                         " is not one of 存续, 在业, 吊销, 注销, 迁出");
          }
        }
        record.est_date = OptionalDate(record, F::kEstDate);
        record.reg_capital = OptionalNumber(record, F::kRegCapital);
        Text(record.industry, F::kIndustry);
        break;
      }
      case RecordKind::kShareholder: {
        record.ratio = OptionalNumber(record, F::kRatio);
        if (record.ratio && (*record.ratio <= 0 || *record.ratio > 1)) {
          Flag(record, F::kRatio, "ratio " + Quote(Value(F::kRatio)) + " is not in (0, 1]");
          record.ratio.reset();
        }
        record.amount = OptionalNumber(record, F::kAmount);
        break;
      }
      case RecordKind::kOfficer: {
        auto role = ParseOfficerRole(Lower(Value(F::kRole)));
        if (!role) {
          field_at_fault = "role";
          reason = "role " + Quote(Value(F::kRole)) +
                   " is not one of chair, director, supervisor, manager, principal, "
                   "controller, legal_rep";
          return false;
        }
        record.role = *role;
        break;
      }
      case RecordKind::kGuarantee: {
        record.amount = OptionalNumber(record, F::kAmount);
        record.start = OptionalDate(record, F::kStart);
        record.end = OptionalDate(record, F::kEnd);
        if (record.start != kNoDate && record.end != kNoDate && record.end < record.start) {
          Flag(record, F::kEnd, "end is before start");
          record.end = kNoDate;
        }
        break;
      }
      case RecordKind::kList: {
        const std::string_view code = Value(F::kList);
        if (!ValidListCode(code)) {
          field_at_fault = "list";
          reason = "list code " + Quote(code) + " is not a list code ([a-z0-9_]+, catalog.md §5)";
          return false;
        }
        Set(record.list, code);
        if (!RequiredDate(F::kListedOn, record.listed_on, field_at_fault, reason)) return false;
        record.removed_on = OptionalDate(record, F::kRemovedOn);
        if (record.removed_on != kNoDate && record.removed_on < record.listed_on) {
          Flag(record, F::kRemovedOn, "removed_on is before listed_on");
          record.removed_on = kNoDate;
        }
        if (!Value(F::kDisputed).empty()) {
          if (auto disputed = ParseBool(Value(F::kDisputed))) {
            record.disputed = *disputed;
          } else {
            Flag(record, F::kDisputed,
                 "disputed " + Quote(Value(F::kDisputed)) + " is not true/false/1/0/是/否");
          }
        }
        Text(record.case_no, F::kCaseNo);
        Text(record.reason, F::kReason);
        break;
      }
      case RecordKind::kPenalty: {
        if (!RequiredDate(F::kDecidedOn, record.decided_on, field_at_fault, reason)) return false;
        Text(record.decision_no, F::kDecisionNo);
        if (!Value(F::kSeverity).empty()) {
          if (auto severity = ParseSeverity(Lower(Value(F::kSeverity)))) {
            record.severity = *severity;
          } else {
            Flag(record, F::kSeverity, "severity " + Quote(Value(F::kSeverity)) +
                                           " is not one of minor, general, serious");
          }
        }
        record.amount = OptionalNumber(record, F::kAmount);
        Text(record.domain, F::kDomain);
        record.publicity_until = OptionalDate(record, F::kPublicityUntil);
        break;
      }
      case RecordKind::kLicense: {
        if (!RequiredDate(F::kGrantedOn, record.granted_on, field_at_fault, reason)) return false;
        Text(record.license_no, F::kLicenseNo);
        record.valid_until = OptionalDate(record, F::kValidUntil);
        if (record.valid_until != kNoDate && record.valid_until < record.granted_on) {
          Flag(record, F::kValidUntil, "valid_until is before granted_on");
          record.valid_until = kNoDate;
        }
        Text(record.domain, F::kDomain);
        break;
      }
      case RecordKind::kCommitment: {
        if (!RequiredDate(F::kMadeOn, record.made_on, field_at_fault, reason)) return false;
        Text(record.topic, F::kTopic);
        if (!Value(F::kStatus).empty()) {
          if (auto status = ParseCommitmentStatus(Lower(Value(F::kStatus)))) {
            record.commitment_status = *status;
          } else {
            Flag(record, F::kStatus, "status " + Quote(Value(F::kStatus)) +
                                         " is not one of pending, kept, breached");
          }
        }
        break;
      }
      case RecordKind::kRating: {
        if (!RequiredDate(F::kRatedOn, record.rated_on, field_at_fault, reason)) return false;
        Text(record.scheme, F::kScheme);
        Text(record.grade, F::kGrade);
        break;
      }
      case RecordKind::kPerson:
      case RecordKind::kBranch:
        break;
    }
    return true;
  }

  template <typename IdentityType>
  void Identity(RecordType& record, IdentityType& identity, Field first) {
    auto field = [&](int offset) { return Field(int(first) + offset); };
    struct IdSlot {
      int offset;
      IdType type;
      std::uint8_t weak_bit;
    };
    static constexpr IdSlot kSlots[] = {
        {0, IdType::kUscc, kWeakUscc},
        {1, IdType::kRegNo, kWeakRegNo},
        {2, IdType::kOrgCode, kWeakOrgCode},
        {3, IdType::kIdNo, kWeakIdNo},
    };
    const int side = first == Field::kSubjectUscc ? 0 : 4;
    for (const IdSlot& slot : kSlots) {
      const std::string_view text = Value(field(slot.offset));
      if (text.empty()) continue;
      const IdCheck result = CheckIdentifierFast(slot.type, text);
      switch (result.verdict) {
        case IdVerdict::kValid:
        case IdVerdict::kCheckFailed:
          if constexpr (std::is_same_v<RecordType, Record>) {
            CodeSlot(identity, slot.offset).assign(result.normalized());
          } else {
            NormalizedCode& kept = codes_[side + slot.offset];
            kept = result.code;
            CodeSlot(identity, slot.offset) = kept.view();
          }
          if (result.verdict == IdVerdict::kCheckFailed) identity.weak |= slot.weak_bit;
          break;
        case IdVerdict::kInvalid:
          // Dropped from the identity (its weak bit says one was given), kept as an attribute,
          // flagged (core/record.h WeakCode).
          identity.weak |= slot.weak_bit;
          record.attrs.emplace_back(ToString(field(slot.offset)), text);
          Flag(record, field(slot.offset), std::string(result.reason) + ": " + Quote(text));
          break;
      }
    }
    Text(identity.name, field(4));
    if (const std::string_view kind = Value(field(5)); !kind.empty()) {
      if (auto parsed = ParseEntityKind(Lower(kind))) {
        identity.kind = *parsed;
      } else {
        Flag(record, field(5), "kind " + Quote(kind) +
                                   " is not one of enterprise, individual_business, "
                                   "organization, person");
      }
    }
    if (const std::string_view region = Value(field(6)); !region.empty()) {
      if (region.size() == 6 && AllDigits(region)) {
        // A retired code (莱城区 371202, part of 济南市莱芜区 370116 since 2019) is read as the place
        // it is today, so that resolution, the graph and the scores see one place; the code as
        // sent stays an attribute and a flag says so (docs/sweep2.md).
        const Division* division = FindDivision(region);
        if (division != nullptr && !division->current && division->successor.size() == 6) {
          Set(identity.region, division->successor);
          record.attrs.emplace_back(ToString(field(6)), region);
          Flag(record, field(6), "region " + Quote(region) + " is retired; read as its successor " +
                                     std::string(division->successor));
        } else {
          Set(identity.region, region);
        }
      } else {
        Flag(record, field(6), "region " + Quote(region) + " is not a 6-digit division code");
      }
    }
    Text(identity.address, field(7));
    Text(identity.phone, field(8));
    identity.birth = OptionalDate(record, field(9));
  }

  const SourceSpec& spec_;
  const RowBatch& batch_;
  std::size_t row_;
  NormalizedCode* codes_;
  std::array<std::string_view, kNumFields> values_{};
};

using strings::AppendJsonString;

}  // namespace

std::optional<bool> ParseBool(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower == "true" || lower == "1" || text == "是") return true;
  if (lower == "false" || lower == "0" || text == "否") return false;
  return std::nullopt;
}

RowVerdict ValidateRow(const SourceSpec& spec, const RowBatch& batch, std::size_t row) {
  RowVerdict verdict;
  Builder<RowVerdict>(spec, batch, row).Run(verdict);
  return verdict;
}

void ValidateRowInto(const SourceSpec& spec, const RowBatch& batch, std::size_t row,
                     RowVerdict& verdict) {
  Builder<RowVerdict>(spec, batch, row).Run(verdict);
}

void ValidateRowView(const SourceSpec& spec, const RowBatch& batch, std::size_t row,
                     RowViewVerdict& verdict) {
  Builder<RowViewVerdict>(spec, batch, row, verdict.codes.data()).Run(verdict);
}

std::string RowToJson(const RowBatch& batch, std::size_t row) {
  std::string out = "{";
  bool first = true;
  for (std::uint32_t index = batch.row_begin[row]; index < batch.row_begin[row + 1]; ++index) {
    const Cell& cell = batch.cells[index];
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(out, (*batch.columns)[cell.column]);
    out.push_back(':');
    AppendJsonString(out, batch.value(cell));
  }
  out.push_back('}');
  return out;
}

RowVerdict ValidateNamedRow(const SourceSpec& spec,
                            const std::vector<std::pair<std::string, std::string>>& row) {
  ColumnPlan plan(spec);
  RowBatch batch;
  auto names = std::make_shared<ColumnNames>();
  batch.BeginRow();
  for (const auto& [name, value] : row) {
    const std::uint8_t field = plan.Resolve(name);
    names->push_back(name);
    if (field == kRefusedField || value.empty()) continue;
    batch.AddCell(std::uint32_t(names->size() - 1), field, value);
  }
  batch.EndRows();
  batch.columns = std::move(names);
  return ValidateRow(spec, batch, 0);
}

}  // namespace cg::core::ingest
