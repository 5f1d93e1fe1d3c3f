// Canonical field names, the kind/field table and the Art. 42 guard.
#include "core/ingest/fields.h"

#include <algorithm>
#include <array>
#include <string>

namespace cg::core::ingest {
namespace {

constexpr std::array<std::string_view, kNumFields> kFieldNames = {
    "rid",
    "subject_uscc", "subject_reg_no", "subject_org_code", "subject_id_no", "subject_name",
    "subject_kind", "subject_region", "subject_address", "subject_phone", "subject_birth",
    "party_uscc", "party_reg_no", "party_org_code", "party_id_no", "party_name",
    "party_kind", "party_region", "party_address", "party_phone", "party_birth",
    "status", "est_date", "reg_capital", "industry",
    "ratio", "amount", "start", "end",
    "role",
    "list", "listed_on", "removed_on", "disputed", "case_no", "reason",
    "decision_no", "decided_on", "severity", "domain", "publicity_until",
    "license_no", "granted_on", "valid_until",
    "made_on", "topic",
    "scheme", "grade", "rated_on",
};

bool IsSubject(Field field) {
  return field >= Field::kSubjectUscc && field <= Field::kSubjectBirth;
}
bool IsParty(Field field) { return field >= Field::kPartyUscc && field <= Field::kPartyBirth; }

}  // namespace

std::string_view ToString(Field field) { return kFieldNames[std::size_t(field)]; }

std::optional<Field> ParseField(std::string_view name) {
  for (std::size_t index = 0; index < kFieldNames.size(); ++index) {
    if (kFieldNames[index] == name) return Field(index);
  }
  return std::nullopt;
}

bool KindUsesField(RecordKind kind, Field field) {
  using F = Field;
  if (field == F::kRid || IsSubject(field)) return true;
  if (IsParty(field)) return HasParty(kind);
  switch (kind) {
    case RecordKind::kRegistry:
      return field == F::kStatus || field == F::kEstDate || field == F::kRegCapital ||
             field == F::kIndustry;
    case RecordKind::kShareholder:
      return field == F::kRatio || field == F::kAmount;
    case RecordKind::kOfficer:
      return field == F::kRole;
    case RecordKind::kGuarantee:
      return field == F::kAmount || field == F::kStart || field == F::kEnd;
    case RecordKind::kList:
      return field == F::kList || field == F::kListedOn || field == F::kRemovedOn ||
             field == F::kDisputed || field == F::kCaseNo || field == F::kReason;
    case RecordKind::kPenalty:
      return field == F::kDecisionNo || field == F::kDecidedOn || field == F::kSeverity ||
             field == F::kAmount || field == F::kDomain || field == F::kPublicityUntil;
    case RecordKind::kLicense:
      return field == F::kLicenseNo || field == F::kGrantedOn || field == F::kValidUntil ||
             field == F::kDomain;
    case RecordKind::kCommitment:
      return field == F::kMadeOn || field == F::kTopic || field == F::kStatus;
    case RecordKind::kRating:
      return field == F::kScheme || field == F::kGrade || field == F::kRatedOn;
    case RecordKind::kPerson:
    case RecordKind::kBranch:
      return false;
  }
  return false;
}

const std::vector<Field>& RequiredFields(RecordKind kind) {
  static const std::vector<Field> kNone;
  static const std::vector<Field> kOfficer = {Field::kRole};
  static const std::vector<Field> kList = {Field::kList, Field::kListedOn};
  static const std::vector<Field> kPenalty = {Field::kDecidedOn};
  static const std::vector<Field> kLicense = {Field::kGrantedOn};
  static const std::vector<Field> kCommitment = {Field::kMadeOn};
  static const std::vector<Field> kRating = {Field::kScheme, Field::kGrade, Field::kRatedOn};
  switch (kind) {
    case RecordKind::kOfficer: return kOfficer;
    case RecordKind::kList: return kList;
    case RecordKind::kPenalty: return kPenalty;
    case RecordKind::kLicense: return kLicense;
    case RecordKind::kCommitment: return kCommitment;
    case RecordKind::kRating: return kRating;
    default: return kNone;
  }
}

bool RequiresParty(RecordKind kind) {
  return kind == RecordKind::kShareholder || kind == RecordKind::kOfficer ||
         kind == RecordKind::kBranch || kind == RecordKind::kGuarantee;
}

bool IsArt42Column(std::string_view column_name) {
  // Chinese: any of these substrings.
  static constexpr std::string_view kChinese[] = {
      "宗教", "信仰", "基因", "遗传", "指纹", "血型", "病史", "病历", "既往史", "医疗记录",
      "疾病", "诊断"};
  for (std::string_view word : kChinese) {
    if (column_name.find(word) != std::string_view::npos) return true;
  }
  // English: lower-cased, split into ASCII alphanumeric tokens (snake_case, camelCase,
  // spaces and hyphens all split).
  std::vector<std::string> tokens;
  std::string current;
  char previous = 0;
  for (char c : column_name) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool alnum = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum || (upper && previous >= 'a' && previous <= 'z')) {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    }
    if (alnum) current.push_back(upper ? char(c - 'A' + 'a') : c);
    previous = c;
  }
  if (!current.empty()) tokens.push_back(current);
  auto has = [&](std::string_view word) {
    return std::find(tokens.begin(), tokens.end(), word) != tokens.end();
  };
  static constexpr std::string_view kWords[] = {
      "religion", "religions", "religious", "faith", "gene", "genes", "genetic", "genetics",
      "genome", "genomic", "genotype", "dna", "fingerprint", "fingerprints", "bloodtype",
      "bloodgroup", "diagnosis", "illness", "disease", "diseases"};
  for (std::string_view word : kWords) {
    if (has(word)) return true;
  }
  // Two-word forms: blood type/group, medical history/record(s), health record(s)/history.
  for (std::size_t index = 0; index + 1 < tokens.size(); ++index) {
    const std::string& first = tokens[index];
    const std::string& second = tokens[index + 1];
    if (first == "blood" && (second == "type" || second == "group")) return true;
    if ((first == "medical" || first == "health" || first == "clinical") &&
        (second == "history" || second == "record" || second == "records" ||
         second == "condition" || second == "conditions")) {
      return true;
    }
    if (first == "finger" && (second == "print" || second == "prints")) return true;
  }
  return false;
}

}  // namespace cg::core::ingest
