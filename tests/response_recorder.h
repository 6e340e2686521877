// Test-only: writes every answer an httplib client receives to a file, one JSON object a line
// ({"method", "path", "status", "content_type", "body"}), for web/contract/check-responses.mjs to
// check against docs/openapi.yaml. A body that is not JSON text is recorded by its length only.
#pragma once

#include <httplib.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace takedown::testing {

// Makes `client` append what it receives to `file` (created if missing, never truncated).
inline void RecordResponses(httplib::Client& client, const std::string& file) {
  auto out = std::make_shared<std::ofstream>(file, std::ios::app);
  client.set_logger([out](const httplib::Request& req, const httplib::Response& res) {
    const std::string type = res.get_header_value("Content-Type");
    nlohmann::json line = {{"method", req.method},
                           {"path", req.path.substr(0, req.path.find('?'))},
                           {"status", res.status},
                           {"content_type", type}};
    if (type.rfind("application/json", 0) == 0) {
      line["body"] = res.body;
    } else {
      line["body_bytes"] = res.body.size();
    }
    *out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n'
         << std::flush;
  });
}

}  // namespace takedown::testing
