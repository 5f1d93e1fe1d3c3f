// creditgraph._core.generate: the synthetic province generator (datasets/generator).
// Thin: converts options, releases the GIL while generating, re-acquires it for progress calls.
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "datasets/generator/generator.h"

namespace py = pybind11;

CG_BIND(generate) {
  m.def(
      "generate",
      [](double scale, std::uint64_t seed, const std::string& out, int threads,
         const std::string& as_of, const std::map<std::string, double>& noise,
         std::optional<py::function> progress) {
        cg::datasets::GenerateOptions options;
        options.scale = scale;
        options.seed = seed;
        options.out_dir = out;
        options.threads = threads;
        options.as_of = as_of;
        auto& rates = options.noise;
        const std::map<std::string, double*> known = {
            {"omit_code", &rates.omit_code},     {"old_code", &rates.old_code},
            {"id15", &rates.id15},               {"typo", &rates.typo},
            {"fullwidth", &rates.fullwidth},     {"suffix", &rates.suffix},
            {"region_prefix", &rates.region_prefix}, {"space", &rates.space},
            {"wrong_check", &rates.wrong_check}, {"branch_swap", &rates.branch_swap},
            {"malformed", &rates.malformed}};
        for (const auto& [key, value] : noise) {
          const auto it = known.find(key);
          if (it == known.end()) {
            throw cg::py_bind::InputError("unknown noise rate '" + key +
                                          "'; known: omit_code, old_code, id15, typo, fullwidth, "
                                          "suffix, region_prefix, space, wrong_check, "
                                          "branch_swap, malformed");
          }
          if (!(value >= 0 && value <= 1)) {
            throw cg::py_bind::InputError("noise rate '" + key + "' must be in [0, 1]");
          }
          *it->second = value;
        }
        cg::datasets::ProgressFn callback;
        if (progress) {
          callback = [&progress](double fraction, std::string_view stage) {
            py::gil_scoped_acquire acquire;
            (*progress)(fraction, std::string(stage));
          };
        }
        absl::StatusOr<cg::datasets::GenerateStats> stats;
        {
          py::gil_scoped_release release;
          stats = cg::datasets::GenerateDataset(options, callback);
        }
        if (!stats.ok()) {
          if (stats.status().code() == absl::StatusCode::kInvalidArgument) {
            throw cg::py_bind::InputError(std::string(stats.status().message()));
          }
          cg::py_bind::ThrowIfError(stats.status());
        }
        py::dict result;
        result["market_entities"] = stats->market_entities;
        result["persons"] = stats->persons;
        result["records"] = stats->records;
        result["mentions"] = stats->mentions;
        result["bytes"] = stats->bytes;
        result["seconds"] = stats->seconds;
        result["records_per_source"] = stats->records_per_source;
        return result;
      },
      py::arg("scale"), py::arg("seed"), py::arg("out"), py::arg("threads") = 0,
      py::arg("as_of") = "2026-06-30", py::arg("noise") = std::map<std::string, double>{},
      py::arg("progress") = py::none(),
      "Writes a synthetic province data set (catalog.md) to `out`; returns counts. "
      "progress(fraction, stage) is called now and then.");
  m.def("source_ids", &cg::datasets::GeneratedSourceIds,
        "The ids of the sources the generator writes.");
}
