// Vocabulary types of the graph library, defined once (NetworKit Globals.hpp style).
// Every kernel in graph/ and every stage in core/ is written against these.
#pragma once

#include <cstdint>
#include <limits>

namespace cg {

/// Dense node id; 32 bits (a province has ~35 million entities).
using NodeId = std::uint32_t;
/// Edge index into the CSR arrays; 32 bits keeps an edge under 24 bytes with both directions.
using EdgeIdx = std::uint32_t;
/// Edge label (a small enum owned by the caller; graph/ is domain-free).
using Label = std::uint8_t;
/// Small per-edge tag, e.g. an officer's role or "declared/derived" (caller's enum).
using Tag = std::uint8_t;
/// A calendar day: days since 1970-01-01 (std::chrono::sys_days count).
using Date = std::int32_t;

inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
inline constexpr EdgeIdx kNoEdge = std::numeric_limits<EdgeIdx>::max();
inline constexpr Date kNoDate = std::numeric_limits<Date>::min();
/// An open end: later than any real date.
inline constexpr Date kForever = std::numeric_limits<Date>::max();

}  // namespace cg
