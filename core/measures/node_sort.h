// Grouping items by a dense node id in time proportional to the items (not to the number of
// nodes): a stable LSD radix sort of 64-bit items `node << 32 | payload` over the node id's
// significant bits only. Full propagation groups ratings by subject and restrictions by entity
// with it; a counting sort over the node ids would touch every node of the graph.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace cg::core::measures {

/// Sorts `items` by their upper 32 bits, which must be < num_keys: ascending key, and the
/// items of one key keep their order (stable). Passes of at most 12 bits (a 4,096-entry
/// histogram) over bit_width(num_keys - 1) bits; `buffer` is scratch space.
inline void SortByHighWord(std::vector<std::uint64_t>* items, std::vector<std::uint64_t>* buffer,
                           std::uint64_t num_keys) {
  const int bits = num_keys <= 1 ? 0 : int(std::bit_width(num_keys - 1));
  if (bits == 0 || items->size() < 2) return;
  const int passes = (bits + 11) / 12;
  const int width = (bits + passes - 1) / passes;
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  std::vector<std::uint32_t> counts(std::size_t(mask) + 2);
  buffer->resize(items->size());
  for (int pass = 0; pass < passes; ++pass) {
    const int shift = 32 + pass * width;
    std::fill(counts.begin(), counts.end(), 0);
    for (const std::uint64_t item : *items) ++counts[((item >> shift) & mask) + 1];
    for (std::size_t digit = 1; digit < counts.size(); ++digit) counts[digit] += counts[digit - 1];
    for (const std::uint64_t item : *items) (*buffer)[counts[(item >> shift) & mask]++] = item;
    items->swap(*buffer);
  }
}

}  // namespace cg::core::measures
