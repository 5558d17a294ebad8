// Territories: ISO 3166-1 alpha-2 countries, and sets of them.
//
// A TerritorySet is written as a comma list of codes or WORLD, where "-CC" excludes a code:
// "WORLD,-US" is every country but the United States; "FR,DE" is France and Germany.
// Value types; thread-safe.
#ifndef TUTTI_TERRITORY_H_
#define TUTTI_TERRITORY_H_

#include <bitset>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti {

// Index of a country in the ISO 3166-1 alpha-2 list (0 .. kTerritoryCount-1).
using Territory = uint16_t;
inline constexpr int kTerritoryCount = 249;

// "FR" -> its index; errors name the code.
Result<Territory> ParseTerritory(std::string_view code);
std::string_view TerritoryCode(Territory t);

class TerritorySet {
 public:
  TerritorySet() = default;  // empty
  static TerritorySet World();
  static TerritorySet Of(Territory t);

  // Parses "WORLD,-US" or "FR,DE". An empty result ("US,-US") is an error.
  static Result<TerritorySet> Parse(std::string_view text);

  bool Contains(Territory t) const { return bits_.test(t); }
  bool empty() const { return bits_.none(); }
  bool IsWorld() const { return bits_.count() == kTerritoryCount; }
  int size() const { return static_cast<int>(bits_.count()); }
  void Add(Territory t) { bits_.set(t); }

  // The shortest text that Parse reads back: "WORLD", "WORLD,-US" or "FR,DE".
  std::string ToString() const;

  bool operator==(const TerritorySet& other) const { return bits_ == other.bits_; }
  size_t Hash() const { return std::hash<std::bitset<kTerritoryCount>>{}(bits_); }

 private:
  std::bitset<kTerritoryCount> bits_;
};

}  // namespace tutti

#endif  // TUTTI_TERRITORY_H_
