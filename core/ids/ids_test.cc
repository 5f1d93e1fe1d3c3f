// Identifier validation: the standards' worked examples, generated codes, every single-character
// substitution, 15 -> 18 round trips, and a slow obvious reference compared on random strings.
#include "core/ids/ids.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/ids/check_digits.h"

namespace cg::core {
namespace {

const Date kToday = *MakeDate(2026, 11, 22);

// ---- generators (built with the lead's check_digits primitives) ------------------------------

const std::vector<std::pair<char, char>>& AuthorityTypePairs() {
  static const std::vector<std::pair<char, char>> pairs = {
      {'1', '1'}, {'1', '2'}, {'1', '3'}, {'1', '9'}, {'2', '1'}, {'2', '9'}, {'3', '1'},
      {'3', '2'}, {'3', '3'}, {'3', '4'}, {'3', '5'}, {'3', '9'}, {'4', '1'}, {'4', '9'},
      {'5', '1'}, {'5', '2'}, {'5', '3'}, {'5', '9'}, {'6', '1'}, {'6', '2'}, {'6', '9'},
      {'7', '1'}, {'7', '2'}, {'7', '9'}, {'8', '1'}, {'8', '9'}, {'9', '1'}, {'9', '2'},
      {'9', '3'}, {'A', '1'}, {'A', '9'}, {'N', '1'}, {'N', '2'}, {'N', '3'}, {'N', '9'},
      {'Y', '1'}};
  return pairs;
}

std::string RandomUscc(std::mt19937_64& rng) {
  const auto& pairs = AuthorityTypePairs();
  const auto& [authority, type] = pairs[rng() % pairs.size()];
  const auto counties = ShandongCounties();
  std::string code{authority, type};
  code += counties[rng() % counties.size()].code;
  // Organization-code body: characters of the USCC alphabet (it excludes I O S V Z).
  std::string body;
  for (int i = 0; i < 8; ++i) body += kUsccAlphabet[rng() % kUsccAlphabet.size()];
  code += body;
  code += *OrgCodeCheckChar(body);
  code += *UsccCheckChar(code);
  return code;
}

std::string RandomIdNumber(std::mt19937_64& rng, Date* birth_out = nullptr) {
  const auto counties = ShandongCounties();
  std::string code(counties[rng() % counties.size()].code);
  const Date birth = *MakeDate(1900, 1, 1) + Date(rng() % 40000);  // 1900 .. 2009
  const Ymd ymd = ToYmd(birth);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%03u", ymd.year, ymd.month, ymd.day,
                unsigned(rng() % 1000));
  code += buffer;
  code += *IdNumberCheckChar(code);
  if (birth_out) *birth_out = birth;
  return code;
}

// ---- worked examples ------------------------------------------------------------------------

TEST(Uscc, ExamplesFromTheIssue) {
  const UsccResult valid = ValidateUscc("91350100M000100Y43");
  EXPECT_EQ(valid.status, IdStatus::kValid);
  EXPECT_EQ(valid.reason, IdReason::kNone);
  EXPECT_EQ(valid.authority, '9');
  EXPECT_EQ(valid.org_type, '1');
  EXPECT_EQ(valid.kind_hint, EntityKind::kEnterprise);
  EXPECT_EQ(valid.division_code(), "350100");
  EXPECT_EQ(valid.division_check, DivisionCheck::kProvinceOnly);
  ASSERT_NE(valid.division, nullptr);
  EXPECT_EQ(valid.division->name, "福建省");
  EXPECT_EQ(valid.org_code(), "M000100Y4");
  EXPECT_EQ(valid.warnings, 0);

  // Z is not in the GB 32100 alphabet at all.
  const UsccResult bad_char = ValidateUscc("91350100M000100Y4Z");
  EXPECT_EQ(bad_char.status, IdStatus::kInvalid);
  EXPECT_EQ(bad_char.reason, IdReason::kBadCharacter);
  EXPECT_EQ(bad_char.bad_position, 17);

  // A wrong but well-formed check character is flagged, not rejected: fields still parsed.
  const UsccResult bad_check = ValidateUscc("91350100M000100Y4Y");
  EXPECT_EQ(bad_check.status, IdStatus::kCheckDigitFailed);
  EXPECT_EQ(bad_check.reason, IdReason::kCheckChar);
  EXPECT_EQ(bad_check.org_code(), "M000100Y4");

  EXPECT_TRUE(IsValidUscc("91110000600037341L"));
  EXPECT_EQ(ValidateUscc("91110000600037341L").division->name, "北京市");
}

TEST(Uscc, InputFormsAreNormalized) {
  for (const char* form : {"91350100m000100y43", " 9135 0100-M000 100Y 43 ",
                           "９１３５０１００Ｍ０００１００Ｙ４３", "９１３５０１００ｍ０００１００ｙ４３",
                           "91350100M000100Y43\t", "913501\u3000 00M000100Y43"}) {
    const UsccResult result = ValidateUscc(form);
    EXPECT_EQ(result.status, IdStatus::kValid) << form;
    EXPECT_EQ(result.code(), "91350100M000100Y43") << form;
  }
}

TEST(Uscc, Reasons) {
  EXPECT_EQ(ValidateUscc("").reason, IdReason::kEmpty);
  EXPECT_EQ(ValidateUscc(" - ").reason, IdReason::kEmpty);
  EXPECT_EQ(ValidateUscc("91350100M000100Y4").reason, IdReason::kBadLength);
  EXPECT_EQ(ValidateUscc("91350100M000100Y433").reason, IdReason::kBadLength);
  const UsccResult letter_o = ValidateUscc("91350100MO00100Y43");
  EXPECT_EQ(letter_o.reason, IdReason::kBadCharacter);
  EXPECT_EQ(letter_o.bad_position, 9);
  EXPECT_EQ(ValidateUscc("9135010０M000100Y4中").reason, IdReason::kBadCharacter);
  EXPECT_EQ(ValidateUscc("B1350100M000100Y43").reason, IdReason::kBadAuthority);
  EXPECT_EQ(ValidateUscc("94350100M000100Y43").reason, IdReason::kBadOrgType);
  EXPECT_EQ(ValidateUscc("913A0100M000100Y43").reason, IdReason::kBadDivision);
  for (const UsccResult& result : {ValidateUscc("91350100MO00100Y43"), ValidateUscc("")}) {
    EXPECT_EQ(result.status, IdStatus::kInvalid);
    EXPECT_FALSE(ReasonText(result.reason).empty());
  }
}

TEST(Uscc, EmbeddedOrgCodeMustPassItsOwnCheck) {
  // Change the org code's check (position 17) and recompute the USCC check: USCC check passes,
  // the embedded GB 11714 check does not.
  std::string code = "91350100M000100Y5";
  code += *UsccCheckChar(code);
  const UsccResult result = ValidateUscc(code);
  EXPECT_EQ(result.status, IdStatus::kCheckDigitFailed);
  EXPECT_EQ(result.reason, IdReason::kOrgCodeCheckChar);
}

TEST(Uscc, DivisionWarningsDoNotReject) {
  std::string unknown = "91379900M000100Y4";  // 379900 is not a Shandong division
  unknown += *UsccCheckChar(unknown);
  const UsccResult result = ValidateUscc(unknown);
  EXPECT_EQ(result.status, IdStatus::kValid);
  EXPECT_EQ(result.division_check, DivisionCheck::kUnknown);
  EXPECT_TRUE(result.warnings & kWarnUnknownDivision);

  std::string retired = "91371202M000100Y4";  // 莱城区, merged into 济南 in 2019
  retired += *UsccCheckChar(retired);
  const UsccResult old = ValidateUscc(retired);
  EXPECT_EQ(old.status, IdStatus::kValid);
  EXPECT_TRUE(old.warnings & kWarnRetiredDivision);
  EXPECT_EQ(old.division->name, "莱城区");

  std::string national = "91100000M000100Y4";
  national += *UsccCheckChar(national);
  EXPECT_EQ(ValidateUscc(national).warnings, 0);
}

TEST(Uscc, KindHints) {
  EXPECT_EQ(UsccKindHint('9', '1'), EntityKind::kEnterprise);
  EXPECT_EQ(UsccKindHint('9', '2'), EntityKind::kIndividualBusiness);
  EXPECT_EQ(UsccKindHint('9', '3'), EntityKind::kEnterprise);
  EXPECT_EQ(UsccKindHint('5', '1'), EntityKind::kOrganization);
  EXPECT_EQ(UsccKindHint('1', '1'), EntityKind::kOrganization);
  EXPECT_EQ(UsccKindHint('9', '9'), EntityKind::kUnknown);
  EXPECT_EQ(UsccOrgTypeName('5', '3'), "基金会");
  EXPECT_EQ(UsccAuthorityName('N'), "农业");
}

TEST(Uscc, GeneratedCodesAllPass) {
  std::mt19937_64 rng(20261122);
  for (int i = 0; i < 5000; ++i) {
    const std::string code = RandomUscc(rng);
    const UsccResult result = ValidateUscc(code);
    ASSERT_EQ(result.status, IdStatus::kValid) << code << " " << ToString(result.reason);
    EXPECT_EQ(result.division_check, DivisionCheck::kKnown) << code;
    EXPECT_EQ(result.code(), code);
  }
}

TEST(Uscc, EverySingleSubstitutionIsDetected) {
  std::mt19937_64 rng(7);
  // Every character a typist could produce: the 36 ASCII alphanumerics.
  const std::string candidates = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int sample = 0; sample < 200; ++sample) {
    const std::string code = RandomUscc(rng);
    for (std::size_t position = 0; position < code.size(); ++position) {
      for (const char replacement : candidates) {
        if (replacement == code[position]) continue;
        std::string changed = code;
        changed[position] = replacement;
        const UsccResult result = ValidateUscc(changed);
        ASSERT_NE(result.status, IdStatus::kValid) << code << " -> " << changed;
      }
    }
  }
}

TEST(Uscc, FastCheckAgreesWithCheckDigitsPrimitive) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string first17;
    for (int k = 0; k < 17; ++k) first17 += kUsccAlphabet[rng() % kUsccAlphabet.size()];
    const char check = *UsccCheckChar(first17);
    // For every possible last character, the USCC check fails exactly when it differs from the
    // primitive's (only well-formed codes get that far).
    for (const char last : kUsccAlphabet) {
      const std::string code = first17 + last;
      const UsccResult result = ValidateUscc(code);
      if (!result.well_formed()) continue;
      EXPECT_EQ(result.reason == IdReason::kCheckChar, last != check) << code;
    }
  }
}

// ---- a slow, obvious reference for USCC validation ------------------------------------------

struct RefResult {
  IdStatus status;
  IdReason reason;
  std::string normalized;
};

std::u32string DecodeAll(const std::string& text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int extra = byte < 0x80 ? 0 : byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1;
    char32_t cp = extra == 0 ? byte : byte & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    out += cp;
    i += extra + 1;
  }
  return out;
}

RefResult ReferenceUscc(const std::string& input) {
  const std::u32string removed = U" \t\n\r-\u00A0\u3000\u2002\u2003\u2009\u200B\uFEFF"
                                 U"\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30FC\uFE63\uFF0D";
  std::string normalized;
  bool non_ascii = false;
  for (char32_t cp : DecodeAll(input)) {
    if (removed.find(cp) != std::u32string::npos) continue;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (cp >= 'a' && cp <= 'z') cp = cp - 'a' + 'A';
    if (cp >= 0x80) {
      non_ascii = true;
      cp = '?';
    }
    normalized += char(cp);
  }
  auto fail = [&](IdReason reason) { return RefResult{IdStatus::kInvalid, reason, normalized}; };
  if (normalized.empty()) return fail(IdReason::kEmpty);
  if (non_ascii) return fail(IdReason::kBadCharacter);
  if (normalized.size() != 18) return fail(IdReason::kBadLength);
  for (const char c : normalized) {
    if (kUsccAlphabet.find(c) == std::string_view::npos) return fail(IdReason::kBadCharacter);
  }
  const std::set<char> authorities = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y'};
  if (!authorities.count(normalized[0])) return fail(IdReason::kBadAuthority);
  bool pair_known = normalized[0] == 'Y' && normalized[1] >= '1' && normalized[1] <= '9';
  for (const auto& [authority, type] : AuthorityTypePairs()) {
    if (authority == normalized[0] && type == normalized[1]) pair_known = true;
  }
  if (!pair_known) return fail(IdReason::kBadOrgType);
  for (int i = 2; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(normalized[i]))) {
      return fail(IdReason::kBadDivision);
    }
  }
  const bool uscc_ok = UsccCheckChar(normalized.substr(0, 17)) == normalized[17];
  const bool org_ok = OrgCodeCheckChar(normalized.substr(8, 8)) == normalized[16];
  if (!uscc_ok) return {IdStatus::kCheckDigitFailed, IdReason::kCheckChar, normalized};
  if (!org_ok) return {IdStatus::kCheckDigitFailed, IdReason::kOrgCodeCheckChar, normalized};
  return {IdStatus::kValid, IdReason::kNone, normalized};
}

std::string Mutate(std::string code, std::mt19937_64& rng) {
  static const std::vector<std::string> pieces = {
      " ", "-", "－", "\u3000", "a", "z", "0", "9", "I", "O", "中", "Ｍ", "ｙ", "８", "X", "Y"};
  const int edits = int(rng() % 3);
  for (int e = 0; e < edits; ++e) {
    std::size_t position = rng() % (code.size() + 1);
    // Stay on character boundaries (never split a UTF-8 sequence).
    while (position < code.size() && (static_cast<unsigned char>(code[position]) & 0xC0) == 0x80) {
      ++position;
    }
    switch (rng() % 4) {
      case 0:  // insert a piece
        code.insert(position, pieces[rng() % pieces.size()]);
        break;
      case 1:  // replace one ASCII byte by an ASCII alphanumeric
        if (position < code.size() && static_cast<unsigned char>(code[position]) < 0x80) {
          code[position] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz"[rng() % 42];
        }
        break;
      case 2:  // delete one ASCII byte
        if (position < code.size() && static_cast<unsigned char>(code[position]) < 0x80) {
          code.erase(position, 1);
        }
        break;
      default:  // lower-case everything
        for (char& c : code) c = char(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return code;
}

TEST(Uscc, AgreesWithSlowReferenceOnRandomStrings) {
  std::mt19937_64 rng(99);
  int valid = 0, failed = 0, invalid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    if (i % 4 == 0) {  // random junk over a wide alphabet
      const int length = int(rng() % 22);
      for (int k = 0; k < length; ++k) input += "0123456789ABCDEFGHJKLMNPQRTUWXYZIO- a"[rng() % 37];
    } else {
      input = Mutate(RandomUscc(rng), rng);
    }
    const RefResult expected = ReferenceUscc(input);
    const UsccResult actual = ValidateUscc(input);
    ASSERT_EQ(actual.status, expected.status) << input;
    ASSERT_EQ(actual.reason, expected.reason) << input;
    ASSERT_EQ(std::string(actual.code()), expected.normalized) << input;
    (actual.status == IdStatus::kValid ? valid
     : actual.status == IdStatus::kInvalid ? invalid : failed)++;
  }
  // The generator exercises all three outcomes.
  EXPECT_GT(valid, 1000);
  EXPECT_GT(failed, 1000);
  EXPECT_GT(invalid, 1000);
}

// ---- organization code and registration number ----------------------------------------------

TEST(OrgCode, WithAndWithoutHyphen) {
  for (const char* form : {"M000100Y-4", "M000100Y4", "m000100y－4", "60003734-1"}) {
    EXPECT_EQ(ValidateOrgCode(form).status, IdStatus::kValid) << form;
  }
  EXPECT_EQ(FormatOrgCode(ValidateOrgCode("m000100y4")), "M000100Y-4");
  EXPECT_EQ(ValidateOrgCode("M000100Y-5").status, IdStatus::kCheckDigitFailed);
  EXPECT_EQ(ValidateOrgCode("M000100Y-").reason, IdReason::kBadLength);
  EXPECT_EQ(ValidateOrgCode("M000100Y-A").reason, IdReason::kBadCharacter);
  EXPECT_EQ(ValidateOrgCode("M00?100Y-4").reason, IdReason::kBadCharacter);
}

TEST(OrgCode, GeneratedCodesAllPassAndSubstitutionsFail) {
  std::mt19937_64 rng(5);
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (int i = 0; i < 2000; ++i) {
    std::string body;
    for (int k = 0; k < 8; ++k) body += alphabet[rng() % alphabet.size()];
    const std::string code = body + *OrgCodeCheckChar(body);
    ASSERT_TRUE(ValidateOrgCode(code).ok()) << code;
    // A digit replaced by another digit is always caught (mod 11, weights prime to 11). A letter
    // replaced by a character 11 or 22 values away is not: GB 11714's known blind spot.
    for (std::size_t position = 0; position < 8; ++position) {
      if (!std::isdigit(static_cast<unsigned char>(code[position]))) continue;
      std::string changed = code;
      changed[position] = char('0' + (code[position] - '0' + 1 + rng() % 9) % 10);
      EXPECT_FALSE(ValidateOrgCode(changed).ok()) << changed;
    }
  }
}

TEST(RegNo, FormatAndCheck) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string first14 = "370000";
    for (int k = 0; k < 8; ++k) first14 += char('0' + rng() % 10);
    const std::string code = first14 + *RegNoCheckChar(first14);
    const RegNoResult result = ValidateRegNo(code);
    ASSERT_EQ(result.status, IdStatus::kValid) << code;
    EXPECT_EQ(result.division->name, "山东省");
    std::string changed = code;
    changed[14] = changed[14] == '0' ? '1' : '0';
    EXPECT_EQ(ValidateRegNo(changed).status, IdStatus::kCheckDigitFailed) << changed;
  }
  EXPECT_EQ(ValidateRegNo("37000000000000").reason, IdReason::kBadLength);
  EXPECT_EQ(ValidateRegNo("3700000000000A1").reason, IdReason::kBadCharacter);
  std::string individual = "37030260012345";
  individual += *RegNoCheckChar(individual);
  EXPECT_EQ(ValidateRegNo(individual).kind_hint, EntityKind::kIndividualBusiness);
}

// ---- ID number ------------------------------------------------------------------------------

TEST(IdNumber, StandardExample) {
  const IdNumberResult result = ValidateIdNumber("11010519491231002X", kToday);
  EXPECT_EQ(result.status, IdStatus::kValid);
  EXPECT_EQ(result.birth_date, *MakeDate(1949, 12, 31));
  EXPECT_EQ(result.sequence, 2);
  EXPECT_EQ(result.sex, Sex::kFemale);
  EXPECT_EQ(result.division_check, DivisionCheck::kProvinceOnly);
  EXPECT_TRUE(IsValidIdNumber("11010519491231002x", kToday));
  EXPECT_EQ(ValidateIdNumber("110105194912310021", kToday).status, IdStatus::kCheckDigitFailed);
}

TEST(IdNumber, Reasons) {
  EXPECT_EQ(ValidateIdNumber("", kToday).reason, IdReason::kEmpty);
  EXPECT_EQ(ValidateIdNumber("1101051949123100", kToday).reason, IdReason::kBadLength);
  EXPECT_EQ(ValidateIdNumber("1101051949123100A2", kToday).reason, IdReason::kBadCharacter);
  EXPECT_EQ(ValidateIdNumber("11010519491231002Y", kToday).reason, IdReason::kBadCharacter);
  EXPECT_EQ(ValidateIdNumber("01010519491231002X", kToday).reason, IdReason::kBadDivision);
  // 1949-02-30 does not exist; check character recomputed so only the date is wrong.
  std::string bad_date = "11010519490230002";
  bad_date += *IdNumberCheckChar(bad_date);
  EXPECT_EQ(ValidateIdNumber(bad_date, kToday).reason, IdReason::kBadBirthDate);
  std::string old = "11010517491231002";
  old += *IdNumberCheckChar(old);
  EXPECT_EQ(ValidateIdNumber(old, kToday).reason, IdReason::kBadBirthDate);
  std::string future = "37030220261123002";
  future += *IdNumberCheckChar(future);
  EXPECT_EQ(ValidateIdNumber(future, kToday).reason, IdReason::kFutureBirthDate);
  std::string born_today = "37030220261122002";
  born_today += *IdNumberCheckChar(born_today);
  EXPECT_EQ(ValidateIdNumber(born_today, kToday).status, IdStatus::kValid);
}

TEST(IdNumber, GeneratedNumbersPassWithTheirFields) {
  std::mt19937_64 rng(17);
  for (int i = 0; i < 5000; ++i) {
    Date birth = kNoDate;
    const std::string code = RandomIdNumber(rng, &birth);
    const IdNumberResult result = ValidateIdNumber(code, kToday);
    ASSERT_EQ(result.status, IdStatus::kValid) << code;
    EXPECT_EQ(result.birth_date, birth);
    EXPECT_EQ(result.division_check, DivisionCheck::kKnown);
    EXPECT_EQ(result.sex, (code[16] - '0') % 2 ? Sex::kMale : Sex::kFemale);
    // Every single-digit substitution in the first 17 is caught (MOD 11-2 detects them all).
    std::string changed = code;
    const std::size_t position = rng() % 17;
    changed[position] = char('0' + (changed[position] - '0' + 1 + rng() % 9) % 10);
    EXPECT_NE(ValidateIdNumber(changed, kToday).status, IdStatus::kValid) << changed;
  }
}

// Slow, obvious reference for ID numbers: string operations, std::chrono dates through MakeDate,
// the check_digits primitive; the same normalization as ReferenceUscc.
RefResult ReferenceIdNumber(const std::string& input, Date today) {
  std::string code = ReferenceUscc(input).normalized;  // normalization only
  auto fail = [&](IdReason reason) { return RefResult{IdStatus::kInvalid, reason, code}; };
  if (code.empty()) return fail(IdReason::kEmpty);
  if (code.find('?') != std::string::npos) return fail(IdReason::kBadCharacter);
  if (code.size() != 18 && code.size() != 15) return fail(IdReason::kBadLength);
  const std::size_t digits = code.size() == 18 ? 17 : 15;
  for (std::size_t i = 0; i < digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(code[i]))) return fail(IdReason::kBadCharacter);
  }
  if (code.size() == 18 && !std::isdigit(static_cast<unsigned char>(code[17])) && code[17] != 'X') {
    return fail(IdReason::kBadCharacter);
  }
  if (code.size() == 15) {
    code = code.substr(0, 6) + "19" + code.substr(6);
    code += *IdNumberCheckChar(code);
  }
  if (code[0] == '0' || code[0] == '9') return fail(IdReason::kBadDivision);
  const int year = std::stoi(code.substr(6, 4));
  const auto birth = MakeDate(year, unsigned(std::stoi(code.substr(10, 2))),
                              unsigned(std::stoi(code.substr(12, 2))));
  if (year < 1800 || !birth) return fail(IdReason::kBadBirthDate);
  if (*birth > today) return fail(IdReason::kFutureBirthDate);
  if (IdNumberCheckChar(code.substr(0, 17)) != code[17]) {
    return {IdStatus::kCheckDigitFailed, IdReason::kCheckChar, code};
  }
  return {IdStatus::kValid, IdReason::kNone, code};
}

TEST(IdNumber, AgreesWithSlowReferenceOnRandomStrings) {
  std::mt19937_64 rng(123);
  int valid = 0, failed = 0, invalid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input;
    if (i % 5 == 0) {  // random digit strings, some with X, some 15 long
      const int length = (i % 10 == 0) ? 15 : int(rng() % 20);
      for (int k = 0; k < length; ++k) input += "0123456789X x-"[rng() % 14];
    } else {
      input = RandomIdNumber(rng);
      if (rng() % 3 == 0) input = input.substr(0, 6) + input.substr(8, 9);  // 15-digit form
      input = Mutate(input, rng);
    }
    const RefResult expected = ReferenceIdNumber(input, kToday);
    const IdNumberResult actual = ValidateIdNumber(input, kToday);
    ASSERT_EQ(actual.status, expected.status) << input;
    ASSERT_EQ(actual.reason, expected.reason) << input;
    ASSERT_EQ(std::string(actual.code()), expected.normalized) << input;
    (actual.status == IdStatus::kValid ? valid
     : actual.status == IdStatus::kInvalid ? invalid : failed)++;
  }
  EXPECT_GT(valid, 1000);
  EXPECT_GT(failed, 200);
  EXPECT_GT(invalid, 1000);
}

TEST(IdNumber, Upgrade15To18RoundTrips) {
  std::mt19937_64 rng(23);
  for (int i = 0; i < 3000; ++i) {
    std::string code = RandomIdNumber(rng);
    if (code[6] != '1' || code[7] != '9') continue;
    const std::string short_form = DowngradeIdNumber18To15(code);
    ASSERT_EQ(short_form.size(), 15u);
    EXPECT_EQ(UpgradeIdNumber15To18(short_form), code);
    const IdNumberResult parsed = ValidateIdNumber(short_form, kToday);
    ASSERT_EQ(parsed.status, IdStatus::kValid) << short_form;
    EXPECT_TRUE(parsed.from_15);
    EXPECT_TRUE(parsed.warnings & kWarnUpgradedFrom15);
    EXPECT_EQ(parsed.code(), code);
    EXPECT_EQ(parsed.birth_date, ValidateIdNumber(code, kToday).birth_date);
  }
  EXPECT_EQ(UpgradeIdNumber15To18("110105491231002"), "11010519491231002X");
  EXPECT_EQ(UpgradeIdNumber15To18("11010549123100"), "");
  EXPECT_EQ(DowngradeIdNumber18To15("11010520001231002X"), "");
}

TEST(Mask, KeepsSixAndFour) {
  EXPECT_EQ(MaskIdNumber("370102199001011234"), "370102********1234");
  EXPECT_EQ(MaskIdNumber("37010219900101123x"), "370102********123X");
  EXPECT_EQ(MaskIdNumber("370102900101123"), "370102*****1123");
  EXPECT_EQ(MaskIdNumber("3701 0219 9001 0112 34"), "370102********1234");
  EXPECT_EQ(MaskIdNumber("12345"), "*****");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(Normalize, Forms) {
  EXPECT_EQ(NormalizeCode("ａｂｃ－１２３ x").view(), "ABC123X");
  EXPECT_TRUE(NormalizeCode("中1").non_ascii);
  EXPECT_EQ(NormalizeCode("中1").view(), "?1");
  const NormalizedCode long_code = NormalizeCode(std::string(40, '1'));
  EXPECT_TRUE(long_code.overflow);
  EXPECT_EQ(long_code.size, NormalizedCode::kCapacity);
  char buffer[8];
  EXPECT_EQ(NormalizeCodeTo("a-b c", buffer, sizeof buffer), 3u);
  EXPECT_EQ(std::string(buffer, 3), "ABC");
}

TEST(Names, StatusReasonWarnings) {
  EXPECT_EQ(ToString(IdStatus::kCheckDigitFailed), "check_digit_failed");
  EXPECT_EQ(ToString(IdReason::kBadLength), "bad_length");
  EXPECT_EQ(WarningsToString(kWarnUnknownDivision | kWarnUpgradedFrom15),
            "unknown_division,upgraded_from_15");
  EXPECT_EQ(ToString(DivisionCheck::kProvinceOnly), "province_only");
}

}  // namespace
}  // namespace cg::core
