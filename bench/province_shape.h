// The synthetic province both bench/graph_bench.cc and bench/measures_bench.cc use for the SF=1
// shape (`CG_BENCH_SHAPE=province`): n entities with the mix measured on /work/data/sf0.01
// (truth entities and the distinct relations of its AMR and CBIRC sources, docs/graph.md):
//   entities: 58.65 % persons, 27.86 % individual businesses, 13.20 % enterprises,
//             0.29 % organizations;
//   every enterprise, organization and individual business has one legal representative
//   (a person); enterprises have 2-5 officers (mean 3.5; roles chair, director, manager,
//   supervisor 23.5 % each, principal 4 %, controller 2 %: a declared controller), organizations
//   one; 90 % of enterprises have 1-4 shareholders (mean 2.2; 90 % persons, 8 % enterprises, 2 %
//   organizations) whose ratios split 70-100 % of the shares; 10 % are branches of another
//   enterprise; 7 % guarantee another enterprise's debt.
// People and parent companies are picked heavy-tailed (index = count * u^1.5: a few agents
// and holding groups sit on many boards, as the SF=0.01 in-degrees show: median 1, max 69-255).
// Entity ids are a random permutation (no locality to flatter the kernels).
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/labels.h"
#include "core/record.h"
#include "core/related/related_graph.h"

namespace cg::bench {

struct ProvinceShape {
  std::vector<core::EntityKind> kinds;        // per entity id
  std::vector<core::related::StatedEdge> edges;
  std::vector<NodeId> id;                     // rank -> entity id (a random permutation)
  // Rank ranges: enterprises [0, org0), organizations [org0, biz0), individual businesses
  // [biz0, person0), persons [person0, n).
  NodeId enterprises = 0, organizations = 0, businesses = 0, persons = 0;
  NodeId org0 = 0, biz0 = 0, person0 = 0;
};

/// Draws the province from `rng` (which callers may go on using, e.g. for triggers).
inline ProvinceShape MakeProvinceShape(NodeId n, std::mt19937_64& rng) {
  using core::EdgeLabel;
  using core::EntityKind;
  using core::OfficerRole;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  ProvinceShape shape;
  shape.enterprises = NodeId(n * 0.1320);
  shape.organizations = NodeId(n * 0.0029);
  shape.businesses = NodeId(n * 0.2786);
  shape.persons = n - shape.enterprises - shape.organizations - shape.businesses;
  auto& id = shape.id;
  id.resize(n);
  for (NodeId i = 0; i < n; ++i) id[i] = i;
  std::shuffle(id.begin(), id.end(), rng);
  const NodeId enterprises = shape.enterprises, organizations = shape.organizations,
               persons = shape.persons;
  const NodeId org0 = shape.org0 = enterprises;
  const NodeId biz0 = shape.biz0 = org0 + organizations;
  const NodeId person0 = shape.person0 = biz0 + shape.businesses;
  auto heavy = [&](NodeId first, NodeId count) {
    const NodeId pick = NodeId(double(count) * std::pow(unit(rng), 1.5));
    return id[first + std::min(pick, count - 1)];
  };
  auto person = [&] { return heavy(person0, persons); };
  shape.kinds.resize(n);
  for (NodeId r = 0; r < n; ++r) {
    shape.kinds[id[r]] = r < org0      ? EntityKind::kEnterprise
                         : r < biz0    ? EntityKind::kOrganization
                         : r < person0 ? EntityKind::kIndividualBusiness
                                       : EntityKind::kPerson;
  }
  auto& edges = shape.edges;
  edges.reserve(std::size_t(double(n) * 1.25));
  auto role = [&] {
    const double u = unit(rng);
    return u < 0.235 ? OfficerRole::kChair
           : u < 0.47 ? OfficerRole::kDirector
           : u < 0.705 ? OfficerRole::kManager
           : u < 0.94 ? OfficerRole::kSupervisor
           : u < 0.98 ? OfficerRole::kPrincipal
                      : OfficerRole::kController;
  };
  for (NodeId r = 0; r < person0; ++r) {
    const NodeId self = id[r];
    edges.push_back({self, person(), EdgeLabel::kLegalRep, 0, 0.0f});
    if (r >= biz0) continue;  // individual businesses: the operator only
    if (r >= org0) {          // organizations: one officer
      edges.push_back({self, person(), EdgeLabel::kOfficer, Tag(role()), 0.0f});
      continue;
    }
    for (int k = 2 + int(rng() % 4); k > 0; --k) {
      edges.push_back({self, person(), EdgeLabel::kOfficer, Tag(role()), 0.0f});
    }
    if (unit(rng) < 0.9) {
      const int holders = 1 + int(rng() % 3) + (unit(rng) < 0.2 ? 1 : 0);
      std::vector<double> weight(holders);
      double total = 0;
      for (double& w : weight) total += (w = unit(rng) + 0.05);
      const double held = unit(rng) < 0.7 ? 1.0 : 0.7 + 0.3 * unit(rng);
      for (double w : weight) {
        const double u = unit(rng);
        const NodeId holder = u < 0.90 ? person()
                              : u < 0.98 ? heavy(0, enterprises)
                                         : heavy(org0, organizations);
        const float ratio = float(std::max(0.01, std::round(100 * held * w / total) / 100));
        edges.push_back({self, holder, EdgeLabel::kShareholder, 0, std::min(ratio, 1.0f)});
      }
    }
    if (unit(rng) < 0.10) edges.push_back({self, heavy(0, enterprises), EdgeLabel::kBranch, 0, 0.0f});
    if (unit(rng) < 0.07) {
      edges.push_back({self, heavy(0, enterprises), EdgeLabel::kGuarantee, 0,
                       float(100 + rng() % 5000)});  // 10k CNY
    }
  }
  return shape;
}

}  // namespace cg::bench
