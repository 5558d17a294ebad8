// TEMPORARY, for the store tests only: the signing.h functions checkpoints use, over
// libsodium, until tutti_provenance (which owns signing.h) is in the tree. CMake compiles
// this file only when that target does not exist.
#include <sodium.h>

#include <cstdlib>

#include "tutti/signing.h"

namespace tutti {
namespace {

void InitSodium() {
  if (sodium_init() < 0) std::abort();
}

}  // namespace

SigningKey SigningKey::Generate() {
  InitSodium();
  std::array<uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  return FromSeed(seed);
}

SigningKey SigningKey::FromSeed(std::span<const uint8_t, 32> seed) {
  InitSodium();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_.data(), seed.data());
  return key;
}

Signature SigningKey::Sign(std::string_view message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return signature;
}

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature) {
  InitSodium();
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Status FromHex(std::string_view hex, std::span<uint8_t> out, std::string_view what) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() != 2 * out.size()) {
    return Status::Invalid(std::string(what) + ": expected " + std::to_string(2 * out.size()) +
                           " hex digits, got " + std::to_string(hex.size()));
  }
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::Invalid(std::string(what) + ": not hex");
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return Status::Ok();
}

}  // namespace tutti
