// Comparison levels for Chinese registry data, one vector per candidate pair of mentions of the
// same class. Organizations: name (full equal / core equal / Jaro–Winkler or bigram close /
// trade name equal or loosely close / different), region (county / city / province / other),
// legal representative, address, phone, and a typo'd code against the other side's code.
// Persons: name, birth date, region, ID number typo, tied organization, phone, address.
#pragma once

#include <cstdint>
#include <vector>

#include "core/resolve/fellegi_sunter.h"
#include "core/resolve/mentions.h"

namespace cg::core::resolve {

/// The fields of each class, in comparison-vector order.
const std::vector<FieldSpec>& OrgFields();
const std::vector<FieldSpec>& PersonFields();
inline constexpr int kOrgNameField = 0;
inline constexpr int kPersonNameField = 0;
/// The name level from which term-frequency adjustment applies (core equal / name equal).
inline constexpr int kOrgTfLevel = 4;
inline constexpr int kPersonTfLevel = 2;

/// Fills the comparison pattern of two mentions of the same class.
Pattern CompareOrgs(const MentionTable& table, MentionId a, MentionId b);
Pattern ComparePersons(const MentionTable& table, MentionId a, MentionId b);
inline Pattern Compare(const MentionTable& table, MentionId a, MentionId b) {
  return table.kind_class[a] == KindClass::kPerson ? ComparePersons(table, a, b)
                                                   : CompareOrgs(table, a, b);
}

}  // namespace cg::core::resolve
