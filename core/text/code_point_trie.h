// A small trie over Unicode code points for dictionary matching at the start (prefixes) or at
// the end (suffixes) of UTF-8 text: region names, organization forms, branch markers, industry
// words. One integer-keyed hash probe per character walked, and the walk stops at the first
// character no word continues with, so a miss costs one probe instead of one string hash per
// candidate length. The edges live in one open-addressing table (multiplicative hash, linear
// probing, at most half full: a probe is one multiply and, in the common case, one slot read);
// each edge says whether its node ends a word, so a walk reads a node's values only there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>


namespace cg::core {

class CodePointTrie {
 public:
  enum class Direction { kForward, kBackward };

  explicit CodePointTrie(Direction direction) : direction_(direction), values_(1) {}

  /// Adds `word` with `value` (a word may carry several values).
  void Insert(std::string_view word, std::uint32_t value) {
    std::uint32_t node = 0;
    std::size_t last_slot = kNoSlot;
    Walk(word, [&](char32_t cp, std::size_t) {
      const std::uint64_t key = Key(node, cp);
      std::size_t slot = slots_.empty() ? kNoSlot : FindSlot(key);
      if (slot == kNoSlot || slots_[slot].key != key) {
        const auto next = static_cast<std::uint32_t>(values_.size());
        values_.emplace_back();
        slot = AddEdge(key, next);
      }
      node = slots_[slot].child & kChildMask;
      last_slot = slot;
      return true;
    });
    values_[node].push_back(value);
    if (last_slot != kNoSlot) slots_[last_slot].child |= kEndsWord;
  }

  /// For every word that is a prefix (forward trie) or suffix (backward trie) of `text`, shortest
  /// first: fn(bytes_matched, value).
  template <typename Fn>
  void ForEachMatch(std::string_view text, Fn&& fn) const {
    if (slots_.empty()) return;
    std::uint32_t node = 0;
    Walk(text, [&](char32_t cp, std::size_t consumed) {
      const std::uint64_t key = Key(node, cp);
      const Slot& slot = slots_[FindSlot(key)];
      if (slot.key != key) return false;
      node = slot.child & kChildMask;
      if (slot.child & kEndsWord) {
        for (const std::uint32_t value : values_[node]) fn(consumed, value);
      }
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
  // One edge: (parent node, code point) → child node, the top bit of `child` set when the child
  // ends a word.
  struct Slot {
    std::uint64_t key = kEmpty;
    std::uint32_t child = 0;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};  // no (node, code point) key is this
  static constexpr std::uint32_t kEndsWord = std::uint32_t{1} << 31;
  static constexpr std::uint32_t kChildMask = kEndsWord - 1;
  static constexpr std::size_t kNoSlot = ~std::size_t{0};

  static std::uint64_t Key(std::uint32_t node, char32_t cp) {
    return (std::uint64_t(node) << 21) | std::uint64_t(cp);
  }

  // The slot holding `key`, or the empty slot where it would go (slots_ not empty).
  std::size_t FindSlot(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_) & mask;
    while (slots_[slot].key != key && slots_[slot].key != kEmpty) slot = (slot + 1) & mask;
    return slot;
  }

  // Adds an edge that is not there yet; returns its slot. Grows the table to keep it at most half
  // full (rehashing every edge).
  std::size_t AddEdge(std::uint64_t key, std::uint32_t child) {
    if (2 * (edges_ + 1) > slots_.size()) {
      std::vector<Slot> old = std::move(slots_);
      std::size_t size = 16;
      int bits = 4;
      while (size < 4 * (edges_ + 1)) {
        size *= 2;
        ++bits;
      }
      slots_.assign(size, Slot{});
      shift_ = 64 - bits;
      for (const Slot& moved : old) {
        if (moved.key != kEmpty) slots_[FindSlot(moved.key)] = moved;
      }
    }
    const std::size_t slot = FindSlot(key);
    slots_[slot] = Slot{key, child};
    ++edges_;
    return slot;
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
  std::vector<Slot> slots_;  // a power of two in size, or empty
  int shift_ = 64;           // the hash's top bits index the slots
  std::size_t edges_ = 0;
  std::vector<std::vector<std::uint32_t>> values_;  // per node
};

}  // namespace cg::core
