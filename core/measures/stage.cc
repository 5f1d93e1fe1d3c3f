// Records -> trigger inputs (see stage.h).
#include "core/measures/stage.h"

namespace cg::core::measures {

TriggerInputs TriggerInputsFromRecords(std::span<const Record> records,
                                       const std::function<NodeId(const Record&)>& subject_of,
                                       TriggerBuildStats* stats) {
  TriggerInputs inputs;
  TriggerBuildStats local;
  for (const Record& record : records) {
    if (record.kind != RecordKind::kList && record.kind != RecordKind::kPenalty &&
        record.kind != RecordKind::kRating) {
      ++local.other_kinds;
      continue;
    }
    const NodeId subject = subject_of(record);
    if (subject == kNoNode) {
      ++local.unresolved;
      continue;
    }
    switch (record.kind) {
      case RecordKind::kList:
        inputs.lists.push_back(ListEntryFromRecord(record, subject));
        ++local.lists;
        break;
      case RecordKind::kPenalty:
        inputs.penalties.push_back(PenaltyEventFromRecord(record, subject));
        ++local.penalties;
        break;
      default:
        inputs.ratings.push_back(RatingEventFromRecord(record, subject));
        ++local.ratings;
        break;
    }
  }
  if (stats != nullptr) *stats = local;
  return inputs;
}

}  // namespace cg::core::measures
