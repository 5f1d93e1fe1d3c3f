// Measures propagation and its incremental maintenance (see propagate.h, measures.md §3–§5).
#include "core/measures/propagate.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <deque>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "core/measures/pattern_syntax.h"
#include "core/measures/text_util.h"

namespace cg::core::measures {
namespace {

constexpr char kSep = '\x1f';

// Group keys are built often (full propagation, every update): plain appends, no streams.
std::string MakeKey(char kind, std::string_view source, std::string_view rid) {
  std::string key;
  key.reserve(source.size() + rid.size() + 3);
  key += kind;
  key += kSep;
  key.append(source);
  key += kSep;
  key.append(rid);
  return key;
}
std::string ListKey(std::string_view source, std::string_view rid) { return MakeKey('L', source, rid); }
std::string PenaltyKey(std::string_view source, std::string_view rid) { return MakeKey('P', source, rid); }
std::string RatingKey(std::string_view source, std::string_view rid) { return MakeKey('R', source, rid); }
std::string SiblingKey(NodeId subject, std::string_view scheme) {
  std::string key = std::to_string(subject);
  key += kSep;
  key.append(scheme);
  return key;
}

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

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
      kinds_(std::move(node_kinds)) {
  if (kinds_.size() < graph_.num_nodes()) kinds_.resize(graph_.num_nodes(), EntityKind::kUnknown);
  buckets_.resize(kinds_.size());
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
          auto& ids = list_measures_[code];
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
}

void MeasureEngine::EnsureNode(NodeId node) {
  if (node >= buckets_.size()) {
    buckets_.resize(std::size_t(node) + 1);
    kinds_.resize(std::size_t(node) + 1, EntityKind::kUnknown);
  }
}

void MeasureEngine::IndexInput(const std::string& key, NodeId subject) {
  auto& keys = keys_by_subject_[subject];
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
}

std::vector<std::shared_ptr<const Trigger>> MeasureEngine::TriggersOf(
    const std::string& key) const {
  std::vector<std::shared_ptr<const Trigger>> triggers;
  if (key[0] == 'L') {
    const ListEntry& original = lists_.at(key);
    for (const ListEntry& entry :
         ExpandEscalations(std::span(&original, 1), catalog_.escalations)) {
      if (ActiveInterval(entry, catalog_.max_years).empty()) continue;  // disputed, empty
      auto trigger = std::make_shared<Trigger>();
      trigger->kind = TriggerKind::kList;
      trigger->subject = entry.subject;
      trigger->code = entry.list;
      trigger->escalated_from = entry.escalated_from;
      trigger->source = entry.source;
      trigger->rid = entry.rid;
      trigger->start = entry.listed_on;
      trigger->end = entry.removed_on == kNoDate ? kForever : entry.removed_on;
      triggers.push_back(std::move(trigger));
    }
  } else if (key[0] == 'P') {
    const PenaltyEvent& penalty = penalties_.at(key);
    if (penalty.decided_on == kNoDate) return triggers;
    auto trigger = std::make_shared<Trigger>();
    trigger->kind = TriggerKind::kPenalty;
    trigger->subject = penalty.subject;
    trigger->code = std::string(ToString(penalty.severity));
    trigger->detail = penalty.domain;
    trigger->source = penalty.source;
    trigger->rid = penalty.rid;
    trigger->start = penalty.decided_on;
    triggers.push_back(std::move(trigger));
  } else {
    const RatingEvent& rating = ratings_.at(key);
    if (rating.rated_on == kNoDate) return triggers;
    Date next = kForever;
    for (const std::string& sibling : rating_siblings_.at(SiblingKey(rating.subject, rating.scheme))) {
      const Date other = ratings_.at(sibling).rated_on;
      if (other != kNoDate && other > rating.rated_on) next = std::min(next, other);
    }
    auto trigger = std::make_shared<Trigger>();
    trigger->kind = TriggerKind::kRating;
    trigger->subject = rating.subject;
    trigger->code = rating.grade;
    trigger->detail = rating.scheme;
    trigger->source = rating.source;
    trigger->rid = rating.rid;
    trigger->start = rating.rated_on;
    trigger->end = next;
    triggers.push_back(std::move(trigger));
  }
  return triggers;
}

std::vector<Restriction> MeasureEngine::ComputeGroup(const std::string& key) const {
  std::vector<Restriction> out;
  const std::vector<std::shared_ptr<const Trigger>> triggers = TriggersOf(key);
  if (triggers.empty()) return out;
  // Pattern hits are evaluated once per group (all triggers of a group share the subject).
  std::vector<std::optional<std::vector<PatternHit>>> hits_cache(patterns_.size());
  static const std::vector<std::uint32_t> kNone;
  absl::flat_hash_set<NodeId> reached;
  for (const auto& trigger : triggers) {
    const EntityKind kind =
        trigger->subject < kinds_.size() ? kinds_[trigger->subject] : EntityKind::kUnknown;
    const std::vector<std::uint32_t>* candidates = &kNone;
    if (trigger->kind == TriggerKind::kList) {
      auto found = list_measures_.find(trigger->code);
      if (found != list_measures_.end()) candidates = &found->second;
    } else if (trigger->kind == TriggerKind::kPenalty) {
      candidates = &penalty_measures_;
    } else {
      candidates = &rating_measures_;
    }
    for (const std::uint32_t measure_index : *candidates) {
      const Measure& measure = catalog_.measures[measure_index];
      const TriggerSpec& spec = measure.trigger;
      if (trigger->kind == TriggerKind::kPenalty) {
        const auto severity = ParseSeverity(trigger->code);
        if (!severity || std::find(spec.severities.begin(), spec.severities.end(), *severity) ==
                             spec.severities.end()) {
          continue;
        }
        if (!spec.domains.empty() && !Contains(spec.domains, trigger->detail)) continue;
      } else if (trigger->kind == TriggerKind::kRating) {
        if (spec.scheme != trigger->detail || !Contains(spec.grades, trigger->code)) continue;
      }
      if (!measure.AcceptsSubject(kind)) continue;
      const Date start = trigger->start;
      Date end;
      if (!measure.lasts_listed) {
        end = AddPeriod(start, measure.lasts);
      } else if (trigger->kind == TriggerKind::kPenalty) {
        end = AddPeriod(start, spec.within);
      } else {
        end = trigger->end;
      }
      end = std::min(end, AddPeriod(start, Period{catalog_.max_years, 0, 0}));
      if (end <= start) continue;
      reached.clear();
      for (std::uint16_t reach_index = 0; reach_index < measure.reach.size(); ++reach_index) {
        const std::uint32_t pattern_id = pattern_of_[measure_index][reach_index];
        auto& hits = hits_cache[pattern_id];
        if (!hits) hits = EvaluatePattern(graph_, patterns_[pattern_id], trigger->subject, &overlay_);
        for (const PatternHit& hit : *hits) {
          if (!reached.insert(hit.target).second) continue;  // first reach pattern wins
          Restriction restriction;
          restriction.entity = hit.target;
          restriction.measure = measure_index;
          restriction.effect = measure.effect;
          restriction.reach = reach_index;
          restriction.start = start;
          restriction.end = end;
          restriction.trigger = trigger;
          restriction.path_nodes = hit.nodes;
          restriction.path_edges = hit.edges;
          out.push_back(std::move(restriction));
        }
      }
    }
  }
  return out;
}

void MeasureEngine::InstallGroup(const std::string& key, std::vector<Restriction> raw,
                                 NodeId subject, std::vector<NodeId>* dirty) {
  auto [it, inserted] = groups_.try_emplace(key);
  Group& group = it->second;
  if (!inserted) {
    for (const Restriction& old : group.raw) {
      auto& pointers = buckets_[old.entity].raw;
      pointers.erase(std::remove(pointers.begin(), pointers.end(), &old), pointers.end());
      dirty->push_back(old.entity);
    }
  }
  group.raw = std::move(raw);
  group.subject = subject;
  for (const Restriction& restriction : group.raw) {
    EnsureNode(restriction.entity);
    buckets_[restriction.entity].raw.push_back(&restriction);
    dirty->push_back(restriction.entity);
  }
}

void MeasureEngine::RebuildRewards(NodeId entity) {
  Bucket& bucket = buckets_[entity];
  bucket.reward_pieces.clear();
  bucket.has_reward = false;
  std::vector<DateInterval> punished;
  for (const Restriction* restriction : bucket.raw) {
    if (restriction->effect == Effect::kReward) bucket.has_reward = true;
    if (restriction->effect == Effect::kPunish) {
      punished.push_back({restriction->start, restriction->end});
    }
  }
  if (!bucket.has_reward) return;
  std::sort(punished.begin(), punished.end(), [](const DateInterval& left, const DateInterval& right) {
    return left.start < right.start;
  });
  std::vector<DateInterval> merged;
  for (const DateInterval& interval : punished) {
    if (!merged.empty() && interval.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, interval.end);
    } else {
      merged.push_back(interval);
    }
  }
  for (const Restriction* restriction : bucket.raw) {
    if (restriction->effect != Effect::kReward) continue;
    Date cursor = restriction->start;
    auto emit = [&](Date from, Date to, bool withheld) {
      if (from >= to) return;
      Restriction piece = *restriction;
      piece.start = from;
      piece.end = to;
      piece.withheld = withheld;
      bucket.reward_pieces.push_back(std::move(piece));
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

void MeasureEngine::RebuildKeySupervision(NodeId entity) {
  key_supervision_.erase(entity);
  const int min_domains = catalog_.key_supervision_min_domains;
  if (min_domains <= 0) return;
  auto keys = keys_by_subject_.find(entity);
  if (keys == keys_by_subject_.end()) return;
  struct Span {
    Date start, end;
    std::string domain;
  };
  std::vector<Span> spans;
  for (const std::string& key : keys->second) {
    if (key[0] != 'L') continue;
    const ListEntry& original = lists_.at(key);
    for (const ListEntry& entry :
         ExpandEscalations(std::span(&original, 1), catalog_.escalations)) {
      const ListDecl info = catalog_.ListInfoFor(entry.list);
      if (info.polarity != Polarity::kBlack) continue;
      const DateInterval interval = ActiveInterval(entry, catalog_.max_years);
      if (interval.empty()) continue;
      spans.push_back({interval.start, interval.end, info.domain});
    }
  }
  if (spans.empty()) return;
  std::vector<Date> cuts;
  for (const Span& span : spans) {
    cuts.push_back(span.start);
    cuts.push_back(span.end);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<KeySupervision> out;
  for (std::size_t index = 0; index + 1 < cuts.size(); ++index) {
    const Date from = cuts[index], to = cuts[index + 1];
    std::vector<std::string> domains;
    for (const Span& span : spans) {
      if (span.start <= from && to <= span.end) domains.push_back(span.domain);
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
  if (!out.empty()) key_supervision_[entity] = std::move(out);
}

void MeasureEngine::Propagate(TriggerInputs inputs) {
  lists_.clear();
  penalties_.clear();
  ratings_.clear();
  rating_siblings_.clear();
  keys_by_subject_.clear();
  groups_.clear();
  key_supervision_.clear();
  for (Bucket& bucket : buckets_) bucket = Bucket{};
  const std::size_t total =
      inputs.lists.size() + inputs.penalties.size() + inputs.ratings.size();
  lists_.reserve(inputs.lists.size());
  penalties_.reserve(inputs.penalties.size());
  ratings_.reserve(inputs.ratings.size());
  keys_by_subject_.reserve(total);
  std::vector<std::string> keys;
  std::vector<NodeId> subjects;
  keys.reserve(total);
  subjects.reserve(total);
  auto add = [&](std::string key, NodeId subject) {
    EnsureNode(subject);
    IndexInput(key, subject);
    keys.push_back(std::move(key));
    subjects.push_back(subject);
  };
  for (ListEntry& entry : inputs.lists) {
    std::string key = ListKey(entry.source, entry.rid);
    const NodeId subject = entry.subject;
    if (lists_.insert_or_assign(key, std::move(entry)).second) add(std::move(key), subject);
  }
  for (PenaltyEvent& penalty : inputs.penalties) {
    std::string key = PenaltyKey(penalty.source, penalty.rid);
    const NodeId subject = penalty.subject;
    if (penalties_.insert_or_assign(key, std::move(penalty)).second) add(std::move(key), subject);
  }
  for (RatingEvent& rating : inputs.ratings) {
    std::string key = RatingKey(rating.source, rating.rid);
    const NodeId subject = rating.subject;
    rating_siblings_[SiblingKey(subject, rating.scheme)].push_back(key);
    if (ratings_.insert_or_assign(key, std::move(rating)).second) add(std::move(key), subject);
  }
  std::vector<std::vector<Restriction>> computed(keys.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, keys.size(), 64),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        computed[index] = ComputeGroup(keys[index]);
                      }
                    });
  groups_.reserve(keys.size());
  std::vector<NodeId> dirty;
  for (std::size_t index = 0; index < keys.size(); ++index) {
    InstallGroup(keys[index], std::move(computed[index]), subjects[index], &dirty);
  }
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  for (const NodeId entity : dirty) RebuildRewards(entity);
  if (catalog_.key_supervision_min_domains > 0) {
    for (const auto& [subject, subject_keys] : keys_by_subject_) RebuildKeySupervision(subject);
  }
}

void MeasureEngine::Recompute(const std::vector<std::string>& keys) {
  std::vector<NodeId> dirty;
  std::vector<NodeId> subjects;
  for (const std::string& key : keys) {
    NodeId subject = kNoNode;
    if (key[0] == 'L') subject = lists_.at(key).subject;
    else if (key[0] == 'P') subject = penalties_.at(key).subject;
    else subject = ratings_.at(key).subject;
    InstallGroup(key, ComputeGroup(key), subject, &dirty);
    if (key[0] == 'L') subjects.push_back(subject);
  }
  std::sort(dirty.begin(), dirty.end());
  dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
  for (const NodeId entity : dirty) RebuildRewards(entity);
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  for (const NodeId subject : subjects) RebuildKeySupervision(subject);
}

void MeasureEngine::AddListEntry(ListEntry entry) {
  std::string key = ListKey(entry.source, entry.rid);
  EnsureNode(entry.subject);
  auto old = lists_.find(key);
  if (old != lists_.end() && old->second.subject != entry.subject) {
    // The entry moved to another subject: drop it from the old subject's index.
    auto& keys = keys_by_subject_[old->second.subject];
    keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
    const NodeId previous = old->second.subject;
    lists_.insert_or_assign(key, std::move(entry));
    IndexInput(key, lists_.at(key).subject);
    Recompute({key});
    RebuildKeySupervision(previous);
    return;
  }
  IndexInput(key, entry.subject);
  lists_.insert_or_assign(key, std::move(entry));
  Recompute({key});
}

absl::Status MeasureEngine::SetRemoved(std::string_view source, std::string_view rid,
                                       Date removed_on) {
  const std::string key = ListKey(source, rid);
  auto found = lists_.find(key);
  if (found == lists_.end()) {
    return absl::NotFoundError(text::Cat("no list entry with source '", source, "' and rid '",
                                         rid, "'; add it first"));
  }
  found->second.removed_on = removed_on;
  Recompute({key});
  return absl::OkStatus();
}

absl::Status MeasureEngine::SetDisputed(std::string_view source, std::string_view rid,
                                        bool disputed) {
  const std::string key = ListKey(source, rid);
  auto found = lists_.find(key);
  if (found == lists_.end()) {
    return absl::NotFoundError(text::Cat("no list entry with source '", source, "' and rid '",
                                         rid, "'; add it first"));
  }
  found->second.disputed = disputed;
  Recompute({key});
  return absl::OkStatus();
}

void MeasureEngine::AddPenalty(PenaltyEvent penalty) {
  std::string key = PenaltyKey(penalty.source, penalty.rid);
  EnsureNode(penalty.subject);
  if (auto old = penalties_.find(key);
      old != penalties_.end() && old->second.subject != penalty.subject) {
    auto& keys = keys_by_subject_[old->second.subject];
    keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
  }
  IndexInput(key, penalty.subject);
  penalties_.insert_or_assign(key, std::move(penalty));
  Recompute({key});
}

void MeasureEngine::AddRating(RatingEvent rating) {
  std::string key = RatingKey(rating.source, rating.rid);
  EnsureNode(rating.subject);
  std::vector<std::string> previous_siblings;
  if (auto old = ratings_.find(key); old != ratings_.end()) {
    // A replacement that moves the rating to another (entity, scheme): the earlier ratings of
    // the old pair lose it as their "next rating".
    const std::string old_pair = SiblingKey(old->second.subject, old->second.scheme);
    if (old_pair != SiblingKey(rating.subject, rating.scheme)) {
      auto& siblings = rating_siblings_[old_pair];
      siblings.erase(std::remove(siblings.begin(), siblings.end(), key), siblings.end());
      previous_siblings = siblings;
      auto& keys = keys_by_subject_[old->second.subject];
      keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
    }
  }
  IndexInput(key, rating.subject);
  auto& siblings = rating_siblings_[SiblingKey(rating.subject, rating.scheme)];
  if (std::find(siblings.begin(), siblings.end(), key) == siblings.end()) siblings.push_back(key);
  ratings_.insert_or_assign(key, std::move(rating));
  // A new rating ends the earlier ratings of the same scheme: recompute them all.
  std::vector<std::string> keys(siblings.begin(), siblings.end());
  keys.insert(keys.end(), previous_siblings.begin(), previous_siblings.end());
  Recompute(keys);
}

absl::Status MeasureEngine::AddEdge(const EdgeInput& edge) {
  if (edge.tail >= num_nodes() || edge.head >= num_nodes()) {
    return absl::InvalidArgumentError(text::Cat("edge ", edge.tail, " -> ", edge.head,
                                                " names a node outside the graph (",
                                                num_nodes(), " nodes)"));
  }
  overlay_.AddEdge(edge);
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
  std::vector<std::string> keys;
  for (const NodeId node : seen) {
    auto found = keys_by_subject_.find(node);
    if (found == keys_by_subject_.end()) continue;
    keys.insert(keys.end(), found->second.begin(), found->second.end());
  }
  Recompute(keys);
  return absl::OkStatus();
}

std::vector<Restriction> MeasureEngine::Why(NodeId entity) const {
  std::vector<Restriction> out;
  if (entity >= buckets_.size()) return out;
  const Bucket& bucket = buckets_[entity];
  for (const Restriction* restriction : bucket.raw) {
    if (restriction->effect != Effect::kReward) out.push_back(*restriction);
  }
  out.insert(out.end(), bucket.reward_pieces.begin(), bucket.reward_pieces.end());
  std::sort(out.begin(), out.end(), RestrictionLess);
  return out;
}

std::vector<Restriction> MeasureEngine::Restrictions() const {
  std::vector<Restriction> out;
  out.reserve(num_restrictions());
  for (NodeId entity = 0; entity < buckets_.size(); ++entity) {
    const Bucket& bucket = buckets_[entity];
    const std::size_t first = out.size();
    for (const Restriction* restriction : bucket.raw) {
      if (restriction->effect != Effect::kReward) out.push_back(*restriction);
    }
    out.insert(out.end(), bucket.reward_pieces.begin(), bucket.reward_pieces.end());
    std::sort(out.begin() + std::ptrdiff_t(first), out.end(), RestrictionLess);
  }
  return out;
}

std::vector<Restriction> MeasureEngine::ActiveAt(Date date) const {
  std::vector<Restriction> out;
  for (NodeId entity = 0; entity < buckets_.size(); ++entity) {
    const Bucket& bucket = buckets_[entity];
    const std::size_t first = out.size();
    for (const Restriction* restriction : bucket.raw) {
      if (restriction->effect != Effect::kReward && restriction->ActiveAt(date)) {
        out.push_back(*restriction);
      }
    }
    for (const Restriction& piece : bucket.reward_pieces) {
      if (piece.ActiveAt(date)) out.push_back(piece);
    }
    std::sort(out.begin() + std::ptrdiff_t(first), out.end(), RestrictionLess);
  }
  return out;
}

std::size_t MeasureEngine::num_restrictions() const {
  std::size_t count = 0;
  for (const Bucket& bucket : buckets_) {
    for (const Restriction* restriction : bucket.raw) {
      if (restriction->effect != Effect::kReward) ++count;
    }
    count += bucket.reward_pieces.size();
  }
  return count;
}

bool MeasureEngine::IsBound(NodeId entity, std::string_view domain, Date date) const {
  if (entity >= buckets_.size()) return false;
  const Bucket& bucket = buckets_[entity];
  for (const Restriction* restriction : bucket.raw) {
    if (restriction->effect != Effect::kReward && restriction->ActiveAt(date) &&
        catalog_.measures[restriction->measure].domain == domain) {
      return true;
    }
  }
  for (const Restriction& piece : bucket.reward_pieces) {
    if (!piece.withheld && piece.ActiveAt(date) &&
        catalog_.measures[piece.measure].domain == domain) {
      return true;
    }
  }
  return false;
}

CheckResult MeasureEngine::Check(NodeId entity, std::string_view domain, Date date) const {
  CheckResult result;
  if (entity >= buckets_.size()) return result;
  const Bucket& bucket = buckets_[entity];
  for (const Restriction* restriction : bucket.raw) {
    if (restriction->effect != Effect::kReward && restriction->ActiveAt(date) &&
        catalog_.measures[restriction->measure].domain == domain) {
      result.yes = true;
      result.reasons.push_back(*restriction);
    }
  }
  for (const Restriction& piece : bucket.reward_pieces) {
    if (piece.ActiveAt(date) && catalog_.measures[piece.measure].domain == domain) {
      if (!piece.withheld) result.yes = true;
      result.reasons.push_back(piece);
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
