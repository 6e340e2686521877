#include "mail/testing/smtp_server.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace takedown::notify::testing {
namespace {

namespace fs = std::filesystem;

// The server: aiosmtpd's SMTP protocol class with a handler that stores, refuses or delays.
constexpr char kServerScript[] = R"PY(
import argparse, asyncio, email, email.policy, json, os, ssl, sys, time
try:
    from aiosmtpd.smtp import SMTP, AuthResult
except ImportError as error:
    print("NO_AIOSMTPD", error, flush=True)
    sys.exit(3)

p = argparse.ArgumentParser()
p.add_argument("--dir", required=True)
p.add_argument("--tls", default="none", choices=["none", "starttls", "implicit"])
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--user", default="")
p.add_argument("--password", default="")
p.add_argument("--archive-address", default="")
p.add_argument("--archive-maildir", default="")
p.add_argument("--hold", type=int, default=0)
a = p.parse_args()
count = 0


def header_block(data):
    end = data.find(b"\r\n\r\n")
    return b"\r\n" + (data if end < 0 else data[:end]).lower() + b"\r\n"


def summarize(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "cte": part.get("Content-Transfer-Encoding", ""),
            "content": content.replace("\r\n", "\n"),
            "defects": [type(d).__name__ for d in part.defects],
        })
    return {
        "content_type": msg.get_content_type(),
        "is_multipart": msg.is_multipart(),
        "headers": [[k, str(v)] for k, v in msg.items()],
        "defects": [type(d).__name__ for d in msg.defects],
        "parts": parts,
    }


def write_atomically(path, data, mode=0o644):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("defer"):
            return "451 4.3.0 <%s>: Temporary lookup failure" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global count
        data = envelope.original_content or envelope.content
        headers = header_block(data)
        if b"\r\nx-test-refuse:" in headers:
            return "554 5.7.1 Message refused: it looks like spam"
        count += 1
        name = os.path.join(a.dir, "msg-%06d" % count)
        write_atomically(name + ".eml", data)
        user = getattr(session, "login_data", None) or b""
        summary = summarize(data)
        summary["mail_from"] = envelope.mail_from
        summary["rcpt_tos"] = envelope.rcpt_tos
        summary["tls"] = (session.ssl is not None or
                          server.transport.get_extra_info("ssl_object") is not None)
        summary["auth_user"] = user.decode() if isinstance(user, bytes) else str(user)
        write_atomically(name + ".json", json.dumps(summary).encode())
        if a.archive_address and a.archive_address in envelope.rcpt_tos:
            unique = "%d.%d_%d.takedown-test" % (time.time(), os.getpid(), count)
            tmp = os.path.join(a.archive_maildir, "tmp", unique)
            with open(tmp, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666)
            os.rename(tmp, os.path.join(a.archive_maildir, "new", unique))
        if b"\r\nx-test-hang:" in headers:
            await asyncio.sleep(5)
        if a.hold:
            await asyncio.sleep(a.hold)
        return "250 2.0.0 Ok: queued as %d" % count


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == a.user.encode() and auth_data.password == a.password.encode()
    if ok:
        return AuthResult(success=True, auth_data=auth_data)
    return AuthResult(success=False, handled=False,
                      message="535 5.7.8 Authentication credentials invalid")


async def main():
    loop = asyncio.get_running_loop()
    context = None
    if a.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    kwargs = dict(hostname="takedown-test.local", loop=loop)
    if a.tls == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    if a.user:
        kwargs.update(authenticator=authenticate, auth_required=True,
                      auth_require_tls=a.tls != "none")
    server = await loop.create_server(
        lambda: SMTP(Handler(), **kwargs), "127.0.0.1", 0,
        ssl=context if a.tls == "implicit" else None)
    port = server.sockets[0].getsockname()[1]
    write_atomically(os.path.join(a.dir, "port"), str(port).encode())
    await asyncio.Event().wait()

asyncio.run(main())
)PY";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

std::string DebianPython() {
  return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

Status MakeTestCertificate(const std::string& dir) {
  if (fs::exists(dir + "/cert.pem")) return Status::Ok();
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
      " -addext subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost -keyout '" +
      dir + "/key.pem' -out '" + dir + "/cert.pem' >'" + dir + "/openssl.log' 2>&1";
  if (std::system(command.c_str()) != 0) {
    return Unavailable("could not make a test certificate with the openssl command (see " + dir +
                       "/openssl.log)");
  }
  return Status::Ok();
}

bool SmtpServer::Required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

Result<std::unique_ptr<SmtpServer>> SmtpServer::Start(SmtpServerOptions options) {
  std::unique_ptr<SmtpServer> server(new SmtpServer());
  server->dir_ = MakeTempDir("takedown-smtp");
  if (server->dir_.empty()) return Unavailable("cannot make a temporary folder for the server");
  const std::string& dir = server->dir_;
  {
    std::ofstream script(dir + "/server.py");
    script << kServerScript;
  }
  std::vector<std::string> argv = {DebianPython(), dir + "/server.py", "--dir", dir + "/mail"};
  fs::create_directories(dir + "/mail");
  if (options.tls != SmtpServerOptions::Tls::kNone) {
    if (Status s = MakeTestCertificate(dir); !s.ok()) return s;
    server->ca_file_ = dir + "/cert.pem";
    server->implicit_tls_ = options.tls == SmtpServerOptions::Tls::kImplicit;
    argv.insert(argv.end(), {"--tls", server->implicit_tls_ ? "implicit" : "starttls", "--cert",
                             dir + "/cert.pem", "--key", dir + "/key.pem"});
  }
  if (!options.username.empty()) {
    argv.insert(argv.end(), {"--user", options.username, "--password", options.password});
  }
  if (!options.archive_address.empty()) {
    argv.insert(argv.end(), {"--archive-address", options.archive_address, "--archive-maildir",
                             options.archive_maildir});
  }
  if (options.hold_reply_seconds > 0) {
    argv.insert(argv.end(), {"--hold", std::to_string(options.hold_reply_seconds)});
  }
  const std::string log = dir + "/server.log";
  if (!server->process_.Start(argv, log)) {
    return Unavailable("python3 is not installed, so the test SMTP server cannot run");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const fs::path port_file = dir + "/mail/port";
  while (!fs::exists(port_file)) {
    if (!server->process_.Running()) {
      const std::string output = ReadFile(log);
      if (output.find("NO_AIOSMTPD") != std::string::npos) {
        return Unavailable(
            "aiosmtpd is not installed (apt-get install python3-aiosmtpd), so the test SMTP "
            "server cannot run");
      }
      return Unavailable("the test SMTP server stopped at once: " + output.substr(0, 2000));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Unavailable("the test SMTP server did not start within 20 s (see " + log + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server->port_ = std::stoi(ReadFile(port_file));
  return server;
}

SmtpServer::~SmtpServer() {
  process_.Stop();
  if (!dir_.empty() && std::getenv("TAKEDOWN_KEEP_TEST_MAIL") == nullptr) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

std::string SmtpServer::url() const {
  return std::string(implicit_tls_ ? "smtps" : "smtp") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<ReceivedMessage> SmtpServer::Messages() const {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir_ + "/mail")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMessage> messages;
  for (const fs::path& json_path : files) {
    ReceivedMessage m;
    m.summary = ReadFile(json_path);
    fs::path eml = json_path;
    eml.replace_extension(".eml");
    m.raw = ReadFile(eml);
    const nlohmann::json j = nlohmann::json::parse(m.summary, nullptr, false);
    if (!j.is_discarded()) {
      m.mail_from = j.value("mail_from", "");
      m.rcpt_tos = j.value("rcpt_tos", std::vector<std::string>{});
      m.tls = j.value("tls", false);
      m.auth_user = j.value("auth_user", "");
    }
    messages.push_back(std::move(m));
  }
  return messages;
}

}  // namespace takedown::notify::testing
