// Constraint-aware union-find (see union_find.h).
#include "core/resolve/union_find.h"

#include <tbb/enumerable_thread_specific.h>
#include <xxhash.h>

#include <absl/container/inlined_vector.h>
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <numeric>
#include <tuple>
#include <utility>

#include "core/date.h"
#include "core/resolve/bucket_sort.h"

namespace cg::core::resolve {
namespace {

std::uint8_t BranchBits(const MentionTable& table, MentionId m) {
  if (table.kind_class[m] != KindClass::kOrganization || table.core[m].empty()) return 0;
  return table.branch[m] ? 1 : 2;
}

// The birth the cannot-link constraint reads: persons' only (organizations are not compared by
// birth), kNoDate when unknown.
Date BirthOf(const MentionTable& table, MentionId m) {
  return table.kind_class[m] == KindClass::kPerson ? table.birth[m] : kNoDate;
}

// YYYYMMDD as eight digits; false outside the years 0..9999 (kForever, absurd values): not a
// birth date, so it constrains nothing (as ConstrainedUnionFind::BirthCode treats it).
bool Digits(Date date, char (&out)[9]) {
  static const Date first = *MakeDate(0, 1, 1), last = *MakeDate(9999, 12, 31);
  if (date < first || date > last) return false;
  const Ymd ymd = ToYmd(date);
  std::snprintf(out, sizeof(out), "%04d%02u%02u", ymd.year, ymd.month, ymd.day);
  return true;
}

}  // namespace

bool BirthsClearlyDiffer(Date a, Date b) {
  if (a == kNoDate || b == kNoDate || a == b) return false;
  char x[9], y[9];
  if (!Digits(a, x) || !Digits(b, y)) return false;
  int differ[8];
  int count = 0;
  for (int i = 0; i < 8; ++i) {
    if (x[i] != y[i]) differ[count++] = i;
  }
  if (count == 1) return false;  // one digit replaced
  if (count == 2 && differ[1] == differ[0] + 1 && x[differ[0]] == y[differ[1]] && x[differ[1]] == y[differ[0]]) {
    return false;  // two adjacent digits swapped
  }
  const Ymd p = ToYmd(a), q = ToYmd(b);
  if (p.year == q.year && p.month == q.day && p.day == q.month) return false;  // month and day swapped
  return true;
}

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
  AppendParts(local_items, &items);
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
                        codes_[m].birth = BirthCode(BirthOf(table, static_cast<MentionId>(m)));
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

bool ConstrainedUnionFind::CodesConflict(const Codes& x, const Codes& y, bool probabilistic) const {
  auto differ = [](std::uint32_t p, std::uint32_t q) { return p != kNone && q != kNone && p != q; };
  if (differ(x.uscc, y.uscc) || differ(x.id_no, y.id_no) || differ(x.org_code, y.org_code) ||
      differ(x.reg_no, y.reg_no)) {
    return true;
  }
  if (probabilistic) {
    // Refuse only when each side is unmixed and they disagree.
    if ((x.branch_bits == 1 && y.branch_bits == 2) || (x.branch_bits == 2 && y.branch_bits == 1)) {
      return true;
    }
  }
  return false;
}

template <typename Fn>
void ConstrainedUnionFind::ForEachBirth(MentionId root, Fn&& fn) const {
  const Codes& codes = codes_[root];
  if (codes.birth == 0) return;
  fn(static_cast<std::uint32_t>(codes.birth));
  if (codes.more_births) {
    for (const std::uint32_t birth : more_births_.at(root)) fn(birth);
  }
}

bool ConstrainedUnionFind::BirthsConflict(MentionId root_x, MentionId root_y) const {
  if (codes_[root_x].birth == 0 || codes_[root_y].birth == 0) return false;
  bool clash = false;
  ForEachBirth(root_x, [&](std::uint32_t p) {
    ForEachBirth(root_y, [&](std::uint32_t q) {
      clash = clash || BirthsClearlyDiffer(BirthOfCode(p), BirthOfCode(q));
    });
  });
  return clash;
}

bool ConstrainedUnionFind::Compatible(MentionId a, MentionId b, bool probabilistic) {
  MentionId ra = Find(a), rb = Find(b);
  return ra == rb ||
         !(CodesConflict(codes_[ra], codes_[rb], probabilistic) || (probabilistic && BirthsConflict(ra, rb)));
}

UnionResult ConstrainedUnionFind::Unite(MentionId a, MentionId b, bool probabilistic) {
  MentionId ra = Find(a), rb = Find(b);
  if (ra == rb) return UnionResult::kSame;
  if (CodesConflict(codes_[ra], codes_[rb], probabilistic)) return UnionResult::kRefused;
  if (probabilistic && BirthsConflict(ra, rb)) {
    ++birth_refusals_;
    return UnionResult::kRefused;
  }
  if (size_[ra] < size_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  size_[ra] += size_[rb];
  Codes& into = codes_[ra];
  Codes& from = codes_[rb];
  if (into.uscc == kNone) into.uscc = from.uscc;
  if (into.id_no == kNone) into.id_no = from.id_no;
  if (into.org_code == kNone) into.org_code = from.org_code;
  if (into.reg_no == kNone) into.reg_no = from.reg_no;
  into.branch_bits |= from.branch_bits;
  // The union of the two birth sets; nearly always one side has none or both the same one.
  if (from.birth != 0) {
    if (!from.more_births && (into.birth == 0 || into.birth == from.birth)) {
      into.birth = from.birth;
    } else {
      // The side table is shared: the USCC key unions run in parallel (on disjoint clusters).
      std::lock_guard<std::mutex> lock(more_births_mutex_);
      absl::InlinedVector<std::uint32_t, 4> incoming;
      ForEachBirth(rb, [&](std::uint32_t birth) { incoming.push_back(birth); });
      if (from.more_births) more_births_.erase(rb);
      from.more_births = 0;
      for (const std::uint32_t birth : incoming) {
        if (into.birth == 0) {
          into.birth = birth;
        } else if (birth != into.birth) {
          std::vector<std::uint32_t>& more = more_births_[ra];
          if (std::find(more.begin(), more.end(), birth) == more.end()) more.push_back(birth);
          into.more_births = 1;
        }
      }
    }
  }
  return UnionResult::kUnited;
}

ReferenceConstrainedClusters::ReferenceConstrainedClusters(const MentionTable& table)
    : table_(table), label_(table.size()) {
  std::iota(label_.begin(), label_.end(), MentionId{0});
}

UnionResult ReferenceConstrainedClusters::Unite(MentionId a, MentionId b, bool probabilistic) {
  const MentionId la = label_[a], lb = label_[b];
  if (la == lb) return UnionResult::kSame;
  std::uint8_t bits_a = 0, bits_b = 0;
  bool births_clash = false;
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
      if (table_.kind_class[x] == KindClass::kPerson && table_.kind_class[y] == KindClass::kPerson &&
          BirthsClearlyDiffer(table_.birth[x], table_.birth[y])) {
        births_clash = true;
      }
    }
  }
  for (MentionId y = 0; y < table_.size(); ++y) {
    if (label_[y] == lb && table_.kind_class[y] == KindClass::kOrganization &&
        !table_.core[y].empty()) {
      bits_b |= table_.branch[y] ? 1 : 2;
    }
  }
  if (probabilistic && ((bits_a == 1 && bits_b == 2) || (bits_a == 2 && bits_b == 1))) {
    return UnionResult::kRefused;
  }
  if (probabilistic && births_clash) return UnionResult::kRefused;
  for (auto& label : label_) {
    if (label == lb) label = la;
  }
  return UnionResult::kUnited;
}

}  // namespace cg::core::resolve
