// Comparison levels for Chinese registry data, one vector per candidate pair of mentions of the
// same class. Organizations: name (full equal / core equal / Jaro–Winkler or bigram close /
// trade name equal or loosely close / different), region (county / city / province / other),
// legal representative, address, phone, and a typo'd code against the other side's code.
// Persons: name, birth date, region, ID number typo, tied organization, phone, address.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/huge_pages.h"
#include "core/resolve/fellegi_sunter.h"
#include "core/resolve/mentions.h"

namespace cg::core::resolve {

/// The fields of each class, in comparison-vector order.
const std::vector<FieldSpec>& OrgFields();
const std::vector<FieldSpec>& PersonFields();
inline constexpr int kOrgNameField = 0;
inline constexpr int kPersonNameField = 0;
/// The name level from which term-frequency adjustment applies (core equal / name equal).
inline constexpr int kOrgTfLevel = 4;
inline constexpr int kPersonTfLevel = 2;

/// The fields a comparison reads, for one mention: views into a MentionTable's columns or into
/// a CompareRows row (both give the same values, so both give the same patterns).
struct CompareFields {
  KindClass klass = KindClass::kOrganization;
  Date birth = kNoDate;
  std::string_view core, folded, trade, region, rel_name, rel_code, address, phone;
  std::string_view uscc, org_code, reg_no, id_no, weak_codes;
};
CompareFields FieldsOf(const MentionTable& table, MentionId m);

/// Every mention's comparison fields packed into one contiguous row. Comparing random pairs of
/// mentions from the columns costs two cache misses per column per side (offset and bytes, some
/// thirty a pair): memory latency, not the levels, bounded the comparison phases. A row is a
/// kind byte, the birth date and thirteen varint lengths followed by the thirteen strings, so a
/// pair costs a few misses. Mentions equal in every field share one row (each mention keeps the
/// offset of its row). Built in parallel, for the mentions a caller will compare; the table is
/// not needed afterwards.
class CompareRows {
 public:
  CompareRows() = default;
  /// Rows for the mentions with needed[m] set (every mention when `needed` is null); the others
  /// read as empty fields.
  explicit CompareRows(const MentionTable& table, const std::vector<char>* needed = nullptr);
  CompareFields operator[](MentionId m) const;
  std::size_t size() const { return offsets_.size(); }
  /// Mentions a row was made for (some share it).
  std::size_t made() const { return made_; }
  /// Heap bytes held.
  std::size_t bytes() const { return bytes_.size() + offsets_.size() * sizeof(std::uint64_t); }
  /// Cache hints for a row used soon: its offset first, a few steps later its first bytes.
  void PrefetchOffset(MentionId m) const { __builtin_prefetch(offsets_.data() + m); }
  void PrefetchRow(MentionId m) const {
    const char* row = bytes_.data() + offsets_[m];
    __builtin_prefetch(row);
    __builtin_prefetch(row + 64);
  }

 private:
  // Read at random (the second mention of each pair): on huge pages, one TLB entry per 2 MB.
  HugeBuffer<std::uint64_t> offsets_;  // per mention, where its row starts
  HugeBuffer<char> bytes_;
  std::size_t made_ = 0;
};

/// Calls sink(i, rows[a], rows[b]) for i in [begin, end), where pair_of(i) = {a, b}, with the
/// rows of later pairs fetched ahead (random pairs of a province-sized table miss the cache on
/// every row: fetching 8–16 pairs ahead overlaps those misses).
template <typename PairOf, typename Sink>
void ForEachComparedPair(const CompareRows& rows, std::size_t begin, std::size_t end, PairOf&& pair_of,
                         Sink&& sink) {
  constexpr std::size_t kRowAhead = 8, kOffsetAhead = 16;
  for (std::size_t i = begin; i < end; ++i) {
    if (i + kOffsetAhead < end) {
      const auto [a, b] = pair_of(i + kOffsetAhead);
      rows.PrefetchOffset(a);
      rows.PrefetchOffset(b);
    }
    if (i + kRowAhead < end) {
      const auto [a, b] = pair_of(i + kRowAhead);
      rows.PrefetchRow(a);
      rows.PrefetchRow(b);
    }
    const auto [a, b] = pair_of(i);
    sink(i, rows[a], rows[b]);
  }
}

/// Fills the comparison pattern of two mentions of the same class.
Pattern CompareOrgs(const CompareFields& a, const CompareFields& b);
Pattern ComparePersons(const CompareFields& a, const CompareFields& b);
inline Pattern Compare(const CompareFields& a, const CompareFields& b) {
  return a.klass == KindClass::kPerson ? ComparePersons(a, b) : CompareOrgs(a, b);
}
inline Pattern CompareOrgs(const MentionTable& table, MentionId a, MentionId b) {
  return CompareOrgs(FieldsOf(table, a), FieldsOf(table, b));
}
inline Pattern ComparePersons(const MentionTable& table, MentionId a, MentionId b) {
  return ComparePersons(FieldsOf(table, a), FieldsOf(table, b));
}
inline Pattern Compare(const MentionTable& table, MentionId a, MentionId b) {
  return Compare(FieldsOf(table, a), FieldsOf(table, b));
}

/// True when the two mentions share a strong code of one type (a known match).
bool SharesStrongCode(const CompareFields& a, const CompareFields& b);

}  // namespace cg::core::resolve
