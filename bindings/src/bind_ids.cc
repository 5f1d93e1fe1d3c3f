// creditgraph._core.ids: batch validation of identifiers (columns of numpy arrays out), masking,
// 15 -> 18 upgrade, the division table. One C++ call per batch, the GIL released while working.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "bindings/src/errors.h"
#include "bindings/src/ids_batch.h"
#include "bindings/src/registry.h"
#include "core/date.h"
#include "core/ids/divisions.h"
#include "core/ids/ids.h"
#include "core/record.h"

namespace py = pybind11;

namespace {

using cg::py_bind::ParallelChunks;
using cg::py_bind::PutAscii;
using cg::py_bind::TextBatch;
using cg::py_bind::BytesArray;

template <typename T>
py::array_t<T> Column(std::size_t size) {
  return py::array_t<T>(static_cast<py::ssize_t>(size));
}

std::int16_t DivisionIndex(const cg::core::Division* division) {
  if (division == nullptr) return -1;
  return static_cast<std::int16_t>(division - cg::core::AllDivisions().data());
}

cg::Date ParseToday(const std::optional<std::string>& today) {
  if (!today) return cg::core::TodayUtc();
  const auto parsed = cg::core::ParseDate(*today);
  if (!parsed) {
    throw cg::py_bind::InputError("today='" + *today +
                                  "' is not a date: give it as YYYY-MM-DD, or leave it out");
  }
  return *parsed;
}

py::dict CheckUscc(const py::object& values, int threads) {
  const TextBatch batch(values);
  const std::size_t n = batch.size();
  py::array normalized = BytesArray(18, n), org_code = BytesArray(9, n),
            division = BytesArray(6, n), authority = BytesArray(1, n),
            org_type = BytesArray(1, n);
  auto status = Column<std::uint8_t>(n), reason = Column<std::uint8_t>(n),
       warnings = Column<std::uint8_t>(n), kind = Column<std::uint8_t>(n),
       division_check = Column<std::uint8_t>(n);
  auto bad_position = Column<std::int8_t>(n);
  auto division_index = Column<std::int16_t>(n);
  auto* normalized_data = static_cast<char*>(normalized.mutable_data());
  auto* org_code_data = static_cast<char*>(org_code.mutable_data());
  auto* division_data = static_cast<char*>(division.mutable_data());
  auto* authority_data = static_cast<char*>(authority.mutable_data());
  auto* org_type_data = static_cast<char*>(org_type.mutable_data());
  auto* status_data = status.mutable_data();
  auto* reason_data = reason.mutable_data();
  auto* warnings_data = warnings.mutable_data();
  auto* kind_data = kind.mutable_data();
  auto* check_data = division_check.mutable_data();
  auto* position_data = bad_position.mutable_data();
  auto* index_data = division_index.mutable_data();
  {
    py::gil_scoped_release release;
    ParallelChunks(n, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const cg::core::UsccResult result = cg::core::ValidateUscc(batch.views[i]);
        PutAscii(normalized_data, 18, i, result.code());
        status_data[i] = std::uint8_t(result.status);
        reason_data[i] = std::uint8_t(result.reason);
        warnings_data[i] = result.warnings;
        position_data[i] = result.bad_position;
        kind_data[i] = std::uint8_t(result.kind_hint);
        check_data[i] = std::uint8_t(result.division_check);
        index_data[i] = result.well_formed() ? DivisionIndex(result.division) : -1;
        if (result.well_formed()) {
          PutAscii(org_code_data, 9, i, result.org_code());
          PutAscii(division_data, 6, i, result.division_code());
          PutAscii(authority_data, 1, i, std::string_view(&result.authority, 1));
          PutAscii(org_type_data, 1, i, std::string_view(&result.org_type, 1));
        }
      }
    });
  }
  py::dict out;
  out["normalized"] = normalized;
  out["status"] = status;
  out["reason"] = reason;
  out["warnings"] = warnings;
  out["bad_position"] = bad_position;
  out["authority"] = authority;
  out["org_type"] = org_type;
  out["kind"] = kind;
  out["division"] = division;
  out["division_check"] = division_check;
  out["division_index"] = division_index;
  out["org_code"] = org_code;
  return out;
}

py::dict CheckIdNumber(const py::object& values, const std::optional<std::string>& today_text,
                       bool mask, int threads) {
  const cg::Date today = ParseToday(today_text);
  const TextBatch batch(values);
  const std::size_t n = batch.size();
  py::array normalized = BytesArray(18, n), division = BytesArray(6, n);
  auto status = Column<std::uint8_t>(n), reason = Column<std::uint8_t>(n),
       warnings = Column<std::uint8_t>(n), division_check = Column<std::uint8_t>(n),
       sex = Column<std::uint8_t>(n);
  auto from_15 = Column<bool>(n);
  auto bad_position = Column<std::int8_t>(n);
  auto division_index = Column<std::int16_t>(n);
  auto sequence = Column<std::int16_t>(n);
  auto birth_date = Column<std::int64_t>(n);  // days since 1970-01-01; INT64_MIN = NaT
  auto* normalized_data = static_cast<char*>(normalized.mutable_data());
  auto* division_data = static_cast<char*>(division.mutable_data());
  auto* status_data = status.mutable_data();
  auto* reason_data = reason.mutable_data();
  auto* warnings_data = warnings.mutable_data();
  auto* check_data = division_check.mutable_data();
  auto* sex_data = sex.mutable_data();
  auto* from_15_data = from_15.mutable_data();
  auto* position_data = bad_position.mutable_data();
  auto* index_data = division_index.mutable_data();
  auto* sequence_data = sequence.mutable_data();
  auto* birth_data = birth_date.mutable_data();
  {
    py::gil_scoped_release release;
    ParallelChunks(n, threads, [&](std::size_t begin, std::size_t end) {
      char masked[cg::core::NormalizedCode::kCapacity];
      for (std::size_t i = begin; i < end; ++i) {
        const cg::core::IdNumberResult result = cg::core::ValidateIdNumber(batch.views[i], today);
        if (mask) {
          const std::size_t length = cg::core::MaskIdNumberTo(result.code(), masked);
          PutAscii(normalized_data, 18, i, std::string_view(masked, length));
        } else {
          PutAscii(normalized_data, 18, i, result.code());
        }
        status_data[i] = std::uint8_t(result.status);
        reason_data[i] = std::uint8_t(result.reason);
        warnings_data[i] = result.warnings;
        position_data[i] = result.bad_position;
        from_15_data[i] = result.from_15;
        const bool formed = result.well_formed();
        check_data[i] = std::uint8_t(result.division_check);
        index_data[i] = formed ? DivisionIndex(result.division) : -1;
        sex_data[i] = std::uint8_t(result.sex);
        sequence_data[i] = formed ? std::int16_t(result.sequence) : std::int16_t(-1);
        birth_data[i] = formed ? std::int64_t(result.birth_date) : INT64_MIN;
        if (formed) PutAscii(division_data, 6, i, result.division_code());
      }
    });
  }
  py::dict out;
  out["normalized"] = normalized;
  out["status"] = status;
  out["reason"] = reason;
  out["warnings"] = warnings;
  out["bad_position"] = bad_position;
  out["from_15"] = from_15;
  out["division"] = division;
  out["division_check"] = division_check;
  out["division_index"] = division_index;
  out["birth_date"] = birth_date;
  out["sequence"] = sequence;
  out["sex"] = sex;
  return out;
}

py::dict CheckOrgCode(const py::object& values, int threads) {
  const TextBatch batch(values);
  const std::size_t n = batch.size();
  py::array normalized = BytesArray(9, n), formatted = BytesArray(10, n);
  auto status = Column<std::uint8_t>(n), reason = Column<std::uint8_t>(n);
  auto bad_position = Column<std::int8_t>(n);
  auto* normalized_data = static_cast<char*>(normalized.mutable_data());
  auto* formatted_data = static_cast<char*>(formatted.mutable_data());
  auto* status_data = status.mutable_data();
  auto* reason_data = reason.mutable_data();
  auto* position_data = bad_position.mutable_data();
  {
    py::gil_scoped_release release;
    ParallelChunks(n, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const cg::core::OrgCodeResult result = cg::core::ValidateOrgCode(batch.views[i]);
        PutAscii(normalized_data, 9, i, result.code());
        status_data[i] = std::uint8_t(result.status);
        reason_data[i] = std::uint8_t(result.reason);
        position_data[i] = result.bad_position;
        if (result.well_formed()) {
          char text[10];
          std::memcpy(text, result.code().data(), 8);
          text[8] = '-';
          text[9] = result.code()[8];
          PutAscii(formatted_data, 10, i, std::string_view(text, 10));
        }
      }
    });
  }
  py::dict out;
  out["normalized"] = normalized;
  out["formatted"] = formatted;
  out["status"] = status;
  out["reason"] = reason;
  out["bad_position"] = bad_position;
  return out;
}

py::dict CheckRegNo(const py::object& values, int threads) {
  const TextBatch batch(values);
  const std::size_t n = batch.size();
  py::array normalized = BytesArray(15, n), division = BytesArray(6, n);
  auto status = Column<std::uint8_t>(n), reason = Column<std::uint8_t>(n),
       warnings = Column<std::uint8_t>(n), kind = Column<std::uint8_t>(n),
       division_check = Column<std::uint8_t>(n);
  auto bad_position = Column<std::int8_t>(n);
  auto division_index = Column<std::int16_t>(n);
  auto* normalized_data = static_cast<char*>(normalized.mutable_data());
  auto* division_data = static_cast<char*>(division.mutable_data());
  auto* status_data = status.mutable_data();
  auto* reason_data = reason.mutable_data();
  auto* warnings_data = warnings.mutable_data();
  auto* kind_data = kind.mutable_data();
  auto* check_data = division_check.mutable_data();
  auto* position_data = bad_position.mutable_data();
  auto* index_data = division_index.mutable_data();
  {
    py::gil_scoped_release release;
    ParallelChunks(n, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        const cg::core::RegNoResult result = cg::core::ValidateRegNo(batch.views[i]);
        PutAscii(normalized_data, 15, i, result.code());
        status_data[i] = std::uint8_t(result.status);
        reason_data[i] = std::uint8_t(result.reason);
        warnings_data[i] = result.warnings;
        position_data[i] = result.bad_position;
        kind_data[i] = std::uint8_t(result.kind_hint);
        check_data[i] = std::uint8_t(result.division_check);
        index_data[i] = result.well_formed() ? DivisionIndex(result.division) : -1;
        if (result.well_formed()) PutAscii(division_data, 6, i, result.division_code());
      }
    });
  }
  py::dict out;
  out["normalized"] = normalized;
  out["status"] = status;
  out["reason"] = reason;
  out["warnings"] = warnings;
  out["bad_position"] = bad_position;
  out["kind"] = kind;
  out["division"] = division;
  out["division_check"] = division_check;
  out["division_index"] = division_index;
  return out;
}

// Applies fn(view) -> std::string to every item; missing items stay None.
template <typename Fn>
py::list MapStrings(const py::object& values, Fn&& fn) {
  const TextBatch batch(values);
  std::vector<std::string> results(batch.size());
  {
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!batch.missing[i]) results[i] = fn(batch.views[i]);
    }
  }
  py::list out(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (batch.missing[i]) {
      out[i] = py::none();
    } else {
      out[i] = py::str(results[i]);
    }
  }
  return out;
}

}  // namespace

CG_BIND(ids) {
  m.def("check_uscc", &CheckUscc, py::arg("values"), py::arg("threads") = 0,
        "Validates a sequence of USCCs (GB 32100); returns a dict of numpy columns.");
  m.def("check_id_number", &CheckIdNumber, py::arg("values"), py::arg("today") = py::none(),
        py::arg("mask") = false, py::arg("threads") = 0,
        "Validates resident ID numbers (GB 11643); 15-digit ones are upgraded to 18.");
  m.def("check_org_code", &CheckOrgCode, py::arg("values"), py::arg("threads") = 0,
        "Validates organization codes (GB 11714), with or without the hyphen.");
  m.def("check_reg_no", &CheckRegNo, py::arg("values"), py::arg("threads") = 0,
        "Validates 15-digit business registration numbers (ISO 7064 MOD 11,10).");
  m.def(
      "upgrade_id_15_to_18",
      [](const py::object& values) {
        return MapStrings(values, [](std::string_view text) {
          return cg::core::UpgradeIdNumber15To18(text);
        });
      },
      py::arg("values"), "18-digit forms of 15-digit ID numbers ('' where not 15 digits).");
  m.def(
      "mask_id_number",
      [](const py::object& values) {
        return MapStrings(values,
                          [](std::string_view text) { return cg::core::MaskIdNumber(text); });
      },
      py::arg("values"), "Masks ID numbers: first 6 and last 4 kept (370102********1234).");
  m.def(
      "normalize_code",
      [](const py::object& values) {
        return MapStrings(values, [](std::string_view text) {
          return std::string(cg::core::NormalizeCode(text).view());
        });
      },
      py::arg("values"), "Normalized input forms (full-width, case, spaces, hyphens).");
  m.def("is_valid_uscc", [](std::string_view code) { return cg::core::IsValidUscc(code); },
        py::arg("code"));
  m.def(
      "is_valid_id_number",
      [](std::string_view code, const std::optional<std::string>& today) {
        return cg::core::IsValidIdNumber(code, ParseToday(today));
      },
      py::arg("code"), py::arg("today") = py::none());

  // Code tables, so Python can turn the integer columns into categoricals.
  m.def("status_names", [] {
    std::vector<std::string> names;
    for (int value = 0; value <= 2; ++value) {
      names.emplace_back(cg::core::ToString(static_cast<cg::core::IdStatus>(value)));
    }
    return names;
  });
  m.def("reason_names", [] {
    std::vector<std::string> names;
    for (int value = 0; value <= int(cg::core::IdReason::kOrgCodeCheckChar); ++value) {
      names.emplace_back(cg::core::ToString(static_cast<cg::core::IdReason>(value)));
    }
    return names;
  });
  m.def("reason_text", [](const std::string& reason) -> std::string {
    for (int value = 0; value <= int(cg::core::IdReason::kOrgCodeCheckChar); ++value) {
      const auto code = static_cast<cg::core::IdReason>(value);
      if (cg::core::ToString(code) == reason) return std::string(cg::core::ReasonText(code));
    }
    return "";
  });
  m.def("division_check_names", [] {
    std::vector<std::string> names;
    for (int value = 0; value <= 3; ++value) {
      names.emplace_back(cg::core::ToString(static_cast<cg::core::DivisionCheck>(value)));
    }
    return names;
  });
  m.def("kind_names", [] {
    std::vector<std::string> names;
    for (int value = 0; value <= int(cg::core::EntityKind::kPerson); ++value) {
      const auto kind = static_cast<cg::core::EntityKind>(value);
      names.emplace_back(kind == cg::core::EntityKind::kUnknown ? ""
                                                                 : cg::core::ToString(kind));
    }
    return names;
  });
  m.def("warnings_to_string", [](int bits) {
    return cg::core::WarningsToString(static_cast<std::uint8_t>(bits));
  });
  m.def("uscc_authority_name", [](const std::string& authority) {
    return std::string(authority.size() == 1 ? cg::core::UsccAuthorityName(authority[0]) : "");
  });
  m.def("uscc_org_type_name", [](const std::string& authority, const std::string& type) {
    if (authority.size() != 1 || type.size() != 1) return std::string();
    return std::string(cg::core::UsccOrgTypeName(authority[0], type[0]));
  });
  m.def(
      "divisions",
      [] {
        py::dict out;
        py::list code, name, short_name, level, parent, current, successor;
        static const char* kLevels[] = {"province", "prefecture", "county"};
        for (const cg::core::Division& division : cg::core::AllDivisions()) {
          code.append(std::string(division.code));
          name.append(std::string(division.name));
          short_name.append(std::string(division.short_name));
          level.append(kLevels[int(division.level)]);
          parent.append(std::string(division.parent));
          current.append(division.current);
          successor.append(std::string(division.successor));
        }
        out["code"] = code;
        out["name"] = name;
        out["short_name"] = short_name;
        out["level"] = level;
        out["parent"] = parent;
        out["current"] = current;
        out["successor"] = successor;
        return out;
      },
      "The embedded GB/T 2260 table, in code order (the order of division_index).");
}
