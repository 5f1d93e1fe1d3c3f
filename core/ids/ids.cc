// Identifier normalization, validation and parsing (see ids.h, docs/identifiers.md).
#include "core/ids/ids.h"


#include <array>
#include <chrono>
#include <cstring>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "core/text/utf8.h"

// The validators loop over 8-18 characters through lookup tables; GCC vectorizes those loops
// into gathers emulated through the stack, which is 2-3x slower than the scalar code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif

namespace cg::core {
namespace {

// ---- normalization --------------------------------------------------------------------------

bool IsSpaceOrHyphen(char32_t cp) {
  switch (cp) {
    case ' ': case '\t': case '\n': case '\r': case '-':
    case 0x00A0: case 0x3000: case 0x2002: case 0x2003: case 0x2009: case 0x200B: case 0xFEFF:
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0x30FC: case 0xFE63: case 0xFF0D:
      return true;
    default:
      return false;
  }
}

// Writes the normalized form; returns the length (<= capacity) and sets the flags.
std::size_t Normalize(std::string_view input, char* out, std::size_t capacity, bool* overflow,
                      bool* non_ascii) {
  std::size_t size = 0;
  *overflow = false;
  *non_ascii = false;
  auto put = [&](char c) {
    if (size < capacity) {
      out[size++] = c;
    } else {
      *overflow = true;
    }
  };
  for (std::size_t pos = 0; pos < input.size();) {
    const char c = input[pos];
    if (static_cast<unsigned char>(c) < 0x80) {
      ++pos;
      if (c >= 'a' && c <= 'z') {
        put(char(c - 'a' + 'A'));
      } else if (!IsSpaceOrHyphen(static_cast<unsigned char>(c))) {
        put(c);
      }
      continue;
    }
    std::size_t length = 0;
    char32_t cp = text::DecodeUtf8(input, pos, &length);
    pos += length;
    if (IsSpaceOrHyphen(cp)) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII
      const char ascii = char(cp - 0xFEE0);
      if (ascii >= 'a' && ascii <= 'z') {
        put(char(ascii - 'a' + 'A'));
      } else {
        put(ascii);
      }
      continue;
    }
    *non_ascii = true;
    put('?');
  }
  return size;
}

constexpr std::array<std::uint8_t, 256> MakePlainTable() {
  std::array<std::uint8_t, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = 1;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = 1;
  return table;
}
constexpr std::array<std::uint8_t, 256> kPlain = MakePlainTable();

// Normalizes into `code` and returns a pointer to the normalized characters: the input itself
// when it was already canonical (so validation reads it without waiting on the copy), else
// code.data.
const char* NormalizeInto(std::string_view input, NormalizedCode& code) {
  // Fast path: short ASCII input already in canonical form (0-9, A-Z) is copied as is. The
  // check is branch-free: codes mix digits and letters unpredictably.
  if (input.size() <= NormalizedCode::kCapacity) {
    unsigned plain = 1;
    for (const char c : input) plain &= kPlain[static_cast<unsigned char>(c)];
    if (plain) {
      std::memcpy(code.data, input.data(), input.size());
      code.size = static_cast<std::uint8_t>(input.size());
      code.overflow = false;
      code.non_ascii = false;
      return input.data();
    }
  }
  code.size = static_cast<std::uint8_t>(
      Normalize(input, code.data, NormalizedCode::kCapacity, &code.overflow, &code.non_ascii));
  return code.data;
}

// ---- USCC tables ----------------------------------------------------------------------------

constexpr std::array<std::int8_t, 256> MakeUsccValues() {
  std::array<std::int8_t, 256> values{};
  for (auto& value : values) value = -1;
  for (std::size_t i = 0; i < kUsccAlphabet.size(); ++i) {
    values[static_cast<unsigned char>(kUsccAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return values;
}
constexpr std::array<std::int8_t, 256> kUsccValues = MakeUsccValues();
// 3^(i-1) mod 31 for i = 1..17 (GB 32100-2015 §4.2).
constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// GB 11714 values of the organization-code body characters (0-9 -> 0-9, A-Z -> 10-35).
constexpr std::array<std::int8_t, 256> MakeOrgValues() {
  std::array<std::int8_t, 256> values{};
  for (auto& value : values) value = -1;
  for (int c = '0'; c <= '9'; ++c) values[c] = static_cast<std::int8_t>(c - '0');
  for (int c = 'A'; c <= 'Z'; ++c) values[c] = static_cast<std::int8_t>(c - 'A' + 10);
  return values;
}
constexpr std::array<std::int8_t, 256> kOrgValues = MakeOrgValues();
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

// The GB 11714 check of body[0..8) compared with `check`, table-driven (same arithmetic as
// OrgCodeCheckChar in check_digits.cc, which the tests compare it with).
bool OrgCheckMatches(const char* body, char check) {
  int sum = 0;
  int bad = 0;
  for (int i = 0; i < 8; ++i) {
    const int value = kOrgValues[static_cast<unsigned char>(body[i])];
    bad |= value;
    sum += value * kOrgWeights[i];
  }
  if (bad < 0) return false;
  const int expected = 11 - sum % 11;
  return check == (expected == 10 ? 'X' : expected == 11 ? '0' : char('0' + expected));
}

// Division check with the national level (100000) accepted for registration authorities.
DivisionCheck CheckAuthorityDivision(std::string_view code6, const Division** best) {
  if (code6 == "100000") {
    *best = nullptr;
    return DivisionCheck::kKnown;
  }
  return CheckDivision(code6, best);
}

std::uint8_t DivisionWarnings(DivisionCheck check) {
  switch (check) {
    case DivisionCheck::kUnknown: return kWarnUnknownDivision;
    case DivisionCheck::kRetired: return kWarnRetiredDivision;
    default: return 0;
  }
}

// Marks `result` invalid in place (no copies of the result on the hot path).
template <typename Result>
void Fail(Result& result, IdReason reason, int position = -1) {
  result.status = IdStatus::kInvalid;
  result.reason = reason;
  result.bad_position = static_cast<std::int8_t>(position);
}

// Common front matter: empty, non-ASCII, length.
template <typename Result>
bool CheckShape(Result& result, std::size_t length_a, std::size_t length_b = 0) {
  const NormalizedCode& code = result.normalized;
  if (code.size == 0) {
    Fail(result, IdReason::kEmpty);
    return false;
  }
  if (code.non_ascii) {
    const void* found = std::memchr(code.data, '?', code.size);
    const int position = found ? int(static_cast<const char*>(found) - code.data) : -1;
    Fail(result, IdReason::kBadCharacter, position);
    return false;
  }
  if (code.overflow || (code.size != length_a && code.size != length_b)) {
    Fail(result, IdReason::kBadLength);
    return false;
  }
  return true;
}

}  // namespace

// ---- normalization API ----------------------------------------------------------------------

NormalizedCode NormalizeCode(std::string_view input) {
  NormalizedCode code;
  NormalizeInto(input, code);
  return code;
}

std::size_t NormalizeCodeTo(std::string_view input, char* out, std::size_t capacity) {
  bool overflow = false;
  bool non_ascii = false;
  return Normalize(input, out, capacity, &overflow, &non_ascii);
}

// ---- names ----------------------------------------------------------------------------------

std::string_view ToString(IdStatus status) {
  switch (status) {
    case IdStatus::kValid: return "valid";
    case IdStatus::kInvalid: return "invalid";
    case IdStatus::kCheckDigitFailed: return "check_digit_failed";
  }
  return "";
}

std::string_view ToString(IdReason reason) {
  switch (reason) {
    case IdReason::kNone: return "";
    case IdReason::kEmpty: return "empty";
    case IdReason::kBadLength: return "bad_length";
    case IdReason::kBadCharacter: return "bad_character";
    case IdReason::kBadAuthority: return "bad_authority";
    case IdReason::kBadOrgType: return "bad_org_type";
    case IdReason::kBadDivision: return "bad_division";
    case IdReason::kBadBirthDate: return "bad_birth_date";
    case IdReason::kFutureBirthDate: return "future_birth_date";
    case IdReason::kCheckChar: return "check_char";
    case IdReason::kOrgCodeCheckChar: return "org_code_check_char";
  }
  return "";
}

std::string_view ReasonText(IdReason reason) {
  switch (reason) {
    case IdReason::kNone: return "";
    case IdReason::kEmpty: return "the code is empty: leave the field empty or supply the code";
    case IdReason::kBadLength:
      return "wrong number of characters: a USCC has 18, an ID number 18 (or 15), an organization "
             "code 9 (8 + check), a registration number 15; check for missing or extra characters";
    case IdReason::kBadCharacter:
      return "a character outside the code's alphabet (USCC: 0-9 and A-H J-N P Q R T U W X Y, "
             "never I O Z S V; ID number: digits and a final X); check for typos or O/0, I/1";
    case IdReason::kBadAuthority:
      return "position 1 is not a registration authority of GB 32100 (1-9, A, N, Y)";
    case IdReason::kBadOrgType:
      return "position 2 is not an organization type of the authority in position 1 (GB 32100 "
             "table 1)";
    case IdReason::kBadDivision:
      return "the division positions are not a GB/T 2260 code (6 digits, province 11-82)";
    case IdReason::kBadBirthDate:
      return "positions 7-14 of the ID number are not a real birth date (YYYYMMDD, 1800 or later)";
    case IdReason::kFutureBirthDate: return "the birth date of the ID number is in the future";
    case IdReason::kCheckChar:
      return "the check character does not match: likely a typing error; kept and flagged";
    case IdReason::kOrgCodeCheckChar:
      return "the organization code in positions 9-17 fails its GB 11714 check; kept and flagged";
  }
  return "";
}

std::string WarningsToString(std::uint8_t warnings) {
  std::string out;
  auto add = [&](std::uint8_t bit, std::string_view name) {
    if (!(warnings & bit)) return;
    if (!out.empty()) out += ',';
    out += name;
  };
  add(kWarnUnknownDivision, "unknown_division");
  add(kWarnRetiredDivision, "retired_division");
  add(kWarnOrgCodeCheck, "org_code_check");
  add(kWarnUpgradedFrom15, "upgraded_from_15");
  return out;
}

std::string_view ToString(DivisionCheck check) {
  switch (check) {
    case DivisionCheck::kKnown: return "known";
    case DivisionCheck::kRetired: return "retired";
    case DivisionCheck::kProvinceOnly: return "province_only";
    case DivisionCheck::kUnknown: return "unknown";
  }
  return "";
}

std::string_view ToString(Sex sex) {
  switch (sex) {
    case Sex::kUnknown: return "";
    case Sex::kMale: return "M";
    case Sex::kFemale: return "F";
  }
  return "";
}

// ---- USCC -----------------------------------------------------------------------------------

std::string_view UsccAuthorityName(char authority) {
  switch (authority) {
    case '1': return "机构编制";
    case '2': return "外交";
    case '3': return "司法行政";
    case '4': return "文化";
    case '5': return "民政";
    case '6': return "旅游";
    case '7': return "宗教";
    case '8': return "工会";
    case '9': return "工商";
    case 'A': return "中央军委改革和编制办公室";
    case 'N': return "农业";
    case 'Y': return "其他";
    default: return "";
  }
}

// GB 32100-2015 table 1 (registration authorities and their organization types).
std::string_view UsccOrgTypeName(char authority, char org_type) {
  switch (authority) {
    case '1':
      switch (org_type) {
        case '1': return "机关";
        case '2': return "事业单位";
        case '3': return "中央编办直接管理机构编制的群众团体";
        case '9': return "其他";
      }
      break;
    case '2':
      switch (org_type) {
        case '1': return "外国常驻新闻机构";
        case '9': return "其他";
      }
      break;
    case '3':
      switch (org_type) {
        case '1': return "律师执业机构";
        case '2': return "公证处";
        case '3': return "基层法律服务所";
        case '4': return "司法鉴定机构";
        case '5': return "仲裁委员会";
        case '9': return "其他";
      }
      break;
    case '4':
      switch (org_type) {
        case '1': return "外国在华文化中心";
        case '9': return "其他";
      }
      break;
    case '5':
      switch (org_type) {
        case '1': return "社会团体";
        case '2': return "民办非企业单位";
        case '3': return "基金会";
        case '9': return "其他";
      }
      break;
    case '6':
      switch (org_type) {
        case '1': return "外国旅游部门常驻代表机构";
        case '2': return "港澳台地区旅游部门常驻内地(大陆)代表机构";
        case '9': return "其他";
      }
      break;
    case '7':
      switch (org_type) {
        case '1': return "宗教活动场所";
        case '2': return "宗教院校";
        case '9': return "其他";
      }
      break;
    case '8':
      switch (org_type) {
        case '1': return "基层工会";
        case '9': return "其他";
      }
      break;
    case '9':
      switch (org_type) {
        case '1': return "企业";
        case '2': return "个体工商户";
        case '3': return "农民专业合作社";
      }
      break;
    case 'A':
      switch (org_type) {
        case '1': return "军队事业单位";
        case '9': return "其他";
      }
      break;
    case 'N':
      switch (org_type) {
        case '1': return "组级集体经济组织";
        case '2': return "村级集体经济组织";
        case '3': return "乡镇级集体经济组织";
        case '9': return "其他";
      }
      break;
    case 'Y':
      // The standard lists no sub-types for "other authorities": any digit 1-9 is accepted.
      if (org_type >= '1' && org_type <= '9') return "其他";
      break;
    default:
      break;
  }
  return "";
}

EntityKind UsccKindHint(char authority, char org_type) {
  if (UsccOrgTypeName(authority, org_type).empty()) return EntityKind::kUnknown;
  if (authority == '9') {
    return org_type == '2' ? EntityKind::kIndividualBusiness : EntityKind::kEnterprise;
  }
  return EntityKind::kOrganization;
}

namespace {

// (authority, type) by USCC value -> EntityKind of the hint, or a failure marker. Built once
// from the switch tables above so there is a single source of truth.
constexpr std::uint8_t kNoAuthority = 0xFE;
constexpr std::uint8_t kNoOrgType = 0xFF;
struct PairTable {
  std::array<std::uint8_t, 31 * 31> cells;
  PairTable() {
    for (std::size_t a = 0; a < 31; ++a) {
      for (std::size_t t = 0; t < 31; ++t) {
        const char authority = kUsccAlphabet[a];
        const char type = kUsccAlphabet[t];
        std::uint8_t cell = static_cast<std::uint8_t>(UsccKindHint(authority, type));
        if (UsccAuthorityName(authority).empty()) {
          cell = kNoAuthority;
        } else if (UsccOrgTypeName(authority, type).empty()) {
          cell = kNoOrgType;
        }
        cells[a * 31 + t] = cell;
      }
    }
  }
};
// Function-local so that validators are usable from other translation units' static
// initializers too (no initialization-order dependency).
const std::uint8_t* UsccPairs() {
  static const PairTable table;
  return table.cells.data();
}

}  // namespace

namespace {

// Weighted GB 32100 sum of the first 17 characters; false if any of the 18 is outside the
// alphabet. Branch-free over the characters.
inline bool UsccSum(const char* code, int* sum_out) {
  int sum = 0;
  int bad = kUsccValues[static_cast<unsigned char>(code[17])];
  for (int position = 0; position < 17; ++position) {
    const int value = kUsccValues[static_cast<unsigned char>(code[position])];
    bad |= value;
    sum += value * kUsccWeights[position];
  }
  *sum_out = sum;
  return bad >= 0;
}

// Everything after the alphabet check: authority and type, division, the two checks.
void FinishUscc(UsccResult& result, const char* code, int sum) {
  result.authority = code[0];
  result.org_type = code[1];
  const std::uint8_t pair = UsccPairs()[kUsccValues[static_cast<unsigned char>(code[0])] * 31 +
                                       kUsccValues[static_cast<unsigned char>(code[1])]];
  if (pair == kNoAuthority) return Fail(result, IdReason::kBadAuthority, 0);
  if (pair == kNoOrgType) return Fail(result, IdReason::kBadOrgType, 1);
  result.kind_hint = static_cast<EntityKind>(pair);
  unsigned digits = 1;
  for (int position = 2; position < 8; ++position) digits &= IsDigit(code[position]);
  if (!digits) {
    for (int position = 2; position < 8; ++position) {
      if (!IsDigit(code[position])) return Fail(result, IdReason::kBadDivision, position);
    }
  }
  result.division_check = CheckAuthorityDivision({code + 2, 6}, &result.division);
  result.warnings = DivisionWarnings(result.division_check);

  const bool uscc_ok = kUsccAlphabet[(31 - sum % 31) % 31] == code[17];
  const bool org_ok = OrgCheckMatches(code + 8, code[16]);
  result.reason = IdReason::kNone;
  result.status = IdStatus::kValid;
  if (!uscc_ok) {
    result.status = IdStatus::kCheckDigitFailed;
    result.reason = IdReason::kCheckChar;
    if (!org_ok) result.warnings |= kWarnOrgCodeCheck;
  } else if (!org_ok) {
    result.status = IdStatus::kCheckDigitFailed;
    result.reason = IdReason::kOrgCodeCheckChar;
  }
}

}  // namespace

UsccResult ValidateUscc(std::string_view input) {
  UsccResult result;
  int sum = 0;
  if (input.size() == 18 && UsccSum(input.data(), &sum)) {
    // Fast path: 18 characters of the alphabet are already the normalized form.
    std::memcpy(result.normalized.data, input.data(), 18);
    result.normalized.size = 18;
    FinishUscc(result, input.data(), sum);
    return result;
  }
  const char* code = NormalizeInto(input, result.normalized);
  if (!CheckShape(result, 18)) return result;
  if (!UsccSum(code, &sum)) {
    for (int position = 0; position < 18; ++position) {
      if (kUsccValues[static_cast<unsigned char>(code[position])] < 0) {
        Fail(result, IdReason::kBadCharacter, position);
        return result;
      }
    }
  }
  FinishUscc(result, code, sum);
  return result;
}

bool IsValidUscc(std::string_view input) { return ValidateUscc(input).ok(); }

// ---- organization code ----------------------------------------------------------------------

OrgCodeResult ValidateOrgCode(std::string_view input) {
  OrgCodeResult result;
  NormalizeInto(input, result.normalized);
  if (!CheckShape(result, 9)) return result;
  const char* code = result.normalized.data;
  for (int position = 0; position < 8; ++position) {
    const char c = code[position];
    if (!(IsDigit(c) || (c >= 'A' && c <= 'Z'))) {
      {
      Fail(result, IdReason::kBadCharacter, position);
      return result;
    }
    }
  }
  if (!(IsDigit(code[8]) || code[8] == 'X')) {
    Fail(result, IdReason::kBadCharacter, 8);
    return result;
  }
  const auto check = OrgCodeCheckChar({code, 8});
  result.reason = IdReason::kNone;
  result.status = IdStatus::kValid;
  if (!check || *check != code[8]) {
    result.status = IdStatus::kCheckDigitFailed;
    result.reason = IdReason::kCheckChar;
  }
  return result;
}

std::string FormatOrgCode(const OrgCodeResult& result) {
  if (!result.well_formed()) return "";
  const std::string_view code = result.code();
  return std::string(code.substr(0, 8)) + "-" + std::string(code.substr(8, 1));
}

// ---- registration number --------------------------------------------------------------------

RegNoResult ValidateRegNo(std::string_view input) {
  RegNoResult result;
  NormalizeInto(input, result.normalized);
  if (!CheckShape(result, 15)) return result;
  const char* code = result.normalized.data;
  for (int position = 0; position < 15; ++position) {
    if (!IsDigit(code[position])) {
      Fail(result, IdReason::kBadCharacter, position);
      return result;
    }
  }
  result.division_check = CheckAuthorityDivision({code, 6}, &result.division);
  result.warnings = DivisionWarnings(result.division_check);
  const char nature = code[6];
  result.kind_hint = nature <= '5' ? EntityKind::kEnterprise : EntityKind::kIndividualBusiness;
  const auto check = RegNoCheckChar({code, 14});
  result.reason = IdReason::kNone;
  result.status = IdStatus::kValid;
  if (!check || *check != code[14]) {
    result.status = IdStatus::kCheckDigitFailed;
    result.reason = IdReason::kCheckChar;
  }
  return result;
}

// ---- ID number ------------------------------------------------------------------------------

Date TodayUtc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<Date>(now.time_since_epoch().count());
}

namespace {

// GB 11643 check of the first 17 digits (same arithmetic as IdNumberCheckChar, inline: the
// digits are already verified).
constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
inline char IdCheck(const char* code) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (code[i] - '0') * kIdWeights[i];
  return "10X98765432"[sum % 11];
}

// 18 characters: 17 digits and a digit or X. Branch-free over the characters.
inline bool IdShape18(const char* code) {
  unsigned ok = 1;
  for (int i = 0; i < 17; ++i) ok &= IsDigit(code[i]);
  return ok && (IsDigit(code[17]) || code[17] == 'X');
}

// Everything after the shape check of an 18-character number.
void FinishIdNumber(IdNumberResult& result, const char* code, Date today) {
  if (code[0] < '1' || code[0] > '8') return Fail(result, IdReason::kBadDivision, 0);
  result.division_check = CheckDivision({code, 6}, &result.division);
  result.warnings |= DivisionWarnings(result.division_check);

  auto number = [&](int from, int count) {
    int value = 0;
    for (int i = 0; i < count; ++i) value = value * 10 + (code[from + i] - '0');
    return value;
  };
  const int year = number(6, 4);
  const int month = number(10, 2);
  const int day = number(12, 2);
  const auto birth = year >= 1800 ? MakeDate(year, unsigned(month), unsigned(day)) : std::nullopt;
  if (!birth) return Fail(result, IdReason::kBadBirthDate, 6);
  if (today == kNoDate) today = TodayUtc();
  if (*birth > today) return Fail(result, IdReason::kFutureBirthDate, 6);
  result.birth_date = *birth;
  result.sequence = static_cast<std::uint16_t>(number(14, 3));
  result.sex = (result.sequence % 2 == 1) ? Sex::kMale : Sex::kFemale;

  result.reason = IdReason::kNone;
  result.status = IdStatus::kValid;
  if (IdCheck(code) != code[17]) {
    result.status = IdStatus::kCheckDigitFailed;
    result.reason = IdReason::kCheckChar;
  }
}

}  // namespace

IdNumberResult ValidateIdNumber(std::string_view input, Date today) {
  IdNumberResult result;
  if (input.size() == 18 && IdShape18(input.data())) {
    // Fast path: already the normalized 18-character form.
    std::memcpy(result.normalized.data, input.data(), 18);
    result.normalized.size = 18;
    FinishIdNumber(result, input.data(), today);
    return result;
  }
  NormalizeInto(input, result.normalized);
  if (!CheckShape(result, 18, 15)) return result;
  char* code = result.normalized.data;
  const std::size_t size = result.normalized.size;
  const std::size_t digits = size == 18 ? 17 : 15;
  for (std::size_t position = 0; position < digits; ++position) {
    if (!IsDigit(code[position])) {
      Fail(result, IdReason::kBadCharacter, int(position));
      return result;
    }
  }
  if (size == 18 && !(IsDigit(code[17]) || code[17] == 'X')) {
    Fail(result, IdReason::kBadCharacter, 17);
    return result;
  }
  if (size == 15) {
    // Upgrade: 6-digit division, "19", YYMMDD, 3-digit sequence, computed check character.
    char upgraded[18];
    std::memcpy(upgraded, code, 6);
    upgraded[6] = '1';
    upgraded[7] = '9';
    std::memcpy(upgraded + 8, code + 6, 9);
    upgraded[17] = *IdNumberCheckChar({upgraded, 17});
    std::memcpy(code, upgraded, 18);
    result.normalized.size = 18;
    result.from_15 = true;
    result.warnings |= kWarnUpgradedFrom15;
  }
  FinishIdNumber(result, code, today);
  return result;
}

bool IsValidIdNumber(std::string_view input, Date today) {
  return ValidateIdNumber(input, today).ok();
}

std::string UpgradeIdNumber15To18(std::string_view input) {
  const NormalizedCode code = NormalizeCode(input);
  if (code.size != 15 || code.overflow) return "";
  for (std::size_t i = 0; i < 15; ++i) {
    if (!IsDigit(code.data[i])) return "";
  }
  std::string out(code.data, 6);
  out += "19";
  out.append(code.data + 6, 9);
  out += *IdNumberCheckChar(out);
  return out;
}

std::string DowngradeIdNumber18To15(std::string_view input) {
  const NormalizedCode code = NormalizeCode(input);
  if (code.size != 18 || code.overflow) return "";
  for (std::size_t i = 0; i < 17; ++i) {
    if (!IsDigit(code.data[i])) return "";
  }
  if (code.data[6] != '1' || code.data[7] != '9') return "";
  return std::string(code.data, 6) + std::string(code.data + 8, 9);
}

// ---- masking --------------------------------------------------------------------------------

std::size_t MaskIdNumberTo(std::string_view input, char* out) {
  NormalizedCode code;
  NormalizeInto(input, code);
  const std::size_t size = code.size;
  for (std::size_t i = 0; i < size; ++i) {
    const bool keep = size >= 11 && (i < 6 || i >= size - 4);
    out[i] = keep ? code.data[i] : '*';
  }
  return size;
}

std::string MaskIdNumber(std::string_view input) {
  char buffer[NormalizedCode::kCapacity];
  return std::string(buffer, MaskIdNumberTo(input, buffer));
}

}  // namespace cg::core
