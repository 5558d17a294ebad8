// Cryptographic hashing for the audit chain: BLAKE2b-256 (libsodium).
#ifndef TUTTI_HASH_H_
#define TUTTI_HASH_H_

#include <string>
#include <string_view>

namespace tutti {

// Lower-case hex of BLAKE2b-256 over `data`. Thread-safe.
std::string Blake2bHex(std::string_view data);

}  // namespace tutti

#endif  // TUTTI_HASH_H_
