// Restriction counts for scoring (see restriction_counts.h).
#include "core/scoring/restriction_counts.h"

#include <algorithm>
#include <tuple>

namespace cg::core::scoring {

std::vector<RestrictionCount> RestrictionCountsAt(
    std::span<const measures::Restriction> restrictions, Date as_of) {
  // (entity, effect, measure) of every active piece, then distinct, then counted.
  std::vector<std::tuple<NodeId, int, std::uint32_t>> active;
  for (const measures::Restriction& restriction : restrictions) {
    if (restriction.withheld || !restriction.ActiveAt(as_of)) continue;
    active.emplace_back(restriction.entity, static_cast<int>(restriction.effect),
                        restriction.measure);
  }
  std::sort(active.begin(), active.end());
  active.erase(std::unique(active.begin(), active.end()), active.end());
  std::vector<RestrictionCount> counts;
  for (const auto& [entity, effect, measure] : active) {
    if (counts.empty() || counts.back().entity != entity ||
        static_cast<int>(counts.back().effect) != effect) {
      counts.push_back({entity, static_cast<Effect>(effect), 0});
    }
    ++counts.back().count;
  }
  return counts;
}

}  // namespace cg::core::scoring
