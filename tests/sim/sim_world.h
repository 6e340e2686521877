// Test-only, private to the simulation: the world's side. Sites on loopback that show posts,
// a registry that answers RDAP for them, and the actors (each site's operator, three hosting
// providers, a registrar) who read Takedown's notices and act on them by their behaviour.
//
// Not thread-safe except where said: the sites' handlers run on the web's threads and read the
// posts under the world's mutex.
#pragma once

#include <httplib.h>

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "fetch/test_web.h"
#include "sim/sim_images.h"

namespace takedown::sim {

// How an actor answers a notice that names a post it can take down.
struct Behaviour {
  double acts = 1.0;                     // the chance it acts on a valid notice
  double min_hours = 4, max_hours = 30;  // how long it then takes
  int acts_from_notice = 1;              // stalls: acts only from its n-th notice about the post
  bool soft_removal = false;             // a "removed" page (200) instead of 404
  bool english_only = false;             // a notice in another language is not read
  double reposts = 0;  // chance a removed post reappears on an unknown site a day later
  double returns = 0;  // chance it is put back at the same URL three days later
};

struct Site {
  std::string name;         // "socialhub.example"
  std::string platform_id;  // its entry in the simulation's platforms data; "" unknown
  int host = 0;             // index into the hosting providers
  Behaviour operator_behaviour;
};

struct Post {
  int id = 0, site = 0;
  int survivor = -1;  // -1: a decoy (an unrelated picture)
  int picture = 0;    // index into the world's pictures
  Transform transform = Transform::kNone;
  bool up = true, soft_removed = false;
  std::optional<UnixMillis> removed_at, first_notice_at;
  UnixMillis changed_at = 0;           // when it last went down or came back
  std::string removed_by;              // the actor
  std::map<std::string, int> notices;  // actor (or form address) -> notices naming it
  bool scheduled = false;              // a removal is on its way
};

class World {
 public:
  World(uint64_t seed, std::vector<Site> sites,
        std::vector<std::pair<std::string, Behaviour>> hosts, Behaviour registrar);

  int AddPicture(uint64_t seed);
  const Bytes& PictureBytes(int picture) const { return pictures_.at(picture).original_png; }
  int AddPost(int site, int survivor, int picture, Transform t);
  // Starts the sites and the registry; call once, after the first posts.
  void Start();

  std::string PostUrl(int post) const;
  std::string IndexUrl(int site) const;
  std::string RdapBase() const;
  // --fetch-resolve entries for the server.
  std::vector<std::string> Resolves() const;
  // The abuse address of an actor: "site:N", "host:N", "registrar".
  std::string AbuseAddress(const std::string& actor) const;

  // Applies what is due by `now`: removals, reposts, returns.
  void AdvanceTo(UnixMillis now);
  // A notice arrived (by email to `to`, or a web form at `to`): the actor behind it reads the
  // posts it names. Returns false when it named a post that does not show her picture.
  bool Receive(const std::string& to, const std::string& text, UnixMillis now);

  // Read after the run (no handler runs then).
  const std::vector<Post>& posts() const { return posts_; }
  const std::vector<Site>& sites() const { return sites_; }

 private:
  struct Pictured {
    Picture picture;
    Bytes original_png;
    std::map<Transform, Bytes> shown;
  };
  struct Pending {
    UnixMillis at;
    enum Kind { kRemove, kRepost, kReturn } kind;
    int post;
    std::string actor;
  };
  const Bytes& Shown(const Post& p);
  void Serve(httplib::Server& server, int site);
  void ServeRegistry(httplib::Server& server);
  double Chance(const std::string& what);
  const Behaviour& BehaviourOf(const std::string& actor) const;
  bool Covers(const std::string& actor, const Post& p) const;

  uint64_t seed_;
  std::vector<Site> sites_;
  std::vector<std::pair<std::string, Behaviour>> hosts_;
  Behaviour registrar_;
  fetch::testing::TestWeb web_;
  std::mutex mu_;  // guards posts_ against the handlers
  std::vector<Post> posts_;
  std::vector<Pictured> pictures_;
  std::vector<Pending> pending_;
};

}  // namespace takedown::sim
