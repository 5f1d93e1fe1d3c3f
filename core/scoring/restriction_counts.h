// From the measures stage's restrictions to the `restrictions` indicator's input (scoring.md
// §3): the number of distinct measures binding each entity at as_of, per effect. Withheld
// reward pieces (dates on which a punish measure binds, measures.md §3) are not counted.
#pragma once

#include <span>
#include <vector>

#include "core/measures/propagate.h"
#include "core/scoring/input.h"

namespace cg::core::scoring {

/// One RestrictionCount per (entity, effect) with at least one active measure, sorted.
std::vector<RestrictionCount> RestrictionCountsAt(
    std::span<const measures::Restriction> restrictions, Date as_of);

}  // namespace cg::core::scoring
