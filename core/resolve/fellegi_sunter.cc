// Fellegi–Sunter EM (see fellegi_sunter.h).
#include "core/resolve/fellegi_sunter.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace cg::core::resolve {
namespace {
constexpr double kFloor = 1e-6;

void Normalize(std::vector<double>& probabilities) {
  double total = 0;
  for (double& p : probabilities) {
    p = std::max(p, kFloor);
    total += p;
  }
  for (double& p : probabilities) p /= total;
}
}  // namespace

Pattern PackPattern(const std::int8_t* levels, int num_fields) {
  Pattern pattern = 0;
  for (int field = 0; field < num_fields; ++field) {
    const std::uint32_t nibble = levels[field] < 0 ? 15u : static_cast<std::uint32_t>(levels[field]);
    pattern |= nibble << (4 * field);
  }
  return pattern;
}

std::int8_t PatternLevel(Pattern pattern, int field) {
  const std::uint32_t nibble = (pattern >> (4 * field)) & 15u;
  return nibble == 15u ? kNull : static_cast<std::int8_t>(nibble);
}

FsParams InitialParams(const std::vector<FieldSpec>& fields) {
  FsParams params;
  params.lambda = 0.1;
  for (const auto& field : fields) {
    const int levels = static_cast<int>(field.levels.size());
    std::vector<double> m(levels), u(levels);
    for (int level = 0; level < levels; ++level) {
      m[level] = std::pow(4.0, level);
      u[level] = std::pow(4.0, levels - 1 - level);
    }
    Normalize(m);
    Normalize(u);
    params.m.push_back(std::move(m));
    params.u.push_back(std::move(u));
  }
  return params;
}

double FieldWeight(const FsParams& params, int field, std::int8_t level) {
  if (level < 0) return 0.0;
  // Levels are ordered by similarity: a more similar level never weighs less (running max).
  double weight = std::log2(params.m[field][0] / params.u[field][0]);
  for (int l = 1; l <= level; ++l) {
    weight = std::max(weight, std::log2(params.m[field][l] / params.u[field][l]));
  }
  return weight;
}

FieldWeights::FieldWeights(const FsParams& params, int num_fields) : num_fields_(num_fields) {
  assert(num_fields <= kMaxFields && static_cast<int>(params.m.size()) >= num_fields);
  for (int field = 0; field < num_fields; ++field) {
    const int levels = std::min(15, static_cast<int>(params.m[field].size()));
    for (int level = 0; level < levels; ++level) {
      weight_[field][level] = FieldWeight(params, field, static_cast<std::int8_t>(level));
    }
  }
}

double PatternWeight(const FsParams& params, Pattern pattern, int num_fields) {
  double weight = 0;
  for (int field = 0; field < num_fields; ++field) {
    weight += FieldWeight(params, field, PatternLevel(pattern, field));
  }
  return weight;
}

double PriorWeight(const FsParams& params) {
  return std::log2(params.lambda / (1.0 - params.lambda));
}

double WeightToProbability(double weight) {
  const double odds = std::exp2(weight);
  return std::isinf(odds) ? 1.0 : odds / (1.0 + odds);
}

FsParams EstimateEm(const std::vector<std::pair<Pattern, std::uint64_t>>& histogram,
                    const std::vector<FieldSpec>& fields, FsParams params, int max_iterations,
                    double tolerance, bool fix_u) {
  const int num_fields = static_cast<int>(fields.size());
  assert(static_cast<int>(params.m.size()) == num_fields);
  double total = 0;
  for (const auto& [pattern, count] : histogram) total += static_cast<double>(count);
  if (total == 0) return params;
  params.converged = false;
  const double pseudo_count = std::max(1.0, 0.001 * total);
  const auto start_m = params.m;
  const auto start_u = params.u;
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    std::vector<std::vector<double>> m_acc(num_fields), u_acc(num_fields);
    for (int field = 0; field < num_fields; ++field) {
      m_acc[field].assign(fields[field].levels.size(), 0.0);
      u_acc[field].assign(fields[field].levels.size(), 0.0);
    }
    double matches = 0;
    const double prior = PriorWeight(params);
    for (const auto& [pattern, count] : histogram) {
      const double g = WeightToProbability(prior + PatternWeight(params, pattern, num_fields));
      const double n = static_cast<double>(count);
      matches += n * g;
      for (int field = 0; field < num_fields; ++field) {
        const std::int8_t level = PatternLevel(pattern, field);
        if (level < 0) continue;
        m_acc[field][level] += n * g;
        u_acc[field][level] += n * (1.0 - g);
      }
    }
    // Dirichlet pseudo-counts towards the start keep rare levels from collapsing to zero.
    for (int field = 0; field < num_fields; ++field) {
      for (std::size_t level = 0; level < m_acc[field].size(); ++level) {
        m_acc[field][level] += pseudo_count * start_m[field][level];
        u_acc[field][level] += pseudo_count * start_u[field][level];
      }
    }
    FsParams next = params;
    next.lambda = std::clamp(matches / total, 1e-9, 1.0 - 1e-9);
    double change = std::abs(next.lambda - params.lambda);
    for (int field = 0; field < num_fields; ++field) {
      next.m[field] = m_acc[field];
      Normalize(next.m[field]);
      if (!fix_u) {
        next.u[field] = u_acc[field];
        Normalize(next.u[field]);
      }
      for (std::size_t level = 0; level < next.m[field].size(); ++level) {
        change = std::max(change, std::abs(next.m[field][level] - params.m[field][level]));
        change = std::max(change, std::abs(next.u[field][level] - params.u[field][level]));
      }
    }
    next.iterations = iteration + 1;
    params = std::move(next);
    if (change < tolerance) {
      params.converged = true;
      break;
    }
  }
  return params;
}

}  // namespace cg::core::resolve
