#include "mail/testing/imap_server.h"

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "mail/testing/smtp_server.h"

namespace takedown::notify::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kDovecot[] = "/usr/sbin/dovecot";

int FreePort() {
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

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

void MakeWritable(const std::string& path) { ::chmod(path.c_str(), 0777); }

}  // namespace

Result<std::unique_ptr<ImapServer>> ImapServer::Start(const std::string& username,
                                                      const std::string& password) {
  if (!fs::exists(kDovecot) || !fs::exists("/usr/lib/dovecot/imap")) {
    return Unavailable(
        "Dovecot is not installed (apt-get install dovecot-imapd), so the test IMAP server "
        "cannot run");
  }
  // Who the mail processes run as: Dovecot will not run them as root.
  std::string internal_user, login_user, internal_group;
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (uid == 0) {
    const passwd* dovecot = ::getpwnam("dovecot");
    if (dovecot == nullptr || ::getpwnam("dovenull") == nullptr) {
      return Unavailable("running as root, and there are no dovecot and dovenull users");
    }
    uid = dovecot->pw_uid;
    gid = dovecot->pw_gid;
    internal_user = internal_group = "dovecot";
    login_user = "dovenull";
  } else {
    const passwd* me = ::getpwuid(uid);
    if (me == nullptr) return Unavailable("the current user has no name");
    internal_user = login_user = me->pw_name;
    const group* own = ::getgrgid(gid);
    if (own == nullptr) return Unavailable("the current group has no name");
    internal_group = own->gr_name;
  }

  std::unique_ptr<ImapServer> server(new ImapServer());
  server->dir_ = MakeTempDir("takedown-imap");
  if (server->dir_.empty()) return Unavailable("cannot make a temporary folder for Dovecot");
  const std::string& dir = server->dir_;
  MakeWritable(dir);
  server->maildir_ = dir + "/mail/" + username;
  for (const char* sub : {"tmp", "new", "cur"})
    fs::create_directories(server->maildir_ + "/" + sub);
  for (const std::string& p : {dir + "/mail", server->maildir_, server->maildir_ + "/tmp",
                               server->maildir_ + "/new", server->maildir_ + "/cur"}) {
    MakeWritable(p);
  }
  {
    std::ofstream passwd(dir + "/passwd");
    passwd << username << ":{PLAIN}" << password << "\n";
  }
  ::chmod((dir + "/passwd").c_str(), 0644);

  for (int attempt = 0; attempt < 3; ++attempt) {
    server->port_ = FreePort();
    {
      std::ofstream conf(dir + "/dovecot.conf");
      conf << "protocols = imap\n"
           << "listen = 127.0.0.1\n"
           << "base_dir = " << dir << "/run\n"
           << "state_dir = " << dir << "/state\n"
           << "log_path = " << dir << "/dovecot.log\n"
           << "default_internal_user = " << internal_user << "\n"
           << "default_login_user = " << login_user << "\n"
           << "default_internal_group = " << internal_group << "\n"
           << "ssl = no\n"
           << "disable_plaintext_auth = no\n"
           << "auth_mechanisms = plain login\n"
           << "mail_location = maildir:" << dir << "/mail/%u\n"
           << "first_valid_uid = 1\n"
           << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " << dir
           << "/passwd\n}\n"
           << "userdb {\n  driver = static\n  args = uid=" << uid << " gid=" << gid
           << " home=" << dir << "/mail/%u\n}\n"
           << "service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n"
           << "    port = " << server->port_ << "\n  }\n"
           << "  inet_listener imaps {\n    port = 0\n  }\n}\n"
           << "service anvil {\n  chroot =\n}\n";
    }
    if (!server->process_.Start({kDovecot, "-F", "-c", dir + "/dovecot.conf"},
                                dir + "/dovecot.out")) {
      return Unavailable("could not start " + std::string(kDovecot));
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (server->process_.Running() && !Accepts(server->port_) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (server->process_.Running() && Accepts(server->port_)) return server;
    server->process_.Stop();  // the port was taken meanwhile, or Dovecot failed: try again
  }
  std::string log;
  for (const char* name : {"/dovecot.log", "/dovecot.out"}) {
    std::ifstream in(dir + name);
    log.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (log.size() > 1500) log = log.substr(log.size() - 1500);
  return Unavailable("Dovecot did not start: " + log);
}

ImapServer::~ImapServer() {
  process_.Stop();
  if (!dir_.empty() && std::getenv("TAKEDOWN_KEEP_TEST_MAIL") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

}  // namespace takedown::notify::testing
