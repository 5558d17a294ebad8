// Kernel benchmarks of content identification (Google Benchmark): decoding, resampling,
// peak extraction, query hashing and matching. Synthetic input, so they run anywhere;
// set TUTTI_FP_BENCH_INDEX to an index file (e.g. from fp_eval --index-out) and
// TUTTI_FP_BENCH_QUERY to a query audio file to time a real query against a real index.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <random>

#include "tutti/audio.h"
#include "tutti/fingerprint.h"

namespace {

using namespace tutti;

std::vector<float> Music(double seconds, int rate, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<float> x(static_cast<size_t>(seconds * rate));
  for (double onset = 0; onset < seconds; onset += 0.05 + 0.2 * u(rng)) {
    const double f = 110 * std::pow(2.0, 4 * u(rng)), dur = 0.1 + 0.4 * u(rng);
    const size_t a = static_cast<size_t>(onset * rate), n = static_cast<size_t>(dur * rate);
    for (size_t i = 0; i < n && a + i < x.size(); ++i) {
      const double env = std::exp(-3.0 * i / n);
      x[a + i] += static_cast<float>(0.1 * env * std::sin(2 * std::numbers::pi * f * i / rate));
    }
  }
  return x;
}

void BM_DecodeWav10s(benchmark::State& state) {
  const auto path = (std::filesystem::temp_directory_path() / "tutti_fp_bench.wav").string();
  const auto x = Music(10, 44100, 1);
  if (!audio::WriteWav(path, x, 44100).ok()) state.SkipWithError("cannot write wav");
  for (auto _ : state) benchmark::DoNotOptimize(audio::DecodeFile(path));
  state.SetItemsProcessed(state.iterations() * 10);  // seconds of audio
  std::filesystem::remove(path);
}
BENCHMARK(BM_DecodeWav10s)->Unit(benchmark::kMillisecond);

void BM_Resample44kTo8k10s(benchmark::State& state) {
  const auto x = Music(10, 44100, 2);
  for (auto _ : state) benchmark::DoNotOptimize(audio::Resample(x, 44100, 8000));
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_Resample44kTo8k10s)->Unit(benchmark::kMillisecond);

void BM_Extract10s(benchmark::State& state) {
  const auto x = Music(10, 8000, 3);
  for (auto _ : state) benchmark::DoNotOptimize(fp::Extract(x, 8000));
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_Extract10s)->Unit(benchmark::kMillisecond);

void BM_QueryQuads10s(benchmark::State& state) {
  auto f = fp::Extract(Music(10, 8000, 4), 8000);
  std::vector<fp::Quad> quads;
  for (auto _ : state) {
    quads.clear();
    fp::QueryQuads(*f, fp::HashOptions{}, &quads);
    benchmark::DoNotOptimize(quads.data());
  }
  state.counters["quads"] = static_cast<double>(quads.size());
}
BENCHMARK(BM_QueryQuads10s)->Unit(benchmark::kMillisecond);

void BM_Query10s(benchmark::State& state) {
  fp::Index index;
  fp::Fingerprint query;
  const char* ip = std::getenv("TUTTI_FP_BENCH_INDEX");
  const char* qp = std::getenv("TUTTI_FP_BENCH_QUERY");
  if (ip != nullptr && qp != nullptr) {
    auto loaded = fp::LoadIndex(ip);
    auto a = audio::DecodeFile(qp);
    if (!loaded.ok() || !a.ok()) return state.SkipWithError("cannot load index or query");
    index = std::move(loaded).value();
    query = fp::Extract(a->samples, 8000).value();
  } else {  // 1 h of synthetic references
    for (uint32_t s = 0; s < 20; ++s) {
      auto r = fp::Extract(Music(180, 8000, 100 + s), 8000);
      std::string id = std::to_string(s);
      id.insert(id.begin(), 'r');  // not "r" + ...: GCC 12 -Wrestrict false positive
      (void)index.Add(id, *r);
    }
    index.Build();
    auto x = Music(180, 8000, 107);
    query =
        fp::Extract(std::vector<float>(x.begin() + 8000 * 60, x.begin() + 8000 * 70), 8000).value();
  }
  size_t found = 0;
  for (auto _ : state) {
    auto m = index.Query(query);
    found = m.ok() ? m->size() : 0;
  }
  state.counters["matches"] = static_cast<double>(found);
}
BENCHMARK(BM_Query10s)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
