// Fact columns: the scoring facts of every record of one kind (scoring::FactRow: subject kind,
// record key hash, two dates, two texts, one small code), as compact columns in the kind's key
// order, beside the kind's RecordNodes.
//
// The first stage after resolve that scans a kind's records (graph for registry, propagate for
// list/penalty/rating, score for license/commitment) derives the columns on the side of its
// scan and saves them with its commit in CF `record_facts`, tied to the resolve and ingest runs
// exactly like CF `record_nodes` (and to the same key count and key hash). Every later score run
// reads ~26 bytes a record from these columns instead of decoding the records (~300 bytes, 60
// fields), which is what makes a province's score stage a matter of seconds.
//
// Stored form ("<kind>/" prefix in CF record_facts):
//   meta          run \0 count \0 key hash (decimal; the RecordNodes' count and key hash)
//   dict          the kind's distinct texts, each varint length + bytes (code 0 is "")
//   c<BE64 n>     chunk n of up to kFactChunkRows rows, column after column, little-endian:
//                 u64 key, i32 date, i32 until, u32 code, u32 text, u8 subject kind, u8 sub
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/record.h"
#include "core/scoring/input.h"
#include "core/scoring/restriction_counts.h"
#include "core/store/record_codec.h"
#include "graph/types.h"

namespace cg::core::engine {

inline constexpr std::string_view kRecordFacts = "record_facts";
inline constexpr std::size_t kFactChunkRows = std::size_t{1} << 16;

/// True for the kinds whose records become scoring facts or entity attributes (registry, list,
/// penalty, license, commitment, rating).
bool IsFactKind(RecordKind kind);

/// The record fields scoring::FactRowOf reads: a scan that decodes these (and its own) can
/// derive the fact columns on the side.
store::RecordFieldMask FactFields();

class FactColumns {
 public:
  explicit FactColumns(RecordKind kind = RecordKind::kRegistry) : kind_(kind) { dict_.emplace_back(); }

  RecordKind kind() const { return kind_; }
  std::size_t size() const { return key_.size(); }
  /// Count and key hash of the records the rows came from (RecordNodes' figures).
  std::uint64_t key_hash() const { return key_hash_; }
  void set_key_hash(std::uint64_t hash) { key_hash_ = hash; }

  void Append(const scoring::FactRow& row);
  /// Row `index`; its texts view this object's dictionary (valid until the next Append).
  scoring::FactRow Row(std::size_t index) const;
  /// Every row at once, for ScoringInput::AddBatch; `subjects` is the kind's RecordNodes
  /// subject column (same length). Views this object (valid until the next Append).
  scoring::FactBatch Batch(std::span<const NodeId> subjects) const;

  /// "<kind>/meta", "<kind>/dict" and the chunks, as (key, value) pairs for CF record_facts.
  std::vector<std::pair<std::string, std::string>> Encode(std::string_view run) const;
  /// The columns saved for `run`; nullptr when none are saved for this run (or the saved ones
  /// do not add up: they are derived again). `scan(prefix, visit)` reads CF record_facts.
  using Scan = std::function<absl::Status(
      std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit)>;
  static absl::StatusOr<std::unique_ptr<FactColumns>> Decode(RecordKind kind,
                                                             std::string_view run,
                                                             const Scan& scan);

 private:
  std::uint32_t Code(std::string_view text);

  RecordKind kind_;
  std::uint64_t key_hash_ = 0;
  std::vector<std::uint64_t> key_;
  std::vector<Date> date_, until_;
  std::vector<std::uint32_t> code_, text_;
  std::vector<std::uint8_t> subject_kind_, sub_;
  std::vector<std::string> dict_;
  absl::flat_hash_map<std::string, std::uint32_t> dict_index_;
};

// Restriction pieces (scoring::RestrictionPiece: entity, measure index, start, end, effect; the
// restrictions that are not withheld), saved by the propagate stage beside its restriction rows
// so that a score run counts them at its as_of without parsing the rows. CF score_inputs:
//   restrictions/meta          count (decimal)
//   restrictions/c<BE64 n>     chunk n of up to kFactChunkRows pieces, column after column,
//                              little-endian: u32 entity, u32 measure, i32 start, i32 end, u8 effect
inline constexpr std::string_view kScoreInputs = "score_inputs";
inline constexpr std::string_view kRestrictionPiecesPrefix = "restrictions/";

/// The (key, value) pairs of CF score_inputs for `pieces`.
std::vector<std::pair<std::string, std::string>> EncodeRestrictionPieces(
    std::span<const scoring::RestrictionPiece> pieces);
/// The saved pieces; std::nullopt when none are saved or they do not add up (the caller then
/// reads the restriction rows). `scan(prefix, visit)` reads CF score_inputs.
absl::StatusOr<std::optional<std::vector<scoring::RestrictionPiece>>> DecodeRestrictionPieces(
    const FactColumns::Scan& scan);

// The related-party graph of scoring.md §3 (scoring::RelatedGraph), saved by the propagate stage
// (which loads the engine graph anyway) so that a score run neither loads the engine graph nor
// rebuilds the undirected graph from it. CF score_inputs:
//   related/meta           nodes \0 adjacency entries (decimal)
//   related/d<BE64 n>      degrees of nodes [n·2^20, (n+1)·2^20), u32 little-endian
//   related/a<BE64 n>      adjacency entries [n·2^20, (n+1)·2^20), u32 little-endian
inline constexpr std::string_view kRelatedGraphPrefix = "related/";

std::vector<std::pair<std::string, std::string>> EncodeRelatedGraph(
    const scoring::RelatedGraph& related);
/// The saved graph; std::nullopt when none is saved or it does not add up.
absl::StatusOr<std::optional<scoring::RelatedGraph>> DecodeRelatedGraph(
    const FactColumns::Scan& scan);

}  // namespace cg::core::engine
