// Identifier validation for ingest, on core/ids/check_digits.h (see identifiers.h).
#include "core/ingest/identifiers.h"

#include "core/date.h"
#include "core/ids/check_digits.h"

namespace cg::core::ingest {
namespace {

/// Full-width ASCII (U+FF01..U+FF5E) to half-width, drops spaces (also U+3000) and hyphens
/// (ASCII, U+2010..U+2015, U+FF0D), upper-cases ASCII letters. Other bytes are kept.
std::string Normalize(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t index = 0; index < raw.size();) {
    const auto byte = std::uint8_t(raw[index]);
    if (byte == 0xEF && index + 2 < raw.size()) {
      const auto b1 = std::uint8_t(raw[index + 1]);
      const auto b2 = std::uint8_t(raw[index + 2]);
      // U+FF01..U+FF3F: EF BC 81..BF ; U+FF40..U+FF5E: EF BD 80..9E
      std::uint32_t code = 0;
      if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) code = 0xFF00 + (b2 - 0x80);
      if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) code = 0xFF40 + (b2 - 0x80);
      if (code != 0) {
        const char ascii = char(code - 0xFF00 + 0x20);
        if (ascii != '-') out.push_back(ascii >= 'a' && ascii <= 'z' ? char(ascii - 32) : ascii);
        index += 3;
        continue;
      }
    }
    if (byte == 0xE3 && index + 2 < raw.size() && std::uint8_t(raw[index + 1]) == 0x80 &&
        std::uint8_t(raw[index + 2]) == 0x80) {  // U+3000 ideographic space
      index += 3;
      continue;
    }
    if (byte == 0xE2 && index + 2 < raw.size() && std::uint8_t(raw[index + 1]) == 0x80 &&
        std::uint8_t(raw[index + 2]) >= 0x90 && std::uint8_t(raw[index + 2]) <= 0x95) {
      index += 3;  // U+2010..U+2015 hyphens and dashes
      continue;
    }
    const char c = raw[index];
    if (c != ' ' && c != '-' && c != '\t') out.push_back(c >= 'a' && c <= 'z' ? char(c - 32) : c);
    ++index;
  }
  return out;
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

IdResult Verdict(std::string normalized, std::optional<char> expected, char actual,
                 std::string_view what) {
  IdResult result;
  result.normalized = std::move(normalized);
  if (!expected) {
    result.verdict = IdVerdict::kInvalid;
    result.reason = std::string("not a valid ") + std::string(what);
  } else if (*expected != actual) {
    result.verdict = IdVerdict::kCheckFailed;
    result.reason = std::string(what) + " check character is " + actual + ", expected " +
                    *expected;
  } else {
    result.verdict = IdVerdict::kValid;
  }
  return result;
}

IdResult Invalid(std::string normalized, std::string reason) {
  IdResult result;
  result.verdict = IdVerdict::kInvalid;
  result.normalized = std::move(normalized);
  result.reason = std::move(reason);
  return result;
}

}  // namespace

IdResult CheckIdentifier(IdType type, std::string_view raw) {
  std::string text = Normalize(raw);
  switch (type) {
    case IdType::kUscc:
      if (text.size() != 18) return Invalid(text, "a USCC has 18 characters");
      return Verdict(text, UsccCheckChar(std::string_view(text).substr(0, 17)), text[17],
                     "USCC");
    case IdType::kRegNo:
      if (text.size() != 15 || !AllDigits(text)) {
        return Invalid(text, "a registration number has 15 digits");
      }
      return Verdict(text, RegNoCheckChar(std::string_view(text).substr(0, 14)), text[14],
                     "registration number");
    case IdType::kOrgCode:
      if (text.size() != 9) return Invalid(text, "an organization code has 9 characters");
      return Verdict(text, OrgCodeCheckChar(std::string_view(text).substr(0, 8)), text[8],
                     "organization code");
    case IdType::kIdNo: {
      if (text.size() == 15 && AllDigits(text)) {
        // GB 11643 upgrade of the 1980s 15-digit form: insert the century "19", append the
        // check character.
        std::string upgraded = text.substr(0, 6) + "19" + text.substr(6);
        if (!ParseDate(std::string_view(upgraded).substr(6, 8))) {
          return Invalid(text, "ID number holds an impossible birth date");
        }
        auto check = IdNumberCheckChar(upgraded);
        if (!check) return Invalid(text, "not a valid ID number");
        upgraded.push_back(*check);
        IdResult result;
        result.verdict = IdVerdict::kValid;
        result.normalized = std::move(upgraded);
        return result;
      }
      if (text.size() != 18 || !AllDigits(std::string_view(text).substr(0, 17))) {
        return Invalid(text, "an ID number has 18 characters (or 15 digits)");
      }
      if (!ParseDate(std::string_view(text).substr(6, 8))) {
        return Invalid(text, "ID number holds an impossible birth date");
      }
      return Verdict(text, IdNumberCheckChar(std::string_view(text).substr(0, 17)), text[17],
                     "ID number");
    }
  }
  return Invalid(text, "unknown identifier type");
}

}  // namespace cg::core::ingest
