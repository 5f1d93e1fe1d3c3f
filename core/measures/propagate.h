// Propagation of the measures catalog over the related-party graph (measures.md §3–§5):
// triggers from records (list entries with escalations, penalties within a window, ratings
// until the next rating of the same scheme), subjects filtered by entity kind, reach by path
// patterns, durations (`listed` or a fixed term), the max_years cap, effects (punish, reward
// withheld while punished, alert), key supervision (重点监管对象), and incremental updates
// (new list entry, removal/credit repair, objection opened/closed, new penalty/rating, new
// relation) that touch only the affected restrictions.
//
// Usage (the stage glue):
//   MeasureEngine engine(std::move(catalog), std::move(graph), std::move(node_kinds));
//   engine.Propagate(std::move(inputs));                // full, parallel over triggers (TBB)
//   engine.Check(entity, "consumption", date);          // index by entity
//   engine.ApplyRemoval("court", "R1", date);           // incremental
//   for (const Restriction& r : engine.Restrictions()) ...
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "core/measures/catalog.h"
#include "core/measures/list_activity.h"
#include "core/measures/step_index.h"
#include "graph/csr_graph.h"
#include "graph/path_pattern.h"

namespace cg::core::measures {

/// An administrative penalty, reduced to what triggers need.
struct PenaltyEvent {
  NodeId subject = kNoNode;
  Severity severity = Severity::kNone;
  std::string domain;
  Date decided_on = kNoDate;
  std::string source;
  std::string rid;
};

/// A credit rating, reduced to what triggers need.
struct RatingEvent {
  NodeId subject = kNoNode;
  std::string scheme;
  std::string grade;
  Date rated_on = kNoDate;
  std::string source;
  std::string rid;
};

/// Everything that can trigger a measure. List entries are the originals: escalations are
/// expanded by the engine with the catalog's rules.
struct TriggerInputs {
  std::vector<ListEntry> lists;
  std::vector<PenaltyEvent> penalties;
  std::vector<RatingEvent> ratings;
  /// The caller guarantees that no (source, rid) repeats within lists, penalties or ratings
  /// (e.g. each rid column has distinct values): the search for repeats is skipped and the
  /// (source, rid) index is built on the first incremental update. Wrong if it is not so.
  bool keys_unique = false;
};

PenaltyEvent PenaltyEventFromRecord(const Record& record, NodeId subject);
RatingEvent RatingEventFromRecord(const Record& record, NodeId subject);

/// One trigger instance: a list entry (original or escalated), a penalty or a rating.
/// `end` is when the trigger ends (removal, the next rating; kForever if open); for a penalty
/// it is kForever here and the window comes from each measure's `within`.
struct Trigger {
  TriggerKind kind = TriggerKind::kList;
  NodeId subject = kNoNode;
  std::string code;            // list code, penalty severity, or rating grade
  std::string detail;          // penalty domain or rating scheme ("" for lists)
  std::string escalated_from;  // list code the entry escalated from ("" otherwise)
  std::string source;
  std::string rid;
  Date start = kNoDate;
  Date end = kForever;
};

/// One restriction (or benefit, or alert): the bound entity, the measure, the trigger, the
/// witness path from the trigger's subject to the entity (walking reach pattern `reach` of the
/// measure), and the half-open interval [start, end). A reward is split into pieces: `withheld`
/// pieces are dates on which the entity is bound by some punish measure (measures.md §3).
struct Restriction {
  NodeId entity = kNoNode;
  std::uint32_t measure = 0;  // index into Catalog::measures
  Effect effect = Effect::kPunish;
  std::uint16_t reach = 0;    // index into Measure::reach
  bool withheld = false;
  Date start = 0;
  Date end = 0;
  std::shared_ptr<const Trigger> trigger;
  std::vector<NodeId> path_nodes;  // path_nodes[0] = trigger subject, back() = entity
  std::vector<EdgeIdx> path_edges;  // edge ids (CSR, or overlay ids for edges added later)

  bool ActiveAt(Date date) const { return start <= date && date < end; }
};

/// An interval during which an entity is on black lists of at least min_domains domains.
struct KeySupervision {
  NodeId entity = kNoNode;
  Date start = 0;
  Date end = 0;
  std::vector<std::string> domains;  // the black-list domains active throughout [start, end)
};

struct CheckResult {
  bool yes = false;                  // bound (punish/alert) or granted (reward) in the domain
  std::vector<Restriction> reasons;  // every restriction of the domain active at the date
};

/// Restrictions column-wise (for tables and DataFrames), made without `Restriction` objects:
/// one row per restriction or reward piece, in the order of MeasureEngine::Restrictions().
/// Text columns are views into the engine: valid until its next change.
struct RestrictionTable {
  std::vector<NodeId> entity;
  std::vector<std::uint32_t> measure;  // index into Catalog::measures
  std::vector<std::uint16_t> reach;    // index into Measure::reach
  std::vector<std::uint8_t> withheld;
  std::vector<Date> start;
  std::vector<Date> end;
  std::vector<TriggerKind> trigger_kind;
  std::vector<NodeId> subject;  // the trigger's subject
  std::vector<std::string_view> code, escalated_from, source, rid;
  std::vector<Date> trigger_start, trigger_end;
  // Witness paths: row r's nodes are path_nodes[path_offsets[r] .. path_offsets[r + 1]).
  std::vector<std::uint32_t> path_offsets;
  std::vector<NodeId> path_nodes;
  std::size_t size() const { return entity.size(); }
};

/// A vector that never relocates the records it was given: elements appended later go to a
/// second array (the engine's input records: the first update after a full propagation must
/// not copy hundreds of MB of records to append one).
template <typename T>
class GrowOnly {
 public:
  void Assign(std::vector<T> base) {
    base_ = std::move(base);
    extra_.clear();
  }
  void Resize(std::size_t size) {  // drops the appended elements
    base_.resize(size);
    extra_.clear();
  }
  void push_back(T value) { extra_.push_back(std::move(value)); }
  std::size_t size() const { return base_.size() + extra_.size(); }
  bool empty() const { return size() == 0; }
  T& operator[](std::size_t index) {
    return index < base_.size() ? base_[index] : extra_[index - base_.size()];
  }
  const T& operator[](std::size_t index) const {
    return index < base_.size() ? base_[index] : extra_[index - base_.size()];
  }

 private:
  std::vector<T> base_;
  std::vector<T> extra_;
};

class MeasureEngine {
 public:
  /// `node_kinds[v]` is the kind of entity v (kUnknown if not known; a measure with a
  /// `subjects` filter never fires on an unknown kind).
  MeasureEngine(Catalog catalog, CsrGraph graph, std::vector<EntityKind> node_kinds);

  const Catalog& catalog() const { return catalog_; }
  const CsrGraph& graph() const { return graph_; }
  const EdgeOverlay& overlay() const { return overlay_; }
  NodeId num_nodes() const { return NodeId(kinds_.size()); }

  /// Full propagation (replaces everything), parallel over triggers.
  void Propagate(TriggerInputs inputs);
  /// The same from inputs the caller keeps: copied into the engine's storage (reusing the
  /// previous run's), e.g. to propagate the same prepared inputs again.
  void PropagateCopy(const TriggerInputs& inputs);

  // ---- incremental updates: each recomputes only the affected triggers.
  /// A new list entry (or a replacement of the entry with the same source and rid).
  void AddListEntry(ListEntry entry);
  /// Credit repair: the entry (source, rid) is removed from its list on `removed_on`
  /// (kNoDate: the removal is undone). NotFound if no such entry.
  absl::Status SetRemoved(std::string_view source, std::string_view rid, Date removed_on);
  /// An objection opened (true) or closed (false) on the entry (source, rid).
  absl::Status SetDisputed(std::string_view source, std::string_view rid, bool disputed);
  void AddPenalty(PenaltyEvent penalty);
  void AddRating(RatingEvent rating);
  /// A new relation. Both ends must be existing nodes. Recomputes the triggers whose subject
  /// lies within (longest reach pattern - 1) undirected steps of either end.
  absl::Status AddEdge(const EdgeInput& edge);

  // ---- answers
  /// Every restriction, sorted by (entity, measure, start, trigger source, rid, ...).
  std::vector<Restriction> Restrictions() const;
  /// The same rows column-wise (all of them; or active at `as_of` if not kNoDate; or of one
  /// entity if not kNoNode), built in parallel.
  RestrictionTable Table(Date as_of = kNoDate, NodeId entity = kNoNode) const;
  /// Restrictions active at `date`.
  std::vector<Restriction> ActiveAt(Date date) const;
  /// Every restriction bound to `entity` (all dates): "why is X restricted?".
  std::vector<Restriction> Why(NodeId entity) const;
  /// check(entity, domain, date) of measures.md §5.
  CheckResult Check(NodeId entity, std::string_view domain, Date date) const;
  /// Fast yes/no form of Check (no copies).
  bool IsBound(NodeId entity, std::string_view domain, Date date) const;
  /// Key-supervision intervals (empty when the catalog has no key_supervision).
  std::vector<KeySupervision> KeySupervised() const;
  bool IsKeySupervised(NodeId entity, Date date) const;

  std::size_t num_restrictions() const;
  /// Input records (list entries, penalties, ratings) after de-duplication by (source, rid).
  std::size_t num_triggers() const { return live_groups_; }

  /// "E1 -legal_rep-> P7 -~legal_rep-> E9" with node names from `name_of`.
  template <typename NameFn>
  std::string PathText(const Restriction& restriction, NameFn&& name_of) const;
  std::string StepText(const Restriction& restriction, std::size_t step) const;

 private:
  static constexpr std::uint32_t kNoIndex = 0xffffffffu;
  // A restriction as stored: 32 bytes in one flat array (`stored_`), no allocation of its own.
  // The trigger is not stored: it is the group's input record, with (for a list entry) the
  // interned code it fired as (`code`, `from` for an escalation) and `start`; the public
  // `Trigger` is made on output. The witness path is not stored either: it is the
  // deterministic witness of reach pattern `reach` from the trigger's subject (levels in
  // ascending node order, the first edge that reaches a node), walked again when a
  // `Restriction` is made (PathOf): the same path the propagation saw, since every change of
  // the graph recomputes the groups whose walks it can touch.
  struct Stored {
    NodeId entity = kNoNode;
    std::uint32_t measure = 0;
    std::uint32_t group = 0;
    std::uint32_t code = kNoIndex;  // list entries: the (escalated) code; else kNoIndex
    std::uint32_t from = kNoIndex;  // list entries: the code it escalated from, or kNoIndex
    Date start = 0;
    Date end = 0;
    std::uint16_t reach = 0;
    Effect effect = Effect::kPunish;
  };
  // A group = one input record (a list entry with its escalations; a penalty; a rating) and
  // the restrictions it yields: the unit of recomputation. Groups are dense ids; a group whose
  // (source, rid) repeats an earlier one is folded into it (`live = false`). Its restrictions
  // are stored_[first, first + count).
  struct Group {
    TriggerKind kind = TriggerKind::kList;
    bool live = true;
    std::uint32_t input = 0;  // index into lists_ / penalties_ / ratings_
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  // A piece of a reward: granted, or withheld while the entity is punished.
  struct Piece {
    std::uint32_t from = 0;  // index into stored_
    Date start = 0;
    Date end = 0;
    bool withheld = false;
  };
  // The restrictions of one entity. Buckets are sparse (most entities have none): a dense
  // 4-byte index per node (`bucket_of_`) points into `buckets_`.
  struct Bucket {
    NodeId entity = kNoNode;
    // Most entities have a few restrictions: kept inline, no allocation.
    absl::InlinedVector<std::uint32_t, 4> raw;    // indexes into stored_, rewards unsplit
    absl::InlinedVector<Piece, 1> reward_pieces;  // rewards split into granted / withheld
    bool has_reward = false;
  };
  // A list code, interned: the measures it triggers and its key-supervision role.
  struct CodeInfo {
    std::string code;
    std::vector<std::uint32_t> measures;
    bool black = false;
    std::string domain;
  };
  struct Rule {  // an escalation with interned codes
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    Period after;
  };

  void ResetState();               // drops every answer (Propagate's first step)
  void RunFull(bool keys_unique);  // full propagation over lists_, penalties_, ratings_
  std::uint32_t InternCode(const std::string& code);
  // `code` and every code its escalations reach, transitively (first: `code`).
  std::vector<std::uint32_t> EscalationClosure(std::uint32_t code) const;
  NodeId SubjectOf(std::uint32_t group) const;
  std::uint64_t KeyHash(std::uint32_t group) const;
  bool SameKey(std::uint32_t group, TriggerKind kind, std::string_view source,
               std::string_view rid) const;
  std::uint32_t FindGroup(TriggerKind kind, std::string_view source, std::string_view rid) const;
  std::uint32_t NewGroup(TriggerKind kind, std::uint32_t input);
  void EnsureIncremental();
  std::size_t BuildKeyIndex(bool fold);
  void AddToSubject(NodeId subject, std::uint32_t group);
  std::vector<std::uint32_t> GroupsOf(NodeId subject) const;  // live groups, ascending
  std::vector<std::uint32_t> RatingSiblings(NodeId subject, std::string_view scheme) const;
  void UpdateRatingEnds(const std::vector<std::uint32_t>& siblings);
  // Appends the group's restrictions to `out` (with the caller's work space, or a
  // thread-local one).
  struct GroupWork;
  void ComputeGroup(std::uint32_t group, std::vector<Stored>* out) const;
  void ComputeGroup(std::uint32_t group, std::vector<Stored>* out, GroupWork& work) const;
  // The witness path of a stored restriction, walked again (see Stored).
  void PathOf(const Stored& stored, std::vector<NodeId>* nodes, std::vector<EdgeIdx>* edges) const;
  Restriction Materialize(const Stored& stored, Date start, Date end, bool withheld) const;
  std::shared_ptr<const Trigger> MakeTrigger(const Stored& stored) const;
  std::string_view SourceOf(const Stored& stored) const;
  std::string_view RidOf(const Stored& stored) const;
  std::string_view CodeOf(const Stored& stored) const;  // as Trigger::code
  Date TriggerEndOf(const Stored& stored) const;        // as Trigger::end
  void AppendOf(const Bucket& bucket, std::vector<Restriction>* out) const;
  std::vector<KeySupervision> KeySupervisionOf(NodeId entity,
                                               std::span<const std::uint32_t> groups) const;
  void InstallGroup(std::uint32_t group, std::span<const Stored> computed,
                    std::vector<NodeId>* dirty);
  void CompactStored();
  void Recompute(std::vector<std::uint32_t> groups);
  void RebuildRewards(Bucket& bucket);
  void RebuildKeySupervision(NodeId entity);
  void EnsureNode(NodeId node);
  const Bucket* BucketOf(NodeId entity) const {
    if (entity >= bucket_of_.size() || bucket_of_[entity] == kNoIndex) return nullptr;
    return &buckets_[bucket_of_[entity]];
  }
  Bucket& MutableBucket(NodeId entity);  // made on first use

  Catalog catalog_;
  CsrGraph graph_;
  EdgeOverlay overlay_;
  HugeVector<EntityKind> kinds_;  // read at random subjects: huge pages (core/huge_pages.h)
  // distinct reach patterns across the catalog, and measure/reach -> pattern id
  std::vector<PathPattern> patterns_;
  std::vector<std::vector<std::uint32_t>> pattern_of_;  // [measure][reach]
  // [pattern][level] distinct step id in step_index_ (the patterns' steps compiled against
  // graph_: targets-only walks of full propagation and updates; paths walk graph_ itself)
  std::vector<std::vector<std::uint32_t>> step_ids_;
  StepIndex step_index_;
  absl::flat_hash_map<std::string, std::uint32_t> code_ids_;
  std::vector<CodeInfo> codes_;
  std::vector<Rule> rules_;
  std::vector<std::uint32_t> penalty_measures_;
  std::vector<std::uint32_t> rating_measures_;
  Period max_period_;

  // inputs, dense; groups_ refer to them by index
  GrowOnly<ListEntry> lists_;
  std::vector<std::uint32_t> list_code_;  // [list input] interned code
  GrowOnly<PenaltyEvent> penalties_;
  GrowOnly<RatingEvent> ratings_;
  std::vector<Date> rating_end_;          // [rating input] the next later rating, or kForever
  std::vector<Group> groups_;
  // Every restriction, by group (groups_[g].first ..); updates append, and the ranges they
  // replace are garbage until CompactStored.
  std::vector<Stored> stored_;
  std::size_t garbage_ = 0;
  // A new value on every change of the answers: keys the thread-local path cache of PathOf.
  std::uint64_t state_ = 0;
  std::size_t live_groups_ = 0;
  // (kind, source, rid) -> group: the groups of the last full propagation as sorted
  // (hash, group) pairs; groups added since: hash -> latest group, chained through key_next_.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> key_sorted_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> key_head_;
  bool key_index_pending_ = false;  // key_sorted_ not built yet (TriggerInputs::keys_unique)
  // [group - key_next_base_] for the groups added since the full propagation: the next older
  // group with the same key hash (key_head_ chains)
  std::vector<std::uint32_t> key_next_;
  std::uint32_t key_next_base_ = 0;
  bool incremental_ready_ = false;
  // Groups by subject: (subject << 32 | group) of every group of the last full propagation,
  // ascending (made by the full propagation, which uses it for rating ends and key
  // supervision), plus the groups added or moved since (stale entries filtered by GroupsOf).
  std::vector<std::uint64_t> by_subject_;
  absl::flat_hash_map<NodeId, std::vector<std::uint32_t>> extra_by_subject_;

  HugeVector<std::uint32_t> bucket_of_;  // [node] index into buckets_, kNoIndex if none
  std::vector<Bucket> buckets_;           // entity order after a full propagation
  // Per-run work arrays of Propagate, kept between runs (no reallocation, no first-touch).
  struct SchemeDate {
    std::uint32_t scheme;
    Date date;
  };
  struct Scratch {
    std::vector<SchemeDate> dated;
    std::vector<std::uint8_t> rating_fires;  // [rating] some measure can fire on it
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint32_t> keys;
    std::vector<std::uint32_t> starts;
    std::vector<std::uint32_t> order32;
    std::vector<std::uint8_t> reward;
    std::vector<NodeId> entities;
    std::vector<NodeId> subjects;  // [group] its subject, during RunFull
    std::vector<std::uint64_t> keyed, keyed_buffer;  // radix-sorted (node << 32 | item)
  };
  Scratch scratch_;
  absl::flat_hash_map<NodeId, std::vector<KeySupervision>> key_supervision_;
};

/// Canonical order of restrictions (used by Restrictions() and the tests).
bool RestrictionLess(const Restriction& left, const Restriction& right);

template <typename NameFn>
std::string MeasureEngine::PathText(const Restriction& restriction, NameFn&& name_of) const {
  std::string text = name_of(restriction.path_nodes.front());
  for (std::size_t step = 0; step + 1 < restriction.path_nodes.size(); ++step) {
    text += " -" + StepText(restriction, step) + "-> " + name_of(restriction.path_nodes[step + 1]);
  }
  return text;
}

}  // namespace cg::core::measures
