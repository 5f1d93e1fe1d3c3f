// Identifier validation for ingest: a thin adapter over the validators of core/ids/ids.h.
#include "core/ingest/identifiers.h"

#include "core/ids/ids.h"

namespace cg::core::ingest {
namespace {

template <typename Result>
IdResult Adapt(const Result& result) {
  IdResult out;
  out.normalized = std::string(result.code());
  switch (result.status) {
    case IdStatus::kValid:
      out.verdict = IdVerdict::kValid;
      break;
    case IdStatus::kCheckDigitFailed:
      out.verdict = IdVerdict::kCheckFailed;
      out.reason = std::string(ReasonText(result.reason));
      break;
    case IdStatus::kInvalid:
      out.verdict = IdVerdict::kInvalid;
      out.reason = std::string(ReasonText(result.reason));
      break;
  }
  return out;
}

}  // namespace

IdResult CheckIdentifier(IdType type, std::string_view raw) {
  switch (type) {
    case IdType::kUscc: return Adapt(ValidateUscc(raw));
    case IdType::kRegNo: return Adapt(ValidateRegNo(raw));
    case IdType::kOrgCode: return Adapt(ValidateOrgCode(raw));
    case IdType::kIdNo: {
      // The run's "today" is read once per thread per day; good enough for birth dates.
      thread_local const Date today = TodayUtc();
      return Adapt(ValidateIdNumber(raw, today));
    }
  }
  return {};
}

}  // namespace cg::core::ingest
