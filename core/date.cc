// Implementation of core/date.h on top of std::chrono's calendar (C++20).
#include "core/date.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace cg::core {
namespace {

namespace chr = std::chrono;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Reads 1..max_digits ASCII digits at the front of text; advances text.
std::optional<int> TakeNumber(std::string_view& text, std::size_t min_digits,
                              std::size_t max_digits) {
  std::size_t digits = 0;
  while (digits < text.size() && digits < max_digits && text[digits] >= '0' &&
         text[digits] <= '9') {
    ++digits;
  }
  if (digits < min_digits) return std::nullopt;
  int value = 0;
  std::from_chars(text.data(), text.data() + digits, value);
  text.remove_prefix(digits);
  return value;
}

bool TakeLiteral(std::string_view& text, std::string_view literal) {
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  return true;
}

}  // namespace

std::optional<Date> MakeDate(int year, unsigned month, unsigned day) {
  const chr::year_month_day ymd{chr::year{year}, chr::month{month}, chr::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return Date(chr::sys_days{ymd}.time_since_epoch().count());
}

Ymd ToYmd(Date date) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{date}}};
  return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day())};
}

std::optional<Date> ParseDate(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  std::string_view rest = text;
  // 20160805
  if (text.size() == 8 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    auto year = TakeNumber(rest, 4, 4);
    auto month = TakeNumber(rest, 2, 2);
    auto day = TakeNumber(rest, 2, 2);
    return MakeDate(*year, unsigned(*month), unsigned(*day));
  }
  auto year = TakeNumber(rest, 4, 4);
  if (!year) return std::nullopt;
  // 2016-08-05, 2016/8/5, 2016年8月5日
  std::string_view sep1, sep2, tail;
  if (TakeLiteral(rest, "-")) {
    sep2 = "-";
  } else if (TakeLiteral(rest, "/")) {
    sep2 = "/";
  } else if (TakeLiteral(rest, "年")) {
    sep2 = "月";
    tail = "日";
  } else {
    return std::nullopt;
  }
  auto month = TakeNumber(rest, 1, 2);
  if (!month || !TakeLiteral(rest, sep2)) return std::nullopt;
  auto day = TakeNumber(rest, 1, 2);
  if (!day) return std::nullopt;
  if (!tail.empty() && !TakeLiteral(rest, tail)) return std::nullopt;
  if (!rest.empty()) return std::nullopt;
  return MakeDate(*year, unsigned(*month), unsigned(*day));
}

std::string FormatDate(Date date) {
  if (date == kNoDate) return "";
  if (date == kForever) return "9999-12-31";
  const Ymd ymd = ToYmd(date);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", ymd.year, ymd.month, ymd.day);
  return buffer;
}

std::optional<Period> ParsePeriod(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  Period period;
  int last_unit = -1;
  while (!text.empty()) {
    auto number = TakeNumber(text, 1, 6);
    if (!number || text.empty()) return std::nullopt;
    const char unit = text.front();
    text.remove_prefix(1);
    const int rank = unit == 'y' ? 0 : unit == 'm' ? 1 : unit == 'd' ? 2 : -1;
    if (rank <= last_unit) return std::nullopt;  // unknown unit, repeated or out of order
    last_unit = rank;
    (rank == 0 ? period.years : rank == 1 ? period.months : period.days) = *number;
  }
  return period;
}

std::string FormatPeriod(const Period& period) {
  std::string out;
  if (period.years) out += std::to_string(period.years) + "y";
  if (period.months) out += std::to_string(period.months) + "m";
  if (period.days || out.empty()) out += std::to_string(period.days) + "d";
  return out;
}

Date AddPeriod(Date date, const Period& period) {
  if (date == kNoDate || date == kForever) return date;
  if (period.years || period.months) {
    chr::year_month_day ymd{chr::sys_days{chr::days{date}}};
    const chr::year_month shifted =
        chr::year_month{ymd.year(), ymd.month()} + chr::years{period.years} +
        chr::months{period.months};
    const chr::day last = chr::year_month_day_last{shifted.year(),
                                                   chr::month_day_last{shifted.month()}}.day();
    const chr::year_month_day moved{shifted.year(), shifted.month(),
                                    ymd.day() > last ? last : ymd.day()};
    date = Date(chr::sys_days{moved}.time_since_epoch().count());
  }
  return date + period.days;
}

double ApproxDays(const Period& period) {
  return 365.0 * period.years + 30.0 * period.months + period.days;
}

}  // namespace cg::core
