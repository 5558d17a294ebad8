// The license gate at the scale of issue 2: 1M recordings, 100k licenses, 1M consent
// statements, built once per process (BM_RegistryBuild reports how long that took and the
// memory it holds). Targets: Decide >= 1,000,000 per second per core with the explanation
// (the findings) available; Cleared over the 1M recordings under 1 second.
//
//   taskset -c 0 build/bench/gate/gate_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true  (one line)
#include <benchmark/benchmark.h>

#include <random>
#include <span>
#include <string>
#include <vector>

#include "registry_gen.h"
#include "tutti/gate.h"

namespace tutti::bench {
namespace {

struct Fixture {
  RegistryGenStats stats;
  Registry registry;
  std::vector<DecisionRequest> requests;  // random point requests
  std::vector<uint32_t> product_index;    // the product's party index, per request
  std::vector<uint32_t> recording_index;  // the recording's index, per request

  Fixture() : registry(GenerateRegistry(RegistryGenOptions{}, &stats)) {
    // Requests: any recording, mostly the biggest product, mostly training, a spread of
    // territories, at "now" give or take a few months (so some statements and licenses
    // are not yet, or no longer, in force).
    std::mt19937_64 rng(7);
    const char* codes[] = {"US", "GB", "DE", "FR", "JP", "BR", "SE", "KR", "NG", "IN"};
    std::vector<Territory> territories;
    for (const char* c : codes) territories.push_back(ParseTerritory(c).value());
    std::discrete_distribution<int> product({60, 20, 10, 5, 5});
    std::discrete_distribution<int> use({60, 15, 10, 10, 5});
    auto n = static_cast<int>(registry.recordings().size());
    for (int i = 0; i < (1 << 16); ++i) {
      DecisionRequest q;
      uint32_t r = std::uniform_int_distribution<uint32_t>(0, n - 1)(rng);
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
  }
};

const Fixture& Shared() {
  static const Fixture* fixture = new Fixture();  // lives for the whole process
  return *fixture;
}

void BM_RegistryBuild(benchmark::State& state) {
  const Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(f.registry.recordings().size());
  state.counters["build_s"] = f.stats.seconds;
  state.counters["rss_MiB"] = static_cast<double>(f.stats.rss_bytes) / (1 << 20);
  state.counters["recordings"] = static_cast<double>(f.registry.recordings().size());
  state.counters["works"] = static_cast<double>(f.registry.works().size());
  state.counters["parties"] = static_cast<double>(f.registry.parties().size());
  state.counters["licenses"] = static_cast<double>(f.registry.licenses().size());
  state.counters["catalog_licenses"] = f.stats.catalog_licenses;
  state.counters["consents"] = static_cast<double>(f.registry.consents().size());
  state.counters["rejected"] = f.stats.rejected;
}
BENCHMARK(BM_RegistryBuild)->Iterations(1);

// Only the two id lookups (recording, product) a Decide starts with.
void BM_FindIds(benchmark::State& state) {
  const Fixture& f = Shared();
  size_t i = 0;
  for (auto _ : state) {
    const DecisionRequest& q = f.requests[i++ & 0xffff];
    benchmark::DoNotOptimize(f.registry.FindRecording(q.recording));
    benchmark::DoNotOptimize(f.registry.FindParty(q.product));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FindIds);

// A point decision with its findings (the explanation's data), from string ids.
void BM_Decide(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    Decision d = gate.Decide(f.requests[i++ & 0xffff]);
    allowed += d.allowed();
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allowed_pct"] = 100.0 * allowed / state.iterations();
}
BENCHMARK(BM_Decide);

// The same random decisions through DecideMany, 256 requests a call.
void BM_DecideMany(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  size_t i = 0;
  for (auto _ : state) {
    std::span<const DecisionRequest> batch(f.requests.data() + (i & 0xff00), 256);
    i += 256;
    std::vector<Decision> d = gate.DecideMany(batch);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * 256);
}
BENCHMARK(BM_DecideMany);

// The same decisions over 64 recordings only, so the index they touch stays in cache:
// what a decision costs in instructions, as against BM_Decide's memory latency.
void BM_DecideHot(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  size_t i = 0;
  for (auto _ : state) {
    Decision d = gate.Decide(f.requests[i++ & 63]);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideHot);

// The verdict alone, by dense indexes: what Cleared runs per recording.
void BM_Allowed(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  size_t i = 0;
  for (auto _ : state) {
    size_t k = i++ & 0xffff;
    const DecisionRequest& q = f.requests[k];
    benchmark::DoNotOptimize(
        gate.Allowed(f.recording_index[k], f.product_index[k], q.use, q.territory, q.at));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Allowed);

// Decide then render the text a person reads.
void BM_Explain(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  std::vector<Decision> decisions;
  for (int k = 0; k < 256; ++k) decisions.push_back(gate.Decide(f.requests[k]));
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    std::string text = gate.Explain(decisions[i++ & 0xff]);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["chars"] = static_cast<double>(bytes) / state.iterations();
}
BENCHMARK(BM_Explain);

// The training set of product 0: every recording, train, in the US, now.
void BM_Cleared(benchmark::State& state) {
  const Fixture& f = Shared();
  Gate gate(f.registry);
  Territory us = ParseTerritory("US").value();
  size_t cleared = 0;
  for (auto _ : state) {
    std::vector<std::string> ids = gate.Cleared(Use::kTrain, "prod0", us, kBenchNow);
    cleared = ids.size();
    benchmark::DoNotOptimize(ids);
  }
  state.counters["cleared"] = static_cast<double>(cleared);
  state.counters["recordings"] = static_cast<double>(f.registry.recordings().size());
}
BENCHMARK(BM_Cleared)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace tutti::bench
