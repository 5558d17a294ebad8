// A small registry with the shapes the rules care about, for the rights tests.
#ifndef TUTTI_TESTS_RIGHTS_REGISTRY_FIXTURE_H_
#define TUTTI_TESTS_RIGHTS_REGISTRY_FIXTURE_H_

#include <gtest/gtest.h>

#include "tutti/rights.h"

namespace tutti::testing {

inline Share S(const std::string& party, Ppm ppm, const char* territories = "WORLD") {
  return {party, ppm, TerritorySet::Parse(territories).value()};
}

inline Timestamp T(const char* text) { return ParseTime(text).value(); }

// label owns the master of R1 (work W1: writer 50%, publisher 50%), sung by artist.
inline void BuildSmallRegistry(Registry& reg) {
  ASSERT_TRUE(reg.AddParty({"label", PartyKind::kLabel, "Northstar Records", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"pub", PartyKind::kPublisher, "Meridian Publishing", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"writer", PartyKind::kSongwriter, "Lena Ortiz", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"artist", PartyKind::kArtist, "Ava Lune", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"muse", PartyKind::kProduct, "Muse AI", ""}).ok());
  ASSERT_TRUE(
      reg.AddWork(
             {"W1", "First Light", "T-034.524.680-1", {S("writer", 500'000), S("pub", 500'000)}})
          .ok());
  ASSERT_TRUE(reg.AddRecording({"R1",
                                "First Light",
                                "US-RC1-76-07839",
                                "W1",
                                {"artist"},
                                {S("label", kWhole)},
                                "",
                                ""})
                  .ok());
}

inline License CatalogLicense(const std::string& id, const std::string& licensor,
                              const char* uses = "train", const char* territories = "WORLD",
                              const char* from = "2026-01-01") {
  License l;
  l.id = id;
  l.licensor = licensor;
  l.licensee = "muse";
  l.uses = UseSet::Parse(uses).value();
  l.territories = TerritorySet::Parse(territories).value();
  l.from = T(from);
  l.catalog = true;
  return l;
}

// A consent statement; without an id it gets a fresh one ("C-t<n>", unique in the process).
inline Consent Statement(const std::string& party, ConsentScope scope, const std::string& target,
                         Use use, bool allow, const char* at, std::string id = "") {
  static int next = 0;
  if (id.empty()) id = "C-t" + std::to_string(++next);
  return {id, party, scope, target, use, allow, T(at)};
}

}  // namespace tutti::testing

#endif  // TUTTI_TESTS_RIGHTS_REGISTRY_FIXTURE_H_
