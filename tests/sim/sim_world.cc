#include "sim/sim_world.h"

#include <nlohmann/json.hpp>

namespace takedown::sim {
namespace {

using json = nlohmann::json;

// A stable hash (FNV-1a), so a seed gives the same world on every machine.
uint64_t Fnv(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// The language a notice is written in, as a reader would tell it.
std::string LanguageOf(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0xE4 && c <= 0xE9) return "zh-Hant";  // the CJK block's lead bytes
  }
  if (text.find(" dan ") != std::string::npos && text.find(" yang ") != std::string::npos) {
    return "ms";
  }
  return "en";
}

json Vcard(const std::string& name, const std::string& email) {
  return {"vcard",
          {{"version", json::object(), "text", "4.0"},
           {"fn", json::object(), "text", name},
           {"email", json::object(), "text", email}}};
}

}  // namespace

World::World(uint64_t seed, std::vector<Site> sites,
             std::vector<std::pair<std::string, Behaviour>> hosts, Behaviour registrar)
    : seed_(seed), sites_(std::move(sites)), hosts_(std::move(hosts)), registrar_(registrar) {}

int World::AddPicture(uint64_t seed) {
  Pictured p;
  p.picture = Draw(seed);
  p.original_png = EncodePng(p.picture);
  pictures_.push_back(std::move(p));
  return static_cast<int>(pictures_.size()) - 1;
}

int World::AddPost(int site, int survivor, int picture, Transform t) {
  std::lock_guard lock(mu_);
  Post p;
  p.id = static_cast<int>(posts_.size());
  p.site = site;
  p.survivor = survivor;
  p.picture = picture;
  p.transform = t;
  posts_.push_back(p);
  return p.id;
}

const Bytes& World::Shown(const Post& p) {
  Pictured& pic = pictures_.at(p.picture);
  auto at = pic.shown.find(p.transform);
  if (at == pic.shown.end()) {
    at = pic.shown.emplace(p.transform, EncodePng(Apply(pic.picture, p.transform))).first;
  }
  return at->second;
}

void World::Start() {
  for (size_t i = 0; i < sites_.size(); ++i) {
    const std::string address =
        "127.0." + std::to_string(sites_[i].host + 1) + "." + std::to_string(i + 1);
    Serve(web_.Add(sites_[i].name, address), static_cast<int>(i));
  }
  ServeRegistry(web_.Add("rdap.example"));
  web_.Start();
}

void World::Serve(httplib::Server& server, int site) {
  server.Get("/", [this, site](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(mu_);
    std::string html = "<html><head><title>latest</title></head><body><ul>";
    for (const Post& p : posts_) {
      if (p.site == site && p.up) {
        html += "<li><a href=\"/p/" + std::to_string(p.id) + "\">post " + std::to_string(p.id) +
                "</a></li>";
      }
    }
    res.set_content(html + "</ul></body></html>", "text/html");
  });
  server.Get(R"(/p/(\d+))", [this, site](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    const size_t id = std::stoul(req.matches[1]);
    if (id >= posts_.size() || posts_[id].site != site) return void(res.status = 404);
    const Post& p = posts_[id];
    if (p.soft_removed) {
      res.set_content(
          "<html><head><title>Removed</title></head><body><p>This post has been "
          "removed for breaking our rules.</p></body></html>",
          "text/html");
    } else if (p.up) {
      res.set_content("<html><head><title>post " + std::to_string(id) +
                          "</title></head><body><img src=\"/m/" + std::to_string(id) +
                          ".png\"></body></html>",
                      "text/html");
    } else {
      res.status = 404;
    }
  });
  server.Get(R"(/m/(\d+)\.png)", [this, site](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    const size_t id = std::stoul(req.matches[1]);
    if (id >= posts_.size() || posts_[id].site != site || !posts_[id].up) {
      return void(res.status = 404);
    }
    const Bytes& png = Shown(posts_[id]);
    res.set_content(reinterpret_cast<const char*>(png.data()), png.size(), "image/png");
  });
}

void World::ServeRegistry(httplib::Server& server) {
  server.Get("/ipv4.json", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        json{{"version", "1.0"}, {"services", {{{"127.0.0.0/8"}, {RdapBase()}}}}}.dump(),
        "application/json");
  });
  server.Get("/dns.json", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(json{{"version", "1.0"}, {"services", {{{"example"}, {RdapBase()}}}}}.dump(),
                    "application/json");
  });
  server.Get(
      R"(/ip/127\.0\.(\d+)\.(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
        const int host = std::stoi(req.matches[1]) - 1;
        if (host < 0 || host >= static_cast<int>(hosts_.size())) return void(res.status = 404);
        const std::string name = hosts_[host].first, range = "127.0." + std::string(req.matches[1]);
        const json abuse = {
            {"objectClassName", "entity"},
            {"roles", {"abuse"}},
            {"vcardArray", Vcard(name + " Abuse", AbuseAddress("host:" + std::to_string(host)))}};
        res.set_content(json{{"rdapConformance", {"rdap_level_0"}},
                             {"objectClassName", "ip network"},
                             {"handle", "NET-" + name},
                             {"startAddress", range + ".0"},
                             {"endAddress", range + ".255"},
                             {"ipVersion", "v4"},
                             {"name", name},
                             {"entities",
                              {{{"objectClassName", "entity"},
                                {"roles", {"registrant"}},
                                {"vcardArray", Vcard(name, "noc@" + name)},
                                {"entities", {abuse}}}}}}
                            .dump(),
                        "application/rdap+json");
      });
  server.Get(R"(/domain/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    const json abuse = {{"objectClassName", "entity"},
                        {"roles", {"abuse"}},
                        {"vcardArray", Vcard("Registrar Abuse", AbuseAddress("registrar"))}};
    res.set_content(json{{"rdapConformance", {"rdap_level_0"}},
                         {"objectClassName", "domain"},
                         {"ldhName", std::string(req.matches[1])},
                         {"entities",
                          {{{"objectClassName", "entity"},
                            {"roles", {"registrar"}},
                            {"vcardArray", Vcard("Example Registrar", "support@registrar.example")},
                            {"entities", {abuse}}}}}}
                        .dump(),
                    "application/rdap+json");
  });
}

std::string World::PostUrl(int post) const {
  return web_.Url(sites_.at(posts_.at(post).site).name, "/p/" + std::to_string(post));
}
std::string World::IndexUrl(int site) const { return web_.Url(sites_.at(site).name, "/"); }
std::string World::RdapBase() const { return web_.Url("rdap.example", "/"); }

std::vector<std::string> World::Resolves() const {
  std::vector<std::string> out = {"rdap.example=127.0.0.1"};
  for (size_t i = 0; i < sites_.size(); ++i) {
    out.push_back(sites_[i].name + "=127.0." + std::to_string(sites_[i].host + 1) + "." +
                  std::to_string(i + 1));
  }
  return out;
}

std::string World::AbuseAddress(const std::string& actor) const {
  if (actor == "registrar") return "abuse@registrar.example";
  const int n = std::stoi(actor.substr(actor.find(':') + 1));
  if (actor.starts_with("host:")) return "abuse@" + hosts_.at(n).first;
  return "abuse@" + sites_.at(n).name;
}

double World::Chance(const std::string& what) {
  // FNV's high bits barely move between keys that differ in their last characters ("...:1",
  // "...:2"): splitmix64's finaliser spreads them before they become a probability.
  uint64_t z = Fnv(what, Fnv(std::to_string(seed_))) + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / 9007199254740992.0;
}

const Behaviour& World::BehaviourOf(const std::string& actor) const {
  if (actor == "registrar") return registrar_;
  const int n = std::stoi(actor.substr(actor.find(':') + 1));
  if (actor.starts_with("host:")) return hosts_.at(n).second;
  return sites_.at(n).operator_behaviour;
}

bool World::Covers(const std::string& actor, const Post& p) const {
  if (actor == "registrar") return true;
  const int n = std::stoi(actor.substr(actor.find(':') + 1));
  if (actor.starts_with("host:")) return sites_.at(p.site).host == n;
  return p.site == n;
}

bool World::Receive(const std::string& to, const std::string& text, UnixMillis now) {
  std::string actor;
  if (to == AbuseAddress("registrar")) actor = "registrar";
  for (size_t i = 0; i < hosts_.size() && actor.empty(); ++i) {
    if (to == AbuseAddress("host:" + std::to_string(i))) actor = "host:" + std::to_string(i);
  }
  for (size_t i = 0; i < sites_.size() && actor.empty(); ++i) {
    if (to == AbuseAddress("site:" + std::to_string(i))) actor = "site:" + std::to_string(i);
  }
  const std::string language = LanguageOf(text);
  std::lock_guard lock(mu_);
  bool rightful = true;
  for (Post& p : posts_) {
    const std::string url = PostUrl(p.id);
    bool named = false;
    for (size_t at = text.find(url); at != std::string::npos; at = text.find(url, at + 1)) {
      const char next = at + url.size() < text.size() ? text[at + url.size()] : ' ';
      if (!std::isdigit(static_cast<unsigned char>(next))) named = true;
    }
    if (!named) continue;
    if (p.survivor < 0) rightful = false;
    if (!p.first_notice_at) p.first_notice_at = now;
    // A regulator's or a search engine's form: recorded by its address, acting on nothing here.
    if (actor.empty()) ++p.notices[to];
    if (actor.empty() || !Covers(actor, p)) continue;
    const int nth = ++p.notices[actor];
    const Behaviour& b = BehaviourOf(actor);
    if (!p.up || p.scheduled || p.survivor < 0 || nth < b.acts_from_notice) continue;
    if (b.english_only && language != "en") continue;
    const std::string key = actor + ":" + std::to_string(p.id) + ":" + std::to_string(nth);
    if (Chance("acts:" + key) >= b.acts) continue;
    const double hours = b.min_hours + (b.max_hours - b.min_hours) * Chance("delay:" + key);
    pending_.push_back(
        {now + static_cast<UnixMillis>(hours * kMillisPerHour), Pending::kRemove, p.id, actor});
    p.scheduled = true;
  }
  return rightful;
}

void World::AdvanceTo(UnixMillis now) {
  std::lock_guard lock(mu_);
  std::vector<Pending> later;
  std::vector<Pending> due;
  for (const Pending& e : pending_) (e.at <= now ? due : later).push_back(e);
  pending_ = std::move(later);
  for (const Pending& e : due) {
    Post& p = posts_.at(e.post);
    if (e.kind == Pending::kRemove) {
      const Behaviour& b = BehaviourOf(e.actor);
      p.up = false;
      p.scheduled = false;
      p.soft_removed = b.soft_removal && e.actor.starts_with("site:");
      p.removed_at = e.at;
      p.changed_at = e.at;
      p.removed_by = e.actor;
      const std::string key = std::to_string(p.id);
      const Behaviour& site = sites_.at(p.site).operator_behaviour;
      if (Chance("repost:" + key) < site.reposts) {
        pending_.push_back({e.at + kMillisPerDay, Pending::kRepost, p.id, ""});
      } else if (Chance("return:" + key) < site.returns) {
        pending_.push_back({e.at + 3 * kMillisPerDay, Pending::kReturn, p.id, ""});
      }
    } else if (e.kind == Pending::kReturn) {
      p.up = true;
      p.soft_removed = false;
      p.changed_at = e.at;
      p.removed_at.reset();
      p.removed_by.clear();
    } else {
      // Reposted on one of the sites no platform entry knows.
      std::vector<int> unknown;
      for (size_t i = 0; i < sites_.size(); ++i) {
        if (sites_[i].platform_id.empty()) unknown.push_back(static_cast<int>(i));
      }
      Post copy = p;
      copy.id = static_cast<int>(posts_.size());
      const double where = Chance("where:" + std::to_string(p.id));
      copy.site = unknown.at(static_cast<size_t>(where * static_cast<double>(unknown.size())));
      copy.transform = Transform::kNone;
      copy.up = true;
      copy.soft_removed = copy.scheduled = false;
      copy.removed_at.reset();
      copy.first_notice_at.reset();
      copy.removed_by.clear();
      copy.notices.clear();
      posts_.push_back(copy);
    }
  }
}

}  // namespace takedown::sim
