// AddStoreRecords (parallel decode in chunks, appended in order) against the plain record-by-record
// Add over Store::ForEachRecord, with chunk and window sizes small enough that a few hundred
// records cross many chunk and window boundaries; MentionTable::Append (of cleared and refilled
// tables) against Add.
#include "core/resolve/from_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/resolve/resolve_test_util.h"

namespace cg::core::resolve {
namespace {
namespace fs = std::filesystem;

// Every column of two tables, row by row.
void ExpectSameTables(const MentionTable& x, const MentionTable& y) {
  ASSERT_EQ(x.size(), y.size());
  for (MentionId m = 0; m < x.size(); ++m) {
    ASSERT_EQ(x.Key(m), y.Key(m)) << m;
    EXPECT_EQ(x.fingerprint[m], y.fingerprint[m]);
    EXPECT_EQ(x.kind_class[m], y.kind_class[m]);
    EXPECT_EQ(x.kind[m], y.kind[m]);
    EXPECT_EQ(x.record_kind[m], y.record_kind[m]);
    EXPECT_EQ(x.weak[m], y.weak[m]);
    EXPECT_EQ(x.branch[m], y.branch[m]);
    EXPECT_EQ(x.birth[m], y.birth[m]);
    for (auto column : {&MentionTable::uscc, &MentionTable::org_code, &MentionTable::reg_no, &MentionTable::id_no,
                        &MentionTable::weak_codes, &MentionTable::name, &MentionTable::folded, &MentionTable::core,
                        &MentionTable::trade, &MentionTable::region, &MentionTable::address, &MentionTable::phone,
                        &MentionTable::rel_name, &MentionTable::rel_code}) {
      EXPECT_EQ((x.*column)[m], (y.*column)[m]) << x.Key(m);
    }
  }
}

TEST(MentionTable, AppendEqualsAdd) {
  const testing::Synthetic data = testing::MakeSynthetic(60, 3);
  MentionTable whole, pieced;
  MentionTable piece;
  for (std::size_t i = 0; i < data.records.size(); ++i) {
    whole.Add(data.records[i]);
    piece.Add(data.records[i]);
    if (i % 17 == 16 || i + 1 == data.records.size()) {
      pieced.Append(piece);
      piece.Clear();  // refilled with its memory kept: must append like a fresh table
    }
  }
  ExpectSameTables(whole, pieced);
}

TEST(FromStore, ParallelChunksEqualRecordByRecord) {
  const std::string path =
      (fs::temp_directory_path() / ("cg_from_store_test_" + std::to_string(::getpid()))).string();
  fs::remove_all(path);
  {
    auto store = store::Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    store::Batch batch(**store);
    const testing::Synthetic data = testing::MakeSynthetic(80, 7);
    for (const Record& record : data.records) ASSERT_TRUE(batch.PutRecord(record).ok());
    ASSERT_TRUE((*store)->Write(batch).ok());

    Resolver plain;
    std::vector<std::string> plain_order;
    for (int kind = 0; kind < kNumRecordKinds; ++kind) {
      ASSERT_TRUE((*store)
                      ->ForEachRecord(RecordKind(kind), "",
                                      [&](const Record& record) {
                                        plain.Add(record);
                                        plain_order.push_back(record.source + "/" + record.rid);
                                        return true;
                                      })
                      .ok());
    }
    ASSERT_GT(plain_order.size(), 100u);
    for (auto [chunk, window] : {std::pair<std::size_t, std::size_t>{7, 3}, {1, 1}, {1000, 2}}) {
      Resolver parallel;
      std::vector<std::string> order;
      auto count = AddStoreRecords(
          **store, parallel, [&](const Record& record) { order.push_back(record.source + "/" + record.rid); },
          chunk, window);
      ASSERT_TRUE(count.ok()) << count.status();
      EXPECT_EQ(*count, plain_order.size());
      EXPECT_EQ(order, plain_order);
      ExpectSameTables(plain.mentions(), parallel.mentions());
    }
  }
  fs::remove_all(path);
}

TEST(FromStore, UndecodableRecordFailsTheReadWithItsError) {
  // A damaged value in the middle of the records: the read stops with the decoder's error, at
  // every chunk/window size (the error comes back from the decoding task, not lost with it).
  const std::string path =
      (fs::temp_directory_path() / ("cg_from_store_bad_" + std::to_string(::getpid()))).string();
  fs::remove_all(path);
  {
    auto store = store::Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    store::Batch batch(**store);
    const testing::Synthetic data = testing::MakeSynthetic(80, 3);
    for (const Record& record : data.records) ASSERT_TRUE(batch.PutRecord(record).ok());
    const Record& victim = data.records[data.records.size() / 2];
    ASSERT_TRUE(batch.PutEncodedRecord(victim.kind, store::RecordKey(victim.source, victim.rid), "\x07garbage").ok());
    ASSERT_TRUE((*store)->Write(batch).ok());
    for (auto [chunk, window] : {std::pair<std::size_t, std::size_t>{7, 3}, {1, 1}, {1000, 2}}) {
      Resolver resolver;
      auto count = AddStoreRecords(**store, resolver, nullptr, chunk, window);
      EXPECT_FALSE(count.ok()) << "chunk " << chunk << " window " << window;
    }
  }
  fs::remove_all(path);
}

}  // namespace
}  // namespace cg::core::resolve
