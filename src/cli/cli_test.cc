// End-to-end tests of `takedown hash`: the real binary, real files, the output a script would read.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace takedown::cli::testing;

const std::string kPdqData = std::string(TAKEDOWN_SHARED_DIR) + "/testdata/pdq/";

class HashCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/takedown-cli-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    for (auto& e : fs::recursive_directory_iterator(dir_, ec))
      fs::permissions(e, fs::perms::owner_all, ec);
    fs::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::string dir_;
};

TEST_F(HashCommand, PrintsTheReferenceHashAndDigestsAsJsonLines) {
  auto run = Takedown("hash " + kPdqData + "hma-resources/rgb.jpeg");
  ASSERT_EQ(run.status, 0);
  auto rows = run.records();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["ok"], true);
  EXPECT_EQ(rows[0]["format"], "jpeg");
  EXPECT_EQ(rows[0]["width"], 256);
  EXPECT_EQ(rows[0]["height"], 256);
  // HMA's own expectation for this file.
  EXPECT_EQ(rows[0]["pdq"], "fb4eed46cb8a6c78819ca06b756c541f7b07ef6d02c82fccd00f862166272cda");
  EXPECT_EQ(rows[0]["quality"], 100);
  EXPECT_EQ(rows[0]["md5"], "fb60d450cda9f6682978cb3c89c59c77");
  EXPECT_EQ(rows[0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(rows[0].contains("dihedral"));
}

TEST_F(HashCommand, DihedralPrintsEightVariantsInSpecOrder) {
  auto run = Takedown("hash --dihedral " + kPdqData + "bridge-mods/aaa-orig.jpg");
  ASSERT_EQ(run.status, 0);
  auto row = run.records().at(0);
  ASSERT_EQ(row["dihedral"].size(), 8u);
  EXPECT_EQ(row["dihedral"][0], row["pdq"]);
  // From vectors.csv: full_rot90 and full_flipm of this file.
  EXPECT_EQ(row["dihedral"][1], "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af");
  EXPECT_EQ(row["dihedral"][7], "a5f04ba8a4996a17c906a3d85aaaa927b61b5b42f8fc03fc87c3d0740bfcb0fa");
}

TEST_F(HashCommand, BadInputsAreReportedAndTheRestStillHashed) {
  const std::string jpeg = Slurp(kPdqData + "bridge-mods/aaa-orig.jpg");
  Write("a-good.jpg", jpeg);
  Write("b-truncated.jpg", jpeg.substr(0, jpeg.size() / 2));
  Write("c-random.jpg", std::string("\x13\x37 not an image at all, just words", 36));
  Write("d-empty.png", "");
  Write("e-notes.txt", "caseworker notes\n");
  auto run = Takedown("hash --jobs 2 " + dir_);
  EXPECT_EQ(run.status, 1);
  auto rows = run.records();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["ok"], true);
  EXPECT_EQ(rows[1]["ok"], false);
  EXPECT_EQ(rows[1]["error"], "the JPEG file is truncated");
  EXPECT_EQ(rows[1]["error_code"], "corrupt");
  EXPECT_EQ(rows[2]["error_code"], "unsupported");
  EXPECT_EQ(rows[3]["error"], "the file is empty");
  EXPECT_EQ(rows[4]["error_code"], "unsupported");
  EXPECT_NE(rows[4]["error"].get<std::string>().find("not an image"), std::string::npos);
}

std::string Chunk(const std::string& type, const std::string& data) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  const std::string body = type + data;
  const uLong crc =
      crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  return be32(static_cast<uint32_t>(data.size())) + body + be32(static_cast<uint32_t>(crc));
}

TEST_F(HashCommand, DecompressionBombIsRefusedBeforeDecoding) {
  // A valid PNG declaring 100000 x 100000 RGB pixels (30 GB once decoded), with a compressed
  // stream of zeros as its image data: a few hundred bytes on disk.
  const std::string ihdr("\x00\x01\x86\xA0\x00\x01\x86\xA0\x08\x02\x00\x00\x00", 13);
  const std::string zeros(100000, '\0');
  std::string idat(compressBound(zeros.size()), '\0');
  uLongf idat_size = idat.size();
  ASSERT_EQ(compress(reinterpret_cast<Bytef*>(idat.data()), &idat_size,
                     reinterpret_cast<const Bytef*>(zeros.data()), zeros.size()),
            Z_OK);
  idat.resize(idat_size);
  Write("bomb.png", std::string("\x89PNG\r\n\x1A\n", 8) + Chunk("IHDR", ihdr) +
                        Chunk("IDAT", idat) + Chunk("IEND", ""));
  auto run = Takedown("hash " + dir_ + "/bomb.png");
  EXPECT_EQ(run.status, 1);
  auto row = run.records().at(0);
  EXPECT_EQ(row["error_code"], "too_large");
  EXPECT_EQ(row["error"], "the image is 100000x100000 pixels, over the limit of 100000000 pixels");
}

TEST_F(HashCommand, LimitsAreConfigurable) {
  auto pixels = Takedown("hash --max-pixels 1000 " + kPdqData + "hma-resources/rgb.jpeg");
  EXPECT_EQ(pixels.status, 1);
  EXPECT_EQ(pixels.records().at(0)["error_code"], "too_large");
  auto size = Takedown("hash --max-file-size 1KB " + kPdqData + "hma-resources/rgb.jpeg");
  EXPECT_EQ(size.status, 1);
  EXPECT_NE(size.records().at(0)["error"].get<std::string>().find("over the limit of 1024 bytes"),
            std::string::npos);
}

TEST_F(HashCommand, UnreadableDirectoryIsReportedNotFatal) {
  Write("locked/secret.jpg", Slurp(kPdqData + "hma-resources/rgb.jpeg"));
  Write("open/rgb.jpeg", Slurp(kPdqData + "hma-resources/rgb.jpeg"));
  fs::permissions(dir_ + "/locked", fs::perms::none);
  // Root reads everything; drop to an unprivileged user so the permission check is real.
  std::string prefix;
  if (geteuid() == 0) {
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir_ + "/open",
                    fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir_ + "/open/rgb.jpeg", fs::perms::owner_all | fs::perms::others_read);
    prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  }
  auto run = Takedown("hash " + dir_, prefix);
  EXPECT_EQ(run.status, 1);
  auto rows = run.records();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["path"], dir_ + "/locked");
  EXPECT_EQ(rows[0]["error_code"], "permission_denied");
  EXPECT_EQ(rows[1]["ok"], true);
}

TEST_F(HashCommand, ParallelOutputKeepsInputOrder) {
  const std::string dir = kPdqData + "bridge-mods";
  auto one = Takedown("hash --jobs 1 --no-digests " + dir);
  auto four = Takedown("hash --jobs 4 --no-digests " + dir);
  EXPECT_EQ(one.status, 0);
  EXPECT_EQ(one.out, four.out);
  EXPECT_EQ(one.records().size(), 12u);
}

TEST_F(HashCommand, CsvAndTextFormats) {
  auto csv =
      Takedown("hash --format csv " + kPdqData + "hma-resources/rgb.jpeg " + dir_ + "/missing");
  EXPECT_EQ(csv.status, 1);
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "path,ok,format,width,height,pdq,quality,md5,sha256,error");
  EXPECT_NE(csv.out.find(",true,jpeg,256,256,fb4eed46"), std::string::npos);
  EXPECT_NE(csv.out.find("/missing,false,,,,,,,,no such file or directory"), std::string::npos);
  auto text = Takedown("hash --format text " + kPdqData + "misc-images/small.jpg");
  EXPECT_NE(text.out.find(" 0 "), std::string::npos);
  EXPECT_NE(text.out.find("low quality"), std::string::npos);
}

TEST_F(HashCommand, CsvQuotesAwkwardPathsAndCarriesDihedralColumns) {
  const std::string path = Write("a,b \"quoted\".jpeg", Slurp(kPdqData + "hma-resources/rgb.jpeg"));
  auto run = Takedown("hash --format csv --dihedral '" + path + "' " + dir_ + "/missing");
  EXPECT_EQ(run.status, 1);
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = run.out.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(run.out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "path,ok,format,width,height,pdq,quality,md5,sha256,error,orig,rot90,rot180,rot270,"
            "flipx,flipy,flipp,flipm");
  EXPECT_EQ(lines[1].substr(0, dir_.size() + 1), "\"" + dir_);
  EXPECT_NE(lines[1].find("a,b \"\"quoted\"\".jpeg\",true,jpeg,256,256,"), std::string::npos);
  // Every row has the header's 18 columns (commas inside the quoted path do not count).
  auto columns = [](const std::string& line) {
    int count = 1;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++count;
    }
    return count;
  };
  EXPECT_EQ(columns(lines[1]), 18);
  EXPECT_EQ(columns(lines[2]), 18);
  EXPECT_NE(lines[1].find(",fb4eed46cb8a6c78819ca06b756c541f7b07ef6d02c82fccd00f862166272cda,"),
            std::string::npos);
}

TEST_F(HashCommand, HelpAndUsageErrors) {
  EXPECT_EQ(Takedown("--help").status, 0);
  auto help = Takedown("hash --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--dihedral"), std::string::npos);
  EXPECT_EQ(Takedown("hash --mode sideways x.jpg").status, 2);
  EXPECT_EQ(Takedown("hash").status, 2);
  EXPECT_EQ(Takedown("").status, 2);
}

}  // namespace
