// Step index (see step_index.h). The main build reuses the CSR's own order: a node's
// forward entries are its out-edges (sorted by label), its backward entries its in-edge
// positions (sorted by label, with the tail beside them), so every node's run is written
// by one task, in parallel, with no scatter and no sort:
//   1. per edge (in edge-id order, parallel): a byte of the forward steps it matches and a
//      byte of the backward steps (PatternStep::Accepts, as graph/path_pattern.h);
//   2. per node (parallel): count its matches; the backward byte of each in-edge position is
//      gathered once (through the in-edge id) into an array in position order;
//   3. prefix sum of the counts (parallel scan);
//   4. per node (parallel): its run, step by step in step order (forward steps from the
//      out-edges, backward steps from the in-edge positions).
// More than 8 distinct steps in one direction: the scatter build (BuildByScatter: count and
// fill edge by edge, then sort each run). The tests hold both equal to ForEachStepEdge.
#include "core/measures/step_index.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_scan.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

namespace cg::core::measures {

bool SameStep(const PatternStep& left, const PatternStep& right) {
  if (left.label != right.label || left.direction != right.direction ||
      left.filter != right.filter) {
    return false;
  }
  switch (left.filter) {
    case StepFilter::kNone: return true;
    case StepFilter::kTagIn: return left.tags == right.tags;
    case StepFilter::kValue: return left.op == right.op && left.threshold == right.threshold;
  }
  return false;
}

namespace {

// Set bits of a byte (a table: without -mpopcnt std::popcount is a library call).
constexpr std::array<std::uint8_t, 256> kBitCount = [] {
  std::array<std::uint8_t, 256> table{};
  for (int byte = 0; byte < 256; ++byte) table[byte] = std::uint8_t(std::popcount(unsigned(byte)));
  return table;
}();

// Offsets from per-node counts held at offsets[node + 1] (offsets[0] == 0): an inclusive
// scan in place (parallel). Returns the total.
std::uint64_t PrefixSum(HugeBuffer<std::uint32_t>& offsets) {
  const std::size_t size = offsets.size();
  return tbb::parallel_scan(
      tbb::blocked_range<std::size_t>(1, size, 1 << 16), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& range, std::uint64_t sum, bool final) {
        for (std::size_t at = range.begin(); at != range.end(); ++at) {
          sum += offsets[at];
          if (final) offsets[at] = std::uint32_t(sum);
        }
        return sum;
      },
      [](std::uint64_t left, std::uint64_t right) { return left + right; });
}

}  // namespace

StepIndex StepIndex::Build(const CsrGraph& graph, std::span<const PatternStep> steps) {
  // Each step gets a bit in its direction's byte.
  std::vector<std::uint8_t> bit_of(steps.size());
  int forward = 0, backward = 0;
  for (std::size_t step = 0; step < steps.size(); ++step) {
    int& used = steps[step].direction == StepDirection::kForward ? forward : backward;
    bit_of[step] = std::uint8_t(used < 8 ? used : 0);
    ++used;
  }
  if (forward > 8 || backward > 8) return BuildByScatter(graph, steps);

  StepIndex index;
  const std::size_t num_nodes = graph.num_nodes();
  const std::size_t num_edges = graph.num_edges();
  // 1. The matches of every edge. Unfiltered steps match by label alone (a table); filtered
  // ones are tested edge by edge.
  std::uint8_t label_forward[256] = {}, label_backward[256] = {};
  std::vector<std::vector<std::uint32_t>> filtered_of(256);  // [label] filtered steps
  bool any_filtered = false;
  for (std::uint32_t step = 0; step < steps.size(); ++step) {
    const PatternStep& info = steps[step];
    if (info.filter != StepFilter::kNone) {
      filtered_of[info.label].push_back(step);
      any_filtered = true;
      continue;
    }
    std::uint8_t* table =
        info.direction == StepDirection::kForward ? label_forward : label_backward;
    table[info.label] |= std::uint8_t(1u << bit_of[step]);
  }
  HugeBuffer<std::uint8_t> forward_bits(num_edges);
  HugeBuffer<std::uint8_t> backward_bits(num_edges);  // gathered at random in-edge ids
  const Label* labels = graph.labels().data();
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, num_edges, 1 << 16),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t edge = range.begin(); edge != range.end(); ++edge) {
          const Label label = labels[edge];
          std::uint8_t out = label_forward[label], in = label_backward[label];
          if (any_filtered) {
            for (const std::uint32_t step : filtered_of[label]) {
              const PatternStep& info = steps[step];
              // A tag filter reads only the tag (the value costs a rank lookup).
              const bool accepted = info.filter == StepFilter::kTagIn
                                        ? info.tags.test(graph.tag(EdgeIdx(edge)))
                                        : info.Accepts(graph.tag(EdgeIdx(edge)),
                                                       graph.value(EdgeIdx(edge)));
              if (!accepted) continue;
              (info.direction == StepDirection::kForward ? out : in) |=
                  std::uint8_t(1u << bit_of[step]);
            }
          }
          forward_bits[edge] = out;
          backward_bits[edge] = in;
        }
      });
  // 2. The backward bits in in-edge position order: a gather through the in-edge ids (the
  // positions in order, the bits at random, fetched ahead so that the misses overlap), then
  // the matches of each node counted from two sequential arrays.
  HugeBuffer<std::uint8_t> position_bits(num_edges);
  const EdgeIdx* in_edges = graph.in_edges().data();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_edges, 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      const EdgeIdx* __restrict ids = in_edges;
                      const std::uint8_t* __restrict from = backward_bits.data();
                      std::uint8_t* __restrict to = position_bits.data();
                      constexpr std::size_t kAhead = 32;
                      const std::size_t end = range.end();
                      std::size_t at = range.begin();
                      for (; at + kAhead < end; ++at) {
                        __builtin_prefetch(from + ids[at + kAhead]);
                        to[at] = from[ids[at]];
                      }
                      for (; at < end; ++at) to[at] = from[ids[at]];
                    });
  auto& offsets = index.offsets_;
  offsets.resize(num_nodes + 1);
  offsets[0] = 0;
  const EdgeIdx* out_offsets = graph.out_offsets().data();
  const EdgeIdx* in_offsets = graph.in_offsets().data();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_nodes, 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      const std::uint8_t* __restrict out_bits = forward_bits.data();
                      const std::uint8_t* __restrict in_bits = position_bits.data();
                      std::uint32_t* __restrict counts = offsets.data() + 1;
                      for (std::size_t node = range.begin(); node != range.end(); ++node) {
                        // At most 8 matches per edge: a node's count fits 32 bits unless its
                        // degree passes 2^29; clamped, the total check below refuses it.
                        std::uint64_t count = 0;
                        for (EdgeIdx edge = out_offsets[node]; edge < out_offsets[node + 1];
                             ++edge) {
                          count += kBitCount[out_bits[edge]];
                        }
                        for (EdgeIdx at = in_offsets[node]; at < in_offsets[node + 1]; ++at) {
                          count += kBitCount[in_bits[at]];
                        }
                        counts[node] = std::uint32_t(std::min<std::uint64_t>(
                            count, std::numeric_limits<std::uint32_t>::max()));
                      }
                    });
  backward_bits = {};
  // 3. Offsets. A total past 2^32 entries: unusable (the caller walks the CSR).
  const std::uint64_t total = PrefixSum(offsets);
  if (total >= std::numeric_limits<std::uint32_t>::max()) {
    offsets = {};
    return index;
  }
  // 4. Each node's run, in step order; within a step in CSR order.
  index.entries_.resize(total);
  Entry* entries = index.entries_.data();
  const NodeId* heads = graph.heads().data();
  const NodeId* in_tails = graph.in_tails().data();
  // The steps a node's OR of forward (backward) bytes stands for, as a mask of step ids (at
  // most 8 + 8 steps), so that a node visits only the steps it has, in step order.
  std::uint16_t steps_of_forward[256] = {}, steps_of_backward[256] = {};
  std::uint8_t forward_step[16] = {}, step_bit[16] = {};
  for (std::uint32_t step = 0; step < steps.size(); ++step) {
    const bool is_forward = steps[step].direction == StepDirection::kForward;
    forward_step[step] = is_forward;
    step_bit[step] = std::uint8_t(1u << bit_of[step]);
    std::uint16_t* table = is_forward ? steps_of_forward : steps_of_backward;
    for (int byte = 0; byte < 256; ++byte) {
      if (byte & step_bit[step]) table[byte] |= std::uint16_t(1u << step);
    }
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, num_nodes, 1 << 14),
      [&](const tbb::blocked_range<std::size_t>& range) {
        const std::uint8_t* __restrict out_bits = forward_bits.data();
        const std::uint8_t* __restrict in_bits = position_bits.data();
        for (std::size_t node = range.begin(); node != range.end(); ++node) {
          Entry* to = entries + offsets[node];
          if (to == entries + offsets[node + 1]) continue;
          std::uint8_t out_any = 0, in_any = 0;
          const EdgeIdx out_begin = out_offsets[node], out_end = out_offsets[node + 1];
          const EdgeIdx in_begin = in_offsets[node], in_end = in_offsets[node + 1];
          for (EdgeIdx edge = out_begin; edge < out_end; ++edge) out_any |= out_bits[edge];
          for (EdgeIdx at = in_begin; at < in_end; ++at) in_any |= in_bits[at];
          unsigned present = unsigned(steps_of_forward[out_any]) | steps_of_backward[in_any];
          while (present != 0) {
            const auto step = std::uint32_t(__builtin_ctz(present));
            present &= present - 1;
            const std::uint8_t bit = step_bit[step];
            if (forward_step[step]) {
              for (EdgeIdx edge = out_begin; edge < out_end; ++edge) {
                if (out_bits[edge] & bit) *to++ = {step, heads[edge]};
              }
            } else {
              for (EdgeIdx at = in_begin; at < in_end; ++at) {
                if (in_bits[at] & bit) *to++ = {step, in_tails[at]};
              }
            }
          }
        }
      });
  index.usable_ = true;
  return index;
}

StepIndex StepIndex::BuildByScatter(const CsrGraph& graph, std::span<const PatternStep> steps) {
  // One pass over the edges (sequential reads of the CSR's arrays) per phase: an edge matching
  // step s is an entry at its tail (forward step) or its head (backward step). Counted, then
  // filled, then each node's run sorted by step (runs are short; in parallel).
  StepIndex index;
  const std::size_t num_nodes = graph.num_nodes();
  std::vector<std::vector<std::uint32_t>> steps_of(256);  // [label] the steps walking it
  for (std::uint32_t step = 0; step < steps.size(); ++step) {
    steps_of[steps[step].label].push_back(step);
  }
  auto for_each_match = [&](auto&& fn) {
    for (NodeId tail = 0; tail < num_nodes; ++tail) {
      for (EdgeIdx edge = graph.out_begin(tail); edge < graph.out_end(tail); ++edge) {
        for (const std::uint32_t step_id : steps_of[graph.label(edge)]) {
          const PatternStep& step = steps[step_id];
          if (step.filter != StepFilter::kNone &&
              !step.Accepts(graph.tag(edge), graph.value(edge))) {
            continue;
          }
          const NodeId head = graph.head(edge);
          if (step.direction == StepDirection::kForward) {
            fn(step_id, tail, head);
          } else {
            fn(step_id, head, tail);
          }
        }
      }
    }
  };
  // The counts are written at random nodes: huge pages (fewer TLB misses), like the index.
  auto& offsets = index.offsets_;
  offsets.assign(num_nodes + 1, 0);
  std::uint64_t total = 0;
  for_each_match([&](std::uint32_t, NodeId at, NodeId) {
    ++offsets[std::size_t(at) + 1];
    ++total;
  });
  if (total > std::numeric_limits<std::uint32_t>::max()) {  // unusable: the caller walks the CSR
    offsets = {};
    return index;
  }
  for (std::size_t node = 0; node < num_nodes; ++node) offsets[node + 1] += offsets[node];
  index.entries_.resize(offsets[num_nodes]);
  HugeVector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for_each_match([&](std::uint32_t step, NodeId at, NodeId other) {
    index.entries_[cursor[at]++] = {step, other};
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_nodes, 8192),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node != range.end(); ++node) {
                        Entry* begin = index.entries_.data() + index.offsets_[node];
                        Entry* end = index.entries_.data() + index.offsets_[node + 1];
                        if (end - begin > 16) {
                          std::sort(begin, end, [](const Entry& left, const Entry& right) {
                            return left.step < right.step;
                          });
                          continue;
                        }
                        for (Entry* at = begin + 1; at < end; ++at) {  // insertion sort
                          const Entry item = *at;
                          Entry* to = at;
                          for (; to > begin && (to - 1)->step > item.step; --to) *to = *(to - 1);
                          *to = item;
                        }
                      }
                    });
  index.usable_ = true;
  return index;
}

}  // namespace cg::core::measures
