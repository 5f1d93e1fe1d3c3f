// Test helpers for core/resolve: valid codes built with the check-digit primitives, Records in
// one line, hand-set Fellegi–Sunter parameters, and a small synthetic province with noise.
#pragma once

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "core/record.h"
#include "core/resolve/comparisons.h"
#include "core/resolve/fellegi_sunter.h"
#include "core/resolve/resolver.h"

namespace cg::core::resolve::testing {

inline std::string Uscc(int serial, const std::string& region = "370102") {
  char org8[16];
  std::snprintf(org8, sizeof(org8), "%08d", serial);
  std::string org = std::string(org8) + *OrgCodeCheckChar(org8);
  std::string first17 = "91" + region + org;
  return first17 + *UsccCheckChar(first17);
}
inline std::string OrgCodeOfUscc(const std::string& uscc) { return uscc.substr(8, 9); }
inline std::string RegNo(int serial) {
  char first14[16];
  std::snprintf(first14, sizeof(first14), "37010200%06d", serial);
  return std::string(first14) + *RegNoCheckChar(first14);
}
inline std::string IdNo(int serial, const std::string& birth = "19800101",
                        const std::string& region = "370102") {
  char seq[8];
  std::snprintf(seq, sizeof(seq), "%03d", serial % 1000);
  std::string first17 = region + birth + seq;
  return first17 + *IdNumberCheckChar(first17);
}
/// The same code with its last (check) character replaced by a wrong one.
inline std::string BreakCheck(std::string code) {
  code.back() = code.back() == '0' ? '1' : '0';
  return code;
}

inline Identity Org(std::string name, std::string uscc = "", std::string region = "") {
  Identity id;
  id.name = std::move(name);
  id.uscc = std::move(uscc);
  id.region = std::move(region);
  id.kind = EntityKind::kEnterprise;
  return id;
}
inline Identity Person(std::string name, std::string id_no = "", std::string region = "") {
  Identity id;
  id.name = std::move(name);
  id.id_no = std::move(id_no);
  id.region = std::move(region);
  id.kind = EntityKind::kPerson;
  return id;
}
inline Record Rec(std::string source, std::string rid, RecordKind kind, Identity subject,
                  Identity party = {}) {
  Record record;
  record.source = std::move(source);
  record.rid = std::move(rid);
  record.kind = kind;
  record.subject = std::move(subject);
  record.party = std::move(party);
  return record;
}

/// Hand-set parameters: sensible m/u for unit tests that must not depend on EM.
inline FsParams HandOrgParams() {
  FsParams p;
  p.lambda = 0.2;
  p.m = {{0.02, 0.03, 0.1, 0.2, 0.25, 0.4}, {0.01, 0.02, 0.07, 0.9}, {0.05, 0.95}, {0.2, 0.3, 0.5},
         {0.1, 0.9}, {0.05, 0.95}};
  p.u = {{0.9, 0.08, 0.015, 0.003, 0.001, 0.001}, {0.5, 0.3, 0.15, 0.05}, {0.95, 0.05}, {0.98, 0.015, 0.005},
         {0.99, 0.01}, {0.99, 0.01}};
  return p;
}
inline FsParams HandPersonParams() {
  FsParams p;
  p.lambda = 0.05;
  p.m = {{0.03, 0.07, 0.9}, {0.02, 0.08, 0.9}, {0.01, 0.02, 0.07, 0.9}, {0.05, 0.95},
         {0.5, 0.1, 0.4}, {0.1, 0.9}, {0.2, 0.3, 0.5}};
  p.u = {{0.9, 0.07, 0.03}, {0.97, 0.02, 0.01}, {0.5, 0.3, 0.15, 0.05}, {0.99, 0.01},
         {0.9, 0.07, 0.03}, {0.99, 0.01}, {0.98, 0.015, 0.005}};
  return p;
}
inline ResolveOptions HandOptions() {
  ResolveOptions options;
  options.em_iterations = 0;
  options.org_params = HandOrgParams();
  options.person_params = HandPersonParams();
  return options;
}

/// A small synthetic province: companies with registry records, their legal representatives,
/// and penalty/list records that name them with noise (no code, typo, full-width, region
/// prefix, legal-form variant, wrong check digit). truth[(source,rid,role)] = entity number.
struct Synthetic {
  std::vector<Record> records;
  std::map<std::string, int> truth;
};
inline Synthetic MakeSynthetic(int companies, unsigned seed) {
  static const char* kTradeChars[] = {"宏", "达", "鑫", "源", "恒", "通", "华", "泰", "瑞", "丰", "金", "鼎",
                                      "永", "盛", "天", "润", "博", "远", "嘉", "禾", "德", "昌", "联", "创",
                                      "海", "纳", "正", "阳", "青", "鲁", "信", "齐", "兴", "隆", "佳", "美"};
  static const char* kIndustries[] = {"科技", "商贸", "建材", "食品", "物流", "机械", "餐饮", "纺织", "化工",
                                      "电子", "印务", "置业"};
  static const char* kTypos[] = {"料技", "商供", "建财", "食晶", "物留", "机戒", "餐炊", "纺识", "化土",
                                 "电于", "印条", "置亚"};
  static const char* kCounties[] = {"370102", "370103", "370202", "370203", "370602"};
  static const char* kCities[] = {"济南市", "济南市", "青岛市", "青岛市", "烟台市"};
  static const char* kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"};
  static const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
                                 "建国", "海燕", "志强", "秀英", "晓明", "丽华"};
  std::mt19937 rng(seed);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Synthetic out;
  std::map<std::string, int> used;
  int rid = 0;
  auto next_rid = [&rid] { return std::to_string(++rid); };
  auto fullwidth = [](const std::string& text) {
    std::string result;
    for (char c : text) {
      if (c >= '0' && c <= '9') {
        const char32_t cp = 0xFF10 + (c - '0');
        result += static_cast<char>(0xE0 | (cp >> 12));
        result += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        result += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        result += c;
      }
    }
    return result;
  };
  for (int company = 0; company < companies; ++company) {
    int industry = 0;
    std::string core, trade;
    do {
      // a common trade name (宏达) now and then, otherwise two random characters
      trade = pick(10) == 0 ? std::string("宏达") : std::string(kTradeChars[pick(36)]) + kTradeChars[pick(36)];
      industry = pick(12);
      core = trade + kIndustries[industry];
    } while (used.count(core));
    used[core] = company;
    const int county = pick(5);
    const std::string region = kCounties[county];
    const std::string uscc = Uscc(company + 1, region);
    const std::string name = core + "有限公司";
    const int person = company;
    const std::string person_name = std::string(kSurnames[pick(10)]) + kGiven[pick(18)];
    char birth[16];
    std::snprintf(birth, sizeof(birth), "19%02d%02d%02d", 50 + pick(50), 1 + pick(12), 1 + pick(28));
    const std::string id_no = IdNo(person, birth, region);
    Identity rep = Person(person_name, id_no, region);
    Record registry = Rec("registry", next_rid(), RecordKind::kRegistry, Org(name, uscc, region), rep);
    registry.subject.reg_no = RegNo(company + 1);
    out.truth["registry/" + registry.rid + "/subject"] = company;
    out.truth["registry/" + registry.rid + "/party"] = 100000 + person;
    out.records.push_back(registry);
    for (int variant_round = 0; variant_round < 3; ++variant_round) {
      Identity subject = Org(name, "", region);
      switch (pick(8)) {
        case 0: subject.uscc = uscc; break;
        case 1: subject.name = fullwidth(name); break;
        case 2: subject.name = std::string("山东省") + kCities[county] + name; break;
        case 3: subject.name = core + "有限责任公司"; break;
        case 4: subject.name = trade + kTypos[industry] + "有限公司"; break;
        case 5: subject.uscc = BreakCheck(uscc); subject.weak = kWeakUscc; subject.region = ""; break;
        case 6: subject.org_code = OrgCodeOfUscc(uscc); break;
        default: subject.reg_no = RegNo(company + 1); subject.region = ""; break;
      }
      Record penalty = Rec("penalty", next_rid(), RecordKind::kPenalty, subject);
      out.truth["penalty/" + penalty.rid + "/subject"] = company;
      out.records.push_back(penalty);
    }
    // The legal representative on a black list, sometimes without an ID number.
    Identity listed = Person(person_name, "", "");
    switch (pick(4)) {
      case 0: listed.id_no = id_no; break;
      case 1: listed.id_no = id_no.substr(0, 6) + id_no.substr(8, 9); break;  // 15-digit form
      case 2: listed.birth = *ParseDate(birth); listed.region = region; break;
      default: listed.id_no = BreakCheck(id_no); listed.weak = kWeakIdNo; break;
    }
    Record list = Rec("lists", next_rid(), RecordKind::kList, Org(name, uscc, region), listed);
    list.list = "court_dishonest_debtor";
    out.truth["lists/" + list.rid + "/subject"] = company;
    out.truth["lists/" + list.rid + "/party"] = 100000 + person;
    out.records.push_back(list);
  }
  return out;
}

/// Partition of a resolver's mentions as a map (source/rid/role) -> entity id.
inline std::map<std::string, std::string> Partition(const Resolver& resolver) {
  std::map<std::string, std::string> out;
  const MentionTable& table = resolver.mentions();
  for (MentionId m = 0; m < table.size(); ++m) {
    out[table.Key(m)] = resolver.entity_ids()[resolver.entity_of()[m]];
  }
  return out;
}

}  // namespace cg::core::resolve::testing
