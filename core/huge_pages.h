// An allocator for large arrays read at random positions (propagation's step index, entity
// kinds and per-node bucket index; ingest's duplicate-rid table): allocations of 2 MB and more are 2 MB
// aligned and marked MADV_HUGEPAGE before they are first touched, so that where the kernel
// has transparent huge pages on request (`madvise` mode) they are backed by 2 MB pages: one
// TLB entry per 2 MB instead of per 4 KB, so a random access seldom needs a page walk.
// Smaller allocations, or a kernel without THP, behave as std::allocator.
#pragma once

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace cg::core {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: allocator rebind

  T* allocate(std::size_t count) {
    const std::size_t bytes = count * sizeof(T);
    if (bytes < kHugePage) return std::allocator<T>().allocate(count);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, rounded);
    if (memory == nullptr) throw std::bad_alloc();
    madvise(memory, rounded, MADV_HUGEPAGE);  // a hint: without THP nothing changes
    return static_cast<T*>(memory);
  }
  void deallocate(T* memory, std::size_t count) noexcept {
    if (count * sizeof(T) < kHugePage) {
      std::allocator<T>().deallocate(memory, count);
    } else {
      std::free(memory);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

/// The same allocator, except that elements made without a value (`resize(n)`, `vector(n)`)
/// are default-initialized: left unwritten for trivial types. For large arrays that are
/// written in full right after (no zeroing pass before the real one).
template <typename T>
struct HugePageBufferAllocator : HugePageAllocator<T> {
  HugePageBufferAllocator() = default;
  template <typename U>
  HugePageBufferAllocator(const HugePageBufferAllocator<U>&) noexcept {}  // NOLINT: rebind
  template <typename U>
  void construct(U* at) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(at)) U;
  }
  template <typename U, typename... Args>
  void construct(U* at, Args&&... args) {
    ::new (static_cast<void*>(at)) U(std::forward<Args>(args)...);
  }
};

template <typename T>
using HugeBuffer = std::vector<T, HugePageBufferAllocator<T>>;

/// The process's resident memory now, in bytes (0 where /proc is not there).
inline std::size_t ResidentBytes() {
  long size = 0, pages = 0;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &size, &pages) != 2) pages = 0;
    std::fclose(statm);
  }
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

/// The process's peak resident memory so far, in bytes.
inline std::size_t PeakResidentBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

/// The process's CPU time so far (user + system, all threads), in seconds.
inline double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}
/// Gives the heap's free memory back to the system. glibc keeps what a stage's worker threads
/// freed in their arenas (the resolver's reading windows and chunk tables: 440 MB of the 790 MB
/// resident after reading SF=0.01's mentions); a step that frees a lot and is followed by a
/// memory peak calls this so that the peak does not stack on memory nobody uses.
inline void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace cg::core
