// Constraint-aware union-find (see union_find.h).
#include "core/resolve/union_find.h"

#include <numeric>
#include <utility>

namespace cg::core::resolve {
namespace {

std::uint8_t BranchBits(const MentionTable& table, MentionId m) {
  if (table.kind_class[m] != KindClass::kOrganization || table.core[m].empty()) return 0;
  return table.branch[m] ? 1 : 2;
}

}  // namespace

ConstrainedUnionFind::ConstrainedUnionFind(const MentionTable& table)
    : table_(table), parent_(table.size()), size_(table.size(), 1), codes_(table.size()) {
  std::iota(parent_.begin(), parent_.end(), MentionId{0});
  for (MentionId m = 0; m < table.size(); ++m) {
    Codes& codes = codes_[m];
    if (!table.uscc[m].empty()) codes.uscc = m;
    if (!table.id_no[m].empty()) codes.id_no = m;
    if (!table.org_code[m].empty()) codes.org_code = m;
    if (!table.reg_no[m].empty()) codes.reg_no = m;
    codes.branch_bits = BranchBits(table, m);
  }
}

MentionId ConstrainedUnionFind::Find(MentionId m) {
  while (parent_[m] != m) {
    parent_[m] = parent_[parent_[m]];
    m = parent_[m];
  }
  return m;
}

bool ConstrainedUnionFind::Conflict(const Codes& x, const Codes& y, bool check_branch) const {
  auto differ = [](MentionId p, MentionId q, const StringColumn& column) {
    return p != kNone && q != kNone && column[p] != column[q];
  };
  if (differ(x.uscc, y.uscc, table_.uscc) || differ(x.id_no, y.id_no, table_.id_no) ||
      differ(x.org_code, y.org_code, table_.org_code) ||
      differ(x.reg_no, y.reg_no, table_.reg_no)) {
    return true;
  }
  if (check_branch) {
    // Refuse only when each side is unmixed and they disagree.
    if ((x.branch_bits == 1 && y.branch_bits == 2) || (x.branch_bits == 2 && y.branch_bits == 1)) {
      return true;
    }
  }
  return false;
}

bool ConstrainedUnionFind::Compatible(MentionId a, MentionId b, bool check_branch) {
  MentionId ra = Find(a), rb = Find(b);
  return ra == rb || !Conflict(codes_[ra], codes_[rb], check_branch);
}

UnionResult ConstrainedUnionFind::Unite(MentionId a, MentionId b, bool check_branch) {
  MentionId ra = Find(a), rb = Find(b);
  if (ra == rb) return UnionResult::kSame;
  if (Conflict(codes_[ra], codes_[rb], check_branch)) return UnionResult::kRefused;
  if (size_[ra] < size_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  size_[ra] += size_[rb];
  Codes& into = codes_[ra];
  const Codes& from = codes_[rb];
  if (into.uscc == kNone) into.uscc = from.uscc;
  if (into.id_no == kNone) into.id_no = from.id_no;
  if (into.org_code == kNone) into.org_code = from.org_code;
  if (into.reg_no == kNone) into.reg_no = from.reg_no;
  into.branch_bits |= from.branch_bits;
  return UnionResult::kUnited;
}

ReferenceConstrainedClusters::ReferenceConstrainedClusters(const MentionTable& table)
    : table_(table), label_(table.size()) {
  std::iota(label_.begin(), label_.end(), MentionId{0});
}

UnionResult ReferenceConstrainedClusters::Unite(MentionId a, MentionId b, bool check_branch) {
  const MentionId la = label_[a], lb = label_[b];
  if (la == lb) return UnionResult::kSame;
  std::uint8_t bits_a = 0, bits_b = 0;
  for (MentionId x = 0; x < table_.size(); ++x) {
    if (label_[x] != la) continue;
    if (table_.kind_class[x] == KindClass::kOrganization && !table_.core[x].empty()) {
      bits_a |= table_.branch[x] ? 1 : 2;
    }
    for (MentionId y = 0; y < table_.size(); ++y) {
      if (label_[y] != lb) continue;
      for (const StringColumn* column :
           {&table_.uscc, &table_.id_no, &table_.org_code, &table_.reg_no}) {
        if (!(*column)[x].empty() && !(*column)[y].empty() && (*column)[x] != (*column)[y]) {
          return UnionResult::kRefused;
        }
      }
    }
  }
  for (MentionId y = 0; y < table_.size(); ++y) {
    if (label_[y] == lb && table_.kind_class[y] == KindClass::kOrganization &&
        !table_.core[y].empty()) {
      bits_b |= table_.branch[y] ? 1 : 2;
    }
  }
  if (check_branch && ((bits_a == 1 && bits_b == 2) || (bits_a == 2 && bits_b == 1))) {
    return UnionResult::kRefused;
  }
  for (auto& label : label_) {
    if (label == lb) label = la;
  }
  return UnionResult::kUnited;
}

}  // namespace cg::core::resolve
