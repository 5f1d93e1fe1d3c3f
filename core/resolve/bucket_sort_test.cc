// BucketSort against std::sort on random inputs of every shape the resolver sorts: spread
// hashes, hashes under a few skewed tag bytes, packed pairs of small ids, many equal keys, one
// key for everything, and sizes around the small-input cut-off.
#include "core/resolve/bucket_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

namespace cg::core::resolve {
namespace {

struct Entry {
  std::uint64_t key;
  std::uint32_t id;
  bool flag;
  friend bool operator==(const Entry&, const Entry&) = default;
};

bool Less(const Entry& x, const Entry& y) { return std::tie(x.key, x.id) < std::tie(y.key, y.id); }

void ExpectSortsLikeStdSort(std::vector<Entry> items) {
  std::vector<Entry> expected = items;
  std::sort(expected.begin(), expected.end(), Less);
  BucketSort(items, [](const Entry& e) { return e.key; }, Less);
  ASSERT_EQ(items.size(), expected.size());
  EXPECT_TRUE(items == expected);
}

TEST(BucketSort, SpreadHashes) {
  std::mt19937_64 rng(1);
  for (const std::size_t n : {0, 1, 2, 1000, 32767, 32768, 32769, 200000}) {
    std::vector<Entry> items(n);
    for (std::size_t i = 0; i < n; ++i) items[i] = {rng(), static_cast<std::uint32_t>(i), (rng() & 1) != 0};
    ExpectSortsLikeStdSort(items);
  }
}

TEST(BucketSort, SkewedTagBytes) {
  // The resolver's blocking keys: a tag in the top byte, most entries under two tags.
  std::mt19937_64 rng(2);
  const std::uint64_t tags[] = {'n', 'n', 'n', 'n', 't', 't', 'p', 'B', 'z'};
  std::vector<Entry> items(300000);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::uint64_t tag = tags[rng() % std::size(tags)];
    // Few distinct hashes per tag, so that keys repeat (blocks) and the ids order them.
    const std::uint64_t hash = (rng() % 5000) * 0x9E3779B97F4A7C15ULL >> 8;
    items[i] = {(tag << 56) | hash, static_cast<std::uint32_t>(rng() % 100000), false};
  }
  // Distinct (key, id): a total order, as the resolver's entries are.
  std::sort(items.begin(), items.end(), Less);
  items.erase(std::unique(items.begin(), items.end(),
                          [](const Entry& x, const Entry& y) { return x.key == y.key && x.id == y.id; }),
              items.end());
  std::shuffle(items.begin(), items.end(), rng);
  ExpectSortsLikeStdSort(items);
}

TEST(BucketSort, PackedPairsOfSmallIds) {
  std::mt19937_64 rng(3);
  std::vector<Entry> items(100000);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::uint64_t a = rng() % 3000, b = rng() % 3000;
    items[i] = {(a << 32) | b, static_cast<std::uint32_t>(i), false};
  }
  ExpectSortsLikeStdSort(items);
}

TEST(BucketSort, OneKeyForEverythingGoesToTheLargeBucketPath) {
  std::mt19937_64 rng(4);
  std::vector<Entry> items(600000);  // larger than the large-bucket threshold
  for (std::size_t i = 0; i < items.size(); ++i) items[i] = {42, static_cast<std::uint32_t>(rng()), false};
  ExpectSortsLikeStdSort(items);
}

TEST(BucketSort, ExtremeKeys) {
  std::mt19937_64 rng(5);
  std::vector<Entry> items(70000);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::uint64_t pick = rng() % 3;
    const std::uint64_t key = pick == 0 ? 0 : pick == 1 ? ~std::uint64_t{0} : rng();
    items[i] = {key, static_cast<std::uint32_t>(i), false};
  }
  ExpectSortsLikeStdSort(items);
}

TEST(BucketSort, PartsSortLikeTheirConcatenation) {
  std::mt19937_64 rng(6);
  for (const std::size_t parts_count : {1, 2, 3, 7}) {
    for (const std::size_t per_part : {0, 5, 20000, 70000}) {
      std::vector<std::vector<Entry>> parts(parts_count);
      std::vector<Entry> all;
      std::uint32_t id = 0;
      for (std::size_t p = 0; p < parts_count; ++p) {
        const std::size_t size = p == 1 ? 0 : per_part + rng() % 100;  // one empty part
        for (std::size_t i = 0; i < size; ++i) {
          parts[p].push_back({rng() >> (rng() % 40), id++, false});
          all.push_back(parts[p].back());
        }
      }
      std::sort(all.begin(), all.end(), Less);
      const std::vector<Entry> sorted = BucketSortParts<Entry>(parts, [](const Entry& e) { return e.key; }, Less);
      EXPECT_TRUE(sorted == all) << parts_count << " parts of ~" << per_part;
      for (const auto& part : parts) EXPECT_TRUE(part.empty());
    }
  }
}

TEST(SortSlices, SlicedBuffersSortLikeTheirConcatenation) {
  // Keys of every shape (a few tag bytes on top, as the resolver's blocking keys; spread; small;
  // one key for a whole slice), from several buffers, slices around the small-input cut-off.
  std::mt19937_64 rng(8);
  for (const int shape : {0, 1, 2, 3}) {
    for (const std::size_t buffers_count : {1, 2, 5}) {
      for (const std::size_t per_buffer : {0, 7, 30000, 90000}) {
        std::vector<SlicedBuffer<Entry>> buffers(buffers_count);
        std::vector<Entry> all;
        std::uint32_t id = 0;
        for (std::size_t b = 0; b < buffers_count; ++b) {
          for (std::size_t i = 0; i < per_buffer; ++i) {
            std::uint64_t key = rng();
            if (shape == 0) key = (std::uint64_t{'A' + rng() % 4} << 56) | (key >> 8);
            if (shape == 2) key >>= 40;
            if (shape == 3) key = (std::uint64_t{'V'} << 56) | (rng() % 3);
            const Entry entry{key, id++, (rng() & 1) != 0};
            buffers[b].push_back(key, entry);
            all.push_back(entry);
          }
        }
        std::sort(all.begin(), all.end(), Less);
        std::size_t released = 0;
        const std::vector<Entry> sorted = SortSlices<Entry, std::vector<Entry>>(
            buffers, [](const Entry& e) { return e.key; }, Less, [&](std::size_t count) { released += count; });
        EXPECT_TRUE(sorted == all) << "shape " << shape << ", " << buffers_count << " buffers of " << per_buffer;
        EXPECT_EQ(released, all.size());
        for (const auto& buffer : buffers) {
          for (std::size_t s = 0; s < SlicedBuffer<Entry>::kSlices; ++s) EXPECT_EQ(buffer.count(s), 0u);
        }
      }
    }
  }
}

TEST(MergeRuns, SortedRunsMergeLikeAStableSort) {
  // Records as an engine reads them: a few sources, each in key order, one after another;
  // keys repeat (ties keep their input order, as std::stable_sort keeps them).
  std::mt19937_64 rng(11);
  using Item = std::pair<std::uint32_t, std::uint32_t>;  // (key, position in the input)
  const auto by_key = [](const Item& x, const Item& y) { return x.first < y.first; };
  for (const std::size_t runs : {0, 1, 2, 3, 5, 8, 13, 40}) {
    for (int round = 0; round < 4; ++round) {
      std::vector<Item> items;
      for (std::size_t r = 0; r < runs; ++r) {
        std::vector<std::uint32_t> keys(rng() % (round == 0 ? 3 : 2000));
        for (auto& key : keys) key = static_cast<std::uint32_t>(rng() % (round == 1 ? 5 : 100000));
        std::sort(keys.begin(), keys.end());
        for (const auto key : keys) items.emplace_back(key, static_cast<std::uint32_t>(items.size()));
      }
      std::vector<Item> expected = items;
      std::stable_sort(expected.begin(), expected.end(), by_key);
      const std::size_t found = MergeRuns(items, by_key);
      EXPECT_LE(found, std::max<std::size_t>(runs, 1)) << runs;
      EXPECT_TRUE(items == expected) << runs << " runs, round " << round;
    }
  }
  // Too many runs: a comparison sort instead (a total order here, so the result is the same).
  std::vector<Item> shuffled;
  for (std::uint32_t i = 0; i < 5000; ++i) shuffled.emplace_back(static_cast<std::uint32_t>(rng()), i);
  std::vector<Item> expected = shuffled;
  std::sort(expected.begin(), expected.end());
  EXPECT_GT(MergeRuns(shuffled, std::less<Item>(), 16), 16u);
  EXPECT_TRUE(shuffled == expected);
}

}  // namespace
}  // namespace cg::core::resolve
