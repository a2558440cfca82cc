#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include "catalog/catalog_test_util.h"
#include "store/store_test_util.h"

namespace amtsweg::catalog {
namespace {

using core::Json;
using testing::SampleDepartment;
using testing::SampleForm;
using testing::SampleService;
using testing::SampleTenant;

bool HasPointer(const core::Error& e, std::string_view pointer) {
  for (const auto& d : e.details()) {
    if (d.pointer == pointer) return true;
  }
  return false;
}

class CatalogTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    catalog_ = std::make_unique<Catalog>(*db_);
  }
  void TearDown() override {
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    StoreTest::TearDown();
  }
  int FormVersion(const Json& schema, const std::string& tenant = "amt-musterland") {
    auto f = catalog_->AddFormVersion(tenant, schema);
    EXPECT_TRUE(f.ok()) << f.error().ToString();
    return f.ok() ? (*f)["version"].get<int>() : 0;
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_P(CatalogTest, TenantIsCreatedReadListedAndUpdated) {
  auto created = catalog_->CreateTenant(SampleTenant());
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ((*created)["ars"], "010595988000");
  EXPECT_EQ((*created)["address"]["street"], "Marktstraße 1");
  EXPECT_TRUE(created->contains("createdAt"));

  Json changed = SampleTenant();
  changed["name"] = "Amt Musterland-Süd";
  auto updated = catalog_->UpdateTenant("amt-musterland", changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  EXPECT_EQ((*catalog_->GetTenant("amt-musterland"))["name"], "Amt Musterland-Süd");

  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant("gemeinde-b")).ok());
  auto list = catalog_->ListTenants();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0]["id"], "amt-musterland");
}

TEST_P(CatalogTest, TenantIdIsTakenOnce) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  auto again = catalog_->CreateTenant(SampleTenant());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), core::ErrorCode::kAlreadyExists);
}

TEST_P(CatalogTest, TenantWithBadArsTypeAndFieldsIsRefusedNamingEachField) {
  Json t = SampleTenant();
  t["ars"] = "170595988000";
  t["portal"]["primaryColor"] = "blue";
  t["address"]["postalCode"] = "2498";
  t["mayor"] = "Erika Mustermann";
  auto r = catalog_->CreateTenant(t);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasPointer(r.error(), "/ars")) << r.error().ToString();
  EXPECT_TRUE(HasPointer(r.error(), "/portal/primaryColor")) << r.error().ToString();
  EXPECT_TRUE(HasPointer(r.error(), "/address/postalCode")) << r.error().ToString();
  EXPECT_TRUE(HasPointer(r.error(), "/mayor")) << r.error().ToString();
  EXPECT_EQ(catalog_->ListTenants()->size(), 0u);

  Json kreis = SampleTenant();
  kreis["type"] = "Kreis";  // an Amt's ARS does not fit a Kreis
  auto k = catalog_->CreateTenant(kreis);
  ASSERT_FALSE(k.ok());
  EXPECT_TRUE(HasPointer(k.error(), "/ars")) << k.error().ToString();
}

TEST_P(CatalogTest, UnknownTenantIsNotFound) {
  EXPECT_EQ(catalog_->GetTenant("nope").error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->UpdateTenant("nope", SampleTenant("nope")).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->CreateDepartment("nope", SampleDepartment("bauamt", "Bauamt")).error().code(),
            core::ErrorCode::kNotFound);
}

TEST_P(CatalogTest, DepartmentsBelongToTheirTenant) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant("gemeinde-b")).ok());
  ASSERT_TRUE(catalog_->CreateDepartment("amt-musterland", SampleDepartment("bauamt", "Bauamt")).ok());
  ASSERT_TRUE(catalog_->CreateDepartment("amt-musterland", SampleDepartment("ordnungsamt", "Ordnungsamt")).ok());
  EXPECT_EQ(catalog_->ListDepartments("amt-musterland")->size(), 2u);
  EXPECT_EQ(catalog_->ListDepartments("gemeinde-b")->size(), 0u);
  EXPECT_EQ(catalog_->GetDepartment("gemeinde-b", "bauamt").error().code(), core::ErrorCode::kNotFound);

  Json d = SampleDepartment("bauamt", "Bau- und Planungsamt");
  d["staffGroups"] = {"hochbau", "tiefbau"};
  auto u = catalog_->UpdateDepartment("amt-musterland", "bauamt", d);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ((*u)["staffGroups"], Json({"hochbau", "tiefbau"}));

  Json bad = SampleDepartment("Bau Amt", "");
  auto b = catalog_->CreateDepartment("amt-musterland", bad);
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(HasPointer(b.error(), "/id"));
  EXPECT_TRUE(HasPointer(b.error(), "/name"));
}

TEST_P(CatalogTest, FormVersionsCountUpAndAnUnchangedSchemaKeepsItsVersion) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  EXPECT_EQ(FormVersion(SampleForm()), 1);
  EXPECT_EQ(FormVersion(SampleForm()), 1);
  Json v2 = SampleForm();
  v2["components"][0]["label"] = "Name des Antragstellers";
  EXPECT_EQ(FormVersion(v2), 2);
  auto f1 = catalog_->GetForm("amt-musterland", "aufgrabung", 1);
  ASSERT_TRUE(f1.ok());
  EXPECT_EQ(f1->schema["components"][0]["label"], "Antragsteller");
  auto compiled = catalog_->CompiledForm("amt-musterland", "aufgrabung", 2);
  ASSERT_TRUE(compiled.ok()) << compiled.error().ToString();
  EXPECT_EQ((*compiled)->id(), "aufgrabung");
  auto list = catalog_->ListForms("amt-musterland");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0]["latestVersion"], 2);
  // Every version, newest first, for the designer's version list.
  auto versions = catalog_->ListFormVersions("amt-musterland", "aufgrabung");
  ASSERT_TRUE(versions.ok()) << versions.error().ToString();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0]["version"], 2);
  EXPECT_EQ((*versions)[1]["version"], 1);
  EXPECT_TRUE((*versions)[0]["createdAt"].is_string());
  auto none = catalog_->ListFormVersions("amt-musterland", "nope");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), core::ErrorCode::kNotFound);
  EXPECT_FALSE(catalog_->ListFormVersions("amt-other", "aufgrabung").ok());
}

TEST_P(CatalogTest, FormThatDoesNotCompileIsRefused) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  Json bad = SampleForm();
  bad["components"][0]["type"] = "hologram";
  auto r = catalog_->AddFormVersion("amt-musterland", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->ListForms("amt-musterland")->size(), 0u);
}

TEST_P(CatalogTest, ServiceIsCreatedFoundByGlobalIdAndUpdated) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  ASSERT_TRUE(catalog_->CreateDepartment("amt-musterland", SampleDepartment("tiefbau", "Tiefbau")).ok());
  int v = FormVersion(SampleForm());
  Json body = SampleService("aufgrabung", v, {{"department", "tiefbau"}});
  body["id"] = "aufgrabung-musterland";
  auto s = catalog_->CreateService("amt-musterland", body);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ((*s)["leika"], "99108011000000");

  auto found = catalog_->FindService("aufgrabung-musterland");
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->tenant_id, "amt-musterland");
  EXPECT_EQ(found->form_version, v);
  EXPECT_EQ(found->responsibility.kind, Responsibility::Kind::kFixed);
  EXPECT_EQ(found->responsibility.department_id, "tiefbau");
  EXPECT_EQ(found->processing_days, 14);

  body["responsibility"] = {{"decision", "routing"}};
  body["processingTimeDays"] = 21;
  auto u = catalog_->UpdateService("amt-musterland", "aufgrabung-musterland", body);
  ASSERT_TRUE(u.ok()) << u.error().ToString();
  EXPECT_EQ(catalog_->FindService("aufgrabung-musterland")->responsibility.decision_id, "routing");
  EXPECT_EQ(catalog_->ListServices("amt-musterland")->size(), 1u);

  // Ids are global: another tenant cannot take it.
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant("gemeinde-b")).ok());
  ASSERT_TRUE(catalog_->CreateDepartment("gemeinde-b", SampleDepartment("tiefbau", "Tiefbau")).ok());
  FormVersion(SampleForm(), "gemeinde-b");
  body["responsibility"] = {{"department", "tiefbau"}};
  auto taken = catalog_->CreateService("gemeinde-b", body);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code(), core::ErrorCode::kAlreadyExists);
}

TEST_P(CatalogTest, ServiceWithoutIdGetsOne) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  ASSERT_TRUE(catalog_->CreateDepartment("amt-musterland", SampleDepartment("tiefbau", "Tiefbau")).ok());
  auto s = catalog_->CreateService("amt-musterland", SampleService("aufgrabung", FormVersion(SampleForm()),
                                                                   {{"department", "tiefbau"}}));
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ((*s)["id"].get<std::string>().size(), 36u);
}

TEST_P(CatalogTest, ServiceWithBadLeikaAndDanglingReferencesIsRefused) {
  ASSERT_TRUE(catalog_->CreateTenant(SampleTenant()).ok());
  Json body = SampleService("aufgrabung", 1, {{"department", "tiefbau"}});
  body["leika"] = "9910801100000";
  auto r = catalog_->CreateService("amt-musterland", body);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasPointer(r.error(), "/leika")) << r.error().ToString();

  body["leika"] = "99108011000000";
  auto refs = catalog_->CreateService("amt-musterland", body);
  ASSERT_FALSE(refs.ok());
  EXPECT_TRUE(HasPointer(refs.error(), "/form")) << refs.error().ToString();
  EXPECT_TRUE(HasPointer(refs.error(), "/responsibility/department")) << refs.error().ToString();
  EXPECT_EQ(catalog_->ListServices("amt-musterland")->size(), 0u);

  body["responsibility"] = {{"department", "tiefbau"}, {"decision", "routing"}};
  EXPECT_TRUE(HasPointer(catalog_->CreateService("amt-musterland", body).error(), "/responsibility"));
}

AW_STORE_INSTANTIATE(CatalogTest);

}  // namespace
}  // namespace amtsweg::catalog
