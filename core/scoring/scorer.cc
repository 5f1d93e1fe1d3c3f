// Batch, single and incremental scoring (scoring.md §2–§4); see scorer.h.
#include "core/scoring/scorer.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/scoring/related_risk.h"

namespace cg::core::scoring {
namespace {

template <typename Value>
bool Allows(const std::vector<Value>& allowed, Value value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool ActiveAt(const Fact& fact, Date date) { return fact.start <= date && date < fact.end; }

/// The facts of one kind: facts are sorted by kind first (FactLess), so a contiguous range.
std::span<const Fact> OfKind(std::span<const Fact> facts, RecordKind kind) {
  std::size_t begin = 0;
  while (begin < facts.size() && facts[begin].kind < kind) ++begin;
  std::size_t end = begin;
  while (end < facts.size() && facts[end].kind == kind) ++end;
  return facts.subspan(begin, end - begin);
}


}  // namespace

EntityScore ScoreTable::RowScore(std::uint32_t row) const {
  EntityScore result;
  result.entity = entity[row];
  for (const auto& column : values) result.values.push_back(column[row]);
  result.score = score[row];
  result.score_grade = score_grade[row];
  result.veto = veto[row];
  result.grade = grade[row];
  return result;
}

Scorer::Scorer(Model model, ScoringInput input, Date data_as_of)
    : model_(std::move(model)),
      input_(std::move(input)),
      as_of_(model_.as_of ? *model_.as_of : data_as_of) {
  input_.Finalize();
  Compile();
}

void Scorer::Compile() {
  compiled_.clear();
  for (const Indicator& indicator : model_.indicators) {
    CompiledIndicator compiled;
    const RecordFilter& filter = indicator.filter;
    for (const auto& text : filter.lists) compiled.lists.push_back(input_.Intern(text));
    for (const auto& text : filter.scheme) compiled.scheme.push_back(input_.Intern(text));
    for (const auto& text : filter.grade) compiled.grade.push_back(input_.Intern(text));
    for (const auto& text : filter.domain) compiled.domain.push_back(input_.Intern(text));
    for (Polarity value : filter.polarity) compiled.polarity.push_back(std::uint8_t(value));
    for (Severity value : filter.severity) compiled.severity.push_back(std::uint8_t(value));
    for (CommitmentStatus value : filter.status) compiled.status.push_back(std::uint8_t(value));
    for (const auto& [key, weight] : indicator.weights) {
      if (key == "default") {
        compiled.default_weight = weight;
        continue;
      }
      if (indicator.kind == RecordKind::kPenalty) {
        compiled.sub_weight[int(*ParseSeverity(key))] = weight;
      } else if (indicator.kind == RecordKind::kCommitment) {
        compiled.sub_weight[int(*ParseCommitmentStatus(key))] = weight;
      } else {
        compiled.key_weight[input_.Intern(key)] = weight;
      }
    }
    for (const StepRow& row : indicator.points) {
      compiled.effective.push_back(EffectiveThreshold(row.threshold));
      compiled.points.push_back(row.points);
    }
    if (indicator.fn == IndicatorFn::kLatestGrade) {
      compiled.scheme_code = input_.Intern(indicator.scheme);
      for (const auto& [grade, value] : indicator.grade_map) {
        compiled.grade_map[input_.Intern(grade)] = value;
      }
    }
    compiled_.push_back(std::move(compiled));
  }
  veto_codes_.clear();
  for (const Veto& veto : model_.vetoes) {
    std::vector<CodeId> codes;
    for (const auto& list : veto.lists) codes.push_back(input_.Intern(list));
    veto_codes_.push_back(std::move(codes));
  }
}

bool Scorer::RatingActive(const Fact& fact, std::span<const Fact> facts) const {
  if (!ActiveAt(fact, as_of_)) return false;
  // Cut by the next rating of the same scheme: active while no rating of the scheme is dated
  // after this one and on or before as_of.
  for (const Fact& other : facts) {
    if (other.kind == RecordKind::kRating && other.code == fact.code && other.date != kNoDate &&
        other.date > fact.date && other.date <= as_of_) {
      return false;
    }
  }
  return true;
}

bool Scorer::BlackListed(NodeId node) const {
  for (const Fact& fact : OfKind(input_.facts(node), RecordKind::kList)) {
    if (fact.sub == std::uint8_t(Polarity::kBlack) &&
        ActiveAt(fact, as_of_)) {
      return true;
    }
  }
  return false;
}

double Scorer::Value(std::size_t position, NodeId entity, std::span<const Fact> facts) const {
  const Indicator& indicator = model_.indicators[position];
  const CompiledIndicator& compiled = compiled_[position];
  auto matches = [&](const Fact& fact) {
    if (fact.kind != indicator.kind) return false;
    if (fact.kind == RecordKind::kRating ? !RatingActive(fact, facts) : !ActiveAt(fact, as_of_)) {
      return false;
    }
    switch (fact.kind) {
      case RecordKind::kList:
        return Allows(compiled.lists, fact.code) && Allows(compiled.polarity, fact.sub) &&
               Allows(compiled.domain, fact.domain);
      case RecordKind::kPenalty:
        return Allows(compiled.severity, fact.sub) && Allows(compiled.domain, fact.domain);
      case RecordKind::kLicense:
        return Allows(compiled.domain, fact.domain);
      case RecordKind::kCommitment:
        return Allows(compiled.status, fact.sub);
      case RecordKind::kRating:
        return Allows(compiled.scheme, fact.code) && Allows(compiled.grade, fact.grade);
      default:
        return false;
    }
  };
  switch (indicator.fn) {
    case IndicatorFn::kCount: {
      double count = 0;
      for (const Fact& fact : facts) count += matches(fact) ? 1.0 : 0.0;
      return count;
    }
    case IndicatorFn::kDecayed: {
      double sum = 0;
      for (const Fact& fact : facts) {
        if (!matches(fact)) continue;
        double weight = compiled.default_weight;
        if (fact.kind == RecordKind::kPenalty || fact.kind == RecordKind::kCommitment) {
          if (compiled.sub_weight[fact.sub] >= 0) weight = compiled.sub_weight[fact.sub];
        } else {
          CodeId key = fact.kind == RecordKind::kList     ? fact.code
                       : fact.kind == RecordKind::kRating ? fact.grade
                                                          : fact.domain;
          auto found = compiled.key_weight.find(key);
          if (found != compiled.key_weight.end()) weight = found->second;
        }
        const double age_days = double(as_of_ - fact.date);
        sum += weight * std::pow(0.5, age_days / indicator.half_life_days);
      }
      return sum;
    }
    case IndicatorFn::kYearsSince: {
      Date established = input_.est_date(entity);
      if (established == kNoDate) return indicator.missing;
      return double(as_of_ - established) / 365.25;
    }
    case IndicatorFn::kLatestGrade: {
      // The active rating(s) of the scheme; a tie on rated_on takes the lowest mapped value.
      std::optional<double> best;
      for (const Fact& fact : facts) {
        if (fact.kind != RecordKind::kRating || fact.code != compiled.scheme_code) continue;
        if (!RatingActive(fact, facts)) continue;
        auto found = compiled.grade_map.find(fact.grade);
        if (found == compiled.grade_map.end()) continue;
        if (!best || found->second < *best) best = found->second;
      }
      return best ? *best : indicator.missing;
    }
    case IndicatorFn::kRestrictions:
      return double(input_.restrictions(entity, indicator.effect));
    case IndicatorFn::kRelatedRisk:
      return 0;  // supplied by the caller
  }
  return 0;
}

EntityScore Scorer::Evaluate(NodeId entity, std::span<const double> risk_values) const {
  EntityScore result;
  result.entity = entity;
  result.values.resize(model_.indicators.size());
  const Verdict verdict = EvaluateInto(entity, risk_values, result.values);
  result.score = verdict.score;
  result.score_grade = verdict.score_grade;
  result.veto = verdict.veto;
  result.grade = verdict.grade;
  return result;
}

Scorer::Verdict Scorer::EvaluateInto(NodeId entity, std::span<const double> risk_values,
                                     std::span<double> values) const {
  const std::span<const Fact> facts = input_.facts(entity);
  // Each indicator reads only its kind's facts, in the same order as in `facts`, so every sum
  // is the one over the whole list with the other kinds skipped.
  constexpr std::size_t kKinds = std::size_t(RecordKind::kRating) + 1;
  std::array<std::span<const Fact>, kKinds> by_kind;
  for (std::size_t begin = 0; begin < facts.size();) {
    std::size_t end = begin + 1;
    while (end < facts.size() && facts[end].kind == facts[begin].kind) ++end;
    by_kind[std::size_t(facts[begin].kind)] = facts.subspan(begin, end - begin);
    begin = end;
  }
  Verdict verdict;
  double score = 0;
  for (std::size_t position = 0; position < model_.indicators.size(); ++position) {
    const Indicator& indicator = model_.indicators[position];
    const RecordKind kind =
        indicator.fn == IndicatorFn::kLatestGrade ? RecordKind::kRating : indicator.kind;
    double value = indicator.fn == IndicatorFn::kRelatedRisk
                       ? risk_values[position]
                       : Value(position, entity, by_kind[std::size_t(kind)]);
    values[position] = value;
    score += indicator.weight * compiled_[position].PointsFor(value);
  }
  verdict.score = score;
  verdict.score_grade = model_.GradeFor(score);
  verdict.grade = verdict.score_grade;
  const std::span<const Fact> lists = by_kind[std::size_t(RecordKind::kList)];
  for (std::size_t veto = 0; veto < model_.vetoes.size(); ++veto) {
    bool applies = false;
    for (const Fact& fact : lists) {
      if (ActiveAt(fact, as_of_) &&
          std::find(veto_codes_[veto].begin(), veto_codes_[veto].end(), fact.code) !=
              veto_codes_[veto].end()) {
        applies = true;
        break;
      }
    }
    // Several vetoes: the one forcing the lowest grade wins (the first among equals).
    if (applies && (verdict.veto < 0 || model_.vetoes[veto].grade_index >
                                            model_.vetoes[verdict.veto].grade_index)) {
      verdict.veto = int(veto);
    }
  }
  if (verdict.veto >= 0) verdict.grade = model_.vetoes[verdict.veto].grade_index;
  return verdict;
}

void Scorer::Store(const EntityScore& result) {
  if (table_.row_of.size() <= result.entity) {
    table_.row_of.resize(std::size_t(result.entity) + 1, ScoreTable::kNoRow);
  }
  std::uint32_t row = table_.row_of[result.entity];
  if (row == ScoreTable::kNoRow) {
    row = std::uint32_t(table_.entity.size());
    table_.row_of[result.entity] = row;
    table_.entity.push_back(result.entity);
    table_.score.push_back(0);
    table_.score_grade.push_back(0);
    table_.veto.push_back(-1);
    table_.grade.push_back(0);
    for (auto& column : table_.values) column.push_back(0);
  }
  table_.score[row] = result.score;
  table_.score_grade[row] = std::int8_t(result.score_grade);
  table_.veto[row] = std::int8_t(result.veto);
  table_.grade[row] = std::int8_t(result.grade);
  for (std::size_t position = 0; position < result.values.size(); ++position) {
    table_.values[position][row] = result.values[position];
  }
}

std::vector<std::vector<double>> Scorer::PrepareBatch() {
  touched_.clear();
  risk_sources_.clear();
  const std::size_t indicators = model_.indicators.size();
  // related_risk for every node, once per indicator that needs it.
  std::vector<std::vector<double>> risk(indicators);
  bool any_risk = false;
  for (const Indicator& indicator : model_.indicators) {
    any_risk |= indicator.fn == IndicatorFn::kRelatedRisk;
  }
  if (!any_risk) return risk;
  const NodeId n = std::max(input_.num_nodes(), input_.related().num_nodes());
  input_.related().EnsureNodes(n);
  std::vector<std::uint8_t> seeds(n, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n),
                    [&](const tbb::blocked_range<NodeId>& range) {
                      for (NodeId node = range.begin(); node < range.end(); ++node) {
                        seeds[node] = BlackListed(node) ? 1 : 0;
                      }
                    });
  for (std::size_t position = 0; position < indicators; ++position) {
    const Indicator& indicator = model_.indicators[position];
    if (indicator.fn != IndicatorFn::kRelatedRisk) continue;
    for (std::size_t earlier = 0; earlier < position; ++earlier) {
      const Indicator& other = model_.indicators[earlier];
      if (other.fn == IndicatorFn::kRelatedRisk && other.damping == indicator.damping &&
          other.steps == indicator.steps) {
        risk[position] = risk[earlier];
      }
    }
    if (risk[position].empty()) {
      risk[position] = RelatedRiskAll(input_.related(), seeds, indicator.damping, indicator.steps);
    }
  }
  return risk;
}

void Scorer::EvaluateRows(std::span<const NodeId> organizations,
                          const std::vector<std::vector<double>>& risk, ScoreTable& rows,
                          std::size_t first_row) const {
  const std::size_t indicators = model_.indicators.size();
  std::vector<double> risk_values(indicators, 0.0);
  std::vector<double> values(indicators, 0.0);
  for (std::size_t index = 0; index < organizations.size(); ++index) {
    const NodeId entity = organizations[index];
    const std::size_t row = first_row + index;
    for (std::size_t position = 0; position < indicators; ++position) {
      if (!risk[position].empty()) risk_values[position] = risk[position][entity];
    }
    const Verdict verdict = EvaluateInto(entity, risk_values, values);
    rows.score[row] = verdict.score;
    rows.score_grade[row] = std::int8_t(verdict.score_grade);
    rows.veto[row] = std::int8_t(verdict.veto);
    rows.grade[row] = std::int8_t(verdict.grade);
    for (std::size_t position = 0; position < indicators; ++position) {
      rows.values[position][row] = values[position];
    }
  }
}

void Scorer::ScoreAll() {
  const std::vector<std::vector<double>> risk = PrepareBatch();
  const std::vector<NodeId> organizations = input_.Organizations();
  const std::size_t indicators = model_.indicators.size();
  table_ = ScoreTable();
  table_.entity = organizations;
  const std::size_t rows = organizations.size();
  table_.score.resize(rows);
  table_.score_grade.resize(rows);
  table_.veto.resize(rows);
  table_.grade.resize(rows);
  // Each column allocated (and its pages first touched) by its own task, not copied from one.
  table_.values.resize(indicators);
  tbb::parallel_for(std::size_t(0), indicators,
                    [&](std::size_t position) { table_.values[position].resize(rows); });
  table_.row_of.assign(input_.num_nodes(), ScoreTable::kNoRow);
  for (std::size_t row = 0; row < rows; ++row) table_.row_of[organizations[row]] = std::uint32_t(row);
  const std::span<const NodeId> all(organizations);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      EvaluateRows(all.subspan(range.begin(), range.size()), risk, table_,
                                   range.begin());
                    });
}

std::size_t Scorer::ScoreAllChunked(std::size_t chunk_rows, const ChunkSink& sink) {
  assert(chunk_rows > 0);
  const std::vector<std::vector<double>> risk = PrepareBatch();
  table_ = ScoreTable();
  const std::vector<NodeId> organizations = input_.Organizations();
  const std::size_t indicators = model_.indicators.size();
  const std::size_t chunks = (organizations.size() + chunk_rows - 1) / chunk_rows;
  // One chunk table per thread, reused: no allocation (and no fresh pages) per chunk.
  tbb::enumerable_thread_specific<ScoreTable> tables([&] {
    ScoreTable rows;
    rows.entity.reserve(chunk_rows);
    rows.values.resize(indicators);
    return rows;
  });
  const std::span<const NodeId> all(organizations);
  tbb::parallel_for(std::size_t(0), chunks, [&](std::size_t chunk) {
    ScoreTable& rows = tables.local();
    const std::size_t begin = chunk * chunk_rows;
    const std::size_t count = std::min(chunk_rows, organizations.size() - begin);
    const std::span<const NodeId> part = all.subspan(begin, count);
    rows.entity.assign(part.begin(), part.end());
    rows.score.resize(count);
    rows.score_grade.resize(count);
    rows.veto.resize(count);
    rows.grade.resize(count);
    for (std::vector<double>& column : rows.values) column.resize(count);
    EvaluateRows(part, risk, rows, 0);
    sink(chunk, rows);
  });
  return organizations.size();
}

EntityScore Scorer::ScoreOne(NodeId entity) const {
  std::vector<double> risk_values(model_.indicators.size(), 0.0);
  const NodeId targets[] = {entity};
  for (std::size_t position = 0; position < model_.indicators.size(); ++position) {
    const Indicator& indicator = model_.indicators[position];
    if (indicator.fn != IndicatorFn::kRelatedRisk) continue;
    risk_values[position] = RelatedRiskLocal(
        input_.related(), targets, [this](NodeId node) { return BlackListed(node); },
        indicator.damping, indicator.steps)[0];
  }
  return Evaluate(entity, risk_values);
}

Explanation Scorer::Explain(NodeId entity) const {
  std::uint32_t row = table_.Row(entity);
  return Explain(row != ScoreTable::kNoRow ? table_.RowScore(row) : ScoreOne(entity));
}

Explanation Scorer::Explain(const EntityScore& result) const {
  return scoring::Explain(model_, result);
}

Explanation Explain(const Model& model, const EntityScore& result) {
  Explanation explanation;
  explanation.entity = result.entity;
  double sum = 0;
  for (std::size_t position = 0; position < model.indicators.size(); ++position) {
    const Indicator& indicator = model.indicators[position];
    ExplanationLine line;
    line.dimension = indicator.dimension;
    line.indicator = indicator.id;
    line.fn = std::string(ToString(indicator.fn));
    line.value = result.values[position];
    line.points = indicator.PointsFor(line.value);
    line.weight = indicator.weight;
    line.contribution = indicator.weight * line.points;
    sum += line.contribution;
    explanation.lines.push_back(std::move(line));
  }
  explanation.score = sum;  // same order, same operations as Evaluate: equals result.score
  explanation.score_grade = model.grades[result.score_grade].grade;
  if (result.veto >= 0) {
    const Veto& veto = model.vetoes[result.veto];
    explanation.veto = absl::StrCat(absl::StrJoin(veto.lists, ","), " -> ", veto.grade);
  }
  const Grade& grade = model.grades[result.grade];
  explanation.grade = grade.grade;
  explanation.klass = grade.klass;
  explanation.inspection_rate = grade.inspection_rate;
  return explanation;
}

// ---------------------------------------------------------------- incremental

void Scorer::AddRecord(const Record& record, NodeId subject) {
  input_.Add(record, subject);
  touched_.insert(subject);
  if (record.kind == RecordKind::kList) risk_sources_.insert(subject);
}

void Scorer::ReplaceRecord(const Record& record, NodeId subject) {
  input_.Remove(record.source, record.rid, subject);
  AddRecord(record, subject);
}

void Scorer::RemoveRecord(std::string_view source, std::string_view rid, NodeId subject) {
  input_.Remove(source, rid, subject);
  touched_.insert(subject);
  risk_sources_.insert(subject);
}

void Scorer::AddEdge(NodeId a, NodeId b) {
  if (input_.related().AddEdge(a, b)) {
    risk_sources_.insert(a);
    risk_sources_.insert(b);
  }
}

void Scorer::SetRestrictions(std::span<const RestrictionCount> counts) {
  input_.SetRestrictions(counts);
  for (const RestrictionCount& count : counts) touched_.insert(count.entity);
}

std::vector<NodeId> Scorer::Rescore() {
  std::vector<NodeId> affected(touched_.begin(), touched_.end());
  const int steps = model_.MaxRelatedSteps();
  if (steps > 0 && !risk_sources_.empty()) {
    std::vector<NodeId> sources(risk_sources_.begin(), risk_sources_.end());
    std::vector<NodeId> ball = Ball(input_.related(), sources, steps);
    affected.insert(affected.end(), ball.begin(), ball.end());
  }
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
  std::erase_if(affected, [this](NodeId node) { return !IsOrganizationLike(input_.kind(node)); });
  touched_.clear();
  risk_sources_.clear();
  const std::size_t indicators = model_.indicators.size();
  std::vector<std::vector<double>> risk(indicators);
  for (std::size_t position = 0; position < indicators; ++position) {
    const Indicator& indicator = model_.indicators[position];
    if (indicator.fn != IndicatorFn::kRelatedRisk) continue;
    risk[position] = RelatedRiskLocal(
        input_.related(), affected, [this](NodeId node) { return BlackListed(node); },
        indicator.damping, indicator.steps);
  }
  std::vector<double> risk_values(indicators, 0.0);
  for (std::size_t index = 0; index < affected.size(); ++index) {
    for (std::size_t position = 0; position < indicators; ++position) {
      if (!risk[position].empty()) risk_values[position] = risk[position][index];
    }
    Store(Evaluate(affected[index], risk_values));
  }
  return affected;
}

// ---------------------------------------------------------------- inspection

std::size_t InspectionQuota(double rate, std::size_t count) {
  double wanted = std::ceil(rate * double(count) - 1e-9);
  if (wanted < 0) wanted = 0;
  return std::min(count, std::size_t(wanted));
}

namespace {
// Unbiased draw in [0, bound) by rejection (std::uniform_int_distribution is not specified
// bit for bit across standard libraries; this is).
std::uint64_t Bounded(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                              std::numeric_limits<std::uint64_t>::max() % bound;
  std::uint64_t draw;
  do {
    draw = rng();
  } while (draw >= limit);
  return draw % bound;
}
}  // namespace

std::vector<InspectionPick> DrawInspections(const Model& model, const ScoreTable& table,
                                            std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<InspectionPick> picks;
  std::vector<std::string> done;
  for (const Grade& grade : model.grades) {
    if (std::find(done.begin(), done.end(), grade.klass) != done.end()) continue;
    done.push_back(grade.klass);
    std::vector<NodeId> members;
    for (std::size_t row = 0; row < table.size(); ++row) {
      if (model.grades[table.grade[row]].klass == grade.klass) members.push_back(table.entity[row]);
    }
    std::sort(members.begin(), members.end());
    const std::size_t quota = InspectionQuota(grade.inspection_rate, members.size());
    for (std::size_t position = 0; position < quota; ++position) {
      std::size_t pick = position + std::size_t(Bounded(rng, members.size() - position));
      std::swap(members[position], members[pick]);
    }
    std::vector<NodeId> chosen(members.begin(), members.begin() + std::ptrdiff_t(quota));
    std::sort(chosen.begin(), chosen.end());
    for (NodeId entity : chosen) picks.push_back({grade.klass, entity});
  }
  return picks;
}

}  // namespace cg::core::scoring
