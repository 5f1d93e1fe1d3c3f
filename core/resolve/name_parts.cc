// Name parts for entity resolution (see name_parts.h).
// Jaro–Winkler: W. E. Winkler, "String Comparator Metrics and Enhanced Decision Rules in the
// Fellegi-Sunter Model of Record Linkage", 1990.
#include "core/resolve/name_parts.h"

#include <absl/container/inlined_vector.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/ids/divisions.h"
#include "core/text/normalize.h"
#include "core/text/org_name.h"

namespace cg::core::resolve {
namespace {

bool IsPunct(char32_t c) {
  if (c < 0x80) {
    return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             c == '(' || c == ')');
  }
  if (c >= 0x3000 && c <= 0x303F) return true;   // CJK symbols and punctuation
  if (c >= 0x2000 && c <= 0x206F) return true;   // general punctuation
  if (c == 0x00B7 || c == 0x30FB) return true;   // middle dots
  if (c >= 0xFE30 && c <= 0xFE4F) return true;   // CJK compatibility forms
  return false;
}

std::u32string U(std::string_view s) { return DecodeUtf8(s); }

// Chinese numerals of addresses: the value of one numeral character, -1 for none; 十 百 千 are
// the multipliers (10, 100, 1000).
int NumeralValue(char32_t c) {
  switch (c) {
    case U'〇': case U'零': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    case U'十': return 10;
    case U'百': return 100;
    case U'千': return 1000;
    default: return -1;
  }
}

// What a house number is followed by: 号 (號 is simplified before), 栋, 幢, 楼, 层, 室, 单元, 弄, 巷.
bool EndsANumber(char32_t c) {
  return c == U'号' || c == U'栋' || c == U'幢' || c == U'楼' || c == U'层' || c == U'室' || c == U'单' ||
         c == U'弄' || c == U'巷';
}

// A run of Chinese numerals as Arabic digits: positional when it has 十/百/千 (三百零五 → 305,
// 十二 → 12), else digit by digit (一〇〇 → 100).
std::u32string NumeralRunToDigits(std::u32string_view run) {
  const bool positional = std::any_of(run.begin(), run.end(), [](char32_t c) { return NumeralValue(c) >= 10; });
  std::u32string out;
  if (!positional) {
    for (char32_t c : run) out.push_back(U'0' + NumeralValue(c));
    return out;
  }
  long value = 0, digit = 0;
  for (char32_t c : run) {
    const int v = NumeralValue(c);
    if (v >= 10) {
      value += (digit == 0 ? 1 : digit) * v;
      digit = 0;
    } else {
      digit = v;
    }
  }
  value += digit;
  for (char c : std::to_string(value)) out.push_back(static_cast<char32_t>(c));
  return out;
}

bool IsCjk(char32_t c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000; }

bool IsNameSeparator(char32_t c) {
  switch (c) {
    case U' ': case 0x3000: case 0x00A0: case U'.': case 0xFF0E: case 0x00B7: case 0x2022: case 0x2027:
    case 0x30FB: case 0x2219: case 0x22C5: case 0xFF65: case 0x0387: case 0x2E31: case 0x318D:
      return true;
    default:
      return false;
  }
}


}  // namespace

std::size_t NextCodePoint(std::string_view text, std::size_t pos, char32_t* out) {
  auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) {
    *out = byte;
    return pos + 1;
  }
  int extra = (byte >> 5) == 6 ? 1 : (byte >> 4) == 14 ? 2 : (byte >> 3) == 30 ? 3 : -1;
  if (extra < 0 || pos + extra >= text.size()) {
    *out = 0xFFFD;
    return pos + 1;
  }
  char32_t cp = byte & (extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07);
  for (int k = 1; k <= extra; ++k) {
    auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next >> 6) != 2) {
      *out = 0xFFFD;
      return pos + 1;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  *out = cp;
  return pos + extra + 1;
}

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    pos = NextCodePoint(text, pos, &cp);
    out.push_back(cp);
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::u32string FoldName(std::u32string_view name) {
  if (name.empty()) return {};
  // NFKC, traditional → simplified (號 → 号, 濟南 → 济南), brackets and dashes unified.
  std::string text;
  NormalizeText(EncodeUtf8(name), text, TextOptions{.upper_ascii = true, .drop_all_spaces = true});
  // The province, city and county in front say the region, which is compared apart: dropped, so
  // that "山东省济南市历下区经十路100号", "济南市历下区经十路100号" and "历下区经十路100号" agree.
  const RegionPrefix prefix = ParseRegionPrefix(text);
  std::u32string decoded = DecodeUtf8(prefix.length > 0 && prefix.length < text.size()
                                          ? std::string_view(text).substr(prefix.length)
                                          : std::string_view(text));
  // Chinese numerals right before 号 (楼, 室 …) as digits: 一〇〇号, 一百号 → 100号.
  std::u32string numbered;
  numbered.reserve(decoded.size());
  for (std::size_t i = 0; i < decoded.size();) {
    std::size_t end = i;
    while (end < decoded.size() && NumeralValue(decoded[end]) >= 0) ++end;
    if (end > i && end < decoded.size() && EndsANumber(decoded[end])) {
      numbered += NumeralRunToDigits(std::u32string_view(decoded).substr(i, end - i));
      i = end;
    } else if (end > i) {
      numbered.append(decoded, i, end - i);
      i = end;
    } else {
      numbered.push_back(decoded[i++]);
    }
  }
  std::u32string out;
  out.reserve(numbered.size());
  for (char32_t c : numbered) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII
    if (c == 0x3000) c = ' ';
    if (c == 0x3014 || c == 0x3010 || c == '[' || c == '{') c = '(';
    if (c == 0x3015 || c == 0x3011 || c == ']' || c == '}') c = ')';
    if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
    if (IsPunct(c)) continue;
    out.push_back(c);
  }
  return out;
}

bool LooksLikeOrganization(std::string_view name) {
  const std::u32string decoded = DecodeUtf8(name);
  std::u32string cjk;  // the name's Chinese characters, in order
  bool separated = false;  // a dot or a space between two Chinese characters (买买提·艾力)
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const char32_t c = decoded[i];
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A)) {
      return true;  // Latin letters or digits: not a Chinese person name
    }
    if (IsCjk(c)) {
      cjk.push_back(c);
    } else if (IsNameSeparator(c) && !cjk.empty()) {
      std::size_t next = i + 1;
      while (next < decoded.size() && IsNameSeparator(decoded[next])) ++next;
      if (next < decoded.size() && IsCjk(decoded[next])) separated = true;
    }
  }
  if (cjk.empty()) return false;
  // An organization form (有限公司, 商店, 超市, 中心, (个体工商户) …) or a branch ends the name.
  thread_local cg::core::OrgNameParts parts;  // reused (the parse also remembers the last name)
  cg::core::ParseOrgName(name, parts);
  if (!parts.form.empty() || parts.is_branch) return true;
  // Words of bodies and small organizations end in one of these (公安局, 卫生院, 派出所, 供销社);
  // anywhere else in a name they are ordinary (张中华, 李心怡, 司马光, 司马义).
  static const std::u32string org_ends = U("厂店社局院所会部行馆站场队");
  if (org_ends.find(cjk.back()) != std::u32string::npos) return true;
  if (separated) return false;  // the parts of an ethnic minority name
  return cjk.size() > 4;
}

std::string PhoneDigits(std::string_view phone) {
  // Up to an extension: 转 808, 分机 808, ext. 808, x808, #808, or a last group of at most five
  // digits after a hyphen or space that follows a whole number ("0531-88881234-808").
  // Full-width digits to ASCII (most phones are ASCII already: no normalization then).
  const bool ascii = std::all_of(phone.begin(), phone.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const std::string normalized = ascii ? std::string(phone) : cg::core::NormalizeText(phone);
  std::string_view main = normalized;
  for (const std::string_view marker : {std::string_view("转"), std::string_view("分机"), std::string_view("EXT"),
                                        std::string_view("ext"), std::string_view("Ext"), std::string_view("#"),
                                        std::string_view("x"), std::string_view("X")}) {
    const std::size_t at = main.find(marker);
    if (at != std::string_view::npos && at > 0) main = main.substr(0, at);
  }
  std::vector<std::string> groups(1);
  for (const char c : main) {
    if (c >= '0' && c <= '9') {
      groups.back().push_back(c);
    } else if (!groups.back().empty()) {
      groups.emplace_back();
    }
  }
  if (groups.back().empty()) groups.pop_back();
  if (groups.size() >= 2 && groups.back().size() <= 5) {
    std::size_t before = 0;
    for (std::size_t g = 0; g + 1 < groups.size(); ++g) before += groups[g].size();
    // "0531-8888-1234" is one number in groups; "0531-88881234-808" has an extension.
    if (before >= 10 || (groups[groups.size() - 2].size() >= 7)) groups.pop_back();
  }
  std::string digits;
  for (const std::string& group : groups) digits += group;
  // The country code: +86, 0086, 86 in front of a mobile number or an area code without its 0.
  bool country = false;
  if (digits.rfind("0086", 0) == 0 && digits.size() >= 13) {
    digits.erase(0, 4);
    country = true;
  } else if (digits.rfind("86", 0) == 0 && digits.size() >= 11 &&
             (digits.size() == 13 || normalized.find('+') != std::string::npos || digits.size() >= 12)) {
    digits.erase(0, 2);
    country = true;
  }
  if (digits.size() == 11 && digits[0] == '1' && digits[1] >= '3') return digits;  // a mobile number
  // A landline: the local number without its area code (010, 02X, 0XXX; without the 0 after +86),
  // so that "0531-88881234", "(0531)88881234", "+86 531 8888 1234" and "88881234" agree.
  std::size_t area = 0;
  if (!digits.empty() && digits[0] == '0') {
    area = (digits.size() > 1 && (digits[1] == '1' || digits[1] == '2')) ? 3 : 4;
  } else if (country && !digits.empty()) {
    area = (digits[0] == '1' || digits[0] == '2') ? 2 : 3;
  }
  if (area > 0 && digits.size() >= area + 7 && digits.size() <= area + 8) return digits.substr(area);
  return digits;
}

double JaroWinkler(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t window = std::max<std::size_t>(1, std::max(a.size(), b.size()) / 2) - 1;
  absl::InlinedVector<char, 64> a_match(a.size(), 0), b_match(b.size(), 0);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::size_t lo = i > window ? i - window : 0;
    std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_match[j] && a[i] == b[j]) {
        a_match[i] = b_match[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

double BigramDice(std::u32string_view a, std::u32string_view b) {
  if (a.size() < 2 || b.size() < 2) return a == b ? 1.0 : 0.0;
  // A bigram as one 64-bit number (code points fit in 21 bits): no allocation for short names.
  auto grams = [](std::u32string_view text) {
    absl::InlinedVector<std::uint64_t, 48> out;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      out.push_back((static_cast<std::uint64_t>(text[i]) << 32) | static_cast<std::uint64_t>(text[i + 1]));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto grams_a = grams(a), grams_b = grams(b);
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < grams_a.size() && j < grams_b.size();) {
    if (grams_a[i] == grams_b[j]) {
      ++common, ++i, ++j;
    } else if (grams_a[i] < grams_b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * common / (grams_a.size() + grams_b.size());
}

CodePoints::CodePoints(std::string_view text) {
  if (text.size() > kInline) {
    heap_ = DecodeUtf8(text);
    view_ = heap_;
    return;
  }
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t next = NextCodePoint(text, pos, &inline_[count]);
    ++count;
    pos = next;
  }
  view_ = std::u32string_view(inline_, count);
}

int Hamming(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return -1;
  int diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
  return diff;
}

}  // namespace cg::core::resolve
