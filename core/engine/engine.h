// The engine: runs the stages after ingest on one database folder and answers queries on what
// they wrote (ARCHITECTURE.md "What flows through it"):
//
//   resolve    every record's mentions -> entities            CFs entities, mentions, entity_mentions
//   graph      relation records -> related-party CSR          CF graph (core/related/graph_io.h)
//   propagate  list/penalty/rating records -> restrictions    CF restrictions
//   score      every fact + graph + restrictions -> scores    CF scores
//
// Each stage reads only what the stages before it wrote, and publishes its whole output at once:
// it works on a staged copy of the database (store::Store::OpenStaged) and commits by one atomic
// rename, so a process killed mid-stage leaves the database as it was before the stage. Any stage
// can be re-run alone on an existing database (e.g. propagate with another measures catalog);
// stages after it are marked stale in meta until they run again.
//
// The engine re-runs a stage over all its inputs (a full recomputation, which the benchmarks
// show is seconds at provincial scale); the stage libraries' incremental APIs (Resolver::Resolve
// on new mentions, MeasureEngine::Add*/Set*, Scorer::Rescore) are tested equal to it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/engine/fact_columns.h"
#include "core/engine/stage_scan.h"
#include "core/record.h"
#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg::core::engine {

/// The measures catalog and scoring model shipped with the engine (datasets/measures/default.yaml
/// and datasets/scoring/default.yaml, embedded at build time).
std::string_view DefaultMeasuresYaml();
std::string_view DefaultModelYaml();

/// One resolved entity, NodeId-indexed in EntityTable.
struct EntityRow {
  std::string id;  // stable: "U:<uscc>", "P:<hash>", …
  EntityKind kind = EntityKind::kUnknown;
  std::string name, uscc, org_code, reg_no, id_no, region;
  std::uint32_t mentions = 0;
  std::string industry;  // GB/T 4754 code from the registry, if any
};

/// The resolved entities in NodeId order, with a lookup by any of their keys.
class EntityTable {
 public:
  NodeId size() const { return NodeId(rows_.size()); }
  const EntityRow& operator[](NodeId node) const { return rows_[node]; }
  const std::vector<EntityRow>& rows() const { return rows_; }
  /// Entity id, USCC, organization code, registration number or ID number (normalized).
  NodeId Find(std::string_view key) const;
  void Add(EntityRow row);
  void Reserve(std::size_t count);
  std::vector<EntityKind> Kinds() const;

 private:
  std::vector<EntityRow> rows_;
  absl::flat_hash_map<std::string, NodeId> by_key_;
};

/// One restriction as stored (CF restrictions) and answered.
struct RestrictionRow {
  NodeId entity = kNoNode;
  std::string measure, name, effect, domain, basis;
  std::string trigger_source, trigger_rid;
  NodeId trigger_entity = kNoNode;
  std::string path;  // "U:… -legal_rep-> P:… -~legal_rep-> U:…"
  Date start = kNoDate;
  Date end = kForever;
  bool withheld = false;  // a reward piece withheld because the entity is punished then
  bool ActiveAt(Date date) const { return !withheld && start <= date && date < end; }
};

/// One explanation line of a score.
struct ScoreLine {
  std::string dimension, indicator;
  double value = 0, points = 0, weight = 0, contribution = 0;
};
struct ScoreRow {
  NodeId entity = kNoNode;
  double score = 0;
  std::string grade, klass, veto;
  double inspection_rate = 0;
  std::vector<ScoreLine> lines;
};

struct StageReport {
  std::string stage;
  double seconds = 0;
  std::vector<std::pair<std::string, double>> figures;  // stage-specific counts
  std::vector<std::pair<std::string, double>> phases;   // seconds per phase (meta stage/<s>/phases)
};

using ProgressFn = std::function<void(std::string_view stage, std::string_view message)>;

/// What the stages after resolve share within one resolve run (and ingest run): the entities'
/// kinds and ids and the subject/party NodeId columns of each record kind (stage_scan.h).
struct StageCache {
  std::string run;
  std::shared_ptr<const StageEntities> entities;
  std::array<std::shared_ptr<const RecordNodes>, kNumRecordKinds> nodes;
  std::array<std::shared_ptr<const FactColumns>, kNumRecordKinds> facts;  // fact_columns.h
};

class Engine {
 public:
  /// Opens the database folder (read-write; created if missing).
  static absl::StatusOr<std::unique_ptr<Engine>> Open(const std::string& db_path);
  ~Engine();

  const std::string& path() const { return path_; }
  /// The data set's as_of (from the ingest stage); kNoDate before ingest.
  Date as_of() const { return as_of_; }
  void set_progress(ProgressFn progress) { progress_ = std::move(progress); }

  // ---- stages
  /// match_probability: accept a probabilistic link at or above it (resolve::ResolveOptions).
  /// incremental: resume from the state the last resolve saved when no record was deleted since
  /// and the old records still give the mentions it compared (then only the inserted records are
  /// blocked and compared; the result equals a full run); otherwise, or when false, resolve all.
  absl::StatusOr<StageReport> Resolve(double match_probability = 0.99, bool incremental = true);
  absl::StatusOr<StageReport> BuildGraph();
  /// measures_yaml empty: the catalog used last time, else the default catalog.
  absl::StatusOr<StageReport> Propagate(std::string measures_yaml = "");
  /// model_yaml empty: the model used last time, else the default model. as_of: the model's,
  /// else the data set's.
  absl::StatusOr<StageReport> Score(std::string model_yaml = "", std::optional<Date> as_of = {});

  /// Stage status from meta: "done", "stale" or "" (never run).
  std::string StageStatus(std::string_view stage) const;

  // ---- answers (each loads what it needs from the database once)
  absl::StatusOr<const EntityTable*> Entities();
  absl::StatusOr<const CsrGraph*> Graph();
  /// KEY: entity id, USCC, organization code, registration number or ID number.
  absl::StatusOr<NodeId> Lookup(std::string_view key);
  /// (source, rid, role) -> entity, for every mention (CF mentions), in key order.
  absl::Status ForEachMention(
      const std::function<void(std::string_view source, std::string_view rid, Role role,
                               NodeId entity)>& visit);
  /// The records that mention an entity: (record, role).
  absl::StatusOr<std::vector<std::pair<Record, Role>>> RecordsOf(NodeId entity);
  absl::StatusOr<std::vector<RestrictionRow>> Restrictions();
  absl::StatusOr<std::vector<RestrictionRow>> RestrictionsOf(NodeId entity);
  /// check(entity, domain, date) of measures.md §5: bound (or granted, for a reward domain)
  /// with the restrictions that say so.
  absl::StatusOr<std::pair<bool, std::vector<RestrictionRow>>> Check(NodeId entity,
                                                                     std::string_view domain,
                                                                     Date date);
  absl::StatusOr<std::vector<ScoreRow>> Scores();
  absl::StatusOr<std::optional<ScoreRow>> ScoreOf(NodeId entity);
  /// The random-inspection draw (双随机) over the stored scores with the stored model:
  /// (class, entity) pairs, per class that class's rate of its entities (scoring::DrawInspections).
  absl::StatusOr<std::vector<std::pair<std::string, NodeId>>> Inspect(std::uint64_t seed);
  std::optional<std::string> Meta(std::string_view key) const;

 private:
  Engine() = default;
  void Progress(std::string_view stage, std::string_view message) const;
  absl::Status LoadEntities();
  void InvalidateCaches();

  std::string path_;
  Date as_of_ = kNoDate;
  ProgressFn progress_;
  // The entities and record NodeId columns of the last resolve run a stage loaded, reused by
  // the next stages while meta `stage/resolve/run` and `stage/ingest/run` are unchanged (one
  // load for graph, propagate and score).
  StageCache stage_cache_;
  std::unique_ptr<EntityTable> entities_;
  std::unique_ptr<CsrGraph> graph_;
  std::unique_ptr<std::vector<RestrictionRow>> restrictions_;
  std::unique_ptr<std::vector<ScoreRow>> scores_;
};

}  // namespace cg::core::engine
