#include "tutti/hash.h"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace tutti {

std::string Blake2bHex(std::string_view data) {
  // sodium_init is idempotent and thread-safe; it only fails when no entropy source exists,
  // which hashing does not need.
  static const int init = sodium_init();
  (void)init;
  std::array<unsigned char, 32> digest;
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  std::array<char, 65> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), 64);
}

}  // namespace tutti
