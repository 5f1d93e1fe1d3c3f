// One exception hierarchy across the C++/Python boundary. C++ code throws cg::py_bind::*Error
// (or returns absl::Status, which ThrowIfError converts); Python sees creditgraph.errors.*:
//   CreditGraphError
//   ├── InputError        bad user input: a data set, catalog, model or argument (says what to do)
//   ├── NotFoundError     a key, entity or database that does not exist
//   └── StorageError      the database could not be read or written
#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>

#include "absl/status/status.h"

namespace cg::py_bind {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct NotFoundError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct StorageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws the matching exception for a non-OK status.
void ThrowIfError(const absl::Status& status);

void RegisterErrors(pybind11::module_& m);

}  // namespace cg::py_bind
