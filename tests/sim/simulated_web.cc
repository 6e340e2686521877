#include "sim/simulated_web.h"

#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "hashfile/hash_file.h"
#include "mail/testing/smtp_server.h"
#include "server_process.h"
#include "sim/sim_world.h"

namespace takedown::sim {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kStart = "2026-01-05T00:00:00Z";  // a Monday

// The ten sites: six platforms the simulation's data knows, four it does not.
std::vector<Site> Sites() {
  Behaviour complies{.acts = 0.95};
  Behaviour strict{.acts = 0.95, .english_only = true};
  Behaviour stalls{.acts = 0.9, .acts_from_notice = 2};
  Behaviour soft{.acts = 0.9, .soft_removal = true};
  Behaviour reposts{.acts = 0.9, .reposts = 0.3, .returns = 0.3};
  Behaviour ignores{.acts = 0};
  Behaviour rarely{.acts = 0.1};
  return {{"socialhub.example", "socialhub", 0, complies},
          {"strictboard.example", "strictboard", 0, strict},
          {"slowtube.example", "slowtube", 1, stalls},
          {"quietforum.example", "quietforum", 1, soft},
          {"reposter.example", "reposter", 0, reposts},
          {"deafsite.example", "deafsite", 1, ignores},
          {"leakpics.example", "", 0, rarely},
          {"anonboard.example", "", 1, rarely},
          {"tubeleaks.example", "", 2, rarely},
          {"imgdrop.example", "", 2, rarely}};
}

std::vector<std::pair<std::string, Behaviour>> Hosts() {
  return {{"hostco.example", {.acts = 0.8, .min_hours = 6, .max_hours = 36}},
          {"cloudbox.example", {.acts = 0.6, .min_hours = 12, .max_hours = 48}},
          {"bulletproof.example", {.acts = 0}}};
}

// The simulation's platforms data: what each known site's entry says of it.
std::string PlatformsToml(const std::vector<Site>& sites) {
  struct Entry {
    const char *kind, *languages, *escalation;
    int deadline;
  };
  const std::map<std::string, Entry> entries = {
      {"socialhub", {"social", R"(["en", "zh-Hant", "ms"])", R"(["regulator"])", 48}},
      {"strictboard", {"forum", R"(["en"])", R"(["hosting", "registrar", "regulator"])", 48}},
      {"slowtube", {"video", R"(["en", "zh-Hant", "ms"])", R"(["regulator"])", 48}},
      {"quietforum",
       {"forum", R"(["zh-Hant", "en"])", R"(["hosting", "registrar", "regulator"])", 72}},
      {"reposter", {"forum", R"(["en", "ms"])", R"(["hosting", "registrar", "regulator"])", 48}},
      {"deafsite", {"content_farm", R"(["en"])", R"(["hosting", "registrar", "regulator"])", 72}}};
  std::string out = "schema_version = 1\nlast_reviewed = \"2026-01-01\"\n";
  for (const Site& s : sites) {
    if (s.platform_id.empty()) continue;
    const Entry& e = entries.at(s.platform_id);
    out +=
        "\n[[platform]]\nid = \"" + s.platform_id + "\"\nname = \"" + s.platform_id +
        "\"\nkind = \"" + e.kind + "\"\noperator = \"" + s.platform_id + " Ltd\"\ndomains = [\"" +
        s.name + "\"]\nlanguages = " + e.languages +
        "\ndeadline_hours = " + std::to_string(e.deadline) +
        "\ndeadline_basis = \"simulated\"\nncii_partner = false\nescalation = " + e.escalation +
        "\nnotes = \"\"\n\n[[platform.channel]]\nkind = \"email\"\nurl = \"\"\naddress = \"abuse@" +
        s.name + "\"\nlabel = \"Abuse reports\"\n";
  }
  // The search engines whose forms de-list a copy its host left up (issue 17 item 4): written to,
  // never acting in this world (it has no search results to take a copy out of).
  for (const auto& [id, form] : {std::pair{"google", "https://search.example/google-ncii"},
                                 std::pair{"bing", "https://search.example/bing-ncii"}}) {
    out += std::string("\n[[platform]]\nid = \"") + id + "\"\nname = \"" + id +
           "\"\nkind = \"search\"\noperator = \"" + id + " Inc\"\ndomains = [\"" + id +
           ".test\"]\nlanguages = [\"en\"]\ndeadline_hours = 72\ndeadline_basis = "
           "\"simulated\"\nncii_partner = true\nescalation = [\"regulator\"]\nnotes = \"\"\n\n"
           "[[platform.channel]]\nkind = \"web_form\"\nurl = \"" +
           form + "\"\naddress = \"\"\nlabel = \"Remove intimate images from results\"\n";
  }
  return out;
}

// The caseworker: every request she makes through the API, and the ones that change something
// counted.
class Caseworker {
 public:
  Caseworker(int port, std::string password)
      : client_(std::make_unique<httplib::Client>("127.0.0.1", port)),
        password_(std::move(password)) {
    client_->set_read_timeout(180, 0);
  }
  void Login() {
    auto in =
        client_->Post("/api/v1/login", json{{"username", "admin"}, {"password", password_}}.dump(),
                      "application/json");
    if (!in || in->status != 200) return;
    const std::string cookie = in->get_header_value("Set-Cookie");
    auth_ = {{"Cookie", cookie.substr(0, cookie.find(';'))},
             {"X-CSRF-Token", json::parse(in->body)["csrf_token"]}};
  }
  // Her session ends after a while on the clock: she logs in again when told so (not before
  // every call: a login hashes the password, which costs a real second).
  json Get(const std::string& path) {
    auto r = client_->Get(path, auth_);
    if (r && r->status == 401) {
      Login();
      r = client_->Get(path, auth_);
    }
    return r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
  }
  // A change she makes: counted once, as one click, under `kind` (by default the route's last
  // word: confirm, approve, ...).
  int Act(const std::string& method, const std::string& path, const json& body = json::object(),
          std::string kind = "") {
    ++actions;
    ++actions_by_kind[kind.empty() ? path.substr(path.rfind('/') + 1) : kind];
    return Call(method, path, body);
  }
  int Call(const std::string& method, const std::string& path, const json& body) {
    auto send = [&] {
      return method == "PUT" ? client_->Put(path, auth_, body.dump(), "application/json")
                             : client_->Post(path, auth_, body.dump(), "application/json");
    };
    auto r = send();
    if (r && r->status == 401) {
      Login();
      r = send();
    }
    last_body = r ? r->body : "";
    return r ? r->status : 0;
  }
  int actions = 0;
  std::map<std::string, int> actions_by_kind;  // by the route's last word: confirm, approve, ...
  std::string last_body;

 private:
  std::unique_ptr<httplib::Client> client_;
  std::string password_;
  httplib::Headers auth_;
};

// One working session: every case, what needs her.
// Web forms (a regulator's complaint, a search engine's de-listing) she files at the day's first
// session, `file_forms`: Takedown folds a case's drafts to one recipient into one while they wait,
// so a case costs her one click a day however many of its copies reached those rungs.
void WorkTheCases(Caseworker& cw, World& world, UnixMillis now, Report& report, bool file_forms) {
  const json cases = cw.Get("/api/v1/cases?limit=200");
  if (!cases.contains("cases")) return;
  for (const json& c : cases["cases"]) {
    const std::string path = "/api/v1/cases/" + std::to_string(c["id"].get<int64_t>());
    const json detail = cw.Get(path);
    // Strong reposts confirm themselves and confirmed copies are drafted by the job loop
    // (draft_automatically): she confirms only what waits for her eyes.
    for (const json& s : detail.value("sightings", json::array())) {
      if (s.value("needs_review", false) && s["state"] == "found") {
        cw.Act("POST", "/api/v1/sightings/" + std::to_string(s["id"].get<int64_t>()) + "/confirm");
      }
    }
    // Web forms she fills in, then marks them all submitted with one click on the case page (a
    // draft so marked was approved by doing so); the rest she approves and Takedown sends.
    json submitted = json::array();
    for (const json& n : cw.Get(path + "/notices").value("notices", json::array())) {
      if (n["state"] != "draft" || !n["missing"].empty()) continue;
      if (n["channel"] != "web_form") {
        cw.Act("POST", "/api/v1/notices/" + std::to_string(n["id"].get<int64_t>()) + "/approve");
        continue;
      }
      if (!file_forms) continue;
      ++report.notices_sent;
      if (!world.Receive(n["address"], n["body"], now)) ++report.wrongful_notices;
      submitted.push_back(n["id"]);
    }
    if (!submitted.empty()) {
      cw.Act("POST", path + "/notices/bulk", {{"action", "submitted"}, {"notice_ids", submitted}},
             "submitted (bulk)");
    }
  }
}

// A copy of hers, where it is, Takedown's state of it when known, and who was written to about it.
std::string Written(const World& world, const Post& p, const std::string& state = "") {
  std::string line = world.PostUrl(p.id) + " (" + world.sites()[p.site].name +
                     (p.transform == Transform::kNone ? "" : ", transformed") +
                     (state.empty() ? "" : ", state " + state) + "): notices to";
  for (const auto& [actor, n] : p.notices) line += " " + actor + " x" + std::to_string(n);
  return line;
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = q * static_cast<double>(v.size() - 1) + 0.5;
  return v[std::min(v.size() - 1, static_cast<size_t>(rank))];
}

}  // namespace

Result<Report> Run(const Options& options) {
  auto relay = notify::testing::SmtpServer::Start();
  if (!relay.ok()) return FailedPrecondition(relay.status().message());

  World world(options.seed, Sites(), Hosts(), {.acts = 0.7, .min_hours = 24, .max_hours = 72});
  const int sites = static_cast<int>(world.sites().size());
  // Her pictures and where they are; decoys beside them.
  struct Survivor {
    std::vector<int> pictures, posts;
    std::string jurisdiction, language;
  };
  std::vector<Survivor> survivors(options.survivors);
  const std::vector<std::pair<std::string, std::string>> places = {
      {"US", "en"}, {"UK", "en"}, {"HK", "zh-Hant"}, {"MY", "ms"}};
  uint64_t draw = options.seed * 1000;
  for (int i = 0; i < options.survivors; ++i) {
    Survivor& s = survivors[i];
    std::tie(s.jurisdiction, s.language) = places[i % places.size()];
    for (int k = 0; k < 2; ++k) s.pictures.push_back(world.AddPicture(++draw));
    const int copies = options.copies_per_survivor - 2 + static_cast<int>((draw * 7) % 5);
    for (int k = 0; k < copies; ++k) {
      const uint64_t r = (draw * 31 + k * 17) ^ (options.seed * 101);
      const Transform t = r % 8 == 0   ? Transform::kCrop94
                          : r % 8 == 1 ? Transform::kLetterbox8
                                       : Transform::kNone;
      s.posts.push_back(
          world.AddPost(static_cast<int>((r / 8 + k) % sites), i, s.pictures[k % 2], t));
    }
  }
  for (int site = 0; site < sites; ++site) {
    for (int k = 0; k < 3; ++k) world.AddPost(site, -1, world.AddPicture(++draw), Transform::kNone);
  }
  world.Start();

  char tmpl[] = "/tmp/takedown-sim-XXXXXX";
  const fs::path dir = ::mkdtemp(tmpl);
  std::ofstream(dir / "platforms.toml") << PlatformsToml(world.sites());
  std::vector<std::string> args = {"--data",
                                   dir.string(),
                                   "--clock",
                                   "manual",
                                   "--clock-start",
                                   kStart,
                                   "--no-dns",
                                   "--fetch-allow",
                                   "127.0.0.0/8",
                                   "--rdap-bootstrap",
                                   world.RdapBase(),
                                   "--platforms",
                                   (dir / "platforms.toml").string(),
                                   "--org-name",
                                   "Harbour Support",
                                   "--org-email",
                                   "help@harbour.example",
                                   "--org-signatory",
                                   "Maria Chan",
                                   "--smtp-url",
                                   (*relay)->url(),
                                   "--smtp-plain-loopback",
                                   "--mail-from",
                                   "notices@harbour.example",
                                   "--stats-k",
                                   "1",
                                   "--fetch-host-delay",
                                   "0"};
  for (const std::string& r : world.Resolves()) {
    args.push_back("--fetch-resolve");
    args.push_back(r);
  }
  auto server = std::make_unique<testing::ServerProcess>(args);
  if (server->port() <= 0) return Internal("the server did not start: " + server->output());
  Caseworker cw(server->port(), server->admin_password());
  cw.Login();
  Report report;
  // The organisation's policy (issue 17 item 6): what goes without a person.
  cw.Call("PUT", "/api/v1/settings",
          {{"send_automatically", true},
           {"first_contact", "published"},
           {"draft_automatically", true},
           {"confirm_automatically", true}});
  for (int site = 0; site < sites; ++site) {
    cw.Call("POST", "/api/v1/sources", {{"url", world.IndexUrl(site)}, {"every_hours", 12}});
  }
  report.setup_actions = 1 + sites;

  hashfile::ImageFileHasher hasher({});
  httplib::Client anonymous("127.0.0.1", server->port());
  for (const Survivor& s : survivors) {
    json images = json::array(), urls = json::array();
    for (int picture : s.pictures) {
      const Bytes& png = world.PictureBytes(picture);
      auto hash = hasher.HashBytes(std::span(png.data(), png.size()));
      if (!hash.ok()) return hash.status();
      images.push_back({{"pdq", hash->pdq.hash.ToHex()}, {"quality", hash->pdq.quality}});
    }
    for (int post : s.posts) urls.push_back(world.PostUrl(post));
    auto in = anonymous.Post("/api/v1/intake",
                             json{{"images", images},
                                  {"urls", urls},
                                  {"jurisdiction", s.jurisdiction},
                                  {"language", s.language},
                                  {"authorise", true}}
                                 .dump(),
                             "application/json");
    if (!in || in->status != 201)
      return Internal("intake failed: " + (in ? in->body : "no answer"));
  }

  UnixMillis now = 0;
  ParseTime(kStart, &now);
  const UnixMillis start = now;
  size_t mails_read = 0;
  std::vector<bool> up_at_day7;
  for (int hour = 1; hour <= options.days * 24; ++hour) {
    now += kMillisPerHour;
    world.AdvanceTo(now);
    if (cw.Call("POST", "/api/v1/admin/clock",
                {{"advance_ms", kMillisPerHour}, {"settle", true}}) != 200) {
      return Internal("the clock did not move: " + cw.last_body);
    }
    const int hour_of_day = hour % 24;
    if (hour_of_day == 9 || hour_of_day == 13 || hour_of_day == 17) {
      WorkTheCases(cw, world, now, report, hour_of_day == 9);
      // What she approved goes out now: let the loop send it before the world reads its mail.
      cw.Call("POST", "/api/v1/admin/clock", {{"advance_ms", 1}, {"settle", true}});
    }
    const auto messages = (*relay)->Messages();
    for (; mails_read < messages.size(); ++mails_read) {
      const auto& m = messages[mails_read];
      const json summary = json::parse(m.summary, nullptr, false);
      std::string text;
      for (const json& part : summary.value("parts", json::array())) {
        if (part.value("content_type", "") == "text/plain") text += part.value("content", "");
      }
      for (const std::string& to : m.rcpt_tos) {
        ++report.notices_sent;
        if (!world.Receive(to, text, now)) ++report.wrongful_notices;
      }
    }
    if (hour == 7 * 24) {
      for (const Post& p : world.posts()) {
        up_at_day7.push_back(p.up);
        if (p.up && p.survivor >= 0) report.up_day7.push_back(Written(world, p));
      }
    }
    if (options.verbose && hour % 24 == 0) {
      std::fprintf(stderr, "day %d: %zu mails\n", hour / 24, messages.size());
    }
  }

  // The world's truth against Takedown's record.
  std::map<std::string, std::string> state_of;  // URL -> sighting state
  for (const json& c : cw.Get("/api/v1/cases?limit=200").value("cases", json::array())) {
    const json detail = cw.Get("/api/v1/cases/" + std::to_string(c["id"].get<int64_t>()));
    for (const json& s : detail.value("sightings", json::array())) state_of[s["url"]] = s["state"];
  }
  std::vector<double> hours;
  for (const Post& p : world.posts()) {
    if (p.survivor < 0) continue;
    ++report.copies;
    const bool unknown = world.sites()[p.site].platform_id.empty();
    const bool down7 = static_cast<size_t>(p.id) < up_at_day7.size() && !up_at_day7[p.id];
    report.removed_day7 += down7;
    report.removed_day14 += !p.up;
    report.unknown_site_copies += unknown;
    report.unknown_site_removed_day7 += unknown && down7;
    if (!p.up && p.first_notice_at && p.removed_at) {
      hours.push_back(static_cast<double>(*p.removed_at - *p.first_notice_at) / kMillisPerHour);
    }
    const std::string url = world.PostUrl(p.id);
    const bool counted = state_of.contains(url) && state_of[url] == "removed";
    report.takedown_removed += counted;
    report.true_removed += !p.up;
    report.changed_last_day += p.changed_at > now - kMillisPerDay;
    auto& [takedown, truth] = report.per_site[world.sites()[p.site].name];
    takedown += counted;
    truth += !p.up;
    if (p.up) {
      report.still_up.push_back(
          Written(world, p, state_of.contains(url) ? state_of[url] : "unknown to Takedown"));
    }
  }
  report.hours_to_removal_median = Percentile(hours, 0.5);
  report.hours_to_removal_p90 = Percentile(hours, 0.9);
  report.caseworker_actions = cw.actions;
  report.actions_by_kind = cw.actions_by_kind;
  report.statistics =
      CheckStatistics([&](const std::string& path) { return cw.Get(path); }, world, start, now);
  server.reset();
  fs::remove_all(dir);
  return report;
}

std::string Table(const std::vector<Report>& reports) {
  auto row = [&](const std::string& name, auto cell) {
    std::string line = "| " + name + " |";
    for (const Report& r : reports) line += " " + cell(r) + " |";
    return line + "\n";
  };
  auto pct = [](int n, int of) { return std::to_string(of ? (100 * n + of / 2) / of : 0) + "%"; };
  char buffer[64];
  std::string out = "| figure |";
  for (size_t i = 0; i < reports.size(); ++i) out += " run " + std::to_string(i + 1) + " |";
  out += "\n|---|";
  for (size_t i = 0; i < reports.size(); ++i) out += "---|";
  out += "\n";
  out += row("copies (reposts included)", [](const Report& r) { return std::to_string(r.copies); });
  out += row("copies removed by day 7 / day 14", [&](const Report& r) {
    return pct(r.removed_day7, r.copies) + " / " + pct(r.removed_day14, r.copies);
  });
  out += row("on the 4 unknown sites, removed by day 7", [](const Report& r) {
    return std::to_string(r.unknown_site_removed_day7) + " of " +
           std::to_string(r.unknown_site_copies);
  });
  out += row("first notice to removal, median / p90", [&](const Report& r) {
    std::snprintf(buffer, sizeof buffer, "%.0f h / %.0f h", r.hours_to_removal_median,
                  r.hours_to_removal_p90);
    return std::string(buffer);
  });
  out += row("caseworker actions per copy", [&](const Report& r) {
    std::snprintf(buffer, sizeof buffer, "%.2f (%d)", r.actions_per_copy(), r.caseworker_actions);
    return std::string(buffer);
  });
  out += row("of which", [](const Report& r) {
    std::string kinds;
    for (const auto& [kind, n] : r.actions_by_kind) {
      kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    }
    return kinds.empty() ? std::string("none") : kinds;
  });
  out += row("notices sent", [](const Report& r) { return std::to_string(r.notices_sent); });
  out += row("notices naming a page without her image",
             [](const Report& r) { return std::to_string(r.wrongful_notices); });
  out += row("removed, per Takedown / in truth", [](const Report& r) {
    return std::to_string(r.takedown_removed) + " / " + std::to_string(r.true_removed);
  });
  return out;
}

}  // namespace takedown::sim
