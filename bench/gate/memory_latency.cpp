// What one dependent cache miss costs on this machine, with 4 KiB and with 2 MiB pages:
// the unit a cold decision is paid in (docs/BENCHMARKS.md reads gate_bench against it).
// A random cyclic pointer chase through 1 GiB, one 64-byte line per step, so that every
// step misses the caches and, with small pages, the TLB.
//
//   taskset -c 0 build/bench/gate/memory_latency
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "tutti/huge_pages.h"

namespace {

constexpr size_t kBytes = size_t{1} << 30;
constexpr size_t kLine = 64;

void BM_DependentMiss(benchmark::State& state) {
  bool huge = state.range(0) != 0;
  void* memory =
      huge ? tutti::AllocateHugePages(kBytes)
           : mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    state.SkipWithError("mmap failed");
    return;
  }
  if (!huge) madvise(memory, kBytes, MADV_NOHUGEPAGE);
  size_t lines = kBytes / kLine;
  std::vector<uint32_t> order(lines);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(1));
  auto* base = static_cast<char*>(memory);
  for (size_t i = 0; i < lines; ++i) {
    *reinterpret_cast<uint64_t*>(base + size_t{order[i]} * kLine) = order[(i + 1) % lines];
  }
  uint64_t at = order[0];
  for (auto _ : state) {
    at = *reinterpret_cast<const uint64_t*>(base + at * kLine);
    benchmark::DoNotOptimize(at);
  }
  if (huge) {
    tutti::FreeHugePages(memory, kBytes);
  } else {
    munmap(memory, kBytes);
  }
}
BENCHMARK(BM_DependentMiss)->ArgName("huge_pages")->Arg(0)->Arg(1);

}  // namespace
