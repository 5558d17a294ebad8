// What the store tests share: a temporary directory, a small catalog, random valid changes,
// and a registry's contents in comparable form.
#ifndef TUTTI_TESTS_STORE_STORE_FIXTURE_H_
#define TUTTI_TESTS_STORE_STORE_FIXTURE_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tutti/record_json.h"
#include "tutti/store.h"

namespace tutti::testing {

// A fresh directory under the system's temporary one, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    path_ = std::filesystem::temp_directory_path() /
            ("tutti-store-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline Share World(const std::string& party, Ppm ppm) {
  return {party, ppm, TerritorySet::World()};
}

// Eight records: four parties, a work, a recording, a license and a consent statement.
inline std::vector<Record> SmallCatalog() {
  License l;
  l.id = "L1";
  l.licensor = "label";
  l.licensee = "muse";
  l.uses = UseSet::Parse("train").value();
  l.territories = TerritorySet::Parse("WORLD,-US").value();
  l.from = ParseTime("2026-01-01").value();
  l.recordings = {"R1"};
  return {Party{"label", PartyKind::kLabel, "Northstar", ""},
          Party{"writer", PartyKind::kSongwriter, "Lena", "00052210040"},
          Party{"artist", PartyKind::kArtist, "Ava", ""},
          Party{"muse", PartyKind::kProduct, "Muse AI", ""},
          Work{"W1", "First Light", "T0345246801", {World("writer", kWhole)}},
          Recording{"R1",
                    "First Light",
                    "USRC17607839",
                    "W1",
                    {"artist"},
                    {World("label", kWhole)},
                    "/tmp/a.wav",
                    ""},
          l,
          Consent{"C1", "artist", ConsentScope::kAll, "", Use::kVoice, false, 1000}};
}

inline Consent ArtistConsent(std::string id, Timestamp at, bool allow = true) {
  return Consent{std::move(id), "artist", ConsentScope::kAll, "", Use::kTrain, allow, at};
}

// Appends `records` in one write transaction.
inline Status Append(Store& store, const std::vector<Record>& records,
                     std::string_view actor = "alice", Timestamp at = 1) {
  TUTTI_ASSIGN_OR_RETURN(std::unique_ptr<WriteTransaction> txn, store.BeginWrite());
  return AppendChanges(*txn, records, actor, at);
}

// Every entry of the log.
inline std::vector<AuditEntry> ReadLog(Store& store, int64_t after = 0) {
  std::vector<AuditEntry> out;
  Status s = store.ScanLog(after, [&](AuditEntry&& e) {
    out.push_back(std::move(e));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

// The registry's records, every kind in the order it holds them, and its version.
inline std::vector<std::string> Dump(const Registry& reg) {
  std::vector<std::string> out;
  auto add = [&](const auto& records) {
    for (const auto& r : records) out.push_back(RecordJson(Record(r)).dump());
  };
  add(reg.parties());
  add(reg.works());
  add(reg.recordings());
  add(reg.licenses());
  add(reg.consents());
  add(reg.license_ends());
  add(reg.share_changes());
  out.push_back("version " + std::to_string(reg.version()));
  return out;
}

// Random changes that a registry accepts in order: parties, works owned by songwriters,
// recordings owned by labels and performed by artists, licenses to products, consent
// statements. Ids carry `tag` so that generators of different writers never collide.
class RandomChanges {
 public:
  RandomChanges(uint32_t seed, std::string tag) : rng_(seed), tag_(std::move(tag)) {}

  std::vector<Record> Next(size_t count) {
    std::vector<Record> out;
    while (out.size() < count) out.push_back(One());
    return out;
  }

 private:
  std::string Id(const char* prefix) { return tag_ + prefix + std::to_string(++n_); }
  size_t Pick(size_t size) { return std::uniform_int_distribution<size_t>(0, size - 1)(rng_); }

  Record One() {
    int choice = std::uniform_int_distribution<int>(0, 9)(rng_);
    if (labels_.empty() || writers_.empty() || artists_.empty() || products_.empty() ||
        choice < 2) {
      static constexpr PartyKind kKinds[] = {PartyKind::kLabel, PartyKind::kSongwriter,
                                             PartyKind::kArtist, PartyKind::kProduct};
      PartyKind kind = kKinds[Pick(4)];
      Party p{Id("P"), kind, "Name " + std::to_string(n_), ""};
      (kind == PartyKind::kLabel        ? labels_
       : kind == PartyKind::kSongwriter ? writers_
       : kind == PartyKind::kArtist     ? artists_
                                        : products_)
          .push_back(p.id);
      return p;
    }
    if (works_.empty() || choice < 4) {
      Work w{Id("W"),
             "Song " + std::to_string(n_),
             "",
             {World(writers_[Pick(writers_.size())], kWhole)}};
      works_.push_back(w.id);
      return w;
    }
    if (recordings_.empty() || choice < 6) {
      Recording r{Id("R"),
                  "Take " + std::to_string(n_),
                  "",
                  works_[Pick(works_.size())],
                  {artists_[Pick(artists_.size())]},
                  {World(labels_[Pick(labels_.size())], kWhole)},
                  "",
                  ""};
      recordings_.push_back(r.id);
      return r;
    }
    if (choice < 8) {
      License l;
      l.id = Id("L");
      l.licensor = labels_[Pick(labels_.size())];
      l.licensee = products_[Pick(products_.size())];
      l.uses = UseSet::Parse("train,remix").value();
      l.territories = TerritorySet::World();
      l.from = static_cast<Timestamp>(n_) * 1000;
      l.catalog = choice == 7;
      if (!l.catalog) l.recordings = {recordings_[Pick(recordings_.size())]};
      return l;
    }
    // Each statement at its own time, so that no two share a key.
    return Consent{
        Id("C"),     artists_[Pick(artists_.size())], ConsentScope::kAll, "", Use::kVoice,
        choice == 9, static_cast<Timestamp>(n_)};
  }

  std::mt19937 rng_;
  std::string tag_;
  uint64_t n_ = 0;
  std::vector<std::string> labels_, writers_, artists_, products_, works_, recordings_;
};

}  // namespace tutti::testing

#endif  // TUTTI_TESTS_STORE_STORE_FIXTURE_H_
