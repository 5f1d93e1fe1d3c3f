// Feeding the resolver from the store (see from_store.h).
#include "core/resolve/from_store.h"

#include <filesystem>

namespace cg::core::resolve {

absl::StatusOr<std::uint64_t> AddStoreRecords(store::Store& store, Resolver& resolver) {
  std::uint64_t records = 0;
  for (int kind = 0; kind < kNumRecordKinds; ++kind) {
    absl::Status status = store.ForEachRecord(static_cast<RecordKind>(kind), "",
                                              [&](const Record& record) {
                                                resolver.Add(record);
                                                ++records;
                                                return true;
                                              });
    if (!status.ok()) return status;
  }
  return records;
}

absl::StatusOr<std::uint64_t> AddDatabase(const std::string& db_path, Resolver& resolver) {
  if (!std::filesystem::exists(db_path)) {
    return absl::NotFoundError("no database at " + db_path +
                               ": run `creditgraph ingest` on a data set first");
  }
  store::OpenOptions options;
  options.read_only = true;
  options.create_if_missing = false;
  auto opened = store::Store::Open(db_path, options);
  if (!opened.ok()) return opened.status();
  return AddStoreRecords(**opened, resolver);
}

}  // namespace cg::core::resolve
