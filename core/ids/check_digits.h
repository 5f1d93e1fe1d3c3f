// Check characters of the Chinese identifier standards, the primitives that both the validators
// (core/ids/ids.h) and the generator (datasets/) use. Inputs are already-normalized ASCII.
//   USCC      GB 32100-2015: 17 chars over 0-9A-HJ-NPQRTUWXY, weights 3^(i-1) mod 31, mod 31
//   org code  GB 11714-1997: 8 chars, weights 3,7,9,10,5,8,4,2, mod 11 (10 -> X, 11 -> 0)
//   ID number GB 11643-1999: 17 digits, weights 2^(18-i) mod 11, ISO 7064 MOD 11-2 (10 -> X)
//   reg. no.  GS15-2006: 14 digits, ISO 7064 MOD 11,10
#pragma once

#include <optional>
#include <string_view>

namespace cg::core {

/// The 31 characters of GB 32100 in value order ("0123456789ABCDEFGHJKLMNPQRTUWXY").
inline constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Check character for the first 17 characters of a USCC; nullopt if a character is outside
/// the alphabet or the length is not 17.
std::optional<char> UsccCheckChar(std::string_view first17);
/// Check character for the first 8 characters of an organization code (digits and A-Z).
std::optional<char> OrgCodeCheckChar(std::string_view first8);
/// Check character for the first 17 digits of a resident ID number.
std::optional<char> IdNumberCheckChar(std::string_view first17);
/// Check digit for the first 14 digits of a 15-digit business registration number.
std::optional<char> RegNoCheckChar(std::string_view first14);

}  // namespace cg::core
