// From canonical records to the measures engine's inputs: the part of the measures stage that
// does not depend on the store or on entity resolution. The stage glue reads the records of
// kinds list, penalty and rating, gives each its resolved subject entity, and calls this.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

#include "core/measures/propagate.h"
#include "core/record.h"

namespace cg::core::measures {

struct TriggerBuildStats {
  std::size_t lists = 0;
  std::size_t penalties = 0;
  std::size_t ratings = 0;
  std::size_t other_kinds = 0;  // records of other kinds, ignored
  std::size_t unresolved = 0;   // subject_of returned kNoNode: skipped
};

/// Trigger inputs from records of kinds list, penalty and rating. `subject_of(record)` is the
/// resolved entity of the record's subject (kNoNode: not resolved, the record is skipped).
/// Records without their event date are kept: the engine never fires them (no start).
TriggerInputs TriggerInputsFromRecords(std::span<const Record> records,
                                       const std::function<NodeId(const Record&)>& subject_of,
                                       TriggerBuildStats* stats = nullptr);

}  // namespace cg::core::measures
