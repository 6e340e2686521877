#include "notices/render.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <fstream>
#include <mstch/mstch.hpp>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include "datafile/toml_data.h"
#include "notices/profiles_internal.h"
#include "notices/templates_internal.h"

namespace takedown::notify {
namespace {

using datafile::CheckKeys;
using datafile::Context;
using datafile::GetString;
using datafile::GetStrings;
using datafile::ValidDate;
using datafile::ValidLanguageTag;
using internal::Blank;
using internal::CheckTemplate;
using internal::In;
using internal::IsHttpUrl;
using internal::JoinParagraphs;
using internal::kCheckedElements;
using internal::kKinds;
using internal::kVars;
using internal::Line;
using internal::Lines;
using internal::LooksLikeEmail;
using internal::Lower;
using internal::Mode;
using internal::OneLine;
using internal::Paragraphs;
using internal::ReadProfile;
using internal::Substitute;
using internal::TidyText;
using internal::Trim;
using internal::Upper;
using internal::Var;
using internal::VarType;

using domain::RecipientKind;

constexpr std::array<std::string_view, 3> kParts = {"subject", "txt", "html"};

// "2026-11-22 14:03 UTC"; "" for 0 (unknown).
std::string FormatDateTime(UnixMillis t) {
  if (t == 0) return "";
  const std::string iso = FormatTime(t);  // 2026-11-22T14:03:00.000Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string FormatDate(UnixMillis t) { return t == 0 ? "" : FormatTime(t).substr(0, 10); }

Status LoadTemplates(const std::filesystem::path& dir, std::vector<std::string>* languages,
                     std::map<std::string, std::array<std::string, 3>, std::less<>>* out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return NotFound(dir.string() + " does not exist");
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    // dossier/ holds the regulator dossier's templates, which DossierTemplates loads.
    if (entry.is_directory() && !domain::ParseRecipientKind(name) && name != "dossier") {
      return InvalidArgument(
          entry.path().string() +
          " is not a recipient kind (platform, host, registrar, cdn, regulator) nor dossier");
    }
  }
  if (ec) return IoError("could not list " + dir.string() + ": " + ec.message());
  std::map<std::string, std::set<std::string>> langs_by_kind;
  for (RecipientKind kind : kKinds) {
    const std::string kind_name(domain::RecipientKindName(kind));
    const std::filesystem::path kind_dir = dir / kind_name;
    if (!std::filesystem::is_directory(kind_dir, ec)) {
      return NotFound(kind_dir.string() + " does not exist: every recipient kind needs templates");
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(kind_dir, ec)) {
      files.push_back(entry.path());
    }
    if (ec) return IoError("could not list " + kind_dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& path : files) {
      const std::string name = path.filename().string();
      const std::string bad = path.string() +
                              " is not named <language>.<subject|txt|html>.mustache (like "
                              "en.txt.mustache)";
      constexpr std::string_view kExt = ".mustache";
      if (name.size() <= kExt.size() ||
          name.compare(name.size() - kExt.size(), kExt.size(), kExt) != 0) {
        return InvalidArgument(bad);
      }
      const std::string stem = name.substr(0, name.size() - kExt.size());
      const size_t dot = stem.rfind('.');
      if (dot == std::string::npos) return InvalidArgument(bad);
      const std::string lang = stem.substr(0, dot), part = stem.substr(dot + 1);
      const auto part_it = std::find(kParts.begin(), kParts.end(), part);
      if (part_it == kParts.end() || !ValidLanguageTag(lang)) return InvalidArgument(bad);
      Result<std::string> text = internal::ReadTemplate(path);
      if (!text.ok()) return text.status();
      langs_by_kind[kind_name].insert(lang);
      (*out)[kind_name + "/" + lang][static_cast<size_t>(part_it - kParts.begin())] =
          std::move(*text);
    }
  }
  const std::set<std::string>& langs = langs_by_kind["platform"];
  if (langs.count("en") == 0) {
    return NotFound((dir / "platform").string() + " has no English (en) templates");
  }
  languages->assign({"en"});
  for (const std::string& l : langs) {
    if (l != "en") languages->push_back(l);
  }
  for (RecipientKind kind : kKinds) {
    const std::string kind_name(domain::RecipientKindName(kind));
    for (const std::string& lang : *languages) {
      if (langs_by_kind[kind_name].count(lang) == 0) {
        return NotFound((dir / kind_name).string() + " has no " + lang +
                        " templates: every kind needs every language the platform templates have");
      }
    }
    for (const std::string& lang : langs_by_kind[kind_name]) {
      if (langs.count(lang) == 0) {
        return InvalidArgument((dir / kind_name).string() + " has " + lang +
                               " templates but platform/ has none: add them there too");
      }
    }
  }
  for (auto& [key, parts] : *out) {
    std::set<std::string> used[3];
    for (size_t i = 0; i < kParts.size(); ++i) {
      const std::string path = (dir / (key + "." + std::string(kParts[i]) + ".mustache")).string();
      if (parts[i].empty()) return NotFound(path + " is missing or empty");
      const Mode mode = i == 0 ? Mode::kSubject : i == 1 ? Mode::kText : Mode::kHtml;
      if (std::string problem = CheckTemplate(parts[i], mode, kVars, &used[i]); !problem.empty()) {
        return InvalidArgument(path + " " + problem);
      }
    }
    // The text and HTML parts must say the same things: the same variables, but for the HTML's
    // document language and title, its paragraphs of the basis text, and list numbers.
    std::set<std::string> html = used[2];
    html.erase("lang");
    html.erase("subject");
    html.erase("paragraph");
    if (html.erase("basis_paragraphs") != 0) html.insert("basis_text");
    std::set<std::string> text = used[1];
    text.erase("subject");
    text.erase("index");  // an HTML list numbers itself
    html.erase("index");
    if (text != html) {
      std::string diff;
      for (const std::string& n : text) {
        if (html.count(n) == 0) diff += " " + n + " (only in txt)";
      }
      for (const std::string& n : html) {
        if (text.count(n) == 0) diff += " " + n + " (only in html)";
      }
      return InvalidArgument((dir / key).string() +
                             ".{txt,html}.mustache use different variables:" + diff);
    }
  }
  return Status::Ok();
}

// A notice with every field filled, to render each profile x kind x language once at load.
NoticeInput SampleInput(const LegalProfile& p, RecipientKind kind, const std::string& lang) {
  NoticeInput in;
  in.recipient_kind = kind;
  in.recipient_name = "Sample Recipient";
  in.site = "example.net";
  in.language = lang;
  in.jurisdiction = p.id;
  in.organisation = {
      "Sample Organisation", "help@example.org", "+1 555 0100", "1 Sample Street\nSample City",
      "https://example.org", "Sam Sample",       "Caseworker"};
  in.authorised = true;
  in.survivor = Survivor{"Sample Survivor", "survivor@example.org"};
  in.reference = "N-1";
  in.items = {{"https://example.net/a", "A page", "https://example.net/a.jpg", 1, 2,
               std::string(64, 'a'), 3, Evidence::kMatched}};
  in.circumstances = "Sample circumstances.";
  in.depicts_minor = p.minor.has_value();
  in.ai_made = p.ai.has_value();
  in.signature = "/s/ Sam Sample";
  in.previous = {{1, "Sample Platform", "email", "no reply"}};
  in.drafted_at = 1;
  return in;
}

}  // namespace

const LegalBasis* LegalProfile::BasisFor(RecipientKind kind) const {
  for (const LegalBasis& b : bases) {
    if (std::find(b.kinds.begin(), b.kinds.end(), kind) != b.kinds.end()) return &b;
  }
  return nullptr;
}

PrintedValue AsPrinted(std::string_view value) {
  PrintedValue out;
  out.text = Line(value);
  out.html = mstch::render("{{value}}", mstch::map{{"value", out.text}});
  internal::UnescapeSlashes(&out.html);
  return out;
}

int DeadlineHours(int platform_hours, const LegalProfile& profile) {
  if (platform_hours > 0) return platform_hours;
  if (profile.deadline_hours > 0) return profile.deadline_hours;
  return kDefaultDeadlineHours;
}

Result<NoticeLibrary> NoticeLibrary::Load(const std::filesystem::path& data_dir) {
  NoticeLibrary lib;
  std::map<std::string, std::array<std::string, 3>, std::less<>> templates;
  if (Status s = LoadTemplates(data_dir / "templates", &lib.languages_, &templates); !s.ok()) {
    return s;
  }
  for (auto& [key, parts] : templates) {
    lib.templates_[key] = {std::move(parts[0]), std::move(parts[1]), std::move(parts[2])};
  }

  const std::filesystem::path dir = data_dir / "jurisdictions";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return NotFound(dir.string() + " does not exist");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  if (ec) return IoError("could not list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const std::filesystem::path& path : files) {
    Result<toml::table> root = datafile::ParseFile(path);
    if (!root.ok()) return root.status();
    Result<LegalProfile> p =
        ReadProfile(*root, path.string(), path.stem().string(), lib.languages_);
    if (!p.ok()) return p.status();
    std::vector<std::string> codes = p->aliases;
    codes.push_back(Upper(p->id));
    for (const std::string& code : codes) {
      if (!lib.by_code_.emplace(code, lib.profiles_.size()).second) {
        return InvalidArgument(path.string() + ": \"" + code +
                               "\" is already the id or an alias of " +
                               lib.profiles_[lib.by_code_[code]].id);
      }
    }
    if (p->id == "default") lib.default_ = lib.profiles_.size();
    lib.profiles_.push_back(std::move(*p));
  }
  if (lib.by_code_.count("DEFAULT") == 0) {
    return NotFound((dir / "default.toml").string() +
                    " does not exist: cases without a known jurisdiction need it");
  }

  for (const LegalProfile& p : lib.profiles_) {
    for (RecipientKind kind : kKinds) {
      for (const std::string& lang : lib.languages_) {
        Result<RenderedNotice> sample = lib.Render(SampleInput(p, kind, lang));
        if (!sample.ok()) {
          return Internal("the sample " + std::string(domain::RecipientKindName(kind)) + "/" +
                          lang + " notice of profile " + p.id +
                          " did not render: " + sample.status().message());
        }
      }
    }
  }
  return lib;
}

const LegalProfile* NoticeLibrary::Find(std::string_view jurisdiction) const {
  auto it = by_code_.find(Upper(Trim(jurisdiction)));
  return it == by_code_.end() ? nullptr : &profiles_[it->second];
}

std::vector<std::string> NoticeLibrary::jurisdictions() const {
  std::vector<std::string> codes;
  for (const LegalProfile& p : profiles_) {
    if (p.id != "default") codes.push_back(p.id);
  }
  return codes;
}

const LegalProfile& NoticeLibrary::Profile(std::string_view jurisdiction) const {
  const LegalProfile* p = Find(jurisdiction);
  return p != nullptr ? *p : profiles_[default_];
}

std::string NoticeLibrary::ResolveLanguage(std::string_view tag) const {
  std::string want = Lower(Trim(tag));
  std::replace(want.begin(), want.end(), '_', '-');
  while (!want.empty()) {
    for (const std::string& lang : languages_) {
      if (Lower(lang) == want) return lang;
    }
    // Chinese as written in Hong Kong, Macau and Taiwan is Traditional.
    if (want == "zh-hk" || want == "zh-mo" || want == "zh-tw") {
      want = "zh-hant";
      continue;
    }
    const size_t dash = want.rfind('-');
    if (dash == std::string::npos) break;
    want.resize(dash);
  }
  return "en";
}

Result<RenderedNotice> NoticeLibrary::Render(const NoticeInput& in) const {
  for (size_t i = 0; i < in.items.size(); ++i) {
    const Item& item = in.items[i];
    if (!IsHttpUrl(item.url)) {
      return InvalidArgument("item " + std::to_string(i + 1) + "'s URL \"" + Line(item.url) +
                             "\" is not an http(s) URL");
    }
    if (!item.media_url.empty() && !IsHttpUrl(item.media_url)) {
      return InvalidArgument("item " + std::to_string(i + 1) + "'s media URL \"" +
                             Line(item.media_url) + "\" is not an http(s) URL");
    }
  }
  if (!Blank(in.organisation.website) && !IsHttpUrl(Trim(in.organisation.website))) {
    return InvalidArgument("the organisation's website \"" + Line(in.organisation.website) +
                           "\" is not an http(s) URL");
  }

  const LegalProfile& p = Profile(in.jurisdiction);
  const std::string lang = ResolveLanguage(in.language);
  const LegalBasis& basis = *p.BasisFor(in.recipient_kind);
  const std::string kind(domain::RecipientKindName(in.recipient_kind));
  auto tmpl = templates_.find(kind + "/" + lang);
  if (tmpl == templates_.end()) return Internal("no templates for " + kind + "/" + lang);

  RenderedNotice out;
  out.profile = p.id;
  out.language = lang;
  const bool ai = in.ai_made && p.ai.has_value();
  out.legal_basis = basis.cite;
  if (ai && !p.ai->cite.empty()) out.legal_basis += "; " + p.ai->cite;
  out.missing = Missing(in);
  out.deadline_hours = DeadlineHours(in.platform_deadline_hours, p);
  if (in.platform_deadline_hours > 0) {
    out.deadline_basis = "the platform's deadline (data/platforms.toml)";
  } else if (p.deadline_hours > 0) {
    out.deadline_basis = p.id + ": " + p.deadline_basis;
  } else {
    out.deadline_basis = "Takedown's default: neither the platform nor " + p.id + " sets one";
  }

  // The scalars, cleaned once; profile texts are substituted from these before rendering.
  const Organisation& org = in.organisation;
  UnixMillis first_sent = 0;
  for (const PreviousNotice& prev : in.previous) {
    if (prev.sent_at != 0 && (first_sent == 0 || prev.sent_at < first_sent)) {
      first_sent = prev.sent_at;
    }
  }
  const bool minor = in.depicts_minor && p.minor.has_value();
  std::map<std::string, std::string> s = {
      {"lang", lang},
      {"reference", Line(in.reference)},
      {"date", FormatDate(in.drafted_at)},
      {"recipient_name", Line(in.recipient_name)},
      {"site", Line(in.site)},
      {"org_name", Line(org.name)},
      {"org_email", Line(org.email)},
      {"org_phone", Line(org.phone)},
      {"org_address", Lines(org.address)},
      {"org_website", Line(org.website)},
      {"signatory", Line(org.signatory)},
      {"signatory_role", Line(org.signatory_role)},
      {"signature", Line(in.signature)},
      {"survivor_name", in.survivor ? Line(in.survivor->name) : ""},
      {"survivor_contact", in.survivor ? Line(in.survivor->contact) : ""},
      {"jurisdiction_name", In(p.name, lang)},
      {"basis_cite", basis.cite},
      {"deadline_hours", std::to_string(out.deadline_hours)},
      {"item_count", std::to_string(in.items.size())},
      {"circumstances", Lines(in.circumstances)},
      {"minor_hotline", minor ? p.minor->hotline : ""},
      {"minor_hotline_url", minor ? p.minor->hotline_url : ""},
      {"regulator_name", p.regulator ? p.regulator->name : ""},
      {"regulator_url", p.regulator ? p.regulator->url : ""},
      {"regulator_email", p.regulator ? p.regulator->email : ""},
      {"first_sent", FormatDate(first_sent)},
  };
  // A survivor who chose to be named but left her name empty is not named.
  if (s["survivor_name"].empty()) s["survivor_contact"].clear();
  auto text_of = [&](const Translations& t) {
    return JoinParagraphs(Paragraphs(Substitute(In(t, lang), s)));
  };
  const std::vector<std::string> paragraphs = Paragraphs(Substitute(In(basis.text, lang), s));
  s["basis_title"] = OneLine(Substitute(In(basis.title, lang), s));
  s["basis_text"] = JoinParagraphs(paragraphs);
  s["minor_text"] = minor ? text_of(p.minor->text) : "";
  s["ai_text"] = ai ? text_of(p.ai->text) : "";

  mstch::map view;
  for (const auto& [name, value] : s) view.emplace(name, value);
  view.emplace("has_previous", !in.previous.empty());
  view.emplace("minor", minor);
  view.emplace("ai", ai);
  mstch::array items;
  for (size_t i = 0; i < in.items.size(); ++i) {
    const Item& item = in.items[i];
    items.push_back(mstch::map{
        {"index", std::to_string(i + 1)},
        {"url", Line(item.url)},
        {"title", Line(item.title)},
        {"media_url", Line(item.media_url)},
        {"first_seen", FormatDateTime(item.first_seen)},
        {"last_checked", item.last_checked ? FormatDateTime(*item.last_checked) : ""},
        {"sha256", Line(item.sha256)},
        {"distance", item.distance ? std::to_string(*item.distance) : ""},
        {"matched", item.evidence == Evidence::kMatched},
        {"reported", item.evidence == Evidence::kReported},
        {"confirmed", item.evidence == Evidence::kConfirmed},
        {"reported_at", FormatDateTime(item.reported_at)},
    });
  }
  view.emplace("items", std::move(items));
  mstch::array statements;
  for (const Statement& st : p.statements) {
    if (std::find(st.kinds.begin(), st.kinds.end(), in.recipient_kind) == st.kinds.end()) continue;
    statements.push_back(mstch::map{{"id", st.id}, {"text", text_of(st.text)}});
  }
  view.emplace("statements", std::move(statements));
  mstch::array basis_paragraphs;
  for (const std::string& para : paragraphs) {
    basis_paragraphs.push_back(mstch::map{{"paragraph", para}});
  }
  view.emplace("basis_paragraphs", std::move(basis_paragraphs));
  mstch::array sources;
  for (const Source& src : p.sources) {
    // Child-protection law only about a minor; AI law only about images made by AI.
    if ((src.minor && !minor) || (src.ai && !ai)) continue;
    sources.push_back(mstch::map{{"title", src.title}, {"url", src.url}});
  }
  view.emplace("has_sources", !sources.empty());
  view.emplace("sources", std::move(sources));
  mstch::array previous;
  for (const PreviousNotice& prev : in.previous) {
    previous.push_back(mstch::map{{"sent_at", FormatDateTime(prev.sent_at)},
                                  {"recipient", Line(prev.recipient)},
                                  {"channel", Line(prev.channel)},
                                  {"outcome", Line(prev.outcome)}});
  }
  view.emplace("previous", std::move(previous));

  try {
    out.subject = OneLine(mstch::render(tmpl->second.subject, view));
    view.emplace("subject", out.subject);
    out.text = TidyText(mstch::render(tmpl->second.text, view));
    out.html = mstch::render(tmpl->second.html, view);
    internal::UnescapeSlashes(&out.html);
  } catch (const std::exception& e) {
    return Internal("rendering " + kind + "/" + lang + " failed: " + e.what());
  }
  return out;
}

}  // namespace takedown::notify
