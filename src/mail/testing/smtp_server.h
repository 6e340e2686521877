// Test-only: a real SMTP server on loopback (Debian's python3-aiosmtpd, with a small handler
// written by this helper), for delivery tests. It stores every accepted message as
// <dir>/msg-N.eml (the bytes as received) and <dir>/msg-N.json (the envelope, and the message as
// Python's email package parses it: decoded headers, parts, defects), and files a copy of every
// message addressed to the archive address into a Maildir that an ImapServer can serve.
//
// Recipients whose local part starts with "reject" are refused (550), "defer" deferred (451); a
// message with the header "X-Test-Refuse" is refused after its end (554); one with
// "X-Test-Hang" is stored, then answered only after 5 seconds (an answer that gets lost).
//
// Where python3 or aiosmtpd is missing, Start fails with a sentence saying so; under CI=true the
// caller must treat that as a failure, elsewhere as a skip (Required()).
//
// Not thread-safe: one test thread uses it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "mail/testing/child_process.h"

namespace takedown::notify::testing {

struct SmtpServerOptions {
  enum class Tls { kNone, kStartTls, kImplicit };
  Tls tls = Tls::kNone;            // kStartTls: STARTTLS offered and required before MAIL
  std::string username, password;  // set: AUTH required (after TLS when TLS is on)
  std::string archive_address;     // messages to it also go to archive_maildir/new
  std::string archive_maildir;
  // After storing a message (and its archive copy), wait this long before answering 250: a
  // client killed meanwhile has handed the message over without hearing that it was accepted.
  int hold_reply_seconds = 0;
};

struct ReceivedMessage {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  bool tls = false;
  std::string auth_user;  // "" when no AUTH
  std::string raw;        // the message as received (CRLF line ends, dots unstuffed)
  std::string summary;    // the JSON that Python's email package made of it
};

class SmtpServer {
 public:
  // Starts a server on 127.0.0.1 and a free port.
  static Result<std::unique_ptr<SmtpServer>> Start(SmtpServerOptions options = {});

  // True when a missing aiosmtpd must fail the test rather than skip it (CI=true).
  static bool Required();

  ~SmtpServer();

  int port() const { return port_; }
  // "smtp://127.0.0.1:PORT" (smtps:// with Tls::kImplicit).
  std::string url() const;
  // The PEM certificate the server presents (self-signed for 127.0.0.1 and localhost): the
  // client's ca_file. Empty without TLS.
  const std::string& ca_file() const { return ca_file_; }
  const std::string& dir() const { return dir_; }

  // Every message accepted so far, in the order accepted.
  std::vector<ReceivedMessage> Messages() const;

  // Stops the server (the port then refuses connections).
  void Stop() { process_.Stop(); }

 private:
  SmtpServer() = default;
  std::string dir_, ca_file_;
  bool implicit_tls_ = false;
  int port_ = 0;
  ChildProcess process_;
};

// A self-signed certificate for 127.0.0.1, ::1 and localhost, made with the openssl command in
// `dir` (cert.pem, key.pem). Unavailable when openssl is missing.
Status MakeTestCertificate(const std::string& dir);

// A new empty folder under $TMPDIR (or /tmp), removed by the caller.
std::string MakeTempDir(const std::string& prefix);

// The Python interpreter that has Debian's packages (/usr/bin/python3 where it exists: a
// python3 earlier in PATH, such as pyenv's, does not see dist-packages).
std::string DebianPython();

}  // namespace takedown::notify::testing
