// creditgraph._core.engine: the engine's stages and answers (core/engine/engine.h).
// Conversion only: tables come back as dicts of column lists for pandas; the GIL is released
// around every stage and every scan of the database.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/date.h"
#include "core/engine/engine.h"
#include "core/labels.h"

namespace py = pybind11;
using cg::core::engine::Engine;
using cg::core::engine::RestrictionRow;
using cg::core::engine::ScoreRow;
using cg::core::engine::StageReport;

namespace {

template <typename T>
T Unwrap(absl::StatusOr<T> value) {
  cg::py_bind::ThrowIfError(value.status());
  return std::move(*value);
}

cg::Date ParseDateArg(const std::optional<std::string>& text, cg::Date fallback) {
  if (!text || text->empty()) return fallback;
  auto date = cg::core::ParseDate(*text);
  if (!date) {
    throw cg::py_bind::InputError("'" + *text +
                                  "' is not a date: write it as 2026-06-30, 2026/6/30, 20260630 "
                                  "or 2026年6月30日");
  }
  return *date;
}

py::dict ReportDict(const StageReport& report) {
  py::dict figures;
  for (const auto& [name, value] : report.figures) figures[py::str(name)] = value;
  py::dict phases;  // seconds per phase of the stage (meta stage/<s>/phases)
  for (const auto& [name, value] : report.phases) phases[py::str(name)] = value;
  py::dict out;
  out["stage"] = report.stage;
  out["seconds"] = report.seconds;
  out["figures"] = figures;
  out["phases"] = phases;
  return out;
}

/// Runs a stage with the GIL released, then converts its report.
template <typename Fn>
py::dict RunStage(Fn&& stage) {
  absl::StatusOr<StageReport> report;
  {
    py::gil_scoped_release release;
    report = stage();
  }
  return ReportDict(Unwrap(std::move(report)));
}

py::dict RestrictionColumns(const std::vector<RestrictionRow>& rows,
                            const cg::core::engine::EntityTable& entities) {
  std::vector<std::string> entity, measure, name, effect, domain, basis, source, rid, trigger,
      path, start, end;
  std::vector<bool> withheld;
  for (const RestrictionRow& row : rows) {
    entity.push_back(entities[row.entity].id);
    measure.push_back(row.measure);
    name.push_back(row.name);
    effect.push_back(row.effect);
    domain.push_back(row.domain);
    basis.push_back(row.basis);
    source.push_back(row.trigger_source);
    rid.push_back(row.trigger_rid);
    trigger.push_back(row.trigger_entity == cg::kNoNode ? "" : entities[row.trigger_entity].id);
    path.push_back(row.path);
    start.push_back(cg::core::FormatDate(row.start));
    end.push_back(row.end == cg::kForever ? "" : cg::core::FormatDate(row.end));
    withheld.push_back(row.withheld);
  }
  py::dict out;
  out["entity_id"] = entity;
  out["measure"] = measure;
  out["name"] = name;
  out["effect"] = effect;
  out["domain"] = domain;
  out["basis"] = basis;
  out["trigger_source"] = source;
  out["trigger_rid"] = rid;
  out["trigger_entity"] = trigger;
  out["path"] = path;
  out["start"] = start;
  out["end"] = end;
  out["withheld"] = withheld;
  return out;
}

py::dict ScoreDict(const ScoreRow& row, const cg::core::engine::EntityTable& entities) {
  py::list lines;
  for (const auto& line : row.lines) {
    py::dict item;
    item["dimension"] = line.dimension;
    item["indicator"] = line.indicator;
    item["value"] = line.value;
    item["points"] = line.points;
    item["weight"] = line.weight;
    item["contribution"] = line.contribution;
    lines.append(item);
  }
  py::dict out;
  out["entity_id"] = entities[row.entity].id;
  out["score"] = row.score;
  out["grade"] = row.grade;
  out["class"] = row.klass;
  out["veto"] = row.veto;
  out["inspection_rate"] = row.inspection_rate;
  out["lines"] = lines;
  return out;
}

py::dict RecordDict(const cg::core::Record& record, cg::core::Role role) {
  using cg::core::FormatDate;
  py::dict out;
  out["kind"] = std::string(cg::core::ToString(record.kind));
  out["source"] = record.source;
  out["rid"] = record.rid;
  out["role"] = std::string(cg::core::ToString(role));
  out["date"] = FormatDate(record.EventDate());
  out["subject_name"] = record.subject.name;
  out["party_name"] = record.party.name;
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) out[key] = value;
  };
  auto put_date = [&](const char* key, cg::Date date) {
    if (date != cg::kNoDate) out[key] = FormatDate(date);
  };
  put("status", std::string(cg::core::ToString(record.status)));
  put("industry", record.industry);
  put("list", record.list);
  put_date("listed_on", record.listed_on);
  put_date("removed_on", record.removed_on);
  if (record.kind == cg::core::RecordKind::kList) out["disputed"] = record.disputed;
  put("case_no", record.case_no);
  put("reason", record.reason);
  put("decision_no", record.decision_no);
  put("severity", std::string(cg::core::ToString(record.severity)));
  put("domain", record.domain);
  put_date("publicity_until", record.publicity_until);
  put("license_no", record.license_no);
  put_date("valid_until", record.valid_until);
  put("topic", record.topic);
  put("commitment_status", std::string(cg::core::ToString(record.commitment_status)));
  put("scheme", record.scheme);
  put("grade", record.grade);
  put("role_of_party", std::string(cg::core::ToString(record.role)));
  if (record.ratio) out["ratio"] = *record.ratio;
  if (record.amount) out["amount"] = *record.amount;
  if (record.reg_capital) out["reg_capital"] = *record.reg_capital;
  put_date("end", record.end);
  return out;
}

}  // namespace

CG_BIND(engine) {
  m.def("default_measures_yaml",
        [] { return std::string(cg::core::engine::DefaultMeasuresYaml()); });
  m.def("default_model_yaml", [] { return std::string(cg::core::engine::DefaultModelYaml()); });

  py::class_<Engine>(m, "Engine")
      .def_static(
          "open",
          [](const std::string& path) {
            absl::StatusOr<std::unique_ptr<Engine>> engine;
            {
              py::gil_scoped_release release;
              engine = Engine::Open(path);
            }
            return Unwrap(std::move(engine));
          },
          py::arg("path"))
      .def_property_readonly("path", &Engine::path)
      .def_property_readonly("as_of",
                             [](const Engine& engine) { return cg::core::FormatDate(engine.as_of()); })
      .def("set_progress",
           [](Engine& engine, py::object callback) {
             if (callback.is_none()) {
               engine.set_progress(nullptr);
               return;
             }
             engine.set_progress([callback](std::string_view stage, std::string_view message) {
               py::gil_scoped_acquire gil;
               callback(std::string(stage), std::string(message));
             });
           })
      .def(
          "resolve",
          [](Engine& engine, double match_probability, bool incremental) {
            return RunStage([&] { return engine.Resolve(match_probability, incremental); });
          },
          py::arg("match_probability") = 0.99, py::arg("incremental") = true)
      .def("build_graph",
           [](Engine& engine) { return RunStage([&] { return engine.BuildGraph(); }); })
      .def(
          "propagate",
          [](Engine& engine, const std::string& yaml) {
            return RunStage([&] { return engine.Propagate(yaml); });
          },
          py::arg("measures_yaml") = "")
      .def(
          "score",
          [](Engine& engine, const std::string& yaml, std::optional<std::string> as_of) {
            std::optional<cg::Date> date;
            if (as_of && !as_of->empty()) date = ParseDateArg(as_of, cg::kNoDate);
            return RunStage([&] { return engine.Score(yaml, date); });
          },
          py::arg("model_yaml") = "", py::arg("as_of") = std::nullopt)
      .def("stage_status", &Engine::StageStatus)
      .def("meta", &Engine::Meta)
      .def("lookup",
           [](Engine& engine, const std::string& key) {
             py::gil_scoped_release release;
             return Unwrap(engine.Lookup(key));
           })
      .def("entities",
           [](Engine& engine) {
             const auto* table = Unwrap(engine.Entities());
             std::vector<std::string> id, kind, name, uscc, org_code, reg_no, id_no, region,
                 industry;
             std::vector<std::uint32_t> mentions;
             for (const auto& row : table->rows()) {
               id.push_back(row.id);
               kind.push_back(std::string(cg::core::ToString(row.kind)));
               name.push_back(row.name);
               uscc.push_back(row.uscc);
               org_code.push_back(row.org_code);
               reg_no.push_back(row.reg_no);
               id_no.push_back(row.id_no);
               region.push_back(row.region);
               industry.push_back(row.industry);
               mentions.push_back(row.mentions);
             }
             py::dict out;
             out["entity_id"] = id;
             out["kind"] = kind;
             out["name"] = name;
             out["uscc"] = uscc;
             out["org_code"] = org_code;
             out["reg_no"] = reg_no;
             out["id_no"] = id_no;
             out["region"] = region;
             out["industry"] = industry;
             out["mentions"] = mentions;
             return out;
           })
      .def("mentions",
           [](Engine& engine) {
             const auto* table = Unwrap(engine.Entities());
             std::vector<std::string> source, rid, role, entity;
             {
               py::gil_scoped_release release;
               cg::py_bind::ThrowIfError(engine.ForEachMention(
                   [&](std::string_view s, std::string_view r, cg::core::Role o, cg::NodeId e) {
                     source.emplace_back(s);
                     rid.emplace_back(r);
                     role.emplace_back(cg::core::ToString(o));
                     entity.push_back(e == cg::kNoNode ? "" : (*table)[e].id);
                   }));
             }
             py::dict out;
             out["source"] = source;
             out["rid"] = rid;
             out["role"] = role;
             out["entity_id"] = entity;
             return out;
           })
      .def("records_of",
           [](Engine& engine, cg::NodeId node) {
             std::vector<std::pair<cg::core::Record, cg::core::Role>> records;
             {
               py::gil_scoped_release release;
               records = Unwrap(engine.RecordsOf(node));
             }
             py::list out;
             for (const auto& [record, role] : records) out.append(RecordDict(record, role));
             return out;
           })
      .def("edges",
           [](Engine& engine) {
             const auto* table = Unwrap(engine.Entities());
             const cg::CsrGraph* graph = Unwrap(engine.Graph());
             std::vector<std::string> src, dst, label;
             std::vector<int> tag;
             std::vector<float> value;
             std::vector<bool> derived;
             for (cg::NodeId u = 0; u < graph->num_nodes(); ++u) {
               for (cg::EdgeIdx e = graph->out_begin(u); e < graph->out_end(u); ++e) {
                 const auto edge_label = cg::core::EdgeLabel(graph->label(e));
                 src.push_back((*table)[u].id);
                 dst.push_back((*table)[graph->head(e)].id);
                 label.emplace_back(cg::core::ToString(edge_label));
                 tag.push_back(graph->tag(e));
                 value.push_back(graph->value(e));
                 derived.push_back(edge_label == cg::core::EdgeLabel::kController &&
                                   graph->tag(e) == cg::Tag(cg::core::ControllerTag::kDerived));
               }
             }
             py::dict out;
             out["src"] = src;
             out["dst"] = dst;
             out["label"] = label;
             out["tag"] = tag;
             out["value"] = value;
             out["derived"] = derived;
             return out;
           })
      .def("graph_arrays",
           [](Engine& engine) {
             const cg::CsrGraph* graph = Unwrap(engine.Graph());
             py::dict out;
             out["out_offsets"] = graph->out_offsets();
             out["heads"] = graph->heads();
             out["labels"] = graph->labels();
             out["tags"] = graph->tags();
             out["values"] = graph->values();
             return out;
           })
      .def("restrictions",
           [](Engine& engine, std::optional<cg::NodeId> node) {
             const auto* table = Unwrap(engine.Entities());
             std::vector<RestrictionRow> rows;
             {
               py::gil_scoped_release release;
               rows = node ? Unwrap(engine.RestrictionsOf(*node)) : Unwrap(engine.Restrictions());
             }
             return RestrictionColumns(rows, *table);
           },
           py::arg("node") = std::nullopt)
      .def("check",
           [](Engine& engine, cg::NodeId node, const std::string& domain,
              std::optional<std::string> date) {
             const auto* table = Unwrap(engine.Entities());
             const cg::Date when = ParseDateArg(date, engine.as_of());
             std::pair<bool, std::vector<RestrictionRow>> answer;
             {
               py::gil_scoped_release release;
               answer = Unwrap(engine.Check(node, domain, when));
             }
             return py::make_tuple(answer.first, RestrictionColumns(answer.second, *table));
           },
           py::arg("node"), py::arg("domain"), py::arg("date") = std::nullopt)
      .def("scores",
           [](Engine& engine) {
             const auto* table = Unwrap(engine.Entities());
             std::vector<ScoreRow> rows;
             {
               py::gil_scoped_release release;
               rows = Unwrap(engine.Scores());
             }
             std::vector<std::string> entity, grade, klass, veto;
             std::vector<double> score, rate;
             std::vector<std::string> line_names;
             std::vector<std::vector<double>> values, points, contributions;
             if (!rows.empty()) {
               for (const auto& line : rows.front().lines) line_names.push_back(line.indicator);
               values.resize(line_names.size());
               points.resize(line_names.size());
               contributions.resize(line_names.size());
             }
             for (const ScoreRow& row : rows) {
               entity.push_back((*table)[row.entity].id);
               score.push_back(row.score);
               grade.push_back(row.grade);
               klass.push_back(row.klass);
               veto.push_back(row.veto);
               rate.push_back(row.inspection_rate);
               for (std::size_t i = 0; i < line_names.size() && i < row.lines.size(); ++i) {
                 values[i].push_back(row.lines[i].value);
                 points[i].push_back(row.lines[i].points);
                 contributions[i].push_back(row.lines[i].contribution);
               }
             }
             py::dict out;
             out["entity_id"] = entity;
             out["score"] = score;
             out["grade"] = grade;
             out["class"] = klass;
             out["inspection_rate"] = rate;
             out["veto"] = veto;
             for (std::size_t i = 0; i < line_names.size(); ++i) {
               out[py::str(line_names[i] + "_value")] = values[i];
               out[py::str(line_names[i] + "_points")] = points[i];
               out[py::str(line_names[i] + "_contribution")] = contributions[i];
             }
             return out;
           })
      .def("inspect",
           [](Engine& engine, std::uint64_t seed) {
             const auto* table = Unwrap(engine.Entities());
             std::vector<std::pair<std::string, cg::NodeId>> picks;
             {
               py::gil_scoped_release release;
               picks = Unwrap(engine.Inspect(seed));
             }
             std::vector<std::string> klass, entity;
             for (const auto& [name, node] : picks) {
               klass.push_back(name);
               entity.push_back((*table)[node].id);
             }
             py::dict out;
             out["class"] = klass;
             out["entity_id"] = entity;
             return out;
           })
      .def("score_of", [](Engine& engine, cg::NodeId node) -> py::object {
        const auto* table = Unwrap(engine.Entities());
        std::optional<ScoreRow> row;
        {
          py::gil_scoped_release release;
          row = Unwrap(engine.ScoreOf(node));
        }
        if (!row) return py::none();
        return ScoreDict(*row, *table);
      });
}
