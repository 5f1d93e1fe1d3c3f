// The catalog of a data set (catalog.md §2): read from <dataset>/catalog.yaml with yaml-cpp and
// validated as a whole before anything is written. Every problem is reported with the source
// it concerns (unknown kind, missing file, duplicate id, bad id, bad YAML, unknown format,
// unknown encoding, a `columns:` entry naming no canonical field).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/record.h"
#include "graph/types.h"

namespace cg::core::ingest {

enum class Format : std::uint8_t { kCsv, kJsonl, kParquet };
enum class Encoding : std::uint8_t { kUtf8, kGb18030 };
std::string_view ToString(Format format);
std::string_view ToString(Encoding encoding);

struct SourceSpec {
  std::string id;
  RecordKind kind = RecordKind::kRegistry;
  std::string path;       // as written in the catalog (relative to the folder)
  std::string full_path;  // resolved
  Format format = Format::kCsv;
  Encoding encoding = Encoding::kUtf8;
  std::string authority;
  /// canonical field name <- column name in the file
  std::vector<std::pair<std::string, std::string>> columns;
};

struct Catalog {
  std::string dir;
  std::string name;
  Date as_of = kNoDate;
  std::string yaml;  // the file's text, stored in meta
  std::vector<SourceSpec> sources;
};

/// Reads and validates <dir>/catalog.yaml. InvalidArgument (or NotFound for a missing folder or
/// catalog) with every problem found, one per line, each naming its source.
absl::StatusOr<Catalog> LoadCatalog(const std::string& dir);
/// Validates catalog text (the files it names are looked up under `dir`).
absl::StatusOr<Catalog> ParseCatalog(const std::string& yaml, const std::string& dir);

}  // namespace cg::core::ingest
