// Constraint-aware union-find (see union_find.h).
#include "core/resolve/union_find.h"

#include <tbb/enumerable_thread_specific.h>
#include <xxhash.h>

#include <absl/container/inlined_vector.h>
#include <numeric>
#include <tuple>
#include <utility>

#include "core/resolve/bucket_sort.h"

namespace cg::core::resolve {
namespace {

std::uint8_t BranchBits(const MentionTable& table, MentionId m) {
  if (table.kind_class[m] != KindClass::kOrganization || table.core[m].empty()) return 0;
  return table.branch[m] ? 1 : 2;
}

}  // namespace

std::array<const StringColumn*, kCodeColumns> CodeColumns(const MentionTable& table) {
  return {&table.uscc, &table.id_no, &table.org_code, &table.reg_no};
}

CodeGroups GroupCodes(const MentionTable& table, const StringColumn& column) {
  struct Item {
    std::uint64_t hash, fingerprint;
    MentionId mention;
  };
  tbb::enumerable_thread_specific<std::vector<Item>> local_items;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.size(), 16384),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      auto& mine = local_items.local();
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        const auto m = static_cast<MentionId>(index);
                        const std::string_view code = column[m];
                        if (!code.empty()) mine.push_back({XXH3_64bits(code.data(), code.size()), table.Fingerprint(m), m});
                      }
                    });
  std::vector<Item> items;
  for (auto& part : local_items) {
    items.insert(items.end(), part.begin(), part.end());
    std::vector<Item>().swap(part);
  }
  BucketSort(items, [](const Item& item) { return item.hash; }, [](const Item& x, const Item& y) {
    return std::tie(x.hash, x.fingerprint, x.mention) < std::tie(y.hash, y.fingerprint, y.mention);
  });
  CodeGroups groups;
  const std::size_t n = items.size();
  groups.members.resize(n);
  groups.hash.resize(n);
  groups.first.resize(n);
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    groups.members[i] = items[i].mention;
    groups.hash[i] = items[i].hash;
  });
  std::vector<Item>().swap(items);
  groups.ForEachHashRun([&](std::size_t begin, std::size_t end) {
    // Nearly always one code per hash; the first member of each distinct code heads it.
    absl::InlinedVector<std::uint32_t, 2> heads;
    for (std::size_t j = begin; j < end; ++j) {
      const std::string_view code = column[groups.members[j]];
      std::uint32_t first = static_cast<std::uint32_t>(j);
      for (const std::uint32_t head : heads) {
        if (column[groups.members[head]] == code) {
          first = head;
          break;
        }
      }
      if (first == j) heads.push_back(first);
      groups.first[j] = first;
    }
  });
  return groups;
}

ConstrainedUnionFind::ConstrainedUnionFind(const MentionTable& table)
    : ConstrainedUnionFind(table, [&] {
        std::array<CodeGroups, kCodeColumns> groups;
        const auto columns = CodeColumns(table);
        for (int c = 0; c < kCodeColumns; ++c) groups[c] = GroupCodes(table, *columns[c]);
        return groups;
      }()) {}

ConstrainedUnionFind::ConstrainedUnionFind(const MentionTable& table,
                                           const std::array<CodeGroups, kCodeColumns>& groups)
    : table_(table), parent_(table.size()), size_(table.size(), 1), codes_(table.size()) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.size(), 16384),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t m = range.begin(); m < range.end(); ++m) {
                        parent_[m] = static_cast<MentionId>(m);
                        codes_[m].branch_bits = BranchBits(table, static_cast<MentionId>(m));
                      }
                    });
  std::uint32_t Codes::*fields[kCodeColumns] = {&Codes::uscc, &Codes::id_no, &Codes::org_code, &Codes::reg_no};
  for (int c = 0; c < kCodeColumns; ++c) {
    const CodeGroups& group = groups[c];
    std::uint32_t Codes::*field = fields[c];
    tbb::parallel_for(std::size_t{0}, group.members.size(),
                      [&](std::size_t i) { codes_[group.members[i]].*field = group.first[i]; });
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
  auto differ = [](std::uint32_t p, std::uint32_t q) { return p != kNone && q != kNone && p != q; };
  if (differ(x.uscc, y.uscc) || differ(x.id_no, y.id_no) || differ(x.org_code, y.org_code) ||
      differ(x.reg_no, y.reg_no)) {
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
