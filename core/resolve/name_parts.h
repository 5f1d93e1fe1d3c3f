// String helpers of entity resolution: UTF-8 code points, a light fold for addresses, the
// person-or-organization guess for mentions without a kind, and the similarities the comparison
// levels use (Jaro–Winkler on code points, character-bigram Dice, Hamming). Names themselves are
// normalized by core/text (ParseOrgName, NormalizePersonName).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cg::core::resolve {

/// UTF-8 to code points; invalid bytes become U+FFFD.
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);
/// Decodes the code point at byte `pos` into `*out` (U+FFFD for an invalid byte, which then
/// counts as one code point of one byte, as in DecodeUtf8); returns the position after it.
std::size_t NextCodePoint(std::string_view text, std::size_t pos, char32_t* out);

/// The code points of a UTF-8 text, decoded into an inline buffer when short (names, addresses):
/// the comparisons of entity resolution decode without allocating.
class CodePoints {
 public:
  explicit CodePoints(std::string_view text);
  CodePoints(const CodePoints&) = delete;
  CodePoints& operator=(const CodePoints&) = delete;
  std::u32string_view view() const { return view_; }
  operator std::u32string_view() const { return view_; }  // NOLINT: a view, like std::string's

 private:
  static constexpr std::size_t kInline = 96;  // bytes of UTF-8, so at most 96 code points
  char32_t inline_[kInline];
  std::u32string heap_;
  std::u32string_view view_;
};

/// The fold of an address for comparison: NormalizeText (NFKC: full width to ASCII; traditional
/// to simplified: 號 → 号; brackets), ASCII upper-cased, the region prefix in front (山东省济南市
/// 历下区) dropped unless it is all there is, Chinese numerals before 号/栋/楼/层/室/单元/弄/巷 as
/// digits (一〇〇号, 一百号 → 100号), whitespace and punctuation (ASCII and CJK) removed, brackets
/// kept as '(' ')'. (Second generality sweep, docs/sweep2.md.)
std::u32string FoldName(std::u32string_view name);

/// True when a name whose kind is unknown reads like an organization: Latin letters or digits, an
/// organization form or branch at the end (ParseOrgName), a last character of 厂店社局院所会部行馆站场队,
/// or more than 4 Chinese characters unless a middle dot or a space separates its parts (the names
/// of ethnic minorities: 买买提·艾力). 司, 中, 心 inside a name (司马光, 张中华, 李心怡) say nothing.
bool LooksLikeOrganization(std::string_view name);

/// A phone number as digits for comparison: the extension cut (转 808, -808, ext. 808), the
/// country code (+86, 0086, 86-) dropped, a mobile number's 11 digits, a landline's local number
/// without its area code ("0531-88881234", "(0531)88881234", "+86 531 8888 1234", "88881234" all
/// give "88881234"). Written for core/resolve/mentions.cc (lead), which still keeps every digit.
std::string PhoneDigits(std::string_view phone);

/// Jaro–Winkler similarity on code points (Winkler 1990; prefix scale 0.1, up to 4).
double JaroWinkler(std::u32string_view a, std::u32string_view b);
/// Dice coefficient of the character-bigram multisets; 1 for two equal single characters.
double BigramDice(std::u32string_view a, std::u32string_view b);
/// Number of positions that differ, or -1 when the lengths differ.
int Hamming(std::string_view a, std::string_view b);

}  // namespace cg::core::resolve
