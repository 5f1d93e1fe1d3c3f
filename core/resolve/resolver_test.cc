// Entity resolution on hand-made cases, one per kind of noise, the hard constraints, order
// independence, incremental == full, and accuracy on a small synthetic province.
#include "core/resolve/resolver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>
#include <random>

#include "core/resolve/evaluate.h"
#include "core/resolve/resolve_test_util.h"

namespace cg::core::resolve {
namespace {

using testing::BreakCheck;
using testing::HandOptions;
using testing::IdNo;
using testing::RegNo;
using testing::Org;
using testing::Person;
using testing::Rec;
using testing::Uscc;

// Resolves the records and tells whether two mentions ended in the same entity.
class Resolved {
 public:
  explicit Resolved(const std::vector<Record>& records, ResolveOptions options = HandOptions())
      : resolver_(std::move(options)) {
    for (const Record& record : records) resolver_.Add(record);
    stats_ = resolver_.Resolve();
  }
  MentionId Id(const std::string& source, const std::string& rid, Role role = Role::kSubject) const {
    auto m = resolver_.FindMention(source, rid, role);
    EXPECT_TRUE(m.has_value()) << source << "/" << rid;
    return m.value_or(0);
  }
  bool Same(const std::string& rid_a, const std::string& rid_b, Role role_a = Role::kSubject,
            Role role_b = Role::kSubject) const {
    const MentionId a = Id("s", rid_a, role_a), b = Id("s", rid_b, role_b);
    return resolver_.entity_of()[a] == resolver_.entity_of()[b];
  }
  std::string Explain(const std::string& rid_a, const std::string& rid_b) const {
    return resolver_.ExplainLink(Id("s", rid_a), Id("s", rid_b)).ToString();
  }
  const Resolver& resolver() const { return resolver_; }
  const ResolveStats& stats() const { return stats_; }

 private:
  Resolver resolver_;
  ResolveStats stats_;
};

// A registered company with its legal representative, the anchor most tests link against.
Record Registry(const std::string& rid, const std::string& name, const std::string& uscc,
                const std::string& region = "370102") {
  return Rec("s", rid, RecordKind::kRegistry, Org(name, uscc, region),
             Person("张伟", IdNo(1), region));
}

TEST(Resolver, UsccKeyMergesDespiteNameChange) {
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)),
              Rec("s", "2", RecordKind::kPenalty, Org("完全不同的名字有限公司", Uscc(1)))});
  EXPECT_TRUE(r.Same("1", "2")) << r.Explain("1", "2");
  EXPECT_EQ(r.resolver().entity_ids()[r.resolver().entity_of()[r.Id("s", "1")]], "U:" + Uscc(1));
}

TEST(Resolver, WeakUsccIsNotAKey) {
  Identity weak = Org("另一家公司有限公司", BreakCheck(Uscc(1)));
  weak.weak = kWeakUscc;
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)), Rec("s", "2", RecordKind::kPenalty, weak)});
  EXPECT_FALSE(r.Same("1", "2")) << r.Explain("1", "2");
}

TEST(Resolver, WeakUsccWithSameNameLinksAsEvidence) {
  Identity weak = Org("宏达科技有限公司", BreakCheck(Uscc(1)));
  weak.weak = kWeakUscc;
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)), Registry("9", "宏达科技有限公司", Uscc(2), "370202"),
              Rec("s", "2", RecordKind::kPenalty, weak)});
  EXPECT_TRUE(r.Same("1", "2")) << r.Explain("1", "2");
  EXPECT_FALSE(r.Same("9", "2")) << r.Explain("9", "2");
}

TEST(Resolver, EmbeddedOrgCodeLinksOldCode) {
  Identity old_code = Org("宏达旧名称", "");
  old_code.org_code = Uscc(1).substr(8, 8) + "-" + Uscc(1).substr(16, 1);
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)), Rec("s", "2", RecordKind::kPenalty, old_code)});
  EXPECT_TRUE(r.Same("1", "2")) << r.Explain("1", "2");
}

TEST(Resolver, RegistrationNumberThroughRegistry) {
  Record registry = Registry("1", "宏达科技有限公司", Uscc(1));
  registry.subject.reg_no = testing::RegNo(5);
  Identity old_no = Org("宏达旧名称");
  old_no.reg_no = testing::RegNo(5);
  Resolved r({registry, Rec("s", "2", RecordKind::kPenalty, old_no)});
  EXPECT_TRUE(r.Same("1", "2")) << r.Explain("1", "2");
}

TEST(Resolver, FifteenDigitIdNumberUpgraded) {
  const std::string id18 = IdNo(7, "19750612");
  const std::string id15 = id18.substr(0, 6) + id18.substr(8, 9);
  Resolved r({Rec("s", "1", RecordKind::kPerson, Person("李娜", id18)),
              Rec("s", "2", RecordKind::kPerson, Person("李娜", id15))});
  EXPECT_TRUE(r.Same("1", "2"));
  const std::string id = r.resolver().entity_ids()[r.resolver().entity_of()[r.Id("s", "1")]];
  EXPECT_EQ(id.substr(0, 2), "P:");
  EXPECT_EQ(id.find(id18), std::string::npos) << "the ID number must not appear in clear";
}

TEST(Resolver, NoisyNamesLinkToTheCodedEntity) {
  // registry anchor, then name-only references with one kind of noise each
  std::vector<Record> records = {Registry("1", "宏达１２科技有限公司", Uscc(1))};
  const std::vector<std::string> variants = {
      "宏达12科技有限公司",          // full-width digits in the anchor, half-width here
      "山东省济南市宏达12科技有限公司",  // region prefix extra
      "宏达12科技有限责任公司",        // legal-form variant
      "宏达12料技有限公司",            // typo
      "宏达12科技有限公司 ",           // trailing space
  };
  for (std::size_t i = 0; i < variants.size(); ++i) {
    records.push_back(Rec("s", "v" + std::to_string(i), RecordKind::kPenalty, Org(variants[i], "", "370102")));
  }
  Resolved r(records);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    EXPECT_TRUE(r.Same("1", "v" + std::to_string(i))) << variants[i] << "\n" << r.Explain("1", "v" + std::to_string(i));
  }
}

TEST(Resolver, DifferentValidUsccsNeverMerge) {
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)), Registry("2", "宏达科技有限公司", Uscc(2)),
              Rec("s", "3", RecordKind::kPenalty, Org("宏达科技有限公司", "", "370102"))});
  EXPECT_FALSE(r.Same("1", "2")) << r.Explain("1", "2");
  // the uncoded mention goes to at most one of them
  EXPECT_FALSE(r.Same("1", "3") && r.Same("2", "3"));
}

TEST(Resolver, DifferentValidIdNumbersNeverMerge) {
  Identity a = Person("王芳", IdNo(1, "19800101"), "370102");
  Identity b = Person("王芳", IdNo(2, "19800101"), "370102");
  Resolved r({Rec("s", "1", RecordKind::kPerson, a), Rec("s", "2", RecordKind::kPerson, b)});
  EXPECT_FALSE(r.Same("1", "2"));
}

TEST(Resolver, BranchNeverMergesWithParent) {
  Record branch = Rec("s", "3", RecordKind::kBranch, Org("宏达科技有限公司济南分公司", "", "370102"),
                      Org("宏达科技有限公司", "", "370102"));
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)),
              Rec("s", "2", RecordKind::kPenalty, Org("宏达科技有限公司济南分公司", "", "370102")), branch});
  EXPECT_FALSE(r.Same("1", "2")) << r.Explain("1", "2");
  EXPECT_TRUE(r.Same("2", "3"));  // the two branch mentions are one branch
  EXPECT_TRUE(r.Same("1", "3", Role::kSubject, Role::kParty));  // the parent side is the parent
  EXPECT_FALSE(r.Same("3", "3", Role::kSubject, Role::kParty));
}

TEST(Resolver, NamesOfDifferentIndustriesNeverLinkByComparison) {
  // Sister companies of one group: one trade name, one legal representative, one county, the
  // industry words differ (化工 / 物流). The one without a USCC is not the other written another
  // way; one whose industry word is left out (华岳有限公司) or extended (化工物流) may be.
  Resolved r({Registry("1", "淄博华岳化工有限公司", Uscc(1), "370303"),
              Registry("2", "淄博华岳物流有限公司", "", "370303"),
              Registry("3", "淄博华岳化工有限公司", "", "370303")});
  EXPECT_FALSE(r.Same("1", "2")) << r.Explain("1", "2");
  EXPECT_TRUE(r.Same("1", "3")) << r.Explain("1", "3");
  EXPECT_NE(r.Explain("1", "2").find("different industries (化工, 物流)"), std::string::npos) << r.Explain("1", "2");
  EXPECT_EQ(r.Explain("1", "3").find("different industries"), std::string::npos);
}

TEST(Resolver, PersonsWithoutIdLinkByNameBirthRegion) {
  const std::string id = IdNo(3, "19700305");
  Identity listed = Person("赵敏", "", "370102");
  listed.birth = *ParseDate("1970-03-05");
  Identity namesake = Person("赵敏", "", "370102");
  namesake.birth = *ParseDate("1991-11-20");
  Resolved r({Rec("s", "1", RecordKind::kPerson, Person("赵敏", id, "370102")),
              Rec("s", "2", RecordKind::kList, listed), Rec("s", "3", RecordKind::kList, namesake)});
  EXPECT_TRUE(r.Same("1", "2")) << r.Explain("1", "2");
  EXPECT_FALSE(r.Same("1", "3")) << r.Explain("1", "3");
}

TEST(Resolver, ExplainLinkNamesKeyAndLevels) {
  Resolved r({Registry("1", "宏达科技有限公司", Uscc(1)),
              Rec("s", "2", RecordKind::kPenalty, Org("宏达科技有限公司", Uscc(1))),
              Rec("s", "3", RecordKind::kPenalty, Org("山东省宏达科技有限责任公司", "", "370102"))});
  const LinkExplanation by_key = r.resolver().ExplainLink(r.Id("s", "1"), r.Id("s", "2"));
  EXPECT_EQ(by_key.key, "uscc");
  const LinkExplanation by_name = r.resolver().ExplainLink(r.Id("s", "1"), r.Id("s", "3"));
  EXPECT_TRUE(by_name.compared);
  EXPECT_EQ(by_name.fields[0].field, "name");
  EXPECT_EQ(by_name.fields[0].level, 4);  // name key equal
  EXPECT_TRUE(by_name.accepted);
  EXPECT_NE(by_name.ToString().find("name key equal"), std::string::npos);
}

// Pairwise scores of the resolver's partition against the synthetic truth, for one class.
ClusterScores Score(const Resolver& resolver, const testing::Synthetic& data, bool persons) {
  std::vector<std::string> predicted, truth;
  const MentionTable& table = resolver.mentions();
  for (MentionId m = 0; m < table.size(); ++m) {
    const int entity = data.truth.at(table.Key(m));
    if ((entity >= 100000) != persons) continue;
    predicted.push_back(resolver.entity_ids()[resolver.entity_of()[m]]);
    truth.push_back(std::to_string(entity));
  }
  return ScoreClustering(predicted, truth);
}

TEST(Resolver, SyntheticProvinceAccuracyWithEm) {
  const testing::Synthetic data = testing::MakeSynthetic(400, 5);
  Resolver resolver;  // EM from the default start
  for (const Record& record : data.records) resolver.Add(record);
  const ResolveStats stats = resolver.Resolve();
  EXPECT_GT(stats.comparisons, 0u);
  const ClusterScores orgs = Score(resolver, data, false);
  if (std::getenv("CG_ER_DEBUG")) {
    const MentionTable& table = resolver.mentions();
    int shown = 0;
    for (MentionId a = 0; a < table.size() && shown < 15; ++a) {
      for (MentionId b = a + 1; b < table.size() && shown < 15; ++b) {
        const bool same_truth = data.truth.at(table.Key(a)) == data.truth.at(table.Key(b));
        const bool same_pred = resolver.entity_of()[a] == resolver.entity_of()[b];
        if (same_truth != same_pred && (table.record_kind[a] == RecordKind::kRegistry || table.record_kind[b] == RecordKind::kRegistry)) {
          std::printf("%s %s | %s\n%s\n", same_truth ? "MISSED" : "WRONG", std::string(table.name[a]).c_str(),
                      std::string(table.name[b]).c_str(), resolver.ExplainLink(a, b).ToString().c_str());
          ++shown;
        }
      }
    }
  }
  const ClusterScores persons = Score(resolver, data, true);
  EXPECT_GE(orgs.precision, 0.99);
  EXPECT_GE(orgs.recall, 0.98);  // typos inside industry words the parser does not know
  EXPECT_GE(persons.precision, 0.99);
  EXPECT_GE(persons.recall, 0.95);
}

TEST(Resolver, OrderIndependence) {
  testing::Synthetic data = testing::MakeSynthetic(150, 9);
  Resolver first;
  for (const Record& record : data.records) first.Add(record);
  first.Resolve();
  std::mt19937 rng(3);
  std::shuffle(data.records.begin(), data.records.end(), rng);
  Resolver second;
  for (const Record& record : data.records) second.Add(record);
  second.Resolve();
  EXPECT_EQ(testing::Partition(first), testing::Partition(second));
}

TEST(Resolver, IncrementalEqualsFull) {
  const testing::Synthetic data = testing::MakeSynthetic(150, 13);
  Resolver full;
  for (const Record& record : data.records) full.Add(record);
  const ResolveStats full_stats = full.Resolve();
  Resolver incremental;
  std::uint64_t compared = 0;
  const std::size_t cut1 = data.records.size() / 2, cut2 = data.records.size() * 4 / 5;
  for (std::size_t i = 0; i < data.records.size(); ++i) {
    incremental.Add(data.records[i]);
    if (i + 1 == cut1 || i + 1 == cut2 || i + 1 == data.records.size()) {
      const ResolveStats stats = incremental.Resolve();
      compared += stats.comparisons;
    }
  }
  EXPECT_EQ(compared, full_stats.comparisons);  // each pair compared exactly once
  EXPECT_EQ(testing::Partition(full), testing::Partition(incremental));
}

// A block that grows past its cap between two incremental calls: the earlier pairs it gave
// must go (but for those another key gives), and the result still equals a full run.
// One-deletion variant blocks are capped at 16 members: a typo'd name meets the few names one
// edit away; a stem shared by a crowd (宏?建材有限公司 in one county) is skipped.
TEST(Resolver, DeletionVariantBlocksAreCapped) {
  const std::string glyphs = "达大发兴盛泰华丰源祥安康顺利通昌鑫宇辉明";
  const auto pairs_of_variants = [&](int companies) {
    std::vector<Record> records;
    for (int i = 0; i < companies; ++i) {
      records.push_back(Rec("reg", "c" + std::to_string(i), RecordKind::kRegistry,
                            Org("宏" + glyphs.substr(3 * i, 3) + "建材有限公司", Uscc(100 + i), "370102")));
    }
    records.push_back(Rec("pen", "typo", RecordKind::kPenalty, Org("宏远建材有限公司", "", "370102")));
    Resolver resolver(HandOptions());
    for (const Record& record : records) resolver.Add(record);
    const ResolveStats stats = resolver.Resolve();
    const auto it = stats.pairs_by_key.find("V");
    return std::pair<std::uint64_t, std::uint64_t>(it == stats.pairs_by_key.end() ? 0 : it->second, stats.skipped_blocks);
  };
  const auto [few_pairs, few_skipped] = pairs_of_variants(10);  // block of 11: compared
  EXPECT_EQ(few_pairs, 10u);
  EXPECT_EQ(few_skipped, 0u);
  const auto [crowd_pairs, crowd_skipped] = pairs_of_variants(20);  // block of 21: skipped
  EXPECT_EQ(crowd_pairs, 0u);
  EXPECT_GE(crowd_skipped, 1u);
}

// 240 name-only officers named 王芳 (person name blocks are capped at 150 members), officer i of
// company i % companies, plus a coded anchor of that name and one of a rare name with its
// name-only mention.
std::vector<Record> NameBlockCrossingRecords(int companies) {
  std::vector<Record> records;
  records.push_back(Rec("s", "anchor", RecordKind::kPerson, Person("王芳", IdNo(7))));
  records.push_back(Rec("s", "rare", RecordKind::kPerson, Person("欧阳震华", IdNo(8))));
  records.push_back(Rec("s", "rare-officer", RecordKind::kOfficer, Org("某某商贸有限公司"), Person("欧阳震华")));
  for (int i = 0; i < 240; ++i) {
    records.push_back(Rec("s", "o" + std::to_string(i), RecordKind::kOfficer,
                          Org("公司" + std::to_string(i % companies) + "号有限公司"), Person("王芳")));
  }
  return records;
}

TEST(Resolver, IncrementalCrossingABlockCapEqualsFull) {
  // 120 + 120 name-only mentions of one name, each of its own company.
  const std::vector<Record> records = NameBlockCrossingRecords(240);
  Resolver full(HandOptions());
  for (const Record& record : records) full.Add(record);
  const ResolveStats full_stats = full.Resolve();
  EXPECT_GE(full_stats.skipped_blocks, 1u);
  Resolver incremental(HandOptions());
  std::uint64_t crossed = 0, dropped = 0, compared = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    incremental.Add(records[i]);
    if (i + 1 == 123 || i + 1 == records.size()) {
      const ResolveStats stats = incremental.Resolve();
      crossed += stats.crossed_blocks;
      dropped += stats.dropped_pairs;
      compared += stats.comparisons;
    }
  }
  EXPECT_GE(crossed, 1u);
  EXPECT_GT(dropped, 0u);
  EXPECT_LT(compared, full_stats.comparisons + dropped + 1);  // no second full blocking
  EXPECT_EQ(testing::Partition(full), testing::Partition(incremental));
}

// Without kept blocking keys (the engine resolves once, then saves its state), a second Resolve()
// on more mentions starts over, and still equals a full run.
TEST(Resolver, ReleasedBlockingKeysStartOverAndEqualFull) {
  const testing::Synthetic data = testing::MakeSynthetic(120, 21);
  Resolver full;
  for (const Record& record : data.records) full.Add(record);
  full.Resolve();
  ResolveOptions options;
  options.keep_blocking_keys = false;
  Resolver once(options);
  const std::size_t cut = data.records.size() / 2;
  for (std::size_t i = 0; i < cut; ++i) once.Add(data.records[i]);
  once.Resolve();
  for (std::size_t i = cut; i < data.records.size(); ++i) once.Add(data.records[i]);
  const ResolveStats stats = once.Resolve();
  EXPECT_EQ(stats.new_mentions, once.mentions().size());  // started over
  EXPECT_EQ(testing::Partition(full), testing::Partition(once));
}

// A full run that keeps no keys holds only the entries of keys some mention probes under: the
// same pairs, comparisons, skipped blocks and partition as holding them all, with fewer entries.
TEST(Resolver, OnlyProbedKeysHeldGiveTheSamePairs) {
  const auto run = [](const std::vector<Record>& records, bool filter) {
    ResolveOptions options;
    options.keep_blocking_keys = false;
    options.filter_unprobed_keys = filter;
    auto resolver = std::make_unique<Resolver>(options);
    for (const Record& record : records) resolver->Add(record);
    const ResolveStats stats = resolver->Resolve();
    return std::pair(std::move(resolver), stats);
  };
  std::vector<std::vector<Record>> inputs;
  for (unsigned seed : {3u, 21u, 44u}) inputs.push_back(testing::MakeSynthetic(150, seed).records);
  inputs.push_back(NameBlockCrossingRecords(2));
  {
    // A mention with a valid USCC probes only under its weak code's keys: its registration
    // number, mistyped, meets the company's own registry record (another name: no other key).
    Identity keyed = Org("华通科技有限公司", Uscc(1), "370102");
    keyed.reg_no = BreakCheck(RegNo(5));
    keyed.weak = kWeakRegNo;
    Identity registered = Org("鼎盛置业有限公司", "", "370203");
    registered.reg_no = RegNo(5);
    inputs.push_back({Rec("tax", "t1", RecordKind::kPenalty, keyed), Rec("reg", "r1", RecordKind::kRegistry, registered)});
  }
  for (const auto& records : inputs) {
    const auto [all, all_stats] = run(records, false);
    const auto [probed, probed_stats] = run(records, true);
    EXPECT_EQ(testing::Partition(*all), testing::Partition(*probed));
    EXPECT_EQ(all_stats.comparisons, probed_stats.comparisons);
    EXPECT_EQ(all_stats.pairs_by_key, probed_stats.pairs_by_key);
    EXPECT_EQ(all_stats.skipped_blocks, probed_stats.skipped_blocks);
    EXPECT_EQ(all_stats.skipped_members, probed_stats.skipped_members);
    EXPECT_EQ(all_stats.accepted_links, probed_stats.accepted_links);
    EXPECT_LT(probed_stats.block_entries, all_stats.block_entries);
  }
}

// u is estimated from random pairs drawn by fingerprint: one more mention in a class changes
// the few samples that land on it, not the whole sample (drawn by rank, every sample moved with
// the class's size, and estimation with it).
TEST(Resolver, OneMoreMentionChangesFewUSamples) {
  const testing::Synthetic data = testing::MakeSynthetic(150, 9);
  ResolveOptions options;
  options.u_samples = 20000;
  Resolver before(options), after(options);
  for (const Record& record : data.records) {
    before.Add(record);
    after.Add(record);
  }
  after.Add(Rec("late", "x1", RecordKind::kPenalty, Org("鑫源物流有限公司", "", "370102"), Person("赵敏")));
  for (KindClass klass : {KindClass::kOrganization, KindClass::kPerson}) {
    const auto sample_keys = [&](const Resolver& resolver) {
      std::multiset<std::pair<std::string, std::string>> keys;
      for (const auto& [a, b] : USamplePairsForTesting(resolver, klass)) {
        keys.emplace(resolver.mentions().Key(a), resolver.mentions().Key(b));
      }
      return keys;
    };
    const auto old_keys = sample_keys(before), new_keys = sample_keys(after);
    ASSERT_EQ(old_keys.size(), 20000u);
    ASSERT_EQ(new_keys.size(), 20000u);
    std::vector<std::pair<std::string, std::string>> kept;
    std::set_intersection(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(), std::back_inserter(kept));
    // One member more among a few hundred: about one sample in a hundred touches it.
    EXPECT_GT(kept.size(), 19000u) << "class " << static_cast<int>(klass);
    // And the sample is not a few pairs repeated: most samples are distinct pairs.
    const std::set<std::pair<std::string, std::string>> distinct(old_keys.begin(), old_keys.end());
    EXPECT_GT(distinct.size(), 5000u);
  }
}

// m is estimated from the pairs the primary keys link, thinned by a hash of each pair when there
// are more than u_samples of them: one more keyed record changes few kept pairs, and about
// u_samples are kept.
TEST(Resolver, OneMoreKeyedRecordChangesFewKeyPairs) {
  // 900 companies, each in a registry record and two penalty records: 1 800 key-linked pairs.
  std::vector<Record> records;
  for (int i = 0; i < 900; ++i) {
    const Identity company = Org("公司" + std::to_string(i) + "号商贸有限公司", Uscc(1000 + i), "370102");
    records.push_back(Rec("reg", "r" + std::to_string(i), RecordKind::kRegistry, company));
    for (int k = 0; k < 2; ++k) {
      records.push_back(Rec("pen", "p" + std::to_string(i) + "-" + std::to_string(k), RecordKind::kPenalty, company));
    }
  }
  ResolveOptions options;
  options.u_samples = 600;  // a third of them kept
  Resolver before(options), after(options);
  for (const Record& record : records) {
    before.Add(record);
    after.Add(record);
  }
  // A late record of a company already keyed: one more pair of its group.
  Record late = records[3 * 450];
  late.source = "late";
  late.rid = "k1";
  after.Add(late);
  const auto pair_keys = [](const Resolver& resolver) {
    std::set<std::pair<std::string, std::string>> keys;
    for (const auto& [a, b] : KeyPairsForTesting(resolver, KindClass::kOrganization)) {
      keys.emplace(resolver.mentions().Key(a), resolver.mentions().Key(b));
    }
    return keys;
  };
  const auto old_keys = pair_keys(before), new_keys = pair_keys(after);
  EXPECT_GT(old_keys.size(), options.u_samples * 8 / 10);
  EXPECT_LT(old_keys.size(), options.u_samples * 12 / 10);
  std::vector<std::pair<std::string, std::string>> kept;
  std::set_intersection(old_keys.begin(), old_keys.end(), new_keys.begin(), new_keys.end(), std::back_inserter(kept));
  EXPECT_GE(kept.size() + 3, old_keys.size());
}

// The state handed out in pieces (as the engine writes it) is the same bytes as in one string,
// and pieces are about the size asked for.
TEST(Resolver, SavedStateInPiecesIsTheSameBytes) {
  const testing::Synthetic data = testing::MakeSynthetic(120, 5);
  Resolver resolver;
  for (const Record& record : data.records) resolver.Add(record);
  resolver.Resolve();
  const std::string whole = resolver.SaveState();
  for (const std::size_t piece_bytes : {std::size_t{1}, std::size_t{100}, std::size_t{4096}, whole.size() * 2}) {
    std::string joined;
    std::size_t pieces = 0;
    resolver.SaveState([&](std::string_view piece) {
      EXPECT_FALSE(piece.empty());
      joined.append(piece);
      ++pieces;
    }, piece_bytes);
    EXPECT_EQ(joined, whole);
    EXPECT_GE(pieces, whole.size() / (piece_bytes + 16));  // a piece is at most one record past the size
    if (piece_bytes >= whole.size()) {
      EXPECT_EQ(pieces, 1u);
    }
  }
  EXPECT_GT(whole.size(), 1000u);
}

// A saved state resumed by a new resolver: the old records re-added in another order, the new
// ones after them; the result equals a full run over all records, the old pairs are not
// compared again, and the state resumed twice (over two cuts) still does.
TEST(Resolver, SavedStateResumesAsAFullRun) {
  const testing::Synthetic data = testing::MakeSynthetic(150, 17);
  Resolver full;
  for (const Record& record : data.records) full.Add(record);
  const ResolveStats full_stats = full.Resolve();
  const std::size_t cut1 = data.records.size() / 2, cut2 = data.records.size() * 4 / 5;
  std::string state;
  std::size_t mentions = 0;
  std::uint64_t compared = 0;
  std::mt19937 rng(3);
  std::size_t previous_cut = 0;
  for (const std::size_t cut : {cut1, cut2, data.records.size()}) {
    Resolver resumed;
    std::vector<Record> old(data.records.begin(), data.records.begin() + static_cast<std::ptrdiff_t>(previous_cut));
    previous_cut = cut;
    std::shuffle(old.begin(), old.end(), rng);
    for (const Record& record : old) resumed.Add(record);
    ASSERT_EQ(resumed.mentions().size(), mentions);
    if (!state.empty()) {
      ASSERT_TRUE(resumed.RestoreState(state, mentions).ok());
    }
    for (std::size_t i = old.size(); i < cut; ++i) resumed.Add(data.records[i]);
    const ResolveStats stats = resumed.Resolve();
    compared += stats.comparisons;
    EXPECT_EQ(stats.new_mentions, resumed.mentions().size() - mentions);
    state = resumed.SaveState();
    mentions = resumed.mentions().size();
    if (cut == data.records.size()) {
      EXPECT_EQ(testing::Partition(full), testing::Partition(resumed));
    }
  }
  EXPECT_EQ(compared, full_stats.comparisons);  // each pair compared exactly once
}

// A resumed run makes only the old keys new mentions share, plus, when a block crosses its cap,
// every key of that block's members (whether another key still gives their pair depends on the
// sizes of those blocks): the same partition and dropped pairs as an in-process incremental run.
TEST(Resolver, SavedStateCrossingABlockCapEqualsFull) {
  // Officers of two companies: a second key (the tied company) keeps some pairs.
  const std::vector<Record> records = NameBlockCrossingRecords(2);
  Resolver full(HandOptions());
  for (const Record& record : records) full.Add(record);
  const ResolveStats full_stats = full.Resolve();
  EXPECT_GE(full_stats.skipped_blocks, 1u);

  const std::size_t cut = 123;
  Resolver first(HandOptions());
  for (std::size_t i = 0; i < cut; ++i) first.Add(records[i]);
  first.Resolve();
  const std::string state = first.SaveState();
  const std::size_t old_mentions = first.mentions().size();

  Resolver resumed(HandOptions());
  std::vector<Record> old(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(cut));
  std::mt19937 rng(11);
  std::shuffle(old.begin(), old.end(), rng);
  for (const Record& record : old) resumed.Add(record);
  ASSERT_TRUE(resumed.RestoreState(state, old_mentions).ok());
  for (std::size_t i = cut; i < records.size(); ++i) resumed.Add(records[i]);
  const ResolveStats stats = resumed.Resolve();
  EXPECT_GE(stats.crossed_blocks, 1u);
  EXPECT_GT(stats.dropped_pairs, 0u);
  EXPECT_EQ(testing::Partition(full), testing::Partition(resumed));

  Resolver incremental(HandOptions());
  for (std::size_t i = 0; i < cut; ++i) incremental.Add(records[i]);
  incremental.Resolve();
  for (std::size_t i = cut; i < records.size(); ++i) incremental.Add(records[i]);
  const ResolveStats incremental_stats = incremental.Resolve();
  EXPECT_EQ(stats.crossed_blocks, incremental_stats.crossed_blocks);
  EXPECT_EQ(stats.dropped_pairs, incremental_stats.dropped_pairs);
  EXPECT_EQ(stats.comparisons, incremental_stats.comparisons);

  // The resumed resolver kept only the blocks it touched: more mentions start over, still exact.
  Resolver again(HandOptions());
  for (const Record& record : old) again.Add(record);
  ASSERT_TRUE(again.RestoreState(state, old_mentions).ok());
  for (std::size_t i = cut; i + 20 < records.size(); ++i) again.Add(records[i]);
  again.Resolve();
  for (std::size_t i = records.size() - 20; i < records.size(); ++i) again.Add(records[i]);
  again.Resolve();
  EXPECT_EQ(testing::Partition(full), testing::Partition(again));
}

// Whether an old pair of a crossed block is still given depends on the sizes of its members'
// other blocks, also those no new mention touches: here two name-only 王芳 officers of one
// company (one USCC, two written names) met under their name; the company's officer block (by
// its code) is over the 20 000 cap. When new 王芳 push the name block over its cap, the pair
// goes — a resumed run must see the officer block's full size to know it.
TEST(Resolver, SavedStateCrossingACapSeesTheOtherBlocksSizes) {
  const std::string chars = "赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜";
  std::vector<std::string> glyphs;
  for (std::size_t i = 0; i < chars.size(); i += 3) glyphs.push_back(chars.substr(i, 3));
  std::vector<Record> records;
  for (int i = 0; i < 20001; ++i) {
    const std::string name = glyphs[i % 30] + glyphs[(i / 30) % 30] + glyphs[(i / 900) % 30];
    records.push_back(Rec("big", "m" + std::to_string(i), RecordKind::kOfficer,
                          Org("大股东集团有限公司", Uscc(1)), Person(name)));
  }
  records.push_back(Rec("x", "a", RecordKind::kOfficer, Org("大股东集团有限公司", Uscc(1)), Person("王芳")));
  records.push_back(Rec("x", "b", RecordKind::kOfficer, Org("大股东控股有限公司", Uscc(1)), Person("王芳")));
  for (int i = 0; i < 160; ++i) {
    records.push_back(Rec("y", "w" + std::to_string(i), RecordKind::kOfficer,
                          Org("公司" + std::to_string(i) + "号有限公司"), Person("王芳")));
  }
  const std::size_t cut = records.size() - 60;  // 102 王芳 before (cap 150), 162 after

  Resolver first(HandOptions());
  for (std::size_t i = 0; i < cut; ++i) first.Add(records[i]);
  first.Resolve();
  const std::string state = first.SaveState();
  Resolver resumed(HandOptions());
  for (std::size_t i = 0; i < cut; ++i) resumed.Add(records[i]);
  ASSERT_TRUE(resumed.RestoreState(state, first.mentions().size()).ok());
  for (std::size_t i = cut; i < records.size(); ++i) resumed.Add(records[i]);
  const ResolveStats stats = resumed.Resolve();

  Resolver incremental(HandOptions());
  for (std::size_t i = 0; i < cut; ++i) incremental.Add(records[i]);
  incremental.Resolve();
  for (std::size_t i = cut; i < records.size(); ++i) incremental.Add(records[i]);
  const ResolveStats incremental_stats = incremental.Resolve();
  EXPECT_GE(stats.crossed_blocks, 1u);
  EXPECT_GT(incremental_stats.dropped_pairs, 0u);
  EXPECT_EQ(stats.dropped_pairs, incremental_stats.dropped_pairs);
  EXPECT_EQ(testing::Partition(incremental), testing::Partition(resumed));
  const auto a = resumed.FindMention("x", "a", Role::kParty), b = resumed.FindMention("x", "b", Role::kParty);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(resumed.ExplainLink(*a, *b).compared);  // a full run never compares them either
}

TEST(Resolver, SavedStateRefusesChangedOrMissingMentions) {
  const testing::Synthetic data = testing::MakeSynthetic(40, 5);
  Resolver first;
  for (const Record& record : data.records) first.Add(record);
  first.Resolve();
  const std::string state = first.SaveState();
  {  // a record re-read with another name
    Resolver resumed;
    std::vector<Record> records = data.records;
    records[3].subject.name += "二";
    for (const Record& record : records) resumed.Add(record);
    const absl::Status status = resumed.RestoreState(state, resumed.mentions().size());
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  }
  {  // a record removed
    Resolver resumed;
    for (std::size_t i = 1; i < data.records.size(); ++i) resumed.Add(data.records[i]);
    EXPECT_EQ(resumed.RestoreState(state, resumed.mentions().size()).code(), absl::StatusCode::kFailedPrecondition);
  }
  {  // other options, truncated bytes
    ResolveOptions options;
    options.block_identical_once = false;
    Resolver resumed(options);
    for (const Record& record : data.records) resumed.Add(record);
    EXPECT_EQ(resumed.RestoreState(state, resumed.mentions().size()).code(), absl::StatusCode::kFailedPrecondition);
    Resolver truncated;
    for (const Record& record : data.records) truncated.Add(record);
    EXPECT_EQ(truncated.RestoreState(state.substr(0, state.size() - 3), truncated.mentions().size()).code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(truncated.RestoreState("not a state", truncated.mentions().size()).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

// A mention without a key links to the only registered entity that fits even below the
// match probability (closed world), but not when a second one fits as well.
TEST(Resolver, SoleCandidateLinksButTwoCandidatesAreAmbiguous) {
  ResolveOptions options = HandOptions();
  options.match_probability = 0.999999;  // the pairwise probability alone never reaches this
  {
    Resolved r({Registry("r1", "济南鑫昌建材有限公司", Uscc(1)),
                Rec("s", "p1", RecordKind::kPenalty, Org("济南鑫昌建材有限公司", "", "370102"))},
               options);
    EXPECT_TRUE(r.Same("r1", "p1")) << r.Explain("r1", "p1");
    EXPECT_EQ(r.stats().unique_candidate_links, 1u);
  }
  {
    Resolved r({Registry("r1", "济南鑫昌建材有限公司", Uscc(1)),
                Registry("r2", "济南鑫昌建材有限公司", Uscc(2)),
                Rec("s", "p1", RecordKind::kPenalty, Org("济南鑫昌建材有限公司", "", "370102"))},
               options);
    EXPECT_FALSE(r.Same("r1", "p1"));
    EXPECT_FALSE(r.Same("r2", "p1"));
    EXPECT_EQ(r.stats().ambiguous_mentions, 1u);
  }
  {
    options.unique_match_probability = options.match_probability;  // off for persons only
    Resolved r({Registry("r1", "济南鑫昌建材有限公司", Uscc(1)),
                Rec("s", "p1", RecordKind::kPenalty, Org("济南鑫昌建材有限公司", "", "370102"))},
               options);
    EXPECT_TRUE(r.Same("r1", "p1"));
  }
  {
    options.org_unique_match_probability = options.match_probability;  // off for organizations too
    Resolved r({Registry("r1", "济南鑫昌建材有限公司", Uscc(1)),
                Rec("s", "p1", RecordKind::kPenalty, Org("济南鑫昌建材有限公司", "", "370102"))},
               options);
    EXPECT_FALSE(r.Same("r1", "p1"));
  }
}

// Two registered companies of one name: a name-only mention is ambiguous, unless the other
// side of its record (here the officer) is tied by another record to exactly one of them.
TEST(Resolver, OtherSideOfTheRecordDecidesBetweenHomonyms) {
  const std::string name = "济南鑫昌建材有限公司";
  auto registry = [&](const std::string& rid, int serial, const std::string& rep, int rep_serial) {
    return Rec("s", rid, RecordKind::kRegistry, Org(name, Uscc(serial), "370102"),
               Person(rep, IdNo(rep_serial), "370102"));
  };
  const std::vector<Record> base = {registry("r1", 1, "张伟", 11), registry("r2", 2, "李强", 12)};
  {
    std::vector<Record> records = base;
    records.push_back(Rec("s", "o1", RecordKind::kOfficer, Org(name, "", "370102"),
                          Person("李强", IdNo(12), "370102")));
    Resolved r(records);
    EXPECT_TRUE(r.Same("o1", "r2")) << r.Explain("o1", "r2");
    EXPECT_FALSE(r.Same("o1", "r1"));
    EXPECT_EQ(r.stats().decided_by_other_side, 1u);
  }
  {
    std::vector<Record> records = base;  // an officer tied to neither: left alone
    records.push_back(Rec("s", "o1", RecordKind::kOfficer, Org(name, "", "370102"),
                          Person("王五", IdNo(13), "370102")));
    Resolved r(records);
    EXPECT_FALSE(r.Same("o1", "r1"));
    EXPECT_FALSE(r.Same("o1", "r2"));
    EXPECT_EQ(r.stats().decided_by_other_side, 0u);
  }
}

// Two registered companies whose names differ only in how the form or the region is written
// (有限公司 / 有限责任公司, 青岛 / 青岛市) fold to one canonical name: a name-only mention goes to
// the one whose name it copies character for character; two companies registered under the very
// same name, or a mention written like neither, stay ambiguous; the record's other side, when it
// decides, comes first.
TEST(Resolver, NameAsWrittenDecidesBetweenFoldedNamesakes) {
  const std::string limited = "青岛康荣纺织有限公司", liability = "青岛康荣纺织有限责任公司";
  auto registry = [](const std::string& rid, const std::string& name, int serial, const std::string& rep, int rep_serial) {
    return Rec("s", rid, RecordKind::kRegistry, Org(name, Uscc(serial), "370202"),
               Person(rep, IdNo(rep_serial), "370202"));
  };
  auto penalty = [](const std::string& rid, const std::string& name) {
    return Rec("s", rid, RecordKind::kPenalty, Org(name, "", "370202"));
  };
  const std::vector<Record> base = {registry("r1", limited, 1, "张伟", 11), registry("r2", liability, 2, "李强", 12),
                                    Rec("s", "t1", RecordKind::kRating, Org(limited, Uscc(1), "370202")),
                                    Rec("s", "t2", RecordKind::kRating, Org(liability, Uscc(2), "370202"))};
  for (const auto& [written, owner, other] : {std::tuple{liability, "r2", "r1"}, std::tuple{limited, "r1", "r2"}}) {
    std::vector<Record> records = base;
    records.push_back(penalty("p1", written));
    Resolved r(records);
    EXPECT_TRUE(r.Same("p1", owner)) << written << "\n" << r.Explain("p1", owner);
    EXPECT_FALSE(r.Same("p1", other)) << written;
    EXPECT_EQ(r.stats().written_name_links, 1u);
    EXPECT_EQ(r.stats().ambiguous_mentions, 0u);
  }
  {  // written like neither (the region's full name): ambiguous
    std::vector<Record> records = base;
    records.push_back(penalty("p1", "青岛市康荣纺织有限公司"));
    Resolved r(records);
    EXPECT_FALSE(r.Same("p1", "r1"));
    EXPECT_FALSE(r.Same("p1", "r2"));
    EXPECT_EQ(r.stats().written_name_links, 0u);
    EXPECT_EQ(r.stats().ambiguous_mentions, 1u);
  }
  {  // two companies registered under the very same name: ambiguous
    std::vector<Record> records = {registry("r1", limited, 1, "张伟", 11), registry("r2", limited, 2, "李强", 12),
                                   penalty("p1", limited)};
    Resolved r(records);
    EXPECT_FALSE(r.Same("p1", "r1"));
    EXPECT_FALSE(r.Same("p1", "r2"));
    EXPECT_EQ(r.stats().written_name_links, 0u);
  }
  {  // written as r1's name, but its officer is r2's legal representative: the other side decides
    std::vector<Record> records = base;
    records.push_back(Rec("s", "o1", RecordKind::kOfficer, Org(limited, "", "370202"), Person("李强", IdNo(12), "370202")));
    Resolved r(records);
    EXPECT_TRUE(r.Same("o1", "r2")) << r.Explain("o1", "r2");
    EXPECT_FALSE(r.Same("o1", "r1"));
    EXPECT_EQ(r.stats().decided_by_other_side, 1u);
    EXPECT_EQ(r.stats().written_name_links, 0u);
  }
}

// u from random pairs, m and the prior from the pairs the keys link: on a synthetic province
// the prior is about the share of random pairs that match, and equal names weigh for a match.
TEST(Resolver, ParametersFromKeysAndRandomPairs) {
  const testing::Synthetic data = testing::MakeSynthetic(1500, 21);  // enough keyed pairs
  Resolver resolver;
  for (const Record& record : data.records) resolver.Add(record);
  resolver.Resolve();
  const FsParams& org = resolver.org_params();
  EXPECT_LT(org.lambda, 0.05);  // a random pair of mentions rarely matches
  EXPECT_GT(org.lambda, 1e-6);
  const int top = static_cast<int>(org.m[0].size()) - 1;
  EXPECT_GT(FieldWeight(org, 0, static_cast<std::int8_t>(top)), 3.0);  // canonical name equal
  EXPECT_LT(FieldWeight(org, 0, 0), 0.0);                             // different names
}

// Keyed mentions written identically (the same company in several departments' records) block
// once: fewer comparisons, and the partition of the plain run, on hand-made and random data.
TEST(Resolver, IdenticalKeyedMentionsBlockOnce) {
  std::vector<Record> records;
  for (int copy = 0; copy < 4; ++copy) {
    records.push_back(Rec("dept" + std::to_string(copy), "r", RecordKind::kPenalty,
                          Org("宏达12科技有限公司", Uscc(1), "370102")));
  }
  records.push_back(Rec("s", "probe", RecordKind::kPenalty, Org("宏达12料技有限公司", "", "370102")));
  ResolveOptions plain_options = HandOptions();
  plain_options.block_identical_once = false;
  Resolver once(HandOptions()), plain(plain_options);
  for (const Record& record : records) {
    once.Add(record);
    plain.Add(record);
  }
  const ResolveStats once_stats = once.Resolve(), plain_stats = plain.Resolve();
  EXPECT_EQ(once_stats.represented, 3u);
  EXPECT_EQ(plain_stats.represented, 0u);
  EXPECT_EQ(once_stats.comparisons, 1u);  // the probe against one of the four
  EXPECT_EQ(plain_stats.comparisons, 4u);
  EXPECT_EQ(testing::Partition(once), testing::Partition(plain));
  EXPECT_EQ(once.entity_ids().size(), 1u);

  for (unsigned seed : {31u, 32u, 33u}) {
    const testing::Synthetic data = testing::MakeSynthetic(300, seed);
    Resolver a(HandOptions()), b(plain_options);
    for (const Record& record : data.records) {
      a.Add(record);
      b.Add(record);
    }
    const ResolveStats sa = a.Resolve(), sb = b.Resolve();
    EXPECT_GT(sa.represented, 0u) << seed;
    EXPECT_LT(sa.comparisons, sb.comparisons) << seed;
    EXPECT_EQ(testing::Partition(a), testing::Partition(b)) << seed;
  }
}

TEST(Evaluate, PairwiseAndBcubedByHand) {
  // truth {a b c} {d};  predicted {a b} {c d}
  const ClusterScores s = ScoreClustering({"1", "1", "2", "2"}, {"x", "x", "x", "y"});
  EXPECT_DOUBLE_EQ(s.true_pairs, 3);
  EXPECT_DOUBLE_EQ(s.predicted_pairs, 2);
  EXPECT_DOUBLE_EQ(s.correct_pairs, 1);
  EXPECT_DOUBLE_EQ(s.precision, 0.5);
  EXPECT_DOUBLE_EQ(s.recall, 1.0 / 3.0);
  // B-cubed precision: a 1, b 1, c 1/2, d 1/2 -> 0.75; recall: a 2/3, b 2/3, c 1/3, d 1 -> 2/3
  EXPECT_DOUBLE_EQ(s.bcubed_precision, 0.75);
  EXPECT_NEAR(s.bcubed_recall, 2.0 / 3.0, 1e-12);
}

}  // namespace
TEST(Resolver, NameVariantsMadeOncePerNameGiveTheKeysMadeMentionByMention) {
  // Resolve() makes the deletion variants of each distinct core name once; incremental runs
  // re-make single mentions' keys: both ways must give the same keys, or old and new mentions
  // would miss each other.
  MentionTable table;
  for (const auto& record : testing::MakeSynthetic(500, 13).records) table.Add(record);
  const auto cached = BlockingKeysForTesting(table, true);
  const auto direct = BlockingKeysForTesting(table, false);
  ASSERT_EQ(cached.size(), table.size());
  std::size_t keys = 0;
  for (MentionId m = 0; m < table.size(); ++m) {
    ASSERT_EQ(cached[m], direct[m]) << table.Key(m);
    keys += cached[m].size();
  }
  EXPECT_GT(keys, 5 * table.size());  // variants included: names are several characters long
}

TEST(Resolver, ReleasedLinkingKeepsTheEntitiesAndResolvesAgainFromScratch) {
  // The engine frees the linking state once it is saved and writes the entities after: they
  // must be the same, and a later Resolve() on the same resolver must start over correctly.
  Resolver resolver(testing::HandOptions());
  for (const auto& record : testing::MakeSynthetic(300, 17).records) resolver.Add(record);
  resolver.Resolve();
  const auto before = testing::Partition(resolver);
  std::vector<std::pair<std::string, std::string>> summaries;
  resolver.ForEachEntity([&](NodeId, const EntitySummary& e) { summaries.emplace_back(e.id, e.name); });
  resolver.ReleaseLinking();
  std::vector<std::pair<std::string, std::string>> after_release;
  resolver.ForEachEntity([&](NodeId, const EntitySummary& e) { after_release.emplace_back(e.id, e.name); });
  EXPECT_EQ(after_release, summaries);
  EXPECT_EQ(testing::Partition(resolver), before);
  resolver.Resolve();
  EXPECT_EQ(testing::Partition(resolver), before);
}

TEST(Resolver, EntitySummariesEqualTheObviousOnes) {
  // ForEachEntity reads each mention once, in mention order, and elects names, regions and kinds
  // from bucket-sorted votes; the reference gathers each entity's mentions and votes in a sorted
  // list. Synthetic provinces: names written several ways, registry votes, codes found late.
  for (const unsigned seed : {0u, 3u, 19u}) {
    Resolver resolver(testing::HandOptions());
    if (seed == 0) {
      // Ties: one company (one USCC) named two ways with one vote each, in two regions; the
      // smaller text wins (山… before 济… in UTF-8), not the one seen first.
      resolver.Add(testing::Rec("penalty", "1", RecordKind::kPenalty,
                                testing::Org("济南宏达建材有限公司", testing::Uscc(9), "370102")));
      resolver.Add(testing::Rec("penalty", "2", RecordKind::kPenalty,
                                testing::Org("山东宏达建材有限公司", testing::Uscc(9), "370101")));
      resolver.Resolve();
      const std::vector<EntitySummary> entities = resolver.Entities();
      ASSERT_EQ(entities.size(), 1u);
      EXPECT_EQ(entities[0].name, "山东宏达建材有限公司");
      EXPECT_EQ(entities[0].region, "370101");
      EXPECT_EQ(entities[0].mentions, 2u);
      const std::vector<EntitySummary> reference = EntitySummariesReferenceForTesting(resolver);
      EXPECT_EQ(reference[0].name, entities[0].name);
      EXPECT_EQ(reference[0].region, entities[0].region);
      continue;
    }
    for (const auto& record : testing::MakeSynthetic(400, seed).records) resolver.Add(record);
    resolver.Resolve();
    const std::vector<EntitySummary> fast = resolver.Entities(), slow = EntitySummariesReferenceForTesting(resolver);
    ASSERT_EQ(fast.size(), slow.size());
    ASSERT_GT(fast.size(), 400u);
    for (std::size_t e = 0; e < fast.size(); ++e) {
      SCOPED_TRACE(slow[e].id);
      EXPECT_EQ(fast[e].id, slow[e].id);
      EXPECT_EQ(fast[e].kind, slow[e].kind);
      EXPECT_EQ(fast[e].name, slow[e].name);
      EXPECT_EQ(fast[e].region, slow[e].region);
      EXPECT_EQ(fast[e].uscc, slow[e].uscc);
      EXPECT_EQ(fast[e].org_code, slow[e].org_code);
      EXPECT_EQ(fast[e].reg_no, slow[e].reg_no);
      EXPECT_EQ(fast[e].id_no, slow[e].id_no);
      EXPECT_EQ(fast[e].mentions, slow[e].mentions);
    }
  }
}

}  // namespace cg::core::resolve
