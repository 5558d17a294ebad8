// The platform's signing key: Ed25519 (libsodium), for audit checkpoints and, later,
// provenance manifests.
//
// A key file holds the 32-byte seed in hex on one line, with a comment line naming what it
// is; it is created with mode 0600 and never overwritten. The public key is what others keep
// to check signatures: 32 bytes, written in hex (64 characters).
//
// Thread-safety: value types; a SigningKey may be used from several threads at once.
#ifndef TUTTI_SIGNING_H_
#define TUTTI_SIGNING_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

class SigningKey {
 public:
  static SigningKey Generate();
  // From a 32-byte seed: the same seed gives the same key (tests, golden files).
  static SigningKey FromSeed(std::span<const uint8_t, 32> seed);

  const PublicKey& public_key() const { return public_key_; }
  Signature Sign(std::string_view message) const;

  // Creates a new key file at `path` (exclusively, mode 0600). kAlreadyExists if a file is
  // there; kIoError naming the path otherwise.
  static Result<SigningKey> CreateFile(const std::string& path);
  // Reads a key file. Errors name the path and what is wrong (missing, unreadable, not a
  // key, readable by others than its owner).
  static Result<SigningKey> LoadFile(const std::string& path);

 private:
  std::array<uint8_t, 64> secret_{};  // libsodium's secret key: seed followed by public key
  PublicKey public_key_{};
};

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature);

std::string ToHex(std::span<const uint8_t> bytes);
// Parses exactly `out.size()` bytes of hex; kInvalidArgument otherwise, naming `what`.
Status FromHex(std::string_view hex, std::span<uint8_t> out, std::string_view what);

}  // namespace tutti

#endif  // TUTTI_SIGNING_H_
