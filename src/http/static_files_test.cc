#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/id.h"

namespace amtsweg::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("aw_static_" + core::NewId());
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / "docs");
    Write(root_ / "index.html", "<html>app</html>");
    Write(root_ / "assets" / "main-abc123.js", "js");
    Write(root_ / "robots.txt", "User-agent: *");
    Write(base_ / "outside.txt", "secret");
    fs::create_symlink(base_ / "outside.txt", root_ / "link.txt");
    fs::create_symlink(base_, root_ / "up");
    Write(root_ / "inner.txt", "inner");
    fs::create_symlink(root_ / "inner.txt", root_ / "inner-link.txt");
    auto files = StaticFiles::Open(root_.string());
    ASSERT_TRUE(files.ok()) << files.error().ToString();
    files_ = std::move(*files);
  }
  void TearDown() override { fs::remove_all(base_); }
  static void Write(const fs::path& p, std::string_view s) { std::ofstream(p, std::ios::binary) << s; }
  std::string BodyOf(std::string_view path) {
    auto r = files_->Serve(path, "");
    return r ? std::string(r->Body()) : "<none>";
  }

  fs::path base_, root_;
  std::unique_ptr<StaticFiles> files_;
};

TEST(ContentType, KnownExtensions) {
  EXPECT_EQ(ContentTypeFor("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("a.jpg"), "image/jpeg");
  EXPECT_EQ(ContentTypeFor("a.webp"), "image/webp");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.js.map"), "application/json");
  EXPECT_EQ(ContentTypeFor("f.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("r.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("m.wasm"), "application/wasm");
  EXPECT_EQ(ContentTypeFor("b.pdf"), "application/pdf");
  EXPECT_EQ(ContentTypeFor("dir.v1/noext"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("x.unknown"), "application/octet-stream");
}

TEST_F(StaticFilesTest, OpenRejectsMissingOrFileRoot) {
  EXPECT_EQ(StaticFiles::Open((base_ / "nope").string()).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(StaticFiles::Open((base_ / "outside.txt").string()).error().code(), core::ErrorCode::kInvalidArgument);
}

TEST_F(StaticFilesTest, ServesFilesAndIndex) {
  EXPECT_EQ(BodyOf("/"), "<html>app</html>");
  EXPECT_EQ(BodyOf("/index.html"), "<html>app</html>");
  EXPECT_EQ(BodyOf("/robots.txt"), "User-agent: *");
  EXPECT_EQ(BodyOf("/inner-link.txt"), "inner");  // symlinks inside the root are fine
  auto js = files_->Serve("/assets/main-abc123.js", "");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->headers.Get("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(files_->Serve("/robots.txt", "")->headers.Get("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, NeverLeavesTheRoot) {
  const std::string_view paths[] = {"/../outside.txt", "/assets/../../outside.txt", "/link.txt",
                                    "/up/outside.txt", "/./index.html", "/a\\..\\outside.txt",
                                    std::string_view("/index.html\0x", 13)};
  for (std::string_view p : paths) {
    auto r = files_->Serve(p, "");
    EXPECT_FALSE(r.has_value()) << p;
  }
}

TEST_F(StaticFilesTest, SymlinkRepointedOutsideAfterCachingIsRefused) {
  EXPECT_EQ(BodyOf("/inner-link.txt"), "inner");  // now cached
  fs::remove(root_ / "inner-link.txt");
  fs::create_symlink(base_ / "outside.txt", root_ / "inner-link.txt");
  EXPECT_FALSE(files_->Serve("/inner-link.txt", "").has_value());
}

TEST_F(StaticFilesTest, SpaFallbackOnlyForRouteLikePaths) {
  EXPECT_EQ(BodyOf("/portal/services/abc"), "<html>app</html>");
  EXPECT_EQ(BodyOf("/docs"), "<html>app</html>");  // a directory is not a file
  auto fallback = files_->Serve("/workspace/inbox", "");
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->headers.Get("Cache-Control"), "no-cache");
  EXPECT_EQ(fallback->headers.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_FALSE(files_->Serve("/api/v1/nothing", ""));
  EXPECT_FALSE(files_->Serve("/api", ""));
  EXPECT_FALSE(files_->Serve("/missing.js", ""));
  EXPECT_FALSE(files_->Serve("/assets/missing", ""));
}

TEST_F(StaticFilesTest, IndexUnderAnAreaPrefixCarriesItsCsp) {
  StaticFilesOptions o;
  o.csp_by_prefix = {{"/designer/", "style-src 'self' 'unsafe-inline'"}, {"/designer/x/", "never reached"}};
  auto files = StaticFiles::Open(root_.string(), o);
  ASSERT_TRUE(files.ok());
  auto page = (*files)->Serve("/designer/amt/form/plakat", "");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->Body(), "<html>app</html>");
  EXPECT_EQ(page->headers.Get("Content-Security-Policy"), "style-src 'self' 'unsafe-inline'");
  EXPECT_EQ((*files)->Serve("/designer/x/y", "")->headers.Get("Content-Security-Policy"),
            "style-src 'self' 'unsafe-inline'");  // the first match
  // Other routes, files and assets keep the server's default (no header of their own).
  EXPECT_FALSE((*files)->Serve("/amt/leistungen", "")->headers.Get("Content-Security-Policy").has_value());
  EXPECT_FALSE((*files)->Serve("/designerx", "")->headers.Get("Content-Security-Policy").has_value());
  EXPECT_FALSE((*files)->Serve("/robots.txt", "")->headers.Get("Content-Security-Policy").has_value());
}

TEST_F(StaticFilesTest, EtagAndConditionalRequests) {
  auto first = files_->Serve("/robots.txt", "");
  ASSERT_TRUE(first);
  std::string etag(*first->headers.Get("ETag"));
  EXPECT_TRUE(etag.starts_with("\"") && etag.ends_with("\""));
  EXPECT_EQ(files_->Serve("/robots.txt", etag)->status, 304);
  EXPECT_EQ(files_->Serve("/robots.txt", "W/" + etag)->status, 304);
  EXPECT_EQ(files_->Serve("/robots.txt", "\"a\", " + etag)->status, 304);
  EXPECT_EQ(files_->Serve("/robots.txt", "*")->status, 304);
  EXPECT_EQ(files_->Serve("/robots.txt", "\"other\"")->status, 200);
  auto not_modified = files_->Serve("/robots.txt", etag);
  EXPECT_TRUE(not_modified->Body().empty());
  EXPECT_EQ(not_modified->headers.Get("ETag"), etag);
}

TEST_F(StaticFilesTest, ChangedFileIsReloadedWithNewEtag) {
  auto before = files_->Serve("/robots.txt", "");
  ASSERT_TRUE(before);
  std::string etag(*before->headers.Get("ETag"));
  Write(root_ / "robots.txt", "User-agent: none, longer");
  auto after = files_->Serve("/robots.txt", etag);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->Body(), "User-agent: none, longer");
  EXPECT_NE(after->headers.Get("ETag"), etag);
  EXPECT_EQ(before->Body(), "User-agent: *");  // a response in flight keeps its content
}

TEST(AcceptEncoding, CodingOnlyWhenOfferedWithNonZeroWeight) {
  EXPECT_TRUE(AcceptsCoding("gzip", "gzip"));
  EXPECT_TRUE(AcceptsCoding("gzip, deflate, br, zstd", "gzip"));
  EXPECT_TRUE(AcceptsCoding("gzip, deflate, br, zstd", "br"));
  EXPECT_TRUE(AcceptsCoding("br;q=1.0, GZIP;q=0.5", "gzip"));
  EXPECT_TRUE(AcceptsCoding("*", "br"));
  EXPECT_TRUE(AcceptsCoding("x-gzip", "gzip"));
  EXPECT_FALSE(AcceptsCoding("", "gzip"));
  EXPECT_FALSE(AcceptsCoding("identity", "gzip"));
  EXPECT_FALSE(AcceptsCoding("br, deflate", "gzip"));
  EXPECT_FALSE(AcceptsCoding("gzip, deflate", "br"));
  EXPECT_FALSE(AcceptsCoding("gzip;q=0", "gzip"));
  EXPECT_FALSE(AcceptsCoding("gzip; q=0.000, *", "gzip"));
  EXPECT_FALSE(AcceptsCoding("*;q=0", "gzip"));
  EXPECT_FALSE(AcceptsCoding("gzipper", "gzip"));
}

TEST_F(StaticFilesTest, PrecompressedTwinServedOnlyToGzipClients) {
  Write(root_ / "assets" / "main-abc123.js.gz", "GZ-BYTES");
  auto plain = files_->Serve("/assets/main-abc123.js", "", "br");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->Body(), "js");
  EXPECT_FALSE(plain->headers.Get("Content-Encoding").has_value());
  EXPECT_EQ(plain->headers.Get("Vary"), "Accept-Encoding");

  auto gz = files_->Serve("/assets/main-abc123.js", "", "gzip, deflate");
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->status, 200);
  EXPECT_EQ(gz->Body(), "GZ-BYTES");
  EXPECT_EQ(gz->headers.Get("Content-Encoding"), "gzip");
  EXPECT_EQ(gz->headers.Get("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gz->headers.Get("Vary"), "Accept-Encoding");
  // The two representations have different validators.
  std::string gz_etag(*gz->headers.Get("ETag"));
  EXPECT_NE(gz_etag, *plain->headers.Get("ETag"));
  EXPECT_EQ(files_->Serve("/assets/main-abc123.js", gz_etag, "gzip")->status, 304);
  EXPECT_EQ(files_->Serve("/assets/main-abc123.js", gz_etag, "")->status, 200);
}

TEST_F(StaticFilesTest, BrotliPreferredOverGzipWhenBothAreAccepted) {
  Write(root_ / "assets" / "main-abc123.js.gz", "GZ-BYTES");
  Write(root_ / "assets" / "main-abc123.js.br", "BR-BYTES");
  auto br = files_->Serve("/assets/main-abc123.js", "", "gzip, deflate, br");
  ASSERT_TRUE(br);
  EXPECT_EQ(br->Body(), "BR-BYTES");
  EXPECT_EQ(br->headers.Get("Content-Encoding"), "br");
  auto gz = files_->Serve("/assets/main-abc123.js", "", "gzip");
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->Body(), "GZ-BYTES");
  EXPECT_NE(*gz->headers.Get("ETag"), *br->headers.Get("ETag"));
  auto refused = files_->Serve("/assets/main-abc123.js", "", "br;q=0, gzip");
  EXPECT_EQ(refused->headers.Get("Content-Encoding"), "gzip");
}

TEST_F(StaticFilesTest, StaleTwinAndSpaFallbackTwin) {
  // A .gz older than its file (a rebuild that did not compress) is ignored.
  Write(root_ / "robots.txt.gz", "OLD");
  fs::last_write_time(root_ / "robots.txt.gz", fs::last_write_time(root_ / "robots.txt") - std::chrono::hours(1));
  auto r = files_->Serve("/robots.txt", "", "gzip");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Body(), "User-agent: *");
  EXPECT_FALSE(r->headers.Get("Content-Encoding").has_value());
  // Client routes get index.html and, for gzip clients, its twin.
  Write(root_ / "index.html.gz", "GZ-INDEX");
  auto page = files_->Serve("/amt/leistungen/x", "", "gzip");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->Body(), "GZ-INDEX");
  EXPECT_EQ(page->headers.Get("Content-Type"), "text/html; charset=utf-8");
}

constexpr std::string_view kHints = R"({"routes": [
  {"pattern": "/:tenant", "hints": [{"href": "/api/v1/services?tenant=:tenant", "as": "fetch"}]},
  {"pattern": "/:tenant/leistungen/:service/antrag", "hints": [
    {"href": "/api/v1/services/:service", "as": "fetch"},
    {"href": "/assets/Apply-1.js", "as": "modulepreload"},
    {"href": "/assets/form-2.css", "as": "style"}]}]})";

TEST(RouteHints, LinksForTheFirstMatchingPatternWithEncodedCaptures) {
  auto hints = ParseRouteHints(kHints);
  ASSERT_TRUE(hints.ok()) << hints.error().ToString();
  EXPECT_EQ(RouteHintLinks(*hints, "/amt/leistungen/plakat/antrag"),
            "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/v1/services/plakat\">"
            "<link rel=\"modulepreload\" href=\"/assets/Apply-1.js\">"
            "<link rel=\"preload\" as=\"style\" crossorigin href=\"/assets/form-2.css\">");
  // Captures are encoded like encodeURIComponent: nothing can close the attribute.
  EXPECT_EQ(RouteHintLinks(*hints, "/a\"><script>x ü"),
            "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/v1/services?tenant=a%22%3E%3Cscript%3Ex%20%C3%BC\">");
  EXPECT_EQ(RouteHintLinks(*hints, "/a-b_c.d!~*'()/"), "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/v1/services?tenant=a-b_c.d!~*'()\">");
  EXPECT_EQ(RouteHintLinks(*hints, "/amt/leistungen/plakat"), "");        // no pattern with 3 segments
  EXPECT_EQ(RouteHintLinks(*hints, "/amt/leistung/plakat/antrag"), "");  // literal differs
  EXPECT_EQ(RouteHintLinks(*hints, "/"), "");
}

TEST(RouteHints, BadFileNamesTheField) {
  EXPECT_FALSE(ParseRouteHints("{").ok());
  auto no_routes = ParseRouteHints(R"({"x": 1})");
  ASSERT_FALSE(no_routes.ok());
  EXPECT_NE(no_routes.error().message().find("'routes'"), std::string::npos);
  auto bad_as = ParseRouteHints(R"({"routes": [{"pattern": "/:t", "hints": [{"href": "/x", "as": "image"}]}]})");
  ASSERT_FALSE(bad_as.ok());
  EXPECT_NE(bad_as.error().message().find("routes[0].hints[0].as"), std::string::npos);
  auto foreign = ParseRouteHints(R"({"routes": [{"pattern": "/:t", "hints": [{"href": "https://evil/x", "as": "fetch"}]}]})");
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message().find("routes[0].hints[0].href"), std::string::npos);
  auto pattern = ParseRouteHints(R"({"routes": [{"pattern": "x", "hints": []}]})");
  ASSERT_FALSE(pattern.ok());
  EXPECT_NE(pattern.error().message().find("routes[0].pattern"), std::string::npos);
}

TEST_F(StaticFilesTest, IndexCarriesTheRouteHintsOfItsPath) {
  Write(root_ / "index.html", "<html><head><title>t</title></head><body></body></html>");
  Write(root_ / "index.html.gz", "GZ-INDEX");
  Write(root_ / "route-hints.json", std::string(kHints));
  auto page = files_->Serve("/amt/leistungen/plakat/antrag", "", "gzip, br");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->Body(), "<html><head><title>t</title>"
                          "<link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/v1/services/plakat\">"
                          "<link rel=\"modulepreload\" href=\"/assets/Apply-1.js\">"
                          "<link rel=\"preload\" as=\"style\" crossorigin href=\"/assets/form-2.css\">"
                          "</head><body></body></html>");
  EXPECT_FALSE(page->headers.Get("Content-Encoding").has_value());  // built per route, not the twin
  EXPECT_EQ(page->headers.Get("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->headers.Get("Cache-Control"), "no-cache");
  std::string etag(*page->headers.Get("ETag"));
  EXPECT_EQ(files_->Serve("/amt/leistungen/plakat/antrag", etag)->status, 304);
  // Another route, another body and ETag; the plain index keeps its own.
  auto other = files_->Serve("/amt/leistungen/zweites/antrag", etag);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  EXPECT_NE(other->headers.Get("ETag"), etag);
  auto plain = files_->Serve("/amt/leistungen/plakat", "", "gzip");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->Body(), "GZ-INDEX");
  EXPECT_EQ(files_->Serve("/index.html", "")->Body(), "<html><head><title>t</title></head><body></body></html>");
  // A changed hints file is read again; a broken one leaves the index as it is.
  Write(root_ / "route-hints.json", R"({"routes": [{"pattern": "/:tenant/leistungen/:s/antrag", "hints": []}]})");
  EXPECT_EQ(BodyOf("/amt/leistungen/plakat/antrag"), "<html><head><title>t</title></head><body></body></html>");
  Write(root_ / "route-hints.json", "{broken");
  EXPECT_EQ(BodyOf("/amt/leistungen/plakat/antrag"), "<html><head><title>t</title></head><body></body></html>");
}

}  // namespace
}  // namespace amtsweg::http
