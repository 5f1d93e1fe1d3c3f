// Tests of the mention table's columns: the dictionary-encoded StringColumn against a plain
// vector of strings (the obvious reference), on hand-made and random rows.
#include "core/resolve/mentions.h"

#include "core/resolve/resolve_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <string>
#include <utility>
#include <vector>

namespace cg::core::resolve {
namespace {

using testing::MakeSynthetic;
using testing::Org;
using testing::Rec;
using testing::Synthetic;
using testing::Uscc;

// The fewest bytes that hold `id`: what a column's rows should take.
std::size_t WidthFor(std::size_t id) { return id < (1u << 8) ? 1 : id < (1u << 16) ? 2 : id < (1u << 24) ? 3 : 4; }

// Every row of `column` equals the reference, and equal values have equal ids (unequal, unequal).
void ExpectSame(const StringColumn& column, const std::vector<std::string>& reference) {
  ASSERT_EQ(column.size(), reference.size());
  std::unordered_map<std::string_view, std::uint32_t> id_of;
  std::vector<const std::string*> value_of(column.distinct(), nullptr);
  for (std::size_t row = 0; row < reference.size(); ++row) {
    ASSERT_EQ(column[row], reference[row]) << "row " << row;
    const std::uint32_t id = column.id(row);
    ASSERT_LT(id, column.distinct()) << "row " << row;
    ASSERT_EQ(column.value(id), reference[row]);
    ASSERT_EQ(id == 0, reference[row].empty()) << "row " << row;
    ASSERT_EQ(id_of.emplace(reference[row], id).first->second, id) << "row " << row;  // equal values, equal ids
    if (value_of[id] == nullptr) value_of[id] = &reference[row];
    ASSERT_EQ(*value_of[id], reference[row]) << "row " << row;  // equal ids, equal values
  }
  ASSERT_GE(column.bytes(), column.value_bytes() + column.size() * column.id_bytes());
}

std::vector<std::string> RandomValues(std::mt19937_64& rng, std::size_t rows, int alphabet) {
  // Few distinct short values (many repeats), the empty string among them, some multibyte text.
  static const std::vector<std::string> parts = {"宏达", "建材", "a", "b", "有限公司", "0"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rows; ++i) {
    std::string value;
    const int length = static_cast<int>(rng() % 4);
    for (int k = 0; k < length; ++k) value += parts[rng() % std::min<std::size_t>(alphabet, parts.size())];
    out.push_back(value);
  }
  return out;
}

TEST(StringColumn, HandMadeRowsStoreEachValueOnce) {
  StringColumn column;
  const std::vector<std::string> rows = {"宏达建材", "", "宏达建材", "华通", "", "华通", "宏达建材"};
  for (const auto& row : rows) column.push_back(row);
  ExpectSame(column, rows);
  EXPECT_EQ(column.distinct(), 3u);  // "", 宏达建材, 华通
  EXPECT_EQ(column.id(0), column.id(2));
  EXPECT_NE(column.id(0), column.id(3));
}

TEST(StringColumn, RandomRowsEqualTheReferenceAfterAppendCopySealAndClear) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    const int alphabet = 1 + round % 6;
    std::vector<std::string> reference;
    StringColumn column;
    // Built from chunks appended, as the reader does (each chunk its own dictionary; odd rounds
    // stage them without deduplication, as the reader's chunk tables do).
    for (int chunk = 0; chunk < 4; ++chunk) {
      const auto values = RandomValues(rng, rng() % 300, alphabet);
      StringColumn part;
      part.set_dedupe(round % 2 == 0);
      for (const auto& v : values) part.push_back(v);
      if (round % 2 == 0) ExpectSame(part, values);
      for (std::size_t row = 0; row < values.size(); ++row) ASSERT_EQ(part[row], values[row]);
      if (chunk % 2 == 1) {
        column.append(part);
      } else {
        for (const auto& v : values) column.push_back(v);
      }
      reference.insert(reference.end(), values.begin(), values.end());
      ExpectSame(column, reference);
    }
    // Copies and moves are independent of the original.
    StringColumn copy = column;
    column.Seal();  // the index goes; pushing again rebuilds it
    for (const auto& v : RandomValues(rng, 50, alphabet)) {
      column.push_back(v);
      reference.push_back(v);
    }
    ExpectSame(column, reference);
    ExpectSame(copy, std::vector<std::string>(reference.begin(), reference.begin() + static_cast<long>(copy.size())));
    StringColumn moved = std::move(copy);
    moved.push_back("moved");
    EXPECT_EQ(moved[moved.size() - 1], "moved");
    column.clear();
    EXPECT_EQ(column.size(), 0u);
    EXPECT_EQ(column.distinct(), 1u);
    column.push_back("x");
    column.push_back("");
    column.push_back("x");
    ExpectSame(column, {"x", "", "x"});
  }
}

// Values drawn from a pool of `pool` distinct ones (the empty string one of them, some multibyte).
std::vector<std::string> PoolValues(std::mt19937_64& rng, std::size_t rows, std::size_t pool) {
  std::vector<std::string> out;
  out.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t k = rng() % pool;
    out.push_back(k == 0 ? std::string() : (k % 3 == 0 ? "宏达" : "v") + std::to_string(k));
  }
  return out;
}

TEST(StringColumn, NarrowIdsWidenAcrossEveryLimitRowByRowAndInAppends) {
  // Pools of 10, 300, 70,000 and 200,000 distinct values: ids of 1, 2, 3 and 3 bytes. The column
  // is built from pieces pushed row by row and pieces appended from staging columns
  // (deduplicating or not), of random sizes, so that the widenings fall at random places in
  // either path; after every piece it equals the reference row by row and its rows take the
  // fewest bytes its ids need. Then: sealed and grown again, copied, moved, cleared and refilled.
  std::mt19937_64 rng(11);
  for (const std::size_t pool : {std::size_t{10}, std::size_t{300}, std::size_t{70000}, std::size_t{200000}}) {
    for (int round = 0; round < (pool <= 300 ? 4 : 2); ++round) {
      SCOPED_TRACE(::testing::Message() << "pool " << pool << " round " << round);
      const std::size_t target = pool <= 300 ? 3000 : std::max<std::size_t>(pool, 250000);  // 70,000: > 65,536 drawn
      std::vector<std::string> reference;
      StringColumn column;
      while (reference.size() < target) {
        const std::size_t rows = 1 + rng() % (target / 4 + 1);
        const auto values = PoolValues(rng, rows, pool);
        const int how = static_cast<int>(rng() % 3);
        if (how == 0) {
          for (const auto& v : values) column.push_back(v);
        } else {
          StringColumn part;
          part.set_dedupe(how == 1);
          for (const auto& v : values) part.push_back(v);
          if (how == 1) {
            ASSERT_EQ(part.id_bytes(), WidthFor(part.distinct() - 1));
            ExpectSame(part, values);
          }
          column.append(part);
        }
        reference.insert(reference.end(), values.begin(), values.end());
        ASSERT_EQ(column.id_bytes(), WidthFor(column.distinct() - 1));
        ExpectSame(column, reference);
      }
      ASSERT_EQ(column.id_bytes(), pool <= 256 ? 1u : pool <= 65536 ? 2u : 3u);
      // Sealed: the rows' slack goes (the rows, 3 bytes of padding), and they read the same.
      column.Seal();
      EXPECT_EQ(column.bytes() - column.value_bytes(), column.size() * column.id_bytes() + 3);
      ExpectSame(column, reference);
      // Copies are independent of the original; a move leaves the moved-to column whole.
      StringColumn copy = column;
      const auto more = PoolValues(rng, 1000, pool * 2);  // new values too
      for (const auto& v : more) column.push_back(v);
      std::vector<std::string> grown = reference;
      grown.insert(grown.end(), more.begin(), more.end());
      ExpectSame(column, grown);
      ExpectSame(copy, reference);
      StringColumn assigned;
      assigned.push_back("something else");
      assigned = copy;
      ExpectSame(assigned, reference);
      StringColumn moved = std::move(copy);
      ExpectSame(moved, reference);
      StringColumn move_assigned;
      move_assigned = std::move(moved);
      move_assigned.push_back("moved");
      reference.push_back("moved");
      ExpectSame(move_assigned, reference);
      // Cleared (memory and width kept) and refilled: reads the new rows only.
      column.clear();
      EXPECT_EQ(column.size(), 0u);
      EXPECT_EQ(column.distinct(), 1u);
      const auto refill = PoolValues(rng, target / 2, pool);
      StringColumn refill_part;
      for (std::size_t row = 0; row < refill.size() / 2; ++row) column.push_back(refill[row]);
      for (std::size_t row = refill.size() / 2; row < refill.size(); ++row) refill_part.push_back(refill[row]);
      column.append(refill_part);
      ExpectSame(column, refill);
    }
  }
}

TEST(StringColumn, FourByteIdsPastTwoToThe24) {
  // More than 2^24 ids (a staging column: every non-empty value a new id, no index), crossing
  // into 4-byte rows once row by row and once inside an append. The reference is compact (the
  // value's index in a small pool per row; a row's id is the count of non-empty rows so far).
  const std::vector<std::string> pool = {"", "a", "宏达", "bc", "0"};
  std::mt19937_64 rng(5);
  constexpr std::size_t kIds = (std::size_t{1} << 24) + 1000;
  for (const bool by_append : {false, true}) {
    SCOPED_TRACE(by_append ? "append" : "push_back");
    StringColumn column;
    column.set_dedupe(false);
    std::vector<std::uint8_t> reference;
    reference.reserve(kIds + kIds / 8);
    std::size_t ids = 0;
    auto push = [&](StringColumn& into) {
      const std::uint8_t k = static_cast<std::uint8_t>(rng() % pool.size());
      into.push_back(pool[k]);
      reference.push_back(k);
      ids += k != 0;
    };
    const std::size_t first = by_append ? kIds - 300000 : kIds;
    while (ids < first) push(column);
    if (by_append) {
      StringColumn part;
      part.set_dedupe(false);
      while (ids < kIds) push(part);
      ASSERT_EQ(column.id_bytes(), 3u);
      column.append(part);
    }
    ASSERT_EQ(column.id_bytes(), 4u);
    ASSERT_EQ(column.distinct(), ids + 1);
    std::uint32_t expected = 0;
    for (std::size_t row = 0; row < reference.size(); ++row) {
      const std::string& value = pool[reference[row]];
      if (!value.empty()) ++expected;
      ASSERT_EQ(column.id(row), value.empty() ? 0 : expected) << "row " << row;
      ASSERT_EQ(column[row], value) << "row " << row;
    }
  }
}

// Record ids as the reader gives them: mostly ascending numbers with a family letter, often a
// record's two sides one after the other (the same rid twice, now and then three times), now
// and then an empty, a long or a multibyte one.
std::vector<std::string> RandomRids(std::mt19937_64& rng, std::size_t rows) {
  std::vector<std::string> out;
  std::uint64_t number = rng() % 1000;
  while (out.size() < rows) {
    const std::uint64_t pick = rng() % 100;
    std::string rid;
    if (pick == 0) {
      rid = "";
    } else if (pick == 1) {
      rid = std::string(200 + rng() % 3000, static_cast<char>('a' + rng() % 26));
    } else if (pick == 2) {
      rid = "处罚-" + std::to_string(rng() % 50);
    } else {
      number += 1 + rng() % 3;
      char text[32];
      std::snprintf(text, sizeof(text), "%c%09llu%s", "RXCO"[rng() % 4], static_cast<unsigned long long>(number),
                    rng() % 2 ? "-1" : "");
      rid = text;
    }
    const std::size_t copies = 1 + (rng() % 2) + (rng() % 10 == 0 ? 1 : 0);
    for (std::size_t k = 0; k < copies; ++k) out.push_back(rid);
  }
  out.resize(rows);
  return out;
}

void ExpectSameRids(const PlainStringColumn& column, const std::vector<std::string>& reference) {
  ASSERT_EQ(column.size(), reference.size());
  for (std::size_t row = 0; row < reference.size(); ++row) {
    ASSERT_EQ(column[row], reference[row]) << "row " << row;
    if (row > 0) {
      // Two rows in one expression (as the engine's key order and the resolver compare them).
      ASSERT_EQ(column[row] == column[row - 1], reference[row] == reference[row - 1]) << "row " << row;
      ASSERT_EQ(column[row].compare(column[row - 1]) < 0, reference[row] < reference[row - 1]) << "row " << row;
    }
  }
  ASSERT_GE(column.bytes(), column.size() * sizeof(std::uint32_t));
}

TEST(PlainStringColumn, RandomRidsEqualTheReferenceAcrossBlocksAppendsCopiesAndClear) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    std::vector<std::string> reference;
    PlainStringColumn column;
    // Pieces pushed row by row or appended from other columns (as the reader's chunk tables),
    // of random sizes: block boundaries (every 4,096 rows) fall anywhere, also inside runs of
    // equal rids and inside appends.
    while (reference.size() < 30000) {
      const auto rids = RandomRids(rng, 1 + rng() % 9000);
      if (rng() % 2 == 0) {
        for (const auto& rid : rids) column.push_back(rid);
      } else {
        PlainStringColumn part;
        for (const auto& rid : rids) part.push_back(rid);
        ExpectSameRids(part, rids);
        column.append(part);
      }
      reference.insert(reference.end(), rids.begin(), rids.end());
      ExpectSameRids(column, reference);
    }
    // The text is there once per run of equal rows (twice for a run of three or four), plus the
    // runs cut by a block boundary: no more than the reference's text, and at least its runs'.
    std::size_t all_text = 0, run_text = 0;
    for (std::size_t row = 0; row < reference.size(); ++row) {
      all_text += reference[row].size();
      if (row == 0 || reference[row] != reference[row - 1]) run_text += reference[row].size();
    }
    column.shrink_to_fit();
    ExpectSameRids(column, reference);
    EXPECT_LE(column.text_bytes(), all_text);
    EXPECT_GE(column.text_bytes(), run_text);
    EXPECT_LT(column.text_bytes(), all_text * 3 / 4);  // most rids come twice in a row
    EXPECT_LE(column.bytes(), column.text_bytes() + (reference.size() + 2 * (reference.size() / 4096 + 1)) * 4 +
                                  (reference.size() / 4096 + 1) * 8);
    // Copies and moves.
    PlainStringColumn copy = column;
    const auto more = RandomRids(rng, 5000);
    for (const auto& rid : more) column.push_back(rid);
    std::vector<std::string> grown = reference;
    grown.insert(grown.end(), more.begin(), more.end());
    ExpectSameRids(column, grown);
    ExpectSameRids(copy, reference);
    PlainStringColumn moved = std::move(copy);
    ExpectSameRids(moved, reference);
    PlainStringColumn assigned;
    assigned.push_back("x");
    assigned = moved;
    ExpectSameRids(assigned, reference);
    // Cleared and refilled.
    column.clear();
    EXPECT_EQ(column.size(), 0u);
    const auto refill = RandomRids(rng, 7000);
    PlainStringColumn part;
    for (std::size_t row = 0; row < refill.size(); ++row) (row < 3000 ? column : part).push_back(refill[row]);
    column.append(part);
    ExpectSameRids(column, refill);
  }
}

TEST(MentionTable, AppendedChunksEqualOneTableWithDictionaryColumns) {
  // Two chunks with the same names in another order: after Append the rows read the same values
  // as a table filled record by record, and equal names share one id.
  auto record = [](std::string rid, std::string name, std::string uscc) {
    Record r;
    r.source = "amr_registry";
    r.rid = std::move(rid);
    r.kind = RecordKind::kRegistry;
    r.subject.kind = EntityKind::kEnterprise;
    r.subject.name = std::move(name);
    r.subject.uscc = std::move(uscc);
    return r;
  };
  const std::vector<Record> records = {record("1", "济南宏达建材有限公司", ""), record("2", "华通服装店", ""),
                                       record("3", "华通服装店", ""), record("4", "济南宏达建材有限公司", "")};
  MentionTable whole, first, second;
  for (const auto& r : records) whole.Add(r);
  first.Add(records[0]);
  first.Add(records[1]);
  second.Add(records[2]);
  second.Add(records[3]);
  second.SetStaging();  // staged rows (no deduplication) append the same way
  second.Clear();
  second.Add(records[2]);
  second.Add(records[3]);
  MentionTable staged;
  staged.SetStaging();
  staged.Add(records[1]);
  staged.Add(records[2]);  // the same name twice: two ids while staged, one once appended
  EXPECT_EQ(staged.folded[0], staged.folded[1]);
  EXPECT_NE(staged.folded.id(0), staged.folded.id(1));
  MentionTable merged;
  merged.Append(staged);
  EXPECT_EQ(merged.folded.id(0), merged.folded.id(1));
  MentionTable appended;
  appended.Append(first);
  appended.Append(second);
  ASSERT_EQ(appended.size(), whole.size());
  for (MentionId m = 0; m < whole.size(); ++m) {
    EXPECT_EQ(appended.Digest(m), whole.Digest(m)) << m;
    EXPECT_EQ(appended.core[m], whole.core[m]);
    EXPECT_EQ(appended.rid[m], whole.rid[m]);
  }
  EXPECT_EQ(appended.folded.id(0), appended.folded.id(3));
  EXPECT_EQ(appended.folded.id(1), appended.folded.id(2));
  EXPECT_NE(appended.folded.id(0), appended.folded.id(1));
}

TEST(MentionTable, BulkDigestsEqualOneByOneAndTellMentionsApart) {
  // Digests() hashes each distinct value once; Digest(m) hashes the mention's own text: the same
  // numbers, on a synthetic province (many repeated values) read as two appended chunks.
  const Synthetic synthetic = MakeSynthetic(300, 7);
  MentionTable table, chunk;
  chunk.SetStaging();
  for (std::size_t i = 0; i < synthetic.records.size(); ++i) {
    chunk.Add(synthetic.records[i]);
    if (i == synthetic.records.size() / 2) {
      table.Append(chunk);
      chunk.Clear();
    }
  }
  table.Append(chunk);
  ASSERT_GT(table.size(), 500u);
  const std::vector<std::uint64_t> all = table.Digests(table.size());
  const std::vector<std::uint64_t> some = table.Digests(table.size() / 3);
  ASSERT_EQ(all.size(), table.size());
  ASSERT_EQ(some.size(), table.size() / 3);
  for (MentionId m = 0; m < table.size(); ++m) {
    ASSERT_EQ(all[m], table.Digest(m)) << m;
    if (m < some.size()) {
      ASSERT_EQ(some[m], all[m]);
    }
  }
  // Every mention has its own (source, rid, role): all digests differ.
  std::vector<std::uint64_t> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  // One value changed in one column changes the digest; values moved between columns too.
  MentionTable one, other, swapped;
  Record record = Rec("amr_registry", "1", RecordKind::kRegistry, Org("济南宏达建材有限公司", Uscc(1)));
  one.Add(record);
  record.subject.phone = "053188886666";
  other.Add(record);
  record.subject.phone.clear();
  record.subject.address = "053188886666";
  swapped.Add(record);
  EXPECT_NE(one.Digests(1)[0], other.Digests(1)[0]);
  EXPECT_NE(other.Digests(1)[0], swapped.Digests(1)[0]);
  EXPECT_EQ(one.Digests(1)[0], one.Digest(0));
}

TEST(MentionTable, RetiredRegionCodeReadAsItsSuccessor) {
  // 莱城区 (371202) became 济南市莱芜区 (370116) in 2019; some departments still send the old
  // code. Ingest maps it; records handed to the resolver directly must be mapped too, or the
  // mention lands in a city that no longer exists (and misses its company's blocks).
  MentionTable table;
  table.Add(Rec("amr_registry", "1", RecordKind::kRegistry, Org("莱芜鑫源商贸有限公司", Uscc(3), "371202")));
  table.Add(Rec("amr_registry", "2", RecordKind::kRegistry, Org("济南鑫源商贸有限公司", Uscc(4), "370102")));
  table.Add(Rec("amr_registry", "3", RecordKind::kRegistry, Org("鑫源商贸有限公司", Uscc(5), "371202")));
  EXPECT_EQ(table.region[0], "370116");
  EXPECT_EQ(table.region[1], "370102");
  EXPECT_EQ(table.region[2], "370116");
}

// Without a region field, an organization's region comes from its name — a branch's from its
// branch part: it is registered where it operates (淄博鼎盛…胶州分公司 is in 胶州, 370281), and
// its own registry record is there (otherwise the two miss each other's blocks).
TEST(MentionTable, BranchNameGivesTheBranchRegion) {
  MentionTable table;
  table.Add(Rec("amr_branches", "1", RecordKind::kBranch, Org("淄博鼎盛投资管理有限公司胶州分公司")));
  table.Add(Rec("amr_branches", "2", RecordKind::kBranch, Org("淄博鼎盛投资管理有限公司")));
  table.Add(Rec("amr_branches", "3", RecordKind::kBranch, Org("淄博鼎盛投资管理有限公司第一分公司")));
  table.Add(Rec("amr_branches", "4", RecordKind::kBranch, Org("淄博鼎盛投资管理有限公司胶州分公司", "", "370202")));
  EXPECT_EQ(table.region[0], "370281");
  EXPECT_EQ(table.region[1], "370300");
  EXPECT_EQ(table.region[2], "370300");  // no place in the branch part: the parent's
  EXPECT_EQ(table.region[3], "370202");  // the record's own region field wins
}

}  // namespace
}  // namespace cg::core::resolve
