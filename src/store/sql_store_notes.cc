// SqlStore: a case's notes, staff-only or messages to the survivor (issue 8).
#include "store/sql_store.h"

namespace takedown::store {

Result<int64_t> SqlStore::AddNote(const Note& note, const std::optional<domain::Event>& event) {
  return InTx<int64_t>(TxMode::kWrite, [&](Tx& tx) -> Result<int64_t> {
    if (!LockCase(tx, db_->dialect(), note.case_id)) return NoCase();
    const int64_t id =
        tx.Query(
              "INSERT INTO notes (case_id, author_user, ciphertext, at, to_survivor) "
              "VALUES ($1, $2, $3, $4, $5) RETURNING id",
              {note.case_id, note.author_user, note.ciphertext, note.at,
               int64_t{note.to_survivor ? 1 : 0}})[0]
            .Int(0);
    if (event) InsertEvent(tx, *event, note.case_id);
    return id;
  });
}

Result<std::vector<Note>> SqlStore::ListNotes(int64_t case_id) {
  return InTx<std::vector<Note>>(TxMode::kRead, [&](Tx& tx) -> Result<std::vector<Note>> {
    std::vector<Note> out;
    for (const Row& r :
         tx.Query("SELECT id, case_id, author_user, ciphertext, at, to_survivor FROM notes "
                  "WHERE case_id = $1 ORDER BY id",
                  {case_id})) {
      out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4), r.Flag(5)});
    }
    return out;
  });
}

}  // namespace takedown::store
