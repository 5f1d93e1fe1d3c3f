// ScoringInput and RelatedGraph (see input.h).
#include "core/scoring/input.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <atomic>
#include <cassert>
#include <memory>
#include <tuple>

#include "core/labels.h"

namespace cg::core::scoring {
namespace {

bool FactLess(const Fact& left, const Fact& right) {
  return std::tie(left.kind, left.date, left.start, left.end, left.code, left.domain, left.grade,
                  left.sub, left.key) < std::tie(right.kind, right.date, right.start, right.end,
                                                 right.code, right.domain, right.grade,
                                                 right.sub, right.key);
}

bool RelatedLabel(Label label) {
  switch (static_cast<EdgeLabel>(label)) {
    case EdgeLabel::kLegalRep:
    case EdgeLabel::kOfficer:
    case EdgeLabel::kShareholder:
    case EdgeLabel::kBranch:
    case EdgeLabel::kGuarantee:
      return true;
    default:
      return false;
  }
}

}  // namespace

// ---------------------------------------------------------------- RelatedGraph

RelatedGraph RelatedGraph::FromCsr(const CsrGraph& graph) {
  RelatedGraph related;
  const NodeId n = graph.num_nodes();
  related.num_nodes_ = n;
  auto gather = [&graph](NodeId node, std::vector<NodeId>& out) {
    out.clear();
    for (EdgeIdx edge = graph.out_begin(node); edge < graph.out_end(node); ++edge) {
      if (RelatedLabel(graph.label(edge)) && graph.head(edge) != node) {
        out.push_back(graph.head(edge));
      }
    }
    auto tails = graph.in_neighbors(node);
    auto edges = graph.in_edge_ids(node);
    for (std::size_t position = 0; position < tails.size(); ++position) {
      if (RelatedLabel(graph.label(edges[position])) && tails[position] != node) {
        out.push_back(tails[position]);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  };
  std::vector<std::uint64_t> degree(n + 1, 0);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    std::vector<NodeId> scratch;
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      gather(node, scratch);
      degree[node + 1] = scratch.size();
    }
  });
  for (NodeId node = 0; node < n; ++node) degree[node + 1] += degree[node];
  related.offsets_ = std::move(degree);
  related.adjacency_.resize(related.offsets_[n]);
  tbb::parallel_for(tbb::blocked_range<NodeId>(0, n), [&](const tbb::blocked_range<NodeId>& range) {
    std::vector<NodeId> scratch;
    for (NodeId node = range.begin(); node < range.end(); ++node) {
      gather(node, scratch);
      std::copy(scratch.begin(), scratch.end(),
                related.adjacency_.begin() + std::ptrdiff_t(related.offsets_[node]));
    }
  });
  return related;
}

std::optional<RelatedGraph> RelatedGraph::FromBase(std::vector<std::uint64_t> offsets,
                                                   std::vector<NodeId> adjacency) {
  if (offsets.empty() || offsets.front() != 0 || offsets.back() != adjacency.size() ||
      offsets.size() - 1 > std::size_t(kNoNode)) {
    return std::nullopt;
  }
  const auto nodes = NodeId(offsets.size() - 1);
  for (std::size_t node = 0; node + 1 < offsets.size(); ++node) {
    if (offsets[node] > offsets[node + 1]) return std::nullopt;
  }
  std::atomic<bool> outside{false};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, adjacency.size()),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t at = range.begin(); at < range.end(); ++at) {
                        if (adjacency[at] >= nodes) outside.store(true, std::memory_order_relaxed);
                      }
                    });
  if (outside.load()) return std::nullopt;
  RelatedGraph related;
  related.num_nodes_ = nodes;
  related.offsets_ = std::move(offsets);
  related.adjacency_ = std::move(adjacency);
  return related;
}

std::span<const NodeId> RelatedGraph::neighbors(NodeId node) const {
  if (!overlay_.empty()) {
    auto found = overlay_.find(node);
    if (found != overlay_.end()) return found->second;
  }
  if (node + 1 >= offsets_.size()) return {};
  return {adjacency_.data() + offsets_[node], std::size_t(offsets_[node + 1] - offsets_[node])};
}

void RelatedGraph::EnsureNodes(NodeId num_nodes) {
  if (num_nodes > num_nodes_) num_nodes_ = num_nodes;
}

bool RelatedGraph::AddEdge(NodeId a, NodeId b) {
  if (a == b) return false;
  auto current = neighbors(a);
  if (std::binary_search(current.begin(), current.end(), b)) return false;
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    auto base = neighbors(from);
    std::vector<NodeId> merged(base.begin(), base.end());
    merged.insert(std::upper_bound(merged.begin(), merged.end(), to), to);
    overlay_[from] = std::move(merged);
  }
  EnsureNodes(std::max(a, b) + 1);
  return true;
}

std::size_t RelatedGraph::num_undirected_edges() const {
  std::size_t twice = adjacency_.size();
  for (const auto& [node, list] : overlay_) {
    std::size_t base = node + 1 < offsets_.size() ? offsets_[node + 1] - offsets_[node] : 0;
    twice += list.size() - base;
  }
  return twice / 2;
}

// ---------------------------------------------------------------- ScoringInput

ScoringInput::ScoringInput(ScoringParams params) : params_(std::move(params)) {}

std::uint64_t ScoringInput::RecordKey(std::string_view source, std::string_view rid) {
  std::string joined;
  joined.reserve(source.size() + rid.size() + 1);
  joined.append(source);
  joined.push_back('\x1f');
  joined.append(rid);
  return XXH3_64bits(joined.data(), joined.size());
}

CodeId ScoringInput::Intern(std::string_view text) {
  auto found = codes_.find(absl::string_view(text.data(), text.size()));
  if (found != codes_.end()) return found->second;
  CodeId code = CodeId(texts_.size());
  texts_.emplace_back(text);
  codes_.emplace(std::string(text), code);
  return code;
}

CodeId ScoringInput::Lookup(std::string_view text) const {
  auto found = codes_.find(absl::string_view(text.data(), text.size()));
  return found == codes_.end() ? kNoCode : found->second;
}

void ScoringInput::Grow(NodeId entity) {
  if (entity < num_nodes_) return;
  num_nodes_ = entity + 1;
  related_.EnsureNodes(num_nodes_);
}

void ScoringInput::SetKind(NodeId entity, EntityKind kind) {
  if (kind == EntityKind::kUnknown) return;
  Grow(entity);
  if (kind_.size() <= entity) kind_.resize(std::size_t(entity) + 1, EntityKind::kUnknown);
  kind_[entity] = kind;
}
void ScoringInput::SetKinds(std::span<const EntityKind> kinds) {
  std::size_t known = kinds.size();  // as SetKind: unknown kinds neither set nor grow
  while (known > 0 && kinds[known - 1] == EntityKind::kUnknown) --known;
  if (known == 0) return;
  Grow(NodeId(known - 1));
  if (kind_.size() < known) kind_.resize(known, EntityKind::kUnknown);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, known),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node < range.end(); ++node) {
                        if (kinds[node] != EntityKind::kUnknown) kind_[node] = kinds[node];
                      }
                    });
}

void ScoringInput::SetEstDate(NodeId entity, Date est_date) {
  Grow(entity);
  if (est_date_.size() <= entity) est_date_.resize(std::size_t(entity) + 1, kNoDate);
  est_date_[entity] = est_date;
}
void ScoringInput::SetRegion(NodeId entity, std::string_view region) {
  Grow(entity);
  if (!params_.keep_region_industry) {
    Intern(region);
    return;
  }
  if (region_.size() <= entity) region_.resize(std::size_t(entity) + 1, kNoCode);
  region_[entity] = Intern(region);
}
void ScoringInput::SetIndustry(NodeId entity, std::string_view industry) {
  Grow(entity);
  if (!params_.keep_region_industry) {
    Intern(industry);
    return;
  }
  if (industry_.size() <= entity) industry_.resize(std::size_t(entity) + 1, kNoCode);
  industry_[entity] = Intern(industry);
}
std::string_view ScoringInput::region(NodeId entity) const {
  return entity < region_.size() && region_[entity] != kNoCode ? Text(region_[entity])
                                                               : std::string_view();
}
std::string_view ScoringInput::industry(NodeId entity) const {
  return entity < industry_.size() && industry_[entity] != kNoCode ? Text(industry_[entity])
                                                                   : std::string_view();
}

void ScoringInput::SetRestrictions(std::span<const RestrictionCount> counts) {
  if (RankSortedRestrictions(counts)) return;
  if (restrictions_ranked_) {
    if (ranked_only_) {  // back to the map, which answers from now on
      for (std::size_t word = 0; word < restricted_.size(); ++word) {
        std::uint32_t rank = restricted_rank_[word];
        for (std::uint64_t bits = restricted_[word]; bits != 0; bits &= bits - 1) {
          restrictions_[NodeId(word * 64 + std::size_t(std::countr_zero(bits)))] =
              restricted_counts_[rank++];
        }
      }
      ranked_only_ = false;
    }
    restrictions_ranked_ = false;
    restricted_rank_ = {};
    restricted_counts_ = {};
  }
  for (const RestrictionCount& count : counts) {
    Grow(count.entity);
    restrictions_[count.entity][static_cast<int>(count.effect)] = count.count;
    const std::size_t word = count.entity / 64;
    if (restricted_.size() <= word) restricted_.resize(word + 1, 0);
    restricted_[word] |= std::uint64_t{1} << (count.entity % 64);
  }
}

bool ScoringInput::RankSortedRestrictions(std::span<const RestrictionCount> counts) {
  // Only the first counts of an input (no map, no bitmap yet), sorted by entity: the ranked
  // form directly, one pass, no hash map. The same answers as the map would give: each
  // (entity, effect) slot holds the last count given for it.
  if (!restrictions_.empty() || !restricted_.empty() || counts.empty()) return false;
  for (std::size_t at = 1; at < counts.size(); ++at) {
    if (counts[at].entity < counts[at - 1].entity) return false;
  }
  Grow(counts.back().entity);
  restricted_.assign(std::size_t(counts.back().entity) / 64 + 1, 0);
  restricted_counts_.clear();
  for (std::size_t at = 0; at < counts.size(); ++at) {
    const NodeId entity = counts[at].entity;
    if (at == 0 || entity != counts[at - 1].entity) {
      restricted_counts_.emplace_back();
      restricted_counts_.back().fill(0);
      restricted_[entity / 64] |= std::uint64_t{1} << (entity % 64);
    }
    restricted_counts_.back()[static_cast<int>(counts[at].effect)] = counts[at].count;
  }
  restricted_rank_.assign(restricted_.size(), 0);
  std::uint32_t before = 0;
  for (std::size_t word = 0; word < restricted_.size(); ++word) {
    restricted_rank_[word] = before;
    before += std::uint32_t(std::popcount(restricted_[word]));
  }
  restrictions_ranked_ = true;
  ranked_only_ = true;
  return true;
}

void ScoringInput::RankRestrictions() {
  if (ranked_only_) return;  // already ranked, and the map is empty
  restricted_rank_.assign(restricted_.size(), 0);
  std::uint32_t before = 0;
  for (std::size_t word = 0; word < restricted_.size(); ++word) {
    restricted_rank_[word] = before;
    before += std::uint32_t(std::popcount(restricted_[word]));
  }
  restricted_counts_.assign(before, {});
  for (const auto& [entity, counts] : restrictions_) {
    const std::size_t word = entity / 64;
    const std::uint64_t lower = restricted_[word] & ((std::uint64_t{1} << (entity % 64)) - 1);
    restricted_counts_[restricted_rank_[word] + std::uint32_t(std::popcount(lower))] = counts;
  }
  restrictions_ranked_ = true;
}

std::uint32_t ScoringInput::restrictions(NodeId entity, Effect effect) const {
  const std::size_t word = entity / 64;
  if (word >= restricted_.size() || (restricted_[word] >> (entity % 64) & 1) == 0) return 0;
  if (restrictions_ranked_) {
    const std::uint64_t lower = restricted_[word] & ((std::uint64_t{1} << (entity % 64)) - 1);
    return restricted_counts_[restricted_rank_[word] + std::uint32_t(std::popcount(lower))]
                             [static_cast<int>(effect)];
  }
  auto found = restrictions_.find(entity);
  return found == restrictions_.end() ? 0 : found->second[static_cast<int>(effect)];
}

void ScoringInput::SetRelatedGraph(const CsrGraph& graph) {
  SetRelatedGraph(RelatedGraph::FromCsr(graph));
}

void ScoringInput::SetRelatedGraph(RelatedGraph related) {
  related_ = std::move(related);
  if (related_.num_nodes() > num_nodes_) num_nodes_ = related_.num_nodes();
  related_.EnsureNodes(num_nodes_);
}

FactRow FactRowOf(const Record& record) {
  FactRow row;
  row.kind = record.kind;
  row.subject_kind = record.subject.kind;
  switch (record.kind) {
    case RecordKind::kRegistry:
      row.date = record.est_date;
      row.code = record.subject.region;
      row.text = record.industry;
      return row;
    case RecordKind::kList:
      row.date = record.listed_on;
      row.until = record.removed_on;
      row.code = record.list;
      row.sub = record.disputed ? 1 : 0;
      break;
    case RecordKind::kPenalty:
      row.date = record.decided_on;
      row.text = record.domain;
      row.sub = static_cast<std::uint8_t>(record.severity);
      break;
    case RecordKind::kLicense:
      row.date = record.granted_on;
      row.until = record.valid_until;
      row.text = record.domain;
      break;
    case RecordKind::kCommitment:
      row.date = record.made_on;
      row.sub = static_cast<std::uint8_t>(record.commitment_status);
      break;
    case RecordKind::kRating:
      row.date = record.rated_on;
      row.code = record.scheme;
      row.text = record.grade;
      break;
    default:
      return row;
  }
  row.key = ScoringInput::RecordKey(record.source, record.rid);
  return row;
}

std::pair<Polarity, std::string_view> ScoringInput::ListPolarityAndDomain(
    std::string_view code) const {
  for (const ScoringParams::DeclaredList& declared : params_.lists) {
    if (declared.code == code) return {declared.polarity, declared.domain};
  }
  if (const ListInfo* info = FindList(code)) return {info->polarity, info->domain};
  return {Polarity::kUnknown, {}};
}

void ScoringInput::MakeFacts(const FactRow& row, std::vector<Fact>& out) {
  Fact fact;
  fact.key = row.key;
  fact.kind = row.kind;
  const Period max_period{params_.max_years, 0, 0};
  switch (row.kind) {
    case RecordKind::kList: {
      measures::ListEntry entry;
      entry.list = std::string(row.code);
      entry.listed_on = row.date;
      entry.removed_on = row.until;
      entry.disputed = row.sub != 0;
      measures::ListEntry single[] = {entry};
      for (const measures::ListEntry& expanded :
           measures::ExpandEscalations(single, params_.escalations)) {
        Fact list_fact = fact;
        list_fact.code = Intern(expanded.list);
        const auto [polarity, domain] = ListPolarityAndDomain(expanded.list);
        list_fact.sub = static_cast<std::uint8_t>(polarity);
        list_fact.domain = domain.empty() ? kNoCode : Intern(domain);
        list_fact.date = expanded.listed_on;
        measures::DateInterval interval = measures::ActiveInterval(expanded, params_.max_years);
        if (!interval.empty() && expanded.listed_on != kNoDate) {
          list_fact.start = interval.start;
          list_fact.end = interval.end;
        }
        out.push_back(list_fact);
      }
      return;
    }
    case RecordKind::kPenalty:
      fact.date = row.date;
      fact.sub = row.sub;
      if (!row.text.empty()) fact.domain = Intern(row.text);
      if (fact.date != kNoDate) {
        fact.start = fact.date;
        fact.end = AddPeriod(fact.date, max_period);
      }
      break;
    case RecordKind::kLicense:
      fact.date = row.date;
      if (!row.text.empty()) fact.domain = Intern(row.text);
      if (fact.date != kNoDate) {
        fact.start = fact.date;
        fact.end = row.until == kNoDate ? kForever : row.until;
      }
      break;
    case RecordKind::kCommitment:
      fact.date = row.date;
      fact.sub = row.sub;
      if (fact.date != kNoDate) fact.start = fact.date;
      break;
    case RecordKind::kRating:
      fact.date = row.date;
      fact.code = Intern(row.code);
      fact.grade = Intern(row.text);
      if (fact.date != kNoDate) fact.start = fact.date;
      break;
    default:
      return;
  }
  out.push_back(fact);
}

void ScoringInput::Add(const Record& record, NodeId subject) { Add(FactRowOf(record), subject); }

void ScoringInput::Add(const FactRow& row, NodeId subject) {
  Grow(subject);
  SetKind(subject, row.subject_kind);
  if (row.kind == RecordKind::kRegistry) {
    if (row.date != kNoDate) SetEstDate(subject, row.date);
    if (!row.code.empty()) SetRegion(subject, row.code);
    if (!row.text.empty()) SetIndustry(subject, row.text);
    return;
  }
  std::vector<Fact>& made = scratch_;  // reused: no allocation per record
  made.clear();
  MakeFacts(row, made);
  if (made.empty()) return;
  if (!finalized_) {
    for (const Fact& fact : made) pending_.emplace_back(subject, fact);
    return;
  }
  std::vector<Fact>& facts = Mutable(subject);
  for (const Fact& fact : made) facts.insert(std::upper_bound(facts.begin(), facts.end(), fact, FactLess), fact);
}

void ScoringInput::AddBatch(const FactBatch& batch) {
  const std::size_t rows = batch.subject.size();
  assert(batch.subject_kind.size() == rows && batch.key.size() == rows &&
         batch.date.size() == rows && batch.until.size() == rows && batch.code.size() == rows &&
         batch.text.size() == rows && batch.sub.size() == rows);
  auto row_of = [&batch](std::size_t row) {
    FactRow out;
    out.kind = batch.kind;
    out.subject_kind = EntityKind(batch.subject_kind[row]);
    out.key = batch.key[row];
    out.date = batch.date[row];
    out.until = batch.until[row];
    out.code = batch.dict[batch.code[row]];
    out.text = batch.dict[batch.text[row]];
    out.sub = batch.sub[row];
    return out;
  };
  if (finalized_) {  // incremental: one row at a time into the overlay
    for (std::size_t row = 0; row < rows; ++row) {
      if (batch.subject[row] != kNoNode) Add(row_of(row), batch.subject[row]);
    }
    return;
  }
  if (batch.kind == RecordKind::kRegistry) {
    AddBatchRegistry(batch);
    return;
  }
  const RecordKind kind = batch.kind;
  if (kind != RecordKind::kList && kind != RecordKind::kPenalty && kind != RecordKind::kLicense &&
      kind != RecordKind::kCommitment && kind != RecordKind::kRating) {
    for (std::size_t row = 0; row < rows; ++row) {  // no facts: only the subjects' kinds
      if (batch.subject[row] == kNoNode) continue;
      Grow(batch.subject[row]);
      SetKind(batch.subject[row], EntityKind(batch.subject_kind[row]));
    }
    return;
  }
  // Serial pass, in row order: subjects' kinds, and each text interned where Add would first
  // intern it (so the codes, hence the facts' order, are Add's). A list row whose code some
  // escalation rule starts from is made whole here by MakeFacts (rare); the others are made
  // in parallel below from the per-text codes.
  const std::size_t texts = batch.dict.size();
  std::vector<CodeId> code_of(texts, kNoCode), text_of(texts, kNoCode), domain_of(texts, kNoCode);
  std::vector<std::uint8_t> polarity_of(texts, 0), escalates(texts, 0);
  if (kind == RecordKind::kList) {
    for (std::size_t text = 0; text < texts; ++text) {
      for (const measures::Escalation& rule : params_.escalations) {
        escalates[text] |= rule.from == batch.dict[text] ? 1 : 0;
      }
    }
  }
  std::vector<std::uint8_t> whole(kind == RecordKind::kList ? rows : 0, 0);
  std::vector<std::pair<NodeId, Fact>> made_whole;
  for (std::size_t row = 0; row < rows; ++row) {
    const NodeId subject = batch.subject[row];
    if (subject == kNoNode) continue;
    Grow(subject);
    SetKind(subject, EntityKind(batch.subject_kind[row]));
    const std::uint32_t code = batch.code[row];
    const std::uint32_t text = batch.text[row];
    switch (kind) {
      case RecordKind::kList:
        if (escalates[code]) {
          whole[row] = 1;
          scratch_.clear();
          MakeFacts(row_of(row), scratch_);
          for (const Fact& fact : scratch_) made_whole.emplace_back(subject, fact);
        } else if (code_of[code] == kNoCode) {
          code_of[code] = Intern(batch.dict[code]);
          const auto [polarity, domain] = ListPolarityAndDomain(batch.dict[code]);
          polarity_of[code] = static_cast<std::uint8_t>(polarity);
          domain_of[code] = domain.empty() ? kNoCode : Intern(domain);
        }
        break;
      case RecordKind::kPenalty:
      case RecordKind::kLicense:
        if (!batch.dict[text].empty() && text_of[text] == kNoCode) {
          text_of[text] = Intern(batch.dict[text]);
        }
        break;
      case RecordKind::kRating:
        if (code_of[code] == kNoCode) code_of[code] = Intern(batch.dict[code]);
        if (text_of[text] == kNoCode) text_of[text] = Intern(batch.dict[text]);
        break;
      default:
        break;
    }
  }
  // Parallel pass: one fact per remaining row, straight into pending_ (rows without one are
  // marked kNoNode, which Finalize skips).
  const std::size_t base = pending_.size();
  pending_.resize(base + rows);
  const Period max_period{params_.max_years, 0, 0};
  const int max_years = params_.max_years;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, rows), [&](const tbb::blocked_range<std::size_t>& range) {
        measures::ListEntry entry;  // no list text: ActiveInterval reads dates and dispute only
        for (std::size_t row = range.begin(); row < range.end(); ++row) {
          auto& [entity, fact] = pending_[base + row];
          entity = batch.subject[row];
          fact = Fact();
          if (entity == kNoNode) continue;
          fact.key = batch.key[row];
          fact.kind = kind;
          const Date date = batch.date[row];
          switch (kind) {
            case RecordKind::kList: {
              if (whole[row]) {
                entity = kNoNode;
                continue;
              }
              const std::uint32_t code = batch.code[row];
              fact.code = code_of[code];
              fact.sub = polarity_of[code];
              fact.domain = domain_of[code];
              fact.date = date;
              entry.listed_on = date;
              entry.removed_on = batch.until[row];
              entry.disputed = batch.sub[row] != 0;
              const measures::DateInterval interval = measures::ActiveInterval(entry, max_years);
              if (!interval.empty() && date != kNoDate) {
                fact.start = interval.start;
                fact.end = interval.end;
              }
              break;
            }
            case RecordKind::kPenalty:
              fact.date = date;
              fact.sub = batch.sub[row];
              fact.domain = batch.dict[batch.text[row]].empty() ? kNoCode : text_of[batch.text[row]];
              if (date != kNoDate) {
                fact.start = date;
                fact.end = AddPeriod(date, max_period);
              }
              break;
            case RecordKind::kLicense:
              fact.date = date;
              fact.domain = batch.dict[batch.text[row]].empty() ? kNoCode : text_of[batch.text[row]];
              if (date != kNoDate) {
                fact.start = date;
                fact.end = batch.until[row] == kNoDate ? kForever : batch.until[row];
              }
              break;
            case RecordKind::kCommitment:
              fact.date = date;
              fact.sub = batch.sub[row];
              if (date != kNoDate) fact.start = date;
              break;
            default:  // rating
              fact.date = date;
              fact.code = code_of[batch.code[row]];
              fact.grade = text_of[batch.text[row]];
              if (date != kNoDate) fact.start = date;
              break;
          }
        }
      });
  pending_.insert(pending_.end(), made_whole.begin(), made_whole.end());
}

void ScoringInput::AddBatchRegistry(const FactBatch& batch) {
  // Attributes are last-writer-wins, so this stays one serial pass in row order; the texts are
  // interned once per dictionary entry, in the order Add would first intern them.
  const std::size_t rows = batch.subject.size();
  std::vector<CodeId> code_of(batch.dict.size(), kNoCode);
  auto code = [&](std::uint32_t text) {
    if (code_of[text] == kNoCode) code_of[text] = Intern(batch.dict[text]);
    return code_of[text];
  };
  NodeId largest = 0;
  bool any = false;
  for (std::size_t row = 0; row < rows; ++row) {
    if (batch.subject[row] == kNoNode) continue;
    largest = std::max(largest, batch.subject[row]);
    any = true;
  }
  if (!any) return;
  Grow(largest);
  // Every attribute column sized once (unset entries read as unset: kNoDate, kNoCode).
  const std::size_t size = std::max<std::size_t>(std::size_t(largest) + 1, num_nodes_);
  if (kind_.size() < size) kind_.resize(size, EntityKind::kUnknown);
  if (est_date_.size() < size) est_date_.resize(size, kNoDate);
  const bool keep = params_.keep_region_industry;
  if (keep && region_.size() < size) region_.resize(size, kNoCode);
  if (keep && industry_.size() < size) industry_.resize(size, kNoCode);
  for (std::size_t row = 0; row < rows; ++row) {
    const NodeId subject = batch.subject[row];
    if (subject == kNoNode) continue;
    const auto kind = EntityKind(batch.subject_kind[row]);
    if (kind != EntityKind::kUnknown) kind_[subject] = kind;
    if (batch.date[row] != kNoDate) est_date_[subject] = batch.date[row];
    if (!batch.dict[batch.code[row]].empty()) {
      const CodeId region = code(batch.code[row]);
      if (keep) region_[subject] = region;
    }
    if (!batch.dict[batch.text[row]].empty()) {
      const CodeId industry = code(batch.text[row]);
      if (keep) industry_[subject] = industry;
    }
  }
}

std::vector<Fact>& ScoringInput::Mutable(NodeId entity) {
  auto found = overlay_.find(entity);
  if (found != overlay_.end()) return found->second;
  std::vector<Fact> copy;
  if (std::size_t(entity) + 1 < fact_offsets_.size()) {
    copy.assign(facts_.begin() + std::ptrdiff_t(fact_offsets_[entity]),
                facts_.begin() + std::ptrdiff_t(fact_offsets_[entity + 1]));
  }
  return overlay_[entity] = std::move(copy);
}

std::size_t ScoringInput::Remove(std::string_view source, std::string_view rid, NodeId subject) {
  Finalize();
  const std::uint64_t key = RecordKey(source, rid);
  std::vector<Fact>& facts = Mutable(subject);
  std::size_t before = facts.size();
  facts.erase(std::remove_if(facts.begin(), facts.end(),
                             [key](const Fact& fact) { return fact.key == key; }),
              facts.end());
  return before - facts.size();
}

void ScoringInput::Finalize() {
  if (finalized_) return;
  finalized_ = true;
  RankRestrictions();
  // Counting sort by entity (parallel histogram and scatter), then each entity's facts sorted
  // by FactLess: a total order over every field (ties are identical facts), so the result does
  // not depend on the order the facts were added or scattered in.
  const std::size_t nodes = num_nodes_;
  const std::size_t count = pending_.size();
  constexpr std::size_t kAhead = 16;  // rows ahead whose counter is prefetched
  // Counters of 32 bits (half the memory; a province's facts stay far below 2^32).
  assert(count < (std::size_t{1} << 32));
  auto cursor = std::make_unique<std::atomic<std::uint32_t>[]>(nodes + 1);
  tbb::parallel_for(std::size_t(0), nodes + 1, [&](std::size_t node) {
    cursor[node].store(0, std::memory_order_relaxed);
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        if (index + kAhead < range.end()) {  // the counters are random misses
                          const NodeId ahead = pending_[index + kAhead].first;
                          if (ahead != kNoNode) __builtin_prefetch(&cursor[ahead + 1], 1);
                        }
                        const NodeId entity = pending_[index].first;
                        if (entity != kNoNode) {
                          cursor[entity + 1].fetch_add(1, std::memory_order_relaxed);
                        }
                      }
                    });
  fact_offsets_.assign(nodes + 1, 0);
  for (std::size_t node = 0; node < nodes; ++node) {
    fact_offsets_[node + 1] = fact_offsets_[node] + cursor[node + 1].load(std::memory_order_relaxed);
  }
  tbb::parallel_for(std::size_t(0), nodes, [&](std::size_t node) {
    cursor[node].store(std::uint32_t(fact_offsets_[node]), std::memory_order_relaxed);
  });
  facts_.clear();
  facts_.resize(fact_offsets_[nodes]);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t index = range.begin(); index < range.end(); ++index) {
                        if (index + kAhead < range.end()) {
                          const NodeId ahead = pending_[index + kAhead].first;
                          if (ahead != kNoNode) __builtin_prefetch(&cursor[ahead], 1);
                        }
                        const auto& [entity, fact] = pending_[index];
                        if (entity == kNoNode) continue;
                        facts_[cursor[entity].fetch_add(1, std::memory_order_relaxed)] = fact;
                      }
                    });
  cursor.reset();
  pending_.clear();
  pending_.shrink_to_fit();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nodes, 4096),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t node = range.begin(); node < range.end(); ++node) {
                        const auto begin = facts_.begin() + std::ptrdiff_t(fact_offsets_[node]);
                        const auto end = facts_.begin() + std::ptrdiff_t(fact_offsets_[node + 1]);
                        if (end - begin > 1) std::sort(begin, end, FactLess);
                      }
                    });
}

std::span<const Fact> ScoringInput::facts(NodeId entity) const {
  if (!overlay_.empty()) {
    auto found = overlay_.find(entity);
    if (found != overlay_.end()) return found->second;
  }
  if (std::size_t(entity) + 1 >= fact_offsets_.size()) return {};
  return {facts_.data() + fact_offsets_[entity],
          std::size_t(fact_offsets_[entity + 1] - fact_offsets_[entity])};
}

std::vector<NodeId> ScoringInput::Organizations() const {
  std::vector<NodeId> out;
  for (NodeId node = 0; node < kind_.size(); ++node) {
    if (IsOrganizationLike(kind_[node])) out.push_back(node);
  }
  return out;
}

}  // namespace cg::core::scoring
