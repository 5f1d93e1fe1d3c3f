// The synthetic province generator: writes a data set folder that follows
// shared/spec/catalog.md (catalog.yaml, one file per source, truth/entities.csv and
// truth/mentions.csv) for a scale factor (SF=1 = Shandong). Deterministic: the same seed and
// scale give byte-identical files whatever the thread count. Parallel with TBB: entities are
// processed in chunks whose records depend only on (seed, entity index), and chunks are written
// in order, so memory stays bounded by the chunks in flight. See docs/generator.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cg::datasets {

/// Noise rates of the non-registry sources (the registry is clean). Each is the probability,
/// per identity (subject or party) or per record, that the department wrote it that way.
/// docs/generator.md explains each one.
struct NoiseRates {
  double omit_code = 0.10;      // no code at all, name only
  double old_code = 0.06;       // old reg. no. or organization code instead of the USCC
  double id15 = 0.05;           // a person's old 15-digit ID number (born before 2000)
  double typo = 0.03;           // one similar-looking or same-sounding character replaced
  double fullwidth = 0.02;      // full-width digits and letters in codes and names
  double suffix = 0.05;         // 有限公司 <-> 有限责任公司
  double region_prefix = 0.05;  // region prefix dropped (or 山东省 added)
  double space = 0.02;          // a space inside the name
  double wrong_check = 0.01;    // a code with a wrong check character
  double branch_swap = 0.01;    // a branch named where the parent is meant, and the reverse
  double malformed = 0.002;     // per record: bad date, empty identity, garbage code, dup rid
};

struct GenerateOptions {
  double scale = 0.001;
  std::uint64_t seed = 1;
  std::string out_dir;
  int threads = 0;  // 0: all hardware threads
  NoiseRates noise;
  std::string as_of = "2026-06-30";
  std::string name;  // default "shandong-sf<scale>"
  std::uint32_t chunk_size = 2048;  // entities per chunk (does not change the output)
};

struct GenerateStats {
  std::uint64_t market_entities = 0;
  std::uint64_t persons = 0;
  std::uint64_t records = 0;
  std::uint64_t mentions = 0;
  std::uint64_t bytes = 0;
  std::map<std::string, std::uint64_t> records_per_source;
  double seconds = 0;
};

/// Called from one thread at a time with the fraction done (0..1) and a stage label.
using ProgressFn = std::function<void(double fraction, std::string_view stage)>;

/// Writes the data set into options.out_dir (created if missing; existing files of the same
/// names are overwritten). Fails on a bad option or an I/O error.
absl::StatusOr<GenerateStats> GenerateDataset(const GenerateOptions& options,
                                              const ProgressFn& progress = {});

/// The ids of the sources the generator writes, in catalog order.
std::vector<std::string> GeneratedSourceIds();

}  // namespace cg::datasets
