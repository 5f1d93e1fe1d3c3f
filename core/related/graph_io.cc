// CsrGraph serialization and storage (core/related/graph_io.h).
#include "core/related/graph_io.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

#include "core/strings.h"

namespace cg::core::related {
namespace {

static_assert(std::endian::native == std::endian::little, "graph_io assumes little-endian");

// The last byte is the format version: 1 stored one value per edge, 2 (written now) the
// compact value storage (presence bits + the non-zero values). Both are read.
constexpr char kMagic[8] = {'C', 'G', 'C', 'S', 'R', '\0', '\0', '\2'};
constexpr std::size_t kVersionByte = 7;
constexpr char kVersionDenseValues = '\1';
constexpr std::size_t kChunkBytes = std::size_t{8} << 20;

using strings::Cat;  // Debian's Abseil StrCat does not take std::string_view

void PutU64(std::string& out, std::uint64_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <typename T>
void PutArray(std::string& out, const std::vector<T>& array) {
  PutU64(out, array.size() * sizeof(T));
  out.append(reinterpret_cast<const char*>(array.data()), array.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool U64(std::uint64_t& value) {
    if (bytes_.size() - position_ < sizeof(value)) return false;
    std::memcpy(&value, bytes_.data() + position_, sizeof(value));
    position_ += sizeof(value);
    return true;
  }
  template <typename T>
  bool Array(std::vector<T>& array, std::uint64_t expected_count, bool may_be_empty = false) {
    std::uint64_t length = 0;
    if (!U64(length)) return false;
    if (may_be_empty && length == 0) {
      array.clear();
      return true;
    }
    if (length != expected_count * sizeof(T) ||
        bytes_.size() - position_ < length) {
      return false;
    }
    array.resize(expected_count);
    std::memcpy(array.data(), bytes_.data() + position_, length);
    position_ += length;
    return true;
  }
  std::size_t position() const { return position_; }

 private:
  std::string_view bytes_;
  std::size_t position_ = 0;
};

std::string ChunkKey(std::string_view name, std::uint64_t index) {
  return Cat(name, "/chunk/", store::EncodeBigEndian64(index));
}

}  // namespace

std::string SerializeGraph(const CsrGraph& graph) {
  std::string out;
  out.reserve(64 + graph.memory_bytes());
  out.append(kMagic, sizeof(kMagic));
  PutU64(out, graph.num_nodes());
  PutU64(out, graph.num_edges());
  PutArray(out, graph.out_offsets());
  PutArray(out, graph.heads());
  PutArray(out, graph.labels());
  PutArray(out, graph.tags());
  PutArray(out, graph.value_present());
  PutArray(out, graph.stored_values());
  PutArray(out, graph.in_offsets());
  PutArray(out, graph.in_tails());
  PutArray(out, graph.in_edges());
  PutU64(out, XXH64(out.data(), out.size(), 0));
  return out;
}

absl::StatusOr<CsrGraph> DeserializeGraph(std::string_view bytes, bool full_check) {
  auto corrupt = [](std::string_view what) {
    return absl::DataLossError(Cat(
        "the stored graph is damaged (", what,
        "); rebuild it by re-running the graph stage (creditgraph build-graph --db DB)"));
  };
  if (bytes.size() < sizeof(kMagic) + 3 * sizeof(std::uint64_t) ||
      std::memcmp(bytes.data(), kMagic, kVersionByte) != 0 ||
      (bytes[kVersionByte] != kMagic[kVersionByte] &&
       bytes[kVersionByte] != kVersionDenseValues)) {
    return corrupt("not a CreditGraph CSR byte string, or another format version");
  }
  const bool dense_values = bytes[kVersionByte] == kVersionDenseValues;
  std::uint64_t stored_hash = 0;
  std::memcpy(&stored_hash, bytes.data() + bytes.size() - sizeof(stored_hash), sizeof(stored_hash));
  const std::string_view body = bytes.substr(0, bytes.size() - sizeof(stored_hash));
  if (XXH64(body.data(), body.size(), 0) != stored_hash) return corrupt("checksum mismatch");
  Reader reader(body.substr(sizeof(kMagic)));
  std::uint64_t n = 0, m = 0;
  if (!reader.U64(n) || !reader.U64(m)) return corrupt("truncated header");
  if (m >= kNoEdge || n >= kNoNode) return corrupt("sizes out of range");
  std::vector<EdgeIdx> out_offsets, in_offsets, in_edges;
  std::vector<NodeId> heads, in_tails;
  std::vector<Label> labels;
  std::vector<Tag> tags;
  std::vector<float> values;  // version 1: one per edge; version 2: the stored ones
  std::vector<std::uint64_t> value_present;
  // A default-constructed (empty) graph has no offsets at all; any other has n + 1.
  const bool may_be_empty = n == 0 && m == 0;
  if (!reader.Array(out_offsets, n + 1, may_be_empty) || !reader.Array(heads, m) ||
      !reader.Array(labels, m) || !reader.Array(tags, m)) {
    return corrupt("array sizes do not match the header");
  }
  if (dense_values) {
    if (!reader.Array(values, m)) return corrupt("array sizes do not match the header");
  } else {
    const std::uint64_t words = (m + 63) / 64;
    if (!reader.Array(value_present, words)) return corrupt("array sizes do not match the header");
    if (m % 64 != 0 && (value_present.back() >> (m % 64)) != 0) {
      return corrupt("a value bit past the last edge");
    }
    std::uint64_t stored = 0;
    for (std::uint64_t word : value_present) stored += std::popcount(word);
    if (!reader.Array(values, stored, /*may_be_empty=*/stored == 0)) {
      return corrupt("the stored values do not match their presence bits");
    }
  }
  if (!reader.Array(in_offsets, n + 1, may_be_empty) || !reader.Array(in_tails, m) ||
      !reader.Array(in_edges, m)) {
    return corrupt("array sizes do not match the header");
  }
  if (reader.position() + sizeof(kMagic) != body.size()) return corrupt("trailing bytes");
  if (out_offsets.size() != in_offsets.size()) return corrupt("offset arrays differ in size");
  if (!out_offsets.empty()) {
    if (out_offsets.front() != 0 || out_offsets.back() != m || in_offsets.front() != 0 ||
        in_offsets.back() != m || !std::is_sorted(out_offsets.begin(), out_offsets.end()) ||
        !std::is_sorted(in_offsets.begin(), in_offsets.end())) {
      return corrupt("offsets are not monotone or do not span the edges");
    }
  }
  auto in_range = [&](const std::vector<NodeId>& ids) {
    return std::all_of(ids.begin(), ids.end(), [&](NodeId id) { return id < n; });
  };
  if (!in_range(heads) || !in_range(in_tails) ||
      !std::all_of(in_edges.begin(), in_edges.end(), [&](EdgeIdx e) { return e < m; })) {
    return corrupt("node or edge id out of range");
  }
  CsrGraph graph =
      dense_values
          ? CsrGraph::FromArrays(std::move(out_offsets), std::move(heads), std::move(labels),
                                 std::move(tags), std::move(values), std::move(in_offsets),
                                 std::move(in_tails), std::move(in_edges))
          : CsrGraph::FromCompactArrays(std::move(out_offsets), std::move(heads),
                                        std::move(labels), std::move(tags),
                                        std::move(value_present), std::move(values),
                                        std::move(in_offsets), std::move(in_tails),
                                        std::move(in_edges));
  if (full_check) {
    if (std::string problem = graph.Validate(); !problem.empty()) return corrupt(problem);
  }
  return graph;
}

absl::Status SaveGraph(store::Store& store, const CsrGraph& graph, std::string_view name) {
  const std::string bytes = SerializeGraph(graph);
  store::Batch batch(store);
  // Replace wholly: drop every chunk of the previous save first.
  const std::string prefix = Cat(name, "/");
  if (absl::Status status = batch.DeleteRange(kGraphFamily, prefix, Cat(name, "0"));
      !status.ok()) {
    return status;
  }
  std::uint64_t chunk_count = 0;
  for (std::size_t offset = 0; offset < bytes.size(); offset += kChunkBytes, ++chunk_count) {
    const std::string_view chunk =
        std::string_view(bytes).substr(offset, std::min(kChunkBytes, bytes.size() - offset));
    if (absl::Status status = batch.Put(kGraphFamily, ChunkKey(name, chunk_count), chunk);
        !status.ok()) {
      return status;
    }
  }
  std::string meta;
  PutU64(meta, bytes.size());
  PutU64(meta, chunk_count);
  PutU64(meta, XXH64(bytes.data(), bytes.size(), 0));
  if (absl::Status status = batch.Put(kGraphFamily, Cat(name, "/meta"), meta);
      !status.ok()) {
    return status;
  }
  return store.Write(batch);
}

absl::StatusOr<CsrGraph> LoadGraph(store::Store& store, std::string_view name, bool full_check) {
  auto meta = store.Get(kGraphFamily, Cat(name, "/meta"));
  if (!meta.ok()) return meta.status();
  if (!meta->has_value() || (*meta)->size() != 3 * sizeof(std::uint64_t)) {
    return absl::NotFoundError(Cat("no graph '", name, "' in database ", store.path(),
                                            "; build it first (creditgraph build-graph --db DB)"));
  }
  std::uint64_t total = 0, chunk_count = 0;
  std::memcpy(&total, (*meta)->data(), sizeof(total));
  std::memcpy(&chunk_count, (*meta)->data() + 8, sizeof(chunk_count));
  std::string bytes;
  bytes.reserve(total);
  std::uint64_t seen = 0;
  absl::Status scan = store.ScanPrefix(
      kGraphFamily, Cat(name, "/chunk/"), [&](std::string_view, std::string_view value) {
        bytes.append(value);
        ++seen;
        return true;
      });
  if (!scan.ok()) return scan;
  if (seen != chunk_count || bytes.size() != total) {
    return absl::DataLossError(Cat("graph '", name, "' in ", store.path(),
                                            " is incomplete; rebuild it (creditgraph build-graph --db DB)"));
  }
  return DeserializeGraph(bytes, full_check);
}

}  // namespace cg::core::related
