#include "tutti/signing.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace tutti {
namespace {

namespace fs = std::filesystem;

template <size_t N>
std::array<uint8_t, N> Hex(std::string_view hex) {
  std::array<uint8_t, N> out{};
  Status s = FromHex(hex, out, "test vector");
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

// ---- keys and signatures -----------------------------------------------------------------

// RFC 8032, section 7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72).
TEST(SigningKeyTest, FromSeedMatchesRfc8032Vectors) {
  const SigningKey one = SigningKey::FromSeed(
      Hex<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(ToHex(one.public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(
      ToHex(one.Sign("")),
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
      "1cf9b46bd25bf5f0595bbe24655141438e7a100b");
  const SigningKey two = SigningKey::FromSeed(
      Hex<32>("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
  EXPECT_EQ(ToHex(two.public_key()),
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
  EXPECT_EQ(
      ToHex(two.Sign("\x72")),
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
      "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_TRUE(VerifySignature(two.public_key(), "\x72", two.Sign("\x72")));
}

TEST(SigningKeyTest, FromSeedIsDeterministic) {
  KeySeed seed{};
  seed[0] = 7;
  const SigningKey a = SigningKey::FromSeed(seed);
  const SigningKey b = SigningKey::FromSeed(seed);
  EXPECT_EQ(a.public_key(), b.public_key());
  EXPECT_EQ(a.Sign("checkpoint 42"), b.Sign("checkpoint 42"));
  seed[31] = 1;
  EXPECT_NE(SigningKey::FromSeed(seed).public_key(), a.public_key());
}

TEST(SigningKeyTest, SignaturesVerifyOnlyForTheSignerAndTheExactMessage) {
  const SigningKey platform = SigningKey::Generate();
  const SigningKey other = SigningKey::Generate();
  EXPECT_NE(platform.public_key(), other.public_key());
  const std::string message = "audit head 1234 blake2b:0f1e2d";
  const Signature signature = platform.Sign(message);
  EXPECT_TRUE(VerifySignature(platform.public_key(), message, signature));
  // Another party's key.
  EXPECT_FALSE(VerifySignature(other.public_key(), message, signature));
  EXPECT_FALSE(VerifySignature(other.public_key(), message, other.Sign(message + "x")));
  // A tampered message: every single-bit flip, a byte more, a byte less, and empty.
  for (size_t i = 0; i < message.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = message;
      tampered[i] = static_cast<char>(tampered[i] ^ (1 << bit));
      ASSERT_FALSE(VerifySignature(platform.public_key(), tampered, signature)) << i << "," << bit;
    }
  }
  EXPECT_FALSE(VerifySignature(platform.public_key(), message + '\0', signature));
  EXPECT_FALSE(VerifySignature(platform.public_key(), message.substr(1), signature));
  EXPECT_FALSE(VerifySignature(platform.public_key(), "", signature));
  // A tampered signature, and forged ones.
  for (size_t i = 0; i < signature.size(); ++i) {
    Signature forged = signature;
    forged[i] ^= 0x01;
    ASSERT_FALSE(VerifySignature(platform.public_key(), message, forged)) << i;
  }
  EXPECT_FALSE(VerifySignature(platform.public_key(), message, Signature{}));
  Signature ones;
  ones.fill(0xff);
  EXPECT_FALSE(VerifySignature(platform.public_key(), message, ones));
  // A null public key (a small-order point) verifies nothing.
  EXPECT_FALSE(VerifySignature(PublicKey{}, message, signature));
  EXPECT_FALSE(VerifySignature(PublicKey{}, "", Signature{}));
}

TEST(SigningKeyTest, SignsMessagesWithNulBytesAndLargeMessages) {
  const SigningKey key = SigningKey::Generate();
  const std::string with_nul("a\0b", 3);
  EXPECT_TRUE(VerifySignature(key.public_key(), with_nul, key.Sign(with_nul)));
  EXPECT_FALSE(VerifySignature(key.public_key(), "a", key.Sign(with_nul)));
  const std::string large(1 << 20, 'x');
  EXPECT_TRUE(VerifySignature(key.public_key(), large, key.Sign(large)));
}

TEST(HexTest, RoundTripsAndRejectsWhatIsNotExactlyHex) {
  const std::array<uint8_t, 4> bytes = {0x00, 0x7f, 0xa0, 0xff};
  EXPECT_EQ(ToHex(bytes), "007fa0ff");
  std::array<uint8_t, 4> out{};
  ASSERT_TRUE(FromHex("007FA0ff", out, "x").ok());
  EXPECT_EQ(out, bytes);

  std::array<uint8_t, 4> untouched = {1, 2, 3, 4};
  Status short_hex = FromHex("007fa0f", untouched, "public key");
  ASSERT_FALSE(short_hex.ok());
  EXPECT_EQ(short_hex.message(), "public key: expected 8 hex characters, found 7");
  Status bad = FromHex("007fa0fg", untouched, "signature");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.message(), "signature: character 8 is not a hex digit");
  EXPECT_FALSE(FromHex("007fa0f ", untouched, "x").ok());
  EXPECT_FALSE(FromHex("0x7fa0ff", untouched, "x").ok());
  EXPECT_FALSE(FromHex(std::string_view("007fa0\0f", 8), untouched, "x").ok());
  EXPECT_FALSE(FromHex("007fa0ff00", untouched, "x").ok());
  EXPECT_FALSE(FromHex("", untouched, "x").ok());
  EXPECT_EQ(untouched, (std::array<uint8_t, 4>{1, 2, 3, 4}));  // nothing written on error
  std::array<uint8_t, 0> empty{};
  EXPECT_TRUE(FromHex("", empty, "x").ok());
}

// ---- key files ---------------------------------------------------------------------------

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = fs::temp_directory_path() / "tutti-signing-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(dir_, fs::perms::owner_all, ignored);
    fs::remove_all(dir_, ignored);
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  static void Write(const std::string& path, const std::string& text, mode_t mode = 0600) {
    std::ofstream(path, std::ios::binary) << text;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static mode_t Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::lstat(path.c_str(), &info), 0);
    return info.st_mode & 07777;
  }
  // LoadFile fails with `code` and a message naming the path and containing `fragment`.
  void ExpectLoadFails(const std::string& path, StatusCode code, const std::string& fragment) {
    auto loaded = SigningKey::LoadFile(path);
    ASSERT_FALSE(loaded.ok()) << path;
    EXPECT_EQ(loaded.status().code(), code) << loaded.status().message();
    EXPECT_NE(loaded.status().message().find("'" + path + "'"), std::string::npos)
        << loaded.status().message();
    EXPECT_NE(loaded.status().message().find(fragment), std::string::npos)
        << loaded.status().message();
  }

  static constexpr const char* kSeedHex =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  fs::path dir_;
};

TEST_F(KeyFileTest, CreatesA0600FileThatLoadsAsTheSameKey) {
  const std::string path = Path("platform.key");
  auto created = SigningKey::CreateFile(path);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(Mode(path), 0600u);
  const std::string text = Read(path);
  EXPECT_EQ(text.rfind("# tutti platform signing key", 0), 0u) << text;
  EXPECT_EQ(text.size(), text.find('\n') + 1 + 64 + 1);  // comment, seed, newline
  auto loaded = SigningKey::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->public_key(), created->public_key());
  EXPECT_EQ(loaded->Sign("m"), created->Sign("m"));
  EXPECT_TRUE(VerifySignature(created->public_key(), "m", loaded->Sign("m")));
  // Two key files hold two different keys.
  auto second = SigningKey::CreateFile(Path("second.key"));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->public_key(), created->public_key());
}

TEST_F(KeyFileTest, ModeIs0600WhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{0022}, mode_t{0777}}) {
    const mode_t old = ::umask(mask);
    const std::string path = Path("key-umask-" + std::to_string(mask));
    auto created = SigningKey::CreateFile(path);
    ::umask(old);
    ASSERT_TRUE(created.ok()) << created.status().message();
    EXPECT_EQ(Mode(path), 0600u) << "umask " << mask;
    EXPECT_TRUE(SigningKey::LoadFile(path).ok());
  }
}

TEST_F(KeyFileTest, NeverOverwritesAnExistingFile) {
  const std::string path = Path("platform.key");
  auto first = SigningKey::CreateFile(path);
  ASSERT_TRUE(first.ok());
  const std::string before = Read(path);
  auto again = SigningKey::CreateFile(path);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(path), std::string::npos);
  EXPECT_EQ(Read(path), before);
  EXPECT_EQ(SigningKey::LoadFile(path)->public_key(), first->public_key());

  const std::string other = Path("notes.txt");
  Write(other, "not a key, but precious", 0644);
  EXPECT_EQ(SigningKey::CreateFile(other).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Read(other), "not a key, but precious");
  EXPECT_EQ(Mode(other), 0644u);
  EXPECT_EQ(SigningKey::CreateFile(dir_.string()).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(KeyFileTest, RefusesToCreateThroughASymlink) {
  const std::string target = Path("target");
  const std::string link = Path("link.key");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);  // dangling
  auto created = SigningKey::CreateFile(link);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(created.status().message().find("symlink"), std::string::npos);
  EXPECT_FALSE(fs::exists(target));  // nothing written where the link points

  Write(target, "victim");
  EXPECT_FALSE(SigningKey::CreateFile(link).ok());
  EXPECT_EQ(Read(target), "victim");
}

TEST_F(KeyFileTest, CreateReportsAMissingFolderNamingThePath) {
  const std::string path = Path("no/such/folder/platform.key");
  auto created = SigningKey::CreateFile(path);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kIoError);
  EXPECT_NE(created.status().message().find("'" + path + "'"), std::string::npos);
  EXPECT_FALSE(SigningKey::CreateFile("").ok());
}

TEST_F(KeyFileTest, LoadsAHandWrittenKeyFile) {
  const std::string path = Path("hand.key");
  Write(path, std::string("# my key\n\n  \n") + kSeedHex + "  \r\n# trailing comment\n");
  auto loaded = SigningKey::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(ToHex(loaded->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Write(path, std::string(kSeedHex));  // no comment, no final newline
  EXPECT_TRUE(SigningKey::LoadFile(path).ok());
  std::string upper(kSeedHex);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Write(path, upper + "\n");
  EXPECT_EQ(SigningKey::LoadFile(path)->public_key(), loaded->public_key());
}

TEST_F(KeyFileTest, LoadRefusesAMissingFile) {
  ExpectLoadFails(Path("missing.key"), StatusCode::kNotFound, "does not exist");
  ExpectLoadFails(Path("missing/folder.key"), StatusCode::kNotFound, "does not exist");
}

TEST_F(KeyFileTest, LoadRefusesAKeyOthersCanAccessLikeSsh) {
  const std::string path = Path("open.key");
  for (mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0620}, mode_t{0602},
                      mode_t{0610}, mode_t{0601}, mode_t{0666}, mode_t{0777}}) {
    Write(path, std::string(kSeedHex) + "\n", mode);
    char expected[32];
    std::snprintf(expected, sizeof expected, "(mode %04o)", static_cast<unsigned>(mode));
    ExpectLoadFails(path, StatusCode::kInvalidArgument, expected);
    ExpectLoadFails(path, StatusCode::kInvalidArgument, "chmod 600");
  }
  Write(path, std::string(kSeedHex) + "\n", 0400);  // owner read-only is fine
  EXPECT_TRUE(SigningKey::LoadFile(path).ok());
}

TEST_F(KeyFileTest, LoadRefusesWhatIsNotARegularFile) {
  ExpectLoadFails(dir_.string(), StatusCode::kIoError, "not a regular file");
  const std::string fifo = Path("fifo.key");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExpectLoadFails(fifo, StatusCode::kIoError, "not a regular file");  // and does not hang
  ExpectLoadFails("/dev/null", StatusCode::kIoError, "not a regular file");
}

TEST_F(KeyFileTest, LoadRefusesAnUnreadableFile) {
  const std::string path = Path("unreadable.key");
  Write(path, std::string(kSeedHex) + "\n", 0200);
  if (::geteuid() != 0) {
    ExpectLoadFails(path, StatusCode::kIoError, "cannot be read");
    return;
  }
  // Root reads files whatever their mode: read as the unprivileged user "nobody" instead, in
  // a child process (the folder is root's, 0700).
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    auto loaded = SigningKey::LoadFile(path);
    const bool as_expected =
        !loaded.ok() && loaded.status().code() == StatusCode::kIoError &&
        loaded.status().message().find("'" + path + "' cannot be read") != std::string::npos;
    ::_exit(as_expected ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: LoadFile did not report an unreadable file; 2: setuid";
}

TEST_F(KeyFileTest, LoadRefusesMalformedFilesWithoutEchoingThem) {
  const std::string path = Path("bad.key");
  const std::string seed(kSeedHex);
  struct Case {
    std::string text;
    std::string fragment;
  };
  const Case cases[] = {
      {"", "holds no key line"},
      {"# only a comment\n\n", "holds no key line"},
      {seed.substr(0, 63) + "\n", "line 1: the seed: expected 64 hex characters, found 63"},
      {"# c\n" + seed + "0\n", "line 2: the seed: expected 64 hex characters, found 65"},
      {seed.substr(0, 63) + "g\n", "character 64 is not a hex digit"},
      {seed + "\n" + seed + "\n", "line 2: a second key line"},
      {"key = " + seed + "\n", "expected 64 hex characters"},
      {" " + seed + "\n", "expected 64 hex characters"},
      {seed.substr(0, 32) + std::string(1, '\0') + seed.substr(33) + "\n", "is not a hex digit"},
      {std::string(5000, 'a'), "5000 bytes"},
      {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n", "line 1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fragment);
    Write(path, c.text);
    ExpectLoadFails(path, StatusCode::kCorruption, c.fragment);
    auto loaded = SigningKey::LoadFile(path);
    // The contents may be a secret: they are never echoed.
    EXPECT_EQ(loaded.status().message().find(seed.substr(0, 16)), std::string::npos);
  }
}

}  // namespace
}  // namespace tutti
