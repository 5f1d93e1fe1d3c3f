// MentionTable: the compact, columnar input of entity resolution. Every non-empty side
// (`subject_*`, `party_*`) of every Record is one mention; Add() streams Records in, and the
// table keeps per mention its source, rid, role, kind class, the strong (check-digit valid)
// codes, the weak codes, the normalized name parts, region, address, phone, birth, and the
// relational context of the record (for an organization the legal representative's name, for a
// person the codes and core name of the organization the record ties it to).
// String columns are dictionary-encoded (StringColumn): a 1- to 4-byte id per row, each distinct
// value stored once; record ids, which seldom repeat, live in one arena (PlainStringColumn).
#pragma once

#include <array>
#include <bit>
#include <cstring>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/huge_pages.h"
#include "core/record.h"
#include "graph/types.h"

namespace cg::core::resolve {

static_assert(std::endian::native == std::endian::little, "StringColumn reads its rows as little-endian words");

/// Index of a mention in its MentionTable (dense, in order of Add()).
using MentionId = std::uint32_t;

/// An append-only column of strings that rarely repeat (record ids): their text in one byte arena,
/// and per row a 32-bit end offset relative to the start of its block of 4,096 rows (a 64-bit
/// base per block): 4 bytes a row instead of 8. A row equal to the row just before it (a record's
/// subject and party mentions, added one after the other, share their rid) stores no text: its
/// offset carries a flag and it reads the previous row's text (so a row's text is there once or
/// twice in a run of equal rows, never more than twice). Rows read as string_views into the
/// column's own storage (valid until it changes).
class PlainStringColumn {
 public:
  void push_back(std::string_view text);
  /// Appends every row of `other`, in order.
  void append(const PlainStringColumn& other);
  /// Empties the column, keeping its memory for the next rows.
  void clear() {
    bytes_.clear();
    entries_.clear();
    bases_.clear();
  }
  std::string_view operator[](std::size_t row) const {
    // Row r of block b is entry r + b + 1 (each block's entries begin with a 0: its first row's
    // start); the entry before a row is the end of the row before it, i.e. its start, unless the
    // row repeats the one before: then it starts where that one does, one entry earlier.
    const std::size_t at = row + (row >> kBlockShift);
    const std::uint32_t end = entries_[at + 1];
    const std::uint32_t start = entries_[at - (end >> 31)] & kOffsetMask;
    return std::string_view(bytes_.data() + bases_[row >> kBlockShift] + start, (end & kOffsetMask) - start);
  }
  std::size_t size() const { return entries_.size() - bases_.size(); }
  std::size_t bytes() const {
    return bytes_.capacity() + entries_.capacity() * sizeof(std::uint32_t) + bases_.capacity() * sizeof(std::uint64_t);
  }
  /// Bytes of the text alone.
  std::size_t text_bytes() const { return bytes_.capacity(); }
  void shrink_to_fit() {
    bytes_.shrink_to_fit();
    entries_.shrink_to_fit();
    bases_.shrink_to_fit();
  }

 private:
  static constexpr std::size_t kBlockShift = 12;
  static constexpr std::size_t kBlockMask = (std::size_t{1} << kBlockShift) - 1;
  static constexpr std::uint32_t kRepeat = std::uint32_t{1} << 31;
  static constexpr std::uint32_t kOffsetMask = kRepeat - 1;
  // Large columns (hundreds of MB at SF=0.1) on huge pages where the kernel offers them: one
  // fault per 2 MB instead of per 4 KB while they grow.
  std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>> bytes_;
  // Per block: 0, then per row the end of its text relative to the block's base (kRepeat set:
  // the row repeats the row before it and has no text of its own).
  HugeVector<std::uint32_t> entries_;
  HugeVector<std::uint64_t> bases_;  // per block: where its text begins in bytes_
};

/// An append-only, dictionary-encoded column of strings: each distinct value is stored once and
/// every row holds the id of its value (id 0 is the empty string; ids in order of first
/// appearance). Codes, names, regions, addresses and phones repeat across departments' records:
/// at SF=0.01 the distinct values of a name column are a fifth of its rows, of a region column a
/// few hundred. Equal values have equal ids, so a caller may group or compare rows by id().
/// The rows' ids are packed in as few bytes as the column's distinct values need (1, 2, 3 or 4:
/// an industry column 1, a region column 2, a name column at SF=0.1 3); a value that crosses the
/// limit widens every row once, in place. A row is read as an unaligned 4-byte load at
/// row × width and a mask (the rows' array keeps 3 bytes of padding after the last row).
class StringColumn {
 public:
  StringColumn();
  StringColumn(const StringColumn& other);
  StringColumn& operator=(const StringColumn& other);
  StringColumn(StringColumn&&) noexcept;
  StringColumn& operator=(StringColumn&&) noexcept;
  ~StringColumn();

  void push_back(std::string_view text) {
    const std::uint32_t id = Intern(text);
    if (id > mask_) Widen(id);
    const std::size_t at = size_ * width_;
    if (at + sizeof(std::uint32_t) > rows_.size()) GrowRows(at + sizeof(std::uint32_t));
    // All 4 bytes: the ones above the width are 0 and land on the next row's place (or the padding).
    std::memcpy(rows_.data() + at, &id, sizeof(id));
    ++size_;
  }
  /// Off: every non-empty value pushed gets a new id, with no lookup (a staging column whose
  /// rows are appended to a deduplicating one right after: the lookup is made once, there).
  void set_dedupe(bool dedupe) { dedupe_ = dedupe; }
  /// Appends every row of `other`, in order (its values interned here).
  void append(const StringColumn& other);
  /// Empties the column (values and rows), keeping the rows' memory and width.
  void clear();
  std::string_view operator[](std::size_t row) const { return value(id(row)); }
  /// The id of row `row`'s value: equal ids, equal values (within this column).
  std::uint32_t id(std::size_t row) const {
    std::uint32_t word;
    std::memcpy(&word, rows_.data() + row * width_, sizeof(word));
    return word & mask_;
  }
  /// The value of id `id` (< distinct()).
  std::string_view value(std::uint32_t id) const {
    return std::string_view(dict_->bytes).substr(dict_->offsets[id], dict_->offsets[id + 1] - dict_->offsets[id]);
  }
  /// Cache hints for row `row`'s value, for a loop that reads values of rows at random places of
  /// a dictionary larger than the cache: where the value is (a few rows ahead), then its text
  /// (fewer rows ahead, once its place has arrived).
  void PrefetchPlace(std::size_t row) const { __builtin_prefetch(dict_->offsets.data() + id(row)); }
  void PrefetchText(std::size_t row) const { __builtin_prefetch(dict_->bytes.data() + dict_->offsets[id(row)]); }
  std::size_t size() const { return size_; }
  /// Number of distinct values (the empty string included).
  std::size_t distinct() const { return dict_->offsets.size() - 1; }
  /// Bytes a row's id takes (1 to 4): the fewest that hold every id given so far.
  std::size_t id_bytes() const { return width_; }
  std::size_t bytes() const;
  /// Bytes of the values alone (text and offsets), without the rows' ids or the index.
  std::size_t value_bytes() const;
  /// Frees the lookup index of the values (about 6 bytes a distinct value) and the slack of the
  /// arrays; the next push_back or append builds the index again. For a column that is complete.
  void Seal();

 private:
  struct Dict {
    std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>> bytes;
    HugeVector<std::uint64_t> offsets;
  };
  struct Index;  // the values' hash set (ids hashed by their text)
  static constexpr std::size_t kPadding = sizeof(std::uint32_t) - 1;  // after the last row
  std::uint32_t Intern(std::string_view text);
  // Intern() of a non-empty text whose Index::HashOf is `hash`, the index built.
  std::uint32_t InternHashed(std::string_view text, std::uint64_t hash);
  void BuildIndex();
  /// Rewrites every row in the fewest bytes that hold `id` (more than now).
  void Widen(std::uint32_t id);
  /// Makes rows_ at least `bytes` long (geometric growth).
  void GrowRows(std::size_t bytes);
  std::unique_ptr<Dict> dict_;
  std::unique_ptr<Index> index_;  // null when sealed
  // Row r's id: the width_ bytes at r × width_, little-endian. Its size() is the bytes in use,
  // padding included, and slack for more rows; the bytes past the last row hold no meaning.
  HugeVector<std::uint8_t> rows_;
  std::size_t size_ = 0;
  std::size_t width_ = 1;
  std::uint32_t mask_ = 0xFF;  // the ids a row of width_ bytes holds
  bool dedupe_ = true;
};

/// Person or organization (enterprise, individual business, organization): the two classes
/// that never merge with each other.
enum class KindClass : std::uint8_t { kOrganization, kPerson };

class MentionTable {
 public:
  /// Adds one mention per non-empty side of the record. Returns how many were added.
  int Add(const Record& record);
  /// Adds one mention for one side; `other` is the record's other side (may be empty).
  void AddSide(std::string_view source, std::string_view rid, Role role, RecordKind record_kind,
               const Identity& side, const Identity& other);

  std::size_t size() const { return role.size(); }
  /// Appends every mention of `other` (built separately, e.g. by another thread), in order: the
  /// result is the table that adding `other`'s records here would have given.
  void Append(const MentionTable& other);
  /// Removes every mention, keeping the columns' memory (a table refilled chunk after chunk
  /// does not fault its pages in again each time).
  void Clear();
  /// Every dictionary-encoded column (all string columns but rid), in one fixed order.
  std::array<StringColumn*, 15> string_columns() {
    return {&uscc, &org_code, &reg_no, &id_no, &weak_codes, &name, &folded, &core,
            &trade, &industry, &region, &address, &phone, &rel_name, &rel_code};
  }
  std::array<const StringColumn*, 15> string_columns() const {
    return {&uscc, &org_code, &reg_no, &id_no, &weak_codes, &name, &folded, &core,
            &trade, &industry, &region, &address, &phone, &rel_name, &rel_code};
  }
  /// The names of string_columns(), in their order (for traces and reports).
  static constexpr std::array<const char*, 15> kStringColumnNames = {
      "uscc", "org_code", "reg_no", "id_no", "weak_codes", "name", "folded", "core",
      "trade", "industry", "region", "address", "phone", "rel_name", "rel_code"};
  /// One line per column: rows, distinct values, bytes of the ids and of the values (a trace
  /// of where the table's memory goes).
  std::string MemoryReport() const;
  /// A staging table (e.g. a chunk of records decoded by one thread, appended to the main table
  /// right after): its string columns do not deduplicate (StringColumn::set_dedupe); Append()
  /// into a deduplicating table makes each lookup once.
  void SetStaging();
  /// Frees the columns' lookup indexes (StringColumn::Seal) and their slack: for a table that is
  /// complete; a later Add() builds the indexes again.
  void Seal();
  /// Approximate heap bytes held.
  std::size_t MemoryBytes() const;
  /// The source id of mention `m`.
  std::string_view Source(MentionId m) const { return sources[source[m]]; }
  /// (source, rid, role) as text, e.g. "penalty/P123/subject".
  std::string Key(MentionId m) const;
  /// 64-bit fingerprint of (source, rid, role): order-independent tie-breaker.
  std::uint64_t Fingerprint(MentionId m) const { return fingerprint[m]; }
  /// 64-bit hash of every column of mention `m`: equal digests, same mention (an incremental
  /// resolve checks with it that a re-read record still gives the mentions it compared).
  std::uint64_t Digest(MentionId m) const;
  /// Digest(m) of the first `count` mentions, in bulk: each distinct value hashed once.
  std::vector<std::uint64_t> Digests(std::size_t count) const;
  /// The hash of mention m's fixed-size fields (role, kinds, flags, birth, fingerprint).
  std::uint64_t FixedFieldsHash(MentionId m) const;

  static constexpr std::uint64_t kDigestSeed = 0x43474D454E54ULL;  // "CGMENT"

  // Columns (one row per mention).
  std::vector<std::string> sources;        // interned source ids
  std::vector<std::uint16_t> source;       // index into sources
  PlainStringColumn rid;
  std::vector<Role> role;
  std::vector<RecordKind> record_kind;
  std::vector<EntityKind> kind;            // as declared (kUnknown if not)
  std::vector<KindClass> kind_class;       // declared or inferred
  std::vector<std::uint64_t> fingerprint;
  // Strong codes: passed their check digit. org_code includes the one embedded in a USCC.
  StringColumn uscc, org_code, reg_no, id_no;
  // Weak codes (failed check digit): "U:<code>", "O:", "R:", "I:" joined by ';'.
  StringColumn weak_codes;
  std::vector<std::uint8_t> weak;          // Identity::weak bits
  StringColumn name;                       // as written
  StringColumn folded;                     // folded full name
  StringColumn core;                       // org: core name; person: folded name
  StringColumn trade;                      // org: 字号 approximation; person: surname
  StringColumn industry;                   // org: the name's industry words (化工, 物流), "" if none
  std::vector<std::uint8_t> branch;        // org name carries a branch marker
  StringColumn region;                     // 6-digit code (persons: from ID number if missing)
  StringColumn address;                    // folded
  StringColumn phone;                      // digits only
  std::vector<Date> birth;                 // persons: from ID number if missing
  // Relational context from the record's other side.
  StringColumn rel_name;                   // org: legal rep / party person name; person: org core
  StringColumn rel_code;                   // person: the tied organization's strongest code
};

}  // namespace cg::core::resolve
