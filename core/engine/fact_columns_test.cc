// FactColumns and the selective decode behind them: FactFields() covers everything
// scoring::FactRowOf reads (random records, full vs selective decode); the columns round-trip
// through their stored form (a std::map stands in for CF record_facts) and are refused when
// saved for another run or damaged; a ScoringInput fed from columns holds the same facts and
// attributes as one fed the records.
#include "core/engine/fact_columns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <random>

#include "core/labels.h"
#include "core/store/record_codec.h"
#include "graph/csr_builder.h"
#include "core/store/store.h"

namespace cg::core::engine {
namespace {

Record RandomFactRecord(std::mt19937_64& rng) {
  static const std::vector<std::string> texts = {"",   "a",        "370102", "C13",
                                                 "tax", "court_dishonest_debtor", "环保",
                                                 "A级", "a longer text than sixteen bytes"};
  auto text = [&] { return texts[rng() % texts.size()]; };
  auto date = [&]() -> Date { return rng() % 4 == 0 ? kNoDate : Date(15000 + rng() % 5000); };
  Record record;
  const RecordKind kinds[] = {RecordKind::kRegistry,   RecordKind::kList,
                              RecordKind::kPenalty,    RecordKind::kLicense,
                              RecordKind::kCommitment, RecordKind::kRating,
                              RecordKind::kShareholder};
  record.kind = kinds[rng() % 7];
  record.source = "src" + std::to_string(rng() % 3);
  record.rid = "R" + std::to_string(rng() % 1000);
  record.subject.name = "某某有限公司";
  record.subject.uscc = "91370100MA3C5YXQ7K";
  record.subject.kind = EntityKind(rng() % 5);
  record.subject.region = text();
  record.party.name = text();
  record.industry = text();
  record.list = text();
  record.domain = text();
  record.scheme = text();
  record.grade = text();
  record.reason = text();
  record.est_date = date();
  record.listed_on = date();
  record.removed_on = date();
  record.decided_on = date();
  record.granted_on = date();
  record.valid_until = date();
  record.made_on = date();
  record.rated_on = date();
  record.disputed = rng() % 2;
  record.severity = Severity(rng() % 4);
  record.commitment_status = CommitmentStatus(rng() % 4);
  record.amount = rng() % 2 ? std::optional<double>(1.5) : std::nullopt;
  record.attrs = {{"x", text()}};
  return record;
}

bool SameRow(const scoring::FactRow& a, const scoring::FactRow& b) {
  return a.kind == b.kind && a.subject_kind == b.subject_kind && a.key == b.key &&
         a.date == b.date && a.until == b.until && a.code == b.code && a.text == b.text &&
         a.sub == b.sub;
}

void ExpectSameRow(const scoring::FactRow& a, const scoring::FactRow& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.subject_kind, b.subject_kind);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.until, b.until);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.sub, b.sub);
}

TEST(FactColumns, FactFieldsCoverWhatFactRowOfReads) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 500; ++round) {
    const Record record = RandomFactRecord(rng);
    Record selective;
    ASSERT_TRUE(
        store::DecodeRecordFields(store::EncodeRecord(record), FactFields(), selective).ok());
    ExpectSameRow(scoring::FactRowOf(record), scoring::FactRowOf(selective));
  }
}

using Family = std::map<std::string, std::string>;

FactColumns::Scan ScanOf(const Family& family) {
  return [&family](std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& visit) {
    for (auto it = family.lower_bound(std::string(prefix));
         it != family.end() && std::string_view(it->first).starts_with(prefix); ++it) {
      if (!visit(it->first, it->second)) break;
    }
    return absl::OkStatus();
  };
}

TEST(FactColumns, RoundTripThroughTheStoredFormAcrossChunks) {
  std::mt19937_64 rng(8);
  for (RecordKind kind : {RecordKind::kRegistry, RecordKind::kList, RecordKind::kRating}) {
    std::vector<Record> records;
    FactColumns columns(kind);
    // two chunks, the second one short (registry), or one short chunk
    const std::size_t rows = kind == RecordKind::kRegistry ? kFactChunkRows + 17 : 999;
    for (std::size_t row = 0; row < rows; ++row) {
      Record record = RandomFactRecord(rng);
      record.kind = kind;
      columns.Append(scoring::FactRowOf(record));
      records.push_back(std::move(record));
    }
    columns.set_key_hash(12345);
    Family family;
    for (auto& [key, value] : columns.Encode("run-1")) family[key] = value;
    auto decoded = FactColumns::Decode(kind, "run-1", ScanOf(family));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    ASSERT_NE(*decoded, nullptr);
    ASSERT_EQ((*decoded)->size(), rows);
    EXPECT_EQ((*decoded)->key_hash(), 12345u);
    std::size_t different = 0;
    for (std::size_t row = 0; row < rows; ++row) {
      different += !SameRow((*decoded)->Row(row), scoring::FactRowOf(records[row]));
    }
    EXPECT_EQ(different, 0u);
    // Saved for another run, another kind, or damaged: not used (derived again).
    auto other_run = FactColumns::Decode(kind, "run-2", ScanOf(family));
    ASSERT_TRUE(other_run.ok());
    EXPECT_EQ(*other_run, nullptr);
    auto other_kind = FactColumns::Decode(RecordKind::kPenalty, "run-1", ScanOf(family));
    ASSERT_TRUE(other_kind.ok());
    EXPECT_EQ(*other_kind, nullptr);
    Family damaged = family;
    const std::string chunk_key = std::string(ToString(kind)) + "/c" +
                                  store::EncodeBigEndian64(kind == RecordKind::kRegistry ? 1 : 0);
    ASSERT_TRUE(damaged.count(chunk_key));
    damaged[chunk_key].pop_back();
    auto refused = FactColumns::Decode(kind, "run-1", ScanOf(damaged));
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(*refused, nullptr);
    Family missing = family;
    missing.erase(chunk_key);
    auto short_columns = FactColumns::Decode(kind, "run-1", ScanOf(missing));
    ASSERT_TRUE(short_columns.ok());
    EXPECT_EQ(*short_columns, nullptr);
  }
}

// Same kinds, attributes and facts (in the same order); texts compared as texts, and as codes
// too when `same_codes` (inputs that interned their texts in the same order).
void ExpectSameInput(const scoring::ScoringInput& want, const scoring::ScoringInput& got,
                     bool same_codes, std::size_t* facts) {
  ASSERT_EQ(want.num_nodes(), got.num_nodes());
  for (NodeId node = 0; node < got.num_nodes(); ++node) {
    EXPECT_EQ(want.kind(node), got.kind(node));
    EXPECT_EQ(want.est_date(node), got.est_date(node));
    EXPECT_EQ(want.region(node), got.region(node));
    EXPECT_EQ(want.industry(node), got.industry(node));
    auto wanted = want.facts(node);
    auto gotten = got.facts(node);
    ASSERT_EQ(wanted.size(), gotten.size()) << node;
    *facts += gotten.size();
    for (std::size_t at = 0; at < gotten.size(); ++at) {
      EXPECT_EQ(wanted[at].key, gotten[at].key);
      EXPECT_EQ(wanted[at].date, gotten[at].date);
      EXPECT_EQ(wanted[at].start, gotten[at].start);
      EXPECT_EQ(wanted[at].end, gotten[at].end);
      for (auto code : {&scoring::Fact::code, &scoring::Fact::domain, &scoring::Fact::grade}) {
        ASSERT_EQ(wanted[at].*code == scoring::kNoCode, gotten[at].*code == scoring::kNoCode);
        if (same_codes) {
          EXPECT_EQ(wanted[at].*code, gotten[at].*code);
        }
        if (gotten[at].*code != scoring::kNoCode) {
          EXPECT_EQ(want.Text(wanted[at].*code), got.Text(gotten[at].*code));
        }
      }
      EXPECT_EQ(wanted[at].kind, gotten[at].kind);
      EXPECT_EQ(wanted[at].sub, gotten[at].sub);
    }
  }
}

TEST(FactColumns, ScoringInputFromColumnsEqualsScoringInputFromRecords) {
  // Rows one by one (Add(FactRow)), whole columns (AddBatch: parallel) and the records
  // themselves give the same input; some rows have no resolved subject (kNoNode: skipped).
  std::mt19937_64 rng(21);
  scoring::ScoringParams params;
  params.escalations.push_back({"court_dishonest_debtor", Period{0, 6, 0}, "tax"});
  auto subject_of = [](std::mt19937_64& random) {
    const std::uint64_t draw = random();
    return draw % 20 == 0 ? kNoNode : NodeId(draw % 50);
  };
  scoring::ScoringInput from_columns(params);
  scoring::ScoringInput from_batches(params);
  std::vector<FactColumns> columns;
  std::vector<std::vector<NodeId>> subjects;
  for (int round = 0; round < 3000; ++round) {
    const Record record = RandomFactRecord(rng);
    const NodeId subject = subject_of(rng);
    auto found = std::find_if(columns.begin(), columns.end(),
                              [&](const FactColumns& c) { return c.kind() == record.kind; });
    if (found == columns.end()) {
      columns.emplace_back(record.kind);
      subjects.emplace_back();
      found = columns.end() - 1;
    }
    found->Append(scoring::FactRowOf(record));
    subjects[std::size_t(found - columns.begin())].push_back(subject);
  }
  // Kind after kind, as the engine reads them; within a kind in record order.
  std::vector<std::pair<RecordKind, std::size_t>> order;
  for (std::size_t index = 0; index < columns.size(); ++index) {
    order.emplace_back(columns[index].kind(), index);
  }
  std::sort(order.begin(), order.end());
  scoring::ScoringInput reordered_records(params);
  {
    // The record-fed input in the same kind order (attributes are last-writer-wins).
    std::mt19937_64 replay(21);
    std::vector<std::pair<Record, NodeId>> all;
    for (int round = 0; round < 3000; ++round) {
      Record record = RandomFactRecord(replay);
      const NodeId subject = subject_of(replay);
      all.emplace_back(std::move(record), subject);
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.first.kind < b.first.kind; });
    for (const auto& [record, subject] : all) {
      if (subject != kNoNode) reordered_records.Add(record, subject);
    }
  }
  for (const auto& [kind, index] : order) {
    for (std::size_t row = 0; row < columns[index].size(); ++row) {
      if (subjects[index][row] != kNoNode) {
        from_columns.Add(columns[index].Row(row), subjects[index][row]);
      }
    }
    from_batches.AddBatch(columns[index].Batch(subjects[index]));
  }
  reordered_records.Finalize();
  from_columns.Finalize();
  from_batches.Finalize();
  std::size_t facts = 0;
  ExpectSameInput(reordered_records, from_columns, /*same_codes=*/false, &facts);
  EXPECT_GT(facts, 1000u);
  facts = 0;
  ExpectSameInput(from_columns, from_batches, /*same_codes=*/true, &facts);
  EXPECT_GT(facts, 1000u);
  // After Finalize a batch goes to the overlay row by row: the same as adding the rows.
  for (const auto& [kind, index] : order) {
    if (kind == RecordKind::kRegistry) continue;
    for (std::size_t row = 0; row < 40; ++row) {
      if (subjects[index][row] != kNoNode) {
        from_columns.Add(columns[index].Row(row), subjects[index][row]);
      }
    }
    FactColumns head(kind);
    for (std::size_t row = 0; row < 40; ++row) head.Append(columns[index].Row(row));
    from_batches.AddBatch(head.Batch(std::span(subjects[index]).first(40)));
  }
  facts = 0;
  ExpectSameInput(from_columns, from_batches, /*same_codes=*/true, &facts);
}

TEST(FactColumns, RestrictionPiecesRoundTripAndAreRefusedWhenDamaged) {
  std::mt19937_64 rng(13);
  std::vector<scoring::RestrictionPiece> pieces;
  for (std::size_t index = 0; index < kFactChunkRows + 5; ++index) {  // two chunks
    pieces.push_back({NodeId(rng() % 100000), std::uint32_t(rng() % 40), Date(rng() % 20000) - 5,
                      rng() % 3 ? Date(rng() % 30000) : kForever, scoring::Effect(rng() % 3)});
  }
  Family family;
  {
    auto missing = DecodeRestrictionPieces(ScanOf(family));
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
  }
  for (auto& [key, value] : EncodeRestrictionPieces(pieces)) family[key] = value;
  auto decoded = DecodeRestrictionPieces(ScanOf(family));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(decoded->has_value());
  EXPECT_TRUE(**decoded == pieces);
  Family damaged = family;
  damaged[std::string(kRestrictionPiecesPrefix) + "c" + store::EncodeBigEndian64(1)].pop_back();
  auto refused = DecodeRestrictionPieces(ScanOf(damaged));
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->has_value());
  Family short_family = family;
  short_family.erase(std::string(kRestrictionPiecesPrefix) + "c" + store::EncodeBigEndian64(1));
  auto short_pieces = DecodeRestrictionPieces(ScanOf(short_family));
  ASSERT_TRUE(short_pieces.ok());
  EXPECT_FALSE(short_pieces->has_value());
  Family empty;
  for (auto& [key, value] : EncodeRestrictionPieces({})) empty[key] = value;
  auto none = DecodeRestrictionPieces(ScanOf(empty));
  ASSERT_TRUE(none.ok());
  ASSERT_TRUE(none->has_value());
  EXPECT_TRUE((*none)->empty());
}

TEST(FactColumns, RelatedGraphRoundTripsAndIsRefusedWhenDamaged) {
  // Random engine graph with related and ignored labels, more nodes than one degree chunk.
  std::mt19937_64 rng(17);
  const NodeId nodes = NodeId((std::size_t{1} << 20) + 3000);
  std::vector<EdgeInput> edges;
  for (int index = 0; index < 200000; ++index) {
    const Label label = Label(rng() % kNumEdgeLabels);
    edges.push_back({NodeId(rng() % nodes), NodeId(rng() % nodes), label, 0, 0.0f});
  }
  const scoring::RelatedGraph related =
      scoring::RelatedGraph::FromCsr(CsrBuilder::FromEdges(nodes, edges));
  Family family;
  {
    auto missing = DecodeRelatedGraph(ScanOf(family));
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
  }
  for (auto& [key, value] : EncodeRelatedGraph(related)) family[key] = value;
  auto decoded = DecodeRelatedGraph(ScanOf(family));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_TRUE(decoded->has_value());
  ASSERT_EQ((*decoded)->num_nodes(), related.num_nodes());
  std::size_t different = 0;
  for (NodeId node = 0; node < nodes; ++node) {
    auto want = related.neighbors(node);
    auto got = (*decoded)->neighbors(node);
    different += !std::equal(want.begin(), want.end(), got.begin(), got.end());
  }
  EXPECT_EQ(different, 0u);
  EXPECT_GT(related.num_undirected_edges(), 100000u);
  const std::string prefix(kRelatedGraphPrefix);
  for (const std::string& key : {prefix + "d" + store::EncodeBigEndian64(1),
                                prefix + "a" + store::EncodeBigEndian64(0)}) {
    Family damaged = family;
    damaged[key].pop_back();
    auto refused = DecodeRelatedGraph(ScanOf(damaged));
    ASSERT_TRUE(refused.ok());
    EXPECT_FALSE(refused->has_value()) << key;
    Family short_family = family;
    short_family.erase(key);
    auto short_graph = DecodeRelatedGraph(ScanOf(short_family));
    ASSERT_TRUE(short_graph.ok());
    EXPECT_FALSE(short_graph->has_value()) << key;
  }
  // A neighbour outside the graph is refused.
  Family outside = family;
  std::string& first = outside[prefix + "a" + store::EncodeBigEndian64(0)];
  const NodeId too_large = nodes + 5;
  std::memcpy(first.data(), &too_large, sizeof too_large);
  auto refused = DecodeRelatedGraph(ScanOf(outside));
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->has_value());
}

}  // namespace
}  // namespace cg::core::engine
