// A fixed amount of gate work on a scaled-down generated registry, for counting
// instructions under callgrind (the machine's timings are noisy; instruction counts repeat):
//
//   valgrind --tool=callgrind --instr-atstart=no build/bench/gate/gate_count decide 20000 100000
//   callgrind_annotate callgrind.out.<pid>
//
// Arguments: MODE RECORDINGS ITERATIONS. Modes: decide (Decide, findings built), allowed
// (Allowed by dense indexes), many (DecideMany, 256 a call), cleared (Cleared of product 0,
// train, US, now; ITERATIONS passes). Only the measured loop is instrumented
// (CALLGRIND_START/STOP_INSTRUMENTATION, hence --instr-atstart=no); the printed sink lets
// two builds be checked to decide alike.
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "registry_gen.h"
#include "tutti/gate.h"

int main(int argc, char** argv) {
  using namespace tutti;
  using namespace tutti::bench;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s decide|allowed|many|cleared RECORDINGS ITERATIONS\n", argv[0]);
    return 2;
  }
  const char* mode = argv[1];
  int n = std::atoi(argv[2]);
  long iterations = std::atol(argv[3]);
  if (n < 1000 || iterations < 1) {
    std::fprintf(stderr, "RECORDINGS must be >= 1000 and ITERATIONS >= 1\n");
    return 2;
  }
  // The benchmark's registry, every count scaled by n / 1M (the small ones kept).
  RegistryGenOptions options;
  double scale = n / 1e6;
  auto scaled = [&](int count) { return std::max(1, static_cast<int>(count * scale)); };
  options.recordings = n;
  options.works = scaled(options.works);
  options.licenses = scaled(options.licenses);
  options.consents = scaled(options.consents);
  options.labels = scaled(options.labels);
  options.publishers = scaled(options.publishers);
  options.distributors = scaled(options.distributors);
  options.songwriters = scaled(options.songwriters);
  options.artists = scaled(options.artists);
  RegistryGenStats stats;
  Registry registry = GenerateRegistry(options, &stats);

  // Requests drawn as gate_bench draws them.
  std::mt19937_64 rng(7);
  const char* codes[] = {"US", "GB", "DE", "FR", "JP", "BR", "SE", "KR", "NG", "IN"};
  std::vector<Territory> territories;
  for (const char* c : codes) territories.push_back(ParseTerritory(c).value());
  std::discrete_distribution<int> product({60, 20, 10, 5, 5});
  std::discrete_distribution<int> use({60, 15, 10, 10, 5});
  std::vector<DecisionRequest> requests;
  std::vector<uint32_t> product_index, recording_index;
  auto count = static_cast<uint32_t>(registry.recordings().size());
  for (int i = 0; i < (1 << 16); ++i) {
    DecisionRequest q;
    uint32_t r = std::uniform_int_distribution<uint32_t>(0, count - 1)(rng);
    q.recording = registry.recordings()[r].id;
    q.product = "prod" + std::to_string(product(rng));
    q.use = static_cast<Use>(use(rng));
    q.territory = territories[rng() % territories.size()];
    q.at = kBenchNow + std::uniform_int_distribution<Timestamp>(-90, 30)(rng) * 86'400;
    recording_index.push_back(r);
    product_index.push_back(
        static_cast<uint32_t>(registry.FindParty(q.product) - registry.parties().data()));
    requests.push_back(std::move(q));
  }

  Gate gate(registry);
  size_t sink = 0;
  CALLGRIND_START_INSTRUMENTATION;
  if (std::strcmp(mode, "decide") == 0) {
    for (long i = 0; i < iterations; ++i) {
      Decision d = gate.Decide(requests[i & 0xffff]);
      sink += d.allowed() + d.findings.size();
    }
  } else if (std::strcmp(mode, "allowed") == 0) {
    for (long i = 0; i < iterations; ++i) {
      size_t k = i & 0xffff;
      const DecisionRequest& q = requests[k];
      sink += gate.Allowed(recording_index[k], product_index[k], q.use, q.territory, q.at);
    }
  } else if (std::strcmp(mode, "many") == 0) {
    for (long i = 0; i < iterations; i += 256) {
      std::span<const DecisionRequest> batch(requests.data() + (i & 0xff00), 256);
      for (const Decision& d : gate.DecideMany(batch)) sink += d.allowed();
    }
  } else if (std::strcmp(mode, "cleared") == 0) {
    Territory us = ParseTerritory("US").value();
    for (long i = 0; i < iterations; ++i) {
      sink += gate.Cleared(Use::kTrain, "prod0", us, kBenchNow).size();
    }
  } else {
    std::fprintf(stderr, "unknown mode '%s'\n", mode);
    return 2;
  }
  CALLGRIND_STOP_INSTRUMENTATION;
  std::printf("%s n=%d iterations=%ld sink=%zu\n", mode, n, iterations, sink);
  return 0;
}
