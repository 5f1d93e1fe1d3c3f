// Constraint-aware union-find over mentions: a union that would put two different strong codes
// of the same type (USCC, ID number, organization code, registration number) into one cluster
// is refused, and so is a probabilistic union of a cluster named only as a branch with one
// named only as a non-branch, or of two clusters whose persons' birth dates clearly differ
// (a cannot-link constraint: BirthsClearlyDiffer). Path halving and union by size (Tarjan &
// van Leeuwen 1984).
// Unions are applied serially in a canonical link order (keys first, then by weight), which
// makes the partition independent of input order even when constraints refuse some links.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/date.h"  // BirthsClearlyDiffer reads calendar dates; its callers print them
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

/// True when two known birth dates are clearly two people's, not one date written with a slip:
/// false when either is unknown (kNoDate, or outside the years 0..9999), when they are equal,
/// or when their YYYYMMDD digits differ by one keystroke — one digit replaced (1988-03-15 /
/// 1988-03-16, 1988 / 1998), two adjacent digits swapped (1988-12-03 / 1988-12-30, 1988 /
/// 1898) — or when month and day are swapped (1988-03-05 / 1988-05-03). Everything else
/// clearly differs (1988-03-15 / 1990-01-01, 1988-03-15 / 1988-03-28). Symmetric.
bool BirthsClearlyDiffer(Date a, Date b);

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
  /// Unites the clusters of a and b unless their codes conflict. `probabilistic` (a link by
  /// comparison, not by a shared code) adds the branch/non-branch constraint and the birth
  /// cannot-link: refused when a person mention of one cluster and a person mention of the
  /// other carry births that BirthsClearlyDiffer. A key union never checks births (an ID number
  /// settles identity), so a cluster may hold several births; all of them are kept (the first
  /// inline, the others in a side table) and checked.
  UnionResult Unite(MentionId a, MentionId b, bool probabilistic);
  /// True when the cluster of m carries a strong code (USCC, ID number, org code, reg. no.).
  bool Keyed(MentionId m) {
    const Codes& codes = codes_[Find(m)];
    return codes.uscc != kNone || codes.id_no != kNone || codes.org_code != kNone ||
           codes.reg_no != kNone;
  }
  /// True when the clusters of a and b could be united (no conflicting codes).
  bool Compatible(MentionId a, MentionId b, bool probabilistic);
  /// True when the cluster of `root` carries a person's birth (no writes, see Root()).
  bool RootHasBirth(MentionId root) const { return codes_[root].birth != 0; }
  /// True when a birth of one root's cluster and one of the other's BirthsClearlyDiffer (no
  /// writes, see Root()): what a probabilistic union of the two would be refused for.
  bool RootBirthsConflict(MentionId root_x, MentionId root_y) const { return BirthsConflict(root_x, root_y); }
  /// Probabilistic unions refused by the birth constraint alone (codes and branches agreed).
  std::uint64_t birth_refusals() const { return birth_refusals_; }

 private:
  // Per code type, the cluster's code as its CodeGroups id (`first`): equal ids, equal codes.
  struct Codes {
    std::uint32_t uscc = kNone, id_no = kNone, org_code = kNone, reg_no = kNone;
    // Packed in four bytes (the array has one Codes per mention): the first known birth of a
    // person mention in the cluster (BirthCode: 0 = none), the branch bits (1: a mention named
    // as a branch, 2: named as non-branch), and whether more_births_[root] holds other births.
    std::uint32_t birth : 24 = 0;
    std::uint32_t branch_bits : 2 = 0;
    std::uint32_t more_births : 1 = 0;
  };
  static_assert(sizeof(Codes) == 20);
  // Dates of years 0..9999 (all a date parser or an ID number gives) fit 24 bits from this
  // base; any other value is no birth (code 0), as BirthsClearlyDiffer treats it.
  static constexpr Date kBirthBase = -800000;
  static std::uint32_t BirthCode(Date birth) {
    const std::int64_t offset = std::int64_t{birth} - kBirthBase;
    if (birth == kNoDate || offset < 0 || offset >= (1 << 24) - 1) return 0;
    return static_cast<std::uint32_t>(offset) + 1;
  }
  static Date BirthOfCode(std::uint32_t code) { return kBirthBase + static_cast<Date>(code) - 1; }
  bool CodesConflict(const Codes& x, const Codes& y, bool probabilistic) const;
  bool BirthsConflict(MentionId root_x, MentionId root_y) const;
  // Calls fn(birth) for each distinct known birth of the cluster of `root`.
  template <typename Fn>
  void ForEachBirth(MentionId root, Fn&& fn) const;

  const MentionTable& table_;
  // Read at random by every Find: on huge pages (core/huge_pages.h).
  HugeVector<MentionId> parent_;
  HugeVector<std::uint32_t> size_;
  HugeVector<Codes> codes_;  // valid at roots
  // Per root whose cluster carries more than one distinct birth (only through key unions or
  // births one keystroke apart): the births beyond Codes::birth, distinct, as BirthCodes.
  absl::flat_hash_map<MentionId, std::vector<std::uint32_t>> more_births_;
  std::mutex more_births_mutex_;  // Unite writes more_births_ from parallel key unions
  std::uint64_t birth_refusals_ = 0;
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
/// pair of members; same semantics as ConstrainedUnionFind. For tests.
class ReferenceConstrainedClusters {
 public:
  explicit ReferenceConstrainedClusters(const MentionTable& table);
  UnionResult Unite(MentionId a, MentionId b, bool probabilistic);
  const std::vector<MentionId>& labels() const { return label_; }

 private:
  const MentionTable& table_;
  std::vector<MentionId> label_;
};

}  // namespace cg::core::resolve
