// Organization names: a canonical form and its parts.
//   [region][trade name 字号][industry words 行业][organization form 组织形式][branch 分支]
//   山东省淄博市  鑫源          商贸               有限公司                  济南分公司
// Parsing, after NormalizeText (NFKC, Traditional → Simplified, brackets, spaces, ASCII upper):
//   1. branch: a name ending in a branch marker (分公司, 分店, 分厂, 分行, 支行, 营业部, 办事处,
//      经营部 …) after a parent's organization form ("…有限公司济南分公司") is a branch: the part after
//      the parent's form is kept apart, so a branch never normalizes to its parent. Markers that
//      are also ordinary forms of a small business (经营部, 营业部, 门市部, 服务部, 办事处 …) make a
//      branch only after a parent's form; unambiguous ones (分公司, 分店 …) always do, taking a
//      region name just before them as the branch's place ("鑫源济南分店").
//   2. organization form: the longest known form at the end, synonyms unified (有限责任公司 →
//      有限公司, 股份公司 → 股份有限公司, (有限合伙) → 合伙企业(有限合伙), 个体户 → 个体工商户 …).
//   3. region: up to three GB/T 2260 levels at the start (山东省淄博市桓台县, 淄博桓台, 历下区), or
//      one in brackets inside the name (鑫源商贸(淄博)有限公司, the legal alternative placement).
//      The canonical form spells every level in full and puts it first.
//   4. industry words: longest matches from a documented list, repeatedly from the end of what is
//      left (科技发展 = 科技 + 发展), keeping at least one character of trade name.
//   5. trade name: the rest.
// The lists are in org_name.cc and docs/names.md.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace cg::core {

struct OrgNameParts {
  std::string canonical;         ///< region(full) + trade + industry + form + branch
  std::string key;               ///< canonical without the region: OrgNameKey
  std::string region;            ///< full names of the parsed levels: 山东省淄博市桓台县
  std::string region_code;       ///< the most specific division's code, e.g. 370321
  std::string trade_name;        ///< 字号
  std::string industry;          ///< industry words, concatenated
  std::string form;              ///< canonical organization form (有限公司, 个体工商户 …)
  std::string branch;            ///< the branch part (济南分公司), empty if not a branch
  std::string branch_marker;     ///< 分公司, 分店, 营业部 …
  std::string branch_region_code;  ///< division of a region name inside the branch part
  std::string parent_canonical;  ///< canonical of the parent (the name without the branch part)
  bool is_branch = false;
};

/// Parses `name` into `parts` (every field overwritten; string capacity reused).
void ParseOrgName(std::string_view name, OrgNameParts& parts);
OrgNameParts ParseOrgName(std::string_view name);

/// The canonical form of an organization name (ParseOrgName(name).canonical).
std::string CanonicalOrgName(std::string_view name);

/// A cheap key for blocking: the canonical form without the region (trade + industry + form +
/// branch). "山东鑫源商贸有限公司" and "鑫源商贸有限责任公司" share it; a branch never shares its
/// parent's key.
void OrgNameKey(std::string_view name, std::string& out);
std::string OrgNameKey(std::string_view name);

/// The documented word lists (for docs and tests).
std::span<const std::string_view> IndustryWords();
struct FormSynonym {
  std::string_view variant;
  std::string_view canonical;
};
std::span<const FormSynonym> OrgForms();
std::span<const std::string_view> BranchMarkers();           ///< always a branch
std::span<const std::string_view> AmbiguousBranchMarkers();  ///< a branch after a parent's form

}  // namespace cg::core
