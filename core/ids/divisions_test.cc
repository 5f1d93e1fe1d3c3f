// The GB/T 2260 table: coverage, lookups and region-prefix parsing.
#include "core/ids/divisions.h"

#include <gtest/gtest.h>

#include <set>
#include <cstdio>
#include <string>
#include <vector>

namespace cg::core {
namespace {

TEST(Divisions, RetiredPrefectureShortNameStartsARegion) {
  // 莱芜 was a prefecture until 2019 (371200, now part of 济南): names registered there keep it.
  const RegionPrefix prefix = ParseRegionPrefix("莱芜鑫源商贸有限公司");
  ASSERT_NE(prefix.prefecture, nullptr);
  EXPECT_EQ(prefix.prefecture->code, "371200");
  EXPECT_EQ(prefix.length, std::string_view("莱芜").size());
  // after its prefecture, a county short name is the current county (济阳区, not the retired 济阳县)
  EXPECT_EQ(ParseRegionPrefix("济南济阳鑫源").county->code, "370115");
}

TEST(Divisions, CoversEveryProvinceAndShandongLevel) {
  EXPECT_EQ(Provinces().size(), 34u);
  EXPECT_EQ(ShandongPrefectures().size(), 16u);
  EXPECT_EQ(ShandongCounties().size(), 136u);
  std::set<std::string> prefixes;
  for (const Division& province : Provinces()) prefixes.insert(std::string(province.code.substr(0, 2)));
  for (const char* expected : {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33",
                               "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50",
                               "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81",
                               "82"}) {
    EXPECT_TRUE(prefixes.count(expected)) << expected;
  }
}

TEST(Divisions, EveryCountyHasItsPrefectureAsParent) {
  for (const Division& county : ShandongCounties()) {
    const Division* parent = FindDivision(county.parent);
    ASSERT_NE(parent, nullptr) << county.code;
    EXPECT_EQ(parent->level, DivisionLevel::kPrefecture);
    EXPECT_TRUE(parent->current) << county.code;
    EXPECT_EQ(county.code.substr(0, 4), parent->code.substr(0, 4));
    EXPECT_TRUE(IsWithin(county, *parent));
    EXPECT_TRUE(IsWithin(county, *FindDivision("370000")));
  }
}

TEST(Divisions, Lookups) {
  const Division* huantai = FindDivision("370321");
  ASSERT_NE(huantai, nullptr);
  EXPECT_EQ(huantai->name, "桓台县");
  EXPECT_EQ(huantai->short_name, "桓台");
  EXPECT_EQ(huantai->parent, "370300");
  EXPECT_EQ(FindDivision("370300")->name, "淄博市");
  EXPECT_EQ(FindDivision("370000")->name, "山东省");
  EXPECT_EQ(FindDivision("370116")->name, "莱芜区");  // 莱芜 is part of 济南 today
  EXPECT_EQ(FindDivision("370116")->parent, "370100");
  EXPECT_EQ(FindDivision("370199"), nullptr);
  EXPECT_EQ(FindDivision("37032"), nullptr);
  const Division* laiwu = FindDivision("371200");
  ASSERT_NE(laiwu, nullptr);
  EXPECT_FALSE(laiwu->current);
  EXPECT_EQ(laiwu->successor, "370100");
}

TEST(Divisions, CheckDivisionLevels) {
  const Division* best = nullptr;
  EXPECT_EQ(CheckDivision("370321", &best), DivisionCheck::kKnown);
  EXPECT_EQ(best->code, "370321");
  EXPECT_EQ(CheckDivision("371202", &best), DivisionCheck::kRetired);
  EXPECT_EQ(CheckDivision("350100", &best), DivisionCheck::kProvinceOnly);
  EXPECT_EQ(best->code, "350000");
  EXPECT_EQ(CheckDivision("370399", &best), DivisionCheck::kUnknown);
  EXPECT_EQ(best->code, "370300");
  EXPECT_EQ(CheckDivision("990000", &best), DivisionCheck::kUnknown);
  EXPECT_EQ(best, nullptr);
  EXPECT_EQ(CheckDivision("37a321"), DivisionCheck::kUnknown);
}

// Slow reference: exact lookup by binary search, then the prefecture, then the province.
DivisionCheck ReferenceCheck(const std::string& code, std::string* best) {
  *best = "";
  if (const Division* exact = FindDivision(code)) {
    *best = std::string(exact->code);
    return exact->current ? DivisionCheck::kKnown : DivisionCheck::kRetired;
  }
  const Division* province = FindDivision(code.substr(0, 2) + "0000");
  if (!province) return DivisionCheck::kUnknown;
  *best = std::string(province->code);
  if (code.substr(0, 2) != "37") return DivisionCheck::kProvinceOnly;
  if (const Division* prefecture = FindDivision(code.substr(0, 4) + "00")) {
    *best = std::string(prefecture->code);
  }
  return DivisionCheck::kUnknown;
}

TEST(Divisions, FastCheckAgreesWithReference) {
  std::vector<std::string> codes;
  for (int below = 0; below < 10000; ++below) codes.push_back(std::to_string(370000 + below));
  for (int province = 0; province < 100; ++province) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%02d0000", province);
    codes.push_back(buffer);
    std::snprintf(buffer, sizeof buffer, "%02d0102", province);
    codes.push_back(buffer);
  }
  for (const std::string& code : codes) {
    std::string expected_best;
    const DivisionCheck expected = ReferenceCheck(code, &expected_best);
    const Division* best = nullptr;
    EXPECT_EQ(CheckDivision(code, &best), expected) << code;
    EXPECT_EQ(best ? std::string(best->code) : std::string(), expected_best) << code;
  }
}

TEST(Divisions, NamesIncludingAmbiguousOnes) {
  EXPECT_EQ(FindDivisionsByName("市中区").size(), 3u);  // 济南, 枣庄, and the retired 济宁 one
  ASSERT_EQ(FindDivisionsByName("淄博").size(), 1u);
  EXPECT_EQ(FindDivisionsByName("淄博")[0]->code, "370300");
  EXPECT_TRUE(FindDivisionsByName("纽约").empty());
}

TEST(Divisions, MatchRegionPrefixRules) {
  auto match = MatchRegionPrefix("山东省淄博市");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->division->code, "370000");
  EXPECT_EQ(match->length, std::string("山东省").size());
  EXPECT_FALSE(match->short_form);
  match = MatchRegionPrefix("淄博华鑫");
  ASSERT_TRUE(match);
  EXPECT_TRUE(match->short_form);
  EXPECT_EQ(match->division->code, "370300");
  // County short names need their prefecture first.
  EXPECT_FALSE(MatchRegionPrefix("桓台鑫源"));
  match = MatchRegionPrefix("桓台鑫源", FindDivision("370300"));
  ASSERT_TRUE(match);
  EXPECT_EQ(match->division->code, "370321");
  // Context picks the right 市中区.
  EXPECT_EQ(MatchRegionPrefix("市中区", FindDivision("370400"))->division->code, "370402");
  EXPECT_EQ(MatchRegionPrefix("市中区", FindDivision("370100"))->division->code, "370103");
  EXPECT_EQ(MatchRegionPrefix("市中区")->division->code, "370103");
  // A county of another prefecture does not follow.
  EXPECT_FALSE(MatchRegionPrefix("历下区", FindDivision("370300")));
  EXPECT_FALSE(MatchRegionPrefix("华为技术"));
  EXPECT_FALSE(MatchRegionPrefix(""));
}

TEST(Divisions, ParseRegionPrefixChains) {
  struct Case {
    std::string text;
    const char* province;
    const char* prefecture;
    const char* county;
    std::string consumed;
  };
  const Case cases[] = {
      {"山东省淄博市桓台县鑫源商贸有限公司", "370000", "370300", "370321", "山东省淄博市桓台县"},
      {"淄博桓台鑫源商贸有限公司", nullptr, "370300", "370321", "淄博桓台"},
      {"济南市历下区某某", nullptr, "370100", "370102", "济南市历下区"},
      {"历下区某某", nullptr, nullptr, "370102", "历下区"},
      {"山东鲁能", "370000", nullptr, nullptr, "山东"},
      {"枣庄市市中区某某", nullptr, "370400", "370402", "枣庄市市中区"},
      {"北京市某某", "110000", nullptr, nullptr, "北京市"},
      {"新疆维吾尔自治区某某", "650000", nullptr, nullptr, "新疆维吾尔自治区"},
      {"莱芜市莱城区某某", nullptr, "371200", "371202", "莱芜市莱城区"},
      {"某某公司", nullptr, nullptr, nullptr, ""},
  };
  for (const Case& test_case : cases) {
    const RegionPrefix prefix = ParseRegionPrefix(test_case.text);
    auto code = [](const Division* division) {
      return division ? std::string(division->code) : std::string("-");
    };
    EXPECT_EQ(code(prefix.province), test_case.province ? test_case.province : "-") << test_case.text;
    EXPECT_EQ(code(prefix.prefecture), test_case.prefecture ? test_case.prefecture : "-")
        << test_case.text;
    EXPECT_EQ(code(prefix.county), test_case.county ? test_case.county : "-") << test_case.text;
    EXPECT_EQ(prefix.length, test_case.consumed.size()) << test_case.text;
  }
}

}  // namespace
}  // namespace cg::core
