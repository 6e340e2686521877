// Casework: a case's notes, staff-only or messages from the caseworker to the survivor (issue 8).
// Both are sealed alike; only messages ever leave the staff side, on her status page.
#include "casework/access.h"
#include "casework/casework.h"

namespace takedown::casework {
namespace {

constexpr size_t kMaxNote = 20'000;

}  // namespace

Result<int64_t> Casework::AddNote(const Actor& who, int64_t case_id, const std::string& text,
                                  bool to_survivor) {
  if (Status s = RequireUser(who, true); !s.ok()) return s;
  if (text.empty() || text.size() > kMaxNote) {
    return InvalidArgument("a note must have 1 to 20,000 characters");
  }
  store::Note note;
  note.case_id = case_id;
  note.author_user = who.id;
  note.ciphertext = sealer_.Seal(text, NoteContext(case_id));
  note.at = clock_.Now();
  note.to_survivor = to_survivor;
  // What reaches her is audited; the event names the writer but never carries the text, which
  // stays sealed in the note.
  std::optional<domain::Event> event;
  if (to_survivor) event = MakeEvent(who, case_id, "case.message");
  return store_.AddNote(note, event);
}

Result<std::vector<SurvivorView::Message>> Casework::SurvivorMessages(int64_t case_id) {
  auto notes = store_.ListNotes(case_id);
  if (!notes.ok()) return notes.status();
  std::vector<SurvivorView::Message> out;
  for (const store::Note& n : *notes) {
    if (!n.to_survivor) continue;
    auto text = sealer_.Open(n.ciphertext, NoteContext(case_id));
    // A message this server's key cannot open is left out rather than shown to her as an error
    // she can do nothing about; the caseworker sees it flagged in the case view.
    if (!text.ok()) continue;
    out.push_back({n.at, std::move(*text)});
  }
  return out;
}

}  // namespace takedown::casework
