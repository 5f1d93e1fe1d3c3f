// Identifier validation and name normalization throughput (items/second, one core).
// Targets of issue 2: >= 20 M USCC and ID validations/s, >= 1 M organization names/s.
//   cmake --build build/dev --target cg_bench_ids && build/dev/cg_bench_ids
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "core/ids/divisions.h"
#include "core/ids/ids.h"
#include "core/text/normalize.h"
#include "core/text/org_name.h"

namespace {

// Codes stored back to back in one buffer (like a column), viewed by string_view: the benchmark
// then measures validation, not the heap layout of std::string.
struct Column {
  std::string bytes;
  std::vector<std::string_view> views;
  explicit Column(const std::vector<std::string>& codes) {
    for (const auto& code : codes) bytes += code;
    std::size_t offset = 0;
    for (const auto& code : codes) {
      views.emplace_back(bytes.data() + offset, code.size());
      offset += code.size();
    }
  }
  std::string_view operator[](std::size_t index) const { return views[index]; }
};

using cg::core::kUsccAlphabet;

std::vector<std::string> MakeUsccs(std::size_t count, bool with_errors) {
  std::mt19937_64 rng(42);
  const auto counties = cg::core::ShandongCounties();
  std::vector<std::string> codes;
  codes.reserve(count);
  const char* types[] = {"91", "92", "93", "12", "52", "51"};
  for (std::size_t i = 0; i < count; ++i) {
    std::string code = types[rng() % 6];
    code += counties[rng() % counties.size()].code;
    std::string body;
    for (int k = 0; k < 8; ++k) body += kUsccAlphabet[rng() % kUsccAlphabet.size()];
    code += body + *cg::core::OrgCodeCheckChar(body);
    code += *cg::core::UsccCheckChar(code);
    if (with_errors && rng() % 10 == 0) code[rng() % 18] = '0';
    codes.push_back(code);
  }
  return codes;
}

std::vector<std::string> MakeIdNumbers(std::size_t count) {
  std::mt19937_64 rng(43);
  const auto counties = cg::core::ShandongCounties();
  std::vector<std::string> codes;
  codes.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    std::string code(counties[rng() % counties.size()].code);
    const auto ymd = cg::core::ToYmd(*cg::core::MakeDate(1940, 1, 1) + int(rng() % 25000));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%03u", ymd.year, ymd.month, ymd.day,
                  unsigned(rng() % 1000));
    code += buffer;
    code += *cg::core::IdNumberCheckChar(code);
    codes.push_back(code);
  }
  return codes;
}

void BM_ValidateUscc(benchmark::State& state) {
  const Column codes(MakeUsccs(1 << 16, true));
  std::size_t index = 0;
  for (auto _ : state) {
    const auto result = cg::core::ValidateUscc(codes[index++ & 0xFFFF]);
    benchmark::DoNotOptimize(result.status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateUscc);

void BM_IsValidUscc(benchmark::State& state) {
  const Column codes(MakeUsccs(1 << 16, true));
  std::size_t index = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cg::core::IsValidUscc(codes[index++ & 0xFFFF]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsValidUscc);

void BM_ValidateUsccFullWidth(benchmark::State& state) {
  // The slow path: lower case and spaces force normalization.
  auto codes = MakeUsccs(1 << 12, false);
  for (auto& code : codes) code = code.substr(0, 9) + " " + code.substr(9) + "\xE3\x80\x80";
  const Column column(codes);
  std::size_t index = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cg::core::ValidateUscc(column[index++ & 0xFFF]).status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateUsccFullWidth);

void BM_ValidateIdNumber(benchmark::State& state) {
  const Column codes(MakeIdNumbers(1 << 16));
  const cg::Date today = cg::core::TodayUtc();
  std::size_t index = 0;
  for (auto _ : state) {
    const auto result = cg::core::ValidateIdNumber(codes[index++ & 0xFFFF], today);
    benchmark::DoNotOptimize(result.status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateIdNumber);

void BM_MaskIdNumber(benchmark::State& state) {
  const Column codes(MakeIdNumbers(1 << 16));
  char buffer[cg::core::NormalizedCode::kCapacity];
  std::size_t index = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cg::core::MaskIdNumberTo(codes[index++ & 0xFFFF], buffer));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MaskIdNumber);

// Organization names in the shapes a provincial platform sees: region prefixes at 0-3 levels,
// trade names, industry words, forms and their synonyms, some branches, some full-width
// brackets and traditional characters (those take ICU's slow path).
std::vector<std::string> MakeOrgNames(std::size_t count) {
  std::mt19937_64 rng(44);
  const auto counties = cg::core::ShandongCounties();
  const char* trades[] = {"鑫源", "华泰", "金诺", "宏达", "永盛", "恒通", "瑞丰", "博远", "中兴",
                          "泰和", "联创", "德润", "富康", "海纳", "新时代", "长城", "正大"};
  const char* industries[] = {"商贸", "科技", "建筑工程", "餐饮管理", "食品", "机械制造",
                              "贸易", "物流", "科技发展", "化工", "五金", ""};
  const char* forms[] = {"有限公司", "有限责任公司", "股份有限公司", "经营部", "厂",
                         "农民专业合作社", "（有限合伙）", "个体工商户"};
  std::vector<std::string> names;
  names.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& county = counties[rng() % counties.size()];
    std::string name;
    switch (rng() % 4) {
      case 0: name = "山东省" + std::string(cg::core::FindDivision(county.parent)->name); break;
      case 1: name = std::string(cg::core::FindDivision(county.parent)->short_name); break;
      case 2: name = std::string(county.name); break;
      default: break;
    }
    name += trades[rng() % std::size(trades)];
    name += industries[rng() % std::size(industries)];
    name += forms[rng() % std::size(forms)];
    if (rng() % 10 == 0) name += "济南分公司";
    if (rng() % 20 == 0) name = "臺灣" + name;  // traditional: goes through ICU
    names.push_back(name);
  }
  return names;
}

void BM_NormalizeText(benchmark::State& state) {
  const auto names = MakeOrgNames(1 << 14);
  std::string out;
  std::size_t index = 0;
  for (auto _ : state) {
    cg::core::NormalizeText(names[index++ & 0x3FFF], out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeText);

void BM_ParseOrgName(benchmark::State& state) {
  const auto names = MakeOrgNames(1 << 14);
  cg::core::OrgNameParts parts;
  std::size_t index = 0;
  for (auto _ : state) {
    cg::core::ParseOrgName(names[index++ & 0x3FFF], parts);
    benchmark::DoNotOptimize(parts.canonical.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseOrgName);

void BM_OrgNameKey(benchmark::State& state) {
  const auto names = MakeOrgNames(1 << 14);
  std::string key;
  std::size_t index = 0;
  for (auto _ : state) {
    cg::core::OrgNameKey(names[index++ & 0x3FFF], key);
    benchmark::DoNotOptimize(key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OrgNameKey);

void BM_NormalizePersonName(benchmark::State& state) {
  const char* names[] = {"张三", "李 四", "艾力•买买提", "王小明", "JOHN SMITH", "欧阳娜娜"};
  std::string out;
  std::size_t index = 0;
  for (auto _ : state) {
    cg::core::NormalizePersonName(names[index++ % 6], out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizePersonName);

}  // namespace

BENCHMARK_MAIN();
