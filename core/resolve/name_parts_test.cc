// Tests of the resolution name parts: folding, region prefix, legal form, branch marker.
#include "core/resolve/name_parts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace cg::core::resolve {
namespace {

TEST(NameParts, FoldForAddresses) {
  // (second sweep: the region prefix is dropped, docs/sweep2.md; it was "济南市历下区(12号)")
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("济南市 历下区（１２号）"))), "(12号)");
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("经十路 （１２号）"))), "经十路(12号)");
}

TEST(NameParts, PersonOrOrganization) {
  EXPECT_FALSE(LooksLikeOrganization("张伟"));
  EXPECT_FALSE(LooksLikeOrganization("欧阳建国"));
  EXPECT_TRUE(LooksLikeOrganization("宏达商店"));
  EXPECT_TRUE(LooksLikeOrganization("宏达科技有限公司"));
}

// Second generality sweep (docs/sweep2.md): names a department sends without a kind.
TEST(NameParts, PersonNamesThatHoldOrganizationCharacters) {
  // 司 of 司马/司徒 (and of the Uyghur name 司马义), 中 and 心 in given names: persons, not
  // organizations (the character only counts at the end, where 店, 社, 厂 … end a name).
  for (const char* person : {"司徒鹏明", "司马光", "司 徒 鹏 明", "郑中超", "刘心思", "孙心", "韩中", "丁心杰",
                             "彭中国", "吕中萍"}) {
    EXPECT_FALSE(LooksLikeOrganization(person)) << person;
  }
  // Names of ethnic minorities are long but written with a middle dot (any of its code points)
  // or a space between the parts.
  for (const char* person : {"努尔兰·库尔班", "帕提古丽•司马义", "阿依古丽‧吐尔洪", "买买提・艾力", "艾力.买买提",
                             "古丽娜尔 阿不都拉", "阿不都热合曼·买合木提"}) {
    EXPECT_FALSE(LooksLikeOrganization(person)) << person;
  }
  for (const char* organization : {"华联超市", "刘思浩（个体工商户）", "黄岛区吕中萍", "宏达五金店", "ABC科技",
                                   "青岛3D打印", "淄博市公安局", "济南 安瑞 餐饮管理 股份有限公司", "文化中心",
                                   "淄博鑫源商贸有限公司（济南分公司）", "鑫源合作社", "历下区老王餐饮管理服务部"}) {
    EXPECT_TRUE(LooksLikeOrganization(organization)) << organization;
  }
}

// Addresses as departments write them: traditional characters, full width, numerals in Chinese
// before 号, the province or city in front or not.
TEST(NameParts, FoldAddressSpellingsOfOnePlace) {
  const std::string fold = EncodeUtf8(FoldName(DecodeUtf8("济南市历下区经十路100号")));
  for (const char* same : {"济南市历下区经十路100號", "济南市历下区经十路一〇〇号", "济南市历下区经十路一百号",
                           "山东省济南市历下区经十路100号", "历下区经十路100号", "濟南市歷下區經十路１００号",
                           "济南市 历下区 经十路 100 号"}) {
    EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8(same))), fold) << same;
  }
  // Other numbers and other streets stay apart; 经十路 keeps its 十 (no 号 after it).
  EXPECT_NE(EncodeUtf8(FoldName(DecodeUtf8("济南市历下区经十路101号"))), fold);
  EXPECT_NE(EncodeUtf8(FoldName(DecodeUtf8("济南市历下区经一路100号"))), fold);
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("人民路十二号"))), EncodeUtf8(FoldName(DecodeUtf8("人民路12号"))));
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("人民路二十号"))), EncodeUtf8(FoldName(DecodeUtf8("人民路20号"))));
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("人民路三百零五号"))), EncodeUtf8(FoldName(DecodeUtf8("人民路305号"))));
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("人民路一一五号"))), EncodeUtf8(FoldName(DecodeUtf8("人民路115号"))));
  // The region prefix goes only at the start: a place name inside the address stays.
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("淄博市张店区济南路8号"))), "济南路8号");
}

TEST(NameParts, PhoneDigitsOfOneNumber) {
  for (const char* same : {"0531-88881234", "(0531)88881234", "+86-531-88881234", "+86 531 8888 1234", "88881234",
                           "0531-88881234-808", "0531-88881234转808", "0531 8888 1234", "0086 531 88881234",
                           "0531-88881234 ext. 12", "８８８８１２３４"}) {
    EXPECT_EQ(PhoneDigits(same), "88881234") << same;
  }
  for (const char* same : {"13812345678", "+8613812345678", "+86 138 1234 5678", "86-13812345678", "008613812345678"}) {
    EXPECT_EQ(PhoneDigits(same), "13812345678") << same;
  }
  EXPECT_EQ(PhoneDigits("010-6512 3456"), "65123456");
  EXPECT_EQ(PhoneDigits("0531-8888123"), "8888123");  // seven-digit local number
  EXPECT_NE(PhoneDigits("0531-88881234"), PhoneDigits("0531-88881235"));
  EXPECT_EQ(PhoneDigits(""), "");
}

// The obvious definition of Jaro–Winkler, for the comparison.
double SlowJaroWinkler(const std::u32string& a, const std::u32string& b) {
  if (a.empty() && b.empty()) return 1;
  if (a.empty() || b.empty()) return 0;
  int window = static_cast<int>(std::max(a.size(), b.size()) / 2) - 1;
  if (window < 0) window = 0;
  std::vector<bool> used_b(b.size(), false);
  std::u32string matched_a, matched_b;
  for (int i = 0; i < static_cast<int>(a.size()); ++i) {
    for (int j = std::max(0, i - window); j < std::min<int>(b.size(), i + window + 1); ++j) {
      if (!used_b[j] && a[i] == b[j]) {
        used_b[j] = true;
        matched_a.push_back(a[i]);
        break;
      }
    }
  }
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (used_b[j]) matched_b.push_back(b[j]);
  }
  const double m = matched_a.size();
  if (m == 0) return 0;
  double half = 0;
  for (std::size_t i = 0; i < matched_a.size(); ++i) half += matched_a[i] != matched_b[i];
  const double jaro = (m / a.size() + m / b.size() + (m - half / 2) / m) / 3;
  int prefix = 0;
  while (prefix < 4 && prefix < static_cast<int>(std::min(a.size(), b.size())) && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1 - jaro);
}

TEST(NameParts, JaroWinklerMatchesSlowReference) {
  EXPECT_NEAR(JaroWinkler(U"MARTHA", U"MARHTA"), 0.9611, 1e-4);  // Winkler's example
  EXPECT_NEAR(JaroWinkler(U"DIXON", U"DICKSONX"), 0.8133, 1e-4);
  std::mt19937 rng(7);
  const std::u32string alphabet = U"宏达科技商贸ab";
  for (int trial = 0; trial < 500; ++trial) {
    std::u32string a, b;
    for (unsigned k = rng() % 8; k > 0; --k) a.push_back(alphabet[rng() % alphabet.size()]);
    for (unsigned k = rng() % 8; k > 0; --k) b.push_back(alphabet[rng() % alphabet.size()]);
    EXPECT_NEAR(JaroWinkler(a, b), SlowJaroWinkler(a, b), 1e-12);
  }
}

TEST(NameParts, BigramDiceAndHamming) {
  EXPECT_DOUBLE_EQ(BigramDice(U"宏达科技", U"宏达科技"), 1.0);
  EXPECT_DOUBLE_EQ(BigramDice(U"宏达科技", U"宏达料技"), 1.0 / 3.0);
  EXPECT_EQ(Hamming("ABC", "ABD"), 1);
  EXPECT_EQ(Hamming("ABC", "AB"), -1);
}

TEST(NameParts, Utf8RoundTrip) {
  const std::string text = "宏达 ab１𠀀";
  EXPECT_EQ(EncodeUtf8(DecodeUtf8(text)), text);
  EXPECT_EQ(DecodeUtf8("\xE5\xAE").size(), 2u);  // truncated sequence: replacement characters
}

}  // namespace
}  // namespace cg::core::resolve
