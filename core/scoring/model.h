// The composite credit rating model (scoring.md §1–§3): a YAML file of dimensions, indicators
// (function, arguments, weight, step table), grades with supervision classes and inspection
// rates, and one-vote vetoes. ParseModel() refuses any model that breaks the spec, with a
// message naming the indicator, grade or veto and the problem; harmless oddities (a list code
// no catalog knows) become warnings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/date.h"
#include "core/record.h"
#include "graph/types.h"

namespace cg::core::scoring {

enum class IndicatorFn : std::uint8_t {
  kCount,
  kDecayed,
  kYearsSince,
  kLatestGrade,
  kRestrictions,
  kRelatedRisk,
};
std::string_view ToString(IndicatorFn fn);

/// Effects of measures.md §3, as counted by `restrictions`.
enum class Effect : std::uint8_t { kPunish = 0, kReward = 1, kAlert = 2 };
inline constexpr int kNumEffects = 3;
std::string_view ToString(Effect effect);

/// One row of a step table: value >= threshold earns `points` (rows ascend by threshold).
struct StepRow {
  double threshold = 0;
  double points = 0;
};

/// Record filters of `count` and `decayed` (an empty vector means "any").
struct RecordFilter {
  std::vector<Polarity> polarity;           // list
  std::vector<std::string> lists;           // list (codes)
  std::vector<Severity> severity;           // penalty
  std::vector<CommitmentStatus> status;     // commitment
  std::vector<std::string> scheme;          // rating
  std::vector<std::string> grade;           // rating
  std::vector<std::string> domain;          // penalty, license, list (the list's domain)
};

struct Indicator {
  std::string dimension;  // id of the dimension it belongs to
  std::string id;
  IndicatorFn fn = IndicatorFn::kCount;
  // count, decayed
  RecordKind kind = RecordKind::kList;
  RecordFilter filter;
  // decayed: weight per key (penalty: severity name; list: list code; commitment: status;
  // rating: grade; license: domain); "default" applies to keys not named.
  std::map<std::string, double> weights;
  double half_life_days = 0;
  // years_since, latest_grade: the value when the fact is unknown
  double missing = 0;
  // latest_grade
  std::string scheme;
  std::map<std::string, double> grade_map;
  // restrictions
  Effect effect = Effect::kPunish;
  // related_risk
  double damping = 0.5;
  int steps = 3;

  double weight = 0;
  std::vector<StepRow> points;

  /// Points of the last row whose threshold is <= value; the first row below the first.
  /// A value less than kThresholdTolerance × max(1, |threshold|) below a threshold reaches it,
  /// so that rounding cannot flip a value that is mathematically on the threshold
  /// (0.5 × 0.1 computes to 0.049999999999999996, and 0.05 must earn the 0.05 row).
  double PointsFor(double value) const;
};

struct Grade {
  std::string grade;
  double min = 0;
  std::string klass;  // supervision class (`class` in YAML)
  double inspection_rate = 0;
};

struct Veto {
  std::vector<std::string> lists;
  std::string grade;
  int grade_index = 0;  // into Model::grades
};

struct Model {
  std::optional<Date> as_of;             // nullopt: the data set's as_of
  std::vector<std::string> dimensions;   // ids in file order
  std::vector<Indicator> indicators;     // in file order (dimension by dimension)
  std::vector<Grade> grades;             // min strictly descending
  std::vector<Veto> vetoes;
  std::vector<std::string> warnings;     // accepted but worth a look

  /// Index of the first grade whose min the score reaches (always exists: last min <= 0).
  int GradeFor(double score) const;
  /// Largest `steps` of any related_risk indicator (0 if none).
  int MaxRelatedSteps() const;
};

/// Parses and validates a model (scoring.md §1). Errors name the offending item.
absl::StatusOr<Model> ParseModel(std::string_view yaml_text);
/// Reads a model file (ParseModel on its contents).
absl::StatusOr<Model> LoadModel(const std::string& path);

/// Relative tolerance of step-table thresholds (see Indicator::PointsFor); thresholds of one
/// table must differ by more than 1000 times it.
inline constexpr double kThresholdTolerance = 1e-9;
/// The effective threshold: threshold − kThresholdTolerance × max(1, |threshold|).
double EffectiveThreshold(double threshold);

/// Tolerance on the sum of weights (which must be 10).
inline constexpr double kWeightSumTolerance = 1e-6;

}  // namespace cg::core::scoring
