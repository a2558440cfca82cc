#include "core/json.h"

#include <gtest/gtest.h>

namespace amtsweg::core {
namespace {

TEST(Json, ParsesValidDocument) {
  auto r = ParseJson(R"({"a": [1, 2, "drei"]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["a"][2], "drei");
}

TEST(Json, MalformedInputNamesLineAndColumn) {
  auto r = ParseJson("{\n  \"a\": 1,\n  \"b\": }\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("line 3"), std::string::npos) << r.error().message();
}

TEST(Json, DumpReplacesInvalidUtf8InsteadOfThrowing) {
  Json j = std::string("ok\xff");
  EXPECT_EQ(DumpJson(j), "\"ok\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace amtsweg::core
