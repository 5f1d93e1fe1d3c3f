// Feeding the resolver from the RocksDB store that ingest wrote (core/store): every record of
// every kind, in key order, streamed into Resolver::Add. The stage glue may equally stream
// records itself (e.g. only the changes since the resolver's cursor, for incremental runs).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "core/resolve/resolver.h"
#include "core/store/record_codec.h"
#include "core/store/store.h"

namespace cg::core::resolve {

/// Adds every record of the store to the resolver (decoded and normalized in parallel, appended in
/// key order: the same table as Add() record by record); returns the number of records read.
/// `visit`, when given, sees every record too, in that order, on the calling thread.
/// `chunk_records` records are decoded per task, `window_chunks` chunks read ahead. `skip`, when
/// given, leaves out the records whose (kind, key) it returns true for (an incremental run adds
/// its new records after the old ones). Only the fields mentions are made of (source, rid, kind,
/// both identities) are decoded, and `visit_fields` besides: `visit` sees records with those.
absl::StatusOr<std::uint64_t> AddStoreRecords(
    store::Store& store, Resolver& resolver, const std::function<void(const Record&)>& visit = {},
    std::size_t chunk_records = 8192, std::size_t window_chunks = 32,
    const std::function<bool(RecordKind, std::string_view)>& skip = {},
    store::RecordFieldMask visit_fields = {});

/// The fields of a Record that MentionTable::Add reads.
store::RecordFieldMask MentionFields();

/// Opens the database folder read-only and adds all its records.
absl::StatusOr<std::uint64_t> AddDatabase(const std::string& db_path, Resolver& resolver);

}  // namespace cg::core::resolve
