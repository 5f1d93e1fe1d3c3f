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

/// Full-width ASCII and ideographic space folded to ASCII, ASCII upper-cased, whitespace and
/// punctuation (ASCII and CJK) removed, brackets kept as ASCII '(' ')'.
std::u32string FoldName(std::u32string_view name);

/// True when the name reads like an organization (legal form, org words, or longer than 4
/// code points); used only when a mention's kind is unknown.
bool LooksLikeOrganization(std::string_view name);

/// Jaro–Winkler similarity on code points (Winkler 1990; prefix scale 0.1, up to 4).
double JaroWinkler(std::u32string_view a, std::u32string_view b);
/// Dice coefficient of the character-bigram multisets; 1 for two equal single characters.
double BigramDice(std::u32string_view a, std::u32string_view b);
/// Number of positions that differ, or -1 when the lengths differ.
int Hamming(std::string_view a, std::string_view b);

}  // namespace cg::core::resolve
