// Identifier validation for ingest: a thin adapter over the validators of core/ids/ids.h.
#include "core/ingest/identifiers.h"

#include "core/ids/ids.h"

namespace cg::core::ingest {
namespace {

template <typename Result>
IdCheck Adapt(const Result& result) {
  IdCheck out;
  out.code = result.normalized;
  switch (result.status) {
    case IdStatus::kValid:
      out.verdict = IdVerdict::kValid;
      break;
    case IdStatus::kCheckDigitFailed:
      out.verdict = IdVerdict::kCheckFailed;
      out.reason = ReasonText(result.reason);
      break;
    case IdStatus::kInvalid:
      out.verdict = IdVerdict::kInvalid;
      out.reason = ReasonText(result.reason);
      break;
  }
  return out;
}

}  // namespace

IdCheck CheckIdentifierFast(IdType type, std::string_view raw) {
  switch (type) {
    case IdType::kUscc: return Adapt(ValidateUscc(raw));
    case IdType::kRegNo: return Adapt(ValidateRegNo(raw));
    case IdType::kOrgCode: return Adapt(ValidateOrgCode(raw));
    case IdType::kIdNo: {
      // "Today" is read once per process (birth dates after it are refused): a static, not a
      // thread_local, whose every access costs a TLS lookup in a shared library.
      static const Date today = TodayUtc();
      return Adapt(ValidateIdNumber(raw, today));
    }
  }
  return {};
}

IdResult CheckIdentifier(IdType type, std::string_view raw) {
  const IdCheck check = CheckIdentifierFast(type, raw);
  IdResult out;
  out.verdict = check.verdict;
  out.normalized = std::string(check.normalized());
  out.reason = std::string(check.reason);
  return out;
}

}  // namespace cg::core::ingest
