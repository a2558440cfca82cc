#include "api/multipart.h"

#include <gtest/gtest.h>

namespace amtsweg::api {
namespace {

TEST(ApiMultipart, FindsTheBoundary) {
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").has_value());
  EXPECT_FALSE(MultipartBoundary("application/json; boundary=x").has_value());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).has_value());
}

TEST(ApiMultipart, SplitsFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n"
      "{\"a\":1}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"files::plan\"; filename=\"Lage;plan.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--XyZ inside\r\n"
      "--XyZ--\r\n";
  auto parts = ParseMultipart(body, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "data");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[0].body, "{\"a\":1}");
  EXPECT_EQ((*parts)[1].name, "files::plan");
  EXPECT_EQ((*parts)[1].filename, "Lage;plan.pdf");
  EXPECT_EQ((*parts)[1].content_type, "application/pdf");
  EXPECT_EQ((*parts)[1].body, "%PDF-1.4\r\n--XyZ inside");
}

TEST(ApiMultipart, RefusesMalformedBodies) {
  EXPECT_FALSE(ParseMultipart("garbage", "b").ok());
  EXPECT_FALSE(ParseMultipart("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", "b").ok());
  EXPECT_FALSE(ParseMultipart("--b\r\nX-Other: y\r\n\r\nv\r\n--b--", "b").ok());
  EXPECT_FALSE(ParseMultipart("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--", "b").ok());
  EXPECT_FALSE(ParseMultipart("--b\r\nbroken header\r\n\r\nv\r\n--b--", "b").ok());
  std::string many;
  for (int i = 0; i < 5; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
  many += "--b--";
  EXPECT_TRUE(ParseMultipart(many, "b", 5).ok());
  EXPECT_FALSE(ParseMultipart(many, "b", 4).ok());
}

}  // namespace
}  // namespace amtsweg::api
