#include "api/multipart.h"

#include <gtest/gtest.h>

namespace amtsweg::api {
namespace {

TEST(Multipart, SplitsFilePartsByteForByte) {
  std::string xml = "<x>\r\n--not-the-boundary\r\n</x>";
  std::string body = "preamble\r\n--BOUND\r\n"
                     "Content-Disposition: form-data; name=\"resources\"; filename=\"a.bpmn\"\r\n"
                     "Content-Type: application/xml\r\n\r\n" + xml + "\r\n--BOUND\r\n"
                     "content-disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--BOUND--\r\n";
  auto parts = ParseMultipart("multipart/form-data; boundary=BOUND", body);
  ASSERT_TRUE(parts.ok()) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "resources");
  EXPECT_EQ((*parts)[0].filename, "a.bpmn");
  EXPECT_EQ((*parts)[0].content_type, "application/xml");
  EXPECT_EQ((*parts)[0].content, xml);
  EXPECT_EQ((*parts)[1].name, "note");
  EXPECT_EQ((*parts)[1].filename, "");
  EXPECT_EQ((*parts)[1].content, "hello");
}

TEST(Multipart, QuotedBoundaryAndEscapedFilename) {
  std::string body = "--a b\r\nContent-Disposition: form-data; name=f; filename=\"x\\\"y.form\"\r\n\r\n{}\r\n--a b--";
  auto parts = ParseMultipart("Multipart/Form-Data; boundary=\"a b\"", body);
  ASSERT_TRUE(parts.ok()) << parts.error().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "f");
  EXPECT_EQ((*parts)[0].filename, "x\"y.form");
  EXPECT_EQ((*parts)[0].content, "{}");
}

TEST(Multipart, RefusesMalformedBodiesWithAReason) {
  auto not_multipart = ParseMultipart("application/json", "{}");
  ASSERT_FALSE(not_multipart.ok());
  EXPECT_NE(not_multipart.error().message().find("multipart/form-data"), std::string::npos);
  auto no_boundary = ParseMultipart("multipart/form-data", "--x--");
  ASSERT_FALSE(no_boundary.ok());
  EXPECT_NE(no_boundary.error().message().find("boundary"), std::string::npos);
  auto unclosed = ParseMultipart("multipart/form-data; boundary=B",
                                 "--B\r\nContent-Disposition: form-data; name=a\r\n\r\ntext without end");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.error().message().find("closing delimiter"), std::string::npos);
  auto no_disposition = ParseMultipart("multipart/form-data; boundary=B", "--B\r\nX-A: 1\r\n\r\nv\r\n--B--");
  ASSERT_FALSE(no_disposition.ok());
  EXPECT_NE(no_disposition.error().message().find("Content-Disposition"), std::string::npos);
}

TEST(Multipart, HeaderParamIsCaseInsensitiveAndAbsentIsEmpty) {
  EXPECT_EQ(HeaderParam("form-data; NAME=\"x\"", "name"), "x");
  EXPECT_EQ(HeaderParam("form-data; name=x", "filename"), "");
  EXPECT_EQ(HeaderParam("form-data", "name"), "");
}

}  // namespace
}  // namespace amtsweg::api
