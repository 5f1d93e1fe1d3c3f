// Tests of the active-entry definition and escalations (measures.md §3, §4), against a slow
// day-by-day reading of the spec.
#include "core/measures/list_activity.h"

#include <gtest/gtest.h>

#include <random>

namespace cg::core::measures {
namespace {

Date D(const char* text) { return *ParseDate(text); }

ListEntry Entry(const char* listed, const char* removed = nullptr, bool disputed = false,
                std::string list = "amr_abnormal_operation") {
  ListEntry entry;
  entry.subject = 1;
  entry.list = std::move(list);
  entry.listed_on = D(listed);
  entry.removed_on = removed ? D(removed) : kNoDate;
  entry.disputed = disputed;
  entry.source = "amr";
  entry.rid = "r1";
  return entry;
}

TEST(ListActivity, HalfOpenAndRemoval) {
  ListEntry entry = Entry("2020-03-01", "2021-01-01");
  EXPECT_FALSE(IsActive(entry, D("2020-02-29")));
  EXPECT_TRUE(IsActive(entry, D("2020-03-01")));
  EXPECT_TRUE(IsActive(entry, D("2020-12-31")));
  EXPECT_FALSE(IsActive(entry, D("2021-01-01")));  // removed_on is not active
}

TEST(ListActivity, MaxYearsCapWithClamping) {
  ListEntry entry = Entry("2020-02-29");
  EXPECT_TRUE(IsActive(entry, D("2025-02-27")));
  EXPECT_FALSE(IsActive(entry, D("2025-02-28")));  // 2020-02-29 + 5y = 2025-02-28
  EXPECT_EQ(ActiveInterval(entry), (DateInterval{D("2020-02-29"), D("2025-02-28")}));
  EXPECT_FALSE(IsActive(entry, D("2021-03-01"), 1));
}

TEST(ListActivity, DisputedIsNeverActive) {
  ListEntry entry = Entry("2020-01-01", nullptr, true);
  EXPECT_FALSE(IsActive(entry, D("2020-06-01")));
  EXPECT_TRUE(ActiveInterval(entry).empty());
}

TEST(ListActivity, EscalationArt17) {
  const Escalation rule{"amr_abnormal_operation", Period{3, 0, 0}, "amr_serious_illegal"};
  // Not removed: escalates on listed_on + 3y, keeps source/rid.
  std::vector<ListEntry> entries = {Entry("2019-05-10"), Entry("2019-05-10", "2022-05-10"),
                                    Entry("2019-05-10", "2022-05-11", true)};
  entries[1].rid = "r2";
  entries[2].rid = "r3";
  auto all = ExpandEscalations(entries, std::span(&rule, 1));
  ASSERT_EQ(all.size(), 5u);  // r2 removed exactly at the escalation date: no escalation
  EXPECT_EQ(all[3].list, "amr_serious_illegal");
  EXPECT_EQ(all[3].listed_on, D("2022-05-10"));
  EXPECT_EQ(all[3].removed_on, kNoDate);
  EXPECT_EQ(all[3].rid, "r1");
  EXPECT_EQ(all[3].escalated_from, "amr_abnormal_operation");
  EXPECT_EQ(all[4].rid, "r3");
  EXPECT_EQ(all[4].removed_on, D("2022-05-11"));
  EXPECT_TRUE(all[4].disputed);
  // The escalated entry has its own cap from its own listed_on.
  EXPECT_TRUE(IsActive(all[3], D("2027-05-09")));
  EXPECT_FALSE(IsActive(all[3], D("2027-05-10")));
}

TEST(ListActivity, EscalationsChainButCyclesEnd) {
  std::vector<Escalation> rules = {{"alpha", Period{0, 0, 10}, "beta"},
                                   {"beta", Period{0, 0, 10}, "alpha"}};
  ListEntry entry = Entry("2020-01-01", nullptr, false, std::string("alpha"));
  auto all = ExpandEscalations(std::span(&entry, 1), rules);
  ASSERT_EQ(all.size(), 3u);  // alpha, beta@+10d, alpha@+20d; then both rules are used
  EXPECT_EQ(all[1].list, "beta");
  EXPECT_EQ(all[2].list, "alpha");
  EXPECT_EQ(all[2].listed_on, D("2020-01-21"));
  EXPECT_EQ(all[2].escalated_from, "beta");
}

// Slow reference: walk day by day.
TEST(ListActivity, RandomAgainstDayByDay) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    ListEntry entry = Entry("2020-01-01");
    entry.listed_on = D("2018-01-01") + Date(rng() % 800);
    entry.removed_on = rng() % 3 == 0 ? kNoDate : entry.listed_on - 5 + Date(rng() % 900);
    entry.disputed = rng() % 5 == 0;
    const int max_years = 1 + int(rng() % 2);
    const Date cap = AddPeriod(entry.listed_on, Period{max_years, 0, 0});
    for (Date day = entry.listed_on - 3; day < entry.listed_on + 800; ++day) {
      const bool expected = !entry.disputed && entry.listed_on <= day &&
                            (entry.removed_on == kNoDate || day < entry.removed_on) && day < cap;
      ASSERT_EQ(IsActive(entry, day, max_years), expected) << trial << " " << FormatDate(day);
    }
  }
}

}  // namespace
}  // namespace cg::core::measures
