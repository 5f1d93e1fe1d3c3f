// Active list entries and escalations (measures.md §3, §4). See list_activity.h.
#include "core/measures/list_activity.h"

#include <algorithm>

namespace cg::core::measures {

ListEntry ListEntryFromRecord(const Record& record, NodeId subject) {
  ListEntry entry;
  entry.subject = subject;
  entry.list = record.list;
  entry.listed_on = record.listed_on;
  entry.removed_on = record.removed_on;
  entry.disputed = record.disputed;
  entry.source = record.source;
  entry.rid = record.rid;
  return entry;
}

DateInterval ActiveInterval(const ListEntry& entry, int max_years) {
  if (entry.disputed || entry.listed_on == kNoDate) return {0, 0};
  Date end = AddPeriod(entry.listed_on, Period{max_years, 0, 0});
  if (entry.removed_on != kNoDate) end = std::min(end, entry.removed_on);
  if (end <= entry.listed_on) return {0, 0};
  return {entry.listed_on, end};
}

bool IsActive(const ListEntry& entry, Date date, int max_years) {
  return ActiveInterval(entry, max_years).Contains(date);
}

bool Escalate(const ListEntry& entry, const Escalation& rule, ListEntry* escalated) {
  if (entry.list != rule.from || entry.listed_on == kNoDate) return false;
  const Date moved_on = AddPeriod(entry.listed_on, rule.after);
  if (entry.removed_on != kNoDate && entry.removed_on <= moved_on) return false;
  *escalated = entry;
  escalated->list = rule.to;
  escalated->listed_on = moved_on;
  escalated->escalated_from = entry.list;
  return true;
}

std::vector<ListEntry> ExpandEscalations(std::span<const ListEntry> entries,
                                         std::span<const Escalation> rules) {
  std::vector<ListEntry> out(entries.begin(), entries.end());
  if (rules.empty()) return out;
  // Frontier of (entry index in out, rules already used along its chain).
  struct Pending {
    std::size_t index;
    std::vector<bool> used;
  };
  std::vector<Pending> frontier;
  frontier.reserve(out.size());
  for (std::size_t index = 0; index < out.size(); ++index) {
    frontier.push_back({index, std::vector<bool>(rules.size(), false)});
  }
  while (!frontier.empty()) {
    std::vector<Pending> next;
    for (const Pending& pending : frontier) {
      for (std::size_t rule_index = 0; rule_index < rules.size(); ++rule_index) {
        if (pending.used[rule_index]) continue;
        ListEntry escalated;
        if (!Escalate(out[pending.index], rules[rule_index], &escalated)) continue;
        out.push_back(std::move(escalated));
        std::vector<bool> used = pending.used;
        used[rule_index] = true;
        next.push_back({out.size() - 1, std::move(used)});
      }
    }
    frontier = std::move(next);
  }
  return out;
}

}  // namespace cg::core::measures
