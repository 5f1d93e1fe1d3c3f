// Fast sequential reads for the stages after resolve (graph, propagate, score): the engine's
// glue between the store and the stage kernels.
//
//   RecordNodes    the subject and party NodeId of every record of one kind, as two columns in
//                  the kind's key order, derived by ONE merge join of the kind's record keys with
//                  CF mentions (both sorted by source \0 rid), instead of one string-keyed hash
//                  lookup per record side.
//   ScanRecords    every record of a kind in key order with its NodeIds: one sequential iterator
//                  with readahead reads raw values in batches, TBB decodes the batches in
//                  parallel, the visitor sees them serially in key order (tbb::parallel_pipeline).
//                  With a field mask only those fields are decoded (store::DecodeRecordFields):
//                  a stage names what its visitor reads.
//   StageEntities  the entities' kinds and ids in NodeId order (ids packed in one buffer),
//                  without the full EntityTable and its by-key hash map.
//
// Consistency: a RecordNodes carries the count and an XXH3 hash of the keys it was derived
// from; ScanRecords recomputes both and fails if the records changed in between.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/record.h"
#include "core/store/record_codec.h"
#include "core/store/store.h"
#include "graph/types.h"

namespace cg::core::engine {

/// A NodeId as 4 big-endian bytes: the value of CF `mentions` (the entity's position in the
/// sorted entity ids of the resolve run that every later stage reads) and of score chunk keys.
std::string EncodeNode(NodeId node);
/// The inverse; kNoNode when the value is not 4 bytes.
NodeId DecodeNode(std::string_view bytes);

/// Subject and party NodeIds of the records of one kind, in key order (kNoNode: no resolved
/// entity on that side).
struct RecordNodes {
  RecordKind kind = RecordKind::kRegistry;
  std::vector<NodeId> subject;
  std::vector<NodeId> party;
  std::uint64_t key_hash = 0;  // XXH3 of the keys, in order (see KeyHasher in stage_scan.cc)
  std::size_t size() const { return subject.size(); }
};

/// NodeId columns as saved in CF record_nodes (the stage that derives them saves them, later
/// stages and processes load them): "<kind>/meta" = run \0 count \0 key hash (decimal),
/// "<kind>/c<BE64 n>" = up to kRecordNodeChunk (subject, party) pairs as u32 little-endian.
inline constexpr std::string_view kRecordNodes = "record_nodes";
inline constexpr std::size_t kRecordNodeChunk = std::size_t{1} << 20;
/// The (key, value) pairs of CF record_nodes for `nodes` of resolve/ingest run `run`.
std::vector<std::pair<std::string, std::string>> EncodeRecordNodes(const RecordNodes& nodes,
                                                                   std::string_view run);

/// Merge join of the records of `kind` with CF mentions. NodeIds >= num_entities read as kNoNode.
absl::StatusOr<RecordNodes> DeriveRecordNodes(store::Store& store, RecordKind kind,
                                              NodeId num_entities);

/// Calls visit(record, subject, party) for every record of `kind` in key order; decoding runs in
/// parallel. Fails (Internal) when the records are not the ones `nodes` was derived from.
absl::Status ScanRecords(
    store::Store& store, const RecordNodes& nodes,
    const std::function<void(const Record& record, NodeId subject, NodeId party)>& visit);
/// The same, decoding only `fields` of each record (the others keep their defaults).
absl::Status ScanRecords(
    store::Store& store, const RecordNodes& nodes, store::RecordFieldMask fields,
    const std::function<void(const Record& record, NodeId subject, NodeId party)>& visit);

/// The entities of one resolve run: kind and id per NodeId (CF entities, in key order).
class StageEntities {
 public:
  NodeId size() const { return NodeId(kinds_.size()); }
  const std::vector<EntityKind>& kinds() const { return kinds_; }
  /// False for a table loaded with kinds only (LoadSavedStageEntities(…, with_ids = false)):
  /// id, Find, Add and Encode are then not available.
  bool has_ids() const { return !kinds_only_; }
  std::string_view id(NodeId node) const {
    return std::string_view(ids_).substr(offsets_[node], offsets_[node + 1] - offsets_[node]);
  }
  /// The NodeId of an entity id (binary search: ids are in NodeId order); kNoNode if none.
  NodeId Find(std::string_view id) const;
  void Add(std::string_view id, EntityKind kind);

  /// The stored form, for CF stage_entities (saved by the first stage of a resolve run, so a
  /// later stage reads a few large values instead of iterating every key of CF entities):
  /// "meta" = run \0 count, "c<BE64 n>" = chunk n of up to 65,536 entities: u32 count, the
  /// kinds (one byte each), the ids' lengths (u32 each), the ids' bytes.
  std::vector<std::pair<std::string, std::string>> Encode(std::string_view run) const;
  /// Appends one chunk written by Encode; false if it is malformed.
  bool DecodeChunk(std::string_view chunk);
  /// The same keeping only the kinds (the score stage reads nothing else: at SF=1 the ids are
  /// ~0.9 GB with their offsets); false if malformed or the table holds ids.
  bool DecodeChunkKinds(std::string_view chunk);

 private:
  std::vector<EntityKind> kinds_;
  std::string ids_;
  std::vector<std::uint64_t> offsets_{0};
  bool kinds_only_ = false;
};

absl::StatusOr<StageEntities> ReadStageEntities(store::Store& store);
/// The entities saved in CF stage_entities for `run`, or nullopt when none are (or they do not
/// add up): then ReadStageEntities.
/// With `with_ids` false only the kinds are kept (has_ids() is false).
absl::StatusOr<std::optional<StageEntities>> LoadSavedStageEntities(store::Store& store,
                                                                   std::string_view run,
                                                                   bool with_ids = true);
inline constexpr std::string_view kStageEntitiesFamily = "stage_entities";

}  // namespace cg::core::engine
