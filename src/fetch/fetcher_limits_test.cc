// The fetcher's limits against a hostile loopback web: time, body, decompressed size, headers,
// and retries (429, 503, Retry-After).
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "fetch/fetcher.h"
#include "fetch/test_web.h"

namespace takedown::fetch {
namespace {

using std::chrono::milliseconds;
using testing::MakeFetcher;
using testing::TestWeb;
using testing::Text;

Request Capped(std::string url, uint64_t max_body_bytes) {
  Request r(std::move(url));
  r.max_body_bytes = max_body_bytes;
  return r;
}

// A gzip stream of `size` zero bytes: a few kilobytes that decompress to `size`.
std::string GzipZeros(size_t size) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string zeros(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  for (size_t done = 0; done < size;) {
    const size_t n = std::min(zeros.size(), size - done);
    done += n;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(n);
    const int flush = done == size ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof(buffer);
      deflate(&z, flush);
      out.append(buffer, sizeof(buffer) - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

std::string Gzip(const std::string& text) {
  uLongf size = compressBound(static_cast<uLong>(text.size())) + 32;
  std::string out(size, '\0');
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

class FetcherLimitsTest : public ::testing::Test {
 protected:
  TestWeb web_;
};

TEST_F(FetcherLimitsTest, SlowResponsesHitTheTimeCap) {
  httplib::Server& photos = web_.Add("photos.example");
  const std::atomic<bool>& stopping = web_.stopping();
  photos.Get("/slow-headers", [&stopping](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 300 && !stopping; ++i) std::this_thread::sleep_for(milliseconds(10));
    res.set_content("late", "text/plain");
  });
  photos.Get("/trickle", [&stopping](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/octet-stream",
                                     [&stopping](size_t, httplib::DataSink& sink) {
                                       std::this_thread::sleep_for(milliseconds(50));
                                       return !stopping && sink.write("x", 1);
                                     });
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.transfer_timeout = milliseconds(300);
  auto fetcher = MakeFetcher(config);
  for (const char* path : {"/slow-headers", "/trickle"}) {
    FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", path)));
    EXPECT_EQ(r.error, FetchError::kTimeout) << path;
    EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
    EXPECT_NE(r.status.message().find("within 300 ms"), std::string::npos) << r.status.message();
    EXPECT_EQ(r.attempts, 1);  // a time cap is final: no retry
    EXPECT_LT(r.elapsed.count(), 2000);
  }
}

TEST_F(FetcherLimitsTest, HugeBodiesHitTheBodyCap) {
  httplib::Server& photos = web_.Add("photos.example");
  const std::string chunk(64 << 10, 'b');
  photos.Get("/streamed", [&chunk](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/octet-stream",
                                     [&chunk](size_t offset, httplib::DataSink& sink) {
                                       if (offset > (50u << 20)) return false;
                                       return sink.write(chunk.data(), chunk.size());
                                     });
  });
  photos.Get("/announced", [&chunk](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(50u << 20, "application/octet-stream",
                             [&chunk](size_t, size_t, httplib::DataSink& sink) {
                               return sink.write(chunk.data(), chunk.size());
                             });
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  FetchResult streamed = fetcher->Fetch(Capped(web_.Url("photos.example", "/streamed"), 1 << 20));
  EXPECT_EQ(streamed.error, FetchError::kBodyTooLarge);
  EXPECT_EQ(streamed.status.code(), StatusCode::kTooLarge);
  EXPECT_NE(streamed.status.message().find("1048576 bytes"), std::string::npos);
  EXPECT_LE(streamed.body.size(), 1u << 20);
  FetchResult announced = fetcher->Fetch(Capped(web_.Url("photos.example", "/announced"), 1 << 20));
  EXPECT_EQ(announced.error, FetchError::kBodyTooLarge);
  EXPECT_TRUE(announced.body.empty());
}

TEST_F(FetcherLimitsTest, DecompressionBombsHitTheDecodedCap) {
  const std::string bomb = GzipZeros(64u << 20);
  ASSERT_LT(bomb.size(), 200u << 10);
  const std::string small = Gzip("hello, compressed world");
  httplib::Server& photos = web_.Add("photos.example");
  photos.Get("/bomb", [&bomb](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(bomb, "application/octet-stream");
  });
  photos.Get("/small", [&small](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(small, "application/octet-stream");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.max_body_bytes = 1 << 20;  // the compressed bomb is far below it
  auto fetcher = MakeFetcher(config);
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/bomb")));
  EXPECT_EQ(r.error, FetchError::kDecodedTooLarge);
  EXPECT_EQ(r.status.code(), StatusCode::kTooLarge);
  EXPECT_NE(r.status.message().find("decompresses (gzip)"), std::string::npos)
      << r.status.message();
  EXPECT_LE(r.body.size(), 1u << 20);
  FetchResult ok = fetcher->Fetch(Request(web_.Url("photos.example", "/small")));
  ASSERT_TRUE(ok.ok()) << ok.status.message();
  EXPECT_EQ(Text(ok), "hello, compressed world");
  EXPECT_EQ(ok.content_encoding, "gzip");
}

TEST_F(FetcherLimitsTest, HugeHeadersHitTheHeaderCap) {
  web_.Add("photos.example").Get("/", [](const httplib::Request&, httplib::Response& res) {
    for (int i = 0; i < 100; ++i)
      res.set_header("X-Filler-" + std::to_string(i), std::string(1000, 'h'));
    res.set_content("body", "text/plain");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.max_header_bytes = 16 << 10;
  auto fetcher = MakeFetcher(config);
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/")));
  EXPECT_EQ(r.error, FetchError::kHeadersTooLarge);
  EXPECT_EQ(r.status.code(), StatusCode::kTooLarge);
}

TEST_F(FetcherLimitsTest, HonoursRetryAfterOn429) {
  httplib::Server& photos = web_.Add("photos.example");
  std::atomic<int> calls{0};
  photos.Get("/busy", [&calls](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      return;
    }
    res.set_content("now", "text/plain");
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/busy")));
  ASSERT_TRUE(r.ok()) << r.status.message();
  EXPECT_EQ(Text(r), "now");
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_GE(r.elapsed.count(), 950);
  EXPECT_EQ(fetcher->stats().retries, 1u);
}

TEST_F(FetcherLimitsTest, RetriesServerErrorsWithBackoffThenGivesUp) {
  httplib::Server& photos = web_.Add("photos.example");
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> times;
  photos.Get("/down", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    std::lock_guard lock(mutex);
    times.push_back(std::chrono::steady_clock::now());
    res.status = 503;
    res.set_content("maintenance", "text/plain");
  });
  web_.Start();
  FetcherConfig config = web_.Config();
  config.initial_backoff = milliseconds(50);
  config.max_attempts = 3;
  auto fetcher = MakeFetcher(config);
  FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", "/down")));
  EXPECT_EQ(r.error, FetchError::kHttpStatus);
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status.message().find("answered HTTP 503"), std::string::npos);
  EXPECT_NE(r.status.message().find("gave up after 3 attempts"), std::string::npos);
  EXPECT_EQ(r.http_status, 503);
  EXPECT_EQ(Text(r), "maintenance");
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(calls.load(), 3);
  ASSERT_EQ(times.size(), 3u);
  EXPECT_GE(times[1] - times[0], milliseconds(45));  // 50 ms
  EXPECT_GE(times[2] - times[1], milliseconds(95));  // then 100 ms
}

TEST_F(FetcherLimitsTest, AHostileRetryAfterIsReportedNotWaitedFor) {
  httplib::Server& photos = web_.Add("photos.example");
  photos.Get("/day", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "86400");
  });
  photos.Get("/date", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT");
  });
  web_.Start();
  auto fetcher = MakeFetcher(web_.Config());
  for (const char* path : {"/day", "/date"}) {
    FetchResult r = fetcher->Fetch(Request(web_.Url("photos.example", path)));
    EXPECT_EQ(r.error, FetchError::kRetryAfterTooLong) << path;
    EXPECT_EQ(r.attempts, 1);
    EXPECT_LT(r.elapsed.count(), 1000);
    EXPECT_NE(r.status.message().find("try again later"), std::string::npos);
    EXPECT_FALSE(r.retry_after.empty());
  }
}

}  // namespace
}  // namespace takedown::fetch
