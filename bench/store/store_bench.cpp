// The store at scale (docs/BENCHMARKS.md, "Stores"): a generated registry of 1M recordings
// written to a store through the port, loaded afresh, then 10,000 further changes applied to
// the loaded registry through the change feed, against reloading it whole. The same run on
// a SQLite file and on a PostgreSQL database gives the two side by side.
//
//   store_bench --store URL [--recordings N] [--changes N]
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "registry_gen.h"
#include "tutti/record.h"
#include "tutti/store.h"

namespace {

// This process's CPU time (user + system), in seconds. On a shared machine it is steadier
// than wall time; for PostgreSQL the server's work is in other processes, so both are shown.
double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuSeconds();
  double Wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double Cpu() const { return CpuSeconds() - cpu; }
};

int Fail(const tutti::Status& s) {
  std::fprintf(stderr, "store_bench: %s\n", s.message().c_str());
  return 1;
}

// The registry's records in an order that replays: each after what it names.
std::vector<tutti::Record> RecordsOf(const tutti::Registry& reg) {
  std::vector<tutti::Record> out;
  for (const auto& x : reg.parties()) out.emplace_back(x);
  for (const auto& x : reg.works()) out.emplace_back(x);
  for (const auto& x : reg.recordings()) out.emplace_back(x);
  for (const auto& x : reg.licenses()) out.emplace_back(x);
  for (const auto& x : reg.consents()) out.emplace_back(x);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  int recordings = 1'000'000;
  int changes = 10'000;
  CLI::App app{"Store benchmark: write, load, and follow the change feed of a large registry."};
  app.add_option("--store", url, "a new store: a SQLite path or a postgresql:// URI")->required();
  app.add_option("--recordings", recordings, "recordings in the generated registry")
      ->capture_default_str();
  app.add_option("--changes", changes, "changes applied after loading")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  tutti::bench::RegistryGenOptions gen;
  gen.recordings = recordings;
  gen.works = recordings / 2;
  gen.licenses = recordings / 10;
  gen.consents = recordings;
  tutti::bench::RegistryGenStats gen_stats;
  std::vector<tutti::Record> records;
  {
    tutti::Registry generated = tutti::bench::GenerateRegistry(gen, &gen_stats);
    records = RecordsOf(generated);
  }
  std::printf("store %s\nregistry: %d recordings, %zu records\n", url.c_str(), recordings,
              records.size());

  tutti::StoreOptions create;
  create.create = true;
  auto store = tutti::OpenStore(url, create);
  if (!store.ok()) return Fail(store.status());
  Timer write;
  {
    auto txn = (*store)->BeginWrite();
    if (!txn.ok()) return Fail(txn.status());
    tutti::Status s = tutti::AppendChanges(**txn, records, "bench", tutti::bench::kBenchNow);
    if (!s.ok()) return Fail(s);
  }
  std::printf("write %zu changes (one transaction): %.2f s wall, %.2f s CPU\n", records.size(),
              write.Wall(), write.Cpu());

  Timer load;
  auto loaded = tutti::LoadRegistry(**store);
  if (!loaded.ok()) return Fail(loaded.status());
  std::printf("load the registry: %.2f s wall, %.2f s CPU (RSS %.0f MiB)\n", load.Wall(),
              load.Cpu(), tutti::bench::ResidentBytes() / 1048576.0);

  // Another writer appends `changes` consent statements while this process holds its
  // snapshot: the change feed brings the snapshot up to date.
  std::vector<tutti::Record> more;
  const auto& parties = loaded->parties();
  for (int i = 0; i < changes; ++i) {
    tutti::Consent c;
    c.id = "bench-C" + std::to_string(i);
    c.party = parties[static_cast<size_t>(i) % parties.size()].id;
    c.scope = tutti::ConsentScope::kAll;
    c.use = tutti::Use::kVoice;
    c.allow = i % 2 == 0;
    c.at = tutti::bench::kBenchNow + 1 + i;
    more.emplace_back(std::move(c));
  }
  {
    auto writer = tutti::OpenStore(url);
    if (!writer.ok()) return Fail(writer.status());
    auto txn = (*writer)->BeginWrite();
    if (!txn.ok()) return Fail(txn.status());
    tutti::Status s = tutti::AppendChanges(**txn, more, "bench", tutti::bench::kBenchNow + 1);
    if (!s.ok()) return Fail(s);
  }
  Timer apply;
  tutti::Status applied = tutti::ApplyChanges(**store, *loaded);
  if (!applied.ok()) return Fail(applied);
  double apply_s = apply.Wall(), apply_cpu = apply.Cpu();
  Timer reload;
  auto reloaded = tutti::LoadRegistry(**store);
  if (!reloaded.ok()) return Fail(reloaded.status());
  double reload_s = reload.Wall(), reload_cpu = reload.Cpu();
  if (reloaded->version() != loaded->version() ||
      reloaded->consents().size() != loaded->consents().size()) {
    return Fail(tutti::Status::Internal("the change feed and a fresh load disagree"));
  }
  std::printf(
      "apply %d changes to the loaded registry: %.3f s wall, %.3f s CPU; reload it whole: %.2f s "
      "wall, %.2f s CPU (x%.0f in wall time)\n",
      changes, apply_s, apply_cpu, reload_s, reload_cpu, reload_s / apply_s);
  return 0;
}
