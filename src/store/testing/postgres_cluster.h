// Test-only: a throw-away PostgreSQL cluster on loopback, started once per test binary from
// Debian's server binaries (initdb, pg_ctl) and stopped at exit, with a fresh database per test.
// As root (CI), the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
// Where the binaries are missing, NewDatabase fails with a sentence saying so; under CI=true the
// caller must treat that as a failure, elsewhere as a skip (see RequirePostgres).
//
// Thread-safe.
#pragma once

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

#include "base/status.h"

namespace takedown::store::testing {

class PostgresCluster {
 public:
  static PostgresCluster& Get() {
    static PostgresCluster cluster;
    return cluster;
  }

  // A new empty database's URL, or why there is none.
  Result<std::string> NewDatabase() {
    std::lock_guard lock(mu_);
    if (!started_) Start();
    if (!error_.empty()) return Unavailable(error_);
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(next_++);
    if (Run(bin_ + "/psql -q -h 127.0.0.1 -p " + std::to_string(port_) +
            " -U takedown -d postgres -c 'CREATE DATABASE " + name + "'") != 0) {
      return Unavailable("could not create a test database");
    }
    return "postgresql://takedown@127.0.0.1:" + std::to_string(port_) + "/" + name;
  }

  // True when a missing PostgreSQL must fail the test rather than skip it.
  static bool Required() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
  }

  ~PostgresCluster() {
    if (started_ && error_.empty()) {
      Run(AsOwner(bin_ + "/pg_ctl -D " + data_ + " -m immediate stop") + " >/dev/null 2>&1");
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

 private:
  PostgresCluster() = default;

  static int Run(const std::string& command) { return std::system(command.c_str()); }

  std::string AsOwner(const std::string& command) const {
    return ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  }

  static int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  void Start() {
    started_ = true;
    for (const char* version : {"17", "16", "15", "14", "13"}) {
      const std::string bin = std::string("/usr/lib/postgresql/") + version + "/bin";
      if (std::filesystem::exists(bin + "/initdb")) {
        bin_ = bin;
        break;
      }
    }
    if (bin_.empty()) {
      error_ = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)";
      return;
    }
    if (::geteuid() == 0 && ::getpwnam("postgres") == nullptr) {
      error_ = "running as root, and there is no postgres user to run the server as";
      return;
    }
    char tmpl[] = "/tmp/takedown-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      error_ = "cannot make a temporary folder for PostgreSQL";
      return;
    }
    dir_ = tmpl;
    if (::geteuid() == 0) Run("chown postgres: " + dir_);
    port_ = FreePort();
    data_ = dir_ + "/data";
    if (Run(AsOwner(bin_ + "/initdb -D " + data_ + " -A trust -U takedown -E UTF8 --no-sync >" +
                    dir_ + "/initdb.log 2>&1")) != 0) {
      error_ = "initdb failed (see " + dir_ + "/initdb.log)";
      return;
    }
    if (Run(AsOwner(bin_ + "/pg_ctl -D " + data_ + " -w -l " + dir_ + "/server.log -o \"-c " +
                    "listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                    " -c unix_socket_directories=" + dir_ +
                    " -c fsync=off -c max_connections=200\"" + " start >/dev/null")) != 0) {
      error_ = "the PostgreSQL server did not start (see " + dir_ + "/server.log)";
      return;
    }
  }

  std::mutex mu_;
  bool started_ = false;
  std::string error_, bin_, dir_, data_;
  int port_ = 0;
  std::atomic<int> next_{0};
};

}  // namespace takedown::store::testing
