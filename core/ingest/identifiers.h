// The one place ingest validates identifiers (USCC, registration number, organization code,
// resident ID number): a small adapter over core/ids/ids.h (normalization of full-width forms,
// hyphens and case; check-digit failures reported apart; 15-digit ID numbers upgraded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids/ids.h"

namespace cg::core::ingest {

enum class IdType : std::uint8_t { kUscc, kRegNo, kOrgCode, kIdNo };

enum class IdVerdict : std::uint8_t {
  kValid,        // well-formed, check character right
  kCheckFailed,  // well-formed, check character wrong: kept, flagged weak
  kInvalid,      // not an identifier of this type: dropped from the identity
};

struct IdResult {
  IdVerdict verdict = IdVerdict::kInvalid;
  std::string normalized;  // upper case, half-width, no hyphens/spaces; 15-digit ID -> 18
  std::string reason;      // for kInvalid / kCheckFailed
};

/// Normalizes and validates one identifier. `raw` must be non-empty after trimming.
IdResult CheckIdentifier(IdType type, std::string_view raw);

/// The same without allocating (the ingest's per-row path): the normalized code in a fixed
/// buffer, the reason a static text.
struct IdCheck {
  IdVerdict verdict = IdVerdict::kInvalid;
  NormalizedCode code;
  std::string_view reason;  // for kInvalid / kCheckFailed
  std::string_view normalized() const { return code.view(); }
};
IdCheck CheckIdentifierFast(IdType type, std::string_view raw);

}  // namespace cg::core::ingest
