// creditgraph._core.resolve: entity resolution from a database folder, a data set folder (ingest
// into a database first) or canonical record columns; mentions/entities as column dicts for
// pandas, link explanations. Thin: conversion only; the GIL is released around long calls.
#include <pybind11/stl.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/date.h"
#include "core/ids/ids.h"
#include "core/ingest/identifiers.h"
#include "core/ingest/ingest.h"
#include "core/resolve/from_store.h"
#include "core/resolve/resolver.h"

namespace py = pybind11;

namespace {

using cg::core::resolve::MentionId;
using cg::core::resolve::Resolver;

// The mentions of a database, read and normalized once (to time resolution alone, on the same
// mentions another tool is given).
struct MentionSet {
  cg::core::resolve::MentionTable table;
  std::uint64_t records = 0;
};

struct Resolution {
  std::unique_ptr<Resolver> resolver;
  cg::core::resolve::ResolveStats stats;
  std::uint64_t records = 0;
};

cg::core::resolve::ResolveOptions Options(double match_probability, int em_iterations, bool incremental = true) {
  cg::core::resolve::ResolveOptions options;
  options.keep_blocking_keys = incremental;
  if (!(match_probability > 0 && match_probability < 1)) {
    throw cg::py_bind::InputError("match_probability must be strictly between 0 and 1");
  }
  options.match_probability = match_probability;
  options.em_iterations = em_iterations;
  return options;
}

py::dict StatsDict(const Resolution& r) {
  const auto& s = r.stats;
  py::dict out;
  out["records"] = r.records;
  out["mentions"] = s.mentions;
  out["new_mentions"] = s.new_mentions;
  out["comparisons"] = s.comparisons;
  out["total_pairs"] = s.total_pairs;
  out["block_entries"] = s.block_entries;
  out["largest_block"] = s.largest_block;
  out["key_links"] = s.key_links;
  out["accepted_links"] = s.accepted_links;
  out["refused_links"] = s.refused_links;
  out["ambiguous_mentions"] = s.ambiguous_mentions;
  out["unique_candidate_links"] = s.unique_candidate_links;
  out["decided_by_other_side"] = s.decided_by_other_side;
  out["decided_by_written_name"] = s.written_name_links;
  out["skipped_blocks"] = s.skipped_blocks;
  out["skipped_members"] = s.skipped_members;
  out["crossed_blocks"] = s.crossed_blocks;
  out["dropped_pairs"] = s.dropped_pairs;
  out["represented"] = s.represented;
  py::dict by_key;
  for (const auto& [tag, count] : s.pairs_by_key) by_key[py::str(tag)] = count;
  out["pairs_by_key"] = by_key;
  out["entities"] = s.entities;
  out["seconds_blocking"] = s.seconds_blocking;
  out["seconds_em"] = s.seconds_em;
  out["seconds_cluster"] = s.seconds_cluster;
  out["seconds_compare"] = s.seconds_compare;
  out["seconds_samples"] = s.seconds_samples;
  return out;
}

MentionId Lookup(const Resolver& resolver, const std::string& key) {
  // "source/rid/role"; rid may itself contain '/'
  const auto first = key.find('/');
  const auto last = key.rfind('/');
  if (first == std::string::npos || last == first) {
    throw cg::py_bind::InputError("a mention is written source/rid/role, e.g. penalty/P000001/subject; got " + key);
  }
  const std::string role_text = key.substr(last + 1);
  if (role_text != "subject" && role_text != "party") {
    throw cg::py_bind::InputError("the role of a mention is subject or party; got " + role_text);
  }
  auto m = resolver.FindMention(key.substr(0, first), key.substr(first + 1, last - first - 1),
                                role_text == "subject" ? cg::core::Role::kSubject : cg::core::Role::kParty);
  if (!m) throw cg::py_bind::NotFoundError("no mention " + key + " in the resolved records");
  return *m;
}

// Canonical record columns (catalog.md names) into Records; codes checked like ingest does.
void AddColumns(Resolver& resolver, const std::vector<std::string>& names,
                const std::vector<std::vector<std::optional<std::string>>>& columns) {
  auto column_of = [&](const std::string& name) -> const std::vector<std::optional<std::string>>* {
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (names[c] == name) return &columns[c];
    }
    return nullptr;
  };
  const auto* source = column_of("source");
  const auto* rid = column_of("rid");
  const auto* kind = column_of("kind");
  if (!source || !rid || !kind) {
    throw cg::py_bind::InputError("record columns need at least source, rid and kind");
  }
  const std::size_t rows = source->size();
  auto value = [&](const std::vector<std::optional<std::string>>* column, std::size_t row) -> std::string {
    if (!column || row >= column->size() || !(*column)[row]) return "";
    return *(*column)[row];
  };
  for (std::size_t row = 0; row < rows; ++row) {
    cg::core::Record record;
    record.source = value(source, row);
    record.rid = value(rid, row);
    auto parsed_kind = cg::core::ParseRecordKind(value(kind, row));
    if (!parsed_kind) throw cg::py_bind::InputError("row " + std::to_string(row) + ": unknown kind " + value(kind, row));
    record.kind = *parsed_kind;
    for (int side_index = 0; side_index < 2; ++side_index) {
      const std::string prefix = side_index == 0 ? "subject_" : "party_";
      cg::core::Identity& side = side_index == 0 ? record.subject : record.party;
      auto code = [&](const char* field, cg::core::ingest::IdType type, std::string& out, std::uint8_t weak_bit) {
        const std::string raw = value(column_of(prefix + field), row);
        if (raw.empty()) return;
        auto result = cg::core::ingest::CheckIdentifier(type, raw);
        if (result.verdict == cg::core::ingest::IdVerdict::kInvalid) return;
        out = result.normalized;
        if (result.verdict == cg::core::ingest::IdVerdict::kCheckFailed) side.weak |= weak_bit;
      };
      code("uscc", cg::core::ingest::IdType::kUscc, side.uscc, cg::core::kWeakUscc);
      code("reg_no", cg::core::ingest::IdType::kRegNo, side.reg_no, cg::core::kWeakRegNo);
      code("org_code", cg::core::ingest::IdType::kOrgCode, side.org_code, cg::core::kWeakOrgCode);
      code("id_no", cg::core::ingest::IdType::kIdNo, side.id_no, cg::core::kWeakIdNo);
      side.name = value(column_of(prefix + "name"), row);
      if (auto k = cg::core::ParseEntityKind(value(column_of(prefix + "kind"), row))) side.kind = *k;
      side.region = value(column_of(prefix + "region"), row);
      side.address = value(column_of(prefix + "address"), row);
      side.phone = value(column_of(prefix + "phone"), row);
      if (auto date = cg::core::ParseDate(value(column_of(prefix + "birth"), row))) side.birth = *date;
    }
    resolver.Add(record);
  }
}

}  // namespace

CG_BIND(resolve) {
  py::class_<Resolution, std::shared_ptr<Resolution>>(m, "Resolution",
                                                      "Mentions resolved into entities.")
      .def("stats", &StatsDict, "Counts and timings of the last resolve.")
      .def("mentions",
           [](const Resolution& r) {
             const auto& table = r.resolver->mentions();
             std::vector<std::string> source, rid, role, entity_id, kind_class;
             for (MentionId m = 0; m < table.size(); ++m) {
               source.emplace_back(table.Source(m));
               rid.emplace_back(table.rid[m]);
               role.emplace_back(cg::core::ToString(table.role[m]));
               entity_id.push_back(r.resolver->entity_ids()[r.resolver->entity_of()[m]]);
               kind_class.emplace_back(table.kind_class[m] == cg::core::resolve::KindClass::kPerson ? "person" : "organization");
             }
             py::dict out;
             out["source"] = source;
             out["rid"] = rid;
             out["role"] = role;
             out["entity_id"] = entity_id;
             out["class"] = kind_class;
             return out;
           },
           "Columns source, rid, role, entity_id, class (one row per mention).")
      .def("mention_column",
           [](const Resolution& r, const std::string& field) {
             const auto& t = r.resolver->mentions();
             using cg::core::resolve::MentionTable;
             using cg::core::resolve::StringColumn;
             const std::map<std::string, const StringColumn MentionTable::*> strings = {
                 {"uscc", &MentionTable::uscc},
                 {"org_code", &MentionTable::org_code}, {"reg_no", &MentionTable::reg_no},
                 {"id_no", &MentionTable::id_no},       {"name", &MentionTable::folded},
                 {"core", &MentionTable::core},         {"trade", &MentionTable::trade},
                 {"region", &MentionTable::region},     {"phone", &MentionTable::phone},
                 {"address", &MentionTable::address},   {"rel_name", &MentionTable::rel_name},
                 {"weak_codes", &MentionTable::weak_codes}};
             py::list out(t.size());
             const auto column = strings.find(field);
             for (MentionId m = 0; m < t.size(); ++m) {
               std::string value;
               if (column != strings.end()) {
                 value = std::string((t.*(column->second))[m]);
               } else if (field == "rid") {
                 value = std::string(t.rid[m]);
               } else if (field == "source") {
                 value = std::string(t.Source(m));
               } else if (field == "role") {
                 value = cg::core::ToString(t.role[m]);
               } else if (field == "class") {
                 value = t.kind_class[m] == cg::core::resolve::KindClass::kPerson ? "person" : "organization";
               } else if (field == "birth") {
                 value = cg::core::FormatDate(t.birth[m]);
               } else {
                 throw py::value_error("mention_column: unknown field '" + field +
                                       "' (one of source, rid, role, class, uscc, org_code, reg_no, "
                                       "id_no, name, core, trade, region, birth, phone, address, "
                                       "rel_name, weak_codes)");
               }
               PyObject* text = PyUnicode_DecodeUTF8(value.data(), static_cast<Py_ssize_t>(value.size()), "replace");
               if (text == nullptr) throw py::error_already_set();
               PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(m), text);
             }
             return out;
           },
           py::arg("field"),
           "One column of the normalized mention table as a list of str, in mention order (for "
           "benchmarks against peer tools, a column at a time: the whole table as Python objects "
           "takes gigabytes at SF=0.1). Fields: source, rid, role, class, uscc, org_code, reg_no, "
           "id_no, name (folded), core, trade, region, birth, phone, address, rel_name, "
           "weak_codes. id_no holds ID numbers in clear: internal use only, never for "
           "public-facing output.")
      .def("entities",
           [](const Resolution& r, bool mask_id_numbers) {
             std::vector<std::string> id, kind, uscc, org_code, reg_no, id_no, name, region;
             std::vector<std::uint32_t> node, mentions;
             const auto entities = r.resolver->Entities();
             for (std::size_t e = 0; e < entities.size(); ++e) {
               const auto& entity = entities[e];
               node.push_back(static_cast<std::uint32_t>(e));
               id.push_back(entity.id);
               kind.emplace_back(cg::core::ToString(entity.kind));
               uscc.push_back(entity.uscc);
               org_code.push_back(entity.org_code);
               reg_no.push_back(entity.reg_no);
               id_no.push_back(mask_id_numbers ? cg::core::MaskIdNumber(entity.id_no) : entity.id_no);
               name.push_back(entity.name);
               region.push_back(entity.region);
               mentions.push_back(entity.mentions);
             }
             py::dict out;
             out["node"] = node;
             out["id"] = id;
             out["kind"] = kind;
             out["uscc"] = uscc;
             out["org_code"] = org_code;
             out["reg_no"] = reg_no;
             out["id_no"] = id_no;
             out["name"] = name;
             out["region"] = region;
             out["mentions"] = mentions;
             return out;
           },
           py::arg("mask_id_numbers") = true,
           "Columns node (dense NodeId), id, kind, uscc, org_code, reg_no, id_no (masked unless "
           "asked), name, region, mentions.")
      .def("explain_link",
           [](const Resolution& r, const std::string& a, const std::string& b) {
             const auto explanation = r.resolver->ExplainLink(Lookup(*r.resolver, a), Lookup(*r.resolver, b));
             py::dict out;
             out["mention_a"] = explanation.mention_a;
             out["mention_b"] = explanation.mention_b;
             out["entity_a"] = explanation.entity_a;
             out["entity_b"] = explanation.entity_b;
             out["same_entity"] = explanation.same_entity;
             out["key"] = explanation.key;
             out["conflict"] = explanation.conflict;
             out["compared"] = explanation.compared;
             py::list fields;
             for (const auto& field : explanation.fields) {
               py::dict f;
               f["field"] = field.field;
               f["level"] = field.level;
               f["level_name"] = field.level_name;
               f["weight"] = field.weight;
               fields.append(f);
             }
             out["fields"] = fields;
             out["prior_weight"] = explanation.prior_weight;
             out["tf_adjustment"] = explanation.tf_adjustment;
             out["total_weight"] = explanation.total_weight;
             out["probability"] = explanation.probability;
             out["accepted"] = explanation.accepted;
             out["text"] = explanation.ToString();
             return out;
           },
           py::arg("a"), py::arg("b"),
           "Explains the link between two mentions written source/rid/role.")
      .def("add_columns",
           [](Resolution& r, const std::vector<std::string>& names,
              const std::vector<std::vector<std::optional<std::string>>>& columns) {
             AddColumns(*r.resolver, names, columns);
             r.records += columns.empty() ? 0 : columns.front().size();
             py::gil_scoped_release release;
             cg::py_bind::ThrowIfError(Resolver::CheckCapacity(r.resolver->mentions().size()));
             r.stats = r.resolver->Resolve();
           },
           "Incremental: adds records (canonical columns) and resolves only what they touch.");

  m.def(
      "resolve_db",
      [](const std::string& db, double match_probability, int em_iterations, bool incremental) {
        auto r = std::make_shared<Resolution>();
        r->resolver = std::make_unique<Resolver>(Options(match_probability, em_iterations, incremental));
        {
          py::gil_scoped_release release;
          auto records = cg::core::resolve::AddDatabase(db, *r->resolver);
          if (!records.ok()) {
            py::gil_scoped_acquire acquire;
            cg::py_bind::ThrowIfError(records.status());
          }
          r->records = *records;
          cg::py_bind::ThrowIfError(Resolver::CheckCapacity(r->resolver->mentions().size()));
          r->stats = r->resolver->Resolve();
        }
        return r;
      },
      py::arg("db"), py::arg("match_probability") = 0.99, py::arg("em_iterations") = 200,
      py::arg("incremental") = true,
      "Resolves every record of a database folder written by ingest (incremental=False: the blocking "
      "keys are freed early; a later add_columns then resolves everything again).");
  py::class_<MentionSet, std::shared_ptr<MentionSet>>(m, "MentionSet",
                                                      "The normalized mentions of a database, held in memory.")
      .def("__len__", [](const MentionSet& set) { return set.table.size(); })
      .def_property_readonly("records", [](const MentionSet& set) { return set.records; })
      .def_property_readonly("memory_bytes", [](const MentionSet& set) { return set.table.MemoryBytes(); });
  m.def(
      "read_mentions",
      [](const std::string& db) {
        auto set = std::make_shared<MentionSet>();
        py::gil_scoped_release release;
        Resolver reader{cg::core::resolve::ResolveOptions{}};
        auto records = cg::core::resolve::AddDatabase(db, reader);
        if (!records.ok()) {
          py::gil_scoped_acquire acquire;
          cg::py_bind::ThrowIfError(records.status());
        }
        set->table = std::move(reader.mentions());
        set->records = *records;
        return set;
      },
      py::arg("db"), "Reads and normalizes the mentions of a database folder (no resolution).");
  m.def(
      "resolve_mentions",
      [](const MentionSet& set, double match_probability, int em_iterations, bool incremental) {
        auto r = std::make_shared<Resolution>();
        r->resolver = std::make_unique<Resolver>(Options(match_probability, em_iterations, incremental));
        py::gil_scoped_release release;
        // A copy, so that the set can be resolved again; column by column in parallel.
        r->resolver->mentions().Append(set.table);
        r->records = set.records;
        cg::py_bind::ThrowIfError(Resolver::CheckCapacity(r->resolver->mentions().size()));
        r->stats = r->resolver->Resolve();
        return r;
      },
      py::arg("mentions"), py::arg("match_probability") = 0.99, py::arg("em_iterations") = 200,
      py::arg("incremental") = true,
      "Resolves mentions read by read_mentions (copied, so that they can be resolved again).");
  m.def(
      "resolve_columns",
      [](const std::vector<std::string>& names,
         const std::vector<std::vector<std::optional<std::string>>>& columns, double match_probability,
         int em_iterations) {
        auto r = std::make_shared<Resolution>();
        r->resolver = std::make_unique<Resolver>(Options(match_probability, em_iterations));
        AddColumns(*r->resolver, names, columns);
        r->records = columns.empty() ? 0 : columns.front().size();
        py::gil_scoped_release release;
        cg::py_bind::ThrowIfError(Resolver::CheckCapacity(r->resolver->mentions().size()));
        r->stats = r->resolver->Resolve();
        return r;
      },
      py::arg("names"), py::arg("columns"), py::arg("match_probability") = 0.99,
      py::arg("em_iterations") = 200,
      "Resolves records given as canonical columns (source, rid, kind, subject_*, party_*).");
  m.def("mask_id_number", [](std::string_view id_no) { return cg::core::MaskIdNumber(id_no); }, "370102********1234");
}
