// The canonical field names of catalog.md §3–§4 (what a column may be mapped onto), which
// fields each record kind uses, and the guard of the Shandong Social Credit Regulation Art. 42:
// column names that carry religion, genes, fingerprints, blood type or medical history.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/record.h"

namespace cg::core::ingest {

/// Canonical fields. Identity fields come in two blocks (subject, party) in the same order.
enum class Field : std::uint8_t {
  kRid,
  // subject_* (kSubjectUscc + offset), then party_* (kPartyUscc + offset), offsets per IdField
  kSubjectUscc, kSubjectRegNo, kSubjectOrgCode, kSubjectIdNo, kSubjectName, kSubjectKind,
  kSubjectRegion, kSubjectAddress, kSubjectPhone, kSubjectBirth,
  kPartyUscc, kPartyRegNo, kPartyOrgCode, kPartyIdNo, kPartyName, kPartyKind,
  kPartyRegion, kPartyAddress, kPartyPhone, kPartyBirth,
  kStatus, kEstDate, kRegCapital, kIndustry,
  kRatio, kAmount, kStart, kEnd,
  kRole,
  kList, kListedOn, kRemovedOn, kDisputed, kCaseNo, kReason,
  kDecisionNo, kDecidedOn, kSeverity, kDomain, kPublicityUntil,
  kLicenseNo, kGrantedOn, kValidUntil,
  kMadeOn, kTopic,
  kScheme, kGrade, kRatedOn,
  kCount,
};
inline constexpr int kNumFields = int(Field::kCount);
/// The number of identity suffixes (uscc … birth).
inline constexpr int kNumIdentityFields = 10;

/// A column that is not canonical: kept as an attribute.
inline constexpr std::uint8_t kAttrField = 0xfe;
/// A column refused by the Art. 42 guard: never read, never stored.
inline constexpr std::uint8_t kRefusedField = 0xff;

std::string_view ToString(Field field);
/// The field with that canonical name (e.g. "subject_uscc", "listed_on"), or nullopt.
std::optional<Field> ParseField(std::string_view name);
/// True when records of `kind` use `field` (rid and subject_* for every kind, party_* for
/// kinds with a party, the further fields of catalog.md §4 for their kind).
bool KindUsesField(RecordKind kind, Field field);
/// The fields a record of `kind` cannot be used without (docs/ingest.md "Required fields").
/// Identity requirements (a usable subject, a party for relation kinds) are checked apart.
const std::vector<Field>& RequiredFields(RecordKind kind);
/// True for kinds whose record is an edge to a party and is useless without one.
bool RequiresParty(RecordKind kind);

/// Art. 42 guard: true when a column name says it carries religion, genes, fingerprints, blood
/// type or medical history (Chinese or English; list in docs/ingest.md).
bool IsArt42Column(std::string_view column_name);

}  // namespace cg::core::ingest
