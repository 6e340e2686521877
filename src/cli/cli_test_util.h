// Test-only helpers for the CLI's end-to-end tests: run the real `takedown` binary, capture stdout
// and the exit status, read JSON Lines.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace takedown::cli::testing {

using nlohmann::json;

struct Run {
  int status = -1;
  std::string out;
  std::vector<json> records() const {
    std::vector<json> rows;
    size_t start = 0;
    for (size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
      rows.push_back(json::parse(out.substr(start, end - start)));
    }
    return rows;
  }
};

inline Run Takedown(const std::string& args, const std::string& prefix = "") {
  Run run;
  const std::string command = prefix + TAKEDOWN_BINARY + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) run.out.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

}  // namespace takedown::cli::testing
