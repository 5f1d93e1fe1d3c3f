// Calendar dates and periods of the data contract (catalog.md §3, measures.md §3 "lasts").
// Dates are cg::Date (days since 1970-01-01) and all arithmetic goes through std::chrono's
// calendar types; nothing here hand-rolls leap years.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "graph/types.h"

namespace cg::core {

/// Parses the four accepted forms: 2016-08-05, 2016/8/5, 20160805, 2016年8月5日
/// (surrounding spaces ignored). Returns std::nullopt for anything else, including an
/// impossible calendar day (2023-02-29). An empty string is not a date either: callers treat
/// empty as "unknown" before calling.
std::optional<Date> ParseDate(std::string_view text);

/// ISO form "YYYY-MM-DD"; an empty string for kNoDate, "9999-12-31" for kForever.
std::string FormatDate(Date date);

/// Builds a date from its parts; std::nullopt if the day does not exist.
std::optional<Date> MakeDate(int year, unsigned month, unsigned day);
/// Year, month, day of a date.
struct Ymd {
  int year;
  unsigned month;
  unsigned day;
};
Ymd ToYmd(Date date);

/// A period as written in catalogs: "3y", "6m", "90d" (a single number and unit).
struct Period {
  int years = 0;
  int months = 0;
  int days = 0;
  bool empty() const { return years == 0 && months == 0 && days == 0; }
};
/// Parses "3y", "6m", "90d", "1y6m" (units in the order y, m, d). std::nullopt if malformed.
std::optional<Period> ParsePeriod(std::string_view text);
std::string FormatPeriod(const Period& period);

/// Calendar arithmetic of measures.md §3: years and months are calendar years and months with
/// the day clamped to the month's end (2024-02-29 + 1y = 2025-02-28); days are days.
/// kNoDate and kForever are returned unchanged.
Date AddPeriod(Date date, const Period& period);

/// Length in days with scoring.md §3's convention (365 days a year, 30 days a month).
double ApproxDays(const Period& period);

}  // namespace cg::core
