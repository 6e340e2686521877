// The deployment behind a reverse proxy: Debian's nginx on loopback, configured with the
// repository's deploy/nginx/takedown-proxy.conf, in front of the real `takedown serve
// --trust-proxy 127.0.0.1`. Requests go through; the server counts PIN guesses under the address
// nginx saw, not nginx's own; an X-Forwarded-For from anyone but the trusted proxy is ignored.
//
// nginx runs as the user running the test (no master process, its own prefix, temp folders and
// pid file). Where it is not installed the test skips, except under CI=true, where it fails.
#include <gtest/gtest.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "raw_client.h"
#include "server_process.h"

namespace takedown {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ConnectFrom;
using testing::ReadUntilClosed;
using testing::SendAll;
using testing::ServerProcess;
using testing::WaitFor;

bool Required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string FindNginx() {
  for (const char* candidate : {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"}) {
    if (access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

// nginx in the foreground on 127.0.0.1:port, proxying to the server at upstream_port.
class Nginx {
 public:
  Nginx(const std::string& binary, const fs::path& prefix, int port, int upstream_port)
      : port_(port) {
    fs::create_directories(prefix / "logs");
    std::ofstream(prefix / "nginx.conf")
        << "daemon off;\nmaster_process off;\npid " << (prefix / "nginx.pid").string() << ";\n"
        << "error_log " << (prefix / "logs" / "error.log").string() << " warn;\n"
        << "events { worker_connections 256; }\n"
        << "http {\n"
        << "  client_body_temp_path " << (prefix / "body").string() << ";\n"
        << "  proxy_temp_path " << (prefix / "proxy").string() << ";\n"
        << "  fastcgi_temp_path " << (prefix / "fastcgi").string() << ";\n"
        << "  uwsgi_temp_path " << (prefix / "uwsgi").string() << ";\n"
        << "  scgi_temp_path " << (prefix / "scgi").string() << ";\n"
        << "  upstream takedown { server 127.0.0.1:" << upstream_port
        << "; keepalive 4; keepalive_timeout 5s; }\n"
        << "  server {\n    listen 127.0.0.1:" << port << ";\n"
        << "    include " << TAKEDOWN_SOURCE_DIR << "/deploy/nginx/takedown-proxy.conf;\n"
        << "  }\n}\n";
    pid_ = fork();
    if (pid_ == 0) {
      execl(binary.c_str(), binary.c_str(), "-p", prefix.c_str(), "-e",
            (prefix / "logs" / "error.log").c_str(), "-c", (prefix / "nginx.conf").c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Nginx() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_;
};

// The status of one request sent from `source` to 127.0.0.1:port.
int StatusFrom(const std::string& source, int port, const std::string& request) {
  const int fd = ConnectFrom(source, port);
  if (fd < 0) return -1;
  SendAll(fd, request);
  const std::string answer = ReadUntilClosed(fd, 30s);
  close(fd);
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return -1;
  return std::atoi(answer.c_str() + 9);
}

std::string Base64(const std::string& text) {
  std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

// A status request with a wrong PIN for a code no case has (each guess its own code, so only
// the address's count grows), with extra headers.
std::string WrongPinRequest(int guess, const std::string& extra_headers = "") {
  char code[32];
  std::snprintf(code, sizeof code, "TD-%04X-%04X", 0x2222 + guess / 4096, 0x2222 + guess % 4096);
  return "GET /api/v1/status HTTP/1.1\r\nHost: takedown.test\r\nConnection: close\r\n"
         "Authorization: Basic " +
         Base64(std::string(code) + ":12345678") + "\r\n" + extra_headers + "\r\n";
}

// Guesses from `source` until the server answers 429 (the address is locked), up to `bound`;
// returns how many guesses that took, or -1. `extra(i)` adds headers to guess i.
template <typename Extra>
int GuessesUntilLocked(const std::string& source, int port, int bound, Extra extra) {
  for (int i = 0; i < bound; ++i) {
    const int status = StatusFrom(source, port, WrongPinRequest(i, extra(i)));
    if (status == 429) return i + 1;
    if (status != 403) return -1;
  }
  return -1;
}

class NginxProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nginx_ = FindNginx();
    if (nginx_.empty()) {
      if (Required()) FAIL() << "nginx is not installed (CI=true): apt-get install nginx";
      GTEST_SKIP() << "nginx is not installed: apt-get install nginx to run this test";
    }
    ASSERT_EQ(sodium_init() >= 0, true);
    dir_ = fs::temp_directory_path() / ("nginx_proxy_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string nginx_;
  fs::path dir_;
};

TEST_F(NginxProxyTest, TheServerSeesTheClientAddressNginxSends) {
  ServerProcess server({"--data", (dir_ / "data").string(), "--no-worker", "--no-dns",
                        "--trust-proxy", "127.0.0.1"});
  ASSERT_GT(server.port(), 0) << server.output();
  Nginx nginx(nginx_, dir_ / "nginx", FreePort(), server.port());
  const std::string health =
      "GET /healthz HTTP/1.1\r\nHost: takedown.test\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(WaitFor([&] { return StatusFrom("127.0.0.1", nginx.port(), health) == 200; }, 30s))
      << "nginx did not come up; see " << (dir_ / "nginx" / "logs" / "error.log");

  // Through nginx, 127.0.0.2 guesses until its address is locked; 127.0.0.3, also through
  // nginx, is still answered as itself. A client's own X-Forwarded-For changes nothing.
  const int to_lock = GuessesUntilLocked("127.0.0.2", nginx.port(), 200, [](int i) {
    return "X-Forwarded-For: 10.9." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
           "\r\n";
  });
  const int other = StatusFrom("127.0.0.3", nginx.port(), WrongPinRequest(1000));
  std::printf(
      "through nginx: 127.0.0.2 locked after %d wrong PINs (its own X-Forwarded-For "
      "ignored); 127.0.0.3 then answered %d\n",
      to_lock, other);
  EXPECT_GT(to_lock, 0);
  EXPECT_EQ(other, 403);

  // Straight to the server, a peer that is not the trusted proxy cannot choose its address.
  const int direct = GuessesUntilLocked("127.0.0.4", server.port(), 200, [](int i) {
    return "X-Forwarded-For: 10.8." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
           "\r\n";
  });
  std::printf(
      "straight to the server from 127.0.0.4 with a new X-Forwarded-For each time: "
      "locked after %d\n",
      direct);
  EXPECT_GT(direct, 0);
}

TEST_F(NginxProxyTest, WithoutTrustProxyTheHeaderIsIgnored) {
  ServerProcess server({"--data", (dir_ / "data").string(), "--no-worker", "--no-dns"});
  ASSERT_GT(server.port(), 0) << server.output();
  const int locked = GuessesUntilLocked("127.0.0.1", server.port(), 200, [](int i) {
    return "X-Forwarded-For: 10.7." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
           "\r\n";
  });
  std::printf("no --trust-proxy: 127.0.0.1 with a new X-Forwarded-For each time locked after %d\n",
              locked);
  EXPECT_GT(locked, 0);
}

}  // namespace
}  // namespace takedown
