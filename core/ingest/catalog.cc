// catalog.yaml reader and validator (yaml-cpp).
#include "core/ingest/catalog.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "core/date.h"
#include "core/ingest/fields.h"

namespace cg::core::ingest {
namespace fs = std::filesystem;
namespace {

bool ValidSourceId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return text;
}

std::string KindList() {
  std::string names;
  for (int index = 0; index < kNumRecordKinds; ++index) {
    if (index) names += ", ";
    names += ToString(RecordKind(index));
  }
  return names;
}

std::string Scalar(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : std::string();
}

}  // namespace

std::string_view ToString(Format format) {
  switch (format) {
    case Format::kCsv: return "csv";
    case Format::kJsonl: return "jsonl";
    case Format::kParquet: return "parquet";
  }
  return "?";
}

std::string_view ToString(Encoding encoding) {
  return encoding == Encoding::kUtf8 ? "utf-8" : "gb18030";
}

absl::StatusOr<Catalog> ParseCatalog(const std::string& yaml, const std::string& dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(
        "catalog.yaml is not valid YAML (line " + std::to_string(error.mark.line + 1) +
        ", column " + std::to_string(error.mark.column + 1) + "): " + error.msg +
        "; fix the file (catalog.md §2)");
  }
  if (!root.IsMap()) {
    return absl::InvalidArgumentError(
        "catalog.yaml must be a mapping with `name`, `as_of` and `sources` (catalog.md §2)");
  }
  Catalog catalog;
  catalog.dir = dir;
  catalog.yaml = yaml;
  std::vector<std::string> problems;
  catalog.name = Scalar(root["name"]);
  if (root["as_of"]) {
    auto as_of = ParseDate(Scalar(root["as_of"]));
    if (!as_of) {
      problems.push_back("as_of '" + Scalar(root["as_of"]) +
                         "' is not a date (use 2026-06-30)");
    } else {
      catalog.as_of = *as_of;
    }
  }
  const YAML::Node sources = root["sources"];
  if (!sources || !sources.IsSequence() || sources.size() == 0) {
    problems.push_back("`sources` must be a non-empty list of sources");
  } else {
    absl::flat_hash_set<std::string> seen;
    for (std::size_t index = 0; index < sources.size(); ++index) {
      const YAML::Node node = sources[index];
      SourceSpec spec;
      spec.id = Scalar(node["id"]);
      const std::string label = "source #" + std::to_string(index + 1) +
                                (spec.id.empty() ? "" : " '" + spec.id + "'");
      auto problem = [&](const std::string& text) { problems.push_back(label + ": " + text); };
      if (!node.IsMap()) {
        problem("must be a mapping with id, kind and path");
        continue;
      }
      if (spec.id.empty()) {
        problem("has no `id`");
      } else if (!ValidSourceId(spec.id)) {
        problem("id '" + spec.id + "' must match [a-z0-9_]+");
      } else if (!seen.insert(spec.id).second) {
        problem("duplicate source id '" + spec.id + "' (ids must be unique)");
      }
      const std::string kind_text = Scalar(node["kind"]);
      if (auto kind = ParseRecordKind(kind_text)) {
        spec.kind = *kind;
      } else {
        problem("kind '" + kind_text + "' is not one of " + KindList());
      }
      spec.path = Scalar(node["path"]);
      if (spec.path.empty()) {
        problem("has no `path`");
      } else {
        spec.full_path = (fs::path(dir) / spec.path).string();
        std::error_code error;
        if (!fs::is_regular_file(spec.full_path, error)) {
          problem("file '" + spec.path + "' does not exist in " + dir);
        }
      }
      std::string format = Lower(Scalar(node["format"]));
      if (format.empty()) {
        const std::string extension = Lower(fs::path(spec.path).extension().string());
        format = extension.empty() ? "" : extension.substr(1);
        if (format != "csv" && format != "jsonl" && format != "parquet") {
          problem("cannot tell the format of '" + spec.path +
                  "' from its ending: add `format: csv|jsonl|parquet`");
          format = "csv";
        }
      }
      if (format == "csv") {
        spec.format = Format::kCsv;
      } else if (format == "jsonl") {
        spec.format = Format::kJsonl;
      } else if (format == "parquet") {
        spec.format = Format::kParquet;
      } else {
        problem("format '" + format + "' is not one of csv, jsonl, parquet");
      }
      const std::string encoding = Lower(Scalar(node["encoding"]));
      if (encoding.empty() || encoding == "utf-8" || encoding == "utf8") {
        spec.encoding = Encoding::kUtf8;
      } else if (encoding == "gb18030") {
        spec.encoding = Encoding::kGb18030;
        if (spec.format == Format::kParquet) {
          problem("encoding applies to csv and jsonl only (Parquet text is UTF-8)");
        }
      } else {
        problem("encoding '" + encoding + "' is not one of utf-8, gb18030");
      }
      spec.authority = Scalar(node["authority"]);
      if (const YAML::Node columns = node["columns"]) {
        if (!columns.IsMap()) {
          problem("`columns` must map canonical fields to column names");
        } else {
          for (const auto& entry : columns) {
            const std::string field = entry.first.as<std::string>("");
            const std::string column = Scalar(entry.second);
            auto parsed = ParseField(field);
            if (!parsed) {
              problem("columns: '" + field + "' is not a canonical field (catalog.md §3–§4)");
            } else if (!KindUsesField(spec.kind, *parsed)) {
              problem("columns: field '" + field + "' does not apply to kind " +
                      std::string(ToString(spec.kind)));
            } else if (column.empty()) {
              problem("columns: field '" + field + "' maps to no column name");
            } else {
              spec.columns.emplace_back(field, column);
            }
          }
        }
      }
      catalog.sources.push_back(std::move(spec));
    }
  }
  if (!problems.empty()) {
    std::string message = "catalog.yaml in " + dir + " is refused, nothing was written:";
    for (const std::string& text : problems) message += "\n  - " + text;
    return absl::InvalidArgumentError(message);
  }
  return catalog;
}

absl::StatusOr<Catalog> LoadCatalog(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return absl::NotFoundError("data set folder " + dir + " does not exist");
  }
  const fs::path path = fs::path(dir) / "catalog.yaml";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError("no catalog.yaml in " + dir +
                               ": a data set is a folder with catalog.yaml (catalog.md §1)");
  }
  std::stringstream text;
  text << in.rdbuf();
  return ParseCatalog(text.str(), dir);
}

}  // namespace cg::core::ingest
