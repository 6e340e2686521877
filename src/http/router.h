// The routes: a method and a path pattern (a regular expression matched against the whole path;
// its groups land in req.matches) to a handler. HEAD is answered by the GET route.
//
// Thread-safe for Dispatch once every route is added (they are, before the server runs).
#pragma once

#include <httplib.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace takedown::http {

class Router {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  void Get(const std::string& pattern, Handler handler);
  void Post(const std::string& pattern, Handler handler);
  void Put(const std::string& pattern, Handler handler);
  void Delete(const std::string& pattern, Handler handler);

  // Runs the route for the request and returns true, or returns false when none matches.
  bool Dispatch(httplib::Request& req, httplib::Response& res) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };
  void Add(std::string method, const std::string& pattern, Handler handler);
  std::vector<Route> routes_;
};

}  // namespace takedown::http
