// The CSR graph of the measures engine, built from edge records in parallel without atomics:
// the same graph as graph/csr_builder.h's CsrBuilder::FromEdges with Duplicates::kKeepFirst
// (same arrays, same edge ids; the tests compare them array by array), faster on skewed
// graphs. CsrBuilder scatters with one atomic cursor increment per edge, at random nodes, and
// an atomic read-modify-write lets no other cache miss overlap it: on a graph whose heads are
// heavy-tailed that scatter was most of the engine's construction (bench/measures_bench.cc
// BM_GraphBuild). Here edges are grouped by node with a stable two-level counting sort
// (GroupByKey): input chunks count and then write into blocks of nodes (each chunk its own
// cursors: no sharing), then each block sorts its edges by node in cache-sized counters.
// Candidate to replace CsrBuilder's scatter (graph/ is not this area's).
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "core/huge_pages.h"
#include "graph/csr_builder.h"
#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg::core::measures {

/// Groups the items 0..count-1 by key(item) (< num_keys), stably: the records make(item) of
/// the items of key k are grouped[offsets[k] .. offsets[k + 1]), in ascending item order.
/// Parallel (TBB), no atomics; key and make are called once per item, in item order within
/// chunks (sequential reads of the caller's arrays).
/// `Records` is a vector of the records (e.g. core/huge_pages.h HugeBuffer).
template <typename Records, typename KeyFn, typename MakeFn>
void GroupByKey(std::size_t count, std::size_t num_keys, KeyFn&& key, MakeFn&& make,
                std::vector<std::uint32_t>* offsets, Records* grouped);

/// CsrBuilder::FromEdges(num_nodes, edges, Duplicates::kKeepFirst), in parallel without
/// atomics. Node count: max(num_nodes, 1 + the largest endpoint). Throws std::length_error
/// past 2^32 - 1 edges, like CsrBuilder.
CsrGraph BuildGraphKeepFirst(NodeId num_nodes, std::span<const EdgeInput> edges);

// ---- implementation of the template

template <typename Records, typename KeyFn, typename MakeFn>
void GroupByKey(std::size_t count, std::size_t num_keys, KeyFn&& key, MakeFn&& make,
                std::vector<std::uint32_t>* offsets, Records* grouped) {
  using Record = typename Records::value_type;
  // Keys in blocks of kBlockKeys (a block's counters fit the L2 cache); the input in chunks.
  constexpr std::size_t kBlockShift = 14;
  constexpr std::size_t kBlockKeys = std::size_t{1} << kBlockShift;
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  const std::size_t blocks = std::max<std::size_t>(1, (num_keys + kBlockKeys - 1) / kBlockKeys);
  const std::size_t chunks = std::max<std::size_t>(1, (count + kChunk - 1) / kChunk);
  // 1. Per chunk, its items per block.
  std::vector<std::uint32_t> cursor(chunks * blocks, 0);  // [chunk * blocks + block]
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t chunk = range.begin(); chunk != range.end(); ++chunk) {
                        std::uint32_t* counts = cursor.data() + chunk * blocks;
                        const std::size_t end = std::min(count, (chunk + 1) * kChunk);
                        for (std::size_t item = chunk * kChunk; item < end; ++item) {
                          ++counts[std::size_t(key(item)) >> kBlockShift];
                        }
                      }
                    });
  // Where each (block, chunk) starts: block-major, chunks in input order (stable).
  std::vector<std::uint32_t> block_start(blocks + 1, 0);
  {
    std::uint64_t running = 0;
    for (std::size_t block = 0; block < blocks; ++block) {
      block_start[block] = std::uint32_t(running);
      for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
        const std::uint32_t size = cursor[chunk * blocks + block];
        cursor[chunk * blocks + block] = std::uint32_t(running);
        running += size;
      }
    }
    block_start[blocks] = std::uint32_t(running);
  }
  // 2. Each chunk writes (key, record) into its blocks' ranges, with its own cursors.
  struct Keyed {
    std::uint32_t key;
    Record record;
  };
  HugeBuffer<Keyed> staged(count);  // written in full: no zeroing pass, huge pages
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t chunk = range.begin(); chunk != range.end(); ++chunk) {
                        std::uint32_t* at = cursor.data() + chunk * blocks;
                        const std::size_t end = std::min(count, (chunk + 1) * kChunk);
                        for (std::size_t item = chunk * kChunk; item < end; ++item) {
                          const auto item_key = std::uint32_t(key(item));
                          staged[at[item_key >> kBlockShift]++] = {item_key, make(item)};
                        }
                      }
                    });
  // 3. Each block: a counting sort of its items by key (stable), offsets of its keys.
  offsets->assign(num_keys + 1, 0);
  grouped->resize(count);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks, 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<std::uint32_t> local(kBlockKeys + 1);
        for (std::size_t block = range.begin(); block != range.end(); ++block) {
          const std::size_t first_key = block << kBlockShift;
          const std::size_t keys = std::min(kBlockKeys, num_keys - std::min(num_keys, first_key));
          std::fill(local.begin(), local.begin() + std::ptrdiff_t(keys) + 1, 0);
          const std::uint32_t begin = block_start[block], end = block_start[block + 1];
          for (std::uint32_t at = begin; at < end; ++at) {
            ++local[staged[at].key - first_key + 1];
          }
          std::uint32_t running = begin;
          for (std::size_t local_key = 0; local_key < keys; ++local_key) {
            (*offsets)[first_key + local_key] = running;
            const std::uint32_t size = local[local_key + 1];
            local[local_key + 1] = running;  // now the cursor of local_key
            running += size;
          }
          for (std::uint32_t at = begin; at < end; ++at) {
            (*grouped)[local[staged[at].key - first_key + 1]++] = staged[at].record;
          }
        }
      });
  (*offsets)[num_keys] = std::uint32_t(count);
}

}  // namespace cg::core::measures
