// Counter-based randomness of the generator: every random choice is a pure function of
// (seed, stream, index), so any entity's attributes and records can be recomputed anywhere and
// the output does not depend on the thread count. Hashing is XXH3; streams are SplitMix64.
#pragma once

#include <cstdint>
#include <span>

#include "datasets/generator/tables.h"

namespace cg::datasets {

/// XXH3 of (seed, stream, index): a stable 64-bit key.
std::uint64_t HashKey(std::uint64_t seed, std::uint64_t stream, std::uint64_t index);

/// A small, fast generator (SplitMix64) started from a hashed key.
class Rng {
 public:
  explicit Rng(std::uint64_t key) : state_(key) {}
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
      : state_(HashKey(seed, stream, index)) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double Uniform() { return double(Next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  /// Uniform integer in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + std::int64_t(Below(std::uint64_t(hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }
  /// Index drawn with the given weights.
  std::size_t Pick(std::span<const tables::Weighted> items);

 private:
  std::uint64_t state_;
};

/// Streams (the `stream` argument of HashKey): one per independent decision family.
enum Stream : std::uint64_t {
  kStreamMarket = 1,
  kStreamStructure,
  kStreamPerson,
  kStreamPersonPerm,
  kStreamRecords,
  kStreamNoise,
  kStreamRisk,
};

}  // namespace cg::datasets
