// Tests of the resolution name parts: folding, region prefix, legal form, branch marker.
#include "core/resolve/name_parts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace cg::core::resolve {
namespace {

TEST(NameParts, FoldForAddresses) {
  EXPECT_EQ(EncodeUtf8(FoldName(DecodeUtf8("济南市 历下区（１２号）"))), "济南市历下区(12号)");
}

TEST(NameParts, PersonOrOrganization) {
  EXPECT_FALSE(LooksLikeOrganization("张伟"));
  EXPECT_FALSE(LooksLikeOrganization("欧阳建国"));
  EXPECT_TRUE(LooksLikeOrganization("宏达商店"));
  EXPECT_TRUE(LooksLikeOrganization("宏达科技有限公司"));
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
