// Tests of the synthetic province generator: codes valid and unique by construction, IDs
// consistent with birth date and sex, structure (branches, groups, cycles), determinism across
// thread counts (file hashes), and a small data set written in full.
//
//   ownership in a group (holder -> held, ratio):   P --0.6--> H --0.7--> S1 --0.51--> S2
//   a derived controller walks majority edges upward from S2 and ends at P.
#include "datasets/generator/generator.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "datasets/generator/population.h"

namespace cg::datasets {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::uint64_t HashFolder(const std::filesystem::path& root) {
  std::set<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.insert(entry.path());
  }
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  for (const auto& file : files) {
    const std::string name = std::filesystem::relative(file, root).string();
    const std::string data = ReadFile(file);
    XXH3_64bits_update(state, name.data(), name.size());
    XXH3_64bits_update(state, data.data(), data.size());
  }
  const auto digest = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return digest;
}

std::filesystem::path TempDir(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() /
              ("cg_gen_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  return path;
}

const Date kAsOf = *core::MakeDate(2026, 6, 30);

TEST(GeneratorPopulation, CodesValidAndUnique) {
  const Population population(5, 0.0005, kAsOf);
  std::set<std::string> usccs;
  for (std::uint32_t index = 0; index < population.counts().market(); ++index) {
    const auto entity = population.Market(index);
    ASSERT_EQ(entity.uscc.size(), 18u);
    EXPECT_EQ(core::UsccCheckChar(entity.uscc.substr(0, 17)), entity.uscc[17]) << entity.uscc;
    EXPECT_EQ(core::OrgCodeCheckChar(entity.org_code.substr(0, 8)), entity.org_code[8]);
    EXPECT_EQ(entity.uscc.substr(8, 9), entity.org_code);
    EXPECT_EQ(entity.uscc.substr(2, 6), entity.region);
    const char authority = entity.uscc[0];
    switch (entity.kind) {
      case core::EntityKind::kEnterprise: EXPECT_EQ(entity.uscc.substr(0, 2), "91"); break;
      case core::EntityKind::kIndividualBusiness: EXPECT_EQ(entity.uscc.substr(0, 2), "92"); break;
      default: EXPECT_TRUE(authority == '1' || authority == '5') << entity.uscc;
    }
    if (!entity.reg_no.empty()) {
      ASSERT_EQ(entity.reg_no.size(), 15u);
      EXPECT_EQ(core::RegNoCheckChar(entity.reg_no.substr(0, 14)), entity.reg_no[14]);
      EXPECT_LT(entity.est_date, *core::MakeDate(2015, 1, 1));
    }
    EXPECT_FALSE(entity.name.empty());
    EXPECT_TRUE(entity.prefix.empty() || entity.name.rfind(entity.prefix, 0) == 0 || entity.branch);
    EXPECT_TRUE(usccs.insert(entity.uscc).second) << "duplicate " << entity.uscc;
  }
}

TEST(GeneratorPopulation, PersonIdsConsistentAndUnique) {
  const Population population(9, 0.001, kAsOf);
  std::set<std::string> ids;
  for (std::uint32_t index = 0; index < population.counts().persons; ++index) {
    const auto person = population.PersonAt(index);
    ASSERT_EQ(person.id_no.size(), 18u);
    EXPECT_EQ(core::IdNumberCheckChar(person.id_no.substr(0, 17)), person.id_no[17]);
    const auto ymd = core::ToYmd(person.birth);
    char birth[16];
    std::snprintf(birth, sizeof(birth), "%04d%02u%02u", ymd.year, ymd.month, ymd.day);
    EXPECT_EQ(person.id_no.substr(6, 8), birth);
    EXPECT_EQ(person.id_no.substr(0, 6), person.region);
    EXPECT_EQ((person.id_no[16] - '0') % 2 == 1, person.male);
    if (ymd.year < 2000) {
      EXPECT_EQ(person.id15, person.id_no.substr(0, 6) + person.id_no.substr(8, 9));
    } else {
      EXPECT_TRUE(person.id15.empty());
    }
    EXPECT_TRUE(ids.insert(person.id_no).second) << "duplicate " << person.id_no;
  }
}

TEST(GeneratorPopulation, StructureIsAcyclicExceptDeclaredCycles) {
  const Population population(3, 0.002, kAsOf);
  const auto& counts = population.counts();
  std::size_t subsidiaries = 0, branches = 0, deep = 0;
  for (std::uint32_t index = 0; index < counts.enterprises; ++index) {
    const auto parent = population.OwnerParent(index);
    if (parent >= 0) {
      ++subsidiaries;
      EXPECT_LT(parent, std::int64_t(index));  // the ownership tree has no cycle by itself
      EXPECT_FALSE(population.IsBranch(std::uint32_t(parent)));
      if (population.OwnerParent(std::uint32_t(parent)) >= 0) ++deep;
      EXPECT_GE(population.GroupHead(index), 0);
    }
    if (population.IsBranch(index)) {
      ++branches;
      const auto parent_of_branch = population.BranchParent(index);
      ASSERT_GE(parent_of_branch, 0);
      EXPECT_FALSE(population.IsBranch(std::uint32_t(parent_of_branch)));
    }
  }
  EXPECT_GT(subsidiaries, counts.enterprises / 20);
  EXPECT_GT(branches, counts.enterprises / 20);
  EXPECT_GT(deep, 0u);
  int cycles = 0;
  for (std::uint32_t head = 0; head < counts.heads; ++head) {
    bool majority = false;
    const auto holder = population.CycleHolder(head, &majority);
    if (holder < 0) continue;
    ++cycles;
    EXPECT_EQ(population.GroupHead(std::uint32_t(holder)), std::int64_t(head));
  }
  EXPECT_GE(cycles, 1);
}

TEST(Generator, DeterministicAcrossThreadCounts) {
  GenerateOptions options;
  options.scale = 0.0003;
  options.seed = 42;
  options.chunk_size = 256;
  options.threads = 1;
  options.out_dir = TempDir("t1");
  ASSERT_TRUE(GenerateDataset(options).ok());
  options.threads = 2;
  options.out_dir = TempDir("t2");
  ASSERT_TRUE(GenerateDataset(options).ok());
  const auto one = HashFolder(std::filesystem::temp_directory_path() /
                              ("cg_gen_test_t1_" + std::to_string(::getpid())));
  const auto two = HashFolder(options.out_dir);
  EXPECT_EQ(one, two);
  options.chunk_size = 97;  // chunking does not change the output either
  options.out_dir = TempDir("t4");
  ASSERT_TRUE(GenerateDataset(options).ok());
  EXPECT_EQ(HashFolder(options.out_dir), two);
  options.seed = 43;
  options.out_dir = TempDir("t3");
  ASSERT_TRUE(GenerateDataset(options).ok());
  EXPECT_NE(HashFolder(options.out_dir), two);
  for (const char* name : {"t1", "t2", "t3", "t4"}) std::filesystem::remove_all(TempDir(name));
}

TEST(Generator, WritesEverySourceAndTruth) {
  GenerateOptions options;
  options.scale = 0.0003;
  options.out_dir = TempDir("full");
  double last = -1;
  auto stats = GenerateDataset(options, [&](double fraction, std::string_view) {
    EXPECT_GE(fraction, last);
    last = fraction;
  });
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(last, 1.0);
  const std::filesystem::path root(options.out_dir);
  EXPECT_TRUE(std::filesystem::exists(root / "catalog.yaml"));
  const std::string catalog = ReadFile(root / "catalog.yaml");
  EXPECT_GE(stats->records_per_source.size(), 12u);
  for (const auto& [source, count] : stats->records_per_source) {
    EXPECT_GT(count, 0u) << source;
    EXPECT_NE(catalog.find("id: " + source + "\n"), std::string::npos) << source;
  }
  const std::string mentions = ReadFile(root / "truth" / "mentions.csv");
  std::size_t lines = 0;
  for (const char c : mentions) lines += c == '\n';
  EXPECT_EQ(lines, stats->mentions + 1);
  std::filesystem::remove_all(root);
}

TEST(Generator, RejectsBadOptions) {
  GenerateOptions options;
  options.out_dir = TempDir("bad");
  options.scale = -1;
  EXPECT_FALSE(GenerateDataset(options).ok());
  options.scale = 0.001;
  options.as_of = "yesterday";
  EXPECT_FALSE(GenerateDataset(options).ok());
  options.as_of = "2026-06-30";
  options.out_dir.clear();
  EXPECT_FALSE(GenerateDataset(options).ok());
}

}  // namespace
}  // namespace cg::datasets
