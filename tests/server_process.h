// Test-only: runs the real `takedown serve` binary on an ephemeral loopback port, reads the port
// and the first admin password from what it prints, and stops (or kills) it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace takedown::testing {

class ServerProcess {
 public:
  // `args` after "serve"; --listen 127.0.0.1:0 is added.
  explicit ServerProcess(std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> all = {TAKEDOWN_BINARY, "serve", "--listen", "127.0.0.1:0"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
    // Read until the "listening" line (or the process ends).
    char line[1024];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && fgets(line, sizeof line, stdout_)) {
      const std::string text = line;
      output_ += text;
      if (const auto at = text.find("password: "); at != std::string::npos) {
        admin_password_ = text.substr(at + 10);
        while (!admin_password_.empty() && std::isspace(admin_password_.back())) {
          admin_password_.pop_back();
        }
      }
      if (const auto at = text.find("listening on http://127.0.0.1:"); at != std::string::npos) {
        port_ = std::atoi(text.c_str() + at + 30);
        break;
      }
    }
  }
  ~ServerProcess() { Stop(SIGTERM); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& admin_password() const { return admin_password_; }
  const std::string& output() const { return output_; }

  // Sends the signal and waits for the process; returns its wait status.
  int Stop(int signal) {
    if (pid_ <= 0) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (stdout_) fclose(stdout_);
    stdout_ = nullptr;
    return status;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  int port_ = 0;
  std::string admin_password_, output_;
};

}  // namespace takedown::testing
