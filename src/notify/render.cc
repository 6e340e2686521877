#include "notify/render.h"

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
#include "notify/templates_internal.h"

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
using internal::Line;
using internal::Lines;
using internal::Lower;
using internal::Mode;
using internal::OneLine;
using internal::Paragraphs;
using internal::Substitute;
using internal::TidyText;
using internal::Trim;
using internal::Upper;
using internal::Var;
using internal::VarType;

using domain::RecipientKind;

constexpr int64_t kSchemaVersion = 1;
// A year: longer deadlines are surely a typo (as in data/platforms.toml).
constexpr int64_t kMaxDeadlineHours = 24 * 365;

constexpr std::array<RecipientKind, 5> kKinds = {RecipientKind::kPlatform, RecipientKind::kHost,
                                                 RecipientKind::kRegistrar, RecipientKind::kCdn,
                                                 RecipientKind::kRegulator};
constexpr std::array<std::string_view, 3> kParts = {"subject", "txt", "html"};

// Element ids checked against the input; any other element id must name a statement.
constexpr std::array<std::string_view, 7> kCheckedElements = {
    "signature",     "identification", "location",     "contact",
    "notifier_name", "notifier_email", "authorisation"};

template <typename T, size_t N>
bool OneOf(const T& s, const std::array<T, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool LooksLikeEmail(std::string_view a) {
  a = Trim(a);
  const size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && a.find('@', at + 1) == std::string_view::npos &&
         a.find('.', at) != std::string_view::npos && a.back() != '.' &&
         std::none_of(a.begin(), a.end(), [](char c) {
           return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',';
         });
}

// "2026-11-22 14:03 UTC"; "" for 0 (unknown).
std::string FormatDateTime(UnixMillis t) {
  if (t == 0) return "";
  const std::string iso = FormatTime(t);  // 2026-11-22T14:03:00.000Z
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string FormatDate(UnixMillis t) { return t == 0 ? "" : FormatTime(t).substr(0, 10); }

// ------------------------------------------------------------------------------------------
// The variables of notice templates

// Every name a template may use. docs/notices.md describes each; keep the two in step.
constexpr Var kVars[] = {
    {"lang", VarType::kScalar, "", false},
    {"subject", VarType::kScalar, "", false},
    {"reference", VarType::kScalar, "", true},
    {"date", VarType::kScalar, "", true},
    {"recipient_name", VarType::kScalar, "", true},
    {"site", VarType::kScalar, "", true},
    {"org_name", VarType::kScalar, "", true},
    {"org_email", VarType::kScalar, "", true},
    {"org_phone", VarType::kScalar, "", true},
    {"org_address", VarType::kScalar, "", false},
    {"org_website", VarType::kScalar, "", true},
    {"signatory", VarType::kScalar, "", true},
    {"signatory_role", VarType::kScalar, "", true},
    {"signature", VarType::kScalar, "", false},
    {"survivor_name", VarType::kScalar, "", false},
    {"survivor_contact", VarType::kScalar, "", false},
    {"jurisdiction_name", VarType::kScalar, "", true},
    {"basis_title", VarType::kScalar, "", false},
    {"basis_text", VarType::kScalar, "", false},
    {"basis_cite", VarType::kScalar, "", true},
    {"deadline_hours", VarType::kScalar, "", true},
    {"item_count", VarType::kScalar, "", true},
    {"circumstances", VarType::kScalar, "", false},
    {"minor_text", VarType::kScalar, "", false},
    {"minor_hotline", VarType::kScalar, "", true},
    {"minor_hotline_url", VarType::kScalar, "", true},
    {"regulator_name", VarType::kScalar, "", true},
    {"regulator_url", VarType::kScalar, "", true},
    {"regulator_email", VarType::kScalar, "", true},
    {"first_sent", VarType::kScalar, "", true},
    {"has_previous", VarType::kFlag, "", false},
    {"minor", VarType::kFlag, "", false},
    {"has_sources", VarType::kFlag, "", false},
    {"items", VarType::kList, "", false},
    {"index", VarType::kScalar, "items", false},
    {"url", VarType::kScalar, "items", false},
    {"title", VarType::kScalar, "items", false},
    {"media_url", VarType::kScalar, "items", false},
    {"first_seen", VarType::kScalar, "items", false},
    {"last_checked", VarType::kScalar, "items", false},
    {"sha256", VarType::kScalar, "items", false},
    {"distance", VarType::kScalar, "items", false},
    {"statements", VarType::kList, "", false},
    {"id", VarType::kScalar, "statements", false},
    {"text", VarType::kScalar, "statements", false},
    {"basis_paragraphs", VarType::kList, "", false},
    {"paragraph", VarType::kScalar, "basis_paragraphs", false},
    {"sources", VarType::kList, "", false},
    {"title", VarType::kScalar, "sources", false},
    {"url", VarType::kScalar, "sources", false},
    {"previous", VarType::kList, "", false},
    {"sent_at", VarType::kScalar, "previous", false},
    {"recipient", VarType::kScalar, "previous", false},
    {"channel", VarType::kScalar, "previous", false},
    {"outcome", VarType::kScalar, "previous", false},
};

// ------------------------------------------------------------------------------------------
// Checking the profiles' values

bool ValidCode(std::string_view id) {
  return id.size() >= 2 && id.size() <= 3 &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool ValidStatementId(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(),
                                    [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

Status GetHttpsUrl(const toml::table& t, std::string_view key, bool required, const Context& c,
                   std::string* out) {
  if (Status s = GetString(t, key, required, c, out); !s.ok()) return s;
  if ((required || !out->empty()) && (Lower(*out).rfind("https://", 0) != 0 || !IsHttpUrl(*out))) {
    return c.Fail(*t.get(key), "\"" + std::string(key) + "\" must be an https:// URL");
  }
  return Status::Ok();
}

// Reads a list of recipient kinds; absent means every kind.
Status GetKinds(const toml::table& t, const Context& c, std::vector<RecipientKind>* out) {
  if (t.get("kinds") == nullptr) {
    out->assign(kKinds.begin(), kKinds.end());
    return Status::Ok();
  }
  std::vector<std::string> names;
  if (Status s = GetStrings(t, "kinds", false, c, &names); !s.ok()) return s;
  if (names.empty()) return c.Fail(*t.get("kinds"), "\"kinds\" is empty: leave it out for all");
  for (const std::string& name : names) {
    std::optional<RecipientKind> k = domain::ParseRecipientKind(name);
    if (!k) {
      return c.Fail(*t.get("kinds"), "\"" + name +
                                         "\" is not a recipient kind (platform, host, registrar, "
                                         "cdn, regulator)");
    }
    if (std::find(out->begin(), out->end(), *k) != out->end()) {
      return c.Fail(*t.get("kinds"), "\"" + name + "\" is listed twice");
    }
    out->push_back(*k);
  }
  return Status::Ok();
}

// Reads a table of texts, one per template language, all present and none other. With
// `is_text`, each may use the in_data variables.
Status GetTranslations(const toml::table& t, std::string_view key,
                       const std::vector<std::string>& languages, bool is_text, const Context& c,
                       Translations* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return c.Fail(t, "\"" + std::string(key) + "\" is missing");
  const auto* table = n->as_table();
  if (table == nullptr) {
    return c.Fail(*n, "\"" + std::string(key) + "\" must be a table of texts by language (" +
                          std::string(key) + ".en = \"...\")");
  }
  for (const auto& [lang, node] : *table) {
    if (std::find(languages.begin(), languages.end(), lang.str()) == languages.end()) {
      return c.Fail(node, "\"" + std::string(key) + "." + std::string(lang.str()) +
                              "\": there are no templates in that language (a typo?)");
    }
    const auto* v = node.as_string();
    if (v == nullptr || Blank(v->get())) {
      return c.Fail(node, "\"" + std::string(key) + "." + std::string(lang.str()) +
                              "\" must be a non-empty string");
    }
    if (is_text) {
      std::set<std::string> used;
      if (std::string problem = CheckTemplate(v->get(), Mode::kData, kVars, &used);
          !problem.empty()) {
        return c.Fail(node, std::string(key) + "." + std::string(lang.str()) + " " + problem);
      }
    }
    out->emplace(std::string(lang.str()), v->get());
  }
  for (const std::string& lang : languages) {
    if (out->count(lang) == 0) {
      return c.Fail(*n, "\"" + std::string(key) + "." + lang + "\" is missing: every text needs " +
                            "every template language");
    }
  }
  return Status::Ok();
}

const toml::array* GetTables(const toml::table& t, std::string_view key, bool required,
                             const Context& c, Status* status) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) *status = c.Fail(t, "there is no [[" + std::string(key) + "]]");
    return nullptr;
  }
  const auto* arr = n->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    *status = c.Fail(
        *n, "\"" + std::string(key) + "\" must be written as [[" + std::string(key) + "]] tables");
    return nullptr;
  }
  return arr;
}

Result<LegalProfile> ReadProfile(const toml::table& root, const std::string& file,
                                 const std::string& stem,
                                 const std::vector<std::string>& languages) {
  Context c{file, "top level"};
  if (Status s = CheckKeys(root,
                           {"schema_version", "last_reviewed", "reviewed_by", "id", "aliases",
                            "name", "deadline_hours", "deadline_basis", "notes", "element",
                            "statement", "basis", "regulator", "minor", "source"},
                           c);
      !s.ok()) {
    return s;
  }
  const toml::node* version = root.get("schema_version");
  if (version == nullptr) return c.Fail(root, "\"schema_version\" is missing");
  if (version->as_integer() == nullptr || version->as_integer()->get() != kSchemaVersion) {
    return c.Fail(*version, "schema_version must be 1, the only version this program reads");
  }
  LegalProfile p;
  for (Status s : {GetString(root, "id", true, c, &p.id),
                   GetString(root, "last_reviewed", true, c, &p.last_reviewed),
                   GetString(root, "reviewed_by", false, c, &p.reviewed_by),
                   GetStrings(root, "aliases", false, c, &p.aliases),
                   GetString(root, "deadline_basis", true, c, &p.deadline_basis),
                   GetString(root, "notes", false, c, &p.notes)}) {
    if (!s.ok()) return s;
  }
  if (p.id != "default" && !ValidCode(p.id)) {
    return c.Fail(root, "id \"" + p.id + "\" must be 2 or 3 capital letters, or \"default\"");
  }
  if (Lower(p.id) != stem) {
    return c.Fail(root, "id \"" + p.id + "\" must match the file name (" + Lower(p.id) + ".toml)");
  }
  if (!ValidDate(p.last_reviewed)) {
    return c.Fail(*root.get("last_reviewed"), "last_reviewed must be a date like 2026-01-31");
  }
  for (const std::string& alias : p.aliases) {
    if (!ValidCode(alias)) {
      return c.Fail(*root.get("aliases"), "alias \"" + alias + "\" must be 2 or 3 capital letters");
    }
  }
  if (Status s = GetTranslations(root, "name", languages, false, c, &p.name); !s.ok()) return s;

  const toml::node* hours = root.get("deadline_hours");
  if (hours == nullptr) return c.Fail(root, "\"deadline_hours\" is missing (0 for none)");
  const auto* h = hours->as_integer();
  if (h == nullptr || h->get() < 0 || h->get() > kMaxDeadlineHours) {
    return c.Fail(*hours, "\"deadline_hours\" must be a whole number of hours from 0 (none) to " +
                              std::to_string(kMaxDeadlineHours));
  }
  p.deadline_hours = static_cast<int>(h->get());

  Status status;
  if (const toml::array* list = GetTables(root, "statement", false, c, &status)) {
    for (size_t i = 0; i < list->size(); ++i) {
      const toml::table& t = *list->get(i)->as_table();
      Context sc{file, "statement #" + std::to_string(i + 1)};
      Statement st;
      if (Status s = CheckKeys(t, {"id", "text"}, sc); !s.ok()) return s;
      if (Status s = GetString(t, "id", true, sc, &st.id); !s.ok()) return s;
      if (!ValidStatementId(st.id)) {
        return sc.Fail(t, "id \"" + st.id + "\" may only hold lowercase letters and '_'");
      }
      sc.where = "statement \"" + st.id + "\"";
      if (OneOf(std::string_view(st.id), kCheckedElements)) {
        return sc.Fail(t, "\"" + st.id + "\" is checked against the notice, not a statement");
      }
      for (const Statement& other : p.statements) {
        if (other.id == st.id) return sc.Fail(t, "the id is used by an earlier statement too");
      }
      if (Status s = GetTranslations(t, "text", languages, true, sc, &st.text); !s.ok()) return s;
      p.statements.push_back(std::move(st));
    }
  } else if (!status.ok()) {
    return status;
  }
  if (p.statements.empty()) {
    return c.Fail(root,
                  "there is no [[statement]]: every notice needs at least a statement of "
                  "good faith or accuracy");
  }

  const toml::array* elements = GetTables(root, "element", true, c, &status);
  if (elements == nullptr) return status;
  for (size_t i = 0; i < elements->size(); ++i) {
    const toml::table& t = *elements->get(i)->as_table();
    Context ec{file, "element #" + std::to_string(i + 1)};
    Element e;
    if (Status s = CheckKeys(t, {"id", "label", "kinds"}, ec); !s.ok()) return s;
    for (Status s : {GetString(t, "id", true, ec, &e.id), GetString(t, "label", true, ec, &e.label),
                     GetKinds(t, ec, &e.kinds)}) {
      if (!s.ok()) return s;
    }
    ec.where = "element \"" + e.id + "\"";
    const bool statement = std::any_of(p.statements.begin(), p.statements.end(),
                                       [&](const Statement& st) { return st.id == e.id; });
    if (!statement && !OneOf(std::string_view(e.id), kCheckedElements)) {
      return ec.Fail(t, "\"" + e.id +
                            "\" is neither a checked element (signature, identification, "
                            "location, contact, notifier_name, notifier_email, authorisation) nor "
                            "the id of a [[statement]] of this profile");
    }
    for (const Element& other : p.required) {
      if (other.id == e.id) return ec.Fail(t, "the element is listed twice");
    }
    p.required.push_back(std::move(e));
  }

  const toml::array* bases = GetTables(root, "basis", true, c, &status);
  if (bases == nullptr) return status;
  for (size_t i = 0; i < bases->size(); ++i) {
    const toml::table& t = *bases->get(i)->as_table();
    Context bc{file, "basis #" + std::to_string(i + 1)};
    LegalBasis b;
    if (Status s = CheckKeys(t, {"kinds", "cite", "title", "text", "notes"}, bc); !s.ok()) return s;
    for (Status s : {GetKinds(t, bc, &b.kinds), GetString(t, "cite", true, bc, &b.cite),
                     GetString(t, "notes", false, bc, &b.notes),
                     GetTranslations(t, "title", languages, true, bc, &b.title),
                     GetTranslations(t, "text", languages, true, bc, &b.text)}) {
      if (!s.ok()) return s;
    }
    for (RecipientKind k : b.kinds) {
      for (const LegalBasis& other : p.bases) {
        if (std::find(other.kinds.begin(), other.kinds.end(), k) != other.kinds.end()) {
          return bc.Fail(
              t, "kind \"" + std::string(domain::RecipientKindName(k)) + "\" already has a basis");
        }
      }
    }
    p.bases.push_back(std::move(b));
  }
  for (RecipientKind k : kKinds) {
    if (p.BasisFor(k) == nullptr) {
      return c.Fail(root, "no [[basis]] covers the recipient kind \"" +
                              std::string(domain::RecipientKindName(k)) + "\"");
    }
  }

  if (const toml::node* n = root.get("regulator")) {
    Context rc{file, "regulator"};
    const auto* t = n->as_table();
    if (t == nullptr) return rc.Fail(*n, "[regulator] must be a table");
    Regulator r;
    if (Status s = CheckKeys(*t, {"name", "url", "email", "route", "notes"}, rc); !s.ok()) return s;
    for (Status s :
         {GetString(*t, "name", true, rc, &r.name), GetHttpsUrl(*t, "url", true, rc, &r.url),
          GetString(*t, "email", false, rc, &r.email), GetString(*t, "route", true, rc, &r.route),
          GetString(*t, "notes", false, rc, &r.notes)}) {
      if (!s.ok()) return s;
    }
    if (!r.email.empty() && !LooksLikeEmail(r.email)) {
      return rc.Fail(*t, "\"email\" must be an address like name@example.org, or left out");
    }
    p.regulator = std::move(r);
  } else if (p.id != "default") {
    return c.Fail(root, "there is no [regulator] (only the default profile may have none)");
  }

  if (const toml::node* n = root.get("minor")) {
    Context mc{file, "minor"};
    const auto* t = n->as_table();
    if (t == nullptr) return mc.Fail(*n, "[minor] must be a table");
    MinorRoute m;
    if (Status s = CheckKeys(*t, {"hotline", "hotline_url", "text"}, mc); !s.ok()) return s;
    for (Status s : {GetString(*t, "hotline", true, mc, &m.hotline),
                     GetHttpsUrl(*t, "hotline_url", true, mc, &m.hotline_url),
                     GetTranslations(*t, "text", languages, true, mc, &m.text)}) {
      if (!s.ok()) return s;
    }
    p.minor = std::move(m);
  }

  const toml::array* sources = GetTables(root, "source", p.id != "default", c, &status);
  if (sources == nullptr && !status.ok()) return status;
  for (size_t i = 0; sources != nullptr && i < sources->size(); ++i) {
    const toml::table& t = *sources->get(i)->as_table();
    Context sc{file, "source #" + std::to_string(i + 1)};
    Source src;
    if (Status s = CheckKeys(t, {"title", "url", "notes"}, sc); !s.ok()) return s;
    for (Status s :
         {GetString(t, "title", true, sc, &src.title), GetHttpsUrl(t, "url", true, sc, &src.url),
          GetString(t, "notes", false, sc, &src.notes)}) {
      if (!s.ok()) return s;
    }
    p.sources.push_back(std::move(src));
  }
  return p;
}

// Reads data_dir/templates/<kind>/<lang>.<part>.mustache: every kind in the same languages, every
// part present, nothing else there.
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
               std::string(64, 'a'), 3}};
  in.circumstances = "Sample circumstances.";
  in.depicts_minor = p.minor.has_value();
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

std::vector<Element> NoticeLibrary::Missing(const NoticeInput& in) const {
  const LegalProfile& p = Profile(in.jurisdiction);
  const Organisation& org = in.organisation;
  std::vector<Element> missing;
  for (const Element& e : p.required) {
    if (std::find(e.kinds.begin(), e.kinds.end(), in.recipient_kind) == e.kinds.end()) continue;
    bool present = true;
    if (e.id == "signature") {
      present = !Blank(org.signatory) && !Blank(in.signature);
    } else if (e.id == "identification") {
      present = !in.items.empty();
    } else if (e.id == "location") {
      present = !in.items.empty() && std::all_of(in.items.begin(), in.items.end(),
                                                 [](const Item& i) { return IsHttpUrl(i.url); });
    } else if (e.id == "contact") {
      present = !Blank(org.email) || !Blank(org.phone) || !Blank(org.address);
    } else if (e.id == "notifier_name") {
      present = !Blank(org.name);
    } else if (e.id == "notifier_email") {
      present = LooksLikeEmail(org.email);
    } else if (e.id == "authorisation") {
      present = in.authorised;
    }  // else a statement of the profile, which every notice under it prints
    if (!present) missing.push_back(e);
  }
  // Whatever the profile says, a notice names who sends it and what it is about.
  auto add = [&](std::string id, std::string label) {
    for (const Element& e : missing) {
      if (e.id == id) return;
    }
    missing.push_back({std::move(id), std::move(label), {in.recipient_kind}});
  };
  if (Blank(org.name)) add("notifier_name", "the organisation's name");
  if (in.items.empty()) add("identification", "at least one URL to remove");
  if (in.depicts_minor && !p.minor) {
    add("minor_route",
        "the route for material showing a minor: the " + p.id +
            " profile has none, so handle this case by hand with a child-protection hotline");
  }
  if (in.recipient_kind == RecipientKind::kRegulator && !p.regulator) {
    add("regulator", "a regulator to send the dossier to: the " + p.id + " profile names none");
  }
  return missing;
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
  out.legal_basis = basis.cite;
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

  mstch::map view;
  for (const auto& [name, value] : s) view.emplace(name, value);
  view.emplace("has_previous", !in.previous.empty());
  view.emplace("minor", minor);
  view.emplace("has_sources", !p.sources.empty());
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
    });
  }
  view.emplace("items", std::move(items));
  mstch::array statements;
  for (const Statement& st : p.statements) {
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
    sources.push_back(mstch::map{{"title", src.title}, {"url", src.url}});
  }
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
