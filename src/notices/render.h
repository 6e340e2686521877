// Notices: the legal profiles of data/jurisdictions/*.toml, the mustache templates of
// data/templates/ and the rendering of one notice from them (docs/notices.md, and the profiles'
// fields in docs/data-jurisdictions.md).
//
// A notice goes out in the organisation's name, as the authorised representative of the person
// depicted; her own name and contact appear only when she chose so at intake. Rendering checks
// the notice against its profile's required elements and lists what is missing: casework sends
// a notice only when nothing is.
//
// No I/O except NoticeLibrary::Load, which reads the data folder once at start.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "domain/entities.h"

namespace takedown::notify {

// Text in each language the templates exist in, keyed by BCP 47 tag ("en", "zh-Hant", "ms").
// Every text of a loaded profile has every language. A plain value.
using Translations = std::map<std::string, std::string, std::less<>>;

// One thing a valid notice must contain under a profile ("signature", "good_faith", ...). Its id
// is either checked against the NoticeInput (signature, identification, location, contact,
// notifier_name, notifier_email, authorisation) or names a statement of the profile that every
// notice under it prints. A plain value.
struct Element {
  std::string id;
  std::string label;  // plain words for the caseworker: what the notice lacks
  std::vector<domain::RecipientKind> kinds;  // the recipients it is required for
};

// A declaration every notice under the profile prints, such as the US good-faith statement or
// the DSA's bona fide statement. Its text may use {{name}} for the scalar template variables
// (docs/notices.md). A plain value.
struct Statement {
  std::string id;
  Translations text;
  std::vector<domain::RecipientKind> kinds;  // the recipients it is printed for
};

// Why a notice to some kinds of recipient is justified under the profile's law: the subject
// wording, the paragraphs that state the law, and a short citation stored with the notice. Every
// recipient kind has exactly one. A plain value.
struct LegalBasis {
  std::vector<domain::RecipientKind> kinds;
  std::string cite;    // English, short: "TAKE IT DOWN Act (Pub. L. 119-12) s.3"
  Translations title;  // "Removal request under the TAKE IT DOWN Act"
  Translations text;   // paragraphs separated by a blank line; may use {{name}} variables
  std::string notes;   // for reviewers: what to confirm
};

// Who oversees platforms under the profile's law, and how a caseworker reaches them. A plain
// value.
struct Regulator {
  std::string name;
  std::string url;    // https
  std::string email;  // "" unless the regulator publishes one for complaints
  std::string route;  // English, for the caseworker: how a complaint is made and what follows
  std::string notes;  // for reviewers: what to confirm
};

// What changes when the person depicted was under 18: the paragraph notices add and the hotline
// that takes reports of child sexual abuse material. A plain value.
struct MinorRoute {
  Translations text;
  std::string hotline;
  std::string hotline_url;
  // The child-protection citations `text` makes ("Cap. 579"): what reviewers check and what no
  // notice about an adult may contain.
  std::vector<std::string> cites;
};

// What a notice adds when the images were made or altered by AI or other software: the
// paragraph in the statute's own words ("digital forgery", "appears to show") and, where a law
// adds a basis for such images, its citation. A plain value.
struct AiRoute {
  Translations text;
  std::string cite;  // English, short; "" when the paragraph only applies the profile's own law
};

// A statute, regulation or official guidance the profile relies on. A plain value.
struct Source {
  std::string title;
  std::string url;     // https, official where one exists
  std::string notes;   // for reviewers: what it was checked against, when, and what to confirm
  bool minor = false;  // child-protection law: listed only in notices about a minor
  bool ai = false;     // listed only in notices about images made or altered by AI
};

// A service for people whose intimate images were shared: a helpline, a support charity, a
// removal service. Shown to survivors on the resources page, never used in notices; every detail
// comes from the service's official site and is checked by a person (docs/data-jurisdictions.md).
// A plain value.
struct SupportService {
  std::string id;                      // [a-z_]+, unique in its file
  Translations name;                   // as she would search for it
  Translations offers;                 // what it does for her, one or two sentences
  std::string url;                     // https, the service's own site
  std::string phone;                   // "" unless the service publishes one
  Translations hours;                  // when the phone is answered; empty when not known
  std::vector<std::string> languages;  // BCP 47 tags it answers in; empty when not known
  std::string source;                  // https: the page the details were read from
  std::string notes;                   // for reviewers: what to confirm
};

// Where a profile's deadline and required elements stand against the law ([review]): each text
// starts "Resolved: " (what was read, where and when) or "Kept: " (why not, and the safe default
// used meanwhile). For reviewers, like `notes`. A plain value.
struct ProfileReview {
  std::string deadline;
  std::string elements;
};

// One data/jurisdictions/*.toml file. A plain value; immutable once loaded.
struct LegalProfile {
  std::string id;                    // "US", "EU", "UK", "AU", "HK", "MY", "SG" or "default"
  std::vector<std::string> aliases;  // other codes that pick it ("GB", EU member states)
  Translations name;                 // "United States", "美國", "Amerika Syarikat"
  std::vector<Element> required;
  int deadline_hours = 0;  // 0: the law sets no time for removal on a notice
  std::string deadline_basis;
  std::vector<Statement> statements;
  std::vector<LegalBasis> bases;
  std::optional<Regulator> regulator;  // only "default" may have none
  std::optional<MinorRoute> minor;
  std::optional<AiRoute> ai;
  std::vector<Source> sources;
  // The law in plain words for the person depicted (the resources page); empty when the profile
  // has none. Every template language when present.
  Translations plain_law;
  // Helplines and services in this jurisdiction; the default profile's are international and
  // shown with every jurisdiction's.
  std::vector<SupportService> support;
  ProfileReview review;
  std::string notes;          // for reviewers: what to confirm
  std::string last_reviewed;  // "YYYY-MM-DD"
  std::string reviewed_by;    // "" until a person has reviewed the file

  // The basis for this kind of recipient; never null in a loaded profile.
  const LegalBasis* BasisFor(domain::RecipientKind kind) const;
};

// The organisation that sends the notice, as the survivor's authorised representative.
struct Organisation {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;         // may hold several lines
  std::string website;         // https URL or ""
  std::string signatory;       // the person who signs for the organisation
  std::string signatory_role;  // "Caseworker"
};

// The survivor's own identity, given only when she chose at intake to be named in notices.
struct Survivor {
  std::string name;
  std::string contact;  // "" when she wants to be named but reached through the organisation
};

// Why the organisation says an item shows the person depicted; a notice states it per item and
// asserts no more. A link nobody has checked is never named (a required element is missing).
enum class Evidence {
  kMatched,     // a copy matched the hashes of an image she holds
  kReported,    // she reported the link herself
  kConfirmed,   // a caseworker looked and confirmed it
  kUnconfirmed  // nobody has: it needs a caseworker's confirmation first
};

// One URL the notice asks to remove, with the evidence discovery keeps (never the image).
struct Item {
  std::string url;            // the page or file, http(s)
  std::string title;          // the page's title, "" when unknown
  std::string media_url;      // the matched image or video on the page, "" when the url is it
  UnixMillis first_seen = 0;  // when the copy was first seen by a crawl; 0 when not known
  std::optional<UnixMillis> last_checked;
  std::string sha256;           // of the matched file, lowercase hex, or ""
  std::optional<int> distance;  // PDQ Hamming distance to her reference image, 0..256
  // Casework sets it from the sighting (casework::EvidenceOf); an item nobody said anything
  // about blocks the notice rather than claiming a match.
  Evidence evidence = Evidence::kUnconfirmed;
  UnixMillis reported_at = 0;  // when she reported it (kReported), else 0
};

// A notice already sent about these items: for a re-notice, an escalation or a regulator dossier.
struct PreviousNotice {
  UnixMillis sent_at = 0;
  std::string recipient;  // "Instagram", "Example Hosting Ltd"
  std::string channel;    // "email", "web form", ...
  std::string outcome;    // "no reply", "refused: not a violation", "" when none yet
};

// Everything one notice is made from. A plain value; casework fills it.
struct NoticeInput {
  domain::RecipientKind recipient_kind = domain::RecipientKind::kPlatform;
  std::string recipient_name;  // "Instagram", "Example Hosting Ltd", "eSafety Commissioner"
  std::string site;            // the site's host when writing to its host, registrar or CDN
  std::string language;        // BCP 47; see NoticeLibrary::ResolveLanguage
  std::string jurisdiction;    // domain::Case::jurisdiction; "" picks "default"
  Organisation organisation;
  // The survivor authorised the organisation to act for her (recorded at intake). Without it
  // the notice lacks "authorisation" wherever the profile requires it (every shipped profile).
  bool authorised = false;
  std::optional<Survivor> survivor;  // only when she chose to be named
  // The notice's reference as recipients see it. Prefer a notice id to the survivor's case
  // code: the code is half of what lets her (or anyone holding it with the PIN) into her case.
  std::string reference;
  std::vector<Item> items;
  std::string circumstances;        // caseworker's words on how it was published, "" for none
  bool depicts_minor = false;       // adds the profile's minor paragraph and sources
  bool ai_made = false;             // adds the profile's AI paragraph, citation and sources
  int platform_deadline_hours = 0;  // the platform's (data/platforms.toml), 0 when none
  std::string signature;  // electronic signature ("/s/ Maria Chan"), given when she approves
  std::vector<PreviousNotice> previous;
  UnixMillis drafted_at = 0;  // the date printed on the notice
};

// A rendered notice. A plain value.
struct RenderedNotice {
  std::string profile;           // the profile used ("default" when the jurisdiction had none)
  std::string language;          // the language used, after fallback
  std::string subject;           // one line
  std::string text;              // plain text, UTF-8, never HTML-escaped
  std::string html;              // a whole HTML document, every value escaped
  std::string legal_basis;       // the basis's cite, for domain::Notice::legal_basis
  std::vector<Element> missing;  // required elements absent; empty when it may be sent
  int deadline_hours = 0;        // platform's, else the profile's, else 72
  std::string deadline_basis;    // why that number, for the caseworker

  bool ready() const { return missing.empty(); }
};

// A survivor's value (her name, her contact) as a rendered notice prints it: on one line in the
// text part, and escaped as well in the HTML part. What to look for to withhold it from one.
struct PrintedValue {
  std::string text, html;
};
PrintedValue AsPrinted(std::string_view value);

// The deadline rule: the platform's hours when it has them, else the profile's, else 72.
inline constexpr int kDefaultDeadlineHours = 72;
int DeadlineHours(int platform_hours, const LegalProfile& profile);

// The loaded profiles and templates. Immutable after Load(): concurrent const use from any
// number of threads is safe (nothing may change mstch::config::escape meanwhile). Pointers it
// returns stay valid for its lifetime, moves included.
class NoticeLibrary {
 public:
  // Reads data_dir/jurisdictions/*.toml and data_dir/templates/<kind>/<lang>.{subject,txt,html}
  // .mustache strictly: every profile well formed and translated into every template language,
  // every kind x language template present, each using only known variables, escaping every
  // value in HTML and none in text; a "default" profile. Then renders a sample of each. Errors
  // name the file and line: kNotFound/kIoError when unreadable, kCorrupt for bad TOML or UTF-8,
  // kInvalidArgument when a file breaks the schema.
  static Result<NoticeLibrary> Load(const std::filesystem::path& data_dir);

  // The profile for a case's jurisdiction (its id or an alias, any case), else "default".
  const LegalProfile& Profile(std::string_view jurisdiction) const;
  // The profile with this id or alias, or nullptr.
  const LegalProfile* Find(std::string_view jurisdiction) const;
  const std::vector<LegalProfile>& profiles() const { return profiles_; }
  // The codes a case may record as its jurisdiction: every profile's id but "default" (a case
  // records "" for that), in file-name order. Adding a profile file adds its code: intake,
  // the API and the pages take this list, so no code lists jurisdictions.
  std::vector<std::string> jurisdictions() const;

  // The template languages, "en" first.
  const std::vector<std::string>& languages() const { return languages_; }
  // The best template language for a tag: itself, then shorter prefixes ("ms-MY" -> "ms"),
  // Chinese of Hong Kong, Macau and Taiwan to "zh-Hant", any case; else "en".
  std::string ResolveLanguage(std::string_view tag) const;

  // The required elements of the input's profile that the input lacks, in the profile's order.
  std::vector<Element> Missing(const NoticeInput& input) const;

  // Renders the notice. Fails (kInvalidArgument) only for input no notice can be made of: an
  // item or media URL that is not http(s), or a website that is not. A notice that lacks
  // required elements renders, with them in `missing`.
  Result<RenderedNotice> Render(const NoticeInput& input) const;

 private:
  struct Templates {
    std::string subject, text, html;
  };

  std::vector<LegalProfile> profiles_;
  std::map<std::string, size_t, std::less<>> by_code_;  // upper-case id or alias -> profile
  size_t default_ = 0;
  std::vector<std::string> languages_;
  std::map<std::string, Templates, std::less<>> templates_;  // "platform/en" -> templates
};

}  // namespace takedown::notify
