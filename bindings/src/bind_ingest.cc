// creditgraph._core.ingest: the ingest session and read-only views of the store (counts,
// quarantine, records, change log) as plain dicts of lists, for pandas on the Python side.
// Conversion only; the GIL is released around every long call.
#include <pybind11/stl.h>

#include <sstream>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/date.h"
#include "core/ingest/ingest.h"
#include "core/store/store.h"

namespace py = pybind11;

namespace {

using cg::core::RecordKind;
using cg::core::ingest::IngestOptions;
using cg::core::ingest::IngestReport;
using cg::core::ingest::IngestSession;
using cg::core::store::Store;
using cg::py_bind::ThrowIfError;

py::dict CountsToDict(const std::vector<cg::core::store::SourceCounts>& all) {
  std::vector<std::string> source, kind;
  std::vector<std::uint64_t> read, loaded, quarantined, flagged, inserted, updated, deleted;
  for (const auto& counts : all) {
    source.push_back(counts.source);
    kind.emplace_back(cg::core::ToString(counts.kind));
    read.push_back(counts.read);
    loaded.push_back(counts.loaded);
    quarantined.push_back(counts.quarantined);
    flagged.push_back(counts.flagged);
    inserted.push_back(counts.inserted);
    updated.push_back(counts.updated);
    deleted.push_back(counts.deleted);
  }
  py::dict out;
  out["source"] = source;
  out["kind"] = kind;
  out["read"] = read;
  out["loaded"] = loaded;
  out["quarantined"] = quarantined;
  out["flagged"] = flagged;
  out["inserted"] = inserted;
  out["updated"] = updated;
  out["deleted"] = deleted;
  return out;
}

py::dict ReportToDict(const IngestReport& report) {
  py::dict out;
  out["dataset"] = report.dataset;
  out["dataset_dir"] = report.dataset_dir;
  out["db_path"] = report.db_path;
  out["sources"] = CountsToDict(report.sources);
  out["refused_columns"] = report.refused_columns;
  out["read"] = report.read;
  out["loaded"] = report.loaded;
  out["quarantined"] = report.quarantined;
  out["run"] = report.run;
  out["last_change_seq"] = report.last_change_seq;
  out["seconds"] = report.seconds;
  out["text"] = cg::core::ingest::FormatReport(report);
  return out;
}

std::unique_ptr<Store> OpenReader(const std::string& db_path) {
  auto store = Store::Open(db_path, {.read_only = true});
  ThrowIfError(store.status());
  return std::move(*store);
}

RecordKind KindOrThrow(const std::string& text) {
  auto kind = cg::core::ParseRecordKind(text);
  if (!kind) {
    throw cg::py_bind::InputError("unknown record kind '" + text +
                                  "' (registry, person, shareholder, officer, branch, guarantee, "
                                  "list, penalty, license, commitment, rating)");
  }
  return *kind;
}

/// Flat columns of the records of one kind (dates as ISO text, empty when unknown).
struct RecordColumns {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> text;

  void Add(std::string_view name, std::string value) {
    if (row_column_ == names.size()) {
      names.emplace_back(name);
      text.emplace_back(rows_, std::string());
    }
    text[row_column_++].push_back(std::move(value));
  }
  void EndRow() {
    row_column_ = 0;
    ++rows_;
  }
  std::size_t row_column_ = 0;
  std::size_t rows_ = 0;
};

std::string Number(const std::optional<double>& value) {
  if (!value) return "";
  std::ostringstream out;
  out.precision(15);
  out << *value;
  return out.str();
}

void AddIdentity(RecordColumns& columns, std::string_view prefix,
                 const cg::core::Identity& identity) {
  auto name = [&](std::string_view suffix) { return std::string(prefix) + std::string(suffix); };
  columns.Add(name("uscc"), identity.uscc);
  columns.Add(name("reg_no"), identity.reg_no);
  columns.Add(name("org_code"), identity.org_code);
  columns.Add(name("id_no"), identity.id_no);
  columns.Add(name("name"), identity.name);
  columns.Add(name("kind"), std::string(cg::core::ToString(identity.kind)));
  columns.Add(name("region"), identity.region);
  columns.Add(name("address"), identity.address);
  columns.Add(name("phone"), identity.phone);
  columns.Add(name("birth"), cg::core::FormatDate(identity.birth));
  columns.Add(name("weak"), std::to_string(identity.weak));
}

void AddRecord(RecordColumns& columns, const cg::core::Record& record) {
  using cg::core::FormatDate;
  columns.Add("source", record.source);
  columns.Add("rid", record.rid);
  AddIdentity(columns, "subject_", record.subject);
  if (cg::core::HasParty(record.kind)) AddIdentity(columns, "party_", record.party);
  switch (record.kind) {
    case RecordKind::kRegistry:
      columns.Add("status", std::string(cg::core::ToString(record.status)));
      columns.Add("est_date", FormatDate(record.est_date));
      columns.Add("reg_capital", Number(record.reg_capital));
      columns.Add("industry", record.industry);
      break;
    case RecordKind::kShareholder:
      columns.Add("ratio", Number(record.ratio));
      columns.Add("amount", Number(record.amount));
      break;
    case RecordKind::kOfficer:
      columns.Add("role", std::string(cg::core::ToString(record.role)));
      break;
    case RecordKind::kGuarantee:
      columns.Add("amount", Number(record.amount));
      columns.Add("start", FormatDate(record.start));
      columns.Add("end", FormatDate(record.end));
      break;
    case RecordKind::kList:
      columns.Add("list", record.list);
      columns.Add("listed_on", FormatDate(record.listed_on));
      columns.Add("removed_on", FormatDate(record.removed_on));
      columns.Add("disputed", record.disputed ? "true" : "false");
      columns.Add("case_no", record.case_no);
      columns.Add("reason", record.reason);
      break;
    case RecordKind::kPenalty:
      columns.Add("decision_no", record.decision_no);
      columns.Add("decided_on", FormatDate(record.decided_on));
      columns.Add("severity", std::string(cg::core::ToString(record.severity)));
      columns.Add("amount", Number(record.amount));
      columns.Add("domain", record.domain);
      columns.Add("publicity_until", FormatDate(record.publicity_until));
      break;
    case RecordKind::kLicense:
      columns.Add("license_no", record.license_no);
      columns.Add("granted_on", FormatDate(record.granted_on));
      columns.Add("valid_until", FormatDate(record.valid_until));
      columns.Add("domain", record.domain);
      break;
    case RecordKind::kCommitment:
      columns.Add("made_on", FormatDate(record.made_on));
      columns.Add("topic", record.topic);
      columns.Add("status", std::string(cg::core::ToString(record.commitment_status)));
      break;
    case RecordKind::kRating:
      columns.Add("scheme", record.scheme);
      columns.Add("grade", record.grade);
      columns.Add("rated_on", FormatDate(record.rated_on));
      break;
    case RecordKind::kPerson:
    case RecordKind::kBranch:
      break;
  }
  std::string attrs, flags;
  for (const auto& [name, value] : record.attrs) {
    if (!attrs.empty()) attrs += "; ";
    attrs += name + "=" + value;
  }
  for (const auto& [name, reason] : record.flags) {
    if (!flags.empty()) flags += "; ";
    flags += name + ": " + reason;
  }
  columns.Add("attrs", attrs);
  columns.Add("flags", flags);
  columns.EndRow();
}

}  // namespace

CG_BIND(ingest) {
  py::class_<IngestSession>(m, "Session",
                            "One ingest run: catalog checked at open, staged until commit().")
      .def(py::init([](const std::string& dataset_dir, const std::string& db_path,
                       std::size_t batch_rows, bool progress) {
             IngestOptions options;
             options.batch_rows = batch_rows;
             options.progress = progress;
             absl::StatusOr<std::unique_ptr<IngestSession>> session;
             {
               py::gil_scoped_release release;
               session = IngestSession::Open(dataset_dir, db_path, options);
             }
             ThrowIfError(session.status());
             return std::move(*session);
           }),
           py::arg("dataset_dir"), py::arg("db_path"), py::arg("batch_rows") = 4096,
           py::arg("progress") = false)
      .def("sources",
           [](const IngestSession& session) {
             py::list out;
             for (const auto& spec : session.catalog().sources) {
               py::dict source;
               source["id"] = spec.id;
               source["kind"] = std::string(cg::core::ToString(spec.kind));
               source["path"] = spec.path;
               source["full_path"] = spec.full_path;
               source["format"] = std::string(cg::core::ingest::ToString(spec.format));
               source["encoding"] = std::string(cg::core::ingest::ToString(spec.encoding));
               source["authority"] = spec.authority;
               out.append(source);
             }
             return out;
           })
      .def(
          "ingest_file_sources",
          [](IngestSession& session) { ThrowIfError(session.IngestFileSources()); },
          py::call_guard<py::gil_scoped_release>(), "Reads every csv and jsonl source.")
      .def(
          "begin_external",
          [](IngestSession& session, const std::string& source) {
            ThrowIfError(session.BeginExternalSource(source));
          },
          py::call_guard<py::gil_scoped_release>())
      .def(
          "add_rows",
          [](IngestSession& session, const std::vector<std::string>& names,
             const std::vector<std::vector<std::optional<std::string>>>& columns) {
            py::gil_scoped_release release;
            ThrowIfError(session.AddExternalRows(names, columns));
          },
          py::arg("names"), py::arg("columns"),
          "One batch of rows, column-major: lists of str or None.")
      .def(
          "end_external",
          [](IngestSession& session) { ThrowIfError(session.EndExternalSource()); },
          py::call_guard<py::gil_scoped_release>())
      .def("commit", [](IngestSession& session) {
        absl::StatusOr<IngestReport> report;
        {
          py::gil_scoped_release release;
          report = session.Commit();
        }
        ThrowIfError(report.status());
        return ReportToDict(*report);
      });

  m.def(
      "ingest_dataset",
      [](const std::string& dataset_dir, const std::string& db_path, bool progress) {
        IngestOptions options;
        options.progress = progress;
        absl::StatusOr<IngestReport> report;
        {
          py::gil_scoped_release release;
          report = cg::core::ingest::IngestDataset(dataset_dir, db_path, options);
        }
        ThrowIfError(report.status());
        return ReportToDict(*report);
      },
      py::arg("dataset_dir"), py::arg("db_path"), py::arg("progress") = false,
      "Ingests a data set of csv/jsonl sources (Parquet: use creditgraph.ingest.ingest).");

  m.def(
      "counts",
      [](const std::string& db_path) {
        std::vector<cg::core::store::SourceCounts> all;
        {
          py::gil_scoped_release release;
          auto store = OpenReader(db_path);
          auto counts = store->AllSourceCounts();
          ThrowIfError(counts.status());
          all = std::move(*counts);
        }
        return CountsToDict(all);
      },
      py::arg("db_path"), "Per-source counts stored by the last ingest (meta count/<source>).");

  m.def(
      "quarantine",
      [](const std::string& db_path, const std::string& source) {
        std::vector<std::string> sources, rids, fields, reasons, raws;
        std::vector<std::uint64_t> rows;
        {
          py::gil_scoped_release release;
          auto store = OpenReader(db_path);
          ThrowIfError(store->ForEachQuarantine(
              source, [&](const cg::core::store::QuarantineEntry& entry) {
                sources.push_back(entry.source);
                rids.push_back(entry.rid);
                rows.push_back(entry.seq + 1);
                fields.push_back(entry.field);
                reasons.push_back(entry.reason);
                raws.push_back(entry.raw);
                return true;
              }));
        }
        py::dict out;
        out["source"] = sources;
        out["rid"] = rids;
        out["row"] = rows;
        out["field"] = fields;
        out["reason"] = reasons;
        out["raw"] = raws;
        return out;
      },
      py::arg("db_path"), py::arg("source") = "",
      "Quarantined rows: source, rid, row (1-based, in the source), field, reason, raw (JSON).");

  m.def(
      "records",
      [](const std::string& db_path, const std::string& kind, const std::string& source,
         std::size_t limit) {
        const RecordKind parsed = KindOrThrow(kind);
        RecordColumns columns;
        {
          py::gil_scoped_release release;
          auto store = OpenReader(db_path);
          ThrowIfError(store->ForEachRecord(parsed, source, [&](const cg::core::Record& record) {
            AddRecord(columns, record);
            return limit == 0 || columns.rows_ < limit;
          }));
        }
        py::dict out;
        for (std::size_t index = 0; index < columns.names.size(); ++index) {
          out[py::str(columns.names[index])] = columns.text[index];
        }
        return out;
      },
      py::arg("db_path"), py::arg("kind"), py::arg("source") = "", py::arg("limit") = 0,
      "Records of one kind as columns of text (for small databases).");

  m.def(
      "record_count",
      [](const std::string& db_path, const std::string& kind, const std::string& source) {
        const RecordKind parsed = KindOrThrow(kind);
        py::gil_scoped_release release;
        auto store = OpenReader(db_path);
        auto count = store->CountRecords(parsed, source);
        ThrowIfError(count.status());
        return *count;
      },
      py::arg("db_path"), py::arg("kind"), py::arg("source") = "",
      "Number of records of a kind (of one source, or all) stored.");

  m.def(
      "changes",
      [](const std::string& db_path, std::uint64_t after) {
        std::vector<std::uint64_t> seqs;
        std::vector<std::string> ops, kinds, sources, rids;
        {
          py::gil_scoped_release release;
          auto store = OpenReader(db_path);
          ThrowIfError(store->ReadChanges(after, [&](const cg::core::store::Change& change) {
            seqs.push_back(change.seq);
            ops.emplace_back(cg::core::store::ToString(change.op));
            kinds.emplace_back(cg::core::ToString(change.kind));
            sources.push_back(change.source);
            rids.push_back(change.rid);
            return true;
          }));
        }
        py::dict out;
        out["seq"] = seqs;
        out["op"] = ops;
        out["kind"] = kinds;
        out["source"] = sources;
        out["rid"] = rids;
        return out;
      },
      py::arg("db_path"), py::arg("after") = 0, "The change log after a sequence number.");

  m.def(
      "meta",
      [](const std::string& db_path, const std::string& prefix) {
        std::vector<std::pair<std::string, std::string>> entries;
        {
          py::gil_scoped_release release;
          auto store = OpenReader(db_path);
          ThrowIfError(store->ScanPrefix(cg::core::store::kMetaFamily, prefix,
                                         [&](std::string_view key, std::string_view value) {
                                           if (key.rfind("cursor/", 0) == 0) {
                                             entries.emplace_back(
                                                 key, std::to_string(
                                                          cg::core::store::DecodeBigEndian64(
                                                              value)));
                                           } else {
                                             entries.emplace_back(key, value);
                                           }
                                           return true;
                                         }));
        }
        py::dict out;
        for (const auto& [key, value] : entries) out[py::str(key)] = py::bytes(value).attr("decode")("utf-8", "replace");
        return out;
      },
      py::arg("db_path"), py::arg("prefix") = "", "Meta entries (catalog, stage status, counts).");
}
