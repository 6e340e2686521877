// Notices: which required elements of its profile a notice lacks (render.h), the check that
// decides whether casework may send it.
#include <algorithm>
#include <string>
#include <vector>

#include "notices/profiles_internal.h"
#include "notices/render.h"
#include "notices/templates_internal.h"

namespace takedown::notify {

using domain::RecipientKind;
using internal::Blank;
using internal::IsHttpUrl;
using internal::LooksLikeEmail;

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
  std::string unconfirmed;
  for (size_t i = 0; i < in.items.size(); ++i) {
    if (in.items[i].evidence != Evidence::kUnconfirmed) continue;
    unconfirmed += (unconfirmed.empty() ? "" : ", ") + std::to_string(i + 1);
  }
  if (!unconfirmed.empty()) {
    add("confirmation", "a caseworker's confirmation that item " + unconfirmed +
                            " shows the person depicted: it matched none of her images and she "
                            "did not report it");
  }
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

}  // namespace takedown::notify
