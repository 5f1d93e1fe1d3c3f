// Entity resolution of a MentionTable into entities (the stage `resolve`).
//
//   Resolver resolver(options);
//   for (const Record& record : records) resolver.Add(record);   // streaming, any order
//   ResolveStats stats = resolver.Resolve();                    // full or incremental
//   resolver.entity_of()[m]  -> dense entity index (NodeId) of mention m
//   resolver.entity_ids()[e] -> stable id of entity e ("U:<uscc>", "P:<hex>", ...)
//   resolver.ExplainLink(a, b)
//
// 1. Deterministic keys: valid USCC; organization code (standalone or embedded in a USCC at
//    positions 9–17); valid 15-digit registration number; valid ID number (15 digits upgraded).
//    Weak (check-digit-failing) codes are never keys.
// 2. Blocking (name core and its one-deletion variants, trade name + county, phone, legal rep,
//    code thirds; persons: name + birth, name + county, birth + county, name + tied org) over
//    pairs where at least one side is not fully keyed; Fellegi–Sunter comparison patterns.
// 3. EM on the histogram of all candidate patterns (per class), term-frequency adjustment of
//    name equality, links at or above the match probability threshold.
// 4. Constraint-aware clustering in canonical order: key links (USCC, ID, org code, reg no, each
//    group a star on its member with the smallest fingerprint), then links by weight.
// Incremental: Resolve() compares only pairs that involve mentions added since the last call
// (block lists and pair patterns are kept); EM re-runs on the kept histogram and clustering is
// redone from the links, so the result equals a full recomputation on all mentions.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <absl/status/status.h>

#include "core/huge_pages.h"
#include "core/record.h"
#include "core/resolve/comparisons.h"
#include "core/resolve/fellegi_sunter.h"
#include "core/resolve/mentions.h"
#include "graph/types.h"

namespace cg::core::resolve {

struct ResolveOptions {
  /// Accept a probabilistic link at or above this match probability.
  double match_probability = 0.99;
  /// EM iterations (0 = use the given or initial parameters as they are).
  int em_iterations = 200;
  /// Fixed parameters (e.g. from an earlier run); EM starts from them when iterations > 0.
  std::optional<FsParams> org_params;
  std::optional<FsParams> person_params;
  /// A person mention without a key whose only fitting keyed entity (no second one within 4
  /// bits) is met at this pairwise probability or more links to it (closed world: the person a
  /// department names is one of those with an ID number). Never above match_probability.
  double unique_match_probability = 0.5;
  /// The same for organizations whose names agree but for region and form (name key equal or
  /// better; other organization links use unique_match_probability), lower: the market-entity
  /// registry is a closed world (every enterprise and individual business a department names is
  /// registered), persons are not. At SF=0.01 0.5 -> 0.1 gains organizations 0.0022 of recall
  /// for 0.0001 of precision.
  double org_unique_match_probability = 0.1;
  /// Random pairs per class from which u (P(level | non-match)) is estimated, as Splink's
  /// estimate_u_using_random_sampling does (its default max_pairs is 10⁶ too); EM then learns
  /// only m and the prior. 0: EM learns u as well (unstable when most candidate pairs match).
  /// With 400 000 the rare levels' u was noisy at SF=0.1 (37 060 unions refused by constraints,
  /// 5 800–8 400 with 1–4 million; precision and recall equal within 10⁻⁴).
  std::uint64_t u_samples = 1000000;
  /// Keyed mentions identical in every blocking and comparison field block once, through the
  /// one with the smallest fingerprint (same partition, fewer comparisons). Off: each blocks.
  bool block_identical_once = true;
  /// Keep the blocking keys after Resolve() for a later Resolve() on more mentions. Off (a
  /// caller that resolves once, then saves the state): they are freed as soon as the pairs are
  /// made, before the comparisons — at SF=0.1 some 1.7 GB off the peak.
  bool keep_blocking_keys = true;
  /// When the keys are not kept (above): a full run first gathers the keys some mention probes
  /// under (a cheap pass over the few mentions that can probe), then keeps only the entries of
  /// those keys — the blocks that can give pairs, a sixth of all entries at SF=0.1. The same
  /// pairs either way (tests compare the two); off: every entry is held while blocking.
  bool filter_unprobed_keys = true;
  /// Salt of the hash that turns an ID number into a person's entity id.
  std::string id_salt = "creditgraph-er-v1";
};

struct ResolveStats {
  std::uint64_t mentions = 0;
  std::uint64_t new_mentions = 0;       // compared in this call
  std::uint64_t comparisons = 0;        // candidate pairs scored in this call
  std::uint64_t total_pairs = 0;        // candidate pairs kept overall
  std::uint64_t block_entries = 0;      // blocking entries held (those of probed keys when filtered)
  std::uint64_t largest_block = 0;
  std::uint64_t skipped_blocks = 0;     // blocks over their size cap (too common to decide by)
  std::uint64_t skipped_members = 0;    // entries of those blocks
  std::uint64_t crossed_blocks = 0;     // blocks that crossed their size cap in an incremental call
  std::uint64_t dropped_pairs = 0;      // their earlier pairs that no other key gives
  std::uint64_t represented = 0;        // keyed mentions blocked through an identical one (this call)
  /// Candidate pairs each kind of blocking key gave (by tag, see docs/resolution.md), before the
  /// pairs two keys share are merged.
  std::map<std::string, std::uint64_t> pairs_by_key;
  std::uint64_t key_links = 0;          // unions made by deterministic keys
  std::uint64_t accepted_links = 0;     // probabilistic links at or above the threshold
  std::uint64_t refused_links = 0;      // links refused by the hard constraints
  std::uint64_t ambiguous_mentions = 0; // unkeyed mentions left alone: two keyed entities fit
  std::uint64_t unique_candidate_links = 0;  // links below match_probability to a sole candidate
  std::uint64_t written_name_links = 0;      // ambiguous mentions decided by the name as written
  std::uint64_t decided_by_other_side = 0;   // ambiguous mentions decided by their record's other side
  std::uint64_t entities = 0;
  double seconds_blocking = 0, seconds_em = 0, seconds_cluster = 0;
  // Parts of the above: comparing the blocked pairs (in blocking), the u and m samples (in em).
  double seconds_compare = 0, seconds_samples = 0;
};

/// One field of an explained comparison.
struct FieldExplanation {
  std::string field;
  int level = -1;  // -1: null (missing on a side)
  std::string level_name;
  double weight = 0;  // log2(m/u), TF adjustment included for the name field
};

struct LinkExplanation {
  std::string mention_a, mention_b;  // "source/rid/role"
  std::string entity_a, entity_b;
  bool same_entity = false;
  std::string key;                   // shared deterministic key ("uscc", "id_no", ...), if any
  std::string conflict;              // a hard constraint that keeps them apart, if any
  bool compared = false;             // a candidate pair of the blocking
  std::vector<FieldExplanation> fields;
  double prior_weight = 0, tf_adjustment = 0, total_weight = 0, probability = 0;
  bool accepted = false;             // probability >= threshold
  /// Human-readable text of all of the above.
  std::string ToString() const;
};

/// One resolved entity (for the entities table).
struct EntitySummary {
  std::string id;
  EntityKind kind = EntityKind::kUnknown;
  std::string uscc, org_code, reg_no, id_no, name, region;
  std::uint32_t mentions = 0;
};

class Resolver {
 public:
  /// The most mentions one resolver takes (blocking entries keep a mention id in 31 bits):
  /// 2 147 483 648, some 18 times a province of Shandong's size (SF=1: 119 M mentions).
  static constexpr std::size_t kMaxMentions = std::size_t{1} << 31;
  /// OK, or ResourceExhausted saying so when `mentions` is more than kMaxMentions.
  static absl::Status CheckCapacity(std::size_t mentions);

  explicit Resolver(ResolveOptions options = {});

  /// Streams one record in (one mention per non-empty side).
  void Add(const Record& record) { table_.Add(record); }
  MentionTable& mentions() { return table_; }
  const MentionTable& mentions() const { return table_; }

  /// Compares the mentions added since the last call, re-estimates, re-clusters. Callers check
  /// CheckCapacity(mentions().size()) first (more than kMaxMentions aborts).
  ResolveStats Resolve();

  /// Dense entity index of each mention; valid after Resolve(). Entities are numbered in the
  /// lexicographic order of their stable ids, so NodeId = position in entity_ids().
  const std::vector<NodeId>& entity_of() const { return entity_of_; }
  const std::vector<std::string>& entity_ids() const { return entity_ids_; }
  std::vector<EntitySummary> Entities() const;
  /// fn(entity, summary) for every entity in NodeId order, summaries made a block at a time (for
  /// a caller that writes them out: no vector of millions of summaries).
  void ForEachEntity(const std::function<void(NodeId, const EntitySummary&)>& fn) const;

  const FsParams& org_params() const { return org_params_; }
  const FsParams& person_params() const { return person_params_; }

  /// What an incremental run resumes from, as bytes (valid right after Resolve()): each resolved
  /// mention's fingerprint and digest, the compared pairs (by fingerprint), the representatives
  /// of identical keyed mentions and the digest of the options that shape blocking. Not the
  /// mentions themselves: the caller re-adds them from its records.
  std::string SaveState() const;
  /// The same bytes handed to `sink` in consecutive pieces of about `piece_bytes` (for a caller
  /// that writes them out as they come: the whole state is never held).
  void SaveState(const std::function<void(std::string_view)>& sink, std::size_t piece_bytes = std::size_t{32} << 20) const;
  /// Frees the blocking keys (most of the memory after Resolve()); a later Resolve() on more
  /// mentions then re-blocks everything (same result, full cost).
  void ReleaseBlocking();
  /// Frees everything but the mentions and their entities (blocking keys, compared pairs,
  /// representatives, term frequencies): for a caller that has saved the state and only writes
  /// the result now. A later Resolve() starts over, as after ReleaseBlocking().
  void ReleaseLinking();
  /// Resumes from SaveState()'s bytes. The caller has re-added the saved mentions as the first
  /// `old_mentions` of the table (in any order) and the new ones after them. The saved pairs and
  /// representatives are mapped to the current mention ids and the old mentions' blocking keys
  /// rebuilt (their pairs are not: that is what the state saves), so the next Resolve() blocks
  /// and compares only the new mentions — and gives what a full run over all of them gives.
  /// FailedPrecondition when the old mentions are not exactly the saved ones (a record removed,
  /// or re-read with another identity), or the state was saved with other options or an older
  /// format: the caller resolves everything instead. InvalidArgument for bytes that do not parse.
  absl::Status RestoreState(std::string_view state, std::size_t old_mentions);

  LinkExplanation ExplainLink(MentionId a, MentionId b) const;
  /// The mention of (source, rid, role), if present.
  std::optional<MentionId> FindMention(std::string_view source, std::string_view rid,
                                       Role role) const;

 private:
  // One blocking key of one mention; `probe`: the mention looks for matches under this key
  // (else it is only a target). The key's top byte is its tag (which kind of key, for caps).
  // 12 bytes (packed: the key at 4-byte alignment, the probe flag in the mention's top bit):
  // tens of millions of them live at once, twice while they are sorted.
#pragma pack(push, 4)
  struct BlockEntry {
    std::uint64_t key;
    MentionId mention : 31;
    MentionId probe : 1;
  };
#pragma pack(pop)
  static_assert(sizeof(BlockEntry) == 12);
  // The entries' order: by key, then mention. A function object, not a function: the sorts it
  // is handed to inline it (a function pointer cost an indirect call per comparison).
  struct EntryOrder {
    bool operator()(const BlockEntry& x, const BlockEntry& y) const {
      return x.key != y.key ? x.key < y.key : x.mention < y.mention;
    }
  };
  static constexpr EntryOrder EntryBefore{};
  struct Pair {
    MentionId a, b;
    Pattern pattern;
  };
  // Arrays of tens of millions (keys, pairs) read and scattered at random: on huge pages, and
  // sized without a zeroing pass (core/huge_pages.h).
  using BlockEntries = HugeBuffer<BlockEntry>;
  using Pairs = HugeBuffer<Pair>;
  // Blocks mentions [begin, size) against all earlier ones (pairs into `out`); a block that
  // crosses its size cap drops its earlier pairs from pairs_ (DropCrossedPairs).
  void BlockNew(std::size_t begin, Pairs* out, ResolveStats* stats);
  // A set of blocking keys as a bitmap over their hashes: no key of the set is missed, and a few
  // keys outside it are taken for members (a block with no probe gives no pair whatever its
  // size, so keeping such a block's entries changes nothing).
  class KeyFilter;
  // The keys some mention of [begin, end) probes under (represented ones left out): only the
  // mentions without their class's primary key, or with weak codes, probe under any key.
  KeyFilter ProbedKeys(std::size_t begin, std::size_t end, const std::vector<char>& represented) const;
  // The blocking keys of mentions [begin, end), as BlockNew computes them (represented ones left
  // out), sorted by (key, mention); with `only`, just the keys in that set; with `probed`, just
  // the keys that filter holds (the entries of blocks that can give pairs).
  BlockEntries KeysOf(std::size_t begin, std::size_t end, const std::vector<char>& represented,
                      const absl::flat_hash_set<std::uint64_t>* only = nullptr,
                      const KeyFilter* probed = nullptr) const;
  // A resumed run's old blocking entries: those of the keys `keys` (sorted), merged into entries_.
  void AddOldKeys(const absl::flat_hash_set<std::uint64_t>& keys);
  // Whether a shared key of tag `tag` gives the pair (x, y): not left to another key, not the
  // same record, not two strong codes of one type (keys and constraints decide those).
  bool KeyGivesPair(char tag, MentionId x, MentionId y) const;
  // Per mention, what KeyGivesPair reads most: which strong code types it has (bits: USCC, ID
  // number, org code, reg. no.), the id of its core name and a hash of its record. Built for BlockNew, freed after.
  struct PairFilter {
    HugeVector<std::uint8_t> code_mask;
    HugeVector<std::uint32_t> core_id;      // the core name's id in its column (equal ids, equal names)
    HugeVector<std::uint16_t> record_hash;  // of (source, rid): two sides of one record, equal
    void Build(const MentionTable& table);
  };
  PairFilter pair_filter_;
  // Blocks that crossed their cap in this call: drops their earlier pairs but those another key
  // still gives (the pairs a full run would have).
  void DropCrossedPairs(const absl::flat_hash_set<std::uint64_t>& crossed,
                        const BlockEntries& fresh, ResolveStats* stats);
  // Marks the mentions [begin, size) that an identical keyed mention represents in blocking.
  std::vector<char> Represented(std::size_t begin, ResolveStats* stats);
  void ComputeTf();
  // (fingerprint, digest, mention) of mentions [0, count), sorted: the saved state's order.
  std::vector<std::tuple<std::uint64_t, std::uint64_t, MentionId>> ByFingerprint(std::size_t count) const;
  // Digest of the state format and the options that shape blocking (see SaveState()).
  std::uint64_t OptionsDigest() const;
  class VariantCache;  // deletion-variant hashes per distinct core name (resolver.cc)
  friend std::vector<std::vector<std::uint64_t>> BlockingKeysForTesting(const MentionTable& table, bool cached);
  friend std::vector<std::pair<MentionId, MentionId>> USamplePairsForTesting(const Resolver& resolver, KindClass klass);
  friend std::vector<std::pair<MentionId, MentionId>> KeyPairsForTesting(const Resolver& resolver, KindClass klass);
  using MentionPairs = std::vector<std::pair<MentionId, MentionId>>;
  // Random pairs of the class for u (deterministic, independent of the input order).
  MentionPairs SamplePairs(KindClass klass) const;
  // The pairs the class's primary key (USCC, ID number) links, for m and the prior.
  struct KeyPairs {
    MentionPairs labelled;     // consecutive members of each key group, evenly thinned
    double key_pairs = 0;      // all pairs the key links
    std::uint64_t class_size = 0, keyed = 0;
    bool enough = false;       // enough labelled pairs to learn from
  };
  KeyPairs LabelledPairs(KindClass klass) const;
  // u from the sample pairs' patterns (rows_ built for them).
  std::vector<std::vector<double>> EstimateU(const MentionPairs& sample, const FsParams& start) const;
  // m and the prior from the labelled pairs (rows_ built for them).
  void EstimateFromKeys(const KeyPairs& keys, FsParams* params) const;
  double TfAdjustment(MentionId a, MentionId b, Pattern pattern) const;
  double LinkWeight(MentionId a, MentionId b, Pattern pattern) const;
  void Cluster(ResolveStats* stats);
  std::string StableId(std::span<const MentionId> members) const;

  ResolveOptions options_;
  MentionTable table_;
  // The mentions' comparison fields as rows (built by Resolve(), released when it returns).
  CompareRows rows_;
  std::size_t resolved_ = 0;  // mentions already blocked and compared
  bool released_ = false;     // ReleaseBlocking() dropped entries_: the next Resolve() starts over
  // RestoreState() left the old mentions' keys unmade: the next BlockNew makes only those of the
  // keys new mentions carry (and of the members of blocks that cross their cap), not all of them.
  bool old_keys_deferred_ = false;
  std::vector<char> old_represented_;  // [old mention]: represented by an identical one (no keys)
  BlockEntries entries_;  // all blocking keys so far, sorted by (key, mention)
  // Content hash -> the keyed mention that stands for every identical one in blocking: sorted
  // by content, one per content (12 bytes each; a hash map of tens of millions was a serial
  // 16 s to fill at SF=1 and twice the memory).
#pragma pack(push, 4)
  struct Representative {
    std::uint64_t content;
    MentionId m;
  };
#pragma pack(pop)
  HugeVector<Representative> representatives_;
  // The representative of `content`, or null.
  const Representative* FindRepresentative(std::uint64_t content) const;
  // Sorted by content, the first of each content kept (the order they were given in).
  static void SortRepresentatives(HugeVector<Representative>* list);
  Pairs pairs_;
  FsParams org_params_, person_params_;
  absl::flat_hash_map<std::uint64_t, double> tf_;  // class-tagged core hash -> relative tf
  double tf_mean_[2] = {0, 0};
  std::vector<NodeId> entity_of_;
  std::vector<std::string> entity_ids_;
};

/// The blocking keys of each mention of `table` (each mention's sorted), made as Resolve() makes them (`cached`: the deletion variants of
/// each distinct name made once) or mention by mention (as incremental runs re-make old keys).
/// For tests: the two must agree.
std::vector<std::vector<std::uint64_t>> BlockingKeysForTesting(const MentionTable& table, bool cached);

/// The random pairs of class `klass` from which Resolve() estimates u (for tests).
std::vector<std::pair<MentionId, MentionId>> USamplePairsForTesting(const Resolver& resolver, KindClass klass);

/// The key-linked pairs of class `klass` from which Resolve() estimates m (for tests).
std::vector<std::pair<MentionId, MentionId>> KeyPairsForTesting(const Resolver& resolver, KindClass klass);

/// The entity summaries ForEachEntity() gives, made the obvious way (each entity's mentions
/// gathered and voted on). For tests.
std::vector<EntitySummary> EntitySummariesReferenceForTesting(const Resolver& resolver);

/// The stable id of a person's ID number: "P:" + 16 hex digits of a salted XXH3 hash.
std::string PersonEntityId(std::string_view id_no, std::string_view salt);

}  // namespace cg::core::resolve
