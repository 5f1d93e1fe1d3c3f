// Constraint-aware union-find over mentions: a union that would put two different strong codes
// of the same type (USCC, ID number, organization code, registration number) into one cluster
// is refused, and so is a probabilistic union of a cluster named only as a branch with one
// named only as a non-branch. Path halving and union by size (Tarjan & van Leeuwen 1984).
// Unions are applied serially in a canonical link order (keys first, then by weight), which
// makes the partition independent of input order even when constraints refuse some links.
#pragma once

#include <cstdint>
#include <vector>

#include "core/resolve/mentions.h"

namespace cg::core::resolve {

enum class UnionResult : std::uint8_t { kUnited, kSame, kRefused };

class ConstrainedUnionFind {
 public:
  static constexpr MentionId kNone = 0xFFFFFFFFu;
  explicit ConstrainedUnionFind(const MentionTable& table);

  MentionId Find(MentionId m);
  /// Unites the clusters of a and b unless their codes conflict; `check_branch` adds the
  /// branch/non-branch constraint (for probabilistic links).
  UnionResult Unite(MentionId a, MentionId b, bool check_branch);
  /// True when the cluster of m carries a strong code (USCC, ID number, org code, reg. no.).
  bool Keyed(MentionId m) {
    const Codes& codes = codes_[Find(m)];
    return codes.uscc != kNone || codes.id_no != kNone || codes.org_code != kNone ||
           codes.reg_no != kNone;
  }
  /// True when the clusters of a and b could be united (no conflicting codes).
  bool Compatible(MentionId a, MentionId b, bool check_branch);

 private:
  struct Codes {
    MentionId uscc = kNone, id_no = kNone, org_code = kNone, reg_no = kNone;
    std::uint8_t branch_bits = 0;  // 1: a mention named as a branch, 2: named as non-branch
  };
  bool Conflict(const Codes& x, const Codes& y, bool check_branch) const;

  const MentionTable& table_;
  std::vector<MentionId> parent_;
  std::vector<std::uint32_t> size_;
  std::vector<Codes> codes_;  // valid at roots
};

/// The slow obvious reference: cluster labels in an array, conflicts checked by scanning every
/// member; same semantics as ConstrainedUnionFind. For tests.
class ReferenceConstrainedClusters {
 public:
  explicit ReferenceConstrainedClusters(const MentionTable& table);
  UnionResult Unite(MentionId a, MentionId b, bool check_branch);
  const std::vector<MentionId>& labels() const { return label_; }

 private:
  const MentionTable& table_;
  std::vector<MentionId> label_;
};

}  // namespace cg::core::resolve
