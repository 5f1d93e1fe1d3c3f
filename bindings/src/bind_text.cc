// creditgraph._core.text: batch name normalization and organization-name parsing. One C++ call
// per batch, the GIL released while working (TBB across cores for large batches).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bindings/src/ids_batch.h"
#include "bindings/src/registry.h"
#include "core/text/normalize.h"
#include "core/text/org_name.h"

namespace py = pybind11;

namespace {

using cg::py_bind::ParallelChunks;
using cg::py_bind::TextBatch;

py::list ToList(const std::vector<std::string>& values, const std::vector<std::uint8_t>& missing) {
  py::list out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (missing[i]) {
      out[i] = py::none();
    } else {
      PyObject* text = PyUnicode_DecodeUTF8(values[i].data(), Py_ssize_t(values[i].size()),
                                            "replace");
      if (text == nullptr) throw py::error_already_set();
      PyList_SET_ITEM(out.ptr(), Py_ssize_t(i), text);  // steals; replaces the None placeholder
    }
  }
  return out;
}

template <typename Fn>
py::list MapNames(const py::object& values, int threads, Fn&& fn) {
  const TextBatch batch(values);
  std::vector<std::string> results(batch.size());
  {
    py::gil_scoped_release release;
    ParallelChunks(batch.size(), threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if (!batch.missing[i]) fn(batch.views[i], results[i]);
      }
    });
  }
  return ToList(results, batch.missing);
}

py::dict ParseOrgNames(const py::object& values, int threads) {
  const TextBatch batch(values);
  const std::size_t n = batch.size();
  std::vector<cg::core::OrgNameParts> parts(n);
  {
    py::gil_scoped_release release;
    ParallelChunks(n, threads, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if (!batch.missing[i]) cg::core::ParseOrgName(batch.views[i], parts[i]);
      }
    });
  }
  auto column = [&](std::string cg::core::OrgNameParts::*field) {
    std::vector<std::string> texts(n);
    for (std::size_t i = 0; i < n; ++i) texts[i] = std::move(parts[i].*field);
    return ToList(texts, batch.missing);
  };
  py::dict out;
  out["canonical"] = column(&cg::core::OrgNameParts::canonical);
  out["key"] = column(&cg::core::OrgNameParts::key);
  out["region"] = column(&cg::core::OrgNameParts::region);
  out["region_code"] = column(&cg::core::OrgNameParts::region_code);
  out["trade_name"] = column(&cg::core::OrgNameParts::trade_name);
  out["industry"] = column(&cg::core::OrgNameParts::industry);
  out["form"] = column(&cg::core::OrgNameParts::form);
  out["branch"] = column(&cg::core::OrgNameParts::branch);
  out["branch_marker"] = column(&cg::core::OrgNameParts::branch_marker);
  out["branch_region_code"] = column(&cg::core::OrgNameParts::branch_region_code);
  out["parent_canonical"] = column(&cg::core::OrgNameParts::parent_canonical);
  py::array_t<bool> is_branch(static_cast<py::ssize_t>(n));
  auto* is_branch_data = is_branch.mutable_data();
  for (std::size_t i = 0; i < n; ++i) is_branch_data[i] = parts[i].is_branch;
  out["is_branch"] = is_branch;
  return out;
}

std::vector<std::string> ToStrings(std::span<const std::string_view> words) {
  return {words.begin(), words.end()};
}

}  // namespace

CG_BIND(text) {
  m.def(
      "normalize_text",
      [](const py::object& values, bool upper_ascii, bool drop_all_spaces, int threads) {
        const cg::core::TextOptions options{.upper_ascii = upper_ascii,
                                            .drop_all_spaces = drop_all_spaces};
        return MapNames(values, threads, [&](std::string_view text, std::string& out) {
          cg::core::NormalizeText(text, out, options);
        });
      },
      py::arg("values"), py::arg("upper_ascii") = false, py::arg("drop_all_spaces") = false,
      py::arg("threads") = 0, "NFKC, Traditional->Simplified, brackets, punctuation, spaces.");
  m.def(
      "normalize_person_name",
      [](const py::object& values, int threads) {
        return MapNames(values, threads, [](std::string_view text, std::string& out) {
          cg::core::NormalizePersonName(text, out);
        });
      },
      py::arg("values"), py::arg("threads") = 0, "Person names: dots and spaces unified.");
  m.def(
      "org_name_key",
      [](const py::object& values, int threads) {
        return MapNames(values, threads, [](std::string_view text, std::string& out) {
          cg::core::OrgNameKey(text, out);
        });
      },
      py::arg("values"), py::arg("threads") = 0, "Blocking keys: canonical name without region.");
  m.def("parse_org_names", &ParseOrgNames, py::arg("values"), py::arg("threads") = 0,
        "Canonical organization names and their parts; a dict of columns.");
  m.def("industry_words", [] { return ToStrings(cg::core::IndustryWords()); });
  m.def("branch_markers", [] { return ToStrings(cg::core::BranchMarkers()); });
  m.def("ambiguous_branch_markers", [] { return ToStrings(cg::core::AmbiguousBranchMarkers()); });
  m.def("org_forms", [] {
    std::vector<std::pair<std::string, std::string>> forms;
    for (const auto& form : cg::core::OrgForms()) {
      forms.emplace_back(std::string(form.variant), std::string(form.canonical));
    }
    return forms;
  });
}
