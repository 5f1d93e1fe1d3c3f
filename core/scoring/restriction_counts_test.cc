// RestrictionCountsAt against a hand count, and the pieces path against a slow set count.
#include "core/scoring/restriction_counts.h"
#include "core/scoring/input.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

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

TEST(ScoringRestrictionCounts, PiecesCountLikeASlowSetCountAtEveryDate) {
  // Random restrictions (repeated measures, withheld pieces, empty intervals); pieces counted
  // sorted, shuffled, and from the restrictions, against std::set per (entity, effect).
  std::mt19937_64 rng(5);
  for (int round = 0; round < 40; ++round) {
    std::vector<measures::Restriction> restrictions;
    const int size = int(rng() % 60);
    for (int index = 0; index < size; ++index) {
      const Date start = Date(rng() % 30);
      restrictions.push_back(Make(NodeId(rng() % 6), std::uint32_t(rng() % 4),
                                  measures::Effect(rng() % 3), start, start + Date(rng() % 12),
                                  rng() % 5 == 0));
    }
    std::vector<RestrictionPiece> pieces = RestrictionPieces(restrictions);
    ASSERT_TRUE(std::is_sorted(pieces.begin(), pieces.end(),
                               [](const auto& a, const auto& b) { return a.Key() < b.Key(); }));
    std::vector<RestrictionPiece> shuffled = pieces;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (Date as_of = -1; as_of < 45; ++as_of) {
      std::map<std::pair<NodeId, int>, std::set<std::uint32_t>> slow;
      for (const auto& restriction : restrictions) {
        if (restriction.withheld || !(restriction.start <= as_of && as_of < restriction.end)) {
          continue;
        }
        slow[{restriction.entity, int(restriction.effect)}].insert(restriction.measure);
      }
      std::vector<std::tuple<NodeId, int, std::uint32_t>> want;
      for (const auto& [key, measures_in_force] : slow) {
        want.emplace_back(key.first, key.second, std::uint32_t(measures_in_force.size()));
      }
      for (const auto& counts : {RestrictionCountsAt(pieces, as_of),
                                 RestrictionCountsAt(shuffled, as_of),
                                 RestrictionCountsAt(restrictions, as_of)}) {
        std::vector<std::tuple<NodeId, int, std::uint32_t>> got;
        for (const auto& count : counts) {
          got.emplace_back(count.entity, int(count.effect), count.count);
        }
        EXPECT_EQ(got, want) << "round " << round << " as_of " << as_of;
      }
    }
  }
}

}  // namespace
// ScoringInput keeps the counts in a map or (the first counts, sorted by entity) straight in
// its ranked form; every sequence of SetRestrictions calls, before and after Finalize, must
// answer as a plain map of the last count given per (entity, effect).
TEST(ScoringRestrictionCounts, InputAnswersAsTheLastCountGivenInAnyForm) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 40; ++trial) {
    const NodeId nodes = 50 + NodeId(rng() % 300);
    ScoringInput input{ScoringParams{}};
    input.SetKind(nodes - 1, EntityKind::kEnterprise);
    std::map<std::pair<NodeId, int>, std::uint32_t> expected;
    const int calls = 1 + int(rng() % 4);
    const int finalize_after = int(rng() % (calls + 1));
    for (int call = 0; call < calls; ++call) {
      if (call == finalize_after) input.Finalize();
      std::vector<RestrictionCount> counts;
      const int size = int(rng() % 60);
      for (int at = 0; at < size; ++at) {
        counts.push_back({NodeId(rng() % nodes), Effect(rng() % kNumEffects),
                          std::uint32_t(rng() % 5)});
      }
      if (trial % 3 != 0) {  // mostly sorted by entity (ties in any effect order), as the stage
        std::stable_sort(counts.begin(), counts.end(),
                         [](const RestrictionCount& a, const RestrictionCount& b) {
                           return a.entity < b.entity;
                         });
      }
      input.SetRestrictions(counts);
      for (const RestrictionCount& count : counts) {
        expected[{count.entity, int(count.effect)}] = count.count;
      }
      for (NodeId node = 0; node < nodes + 70; ++node) {
        for (int effect = 0; effect < kNumEffects; ++effect) {
          auto found = expected.find({node, effect});
          EXPECT_EQ(input.restrictions(node, Effect(effect)),
                    found == expected.end() ? 0u : found->second)
              << "trial " << trial << " call " << call << " node " << node;
        }
      }
    }
    input.Finalize();
    for (const auto& [key, count] : expected) {
      EXPECT_EQ(input.restrictions(key.first, Effect(key.second)), count);
    }
  }
}

}  // namespace cg::core::scoring
