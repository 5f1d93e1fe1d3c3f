// SortByHighWord (node_sort.h) against std::stable_sort on the upper word, on small and random
// inputs (key ranges that need one, two and three passes; payloads that repeat).
#include "core/measures/node_sort.h"

#include <gtest/gtest.h>

#include <random>

namespace cg::core::measures {
namespace {

TEST(NodeSort, TinyAndEdgeCases) {
  std::vector<std::uint64_t> items, buffer;
  SortByHighWord(&items, &buffer, 10);
  EXPECT_TRUE(items.empty());
  items = {std::uint64_t{3} << 32 | 0, std::uint64_t{1} << 32 | 1, std::uint64_t{3} << 32 | 2,
           std::uint64_t{0} << 32 | 3, std::uint64_t{1} << 32 | 4};
  SortByHighWord(&items, &buffer, 4);
  const std::vector<std::uint64_t> expected = {
      std::uint64_t{0} << 32 | 3, std::uint64_t{1} << 32 | 1, std::uint64_t{1} << 32 | 4,
      std::uint64_t{3} << 32 | 0, std::uint64_t{3} << 32 | 2};
  EXPECT_EQ(items, expected);
  items = {7, 3, 5};  // one key (0): nothing moves
  SortByHighWord(&items, &buffer, 1);
  EXPECT_EQ(items, (std::vector<std::uint64_t>{7, 3, 5}));
}

TEST(NodeSort, StableLikeStdStableSortOnRandomInputs) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 60; ++trial) {
    const std::uint64_t num_keys =
        trial % 3 == 0 ? 1 + rng() % 50 : (trial % 3 == 1 ? 1 + rng() % 5'000'000 : 1 + (rng() >> 32));
    const std::size_t size = rng() % 3000;
    std::vector<std::uint64_t> items(size), buffer;
    for (std::uint64_t& item : items) item = (rng() % num_keys) << 32 | (rng() % 64);
    std::vector<std::uint64_t> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](std::uint64_t left, std::uint64_t right) { return (left >> 32) < (right >> 32); });
    SortByHighWord(&items, &buffer, num_keys);
    ASSERT_EQ(items, expected) << "trial " << trial << " keys " << num_keys;
  }
}

// Inputs of 64 K items and more take the parallel path (chunked counts and scatters).
TEST(NodeSort, ParallelPathLikeStdStableSort) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 6; ++trial) {
    const std::uint64_t num_keys = trial % 2 == 0 ? 1 + rng() % 3'000'000 : 1 + rng() % 700;
    const std::size_t size = (std::size_t{1} << 16) + rng() % 300'000;
    std::vector<std::uint64_t> items(size), buffer;
    for (std::uint64_t& item : items) item = (rng() % num_keys) << 32 | (rng() % 1000);
    std::vector<std::uint64_t> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](std::uint64_t left, std::uint64_t right) { return (left >> 32) < (right >> 32); });
    SortByHighWord(&items, &buffer, num_keys);
    ASSERT_EQ(items, expected) << "trial " << trial << " keys " << num_keys;
  }
}

}  // namespace
}  // namespace cg::core::measures
