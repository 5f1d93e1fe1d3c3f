// creditgraph._core.date: the contract's date parsing, for Python-side checks and tests.
#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/date.h"

#include <pybind11/stl.h>

CG_BIND(date) {
  m.def(
      "parse", [](std::string_view text) -> std::optional<std::string> {
        auto date = cg::core::ParseDate(text);
        if (!date) return std::nullopt;
        return cg::core::FormatDate(*date);
      },
      "Parses one of the four date forms of catalog.md §3; returns ISO text or None.");
  m.def(
      "add_period", [](std::string_view iso, std::string_view period) {
        auto date = cg::core::ParseDate(iso);
        auto parsed = cg::core::ParsePeriod(period);
        if (!date || !parsed) throw cg::py_bind::InputError("bad date or period");
        return cg::core::FormatDate(cg::core::AddPeriod(*date, *parsed));
      },
      "Adds a period such as '3y', '6m', '90d' with the calendar rules of measures.md §3.");
}
