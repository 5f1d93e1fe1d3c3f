// Fellegi–Sunter match weights with m and u estimated unsupervised by EM over the histogram of
// comparison patterns (Fellegi & Sunter 1969; Winkler 1988; Enamorado, Fifield & Imai,
// "fastLink", APSR 2019 — EM on pattern counts; Splink's term-frequency adjustment).
// A comparison vector gives each field a level 0..L-1 (higher = more similar) or kNull
// (missing on either side, contributes nothing). Conditional independence given match status.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cg::core::resolve {

inline constexpr int kMaxFields = 8;
inline constexpr std::int8_t kNull = -1;

/// Levels of one comparison, packed: 4 bits per field (15 = null).
using Pattern = std::uint32_t;
Pattern PackPattern(const std::int8_t* levels, int num_fields);
std::int8_t PatternLevel(Pattern pattern, int field);

struct FieldSpec {
  std::string name;
  std::vector<std::string> levels;  // level names, index = level
};

struct FsParams {
  double lambda = 0.01;                 // prior probability that a candidate pair is a match
  std::vector<std::vector<double>> m;   // m[field][level] = P(level | match)
  std::vector<std::vector<double>> u;   // u[field][level] = P(level | non-match)
  int iterations = 0;                   // EM iterations run
  bool converged = false;
};

/// A plausible starting point: m rising and u falling with the level.
FsParams InitialParams(const std::vector<FieldSpec>& fields);

/// EM over (pattern, count) pairs. `fix_u` keeps u as given (Splink's random-sampling u).
/// Pseudo-counts (0.1% of the pairs, at least 1) pull m and u towards `start` (a Dirichlet
/// prior) so that a rare level cannot collapse to probability zero.
FsParams EstimateEm(const std::vector<std::pair<Pattern, std::uint64_t>>& histogram,
                    const std::vector<FieldSpec>& fields, FsParams start, int max_iterations,
                    double tolerance = 1e-7, bool fix_u = false);

/// log2 Bayes factor of one field's level (0 for null), made monotone in the level: a more
/// similar level never weighs less than a less similar one.
double FieldWeight(const FsParams& params, int field, std::int8_t level);
/// Sum of the field weights of a pattern (without the prior).
double PatternWeight(const FsParams& params, Pattern pattern, int num_fields);
/// FieldWeight of every field and level, computed once: scoring millions of pairs then costs
/// one table read per field instead of a logarithm per level. Of() gives exactly
/// PatternWeight() (the same doubles added in the same order).
class FieldWeights {
 public:
  FieldWeights() = default;
  FieldWeights(const FsParams& params, int num_fields);
  double Of(Pattern pattern) const {
    double weight = 0;
    for (int field = 0; field < num_fields_; ++field) weight += weight_[field][(pattern >> (4 * field)) & 15u];
    return weight;
  }

 private:
  int num_fields_ = 0;
  std::array<std::array<double, 16>, kMaxFields> weight_{};  // [field][nibble]; 15 (null): 0
};
/// log2(lambda / (1 - lambda)).
double PriorWeight(const FsParams& params);
/// Match probability of a total weight (prior included).
double WeightToProbability(double weight);

}  // namespace cg::core::resolve
