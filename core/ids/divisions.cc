// GB/T 2260 division table and region-name matching (see divisions.h).
#include "core/ids/divisions.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "core/text/code_point_trie.h"

namespace cg::core {
namespace {

constexpr Division kDivisions[] = {
#include "core/ids/divisions_table.inc"
};
constexpr std::size_t kDivisionCount = sizeof(kDivisions) / sizeof(kDivisions[0]);

constexpr bool SortedByCode() {
  for (std::size_t i = 1; i < kDivisionCount; ++i) {
    if (!(kDivisions[i - 1].code < kDivisions[i].code)) return false;
  }
  return true;
}
static_assert(SortedByCode(), "divisions_table.inc must be sorted by code without duplicates");

// Copies of the current entries of one kind, in code order (spans need contiguous storage).
struct Views {
  std::vector<Division> provinces;
  std::vector<Division> shandong_prefectures;
  std::vector<Division> shandong_counties;
  // name (full or short) -> indices into kDivisions, ordered by code
  absl::flat_hash_map<std::string_view, std::vector<std::uint16_t>> by_name;
  // full and short names -> index into kDivisions, for matching at the start of a text
  CodePointTrie names{CodePointTrie::Direction::kForward};
  // O(1) code lookups for the validators' hot path: province (2 digits) and 37xxxx -> index.
  std::array<std::int16_t, 100> province_index;
  // 37PPCC -> index for PP in 00..17 (Shandong's prefectures end at 17): 3.6 KB, stays in L1.
  static constexpr int kShandongPrefectures = 18;
  std::array<std::int16_t, kShandongPrefectures * 100> shandong_index;
};

Views BuildViews() {
  Views views;
  Views* built = &views;
  views.province_index.fill(-1);
  views.shandong_index.fill(-1);
  {
    for (std::size_t index = 0; index < kDivisionCount; ++index) {
      const Division& division = kDivisions[index];
      const int code_number = std::stoi(std::string(division.code));
      if (division.level == DivisionLevel::kProvince) {
        views.province_index[code_number / 10000] = static_cast<std::int16_t>(index);
      }
      if (code_number / 10000 == 37) {
        // Every Shandong code in the table has PP <= 17 (checked by the test of all 37xxxx).
        views.shandong_index.at(std::size_t(code_number % 10000)) =
            static_cast<std::int16_t>(index);
      }
      if (division.current) {
        if (division.level == DivisionLevel::kProvince) built->provinces.push_back(division);
        if (division.code.starts_with("37") && division.level == DivisionLevel::kPrefecture) {
          built->shandong_prefectures.push_back(division);
        }
        if (division.code.starts_with("37") && division.level == DivisionLevel::kCounty) {
          built->shandong_counties.push_back(division);
        }
      }
      for (const std::string_view name : {division.name, division.short_name}) {
        if (name.empty()) continue;
        built->by_name[name].push_back(static_cast<std::uint16_t>(index));
        built->names.Insert(name, static_cast<std::uint32_t>(index));
      }
    }
  }
  return views;
}

const Views& GetViews() {
  static const Views views = BuildViews();  // thread-safe one-time initialization
  return views;
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Compatible(const Division& candidate, const Division* context, bool short_form) {
  if (context == nullptr) {
    // County short names only after their own prefecture or province.
    return !(short_form && candidate.level == DivisionLevel::kCounty);
  }
  if (candidate.level <= context->level) return false;
  return IsWithin(candidate, *context);
}

// Every region name at the start of `text` compatible with `context`, shortest first.
template <typename Fn>
void ForEachMatch(std::string_view text, const Division* context, Fn&& fn) {
  GetViews().names.ForEachMatch(text, [&](std::size_t length, std::uint32_t index) {
    const Division& division = kDivisions[index];
    const bool short_form = division.name.size() != length;
    // Retired names only in full, except a prefecture's (莱芜, a prefecture until 2019: companies
    // registered there keep 莱芜 in their names); a retired county's short name is too often a word.
    if (!division.current && short_form && division.level != DivisionLevel::kPrefecture) return;
    if (Compatible(division, context, short_form)) fn(RegionMatch{&division, length, short_form});
  });
}

}  // namespace

std::span<const Division> AllDivisions() { return {kDivisions, kDivisionCount}; }

const Division* FindDivision(std::string_view code6) {
  if (code6.size() != 6) return nullptr;
  const Division* begin = kDivisions;
  const Division* end = kDivisions + kDivisionCount;
  const Division* found = std::lower_bound(
      begin, end, code6, [](const Division& division, std::string_view code) {
        return division.code < code;
      });
  return found != end && found->code == code6 ? found : nullptr;
}

std::span<const Division> Provinces() { return GetViews().provinces; }
std::span<const Division> ShandongPrefectures() { return GetViews().shandong_prefectures; }
std::span<const Division> ShandongCounties() { return GetViews().shandong_counties; }

DivisionCheck CheckDivision(std::string_view code6, const Division** best) {
  if (best != nullptr) *best = nullptr;
  if (code6.size() != 6 || !AllDigits(code6)) return DivisionCheck::kUnknown;
  const Views& views = GetViews();
  const int province = (code6[0] - '0') * 10 + (code6[1] - '0');
  const std::int16_t province_index = views.province_index[province];
  if (province_index < 0) return DivisionCheck::kUnknown;
  const Division* found = &kDivisions[province_index];
  const bool rest_zero = code6.substr(2) == "0000";
  if (province != 37) {
    if (best != nullptr) *best = found;
    // Outside Shandong the table stops at the province: anything below it is not checked.
    return rest_zero ? DivisionCheck::kKnown : DivisionCheck::kProvinceOnly;
  }
  const int prefecture = (code6[2] - '0') * 10 + (code6[3] - '0');
  if (prefecture >= Views::kShandongPrefectures) {
    if (best != nullptr) *best = found;
    return DivisionCheck::kUnknown;
  }
  const int county = (code6[4] - '0') * 10 + (code6[5] - '0');
  const std::int16_t exact_index = views.shandong_index[prefecture * 100 + county];
  if (exact_index >= 0) {
    found = &kDivisions[exact_index];
    if (best != nullptr) *best = found;
    return found->current ? DivisionCheck::kKnown : DivisionCheck::kRetired;
  }
  // Shandong is covered to the county: an unknown code there is a warning; report the
  // prefecture if that much is known.
  const std::int16_t prefecture_index = views.shandong_index[prefecture * 100];
  if (best != nullptr) *best = prefecture_index >= 0 ? &kDivisions[prefecture_index] : found;
  return DivisionCheck::kUnknown;
}

std::vector<const Division*> FindDivisionsByName(std::string_view name) {
  std::vector<const Division*> out;
  const Views& views = GetViews();
  if (const auto found = views.by_name.find(name); found != views.by_name.end()) {
    for (const std::uint16_t index : found->second) out.push_back(&kDivisions[index]);
  }
  return out;
}

bool IsWithin(const Division& division, const Division& ancestor) {
  switch (ancestor.level) {
    case DivisionLevel::kProvince:
      return division.code.substr(0, 2) == ancestor.code.substr(0, 2);
    case DivisionLevel::kPrefecture:
      return division.code.substr(0, 4) == ancestor.code.substr(0, 4) ||
             division.parent == ancestor.code;
    case DivisionLevel::kCounty:
      return division.code == ancestor.code;
  }
  return false;
}

std::optional<RegionMatch> MatchRegionPrefix(std::string_view text, const Division* context) {
  std::optional<RegionMatch> best;
  ForEachMatch(text, context, [&](const RegionMatch& match) {
    // Longer wins; at equal length the current entry with the lowest code (first seen) wins.
    if (!best || match.length > best->length ||
        (match.length == best->length && match.division->current && !best->division->current)) {
      best = match;
    }
  });
  return best;
}

namespace {

// Depth-first search over the candidate parses (at most 3 levels, a handful of candidates per
// level) for the one that consumes the most bytes; ties go to fewer levels, then full names.
void SearchRegions(std::string_view text, std::size_t offset, const Division* context,
                   RegionPrefix& current, RegionPrefix& best) {
  if (current.length > best.length) best = current;
  if (context != nullptr && context->level == DivisionLevel::kCounty) return;
  ForEachMatch(text.substr(offset), context, [&](const RegionMatch& match) {
    RegionPrefix next = current;
    switch (match.division->level) {
      case DivisionLevel::kProvince: next.province = match.division; break;
      case DivisionLevel::kPrefecture: next.prefecture = match.division; break;
      case DivisionLevel::kCounty: next.county = match.division; break;
    }
    next.length = offset + match.length;
    SearchRegions(text, next.length, match.division, next, best);
  });
}

}  // namespace

RegionPrefix ParseRegionPrefix(std::string_view text) {
  RegionPrefix current;
  RegionPrefix best;
  SearchRegions(text, 0, nullptr, current, best);
  return best;
}

}  // namespace cg::core
