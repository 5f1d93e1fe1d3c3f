// The measures catalog (measures.md §3, §4): which violation triggers what, reaches whom, for
// how long. Read from YAML (yaml-cpp) and validated: a catalog that breaks the spec is refused
// with a message naming the measure and the problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/date.h"
#include "core/measures/list_activity.h"
#include "core/record.h"
#include "graph/path_pattern.h"

namespace cg::core::measures {

enum class Effect : std::uint8_t { kPunish, kReward, kAlert };
std::string_view ToString(Effect effect);

enum class TriggerKind : std::uint8_t { kList, kPenalty, kRating };
std::string_view ToString(TriggerKind kind);

/// `trigger:` of a measure: exactly one of lists / penalties / ratings.
struct TriggerSpec {
  TriggerKind kind = TriggerKind::kList;
  std::vector<std::string> lists;        // kList: list codes
  std::vector<Severity> severities;      // kPenalty
  std::vector<std::string> domains;      // kPenalty: empty = any domain
  Period within;                         // kPenalty: the active window from decided_on
  std::string scheme;                    // kRating
  std::vector<std::string> grades;       // kRating
};

struct Reach {
  std::string text;     // as written
  PathPattern pattern;  // compiled
};

struct Measure {
  std::string id;
  std::string name;
  std::string basis;
  Effect effect = Effect::kPunish;
  std::string domain;
  TriggerSpec trigger;
  std::vector<EntityKind> subjects;  // empty: all kinds
  std::vector<Reach> reach;          // default: [self]
  bool lasts_listed = true;          // `lasts: listed`
  Period lasts;                      // fixed term when !lasts_listed

  bool AcceptsSubject(EntityKind kind) const;
};

/// A list declared by the catalog (`lists:`), adding to or overriding catalog.md §5's.
struct ListDecl {
  std::string code;
  std::string name;
  Polarity polarity = Polarity::kUnknown;
  std::string domain;
};

struct Catalog {
  int max_years = kDefaultMaxYears;
  std::vector<Escalation> escalations;
  int key_supervision_min_domains = 0;  // 0: no key_supervision section
  std::vector<ListDecl> lists;
  std::vector<Measure> measures;

  /// Polarity and domain of a list code: the catalog's declaration, else catalog.md §5, else
  /// unknown polarity and an empty domain.
  ListDecl ListInfoFor(std::string_view code) const;
  /// The longest reach pattern (steps), for incremental radius.
  int MaxReachSteps() const;
};

/// Parses and validates a catalog from YAML text.
absl::StatusOr<Catalog> ParseCatalog(std::string_view yaml_text);
/// Reads and parses a catalog file.
absl::StatusOr<Catalog> LoadCatalog(const std::string& path);

}  // namespace cg::core::measures
