// The shared definition of an active list entry (measures.md §3) and the escalation expansion
// (measures.md §4). Both measures propagation and scoring read list entries through these
// functions, so that "active" means the same thing everywhere:
//   an entry is active at T  <=>  listed_on <= T < removed_on (if removed),
//                                 T < listed_on + max_years, and it is not disputed.
// Every interval is half-open [start, end).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "graph/types.h"

namespace cg::core::measures {

/// One list entry, reduced to what activity needs. `removed_on` is kNoDate when the entry was
/// never removed. Entries made by escalation carry the original's source, rid, removed_on and
/// disputed, and the original list code in `escalated_from` (empty for an original entry).
struct ListEntry {
  NodeId subject = kNoNode;
  std::string list;
  Date listed_on = kNoDate;
  Date removed_on = kNoDate;
  bool disputed = false;
  std::string source;
  std::string rid;
  std::string escalated_from;

  bool operator==(const ListEntry&) const = default;
};

/// A catalog-level escalation rule: an entry of `from` not removed by listed_on + after also
/// acts as an entry of `to` from listed_on + after.
struct Escalation {
  std::string from;
  Period after;
  std::string to;
};

/// A half-open interval of dates [start, end); empty when start >= end.
struct DateInterval {
  Date start = 0;
  Date end = 0;
  bool empty() const { return start >= end; }
  bool Contains(Date date) const { return start <= date && date < end; }
  bool operator==(const DateInterval&) const = default;
};

/// Default of the catalog's `max_years` (Shandong Social Credit Regulation 2020, Art. 38).
inline constexpr int kDefaultMaxYears = 5;

/// Builds an entry from a `list` record whose subject resolved to `subject`.
ListEntry ListEntryFromRecord(const Record& record, NodeId subject);

/// The dates on which the entry is active: [listed_on, min(removed_on, listed_on + max_years)),
/// empty for a disputed entry or one without listed_on.
DateInterval ActiveInterval(const ListEntry& entry, int max_years = kDefaultMaxYears);

/// True when the entry is active at `date` (measures.md §3).
bool IsActive(const ListEntry& entry, Date date, int max_years = kDefaultMaxYears);

/// The escalated entry that `entry` produces under `rule`, if it does: the entry's list is
/// rule.from, it has a listed_on, and it is not removed by listed_on + after (removed_on unset
/// or removed_on > listed_on + after). Disputed entries escalate too (they stay disputed).
bool Escalate(const ListEntry& entry, const Escalation& rule, ListEntry* escalated);

/// Returns `entries` followed by every entry made by escalation. Escalations chain (an
/// escalated entry may escalate again under another rule, its listed_on counted from the
/// escalated listed_on); a rule is applied at most once along a chain, so cycles end.
/// `escalated_from` of a chained entry is the list code of the entry it escalated from.
std::vector<ListEntry> ExpandEscalations(std::span<const ListEntry> entries,
                                         std::span<const Escalation> rules);

}  // namespace cg::core::measures
