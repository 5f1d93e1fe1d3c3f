// Catalog reading and validation (measures.md §3, §4), the pattern syntax, and the default
// catalog datasets/measures/default.yaml.
#include "core/measures/catalog.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/labels.h"
#include "core/measures/pattern_syntax.h"

namespace cg::core::measures {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("CG_SOURCE_DIR");
  return dir ? dir : ".";
}

const char* kGood = R"(
max_years: 4
escalations:
  - {from: amr_abnormal_operation, after: 3y, to: amr_serious_illegal}
key_supervision: {min_domains: 2}
lists:
  - {code: my_list, polarity: black, domain: health}
measures:
  - id: m1
    name: 限制高消费
    basis: law 1
    effect: punish
    domain: consumption
    trigger: {lists: [court_dishonest_debtor, my_unknown_list]}
    subjects: [enterprise, person]
    reach: [self, legal_rep, "officer[role=principal]", "officer[role in chair,manager]",
            "shareholder[ratio>=0.5]", "controller/~controller", "~officer"]
    lasts: listed
  - id: m2
    basis: law 2
    effect: reward
    domain: financing
    trigger: {penalties: {severity: [serious, general], domain: [market], within: 1y6m}}
    lasts: 6m
  - id: m3
    basis: law 3
    effect: alert
    domain: tax
    trigger: {ratings: {scheme: tax, grade: D}}
)";

TEST(Catalog, ParsesEverySection) {
  auto catalog = ParseCatalog(kGood);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->max_years, 4);
  ASSERT_EQ(catalog->escalations.size(), 1u);
  EXPECT_EQ(catalog->escalations[0].after.years, 3);
  EXPECT_EQ(catalog->key_supervision_min_domains, 2);
  EXPECT_EQ(catalog->ListInfoFor("my_list").domain, "health");
  EXPECT_EQ(catalog->ListInfoFor("tax_major_violation").polarity, Polarity::kBlack);
  EXPECT_EQ(catalog->ListInfoFor("nope").polarity, Polarity::kUnknown);
  ASSERT_EQ(catalog->measures.size(), 3u);
  const Measure& m1 = catalog->measures[0];
  EXPECT_EQ(m1.trigger.lists.size(), 2u);
  EXPECT_EQ(m1.reach.size(), 7u);
  EXPECT_TRUE(m1.reach[0].pattern.is_self());
  EXPECT_TRUE(m1.lasts_listed);
  EXPECT_TRUE(m1.AcceptsSubject(EntityKind::kPerson));
  EXPECT_FALSE(m1.AcceptsSubject(EntityKind::kOrganization));
  const Measure& m2 = catalog->measures[1];
  EXPECT_EQ(m2.trigger.kind, TriggerKind::kPenalty);
  EXPECT_EQ(m2.trigger.within.years, 1);
  EXPECT_EQ(m2.trigger.within.months, 6);
  EXPECT_FALSE(m2.lasts_listed);
  EXPECT_EQ(m2.lasts.months, 6);
  EXPECT_EQ(m2.reach.size(), 1u);  // default [self]
  EXPECT_TRUE(m2.AcceptsSubject(EntityKind::kUnknown));  // default: all kinds
  EXPECT_EQ(catalog->measures[2].trigger.grades, std::vector<std::string>{"D"});
  EXPECT_EQ(catalog->MaxReachSteps(), 2);
}

struct BadCase {
  std::string yaml;
  const char* expected;  // a fragment the message must contain
};

TEST(Catalog, RefusesWhatBreaksTheSpec) {
  const std::string head = "measures:\n  - id: m1\n";
  const std::string ok_rest =
      "    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n";
  const BadCase cases[] = {
      {"measures:\n  - id: m1\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n",
       "measure 'm1': missing 'basis'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: fine\n    domain: d\n    trigger: {lists: [x]}\n",
       "measure 'm1': unknown effect 'fine'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    reach: [boss]\n",
       "measure 'm1': reach: unknown label 'boss'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    reach: ['officer[role=king]']\n",
       "unknown role 'king'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    reach: ['officer[ratio>0.5]']\n",
       "unknown attribute 'ratio' for label 'officer'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    reach: ['shareholder[ratio>>0.5]']\n",
       "bad number"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    reach: ['legal_rep[role=chair]']\n",
       "unknown attribute 'role' for label 'legal_rep'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    lasts: forever\n",
       "measure 'm1': bad 'lasts' 'forever'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {penalties: {severity: [serious], within: 3q}}\n",
       "bad period '3q'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {penalties: {severity: [awful], within: 3y}}\n",
       "unknown severity 'awful'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x], ratings: {scheme: tax, grade: [D]}}\n",
       "exactly one of"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {on: [x]}\n",
       "unknown key 'on'"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    domain: d\n    trigger: {lists: [x]}\n    subjects: [robot]\n",
       "unknown subject kind 'robot'"},
      {head + ok_rest + "  - id: m1\n" + ok_rest, "measure 'm1': duplicate id"},
      {"max_years: 0\n" + head + ok_rest, "max_years"},
      {"escalations:\n  - {from: a, after: soon, to: b}\n" + head + ok_rest,
       "escalation #1: bad period 'soon'"},
      {"key_supervision: {min_domains: 0}\n" + head + ok_rest, "min_domains"},
      {"measures:\n  - id: m1\n    basis: b\n    effect: punish\n    trigger: {lists: [x]}\n",
       "measure 'm1': 'domain' is missing"},
      {"measures: [", "not valid YAML"},
  };
  for (const BadCase& bad : cases) {
    auto catalog = ParseCatalog(bad.yaml);
    ASSERT_FALSE(catalog.ok()) << bad.yaml;
    EXPECT_NE(std::string(catalog.status().message()).find(bad.expected), std::string::npos)
        << catalog.status().message() << "\nexpected: " << bad.expected;
  }
}

TEST(PatternSyntax, ParsesAndRoundTrips) {
  for (const char* text : {"self", "legal_rep", "~legal_rep", "legal_rep/~legal_rep",
                           "officer[role=principal]", "officer[role in chair,manager]",
                           "shareholder[ratio>=0.5]", "guarantee[amount<100]",
                           "controller[kind=declared]/~controller", "~officer"}) {
    auto pattern = ParsePattern(text);
    ASSERT_TRUE(pattern.ok()) << text << ": " << pattern.status();
    EXPECT_EQ(FormatPattern(*pattern), text);
  }
  auto pattern = ParsePattern(" officer [ role in chair , manager ] ");
  ASSERT_TRUE(pattern.ok()) << pattern.status();
  const PatternStep& step = pattern->steps[0];
  EXPECT_EQ(step.label, Label(EdgeLabel::kOfficer));
  EXPECT_TRUE(step.Accepts(Tag(OfficerRole::kChair), 0));
  EXPECT_TRUE(step.Accepts(Tag(OfficerRole::kManager), 0));
  EXPECT_FALSE(step.Accepts(Tag(OfficerRole::kDirector), 0));
  auto ratio = ParsePattern("shareholder[ratio>=0.5]");
  EXPECT_TRUE(ratio->steps[0].Accepts(0, 0.5f));
  EXPECT_FALSE(ratio->steps[0].Accepts(0, 0.49f));
  EXPECT_FALSE(ParsePattern("").ok());
  EXPECT_FALSE(ParsePattern("legal_rep/").ok());
  EXPECT_FALSE(ParsePattern("officer[role=principal").ok());
}

TEST(Catalog, DefaultCatalogLoadsAndNamesEveryBasis) {
  auto catalog = LoadCatalog(SourceDir() + "/datasets/measures/default.yaml");
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->max_years, 5);
  EXPECT_GE(catalog->measures.size(), 8u);
  for (const Measure& measure : catalog->measures) EXPECT_FALSE(measure.basis.empty());
  EXPECT_FALSE(LoadCatalog(SourceDir() + "/no/such/file.yaml").ok());
}

}  // namespace
}  // namespace cg::core::measures
