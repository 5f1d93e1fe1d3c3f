// Constraint-aware union-find against the slow reference on random tables and link orders.
//
//   a(U1) --- b(U1, R1)      a–b: same USCC, united
//                |
//   c(U2, R1) ---+           b–c: USCC U1 vs U2 conflict, refused (though the reg. no. agrees)
//
// Births (persons, probabilistic unions only):
//
//   p(1988-03-15) --- q(no birth) --- r(1990-01-01)    p–q united; q–r refused: r's birth
//                                                       clearly differs from p's, now q's cluster's
//   s(ID 1, 1988-03-15) === t(ID 1, 1990-01-01)         a key union: never refused by birth
#include "core/resolve/union_find.h"

#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <random>

#include "core/resolve/resolve_test_util.h"

namespace cg::core::resolve {
namespace {

using testing::Org;
using testing::Rec;

TEST(ConstrainedUnionFind, RefusesConflictingCodes) {
  MentionTable table;
  Identity a = Org("甲", testing::Uscc(1));
  Identity b = Org("甲", testing::Uscc(1));
  b.reg_no = testing::RegNo(1);
  Identity c = Org("乙", testing::Uscc(2));
  c.reg_no = testing::RegNo(1);
  table.Add(Rec("s", "a", RecordKind::kPenalty, a));
  table.Add(Rec("s", "b", RecordKind::kPenalty, b));
  table.Add(Rec("s", "c", RecordKind::kPenalty, c));
  ConstrainedUnionFind uf(table);
  EXPECT_EQ(uf.Unite(0, 1, false), UnionResult::kUnited);
  EXPECT_EQ(uf.Unite(1, 2, false), UnionResult::kRefused);
  EXPECT_EQ(uf.Unite(0, 1, false), UnionResult::kSame);
  EXPECT_NE(uf.Find(0), uf.Find(2));
}

TEST(ConstrainedUnionFind, BranchConstraintOnlyForUnmixedClusters) {
  MentionTable table;
  table.Add(Rec("s", "1", RecordKind::kPenalty, Org("宏达科技有限公司")));
  table.Add(Rec("s", "2", RecordKind::kPenalty, Org("宏达科技有限公司济南分公司")));
  ConstrainedUnionFind uf(table);
  EXPECT_EQ(uf.Unite(0, 1, true), UnionResult::kRefused);
  EXPECT_EQ(uf.Unite(0, 1, false), UnionResult::kUnited);
}

Date D(const char* text) { return *ParseDate(text); }

TEST(BirthsClearlyDiffer, OneKeystrokeIsNotADifferentPerson) {
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), D("1988-03-15")));
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), kNoDate));
  EXPECT_FALSE(BirthsClearlyDiffer(kNoDate, kNoDate));
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), D("1988-03-16")));  // one digit
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), D("1998-03-15")));  // one digit of the year
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), D("1988-08-15")));  // one digit of the month
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-12-03"), D("1988-12-30")));  // adjacent digits swapped
  EXPECT_FALSE(BirthsClearlyDiffer(D("1989-12-03"), D("1998-12-03")));  // in the year
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-05"), D("1988-05-03")));  // month and day swapped
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-12"), D("1988-12-03")));
  EXPECT_TRUE(BirthsClearlyDiffer(D("1988-03-15"), D("1990-01-01")));   // the namesakes' case
  EXPECT_TRUE(BirthsClearlyDiffer(D("1988-03-15"), D("1988-03-28")));   // two digits of the day
  EXPECT_TRUE(BirthsClearlyDiffer(D("1988-03-15"), D("1988-05-13")));   // not a swap of month/day
  EXPECT_TRUE(BirthsClearlyDiffer(D("1988-03-15"), D("1989-03-16")));   // two digits apart
  EXPECT_TRUE(BirthsClearlyDiffer(D("1988-12-03"), D("1988-03-21")));   // digits not adjacent
  EXPECT_TRUE(BirthsClearlyDiffer(D("1970-06-11"), D("1971-07-12")));
  EXPECT_FALSE(BirthsClearlyDiffer(D("1988-03-15"), kForever));  // not a birth: constrains nothing
  // Symmetric.
  for (const char* x : {"1988-03-15", "1988-12-03", "1990-01-01"}) {
    for (const char* y : {"1988-03-16", "1988-12-30", "1991-10-01", "1900-01-01"}) {
      EXPECT_EQ(BirthsClearlyDiffer(D(x), D(y)), BirthsClearlyDiffer(D(y), D(x))) << x << " " << y;
    }
  }
}

Identity PersonBorn(const std::string& name, const char* birth, std::string id_no = "") {
  Identity side = testing::Person(name, std::move(id_no));
  if (birth != nullptr) side.birth = D(birth);
  return side;
}

TEST(ConstrainedUnionFind, BirthsKeepNamesakesApartInProbabilisticUnionsOnly) {
  MentionTable table;
  table.Add(Rec("s", "p", RecordKind::kPenalty, PersonBorn("赵小红", "1988-03-15")));
  table.Add(Rec("s", "q", RecordKind::kPenalty, PersonBorn("赵小红", nullptr)));
  table.Add(Rec("s", "r", RecordKind::kPenalty, PersonBorn("赵小红", "1990-01-01")));
  table.Add(Rec("s", "s", RecordKind::kPenalty, PersonBorn("钱大", "1988-03-15", testing::IdNo(1, "19880315"))));
  table.Add(Rec("s", "t", RecordKind::kPenalty, PersonBorn("钱大", "1990-01-01", testing::IdNo(1, "19880315"))));
  table.Add(Rec("s", "u", RecordKind::kPenalty, PersonBorn("钱大", "1988-03-16")));
  ConstrainedUnionFind uf(table);
  EXPECT_TRUE(uf.Compatible(1, 2, true));
  EXPECT_EQ(uf.Unite(0, 1, true), UnionResult::kUnited);
  EXPECT_FALSE(uf.Compatible(1, 2, true));
  EXPECT_TRUE(uf.Compatible(1, 2, false));
  EXPECT_EQ(uf.Unite(1, 2, true), UnionResult::kRefused);
  EXPECT_EQ(uf.birth_refusals(), 1u);
  EXPECT_EQ(uf.Unite(3, 4, false), UnionResult::kUnited);  // same ID number
  // The keyed cluster holds both births: 1988-03-16 is a typo of one, clearly not the other.
  EXPECT_EQ(uf.Unite(5, 3, true), UnionResult::kRefused);
  EXPECT_EQ(uf.birth_refusals(), 2u);
  EXPECT_EQ(uf.Unite(1, 2, false), UnionResult::kUnited);  // a key union never checks births
}

TEST(ConstrainedUnionFind, MatchesSlowReferenceOnRandomInput) {
  std::mt19937 rng(11);
  std::uint64_t total_refused = 0, total_birth_refusals = 0;
  for (int trial = 0; trial < 60; ++trial) {
    MentionTable table;
    const int n = 40;
    // Persons' births from a few dates, some one keystroke apart (chains), some clearly not;
    // ID numbers that give a birth of their own when the field is empty.
    static const char* kBirths[] = {nullptr, nullptr, "1988-03-15", "1988-03-16", "1988-03-17", "1988-05-03",
                                    "1988-03-05", "1990-01-01", "1988-12-03", "1988-12-30", "1980-01-01", "1988-08-16", "1988-05-13"};
    for (int i = 0; i < n; ++i) {
      if (rng() % 2 == 0) {
        Identity person = PersonBorn("赵小红", kBirths[rng() % std::size(kBirths)]);
        if (rng() % 3 == 0) person.id_no = testing::IdNo(1 + static_cast<int>(rng() % 3));
        table.Add(Rec("s", std::to_string(i), RecordKind::kPenalty, person));
        continue;
      }
      Identity side = Org(rng() % 3 == 0 ? "宏达科技有限公司分公司" : "宏达科技有限公司");
      if (rng() % 3 == 0) side.uscc = testing::Uscc(1 + static_cast<int>(rng() % 4));
      if (rng() % 3 == 0) side.reg_no = testing::RegNo(1 + static_cast<int>(rng() % 3));
      if (rng() % 4 == 0) side.name.clear(), side.org_code = testing::OrgCodeOfUscc(testing::Uscc(1 + static_cast<int>(rng() % 4)));
      if (side.empty()) side.name = "宏达";
      table.Add(Rec("s", std::to_string(i), RecordKind::kPenalty, side));
    }
    ConstrainedUnionFind fast(table);
    ReferenceConstrainedClusters slow(table);
    std::uint64_t refused = 0;
    for (int link = 0; link < 80; ++link) {
      const auto a = static_cast<MentionId>(rng() % n), b = static_cast<MentionId>(rng() % n);
      const bool branch = rng() % 2 == 0;
      const UnionResult result = fast.Unite(a, b, branch);
      ASSERT_EQ(result, slow.Unite(a, b, branch)) << "trial " << trial << " link " << link;
      refused += result == UnionResult::kRefused;
    }
    total_refused += refused;
    total_birth_refusals += fast.birth_refusals();
    for (MentionId x = 0; x < static_cast<MentionId>(n); ++x) {
      for (MentionId y = 0; y < static_cast<MentionId>(n); ++y) {
        ASSERT_EQ(fast.Find(x) == fast.Find(y), slow.labels()[x] == slow.labels()[y]);
      }
    }
  }
  // The random links exercised the birth constraint, and other refusals too.
  EXPECT_GT(total_birth_refusals, 50u);
  EXPECT_GT(total_refused, total_birth_refusals);
}

}  // namespace
}  // namespace cg::core::resolve
