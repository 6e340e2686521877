// Test-only: a real IMAP server on loopback (Debian's Dovecot, dovecot-imapd, run from a config
// written here, as its own master process: no system service is touched), serving one Maildir
// user whose INBOX is the archive mailbox that the SmtpServer files archive copies into.
//
// As root (CI) the mail processes run as the dovecot user (Dovecot refuses root for mail), so the
// Maildir is made writable by everyone; otherwise everything runs as the current user.
//
// Where Dovecot is missing, Start fails with a sentence saying so; under CI=true the caller
// must treat that as a failure, elsewhere as a skip (SmtpServer::Required()).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "mail/testing/child_process.h"

namespace takedown::notify::testing {

class ImapServer {
 public:
  // Starts Dovecot on 127.0.0.1 with the user `username` / `password` (plain login, no TLS).
  static Result<std::unique_ptr<ImapServer>> Start(const std::string& username,
                                                   const std::string& password);
  ~ImapServer();

  // "imap://127.0.0.1:PORT".
  std::string url() const { return "imap://127.0.0.1:" + std::to_string(port_); }
  // The user's Maildir (INBOX): tmp/, new/ and cur/ exist.
  const std::string& maildir() const { return maildir_; }

 private:
  ImapServer() = default;
  std::string dir_, maildir_;
  int port_ = 0;
  ChildProcess process_;
};

}  // namespace takedown::notify::testing
