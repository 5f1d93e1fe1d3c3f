// Records -> trigger inputs.
#include "core/measures/stage.h"

#include <gtest/gtest.h>

namespace cg::core::measures {
namespace {

// Assigning short literals straight into std::string trips a GCC 12 -Wrestrict false positive.
void Set(std::string& field, std::string value) { field = std::move(value); }

TEST(Stage, RecordsBecomeTriggerInputs) {
  std::vector<Record> records(5);
  records[0].kind = RecordKind::kList;
  Set(records[0].source, std::string("court"));
  Set(records[0].rid, std::string("C1"));
  Set(records[0].list, std::string("court_dishonest_debtor"));
  records[0].listed_on = *ParseDate("2024-01-01");
  records[0].disputed = true;
  Set(records[0].subject.uscc, std::string("A"));
  records[1].kind = RecordKind::kPenalty;
  records[1].severity = Severity::kSerious;
  Set(records[1].domain, std::string("market"));
  records[1].decided_on = *ParseDate("2024-08-20");
  Set(records[1].subject.uscc, std::string("B"));
  records[2].kind = RecordKind::kRating;
  Set(records[2].scheme, std::string("tax"));
  Set(records[2].grade, std::string("D"));
  records[2].rated_on = *ParseDate("2024-04-01");
  Set(records[2].subject.uscc, std::string("A"));
  records[3].kind = RecordKind::kOfficer;
  records[4].kind = RecordKind::kList;
  Set(records[4].subject.uscc, std::string("unknown"));
  TriggerBuildStats stats;
  TriggerInputs inputs = TriggerInputsFromRecords(
      records,
      [](const Record& record) -> NodeId {
        if (record.subject.uscc == "A") return 3;
        if (record.subject.uscc == "B") return 4;
        return kNoNode;
      },
      &stats);
  ASSERT_EQ(inputs.lists.size(), 1u);
  EXPECT_EQ(inputs.lists[0].subject, 3u);
  EXPECT_TRUE(inputs.lists[0].disputed);
  EXPECT_EQ(inputs.lists[0].rid, "C1");
  ASSERT_EQ(inputs.penalties.size(), 1u);
  EXPECT_EQ(inputs.penalties[0].severity, Severity::kSerious);
  ASSERT_EQ(inputs.ratings.size(), 1u);
  EXPECT_EQ(inputs.ratings[0].grade, "D");
  EXPECT_EQ(stats.other_kinds, 1u);
  EXPECT_EQ(stats.unresolved, 1u);
}

}  // namespace
}  // namespace cg::core::measures
