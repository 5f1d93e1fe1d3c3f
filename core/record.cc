// String forms of the enumerations in core/record.h (the spec's spellings).
#include "core/record.h"

#include <array>

namespace cg::core {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> Lookup(const std::array<std::string_view, N>& names, std::string_view text,
                           std::size_t first = 0) {
  for (std::size_t index = first; index < N; ++index) {
    if (names[index] == text) return Enum(index);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, kNumRecordKinds> kRecordKindNames = {
    "registry", "person",  "shareholder", "officer",    "branch", "guarantee",
    "list",     "penalty", "license",     "commitment", "rating"};
constexpr std::array<std::string_view, 5> kEntityKindNames = {
    "", "enterprise", "individual_business", "organization", "person"};
constexpr std::array<std::string_view, 8> kRoleNames = {
    "", "chair", "director", "supervisor", "manager", "principal", "controller", "legal_rep"};
constexpr std::array<std::string_view, 4> kSeverityNames = {"", "minor", "general", "serious"};
constexpr std::array<std::string_view, 5> kStatusNames = {"", "存续", "吊销", "注销", "迁出"};
constexpr std::array<std::string_view, 4> kCommitmentNames = {"", "pending", "kept", "breached"};

}  // namespace

std::string_view ToString(RecordKind kind) { return kRecordKindNames[std::size_t(kind)]; }
std::optional<RecordKind> ParseRecordKind(std::string_view text) {
  return Lookup<RecordKind>(kRecordKindNames, text);
}
bool HasParty(RecordKind kind) {
  switch (kind) {
    case RecordKind::kRegistry:
    case RecordKind::kShareholder:
    case RecordKind::kOfficer:
    case RecordKind::kBranch:
    case RecordKind::kGuarantee:
    case RecordKind::kList:
      return true;
    default:
      return false;
  }
}

std::string_view ToString(EntityKind kind) { return kEntityKindNames[std::size_t(kind)]; }
std::optional<EntityKind> ParseEntityKind(std::string_view text) {
  return Lookup<EntityKind>(kEntityKindNames, text, 1);
}

std::string_view ToString(OfficerRole role) { return kRoleNames[std::size_t(role)]; }
std::optional<OfficerRole> ParseOfficerRole(std::string_view text) {
  return Lookup<OfficerRole>(kRoleNames, text, 1);
}

std::string_view ToString(Severity severity) { return kSeverityNames[std::size_t(severity)]; }
std::optional<Severity> ParseSeverity(std::string_view text) {
  return Lookup<Severity>(kSeverityNames, text, 1);
}

std::string_view ToString(RegStatus status) { return kStatusNames[std::size_t(status)]; }
std::optional<RegStatus> ParseRegStatus(std::string_view text) {
  if (text == "在业") return RegStatus::kActive;  // 存续/在业 are one status
  return Lookup<RegStatus>(kStatusNames, text, 1);
}

std::string_view ToString(CommitmentStatus status) {
  return kCommitmentNames[std::size_t(status)];
}
std::optional<CommitmentStatus> ParseCommitmentStatus(std::string_view text) {
  return Lookup<CommitmentStatus>(kCommitmentNames, text, 1);
}

std::string_view ToString(Role role) { return role == Role::kSubject ? "subject" : "party"; }

Date Record::EventDate() const {
  switch (kind) {
    case RecordKind::kRegistry: return est_date;
    case RecordKind::kList: return listed_on;
    case RecordKind::kPenalty: return decided_on;
    case RecordKind::kLicense: return granted_on;
    case RecordKind::kCommitment: return made_on;
    case RecordKind::kRating: return rated_on;
    case RecordKind::kGuarantee: return start;
    default: return kNoDate;
  }
}

const std::vector<ListInfo>& KnownLists() {
  static const std::vector<ListInfo> lists = {
      {"court_dishonest_debtor", "失信被执行人名单", Polarity::kBlack, "judicial"},
      {"tax_major_violation", "重大税收违法失信主体", Polarity::kBlack, "tax"},
      {"amr_serious_illegal", "严重违法失信名单", Polarity::kBlack, "market"},
      {"amr_abnormal_operation", "经营异常名录", Polarity::kBlack, "market"},
      {"procurement_bad_record", "政府采购严重违法失信行为记录名单", Polarity::kBlack,
       "procurement"},
      {"safety_blacklist", "安全生产失信联合惩戒对象", Polarity::kBlack, "safety"},
      {"env_serious", "环境违法严重失信", Polarity::kBlack, "environment"},
      {"labor_wage_arrears", "拖欠农民工工资失信联合惩戒对象", Polarity::kBlack, "labor"},
      {"tax_a", "纳税信用A级纳税人", Polarity::kRed, "tax"},
      {"contract_honoring", "守合同重信用企业", Polarity::kRed, "market"},
  };
  return lists;
}

const ListInfo* FindList(std::string_view code) {
  for (const ListInfo& info : KnownLists()) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

}  // namespace cg::core
