// Constraint-aware union-find against the slow reference on random tables and link orders.
//
//   a(U1) --- b(U1, R1)      a–b: same USCC, united
//                |
//   c(U2, R1) ---+           b–c: USCC U1 vs U2 conflict, refused (though the reg. no. agrees)
#include "core/resolve/union_find.h"

#include <gtest/gtest.h>

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

TEST(ConstrainedUnionFind, MatchesSlowReferenceOnRandomInput) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 30; ++trial) {
    MentionTable table;
    const int n = 40;
    for (int i = 0; i < n; ++i) {
      Identity side = Org(rng() % 3 == 0 ? "宏达科技有限公司分公司" : "宏达科技有限公司");
      if (rng() % 3 == 0) side.uscc = testing::Uscc(1 + static_cast<int>(rng() % 4));
      if (rng() % 3 == 0) side.reg_no = testing::RegNo(1 + static_cast<int>(rng() % 3));
      if (rng() % 4 == 0) side.name.clear(), side.org_code = testing::OrgCodeOfUscc(testing::Uscc(1 + static_cast<int>(rng() % 4)));
      if (side.empty()) side.name = "宏达";
      table.Add(Rec("s", std::to_string(i), RecordKind::kPenalty, side));
    }
    ConstrainedUnionFind fast(table);
    ReferenceConstrainedClusters slow(table);
    for (int link = 0; link < 80; ++link) {
      const auto a = static_cast<MentionId>(rng() % n), b = static_cast<MentionId>(rng() % n);
      const bool branch = rng() % 2 == 0;
      ASSERT_EQ(fast.Unite(a, b, branch), slow.Unite(a, b, branch)) << "trial " << trial << " link " << link;
    }
    for (MentionId x = 0; x < static_cast<MentionId>(n); ++x) {
      for (MentionId y = 0; y < static_cast<MentionId>(n); ++y) {
        ASSERT_EQ(fast.Find(x) == fast.Find(y), slow.labels()[x] == slow.labels()[y]);
      }
    }
  }
}

}  // namespace
}  // namespace cg::core::resolve
