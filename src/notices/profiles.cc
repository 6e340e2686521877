// The legal profiles of data/jurisdictions/*.toml, read strictly: what a notice under each law
// must contain, its statements and legal bases in every template language, its regulator, the
// route for minors, and the sources it relies on (docs/data-jurisdictions.md).
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "datafile/toml_data.h"
#include "notices/profiles_internal.h"

namespace takedown::notify::internal {
namespace {

using datafile::CheckKeys;
using datafile::Context;
using datafile::GetString;
using datafile::GetStrings;
using datafile::ValidDate;
using datafile::ValidLanguageTag;
using domain::RecipientKind;

constexpr int64_t kSchemaVersion = 1;
// A year: longer deadlines are surely a typo (as in data/platforms.toml).
constexpr int64_t kMaxDeadlineHours = 24 * 365;

template <typename T, size_t N>
bool OneOf(const T& s, const std::array<T, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

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

// Reads an optional true/false field; absent is false.
Status GetFlag(const toml::table& t, std::string_view key, const Context& c, bool* out) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return Status::Ok();
  if (!n->is_boolean()) return c.Fail(*n, "\"" + std::string(key) + "\" must be true or false");
  *out = n->as_boolean()->get();
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

// A phone number as services print it: digits, spaces, "+", "-", "(", ")", 3 to 20 digits.
bool ValidPhone(std::string_view phone) {
  const auto digits =
      std::count_if(phone.begin(), phone.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  return digits >= 3 && digits <= 20 && std::all_of(phone.begin(), phone.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || ch == ' ' || ch == '+' || ch == '-' || ch == '(' ||
                  ch == ')';
         });
}

// The [[support]] entries: services survivors can turn to, shown on the resources page. Held to
// the same strictness as the legal texts, because a wrong phone number sends a frightened person
// to a stranger.
Status ReadSupport(const toml::table& root, const std::string& file,
                   const std::vector<std::string>& languages, std::vector<SupportService>* out) {
  Context c{file, "top level"};
  Status status;
  const toml::array* list = GetTables(root, "support", false, c, &status);
  if (list == nullptr) return status;
  for (size_t i = 0; i < list->size(); ++i) {
    const toml::table& t = *list->get(i)->as_table();
    Context sc{file, "support #" + std::to_string(i + 1)};
    SupportService sv;
    if (Status s = CheckKeys(
            t, {"id", "name", "offers", "url", "phone", "hours", "languages", "source", "notes"},
            sc);
        !s.ok()) {
      return s;
    }
    if (Status s = GetString(t, "id", true, sc, &sv.id); !s.ok()) return s;
    if (!ValidStatementId(sv.id)) {
      return sc.Fail(t, "id \"" + sv.id + "\" may only hold lowercase letters and '_'");
    }
    sc.where = "support \"" + sv.id + "\"";
    for (const SupportService& other : *out) {
      if (other.id == sv.id) return sc.Fail(t, "the id is used by an earlier [[support]] too");
    }
    for (Status s :
         {GetTranslations(t, "name", languages, false, sc, &sv.name),
          GetTranslations(t, "offers", languages, false, sc, &sv.offers),
          GetHttpsUrl(t, "url", true, sc, &sv.url), GetString(t, "phone", false, sc, &sv.phone),
          GetStrings(t, "languages", false, sc, &sv.languages),
          GetHttpsUrl(t, "source", true, sc, &sv.source),
          GetString(t, "notes", false, sc, &sv.notes)}) {
      if (!s.ok()) return s;
    }
    if (t.get("hours") != nullptr) {
      if (Status s = GetTranslations(t, "hours", languages, false, sc, &sv.hours); !s.ok()) {
        return s;
      }
    }
    if (!sv.phone.empty() && !ValidPhone(sv.phone)) {
      return sc.Fail(*t.get("phone"),
                     "\"phone\" must be a number as the service prints it (digits, spaces, + - "
                     "( ), 3 to 20 digits), or left out");
    }
    if (sv.phone.empty() && !sv.hours.empty()) {
      return sc.Fail(*t.get("hours"), "\"hours\" are the phone's: give a phone or leave them out");
    }
    for (const std::string& lang : sv.languages) {
      if (!ValidLanguageTag(lang)) {
        return sc.Fail(*t.get("languages"),
                       "\"" + lang + "\" is not a language tag like en, zh-Hant or ms");
      }
    }
    out->push_back(std::move(sv));
  }
  return Status::Ok();
}

// The [review] table: where the deadline and the required elements stand against the law. Each
// says "Resolved:" (what was read, where and when) or "Kept:" (why it could not be, and the safe
// default the profile uses meanwhile), so that neither is left as an open question.
Status ReadReview(const toml::table& root, const std::string& file, ProfileReview* out) {
  Context c{file, "review"};
  const toml::node* n = root.get("review");
  if (n == nullptr) {
    return c.Fail(root,
                  "there is no [review]: say how the deadline and the required elements stand "
                  "against the law");
  }
  const auto* t = n->as_table();
  if (t == nullptr) return c.Fail(*n, "[review] must be a table");
  if (Status s = CheckKeys(*t, {"deadline", "elements"}, c); !s.ok()) return s;
  for (auto [key, text] :
       {std::pair{"deadline", &out->deadline}, std::pair{"elements", &out->elements}}) {
    if (Status s = GetString(*t, key, true, c, text); !s.ok()) return s;
    const bool resolved = text->starts_with("Resolved: ");
    const bool kept = text->starts_with("Kept: ");
    if (!resolved && !kept) {
      return c.Fail(*t->get(key), std::string("\"") + key +
                                      "\" must start with \"Resolved: \" (what was read, where "
                                      "and when) or \"Kept: \" (why, and the safe default)");
    }
    if (kept && text->find("Safe default: ") == std::string::npos) {
      return c.Fail(*t->get(key), std::string("\"") + key +
                                      "\" is kept unresolved: it must say \"Safe default: \" and "
                                      "what the profile uses meanwhile");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<LegalProfile> ReadProfile(const toml::table& root, const std::string& file,
                                 const std::string& stem,
                                 const std::vector<std::string>& languages) {
  Context c{file, "top level"};
  if (Status s =
          CheckKeys(root,
                    {"schema_version", "last_reviewed", "reviewed_by", "id", "aliases", "name",
                     "deadline_hours", "deadline_basis", "notes", "element", "statement", "basis",
                     "regulator", "minor", "ai", "source", "plain_law", "support", "review"},
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
  if (root.get("plain_law") != nullptr) {
    if (Status s = GetTranslations(root, "plain_law", languages, false, c, &p.plain_law); !s.ok()) {
      return s;
    }
  }

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
      if (Status s = CheckKeys(t, {"id", "text", "kinds"}, sc); !s.ok()) return s;
      if (Status s = GetKinds(t, sc, &st.kinds); !s.ok()) return s;
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
    const auto named = std::find_if(p.statements.begin(), p.statements.end(),
                                    [&](const Statement& st) { return st.id == e.id; });
    const bool statement = named != p.statements.end();
    for (RecipientKind k : statement ? e.kinds : std::vector<RecipientKind>{}) {
      if (std::find(named->kinds.begin(), named->kinds.end(), k) == named->kinds.end()) {
        return ec.Fail(t, "statement \"" + e.id + "\" is not printed for kind \"" +
                              std::string(domain::RecipientKindName(k)) +
                              "\": give the element the statement's kinds");
      }
    }
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

  if (Status s = ReadReview(root, file, &p.review); !s.ok()) return s;

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
    if (Status s = CheckKeys(*t, {"hotline", "hotline_url", "text", "cites"}, mc); !s.ok()) {
      return s;
    }
    for (Status s : {GetString(*t, "hotline", true, mc, &m.hotline),
                     GetHttpsUrl(*t, "hotline_url", true, mc, &m.hotline_url),
                     GetStrings(*t, "cites", true, mc, &m.cites),
                     GetTranslations(*t, "text", languages, true, mc, &m.text)}) {
      if (!s.ok()) return s;
    }
    for (const std::string& cite : m.cites) {
      if (In(m.text, "en").find(cite) == std::string::npos) {
        return mc.Fail(*t,
                       "\"cites\" lists \"" + cite + "\", which the English text does not cite");
      }
    }
    p.minor = std::move(m);
  }

  if (const toml::node* n = root.get("ai")) {
    Context ac{file, "ai"};
    const auto* t = n->as_table();
    if (t == nullptr) return ac.Fail(*n, "[ai] must be a table");
    AiRoute a;
    if (Status s = CheckKeys(*t, {"text", "cite"}, ac); !s.ok()) return s;
    for (Status s : {GetString(*t, "cite", false, ac, &a.cite),
                     GetTranslations(*t, "text", languages, true, ac, &a.text)}) {
      if (!s.ok()) return s;
    }
    p.ai = std::move(a);
  }

  const toml::array* sources = GetTables(root, "source", p.id != "default", c, &status);
  if (sources == nullptr && !status.ok()) return status;
  for (size_t i = 0; sources != nullptr && i < sources->size(); ++i) {
    const toml::table& t = *sources->get(i)->as_table();
    Context sc{file, "source #" + std::to_string(i + 1)};
    Source src;
    if (Status s = CheckKeys(t, {"title", "url", "notes", "minor", "ai"}, sc); !s.ok()) return s;
    for (Status s :
         {GetString(t, "title", true, sc, &src.title), GetHttpsUrl(t, "url", true, sc, &src.url),
          GetString(t, "notes", false, sc, &src.notes), GetFlag(t, "minor", sc, &src.minor),
          GetFlag(t, "ai", sc, &src.ai)}) {
      if (!s.ok()) return s;
    }
    p.sources.push_back(std::move(src));
  }
  if (Status s = ReadSupport(root, file, languages, &p.support); !s.ok()) return s;
  return p;
}

// Reads data_dir/templates/<kind>/<lang>.<part>.mustache: every kind in the same languages, every
// part present, nothing else there.
bool LooksLikeEmail(std::string_view a) {
  a = Trim(a);
  const size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && a.find('@', at + 1) == std::string_view::npos &&
         a.find('.', at) != std::string_view::npos && a.back() != '.' &&
         std::none_of(a.begin(), a.end(), [](char c) {
           return static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',';
         });
}

}  // namespace takedown::notify::internal
