// From the measures stage's restrictions to the `restrictions` indicator's input (scoring.md
// §3): the number of distinct measures binding each entity at as_of, per effect. Withheld
// reward pieces (dates on which a punish measure binds, measures.md §3) are not counted.
//
// The engine's propagate stage saves the restrictions reduced to RestrictionPieces (17 bytes
// each) so that a score run counts them at its as_of without reading the restriction rows.
#pragma once

#include <span>
#include <vector>

#include "core/measures/propagate.h"
#include "core/scoring/input.h"

namespace cg::core::scoring {

/// One restriction reduced to what counting reads: who, which measure, when, which effect.
struct RestrictionPiece {
  NodeId entity = kNoNode;
  std::uint32_t measure = 0;  // any id that is equal exactly for equal measures
  Date start = 0;             // active on [start, end)
  Date end = 0;
  Effect effect = Effect::kPunish;
  auto Key() const { return std::tuple(entity, effect, measure, start, end); }
  bool operator==(const RestrictionPiece&) const = default;
};

/// The pieces of every restriction that is not withheld, sorted by (entity, effect, measure,
/// start, end).
std::vector<RestrictionPiece> RestrictionPieces(
    std::span<const measures::Restriction> restrictions);

/// One RestrictionCount per (entity, effect) with at least one measure active at as_of,
/// sorted. Pieces may come in any order (sorted ones are counted without sorting).
std::vector<RestrictionCount> RestrictionCountsAt(std::span<const RestrictionPiece> pieces,
                                                  Date as_of);

/// The same from the measures' restrictions (RestrictionPieces, then counted).
std::vector<RestrictionCount> RestrictionCountsAt(
    std::span<const measures::Restriction> restrictions, Date as_of);

}  // namespace cg::core::scoring
