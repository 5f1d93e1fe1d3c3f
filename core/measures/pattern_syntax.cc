// Parser of the reach-pattern syntax (see pattern_syntax.h).
#include "core/measures/pattern_syntax.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/labels.h"
#include "core/measures/text_util.h"
#include "core/record.h"

namespace cg::core::measures {
namespace {

std::optional<Tag> ParseTagName(EdgeLabel label, std::string_view name) {
  if (label == EdgeLabel::kOfficer) {
    if (name == "none") return Tag(OfficerRole::kNone);
    auto role = ParseOfficerRole(name);
    if (!role) return std::nullopt;
    return Tag(*role);
  }
  if (label == EdgeLabel::kController) {
    if (name == "declared") return Tag(ControllerTag::kDeclared);
    if (name == "derived") return Tag(ControllerTag::kDerived);
  }
  return std::nullopt;
}

std::string TagName(EdgeLabel label, Tag tag) {
  if (label == EdgeLabel::kOfficer) {
    return tag == Tag(OfficerRole::kNone) ? "none" : std::string(ToString(OfficerRole(tag)));
  }
  return tag == Tag(ControllerTag::kDeclared) ? "declared" : "derived";
}

std::string_view TagAttribute(EdgeLabel label) {
  if (label == EdgeLabel::kOfficer) return "role";
  if (label == EdgeLabel::kController) return "kind";
  return {};
}
std::string_view ValueAttribute(EdgeLabel label) {
  if (label == EdgeLabel::kShareholder) return "ratio";
  if (label == EdgeLabel::kGuarantee) return "amount";
  return {};
}

absl::Status ParseFilter(EdgeLabel label, std::string_view filter, PatternStep* step) {
  filter = text::Strip(filter);
  const std::string_view tag_attr = TagAttribute(label);
  const std::string_view value_attr = ValueAttribute(label);
  const std::string accepted =
      !tag_attr.empty() ? text::Cat("'", tag_attr, "=NAME' or '", tag_attr, " in A,B'")
      : !value_attr.empty()
          ? text::Cat("'", value_attr, "' with one of > >= < <= = and a number")
          : std::string("no filter");
  // Attribute name: leading identifier characters.
  std::size_t end = 0;
  while (end < filter.size() && (std::isalnum((unsigned char)filter[end]) || filter[end] == '_')) ++end;
  const std::string_view attr = filter.substr(0, end);
  std::string_view rest = text::Strip(filter.substr(end));
  if (attr.empty() || (attr != tag_attr && attr != value_attr)) {
    return absl::InvalidArgumentError(text::Cat("unknown attribute '", attr, "' for label '",
                                                   ToString(label), "'; accepted: ", accepted));
  }
  if (attr == tag_attr) {
    std::vector<std::string_view> names;
    if (text::ConsumePrefix(&rest, "=")) {
      names.push_back(text::Strip(rest));
    } else if (text::ConsumePrefix(&rest, "in") && !rest.empty() && text::IsSpace(rest[0])) {
      for (std::string_view name : text::Split(rest, ',')) {
        names.push_back(text::Strip(name));
      }
    } else {
      return absl::InvalidArgumentError(
          text::Cat("bad filter '", filter, "'; accepted: ", accepted));
    }
    step->filter = StepFilter::kTagIn;
    for (std::string_view name : names) {
      auto tag = ParseTagName(label, name);
      if (!tag) {
        return absl::InvalidArgumentError(text::Cat("unknown ", attr, " '", name,
                                                       "' in filter '", filter, "'"));
      }
      step->tags.set(*tag);
    }
    return absl::OkStatus();
  }
  ValueOp op;
  if (text::ConsumePrefix(&rest, ">=")) op = ValueOp::kGe;
  else if (text::ConsumePrefix(&rest, "<=")) op = ValueOp::kLe;
  else if (text::ConsumePrefix(&rest, ">")) op = ValueOp::kGt;
  else if (text::ConsumePrefix(&rest, "<")) op = ValueOp::kLt;
  else if (text::ConsumePrefix(&rest, "=")) op = ValueOp::kEq;
  else {
    return absl::InvalidArgumentError(
        text::Cat("bad filter '", filter, "'; accepted: ", accepted));
  }
  rest = text::Strip(rest);
  const std::string number(rest);
  char* parse_end = nullptr;
  const double threshold = std::strtod(number.c_str(), &parse_end);
  if (number.empty() || parse_end != number.c_str() + number.size()) {
    return absl::InvalidArgumentError(
        text::Cat("bad number '", rest, "' in filter '", filter, "'"));
  }
  step->filter = StepFilter::kValue;
  step->op = op;
  step->threshold = float(threshold);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PathPattern> ParsePattern(std::string_view text) {
  text = text::Strip(text);
  PathPattern pattern;
  if (text == "self") return pattern;
  if (text.empty()) return absl::InvalidArgumentError("empty reach pattern; write 'self' or steps");
  for (std::string_view part : text::Split(text, '/')) {
    std::string_view step_text = text::Strip(part);
    PatternStep step;
    if (text::ConsumePrefix(&step_text, "~")) step.direction = StepDirection::kBackward;
    std::string_view filter;
    const std::size_t open = step_text.find('[');
    if (open != std::string_view::npos) {
      if (step_text.back() != ']') {
        return absl::InvalidArgumentError(
            text::Cat("step '", part, "' in pattern '", text, "': filter must end with ']'"));
      }
      filter = step_text.substr(open + 1, step_text.size() - open - 2);
      step_text = step_text.substr(0, open);
    }
    step_text = text::Strip(step_text);
    auto label = ParseEdgeLabel(step_text);
    if (!label) {
      return absl::InvalidArgumentError(text::Cat(
          "unknown label '", step_text, "' in pattern '", text,
          "'; labels: legal_rep, officer, shareholder, branch, guarantee, controller"));
    }
    step.label = Label(*label);
    if (open != std::string_view::npos) {
      absl::Status status = ParseFilter(*label, filter, &step);
      if (!status.ok()) {
        return absl::InvalidArgumentError(
            text::Cat("pattern '", text, "': ", status.message()));
      }
    }
    pattern.steps.push_back(step);
  }
  return pattern;
}

std::string StepLabelText(const PatternStep& step) {
  return text::Cat(step.direction == StepDirection::kBackward ? "~" : "",
                      ToString(EdgeLabel(step.label)));
}

std::string FormatPattern(const PathPattern& pattern) {
  if (pattern.is_self()) return "self";
  std::vector<std::string> steps;
  for (const PatternStep& step : pattern.steps) {
    std::string text = StepLabelText(step);
    const auto label = EdgeLabel(step.label);
    if (step.filter == StepFilter::kTagIn) {
      std::vector<std::string> names;
      for (int tag = 0; tag < 256; ++tag) {
        if (step.tags.test(tag)) names.push_back(TagName(label, Tag(tag)));
      }
      text += text::Cat("[", TagAttribute(label),
                      names.size() == 1 ? "=" : " in ", text::Join(names, ","), "]");
    } else if (step.filter == StepFilter::kValue) {
      constexpr std::string_view kOps[] = {">", ">=", "<", "<=", "="};
      text += text::Cat("[", ValueAttribute(label), kOps[int(step.op)], step.threshold, "]");
    }
    steps.push_back(std::move(text));
  }
  return text::Join(steps, "/");
}

}  // namespace cg::core::measures
