// RecordNodes, ScanRecords and StageEntities (see stage_scan.h).
#include "core/engine/stage_scan.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <xxhash.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstring>
#include <memory>

#include "core/store/record_codec.h"

namespace cg::core::engine {
namespace {

constexpr std::string_view kMentionsFamily = "mentions";
constexpr char kField = '\x1f';
constexpr std::size_t kBatchRecords = 4096;
constexpr std::size_t kBatchBytes = std::size_t{2} << 20;

std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

rocksdb::ReadOptions SequentialRead() {
  rocksdb::ReadOptions options;
  options.readahead_size = std::size_t{4} << 20;
  options.fill_cache = false;  // one pass: do not evict what answers keep hot
  options.async_io = false;
  return options;
}

NodeId DecodeNode(std::string_view bytes, NodeId num_entities) {
  const NodeId node = cg::core::engine::DecodeNode(bytes);
  return node < num_entities ? node : kNoNode;
}

/// Hash of a sequence of keys: XXH3 over (length, bytes) of each.
class KeyHasher {
 public:
  KeyHasher() : state_(XXH3_createState()) { XXH3_64bits_reset(state_.get()); }
  void Add(std::string_view key) {
    const std::uint32_t length = std::uint32_t(key.size());
    XXH3_64bits_update(state_.get(), &length, sizeof length);
    XXH3_64bits_update(state_.get(), key.data(), key.size());
  }
  std::uint64_t Digest() const { return XXH3_64bits_digest(state_.get()); }

 private:
  struct Free {
    void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
  };
  std::unique_ptr<XXH3_state_t, Free> state_;
};

/// An iterator over a family, or nullptr when the family does not exist (reads as empty).
absl::StatusOr<std::unique_ptr<rocksdb::Iterator>> FamilyIterator(store::Store& store,
                                                                  std::string_view family) {
  if (!store.HasFamily(family)) return std::unique_ptr<rocksdb::Iterator>();
  auto handle = store.Family(family);
  if (!handle.ok()) return handle.status();
  return std::unique_ptr<rocksdb::Iterator>(store.raw()->NewIterator(SequentialRead(), *handle));
}

absl::Status IteratorStatus(const rocksdb::Iterator* it, std::string_view what) {
  if (it == nullptr || it->status().ok()) return absl::OkStatus();
  return absl::InternalError(std::string(what) + ": " + it->status().ToString());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> EncodeRecordNodes(const RecordNodes& nodes,
                                                                   std::string_view run) {
  const std::string prefix = std::string(ToString(nodes.kind)) + "/";
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t begin = 0, chunk = 0; begin < nodes.size(); begin += kRecordNodeChunk, ++chunk) {
    const std::size_t end = std::min(nodes.size(), begin + kRecordNodeChunk);
    std::string value;
    value.reserve((end - begin) * 8);
    for (std::size_t index = begin; index < end; ++index) {
      const std::uint32_t pair[2] = {nodes.subject[index], nodes.party[index]};
      value.append(reinterpret_cast<const char*>(pair), sizeof pair);
    }
    out.emplace_back(prefix + "c" + store::EncodeBigEndian64(chunk), std::move(value));
  }
  std::string meta(run);
  meta.push_back('\0');
  meta += std::to_string(nodes.size());
  meta.push_back('\0');
  meta += std::to_string(nodes.key_hash);
  out.emplace_back(prefix + "meta", std::move(meta));
  return out;
}

std::string EncodeNode(NodeId node) {
  std::string out(4, '\0');
  for (int index = 3; index >= 0; --index, node >>= 8) out[index] = char(node & 0xff);
  return out;
}

NodeId DecodeNode(std::string_view bytes) {
  if (bytes.size() != 4) return kNoNode;
  NodeId node = 0;
  for (const char byte : bytes) node = (node << 8) | static_cast<unsigned char>(byte);
  return node;
}

absl::StatusOr<RecordNodes> DeriveRecordNodes(store::Store& store, RecordKind kind,
                                              NodeId num_entities) {
  RecordNodes nodes;
  nodes.kind = kind;
  auto records = FamilyIterator(store, ToString(kind));
  if (!records.ok()) return records.status();
  auto mentions = FamilyIterator(store, kMentionsFamily);
  if (!mentions.ok()) return mentions.status();
  KeyHasher hasher;
  rocksdb::Iterator* record_it = records->get();
  rocksdb::Iterator* mention_it = mentions->get();
  std::string target;
  bool positioned = false;
  if (record_it != nullptr) {
    for (record_it->SeekToFirst(); record_it->Valid(); record_it->Next()) {
      const std::string_view key = View(record_it->key());
      hasher.Add(key);
      NodeId subject = kNoNode, party = kNoNode;
      if (mention_it != nullptr) {
        // The mentions of record `key` are key \0 's' and key \0 'p' ('\0' sorts first, so the
        // mention order follows the record order); step forward, or seek past other kinds.
        target.assign(key);
        target.push_back('\0');
        const rocksdb::Slice wanted(target);
        if (!positioned) {
          mention_it->Seek(wanted);
          positioned = true;
        } else {
          int steps = 0;
          while (mention_it->Valid() && mention_it->key().compare(wanted) < 0 && steps < 8) {
            mention_it->Next();
            ++steps;
          }
          if (mention_it->Valid() && mention_it->key().compare(wanted) < 0) mention_it->Seek(wanted);
        }
        while (mention_it->Valid() && mention_it->key().size() == target.size() + 1 &&
               mention_it->key().starts_with(wanted)) {
          const char role = mention_it->key()[target.size()];
          const NodeId node = DecodeNode(View(mention_it->value()), num_entities);
          (role == 's' ? subject : party) = node;
          mention_it->Next();
        }
      }
      nodes.subject.push_back(subject);
      nodes.party.push_back(party);
    }
  }
  if (auto status = IteratorStatus(record_it, "reading record keys"); !status.ok()) return status;
  if (auto status = IteratorStatus(mention_it, "reading mentions"); !status.ok()) return status;
  nodes.key_hash = hasher.Digest();
  return nodes;
}

absl::Status ScanRecords(
    store::Store& store, const RecordNodes& nodes,
    const std::function<void(const Record& record, NodeId subject, NodeId party)>& visit) {
  return ScanRecords(store, nodes, store::RecordFieldMask::All(), visit);
}

absl::Status ScanRecords(
    store::Store& store, const RecordNodes& nodes, store::RecordFieldMask fields,
    const std::function<void(const Record& record, NodeId subject, NodeId party)>& visit) {
  auto records = FamilyIterator(store, ToString(nodes.kind));
  if (!records.ok()) return records.status();
  rocksdb::Iterator* it = records->get();
  const std::string kind_name(ToString(nodes.kind));
  if (it == nullptr) {
    return nodes.size() == 0
               ? absl::OkStatus()
               : absl::InternalError("the " + kind_name +
                                     " records disappeared since resolve: run `creditgraph "
                                     "resolve` again");
  }
  struct Batch {
    std::size_t first = 0;  // ordinal of the first record
    std::string bytes;
    std::vector<std::size_t> ends;
    std::vector<Record> records;
    absl::Status status;
  };
  KeyHasher hasher;
  std::size_t count = 0;
  absl::Status failure;
  it->SeekToFirst();
  const int tokens = 2 * tbb::this_task_arena::max_concurrency() + 2;
  tbb::parallel_pipeline(
      std::size_t(tokens),
      tbb::make_filter<void, std::shared_ptr<Batch>>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& control) -> std::shared_ptr<Batch> {
            if (!it->Valid() || !failure.ok()) {
              control.stop();
              return nullptr;
            }
            auto batch = std::make_shared<Batch>();
            batch->first = count;
            batch->bytes.reserve(kBatchBytes + 4096);
            while (it->Valid() && batch->ends.size() < kBatchRecords &&
                   batch->bytes.size() < kBatchBytes) {
              hasher.Add(View(it->key()));
              batch->bytes.append(it->value().data(), it->value().size());
              batch->ends.push_back(batch->bytes.size());
              it->Next();
            }
            count += batch->ends.size();
            return batch;
          }) &
          tbb::make_filter<std::shared_ptr<Batch>, std::shared_ptr<Batch>>(
              tbb::filter_mode::parallel,
              [fields](std::shared_ptr<Batch> batch) {
                batch->records.resize(batch->ends.size());
                std::size_t begin = 0;
                for (std::size_t index = 0; index < batch->ends.size(); ++index) {
                  const std::size_t end = batch->ends[index];
                  batch->status = store::DecodeRecordFields(
                      std::string_view(batch->bytes).substr(begin, end - begin), fields,
                      batch->records[index]);
                  begin = end;
                  if (!batch->status.ok()) {
                    batch->records.resize(index);
                    break;
                  }
                }
                return batch;
              }) &
          tbb::make_filter<std::shared_ptr<Batch>, void>(
              tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Batch> batch) {
                if (!failure.ok()) return;
                if (!batch->status.ok()) {
                  failure = batch->status;
                  return;
                }
                if (batch->first + batch->records.size() > nodes.size()) {
                  failure = absl::InternalError("the " + kind_name +
                                                " records changed since resolve: run `creditgraph "
                                                "resolve` again");
                  return;
                }
                for (std::size_t index = 0; index < batch->records.size(); ++index) {
                  const std::size_t ordinal = batch->first + index;
                  visit(batch->records[index], nodes.subject[ordinal], nodes.party[ordinal]);
                }
              }));
  if (!failure.ok()) return failure;
  if (auto status = IteratorStatus(it, "reading " + kind_name + " records"); !status.ok()) {
    return status;
  }
  if (count != nodes.size() || hasher.Digest() != nodes.key_hash) {
    return absl::InternalError("the " + kind_name +
                               " records changed since their entities were looked up: run "
                               "`creditgraph resolve` again");
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- StageEntities

void StageEntities::Add(std::string_view id, EntityKind kind) {
  assert(!kinds_only_);
  kinds_.push_back(kind);
  ids_.append(id);
  offsets_.push_back(ids_.size());
}

NodeId StageEntities::Find(std::string_view id) const {
  assert(!kinds_only_);
  NodeId low = 0, high = size();
  while (low < high) {
    const NodeId middle = low + (high - low) / 2;
    if (this->id(middle) < id) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < size() && this->id(low) == id ? low : kNoNode;
}

constexpr std::size_t kEntityChunk = std::size_t{1} << 16;

std::vector<std::pair<std::string, std::string>> StageEntities::Encode(std::string_view run) const {
  assert(!kinds_only_);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t begin = 0, chunk = 0; begin < kinds_.size(); begin += kEntityChunk, ++chunk) {
    const std::size_t end = std::min(kinds_.size(), begin + kEntityChunk);
    const auto count = std::uint32_t(end - begin);
    std::string value;
    value.reserve(4 + count * 5 + (offsets_[end] - offsets_[begin]));
    value.append(reinterpret_cast<const char*>(&count), 4);
    value.append(reinterpret_cast<const char*>(kinds_.data() + begin), count);
    for (std::size_t node = begin; node < end; ++node) {
      const auto length = std::uint32_t(offsets_[node + 1] - offsets_[node]);
      value.append(reinterpret_cast<const char*>(&length), 4);
    }
    value.append(ids_, offsets_[begin], offsets_[end] - offsets_[begin]);
    std::string key = "c";
    for (int shift = 56; shift >= 0; shift -= 8) key.push_back(char((chunk >> shift) & 0xff));
    out.emplace_back(std::move(key), std::move(value));
  }
  std::string meta(run);
  meta.push_back('\0');
  meta += std::to_string(kinds_.size());
  out.emplace_back("meta", std::move(meta));
  return out;
}

bool StageEntities::DecodeChunkKinds(std::string_view chunk) {
  if (!kinds_only_ && !kinds_.empty()) return false;  // a table with ids: DecodeChunk
  std::uint32_t count = 0;
  if (chunk.size() < 4) return false;
  std::memcpy(&count, chunk.data(), 4);
  chunk.remove_prefix(4);
  if (chunk.size() < std::size_t(count) * 5) return false;
  std::uint64_t id_bytes = 0;
  for (std::uint32_t index = 0; index < count; ++index) {
    std::uint32_t length = 0;
    std::memcpy(&length, chunk.data() + count + std::size_t(index) * 4, 4);
    id_bytes += length;
  }
  if (id_bytes != chunk.size() - std::size_t(count) * 5) return false;
  for (std::uint32_t index = 0; index < count; ++index) {
    const auto kind = static_cast<std::uint8_t>(chunk[index]);
    if (kind > static_cast<std::uint8_t>(EntityKind::kPerson)) return false;
    kinds_.push_back(EntityKind(kind));
  }
  kinds_only_ = true;
  return true;
}

bool StageEntities::DecodeChunk(std::string_view chunk) {
  if (kinds_only_) return false;
  std::uint32_t count = 0;
  if (chunk.size() < 4) return false;
  std::memcpy(&count, chunk.data(), 4);
  chunk.remove_prefix(4);
  if (chunk.size() < std::size_t(count) * 5) return false;
  const std::string_view kinds = chunk.substr(0, count);
  const std::string_view lengths = chunk.substr(count, std::size_t(count) * 4);
  std::string_view ids = chunk.substr(std::size_t(count) * 5);
  for (std::uint32_t index = 0; index < count; ++index) {
    std::uint32_t length = 0;
    std::memcpy(&length, lengths.data() + std::size_t(index) * 4, 4);
    const auto kind = static_cast<std::uint8_t>(kinds[index]);
    if (length > ids.size() || kind > static_cast<std::uint8_t>(EntityKind::kPerson)) return false;
    Add(ids.substr(0, length), EntityKind(kind));
    ids.remove_prefix(length);
  }
  return ids.empty();
}

absl::StatusOr<std::optional<StageEntities>> LoadSavedStageEntities(store::Store& store,
                                                                   std::string_view run,
                                                                   bool with_ids) {
  if (run.empty() || !store.HasFamily(kStageEntitiesFamily)) return std::optional<StageEntities>();
  auto meta = store.Get(kStageEntitiesFamily, "meta");
  if (!meta.ok()) return meta.status();
  const std::string expected = std::string(run) + '\0';
  if (!meta->has_value() || !std::string_view(**meta).starts_with(expected)) {
    return std::optional<StageEntities>();
  }
  std::uint64_t count = 0;
  const std::string_view digits = std::string_view(**meta).substr(expected.size());
  std::from_chars(digits.data(), digits.data() + digits.size(), count);
  StageEntities entities;
  bool intact = true;
  auto status = store.ScanPrefix(kStageEntitiesFamily, "c", [&](std::string_view,
                                                                std::string_view value) {
    intact = with_ids ? entities.DecodeChunk(value) : entities.DecodeChunkKinds(value);
    return intact;
  });
  if (!status.ok()) return status;
  if (!intact || entities.size() != count) return std::optional<StageEntities>();
  return std::optional<StageEntities>(std::move(entities));
}

absl::StatusOr<StageEntities> ReadStageEntities(store::Store& store) {
  StageEntities entities;
  auto it = FamilyIterator(store, "entities");
  if (!it.ok()) return it.status();
  if (*it == nullptr) return entities;
  for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next()) {
    const std::string_view value = View((*it)->value());
    const std::string_view kind = value.substr(0, value.find(kField));
    entities.Add(View((*it)->key()), ParseEntityKind(kind).value_or(EntityKind::kUnknown));
  }
  if (auto status = IteratorStatus(it->get(), "reading entities"); !status.ok()) return status;
  return entities;
}

}  // namespace cg::core::engine
