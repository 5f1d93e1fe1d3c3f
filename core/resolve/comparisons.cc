// Comparison levels (see comparisons.h).
#include "core/resolve/comparisons.h"

#include <string>
#include <string_view>
#include <utility>

#include "core/date.h"
#include "core/resolve/name_parts.h"

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
void ForCodes(const MentionTable& table, MentionId m, char tag, Fn&& fn) {
  const StringColumn* strong = tag == 'U'   ? &table.uscc
                               : tag == 'O' ? &table.org_code
                               : tag == 'R' ? &table.reg_no
                                            : &table.id_no;
  if (!(*strong)[m].empty()) fn((*strong)[m], false);
  std::string_view weak = table.weak_codes[m];
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
std::int8_t CodeLevel(const MentionTable& table, MentionId a, MentionId b, const char* tags) {
  std::int8_t level = kNull;
  for (const char* tag = tags; *tag; ++tag) {
    ForCodes(table, a, *tag, [&](std::string_view code_a, bool weak_a) {
      ForCodes(table, b, *tag, [&](std::string_view code_b, bool weak_b) {
        if (!weak_a && !weak_b) return;  // two strong codes: keys and constraints decide
        const int diff = Hamming(code_a, code_b);
        const std::int8_t this_level = (diff >= 0 && diff <= 1) ? 1 : 0;
        if (level < this_level) level = this_level;
      });
    });
  }
  return level;
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

Pattern CompareOrgs(const MentionTable& table, MentionId a, MentionId b) {
  std::int8_t levels[kMaxFields];
  // name
  if (table.core[a].empty() || table.core[b].empty()) {
    levels[0] = kNull;
  } else if (table.folded[a] == table.folded[b]) {
    levels[0] = 5;
  } else if (table.core[a] == table.core[b]) {
    levels[0] = 4;
  } else {
    const CodePoints core_a_points(table.core[a]), core_b_points(table.core[b]);
    const std::u32string_view core_a = core_a_points, core_b = core_b_points;
    const double jw = JaroWinkler(core_a, core_b);
    const bool one_edit = WithinOneEdit(core_a, core_b);
    // Same trade name, or a typo in the industry words made the parser read them as part of
    // the trade name (one trade name is a prefix of the other).
    const std::string_view trade_a = table.trade[a], trade_b = table.trade[b];
    const bool same_trade = !trade_a.empty() && !trade_b.empty() &&
                            (trade_a.starts_with(trade_b) || trade_b.starts_with(trade_a));
    if (one_edit && same_trade) {
      levels[0] = 3;
    } else if (one_edit || jw >= 0.92 || BigramDice(core_a, core_b) >= 0.8) {
      levels[0] = 2;
    } else if (jw >= 0.80 || (!table.trade[a].empty() && table.trade[a] == table.trade[b])) {
      levels[0] = 1;
    } else {
      levels[0] = 0;
    }
  }
  levels[1] = RegionLevel(table.region[a], table.region[b]);
  levels[2] = (table.rel_name[a].empty() || table.rel_name[b].empty())
                  ? kNull
                  : static_cast<std::int8_t>(table.rel_name[a] == table.rel_name[b]);
  levels[3] = AddressLevel(table.address[a], table.address[b]);
  levels[4] = PhoneLevel(table.phone[a], table.phone[b]);
  levels[5] = CodeLevel(table, a, b, "URO");
  return PackPattern(levels, static_cast<int>(OrgFields().size()));
}

Pattern ComparePersons(const MentionTable& table, MentionId a, MentionId b) {
  std::int8_t levels[kMaxFields];
  if (table.core[a].empty() || table.core[b].empty()) {
    levels[0] = kNull;
  } else if (table.core[a] == table.core[b]) {
    levels[0] = 2;
  } else {
    const CodePoints name_a_points(table.core[a]), name_b_points(table.core[b]);
    const std::u32string_view name_a = name_a_points, name_b = name_b_points;
    int diff = -1;
    if (name_a.size() == name_b.size()) {
      diff = 0;
      for (std::size_t i = 0; i < name_a.size(); ++i) diff += name_a[i] != name_b[i];
    }
    levels[0] = (diff == 1 && name_a.size() >= 2) ? 1 : 0;
  }
  if (table.birth[a] == kNoDate || table.birth[b] == kNoDate) {
    levels[1] = kNull;
  } else if (table.birth[a] == table.birth[b]) {
    levels[1] = 2;
  } else {
    const Ymd x = ToYmd(table.birth[a]), y = ToYmd(table.birth[b]);
    const int same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day);
    levels[1] = same >= 2 ? 1 : 0;
  }
  levels[2] = RegionLevel(table.region[a], table.region[b]);
  levels[3] = CodeLevel(table, a, b, "I");
  if (table.rel_name[a].empty() || table.rel_name[b].empty()) {
    levels[4] = kNull;
  } else if (!table.rel_code[a].empty() && table.rel_code[a] == table.rel_code[b]) {
    levels[4] = 2;
  } else {
    levels[4] = table.rel_name[a] == table.rel_name[b] ? 1 : 0;
  }
  levels[5] = PhoneLevel(table.phone[a], table.phone[b]);
  levels[6] = AddressLevel(table.address[a], table.address[b]);
  return PackPattern(levels, static_cast<int>(PersonFields().size()));
}

}  // namespace cg::core::resolve
