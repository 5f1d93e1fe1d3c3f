// Feeding the resolver from the RocksDB store that ingest wrote (core/store): every record of
// every kind, in key order, streamed into Resolver::Add. The stage glue may equally stream
// records itself (e.g. only the changes since the resolver's cursor, for incremental runs).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "core/resolve/resolver.h"
#include "core/store/store.h"

namespace cg::core::resolve {

/// Adds every record of the store to the resolver; returns the number of records read.
absl::StatusOr<std::uint64_t> AddStoreRecords(store::Store& store, Resolver& resolver);

/// Opens the database folder read-only and adds all its records.
absl::StatusOr<std::uint64_t> AddDatabase(const std::string& db_path, Resolver& resolver);

}  // namespace cg::core::resolve
