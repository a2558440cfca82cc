// Test support for postfach/: a tenant with a submitted case whose process
// asks for more information through the Postfach and waits for the reply.
#pragma once

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/catalog_test_util.h"
#include "engine/engine.h"
#include "intake/codes.h"
#include "intake/intake.h"
#include "postfach/postfach.h"
#include "store/store_test_util.h"

namespace amtsweg::postfach::testing {

// start → send task (amtsweg:postfach-nachricht, vorlage nachforderung) →
// catch "angaben-nachgereicht" (key = caseId) → user task → end: the demo's
// Plakatierung in small.
inline const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/test">
<bpmn:message id="msg_nachgereicht" name="angaben-nachgereicht">
  <bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements>
</bpmn:message>
<bpmn:process id="aufgrabung" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:sendTask id="nachfragen" name="Angaben nachfordern">
    <bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:postfach-nachricht" retries="1"/>
      <zeebe:taskHeaders><zeebe:header key="vorlage" value="nachforderung"/></zeebe:taskHeaders></bpmn:extensionElements>
  </bpmn:sendTask>
  <bpmn:intermediateCatchEvent id="nachgereicht" name="Angaben nachgereicht">
    <bpmn:messageEventDefinition messageRef="msg_nachgereicht"/>
  </bpmn:intermediateCatchEvent>
  <bpmn:userTask id="pruefen" name="Antrag prüfen">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="nachfragen"/>
  <bpmn:sequenceFlow id="f2" sourceRef="nachfragen" targetRef="nachgereicht"/>
  <bpmn:sequenceFlow id="f3" sourceRef="nachgereicht" targetRef="pruefen"/>
  <bpmn:sequenceFlow id="f4" sourceRef="pruefen" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

// The catalogue's sample form plus an e-mail field.
inline core::Json FormWithEmail() {
  core::Json f = catalog::testing::SampleForm();
  f["components"].push_back({{"id", "f_mail"}, {"type", "textfield"}, {"key", "email"}, {"label", "E-Mail"}});
  return f;
}

struct SubmittedCase {
  std::string tenant{}, case_id{}, case_number{}, tracking_code{}, key{}, instance_id{};
};

// Submits a case of service "aufgrabung-fix" of `tenant` (set up by SetUpTenant).
inline SubmittedCase Submit(intake::Intake& in, store::Database& db, const std::string& tenant,
                            core::Json data) {
  intake::SubmitRequest r;
  r.service_id = tenant + "-aufgrabung";
  r.data = std::move(data);
  r.request_hash = intake::Sha256Hex(core::DumpJson(r.data));
  std::promise<core::Result<core::Json>> p;
  auto f = p.get_future();
  in.Submit(std::move(r), [&p](core::Result<core::Json> out) { p.set_value(std::move(out)); });
  auto out = f.get();
  EXPECT_TRUE(out.ok()) << out.error().ToString();
  if (!out.ok()) return {};
  SubmittedCase c;
  c.tenant = tenant;
  c.tracking_code = (*out)["trackingCode"];
  c.case_number = (*out)["caseNumber"];
  c.key = (*out)["receipt"]["key"];
  auto canon = intake::NormalizeTrackingCode(c.tracking_code);
  auto row = db.Read([&](store::Tx& tx) -> core::Result<std::optional<store::Row>> {
    return tx.QueryOne("SELECT case_id, instance_id FROM cases WHERE tenant_id = $1 AND tracking_code = $2",
                       {tenant, *canon});
  });
  EXPECT_TRUE(row.ok() && row->has_value());
  if (row.ok() && row->has_value()) {
    c.case_id = (*row)->Text(0);
    c.instance_id = (*row)->Text(1);
  }
  return c;
}

inline void SetUpTenant(catalog::Catalog& catalog, engine::Engine& engine, const std::string& tenant) {
  ASSERT_TRUE(catalog.CreateTenant(catalog::testing::SampleTenant(tenant)).ok());
  ASSERT_TRUE(catalog.CreateDepartment(tenant, catalog::testing::SampleDepartment("tiefbau", "Tiefbau")).ok());
  auto f = catalog.AddFormVersion(tenant, FormWithEmail());
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  auto dep = engine.Deploy(tenant, {{"aufgrabung.bpmn", kProcess}});
  ASSERT_TRUE(dep.ok()) << dep.error().ToString();
  core::Json svc = catalog::testing::SampleService("aufgrabung", 1, {{"department", "tiefbau"}});
  svc["id"] = tenant + "-aufgrabung";
  auto s = catalog.CreateService(tenant, svc);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
}

}  // namespace amtsweg::postfach::testing
