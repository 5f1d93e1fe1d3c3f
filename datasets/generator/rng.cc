// Counter-based randomness (see rng.h).
#include "datasets/generator/rng.h"

#include <xxhash.h>

namespace cg::datasets {

std::uint64_t HashKey(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const std::uint64_t words[2] = {stream, index};
  return XXH3_64bits_withSeed(words, sizeof(words), seed);
}

std::size_t Rng::Pick(std::span<const tables::Weighted> items) {
  double total = 0;
  for (const auto& item : items) total += item.weight;
  double target = Uniform() * total;
  for (std::size_t index = 0; index < items.size(); ++index) {
    target -= items[index].weight;
    if (target < 0) return index;
  }
  return items.size() - 1;
}

}  // namespace cg::datasets
