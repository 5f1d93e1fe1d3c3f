// creditgraph._core.scoring: the composite credit rating (scoring.md) for Python.
// Thin: columns in (lists of ints and texts), columns out (numpy arrays, lists); the GIL is
// released around model parsing of big inputs, the batch scoring and the draw.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/date.h"
#include "core/labels.h"
#include "core/scoring/input.h"
#include "core/scoring/model.h"
#include "core/scoring/scorer.h"
#include "graph/csr_builder.h"

namespace py = pybind11;

namespace {

using cg::core::scoring::Model;
using cg::core::scoring::Scorer;

cg::Date DateOrNone(const std::string& text, const char* column) {
  if (text.empty()) return cg::kNoDate;
  auto date = cg::core::ParseDate(text);
  if (!date) {
    throw cg::py_bind::InputError(std::string("scoring: column ") + column + ": '" + text +
                                  "' is not a date (use 2025-06-30)");
  }
  return *date;
}

Model ParseOrThrow(const std::string& yaml) {
  auto model = cg::core::scoring::ParseModel(yaml);
  cg::py_bind::ThrowIfError(model.status());
  return *std::move(model);
}

using Columns = std::map<std::string, std::vector<std::string>>;
/// Date columns given as days since 1970-01-01 (numpy datetime64[D] as int64); INT64_MIN = none.
using DateColumns = std::map<std::string, std::vector<std::int64_t>>;

// The date of `name` at `row`: from the day-number column if given, else parsed from text.
struct DateSource {
  const Columns& texts;
  const DateColumns& days;
  std::size_t rows;
  cg::Date At(const std::string& name, std::size_t row) const {
    auto found = days.find(name);
    if (found != days.end()) {
      if (found->second.size() != rows) {
        throw cg::py_bind::InputError("scoring: column " + name + " has a different length");
      }
      const std::int64_t value = found->second[row];
      if (value == std::numeric_limits<std::int64_t>::min()) return cg::kNoDate;
      return static_cast<cg::Date>(value);
    }
    auto text = texts.find(name);
    if (text == texts.end()) return cg::kNoDate;
    if (text->second.size() != rows) {
      throw cg::py_bind::InputError("scoring: column " + name + " has a different length");
    }
    return DateOrNone(text->second[row], name.c_str());
  }
};

const std::vector<std::string>& Column(const Columns& columns, const std::string& name,
                                       std::size_t rows) {
  static const std::vector<std::string> kEmpty;
  auto found = columns.find(name);
  if (found == columns.end()) return kEmpty;
  if (found->second.size() != rows) {
    throw cg::py_bind::InputError("scoring: column " + name + " has a different length");
  }
  return found->second;
}

std::string Cell(const std::vector<std::string>& column, std::size_t row) {
  return column.empty() ? std::string() : column[row];
}

// Builds the Scorer from columns (see scoring.py for the column names) and scores everything.
std::unique_ptr<Scorer> Build(const std::string& model_yaml, const std::string& as_of,
                              int max_years,
                              const std::vector<std::tuple<std::string, std::string, std::string>>& escalations,
                              const std::vector<std::uint32_t>& entity_ids, const Columns& entities,
                              const DateColumns& entity_days,
                              const std::vector<std::uint32_t>& fact_ids, const Columns& facts,
                              const DateColumns& fact_days,
                              const std::vector<std::uint32_t>& edge_src,
                              const std::vector<std::uint32_t>& edge_dst,
                              const std::vector<std::string>& edge_label,
                              const std::vector<std::uint32_t>& restriction_ids,
                              const std::vector<std::string>& restriction_effect,
                              const std::vector<std::uint32_t>& restriction_count,
                              const std::vector<std::tuple<std::string, std::string, std::string>>& lists) {
  Model model = ParseOrThrow(model_yaml);
  cg::core::scoring::ScoringParams params;
  if (max_years < 1) throw cg::py_bind::InputError("scoring: max_years must be at least 1");
  params.max_years = max_years;
  for (const auto& [from, after, to] : escalations) {
    auto period = cg::core::ParsePeriod(after);
    if (!period) throw cg::py_bind::InputError("scoring: escalation period '" + after + "' is not like 3y");
    params.escalations.push_back({from, *period, to});
  }
  for (const auto& [code, polarity, domain] : lists) {
    cg::core::Polarity parsed = cg::core::Polarity::kUnknown;
    if (polarity == "black") parsed = cg::core::Polarity::kBlack;
    else if (polarity == "red") parsed = cg::core::Polarity::kRed;
    else if (polarity != "unknown") {
      throw cg::py_bind::InputError("scoring: list '" + code + "' has polarity '" + polarity +
                                    "'; give black, red or unknown");
    }
    params.lists.push_back({code, parsed, domain});
  }
  cg::core::scoring::ScoringInput input(params);
  const std::size_t entity_rows = entity_ids.size();
  const auto& kinds = Column(entities, "kind", entity_rows);
  const DateSource entity_dates{entities, entity_days, entity_rows};
  const auto& region = Column(entities, "region", entity_rows);
  const auto& industry = Column(entities, "industry", entity_rows);
  for (std::size_t row = 0; row < entity_rows; ++row) {
    cg::core::Record record;
    record.kind = cg::core::RecordKind::kRegistry;
    std::string kind = Cell(kinds, row);
    if (!kind.empty()) {
      auto parsed = cg::core::ParseEntityKind(kind);
      if (!parsed) throw cg::py_bind::InputError("scoring: entity kind '" + kind + "' is unknown");
      record.subject.kind = *parsed;
    }
    record.est_date = entity_dates.At("est_date", row);
    record.subject.region = Cell(region, row);
    record.industry = Cell(industry, row);
    input.Add(record, entity_ids[row]);
  }
  const std::size_t fact_rows = fact_ids.size();
  const auto& fact_kind = Column(facts, "kind", fact_rows);
  if (fact_rows > 0 && fact_kind.empty()) throw cg::py_bind::InputError("scoring: facts need a kind column");
  const DateSource fact_dates{facts, fact_days, fact_rows};
  const auto& source = Column(facts, "source", fact_rows);
  const auto& rid = Column(facts, "rid", fact_rows);
  const auto& list = Column(facts, "list", fact_rows);
  const auto& disputed = Column(facts, "disputed", fact_rows);
  const auto& severity = Column(facts, "severity", fact_rows);
  const auto& domain = Column(facts, "domain", fact_rows);
  const auto& status = Column(facts, "status", fact_rows);
  const auto& scheme = Column(facts, "scheme", fact_rows);
  const auto& grade = Column(facts, "grade", fact_rows);
  for (std::size_t row = 0; row < fact_rows; ++row) {
    cg::core::Record record;
    auto kind = cg::core::ParseRecordKind(fact_kind[row]);
    if (!kind) throw cg::py_bind::InputError("scoring: fact kind '" + fact_kind[row] + "' is unknown");
    record.kind = *kind;
    record.source = Cell(source, row);
    record.rid = rid.empty() ? std::to_string(row) : rid[row];
    record.list = Cell(list, row);
    record.listed_on = fact_dates.At("listed_on", row);
    record.removed_on = fact_dates.At("removed_on", row);
    std::string flag = Cell(disputed, row);
    record.disputed = flag == "true" || flag == "True" || flag == "1";
    record.decided_on = fact_dates.At("decided_on", row);
    std::string severity_text = Cell(severity, row);
    if (!severity_text.empty()) {
      auto parsed = cg::core::ParseSeverity(severity_text);
      if (!parsed) throw cg::py_bind::InputError("scoring: severity '" + severity_text + "' is unknown");
      record.severity = *parsed;
    }
    record.domain = Cell(domain, row);
    record.granted_on = fact_dates.At("granted_on", row);
    record.valid_until = fact_dates.At("valid_until", row);
    record.made_on = fact_dates.At("made_on", row);
    std::string status_text = Cell(status, row);
    if (!status_text.empty() && record.kind == cg::core::RecordKind::kCommitment) {
      auto parsed = cg::core::ParseCommitmentStatus(status_text);
      if (!parsed) throw cg::py_bind::InputError("scoring: status '" + status_text + "' is unknown");
      record.commitment_status = *parsed;
    }
    record.scheme = Cell(scheme, row);
    record.grade = Cell(grade, row);
    record.rated_on = fact_dates.At("rated_on", row);
    input.Add(record, fact_ids[row]);
  }
  if (edge_src.size() != edge_dst.size() || edge_src.size() != edge_label.size()) {
    throw cg::py_bind::InputError("scoring: edges src, dst and label differ in length");
  }
  std::vector<cg::EdgeInput> edges;
  edges.reserve(edge_src.size());
  for (std::size_t row = 0; row < edge_src.size(); ++row) {
    auto label = cg::core::ParseEdgeLabel(edge_label[row]);
    if (!label) throw cg::py_bind::InputError("scoring: edge label '" + edge_label[row] + "' is unknown");
    edges.push_back({edge_src[row], edge_dst[row], cg::Label(*label), 0, 0.0f});
  }
  input.SetRelatedGraph(cg::CsrBuilder::FromEdges(input.num_nodes(), edges));
  std::vector<cg::core::scoring::RestrictionCount> counts;
  for (std::size_t row = 0; row < restriction_ids.size(); ++row) {
    const std::string& effect = restriction_effect[row];
    cg::core::scoring::Effect parsed = effect == "reward"  ? cg::core::scoring::Effect::kReward
                                       : effect == "alert" ? cg::core::scoring::Effect::kAlert
                                       : effect == "punish"
                                           ? cg::core::scoring::Effect::kPunish
                                           : throw cg::py_bind::InputError(
                                                 "scoring: effect '" + effect + "' is unknown");
    counts.push_back({restriction_ids[row], parsed, restriction_count[row]});
  }
  input.SetRestrictions(counts);
  cg::Date data_as_of = DateOrNone(as_of, "as_of");
  if (data_as_of == cg::kNoDate && !model.as_of) {
    throw cg::py_bind::InputError("scoring: give as_of (the model's as_of is null)");
  }
  auto scorer = std::make_unique<Scorer>(std::move(model), std::move(input), data_as_of);
  scorer->ScoreAll();
  return scorer;
}

py::dict ExplanationDict(const cg::core::scoring::Explanation& explanation) {
  py::dict out;
  out["entity"] = explanation.entity;
  py::list lines;
  for (const auto& line : explanation.lines) {
    py::dict item;
    item["dimension"] = line.dimension;
    item["indicator"] = line.indicator;
    item["fn"] = line.fn;
    item["value"] = line.value;
    item["points"] = line.points;
    item["weight"] = line.weight;
    item["contribution"] = line.contribution;
    lines.append(item);
  }
  out["lines"] = lines;
  out["score"] = explanation.score;
  out["score_grade"] = explanation.score_grade;
  out["veto"] = explanation.veto;
  out["grade"] = explanation.grade;
  out["class"] = explanation.klass;
  out["inspection_rate"] = explanation.inspection_rate;
  return out;
}

template <typename Value>
py::array_t<Value> ToArray(const std::vector<Value>& values) {
  return py::array_t<Value>(py::ssize_t(values.size()), values.data());
}

}  // namespace

CG_BIND(scoring) {
  m.def(
      "parse_model",
      [](const std::string& yaml) {
        Model model = ParseOrThrow(yaml);
        py::dict out;
        out["as_of"] = model.as_of ? cg::core::FormatDate(*model.as_of) : std::string();
        out["dimensions"] = model.dimensions;
        py::list indicators;
        for (const auto& indicator : model.indicators) {
          py::dict item;
          item["dimension"] = indicator.dimension;
          item["id"] = indicator.id;
          item["fn"] = std::string(cg::core::scoring::ToString(indicator.fn));
          item["weight"] = indicator.weight;
          indicators.append(item);
        }
        out["indicators"] = indicators;
        py::list grades;
        for (const auto& grade : model.grades) {
          py::dict item;
          item["grade"] = grade.grade;
          item["min"] = grade.min;
          item["class"] = grade.klass;
          item["inspection_rate"] = grade.inspection_rate;
          grades.append(item);
        }
        out["grades"] = grades;
        out["warnings"] = model.warnings;
        return out;
      },
      py::arg("yaml"), "Parses and validates a model; raises InputError naming the problem.");

  py::class_<Scorer>(m, "Engine", "A scored data set (batch result, explanations, draws).")
      .def(py::init(&Build), py::arg("model_yaml"), py::arg("as_of"), py::arg("max_years"),
           py::arg("escalations"), py::arg("entity_ids"), py::arg("entities"),
           py::arg("entity_days"), py::arg("fact_ids"), py::arg("facts"), py::arg("fact_days"), py::arg("edge_src"), py::arg("edge_dst"),
           py::arg("edge_label"), py::arg("restriction_ids"), py::arg("restriction_effect"),
           py::arg("restriction_count"),
           py::arg("lists") = std::vector<std::tuple<std::string, std::string, std::string>>{},
           py::call_guard<py::gil_scoped_release>())
      .def("as_of", [](const Scorer& scorer) { return cg::core::FormatDate(scorer.as_of()); })
      .def("score_all", &Scorer::ScoreAll, py::call_guard<py::gil_scoped_release>(),
           "Rescores every organization (batch); the table is replaced.")
      .def("table",
           [](const Scorer& scorer) {
             const auto& table = scorer.table();
             const auto& model = scorer.model();
             py::dict out;
             out["entity"] = ToArray(table.entity);
             out["score"] = ToArray(table.score);
             std::vector<std::string> grade, score_grade, klass, veto;
             std::vector<double> rate;
             for (std::size_t row = 0; row < table.size(); ++row) {
               const auto& final_grade = model.grades[table.grade[row]];
               grade.push_back(final_grade.grade);
               klass.push_back(final_grade.klass);
               rate.push_back(final_grade.inspection_rate);
               score_grade.push_back(model.grades[table.score_grade[row]].grade);
               veto.push_back(table.veto[row] < 0 ? std::string()
                                                  : model.vetoes[table.veto[row]].grade);
             }
             out["grade"] = grade;
             out["class"] = klass;
             out["inspection_rate"] = ToArray(rate);
             out["score_grade"] = score_grade;
             out["veto"] = veto;
             for (std::size_t index = 0; index < model.indicators.size(); ++index) {
               const auto& indicator = model.indicators[index];
               std::vector<double> points(table.size()), contribution(table.size());
               for (std::size_t row = 0; row < table.size(); ++row) {
                 points[row] = indicator.PointsFor(table.values[index][row]);
                 contribution[row] = indicator.weight * points[row];
               }
               out[py::str(indicator.id + ".value")] = ToArray(table.values[index]);
               out[py::str(indicator.id + ".points")] = ToArray(points);
               out[py::str(indicator.id + ".contribution")] = ToArray(contribution);
             }
             return out;
           })
      .def("explain",
           [](const Scorer& scorer, std::uint32_t entity) {
             if (entity >= scorer.input().num_nodes()) {
               throw cg::py_bind::NotFoundError("scoring: no entity " + std::to_string(entity));
             }
             return ExplanationDict(scorer.Explain(entity));
           },
           py::arg("entity"))
      .def("score_one",
           [](const Scorer& scorer, std::uint32_t entity) {
             auto result = scorer.ScoreOne(entity);
             return py::make_tuple(result.score, scorer.model().grades[result.grade].grade,
                                   result.values);
           },
           py::arg("entity"))
      .def("inspect",
           [](const Scorer& scorer, std::uint64_t seed) {
             std::vector<cg::core::scoring::InspectionPick> picks;
             {
               py::gil_scoped_release release;
               picks = cg::core::scoring::DrawInspections(scorer.model(), scorer.table(), seed);
             }
             std::vector<std::string> klass;
             std::vector<std::uint32_t> entity;
             for (const auto& pick : picks) {
               klass.push_back(pick.klass);
               entity.push_back(pick.entity);
             }
             py::dict out;
             out["class"] = klass;
             out["entity"] = ToArray(entity);
             return out;
           },
           py::arg("seed"))
      .def("region", [](const Scorer& scorer, std::uint32_t entity) {
        return std::string(scorer.input().region(entity));
      })
      .def("industry", [](const Scorer& scorer, std::uint32_t entity) {
        return std::string(scorer.input().industry(entity));
      });
}
