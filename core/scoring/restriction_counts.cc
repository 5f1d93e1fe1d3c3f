// Restriction counts for scoring (see restriction_counts.h).
#include "core/scoring/restriction_counts.h"

#include <algorithm>
#include <tuple>

namespace cg::core::scoring {
namespace {

bool PieceLess(const RestrictionPiece& left, const RestrictionPiece& right) {
  return left.Key() < right.Key();
}

}  // namespace

std::vector<RestrictionPiece> RestrictionPieces(
    std::span<const measures::Restriction> restrictions) {
  std::vector<RestrictionPiece> pieces;
  pieces.reserve(restrictions.size());
  for (const measures::Restriction& restriction : restrictions) {
    if (restriction.withheld) continue;
    pieces.push_back({restriction.entity, restriction.measure, restriction.start, restriction.end,
                      static_cast<Effect>(restriction.effect)});
  }
  std::sort(pieces.begin(), pieces.end(), PieceLess);
  return pieces;
}

std::vector<RestrictionCount> RestrictionCountsAt(std::span<const RestrictionPiece> pieces,
                                                  Date as_of) {
  std::vector<RestrictionPiece> sorted;
  if (!std::is_sorted(pieces.begin(), pieces.end(), PieceLess)) {
    sorted.assign(pieces.begin(), pieces.end());
    std::sort(sorted.begin(), sorted.end(), PieceLess);
    pieces = sorted;
  }
  // Active pieces in (entity, effect, measure) order: a measure is counted once however many
  // of its pieces are active.
  std::vector<RestrictionCount> counts;
  const RestrictionPiece* last = nullptr;
  for (const RestrictionPiece& piece : pieces) {
    if (!(piece.start <= as_of && as_of < piece.end)) continue;
    const bool same_group = last != nullptr && last->entity == piece.entity &&
                            last->effect == piece.effect;
    if (same_group && last->measure == piece.measure) continue;
    if (!same_group) counts.push_back({piece.entity, piece.effect, 0});
    ++counts.back().count;
    last = &piece;
  }
  return counts;
}

std::vector<RestrictionCount> RestrictionCountsAt(
    std::span<const measures::Restriction> restrictions, Date as_of) {
  return RestrictionCountsAt(RestrictionPieces(restrictions), as_of);
}

}  // namespace cg::core::scoring
