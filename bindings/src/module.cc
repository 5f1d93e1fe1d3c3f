// creditgraph._core: creates one submodule per registered binding area (see registry.h) and
// the exception translation shared by all of them.
#include <pybind11/pybind11.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <memory>

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
  // One process-wide cap on the engine's worker threads (TBB), e.g. for a notebook on a shared
  // server, or to time a kernel on one core.
  m.def(
      "set_threads",
      [](int threads) {
        static std::unique_ptr<tbb::global_control> control;
        control.reset();
        if (threads < 0) throw py::value_error("set_threads: the thread count must be 0 (all cores) or more");
        if (threads > 0) {
          control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                          static_cast<std::size_t>(threads));
        }
        return static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
      },
      py::arg("threads"),
      "Caps the engine's worker threads at `threads` (0: as many as the machine has); returns the cap in force.");
  m.def("cores", [] { return tbb::info::default_concurrency(); }, "The number of threads the engine uses by default.");
}
