// Tests for core/date.h: the four input forms, impossible days, calendar period arithmetic.
#include "core/date.h"

#include <gtest/gtest.h>

namespace cg::core {
namespace {

TEST(ParseDate, AcceptsTheFourFormsOfTheContract) {
  const auto expected = MakeDate(2016, 8, 5);
  ASSERT_TRUE(expected);
  EXPECT_EQ(ParseDate("2016-08-05"), expected);
  EXPECT_EQ(ParseDate("2016/8/5"), expected);
  EXPECT_EQ(ParseDate("20160805"), expected);
  EXPECT_EQ(ParseDate("2016年8月5日"), expected);
  EXPECT_EQ(ParseDate(" 2016-8-05 "), expected);
}

TEST(ParseDate, RefusesEverythingElse) {
  for (const char* bad : {"", "2016-02-30", "2016.08.05", "16-08-05", "2016-08-05x", "2016年8月5",
                          "20161305", "2016-8", "abc", "2016/08-05"}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
}

TEST(FormatDate, RoundTripsOverManyDays) {
  for (Date day = -800; day < 40000; day += 37) {
    EXPECT_EQ(ParseDate(FormatDate(day)), day);
  }
  EXPECT_EQ(FormatDate(kNoDate), "");
}

TEST(AddPeriod, ClampsTheDayToTheMonthEnd) {
  EXPECT_EQ(FormatDate(AddPeriod(*ParseDate("2024-02-29"), *ParsePeriod("1y"))), "2025-02-28");
  EXPECT_EQ(FormatDate(AddPeriod(*ParseDate("2024-01-31"), *ParsePeriod("1m"))), "2024-02-29");
  EXPECT_EQ(FormatDate(AddPeriod(*ParseDate("2023-08-31"), *ParsePeriod("6m"))), "2024-02-29");
  EXPECT_EQ(FormatDate(AddPeriod(*ParseDate("2020-12-31"), *ParsePeriod("90d"))), "2021-03-31");
  EXPECT_EQ(AddPeriod(kNoDate, *ParsePeriod("3y")), kNoDate);
}

TEST(ParsePeriod, ReadsUnitsInOrder) {
  auto period = ParsePeriod("1y6m");
  ASSERT_TRUE(period);
  EXPECT_EQ(period->years, 1);
  EXPECT_EQ(period->months, 6);
  EXPECT_FALSE(ParsePeriod("6m1y"));
  EXPECT_FALSE(ParsePeriod("3w"));
  EXPECT_FALSE(ParsePeriod("y"));
  EXPECT_DOUBLE_EQ(ApproxDays(*ParsePeriod("1y")), 365.0);
  EXPECT_DOUBLE_EQ(ApproxDays(*ParsePeriod("2m")), 60.0);
}

}  // namespace
}  // namespace cg::core
