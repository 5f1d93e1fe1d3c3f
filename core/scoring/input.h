// ScoringInput: the compact per-entity fact store that scoring reads (scoring.md §2–§3).
// Records are streamed in with the dense NodeId of their subject (Add); each dated fact (list
// entry, penalty, licence, commitment, rating) becomes one 32-byte Fact with its active interval
// already resolved, so an indicator is a scan over the entity's facts:
//   list       [listed_on, min(removed_on, listed_on + max_years)), empty when disputed; each
//              escalation of measures.md §4 adds one more fact (core/measures/list_activity.h)
//   penalty    [decided_on, decided_on + max_years)
//   license    [granted_on, valid_until)  (open if valid_until is empty)
//   commitment [made_on, forever)
//   rating     [rated_on, forever), cut at query time by the entity's next rating of the scheme
// Facts are kept sorted by entity (CSR: offsets + one array); entities changed after Finalize()
// live in an overlay that replaces their base slice, which is how incremental updates work.
// Per-entity attributes (kind, est_date, region, industry), the restriction counts from the
// measures stage, and the undirected related-party graph (scoring.md §3) live here too.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/measures/list_activity.h"
#include "core/record.h"
#include "core/scoring/model.h"
#include "graph/csr_graph.h"
#include "graph/types.h"

namespace cg::core::scoring {

/// Catalog-level parameters of measures.md §4 that scoring uses.
struct ScoringParams {
  int max_years = measures::kDefaultMaxYears;
  std::vector<measures::Escalation> escalations;
  /// Lists the measures catalog declares (its `lists:` section: a code outside catalog.md §5,
  /// or another polarity/domain for one of them). They win over catalog.md §5 for the
  /// `polarity` and `domain` filters and for related_risk's black-listed nodes, as they do for
  /// the measures' key supervision (docs/measures.md).
  struct DeclaredList {
    std::string code;
    Polarity polarity = Polarity::kUnknown;
    std::string domain;
  };
  std::vector<DeclaredList> lists;
  /// Keep each entity's registry region and industry (for the summaries by city and industry;
  /// scoring itself never reads them). Off, their texts are still interned in the same order,
  /// so every code, hence every result, is the same: the engine's score stage saves 8 bytes a
  /// node (~270 MB at SF=1).
  bool keep_region_industry = true;
};

/// An interned text (list code, scheme, domain, grade); kNoCode for "none".
using CodeId = std::uint32_t;
inline constexpr CodeId kNoCode = 0xffffffffu;

/// One dated fact of one entity.
struct Fact {
  std::uint64_t key = 0;  // hash of (source, rid): identifies the record for updates
  Date date = kNoDate;    // listed_on (escalated: moved listed_on), decided_on, granted_on, ...
  Date start = kForever;  // active interval [start, end); start == kForever: never active
  Date end = kForever;
  CodeId code = kNoCode;    // list: list code; rating: scheme
  CodeId domain = kNoCode;  // penalty, license: domain; list: the list's domain (catalog §5)
  CodeId grade = kNoCode;   // rating: grade
  RecordKind kind = RecordKind::kList;
  std::uint8_t sub = 0;     // penalty: Severity; commitment: CommitmentStatus; list: Polarity
};

/// What ScoringInput reads of one record, and nothing more: the record reduced to the fields
/// that the facts of scoring.md §2 are made of. Texts are views (into the record, or into a
/// stored column's dictionary). FactRowOf(record) then Add(row) is exactly Add(record); the
/// engine stores these rows as compact per-kind columns (core/engine/fact_columns.h) so that a
/// later score run does not decode the records again.
struct FactRow {
  RecordKind kind = RecordKind::kRegistry;
  EntityKind subject_kind = EntityKind::kUnknown;
  std::uint64_t key = 0;  // ScoringInput::RecordKey(source, rid); 0 for registry rows
  Date date = kNoDate;     // registry est_date, list listed_on, penalty decided_on, license
                           // granted_on, commitment made_on, rating rated_on
  Date until = kNoDate;    // list removed_on, license valid_until
  std::string_view code;   // registry region, list code, rating scheme
  std::string_view text;   // registry industry, penalty / license domain, rating grade
  std::uint8_t sub = 0;    // list disputed, penalty Severity, commitment CommitmentStatus
};
/// The FactRow of a record (any kind; kinds scoring ignores give a row Add ignores).
FactRow FactRowOf(const Record& record);

/// Many FactRows of one record kind as columns (what the engine's fact columns hold): row i is
/// {kind, subject_kind[i], key[i], date[i], until[i], dict[code[i]], dict[text[i]], sub[i]},
/// for the entity subject[i] (kNoNode: the row is skipped). Every span has the same length;
/// every code and text is an index into `dict`.
struct FactBatch {
  RecordKind kind = RecordKind::kRegistry;
  std::span<const std::string> dict;
  std::span<const NodeId> subject;
  std::span<const std::uint8_t> subject_kind;  // EntityKind
  std::span<const std::uint64_t> key;
  std::span<const Date> date, until;
  std::span<const std::uint32_t> code, text;
  std::span<const std::uint8_t> sub;
};

/// Number of distinct measures binding an entity at as_of with one effect (from measures).
struct RestrictionCount {
  NodeId entity = kNoNode;
  Effect effect = Effect::kPunish;
  std::uint32_t count = 0;
};

/// Undirected related-party graph of scoring.md §3: sorted, duplicate-free, no self-loops.
/// Base CSR plus an overlay of replaced neighbour lists (for incremental new edges).
class RelatedGraph {
 public:
  RelatedGraph() = default;
  /// From the engine graph: legal_rep, officer, shareholder, branch and guarantee edges,
  /// either direction, parallel edges collapsed, self-loops dropped (parallel, TBB).
  static RelatedGraph FromCsr(const CsrGraph& graph);
  /// A graph from a base CSR as base_offsets()/base_adjacency() gave it (how the engine saves
  /// it); std::nullopt unless the offsets start at 0, never descend and end at the adjacency's
  /// size, and every neighbour is a node.
  static std::optional<RelatedGraph> FromBase(std::vector<std::uint64_t> offsets,
                                              std::vector<NodeId> adjacency);
  /// The base CSR (without the edges added since): num_nodes + 1 offsets, and the adjacency.
  std::span<const std::uint64_t> base_offsets() const { return offsets_; }
  std::span<const NodeId> base_adjacency() const { return adjacency_; }

  NodeId num_nodes() const { return num_nodes_; }
  std::span<const NodeId> neighbors(NodeId node) const;
  std::size_t degree(NodeId node) const { return neighbors(node).size(); }
  /// True once AddEdge replaced some node's list (neighbors() then looks the overlay up).
  bool has_overlay() const { return !overlay_.empty(); }
  /// Adds the undirected edge {a, b} (no-op for a == b or an existing edge); true if added.
  bool AddEdge(NodeId a, NodeId b);
  void EnsureNodes(NodeId num_nodes);
  std::size_t num_undirected_edges() const;

 private:
  NodeId num_nodes_ = 0;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<NodeId> adjacency_;
  absl::flat_hash_map<NodeId, std::vector<NodeId>> overlay_;
};

class ScoringInput {
 public:
  explicit ScoringInput(ScoringParams params = {});

  /// Streams one record whose subject resolved to `subject`. Registry records set the
  /// entity's kind, est_date, region and industry; dated kinds become facts; every record
  /// sets the subject's kind if it states one. Records of other kinds are ignored.
  void Add(const Record& record, NodeId subject);
  /// The same from the record's FactRow (what the engine reads from its fact columns).
  void Add(const FactRow& row, NodeId subject);
  /// Add(row, subject) for every row of the batch with a subject, in row order, with the same
  /// result (same facts, same attributes, same interned codes); before Finalize() the facts are
  /// made in parallel (TBB), only the attributes and the first sight of each text are serial.
  void AddBatch(const FactBatch& batch);
  /// Removes every fact of `subject` that came from (source, rid); returns how many.
  std::size_t Remove(std::string_view source, std::string_view rid, NodeId subject);

  void SetKind(NodeId entity, EntityKind kind);
  /// SetKind(node, kinds[node]) for every node of the span, at once.
  void SetKinds(std::span<const EntityKind> kinds);
  void SetEstDate(NodeId entity, Date est_date);
  void SetRegion(NodeId entity, std::string_view region);
  void SetIndustry(NodeId entity, std::string_view industry);
  /// Replaces the restriction counts of the listed (entity, effect) pairs.
  void SetRestrictions(std::span<const RestrictionCount> counts);
  /// Builds the undirected related-party graph from the engine graph.
  void SetRelatedGraph(const CsrGraph& graph);
  /// The same with a related-party graph built before (RelatedGraph::FromCsr or FromBase).
  void SetRelatedGraph(RelatedGraph related);
  RelatedGraph& related() { return related_; }
  const RelatedGraph& related() const { return related_; }

  /// Sorts the facts added so far into the per-entity store (also called by the Scorer).
  void Finalize();

  NodeId num_nodes() const { return num_nodes_; }
  /// The entity's facts, in the order they were added (base then later additions).
  std::span<const Fact> facts(NodeId entity) const;
  EntityKind kind(NodeId entity) const {
    return entity < kind_.size() ? kind_[entity] : EntityKind::kUnknown;
  }
  Date est_date(NodeId entity) const {
    return entity < est_date_.size() ? est_date_[entity] : kNoDate;
  }
  std::string_view region(NodeId entity) const;
  std::string_view industry(NodeId entity) const;
  std::uint32_t restrictions(NodeId entity, Effect effect) const;

  /// Interns a text (adds it to the dictionary); Lookup does not add.
  CodeId Intern(std::string_view text);
  CodeId Lookup(std::string_view text) const;
  std::string_view Text(CodeId code) const { return texts_[code]; }
  const ScoringParams& params() const { return params_; }
  /// Organizations (enterprise, individual business, organization), ascending.
  std::vector<NodeId> Organizations() const;

  static std::uint64_t RecordKey(std::string_view source, std::string_view rid);

 private:
  void Grow(NodeId entity);
  std::vector<Fact>& Mutable(NodeId entity);
  void MakeFacts(const FactRow& row, std::vector<Fact>& out);
  /// Polarity and domain of a list code: params().lists, else catalog.md §5, else unknown.
  std::pair<Polarity, std::string_view> ListPolarityAndDomain(std::string_view code) const;
  void AddBatchRegistry(const FactBatch& batch);

  ScoringParams params_;
  NodeId num_nodes_ = 0;
  std::vector<EntityKind> kind_;
  std::vector<Date> est_date_;
  std::vector<CodeId> region_;
  std::vector<CodeId> industry_;
  absl::flat_hash_map<NodeId, std::array<std::uint32_t, kNumEffects>> restrictions_;
  // One bit per entity: set when restrictions_ holds it (most organizations are not bound by
  // any measure: the batch then skips the hash lookup, a cache miss on a large map).
  std::vector<std::uint64_t> restricted_;
  // Finalize() also lays the counts out in entity order, found by rank (set bits before the
  // entity's: restricted_rank_ per word + a popcount): no hash lookup in the batch. Any later
  // SetRestrictions (incremental) drops this form and the map answers again.
  std::vector<std::uint32_t> restricted_rank_;
  std::vector<std::array<std::uint32_t, kNumEffects>> restricted_counts_;
  bool restrictions_ranked_ = false;
  // The ranked form was built straight from counts sorted by entity (the stage's first
  // SetRestrictions): restrictions_ is empty until a later SetRestrictions refills it.
  bool ranked_only_ = false;
  void RankRestrictions();
  bool RankSortedRestrictions(std::span<const RestrictionCount> counts);

  // facts: pending (entity, fact) pairs until Finalize, then CSR + overlay
  std::vector<std::pair<NodeId, Fact>> pending_;
  std::vector<std::uint64_t> fact_offsets_{0};
  std::vector<Fact> facts_;
  absl::flat_hash_map<NodeId, std::vector<Fact>> overlay_;
  bool finalized_ = false;

  std::vector<Fact> scratch_;  // Add's facts of one record
  absl::flat_hash_map<std::string, CodeId> codes_;
  std::vector<std::string> texts_;
  RelatedGraph related_;
};

}  // namespace cg::core::scoring
