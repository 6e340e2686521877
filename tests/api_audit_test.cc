// Issue 19, item 5: every route that reads a case's data writes an audit event naming the case.
// The routes come from docs/openapi.yaml, where every route is documented: each GET under
// /api/v1/cases/{id}, /api/v1/notices/{id} and /api/v1/sightings/{id} (none yet), and the queue
// searched by her code, is requested as a caseworker, and the case's audit trail must have grown
// by a read event for each. A route documented there that this test does not know fails it, so a
// new case-reading route cannot be added without its audit.
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "api_fixture.h"

namespace takedown {
namespace {

// The GET routes of docs/openapi.yaml under /api/v1/cases/, /api/v1/notices/ and
// /api/v1/sightings/: each reads one case's data.
std::set<std::string> DocumentedCaseReads() {
  std::ifstream in(std::string(TAKEDOWN_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in.good()) << "docs/openapi.yaml cannot be read";
  const std::regex path_line(R"(^  (/api/v1/\S+):\s*$)");
  const std::regex get_line(R"(^    get:)");
  std::set<std::string> out;
  std::string path, line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (line.starts_with("  ") && !line.starts_with("   ") && line.size() > 2) {
      path.clear();  // the end of the paths (components:) or of a path
    } else if (!path.empty() && std::regex_search(line, get_line) &&
               (path.starts_with("/api/v1/cases/") || path.starts_with("/api/v1/notices/") ||
                path.starts_with("/api/v1/sightings/"))) {
      out.insert(path);
    }
  }
  return out;
}

TEST_P(Api, EveryRouteThatReadsACaseWritesAReadEventNamingIt) {
  auto intake = Post("/api/v1/intake", {{"images", {{{"pdq", kPdqA}, {"quality", 90}}}},
                                        {"urls", {"https://t.me/leaks/12"}},
                                        {"jurisdiction", "EU"},
                                        {"language", "en"},
                                        {"authorise", true}});
  ASSERT_EQ(intake->status, 201) << intake->body;
  const std::string code = json::parse(intake->body)["code"];
  const Session worker = UserWithRole("casey", "caseworker");
  const httplib::Headers auth = Auth(worker);
  const json queue = json::parse(client_->Get(("/api/v1/cases?q=" + code).c_str(), auth)->body);
  ASSERT_EQ(queue["cases"].size(), 1u) << queue.dump();
  const int64_t case_id = queue["cases"][0]["id"];
  const std::string id = std::to_string(case_id);
  auto drafted = Post("/api/v1/cases/" + id + "/notices", json::object(), auth);
  ASSERT_EQ(drafted->status, 201) << drafted->body;
  const std::string notice =
      std::to_string(json::parse(drafted->body)["notices"][0]["id"].get<int64_t>());

  // How each documented case-reading route is asked for this case.
  const std::map<std::string, std::string> known = {
      {"/api/v1/cases/{id}", "/api/v1/cases/" + id},
      {"/api/v1/cases/{id}/events", "/api/v1/cases/" + id + "/events"},
      {"/api/v1/cases/{id}/notices", "/api/v1/cases/" + id + "/notices"},
      {"/api/v1/cases/{id}/replies", "/api/v1/cases/" + id + "/replies"},
      {"/api/v1/cases/{id}/dossier", "/api/v1/cases/" + id + "/dossier?format=json"},
      {"/api/v1/cases/{id}/crawl", "/api/v1/cases/" + id + "/crawl"},
      {"/api/v1/cases/{id}/sources", "/api/v1/cases/" + id + "/sources"},
      {"/api/v1/notices/{id}", "/api/v1/notices/" + notice},
      {"/api/v1/cases?q=CODE", "/api/v1/cases?q=" + code},
  };
  const std::set<std::string> documented = DocumentedCaseReads();
  ASSERT_FALSE(documented.empty());
  for (const std::string& route : documented) {
    EXPECT_TRUE(known.contains(route))
        << "docs/openapi.yaml documents " << route
        << ", which reads a case: add it here with the read event it writes";
  }
  for (const auto& [route, url] : known) {
    if (route == "/api/v1/cases?q=CODE") continue;
    EXPECT_TRUE(documented.contains(route)) << route << " is no longer in docs/openapi.yaml";
  }

  // The case's read events (case.read, case.dossier), counted through the trail; reading the
  // trail is a read itself, so each look adds one.
  const std::string actor =
      "user:" +
      std::to_string(json::parse(client_->Get("/api/v1/me", auth)->body)["id"].get<int64_t>());
  const std::string trail = "/api/v1/cases/" + id + "/events?limit=1000";
  const auto reads = [&] {
    auto res = client_->Get(trail.c_str(), auth);
    EXPECT_EQ(res->status, 200) << res->body;
    const json trail_read = json::parse(res->body);
    int n = 0;
    for (const json& e : trail_read["events"]) {
      const std::string action = e["action"];
      n += (action == "case.read" || action == "case.dossier") && e["case_id"] == case_id &&
           e["actor"] == actor;
    }
    return n;
  };
  int audited = 0;
  for (const auto& [route, url] : known) {
    const int before = reads();
    auto res = client_->Get(url.c_str(), auth);
    ASSERT_EQ(res->status, 200) << url << ": " << res->body;
    const int written = reads() - before - 1;
    EXPECT_GE(written, 1) << route << " read the case and wrote no audit event";
    audited += written >= 1;
  }
  std::printf("case-reading routes audited: %d of %zu\n", audited, known.size());
}

}  // namespace
}  // namespace takedown
