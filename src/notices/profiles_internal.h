// Internal to notices/: the legal profiles' reader (profiles.cc) and what it shares with the
// notice renderer (render.cc): the recipient kinds, the elements checked against a notice's
// input, and the variables templates and profile texts may use.
#pragma once

#include <toml++/toml.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "notices/render.h"
#include "notices/templates_internal.h"

namespace takedown::notify::internal {

inline constexpr std::array<domain::RecipientKind, 5> kKinds = {
    domain::RecipientKind::kPlatform, domain::RecipientKind::kHost,
    domain::RecipientKind::kRegistrar, domain::RecipientKind::kCdn,
    domain::RecipientKind::kRegulator};

// Element ids checked against the input; any other element id must name a statement.
inline constexpr std::array<std::string_view, 7> kCheckedElements = {
    "signature",     "identification", "location",     "contact",
    "notifier_name", "notifier_email", "authorisation"};

// ------------------------------------------------------------------------------------------
// The variables of notice templates

// Every name a template may use. docs/notices.md describes each; keep the two in step.
inline constexpr Var kVars[] = {
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
    {"ai_text", VarType::kScalar, "", false},
    {"minor_hotline", VarType::kScalar, "", true},
    {"minor_hotline_url", VarType::kScalar, "", true},
    {"regulator_name", VarType::kScalar, "", true},
    {"regulator_url", VarType::kScalar, "", true},
    {"regulator_email", VarType::kScalar, "", true},
    {"first_sent", VarType::kScalar, "", true},
    {"has_previous", VarType::kFlag, "", false},
    {"minor", VarType::kFlag, "", false},
    {"ai", VarType::kFlag, "", false},
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
    {"matched", VarType::kFlag, "items", false},
    {"reported", VarType::kFlag, "items", false},
    {"confirmed", VarType::kFlag, "items", false},
    {"reported_at", VarType::kScalar, "items", false},
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

// An address that looks like one mailbox ("a@b.c", no spaces, brackets or commas).
bool LooksLikeEmail(std::string_view address);

// One data/jurisdictions/<stem>.toml, read strictly (docs/data-jurisdictions.md): every text in
// every template language. Errors name the file and line.
Result<LegalProfile> ReadProfile(const toml::table& root, const std::string& file,
                                 const std::string& stem,
                                 const std::vector<std::string>& languages);

}  // namespace takedown::notify::internal
