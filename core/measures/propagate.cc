// Measures propagation and its incremental maintenance (see propagate.h, measures.md §3–§5).
//
// Layout (chosen for full propagation at SF=1 scale): inputs live in dense vectors and a group
// is a dense id (one input record); list codes are interned once; (source, rid) lookups go
// through a 64-bit hash index (xxHash) with collision chains; reach patterns are evaluated with
// thread-local scratch buffers (no per-trigger hash maps or vectors); a trigger's shared
// `Trigger` is made only when it binds someone. Full propagation is parallel (TBB) over
// groups, over the per-entity installation and reward splitting, and over key supervision.
// Groups by subject are made by the full propagation (a radix sort it also reads the rating
// ends and key supervision from); the first update builds nothing proportional to the graph
// (only the (source, rid) index when the caller vouched for unique keys) and appends without
// relocating the input records or the restriction array (head room, GrowOnly).
#include "core/measures/propagate.h"

#include <tbb/parallel_for.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "core/measures/node_sort.h"
#include "core/measures/pattern_syntax.h"
#include "core/measures/text_util.h"
#include "xxhash.h"

namespace cg::core::measures {
// Named (not anonymous): MeasureEngine::GroupWork holds these types.
namespace propagate_internal {

// What a group's firing needs (full propagation's prefilter): some measure can fire; a walk
// of the step index; the subject's kind.
inline constexpr std::uint8_t kFires = 1, kWalks = 2, kKind = 4;

// Equality of short texts without a library call (codes, grades, schemes: a few bytes).
inline bool SameText(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t at = 0; at < left.size(); ++at) {
    if (left[at] != right[at]) return false;
  }
  return true;
}

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::uint64_t HashKey(TriggerKind kind, std::string_view source, std::string_view rid) {
  const std::uint64_t seed =
      XXH3_64bits(source.data(), source.size()) * 0x9E3779B97F4A7C15ull + std::uint64_t(kind);
  return XXH3_64bits_withSeed(rid.data(), rid.size(), seed);
}

// Reach-pattern hits of one group's subject, per pattern id, in flat arrays (thread-local,
// reused across groups): targets sorted ascending, witness nodes/edges with a fixed stride.
struct PatternScratch {
  struct Hits {
    bool done = false;
    std::uint32_t begin = 0, end = 0;  // into targets
    std::uint32_t node_begin = 0, edge_begin = 0;
    std::uint32_t depth = 0;
  };
  struct Item {
    NodeId node;
    std::uint32_t parent;
    EdgeIdx edge;
  };
  std::vector<Hits> hits;
  std::vector<NodeId> targets;
  std::vector<NodeId> nodes;
  std::vector<EdgeIdx> edges;
  std::vector<std::vector<Item>> levels;
  std::vector<Item> found;
  std::vector<NodeId> level_nodes, next_nodes;

  // The overlay's edges of `step` at `node` (ForEachStepEdge's overlay part), into next_nodes.
  void ForEachOverlayEdge(const EdgeOverlay& overlay, const PatternStep& step, NodeId node) {
    const auto indices =
        step.direction == StepDirection::kForward ? overlay.out(node) : overlay.in(node);
    for (const std::uint32_t overlay_index : indices) {
      const EdgeInput& edge = overlay.edges()[overlay_index];
      if (edge.label != step.label || !step.Accepts(edge.tag, edge.value)) continue;
      next_nodes.push_back(step.direction == StepDirection::kForward ? edge.head : edge.tail);
    }
  }

  void Reset(std::size_t patterns) {
    hits.assign(patterns, Hits{});
    targets.clear();
    nodes.clear();
    edges.clear();
  }

  // Level by level; a level is sorted by node and each node keeps the first (node order of
  // the previous level, then edge order) edge that reached it: the witness of
  // graph/path_pattern.h's EvaluatePattern.
  // `with_paths`: also the witness path of every target (else targets only).
  const Hits& Get(std::uint32_t id, const PathPattern& pattern, const CsrGraph& graph,
                  const EdgeOverlay& overlay, NodeId start, bool with_paths) {
    Hits& out = hits[id];
    if (out.done) return out;
    out.done = true;
    out.begin = out.end = std::uint32_t(targets.size());
    out.node_begin = std::uint32_t(nodes.size());
    out.edge_begin = std::uint32_t(edges.size());
    const std::size_t depth = pattern.steps.size();
    out.depth = std::uint32_t(depth);
    if (depth == 0) {
      targets.push_back(start);
      nodes.push_back(start);
      out.end = out.begin + 1;
      return out;
    }
    if (levels.size() < depth + 1) levels.resize(depth + 1);
    levels[0].assign(1, Item{start, 0, 0});
    for (std::size_t level = 0; level < depth; ++level) {
      const std::vector<Item>& current = levels[level];
      found.clear();
      const PatternStep& step = pattern.steps[level];
      for (std::uint32_t index = 0; index < current.size(); ++index) {
        ForEachStepEdge(graph, &overlay, step, current[index].node,
                        [&](NodeId other, EdgeIdx edge) { found.push_back({other, index, edge}); });
      }
      if (found.empty()) return out;
      if (found.size() <= 32) {  // insertion sort: stable, no temporary buffer
        for (std::size_t at = 1; at < found.size(); ++at) {
          const Item item = found[at];
          std::size_t to = at;
          for (; to > 0 && found[to - 1].node > item.node; --to) found[to] = found[to - 1];
          found[to] = item;
        }
      } else {
        std::stable_sort(found.begin(), found.end(),
                         [](const Item& left, const Item& right) { return left.node < right.node; });
      }
      std::vector<Item>& next = levels[level + 1];
      next.clear();
      for (const Item& item : found) {
        if (next.empty() || next.back().node != item.node) next.push_back(item);
      }
    }
    const std::vector<Item>& last = levels[depth];
    for (std::uint32_t index = 0; index < last.size(); ++index) {
      if (last[index].node == start) continue;
      targets.push_back(last[index].node);
      if (!with_paths) continue;
      const std::size_t node_at = nodes.size(), edge_at = edges.size();
      nodes.resize(node_at + depth + 1);
      edges.resize(edge_at + depth);
      std::uint32_t position = index;
      for (std::size_t level = depth; level > 0; --level) {
        const Item& item = levels[level][position];
        nodes[node_at + level] = item.node;
        edges[edge_at + level - 1] = item.edge;
        position = item.parent;
      }
      nodes[node_at] = start;
    }
    out.end = std::uint32_t(targets.size());
    return out;
  }

  // Targets only (no witness), through the step index for the CSR's edges and the overlay
  // for the edges added since: the same target set as Get (each level a set of nodes).
  const Hits& Targets(std::uint32_t id, const PathPattern& pattern,
                      std::span<const std::uint32_t> step_ids, const StepIndex& index,
                      const EdgeOverlay& overlay, NodeId start) {
    Hits& out = hits[id];
    if (out.done) return out;
    out.done = true;
    out.begin = out.end = std::uint32_t(targets.size());
    const std::size_t depth = pattern.steps.size();
    out.depth = std::uint32_t(depth);
    if (depth == 0) {
      targets.push_back(start);
      out.end = out.begin + 1;
      return out;
    }
    level_nodes.assign(1, start);
    for (std::size_t level = 0; level < depth; ++level) {
      next_nodes.clear();
      const std::uint32_t step_id = step_ids[level];
      for (const NodeId node : level_nodes) {
        index.ForEach(node, step_id, [&](NodeId other) { next_nodes.push_back(other); });
        if (!overlay.empty()) ForEachOverlayEdge(overlay, pattern.steps[level], node);
      }
      if (next_nodes.empty()) return out;
      if (next_nodes.size() <= 32) {
        for (std::size_t at = 1; at < next_nodes.size(); ++at) {
          const NodeId item = next_nodes[at];
          std::size_t to = at;
          for (; to > 0 && next_nodes[to - 1] > item; --to) next_nodes[to] = next_nodes[to - 1];
          next_nodes[to] = item;
        }
      } else {
        std::sort(next_nodes.begin(), next_nodes.end());
      }
      next_nodes.erase(std::unique(next_nodes.begin(), next_nodes.end()), next_nodes.end());
      level_nodes.swap(next_nodes);
    }
    for (const NodeId node : level_nodes) {
      if (node != start) targets.push_back(node);
    }
    out.end = std::uint32_t(targets.size());
    return out;
  }

  bool HasTarget(const Hits& range, NodeId target) const {
    return std::binary_search(targets.begin() + range.begin, targets.begin() + range.end, target);
  }
};

// A process-wide fresh value for MeasureEngine::state_ (keys the thread-local path cache).
std::uint64_t NextState() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

// CG_MEASURES_TRACE=1 prints the wall time of each phase of a full propagation to stderr.
class PhaseClock {
 public:
  PhaseClock()
      : enabled_(std::getenv("CG_MEASURES_TRACE") != nullptr), last_(Clock::now()), cpu_(Cpu()) {}
  void Phase(const char* name) {
    if (!enabled_) return;
    const auto now = Clock::now();
    const double cpu = Cpu();
    std::fprintf(stderr, "propagate %-18s %8.1f ms wall %8.1f ms cpu\n", name,
                 std::chrono::duration<double, std::milli>(now - last_).count(),
                 (cpu - cpu_) * 1e3);
    last_ = now;
    cpu_ = cpu;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double Cpu() {  // process CPU seconds, all threads
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
  }
  bool enabled_;
  Clock::time_point last_;
  double cpu_;
};

// One list entry of a group after escalation: interned code, start, and the code it
// escalated from (kNone for the original).
struct Expanded {
  std::uint32_t code;
  Date listed_on;
  std::uint32_t from;
};

// Appends `entry`'s escalations to `expanded` (which holds the entry itself, code `code`):
// list_activity.h ExpandEscalations on interned codes. `rules` are the engine's interned rules
// (at most 64: a bit per rule along a chain); more rules go through ExpandEscalations.
template <typename Rules, typename CodeIds>
void ExpandInterned(const ListEntry& entry, const Rules& rules,
                    std::span<const Escalation> escalations, const CodeIds& code_ids,
                    std::vector<Expanded>* expanded, std::vector<std::uint64_t>& used) {
  if (rules.empty()) return;
  if (rules.size() <= 64) {
    used.assign(1, 0);  // bit r: rule r used along the chain
    for (std::size_t at = 0; at < expanded->size(); ++at) {
      for (std::size_t rule_index = 0; rule_index < rules.size(); ++rule_index) {
        const auto& rule = rules[rule_index];
        if ((used[at] >> rule_index) & 1u) continue;
        if ((*expanded)[at].code != rule.from) continue;
        const Date moved = AddPeriod((*expanded)[at].listed_on, rule.after);
        if (entry.removed_on != kNoDate && entry.removed_on <= moved) continue;
        used.push_back(used[at] | (std::uint64_t{1} << rule_index));
        expanded->push_back({rule.to, moved, (*expanded)[at].code});
      }
    }
    return;
  }
  const std::vector<ListEntry> all = ExpandEscalations(std::span(&entry, 1), escalations);
  for (std::size_t index = 1; index < all.size(); ++index) {
    expanded->push_back({code_ids.at(all[index].list), all[index].listed_on,
                         code_ids.at(all[index].escalated_from)});
  }
}

}  // namespace propagate_internal

using namespace propagate_internal;  // NOLINT: this file's own helpers

// Per-thread work space of ComputeGroup, fetched once per chunk of groups (a function-local
// thread_local costs a __tls_get_addr call per access in a shared library).
struct MeasureEngine::GroupWork {
  PatternScratch scratch;
  std::vector<Expanded> expanded;
  std::vector<std::uint64_t> used;
};

PenaltyEvent PenaltyEventFromRecord(const Record& record, NodeId subject) {
  return {subject, record.severity, record.domain, record.decided_on, record.source, record.rid};
}

RatingEvent RatingEventFromRecord(const Record& record, NodeId subject) {
  return {subject, record.scheme, record.grade, record.rated_on, record.source, record.rid};
}

bool RestrictionLess(const Restriction& left, const Restriction& right) {
  return std::tie(left.entity, left.measure, left.start, left.end, left.trigger->source,
                  left.trigger->rid, left.trigger->code, left.withheld, left.path_nodes) <
         std::tie(right.entity, right.measure, right.start, right.end, right.trigger->source,
                  right.trigger->rid, right.trigger->code, right.withheld, right.path_nodes);
}

MeasureEngine::MeasureEngine(Catalog catalog, CsrGraph graph, std::vector<EntityKind> node_kinds)
    : catalog_(std::move(catalog)),
      graph_(std::move(graph)),
      overlay_(graph_.num_edges()),
      kinds_(node_kinds.begin(), node_kinds.end()) {
  if (kinds_.size() < graph_.num_nodes()) kinds_.resize(graph_.num_nodes(), EntityKind::kUnknown);
  bucket_of_.assign(kinds_.size(), kNoIndex);
  max_period_ = Period{catalog_.max_years, 0, 0};
  absl::flat_hash_map<std::string, std::uint32_t> pattern_ids;
  pattern_of_.resize(catalog_.measures.size());
  for (std::uint32_t index = 0; index < catalog_.measures.size(); ++index) {
    const Measure& measure = catalog_.measures[index];
    for (const Reach& reach : measure.reach) {
      auto [it, inserted] =
          pattern_ids.try_emplace(FormatPattern(reach.pattern), std::uint32_t(patterns_.size()));
      if (inserted) patterns_.push_back(reach.pattern);
      pattern_of_[index].push_back(it->second);
    }
    switch (measure.trigger.kind) {
      case TriggerKind::kList:
        for (const std::string& code : measure.trigger.lists) {
          auto& ids = codes_[InternCode(code)].measures;
          if (ids.empty() || ids.back() != index) ids.push_back(index);
        }
        break;
      case TriggerKind::kPenalty:
        penalty_measures_.push_back(index);
        break;
      case TriggerKind::kRating:
        rating_measures_.push_back(index);
        break;
    }
  }
  // The distinct steps of the patterns, compiled against the graph (targets-only walks).
  std::vector<PatternStep> steps;
  step_ids_.resize(patterns_.size());
  for (std::uint32_t id = 0; id < patterns_.size(); ++id) {
    for (const PatternStep& step : patterns_[id].steps) {
      std::uint32_t step_id = 0;
      while (step_id < steps.size() && !SameStep(steps[step_id], step)) ++step_id;
      if (step_id == steps.size()) steps.push_back(step);
      step_ids_[id].push_back(step_id);
    }
  }
  PhaseClock clock;
  step_index_ = StepIndex::Build(graph_, steps);
  clock.Phase("step index");
  for (const Escalation& rule : catalog_.escalations) {
    const std::uint32_t from = InternCode(rule.from);
    const std::uint32_t to = InternCode(rule.to);
    rules_.push_back({from, to, rule.after});
  }
}

std::uint32_t MeasureEngine::InternCode(const std::string& code) {
  auto [it, inserted] = code_ids_.try_emplace(code, std::uint32_t(codes_.size()));
  if (inserted) {
    const ListDecl info = catalog_.ListInfoFor(code);
    codes_.push_back({code, {}, info.polarity == Polarity::kBlack, info.domain});
  }
  return it->second;
}

void MeasureEngine::EnsureNode(NodeId node) {
  if (node >= kinds_.size()) {
    bucket_of_.resize(std::size_t(node) + 1, kNoIndex);
    kinds_.resize(std::size_t(node) + 1, EntityKind::kUnknown);
  }
}

MeasureEngine::Bucket& MeasureEngine::MutableBucket(NodeId entity) {
  EnsureNode(entity);
  std::uint32_t& index = bucket_of_[entity];
  if (index == kNoIndex) {
    index = std::uint32_t(buckets_.size());
    buckets_.emplace_back().entity = entity;
  }
  return buckets_[index];
}

NodeId MeasureEngine::SubjectOf(std::uint32_t group) const {
  const Group& info = groups_[group];
  switch (info.kind) {
    case TriggerKind::kList: return lists_[info.input].subject;
    case TriggerKind::kPenalty: return penalties_[info.input].subject;
    case TriggerKind::kRating: return ratings_[info.input].subject;
  }
  return kNoNode;
}

std::uint64_t MeasureEngine::KeyHash(std::uint32_t group) const {
  const Group& info = groups_[group];
  switch (info.kind) {
    case TriggerKind::kList:
      return HashKey(info.kind, lists_[info.input].source, lists_[info.input].rid);
    case TriggerKind::kPenalty:
      return HashKey(info.kind, penalties_[info.input].source, penalties_[info.input].rid);
    case TriggerKind::kRating:
      return HashKey(info.kind, ratings_[info.input].source, ratings_[info.input].rid);
  }
  return 0;
}

bool MeasureEngine::SameKey(std::uint32_t group, TriggerKind kind, std::string_view source,
                            std::string_view rid) const {
  const Group& info = groups_[group];
  if (info.kind != kind) return false;
  switch (kind) {
    case TriggerKind::kList:
      return lists_[info.input].source == source && lists_[info.input].rid == rid;
    case TriggerKind::kPenalty:
      return penalties_[info.input].source == source && penalties_[info.input].rid == rid;
    case TriggerKind::kRating:
      return ratings_[info.input].source == source && ratings_[info.input].rid == rid;
  }
  return false;
}

std::uint32_t MeasureEngine::FindGroup(TriggerKind kind, std::string_view source,
                                       std::string_view rid) const {
  const std::uint64_t hash = HashKey(kind, source, rid);
  // Groups of the last full propagation: (hash, group) sorted.
  auto range = std::equal_range(key_sorted_.begin(), key_sorted_.end(),
                                std::pair<std::uint64_t, std::uint32_t>{hash, 0},
                                [](const auto& left, const auto& right) { return left.first < right.first; });
  for (auto it = range.first; it != range.second; ++it) {
    if (groups_[it->second].live && SameKey(it->second, kind, source, rid)) return it->second;
  }
  // Groups added since: hash -> latest group, chained.
  auto found = key_head_.find(hash);
  if (found == key_head_.end()) return kNoIndex;
  for (std::uint32_t group = found->second; group != kNoIndex;
       group = key_next_[group - key_next_base_]) {
    if (SameKey(group, kind, source, rid)) return group;
  }
  return kNoIndex;
}

std::uint32_t MeasureEngine::NewGroup(TriggerKind kind, std::uint32_t input) {
  const auto group = std::uint32_t(groups_.size());
  groups_.push_back(Group{kind, true, input, 0, 0});
  key_next_.push_back(kNoIndex);
  auto [it, inserted] = key_head_.try_emplace(KeyHash(group), group);
  if (!inserted) {
    key_next_.back() = it->second;
    it->second = group;
  }
  ++live_groups_;
  if (incremental_ready_) AddToSubject(SubjectOf(group), group);
  return group;
}

void MeasureEngine::AddToSubject(NodeId subject, std::uint32_t group) {
  extra_by_subject_[subject].push_back(group);
}

std::vector<std::uint32_t> MeasureEngine::GroupsOf(NodeId subject) const {
  std::vector<std::uint32_t> out;
  auto keep = [&](std::uint32_t group) {
    if (groups_[group].live && SubjectOf(group) == subject) out.push_back(group);
  };
  // by_subject_ is sorted by (subject, group): the subject's groups are one run, ascending.
  const std::uint64_t low = std::uint64_t(subject) << 32;
  for (auto at = std::lower_bound(by_subject_.begin(), by_subject_.end(), low);
       at != by_subject_.end() && (*at >> 32) == subject; ++at) {
    keep(std::uint32_t(*at));
  }
  if (auto found = extra_by_subject_.find(subject); found != extra_by_subject_.end()) {
    for (const std::uint32_t group : found->second) keep(group);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

std::vector<std::uint32_t> MeasureEngine::RatingSiblings(NodeId subject,
                                                         std::string_view scheme) const {
  std::vector<std::uint32_t> out = GroupsOf(subject);
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](std::uint32_t group) {
                             return groups_[group].kind != TriggerKind::kRating ||
                                    ratings_[groups_[group].input].scheme != scheme;
                           }),
            out.end());
  return out;
}

// Incremental updates need the groups by subject (by_subject_, made by the full propagation)
// and the (source, rid) index: the sorted (hash, group) array the full propagation made, or,
// when the caller vouched for unique keys (TriggerInputs::keys_unique), made here on the first
// update. Nothing proportional to the nodes is built here.
void MeasureEngine::EnsureIncremental() {
  if (incremental_ready_) return;
  if (key_index_pending_) {
    BuildKeyIndex(false);
    key_index_pending_ = false;
  }
  extra_by_subject_.clear();
  key_next_.clear();
  key_next_base_ = std::uint32_t(groups_.size());
  incremental_ready_ = true;
}

void MeasureEngine::UpdateRatingEnds(const std::vector<std::uint32_t>& siblings) {
  for (const std::uint32_t group : siblings) {
    const Date own = ratings_[groups_[group].input].rated_on;
    Date next = kForever;
    for (const std::uint32_t other_group : siblings) {
      const Date other = ratings_[groups_[other_group].input].rated_on;
      if (other != kNoDate && other > own) next = std::min(next, other);
    }
    rating_end_[groups_[group].input] = next;
  }
}

void MeasureEngine::ComputeGroup(std::uint32_t group_id, std::vector<Stored>* out) const {
  thread_local GroupWork work;
  ComputeGroup(group_id, out, work);
}

void MeasureEngine::ComputeGroup(std::uint32_t group_id, std::vector<Stored>* out,
                                 GroupWork& work) const {
  const Group& group = groups_[group_id];
  if (!group.live) return;
  PatternScratch& scratch = work.scratch;
  bool scratch_ready = false;
  // Fires the candidate measures of one trigger (`list_code`/`from`: a list entry's interned
  // code and escalation origin).
  auto fire = [&](TriggerKind kind, NodeId subject, const std::vector<std::uint32_t>& candidates,
                  const std::string* detail, const std::string* code, Severity severity,
                  Date start, Date natural_end, std::uint32_t list_code, std::uint32_t from) {
    // The subject's kind is read only when a measure's trigger filters pass (a random access
    // into the node array: most ratings and penalties fire nothing and skip it).
    bool kind_known = false;
    EntityKind subject_kind = EntityKind::kUnknown;
    Date cap = kNoDate;  // start + max_years, computed once
    for (const std::uint32_t measure_index : candidates) {
      const Measure& measure = catalog_.measures[measure_index];
      const TriggerSpec& spec = measure.trigger;
      if (kind == TriggerKind::kPenalty) {
        if (std::find(spec.severities.begin(), spec.severities.end(), severity) ==
            spec.severities.end()) {
          continue;
        }
        if (!spec.domains.empty() && !Contains(spec.domains, *detail)) continue;
      } else if (kind == TriggerKind::kRating) {
        if (spec.scheme != *detail || !Contains(spec.grades, *code)) continue;
      }
      if (!measure.subjects.empty()) {
        if (!kind_known) {
          subject_kind = subject < kinds_.size() ? kinds_[subject] : EntityKind::kUnknown;
          kind_known = true;
        }
        if (!measure.AcceptsSubject(subject_kind)) continue;
      }
      Date end;
      if (!measure.lasts_listed) {
        end = AddPeriod(start, measure.lasts);
      } else if (kind == TriggerKind::kPenalty) {
        end = AddPeriod(start, spec.within);
      } else {
        end = natural_end;
      }
      if (cap == kNoDate) cap = AddPeriod(start, max_period_);
      end = std::min(end, cap);
      if (end <= start) continue;
      if (!scratch_ready) {
        scratch.Reset(patterns_.size());
        scratch_ready = true;
      }
      const std::vector<std::uint32_t>& pattern_ids = pattern_of_[measure_index];
      for (std::uint16_t reach_index = 0; reach_index < pattern_ids.size(); ++reach_index) {
        const std::uint32_t pattern_id = pattern_ids[reach_index];
        const PatternScratch::Hits hits =
            step_index_.usable()
                ? scratch.Targets(pattern_id, patterns_[pattern_id], step_ids_[pattern_id],
                                  step_index_, overlay_, subject)
                : scratch.Get(pattern_id, patterns_[pattern_id], graph_, overlay_, subject, false);
        for (std::uint32_t hit = hits.begin; hit < hits.end; ++hit) {
          const NodeId target = scratch.targets[hit];
          bool earlier = false;  // the first reach pattern of the measure that reaches it wins
          for (std::uint16_t previous = 0; previous < reach_index && !earlier; ++previous) {
            earlier = scratch.HasTarget(scratch.hits[pattern_ids[previous]], target);
          }
          if (earlier) continue;
          Stored& stored = out->emplace_back();
          stored.entity = target;
          stored.measure = measure_index;
          stored.group = group_id;
          stored.code = list_code;
          stored.from = from;
          stored.effect = measure.effect;
          stored.reach = reach_index;
          stored.start = start;
          stored.end = end;
        }
      }
    }
  };

  switch (group.kind) {
    case TriggerKind::kList: {
      const ListEntry& entry = lists_[group.input];
      if (entry.disputed || entry.listed_on == kNoDate) return;  // no active interval
      // The entry and its escalations (list_activity.h ExpandEscalations, on interned codes).
      std::vector<Expanded>& expanded = work.expanded;
      expanded.clear();
      expanded.push_back({list_code_[group.input], entry.listed_on, kNoIndex});
      ExpandInterned(entry, rules_, catalog_.escalations, code_ids_, &expanded, work.used);
      const Date natural_end = entry.removed_on == kNoDate ? kForever : entry.removed_on;
      for (const Expanded& item : expanded) {
        // ActiveInterval: [listed_on, min(removed_on, listed_on + max_years)) non-empty.
        Date active_end = AddPeriod(item.listed_on, max_period_);
        if (entry.removed_on != kNoDate) active_end = std::min(active_end, entry.removed_on);
        if (active_end <= item.listed_on) continue;
        const CodeInfo& code = codes_[item.code];
        if (code.measures.empty()) continue;
        fire(TriggerKind::kList, entry.subject, code.measures, nullptr, nullptr, Severity::kNone,
             item.listed_on, natural_end, item.code, item.from);
      }
      break;
    }
    case TriggerKind::kPenalty: {
      const PenaltyEvent& penalty = penalties_[group.input];
      if (penalty.decided_on == kNoDate || penalty_measures_.empty()) return;
      fire(TriggerKind::kPenalty, penalty.subject, penalty_measures_, &penalty.domain, nullptr,
           penalty.severity, penalty.decided_on, kForever, kNoIndex, kNoIndex);
      break;
    }
    case TriggerKind::kRating: {
      const RatingEvent& rating = ratings_[group.input];
      if (rating.rated_on == kNoDate || rating_measures_.empty()) return;
      const Date next = rating_end_[group.input];
      fire(TriggerKind::kRating, rating.subject, rating_measures_, &rating.scheme, &rating.grade,
           Severity::kNone, rating.rated_on, next, kNoIndex, kNoIndex);
      break;
    }
  }
}

void MeasureEngine::InstallGroup(std::uint32_t group_id, std::span<const Stored> computed,
                                 std::vector<NodeId>* dirty) {
  Group& group = groups_[group_id];
  for (std::uint32_t index = group.first; index < group.first + group.count; ++index) {
    auto& indexes = MutableBucket(stored_[index].entity).raw;
    indexes.erase(std::remove(indexes.begin(), indexes.end(), index), indexes.end());
    dirty->push_back(stored_[index].entity);
  }
  garbage_ += group.count;  // the old range stays until CompactStored
  group.first = 0;
  group.count = 0;
  if (computed.empty()) return;
  group.first = std::uint32_t(stored_.size());
  group.count = std::uint32_t(computed.size());
  stored_.insert(stored_.end(), computed.begin(), computed.end());
  for (std::uint32_t index = group.first; index < group.first + group.count; ++index) {
    MutableBucket(stored_[index].entity).raw.push_back(index);
    dirty->push_back(stored_[index].entity);
  }
}

// Drops the ranges that updates replaced: stored_ in group order again, bucket indexes remapped.
void MeasureEngine::CompactStored() {
  std::vector<std::uint32_t> remap(stored_.size(), kNoIndex);
  std::vector<Stored> kept;
  kept.reserve(stored_.size() - garbage_);
  for (Group& group : groups_) {
    const std::uint32_t first = std::uint32_t(kept.size());
    for (std::uint32_t index = group.first; index < group.first + group.count; ++index) {
      remap[index] = std::uint32_t(kept.size());
      kept.push_back(stored_[index]);
    }
    group.first = group.count == 0 ? 0 : first;
  }
  for (Bucket& bucket : buckets_) {
    for (std::uint32_t& index : bucket.raw) index = remap[index];
    for (Piece& piece : bucket.reward_pieces) piece.from = remap[piece.from];
  }
  stored_ = std::move(kept);
  garbage_ = 0;
}

void MeasureEngine::PathOf(const Stored& stored, std::vector<NodeId>* nodes,
                           std::vector<EdgeIdx>* edges) const {
  // A thread-local walk cache: consecutive restrictions of one group (one subject) share it.
  struct Cache {
    std::uint64_t state = 0;
    std::uint32_t group = kNoIndex;
    PatternScratch scratch;
  };
  thread_local Cache cache;
  const NodeId subject = SubjectOf(stored.group);
  if (cache.state != state_ || cache.group != stored.group) {
    cache.state = state_;
    cache.group = stored.group;
    cache.scratch.Reset(patterns_.size());
  }
  const std::uint32_t pattern_id = pattern_of_[stored.measure][stored.reach];
  const PatternScratch::Hits& hits =
      cache.scratch.Get(pattern_id, patterns_[pattern_id], graph_, overlay_, subject, true);
  const auto& targets = cache.scratch.targets;
  const auto found = std::lower_bound(targets.begin() + hits.begin, targets.begin() + hits.end,
                                      stored.entity);
  nodes->clear();
  edges->clear();
  if (found == targets.begin() + hits.end || *found != stored.entity) {
    assert(false && "a stored restriction is not reached by its pattern");
    nodes->push_back(subject);
    return;
  }
  const std::size_t offset = std::size_t(found - (targets.begin() + hits.begin));
  const auto node_at = cache.scratch.nodes.begin() + hits.node_begin + offset * (hits.depth + 1);
  nodes->assign(node_at, node_at + hits.depth + 1);
  const auto edge_at = cache.scratch.edges.begin() + hits.edge_begin + offset * hits.depth;
  edges->assign(edge_at, edge_at + hits.depth);
}

Restriction MeasureEngine::Materialize(const Stored& stored, Date start, Date end,
                                       bool withheld) const {
  Restriction restriction;
  restriction.trigger = MakeTrigger(stored);
  restriction.entity = stored.entity;
  restriction.measure = stored.measure;
  restriction.effect = stored.effect;
  restriction.reach = stored.reach;
  restriction.withheld = withheld;
  restriction.start = start;
  restriction.end = end;
  PathOf(stored, &restriction.path_nodes, &restriction.path_edges);
  return restriction;
}

std::shared_ptr<const Trigger> MeasureEngine::MakeTrigger(const Stored& stored) const {
  const Group& group = groups_[stored.group];
  auto trigger = std::make_shared<Trigger>();
  trigger->kind = group.kind;
  trigger->start = stored.start;
  switch (group.kind) {
    case TriggerKind::kList: {
      const ListEntry& entry = lists_[group.input];
      trigger->subject = entry.subject;
      trigger->code = codes_[stored.code].code;
      if (stored.from != kNoIndex) trigger->escalated_from = codes_[stored.from].code;
      trigger->source = entry.source;
      trigger->rid = entry.rid;
      trigger->end = entry.removed_on == kNoDate ? kForever : entry.removed_on;
      break;
    }
    case TriggerKind::kPenalty: {
      const PenaltyEvent& penalty = penalties_[group.input];
      trigger->subject = penalty.subject;
      trigger->code = std::string(ToString(penalty.severity));
      trigger->detail = penalty.domain;
      trigger->source = penalty.source;
      trigger->rid = penalty.rid;
      break;
    }
    case TriggerKind::kRating: {
      const RatingEvent& rating = ratings_[group.input];
      trigger->subject = rating.subject;
      trigger->code = rating.grade;
      trigger->detail = rating.scheme;
      trigger->source = rating.source;
      trigger->rid = rating.rid;
      trigger->end = rating_end_[group.input];
      break;
    }
  }
  return trigger;
}

void MeasureEngine::RebuildRewards(Bucket& bucket) {
  bucket.reward_pieces.clear();
  bucket.has_reward = false;
  absl::InlinedVector<DateInterval, 4> punished;
  for (const std::uint32_t index : bucket.raw) {
    const Stored& stored = stored_[index];
    if (stored.effect == Effect::kReward) bucket.has_reward = true;
    if (stored.effect == Effect::kPunish) punished.push_back({stored.start, stored.end});
  }
  if (!bucket.has_reward) return;
  if (punished.empty()) {  // nothing withheld: each reward is one granted piece
    for (const std::uint32_t index : bucket.raw) {
      const Stored& stored = stored_[index];
      if (stored.effect == Effect::kReward && stored.start < stored.end) {
        bucket.reward_pieces.push_back({index, stored.start, stored.end, false});
      }
    }
    return;
  }
  std::sort(punished.begin(), punished.end(), [](const DateInterval& left, const DateInterval& right) {
    return left.start < right.start;
  });
  absl::InlinedVector<DateInterval, 4> merged;
  for (const DateInterval& interval : punished) {
    if (!merged.empty() && interval.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, interval.end);
    } else {
      merged.push_back(interval);
    }
  }
  for (const std::uint32_t index : bucket.raw) {
    const Stored* restriction = &stored_[index];
    if (restriction->effect != Effect::kReward) continue;
    Date cursor = restriction->start;
    auto emit = [&](Date from, Date to, bool withheld) {
      if (from >= to) return;
      bucket.reward_pieces.push_back({index, from, to, withheld});
    };
    for (const DateInterval& block : merged) {
      if (block.end <= cursor) continue;
      if (block.start >= restriction->end) break;
      emit(cursor, std::max(cursor, block.start), false);
      const Date blocked_from = std::max(cursor, block.start);
      const Date blocked_to = std::min(restriction->end, block.end);
      emit(blocked_from, blocked_to, true);
      cursor = blocked_to;
    }
    emit(cursor, restriction->end, false);
  }
}

std::vector<KeySupervision> MeasureEngine::KeySupervisionOf(
    NodeId entity, std::span<const std::uint32_t> groups) const {
  std::vector<KeySupervision> out;
  struct Span {
    Date start, end;
    const std::string* domain;
  };
  absl::InlinedVector<Span, 4> spans;
  for (const std::uint32_t group_id : groups) {
    const Group& group = groups_[group_id];
    if (!group.live || group.kind != TriggerKind::kList) continue;
    const ListEntry& entry = lists_[group.input];
    if (entry.disputed || entry.listed_on == kNoDate) continue;  // no active interval
    thread_local std::vector<Expanded> expanded;
    thread_local std::vector<std::uint64_t> used;
    expanded.clear();
    expanded.push_back({list_code_[group.input], entry.listed_on, kNoIndex});
    ExpandInterned(entry, rules_, catalog_.escalations, code_ids_, &expanded, used);
    for (const Expanded& item : expanded) {
      const CodeInfo& info = codes_[item.code];
      if (!info.black) continue;
      // ActiveInterval: [listed_on, min(removed_on, listed_on + max_years)).
      Date end = AddPeriod(item.listed_on, max_period_);
      if (entry.removed_on != kNoDate) end = std::min(end, entry.removed_on);
      if (end <= item.listed_on) continue;
      spans.push_back({item.listed_on, end, &info.domain});
    }
  }
  // Fewer black-list spans than min_domains: never on enough lists at once.
  if (spans.empty() || spans.size() < std::size_t(catalog_.key_supervision_min_domains)) {
    return out;
  }
  std::vector<Date> cuts;
  for (const Span& span : spans) {
    cuts.push_back(span.start);
    cuts.push_back(span.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  const int min_domains = catalog_.key_supervision_min_domains;
  for (std::size_t index = 0; index + 1 < cuts.size(); ++index) {
    const Date from = cuts[index], to = cuts[index + 1];
    std::vector<std::string> domains;
    for (const Span& span : spans) {
      if (span.start <= from && to <= span.end) domains.push_back(*span.domain);
    }
    std::sort(domains.begin(), domains.end());
    domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
    if (int(domains.size()) < min_domains) continue;
    if (!out.empty() && out.back().end == from && out.back().domains == domains) {
      out.back().end = to;
    } else {
      out.push_back({entity, from, to, std::move(domains)});
    }
  }
  return out;
}

void MeasureEngine::RebuildKeySupervision(NodeId entity) {
  key_supervision_.erase(entity);
  if (catalog_.key_supervision_min_domains <= 0) return;
  const std::vector<std::uint32_t> groups = GroupsOf(entity);
  if (groups.empty()) return;
  std::vector<KeySupervision> out = KeySupervisionOf(entity, groups);
  if (!out.empty()) key_supervision_[entity] = std::move(out);
}

// The (source, rid) index of the groups of a full propagation: (hash, group) pairs sorted.
// `fold`: also fold repeated keys into their first group (the last record wins); returns the
// number of groups folded.
std::size_t MeasureEngine::BuildKeyIndex(bool fold) {
  const std::size_t total = groups_.size();
  // Repeated (source, rid): (hash, group) pairs, partitioned by the hash's top bits (a
  // counting sort), each partition sorted on its own (in parallel; a key's repeats share a
  // partition). A repeated key keeps the first group and the last record. key_sorted_ is
  // then the (source, rid) lookup index of incremental updates.
  constexpr int kPartitionBits = 12;
  constexpr int kShift = 64 - kPartitionBits;
  constexpr std::size_t kPartitions = std::size_t{1} << kPartitionBits;
  auto& hashes = scratch_.hashes;
  hashes.resize(total);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total, 2048),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        hashes[index] = KeyHash(std::uint32_t(index));
                      }
                    });
  // (hash, group) scattered straight into its partition (groups ascending within one), then
  // each partition sorted in place: key_sorted_ ends up sorted by (hash, group).
  auto& part_starts = scratch_.starts;
  part_starts.assign(kPartitions + 1, 0);
  for (const std::uint64_t hash : hashes) ++part_starts[(hash >> kShift) + 1];
  for (std::size_t part = 0; part < kPartitions; ++part) part_starts[part + 1] += part_starts[part];
  key_sorted_.resize(total);
  {
    std::vector<std::uint32_t> cursor(part_starts.begin(), part_starts.end() - 1);
    for (std::uint32_t index = 0; index < total; ++index) {
      key_sorted_[cursor[hashes[index] >> kShift]++] = {hashes[index], index};
    }
  }
  std::atomic<std::size_t> folded{0};
  if (!fold) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, kPartitions, 16),
                      [&](const tbb::blocked_range<std::size_t>& parts) {
                        for (std::size_t part = parts.begin(); part != parts.end(); ++part) {
                          std::sort(key_sorted_.begin() + part_starts[part],
                                    key_sorted_.begin() + part_starts[part + 1]);
                        }
                      });
    return 0;
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, kPartitions, 16),
      [&](const tbb::blocked_range<std::size_t>& parts) {
        std::size_t local_folded = 0;
        for (std::size_t part = parts.begin(); part != parts.end(); ++part) {
          const auto keyed = std::span(key_sorted_).subspan(
              part_starts[part], part_starts[part + 1] - part_starts[part]);
          std::sort(keyed.begin(), keyed.end());
          const std::size_t size = keyed.size();
          for (std::size_t begin = 0; begin < size;) {
            std::size_t end = begin + 1;
            while (end < size && keyed[end].first == keyed[begin].first) ++end;
            for (std::size_t at = begin + 1; at < end; ++at) {  // rare: a repeat or a collision
              const std::uint32_t group = keyed[at].second;
              const Group& info = groups_[group];
              for (std::size_t earlier = begin; earlier < at; ++earlier) {
                const std::uint32_t other = keyed[earlier].second;
                if (!groups_[other].live) continue;
                bool same = false;
                switch (info.kind) {
                  case TriggerKind::kList:
                    same = SameKey(other, info.kind, lists_[info.input].source,
                                   lists_[info.input].rid);
                    break;
                  case TriggerKind::kPenalty:
                    same = SameKey(other, info.kind, penalties_[info.input].source,
                                   penalties_[info.input].rid);
                    break;
                  case TriggerKind::kRating:
                    same = SameKey(other, info.kind, ratings_[info.input].source,
                                   ratings_[info.input].rid);
                    break;
                }
                if (!same) continue;
                groups_[group].live = false;
                ++local_folded;
                const std::uint32_t into = groups_[other].input;
                switch (info.kind) {
                  case TriggerKind::kList: lists_[into] = std::move(lists_[info.input]); break;
                  case TriggerKind::kPenalty:
                    penalties_[into] = std::move(penalties_[info.input]);
                    break;
                  case TriggerKind::kRating:
                    ratings_[into] = std::move(ratings_[info.input]);
                    break;
                }
                break;
              }
            }
            begin = end;
          }
        }
        folded += local_folded;
      });
  return folded.load();
}

void MeasureEngine::Propagate(TriggerInputs inputs) {
  PhaseClock clock;
  ResetState();
  lists_.Assign(std::move(inputs.lists));
  penalties_.Assign(std::move(inputs.penalties));
  ratings_.Assign(std::move(inputs.ratings));
  clock.Phase("reset+inputs");
  RunFull(inputs.keys_unique);
}

void MeasureEngine::PropagateCopy(const TriggerInputs& inputs) {
  PhaseClock clock;
  ResetState();
  clock.Phase("reset");
  // Element-wise assignment reuses the previous run's records (their memory and string
  // buffers); in parallel.
  auto copy = [](const auto& from, auto& to) {
    to.Resize(from.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, from.size(), 4096),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t index = range.begin(); index != range.end(); ++index) {
                          to[index] = from[index];
                        }
                      });
  };
  copy(inputs.lists, lists_);
  copy(inputs.penalties, penalties_);
  copy(inputs.ratings, ratings_);
  clock.Phase("inputs copied");
  RunFull(inputs.keys_unique);
}

void MeasureEngine::ResetState() {
  // Drop the previous state (in parallel: freeing restrictions is not free at SF=1). Only
  // the entities that had restrictions are touched.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets_.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        Bucket& bucket = buckets_[index];
                        bucket_of_[bucket.entity] = kNoIndex;
                        bucket.raw.clear();  // frees what is not inline
                        bucket.raw.shrink_to_fit();
                        bucket.reward_pieces.clear();
                        bucket.reward_pieces.shrink_to_fit();
                        bucket.has_reward = false;
                      }
                    });
  // The emptied buckets are kept: the full propagation that follows resizes and refills them
  // (no serial destruction and construction of every bucket; buckets_ is not read between).
  stored_.clear();
  garbage_ = 0;
  state_ = NextState();
  groups_.clear();
  key_head_.clear();
  key_next_.clear();
  key_supervision_.clear();
  extra_by_subject_.clear();
  by_subject_.clear();
  incremental_ready_ = false;
  live_groups_ = 0;
}

std::vector<std::uint32_t> MeasureEngine::EscalationClosure(std::uint32_t code) const {
  std::vector<std::uint32_t> reached = {code};
  for (std::size_t at = 0; at < reached.size(); ++at) {
    for (const Rule& rule : rules_) {
      if (rule.from == reached[at] && std::find(reached.begin(), reached.end(), rule.to) == reached.end()) {
        reached.push_back(rule.to);
      }
    }
  }
  return reached;
}

void MeasureEngine::RunFull(bool keys_unique) {
  PhaseClock clock;
  const std::size_t total = lists_.size() + penalties_.size() + ratings_.size();
  // The groups, and their subjects in a compact array (the later phases read 4 bytes per
  // group instead of a field of the ~144-byte records), in parallel.
  const std::size_t penalties_at = lists_.size();
  const std::size_t ratings_at = lists_.size() + penalties_.size();
  // Head room (address space only, untouched until used) for the records that updates
  // append: the first updates do not copy the arrays (at SF=1 size, hundreds of MB).
  groups_.reserve(total + total / 4 + 1024);
  groups_.resize(total);
  auto& subjects = scratch_.subjects;
  subjects.resize(total);
  // Per rating, read in the same pass: (scheme id, date) for the rating ends (8 bytes per
  // rating, not the records) and whether some measure can fire on it (the walks skip the
  // others without reading their records again). Scheme ids are only compared for equality:
  // handed out under a lock in any order (each chunk remembers the last scheme it saw).
  auto& dated = scratch_.dated;
  dated.resize(ratings_.size());
  // What firing needs, per measure (kFires; kWalks: a reach pattern with steps, kKind: a
  // subjects filter): the walks prefetch only what a group will read.
  auto measure_flags = [&](std::uint32_t measure_index) {
    const Measure& measure = catalog_.measures[measure_index];
    std::uint8_t flags = kFires;
    for (const Reach& reach : measure.reach) {
      if (!reach.pattern.steps.empty()) flags |= kWalks;
    }
    if (!measure.subjects.empty()) flags |= kKind;
    return flags;
  };
  auto& rating_fires = scratch_.rating_fires;  // [rating] flags (0: no measure fires on it)
  rating_fires.resize(ratings_.size());
  absl::flat_hash_map<std::string_view, std::uint32_t> scheme_ids;
  std::mutex scheme_lock;
  auto rate = [&](std::size_t begin, std::size_t end) {
    // A few (scheme, grade) pairs repeat: a small cache per chunk of the pairs seen, with
    // their scheme id and whether a rating measure accepts them.
    struct Seen {
      std::string_view scheme, grade;
      std::uint32_t scheme_id;
      std::uint8_t flags;
    };
    constexpr std::size_t kSeen = 8;
    Seen seen[kSeen];
    std::size_t num_seen = 0, next_slot = 0;
    for (std::size_t index = begin; index < end; ++index) {
      const RatingEvent& rating = ratings_[index];
      const Seen* hit = nullptr;
      for (std::size_t at = 0; at < num_seen; ++at) {
        if (SameText(seen[at].grade, rating.grade) && SameText(seen[at].scheme, rating.scheme)) {
          hit = &seen[at];
          break;
        }
      }
      if (hit == nullptr) {
        Seen entry{rating.scheme, rating.grade, 0, 0};
        {
          const std::lock_guard<std::mutex> guard(scheme_lock);
          entry.scheme_id =
              scheme_ids.try_emplace(entry.scheme, std::uint32_t(scheme_ids.size())).first->second;
        }
        for (const std::uint32_t measure : rating_measures_) {
          const TriggerSpec& spec = catalog_.measures[measure].trigger;
          if (spec.scheme == rating.scheme && Contains(spec.grades, rating.grade)) {
            entry.flags |= measure_flags(measure);
          }
        }
        Seen& slot = seen[num_seen < kSeen ? num_seen++ : next_slot++ % kSeen];
        slot = entry;
        hit = &slot;
      }
      dated[index] = {hit->scheme_id, rating.rated_on};
      rating_fires[index] = rating.rated_on != kNoDate ? hit->flags : 0;
    }
  };
  const NodeId max_subject = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, total, 8192), NodeId{0},
      [&](const tbb::blocked_range<std::size_t>& range, NodeId best) {
        for (std::size_t group = range.begin(); group != range.end(); ++group) {
          TriggerKind kind;
          std::size_t input;
          NodeId subject;
          if (group < penalties_at) {
            kind = TriggerKind::kList;
            input = group;
            subject = lists_[input].subject;
          } else if (group < ratings_at) {
            kind = TriggerKind::kPenalty;
            input = group - penalties_at;
            subject = penalties_[input].subject;
          } else {
            kind = TriggerKind::kRating;
            input = group - ratings_at;
            subject = ratings_[input].subject;
          }
          groups_[group] = Group{kind, true, std::uint32_t(input), 0, 0};
          subjects[group] = subject;
          best = std::max(best, subject);
        }
        if (range.end() > ratings_at) {
          rate(std::max(range.begin(), ratings_at) - ratings_at, range.end() - ratings_at);
        }
        return best;
      },
      [](NodeId left, NodeId right) { return std::max(left, right); });
  if (total > 0) EnsureNode(max_subject);
  clock.Phase("groups made");
  if (keys_unique) {
    live_groups_ = total;  // the caller vouches: no repeats; the index waits for an update
    key_index_pending_ = true;
    key_sorted_.clear();
  } else {
    live_groups_ = total - BuildKeyIndex(true);
    key_index_pending_ = false;
    if (live_groups_ != total) {
      // Repeated keys were folded (the last record moved into the first group): the subjects
      // and the per-rating values are read again.
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total, 8192),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t group = range.begin(); group != range.end(); ++group) {
                            subjects[group] = SubjectOf(std::uint32_t(group));
                          }
                        });
      rate(0, ratings_.size());
    }
  }
  clock.Phase("key index");
  // Interned list codes: the catalog's codes (interned at construction) are looked up in
  // parallel (the map is only read); other codes are interned afterwards in input order, so
  // the ids do not depend on the threads.
  list_code_.reserve(lists_.size() + lists_.size() / 4 + 1024);  // head room (see groups_)
  list_code_.assign(lists_.size(), 0);
  {
    tbb::enumerable_thread_specific<std::vector<std::uint32_t>> unknown;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lists_.size(), 4096),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        std::vector<std::uint32_t>* local = nullptr;
                        for (std::size_t group = range.begin(); group != range.end(); ++group) {
                          if (!groups_[group].live) continue;
                          const auto found = code_ids_.find(lists_[group].list);
                          if (found != code_ids_.end()) {
                            list_code_[group] = found->second;
                          } else {
                            if (local == nullptr) local = &unknown.local();
                            local->push_back(std::uint32_t(group));
                          }
                        }
                      });
    std::vector<std::uint32_t> rest;
    for (const std::vector<std::uint32_t>& local : unknown) {
      rest.insert(rest.end(), local.begin(), local.end());
    }
    std::sort(rest.begin(), rest.end());
    for (const std::uint32_t group : rest) list_code_[group] = InternCode(lists_[group].list);
  }
  clock.Phase("codes");
  // Every group by subject, (subject << 32 | group) ascending: a parallel radix sort over the
  // node id's bits, proportional to the groups (not the nodes). One parallel pass over its
  // runs (one run per subject) gives the rating ends and key supervision; the array stays as
  // the groups-by-subject index of incremental updates (nothing is built on the first one).
  auto& by_subject = by_subject_;
  by_subject.resize(total);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, total, 8192),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t group = range.begin(); group != range.end(); ++group) {
                        by_subject[group] = std::uint64_t(subjects[group]) << 32 | group;
                      }
                    });
  SortByHighWord(&by_subject, &scratch_.keyed_buffer, kinds_.size());
  clock.Phase("by subject");
  // Ratings: the next strictly later rating of the same (entity, scheme), from `dated`.
  rating_end_.reserve(ratings_.size() + ratings_.size() / 4 + 1024);  // head room
  rating_end_.assign(ratings_.size(), kForever);
  // Key supervision: an entry can put its subject on at most domains_of[code] black-list
  // domains at once (its list and the lists it escalates to); a subject whose entries cannot
  // add up to min_domains is never key-supervised and is skipped without reading its records.
  const int min_domains = catalog_.key_supervision_min_domains;
  const bool key_supervision = min_domains > 0 && !lists_.empty();
  auto& bound = scratch_.reward;  // [list group] domains_of its code (0: not counted)
  if (key_supervision) {
    std::vector<std::uint8_t> domains_of(codes_.size(), 0);
    for (std::uint32_t code = 0; code < codes_.size(); ++code) {
      const std::vector<std::uint32_t> reached = EscalationClosure(code);
      std::vector<std::string_view> domains;
      for (const std::uint32_t other : reached) {
        if (codes_[other].black) domains.push_back(codes_[other].domain);
      }
      std::sort(domains.begin(), domains.end());
      domains_of[code] = std::uint8_t(std::min<std::size_t>(
          255, std::size_t(std::unique(domains.begin(), domains.end()) - domains.begin())));
    }
    bound.resize(lists_.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, lists_.size(), 4096),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t group = range.begin(); group != range.end(); ++group) {
                          const ListEntry& entry = lists_[group];
                          bound[group] = groups_[group].live && !entry.disputed &&
                                                 entry.listed_on != kNoDate
                                             ? domains_of[list_code_[group]]
                                             : 0;
                        }
                      });
  }
  // One pass over the subjects' runs, in parallel: each task takes the runs that begin in its
  // range (a run may end beyond it).
  {
    tbb::enumerable_thread_specific<std::vector<std::vector<KeySupervision>>> found;
    const std::size_t size = by_subject.size();
    const bool all_live = live_groups_ == total;  // no folded repeats: groups_ is not read
    auto subject_at = [&](std::size_t at) { return std::uint32_t(by_subject[at] >> 32); };
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, size, 4096),
        [&](const tbb::blocked_range<std::size_t>& range) {
          std::vector<std::uint32_t> run_ratings, run_lists;
          std::vector<std::tuple<std::uint32_t, Date, std::uint32_t>> run_dated;
          std::size_t at = range.begin();
          while (at > 0 && at < range.end() && subject_at(at) == subject_at(at - 1)) ++at;
          while (at < range.end()) {
            const std::uint32_t subject = subject_at(at);
            std::size_t end = at + 1;
            while (end < size && subject_at(end) == subject) ++end;
            if (end - at == 1) {  // one group: no rating end; key supervision if it alone counts
              const auto group = std::uint32_t(by_subject[at]);
              if (key_supervision && group < penalties_at && bound[group] >= min_domains) {
                std::vector<KeySupervision> rows =
                    KeySupervisionOf(subject, std::span<const std::uint32_t>(&group, 1));
                if (!rows.empty()) found.local().push_back(std::move(rows));
              }
              at = end;
              continue;
            }
            run_ratings.clear();
            run_lists.clear();
            int reachable = 0;
            for (std::size_t item = at; item < end; ++item) {
              const auto group = std::uint32_t(by_subject[item]);
              if (group >= ratings_at) {
                if (all_live || groups_[group].live) {
                  run_ratings.push_back(std::uint32_t(group - ratings_at));
                }
              } else if (group < penalties_at && key_supervision && bound[group] > 0) {
                run_lists.push_back(group);
                reachable += bound[group];
              }
            }
            if (run_ratings.size() >= 2) {
              // (scheme, date, rating) read once, then sorted by value.
              run_dated.clear();
              for (const std::uint32_t rating : run_ratings) {
                run_dated.push_back({dated[rating].scheme, dated[rating].date, rating});
              }
              std::sort(run_dated.begin(), run_dated.end());
              for (std::size_t item = run_dated.size(); item-- > 1;) {
                const auto& [own_scheme, own_date, own] = run_dated[item - 1];
                const auto& [next_scheme, next_date, next] = run_dated[item];
                if (own_scheme != next_scheme) continue;
                rating_end_[own] = next_date > own_date ? next_date : rating_end_[next];
              }
            }
            if (!run_lists.empty() && reachable >= min_domains) {
              std::vector<KeySupervision> rows = KeySupervisionOf(subject, run_lists);
              if (!rows.empty()) found.local().push_back(std::move(rows));
            }
            at = end;
          }
        });
    for (auto& local : found) {
      for (std::vector<KeySupervision>& rows : local) {
        key_supervision_[rows.front().entity] = std::move(rows);
      }
    }
  }
  clock.Phase("ratings+key sup.");
  // The restrictions of every group, in parallel, into per-chunk flat arrays, then copied into
  // stored_ in group order.
  {
    struct Chunk {
      std::size_t begin;
      std::vector<Stored> stored;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> groups;  // (group, count)
      std::size_t at = 0;  // where the chunk goes in stored_
    };
    tbb::enumerable_thread_specific<std::vector<Chunk>> chunks;
    tbb::enumerable_thread_specific<GroupWork> works;
    const bool prefetch = step_index_.usable();
    // Which groups can fire at all, from the record alone (conservative: ComputeGroup decides
    // the rest): only those are prefetched and computed (most ratings fire nothing).
    std::vector<std::uint8_t> code_flags(codes_.size(), 0);
    for (std::uint32_t code = 0; code < codes_.size(); ++code) {
      const std::vector<std::uint32_t> reached = EscalationClosure(code);
      for (const std::uint32_t other : reached) {
        for (const std::uint32_t measure : codes_[other].measures) {
          code_flags[code] |= measure_flags(measure);
        }
      }
    }
    std::uint32_t severity_mask = 0;
    std::uint8_t penalty_flags = 0;
    for (const std::uint32_t measure : penalty_measures_) {
      penalty_flags |= measure_flags(measure);
      for (const Severity severity : catalog_.measures[measure].trigger.severities) {
        severity_mask |= 1u << unsigned(severity);
      }
    }
    auto may_fire = [&](std::size_t index) -> std::uint8_t {
      const Group& group = groups_[index];
      if (!group.live) return 0;
      switch (group.kind) {
        case TriggerKind::kList: {
          const ListEntry& entry = lists_[group.input];
          return !entry.disputed && entry.listed_on != kNoDate ? code_flags[list_code_[group.input]]
                                                                : 0;
        }
        case TriggerKind::kPenalty: {
          const PenaltyEvent& penalty = penalties_[group.input];
          return penalty.decided_on != kNoDate && ((severity_mask >> unsigned(penalty.severity)) & 1u)
                     ? penalty_flags
                     : 0;
        }
        case TriggerKind::kRating: return rating_fires[group.input];
      }
      return kFires | kWalks | kKind;
    };
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups_.size(), 1024),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        Chunk chunk{range.begin(), {}, {}};
                        GroupWork& work = works.local();
                        // The walks start at random nodes, a cache miss each (the subject's
                        // kind, its run bounds, then its run): in batches of groups that can
                        // fire, the misses of a whole batch are started first (prefetches),
                        // so they overlap.
                        constexpr std::size_t kBatch = 32;
                        std::uint32_t batch[kBatch];
                        std::uint8_t needs[kBatch];
                        std::size_t size = 0;
                        auto run_batch = [&] {
                          if (prefetch) {
                            for (std::size_t at = 0; at < size; ++at) {
                              const NodeId subject = subjects[batch[at]];
                              if ((needs[at] & kKind) && subject < kinds_.size()) {
                                __builtin_prefetch(kinds_.data() + subject);
                              }
                              if (needs[at] & kWalks) step_index_.PrefetchBounds(subject);
                            }
                            for (std::size_t at = 0; at < size; ++at) {
                              if (needs[at] & kWalks) step_index_.PrefetchRun(subjects[batch[at]]);
                            }
                          }
                          for (std::size_t at = 0; at < size; ++at) {
                            const std::uint32_t index = batch[at];
                            const std::size_t before = chunk.stored.size();
                            ComputeGroup(index, &chunk.stored, work);
                            if (chunk.stored.size() != before) {
                              chunk.groups.emplace_back(
                                  index, std::uint32_t(chunk.stored.size() - before));
                            }
                          }
                          size = 0;
                        };
                        for (std::size_t index = range.begin(); index < range.end(); ++index) {
                          const std::uint8_t flags = may_fire(index);
                          if (flags == 0) continue;
                          needs[size] = flags;
                          batch[size++] = std::uint32_t(index);
                          if (size == kBatch) run_batch();
                        }
                        run_batch();
                        if (!chunk.stored.empty()) chunks.local().push_back(std::move(chunk));
                      });
    std::vector<Chunk*> ordered;
    for (std::vector<Chunk>& local : chunks) {
      for (Chunk& chunk : local) ordered.push_back(&chunk);
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const Chunk* left, const Chunk* right) { return left->begin < right->begin; });
    std::size_t count = 0;
    for (Chunk* chunk : ordered) {
      chunk->at = count;
      count += chunk->stored.size();
    }
    stored_.reserve(count + count / 4 + 1024);  // head room for updates (see groups_)
    stored_.resize(count);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, ordered.size(), 4),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t index = range.begin(); index != range.end(); ++index) {
                          Chunk& chunk = *ordered[index];
                          std::copy(chunk.stored.begin(), chunk.stored.end(),
                                    stored_.begin() + std::ptrdiff_t(chunk.at));
                          std::uint32_t first = std::uint32_t(chunk.at);
                          for (const auto& [group, size] : chunk.groups) {
                            groups_[group].first = first;
                            groups_[group].count = size;
                            first += size;
                          }
                        }
                      });
  }
  clock.Phase("groups");
  // Per entity: its restrictions in group order, then its reward pieces. Buckets are made in
  // entity order, one per entity with restrictions.
  const std::size_t count = stored_.size();
  auto& reward = scratch_.reward;
  auto& keyed = scratch_.keyed;  // entity << 32 | restriction index
  reward.resize(count);
  keyed.resize(count);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 8192),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        keyed[index] = std::uint64_t(stored_[index].entity) << 32 | index;
                        reward[index] = stored_[index].effect == Effect::kReward;
                      }
                    });
  // Grouped by entity (a radix sort on the entity ids; within an entity in group order), then
  // one run per entity.
  SortByHighWord(&keyed, &scratch_.keyed_buffer, kinds_.size());
  auto& entities = scratch_.entities;
  auto& starts = scratch_.starts;  // [run] where the entity's run begins in keyed
  entities.clear();
  starts.clear();
  for (std::size_t at = 0; at < keyed.size(); ++at) {
    const NodeId entity = NodeId(keyed[at] >> 32);
    if (entities.empty() || entities.back() != entity) {
      entities.push_back(entity);
      starts.push_back(std::uint32_t(at));
    }
  }
  starts.push_back(std::uint32_t(keyed.size()));
  buckets_.reserve(entities.size() + entities.size() / 4 + 1024);  // head room (see groups_)
  buckets_.resize(entities.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, entities.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      // The reward split reads its entity's restrictions at random places of
                      // stored_: prefetched a few entities ahead.
                      constexpr std::size_t kAhead = 8;
                      auto prefetch = [&](std::size_t run) {
                        for (std::uint32_t at = starts[run]; at < starts[run + 1]; ++at) {
                          __builtin_prefetch(stored_.data() + std::uint32_t(keyed[at]));
                        }
                      };
                      for (std::size_t run = range.begin();
                           run < std::min(range.end(), range.begin() + kAhead); ++run) {
                        prefetch(run);
                      }
                      for (std::size_t run = range.begin(); run != range.end(); ++run) {
                        if (run + kAhead < range.end()) prefetch(run + kAhead);
                        const NodeId entity = entities[run];
                        Bucket& bucket = buckets_[run];
                        bucket.entity = entity;
                        bucket_of_[entity] = std::uint32_t(run);
                        bucket.raw.reserve(starts[run + 1] - starts[run]);
                        bool rewarded = false;
                        for (std::uint32_t at = starts[run]; at < starts[run + 1]; ++at) {
                          const auto index = std::uint32_t(keyed[at]);
                          bucket.raw.push_back(index);
                          rewarded = rewarded || reward[index];
                        }
                        if (rewarded) RebuildRewards(bucket);
                      }
                    });

  clock.Phase("buckets+rewards");
}

void MeasureEngine::Recompute(std::vector<std::uint32_t> groups) {
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  std::vector<NodeId> dirty;
  std::vector<NodeId> subjects;
  state_ = NextState();
  std::vector<Stored> computed;
  for (const std::uint32_t group : groups) {
    computed.clear();
    ComputeGroup(group, &computed);
    InstallGroup(group, computed, &dirty);
    if (groups_[group].kind == TriggerKind::kList) subjects.push_back(SubjectOf(group));
  }
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  for (const NodeId entity : dirty) RebuildRewards(MutableBucket(entity));
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  for (const NodeId subject : subjects) RebuildKeySupervision(subject);
  // Amortized: compact when the replaced ranges are half of the array.
  if (garbage_ >= 16 && garbage_ * 2 > stored_.size()) CompactStored();
}


void MeasureEngine::AddListEntry(ListEntry entry) {
  EnsureNode(entry.subject);
  EnsureIncremental();
  const std::uint32_t code = InternCode(entry.list);
  std::uint32_t group = FindGroup(TriggerKind::kList, entry.source, entry.rid);
  if (group == kNoIndex) {
    lists_.push_back(std::move(entry));
    list_code_.push_back(code);
    Recompute({NewGroup(TriggerKind::kList, std::uint32_t(lists_.size() - 1))});
    return;
  }
  const std::uint32_t input = groups_[group].input;
  const NodeId previous = lists_[input].subject;
  const NodeId subject = entry.subject;
  lists_[input] = std::move(entry);
  list_code_[input] = code;
  if (previous != subject) {
    // The entry moved to another subject: move it in the subject index.
    AddToSubject(subject, group);  // the old subject's entry is filtered on lookup
  }
  Recompute({group});
  if (previous != subject) RebuildKeySupervision(previous);
}

absl::Status MeasureEngine::SetRemoved(std::string_view source, std::string_view rid,
                                       Date removed_on) {
  EnsureIncremental();
  const std::uint32_t group = FindGroup(TriggerKind::kList, source, rid);
  if (group == kNoIndex) {
    return absl::NotFoundError(text::Cat("no list entry with source '", source, "' and rid '",
                                         rid, "'; add it first"));
  }
  lists_[groups_[group].input].removed_on = removed_on;
  Recompute({group});
  return absl::OkStatus();
}

absl::Status MeasureEngine::SetDisputed(std::string_view source, std::string_view rid,
                                        bool disputed) {
  EnsureIncremental();
  const std::uint32_t group = FindGroup(TriggerKind::kList, source, rid);
  if (group == kNoIndex) {
    return absl::NotFoundError(text::Cat("no list entry with source '", source, "' and rid '",
                                         rid, "'; add it first"));
  }
  lists_[groups_[group].input].disputed = disputed;
  Recompute({group});
  return absl::OkStatus();
}

void MeasureEngine::AddPenalty(PenaltyEvent penalty) {
  EnsureNode(penalty.subject);
  EnsureIncremental();
  const std::uint32_t group = FindGroup(TriggerKind::kPenalty, penalty.source, penalty.rid);
  if (group == kNoIndex) {
    penalties_.push_back(std::move(penalty));
    Recompute({NewGroup(TriggerKind::kPenalty, std::uint32_t(penalties_.size() - 1))});
    return;
  }
  PenaltyEvent& old = penalties_[groups_[group].input];
  if (old.subject != penalty.subject) {
    AddToSubject(penalty.subject, group);
  }
  old = std::move(penalty);
  Recompute({group});
}

void MeasureEngine::AddRating(RatingEvent rating) {
  EnsureNode(rating.subject);
  EnsureIncremental();
  std::uint32_t group = FindGroup(TriggerKind::kRating, rating.source, rating.rid);
  std::vector<std::uint32_t> affected;
  if (group == kNoIndex) {
    ratings_.push_back(std::move(rating));
    rating_end_.push_back(kForever);
    group = NewGroup(TriggerKind::kRating, std::uint32_t(ratings_.size() - 1));
  } else {
    RatingEvent& old = ratings_[groups_[group].input];
    const NodeId old_subject = old.subject;
    const std::string old_scheme = old.scheme;
    const bool moved = old.subject != rating.subject || old.scheme != rating.scheme;
    old = std::move(rating);
    if (moved) {
      // A correction that moves the rating to another (entity, scheme): the earlier ratings
      // of the old pair lose it as their "next rating".
      if (old_subject != old.subject) AddToSubject(old.subject, group);
      std::vector<std::uint32_t> siblings = RatingSiblings(old_subject, old_scheme);
      UpdateRatingEnds(siblings);
      affected = std::move(siblings);
    }
  }
  const RatingEvent& now = ratings_[groups_[group].input];
  // A new rating ends the earlier ratings of the same scheme: recompute them all.
  std::vector<std::uint32_t> siblings = RatingSiblings(now.subject, now.scheme);
  UpdateRatingEnds(siblings);
  affected.insert(affected.end(), siblings.begin(), siblings.end());
  Recompute(std::move(affected));
}

absl::Status MeasureEngine::AddEdge(const EdgeInput& edge) {
  if (edge.tail >= num_nodes() || edge.head >= num_nodes()) {
    return absl::InvalidArgumentError(text::Cat("edge ", edge.tail, " -> ", edge.head,
                                                " names a node outside the graph (",
                                                num_nodes(), " nodes)"));
  }
  EnsureIncremental();
  overlay_.AddEdge(edge);
  state_ = NextState();  // walks may change (paths are walked again on output)
  const int radius = catalog_.MaxReachSteps() - 1;
  if (radius < 0) return absl::OkStatus();
  // Subjects whose walks could use the new edge: within `radius` undirected steps of its ends.
  absl::flat_hash_set<NodeId> seen = {edge.tail, edge.head};
  std::vector<NodeId> frontier = {edge.tail, edge.head};
  for (int depth = 0; depth < radius && !frontier.empty(); ++depth) {
    std::vector<NodeId> next;
    auto visit = [&](NodeId other) {
      if (seen.insert(other).second) next.push_back(other);
    };
    for (const NodeId node : frontier) {
      if (node < graph_.num_nodes()) {
        for (const NodeId other : graph_.out_neighbors(node)) visit(other);
        for (const NodeId other : graph_.in_neighbors(node)) visit(other);
      }
      for (const std::uint32_t index : overlay_.out(node)) visit(overlay_.edges()[index].head);
      for (const std::uint32_t index : overlay_.in(node)) visit(overlay_.edges()[index].tail);
    }
    frontier = std::move(next);
  }
  std::vector<std::uint32_t> groups;
  for (const NodeId node : seen) {
    const std::vector<std::uint32_t> found = GroupsOf(node);
    groups.insert(groups.end(), found.begin(), found.end());
  }
  Recompute(std::move(groups));
  return absl::OkStatus();
}

void MeasureEngine::AppendOf(const Bucket& bucket, std::vector<Restriction>* out) const {
  const std::size_t first = out->size();
  for (const std::uint32_t index : bucket.raw) {
    const Stored& stored = stored_[index];
    if (stored.effect != Effect::kReward) {
      out->push_back(Materialize(stored, stored.start, stored.end, false));
    }
  }
  for (const Piece& piece : bucket.reward_pieces) {
    out->push_back(Materialize(stored_[piece.from], piece.start, piece.end, piece.withheld));
  }
  std::sort(out->begin() + std::ptrdiff_t(first), out->end(), RestrictionLess);
}

std::vector<Restriction> MeasureEngine::Why(NodeId entity) const {
  std::vector<Restriction> out;
  if (const Bucket* bucket = BucketOf(entity)) AppendOf(*bucket, &out);
  return out;
}

std::vector<Restriction> MeasureEngine::Restrictions() const {
  std::vector<Restriction> out;
  out.reserve(num_restrictions());
  for (NodeId entity = 0; entity < bucket_of_.size(); ++entity) {
    if (bucket_of_[entity] != kNoIndex) AppendOf(buckets_[bucket_of_[entity]], &out);
  }
  return out;
}

RestrictionTable MeasureEngine::Table(Date as_of, NodeId entity) const {
  // The rows of a bucket: (stored index, start, end, withheld), sorted as RestrictionLess does
  // (the path never decides: one restriction per (measure, trigger, entity)).
  struct Row {
    std::uint32_t stored;
    Date start, end;
    bool withheld;
  };
  auto rows_of = [&](const Bucket& bucket, std::vector<Row>* rows) {
    rows->clear();
    auto keep = [&](Date start, Date end) {
      return as_of == kNoDate || (start <= as_of && as_of < end);
    };
    for (const std::uint32_t index : bucket.raw) {
      const Stored& stored = stored_[index];
      if (stored.effect != Effect::kReward && keep(stored.start, stored.end)) {
        rows->push_back({index, stored.start, stored.end, false});
      }
    }
    for (const Piece& piece : bucket.reward_pieces) {
      if (keep(piece.start, piece.end)) rows->push_back({piece.from, piece.start, piece.end, piece.withheld});
    }
    std::sort(rows->begin(), rows->end(), [&](const Row& left, const Row& right) {
      const Stored& a = stored_[left.stored];
      const Stored& b = stored_[right.stored];
      if (a.measure != b.measure) return a.measure < b.measure;
      if (left.start != right.start) return left.start < right.start;
      if (left.end != right.end) return left.end < right.end;
      const std::string_view a_source = SourceOf(a), b_source = SourceOf(b);
      if (a_source != b_source) return a_source < b_source;
      const std::string_view a_rid = RidOf(a), b_rid = RidOf(b);
      if (a_rid != b_rid) return a_rid < b_rid;
      const std::string_view a_code = CodeOf(a), b_code = CodeOf(b);
      if (a_code != b_code) return a_code < b_code;
      return left.withheld < right.withheld;
    });
  };
  std::vector<std::uint32_t> buckets;  // indexes into buckets_, entity order
  if (entity != kNoNode) {
    if (entity < bucket_of_.size() && bucket_of_[entity] != kNoIndex) buckets.push_back(bucket_of_[entity]);
  } else {
    for (NodeId node = 0; node < bucket_of_.size(); ++node) {
      if (bucket_of_[node] != kNoIndex) buckets.push_back(bucket_of_[node]);
    }
  }
  // Pass 1: rows and path lengths per bucket (a path has one node per step, plus the subject).
  std::vector<std::uint32_t> row_at(buckets.size() + 1, 0), path_at(buckets.size() + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets.size(), 512),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<Row> rows;
                      for (std::size_t at = range.begin(); at != range.end(); ++at) {
                        rows_of(buckets_[buckets[at]], &rows);
                        std::uint32_t nodes = 0;
                        for (const Row& row : rows) {
                          const Stored& stored = stored_[row.stored];
                          nodes += std::uint32_t(
                              patterns_[pattern_of_[stored.measure][stored.reach]].steps.size() + 1);
                        }
                        row_at[at + 1] = std::uint32_t(rows.size());
                        path_at[at + 1] = nodes;
                      }
                    });
  for (std::size_t at = 0; at < buckets.size(); ++at) {
    row_at[at + 1] += row_at[at];
    path_at[at + 1] += path_at[at];
  }
  RestrictionTable table;
  const std::size_t count = row_at.back();
  table.entity.resize(count);
  table.measure.resize(count);
  table.reach.resize(count);
  table.withheld.resize(count);
  table.start.resize(count);
  table.end.resize(count);
  table.trigger_kind.resize(count);
  table.subject.resize(count);
  table.code.resize(count);
  table.escalated_from.resize(count);
  table.source.resize(count);
  table.rid.resize(count);
  table.trigger_start.resize(count);
  table.trigger_end.resize(count);
  table.path_offsets.resize(count + 1);
  table.path_nodes.resize(path_at.back());
  table.path_offsets[count] = path_at.back();
  // Every row wanted: the paths of each group's restrictions are walked once per group (a
  // bucket holds restrictions of many groups; a group's targets lie in many buckets), into
  // stored_path[stored_path_at[index] ..) by stored index.
  std::vector<std::uint32_t> stored_path_at;
  std::vector<NodeId> stored_path;
  if (entity == kNoNode) {
    stored_path_at.assign(stored_.size() + 1, 0);
    for (std::size_t index = 0; index < stored_.size(); ++index) {
      const Stored& stored = stored_[index];
      stored_path_at[index + 1] =
          stored_path_at[index] +
          std::uint32_t(patterns_[pattern_of_[stored.measure][stored.reach]].steps.size() + 1);
    }
    stored_path.resize(stored_path_at.back());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, groups_.size(), 1024),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        std::vector<NodeId> nodes;
                        std::vector<EdgeIdx> edges;
                        for (std::size_t group = range.begin(); group != range.end(); ++group) {
                          const Group& info = groups_[group];
                          for (std::uint32_t index = info.first; index < info.first + info.count; ++index) {
                            PathOf(stored_[index], &nodes, &edges);
                            std::copy(nodes.begin(), nodes.end(),
                                      stored_path.begin() + stored_path_at[index]);
                          }
                        }
                      });
  }
  // Pass 2: fill (paths from the walks above, or walked again here: PathOf, cached per group).
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets.size(), 512),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<Row> rows;
                      std::vector<NodeId> nodes;
                      std::vector<EdgeIdx> edges;
                      for (std::size_t at = range.begin(); at != range.end(); ++at) {
                        rows_of(buckets_[buckets[at]], &rows);
                        std::uint32_t row_index = row_at[at];
                        std::uint32_t path_index = path_at[at];
                        for (const Row& row : rows) {
                          const Stored& stored = stored_[row.stored];
                          const Group& group = groups_[stored.group];
                          table.entity[row_index] = stored.entity;
                          table.measure[row_index] = stored.measure;
                          table.reach[row_index] = stored.reach;
                          table.withheld[row_index] = row.withheld;
                          table.start[row_index] = row.start;
                          table.end[row_index] = row.end;
                          table.trigger_kind[row_index] = group.kind;
                          table.subject[row_index] = SubjectOf(stored.group);
                          table.code[row_index] = CodeOf(stored);
                          table.escalated_from[row_index] =
                              stored.from == kNoIndex ? std::string_view() : std::string_view(codes_[stored.from].code);
                          table.source[row_index] = SourceOf(stored);
                          table.rid[row_index] = RidOf(stored);
                          table.trigger_start[row_index] = stored.start;
                          table.trigger_end[row_index] = TriggerEndOf(stored);
                          table.path_offsets[row_index] = path_index;
                          if (entity == kNoNode) {
                            const auto from = stored_path.begin() + stored_path_at[row.stored];
                            const auto to = stored_path.begin() + stored_path_at[row.stored + 1];
                            std::copy(from, to, table.path_nodes.begin() + path_index);
                            path_index += std::uint32_t(to - from);
                          } else {
                            PathOf(stored, &nodes, &edges);
                            std::copy(nodes.begin(), nodes.end(), table.path_nodes.begin() + path_index);
                            path_index += std::uint32_t(nodes.size());
                          }
                          ++row_index;
                        }
                      }
                    });
  return table;
}

std::string_view MeasureEngine::SourceOf(const Stored& stored) const {
  const Group& group = groups_[stored.group];
  switch (group.kind) {
    case TriggerKind::kList: return lists_[group.input].source;
    case TriggerKind::kPenalty: return penalties_[group.input].source;
    case TriggerKind::kRating: return ratings_[group.input].source;
  }
  return {};
}

std::string_view MeasureEngine::RidOf(const Stored& stored) const {
  const Group& group = groups_[stored.group];
  switch (group.kind) {
    case TriggerKind::kList: return lists_[group.input].rid;
    case TriggerKind::kPenalty: return penalties_[group.input].rid;
    case TriggerKind::kRating: return ratings_[group.input].rid;
  }
  return {};
}

std::string_view MeasureEngine::CodeOf(const Stored& stored) const {
  const Group& group = groups_[stored.group];
  switch (group.kind) {
    case TriggerKind::kList: return codes_[stored.code].code;
    case TriggerKind::kPenalty: return ToString(penalties_[group.input].severity);
    case TriggerKind::kRating: return ratings_[group.input].grade;
  }
  return {};
}

Date MeasureEngine::TriggerEndOf(const Stored& stored) const {
  const Group& group = groups_[stored.group];
  switch (group.kind) {
    case TriggerKind::kList: {
      const Date removed = lists_[group.input].removed_on;
      return removed == kNoDate ? kForever : removed;
    }
    case TriggerKind::kPenalty: return kForever;
    case TriggerKind::kRating: return rating_end_[group.input];
  }
  return kForever;
}

std::vector<Restriction> MeasureEngine::ActiveAt(Date date) const {
  std::vector<Restriction> out;
  for (NodeId entity = 0; entity < bucket_of_.size(); ++entity) {
    if (bucket_of_[entity] == kNoIndex) continue;
    const Bucket& bucket = buckets_[bucket_of_[entity]];
    const std::size_t first = out.size();
    for (const std::uint32_t index : bucket.raw) {
      const Stored& stored = stored_[index];
      if (stored.effect != Effect::kReward && stored.start <= date && date < stored.end) {
        out.push_back(Materialize(stored, stored.start, stored.end, false));
      }
    }
    for (const Piece& piece : bucket.reward_pieces) {
      if (piece.start <= date && date < piece.end) {
        out.push_back(Materialize(stored_[piece.from], piece.start, piece.end, piece.withheld));
      }
    }
    std::sort(out.begin() + std::ptrdiff_t(first), out.end(), RestrictionLess);
  }
  return out;
}

std::size_t MeasureEngine::num_restrictions() const {
  std::size_t count = 0;
  for (const Bucket& bucket : buckets_) {
    if (bucket.has_reward) {
      for (const std::uint32_t index : bucket.raw) count += stored_[index].effect != Effect::kReward;
    } else {
      count += bucket.raw.size();
    }
    count += bucket.reward_pieces.size();
  }
  return count;
}

bool MeasureEngine::IsBound(NodeId entity, std::string_view domain, Date date) const {
  const Bucket* found = BucketOf(entity);
  if (found == nullptr) return false;
  const Bucket& bucket = *found;
  for (const std::uint32_t index : bucket.raw) {
    const Stored* stored = &stored_[index];
    if (stored->effect != Effect::kReward && stored->start <= date && date < stored->end &&
        catalog_.measures[stored->measure].domain == domain) {
      return true;
    }
  }
  for (const Piece& piece : bucket.reward_pieces) {
    if (!piece.withheld && piece.start <= date && date < piece.end &&
        catalog_.measures[stored_[piece.from].measure].domain == domain) {
      return true;
    }
  }
  return false;
}

CheckResult MeasureEngine::Check(NodeId entity, std::string_view domain, Date date) const {
  CheckResult result;
  const Bucket* found = BucketOf(entity);
  if (found == nullptr) return result;
  const Bucket& bucket = *found;
  for (const std::uint32_t index : bucket.raw) {
    const Stored* stored = &stored_[index];
    if (stored->effect != Effect::kReward && stored->start <= date && date < stored->end &&
        catalog_.measures[stored->measure].domain == domain) {
      result.yes = true;
      result.reasons.push_back(Materialize(*stored, stored->start, stored->end, false));
    }
  }
  for (const Piece& piece : bucket.reward_pieces) {
    const Stored& from = stored_[piece.from];
    if (piece.start <= date && date < piece.end &&
        catalog_.measures[from.measure].domain == domain) {
      if (!piece.withheld) result.yes = true;
      result.reasons.push_back(Materialize(from, piece.start, piece.end, piece.withheld));
    }
  }
  return result;
}

std::vector<KeySupervision> MeasureEngine::KeySupervised() const {
  std::vector<KeySupervision> out;
  for (const auto& [entity, intervals] : key_supervision_) {
    out.insert(out.end(), intervals.begin(), intervals.end());
  }
  std::sort(out.begin(), out.end(), [](const KeySupervision& left, const KeySupervision& right) {
    return std::tie(left.entity, left.start) < std::tie(right.entity, right.start);
  });
  return out;
}

bool MeasureEngine::IsKeySupervised(NodeId entity, Date date) const {
  auto found = key_supervision_.find(entity);
  if (found == key_supervision_.end()) return false;
  for (const KeySupervision& interval : found->second) {
    if (interval.start <= date && date < interval.end) return true;
  }
  return false;
}

std::string MeasureEngine::StepText(const Restriction& restriction, std::size_t step) const {
  const PathPattern& pattern =
      patterns_[pattern_of_[restriction.measure][restriction.reach]];
  return StepLabelText(pattern.steps[step]);
}

}  // namespace cg::core::measures
