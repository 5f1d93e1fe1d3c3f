// Constraint-aware union-find over mentions: a union that would put two different strong codes
// of the same type (USCC, ID number, organization code, registration number) into one cluster
// is refused, and so is a probabilistic union of a cluster named only as a branch with one
// named only as a non-branch. Path halving and union by size (Tarjan & van Leeuwen 1984).
// Unions are applied serially in a canonical link order (keys first, then by weight), which
// makes the partition independent of input order even when constraints refuse some links.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/huge_pages.h"
#include "core/resolve/mentions.h"

namespace cg::core::resolve {

enum class UnionResult : std::uint8_t { kUnited, kSame, kRefused };

/// The mentions that carry a code in one code column, grouped by code: `members` in the order
/// of (hash of the code, fingerprint, mention) — so the members of one code follow each other,
/// smallest fingerprint first, unless two codes share a 64-bit hash — and per position the
/// position of the first member with the same code (equal codes, equal `first`). Built in
/// parallel; the codes themselves are compared only between members of one hash.
struct CodeGroups {
  std::vector<MentionId> members;
  std::vector<std::uint32_t> first;
  /// Calls fn(begin, end) for each range of positions with one code hash, ranges in parallel:
  /// the ranges are disjoint in members and together hold every code of the column.
  template <typename Fn>
  void ForEachHashRun(Fn&& fn) const;
  std::vector<std::uint64_t> hash;  // per position
};
CodeGroups GroupCodes(const MentionTable& table, const StringColumn& column);

/// The strong code columns, in the order the key links unite them: USCC, ID number,
/// organization code, registration number.
inline constexpr int kCodeColumns = 4;
std::array<const StringColumn*, kCodeColumns> CodeColumns(const MentionTable& table);

class ConstrainedUnionFind {
 public:
  static constexpr MentionId kNone = 0xFFFFFFFFu;
  explicit ConstrainedUnionFind(const MentionTable& table);
  /// With the code groups of CodeColumns(table), in that order (as GroupCodes makes them).
  ConstrainedUnionFind(const MentionTable& table, const std::array<CodeGroups, kCodeColumns>& groups);

  MentionId Find(MentionId m);
  /// Find without path halving: no writes, so threads may call it together while no Unite runs.
  MentionId Root(MentionId m) const {
    while (parent_[m] != m) m = parent_[m];
    return m;
  }
  /// Keyed() of a root, without writes (see Root()).
  bool RootKeyed(MentionId root) const {
    const Codes& codes = codes_[root];
    return codes.uscc != kNone || codes.id_no != kNone || codes.org_code != kNone || codes.reg_no != kNone;
  }
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
  // Per code type, the cluster's code as its CodeGroups id (`first`): equal ids, equal codes.
  struct Codes {
    std::uint32_t uscc = kNone, id_no = kNone, org_code = kNone, reg_no = kNone;
    std::uint8_t branch_bits = 0;  // 1: a mention named as a branch, 2: named as non-branch
  };
  bool Conflict(const Codes& x, const Codes& y, bool check_branch) const;

  const MentionTable& table_;
  // Read at random by every Find: on huge pages (core/huge_pages.h).
  HugeVector<MentionId> parent_;
  HugeVector<std::uint32_t> size_;
  HugeVector<Codes> codes_;  // valid at roots
};

template <typename Fn>
void CodeGroups::ForEachHashRun(Fn&& fn) const {
  const std::size_t n = members.size();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    // The runs that start in this range (a run may end beyond it).
    std::size_t i = range.begin();
    while (i < range.end() && i > 0 && hash[i] == hash[i - 1]) ++i;
    while (i < range.end()) {
      std::size_t j = i + 1;
      while (j < n && hash[j] == hash[i]) ++j;
      fn(i, j);
      i = j;
    }
  });
}

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
