// The RDAP lookups: IANA's bootstrap registry read for the server to ask (RdapClient::BaseFor),
// then a host's abuse contact (LookupHost) and a domain's registrar (LookupDomain), with their
// fallbacks. Fetching and caching answers is in rdap.cc, reading them in rdap_answers.cc.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "platforms/url.h"
#include "rdap/rdap.h"
#include "rdap/rdap_internal.h"

namespace takedown::notify {

using namespace rdap_internal;  // NOLINT: this file is the client those helpers serve

namespace {

using fetch::Cidr;
using fetch::IpAddress;

}  // namespace

Result<std::string> RdapClient::BaseFor(const std::string& file, std::string_view key) {
  Result<Answer> bootstrap = Get(config_.bootstrap_base + file, "IANA's bootstrap file " + file);
  if (!bootstrap.ok()) return bootstrap.status();
  const json& doc = *bootstrap->body;
  auto services = doc.find("services");
  if (services == doc.end() || !services->is_array()) {
    return Corrupt(bootstrap->url + " is not an RDAP bootstrap file: it has no \"services\"");
  }
  const bool dns = file == "dns.json";
  std::optional<IpAddress> address;
  if (!dns) address = IpAddress::Parse(key);
  const std::string name = dns ? Lower(key) : std::string();

  int best = -1;
  std::string base;
  for (const json& service : *services) {
    if (!service.is_array() || service.size() < 2 || !service[0].is_array() ||
        !service[1].is_array()) {
      continue;
    }
    int score = -1;
    for (const json& entry : service[0]) {
      if (!entry.is_string()) continue;
      if (dns) {
        std::string suffix = Lower(entry.get<std::string>());
        while (!suffix.empty() && suffix.back() == '.') suffix.pop_back();
        if (name == suffix || (name.size() > suffix.size() && name.ends_with("." + suffix))) {
          score = std::max(score, static_cast<int>(suffix.size()));
        }
      } else if (address) {
        Result<Cidr> cidr = Cidr::Parse(entry.get<std::string>());
        if (cidr.ok() && cidr->Contains(*address)) score = std::max(score, cidr->prefix);
      }
    }
    if (score > best) {
      std::string url = PickBaseUrl(service[1]);
      if (!url.empty()) {
        best = score;
        base = url;
      }
    }
  }
  if (base.empty()) {
    std::string why;
    if (address) {
      if (std::optional<std::string> special = fetch::AddressPolicy().WhyRefused(*address)) {
        why = ", which is " + *special + " that no registry serves";
      }
    }
    return NotFound("IANA's RDAP bootstrap registry names no RDAP server for " + std::string(key) +
                    why);
  }
  return base;
}

Result<HostContact> RdapClient::LookupHost(std::string_view host_or_url,
                                           const ResponseHeaders& headers) {
  std::string_view input = Trim(host_or_url);
  if (input.empty()) return InvalidArgument("no host name or address was given");
  HostContact out;
  std::vector<IpAddress> addresses;
  std::string host, host_domain;
  if (std::optional<IpAddress> ip = IpAddress::Parse(input)) {  // a bare IPv6 address
    addresses.push_back(*ip);
    host = ip->ToString();
  } else {
    std::string url(input);
    if (url.find("://") == std::string::npos) url = "https://" + url + "/";
    Result<platforms::NormalizedUrl> parsed = platforms::NormalizeUrl(url);
    if (!parsed.ok()) {
      return InvalidArgument("\"" + std::string(input) + "\" is not a host name, address or URL");
    }
    host = parsed->host;
    host_domain = RegistrableDomainOf(host);
    Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(host);
    if (!literal.ok()) return literal.status();
    if (literal->has_value()) {
      addresses.push_back(**literal);
    } else {
      Result<std::vector<IpAddress>> resolved = config_.resolver(host);
      if (!resolved.ok()) {
        return Status(resolved.status().code(),
                      "could not find the host of " + host + ": " + resolved.status().message());
      }
      if (resolved->empty()) return NotFound(host + " does not resolve to any address");
      addresses = std::move(*resolved);
    }
  }
  for (const IpAddress& a : addresses) out.addresses.push_back(a.ToString());
  const IpAddress* queried = &addresses.front();
  for (const IpAddress& a : addresses) {
    if (a.is_v4()) {
      queried = &a;
      break;
    }
  }
  out.queried_address = queried->ToString();
  out.cdn = RecogniseCdn(addresses, headers);
  if (out.cdn) out.cdn_abuse = CdnContact(*out.cdn);

  // Without an RDAP answer a CDN is still worth writing to: it is all anyone can see of the host.
  auto cdn_only = [&out](const Status& failure) -> Result<HostContact> {
    if (!out.cdn) return failure;
    out.abuse = out.cdn_abuse;
    return out;
  };
  Result<std::string> base =
      BaseFor(queried->is_v4() ? "ipv4.json" : "ipv6.json", out.queried_address);
  if (!base.ok()) return cdn_only(base.status());
  Result<Answer> answer =
      Get(*base + "ip/" + out.queried_address, "the network of " + out.queried_address);
  if (!answer.ok()) return cdn_only(answer.status());
  const json& network = *answer->body;
  std::string kind = StringField(network, "objectClassName");
  if (!kind.empty() && Lower(kind) != "ip network") {
    return cdn_only(Corrupt(answer->url + " answered with an RDAP \"" + kind +
                            "\" object, not an \"ip network\""));
  }
  out.rdap_url = answer->url;
  out.network_handle = StringField(network, "handle");
  out.network_name = StringField(network, "name");
  out.cidr = NetworkCidr(network);

  const std::vector<const json*> entities = Entities(network);
  const json* abuse = PickAbuse(entities);
  if (abuse != nullptr) out.abuse = ContactOf(*abuse, answer->url);
  if (!out.abuse.email.empty()) {
    out.provider_domain = EmailDomain(out.abuse.email);
    return out;
  }
  // No abuse email: abuse@ the provider's domain, from the first email anywhere in the answer
  // (the registrant organisation's, its NOC's), else the host's own registrable domain.
  for (const json* e : entities) {
    std::string domain = EmailDomain(ReadVcard(*e).email);
    if (!domain.empty()) {
      out.provider_domain = domain;
      break;
    }
  }
  if (out.provider_domain.empty()) out.provider_domain = host_domain;
  if (out.provider_domain.empty()) {
    if (abuse != nullptr && !out.abuse.phone.empty()) return out;  // a phone number only
    return cdn_only(NotFound("the RDAP answer for " + out.queried_address + " (" + answer->url +
                             ") names no abuse contact and no domain to write to"));
  }
  AbuseContact fallback = FallbackContact(out.provider_domain);
  fallback.name = out.abuse.name;  // an abuse entity without email may still give these
  fallback.phone = out.abuse.phone;
  fallback.handle = out.abuse.handle;
  out.abuse = fallback;
  return out;
}

Result<RegistrarContact> RdapClient::LookupDomain(std::string_view domain) {
  std::string_view input = Trim(domain);
  if (input.empty()) return InvalidArgument("no domain was given");
  std::string url(input);
  if (url.find("://") == std::string::npos) url = "https://" + url + "/";
  Result<platforms::NormalizedUrl> parsed = platforms::NormalizeUrl(url);
  if (!parsed.ok()) return InvalidArgument("\"" + std::string(input) + "\" is not a domain name");
  if (Result<std::optional<IpAddress>> literal = fetch::ParseHostAddress(parsed->host);
      !literal.ok() || literal->has_value()) {
    return InvalidArgument("\"" + std::string(input) + "\" is an address, not a domain name");
  }
  // The registration: "example.co.uk" for "www.example.co.uk", "github.io" for
  // "someone.github.io" (registries know only what was registered).
  const std::string name = RegistrableDomainOf(parsed->host);
  if (name.empty()) {
    return InvalidArgument("\"" + std::string(input) +
                           "\" is a public suffix, not a domain anyone registers");
  }
  Result<std::string> base = BaseFor("dns.json", name);
  if (!base.ok()) return base.status();
  Result<Answer> answer = Get(*base + "domain/" + name, "the domain " + name);
  if (!answer.ok()) return answer.status();

  if (std::string kind = StringField(*answer->body, "objectClassName");
      !kind.empty() && Lower(kind) != "domain") {
    return Corrupt(answer->url + " answered with an RDAP \"" + kind +
                   "\" object, not a \"domain\"");
  }

  RegistrarContact out;
  out.domain = name;
  out.rdap_url = answer->url;
  // Reads the registrar entity of an answer, and the abuse entity inside it (where ICANN's RDAP
  // profile puts the registrar's abuse contact); keeps the registrar's own domain, from its
  // jCard email or web address, for the fallback.
  std::string registrar_domain;
  auto read_registrar = [&out, &registrar_domain](const json& doc, const std::string& at) -> bool {
    for (const json* e : Entities(doc)) {
      if (!HasRole(*e, "registrar")) continue;
      const Vcard card = ReadVcard(*e);
      if (registrar_domain.empty()) registrar_domain = EmailDomain(card.email);
      if (registrar_domain.empty() && !card.url.empty()) registrar_domain = UrlDomain(card.url);
      if (out.registrar_name.empty()) out.registrar_name = card.fn;
      if (out.registrar_name.empty()) out.registrar_name = StringField(*e, "handle");
      if (out.iana_id.empty()) {
        if (auto ids = e->find("publicIds"); ids != e->end() && ids->is_array()) {
          for (const json& id : *ids) {
            if (Lower(StringField(id, "type")) == "iana registrar id") {
              out.iana_id = StringField(id, "identifier");
              if (out.iana_id.empty() && id.is_object() && id.contains("identifier") &&
                  id["identifier"].is_number_integer()) {
                out.iana_id = std::to_string(id["identifier"].get<int64_t>());
              }
              break;
            }
          }
        }
      }
      if (const json* abuse = PickAbuse(Entities(*e))) {
        out.abuse = ContactOf(*abuse, at);
        out.rdap_url = at;
      }
      return true;
    }
    return false;
  };
  const bool found_registrar = read_registrar(*answer->body, answer->url);

  // A thin registry's answer may leave the contact to the registrar's own RDAP server, linked
  // as "related": ask it once.
  std::string related_error;
  if (out.abuse.email.empty()) {
    std::string related;
    if (auto links = answer->body->find("links");
        links != answer->body->end() && links->is_array()) {
      for (const json& link : *links) {
        std::string href = StringField(link, "href");
        std::string type = Lower(StringField(link, "type"));
        if (Lower(StringField(link, "rel")) == "related" &&
            href.find("/domain/") != std::string::npos &&
            (type == "application/rdap+json" || type.empty()) && href != answer->url) {
          related = href;
          break;
        }
      }
    }
    if (!related.empty()) {
      Result<Answer> registrar = Get(related, "the domain " + name + " at its registrar");
      if (registrar.ok()) {
        read_registrar(*registrar->body, registrar->url);
      } else {
        related_error = " (" + registrar.status().message() + ")";
      }
    }
  }
  if (!found_registrar && out.registrar_name.empty()) {
    return NotFound("the RDAP answer for " + name + " (" + answer->url + ") names no registrar" +
                    related_error);
  }
  if (out.abuse.email.empty()) {
    // abuse@ the registrar's own domain.
    if (registrar_domain.empty()) {
      if (!out.abuse.phone.empty()) return out;  // a phone number only
      return NotFound("the RDAP answer for " + name + " (" + answer->url + ") names " +
                      (out.registrar_name.empty() ? "a registrar" : out.registrar_name) +
                      " but no abuse contact for it" + related_error);
    }
    AbuseContact fallback = FallbackContact(registrar_domain);
    fallback.name = out.abuse.name;
    fallback.phone = out.abuse.phone;
    fallback.handle = out.abuse.handle;
    out.abuse = fallback;
  }
  return out;
}

}  // namespace takedown::notify
