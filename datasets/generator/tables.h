// Curated vocabulary of the synthetic province generator: surname frequencies, given-name
// characters, popular trade names (字号), industries with their GB/T 4754 codes, organization
// forms, individual-business and organization name patterns, the population weights of
// Shandong's 16 prefectures, and the typo table (similar-looking and same-sounding characters).
// The division codes and names themselves come from core/ids/divisions.h.
#pragma once

#include <span>
#include <string_view>

namespace cg::datasets::tables {

/// A string with a relative frequency.
struct Weighted {
  std::string_view text;
  double weight;
};

/// A prefecture's share of market entities and population, and its telephone area code.
struct PrefectureInfo {
  std::string_view code;       // "370100"
  double weight;               // relative share (Jinan and Qingdao largest)
  std::string_view area_code;  // "0531"
};

struct Industry {
  std::string_view word;  // 建材
  std::string_view code;  // GB/T 4754 class, 4 digits
  bool polluting;         // rated by the environment department
};

std::span<const Weighted> Surnames();
std::span<const Weighted> GivenMale();
std::span<const Weighted> GivenFemale();
std::span<const Weighted> GivenFirst();  // first character of two-character given names
std::span<const Weighted> PopularTradeNames();
std::span<const std::string_view> TradeNameChars();
std::span<const Industry> Industries();
std::span<const Industry> ShopTypes();        // individual businesses
std::span<const std::string_view> Roads();
std::span<const PrefectureInfo> Prefectures();
/// Similar-looking or same-sounding replacements: (from, to) pairs of single characters.
struct Typo {
  std::string_view from;
  std::string_view to;
};
std::span<const Typo> Typos();

}  // namespace cg::datasets::tables
