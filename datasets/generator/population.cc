// The synthetic population (see population.h).
#include "datasets/generator/population.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "core/ids/divisions.h"
#include "datasets/generator/rng.h"
#include "datasets/generator/tables.h"

namespace cg::datasets {
namespace {

constexpr std::uint64_t kPrime = 2654435761ULL;  // prime, larger than any count we use
constexpr std::uint64_t kIdDays = 24000;         // birth dates 1940-01-01 .. ~2005-09
constexpr std::uint64_t kIdSeqs = 500;           // sequence numbers per sex and day
constexpr std::uint64_t kIdCapacity = kIdDays * kIdSeqs;
constexpr std::uint64_t kIdMultiplier = 7777777;  // coprime with kIdCapacity (2^8·3·5^6)

// Sub-streams of the structure and market streams.
enum : std::uint64_t {
  kSubBranch = 1, kSubSubsidiary, kSubParentMode, kSubParentPick, kSubRatio, kSubRisk,
  kSubCycle, kSubController, kSubBranchParent, kSubRep, kSubShare,
};

double U(std::uint64_t seed, std::uint64_t stream, std::uint64_t sub, std::uint64_t index) {
  return double(HashKey(seed, (stream << 8) | sub, index) >> 11) * 0x1.0p-53;
}

std::string Digits(std::uint64_t value, int width) {
  std::string out(width, '0');
  for (int pos = width - 1; pos >= 0; --pos) {
    out[pos] = char('0' + value % 10);
    value /= 10;
  }
  return out;
}

std::string Base31(std::uint64_t value, int width) {
  std::string out(width, '0');
  for (int pos = width - 1; pos >= 0; --pos) {
    out[pos] = core::kUsccAlphabet[value % 31];
    value /= 31;
  }
  return out;
}

std::string Ymd8(Date date) {
  const auto ymd = core::ToYmd(date);
  return Digits(ymd.year, 4) + Digits(ymd.month, 2) + Digits(ymd.day, 2);
}

std::string_view Pick(Rng& rng, std::span<const tables::Weighted> items) {
  return items[rng.Pick(items)].text;
}

const char* const kChineseDigits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

constexpr std::array<std::string_view, 15> kOrgans = {
    "市场监督管理局", "教育和体育局", "卫生健康局", "自然资源和规划局", "住房和城乡建设局",
    "交通运输局", "农业农村局", "水务局", "商务局", "文化和旅游局", "应急管理局", "民政局",
    "人力资源和社会保障局", "财政局", "司法局"};
constexpr std::array<std::string_view, 8> kInstitutions = {
    "中学", "小学", "人民医院", "中医医院", "疾病预防控制中心", "综合行政执法大队",
    "社会福利院", "职业中等专业学校"};
constexpr std::array<std::string_view, 4> kSocial = {"行业协会", "商会", "研究会", "联合会"};
constexpr std::array<std::string_view, 4> kPrivateNonEnt = {"幼儿园", "培训学校", "养老院",
                                                            "康复中心"};

}  // namespace

PopulationCounts PopulationCounts::ForScale(double scale) {
  PopulationCounts counts;
  auto scaled = [&](double base, std::uint32_t minimum) {
    return std::max<std::uint32_t>(minimum, std::uint32_t(std::llround(base * scale)));
  };
  counts.enterprises = scaled(4.5e6, 60);
  counts.individual = scaled(9.5e6, 40);
  counts.organizations = scaled(1.0e5, 10);
  counts.persons = scaled(2.0e7, 200);
  counts.heads = std::max<std::uint32_t>(3, counts.enterprises / 500);
  return counts;
}

Population::Population(std::uint64_t seed, double scale, Date as_of)
    : seed_(seed), as_of_(as_of), counts_(PopulationCounts::ForScale(scale)) {
  min_date_ = *core::MakeDate(2010, 1, 1);
  // Regions: prefecture-level registrations (15%) and counties, weighted by prefecture.
  const auto prefectures = tables::Prefectures();
  const auto counties = core::ShandongCounties();
  double cumulative = 0;
  std::vector<double> person_weights;
  for (std::size_t p = 0; p < prefectures.size(); ++p) {
    std::vector<std::string> own;
    for (const auto& county : counties) {
      if (county.parent == prefectures[p].code) own.emplace_back(county.code);
    }
    cumulative += prefectures[p].weight * 0.15;
    county_cumulative_.push_back(cumulative);
    county_code_.emplace_back(prefectures[p].code);
    county_prefecture_.push_back(int(p));
    for (const auto& code : own) {
      cumulative += prefectures[p].weight * 0.85 / double(own.size());
      county_cumulative_.push_back(cumulative);
      county_code_.push_back(code);
      county_prefecture_.push_back(int(p));
      person_county_code_.push_back(code);
      person_weights.push_back(prefectures[p].weight / double(own.size()));
    }
  }
  for (auto& value : county_cumulative_) value /= cumulative;
  // Persons: contiguous ranges of the permuted index per county.
  double total = 0;
  for (double weight : person_weights) total += weight;
  double acc = 0;
  for (double weight : person_weights) {
    person_county_start_.push_back(std::uint32_t(std::floor(acc / total * counts_.persons)));
    acc += weight;
  }
  // Ownership parents (pure per index; parallelism not needed at this cost) and risk.
  parent_.resize(counts_.enterprises);
  for (std::uint32_t index = 0; index < counts_.enterprises; ++index) {
    parent_[index] = std::int32_t(ComputeParent(index));
  }
  risk_.resize(counts_.market());
  auto base_risk = [&](std::uint32_t index, double p1, double p2) -> std::uint8_t {
    const double u = U(seed_, kStreamRisk, kSubRisk, index);
    return u < p2 ? 2 : u < p2 + p1 ? 1 : 0;
  };
  for (std::uint32_t index = 0; index < counts_.market(); ++index) {
    const auto kind = KindOf(index);
    if (kind == core::EntityKind::kEnterprise) {
      if (index < counts_.heads) {
        risk_[index] = base_risk(index, 0.08, 0.03);
      } else if (parent_[index] >= 0 && U(seed_, kStreamRisk, kSubShare, index) < 0.7) {
        risk_[index] = risk_[parent_[index]];
      } else if (IsBranch(index) && U(seed_, kStreamRisk, kSubShare, index) < 0.8) {
        risk_[index] = risk_[BranchParent(index)];
      } else {
        risk_[index] = base_risk(index, 0.04, 0.01);
      }
    } else if (kind == core::EntityKind::kIndividualBusiness) {
      risk_[index] = base_risk(index, 0.025, 0.004);
    } else {
      risk_[index] = base_risk(index, 0.005, 0.0);
    }
  }
  // A few ownership cycles: a head held back by one of its majority subsidiaries.
  std::vector<std::int64_t> cycle_child(counts_.heads, -2);
  for (std::uint32_t head = 1; head < counts_.heads; ++head) {
    if (head <= 2 || U(seed_, kStreamStructure, kSubCycle, head) < 0.03) cycle_child[head] = -1;
  }
  for (std::uint32_t index = counts_.heads; index < counts_.enterprises; ++index) {
    const auto parent = parent_[index];
    if (parent >= 0 && std::uint32_t(parent) < counts_.heads && cycle_child[parent] == -1 &&
        OwnerRatio(index) > 0.5) {
      cycle_child[parent] = index;
      cycles_.emplace_back(std::uint32_t(parent), index);
    }
  }
  std::sort(cycles_.begin(), cycles_.end());
  for (std::uint32_t index = counts_.heads; index < counts_.enterprises; ++index) {
    if (IsBranch(index)) branches_.emplace_back(std::uint32_t(BranchParent(index)), index);
  }
  std::sort(branches_.begin(), branches_.end());
}

std::int64_t Population::AnyBranchOf(std::uint32_t market) const {
  const auto it = std::lower_bound(branches_.begin(), branches_.end(),
                                   std::pair<std::uint32_t, std::uint32_t>(market, 0));
  if (it == branches_.end() || it->first != market) return -1;
  return it->second;
}

core::EntityKind Population::KindOf(std::uint32_t market) const {
  if (market < counts_.enterprises) return core::EntityKind::kEnterprise;
  if (market < counts_.enterprises + counts_.individual) {
    return core::EntityKind::kIndividualBusiness;
  }
  return core::EntityKind::kOrganization;
}

bool Population::IsBranch(std::uint32_t market) const {
  return market >= counts_.heads && market < counts_.enterprises &&
         U(seed_, kStreamStructure, kSubBranch, market) < 0.10;
}

std::int64_t Population::BranchParent(std::uint32_t market) const {
  if (!IsBranch(market)) return -1;
  for (std::uint64_t attempt = 0; attempt < 16; ++attempt) {
    const double u = U(seed_, kStreamStructure, kSubBranchParent, market * 16 + attempt);
    const auto candidate = std::uint32_t(double(market) * u * u);
    if (!IsBranch(candidate)) return candidate;
  }
  return 0;  // a head is never a branch
}

bool Population::IsSubsidiaryRaw(std::uint32_t market) const {
  return market >= counts_.heads && market < counts_.enterprises && !IsBranch(market) &&
         U(seed_, kStreamStructure, kSubSubsidiary, market) < 0.18;
}

std::int64_t Population::ComputeParent(std::uint32_t market) const {
  if (!IsSubsidiaryRaw(market)) return -1;
  const double mode = U(seed_, kStreamStructure, kSubParentMode, market);
  if (mode >= 0.55) {  // a deeper level: under an earlier subsidiary
    for (std::uint64_t attempt = 0; attempt < 6; ++attempt) {
      const double u = U(seed_, kStreamStructure, kSubParentPick, market * 8 + attempt);
      const auto candidate = counts_.heads + std::uint32_t(double(market - counts_.heads) * u);
      if (candidate < market && IsSubsidiaryRaw(candidate)) return candidate;
    }
  }
  const double u = U(seed_, kStreamStructure, kSubParentPick, market * 8 + 7);
  return std::uint32_t(double(counts_.heads) * u * std::sqrt(u));  // heavy tail over heads
}

double Population::OwnerRatio(std::uint32_t market) const {
  if (OwnerParent(market) < 0) return 0;
  const double u = U(seed_, kStreamStructure, kSubRatio, market);
  if (u < 0.75) return std::min(1.0, 0.51 + std::floor(u / 0.75 * 50) / 100);  // 0.51 .. 1.00
  return 0.2 + std::floor((u - 0.75) / 0.25 * 30) / 100;                       // 0.20 .. 0.49
}

std::int64_t Population::GroupHead(std::uint32_t market) const {
  if (market >= counts_.enterprises) return -1;
  std::int64_t node = market;
  while (node >= counts_.heads) {
    node = parent_[node];
    if (node < 0) return -1;
  }
  return node;
}

std::uint32_t Population::SerialPerson(std::uint64_t draw) const {
  const std::uint64_t pool = std::max<std::uint64_t>(10, counts_.persons / 50);
  const double u = double(draw >> 11) * 0x1.0p-53;
  const auto rank = std::uint64_t(double(pool) * u * std::sqrt(u));  // P(rank 0) ~ pool^(-2/3)
  return std::uint32_t((rank * 7919 + 13) % counts_.persons);
}

std::uint32_t Population::HeadController(std::uint32_t head) const {
  if (U(seed_, kStreamStructure, kSubController, head) < 0.6) return Market(head).legal_rep;
  return SerialPerson(HashKey(seed_, kStreamStructure << 8 | kSubController, head + 1));
}

std::int64_t Population::CycleHolder(std::uint32_t head, bool* majority) const {
  const auto it = std::lower_bound(cycles_.begin(), cycles_.end(),
                                   std::pair<std::uint32_t, std::uint32_t>(head, 0));
  if (it == cycles_.end() || it->first != head) return -1;
  if (majority) *majority = head % 2 == 0;
  return it->second;
}

std::string Population::CountyOf(std::uint64_t draw, int* prefecture) const {
  const double u = double(draw >> 11) * 0x1.0p-53;
  auto it = std::upper_bound(county_cumulative_.begin(), county_cumulative_.end(), u);
  if (it == county_cumulative_.end()) --it;
  const auto pos = std::size_t(it - county_cumulative_.begin());
  *prefecture = county_prefecture_[pos];
  return county_code_[pos];
}

std::string Population::MarketEntityId(core::EntityKind kind, std::uint32_t market) {
  const char letter = kind == core::EntityKind::kEnterprise           ? 'E'
                      : kind == core::EntityKind::kIndividualBusiness ? 'I'
                                                                       : 'O';
  std::string out(1, letter);
  out += Digits(market, 9);
  return out;
}

std::string Population::PersonEntityId(std::uint32_t person) {
  std::string out(1, 'P');
  out += Digits(person, 9);
  return out;
}

MarketEntity Population::Market(std::uint32_t market) const {
  MarketEntity entity;
  entity.index = market;
  entity.kind = KindOf(market);
  entity.branch = IsBranch(market);
  Rng rng(seed_, kStreamMarket, market);
  entity.region = CountyOf(rng.Next(), &entity.prefecture);
  const auto& pref_info = tables::Prefectures()[entity.prefecture];
  const core::Division* pref = core::FindDivision(pref_info.code);
  const core::Division* county = core::FindDivision(entity.region);
  const bool is_head = market < counts_.heads;

  // Founding date: growth of registrations over time (more recent entities).
  const auto as_of_ymd = core::ToYmd(as_of_);
  int years_back = int(-std::log(1 - rng.Uniform()) *
                       (entity.kind == core::EntityKind::kOrganization ? 15.0 : 7.0));
  if (is_head) years_back += 8;
  years_back = std::min(years_back, 34);
  const int year = as_of_ymd.year - years_back;
  Date est = *core::MakeDate(year, 1, 1) + Date(rng.Below(365));
  if (est >= as_of_) est = as_of_ - 1 - Date(rng.Below(200));
  entity.est_date = est;
  const bool old = est < *core::MakeDate(2015, 1, 1);

  // Codes: unique by construction (bijections of the market index).
  std::string_view auth_type;
  std::string code8;
  if (entity.kind == core::EntityKind::kOrganization) {
    const double u = rng.Uniform();
    auth_type = u < 0.3 ? "11" : u < 0.7 ? "12" : u < 0.9 ? "51" : u < 0.98 ? "52" : "53";
  } else {
    auth_type = entity.kind == core::EntityKind::kEnterprise ? "91" : "92";
  }
  if (old) {
    code8 = Digits((market * kPrime + 12345) % 100000000ULL, 8);
    entity.reg_no = entity.kind == core::EntityKind::kOrganization
                        ? std::string()
                        : entity.region + Digits((market * kPrime + 777) % 100000000ULL, 8);
    if (!entity.reg_no.empty()) entity.reg_no += *core::RegNoCheckChar(entity.reg_no);
  } else {
    const char* prefix = auth_type[0] == '9' ? "MA" : auth_type[0] == '1' ? "MB" : "MJ";
    code8 = std::string(prefix) + Base31((market * kPrime + 99) % 887503681ULL, 6);
  }
  entity.org_code = code8 + *core::OrgCodeCheckChar(code8);
  std::string first17;
  first17.reserve(17);
  first17.append(auth_type).append(entity.region).append(entity.org_code);
  entity.uscc = first17 + *core::UsccCheckChar(first17);

  // Legal representative / operator.
  const std::uint64_t rep_draw = HashKey(seed_, kStreamMarket << 8 | kSubRep, market);
  const double rep_mode = rng.Uniform();
  if (entity.kind != core::EntityKind::kEnterprise) {
    entity.legal_rep = AnyPerson(rep_draw);
  } else if (is_head) {
    entity.legal_rep = SerialPerson(rep_draw);
  } else if (entity.branch) {
    entity.legal_rep = rep_mode < 0.3 ? Market(std::uint32_t(BranchParent(market))).legal_rep
                                      : AnyPerson(rep_draw);
  } else if (const auto head = GroupHead(market); head >= 0) {
    entity.legal_rep = rep_mode < 0.15   ? HeadController(std::uint32_t(head))
                       : rep_mode < 0.25 ? Market(std::uint32_t(head)).legal_rep
                       : rep_mode < 0.8  ? SerialPerson(rep_draw)
                                         : AnyPerson(rep_draw);
  } else {
    entity.legal_rep = rep_mode < 0.2 ? SerialPerson(rep_draw) : AnyPerson(rep_draw);
  }

  // Name.
  const std::string pref_short(pref ? pref->short_name : "山东");
  const std::string pref_full(pref ? pref->name : "山东省");
  const std::string county_full(county ? county->name : pref_full);
  const std::string county_short(county && !county->short_name.empty() ? county->short_name
                                                                        : county_full);
  auto trade_name = [&]() -> std::string {
    if (rng.Chance(0.4)) return std::string(Pick(rng, tables::PopularTradeNames()));
    const auto chars = tables::TradeNameChars();
    return std::string(chars[rng.Below(chars.size())]) + std::string(chars[rng.Below(chars.size())]);
  };
  const auto industries = tables::Industries();
  const auto& industry = industries[rng.Below(industries.size())];
  entity.industry = std::string(industry.code);
  entity.polluting = industry.polluting;
  if (entity.kind == core::EntityKind::kEnterprise) {
    if (entity.branch) {
      const auto parent = Market(std::uint32_t(BranchParent(market)));
      entity.prefix = parent.prefix;
      const int ordinal = int(rng.Below(12));
      entity.name = parent.name + county_short +
                    (ordinal < 9 ? std::string("分公司")
                                 : std::string("第") + kChineseDigits[ordinal - 8] + "分公司");
      entity.industry = parent.industry;
      entity.polluting = parent.polluting;
    } else if (is_head) {
      entity.prefix = "山东";
      const double u = rng.Uniform();
      entity.name = entity.prefix + trade_name() +
                    (u < 0.4 ? "控股集团有限公司" : u < 0.8 ? "集团有限公司" : "实业集团有限公司");
      entity.industry = "7212";
    } else {
      const double u = rng.Uniform();
      entity.prefix = u < 0.55 ? pref_short : u < 0.7 ? std::string("山东") : u < 0.85 ? county_short : pref_full;
      const double form = rng.Uniform();
      entity.name = entity.prefix + trade_name() + std::string(industry.word) +
                    (form < 0.75 ? "有限公司" : form < 0.87 ? "有限责任公司" : "股份有限公司");
    }
  } else if (entity.kind == core::EntityKind::kIndividualBusiness) {
    const auto shops = tables::ShopTypes();
    const auto& shop = shops[rng.Below(shops.size())];
    entity.industry = std::string(shop.code);
    entity.polluting = shop.polluting;
    entity.prefix = county_full;
    entity.name = entity.prefix +
                  (rng.Chance(0.3) ? PersonAt(entity.legal_rep).name : trade_name()) +
                  std::string(shop.word);
  } else {
    const int number = 1 + int(rng.Below(60));
    if (auth_type == "11") {
      entity.prefix = county ? pref_full + county_full : pref_full;
      entity.name = entity.prefix + std::string(kOrgans[rng.Below(kOrgans.size())]);
      entity.industry = "9221";
    } else if (auth_type == "12") {
      entity.prefix = county_full;
      const auto kind_word = kInstitutions[rng.Below(kInstitutions.size())];
      const bool numbered = kind_word == "中学" || kind_word == "小学";
      entity.name = entity.prefix + (numbered ? "第" + std::to_string(number) : trade_name()) +
                    std::string(kind_word);
      entity.industry = numbered ? "8331" : "8411";
    } else if (auth_type == "51") {
      entity.prefix = pref_full;
      entity.name = entity.prefix + std::string(industry.word) +
                    std::string(kSocial[rng.Below(kSocial.size())]);
      entity.industry = "9521";
    } else if (auth_type == "52") {
      entity.prefix = county_full;
      entity.name = entity.prefix + trade_name() +
                    std::string(kPrivateNonEnt[rng.Below(kPrivateNonEnt.size())]);
      entity.industry = "8310";
    } else {
      entity.prefix = "山东省";
      entity.name = entity.prefix + trade_name() + "慈善基金会";
      entity.industry = "9530";
    }
  }

  // Address and phone; companies of a group often share the parent's (families).
  std::uint32_t address_owner = market;
  if (const auto parent = OwnerParent(market); parent >= 0 && rng.Chance(0.5)) {
    address_owner = std::uint32_t(parent);
  }
  if (address_owner != market) {
    const auto owner = Market(address_owner);
    entity.address = owner.address;
    entity.phone = owner.phone;
  } else {
    const auto roads = tables::Roads();
    entity.address = pref_full + (county ? county_full : std::string()) +
                     std::string(roads[rng.Below(roads.size())]) +
                     std::to_string(1 + rng.Below(300)) + "号";
    if (entity.kind == core::EntityKind::kIndividualBusiness || rng.Chance(0.2)) {
      static constexpr std::array<std::string_view, 8> kMobile = {"138", "139", "135", "136",
                                                                 "150", "158", "186", "189"};
      entity.phone = std::string(kMobile[rng.Below(kMobile.size())]) + Digits(rng.Below(100000000), 8);
    } else {
      entity.phone = std::string(pref_info.area_code) + "-" + Digits(80000000 + rng.Below(9999999), 8);
    }
  }

  // Capital and status.
  if (entity.kind == core::EntityKind::kEnterprise && !entity.branch) {
    double capital = std::exp(4.5 + 1.6 * (rng.Uniform() + rng.Uniform() + rng.Uniform() - 1.5));
    if (is_head) capital *= 50;
    entity.capital = std::max(1.0, std::round(capital));
  } else if (entity.kind == core::EntityKind::kIndividualBusiness) {
    entity.capital = double(1 + rng.Below(50));
  }
  const double status = rng.Uniform();
  const int risk = risk_.empty() ? 0 : risk_[market];
  const double revoked = risk == 2 ? 0.15 : 0.025;
  entity.status = status < revoked                   ? core::RegStatus::kRevoked
                  : status < revoked + 0.05          ? core::RegStatus::kCancelled
                  : status < revoked + 0.06          ? core::RegStatus::kMovedOut
                                                     : core::RegStatus::kActive;
  if (is_head) entity.status = core::RegStatus::kActive;
  return entity;
}

Person Population::PersonAt(std::uint32_t person) const {
  Person out;
  out.index = person;
  const std::uint64_t permuted = (person * kPrime + 7) % counts_.persons;
  auto it = std::upper_bound(person_county_start_.begin(), person_county_start_.end(),
                             std::uint32_t(permuted));
  const auto county = std::size_t(it - person_county_start_.begin()) - 1;
  const std::uint64_t local = permuted - person_county_start_[county];
  const std::uint64_t slot = (local * kIdMultiplier + 4242) % kIdCapacity;
  out.region = person_county_code_[county];
  out.birth = *core::MakeDate(1940, 1, 1) + Date(slot / kIdSeqs);
  Rng rng(seed_, kStreamPerson, person);
  out.male = rng.Chance(0.51);
  const std::string seq = Digits((slot % kIdSeqs) * 2 + (out.male ? 1 : 0), 3);
  const std::string ymd = Ymd8(out.birth);
  const std::string first17 = out.region + ymd + seq;
  out.id_no = first17 + *core::IdNumberCheckChar(first17);
  if (ymd[0] == '1' && ymd[1] == '9') out.id15 = out.region + ymd.substr(2) + seq;
  out.name = std::string(Pick(rng, tables::Surnames()));
  const auto& given = out.male ? tables::GivenMale() : tables::GivenFemale();
  if (rng.Chance(0.4)) {
    out.name += Pick(rng, given);
  } else {
    out.name += Pick(rng, tables::GivenFirst());
    out.name += Pick(rng, given);
  }
  return out;
}

}  // namespace cg::datasets
