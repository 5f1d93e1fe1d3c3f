// The reach-pattern steps of a catalog compiled against one CSR graph: for every node, the
// nodes one matching edge away, for each distinct step (label, direction, filter) the catalog's
// patterns use, in one contiguous run per node. Full propagation walks patterns through it for
// their TARGETS only (which nodes a pattern reaches): one dependent memory access for the
// node's run instead of the CSR's offset, label search (through the in-edge ids for a backward
// step), head/tail and tag arrays. Witness paths (edge ids, the deterministic parent) are
// still walked on the CSR by graph/path_pattern.h's rules: the index yields the same SET of
// nodes per step (tested against ForEachStepEdge), so the targets are the same.
//
// Built once per engine, in parallel (TBB), from the immutable CSR: each node's run is made
// from its own out-edges and in-edge positions (the CSR's order; no scatter, no sort), see
// step_index.cc. Edges added later live in an EdgeOverlay that the caller walks beside it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/huge_pages.h"
#include "graph/csr_graph.h"
#include "graph/path_pattern.h"
#include "graph/types.h"

namespace cg::core::measures {

/// True when two steps walk the same edges (label, direction, filter and its operands).
bool SameStep(const PatternStep& left, const PatternStep& right);

class StepIndex {
 public:
  StepIndex() = default;
  /// The index of `steps` (distinct steps; ids are positions) over `graph`'s edges. Not usable
  /// (usable() false: the caller walks the CSR) when it would need more than 2^32 entries.
  /// Within a node's run, entries are sorted by step, and within a step in CSR order.
  static StepIndex Build(const CsrGraph& graph, std::span<const PatternStep> steps);
  /// The same index by scattering matches edge by edge, then sorting each run by step
  /// (sequential; order within a step unspecified). Build uses it for more than 8 distinct
  /// steps in one direction; public for the tests.
  static StepIndex BuildByScatter(const CsrGraph& graph, std::span<const PatternStep> steps);

  bool usable() const { return usable_; }
  std::size_t memory_bytes() const {
    return offsets_.capacity() * sizeof(std::uint32_t) + entries_.capacity() * sizeof(Entry);
  }

  /// Prefetch hints for a node about to be walked: its run's bounds, then (once those are
  /// in cache: the bounds are read) the run itself.
  void PrefetchBounds(NodeId node) const {
    if (std::size_t(node) + 1 < offsets_.size()) __builtin_prefetch(offsets_.data() + node);
  }
  void PrefetchRun(NodeId node) const {
    if (std::size_t(node) + 1 < offsets_.size()) __builtin_prefetch(entries_.data() + offsets_[node]);
  }

  /// Calls fn(other) for every CSR edge matching step `step` at `node` (each edge once).
  template <typename Fn>
  void ForEach(NodeId node, std::uint32_t step, Fn&& fn) const {
    if (std::size_t(node) + 1 >= offsets_.size()) return;
    const Entry* at = entries_.data() + offsets_[node];
    const Entry* const end = entries_.data() + offsets_[node + 1];
    // Entries are sorted by step; runs are short (a hub's run can be long: binary search).
    if (end - at > 16) {
      const Entry* low = at;
      const Entry* high = end;
      while (low < high) {
        const Entry* mid = low + (high - low) / 2;
        if (mid->step < step) low = mid + 1; else high = mid;
      }
      at = low;
    } else {
      while (at != end && at->step < step) ++at;
    }
    for (; at != end && at->step == step; ++at) fn(at->other);
  }

 private:
  struct Entry {
    std::uint32_t step;
    NodeId other;
  };
  bool usable_ = false;
  HugeBuffer<std::uint32_t> offsets_;  // [node] .. [node + 1] into entries_
  HugeBuffer<Entry> entries_;          // per node, sorted by step (written in full)
};

}  // namespace cg::core::measures
