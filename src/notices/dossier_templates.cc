// The regulator dossier's templates (dossier.h): reading them strictly at start, and the sample
// dossier each language renders once to prove it.
#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

#include "notices/dossier.h"
#include "notices/templates_internal.h"

namespace takedown::notify {
namespace {

using domain::RecipientKind;
using domain::SightingState;
using internal::Blank;
using internal::Mode;
using internal::Var;
using internal::VarType;

// Every name a dossier template may use. docs/notices.md ("Regulator dossier") describes each;
// keep the two in step.
constexpr Var kVars[] = {
    {"lang", VarType::kScalar, "", false},
    {"title", VarType::kScalar, "", false},
    {"reference", VarType::kScalar, "", false},
    {"generated", VarType::kScalar, "", false},
    {"generated_date", VarType::kScalar, "", false},
    {"jurisdiction_name", VarType::kScalar, "", false},
    {"regulator_name", VarType::kScalar, "", false},
    {"regulator_url", VarType::kScalar, "", false},
    {"regulator_email", VarType::kScalar, "", false},
    {"regulator_route", VarType::kScalar, "", false},
    {"org_name", VarType::kScalar, "", false},
    {"org_email", VarType::kScalar, "", false},
    {"org_phone", VarType::kScalar, "", false},
    {"org_address", VarType::kScalar, "", false},
    {"org_website", VarType::kScalar, "", false},
    {"signatory", VarType::kScalar, "", false},
    {"signatory_role", VarType::kScalar, "", false},
    {"signature", VarType::kScalar, "", false},
    {"survivor_name", VarType::kScalar, "", false},
    {"survivor_contact", VarType::kScalar, "", false},
    {"count_urls", VarType::kScalar, "", false},
    {"count_up", VarType::kScalar, "", false},
    {"count_removed", VarType::kScalar, "", false},
    {"count_notices", VarType::kScalar, "", false},
    {"count_replies", VarType::kScalar, "", false},
    {"reference_media_count", VarType::kScalar, "", false},
    {"first_found", VarType::kScalar, "", false},
    {"first_notice", VarType::kScalar, "", false},
    {"days_outstanding", VarType::kScalar, "", false},
    {"basis_title", VarType::kScalar, "", false},
    {"basis_text", VarType::kScalar, "", false},
    {"basis_cite", VarType::kScalar, "", false},
    {"circumstances", VarType::kScalar, "", false},
    {"minor_text", VarType::kScalar, "", false},
    {"minor_hotline", VarType::kScalar, "", false},
    {"minor_hotline_url", VarType::kScalar, "", false},
    {"minor", VarType::kFlag, "", false},
    {"ai_text", VarType::kScalar, "", false},
    {"ai", VarType::kFlag, "", false},
    {"has_sources", VarType::kFlag, "", false},
    {"has_notices", VarType::kFlag, "", false},
    {"has_replies", VarType::kFlag, "", false},
    {"items", VarType::kList, "", false},
    {"index", VarType::kScalar, "items", false},
    {"url", VarType::kScalar, "items", false},
    {"platform", VarType::kScalar, "items", false},
    {"host", VarType::kScalar, "items", false},
    {"state", VarType::kScalar, "items", false},
    {"is_up", VarType::kFlag, "items", false},
    {"is_removed", VarType::kFlag, "items", false},
    {"first_seen", VarType::kScalar, "items", false},
    {"has_checks", VarType::kFlag, "items", false},
    {"checks", VarType::kList, "items", false},
    {"at", VarType::kScalar, "checks", false},
    {"outcome", VarType::kScalar, "checks", false},
    {"http_status", VarType::kScalar, "checks", false},
    {"sha256", VarType::kScalar, "checks", false},
    {"distance", VarType::kScalar, "checks", false},
    {"notices", VarType::kList, "", false},
    {"index", VarType::kScalar, "notices", false},
    {"sent_at", VarType::kScalar, "notices", false},
    {"recipient", VarType::kScalar, "notices", false},
    {"is_platform", VarType::kFlag, "notices", false},
    {"is_host", VarType::kFlag, "notices", false},
    {"is_registrar", VarType::kFlag, "notices", false},
    {"is_cdn", VarType::kFlag, "notices", false},
    {"is_regulator", VarType::kFlag, "notices", false},
    {"channel", VarType::kScalar, "notices", false},
    {"address", VarType::kScalar, "notices", false},
    {"subject", VarType::kScalar, "notices", false},
    {"legal_basis", VarType::kScalar, "notices", false},
    {"deadline", VarType::kScalar, "notices", false},
    {"outcome", VarType::kScalar, "notices", false},
    {"text", VarType::kScalar, "notices", false},
    {"replies", VarType::kList, "", false},
    {"index", VarType::kScalar, "replies", false},
    {"received_at", VarType::kScalar, "replies", false},
    {"from", VarType::kScalar, "replies", false},
    {"subject", VarType::kScalar, "replies", false},
    {"kind", VarType::kScalar, "replies", false},
    {"notice", VarType::kScalar, "replies", false},
    {"text", VarType::kScalar, "replies", false},
    {"basis_paragraphs", VarType::kList, "", false},
    {"paragraph", VarType::kScalar, "basis_paragraphs", false},
    {"sources", VarType::kList, "", false},
    {"title", VarType::kScalar, "sources", false},
    {"url", VarType::kScalar, "sources", false},
    {"statements", VarType::kList, "", false},
    {"text", VarType::kScalar, "statements", false},
};

// A dossier with every field filled, to render each language once at load.
DossierInput SampleInput(const std::string& lang) {
  DossierInput in;
  in.jurisdiction = "default";
  in.language = lang;
  in.reference = "D-1";
  in.organisation = {
      "Sample Organisation", "help@example.org", "+1 555 0100", "1 Sample Street\nSample City",
      "https://example.org", "Sam Sample",       "Caseworker"};
  in.signature = "/s/ Sam Sample";
  in.authorised = true;
  in.survivor = Survivor{"Sample Survivor", "survivor@example.org"};
  in.circumstances = "Sample circumstances.";
  in.depicts_minor = true;
  in.ai_made = true;
  in.reference_media_count = 1;
  in.items = {{"https://example.net/a",
               "Sample Platform",
               "example.net",
               SightingState::kNotified,
               1,
               {{2, "match", 200, std::string(64, 'a'), 3}}}};
  in.notices = {{1, 3, "Sample Platform", RecipientKind::kPlatform, "email", "abuse@example.net",
                 "Sample subject", "Sample basis", 4, "no reply", "Sample text."}};
  in.replies = {{1, 5, "abuse@example.net", "Re: Sample subject", "auto-reply", "Sample reply."}};
  in.generated_at = 6;
  return in;
}

}  // namespace

Result<DossierTemplates> DossierTemplates::Load(const std::filesystem::path& data_dir,
                                                const NoticeLibrary& library) {
  const std::filesystem::path dir = data_dir / "templates" / "dossier";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return NotFound(dir.string() + " does not exist");
  const std::vector<std::string>& languages = library.languages();
  DossierTemplates out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::string lang, part;
    for (std::string_view p : {".txt.mustache", ".html.mustache"}) {
      if (name.size() > p.size() && name.compare(name.size() - p.size(), p.size(), p) == 0) {
        lang = name.substr(0, name.size() - p.size());
        part = p.substr(1, p.find('.', 1) - 1);
      }
    }
    if (std::find(languages.begin(), languages.end(), lang) == languages.end()) {
      return InvalidArgument(entry.path().string() +
                             " is not named <language>.<txt|html>.mustache for a language the "
                             "notice templates have (like en.html.mustache)");
    }
    Result<std::string> text = internal::ReadTemplate(entry.path());
    if (!text.ok()) return text.status();
    Parts& parts = out.by_language_[lang];
    (part == "txt" ? parts.text : parts.html) = std::move(*text);
  }
  if (ec) return IoError("could not list " + dir.string() + ": " + ec.message());

  for (const std::string& lang : languages) {
    const Parts& parts = out.by_language_[lang];
    std::set<std::string> used_text, used_html;
    for (auto [tmpl, mode, used, ext] :
         {std::tuple{&parts.text, Mode::kText, &used_text, ".txt.mustache"},
          std::tuple{&parts.html, Mode::kHtml, &used_html, ".html.mustache"}}) {
      const std::string path = (dir / (lang + ext)).string();
      if (Blank(*tmpl)) return NotFound(path + " is missing or empty");
      if (std::string problem = internal::CheckTemplate(*tmpl, mode, kVars, used);
          !problem.empty()) {
        return InvalidArgument(path + " " + problem);
      }
    }
    // Both forms say the same things: the same variables, but for the HTML's document language
    // and its paragraphs of the basis text.
    used_html.erase("lang");
    used_html.erase("paragraph");
    if (used_html.erase("basis_paragraphs") != 0) used_html.insert("basis_text");
    if (used_text != used_html) {
      std::string diff;
      for (const std::string& n : used_text) {
        if (used_html.count(n) == 0) diff += " " + n + " (only in txt)";
      }
      for (const std::string& n : used_html) {
        if (used_text.count(n) == 0) diff += " " + n + " (only in html)";
      }
      return InvalidArgument((dir / lang).string() +
                             ".{txt,html}.mustache use different variables:" + diff);
    }
  }
  for (const std::string& lang : languages) {
    Result<Dossier> sample = RenderDossier(library, out, SampleInput(lang));
    if (!sample.ok()) {
      return Internal("the sample " + lang +
                      " dossier did not render: " + sample.status().message());
    }
  }
  return out;
}

}  // namespace takedown::notify
