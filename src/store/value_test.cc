#include "store/value.h"

#include <limits>

#include <gtest/gtest.h>

namespace amtsweg::store {
namespace {

TEST(StoreValue, ConstructsEachTypeFromPlainCxxValues) {
  EXPECT_EQ(Value().type(), Value::Type::kNull);
  EXPECT_EQ(Value(nullptr).type(), Value::Type::kNull);
  EXPECT_EQ(Value(static_cast<const char*>(nullptr)).type(), Value::Type::kNull);
  EXPECT_EQ(Value(42).type(), Value::Type::kInt);
  EXPECT_EQ(Value(true).AsInt(), 1);
  EXPECT_EQ(Value(1.5).type(), Value::Type::kReal);
  EXPECT_EQ(Value("a").type(), Value::Type::kText);
  EXPECT_EQ(Value(std::string_view("a")).type(), Value::Type::kText);
  EXPECT_EQ(Value(Bytes{1, 2}).type(), Value::Type::kBlob);
}

TEST(StoreValue, ConvertsLikeSqlite) {
  EXPECT_EQ(Value("123").AsInt(), 123);
  EXPECT_EQ(Value("12.9").AsInt(), 12);
  EXPECT_EQ(Value("abc").AsInt(), 0);
  EXPECT_EQ(Value(-3.7).AsInt(), -3);
  EXPECT_EQ(Value(1e300).AsInt(), std::numeric_limits<int64_t>::max());
  EXPECT_DOUBLE_EQ(Value("2.5").AsReal(), 2.5);
  EXPECT_EQ(Value(7).AsText(), "7");
  EXPECT_EQ(Value(0.1).AsText(), "0.1");
  EXPECT_EQ(Value().AsText(), "");
  EXPECT_EQ(Value("hi").AsBlob(), (Bytes{'h', 'i'}));
  EXPECT_EQ(Value(Bytes{'o', 'k'}).AsText(), "ok");
}

TEST(StoreValue, EqualityDistinguishesTypes) {
  EXPECT_EQ(Value(1), Value(int64_t{1}));
  EXPECT_NE(Value(1), Value(1.0));
  EXPECT_NE(Value("1"), Value(1));
  EXPECT_EQ(Value(), Value(nullptr));
}

TEST(StoreRow, FindsColumnsByName) {
  auto names = std::make_shared<std::vector<std::string>>(std::vector<std::string>{"id", "name"});
  Row row(names, {Value(5), Value("x")});
  EXPECT_EQ(row.size(), 2u);
  EXPECT_EQ(row.Index("name"), 1u);
  EXPECT_EQ(row.Index("missing"), std::nullopt);
  EXPECT_EQ(row.name(0), "id");
  EXPECT_EQ(row.Int(0), 5);
  EXPECT_EQ(row.Text(1), "x");
}

}  // namespace
}  // namespace amtsweg::store
