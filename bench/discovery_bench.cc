// discovery_bench: pages per second through discovery::UrlChecker (fetch a page, parse it, fetch
// its JPEG, decode it in fast mode, PDQ in 8 orientations, the crawler's region signals, MD5 +
// SHA-256, match against a bank of PDQ hashes and region signals)
// and conditional rechecks per second (304), against a cpp-httplib server on loopback in this
// process (its own threads, HTTP/1.1 keep-alive), beside a bare libcurl easy-handle loop over the
// same addresses (the network ceiling) and a bare decode + hash loop (the CPU ceiling); then
// where one page's CPU time goes. Prints Markdown tables (docs/discovery.md holds a run).
//
// Usage: discovery_bench [--corpus DIR] [--pages N] [--seconds S] [--threads 1,2] [--bank N]
// The photos are ../shared/tools/fetch-dev-corpus.sh's photos/ folder, each re-encoded as a
// baseline 4:2:0 JPEG at the quality (30..95) whose size lands nearest 100 KB; a photo that no
// quality brings within 15% of it is left out. Page i (of N) shows photo i % photos at an address
// of its own on a second host name (both names resolve to the one loopback server).
#include <curl/curl.h>
#include <httplib.h>
#include <pthread.h>
#include <sys/resource.h>
#include <turbojpeg.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "discovery/url_check.h"
#include "fetch/extract.h"
#include "fetch/fetcher.h"
#include "hashfile/hash_file.h"
#include "hashing/digest.h"
#include "matching/hash_bank.h"
#include "matching/region_bank.h"
#include "media/media.h"

namespace {

namespace fs = std::filesystem;
using namespace takedown;
using Clock = std::chrono::steady_clock;

constexpr double kTargetBytes = 100'000;

double Seconds(const timespec& t) {
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
double Seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
}
double ThreadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return Seconds(ts);
}
double ProcessCpu() {  // every thread of the process, user + system
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return Seconds(ru.ru_utime) + Seconds(ru.ru_stime);
}
// CPU seconds the whole machine has spent busy (every process), from /proc/stat.
double MachineBusy() {
  unsigned long long v[8] = {};  // user nice system idle iowait irq softirq steal
  std::FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return 0;
  const int got = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                              &v[3], &v[4], &v[5], &v[6], &v[7]);
  std::fclose(f);
  const double busy = static_cast<double>(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
  return got == 8 ? busy / static_cast<double>(sysconf(_SC_CLK_TCK)) : 0;
}

struct Photo {
  std::vector<uint8_t> jpeg;  // what the server sends
  int quality = 0, width = 0, height = 0;
  hashing::PdqHash original;  // full mode, of the corpus file: what a survivor would submit
  std::optional<hashing::ImageSignals> original_signals;  // likewise
  // What UrlChecker searches the bank for: the served JPEG's fast-mode hash in its 8
  // orientations, when its quality is >= 50, and the crawler's region signals.
  matching::ImageQuery query;
};

std::vector<uint8_t> EncodeJpeg(tjhandle tj, const media::Image& im, int quality) {
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const bool grey = im.channels == 1;
  if (tjCompress2(tj, im.pixels.data(), im.width, 0, im.height, grey ? TJPF_GRAY : TJPF_RGB, &out,
                  &size, grey ? TJSAMP_GRAY : TJSAMP_420, quality, 0) != 0) {
    return {};
  }
  std::vector<uint8_t> bytes(out, out + size);
  tjFree(out);
  return bytes;
}

// The JPEG at the quality in [30, 95] whose size is nearest kTargetBytes (a binary search: size
// grows with quality); empty when even that is more than 15% off.
std::vector<uint8_t> NearTargetSize(tjhandle tj, const media::Image& im, int* quality) {
  auto off = [](const std::vector<uint8_t>& b) {
    return std::abs(static_cast<double>(b.size()) / kTargetBytes - 1);
  };
  int lo = 30, hi = 95;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    const bool small = static_cast<double>(EncodeJpeg(tj, im, mid).size()) < kTargetBytes;
    lo = small ? mid + 1 : lo;
    hi = small ? hi : mid;
  }
  std::vector<uint8_t> best = EncodeJpeg(tj, im, lo), below = EncodeJpeg(tj, im, lo - 1);
  *quality = lo;
  if (lo > 30 && off(below) < off(best)) {
    best = std::move(below);
    *quality = lo - 1;
  }
  return !best.empty() && off(best) <= 0.15 ? best : std::vector<uint8_t>{};
}

hashfile::HashOptions CheckerImageOptions() {  // as UrlChecker hashes images (url_check.cc)
  hashfile::HashOptions o;
  o.decode.mode = media::DecodeMode::kFast;
  o.max_file_bytes = 32ull << 20;
  o.digests = true;
  o.dihedral = true;  // matched in all 8 orientations, each searched in the bank
  o.signals = true;   // the bank holds region signals
  o.signal_regions = hashing::RegionChoice::kWholeAndCells;
  return o;
}

// The served web: page i shows photo photo_of[i].
struct Web {
  std::vector<std::string> page_url, image_url, html, etag;
  std::vector<size_t> photo_of;
};

// A small photo page: a title, links, the photo, a paragraph (about 700 bytes).
std::string PageHtml(size_t i, const std::string& image_url) {
  const std::string n = std::to_string(i), next = std::to_string(i + 1);
  return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Album photo " + n +
         "</title><link rel=\"stylesheet\" href=\"/site.css\"></head>\n<body><nav><a href=\"/\">"
         "Home</a> <a href=\"/p/" +
         next + ".html\">Next</a></nav><main><h1>Photo " + n + "</h1>\n<figure><img src=\"" +
         image_url + "\" alt=\"photo " + n +
         "\"><figcaption>"
         "Uploaded by a user.</figcaption></figure>\n<p>Lorem ipsum dolor sit amet, consectetur "
         "adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>"
         "</main><footer><a href=\"/terms\">Terms</a> <a href=\"/report\">Report</a></footer>"
         "</body></html>\n";
}

// Sends `body` as it is: cpp-httplib compresses set_content() bodies of text types itself (with
// Brotli at quality 11 in Debian's build, when the client offers br), but not a provider's.
void Serve(httplib::Response& res, const char* data, size_t size, const char* type) {
  res.set_content_provider(size, type,
                           [data](size_t offset, size_t length, httplib::DataSink& sink) {
                             return sink.write(data + offset, length);
                           });
}

// One timed pass: `threads` workers, each with the state make() builds on its own thread (its
// own Fetcher), run op(index) over the pages round robin until `seconds` pass.
using Op = std::function<bool(size_t)>;  // false: a wrong answer
struct Pass {
  double wall = 0, process_cpu = 0, client_cpu = 0;
  double others = 0;  // CPU seconds other processes on the machine used meanwhile
  uint64_t ops = 0, wrong = 0;
  double rate() const { return wall > 0 ? static_cast<double>(ops) / wall : 0; }
};

Pass RunPass(int threads, double seconds, size_t count, int warmup,
             const std::function<Op()>& make) {
  std::barrier sync(threads + 1);
  std::atomic<uint64_t> next{0}, ops{0}, wrong{0};
  std::vector<double> cpu(threads);
  Clock::time_point deadline;
  std::vector<std::jthread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      pthread_setname_np(pthread_self(), "bench-worker");  // for top and perf
      Op op = make();
      for (int w = 0; w < warmup; ++w) op(static_cast<size_t>(t + w * threads) % count);
      sync.arrive_and_wait();
      sync.arrive_and_wait();  // the deadline is set
      const double c0 = ThreadCpu();
      uint64_t n = 0, bad = 0;
      for (; Clock::now() < deadline; ++n) bad += op(next++ % count) ? 0 : 1;
      cpu[t] = ThreadCpu() - c0;
      ops += n;
      wrong += bad;
      sync.arrive_and_wait();
    });
  }
  sync.arrive_and_wait();
  const double c0 = ProcessCpu(), m0 = MachineBusy();
  const auto t0 = Clock::now();
  deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  sync.arrive_and_wait();
  sync.arrive_and_wait();
  Pass p;
  p.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  p.process_cpu = ProcessCpu() - c0;
  p.others = std::max(0.0, MachineBusy() - m0 - p.process_cpu);
  pool.clear();
  for (double c : cpu) p.client_cpu += c;
  p.ops = ops;
  p.wrong = wrong;
  return p;
}

// A bare libcurl easy handle: one per thread, its connections kept alive between requests.
struct Easy {
  CURL* e = curl_easy_init();
  curl_slist* resolve = nullptr;
  std::string body;
  explicit Easy(const std::vector<std::string>& resolve_entries) {
    for (const auto& r : resolve_entries) resolve = curl_slist_append(resolve, r.c_str());
    curl_easy_setopt(e, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // offered as the Fetcher does
    curl_easy_setopt(e, CURLOPT_WRITEDATA, static_cast<void*>(&body));
    curl_easy_setopt(
        e, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* u) {
          static_cast<std::string*>(u)->append(d, s * n);
          return s * n;
        });
  }
  ~Easy() {
    curl_easy_cleanup(e);
    curl_slist_free_all(resolve);
  }
  long Get(const std::string& url, const std::string& etag = "") {
    body.clear();
    curl_slist* headers =
        etag.empty() ? nullptr : curl_slist_append(nullptr, ("If-None-Match: " + etag).c_str());
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    const CURLcode rc = curl_easy_perform(e);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
    curl_slist_free_all(headers);
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    return rc == CURLE_OK ? status : -1;
  }
};

class NullSink : public media::RowSink {  // decoding alone: the rows go nowhere
  void Begin(int, int, int) override {}
  void Row(const uint8_t*) override {}
};

// CPU seconds per call of fn(i), i over [0, count): the best of 3 rounds of at least 0.3 s.
double CpuPerOp(size_t count, const std::function<void(size_t)>& fn) {
  double best = 1e30;
  for (int round = 0; round < 3; ++round) {
    const double c0 = ThreadCpu();
    uint64_t n = 0;
    do {
      for (size_t i = 0; i < count; ++i) fn(i);
      n += count;
    } while (ThreadCpu() - c0 < 0.3);
    best = std::min(best, (ThreadCpu() - c0) / static_cast<double>(n));
  }
  return best;
}

std::vector<int> ParseList(const std::string& s) {
  std::vector<int> out;
  for (size_t start = 0; start <= s.size();) {
    const size_t comma = std::min(s.find(',', start), s.size());
    if (const int v = std::atoi(s.substr(start, comma - start).c_str()); v > 0) out.push_back(v);
    start = comma + 1;
  }
  return out;
}

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "discovery_bench: %s\n", why.c_str());
  std::exit(1);
}

// Every corpus photo that can be made a JPEG near 100 KB; *skipped counts those that cannot.
std::vector<Photo> LoadPhotos(const std::string& corpus, size_t* skipped) {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(corpus)) paths.push_back(e.path().string());
  std::sort(paths.begin(), paths.end());
  std::vector<Photo> photos;
  tjhandle tj = tjInitCompress();
  hashfile::HashOptions full_options;
  full_options.digests = false;
  full_options.signals = true;
  hashfile::ImageFileHasher full(full_options), fast(CheckerImageOptions());
  for (const auto& path : paths) {
    auto bytes = media::ReadFileLimited(path, 64u << 20);
    if (!bytes.ok()) continue;
    auto decoded = media::DecodeImage(*bytes, {});
    if (!decoded.ok() || (decoded->image.channels != 1 && decoded->image.channels != 3)) continue;
    Photo p;
    p.jpeg = NearTargetSize(tj, decoded->image, &p.quality);
    auto original = full.HashBytes(*bytes);
    auto served = fast.HashBytes(p.jpeg);  // an empty JPEG fails here
    if (!original.ok() || !served.ok()) {
      ++*skipped;
      continue;
    }
    p.width = decoded->image.width;
    p.height = decoded->image.height;
    p.original = original->pdq;
    p.original_signals = original->signals;
    if (served->pdq.quality >= hashing::kMinUsefulQuality) {  // as UrlChecker::MatchMedia
      p.query.pdq.assign(served->dihedral->begin(), served->dihedral->end());
    }
    p.query.pdq_quality = served->pdq.quality;
    p.query.signals = served->signals;
    photos.push_back(std::move(p));
  }
  tjDestroy(tj);
  return photos;
}

// Every other photo's original hash and region signals (as a case's), then uniform random hashes
// and region signals (as many regions as a photo's whole content and crops) up to `size` images.
discovery::MediaBank MakeBank(const std::vector<Photo>& photos, size_t size, size_t* real) {
  matching::BankColumns c;
  std::vector<std::pair<uint64_t, uint64_t>> region_ids;
  std::vector<hashing::ImageSignals> region_signals;
  auto put = [&](const hashing::Hash256& h, uint64_t id, uint64_t owner, int quality) {
    c.hashes.push_back(h);
    c.ids.push_back(id);
    c.owners.push_back(owner);
    c.qualities.push_back(static_cast<uint8_t>(quality));
  };
  for (size_t i = 0; i < photos.size() && c.ids.size() < size; i += 2) {
    if (photos[i].original.quality < hashing::kMinUsefulQuality) continue;
    put(photos[i].original.hash, i + 1, 1, photos[i].original.quality);
    if (photos[i].original_signals) {
      region_ids.push_back({i + 1, 1});
      region_signals.push_back(*photos[i].original_signals);
    }
    ++*real;
  }
  std::mt19937_64 random(6);
  auto uniform = [&] {
    hashing::Hash256 h;
    for (auto& lane : h.lanes) lane = random();
    return h;
  };
  while (c.ids.size() < size) {
    const uint64_t id = 1'000'000 + c.ids.size();
    put(uniform(), id, 2, 100);
    hashing::ImageSignals& signals = region_signals.emplace_back();
    for (int r = 0; r < static_cast<int>(hashing::kRegions.size()); ++r) {
      signals.regions.push_back({static_cast<uint8_t>(r), 100, uniform()});
    }
    region_ids.push_back({id, 2});
  }
  auto bank = matching::HashBank::FromColumns(std::move(c));
  if (!bank.ok()) Fail(bank.status().message());
  auto regions = matching::RegionBank::FromSignals(region_ids, region_signals);
  if (!regions.ok()) Fail(regions.status().message());
  return {std::move(*bank), std::move(*regions)};
}

// What UrlChecker::MatchMedia does with an image's hashes.
std::vector<matching::ImageMatch> Match(const discovery::MediaBank& bank, const Photo& p) {
  return matching::MatchImage(bank.pdq, bank.regions, p.query);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = "corpus/photos";
  size_t pages = 1000, bank_size = 10'000;
  double seconds = 5;
  std::vector<int> thread_counts = {1, 2};
  bool usage = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--corpus")
      corpus = value;
    else if (flag == "--pages")
      pages = std::max<size_t>(1, std::strtoull(value.c_str(), nullptr, 10));
    else if (flag == "--seconds")
      seconds = std::max(0.1, std::atof(value.c_str()));
    else if (flag == "--threads")
      thread_counts = ParseList(value);
    else if (flag == "--bank")
      bank_size = std::strtoull(value.c_str(), nullptr, 10);
    else
      usage = true;
  }
  if (usage || thread_counts.empty() || !fs::is_directory(corpus)) {
    std::fprintf(stderr,
                 "usage: discovery_bench [--corpus DIR] [--pages N] [--seconds S] [--threads 1,2] "
                 "[--bank N]\n(the corpus: ../shared/tools/fetch-dev-corpus.sh corpus)\n");
    return 2;
  }

  size_t skipped = 0, real = 0, matching_photos = 0;
  const std::vector<Photo> photos = [&] {
    std::vector<Photo> all = LoadPhotos(corpus, &skipped);
    if (all.empty()) Fail("no photo in " + corpus + " could be made a ~100 KB JPEG");
    return all;
  }();
  const discovery::MediaBank bank = MakeBank(photos, bank_size, &real);
  std::vector<bool> matches;  // by photo: UrlChecker must say matched
  double mean_kb = 0, mean_quality = 0, mean_mp = 0;
  const double np = static_cast<double>(photos.size());
  for (const Photo& p : photos) {
    const bool m = !Match(bank, p).empty();
    matches.push_back(m);
    matching_photos += m ? 1 : 0;
    mean_kb += static_cast<double>(p.jpeg.size()) / 1000 / np;
    mean_quality += p.quality / np;
    mean_mp += p.width * p.height / 1e6 / np;
  }

  // The server: pages on pages.example, photos on img.example, one cpp-httplib server.
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };
  server.set_keep_alive_max_count(1'000'000);
  server.set_keep_alive_timeout(2);
  server.set_tcp_nodelay(true);
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) Fail("cannot bind a loopback port");
  const std::string ps = std::to_string(port);
  Web web;
  for (size_t i = 0; i < pages; ++i) {
    web.photo_of.push_back(i % photos.size());
    web.page_url.push_back("http://pages.example:" + ps + "/p/" + std::to_string(i) + ".html");
    web.image_url.push_back("http://img.example:" + ps + "/i/" + std::to_string(i) + ".jpg");
    web.html.push_back(PageHtml(i, web.image_url.back()));
    web.etag.push_back("\"p" + std::to_string(i) + "-v1\"");
  }
  auto index = [&](const httplib::Request& req) {
    return std::strtoull(req.matches[1].str().c_str(), nullptr, 10) % pages;
  };
  server.Get(R"(/p/(\d+)\.html)", [&](const httplib::Request& req, httplib::Response& res) {
    const size_t i = index(req);
    res.set_header("ETag", web.etag[i]);
    if (req.get_header_value("If-None-Match") == web.etag[i]) {
      res.status = 304;
      return;
    }
    Serve(res, web.html[i].data(), web.html[i].size(), "text/html; charset=utf-8");
  });
  server.Get(R"(/i/(\d+)\.jpg)", [&](const httplib::Request& req, httplib::Response& res) {
    const auto& jpeg = photos[web.photo_of[index(req)]].jpeg;
    Serve(res, reinterpret_cast<const char*>(jpeg.data()), jpeg.size(), "image/jpeg");
  });
  std::thread listener([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  fetch::FetcherConfig product;  // the defaults, pointed at loopback
  product.allowed_ranges = {"127.0.0.0/8"};
  product.system_dns = false;
  product.resolve = {{"pages.example", {"127.0.0.1"}}, {"img.example", {"127.0.0.1"}}};
  fetch::FetcherConfig unthrottled = product;
  unthrottled.max_per_host = 64;
  unthrottled.per_host_delay = std::chrono::milliseconds(0);

  using discovery::Verdict;
  auto checker = [&](const fetch::FetcherConfig& config, bool conditional) {
    return [&, config, conditional]() -> Op {
      auto created = fetch::Fetcher::Create(config);
      if (!created.ok()) Fail(created.status().message());
      std::shared_ptr<fetch::Fetcher> fetcher = std::move(*created);
      auto check = std::make_shared<discovery::UrlChecker>(*fetcher);
      return [&, fetcher, check, conditional](size_t i) {
        const auto r = check->Check(web.page_url[i], bank, conditional ? web.etag[i] : "");
        if (conditional) return r.verdict == Verdict::kUnchanged;
        const Verdict want = matches[web.photo_of[i]] ? Verdict::kMatched : Verdict::kNoMatch;
        return r.verdict == want && r.media_checked == 1 && r.etag == web.etag[i];
      };
    };
  };
  const std::vector<std::string> resolve = {"pages.example:" + ps + ":127.0.0.1",
                                            "img.example:" + ps + ":127.0.0.1"};
  auto bare = [&](bool conditional) {
    return [&, conditional]() -> Op {
      auto easy = std::make_shared<Easy>(resolve);
      return [&, easy, conditional](size_t i) {
        if (conditional) return easy->Get(web.page_url[i], web.etag[i]) == 304;
        return easy->Get(web.page_url[i]) == 200 && easy->body.size() == web.html[i].size() &&
               easy->Get(web.image_url[i]) == 200 &&
               easy->body.size() == photos[web.photo_of[i]].jpeg.size();
      };
    };
  };
  auto hash_only = [&]() -> Op {
    auto hasher = std::make_shared<hashfile::ImageFileHasher>(CheckerImageOptions());
    return [&, hasher](size_t i) { return hasher->HashBytes(photos[web.photo_of[i]].jpeg).ok(); };
  };

  struct Row {
    std::string what;
    int threads;
    Pass pass;
    double target;  // 0: none
  };
  std::vector<Row> rows;
  auto run = [&](const char* what, int t, const std::function<Op()>& make, double target = 0,
                 double secs = 0, int warmup = 10) {
    std::fprintf(stderr, "discovery_bench: %s, %d thread(s)\n", what, t);
    rows.push_back({what, t, RunPass(t, secs > 0 ? secs : seconds, pages, warmup, make), target});
  };
  for (int t : thread_counts) {
    run("pages: UrlChecker::Check", t, checker(unthrottled, false), 300);
    run("pages: bare libcurl (page + JPEG, no parse, no hash)", t, bare(false));
    run("pages: bare decode + PDQ + regions + digests (in memory)", t, hash_only);
  }
  for (int t : thread_counts) {
    run("rechecks: UrlChecker::Check with the ETag (304)", t, checker(unthrottled, true), 2000);
    run("rechecks: bare libcurl with If-None-Match (304)", t, bare(true));
  }
  run("pages: UrlChecker::Check, product politeness", 1, checker(product, false), 0,
      std::min(seconds, 3.0), 1);

  // Where one page's CPU goes: each step alone, on this thread, over the same bytes.
  NullSink null_sink;
  hashfile::HashOptions pdq_options = CheckerImageOptions();
  pdq_options.digests = false;
  hashfile::ImageFileHasher pdq_only(pdq_options);
  auto jpeg = [&](size_t i) -> const std::vector<uint8_t>& { return photos[web.photo_of[i]].jpeg; };
  const double decode_s = CpuPerOp(pages, [&](size_t i) {
    (void)media::DecodeImageRows(jpeg(i), CheckerImageOptions().decode, null_sink);
  });
  const double decode_pdq_s = CpuPerOp(pages, [&](size_t i) { (void)pdq_only.HashBytes(jpeg(i)); });
  const double digests_s =
      CpuPerOp(pages, [&](size_t i) { (void)hashing::ComputeDigests(jpeg(i)); });
  const double parse_s =
      CpuPerOp(pages, [&](size_t i) { (void)fetch::ExtractPage(web.html[i], web.page_url[i]); });
  hashfile::HashOptions signals_options = pdq_options;
  signals_options.signals = false;
  hashfile::ImageFileHasher pdq_no_signals(signals_options);
  const double decode_pdq_only_s =
      CpuPerOp(pages, [&](size_t i) { (void)pdq_no_signals.HashBytes(jpeg(i)); });
  const double match_s =
      CpuPerOp(pages, [&](size_t i) { (void)Match(bank, photos[web.photo_of[i]]); });
  server.stop();
  listener.join();

  std::printf(
      "%zu photos re-encoded as baseline JPEG near 100 KB (mean %.1f KB, quality %.0f, %.2f MP; "
      "%zu more left out: no quality in 30..95 within 15%%); %zu pages of ~%zu bytes of HTML "
      "(uncompressed), one <img> each (page i shows photo i %% %zu); bank of %zu PDQ hashes "
      "(index %s) and %zu region hashes (index %s); %zu photos' full-mode hashes and region "
      "signals, the rest uniform random; %zu of the %zu served JPEGs match it.\n",
      photos.size(), mean_kb, mean_quality, mean_mp, skipped, pages, web.html.back().size(),
      photos.size(), bank.pdq.size(), std::string(bank.pdq.index_name()).c_str(),
      bank.regions.hashes().size(), std::string(bank.regions.hashes().index_name()).c_str(), real,
      matching_photos, photos.size());
  std::printf(
      "Server: cpp-httplib %s in this process, on its own 16 threads (HTTP/1.1 keep-alive, "
      "TCP_NODELAY), pages on host pages.example, photos on img.example. Each checker thread has "
      "its own Fetcher + UrlChecker, with max_per_host 64 and per_host_delay 0 (the product's 2 "
      "and 250 ms only in the politeness row). UrlChecker::Check = page fetch, parse, JPEG fetch, "
      "fast decode, PDQ in 8 orientations, region signals, MD5 + SHA-256, match. %u hardware "
      "threads; %.1f s a "
      "pass after 10 warm-up operations a thread; \"others\": cores other processes on the "
      "machine kept busy meanwhile (/proc/stat).\n\n",
      CPPHTTPLIB_VERSION, std::thread::hardware_concurrency(), seconds);
  std::printf(
      "| %-52s | threads | per second | cores busy | others | client CPU us/op | server CPU "
      "us/op | wrong | target |\n|%s|--------:|-----------:|-----------:|-------:|---------------"
      "--:|-----------------:|------:|--------|\n",
      "", std::string(54, '-').c_str());
  for (const Row& r : rows) {
    const double ops = static_cast<double>(std::max<uint64_t>(1, r.pass.ops));
    char target[32] = "";
    if (r.target > 0) {
      std::snprintf(target, sizeof target, ">= %.0f: %s", r.target,
                    r.pass.rate() >= r.target ? "met" : "NOT met");
    }
    std::printf("| %-52s | %7d | %10.0f | %10.2f | %6.2f | %16.0f | %16.0f | %5llu | %s |\n",
                r.what.c_str(), r.threads, r.pass.rate(), r.pass.process_cpu / r.pass.wall,
                r.pass.others / r.pass.wall, r.pass.client_cpu / ops * 1e6,
                (r.pass.process_cpu - r.pass.client_cpu) / ops * 1e6,
                static_cast<unsigned long long>(r.pass.wrong), target);
  }

  // One page's CPU in each UrlChecker pages pass, step by step.
  std::vector<const Row*> passes;
  for (const Row& r : rows) {
    if (r.target == 300) passes.push_back(&r);
  }
  std::printf(
      "\nOne page's CPU in the UrlChecker pages passes: each step timed alone on one thread over "
      "the same bytes in memory (thread CPU clock, best of 3); client network is the rest of the "
      "checker threads' CPU (Fetcher, libcurl, kernel); the server's is the process's CPU less "
      "the checker threads'.\n\n| %-56s |",
      "step");
  for (const Row* r : passes) std::printf(" us/page, %d thr | share |", r->threads);
  std::printf("\n|%s|", std::string(58, '-').c_str());
  for (size_t k = 0; k < passes.size(); ++k) std::printf("---------------:|------:|");
  auto share = [&](const char* what, double s, double client_part, double server_part) {
    std::printf("\n| %-56s |", what);
    for (const Row* r : passes) {
      const double n = static_cast<double>(std::max<uint64_t>(1, r->pass.ops));
      const double client = r->pass.client_cpu / n, total = r->pass.process_cpu / n;
      const double v = s + client_part * client + server_part * (total - client);
      std::printf(" %14.0f | %4.0f%% |", v * 1e6, 100 * v / total);
    }
  };
  const double steps = decode_pdq_s + digests_s + parse_s + match_s;
  share("decode (libjpeg-turbo, fast mode)", decode_s, 0, 0);
  share("PDQ, with the 8 orientations", decode_pdq_only_s - decode_s, 0, 0);
  share("region signals: trimming, whole content and collage cells",
        decode_pdq_s - decode_pdq_only_s, 0, 0);
  share("MD5 + SHA-256 of the JPEG", digests_s, 0, 0);
  share("parse (ExtractPage: guard + gumbo)", parse_s, 0, 0);
  share("match (MatchImage: PDQ x8, the crawler's regions)", match_s, 0, 0);
  share("client network: Fetcher + libcurl + kernel (the rest)", -steps, 1, 0);
  share("server: cpp-httplib threads + their kernel time", 0, 0, 1);
  share("total (process CPU per page)", 0, 1, 1);
  std::printf("\n");
  return 0;
}
