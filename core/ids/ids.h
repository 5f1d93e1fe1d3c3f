// Chinese identifiers: normalization of input forms, validation and parsing.
//   USCC       统一社会信用代码  GB 32100-2015  18 chars
//   org code   组织机构代码      GB 11714-1997  8 chars + check (hyphen optional)
//   reg. no.   注册号            GS15-2006      15 digits, ISO 7064 MOD 11,10
//   ID number  居民身份证号码    GB 11643-1999  18 chars (15-digit form upgraded)
// Every validator takes the raw text (any input form) and returns a small POD result: a status
// (valid / invalid with a reason / well-formed but failing a check character — flagged, not
// rejected, since early pilot codes in Fujian legitimately fail), warnings, the normalized form
// and the parsed fields. The validate path allocates nothing; ASCII input that is already
// normalized skips normalization entirely. Check characters come from core/ids/check_digits.h
// (the USCC one is recomputed here with a lookup table for speed; tests compare the two).
// Rules, tables and choices: docs/identifiers.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids/divisions.h"
#include "core/record.h"
#include "graph/types.h"

namespace cg::core {

// ---------------------------------------------------------------------------------------------
// Normalization of input forms

/// A normalized code in a fixed buffer (no allocation). Codes are at most 18 characters; longer
/// input keeps its first kCapacity characters and sets `overflow` (it is then invalid anyway).
struct NormalizedCode {
  static constexpr std::size_t kCapacity = 24;
  char data[kCapacity];
  std::uint8_t size = 0;
  bool overflow = false;
  bool non_ascii = false;  ///< a character outside ASCII remained (kept as '?'; never valid)
  std::string_view view() const { return {data, size}; }
};

/// Normalizes an identifier as typed: full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) become
/// ASCII, lower case becomes upper case, spaces (ASCII, tab, NBSP, ideographic U+3000) and hyphens
/// (- － ‐ ‑ ‒ – — − ー) are removed. Any other non-ASCII character becomes '?'.
NormalizedCode NormalizeCode(std::string_view input);
/// The same into a caller buffer; returns the number of bytes written (at most `capacity`).
std::size_t NormalizeCodeTo(std::string_view input, char* out, std::size_t capacity);

// ---------------------------------------------------------------------------------------------
// Results

enum class IdStatus : std::uint8_t {
  kValid = 0,
  kInvalid = 1,           ///< not an identifier of this kind (see reason)
  kCheckDigitFailed = 2,  ///< well-formed, but a check character does not match (flag, keep)
};

enum class IdReason : std::uint8_t {
  kNone = 0,
  kEmpty,             ///< nothing left after normalization
  kBadLength,         ///< wrong number of characters
  kBadCharacter,      ///< a character outside the identifier's alphabet (see bad_position)
  kBadAuthority,      ///< USCC position 1 is not a registration authority of GB 32100
  kBadOrgType,        ///< USCC position 2 is not an organization type of that authority
  kBadDivision,       ///< the division positions are not a plausible code (e.g. province 00)
  kBadBirthDate,      ///< ID number: not a real date, or before 1800
  kFutureBirthDate,   ///< ID number: birth date after `today`
  kCheckChar,         ///< the identifier's own check character does not match
  kOrgCodeCheckChar,  ///< USCC: the embedded organization code (positions 9-17) fails GB 11714
};

/// Warning bits (a warning never changes the status).
enum IdWarning : std::uint8_t {
  kWarnUnknownDivision = 1,   ///< the division code is not in the GB/T 2260 table
  kWarnRetiredDivision = 2,   ///< the division code is in the table but retired
  kWarnOrgCodeCheck = 4,      ///< USCC: the embedded org code fails too (besides the USCC check)
  kWarnUpgradedFrom15 = 8,    ///< ID number: a 15-digit number, upgraded to 18 digits
};

std::string_view ToString(IdStatus status);   ///< "valid", "invalid", "check_digit_failed"
std::string_view ToString(IdReason reason);   ///< "", "empty", "bad_length", …
/// A sentence for people: what is wrong and what to do.
std::string_view ReasonText(IdReason reason);
/// Comma-separated names of the warning bits ("unknown_division,upgraded_from_15").
std::string WarningsToString(std::uint8_t warnings);
std::string_view ToString(DivisionCheck check);  ///< "known", "retired", "province_only", "unknown"

// ---------------------------------------------------------------------------------------------
// USCC (GB 32100-2015)

struct UsccResult {
  IdStatus status = IdStatus::kInvalid;
  IdReason reason = IdReason::kEmpty;
  std::uint8_t warnings = 0;
  std::int8_t bad_position = -1;     ///< 0-based position of the first bad character, else -1
  NormalizedCode normalized;         ///< the normalized input (18 characters when well-formed)
  // Parsed fields, set once the format is right (status valid or check-digit-failed):
  char authority = 0;                ///< position 1: '1'..'9', 'A', 'N', 'Y'
  char org_type = 0;                 ///< position 2
  EntityKind kind_hint = EntityKind::kUnknown;
  DivisionCheck division_check = DivisionCheck::kUnknown;
  const Division* division = nullptr;  ///< most specific table entry for positions 3-8, or null

  bool ok() const { return status == IdStatus::kValid; }
  /// Well-formed (valid or only failing a check character): the parsed fields are meaningful.
  bool well_formed() const { return status != IdStatus::kInvalid; }
  std::string_view code() const { return normalized.view(); }
  std::string_view division_code() const { return well_formed() ? code().substr(2, 6) : ""; }
  std::string_view org_code() const { return well_formed() ? code().substr(8, 9) : ""; }
};

/// Validates and parses a USCC in any input form. Allocation-free.
UsccResult ValidateUscc(std::string_view input);
/// Fast boolean: true only for status valid. Allocation-free.
bool IsValidUscc(std::string_view input);

/// Name of a registration authority (position 1): 机构编制, 外交, 司法行政, 文化, 民政, 旅游, 宗教,
/// 工会, 工商, 中央军委改革和编制办公室, 农业, 其他; empty if unknown.
std::string_view UsccAuthorityName(char authority);
/// Name of an organization type (position 2) under an authority: 企业, 个体工商户, 社会团体 …;
/// empty if the pair is not in GB 32100 table 1.
std::string_view UsccOrgTypeName(char authority, char org_type);
/// The entity kind that the authority and type suggest (工商 1 → enterprise, 工商 2 →
/// individual business, 工商 3 农民专业合作社 → enterprise, every other authority → organization).
EntityKind UsccKindHint(char authority, char org_type);

// ---------------------------------------------------------------------------------------------
// Organization code (GB 11714-1997)

struct OrgCodeResult {
  IdStatus status = IdStatus::kInvalid;
  IdReason reason = IdReason::kEmpty;
  std::uint8_t warnings = 0;
  std::int8_t bad_position = -1;
  NormalizedCode normalized;  ///< 9 characters, no hyphen
  bool ok() const { return status == IdStatus::kValid; }
  bool well_formed() const { return status != IdStatus::kInvalid; }
  std::string_view code() const { return normalized.view(); }
};
/// Validates an organization code: "MA3C4XKL-5", "MA3C4XKL5"; the body is digits and A-Z, the
/// check a digit or X.
OrgCodeResult ValidateOrgCode(std::string_view input);
/// "XXXXXXXX-X" display form of a well-formed code; empty otherwise.
std::string FormatOrgCode(const OrgCodeResult& result);

// ---------------------------------------------------------------------------------------------
// 15-digit business registration number (GS15-2006)

struct RegNoResult {
  IdStatus status = IdStatus::kInvalid;
  IdReason reason = IdReason::kEmpty;
  std::uint8_t warnings = 0;
  std::int8_t bad_position = -1;
  NormalizedCode normalized;
  DivisionCheck division_check = DivisionCheck::kUnknown;  ///< of the registering authority
  const Division* division = nullptr;
  /// Position 7, the subject's nature: 0-3 domestic enterprise, 4-5 foreign-invested enterprise,
  /// 6-9 individual business (a hint: older numbers do not always follow it).
  EntityKind kind_hint = EntityKind::kUnknown;
  bool ok() const { return status == IdStatus::kValid; }
  bool well_formed() const { return status != IdStatus::kInvalid; }
  std::string_view code() const { return normalized.view(); }
  std::string_view division_code() const { return well_formed() ? code().substr(0, 6) : ""; }
};
/// Validates a registration number. Authority codes 100000 (national SAIC) and every GB/T 2260
/// code are accepted; an unknown one is a warning.
RegNoResult ValidateRegNo(std::string_view input);

// ---------------------------------------------------------------------------------------------
// Resident ID number (GB 11643-1999)

enum class Sex : std::uint8_t { kUnknown = 0, kMale = 1, kFemale = 2 };
std::string_view ToString(Sex sex);  ///< "", "M", "F"

struct IdNumberResult {
  IdStatus status = IdStatus::kInvalid;
  IdReason reason = IdReason::kEmpty;
  std::uint8_t warnings = 0;
  std::int8_t bad_position = -1;
  NormalizedCode normalized;  ///< the 18-character form (a 15-digit input is upgraded)
  bool from_15 = false;       ///< the input was the 15-digit form
  DivisionCheck division_check = DivisionCheck::kUnknown;
  const Division* division = nullptr;
  Date birth_date = kNoDate;
  std::uint16_t sequence = 0;  ///< positions 15-17 (0-999)
  Sex sex = Sex::kUnknown;     ///< odd sequence: male, even: female

  bool ok() const { return status == IdStatus::kValid; }
  bool well_formed() const { return status != IdStatus::kInvalid; }
  std::string_view code() const { return normalized.view(); }
  std::string_view division_code() const { return well_formed() ? code().substr(0, 6) : ""; }
};

/// Today's date (UTC) from the system clock.
Date TodayUtc();

/// Validates and parses a resident ID number (18 characters, or the 15-digit form which is
/// upgraded: 19 inserted before the year, the check character computed). The birth date must
/// exist, be 1800 or later, and not be after `today` (kNoDate: the system's today, read per
/// call; pass it explicitly in loops). Allocation-free.
IdNumberResult ValidateIdNumber(std::string_view input, Date today = kNoDate);
/// Fast boolean: true only for status valid.
bool IsValidIdNumber(std::string_view input, Date today = kNoDate);

/// The 18-digit form of a 15-digit ID number (6 + "19" + 9 + check). Returns an empty string if
/// the input (after normalization) is not 15 digits.
std::string UpgradeIdNumber15To18(std::string_view input);
/// The 15-digit form of an 18-digit number born 1900-1999 (the inverse of the upgrade); empty
/// otherwise.
std::string DowngradeIdNumber18To15(std::string_view input);

// ---------------------------------------------------------------------------------------------
// Privacy

/// Masks an ID number for public-facing output: the first 6 and the last 4 characters are kept,
/// the rest replaced by '*' (370102********1234; 15 digits: 370102*****1234). The input is
/// normalized first. Inputs shorter than 11 characters are masked entirely.
std::string MaskIdNumber(std::string_view input);
/// The same into a caller buffer of at least NormalizedCode::kCapacity bytes; returns the length.
std::size_t MaskIdNumberTo(std::string_view input, char* out);

}  // namespace cg::core
