// Scorer: batch scoring of every organization (scoring.md §2), the explanation of one score,
// one entity scored alone, and incremental rescoring after a change (scoring.md §4).
//
//   Scorer scorer(model, std::move(input), as_of);
//   scorer.ScoreAll();                         // TBB over organizations, Eigen for related_risk
//   const ScoreTable& table = scorer.table();  // columnar: entity, score, grade, veto, values
//   Explanation why = scorer.Explain(entity);  // lines sum exactly to the score
//   EntityScore alone = scorer.ScoreOne(entity);   // == the batch row
//   scorer.AddRecord(record, subject); scorer.AddEdge(a, b); ...; scorer.Rescore();
//
// Exactness: the score is Σ weight × points over indicators in model order, computed by one
// function for batch, single and incremental runs; related_risk agrees bit for bit between its
// Eigen and local evaluations (related_risk.h), so the three paths give identical doubles.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "core/scoring/input.h"
#include "core/scoring/model.h"

namespace cg::core::scoring {

/// One entity's result: the value of each indicator (model order), the score, the grade the
/// score earns, the veto that applied (-1: none) and the final grade.
struct EntityScore {
  NodeId entity = kNoNode;
  std::vector<double> values;
  double score = 0;
  int score_grade = 0;
  int veto = -1;
  int grade = 0;
  bool operator==(const EntityScore&) const = default;
};

struct ExplanationLine {
  std::string dimension;
  std::string indicator;
  std::string fn;
  double value = 0;
  double points = 0;
  double weight = 0;
  double contribution = 0;  // weight × points
};

struct Explanation {
  NodeId entity = kNoNode;
  std::vector<ExplanationLine> lines;  // model order; Σ contribution == score exactly
  double score = 0;
  std::string score_grade;  // the grade the score earns
  std::string veto;         // "" or the veto's lists and grade, e.g. "court_dishonest_debtor -> D"
  std::string grade;        // final grade
  std::string klass;
  double inspection_rate = 0;
};

/// The explanation of a result under `model`: depends on nothing else, so a stored result
/// (entity, values, score, grades, veto) is explained again exactly (Scorer::Explain calls it).
Explanation Explain(const Model& model, const EntityScore& result);

/// Columnar batch result. Rows in ascending entity order after ScoreAll(); entities that become
/// organizations through incremental changes are appended.
struct ScoreTable {
  static constexpr std::uint32_t kNoRow = 0xffffffffu;
  std::vector<NodeId> entity;
  std::vector<double> score;
  std::vector<std::int8_t> score_grade;
  std::vector<std::int8_t> veto;
  std::vector<std::int8_t> grade;
  std::vector<std::vector<double>> values;  // [indicator][row]
  std::vector<std::uint32_t> row_of;        // NodeId -> row, kNoRow when not scored

  std::size_t size() const { return entity.size(); }
  std::uint32_t Row(NodeId node) const { return node < row_of.size() ? row_of[node] : kNoRow; }
  EntityScore RowScore(std::uint32_t row) const;
};

class Scorer {
 public:
  /// as_of: the model's as_of if it has one, else `data_as_of`.
  Scorer(Model model, ScoringInput input, Date data_as_of);
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;
  Scorer(Scorer&&) = default;

  const Model& model() const { return model_; }
  const ScoringInput& input() const { return input_; }
  Date as_of() const { return as_of_; }

  /// Scores every organization (parallel). Clears pending changes.
  void ScoreAll();
  const ScoreTable& table() const { return table_; }

  /// Scores every organization exactly as ScoreAll() does, but hands the rows over in chunks
  /// instead of keeping them: chunk c holds the organizations [c·chunk_rows, (c+1)·chunk_rows)
  /// of the ascending order (the rows ScoreAll() would put there, bit for bit) and
  /// `sink(c, rows)` is called once per chunk, concurrently from several threads for distinct
  /// chunks, with a table of that chunk's rows only (its row_of is empty; valid during the
  /// call). table() is left empty, so ScoreOne/Explain/Rescore see no batch rows. For callers
  /// that write the rows out (the engine's score stage): at SF=1 the table of every
  /// organization's indicator values alone would be ~2 GB. Returns the number of rows.
  using ChunkSink = std::function<void(std::size_t chunk, const ScoreTable& rows)>;
  std::size_t ScoreAllChunked(std::size_t chunk_rows, const ChunkSink& sink);

  /// Scores one entity from scratch (local related_risk); equals the batch row.
  EntityScore ScoreOne(NodeId entity) const;
  Explanation Explain(NodeId entity) const;
  Explanation Explain(const EntityScore& result) const;

  /// Points and contribution of indicator `indicator` for a value.
  double Points(std::size_t indicator, double value) const {
    return model_.indicators[indicator].PointsFor(value);
  }

  // ---- changes, then Rescore() (rescoring only what they touch)
  void AddRecord(const Record& record, NodeId subject);
  /// A new version of a record (same source and rid): removal, objection, correction.
  void ReplaceRecord(const Record& record, NodeId subject);
  void RemoveRecord(std::string_view source, std::string_view rid, NodeId subject);
  /// A new related-party edge (undirected in scoring's graph).
  void AddEdge(NodeId a, NodeId b);
  void SetRestrictions(std::span<const RestrictionCount> counts);
  /// Rescores the touched entities and, for related_risk, every organization within `steps`
  /// hops of a node whose black-list status or neighbourhood changed. Returns them, ascending.
  std::vector<NodeId> Rescore();

  /// s(u): true when u has an active black-list entry at as_of.
  bool BlackListed(NodeId node) const;

 private:
  void Compile();
  /// related_risk of every node for each related_risk indicator (empty for the others);
  /// indicators with the same (damping, steps) share one computation. Clears pending changes.
  std::vector<std::vector<double>> PrepareBatch();
  /// Evaluates `organizations` into rows [first_row, first_row + size) of `rows` (sized by the
  /// caller): the batch's inner loop, shared by ScoreAll and ScoreAllChunked.
  void EvaluateRows(std::span<const NodeId> organizations,
                    const std::vector<std::vector<double>>& risk, ScoreTable& rows,
                    std::size_t first_row) const;
  /// Values of every indicator; risk[i] is related_risk for indicator i (others ignored).
  EntityScore Evaluate(NodeId entity, std::span<const double> risk_values) const;
  /// The same into `values` (one per indicator; no allocation): the batch's inner loop.
  struct Verdict {
    double score = 0;
    int score_grade = 0;
    int veto = -1;
    int grade = 0;
  };
  Verdict EvaluateInto(NodeId entity, std::span<const double> risk_values,
                       std::span<double> values) const;
  void Store(const EntityScore& result);

  Model model_;
  ScoringInput input_;
  Date as_of_;
  struct CompiledIndicator {
    std::vector<CodeId> lists, scheme, grade, domain;
    std::vector<std::uint8_t> polarity, severity, status;
    absl::flat_hash_map<CodeId, double> key_weight;  // decayed, keyed by code/grade/domain
    double sub_weight[4] = {-1, -1, -1, -1};          // decayed, keyed by severity/status
    double default_weight = 0;
    CodeId scheme_code = kNoCode;                     // latest_grade
    absl::flat_hash_map<CodeId, double> grade_map;    // latest_grade
    // The step table with its effective thresholds computed once: PointsFor gives exactly
    // Indicator::PointsFor (the same comparisons), without recomputing them per value.
    std::vector<double> effective, points;
    double PointsFor(double value) const {
      std::size_t row = 0;
      while (row < effective.size() && !(value < effective[row])) ++row;
      return row == 0 ? points.front() : points[row - 1];
    }
  };
  std::vector<CompiledIndicator> compiled_;
  std::vector<std::vector<CodeId>> veto_codes_;
  /// `facts`: the entity's facts of the indicator's kind (facts are sorted by kind first).
  double Value(std::size_t indicator, NodeId entity, std::span<const Fact> facts) const;
  /// `facts`: the entity's rating facts (or all of them).
  bool RatingActive(const Fact& fact, std::span<const Fact> facts) const;

  ScoreTable table_;
  absl::flat_hash_set<NodeId> touched_;
  absl::flat_hash_set<NodeId> risk_sources_;
};

/// Random inspection (双随机): per class, ceil(rate × count) of its entities, drawn without
/// replacement by a partial Fisher–Yates shuffle driven by std::mt19937_64(seed) with an
/// unbiased bounded draw (rejection), classes in grade order, entities ascending. Returns
/// (class, entity) pairs, class by class, each class's entities ascending.
struct InspectionPick {
  std::string klass;
  NodeId entity = kNoNode;
};
std::vector<InspectionPick> DrawInspections(const Model& model, const ScoreTable& table,
                                            std::uint64_t seed);
/// The number drawn from a class of `count` entities at `rate`: ceil(rate × count), computed as
/// ceil(rate × count − 1e-9) so that 0.1 × 30 draws 3, not 4.
std::size_t InspectionQuota(double rate, std::size_t count);

}  // namespace cg::core::scoring
