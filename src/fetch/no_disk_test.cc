// The privacy rule "no image bytes are ever written to disk", checked on a real fetch of a
// 5 MB image: no file is opened for writing by anything in the process (libcurl, OpenSSL,
// zlib included), no regular file is open mid-transfer that was not open before, and no file
// changed in /tmp, $TMPDIR or the working folder holds the image's bytes.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>

#include "fetch/fetcher.h"
#include "fetch/file_watch.h"
#include "fetch/test_web.h"

namespace takedown::fetch {
namespace {

namespace fs = std::filesystem;

// "fd -> path" for every regular file this process has open.
std::set<std::string> OpenRegularFiles() {
  std::set<std::string> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/proc/self/fd", ec)) {
    struct stat st {};
    if (stat(e.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.insert(e.path().filename().string() + " -> " + fs::read_symlink(e.path(), ec).string());
  }
  return out;
}

// Files in `dir` (and one level below) changed since `since` whose bytes contain `marker`.
std::vector<std::string> FilesHolding(const fs::path& dir, const std::string& marker,
                                      fs::file_time_type since) {
  std::vector<std::string> out;
  std::error_code ec;
  auto it =
      fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() > 1) it.disable_recursion_pending();
    std::error_code e2;
    if (!it->is_regular_file(e2) || it->last_write_time(e2) < since) continue;
    const uintmax_t size = it->file_size(e2);
    if (e2 || size < marker.size() || size > (64u << 20)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(marker) != std::string::npos) out.push_back(it->path().string());
  }
  return out;
}

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

TEST(NoDiskTest, FetchedImageBytesNeverReachDisk) {
  std::string image = std::string("\xFF\xD8\xFF\xE0", 4);
  std::mt19937_64 random(std::random_device{}());
  while (image.size() < (5u << 20)) {
    const uint64_t v = random();
    image.append(reinterpret_cast<const char*>(&v), sizeof(v));
  }
  const std::string marker = image.substr(1000, 64);

  std::mutex mutex;
  std::set<std::string> open_mid_transfer;
  bool snapshot_taken = false;
  testing::TestWeb web;
  httplib::Server& photos = web.Add("photos.example");
  photos.Get("/cookie", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Set-Cookie", "session=abc; Path=/; Max-Age=3600");
    res.set_content("ok", "text/plain");
  });
  photos.Get("/photo.jpg", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("image/jpeg", [&](size_t offset, httplib::DataSink& sink) {
      if (offset >= image.size()) {
        sink.done();
        return true;
      }
      if (offset >= image.size() / 2) {
        std::lock_guard lock(mutex);
        if (!snapshot_taken) open_mid_transfer = OpenRegularFiles();
        snapshot_taken = true;
      }
      return sink.write(image.data() + offset, std::min<size_t>(256u << 10, image.size() - offset));
    });
  });
  web.Start();

  // The watch is real: libcurl told to keep a cookie jar is seen writing it.
  char jar_dir[] = "/tmp/fetch-no-disk-XXXXXX";
  ASSERT_NE(mkdtemp(jar_dir), nullptr);
  const std::string jar = std::string(jar_dir) + "/cookies.txt";
  testing::ArmFileWatch();
  CURL* plain = curl_easy_init();
  const std::string cookie_url =
      "http://127.0.0.1:" + std::to_string(web.port("photos.example")) + "/cookie";
  curl_easy_setopt(plain, CURLOPT_URL, cookie_url.c_str());
  curl_easy_setopt(plain, CURLOPT_COOKIEJAR, jar.c_str());
  curl_easy_setopt(plain, CURLOPT_WRITEFUNCTION, &Discard);
  ASSERT_EQ(curl_easy_perform(plain), CURLE_OK);
  curl_easy_cleanup(plain);
  const std::vector<std::string> jar_writes = testing::DisarmFileWatch();
  EXPECT_NE(Joined(jar_writes).find(jar_dir), std::string::npos) << Joined(jar_writes);
  fs::remove_all(jar_dir);

  // The fetcher, on the same kind of server, writes nothing anywhere.
  Result<std::unique_ptr<Fetcher>> fetcher = Fetcher::Create(web.Config());
  ASSERT_TRUE(fetcher.ok());
  const std::set<std::string> open_before = OpenRegularFiles();
  const fs::file_time_type since = fs::file_time_type::clock::now() - std::chrono::seconds(1);
  testing::ArmFileWatch();
  FetchResult r = (*fetcher)->Fetch(Request(web.Url("photos.example", "/photo.jpg")));
  const std::vector<std::string> writes = testing::DisarmFileWatch();

  ASSERT_TRUE(r.ok()) << r.status.message();
  ASSERT_EQ(r.body.size(), image.size());
  EXPECT_EQ(std::memcmp(r.body.data(), image.data(), image.size()), 0);
  EXPECT_TRUE(writes.empty()) << Joined(writes);
  {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(snapshot_taken);
    std::vector<std::string> opened;
    std::set_difference(open_mid_transfer.begin(), open_mid_transfer.end(), open_before.begin(),
                        open_before.end(), std::back_inserter(opened));
    EXPECT_TRUE(opened.empty()) << Joined(opened);
  }
  std::vector<fs::path> dirs = {fs::temp_directory_path(), "/tmp", fs::current_path()};
  if (const char* tmpdir = getenv("TMPDIR")) dirs.emplace_back(tmpdir);
  for (const fs::path& dir : dirs) {
    EXPECT_TRUE(FilesHolding(dir, marker, since).empty()) << dir;
  }
}

}  // namespace
}  // namespace takedown::fetch
