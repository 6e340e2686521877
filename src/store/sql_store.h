// Internal to store/: the Store written once in SQL that both backends accept, over a Database
// (sqlite_database.h, postgres_database.h). Each method is one Database transaction.
//
// Thread-safe: it holds no state of its own beyond the Database, which is thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/store.h"

namespace takedown::store {

// Shared by the sql_store*.cc files.
// Locks the case's row against a concurrent erase; false when there is no such case.
bool LockCase(Tx& tx, const Dialect& d, int64_t id);
Status NoCase();
// A media_hashes row read with the columns "id, case_id, kind, pdq, quality, md5, sha256, origin,
// label, created_at", in that order.
domain::MediaHash ReadHash(const Row& r);
// Appends `e` to the audit trail, its case_id defaulting to `case_id`.
void InsertEvent(Tx& tx, const domain::Event& e, std::optional<int64_t> case_id = std::nullopt);
// Queues `job` unless one with its idempotency key exists; the id of the one queued or found.
int64_t InsertJob(Tx& tx, const domain::Job& job);
// State names in SQL, quoted, from domain's name functions (never a copied literal): 'removed',
// and ('found', 'notified') for IN.
std::string SqlName(std::string_view name);
std::string SqlNames(const std::vector<domain::SightingState>& states);
std::string SqlNames(const std::vector<domain::NoticeState>& states);
// The SELECT of cases meeting `condition` (on the alias c), newest first, with their CaseCounts,
// and one row of it read back (its assignee and last activity are ListCases's to fill).
std::string CaseRowsSql(const std::string& condition);
CaseSummary ReadCaseSummary(const Row& r, const CaseAttention& attention);
// The hash exchange's upkeep (sql_store_exchange.cc), with the feed's lock held: a consenting
// case's new hashes (ids set) shared, and an erased case's withdrawn.
void ShareExchangedValues(Tx& tx, const std::vector<domain::MediaHash>& hashes, UnixMillis now);
void WithdrawExchangedValues(Tx& tx, int64_t case_id, UnixMillis now);

class SqlStore : public Store {
 public:
  SqlStore(std::unique_ptr<Database> db, int schema_version)
      : db_(std::move(db)), schema_version_(schema_version) {}

  int SchemaVersion() override { return schema_version_; }
  std::string Backend() const override { return db_->Backend(); }

  Result<int64_t> CreateCase(const NewCase& c) override;
  Result<domain::Case> GetCase(int64_t id) override;
  Result<domain::Case> FindCaseByCode(const std::string& code) override;
  Result<CaseCounts> CountCase(int64_t id) override;
  Result<std::vector<CaseSummary>> ListCases(const CaseFilter& filter) override;
  Status AssignCase(int64_t id, std::optional<int64_t> user, const domain::Event& event) override;
  Status SetCaseStatus(int64_t id, domain::CaseStatus status, UnixMillis now,
                       const domain::Event& event) override;
  Status SetCaseLanguage(int64_t id, const std::string& language,
                         const domain::Event& event) override;
  Status SetCaseAgeAndAi(int64_t id, domain::AgeGroup age, bool ai_made,
                         const domain::Event& event) override;
  Status EraseCase(int64_t id, const domain::Event& event) override;

  Result<std::vector<domain::MediaHash>> ListHashes(int64_t case_id) override;
  Result<std::vector<domain::MediaHash>> SharedHashes(int64_t after_id, int limit) override;
  Result<std::vector<HashChange>> HashChanges(int64_t since, int limit) override;

  Result<std::vector<AddedSighting>> AddSightings(int64_t case_id,
                                                  const std::vector<domain::Sighting>& s,
                                                  const std::string& actor,
                                                  UnixMillis now) override;
  Result<std::vector<domain::Sighting>> ListSightings(int64_t case_id) override;
  Status TransitionSighting(int64_t sighting_id, domain::SightingState to,
                            const std::optional<domain::Event>& event) override;
  Result<domain::Sighting> GetSighting(int64_t sighting_id) override;
  Result<std::vector<int64_t>> UncheckedSightings(int64_t after_id, int limit) override;
  Status RecordSightingCheck(int64_t sighting_id, const std::string& evidence_json,
                             UnixMillis checked_at, std::optional<domain::SightingState> to,
                             const std::optional<domain::Event>& event) override;

  Status ConfirmSighting(int64_t sighting_id, const std::string& confirmed_by,
                         const std::optional<domain::Event>& event) override;
  Status SetCaseWatchPaused(int64_t case_id, bool paused, const domain::Event& event) override;
  Result<int64_t> CreateWatchedSource(const domain::WatchedSource& source,
                                      const domain::Event& event) override;
  Result<domain::WatchedSource> GetWatchedSource(int64_t id) override;
  Result<std::vector<domain::WatchedSource>> ListWatchedSources(
      std::optional<int64_t> case_id) override;
  Status SetWatchedSourcePaused(int64_t id, bool paused, const domain::Event& event) override;
  Status DeleteWatchedSource(int64_t id, const domain::Event& event) override;
  Status RecordCrawl(int64_t id, UnixMillis at, const std::string& outcome_json,
                     const std::string& etag, const std::string& last_modified) override;
  Result<std::vector<domain::MediaHash>> WatchedHashes(int64_t after_id, int limit) override;
  Result<JobProgress> CaseJobProgress(int64_t case_id) override;

  Result<int64_t> AddNote(const Note& note, const std::optional<domain::Event>& event) override;
  Result<std::vector<Note>> ListNotes(int64_t case_id) override;
  Status AppendEvent(const domain::Event& event) override;
  Result<std::vector<domain::Event>> ListEvents(std::optional<int64_t> case_id, int limit) override;

  Result<int64_t> CreateNotice(const domain::Notice& notice, const domain::Event& event) override;
  Result<std::vector<domain::Notice>> ListNotices(int64_t case_id) override;
  Result<domain::Notice> GetNotice(int64_t id) override;
  Result<std::vector<domain::Notice>> NoticesInState(domain::NoticeState state, int limit) override;
  Status MoveNotice(int64_t id, domain::NoticeState to, const NoticeMove& move,
                    const std::optional<domain::Event>& event) override;
  Result<domain::Notice> FindNoticeByReplyToken(const std::string& token) override;
  Result<domain::Notice> FindNoticeByKey(const std::string& idempotency_key) override;
  Result<int64_t> CountNoticesOutTo(const std::string& address) override;
  Result<std::vector<domain::Notice>> NoticesWithPlainText(int limit) override;
  Status SealNoticeText(int64_t id, const std::string& sealed_text) override;
  Status RedraftNotice(int64_t id, const domain::Notice& redrafted,
                       const std::optional<domain::Event>& event) override;
  Result<bool> AddReply(const Reply& reply, const domain::Event& event) override;
  Result<std::vector<Reply>> ListReplies(int64_t case_id) override;
  Result<MailboxCursor> GetMailboxCursor(const std::string& mailbox) override;
  Status PutMailboxCursor(const std::string& mailbox, const MailboxCursor& cursor) override;
  Result<std::map<std::string, std::string>> GetSettings() override;
  Status PutSetting(const std::string& key, const std::string& value,
                    const domain::Event& event) override;
  Result<std::string> ClaimSetting(const std::string& key, const std::string& value) override;
  Result<std::optional<OrganisationProfile>> GetOrganisation() override;
  Status PutOrganisation(const OrganisationProfile& profile, const domain::Event& event) override;
  Result<stats::Facts> StatsFacts(UnixMillis from, UnixMillis to) override;
  Result<Overview> GetOverview() override;

  Result<int64_t> CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(int64_t id) override;
  Result<domain::User> FindUser(const std::string& username) override;
  Result<std::vector<domain::User>> ListUsers() override;
  Result<int64_t> CountUsers() override;
  Status SetUserDisabled(int64_t id, bool disabled, const domain::Event& event) override;
  Status SetUserRole(int64_t id, domain::Role role, const domain::Event& event) override;
  Status CreateSession(const Session& s) override;
  Result<Session> FindSession(const std::string& token_hash, UnixMillis now) override;
  Status DeleteSession(const std::string& token_hash) override;
  Status RememberLoginAddress(int64_t user_id, const std::string& address,
                              UnixMillis until) override;
  Result<bool> IsKnownLoginAddress(int64_t user_id, const std::string& address,
                                   UnixMillis now) override;
  Status SetPasswordHash(int64_t id, const std::string& password_hash, bool must_change,
                         const domain::Event& event) override;
  Result<int64_t> PurgeSessions(UnixMillis now) override;

  Result<int64_t> CreatePartner(const domain::PartnerClient& p) override;
  Result<domain::PartnerClient> FindPartnerByKeyHash(const std::string& key_hash) override;
  Result<std::vector<domain::PartnerClient>> ListPartners() override;
  Status RevokePartner(int64_t id, const domain::Event& event) override;
  Status AddFeedback(const Feedback& f) override;

  Result<std::vector<SharedValue>> ExchangedValues(UnixMillis from, ExchangeCursor after, int limit,
                                                   int64_t partner_id) override;
  Result<UnixMillis> ExchangeHighWater() override;
  Status PutValueFeedback(int64_t partner_id, const std::vector<ValueFeedback>& feedback,
                          UnixMillis now) override;
  Result<std::vector<ValueFeedback>> CaseValueFeedback(int64_t case_id) override;

  Result<Throttle> GetThrottle(const std::string& key) override;
  Result<Reservation> ReserveAttempt(const std::vector<ThrottleKey>& keys, UnixMillis now) override;
  Status ClearThrottle(const std::string& key) override;
  Status RefundAttempt(const std::string& key) override;
  Result<int64_t> PurgeThrottles(UnixMillis now) override;

  Result<int64_t> EnqueueJob(const domain::Job& job) override;
  Result<std::optional<domain::Job>> ClaimJob(const std::vector<std::string>& kinds,
                                              const std::string& worker, UnixMillis now,
                                              UnixMillis lease) override;
  Status CompleteJob(int64_t id, const std::string& worker) override;
  Status FailJob(int64_t id, const std::string& worker, const std::string& error,
                 UnixMillis now) override;
  Result<domain::Job> GetJob(int64_t id) override;
  Result<QueueState> QueueStateAt(UnixMillis now) override;

 private:
  // Runs `body` in one transaction and hands back its value (or the error that rolled it back).
  template <typename T>
  Result<T> InTx(TxMode mode, const std::function<Result<T>(Tx&)>& body) {
    std::optional<Result<T>> out;
    Status s = db_->Transact(mode, [&](Tx& tx) -> Status {
      out.emplace(body(tx));
      return out->ok() ? Status::Ok() : out->status();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  std::unique_ptr<Database> db_;
  const int schema_version_;
};

}  // namespace takedown::store
