// Tests for core/store/store.h: families on demand, atomic batches, prefix scans, records,
// quarantine, the change log and cursors, staged generations (commit and abandon), read-only.
#include "core/store/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <algorithm>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
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

// A family dropped and created anew in a staged copy: empty at once, only its new keys after the
// commit, untouched in the live store until then; dropping an absent family is a no-op.
TEST_F(StoreTest, DroppedFamilyComesBackEmptyAndCommitsAtomically) {
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 100; ++i) ASSERT_TRUE((*store)->Put("things", absl::StrCat("k", i), "old").ok());
  }
  {
    auto staged = Store::OpenStaged(path_, {.bulk_load = true});
    ASSERT_TRUE(staged.ok()) << staged.status();
    ASSERT_TRUE((*staged)->DropFamily("things").ok());
    ASSERT_TRUE((*staged)->DropFamily("never_created").ok());
    EXPECT_FALSE((*staged)->HasFamily("things"));
    ASSERT_TRUE((*staged)->Put("things", "k7", "new").ok());
    int count = 0;
    ASSERT_TRUE((*staged)->ScanPrefix("things", "", [&](std::string_view, std::string_view) { return ++count, true; }).ok());
    EXPECT_EQ(count, 1);
    auto reader = Store::Open(path_, {.read_only = true});
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(*(*reader)->Get("things", "k1"), std::optional<std::string>("old"));
    ASSERT_TRUE((*staged)->Commit().ok());
  }
  auto reader = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(*(*reader)->Get("things", "k1"), std::nullopt);
  EXPECT_EQ(*(*reader)->Get("things", "k7"), std::optional<std::string>("new"));
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

namespace cg::core::store {
namespace {

class SstLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("cg_sst_loader_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    fs::remove_all(path_);
  }
  void TearDown() override { fs::remove_all(path_); }
  std::string path_;
};

// Keys in random order over many small runs (so the SST files overlap each other and keys
// already in the family), read back after Commit: the family equals a std::map reference.
TEST_F(SstLoaderTest, RandomOverlappingRunsReadBackLikeAMap) {
  std::map<std::string, std::string> reference;
  {
    auto store = Store::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    for (int index = 0; index < 50; ++index) {
      const std::string key = absl::StrCat("old", index);
      ASSERT_TRUE((*store)->Put("things", key, "before").ok());
      reference[key] = "before";
    }
  }
  auto staged = Store::OpenStaged(path_, {.bulk_load = true});
  ASSERT_TRUE(staged.ok()) << staged.status();
  auto family = (*staged)->Family("things");
  ASSERT_TRUE(family.ok());
  SstLoader loader(**staged, *family, /*run_bytes=*/1);  // clamped to 64 KB runs
  std::mt19937 rng(11);
  std::vector<int> order(20000);
  for (int index = 0; index < int(order.size()); ++index) order[index] = index;
  std::shuffle(order.begin(), order.end(), rng);
  for (int index : order) {
    // A few keys overwrite keys stored before the load ("old…").
    const std::string key = index < 20 ? absl::StrCat("old", index) : absl::StrCat("k", index);
    const std::string value = absl::StrCat("v", index * 7, std::string(index % 13, 'x'));
    loader.Add(key, value);
    reference[key] = value;
  }
  ASSERT_TRUE(loader.Finish().ok());
  EXPECT_EQ(loader.entries(), order.size());
  ASSERT_TRUE((*staged)->Commit().ok());
  staged->reset();

  auto store = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(store.ok()) << store.status();
  std::map<std::string, std::string> got;
  ASSERT_TRUE((*store)
                  ->ScanPrefix("things", "",
                               [&](std::string_view key, std::string_view value) {
                                 got.emplace(key, value);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(got, reference);
  auto point = (*store)->Get("things", "old3");
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->value_or(""), reference["old3"]);
}

// Change-log entries through a loader take the store's sequence numbers: a batch appended
// afterwards continues after them, and ReadChanges returns all in order.
TEST_F(SstLoaderTest, ChangeEntriesShareTheStoreCounter) {
  auto staged = Store::OpenStaged(path_, {.bulk_load = true});
  ASSERT_TRUE(staged.ok()) << staged.status();
  auto changes = (*staged)->Family(kChangesFamily);
  ASSERT_TRUE(changes.ok());
  {
    Batch batch(**staged);
    ASSERT_TRUE(batch.AppendChange(ChangeOp::kDelete, RecordKind::kList, "s", "gone").ok());
    ASSERT_TRUE((*staged)->Write(batch).ok());
  }
  SstLoader loader(**staged, *changes);
  for (int index = 0; index < 100; ++index) {
    loader.AddChange(ChangeOp::kInsert, RecordKind::kRegistry,
                     RecordKey("s", absl::StrCat("r", index)));
  }
  ASSERT_TRUE(loader.Finish().ok());
  {
    Batch batch(**staged);
    ASSERT_TRUE(batch.AppendChange(ChangeOp::kUpdate, RecordKind::kRegistry, "s", "last").ok());
    ASSERT_TRUE((*staged)->Write(batch).ok());
  }
  EXPECT_EQ((*staged)->LastChangeSeq(), 102u);
  ASSERT_TRUE((*staged)->Commit().ok());
  staged->reset();
  auto store = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(store.ok());
  std::vector<Change> log;
  ASSERT_TRUE((*store)->ReadChanges(0, [&](const Change& change) {
    log.push_back(change);
    return true;
  }).ok());
  ASSERT_EQ(log.size(), 102u);
  for (std::size_t index = 0; index < log.size(); ++index) EXPECT_EQ(log[index].seq, index + 1);
  EXPECT_EQ(log.front().op, ChangeOp::kDelete);
  EXPECT_EQ(log[1].rid, "r0");
  EXPECT_EQ(log[100].rid, "r99");
  EXPECT_EQ(log.back().op, ChangeOp::kUpdate);
  EXPECT_FALSE(fs::exists(fs::path(path_) / "gen-000002" / "bulk"));
}

// Change-log groups (SstLoader::AddChange packs consecutive changes into one entry): random
// changes through two loaders and write batches, interleaved (so groups break on a gap in the
// sequence numbers), of several sources, ops and kinds (so groups break on those too), some
// rids empty or long, over several runs. ReadChanges(after) for every `after` must equal the
// reference list of every change with seq > after, in order; so must a reopened store, whose
// LastChangeSeq must be the last one (the counter resumes after a group's last change).
TEST_F(SstLoaderTest, ChangeGroupsReadBackLikeSingleEntries) {
  std::mt19937 rng(11);
  std::vector<Change> reference;
  auto staged = Store::OpenStaged(path_, {.bulk_load = true});
  ASSERT_TRUE(staged.ok()) << staged.status();
  auto changes = (*staged)->Family(kChangesFamily);
  ASSERT_TRUE(changes.ok());
  std::vector<std::unique_ptr<SstLoader>> loaders;
  loaders.push_back(std::make_unique<SstLoader>(**staged, *changes, 1 << 16));
  loaders.push_back(std::make_unique<SstLoader>(**staged, *changes, 1 << 16));
  const std::vector<std::string> sources = {"a", "src_b", ""};
  const ChangeOp ops[] = {ChangeOp::kInsert, ChangeOp::kUpdate, ChangeOp::kDelete};
  for (int index = 0; index < 3000; ++index) {
    Change change;
    change.source = sources[rng() % 3 == 0 ? rng() % sources.size() : 0];
    change.rid = rng() % 50 == 0 ? std::string() : absl::StrCat("r", index);
    if (rng() % 100 == 0) change.rid.append(300, 'x');
    change.op = rng() % 5 == 0 ? ops[rng() % 3] : ChangeOp::kInsert;
    change.kind = rng() % 7 == 0 ? RecordKind::kList : RecordKind::kRegistry;
    const unsigned where = rng() % 20;
    if (where == 0) {
      Batch batch(**staged);
      ASSERT_TRUE(batch.AppendChange(change.op, change.kind, change.source, change.rid).ok());
      ASSERT_TRUE((*staged)->Write(batch).ok());
    } else {
      loaders[where % 2]->AddChange(change.op, change.kind, RecordKey(change.source, change.rid));
    }
    change.seq = (*staged)->LastChangeSeq();
    reference.push_back(change);
  }
  for (auto& loader : loaders) ASSERT_TRUE(loader->Finish().ok());
  loaders.clear();
  auto check = [&](Store& store) {
    for (std::uint64_t after = 0; after <= reference.size() + 1; after += 1 + rng() % 7) {
      std::vector<Change> log;
      ASSERT_TRUE(store.ReadChanges(after, [&](const Change& change) {
        log.push_back(change);
        return true;
      }).ok());
      std::vector<Change> expected;
      for (const Change& change : reference) {
        if (change.seq > after) expected.push_back(change);
      }
      ASSERT_EQ(log.size(), expected.size()) << after;
      for (std::size_t index = 0; index < log.size(); ++index) {
        ASSERT_EQ(log[index].seq, expected[index].seq) << after;
        ASSERT_EQ(log[index].op, expected[index].op) << log[index].seq;
        ASSERT_EQ(log[index].kind, expected[index].kind) << log[index].seq;
        ASSERT_EQ(log[index].source, expected[index].source) << log[index].seq;
        ASSERT_EQ(log[index].rid, expected[index].rid) << log[index].seq;
      }
    }
    // Stopping early stops.
    int seen = 0;
    ASSERT_TRUE(store.ReadChanges(10, [&](const Change&) { return ++seen < 5; }).ok());
    EXPECT_EQ(seen, 5);
  };
  check(**staged);
  ASSERT_TRUE((*staged)->Commit().ok());
  staged->reset();
  auto store = Store::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->LastChangeSeq(), reference.back().seq);
  check(**store);
}

TEST_F(SstLoaderTest, DuplicateKeyIsAnErrorAndAbandonedLoadLeavesNothing) {
  {
    auto staged = Store::OpenStaged(path_, {.bulk_load = true});
    ASSERT_TRUE(staged.ok()) << staged.status();
    auto family = (*staged)->Family("things");
    ASSERT_TRUE(family.ok());
    SstLoader loader(**staged, *family);
    loader.Add("b", "1");
    loader.Add("a", "2");
    loader.Add("b", "3");
    EXPECT_FALSE(loader.Finish().ok());
    // No Commit: the staged generation is discarded.
  }
  auto store = Store::Open(path_, {.read_only = true});
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->HasFamily("things"));
}

}  // namespace
}  // namespace cg::core::store
