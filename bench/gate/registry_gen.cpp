// The benchmark registry: see registry_gen.h for its shape.
#include "registry_gen.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace tutti::bench {
namespace {

constexpr Timestamp kFirstDay = 1'704'067'200;  // 2024-01-01T00:00:00Z
constexpr Timestamp kDay = 86'400;

// Power-law picks: rank k (0-based) is drawn with weight 1 / (k + 1)^exponent.
class Zipf {
 public:
  Zipf(int n, double exponent) {
    std::vector<double> w(n);
    for (int k = 0; k < n; ++k) w[k] = 1.0 / std::pow(k + 1.0, exponent);
    dist_ = std::discrete_distribution<int>(w.begin(), w.end());
  }
  int operator()(std::mt19937_64& rng) { return dist_(rng); }

 private:
  std::discrete_distribution<int> dist_;
};

class Generator {
 public:
  Generator(const RegistryGenOptions& o, RegistryGenStats& stats)
      : o_(o),
        stats_(stats),
        rng_(o.seed),
        label_zipf_(o.labels, 1.1),
        distributor_zipf_(o.distributors, 1.0),
        publisher_zipf_(o.publishers, 1.0),
        writer_zipf_(o.songwriters, 0.8),
        artist_zipf_(o.artists, 0.9),
        product_zipf_(o.products, 1.5) {}

  Registry Run() {
    AddParties();
    AddWorks();
    AddRecordings();
    AddLicenses();
    AddConsents();
    return std::move(reg_);
  }

 private:
  static std::string Id(const char* prefix, int i) { return prefix + std::to_string(i); }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  Timestamp RandomTime(Timestamp from, Timestamp to) {
    return std::uniform_int_distribution<Timestamp>(from, to)(rng_);
  }

  void Must(const Status& s) {
    if (s.ok()) return;
    std::fprintf(stderr, "registry_gen: %s\n", s.message().c_str());
    std::abort();
  }

  void AddParties() {
    struct Group {
      PartyKind kind;
      const char* prefix;
      int count;
    };
    const Group groups[] = {{PartyKind::kLabel, "lab", o_.labels},
                            {PartyKind::kPublisher, "pub", o_.publishers},
                            {PartyKind::kDistributor, "dis", o_.distributors},
                            {PartyKind::kSongwriter, "wri", o_.songwriters},
                            {PartyKind::kArtist, "art", o_.artists},
                            {PartyKind::kSociety, "soc", o_.societies},
                            {PartyKind::kProduct, "prod", o_.products}};
    for (const Group& g : groups) {
      for (int i = 0; i < g.count; ++i) {
        std::string id = Id(g.prefix, i);
        Must(reg_.AddParty({id, g.kind, "Party " + id, ""}));
      }
    }
    label_recordings_.resize(o_.labels);
    publisher_works_.resize(o_.publishers);
    writer_works_.resize(o_.songwriters);
  }

  // Composition shares: writers with publishers; a few split by territory.
  void AddWorks() {
    const TerritorySet world = TerritorySet::World();
    const TerritorySet not_jp = TerritorySet::Parse("WORLD,-JP").value();
    const TerritorySet jp = TerritorySet::Parse("JP").value();
    for (int w = 0; w < o_.works; ++w) {
      int pattern = Uniform(0, 99);
      int pub = publisher_zipf_(rng_), writer = writer_zipf_(rng_);
      std::vector<Share> shares;
      if (pattern < 50) {
        shares = {{Id("wri", writer), 500'000, world}, {Id("pub", pub), 500'000, world}};
      } else if (pattern < 75) {
        shares = {{Id("pub", pub), kWhole, world}};
      } else if (pattern < 90) {
        int other = (writer + 1 + Uniform(0, o_.songwriters - 2)) % o_.songwriters;
        shares = {{Id("wri", writer), 500'000, world},
                  {Id("wri", other), 250'000, world},
                  {Id("pub", pub), 250'000, world}};
        writer_works_[other].push_back(w);
      } else if (pattern < 97) {
        int other = (pub + 1 + Uniform(0, o_.publishers - 2)) % o_.publishers;
        shares = {{Id("pub", pub), 500'000, world}, {Id("pub", other), 500'000, world}};
        publisher_works_[other].push_back(w);
      } else {  // a sub-publisher holds Japan
        int other = (pub + 1 + Uniform(0, o_.publishers - 2)) % o_.publishers;
        shares = {{Id("pub", pub), kWhole, not_jp}, {Id("pub", other), kWhole, jp}};
        publisher_works_[other].push_back(w);
      }
      if (pattern < 90) writer_works_[writer].push_back(w);
      publisher_works_[pub].push_back(w);
      Must(reg_.AddWork({Id("W", w), "Work " + std::to_string(w), "", std::move(shares)}));
    }
  }

  // Master shares: mostly one label; some distributors, co-owned or split masters.
  void AddRecordings() {
    const TerritorySet world = TerritorySet::World();
    const TerritorySet not_jp = TerritorySet::Parse("WORLD,-JP").value();
    const TerritorySet jp = TerritorySet::Parse("JP").value();
    for (int r = 0; r < o_.recordings; ++r) {
      int work = static_cast<int>(int64_t{r} * o_.works / o_.recordings);
      int pattern = Uniform(0, 99);
      int label = label_zipf_(rng_);
      std::vector<Share> shares;
      if (pattern < 80) {
        shares = {{Id("lab", label), kWhole, world}};
      } else if (pattern < 90) {
        shares = {{Id("dis", distributor_zipf_(rng_)), kWhole, world}};
        label = -1;
      } else {
        int other = (label + 1 + Uniform(0, o_.labels - 2)) % o_.labels;
        if (pattern < 95) {
          shares = {{Id("lab", label), 500'000, world}, {Id("lab", other), 500'000, world}};
        } else {
          shares = {{Id("lab", label), kWhole, not_jp}, {Id("lab", other), kWhole, jp}};
        }
        label_recordings_[other].push_back(r);
      }
      if (label >= 0) label_recordings_[label].push_back(r);
      int artist = artist_zipf_(rng_);
      std::vector<std::string> artists = {Id("art", artist)};
      if (Chance(0.15)) artists.push_back(Id("art", (artist + 1 + Uniform(0, 99)) % o_.artists));
      Recording rec{Id("R", r),
                    "Recording " + std::to_string(r),
                    "",
                    Id("W", work),
                    std::move(artists),
                    std::move(shares),
                    "",
                    ""};
      Must(reg_.AddRecording(std::move(rec)));
    }
  }

  License BaseLicense(const std::string& licensor, const std::string& licensee) {
    License l;
    l.id = Id("L", static_cast<int>(reg_.licenses().size()));
    l.licensor = licensor;
    l.licensee = licensee;
    l.uses.Add(Use::kTrain);
    if (Chance(0.8)) l.uses.Add(Use::kReference);
    if (Chance(0.5)) l.uses.Add(Use::kRemix);
    if (Chance(0.2)) l.uses.Add(Use::kStyle);
    if (Chance(0.1)) l.uses.Add(Use::kVoice);
    int where = Uniform(0, 99);
    l.territories = where < 85   ? TerritorySet::World()
                    : where < 90 ? TerritorySet::Parse("WORLD,-JP").value()
                                 : TerritorySet::Parse("US,CA,GB,IE,AU,NZ").value();
    l.from = RandomTime(kFirstDay, kBenchNow + 30 * kDay);
    // Most run until further notice; some ended before the benchmark's "now".
    if (Chance(0.2)) l.until = l.from + kDay * Uniform(30, 3 * 365);
    l.revenue_share = 10'000 * Uniform(1, 50);
    return l;
  }

  void AddLicenses() {
    // Catalog grants: every holder deals with product 0 mostly, some with the others.
    struct Holders {
      const char* prefix;
      int count;
    };
    const Holders holders[] = {{"lab", o_.labels},
                               {"pub", o_.publishers},
                               {"dis", o_.distributors},
                               {"wri", o_.songwriters}};
    const double deal[] = {0.9, 0.5, 0.2, 0.1, 0.05};
    for (int p = 0; p < o_.products; ++p) {
      for (const Holders& h : holders) {
        for (int i = 0; i < h.count; ++i) {
          if (!Chance(p < 5 ? deal[p] : 0.05)) continue;
          if (static_cast<int>(reg_.licenses().size()) >= o_.licenses) return;
          License l = BaseLicense(Id(h.prefix, i), Id("prod", p));
          l.catalog = true;
          Must(reg_.AddLicense(std::move(l)));
          ++stats_.catalog_licenses;
        }
      }
    }
    // Listed licenses for the rest: songwriters, labels and publishers licensing a few of
    // their own works or recordings.
    while (static_cast<int>(reg_.licenses().size()) < o_.licenses) {
      int who = Uniform(0, 99);
      const std::vector<int>* items = nullptr;
      std::string licensor;
      bool recordings = false;
      if (who < 50) {
        int w = writer_zipf_(rng_);
        licensor = Id("wri", w);
        items = &writer_works_[w];
      } else if (who < 75) {
        int l = label_zipf_(rng_);
        licensor = Id("lab", l);
        items = &label_recordings_[l];
        recordings = true;
      } else {
        int p = publisher_zipf_(rng_);
        licensor = Id("pub", p);
        items = &publisher_works_[p];
      }
      if (items->empty()) continue;
      License l = BaseLicense(licensor, Id("prod", product_zipf_(rng_)));
      int n = std::min<int>(static_cast<int>(items->size()), Uniform(1, 10));
      int start = Uniform(0, static_cast<int>(items->size()) - n);
      for (int k = 0; k < n; ++k) {
        std::string id = Id(recordings ? "R" : "W", (*items)[start + k]);
        (recordings ? l.recordings : l.works).push_back(std::move(id));
      }
      Must(reg_.AddLicense(std::move(l)));
    }
  }

  // Artists' persona allows, owners' and artists' opt-outs; a few statements on all works.
  void AddConsents() {
    int added = 0;
    while (added < o_.consents) {
      int r = Uniform(0, o_.recordings - 1);
      const Recording& rec = reg_.recordings()[r];
      Consent c;
      int kind = Uniform(0, 99);
      if (kind < 45) {  // an artist allows a persona use
        c.party = rec.artists[Uniform(0, static_cast<int>(rec.artists.size()) - 1)];
        c.use = Chance(0.6) ? Use::kStyle : Use::kVoice;
        c.allow = Chance(0.9);
      } else if (kind < 75) {  // an owner opts a work or recording in or out
        const std::vector<Share>& shares =
            Chance(0.5) ? rec.shares : reg_.FindWork(rec.work)->shares;
        c.party = shares[Uniform(0, static_cast<int>(shares.size()) - 1)].party;
        c.use = Chance(0.7) ? Use::kTrain : static_cast<Use>(Uniform(0, kUseCount - 1));
        c.allow = Chance(0.4);
      } else {  // an artist on any use
        c.party = rec.artists[0];
        c.use = static_cast<Use>(Uniform(0, kUseCount - 1));
        c.allow = Chance(0.6);
      }
      int scope = Uniform(0, 99);
      c.scope = scope < 1    ? ConsentScope::kAll
                : scope < 60 ? ConsentScope::kRecording
                             : ConsentScope::kWork;
      c.target = c.scope == ConsentScope::kRecording ? rec.id
                 : c.scope == ConsentScope::kWork    ? rec.work
                                                     : "";
      // A statement on all one's works is rare and comes from any party alike, not in
      // proportion to its catalog: about one per two parties.
      if (c.scope == ConsentScope::kAll) {
        c.party =
            reg_.parties()[Uniform(0, static_cast<int>(reg_.parties().size()) - o_.products - 1)]
                .id;
      }
      // Up to a month after "now": statements that are not yet in force.
      c.at = RandomTime(kFirstDay, kBenchNow + 30 * kDay);
      c.id = "C" + std::to_string(added + 1);
      if (reg_.AddConsent(std::move(c)).ok()) {
        ++added;
      } else {
        ++stats_.rejected;
      }
    }
  }

  const RegistryGenOptions& o_;
  RegistryGenStats& stats_;
  std::mt19937_64 rng_;
  Zipf label_zipf_, distributor_zipf_, publisher_zipf_, writer_zipf_, artist_zipf_, product_zipf_;
  Registry reg_;
  std::vector<std::vector<int>> label_recordings_, publisher_works_, writer_works_;
};

}  // namespace

int64_t ResidentBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;
  }
  return 0;
}

Registry GenerateRegistry(const RegistryGenOptions& options, RegistryGenStats* stats) {
  RegistryGenStats local;
  RegistryGenStats& s = stats ? *stats : local;
  int64_t rss_before = ResidentBytes();
  auto start = std::chrono::steady_clock::now();
  Registry reg = Generator(options, s).Run();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.rss_bytes = ResidentBytes() - rss_before;
  return reg;
}

}  // namespace tutti::bench
