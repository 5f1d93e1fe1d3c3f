// The related-party graph: stated edges, officer roles, derived/declared controllers (against the
// literal walk of measures.md §2), suspected edges, groups.
#include "core/related/related_graph.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

namespace cg::core::related {
namespace {

using K = EntityKind;
constexpr Label L(EdgeLabel label) { return Label(label); }

// Edges of one label as (from, to, tag) triples.
std::set<std::tuple<NodeId, NodeId, Tag>> EdgesOf(const CsrGraph& graph, EdgeLabel label) {
  std::set<std::tuple<NodeId, NodeId, Tag>> out;
  for (EdgeIdx e = 0; e < graph.num_edges(); ++e)
    if (graph.label(e) == L(label)) out.insert({graph.tail(e), graph.head(e), graph.tag(e)});
  return out;
}

//   E0 --sh 0.6--> E1 --sh 0.8--> P2        E0's derived controller: P2 (E1's too)
//   E3 --officer(controller)--> P4          declared, and E3 --sh 0.9--> P5 is overridden
//   E3 --officer(legal_rep)--> P4           also a legal_rep edge
//   E6 --branch--> E0,  E6 --legal_rep--> P7,  E6 --sh 0.3--> E6 (self-loop, dropped)
TEST(RelatedGraph, TinyFixture) {
  std::vector<EntityKind> kinds{K::kEnterprise, K::kEnterprise, K::kPerson, K::kEnterprise,
                                K::kPerson,     K::kPerson,     K::kEnterprise, K::kPerson};
  std::vector<StatedEdge> edges{
      {0, 1, EdgeLabel::kShareholder, 0, 0.6f},
      {1, 2, EdgeLabel::kShareholder, 0, 0.8f},
      {3, 4, EdgeLabel::kOfficer, Tag(OfficerRole::kController), 0},
      {3, 4, EdgeLabel::kOfficer, Tag(OfficerRole::kLegalRep), 0},
      {3, 5, EdgeLabel::kShareholder, 0, 0.9f},
      {6, 0, EdgeLabel::kBranch, 0, 0},
      {6, 7, EdgeLabel::kLegalRep, 0, 0},
      {6, 6, EdgeLabel::kShareholder, 0, 0.3f},
  };
  auto built = BuildRelatedGraph(kinds, edges);
  ASSERT_TRUE(built.ok()) << built.status();
  const CsrGraph& graph = built->graph;
  EXPECT_EQ(graph.Validate(), "");
  EXPECT_EQ(graph.num_nodes(), 8u);
  EXPECT_EQ(built->self_loops_dropped, 1u);
  EXPECT_EQ(built->declared_controllers, 1u);
  EXPECT_EQ(built->derived_controllers, 2u);
  const Tag derived = Tag(ControllerTag::kDerived), declared = Tag(ControllerTag::kDeclared);
  EXPECT_EQ(EdgesOf(graph, EdgeLabel::kController),
            (std::set<std::tuple<NodeId, NodeId, Tag>>{{0, 2, derived}, {1, 2, derived},
                                                       {3, 4, declared}}));
  EXPECT_EQ(EdgesOf(graph, EdgeLabel::kLegalRep),
            (std::set<std::tuple<NodeId, NodeId, Tag>>{{3, 4, 0}, {6, 7, 0}}));
  // Officer edges (3,4) with two roles: duplicates of (from, to, label) keep the first given.
  EXPECT_EQ(EdgesOf(graph, EdgeLabel::kOfficer).size(), 1u);

  auto groups = Groups(graph);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members, (std::vector<NodeId>{0, 1, 2, 6, 7}));
  EXPECT_EQ(groups[1].members, (std::vector<NodeId>{3, 4, 5}));
  EXPECT_EQ(Groups(graph, MaskOf(std::vector<EdgeLabel>{EdgeLabel::kBranch})).size(), 1u);

  BuildOptions no_derivation;
  no_derivation.derive_controllers = false;
  auto plain = BuildRelatedGraph(kinds, edges, {}, no_derivation);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(EdgesOf(plain->graph, EdgeLabel::kController).size(), 1u);
}

TEST(RelatedGraph, BadInputSaysWhatIsWrong) {
  std::vector<EntityKind> kinds(3, K::kEnterprise);
  std::vector<StatedEdge> out_of_range{{0, 5, EdgeLabel::kBranch, 0, 0}};
  auto built = BuildRelatedGraph(kinds, out_of_range);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(built.status().message().find("only 3 entities"), std::string::npos);
  std::vector<StatedEdge> percent{{0, 1, EdgeLabel::kShareholder, 0, 51.0f}};
  built = BuildRelatedGraph(kinds, percent);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("0.51"), std::string::npos);
}

//   phone A: 0, 1, 2   address X: 1, 2   phone B: 3..14 (12 entities: too generic)
TEST(RelatedGraph, SuspectedEdgesAreOptional) {
  std::vector<EntityKind> kinds(15, K::kEnterprise);
  std::vector<ContactKey> contacts{{0, ContactKind::kPhone, "A"}, {1, ContactKind::kPhone, "A"},
                                   {2, ContactKind::kPhone, "A"}, {1, ContactKind::kAddress, "X"},
                                   {2, ContactKind::kAddress, "X"}};
  for (NodeId node = 3; node < 15; ++node) contacts.push_back({node, ContactKind::kPhone, "B"});
  auto off = BuildRelatedGraph(kinds, {}, contacts);
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->graph.num_edges(), 0u);
  BuildOptions options;
  options.suspected = true;
  auto on = BuildRelatedGraph(kinds, {}, contacts, options);
  ASSERT_TRUE(on.ok());
  const Tag phone = Tag(ContactKind::kPhone);
  EXPECT_EQ(EdgesOf(on->graph, EdgeLabel::kSuspected),
            (std::set<std::tuple<NodeId, NodeId, Tag>>{{0, 1, phone}, {0, 2, phone}, {1, 2, phone}}));
  EXPECT_EQ(on->suspected_edges, 3u);
}

// measures.md §2 word for word, over the stated shareholder edges (first of duplicates).
NodeId ReferenceDerived(const std::vector<StatedEdge>& edges, NodeId start) {
  std::set<NodeId> seen{start};
  NodeId node = start;
  while (true) {
    NodeId best = kNoNode;
    float best_ratio = 0.5f;
    std::set<NodeId> holders_seen;
    for (const StatedEdge& edge : edges) {
      if (edge.label != EdgeLabel::kShareholder || edge.from != node || edge.from == edge.to) continue;
      if (!holders_seen.insert(edge.to).second) continue;  // duplicates: first one counts
      if (edge.value > best_ratio || (best != kNoNode && edge.value == best_ratio && edge.to < best)) {
        best = edge.to;
        best_ratio = edge.value;
      }
    }
    if (best == kNoNode || seen.contains(best)) break;
    seen.insert(best);
    node = best;
  }
  return node == start ? kNoNode : node;
}

TEST(RelatedGraph, RandomOwnershipWithCyclesMatchesTheRule) {
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    const NodeId n = 2 + rng() % 40;
    std::vector<EntityKind> kinds(n, K::kEnterprise);
    std::vector<StatedEdge> edges;
    const int count = int(rng() % (3 * n));
    for (int i = 0; i < count; ++i) {
      const NodeId from = rng() % n, to = rng() % n;
      const float ratio = float(rng() % 10) / 10.0f + 0.05f;
      if (rng() % 6 == 0) {
        edges.push_back({from, to, EdgeLabel::kController, 0, 0});
      } else {
        edges.push_back({from, to, EdgeLabel::kShareholder, 0, ratio});
      }
    }
    auto built = BuildRelatedGraph(kinds, edges);
    ASSERT_TRUE(built.ok()) << built.status();
    std::set<NodeId> with_declared;
    for (const auto& edge : edges)
      if (edge.label == EdgeLabel::kController && edge.from != edge.to) with_declared.insert(edge.from);
    std::set<std::tuple<NodeId, NodeId, Tag>> want;
    for (NodeId node = 0; node < n; ++node) {
      if (with_declared.contains(node)) continue;
      const NodeId controller = ReferenceDerived(edges, node);
      if (controller != kNoNode) want.insert({node, controller, Tag(ControllerTag::kDerived)});
    }
    std::set<std::tuple<NodeId, NodeId, Tag>> got;
    for (const auto& edge : EdgesOf(built->graph, EdgeLabel::kController))
      if (std::get<2>(edge) == Tag(ControllerTag::kDerived)) got.insert(edge);
    EXPECT_EQ(got, want) << "round " << round;
  }
}

}  // namespace
}  // namespace cg::core::related
