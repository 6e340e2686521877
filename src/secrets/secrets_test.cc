#include "secrets/secrets.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>

namespace takedown::secrets {
namespace {

constexpr HashCost kCheap{1, 8192};  // tests need the format, not the cost

TEST(Secrets, HashesVerifyOnlyTheirSecret) {
  auto hash = HashSecret("12345678", kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_EQ(hash->find("12345678"), std::string::npos);
  EXPECT_TRUE(VerifySecret(*hash, "12345678"));
  EXPECT_FALSE(VerifySecret(*hash, "12345679"));
  EXPECT_FALSE(VerifySecret("", "12345678"));
  EXPECT_FALSE(VerifySecret("$argon2id$garbage", "12345678"));
  EXPECT_NE(*HashSecret("12345678", kCheap), *hash) << "salted";
}

TEST(Secrets, CodesPinsAndTokensHaveTheirShapeAndDoNotRepeat) {
  std::set<std::string> codes, tokens;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = NewCaseCode();
    EXPECT_TRUE(std::regex_match(code, std::regex("TD-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")))
        << code;
    codes.insert(code);
    EXPECT_TRUE(std::regex_match(NewPin(), std::regex("[0-9]{8}")));
    tokens.insert(RandomToken());
  }
  EXPECT_EQ(codes.size(), 1000u);
  EXPECT_EQ(tokens.size(), 1000u);
  EXPECT_EQ(RandomToken(32).size(), 43u);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sealer, AFingerprintTellsKeysApartAndNothingOfTheKey) {
  const std::string key(32, 'k');
  const Sealer a = Sealer::FromKey(key);
  const std::string fingerprint = a.Fingerprint();
  EXPECT_TRUE(std::regex_match(fingerprint, std::regex("[0-9a-f]{32}"))) << fingerprint;
  EXPECT_EQ(Sealer::FromKey(key).Fingerprint(), fingerprint);
  EXPECT_NE(Sealer::FromKey(std::string(31, 'k') + "l").Fingerprint(), fingerprint);
  EXPECT_EQ(fingerprint.find("6b6b6b"), std::string::npos) << "no run of the key's bytes in hex";
}

TEST(Sealer, SealsBoundToKeyAndContext) {
  const Sealer a = Sealer::FromKey(std::string(32, 'a'));
  const Sealer b = Sealer::FromKey(std::string(32, 'b'));
  const std::string sealed = a.Seal("phone +852 5555 0000", "contact:TD-AAAA-BBBB");
  EXPECT_EQ(sealed.find("5555"), std::string::npos);
  EXPECT_EQ(*a.Open(sealed, "contact:TD-AAAA-BBBB"), "phone +852 5555 0000");
  EXPECT_EQ(a.Open(sealed, "contact:TD-CCCC-DDDD").status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(b.Open(sealed, "contact:TD-AAAA-BBBB").status().code(), StatusCode::kCorrupt);
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(a.Open(altered, "contact:TD-AAAA-BBBB").ok());
  EXPECT_FALSE(a.Open("not base64 !", "x").ok());
  EXPECT_NE(a.Seal("same", "c"), a.Seal("same", "c")) << "fresh nonce each time";
}

TEST(Sealer, KeyFileIsCreatedPrivateAndReused) {
  char tmpl[] = "/tmp/takedown-key-XXXXXX";
  const std::filesystem::path dir = mkdtemp(tmpl);
  const auto path = dir / "secret.key";
  auto first = Sealer::FromKeyFile(path);
  ASSERT_TRUE(first.ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  const std::string sealed = first->Seal("note", "n");
  auto second = Sealer::FromKeyFile(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second->Open(sealed, "n"), "note");
  std::ofstream(path, std::ios::trunc) << "short";
  EXPECT_EQ(Sealer::FromKeyFile(path).status().code(), StatusCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace takedown::secrets
