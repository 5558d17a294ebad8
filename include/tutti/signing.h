// The platform's signing key: Ed25519 (libsodium's crypto_sign), for audit checkpoints and,
// later, provenance manifests. Implemented in src/provenance/ (target tutti_provenance),
// since key files are I/O.
//
// A key file holds the 32-byte seed in hex on one line, after a comment line naming what it
// is:
//
//     # tutti platform signing key (Ed25519 seed, hex). Keep it secret: mode 0600.
//     9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
//
// It is created with mode 0600 and never overwritten, and refused when group or others have
// any access to it (as ssh refuses a private key). The public key is what others keep to
// check signatures: 32 bytes, written in hex (64 characters); a signature is 64 bytes (128
// hex characters).
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
using KeySeed = std::array<uint8_t, 32>;

class SigningKey {
 public:
  // A new key from the operating system's random source (libsodium's randombytes). Stops the
  // process if libsodium cannot initialise (no entropy source): a key must never be weak.
  static SigningKey Generate();
  // From a 32-byte seed: the same seed gives the same key (tests, golden files; RFC 8032's
  // test vectors use this form).
  static SigningKey FromSeed(std::span<const uint8_t, 32> seed);

  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();  // wipes the secret

  const PublicKey& public_key() const { return public_key_; }
  // The detached Ed25519 signature of `message` (deterministic: same key and message, same
  // signature).
  Signature Sign(std::string_view message) const;

  // Creates a new key file at `path` holding a fresh key, and returns that key. The file is
  // created exclusively with mode 0600, written and fsync'ed (and its folder too).
  // kAlreadyExists naming the path if anything is there, a symlink included (even a dangling
  // one); kIoError naming the path and the system's reason otherwise (a partial file is
  // removed).
  static Result<SigningKey> CreateFile(const std::string& path);
  // Reads a key file. Errors name the path and what is wrong: kNotFound when missing;
  // kIoError when unreadable or not a regular file; kInvalidArgument when group or others
  // have any access to it (with the chmod that fixes it) or it is owned by another user
  // (unless we are root); kCorruption when it is not a key file (the message never echoes
  // the file's contents: they may be a secret).
  static Result<SigningKey> LoadFile(const std::string& path);

 private:
  SigningKey() = default;

  std::array<uint8_t, 64> secret_{};  // libsodium's secret key: seed followed by public key
  PublicKey public_key_{};
};

// True when `signature` is `key`'s signature of exactly `message`.
bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature);

// Lower-case hex, two characters a byte.
std::string ToHex(std::span<const uint8_t> bytes);
// Parses exactly `out.size()` bytes of hex (either case); kInvalidArgument otherwise, naming
// `what`, the length expected and found or the position of the first non-hex character
// (never the text itself).
Status FromHex(std::string_view hex, std::span<uint8_t> out, std::string_view what);

}  // namespace tutti

#endif  // TUTTI_SIGNING_H_
