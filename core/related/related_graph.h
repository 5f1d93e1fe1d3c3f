// The related-party graph of measures.md §2, built from resolved entities and their stated
// relations: the domain glue between entity resolution and the graph library.
//
//   std::vector<cg::core::EntityKind> kinds = ...;            // one per NodeId (entity)
//   std::vector<cg::core::related::StatedEdge> edges = ...;   // from -> to, label, tag, value
//   auto built = cg::core::related::BuildRelatedGraph(kinds, edges);   // StatusOr
//   const cg::CsrGraph& graph = built->graph;                  // stated + derived controllers
//   cg::core::related::SaveGraph(store, graph);               // core/related/graph_io.h
//
// What the builder adds to the stated edges (each choice documented in docs/graph.md):
//   - officer edges with role legal_rep also give a legal_rep edge, and officer edges with role
//     controller a controller edge tagged declared (measures.md §2 "from which records");
//   - every stated controller edge is declared (tag ControllerTag::kDeclared);
//   - derived controllers (tag kDerived) for every organization-like entity without a declared
//     one: the majority walk over shareholder ratios > 0.5 (graph/control.h);
//   - optionally (off by default) suspected edges between entities sharing a phone or address.
// Self-loops are dropped; duplicate (from, to, label) edges keep the first one given.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/labels.h"
#include "core/record.h"
#include "graph/components.h"
#include "graph/csr_graph.h"
#include "graph/edge_filter.h"
#include "graph/types.h"

namespace cg::core::related {

/// One stated relation between two resolved entities, directed as in measures.md §2.
struct StatedEdge {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  EdgeLabel label = EdgeLabel::kLegalRep;
  Tag tag = 0;         // OfficerRole for officer edges, ControllerTag for controller edges
  float value = 0.0f;  // shareholder ratio in [0, 1]; guarantee amount (10k CNY); else 0;
                       // NaN: a ratio or amount the record does not give (no filter matches it)
};

/// Tag of suspected edges: what the two entities share.
enum class ContactKind : Tag { kPhone = 0, kAddress = 1 };

/// An entity's phone number or address, already normalized by the caller (equal strings mean the
/// same contact).
struct ContactKey {
  NodeId entity = kNoNode;
  ContactKind kind = ContactKind::kPhone;
  std::string key;
};

struct BuildOptions {
  bool derive_controllers = true;
  float majority_threshold = 0.5f;  // strictly greater than this is a majority
  bool officer_roles_as_edges = true;
  bool suspected = false;           // add kSuspected edges from shared contacts
  /// Contacts shared by more entities than this are too generic (a business centre's address,
  /// an agent's phone) and make no edges; smaller groups are linked pairwise (smaller id -> larger).
  std::size_t max_suspected_group = 10;
};

struct RelatedGraph {
  CsrGraph graph;
  std::size_t stated_edges = 0;          // accepted from the input
  std::size_t self_loops_dropped = 0;
  std::size_t declared_controllers = 0;  // entities with a declared controller
  std::size_t derived_controllers = 0;   // derived controller edges added
  std::size_t suspected_edges = 0;       // in the built graph (after duplicate removal)
};

/// Builds the graph. `kinds` gives the entity count and kinds (kUnknown allowed). Errors
/// (InvalidArgument) name the first bad edge: an entity id out of range, a shareholder ratio
/// outside [0, 1] or not a number, a label outside measures.md §2.
absl::StatusOr<RelatedGraph> BuildRelatedGraph(std::span<const EntityKind> kinds,
                                               std::span<const StatedEdge> edges,
                                               std::span<const ContactKey> contacts = {},
                                               const BuildOptions& options = {});

/// The labels that make a group (关联企业集团) by default: legal_rep, shareholder, branch and
/// controller. Officers (a director on many boards), guarantees and suspected edges are left out;
/// pass another mask to include them.
inline constexpr LabelMask kDefaultGroupLabels =
    LabelBit(Label(EdgeLabel::kLegalRep)) | LabelBit(Label(EdgeLabel::kShareholder)) |
    LabelBit(Label(EdgeLabel::kBranch)) | LabelBit(Label(EdgeLabel::kController));

/// Mask of a list of labels.
LabelMask MaskOf(std::span<const EdgeLabel> labels);

/// Groups: weakly connected components over `labels` with at least `min_size` members,
/// largest first (graph/components.h).
std::vector<Component> Groups(const CsrGraph& graph, LabelMask labels = kDefaultGroupLabels,
                              std::size_t min_size = 2);

}  // namespace cg::core::related
