// One UTF-8 decoder for core/ (identifier normalization and text normalization), on ICU's U8_NEXT.
#pragma once

#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cg::core::text {

/// The code point at text[pos] and its length in bytes. An ill-formed sequence decodes to U+FFFD
/// and is skipped as ICU skips it (its maximal subpart, at least one byte).
inline char32_t DecodeUtf8(std::string_view text, std::size_t pos, std::size_t* length) {
  const auto byte0 = static_cast<unsigned char>(text[pos]);
  if (byte0 < 0x80) {  // ASCII: the common case of codes and most punctuation
    *length = 1;
    return byte0;
  }
  std::int32_t next = static_cast<std::int32_t>(pos);
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const std::uint8_t*>(text.data()), next,
          static_cast<std::int32_t>(text.size()), cp);
  *length = static_cast<std::size_t>(next) - pos;
  return cp < 0 ? char32_t{0xFFFD} : static_cast<char32_t>(cp);
}

}  // namespace cg::core::text
