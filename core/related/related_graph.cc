// Building the related-party graph (core/related/related_graph.h).
#include "core/related/related_graph.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "graph/control.h"
#include "graph/csr_builder.h"

namespace cg::core::related {
namespace {

absl::Status CheckEdge(const StatedEdge& edge, std::size_t index, NodeId n) {
  if (edge.from >= n || edge.to >= n) {
    return absl::InvalidArgumentError(
        absl::StrCat("relation #", index, " joins entity ", edge.from, " to ", edge.to,
                     " but there are only ", n, " entities; pass one kind per entity id"));
  }
  if (static_cast<int>(edge.label) >= kNumEdgeLabels) {
    return absl::InvalidArgumentError(absl::StrCat(
        "relation #", index, " has label ", static_cast<int>(edge.label),
        "; labels are those of measures.md §2 (legal_rep, officer, shareholder, branch, "
        "guarantee, controller, suspected)"));
  }
  if (edge.label == EdgeLabel::kShareholder &&
      !std::isnan(edge.value) &&  // NaN: the ratio is unknown
      (!std::isfinite(edge.value) || edge.value < 0.0f || edge.value > 1.0f)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "relation #", index, " (shareholder ", edge.to, " of ", edge.from, ") has ratio ",
        edge.value, "; ratios are fractions in [0, 1] (write 51% as 0.51)"));
  }
  return absl::OkStatus();
}

}  // namespace

LabelMask MaskOf(std::span<const EdgeLabel> labels) {
  LabelMask mask = 0;
  for (EdgeLabel label : labels) mask |= LabelBit(Label(label));
  return mask;
}

absl::StatusOr<RelatedGraph> BuildRelatedGraph(std::span<const EntityKind> kinds,
                                               std::span<const StatedEdge> edges,
                                               std::span<const ContactKey> contacts,
                                               const BuildOptions& options) {
  const NodeId n = NodeId(kinds.size());
  RelatedGraph result;
  CsrBuilder builder(n);
  builder.Reserve(edges.size() + edges.size() / 8);
  // Shareholder edges again, for the controller walk on a small graph of its own.
  CsrBuilder holdings(n);
  std::vector<std::pair<NodeId, NodeId>> declared;
  auto add = [&](NodeId from, NodeId to, EdgeLabel label, Tag tag, float value) {
    builder.AddEdge(from, to, Label(label), tag, value);
  };
  for (std::size_t index = 0; index < edges.size(); ++index) {
    const StatedEdge& edge = edges[index];
    if (absl::Status status = CheckEdge(edge, index, n); !status.ok()) return status;
    if (edge.from == edge.to) {
      ++result.self_loops_dropped;
      continue;
    }
    ++result.stated_edges;
    switch (edge.label) {
      case EdgeLabel::kController:
        add(edge.from, edge.to, edge.label, Tag(ControllerTag::kDeclared), edge.value);
        declared.emplace_back(edge.from, edge.to);
        break;
      case EdgeLabel::kOfficer:
        add(edge.from, edge.to, edge.label, edge.tag, edge.value);
        if (options.officer_roles_as_edges && edge.tag == Tag(OfficerRole::kLegalRep)) {
          add(edge.from, edge.to, EdgeLabel::kLegalRep, 0, 0.0f);
        }
        if (options.officer_roles_as_edges && edge.tag == Tag(OfficerRole::kController)) {
          add(edge.from, edge.to, EdgeLabel::kController, Tag(ControllerTag::kDeclared), 0.0f);
          declared.emplace_back(edge.from, edge.to);
        }
        break;
      case EdgeLabel::kShareholder:
        add(edge.from, edge.to, edge.label, edge.tag, edge.value);
        holdings.AddEdge(edge.from, edge.to, Label(EdgeLabel::kShareholder), 0, edge.value);
        break;
      default:
        add(edge.from, edge.to, edge.label, edge.tag, edge.value);
    }
  }

  if (options.derive_controllers) {
    const CsrGraph holding_graph = holdings.Build();
    const ControlResult control = DeriveControllers(
        holding_graph, Label(EdgeLabel::kShareholder), options.majority_threshold, declared);
    for (NodeId node = 0; node < n; ++node) {
      if (control.source[node] == ControlSource::kDeclared) ++result.declared_controllers;
      if (control.source[node] != ControlSource::kDerived) continue;
      if (kinds[node] != EntityKind::kUnknown && !IsOrganizationLike(kinds[node])) continue;
      add(node, control.controller[node], EdgeLabel::kController, Tag(ControllerTag::kDerived),
          0.0f);
      ++result.derived_controllers;
    }
  } else {
    absl::flat_hash_map<NodeId, bool> seen;
    for (const auto& [node, controller] : declared) seen.try_emplace(node, true);
    result.declared_controllers = seen.size();
  }

  if (options.suspected && !contacts.empty()) {
    absl::flat_hash_map<std::pair<ContactKind, std::string>, std::vector<NodeId>> sharing;
    for (const ContactKey& contact : contacts) {
      if (contact.entity >= n || contact.key.empty()) continue;
      sharing[{contact.kind, contact.key}].push_back(contact.entity);
    }
    // Visit contacts in key order so that the edge kept among duplicates is deterministic.
    std::vector<std::pair<std::pair<ContactKind, std::string>, std::vector<NodeId>>> ordered(
        std::make_move_iterator(sharing.begin()), std::make_move_iterator(sharing.end()));
    std::sort(ordered.begin(), ordered.end());
    for (auto& [key, members] : ordered) {
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      if (members.size() < 2 || members.size() > options.max_suspected_group) continue;
      for (std::size_t i = 0; i < members.size(); ++i) {
        for (std::size_t j = i + 1; j < members.size(); ++j) {
          add(members[i], members[j], EdgeLabel::kSuspected, Tag(key.first), 0.0f);
        }
      }
    }
  }
  result.graph = builder.Build();
  for (Label label : result.graph.labels()) {
    if (label == Label(EdgeLabel::kSuspected)) ++result.suspected_edges;
  }
  return result;
}

std::vector<Component> Groups(const CsrGraph& graph, LabelMask labels, std::size_t min_size) {
  return GroupComponents(ConnectedComponents(graph, labels), min_size);
}

}  // namespace cg::core::related
