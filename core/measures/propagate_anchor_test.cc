// Each legal anchor of measures.md §1 on a tiny fixture graph, with the default catalog
// datasets/measures/default.yaml. Names starting with E are enterprises, P persons.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "core/labels.h"
#include "core/measures/propagate.h"
#include "graph/csr_builder.h"

namespace cg::core::measures {
namespace {

Date D(const char* text) { return *ParseDate(text); }

class Fixture {
 public:
  NodeId Node(const std::string& name) {
    auto [it, inserted] = ids_.try_emplace(name, NodeId(names_.size()));
    if (inserted) {
      names_.push_back(name);
      kinds_.push_back(name[0] == 'P' ? EntityKind::kPerson : EntityKind::kEnterprise);
    }
    return it->second;
  }
  void Edge(const std::string& tail, EdgeLabel label, const std::string& head, Tag tag = 0,
            float value = 0) {
    edges_.push_back({Node(tail), Node(head), Label(label), tag, value});
  }
  void Officer(const std::string& company, OfficerRole role, const std::string& person) {
    Edge(company, EdgeLabel::kOfficer, person, Tag(role));
  }
  ListEntry& List(const std::string& subject, const std::string& code, const char* listed,
                  const char* removed = nullptr) {
    ListEntry entry;
    entry.subject = Node(subject);
    entry.list = code;
    entry.listed_on = D(listed);
    entry.removed_on = removed ? D(removed) : kNoDate;
    entry.source = "src";
    entry.rid = "R" + std::to_string(inputs_.lists.size() + 1);
    inputs_.lists.push_back(entry);
    return inputs_.lists.back();
  }
  void Rating(const std::string& subject, const std::string& grade, const char* rated_on) {
    inputs_.ratings.push_back({Node(subject), "tax", grade, D(rated_on), "tax_ratings",
                               "T" + std::to_string(inputs_.ratings.size() + 1)});
  }
  void Penalty(const std::string& subject, Severity severity, const std::string& domain,
               const char* decided_on) {
    inputs_.penalties.push_back({Node(subject), severity, domain, D(decided_on), "penalties",
                                 "X" + std::to_string(inputs_.penalties.size() + 1)});
  }
  MeasureEngine& Run() {
    const char* dir = std::getenv("CG_SOURCE_DIR");
    auto catalog = LoadCatalog(std::string(dir ? dir : ".") + "/datasets/measures/default.yaml");
    EXPECT_TRUE(catalog.ok()) << catalog.status();
    engine_ = std::make_unique<MeasureEngine>(
        *catalog, CsrBuilder::FromEdges(NodeId(names_.size()), edges_), kinds_);
    engine_->Propagate(inputs_);
    return *engine_;
  }
  /// Restrictions of `measure` on `entity` (all dates).
  std::vector<Restriction> Of(const std::string& measure, const std::string& entity) {
    std::vector<Restriction> out;
    for (const Restriction& restriction : engine_->Why(Node(entity))) {
      if (engine_->catalog().measures[restriction.measure].id == measure) out.push_back(restriction);
    }
    return out;
  }
  std::string Path(const Restriction& restriction) {
    return engine_->PathText(restriction, [&](NodeId node) { return names_[node]; });
  }
  bool Bound(const std::string& entity, const char* domain, const char* date) {
    return engine_->Check(Node(entity), domain, D(date)).yes;
  }

 private:
  std::map<std::string, NodeId> ids_;
  std::vector<std::string> names_;
  std::vector<EntityKind> kinds_;
  std::vector<EdgeInput> edges_;
  TriggerInputs inputs_;
  std::unique_ptr<MeasureEngine> engine_;
};

//            legal_rep
//   E0 ─────────────────▶ P1
//   │  officer[principal]
//   ├───────────────────▶ P2
//   │  officer[director]
//   ├───────────────────▶ P3      (a director: not reached by high consumption)
//   │  controller
//   └───────────────────▶ P4
//   E0 on court_dishonest_debtor from 2023-01-01, removed 2024-06-01.
TEST(Anchors, HighConsumptionReachesLegalRepPrincipalController) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.Officer("E0", OfficerRole::kPrincipal, "P2");
  fixture.Officer("E0", OfficerRole::kDirector, "P3");
  fixture.Edge("E0", EdgeLabel::kController, "P4", Tag(ControllerTag::kDerived));
  fixture.List("E0", "court_dishonest_debtor", "2023-01-01", "2024-06-01");
  fixture.Run();
  for (const char* entity : {"E0", "P1", "P2", "P4"}) {
    auto found = fixture.Of("high_consumption_ban", entity);
    ASSERT_EQ(found.size(), 1u) << entity;
    EXPECT_EQ(found[0].start, D("2023-01-01"));
    EXPECT_EQ(found[0].end, D("2024-06-01"));  // listed: ends with the removal
    EXPECT_EQ(found[0].trigger->rid, "R1");
    EXPECT_EQ(fixture.Of("severe_dishonesty_joint", entity).size(), 1u) << entity;  // Art. 31
  }
  EXPECT_TRUE(fixture.Of("high_consumption_ban", "P3").empty());
  EXPECT_EQ(fixture.Path(fixture.Of("high_consumption_ban", "P1")[0]), "E0 -legal_rep-> P1");
  EXPECT_EQ(fixture.Path(fixture.Of("high_consumption_ban", "P2")[0]), "E0 -officer-> P2");
  EXPECT_EQ(fixture.Path(fixture.Of("high_consumption_ban", "P4")[0]), "E0 -controller-> P4");
  EXPECT_EQ(fixture.Path(fixture.Of("high_consumption_ban", "E0")[0]), "E0");
  EXPECT_FALSE(fixture.Bound("P1", "consumption", "2022-12-31"));
  EXPECT_TRUE(fixture.Bound("P1", "consumption", "2023-01-01"));
  EXPECT_TRUE(fixture.Bound("P1", "consumption", "2024-05-31"));
  EXPECT_FALSE(fixture.Bound("P1", "consumption", "2024-06-01"));  // half-open
  EXPECT_FALSE(fixture.Bound("P3", "consumption", "2023-06-01"));
  EXPECT_FALSE(fixture.Bound("P1", "tax", "2023-06-01"));
}

//   E0 ─legal_rep─▶ P1 ◀─legal_rep─ E2        E4 ─legal_rep─▶ P5   (unrelated)
//                   ▲
//   E3 ─legal_rep───┘
//   E0 rated tax D on 2024-04-01, then B on 2025-04-01.
TEST(Anchors, TaxDRatingContagionThroughLegalRep) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.Edge("E2", EdgeLabel::kLegalRep, "P1");
  fixture.Edge("E3", EdgeLabel::kLegalRep, "P1");
  fixture.Edge("E4", EdgeLabel::kLegalRep, "P5");
  fixture.Rating("E0", "D", "2024-04-01");
  fixture.Rating("E0", "B", "2025-04-01");
  fixture.Run();
  for (const char* entity : {"E0", "E2", "E3"}) {
    auto found = fixture.Of("tax_d_rating", entity);
    ASSERT_EQ(found.size(), 1u) << entity;
    EXPECT_EQ(found[0].start, D("2024-04-01"));
    EXPECT_EQ(found[0].end, D("2025-04-01"));  // until the next rating of the scheme
  }
  EXPECT_EQ(fixture.Path(fixture.Of("tax_d_rating", "E2")[0]), "E0 -legal_rep-> P1 -~legal_rep-> E2");
  EXPECT_TRUE(fixture.Of("tax_d_rating", "P1").empty());
  EXPECT_TRUE(fixture.Of("tax_d_rating", "E4").empty());
  EXPECT_TRUE(fixture.Bound("E3", "tax", "2025-03-31"));
  EXPECT_FALSE(fixture.Bound("E3", "tax", "2025-04-01"));
}

//   E0 ─legal_rep─▶ P1 ◀─legal_rep─ E2
//   E0 on amr_abnormal_operation from 2020-06-01 (Art. 17: escalates on 2023-06-01).
//   E5 ─legal_rep─▶ P6;  E5 on the same list, removed 2023-05-31: no escalation.
TEST(Anchors, Art17EscalationAndThreeYearPostBan) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.Edge("E2", EdgeLabel::kLegalRep, "P1");
  fixture.Edge("E5", EdgeLabel::kLegalRep, "P6");
  fixture.List("E0", "amr_abnormal_operation", "2020-06-01");
  fixture.List("E5", "amr_abnormal_operation", "2020-06-01", "2023-05-31");
  MeasureEngine& engine = fixture.Run();
  auto ban = fixture.Of("serious_illegal_post_ban", "P1");
  ASSERT_EQ(ban.size(), 1u);
  EXPECT_EQ(ban[0].start, D("2023-06-01"));
  EXPECT_EQ(ban[0].end, D("2026-06-01"));
  EXPECT_EQ(ban[0].trigger->rid, "R1");  // the original's source and rid
  EXPECT_EQ(ban[0].trigger->code, "amr_serious_illegal");
  EXPECT_EQ(ban[0].trigger->escalated_from, "amr_abnormal_operation");
  auto alert = fixture.Of("serious_illegal_other_posts_alert", "E2");
  ASSERT_EQ(alert.size(), 1u);
  EXPECT_EQ(alert[0].effect, Effect::kAlert);
  EXPECT_TRUE(fixture.Of("serious_illegal_post_ban", "P6").empty());
  // Credit repair after the escalation: `listed` measures end, the 3-year ban does not.
  ASSERT_TRUE(engine.SetRemoved("src", "R1", D("2024-01-01")).ok());
  ban = fixture.Of("serious_illegal_post_ban", "P1");
  ASSERT_EQ(ban.size(), 1u);
  EXPECT_EQ(ban[0].end, D("2026-06-01"));
  auto joint = fixture.Of("severe_dishonesty_joint", "P1");
  ASSERT_EQ(joint.size(), 1u);
  EXPECT_EQ(joint[0].end, D("2024-01-01"));
  EXPECT_TRUE(fixture.Bound("P1", "company_post", "2025-01-01"));
  EXPECT_FALSE(fixture.Bound("P1", "public_credit", "2025-01-01"));
}

//   E0 ─officer[director]──▶ P1 ◀──officer[supervisor]── E2
//                            ▲
//   E3 ─officer[controller]──┘      (a controller is not a post)
//   P1 on court_dishonest_debtor from 2024-02-01.
TEST(Anchors, Art178FivePostVoidAlerts) {
  Fixture fixture;
  fixture.Officer("E0", OfficerRole::kDirector, "P1");
  fixture.Officer("E2", OfficerRole::kSupervisor, "P1");
  fixture.Officer("E3", OfficerRole::kController, "P1");
  fixture.List("P1", "court_dishonest_debtor", "2024-02-01");
  fixture.Run();
  for (const char* company : {"E0", "E2"}) {
    auto alert = fixture.Of("company_post_void_alert", company);
    ASSERT_EQ(alert.size(), 1u) << company;
    EXPECT_EQ(alert[0].effect, Effect::kAlert);
    EXPECT_EQ(alert[0].end, D("2029-02-01"));  // the 5-year cap
  }
  EXPECT_EQ(fixture.Path(fixture.Of("company_post_void_alert", "E0")[0]), "P1 -~officer-> E0");
  EXPECT_TRUE(fixture.Of("company_post_void_alert", "E3").empty());
  EXPECT_EQ(fixture.Of("company_post_ban_dishonest_debtor", "P1").size(), 1u);
  EXPECT_TRUE(fixture.Bound("E0", "company_post", "2024-02-01"));
  // Art. 31 reaches organizations' people only: a person subject binds no one else.
  EXPECT_TRUE(fixture.Of("severe_dishonesty_joint", "P1").empty());
}

//   E0 ─legal_rep─▶ P1; E0 rated serious market penalty (licence revoked) on 2024-08-20.
TEST(Anchors, Art178FourLegalRepBarredThreeYears) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.Penalty("E0", Severity::kSerious, "market", "2024-08-20");
  fixture.Penalty("E0", Severity::kGeneral, "market", "2024-09-20");
  fixture.Run();
  auto ban = fixture.Of("legal_rep_ban_licence_revoked", "P1");
  ASSERT_EQ(ban.size(), 1u);
  EXPECT_EQ(ban[0].start, D("2024-08-20"));
  EXPECT_EQ(ban[0].end, D("2027-08-20"));
  EXPECT_TRUE(fixture.Of("legal_rep_ban_licence_revoked", "E0").empty());
}

//   E0 ─legal_rep─▶ P1.  E0 on court_dishonest_debtor, disputed (objection open).
TEST(Anchors, DisputedEntriesAreSuspended) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.List("E0", "court_dishonest_debtor", "2023-01-01").disputed = true;
  MeasureEngine& engine = fixture.Run();
  EXPECT_EQ(engine.num_restrictions(), 0u);
  EXPECT_FALSE(fixture.Bound("P1", "consumption", "2023-06-01"));
  ASSERT_TRUE(engine.SetDisputed("src", "R1", false).ok());  // objection closed, upheld
  EXPECT_TRUE(fixture.Bound("P1", "consumption", "2023-06-01"));
  ASSERT_TRUE(engine.SetDisputed("src", "R1", true).ok());  // reopened
  EXPECT_FALSE(fixture.Bound("P1", "consumption", "2023-06-01"));
}

//   E0 ─legal_rep─▶ P1.  E0 listed 2018-01-01, never removed; E7 listed 2020-02-29.
TEST(Anchors, FiveYearCap) {
  Fixture fixture;
  fixture.Edge("E0", EdgeLabel::kLegalRep, "P1");
  fixture.List("E0", "court_dishonest_debtor", "2018-01-01");
  fixture.List("E7", "court_dishonest_debtor", "2020-02-29");
  fixture.Run();
  EXPECT_TRUE(fixture.Bound("P1", "consumption", "2022-12-31"));
  EXPECT_FALSE(fixture.Bound("P1", "consumption", "2023-01-01"));
  EXPECT_TRUE(fixture.Bound("E7", "consumption", "2025-02-27"));
  EXPECT_FALSE(fixture.Bound("E7", "consumption", "2025-02-28"));  // clamped: 2020-02-29 + 5y
}

//   E0 on tax_a (red list) from 2022-01-01; on tax_major_violation 2023-01-01 .. 2023-07-01.
TEST(Anchors, RewardsWithheldWhilePunished) {
  Fixture fixture;
  fixture.Node("E0");
  fixture.List("E0", "tax_a", "2022-01-01");
  fixture.List("E0", "tax_major_violation", "2023-01-01", "2023-07-01");
  MeasureEngine& engine = fixture.Run();
  auto pieces = fixture.Of("green_channel", "E0");
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].start, D("2022-01-01"));
  EXPECT_EQ(pieces[0].end, D("2023-01-01"));
  EXPECT_FALSE(pieces[0].withheld);
  EXPECT_EQ(pieces[1].start, D("2023-01-01"));
  EXPECT_EQ(pieces[1].end, D("2023-07-01"));
  EXPECT_TRUE(pieces[1].withheld);
  EXPECT_EQ(pieces[2].end, D("2027-01-01"));
  EXPECT_TRUE(fixture.Bound("E0", "administrative_approval", "2022-06-01"));
  const CheckResult withheld = engine.Check(fixture.Node("E0"), "administrative_approval", D("2023-03-01"));
  EXPECT_FALSE(withheld.yes);
  ASSERT_EQ(withheld.reasons.size(), 1u);
  EXPECT_TRUE(withheld.reasons[0].withheld);
  EXPECT_TRUE(fixture.Bound("E0", "administrative_approval", "2023-07-01"));
  // Key supervision: judicial + tax black lists at once.
  EXPECT_FALSE(engine.IsKeySupervised(fixture.Node("E0"), D("2023-03-01")));
  engine.AddListEntry([&] {
    ListEntry entry;
    entry.subject = fixture.Node("E0");
    entry.list = "court_dishonest_debtor";
    entry.listed_on = D("2023-03-01");
    entry.source = "court";
    entry.rid = "C1";
    return entry;
  }());
  EXPECT_TRUE(engine.IsKeySupervised(fixture.Node("E0"), D("2023-03-01")));
  EXPECT_FALSE(engine.IsKeySupervised(fixture.Node("E0"), D("2023-07-01")));
  auto key = engine.KeySupervised();
  ASSERT_EQ(key.size(), 1u);
  EXPECT_EQ(key[0].domains, (std::vector<std::string>{"judicial", "tax"}));
}

}  // namespace
}  // namespace cg::core::measures
