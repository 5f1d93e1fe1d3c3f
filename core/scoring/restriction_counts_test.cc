// RestrictionCountsAt against a hand count.
#include "core/scoring/restriction_counts.h"

#include <gtest/gtest.h>

namespace cg::core::scoring {
namespace {

measures::Restriction Make(NodeId entity, std::uint32_t measure, measures::Effect effect,
                           Date start, Date end, bool withheld = false) {
  measures::Restriction restriction;
  restriction.entity = entity;
  restriction.measure = measure;
  restriction.effect = effect;
  restriction.start = start;
  restriction.end = end;
  restriction.withheld = withheld;
  return restriction;
}

TEST(ScoringRestrictionCounts, DistinctActiveMeasuresPerEffect) {
  using measures::Effect;
  std::vector<measures::Restriction> restrictions = {
      Make(1, 0, Effect::kPunish, 10, 20),
      Make(1, 0, Effect::kPunish, 5, 30),    // same measure via another path: counted once
      Make(1, 1, Effect::kPunish, 15, 16),
      Make(1, 2, Effect::kPunish, 16, 40),   // starts after as_of
      Make(1, 3, Effect::kReward, 0, 100),
      Make(1, 4, Effect::kReward, 0, 100, true),  // withheld piece
      Make(2, 5, Effect::kAlert, 15, 15),    // empty
      Make(3, 5, Effect::kAlert, 0, 16),     // half-open: binds on 15
  };
  auto counts = RestrictionCountsAt(restrictions, 15);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].entity, 1u);
  EXPECT_EQ(counts[0].effect, scoring::Effect::kPunish);
  EXPECT_EQ(counts[0].count, 2u);
  EXPECT_EQ(counts[1].effect, scoring::Effect::kReward);
  EXPECT_EQ(counts[1].count, 1u);
  EXPECT_EQ(counts[2].entity, 3u);
  EXPECT_EQ(counts[2].effect, scoring::Effect::kAlert);
  EXPECT_EQ(counts[2].count, 1u);
}

}  // namespace
}  // namespace cg::core::scoring
