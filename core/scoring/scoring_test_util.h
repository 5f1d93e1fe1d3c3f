// Test helpers for core/scoring: random models and data, and a slow, obvious reference
// implementation of scoring.md (written from the spec, sharing no code with the engine beyond
// the model parser and the calendar functions).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/labels.h"
#include "core/record.h"
#include "core/scoring/input.h"
#include "core/scoring/model.h"
#include "core/scoring/scorer.h"
#include "graph/csr_builder.h"

namespace cg::core::scoring::testing {

inline Date D(const char* text) { return *ParseDate(text); }

/// The whole state of a test world, as plain data.
struct World {
  NodeId num_nodes = 0;
  std::vector<EntityKind> kinds;
  std::vector<Date> est;
  std::vector<std::pair<Record, NodeId>> records;  // dated records with their subject
  std::vector<EdgeInput> edges;                    // engine edges (any label)
  std::vector<RestrictionCount> restrictions;
  ScoringParams params;

  ScoringInput MakeInput() const {
    ScoringInput input(params);
    for (NodeId node = 0; node < num_nodes; ++node) {
      Record registry;
      registry.kind = RecordKind::kRegistry;
      registry.subject.kind = kinds[node];
      registry.est_date = est[node];
      registry.subject.region = "370102";
      registry.industry = "C13";
      input.Add(registry, node);
    }
    for (const auto& [record, subject] : records) input.Add(record, subject);
    input.SetRelatedGraph(CsrBuilder::FromEdges(num_nodes, edges));
    input.SetRestrictions(restrictions);
    return input;
  }
};

// ---------------------------------------------------------------- reference implementation

struct Reference {
  const Model& model;
  const World& world;
  Date as_of;

  static bool In(const std::vector<std::string>& allowed, const std::string& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  }
  template <typename Value>
  static bool InE(const std::vector<Value>& allowed, Value value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
  }

  // A list entry (original or escalated) as the spec describes it.
  struct Entry {
    std::string list;
    Date listed_on;
    Date removed_on;
    bool disputed;
  };
  std::vector<Entry> Entries(const Record& record) const {
    std::vector<Entry> out = {{record.list, record.listed_on, record.removed_on, record.disputed}};
    for (std::size_t index = 0; index < out.size(); ++index) {
      for (const auto& rule : world.params.escalations) {
        const Entry& entry = out[index];
        if (entry.list != rule.from || entry.listed_on == kNoDate) continue;
        Date moved = AddPeriod(entry.listed_on, rule.after);
        if (entry.removed_on != kNoDate && entry.removed_on <= moved) continue;
        out.push_back({rule.to, moved, entry.removed_on, entry.disputed});
      }
    }
    return out;
  }
  bool Active(const Entry& entry, Date date) const {
    if (entry.listed_on == kNoDate || entry.disputed) return false;
    if (date < entry.listed_on) return false;
    if (entry.removed_on != kNoDate && date >= entry.removed_on) return false;
    return date < AddPeriod(entry.listed_on, Period{world.params.max_years, 0, 0});
  }
  // Active non-list record at as_of.
  bool ActiveRecord(const Record& record, NodeId subject) const {
    const Period max_period{world.params.max_years, 0, 0};
    switch (record.kind) {
      case RecordKind::kPenalty:
        return record.decided_on != kNoDate && record.decided_on <= as_of &&
               as_of < AddPeriod(record.decided_on, max_period);
      case RecordKind::kLicense:
        return record.granted_on != kNoDate && record.granted_on <= as_of &&
               (record.valid_until == kNoDate || as_of < record.valid_until);
      case RecordKind::kCommitment:
        return record.made_on != kNoDate && record.made_on <= as_of;
      case RecordKind::kRating: {
        if (record.rated_on == kNoDate || record.rated_on > as_of) return false;
        for (const auto& [other, other_subject] : world.records) {
          if (other_subject == subject && other.kind == RecordKind::kRating &&
              other.scheme == record.scheme && other.rated_on != kNoDate &&
              other.rated_on > record.rated_on && other.rated_on <= as_of) {
            return false;
          }
        }
        return true;
      }
      default:
        return false;
    }
  }
  std::string PolarityName(const std::string& code) const {
    const ListInfo* info = FindList(code);
    return info == nullptr ? "unknown" : info->polarity == Polarity::kBlack ? "black" : "red";
  }
  bool Black(NodeId node) const {
    for (const auto& [record, subject] : world.records) {
      if (subject != node || record.kind != RecordKind::kList) continue;
      for (const Entry& entry : Entries(record)) {
        if (Active(entry, as_of) && PolarityName(entry.list) == "black") return true;
      }
    }
    return false;
  }
  std::vector<std::vector<NodeId>> Adjacency() const {
    std::vector<std::set<NodeId>> sets(world.num_nodes);
    for (const EdgeInput& edge : world.edges) {
      if (edge.label > Label(EdgeLabel::kGuarantee) || edge.tail == edge.head) continue;
      sets[edge.tail].insert(edge.head);
      sets[edge.head].insert(edge.tail);
    }
    std::vector<std::vector<NodeId>> out;
    for (const auto& set : sets) out.emplace_back(set.begin(), set.end());
    return out;
  }
  // Dense power iteration: (P^k s) with P(u,v) = 1/deg(u) for each neighbour, in column order.
  std::vector<double> Risk(double damping, int steps) const {
    auto adjacency = Adjacency();
    std::vector<double> x(world.num_nodes), r(world.num_nodes, 0.0);
    for (NodeId node = 0; node < world.num_nodes; ++node) x[node] = Black(node) ? 1 : 0;
    double factor = 1;
    for (int step = 1; step <= steps; ++step) {
      std::vector<double> y(world.num_nodes, 0.0);
      for (NodeId row = 0; row < world.num_nodes; ++row) {
        double sum = 0;
        for (NodeId column = 0; column < world.num_nodes; ++column) {
          if (std::binary_search(adjacency[row].begin(), adjacency[row].end(), column)) {
            sum += (1.0 / double(adjacency[row].size())) * x[column];
          }
        }
        y[row] = sum;
      }
      factor *= damping;
      for (NodeId node = 0; node < world.num_nodes; ++node) r[node] += factor * y[node];
      x = y;
    }
    return r;
  }

  double Value(const Indicator& indicator, NodeId entity) const {
    switch (indicator.fn) {
      case IndicatorFn::kYearsSince:
        return world.est[entity] == kNoDate ? indicator.missing
                                            : double(as_of - world.est[entity]) / 365.25;
      case IndicatorFn::kRestrictions: {
        double value = 0;
        for (const auto& count : world.restrictions) {
          if (count.entity == entity && count.effect == indicator.effect) value = count.count;
        }
        return value;
      }
      case IndicatorFn::kRelatedRisk:
        return Risk(indicator.damping, indicator.steps)[entity];
      case IndicatorFn::kLatestGrade: {
        std::optional<double> best;
        for (const auto& [record, subject] : world.records) {
          if (subject != entity || record.kind != RecordKind::kRating ||
              record.scheme != indicator.scheme || !ActiveRecord(record, subject)) {
            continue;
          }
          auto found = indicator.grade_map.find(record.grade);
          if (found == indicator.grade_map.end()) continue;
          if (!best || found->second < *best) best = found->second;
        }
        return best ? *best : indicator.missing;
      }
      default:
        break;
    }
    // count / decayed
    const RecordFilter& filter = indicator.filter;
    double total = 0;
    for (const auto& [record, subject] : world.records) {
      if (subject != entity || record.kind != indicator.kind) continue;
      std::vector<std::pair<Date, std::string>> matches;  // (date, weight key)
      if (record.kind == RecordKind::kList) {
        for (const Entry& entry : Entries(record)) {
          const ListInfo* info = FindList(entry.list);
          std::string domain = info ? std::string(info->domain) : "";
          Polarity polarity = info ? info->polarity : Polarity::kUnknown;
          if (Active(entry, as_of) && In(filter.lists, entry.list) &&
              InE(filter.polarity, polarity) && (filter.domain.empty() || In(filter.domain, domain))) {
            matches.push_back({entry.listed_on, entry.list});
          }
        }
      } else if (ActiveRecord(record, subject)) {
        bool keep = true;
        std::string key;
        Date date = record.EventDate();
        if (record.kind == RecordKind::kPenalty) {
          keep = InE(filter.severity, record.severity) &&
                 (filter.domain.empty() || In(filter.domain, record.domain));
          key = std::string(ToString(record.severity));
        } else if (record.kind == RecordKind::kLicense) {
          keep = filter.domain.empty() || In(filter.domain, record.domain);
          key = record.domain;
        } else if (record.kind == RecordKind::kCommitment) {
          keep = InE(filter.status, record.commitment_status);
          key = std::string(ToString(record.commitment_status));
        } else if (record.kind == RecordKind::kRating) {
          keep = In(filter.scheme, record.scheme) && In(filter.grade, record.grade);
          key = record.grade;
        }
        if (keep) matches.push_back({date, key});
      }
      for (const auto& [date, key] : matches) {
        if (indicator.fn == IndicatorFn::kCount) {
          total += 1;
        } else {
          double weight = indicator.weights.count("default") ? indicator.weights.at("default") : 0;
          if (indicator.weights.count(key)) weight = indicator.weights.at(key);
          total += weight * std::pow(0.5, double(as_of - date) / indicator.half_life_days);
        }
      }
    }
    return total;
  }

  static double PointsFor(const Indicator& indicator, double value) {
    double points = indicator.points.front().points;
    for (const StepRow& row : indicator.points) {
      // The documented rule: a value within 1e-9 (relative) below a threshold reaches it.
      if (value >= row.threshold - 1e-9 * std::max(1.0, std::abs(row.threshold))) points = row.points;
    }
    return points;
  }

  EntityScore Score(NodeId entity) const {
    EntityScore result;
    result.entity = entity;
    for (const Indicator& indicator : model.indicators) {
      double value = Value(indicator, entity);
      result.values.push_back(value);
      result.score += indicator.weight * PointsFor(indicator, value);
    }
    result.score_grade = -1;
    for (std::size_t grade = 0; grade < model.grades.size(); ++grade) {
      if (result.score >= model.grades[grade].min) {
        result.score_grade = int(grade);
        break;
      }
    }
    result.grade = result.score_grade;
    result.veto = -1;
    for (std::size_t veto = 0; veto < model.vetoes.size(); ++veto) {
      bool applies = false;
      for (const auto& [record, subject] : world.records) {
        if (subject != entity || record.kind != RecordKind::kList) continue;
        for (const Entry& entry : Entries(record)) {
          if (Active(entry, as_of) && In(model.vetoes[veto].lists, entry.list)) applies = true;
        }
      }
      if (applies && (result.veto < 0 || model.vetoes[veto].grade_index >
                                             model.vetoes[result.veto].grade_index)) {
        result.veto = int(veto);
      }
    }
    if (result.veto >= 0) result.grade = model.vetoes[result.veto].grade_index;
    return result;
  }
};

// ---------------------------------------------------------------- random worlds and models

inline const std::vector<std::string>& ListCodes() {
  static const std::vector<std::string> codes = {
      "court_dishonest_debtor", "tax_major_violation", "amr_serious_illegal",
      "amr_abnormal_operation", "env_serious",         "labor_wage_arrears",
      "tax_a",                  "contract_honoring",   "local_custom_list"};
  return codes;
}

inline Record RandomRecord(std::mt19937_64& rng, Date as_of, int serial) {
  auto pick = [&rng](int bound) { return int(rng() % std::uint64_t(bound)); };
  auto date_near = [&](int spread) { return Date(as_of - pick(spread) + spread / 6); };
  Record record;
  record.source = "src" + std::to_string(pick(3));
  record.rid = "r" + std::to_string(serial);
  switch (pick(5)) {
    case 0:
      record.kind = RecordKind::kList;
      record.list = ListCodes()[pick(int(ListCodes().size()))];
      record.listed_on = pick(20) == 0 ? kNoDate : date_near(3000);
      if (pick(3) == 0 && record.listed_on != kNoDate) record.removed_on = record.listed_on + pick(1500) + 1;
      record.disputed = pick(6) == 0;
      break;
    case 1:
      record.kind = RecordKind::kPenalty;
      record.decided_on = date_near(2500);
      record.severity = Severity(1 + pick(3));
      record.domain = pick(2) ? "market" : "tax";
      break;
    case 2:
      record.kind = RecordKind::kLicense;
      record.granted_on = date_near(2500);
      if (pick(2)) record.valid_until = record.granted_on + pick(2000);
      record.domain = pick(2) ? "food" : "construction";
      break;
    case 3:
      record.kind = RecordKind::kCommitment;
      record.made_on = date_near(2000);
      record.commitment_status = CommitmentStatus(1 + pick(3));
      break;
    default:
      record.kind = RecordKind::kRating;
      record.scheme = pick(2) ? "tax" : "environment";
      record.grade = std::string(1, "ABMCD"[pick(5)]);
      record.rated_on = date_near(2000);
      break;
  }
  return record;
}

inline World RandomWorld(std::mt19937_64& rng, Date as_of, NodeId num_nodes, int num_records,
                         int num_edges) {
  auto pick = [&rng](int bound) { return int(rng() % std::uint64_t(bound)); };
  World world;
  world.num_nodes = num_nodes;
  world.params.escalations.push_back({"amr_abnormal_operation", Period{3, 0, 0}, "amr_serious_illegal"});
  for (NodeId node = 0; node < num_nodes; ++node) {
    world.kinds.push_back(pick(3) == 0 ? EntityKind::kPerson : EntityKind(1 + pick(3)));
    world.est.push_back(pick(5) == 0 || world.kinds.back() == EntityKind::kPerson ? kNoDate : Date(as_of - pick(9000)));
  }
  for (int serial = 0; serial < num_records; ++serial) {
    world.records.push_back({RandomRecord(rng, as_of, serial), NodeId(pick(int(num_nodes)))});
  }
  for (int edge = 0; edge < num_edges; ++edge) {
    world.edges.push_back({NodeId(pick(int(num_nodes))), NodeId(pick(int(num_nodes))),
                           Label(pick(kNumEdgeLabels)), 0, 0.0f});
  }
  for (NodeId node = 0; node < num_nodes; ++node) {
    if (pick(3) == 0) world.restrictions.push_back({node, Effect(pick(3)), std::uint32_t(pick(4))});
  }
  return world;
}

/// A random model as YAML. With `non_increasing`, every step table's points never rise.
inline std::string RandomModelYaml(std::mt19937_64& rng, bool non_increasing) {
  auto pick = [&rng](int bound) { return int(rng() % std::uint64_t(bound)); };
  auto real = [&rng]() { return double(rng() % 1000000) / 1000000.0; };
  std::ostringstream yaml;
  yaml.precision(17);
  const int count = 2 + pick(7);
  std::vector<double> weights;
  for (int index = 0; index < count; ++index) weights.push_back(double(1 + pick(20)));
  double total = 0;
  for (double weight : weights) total += weight;
  yaml << "dimensions:\n";
  double used = 0;
  for (int index = 0; index < count; ++index) {
    if (index % 3 == 0) yaml << "  - id: dim" << index << "\n    indicators:\n";
    double weight = index + 1 == count ? 10.0 - used : std::round(weights[index] / total * 10.0 * 1000) / 1000;
    used += weight;
    yaml << "      - id: ind" << index << "\n";
    double scale = 1;
    switch (pick(8)) {
      case 0:
        yaml << "        fn: count\n        args: {kind: list, polarity: black}\n";
        scale = 3;
        break;
      case 1:
        yaml << "        fn: count\n        args: {kind: list, list: [amr_serious_illegal, "
                "court_dishonest_debtor, local_custom_list]}\n";
        scale = 3;
        break;
      case 2:
        yaml << "        fn: decayed\n        args: {kind: penalty, weights: {minor: 1, general: "
             << pick(5) << ", serious: " << 5 + pick(10) << "}, half_life: " << 1 + pick(3)
             << "y}\n";
        scale = 10;
        break;
      case 3:
        yaml << "        fn: count\n        args: {kind: penalty, severity: serious, domain: [market]}\n";
        scale = 3;
        break;
      case 4:
        yaml << "        fn: related_risk\n        args: {damping: " << 0.1 + 0.9 * real()
             << ", steps: " << 1 + pick(4) << "}\n";
        scale = 0.5;
        break;
      case 5:
        yaml << "        fn: decayed\n        args: {kind: list, weights: {court_dishonest_debtor: 5, "
                "default: 1}, half_life: 180d, polarity: [black, unknown]}\n";
        scale = 5;
        break;
      case 6:
        yaml << "        fn: count\n        args: {kind: commitment, status: breached}\n";
        scale = 3;
        break;
      default:
        yaml << "        fn: restrictions\n        args: {effect: punish}\n";
        scale = 3;
        break;
    }
    yaml << "        weight: " << weight << "\n        points: [";
    const int rows = 1 + pick(5);
    double threshold = -0.01;
    double points = non_increasing ? 100 : double(pick(101));
    for (int row = 0; row < rows; ++row) {
      yaml << (row ? ", " : "") << "[" << threshold << ", " << points << "]";
      threshold += scale * (0.05 + real());
      points = non_increasing ? points * real() : double(pick(101));
    }
    yaml << "]\n";
  }
  yaml << "grades:\n";
  const int grades = 1 + pick(4);
  double min = 1000;
  for (int grade = 0; grade < grades; ++grade) {
    min = grade + 1 == grades ? 0 : min - double(1 + pick(300));
    yaml << "  - {grade: G" << grade << ", min: " << min << ", class: K" << grade
         << ", inspection_rate: " << double(pick(101)) / 100 << "}\n";
  }
  yaml << "vetoes:\n";
  if (pick(2)) yaml << "  - {lists: [court_dishonest_debtor], grade: G" << pick(grades) << "}\n";
  if (pick(2)) yaml << "  - {lists: [env_serious, amr_serious_illegal], grade: G" << pick(grades) << "}\n";
  if (yaml.str().back() == ':' || yaml.str().substr(yaml.str().size() - 8) == "vetoes:\n") yaml << "  []\n";
  return yaml.str();
}

}  // namespace cg::core::scoring::testing
