// The engine's stages and answers (see engine.h).
#include "core/engine/engine.h"

#include <absl/container/flat_hash_map.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_group.h>
#include <tbb/parallel_sort.h>
#include <xxhash.h>

#include <tuple>

#include <algorithm>
#include <limits>
#include <memory>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>

#include "core/date.h"
#include "core/ids/ids.h"
#include "core/labels.h"
#include "core/measures/catalog.h"
#include "core/measures/propagate.h"
#include "core/related/graph_io.h"
#include "core/related/related_graph.h"
#include "core/huge_pages.h"
#include "core/resolve/bucket_sort.h"
#include "core/resolve/from_store.h"
#include "core/resolve/resolver.h"
#include "core/scoring/input.h"
#include "core/scoring/model.h"
#include "core/scoring/scorer.h"
#include "core/store/store.h"
#include "core/strings.h"
#include "absl/container/flat_hash_set.h"

namespace cg::core::engine {
namespace {

using store::Batch;
using strings::Cat;
using strings::Join;
using strings::ConsumePrefix;
using strings::Split;
using store::SstLoader;
using store::Store;

constexpr std::string_view kEntities = "entities";
constexpr std::string_view kMentions = "mentions";
constexpr std::string_view kEntityMentions = "entity_mentions";
// The resolver's state after the last resolve (Resolver::SaveState) in chunks "c" + BE64, and
// "meta" = change-log position \0 bytes \0 XXH3 of the bytes: what an incremental resolve
// resumes from.
constexpr std::string_view kResolveState = "resolve_state";
constexpr std::size_t kStateChunk = std::size_t{32} << 20;
constexpr std::string_view kRestrictions = "restrictions";
constexpr std::string_view kScores = "scores";
constexpr char kField = '\x1f';
constexpr char kLine = '\x1e';
// Every key this engine writes starts below 0xff, so [ "", kEndKey ) spans a family.
const std::string kEndKey(8, '\xff');
constexpr std::size_t kBatchEntries = 50000;

const std::vector<std::string_view> kStages = {"resolve", "graph", "propagate", "score"};

/// A token that differs for every resolve run (clock nanoseconds and a random number).
std::string RunId() {
  std::random_device device;
  return Cat(std::chrono::system_clock::now().time_since_epoch().count(), "-", device());
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Number(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}
double ParseNumber(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}
std::uint32_t ParseU32(std::string_view text) {
  std::uint32_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}
std::string DateText(Date date) { return date == kForever ? "" : FormatDate(date); }
Date DateFromText(std::string_view text, Date empty) {
  if (text.empty()) return empty;
  auto date = ParseDate(text);
  return date ? *date : empty;
}

std::string MentionKey(std::string_view source, std::string_view rid, Role role) {
  std::string key;
  key.reserve(source.size() + rid.size() + 3);
  key.append(source).push_back('\0');
  key.append(rid).push_back('\0');
  key.push_back(role == Role::kSubject ? 's' : 'p');
  return key;
}

/// Writes many entries through a staged store in bounded batches (the staged commit makes the
/// whole stage atomic, so the batches need not be).
class ChunkedWriter {
 public:
  explicit ChunkedWriter(Store& store) : store_(store), batch_(std::make_unique<Batch>(store)) {}
  absl::Status Put(std::string_view family, std::string_view key, std::string_view value) {
    if (auto status = batch_->Put(family, key, value); !status.ok()) return status;
    return MaybeFlush();
  }
  absl::Status PutMeta(std::string_view key, std::string_view value) {
    if (auto status = batch_->PutMeta(key, value); !status.ok()) return status;
    return MaybeFlush();
  }
  absl::Status Clear(std::string_view family) {
    return batch_->DeleteRange(family, std::string(), kEndKey);
  }
  absl::Status ClearRange(std::string_view family, std::string_view begin, std::string_view end) {
    return batch_->DeleteRange(family, begin, end);
  }
  absl::Status Flush() {
    if (batch_->Count() == 0) return absl::OkStatus();
    auto status = store_.Write(*batch_);
    batch_->Clear();
    return status;
  }

 private:
  absl::Status MaybeFlush() { return batch_->Count() >= kBatchEntries ? Flush() : absl::OkStatus(); }
  Store& store_;
  std::unique_ptr<Batch> batch_;
};

/// Marks `stage` done (with its figures) and every later stage stale.
absl::Status MarkStage(ChunkedWriter& writer, std::string_view stage, const StageReport& report) {
  bool later = false;
  for (std::string_view name : kStages) {
    if (later) {
      if (auto status = writer.PutMeta(Cat("stage/", name, "/status"), "stale");
          !status.ok()) {
        return status;
      }
    }
    if (name == stage) later = true;
  }
  std::string figures, phases;
  for (const auto& [name, value] : report.figures) {
    figures += Cat(name, "=", Number(value), "\n");
  }
  for (const auto& [name, value] : report.phases) {
    phases += Cat(name, "=", Number(value), "\n");
  }
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{
           {Cat("stage/", stage, "/status"), "done"},
           {Cat("stage/", stage, "/seconds"), Number(report.seconds)},
           {Cat("stage/", stage, "/figures"), figures},
           {Cat("stage/", stage, "/phases"), phases}}) {
    if (auto status = writer.PutMeta(key, value); !status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string EncodeEntity(const EntityRow& row, NodeId node) {
  return Join(std::vector<std::string>{std::string(ToString(row.kind)), row.name, row.uscc, row.org_code,
                        row.reg_no, row.id_no, row.region, std::to_string(row.mentions),
                        std::to_string(node), row.industry},
                       std::string(1, kField));
}
EntityRow DecodeEntity(std::string_view id, std::string_view value) {
  std::vector<std::string_view> parts = Split(value, kField);
  parts.resize(10);
  EntityRow row;
  row.id = std::string(id);
  row.kind = ParseEntityKind(parts[0]).value_or(EntityKind::kUnknown);
  row.name = std::string(parts[1]);
  row.uscc = std::string(parts[2]);
  row.org_code = std::string(parts[3]);
  row.reg_no = std::string(parts[4]);
  row.id_no = std::string(parts[5]);
  row.region = std::string(parts[6]);
  row.mentions = ParseU32(parts[7]);
  row.industry = std::string(parts[9]);
  return row;
}

std::string EncodeRestriction(const RestrictionRow& row, std::string_view trigger_id) {
  return Join(std::vector<std::string>
      {row.measure, row.name, row.effect, row.domain, row.basis, row.trigger_source,
       row.trigger_rid, std::string(trigger_id), row.path,
       FormatDate(row.start), DateText(row.end), std::string(row.withheld ? "1" : "0")},
      std::string(1, kField));
}
RestrictionRow DecodeRestriction(NodeId entity, std::string_view value, const EntityTable& table) {
  std::vector<std::string_view> parts = Split(value, kField);
  parts.resize(12);
  RestrictionRow row;
  row.entity = entity;
  row.measure = std::string(parts[0]);
  row.name = std::string(parts[1]);
  row.effect = std::string(parts[2]);
  row.domain = std::string(parts[3]);
  row.basis = std::string(parts[4]);
  row.trigger_source = std::string(parts[5]);
  row.trigger_rid = std::string(parts[6]);
  row.trigger_entity = table.Find(parts[7]);
  row.path = std::string(parts[8]);
  row.start = DateFromText(parts[9], kNoDate);
  row.end = DateFromText(parts[10], kForever);
  row.withheld = parts[11] == "1";
  return row;
}

/// A score row as stored by format 1 (text; read for databases scored before format 2).
ScoreRow DecodeScore(NodeId entity, std::string_view value) {
  std::vector<std::string_view> lines = Split(value, kLine);
  ScoreRow row;
  row.entity = entity;
  std::vector<std::string_view> head = Split(lines[0], kField);
  head.resize(5);
  row.score = ParseNumber(head[0]);
  row.grade = std::string(head[1]);
  row.klass = std::string(head[2]);
  row.veto = std::string(head[3]);
  row.inspection_rate = ParseNumber(head[4]);
  for (std::size_t index = 1; index < lines.size(); ++index) {
    std::vector<std::string_view> parts = Split(lines[index], kField);
    parts.resize(6);
    row.lines.push_back({std::string(parts[0]), std::string(parts[1]), ParseNumber(parts[2]),
                         ParseNumber(parts[3]), ParseNumber(parts[4]), ParseNumber(parts[5])});
  }
  return row;
}

// Scores as stored since format 2: chunks of kScoreChunkRows rows under the key BE32(last
// entity of the chunk), so the chunk holding entity e is the first key >= BE32(e). A chunk:
// u32 rows, u8 indicators, then per row u32 entity, f64 score, i8 score grade, i8 veto, i8 grade
// and each indicator's value (tag 0: 0.0; 1: a varint integer; 2: the 8 bytes of the double),
// all little-endian. The explanation (points, weights, contributions, names) is recomputed from
// the stored model by scoring::Explain, which gives the very doubles the stage computed.
constexpr std::string_view kScoreFormat = "2";
constexpr std::size_t kScoreChunkRows = 4096;

std::string ScoreChunkKey(NodeId last) { return EncodeNode(last); }

template <typename T>
char* PutRaw(char* at, T value) {
  std::memcpy(at, &value, sizeof value);
  return at + sizeof value;
}
template <typename T>
bool ReadRaw(std::string_view& in, T& value) {
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

// A value: tag 0 = +0.0; tag 1 = a positive integer below 2^53 as a varint (≤ 8 bytes); tag 2 =
// the 8 raw bytes of the double. At most kMaxValueBytes bytes.
constexpr std::size_t kMaxValueBytes = 9;
char* PutValue(char* at, double value) {
  constexpr double kExactLimit = 9007199254740992.0;  // 2^53
  if (value == 0.0 && !std::signbit(value)) {
    *at++ = '\0';
  } else if (value > 0 && value < kExactLimit && value == std::floor(value)) {
    *at++ = '\1';
    for (std::uint64_t rest = std::uint64_t(value);; rest >>= 7) {
      if (rest < 0x80) {
        *at++ = char(rest);
        break;
      }
      *at++ = char((rest & 0x7f) | 0x80);
    }
  } else {
    *at++ = '\2';
    at = PutRaw(at, value);
  }
  return at;
}
bool ReadValue(std::string_view& in, double& value) {
  if (in.empty()) return false;
  const char tag = in.front();
  in.remove_prefix(1);
  if (tag == '\0') {
    value = 0.0;
    return true;
  }
  if (tag == '\2') return ReadRaw(in, value);
  if (tag != '\1') return false;
  std::uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return false;
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    result |= std::uint64_t(byte & 0x7f) << shift;
    if (byte < 0x80) {
      value = double(result);
      return true;
    }
  }
  return false;
}

std::string EncodeScoreChunk(const scoring::ScoreTable& table, std::size_t begin,
                             std::size_t end) {
  // Written through a pointer into a buffer sized for the longest rows, then cut to length.
  constexpr std::size_t kRowHead = sizeof(std::uint32_t) + sizeof(double) + 3;
  std::string out(5 + (end - begin) * (kRowHead + kMaxValueBytes * table.values.size()), '\0');
  char* at = out.data();
  at = PutRaw(at, std::uint32_t(end - begin));
  at = PutRaw(at, std::uint8_t(table.values.size()));
  for (std::size_t row = begin; row < end; ++row) {
    at = PutRaw(at, std::uint32_t(table.entity[row]));
    at = PutRaw(at, table.score[row]);
    at = PutRaw(at, table.score_grade[row]);
    at = PutRaw(at, table.veto[row]);
    at = PutRaw(at, table.grade[row]);
    for (const std::vector<double>& column : table.values) at = PutValue(at, column[row]);
  }
  out.resize(std::size_t(at - out.data()));
  return out;
}

/// Calls visit(result) for each row of a chunk; DataLoss for a damaged chunk.
absl::Status DecodeScoreChunk(std::string_view in,
                              const std::function<bool(scoring::EntityScore&)>& visit) {
  std::uint32_t rows = 0;
  std::uint8_t indicators = 0;
  if (!ReadRaw(in, rows) || !ReadRaw(in, indicators)) {
    return absl::DataLossError("a stored score chunk is truncated: run `creditgraph score` again");
  }
  scoring::EntityScore result;
  for (std::uint32_t row = 0; row < rows; ++row) {
    std::uint32_t entity = 0;
    std::int8_t score_grade = 0, veto = 0, grade = 0;
    result.values.assign(indicators, 0.0);
    bool ok = ReadRaw(in, entity) && ReadRaw(in, result.score) && ReadRaw(in, score_grade) &&
              ReadRaw(in, veto) && ReadRaw(in, grade);
    for (std::uint8_t index = 0; ok && index < indicators; ++index) {
      ok = ReadValue(in, result.values[index]);
    }
    if (!ok) {
      return absl::DataLossError(
          "a stored score chunk is damaged: run `creditgraph score` again");
    }
    result.entity = entity;
    result.score_grade = score_grade;
    result.veto = veto;
    result.grade = grade;
    if (!visit(result)) break;
  }
  return absl::OkStatus();
}

ScoreRow ScoreRowOf(const scoring::Model& model, const scoring::EntityScore& result) {
  const scoring::Explanation explanation = scoring::Explain(model, result);
  ScoreRow row;
  row.entity = explanation.entity;
  row.score = explanation.score;
  row.grade = explanation.grade;
  row.klass = explanation.klass;
  row.veto = explanation.veto;
  row.inspection_rate = explanation.inspection_rate;
  for (const scoring::ExplanationLine& line : explanation.lines) {
    row.lines.push_back({line.dimension, line.indicator, line.value, line.points, line.weight,
                         line.contribution});
  }
  return row;
}

/// Loads the entity table from a store (CF entities, in key = NodeId order).
absl::StatusOr<std::unique_ptr<EntityTable>> ReadEntities(Store& store) {
  auto table = std::make_unique<EntityTable>();
  if (auto figures = store.GetMeta("stage/resolve/figures"); figures.ok() && figures->has_value()) {
    for (std::string_view line : Split(**figures, '\n')) {
      if (ConsumePrefix(&line, "entities=")) table->Reserve(std::size_t(ParseNumber(line)));
    }
  }
  auto status = store.ScanPrefix(kEntities, "", [&](std::string_view key, std::string_view value) {
    table->Add(DecodeEntity(key, value));
    return true;
  });
  if (!status.ok()) return status;
  return table;
}


}  // namespace

namespace {

/// What a stage after resolve reads: a staged copy of the database, the entities of the
/// resolve run, and the NodeId columns of the record kinds it scans (see StageCache).
struct StageInputs {
  std::unique_ptr<Store> store;
  std::shared_ptr<const StageEntities> entities;
  Date as_of = kNoDate;
  std::string run;  // resolve run + ingest run: what the cached columns belong to
  std::vector<RecordKind> derived;  // NodeId columns derived by this stage, saved with its commit
  std::vector<RecordKind> derived_facts;  // fact columns derived by this stage, saved likewise
  bool derived_entities = false;  // StageEntities read from CF entities: saved likewise
};

/// Seconds of one phase of a stage, for the stage report's `phases`.
class PhaseClock {
 public:
  explicit PhaseClock(StageReport& report) : report_(report), last_(Now()), last_cpu_(CpuSeconds()) {}
  void Lap(std::string name) {
    const double now = Now();
    if (Tracing()) {  // CG_STAGE_TRACE=1: each phase's time, CPU time and the process's memory on stderr
      const double cpu = CpuSeconds();
      std::fprintf(stderr, "[%s] %-30s %8.3f s %8.3f cpu-s %6.2f GB rss %6.2f GB peak\n", report_.stage.c_str(),
                   name.c_str(), now - last_, cpu - last_cpu_, static_cast<double>(ResidentBytes()) / 1e9,
                   static_cast<double>(PeakResidentBytes()) / 1e9);
      last_cpu_ = cpu;
    }
    report_.phases.emplace_back(std::move(name), now - last_);
    last_ = now;
  }

 private:
  static bool Tracing() {
    static const bool enabled = std::getenv("CG_STAGE_TRACE") != nullptr;
    return enabled;
  }
  StageReport& report_;
  double last_;
  double last_cpu_;
};

/// Opens a staged copy and loads the entities a stage after resolve needs, or reuses the
/// cached ones when the database's resolve (and ingest) run is the one they came from.
/// `kinds_only`: a stage that reads only the entities' kinds (score) gets the saved kinds alone
/// when they are not cached (not cached then: a later stage may need the ids).
absl::StatusOr<StageInputs> OpenStageInputs(const std::string& path, std::string_view stage,
                                            StageCache& cache, bool kinds_only = false) {
  StageInputs inputs;
  store::OpenOptions options;
  options.bulk_load = true;  // staged: no WAL, large memtables; Commit() flushes
  auto store = Store::OpenStaged(path, options);
  if (!store.ok()) return store.status();
  inputs.store = std::move(*store);
  auto resolved = inputs.store->GetMeta("stage/resolve/status");
  if (!resolved.ok()) return resolved.status();
  if (!resolved->has_value()) {
    return absl::FailedPreconditionError(
        Cat("the ", stage, " stage needs resolved entities: run `creditgraph resolve --db ",
                     path, "` first"));
  }
  auto run = inputs.store->GetMeta("stage/resolve/run");
  if (!run.ok()) return run.status();
  auto ingest_run = inputs.store->GetMeta("stage/ingest/run");
  if (!ingest_run.ok()) return ingest_run.status();
  const std::string run_id = run->value_or("");
  inputs.run = run_id.empty() ? std::string() : Cat(run_id, "/", ingest_run->value_or(""));
  if (inputs.run.empty() || inputs.run != cache.run) {
    cache = StageCache{};
    cache.run = inputs.run;
  }
  if (!cache.entities && kinds_only && !inputs.run.empty()) {
    auto saved = LoadSavedStageEntities(*inputs.store, inputs.run, /*with_ids=*/false);
    if (!saved.ok()) return saved.status();
    if (saved->has_value()) {
      inputs.entities = std::make_shared<const StageEntities>(std::move(**saved));
    }
  }
  if (!inputs.entities && !cache.entities) {
    auto saved = LoadSavedStageEntities(*inputs.store, inputs.run);
    if (!saved.ok()) return saved.status();
    if (saved->has_value()) {
      cache.entities = std::make_shared<const StageEntities>(std::move(**saved));
    } else {
      auto entities = ReadStageEntities(*inputs.store);
      if (!entities.ok()) return entities.status();
      cache.entities = std::make_shared<const StageEntities>(std::move(*entities));
      inputs.derived_entities = !inputs.run.empty();
    }
  }
  if (!inputs.entities) inputs.entities = cache.entities;
  auto as_of = inputs.store->GetMeta("stage/ingest/as_of");
  if (as_of.ok() && as_of->has_value()) inputs.as_of = DateFromText(**as_of, kNoDate);
  return inputs;
}

// NodeId columns as saved in CF record_nodes (stage_scan.h: EncodeRecordNodes). Valid while the
// resolve and ingest runs are the ones in meta; ScanRecords still checks count and key hash.

absl::StatusOr<std::shared_ptr<const RecordNodes>> LoadRecordNodes(Store& store,
                                                                   std::string_view run,
                                                                   RecordKind kind) {
  const std::string prefix = Cat(ToString(kind), "/");
  auto meta = store.Get(kRecordNodes, Cat(prefix, "meta"));
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) return std::shared_ptr<const RecordNodes>();
  std::vector<std::string_view> parts = Split(**meta, '\0');
  if (parts.size() != 3 || parts[0] != run) return std::shared_ptr<const RecordNodes>();
  auto nodes = std::make_shared<RecordNodes>();
  nodes->kind = kind;
  std::uint64_t count = 0;
  std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), count);
  std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), nodes->key_hash);
  nodes->subject.reserve(count);
  nodes->party.reserve(count);
  auto status = store.ScanPrefix(kRecordNodes, Cat(prefix, "c"), [&](std::string_view,
                                                                    std::string_view value) {
    for (std::size_t at = 0; at + 8 <= value.size(); at += 8) {
      std::uint32_t pair[2];
      std::memcpy(pair, value.data() + at, sizeof pair);
      nodes->subject.push_back(pair[0]);
      nodes->party.push_back(pair[1]);
    }
    return true;
  });
  if (!status.ok()) return status;
  if (nodes->size() != count) return std::shared_ptr<const RecordNodes>();  // derive again
  return std::shared_ptr<const RecordNodes>(std::move(nodes));
}

absl::Status SaveRecordNodes(ChunkedWriter& writer, std::string_view run, const RecordNodes& nodes) {
  const std::string prefix = Cat(ToString(nodes.kind), "/");
  if (auto status = writer.ClearRange(kRecordNodes, prefix, Cat(ToString(nodes.kind), "0"));
      !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : EncodeRecordNodes(nodes, run)) {
    if (auto status = writer.Put(kRecordNodes, key, value); !status.ok()) return status;
  }
  return absl::OkStatus();
}

/// The NodeId columns of one record kind for this run: cached, else saved by an earlier stage
/// of this run, else derived by a merge join (and saved with this stage's commit).
absl::StatusOr<std::shared_ptr<const RecordNodes>> NodesOf(StageInputs& inputs,
                                                           StageCache& cache, RecordKind kind) {
  auto& slot = cache.nodes[static_cast<int>(kind)];
  if (!slot && !inputs.run.empty()) {
    auto loaded = LoadRecordNodes(*inputs.store, inputs.run, kind);
    if (!loaded.ok()) return loaded.status();
    slot = std::move(*loaded);
  }
  if (!slot || inputs.run.empty()) {
    auto nodes = DeriveRecordNodes(*inputs.store, kind, inputs.entities->size());
    if (!nodes.ok()) return nodes.status();
    slot = std::make_shared<const RecordNodes>(std::move(*nodes));
    if (!inputs.run.empty()) inputs.derived.push_back(kind);
  }
  return slot;
}

/// The fact columns of one kind for this run: cached, else saved by an earlier stage of this
/// run (and still matching the kind's RecordNodes), else nullptr.
absl::StatusOr<std::shared_ptr<const FactColumns>> SavedFactsOf(StageInputs& inputs,
                                                               StageCache& cache,
                                                               const RecordNodes& nodes) {
  auto& slot = cache.facts[static_cast<int>(nodes.kind)];
  if (!slot && !inputs.run.empty() && inputs.store->HasFamily(kRecordFacts)) {
    Store& store = *inputs.store;
    auto loaded = FactColumns::Decode(
        nodes.kind, inputs.run,
        [&store](std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
          return store.ScanPrefix(kRecordFacts, prefix, visit);
        });
    if (!loaded.ok()) return loaded.status();
    slot = std::move(*loaded);
  }
  if (slot && (slot->size() != nodes.size() || slot->key_hash() != nodes.key_hash)) slot.reset();
  return slot;
}

/// One fact kind's NodeId and fact columns for a score run, and whether they were derived here
/// (then saved with the stage's commit). Only reads `inputs` and `cache`, so the kinds are read
/// as concurrent tasks; the caller stores the results in the cache afterwards.
struct KindColumns {
  std::shared_ptr<const RecordNodes> nodes;
  std::shared_ptr<const FactColumns> facts;
  bool derived_nodes = false;
  bool derived_facts = false;
  absl::Status status;
};

KindColumns ReadKindColumns(const StageInputs& inputs, const StageCache& cache, RecordKind kind) {
  KindColumns out;
  Store& store = *inputs.store;
  out.nodes = cache.nodes[static_cast<int>(kind)];
  if (!out.nodes && !inputs.run.empty()) {
    auto loaded = LoadRecordNodes(store, inputs.run, kind);
    if (!loaded.ok()) {
      out.status = loaded.status();
      return out;
    }
    out.nodes = std::move(*loaded);
  }
  if (!out.nodes) {
    auto derived = DeriveRecordNodes(store, kind, inputs.entities->size());
    if (!derived.ok()) {
      out.status = derived.status();
      return out;
    }
    out.nodes = std::make_shared<const RecordNodes>(std::move(*derived));
    out.derived_nodes = !inputs.run.empty();
  }
  const RecordNodes& nodes = *out.nodes;
  out.facts = cache.facts[static_cast<int>(kind)];
  if (!out.facts && !inputs.run.empty() && store.HasFamily(kRecordFacts)) {
    auto loaded = FactColumns::Decode(
        kind, inputs.run,
        [&store](std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
          return store.ScanPrefix(kRecordFacts, prefix, visit);
        });
    if (!loaded.ok()) {
      out.status = loaded.status();
      return out;
    }
    out.facts = std::move(*loaded);
  }
  if (out.facts && (out.facts->size() != nodes.size() || out.facts->key_hash() != nodes.key_hash)) {
    out.facts.reset();
  }
  if (!out.facts) {
    auto derived = std::make_shared<FactColumns>(kind);
    derived->set_key_hash(nodes.key_hash);
    out.status = ScanRecords(store, nodes, FactFields(),
                             [&](const Record& record, NodeId, NodeId) {
                               derived->Append(scoring::FactRowOf(record));
                             });
    out.facts = std::move(derived);
    out.derived_facts = !inputs.run.empty();
  }
  return out;
}

absl::Status SaveFacts(ChunkedWriter& writer, std::string_view run, const FactColumns& facts) {
  const std::string kind(ToString(facts.kind()));
  if (auto status = writer.ClearRange(kRecordFacts, Cat(kind, "/"), Cat(kind, "0"));
      !status.ok()) {
    return status;
  }
  for (const auto& [key, value] : facts.Encode(run)) {
    if (auto status = writer.Put(kRecordFacts, key, value); !status.ok()) return status;
  }
  return absl::OkStatus();
}

/// Every record of the kinds, with subject and party NodeIds (ScanRecords), decoding only
/// `fields`. A kind whose fact columns are not saved for this run gets them derived on the side
/// (its scan decodes FactFields() too) and saved with this stage's commit.
absl::Status ForEachRecordOf(
    StageInputs& inputs, StageCache& cache, PhaseClock& clock,
    std::initializer_list<RecordKind> kinds, store::RecordFieldMask fields,
    const std::function<void(const Record&, NodeId subject, NodeId party)>& visit) {
  for (RecordKind kind : kinds) {
    auto nodes = NodesOf(inputs, cache, kind);
    if (!nodes.ok()) return nodes.status();
    clock.Lap(Cat("nodes_", ToString(kind)));
    std::shared_ptr<FactColumns> derived;
    if (IsFactKind(kind) && !inputs.run.empty()) {
      auto saved = SavedFactsOf(inputs, cache, **nodes);
      if (!saved.ok()) return saved.status();
      if (*saved == nullptr) derived = std::make_shared<FactColumns>(kind);
    }
    absl::Status status;
    if (derived) {
      derived->set_key_hash((*nodes)->key_hash);
      status = ScanRecords(*inputs.store, **nodes, fields | FactFields(),
                           [&](const Record& record, NodeId subject, NodeId party) {
                             derived->Append(scoring::FactRowOf(record));
                             visit(record, subject, party);
                           });
      if (status.ok()) {
        cache.facts[static_cast<int>(kind)] = derived;
        inputs.derived_facts.push_back(kind);
      }
    } else {
      status = ScanRecords(*inputs.store, **nodes, fields, visit);
    }
    if (!status.ok()) return status;
    clock.Lap(Cat("scan_", ToString(kind)));
  }
  return absl::OkStatus();
}

/// Marks the stage done (meta), commits the staged store, and returns the report; seconds
/// include the commit (the stored seconds and phases stop before it).
absl::StatusOr<StageReport> Publish(Store& store, StageReport& report, double started,
                                    PhaseClock& clock, const StageInputs& inputs,
                                    const StageCache& cache) {
  ChunkedWriter writer(store);
  for (RecordKind kind : inputs.derived) {
    if (auto saved = SaveRecordNodes(writer, inputs.run, *cache.nodes[static_cast<int>(kind)]);
        !saved.ok()) {
      return saved;
    }
  }
  if (inputs.derived_entities) {
    if (auto status = writer.Clear(kStageEntitiesFamily); !status.ok()) return status;
    for (const auto& [key, value] : inputs.entities->Encode(inputs.run)) {
      if (auto status = writer.Put(kStageEntitiesFamily, key, value); !status.ok()) return status;
    }
  }
  for (RecordKind kind : inputs.derived_facts) {
    if (auto saved = SaveFacts(writer, inputs.run, *cache.facts[static_cast<int>(kind)]);
        !saved.ok()) {
      return saved;
    }
  }
  report.seconds = Now() - started;
  if (auto marked = MarkStage(writer, report.stage, report); !marked.ok()) return marked;
  if (auto flushed = writer.Flush(); !flushed.ok()) return flushed;
  if (auto committed = store.Commit(); !committed.ok()) return committed;
  clock.Lap("commit");
  report.seconds = Now() - started;
  return report;
}

}  // namespace

// ---------------------------------------------------------------- EntityTable

NodeId EntityTable::Find(std::string_view key) const {
  auto it = by_key_.find(std::string(key));
  return it == by_key_.end() ? kNoNode : it->second;
}

void EntityTable::Reserve(std::size_t count) {
  rows_.reserve(count);
  by_key_.reserve(count * 2);
}

void EntityTable::Add(EntityRow row) {
  const NodeId node = NodeId(rows_.size());
  for (const std::string* key : {&row.id, &row.uscc, &row.org_code, &row.reg_no, &row.id_no}) {
    if (!key->empty()) by_key_.emplace(*key, node);
  }
  rows_.push_back(std::move(row));
}

std::vector<EntityKind> EntityTable::Kinds() const {
  std::vector<EntityKind> kinds(rows_.size());
  for (std::size_t node = 0; node < rows_.size(); ++node) kinds[node] = rows_[node].kind;
  return kinds;
}

// ---------------------------------------------------------------- Engine

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(const std::string& db_path) {
  std::unique_ptr<Engine> engine(new Engine());
  engine->path_ = db_path;
  {
    auto store = Store::Open(db_path);
    if (!store.ok()) return store.status();
  }
  if (auto as_of = engine->Meta("stage/ingest/as_of")) {
    engine->as_of_ = DateFromText(*as_of, kNoDate);
  }
  return engine;
}

Engine::~Engine() = default;

void Engine::Progress(std::string_view stage, std::string_view message) const {
  if (progress_) progress_(stage, message);
}

void Engine::InvalidateCaches() {
  entities_.reset();
  graph_.reset();
  restrictions_.reset();
  scores_.reset();
}

std::optional<std::string> Engine::Meta(std::string_view key) const {
  store::OpenOptions options;
  options.read_only = true;
  auto store = Store::Open(path_, options);
  if (!store.ok()) return std::nullopt;
  auto value = (*store)->GetMeta(key);
  if (!value.ok() || !value->has_value()) return std::nullopt;
  return **value;
}

std::string Engine::StageStatus(std::string_view stage) const {
  return Meta(Cat("stage/", stage, "/status")).value_or("");
}

namespace {

// The saved resolver state and the change-log position it was saved at; nullopt when there is
// none or it does not check out (then the resolve runs in full).
absl::StatusOr<std::optional<std::pair<std::uint64_t, std::string>>> LoadResolveState(Store& store) {
  using Result = std::optional<std::pair<std::uint64_t, std::string>>;
  if (!store.HasFamily(kResolveState)) return Result();
  auto meta = store.Get(kResolveState, "meta");
  if (!meta.ok()) return meta.status();
  if (!meta->has_value()) return Result();
  const std::vector<std::string_view> parts = Split(**meta, '\0');
  if (parts.size() != 3) return Result();
  std::uint64_t seq = 0, size = 0, hash = 0;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), seq);
  std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), size);
  std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), hash);
  std::string state;
  state.reserve(size);
  auto scanned = store.ScanPrefix(kResolveState, "c", [&](std::string_view, std::string_view value) {
    state.append(value);
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (state.size() != size || XXH3_64bits(state.data(), state.size()) != hash) return Result();
  return Result(std::pair(seq, std::move(state)));
}

// Adds n (key, value) entries to `loader` in order i = 0..n-1, where make(i, &key, &value)
// writes entry i: the entries are made a batch at a time by parallel tasks (the mention
// families' keys read mention text at random places) while one task adds the batches in order
// (tbb::parallel_pipeline).
template <typename Make>
void LoadInOrder(SstLoader& loader, std::size_t n, Make make) {
  struct Batch {
    std::size_t begin = 0, end = 0;
    std::string bytes;
    std::vector<std::uint32_t> key_end, value_end;
  };
  constexpr std::size_t kBatch = 8192;
  std::size_t next = 0;
  tbb::parallel_pipeline(
      4, tbb::make_filter<void, std::shared_ptr<Batch>>(
             tbb::filter_mode::serial_in_order,
             [&](tbb::flow_control& control) -> std::shared_ptr<Batch> {
               if (next >= n) {
                 control.stop();
                 return nullptr;
               }
               auto batch = std::make_shared<Batch>();
               batch->begin = next;
               batch->end = std::min(n, next + kBatch);
               next = batch->end;
               return batch;
             }) &
             tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
                 tbb::filter_mode::parallel,
                 [&](std::shared_ptr<Batch> batch) {
                   std::string key, value;
                   for (std::size_t i = batch->begin; i < batch->end; ++i) {
                     key.clear();
                     value.clear();
                     make(i, &key, &value);
                     batch->bytes += key;
                     batch->key_end.push_back(static_cast<std::uint32_t>(batch->bytes.size()));
                     batch->bytes += value;
                     batch->value_end.push_back(static_cast<std::uint32_t>(batch->bytes.size()));
                   }
                   return batch;
                 }) &
             tbb::make_filter<std::shared_ptr<Batch>, void>(
                 tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> batch) {
                   const std::string_view bytes = batch->bytes;
                   std::uint32_t at = 0;
                   for (std::size_t k = 0; k < batch->key_end.size(); ++k) {
                     loader.Add(bytes.substr(at, batch->key_end[k] - at),
                                bytes.substr(batch->key_end[k], batch->value_end[k] - batch->key_end[k]));
                     at = batch->value_end[k];
                   }
                 }));
}

absl::Status SaveResolveState(Store& store, std::uint64_t seq, const resolve::Resolver& resolver) {
  auto family = store.Family(kResolveState);
  if (!family.ok()) return family.status();
  SstLoader loader(store, *family);
  // Each piece the resolver hands out is one chunk; the hash is of all the bytes in order (the
  // same value XXH3_64bits gives for the whole).
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hash(XXH3_createState(), &XXH3_freeState);
  XXH3_64bits_reset(hash.get());
  std::uint64_t size = 0, chunk = 0;
  resolver.SaveState([&](std::string_view piece) {
    loader.Add(Cat("c", store::EncodeBigEndian64(chunk++)), piece);
    XXH3_64bits_update(hash.get(), piece.data(), piece.size());
    size += piece.size();
  }, kStateChunk);
  const char zero = '\0';
  loader.Add("meta", Cat(seq, zero, size, zero, XXH3_64bits_digest(hash.get())));
  return loader.Finish();
}

// The records an incremental resolve adds after the old ones: those inserted since `seq`, as
// (kind, record key) in key order; nullopt when a record was deleted since (a full run then).
absl::StatusOr<std::optional<std::vector<std::pair<RecordKind, std::string>>>> InsertedSince(
    Store& store, std::uint64_t seq) {
  using Result = std::optional<std::vector<std::pair<RecordKind, std::string>>>;
  std::vector<std::pair<RecordKind, std::string>> inserted;
  bool deleted = false;
  auto status = store.ReadChanges(seq, [&](const store::Change& change) {
    if (change.op == store::ChangeOp::kDelete) {
      deleted = true;
      return false;
    }
    if (change.op == store::ChangeOp::kInsert) {
      inserted.emplace_back(change.kind, store::RecordKey(change.source, change.rid));
    }
    return true;
  });
  if (!status.ok()) return status;
  if (deleted) return Result();
  std::sort(inserted.begin(), inserted.end());
  inserted.erase(std::unique(inserted.begin(), inserted.end()), inserted.end());
  return Result(std::move(inserted));
}

}  // namespace

absl::StatusOr<StageReport> Engine::Resolve(double match_probability, bool incremental) {
  const double started = Now();
  StageReport report{"resolve", 0, {}, {}};
  PhaseClock clock(report);
  auto opened = Store::OpenStaged(path_);
  if (!opened.ok()) return opened.status();
  Store& store = **opened;
  if (auto ingested = store.GetMeta("stage/ingest/as_of"); !ingested.ok() || !ingested->has_value()) {
    return absl::FailedPreconditionError(Cat(
        "nothing is ingested in ", path_, ": run `creditgraph ingest DATASET --db ", path_,
        "` first"));
  }
  Progress("resolve", "reading mentions");
  resolve::ResolveOptions options;
  options.match_probability = match_probability;
  options.keep_blocking_keys = false;  // resolved once here; the next run resumes from the saved state
  auto resolver = std::make_unique<resolve::Resolver>(options);
  std::uint64_t records = 0;
  // Registry subjects' industries by mention index: the visitor sees the records in the order
  // their mentions are appended, one mention per non-empty side (MentionTable::Add).
  // Industries are few (tens to hundreds of distinct texts for millions of registry records):
  // each kept once, the mentions holding its number.
  std::vector<std::pair<resolve::MentionId, std::uint32_t>> industry_of;
  std::vector<std::string> industry_names{std::string()};  // 0: none
  absl::flat_hash_map<std::string, std::uint32_t> industry_number;
  resolve::MentionId next_mention = 0;
  auto visit = [&](const Record& record) {
    if (!record.subject.empty()) {
      if (record.kind == RecordKind::kRegistry && !record.industry.empty()) {
        auto [it, added] = industry_number.try_emplace(record.industry, static_cast<std::uint32_t>(industry_names.size()));
        if (added) industry_names.push_back(record.industry);
        industry_of.emplace_back(next_mention, it->second);
      }
      ++next_mention;
    }
    if (!record.party.empty()) ++next_mention;
  };
  // Incremental when the last resolve saved its state and no record was deleted since: the old
  // records are read (decoded and normalized in parallel, in key order) and checked against the
  // state, the inserted ones added after them, and only those are blocked and compared.
  const std::uint64_t change_seq = store.LastChangeSeq();
  std::string incremental_note = "full: no saved state";
  bool resumed = false;
  if (incremental) {
    auto saved = LoadResolveState(store);
    if (!saved.ok()) return saved.status();
    if (saved->has_value()) {
      auto inserted = InsertedSince(store, (*saved)->first);
      if (!inserted.ok()) return inserted.status();
      incremental_note = "full: records were deleted since the last resolve";
      if (inserted->has_value()) {
        std::vector<absl::flat_hash_set<std::string>> is_new(kNumRecordKinds);  // by kind: no key copies
        for (const auto& [kind, key] : **inserted) is_new[static_cast<int>(kind)].insert(key);
        Progress("resolve", Cat("incremental: ", (*inserted)->size(), " records inserted since the last resolve"));
        auto read = resolve::AddStoreRecords(store, *resolver, visit, 8192, 32,
                                             [&](RecordKind kind, std::string_view key) {
                                               const auto& keys = is_new[static_cast<int>(kind)];
                                               return !keys.empty() && keys.contains(absl::string_view(key.data(), key.size()));
                                             },
                                             store::RecordFieldMask{store::RecordField::kIndustry});
        if (!read.ok()) return read.status();
        records = *read;
        const std::size_t old_mentions = resolver->mentions().size();
        for (const auto& [kind, key] : **inserted) {
          const std::size_t split = key.find('\0');
          auto record = store.GetRecord(kind, std::string_view(key).substr(0, split),
                                        std::string_view(key).substr(split + 1));
          if (!record.ok()) return record.status();
          if (!record->has_value()) continue;  // gone again: only by a deletion, which resolves in full
          resolver->Add(**record);
          visit(**record);
          ++records;
        }
        clock.Lap("read_mentions");
        const absl::Status restored = resolver->RestoreState((*saved)->second, old_mentions);
        clock.Lap("restore_state");
        if (restored.ok()) {
          resumed = true;
          incremental_note = Cat("incremental: ", (*inserted)->size(), " records inserted");
        } else {  // the state is a cache: anything wrong with it means a full run, not a failure
          incremental_note = Cat("full: ", restored.message());
        }
      }
    }
  } else {
    incremental_note = "full: asked for";
  }
  if (!resumed) {
    resolver = std::make_unique<resolve::Resolver>(options);
    industry_of.clear();
    next_mention = 0;
    // Decoded and normalized in parallel (resolve::AddStoreRecords), in key order.
    auto read = resolve::AddStoreRecords(store, *resolver, visit, 8192, 32, {},
                                         store::RecordFieldMask{store::RecordField::kIndustry});
    if (!read.ok()) return read.status();
    records = *read;
    clock.Lap("read_mentions");
  }
  if (next_mention != resolver->mentions().size()) {
    return absl::InternalError(Cat("resolve: ", next_mention, " mentions counted but ",
                                   resolver->mentions().size(), " in the table"));
  }
  if (auto capacity = resolve::Resolver::CheckCapacity(resolver->mentions().size()); !capacity.ok()) return capacity;
  Progress("resolve", Cat(records, " records, ", resolver->mentions().size(), " mentions; linking (",
                          incremental_note, ")"));
  const resolve::ResolveStats stats = resolver->Resolve();
  clock.Lap("link");

  std::size_t persons = 0;
  ChunkedWriter writer(store);
  // The four families are rewritten whole: dropped and created anew in the staged copy, so that
  // the sorted files below land on the bottom level, not over range deletions in L0 (a re-resolve
  // then paid a compaction of all three mention families: 12 s of 40 at SF=0.01 under load).
  for (std::string_view family : {kEntities, kMentions, kEntityMentions, kResolveState}) {
    if (auto status = store.DropFamily(family); !status.ok()) return status;
  }
  // The state streamed into its family as the resolver makes it (never held whole), then the
  // linking state freed: only the mentions and their entities are written from here on.
  if (auto status = SaveResolveState(store, change_seq, *resolver); !status.ok()) return status;
  resolver->ReleaseLinking();
  clock.Lap("save_state");
  const resolve::MentionTable& table = resolver->mentions();
  const std::vector<NodeId>& entity_of = resolver->entity_of();
  const std::vector<std::string>& entity_ids = resolver->entity_ids();
  std::vector<std::uint32_t> industries(entity_ids.size(), 0);  // numbers in industry_names
  for (const auto& [m, industry] : industry_of) {
    if (entity_of[m] != kNoNode) industries[entity_of[m]] = industry;
  }
  decltype(industry_of)().swap(industry_of);
  // Entities, then the two mention families (two keys per mention), go in as SST files in key
  // order (summaries are in entity-id order) into the families created anew above.
  if (auto status = writer.Flush(); !status.ok()) return status;
  {
    auto entities_family = store.Family(kEntities);
    if (!entities_family.ok()) return entities_family.status();
    SstLoader entity_loader(store, *entities_family);
    // Summaries streamed a block at a time (not all held: a province has millions of entities).
    resolver->ForEachEntity([&](NodeId node, const resolve::EntitySummary& summary) {
      EntityRow row{summary.id,       summary.kind,   summary.name,  summary.uscc,
                    summary.org_code, summary.reg_no, summary.id_no, summary.region,
                    summary.mentions, industry_names[industries[node]]};
      entity_loader.Add(summary.id, EncodeEntity(row, node));
      persons += summary.kind == EntityKind::kPerson;
    });
    if (auto status = entity_loader.Finish(); !status.ok()) return status;
  }
  clock.Lap("write_entities");
  auto mentions_family = store.Family(kMentions);
  if (!mentions_family.ok()) return mentions_family.status();
  auto by_entity_family = store.Family(kEntityMentions);
  if (!by_entity_family.ok()) return by_entity_family.status();
  // Both families are written in their key order (a parallel sort here, cheap next to a
  // compaction): the loaders' files then do not overlap, and in the new families they go to the
  // bottom level as they are. mentions: source \0 rid \0 role; entity_mentions: entity id (whose
  // order is the NodeId order) \0 kind \0 the mention key.
  std::vector<resolve::MentionId> order;
  order.reserve(table.size());
  for (resolve::MentionId m = 0; m < table.size(); ++m) {
    if (entity_of[m] != kNoNode) order.push_back(m);
  }
  auto role_char = [&](resolve::MentionId m) { return table.role[m] == Role::kSubject ? 's' : 'p'; };
  const auto key_less = [&](resolve::MentionId a, resolve::MentionId b) {
    if (const int c = table.Source(a).compare(table.Source(b)); c != 0) return c < 0;
    if (const int c = table.rid[a].compare(table.rid[b]); c != 0) return c < 0;
    return role_char(a) < role_char(b);
  };
  // A record's subject is added before its party ('s' > 'p'): the two sides swap first.
  for (std::size_t i = 1; i < order.size(); ++i) {
    const resolve::MentionId a = order[i - 1], b = order[i];
    if (table.source[a] == table.source[b] && role_char(a) > role_char(b) && table.rid[a] == table.rid[b]) {
      std::swap(order[i - 1], order[i]);
    }
  }
  // Each record family is read in key order, one after another: a few sorted runs, merged.
  const std::size_t runs = resolve::MergeRuns(order, key_less);
  clock.Lap(Cat("write_mentions: order (", runs, " runs)"));
  SstLoader mention_loader(store, *mentions_family);
  LoadInOrder(mention_loader, order.size(), [&](std::size_t i, std::string* key, std::string* value) {
    const resolve::MentionId m = order[i];
    *key = MentionKey(table.Source(m), table.rid[m], table.role[m]);
    *value = EncodeNode(entity_of[m]);
  });
  if (auto status = mention_loader.Finish(); !status.ok()) return status;
  clock.Lap("write_mentions: by mention");
  struct ByEntity {
    NodeId entity;
    char kind;
    std::uint32_t rank;  // position in mention-key order
  };
  std::vector<ByEntity> by_entity_order(order.size());
  tbb::parallel_for(std::size_t{0}, order.size(), [&](std::size_t i) {
    const resolve::MentionId m = order[i];
    by_entity_order[i] = {entity_of[m], char('a' + int(table.record_kind[m])), std::uint32_t(i)};
  });
  // (entity, kind, rank): the top 32 bits of the bucket key are the entity, spread over its range.
  resolve::BucketSort(
      by_entity_order,
      [](const ByEntity& x) {
        return (std::uint64_t{x.entity} << 32) | (std::uint64_t{static_cast<unsigned char>(x.kind)} << 24) |
               (x.rank >> 8);
      },
      [](const ByEntity& x, const ByEntity& y) {
        return std::tie(x.entity, x.kind, x.rank) < std::tie(y.entity, y.kind, y.rank);
      });
  clock.Lap("write_mentions: by entity sorted");
  SstLoader by_entity_loader(store, *by_entity_family);
  LoadInOrder(by_entity_loader, by_entity_order.size(), [&](std::size_t i, std::string* key, std::string*) {
    const ByEntity& item = by_entity_order[i];
    const resolve::MentionId m = order[item.rank];
    // entity \0 kind \0 source \0 rid \0 role: the records of an entity by prefix scan.
    key->assign(entity_ids[item.entity]);
    key->push_back('\0');
    key->push_back(item.kind);
    key->push_back('\0');
    *key += MentionKey(table.Source(m), table.rid[m], table.role[m]);
  });
  if (auto status = by_entity_loader.Finish(); !status.ok()) return status;
  clock.Lap("write_mentions");
  report.figures = {{"records", double(records)},
                    {"mentions", double(stats.mentions)},
                    {"entities", double(stats.entities)},
                    {"persons", double(persons)},
                    {"organizations", double(stats.entities - persons)},
                    {"comparisons", double(stats.comparisons)},
                    {"key_links", double(stats.key_links)},
                    {"probabilistic_links", double(stats.accepted_links)},
                    {"refused_links", double(stats.refused_links)},
                    {"ambiguous_mentions", double(stats.ambiguous_mentions)},
                    {"sole_candidate_links", double(stats.unique_candidate_links)},
                    {"decided_by_other_side", double(stats.decided_by_other_side)},
                    {"decided_by_written_name", double(stats.written_name_links)},
                    {"skipped_blocks", double(stats.skipped_blocks)},
                    {"block_entries", double(stats.block_entries)},
                    {"incremental", resumed ? 1.0 : 0.0},
                    {"new_mentions", double(stats.new_mentions)},
                    {"crossed_blocks", double(stats.crossed_blocks)},
                    {"dropped_pairs", double(stats.dropped_pairs)}};
  report.seconds = Now() - started;
  if (auto status = writer.PutMeta("stage/resolve/run", RunId()); !status.ok()) return status;
  if (auto status = writer.PutMeta("stage/resolve/mode", incremental_note); !status.ok()) return status;
  if (auto status = MarkStage(writer, "resolve", report); !status.ok()) return status;
  if (auto status = writer.Flush(); !status.ok()) return status;
  if (auto status = store.Commit(); !status.ok()) return status;
  clock.Lap("commit");
  InvalidateCaches();
  return report;
}

absl::StatusOr<StageReport> Engine::BuildGraph() {
  const double started = Now();
  StageReport report{"graph", 0, {}, {}};
  PhaseClock clock(report);
  auto inputs = OpenStageInputs(path_, "graph", stage_cache_);
  if (!inputs.ok()) return inputs.status();
  Store& store = *inputs->store;
  const StageEntities& entities = *inputs->entities;
  clock.Lap("open_and_entities");
  Progress("graph", "collecting relations");
  std::vector<related::StatedEdge> edges;
  std::uint64_t unresolved = 0;
  auto status = ForEachRecordOf(
      *inputs, stage_cache_, clock,
      {RecordKind::kRegistry, RecordKind::kOfficer, RecordKind::kShareholder, RecordKind::kBranch,
       RecordKind::kGuarantee},
      // what the visitor below reads: the kind, whether a party is named, role, ratio, amount
      store::RecordFieldMask{store::RecordField::kKind, store::RecordField::kRole,
                             store::RecordField::kRatio, store::RecordField::kAmount} |
          store::RecordFieldMask::PartyKeys(),
      [&](const Record& record, NodeId from, NodeId to) {
        if (record.party.empty()) return;
        if (from == kNoNode || to == kNoNode) {
          ++unresolved;
          return;
        }
        related::StatedEdge edge{from, to, EdgeLabel::kLegalRep, 0, 0.0f};
        switch (record.kind) {
          case RecordKind::kRegistry:
            edge.label = EdgeLabel::kLegalRep;
            break;
          case RecordKind::kOfficer:
            edge.label = EdgeLabel::kOfficer;
            edge.tag = Tag(record.role);
            break;
          case RecordKind::kShareholder:
            edge.label = EdgeLabel::kShareholder;
            // Unknown (not given, or flagged bad at ingest) is NaN: no value filter of a reach
            // pattern matches it (docs/graph.md), and the majority walk skips it.
            edge.value = record.ratio ? float(*record.ratio) : std::numeric_limits<float>::quiet_NaN();
            break;
          case RecordKind::kBranch:
            edge.label = EdgeLabel::kBranch;
            break;
          case RecordKind::kGuarantee:
            edge.label = EdgeLabel::kGuarantee;
            edge.value = record.amount ? float(*record.amount) : std::numeric_limits<float>::quiet_NaN();
            break;
          default:
            return;
        }
        edges.push_back(edge);
      });
  if (!status.ok()) return status;
  clock.Lap("relations");
  Progress("graph", Cat(edges.size(), " stated relations; building the CSR"));
  auto built = related::BuildRelatedGraph(entities.kinds(), edges);
  if (!built.ok()) return built.status();
  clock.Lap("build_csr");
  if (auto saved = related::SaveGraph(store, built->graph); !saved.ok()) return saved;
  clock.Lap("save");

  std::vector<std::uint64_t> by_label(kNumEdgeLabels, 0);
  for (Label label : built->graph.labels()) ++by_label[label];
  report.figures.push_back({"nodes", double(built->graph.num_nodes())});
  report.figures.push_back({"edges", double(built->graph.num_edges())});
  for (int label = 0; label < kNumEdgeLabels; ++label) {
    report.figures.push_back(
        {Cat("edges_", ToString(EdgeLabel(label))), double(by_label[label])});
  }
  report.figures.push_back({"derived_controllers", double(built->derived_controllers)});
  report.figures.push_back({"unresolved_relations", double(unresolved)});
  auto published = Publish(store, report, started, clock, *inputs, stage_cache_);
  if (published.ok()) InvalidateCaches();
  return published;
  return report;
}

absl::StatusOr<StageReport> Engine::Propagate(std::string measures_yaml) {
  const double started = Now();
  if (measures_yaml.empty()) {
    measures_yaml = Meta("stage/propagate/catalog").value_or(std::string(DefaultMeasuresYaml()));
  }
  auto catalog = measures::ParseCatalog(measures_yaml);
  if (!catalog.ok()) return catalog.status();
  StageReport report{"propagate", 0, {}, {}};
  PhaseClock clock(report);
  auto inputs = OpenStageInputs(path_, "propagate", stage_cache_);
  if (!inputs.ok()) return inputs.status();
  Store& store = *inputs->store;
  const StageEntities& entities = *inputs->entities;
  if (auto graph_done = store.GetMeta("stage/graph/status");
      !graph_done.ok() || !graph_done->has_value()) {
    return absl::FailedPreconditionError(Cat(
        "propagation walks the related-party graph: run `creditgraph build-graph --db ", path_,
        "` first"));
  }
  auto graph = related::LoadGraph(store);
  if (!graph.ok()) return graph.status();
  clock.Lap("open_entities_graph");

  Progress("propagate", "collecting triggers");
  measures::TriggerInputs triggers;
  triggers.keys_unique = true;  // the store keys each kind's records by (source, rid)
  auto status = ForEachRecordOf(
      *inputs, stage_cache_, clock, {RecordKind::kList, RecordKind::kPenalty, RecordKind::kRating},
      // what ListEntryFromRecord, PenaltyEventFromRecord and RatingEventFromRecord read
      // (core/measures: list_activity.cc, propagate.cc) besides the subject NodeId
      store::RecordFieldMask{store::RecordField::kKind, store::RecordField::kSource,
                             store::RecordField::kRid, store::RecordField::kList,
                             store::RecordField::kListedOn, store::RecordField::kRemovedOn,
                             store::RecordField::kDisputed, store::RecordField::kSeverity,
                             store::RecordField::kDomain, store::RecordField::kDecidedOn,
                             store::RecordField::kScheme, store::RecordField::kGrade,
                             store::RecordField::kRatedOn},
      [&](const Record& record, NodeId subject, NodeId) {
        if (subject == kNoNode) return;
        switch (record.kind) {
          case RecordKind::kList:
            triggers.lists.push_back(measures::ListEntryFromRecord(record, subject));
            break;
          case RecordKind::kPenalty:
            triggers.penalties.push_back(measures::PenaltyEventFromRecord(record, subject));
            break;
          default:
            triggers.ratings.push_back(measures::RatingEventFromRecord(record, subject));
            break;
        }
      });
  if (!status.ok()) return status;
  clock.Lap("triggers");
  // The related-party graph the score stage reads (saved below with the restriction pieces).
  const scoring::RelatedGraph related = scoring::RelatedGraph::FromCsr(*graph);
  clock.Lap("related_graph");
  const std::size_t trigger_records =
      triggers.lists.size() + triggers.penalties.size() + triggers.ratings.size();
  Progress("propagate", Cat(trigger_records, " trigger records; propagating"));
  measures::MeasureEngine measure_engine(*catalog, std::move(*graph), entities.kinds());
  measure_engine.Propagate(std::move(triggers));
  clock.Lap("propagate");

  ChunkedWriter writer(store);
  if (auto cleared = writer.Clear(kRestrictions); !cleared.ok()) return cleared;
  const std::vector<measures::Restriction> restrictions = measure_engine.Restrictions();
  absl::flat_hash_map<std::string, std::uint64_t> by_measure;
  std::uint64_t sequence = 0;
  for (const measures::Restriction& restriction : restrictions) {
    const measures::Measure& measure = catalog->measures[restriction.measure];
    RestrictionRow row;
    row.entity = restriction.entity;
    row.measure = measure.id;
    row.name = measure.name;
    row.effect = std::string(measures::ToString(restriction.effect));
    row.domain = measure.domain;
    row.basis = measure.basis;
    row.trigger_source = restriction.trigger->source;
    row.trigger_rid = restriction.trigger->rid;
    row.trigger_entity = restriction.trigger->subject;
    row.path = measure_engine.PathText(
        restriction, [&](NodeId node) { return std::string(entities.id(node)); });
    row.start = restriction.start;
    row.end = restriction.end;
    row.withheld = restriction.withheld;
    if (!row.withheld) ++by_measure[measure.id];
    std::string key(entities.id(restriction.entity));
    key.push_back('\0');
    key += store::EncodeBigEndian64(sequence++);
    if (auto put = writer.Put(kRestrictions, key, EncodeRestriction(row, row.trigger_entity == kNoNode ? std::string_view()
                                                      : entities.id(row.trigger_entity)));
        !put.ok()) {
      return put;
    }
  }
  // The pieces a score run counts at its as_of (fact_columns.h), so that it reads 17 bytes a
  // restriction instead of parsing the rows above.
  if (auto cleared = writer.ClearRange(kScoreInputs, kRestrictionPiecesPrefix, "restrictions0");
      !cleared.ok()) {
    return cleared;
  }
  for (const auto& [key, value] : EncodeRestrictionPieces(scoring::RestrictionPieces(restrictions))) {
    if (auto put = writer.Put(kScoreInputs, key, value); !put.ok()) return put;
  }
  if (auto cleared = writer.ClearRange(kScoreInputs, kRelatedGraphPrefix, "related0");
      !cleared.ok()) {
    return cleared;
  }
  for (const auto& [key, value] : EncodeRelatedGraph(related)) {
    if (auto put = writer.Put(kScoreInputs, key, value); !put.ok()) return put;
  }
  clock.Lap("write");
  report.figures.push_back({"trigger_records", double(trigger_records)});
  report.figures.push_back({"restrictions", double(restrictions.size())});
  std::vector<std::pair<std::string, std::uint64_t>> sorted(by_measure.begin(), by_measure.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [measure, count] : sorted) {
    report.figures.push_back({Cat("measure_", measure), double(count)});
  }
  std::size_t key_supervised = 0;
  for (NodeId node = 0; node < entities.size(); ++node) {
    key_supervised += measure_engine.IsKeySupervised(node, inputs->as_of);
  }
  report.figures.push_back({"key_supervised_at_as_of", double(key_supervised)});
  if (auto put = writer.PutMeta("stage/propagate/catalog", measures_yaml); !put.ok()) return put;
  if (auto flushed = writer.Flush(); !flushed.ok()) return flushed;
  auto published = Publish(store, report, started, clock, *inputs, stage_cache_);
  if (published.ok()) InvalidateCaches();
  return published;
  return report;
}

namespace {

// Restriction counts at as_of from the stored restriction rows (only the key's entity and the
// value's measure, effect, dates and withheld flag are read), for databases propagated before
// the propagate stage saved its restriction pieces. Rows are keyed entity \0 sequence, so one
// entity's rows are contiguous: its (effect, measure) pairs are gathered, sorted and counted
// when the entity changes.
absl::StatusOr<std::vector<scoring::RestrictionCount>> RestrictionCountsFromRows(
    Store& store, const StageEntities& entities, Date score_as_of) {
  std::vector<scoring::RestrictionCount> counts;
  std::vector<std::pair<int, std::string>> active;  // (effect, measure) of the current entity
  std::string last_id;
  NodeId last_node = kNoNode;
  auto flush = [&] {
    if (last_node == kNoNode || active.empty()) return;
    std::sort(active.begin(), active.end());
    active.erase(std::unique(active.begin(), active.end()), active.end());
    for (std::size_t at = 0; at < active.size();) {
      std::size_t next = at;
      while (next < active.size() && active[next].first == active[at].first) ++next;
      counts.push_back({last_node, scoring::Effect(active[at].first), std::uint32_t(next - at)});
      at = next;
    }
  };
  auto scanned = store.ScanPrefix(kRestrictions, "", [&](std::string_view key,
                                                         std::string_view value) {
    const std::string_view entity_id = key.substr(0, key.find('\0'));
    if (entity_id != last_id) {
      flush();
      active.clear();
      last_id.assign(entity_id);
      last_node = entities.Find(entity_id);
    }
    if (last_node == kNoNode) return true;
    std::string_view fields[12];
    std::size_t count = 0;
    for (std::size_t begin = 0; count < 12;) {
      const std::size_t end = value.find(kField, begin);
      fields[count++] = value.substr(begin, end == std::string_view::npos ? end : end - begin);
      if (end == std::string_view::npos) break;
      begin = end + 1;
    }
    if (fields[11] == "1") return true;  // withheld
    RestrictionRow row;
    row.start = DateFromText(fields[9], kNoDate);
    row.end = DateFromText(fields[10], kForever);
    if (!row.ActiveAt(score_as_of)) return true;
    const std::string_view effect = fields[2];
    const int code = effect == "punish" ? 0 : effect == "reward" ? 1 : 2;
    active.emplace_back(code, std::string(fields[0]));
    return true;
  });
  if (!scanned.ok()) return scanned;
  flush();
  return counts;
}

}  // namespace

absl::StatusOr<StageReport> Engine::Score(std::string model_yaml, std::optional<Date> as_of) {
  const double started = Now();
  StageReport report{"score", 0, {}, {}};
  PhaseClock clock(report);
  if (model_yaml.empty()) {
    model_yaml = Meta("stage/score/model").value_or(std::string(DefaultModelYaml()));
  }
  auto model = scoring::ParseModel(model_yaml);
  if (!model.ok()) return model.status();
  if (as_of) model->as_of = as_of;
  auto catalog = measures::ParseCatalog(
      Meta("stage/propagate/catalog").value_or(std::string(DefaultMeasuresYaml())));
  if (!catalog.ok()) return catalog.status();

  auto inputs = OpenStageInputs(path_, "score", stage_cache_, /*kinds_only=*/true);
  if (!inputs.ok()) return inputs.status();
  Store& store = *inputs->store;
  const StageEntities& entities = *inputs->entities;
  for (std::string_view stage : {"graph", "propagate"}) {
    auto done = store.GetMeta(Cat("stage/", stage, "/status"));
    if (!done.ok() || !done->has_value() || **done != "done") {
      return absl::FailedPreconditionError(Cat(
          "scoring reads the ", stage, " stage's output, which is missing or stale: run `creditgraph ",
          stage == "graph" ? "build-graph" : "propagate", " --db ", path_, "` first"));
    }
  }
  const Date score_as_of = model->as_of.value_or(inputs->as_of);
  if (score_as_of == kNoDate) {
    // Scoring at no date would count nothing as active and grade every organization alike.
    return absl::FailedPreconditionError(Cat(
        "no date to score at: the data set's catalog.yaml has no as_of, and neither the model's "
        "as_of nor --as-of gives one; add `as_of: YYYY-MM-DD` to catalog.yaml and ingest again, "
        "or run `creditgraph score --db ", path_, " --as-of YYYY-MM-DD`"));
  }
  clock.Lap("open_entities_graph");

  Progress("score", "collecting facts");
  // Every fact kind's NodeId and fact columns (saved by the stage that first scanned the kind in
  // this resolve run, else derived now by a scan decoding FactFields() only), the related graph
  // and the restriction pieces propagate saved: read as concurrent tasks, so the reads and a
  // first score's derivations overlap. Then added to the input serially in kind order, which
  // fixes the interned codes (hence the facts' order and every sum): AddBatch of a kind's
  // columns is Add of its records row by row (tested).
  constexpr std::array<RecordKind, 6> kFactKinds = {
      RecordKind::kRegistry, RecordKind::kList,       RecordKind::kPenalty,
      RecordKind::kLicense,  RecordKind::kCommitment, RecordKind::kRating};
  std::array<KindColumns, kFactKinds.size()> columns;
  std::optional<scoring::RelatedGraph> related;
  std::optional<std::vector<scoring::RestrictionPiece>> pieces;
  absl::Status related_status, pieces_status;
  {
    const auto scan_score_inputs =
        [&store](std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& visit) {
          return store.ScanPrefix(kScoreInputs, prefix, visit);
        };
    const bool has_score_inputs = store.HasFamily(kScoreInputs);
    tbb::task_group group;
    for (std::size_t index = 0; index < kFactKinds.size(); ++index) {
      group.run([&, index] {
        columns[index] = ReadKindColumns(*inputs, stage_cache_, kFactKinds[index]);
      });
    }
    if (has_score_inputs) {
      group.run([&] {
        auto saved = DecodeRelatedGraph(scan_score_inputs);
        if (!saved.ok()) {
          related_status = saved.status();
        } else {
          related = std::move(*saved);
        }
      });
      group.run([&] {
        auto saved = DecodeRestrictionPieces(scan_score_inputs);
        if (!saved.ok()) {
          pieces_status = saved.status();
        } else {
          pieces = std::move(*saved);
        }
      });
    }
    group.wait();
  }
  if (!related_status.ok()) return related_status;
  if (!pieces_status.ok()) return pieces_status;
  clock.Lap("read_columns");
  scoring::ScoringParams params;
  params.max_years = catalog->max_years;
  params.escalations = catalog->escalations;
  for (const measures::ListDecl& declared : catalog->lists) {
    params.lists.push_back({declared.code, declared.polarity, declared.domain});
  }
  params.keep_region_industry = false;  // the stored scores do not carry them
  scoring::ScoringInput input(params);
  const std::vector<EntityKind>& kinds = entities.kinds();
  input.SetKinds(kinds);
  // The columns stay cached for a later score run of this engine (another model or as_of),
  // unless the province is large: beside the scoring input they would hold ~1 GB through the
  // batch at SF=1 (26 + 8 bytes a row), so above kCachedFactRows they are released as soon as
  // they are in the input and a later run reads them again (derived ones are kept until the
  // commit saves them).
  constexpr std::size_t kCachedFactRows = std::size_t{8} << 20;  // SF=0.1: 3.1M rows
  std::size_t fact_rows = 0;
  for (const KindColumns& kind : columns) {
    if (!kind.status.ok()) return kind.status;
    fact_rows += kind.nodes->size();
  }
  for (std::size_t index = 0; index < kFactKinds.size(); ++index) {
    KindColumns& kind = columns[index];
    const auto slot = static_cast<int>(kFactKinds[index]);
    if (kind.derived_nodes) inputs->derived.push_back(kFactKinds[index]);
    if (kind.derived_facts) inputs->derived_facts.push_back(kFactKinds[index]);
    input.AddBatch(kind.facts->Batch(kind.nodes->subject));
    const bool keep = fact_rows <= kCachedFactRows;
    stage_cache_.nodes[slot] = keep || kind.derived_nodes ? kind.nodes : nullptr;
    stage_cache_.facts[slot] = keep || kind.derived_facts ? kind.facts : nullptr;
    kind = KindColumns();
    clock.Lap(Cat("facts_", ToString(kFactKinds[index])));
  }
  input.SetKinds(kinds);
  clock.Lap("facts");
  // The related-party graph the propagate stage saved (a database propagated before it was
  // saved: built from the engine graph).
  if (related && related->num_nodes() == entities.size()) {
    input.SetRelatedGraph(std::move(*related));
  } else {
    auto graph = related::LoadGraph(store);
    if (!graph.ok()) return graph.status();
    input.SetRelatedGraph(*graph);
  }
  related.reset();
  clock.Lap("related_graph");

  // Restriction counts at as_of: distinct measures per (entity, effect), from the pieces the
  // propagate stage saved (a database propagated before they were saved: from the rows).
  if (pieces) {
    input.SetRestrictions(scoring::RestrictionCountsAt(*pieces, score_as_of));
    pieces.reset();
  } else {
    std::shared_ptr<const StageEntities> with_ids = inputs->entities;
    if (!with_ids->has_ids()) {  // rows name entities by id: the ids are needed after all
      auto saved = LoadSavedStageEntities(store, inputs->run);
      if (!saved.ok()) return saved.status();
      if (!saved->has_value()) {
        return absl::DataLossError(
            "the saved entities changed during the score stage: run `creditgraph score` again");
      }
      with_ids = std::make_shared<const StageEntities>(std::move(**saved));
    }
    auto counts = RestrictionCountsFromRows(store, *with_ids, score_as_of);
    if (!counts.ok()) return counts.status();
    input.SetRestrictions(*counts);
  }
  clock.Lap("restrictions");

  Progress("score", "scoring every organization");
  scoring::Scorer scorer(*model, std::move(input), inputs->as_of);
  // Compact binary rows (score_codec.h) in chunks, encoded as the batch makes them (the table
  // of every organization's values is never held: ~2 GB at SF=1); the explanation is
  // recomputed from the stored model when read (scoring::Explain).
  std::vector<std::pair<std::string, std::string>> chunks(
      (scorer.input().Organizations().size() + kScoreChunkRows - 1) / kScoreChunkRows);
  std::vector<std::atomic<std::uint64_t>> by_grade_counts(model->grades.size());
  const std::size_t scored = scorer.ScoreAllChunked(
      kScoreChunkRows, [&](std::size_t chunk, const scoring::ScoreTable& rows) {
        std::vector<std::uint64_t> counts(by_grade_counts.size(), 0);
        for (std::size_t row = 0; row < rows.size(); ++row) ++counts[std::size_t(rows.grade[row])];
        for (std::size_t grade = 0; grade < counts.size(); ++grade) {
          if (counts[grade] > 0) by_grade_counts[grade].fetch_add(counts[grade]);
        }
        chunks[chunk] = {ScoreChunkKey(rows.entity.back()), EncodeScoreChunk(rows, 0, rows.size())};
      });
  clock.Lap("score_all");

  ChunkedWriter writer(store);
  if (auto cleared = writer.Clear(kScores); !cleared.ok()) return cleared;
  for (auto& [key, value] : chunks) {  // each chunk released once in the store's memtable
    if (auto put = writer.Put(kScores, key, value); !put.ok()) return put;
    std::string().swap(value);
  }
  chunks = {};
  std::vector<std::uint64_t> by_grade(model->grades.size(), 0);
  for (std::size_t grade = 0; grade < by_grade.size(); ++grade) by_grade[grade] = by_grade_counts[grade];
  clock.Lap("write");
  report.figures.push_back({"scored", double(scored)});
  std::vector<std::pair<std::string, std::uint64_t>> grades;
  for (std::size_t grade = 0; grade < by_grade.size(); ++grade) {
    if (by_grade[grade] > 0) grades.emplace_back(model->grades[grade].grade, by_grade[grade]);
  }
  std::sort(grades.begin(), grades.end());
  for (const auto& [grade, count] : grades) {
    report.figures.push_back({Cat("grade_", grade), double(count)});
  }
  if (auto put = writer.PutMeta("stage/score/model", model_yaml); !put.ok()) return put;
  if (auto put = writer.PutMeta("stage/score/as_of", FormatDate(scorer.as_of())); !put.ok()) {
    return put;
  }
  if (auto put = writer.PutMeta("stage/score/format", kScoreFormat); !put.ok()) return put;
  if (auto flushed = writer.Flush(); !flushed.ok()) return flushed;
  auto published = Publish(store, report, started, clock, *inputs, stage_cache_);
  if (published.ok()) InvalidateCaches();
  return published;
}

// ---------------------------------------------------------------- answers

namespace {
absl::StatusOr<std::unique_ptr<Store>> OpenReader(const std::string& path) {
  store::OpenOptions options;
  options.read_only = true;
  return Store::Open(path, options);
}

/// The model the stored scores were computed with when they are stored as binary rows
/// (meta stage/score/format 2); nullptr for the text rows of format 1.
absl::StatusOr<std::shared_ptr<const scoring::Model>> StoredScoreModel(Store& store) {
  auto format = store.GetMeta("stage/score/format");
  if (!format.ok()) return format.status();
  if (!format->has_value() || **format != kScoreFormat) {
    return std::shared_ptr<const scoring::Model>();
  }
  auto yaml = store.GetMeta("stage/score/model");
  if (!yaml.ok()) return yaml.status();
  if (!yaml->has_value()) {
    return absl::DataLossError("the scores' model is missing from meta: run `creditgraph score` again");
  }
  auto model = scoring::ParseModel(**yaml);
  if (!model.ok()) return model.status();
  return std::make_shared<const scoring::Model>(std::move(*model));
}
}  // namespace

absl::Status Engine::LoadEntities() {
  if (entities_) return absl::OkStatus();
  auto store = OpenReader(path_);
  if (!store.ok()) return store.status();
  auto table = ReadEntities(**store);
  if (!table.ok()) return table.status();
  entities_ = std::move(*table);
  return absl::OkStatus();
}

absl::StatusOr<const EntityTable*> Engine::Entities() {
  if (auto status = LoadEntities(); !status.ok()) return status;
  return entities_.get();
}

absl::StatusOr<const CsrGraph*> Engine::Graph() {
  if (!graph_) {
    auto store = OpenReader(path_);
    if (!store.ok()) return store.status();
    auto graph = related::LoadGraph(**store);
    if (!graph.ok()) return graph.status();
    graph_ = std::make_unique<CsrGraph>(std::move(*graph));
  }
  return graph_.get();
}

absl::StatusOr<NodeId> Engine::Lookup(std::string_view key) {
  if (auto status = LoadEntities(); !status.ok()) return status;
  NodeId node = entities_->Find(key);
  if (node == kNoNode) {
    // Accept the input forms people type: lower case, full-width, hyphenated org codes.
    std::string normalized;
    for (char c : key) {
      if (c == '-' || c == ' ') continue;
      normalized.push_back(c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c);
    }
    node = entities_->Find(normalized);
    // Full-width characters (９１３７…), other dashes and blanks: the identifiers' own
    // normalization (core/ids).
    if (node == kNoNode) {
      const NormalizedCode code = NormalizeCode(key);
      if (!code.view().empty() && !code.overflow && !code.non_ascii) {
        normalized = std::string(code.view());
        node = entities_->Find(normalized);
      }
    }
    // The old 15-digit form of a resident ID number (catalog.md §3), stored upgraded to 18.
    if (node == kNoNode && normalized.size() == 15 &&
        std::all_of(normalized.begin(), normalized.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const std::string upgraded = UpgradeIdNumber15To18(normalized);
      if (!upgraded.empty()) node = entities_->Find(upgraded);
    }
  }
  if (node == kNoNode) {
    return absl::NotFoundError(Cat(
        "no entity has the key '", key,
        "' (give an entity id, a USCC, an organization code, a registration number or an ID "
        "number; search by name with find)"));
  }
  return node;
}

absl::Status Engine::ForEachMention(
    const std::function<void(std::string_view, std::string_view, Role, NodeId)>& visit) {
  if (auto status = LoadEntities(); !status.ok()) return status;
  auto store = OpenReader(path_);
  if (!store.ok()) return store.status();
  return (*store)->ScanPrefix(kMentions, "", [&](std::string_view key, std::string_view value) {
    const std::size_t first = key.find('\0');
    const std::size_t second = key.find('\0', first + 1);
    visit(key.substr(0, first), key.substr(first + 1, second - first - 1),
          key.back() == 's' ? Role::kSubject : Role::kParty, DecodeNode(value));
    return true;
  });
}

absl::StatusOr<std::vector<std::pair<Record, Role>>> Engine::RecordsOf(NodeId entity) {
  if (auto status = LoadEntities(); !status.ok()) return status;
  if (entity >= entities_->size()) return absl::NotFoundError("no such entity");
  auto store = OpenReader(path_);
  if (!store.ok()) return store.status();
  std::vector<std::pair<Record, Role>> out;
  std::string prefix = (*entities_)[entity].id;
  prefix.push_back('\0');
  absl::Status failure = absl::OkStatus();
  auto status = (*store)->ScanPrefix(kEntityMentions, prefix, [&](std::string_view key,
                                                                   std::string_view) {
    std::string_view rest = key.substr(prefix.size());
    const RecordKind kind = RecordKind(rest[0] - 'a');
    rest.remove_prefix(2);
    const std::size_t first = rest.find('\0');
    const std::size_t second = rest.find('\0', first + 1);
    auto record = (*store)->GetRecord(kind, rest.substr(0, first),
                                      rest.substr(first + 1, second - first - 1));
    if (!record.ok()) {
      failure = record.status();
      return false;
    }
    if (record->has_value()) {
      out.emplace_back(std::move(**record), rest.back() == 's' ? Role::kSubject : Role::kParty);
    }
    return true;
  });
  if (!status.ok()) return status;
  if (!failure.ok()) return failure;
  return out;
}

absl::StatusOr<std::vector<RestrictionRow>> Engine::Restrictions() {
  if (!restrictions_) {
    if (auto status = LoadEntities(); !status.ok()) return status;
    auto store = OpenReader(path_);
    if (!store.ok()) return store.status();
    auto rows = std::make_unique<std::vector<RestrictionRow>>();
    auto status = (*store)->ScanPrefix(kRestrictions, "", [&](std::string_view key,
                                                              std::string_view value) {
      rows->push_back(
          DecodeRestriction(entities_->Find(key.substr(0, key.find('\0'))), value, *entities_));
      return true;
    });
    if (!status.ok()) return status;
    restrictions_ = std::move(rows);
  }
  return *restrictions_;
}

absl::StatusOr<std::vector<RestrictionRow>> Engine::RestrictionsOf(NodeId entity) {
  if (auto status = LoadEntities(); !status.ok()) return status;
  if (entity >= entities_->size()) return absl::NotFoundError("no such entity");
  auto store = OpenReader(path_);
  if (!store.ok()) return store.status();
  std::vector<RestrictionRow> rows;
  std::string prefix = (*entities_)[entity].id;
  prefix.push_back('\0');
  auto status = (*store)->ScanPrefix(kRestrictions, prefix, [&](std::string_view,
                                                                std::string_view value) {
    rows.push_back(DecodeRestriction(entity, value, *entities_));
    return true;
  });
  if (!status.ok()) return status;
  return rows;
}

absl::StatusOr<std::pair<bool, std::vector<RestrictionRow>>> Engine::Check(
    NodeId entity, std::string_view domain, Date date) {
  auto rows = RestrictionsOf(entity);
  if (!rows.ok()) return rows.status();
  std::pair<bool, std::vector<RestrictionRow>> answer{false, {}};
  for (RestrictionRow& row : *rows) {
    if (row.domain != domain || !row.ActiveAt(date)) continue;
    answer.first = true;
    answer.second.push_back(std::move(row));
  }
  return answer;
}

absl::StatusOr<std::vector<ScoreRow>> Engine::Scores() {
  if (!scores_) {
    if (auto status = LoadEntities(); !status.ok()) return status;
    auto store = OpenReader(path_);
    if (!store.ok()) return store.status();
    auto rows = std::make_unique<std::vector<ScoreRow>>();
    auto model = StoredScoreModel(**store);
    if (!model.ok()) return model.status();
    absl::Status decoded = absl::OkStatus();
    auto status = (*store)->ScanPrefix(kScores, "", [&](std::string_view key,
                                                        std::string_view value) {
      if (!*model) {  // format 1: one text row per entity id
        rows->push_back(DecodeScore(entities_->Find(key), value));
        return true;
      }
      decoded = DecodeScoreChunk(value, [&](scoring::EntityScore& result) {
        rows->push_back(ScoreRowOf(**model, result));
        return true;
      });
      return decoded.ok();
    });
    if (!status.ok()) return status;
    if (!decoded.ok()) return decoded;
    std::sort(rows->begin(), rows->end(),
              [](const ScoreRow& a, const ScoreRow& b) { return a.entity < b.entity; });
    scores_ = std::move(rows);
  }
  return *scores_;
}

absl::StatusOr<std::optional<ScoreRow>> Engine::ScoreOf(NodeId entity) {
  if (auto status = LoadEntities(); !status.ok()) return status;
  if (entity >= entities_->size()) return absl::NotFoundError("no such entity");
  auto store = OpenReader(path_);
  if (!store.ok()) return store.status();
  auto model = StoredScoreModel(**store);
  if (!model.ok()) return model.status();
  if (!*model) {  // format 1
    auto value = (*store)->Get(kScores, (*entities_)[entity].id);
    if (!value.ok()) return value.status();
    if (!value->has_value()) return std::optional<ScoreRow>();
    return std::optional<ScoreRow>(DecodeScore(entity, **value));
  }
  std::optional<ScoreRow> found;
  absl::Status decoded = absl::OkStatus();
  // The chunk holding `entity` is the first whose key (its last entity) is >= entity.
  auto status = (*store)->ScanRange(kScores, EncodeNode(entity), "", [&](std::string_view,
                                                                        std::string_view value) {
    decoded = DecodeScoreChunk(value, [&](scoring::EntityScore& result) {
      if (result.entity == entity) found = ScoreRowOf(**model, result);
      return result.entity < entity;
    });
    return false;
  });
  if (!status.ok()) return status;
  if (!decoded.ok()) return decoded;
  return found;
}

absl::StatusOr<std::vector<std::pair<std::string, NodeId>>> Engine::Inspect(std::uint64_t seed) {
  const std::optional<std::string> yaml = Meta("stage/score/model");
  if (!yaml) {
    return absl::FailedPreconditionError(
        Cat("the inspection draw needs scores: run `creditgraph score --db ", path_, "` first"));
  }
  auto model = scoring::ParseModel(*yaml);
  if (!model.ok()) return model.status();
  auto rows = Scores();
  if (!rows.ok()) return rows.status();
  scoring::ScoreTable table;
  for (const ScoreRow& row : *rows) {
    auto grade = std::find_if(model->grades.begin(), model->grades.end(),
                              [&](const scoring::Grade& g) { return g.grade == row.grade; });
    if (grade == model->grades.end()) continue;  // cannot happen for scores of this model
    table.entity.push_back(row.entity);
    table.grade.push_back(std::int8_t(grade - model->grades.begin()));
  }
  std::vector<std::pair<std::string, NodeId>> picks;
  for (const scoring::InspectionPick& pick : scoring::DrawInspections(*model, table, seed)) {
    picks.emplace_back(pick.klass, pick.entity);
  }
  return picks;
}

}  // namespace cg::core::engine
