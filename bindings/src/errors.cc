// Exception translation for creditgraph._core (see errors.h).
#include "bindings/src/errors.h"

namespace py = pybind11;

namespace cg::py_bind {

void ThrowIfError(const absl::Status& status) {
  if (status.ok()) return;
  const std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      throw InputError(message);
    case absl::StatusCode::kNotFound:
      throw NotFoundError(message);
    default:
      throw StorageError(message);
  }
}

void RegisterErrors(py::module_& m) {
  static py::exception<std::runtime_error> base(m, "CreditGraphError");
  static py::exception<InputError> input(m, "InputError", base.ptr());
  static py::exception<NotFoundError> not_found(m, "NotFoundError", base.ptr());
  static py::exception<StorageError> storage(m, "StorageError", base.ptr());
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const InputError& error) {
      py::set_error(input, error.what());
    } catch (const NotFoundError& error) {
      py::set_error(not_found, error.what());
    } catch (const StorageError& error) {
      py::set_error(storage, error.what());
    }
  });
}

}  // namespace cg::py_bind
