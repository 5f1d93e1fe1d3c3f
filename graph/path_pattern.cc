// Path pattern evaluation (see path_pattern.h): level-synchronous expansion, one parent per
// (level, node) so that every target gets one witness path.
#include "graph/path_pattern.h"

#include <algorithm>

namespace cg {

bool PatternStep::Accepts(Tag tag, float value) const {
  switch (filter) {
    case StepFilter::kNone:
      return true;
    case StepFilter::kTagIn:
      return tags.test(tag);
    case StepFilter::kValue:
      switch (op) {
        case ValueOp::kGt: return value > threshold;
        case ValueOp::kGe: return value >= threshold;
        case ValueOp::kLt: return value < threshold;
        case ValueOp::kLe: return value <= threshold;
        case ValueOp::kEq: return value == threshold;
      }
  }
  return false;
}

EdgeIdx EdgeOverlay::AddEdge(const EdgeInput& edge) {
  const auto index = std::uint32_t(edges_.size());
  edges_.push_back(edge);
  out_[edge.tail].push_back(index);
  in_[edge.head].push_back(index);
  return EdgeIdx(base_edges_ + index);
}

std::span<const std::uint32_t> EdgeOverlay::out(NodeId node) const {
  auto found = out_.find(node);
  if (found == out_.end()) return {};
  return found->second;
}

std::span<const std::uint32_t> EdgeOverlay::in(NodeId node) const {
  auto found = in_.find(node);
  if (found == in_.end()) return {};
  return found->second;
}

EdgeView GetEdge(const CsrGraph& graph, const EdgeOverlay* overlay, EdgeIdx edge) {
  if (edge < graph.num_edges()) {
    return {graph.tail(edge), graph.head(edge), graph.label(edge), graph.tag(edge),
            graph.value(edge)};
  }
  const EdgeInput& input = overlay->edges()[edge - overlay->base_edges()];
  return {input.tail, input.head, input.label, input.tag, input.value};
}

std::vector<PatternHit> EvaluatePattern(const CsrGraph& graph, const PathPattern& pattern,
                                        NodeId start, const EdgeOverlay* overlay) {
  std::vector<PatternHit> hits;
  if (pattern.is_self()) {
    hits.push_back({start, {start}, {}});
    return hits;
  }
  // levels[k] = nodes at level k (sorted), parents[k][i] = (index in level k-1, edge id).
  struct Parent {
    std::uint32_t from;
    EdgeIdx edge;
  };
  std::vector<std::vector<NodeId>> levels(1, std::vector<NodeId>{start});
  std::vector<std::vector<Parent>> parents(1);
  absl::flat_hash_map<NodeId, std::uint32_t> seen;
  for (const PatternStep& step : pattern.steps) {
    const std::vector<NodeId>& current = levels.back();
    std::vector<std::pair<NodeId, Parent>> found;
    seen.clear();
    for (std::uint32_t index = 0; index < current.size(); ++index) {
      ForEachStepEdge(graph, overlay, step, current[index], [&](NodeId other, EdgeIdx edge) {
        if (seen.try_emplace(other, std::uint32_t(found.size())).second) {
          found.push_back({other, Parent{index, edge}});
        }
      });
    }
    if (found.empty()) return hits;
    std::sort(found.begin(), found.end(),
              [](const auto& left, const auto& right) { return left.first < right.first; });
    std::vector<NodeId> next(found.size());
    std::vector<Parent> next_parents(found.size());
    for (std::size_t index = 0; index < found.size(); ++index) {
      next[index] = found[index].first;
      next_parents[index] = found[index].second;
    }
    levels.push_back(std::move(next));
    parents.push_back(std::move(next_parents));
  }
  const std::size_t depth = pattern.steps.size();
  const std::vector<NodeId>& last = levels[depth];
  hits.reserve(last.size());
  for (std::uint32_t index = 0; index < last.size(); ++index) {
    if (last[index] == start) continue;
    PatternHit hit;
    hit.target = last[index];
    hit.nodes.resize(depth + 1);
    hit.edges.resize(depth);
    std::uint32_t position = index;
    for (std::size_t level = depth; level > 0; --level) {
      hit.nodes[level] = levels[level][position];
      hit.edges[level - 1] = parents[level][position].edge;
      position = parents[level][position].from;
    }
    hit.nodes[0] = start;
    hits.push_back(std::move(hit));
  }
  return hits;
}

bool IsWitness(const CsrGraph& graph, const PathPattern& pattern, const PatternHit& hit,
               NodeId start, const EdgeOverlay* overlay) {
  const std::size_t depth = pattern.steps.size();
  if (hit.nodes.size() != depth + 1 || hit.edges.size() != depth) return false;
  if (hit.nodes.front() != start || hit.nodes.back() != hit.target) return false;
  if (depth > 0 && hit.target == start) return false;
  const EdgeIdx total = graph.num_edges() + (overlay ? EdgeIdx(overlay->edges().size()) : 0);
  for (std::size_t index = 0; index < depth; ++index) {
    if (hit.edges[index] >= total) return false;
    const EdgeView edge = GetEdge(graph, overlay, hit.edges[index]);
    const PatternStep& step = pattern.steps[index];
    const bool forward = step.direction == StepDirection::kForward;
    const NodeId from = forward ? edge.tail : edge.head;
    const NodeId to = forward ? edge.head : edge.tail;
    if (from != hit.nodes[index] || to != hit.nodes[index + 1]) return false;
    if (edge.label != step.label || !step.Accepts(edge.tag, edge.value)) return false;
  }
  return true;
}

}  // namespace cg
