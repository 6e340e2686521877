#include "fetch/url_util.h"

#include <gtest/gtest.h>

namespace takedown::fetch::internal {
namespace {

std::string Resolve(std::string_view reference) {
  return ResolveUrl("http://a.example/dir/page.html?x=1", reference).value_or("(dropped)");
}

TEST(UrlUtilTest, ResolvesLikeABrowser) {
  EXPECT_EQ(Resolve("img.jpg"), "http://a.example/dir/img.jpg");
  EXPECT_EQ(Resolve("../img.jpg"), "http://a.example/img.jpg");
  EXPECT_EQ(Resolve("/abs/img.jpg"), "http://a.example/abs/img.jpg");
  EXPECT_EQ(Resolve("//cdn.example/x.png"), "http://cdn.example/x.png");
  EXPECT_EQ(Resolve("?page=2"), "http://a.example/dir/page.html?page=2");
  EXPECT_EQ(Resolve("https://B.Example:443/p"), "https://b.example/p");
  EXPECT_EQ(Resolve("  spaced name.jpg \n"), "http://a.example/dir/spaced%20name.jpg");
  EXPECT_EQ(Resolve("line\nbreak.jpg"), "http://a.example/dir/linebreak.jpg");
  EXPECT_EQ(Resolve("caf\xC3\xA9.jpg"), "http://a.example/dir/caf%C3%A9.jpg");
  EXPECT_EQ(Resolve("img.jpg#frag"), "http://a.example/dir/img.jpg");
  EXPECT_EQ(Resolve("\\\\cdn.example\\x.png"), "http://cdn.example/x.png");
  EXPECT_EQ(Resolve("http://user:pw@c.example/x"), "http://c.example/x");
  EXPECT_EQ(Resolve("https://b\xC3\xBC"
                    "cher.example/x"),
            "https://xn--bcher-kva.example/x");
  EXPECT_EQ(Resolve("http://x.example./p"), "http://x.example/p");
}

TEST(UrlUtilTest, DropsWhatIsNotHttp) {
  EXPECT_EQ(Resolve("data:image/png;base64,AAAA"), "(dropped)");
  EXPECT_EQ(Resolve("javascript:alert(1)"), "(dropped)");
  EXPECT_EQ(Resolve("JavaScript:alert(1)"), "(dropped)");
  EXPECT_EQ(Resolve("mailto:a@b.example"), "(dropped)");
  EXPECT_EQ(Resolve("blob:http://a.example/1"), "(dropped)");
  EXPECT_EQ(Resolve("file:///etc/passwd"), "(dropped)");
  EXPECT_EQ(Resolve("ftp://a.example/x"), "(dropped)");
  EXPECT_EQ(Resolve(""), "(dropped)");
  EXPECT_EQ(Resolve("   "), "(dropped)");
  EXPECT_EQ(Resolve("#top"), "(dropped)");
  EXPECT_EQ(Resolve(std::string(20'000, 'a')), "(dropped)");
}

TEST(UrlUtilTest, ParsesTargets) {
  Result<Target> t = ParseTarget("HTTP://Photos.Example:8080/a/b?c=d#e");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->url, "http://photos.example:8080/a/b?c=d");
  EXPECT_EQ(t->scheme, "http");
  EXPECT_EQ(t->host, "photos.example");
  EXPECT_EQ(t->port, 8080);
  Result<Target> https = ParseTarget("https://x.example/");
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(https->port, 443);
  Result<Target> v6 = ParseTarget("http://[::1]:81/");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
  // curl itself rewrites odd IPv4 spellings; the host the fetcher checks is the one it gets.
  Result<Target> odd = ParseTarget("http://0x7f.1/");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->host, "127.0.0.1");
  EXPECT_FALSE(ParseTarget("ftp://x.example/").ok());
  EXPECT_FALSE(ParseTarget("x.example/path").ok());
  EXPECT_FALSE(ParseTarget("http://user:pw@x.example/").ok());
  EXPECT_FALSE(ParseTarget("http://").ok());
  EXPECT_FALSE(ParseTarget("http://:80/").ok());
  EXPECT_FALSE(ParseTarget("http://exa mple.com/").ok());
}

}  // namespace
}  // namespace takedown::fetch::internal
