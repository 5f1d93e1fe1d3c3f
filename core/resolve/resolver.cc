// Entity resolution (see resolver.h).
#include "core/resolve/resolver.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>
#include <xxhash.h>

#include <absl/container/flat_hash_set.h>
#include <absl/container/inlined_vector.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <span>
#include <tuple>

#include "core/resolve/bucket_sort.h"
#include "core/resolve/comparisons.h"
#include "core/resolve/name_parts.h"
#include "core/resolve/union_find.h"
#include "core/strings.h"

namespace cg::core::resolve {
namespace {

// Concatenation of string-like parts (absl::StrCat here is built without std::string_view).
inline void AppendOne(std::string* out, std::string_view part) { out->append(part); }
inline void AppendOne(std::string* out, char part) { out->push_back(part); }
template <typename... Parts>
void Append(std::string* out, const Parts&... parts) {
  (AppendOne(out, parts), ...);
}
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  Append(&out, parts...);
  return out;
}
// The parts joined in a per-thread buffer (valid until the thread's next call): a key's text
// hashed without an allocation.
template <typename... Parts>
std::string_view Scratch(const Parts&... parts) {
  thread_local std::string scratch;
  scratch.clear();
  Append(&scratch, parts...);
  return scratch;
}
template <typename... Args>
std::string Format(const char* format, Args... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, args...);
  return buffer;
}

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Calls fn(begin, end) for every maximal run [begin, end) of [0, n) in which each position
// continues the previous one (continues(i) compares i with i - 1), in parallel: each run once,
// by the chunk it starts in (it may end beyond the chunk).
template <typename Continues, typename Fn>
void ForEachRun(std::size_t n, std::size_t grain, Continues&& continues, Fn&& fn) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain), [&](const tbb::blocked_range<std::size_t>& range) {
    std::size_t i = range.begin();
    while (i < range.end() && i > 0 && continues(i)) ++i;
    while (i < range.end()) {
      std::size_t j = i + 1;
      while (j < n && continues(j)) ++j;
      fn(i, j);
      i = j;
    }
  });
}

// CG_RESOLVE_TRACE=1: each step's wall time on stderr (where a resolve spends its time, serial
// steps included; no effect on the result).
void Trace(const char* step) {
  static const bool enabled = std::getenv("CG_RESOLVE_TRACE") != nullptr;
  if (!enabled) return;
  // Wall time and the process's CPU time (both cores) since the previous step.
  const auto cpu_now = CpuSeconds;
  thread_local Clock::time_point last = Clock::now();
  thread_local double last_cpu = cpu_now();
  const Clock::time_point now = Clock::now();
  const double cpu = cpu_now();
  // Resident memory now and the peak so far (GB): where a resolve's memory goes.
  std::fprintf(stderr, "[resolve] %-28s %8.3f s %8.3f cpu-s %6.2f GB rss %6.2f GB peak\n", step,
               std::chrono::duration<double>(now - last).count(), cpu - last_cpu,
               static_cast<double>(ResidentBytes()) / 1e9, static_cast<double>(PeakResidentBytes()) / 1e9);
  last = now;
  last_cpu = cpu;
}

std::uint64_t HashKey(char tag, KindClass klass, std::string_view text) {
  const std::uint64_t seed = static_cast<std::uint64_t>(tag) * 131 + static_cast<std::uint64_t>(klass);
  return XXH3_64bits_withSeed(text.data(), text.size(), seed);
}

struct BlockKey {
  std::uint64_t key;
  bool probe;
};

// A blocking key: the tag in the top byte (caps are per tag), the hash of the text below it.
std::uint64_t BlockHash(char tag, KindClass klass, std::string_view text) {
  return (HashKey(tag, klass, text) & 0x00FFFFFFFFFFFFFFULL) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(tag)) << 56);
}
char TagOf(std::uint64_t key) { return static_cast<char>(key >> 56); }

std::uint64_t TextHash(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }

// A blocking key made of two parts already hashed (a name or one of its deletion variants, and
// a region, a birth date or a related name): the same key for the same two texts, with no key
// text built. Keys of one part use 0 as the other.
std::uint64_t PairKey(char tag, KindClass klass, std::uint64_t first, std::uint64_t second) {
  const std::uint64_t parts[2] = {first, second};
  const std::uint64_t seed = static_cast<std::uint64_t>(tag) * 131 + static_cast<std::uint64_t>(klass);
  return (XXH3_64bits_withSeed(parts, sizeof(parts), seed) & 0x00FFFFFFFFFFFFFFULL) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(tag)) << 56);
}

// Most members a block of this tag may have before it is skipped as too common to decide by
// (a province-wide block on a name alone: such mentions would be ambiguous anyway). The cap
// keeps the comparison count linear in the data size instead of quadratic.
std::size_t BlockCap(char tag) {
  switch (tag) {
    case 'E': return 400;   // organization: exact name key, province-wide
    case 'N': return 150;   // person: name alone, province-wide
    // One-deletion variants (organizations within a county or city, persons with the birth
    // date): a typo'd name meets its true one in a block of the few names one edit apart. A
    // larger block is a short or common stem (宏达建… with every 宏达建X in the county, 张 +
    // a birth date) whose size grows with the region's population, so its pairs grow with its
    // square: at SF=0.1 such blocks gave 41 M of 63 M comparisons and no measurable recall
    // (docs/resolution.md). Capped, they give 1.7 M.
    case 'V': return 16;
    case 'Y': return 16;
    default: return 20000;  // safety net for every other key
  }
}

// Two-of-three thirds of a code: one typo leaves at least one key intact. `qualifier` joins the
// key that keeps the first two thirds: for an ID number those are the region and the birth
// year-month, which every person born that month in the county shares (the key alone gave a
// quarter of all SF=0.1 candidate pairs), so that key also asks for the name.
void CodeThirds(char tag, KindClass klass, std::string_view code, bool probe,
                std::vector<BlockKey>* keys, std::string_view qualifier = {}) {
  if (code.size() < 6) return;
  const std::size_t third = code.size() / 3;
  const std::string_view s0 = code.substr(0, third), s1 = code.substr(third, third),
                         s2 = code.substr(2 * third);
  keys->push_back({BlockHash(tag, klass, Scratch("0|", s1, "|", s2)), probe});
  keys->push_back({BlockHash(tag, klass, Scratch("1|", s0, "|", s2)), probe});
  keys->push_back({BlockHash(tag, klass, Scratch("2|", s0, "|", s1, "|", qualifier)), probe});
}

// The byte offset of each code point of a UTF-8 text, then its size.
absl::InlinedVector<std::size_t, 32> CodePointStarts(std::string_view text) {
  absl::InlinedVector<std::size_t, 32> starts;
  for (std::size_t pos = 0; pos < text.size();) {
    starts.push_back(pos);
    char32_t ignored;
    pos = NextCodePoint(text, pos, &ignored);
  }
  starts.push_back(text.size());
  return starts;
}

// Calls fn(&variant) for each deletion of one code point from `text` (`starts` from
// CodePointStarts), the variant built in one reused buffer that fn may extend (a key suffix).
template <typename Fn>
void ForEachDeletion(std::string_view text, const absl::InlinedVector<std::size_t, 32>& starts, Fn&& fn) {
  thread_local std::string variant;
  for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
    variant.assign(text.substr(0, starts[i]));
    variant.append(text.substr(starts[i + 1]));
    fn(&variant);
  }
}

// The hashes of the one-code-point deletions of `text`, in order (one per code point).
void DeletionHashes(std::string_view text, std::vector<std::uint64_t>* out) {
  out->clear();
  const auto starts = CodePointStarts(text);
  ForEachDeletion(text, starts, [&](std::string* variant) { out->push_back(TextHash(*variant)); });
}

void WeakCodesOf(std::string_view weak, char tag, std::vector<std::string_view>* out) {
  while (!weak.empty()) {
    auto end = weak.find(';');
    std::string_view item = weak.substr(0, end);
    if (item.size() > 2 && item[0] == tag) out->push_back(item.substr(2));
    if (end == std::string_view::npos) break;
    weak.remove_prefix(end + 1);
  }
}

// The county (6 digits) and city (4 digits) a GB/T 2260 region code names, empty when coarser.
std::string_view CountyOf(std::string_view region) {
  return region.size() == 6 && region.substr(4, 2) != "00" ? region : std::string_view();
}
std::string_view CityOf(std::string_view region) {
  return region.size() == 6 && region.substr(2, 2) != "00" ? region.substr(0, 4) : std::string_view();
}

}  // namespace

// The deletion-variant hashes of the core names some mentions carry, made once per distinct
// name: a company's or a person's name recurs in its registry, list and penalty records, and
// making the variants of every mention's name was most of the time key making took.
class Resolver::VariantCache {
 public:
  VariantCache(const MentionTable& table, std::size_t begin, std::size_t end, const std::vector<char>& represented) {
    const StringColumn& core = table.core;
    const std::size_t distinct = core.distinct();
    // The names some mention in [begin, end) makes variant keys of (an organization naming a
    // city, a person with a birth date); marked in parallel, racing writes of the same 1.
    std::vector<std::uint8_t> marked(distinct, 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t index = range.begin(); index < range.end(); ++index) {
        const auto m = static_cast<MentionId>(index);
        if (represented[index - begin] || core.id(m) == 0) continue;
        const bool wanted = table.kind_class[m] == KindClass::kOrganization ? !CityOf(table.region[m]).empty()
                                                                            : table.birth[m] != kNoDate;
        if (wanted) std::atomic_ref<std::uint8_t>(marked[core.id(m)]).store(1, std::memory_order_relaxed);
      }
    });
    offsets_.assign(distinct + 1, 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, distinct, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t id = range.begin(); id < range.end(); ++id) {
        if (!marked[id]) continue;
        const std::string_view text = core.value(static_cast<std::uint32_t>(id));
        std::size_t points = 0;
        for (std::size_t pos = 0; pos < text.size(); ++points) {
          char32_t ignored;
          pos = NextCodePoint(text, pos, &ignored);
        }
        offsets_[id + 1] = points;
      }
    });
    for (std::size_t id = 0; id < distinct; ++id) offsets_[id + 1] += offsets_[id];
    hashes_.resize(offsets_[distinct]);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, distinct, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
      std::vector<std::uint64_t> variants;
      for (std::size_t id = range.begin(); id < range.end(); ++id) {
        if (offsets_[id + 1] == offsets_[id]) continue;
        DeletionHashes(core.value(static_cast<std::uint32_t>(id)), &variants);
        std::copy(variants.begin(), variants.end(), hashes_.begin() + static_cast<std::ptrdiff_t>(offsets_[id]));
      }
    });
  }
  /// The variant hashes of core name `id` (empty when no mention asked for them).
  std::span<const std::uint64_t> Of(std::uint32_t id) const {
    return std::span<const std::uint64_t>(hashes_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }

 private:
  HugeBuffer<std::uint64_t> offsets_;
  HugeBuffer<std::uint64_t> hashes_;
};

namespace {

// The blocking keys of mention m. `cached` (when `use_cached`): the deletion-variant hashes of
// its core name from a VariantCache; otherwise made here. The same keys either way.
void BlockKeysOf(const MentionTable& table, MentionId m, std::vector<BlockKey>* out,
                 std::span<const std::uint64_t> cached = {}, bool use_cached = false) {
  std::vector<BlockKey>& keys = *out;
  keys.clear();
  thread_local std::vector<std::uint64_t> made;
  const auto variants_of = [&](std::string_view core) -> std::span<const std::uint64_t> {
    if (use_cached) return cached;
    DeletionHashes(core, &made);
    return made;
  };
  const KindClass klass = table.kind_class[m];
  const std::string_view core = table.core[m];
  const std::string_view region = table.region[m];
  const std::uint64_t core_hash = core.empty() ? 0 : TextHash(core);
  if (klass == KindClass::kOrganization) {
    const bool probe = table.uscc[m].empty();
    const std::string_view county = CountyOf(region), city = CityOf(region);
    if (!core.empty()) {
      const std::uint64_t city_hash = city.empty() ? 0 : TextHash(city);
      // Exact name key: within the city when the mention names one; province-wide (capped) for
      // mentions without a city, which every mention joins as a target.
      if (!city.empty()) keys.push_back({PairKey('D', klass, core_hash, city_hash), probe});
      keys.push_back({PairKey('E', klass, core_hash, 0), probe && city.empty()});
      // One-edit variants (symmetric deletion: one substitution, insertion or deletion still
      // meets), scoped to the finest region the mention names; a county mention is also a
      // target in its city's block, for mentions that only name the city.
      if (!city.empty()) {
        const auto variants = variants_of(core);
        const std::size_t points = variants.size();
        if (points >= 3 && points <= 30) {
          const std::uint64_t county_hash = county.empty() ? 0 : TextHash(county);
          for (const std::uint64_t variant : variants) {
            if (!county.empty()) {
              keys.push_back({PairKey('V', klass, variant, county_hash), probe});
              keys.push_back({PairKey('V', klass, variant, city_hash), false});
            } else {
              keys.push_back({PairKey('V', klass, variant, city_hash), probe});
            }
          }
        }
      }
      if (!table.rel_name[m].empty() && !table.trade[m].empty()) {
        keys.push_back({PairKey('L', klass, TextHash(table.rel_name[m]), TextHash(table.trade[m])), probe});
      }
    }
    if (table.phone[m].size() >= 7) keys.push_back({PairKey('P', klass, TextHash(table.phone[m]), 0), probe});
    for (char tag : {'U', 'O', 'R'}) {
      std::vector<std::string_view> weak;
      WeakCodesOf(table.weak_codes[m], tag, &weak);
      const StringColumn& strong = tag == 'U' ? table.uscc : tag == 'O' ? table.org_code : table.reg_no;
      if (!strong[m].empty()) CodeThirds(tag, klass, strong[m], false, &keys);
      for (auto code : weak) CodeThirds(tag, klass, code, true, &keys);
    }
  } else {
    const bool probe = table.id_no[m].empty();
    const Date birth = table.birth[m];
    const std::uint64_t birth_hash = birth == kNoDate ? 0 : XXH3_64bits(&birth, sizeof(birth));
    if (!core.empty()) {
      if (birth != kNoDate) keys.push_back({PairKey('B', klass, core_hash, birth_hash), probe});
      if (region.size() == 6) keys.push_back({PairKey('R', klass, core_hash, TextHash(region)), probe});
      if (!table.rel_name[m].empty()) {
        keys.push_back({PairKey('O', klass, core_hash, TextHash(table.rel_name[m])), probe});
      }
      // A name alone (no ID number, birth or region: e.g. an officer written without ID) meets
      // every person of that name, as long as the name is rare enough (capped block).
      const bool name_only = probe && birth == kNoDate && region.empty();
      keys.push_back({PairKey('N', klass, core_hash, 0), name_only});
    }
    // Persons tied to the same organization (officers, holders, legal rep): name typos meet.
    if (!table.rel_code[m].empty()) keys.push_back({PairKey('C', klass, TextHash(table.rel_code[m]), 0), probe});
    // A one-character name typo with the same birth date: each deletion of one character of
    // the name (symmetric deletion) with the birth date. (Birth date and region alone grew
    // with the square of the population: every person born that day in the county.)
    if (birth != kNoDate && !core.empty()) {
      const auto variants = variants_of(core);
      if (variants.size() >= 2) {  // two code points or more
        for (const std::uint64_t variant : variants) keys.push_back({PairKey('Y', klass, variant, birth_hash), probe});
      }
    }
    if (table.phone[m].size() >= 7) keys.push_back({PairKey('P', klass, TextHash(table.phone[m]), 0), probe});
    std::vector<std::string_view> weak;
    WeakCodesOf(table.weak_codes[m], 'I', &weak);
    if (!table.id_no[m].empty()) CodeThirds('I', klass, table.id_no[m], false, &keys, core);
    for (auto code : weak) CodeThirds('I', klass, code, true, &keys, core);
  }
  // A key that occurs twice keeps the stronger (probe) flag once.
  std::sort(keys.begin(), keys.end(), [](const BlockKey& x, const BlockKey& y) {
    return x.key != y.key ? x.key < y.key : x.probe > y.probe;
  });
  keys.erase(std::unique(keys.begin(), keys.end(),
                         [](const BlockKey& x, const BlockKey& y) { return x.key == y.key; }),
             keys.end());
}

// The columns blocking keys and comparisons read: two mentions equal in all of them get the same
// keys and the same comparison pattern and weight against any third mention.
constexpr const StringColumn MentionTable::*kContentColumns[] = {
    &MentionTable::core,     &MentionTable::folded,   &MentionTable::trade,  &MentionTable::region,
    &MentionTable::rel_name, &MentionTable::rel_code, &MentionTable::address, &MentionTable::phone,
    &MentionTable::uscc,     &MentionTable::org_code, &MentionTable::reg_no, &MentionTable::id_no,
    &MentionTable::weak_codes, &MentionTable::industry};

// Two organization names with industry words that differ, neither containing the other
// (淄博华岳化工 and 淄博华岳物流: sister companies of one group, often with one legal
// representative, rather than one company written two ways): never linked by comparison.
bool IndustriesDiffer(const MentionTable& table, MentionId a, MentionId b) {
  if (table.kind_class[a] != KindClass::kOrganization || table.kind_class[b] != KindClass::kOrganization) return false;
  if (table.industry.id(a) == table.industry.id(b)) return false;
  const std::string_view x = table.industry[a], y = table.industry[b];
  return !x.empty() && !y.empty() && x.find(y) == std::string_view::npos && y.find(x) == std::string_view::npos;
}

// A keyed mention: its class's primary key (USCC, ID number) unites it with every mention
// that has the same one, whatever the comparisons say.
bool PrimaryKeyed(const MentionTable& table, MentionId m) {
  return table.kind_class[m] == KindClass::kOrganization ? !table.uscc[m].empty() : !table.id_no[m].empty();
}

// A hash of the mention's content from its values' ids in the table's dictionaries (no text
// read): equal within one table, not across processes — the saved state keeps representatives
// by mention, not by this hash.
std::uint64_t ContentHash(const MentionTable& table, MentionId m) {
  constexpr std::size_t kColumns = std::size(kContentColumns);
  std::uint32_t words[kColumns + 2];
  for (std::size_t c = 0; c < kColumns; ++c) words[c] = (table.*kContentColumns[c]).id(m);
  words[kColumns] = static_cast<std::uint32_t>(table.kind_class[m]) | (std::uint32_t{table.branch[m]} << 8);
  static_assert(sizeof(Date) <= sizeof(std::uint32_t));
  words[kColumns + 1] = 0;
  std::memcpy(&words[kColumns + 1], &table.birth[m], sizeof(Date));
  return XXH3_64bits(words, sizeof(words));
}

bool SameContent(const MentionTable& table, MentionId a, MentionId b) {
  if (table.kind_class[a] != table.kind_class[b] || table.branch[a] != table.branch[b] ||
      table.birth[a] != table.birth[b]) {
    return false;
  }
  for (auto column : kContentColumns) {
    if ((table.*column).id(a) != (table.*column).id(b)) return false;  // equal ids, equal values
  }
  return true;
}

bool SameTypeStrongCodes(const MentionTable& table, MentionId a, MentionId b) {
  for (const StringColumn* column : {&table.uscc, &table.id_no, &table.org_code, &table.reg_no}) {
    if (!(*column)[a].empty() && !(*column)[b].empty()) return true;
  }
  return false;
}

constexpr Pattern kSkipped = ~Pattern{0};
constexpr MentionId kNoMention = ~MentionId{0};

// Per field, the share of each level among the patterns (nulls and skipped samples left out),
// smoothed by pseudo-counts — 0.1% of the patterns, at least one, as EM uses — spread as `prior`.
std::vector<std::vector<double>> LevelFrequencies(const std::vector<Pattern>& patterns,
                                                  const std::vector<std::vector<double>>& prior) {
  const int fields = static_cast<int>(prior.size());
  std::vector<std::vector<double>> counts(fields);
  for (int f = 0; f < fields; ++f) counts[f].assign(prior[f].size(), 0.0);
  for (Pattern pattern : patterns) {
    if (pattern == kSkipped) continue;
    for (int f = 0; f < fields; ++f) {
      const std::int8_t level = PatternLevel(pattern, f);
      if (level >= 0) counts[f][level] += 1.0;
    }
  }
  const double pseudo = std::max(1.0, 0.001 * static_cast<double>(patterns.size()));
  for (int f = 0; f < fields; ++f) {
    double total = 0;
    for (std::size_t level = 0; level < counts[f].size(); ++level) {
      counts[f][level] += pseudo * prior[f][level];
      total += counts[f][level];
    }
    for (double& share : counts[f]) share /= total;
  }
  return counts;
}

bool SameRecord(const MentionTable& table, MentionId a, MentionId b) {
  return table.source[a] == table.source[b] && table.rid[a] == table.rid[b];
}

std::string Hex64(std::uint64_t value) { return Format("%016llx", static_cast<unsigned long long>(value)); }

// The entity-level value key used to count term frequencies: its strongest code, else itself.
std::uint64_t EntityKeyOf(const MentionTable& table, MentionId m) {
  for (const StringColumn* column : {&table.uscc, &table.id_no, &table.org_code, &table.reg_no}) {
    if (!(*column)[m].empty()) return XXH3_64bits((*column)[m].data(), (*column)[m].size());
  }
  return table.Fingerprint(m);
}

}  // namespace

std::vector<std::vector<std::uint64_t>> BlockingKeysForTesting(const MentionTable& table, bool cached) {
  const std::vector<char> represented(table.size(), 0);
  const Resolver::VariantCache variants(table, 0, cached ? table.size() : 0, represented);
  std::vector<std::vector<std::uint64_t>> out(table.size());
  std::vector<BlockKey> keys;
  for (MentionId m = 0; m < table.size(); ++m) {
    if (cached) {
      BlockKeysOf(table, m, &keys, variants.Of(table.core.id(m)), true);
    } else {
      BlockKeysOf(table, m, &keys);
    }
    for (const BlockKey& key : keys) out[m].push_back(key.key);
  }
  return out;
}

std::string PersonEntityId(std::string_view id_no, std::string_view salt) {
  std::string text = Cat(salt, "|", id_no);
  return "P:" + Hex64(XXH3_64bits(text.data(), text.size()));
}

Resolver::Resolver(ResolveOptions options) : options_(std::move(options)) {
  org_params_ = options_.org_params ? *options_.org_params : InitialParams(OrgFields());
  person_params_ = options_.person_params ? *options_.person_params : InitialParams(PersonFields());
}

std::vector<char> Resolver::Represented(std::size_t begin, ResolveStats* stats) {
  // Keyed mentions equal in every blocking and comparison field (the same company in ten
  // records written the same way) block once: the smallest fingerprint of each group stands for
  // the rest (an earlier call's representative for later ones). Exact: they would get the same
  // keys and the same weight against any other mention, and their key unites them anyway.
  const std::size_t count = table_.size() - begin;
  std::vector<char> represented(count, 0);
  if (!options_.block_identical_once) return represented;
  // (content hash, mention) of the keyed mentions only, gathered by thread (12 bytes each: at
  // SF=1 every mention's 24-byte tuple was 2.9 GB), bucket-sorted by content.
#pragma pack(push, 4)
  struct Keyed {
    std::uint64_t content;
    MentionId m;
  };
#pragma pack(pop)
  tbb::enumerable_thread_specific<HugeVector<Keyed>> local_keyed;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    auto& mine = local_keyed.local();
    for (std::size_t i = range.begin(); i < range.end(); ++i) {
      const auto m = static_cast<MentionId>(begin + i);
      if (PrimaryKeyed(table_, m)) mine.push_back({ContentHash(table_, m), m});
    }
  });
  Trace("represented: hashed");
  const HugeBuffer<Keyed> keyed = BucketSortParts<Keyed, HugeBuffer<Keyed>>(
      local_keyed, [](const Keyed& x) { return x.content; },
      [](const Keyed& x, const Keyed& y) { return x.content != y.content ? x.content < y.content : x.m < y.m; });
  Trace("represented: sorted");
  // Each group's representative, in parallel: the member with the smallest fingerprint (then
  // mention), or an earlier call's representative of the same content. The groups no earlier
  // representative stands for are collected in content order and merged into the list.
  std::vector<MentionId> rep_of(keyed.size());
  std::vector<char> new_group(keyed.size(), 0);  // at a group's first item
  const auto same_group = [&keyed](std::size_t i) { return keyed[i].content == keyed[i - 1].content; };
  ForEachRun(keyed.size(), 1 << 14, same_group, [&](std::size_t i, std::size_t j) {
    MentionId rep = keyed[i].m;
    for (std::size_t k = i + 1; k < j; ++k) {
      const MentionId m = keyed[k].m;
      if (table_.Fingerprint(m) < table_.Fingerprint(rep) || (table_.Fingerprint(m) == table_.Fingerprint(rep) && m < rep)) rep = m;
    }
    if (const Representative* earlier = FindRepresentative(keyed[i].content)) {
      if (earlier->m != rep && SameContent(table_, earlier->m, rep)) rep = earlier->m;
    } else {
      new_group[i] = 1;
    }
    std::fill(rep_of.begin() + static_cast<std::ptrdiff_t>(i), rep_of.begin() + static_cast<std::ptrdiff_t>(j), rep);
  });
  HugeVector<Representative> added;
  for (std::size_t k = 0; k < keyed.size(); ++k) {
    if (new_group[k]) added.push_back({keyed[k].content, rep_of[k]});
  }
  std::vector<char>().swap(new_group);
  if (representatives_.empty()) {
    representatives_ = std::move(added);
  } else {
    HugeVector<Representative> merged(representatives_.size() + added.size());
    std::merge(representatives_.begin(), representatives_.end(), added.begin(), added.end(), merged.begin(),
               [](const Representative& x, const Representative& y) { return x.content < y.content; });
    representatives_ = std::move(merged);
  }
  Trace("represented: groups");
  stats->represented += tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, keyed.size(), 8192), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& range, std::uint64_t count) {
        for (std::size_t k = range.begin(); k < range.end(); ++k) {
          const MentionId m = keyed[k].m;
          if (m != rep_of[k] && SameContent(table_, rep_of[k], m)) {
            represented[m - begin] = 1;
            ++count;
          }
        }
        return count;
      },
      std::plus<>());
  return represented;
}

class Resolver::KeyFilter {
 public:
  // Room for `keys` keys at about 1/16 of the bits set (a few per cent of false members).
  explicit KeyFilter(std::size_t keys) {
    while ((std::size_t{1} << bits_) < 16 * keys) ++bits_;
    words_.assign((std::size_t{1} << bits_) / 64 + 1, 0);
  }
  // Thread-safe (set bits are only ever added).
  void Insert(std::uint64_t key) {
    const std::uint64_t bit = Bit(key);
    std::atomic_ref<std::uint64_t>(words_[bit >> 6]).fetch_or(std::uint64_t{1} << (bit & 63), std::memory_order_relaxed);
  }
  bool MayHold(std::uint64_t key) const {
    const std::uint64_t bit = Bit(key);
    return (words_[bit >> 6] >> (bit & 63)) & 1;
  }
  std::size_t bytes() const { return words_.size() * sizeof(std::uint64_t); }

 private:
  // The key's hash bits mixed (its top byte is the tag), the top `bits_` of the product.
  std::uint64_t Bit(std::uint64_t key) const { return (key * 0x9E3779B97F4A7C15ULL) >> (64 - bits_); }
  int bits_ = 16;
  HugeVector<std::uint64_t> words_;
};

namespace {
// Whether any blocking key of mention m can probe (BlockKeysOf): a mention with its class's
// primary key probes only under its weak codes' keys.
bool CanProbe(const MentionTable& table, MentionId m) {
  const StringColumn& primary = table.kind_class[m] == KindClass::kOrganization ? table.uscc : table.id_no;
  return primary.id(m) == 0 || table.weak_codes.id(m) != 0;
}
}  // namespace

const Resolver::Representative* Resolver::FindRepresentative(std::uint64_t content) const {
  const auto it = std::lower_bound(representatives_.begin(), representatives_.end(), content,
                                   [](const Representative& r, std::uint64_t c) { return r.content < c; });
  return it != representatives_.end() && it->content == content ? &*it : nullptr;
}

void Resolver::SortRepresentatives(HugeVector<Representative>* list) {
  std::stable_sort(list->begin(), list->end(), [](const Representative& x, const Representative& y) { return x.content < y.content; });
  list->erase(std::unique(list->begin(), list->end(),
                          [](const Representative& x, const Representative& y) { return x.content == y.content; }),
              list->end());
}

Resolver::KeyFilter Resolver::ProbedKeys(std::size_t begin, std::size_t end, const std::vector<char>& represented) const {
  // Only the mentions that can probe are visited (their names' variants made for them alone).
  std::vector<char> skip(end - begin, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t index = range.begin(); index < range.end(); ++index) {
      skip[index - begin] = represented[index - begin] || !CanProbe(table_, static_cast<MentionId>(index));
    }
  });
  const VariantCache variants(table_, begin, end, skip);
  tbb::enumerable_thread_specific<std::vector<std::uint64_t>> local_keys;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    auto& mine = local_keys.local();
    std::vector<BlockKey> keys;
    for (std::size_t index = range.begin(); index < range.end(); ++index) {
      if (skip[index - begin]) continue;
      const auto m = static_cast<MentionId>(index);
      BlockKeysOf(table_, m, &keys, variants.Of(table_.core.id(m)), true);
      for (const BlockKey& key : keys) {
        if (key.probe) mine.push_back(key.key);
      }
    }
  });
  std::size_t count = 0;
  for (const auto& keys : local_keys) count += keys.size();
  KeyFilter filter(count);
  std::vector<const std::vector<std::uint64_t>*> parts;
  for (const auto& keys : local_keys) parts.push_back(&keys);
  tbb::parallel_for(std::size_t{0}, parts.size(), [&](std::size_t p) {
    for (const std::uint64_t key : *parts[p]) filter.Insert(key);
  });
  if (std::getenv("CG_RESOLVE_TRACE") != nullptr) {
    std::fprintf(stderr, "[resolve] keys: %zu probing entries, filter of %.1f MB\n", count, static_cast<double>(filter.bytes()) / 1e6);
  }
  return filter;
}

Resolver::BlockEntries Resolver::KeysOf(std::size_t begin, std::size_t end, const std::vector<char>& represented,
                                        const absl::flat_hash_set<std::uint64_t>* only, const KeyFilter* probed) const {
  // Each thread's entries by slice of the key range (SlicedBuffer): sorted and placed one slice
  // after another, each slice freed once placed — the entries are not held twice while sorted
  // (at SF=0.1 they are 1.2 GB).
  const VariantCache variants(table_, begin, end, represented);
  Trace("keys: name variants");
  tbb::enumerable_thread_specific<SlicedBuffer<BlockEntry>> local_entries;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      auto& mine = local_entries.local();
                      std::vector<BlockKey> keys;
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        const auto m = static_cast<MentionId>(index);
                        if (represented[index - begin]) continue;
                        BlockKeysOf(table_, m, &keys, variants.Of(table_.core.id(m)), true);
                        for (const BlockKey& key : keys) {
                          if ((only == nullptr || only->contains(key.key)) &&
                              (probed == nullptr || key.probe || probed->MayHold(key.key))) {
                            mine.push_back(key.key, BlockEntry{key.key, m, key.probe ? 1u : 0u});
                          }
                        }
                      }
                    });
  Trace("keys: made");
  std::size_t placed = 0;
  return SortSlices<BlockEntry, BlockEntries>(
      local_entries, [](const BlockEntry& entry) { return entry.key; },
      EntryBefore,
      [&placed](std::size_t count) {
        // The freed chunks back to the system every 64 MB or so (glibc keeps them otherwise).
        placed += count * sizeof(BlockEntry);
        if (placed >= (std::size_t{64} << 20)) {
          ReleaseFreedMemory();
          placed = 0;
        }
      });
}

void Resolver::PairFilter::Build(const MentionTable& table) {
  code_mask.resize(table.size());
  core_id.resize(table.size());
  record_hash.resize(table.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.size(), 16384),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t m = range.begin(); m < range.end(); ++m) {
                        code_mask[m] = static_cast<std::uint8_t>(
                            (!table.uscc[m].empty() ? 1 : 0) | (!table.id_no[m].empty() ? 2 : 0) |
                            (!table.org_code[m].empty() ? 4 : 0) | (!table.reg_no[m].empty() ? 8 : 0));
                        core_id[m] = table.core.id(m);
                        const std::string_view rid = table.rid[m];
                        record_hash[m] = static_cast<std::uint16_t>(XXH3_64bits_withSeed(rid.data(), rid.size(), table.source[m]) >> 48);
                      }
                    });
}

bool Resolver::KeyGivesPair(char tag, MentionId x, MentionId y) const {
  if (x == y) return false;
  // With the filter (built by BlockNew for every mention): a few bytes instead of up to a dozen
  // string columns per candidate pair; equal record hashes (16 bits: one pair in 65 536 by
  // chance) are confirmed on the text.
  const bool filtered = pair_filter_.code_mask.size() == table_.size();
  if (filtered ? (pair_filter_.code_mask[x] & pair_filter_.code_mask[y]) != 0 : SameTypeStrongCodes(table_, x, y)) {
    return false;
  }
  const auto same_core = [&] {
    return filtered ? pair_filter_.core_id[x] == pair_filter_.core_id[y] : table_.core.id(x) == table_.core.id(y);
  };
  if (tag == 'V' && same_core()) return false;
  if (tag == 'R' && table_.birth[x] != kNoDate && table_.birth[x] == table_.birth[y]) return false;
  if (tag == 'Y' && !table_.core[x].empty() && same_core()) return false;
  if (filtered && pair_filter_.record_hash[x] != pair_filter_.record_hash[y]) return true;
  return !SameRecord(table_, x, y);
}

void Resolver::DropCrossedPairs(const absl::flat_hash_set<std::uint64_t>& crossed,
                                const BlockEntries& fresh, ResolveStats* stats) {
  // The entries of one key (sorted by key).
  struct KeyLess {
    bool operator()(const BlockEntry& e, std::uint64_t k) const { return e.key < k; }
    bool operator()(std::uint64_t k, const BlockEntry& e) const { return k < e.key; }
  };
  const auto range_of = [](const BlockEntries& entries, std::uint64_t key) {
    return std::equal_range(entries.begin(), entries.end(), key, KeyLess{});
  };
  // The old members of each crossed block.
  absl::flat_hash_map<MentionId, absl::InlinedVector<std::uint64_t, 2>> crossed_of;
  for (const std::uint64_t key : crossed) {
    const auto [begin, end] = range_of(entries_, key);
    for (auto it = begin; it != end; ++it) crossed_of[it->mention].push_back(key);
  }
  // A pair of two old members of one crossed block stays when a full run would still give it:
  // another key both carry, a block within its cap after this call, one side probing, the key's
  // own rule passed (BlockNew's `consider`).
  auto block_size = [&](std::uint64_t key) {
    const auto [old_begin, old_end] = range_of(entries_, key);
    const auto [new_begin, new_end] = range_of(fresh, key);
    return static_cast<std::size_t>((old_end - old_begin) + (new_end - new_begin));
  };
  auto still_given = [&](MentionId a, MentionId b) {
    std::vector<BlockKey> keys_a, keys_b;
    BlockKeysOf(table_, a, &keys_a);
    BlockKeysOf(table_, b, &keys_b);
    for (const BlockKey& ka : keys_a) {
      if (crossed.contains(ka.key)) continue;
      for (const BlockKey& kb : keys_b) {
        if (ka.key != kb.key || !(ka.probe || kb.probe)) continue;
        if (block_size(ka.key) <= BlockCap(TagOf(ka.key)) && KeyGivesPair(TagOf(ka.key), a, b)) return true;
      }
    }
    return false;
  };
  const std::size_t before = pairs_.size();
  std::erase_if(pairs_, [&](const Pair& pair) {
    const auto a = crossed_of.find(pair.a);
    if (a == crossed_of.end()) return false;
    const auto b = crossed_of.find(pair.b);
    if (b == crossed_of.end()) return false;
    const bool shared = std::any_of(a->second.begin(), a->second.end(), [&](std::uint64_t key) {
      return std::find(b->second.begin(), b->second.end(), key) != b->second.end();
    });
    return shared && !still_given(pair.a, pair.b);
  });
  stats->crossed_blocks += crossed.size();
  stats->dropped_pairs += before - pairs_.size();
}

void Resolver::BlockNew(std::size_t begin, Pairs* out, ResolveStats* stats) {
  // 1. The keys of the new mentions (but the represented ones), in parallel, sorted by (key, mention).
  const std::vector<char> represented = Represented(begin, stats);
  pair_filter_.Build(table_);
  Trace("block: represented");
  // A full run whose keys are not kept: only the entries of keys some mention probes under (the
  // blocks that can give pairs; the rest were most of the entries and of blocking's memory).
  std::optional<KeyFilter> probed;
  if (begin == 0 && !old_keys_deferred_ && entries_.empty() && !options_.keep_blocking_keys &&
      options_.filter_unprobed_keys) {
    probed.emplace(ProbedKeys(begin, table_.size(), represented));
    Trace("keys: probed keys");
  }
  BlockEntries fresh = KeysOf(begin, table_.size(), represented, nullptr, probed ? &*probed : nullptr);
  probed.reset();
  stats->block_entries += fresh.size();
  Trace("block: keys made, sorted");
  const auto by_key = EntryBefore;
  // A resumed run: of the old mentions' keys, only those new mentions share can meet them (the
  // other blocks neither give new pairs nor change size) — made now, not all sorted at restore.
  const bool deferred = old_keys_deferred_;
  if (deferred) {
    absl::flat_hash_set<std::uint64_t> shared;
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      if (i == 0 || fresh[i].key != fresh[i - 1].key) shared.insert(fresh[i].key);
    }
    AddOldKeys(shared);
    Trace("block: old keys shared");
  }

  // 2. Runs of equal keys among the new entries, each with its run among the old entries.
  struct Run {
    std::size_t fresh_begin, fresh_end, old_begin, old_end;
  };
  std::vector<Run> runs;
  const auto find_runs = [&] {
    runs.clear();
    tbb::enumerable_thread_specific<std::vector<Run>> local_runs;
    ForEachRun(fresh.size(), 1 << 16, [&](std::size_t i) { return fresh[i].key == fresh[i - 1].key; },
               [&](std::size_t i, std::size_t j) {
                 const auto lower = std::lower_bound(entries_.begin(), entries_.end(), fresh[i].key,
                                                     [](const BlockEntry& e, std::uint64_t key) { return e.key < key; });
                 auto upper = lower;
                 while (upper != entries_.end() && upper->key == fresh[i].key) ++upper;
                 // A block of one entry gives no pair and crosses no cap (most keys: name variants, phones).
                 if (j - i + static_cast<std::size_t>(upper - lower) > 1) {
                   local_runs.local().push_back({i, j, static_cast<std::size_t>(lower - entries_.begin()),
                                                 static_cast<std::size_t>(upper - entries_.begin())});
                 }
               });
    // (the blocks are made into pairs in parallel and the pairs sorted: their order is free)
    AppendParts(local_runs, &runs);
  };
  // 3. Pairs: within each block, every new entry against the earlier ones (old, then new),
  //    where at least one side probes; in parallel over blocks.
  tbb::enumerable_thread_specific<HugeVector<Pair>> local_pairs;
  tbb::enumerable_thread_specific<std::pair<std::uint64_t, std::uint64_t>> local_skipped;
  tbb::enumerable_thread_specific<std::array<std::uint64_t, 256>> local_by_tag(std::array<std::uint64_t, 256>{});
  const auto make_pairs = [&](const Run& run) {
    auto& mine = local_pairs.local();
    const std::size_t size = (run.old_end - run.old_begin) + (run.fresh_end - run.fresh_begin);
    if (size > BlockCap(TagOf(fresh[run.fresh_begin].key))) {
      // Counted when some member probes (a block no member probes under gives no pair anyway,
      // and a full run that keeps no keys does not hold its entries).
      const auto probes = [](const BlockEntry& entry) { return entry.probe != 0; };
      if (std::any_of(fresh.begin() + static_cast<std::ptrdiff_t>(run.fresh_begin),
                      fresh.begin() + static_cast<std::ptrdiff_t>(run.fresh_end), probes) ||
          std::any_of(entries_.begin() + static_cast<std::ptrdiff_t>(run.old_begin),
                      entries_.begin() + static_cast<std::ptrdiff_t>(run.old_end), probes)) {
        auto& skipped = local_skipped.local();
        ++skipped.first;
        skipped.second += size;
      }
      return;
    }
    const char tag = TagOf(fresh[run.fresh_begin].key);
    auto consider = [&](const BlockEntry& x, const BlockEntry& y) {
      if (!x.probe && !y.probe) return;
      // A pair another key of both is sure to give (with the same probe flags) is left to that
      // key: the raw pair list holds far fewer duplicates to sort away. Equal name keys meet
      // under the city name key ('D'), so not under each of their ~10 deletion variants;
      // persons of equal name and birth meet under 'B', not again under 'R' or 'Y'.
      if (!KeyGivesPair(tag, x.mention, y.mention)) return;
      mine.push_back({std::min<MentionId>(x.mention, y.mention), std::max<MentionId>(x.mention, y.mention), 0});
    };
    const std::size_t before = mine.size();
    for (std::size_t i = run.fresh_begin; i < run.fresh_end; ++i) {
      for (std::size_t o = run.old_begin; o < run.old_end; ++o) consider(fresh[i], entries_[o]);
      for (std::size_t k = run.fresh_begin; k < i; ++k) consider(fresh[i], fresh[k]);
    }
    local_by_tag.local()[static_cast<unsigned char>(tag)] += mine.size() - before;
  };
  if (entries_.empty()) {
    // No old entries (a first call, or a resumed one whose new mentions share no old key): no
    // block crosses a cap, and each block is made into pairs as it is found — no list of runs
    // (some 0.7 GB at SF=0.1).
    ForEachRun(fresh.size(), 1 << 16, [&](std::size_t i) { return fresh[i].key == fresh[i - 1].key; },
               [&](std::size_t i, std::size_t j) {
                 if (j - i > 1) make_pairs(Run{i, j, 0, 0});
               });
    Trace("block: runs and pairs");
  } else {
    find_runs();
    // A block that crosses its cap in this call gives no pairs any more (a full run skips it):
    // the pairs it gave before go, but for those another key of both still gives.
    absl::flat_hash_set<std::uint64_t> crossed;
    for (const Run& run : runs) {
      const std::size_t old_size = run.old_end - run.old_begin;
      const std::size_t cap = BlockCap(TagOf(fresh[run.fresh_begin].key));
      if (old_size > 1 && old_size <= cap && old_size + (run.fresh_end - run.fresh_begin) > cap) {
        crossed.insert(fresh[run.fresh_begin].key);
      }
    }
    if (!crossed.empty() && deferred) {
      // Whether another key still gives an old pair of a crossed block depends on the size of
      // every block its two members are in: their other keys' old entries are made too (and
      // the runs found again, since their positions moved).
      absl::flat_hash_set<std::uint64_t> more;
      std::vector<BlockKey> keys;
      for (const std::uint64_t key : crossed) {
        const auto [first, last] = std::equal_range(entries_.begin(), entries_.end(), BlockEntry{key, 0, 0},
                                                    [](const BlockEntry& x, const BlockEntry& y) { return x.key < y.key; });
        for (auto it = first; it != last; ++it) {
          BlockKeysOf(table_, it->mention, &keys);
          for (const BlockKey& other : keys) {
            if (!std::binary_search(fresh.begin(), fresh.end(), BlockEntry{other.key, 0, 0},
                                    [](const BlockEntry& x, const BlockEntry& y) { return x.key < y.key; })) {
              more.insert(other.key);
            }
          }
        }
      }
      AddOldKeys(more);
      find_runs();
    }
    if (!crossed.empty()) DropCrossedPairs(crossed, fresh, stats);
    Trace("block: runs");
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, runs.size(), 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t r = range.begin(); r < range.end(); ++r) make_pairs(runs[r]);
                      });
    std::vector<Run>().swap(runs);
  }
  AppendParts(local_pairs, out);
  for (const auto& counts : local_by_tag) {
    for (int tag = 0; tag < 256; ++tag) {
      if (counts[tag] > 0) stats->pairs_by_key[std::string(1, static_cast<char>(tag))] += counts[tag];
    }
  }
  for (const auto& [blocks, members] : local_skipped) {
    stats->skipped_blocks += blocks;
    stats->skipped_members += members;
  }

  pair_filter_ = PairFilter{};
  if (deferred) {
    // The entries hold only the blocks this call touched: a later call on more mentions starts
    // over (as after ReleaseBlocking), which no caller of a restored state does.
    old_keys_deferred_ = false;
    std::vector<char>().swap(old_represented_);
    released_ = true;
  }
  // 4. Keep the new entries for later calls.
  if (entries_.empty()) {
    entries_ = std::move(fresh);
  } else {
    const std::size_t old_count = entries_.size();
    entries_.insert(entries_.end(), fresh.begin(), fresh.end());
    BlockEntries().swap(fresh);
    std::inplace_merge(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(old_count),
                       entries_.end(), by_key);
  }
}

Resolver::MentionPairs Resolver::SamplePairs(KindClass klass) const {
  // The class's mentions in fingerprint order, so that the sample does not depend on the order
  // the records came in; pairs drawn with a fixed-seed generator.
  std::vector<std::pair<std::uint64_t, MentionId>> members;
  {
    tbb::enumerable_thread_specific<std::vector<std::pair<std::uint64_t, MentionId>>> local_members;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table_.size(), 16384),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        auto& mine = local_members.local();
                        for (std::size_t m = range.begin(); m < range.end(); ++m) {
                          if (table_.kind_class[m] == klass) mine.emplace_back(table_.Fingerprint(m), static_cast<MentionId>(m));
                        }
                      });
    AppendParts(local_members, &members);
  }
  if (members.size() < 2) return {};
  BucketSort(members, [](const auto& member) { return member.first; }, std::less<>());
  const std::size_t count = static_cast<std::size_t>(options_.u_samples);
  const std::size_t n = members.size();
  MentionPairs pairs(count);
  // Each side of sample i is the member at or after a fixed random point of the fingerprints'
  // circle (SplitMix64 of the sample index), the second distinct from the first. Drawn by
  // fingerprint, not by rank: a mention added to or removed from the class changes the few
  // samples that land on it, not the whole sample (by rank, every index moved with the class's
  // size, and estimation with it).
  const auto at_or_after = [&](std::uint64_t point) {
    const auto it = std::lower_bound(members.begin(), members.end(), point,
                                     [](const auto& member, std::uint64_t p) { return member.first < p; });
    return static_cast<std::size_t>(it - members.begin()) % n;  // past the last: around to the first
  };
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
    auto mix = [](std::uint64_t x) {
      x += 0x9E3779B97F4A7C15ULL;
      x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
      x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
      return x ^ (x >> 31);
    };
    const std::size_t a = at_or_after(mix(2 * i + 1));
    std::size_t b = at_or_after(mix(2 * i + 2));
    if (b == a) b = (a + 1) % n;
    pairs[i] = {members[a].second, members[b].second};
  });
  return pairs;
}

std::vector<std::pair<MentionId, MentionId>> USamplePairsForTesting(const Resolver& resolver, KindClass klass) {
  return resolver.SamplePairs(klass);
}
std::vector<std::pair<MentionId, MentionId>> KeyPairsForTesting(const Resolver& resolver, KindClass klass) {
  return resolver.LabelledPairs(klass).labelled;
}

std::vector<std::vector<double>> Resolver::EstimateU(const MentionPairs& sample, const FsParams& start) const {
  if (sample.empty()) return start.u;
  std::vector<Pattern> patterns(sample.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sample.size(), 4096), [&](const tbb::blocked_range<std::size_t>& range) {
    ForEachComparedPair(rows_, range.begin(), range.end(), [&](std::size_t i) { return sample[i]; },
                        [&](std::size_t i, const CompareFields& fx, const CompareFields& fy) {
                          // A pair that shares a strong code is a known match: not a sample of non-matches.
                          patterns[i] = SharesStrongCode(fx, fy) ? kSkipped : Compare(fx, fy);
                        });
  });
  // Pseudo-counts spread as the start's u: a level never seen among random pairs keeps a
  // small, non-zero probability.
  return LevelFrequencies(patterns, start.u);
}

Resolver::KeyPairs Resolver::LabelledPairs(KindClass klass) const {
  // The class's primary key: USCC for organizations, ID number for persons.
  const StringColumn& column = klass == KindClass::kPerson ? table_.id_no : table_.uscc;
  using Item = std::tuple<std::uint64_t, std::uint64_t, MentionId>;
  std::vector<Item> items;
  tbb::enumerable_thread_specific<std::vector<Item>> local_items;
  KeyPairs out;
  out.class_size = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, table_.size(), 16384), std::uint64_t{0},
      [&](const tbb::blocked_range<std::size_t>& range, std::uint64_t size) {
        auto& mine = local_items.local();
        for (std::size_t index = range.begin(); index < range.end(); ++index) {
          const auto m = static_cast<MentionId>(index);
          if (table_.kind_class[m] != klass) continue;
          ++size;
          const std::string_view code = column[m];
          if (!code.empty()) mine.emplace_back(XXH3_64bits(code.data(), code.size()), table_.Fingerprint(m), m);
        }
        return size;
      },
      std::plus<>());
  AppendParts(local_items, &items);
  BucketSort(items, [](const Item& item) { return std::get<0>(item); }, std::less<>());
  out.keyed = items.size();
  // Pairs that share the key: every consecutive pair of a group (fingerprint order), capped.
  MentionPairs& labelled = out.labelled;
  for (std::size_t i = 0; i < items.size();) {
    std::size_t j = i + 1;
    while (j < items.size() && std::get<0>(items[j]) == std::get<0>(items[i])) ++j;
    const double n = static_cast<double>(j - i);
    out.key_pairs += n * (n - 1) / 2;
    for (std::size_t k = i + 1; k < j; ++k) labelled.emplace_back(std::get<2>(items[k - 1]), std::get<2>(items[k]));
    i = j;
  }
  constexpr std::size_t kMinLabelled = 1000;
  out.enough = labelled.size() >= kMinLabelled && items.size() >= 2 && out.class_size >= 2;
  if (!out.enough) {
    labelled.clear();
    return out;
  }
  if (labelled.size() > options_.u_samples) {
    // Thinned to about u_samples pairs by a hash of the pair's two fingerprints (kept when it
    // falls below the share wanted): a pair more or less elsewhere changes no other pair's fate
    // (thinning by a stride over the list moved every kept pair with the list's length).
    const double share = static_cast<double>(options_.u_samples) / static_cast<double>(labelled.size());
    const auto below = static_cast<std::uint64_t>(share * 18446744073709551615.0);
    std::erase_if(labelled, [&](const std::pair<MentionId, MentionId>& pair) {
      const std::uint64_t both[2] = {table_.Fingerprint(pair.first), table_.Fingerprint(pair.second)};
      return XXH3_64bits(both, sizeof(both)) >= below;
    });
  }
  return out;
}

void Resolver::EstimateFromKeys(const KeyPairs& keys, FsParams* params) const {
  const MentionPairs& labelled = keys.labelled;
  std::vector<Pattern> patterns(labelled.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, labelled.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
    ForEachComparedPair(rows_, range.begin(), range.end(), [&](std::size_t i) { return labelled[i]; },
                        [&](std::size_t i, const CompareFields& a, const CompareFields& b) { patterns[i] = Compare(a, b); });
  });
  params->m = LevelFrequencies(patterns, params->m);
  // Prior: the share of all pairs that the key links, divided by the key's recall among true
  // matches (both sides must carry the key: about coverage squared).
  const double class_size = static_cast<double>(keys.class_size);
  const double all_pairs = class_size * (class_size - 1) / 2;
  const double coverage = static_cast<double>(keys.keyed) / class_size;
  params->lambda = std::clamp(keys.key_pairs / all_pairs / (coverage * coverage), 1e-12, 0.5);
  params->iterations = 0;
  params->converged = true;
}

void Resolver::ComputeTf() {
  tf_.clear();
  for (int klass = 0; klass < 2; ++klass) {
    // distinct (value, entity key) per class; value = core (tag 'N') or org trade name (tag 'T'):
    // made in parallel, sorted, deduplicated, counted by run.
    for (char tag : {'N', 'T'}) {
      if (tag == 'T' && klass == static_cast<int>(KindClass::kPerson)) continue;
      using Item = std::pair<std::uint64_t, std::uint64_t>;  // (value key, entity key)
      tbb::enumerable_thread_specific<std::vector<Item>> local_items;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table_.size(), 16384),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          auto& mine = local_items.local();
                          for (std::size_t index = range.begin(); index < range.end(); ++index) {
                            const auto m = static_cast<MentionId>(index);
                            if (static_cast<int>(table_.kind_class[m]) != klass) continue;
                            const std::string_view value = tag == 'N' ? table_.core[m] : table_.trade[m];
                            if (value.empty()) continue;
                            mine.emplace_back(HashKey(tag, table_.kind_class[m], value), EntityKeyOf(table_, m));
                          }
                        });
      std::vector<Item> items;
      AppendParts(local_items, &items);
      tbb::parallel_sort(items.begin(), items.end());
      items.erase(std::unique(items.begin(), items.end()), items.end());
      std::vector<std::pair<std::uint64_t, double>> counts;  // in key order
      for (std::size_t i = 0; i < items.size();) {
        std::size_t j = i;
        while (j < items.size() && items[j].first == items[i].first) ++j;
        counts.emplace_back(items[i].first, static_cast<double>(j - i));
        i = j;
      }
      double total = 0, sum2 = 0, sum3 = 0;
      for (const auto& [key, count] : counts) {
        total += count;
        sum2 += count * count;
        sum3 += count * count * count;
      }
      if (total == 0) continue;
      const double mean_tf = sum3 / sum2 / total;  // expected tf of a value two records share
      tf_.reserve(tf_.size() + counts.size());
      for (const auto& [key, count] : counts) {
        tf_[key] = std::clamp(std::log2(mean_tf / (count / total)), -5.0, 5.0);
      }
    }
  }
}

double Resolver::TfAdjustment(MentionId a, MentionId b, Pattern pattern) const {
  const KindClass klass = table_.kind_class[a];
  const std::int8_t level = PatternLevel(pattern, 0);
  if (klass == KindClass::kOrganization) {
    if (level >= kOrgTfLevel) {
      auto it = tf_.find(HashKey('N', klass, table_.core[a]));
      return it == tf_.end() ? 0.0 : it->second;
    }
    if ((level == 1 || level == 3) && table_.trade[a] == table_.trade[b]) {
      auto it = tf_.find(HashKey('T', klass, table_.trade[a]));
      return it == tf_.end() ? 0.0 : it->second;
    }
    return 0.0;
  }
  if (level >= kPersonTfLevel) {
    auto it = tf_.find(HashKey('N', klass, table_.core[a]));
    return it == tf_.end() ? 0.0 : it->second;
  }
  return 0.0;
}

double Resolver::LinkWeight(MentionId a, MentionId b, Pattern pattern) const {
  const bool person = table_.kind_class[a] == KindClass::kPerson;
  const FsParams& params = person ? person_params_ : org_params_;
  const int fields = static_cast<int>(person ? PersonFields().size() : OrgFields().size());
  return PriorWeight(params) + PatternWeight(params, pattern, fields) + TfAdjustment(a, b, pattern);
}

absl::Status Resolver::CheckCapacity(std::size_t mentions) {
  if (mentions <= kMaxMentions) return absl::OkStatus();
  return absl::ResourceExhaustedError(strings::Cat(
      "resolve: ", mentions, " mentions, more than one resolver takes (", kMaxMentions,
      "); resolve the records in parts (e.g. by department) or split the database"));
}

ResolveStats Resolver::Resolve() {
  if (const absl::Status capacity = CheckCapacity(table_.size()); !capacity.ok()) {
    std::fprintf(stderr, "%s\n", std::string(capacity.message()).c_str());
    std::abort();  // a caller that did not check: mention ids would wrap
  }
  ResolveStats stats;
  stats.mentions = table_.size();
  table_.Seal();  // the values' lookup indexes: built again only if more mentions are added
  ReleaseFreedMemory();  // what reading the records freed (windows, chunk tables)
  if (released_) {  // no blocking keys left to resume from: start over
    representatives_.clear();
    pairs_.clear();
    resolved_ = 0;
    released_ = false;
    old_keys_deferred_ = false;
    std::vector<char>().swap(old_represented_);
  }
  stats.new_mentions = table_.size() - resolved_;
  auto start = Clock::now();
  Trace("start");
  if (std::getenv("CG_RESOLVE_TRACE") != nullptr) std::fputs(table_.MemoryReport().c_str(), stderr);
  Pairs fresh;
  BlockNew(resolved_, &fresh, &stats);
  Trace("block: pairs");
  if (!options_.keep_blocking_keys) ReleaseBlocking();
  // By (a, b), packed in one word (duplicates are equal pairs: their order does not matter).
  const auto packed = [](const Pair& pair) { return (std::uint64_t{pair.a} << 32) | pair.b; };
  BucketSort(fresh, packed, [&](const Pair& x, const Pair& y) { return packed(x) < packed(y); });
  fresh.erase(std::unique(fresh.begin(), fresh.end(),
                          [](const Pair& x, const Pair& y) { return x.a == y.a && x.b == y.b; }),
              fresh.end());
  Trace("block: pairs sorted, unique");
  // The pairs estimation compares (random pairs for u, key-linked pairs for m), chosen before
  // the rows are made: rows are made only for the mentions some comparison reads.
  const bool sampled = options_.em_iterations > 0 && options_.u_samples > 0;
  MentionPairs samples[2];
  KeyPairs key_pairs[2];
  if (sampled) {
    const auto samples_start = Clock::now();
    for (KindClass klass : {KindClass::kOrganization, KindClass::kPerson}) {
      samples[static_cast<int>(klass)] = SamplePairs(klass);
      key_pairs[static_cast<int>(klass)] = LabelledPairs(klass);
    }
    stats.seconds_samples += Since(samples_start);
    Trace("estimate: pairs chosen");
  }
  const auto compare_start = Clock::now();
  {
    std::vector<char> needed(table_.size(), 0);
    const auto mark = [&needed](MentionId a, MentionId b) {
      needed[a] = 1;
      needed[b] = 1;
    };
    for (const Pair& pair : fresh) mark(pair.a, pair.b);
    for (int klass = 0; klass < 2; ++klass) {
      for (const auto& [a, b] : samples[klass]) mark(a, b);
      for (const auto& [a, b] : key_pairs[klass].labelled) mark(a, b);
    }
    rows_ = CompareRows(table_, &needed);
  }
  Trace(Format("compare: rows (%zu mentions)", rows_.made()).c_str());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, fresh.size(), 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
    ForEachComparedPair(rows_, range.begin(), range.end(), [&](std::size_t i) { return std::pair(fresh[i].a, fresh[i].b); },
                        [&](std::size_t i, const CompareFields& a, const CompareFields& b) { fresh[i].pattern = Compare(a, b); });
  });
  stats.seconds_compare = Since(compare_start);
  Trace("compare: patterns");
  stats.comparisons = fresh.size();
  if (pairs_.empty()) {
    pairs_ = std::move(fresh);
  } else {
    pairs_.insert(pairs_.end(), fresh.begin(), fresh.end());
  }
  stats.total_pairs = pairs_.size();
  resolved_ = table_.size();
  {
    tbb::enumerable_thread_specific<std::uint64_t> local_largest(0);
    ForEachRun(entries_.size(), 1 << 16, [&](std::size_t i) { return entries_[i].key == entries_[i - 1].key; },
               [&](std::size_t i, std::size_t j) {
                 if (j - i <= BlockCap(TagOf(entries_[i].key))) {
                   local_largest.local() = std::max<std::uint64_t>(local_largest.local(), j - i);
                 }
               });
    for (const std::uint64_t largest : local_largest) stats.largest_block = std::max(stats.largest_block, largest);
  }
  stats.seconds_blocking = Since(start);
  Trace("block: stats");


  start = Clock::now();
  if (options_.em_iterations > 0) {
    for (KindClass klass : {KindClass::kOrganization, KindClass::kPerson}) {
      // The histogram of patterns (few distinct ones: a hash map, then in pattern order).
      absl::flat_hash_map<Pattern, std::uint64_t> counts;
      for (const Pair& pair : pairs_) {
        if (table_.kind_class[pair.a] == klass) ++counts[pair.pattern];
      }
      std::vector<std::pair<Pattern, std::uint64_t>> histogram(counts.begin(), counts.end());
      std::sort(histogram.begin(), histogram.end());
      const bool person = klass == KindClass::kPerson;
      const auto& fields = person ? PersonFields() : OrgFields();
      const auto& given = person ? options_.person_params : options_.org_params;
      FsParams begin_at = given ? *given : InitialParams(fields);
      FsParams& params = person ? person_params_ : org_params_;
      if (options_.u_samples == 0) {
        params = EstimateEm(histogram, fields, begin_at, options_.em_iterations);
        continue;
      }
      // Splink's recipe: u from random pairs; the prior and m from the pairs the deterministic
      // keys link (labels the data gives for free); EM (m and prior, u fixed) only when the
      // data has too few keyed pairs to learn from.
      const auto samples_start = Clock::now();
      begin_at.u = EstimateU(samples[static_cast<int>(klass)], begin_at);
      Trace("estimate: u sample");
      const KeyPairs& keys = key_pairs[static_cast<int>(klass)];
      if (keys.enough) EstimateFromKeys(keys, &begin_at);
      Trace("estimate: m from keys");
      stats.seconds_samples += Since(samples_start);
      if (!keys.enough) {
        params = EstimateEm(histogram, fields, begin_at, options_.em_iterations, 1e-7, /*fix_u=*/true);
        continue;
      }
      params = begin_at;
    }
  }
  rows_ = CompareRows();
  ComputeTf();
  Trace("estimate: term frequencies");
  stats.seconds_em = Since(start);

  start = Clock::now();
  Cluster(&stats);
  Trace("cluster: done");
  stats.seconds_cluster = Since(start);
  stats.entities = entity_ids_.size();
  return stats;
}

void Resolver::Cluster(ResolveStats* stats) {
  // Deterministic keys, in priority order; each code's mentions are a star on the one with the
  // smallest fingerprint. The clusters compare codes by their group ids, not their text.
  std::array<CodeGroups, kCodeColumns> groups;
  const auto code_columns = CodeColumns(table_);
  for (int c = 0; c < kCodeColumns; ++c) groups[c] = GroupCodes(table_, *code_columns[c]);
  ConstrainedUnionFind uf(table_, groups);
  Trace("cluster: codes grouped");
  {
    // The USCC stars come first, while every cluster is still one mention: each code's star
    // touches only its own members, so the codes are united in parallel (a hash run at a time,
    // since two codes of one hash may interleave). The later types join clusters made before
    // them: in order.
    std::atomic<std::uint64_t> united{0}, refused{0};
    const CodeGroups& uscc = groups[0];
    uscc.ForEachHashRun([&](std::size_t begin, std::size_t end) {
      std::uint64_t run_united = 0, run_refused = 0;
      for (std::size_t i = begin; i < end; ++i) {
        if (uscc.first[i] == i) continue;
        const UnionResult result = uf.Unite(uscc.members[uscc.first[i]], uscc.members[i], /*probabilistic=*/false);
        run_united += result == UnionResult::kUnited;
        run_refused += result == UnionResult::kRefused;
      }
      if (run_united) united += run_united;
      if (run_refused) refused += run_refused;
    });
    stats->key_links += united;
    stats->refused_links += refused;
    for (int c = 1; c < kCodeColumns; ++c) {
      const CodeGroups& group = groups[c];
      for (std::size_t i = 0; i < group.members.size(); ++i) {
        if (group.first[i] == i) continue;
        const UnionResult result = uf.Unite(group.members[group.first[i]], group.members[i], /*probabilistic=*/false);
        if (result == UnionResult::kUnited) ++stats->key_links;
        if (result == UnionResult::kRefused) ++stats->refused_links;
      }
    }
  }
  for (CodeGroups& group : groups) group = CodeGroups{};
  // Probabilistic links by decreasing weight.
  Trace("cluster: key links");
  struct Link {
    double weight;
    std::uint64_t fp_low, fp_high;
    MentionId a, b;
  };
  std::vector<Link> links;
  const double threshold = std::log2(options_.match_probability / (1.0 - options_.match_probability));
  // The sole-candidate floor, per class (organizations: the registry is the closed world).
  const auto floor_of = [&](double probability) {
    return std::min(threshold, std::log2(probability / (1.0 - probability)));
  };
  const double unique_thresholds[2] = {floor_of(options_.org_unique_match_probability),
                                       floor_of(options_.unique_match_probability)};
  // Organizations' lower floor needs the names to agree but for region and form (name key
  // equal or better): a weak code one character off under another name stays at the other.
  const auto unique_threshold_of = [&](std::size_t pair) {
    const bool org_names_agree = table_.kind_class[pairs_[pair].a] == KindClass::kOrganization &&
                                 PatternLevel(pairs_[pair].pattern, kOrgNameField) >= kOrgTfLevel;
    return unique_thresholds[org_names_agree ? 0 : 1];
  };
  constexpr double kAmbiguityMargin = 4.0;
  std::vector<double> weights(pairs_.size());
  {
    // LinkWeight's sum, with the field weights looked up in tables.
    const double prior[2] = {PriorWeight(org_params_), PriorWeight(person_params_)};
    const FieldWeights field_weights[2] = {FieldWeights(org_params_, static_cast<int>(OrgFields().size())),
                                           FieldWeights(person_params_, static_cast<int>(PersonFields().size()))};
    tbb::parallel_for(std::size_t{0}, pairs_.size(), [&](std::size_t i) {
      const Pair& pair = pairs_[i];
      const int klass = table_.kind_class[pair.a] == KindClass::kPerson ? 1 : 0;
      weights[i] = prior[klass] + field_weights[klass].Of(pair.pattern) + TfAdjustment(pair.a, pair.b, pair.pattern);
    });
  }
  auto make_link = [&](std::size_t i) {
    const Pair& pair = pairs_[i];
    std::uint64_t fa = table_.Fingerprint(pair.a), fb = table_.Fingerprint(pair.b);
    return Link{weights[i], std::min(fa, fb), std::max(fa, fb), pair.a, pair.b};
  };
  auto linkable = [&](std::size_t i) {
    const Pair& pair = pairs_[i];
    // A branch never links to a non-branch by name, nor two names of different industries.
    return !(table_.kind_class[pair.a] == KindClass::kOrganization &&
             table_.branch[pair.a] != table_.branch[pair.b]) &&
           !IndustriesDiffer(table_, pair.a, pair.b);
  };
  for (std::size_t i = 0; i < pairs_.size(); ++i) {
    if (weights[i] >= threshold && linkable(i)) links.push_back(make_link(i));
  }
  // Mentions without a key of their own, against the keyed entities (after the key unions):
  // - ambiguous when a second keyed entity comes within kAmbiguityMargin bits of the best one
  //   (a name-only "宏达建材有限公司" when the city has two of them): all its links are dropped;
  // - else the best keyed entity is the only candidate the whole data set offers, and the link is
  //   made from the lower `org_unique_match_probability` / `unique_match_probability` on (the
  //   entity named must be one of the
  //   registered ones, and there is only one that fits).
  {
    struct Reach {
      MentionId mention, keyed_root;
      double weight;
      std::size_t pair;
    };
    // The clusters do not change until the links are united: their roots are read in parallel.
    tbb::enumerable_thread_specific<std::vector<Reach>> local_reach;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs_.size(), 16384),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        auto& mine = local_reach.local();
                        for (std::size_t i = range.begin(); i < range.end(); ++i) {
                          if (weights[i] < unique_threshold_of(i) - kAmbiguityMargin || !linkable(i)) continue;
                          const MentionId root_a = uf.Root(pairs_[i].a), root_b = uf.Root(pairs_[i].b);
                          const bool keyed_a = uf.RootKeyed(root_a), keyed_b = uf.RootKeyed(root_b);
                          if (!keyed_a && keyed_b) mine.push_back({pairs_[i].a, root_b, weights[i], i});
                          if (!keyed_b && keyed_a) mine.push_back({pairs_[i].b, root_a, weights[i], i});
                        }
                      });
    std::vector<Reach> reach;
    AppendParts(local_reach, &reach);
    // (mention, weight descending, root, pair): a total order, so the threads' order is gone.
    BucketSort(reach, [](const Reach& x) { return std::uint64_t{x.mention}; }, [&](const Reach& x, const Reach& y) {
      return std::tie(x.mention, y.weight, x.keyed_root, x.pair) < std::tie(y.mention, x.weight, y.keyed_root, y.pair);
    });
    std::vector<char> ambiguous(table_.size(), 0);
    std::uint64_t unique_links = 0;
    // Ambiguous mentions with their candidates (keyed root, best pair to it).
    struct Candidates {
      MentionId mention;
      std::vector<std::pair<MentionId, std::size_t>> roots;
    };
    std::vector<Candidates> undecided;
    for (std::size_t i = 0; i < reach.size();) {
      std::size_t j = i;
      const double best = reach[i].weight;
      // A competitor: another keyed entity within the margin, itself a link in its own right
      // when the best is (the strong-link rule), or any within the margin when the best is only
      // a sole-candidate link.
      const double floor = best >= threshold ? std::max(threshold, best - kAmbiguityMargin) : best - kAmbiguityMargin;
      Candidates candidates{reach[i].mention, {{reach[i].keyed_root, reach[i].pair}}};
      while (j < reach.size() && reach[j].mention == reach[i].mention) {
        const bool seen = std::any_of(candidates.roots.begin(), candidates.roots.end(),
                                      [&](const auto& root) { return root.first == reach[j].keyed_root; });
        if (!seen && reach[j].weight >= floor) candidates.roots.emplace_back(reach[j].keyed_root, reach[j].pair);
        ++j;
      }
      const double unique_threshold = unique_threshold_of(reach[i].pair);
      if (candidates.roots.size() > 1 && best >= unique_threshold) {
        ambiguous[reach[i].mention] = 1;
        undecided.push_back(std::move(candidates));
      } else if (best >= unique_threshold && best < threshold) {
        links.push_back(make_link(reach[i].pair));
        ++unique_links;
      }
      i = j;
    }
    // Namesakes by birth: a mention without a key whose links (at the threshold) reach, within
    // the margin of its best one, two clusters whose births clearly differ — two persons, both
    // fitting — is left alone too, as between two keyed entities (a name-only 赵小红 against
    // 赵小红 born 1988-03-15 and 赵小红 born 1990-01-01): the birth cannot-link would otherwise
    // give it to whichever link comes first.
    std::uint64_t birth_ambiguous = 0;
    {
      struct BirthReach {
        MentionId mention, root;
        double weight;
      };
      tbb::enumerable_thread_specific<std::vector<BirthReach>> local_births;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs_.size(), 16384),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          auto& mine = local_births.local();
                          for (std::size_t i = range.begin(); i < range.end(); ++i) {
                            const Pair& pair = pairs_[i];
                            if (weights[i] < threshold || table_.kind_class[pair.a] != KindClass::kPerson) continue;
                            const MentionId root_a = uf.Root(pair.a), root_b = uf.Root(pair.b);
                            if (!uf.RootKeyed(root_a) && uf.RootHasBirth(root_b)) mine.push_back({pair.a, root_b, weights[i]});
                            if (!uf.RootKeyed(root_b) && uf.RootHasBirth(root_a)) mine.push_back({pair.b, root_a, weights[i]});
                          }
                        });
      std::vector<BirthReach> births;
      AppendParts(local_births, &births);
      tbb::parallel_sort(births.begin(), births.end(), [](const BirthReach& x, const BirthReach& y) {
        return std::tie(x.mention, y.weight, x.root) < std::tie(y.mention, x.weight, y.root);
      });
      for (std::size_t i = 0; i < births.size();) {
        std::size_t j = i;
        const double floor = std::max(threshold, births[i].weight - kAmbiguityMargin);
        absl::InlinedVector<MentionId, 4> roots;
        for (; j < births.size() && births[j].mention == births[i].mention; ++j) {
          if (births[j].weight >= floor && std::find(roots.begin(), roots.end(), births[j].root) == roots.end()) {
            roots.push_back(births[j].root);
          }
        }
        bool clash = false;
        for (std::size_t x = 0; x < roots.size() && !clash; ++x) {
          for (std::size_t y = x + 1; y < roots.size() && !clash; ++y) clash = uf.RootBirthsConflict(roots[x], roots[y]);
        }
        if (clash && !ambiguous[births[i].mention]) {
          ambiguous[births[i].mention] = 1;
          ++birth_ambiguous;
        }
        i = j;
      }
    }
    if (std::getenv("CG_RESOLVE_TRACE") != nullptr) {
      std::fprintf(stderr, "[resolve] cluster: %llu mentions left alone between namesakes of clearly different births\n",
                   static_cast<unsigned long long>(birth_ambiguous));
    }
    std::erase_if(links, [&](const Link& link) { return ambiguous[link.a] || ambiguous[link.b]; });
  Trace("cluster: weights, ambiguity");
    // The record's other side decides between the candidates (collective evidence): when the
    // keyed entity on the other side of the mention's record is tied, by another record, to
    // exactly one of the candidates, the mention is that one (a name-only 宏达建材 on an officer
    // record whose officer is the legal representative of one of the two 宏达建材).
    auto partner_of = [&](MentionId m) -> std::optional<MentionId> {
      if (m + 1 < table_.size() && SameRecord(table_, m, m + 1)) return m + 1;
      if (m > 0 && SameRecord(table_, m, m - 1)) return m - 1;
      return std::nullopt;
    };
    absl::flat_hash_set<MentionId> partner_roots;
    for (const Candidates& candidates : undecided) {
      if (auto partner = partner_of(candidates.mention); partner && uf.Keyed(uf.Find(*partner))) {
        partner_roots.insert(uf.Find(*partner));
      }
    }
    absl::flat_hash_set<std::pair<MentionId, MentionId>> ties;  // (partner root, other root)
    for (MentionId m = 0; m + 1 < table_.size(); ++m) {
      if (!SameRecord(table_, m, m + 1)) continue;
      const MentionId x = uf.Find(m), y = uf.Find(m + 1);
      if (partner_roots.contains(x)) ties.insert({x, y});
      if (partner_roots.contains(y)) ties.insert({y, x});
    }
    std::uint64_t decided = 0;
    for (const Candidates& candidates : undecided) {
      const auto partner = partner_of(candidates.mention);
      if (!partner || !uf.Keyed(uf.Find(*partner))) continue;
      const MentionId partner_root = uf.Find(*partner);
      std::optional<std::size_t> chosen;
      int tied = 0;
      for (const auto& [root, pair] : candidates.roots) {
        if (ties.contains({partner_root, root})) {
          ++tied;
          chosen = pair;
        }
      }
      if (tied != 1) continue;
      ambiguous[candidates.mention] = 0;
      links.push_back(make_link(*chosen));
      ++decided;
    }
    // Then how the name is written (organizations): a name is copied as registered far more often
    // than it turns into another registered name of the same canonical form (青岛康荣纺织有限公司 /
    // 青岛康荣纺织有限责任公司, 菏泽 / 菏泽市: at SF=0.01, 19 095 mentions written as their own
    // entity's name against 457 written as another's, 5.4 bits, more than the margin). The mention
    // goes to the one candidate whose predominant written name (the most frequent among its
    // mentions) is this mention's name character for character, when its link reaches
    // its class's sole-candidate floor; two such candidates (two companies registered under one name)
    // stay ambiguous.
    std::uint64_t written = 0;
    {
      absl::flat_hash_map<MentionId, absl::flat_hash_map<std::uint32_t, std::uint32_t>> names_of;  // root -> name id -> count
      for (const Candidates& candidates : undecided) {
        if (!ambiguous[candidates.mention] || table_.kind_class[candidates.mention] != KindClass::kOrganization) continue;
        for (const auto& [root, pair] : candidates.roots) names_of[root];
      }
      if (!names_of.empty()) {  // the candidates' mentions, found in parallel, counted in order
        tbb::enumerable_thread_specific<std::vector<std::pair<MentionId, std::uint32_t>>> local_names;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table_.size(), 65536),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                            auto& mine = local_names.local();
                            for (std::size_t m = range.begin(); m < range.end(); ++m) {
                              const MentionId root = uf.Root(static_cast<MentionId>(m));
                              if (names_of.contains(root)) mine.emplace_back(root, table_.name.id(m));
                            }
                          });
        for (const auto& part : local_names) {
          for (const auto& [root, name] : part) ++names_of[root][name];
        }
      }
      const auto predominantly = [&](MentionId root, std::uint32_t name) {
        const auto& counts = names_of.at(root);
        std::uint32_t most = 0;
        for (const auto& [id, count] : counts) most = std::max(most, count);
        auto it = counts.find(name);
        return it != counts.end() && it->second == most;
      };
      for (const Candidates& candidates : undecided) {
        const MentionId m = candidates.mention;
        if (!ambiguous[m] || table_.kind_class[m] != KindClass::kOrganization) continue;
        std::optional<std::size_t> chosen;
        int fits = 0;
        for (const auto& [root, pair] : candidates.roots) {
          if (predominantly(root, table_.name.id(m))) {
            ++fits;
            chosen = pair;
          }
        }
        if (fits != 1 || weights[*chosen] < unique_threshold_of(*chosen)) continue;
        ambiguous[m] = 0;
        links.push_back(make_link(*chosen));
        ++written;
      }
    }
    stats->ambiguous_mentions = static_cast<std::uint64_t>(std::count(ambiguous.begin(), ambiguous.end(), 1));
    stats->unique_candidate_links = unique_links;
    stats->written_name_links = written;
    stats->decided_by_other_side = decided;
  }
  tbb::parallel_sort(links.begin(), links.end(), [](const Link& x, const Link& y) {
    return std::tie(y.weight, x.fp_low, x.fp_high) < std::tie(x.weight, y.fp_low, y.fp_high);
  });
  // Probabilistic unions also keep persons with clearly different births apart (cannot-link).
  for (const Link& link : links) {
    UnionResult result = uf.Unite(link.a, link.b, /*probabilistic=*/true);
    if (result == UnionResult::kUnited) ++stats->accepted_links;
    if (result == UnionResult::kRefused) ++stats->refused_links;
  }
  if (std::getenv("CG_RESOLVE_TRACE") != nullptr) {
    std::fprintf(stderr, "[resolve] cluster: %llu links refused for clearly different births\n",
                 static_cast<unsigned long long>(uf.birth_refusals()));
  }
  Trace("cluster: ties, links united");
  // Entities: members grouped by root, stable ids (in parallel), dense numbering by id.
  // Members by (root, mention): a counting sort on the roots, read in parallel.
  const std::size_t mention_count = table_.size();
  std::vector<MentionId> root_of(mention_count);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, mention_count, 16384),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t m = range.begin(); m < range.end(); ++m) root_of[m] = uf.Root(static_cast<MentionId>(m));
                    });
  std::vector<std::uint32_t> place(mention_count + 1, 0);  // per root: where its members start
  for (std::size_t m = 0; m < mention_count; ++m) ++place[root_of[m] + 1];
  std::vector<std::size_t> cluster_start;  // cluster c: members[cluster_start[c], cluster_start[c + 1])
  for (std::size_t root = 0; root < mention_count; ++root) {
    if (place[root + 1] != 0) cluster_start.push_back(place[root]);
    place[root + 1] += place[root];
  }
  cluster_start.push_back(mention_count);
  std::vector<MentionId> members(mention_count);
  for (std::size_t m = 0; m < mention_count; ++m) members[place[root_of[m]]++] = static_cast<MentionId>(m);
  std::vector<std::uint32_t>().swap(place);
  std::vector<MentionId>().swap(root_of);
  const std::size_t cluster_count = cluster_start.size() - 1;
  auto members_of = [&](std::size_t c) {
    return std::span<const MentionId>(members.data() + cluster_start[c], cluster_start[c + 1] - cluster_start[c]);
  };
  std::vector<std::string> ids(cluster_count);
  tbb::parallel_for(std::size_t{0}, cluster_count, [&](std::size_t c) { ids[c] = StableId(members_of(c)); });
  Trace("cluster: groups, ids");
  // Sorted by id: on the ids' first 16 bytes packed big-endian (most ids differ there), then on
  // the whole id; ties (the same code-derived id twice) by their members, as the sort of
  // (id, members) pairs did.
  struct ById {
    std::uint64_t high, low;
    std::uint32_t cluster;
  };
  const auto packed = [](std::string_view id, std::size_t at) {
    std::uint64_t value = 0;
    for (std::size_t i = at; i < at + 8; ++i) value = (value << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
    return value;
  };
  std::vector<ById> by_id(cluster_count);
  tbb::parallel_for(std::size_t{0}, cluster_count, [&](std::size_t c) {
    by_id[c] = {packed(ids[c], 0), packed(ids[c], 8), static_cast<std::uint32_t>(c)};
  });
  tbb::parallel_sort(by_id.begin(), by_id.end(), [&](const ById& x, const ById& y) {
    if (x.high != y.high) return x.high < y.high;
    if (x.low != y.low) return x.low < y.low;
    if (const int c = ids[x.cluster].compare(ids[y.cluster]); c != 0) return c < 0;
    return std::lexicographical_compare(members_of(x.cluster).begin(), members_of(x.cluster).end(),
                                        members_of(y.cluster).begin(), members_of(y.cluster).end());
  });
  // Same code-derived id twice (possible only through conflicting codes): the second and later
  // ones get a suffix from their smallest member key. Both passes run in parallel.
  std::vector<char> repeated(cluster_count, 0);
  tbb::parallel_for(std::size_t{1}, std::max<std::size_t>(1, cluster_count), [&](std::size_t i) {
    repeated[i] = ids[by_id[i].cluster] == ids[by_id[i - 1].cluster];
  });
  entity_ids_.assign(cluster_count, std::string());
  entity_of_.assign(table_.size(), kNoNode);
  tbb::parallel_for(std::size_t{0}, cluster_count, [&](std::size_t i) {
    const std::uint32_t c = by_id[i].cluster;
    std::string unique_id = std::move(ids[c]);
    if (repeated[i]) {
      std::string smallest = table_.Key(members_of(c).front());
      for (MentionId m : members_of(c)) smallest = std::min(smallest, table_.Key(m));
      unique_id = Cat(unique_id, "~", Hex64(XXH3_64bits(smallest.data(), smallest.size())).substr(0, 8));
    }
    entity_ids_[i] = std::move(unique_id);
    for (MentionId m : members_of(c)) entity_of_[m] = static_cast<NodeId>(i);
  });
}

std::string Resolver::StableId(std::span<const MentionId> members) const {
  auto first_code = [&](const StringColumn& column) -> std::string_view {
    for (MentionId m : members) {
      if (!column[m].empty()) return column[m];
    }
    return {};
  };
  if (auto code = first_code(table_.uscc); !code.empty()) return Cat("U:", code);
  if (auto code = first_code(table_.id_no); !code.empty()) return PersonEntityId(code, options_.id_salt);
  if (auto code = first_code(table_.org_code); !code.empty()) return Cat("O:", code);
  if (auto code = first_code(table_.reg_no); !code.empty()) return Cat("R:", code);
  std::string smallest = table_.Key(members.front());
  for (MentionId m : members) smallest = std::min(smallest, table_.Key(m));
  return "H:" + Hex64(XXH3_64bits(smallest.data(), smallest.size()));
}

std::vector<EntitySummary> Resolver::Entities() const {
  std::vector<EntitySummary> out;
  out.reserve(entity_ids_.size());
  ForEachEntity([&out](NodeId, const EntitySummary& entity) { out.push_back(entity); });
  return out;
}

namespace {

// Sets `slot` to `value` when smaller (several threads may race on one slot).
void AtomicMin(MentionId& slot, MentionId value) {
  std::atomic_ref<MentionId> ref(slot);
  MentionId seen = ref.load(std::memory_order_relaxed);
  while (value < seen && !ref.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Resolver::ForEachEntity(const std::function<void(NodeId, const EntitySummary&)>& fn) const {
  // Every mention read once, in mention order (a mention's columns sit side by side in memory;
  // visiting the mentions entity by entity read each of them at a random place): counts and the
  // first mention carrying each code per entity, then the votes for name, region and kind as
  // (entity, value, vote) items bucket-sorted by entity and value. Equal to
  // EntitySummariesReferenceForTesting, the obvious form (tested).
  const std::size_t entities = entity_ids_.size();
  const std::size_t n = table_.size();
  constexpr MentionId kNone = 0xFFFFFFFFu;
  std::vector<std::uint32_t> count(entities, 0);
  const std::array<const StringColumn*, 4> code_columns = {&table_.uscc, &table_.org_code, &table_.reg_no, &table_.id_no};
  std::array<std::vector<MentionId>, 4> first_code;
  for (auto& first : first_code) first.assign(entities, kNone);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t index = range.begin(); index < range.end(); ++index) {
      const NodeId e = entity_of_[index];
      if (e == kNoNode) continue;
      std::atomic_ref<std::uint32_t>(count[e]).fetch_add(1, std::memory_order_relaxed);
      for (std::size_t c = 0; c < code_columns.size(); ++c) {
        if (code_columns[c]->id(index) != 0) AtomicMin(first_code[c][e], static_cast<MentionId>(index));
      }
    }
  });
  // Registry subjects name their entity best: their votes count ten times.
  const auto vote_of = [&](MentionId m) {
    return (table_.record_kind[m] == RecordKind::kRegistry || table_.record_kind[m] == RecordKind::kPerson) &&
                   table_.role[m] == Role::kSubject
               ? 10u
               : 1u;
  };
  struct Vote {
    NodeId entity;
    std::uint32_t value;
    std::uint32_t vote;
  };
  // The value each entity's mentions vote for most (kNone without votes); ties to the smallest
  // value by `before` (text for names and regions, the number for kinds).
  const auto elect = [&](auto&& value_of, auto&& before) {
    std::vector<std::uint32_t> chosen(entities, kNone);
    tbb::enumerable_thread_specific<std::vector<Vote>> local_votes;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
      auto& mine = local_votes.local();
      for (std::size_t index = range.begin(); index < range.end(); ++index) {
        const auto m = static_cast<MentionId>(index);
        const NodeId e = entity_of_[m];
        if (e == kNoNode) continue;
        const std::uint32_t value = value_of(m);
        if (value != kNone) mine.push_back({e, value, vote_of(m)});
      }
    });
    std::vector<Vote> votes;
    AppendParts(local_votes, &votes);
    const auto key = [](const Vote& v) { return (std::uint64_t{v.entity} << 32) | v.value; };
    BucketSort(votes, key, [&](const Vote& x, const Vote& y) { return key(x) < key(y); });
    ForEachRun(votes.size(), 1 << 14, [&](std::size_t i) { return votes[i].entity == votes[i - 1].entity; },
               [&](std::size_t begin, std::size_t end) {
                 std::uint32_t best = kNone;
                 std::uint64_t top = 0;
                 for (std::size_t i = begin; i < end;) {
                   std::size_t j = i;
                   std::uint64_t total = 0;
                   while (j < end && votes[j].value == votes[i].value) total += votes[j++].vote;
                   if (best == kNone || total > top || (total == top && before(votes[i].value, best))) {
                     best = votes[i].value;
                     top = total;
                   }
                   i = j;
                 }
                 chosen[votes[begin].entity] = best;
               });
    return chosen;
  };
  const auto text_before = [](const StringColumn& column) {
    return [&column](std::uint32_t x, std::uint32_t y) { return column.value(x) < column.value(y); };
  };
  const std::vector<std::uint32_t> name = elect(
      [&](MentionId m) { return table_.name.id(m) != 0 ? table_.name.id(m) : kNone; }, text_before(table_.name));
  const std::vector<std::uint32_t> region = elect(
      [&](MentionId m) { return table_.region.id(m) != 0 ? table_.region.id(m) : kNone; }, text_before(table_.region));
  const std::vector<std::uint32_t> kind = elect(
      [&](MentionId m) -> std::uint32_t {
        const int k = table_.kind[m] != EntityKind::kUnknown ? static_cast<int>(table_.kind[m])
                      : table_.kind_class[m] == KindClass::kPerson ? static_cast<int>(EntityKind::kPerson)
                                                                     : -1;
        return k >= 0 && k < 16 ? static_cast<std::uint32_t>(k) : kNone;
      },
      std::less<std::uint32_t>());
  // Summaries made in parallel a block at a time and handed over in order: memory for one block,
  // not for every entity's strings (a province has millions).
  constexpr std::size_t kBlock = 1 << 16;
  std::vector<EntitySummary> block;
  for (std::size_t block_begin = 0; block_begin < entities; block_begin += kBlock) {
    const std::size_t block_end = std::min(entities, block_begin + kBlock);
    block.assign(block_end - block_begin, EntitySummary{});
    tbb::parallel_for(tbb::blocked_range<std::size_t>(block_begin, block_end, 1024),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t e = range.begin(); e < range.end(); ++e) {
                          EntitySummary& entity = block[e - block_begin];
                          entity.id = entity_ids_[e];
                          entity.mentions = count[e];
                          std::string* codes[4] = {&entity.uscc, &entity.org_code, &entity.reg_no, &entity.id_no};
                          for (std::size_t c = 0; c < code_columns.size(); ++c) {
                            if (first_code[c][e] != kNone) *codes[c] = (*code_columns[c])[first_code[c][e]];
                          }
                          if (name[e] != kNone) entity.name = table_.name.value(name[e]);
                          if (region[e] != kNone) entity.region = table_.region.value(region[e]);
                          entity.kind = kind[e] != kNone ? static_cast<EntityKind>(kind[e]) : EntityKind::kEnterprise;
                        }
                      });
    for (std::size_t e = block_begin; e < block_end; ++e) fn(static_cast<NodeId>(e), block[e - block_begin]);
  }
}

std::vector<EntitySummary> EntitySummariesReferenceForTesting(const Resolver& resolver) {
  // The obvious form of ForEachEntity(): each entity's mentions gathered, its values voted on
  // in a sorted list.
  const MentionTable& table_ = resolver.mentions();
  const std::vector<NodeId>& entity_of_ = resolver.entity_of();
  const std::vector<std::string>& entity_ids_ = resolver.entity_ids();
  std::vector<EntitySummary> out;
  const std::size_t entities = entity_ids_.size();
  // Mentions grouped by entity (counting sort: each group keeps the mentions' order).
  std::vector<std::uint32_t> start(entities + 1, 0);
  for (MentionId m = 0; m < table_.size(); ++m) {
    if (entity_of_[m] != kNoNode) ++start[entity_of_[m] + 1];
  }
  for (std::size_t e = 0; e < entities; ++e) start[e + 1] += start[e];
  std::vector<MentionId> order(start.back());
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (MentionId m = 0; m < table_.size(); ++m) {
      if (entity_of_[m] != kNoNode) order[next[entity_of_[m]]++] = m;
    }
  }
  // The value with the most votes, ties to the smallest value (as an ordered map would give).
  auto best = [](std::vector<std::pair<std::string_view, int>>& votes) -> std::string {
    std::sort(votes.begin(), votes.end());
    std::string_view chosen;
    int top = -1;
    for (std::size_t i = 0; i < votes.size();) {
      std::size_t j = i;
      int count = 0;
      while (j < votes.size() && votes[j].first == votes[i].first) count += votes[j++].second;
      if (count > top) top = count, chosen = votes[i].first;
      i = j;
    }
    return std::string(chosen);
  };
  // One entity's summary from its mentions (names and regions: scratch vectors of the caller).
  const auto summarize = [&](std::size_t e, EntitySummary& entity, std::vector<std::pair<std::string_view, int>>& names,
                             std::vector<std::pair<std::string_view, int>>& regions) {
    names.clear();
    regions.clear();
    std::array<int, 16> kinds{};
    bool any_kind = false;
    for (std::uint32_t i = start[e]; i < start[e + 1]; ++i) {
      const MentionId m = order[i];
      ++entity.mentions;
      if (entity.uscc.empty()) entity.uscc = table_.uscc[m];
      if (entity.org_code.empty()) entity.org_code = table_.org_code[m];
      if (entity.reg_no.empty()) entity.reg_no = table_.reg_no[m];
      if (entity.id_no.empty()) entity.id_no = table_.id_no[m];
      // Registry subjects name their entity best: count them ten times.
      const int vote = (table_.record_kind[m] == RecordKind::kRegistry ||
                        table_.record_kind[m] == RecordKind::kPerson) &&
                               table_.role[m] == Role::kSubject
                           ? 10
                           : 1;
      if (!table_.name[m].empty()) names.emplace_back(table_.name[m], vote);
      if (!table_.region[m].empty()) regions.emplace_back(table_.region[m], vote);
      const int kind = table_.kind[m] != EntityKind::kUnknown ? static_cast<int>(table_.kind[m])
                       : table_.kind_class[m] == KindClass::kPerson ? static_cast<int>(EntityKind::kPerson)
                                                                      : -1;
      if (kind >= 0 && kind < static_cast<int>(kinds.size())) {
        kinds[kind] += vote;
        any_kind = true;
      }
    }
    entity.id = entity_ids_[e];
    entity.name = best(names);
    entity.region = best(regions);
    int chosen_kind = 0, top = -1;
    for (int k = 0; k < static_cast<int>(kinds.size()); ++k) {
      if (kinds[k] > 0 && kinds[k] > top) top = kinds[k], chosen_kind = k;
    }
    entity.kind = any_kind ? static_cast<EntityKind>(chosen_kind) : EntityKind::kEnterprise;
  };
  std::vector<std::pair<std::string_view, int>> names, regions;
  for (std::size_t e = 0; e < entities; ++e) {
    EntitySummary entity;
    summarize(e, entity, names, regions);
    out.push_back(std::move(entity));
  }
  return out;
}

std::optional<MentionId> Resolver::FindMention(std::string_view source, std::string_view rid,
                                               Role role) const {
  for (MentionId m = 0; m < table_.size(); ++m) {
    if (table_.role[m] == role && table_.rid[m] == rid && table_.Source(m) == source) return m;
  }
  return std::nullopt;
}

LinkExplanation Resolver::ExplainLink(MentionId a, MentionId b) const {
  LinkExplanation out;
  out.mention_a = table_.Key(a);
  out.mention_b = table_.Key(b);
  if (a < entity_of_.size() && b < entity_of_.size() && entity_of_[a] != kNoNode) {
    out.entity_a = entity_ids_[entity_of_[a]];
    out.entity_b = entity_ids_[entity_of_[b]];
    out.same_entity = entity_of_[a] == entity_of_[b];
  }
  const char* names[] = {"uscc", "id_no", "org_code", "reg_no"};
  const StringColumn* columns[] = {&table_.uscc, &table_.id_no, &table_.org_code, &table_.reg_no};
  for (int k = 0; k < 4; ++k) {
    const auto x = (*columns[k])[a], y = (*columns[k])[b];
    if (x.empty() || y.empty()) continue;
    if (x == y && out.key.empty()) out.key = names[k];
    if (x != y && out.conflict.empty()) out.conflict = Cat("different valid ", names[k]);
  }
  if (table_.kind_class[a] != table_.kind_class[b]) {
    out.conflict = "one is a person, the other an organization";
    return out;
  }
  if (SameRecord(table_, a, b)) out.conflict = "two sides of the same record";
  if (table_.kind_class[a] == KindClass::kOrganization && table_.branch[a] != table_.branch[b]) {
    out.conflict = "a branch and a non-branch name";
  }
  if (IndustriesDiffer(table_, a, b)) {
    out.conflict = Cat("names of different industries (", table_.industry[a], ", ", table_.industry[b], ")");
  }
  // The birth cannot-link (only probabilistic unions check it: a shared key settles identity):
  // the two mentions' births, else any birth of one entity against any of the other.
  if (out.conflict.empty() && out.key.empty() && table_.kind_class[a] == KindClass::kPerson) {
    if (BirthsClearlyDiffer(table_.birth[a], table_.birth[b])) {
      out.conflict = Cat("clearly different births (", FormatDate(table_.birth[a]), ", ",
                         FormatDate(table_.birth[b]), ")");
    } else if (!out.entity_a.empty() && !out.same_entity) {
      std::vector<Date> births_a, births_b;
      for (MentionId m = 0; m < table_.size(); ++m) {
        if (table_.kind_class[m] != KindClass::kPerson || table_.birth[m] == kNoDate) continue;
        if (entity_of_[m] == entity_of_[a]) births_a.push_back(table_.birth[m]);
        if (entity_of_[m] == entity_of_[b]) births_b.push_back(table_.birth[m]);
      }
      for (std::vector<Date>* births : {&births_a, &births_b}) {
        std::sort(births->begin(), births->end());
        births->erase(std::unique(births->begin(), births->end()), births->end());
      }
      for (const Date x : births_a) {
        for (const Date y : births_b) {
          if (out.conflict.empty() && BirthsClearlyDiffer(x, y)) {
            out.conflict = Cat("the entities' births clearly differ (", FormatDate(x), " in one, ", FormatDate(y),
                               " in the other): a union by comparison is refused");
          }
        }
      }
    }
  }
  // A mention without a key left alone between namesakes (Cluster's ambiguity by births): its
  // links at the threshold reach, within the margin (4 bits, as in Cluster), entities whose
  // births clearly differ.
  const double threshold = std::log2(options_.match_probability / (1.0 - options_.match_probability));
  if (out.conflict.empty() && out.key.empty() && !out.entity_a.empty() && !out.same_entity &&
      table_.kind_class[a] == KindClass::kPerson) {
    for (const MentionId m : {a, b}) {
      if (!out.conflict.empty() || !table_.uscc[m].empty() || !table_.id_no[m].empty() ||
          !table_.org_code[m].empty() || !table_.reg_no[m].empty()) {
        continue;
      }
      std::vector<std::pair<double, NodeId>> reached;  // (weight, entity) of m's links
      for (const Pair& pair : pairs_) {
        if (pair.a != m && pair.b != m) continue;
        const double weight = LinkWeight(pair.a, pair.b, pair.pattern);
        if (weight >= threshold) reached.emplace_back(weight, entity_of_[pair.a == m ? pair.b : pair.a]);
      }
      if (reached.size() < 2) continue;
      const double floor = std::max(threshold, std::max_element(reached.begin(), reached.end())->first - 4.0);
      std::vector<NodeId> near;
      for (const auto& [weight, entity] : reached) {
        if (weight >= floor && entity != entity_of_[m]) near.push_back(entity);
      }
      std::vector<std::pair<NodeId, Date>> births;  // of the entities reached
      for (MentionId x = 0; x < table_.size(); ++x) {
        if (table_.kind_class[x] == KindClass::kPerson && table_.birth[x] != kNoDate &&
            std::find(near.begin(), near.end(), entity_of_[x]) != near.end()) {
          births.emplace_back(entity_of_[x], table_.birth[x]);
        }
      }
      for (const auto& [ex, x] : births) {
        for (const auto& [ey, y] : births) {
          if (out.conflict.empty() && ex < ey && BirthsClearlyDiffer(x, y)) {
            out.conflict = Cat(table_.Key(m), " is left alone: its links fit namesakes of clearly different births (",
                               FormatDate(x), ", ", FormatDate(y), ") about equally");
          }
        }
      }
    }
  }
  const MentionId lo = std::min(a, b), hi = std::max(a, b);
  for (const Pair& pair : pairs_) {
    if (pair.a == lo && pair.b == hi) out.compared = true;
  }
  const bool person = table_.kind_class[a] == KindClass::kPerson;
  const auto& fields = person ? PersonFields() : OrgFields();
  const FsParams& params = person ? person_params_ : org_params_;
  const Pattern pattern = Compare(table_, a, b);
  out.tf_adjustment = TfAdjustment(a, b, pattern);
  for (int f = 0; f < static_cast<int>(fields.size()); ++f) {
    FieldExplanation field;
    field.field = fields[f].name;
    field.level = PatternLevel(pattern, f);
    field.level_name = field.level < 0 ? "null" : fields[f].levels[field.level];
    field.weight = FieldWeight(params, f, PatternLevel(pattern, f)) + (f == 0 ? out.tf_adjustment : 0);
    out.fields.push_back(field);
  }
  out.prior_weight = PriorWeight(params);
  out.total_weight = LinkWeight(a, b, pattern);
  out.probability = WeightToProbability(out.total_weight);
  out.accepted = out.probability >= options_.match_probability && out.conflict.empty();
  return out;
}

std::string LinkExplanation::ToString() const {
  std::string text = Cat(mention_a, "  vs  ", mention_b, "\n");
  Append(&text, "entities: ", entity_a, " / ", entity_b, same_entity ? " (same entity)" : " (different entities)", "\n");
  if (!key.empty()) Append(&text, "deterministic key: equal ", key, "\n");
  if (!conflict.empty()) Append(&text, "hard constraint: ", conflict, "\n");
  Append(&text, "candidate pair of the blocking: ", compared ? "yes" : "no", "\n");
  for (const auto& field : fields) {
    Append(&text, Format("  %-10s level %2d  %-45s %+7.2f\n", field.field.c_str(), field.level,
                                  field.level_name.c_str(), field.weight));
  }
  Append(&text, Format("  prior %+.2f, tf adjustment %+.2f, total %+.2f, probability %.6f -> %s\n",
                                         prior_weight, tf_adjustment, total_weight, probability,
                                         accepted ? "link" : "no link"));
  return text;
}

}  // namespace cg::core::resolve

// ---------------------------------------------------------------- incremental state

namespace cg::core::resolve {
namespace {

// Bump whenever blocking keys, the pair filter, the comparisons or the mention columns change:
// a state saved by another version would give pairs a full run no longer gives.
constexpr std::uint32_t kStateVersion = 4;  // 2: representatives by mention only; 3: digests chained per value; 4: keys from hashed parts
constexpr std::string_view kStateMagic = "CGRESOLV";

template <typename T>
void PutRaw(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

class StateReader {
 public:
  explicit StateReader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* value) {
    if (bytes_.size() < sizeof(T)) return false;
    std::memcpy(value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
    return true;
  }
  bool Skip(std::string_view prefix) {
    if (!bytes_.starts_with(prefix)) return false;
    bytes_.remove_prefix(prefix.size());
    return true;
  }
  bool done() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;
};

}  // namespace

std::uint64_t Resolver::OptionsDigest() const {
  std::string text = strings::Cat(kStateVersion, "|", options_.block_identical_once ? 1 : 0);
  return XXH3_64bits(text.data(), text.size());
}

void Resolver::ReleaseBlocking() {
  BlockEntries().swap(entries_);
  released_ = true;
}

void Resolver::ReleaseLinking() {
  ReleaseBlocking();
  Pairs().swap(pairs_);
  decltype(representatives_)().swap(representatives_);
  decltype(tf_)().swap(tf_);
  std::vector<char>().swap(old_represented_);
  rows_ = CompareRows();
  ReleaseFreedMemory();
}

void Resolver::AddOldKeys(const absl::flat_hash_set<std::uint64_t>& keys) {
  if (keys.empty()) return;
  BlockEntries old = KeysOf(0, resolved_, old_represented_, &keys);
  if (entries_.empty()) {
    entries_ = std::move(old);
    return;
  }
  const std::size_t count = entries_.size();
  entries_.insert(entries_.end(), old.begin(), old.end());
  std::inplace_merge(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(count), entries_.end(),
                     EntryBefore);
}

std::vector<std::tuple<std::uint64_t, std::uint64_t, MentionId>> Resolver::ByFingerprint(std::size_t count) const {
  std::vector<std::tuple<std::uint64_t, std::uint64_t, MentionId>> order(count);
  {
    const std::vector<std::uint64_t> digests = table_.Digests(count);
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t m) {
      const auto id = static_cast<MentionId>(m);
      order[m] = {table_.Fingerprint(id), digests[m], id};
    });
  }
  tbb::parallel_sort(order.begin(), order.end());
  return order;
}

std::string Resolver::SaveState() const {
  std::string out;
  SaveState([&out](std::string_view piece) { out.append(piece); });
  return out;
}

void Resolver::SaveState(const std::function<void(std::string_view)>& sink, std::size_t piece_bytes) const {
  // The bytes go out in pieces of about `piece_bytes` (at SF=1 the whole state is some 6 GB:
  // 16 bytes a mention, 12 a compared pair).
  std::string out;
  out.reserve(piece_bytes + 64);
  const auto flush = [&](bool force) {
    if (!out.empty() && (force || out.size() >= piece_bytes)) {
      sink(out);
      out.clear();
    }
  };
  // Mentions by (fingerprint, digest): the order a later run re-reads them in does not matter.
  const auto order = ByFingerprint(resolved_);
  std::vector<std::uint32_t> index_of(resolved_);
  for (std::size_t i = 0; i < order.size(); ++i) index_of[std::get<2>(order[i])] = static_cast<std::uint32_t>(i);
  out.append(kStateMagic);
  PutRaw(out, OptionsDigest());
  PutRaw(out, static_cast<std::uint64_t>(order.size()));
  for (const auto& [fingerprint, digest, m] : order) {
    PutRaw(out, fingerprint);
    PutRaw(out, digest);
    flush(false);
  }
  PutRaw(out, static_cast<std::uint64_t>(pairs_.size()));
  for (const Pair& pair : pairs_) {
    PutRaw(out, index_of[pair.a]);
    PutRaw(out, index_of[pair.b]);
    PutRaw(out, pair.pattern);
    flush(false);
  }
  // The representatives by their index (their content hash is recomputed on restore: it hashes
  // dictionary ids, which belong to this process's table).
  std::vector<std::uint32_t> representatives;
  for (const Representative& representative : representatives_) {
    if (representative.m < resolved_) representatives.push_back(index_of[representative.m]);
  }
  std::sort(representatives.begin(), representatives.end());
  PutRaw(out, static_cast<std::uint64_t>(representatives.size()));
  for (const std::uint32_t index : representatives) {
    PutRaw(out, index);
    flush(false);
  }
  flush(true);
}

absl::Status Resolver::RestoreState(std::string_view state, std::size_t old_mentions) {
  if (old_mentions > table_.size()) {
    return absl::InvalidArgumentError(strings::Cat("resolver state: ", old_mentions, " old mentions but ",
                                          table_.size(), " in the table"));
  }
  StateReader reader(state);
  std::uint64_t digest = 0, count = 0;
  if (!reader.Skip(kStateMagic) || !reader.Get(&digest) || !reader.Get(&count)) {
    return absl::InvalidArgumentError("resolver state: not a saved state (bad header)");
  }
  if (digest != OptionsDigest()) {
    return absl::FailedPreconditionError("resolver state: saved by another version or with other options");
  }
  if (count != old_mentions) {
    return absl::FailedPreconditionError(strings::Cat("resolver state: ", count, " mentions saved, ", old_mentions,
                                             " re-read (records removed or changed)"));
  }
  // Saved mentions, in (fingerprint, digest) order, against the re-read ones in the same order.
  const auto order = ByFingerprint(old_mentions);
  std::vector<MentionId> mention_of(old_mentions);
  for (std::size_t i = 0; i < old_mentions; ++i) {
    std::uint64_t fingerprint = 0, mention_digest = 0;
    if (!reader.Get(&fingerprint) || !reader.Get(&mention_digest)) {
      return absl::InvalidArgumentError("resolver state: truncated mention list");
    }
    if (fingerprint != std::get<0>(order[i]) || mention_digest != std::get<1>(order[i])) {
      return absl::FailedPreconditionError(
          strings::Cat("resolver state: mention ", table_.Key(std::get<2>(order[i])),
              " is not the one saved (a record removed, added back or re-read with another identity)"));
    }
    mention_of[i] = std::get<2>(order[i]);
  }
  std::uint64_t pair_count = 0;
  if (!reader.Get(&pair_count)) return absl::InvalidArgumentError("resolver state: truncated pairs");
  Pairs pairs;
  pairs.reserve(pair_count);
  for (std::uint64_t i = 0; i < pair_count; ++i) {
    std::uint32_t a = 0, b = 0;
    Pattern pattern = 0;
    if (!reader.Get(&a) || !reader.Get(&b) || !reader.Get(&pattern)) {
      return absl::InvalidArgumentError("resolver state: truncated pairs");
    }
    if (a >= old_mentions || b >= old_mentions) return absl::InvalidArgumentError("resolver state: pair out of range");
    const MentionId x = mention_of[a], y = mention_of[b];
    pairs.push_back({std::min(x, y), std::max(x, y), pattern});
  }
  std::uint64_t representative_count = 0;
  if (!reader.Get(&representative_count)) return absl::InvalidArgumentError("resolver state: truncated representatives");
  HugeVector<Representative> representatives;
  representatives.reserve(representative_count);
  for (std::uint64_t i = 0; i < representative_count; ++i) {
    std::uint32_t index = 0;
    if (!reader.Get(&index) || index >= old_mentions) {
      return absl::InvalidArgumentError("resolver state: truncated representatives");
    }
    representatives.push_back({ContentHash(table_, mention_of[index]), mention_of[index]});
  }
  SortRepresentatives(&representatives);
  if (!reader.done()) return absl::InvalidArgumentError("resolver state: trailing bytes");

  // The old mentions' blocking keys, as the runs that saved the state left them: a keyed mention
  // that its content's representative stands for has none.
  std::vector<char> represented(old_mentions, 0);
  if (options_.block_identical_once) {
    tbb::parallel_for(std::size_t{0}, old_mentions, [&](std::size_t index) {
      const auto m = static_cast<MentionId>(index);
      if (!PrimaryKeyed(table_, m)) return;
      const std::uint64_t content = ContentHash(table_, m);
      const auto it = std::lower_bound(representatives.begin(), representatives.end(), content,
                                       [](const Representative& r, std::uint64_t c) { return r.content < c; });
      represented[index] = it != representatives.end() && it->content == content && it->m != m &&
                           SameContent(table_, it->m, m);
    });
  }
  tbb::parallel_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  // The old mentions' blocking keys are made by the next BlockNew, and only those new mentions
  // share (AddOldKeys): sorting all of them here cost as much as a full run's blocking.
  BlockEntries().swap(entries_);
  old_represented_ = std::move(represented);
  old_keys_deferred_ = true;
  representatives_ = std::move(representatives);
  pairs_ = std::move(pairs);
  resolved_ = old_mentions;
  released_ = false;
  return absl::OkStatus();
}

}  // namespace cg::core::resolve
