// Step index (see step_index.h): passes over the CSR's edges (count, then fill), with the
// label and filter tests of graph/path_pattern.h (PatternStep::Accepts); the tests hold the
// index equal to ForEachStepEdge node by node.
#include "core/measures/step_index.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
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

StepIndex StepIndex::Build(const CsrGraph& graph, std::span<const PatternStep> steps) {
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
  HugeVector<std::uint32_t>& offsets = index.offsets_;
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
