// LEB128 varints (7 bits a byte, high bit set on every byte but the last), the length prefix of
// the project's hand-packed values: the store's change-log groups, the fact columns, the
// resolver's comparison rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cg::core {

/// Appends `value` as a varint.
inline void PutVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

/// Reads a varint off the front of `in` (advancing it); false when `in` ends inside one.
inline bool GetVarint(std::string_view& in, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace cg::core
