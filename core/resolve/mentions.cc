// MentionTable (see mentions.h).
#include "core/resolve/mentions.h"

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>
#include <tbb/parallel_for.h>

#include <xxhash.h>

#include <tbb/blocked_range.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "core/date.h"
#include "core/ids/check_digits.h"
#include "core/ids/divisions.h"
#include "core/resolve/name_parts.h"
#include "core/text/normalize.h"
#include "core/text/org_name.h"

namespace cg::core::resolve {
namespace {

bool StrongUscc(const Identity& side) {
  if ((side.weak & kWeakUscc) || side.uscc.size() != 18) return false;
  auto check = UsccCheckChar(std::string_view(side.uscc).substr(0, 17));
  return check && *check == side.uscc[17];
}
bool ValidOrgCode(std::string_view code) {
  if (code.size() != 9) return false;
  auto check = OrgCodeCheckChar(code.substr(0, 8));
  return check && *check == code[8];
}
bool StrongRegNo(const Identity& side) {
  if ((side.weak & kWeakRegNo) || side.reg_no.size() != 15) return false;
  auto check = RegNoCheckChar(std::string_view(side.reg_no).substr(0, 14));
  return check && *check == side.reg_no[14];
}
// The 18-character form of an ID number (15-digit numbers upgraded), or "" if malformed.
std::string Id18(std::string_view id) {
  if (id.size() == 15) {
    std::string first17 = std::string(id.substr(0, 6)) + "19" + std::string(id.substr(6, 9));
    auto check = IdNumberCheckChar(first17);
    return check ? first17 + *check : std::string();
  }
  return std::string(id);
}
bool ValidId18(std::string_view id) {
  if (id.size() != 18) return false;
  auto check = IdNumberCheckChar(id.substr(0, 17));
  return check && *check == id[17];
}
std::string OrgCodeOf(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c != '-') out.push_back(c);
  }
  return out;
}

KindClass ClassOf(const Identity& side) {
  if (side.kind == EntityKind::kPerson) return KindClass::kPerson;
  if (IsOrganizationLike(side.kind)) return KindClass::kOrganization;
  if (!side.id_no.empty()) return KindClass::kPerson;
  if (!side.uscc.empty() || !side.org_code.empty() || !side.reg_no.empty()) {
    return KindClass::kOrganization;
  }
  return LooksLikeOrganization(side.name) ? KindClass::kOrganization : KindClass::kPerson;
}

// The strongest valid organization code of a side, tagged; "" if none.
std::string StrongOrgKey(const Identity& side) {
  if (StrongUscc(side)) return "U:" + side.uscc;
  std::string org = OrgCodeOf(side.org_code);
  if (!(side.weak & kWeakOrgCode) && ValidOrgCode(org)) return "O:" + org;
  if (StrongRegNo(side)) return "R:" + side.reg_no;
  return "";
}

}  // namespace

// --- PlainStringColumn ----------------------------------------------------------------------

void PlainStringColumn::push_back(std::string_view text) {
  const bool first_of_block = (size() & kBlockMask) == 0;
  if (first_of_block) {
    bases_.push_back(bytes_.size());
    entries_.push_back(0);
  }
  const std::uint32_t previous = entries_.back();  // the end of the row before (0: none in this block)
  if (!first_of_block && (previous & kRepeat) == 0 && text == (*this)[size() - 1]) {
    entries_.push_back(previous | kRepeat);
    return;
  }
  const std::uint64_t end = bytes_.size() + text.size() - bases_.back();
  if (end > kOffsetMask) throw std::length_error("PlainStringColumn: more than 2 GB of text in one block of rows");
  bytes_.append(text);
  entries_.push_back(static_cast<std::uint32_t>(end));
}

void PlainStringColumn::append(const PlainStringColumn& other) {
  // Row by row: the blocks here do not line up with other's. (No reserve(size + n): appending
  // chunk after chunk must keep the geometric growth.)
  for (std::size_t row = 0, rows = other.size(); row < rows; ++row) push_back(other[row]);
}

// --- StringColumn ---------------------------------------------------------------------------

// The ids of the distinct values, hashed and compared by their text (heterogeneous lookup by
// string_view); 4 bytes a slot instead of a string_view and an id.
// The ids of the distinct values, found by their text (heterogeneous lookup by string_view): 4
// bytes a slot, with each value's hash kept beside the dictionary so that growing the set (and
// most mismatches) reads no text.
struct StringColumn::Index {
  static std::uint64_t HashOf(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }
  // A value to look up with its hash already made (no second hashing, and a key prefetch() can
  // take: appends fetch the places of later values ahead).
  struct Hashed {
    std::string_view text;
    std::uint64_t hash;
  };
  struct Hash {
    using is_transparent = void;
    const Index* index;
    std::size_t operator()(std::string_view text) const { return HashOf(text); }
    std::size_t operator()(const Hashed& key) const { return key.hash; }
    std::size_t operator()(std::uint32_t id) const { return index->hashes[id]; }
  };
  struct Eq {
    using is_transparent = void;
    const Index* index;
    bool operator()(std::uint32_t a, std::uint32_t b) const { return a == b; }
    bool operator()(std::uint32_t a, std::string_view b) const { return View(*index->dict, a) == b; }
    bool operator()(std::string_view a, std::uint32_t b) const { return a == View(*index->dict, b); }
    bool operator()(std::uint32_t a, const Hashed& b) const { return View(*index->dict, a) == b.text; }
    bool operator()(const Hashed& a, std::uint32_t b) const { return a.text == View(*index->dict, b); }
  };
  static std::string_view View(const Dict& dict, std::uint32_t id) {
    return std::string_view(dict.bytes).substr(dict.offsets[id], dict.offsets[id + 1] - dict.offsets[id]);
  }
  explicit Index(const Dict* of) : dict(of), ids(0, Hash{this}, Eq{this}) {}
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;
  const Dict* dict;
  HugeVector<std::uint64_t> hashes;  // per id
  absl::flat_hash_set<std::uint32_t, Hash, Eq> ids;
};

StringColumn::StringColumn() : dict_(std::make_unique<Dict>()) {
  dict_->offsets.assign(2, 0);  // id 0: ""
}
StringColumn::StringColumn(const StringColumn& other)
    : dict_(std::make_unique<Dict>(*other.dict_)),
      rows_(other.rows_),
      size_(other.size_),
      width_(other.width_),
      mask_(other.mask_),
      dedupe_(other.dedupe_) {}
StringColumn& StringColumn::operator=(const StringColumn& other) {
  if (this != &other) {
    dict_ = std::make_unique<Dict>(*other.dict_);
    index_.reset();
    rows_ = other.rows_;
    size_ = other.size_;
    width_ = other.width_;
    mask_ = other.mask_;
    dedupe_ = other.dedupe_;
  }
  return *this;
}
StringColumn::StringColumn(StringColumn&& other) noexcept
    : dict_(std::move(other.dict_)),
      index_(std::move(other.index_)),
      rows_(std::move(other.rows_)),
      size_(std::exchange(other.size_, 0)),
      width_(other.width_),
      mask_(other.mask_),
      dedupe_(other.dedupe_) {}
StringColumn& StringColumn::operator=(StringColumn&& other) noexcept {
  if (this != &other) {
    dict_ = std::move(other.dict_);
    index_ = std::move(other.index_);
    rows_ = std::move(other.rows_);
    size_ = std::exchange(other.size_, 0);
    width_ = other.width_;
    mask_ = other.mask_;
    dedupe_ = other.dedupe_;
  }
  return *this;
}
StringColumn::~StringColumn() = default;

namespace {
// The fewest bytes (1 to 4) that hold `id`.
std::size_t IdWidth(std::uint32_t id) { return id <= 0xFF ? 1 : id <= 0xFFFF ? 2 : id <= 0xFFFFFF ? 3 : 4; }
std::uint32_t IdMask(std::size_t width) { return width == 4 ? 0xFFFFFFFFu : (std::uint32_t{1} << (8 * width)) - 1; }
// Rows [0, rows) of `data`, `old_width` bytes each, rewritten `kWidth` bytes each, in place: from
// the last row to the first, so that a row is read before any wider row overwrites its bytes
// (row r's new place starts at r × kWidth >= the end of any old row before it).
template <std::size_t kWidth>
void WidenRows(std::uint8_t* data, std::size_t rows, std::size_t old_width, std::uint32_t old_mask) {
  for (std::size_t row = rows; row-- > 0;) {
    std::uint32_t id;
    std::memcpy(&id, data + row * old_width, sizeof(id));
    id &= old_mask;
    std::memcpy(data + row * kWidth, &id, kWidth);  // exactly kWidth bytes: the next row is written
  }
}
}  // namespace

void StringColumn::GrowRows(std::size_t bytes) { rows_.resize(std::max(bytes, rows_.size() * 2)); }

void StringColumn::Widen(std::uint32_t id) {
  const std::size_t width = IdWidth(id);
  if (width <= width_) return;
  const std::size_t needed = size_ * width + kPadding;
  if (needed > rows_.size()) rows_.resize(std::max(needed, rows_.size() / width_ * width));
  switch (width) {
    case 2: WidenRows<2>(rows_.data(), size_, width_, mask_); break;
    case 3: WidenRows<3>(rows_.data(), size_, width_, mask_); break;
    default: WidenRows<4>(rows_.data(), size_, width_, mask_); break;
  }
  width_ = width;
  mask_ = IdMask(width);
}

void StringColumn::BuildIndex() {
  index_ = std::make_unique<Index>(dict_.get());
  index_->hashes.resize(distinct());
  for (std::uint32_t id = 0; id < distinct(); ++id) index_->hashes[id] = Index::HashOf(value(id));
  index_->ids.reserve(distinct());
  for (std::uint32_t id = 0; id < distinct(); ++id) index_->ids.insert(id);
}

std::uint32_t StringColumn::Intern(std::string_view text) {
  if (text.empty()) return 0;
  if (!dedupe_) {
    dict_->bytes.append(text);
    dict_->offsets.push_back(dict_->bytes.size());
    return static_cast<std::uint32_t>(distinct() - 1);
  }
  if (!index_) BuildIndex();
  return InternHashed(text, Index::HashOf(text));
}

std::uint32_t StringColumn::InternHashed(std::string_view text, std::uint64_t hash) {
  if (auto it = index_->ids.find(Index::Hashed{text, hash}); it != index_->ids.end()) return *it;
  const auto id = static_cast<std::uint32_t>(distinct());
  dict_->bytes.append(text);
  dict_->offsets.push_back(dict_->bytes.size());
  index_->hashes.push_back(hash);
  index_->ids.insert(id);
  return id;
}

void StringColumn::append(const StringColumn& other) {
  std::vector<std::uint32_t> remap(other.distinct());
  if (dedupe_ && remap.size() > 1) {
    // The values hashed first (in order: their text is in cache), then each looked up while the
    // hash-table places of a later one are fetched: the lookups of a large dictionary miss the
    // cache, and one after another they waited on each miss.
    if (!index_) BuildIndex();
    std::vector<std::uint64_t> hashes(remap.size());
    for (std::uint32_t id = 1; id < remap.size(); ++id) hashes[id] = Index::HashOf(other.value(id));
    constexpr std::uint32_t kAhead = 8;
    for (std::uint32_t id = 1; id < remap.size(); ++id) {
      if (id + kAhead < remap.size()) index_->ids.prefetch(Index::Hashed{other.value(id + kAhead), hashes[id + kAhead]});
      const std::string_view text = other.value(id);
      remap[id] = text.empty() ? 0 : InternHashed(text, hashes[id]);
    }
  } else {
    for (std::uint32_t id = 1; id < remap.size(); ++id) remap[id] = Intern(other.value(id));
  }
  // Ids are dense: the largest any row gets is the last one given.
  if (const auto largest = static_cast<std::uint32_t>(distinct() - 1); largest > mask_) Widen(largest);
  const std::size_t rows = other.size();
  if (rows == 0) return;
  const std::size_t needed = (size_ + rows) * width_ + kPadding;
  if (needed > rows_.size()) GrowRows(needed);
  std::uint8_t* out = rows_.data() + size_ * width_;
  for (std::size_t row = 0; row < rows; ++row, out += width_) {
    const std::uint32_t id = remap[other.id(row)];
    std::memcpy(out, &id, sizeof(id));  // the bytes above width_ land on the next row's place
  }
  size_ += rows;
}

void StringColumn::clear() {
  size_ = 0;  // the rows' memory and width stay: a chunk table refilled does not widen again
  dict_->bytes.clear();
  dict_->offsets.resize(2);  // "" stays id 0
  if (index_) {
    // Kept at its size: a chunk table refilled chunk after chunk does not grow it again each time.
    const std::size_t capacity = index_->ids.size();
    index_->ids.clear();
    index_->ids.reserve(capacity);
    index_->hashes.resize(1);
    index_->ids.insert(0);
  }
}

void StringColumn::Seal() {
  index_.reset();
  rows_.resize(size_ == 0 ? 0 : size_ * width_ + kPadding);
  rows_.shrink_to_fit();
  dict_->bytes.shrink_to_fit();
  dict_->offsets.shrink_to_fit();
}

std::size_t StringColumn::bytes() const {
  std::size_t total = rows_.capacity() + dict_->bytes.capacity() + dict_->offsets.capacity() * sizeof(std::uint64_t);
  if (index_) total += index_->ids.capacity() * (sizeof(std::uint32_t) + 1) + index_->hashes.capacity() * sizeof(std::uint64_t);
  return total;
}

std::size_t StringColumn::value_bytes() const {
  return dict_->bytes.capacity() + dict_->offsets.capacity() * sizeof(std::uint64_t);
}

// --- MentionTable ---------------------------------------------------------------------------

int MentionTable::Add(const Record& record) {
  int added = 0;
  if (!record.subject.empty()) {
    AddSide(record.source, record.rid, Role::kSubject, record.kind, record.subject, record.party);
    ++added;
  }
  if (!record.party.empty()) {
    AddSide(record.source, record.rid, Role::kParty, record.kind, record.party, record.subject);
    ++added;
  }
  return added;
}

void MentionTable::AddSide(std::string_view source_id, std::string_view rid_text, Role side_role,
                           RecordKind kind_of_record, const Identity& side,
                           const Identity& other) {
  auto it = std::find(sources.begin(), sources.end(), source_id);
  if (it == sources.end()) {
    sources.emplace_back(source_id);
    it = sources.end() - 1;
  }
  source.push_back(static_cast<std::uint16_t>(it - sources.begin()));
  rid.push_back(rid_text);
  role.push_back(side_role);
  record_kind.push_back(kind_of_record);
  kind.push_back(side.kind);
  const KindClass klass = ClassOf(side);
  kind_class.push_back(klass);
  {
    thread_local std::string key;
    key.assign(source_id);
    key.push_back('\0');
    key.append(rid_text);
    key.push_back('\0');
    key.push_back(side_role == Role::kSubject ? 'S' : 'P');
    fingerprint.push_back(XXH3_64bits(key.data(), key.size()));
  }

  // Codes: strong ones as keys, the rest as weak evidence.
  std::string weak_text;
  auto add_weak = [&weak_text](char tag, std::string_view code) {
    if (code.empty()) return;
    if (!weak_text.empty()) weak_text.push_back(';');
    weak_text.push_back(tag);
    weak_text.push_back(':');
    weak_text.append(code);
  };
  std::string org_code_value;
  if (StrongUscc(side)) {
    uscc.push_back(side.uscc);
    std::string embedded = side.uscc.substr(8, 9);
    if (ValidOrgCode(embedded)) org_code_value = embedded;
  } else {
    uscc.push_back("");
    add_weak('U', side.uscc);
  }
  std::string org = OrgCodeOf(side.org_code);
  if (!org.empty()) {
    if (!(side.weak & kWeakOrgCode) && ValidOrgCode(org)) {
      if (org_code_value.empty()) org_code_value = org;
    } else {
      add_weak('O', org);
    }
  }
  org_code.push_back(org_code_value);
  if (StrongRegNo(side)) {
    reg_no.push_back(side.reg_no);
  } else {
    reg_no.push_back("");
    add_weak('R', side.reg_no);
  }
  std::string id18 = side.id_no.empty() ? std::string() : Id18(side.id_no);
  Date birth_value = side.birth;
  if (!id18.empty() && !(side.weak & kWeakIdNo) && ValidId18(id18)) {
    id_no.push_back(id18);
    if (birth_value == kNoDate) {
      const std::string ymd = id18.substr(6, 8);
      auto date = MakeDate(std::stoi(ymd.substr(0, 4)), std::stoi(ymd.substr(4, 2)),
                           std::stoi(ymd.substr(6, 2)));
      if (date) birth_value = *date;
    }
  } else {
    id_no.push_back("");
    add_weak('I', id18.empty() ? side.id_no : id18);
  }
  weak_codes.push_back(weak_text);
  weak.push_back(side.weak);

  // Names (normalized by core/text).
  name.push_back(side.name);
  std::string name_region;
  if (klass == KindClass::kOrganization) {
    thread_local cg::core::OrgNameParts parts;  // reused: no eleven strings made and freed per name
    ParseOrgName(side.name, parts);
    folded.push_back(parts.canonical);
    core.push_back(parts.key);
    trade.push_back(parts.trade_name);
    industry.push_back(parts.industry);
    branch.push_back(parts.is_branch ? 1 : 0);
    // A branch is registered where it operates: 淄博鼎盛投资管理有限公司胶州分公司 is in 胶州, not
    // in its parent's 淄博.
    name_region = parts.is_branch && !parts.branch_region_code.empty() ? parts.branch_region_code : parts.region_code;
  } else {
    std::string person = NormalizePersonName(side.name);
    folded.push_back(person);
    core.push_back(person);
    std::u32string cps = DecodeUtf8(person);
    trade.push_back(EncodeUtf8(cps.substr(0, std::min<std::size_t>(1, cps.size()))));
    industry.push_back("");
    branch.push_back(0);
  }
  // A region named in an organization's name stands in for a missing region field; for a
  // person, the region that issued the (valid) ID number: its first six digits.
  if (klass == KindClass::kPerson && side.region.empty() && !id_no[id_no.size() - 1].empty()) {
    name_region = std::string(id_no[id_no.size() - 1].substr(0, 6));
  }
  std::string_view side_region = side.region;
  if (side_region.size() == 6) {
    // A retired code (莱芜's 371202) as its successor: ingest maps it too, but records handed to
    // the resolver directly (resolve(records=...)) are not ingested.
    // (The last code looked up is kept per thread: records come in runs of one county.)
    thread_local char last_code[6] = {};
    thread_local std::string_view last_read;
    if (std::string_view(last_code, 6) != side_region) {
      std::memcpy(last_code, side_region.data(), 6);
      const Division* division = FindDivision(side_region);
      last_read = division != nullptr && !division->current && division->successor.size() == 6 ? division->successor
                                                                                                : std::string_view();
    }
    if (!last_read.empty()) side_region = last_read;
  }
  region.push_back(side_region.empty() && name_region.size() == 6 ? std::string_view(name_region) : side_region);
  address.push_back(EncodeUtf8(FoldName(DecodeUtf8(side.address))));
  phone.push_back(side.phone.empty() ? std::string() : PhoneDigits(side.phone));
  birth.push_back(birth_value);

  // Relational context.
  const bool other_present = !other.empty();
  const KindClass other_class = other_present ? ClassOf(other) : KindClass::kOrganization;
  if (klass == KindClass::kOrganization) {
    const bool names_rep = kind_of_record == RecordKind::kRegistry ||
                           kind_of_record == RecordKind::kList;
    if (other_present && names_rep && side_role == Role::kSubject &&
        other_class == KindClass::kPerson) {
      rel_name.push_back(NormalizePersonName(other.name));
    } else {
      rel_name.push_back("");
    }
    rel_code.push_back("");
  } else {
    if (other_present && other_class == KindClass::kOrganization) {
      rel_name.push_back(OrgNameKey(other.name));
      rel_code.push_back(StrongOrgKey(other));
    } else {
      rel_name.push_back("");
      rel_code.push_back("");
    }
  }
}

void MentionTable::Append(const MentionTable& other) {
  std::vector<std::uint16_t> remap(other.sources.size());
  for (std::size_t i = 0; i < other.sources.size(); ++i) {
    auto it = std::find(sources.begin(), sources.end(), other.sources[i]);
    if (it == sources.end()) {
      sources.push_back(other.sources[i]);
      it = sources.end() - 1;
    }
    remap[i] = static_cast<std::uint16_t>(it - sources.begin());
  }
  // The columns are independent: appended in parallel (this runs once per chunk of records, on
  // the reading thread, between the parallel decoding of two windows).
  auto extend = [](auto& column, const auto& more) { column.insert(column.end(), more.begin(), more.end()); };
  const std::pair<StringColumn*, const StringColumn*> strings[] = {
      {&uscc, &other.uscc},       {&org_code, &other.org_code},
      {&reg_no, &other.reg_no},   {&id_no, &other.id_no},     {&weak_codes, &other.weak_codes},
      {&name, &other.name},       {&folded, &other.folded},   {&core, &other.core},
      {&trade, &other.trade},     {&industry, &other.industry}, {&region, &other.region},   {&address, &other.address},
      {&phone, &other.phone},     {&rel_name, &other.rel_name}, {&rel_code, &other.rel_code}};
  constexpr std::size_t kStrings = std::size(strings);
  tbb::parallel_for(std::size_t{0}, kStrings + 1, [&](std::size_t task) {
    if (task < kStrings) {
      strings[task].first->append(*strings[task].second);
      return;
    }
    for (std::uint16_t index : other.source) source.push_back(remap[index]);
    rid.append(other.rid);
    extend(role, other.role);
    extend(record_kind, other.record_kind);
    extend(kind, other.kind);
    extend(kind_class, other.kind_class);
    extend(fingerprint, other.fingerprint);
    extend(weak, other.weak);
    extend(branch, other.branch);
    extend(birth, other.birth);
  });
}

namespace {
// One value's hash chained into a mention's digest.
std::uint64_t ChainDigest(std::uint64_t digest, std::uint64_t value_hash) {
  return XXH3_64bits_withSeed(&value_hash, sizeof(value_hash), digest);
}
std::uint64_t TextHash(std::string_view text) { return XXH3_64bits(text.data(), text.size()); }
}  // namespace

std::uint64_t MentionTable::Digest(MentionId m) const {
  // The obvious form of Digests(): every value hashed from its text here.
  std::uint64_t digest = ChainDigest(kDigestSeed, TextHash(Source(m)));
  digest = ChainDigest(digest, TextHash(rid[m]));
  for (const StringColumn* column : string_columns()) digest = ChainDigest(digest, TextHash((*column)[m]));
  return ChainDigest(digest, FixedFieldsHash(m));
}

std::uint64_t MentionTable::FixedFieldsHash(MentionId m) const {
  char buffer[6 + sizeof(Date) + sizeof(std::uint64_t)];
  const std::uint8_t bytes[6] = {static_cast<std::uint8_t>(role[m]), static_cast<std::uint8_t>(record_kind[m]),
                                 static_cast<std::uint8_t>(kind[m]), static_cast<std::uint8_t>(kind_class[m]),
                                 weak[m], branch[m]};
  std::memcpy(buffer, bytes, sizeof(bytes));
  std::memcpy(buffer + 6, &birth[m], sizeof(Date));
  std::memcpy(buffer + 6 + sizeof(Date), &fingerprint[m], sizeof(std::uint64_t));
  return XXH3_64bits(buffer, sizeof(buffer));
}

std::vector<std::uint64_t> MentionTable::Digests(std::size_t count) const {
  // Digest(m) for m < count, a column at a time: each distinct value is hashed once, in
  // dictionary order, and a mention reads 8 bytes per column instead of its text (the text of
  // a province's mentions is read at random otherwise: most of a state save's time).
  std::vector<std::uint64_t> digests(count);
  std::vector<std::uint64_t> source_hash(sources.size());
  for (std::size_t s = 0; s < sources.size(); ++s) source_hash[s] = TextHash(sources[s]);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t m = range.begin(); m < range.end(); ++m) {
      digests[m] = ChainDigest(ChainDigest(kDigestSeed, source_hash[source[m]]), TextHash(rid[m]));
    }
  });
  HugeBuffer<std::uint64_t> value_hash;
  for (const StringColumn* column : string_columns()) {
    value_hash.resize(column->distinct());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, value_hash.size(), 16384),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t id = range.begin(); id < range.end(); ++id) {
                          value_hash[id] = TextHash(column->value(static_cast<std::uint32_t>(id)));
                        }
                      });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t m = range.begin(); m < range.end(); ++m) digests[m] = ChainDigest(digests[m], value_hash[column->id(m)]);
    });
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 16384), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t m = range.begin(); m < range.end(); ++m) {
      digests[m] = ChainDigest(digests[m], FixedFieldsHash(static_cast<MentionId>(m)));
    }
  });
  return digests;
}

std::string MentionTable::Key(MentionId m) const {
  std::string out(Source(m));
  out.push_back('/');
  out.append(rid[m]);
  out.push_back('/');
  out.append(ToString(role[m]));
  return out;
}

void MentionTable::Clear() {
  sources.clear();
  source.clear();
  role.clear();
  record_kind.clear();
  kind.clear();
  kind_class.clear();
  fingerprint.clear();
  weak.clear();
  branch.clear();
  birth.clear();
  rid.clear();
  for (StringColumn* column : string_columns()) {
    column->clear();
  }
}

void MentionTable::SetStaging() {
  for (StringColumn* column : string_columns()) {
    column->set_dedupe(false);
  }
}

void MentionTable::Seal() {
  // Grown by doubling while the records streamed in: up to half of each column is slack.
  rid.shrink_to_fit();
  role.shrink_to_fit();
  kind_class.shrink_to_fit();
  source.shrink_to_fit();
  record_kind.shrink_to_fit();
  kind.shrink_to_fit();
  fingerprint.shrink_to_fit();
  weak.shrink_to_fit();
  branch.shrink_to_fit();
  birth.shrink_to_fit();
  for (StringColumn* column : string_columns()) {
    column->Seal();
  }
}

std::size_t MentionTable::MemoryBytes() const {
  std::size_t total = size() * (sizeof(std::uint16_t) + 5 + sizeof(std::uint64_t) + sizeof(Date)) + rid.bytes();
  for (const StringColumn* column : string_columns()) {
    total += column->bytes();
  }
  return total;
}

std::string MentionTable::MemoryReport() const {
  std::string report;
  char line[160];
  const auto columns = string_columns();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const StringColumn& column = *columns[c];
    std::snprintf(line, sizeof(line), "%-10s %12zu distinct %8.1f MB values %8.1f MB rows (%zu-byte ids) and index\n",
                  kStringColumnNames[c], column.distinct(), static_cast<double>(column.value_bytes()) / 1e6,
                  static_cast<double>(column.bytes() - column.value_bytes()) / 1e6, column.id_bytes());
    report += line;
  }
  std::snprintf(line, sizeof(line), "%-10s %12zu rows     %8.1f MB (text %.1f MB)\n", "rid", rid.size(),
                static_cast<double>(rid.bytes()) / 1e6, static_cast<double>(rid.text_bytes()) / 1e6);
  report += line;
  std::snprintf(line, sizeof(line), "%-10s %12zu rows     %8.1f MB (source, role, kinds, flags, birth, fingerprint)\n", "fixed",
                size(), static_cast<double>(size() * (sizeof(std::uint16_t) + 5 + sizeof(std::uint64_t) + sizeof(Date))) / 1e6);
  report += line;
  return report;
}

}  // namespace cg::core::resolve
