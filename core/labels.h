// Edge labels and tags of the related-party graph (measures.md §2), as stored in the
// domain-free CsrGraph: label = EdgeLabel, tag = the officer's OfficerRole or ControllerTag,
// value = shareholder ratio or guarantee amount (10k CNY), 0 otherwise.
// Edges point from the organization toward the related party.
#pragma once

#include <optional>
#include <string_view>

#include "core/record.h"
#include "graph/types.h"

namespace cg::core {

enum class EdgeLabel : Label {
  kLegalRep = 0,     // organization -> legal representative / operator
  kOfficer = 1,      // enterprise -> person, tag = OfficerRole
  kShareholder = 2,  // enterprise -> holder, value = ratio
  kBranch = 3,       // branch -> parent
  kGuarantee = 4,    // guarantor -> debtor, value = amount
  kController = 5,   // enterprise -> actual controller, tag = ControllerTag
  kSuspected = 6,    // optional: shared phone/address (never used by measures or scoring)
};
inline constexpr int kNumEdgeLabels = 7;

enum class ControllerTag : Tag { kDeclared = 0, kDerived = 1 };

inline std::string_view ToString(EdgeLabel label) {
  constexpr std::string_view kNames[] = {"legal_rep", "officer",    "shareholder", "branch",
                                         "guarantee", "controller", "suspected"};
  return kNames[static_cast<int>(label)];
}
inline std::optional<EdgeLabel> ParseEdgeLabel(std::string_view text) {
  for (int index = 0; index < kNumEdgeLabels; ++index) {
    if (ToString(EdgeLabel(index)) == text) return EdgeLabel(index);
  }
  return std::nullopt;
}

}  // namespace cg::core
