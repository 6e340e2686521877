#include "platforms/url.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace takedown::platforms {
namespace {

std::string Norm(std::string_view line) {
  auto url = NormalizeUrl(line);
  EXPECT_TRUE(url.ok()) << line << ": " << url.status().message();
  return url.ok() ? url->normalized : "(error)";
}

// Expects the line to be refused with this code and a message containing `part`.
void ExpectRefused(std::string_view line, std::string_view part,
                   StatusCode code = StatusCode::kInvalidArgument) {
  auto url = NormalizeUrl(line);
  ASSERT_FALSE(url.ok()) << line << " gave " << url->normalized;
  EXPECT_EQ(url.status().code(), code) << line;
  EXPECT_NE(url.status().message().find(part), std::string::npos)
      << line << ": \"" << url.status().message() << "\" lacks \"" << part << "\"";
}

TEST(NormalizeUrl, TrimsAndAssumesHttps) {
  auto url = NormalizeUrl(
      "  \xEF\xBB\xBF"
      "example.com/x\xC2\xA0\r\n");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_EQ(url->original, "example.com/x");
  EXPECT_EQ(url->normalized, "https://example.com/x");
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "example.com");
  EXPECT_EQ(url->registrable_domain, "example.com");
  EXPECT_EQ(Norm("//example.com/x"), "https://example.com/x");
  EXPECT_EQ(Norm("www.example.com:8080/x"), "https://www.example.com:8080/x");
  EXPECT_EQ(Norm("localhost:8080"), "https://localhost:8080/");
}

// What is stored for a link and quoted in notices: the link as pasted, with https:// when it had no
// scheme (issue 20: a scheme-less link stored as pasted failed every notice of its case).
TEST(NormalizeUrl, TheStoredAddressAlwaysHasAScheme) {
  auto bare = NormalizeUrl("www.instagram.com/p/C1a2B3c4D5e/");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->original, "www.instagram.com/p/C1a2B3c4D5e/");
  EXPECT_EQ(bare->url, "https://www.instagram.com/p/C1a2B3c4D5e/");
  EXPECT_EQ(NormalizeUrl("//example.com/x")->url, "https://example.com/x");
  EXPECT_EQ(NormalizeUrl("HTTP://example.com/x")->url, "http://example.com/x");
  auto mega = NormalizeUrl("mega.nz/file/AbCd#KeyAfterTheHash");
  ASSERT_TRUE(mega.ok());
  EXPECT_EQ(mega->url, "https://mega.nz/file/AbCd#KeyAfterTheHash") << "the key opens the file";
  EXPECT_EQ(mega->normalized, "https://mega.nz/file/AbCd");
}

TEST(NormalizeUrl, HttpAndHttpsAreOneKey) {
  auto http = NormalizeUrl("http://example.com/a?b=1");
  auto https = NormalizeUrl("https://example.com/a?b=1");
  ASSERT_TRUE(http.ok() && https.ok());
  EXPECT_EQ(http->normalized, https->normalized);
  EXPECT_EQ(http->scheme, "http");
  EXPECT_EQ(https->scheme, "https");
  // On a port of its own, http is another service than https.
  EXPECT_EQ(Norm("http://example.com:8080/a"), "http://example.com:8080/a");
}

TEST(NormalizeUrl, LowercasesSchemeAndHostButNotPath) {
  EXPECT_EQ(Norm("HTTPS://WWW.Instagram.COM/P/AbC/"), "https://www.instagram.com/P/AbC/");
  EXPECT_EQ(Norm("HtTp://EXAMPLE.com/Q?X=Y"), "https://example.com/Q?X=Y");
}

TEST(NormalizeUrl, RemovesDefaultPortsOnly) {
  EXPECT_EQ(Norm("https://example.com:443/a"), "https://example.com/a");
  EXPECT_EQ(Norm("http://example.com:80/a"), "https://example.com/a");
  EXPECT_EQ(Norm("https://example.com:8443/a"), "https://example.com:8443/a");
  EXPECT_EQ(Norm("https://example.com:80/a"), "https://example.com:80/a");
}

TEST(NormalizeUrl, RemovesFragmentAndEmptyQuery) {
  EXPECT_EQ(Norm("https://example.com/a#comments"), "https://example.com/a");
  EXPECT_EQ(Norm("https://example.com/a?"), "https://example.com/a");
  EXPECT_EQ(Norm("https://example.com/a?#x"), "https://example.com/a");
  EXPECT_EQ(Norm("https://example.com/a?&&"), "https://example.com/a");
  EXPECT_EQ(Norm("https://example.com/a?&b=1&&c=2&"), "https://example.com/a?b=1&c=2");
}

TEST(NormalizeUrl, RemovesTrackingParametersAndKeepsTheOrderOfTheRest) {
  EXPECT_EQ(Norm("https://example.com/p?b=2&utm_source=x&a=1&fbclid=abc&UTM_Medium=y&gclid=1"),
            "https://example.com/p?b=2&a=1");
  for (const char* name :
       {"utm_campaign", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "igsh",
        "mc_cid", "mc_eid", "_hsenc", "_hsmkt", "yclid", "ref_src"}) {
    EXPECT_EQ(Norm(std::string("https://example.com/?z=1&") + name + "=abc&a=2"),
              "https://example.com/?z=1&a=2")
        << name;
  }
  EXPECT_EQ(Norm("https://www.instagram.com/p/abc/?igsh=MXh5"), "https://www.instagram.com/p/abc/");
  EXPECT_EQ(Norm("https://youtu.be/dQw4w9WgXcQ?si=abc"), "https://youtu.be/dQw4w9WgXcQ");
  EXPECT_EQ(Norm("https://www.youtube.com/watch?v=abc&si=x"),
            "https://www.youtube.com/watch?v=abc");
  EXPECT_EQ(Norm("https://x.com/u/status/1?s=20"), "https://x.com/u/status/1");
  EXPECT_EQ(Norm("https://twitter.com/u/status/1?s=46&ref_src=twsrc"),
            "https://twitter.com/u/status/1");
  // Short names are content elsewhere: a search query, a page id.
  EXPECT_EQ(Norm("https://example.com/find?s=name"), "https://example.com/find?s=name");
  EXPECT_EQ(Norm("https://example.com/p?si=12"), "https://example.com/p?si=12");
  EXPECT_EQ(Norm("http://192.168.1.10/find?s=name"), "https://192.168.1.10/find?s=name");
  EXPECT_EQ(Norm("https://example.com/p?utm=1&xutm_source=2"),
            "https://example.com/p?utm=1&xutm_source=2");
}

TEST(NormalizeUrl, NormalisesPercentEncoding) {
  EXPECT_EQ(Norm("https://example.com/%7euser/%41%2f%2F?q=%3d%3D%7E%e4"),
            "https://example.com/~user/A%2F%2F?q=%3D%3D~%E4");
  EXPECT_EQ(Norm("https://example.com/a%zz%4"), "https://example.com/a%25zz%254");
  EXPECT_EQ(Norm("https://example.com/a\"b<c>{d}|^`\\"),
            "https://example.com/a%22b%3Cc%3E%7Bd%7D%7C%5E%60%5C");
  EXPECT_EQ(Norm("https://example.com/ä?q=ä"), "https://example.com/%C3%A4?q=%C3%A4");
  EXPECT_EQ(Norm("https://example.com/a+b?q=a+b&r=(1)"), "https://example.com/a+b?q=a+b&r=(1)");
  EXPECT_EQ(Norm("https://%65xample.com/"), "https://example.com/");
}

TEST(NormalizeUrl, InternationalHostsBecomePunycode) {
  auto url = NormalizeUrl("https://bücher.example/ä");
  ASSERT_TRUE(url.ok()) << url.status().message();
  EXPECT_EQ(url->host, "xn--bcher-kva.example");
  EXPECT_EQ(url->normalized, "https://xn--bcher-kva.example/%C3%A4");
  EXPECT_EQ(Norm("https://BÜCHER.example/ä"), "https://xn--bcher-kva.example/%C3%A4");
  EXPECT_EQ(Norm("https://faß.de/"), "https://xn--fa-hia.de/");  // non-transitional: ß stays
  EXPECT_EQ(Norm("http://例え.テスト/"), "https://xn--r8jz45g.xn--zckzah/");
  EXPECT_EQ(Norm("https://xn--bcher-kva.example/"), "https://xn--bcher-kva.example/");
  auto chinese = NormalizeUrl("https://www.例子.公司.cn/");
  ASSERT_TRUE(chinese.ok()) << chinese.status().message();
  EXPECT_EQ(chinese->registrable_domain, "xn--fsqu00a.xn--55qx5d.cn");
}

TEST(NormalizeUrl, RemovesDotSegmentsAfterDecoding) {
  EXPECT_EQ(Norm("https://example.com/a/./b/../c"), "https://example.com/a/c");
  EXPECT_EQ(Norm("https://example.com/../../x"), "https://example.com/x");
  EXPECT_EQ(Norm("https://example.com/a/%2E%2E/b"), "https://example.com/b");
  EXPECT_EQ(Norm("https://example.com/a/%2e/b"), "https://example.com/a/b");
  EXPECT_EQ(Norm("https://example.com/a/..%2Fb"), "https://example.com/a/..%2Fb");
}

TEST(NormalizeUrl, EmptyPathBecomesSlashAndTrailingHostDotGoes) {
  EXPECT_EQ(Norm("https://example.com"), "https://example.com/");
  EXPECT_EQ(Norm("https://example.com?x=1"), "https://example.com/?x=1");
  EXPECT_EQ(Norm("https://example.com./x"), "https://example.com/x");
}

TEST(NormalizeUrl, RegistrableDomainComesFromThePublicSuffixList) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"https://i.redd.it/x.jpg", "redd.it"},
      {"https://www.bbc.co.uk/news", "bbc.co.uk"},
      {"https://some-site.pages.dev/", "some-site.pages.dev"},  // pages.dev is a public suffix
      {"https://pages.dev/", ""},
      {"http://192.168.1.10/x", ""},
      {"http://[::1]:8080/x", ""},
      {"https://localhost/", ""},
  };
  for (const auto& [line, domain] : cases) {
    auto url = NormalizeUrl(line);
    ASSERT_TRUE(url.ok()) << line << ": " << url.status().message();
    EXPECT_EQ(url->registrable_domain, domain) << line;
  }
}

TEST(NormalizeUrl, IpAddressesAreKeptAsHosts) {
  EXPECT_EQ(Norm("http://192.168.1.10/x"), "https://192.168.1.10/x");
  EXPECT_EQ(Norm("http://[::FFFF:1.2.3.4]:8080/x"), "http://[::ffff:1.2.3.4]:8080/x");
  EXPECT_EQ(Norm("https://[2001:DB8:0:0::1]/"), "https://[2001:db8::1]/");
  EXPECT_EQ(Norm("https://0x7f.1/"), "https://127.0.0.1/");
  EXPECT_EQ(Norm("https://0x7f.1./"), "https://127.0.0.1/");
  EXPECT_EQ(Norm("https://9./"), "https://0.0.0.9/");
}

TEST(NormalizeUrl, RefusesOtherSchemesNamingThem) {
  ExpectRefused("javascript:alert(document.cookie)", "\"javascript:\" scheme");
  ExpectRefused("JavaScript:void(0)", "\"javascript:\" scheme");
  ExpectRefused("data:text/html;base64,PHNjcmlwdD4=", "\"data:\" scheme");
  ExpectRefused("ftp://files.example.com/a.jpg", "\"ftp:\" scheme");
  ExpectRefused("mailto:someone@example.com", "\"mailto:\" scheme");
  ExpectRefused("file:///etc/passwd", "\"file:\" scheme");
  ExpectRefused("blob:https://example.com/1234", "\"blob:\" scheme");
  ExpectRefused("about:blank", "only http and https");
}

TEST(NormalizeUrl, RefusesCredentials) {
  ExpectRefused("https://user:secret@example.com/", "password");
  ExpectRefused("https://user@example.com/", "password");
  ExpectRefused("example.com@evil.example/x", "password");
}

TEST(NormalizeUrl, RefusesGarbage) {
  ExpectRefused("", "empty");
  ExpectRefused(" \r\n\t ", "empty");
  ExpectRefused("http://", "no host");
  ExpectRefused("https://", "no host");
  ExpectRefused("https://./x", "no host");
  ExpectRefused("https:example.com", "two slashes");
  ExpectRefused("https://example.com:99999/", "port");
  ExpectRefused("https://example.com:http/", "port");
  ExpectRefused("https://a..b/", "two in a row");
  ExpectRefused("https://.example.com/", "leading dot");
  ExpectRefused("https://ex<ample.com/", "host name is not valid");
  ExpectRefused("https://ex%21ample.com/", "host name");
  ExpectRefused("https://ex%25ample.com/", "no host name may hold");
  ExpectRefused("http://[::1/", "not valid");
  ExpectRefused("https://" + std::string(64, 'a') + ".com/", "63");
  ExpectRefused("https://xn--a.example/", "international");
}

TEST(NormalizeUrl, RefusesSpacesControlCharactersAndBadUtf8) {
  ExpectRefused("https://example.com/a b", "space");
  ExpectRefused("https://a.example https://b.example", "one address per line");
  ExpectRefused("https://example.com/a\tb", "tab");
  ExpectRefused("https://example.com/a\x01", "control character");
  ExpectRefused("https://example.com/\x7F", "control character");
  ExpectRefused(std::string_view("https://example.com/\0x", 22), "control character");
  ExpectRefused("https://example.com/a\rb", "control character");
  ExpectRefused("https://example.com/\xFF", "UTF-8");
  ExpectRefused("https://b\xC3(cher.example/", "UTF-8");
  ExpectRefused("https://example.com/\xED\xA0\x80", "UTF-8");  // a surrogate
}

TEST(NormalizeUrl, RefusesOverlongLines) {
  const std::string prefix = "https://example.com/";
  const std::string longest = prefix + std::string(kMaxUrlBytes - prefix.size(), 'a');
  EXPECT_EQ(Norm(longest), longest);
  ExpectRefused(longest + "a", "4,096", StatusCode::kTooLarge);
}

TEST(NormalizeUrl, IsIdempotent) {
  for (const char* line :
       {"HTTP://Bücher.Example:80/a/./%7e/%zz/ä?utm_source=1&b=%3d#f", "example.com",
        "https://x.com/u?s=20&t=1", "http://[::1]:8080/a/../b?", "https://example.com/\"<>"}) {
    const std::string once = Norm(line);
    EXPECT_EQ(Norm(once), once) << line;
  }
}

// Random bytes and mutated URLs, for crashes and for the invariants of every accepted line.
TEST(NormalizeUrl, SurvivesRandomAndMutatedInput) {
  const std::vector<std::string> seeds = {"https://www.instagram.com/p/abc/?utm_source=ig#x",
                                          "http://bücher.example:80/a/../%41",
                                          "t.me/channel/1",
                                          "https://[::1]:443/x?y",
                                          "javascript:alert(1)",
                                          "https://u:p@h/",
                                          "https://xn--bcher-kva.example/%zz"};
  const std::string alphabet =
      ":/?#[]@!$&'()*+,;=%.-_~ \t\r\n\x01\x7F\xC3\xA4\xFF\xE2\x80"
      "azAZ09";
  std::mt19937 rng(12345);
  int accepted = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string s;
    if (i % 2 == 0) {
      const size_t n = rng() % 64;
      for (size_t k = 0; k < n; ++k) s += static_cast<char>(rng() & 0xFF);
    } else {
      s = seeds[rng() % seeds.size()];
      for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) {
        const size_t at = rng() % (s.size() + 1);
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
          case 0:
            s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          case 1:
            if (at < s.size()) s.erase(at, 1);
            break;
          default:
            if (at < s.size()) s[at] = c;
            break;
        }
      }
    }
    auto url = NormalizeUrl(s);
    if (!url.ok()) {
      ASSERT_FALSE(url.status().message().empty()) << s;
      continue;
    }
    ++accepted;
    ASSERT_EQ(url->normalized.rfind("http", 0), 0u) << s;
    ASSERT_FALSE(url->host.empty()) << s;
    for (char c : url->normalized) {
      ASSERT_TRUE(c > ' ' && c < 0x7F) << s << " -> " << url->normalized;
    }
    auto again = NormalizeUrl(url->normalized);
    ASSERT_TRUE(again.ok()) << url->normalized << ": " << again.status().message();
    ASSERT_EQ(again->normalized, url->normalized) << s;
  }
  EXPECT_GT(accepted, 10000);
}

}  // namespace
}  // namespace takedown::platforms
