// Batch plumbing shared by the ids and text bindings: Python sequences of str in (read with the
// GIL held, without copying the UTF-8 that CPython caches in each str), numpy arrays out (allocated
// with the GIL, filled without it), and a TBB loop over the batch (threads = 0: all cores).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace cg::py_bind {

/// The texts of a batch. Items that are str are viewed in place; None and float NaN are missing
/// (empty); anything else (an int from a numeric column) is converted with str() and owned here.
struct TextBatch {
  std::vector<std::string_view> views;
  std::vector<std::uint8_t> missing;
  std::deque<std::string> owned;
  pybind11::object holder;  // keeps the items (and their cached UTF-8) alive

  explicit TextBatch(const pybind11::object& input) {
    PyObject* fast = PySequence_Fast(input.ptr(), "expected a sequence of strings");
    if (fast == nullptr) throw pybind11::error_already_set();
    holder = pybind11::reinterpret_steal<pybind11::object>(fast);
    const pybind11::handle values = holder;
    const std::size_t size = std::size_t(PySequence_Fast_GET_SIZE(fast));
    views.resize(size);
    missing.assign(size, 0);
    for (std::size_t index = 0; index < size; ++index) {
      PyObject* item = PySequence_Fast_GET_ITEM(values.ptr(), index);
      if (PyUnicode_Check(item)) {
        Py_ssize_t length = 0;
        const char* data = PyUnicode_AsUTF8AndSize(item, &length);
        if (data == nullptr) {
          // Not encodable as UTF-8 (a lone surrogate): keep the batch going, mark the item
          // with U+FFFD so that validators report a bad character.
          PyErr_Clear();
          views[index] = "\xEF\xBF\xBD";
          continue;
        }
        views[index] = std::string_view(data, std::size_t(length));
      } else if (item == Py_None || (PyFloat_Check(item) && std::isnan(PyFloat_AsDouble(item)))) {
        missing[index] = 1;
      } else {
        owned.push_back(pybind11::str(pybind11::handle(item)).cast<std::string>());
        views[index] = owned.back();
      }
    }
  }
  std::size_t size() const { return views.size(); }
};

/// Runs body(begin, end) over [0, size) in chunks; threads = 0 uses every core, 1 runs inline.
template <typename Body>
void ParallelChunks(std::size_t size, int threads, Body&& body) {
  constexpr std::size_t kGrain = 16384;
  if (threads == 1 || size <= kGrain) {
    body(std::size_t(0), size);
    return;
  }
  auto run = [&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, size, kGrain),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        body(range.begin(), range.end());
                      });
  };
  if (threads > 1) {
    tbb::task_arena arena(threads);
    arena.execute(run);
  } else {
    run();
  }
}

/// A numpy array of fixed-width byte strings ("S{width}"), zero-filled: ASCII code columns,
/// which the Python layer turns into Arrow-backed string columns without per-item objects.
inline pybind11::array BytesArray(std::size_t width, std::size_t size) {
  pybind11::array array(pybind11::dtype("S" + std::to_string(width)),
                        std::vector<pybind11::ssize_t>{static_cast<pybind11::ssize_t>(size)});
  std::memset(array.mutable_data(), 0, width * size);
  return array;
}

/// Writes ASCII `text` (truncated to width) into element `index` of an "S{width}" array.
inline void PutAscii(char* base, std::size_t width, std::size_t index, std::string_view text) {
  const std::size_t count = text.size() < width ? text.size() : width;
  std::memcpy(base + index * width, text.data(), count);
}

}  // namespace cg::py_bind
