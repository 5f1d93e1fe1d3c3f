// Path patterns over a typed CsrGraph: a compiled pattern is a sequence of steps, each a label
// walked forward (tail -> head) or backward (head -> tail), optionally filtered on the edge's
// tag (= one of a set) or value (>, >=, <, <=, =). Evaluating a pattern from a start node yields
// every node reached by walking every matching edge step by step (level by level, each level a
// set), with ONE witness path (nodes and edge ids) per target. A pattern with no steps ("self")
// yields the start node; a pattern with steps never yields the start node itself.
//
// Domain-free: labels and tags are the caller's small integers (the textual syntax with label
// and role names lives in core/measures/pattern_syntax.h). An optional EdgeOverlay adds edges to
// an immutable CSR without rebuilding it (incremental updates); overlay edge ids continue after
// the CSR's (base.num_edges() + index).
#pragma once

#include <bitset>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "graph/csr_builder.h"
#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg {

enum class StepDirection : std::uint8_t { kForward, kBackward };
enum class StepFilter : std::uint8_t { kNone, kTagIn, kValue };
enum class ValueOp : std::uint8_t { kGt, kGe, kLt, kLe, kEq };

struct PatternStep {
  Label label = 0;
  StepDirection direction = StepDirection::kForward;
  StepFilter filter = StepFilter::kNone;
  std::bitset<256> tags;   // kTagIn: the accepted tags
  ValueOp op = ValueOp::kEq;  // kValue: value <op> threshold
  float threshold = 0.0f;

  bool Accepts(Tag tag, float value) const;
};

struct PathPattern {
  std::vector<PatternStep> steps;  // empty: "self"
  bool is_self() const { return steps.empty(); }
};

/// Edges added on top of an immutable CsrGraph (ids base_edges + index).
class EdgeOverlay {
 public:
  explicit EdgeOverlay(EdgeIdx base_edges = 0) : base_edges_(base_edges) {}
  EdgeIdx AddEdge(const EdgeInput& edge);
  bool empty() const { return edges_.empty(); }
  EdgeIdx base_edges() const { return base_edges_; }
  const std::vector<EdgeInput>& edges() const { return edges_; }
  /// Overlay edge indices (not ids) leaving / entering a node.
  std::span<const std::uint32_t> out(NodeId node) const;
  std::span<const std::uint32_t> in(NodeId node) const;

 private:
  EdgeIdx base_edges_;
  std::vector<EdgeInput> edges_;
  absl::flat_hash_map<NodeId, std::vector<std::uint32_t>> out_;
  absl::flat_hash_map<NodeId, std::vector<std::uint32_t>> in_;
};

/// One target with its witness: nodes[0] = start, nodes.back() = target, edges[i] joins
/// nodes[i] and nodes[i+1] (walked in the direction of step i).
struct PatternHit {
  NodeId target = kNoNode;
  std::vector<NodeId> nodes;
  std::vector<EdgeIdx> edges;
};

/// Calls fn(other_node, edge_id) for every edge matching `step` at `node` (CSR then overlay).
template <typename Fn>
void ForEachStepEdge(const CsrGraph& graph, const EdgeOverlay* overlay, const PatternStep& step,
                     NodeId node, Fn&& fn);

/// Evaluates `pattern` from `start`; hits are sorted by target. The witness of a target is
/// the first path found when levels are expanded in ascending node order and edges in CSR
/// order (deterministic).
std::vector<PatternHit> EvaluatePattern(const CsrGraph& graph, const PathPattern& pattern,
                                        NodeId start, const EdgeOverlay* overlay = nullptr);

/// Checks that a witness walks `pattern` from `start` on the graph: every edge exists, joins
/// consecutive nodes in the step's direction, has the step's label and passes its filter.
bool IsWitness(const CsrGraph& graph, const PathPattern& pattern, const PatternHit& hit,
               NodeId start, const EdgeOverlay* overlay = nullptr);

/// Edge attributes by id, CSR or overlay.
struct EdgeView {
  NodeId tail;
  NodeId head;
  Label label;
  Tag tag;
  float value;
};
EdgeView GetEdge(const CsrGraph& graph, const EdgeOverlay* overlay, EdgeIdx edge);

// ---- implementation of the template

template <typename Fn>
void ForEachStepEdge(const CsrGraph& graph, const EdgeOverlay* overlay, const PatternStep& step,
                     NodeId node, Fn&& fn) {
  if (node < graph.num_nodes()) {
    if (step.direction == StepDirection::kForward) {
      // Out-edges are sorted by (label, head): binary search the label's range.
      EdgeIdx low = graph.out_begin(node), high = graph.out_end(node);
      while (low < high) {
        const EdgeIdx mid = low + (high - low) / 2;
        if (graph.label(mid) < step.label) low = mid + 1; else high = mid;
      }
      for (EdgeIdx edge = low; edge < graph.out_end(node) && graph.label(edge) == step.label;
           ++edge) {
        if (step.Accepts(graph.tag(edge), graph.value(edge))) fn(graph.head(edge), edge);
      }
    } else {
      const std::span<const EdgeIdx> ids = graph.in_edge_ids(node);
      const std::span<const NodeId> tails = graph.in_neighbors(node);
      std::size_t low = 0, high = ids.size();
      while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        if (graph.label(ids[mid]) < step.label) low = mid + 1; else high = mid;
      }
      for (std::size_t pos = low; pos < ids.size() && graph.label(ids[pos]) == step.label;
           ++pos) {
        if (step.Accepts(graph.tag(ids[pos]), graph.value(ids[pos]))) fn(tails[pos], ids[pos]);
      }
    }
  }
  if (overlay != nullptr && !overlay->empty()) {
    const auto indices =
        step.direction == StepDirection::kForward ? overlay->out(node) : overlay->in(node);
    for (const std::uint32_t index : indices) {
      const EdgeInput& edge = overlay->edges()[index];
      if (edge.label != step.label || !step.Accepts(edge.tag, edge.value)) continue;
      fn(step.direction == StepDirection::kForward ? edge.head : edge.tail,
         EdgeIdx(overlay->base_edges() + index));
    }
  }
}

}  // namespace cg
