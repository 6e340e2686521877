// Internal to rdap/: the parsed answer the client passes around, and reading RDAP answers
// (rdap_answers.cc), for the client in rdap.cc and rdap_lookup.cc.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rdap/rdap.h"

namespace takedown::notify {
namespace internal {
// A parsed answer and the address it came from: what RdapClient::Get returns and RdapCache keeps.
struct RdapAnswer {
  std::shared_ptr<const nlohmann::json> body;
  std::string url;  // the final address, after redirects
};
}  // namespace internal
}  // namespace takedown::notify

namespace takedown::notify::rdap_internal {

using json = nlohmann::json;
using Answer = internal::RdapAnswer;

// ASCII lower case; spaces and tabs trimmed.
std::string Lower(std::string_view text);
std::string_view Trim(std::string_view text);

// The string member `key` of an object, or "".
std::string StringField(const json& object, const char* key);
// Whether an entity's "roles" hold `role` (lower case).
bool HasRole(const json& entity, std::string_view role);
// The entities under `object` (its "entities", theirs, ...), breadth first, bounded.
std::vector<const json*> Entities(const json& object);

// What an entity's jCard (RFC 7095) says: ["vcard", [[name, params, type, value], ...]].
struct Vcard {
  std::string fn, email, phone, url;
};
Vcard ReadVcard(const json& entity);

// The abuse contact an entity publishes, with the answer it came from.
AbuseContact ContactOf(const json& entity, const std::string& answer_url);
// The first entity with the abuse role that has an email, else the first with a phone, else
// nullptr.
const json* PickAbuse(const std::vector<const json*>& entities);

// The registrable domain by the ICANN section of the public suffix list, or "".
std::string RegistrableDomainOf(std::string_view host);
// The domain of an email address or of a URL, or "".
std::string EmailDomain(const std::string& email);
std::string UrlDomain(const std::string& address);
// abuse@domain, as RFC 2142 asks every domain to accept.
AbuseContact FallbackContact(const std::string& domain);
// How a recognised CDN takes abuse reports.
AbuseContact CdnContact(const std::string& cdn);

// The IP network's range as CIDR (cidr0, else start and end when one prefix, else "start - end").
std::string NetworkCidr(const json& network);
// A bootstrap service's base URL: the first https one, else the first http one, ending in '/'.
std::string PickBaseUrl(const json& urls);

}  // namespace takedown::notify::rdap_internal
