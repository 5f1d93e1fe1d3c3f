// Persistence of a CsrGraph: a standalone binary format (to and from a byte string) and its
// storage in the database's `graph` column family, loaded back without rebuilding.
//
// Binary format (little-endian, version 2):
//   "CGCSR\0\0\2" (8 bytes magic+version) | u64 num_nodes | u64 num_edges |
//   the arrays of CsrGraph in order out_offsets, heads, labels, tags, value_present (ceil(m/64)
//   u64 words), stored_values (one f32 per set bit), in_offsets, in_tails, in_edges, each as
//   u64 byte length + raw bytes | u64 xxh64 of everything before. The rank directory of the
//   values is recomputed on load. Version 1 (one f32 value per edge in place of the two value
//   arrays) is still read, so a database written before the compact layout loads unchanged.
// In the store, the same byte string is split into chunks of at most 8 MiB under the keys
//   <name>/meta           u64 total length, u64 chunk count, u64 xxh64 of the byte string
//   <name>/chunk/<u64 BE> the chunks in order
// and written in one atomic batch (a save replaces the previous graph of that name wholly).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/store/store.h"
#include "graph/csr_graph.h"

namespace cg::core::related {

inline constexpr std::string_view kGraphFamily = "graph";
inline constexpr std::string_view kRelatedGraphName = "related";

/// The graph as one byte string.
std::string SerializeGraph(const CsrGraph& graph);

/// Reads SerializeGraph's output. Checks the magic, sizes, checksum and the cheap invariants
/// (offsets monotone and spanning m, heads and tails in range); `full_check` also runs
/// CsrGraph::Validate (sorting and in/out agreement; O(m log n)).
absl::StatusOr<CsrGraph> DeserializeGraph(std::string_view bytes, bool full_check = false);

/// Saves the graph under `name` in the `graph` family (one atomic batch).
absl::Status SaveGraph(store::Store& store, const CsrGraph& graph,
                       std::string_view name = kRelatedGraphName);

/// Loads the graph saved under `name`; NotFound when there is none.
absl::StatusOr<CsrGraph> LoadGraph(store::Store& store, std::string_view name = kRelatedGraphName,
                                   bool full_check = false);

}  // namespace cg::core::related
