// YAML reading and validation of the measures catalog (see catalog.h, measures.md §3–§4).
#include "core/measures/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "core/measures/pattern_syntax.h"
#include "core/measures/text_util.h"

namespace cg::core::measures {

std::string_view ToString(Effect effect) {
  constexpr std::string_view kNames[] = {"punish", "reward", "alert"};
  return kNames[int(effect)];
}
std::string_view ToString(TriggerKind kind) {
  constexpr std::string_view kNames[] = {"list", "penalty", "rating"};
  return kNames[int(kind)];
}

bool Measure::AcceptsSubject(EntityKind kind) const {
  return subjects.empty() || std::find(subjects.begin(), subjects.end(), kind) != subjects.end();
}

ListDecl Catalog::ListInfoFor(std::string_view code) const {
  for (const ListDecl& decl : lists) {
    if (decl.code == code) return decl;
  }
  if (const ListInfo* info = FindList(code)) {
    return {std::string(info->code), std::string(info->name), info->polarity,
            std::string(info->domain)};
  }
  return {std::string(code), "", Polarity::kUnknown, ""};
}

int Catalog::MaxReachSteps() const {
  int steps = 0;
  for (const Measure& measure : measures) {
    for (const Reach& reach : measure.reach) {
      steps = std::max(steps, int(reach.pattern.steps.size()));
    }
  }
  return steps;
}

namespace {

absl::Status Bad(std::string_view where, std::string_view problem) {
  return absl::InvalidArgumentError(text::Cat("measures catalog: ", where, ": ", problem));
}

absl::Status CheckKeys(const YAML::Node& node, std::string_view where,
                       std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) return Bad(where, "must be a mapping");
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Bad(where, text::Cat("unknown key '", key, "'; accepted: ",
                                     text::Join(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

/// A scalar string, or an error.
absl::StatusOr<std::string> Scalar(const YAML::Node& node, std::string_view where,
                                   std::string_view key) {
  if (!node || node.IsNull()) return Bad(where, text::Cat("'", key, "' is missing"));
  if (!node.IsScalar()) return Bad(where, text::Cat("'", key, "' must be a single value"));
  return node.as<std::string>();
}

/// A sequence of scalars, or one scalar taken as a one-element sequence.
absl::StatusOr<std::vector<std::string>> Strings(const YAML::Node& node, std::string_view where,
                                                 std::string_view key) {
  std::vector<std::string> out;
  if (!node || node.IsNull()) return Bad(where, text::Cat("'", key, "' is missing"));
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!item.IsScalar()) return Bad(where, text::Cat("'", key, "' must list plain values"));
      out.push_back(item.as<std::string>());
    }
  } else {
    return Bad(where, text::Cat("'", key, "' must be a list"));
  }
  if (out.empty()) return Bad(where, text::Cat("'", key, "' is empty"));
  for (const std::string& value : out) {
    if (value.empty()) return Bad(where, text::Cat("'", key, "' has an empty value"));
  }
  return out;
}

absl::StatusOr<Period> PeriodField(const YAML::Node& node, std::string_view where,
                                   std::string_view key) {
  auto text = Scalar(node, where, key);
  if (!text.ok()) return text.status();
  auto period = ParsePeriod(*text);
  if (!period || period->empty()) {
    return Bad(where, text::Cat("bad period '", *text, "' for '", key,
                                   "'; write e.g. 3y, 6m, 90d"));
  }
  return *period;
}

absl::StatusOr<TriggerSpec> ParseTrigger(const YAML::Node& node, const std::string& where) {
  if (!node || node.IsNull()) return Bad(where, "'trigger' is missing");
  if (auto status = CheckKeys(node, where + " trigger", {"lists", "penalties", "ratings"});
      !status.ok()) {
    return status;
  }
  if (node.size() != 1) {
    return Bad(where, "'trigger' must have exactly one of lists, penalties, ratings");
  }
  TriggerSpec spec;
  if (node["lists"]) {
    spec.kind = TriggerKind::kList;
    auto lists = Strings(node["lists"], where, "trigger.lists");
    if (!lists.ok()) return lists.status();
    spec.lists = *std::move(lists);
  } else if (node["penalties"]) {
    spec.kind = TriggerKind::kPenalty;
    const YAML::Node penalties = node["penalties"];
    if (auto status = CheckKeys(penalties, where + " trigger.penalties",
                                {"severity", "domain", "within"});
        !status.ok()) {
      return status;
    }
    auto severities = Strings(penalties["severity"], where, "trigger.penalties.severity");
    if (!severities.ok()) return severities.status();
    for (const std::string& text : *severities) {
      auto severity = ParseSeverity(text);
      if (!severity || *severity == Severity::kNone) {
        return Bad(where, text::Cat("unknown severity '", text,
                                       "'; accepted: minor, general, serious"));
      }
      spec.severities.push_back(*severity);
    }
    if (penalties["domain"]) {
      auto domains = Strings(penalties["domain"], where, "trigger.penalties.domain");
      if (!domains.ok()) return domains.status();
      spec.domains = *std::move(domains);
    }
    auto within = PeriodField(penalties["within"], where, "trigger.penalties.within");
    if (!within.ok()) return within.status();
    spec.within = *within;
  } else {
    spec.kind = TriggerKind::kRating;
    const YAML::Node ratings = node["ratings"];
    if (auto status = CheckKeys(ratings, where + " trigger.ratings", {"scheme", "grade"});
        !status.ok()) {
      return status;
    }
    auto scheme = Scalar(ratings["scheme"], where, "trigger.ratings.scheme");
    if (!scheme.ok()) return scheme.status();
    if (scheme->empty()) return Bad(where, "'trigger.ratings.scheme' is empty");
    spec.scheme = *scheme;
    auto grades = Strings(ratings["grade"], where, "trigger.ratings.grade");
    if (!grades.ok()) return grades.status();
    spec.grades = *std::move(grades);
  }
  return spec;
}

absl::StatusOr<Measure> ParseMeasure(const YAML::Node& node, std::size_t index) {
  std::string where = text::Cat("measure #", index + 1);
  if (!node.IsMap()) return Bad(where, "must be a mapping");
  if (node["id"] && node["id"].IsScalar()) {
    where = text::Cat("measure '", node["id"].as<std::string>(), "'");
  }
  if (auto status = CheckKeys(node, where,
                              {"id", "name", "basis", "effect", "domain", "trigger", "subjects",
                               "reach", "lasts"});
      !status.ok()) {
    return status;
  }
  Measure measure;
  auto id = Scalar(node["id"], where, "id");
  if (!id.ok()) return id.status();
  if (id->empty()) return Bad(where, "'id' is empty");
  measure.id = *id;
  if (node["name"]) {
    auto name = Scalar(node["name"], where, "name");
    if (!name.ok()) return name.status();
    measure.name = *name;
  }
  auto basis = Scalar(node["basis"], where, "basis");
  if (!basis.ok() || basis->empty()) {
    return Bad(where, "missing 'basis': every measure must name its legal basis (国办发〔2020〕49号)");
  }
  measure.basis = *basis;
  auto effect = Scalar(node["effect"], where, "effect");
  if (!effect.ok()) return effect.status();
  if (*effect == "punish") measure.effect = Effect::kPunish;
  else if (*effect == "reward") measure.effect = Effect::kReward;
  else if (*effect == "alert") measure.effect = Effect::kAlert;
  else return Bad(where, text::Cat("unknown effect '", *effect, "'; accepted: punish, reward, alert"));
  auto domain = Scalar(node["domain"], where, "domain");
  if (!domain.ok()) return domain.status();
  if (domain->empty()) return Bad(where, "'domain' is empty");
  measure.domain = *domain;
  auto trigger = ParseTrigger(node["trigger"], where);
  if (!trigger.ok()) return trigger.status();
  measure.trigger = *std::move(trigger);
  if (node["subjects"]) {
    auto subjects = Strings(node["subjects"], where, "subjects");
    if (!subjects.ok()) return subjects.status();
    for (const std::string& text : *subjects) {
      auto kind = ParseEntityKind(text);
      if (!kind || *kind == EntityKind::kUnknown) {
        return Bad(where, text::Cat("unknown subject kind '", text,
                                       "'; accepted: enterprise, individual_business, "
                                       "organization, person"));
      }
      measure.subjects.push_back(*kind);
    }
  }
  std::vector<std::string> reach_texts = {"self"};
  if (node["reach"]) {
    auto reach = Strings(node["reach"], where, "reach");
    if (!reach.ok()) return reach.status();
    reach_texts = *std::move(reach);
  }
  std::set<std::string> seen_patterns;
  for (const std::string& text : reach_texts) {
    auto pattern = ParsePattern(text);
    if (!pattern.ok()) return Bad(where, text::Cat("reach: ", pattern.status().message()));
    if (!seen_patterns.insert(FormatPattern(*pattern)).second) {
      return Bad(where, text::Cat("reach pattern '", text, "' is given twice"));
    }
    measure.reach.push_back({text, *std::move(pattern)});
  }
  if (node["lasts"]) {
    auto lasts = Scalar(node["lasts"], where, "lasts");
    if (!lasts.ok()) return lasts.status();
    if (*lasts == "listed") {
      measure.lasts_listed = true;
    } else {
      auto period = ParsePeriod(*lasts);
      if (!period || period->empty()) {
        return Bad(where, text::Cat("bad 'lasts' '", *lasts,
                                       "'; write listed or a period such as 3y, 6m, 90d"));
      }
      measure.lasts_listed = false;
      measure.lasts = *period;
    }
  }
  return measure;
}

}  // namespace

absl::StatusOr<Catalog> ParseCatalog(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(
        text::Cat("measures catalog: not valid YAML: ", error.what()));
  }
  try {
    if (auto status = CheckKeys(root, "top level",
                                {"max_years", "escalations", "key_supervision", "lists",
                                 "measures"});
        !status.ok()) {
      return status;
    }
    Catalog catalog;
    if (root["max_years"]) {
      auto text = Scalar(root["max_years"], "top level", "max_years");
      if (!text.ok()) return text.status();
      int years = 0;
      std::istringstream stream(*text);
      if (!(stream >> years) || !stream.eof() || years <= 0 || years > 100) {
        return Bad("max_years", text::Cat("must be a whole number of years >= 1, got '",
                                             *text, "'"));
      }
      catalog.max_years = years;
    }
    if (root["lists"]) {
      if (!root["lists"].IsSequence()) return Bad("lists", "must be a list");
      for (const auto& item : root["lists"]) {
        if (auto status = CheckKeys(item, "lists", {"code", "name", "polarity", "domain"});
            !status.ok()) {
          return status;
        }
        ListDecl decl;
        auto code = Scalar(item["code"], "lists", "code");
        if (!code.ok()) return code.status();
        decl.code = *code;
        const std::string where = text::Cat("list '", decl.code, "'");
        if (item["name"]) decl.name = item["name"].as<std::string>();
        auto polarity = Scalar(item["polarity"], where, "polarity");
        if (!polarity.ok()) return polarity.status();
        if (*polarity == "black") decl.polarity = Polarity::kBlack;
        else if (*polarity == "red") decl.polarity = Polarity::kRed;
        else return Bad(where, text::Cat("unknown polarity '", *polarity, "'; accepted: black, red"));
        auto domain = Scalar(item["domain"], where, "domain");
        if (!domain.ok()) return domain.status();
        decl.domain = *domain;
        catalog.lists.push_back(std::move(decl));
      }
    }
    if (root["escalations"]) {
      if (!root["escalations"].IsSequence()) return Bad("escalations", "must be a list");
      std::size_t index = 0;
      for (const auto& item : root["escalations"]) {
        const std::string where = text::Cat("escalation #", ++index);
        if (auto status = CheckKeys(item, where, {"from", "after", "to"}); !status.ok()) {
          return status;
        }
        Escalation rule;
        auto from = Scalar(item["from"], where, "from");
        if (!from.ok()) return from.status();
        auto to = Scalar(item["to"], where, "to");
        if (!to.ok()) return to.status();
        auto after = PeriodField(item["after"], where, "after");
        if (!after.ok()) return after.status();
        if (from->empty() || to->empty()) return Bad(where, "'from' and 'to' must be list codes");
        if (*from == *to) return Bad(where, "'from' and 'to' are the same list");
        rule.from = *from;
        rule.to = *to;
        rule.after = *after;
        catalog.escalations.push_back(std::move(rule));
      }
    }
    if (root["key_supervision"]) {
      const YAML::Node key = root["key_supervision"];
      if (auto status = CheckKeys(key, "key_supervision", {"min_domains"}); !status.ok()) {
        return status;
      }
      auto text = Scalar(key["min_domains"], "key_supervision", "min_domains");
      if (!text.ok()) return text.status();
      int min_domains = 0;
      std::istringstream stream(*text);
      if (!(stream >> min_domains) || !stream.eof() || min_domains < 1) {
        return Bad("key_supervision", text::Cat("min_domains must be a whole number >= 1, got '",
                                                   *text, "'"));
      }
      catalog.key_supervision_min_domains = min_domains;
    }
    if (!root["measures"] || !root["measures"].IsSequence()) {
      return Bad("top level", "'measures' must be a list of measures");
    }
    absl::flat_hash_set<std::string> ids;
    std::size_t index = 0;
    for (const auto& item : root["measures"]) {
      auto measure = ParseMeasure(item, index++);
      if (!measure.ok()) return measure.status();
      if (!ids.insert(measure->id).second) {
        return Bad(text::Cat("measure '", measure->id, "'"), "duplicate id");
      }
      catalog.measures.push_back(*std::move(measure));
    }
    return catalog;
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(
        text::Cat("measures catalog: unexpected structure: ", error.what()));
  }
}

absl::StatusOr<Catalog> LoadCatalog(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return absl::NotFoundError(text::Cat("cannot read measures catalog '", path,
                                            "'; check the path (--measures FILE)"));
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  auto catalog = ParseCatalog(buffer.str());
  if (!catalog.ok()) {
    return absl::Status(catalog.status().code(),
                        text::Cat(path, ": ", catalog.status().message()));
  }
  return catalog;
}

}  // namespace cg::core::measures
