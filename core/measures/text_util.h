// The measures code's string helpers are the project's (core/strings.h): std::string_view-based,
// because this platform's Abseil has its own absl::string_view.
#pragma once

#include "core/strings.h"

namespace cg::core::measures {
namespace text = ::cg::core::strings;
}  // namespace cg::core::measures
