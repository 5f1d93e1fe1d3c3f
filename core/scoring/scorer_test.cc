// Tests of core/scoring: each indicator on fixtures, vetoes, batch == one == incremental,
// random models and data against the slow reference (scoring_test_util.h), monotonicity, and
// the inspection draw.
#include "core/scoring/scorer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>

#include "core/scoring/related_risk.h"
#include "core/scoring/scoring_test_util.h"

namespace cg::core::scoring {
namespace {

using testing::D;
using testing::World;

constexpr char kGrades[] = R"(grades:
  - {grade: A, min: 900, class: 诚信守法, inspection_rate: 0.02}
  - {grade: B, min: 750, class: 轻微失信, inspection_rate: 0.05}
  - {grade: C, min: 600, class: 一般失信, inspection_rate: 0.10}
  - {grade: D, min: 0,   class: 严重失信, inspection_rate: 0.30}
)";

// A one-indicator model: value v earns points v (identity-ish table) so tests read the value.
Model OneIndicator(const std::string& fn_and_args, const std::string& vetoes = "") {
  std::string yaml = "dimensions:\n  - id: d\n    indicators:\n      - id: x\n        " +
                     fn_and_args + "\n        weight: 10\n        points: [[0, 0], [1, 10], [2, 20], [3, 30]]\n" +
                     kGrades + vetoes;
  auto model = ParseModel(yaml);
  EXPECT_TRUE(model.ok()) << model.status();
  return *model;
}

World SmallWorld() {
  World world;
  world.num_nodes = 6;
  world.kinds = {EntityKind::kEnterprise, EntityKind::kEnterprise, EntityKind::kPerson,
                 EntityKind::kIndividualBusiness, EntityKind::kOrganization, EntityKind::kPerson};
  world.est = {D("2015-06-30"), kNoDate, kNoDate, D("2024-06-30"), D("2020-01-01"), kNoDate};
  return world;
}

Record List(const std::string& code, const char* listed, const char* removed = nullptr,
            bool disputed = false, const std::string& rid = "l") {
  Record record;
  record.kind = RecordKind::kList;
  record.source = "s";
  record.rid = rid;
  record.list = code;
  record.listed_on = D(listed);
  record.removed_on = removed ? D(removed) : kNoDate;
  record.disputed = disputed;
  return record;
}
Record Penalty(Severity severity, const char* decided, const std::string& rid,
               const std::string& domain = "market") {
  Record record;
  record.kind = RecordKind::kPenalty;
  record.source = "s";
  record.rid = rid;
  record.severity = severity;
  record.decided_on = D(decided);
  record.domain = domain;
  return record;
}
Record Rating(const std::string& scheme, const std::string& grade, const char* rated,
              const std::string& rid) {
  Record record;
  record.kind = RecordKind::kRating;
  record.source = "s";
  record.rid = rid;
  record.scheme = scheme;
  record.grade = grade;
  record.rated_on = D(rated);
  return record;
}

double ValueOf(const Model& model, const World& world, NodeId entity, const char* as_of) {
  Scorer scorer(model, world.MakeInput(), D(as_of));
  scorer.ScoreAll();
  return scorer.table().values[0][scorer.table().Row(entity)];
}

// ---------------------------------------------------------------- model validation

TEST(ScoringModel, RefusesBrokenModelsNamingTheProblem) {
  auto error = [](const std::string& indicator_text, const std::string& tail = kGrades) {
    auto model = ParseModel("dimensions:\n  - id: d\n    indicators:\n" + indicator_text + tail);
    EXPECT_FALSE(model.ok());
    return std::string(model.status().message());
  };
  EXPECT_NE(error("      - {id: a, fn: nope, weight: 10, points: [[0, 1]]}\n").find("unknown fn 'nope'"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: count, weight: 10, points: [[0, 1]]}\n").find("indicator 'a'"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: count, args: {kind: list, severity: serious}, weight: 10, "
                  "points: [[0, 1]]}\n")
                .find("does not apply"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: related_risk, args: {damping: 0.5, hops: 2}, weight: 10, "
                  "points: [[0, 1]]}\n")
                .find("unknown argument 'hops'"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 1], [0, 2]]}\n")
                .find("ascend"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 101]]}\n")
                .find("0 to 100"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 9, points: [[0, 1]]}\n").find("not 10"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 1]]}\n",
                  "grades:\n  - {grade: A, min: 500, class: x, inspection_rate: 0.1}\n"
                  "  - {grade: B, min: 600, class: y, inspection_rate: 0.1}\n")
                .find("descending"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 1]]}\n",
                  "grades:\n  - {grade: A, min: 0, class: x, inspection_rate: 1.5}\n")
                .find("grade 'A'"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 1]]}\n",
                  "grades:\n  - {grade: A, min: 10, class: x, inspection_rate: 0.5}\n")
                .find("every score"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: years_since, weight: 10, points: [[0, 1]]}\n",
                  std::string(kGrades) + "vetoes:\n  - {lists: [tax_a], grade: Z}\n")
                .find("'Z' is not one of the grades"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: decayed, args: {kind: penalty, weights: {huge: 1}, "
                  "half_life: 1y}, weight: 10, points: [[0, 1]]}\n")
                .find("'huge'"),
            std::string::npos);
  EXPECT_NE(error("      - {id: a, fn: related_risk, args: {steps: 0}, weight: 10, points: [[0, 1]]}\n")
                .find("steps"),
            std::string::npos);
}

TEST(ScoringModel, DefaultModelParses) {
  const char* root = std::getenv("CG_SOURCE_DIR");
  std::string path = std::string(root ? root : ".") + "/datasets/scoring/default.yaml";
  auto model = LoadModel(path);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->dimensions.size(), 5u);
  EXPECT_TRUE(model->warnings.empty());
}

TEST(ScoringModel, StepTableLookup) {
  Model model = OneIndicator("fn: years_since");
  const Indicator& indicator = model.indicators[0];
  EXPECT_EQ(indicator.PointsFor(-5), 0);   // below the first row: the first row
  EXPECT_EQ(indicator.PointsFor(0.99), 0);
  EXPECT_EQ(indicator.PointsFor(1), 10);   // threshold <= value
  EXPECT_EQ(indicator.PointsFor(2.5), 20);
  EXPECT_EQ(indicator.PointsFor(1e9), 30);
  // Rounding below a threshold does not flip the row: 0.5 * 0.1 + ... lands just under 0.05.
  Model tiny = OneIndicator("fn: years_since");
  tiny.indicators[0].points = {{0, 100}, {0.05, 70}, {0.2, 40}};
  EXPECT_EQ(tiny.indicators[0].PointsFor(0.049999999999999996), 70);
  EXPECT_EQ(tiny.indicators[0].PointsFor(0.19999999999999998), 40);
  EXPECT_EQ(tiny.indicators[0].PointsFor(0.0499), 100);
}

// ---------------------------------------------------------------- indicators on fixtures

TEST(ScoringIndicators, CountListsWithFiltersAndActivity) {
  World world = SmallWorld();
  world.records = {
      {List("court_dishonest_debtor", "2024-01-01"), 0},                          // active
      {List("tax_major_violation", "2024-01-01", "2025-01-01", false, "l2"), 0},   // removed
      {List("env_serious", "2024-01-01", nullptr, true, "l3"), 0},                 // disputed
      {List("tax_a", "2024-01-01", nullptr, false, "l4"), 0},                      // red
      {List("amr_serious_illegal", "2019-06-01", nullptr, false, "l5"), 0},        // > 5 years
      {List("court_dishonest_debtor", "2025-07-01", nullptr, false, "l6"), 0},     // future
  };
  const char* as_of = "2025-06-30";
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list, polarity: black}"), world, 0, as_of), 1);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list}"), world, 0, as_of), 2);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list, domain: tax}"), world, 0, as_of), 1);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list, list: [tax_a, env_serious]}"), world, 0, as_of), 1);
  // max_years = 7 brings the 2019 entry back (2019-06-01 + 6y is still before as_of).
  world.params.max_years = 6;
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list, polarity: black}"), world, 0, as_of), 1);
  world.params.max_years = 7;
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list, polarity: black}"), world, 0, as_of), 2);
}

TEST(ScoringIndicators, HalfOpenIntervalsAtTheirEnds) {
  World world = SmallWorld();
  Record licence;
  licence.kind = RecordKind::kLicense;
  licence.source = "s";
  licence.rid = "lic";
  licence.granted_on = D("2020-01-01");
  licence.valid_until = D("2025-06-30");
  world.records = {{List("court_dishonest_debtor", "2024-01-01", "2025-06-30"), 0},     // removed on as_of
                   {List("env_serious", "2025-06-30", nullptr, false, "b"), 0},           // listed on as_of
                   {List("tax_major_violation", "2020-06-30", nullptr, false, "c"), 0},   // 5 years on as_of
                   {Penalty(Severity::kSerious, "2020-06-30", "p"), 0},                 // 5 years on as_of
                   {Penalty(Severity::kSerious, "2020-07-01", "q"), 0},                 // 1 day left
                   {licence, 0}};                                                      // expires on as_of
  const char* as_of = "2025-06-30";
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: list}"), world, 0, as_of), 1);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: penalty}"), world, 0, as_of), 1);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: license}"), world, 0, as_of), 0);
  EXPECT_EQ(ValueOf(OneIndicator("fn: count\n        args: {kind: license}"), world, 0, "2025-06-29"), 1);
}

TEST(ScoringIndicators, EscalatedEntriesCount) {
  World world = SmallWorld();
  world.params.escalations.push_back({"amr_abnormal_operation", Period{3, 0, 0}, "amr_serious_illegal"});
  world.records = {{List("amr_abnormal_operation", "2021-06-01"), 1},
                   {List("amr_abnormal_operation", "2023-01-01", nullptr, false, "b"), 1},
                   {List("amr_abnormal_operation", "2021-01-01", "2024-02-01", false, "c"), 1}};
  Model model = OneIndicator("fn: count\n        args: {kind: list, list: amr_serious_illegal}");
  EXPECT_EQ(ValueOf(model, world, 1, "2024-05-31"), 0);
  EXPECT_EQ(ValueOf(model, world, 1, "2024-06-01"), 1);  // 2021-06-01 + 3y
  EXPECT_EQ(ValueOf(model, world, 1, "2025-12-31"), 1);  // "c" was removed before its 3 years
  EXPECT_EQ(ValueOf(model, world, 1, "2026-01-01"), 2);  // "b" escalates on 2023-01-01 + 3y
}

TEST(ScoringIndicators, DecayedPenalties) {
  World world = SmallWorld();
  world.records = {{Penalty(Severity::kSerious, "2024-06-30", "p1"), 0},
                   {Penalty(Severity::kMinor, "2025-06-30", "p2"), 0},
                   {Penalty(Severity::kGeneral, "2019-06-29", "p3"), 0},  // over 5 years
                   {Penalty(Severity::kGeneral, "2025-07-01", "p4"), 0}}; // after as_of
  Model model = OneIndicator(
      "fn: decayed\n        args: {kind: penalty, weights: {minor: 1, general: 3, serious: 10}, half_life: 1y}");
  // serious: 365 days old, half-life 365 days -> 10 * 0.5; minor: 0 days old -> 1.
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 0, "2025-06-30"), 10 * 0.5 + 1);
  Model serious = OneIndicator("fn: count\n        args: {kind: penalty, severity: [serious]}");
  EXPECT_EQ(ValueOf(serious, world, 0, "2025-06-30"), 1);
}

TEST(ScoringIndicators, YearsSinceAndMissing) {
  World world = SmallWorld();
  Model model = OneIndicator("fn: years_since\n        args: {missing: -1}");
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 0, "2025-06-30"), double(D("2025-06-30") - D("2015-06-30")) / 365.25);
  EXPECT_EQ(ValueOf(model, world, 1, "2025-06-30"), -1);
}

TEST(ScoringIndicators, LatestGradeUsesTheRatingInForce) {
  World world = SmallWorld();
  world.records = {{Rating("tax", "A", "2022-04-01", "t1"), 0},
                   {Rating("tax", "C", "2024-04-01", "t2"), 0},
                   {Rating("tax", "D", "2025-08-01", "t3"), 0},   // after as_of
                   {Rating("environment", "D", "2025-01-01", "e1"), 0}};
  Model model = OneIndicator(
      "fn: latest_grade\n        args: {scheme: tax, map: {A: 3, B: 2, M: 2, C: 1, D: 0}, missing: 2}");
  EXPECT_EQ(ValueOf(model, world, 0, "2025-06-30"), 1);
  EXPECT_EQ(ValueOf(model, world, 0, "2023-01-01"), 3);
  EXPECT_EQ(ValueOf(model, world, 0, "2022-01-01"), 2);  // none yet: missing
  EXPECT_EQ(ValueOf(model, world, 4, "2025-06-30"), 2);
  Model count = OneIndicator("fn: count\n        args: {kind: rating, scheme: tax, grade: [A]}");
  EXPECT_EQ(ValueOf(count, world, 0, "2025-06-30"), 0);  // the A rating was superseded
  EXPECT_EQ(ValueOf(count, world, 0, "2023-06-30"), 1);
}

TEST(ScoringIndicators, Restrictions) {
  World world = SmallWorld();
  world.restrictions = {{0, Effect::kPunish, 2}, {0, Effect::kReward, 1}, {3, Effect::kAlert, 3}};
  EXPECT_EQ(ValueOf(OneIndicator("fn: restrictions"), world, 0, "2025-06-30"), 2);
  EXPECT_EQ(ValueOf(OneIndicator("fn: restrictions\n        args: {effect: reward}"), world, 0, "2025-06-30"), 1);
  EXPECT_EQ(ValueOf(OneIndicator("fn: restrictions\n        args: {effect: alert}"), world, 3, "2025-06-30"), 3);
  EXPECT_EQ(ValueOf(OneIndicator("fn: restrictions"), world, 4, "2025-06-30"), 0);
}

// Fixture for related_risk (node ids; B = black-listed person 2):
//
//      0 ──legal_rep──▶ 2(B) ◀──officer── 1
//      │                 ▲
//   shareholder      controller (ignored)      5 ──suspected── 2 (ignored)
//      ▼                 │
//      3 ──branch──▶ 4 ───┘
//
TEST(ScoringIndicators, RelatedRiskOnFixture) {
  World world = SmallWorld();
  world.records = {{List("court_dishonest_debtor", "2024-01-01"), 2}};
  world.edges = {{0, 2, Label(EdgeLabel::kLegalRep)},   {1, 2, Label(EdgeLabel::kOfficer)},
                 {0, 3, Label(EdgeLabel::kShareholder)}, {3, 4, Label(EdgeLabel::kBranch)},
                 {4, 2, Label(EdgeLabel::kController)},  {5, 2, Label(EdgeLabel::kSuspected)},
                 {0, 2, Label(EdgeLabel::kOfficer)},     {1, 1, Label(EdgeLabel::kGuarantee)}};
  Model model = OneIndicator("fn: related_risk\n        args: {damping: 0.5, steps: 2}");
  // Undirected graph: 0-2, 1-2, 0-3, 3-4. deg: 0:2, 1:1, 2:2, 3:2, 4:1.
  // x1 = P s: x1(0) = 1/2, x1(1) = 1, others 0.  x2 = P x1: x2(0) = 0, x2(2) = (1/2+1)/2,
  // x2(3) = (1/2)/2, x2(1) = 0.  r = 0.5 x1 + 0.25 x2.
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 0, "2025-06-30"), 0.25);
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 1, "2025-06-30"), 0.5);
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 3, "2025-06-30"), 0.0625);
  EXPECT_DOUBLE_EQ(ValueOf(model, world, 4, "2025-06-30"), 0);
}

TEST(ScoringVetoes, VetoForcesGradeScoreStays) {
  World world = SmallWorld();
  world.records = {{List("court_dishonest_debtor", "2024-01-01"), 0},
                   {List("env_serious", "2024-01-01", nullptr, false, "e"), 0},
                   {List("court_dishonest_debtor", "2024-01-01", nullptr, true, "x"), 1}};
  Model model = OneIndicator(
      "fn: years_since\n        args: {missing: 100}",
      "vetoes:\n  - {lists: [env_serious], grade: C}\n  - {lists: [court_dishonest_debtor], grade: D}\n");
  Scorer scorer(model, world.MakeInput(), D("2025-06-30"));
  scorer.ScoreAll();
  const ScoreTable& table = scorer.table();
  std::uint32_t row = table.Row(0);
  EXPECT_EQ(table.score[row], 300);  // 10 years -> 30 points × 10
  EXPECT_EQ(model.grades[table.grade[row]].grade, "D");
  EXPECT_EQ(table.veto[row], 1);  // both apply; the lower grade wins
  Explanation explanation = scorer.Explain(0);
  EXPECT_EQ(explanation.veto, "court_dishonest_debtor -> D");
  EXPECT_EQ(explanation.klass, "严重失信");
  // Entity 1's entry is disputed: no veto.
  EXPECT_EQ(table.veto[table.Row(1)], -1);
  // Persons are not scored.
  EXPECT_EQ(table.Row(2), ScoreTable::kNoRow);
}

// ---------------------------------------------------------------- against the reference

void ExpectSame(const EntityScore& got, const EntityScore& want, const Model& model) {
  ASSERT_EQ(got.values.size(), want.values.size());
  for (std::size_t index = 0; index < want.values.size(); ++index) {
    EXPECT_NEAR(got.values[index], want.values[index], 1e-9) << model.indicators[index].id;
  }
  EXPECT_NEAR(got.score, want.score, 1e-6);
  EXPECT_EQ(got.veto, want.veto);
  if (std::abs(got.score - want.score) < 1e-9) {
    EXPECT_EQ(got.grade, want.grade);
  }
}

TEST(ScoringReference, RandomModelsAndData) {
  std::mt19937_64 rng(20251122);
  const Date as_of = D("2025-06-30");
  for (int trial = 0; trial < 60; ++trial) {
    std::string yaml = testing::RandomModelYaml(rng, trial % 2 == 0);
    auto model = ParseModel(yaml);
    ASSERT_TRUE(model.ok()) << model.status() << "\n" << yaml;
    World world = testing::RandomWorld(rng, as_of, 30, 120, 45);
    Scorer scorer(*model, world.MakeInput(), as_of);
    scorer.ScoreAll();
    testing::Reference reference{*model, world, as_of};
    std::size_t organizations = 0;
    for (NodeId node = 0; node < world.num_nodes; ++node) {
      if (!IsOrganizationLike(world.kinds[node])) continue;
      ++organizations;
      std::uint32_t row = scorer.table().Row(node);
      ASSERT_NE(row, ScoreTable::kNoRow);
      EntityScore batch = scorer.table().RowScore(row);
      ExpectSame(batch, reference.Score(node), *model);
      EXPECT_EQ(scorer.ScoreOne(node), batch);  // exact, bit for bit
      Explanation explanation = scorer.Explain(node);
      double sum = 0;
      for (const auto& line : explanation.lines) sum += line.contribution;
      EXPECT_EQ(sum, batch.score);
      EXPECT_EQ(explanation.score, batch.score);
    }
    EXPECT_EQ(scorer.table().size(), organizations);
  }
}

// ScoreAllChunked hands over exactly ScoreAll's rows, chunk by chunk (chunk sizes that divide
// the organizations, that do not, and larger than all of them), each chunk once.
TEST(ScoringReference, ChunkedBatchEqualsTable) {
  std::mt19937_64 rng(20261122);
  const Date as_of = D("2025-06-30");
  for (int trial = 0; trial < 12; ++trial) {
    auto model = ParseModel(testing::RandomModelYaml(rng, trial % 2 == 0));
    ASSERT_TRUE(model.ok());
    World world = testing::RandomWorld(rng, as_of, 40, 150, 60);
    Scorer full(*model, world.MakeInput(), as_of);
    full.ScoreAll();
    const ScoreTable& table = full.table();
    for (std::size_t chunk_rows : {std::size_t(1), std::size_t(7), std::size_t(16),
                                   std::size_t(1000)}) {
      Scorer chunked(*model, world.MakeInput(), as_of);
      std::vector<std::vector<EntityScore>> got((table.size() + chunk_rows - 1) / chunk_rows);
      std::vector<int> calls(got.size(), 0);
      std::mutex mutex;
      const std::size_t rows = chunked.ScoreAllChunked(
          chunk_rows, [&](std::size_t chunk, const ScoreTable& part) {
            std::lock_guard<std::mutex> lock(mutex);
            ASSERT_LT(chunk, got.size());
            ++calls[chunk];
            EXPECT_TRUE(part.row_of.empty());
            for (std::uint32_t row = 0; row < part.size(); ++row) {
              got[chunk].push_back(part.RowScore(row));
            }
          });
      EXPECT_EQ(rows, table.size());
      EXPECT_EQ(chunked.table().size(), 0u);
      std::size_t row = 0;
      for (std::size_t chunk = 0; chunk < got.size(); ++chunk) {
        EXPECT_EQ(calls[chunk], 1) << chunk;
        EXPECT_EQ(got[chunk].size(), std::min(chunk_rows, table.size() - chunk * chunk_rows));
        for (const EntityScore& result : got[chunk]) {
          ASSERT_LT(row, table.size());
          EXPECT_EQ(result, table.RowScore(std::uint32_t(row))) << "row " << row;  // bit for bit
          ++row;
        }
      }
      EXPECT_EQ(row, table.size());
    }
  }
}

TEST(ScoringReference, RelatedRiskLocalEqualsEigenBitForBit) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    const NodeId n = 50;
    std::vector<EdgeInput> edges;
    for (int edge = 0; edge < 120; ++edge) {
      edges.push_back({NodeId(rng() % n), NodeId(rng() % n), Label(rng() % 5)});
    }
    RelatedGraph related = RelatedGraph::FromCsr(CsrBuilder::FromEdges(n, edges));
    std::vector<std::uint8_t> seeds(n);
    for (auto& seed : seeds) seed = rng() % 4 == 0;
    const int steps = 1 + int(rng() % 5);
    const double damping = 0.3 + 0.1 * double(rng() % 7);
    std::vector<double> all = RelatedRiskAll(related, seeds, damping, steps);
    std::vector<NodeId> targets(n);
    for (NodeId node = 0; node < n; ++node) targets[node] = node;
    std::vector<double> local = RelatedRiskLocal(
        related, targets, [&](NodeId node) { return seeds[node] != 0; }, damping, steps);
    for (NodeId node = 0; node < n; ++node) {
      EXPECT_EQ(all[node], local[node]) << node;
      NodeId single[] = {node};
      EXPECT_EQ(RelatedRiskLocal(related, single, [&](NodeId u) { return seeds[u] != 0; },
                                 damping, steps)[0],
                all[node]);
    }
  }
}

// The sparse-frontier batch (sparse steps, and row-major ones once the frontier is dense), the
// row-major batch at every step and the local evaluation agree bit for bit, from very sparse
// to dense seeds, with edges added after the base graph (overlay).
TEST(ScoringReference, RelatedRiskFrontierEqualsRowMajorBitForBit) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 16; ++trial) {
    // Some graphs span several of the batch's row blocks (16384 rows); half of them have
    // overlay edges (AddEdge), half only the base CSR (the batch's direct adjacency reads).
    const NodeId n = trial % 8 == 5 || trial % 8 == 6 ? 50000 : 3000;
    std::vector<EdgeInput> edges;
    for (NodeId edge = 0; edge < n + n / 3; ++edge) {
      edges.push_back({NodeId(rng() % n), NodeId(rng() % n), Label(rng() % 5)});
    }
    RelatedGraph related = RelatedGraph::FromCsr(CsrBuilder::FromEdges(n, edges));
    if (trial % 2 == 0) {
      for (int added = 0; added < 20; ++added) related.AddEdge(NodeId(rng() % n), NodeId(rng() % n));
    }
    EXPECT_EQ(related.has_overlay(), trial % 2 == 0);
    constexpr std::uint64_t kOneIn[] = {1000, 100, 10, 2};
    const std::uint64_t one_in = kOneIn[trial % 4];
    std::vector<std::uint8_t> seeds(n);
    for (auto& seed : seeds) seed = rng() % one_in == 0;
    const int steps = 1 + int(rng() % 5);
    const double damping = 0.3 + 0.1 * double(rng() % 7);
    const std::vector<double> frontier = RelatedRiskAll(related, seeds, damping, steps);
    const std::vector<double> row_major = RelatedRiskAllRowMajor(related, seeds, damping, steps);
    ASSERT_EQ(frontier.size(), row_major.size());
    std::vector<NodeId> targets(n);
    for (NodeId node = 0; node < n; ++node) targets[node] = node;
    const std::vector<double> local = RelatedRiskLocal(
        related, targets, [&](NodeId node) { return seeds[node] != 0; }, damping, steps);
    std::size_t positive = 0;
    for (NodeId node = 0; node < n; ++node) {
      EXPECT_EQ(frontier[node], row_major[node]) << node;  // exact doubles
      EXPECT_EQ(frontier[node], local[node]) << node;
      positive += frontier[node] > 0;
    }
    EXPECT_GT(positive, 0u);
  }
}

// ---------------------------------------------------------------- incremental

TEST(ScoringIncremental, RandomChangeSequencesEqualFullRecomputation) {
  std::mt19937_64 rng(99);
  const Date as_of = D("2025-06-30");
  auto pick = [&rng](int bound) { return int(rng() % std::uint64_t(bound)); };
  for (int trial = 0; trial < 25; ++trial) {
    auto model = ParseModel(testing::RandomModelYaml(rng, trial % 2 == 0));
    ASSERT_TRUE(model.ok());
    World world = testing::RandomWorld(rng, as_of, 40, 100, 50);
    Scorer incremental(*model, world.MakeInput(), as_of);
    incremental.ScoreAll();
    int serial = 100000;
    for (int change = 0; change < 30; ++change) {
      NodeId subject = NodeId(pick(int(world.num_nodes)));
      switch (pick(5)) {
        case 0: {  // new list entry (often black)
          Record record = List(testing::ListCodes()[pick(6)], "2024-03-01", nullptr, false,
                               "n" + std::to_string(serial++));
          world.records.push_back({record, subject});
          incremental.AddRecord(record, subject);
          break;
        }
        case 1: {  // removal or objection of an existing list entry
          std::vector<std::size_t> lists;
          for (std::size_t index = 0; index < world.records.size(); ++index) {
            if (world.records[index].first.kind == RecordKind::kList) lists.push_back(index);
          }
          if (lists.empty()) break;
          auto& [record, owner] = world.records[lists[pick(int(lists.size()))]];
          if (pick(2)) record.removed_on = as_of - pick(100);
          else record.disputed = !record.disputed;
          incremental.ReplaceRecord(record, owner);
          break;
        }
        case 2: {  // new edge
          NodeId other = NodeId(pick(int(world.num_nodes)));
          world.edges.push_back({subject, other, Label(EdgeLabel::kOfficer)});
          incremental.AddEdge(subject, other);
          break;
        }
        case 3: {  // another record (penalty etc.)
          Record record = testing::RandomRecord(rng, as_of, serial++);
          world.records.push_back({record, subject});
          incremental.AddRecord(record, subject);
          break;
        }
        default: {
          RestrictionCount count{subject, Effect::kPunish, std::uint32_t(pick(4))};
          std::erase_if(world.restrictions, [&](const RestrictionCount& old) {
            return old.entity == subject && old.effect == Effect::kPunish;
          });
          world.restrictions.push_back(count);
          incremental.SetRestrictions(std::span<const RestrictionCount>(&count, 1));
          break;
        }
      }
      if (pick(3) == 0 || change == 29) {
        incremental.Rescore();
        Scorer full(*model, world.MakeInput(), as_of);
        full.ScoreAll();
        ASSERT_EQ(incremental.table().size(), full.table().size());
        for (std::size_t row = 0; row < full.table().size(); ++row) {
          NodeId entity = full.table().entity[row];
          std::uint32_t other = incremental.table().Row(entity);
          ASSERT_NE(other, ScoreTable::kNoRow);
          EXPECT_EQ(incremental.table().RowScore(other), full.table().RowScore(row))
              << "trial " << trial << " change " << change << " entity " << entity;
        }
      }
    }
  }
}

// ---------------------------------------------------------------- monotonicity

void CheckMonotone(const Model& model, std::mt19937_64& rng, int trials) {
  const Date as_of = D("2025-06-30");
  for (int trial = 0; trial < trials; ++trial) {
    World world = testing::RandomWorld(rng, as_of, 30, 80, 45);
    Scorer before(model, world.MakeInput(), as_of);
    before.ScoreAll();
    NodeId subject = NodeId(rng() % world.num_nodes);
    Record record = rng() % 2 ? Penalty(Severity::kSerious, "2025-03-01", "new-p")
                              : List(testing::ListCodes()[rng() % 6], "2025-03-01", nullptr,
                                     false, "new-l");
    world.records.push_back({record, subject});
    Scorer after(model, world.MakeInput(), as_of);
    after.ScoreAll();
    for (std::size_t row = 0; row < before.table().size(); ++row) {
      NodeId entity = before.table().entity[row];
      EXPECT_LE(after.table().score[after.table().Row(entity)], before.table().score[row])
          << "entity " << entity << " after " << ToString(record.kind) << " on " << subject;
    }
  }
}

TEST(ScoringMonotonicity, DefaultModel) {
  const char* root = std::getenv("CG_SOURCE_DIR");
  auto model = LoadModel(std::string(root ? root : ".") + "/datasets/scoring/default.yaml");
  ASSERT_TRUE(model.ok()) << model.status();
  std::mt19937_64 rng(5);
  CheckMonotone(*model, rng, 40);
}

TEST(ScoringMonotonicity, RandomNonIncreasingModels) {
  std::mt19937_64 rng(6);
  for (int trial = 0; trial < 30; ++trial) {
    auto model = ParseModel(testing::RandomModelYaml(rng, true));
    ASSERT_TRUE(model.ok());
    CheckMonotone(*model, rng, 3);
  }
}

// ---------------------------------------------------------------- inspection

TEST(ScoringInspection, QuotaAndReproducibleDraw) {
  EXPECT_EQ(InspectionQuota(0.1, 30), 3u);
  EXPECT_EQ(InspectionQuota(0.02, 10), 1u);
  EXPECT_EQ(InspectionQuota(0.0, 10), 0u);
  EXPECT_EQ(InspectionQuota(1.0, 7), 7u);
  std::mt19937_64 rng(3);
  const Date as_of = D("2025-06-30");
  auto model = ParseModel(testing::RandomModelYaml(rng, false));
  ASSERT_TRUE(model.ok());
  World world = testing::RandomWorld(rng, as_of, 300, 600, 300);
  Scorer scorer(*model, world.MakeInput(), as_of);
  scorer.ScoreAll();
  auto first = DrawInspections(*model, scorer.table(), 42);
  auto second = DrawInspections(*model, scorer.table(), 42);
  auto other = DrawInspections(*model, scorer.table(), 43);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t index = 0; index < first.size(); ++index) {
    EXPECT_EQ(first[index].entity, second[index].entity);
  }
  // Per class: the quota, distinct members of that class.
  std::map<std::string, std::set<NodeId>> drawn;
  for (const auto& pick : first) {
    std::uint32_t row = scorer.table().Row(pick.entity);
    ASSERT_NE(row, ScoreTable::kNoRow);
    EXPECT_EQ(model->grades[scorer.table().grade[row]].klass, pick.klass);
    EXPECT_TRUE(drawn[pick.klass].insert(pick.entity).second);
  }
  for (const Grade& grade : model->grades) {
    std::size_t members = 0;
    for (std::size_t row = 0; row < scorer.table().size(); ++row) {
      members += model->grades[scorer.table().grade[row]].klass == grade.klass;
    }
    EXPECT_EQ(drawn[grade.klass].size(), InspectionQuota(grade.inspection_rate, members));
  }
  bool differs = first.size() != other.size();
  for (std::size_t index = 0; !differs && index < first.size(); ++index) {
    differs = first[index].entity != other[index].entity;
  }
  if (first.size() > 3) {
    EXPECT_TRUE(differs);
  }
}

}  // namespace
}  // namespace cg::core::scoring
