// The synthetic province generator (see generator.h and docs/generator.md).
#include "datasets/generator/generator.h"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/date.h"
#include "core/strings.h"
#include "core/ids/check_digits.h"
#include "core/ids/divisions.h"
#include "datasets/generator/population.h"
#include "datasets/generator/rng.h"
#include "datasets/generator/tables.h"

namespace cg::datasets {

extern const char* const kGeneratorVersion;

namespace {

// ---------------------------------------------------------------------------------------------
// Fields (canonical names of catalog.md §3-§4, plus a few opaque attributes).

enum Field : int {
  kRid,
  // identity blocks: subject then party, same order
  kSUscc, kSRegNo, kSOrgCode, kSIdNo, kSName, kSKind, kSRegion, kSAddress, kSPhone, kSBirth,
  kPUscc, kPRegNo, kPOrgCode, kPIdNo, kPName, kPKind, kPRegion, kPAddress, kPPhone, kPBirth,
  kStatus, kEstDate, kRegCapital, kIndustry, kRatio, kAmount, kStart, kEnd, kRole, kList,
  kListedOn, kRemovedOn, kDisputed, kCaseNo, kReason, kDecisionNo, kDecidedOn, kSeverity,
  kDomain, kPublicityUntil, kLicenseNo, kGrantedOn, kValidUntil, kMadeOn, kTopic, kScheme,
  kGrade, kRatedOn, kDepartment, kSex, kFacts,
  kNumFields
};
constexpr int kIdentityWidth = kPUscc - kSUscc;
enum IdentityOffset : int { kUscc, kRegNo, kOrgCode, kIdNo, kName, kKind, kRegion, kAddress,
                            kPhone, kBirth };

constexpr std::array<std::string_view, kNumFields> kFieldNames = {
    "rid",
    "subject_uscc", "subject_reg_no", "subject_org_code", "subject_id_no", "subject_name",
    "subject_kind", "subject_region", "subject_address", "subject_phone", "subject_birth",
    "party_uscc", "party_reg_no", "party_org_code", "party_id_no", "party_name", "party_kind",
    "party_region", "party_address", "party_phone", "party_birth",
    "status", "est_date", "reg_capital", "industry", "ratio", "amount", "start", "end", "role",
    "list", "listed_on", "removed_on", "disputed", "case_no", "reason", "decision_no",
    "decided_on", "severity", "domain", "publicity_until", "license_no", "granted_on",
    "valid_until", "made_on", "topic", "scheme", "grade", "rated_on", "department", "sex",
    "facts"};

bool IsNumericField(int field) {
  return field == kRatio || field == kAmount || field == kRegCapital;
}

enum class DateStyle { kIso, kSlash, kCompact, kChinese, kMixed };
enum class Format { kCsv, kJsonl };

struct SourceDef {
  std::string_view id;
  std::string_view kind;
  Format format;
  bool gb18030;
  std::string_view authority;
  DateStyle dates;
  bool clean;
  std::vector<Field> fields;
  std::vector<std::pair<Field, std::string_view>> renamed;  // department's column names
};

enum SourceIndex : int {
  kSrcRegistry, kSrcPersons, kSrcShareholders, kSrcOfficers, kSrcBranches, kSrcGuarantees,
  kSrcCourt, kSrcTaxLists, kSrcTaxRatings, kSrcAmrLists, kSrcProcurement, kSrcSafety,
  kSrcEnvLists, kSrcWage, kSrcAmrPenalties, kSrcPenalties, kSrcLicenses, kSrcCommitments,
  kSrcEnvRatings, kNumSources
};

const std::vector<SourceDef>& Sources() {
  static const std::vector<SourceDef> sources = [] {
    const std::vector<Field> org_subject = {kSUscc, kSRegNo, kSOrgCode, kSName};
    auto with = [](std::vector<Field> head, std::vector<Field> tail) {
      head.insert(head.begin(), kRid);
      head.insert(head.end(), tail.begin(), tail.end());
      return head;
    };
    const std::vector<Field> list_fields = with(
        {kSUscc, kSRegNo, kSOrgCode, kSIdNo, kSName, kSKind, kPIdNo, kPName},
        {kList, kListedOn, kRemovedOn, kDisputed, kCaseNo, kReason});
    std::vector<SourceDef> out(kNumSources);
    out[kSrcRegistry] = {"amr_registry", "registry", Format::kCsv, false, "山东省市场监督管理局",
                         DateStyle::kIso, true,
                         with({kSUscc, kSRegNo, kSOrgCode, kSName, kSKind, kSRegion, kSAddress,
                               kSPhone, kPName, kPIdNo, kPKind},
                              {kStatus, kEstDate, kRegCapital, kIndustry}), {}};
    out[kSrcPersons] = {"gaj_persons", "person", Format::kCsv, true, "山东省公安厅",
                        DateStyle::kChinese, false,
                        with({kSName, kSIdNo, kSBirth, kSRegion}, {kSex}),
                        {{kRid, "编号"}, {kSName, "姓名"}, {kSIdNo, "公民身份号码"},
                         {kSBirth, "出生日期"}, {kSRegion, "户籍地区划"}, {kSex, "性别"}}};
    out[kSrcShareholders] = {"amr_shareholders", "shareholder", Format::kCsv, false,
                             "山东省市场监督管理局", DateStyle::kIso, false,
                             with({kSUscc, kSRegNo, kSOrgCode, kSName, kPUscc, kPRegNo, kPOrgCode,
                                   kPIdNo, kPName, kPKind},
                                  {kRatio, kAmount}), {}};
    out[kSrcOfficers] = {"amr_officers", "officer", Format::kCsv, false, "山东省市场监督管理局",
                         DateStyle::kIso, false,
                         with({kSUscc, kSRegNo, kSOrgCode, kSName, kPIdNo, kPName}, {kRole}), {}};
    out[kSrcBranches] = {"amr_branches", "branch", Format::kCsv, false, "山东省市场监督管理局",
                         DateStyle::kIso, false,
                         with({kSUscc, kSRegNo, kSName, kPUscc, kPRegNo, kPOrgCode, kPName}, {}),
                         {}};
    out[kSrcGuarantees] = {"cbirc_guarantees", "guarantee", Format::kJsonl, false,
                           "国家金融监督管理总局山东监管局", DateStyle::kSlash, false,
                           with({kSUscc, kSRegNo, kSOrgCode, kSName, kPUscc, kPRegNo, kPOrgCode,
                                 kPName},
                                {kAmount, kStart, kEnd}), {}};
    out[kSrcCourt] = {"court_dishonest", "list", Format::kCsv, true, "山东省高级人民法院",
                      DateStyle::kChinese, false, list_fields, {}};
    out[kSrcTaxLists] = {"tax_lists", "list", Format::kCsv, false, "国家税务总局山东省税务局",
                         DateStyle::kCompact, false, list_fields,
                         {{kRid, "记录编号"}, {kSUscc, "纳税人识别号"}, {kSName, "纳税人名称"},
                          {kList, "名单类别"}, {kListedOn, "列入日期"}, {kRemovedOn, "移出日期"}}};
    out[kSrcTaxRatings] = {"tax_ratings", "rating", Format::kCsv, true,
                           "国家税务总局山东省税务局", DateStyle::kCompact, false,
                           with(org_subject, {kScheme, kGrade, kRatedOn}),
                           {{kRid, "记录编号"}, {kSUscc, "纳税人识别号"}, {kSName, "纳税人名称"},
                            {kScheme, "评价体系"}, {kGrade, "信用级别"}, {kRatedOn, "评定日期"}}};
    out[kSrcAmrLists] = {"amr_lists", "list", Format::kCsv, false, "山东省市场监督管理局",
                         DateStyle::kMixed, false, list_fields, {}};
    out[kSrcProcurement] = {"czt_procurement", "list", Format::kJsonl, false, "山东省财政厅",
                            DateStyle::kIso, false, list_fields, {}};
    out[kSrcSafety] = {"yjt_safety", "list", Format::kCsv, false, "山东省应急管理厅",
                       DateStyle::kSlash, false, list_fields, {}};
    out[kSrcEnvLists] = {"sthjt_lists", "list", Format::kCsv, false, "山东省生态环境厅",
                         DateStyle::kIso, false, list_fields, {}};
    out[kSrcWage] = {"rst_wage_arrears", "list", Format::kCsv, false,
                     "山东省人力资源和社会保障厅", DateStyle::kChinese, false, list_fields, {}};
    out[kSrcAmrPenalties] = {"amr_penalties", "penalty", Format::kCsv, false,
                             "山东省市场监督管理局", DateStyle::kMixed, false,
                             with(org_subject, {kDecisionNo, kDecidedOn, kSeverity, kAmount,
                                                kDomain, kPublicityUntil, kFacts}),
                             {{kFacts, "违法事实"}}};
    out[kSrcPenalties] = {"xzcf_penalties", "penalty", Format::kJsonl, false,
                          "各行政执法部门（双公示）", DateStyle::kMixed, false,
                          with(org_subject, {kDecisionNo, kDecidedOn, kSeverity, kAmount, kDomain,
                                             kPublicityUntil, kDepartment}), {}};
    out[kSrcLicenses] = {"xzxk_licenses", "license", Format::kCsv, false,
                         "各行政许可部门（双公示）", DateStyle::kIso, false,
                         with(org_subject, {kLicenseNo, kGrantedOn, kValidUntil, kDomain,
                                            kDepartment}), {}};
    out[kSrcCommitments] = {"fgw_commitments", "commitment", Format::kJsonl, false,
                            "山东省发展和改革委员会", DateStyle::kSlash, false,
                            with(org_subject, {kMadeOn, kTopic, kStatus}), {}};
    out[kSrcEnvRatings] = {"sthjt_ratings", "rating", Format::kCsv, true, "山东省生态环境厅",
                           DateStyle::kIso, false, with(org_subject, {kScheme, kGrade, kRatedOn}),
                           {{kRid, "序号"}, {kSUscc, "统一社会信用代码"}, {kSName, "企业名称"},
                            {kScheme, "评价类别"}, {kGrade, "评价等级"}, {kRatedOn, "发布日期"}}};
    return out;
  }();
  return sources;
}

std::string_view ColumnName(const SourceDef& source, Field field) {
  for (const auto& [mapped, name] : source.renamed) {
    if (mapped == field) return name;
  }
  return kFieldNames[field];
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

std::string Pad(std::uint64_t value, int width) {
  std::string out(width, '0');
  for (int pos = width - 1; pos >= 0; --pos) {
    out[pos] = char('0' + value % 10);
    value /= 10;
  }
  return out;
}

std::string FormatStyled(Date date, DateStyle style, Rng& rng) {
  if (date == kNoDate) return {};
  if (style == DateStyle::kMixed) style = DateStyle(rng.Below(4));
  const auto ymd = core::ToYmd(date);
  switch (style) {
    case DateStyle::kSlash:
      return absl::StrCat(ymd.year, "/", ymd.month, "/", ymd.day);
    case DateStyle::kCompact:
      return Pad(ymd.year, 4) + Pad(ymd.month, 2) + Pad(ymd.day, 2);
    case DateStyle::kChinese:
      return absl::StrCat(ymd.year, "年", ymd.month, "月", ymd.day, "日");
    default:
      return core::FormatDate(date);
  }
}

std::string Money(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.2f", value);
  std::string out(buffer);
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string Ratio(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f", value);
  std::string out(buffer);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

// UTF-8 character boundaries of a string.
std::vector<std::size_t> CharStarts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80) starts.push_back(pos);
  }
  return starts;
}

// Full-width form of ASCII letters, digits, parentheses and hyphens.
std::string FullWidth(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '(' ||
        c == ')' || c == '-') {
      const unsigned code = 0xFF00u + unsigned(static_cast<unsigned char>(c)) - 0x20u;
      out += char(0xE0 | (code >> 12));
      out += char(0x80 | ((code >> 6) & 0x3F));
      out += char(0x80 | (code & 0x3F));
    } else {
      out += c;
    }
  }
  return out;
}

std::string WrongCheck(std::string_view code, Rng& rng) {
  std::string out(code);
  if (out.empty()) return out;
  const char old = out.back();
  const std::string_view alphabet =
      out.size() == 18 && (out[0] < '0' || out[0] > '9' || out[1] > '9')
          ? core::kUsccAlphabet
          : std::string_view("0123456789X");
  char replacement = old;
  while (replacement == old) replacement = alphabet[rng.Below(alphabet.size())];
  out.back() = replacement;
  return out;
}

// ---------------------------------------------------------------------------------------------
// One side (subject or party) of a record, before and after noise.

struct Side {
  bool present = false;
  bool person = false;
  std::string entity;  // truth id
  std::string uscc, reg_no, org_code, id_no, id15, name, prefix, kind, region, address, phone;
  Date birth = kNoDate;
};

Side MarketSide(const MarketEntity& entity) {
  Side side;
  side.present = true;
  side.entity = Population::MarketEntityId(entity.kind, entity.index);
  side.uscc = entity.uscc;
  side.reg_no = entity.reg_no;
  side.org_code = entity.kind == core::EntityKind::kIndividualBusiness ? std::string()
                                                                        : entity.org_code;
  side.name = entity.name;
  side.prefix = entity.prefix;
  side.kind = std::string(core::ToString(entity.kind));
  side.region = entity.region;
  side.address = entity.address;
  side.phone = entity.phone;
  return side;
}

Side PersonSide(const Person& person) {
  Side side;
  side.present = true;
  side.person = true;
  side.entity = Population::PersonEntityId(person.index);
  side.id_no = person.id_no;
  side.id15 = person.id15;
  side.name = person.name;
  side.kind = "person";
  side.region = person.region;
  side.birth = person.birth;
  return side;
}

// Applies the identity noise of a non-registry source to one side. Returns nothing; the side's
// written fields change, its truth entity does not.
void ApplyNoise(Side& side, const NoiseRates& rates, Rng& rng) {
  if (!side.present) return;
  if (side.person) {
    const double u = rng.Uniform();
    if (u < rates.omit_code) {
      side.id_no.clear();
    } else if (u < rates.omit_code + rates.id15 && !side.id15.empty()) {
      side.id_no = side.id15;
    }
    if (!side.id_no.empty() && rng.Chance(rates.wrong_check)) side.id_no = WrongCheck(side.id_no, rng);
    if (!side.id_no.empty() && rng.Chance(rates.fullwidth)) side.id_no = FullWidth(side.id_no);
  } else {
    const double u = rng.Uniform();
    if (u < rates.omit_code) {
      side.uscc.clear();
      side.reg_no.clear();
      side.org_code.clear();
    } else if (u < rates.omit_code + rates.old_code &&
               (!side.reg_no.empty() || !side.org_code.empty())) {
      side.uscc.clear();
      if (!side.reg_no.empty() && (side.org_code.empty() || rng.Chance(0.6))) {
        side.org_code.clear();
      } else {
        side.reg_no.clear();
        if (rng.Chance(0.5)) side.org_code = side.org_code.substr(0, 8) + "-" + side.org_code.substr(8);
      }
    } else {
      // The department writes the USCC only.
      side.reg_no.clear();
      side.org_code.clear();
    }
    if (!side.uscc.empty() && rng.Chance(rates.wrong_check)) side.uscc = WrongCheck(side.uscc, rng);
    if (!side.uscc.empty() && rng.Chance(rates.fullwidth)) side.uscc = FullWidth(side.uscc);
    // Name variants of organizations.
    if (rng.Chance(rates.suffix)) {
      const std::string_view a = "有限公司", b = "有限责任公司";
      if (const auto pos = side.name.rfind(b); pos != std::string::npos) {
        side.name.replace(pos, b.size(), a);
      } else if (const auto pos2 = side.name.rfind(a); pos2 != std::string::npos) {
        side.name.replace(pos2, a.size(), b);
      }
    }
    if (rng.Chance(rates.region_prefix)) {
      if (!side.prefix.empty() && side.name.starts_with(side.prefix) && rng.Chance(0.7)) {
        side.name.erase(0, side.prefix.size());
      } else if (!side.name.starts_with("山东")) {
        side.name.insert(0, rng.Chance(0.5) ? "山东省" : "山东");
      }
    }
  }
  if (rng.Chance(rates.typo)) {
    const auto starts = CharStarts(side.name);
    std::vector<std::pair<std::size_t, const tables::Typo*>> options;
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : side.name.size();
      const std::string_view ch(side.name.data() + starts[k], end - starts[k]);
      for (const auto& typo : tables::Typos()) {
        if (typo.from == ch) options.emplace_back(starts[k], &typo);
      }
    }
    if (!options.empty()) {
      const auto& [pos, typo] = options[rng.Below(options.size())];
      side.name.replace(pos, typo->from.size(), typo->to);
    }
  }
  if (rng.Chance(rates.fullwidth)) side.name = FullWidth(side.name);
  if (rng.Chance(rates.space)) {
    const auto starts = CharStarts(side.name);
    if (starts.size() >= 2) {
      std::size_t pos = starts[1 + rng.Below(starts.size() - 1)];
      if (!side.person && !side.prefix.empty() && side.name.starts_with(side.prefix) &&
          rng.Chance(0.5)) {
        pos = side.prefix.size();
      }
      side.name.insert(pos, rng.Chance(0.8) ? " " : "\u3000");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// A chunk's output: one UTF-8 buffer per source, truth lines, counts.

struct ChunkOut {
  std::array<std::string, kNumSources> data;
  std::array<std::uint64_t, kNumSources> records{};
  std::string entities;
  std::string mentions;
  std::uint64_t mention_count = 0;
};

void AppendCsvField(std::string& out, std::string_view value) {
  bool needs_quotes = false;
  for (const char c : value) {
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += value;
    return;
  }
  out += '"';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

using core::strings::AppendJsonString;

bool LooksNumeric(std::string_view value) {
  if (value.empty()) return false;
  for (const char c : value) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return value.front() != '.' && value.back() != '.';
}

// Context of one chunk being generated.
class ChunkWriter {
 public:
  ChunkWriter(const Population& population, const GenerateOptions& options, ChunkOut& out)
      : population_(population), options_(options), out_(out) {}

  void MarketEntityRecords(std::uint32_t index);
  void PersonRecords(std::uint32_t index);

 private:
  struct Row {
    std::array<std::string, kNumFields> values;
    void Clear() {
      for (auto& value : values) value.clear();
    }
  };

  void SetSide(Row& row, int base, const Side& side) {
    row.values[base + kUscc] = side.uscc;
    row.values[base + kRegNo] = side.reg_no;
    row.values[base + kOrgCode] = side.org_code;
    row.values[base + kIdNo] = side.id_no;
    row.values[base + kName] = side.name;
    row.values[base + kKind] = side.kind;
    row.values[base + kRegion] = side.region;
    row.values[base + kAddress] = side.address;
    row.values[base + kPhone] = side.phone;
  }

  // Writes a record: noise (unless clean), malformation, serialization, truth mentions.
  void Emit(int source, Row& row, Side subject, Side party, Rng& rng, Field main_date);
  void Serialize(int source, const Row& row);
  void Mention(int source, const std::string& rid, std::string_view role, const Side& side) {
    if (!side.present || side.entity.empty()) return;
    out_.mentions += Sources()[source].id;
    out_.mentions += ',';
    AppendCsvField(out_.mentions, rid);
    out_.mentions += ',';
    out_.mentions += role;
    out_.mentions += ',';
    out_.mentions += side.entity;
    out_.mentions += '\n';
    ++out_.mention_count;
  }
  std::string Date_(Date date, int source, Rng& rng) {
    return FormatStyled(date, Sources()[source].dates, rng);
  }
  Date RandomDate(Rng& rng, Date from, Date to) {
    if (to <= from) return from;
    return from + Date(rng.Below(std::uint64_t(to - from)));
  }
  Side SubjectSide(const MarketEntity& entity, Rng& rng);

  void Registry(const MarketEntity& entity);
  void Shareholders(const MarketEntity& entity, Rng& rng);
  void Officers(const MarketEntity& entity, Rng& rng);
  void Branch(const MarketEntity& entity, Rng& rng);
  void Guarantees(const MarketEntity& entity, Rng& rng);
  void Lists(const MarketEntity& entity, Rng& rng);
  void Penalties(const MarketEntity& entity, Rng& rng);
  void Licenses(const MarketEntity& entity, Rng& rng);
  void Commitments(const MarketEntity& entity, Rng& rng);
  void Ratings(const MarketEntity& entity, Rng& rng);
  void ListEntry(int source, std::string_view code, const Side& subject, const Side& party,
                 const std::string& rid, Rng& rng);

  const Population& population_;
  const GenerateOptions& options_;
  ChunkOut& out_;
  Row row_;
  Date event_from_ = kNoDate;  // events about the current entity happen after this date
};

void ChunkWriter::Serialize(int source, const Row& row) {
  const auto& def = Sources()[source];
  std::string& out = out_.data[source];
  if (def.format == Format::kCsv) {
    bool first = true;
    for (const Field field : def.fields) {
      if (!first) out += ',';
      first = false;
      AppendCsvField(out, row.values[field]);
    }
    out += '\n';
  } else {
    out += '{';
    bool first = true;
    for (const Field field : def.fields) {
      const auto& value = row.values[field];
      if (value.empty()) continue;
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, ColumnName(def, field));
      out += ':';
      if (IsNumericField(field) && LooksNumeric(value)) {
        out += value;
      } else if (field == kDisputed && (value == "true" || value == "false")) {
        out += value;
      } else {
        AppendJsonString(out, value);
      }
    }
    out += "}\n";
  }
  ++out_.records[source];
}

void ChunkWriter::Emit(int source, Row& row, Side subject, Side party, Rng& rng,
                       Field main_date) {
  const auto& def = Sources()[source];
  const NoiseRates& rates = options_.noise;
  bool duplicate = false;
  if (!def.clean) {
    ApplyNoise(subject, rates, rng);
    ApplyNoise(party, rates, rng);
  }
  SetSide(row, kSUscc, subject);
  SetSide(row, kPUscc, party);
  if (subject.person && subject.birth != kNoDate) {
    row.values[kSBirth] = Date_(subject.birth, source, rng);
  }
  if (!def.clean && rng.Chance(rates.malformed)) {
    const double kind = rng.Uniform();
    if (kind < 0.35 && main_date != kRid) {
      static constexpr std::array<std::string_view, 6> kBad = {
          "2021-02-30", "2019.13.01", "二〇一九年三月", "N/A", "31/12/2020", "0000-00-00"};
      row.values[main_date] = kBad[rng.Below(kBad.size())];
    } else if (kind < 0.55) {
      for (int offset : {kUscc, kRegNo, kOrgCode, kIdNo, kName}) row.values[kSUscc + offset].clear();
      subject.entity.clear();  // the record names no entity: no truth mention
    } else if (kind < 0.8) {
      static constexpr std::array<std::string_view, 5> kGarbage = {
          "UNKNOWN", "91370X", "无", "9137010-MA3C", "##########"};
      row.values[subject.person ? kSIdNo : kSUscc] = kGarbage[rng.Below(kGarbage.size())];
    } else {
      duplicate = true;
    }
  }
  Serialize(source, row);
  Mention(source, row.values[kRid], "subject", subject);
  Mention(source, row.values[kRid], "party", party);
  if (duplicate) {
    // The same rid again with other content: ingest must quarantine it (truth keeps the first).
    row.values[kSName] += "（重复）";
    Serialize(source, row);
  }
  row.Clear();
}

Side ChunkWriter::SubjectSide(const MarketEntity& entity, Rng& rng) {
  Side side = MarketSide(entity);
  if (!rng.Chance(options_.noise.branch_swap)) return side;
  // Branch named where the parent is meant, and the reverse: codes stay the meant entity's.
  std::int64_t other = -1;
  if (entity.branch) {
    other = population_.BranchParent(entity.index);
  } else if (entity.kind == core::EntityKind::kEnterprise) {
    other = population_.AnyBranchOf(entity.index);
  }
  if (other >= 0) {
    const auto named = population_.Market(std::uint32_t(other));
    side.name = named.name;
    side.prefix = named.prefix;
  }
  return side;
}

void ChunkWriter::Registry(const MarketEntity& entity) {
  Rng rng(population_.seed(), kStreamRecords, std::uint64_t(entity.index) * 64 + 0);
  Row& row = row_;
  row.values[kRid] = "R" + Pad(entity.index, 9);
  const Side subject = MarketSide(entity);
  Side party = PersonSide(population_.PersonAt(entity.legal_rep));
  party.region.clear();
  switch (entity.status) {
    case core::RegStatus::kRevoked: row.values[kStatus] = "吊销"; break;
    case core::RegStatus::kCancelled: row.values[kStatus] = "注销"; break;
    case core::RegStatus::kMovedOut: row.values[kStatus] = "迁出"; break;
    default: row.values[kStatus] = rng.Chance(0.5) ? "存续" : "在业";
  }
  row.values[kEstDate] = core::FormatDate(entity.est_date);
  if (entity.capital > 0) row.values[kRegCapital] = Money(entity.capital);
  row.values[kIndustry] = entity.industry;
  Emit(kSrcRegistry, row, subject, party, rng, kEstDate);
}

void ChunkWriter::Shareholders(const MarketEntity& entity, Rng& rng) {
  if (entity.kind != core::EntityKind::kEnterprise || entity.branch) return;
  const Side subject = MarketSide(entity);
  struct Holding {
    Side side;
    double ratio;
  };
  std::vector<Holding> holders;
  double rest = 1.0;
  auto add_market = [&](std::uint32_t market, double ratio) {
    holders.push_back({MarketSide(population_.Market(market)), ratio});
    rest -= ratio;
  };
  auto add_person = [&](std::uint32_t person, double ratio) {
    holders.push_back({PersonSide(population_.PersonAt(person)), ratio});
    rest -= ratio;
  };
  const auto& counts = population_.counts();
  if (entity.index < counts.heads) {
    bool majority = false;
    const auto cycle = population_.CycleHolder(entity.index, &majority);
    const std::uint32_t controller = population_.HeadController(entity.index);
    if (cycle >= 0 && majority) {
      add_person(controller, 0.49);
      add_market(std::uint32_t(cycle), 0.51);
    } else {
      add_person(controller, 0.55 + 0.05 * double(rng.Below(7)));
      if (cycle >= 0) add_market(std::uint32_t(cycle), std::min(0.2, rest));
    }
  } else if (const auto parent = population_.OwnerParent(entity.index); parent >= 0) {
    add_market(std::uint32_t(parent), population_.OwnerRatio(entity.index));
  } else if (counts.organizations > 0 && rng.Chance(0.04)) {
    // State-owned: held by an organization (government body or public institution).
    const auto org = counts.enterprises + counts.individual + std::uint32_t(rng.Below(counts.organizations));
    add_market(org, 0.3 + 0.1 * double(rng.Below(8)));
  }
  // The rest among 1-3 persons (the legal representative often one of them).
  const int extra = int(1 + rng.Below(3));
  for (int k = 0; k < extra && rest > 0.005; ++k) {
    double ratio = k + 1 == extra ? rest : std::round(rest * (0.3 + 0.6 * rng.Uniform()) * 100) / 100;
    if (ratio <= 0.005) ratio = rest;
    const std::uint32_t person = k == 0 && rng.Chance(0.6) ? entity.legal_rep
                                 : rng.Chance(0.3) ? population_.SerialPerson(rng.Next())
                                                   : population_.AnyPerson(rng.Next());
    add_person(person, ratio);
  }
  for (std::size_t k = 0; k < holders.size(); ++k) {
    Row& row = row_;
    row.values[kRid] = "S" + Pad(entity.index, 9) + "-" + std::to_string(k + 1);
    row.values[kRatio] = Ratio(holders[k].ratio);
    row.values[kAmount] = Money(std::round(holders[k].ratio * std::max(1.0, entity.capital) * 100) / 100);
    Emit(kSrcShareholders, row, subject, holders[k].side, rng, kRid);
  }
}

void ChunkWriter::Officers(const MarketEntity& entity, Rng& rng) {
  if (entity.kind == core::EntityKind::kIndividualBusiness || entity.branch) return;
  const Side subject = MarketSide(entity);
  std::vector<std::pair<std::string_view, std::uint32_t>> posts;
  auto someone = [&]() {
    return rng.Chance(0.3) ? population_.SerialPerson(rng.Next()) : population_.AnyPerson(rng.Next());
  };
  if (entity.kind == core::EntityKind::kOrganization) {
    posts.emplace_back("principal", rng.Chance(0.6) ? entity.legal_rep : someone());
  } else {
    posts.emplace_back("chair", rng.Chance(0.7) ? entity.legal_rep : someone());
    const int directors = int(rng.Below(3));
    for (int k = 0; k < directors; ++k) posts.emplace_back("director", someone());
    posts.emplace_back("supervisor", someone());
    posts.emplace_back("manager", rng.Chance(0.4) ? entity.legal_rep : someone());
    if (rng.Chance(0.15)) posts.emplace_back("principal", rng.Chance(0.5) ? entity.legal_rep : someone());
    const auto head = population_.GroupHead(entity.index);
    if (head >= 0 && rng.Chance(0.3)) {
      posts.emplace_back("controller", population_.HeadController(std::uint32_t(head)));
    } else if (head < 0 && rng.Chance(0.05)) {
      posts.emplace_back("controller", entity.legal_rep);
    }
  }
  for (std::size_t k = 0; k < posts.size(); ++k) {
    Row& row = row_;
    row.values[kRid] = "O" + Pad(entity.index, 9) + "-" + std::to_string(k + 1);
    row.values[kRole] = posts[k].first;
    Emit(kSrcOfficers, row, subject, PersonSide(population_.PersonAt(posts[k].second)), rng, kRid);
  }
}

void ChunkWriter::Branch(const MarketEntity& entity, Rng& rng) {
  if (!entity.branch) return;
  Row& row = row_;
  row.values[kRid] = "B" + Pad(entity.index, 9);
  Emit(kSrcBranches, row, MarketSide(entity),
       MarketSide(population_.Market(std::uint32_t(population_.BranchParent(entity.index)))), rng,
       kRid);
}

void ChunkWriter::Guarantees(const MarketEntity& entity, Rng& rng) {
  if (entity.kind != core::EntityKind::kEnterprise || entity.branch) return;
  const int risk = population_.Risk(entity.index);
  const double p = risk == 2 ? 0.5 : risk == 1 ? 0.25 : 0.02;
  if (!rng.Chance(p)) return;
  const int count = int(1 + rng.Below(3));
  const auto& counts = population_.counts();
  for (int k = 0; k < count; ++k) {
    std::int64_t debtor = -1;
    const auto parent = population_.OwnerParent(entity.index);
    if (parent >= 0 && k == 0 && rng.Chance(0.6)) {
      debtor = parent;  // up the group: guarantee chains follow the ownership chain
    } else {
      for (int attempt = 0; attempt < 8 && debtor < 0; ++attempt) {
        const auto candidate = std::uint32_t(rng.Below(counts.enterprises));
        if (candidate != entity.index && !population_.IsBranch(candidate)) debtor = candidate;
      }
    }
    if (debtor < 0) continue;
    Row& row = row_;
    row.values[kRid] = "G" + Pad(entity.index, 9) + "-" + std::to_string(k + 1);
    row.values[kAmount] = Money(double(10 + rng.Below(5000)) * 10000);
    const Date start = RandomDate(rng, std::max(event_from_, *core::MakeDate(2015, 1, 1)), population_.as_of());
    row.values[kStart] = Date_(start, kSrcGuarantees, rng);
    row.values[kEnd] = Date_(start + Date(365 * (1 + rng.Below(5))), kSrcGuarantees, rng);
    Emit(kSrcGuarantees, row, MarketSide(entity),
         MarketSide(population_.Market(std::uint32_t(debtor))), rng, kStart);
  }
}

void ChunkWriter::ListEntry(int source, std::string_view code, const Side& subject,
                            const Side& party, const std::string& rid, Rng& rng) {
  Row& row = row_;
  const auto* info = core::FindList(code);
  const bool black = info && info->polarity == core::Polarity::kBlack;
  const Date as_of = population_.as_of();
  const Date from = std::max(event_from_, black ? population_.MinDate() : as_of - 3 * 365);
  const Date listed = RandomDate(rng, from, as_of);
  row.values[kRid] = rid;
  row.values[kList] = code;
  row.values[kListedOn] = Date_(listed, source, rng);
  const double repair = code == "amr_abnormal_operation" ? 0.4 : black ? 0.2 : 0.1;
  if (rng.Chance(repair)) {
    const Date removed = listed + Date(90 + rng.Below(1000));
    if (removed < as_of) row.values[kRemovedOn] = Date_(removed, source, rng);  // credit repair
  }
  row.values[kDisputed] = black && rng.Chance(0.03) ? "true" : "false";
  if (code == "court_dishonest_debtor") {
    const auto ymd = core::ToYmd(listed);
    row.values[kCaseNo] = absl::StrCat("（", ymd.year, "）鲁", Pad(1 + rng.Below(1799), 4), "执",
                                       1 + rng.Below(9000), "号");
    row.values[kReason] = "有履行能力而拒不履行生效法律文书确定义务";
  } else if (code == "amr_abnormal_operation") {
    row.values[kReason] = rng.Chance(0.6) ? "未按规定报送年度报告" : "通过登记的住所或者经营场所无法联系";
  } else if (code == "tax_major_violation") {
    row.values[kReason] = rng.Chance(0.5) ? "虚开增值税专用发票" : "偷税，数额较大";
  } else if (code == "labor_wage_arrears") {
    row.values[kReason] = "拖欠农民工工资，数额较大";
  } else if (code == "env_serious") {
    row.values[kReason] = "通过暗管、渗井等逃避监管的方式排放污染物";
  } else if (code == "safety_blacklist") {
    row.values[kReason] = "发生较大生产安全责任事故";
  } else if (code == "procurement_bad_record") {
    row.values[kReason] = "提供虚假材料谋取中标、成交";
  }
  Emit(source, row, subject, party, rng, kListedOn);
}

void ChunkWriter::Lists(const MarketEntity& entity, Rng& rng) {
  const int risk = population_.Risk(entity.index);
  const bool enterprise = entity.kind == core::EntityKind::kEnterprise;
  const bool individual = entity.kind == core::EntityKind::kIndividualBusiness;
  const std::string base = Pad(entity.index, 9);
  auto chance = [&](double p0, double p1, double p2) {
    return rng.Chance(risk == 2 ? p2 : risk == 1 ? p1 : p0);
  };
  const Side rep = PersonSide(population_.PersonAt(entity.legal_rep));
  const Side none;
  if (entity.kind != core::EntityKind::kOrganization && chance(0.004, 0.15, 0.6)) {
    ListEntry(kSrcCourt, "court_dishonest_debtor", SubjectSide(entity, rng),
              individual ? none : rep, "C" + base, rng);
    if (!individual && rng.Chance(0.3)) {  // the legal representative personally
      ListEntry(kSrcCourt, "court_dishonest_debtor", rep, none, "C" + base + "-P", rng);
    }
  }
  if (entity.kind != core::EntityKind::kOrganization && chance(0.0005, 0.04, 0.25)) {
    ListEntry(kSrcTaxLists, "tax_major_violation", SubjectSide(entity, rng), rep, "T" + base, rng);
  }
  if (enterprise && risk == 0 && rng.Chance(0.03)) {
    ListEntry(kSrcTaxLists, "tax_a", SubjectSide(entity, rng), none, "TA" + base, rng);
  }
  if (entity.kind != core::EntityKind::kOrganization && chance(0.0003, 0.02, 0.12)) {
    ListEntry(kSrcAmrLists, "amr_serious_illegal", SubjectSide(entity, rng), rep, "AS" + base, rng);
  }
  if (entity.kind != core::EntityKind::kOrganization &&
      chance(individual ? 0.05 : 0.03, 0.2, 0.45)) {
    ListEntry(kSrcAmrLists, "amr_abnormal_operation", SubjectSide(entity, rng), none,
              "AB" + base, rng);
  }
  if (enterprise && risk == 0 && rng.Chance(0.01)) {
    ListEntry(kSrcAmrLists, "contract_honoring", SubjectSide(entity, rng), none, "AH" + base, rng);
  }
  if (enterprise && chance(0.0002, 0.02, 0.08)) {
    ListEntry(kSrcProcurement, "procurement_bad_record", SubjectSide(entity, rng), rep, "P" + base, rng);
  }
  if (enterprise && chance(entity.polluting ? 0.001 : 0.0002, 0.02, 0.08)) {
    ListEntry(kSrcSafety, "safety_blacklist", SubjectSide(entity, rng), rep, "Y" + base, rng);
  }
  if (entity.kind != core::EntityKind::kOrganization &&
      chance(entity.polluting ? 0.001 : 0.0002, 0.02, 0.08)) {
    ListEntry(kSrcEnvLists, "env_serious", SubjectSide(entity, rng), none, "H" + base, rng);
  }
  if (entity.kind != core::EntityKind::kOrganization && chance(0.0003, 0.03, 0.1)) {
    ListEntry(kSrcWage, "labor_wage_arrears", SubjectSide(entity, rng), rep, "W" + base, rng);
  }
}

void ChunkWriter::Penalties(const MarketEntity& entity, Rng& rng) {
  const int risk = population_.Risk(entity.index);
  int count = 0;
  if (risk == 2) {
    count = int(2 + rng.Below(3));
  } else if (risk == 1) {
    count = int(1 + rng.Below(2));
  } else if (rng.Chance(0.04)) {
    count = 1;
  }
  struct Department {
    std::string_view name, domain, short_name;
    double weight;
  };
  static constexpr std::array<Department, 7> kDepartments = {{
      {"市场监督管理局", "market", "市监", 0.35},
      {"生态环境局", "environment", "环", 0.20},
      {"税务局", "tax", "税", 0.15},
      {"应急管理局", "safety", "应急", 0.10},
      {"交通运输局", "transport", "交", 0.08},
      {"卫生健康委员会", "health", "卫", 0.07},
      {"消防救援支队", "fire", "消", 0.05},
  }};
  const auto& pref = tables::Prefectures()[entity.prefecture];
  for (int k = 0; k < count; ++k) {
    double u = rng.Uniform();
    std::size_t dept = 0;
    while (dept + 1 < kDepartments.size() && u >= kDepartments[dept].weight) {
      u -= kDepartments[dept].weight;
      ++dept;
    }
    const auto& department = kDepartments[dept];
    std::string domain(department.domain);
    if (dept == 0 && (entity.kind == core::EntityKind::kIndividualBusiness || rng.Chance(0.3))) {
      domain = "food";
    }
    const double s = rng.Uniform();
    const double serious = risk == 2 ? 0.4 : risk == 1 ? 0.15 : 0.02;
    const double general = risk == 2 ? 0.4 : risk == 1 ? 0.45 : 0.28;
    const std::string_view severity = s < serious ? "serious" : s < serious + general ? "general" : "minor";
    const double amount = severity == "serious"   ? 100000.0 + double(rng.Below(1900000))
                          : severity == "general" ? 5000.0 + double(rng.Below(95000))
                                                  : 500.0 + double(rng.Below(4500));
    const Date decided = RandomDate(rng, event_from_, population_.as_of());
    const int publicity_days = severity == "serious" ? 3 * 365 : severity == "general" ? 365 : 90;
    const int source = dept == 0 ? kSrcAmrPenalties : kSrcPenalties;
    Row& row = row_;
    row.values[kRid] = "X" + Pad(entity.index, 9) + "-" + std::to_string(k + 1);
    const auto* division = core::FindDivision(pref.code);
    const std::string city(division ? division->short_name.substr(0, 3) : "鲁");
    row.values[kDecisionNo] = absl::StrCat(city, std::string(department.short_name), "罚〔",
                                           core::ToYmd(decided).year, "〕", 1 + rng.Below(3000), "号");
    row.values[kDecidedOn] = Date_(decided, source, rng);
    row.values[kSeverity] = severity;
    row.values[kAmount] = Money(amount);
    row.values[kDomain] = domain;
    row.values[kPublicityUntil] = Date_(decided + publicity_days, source, rng);
    if (source == kSrcAmrPenalties) {
      // Free text with ASCII commas, quotes and sometimes a line break: exercises RFC 4180.
      static constexpr std::array<std::string_view, 4> kFactsText = {
          "未按规定公示年度报告, 责令限期改正",
          "销售不符合食品安全标准的食品, 没收违法所得",
          "当事人称\"已整改\", 经复查属实",
          "使用未经检定的计量器具;\n责令停止使用, 处以罚款"};
      row.values[kFacts] = kFactsText[rng.Below(kFactsText.size())];
    }
    if (source == kSrcPenalties) {
      row.values[kDepartment] = std::string(division ? division->name : "") + std::string(department.name);
    }
    Emit(source, row, SubjectSide(entity, rng), Side(), rng, kDecidedOn);
  }
}

void ChunkWriter::Licenses(const MarketEntity& entity, Rng& rng) {
  const bool individual = entity.kind == core::EntityKind::kIndividualBusiness;
  if (entity.branch || !rng.Chance(individual ? 0.3 : 0.15)) return;
  static constexpr std::array<std::array<std::string_view, 3>, 5> kKinds = {{
      {"food", "JY", "市场监督管理局"},
      {"transport", "鲁交运管许可", "交通运输局"},
      {"construction", "D2370", "住房和城乡建设厅"},
      {"environment", "91", "生态环境局"},
      {"health", "鲁卫", "卫生健康委员会"},
  }};
  const auto& pick = individual ? kKinds[0] : entity.polluting ? kKinds[3] : kKinds[rng.Below(kKinds.size())];
  Row& row = row_;
  row.values[kRid] = "L" + Pad(entity.index, 9);
  row.values[kLicenseNo] = absl::StrCat(std::string(pick[1]), entity.region, Pad(rng.Below(1000000), 6));
  const Date granted = RandomDate(rng, event_from_, population_.as_of());
  row.values[kGrantedOn] = Date_(granted, kSrcLicenses, rng);
  row.values[kValidUntil] = Date_(granted + 5 * 365, kSrcLicenses, rng);
  row.values[kDomain] = pick[0];
  row.values[kDepartment] = pick[2];
  Emit(kSrcLicenses, row, SubjectSide(entity, rng), Side(), rng, kGrantedOn);
}

void ChunkWriter::Commitments(const MarketEntity& entity, Rng& rng) {
  const int risk = population_.Risk(entity.index);
  if (!rng.Chance(risk == 2 ? 0.4 : risk == 1 ? 0.25 : 0.08)) return;
  static constexpr std::array<std::string_view, 6> kTopics = {
      "信用修复承诺", "行政审批告知承诺", "环保达标承诺", "安全生产承诺", "守法经营承诺",
      "产品质量承诺"};
  const Date made = RandomDate(rng, event_from_, population_.as_of());
  Row& row = row_;
  row.values[kRid] = "K" + Pad(entity.index, 9);
  row.values[kMadeOn] = Date_(made, kSrcCommitments, rng);
  row.values[kTopic] = kTopics[rng.Below(kTopics.size())];
  const double breach = risk == 2 ? 0.6 : risk == 1 ? 0.3 : 0.05;
  row.values[kStatus] = population_.as_of() - made < 180 ? "pending"
                        : rng.Chance(breach)             ? "breached"
                                                         : "kept";
  Emit(kSrcCommitments, row, SubjectSide(entity, rng), Side(), rng, kMadeOn);
}

void ChunkWriter::Ratings(const MarketEntity& entity, Rng& rng) {
  if (entity.branch || entity.kind == core::EntityKind::kOrganization) return;
  const int risk = population_.Risk(entity.index);
  const int last_year = int(core::ToYmd(population_.as_of()).year) - 1;
  const bool enterprise = entity.kind == core::EntityKind::kEnterprise;
  if (enterprise || rng.Chance(0.1)) {
    for (int year = last_year - 3; year <= last_year; ++year) {
      if (!rng.Chance(0.6) || *core::MakeDate(year, 12, 31) < entity.est_date) continue;
      const double u = rng.Uniform();
      std::string_view grade;
      if (risk == 2) {
        grade = u < 0.3 ? "C" : "D";
      } else if (risk == 1) {
        grade = u < 0.3 ? "B" : u < 0.55 ? "M" : u < 0.85 ? "C" : "D";
      } else {
        grade = u < 0.25 ? "A" : u < 0.8 ? "B" : u < 0.95 ? "M" : u < 0.99 ? "C" : "D";
      }
      Row& row = row_;
      row.values[kRid] = absl::StrCat("TR", Pad(entity.index, 9), "-", year);
      row.values[kScheme] = "tax";
      row.values[kGrade] = grade;
      row.values[kRatedOn] = Date_(*core::MakeDate(year + 1, 4, 15), kSrcTaxRatings, rng);
      Emit(kSrcTaxRatings, row, SubjectSide(entity, rng), Side(), rng, kRatedOn);
    }
  }
  if (enterprise && entity.polluting && rng.Chance(0.5)) {
    for (int year = last_year - 2; year <= last_year; ++year) {
      if (!rng.Chance(0.7) || *core::MakeDate(year, 12, 31) < entity.est_date) continue;
      const double u = rng.Uniform();
      std::string_view grade;
      if (risk == 2) {
        grade = u < 0.5 ? "红" : "黑";
      } else if (risk == 1) {
        grade = u < 0.4 ? "蓝" : u < 0.8 ? "黄" : "红";
      } else {
        grade = u < 0.4 ? "绿" : u < 0.9 ? "蓝" : "黄";
      }
      Row& row = row_;
      row.values[kRid] = absl::StrCat("ER", Pad(entity.index, 9), "-", year);
      row.values[kScheme] = "environment";
      row.values[kGrade] = grade;
      row.values[kRatedOn] = Date_(*core::MakeDate(year + 1, 6, 5), kSrcEnvRatings, rng);
      Emit(kSrcEnvRatings, row, SubjectSide(entity, rng), Side(), rng, kRatedOn);
    }
  }
}

void ChunkWriter::MarketEntityRecords(std::uint32_t index) {
  const MarketEntity entity = population_.Market(index);
  event_from_ = std::max(entity.est_date, population_.MinDate());
  // Truth entity line.
  out_.entities += Population::MarketEntityId(entity.kind, index);
  out_.entities += ',';
  out_.entities += core::ToString(entity.kind);
  out_.entities += ',';
  out_.entities += entity.uscc;
  out_.entities += ",,";
  AppendCsvField(out_.entities, entity.name);
  out_.entities += '\n';

  Registry(entity);
  Rng rng(population_.seed(), kStreamRecords, std::uint64_t(index) * 64 + 1);
  Shareholders(entity, rng);
  Officers(entity, rng);
  Branch(entity, rng);
  Guarantees(entity, rng);
  Lists(entity, rng);
  Penalties(entity, rng);
  Licenses(entity, rng);
  Commitments(entity, rng);
  Ratings(entity, rng);
}

void ChunkWriter::PersonRecords(std::uint32_t index) {
  const Person person = population_.PersonAt(index);
  event_from_ = population_.MinDate();
  out_.entities += Population::PersonEntityId(index);
  out_.entities += ",person,,";
  out_.entities += person.id_no;
  out_.entities += ',';
  AppendCsvField(out_.entities, person.name);
  out_.entities += '\n';

  Rng rng(population_.seed(), kStreamRecords, (std::uint64_t(1) << 40) + index);
  Row& row = row_;
  row.values[kRid] = "GA" + Pad(index, 9);
  row.values[kSex] = person.male ? "男" : "女";
  Side side = PersonSide(person);
  side.region = person.region;
  Emit(kSrcPersons, row, side, Side(), rng, kSBirth);
  // Natural persons listed as dishonest judgment debtors in their own right.
  if (rng.Chance(0.002)) {
    Side subject = PersonSide(person);
    subject.region.clear();
    ListEntry(kSrcCourt, "court_dishonest_debtor", subject, Side(), "CP" + Pad(index, 9), rng);
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding and files.

absl::StatusOr<std::string> ToGb18030(std::string_view utf8) {
  if (utf8.empty()) return std::string();
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  const int32_t written = ucnv_convert("gb18030", "utf-8", out.data(), int32_t(out.size()),
                                       utf8.data(), int32_t(utf8.size()), &status);
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrCat("ICU could not convert to GB18030: ", u_errorName(status)));
  }
  out.resize(std::size_t(written));
  return out;
}

std::string Header(const SourceDef& def) {
  std::string out;
  bool first = true;
  for (const Field field : def.fields) {
    if (!first) out += ',';
    first = false;
    AppendCsvField(out, ColumnName(def, field));
  }
  out += '\n';
  return out;
}

std::string FileName(const SourceDef& def) {
  return absl::StrCat(std::string(def.id), def.format == Format::kCsv ? ".csv" : ".jsonl");
}

std::string CatalogYaml(const GenerateOptions& options, const std::string& name) {
  std::string out = absl::StrCat(
      "# Written by the CreditGraph synthetic province generator (format ", kGeneratorVersion,
      ").\n# scale ", options.scale, ", seed ", options.seed,
      "; noise rates (docs/generator.md): omit_code ", options.noise.omit_code, ", old_code ",
      options.noise.old_code, ", id15 ", options.noise.id15, ", typo ", options.noise.typo,
      ", fullwidth ", options.noise.fullwidth, ", suffix ", options.noise.suffix,
      ", region_prefix ", options.noise.region_prefix, ", space ", options.noise.space,
      ", wrong_check ", options.noise.wrong_check, ", branch_swap ", options.noise.branch_swap,
      ", malformed ", options.noise.malformed, "\n");
  absl::StrAppend(&out, "name: ", name, "\nas_of: ", options.as_of, "\nsources:\n");
  for (const auto& def : Sources()) {
    absl::StrAppend(&out, "  - id: ", std::string(def.id), "\n    kind: ", std::string(def.kind), "\n    path: ",
                    FileName(def), "\n    format: ", def.format == Format::kCsv ? "csv" : "jsonl",
                    "\n    encoding: ", def.gb18030 ? "gb18030" : "utf-8", "\n    authority: ",
                    std::string(def.authority), "\n");
    std::string mapping;
    for (const auto& [field, column] : def.renamed) {
      if (field == kSex || field == kDepartment || field == kFacts) continue;  // opaque, not mapped
      absl::StrAppend(&mapping, "      ", std::string(kFieldNames[field]), ": ", std::string(column), "\n");
    }
    // A source whose only renamed columns are opaque has no mapping at all (not an empty one).
    if (!mapping.empty()) absl::StrAppend(&out, "    columns:\n", mapping);
  }
  return out;
}

}  // namespace

std::vector<std::string> GeneratedSourceIds() {
  std::vector<std::string> ids;
  for (const auto& def : Sources()) ids.emplace_back(def.id);
  return ids;
}

absl::StatusOr<GenerateStats> GenerateDataset(const GenerateOptions& options,
                                              const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  if (!(options.scale > 0) || options.scale > 20) {
    return absl::InvalidArgumentError(absl::StrCat(
        "scale must be in (0, 20] (1 = Shandong); got ", options.scale));
  }
  if (options.out_dir.empty()) {
    return absl::InvalidArgumentError("out_dir is empty: give the folder to write the data set to");
  }
  const auto as_of = core::ParseDate(options.as_of);
  if (!as_of) {
    return absl::InvalidArgumentError(absl::StrCat("as_of '", options.as_of,
                                                   "' is not a date (use 2026-06-30)"));
  }
  const std::uint32_t chunk_size = std::max<std::uint32_t>(1, options.chunk_size);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(options.out_dir) / "truth", error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot create ", options.out_dir, ": ", error.message()));
  }

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, std::size_t(threads));

  if (progress) progress(0.0, "population");
  const Population population(options.seed, options.scale, *as_of);
  const auto& counts = population.counts();

  // Open the files and write headers.
  const std::filesystem::path root(options.out_dir);
  std::vector<std::ofstream> files(kNumSources);
  GenerateStats stats;
  for (int k = 0; k < kNumSources; ++k) {
    const auto& def = Sources()[k];
    files[k].open(root / FileName(def), std::ios::binary | std::ios::trunc);
    if (!files[k]) return absl::InternalError(absl::StrCat("cannot write ", (root / FileName(def)).string()));
    if (def.format == Format::kCsv) {
      std::string header = Header(def);
      if (def.gb18030) {
        auto converted = ToGb18030(header);
        if (!converted.ok()) return converted.status();
        header = *std::move(converted);
      }
      files[k] << header;
      stats.bytes += header.size();
    }
    stats.records_per_source[std::string(def.id)] = 0;
  }
  std::ofstream entities(root / "truth" / "entities.csv", std::ios::binary | std::ios::trunc);
  std::ofstream mentions(root / "truth" / "mentions.csv", std::ios::binary | std::ios::trunc);
  if (!entities || !mentions) return absl::InternalError("cannot write the truth/ files");
  entities << "entity,kind,uscc,id_no,name\n";
  mentions << "source,rid,role,entity\n";

  const std::uint64_t market_chunks = (counts.market() + chunk_size - 1) / chunk_size;
  const std::uint64_t person_chunks = (counts.persons + chunk_size - 1) / chunk_size;
  const std::uint64_t total_chunks = market_chunks + person_chunks;
  std::uint64_t next_chunk = 0;
  std::uint64_t done_chunks = 0;
  absl::Status status;
  std::atomic<bool> failed{false};

  struct Work {
    std::uint64_t chunk = 0;
    std::unique_ptr<ChunkOut> out;
    absl::Status status;
  };
  tbb::parallel_pipeline(
      std::size_t(threads) * 3,
      tbb::make_filter<void, std::uint64_t>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& control) -> std::uint64_t {
            if (next_chunk >= total_chunks || failed.load()) {
              control.stop();
              return 0;
            }
            return next_chunk++;
          }) &
          tbb::make_filter<std::uint64_t, std::shared_ptr<Work>>(
              tbb::filter_mode::parallel,
              [&](std::uint64_t chunk) {
                auto work = std::make_shared<Work>();
                work->chunk = chunk;
                work->out = std::make_unique<ChunkOut>();
                ChunkWriter writer(population, options, *work->out);
                if (chunk < market_chunks) {
                  const auto begin = std::uint32_t(chunk * chunk_size);
                  const auto end = std::min<std::uint32_t>(counts.market(), begin + chunk_size);
                  for (std::uint32_t index = begin; index < end; ++index) writer.MarketEntityRecords(index);
                } else {
                  const auto begin = std::uint32_t((chunk - market_chunks) * chunk_size);
                  const auto end = std::min<std::uint32_t>(counts.persons, begin + chunk_size);
                  for (std::uint32_t index = begin; index < end; ++index) writer.PersonRecords(index);
                }
                for (int k = 0; k < kNumSources; ++k) {
                  if (!Sources()[k].gb18030 || work->out->data[k].empty()) continue;
                  auto converted = ToGb18030(work->out->data[k]);
                  if (!converted.ok()) {
                    work->status = converted.status();
                    break;
                  }
                  work->out->data[k] = *std::move(converted);
                }
                return work;
              }) &
          tbb::make_filter<std::shared_ptr<Work>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Work> work) {
                if (!work->status.ok()) {
                  if (status.ok()) status = work->status;
                  failed = true;
                  return;
                }
                auto& out = *work->out;
                for (int k = 0; k < kNumSources; ++k) {
                  files[k] << out.data[k];
                  stats.bytes += out.data[k].size();
                  stats.records_per_source[std::string(Sources()[k].id)] += out.records[k];
                  stats.records += out.records[k];
                }
                entities << out.entities;
                mentions << out.mentions;
                stats.bytes += out.entities.size() + out.mentions.size();
                stats.mentions += out.mention_count;
                ++done_chunks;
                if (progress && (done_chunks % 16 == 0 || done_chunks == total_chunks)) {
                  progress(double(done_chunks) / double(total_chunks),
                           work->chunk < market_chunks ? "market entities" : "persons");
                }
              }));
  if (!status.ok()) return status;
  for (auto& file : files) {
    file.close();
    if (!file) return absl::InternalError("writing a source file failed (disk full?)");
  }
  entities.close();
  mentions.close();
  if (!entities || !mentions) return absl::InternalError("writing truth/ failed (disk full?)");

  const std::string name = options.name.empty() ? absl::StrCat("shandong-sf", options.scale) : options.name;
  std::ofstream catalog(root / "catalog.yaml", std::ios::binary | std::ios::trunc);
  catalog << CatalogYaml(options, name);
  catalog.close();
  if (!catalog) return absl::InternalError("cannot write catalog.yaml");

  stats.market_entities = counts.market();
  stats.persons = counts.persons;
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (progress) progress(1.0, "done");
  return stats;
}

}  // namespace cg::datasets
