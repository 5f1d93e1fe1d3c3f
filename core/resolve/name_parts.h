// Name parts for entity resolution: the normalized forms of a Chinese organization or person
// name that blocking and comparison work on (full-width folded, punctuation dropped, region
// prefix, legal form and branch marker split off, 字号 trade name), plus the string similarities
// (Jaro–Winkler on code points, character-bigram Dice) that the comparison levels use.
// This is a small, self-contained normalizer local to resolution; when core/text (area ids)
// lands its canonical forms should feed MentionTable instead (see docs/resolution.md).
#pragma once

#include <string>
#include <string_view>

namespace cg::core::resolve {

/// UTF-8 to code points; invalid bytes become U+FFFD.
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(std::u32string_view text);

/// Full-width ASCII and ideographic space folded to ASCII, ASCII upper-cased, whitespace and
/// punctuation (ASCII and CJK) removed, brackets kept as ASCII '(' ')'.
std::u32string FoldName(std::u32string_view name);

struct OrgNameParts {
  std::string folded;  // the whole name, folded
  std::string core;    // region prefix, brackets, legal form removed; for a branch "<parent>|<branch>"
  std::string trade;   // first two code points of the parent's core (字号 approximation)
  std::string region_prefix;  // the stripped leading region words, if any
  bool branch = false;        // a branch marker (分公司, 分店, 支行, ...) was found
};

/// Splits an organization name into its parts.
OrgNameParts SplitOrgName(std::string_view name);

/// A person's name folded (full-width, spaces, middle dots removed).
std::string FoldPersonName(std::string_view name);

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
