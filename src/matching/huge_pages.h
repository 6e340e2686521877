// Private to matching/: an allocator that asks the kernel for 2 MB pages (transparent huge pages
// in "madvise" mode, Debian's default) for large arrays. Searches touch the hash array and the
// multi-index buckets at random; with 4 KB pages nearly every touch is also a TLB miss (measured:
// 1,210 -> 1,418 queries/s at 10M hashes from the hash array alone). Small arrays use malloc.
// resize() default-initialises (plain integers are left unset, not zeroed): arrays about to be
// read from a file or filled by a build are not written twice (at 10 million hashes, zeroing
// was a fifth of loading a bank file).
#pragma once

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace takedown::matching::internal {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding, as allocators do

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) {
      if (void* p = std::malloc(bytes)) return static_cast<T*>(p);
      throw std::bad_alloc();
    }
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: a refusal leaves ordinary pages
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) { std::free(p); }

  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace takedown::matching::internal
