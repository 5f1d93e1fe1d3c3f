// creditgraph._core: creates one submodule per registered binding area (see registry.h) and
// the exception translation shared by all of them.
#include <pybind11/pybind11.h>

#include <algorithm>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"

namespace py = pybind11;

namespace cg::py_bind {
std::vector<BindEntry>& Registry() {
  static std::vector<BindEntry> entries;
  return entries;
}
}  // namespace cg::py_bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "CreditGraph's C++ engine (private; use the creditgraph package)";
  cg::py_bind::RegisterErrors(m);
  auto entries = cg::py_bind::Registry();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& entry : entries) {
    py::module_ sub = m.def_submodule(entry.name.c_str());
    entry.fn(sub);
  }
}
