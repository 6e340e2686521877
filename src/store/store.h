// Where Takedown keeps its records: one Store, two databases. SQLite (embedded, the default, in
// the data folder, WAL) for one box; PostgreSQL (libpqxx) as the system of record for many
// machines. The only module that speaks SQL.
//
// The Store is the sum of narrow roles, each in its own header; a consumer takes only the roles it
// uses (the job worker a JobQueue, the reply reader a ReplyStore and a NoticeStore):
//   CaseStore, AuditLog        case_store.h      cases, their hashes and notes; the audit trail
//   SightingStore              sighting_store.h  where her images were seen, and their states
//   WatchStore                 watch_store.h     watched sources, crawls, a case's job progress
//   NoticeStore, ReplyStore    notice_store.h    notices and the outbox; replies, mailbox cursors
//   JobQueue                   job_queue.h       the durable job queue
//   AccountStore, ThrottleStore, SettingsStore   account_store.h
//   PartnerStore               partner_store.h   partner keys, the shared-hash feed, feedback
//   HashExchangeStore          hash_exchange_store.h  shared values in StopNCII's shape, feedback
//   StatsStore                 stats_store.h     the facts of statistics, the dashboard's totals
//   OrganisationStore          organisation_store.h  the organisation notices are signed by
//
// Every method of every role is one transaction: it happens entirely or not at all, and once it
// returns OK the change is durable (an acknowledged intake survives a crash the moment after).
// Times are passed in by the caller (from the Clock), never read here. Errors: kNotFound,
// kAlreadyExists, kFailedPrecondition, kUnavailable (the database is down or busy past its
// timeout), kInternal. State names in SQL come from domain's name functions.
//
// Thread-safety: a Store may be used from many threads at once (each implementation serialises
// or pools connections as it needs).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "store/account_store.h"
#include "store/case_store.h"
#include "store/hash_exchange_store.h"
#include "store/job_queue.h"
#include "store/notice_store.h"
#include "store/organisation_store.h"
#include "store/partner_store.h"
#include "store/sighting_store.h"
#include "store/stats_store.h"
#include "store/watch_store.h"

namespace takedown::store {

class Store : public CaseStore,
              public AuditLog,
              public SightingStore,
              public WatchStore,
              public NoticeStore,
              public ReplyStore,
              public JobQueue,
              public AccountStore,
              public ThrottleStore,
              public SettingsStore,
              public PartnerStore,
              public HashExchangeStore,
              public StatsStore,
              public OrganisationStore {
 public:
  ~Store() override = default;

  // "sqlite:PATH" (file created if missing) or "postgresql://..." / "postgres://...". Applies
  // pending migrations before returning; safe when several processes open at once (PostgreSQL
  // takes an advisory lock around migrating).
  static Result<std::unique_ptr<Store>> Open(const std::string& url);
  // The schema version after migration, and which database this is ("sqlite", "postgresql").
  virtual int SchemaVersion() = 0;
  virtual std::string Backend() const = 0;
};

}  // namespace takedown::store
