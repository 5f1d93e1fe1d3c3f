// BucketSort: a parallel sort for large arrays of records whose order starts with a 64-bit
// value spread over its range (hashes, mention ids, packed pairs): the records are distributed
// into buckets on the high bits of that value (counted and scattered in parallel, one pass
// each), then each bucket, small enough for the cache, is sorted on its own with pdqsort
// (Boost.Sort), buckets in parallel. Resolution sorts tens of millions of 16-byte blocking
// entries this way; on such data it takes about a third of the CPU of a comparison sort of the
// whole array (tbb::parallel_sort), whose passes each stream the whole array through memory.
//
//   BucketSort(entries, [](const Entry& e) { return e.key; },
//              [](const Entry& x, const Entry& y) { return std::tie(x.key, x.m) < std::tie(y.key, y.m); });
//
// `key(x) < key(y)` must imply `less(x, y)` (the key is a prefix of the order). The result is
// the same sequence a std::sort with `less` gives when `less` is a total order (no two
// distinct records equivalent); ties are not kept in input order. Needs a second array of the
// same size while it runs, of the input's container type: a `HugeBuffer` (core/huge_pages.h)
// gives one on huge pages without a zeroing pass — at tens of millions of records the scatter
// into millions of buckets otherwise pays a page walk per record.
//
// SlicedBuffer + SortSlices: the same sort for records made by many threads when memory matters
// more than one pass: each thread appends its records to a SlicedBuffer, in chunks, by slice
// (a slice is a range of the key: its top bits, so slices in order are key ranges in order);
// SortSlices then gathers, sorts and places one slice after another, freeing each slice's
// chunks as soon as they are placed. Peak memory is the records once plus the largest slice
// twice, instead of the records twice.
//
// AppendParts gathers the vectors threads filled (tbb::enumerable_thread_specific) into one.
//
// MergeRuns: the sort for an array made of a few sorted runs (records read source after
// source, each source in key order): the runs are found and merged pairwise, pairs in
// parallel, in O(n log runs) sequential passes instead of a comparison sort's random ones.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace cg::core::resolve {

namespace bucket_sort_detail {
constexpr std::size_t kSmall = std::size_t{1} << 15;  // below this one pdqsort is as good
constexpr std::ptrdiff_t kLargeBucket = std::ptrdiff_t{1} << 18;

// Sorts the records of `parts` (each scanned by one task) into `out` (sized to their total).
template <typename T, typename Out, typename Key, typename Less>
void SortParts(const std::vector<std::pair<T*, std::size_t>>& parts, Out& out, Key& key, Less& less) {
  const std::size_t n = out.size();
  using Range = std::pair<std::uint64_t, std::uint64_t>;  // (min, max) of the keys
  const auto merge = [](Range x, Range y) { return Range{std::min(x.first, y.first), std::max(x.second, y.second)}; };
  Range range{std::numeric_limits<std::uint64_t>::max(), 0};
  for (const auto& [data, size] : parts) {
    range = merge(range, tbb::parallel_reduce(
                             tbb::blocked_range<std::size_t>(0, size, 1 << 16), range,
                             [&, data = data](const tbb::blocked_range<std::size_t>& r, Range acc) {
                               for (std::size_t i = r.begin(); i < r.end(); ++i) {
                                 const std::uint64_t k = key(data[i]);
                                 acc.first = std::min(acc.first, k);
                                 acc.second = std::max(acc.second, k);
                               }
                               return acc;
                             },
                             merge));
  }
  // About 32 records per bucket on keys spread evenly over the range (fewer for a skewed one).
  const std::uint64_t span = range.second - range.first;
  const int wanted_bits = std::max(1, static_cast<int>(std::bit_width(n / 32)) - 1);
  const int span_bits = static_cast<int>(std::bit_width(span));
  const int shift = std::max(0, span_bits - wanted_bits);
  const std::size_t buckets = static_cast<std::size_t>(span >> shift) + 1;
  auto bucket_of = [&](const T& item) { return static_cast<std::size_t>((key(item) - range.first) >> shift); };
  // One histogram per part; part p's records of bucket b go after every earlier part's, so the
  // scatter needs no synchronisation.
  const std::size_t count_parts = parts.size();
  std::vector<std::vector<std::uint32_t>> offsets(count_parts);
  tbb::parallel_for(std::size_t{0}, count_parts, [&](std::size_t p) {
    std::vector<std::uint32_t>& count = offsets[p];
    count.assign(buckets, 0);
    const auto [data, size] = parts[p];
    for (std::size_t i = 0; i < size; ++i) ++count[bucket_of(data[i])];
  });
  std::vector<std::size_t> bucket_start(buckets + 1, 0);
  {
    std::size_t running = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      bucket_start[b] = running;
      for (std::size_t p = 0; p < count_parts; ++p) {
        const std::uint32_t count = offsets[p][b];
        offsets[p][b] = static_cast<std::uint32_t>(running - bucket_start[b]);
        running += count;
      }
    }
    bucket_start[buckets] = running;
  }
  tbb::parallel_for(std::size_t{0}, count_parts, [&](std::size_t p) {
    std::vector<std::uint32_t>& next = offsets[p];
    const auto [data, size] = parts[p];
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t b = bucket_of(data[i]);
      out[bucket_start[b] + next[b]++] = std::move(data[i]);
    }
  });
  std::vector<std::vector<std::uint32_t>>().swap(offsets);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets, 256), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t b = r.begin(); b < r.end(); ++b) {
      const auto first = out.begin() + static_cast<std::ptrdiff_t>(bucket_start[b]);
      const auto last = out.begin() + static_cast<std::ptrdiff_t>(bucket_start[b + 1]);
      // Keys bunched on few values (many equal keys) make a large bucket: sorted in parallel.
      if (last - first > kLargeBucket) {
        tbb::parallel_sort(first, last, less);
      } else if (last - first > 1) {
        boost::sort::pdqsort(first, last, less);
      }
    }
  });
}
}  // namespace bucket_sort_detail

template <typename Vec, typename Key, typename Less>
void BucketSort(Vec& items, Key key, Less less) {
  using T = typename Vec::value_type;
  const std::size_t n = items.size();
  if (n < bucket_sort_detail::kSmall) {
    boost::sort::pdqsort(items.begin(), items.end(), less);
    return;
  }
  // The input cut into one part per thread (counted and scattered in parallel).
  const std::size_t chunks = std::max<std::size_t>(1, std::min<std::size_t>(tbb::this_task_arena::max_concurrency(), 16));
  const std::size_t per_chunk = (n + chunks - 1) / chunks;
  std::vector<std::pair<T*, std::size_t>> parts;
  for (std::size_t begin = 0; begin < n; begin += per_chunk) parts.emplace_back(items.data() + begin, std::min(per_chunk, n - begin));
  Vec out;
  out.resize(n);  // a HugeBuffer leaves it unwritten: the scatter writes every record
  bucket_sort_detail::SortParts(parts, out, key, less);
  items.swap(out);
}

/// BucketSort of the concatenation of `parts` (e.g. the vectors threads filled), without
/// concatenating them first: the parts are emptied, the sorted records returned in an `Out`
/// (std::vector<T> by default; a HugeBuffer<T> for arrays of millions).
template <typename T, typename Out = std::vector<T>, typename Parts, typename Key, typename Less>
Out BucketSortParts(Parts& parts, Key key, Less less) {
  std::size_t n = 0;
  for (const auto& part : parts) n += part.size();
  Out out;
  if (n < bucket_sort_detail::kSmall) {
    out.reserve(n);
    for (auto& part : parts) {
      out.insert(out.end(), part.begin(), part.end());
      std::remove_reference_t<decltype(part)>().swap(part);
    }
    boost::sort::pdqsort(out.begin(), out.end(), less);
    return out;
  }
  std::vector<std::pair<T*, std::size_t>> spans;
  for (auto& part : parts) {
    if (!part.empty()) spans.emplace_back(part.data(), part.size());
  }
  out.resize(n);
  bucket_sort_detail::SortParts(spans, out, key, less);
  for (auto& part : parts) std::remove_reference_t<decltype(part)>().swap(part);
  return out;
}

/// Records appended by one thread, grouped by slice of their key (see SortSlices), in chunks of
/// 64 Ki records.
template <typename T>
class SlicedBuffer {
 public:
  static constexpr int kSliceBits = 10;
  static constexpr std::size_t kSlices = std::size_t{1} << kSliceBits;
  static constexpr std::size_t kChunk = std::size_t{1} << 16;
  /// The slice of a 64-bit key: its top kSliceBits bits.
  static std::size_t SliceOf(std::uint64_t key) { return static_cast<std::size_t>(key >> (64 - kSliceBits)); }

  void push_back(std::uint64_t key, const T& item) {
    List& list = lists_[SliceOf(key)];
    if (list.chunks.empty() || list.fill == kChunk) {
      list.chunks.push_back(std::make_unique_for_overwrite<T[]>(kChunk));
      list.fill = 0;
    }
    list.chunks.back()[list.fill++] = item;
  }
  std::size_t count(std::size_t slice) const {
    const List& list = lists_[slice];
    return list.chunks.empty() ? 0 : (list.chunks.size() - 1) * kChunk + list.fill;
  }
  /// Copies slice `slice`'s records to `out` (count(slice) of them) and frees them.
  T* MoveSlice(std::size_t slice, T* out) {
    List& list = lists_[slice];
    for (std::size_t c = 0; c < list.chunks.size(); ++c) {
      const std::size_t n = c + 1 == list.chunks.size() ? list.fill : kChunk;
      out = std::copy_n(list.chunks[c].get(), n, out);
      list.chunks[c].reset();
    }
    list = List{};
    return out;
  }

 private:
  struct List {
    std::vector<std::unique_ptr<T[]>> chunks;
    std::size_t fill = 0;
  };
  std::vector<List> lists_ = std::vector<List>(kSlices);
};

/// Sorts the records of `buffers` (e.g. a tbb::enumerable_thread_specific of SlicedBuffer<T>)
/// into an `Out` (std::vector<T> or HugeBuffer<T>). `key(x)` must be the 64-bit key the records
/// were appended with, and `key(x) < key(y)` must imply `less(x, y)` (as for BucketSort). The
/// buffers are emptied slice by slice; `released(count)` is called after each slice of `count`
/// records is placed (e.g. to give freed memory back to the system).
template <typename T, typename Out, typename Buffers, typename Key, typename Less, typename Released>
Out SortSlices(Buffers& buffers, Key key, Less less, Released&& released) {
  constexpr std::size_t kSlices = SlicedBuffer<T>::kSlices;
  std::vector<std::size_t> counts(kSlices, 0);
  for (const auto& buffer : buffers) {
    for (std::size_t s = 0; s < kSlices; ++s) counts[s] += buffer.count(s);
  }
  std::size_t n = 0;
  std::size_t largest = 0;
  for (const std::size_t count : counts) {
    n += count;
    largest = std::max(largest, count);
  }
  Out out;
  out.resize(n);  // a HugeBuffer leaves it unwritten: the slices are written in order
  Out scratch;
  std::size_t offset = 0;
  const std::size_t threads = std::max<std::size_t>(1, std::min<std::size_t>(tbb::this_task_arena::max_concurrency(), 16));
  for (std::size_t s = 0; s < kSlices; ++s) {
    const std::size_t count = counts[s];
    if (count == 0) continue;
    T* const first = out.data() + offset;
    T* last = first;
    for (auto& buffer : buffers) last = buffer.MoveSlice(s, last);
    if (count < bucket_sort_detail::kSmall) {
      boost::sort::pdqsort(first, last, less);
    } else {
      // The slice's records, in one part per thread, bucket-sorted into the scratch array, then
      // copied back in place.
      if (scratch.size() < count) {
        Out().swap(scratch);
        scratch.resize(std::min(largest, std::max(count, n / 8)));
      }
      std::vector<std::pair<T*, std::size_t>> parts;
      const std::size_t per_part = (count + threads - 1) / threads;
      for (std::size_t begin = 0; begin < count; begin += per_part) {
        parts.emplace_back(first + begin, std::min(per_part, count - begin));
      }
      std::span<T> sorted(scratch.data(), count);
      bucket_sort_detail::SortParts(parts, sorted, key, less);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1 << 16), [&](const tbb::blocked_range<std::size_t>& r) {
        std::copy(sorted.begin() + static_cast<std::ptrdiff_t>(r.begin()), sorted.begin() + static_cast<std::ptrdiff_t>(r.end()),
                  first + r.begin());
      });
    }
    offset += count;
    released(count);
  }
  return out;
}

/// Appends the threads' vectors to `out` (in the threads' order; callers sort), freeing each as
/// it goes: peak memory is one copy, not two.
template <typename Part, typename Out>
void AppendParts(tbb::enumerable_thread_specific<Part>& parts, Out* out) {
  std::size_t count = out->size();
  for (const auto& part : parts) count += part.size();
  out->reserve(count);
  for (auto& part : parts) {
    out->insert(out->end(), part.begin(), part.end());
    Part().swap(part);
  }
}

/// Sorts `items` by `less` when they are a concatenation of few sorted runs (found here):
/// runs are merged pairwise (std::merge, stable), the merges of one round in parallel. With more
/// than `max_runs` runs it falls back to tbb::parallel_sort. Returns the number of runs found.
template <typename T, typename Less>
std::size_t MergeRuns(std::vector<T>& items, Less less, std::size_t max_runs = 1024) {
  const std::size_t n = items.size();
  std::vector<std::size_t> bounds = {0};
  for (std::size_t i = 1; i < n; ++i) {
    if (less(items[i], items[i - 1])) {
      bounds.push_back(i);
      if (bounds.size() > max_runs) {
        tbb::parallel_sort(items.begin(), items.end(), less);
        return bounds.size();
      }
    }
  }
  bounds.push_back(n);
  const std::size_t runs = bounds.size() - 1;
  if (runs <= 1) return runs;
  std::vector<T> buffer(n);
  while (bounds.size() > 2) {
    const std::size_t pairs = (bounds.size() - 1) / 2;
    tbb::parallel_for(std::size_t{0}, (bounds.size() - 1 + 1) / 2, [&](std::size_t k) {
      const std::size_t begin = bounds[2 * k], middle = bounds[2 * k + 1];
      const std::size_t end = 2 * k + 2 < bounds.size() ? bounds[2 * k + 2] : middle;
      std::merge(items.begin() + static_cast<std::ptrdiff_t>(begin), items.begin() + static_cast<std::ptrdiff_t>(middle),
                 items.begin() + static_cast<std::ptrdiff_t>(middle), items.begin() + static_cast<std::ptrdiff_t>(end),
                 buffer.begin() + static_cast<std::ptrdiff_t>(begin), less);
    });
    std::vector<std::size_t> merged;
    for (std::size_t k = 0; k < pairs; ++k) merged.push_back(bounds[2 * k]);
    if ((bounds.size() - 1) % 2 == 1) merged.push_back(bounds[bounds.size() - 2]);  // the odd run, copied
    merged.push_back(n);
    bounds = std::move(merged);
    items.swap(buffer);
  }
  return runs;
}

}  // namespace cg::core::resolve
