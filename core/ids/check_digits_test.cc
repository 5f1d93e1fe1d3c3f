// The standards' worked examples for the check-digit primitives.
#include "core/ids/check_digits.h"

#include <gtest/gtest.h>

#include <string>

namespace cg::core {
namespace {

TEST(CheckDigits, UsccExamplesFromTheIssue) {
  EXPECT_EQ(UsccCheckChar("91350100M000100Y4"), '3');
  EXPECT_EQ(UsccCheckChar("91110000600037341"), 'L');
  EXPECT_FALSE(UsccCheckChar("91350100M000100Y"));   // too short
  EXPECT_FALSE(UsccCheckChar("91350100M000100I4"));  // I is not in the alphabet
}

TEST(CheckDigits, OrganizationCodeEmbeddedInUscc) {
  EXPECT_EQ(OrgCodeCheckChar("M000100Y"), '4');  // positions 9-17 of 91350100M000100Y43
  EXPECT_EQ(OrgCodeCheckChar("60003734"), '1');  // positions 9-17 of 91110000600037341L
}

TEST(CheckDigits, IdNumberExampleFromGB11643) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_FALSE(IdNumberCheckChar("1101051949123100A"));
}

TEST(CheckDigits, RegistrationNumberMod1110) {
  // ISO 7064 MOD 11,10 verified by brute force: of the ten candidate digits exactly one makes
  // the running sum after the 15th digit equal 1 (mod 10), and it is the one computed.
  for (const std::string first14 : {"37010000000000", "11010800612345", "44030110999999"}) {
    int valid_digits = 0;
    char valid = '?';
    for (char candidate = '0'; candidate <= '9'; ++candidate) {
      int product = 10;
      int sum = 0;
      for (const char c : first14 + candidate) {
        sum = (product + (c - '0')) % 10;
        if (sum == 0) sum = 10;
        product = (2 * sum) % 11;
      }
      if (sum % 10 == 1) {
        ++valid_digits;
        valid = candidate;
      }
    }
    EXPECT_EQ(valid_digits, 1) << first14;
    EXPECT_EQ(RegNoCheckChar(first14), valid) << first14;
  }
}

}  // namespace
}  // namespace cg::core
