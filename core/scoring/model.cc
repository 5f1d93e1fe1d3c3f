// Model YAML parsing and validation (scoring.md §1–§3).
#include "core/scoring/model.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cg::core::scoring {
namespace {

constexpr std::string_view kFnNames[] = {"count",        "decayed",      "years_since",
                                         "latest_grade", "restrictions", "related_risk"};
constexpr std::string_view kEffectNames[] = {"punish", "reward", "alert"};

absl::Status Bad(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("scoring model: ", std::string(where), ": ", std::string(what)));
}

std::optional<IndicatorFn> ParseFn(std::string_view text) {
  for (int index = 0; index < 6; ++index) {
    if (kFnNames[index] == text) return IndicatorFn(index);
  }
  return std::nullopt;
}

absl::StatusOr<double> Number(const YAML::Node& node, std::string_view where) {
  if (!node.IsScalar()) return Bad(where, "expected a number");
  try {
    double value = node.as<double>();
    if (!std::isfinite(value)) return Bad(where, "expected a finite number");
    return value;
  } catch (const YAML::Exception&) {
    return Bad(where, absl::StrCat("expected a number, got '", node.Scalar(), "'"));
  }
}

absl::StatusOr<std::string> Text(const YAML::Node& node, std::string_view where) {
  if (!node.IsScalar() || node.Scalar().empty()) return Bad(where, "expected a non-empty text");
  return node.Scalar();
}

// A scalar or a sequence of scalars, as a list of texts.
absl::StatusOr<std::vector<std::string>> Texts(const YAML::Node& node, std::string_view where) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return Bad(where, "expected a text or a list of texts");
      out.push_back(item.Scalar());
    }
  } else {
    return Bad(where, "expected a text or a list of texts");
  }
  if (out.empty()) return Bad(where, "the list is empty");
  for (const std::string& text : out) {
    if (text.empty()) return Bad(where, "an empty text");
  }
  return out;
}

absl::StatusOr<double> HalfLife(const YAML::Node& node, std::string_view where) {
  if (!node.IsScalar()) return Bad(where, "expected a period such as 1y, 6m, 90d");
  std::optional<Period> period = ParsePeriod(node.Scalar());
  if (!period) {
    return Bad(where, absl::StrCat("'", node.Scalar(), "' is not a period such as 1y, 6m, 90d"));
  }
  double days = ApproxDays(*period);
  if (!(days > 0)) return Bad(where, "the half-life must be longer than 0 days");
  return days;
}

bool KindHasDates(RecordKind kind) {
  return kind == RecordKind::kList || kind == RecordKind::kPenalty ||
         kind == RecordKind::kLicense || kind == RecordKind::kCommitment ||
         kind == RecordKind::kRating;
}

// The filters of count/decayed and the kinds they apply to.
struct FilterSpec {
  std::string_view name;
  std::vector<RecordKind> kinds;
};
const std::vector<FilterSpec>& FilterSpecs() {
  static const std::vector<FilterSpec> specs = {
      {"polarity", {RecordKind::kList}},
      {"list", {RecordKind::kList}},
      {"severity", {RecordKind::kPenalty}},
      {"status", {RecordKind::kCommitment}},
      {"scheme", {RecordKind::kRating}},
      {"grade", {RecordKind::kRating}},
      {"domain", {RecordKind::kPenalty, RecordKind::kLicense, RecordKind::kList}},
  };
  return specs;
}

absl::Status ParseFilter(const std::string& key, const YAML::Node& value, RecordKind kind,
                         const std::string& where, Indicator& indicator) {
  const FilterSpec* spec = nullptr;
  for (const FilterSpec& candidate : FilterSpecs()) {
    if (candidate.name == key) spec = &candidate;
  }
  if (spec == nullptr) return Bad(where, absl::StrCat("unknown argument '", key, "'"));
  if (std::find(spec->kinds.begin(), spec->kinds.end(), kind) == spec->kinds.end()) {
    return Bad(where, absl::StrCat("argument '", key, "' does not apply to kind '",
                                   std::string(ToString(kind)), "'"));
  }
  auto texts = Texts(value, absl::StrCat(where, ": ", key));
  if (!texts.ok()) return texts.status();
  RecordFilter& filter = indicator.filter;
  for (const std::string& text : *texts) {
    if (key == "polarity") {
      if (text == "black") filter.polarity.push_back(Polarity::kBlack);
      else if (text == "red") filter.polarity.push_back(Polarity::kRed);
      else if (text == "unknown") filter.polarity.push_back(Polarity::kUnknown);
      else return Bad(where, absl::StrCat("polarity '", text, "' is not black, red or unknown"));
    } else if (key == "severity") {
      auto severity = ParseSeverity(text);
      if (!severity || *severity == Severity::kNone) {
        return Bad(where, absl::StrCat("severity '", text, "' is not minor, general or serious"));
      }
      filter.severity.push_back(*severity);
    } else if (key == "status") {
      auto status = ParseCommitmentStatus(text);
      if (!status || *status == CommitmentStatus::kNone) {
        return Bad(where, absl::StrCat("status '", text, "' is not pending, kept or breached"));
      }
      filter.status.push_back(*status);
    } else if (key == "list") {
      filter.lists.push_back(text);
    } else if (key == "scheme") {
      filter.scheme.push_back(text);
    } else if (key == "grade") {
      filter.grade.push_back(text);
    } else {
      filter.domain.push_back(text);
    }
  }
  return absl::OkStatus();
}

absl::Status ParseArgs(const YAML::Node& args, const std::string& where, Model& model,
                       Indicator& indicator) {
  if (args && !args.IsNull() && !args.IsMap()) return Bad(where, "args must be a mapping");
  std::map<std::string, YAML::Node> given;
  if (args && args.IsMap()) {
    for (const auto& entry : args) given[entry.first.as<std::string>()] = entry.second;
  }
  auto take = [&](const std::string& key) -> YAML::Node {
    auto found = given.find(key);
    if (found == given.end()) return YAML::Node(YAML::NodeType::Undefined);
    YAML::Node node = found->second;
    given.erase(found);
    return node;
  };
  // `missing`: the value of years_since / latest_grade when the entity has no data.
  auto take_missing = [&]() -> absl::Status {
    YAML::Node missing = take("missing");
    if (!missing) return absl::OkStatus();
    auto value = Number(missing, where + ": missing");
    if (!value.ok()) return value.status();
    indicator.missing = *value;
    return absl::OkStatus();
  };
  switch (indicator.fn) {
    case IndicatorFn::kCount:
    case IndicatorFn::kDecayed: {
      YAML::Node kind_node = take("kind");
      if (!kind_node) return Bad(where, "args.kind is required (list, penalty, license, commitment or rating)");
      auto kind_text = Text(kind_node, where + ": kind");
      if (!kind_text.ok()) return kind_text.status();
      auto kind = ParseRecordKind(*kind_text);
      if (!kind || !KindHasDates(*kind)) {
        return Bad(where, absl::StrCat("kind '", *kind_text,
                                       "' is not list, penalty, license, commitment or rating"));
      }
      indicator.kind = *kind;
      if (indicator.fn == IndicatorFn::kDecayed) {
        YAML::Node weights = take("weights");
        if (!weights || !weights.IsMap() || weights.size() == 0) {
          return Bad(where, "args.weights is required: a mapping such as {minor: 1, serious: 10}");
        }
        for (const auto& entry : weights) {
          std::string key = entry.first.as<std::string>();
          auto weight = Number(entry.second, where + ": weights." + key);
          if (!weight.ok()) return weight.status();
          if (*weight < 0) return Bad(where, absl::StrCat("weights.", key, " is negative"));
          if (indicator.kind == RecordKind::kPenalty && key != "default") {
            auto severity = ParseSeverity(key);
            if (!severity || *severity == Severity::kNone) {
              return Bad(where, absl::StrCat("weights key '", key,
                                             "' is not minor, general, serious or default"));
            }
          }
          if (indicator.kind == RecordKind::kCommitment && key != "default") {
            auto status = ParseCommitmentStatus(key);
            if (!status || *status == CommitmentStatus::kNone) {
              return Bad(where, absl::StrCat("weights key '", key,
                                             "' is not pending, kept, breached or default"));
            }
          }
          indicator.weights[key] = *weight;
        }
        YAML::Node half_life = take("half_life");
        if (!half_life) return Bad(where, "args.half_life is required (e.g. 1y)");
        auto days = HalfLife(half_life, where + ": half_life");
        if (!days.ok()) return days.status();
        indicator.half_life_days = *days;
      }
      for (auto& [key, value] : given) {
        absl::Status status = ParseFilter(key, value, indicator.kind, where, indicator);
        if (!status.ok()) return status;
      }
      given.clear();
      for (const std::string& code : indicator.filter.lists) {
        if (FindList(code) == nullptr) {
          model.warnings.push_back(
              absl::StrCat(where, ": list '", code, "' is not a list of catalog.md §5"));
        }
      }
      break;
    }
    case IndicatorFn::kYearsSince: {
      if (auto status = take_missing(); !status.ok()) return status;
      break;
    }
    case IndicatorFn::kLatestGrade: {
      YAML::Node scheme = take("scheme");
      if (!scheme) return Bad(where, "args.scheme is required (e.g. tax)");
      auto text = Text(scheme, where + ": scheme");
      if (!text.ok()) return text.status();
      indicator.scheme = *text;
      YAML::Node map = take("map");
      if (!map || !map.IsMap() || map.size() == 0) {
        return Bad(where, "args.map is required: grade -> value, e.g. {A: 4, B: 3, C: 1, D: 0}");
      }
      for (const auto& entry : map) {
        std::string key = entry.first.as<std::string>();
        auto value = Number(entry.second, where + ": map." + key);
        if (!value.ok()) return value.status();
        indicator.grade_map[key] = *value;
      }
      if (auto status = take_missing(); !status.ok()) return status;
      break;
    }
    case IndicatorFn::kRestrictions: {
      YAML::Node effect = take("effect");
      if (effect) {
        auto text = Text(effect, where + ": effect");
        if (!text.ok()) return text.status();
        bool found = false;
        for (int index = 0; index < kNumEffects; ++index) {
          if (kEffectNames[index] == *text) {
            indicator.effect = Effect(index);
            found = true;
          }
        }
        if (!found) return Bad(where, absl::StrCat("effect '", *text, "' is not punish, reward or alert"));
      }
      break;
    }
    case IndicatorFn::kRelatedRisk: {
      YAML::Node damping = take("damping");
      if (damping) {
        auto value = Number(damping, where + ": damping");
        if (!value.ok()) return value.status();
        if (!(*value > 0 && *value <= 1)) return Bad(where, "damping must be in (0, 1]");
        indicator.damping = *value;
      }
      YAML::Node steps = take("steps");
      if (steps) {
        auto value = Number(steps, where + ": steps");
        if (!value.ok()) return value.status();
        if (*value != std::floor(*value) || *value < 1 || *value > 10) {
          return Bad(where, "steps must be a whole number from 1 to 10");
        }
        indicator.steps = static_cast<int>(*value);
      }
      break;
    }
  }
  if (!given.empty()) {
    return Bad(where, absl::StrCat("unknown argument '", given.begin()->first, "' for fn ",
                                   std::string(ToString(indicator.fn))));
  }
  return absl::OkStatus();
}

absl::Status CheckKeys(const YAML::Node& node, const std::set<std::string>& allowed,
                       const std::string& where) {
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (!allowed.count(key)) {
      return Bad(where, absl::StrCat("unknown key '", key, "' (allowed: ",
                                     absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseIndicator(const YAML::Node& node, const std::string& dimension, Model& model) {
  std::string where = absl::StrCat("dimension '", dimension, "'");
  if (!node.IsMap()) return Bad(where, "each indicator must be a mapping");
  Indicator indicator;
  indicator.dimension = dimension;
  if (!node["id"]) return Bad(where, "an indicator has no id");
  auto id = Text(node["id"], where + ": indicator id");
  if (!id.ok()) return id.status();
  indicator.id = *id;
  where = absl::StrCat("indicator '", indicator.id, "'");
  if (absl::Status status = CheckKeys(node, {"id", "fn", "args", "weight", "points"}, where);
      !status.ok()) {
    return status;
  }
  for (const Indicator& other : model.indicators) {
    if (other.id == indicator.id) return Bad(where, "the id is used twice");
  }
  if (!node["fn"]) return Bad(where, "fn is required");
  auto fn_text = Text(node["fn"], where + ": fn");
  if (!fn_text.ok()) return fn_text.status();
  auto fn = ParseFn(*fn_text);
  if (!fn) {
    return Bad(where, absl::StrCat("unknown fn '", *fn_text, "' (count, decayed, years_since, "
                                   "latest_grade, restrictions, related_risk)"));
  }
  indicator.fn = *fn;
  if (absl::Status status = ParseArgs(node["args"], where, model, indicator); !status.ok()) {
    return status;
  }
  if (!node["weight"]) return Bad(where, "weight is required");
  auto weight = Number(node["weight"], where + ": weight");
  if (!weight.ok()) return weight.status();
  if (*weight < 0) return Bad(where, "weight is negative");
  indicator.weight = *weight;
  YAML::Node points = node["points"];
  if (!points || !points.IsSequence() || points.size() == 0) {
    return Bad(where, "points is required: rows [threshold, points] ascending by threshold");
  }
  for (std::size_t row = 0; row < points.size(); ++row) {
    std::string row_where = absl::StrCat(where, ": points row ", row + 1);
    if (!points[row].IsSequence() || points[row].size() != 2) {
      return Bad(row_where, "a row is [threshold, points]");
    }
    auto threshold = Number(points[row][0], row_where + " threshold");
    if (!threshold.ok()) return threshold.status();
    auto value = Number(points[row][1], row_where + " points");
    if (!value.ok()) return value.status();
    if (*value < 0 || *value > 100) return Bad(row_where, "points must be from 0 to 100");
    if (!indicator.points.empty() && !(*threshold > indicator.points.back().threshold)) {
      return Bad(row_where, "thresholds must ascend strictly (points not ascending)");
    }
    if (!indicator.points.empty() &&
        *threshold - indicator.points.back().threshold <=
            1000 * kThresholdTolerance * std::max({1.0, std::abs(*threshold),
                                                   std::abs(indicator.points.back().threshold)})) {
      return Bad(row_where, "thresholds closer than 1e-6 (relative) cannot be told apart");
    }
    indicator.points.push_back({*threshold, *value});
  }
  model.indicators.push_back(std::move(indicator));
  return absl::OkStatus();
}

}  // namespace

std::string_view ToString(IndicatorFn fn) { return kFnNames[static_cast<int>(fn)]; }
std::string_view ToString(Effect effect) { return kEffectNames[static_cast<int>(effect)]; }

double EffectiveThreshold(double threshold) {
  return threshold - kThresholdTolerance * std::max(1.0, std::abs(threshold));
}

double Indicator::PointsFor(double value) const {
  // Last row whose (effective) threshold <= value; rows ascend, so a binary search finds it.
  auto after = std::upper_bound(points.begin(), points.end(), value,
                                [](double target, const StepRow& row) {
                                  return target < EffectiveThreshold(row.threshold);
                                });
  if (after == points.begin()) return points.front().points;
  return std::prev(after)->points;
}

int Model::GradeFor(double score) const {
  for (std::size_t index = 0; index < grades.size(); ++index) {
    if (score >= grades[index].min) return static_cast<int>(index);
  }
  return static_cast<int>(grades.size()) - 1;  // unreachable for a validated model
}

int Model::MaxRelatedSteps() const {
  int steps = 0;
  for (const Indicator& indicator : indicators) {
    if (indicator.fn == IndicatorFn::kRelatedRisk) steps = std::max(steps, indicator.steps);
  }
  return steps;
}

absl::StatusOr<Model> ParseModel(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    return Bad("YAML", error.what());
  }
  if (!root.IsMap()) return Bad("top level", "expected a mapping with dimensions, grades, vetoes");
  Model model;
  try {
    if (absl::Status status = CheckKeys(root, {"as_of", "dimensions", "grades", "vetoes"},
                                        "top level");
        !status.ok()) {
      return status;
    }
    if (root["as_of"] && !root["as_of"].IsNull()) {
      auto date = root["as_of"].IsScalar() ? ParseDate(root["as_of"].Scalar()) : std::nullopt;
      if (!date) return Bad("as_of", "expected null or a date such as 2025-06-30");
      model.as_of = *date;
    }
    YAML::Node dimensions = root["dimensions"];
    if (!dimensions || !dimensions.IsSequence() || dimensions.size() == 0) {
      return Bad("dimensions", "at least one dimension is required");
    }
    for (const YAML::Node& dimension : dimensions) {
      if (!dimension.IsMap() || !dimension["id"]) return Bad("dimensions", "each needs an id");
      auto id = Text(dimension["id"], "dimension id");
      if (!id.ok()) return id.status();
      std::string where = absl::StrCat("dimension '", *id, "'");
      if (absl::Status status = CheckKeys(dimension, {"id", "name", "indicators"}, where);
          !status.ok()) {
        return status;
      }
      if (std::find(model.dimensions.begin(), model.dimensions.end(), *id) !=
          model.dimensions.end()) {
        return Bad(where, "the id is used twice");
      }
      model.dimensions.push_back(*id);
      YAML::Node indicators = dimension["indicators"];
      if (!indicators || !indicators.IsSequence() || indicators.size() == 0) {
        return Bad(where, "at least one indicator is required");
      }
      for (const YAML::Node& indicator : indicators) {
        if (absl::Status status = ParseIndicator(indicator, *id, model); !status.ok()) {
          return status;
        }
      }
    }
    double weight_sum = 0;
    for (const Indicator& indicator : model.indicators) weight_sum += indicator.weight;
    if (std::abs(weight_sum - 10.0) > kWeightSumTolerance) {
      return Bad("weights", absl::StrCat("the indicators' weights add up to ", weight_sum,
                                         ", not 10 (points 0-100 x weights 10 = scores 0-1000)"));
    }
    YAML::Node grades = root["grades"];
    if (!grades || !grades.IsSequence() || grades.size() == 0) {
      return Bad("grades", "at least one grade is required");
    }
    for (const YAML::Node& node : grades) {
      if (!node.IsMap() || !node["grade"]) return Bad("grades", "each grade needs a name (grade)");
      Grade grade;
      auto name = Text(node["grade"], "grade name");
      if (!name.ok()) return name.status();
      grade.grade = *name;
      std::string where = absl::StrCat("grade '", grade.grade, "'");
      if (absl::Status status =
              CheckKeys(node, {"grade", "min", "class", "inspection_rate"}, where);
          !status.ok()) {
        return status;
      }
      for (const Grade& other : model.grades) {
        if (other.grade == grade.grade) return Bad(where, "the grade is named twice");
      }
      if (!node["min"]) return Bad(where, "min is required");
      auto min = Number(node["min"], where + ": min");
      if (!min.ok()) return min.status();
      grade.min = *min;
      if (!model.grades.empty() && !(grade.min < model.grades.back().min)) {
        return Bad(where, "grades must be listed with min strictly descending");
      }
      if (!node["class"]) return Bad(where, "class is required");
      auto klass = Text(node["class"], where + ": class");
      if (!klass.ok()) return klass.status();
      grade.klass = *klass;
      if (!node["inspection_rate"]) return Bad(where, "inspection_rate is required");
      auto rate = Number(node["inspection_rate"], where + ": inspection_rate");
      if (!rate.ok()) return rate.status();
      if (*rate < 0 || *rate > 1) return Bad(where, "inspection_rate must be in [0, 1]");
      grade.inspection_rate = *rate;
      model.grades.push_back(std::move(grade));
    }
    if (model.grades.back().min > 0) {
      return Bad(absl::StrCat("grade '", model.grades.back().grade, "'"),
                 "the last grade's min must be <= 0 so that every score gets a grade");
    }
    // Grades sharing a class must share its inspection rate (the draw is per class).
    for (const Grade& first : model.grades) {
      for (const Grade& second : model.grades) {
        if (first.klass == second.klass && first.inspection_rate != second.inspection_rate) {
          return Bad(absl::StrCat("grade '", second.grade, "'"),
                     absl::StrCat("class '", second.klass, "' has two inspection rates"));
        }
      }
    }
    YAML::Node vetoes = root["vetoes"];
    if (vetoes && !vetoes.IsNull()) {
      if (!vetoes.IsSequence()) return Bad("vetoes", "expected a list");
      for (std::size_t index = 0; index < vetoes.size(); ++index) {
        const YAML::Node& node = vetoes[index];
        std::string where = absl::StrCat("veto ", index + 1);
        if (!node.IsMap()) return Bad(where, "expected {lists: [...], grade: X}");
        if (absl::Status status = CheckKeys(node, {"lists", "grade"}, where); !status.ok()) {
          return status;
        }
        Veto veto;
        if (!node["lists"]) return Bad(where, "lists is required");
        auto lists = Texts(node["lists"], where + ": lists");
        if (!lists.ok()) return lists.status();
        veto.lists = *lists;
        for (const std::string& code : veto.lists) {
          if (FindList(code) == nullptr) {
            model.warnings.push_back(
                absl::StrCat(where, ": list '", code, "' is not a list of catalog.md §5"));
          }
        }
        if (!node["grade"]) return Bad(where, "grade is required");
        auto grade = Text(node["grade"], where + ": grade");
        if (!grade.ok()) return grade.status();
        veto.grade = *grade;
        veto.grade_index = -1;
        for (std::size_t position = 0; position < model.grades.size(); ++position) {
          if (model.grades[position].grade == veto.grade) veto.grade_index = int(position);
        }
        if (veto.grade_index < 0) {
          return Bad(where, absl::StrCat("grade '", veto.grade, "' is not one of the grades"));
        }
        model.vetoes.push_back(std::move(veto));
      }
    }
  } catch (const YAML::Exception& error) {
    return Bad("YAML", error.what());
  }
  return model;
}

absl::StatusOr<Model> LoadModel(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("scoring model: cannot read '", path,
                                            "'; give the path of a model YAML file"));
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  return ParseModel(buffer.str());
}

}  // namespace cg::core::scoring
