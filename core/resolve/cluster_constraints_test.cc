// The birth cannot-link of clustering on hand-made resolver cases: namesakes with clearly
// different births stay apart when a name-only mention links to both, a birth typo of one person
// still merges, key links ignore births, and the partition does not depend on input order.
//
//   PB1 赵小红 1988-03-15 370321          PB2 赵小红 1990-01-01 370102
//            \                                /
//             \ name equal (p >= threshold)  / name equal (p >= threshold)
//              \                            /
//        R1/party 赵小红: no ID, birth or region (operator of 桓台县华岳加油站)
//
// Single linkage chains PB1–R1–PB2 into one person; with the constraint R1 joins one of them
// (the canonical link order decides) and the other union is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/resolve/resolve_test_util.h"
#include "core/resolve/resolver.h"
#include "core/resolve/union_find.h"

namespace cg::core::resolve {
namespace {

using testing::IdNo;
using testing::Org;
using testing::Person;
using testing::Rec;
using testing::Uscc;

Identity Born(const std::string& name, const char* birth, const std::string& region = "",
              const std::string& id_no = "") {
  Identity side = Person(name, id_no, region);
  if (birth != nullptr) side.birth = *ParseDate(birth);
  return side;
}

// A population record: name, birth, region, no ID number.
Record Population(const std::string& rid, const std::string& name, const char* birth,
                  const std::string& region) {
  return Rec("ppl", rid, RecordKind::kPerson, Born(name, birth, region));
}

// A registry record whose operator is named by name alone.
Record Operated(const std::string& rid, const std::string& company, int serial,
                const std::string& operator_name) {
  return Rec("reg", rid, RecordKind::kRegistry, Org(company, Uscc(serial, "370321"), "370321"),
             Person(operator_name));
}

// Options under which one equal name alone is a link (so the bridge links to both namesakes).
ResolveOptions NameAloneLinks() {
  ResolveOptions options = testing::HandOptions();
  options.match_probability = 0.5;
  options.unique_match_probability = 0.5;
  return options;
}

struct Resolution {
  explicit Resolution(const std::vector<Record>& records, ResolveOptions options = NameAloneLinks())
      : resolver(std::move(options)) {
    for (const Record& record : records) resolver.Add(record);
    stats = resolver.Resolve();
  }
  MentionId Id(const std::string& source, const std::string& rid, Role role = Role::kSubject) const {
    const auto m = resolver.FindMention(source, rid, role);
    EXPECT_TRUE(m.has_value()) << source << "/" << rid;
    return m.value_or(0);
  }
  bool Same(MentionId a, MentionId b) const { return resolver.entity_of()[a] == resolver.entity_of()[b]; }
  Resolver resolver;
  ResolveStats stats;
};

std::vector<Record> Namesakes() {
  return {Population("PB1", "赵小红", "1988-03-15", "370321"),
          Population("PB2", "赵小红", "1990-01-01", "370102"),
          Operated("R1", "桓台县华岳加油站", 1, "赵小红"),
          // Unrelated people, so that the name's frequency is not the whole data set's.
          Population("X1", "钱志强", "1970-05-06", "370102"), Population("X2", "孙丽华", "1975-07-08", "370202"),
          Population("X3", "李建国", "1960-01-02", "370602")};
}

TEST(ClusterConstraints, NamesakesWithDifferentBirthsStayApartWhenANameOnlyMentionBridgesThem) {
  Resolution run(Namesakes());
  const MentionId pb1 = run.Id("ppl", "PB1"), pb2 = run.Id("ppl", "PB2"), bridge = run.Id("reg", "R1", Role::kParty);
  // Both links by comparison pass the threshold: only the cannot-link keeps the namesakes apart.
  const LinkExplanation to_pb1 = run.resolver.ExplainLink(bridge, pb1);
  const LinkExplanation to_pb2 = run.resolver.ExplainLink(bridge, pb2);
  EXPECT_GE(to_pb1.probability, 0.5) << to_pb1.ToString();
  EXPECT_GE(to_pb2.probability, 0.5) << to_pb2.ToString();
  EXPECT_FALSE(run.Same(pb1, pb2)) << to_pb1.ToString() << to_pb2.ToString();
  // Both fit the bridge equally: it is left alone (ambiguous), as between two keyed entities.
  EXPECT_FALSE(run.Same(bridge, pb1));
  EXPECT_FALSE(run.Same(bridge, pb2));
  EXPECT_GE(run.stats.ambiguous_mentions, 1u);
  // explain-link says why a link at the threshold was not made.
  EXPECT_NE(to_pb1.conflict.find("left alone"), std::string::npos) << to_pb1.ToString();
  EXPECT_NE(to_pb2.conflict.find("1990-01-01"), std::string::npos) << to_pb2.ToString();
  EXPECT_FALSE(to_pb1.accepted);
  // explain-link names the births of the namesakes.
  const LinkExplanation namesakes = run.resolver.ExplainLink(pb1, pb2);
  EXPECT_NE(namesakes.conflict.find("birth"), std::string::npos) << namesakes.ToString();
  EXPECT_NE(namesakes.conflict.find("1988-03-15"), std::string::npos) << namesakes.ToString();
}

TEST(ClusterConstraints, ABridgeThatFitsOneNamesakeBetterJoinsItAndTheOtherUnionIsRefused) {
  //   PB1 赵小红 1988-03-15 370321 ==phone== R3/party 赵小红 (name and phone only)
  //   PB2 赵小红 1990-01-01 370102 ---------/  (name only: more than the margin below)
  // The bridge joins PB1; its link to PB2 is refused by the births (explain-link says so).
  std::vector<Record> records = Namesakes();
  records[0].subject.phone = "13905310002";
  Record operated = Operated("R3", "桓台县华岳超市", 3, "赵小红");
  operated.party.phone = "13905310002";
  records.push_back(operated);
  Resolution run(records);
  const MentionId pb1 = run.Id("ppl", "PB1"), pb2 = run.Id("ppl", "PB2"), bridge = run.Id("reg", "R3", Role::kParty);
  EXPECT_TRUE(run.Same(bridge, pb1)) << run.resolver.ExplainLink(bridge, pb1).ToString();
  EXPECT_FALSE(run.Same(bridge, pb2));
  const LinkExplanation refused = run.resolver.ExplainLink(bridge, pb2);
  EXPECT_GE(refused.probability, 0.5) << refused.ToString();
  EXPECT_NE(refused.conflict.find("entities' births clearly differ"), std::string::npos) << refused.ToString();
  EXPECT_FALSE(refused.accepted);
}

TEST(ClusterConstraints, BirthTyposOfOnePersonStillMerge) {
  //   PA 钱大海 1985-06-21 370102 ---- R2/party 钱大海 (name only) ---- PC 钱大海 1985-06-12 370102
  //                \___________________________________________________/
  //                   name, region equal, birth "two of year/month/day" (day digits swapped)
  // One keystroke apart: one person; every union goes through.
  std::vector<Record> records = Namesakes();
  records.push_back(Population("PA", "钱大海", "1985-06-21", "370102"));
  records.push_back(Population("PC", "钱大海", "1985-06-12", "370102"));
  records.push_back(Operated("R2", "桓台县华岳商店", 2, "钱大海"));
  Resolution run(records);
  const MentionId pa = run.Id("ppl", "PA"), pc = run.Id("ppl", "PC"), bridge = run.Id("reg", "R2", Role::kParty);
  EXPECT_TRUE(run.Same(pa, pc)) << run.resolver.ExplainLink(pa, pc).ToString();
  EXPECT_TRUE(run.Same(pa, bridge)) << run.resolver.ExplainLink(pa, bridge).ToString();
  EXPECT_TRUE(run.resolver.ExplainLink(pa, pc).conflict.empty());
}

TEST(ClusterConstraints, EveryBirthOfBothClustersIsChecked) {
  //   PA 钱大海 1985-06-21 ==phone== PC 钱大海 1985-06-12        PD 钱大海 1958-06-21
  // 1958-06-21 is one keystroke from 1985-06-21 (year digits swapped) but two from 1985-06-12:
  // PA–PC unite first (the shared phone weighs most), then PD's union with them is refused.
  std::vector<Record> records = Namesakes();
  records.push_back(Population("PA", "钱大海", "1985-06-21", "370102"));
  records.push_back(Population("PC", "钱大海", "1985-06-12", "370102"));
  records.push_back(Population("PD", "钱大海", "1958-06-21", "370102"));
  records[records.size() - 3].subject.phone = "13905310001";
  records[records.size() - 2].subject.phone = "13905310001";
  Resolution run(records);
  const MentionId pa = run.Id("ppl", "PA"), pc = run.Id("ppl", "PC"), pd = run.Id("ppl", "PD");
  EXPECT_TRUE(run.Same(pa, pc)) << run.resolver.ExplainLink(pa, pc).ToString();
  EXPECT_FALSE(run.Same(pa, pd)) << run.resolver.ExplainLink(pa, pd).ToString();
  const LinkExplanation explained = run.resolver.ExplainLink(pa, pd);
  EXPECT_GE(explained.probability, 0.5) << explained.ToString();  // a link but for the constraint
  EXPECT_NE(explained.conflict.find("1958-06-21"), std::string::npos) << explained.ToString();
}

TEST(ClusterConstraints, KeyLinksIgnoreBirths) {
  //   K1 周敏 ID(1988-03-15) birth field 1990-01-01 === K2 周敏 same ID, birth from the ID
  // The same valid ID number: one person, whatever the birth fields say.
  std::vector<Record> records = Namesakes();
  const std::string id = IdNo(7, "19880315", "370102");
  records.push_back(Rec("ppl", "K1", RecordKind::kPerson, Born("周敏", "1990-01-01", "370102", id)));
  records.push_back(Rec("lst", "K2", RecordKind::kList, Org("济南周敏商贸有限公司", Uscc(9)), Born("周敏", nullptr, "", id)));
  Resolution run(records);
  EXPECT_TRUE(run.Same(run.Id("ppl", "K1"), run.Id("lst", "K2", Role::kParty)));
}

TEST(ClusterConstraints, PartitionDoesNotDependOnInputOrder) {
  // Several namesake pairs with bridges (which namesake a bridge joins is decided by the
  // canonical link order: weight, then fingerprints), shuffled.
  std::vector<Record> records = Namesakes();
  const char* names[] = {"王芳", "刘洋", "陈静", "杨磊"};
  for (int k = 0; k < 4; ++k) {
    const std::string n = std::to_string(k);
    records.push_back(Population("A" + n, names[k], "1981-02-03", "370102"));
    records.push_back(Population("B" + n, names[k], "1992-11-30", "370202"));
    records.push_back(Population("C" + n, names[k], "1981-02-13", "370102"));  // a typo of A
    records.push_back(Operated("O" + n, std::string("桓台县") + names[k] + "加油站", 20 + k, names[k]));
  }
  Resolution first(records);
  std::mt19937 rng(5);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(records.begin(), records.end(), rng);
    Resolution again(records);
    EXPECT_EQ(testing::Partition(first.resolver), testing::Partition(again.resolver)) << "round " << round;
  }
  for (int k = 0; k < 4; ++k) {
    const std::string n = std::to_string(k);
    EXPECT_FALSE(first.Same(first.Id("ppl", "A" + n), first.Id("ppl", "B" + n)));
  }
}

TEST(ClusterConstraints, IncrementalEqualsFull) {
  // The namesakes arrive first, the bridges and typo'd records later (and the other way round):
  // clustering is redone from all links in the canonical order, so the partition is a full run's.
  std::vector<Record> records = Namesakes();
  const char* names[] = {"王芳", "刘洋"};
  for (int k = 0; k < 2; ++k) {
    const std::string n = std::to_string(k);
    records.push_back(Population("A" + n, names[k], "1981-02-03", "370102"));
    records.push_back(Population("B" + n, names[k], "1992-11-30", "370202"));
    records.push_back(Operated("O" + n, std::string("桓台县") + names[k] + "加油站", 20 + k, names[k]));
    records.push_back(Population("C" + n, names[k], "1981-02-13", "370102"));
  }
  Resolution full(records);
  for (const bool reversed : {false, true}) {
    std::vector<Record> ordered = records;
    if (reversed) std::reverse(ordered.begin(), ordered.end());
    Resolver incremental(NameAloneLinks());
    const std::size_t cut = ordered.size() / 2;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      incremental.Add(ordered[i]);
      if (i + 1 == cut || i + 1 == ordered.size()) incremental.Resolve();
    }
    EXPECT_EQ(testing::Partition(full.resolver), testing::Partition(incremental)) << "reversed " << reversed;
  }
}

}  // namespace
}  // namespace cg::core::resolve
