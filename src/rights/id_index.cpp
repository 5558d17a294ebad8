#include "tutti/id_index.h"

namespace tutti {

uint32_t IdIndex::Hash(std::string_view id) {
  // FNV-1a, then a final mix so that ids differing in their last characters (R1, R2, ...)
  // spread over the low bits the table indexes by.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<uint32_t>(h);
}

void IdIndex::Insert(std::string_view id, uint32_t position) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();  // load factor at most 1/2
  uint32_t hash = Hash(id);
  size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].position != kNone) i = (i + 1) & mask;
  slots_[i] = {hash, position};
  ++size_;
}

void IdIndex::Grow() {
  auto old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{0, kNone});
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.position == kNone) continue;
    size_t i = s.hash & mask;
    while (slots_[i].position != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace tutti
