#include "tutti/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace tutti {
namespace {

size_t RoundUp(size_t bytes) {
  return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}

}  // namespace

void* AllocateHugePages(size_t bytes) {
  // Map one huge page more than asked, then unmap the ragged ends, so that the block starts
  // on a 2 MiB boundary: only aligned 2 MiB ranges can be backed by huge pages.
  size_t size = RoundUp(bytes);
  size_t mapped = size + kHugePageBytes;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto begin = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (begin + kHugePageBytes - 1) & ~(uintptr_t{kHugePageBytes} - 1);
  if (aligned > begin) munmap(raw, aligned - begin);
  size_t tail = begin + mapped - (aligned + size);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + size), tail);
  auto* memory = reinterpret_cast<void*>(aligned);
  madvise(memory, size, MADV_HUGEPAGE);  // a hint: without huge pages the block still works
  return memory;
}

void FreeHugePages(void* memory, size_t bytes) { munmap(memory, RoundUp(bytes)); }

}  // namespace tutti
