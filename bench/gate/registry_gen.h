// A deterministic generator of a realistic rights registry at benchmark scale.
//
// The shape follows the music business (docs/BENCHMARKS.md, "License gate and registry"):
// labels, publishers and distributors own catalogs whose sizes follow a power law (a few
// majors, a long tail of indies); songwriters co-own compositions with publishers; a few
// rights are split by territory; recordings have one or two performing artists; a handful
// of AI products are the licensees. Licenses mix whole-catalog grants from rights holders
// with licenses listing a few recordings or works; consent statements are artists'
// persona allows and owners' and artists' opt-outs, on a recording, a work or everything.
//
// The same options give the same registry, record for record.
#ifndef TUTTI_BENCH_GATE_REGISTRY_GEN_H_
#define TUTTI_BENCH_GATE_REGISTRY_GEN_H_

#include <cstdint>
#include <string>

#include "tutti/rights.h"

namespace tutti::bench {

struct RegistryGenOptions {
  uint64_t seed = 20260601;
  int recordings = 1'000'000;
  int works = 500'000;
  int labels = 2'000;
  int publishers = 2'000;
  int distributors = 500;
  int songwriters = 8'000;
  int artists = 7'480;
  int societies = 20;
  int products = 5;
  int licenses = 100'000;  // catalog grants first (one per holder and product it deals
                           // with), listed licenses for the rest
  int consents = 1'000'000;
};

struct RegistryGenStats {
  double seconds = 0;     // wall time of all the Add* calls (and the generation)
  int64_t rss_bytes = 0;  // resident memory growth while building
  int rejected = 0;       // records the registry refused (duplicate consent times)
  int catalog_licenses = 0;
};

// Builds the registry described by `options` through Registry::Add*.
Registry GenerateRegistry(const RegistryGenOptions& options, RegistryGenStats* stats);

// The time the benchmarks ask at: 2026-06-01T00:00:00Z. Licenses and consents are dated
// between 2024-01-01 and this time, some licenses end before it.
inline constexpr Timestamp kBenchNow = 1'780'272'000;

// Resident set size of this process, from /proc/self/status (0 if unavailable).
int64_t ResidentBytes();

}  // namespace tutti::bench

#endif  // TUTTI_BENCH_GATE_REGISTRY_GEN_H_
