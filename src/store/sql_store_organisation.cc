// SqlStore: the organisation's profile (one row, id 1), and a case's language (what its drafts are
// written again in).
#include "store/sql_store.h"

namespace takedown::store {

Result<std::optional<OrganisationProfile>> SqlStore::GetOrganisation() {
  return InTx<std::optional<OrganisationProfile>>(
      TxMode::kRead, [&](Tx& tx) -> Result<std::optional<OrganisationProfile>> {
        Rows r = tx.Query(
            "SELECT name, email, phone, address, website, signatory, signatory_role "
            "FROM organisation WHERE id = 1");
        if (r.empty()) return std::optional<OrganisationProfile>();
        return std::optional<OrganisationProfile>(
            OrganisationProfile{r[0].Text(0), r[0].Text(1), r[0].Text(2), r[0].Text(3),
                                r[0].Text(4), r[0].Text(5), r[0].Text(6)});
      });
}

Status SqlStore::PutOrganisation(const OrganisationProfile& p, const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    tx.Query(
        "INSERT INTO organisation (id, name, email, phone, address, website, signatory, "
        "signatory_role) VALUES (1, $1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, "
        "phone = excluded.phone, address = excluded.address, website = excluded.website, "
        "signatory = excluded.signatory, signatory_role = excluded.signatory_role",
        {p.name, p.email, p.phone, p.address, p.website, p.signatory, p.signatory_role});
    InsertEvent(tx, event);
    return Status::Ok();
  });
}

Status SqlStore::SetCaseLanguage(int64_t id, const std::string& language,
                                 const domain::Event& event) {
  return db_->Transact(TxMode::kWrite, [&](Tx& tx) -> Status {
    if (tx.Query("UPDATE cases SET language = $2 WHERE id = $1 RETURNING id", {id, language})
            .empty()) {
      return NoCase();
    }
    InsertEvent(tx, event, id);
    return Status::Ok();
  });
}

}  // namespace takedown::store
