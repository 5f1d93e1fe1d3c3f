// The synthetic province's population: market entities (enterprises with their branches,
// individual businesses, organizations) and natural persons. Attributes are pure functions of
// (seed, index), recomputed on demand; only the structure that needs a global view is stored,
// compactly (struct of arrays): ownership parents, risk levels and the few ownership cycles.
// Codes are unique by construction (bijections of the index), IDs consistent with region, birth
// date and sex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/record.h"
#include "graph/types.h"

namespace cg::datasets {

/// How many of each, for a scale factor (SF=1 is Shandong).
struct PopulationCounts {
  std::uint32_t enterprises = 0;  // incl. branches, indices [0, enterprises)
  std::uint32_t individual = 0;   // indices [enterprises, enterprises + individual)
  std::uint32_t organizations = 0;
  std::uint32_t persons = 0;
  std::uint32_t heads = 0;  // holding-group heads: enterprises [0, heads)
  std::uint32_t market() const { return enterprises + individual + organizations; }
  static PopulationCounts ForScale(double scale);
};

/// One market entity's attributes (canonical, as the registry knows them).
struct MarketEntity {
  std::uint32_t index = 0;
  core::EntityKind kind = core::EntityKind::kEnterprise;
  bool branch = false;
  std::string region;     // 6-digit county (or prefecture) code of the registering authority
  int prefecture = 0;     // index into tables::Prefectures()
  std::string prefix;     // region prefix of the name (济南, 山东, 历城区…), may be empty
  std::string name;       // full canonical name (prefix included)
  std::string uscc;
  std::string org_code;   // 9 chars, no hyphen
  std::string reg_no;     // 15 digits for entities founded before 2015, else empty
  Date est_date = kNoDate;
  std::string industry;   // GB/T 4754 code
  bool polluting = false;
  std::string address;
  std::string phone;
  double capital = 0;     // 10k CNY
  core::RegStatus status = core::RegStatus::kActive;
  std::uint32_t legal_rep = 0;  // person index
};

struct Person {
  std::uint32_t index = 0;
  std::string name;
  std::string id_no;   // 18 characters
  std::string id15;    // the old 15-digit form, empty if born in 2000 or later
  std::string region;  // county code of the ID number
  Date birth = kNoDate;
  bool male = true;
};

class Population {
 public:
  Population(std::uint64_t seed, double scale, Date as_of);

  const PopulationCounts& counts() const { return counts_; }
  std::uint64_t seed() const { return seed_; }
  Date as_of() const { return as_of_; }

  core::EntityKind KindOf(std::uint32_t market) const;
  MarketEntity Market(std::uint32_t market) const;
  Person PersonAt(std::uint32_t person) const;

  // ---- structure (enterprises) ----
  bool IsBranch(std::uint32_t market) const;
  /// The parent of a branch (a non-branch enterprise), or -1.
  std::int64_t BranchParent(std::uint32_t market) const;
  /// The enterprise holding a stake in this one (ownership parent), or -1; its ratio.
  std::int64_t OwnerParent(std::uint32_t market) const {
    return market < parent_.size() ? parent_[market] : -1;
  }
  double OwnerRatio(std::uint32_t market) const;
  /// The head of the holding group an enterprise belongs to (itself for a head), or -1.
  std::int64_t GroupHead(std::uint32_t market) const;
  /// The natural person who controls a group head.
  std::uint32_t HeadController(std::uint32_t head) const;
  /// For a few heads, an enterprise they control that also holds a stake in them (a cycle);
  /// -1 otherwise. Majority cycles when `majority` is set.
  std::int64_t CycleHolder(std::uint32_t head, bool* majority) const;
  /// One branch of a non-branch enterprise, or -1 if it has none.
  std::int64_t AnyBranchOf(std::uint32_t market) const;
  /// 0 normal, 1 risky, 2 very risky (violations concentrate here).
  int Risk(std::uint32_t market) const { return risk_[market]; }
  /// A person drawn from the pool of people who run several companies (heavy tail).
  std::uint32_t SerialPerson(std::uint64_t draw) const;
  std::uint32_t AnyPerson(std::uint64_t draw) const { return std::uint32_t(draw % counts_.persons); }

  /// Truth entity ids: E/I/O + market index, P + person index.
  static std::string MarketEntityId(core::EntityKind kind, std::uint32_t market);
  static std::string PersonEntityId(std::uint32_t person);

  /// The earliest date of any event (list entry, penalty…): 2010-01-01.
  Date MinDate() const { return min_date_; }

 private:
  bool IsSubsidiaryRaw(std::uint32_t market) const;
  std::int64_t ComputeParent(std::uint32_t market) const;
  std::string CountyOf(std::uint64_t draw, int* prefecture) const;

  std::uint64_t seed_;
  Date as_of_;
  Date min_date_;
  PopulationCounts counts_;
  std::vector<std::int32_t> parent_;  // ownership parent per enterprise, -1 if none
  std::vector<std::uint8_t> risk_;    // per market entity
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cycles_;  // (head, holder)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> branches_;  // (parent, branch), sorted
  // persons: county ranges of the permuted person index
  std::vector<std::uint32_t> person_county_start_;
  std::vector<std::string> person_county_code_;
  std::vector<double> county_cumulative_;  // market-entity county weights, cumulative
  std::vector<std::string> county_code_;
  std::vector<int> county_prefecture_;
};

}  // namespace cg::datasets
