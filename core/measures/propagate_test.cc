// Propagation against a slow, date-by-date reading of measures.md (the reference below), on
// random graphs, random catalogs and random triggers; and incremental updates against a full
// recomputation on random sequences of updates.
#include "core/measures/propagate.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>
#include <type_traits>

#include "core/labels.h"
#include "core/measures/pattern_syntax.h"
#include "graph/csr_builder.h"

namespace cg::core::measures {
namespace {

// ---------------------------------------------------------------- the slow reference

std::set<NodeId> SlowTargets(const std::vector<EdgeInput>& edges, const PathPattern& pattern,
                             NodeId start) {
  std::set<NodeId> level = {start};
  for (const PatternStep& step : pattern.steps) {
    std::set<NodeId> next;
    for (const EdgeInput& edge : edges) {
      if (edge.label != step.label || !step.Accepts(edge.tag, edge.value)) continue;
      const bool forward = step.direction == StepDirection::kForward;
      if (level.count(forward ? edge.tail : edge.head)) next.insert(forward ? edge.head : edge.tail);
    }
    level = std::move(next);
  }
  if (!pattern.is_self()) level.erase(start);
  return level;
}

// (entity, measure, source, rid, trigger code, withheld)
using ActiveKey = std::tuple<NodeId, std::uint32_t, std::string, std::string, std::string, bool>;

struct RefTrigger {
  TriggerKind kind;
  NodeId subject;
  std::string code, detail, source, rid;
  Date start;
  Date natural_end;  // removal / next rating; kForever if none
  bool usable;       // false for a disputed entry or one removed before it started
};

std::vector<RefTrigger> RefTriggers(const Catalog& catalog, const TriggerInputs& inputs) {
  std::vector<RefTrigger> out;
  std::vector<ListEntry> entries = inputs.lists;
  // Escalations, level by level; the random catalogs have acyclic rules.
  std::vector<ListEntry> frontier = entries;
  for (std::size_t level = 0; level < catalog.escalations.size(); ++level) {
    std::vector<ListEntry> next;
    for (const ListEntry& entry : frontier) {
      for (const Escalation& rule : catalog.escalations) {
        if (entry.list != rule.from) continue;
        const Date moved = AddPeriod(entry.listed_on, rule.after);
        if (entry.removed_on != kNoDate && entry.removed_on <= moved) continue;
        ListEntry escalated = entry;
        escalated.list = rule.to;
        escalated.listed_on = moved;
        next.push_back(escalated);
      }
    }
    entries.insert(entries.end(), next.begin(), next.end());
    frontier = next;
  }
  for (const ListEntry& entry : entries) {
    const bool usable = !entry.disputed &&
                        (entry.removed_on == kNoDate || entry.removed_on > entry.listed_on);
    out.push_back({TriggerKind::kList, entry.subject, entry.list, "", entry.source, entry.rid,
                   entry.listed_on, entry.removed_on == kNoDate ? kForever : entry.removed_on,
                   usable});
  }
  for (const PenaltyEvent& penalty : inputs.penalties) {
    out.push_back({TriggerKind::kPenalty, penalty.subject, std::string(ToString(penalty.severity)),
                   penalty.domain, penalty.source, penalty.rid, penalty.decided_on, kForever,
                   true});
  }
  for (const RatingEvent& rating : inputs.ratings) {
    Date next = kForever;
    for (const RatingEvent& other : inputs.ratings) {
      if (other.subject == rating.subject && other.scheme == rating.scheme &&
          other.rated_on > rating.rated_on) {
        next = std::min(next, other.rated_on);
      }
    }
    out.push_back({TriggerKind::kRating, rating.subject, rating.grade, rating.scheme,
                   rating.source, rating.rid, rating.rated_on, next, true});
  }
  return out;
}

bool Matches(const Measure& measure, const RefTrigger& trigger) {
  const TriggerSpec& spec = measure.trigger;
  if (spec.kind != trigger.kind) return false;
  auto has = [](const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
  };
  switch (trigger.kind) {
    case TriggerKind::kList:
      return has(spec.lists, trigger.code);
    case TriggerKind::kPenalty: {
      bool severity_ok = false;
      for (Severity severity : spec.severities) severity_ok |= ToString(severity) == trigger.code;
      return severity_ok && (spec.domains.empty() || has(spec.domains, trigger.detail));
    }
    case TriggerKind::kRating:
      return spec.scheme == trigger.detail && has(spec.grades, trigger.code);
  }
  return false;
}

/// What binds whom on `date`, read straight from the spec.
std::set<ActiveKey> ReferenceActiveAt(const Catalog& catalog, const std::vector<EdgeInput>& edges,
                                      const std::vector<EntityKind>& kinds,
                                      const TriggerInputs& inputs, Date date) {
  std::set<ActiveKey> raw;
  for (const RefTrigger& trigger : RefTriggers(catalog, inputs)) {
    if (!trigger.usable || date < trigger.start) continue;
    if (date >= AddPeriod(trigger.start, Period{catalog.max_years, 0, 0})) continue;
    for (std::uint32_t index = 0; index < catalog.measures.size(); ++index) {
      const Measure& measure = catalog.measures[index];
      if (!Matches(measure, trigger)) continue;
      if (!measure.subjects.empty() &&
          std::find(measure.subjects.begin(), measure.subjects.end(), kinds[trigger.subject]) ==
              measure.subjects.end()) {
        continue;
      }
      Date end;
      if (!measure.lasts_listed) end = AddPeriod(trigger.start, measure.lasts);
      else if (trigger.kind == TriggerKind::kPenalty) end = AddPeriod(trigger.start, measure.trigger.within);
      else end = trigger.natural_end;
      if (date >= end) continue;
      for (const Reach& reach : measure.reach) {
        for (NodeId target : SlowTargets(edges, reach.pattern, trigger.subject)) {
          raw.insert({target, index, trigger.source, trigger.rid, trigger.code, false});
        }
      }
    }
  }
  std::set<NodeId> punished;
  for (const ActiveKey& key : raw) {
    if (catalog.measures[std::get<1>(key)].effect == Effect::kPunish) punished.insert(std::get<0>(key));
  }
  std::set<ActiveKey> out;
  for (ActiveKey key : raw) {
    if (catalog.measures[std::get<1>(key)].effect == Effect::kReward && punished.count(std::get<0>(key))) {
      std::get<5>(key) = true;
    }
    out.insert(key);
  }
  return out;
}

bool ReferenceKeySupervised(const Catalog& catalog, const TriggerInputs& inputs, NodeId entity,
                            Date date) {
  std::set<std::string> domains;
  for (const RefTrigger& trigger : RefTriggers(catalog, inputs)) {
    if (trigger.kind != TriggerKind::kList || trigger.subject != entity || !trigger.usable) continue;
    if (date < trigger.start || date >= trigger.natural_end) continue;
    if (date >= AddPeriod(trigger.start, Period{catalog.max_years, 0, 0})) continue;
    const ListDecl info = catalog.ListInfoFor(trigger.code);
    if (info.polarity == Polarity::kBlack) domains.insert(info.domain);
  }
  return catalog.key_supervision_min_domains > 0 &&
         int(domains.size()) >= catalog.key_supervision_min_domains;
}

// ---------------------------------------------------------------- random worlds

constexpr const char* kPatterns[] = {
    "self", "legal_rep", "~legal_rep", "legal_rep/~legal_rep", "officer[role=principal]",
    "officer[role in chair,manager]", "~officer", "controller", "controller/~controller",
    "shareholder[ratio>=0.5]", "shareholder/~shareholder", "branch", "~branch/legal_rep",
    "guarantee[amount>0.3]", "controller[kind=declared]"};
constexpr const char* kLists[] = {"court_dishonest_debtor", "tax_major_violation",
                                  "amr_abnormal_operation", "amr_serious_illegal", "tax_a",
                                  "health_black", "unknown_list"};
const Date kBase = *ParseDate("2020-01-01");

Catalog RandomCatalog(std::mt19937& rng) {
  Catalog catalog;
  catalog.max_years = int(1 + rng() % 3);
  if (rng() % 2) catalog.escalations.push_back({"amr_abnormal_operation", Period{0, 0, int(60 + rng() % 400)}, "amr_serious_illegal"});
  if (rng() % 3 == 0) catalog.escalations.push_back({"amr_serious_illegal", Period{0, int(1 + rng() % 12), 0}, "health_black"});
  catalog.key_supervision_min_domains = int(rng() % 3);
  catalog.lists.push_back({"health_black", "", Polarity::kBlack, "health"});
  const int num_measures = int(1 + rng() % 5);
  for (int index = 0; index < num_measures; ++index) {
    Measure measure;
    measure.id = "m" + std::to_string(index);
    measure.basis = "basis";
    measure.effect = Effect(rng() % 3);
    measure.domain = rng() % 2 ? "d1" : "d2";
    const int kind = int(rng() % 3);
    measure.trigger.kind = TriggerKind(kind);
    if (kind == 0) {
      measure.trigger.lists.push_back(kLists[rng() % 7]);
      if (rng() % 2) measure.trigger.lists.push_back(kLists[rng() % 7]);
    } else if (kind == 1) {
      measure.trigger.severities.push_back(Severity(1 + rng() % 3));
      if (rng() % 2) measure.trigger.domains.push_back(rng() % 2 ? "market" : "tax");
      measure.trigger.within = Period{0, int(1 + rng() % 24), 0};
    } else {
      measure.trigger.scheme = rng() % 2 ? "tax" : "env";
      measure.trigger.grades.push_back(rng() % 2 ? "D" : "A");
    }
    if (rng() % 2) {
      for (EntityKind entity_kind : {EntityKind::kEnterprise, EntityKind::kPerson, EntityKind::kOrganization}) {
        if (rng() % 2) measure.subjects.push_back(entity_kind);
      }
    }
    std::set<std::string> used;
    const int num_reach = int(1 + rng() % 3);
    for (int reach = 0; reach < num_reach; ++reach) {
      const std::string text = kPatterns[rng() % std::size(kPatterns)];
      if (!used.insert(text).second) continue;
      measure.reach.push_back({text, *ParsePattern(text)});
    }
    if (rng() % 2) {
      measure.lasts_listed = false;
      measure.lasts = rng() % 2 ? Period{0, 0, int(20 + rng() % 300)} : Period{int(1 + rng() % 2), 0, 0};
    }
    catalog.measures.push_back(std::move(measure));
  }
  if (rng() % 2) {  // a broad punish and a broad reward, so that rewards get withheld
    for (Effect effect : {Effect::kPunish, Effect::kReward}) {
      Measure measure;
      measure.id = effect == Effect::kPunish ? "broad_punish" : "broad_reward";
      measure.basis = "basis";
      measure.effect = effect;
      measure.domain = "d1";
      measure.trigger.lists = {"court_dishonest_debtor", "tax_a", "amr_abnormal_operation", "unknown_list"};
      if (effect == Effect::kPunish) measure.trigger.lists = {"tax_major_violation", "health_black", "amr_serious_illegal"};
      measure.reach.push_back({"self", PathPattern{}});
      if (rng() % 2) measure.reach.push_back({"legal_rep", *ParsePattern("legal_rep")});
      catalog.measures.push_back(std::move(measure));
    }
  }
  return catalog;
}

EdgeInput RandomEdge(std::mt19937& rng, NodeId num_nodes) {
  EdgeInput edge;
  edge.tail = NodeId(rng() % num_nodes);
  edge.head = NodeId(rng() % num_nodes);
  while (edge.head == edge.tail) edge.head = NodeId(rng() % num_nodes);
  edge.label = Label(rng() % 6);
  if (edge.label == Label(EdgeLabel::kOfficer)) edge.tag = Tag(rng() % 8);
  if (edge.label == Label(EdgeLabel::kController)) edge.tag = Tag(rng() % 2);
  if (edge.label == Label(EdgeLabel::kShareholder) || edge.label == Label(EdgeLabel::kGuarantee)) {
    edge.value = float(1 + rng() % 10) / 10.0f;
  }
  return edge;
}

ListEntry RandomEntry(std::mt19937& rng, NodeId num_nodes, int serial) {
  ListEntry entry;
  entry.subject = NodeId(rng() % num_nodes);
  entry.list = kLists[rng() % 7];
  entry.listed_on = kBase + Date(rng() % 1500);
  if (rng() % 2) entry.removed_on = entry.listed_on - 10 + Date(rng() % 1500);
  entry.disputed = rng() % 6 == 0;
  entry.source = rng() % 2 ? "court" : "amr";
  entry.rid = "L" + std::to_string(serial);
  return entry;
}

PenaltyEvent RandomPenalty(std::mt19937& rng, NodeId num_nodes, int serial) {
  return {NodeId(rng() % num_nodes), Severity(1 + rng() % 3), rng() % 2 ? "market" : "tax",
          kBase + Date(rng() % 1500), "penalty", "P" + std::to_string(serial)};
}

RatingEvent RandomRating(std::mt19937& rng, NodeId num_nodes, int serial) {
  return {NodeId(rng() % (num_nodes / 8 + 1)), rng() % 2 ? "tax" : "env", rng() % 2 ? "D" : "A",
          kBase + Date(rng() % 1500), "rating", "R" + std::to_string(serial)};
}

struct World {
  NodeId num_nodes;
  std::vector<EntityKind> kinds;
  std::vector<EdgeInput> edges;
  TriggerInputs inputs;
};

World RandomWorld(std::mt19937& rng) {
  World world;
  world.num_nodes = NodeId(15 + rng() % 25);
  for (NodeId node = 0; node < world.num_nodes; ++node) world.kinds.push_back(EntityKind(rng() % 5));
  const int num_edges = int(world.num_nodes + rng() % (2 * world.num_nodes));
  for (int index = 0; index < num_edges; ++index) world.edges.push_back(RandomEdge(rng, world.num_nodes));
  const int num_entries = int(4 + rng() % 16);
  for (int index = 0; index < num_entries; ++index) world.inputs.lists.push_back(RandomEntry(rng, world.num_nodes, index));
  const int num_penalties = int(rng() % 6);
  for (int index = 0; index < num_penalties; ++index) world.inputs.penalties.push_back(RandomPenalty(rng, world.num_nodes, index));
  const int num_ratings = int(rng() % 8);
  for (int index = 0; index < num_ratings; ++index) world.inputs.ratings.push_back(RandomRating(rng, world.num_nodes, index));
  return world;
}

std::set<ActiveKey> EngineActiveAt(const MeasureEngine& engine, Date date) {
  std::set<ActiveKey> out;
  for (const Restriction& restriction : engine.ActiveAt(date)) {
    const bool fresh = out.insert({restriction.entity, restriction.measure, restriction.trigger->source,
                                   restriction.trigger->rid, restriction.trigger->code,
                                   restriction.withheld}).second;
    EXPECT_TRUE(fresh) << "one restriction per (measure, trigger, entity) at a date";
  }
  return out;
}

void ExpectWitnesses(const MeasureEngine& engine) {
  for (const Restriction& restriction : engine.Restrictions()) {
    const PathPattern& pattern =
        engine.catalog().measures[restriction.measure].reach[restriction.reach].pattern;
    PatternHit hit{restriction.entity, restriction.path_nodes, restriction.path_edges};
    ASSERT_TRUE(IsWitness(engine.graph(), pattern, hit, restriction.trigger->subject, &engine.overlay()))
        << "restriction on " << restriction.entity << " is not reproducible by its path";
    ASSERT_LT(restriction.start, restriction.end);
    // Paths are walked again on output: the path must be the witness of the slow evaluation
    // (graph/path_pattern.h EvaluatePattern on the graph and its overlay as they are now).
    const std::vector<PatternHit> expected =
        EvaluatePattern(engine.graph(), pattern, restriction.trigger->subject, &engine.overlay());
    auto found = std::find_if(expected.begin(), expected.end(), [&](const PatternHit& candidate) {
      return candidate.target == restriction.entity;
    });
    ASSERT_NE(found, expected.end()) << "entity " << restriction.entity << " not reached";
    ASSERT_EQ(restriction.path_nodes, found->nodes) << "entity " << restriction.entity;
    ASSERT_EQ(restriction.path_edges, found->edges) << "entity " << restriction.entity;
  }
  // "Why is X restricted?" gives the same paths as the full listing (another walk order).
  std::map<std::tuple<NodeId, std::uint32_t, std::string, std::string, Date, bool>,
           std::vector<NodeId>> listed;
  for (const Restriction& restriction : engine.Restrictions()) {
    listed[{restriction.entity, restriction.measure, restriction.trigger->rid,
            restriction.trigger->code, restriction.start, restriction.withheld}] =
        restriction.path_nodes;
  }
  for (NodeId entity = engine.num_nodes(); entity-- > 0;) {
    for (const Restriction& restriction : engine.Why(entity)) {
      ASSERT_EQ(restriction.path_nodes,
                (listed[{restriction.entity, restriction.measure, restriction.trigger->rid,
                         restriction.trigger->code, restriction.start, restriction.withheld}]));
    }
  }
}

// Table() is Restrictions() / ActiveAt() / Why() column-wise: same rows, same order, same paths.
void ExpectTableRows(const MeasureEngine& engine, const std::vector<Restriction>& expected,
                     const RestrictionTable& table) {
  ASSERT_EQ(table.size(), expected.size());
  ASSERT_EQ(table.path_offsets.size(), expected.size() + 1);
  for (std::size_t row = 0; row < expected.size(); ++row) {
    const Restriction& want = expected[row];
    ASSERT_EQ(table.entity[row], want.entity) << row;
    ASSERT_EQ(table.measure[row], want.measure) << row;
    ASSERT_EQ(table.reach[row], want.reach) << row;
    ASSERT_EQ(bool(table.withheld[row]), want.withheld) << row;
    ASSERT_EQ(table.start[row], want.start) << row;
    ASSERT_EQ(table.end[row], want.end) << row;
    ASSERT_EQ(table.trigger_kind[row], want.trigger->kind) << row;
    ASSERT_EQ(table.subject[row], want.trigger->subject) << row;
    ASSERT_EQ(table.code[row], want.trigger->code) << row;
    ASSERT_EQ(table.escalated_from[row], want.trigger->escalated_from) << row;
    ASSERT_EQ(table.source[row], want.trigger->source) << row;
    ASSERT_EQ(table.rid[row], want.trigger->rid) << row;
    ASSERT_EQ(table.trigger_start[row], want.trigger->start) << row;
    ASSERT_EQ(table.trigger_end[row], want.trigger->end) << row;
    const std::vector<NodeId> path(table.path_nodes.begin() + table.path_offsets[row],
                                   table.path_nodes.begin() + table.path_offsets[row + 1]);
    ASSERT_EQ(path, want.path_nodes) << row;
  }
  (void)engine;
}

void ExpectTables(const MeasureEngine& engine, Date date) {
  ExpectTableRows(engine, engine.Restrictions(), engine.Table());
  ExpectTableRows(engine, engine.ActiveAt(date), engine.Table(date));
  for (NodeId entity = 0; entity < engine.num_nodes(); entity += 3) {
    ExpectTableRows(engine, engine.Why(entity), engine.Table(kNoDate, entity));
  }
}

std::vector<Date> ProbeDates(std::mt19937& rng) {
  std::vector<Date> dates;
  for (int index = 0; index < 40; ++index) dates.push_back(kBase - 20 + Date(rng() % 4200));
  return dates;
}

TEST(Propagate, RandomWorldsAgainstReference) {
  std::mt19937 rng(2026);
  // Coverage counters: the random worlds must exercise every effect, withholding, key
  // supervision and escalated triggers, or the comparison proves little.
  std::map<std::string, int> seen;
  for (int trial = 0; trial < 120; ++trial) {
    World world = RandomWorld(rng);
    Catalog catalog = RandomCatalog(rng);
    MeasureEngine engine(catalog, CsrBuilder::FromEdges(world.num_nodes, world.edges, CsrBuilder::Duplicates::kKeepAll),
                         world.kinds);
    engine.Propagate(world.inputs);
    ExpectWitnesses(engine);
    ExpectTables(engine, kBase + Date(rng() % 2000));
    for (Date date : ProbeDates(rng)) {
      const auto expected = ReferenceActiveAt(catalog, world.edges, world.kinds, world.inputs, date);
      for (const ActiveKey& key : expected) {
        seen[std::string(ToString(catalog.measures[std::get<1>(key)].effect))]++;
        if (std::get<5>(key)) seen["withheld"]++;
        if (std::get<4>(key) == "amr_serious_illegal" || std::get<4>(key) == "health_black") seen["escalation-capable"]++;
      }
      ASSERT_EQ(EngineActiveAt(engine, date), expected) << "trial " << trial << " date " << FormatDate(date);
      for (NodeId entity = 0; entity < world.num_nodes; ++entity) {
        const bool key = ReferenceKeySupervised(catalog, world.inputs, entity, date);
        if (key) seen["key"]++;
        ASSERT_EQ(engine.IsKeySupervised(entity, date), key)
            << "trial " << trial << " entity " << entity << " date " << FormatDate(date);
        for (const char* domain : {"d1", "d2"}) {
          bool yes = false;
          for (const ActiveKey& key : expected) {
            yes |= std::get<0>(key) == entity && !std::get<5>(key) &&
                   catalog.measures[std::get<1>(key)].domain == domain;
          }
          const CheckResult check = engine.Check(entity, domain, date);
          ASSERT_EQ(check.yes, yes);
          if (yes) seen["check-yes"]++;
          ASSERT_EQ(engine.IsBound(entity, domain, date), yes);
          for (const Restriction& reason : check.reasons) ASSERT_TRUE(reason.ActiveAt(date));
        }
      }
    }
  }
  for (const char* what : {"punish", "reward", "alert", "withheld", "key", "check-yes",
                           "escalation-capable"}) {
    EXPECT_GT(seen[what], 10) << what;
  }
}

// ---------------------------------------------------------------- incremental


using FullKey = std::tuple<NodeId, std::uint32_t, std::string, std::string, std::string, Date, Date,
                           bool, std::vector<NodeId>>;

std::vector<FullKey> Canonical(const MeasureEngine& engine) {
  std::vector<FullKey> out;
  for (const Restriction& restriction : engine.Restrictions()) {
    out.push_back({restriction.entity, restriction.measure, restriction.trigger->source,
                   restriction.trigger->rid, restriction.trigger->code, restriction.start,
                   restriction.end, restriction.withheld, restriction.path_nodes});
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::tuple<NodeId, Date, Date, std::vector<std::string>>> KeyRows(const MeasureEngine& engine) {
  std::vector<std::tuple<NodeId, Date, Date, std::vector<std::string>>> out;
  for (const KeySupervision& row : engine.KeySupervised()) out.push_back({row.entity, row.start, row.end, row.domains});
  return out;
}

TEST(Propagate, IncrementalEqualsFullRecomputation) {
  std::mt19937 rng(77);
  for (int trial = 0; trial < 40; ++trial) {
    World world = RandomWorld(rng);
    Catalog catalog = RandomCatalog(rng);
    MeasureEngine engine(catalog, CsrBuilder::FromEdges(world.num_nodes, world.edges, CsrBuilder::Duplicates::kKeepAll),
                         world.kinds);
    // Half the trials vouch for unique (source, rid) keys (true here: the rids are serial):
    // the repeat search is skipped and the lookup index is built on the first update.
    TriggerInputs first = world.inputs;
    first.keys_unique = trial % 2 == 0;
    engine.Propagate(first);
    int serial = 1000;
    for (int step = 0; step < 25; ++step) {
      const int op = int(rng() % 7);
      if (op == 0) {
        ListEntry entry = RandomEntry(rng, world.num_nodes, serial++);
        if (!world.inputs.lists.empty() && rng() % 3 == 0) {
          // A replacement of the entry with the same (source, rid), possibly another subject.
          ListEntry& old = world.inputs.lists[rng() % world.inputs.lists.size()];
          entry.source = old.source;
          entry.rid = old.rid;
          old = entry;
        } else {
          world.inputs.lists.push_back(entry);
        }
        engine.AddListEntry(entry);
      } else if ((op == 1 || op == 2) && !world.inputs.lists.empty()) {
        ListEntry& entry = world.inputs.lists[rng() % world.inputs.lists.size()];
        if (op == 1) {  // credit repair (or undoing it)
          entry.removed_on = rng() % 4 == 0 ? kNoDate : entry.listed_on + Date(rng() % 900);
          ASSERT_TRUE(engine.SetRemoved(entry.source, entry.rid, entry.removed_on).ok());
        } else {  // objection opened / closed
          entry.disputed = !entry.disputed;
          ASSERT_TRUE(engine.SetDisputed(entry.source, entry.rid, entry.disputed).ok());
        }
      } else if (op == 3) {
        PenaltyEvent penalty = RandomPenalty(rng, world.num_nodes, serial++);
        if (!world.inputs.penalties.empty() && rng() % 3 == 0) {  // a correction, same key
          PenaltyEvent& old = world.inputs.penalties[rng() % world.inputs.penalties.size()];
          penalty.source = old.source;
          penalty.rid = old.rid;
          old = penalty;
        } else {
          world.inputs.penalties.push_back(penalty);
        }
        engine.AddPenalty(penalty);
      } else if (op == 4) {
        RatingEvent rating = RandomRating(rng, world.num_nodes, serial++);
        if (!world.inputs.ratings.empty() && rng() % 2 == 0) {
          // A correction: the same (source, rid) replaced, possibly for another entity/scheme.
          RatingEvent& old = world.inputs.ratings[rng() % world.inputs.ratings.size()];
          rating.source = old.source;
          rating.rid = old.rid;
          old = rating;
        } else {
          world.inputs.ratings.push_back(rating);
        }
        engine.AddRating(rating);
      } else {
        EdgeInput edge = RandomEdge(rng, world.num_nodes);
        world.edges.push_back(edge);
        ASSERT_TRUE(engine.AddEdge(edge).ok());
      }
      MeasureEngine full(catalog, CsrBuilder::FromEdges(world.num_nodes, world.edges, CsrBuilder::Duplicates::kKeepAll),
                         world.kinds);
      full.Propagate(world.inputs);
      ASSERT_EQ(Canonical(engine), Canonical(full)) << "trial " << trial << " step " << step << " op " << op;
      ASSERT_EQ(KeyRows(engine), KeyRows(full)) << "trial " << trial << " step " << step;
      ExpectWitnesses(engine);
      ExpectTables(engine, kBase + Date(rng() % 2000));
    }
    EXPECT_FALSE(engine.SetRemoved("nobody", "none", kBase).ok());
    EXPECT_FALSE(engine.AddEdge({0, world.num_nodes + 5, 0, 0, 0}).ok());
  }
}

}  // namespace
}  // namespace cg::core::measures

namespace cg::core::measures {
namespace {

// Repeated (source, rid) in the inputs of a full propagation: the repeats are folded into the
// first record's group, the last record winning (possibly for another subject). The result, and
// the updates after it (which find groups by subject), equal a propagation of the inputs
// de-duplicated that way.
TEST(Propagate, RepeatedKeysFoldedThenUpdated) {
  std::mt19937 rng(77);
  for (int trial = 0; trial < 40; ++trial) {
    World world = RandomWorld(rng);
    Catalog catalog = RandomCatalog(rng);
    TriggerInputs repeated = world.inputs;
    auto repeat = [&](auto& records) {
      if (records.empty()) return;
      for (int count = int(1 + rng() % 3); count > 0; --count) {
        auto record = records[rng() % records.size()];
        record.subject = NodeId(rng() % world.num_nodes);  // the repeat moves it
        records.push_back(record);
      }
    };
    repeat(repeated.lists);
    repeat(repeated.penalties);
    repeat(repeated.ratings);
    // The same inputs de-duplicated: first position, last record.
    auto dedup = [](const auto& records) {
      std::decay_t<decltype(records)> out;
      std::map<std::pair<std::string, std::string>, std::size_t> at;
      for (const auto& record : records) {
        auto [it, inserted] = at.try_emplace({record.source, record.rid}, out.size());
        if (inserted) out.push_back(record); else out[it->second] = record;
      }
      return out;
    };
    TriggerInputs unique;
    unique.lists = dedup(repeated.lists);
    unique.penalties = dedup(repeated.penalties);
    unique.ratings = dedup(repeated.ratings);
    auto graph = [&] {
      return CsrBuilder::FromEdges(world.num_nodes, world.edges, CsrBuilder::Duplicates::kKeepAll);
    };
    MeasureEngine engine(catalog, graph(), world.kinds);
    engine.Propagate(repeated);
    MeasureEngine expected(catalog, graph(), world.kinds);
    expected.Propagate(unique);
    ASSERT_EQ(Canonical(engine), Canonical(expected)) << "trial " << trial;
    ASSERT_EQ(KeyRows(engine), KeyRows(expected)) << "trial " << trial;
    // Updates through the groups-by-subject index: a rating for a moved subject, a new
    // relation, a credit repair.
    if (!unique.ratings.empty()) {
      RatingEvent rating = unique.ratings.back();
      rating.rid = "R-new";
      rating.rated_on += 30;
      engine.AddRating(rating);
      expected.AddRating(rating);
    }
    const EdgeInput edge = RandomEdge(rng, world.num_nodes);
    ASSERT_TRUE(engine.AddEdge(edge).ok());
    ASSERT_TRUE(expected.AddEdge(edge).ok());
    if (!unique.lists.empty()) {
      const ListEntry& entry = unique.lists[rng() % unique.lists.size()];
      ASSERT_TRUE(engine.SetRemoved(entry.source, entry.rid, entry.listed_on + 50).ok());
      ASSERT_TRUE(expected.SetRemoved(entry.source, entry.rid, entry.listed_on + 50).ok());
    }
    ASSERT_EQ(Canonical(engine), Canonical(expected)) << "trial " << trial << " after updates";
    ASSERT_EQ(KeyRows(engine), KeyRows(expected)) << "trial " << trial << " after updates";
  }
}

// E0 rated tax D in 2020, then B in 2021: the D measure ends in 2021. The 2021 rating is then
// corrected to belong to E1: E0's D rating has no later rating any more (open, capped).
TEST(Propagate, RatingCorrectionMovesTheNextRating) {
  auto catalog = ParseCatalog(R"(
measures:
  - {id: d, basis: b, effect: punish, domain: tax, trigger: {ratings: {scheme: tax, grade: [D]}}}
)");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  MeasureEngine engine(*catalog, CsrBuilder::FromEdges(2, {}), {EntityKind::kEnterprise, EntityKind::kEnterprise});
  TriggerInputs inputs;
  inputs.ratings.push_back({0, "tax", "D", *ParseDate("2020-04-01"), "tax", "R1"});
  inputs.ratings.push_back({0, "tax", "B", *ParseDate("2021-04-01"), "tax", "R2"});
  engine.Propagate(inputs);
  ASSERT_EQ(engine.Restrictions().size(), 1u);
  EXPECT_EQ(engine.Restrictions()[0].end, *ParseDate("2021-04-01"));
  engine.AddRating({1, "tax", "B", *ParseDate("2021-04-01"), "tax", "R2"});
  ASSERT_EQ(engine.Restrictions().size(), 1u);
  EXPECT_EQ(engine.Restrictions()[0].end, *ParseDate("2025-04-01"));
}

}  // namespace
}  // namespace cg::core::measures
