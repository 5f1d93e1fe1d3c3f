// A small trie over Unicode code points for dictionary matching at the start (prefixes) or at
// the end (suffixes) of UTF-8 text: region names, organization forms, branch markers, industry
// words. One integer-keyed hash probe per character walked, and the walk stops at the first
// character no word continues with, so a miss costs one probe instead of one string hash per
// candidate length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace cg::core {

class CodePointTrie {
 public:
  enum class Direction { kForward, kBackward };

  explicit CodePointTrie(Direction direction) : direction_(direction), values_(1) {}

  /// Adds `word` with `value` (a word may carry several values).
  void Insert(std::string_view word, std::uint32_t value) {
    std::uint32_t node = 0;
    Walk(word, [&](char32_t cp, std::size_t) {
      const std::uint64_t key = Key(node, cp);
      const auto found = edges_.find(key);
      if (found != edges_.end()) {
        node = found->second;
      } else {
        const auto next = static_cast<std::uint32_t>(values_.size());
        values_.emplace_back();
        edges_.emplace(key, next);
        node = next;
      }
      return true;
    });
    values_[node].push_back(value);
  }

  /// For every word that is a prefix (forward trie) or suffix (backward trie) of `text`, shortest
  /// first: fn(bytes_matched, value).
  template <typename Fn>
  void ForEachMatch(std::string_view text, Fn&& fn) const {
    std::uint32_t node = 0;
    Walk(text, [&](char32_t cp, std::size_t consumed) {
      const auto found = edges_.find(Key(node, cp));
      if (found == edges_.end()) return false;
      node = found->second;
      for (const std::uint32_t value : values_[node]) fn(consumed, value);
      return true;
    });
  }

  /// The longest match: its byte length (0 if none) and its first value.
  std::size_t Longest(std::string_view text, std::uint32_t* value = nullptr) const {
    std::size_t best = 0;
    ForEachMatch(text, [&](std::size_t length, std::uint32_t found) {
      if (length > best) {
        best = length;
        if (value != nullptr) *value = found;
      }
    });
    return best;
  }

 private:
  static std::uint64_t Key(std::uint32_t node, char32_t cp) {
    return (std::uint64_t(node) << 21) | std::uint64_t(cp);
  }

  // Calls step(code_point, bytes_consumed_so_far) over the code points of `text` in the trie's
  // direction until step returns false. Invalid UTF-8 bytes are taken as U+FFFD.
  template <typename Step>
  void Walk(std::string_view text, Step&& step) const {
    if (direction_ == Direction::kForward) {
      for (std::size_t pos = 0; pos < text.size();) {
        std::size_t length = 1;
        const char32_t cp = DecodeAt(text, pos, &length);
        pos += length;
        if (!step(cp, pos)) return;
      }
    } else {
      for (std::size_t end = text.size(); end > 0;) {
        std::size_t start = end - 1;
        while (start > 0 && end - start < 4 &&
               (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
          --start;
        }
        std::size_t length = 1;
        char32_t cp = DecodeAt(text, start, &length);
        if (start + length != end) {  // not a well-formed sequence ending at `end`
          start = end - 1;
          cp = 0xFFFD;
        }
        if (!step(cp, text.size() - start)) return;
        end = start;
      }
    }
  }

  static char32_t DecodeAt(std::string_view text, std::size_t pos, std::size_t* length) {
    const auto byte0 = static_cast<unsigned char>(text[pos]);
    *length = 1;
    if (byte0 < 0x80) return byte0;
    const std::size_t need = byte0 >= 0xF0 ? 4 : byte0 >= 0xE0 ? 3 : byte0 >= 0xC0 ? 2 : 1;
    if (need == 1 || pos + need > text.size()) return 0xFFFD;
    char32_t cp = byte0 & (0x7F >> need);
    for (std::size_t i = 1; i < need; ++i) {
      const auto byte = static_cast<unsigned char>(text[pos + i]);
      if ((byte & 0xC0) != 0x80) return 0xFFFD;
      cp = (cp << 6) | (byte & 0x3F);
    }
    *length = need;
    return cp;
  }

  Direction direction_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> edges_;
  std::vector<std::vector<std::uint32_t>> values_;  // per node
};

}  // namespace cg::core
