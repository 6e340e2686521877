// Tests of FetchNewMessages against a real Dovecot on loopback: new replies read once, in order,
// within the configured limits.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "mail/inbound.h"
#include "mail/inbound_test_util.h"
#include "mail/mail_test_util.h"
#include "mail/testing/imap_server.h"
#include "mail/testing/smtp_server.h"

namespace takedown::notify {
namespace {

using testing::ImapServer;
using testing::SmtpServer;
using namespace inbound_testing;  // NOLINT: messages written as lines

// ------------------------------------------------------------------------------------------
// FetchNewMessages against Dovecot

ImapConfig ConfigFor(const ImapServer& server) {
  ImapConfig c;
  c.url = server.url();
  c.username = "replies";
  c.password = "reply-password";
  c.starttls_required = false;  // loopback
  c.connect_timeout = std::chrono::seconds(5);
  c.total_timeout = std::chrono::seconds(15);
  return c;
}

// Delivers like an MDA: written into tmp/, then renamed into new/.
void Deliver(const ImapServer& server, const std::string& raw) {
  static int counter = 0;
  const std::string name = "1772504100.M" + std::to_string(++counter) + "P" +
                           std::to_string(::getpid()) + ".takedown-test";
  const std::string tmp = server.maildir() + "/tmp/" + name;
  std::ofstream(tmp, std::ios::binary) << raw;
  std::filesystem::rename(tmp, server.maildir() + "/new/" + name);
}

std::string Numbered(int n, size_t body_bytes = 10) {
  return Mail({"From: abuse@platform.example", "To: notice+t" + std::to_string(n) + "@r.example",
               "Subject: reply " + std::to_string(n),
               "Message-ID: <m" + std::to_string(n) + "@platform.example>", "",
               std::string(body_bytes, 'x')});
}

std::set<std::string> Ids(const MailboxBatch& batch) {
  std::set<std::string> ids;
  for (const InboundMessage& m : batch.messages) ids.insert(m.message_id);
  return ids;
}

TEST(FetchNewMessagesTest, FetchesNewMessagesOnceReadOnly) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  Result<MailboxBatch> empty = FetchNewMessages(config, 0, 0);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->messages.empty());
  EXPECT_NE(empty->uidvalidity, 0u);
  EXPECT_EQ(empty->last_uid, 0u);

  for (int n = 1; n <= 3; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> first = FetchNewMessages(config, empty->uidvalidity, 0);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(Ids(*first), (std::set<std::string>{"<m1@platform.example>", "<m2@platform.example>",
                                                "<m3@platform.example>"}));
  ASSERT_EQ(first->messages.size(), 3u);
  EXPECT_LT(first->messages[0].uid, first->messages[1].uid);
  EXPECT_LT(first->messages[1].uid, first->messages[2].uid);
  EXPECT_EQ(first->last_uid, first->messages[2].uid);
  EXPECT_EQ(first->messages[0].text, "xxxxxxxxxx\n");
  EXPECT_FALSE(first->more);
  EXPECT_TRUE(first->skipped.empty());

  for (int n = 4; n <= 5; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> second = FetchNewMessages(config, first->uidvalidity, first->last_uid);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(Ids(*second),
            (std::set<std::string>{"<m4@platform.example>", "<m5@platform.example>"}));
  Result<MailboxBatch> none = FetchNewMessages(config, second->uidvalidity, second->last_uid);
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_TRUE(none->messages.empty()) << "n:* names the last message too; it is filtered";
  EXPECT_EQ(none->last_uid, second->last_uid);

  // Nothing was marked \Seen: Maildir flags follow ":2," in the file names.
  for (const char* sub : {"/new", "/cur"}) {
    for (const auto& entry : std::filesystem::directory_iterator(server->maildir() + sub)) {
      const std::string name = entry.path().filename().string();
      const size_t info = name.find(":2,");
      EXPECT_TRUE(info == std::string::npos || name.find('S', info) == std::string::npos) << name;
    }
  }
}

TEST(FetchNewMessagesTest, BatchesAndUidValidityChange) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  for (int n = 1; n <= 3; ++n) Deliver(*server, Numbered(n));
  Result<MailboxBatch> a = FetchNewMessages(config, 0, 0, /*max_messages=*/2);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->messages.size(), 2u);
  EXPECT_TRUE(a->more);
  Result<MailboxBatch> b = FetchNewMessages(config, a->uidvalidity, a->last_uid, 2);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(Ids(*b), (std::set<std::string>{"<m3@platform.example>"}));
  EXPECT_FALSE(b->more);
  // A UIDVALIDITY other than the one remembered: the old UIDs mean nothing, start again.
  Result<MailboxBatch> renumbered = FetchNewMessages(config, b->uidvalidity + 1, b->last_uid);
  ASSERT_TRUE(renumbered.ok()) << renumbered.status().message();
  EXPECT_EQ(renumbered->messages.size(), 3u);
  EXPECT_EQ(renumbered->uidvalidity, b->uidvalidity);
}

TEST(FetchNewMessagesTest, OversizeAndUnreadableMessagesAreSkippedWithAReason) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  const ImapConfig config = ConfigFor(*server);
  Deliver(*server, Numbered(1));
  Deliver(*server, Numbered(2, 300 * 1024));
  Deliver(*server, "just some bytes\r\n");
  Deliver(*server, Numbered(3));
  Result<MailboxBatch> batch = FetchNewMessages(config, 0, 0, 50, 100 * 1024);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(Ids(*batch), (std::set<std::string>{"<m1@platform.example>", "<m3@platform.example>"}));
  ASSERT_EQ(batch->skipped.size(), 2u);
  std::string skipped = batch->skipped[0] + "\n" + batch->skipped[1];
  EXPECT_NE(skipped.find("over the limit of 102400 bytes"), std::string::npos) << skipped;
  EXPECT_NE(skipped.find("not an email message"), std::string::npos) << skipped;
  EXPECT_EQ(skipped.rfind("uid ", 0), 0u) << skipped;
}

TEST(FetchNewMessagesTest, ErrorsSayWhatWentWrong) {
  START_OR_SKIP(server, ImapServer::Start("replies", "reply-password"));
  ImapConfig config = ConfigFor(*server);
  config.password = "wrong";
  Result<MailboxBatch> denied = FetchNewMessages(config, 0, 0);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied) << denied.status().message();

  config = ConfigFor(*server);
  config.mailbox = "Nonexistent";
  Result<MailboxBatch> missing = FetchNewMessages(config, 0, 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound) << missing.status().message();

  config = ConfigFor(*server);
  config.url = "imap://imap.example.org";
  EXPECT_EQ(FetchNewMessages(config, 0, 0).status().code(), StatusCode::kInvalidArgument)
      << "a password without TLS off loopback";
}

TEST(FetchNewMessagesTest, ClosedPortIsUnavailable) {
  // A bound socket that does not listen: connections to it are refused, and nobody can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  ImapConfig config;
  config.url = "imap://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  config.starttls_required = false;
  config.connect_timeout = std::chrono::seconds(5);
  Result<MailboxBatch> batch = FetchNewMessages(config, 0, 0);
  ::close(fd);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kUnavailable) << batch.status().message();
}

}  // namespace
}  // namespace takedown::notify
