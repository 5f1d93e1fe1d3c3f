// Google Benchmark of the engine's WHOLE score stage (Engine::Score: staged open, entities,
// fact columns, related graph, restriction pieces, the batch with related_risk, writing the
// score chunks, commit) on a synthetic database of SF=1 shape, without generating, ingesting
// or resolving SF=1 (which does not fit this machine).
//
// The database holds exactly what the score stage reads after resolve, graph and propagate, in
// the same column families and formats those stages write (stage_entities, record_nodes,
// record_facts, score_inputs, meta), with per-organization counts taken from the resolved SF=0.1
// database (1,575,801 organizations, 2,186,582 persons, 7.8M records; see kShape below), scaled
// to the requested number of organizations. What it does not hold: the records themselves, so
// the licence/commitment fact columns are already saved (as after any score run of this
// resolve run); a first score after a new resolve additionally derives them from the records
// (measured separately on SF=0.1, docs/scoring.md).
//
// Run (the database is built once per size in a child process, so the reported peak RSS is the
// score stage's; reused by later runs):
//   CG_BENCH_STAGE_DIR=/work/scratch/scoring/stage CG_BENCH_STAGE_ORGS=14000000
//     build/dev/bench/cg_bench_scoring_stage      (one command line)
// CG_BENCH_STAGE_RUNS sets the number of iterations (default 3).
// Counters: fresh_s = Score() in a fresh engine (a new process: columns read from RocksDB),
// again_s = a second Score() in the same engine (columns cached), cpu_s (process CPU of both),
// peak_rss_gb (the process, i.e. the stage; the build ran in a child). Last, a digest of the
// stored score rows (xxh3 over CF scores) to check that a change leaves every score as it was.
// GCC 12 reports a false -Wrestrict inside std::string assignment here (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <xxhash.h>

#include "core/date.h"
#include "core/engine/engine.h"
#include "core/engine/fact_columns.h"
#include "core/engine/stage_scan.h"
#include "core/record.h"
#include "core/scoring/input.h"
#include "core/scoring/restriction_counts.h"
#include "core/store/store.h"

namespace {

using namespace cg;                // NOLINT: benchmark file, not a header
using namespace cg::core;          // NOLINT
using namespace cg::core::engine;  // NOLINT

// Per organization, from the resolved SF=0.1 database (stage/resolve/figures,
// stage/graph/figures, stage/propagate/figures and the source files' row counts).
struct Shape {
  double persons = 2186582.0 / 1575801;        // 1.388
  double registry = 1410000.0 / 1575801;       // 0.895: registered organizations
  double lists = 128303.0 / 1575801;           // 0.081
  double penalties = 164272.0 / 1575801;       // 0.104
  double licences = 346887.0 / 1575801;        // 0.220
  double commitments = 124035.0 / 1575801;     // 0.079
  double ratings = 968591.0 / 1575801;         // 0.615
  double restrictions = 733434.0 / 1575801;    // 0.465
  double related_edges = 3949475.0 / 1575801;  // 2.506: legal_rep, officer, shareholder, ...
};
constexpr Shape kShape;
constexpr std::string_view kRun = "bench-resolve/bench-ingest";
const Date kAsOf = *ParseDate("2025-06-30");

void Check(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    std::exit(1);
  }
}

absl::Status PutAll(store::Store& store, std::string_view family,
                    const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [key, value] : pairs) {
    if (auto status = store.Put(family, key, value); !status.ok()) return status;
  }
  return absl::OkStatus();
}

// The database: entities in NodeId order (organizations and persons interleaved at random, as
// sorted ids interleave them), one fact column per kind with random subjects (a kind's key order
// is by source and rid, unrelated to the subject), restriction pieces, the related graph.
void BuildDatabase(const std::string& path, std::size_t organizations) {
  std::mt19937_64 rng(20261122);
  auto pick = [&rng](std::uint64_t bound) { return bound == 0 ? 0 : rng() % bound; };
  auto chance = [&rng](double p) { return double(rng() % 1000000) < p * 1e6; };
  const auto persons = std::size_t(double(organizations) * kShape.persons);
  const std::size_t nodes = organizations + persons;
  // Written as a stage writes (a staged copy, bulk mode, published by Commit(), which flushes):
  // a plain open would leave the last memtables in the write-ahead log, and the first score
  // would pay for replaying them (several seconds at 14 M) — a cost no pipeline stage leaves.
  store::OpenOptions options;
  options.bulk_load = true;
  auto store = store::Store::OpenStaged(path, options);
  Check(store.status());
  store::Store& db = **store;

  // Entities: kinds and ids ("U:" + 18-character USCC, "P:" + 16 hex digits), ascending.
  std::vector<EntityKind> kinds(nodes, EntityKind::kPerson);
  std::vector<NodeId> orgs, people;
  orgs.reserve(organizations);
  people.reserve(persons);
  {
    const double org_share = double(organizations) / double(nodes);
    for (NodeId node = 0; node < nodes; ++node) {
      const bool org = orgs.size() < organizations &&
                       (people.size() >= persons || chance(org_share));
      if (org) {
        const std::uint64_t draw = pick(100);
        kinds[node] = draw < 80 ? EntityKind::kEnterprise
                      : draw < 97 ? EntityKind::kIndividualBusiness
                                  : EntityKind::kOrganization;
        orgs.push_back(node);
      } else {
        people.push_back(node);
      }
    }
    StageEntities entities;
    char id[32];
    for (NodeId node = 0; node < nodes; ++node) {
      std::snprintf(id, sizeof id, "%s%018llu", kinds[node] == EntityKind::kPerson ? "P:" : "U:",
                    static_cast<unsigned long long>(node) * 7919ull + 1000000000000ull);
      entities.Add(id, kinds[node]);
    }
    Check(PutAll(db, kStageEntitiesFamily, entities.Encode(kRun)));
  }

  // Fact columns and NodeId columns per kind.
  const auto kind_of = [&kinds](NodeId node) { return std::uint8_t(kinds[node]); };
  const std::vector<std::string> regions = {"370102", "370202", "370302", "370402", "370502",
                                            "370602", "370702", "370802", "370902", "371002",
                                            "371102", "371302", "371402", "371502", "371602",
                                            "371702"};
  const std::vector<std::string> industries = {"A01", "C13", "C26", "C38", "E47", "F51", "G54",
                                               "H61", "I64", "K70", "L72", "M73", "N77", "P83"};
  const std::vector<std::string> domains = {"market", "tax", "environment", "labor", "safety",
                                            "transport", "health", "construction"};
  auto write_kind = [&](RecordKind kind, std::size_t rows, auto&& make_row) {
    FactColumns facts(kind);
    RecordNodes record_nodes;
    record_nodes.kind = kind;
    record_nodes.subject.reserve(rows);
    record_nodes.party.reserve(rows);
    std::uint64_t hash = std::uint64_t(kind) * 0x9e3779b97f4a7c15ull;
    for (std::size_t row = 0; row < rows; ++row) {
      scoring::FactRow fact;
      fact.kind = kind;
      fact.key = rng();
      hash = hash * 0x100000001b3ull ^ fact.key;
      const NodeId subject = make_row(fact);
      fact.subject_kind = EntityKind(kind_of(subject));
      facts.Append(fact);
      record_nodes.subject.push_back(subject);
      record_nodes.party.push_back(kNoNode);
    }
    facts.set_key_hash(hash);
    record_nodes.key_hash = hash;
    Check(PutAll(db, kRecordNodes, EncodeRecordNodes(record_nodes, kRun)));
    Check(PutAll(db, kRecordFacts, facts.Encode(kRun)));
  };
  auto some_org = [&] { return orgs[pick(orgs.size())]; };
  auto days_ago = [&](std::uint64_t most) { return Date(kAsOf - Date(pick(most))); };
  {
    // Registry: one row for most organizations (the others are known from lists, ratings...).
    std::vector<NodeId> registered;
    for (NodeId org : orgs) {
      if (chance(kShape.registry)) registered.push_back(org);
    }
    std::shuffle(registered.begin(), registered.end(), rng);
    std::size_t next = 0;
    write_kind(RecordKind::kRegistry, registered.size(), [&](scoring::FactRow& row) {
      row.key = 0;
      row.date = pick(20) ? days_ago(12000) : kNoDate;
      row.code = regions[pick(regions.size())];
      row.text = industries[pick(industries.size())];
      return registered[next++];
    });
  }
  const auto scaled = [organizations](double per_org) {
    return std::size_t(double(organizations) * per_org);
  };
  write_kind(RecordKind::kList, scaled(kShape.lists), [&](scoring::FactRow& row) {
    // The SF=0.1 mix: market lists 62 % (mostly abnormal operation, which escalates), court
    // dishonest debtors 19 % (a quarter of them persons), tax 14 %, the rest 5 %.
    const std::uint64_t draw = pick(1000);
    NodeId subject = some_org();
    if (draw < 460) {
      row.code = "amr_abnormal_operation";
    } else if (draw < 615) {
      row.code = "amr_serious_illegal";
    } else if (draw < 808) {
      row.code = "court_dishonest_debtor";
      if (pick(4) == 0) subject = people[pick(people.size())];
    } else if (draw < 904) {
      row.code = "tax_major_violation";
    } else if (draw < 945) {
      row.code = "tax_a";
    } else if (draw < 967) {
      row.code = "labor_wage_arrears";
    } else if (draw < 984) {
      row.code = "env_serious";
    } else if (draw < 992) {
      row.code = "safety_blacklist";
    } else {
      row.code = "procurement_bad_record";
    }
    row.date = days_ago(3000);
    if (pick(3) == 0) row.until = row.date + Date(pick(2000));
    row.sub = pick(20) == 0 ? 1 : 0;
    return subject;
  });
  write_kind(RecordKind::kPenalty, scaled(kShape.penalties), [&](scoring::FactRow& row) {
    row.date = days_ago(2500);
    row.text = domains[pick(domains.size())];
    row.sub = std::uint8_t(1 + pick(3));
    return some_org();
  });
  write_kind(RecordKind::kLicense, scaled(kShape.licences), [&](scoring::FactRow& row) {
    row.date = days_ago(3000);
    if (pick(2)) row.until = row.date + Date(pick(3000));
    row.text = domains[pick(domains.size())];
    return some_org();
  });
  write_kind(RecordKind::kCommitment, scaled(kShape.commitments), [&](scoring::FactRow& row) {
    row.date = days_ago(1500);
    row.sub = std::uint8_t(1 + pick(3));
    return some_org();
  });
  static const char* const kTaxGrades[] = {"A", "B", "M", "C", "D"};
  static const char* const kEnvGrades[] = {"A", "B", "C", "D"};
  write_kind(RecordKind::kRating, scaled(kShape.ratings), [&](scoring::FactRow& row) {
    if (pick(100) < 88) {
      row.code = "tax";
      row.text = kTaxGrades[pick(5)];
    } else {
      row.code = "environment";
      row.text = kEnvGrades[pick(4)];
    }
    row.date = days_ago(2000);
    return some_org();
  });

  // Restriction pieces (propagate's output reduced to what scoring counts), sorted as saved.
  {
    std::vector<scoring::RestrictionPiece> pieces(scaled(kShape.restrictions));
    for (scoring::RestrictionPiece& piece : pieces) {
      piece.entity = pick(10) < 7 ? some_org() : people[pick(people.size())];
      piece.measure = std::uint32_t(pick(11));
      piece.start = days_ago(3000);
      piece.end = pick(2) ? piece.start + Date(365 * (1 + pick(5))) : kForever;
      piece.effect = pick(10) == 0 ? scoring::Effect::kReward : scoring::Effect::kPunish;
    }
    std::sort(pieces.begin(), pieces.end(),
              [](const auto& a, const auto& b) { return a.Key() < b.Key(); });
    Check(PutAll(db, kScoreInputs, EncodeRestrictionPieces(pieces)));
  }

  // Related-party graph: legal representatives and officers (organization - person),
  // shareholders (organization - organization or person), branches and guarantees
  // (organization - organization); undirected, sorted, duplicate-free.
  {
    const std::size_t edges = scaled(kShape.related_edges);
    std::vector<std::pair<NodeId, NodeId>> pairs;
    pairs.reserve(edges);
    for (std::size_t edge = 0; edge < edges; ++edge) {
      const std::uint64_t draw = pick(1000);
      const NodeId org = some_org();
      NodeId other = draw < 757 ? people[pick(people.size())]  // legal_rep, officer
                     : draw < 981 ? (pick(2) ? some_org() : people[pick(people.size())])
                                  : some_org();  // branch, guarantee
      if (other != org) pairs.emplace_back(org, other);
    }
    std::vector<std::uint64_t> offsets(nodes + 1, 0);
    for (const auto& [a, b] : pairs) {
      ++offsets[a + 1];
      ++offsets[b + 1];
    }
    for (std::size_t node = 0; node < nodes; ++node) offsets[node + 1] += offsets[node];
    std::vector<NodeId> adjacency(offsets[nodes]);
    {
      std::vector<std::uint64_t> cursor(offsets.begin(), offsets.end() - 1);
      for (const auto& [a, b] : pairs) {
        adjacency[cursor[a]++] = b;
        adjacency[cursor[b]++] = a;
      }
    }
    pairs = {};
    // Sort and deduplicate each list, compacting in place.
    std::uint64_t write = 0;
    std::uint64_t begin = 0;
    for (std::size_t node = 0; node < nodes; ++node) {
      const std::uint64_t end = offsets[node + 1];
      std::sort(adjacency.begin() + std::ptrdiff_t(begin), adjacency.begin() + std::ptrdiff_t(end));
      const std::uint64_t start = write;
      for (std::uint64_t at = begin; at < end; ++at) {
        if (at == begin || adjacency[at] != adjacency[at - 1]) adjacency[write++] = adjacency[at];
      }
      begin = end;
      offsets[node] = start;
    }
    offsets[nodes] = write;
    adjacency.resize(write);
    auto related = scoring::RelatedGraph::FromBase(std::move(offsets), std::move(adjacency));
    if (!related) std::abort();
    Check(PutAll(db, kScoreInputs, EncodeRelatedGraph(*related)));
  }

  // What the stages before score leave in meta.
  const std::string resolve_run(kRun.substr(0, kRun.find('/')));
  const std::string ingest_run(kRun.substr(kRun.find('/') + 1));
  std::vector<std::pair<std::string, std::string>> meta = {
      {"stage/ingest/run", ingest_run},     {"stage/ingest/as_of", FormatDate(kAsOf)},
      {"stage/resolve/status", "done"},     {"stage/resolve/run", resolve_run},
      {"stage/graph/status", "done"},       {"stage/propagate/status", "done"},
      {"stage/propagate/catalog", std::string(DefaultMeasuresYaml())}};
  store::Batch batch(db);
  for (const auto& [key, value] : meta) Check(batch.PutMeta(key, value));
  Check(db.Write(batch, true));
  Check(db.Commit());
}

std::string DatabaseFor(std::size_t organizations) {
  const char* dir = std::getenv("CG_BENCH_STAGE_DIR");
  if (dir == nullptr) return "";
  const std::string path = std::string(dir) + "/orgs" + std::to_string(organizations) + ".db";
  const std::string done = path + ".built";
  if (std::filesystem::exists(done)) return path;
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(dir);
  // Built in a child process, so that this process's peak RSS is the score stage's alone.
  const pid_t child = fork();
  if (child == 0) {
    const auto started = std::chrono::steady_clock::now();
    BuildDatabase(path, organizations);
    std::fprintf(stderr, "built %s in %.1f s\n", path.c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::abort();
  std::FILE* marker = std::fopen(done.c_str(), "w");
  if (marker) std::fclose(marker);
  return path;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// One iteration: a fresh engine (as a new process would be) scores, then scores again.
void BM_ScoreStage(benchmark::State& state) {
  const auto organizations = std::size_t(state.range(0));
  const std::string path = DatabaseFor(organizations);
  if (path.empty()) {
    state.SkipWithError("set CG_BENCH_STAGE_DIR to a scratch folder");
    return;
  }
  double fresh_total = 0, again_total = 0, cpu_total = 0, scored = 0;
  for (auto _ : state) {
    const double cpu = CpuSeconds();
    auto engine = Engine::Open(path);
    Check(engine.status());
    const auto start = std::chrono::steady_clock::now();
    auto first = (*engine)->Score();
    Check(first.status());
    const auto middle = std::chrono::steady_clock::now();
    auto again = (*engine)->Score();
    Check(again.status());
    const auto end = std::chrono::steady_clock::now();
    const double fresh = std::chrono::duration<double>(middle - start).count();
    state.SetIterationTime(fresh);
    fresh_total += fresh;
    again_total += std::chrono::duration<double>(end - middle).count();
    cpu_total += CpuSeconds() - cpu;
    for (const auto& [name, value] : first->figures) {
      if (name == "scored") scored = value;
    }
    std::string phases;
    for (const auto& [name, seconds] : first->phases) {
      phases += name + "=" + std::to_string(seconds).substr(0, 5) + " ";
    }
    std::fprintf(stderr, "fresh phases: %s\n", phases.c_str());
    phases.clear();
    for (const auto& [name, seconds] : again->phases) {
      phases += name + "=" + std::to_string(seconds).substr(0, 5) + " ";
    }
    std::fprintf(stderr, "again phases: %s\n", phases.c_str());
  }
  const double runs = double(state.iterations());
  // A digest of every stored score row (CF "scores": keys and values in key order), so that a
  // change of the stage can be checked to leave every score, grade and indicator value as it
  // was: run before and after on the same database and compare.
  {
    store::OpenOptions options;
    options.read_only = true;
    auto reader = store::Store::Open(path, options);
    Check(reader.status());
    XXH3_state_t* digest = XXH3_createState();
    XXH3_64bits_reset(digest);
    std::uint64_t rows = 0;
    Check((*reader)->ScanPrefix("scores", "", [&](std::string_view key, std::string_view value) {
      XXH3_64bits_update(digest, key.data(), key.size());
      XXH3_64bits_update(digest, value.data(), value.size());
      ++rows;
      return true;
    }));
    std::fprintf(stderr, "scores digest: %016llx over %llu chunks\n",
                 static_cast<unsigned long long>(XXH3_64bits_digest(digest)),
                 static_cast<unsigned long long>(rows));
    XXH3_freeState(digest);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["fresh_s"] = fresh_total / runs;
  state.counters["again_s"] = again_total / runs;
  state.counters["cpu_s"] = cpu_total / runs;
  state.counters["scored"] = scored;
  state.counters["peak_rss_gb"] = double(usage.ru_maxrss) / 1e6;
}
void StageSizes(benchmark::internal::Benchmark* bench) {
  const char* size = std::getenv("CG_BENCH_STAGE_ORGS");
  bench->Arg(size ? std::atoll(size) : 1575801);  // default: SF=0.1's organizations
  const char* runs = std::getenv("CG_BENCH_STAGE_RUNS");
  bench->Iterations(runs ? std::atoll(runs) : 3);
}
BENCHMARK(BM_ScoreStage)
    ->Apply(StageSizes)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
