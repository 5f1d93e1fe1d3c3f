// String helpers over std::string_view for the whole project. This platform's Abseil (Debian
// 20220623) has its own absl::string_view, distinct from std::string_view, so absl::StrCat,
// StrSplit and heterogeneous hash-map lookups do not accept std::string_view; these do.
#pragma once

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cg::core::strings {

/// Concatenates anything that streams (strings, string_views, numbers).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::ostringstream stream;
  (stream << ... << parts);
  return stream.str();
}

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline std::string_view Strip(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

inline bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) != prefix) return false;
  text->remove_prefix(prefix.size());
  return true;
}

/// Every piece between separators (an empty text gives one empty piece).
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(begin));
      return parts;
    }
    parts.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

template <typename Range>
std::string Join(const Range& range, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& item : range) {
    if (!first) out += separator;
    out += item;
    first = false;
  }
  return out;
}

}  // namespace cg::core::strings
