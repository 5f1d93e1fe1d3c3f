// The textual syntax of reach patterns (measures.md §3 "Reach"), mapped onto the domain-free
// graph/path_pattern.h with the labels and tags of core/labels.h:
//   pattern := "self" | step ("/" step)*
//   step    := ["~"] label ["[" filter "]"]
//   filter  := attr "=" name | attr " in " name ("," name)* | attr op number
//   op      := ">" | ">=" | "<" | "<=" | "="
// Attributes: officer `role` (a role of core/record.h: chair, director, supervisor, manager,
// principal, controller, legal_rep, none); controller `kind` (declared, derived);
// shareholder `ratio`; guarantee `amount`. Spaces around tokens are ignored.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "graph/path_pattern.h"

namespace cg::core::measures {

/// Parses a reach pattern; the error message says which part is wrong and what is accepted.
absl::StatusOr<PathPattern> ParsePattern(std::string_view text);

/// The canonical text of a compiled pattern (round-trips through ParsePattern).
std::string FormatPattern(const PathPattern& pattern);

/// "legal_rep" or "~legal_rep": the step's label as written in a path.
std::string StepLabelText(const PatternStep& step);

}  // namespace cg::core::measures
