// Test-only: the canned RDAP answers the rdap tests' fake servers give (rdap_test.h): bootstrap
// files, IP networks and domains.
#pragma once

namespace takedown::notify::rdap_testing {

// Answers shaped like the examples of RFC 9083 (IP network, section 5.4) and RFC 9224
// (bootstrap), and like the registry answers of ICANN's gTLD RDAP profile (domain, registrar
// entity with its abuse entity inside). {RIR2} and {REGISTRAR} are replaced by the fixture's
// base addresses.
inline constexpr const char* kIpv4Bootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "description": "RDAP bootstrap file for IPv4 address allocations, for tests",
                     "services"
    : [
      [
        [ "198.51.100.0/24", "203.0.113.0/24", "104.16.0.0/12" ],
        [ "ftp://ignored.example/", "{RIR1}/rdap/" ]
      ],
      [ ["198.51.100.128/25"], ["{RIR2}"] ],
      [ ["192.0.2.0/24"], [ "{RIR1}/wrong/", "https://secure-rir.example/" ] ],
      [ ["198.18.0.0/16"], ["http://metadata.example/"] ], [ ["198.19.0.0/16"], ["{INTERNAL}/"] ],
      [ [ "not a prefix", 7 ], "not a list" ], "not a service"
    ]
})js";

inline constexpr const char* kIpv6Bootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "services": [
    [["2001:db8::/32"], ["{RIR1}/rdap/"]]
  ]
})js";

inline constexpr const char* kDnsBootstrap = R"js({
  "version": "1.0",
  "publication": "2026-11-20T10:11:12Z",
  "services": [
    [["net", "com"], ["https://rdap.verisign.example/com/v1/"]],
    [["test", "io"], ["{REGISTRY}/"]]
  ]
})js";

inline constexpr const char* kHostcoNetwork = R"js({
  "rdapConformance": ["rdap_level_0"],
  "notices": [{"title": "Terms of Use", "description": ["Service subject to terms of use."]}],
  "objectClassName": "ip network",
  "handle": "NET-198-51-100-0-1",
  "startAddress": "198.51.100.0",
  "endAddress": "198.51.100.127",
  "ipVersion": "v4",
  "name": "HOSTCO-NET",
  "type": "DIRECT ALLOCATION",
  "country": "NL",
  "parentHandle": "NET-198-0-0-0-0",
  "status": ["active"],
  "links": [{"value": "https://rir1.example/rdap/ip/198.51.100.7", "rel": "self",
             "href": "https://rir1.example/rdap/ip/198.51.100.0/25",
             "type": "application/rdap+json"}],
  "events": [{"eventAction": "registration", "eventDate": "2011-01-01T00:00:00Z"}],
  "entities": [
    {
      "objectClassName": "entity",
      "handle": "HOSTCO-ORG",
      "roles": ["registrant"],
      "vcardArray": ["vcard", [
        ["version", {}, "text", "4.0"],
        ["fn", {}, "text", "HostCo B.V."],
        ["kind", {}, "text", "org"],
        ["adr", {"type": "work"}, "text", ["", "Suite 1", "1 Example Street", "Amsterdam", "", "1000", "NL"]],
        ["email", {}, "text", "noc@hostco.example"]
      ]],
      "entities": [
        {
          "objectClassName": "entity",
          "handle": "ABUSE-HOSTCO",
          "roles": ["abuse"],
          "vcardArray": ["vcard", [
            ["version", {}, "text", "4.0"],
            ["fn", {}, "text", "HostCo Abuse Desk"],
            ["kind", {}, "text", "group"],
            ["tel", {"type": ["work", "voice"], "pref": "1"}, "uri", "tel:+31-20-555-0100"],
            ["email", {"type": "work"}, "text", "Abuse@HostCo.Example"]
          ]]
        }
      ]
    }
  ]
})js";

// No abuse entity: the registrant's NOC address gives the provider's domain.
inline constexpr const char* kHostco2Network = R"js({
  "objectClassName": "ip network",
  "handle": "NET-198-51-100-128-1",
  "startAddress": "198.51.100.128",
  "endAddress": "198.51.100.200",
  "ipVersion": "v4",
  "name": "HOSTCO2-CUSTOMERS",
  "entities": [
    {"objectClassName": "entity", "handle": "H2-ORG", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "HostCo Two"]]],
     "entities": [
       {"objectClassName": "entity", "handle": "H2-NOC", "roles": ["technical", "noc"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "mailto:noc@eu.hostco2.example"]]]}
     ]}
  ]
})js";

// No entity at all: only the host's own domain is left.
inline constexpr const char* kBareNetwork = R"js({
  "objectClassName": "ip network", "handle": "NET-BARE", "name": "BARE",
  "startAddress": "198.51.100.70", "endAddress": "198.51.100.70"
})js";

inline constexpr const char* kMovedNetwork = R"js({
  "objectClassName": "ip network",
  "handle": "NET-203-0-113-0-1",
  "startAddress": "203.0.113.0",
  "endAddress": "203.0.113.255",
  "name": "TRANSFERRED-NET",
  "entities": [
    {"objectClassName": "entity", "handle": "AB-2", "roles": ["abuse", "technical"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse"],
                              ["email", {}, "text", "abuse@customer.example"]]]}
  ]
})js";

inline constexpr const char* kCloudflareNetwork = R"js({
  "rdapConformance": ["nro_rdap_profile_0", "rdap_level_0", "cidr0", "arin_originas0"],
  "objectClassName": "ip network",
  "handle": "NET-104-16-0-0-1",
  "startAddress": "104.16.0.0",
  "endAddress": "104.31.255.255",
  "name": "CLOUDFLARENET",
  "cidr0_cidrs": [{"v4prefix": "104.16.0.0", "length": 12}],
  "entities": [
    {"objectClassName": "entity", "handle": "CLOUD14", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Cloudflare, Inc."]]],
     "entities": [
       {"objectClassName": "entity", "handle": "ABUSE2916-ARIN", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Abuse"],
                                 ["tel", {"type": ["work", "voice"]}, "text", "+1-650-319-8930"],
                                 ["email", {}, "text", "abuse@cloudflare.com"]]]}
     ]}
  ]
})js";

inline constexpr const char* kV6Network = R"js({
  "objectClassName": "ip network",
  "handle": "XXXX-RIR",
  "startAddress": "2001:db8::",
  "endAddress": "2001:db8:0:ffff:ffff:ffff:ffff:ffff",
  "ipVersion": "v6",
  "name": "NET-RTR-1",
  "entities": [
    {"objectClassName": "entity", "handle": "V6-ABUSE", "roles": ["abuse"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                              ["email", {}, "text", "abuse@v6host.example"]]]}
  ]
})js";

inline constexpr const char* kBadsiteDomain = R"js({
  "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0",
                      "icann_rdap_technical_implementation_guide_0"],
  "objectClassName": "domain",
  "handle": "2336799_DOMAIN_TEST-VRSN",
  "ldhName": "BADSITE.TEST",
  "links": [
    {"value": "{REGISTRY}/domain/badsite.test", "rel": "self",
     "href": "{REGISTRY}/domain/badsite.test", "type": "application/rdap+json"},
    {"value": "{REGISTRY}/domain/badsite.test", "rel": "related",
     "href": "{REGISTRAR}/rdap/domain/badsite.test", "type": "application/rdap+json"}
  ],
  "status": ["client transfer prohibited"],
  "entities": [
    {
      "objectClassName": "entity",
      "handle": "292",
      "roles": ["registrar"],
      "publicIds": [{"type": "IANA Registrar ID", "identifier": "292"}],
      "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                               ["fn", {}, "text", "Example Registrar, Inc."]]],
      "entities": [
        {"objectClassName": "entity", "roles": ["abuse"],
         "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""],
                                  ["tel", {"type": "voice"}, "uri", "tel:+1.5555550199"],
                                  ["email", {}, "text", "abusecomplaints@registrar.example"]]]}
      ]
    }
  ],
  "events": [{"eventAction": "registration", "eventDate": "2020-03-01T10:00:00Z"}],
  "nameservers": [{"objectClassName": "nameserver", "ldhName": "NS1.HOSTCO.EXAMPLE"}]
})js";

// A thin registry: the registrar is named, its abuse contact is at the registrar's server.
inline constexpr const char* kThinDomain = R"js({
  "objectClassName": "domain",
  "ldhName": "thin.test",
  "links": [
    {"value": "{REGISTRY}/domain/thin.test", "rel": "related",
     "href": "{REGISTRAR}/rdap/domain/thin.test", "type": "application/rdap+json"}
  ],
  "entities": [
    {"objectClassName": "entity", "handle": "1234", "roles": ["registrar"],
     "publicIds": [{"type": "IANA Registrar ID", "identifier": "1234"}],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Thin Registrar"]]]}
  ]
})js";

inline constexpr const char* kThinAtRegistrar = R"js({
  "objectClassName": "domain",
  "ldhName": "thin.test",
  "entities": [
    {"objectClassName": "entity", "handle": "1234", "roles": ["registrar"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Thin Registrar LLC"]]],
     "entities": [
       {"objectClassName": "entity", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "abuse@thin-registrar.example"]]]}
     ]}
  ]
})js";

inline constexpr const char* kNoAbuseDomain = R"js({
  "objectClassName": "domain",
  "ldhName": "noabuse.test",
  "entities": [
    {"objectClassName": "entity", "handle": "77", "roles": ["registrar"],
     "publicIds": [{"type": "IANA Registrar ID", "identifier": 77}],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Registrar B"],
                              ["url", {}, "uri", "https://www.registrar-b.example/"]]]},
    {"objectClassName": "entity", "handle": "REG-1", "roles": ["registrant"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                              ["email", {}, "text", "owner@noabuse.test"]]]}
  ]
})js";

inline constexpr const char* kOrphanDomain = R"js({
  "objectClassName": "domain", "ldhName": "orphan.test", "entities": []
})js";

inline constexpr const char* kGithubDomain = R"js({
  "objectClassName": "domain", "ldhName": "github.io",
  "entities": [
    {"objectClassName": "entity", "roles": ["registrar"],
     "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "Registrar C"]]],
     "entities": [
       {"objectClassName": "entity", "roles": ["abuse"],
        "vcardArray": ["vcard", [["version", {}, "text", "4.0"],
                                 ["email", {}, "text", "abuse@registrar-c.example"]]]}
     ]}
  ]
})js";

}  // namespace takedown::notify::rdap_testing
