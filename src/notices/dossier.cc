// The regulator dossier (dossier.h): rendering one from a case's evidence under its legal profile,
// with any case code in what it quotes redacted. Its templates are read in dossier_templates.cc.
#include "notices/dossier.h"

#include <algorithm>
#include <exception>
#include <mstch/mstch.hpp>
#include <utility>

#include "notices/templates_internal.h"
#include "secrets/secrets.h"

namespace takedown::notify {
namespace {

using domain::RecipientKind;
using domain::SightingState;
using internal::Blank;

constexpr std::string_view kRedactedCode = "TD-****-****";

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Of secrets::NewCaseCode's alphabet, any case: no 0, 1, I, L or O, so that ticket numbers such
// as "TD-2024-0001" are not taken for a code.
bool IsCodeChar(char c) {
  static constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return c != 0 && kAlphabet.find(upper) != std::string_view::npos;
}

// The length of a case code ("TD-XXXX-XXXX", any case, the inner dash as typed: missing or a
// space) at s[i], or 0.
size_t CaseCodeAt(std::string_view s, size_t i) {
  if (i > 0 && IsAlnum(s[i - 1])) return 0;
  if (s.size() - i < 11 || internal::Lower(s.substr(i, 3)) != "td-") return 0;
  size_t at = i + 3;
  for (int group = 0; group < 2; ++group) {
    if (group == 1 && at < s.size() && (s[at] == '-' || s[at] == ' ')) ++at;
    for (int k = 0; k < 4; ++k, ++at) {
      if (at >= s.size() || !IsCodeChar(s[at])) return 0;
    }
  }
  if (at < s.size() && IsAlnum(s[at])) return 0;
  return at - i;
}

// A case code in an earlier notice (one that used it as reference) or a reply quoting it: with
// the PIN it lets anyone into her case, and a regulator needs neither.
std::string Redact(std::string s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (const size_t n = CaseCodeAt(s, i); n != 0) s.replace(i, n, kRedactedCode);
  }
  return s;
}

// Every value but URLs, which are evidence and must stay as found.
std::string Line(std::string_view s) { return Redact(internal::Line(s)); }
std::string Lines(std::string_view s) { return Redact(internal::Lines(s)); }

// "2026-11-22T14:03:00Z"; "" for 0 (unknown).
std::string FormatIso(UnixMillis t) {
  if (t == 0) return "";
  return FormatTime(t).substr(0, 19) + "Z";
}

bool StillUp(SightingState s) {
  return s != SightingState::kRemoved && s != SightingState::kDismissed;
}

}  // namespace

Result<Dossier> RenderDossier(const NoticeLibrary& library, const DossierTemplates& templates,
                              const DossierInput& in) {
  if (Redact(in.reference) != in.reference) {
    return InvalidArgument(
        "the reference holds a case code: give the dossier's or a notice's id instead");
  }
  for (size_t i = 0; i < in.items.size(); ++i) {
    if (!internal::IsHttpUrl(in.items[i].url)) {
      return InvalidArgument("item " + std::to_string(i + 1) + "'s URL \"" + Line(in.items[i].url) +
                             "\" is not an http(s) URL");
    }
  }
  const Organisation& org = in.organisation;
  if (!Blank(org.website) && !internal::IsHttpUrl(internal::Trim(org.website))) {
    return InvalidArgument("the organisation's website \"" + Line(org.website) +
                           "\" is not an http(s) URL");
  }

  const LegalProfile& p = library.Profile(in.jurisdiction);
  const std::string lang = library.ResolveLanguage(in.language);
  auto tmpl = templates.by_language_.find(lang);
  if (tmpl == templates.by_language_.end()) return Internal("no dossier templates for " + lang);
  const LegalBasis& basis = *p.BasisFor(RecipientKind::kRegulator);
  const bool minor = in.depicts_minor && p.minor.has_value();
  const bool ai = in.ai_made && p.ai.has_value();

  // Chronological, whatever order casework read them in.
  std::vector<DossierNotice> notices = in.notices;
  std::stable_sort(notices.begin(), notices.end(),
                   [](const auto& a, const auto& b) { return a.sent_at < b.sent_at; });
  std::vector<DossierReply> replies = in.replies;
  std::stable_sort(replies.begin(), replies.end(),
                   [](const auto& a, const auto& b) { return a.received_at < b.received_at; });

  size_t up = 0, removed = 0;
  UnixMillis first_found = 0, first_notice = 0;
  for (const DossierItem& item : in.items) {
    up += StillUp(item.state) ? 1 : 0;
    removed += item.state == SightingState::kRemoved ? 1 : 0;
    if (item.first_seen != 0 && (first_found == 0 || item.first_seen < first_found)) {
      first_found = item.first_seen;
    }
  }
  for (const DossierNotice& n : notices) {
    if (n.sent_at != 0 && first_notice == 0) first_notice = n.sent_at;
  }
  std::string days_outstanding;
  if (up > 0 && first_notice != 0 && in.generated_at >= first_notice) {
    days_outstanding = std::to_string((in.generated_at - first_notice) / kMillisPerDay);
  }

  // The scalars, cleaned once. The profile's texts may use the notices' {{name}}s: they get the
  // values a notice to the regulator would.
  const bool named = in.survivor.has_value() && !Line(in.survivor->name).empty();
  std::map<std::string, std::string> s = {
      {"lang", lang},
      {"reference", Line(in.reference)},
      {"generated", FormatIso(in.generated_at)},
      {"generated_date", FormatIso(in.generated_at).substr(0, 10)},
      {"jurisdiction_name", internal::In(p.name, lang)},
      {"regulator_name", p.regulator ? p.regulator->name : ""},
      {"regulator_url", p.regulator ? p.regulator->url : ""},
      {"regulator_email", p.regulator ? p.regulator->email : ""},
      {"regulator_route", p.regulator ? internal::OneLine(p.regulator->route) : ""},
      {"org_name", Line(org.name)},
      {"org_email", Line(org.email)},
      {"org_phone", Line(org.phone)},
      {"org_address", Lines(org.address)},
      {"org_website", internal::Line(org.website)},
      {"signatory", Line(org.signatory)},
      {"signatory_role", Line(org.signatory_role)},
      {"signature", Line(in.signature)},
      {"survivor_name", named ? Line(in.survivor->name) : ""},
      {"survivor_contact", named ? Line(in.survivor->contact) : ""},
      {"count_urls", std::to_string(in.items.size())},
      {"count_up", std::to_string(up)},
      {"count_removed", std::to_string(removed)},
      {"count_notices", std::to_string(notices.size())},
      {"count_replies", std::to_string(replies.size())},
      {"reference_media_count", std::to_string(std::max(0, in.reference_media_count))},
      {"first_found", FormatIso(first_found)},
      {"first_notice", FormatIso(first_notice)},
      {"days_outstanding", days_outstanding},
      {"basis_cite", ai && !p.ai->cite.empty() ? basis.cite + "; " + p.ai->cite : basis.cite},
      {"circumstances", Lines(in.circumstances)},
      {"minor_hotline", minor ? p.minor->hotline : ""},
      {"minor_hotline_url", minor ? p.minor->hotline_url : ""},
  };
  std::map<std::string, std::string> data = {
      {"date", s["generated_date"]},
      {"recipient_name", s["regulator_name"]},
      {"site", ""},
      {"deadline_hours", std::to_string(DeadlineHours(0, p))},
      {"item_count", s["count_urls"]},
      {"first_sent", FormatIso(first_notice).substr(0, 10)},
  };
  for (const char* same :
       {"reference", "org_name", "org_email", "org_phone", "org_website", "signatory",
        "signatory_role", "jurisdiction_name", "basis_cite", "minor_hotline", "minor_hotline_url",
        "regulator_name", "regulator_url", "regulator_email"}) {
    data[same] = s[same];
  }
  auto text_of = [&](const Translations& t) {
    return internal::JoinParagraphs(
        internal::Paragraphs(internal::Substitute(internal::In(t, lang), data)));
  };
  const std::vector<std::string> paragraphs =
      internal::Paragraphs(internal::Substitute(internal::In(basis.text, lang), data));
  s["basis_title"] = internal::OneLine(internal::Substitute(internal::In(basis.title, lang), data));
  s["basis_text"] = internal::JoinParagraphs(paragraphs);
  s["minor_text"] = minor ? text_of(p.minor->text) : "";
  s["ai_text"] = ai ? text_of(p.ai->text) : "";
  s["title"] =
      s["reference"].empty() ? s["basis_title"] : s["basis_title"] + " — " + s["reference"];

  mstch::map view;
  for (const auto& [name, value] : s) view.emplace(name, value);
  view.emplace("minor", minor);
  view.emplace("ai", ai);
  view.emplace("has_notices", !notices.empty());
  view.emplace("has_replies", !replies.empty());

  mstch::array items;
  for (size_t i = 0; i < in.items.size(); ++i) {
    const DossierItem& item = in.items[i];
    std::vector<DossierCheck> sorted = item.checks;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    mstch::array checks;
    for (const DossierCheck& c : sorted) {
      checks.push_back(mstch::map{
          {"at", FormatIso(c.at)},
          {"outcome", Line(c.outcome)},
          {"http_status", c.http_status > 0 ? std::to_string(c.http_status) : std::string()},
          {"sha256", Line(c.sha256)},
          {"distance", c.distance ? std::to_string(*c.distance) : std::string()},
      });
    }
    items.push_back(mstch::map{
        {"index", std::to_string(i + 1)},
        {"url", internal::Line(item.url)},
        {"platform", Line(item.platform)},
        {"host", Line(item.host)},
        {"state", std::string(domain::SightingStateName(item.state))},
        {"is_up", StillUp(item.state)},
        {"is_removed", item.state == SightingState::kRemoved},
        {"first_seen", FormatIso(item.first_seen)},
        {"has_checks", !checks.empty()},
        {"checks", std::move(checks)},
    });
  }
  view.emplace("items", std::move(items));

  std::map<int64_t, size_t> notice_index;
  mstch::array notice_list;
  for (size_t i = 0; i < notices.size(); ++i) {
    const DossierNotice& n = notices[i];
    if (n.id != 0) notice_index.emplace(n.id, i + 1);
    notice_list.push_back(mstch::map{
        {"index", std::to_string(i + 1)},
        {"sent_at", FormatIso(n.sent_at)},
        {"recipient", Line(n.recipient)},
        {"is_platform", n.recipient_kind == RecipientKind::kPlatform},
        {"is_host", n.recipient_kind == RecipientKind::kHost},
        {"is_registrar", n.recipient_kind == RecipientKind::kRegistrar},
        {"is_cdn", n.recipient_kind == RecipientKind::kCdn},
        {"is_regulator", n.recipient_kind == RecipientKind::kRegulator},
        {"channel", Line(n.channel)},
        {"address", Line(n.address)},
        {"subject", Line(n.subject)},
        {"legal_basis", Line(n.legal_basis)},
        {"deadline", FormatIso(n.deadline)},
        {"outcome", Line(n.outcome)},
        {"text", Lines(n.text)},
    });
  }
  view.emplace("notices", std::move(notice_list));
  mstch::array reply_list;
  for (size_t i = 0; i < replies.size(); ++i) {
    const DossierReply& r = replies[i];
    auto answered = notice_index.find(r.notice_id);
    reply_list.push_back(mstch::map{
        {"index", std::to_string(i + 1)},
        {"received_at", FormatIso(r.received_at)},
        {"from", Line(r.from)},
        {"subject", Line(r.subject)},
        {"kind", Line(r.kind)},
        {"notice",
         answered == notice_index.end() ? std::string() : std::to_string(answered->second)},
        {"text", Lines(r.text)},
    });
  }
  view.emplace("replies", std::move(reply_list));

  mstch::array basis_paragraphs, sources, statements;
  for (const std::string& para : paragraphs) {
    basis_paragraphs.push_back(mstch::map{{"paragraph", para}});
  }
  for (const Source& src : p.sources) {
    // Child-protection law only about a minor; AI law only about images made by AI.
    if ((src.minor && !minor) || (src.ai && !ai)) continue;
    sources.push_back(mstch::map{{"title", src.title}, {"url", src.url}});
  }
  for (const Statement& st : p.statements) {
    statements.push_back(mstch::map{{"text", text_of(st.text)}});
  }
  view.emplace("basis_paragraphs", std::move(basis_paragraphs));
  view.emplace("has_sources", !sources.empty());
  view.emplace("sources", std::move(sources));
  view.emplace("statements", std::move(statements));

  Dossier out;
  out.profile = p.id;
  out.language = lang;
  out.title = s["title"];
  try {
    out.text = internal::TidyText(mstch::render(tmpl->second.text, view));
    out.html = mstch::render(tmpl->second.html, view);
    internal::UnescapeSlashes(&out.html);
  } catch (const std::exception& e) {
    return Internal("rendering the " + lang + " dossier failed: " + e.what());
  }
  out.digest = secrets::Sha256Hex(out.html);

  // What a notice to the regulator would lack is what the dossier lacks.
  NoticeInput check;
  check.recipient_kind = RecipientKind::kRegulator;
  check.jurisdiction = in.jurisdiction;
  check.organisation = org;
  check.authorised = in.authorised;
  check.survivor = in.survivor;
  check.reference = in.reference;
  check.depicts_minor = in.depicts_minor;
  check.ai_made = in.ai_made;
  check.signature = in.signature;
  for (const DossierItem& item : in.items) {
    Item& listed = check.items.emplace_back();
    listed.url = item.url;
    // Casework lists only what a notice may name (casework::Nameable); the dossier shows the
    // evidence as each item's checks rather than as one claim.
    listed.evidence = Evidence::kConfirmed;
  }
  out.missing = library.Missing(check);
  return out;
}

}  // namespace takedown::notify
