// creditgraph._core.measures: the measures catalog and its propagation (measures.md), thin.
// Columns go in and out as Python lists / numpy arrays; creditgraph.measures makes DataFrames.
// Dates cross the boundary as ISO text ("" for none). The GIL is released around long calls.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/labels.h"
#include "core/measures/catalog.h"
#include "core/measures/pattern_syntax.h"
#include "core/measures/propagate.h"
#include "graph/csr_builder.h"

namespace py = pybind11;
namespace ms = cg::core::measures;

namespace {

cg::Date DateIn(const std::string& text, const char* what) {
  if (text.empty()) return cg::kNoDate;
  auto date = cg::core::ParseDate(text);
  if (!date) throw cg::py_bind::InputError(std::string("bad date '") + text + "' for " + what);
  return *date;
}
std::string DateOut(cg::Date date) {
  if (date == cg::kForever || date == cg::kNoDate) return "";
  return cg::core::FormatDate(date);
}

ms::Catalog CatalogFrom(const std::string& text) {
  auto catalog = ms::ParseCatalog(text);
  cg::py_bind::ThrowIfError(catalog.status());
  return *std::move(catalog);
}

py::dict CatalogSummary(const ms::Catalog& catalog) {
  py::list measures;
  for (const ms::Measure& measure : catalog.measures) {
    py::dict row;
    row["id"] = measure.id;
    row["name"] = measure.name;
    row["basis"] = measure.basis;
    row["effect"] = std::string(ms::ToString(measure.effect));
    row["domain"] = measure.domain;
    row["trigger"] = std::string(ms::ToString(measure.trigger.kind));
    std::vector<std::string> reach;
    for (const ms::Reach& item : measure.reach) reach.push_back(ms::FormatPattern(item.pattern));
    row["reach"] = reach;
    row["lasts"] = measure.lasts_listed ? std::string("listed") : cg::core::FormatPeriod(measure.lasts);
    measures.append(row);
  }
  py::dict out;
  out["max_years"] = catalog.max_years;
  out["key_supervision_min_domains"] = catalog.key_supervision_min_domains;
  out["escalations"] = catalog.escalations.size();
  out["measures"] = measures;
  return out;
}

/// Column-wise restrictions for pandas.
py::dict Columns(const ms::MeasureEngine& engine, const std::vector<ms::Restriction>& rows) {
  std::vector<std::uint32_t> entity, subject;
  std::vector<std::string> measure, effect, domain, trigger_kind, code, escalated_from, source,
      rid, start, end;
  std::vector<bool> withheld;
  std::vector<std::vector<std::uint32_t>> path_nodes;
  std::vector<std::vector<std::string>> path_steps;
  for (const ms::Restriction& row : rows) {
    const ms::Measure& info = engine.catalog().measures[row.measure];
    entity.push_back(row.entity);
    subject.push_back(row.trigger->subject);
    measure.push_back(info.id);
    effect.push_back(std::string(ms::ToString(row.effect)));
    domain.push_back(info.domain);
    trigger_kind.push_back(std::string(ms::ToString(row.trigger->kind)));
    code.push_back(row.trigger->code);
    escalated_from.push_back(row.trigger->escalated_from);
    source.push_back(row.trigger->source);
    rid.push_back(row.trigger->rid);
    start.push_back(DateOut(row.start));
    end.push_back(DateOut(row.end));
    withheld.push_back(row.withheld);
    path_nodes.emplace_back(row.path_nodes.begin(), row.path_nodes.end());
    std::vector<std::string> steps;
    for (std::size_t step = 0; step + 1 < row.path_nodes.size(); ++step) {
      steps.push_back(engine.StepText(row, step));
    }
    path_steps.push_back(std::move(steps));
  }
  py::dict out;
  out["entity"] = entity;
  out["measure"] = measure;
  out["effect"] = effect;
  out["domain"] = domain;
  out["trigger_kind"] = trigger_kind;
  out["trigger_code"] = code;
  out["escalated_from"] = escalated_from;
  out["source"] = source;
  out["rid"] = rid;
  out["subject"] = subject;
  out["start"] = start;
  out["end"] = end;
  out["withheld"] = withheld;
  out["path_nodes"] = path_nodes;
  out["path_steps"] = path_steps;
  return out;
}

cg::core::EntityKind KindIn(const std::string& text) {
  if (text.empty()) return cg::core::EntityKind::kUnknown;
  auto kind = cg::core::ParseEntityKind(text);
  if (!kind) throw cg::py_bind::InputError("unknown entity kind '" + text + "'");
  return *kind;
}

cg::Tag TagIn(cg::core::EdgeLabel label, const std::string& text) {
  if (text.empty()) return 0;
  if (label == cg::core::EdgeLabel::kOfficer) {
    auto role = cg::core::ParseOfficerRole(text);
    if (!role) throw cg::py_bind::InputError("unknown officer role '" + text + "'");
    return cg::Tag(*role);
  }
  if (label == cg::core::EdgeLabel::kController) {
    if (text == "declared") return cg::Tag(cg::core::ControllerTag::kDeclared);
    if (text == "derived") return cg::Tag(cg::core::ControllerTag::kDerived);
    throw cg::py_bind::InputError("controller tag must be declared or derived, got '" + text + "'");
  }
  return 0;
}

std::unique_ptr<ms::MeasureEngine> MakeEngine(const std::string& catalog_text, std::uint32_t num_nodes,
                                              const std::vector<std::uint32_t>& tails,
                                              const std::vector<std::uint32_t>& heads,
                                              const std::vector<std::string>& labels,
                                              const std::vector<std::string>& tags,
                                              const std::vector<float>& values,
                                              const std::vector<std::string>& kinds) {
  ms::Catalog catalog = CatalogFrom(catalog_text);
  if (heads.size() != tails.size() || labels.size() != tails.size() ||
      tags.size() != tails.size() || values.size() != tails.size()) {
    throw cg::py_bind::InputError("edge columns tail, head, label, tag, value differ in length");
  }
  std::vector<cg::EdgeInput> edges(tails.size());
  for (std::size_t index = 0; index < tails.size(); ++index) {
    auto label = cg::core::ParseEdgeLabel(labels[index]);
    if (!label) throw cg::py_bind::InputError("unknown edge label '" + labels[index] + "'");
    if (tails[index] >= num_nodes || heads[index] >= num_nodes) {
      throw cg::py_bind::InputError("edge endpoint outside 0..num_nodes-1");
    }
    edges[index] = {tails[index], heads[index], cg::Label(*label), TagIn(*label, tags[index]),
                    values[index]};
  }
  std::vector<cg::core::EntityKind> node_kinds(num_nodes, cg::core::EntityKind::kUnknown);
  for (std::size_t index = 0; index < kinds.size() && index < num_nodes; ++index) {
    node_kinds[index] = KindIn(kinds[index]);
  }
  py::gil_scoped_release release;
  return std::make_unique<ms::MeasureEngine>(std::move(catalog),
                                             cg::CsrBuilder::FromEdges(num_nodes, edges),
                                             std::move(node_kinds));
}

cg::core::Severity SeverityIn(const std::string& text) {
  auto severity = cg::core::ParseSeverity(text);
  if (!severity) throw cg::py_bind::InputError("unknown severity '" + text + "'");
  return *severity;
}

}  // namespace

CG_BIND(measures) {
  m.def(
      "validate_catalog", [](const std::string& text) { return CatalogSummary(CatalogFrom(text)); },
      "Parses and validates a measures catalog (YAML text); returns a summary or raises "
      "InputError naming the measure and the problem.");

  py::class_<ms::MeasureEngine>(m, "Engine")
      .def(py::init(&MakeEngine), py::arg("catalog"), py::arg("num_nodes"), py::arg("tails"),
           py::arg("heads"), py::arg("labels"), py::arg("tags"), py::arg("values"),
           py::arg("kinds"))
      .def(
          "propagate",
          [](ms::MeasureEngine& engine, const std::vector<std::uint32_t>& list_subject,
             const std::vector<std::string>& list_code, const std::vector<std::string>& listed_on,
             const std::vector<std::string>& removed_on, const std::vector<bool>& disputed,
             const std::vector<std::string>& list_source, const std::vector<std::string>& list_rid,
             const std::vector<std::uint32_t>& pen_subject, const std::vector<std::string>& severity,
             const std::vector<std::string>& pen_domain, const std::vector<std::string>& decided_on,
             const std::vector<std::string>& pen_source, const std::vector<std::string>& pen_rid,
             const std::vector<std::uint32_t>& rat_subject, const std::vector<std::string>& scheme,
             const std::vector<std::string>& grade, const std::vector<std::string>& rated_on,
             const std::vector<std::string>& rat_source, const std::vector<std::string>& rat_rid) {
            ms::TriggerInputs inputs;
            for (std::size_t index = 0; index < list_subject.size(); ++index) {
              ms::ListEntry entry;
              entry.subject = list_subject[index];
              entry.list = list_code.at(index);
              entry.listed_on = DateIn(listed_on.at(index), "listed_on");
              entry.removed_on = DateIn(removed_on.at(index), "removed_on");
              entry.disputed = disputed.at(index);
              entry.source = list_source.at(index);
              entry.rid = list_rid.at(index);
              inputs.lists.push_back(std::move(entry));
            }
            for (std::size_t index = 0; index < pen_subject.size(); ++index) {
              inputs.penalties.push_back({pen_subject[index], SeverityIn(severity.at(index)),
                                          pen_domain.at(index), DateIn(decided_on.at(index), "decided_on"),
                                          pen_source.at(index), pen_rid.at(index)});
            }
            for (std::size_t index = 0; index < rat_subject.size(); ++index) {
              inputs.ratings.push_back({rat_subject[index], scheme.at(index), grade.at(index),
                                        DateIn(rated_on.at(index), "rated_on"), rat_source.at(index),
                                        rat_rid.at(index)});
            }
            py::gil_scoped_release release;
            engine.Propagate(std::move(inputs));
          })
      .def("restrictions",
           [](const ms::MeasureEngine& engine, const std::string& as_of) {
             std::vector<ms::Restriction> rows;
             {
               py::gil_scoped_release release;
               rows = as_of.empty() ? engine.Restrictions()
                                    : engine.ActiveAt(DateIn(as_of, "as_of"));
             }
             return Columns(engine, rows);
           },
           py::arg("as_of") = "")
      .def("why", [](const ms::MeasureEngine& engine, std::uint32_t entity) {
        return Columns(engine, engine.Why(entity));
      })
      .def("check",
           [](const ms::MeasureEngine& engine, std::uint32_t entity, const std::string& domain,
              const std::string& date) {
             ms::CheckResult result = engine.Check(entity, domain, DateIn(date, "date"));
             return py::make_tuple(result.yes, Columns(engine, result.reasons));
           })
      .def("is_bound",
           [](const ms::MeasureEngine& engine, std::uint32_t entity, const std::string& domain,
              const std::string& date) { return engine.IsBound(entity, domain, DateIn(date, "date")); })
      .def("key_supervised",
           [](const ms::MeasureEngine& engine) {
             std::vector<std::uint32_t> entity;
             std::vector<std::string> start, end, domains;
             for (const ms::KeySupervision& row : engine.KeySupervised()) {
               entity.push_back(row.entity);
               start.push_back(DateOut(row.start));
               end.push_back(DateOut(row.end));
               std::string joined;
               for (const std::string& domain : row.domains) joined += (joined.empty() ? "" : ",") + domain;
               domains.push_back(joined);
             }
             py::dict out;
             out["entity"] = entity;
             out["start"] = start;
             out["end"] = end;
             out["domains"] = domains;
             return out;
           })
      .def("add_list_entry",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& code,
              const std::string& listed_on, const std::string& removed_on, bool disputed,
              const std::string& source, const std::string& rid) {
             ms::ListEntry entry;
             entry.subject = subject;
             entry.list = code;
             entry.listed_on = DateIn(listed_on, "listed_on");
             entry.removed_on = DateIn(removed_on, "removed_on");
             entry.disputed = disputed;
             entry.source = source;
             entry.rid = rid;
             engine.AddListEntry(std::move(entry));
           },
           py::arg("subject"), py::arg("list"), py::arg("listed_on"), py::arg("removed_on") = "",
           py::arg("disputed") = false, py::arg("source") = "", py::arg("rid") = "")
      .def("set_removed",
           [](ms::MeasureEngine& engine, const std::string& source, const std::string& rid,
              const std::string& removed_on) {
             cg::py_bind::ThrowIfError(engine.SetRemoved(source, rid, DateIn(removed_on, "removed_on")));
           })
      .def("set_disputed",
           [](ms::MeasureEngine& engine, const std::string& source, const std::string& rid,
              bool disputed) { cg::py_bind::ThrowIfError(engine.SetDisputed(source, rid, disputed)); })
      .def("add_penalty",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& severity,
              const std::string& domain, const std::string& decided_on, const std::string& source,
              const std::string& rid) {
             engine.AddPenalty({subject, SeverityIn(severity), domain, DateIn(decided_on, "decided_on"),
                                source, rid});
           })
      .def("add_rating",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& scheme,
              const std::string& grade, const std::string& rated_on, const std::string& source,
              const std::string& rid) {
             engine.AddRating({subject, scheme, grade, DateIn(rated_on, "rated_on"), source, rid});
           })
      .def("add_edge",
           [](ms::MeasureEngine& engine, std::uint32_t tail, std::uint32_t head,
              const std::string& label_text, const std::string& tag, float value) {
             auto label = cg::core::ParseEdgeLabel(label_text);
             if (!label) throw cg::py_bind::InputError("unknown edge label '" + label_text + "'");
             cg::py_bind::ThrowIfError(
                 engine.AddEdge({tail, head, cg::Label(*label), TagIn(*label, tag), value}));
           },
           py::arg("tail"), py::arg("head"), py::arg("label"), py::arg("tag") = "",
           py::arg("value") = 0.0f)
      .def_property_readonly("num_restrictions", &ms::MeasureEngine::num_restrictions)
      .def_property_readonly("num_triggers", &ms::MeasureEngine::num_triggers)
      .def_property_readonly("catalog", [](const ms::MeasureEngine& engine) {
        return CatalogSummary(engine.catalog());
      });
}
