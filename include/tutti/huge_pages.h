// HugePageAllocator: the allocator of the registry's large arrays (its records, its index,
// its id tables).
//
// A decision reads a few dozen cache lines scattered over an index of a gigabyte. With
// 4 KiB pages nearly every one of them also misses the TLB, and in a virtual machine a TLB
// miss is a two-dimensional page walk: on the benchmark machine a dependent read costs
// 263 ns with 4 KiB pages and 163 ns with 2 MiB pages (docs/BENCHMARKS.md). So an
// allocation of 2 MiB or more gets a mapping of its own, aligned to 2 MiB, for which the
// kernel is asked for transparent huge pages (madvise MADV_HUGEPAGE: a hint, which works in
// the kernel's default "madvise" mode and is harmless where huge pages are off). Smaller
// allocations come from operator new.
//
// Stateless: any two instances are interchangeable. Thread-safe. Throws std::bad_alloc
// when memory is exhausted, as std::allocator does.
#ifndef TUTTI_HUGE_PAGES_H_
#define TUTTI_HUGE_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <new>

namespace tutti {

// Raw memory for `bytes` (>= kHugePageBytes): a private anonymous mapping, huge pages asked.
void* AllocateHugePages(size_t bytes);
void FreeHugePages(void* memory, size_t bytes);
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static_assert(alignof(T) <= 4096, "mappings are page-aligned");

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_array_new_length();
    size_t bytes = n * sizeof(T);
    if (bytes >= kHugePageBytes) return static_cast<T*>(AllocateHugePages(bytes));
    return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
  }
  void deallocate(T* p, size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes >= kHugePageBytes) {
      FreeHugePages(p, bytes);
    } else {
      ::operator delete (p, std::align_val_t{alignof(T)});
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace tutti

#endif  // TUTTI_HUGE_PAGES_H_
