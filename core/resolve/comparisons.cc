// Comparison levels (see comparisons.h).
#include "core/resolve/comparisons.h"

#include "core/resolve/bucket_sort.h"

#include <cstring>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <xxhash.h>

#include <absl/container/inlined_vector.h>

#include "core/date.h"
#include "core/resolve/name_parts.h"
#include "core/varint.h"

namespace cg::core::resolve {
namespace {

// True when one substitution, insertion or deletion turns a into b (Levenshtein <= 1).
bool WithinOneEdit(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t prefix = 0;
  while (prefix < a.size() && a[prefix] == b[prefix]) ++prefix;
  if (a.size() == b.size()) return a.substr(prefix + (prefix < a.size())) == b.substr(prefix + (prefix < b.size()));
  return a.substr(prefix) == b.substr(prefix + 1);
}

std::int8_t RegionLevel(std::string_view a, std::string_view b) {
  if (a.size() < 6 || b.size() < 6) return kNull;
  if (a == b) return 3;
  if (a.substr(0, 4) == b.substr(0, 4)) return 2;
  if (a.substr(0, 2) == b.substr(0, 2)) return 1;
  return 0;
}

std::int8_t AddressLevel(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return kNull;
  if (a == b) return 2;
  return JaroWinkler(CodePoints(a), CodePoints(b)) >= 0.9 ? 1 : 0;
}

std::int8_t PhoneLevel(std::string_view a, std::string_view b) {
  if (a.size() < 7 || b.size() < 7) return kNull;
  return a == b ? 1 : 0;
}

// Codes of `tag` ('U', 'O', 'R', 'I') of a mention: its strong one and its weak ones.
template <typename Fn>
void ForCodes(const CompareFields& m, char tag, Fn&& fn) {
  const std::string_view strong = tag == 'U'   ? m.uscc
                                  : tag == 'O' ? m.org_code
                                  : tag == 'R' ? m.reg_no
                                               : m.id_no;
  if (!strong.empty()) fn(strong, false);
  std::string_view weak = m.weak_codes;
  while (!weak.empty()) {
    auto end = weak.find(';');
    std::string_view item = weak.substr(0, end);
    if (item.size() > 2 && item[0] == tag) fn(item.substr(2), true);
    if (end == std::string_view::npos) break;
    weak.remove_prefix(end + 1);
  }
}

// 1 when a weak code on one side is within one character of a code of the same type on the
// other side, 0 when such codes exist but differ more, null when there is nothing to compare.
std::int8_t CodeLevel(const CompareFields& a, const CompareFields& b, const char* tags) {
  std::int8_t level = kNull;
  // Without a weak code on either side only strong pairs remain, which keys and constraints decide.
  if (a.weak_codes.empty() && b.weak_codes.empty()) return level;
  for (const char* tag = tags; *tag; ++tag) {
    ForCodes(a, *tag, [&](std::string_view code_a, bool weak_a) {
      ForCodes(b, *tag, [&](std::string_view code_b, bool weak_b) {
        if (!weak_a && !weak_b) return;  // two strong codes: keys and constraints decide
        const int diff = Hamming(code_a, code_b);
        const std::int8_t this_level = (diff >= 0 && diff <= 1) ? 1 : 0;
        if (level < this_level) level = this_level;
      });
    });
  }
  return level;
}

// LEB128 lengths of a CompareRows row (written with core/varint.h's PutVarint).
std::size_t VarintSize(std::uint64_t value) {
  std::size_t size = 1;
  while (value >= 0x80) value >>= 7, ++size;
  return size;
}

const char* GetVarint(const char* p, std::uint64_t* value) {
  std::uint64_t result = 0;
  int shift = 0;
  while (static_cast<unsigned char>(*p) & 0x80) {
    result |= static_cast<std::uint64_t>(static_cast<unsigned char>(*p++) & 0x7F) << shift;
    shift += 7;
  }
  *value = result | (static_cast<std::uint64_t>(static_cast<unsigned char>(*p++)) << shift);
  return p;
}

// The thirteen strings of a row, in row order.
constexpr std::string_view CompareFields::*kRowStrings[] = {
    &CompareFields::core,    &CompareFields::folded,   &CompareFields::trade,  &CompareFields::region,
    &CompareFields::rel_name, &CompareFields::rel_code, &CompareFields::address, &CompareFields::phone,
    &CompareFields::uscc,    &CompareFields::org_code, &CompareFields::reg_no, &CompareFields::id_no,
    &CompareFields::weak_codes};

void PutRow(const CompareFields& fields, std::string& out) {
  out.push_back(static_cast<char>(fields.klass));
  char date[sizeof(Date)];
  std::memcpy(date, &fields.birth, sizeof(Date));
  out.append(date, sizeof(Date));
  for (auto member : kRowStrings) PutVarint(out, (fields.*member).size());
  for (auto member : kRowStrings) out.append(fields.*member);
}

}  // namespace

const std::vector<FieldSpec>& OrgFields() {
  static const std::vector<FieldSpec> fields = {
      {"name", {"different", "trade name equal or similar (JW>=0.80)",
                "one edit in the trade name, or JW>=0.92", "same trade name, one edit elsewhere",
                "name key equal", "canonical name equal"}},
      {"region", {"other province", "same province", "same city", "same county"}},
      {"legal_rep", {"different", "equal"}},
      {"address", {"different", "similar (JW>=0.9)", "equal"}},
      {"phone", {"different", "equal"}},
      {"code", {"different", "one character off"}},
  };
  return fields;
}

const std::vector<FieldSpec>& PersonFields() {
  static const std::vector<FieldSpec> fields = {
      {"name", {"different", "similar (one character off)", "equal"}},
      {"birth", {"different", "two of year/month/day equal", "equal"}},
      {"region", {"other province", "same province", "same city", "same county"}},
      {"id_no", {"different", "one character off"}},
      {"tied_org", {"different", "same organization name", "same organization code"}},
      {"phone", {"different", "equal"}},
      {"address", {"different", "similar (JW>=0.9)", "equal"}},
  };
  return fields;
}

CompareFields FieldsOf(const MentionTable& table, MentionId m) {
  CompareFields fields;
  fields.klass = table.kind_class[m];
  fields.birth = table.birth[m];
  fields.core = table.core[m];
  fields.folded = table.folded[m];
  fields.trade = table.trade[m];
  fields.region = table.region[m];
  fields.rel_name = table.rel_name[m];
  fields.rel_code = table.rel_code[m];
  fields.address = table.address[m];
  fields.phone = table.phone[m];
  fields.uscc = table.uscc[m];
  fields.org_code = table.org_code[m];
  fields.reg_no = table.reg_no[m];
  fields.id_no = table.id_no[m];
  fields.weak_codes = table.weak_codes[m];
  return fields;
}

namespace {
// The ids of a mention's comparison fields in the table's dictionaries, with its class and birth
// date: equal tuples, equal rows.
struct RowIds {
  std::uint32_t ids[std::size(kRowStrings)];
  std::uint32_t klass_birth[2];
  friend bool operator==(const RowIds&, const RowIds&) = default;
};
constexpr const StringColumn MentionTable::*kRowColumns[] = {
    &MentionTable::core,    &MentionTable::folded,  &MentionTable::trade,    &MentionTable::region,
    &MentionTable::rel_name, &MentionTable::rel_code, &MentionTable::address, &MentionTable::phone,
    &MentionTable::uscc,    &MentionTable::org_code, &MentionTable::reg_no,   &MentionTable::id_no,
    &MentionTable::weak_codes};
static_assert(std::size(kRowColumns) == std::size(kRowStrings));
RowIds RowIdsOf(const MentionTable& table, MentionId m) {
  RowIds row{};
  for (std::size_t c = 0; c < std::size(kRowColumns); ++c) row.ids[c] = (table.*kRowColumns[c]).id(m);
  row.klass_birth[0] = static_cast<std::uint32_t>(table.kind_class[m]);
  static_assert(sizeof(Date) <= sizeof(std::uint32_t));
  std::memcpy(&row.klass_birth[1], &table.birth[m], sizeof(Date));
  return row;
}
}  // namespace

CompareRows::CompareRows(const MentionTable& table, const std::vector<char>* needed) {
  // Rows are made only for the mentions some comparison reads (`needed`): at SF=0.1 reading
  // the values of every mention, at random places of dictionaries larger than the cache, was a
  // tenth of the linking time. Mentions equal in every comparison field (the same company or
  // person written the same way in several departments' records: three in ten at SF=0.01) share
  // one row. Grouped by a hash of their fields' dictionary ids, confirmed on the ids; the first
  // mention of each group (in hash, then mention order) owns the row.
  const std::size_t n = table.size();
  constexpr MentionId kNotMade = 0xFFFFFFFFu;
  struct Item {
    std::uint64_t hash;
    MentionId mention;
  };
  HugeBuffer<Item> items;
  {
    tbb::enumerable_thread_specific<std::vector<Item>> local_items;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
      auto& mine = local_items.local();
      for (std::size_t m = range.begin(); m < range.end(); ++m) {
        if (needed != nullptr && !(*needed)[m]) continue;
        const RowIds row = RowIdsOf(table, static_cast<MentionId>(m));
        mine.push_back({XXH3_64bits(&row, sizeof(row)), static_cast<MentionId>(m)});
      }
    });
    AppendParts(local_items, &items);
  }
  made_ = items.size();
  BucketSort(items, [](const Item& item) { return item.hash; },
             [](const Item& x, const Item& y) { return x.hash != y.hash ? x.hash < y.hash : x.mention < y.mention; });
  // owner[m]: the mention whose row m reads (itself for an owner; kNotMade when not needed).
  HugeBuffer<MentionId> owner(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    std::fill(owner.begin() + static_cast<std::ptrdiff_t>(range.begin()),
              owner.begin() + static_cast<std::ptrdiff_t>(range.end()), kNotMade);
  });
  const std::size_t count = items.size();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    std::size_t i = range.begin();
    while (i < range.end() && i > 0 && items[i].hash == items[i - 1].hash) ++i;  // the previous range's run
    absl::InlinedVector<std::pair<MentionId, RowIds>, 2> heads;
    while (i < range.end()) {
      std::size_t j = i + 1;
      while (j < count && items[j].hash == items[i].hash) ++j;
      if (j == i + 1) {  // a hash of its own (most mentions): its own row, no fields read
        owner[items[i].mention] = items[i].mention;
        i = j;
        continue;
      }
      heads.clear();
      for (j = i; j < count && items[j].hash == items[i].hash; ++j) {
        const MentionId m = items[j].mention;
        const RowIds row = RowIdsOf(table, m);
        MentionId own = m;
        for (const auto& [head, ids] : heads) {
          if (ids == row) {
            own = head;
            break;
          }
        }
        if (own == m) heads.emplace_back(m, row);
        owner[m] = own;
      }
      i = j;
    }
  });
  HugeBuffer<Item>().swap(items);
  // The owners' rows, in mention order, written in place in parallel: sized from the values'
  // lengths (the dictionaries' offsets, no text read), then made and copied. The last row is an
  // empty one, which mentions without a row read (no caller compares them).
  const std::size_t kEmptyRow = 1 + sizeof(Date) + std::size(kRowStrings);
  offsets_.resize(n + 1);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t m = range.begin(); m < range.end(); ++m) {
      std::size_t size = 0;
      if (owner[m] == m) {
        size = 1 + sizeof(Date);
        for (auto column : kRowColumns) {
          const std::size_t length = (table.*column).value((table.*column).id(m)).size();
          size += VarintSize(length) + length;
        }
      }
      offsets_[m + 1] = size;
    }
  });
  offsets_[0] = 0;
  for (std::size_t m = 0; m < n; ++m) offsets_[m + 1] += offsets_[m];
  const std::uint64_t empty_row = offsets_[n];
  bytes_.resize(empty_row + kEmptyRow);
  {
    std::string row;
    PutRow(CompareFields{}, row);
    std::memcpy(bytes_.data() + empty_row, row.data(), row.size());
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    std::string row;
    for (std::size_t m = range.begin(); m < range.end(); ++m) {
      if (owner[m] != m) continue;
      row.clear();
      PutRow(FieldsOf(table, static_cast<MentionId>(m)), row);
      std::memcpy(bytes_.data() + offsets_[m], row.data(), row.size());
    }
  });
  // (rows are self-delimiting: a mention's row starts at its owner's offset)
  offsets_.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t m = range.begin(); m < range.end(); ++m) {
      if (owner[m] == kNotMade) {
        offsets_[m] = empty_row;
      } else if (owner[m] != m) {
        offsets_[m] = offsets_[owner[m]];
      }
    }
  });
}

CompareFields CompareRows::operator[](MentionId m) const {
  CompareFields fields;
  const char* p = bytes_.data() + offsets_[m];
  fields.klass = static_cast<KindClass>(*p++);
  std::memcpy(&fields.birth, p, sizeof(Date));
  p += sizeof(Date);
  std::uint64_t sizes[std::size(kRowStrings)];
  for (auto& size : sizes) p = GetVarint(p, &size);
  for (std::size_t i = 0; i < std::size(kRowStrings); ++i) {
    fields.*kRowStrings[i] = std::string_view(p, sizes[i]);
    p += sizes[i];
  }
  return fields;
}

bool SharesStrongCode(const CompareFields& a, const CompareFields& b) {
  for (auto member : {&CompareFields::uscc, &CompareFields::id_no, &CompareFields::org_code, &CompareFields::reg_no}) {
    if (!(a.*member).empty() && a.*member == b.*member) return true;
  }
  return false;
}

Pattern CompareOrgs(const CompareFields& a, const CompareFields& b) {
  std::int8_t levels[kMaxFields];
  // name
  if (a.core.empty() || b.core.empty()) {
    levels[0] = kNull;
  } else if (a.folded == b.folded) {
    levels[0] = 5;
  } else if (a.core == b.core) {
    levels[0] = 4;
  } else {
    const CodePoints core_a_points(a.core), core_b_points(b.core);
    const std::u32string_view core_a = core_a_points, core_b = core_b_points;
    const double jw = JaroWinkler(core_a, core_b);
    const bool one_edit = WithinOneEdit(core_a, core_b);
    // Same trade name, or a typo in the industry words made the parser read them as part of
    // the trade name (one trade name is a prefix of the other).
    const std::string_view trade_a = a.trade, trade_b = b.trade;
    const bool same_trade = !trade_a.empty() && !trade_b.empty() &&
                            (trade_a.starts_with(trade_b) || trade_b.starts_with(trade_a));
    if (one_edit && same_trade) {
      levels[0] = 3;
    } else if (one_edit || jw >= 0.92 || BigramDice(core_a, core_b) >= 0.8) {
      levels[0] = 2;
    } else if (jw >= 0.80 || (!a.trade.empty() && a.trade == b.trade)) {
      levels[0] = 1;
    } else {
      levels[0] = 0;
    }
  }
  levels[1] = RegionLevel(a.region, b.region);
  levels[2] = (a.rel_name.empty() || b.rel_name.empty())
                  ? kNull
                  : static_cast<std::int8_t>(a.rel_name == b.rel_name);
  levels[3] = AddressLevel(a.address, b.address);
  levels[4] = PhoneLevel(a.phone, b.phone);
  levels[5] = CodeLevel(a, b, "URO");
  return PackPattern(levels, static_cast<int>(OrgFields().size()));
}

Pattern ComparePersons(const CompareFields& a, const CompareFields& b) {
  std::int8_t levels[kMaxFields];
  if (a.core.empty() || b.core.empty()) {
    levels[0] = kNull;
  } else if (a.core == b.core) {
    levels[0] = 2;
  } else {
    const CodePoints name_a_points(a.core), name_b_points(b.core);
    const std::u32string_view name_a = name_a_points, name_b = name_b_points;
    int diff = -1;
    if (name_a.size() == name_b.size()) {
      diff = 0;
      for (std::size_t i = 0; i < name_a.size(); ++i) diff += name_a[i] != name_b[i];
    }
    levels[0] = (diff == 1 && name_a.size() >= 2) ? 1 : 0;
  }
  if (a.birth == kNoDate || b.birth == kNoDate) {
    levels[1] = kNull;
  } else if (a.birth == b.birth) {
    levels[1] = 2;
  } else {
    const Ymd x = ToYmd(a.birth), y = ToYmd(b.birth);
    const int same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day);
    levels[1] = same >= 2 ? 1 : 0;
  }
  levels[2] = RegionLevel(a.region, b.region);
  levels[3] = CodeLevel(a, b, "I");
  if (a.rel_name.empty() || b.rel_name.empty()) {
    levels[4] = kNull;
  } else if (!a.rel_code.empty() && a.rel_code == b.rel_code) {
    levels[4] = 2;
  } else {
    levels[4] = a.rel_name == b.rel_name ? 1 : 0;
  }
  levels[5] = PhoneLevel(a.phone, b.phone);
  levels[6] = AddressLevel(a.address, b.address);
  return PackPattern(levels, static_cast<int>(PersonFields().size()));
}

}  // namespace cg::core::resolve
