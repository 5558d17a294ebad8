// Any bytes through every small parser of user text: times, territories, codes, shares,
// amounts of money.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tutti/codes.h"
#include "tutti/money.h"
#include "tutti/rights.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = tutti::ParseTime(text); t.ok()) {
    // What prints must parse back to the same instant.
    if (tutti::ParseTime(tutti::FormatTime(*t)).value() != *t) __builtin_trap();
  }
  if (auto s = tutti::TerritorySet::Parse(text); s.ok()) {
    if (!(tutti::TerritorySet::Parse(s->ToString()).value() == *s)) __builtin_trap();
  }
  if (auto p = tutti::ParsePercent(text); p.ok()) {
    if (tutti::ParsePercent(tutti::FormatPercent(*p)).value() != *p) __builtin_trap();
  }
  if (auto m = tutti::Money::Parse(text); m.ok()) {
    if (!(tutti::Money::Parse(m->ToString()).value() == *m)) __builtin_trap();
  }
  (void)tutti::ParseIsrc(text);
  (void)tutti::ParseIswc(text);
  (void)tutti::ParseIpi(text);
  (void)tutti::UseSet::Parse(text);
  return 0;
}
