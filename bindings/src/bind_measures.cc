// creditgraph._core.measures: the measures catalog and its propagation (measures.md), thin.
// Columns go in and out as Python lists / numpy arrays; creditgraph.measures makes DataFrames.
// Dates cross the boundary as ISO text ("" for none). The GIL is released around long calls.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bindings/src/errors.h"
#include "bindings/src/registry.h"
#include "core/labels.h"
#include "core/measures/catalog.h"
#include "core/measures/graph_build.h"
#include "core/measures/pattern_syntax.h"
#include "core/measures/propagate.h"
#include "graph/csr_builder.h"

namespace py = pybind11;
namespace ms = cg::core::measures;

namespace {

cg::Date DateIn(const std::string& text, const char* what) {
  if (text.empty()) return cg::kNoDate;
  auto date = cg::core::ParseDate(text);
  if (!date) throw cg::py_bind::InputError(std::string("bad date '") + text + "' for " + what);
  return *date;
}
std::string DateOut(cg::Date date) {
  if (date == cg::kForever || date == cg::kNoDate) return "";
  return cg::core::FormatDate(date);
}

ms::Catalog CatalogFrom(const std::string& text) {
  auto catalog = ms::ParseCatalog(text);
  cg::py_bind::ThrowIfError(catalog.status());
  return *std::move(catalog);
}

py::dict CatalogSummary(const ms::Catalog& catalog) {
  py::list measures;
  for (const ms::Measure& measure : catalog.measures) {
    py::dict row;
    row["id"] = measure.id;
    row["name"] = measure.name;
    row["basis"] = measure.basis;
    row["effect"] = std::string(ms::ToString(measure.effect));
    row["domain"] = measure.domain;
    row["trigger"] = std::string(ms::ToString(measure.trigger.kind));
    std::vector<std::string> reach;
    for (const ms::Reach& item : measure.reach) reach.push_back(ms::FormatPattern(item.pattern));
    row["reach"] = reach;
    row["lasts"] = measure.lasts_listed ? std::string("listed") : cg::core::FormatPeriod(measure.lasts);
    measures.append(row);
  }
  py::dict out;
  out["max_years"] = catalog.max_years;
  out["key_supervision_min_domains"] = catalog.key_supervision_min_domains;
  out["escalations"] = catalog.escalations.size();
  out["measures"] = measures;
  return out;
}

/// Column-wise restrictions for pandas.
py::dict Columns(const ms::MeasureEngine& engine, const std::vector<ms::Restriction>& rows) {
  std::vector<std::uint32_t> entity, subject;
  std::vector<std::string> measure, effect, domain, trigger_kind, code, escalated_from, source,
      rid, start, end;
  std::vector<bool> withheld;
  std::vector<std::vector<std::uint32_t>> path_nodes;
  std::vector<std::vector<std::string>> path_steps;
  for (const ms::Restriction& row : rows) {
    const ms::Measure& info = engine.catalog().measures[row.measure];
    entity.push_back(row.entity);
    subject.push_back(row.trigger->subject);
    measure.push_back(info.id);
    effect.push_back(std::string(ms::ToString(row.effect)));
    domain.push_back(info.domain);
    trigger_kind.push_back(std::string(ms::ToString(row.trigger->kind)));
    code.push_back(row.trigger->code);
    escalated_from.push_back(row.trigger->escalated_from);
    source.push_back(row.trigger->source);
    rid.push_back(row.trigger->rid);
    start.push_back(DateOut(row.start));
    end.push_back(DateOut(row.end));
    withheld.push_back(row.withheld);
    path_nodes.emplace_back(row.path_nodes.begin(), row.path_nodes.end());
    std::vector<std::string> steps;
    for (std::size_t step = 0; step + 1 < row.path_nodes.size(); ++step) {
      steps.push_back(engine.StepText(row, step));
    }
    path_steps.push_back(std::move(steps));
  }
  py::dict out;
  out["entity"] = entity;
  out["measure"] = measure;
  out["effect"] = effect;
  out["domain"] = domain;
  out["trigger_kind"] = trigger_kind;
  out["trigger_code"] = code;
  out["escalated_from"] = escalated_from;
  out["source"] = source;
  out["rid"] = rid;
  out["subject"] = subject;
  out["start"] = start;
  out["end"] = end;
  out["withheld"] = withheld;
  out["path_nodes"] = path_nodes;
  out["path_steps"] = path_steps;
  return out;
}

template <typename T>
py::array_t<T> ArrayOf(const std::vector<T>& values) {
  py::array_t<T> out(py::ssize_t(values.size()));
  std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

/// Strings as Arrow large_string buffers: (int64 offsets, uint8 UTF-8 bytes).
struct StringBuffers {
  std::vector<std::int64_t> offsets{0};
  std::string bytes;
  void Add(std::string_view text) {
    bytes.append(text);
    offsets.push_back(std::int64_t(bytes.size()));
  }
  py::tuple Release() const {
    py::array_t<std::uint8_t> data(py::ssize_t(bytes.size()));
    std::copy(bytes.begin(), bytes.end(), data.mutable_data());
    return py::make_tuple(ArrayOf(offsets), data);
  }
};

/// A text column dictionary-encoded: (int32 codes, category offsets, category bytes).
py::tuple EncodedOf(const std::vector<std::string_view>& values) {
  absl::flat_hash_map<std::string_view, std::int32_t> ids;
  py::array_t<std::int32_t> codes(py::ssize_t(values.size()));
  std::int32_t* out = codes.mutable_data();
  StringBuffers categories;
  for (std::size_t row = 0; row < values.size(); ++row) {
    auto [it, inserted] = ids.try_emplace(values[row], std::int32_t(ids.size()));
    if (inserted) categories.Add(values[row]);
    out[row] = it->second;
  }
  py::tuple pair = categories.Release();
  return py::make_tuple(codes, pair[0], pair[1]);
}

/// ISO dates of a date column, dictionary-encoded as EncodedOf ("" for open or none).
py::tuple DatesOf(const std::vector<cg::Date>& values) {
  absl::flat_hash_map<cg::Date, std::int32_t> ids;
  py::array_t<std::int32_t> codes(py::ssize_t(values.size()));
  std::int32_t* out = codes.mutable_data();
  StringBuffers categories;
  for (std::size_t row = 0; row < values.size(); ++row) {
    auto [it, inserted] = ids.try_emplace(values[row], std::int32_t(ids.size()));
    if (inserted) categories.Add(DateOut(values[row]));
    out[row] = it->second;
  }
  py::tuple pair = categories.Release();
  return py::make_tuple(codes, pair[0], pair[1]);
}

/// The restrictions as columns for pandas: numbers as numpy arrays, text dictionary-encoded
/// (EncodedOf), the path text ("E1 -legal_rep-> P7") as string buffers; node names from
/// `names` (a list of str by node id) or, when None, the node ids in decimal.
py::dict TableColumns(const ms::MeasureEngine& engine, const ms::RestrictionTable& table,
                      const py::object& names) {
  const ms::Catalog& catalog = engine.catalog();
  py::dict out;
  out["entity"] = ArrayOf(table.entity);
  out["subject"] = ArrayOf(table.subject);
  out["measure"] = ArrayOf(table.measure);
  py::list measure_ids, effects, domains;
  for (const ms::Measure& measure : catalog.measures) {
    measure_ids.append(measure.id);
    effects.append(std::string(ms::ToString(measure.effect)));
    domains.append(measure.domain);
  }
  out["measure_ids"] = measure_ids;
  out["measure_effects"] = effects;
  out["measure_domains"] = domains;
  {
    py::array_t<bool> withheld(py::ssize_t(table.size()));
    bool* data = withheld.mutable_data();
    for (std::size_t row = 0; row < table.size(); ++row) data[row] = table.withheld[row] != 0;
    out["withheld"] = withheld;
  }
  out["start"] = DatesOf(table.start);
  out["end"] = DatesOf(table.end);
  {
    std::vector<std::string_view> kinds(table.size());
    for (std::size_t row = 0; row < table.size(); ++row) kinds[row] = ms::ToString(table.trigger_kind[row]);
    out["trigger_kind"] = EncodedOf(kinds);
  }
  out["trigger_code"] = EncodedOf(table.code);
  out["escalated_from"] = EncodedOf(table.escalated_from);
  out["source"] = EncodedOf(table.source);
  out["rid"] = EncodedOf(table.rid);
  // Path text: the step labels of each (measure, reach), the node names by id.
  std::vector<std::vector<std::vector<std::string>>> steps(catalog.measures.size());
  for (std::size_t index = 0; index < catalog.measures.size(); ++index) {
    for (const ms::Reach& reach : catalog.measures[index].reach) {
      std::vector<std::string>& labels = steps[index].emplace_back();
      for (const cg::PatternStep& step : reach.pattern.steps) labels.push_back(ms::StepLabelText(step));
    }
  }
  std::vector<std::string_view> node_names;
  if (!names.is_none()) {
    auto list = py::reinterpret_borrow<py::list>(names);
    node_names.resize(table.path_nodes.size());
    for (std::size_t at = 0; at < table.path_nodes.size(); ++at) {
      const std::size_t node = table.path_nodes[at];
      if (node >= list.size()) throw cg::py_bind::InputError("node names shorter than the graph");
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(list[node].ptr(), &size);
      if (text == nullptr) throw py::error_already_set();
      node_names[at] = std::string_view(text, std::size_t(size));
    }
  }
  StringBuffers paths;
  paths.offsets.reserve(table.size() + 1);
  paths.bytes.reserve(table.size() * 40);
  for (std::size_t row = 0; row < table.size(); ++row) {
    const std::vector<std::string>& labels = steps[table.measure[row]][table.reach[row]];
    for (std::uint32_t at = table.path_offsets[row]; at < table.path_offsets[row + 1]; ++at) {
      const std::size_t step = at - table.path_offsets[row];
      if (step > 0) {
        paths.bytes += " -";
        paths.bytes += labels[step - 1];
        paths.bytes += "-> ";
      }
      if (names.is_none()) {
        char digits[16];
        const auto done = std::to_chars(digits, digits + sizeof digits, table.path_nodes[at]);
        paths.bytes.append(digits, done.ptr);
      } else {
        paths.bytes += node_names[at];
      }
    }
    paths.offsets.push_back(std::int64_t(paths.bytes.size()));
  }
  out["path"] = paths.Release();
  return out;
}

cg::core::EntityKind KindIn(const std::string& text) {
  if (text.empty()) return cg::core::EntityKind::kUnknown;
  auto kind = cg::core::ParseEntityKind(text);
  if (!kind) throw cg::py_bind::InputError("unknown entity kind '" + text + "'");
  return *kind;
}

cg::Tag TagIn(cg::core::EdgeLabel label, const std::string& text) {
  if (text.empty()) return 0;
  if (label == cg::core::EdgeLabel::kOfficer) {
    auto role = cg::core::ParseOfficerRole(text);
    if (!role) throw cg::py_bind::InputError("unknown officer role '" + text + "'");
    return cg::Tag(*role);
  }
  if (label == cg::core::EdgeLabel::kController) {
    if (text == "declared") return cg::Tag(cg::core::ControllerTag::kDeclared);
    if (text == "derived") return cg::Tag(cg::core::ControllerTag::kDerived);
    throw cg::py_bind::InputError("controller tag must be declared or derived, got '" + text + "'");
  }
  return 0;
}

cg::core::Severity SeverityIn(const std::string& text) {
  auto severity = cg::core::ParseSeverity(text);
  if (!severity) throw cg::py_bind::InputError("unknown severity '" + text + "'");
  return *severity;
}

// ---- trigger columns (propagate): numpy arrays and dictionary-encoded text

std::size_t Rows(const py::dict& table, const char* column) {
  if (!table.contains(column)) return 0;
  return py::len(table[column]);
}

/// A numeric column (any array-like), copied out of a contiguous numpy array of T.
template <typename T>
std::vector<T> Numbers(py::handle value, const char* column) {
  auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(value);
  if (!array) throw cg::py_bind::InputError(std::string("column '") + column + "' is not numeric");
  const T* data = array.data();
  return std::vector<T>(data, data + array.size());
}

/// Dictionary-encoded text: row i is categories[codes[i]], "" when codes[i] < 0.
struct TextColumn {
  std::vector<std::int32_t> codes;
  std::vector<std::string> categories;
  const std::string& At(std::size_t row) const {
    static const std::string kEmpty;
    return codes[row] < 0 ? kEmpty : categories[codes[row]];
  }
  /// True when no two rows have the same text (and none is missing).
  bool AllDistinct() const {
    if (codes.size() > categories.size()) return false;
    std::vector<bool> seen(categories.size(), false);
    for (const std::int32_t code : codes) {
      if (code < 0 || seen[std::size_t(code)]) return false;
      seen[std::size_t(code)] = true;
    }
    return true;
  }
};

/// A text column given as (int32 codes, categories) or, the slow form, as a sequence of str.
TextColumn TextOf(py::handle value, const char* column, std::size_t rows) {
  TextColumn out;
  if (value.is_none()) {
    out.codes.assign(rows, -1);
    return out;
  }
  if (py::isinstance<py::tuple>(value)) {
    auto pair = py::reinterpret_borrow<py::tuple>(value);
    if (pair.size() != 2) {
      throw cg::py_bind::InputError(std::string("column '") + column +
                                    "': expected (codes, categories)");
    }
    out.codes = Numbers<std::int32_t>(pair[0], column);
    out.categories = pair[1].cast<std::vector<std::string>>();
  } else {
    absl::flat_hash_map<std::string, std::int32_t> seen;
    for (py::handle item : value) {
      auto text = item.cast<std::string>();
      auto [it, inserted] = seen.try_emplace(text, std::int32_t(out.categories.size()));
      if (inserted) out.categories.push_back(std::move(text));
      out.codes.push_back(it->second);
    }
  }
  if (out.codes.size() != rows) {
    throw cg::py_bind::InputError(std::string("column '") + column + "' has " +
                                  std::to_string(out.codes.size()) + " rows, expected " +
                                  std::to_string(rows));
  }
  for (const std::int32_t code : out.codes) {
    if (code >= std::int32_t(out.categories.size())) {
      throw cg::py_bind::InputError(std::string("column '") + column + "': code outside its categories");
    }
  }
  return out;
}

TextColumn Text(const py::dict& table, const char* column, std::size_t rows) {
  if (!table.contains(column)) return TextOf(py::none(), column, rows);
  return TextOf(table[column], column, rows);
}

std::vector<std::uint32_t> Subjects(const py::dict& table, const char* column, std::size_t rows,
                                    std::uint32_t num_nodes) {
  if (rows == 0) return {};
  auto values = Numbers<std::uint32_t>(table[column], column);
  for (const std::uint32_t value : values) {
    if (value >= num_nodes) throw cg::py_bind::InputError(std::string(column) + " outside 0..num_nodes-1");
  }
  return values;
}

/// Dates: an int32 array of days since 1970-01-01 (INT32_MIN for none), or dictionary-encoded
/// ISO text (each distinct text parsed once).
std::vector<cg::Date> Dates(const py::dict& table, const char* column, std::size_t rows) {
  if (!table.contains(column)) return std::vector<cg::Date>(rows, cg::kNoDate);
  py::object value = table[column];
  if (py::isinstance<py::tuple>(value)) {
    TextColumn text = Text(table, column, rows);
    std::vector<cg::Date> parsed;
    for (const std::string& category : text.categories) parsed.push_back(DateIn(category, column));
    std::vector<cg::Date> out(rows);
    for (std::size_t row = 0; row < rows; ++row) {
      out[row] = text.codes[row] < 0 ? cg::kNoDate : parsed[text.codes[row]];
    }
    return out;
  }
  auto out = Numbers<cg::Date>(value, column);
  if (out.size() != rows) {
    throw cg::py_bind::InputError(std::string("column '") + column + "' has the wrong length");
  }
  return out;
}

std::vector<std::uint8_t> Flags(const py::dict& table, const char* column, std::size_t rows) {
  if (!table.contains(column)) return std::vector<std::uint8_t>(rows, 0);
  auto out = Numbers<std::uint8_t>(table[column], column);
  if (out.size() != rows) {
    throw cg::py_bind::InputError(std::string("column '") + column + "' has the wrong length");
  }
  return out;
}

/// CG_MEASURES_TRACE=1: the wall time of each step of the engine's construction to stderr.
class BuildClock {
 public:
  BuildClock() : enabled_(std::getenv("CG_MEASURES_TRACE") != nullptr), last_(Clock::now()) {}
  void Phase(const char* name) {
    if (!enabled_) return;
    const auto now = Clock::now();
    std::fprintf(stderr, "construct %-16s %8.1f ms wall\n", name,
                 std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point last_;
};

/// A contiguous numpy array of T (converted only if it is not one already), read in place.
template <typename T>
py::array_t<T, py::array::c_style | py::array::forcecast> ArrayIn(py::handle value,
                                                                  const char* column) {
  auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(value);
  if (!array) throw cg::py_bind::InputError(std::string("column '") + column + "' is not numeric");
  return array;
}

/// An edge text column as (codes read in place, categories); None: every code -1.
struct EdgeText {
  py::array_t<std::int32_t, py::array::c_style | py::array::forcecast> codes;
  std::vector<std::string> categories;
};
EdgeText EdgeTextIn(py::handle value, const char* column, std::size_t rows) {
  EdgeText out;
  if (!value.is_none() && py::isinstance<py::tuple>(value) &&
      py::len(py::reinterpret_borrow<py::tuple>(value)) == 2) {
    auto pair = py::reinterpret_borrow<py::tuple>(value);
    out.codes = ArrayIn<std::int32_t>(pair[0], column);
    out.categories = pair[1].cast<std::vector<std::string>>();
  } else {  // None or a sequence of str: encoded here (the slow form)
    TextColumn text = TextOf(value, column, rows);
    out.codes = py::array_t<std::int32_t>(py::ssize_t(text.codes.size()), text.codes.data());
    out.categories = std::move(text.categories);
  }
  if (std::size_t(out.codes.size()) != rows) {
    throw cg::py_bind::InputError(std::string("column '") + column + "' has " +
                                  std::to_string(out.codes.size()) + " rows, expected " +
                                  std::to_string(rows));
  }
  return out;
}

/// The engine over a graph given as columns: tails/heads (uint32 node ids), labels and tags
/// (dictionary-encoded text or sequences of str), values (float32), kinds per node (encoded
/// text or sequence of str; "" or a missing code for unknown). Each distinct label, tag and
/// kind is parsed once; the rows are read in place from the numpy arrays and turned into
/// edge records in parallel (GIL released), then the CSR and the engine are built.
std::unique_ptr<ms::MeasureEngine> MakeEngine(const std::string& catalog_text, std::uint32_t num_nodes,
                                              const py::object& tails_in, const py::object& heads_in,
                                              const py::object& labels_in, const py::object& tags_in,
                                              const py::object& values_in, const py::object& kinds_in) {
  BuildClock clock;
  ms::Catalog catalog = CatalogFrom(catalog_text);
  const auto tails = ArrayIn<std::uint32_t>(tails_in, "tail");
  const auto heads = ArrayIn<std::uint32_t>(heads_in, "head");
  const std::size_t rows = std::size_t(tails.size());
  const EdgeText labels = EdgeTextIn(labels_in, "label", rows);
  const EdgeText tags = EdgeTextIn(tags_in, "tag", rows);
  const auto values = ArrayIn<float>(values_in, "value");
  if (std::size_t(heads.size()) != rows || std::size_t(values.size()) != rows) {
    throw cg::py_bind::InputError("edge columns tail, head, label, tag, value differ in length");
  }
  // Each distinct label, and each distinct tag for the labels that use one (officer roles,
  // controller kinds), parsed once; a bad tag is an error only if an edge of that label has it.
  constexpr std::int32_t kBadLabel = -1;
  std::vector<std::int32_t> label_of(labels.categories.size(), kBadLabel);
  for (std::size_t code = 0; code < labels.categories.size(); ++code) {
    if (auto label = cg::core::ParseEdgeLabel(labels.categories[code])) {
      label_of[code] = std::int32_t(*label);
    }
  }
  constexpr int kBadTag = -1;
  std::vector<int> role_of(tags.categories.size()), control_of(tags.categories.size());
  for (std::size_t code = 0; code < tags.categories.size(); ++code) {
    auto parse = [&](cg::core::EdgeLabel label) {
      try {
        return int(TagIn(label, tags.categories[code]));
      } catch (const cg::py_bind::InputError&) {
        return kBadTag;
      }
    };
    role_of[code] = parse(cg::core::EdgeLabel::kOfficer);
    control_of[code] = parse(cg::core::EdgeLabel::kController);
  }
  const cg::core::EntityKind unknown = cg::core::EntityKind::kUnknown;
  std::vector<cg::core::EntityKind> node_kinds(num_nodes, unknown);
  if (!kinds_in.is_none()) {
    const std::size_t count = py::isinstance<py::tuple>(kinds_in)
                                  ? py::len(py::reinterpret_borrow<py::tuple>(kinds_in)[0])
                                  : py::len(kinds_in);
    const TextColumn kinds = TextOf(kinds_in, "kind", count);
    std::vector<cg::core::EntityKind> kind_of;
    for (const std::string& text : kinds.categories) kind_of.push_back(KindIn(text));
    for (std::size_t index = 0; index < count && index < num_nodes; ++index) {
      if (kinds.codes[index] >= 0) node_kinds[index] = kind_of[kinds.codes[index]];
    }
  }
  clock.Phase("columns");
  const std::uint32_t* tail = tails.data();
  const std::uint32_t* head = heads.data();
  const std::int32_t* label_code = labels.codes.data();
  const std::int32_t* tag_code = tags.codes.data();
  const float* value = values.data();
  const auto num_labels = std::int32_t(labels.categories.size());
  const auto num_tags = std::int32_t(tags.categories.size());
  std::unique_ptr<ms::MeasureEngine> engine;
  {
    py::gil_scoped_release release;
    // The edge records, in parallel; the first bad row (if any) is reported after the loop.
    std::vector<cg::EdgeInput> edges(rows);
    std::atomic<std::size_t> first_bad{rows};
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, rows, 1 << 15),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t index = range.begin(); index != range.end(); ++index) {
            const std::int32_t code = label_code[index];
            const std::int32_t parsed = code >= 0 && code < num_labels ? label_of[code] : kBadLabel;
            const std::int32_t tag_at = tag_code[index];
            bool bad = parsed == kBadLabel || tail[index] >= num_nodes ||
                       head[index] >= num_nodes || tag_at >= num_tags;
            cg::Tag tag = 0;
            if (!bad && tag_at >= 0) {
              const auto label = cg::core::EdgeLabel(parsed);
              if (label == cg::core::EdgeLabel::kOfficer) {
                bad = role_of[tag_at] == kBadTag;
                tag = cg::Tag(role_of[tag_at]);
              } else if (label == cg::core::EdgeLabel::kController) {
                bad = control_of[tag_at] == kBadTag;
                tag = cg::Tag(control_of[tag_at]);
              }
            }
            if (bad) {
              std::size_t seen = first_bad.load(std::memory_order_relaxed);
              while (index < seen && !first_bad.compare_exchange_weak(seen, index)) {
              }
              continue;
            }
            edges[index] = {tail[index], head[index], cg::Label(parsed), tag, value[index]};
          }
        });
    if (const std::size_t bad = first_bad.load(); bad < rows) {
      py::gil_scoped_acquire acquire;
      const std::int32_t code = label_code[bad];
      if (code < 0) throw cg::py_bind::InputError("edge label missing");
      if (code >= num_labels || tag_code[bad] >= num_tags) {
        throw cg::py_bind::InputError("edge label or tag: code outside its categories");
      }
      if (label_of[code] == kBadLabel) {
        throw cg::py_bind::InputError("unknown edge label '" + labels.categories[code] + "'");
      }
      if (tail[bad] >= num_nodes || head[bad] >= num_nodes) {
        throw cg::py_bind::InputError("edge endpoint outside 0..num_nodes-1");
      }
      TagIn(cg::core::EdgeLabel(label_of[code]), tags.categories[tag_code[bad]]);  // throws
      throw cg::py_bind::InputError("bad edge row " + std::to_string(bad));
    }
    clock.Phase("edge records");
    // CsrBuilder's graph, grouped without atomic scatters (core/measures/graph_build.h).
    cg::CsrGraph graph = ms::BuildGraphKeepFirst(num_nodes, edges);
    edges = {};
    clock.Phase("csr");
    engine = std::make_unique<ms::MeasureEngine>(std::move(catalog), std::move(graph),
                                                 std::move(node_kinds));
    clock.Phase("engine");
  }
  return engine;
}

/// The trigger records from columns: numpy arrays (subjects uint32, flags bool, dates int32
/// days since 1970-01-01 with INT32_MIN for none) or dictionary-encoded text (codes int32, -1
/// for none, and categories). Converted with the GIL held, the records filled without it.
ms::TriggerInputs InputsFromColumns(const ms::MeasureEngine& engine, const py::dict& lists,
                                    const py::dict& penalties, const py::dict& ratings) {
  const std::size_t num_lists = Rows(lists, "subject");
  const std::size_t num_penalties = Rows(penalties, "subject");
  const std::size_t num_ratings = Rows(ratings, "subject");
  const auto list_subject = Subjects(lists, "subject", num_lists, engine.num_nodes());
  const auto list_code = Text(lists, "list", num_lists);
  const auto listed_on = Dates(lists, "listed_on", num_lists);
  const auto removed_on = Dates(lists, "removed_on", num_lists);
  const auto disputed = Flags(lists, "disputed", num_lists);
  const auto list_source = Text(lists, "source", num_lists);
  const auto list_rid = Text(lists, "rid", num_lists);
  const auto pen_subject = Subjects(penalties, "subject", num_penalties, engine.num_nodes());
  const auto severity = Text(penalties, "severity", num_penalties);
  const auto pen_domain = Text(penalties, "domain", num_penalties);
  const auto decided_on = Dates(penalties, "decided_on", num_penalties);
  const auto pen_source = Text(penalties, "source", num_penalties);
  const auto pen_rid = Text(penalties, "rid", num_penalties);
  const auto rat_subject = Subjects(ratings, "subject", num_ratings, engine.num_nodes());
  const auto scheme = Text(ratings, "scheme", num_ratings);
  const auto grade = Text(ratings, "grade", num_ratings);
  const auto rated_on = Dates(ratings, "rated_on", num_ratings);
  const auto rat_source = Text(ratings, "source", num_ratings);
  const auto rat_rid = Text(ratings, "rid", num_ratings);
  std::vector<cg::core::Severity> severities;
  for (const std::string& text : severity.categories) severities.push_back(SeverityIn(text));
  std::vector<cg::core::Severity> pen_severity(num_penalties);
  for (std::size_t index = 0; index < num_penalties; ++index) {
    const std::int32_t code = severity.codes[index];
    pen_severity[index] = code < 0 ? SeverityIn("") : severities[code];
  }
  py::gil_scoped_release release;
  ms::TriggerInputs inputs;
  // Every rid distinct within each table: the engine may skip its repeat search.
  inputs.keys_unique = list_rid.AllDistinct() && pen_rid.AllDistinct() && rat_rid.AllDistinct();
  // The records are filled in parallel (strings copied from the categories).
  inputs.lists.resize(num_lists);
  inputs.penalties.resize(num_penalties);
  inputs.ratings.resize(num_ratings);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_lists, 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        ms::ListEntry& entry = inputs.lists[index];
                        entry.subject = list_subject[index];
                        entry.list = list_code.At(index);
                        entry.listed_on = listed_on[index];
                        entry.removed_on = removed_on[index];
                        entry.disputed = disputed[index];
                        entry.source = list_source.At(index);
                        entry.rid = list_rid.At(index);
                      }
                    });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_penalties, 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        inputs.penalties[index] = {pen_subject[index], pen_severity[index],
                                                   pen_domain.At(index), decided_on[index],
                                                   pen_source.At(index), pen_rid.At(index)};
                      }
                    });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_ratings, 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index != range.end(); ++index) {
                        inputs.ratings[index] = {rat_subject[index], scheme.At(index),
                                                 grade.At(index), rated_on[index],
                                                 rat_source.At(index), rat_rid.At(index)};
                      }
                    });
  return inputs;
}

}  // namespace

CG_BIND(measures) {
  m.def(
      "validate_catalog", [](const std::string& text) { return CatalogSummary(CatalogFrom(text)); },
      "Parses and validates a measures catalog (YAML text); returns a summary or raises "
      "InputError naming the measure and the problem.");

  py::class_<ms::TriggerInputs>(m, "Triggers",
                                "Trigger records made by Engine.prepare_triggers.")
      .def_property_readonly("size", [](const ms::TriggerInputs& inputs) {
        return inputs.lists.size() + inputs.penalties.size() + inputs.ratings.size();
      });

  py::class_<ms::MeasureEngine>(m, "Engine")
      .def(py::init(&MakeEngine), py::arg("catalog"), py::arg("num_nodes"), py::arg("tails"),
           py::arg("heads"), py::arg("labels"), py::arg("tags"), py::arg("values"),
           py::arg("kinds"))
      .def(
          "propagate",
          [](ms::MeasureEngine& engine, const py::dict& lists, const py::dict& penalties,
             const py::dict& ratings) {
            ms::TriggerInputs inputs = InputsFromColumns(engine, lists, penalties, ratings);
            py::gil_scoped_release release;
            engine.Propagate(std::move(inputs));
          },
          py::arg("lists"), py::arg("penalties"), py::arg("ratings"))
      .def("prepare_triggers", &InputsFromColumns, py::arg("lists"), py::arg("penalties"),
           py::arg("ratings"),
           "The trigger records made from the columns (as propagate makes them), kept for "
           "propagate_prepared.")
      .def(
          "propagate_prepared",
          [](ms::MeasureEngine& engine, const ms::TriggerInputs& inputs) {
            py::gil_scoped_release release;
            engine.PropagateCopy(inputs);  // the prepared records stay as they are
          },
          py::arg("triggers"),
          "Full propagation from records made by prepare_triggers (copied into the engine).")
      .def("restrictions",
           [](const ms::MeasureEngine& engine, const std::string& as_of) {
             std::vector<ms::Restriction> rows;
             {
               py::gil_scoped_release release;
               rows = as_of.empty() ? engine.Restrictions()
                                    : engine.ActiveAt(DateIn(as_of, "as_of"));
             }
             return Columns(engine, rows);
           },
           py::arg("as_of") = "")
      .def("table",
           [](const ms::MeasureEngine& engine, const std::string& as_of, std::int64_t entity,
              const py::object& names) {
             ms::RestrictionTable table;
             const cg::Date date = DateIn(as_of, "as_of");
             {
               py::gil_scoped_release release;
               table = engine.Table(date, entity < 0 ? cg::kNoNode : cg::NodeId(entity));
             }
             return TableColumns(engine, table, names);
           },
           py::arg("as_of") = "", py::arg("entity") = -1, py::arg("names") = py::none(),
           "Restrictions column-wise (all, active at as_of, or of one entity): numpy arrays, "
           "dictionary-encoded text (codes, categories), path text.")
      .def("why", [](const ms::MeasureEngine& engine, std::uint32_t entity) {
        return Columns(engine, engine.Why(entity));
      })
      .def("check",
           [](const ms::MeasureEngine& engine, std::uint32_t entity, const std::string& domain,
              const std::string& date) {
             ms::CheckResult result = engine.Check(entity, domain, DateIn(date, "date"));
             return py::make_tuple(result.yes, Columns(engine, result.reasons));
           })
      .def("is_bound",
           [](const ms::MeasureEngine& engine, std::uint32_t entity, const std::string& domain,
              const std::string& date) { return engine.IsBound(entity, domain, DateIn(date, "date")); })
      .def("key_supervised",
           [](const ms::MeasureEngine& engine) {
             std::vector<std::uint32_t> entity;
             std::vector<std::string> start, end, domains;
             for (const ms::KeySupervision& row : engine.KeySupervised()) {
               entity.push_back(row.entity);
               start.push_back(DateOut(row.start));
               end.push_back(DateOut(row.end));
               std::string joined;
               for (const std::string& domain : row.domains) joined += (joined.empty() ? "" : ",") + domain;
               domains.push_back(joined);
             }
             py::dict out;
             out["entity"] = entity;
             out["start"] = start;
             out["end"] = end;
             out["domains"] = domains;
             return out;
           })
      .def("add_list_entry",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& code,
              const std::string& listed_on, const std::string& removed_on, bool disputed,
              const std::string& source, const std::string& rid) {
             ms::ListEntry entry;
             entry.subject = subject;
             entry.list = code;
             entry.listed_on = DateIn(listed_on, "listed_on");
             entry.removed_on = DateIn(removed_on, "removed_on");
             entry.disputed = disputed;
             entry.source = source;
             entry.rid = rid;
             engine.AddListEntry(std::move(entry));
           },
           py::arg("subject"), py::arg("list"), py::arg("listed_on"), py::arg("removed_on") = "",
           py::arg("disputed") = false, py::arg("source") = "", py::arg("rid") = "")
      .def("set_removed",
           [](ms::MeasureEngine& engine, const std::string& source, const std::string& rid,
              const std::string& removed_on) {
             cg::py_bind::ThrowIfError(engine.SetRemoved(source, rid, DateIn(removed_on, "removed_on")));
           })
      .def("set_disputed",
           [](ms::MeasureEngine& engine, const std::string& source, const std::string& rid,
              bool disputed) { cg::py_bind::ThrowIfError(engine.SetDisputed(source, rid, disputed)); })
      .def("add_penalty",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& severity,
              const std::string& domain, const std::string& decided_on, const std::string& source,
              const std::string& rid) {
             engine.AddPenalty({subject, SeverityIn(severity), domain, DateIn(decided_on, "decided_on"),
                                source, rid});
           })
      .def("add_rating",
           [](ms::MeasureEngine& engine, std::uint32_t subject, const std::string& scheme,
              const std::string& grade, const std::string& rated_on, const std::string& source,
              const std::string& rid) {
             engine.AddRating({subject, scheme, grade, DateIn(rated_on, "rated_on"), source, rid});
           })
      .def("add_edge",
           [](ms::MeasureEngine& engine, std::uint32_t tail, std::uint32_t head,
              const std::string& label_text, const std::string& tag, float value) {
             auto label = cg::core::ParseEdgeLabel(label_text);
             if (!label) throw cg::py_bind::InputError("unknown edge label '" + label_text + "'");
             cg::py_bind::ThrowIfError(
                 engine.AddEdge({tail, head, cg::Label(*label), TagIn(*label, tag), value}));
           },
           py::arg("tail"), py::arg("head"), py::arg("label"), py::arg("tag") = "",
           py::arg("value") = 0.0f)
      .def_property_readonly("num_restrictions", &ms::MeasureEngine::num_restrictions)
      .def_property_readonly("num_triggers", &ms::MeasureEngine::num_triggers)
      .def_property_readonly("catalog", [](const ms::MeasureEngine& engine) {
        return CatalogSummary(engine.catalog());
      });
}
