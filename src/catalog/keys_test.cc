#include "catalog/keys.h"

#include <gtest/gtest.h>

namespace amtsweg::catalog {
namespace {

TEST(CatalogArs, AcceptsEachLevelForItsType) {
  // Kreis Schleswig-Flensburg, Amt Mittelangeln, Gemeinde Satrup (Amt Mittelangeln), Kiel (kreisfrei).
  EXPECT_TRUE(CheckArs("010590000000", TenantType::kKreis).ok());
  EXPECT_TRUE(CheckArs("010595988000", TenantType::kAmt).ok());
  EXPECT_TRUE(CheckArs("010595988074", TenantType::kGemeinde).ok());
  EXPECT_TRUE(CheckArs("010020000000", TenantType::kStadt).ok());
  EXPECT_TRUE(CheckArs("010595988074", TenantType::kStadt).ok());
}

TEST(CatalogArs, SplitsIntoItsParts) {
  auto a = CheckArs("010595988074", TenantType::kGemeinde);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->land, "01");
  EXPECT_EQ(a->regierungsbezirk, "0");
  EXPECT_EQ(a->kreis, "59");
  EXPECT_EQ(a->verband, "5988");
  EXPECT_EQ(a->gemeinde, "074");
}

TEST(CatalogArs, RejectsWrongShapeLandAndLevel) {
  EXPECT_FALSE(CheckArs("01059598807", TenantType::kGemeinde).ok());    // 11 digits
  EXPECT_FALSE(CheckArs("0105959880741", TenantType::kGemeinde).ok());  // 13 digits
  EXPECT_FALSE(CheckArs("01059598807x", TenantType::kGemeinde).ok());
  EXPECT_FALSE(CheckArs("170595988074", TenantType::kGemeinde).ok());   // Land 17
  EXPECT_FALSE(CheckArs("000595988074", TenantType::kGemeinde).ok());   // Land 00
  EXPECT_FALSE(CheckArs("010595988000", TenantType::kGemeinde).ok());   // no Gemeinde
  EXPECT_FALSE(CheckArs("010590000000", TenantType::kAmt).ok());        // no Verband
  EXPECT_FALSE(CheckArs("010595988074", TenantType::kAmt).ok());        // a Gemeinde, not the Amt
  EXPECT_FALSE(CheckArs("010595988000", TenantType::kKreis).ok());
  EXPECT_FALSE(CheckArs("010595988000", TenantType::kStadt).ok());      // Verband level
  auto e = CheckArs("170595988074", TenantType::kGemeinde);
  EXPECT_NE(e.error().message().find("Land 17"), std::string::npos) << e.error().message();
}

TEST(CatalogLeika, AcceptsFourteenDigitsOnly) {
  EXPECT_TRUE(CheckLeika("99108011000000").ok());
  EXPECT_FALSE(CheckLeika("9910801100000").ok());
  EXPECT_FALSE(CheckLeika("991080110000000").ok());
  EXPECT_FALSE(CheckLeika("9910801100000a").ok());
  EXPECT_FALSE(CheckLeika("").ok());
}

TEST(CatalogSlug, AcceptsLowerCaseDigitsAndDashes) {
  EXPECT_TRUE(CheckSlug("amt-musterland").ok());
  EXPECT_TRUE(CheckSlug("bauamt2").ok());
  EXPECT_FALSE(CheckSlug("Amt").ok());
  EXPECT_FALSE(CheckSlug("-amt").ok());
  EXPECT_FALSE(CheckSlug("a").ok());
  EXPECT_FALSE(CheckSlug("amt/x").ok());
  EXPECT_FALSE(CheckSlug("amt musterland").ok());
}

TEST(CatalogTenantType, RoundTripsNames) {
  for (auto t : {TenantType::kGemeinde, TenantType::kAmt, TenantType::kStadt, TenantType::kKreis}) {
    EXPECT_EQ(ParseTenantType(TenantTypeName(t)), t);
  }
  EXPECT_FALSE(ParseTenantType("gemeinde").has_value());
}

}  // namespace
}  // namespace amtsweg::catalog
