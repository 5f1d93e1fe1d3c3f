// Grouping items by a dense node id in time proportional to the items (not to the number of
// nodes): a stable LSD radix sort of 64-bit items `node << 32 | payload` over the node id's
// significant bits only. Full propagation groups ratings by subject and restrictions by entity
// with it; a counting sort over the node ids would touch every node of the graph.
// Large inputs are sorted in parallel (TBB): each pass counts per chunk, then every chunk
// scatters its items to its own cursors (chunks in input order: still stable).
#pragma once

#include <tbb/parallel_for.h>

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
  buffer->resize(items->size());
  constexpr std::size_t kParallelFrom = std::size_t{1} << 16;
  if (items->size() >= kParallelFrom) {
    // Chunks of the input: per chunk a histogram, then an exclusive scan over (digit, chunk),
    // then each chunk scatters in its input order. Same result as the serial passes.
    const std::size_t radix = std::size_t(mask) + 1;
    const std::size_t chunks = std::min<std::size_t>(32, items->size() / (kParallelFrom / 4));
    const std::size_t per = (items->size() + chunks - 1) / chunks;
    std::vector<std::uint32_t> cursors(chunks * radix);  // [chunk * radix + digit]
    for (int pass = 0; pass < passes; ++pass) {
      const int shift = 32 + pass * width;
      const std::uint64_t* source = items->data();
      std::uint64_t* target = buffer->data();
      const std::size_t size = items->size();
      tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t chunk) {
        std::uint32_t* count = cursors.data() + chunk * radix;
        std::fill(count, count + radix, 0);
        const std::size_t end = std::min(size, (chunk + 1) * per);
        for (std::size_t at = chunk * per; at < end; ++at) ++count[(source[at] >> shift) & mask];
      });
      std::uint32_t running = 0;
      for (std::size_t digit = 0; digit < radix; ++digit) {
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
          const std::uint32_t here = cursors[chunk * radix + digit];
          cursors[chunk * radix + digit] = running;
          running += here;
        }
      }
      tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t chunk) {
        std::uint32_t* cursor = cursors.data() + chunk * radix;
        const std::size_t end = std::min(size, (chunk + 1) * per);
        for (std::size_t at = chunk * per; at < end; ++at) {
          const std::uint64_t item = source[at];
          target[cursor[(item >> shift) & mask]++] = item;
        }
      });
      items->swap(*buffer);
    }
    return;
  }
  std::vector<std::uint32_t> counts(std::size_t(mask) + 2);
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
