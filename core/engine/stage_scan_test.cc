// DeriveRecordNodes (merge join) against a slow map lookup per record side, ScanRecords against
// Store::ForEachRecord, and StageEntities::Find against a linear search, on random stores whose
// rids are prefixes of each other ("R1" < "R10" < "R2") and whose sources of two kinds interleave
// in CF mentions.
#include "core/engine/stage_scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <random>
#include <tuple>

namespace cg::core::engine {
namespace {
namespace fs = std::filesystem;

std::string EncodeNode(NodeId node) {
  std::string out(4, '\0');
  for (int index = 3; index >= 0; --index, node >>= 8) out[index] = char(node & 0xff);
  return out;
}

std::string MentionKey(const std::string& source, const std::string& rid, char role) {
  std::string key = source;
  key.push_back('\0');
  key += rid;
  key.push_back('\0');
  key.push_back(role);
  return key;
}

class StageScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("cg_stage_scan_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    fs::remove_all(path_);
  }
  void TearDown() override { fs::remove_all(path_); }
  std::string path_;
};

TEST_F(StageScanTest, MergeJoinEqualsOneLookupPerRecordSide) {
  for (int round = 0; round < 4; ++round) {
    fs::remove_all(path_);
    std::mt19937 rng(101 + round);
    auto store = store::Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    const NodeId num_entities = 40;
    // (source, rid, role) -> node, as CF mentions holds it; some nodes out of range on purpose.
    std::map<std::tuple<std::string, std::string, char>, NodeId> mentions;
    store::Batch batch(**store);
    // Sources "a_*" hold shareholder records, "b_*" penalty records: they interleave in mentions.
    const std::vector<std::pair<std::string, RecordKind>> sources = {
        {"a_one", RecordKind::kShareholder}, {"b_one", RecordKind::kPenalty},
        {"a_two", RecordKind::kShareholder}, {"b_two", RecordKind::kPenalty}};
    for (int index = 0; index < 300; ++index) {
      const auto& [source, kind] = sources[rng() % sources.size()];
      Record record;
      record.kind = kind;
      record.source = source;
      record.rid = "R" + std::to_string(rng() % 120);
      record.subject.name = "s" + record.rid;
      if (kind == RecordKind::kShareholder) record.party.name = "p" + record.rid;
      ASSERT_TRUE(batch.PutRecord(record).ok());
      for (char role : {'s', 'p'}) {
        if (rng() % 5 == 0) continue;  // an unresolved side
        const NodeId node = NodeId(rng() % (num_entities + 5));
        mentions[{record.source, record.rid, role}] = node;
        ASSERT_TRUE(batch.Put("mentions", MentionKey(record.source, record.rid, role),
                              EncodeNode(node))
                        .ok());
      }
    }
    // Mentions of records that do not exist (another kind's source, deleted records).
    ASSERT_TRUE(batch.Put("mentions", MentionKey("a_one", "R1x", 's'), EncodeNode(3)).ok());
    ASSERT_TRUE(batch.Put("mentions", MentionKey("c_other", "R5", 's'), EncodeNode(4)).ok());
    ASSERT_TRUE((*store)->Write(batch).ok());

    for (RecordKind kind : {RecordKind::kShareholder, RecordKind::kPenalty, RecordKind::kList}) {
      auto nodes = DeriveRecordNodes(**store, kind, num_entities);
      ASSERT_TRUE(nodes.ok()) << nodes.status();
      std::vector<NodeId> want_subject, want_party;
      std::vector<Record> want_records;
      ASSERT_TRUE((*store)
                      ->ForEachRecord(kind, "",
                                      [&](const Record& record) {
                                        for (char role : {'s', 'p'}) {
                                          auto it = mentions.find({record.source, record.rid, role});
                                          NodeId node = it == mentions.end() ? kNoNode : it->second;
                                          if (node >= num_entities) node = kNoNode;
                                          (role == 's' ? want_subject : want_party).push_back(node);
                                        }
                                        want_records.push_back(record);
                                        return true;
                                      })
                      .ok());
      EXPECT_EQ(nodes->subject, want_subject) << ToString(kind);
      EXPECT_EQ(nodes->party, want_party) << ToString(kind);

      std::vector<Record> got;
      std::vector<NodeId> got_subject, got_party;
      ASSERT_TRUE(ScanRecords(**store, *nodes, [&](const Record& record, NodeId s, NodeId p) {
                    got.push_back(record);
                    got_subject.push_back(s);
                    got_party.push_back(p);
                  }).ok());
      ASSERT_EQ(got.size(), want_records.size());
      for (std::size_t index = 0; index < got.size(); ++index) {
        EXPECT_EQ(got[index].source, want_records[index].source);
        EXPECT_EQ(got[index].rid, want_records[index].rid);
        EXPECT_EQ(got[index].subject.name, want_records[index].subject.name);
      }
      EXPECT_EQ(got_subject, want_subject);
      EXPECT_EQ(got_party, want_party);
    }
  }
}

TEST_F(StageScanTest, ScanRefusesRecordsThatChangedSinceTheColumnsWereDerived) {
  auto store = store::Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  Record record;
  record.kind = RecordKind::kPenalty;
  record.source = "src";
  record.rid = "r1";
  record.subject.name = "某公司";
  store::Batch batch(**store);
  ASSERT_TRUE(batch.PutRecord(record).ok());
  ASSERT_TRUE((*store)->Write(batch).ok());
  auto nodes = DeriveRecordNodes(**store, RecordKind::kPenalty, 10);
  ASSERT_TRUE(nodes.ok());
  record.rid = "r2";
  store::Batch more(**store);
  ASSERT_TRUE(more.PutRecord(record).ok());
  ASSERT_TRUE((*store)->Write(more).ok());
  auto status = ScanRecords(**store, *nodes, [](const Record&, NodeId, NodeId) {});
  EXPECT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("creditgraph resolve"), std::string::npos);
}

TEST(StageEntities, FindIsBinarySearchOverSortedIds) {
  StageEntities entities;
  const std::vector<std::string> ids = {"H:1", "O:12345678", "P:abc", "P:abd", "U:9137"};
  for (const std::string& id : ids) entities.Add(id, EntityKind::kEnterprise);
  for (NodeId node = 0; node < ids.size(); ++node) {
    EXPECT_EQ(entities.id(node), ids[node]);
    EXPECT_EQ(entities.Find(ids[node]), node);
  }
  for (const char* missing : {"", "A", "P:ab", "P:abe", "Z"}) {
    EXPECT_EQ(entities.Find(missing), kNoNode) << missing;
  }
}

TEST(StageEntities, StoredFormRoundTripsAcrossChunksAndRefusesDamage) {
  StageEntities entities;
  const std::size_t count = (std::size_t{1} << 16) + 33;  // two chunks
  for (std::size_t node = 0; node < count; ++node) {
    entities.Add("U:" + std::to_string(1000000 + node) + (node % 7 == 0 ? "长名" : ""),
                 EntityKind(node % 5));
  }
  const auto stored = entities.Encode("run-1");
  ASSERT_EQ(stored.size(), 3u);  // two chunks and meta
  StageEntities decoded;
  for (const auto& [key, value] : stored) {
    if (key != "meta") {
      ASSERT_TRUE(decoded.DecodeChunk(value)) << key;
    }
  }
  ASSERT_EQ(decoded.size(), entities.size());
  EXPECT_EQ(decoded.kinds(), entities.kinds());
  for (NodeId node = 0; node < count; node += 997) EXPECT_EQ(decoded.id(node), entities.id(node));
  EXPECT_EQ(decoded.id(NodeId(count - 1)), entities.id(NodeId(count - 1)));
  StageEntities damaged;
  std::string chunk = stored[0].second;
  chunk.pop_back();
  EXPECT_FALSE(damaged.DecodeChunk(chunk));
  EXPECT_FALSE(damaged.DecodeChunk(chunk.substr(0, 3)));

  // Kinds only (what the score stage loads): the same kinds, no ids; damage refused; a table
  // with ids does not take kinds-only chunks, nor the reverse.
  StageEntities kinds;
  for (const auto& [key, value] : stored) {
    if (key != "meta") {
      ASSERT_TRUE(kinds.DecodeChunkKinds(value)) << key;
    }
  }
  EXPECT_FALSE(kinds.has_ids());
  EXPECT_TRUE(decoded.has_ids());
  EXPECT_EQ(kinds.size(), entities.size());
  EXPECT_EQ(kinds.kinds(), entities.kinds());
  EXPECT_FALSE(kinds.DecodeChunk(stored[0].second));
  EXPECT_FALSE(decoded.DecodeChunkKinds(stored[0].second));
  StageEntities damaged_kinds;
  EXPECT_FALSE(damaged_kinds.DecodeChunkKinds(chunk));
  EXPECT_FALSE(damaged_kinds.DecodeChunkKinds(chunk.substr(0, 3)));
  std::string bad_kind = stored[0].second;
  bad_kind[4] = char(9);  // the first entity's kind
  EXPECT_FALSE(damaged_kinds.DecodeChunkKinds(bad_kind));
}

}  // namespace
}  // namespace cg::core::engine
