// Organization-name parsing, rule by rule: forms and synonyms, region prefixes, industry words,
// trade names, branches (never equal to their parent), keys.
#include "core/text/org_name.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace cg::core {
namespace {

struct Expected {
  const char* input;
  const char* region;
  const char* trade;
  const char* industry;
  const char* form;
  const char* branch;
};

void ExpectParts(const Expected& expected) {
  const OrgNameParts parts = ParseOrgName(expected.input);
  EXPECT_EQ(parts.region, expected.region) << expected.input;
  EXPECT_EQ(parts.trade_name, expected.trade) << expected.input;
  EXPECT_EQ(parts.industry, expected.industry) << expected.input;
  EXPECT_EQ(parts.form, expected.form) << expected.input;
  EXPECT_EQ(parts.branch, expected.branch) << expected.input;
  EXPECT_EQ(parts.is_branch, std::string(expected.branch) != "") << expected.input;
}

TEST(OrgName, PartsCaseByCase) {
  const Expected cases[] = {
      {"山东省淄博市桓台县鑫源商贸有限公司", "山东省淄博市桓台县", "鑫源", "商贸", "有限公司", ""},
      {"淄博桓台鑫源商贸有限责任公司", "淄博市桓台县", "鑫源", "商贸", "有限公司", ""},
      {"济南华为技术有限公司", "济南市", "华为", "技术", "有限公司", ""},
      {"历下区老王餐饮管理服务部", "历下区", "老王", "餐饮管理", "服务部", ""},
      {"山东鲁能科技发展股份公司", "山东省", "鲁能", "科技发展", "股份有限公司", ""},
      {"青岛海尔股份有限公司", "青岛市", "海尔", "", "股份有限公司", ""},
      {"鑫源商贸（淄博）有限公司", "淄博市", "鑫源", "商贸", "有限公司", ""},
      {"鑫源建筑工程有限公司", "", "鑫源", "建筑工程", "有限公司", ""},
      {"鑫源机械制造厂", "", "鑫源", "机械制造", "厂", ""},
      {"张三五金经营部", "", "张三", "五金", "经营部", ""},
      {"桓台县张三五金个体户", "桓台县", "张三", "五金", "个体工商户", ""},
      {"淄博鑫源投资合伙企业（有限合伙）", "淄博市", "鑫源", "投资", "合伙企业(有限合伙)", ""},
      {"淄博鑫源投资（有限合伙）", "淄博市", "鑫源", "投资", "合伙企业(有限合伙)", ""},
      {"桓台县果里镇鑫源蔬菜农民专业合作社", "桓台县", "果里镇鑫源", "蔬菜", "农民专业合作社", ""},
      {"鑫科技有限公司", "", "鑫", "科技", "有限公司", ""},
      {"科技有限公司", "", "科技", "", "有限公司", ""},
      // Branches.
      {"淄博鑫源商贸有限公司济南分公司", "淄博市", "鑫源", "商贸", "有限公司", "济南分公司"},
      {"淄博鑫源商贸有限公司历下营业部", "淄博市", "鑫源", "商贸", "有限公司", "历下营业部"},
      {"鑫源济南分店", "", "鑫源", "", "", "济南分店"},
      // Industry words are stripped greedily: 石化 counts as industry here (key unaffected).
      {"中国石化销售股份有限公司山东淄博桓台加油站", "", "中国", "石化销售", "股份有限公司",
       "山东淄博桓台加油站"},
  };
  for (const Expected& expected : cases) ExpectParts(expected);
}

// Styles of the second generality sweep (docs/sweep2.md, tests/data/unseen2/): each pair is one
// organization written two ways by two departments, so the two names must share their key.
TEST(OrgName, SweepStylesShareTheKey) {
  const std::pair<const char*, const char*> same[] = {
      // a branch in brackets, or after a hyphen or a space, is the same branch
      {"淄博鑫源商贸有限公司（济南分公司）", "淄博鑫源商贸有限公司济南分公司"},
      {"淄博鑫源商贸有限公司(历下营业部)", "淄博鑫源商贸有限公司历下营业部"},
      {"淄博鑫源商贸有限公司-济南分公司", "淄博鑫源商贸有限公司济南分公司"},
      {"淄博鑫源商贸有限公司 济南分公司", "淄博鑫源商贸有限公司济南分公司"},
      // a region of two levels in brackets
      {"鑫源商贸（淄博桓台）有限公司", "淄博桓台鑫源商贸有限公司"},
      {"鑫源商贸(济南历下)有限公司", "济南市历下区鑫源商贸有限公司"},
      // an individual business named by its operator, with or without the form in brackets
      {"刘思浩（个体工商户）", "刘思浩"},
      {"刘思浩(个体户)", "刘思浩"},
      {"桓台县张三五金个体户", "桓台县张三五金"},
  };
  for (const auto& [a, b] : same) {
    EXPECT_EQ(OrgNameKey(a), OrgNameKey(b)) << a << " / " << b;
    EXPECT_EQ(CanonicalOrgName(a), CanonicalOrgName(b)) << a << " / " << b;
  }
  // The bracketed branch is still a branch of its parent, never the parent.
  const OrgNameParts parts = ParseOrgName("淄博鑫源商贸有限公司（济南分公司）");
  EXPECT_TRUE(parts.is_branch);
  EXPECT_EQ(parts.branch, "济南分公司");
  EXPECT_EQ(parts.branch_region_code, "370100");
  EXPECT_EQ(parts.parent_canonical, CanonicalOrgName("淄博鑫源商贸有限公司"));
  // A bracketed form that is not a branch stays the form.
  EXPECT_FALSE(ParseOrgName("淄博鑫源投资（有限合伙）").is_branch);
  EXPECT_EQ(ParseOrgName("鑫源商贸（淄博桓台）有限公司").region_code, "370321");
}

// More styles of the sweep: 集团 in brackets, a status or the old name a department appends in
// brackets, 莱芜 (a prefecture until 2019, part of 济南 since) in a registered name.
TEST(OrgName, GroupBracketsAnnotationsAndRetiredPrefectures) {
  const std::pair<const char*, const char*> same[] = {
      {"山东鲁能（集团）有限公司", "山东鲁能集团有限公司"},
      {"山东鲁能(集团)股份有限公司", "山东鲁能集团股份有限公司"},
      {"淄博鑫源商贸有限公司（已注销）", "淄博鑫源商贸有限公司"},
      {"淄博鑫源商贸有限公司(吊销未注销)", "淄博鑫源商贸有限公司"},
      {"淄博鑫源商贸有限公司（筹）", "淄博鑫源商贸有限公司"},
      {"淄博鑫源商贸有限公司（原淄博鑫缘商贸有限公司）", "淄博鑫源商贸有限公司"},
      {"淄博鑫源商贸有限公司济南分公司（已注销）", "淄博鑫源商贸有限公司济南分公司"},
      {"张三五金（个体）", "张三五金"},
      {"莱芜鑫源商贸有限公司", "莱芜市鑫源商贸有限公司"},
  };
  for (const auto& [a, b] : same) {
    EXPECT_EQ(OrgNameKey(a), OrgNameKey(b)) << a << " / " << b;
  }
  // the region of a retired prefecture is its successor's (莱芜市 371200 → 济南市 370100)
  EXPECT_EQ(ParseOrgName("莱芜鑫源商贸有限公司").region_code, "370100");
  EXPECT_EQ(ParseOrgName("莱芜市鑫源商贸有限公司").region_code, "370100");
  EXPECT_EQ(ParseOrgName("莱芜鑫源商贸有限公司").trade_name, "鑫源");
  // a bracket that is neither a status nor an old name stays part of the name
  EXPECT_NE(OrgNameKey("可口可乐（中国）饮料有限公司"), OrgNameKey("可口可乐饮料有限公司"));
  EXPECT_TRUE(ParseOrgName("淄博鑫源商贸有限公司济南分公司（已注销）").is_branch);
}

// The place of a branch spelled several ways is one branch; other places and markers stay apart.
TEST(OrgName, BranchPlaceSpelledOneWay) {
  const std::pair<const char*, const char*> same[] = {
      {"淄博鑫源商贸有限公司济南市分公司", "淄博鑫源商贸有限公司济南分公司"},
      {"淄博鑫源商贸有限公司山东济南分公司", "淄博鑫源商贸有限公司济南分公司"},
      {"淄博鑫源商贸有限公司历下营业部", "淄博鑫源商贸有限公司历下区营业部"},
      {"淄博鑫源商贸有限公司济南历下营业部", "淄博鑫源商贸有限公司历下区营业部"},
      {"中国工商银行股份有限公司淄博张店支行", "中国工商银行股份有限公司张店区支行"},
  };
  for (const auto& [a, b] : same) {
    EXPECT_EQ(OrgNameKey(a), OrgNameKey(b)) << a << " / " << b;
  }
  EXPECT_NE(OrgNameKey("淄博鑫源商贸有限公司济南分公司"), OrgNameKey("淄博鑫源商贸有限公司青岛分公司"));
  EXPECT_NE(OrgNameKey("淄博鑫源商贸有限公司历下营业部"), OrgNameKey("淄博鑫源商贸有限公司历城营业部"));
  EXPECT_NE(OrgNameKey("淄博鑫源商贸有限公司济南分公司"), OrgNameKey("淄博鑫源商贸有限公司济南营业部"));
  EXPECT_EQ(ParseOrgName("淄博鑫源商贸有限公司历下营业部").branch_region_code, "370102");
  EXPECT_EQ(ParseOrgName("淄博鑫源商贸有限公司济南市分公司").branch, "济南市分公司");  // the part as written
  EXPECT_EQ(OrgNameKey("淄博鑫源商贸有限公司第一分厂"), "鑫源商贸有限公司第一分厂");
  EXPECT_EQ(OrgNameKey("淄博鑫源商贸有限公司市中营业部"), "鑫源商贸有限公司市中营业部");  // 济南 or 枣庄: as written
}

// Punctuation left at the ends of a name by the department (second sweep).
TEST(OrgName, PunctuationAtTheEndsIsNotPartOfTheName) {
  for (const char* name : {"济南鑫源商贸有限公司。", "济南鑫源商贸有限公司，", "济南鑫源商贸有限公司;", "济南鑫源商贸有限公司.",
                           "济南鑫源商贸有限公司（）", "济南鑫源商贸有限公司*", "、济南鑫源商贸有限公司", "济南鑫源商贸有限公司。。"}) {
    EXPECT_EQ(OrgNameKey(name), OrgNameKey("济南鑫源商贸有限公司")) << name;
    EXPECT_EQ(ParseOrgName(name).form, "有限公司") << name;
  }
  EXPECT_EQ(CanonicalOrgName("Qingdao Haier Co., Ltd."), CanonicalOrgName("Qingdao Haier Co.,Ltd"));
  EXPECT_EQ(ParseOrgName("Qingdao Haier Co., Ltd.").form, "CO.,LTD.");
}

// 字号 has at least two characters (企业名称登记管理规定): "济南市中丰化工" is 济南市 + 中丰, not
// 济南 + 市中(区) + 丰. A one-character trade name stays when no shorter region reading exists.
TEST(OrgName, TradeNameOfTwoCharactersBeatsALongerRegion) {
  const OrgNameParts parts = ParseOrgName("济南市中丰化工有限公司");
  EXPECT_EQ(parts.region_code, "370100");
  EXPECT_EQ(parts.trade_name, "中丰");
  EXPECT_EQ(OrgNameKey("济南市中丰化工有限公司"), OrgNameKey("济南中丰化工有限公司"));
  // both readings leave two characters or more: the longer region stays (市南区 + 辰诺)
  EXPECT_EQ(ParseOrgName("青岛市南辰诺食品有限公司").trade_name, "辰诺");
  EXPECT_EQ(ParseOrgName("济南市中区鑫源商贸有限公司").region_code, "370103");
  EXPECT_EQ(ParseOrgName("济南市中区鑫源商贸有限公司").trade_name, "鑫源");
  EXPECT_EQ(ParseOrgName("淄博鑫科技有限公司").trade_name, "鑫");  // no other reading: kept
  EXPECT_EQ(ParseOrgName("淄博鑫科技有限公司").region_code, "370300");
}

TEST(OrgName, BankBranch) {
  // "银行股份有限公司" is not one form: 股份有限公司 is, 银行 stays in the trade part.
  const OrgNameParts parts = ParseOrgName("中国工商银行股份有限公司淄博分行");
  EXPECT_TRUE(parts.is_branch);
  EXPECT_EQ(parts.branch, "淄博分行");
  EXPECT_EQ(parts.branch_marker, "分行");
  EXPECT_EQ(parts.branch_region_code, "370300");
  EXPECT_EQ(parts.form, "股份有限公司");
  EXPECT_EQ(parts.parent_canonical, "中国工商银行股份有限公司");
}

TEST(OrgName, SynonymsShareCanonicalForm) {
  EXPECT_EQ(CanonicalOrgName("淄博鑫源商贸有限责任公司"), CanonicalOrgName("淄博市鑫源商贸有限公司"));
  EXPECT_EQ(CanonicalOrgName("山东鲁能股份公司"), CanonicalOrgName("山东省鲁能股份有限公司"));
  // 有线 for its homophone 有限 (a pinyin slip): the form it stands for.
  EXPECT_EQ(CanonicalOrgName("威海市金源信息科技有线公司"), "威海市金源信息科技有限公司");
  EXPECT_EQ(CanonicalOrgName("峄城鼎盛橡胶有线责任公司"), CanonicalOrgName("峄城鼎盛橡胶有限公司"));
  EXPECT_EQ(CanonicalOrgName("青岛康泰餐饮管理股份有线公司"), "青岛市康泰餐饮管理股份有限公司");
  EXPECT_EQ(CanonicalOrgName("山东鲁信集团有线公司"), CanonicalOrgName("山东鲁信集团有限公司"));
  EXPECT_EQ(OrgNameKey("金源信息科技有线公司"), OrgNameKey("金源信息科技有限公司"));
  EXPECT_EQ(CanonicalOrgName("淄博鑫源有线电视有限公司"), "淄博市鑫源有线电视有限公司");  // an industry word stays
  EXPECT_EQ(CanonicalOrgName("鑫源商贸（淄博）有限公司"), CanonicalOrgName("淄博鑫源商贸有限公司"));
  EXPECT_EQ(CanonicalOrgName("淄博鑫源商贸有限公司"), "淄博市鑫源商贸有限公司");
  EXPECT_EQ(CanonicalOrgName(" 淄博 鑫源商貿（有限公司） "), CanonicalOrgName("淄博鑫源商贸(有限公司)"));
  EXPECT_EQ(CanonicalOrgName("臺灣機械製造有限公司"), "台湾省机械制造有限公司");
  EXPECT_EQ(CanonicalOrgName("華為機械製造有限公司"), "华为机械制造有限公司");
  EXPECT_NE(CanonicalOrgName("鑫源商贸有限公司"), CanonicalOrgName("鑫源商贸股份有限公司"));
  EXPECT_NE(CanonicalOrgName("鑫源集团有限公司"), CanonicalOrgName("鑫源有限公司"));
}

TEST(OrgName, BranchNeverNormalizesToParent) {
  for (const char* branch : {"淄博鑫源商贸有限公司济南分公司", "淄博鑫源商贸有限公司分公司",
                             "淄博鑫源商贸有限公司营业部", "淄博鑫源商贸有限公司桓台经营部",
                             "淄博鑫源商贸有限公司办事处", "淄博鑫源商贸有限公司第一分厂"}) {
    const OrgNameParts parts = ParseOrgName(branch);
    EXPECT_TRUE(parts.is_branch) << branch;
    EXPECT_NE(parts.canonical, CanonicalOrgName("淄博鑫源商贸有限公司")) << branch;
    EXPECT_NE(parts.key, OrgNameKey("淄博鑫源商贸有限公司")) << branch;
    EXPECT_EQ(parts.parent_canonical, CanonicalOrgName("淄博鑫源商贸有限公司")) << branch;
  }
  // Two branches of one parent differ from each other too.
  EXPECT_NE(CanonicalOrgName("淄博鑫源商贸有限公司济南分公司"),
            CanonicalOrgName("淄博鑫源商贸有限公司青岛分公司"));
}

TEST(OrgName, KeyDropsRegionOnly) {
  EXPECT_EQ(OrgNameKey("山东省淄博市鑫源商贸有限公司"), "鑫源商贸有限公司");
  EXPECT_EQ(OrgNameKey("鑫源商贸有限责任公司"), "鑫源商贸有限公司");
  EXPECT_EQ(OrgNameKey("淄博鑫源商贸有限公司济南分公司"), "鑫源商贸有限公司济南分公司");
}

TEST(OrgName, EnglishNames) {
  const OrgNameParts parts = ParseOrgName("Qingdao Haier Co., Ltd.");
  EXPECT_EQ(parts.form, "CO.,LTD.");
  EXPECT_EQ(parts.trade_name, "QINGDAO HAIER");
  EXPECT_EQ(CanonicalOrgName("QINGDAO HAIER COMPANY LIMITED"), CanonicalOrgName("Qingdao Haier Co.,Ltd"));
}

TEST(OrgName, DegenerateInputs) {
  EXPECT_EQ(CanonicalOrgName(""), "");
  EXPECT_EQ(CanonicalOrgName("有限公司"), "有限公司");
  EXPECT_EQ(CanonicalOrgName("淄博市"), "淄博市");
  EXPECT_EQ(ParseOrgName("分公司").is_branch, false);
}

TEST(OrgName, ListsAreDocumentedAndConsistent) {
  EXPECT_GT(IndustryWords().size(), 100u);
  for (const FormSynonym& form : OrgForms()) {
    // Every canonical form is itself a variant mapping to itself (idempotence).
    bool found = false;
    for (const FormSynonym& other : OrgForms()) {
      if (other.variant == form.canonical) found = other.canonical == form.canonical;
    }
    EXPECT_TRUE(found || form.canonical == "厂" || form.canonical == "CO.,LTD.") << form.variant;
  }
}

// ParseOrgName and OrgNameKey remember the last name parsed on the thread: a repeated name (as
// resolution parses it, once for the organization's mention and once as the context of the person
// beside it) must give exactly what a first parse gives, and a name viewing the caller's own
// parts must still be read before they are overwritten.
TEST(OrgName, RepeatedNamesParseAsFresh) {
  const std::vector<std::string> names = {"山东省淄博市鑫源商贸有限公司", "鑫源商贸有限责任公司",
                                          "淄博鑫源商贸有限公司济南分公司", "", "张三",
                                          "ABC Trading Co., Ltd.", "鑫源商贸(淄博)有限公司"};
  std::vector<OrgNameParts> fresh;
  for (const std::string& name : names) {
    ParseOrgName("清空", *fresh.emplace(fresh.end()));  // another name in between: a first parse
    ParseOrgName(name, fresh.back());
  }
  auto expect_same = [](const OrgNameParts& x, const OrgNameParts& y, const std::string& name) {
    EXPECT_EQ(x.canonical, y.canonical) << name;
    EXPECT_EQ(x.key, y.key) << name;
    EXPECT_EQ(x.region, y.region) << name;
    EXPECT_EQ(x.region_code, y.region_code) << name;
    EXPECT_EQ(x.trade_name, y.trade_name) << name;
    EXPECT_EQ(x.industry, y.industry) << name;
    EXPECT_EQ(x.form, y.form) << name;
    EXPECT_EQ(x.branch, y.branch) << name;
    EXPECT_EQ(x.branch_marker, y.branch_marker) << name;
    EXPECT_EQ(x.branch_region_code, y.branch_region_code) << name;
    EXPECT_EQ(x.parent_canonical, y.parent_canonical) << name;
    EXPECT_EQ(x.is_branch, y.is_branch) << name;
  };
  OrgNameParts parts;
  std::string key;
  const int order[] = {0, 0, 1, 0, 2, 2, 2, 3, 3, 4, 5, 5, 6, 1, 6, 6};
  for (const int index : order) {
    ParseOrgName(names[index], parts);
    expect_same(parts, fresh[index], names[index]);
    OrgNameKey(names[index], key);
    EXPECT_EQ(key, fresh[index].key) << names[index];
    ParseOrgName(names[index], parts);
    expect_same(parts, fresh[index], names[index]);
  }
  // The caller's parts as the input: "淄博鑫源商贸有限公司济南分公司" → its canonical, parsed
  // into the same parts.
  ParseOrgName(names[2], parts);
  const OrgNameParts of_canonical = ParseOrgName(std::string(parts.canonical));
  OrgNameParts other;
  ParseOrgName("清空", other);  // so that the next parse is a first one, not the memo's
  ParseOrgName(parts.canonical, parts);
  expect_same(parts, of_canonical, "canonical of " + names[2]);
}

}  // namespace
}  // namespace cg::core
