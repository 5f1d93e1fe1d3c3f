// The canonical record: what ingest makes of one row of any source (catalog.md §3–§4), and what
// every later stage (resolution, graph, measures, scoring) reads. Identifiers are normalized by
// core/ids; dates are cg::Date; enumerations are parsed. Unmapped columns stay as opaque attrs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/types.h"

namespace cg::core {

/// Record kinds of catalog.md §4, in the order of the spec's table.
enum class RecordKind : std::uint8_t {
  kRegistry,
  kPerson,
  kShareholder,
  kOfficer,
  kBranch,
  kGuarantee,
  kList,
  kPenalty,
  kLicense,
  kCommitment,
  kRating,
};
inline constexpr int kNumRecordKinds = 11;
std::string_view ToString(RecordKind kind);
std::optional<RecordKind> ParseRecordKind(std::string_view text);
/// True for kinds with a `party_*` entity (registry, shareholder, officer, branch, guarantee,
/// list).
bool HasParty(RecordKind kind);

/// Entity kinds of catalog.md §3 (`subject_kind`); kUnknown when the record does not say.
enum class EntityKind : std::uint8_t {
  kUnknown,
  kEnterprise,
  kIndividualBusiness,
  kOrganization,
  kPerson,
};
std::string_view ToString(EntityKind kind);
std::optional<EntityKind> ParseEntityKind(std::string_view text);
/// Enterprise, individual business or organization (the kinds scoring.md rates).
inline bool IsOrganizationLike(EntityKind kind) {
  return kind == EntityKind::kEnterprise || kind == EntityKind::kIndividualBusiness ||
         kind == EntityKind::kOrganization;
}

/// Officer roles of catalog.md §4 (`officer.role`), plus legal_rep (measures.md §2).
enum class OfficerRole : std::uint8_t {
  kNone,
  kChair,
  kDirector,
  kSupervisor,
  kManager,
  kPrincipal,
  kController,
  kLegalRep,
};
std::string_view ToString(OfficerRole role);
std::optional<OfficerRole> ParseOfficerRole(std::string_view text);

enum class Severity : std::uint8_t { kNone, kMinor, kGeneral, kSerious };
std::string_view ToString(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view text);

/// Registry status: 存续/在业 (active), 吊销 (revoked), 注销 (cancelled), 迁出 (moved out).
enum class RegStatus : std::uint8_t { kNone, kActive, kRevoked, kCancelled, kMovedOut };
std::string_view ToString(RegStatus status);
std::optional<RegStatus> ParseRegStatus(std::string_view text);

enum class CommitmentStatus : std::uint8_t { kNone, kPending, kKept, kBreached };
std::string_view ToString(CommitmentStatus status);
std::optional<CommitmentStatus> ParseCommitmentStatus(std::string_view text);

/// Bits of Identity::weak: the code was well-formed but failed its check digit (kept, flagged,
/// weak evidence only), or was present but invalid (dropped from the identity, kept in attrs).
enum WeakCode : std::uint8_t {
  kWeakUscc = 1,
  kWeakRegNo = 2,
  kWeakOrgCode = 4,
  kWeakIdNo = 8,
};

/// The identity fields of one side (`subject_*` or `party_*`) of a record.
struct Identity {
  std::string uscc;      // 18 chars, normalized (upper case, half-width); may fail check (weak)
  std::string reg_no;    // 15 digits
  std::string org_code;  // 9 chars without hyphen
  std::string id_no;     // 18 chars; 15-digit input upgraded to 18
  std::string name;      // as written, trimmed (normalization is core/text's job)
  EntityKind kind = EntityKind::kUnknown;
  std::string region;    // 6-digit division code
  std::string address;
  std::string phone;
  Date birth = kNoDate;
  std::uint8_t weak = 0;  // WeakCode bits

  /// True when no identity field at all is set (the side is absent).
  bool empty() const {
    return uscc.empty() && reg_no.empty() && org_code.empty() && id_no.empty() && name.empty();
  }
};

/// One input row, canonical. Fields that do not apply to the record's kind stay at their
/// defaults (empty string, kNoDate, NaN-free 0 with has_* false).
struct Record {
  std::string source;  // the catalog's source id
  std::string rid;     // unique within the source
  RecordKind kind = RecordKind::kRegistry;
  Identity subject;
  Identity party;

  // registry
  RegStatus status = RegStatus::kNone;
  Date est_date = kNoDate;
  std::optional<double> reg_capital;  // 10k CNY
  std::string industry;               // GB/T 4754 code
  // shareholder (ratio, amount), guarantee (amount, start, end), penalty (amount)
  std::optional<double> ratio;
  std::optional<double> amount;
  Date start = kNoDate;
  Date end = kNoDate;
  // officer
  OfficerRole role = OfficerRole::kNone;
  // list
  std::string list;  // list code (catalog.md §5)
  Date listed_on = kNoDate;
  Date removed_on = kNoDate;
  bool disputed = false;
  std::string case_no;
  std::string reason;
  // penalty
  std::string decision_no;
  Date decided_on = kNoDate;
  Severity severity = Severity::kNone;
  std::string domain;  // penalty and license
  Date publicity_until = kNoDate;
  // license
  std::string license_no;
  Date granted_on = kNoDate;
  Date valid_until = kNoDate;
  // commitment
  Date made_on = kNoDate;
  std::string topic;
  CommitmentStatus commitment_status = CommitmentStatus::kNone;
  // rating
  std::string scheme;
  std::string grade;
  Date rated_on = kNoDate;

  /// Columns neither canonical nor mapped, kept as opaque (name, value) attributes.
  std::vector<std::pair<std::string, std::string>> attrs;
  /// Optional fields that were present but bad, loaded as unknown: (field, reason).
  std::vector<std::pair<std::string, std::string>> flags;

  /// The date the record's fact starts (est_date, listed_on, decided_on, granted_on, made_on,
  /// rated_on or start, by kind); kNoDate if it has none.
  Date EventDate() const;
};

/// Where a mention sits in a record.
enum class Role : std::uint8_t { kSubject, kParty };
std::string_view ToString(Role role);

/// List codes of catalog.md §5 with their polarity and domain. Unknown codes are allowed in
/// data (a catalog may add lists); their polarity is "unknown" unless a measures catalog says.
enum class Polarity : std::uint8_t { kUnknown, kBlack, kRed };
struct ListInfo {
  std::string_view code;
  std::string_view name;
  Polarity polarity;
  std::string_view domain;
};
/// The known list, or nullptr.
const ListInfo* FindList(std::string_view code);
/// The ten lists of catalog.md §5.
const std::vector<ListInfo>& KnownLists();

}  // namespace cg::core
