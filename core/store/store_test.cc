// Tests for core/store/store.h: families on demand, atomic batches, prefix scans, records,
// quarantine, the change log and cursors, staged generations (commit and abandon), read-only.
#include "core/store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>

#include "core/store/record_codec.h"

namespace cg::core::store {
namespace {
namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("cg_store_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    fs::remove_all(path_);
  }
  void TearDown() override { fs::remove_all(path_); }
  std::string path_;
};

TEST_F(StoreTest, PutGetDeleteAndPrefixScanAgainstAMap) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  std::map<std::string, std::string> reference;
  std::mt19937 rng(7);
  for (int step = 0; step < 2000; ++step) {
    std::string key = std::string(1, char('a' + rng() % 3)) + std::to_string(rng() % 50);
    if (rng() % 4 == 0) {
      ASSERT_TRUE((*store)->Delete("things", key).ok());
      reference.erase(key);
    } else {
      std::string value = std::to_string(step);
      ASSERT_TRUE((*store)->Put("things", key, value).ok());
      reference[key] = value;
    }
  }
  for (const char* prefix : {"a", "b1", "c", "", "z"}) {
    std::vector<std::pair<std::string, std::string>> got, want;
    ASSERT_TRUE((*store)
                    ->ScanPrefix("things", prefix,
                                 [&](std::string_view key, std::string_view value) {
                                   got.emplace_back(key, value);
                                   return true;
                                 })
                    .ok());
    for (const auto& [key, value] : reference) {
      if (key.rfind(prefix, 0) == 0) want.emplace_back(key, value);
    }
    EXPECT_EQ(got, want) << prefix;
  }
  auto missing = (*store)->Get("things", "nope");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_FALSE((*store)->Put("Bad-Name", "k", "v").ok());
}

TEST_F(StoreTest, BatchSpansFamiliesAndSurvivesReopen) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    Batch batch(**store);
    Record record;
    record.source = "src";
    record.rid = "r1";
    record.kind = RecordKind::kPenalty;
    record.subject.name = "某公司";
    ASSERT_TRUE(batch.PutRecord(record).ok());
    ASSERT_TRUE(batch.PutMeta("x", "1").ok());
    ASSERT_TRUE(batch.AppendChange(ChangeOp::kInsert, RecordKind::kPenalty, "src", "r1").ok());
    ASSERT_TRUE(batch.AppendChange(ChangeOp::kDelete, RecordKind::kPenalty, "src", "r0").ok());
    ASSERT_TRUE(batch.SetCursor("graph", 1).ok());
    ASSERT_TRUE(batch.PutBlob("big", std::string(100000, 'b')).ok());
    ASSERT_TRUE((*store)->Write(batch, /*sync=*/true).ok());
  }
  auto store = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(store.ok()) << store.status();
  auto record = (*store)->GetRecord(RecordKind::kPenalty, "src", "r1");
  ASSERT_TRUE(record.ok());
  ASSERT_TRUE(record->has_value());
  EXPECT_EQ((*record)->subject.name, "某公司");
  EXPECT_EQ(*(*store)->GetMeta("x"), std::optional<std::string>("1"));
  EXPECT_EQ((*store)->LastChangeSeq(), 2u);
  std::vector<Change> changes;
  ASSERT_TRUE((*store)->ReadChanges(0, [&](const Change& change) {
    changes.push_back(change);
    return true;
  }).ok());
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].seq, 1u);
  EXPECT_EQ(changes[1].op, ChangeOp::kDelete);
  EXPECT_EQ(changes[1].rid, "r0");
  EXPECT_EQ(*(*store)->GetCursor("graph"), 1u);
  EXPECT_EQ(*(*store)->GetCursor("other"), 0u);
  EXPECT_EQ((*(*store)->GetBlob("big"))->size(), 100000u);
  EXPECT_FALSE((*store)->Put("meta", "y", "2").ok());  // read-only
}

TEST_F(StoreTest, StagedStoreIsInvisibleUntilCommitAndDiscardedWithout) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Put("meta", "version", "1").ok());
  }
  {
    auto staged = Store::OpenStaged(path_, {.bulk_load = true});
    ASSERT_TRUE(staged.ok()) << staged.status();
    ASSERT_TRUE((*staged)->Put("meta", "version", "2").ok());
    // Another writer is refused while the staged one holds the lock.
    EXPECT_EQ(Store::Open(path_).status().code(), absl::StatusCode::kUnavailable);
    auto reader = Store::Open(path_, {.read_only = true});
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(*(*reader)->GetMeta("version"), std::optional<std::string>("1"));
    // dropped without Commit
  }
  {
    auto reader = Store::Open(path_, {.read_only = true});
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(*(*reader)->GetMeta("version"), std::optional<std::string>("1"));
  }
  {
    auto staged = Store::OpenStaged(path_, {.bulk_load = true});
    ASSERT_TRUE(staged.ok()) << staged.status();
    ASSERT_TRUE((*staged)->Put("meta", "version", "3").ok());
    ASSERT_TRUE((*staged)->Commit().ok());
  }
  auto reader = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(*(*reader)->GetMeta("version"), std::optional<std::string>("3"));
  int generations = 0;
  for (const auto& entry : fs::directory_iterator(path_)) {
    generations += entry.path().filename().string().rfind("gen-", 0) == 0;
  }
  EXPECT_EQ(generations, 1);
}

TEST_F(StoreTest, QuarantineAndCountsRoundTrip) {
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok());
  Batch batch(**store);
  ASSERT_TRUE(batch.PutQuarantine({"s1", "r9", 3, "listed_on", "missing", "{\"rid\":\"r9\"}"}).ok());
  ASSERT_TRUE(batch.PutQuarantine({"s2", "", 0, "rid", "missing", "{}"}).ok());
  SourceCounts counts{"s1", RecordKind::kList, 10, 9, 1, 2, 9, 0, 0};
  ASSERT_TRUE(batch.PutSourceCounts(counts).ok());
  ASSERT_TRUE((*store)->Write(batch).ok());
  std::vector<QuarantineEntry> entries;
  ASSERT_TRUE((*store)->ForEachQuarantine("", [&](const QuarantineEntry& entry) {
    entries.push_back(entry);
    return true;
  }).ok());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].source, "s1");
  EXPECT_EQ(entries[0].rid, "r9");
  EXPECT_EQ(entries[0].seq, 3u);
  EXPECT_EQ(entries[0].field, "listed_on");
  EXPECT_EQ(entries[0].raw, "{\"rid\":\"r9\"}");
  EXPECT_EQ(entries[1].rid, "");
  auto stored = (*store)->GetSourceCounts("s1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->read, 10u);
  EXPECT_EQ((*stored)->kind, RecordKind::kList);
  EXPECT_EQ((*stored)->flagged, 2u);
  EXPECT_EQ((*(*store)->AllSourceCounts()).size(), 1u);
}

TEST(BigEndian, SortsNumerically) {
  for (std::uint64_t value : {0ull, 1ull, 255ull, 256ull, 1ull << 40, ~0ull}) {
    EXPECT_EQ(DecodeBigEndian64(EncodeBigEndian64(value)), value);
  }
  EXPECT_LT(EncodeBigEndian64(255), EncodeBigEndian64(256));
}

}  // namespace
}  // namespace cg::core::store
