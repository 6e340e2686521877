// The regulator dossier: a self-contained, printable HTML document (and its plain-text form) of
// a case's evidence, for the jurisdiction's regulator or the police, the last rung of escalation
// (docs/notices.md, "Regulator dossier").
//
// It holds the evidence discovery keeps (URLs, checks, file digests, PDQ distances), the notices
// sent and the replies received, the law relied on from the case's legal profile, and the
// organisation's declaration. It never holds images (Takedown has none), nor the survivor's case
// code or PIN; her name and contact only when she chose to be named.
//
// No I/O except DossierTemplates::Load, which reads the data folder once at start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/entities.h"
#include "notices/render.h"

namespace takedown::notify {

// One recheck of a URL by discovery. A plain value.
struct DossierCheck {
  UnixMillis at = 0;
  std::string outcome;          // "match", "removed", "unreachable", ...: printed as given
  int http_status = 0;          // 0 when no answer came (DNS, connection or TLS failure)
  std::string sha256;           // of the matched file, lowercase hex, or ""
  std::optional<int> distance;  // PDQ Hamming distance to her reference image, 0..256
};

// One URL of the case with its evidence timeline. A plain value.
struct DossierItem {
  std::string url;       // http(s)
  std::string platform;  // data/platforms.toml's name, "" when none matched
  std::string host;      // the registrable domain
  domain::SightingState state = domain::SightingState::kFound;
  UnixMillis first_seen = 0;
  std::vector<DossierCheck> checks;  // oldest first
};

// A notice that went out about the case. A plain value.
struct DossierNotice {
  int64_t id = 0;  // domain::Notice::id: replies refer to it
  UnixMillis sent_at = 0;
  std::string recipient;  // "Instagram", "Example Hosting Ltd"
  domain::RecipientKind recipient_kind = domain::RecipientKind::kPlatform;
  std::string channel;  // "email", "web_form", "api"
  std::string address;  // the email address or form URL it went to
  std::string subject;
  std::string legal_basis;  // the cite it was sent under
  UnixMillis deadline = 0;  // 0 when none
  std::string outcome;      // "no reply", "auto-reply only", "replied: ...": printed as given
  std::string text;         // the notice as sent (plain text)
};

// A reply received to a notice. A plain value.
struct DossierReply {
  int64_t notice_id = 0;  // the DossierNotice::id it answers; 0 or unknown: not linked
  UnixMillis received_at = 0;
  std::string from, subject;
  std::string kind;  // "auto-reply", "refusal", "removed", ...: printed as given
  std::string text;
};

// Everything one dossier is made from. A plain value; casework fills it.
struct DossierInput {
  std::string jurisdiction;  // domain::Case::jurisdiction; "" picks "default"
  std::string language;      // BCP 47; see NoticeLibrary::ResolveLanguage
  // The dossier's reference as the regulator sees it: a dossier or notice id. Never the case
  // code, which with the PIN lets anyone into her case: RenderDossier refuses one.
  std::string reference;
  Organisation organisation;
  std::string signature;  // electronic signature ("/s/ Maria Chan") of the declaration
  bool authorised = false;
  std::optional<Survivor> survivor;  // only when she chose to be named
  std::string circumstances;         // caseworker's words on how it was published, "" for none
  bool depicts_minor = false;        // adds the profile's minor route
  // Adds the profile's paragraph on images made or altered by AI (the statute's own words), its
  // citation beside the regulator basis, and its AI sources: as the case's notices said.
  bool ai_made = false;
  int reference_media_count = 0;   // how many images she identified as hers (hashes only)
  std::vector<DossierItem> items;  // leave out dismissed sightings: they are not hers
  std::vector<DossierNotice> notices;
  std::vector<DossierReply> replies;
  UnixMillis generated_at = 0;
};

// A rendered dossier. A plain value.
struct Dossier {
  std::string profile;   // the legal profile used ("default" when the jurisdiction had none)
  std::string language;  // after fallback
  std::string title;     // one line
  std::string html;      // a whole HTML document, every value escaped, no external resources
  std::string text;      // the same in plain text, for a regulator's web form
  std::string digest;    // lowercase hex SHA-256 of `html`, so that the bundle can be cited
  // The profile's required elements for a regulator that the input lacks, plus "regulator" when
  // the profile names none (the default profile): empty when it may be sent.
  std::vector<Element> missing;

  bool ready() const { return missing.empty(); }
};

// The dossier templates of data/templates/dossier/<lang>.{html,txt}.mustache. Immutable after
// Load(): concurrent const use from any number of threads is safe (as NoticeLibrary's).
class DossierTemplates {
 public:
  // Reads the templates strictly, as NoticeLibrary::Load reads the notices' (docs/notices.md):
  // one pair for every language of `library`, each using only the dossier's variables, escaping
  // every value in HTML and none in text, both parts using the same ones. Then renders a sample
  // of each. kNotFound/kIoError when unreadable, kCorrupt for bad UTF-8, kInvalidArgument for a
  // template that breaks the rules.
  static Result<DossierTemplates> Load(const std::filesystem::path& data_dir,
                                       const NoticeLibrary& library);

 private:
  friend Result<Dossier> RenderDossier(const NoticeLibrary&, const DossierTemplates&,
                                       const DossierInput&);
  struct Parts {
    std::string text, html;
  };
  std::map<std::string, Parts, std::less<>> by_language_;
};

// Renders the dossier under the case's legal profile: its regulator and route, the regulator's
// basis, statements and sources, the minor route when the material shows a minor and the AI
// paragraph when the case says the images were made or altered by AI; child-protection and AI
// sources only where those apply, as in notices. Fails
// (kInvalidArgument) for input no dossier can be made of: an item URL that is not http(s), a
// website that is not, or a reference that holds a case code. A case code in any other value but
// a URL (an earlier notice that used it as reference) is printed as TD-****-****.
Result<Dossier> RenderDossier(const NoticeLibrary& library, const DossierTemplates& templates,
                              const DossierInput& input);

}  // namespace takedown::notify
