// EM on a synthetic two-class mixture: the estimated m, u and lambda must come back close to
// the ones the patterns were drawn from.
#include "core/resolve/fellegi_sunter.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace cg::core::resolve {
namespace {

TEST(FellegiSunter, PatternPacking) {
  const std::int8_t levels[] = {3, kNull, 0, 1};
  const Pattern pattern = PackPattern(levels, 4);
  for (int f = 0; f < 4; ++f) EXPECT_EQ(PatternLevel(pattern, f), levels[f]);
}

TEST(FellegiSunter, EmRecoversMixture) {
  const std::vector<FieldSpec> fields = {{"a", {"0", "1", "2"}}, {"b", {"0", "1"}},
                                         {"c", {"0", "1", "2", "3"}}, {"d", {"0", "1"}}};
  FsParams truth;
  truth.lambda = 0.2;
  truth.m = {{0.05, 0.15, 0.8}, {0.1, 0.9}, {0.05, 0.05, 0.2, 0.7}, {0.3, 0.7}};
  truth.u = {{0.7, 0.2, 0.1}, {0.8, 0.2}, {0.5, 0.3, 0.15, 0.05}, {0.9, 0.1}};
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> unit(0, 1);
  std::map<Pattern, std::uint64_t> counts;
  for (int pair = 0; pair < 200000; ++pair) {
    const bool match = unit(rng) < truth.lambda;
    std::int8_t levels[4];
    for (int f = 0; f < 4; ++f) {
      const auto& probabilities = match ? truth.m[f] : truth.u[f];
      std::discrete_distribution<int> draw(probabilities.begin(), probabilities.end());
      levels[f] = static_cast<std::int8_t>(draw(rng));
      if (f == 3 && unit(rng) < 0.2) levels[f] = kNull;  // missing values are ignored
    }
    ++counts[PackPattern(levels, 4)];
  }
  std::vector<std::pair<Pattern, std::uint64_t>> histogram(counts.begin(), counts.end());
  const FsParams estimate = EstimateEm(histogram, fields, InitialParams(fields), 1000);
  EXPECT_NEAR(estimate.lambda, truth.lambda, 0.02);
  for (int f = 0; f < 4; ++f) {
    for (std::size_t level = 0; level < truth.m[f].size(); ++level) {
      EXPECT_NEAR(estimate.m[f][level], truth.m[f][level], 0.03) << "m field " << f << " level " << level;
      EXPECT_NEAR(estimate.u[f][level], truth.u[f][level], 0.03) << "u field " << f << " level " << level;
    }
  }
}

TEST(FellegiSunter, WeightsAreLogRatios) {
  FsParams params;
  params.lambda = 0.5;
  params.m = {{0.2, 0.8}};
  params.u = {{0.8, 0.2}};
  EXPECT_DOUBLE_EQ(FieldWeight(params, 0, 1), 2.0);
  EXPECT_DOUBLE_EQ(FieldWeight(params, 0, 0), -2.0);
  EXPECT_DOUBLE_EQ(FieldWeight(params, 0, kNull), 0.0);
  EXPECT_DOUBLE_EQ(PriorWeight(params), 0.0);
  EXPECT_DOUBLE_EQ(WeightToProbability(0.0), 0.5);
}

TEST(FellegiSunter, FieldWeightTableEqualsPatternWeightBitForBit) {
  // Random parameters (non-monotone m/u, so the running maximum matters) and random patterns
  // with nulls: the table's sum must be the very same double as PatternWeight's.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> unit(0.001, 1);
  for (int trial = 0; trial < 50; ++trial) {
    const int num_fields = 1 + static_cast<int>(rng() % kMaxFields);
    FsParams params;
    std::vector<int> levels(num_fields);
    for (int f = 0; f < num_fields; ++f) {
      levels[f] = 2 + static_cast<int>(rng() % 5);
      std::vector<double> m(levels[f]), u(levels[f]);
      for (int l = 0; l < levels[f]; ++l) m[l] = unit(rng), u[l] = unit(rng);
      params.m.push_back(m);
      params.u.push_back(u);
    }
    const FieldWeights table(params, num_fields);
    for (int draw = 0; draw < 200; ++draw) {
      std::int8_t pattern_levels[kMaxFields];
      for (int f = 0; f < num_fields; ++f) {
        pattern_levels[f] = rng() % 4 == 0 ? kNull : static_cast<std::int8_t>(rng() % levels[f]);
      }
      const Pattern pattern = PackPattern(pattern_levels, num_fields);
      ASSERT_EQ(table.Of(pattern), PatternWeight(params, pattern, num_fields)) << "trial " << trial;
    }
  }
}

}  // namespace
}  // namespace cg::core::resolve
