// Compact binary codec of core::Record, the value format of the per-kind column families.
// Hand-written (no library): a version byte, then every field in a fixed order; strings as
// varint length + bytes, dates as zig-zag varints, optional numbers as a presence byte + 8-byte
// IEEE double, enumerations as one byte. Decoding checks every length against the buffer.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/record.h"

namespace cg::core::store {

/// Current format version (first byte of every encoded record).
inline constexpr unsigned char kRecordCodecVersion = 1;

/// Appends the encoding of `record` to `out`.
void EncodeRecord(const Record& record, std::string& out);
std::string EncodeRecord(const Record& record);
/// Decodes a value written by EncodeRecord; a DataLossError for a truncated or foreign value.
absl::StatusOr<Record> DecodeRecord(std::string_view bytes);

}  // namespace cg::core::store
