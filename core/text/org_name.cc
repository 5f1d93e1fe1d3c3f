// Organization-name parsing: branch, form, region, industry, trade name (see org_name.h).
#include "core/text/org_name.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "core/ids/divisions.h"
#include "core/text/code_point_trie.h"
#include "core/text/normalize.h"

namespace cg::core {
namespace {

// Industry words (行业表述), longest match wins; several may follow each other (科技发展).
constexpr std::string_view kIndustryWords[] = {
    "科技", "技术", "科技发展", "网络科技", "信息技术", "信息科技", "电子科技", "智能科技",
    "生物科技", "农业科技", "环保科技", "新能源科技", "电子商务", "商贸", "贸易", "国际贸易",
    "进出口", "工贸", "经贸", "实业", "投资", "投资管理", "资产管理", "企业管理", "管理咨询",
    "咨询", "发展", "建筑工程", "建筑", "建设", "建设工程", "工程", "建材", "装饰工程", "装饰",
    "装饰装修", "装修", "安装", "钢结构", "市政", "水利", "园林", "园林绿化", "绿化", "餐饮管理",
    "餐饮", "食品", "农业", "农产品", "养殖", "种植", "粮油", "肉食", "水产", "果蔬", "蔬菜",
    "水果", "茶业", "酒业", "饮品", "机械制造", "机械", "机械设备", "设备", "制造", "机电",
    "电机", "重工", "模具", "轴承", "阀门", "泵业", "化工", "新材料", "材料", "能源", "新能源",
    "电力", "电气", "电子", "电器", "光电", "仪器仪表", "仪器", "电缆", "线缆", "管道", "汽车",
    "汽车销售", "汽车服务", "汽车配件", "配件", "轮胎", "物流", "运输", "交通运输", "仓储",
    "供应链", "供应链管理", "房地产开发", "房地产", "置业", "物业管理", "物业", "医药", "药业",
    "医疗器械", "医疗", "生物", "环保", "环境", "文化传媒", "文化传播", "文化", "传媒", "广告",
    "教育咨询", "教育", "培训", "旅游", "酒店管理", "酒店", "服装", "纺织", "家具", "五金",
    "五金交电", "钢铁", "金属", "金属制品", "塑料", "塑胶", "橡胶", "印刷", "包装", "纸业",
    "石油", "石化", "天然气", "燃气", "水务", "通信", "软件", "网络", "信息", "数据", "智能",
    "劳务", "人力资源", "保安", "保洁", "家政", "金融", "担保", "融资租赁", "租赁", "小额贷款",
    "典当", "商务", "商务咨询", "商务服务", "会展", "展览", "设计", "规划设计", "矿业", "煤业",
    "陶瓷", "玻璃", "水泥", "铝业", "铜业", "商业", "百货", "日用品", "服务", "销售", "批发",
    "零售", "加工", "开发", "生产", "工艺品", "礼品", "办公用品", "化妆品", "通讯", "照明",
    "汽车租赁", "再生资源", "废旧物资回收", "美容美发", "美容", "健身", "体育", "娱乐",
};

// Organization forms (组织形式): variant → canonical; longest variant at the end wins.
constexpr FormSynonym kForms[] = {
    {"股份有限公司", "股份有限公司"},
    {"股份有限责任公司", "股份有限公司"},
    {"股份公司", "股份有限公司"},
    {"有限责任公司", "有限公司"},
    {"有限公司", "有限公司"},
    // 有线 (cable) typed for its homophone 有限 (limited) by a pinyin input method: no
    // organization form reads "有线公司", so the slip is unified with the form it stands for.
    {"有线公司", "有限公司"},
    {"有线责任公司", "有限公司"},
    {"股份有线公司", "股份有限公司"},
    {"股份有线责任公司", "股份有限公司"},
    {"集团有线公司", "集团有限公司"},
    {"集团有线责任公司", "集团有限公司"},
    {"集团股份有线公司", "集团股份有限公司"},
    {"(集团)有线公司", "集团有限公司"},
    {"集团股份有限公司", "集团股份有限公司"},
    {"集团股份公司", "集团股份有限公司"},
    {"集团有限责任公司", "集团有限公司"},
    {"集团有限公司", "集团有限公司"},
    {"集团公司", "集团公司"},
    {"(集团)有限公司", "集团有限公司"},
    {"(集团)有限责任公司", "集团有限公司"},
    {"(集团)股份有限公司", "集团股份有限公司"},
    {"(集团)公司", "集团公司"},
    {"集团", "集团"},
    {"总公司", "总公司"},
    {"公司", "公司"},
    {"合伙企业(有限合伙)", "合伙企业(有限合伙)"},
    {"有限合伙企业", "合伙企业(有限合伙)"},
    {"(有限合伙)", "合伙企业(有限合伙)"},
    {"合伙企业(普通合伙)", "合伙企业(普通合伙)"},
    {"普通合伙企业", "合伙企业(普通合伙)"},
    {"(普通合伙)", "合伙企业(普通合伙)"},
    {"合伙企业(特殊普通合伙)", "合伙企业(特殊普通合伙)"},
    {"(特殊普通合伙)", "合伙企业(特殊普通合伙)"},
    {"合伙企业", "合伙企业"},
    {"个人独资企业", "个人独资企业"},
    {"独资企业", "个人独资企业"},
    {"个体工商户", "个体工商户"},
    {"个体户", "个体工商户"},
    {"(个体工商户)", "个体工商户"},
    {"(个体户)", "个体工商户"},
    {"(个体)", "个体工商户"},
    {"农民专业合作社", "农民专业合作社"},
    {"专业合作社", "农民专业合作社"},
    {"农民合作社", "农民专业合作社"},
    {"股份经济合作社", "股份经济合作社"},
    {"经济合作社", "经济合作社"},
    {"合作社", "合作社"},
    {"联合社", "联合社"},
    {"合作联社", "合作联社"},
    {"银行", "银行"},
    {"事务所", "事务所"},
    {"研究院", "研究院"},
    {"研究所", "研究所"},
    {"协会", "协会"},
    {"学会", "学会"},
    {"商会", "商会"},
    {"促进会", "促进会"},
    {"联合会", "联合会"},
    {"研究会", "研究会"},
    {"基金会", "基金会"},
    {"医院", "医院"},
    {"诊所", "诊所"},
    {"学校", "学校"},
    {"幼儿园", "幼儿园"},
    {"委员会", "委员会"},
    {"经营部", "经营部"},
    {"门市部", "门市部"},
    {"服务部", "服务部"},
    {"销售部", "销售部"},
    {"批发部", "批发部"},
    {"营业部", "营业部"},
    {"商行", "商行"},
    {"商店", "商店"},
    {"超市", "超市"},
    {"工作室", "工作室"},
    {"中心", "中心"},
    {"加工厂", "厂"},
    {"工厂", "厂"},
    {"厂", "厂"},
    {"店", "店"},
    {"馆", "馆"},
    {"COMPANY LIMITED", "CO.,LTD."},
    {"CO.,LTD.", "CO.,LTD."},
    {"CO., LTD.", "CO.,LTD."},
    {"CO., LTD", "CO.,LTD."},
    {"CO. LTD.", "CO.,LTD."},
    {"CO. LTD", "CO.,LTD."},
    {"CO.,LTD", "CO.,LTD."},
    {"CO.LTD.", "CO.,LTD."},
    {"CO.LTD", "CO.,LTD."},
    {"CO LTD", "CO.,LTD."},
    {"LIMITED", "LTD."},
    {"LTD.", "LTD."},
    {"LTD", "LTD."},
    {"INC.", "INC."},
    {"INC", "INC."},
    {"CORPORATION", "CORP."},
    {"CORP.", "CORP."},
    {"CORP", "CORP."},
    {"LLC", "LLC"},
    {"GMBH", "GMBH"},
};

// Always a branch.
constexpr std::string_view kBranchMarkers[] = {
    "分公司", "分店", "分厂", "分部", "分行", "支行", "分理处", "分社", "分所", "分院",
    "分中心", "分场", "分校", "分会", "代表处", "支公司", "中心支公司", "分支机构", "储蓄所",
    "分号", "分站",
};
// A branch only after a parent's organization form (else the entity's own form).
constexpr std::string_view kAmbiguousMarkers[] = {
    "营业部", "经营部", "办事处", "门市部", "服务部", "销售部", "营业所", "加油站", "服务站",
    "门店", "专卖店", "直营店", "项目部", "工作站", "联络处", "管理处",
};
// The forms after which a trailing marker makes a branch.
constexpr std::string_view kParentForms[] = {"公司", "集团", "银行", "合作社", "合伙)",
                                             "企业", "联社", "LTD.", "LTD", "INC."};

// Suffix tries over the lists (values: index in kForms; index in kBranchMarkers, or
// kAmbiguousBase + index in kAmbiguousMarkers; industry words carry 0).
constexpr std::uint32_t kAmbiguousBase = 1000;
struct Lexicon {
  CodePointTrie industry{CodePointTrie::Direction::kBackward};
  CodePointTrie forms{CodePointTrie::Direction::kBackward};
  CodePointTrie markers{CodePointTrie::Direction::kBackward};
  CodePointTrie parent_forms{CodePointTrie::Direction::kBackward};
};

const Lexicon& GetLexicon() {
  static const Lexicon lexicon = [] {
    Lexicon built;
    for (const std::string_view word : kIndustryWords) built.industry.Insert(word, 0);
    for (const std::string_view form : kParentForms) built.parent_forms.Insert(form, 0);
    for (std::uint32_t index = 0; index < std::size(kForms); ++index) {
      built.forms.Insert(kForms[index].variant, index);
    }
    for (std::uint32_t index = 0; index < std::size(kBranchMarkers); ++index) {
      built.markers.Insert(kBranchMarkers[index], index);
    }
    for (std::uint32_t index = 0; index < std::size(kAmbiguousMarkers); ++index) {
      built.markers.Insert(kAmbiguousMarkers[index], kAmbiguousBase + index);
    }
    return built;
  }();
  return lexicon;
}

// The byte length of the longest suffix of `text` (at most max_chars code points) for which
// `matches(suffix)` holds, trying the longest first; 0 if none.
template <typename Matches>
std::size_t LongestSuffix(std::string_view text, std::size_t max_chars, Matches&& matches) {
  std::size_t starts[32];
  std::size_t count = 0;
  for (std::size_t pos = text.size(); pos > 0 && count < max_chars && count < 32;) {
    --pos;
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) starts[count++] = pos;
  }
  for (std::size_t i = count; i > 0; --i) {
    const std::size_t start = starts[i - 1];
    if (matches(text.substr(start))) return text.size() - start;
  }
  return 0;
}

void TrimSpaces(std::string_view& text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
}

void AppendRegion(std::string& out, const RegionPrefix& prefix) {
  for (const Division* level : {prefix.province, prefix.prefecture, prefix.county}) {
    if (level != nullptr) out += level->name;
  }
}

// A region name that `name` spells exactly (full or short), preferring current entries.
const Division* RegionByName(std::string_view name) {
  const Division* best = nullptr;
  for (const Division* division : FindDivisionsByName(name)) {
    if (division->level == DivisionLevel::kCounty && division->name != name) continue;
    if (best == nullptr || (division->current && !best->current)) best = division;
  }
  return best;
}

// Where the industry words at the end of `rest` begin (its size if none), keeping at least one
// character of trade name.
std::size_t IndustryStart(const Lexicon& lexicon, std::string_view rest) {
  std::size_t industry_start = rest.size();
  while (true) {
    const std::string_view head = rest.substr(0, industry_start);
    std::size_t length = 0;
    lexicon.industry.ForEachMatch(head, [&](std::size_t matched, std::uint32_t) {
      if (matched < head.size()) length = matched;  // shortest first: the last kept is longest
    });
    if (length == 0) break;
    industry_start -= length;
  }
  return industry_start;
}

std::size_t CodePointCount(std::string_view text) {
  std::size_t count = 0;
  for (const char byte : text) count += (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
  return count;
}

// Code points of the trade name `rest` (after the region) would leave.
std::size_t TradeNameLength(const Lexicon& lexicon, std::string_view rest) {
  std::string_view trade = rest.substr(0, IndustryStart(lexicon, rest));
  TrimSpaces(trade);
  return CodePointCount(trade);
}

// What a department appends to a name in brackets that is not part of it: the entity's status
// ("（已注销）", "(吊销未注销)", "（筹）") or its old name ("（原淄博鑫缘商贸有限公司）", "(曾用名:…)").
constexpr std::string_view kAnnotations[] = {
    "已注销", "注销", "已吊销", "吊销", "吊销未注销", "吊销,未注销", "已吊销未注销", "筹", "筹建", "筹备", "筹备组",
    "停业", "歇业", "已迁出", "迁出", "清算", "清算中", "清算组", "破产", "已破产", "撤销", "已撤销", "存续", "在业",
};

bool IsAnnotation(std::string_view content) {
  if (content.starts_with("原") || content.starts_with("曾用名") || content.starts_with("旧名")) return true;
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), content) != std::end(kAnnotations);
}

// Trailing brackets that hold annotations, removed in place (several in a row too).
void StripTrailingAnnotations(std::string& text) {
  while (text.size() > 2 && text.back() == ')') {
    const std::size_t open = text.rfind('(');
    if (open == std::string::npos || open == 0) return;
    const std::string_view content = std::string_view(text).substr(open + 1, text.size() - open - 2);
    if (content.find('(') != std::string_view::npos || !IsAnnotation(content)) return;
    text.erase(open);
    while (!text.empty() && text.back() == ' ') text.pop_back();
  }
}

// The code a region of the name stands for today: a retired division's successor (莱芜市 371200,
// part of 济南 since 2019 → 370100), else its own.
std::string_view CurrentCode(const Division& division) {
  return !division.current && !division.successor.empty() ? division.successor : division.code;
}

// A trailing bracket holding a branch ("…有限公司（济南分公司）"): its brackets removed in place, so
// that the branch ends the name as it does when written without them. A bracketed form
// ("(有限合伙)", "(个体工商户)") has no branch marker and stays.
void UnbracketTrailingBranch(const Lexicon& lexicon, std::string& text) {
  if (text.size() < 3 || text.back() != ')') return;
  const std::size_t open = text.rfind('(');
  if (open == std::string::npos || open == 0) return;
  const std::string_view content = std::string_view(text).substr(open + 1, text.size() - open - 2);
  if (content.empty() || content.find('(') != std::string_view::npos) return;
  if (lexicon.markers.Longest(content) == 0) return;
  text.pop_back();
  text.erase(open, 1);
}

// The one current county whose short name is `name` (历下 → 历下区), or nullptr when none or
// several (市中: 济南 and 枣庄).
const Division* UniqueCountyByShortName(std::string_view name) {
  const Division* found = nullptr;
  for (const Division* division : FindDivisionsByName(name)) {
    if (division->level != DivisionLevel::kCounty || !division->current || division->short_name != name) continue;
    if (found != nullptr) return nullptr;
    found = division;
  }
  return found;
}

}  // namespace

std::span<const std::string_view> IndustryWords() { return kIndustryWords; }
std::span<const FormSynonym> OrgForms() { return kForms; }
std::span<const std::string_view> BranchMarkers() { return kBranchMarkers; }
std::span<const std::string_view> AmbiguousBranchMarkers() { return kAmbiguousMarkers; }

// The parse itself (ParseOrgName adds the per-thread memo of the last name around it); `text` and
// `body_buffer` are the caller's scratch strings.
static void ParseOrgNameUncached(std::string_view name, OrgNameParts& parts, std::string& text,
                                 std::string& body_buffer) {
  const Lexicon& lexicon = GetLexicon();
  NormalizeText(name, text, TextOptions{.upper_ascii = true});
  for (std::string* field : {&parts.canonical, &parts.key, &parts.region, &parts.region_code,
                             &parts.trade_name, &parts.industry, &parts.form, &parts.branch,
                             &parts.branch_marker, &parts.branch_region_code,
                             &parts.parent_canonical}) {
    field->clear();
  }
  parts.is_branch = false;
  thread_local std::string branch_spelled;
  branch_spelled.clear();
  TrimNamePunctuation(text);
  StripTrailingAnnotations(text);
  UnbracketTrailingBranch(lexicon, text);
  std::string_view rest = text;

  // 1. Branch.
  std::uint32_t marker_index = 0;
  const std::size_t marker_length = lexicon.markers.Longest(rest, &marker_index);
  if (marker_length > 0 && marker_length < rest.size()) {
    const std::string_view marker = rest.substr(rest.size() - marker_length);
    const std::string_view before = rest.substr(0, rest.size() - marker_length);
    // The end of the last parent form in `before` (0 if none): walk the end back one code
    // point at a time, probing the suffix trie of parent forms.
    std::size_t parent_end = 0;
    for (std::size_t end = before.size(); end > 0; --end) {
      if ((static_cast<unsigned char>(before[end - 1]) & 0xC0) == 0x80) continue;
      const std::size_t stop = end - 1;  // `before[stop]` starts a code point; try ending after it
      std::size_t char_end = stop + 1;
      while (char_end < before.size() &&
             (static_cast<unsigned char>(before[char_end]) & 0xC0) == 0x80) {
        ++char_end;
      }
      const std::size_t length = lexicon.parent_forms.Longest(before.substr(0, char_end));
      if (length > 0 && length < char_end) {
        parent_end = char_end;
        break;
      }
    }
    std::size_t branch_start = std::string_view::npos;
    if (parent_end > 0) {
      branch_start = parent_end;
    } else if (marker_index < kAmbiguousBase) {
      // No parent form: a region name right before the marker belongs to the branch.
      const std::size_t place = LongestSuffix(before, 8, [](std::string_view suffix) {
        return RegionByName(suffix) != nullptr;
      });
      branch_start = place < before.size() ? before.size() - place : before.size();
    }
    if (branch_start != std::string_view::npos) {
      // "…有限公司-济南分公司", "…有限公司 济南分公司": the separator is not part of the branch.
      std::size_t branch_text = branch_start;
      while (branch_text < rest.size() - marker_length && (rest[branch_text] == '-' || rest[branch_text] == ' ')) {
        ++branch_text;
      }
      parts.is_branch = true;
      parts.branch.assign(rest.substr(branch_text));
      parts.branch_marker.assign(marker);
      const std::string_view branch_place =
          std::string_view(parts.branch).substr(0, parts.branch.size() - marker.size());
      const RegionPrefix place = ParseRegionPrefix(branch_place);
      // The place of the branch spelled one way (济南分公司 / 济南市分公司 / 山东济南分公司; 历下营业部 /
      // 历下区营业部 / 济南历下营业部): its most specific level's short name, then the rest.
      const Division* spelled = nullptr;
      std::size_t spelled_length = 0;
      if (const Division* division = place.most_specific()) {
        parts.branch_region_code.assign(CurrentCode(*division));
        spelled = division;
        spelled_length = place.length;
      } else if (const Division* named = RegionByName(branch_place)) {
        parts.branch_region_code.assign(CurrentCode(*named));
        spelled = named;
        spelled_length = branch_place.size();
      } else if (const Division* county = UniqueCountyByShortName(branch_place)) {
        parts.branch_region_code.assign(CurrentCode(*county));  // a bare county name: 历下营业部
        spelled = county;
        spelled_length = branch_place.size();
      }
      if (spelled != nullptr) {
        branch_spelled.assign(spelled->short_name.empty() ? spelled->name : spelled->short_name);
        branch_spelled.append(std::string_view(parts.branch).substr(spelled_length));
      } else {
        branch_spelled = parts.branch;
      }
      rest = rest.substr(0, branch_start);
    }
  }
  TrimSpaces(rest);

  // 2. Organization form.
  std::uint32_t form_index = 0;
  const std::size_t form_length = lexicon.forms.Longest(rest, &form_index);
  if (form_length > 0 && form_length < rest.size()) {
    parts.form.assign(kForms[form_index].canonical);
    rest.remove_suffix(form_length);
    TrimSpaces(rest);
  }

  // 3. Region: a prefix of up to three levels, else a bracketed region inside the name.
  RegionPrefix prefix = ParseRegionPrefix(rest);
  if (prefix.length > 0 && prefix.length < rest.size()) {
    // 字号 has two characters or more (企业名称登记管理规定): when the longest region reading
    // leaves one ("济南市中丰化工" read as 济南 + 市中区 + 丰), a shorter reading that leaves two
    // wins (济南市 + 中丰). Without such a reading the longest stays ("淄博鑫科技": 淄博 + 鑫).
    if (TradeNameLength(lexicon, rest.substr(prefix.length)) < 2) {
      std::size_t end = prefix.length;
      while (end > 0) {
        do {
          --end;
        } while (end > 0 && (static_cast<unsigned char>(rest[end]) & 0xC0) == 0x80);
        const RegionPrefix shorter = ParseRegionPrefix(rest.substr(0, end));
        if (shorter.length == 0) break;
        if (TradeNameLength(lexicon, rest.substr(shorter.length)) >= 2) {
          prefix = shorter;
          break;
        }
        end = shorter.length;
      }
    }
    AppendRegion(parts.region, prefix);
    parts.region_code.assign(CurrentCode(*prefix.most_specific()));
    rest.remove_prefix(prefix.length);
  } else {
    const std::size_t open = rest.find('(');
    const std::size_t close = open == std::string_view::npos ? open : rest.find(')', open);
    if (close != std::string_view::npos && close - open + 1 < rest.size()) {
      const std::string_view inside = rest.substr(open + 1, close - open - 1);
      // One name (淄博, 桓台县) or up to three levels read as a prefix (淄博桓台, 济南历下).
      const RegionPrefix levels = ParseRegionPrefix(inside);
      const Division* division = nullptr;
      if (levels.length == inside.size() && levels.length > 0) {
        AppendRegion(parts.region, levels);
        division = levels.most_specific();
      } else if ((division = RegionByName(inside)) != nullptr) {
        parts.region.assign(division->name);
      }
      if (division != nullptr) {
        parts.region_code.assign(CurrentCode(*division));
        body_buffer.assign(rest.substr(0, open));
        body_buffer.append(rest.substr(close + 1));
        rest = body_buffer;
      }
    }
  }
  TrimSpaces(rest);

  // 4. Industry words from the end, keeping at least one character of trade name.
  const std::size_t industry_start = IndustryStart(lexicon, rest);
  parts.industry.assign(rest.substr(industry_start));
  // 5. Trade name: the rest.
  std::string_view trade = rest.substr(0, industry_start);
  TrimSpaces(trade);
  parts.trade_name.assign(trade);

  parts.key = parts.trade_name;
  parts.key += parts.industry;
  // 个体工商户 says what kind of entity it is, not its name: "刘思浩（个体工商户）", "刘思浩个体户" and
  // the registered "刘思浩" are one business (docs/sweep2.md).
  if (parts.form != "个体工商户") parts.key += parts.form;
  parts.canonical = parts.region;
  parts.canonical += parts.key;
  if (parts.is_branch) {
    parts.parent_canonical = parts.canonical;
    parts.key += branch_spelled;  // `branch` stays as written; key and canonical spell its place
    parts.canonical += branch_spelled;
  }
}

namespace {

// The last name parsed on this thread and its parts. Entity resolution parses the same name twice
// in a row for most records that tie a person to an organization: once as the organization's
// own mention, once as the relational context (OrgNameKey) of the person's mention beside it.
// With the parse's scratch strings: one thread-local object, one TLS lookup per call (each
// thread_local of a shared library costs a __tls_get_addr call).
struct LastParse {
  bool valid = false;
  std::string name;
  OrgNameParts parts;
  std::string text;         // the normalized name
  std::string body_buffer;  // the name without a bracketed region
};

// The memo entry for `name`, parsed now unless it is the last name parsed on this thread.
const OrgNameParts& ParseOrgNameMemo(std::string_view name) {
  thread_local LastParse last;
  if (!(last.valid && last.name == name)) {
    last.valid = false;
    last.name.assign(name);  // a copy: `name` may view memory the caller overwrites next
    ParseOrgNameUncached(last.name, last.parts, last.text, last.body_buffer);
    last.valid = true;
  }
  return last.parts;
}

}  // namespace

void ParseOrgName(std::string_view name, OrgNameParts& parts) { parts = ParseOrgNameMemo(name); }

OrgNameParts ParseOrgName(std::string_view name) {
  OrgNameParts parts;
  ParseOrgName(name, parts);
  return parts;
}

std::string CanonicalOrgName(std::string_view name) { return ParseOrgName(name).canonical; }

void OrgNameKey(std::string_view name, std::string& out) { out = ParseOrgNameMemo(name).key; }

std::string OrgNameKey(std::string_view name) {
  std::string out;
  OrgNameKey(name, out);
  return out;
}

}  // namespace cg::core
