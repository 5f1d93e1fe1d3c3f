// Validation of one row into a canonical Record (catalog.md §3–§4, docs/ingest.md):
// identifiers normalized (check-digit failures kept and flagged weak), dates in the four forms,
// numbers, enumerations. A row that cannot be used is quarantined with (field, reason); a bad
// optional field is dropped to "unknown" and recorded in Record::flags.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "core/ingest/catalog.h"
#include "core/ids/ids.h"
#include "core/ingest/rows.h"
#include "core/record.h"
#include "core/store/record_codec.h"

namespace cg::core::ingest {

struct RowVerdict {
  bool ok = false;
  Record record;       // filled when ok (and rid, best effort, when not)
  std::string field;   // when quarantined: the field at fault ("rid", "listed_on", "row", …)
  std::string reason;  // when quarantined: what was wrong
};

/// The same verdict with the record as a store::RecordView into the batch (its cells and column
/// names), the normalized identifiers it views, and static field names: ingest validates into
/// it and encodes it (store::EncodeRecord) without building a Record. Valid while the batch is;
/// reused row after row by the caller (ValidateRowView resets every member).
struct RowViewVerdict {
  bool ok = false;
  store::RecordView record;
  std::string field;
  std::string reason;
  std::array<NormalizedCode, 8> codes;  // subject uscc, reg_no, org_code, id_no, then party's
};

/// Validates row `row` of `batch`, a batch of source `spec`.
RowVerdict ValidateRow(const SourceSpec& spec, const RowBatch& batch, std::size_t row);
/// The same into a verdict the caller reuses from row to row: every member is reset first, and
/// its strings keep their capacity (no allocation per row in the steady state).
void ValidateRowInto(const SourceSpec& spec, const RowBatch& batch, std::size_t row,
                     RowVerdict& verdict);

/// ValidateRowInto's rules, into a view verdict: ok, field and reason as ValidateRow's, and
/// store::EncodeRecord(verdict.record) equal to store::EncodeRecord(ValidateRow(…).record).
void ValidateRowView(const SourceSpec& spec, const RowBatch& batch, std::size_t row,
                     RowViewVerdict& verdict);

/// The row as a JSON object {"column": "value", …} (cells as read; Art. 42 columns never
/// reach a batch), for the quarantine.
std::string RowToJson(const RowBatch& batch, std::size_t row);

/// Convenience for tests and small callers: one row given as (column name, value) pairs, mapped
/// through the source's ColumnPlan like a file row.
RowVerdict ValidateNamedRow(const SourceSpec& spec,
                            const std::vector<std::pair<std::string, std::string>>& row);

/// Parses disputed-style booleans: true/false, 1/0, 是/否 (ASCII case-insensitive).
std::optional<bool> ParseBool(std::string_view text);

}  // namespace cg::core::ingest
