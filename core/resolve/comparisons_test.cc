// CompareRows against the mention columns: every field of every row reads back as the columns
// hold it (long fields with multi-byte varint lengths, empty fields, both classes), and the
// comparison patterns from rows equal the patterns from columns on random pairs.
#include "core/resolve/comparisons.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/resolve/resolve_test_util.h"

namespace cg::core::resolve {
namespace {

using testing::IdNo;
using testing::Org;
using testing::Person;
using testing::Rec;
using testing::Uscc;

void ExpectSameFields(const CompareFields& x, const CompareFields& y) {
  EXPECT_EQ(x.klass, y.klass);
  EXPECT_EQ(x.birth, y.birth);
  for (auto member : {&CompareFields::core, &CompareFields::folded, &CompareFields::trade,
                      &CompareFields::region, &CompareFields::rel_name, &CompareFields::rel_code,
                      &CompareFields::address, &CompareFields::phone, &CompareFields::uscc,
                      &CompareFields::org_code, &CompareFields::reg_no, &CompareFields::id_no,
                      &CompareFields::weak_codes}) {
    EXPECT_EQ(x.*member, y.*member);
  }
}

TEST(CompareRows, RowsReadBackAsTheColumns) {
  MentionTable table;
  // A long address (over 127 and over 16,383 bytes: two- and three-byte varint lengths), an empty
  // organization, a person with a birth date from the ID number, a typo'd code (weak codes).
  Identity org = Org("济南宏达科技有限公司", Uscc(7), "370102");
  org.address = std::string(200, 'a');
  org.phone = "0531-88888888";
  Identity rep = Person("张伟", IdNo(3, "19800101"), "370102");
  table.Add(Rec("registry", "1", RecordKind::kRegistry, org, rep));
  Identity far = Org("青岛某某商贸有限公司");
  far.address = std::string(20000, 'b');
  far.uscc = testing::BreakCheck(Uscc(9));
  far.weak = kWeakUscc;
  table.Add(Rec("penalty", "2", RecordKind::kPenalty, far));
  table.Add(Rec("penalty", "3", RecordKind::kPenalty, Org("")));
  const CompareRows rows(table);
  ASSERT_EQ(rows.size(), table.size());
  for (MentionId m = 0; m < table.size(); ++m) ExpectSameFields(rows[m], FieldsOf(table, m));
  EXPECT_EQ(rows[2].address.size(), 20000u);  // mention 1 is the legal representative
}

TEST(CompareRows, IdenticalMentionsShareOneRowAndReadBackTheirOwn) {
  // The same company in ten records, written the same way: one row for the ten. Mentions that
  // differ in one field only (the address; the birth date of a person; the class) keep their own.
  MentionTable table;
  Identity org = Org("济南宏达科技有限公司", Uscc(7), "370102");
  org.address = std::string(300, 'a');
  for (int i = 0; i < 10; ++i) table.Add(Rec("penalty", std::to_string(i), RecordKind::kPenalty, org));
  Identity moved = org;
  moved.address = std::string(300, 'b');
  table.Add(Rec("penalty", "moved", RecordKind::kPenalty, moved));
  Identity person = Person("张伟", "", "370102");
  person.birth = *MakeDate(1980, 1, 1);
  table.Add(Rec("officer", "p1", RecordKind::kOfficer, person));
  person.birth = *MakeDate(1980, 1, 2);
  table.Add(Rec("officer", "p2", RecordKind::kOfficer, person));
  table.Add(Rec("officer", "p3", RecordKind::kOfficer, person));
  const CompareRows rows(table);
  ASSERT_EQ(rows.size(), table.size());
  for (MentionId m = 0; m < table.size(); ++m) ExpectSameFields(rows[m], FieldsOf(table, m));
  // Ten identical rows stored once: fewer bytes than two of them (each holds a 300-byte address).
  EXPECT_LT(rows.bytes(), table.size() * sizeof(std::uint64_t) + 3 * 300 + 400);
  EXPECT_EQ(rows[0].address.data(), rows[9].address.data());
  EXPECT_NE(rows[0].address.data(), rows[10].address.data());
  EXPECT_NE(rows[11].birth, rows[12].birth);
  EXPECT_EQ(rows[12].core.data(), rows[13].core.data());
}

TEST(CompareRows, OnlyNeededMentionsGetRowsAndTheyReadBackTheirOwn) {
  // Rows made for a random third of a synthetic province (as Resolve() makes them for the
  // mentions its pairs and samples compare): those read back their own fields, equal to the
  // rows of a full build, and share rows among themselves only; the others read as empty.
  MentionTable table;
  for (const auto& record : testing::MakeSynthetic(300, 5).records) table.Add(record);
  std::mt19937 rng(9);
  std::vector<char> needed(table.size(), 0);
  std::size_t count = 0;
  for (auto& flag : needed) count += (flag = rng() % 3 == 0 ? 1 : 0);
  const CompareRows some(table, &needed), all(table);
  ASSERT_EQ(some.size(), table.size());
  EXPECT_EQ(some.made(), count);
  EXPECT_EQ(all.made(), table.size());
  EXPECT_LT(some.bytes(), all.bytes());
  for (MentionId m = 0; m < table.size(); ++m) {
    if (needed[m]) {
      ExpectSameFields(some[m], FieldsOf(table, m));
      ExpectSameFields(some[m], all[m]);
    } else {
      ExpectSameFields(some[m], CompareFields{});
    }
  }
}

TEST(CompareRows, PatternsEqualColumnPatternsOnRandomPairs) {
  MentionTable table;
  for (const auto& record : testing::MakeSynthetic(400, 11).records) table.Add(record);
  const CompareRows rows(table);
  std::mt19937 rng(5);
  int compared = 0;
  for (int i = 0; i < 20000; ++i) {
    const MentionId a = rng() % table.size(), b = rng() % table.size();
    if (table.kind_class[a] != table.kind_class[b]) continue;
    ++compared;
    ASSERT_EQ(Compare(rows[a], rows[b]), Compare(table, a, b)) << a << " " << b;
    ASSERT_EQ(SharesStrongCode(rows[a], rows[b]), SharesStrongCode(FieldsOf(table, a), FieldsOf(table, b)));
  }
  EXPECT_GT(compared, 5000);
  // Neighbours in the table are often the same company: non-trivial levels occur.
  int same_name = 0;
  for (MentionId m = 0; m + 1 < table.size(); ++m) {
    if (table.kind_class[m] != table.kind_class[m + 1]) continue;
    ASSERT_EQ(Compare(rows[m], rows[m + 1]), Compare(table, m, m + 1));
    same_name += rows[m].core == rows[m + 1].core;
  }
  EXPECT_GT(same_name, 100);
}

}  // namespace
}  // namespace cg::core::resolve
