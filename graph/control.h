// Majority-controller derivation (measures.md §2, written domain-free).
// From each node E, repeatedly move to the holder whose `value` on an edge of the given label
// (tail = the held node, head = the holder) is greater than `threshold`; stop where no holder
// passes or a node repeats. If the walk ends at a node other than E, that node is E's derived
// controller. A declared controller given for E overrides the derived one.
//
// Choices where the rule is silent: when several holders pass (only possible with bad data,
// ratios summing over 1) the largest value wins, ties to the smaller node id; the walk uses
// stated edges only (a declared controller of an intermediate node does not redirect it).
//
// Algorithm: next[v] (the majority holder of v) is computed in parallel; the walks form a
// functional graph, resolved in O(n) with memoization: end(v) = v if next[v] is none,
// end(v) = end(next[v]) off cycles, and on a cycle c1 -> c2 -> ... -> ck -> c1 the walk from ci
// ends at its predecessor c(i-1); a tail entering the cycle at ci ends there too.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg {

enum class ControlSource : std::uint8_t { kNone = 0, kDeclared = 1, kDerived = 2 };

struct ControlResult {
  std::vector<NodeId> controller;     // per node; kNoNode when none
  std::vector<ControlSource> source;  // per node
};

/// Majority holder of each node (kNoNode where none passes), in parallel.
std::vector<NodeId> MajorityHolders(const CsrGraph& graph, Label label, float threshold = 0.5f);

/// Controllers of every node. `declared` lists (node, its declared controller) pairs; the first
/// pair given for a node wins over the derived controller.
ControlResult DeriveControllers(const CsrGraph& graph, Label label, float threshold = 0.5f,
                                std::span<const std::pair<NodeId, NodeId>> declared = {});

}  // namespace cg
