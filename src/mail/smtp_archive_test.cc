// The archive check and exactly-once sending against real servers on loopback: aiosmtpd filing
// archive copies into a Dovecot mailbox, and a stand-in outbox whose sends are killed with SIGKILL
// at each point and resumed through SendOnce.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "mail/mail.h"
#include "mail/smtp_test_util.h"

namespace takedown::notify {
namespace {

using namespace smtp_testing;  // NOLINT: the servers and helpers every delivery test uses

// ------------------------------------------------------------------------------------------
// The archive check and exactly-once

// An SMTP server that files archive copies into a Dovecot mailbox.
struct ArchiveRig {
  std::unique_ptr<ImapServer> imap;
  std::unique_ptr<SmtpServer> smtp;
  ImapConfig archive;
  SmtpConfig smtp_config;
};

Result<ArchiveRig> StartArchiveRig() {
  ArchiveRig rig;
  Result<std::unique_ptr<ImapServer>> imap = ImapServer::Start("archive", "archive-password");
  if (!imap.ok()) return imap.status();
  rig.imap = std::move(*imap);
  SmtpServerOptions options;
  options.archive_address = "archive@takedown.example.org";
  options.archive_maildir = rig.imap->maildir();
  Result<std::unique_ptr<SmtpServer>> smtp = SmtpServer::Start(options);
  if (!smtp.ok()) return smtp.status();
  rig.smtp = std::move(*smtp);
  rig.archive.url = rig.imap->url();
  rig.archive.username = "archive";
  rig.archive.password = "archive-password";
  rig.archive.starttls_required = false;  // loopback
  rig.archive.connect_timeout = std::chrono::seconds(5);
  rig.archive.total_timeout = std::chrono::seconds(15);
  rig.smtp_config = LoopbackConfig(*rig.smtp);
  rig.smtp_config.archive_bcc = "archive@takedown.example.org";
  return rig;
}

size_t CountWithId(const std::vector<ReceivedMessage>& messages, const std::string& id) {
  size_t n = 0;
  for (const ReceivedMessage& m : messages) {
    n += ParsePart(m.raw).Header("Message-ID") == id ? 1 : 0;
  }
  return n;
}

TEST(ArchiveCheckTest, ImapFindsTheSentMessageByItsMessageId) {
  START_OR_SKIP(rig, StartArchiveRig());
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("7f9c2ba4-e88f");
  Result<bool> before = ImapHasMessage(rig.archive, email.message_id);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_FALSE(*before);
  ASSERT_TRUE(sender.Send(email).ok());
  ASSERT_TRUE(sender.Send(ChineseNotice("7f9c2ba4-e88fX")).ok());
  Result<bool> after = ImapHasMessage(rig.archive, email.message_id);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_TRUE(*after);
  // Not a prefix or substring match of another id.
  EXPECT_FALSE(*ImapHasMessage(rig.archive, "<7f9c2ba4-e88@takedown.example.org>"));
  EXPECT_FALSE(*ImapHasMessage(rig.archive, "<f9c2ba4-e88f@takedown.example.org>"));

  ImapConfig wrong = rig.archive;
  wrong.password = "nope";
  EXPECT_EQ(ImapHasMessage(wrong, email.message_id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ImapHasMessage(rig.archive, "<a\"b@c>").status().code(), StatusCode::kInvalidArgument);
  rig.imap.reset();  // the server goes away
  const Status down = ImapHasMessage(rig.archive, email.message_id).status();
  EXPECT_EQ(down.code(), StatusCode::kUnavailable) << down.message();
}

// A stand-in for the outbox table: one file per notice holding its state, written with
// rename so a killed process leaves the old state or the new one.
class FileOutbox {
 public:
  explicit FileOutbox(std::string dir) : dir_(std::move(dir)) {}
  void Record(const std::string& key, const std::string& state) const {
    const std::string tmp = dir_ + "/" + key + ".tmp";
    {
      std::ofstream out(tmp);
      out << state;
    }
    std::filesystem::rename(tmp, dir_ + "/" + key);
  }
  std::string State(const std::string& key) const {
    std::ifstream in(dir_ + "/" + key);
    std::string state;
    in >> state;
    return state;
  }

 private:
  std::string dir_;
};

// Runs the outbox's send in a child process that is killed with SIGKILL at `kill_point`:
// "before-send" (after recording "sending") or "after-send" (after the relay accepted the
// message, before recording "sent").
void RunAndKill(const SmtpSender& sender, const ImapConfig& archive, const FileOutbox& outbox,
                const std::string& key, const Email& email, const std::string& kill_point) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ready[0]);
    outbox.Record(key, "sending");
    if (kill_point == "before-send") {
      (void)!::write(ready[1], "r", 1);
      ::pause();
    }
    Result<SendOnceResult> r = SendOnce(sender, &archive, email, /*resuming=*/false);
    (void)!::write(ready[1], r.ok() ? "s" : "f", 1);
    ::pause();  // killed here: between "sent" and "recorded"
    ::_exit(0);
  }
  ::close(ready[1]);
  char what = 0;
  ASSERT_EQ(::read(ready[0], &what, 1), 1);
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(what, kill_point == "before-send" ? 'r' : 's');
}

// The restart: every notice found in "sending" is resumed through SendOnce.
void Recover(const SmtpSender& sender, const ImapConfig& archive, const FileOutbox& outbox,
             const std::string& key, const Email& email, SendOnceResult expected) {
  ASSERT_EQ(outbox.State(key), "sending");
  Result<SendOnceResult> r = SendOnce(sender, &archive, email, /*resuming=*/true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, expected);
  outbox.Record(key, "sent");
}

TEST(ExactlyOnceTest, KilledBetweenSendAndRecordDoesNotSendASecondEmail) {
  START_OR_SKIP(rig, StartArchiveRig());
  const std::string dir = testing::MakeTempDir("takedown-outbox");
  const FileOutbox outbox(dir);
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("kill-after-send");
  RunAndKill(sender, rig.archive, outbox, "kill-after-send", email, "after-send");
  ASSERT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  Recover(sender, rig.archive, outbox, "kill-after-send", email, SendOnceResult::kAlreadySent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u) << "no second email";
  EXPECT_EQ(outbox.State("kill-after-send"), "sent");
  std::filesystem::remove_all(dir);
}

TEST(ExactlyOnceTest, KilledBeforeSendingSendsOnceOnRestart) {
  START_OR_SKIP(rig, StartArchiveRig());
  const std::string dir = testing::MakeTempDir("takedown-outbox");
  const FileOutbox outbox(dir);
  const SmtpSender sender = MakeSender(rig.smtp_config);
  const Email email = ChineseNotice("kill-before-send");
  RunAndKill(sender, rig.archive, outbox, "kill-before-send", email, "before-send");
  ASSERT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 0u);
  Recover(sender, rig.archive, outbox, "kill-before-send", email, SendOnceResult::kSent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  // A second restart (killed again before recording "sent") still sends nothing more.
  outbox.Record("kill-before-send", "sending");
  Recover(sender, rig.archive, outbox, "kill-before-send", email, SendOnceResult::kAlreadySent);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
  std::filesystem::remove_all(dir);
}

TEST(ExactlyOnceTest, LostAnswerThenResumeDoesNotSendTwice) {
  START_OR_SKIP(rig, StartArchiveRig());
  SmtpConfig config = rig.smtp_config;
  config.response_timeout = std::chrono::seconds(1);
  const SmtpSender sender = MakeSender(config);
  Email email = ChineseNotice("lost-answer");
  email.extra_headers["X-Test-Hang"] = "yes";
  SendDetails details;
  Result<SendOnceResult> first = SendOnce(sender, &rig.archive, email, false, &details);
  ASSERT_FALSE(first.ok());
  ASSERT_EQ(details.outcome, SendOutcome::kUnknown) << first.status().message();
  // The outbox keeps it in "sending" and resumes it (after a while, in real life).
  Result<SendOnceResult> again = SendOnce(sender, &rig.archive, email, true, &details);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, SendOnceResult::kAlreadySent);
  EXPECT_EQ(details.outcome, SendOutcome::kAccepted);
  EXPECT_EQ(CountWithId(rig.smtp->Messages(), email.message_id), 1u);
}

TEST(ExactlyOnceTest, ResumingWithoutAWayToCheckSendsNothing) {
  START_OR_SKIP(server, SmtpServer::Start());
  const SmtpSender sender = MakeSender(LoopbackConfig(*server));
  const Email email = ChineseNotice();
  Result<SendOnceResult> no_archive = SendOnce(sender, nullptr, email, true);
  EXPECT_EQ(no_archive.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_archive.status().message().find("a person must look in the sent mail"),
            std::string::npos)
      << no_archive.status().message();
  ImapConfig unreachable;
  unreachable.url = "imap://127.0.0.1:1";
  unreachable.starttls_required = false;
  Result<SendOnceResult> down = SendOnce(sender, &unreachable, email, true);
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable) << down.status().message();
  EXPECT_NE(down.status().message().find("so it was not sent"), std::string::npos);
  EXPECT_TRUE(server->Messages().empty());
  // Not resuming: no check needed.
  Result<SendOnceResult> fresh = SendOnce(sender, nullptr, email, false);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(*fresh, SendOnceResult::kSent);
  EXPECT_EQ(server->Messages().size(), 1u);
}

}  // namespace
}  // namespace takedown::notify
