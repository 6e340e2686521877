#include "http/router.h"

namespace takedown::http {

void Router::Get(const std::string& pattern, Handler handler) {
  Add("GET", pattern, std::move(handler));
}
void Router::Post(const std::string& pattern, Handler handler) {
  Add("POST", pattern, std::move(handler));
}
void Router::Put(const std::string& pattern, Handler handler) {
  Add("PUT", pattern, std::move(handler));
}
void Router::Delete(const std::string& pattern, Handler handler) {
  Add("DELETE", pattern, std::move(handler));
}

void Router::Add(std::string method, const std::string& pattern, Handler handler) {
  routes_.push_back({std::move(method), std::regex(pattern), std::move(handler)});
}

bool Router::Dispatch(httplib::Request& req, httplib::Response& res) const {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  for (const Route& route : routes_) {
    if (route.method == method && std::regex_match(req.path, req.matches, route.pattern)) {
      route.handler(req, res);
      return true;
    }
  }
  return false;
}

}  // namespace takedown::http
