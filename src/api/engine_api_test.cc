// The engine's REST API over real HTTP: an in-process http::Server with the
// engine routes, on SQLite and (with AMTSWEG_TEST_PG_URL) PostgreSQL.
#include "api/engine_api.h"

#include <set>

#include <gtest/gtest.h>

#include "engine/engine_test_util.h"
#include "http/client.h"
#include "http/server.h"

namespace amtsweg::api {
namespace {

using core::Json;
using engine::testing::Flow;
using engine::testing::Model;
using engine::testing::ServiceTask;

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  Json json;
};

class EngineApiTest : public engine::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    RegisterEngineRoutes(router_, *engine_);
    http::Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto server = http::Server::Start(o, router_, http_metrics_);
    ASSERT_TRUE(server.ok()) << server.error().ToString();
    server_ = std::move(*server);
  }
  void TearDown() override {
    if (server_) server_->Stop(std::chrono::seconds(1));
    server_.reset();
    EngineTest::TearDown();
  }

  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& content_type = "application/json") {
    http::FetchRequest req;
    req.method = method;
    req.url = "http://127.0.0.1:" + std::to_string(server_->port()) + path;
    req.body = body;
    if (!body.empty()) req.headers.Add("Content-Type", content_type);
    auto res = http::Fetch(req);
    Reply r;
    EXPECT_TRUE(res.ok()) << res.error().ToString();
    if (!res.ok()) return r;
    r.status = res->status;
    r.content_type = std::string(res->headers.Get("Content-Type").value_or(""));
    r.body = res->body;
    if (r.content_type.find("json") != std::string::npos && !r.body.empty()) {
      auto j = core::ParseJson(r.body);
      EXPECT_TRUE(j.ok()) << r.body;
      if (j.ok()) r.json = *j;
    }
    return r;
  }
  Reply Call(const std::string& method, const std::string& path, const Json& body) {
    return Call(method, path, core::DumpJson(body));
  }
  static std::string T(std::string_view rest, std::string_view tenant = "t1") {
    return "/api/v1/tenants/" + std::string(tenant) + std::string(rest);
  }
  Reply DeployJson(const std::string& name, const std::string& content, std::string_view tenant = "t1") {
    return Call("POST", T("/deployments", tenant), Json{{"resources", {{{"name", name}, {"content", content}}}}});
  }
  std::string StartVia(const std::string& process, const Json& vars = Json::object()) {
    Reply r = Call("POST", T("/process-instances"), Json{{"processId", process}, {"variables", vars}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("instanceId", "");
  }

  http::Router router_;
  core::metrics::Registry http_metrics_;
  std::unique_ptr<http::Server> server_;
};

const std::string kApproval = Model("approve", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="check" name="Check the application">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="clerks, building"/></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "check") + Flow("f2", "check", "end"));

TEST_P(EngineApiTest, DeploysListsAndReturnsTheXmlByteForByte) {
  Reply d = DeployJson("approve.bpmn", kApproval);
  ASSERT_EQ(d.status, 201) << d.body;
  ASSERT_EQ(d.json["definitions"].size(), 1u);
  std::string key = d.json["definitions"][0]["key"];
  EXPECT_EQ(d.json["definitions"][0]["version"], 1);
  EXPECT_EQ(d.json["definitions"][0]["isNew"], true);

  // The same file again reuses version 1; a changed file, sent as multipart, makes version 2.
  Reply again = DeployJson("approve.bpmn", kApproval);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json["definitions"][0]["isNew"], false);
  std::string changed = kApproval;
  changed.replace(changed.find("Check the application"), 5, "Audit");
  std::string multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"resources\"; filename=\"approve.bpmn\"\r\n"
                          "Content-Type: application/xml\r\n\r\n" + changed + "\r\n--XyZ--\r\n";
  Reply v2 = Call("POST", T("/deployments"), multipart, "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(v2.status, 201) << v2.body;
  EXPECT_EQ(v2.json["definitions"][0]["version"], 2);
  std::string key2 = v2.json["definitions"][0]["key"];

  Reply all = Call("GET", T("/process-definitions?processId=approve"));
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.json["items"].size(), 2u);
  Reply latest = Call("GET", T("/process-definitions?latest=true"));
  ASSERT_EQ(latest.json["items"].size(), 1u);
  EXPECT_EQ(latest.json["items"][0]["key"], key2);

  Reply one = Call("GET", T("/process-definitions/" + key));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json["id"], "approve");
  EXPECT_EQ(one.json["version"], 1);
  Reply xml = Call("GET", T("/process-definitions/" + key + "/xml"));
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(xml.content_type, "application/xml");
  EXPECT_EQ(xml.body, kApproval);
  EXPECT_EQ(Call("GET", T("/process-definitions/" + key2 + "/xml")).body, changed);

  // Start the latest version, or a given one.
  Reply latest_start = Call("POST", T("/process-instances"), Json{{"processId", "approve"}});
  ASSERT_EQ(latest_start.status, 201) << latest_start.body;
  EXPECT_EQ(Call("GET", T("/process-instances/" + latest_start.json["instanceId"].get<std::string>())).json["version"], 2);
  Reply v1_start = Call("POST", T("/process-instances"), Json{{"processId", "approve"}, {"version", 1}});
  ASSERT_EQ(v1_start.status, 201) << v1_start.body;
  EXPECT_EQ(Call("GET", T("/process-instances/" + v1_start.json["instanceId"].get<std::string>())).json["version"], 1);
  EXPECT_EQ(Call("POST", T("/process-instances"), Json{{"processId", "approve"}, {"version", 9}}).status, 404);
  EXPECT_EQ(Call("POST", T("/process-instances"), Json{{"processId", "approve"}, {"version", "1"}}).status, 400);

  // Another tenant sees none of it.
  EXPECT_EQ(Call("GET", T("/process-definitions/" + key, "t2")).status, 404);
  EXPECT_EQ(Call("GET", T("/process-definitions", "t2")).json["items"].size(), 0u);
}

// The designer lists and opens every kind: processes, decisions and forms.
TEST_P(EngineApiTest, DefinitionsOfEveryKindAreListedAndTheirFilesReturned) {
  ASSERT_EQ(DeployJson("approve.bpmn", kApproval).status, 201);
  const std::string form = R"({"type": "default", "id": "antrag", "schemaVersion": 16, "components": [
    {"type": "textfield", "key": "name", "label": "Name"}]})";
  Reply f = DeployJson("antrag.form", form);
  ASSERT_EQ(f.status, 201) << f.body;
  std::string form_key = f.json["definitions"][0]["key"];

  Reply all = Call("GET", T("/definitions"));
  ASSERT_EQ(all.status, 200) << all.body;
  std::set<std::string> kinds;
  for (const Json& d : all.json["items"]) kinds.insert(d["kind"].get<std::string>() + ":" + d["id"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"form:antrag", "process:approve"}));
  Reply forms = Call("GET", T("/definitions?kind=form"));
  ASSERT_EQ(forms.json["items"].size(), 1u);
  EXPECT_EQ(forms.json["items"][0]["key"], form_key);
  EXPECT_EQ(Call("GET", T("/definitions?kind=form&id=approve")).json["items"].size(), 0u);
  Reply bad = Call("GET", T("/definitions?kind=plugin"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("/kind"), std::string::npos);
  // The process list stays what it was: processes only.
  EXPECT_EQ(Call("GET", T("/process-definitions")).json["items"].size(), 1u);

  Reply file = Call("GET", T("/definitions/" + form_key + "/resource"));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.content_type, "application/json");
  EXPECT_EQ(file.body, form);
  EXPECT_EQ(Call("GET", T("/definitions/" + form_key + "/resource", "t2")).status, 404);
  EXPECT_EQ(Call("GET", T("/definitions", "t2")).json["items"].size(), 0u);
}

TEST_P(EngineApiTest, RefusedModelsAre422WithTheElementIds) {
  // A compensation throw event is not executed: refused at deployment, naming the element.
  Reply r = DeployJson("bad.bpmn", Model("bad", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition/></bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="end"/>
    )" + Flow("f1", "start", "undo") + Flow("f2", "undo", "end")));
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  ASSERT_TRUE(r.json.contains("errors")) << r.body;
  std::set<std::string> pointers;
  for (const auto& e : r.json["errors"]) pointers.insert(e["pointer"]);
  EXPECT_TRUE(pointers.count("undo")) << r.body;

  Reply bad_kind = DeployJson("notes.txt", "hello");
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_NE(bad_kind.json.value("detail", "").find("resources[0].name"), std::string::npos) << bad_kind.body;
  EXPECT_EQ(Call("GET", T("/process-definitions")).json["items"].size(), 0u) << "nothing stored";
}

TEST_P(EngineApiTest, UserTaskLifecycleOverTheApi) {
  ASSERT_EQ(DeployJson("approve.bpmn", kApproval).status, 201);
  Reply started = Call("POST", T("/process-instances"), Json{{"processId", "approve"}, {"variables", {{"a", 1}}}});
  ASSERT_EQ(started.status, 201) << started.body;
  std::string id = started.json["instanceId"];

  Reply inst = Call("GET", T("/process-instances/" + id));
  ASSERT_EQ(inst.status, 200);
  EXPECT_EQ(inst.json["state"], "active");
  EXPECT_EQ(inst.json["activeElements"], Json::array({"check"}));
  EXPECT_EQ(inst.json["variables"]["a"], 1);

  Reply tasks = Call("GET", T("/user-tasks?candidateGroup=building&processInstanceId=" + id));
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  ASSERT_EQ(tasks.json["items"].size(), 1u);
  std::string task = tasks.json["items"][0]["taskId"];
  EXPECT_EQ(tasks.json["items"][0]["name"], "Check the application");
  EXPECT_EQ(Call("GET", T("/user-tasks?candidateGroup=police")).json["items"].size(), 0u);

  EXPECT_EQ(Call("POST", T("/user-tasks/" + task + "/assignment"), Json{{"assignee", "alice"}}).status, 204);
  Reply taken = Call("POST", T("/user-tasks/" + task + "/assignment"), Json{{"assignee", "bob"}});
  EXPECT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(Call("GET", T("/user-tasks/" + task)).json["assignee"], "alice");
  EXPECT_EQ(Call("GET", T("/user-tasks?assignee=alice")).json["items"].size(), 1u);
  EXPECT_EQ(Call("DELETE", T("/user-tasks/" + task + "/assignee")).status, 204);
  EXPECT_TRUE(Call("GET", T("/user-tasks/" + task)).json["assignee"].is_null());
  EXPECT_EQ(Call("GET", T("/user-tasks/" + task, "t2")).status, 404) << "tenant-scoped";

  Reply done = Call("POST", T("/user-tasks/" + task + "/completion"), Json{{"variables", {{"approved", true}}}});
  EXPECT_EQ(done.status, 204) << done.body;
  EXPECT_EQ(Call("GET", T("/user-tasks/" + task)).status, 404);
  Reply vars = Call("GET", T("/process-instances/" + id + "/variables"));
  EXPECT_EQ(vars.json["variables"], (Json{{"a", 1}, {"approved", true}}));
  EXPECT_EQ(Call("GET", T("/process-instances/" + id)).json["state"], "completed");

  Reply history = Call("GET", T("/process-instances/" + id + "/history"));
  ASSERT_EQ(history.status, 200);
  std::vector<std::string> events;
  for (const auto& e : history.json["items"]) events.push_back(e["event"]);
  EXPECT_NE(std::find(events.begin(), events.end(), "user_task_assigned"), events.end());
  EXPECT_NE(std::find(events.begin(), events.end(), "user_task_completed"), events.end());
  EXPECT_EQ(events.front(), "instance_started");
}

TEST_P(EngineApiTest, InstancesArePagedByCursorInCreationOrder) {
  ASSERT_EQ(DeployJson("approve.bpmn", kApproval).status, 201);
  std::vector<std::string> started;
  for (int i = 0; i < 25; ++i) started.push_back(StartVia("approve"));
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    Reply page = Call("GET", T("/process-instances?processId=approve&state=active&limit=10") +
                                 (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& i : page.json["items"]) seen.push_back(i["instanceId"]);
    cursor = page.json["nextCursor"].is_null() ? "" : page.json["nextCursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, started) << "every instance once, in creation order";
  // A task list pages the same way.
  Reply tasks = Call("GET", T("/user-tasks?limit=20"));
  EXPECT_EQ(tasks.json["items"].size(), 20u);
  EXPECT_FALSE(tasks.json["nextCursor"].is_null());
  EXPECT_EQ(Call("GET", T("/user-tasks?limit=20&cursor=" + tasks.json["nextCursor"].get<std::string>()))
                .json["items"].size(), 5u);

  EXPECT_EQ(Call("GET", T("/process-instances?state=completed")).json["items"].size(), 0u);
  Reply bad_cursor = Call("GET", T("/process-instances?cursor=abc"));
  EXPECT_EQ(bad_cursor.status, 400);
  EXPECT_NE(bad_cursor.json.value("detail", "").find("cursor"), std::string::npos);
  Reply bad_limit = Call("GET", T("/process-instances?limit=0"));
  EXPECT_EQ(bad_limit.status, 400);
  EXPECT_NE(bad_limit.json.value("detail", "").find("limit"), std::string::npos);
  EXPECT_EQ(Call("GET", T("/process-instances?state=sleeping")).status, 400);
}

TEST_P(EngineApiTest, JobsFailRaiseIncidentsAndAreResolved) {
  ASSERT_EQ(DeployJson("svc.bpmn", Model("svc", R"(<bpmn:startEvent id="start"/>)" + ServiceTask("work", "compute") +
                                                    R"(<bpmn:endEvent id="end"/>)" + Flow("f1", "start", "work") +
                                                    Flow("f2", "work", "end")))
                .status,
            201);
  std::string id = StartVia("svc", {{"n", 2}});
  Reply jobs = Call("POST", T("/jobs/activation"), Json{{"type", "compute"}, {"worker", "w1"}, {"maxJobs", 5}});
  ASSERT_EQ(jobs.status, 200) << jobs.body;
  ASSERT_EQ(jobs.json["jobs"].size(), 1u);
  std::string job = jobs.json["jobs"][0]["jobId"];
  EXPECT_EQ(jobs.json["jobs"][0]["variables"]["n"], 2);
  EXPECT_EQ(jobs.json["jobs"][0]["processInstanceId"], id);

  Reply failed = Call("POST", T("/jobs/" + job + "/failure"), Json{{"retries", 0}, {"errorMessage", "backend down"}});
  ASSERT_EQ(failed.status, 204) << failed.body;
  Reply incidents = Call("GET", T("/incidents?processInstanceId=" + id));
  ASSERT_EQ(incidents.json["items"].size(), 1u) << incidents.body;
  EXPECT_EQ(incidents.json["items"][0]["message"], "backend down");
  std::string incident = incidents.json["items"][0]["incidentId"];
  EXPECT_EQ(Call("POST", T("/incidents/" + incident + "/resolution")).status, 409) << "no retries yet";
  EXPECT_EQ(Call("PATCH", T("/jobs/" + job), Json{{"retries", 2}}).status, 204);
  EXPECT_EQ(Call("POST", T("/incidents/" + incident + "/resolution")).status, 204);
  EXPECT_EQ(Call("GET", T("/incidents")).json["items"].size(), 0u);

  jobs = Call("POST", T("/jobs/activation"), Json{{"type", "compute"}});
  ASSERT_EQ(jobs.json["jobs"].size(), 1u);
  EXPECT_EQ(Call("POST", T("/jobs/" + job + "/completion"), Json{{"variables", {{"result", 4}}}}).status, 204);
  EXPECT_EQ(Call("POST", T("/jobs/" + job + "/completion"), Json::object()).status, 404) << "the job is gone";
  Reply inst = Call("GET", T("/process-instances/" + id));
  EXPECT_EQ(inst.json["state"], "completed");
  EXPECT_EQ(inst.json["variables"]["result"], 4);
}

TEST_P(EngineApiTest, MessagesCorrelateAndErrorsNameTheField) {
  const std::string roots = R"(<bpmn:message id="m" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>)";
  ASSERT_EQ(DeployJson("pay.bpmn", Model("pay", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>)" + Flow("f1", "start", "wait") + Flow("f2", "wait", "end"), roots)).status, 201);
  std::string id = StartVia("pay", {{"orderId", "A-7"}});
  Reply pub = Call("POST", T("/messages/publication"),
                   Json{{"name", "paid"}, {"correlationKey", "A-7"}, {"variables", {{"amount", 12}}}});
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json["correlated"], 1);
  EXPECT_EQ(Call("GET", T("/process-instances/" + id)).json["state"], "completed");
  Reply buffered = Call("POST", T("/messages/publication"),
                        Json{{"name", "paid"}, {"correlationKey", "B-1"}, {"timeToLive", 60000}});
  EXPECT_EQ(buffered.json["buffered"], true);

  // 400 names the field; 404 for what this tenant does not have.
  Reply no_json = Call("POST", T("/process-instances"), std::string("{nope"));
  EXPECT_EQ(no_json.status, 400);
  EXPECT_EQ(no_json.content_type, "application/problem+json");
  Reply no_process = Call("POST", T("/process-instances"), Json{{"variables", Json::object()}});
  EXPECT_EQ(no_process.status, 400);
  EXPECT_NE(no_process.json.value("detail", "").find("processId"), std::string::npos) << no_process.body;
  Reply bad_vars = Call("POST", T("/process-instances"), Json{{"processId", "pay"}, {"variables", 3}});
  EXPECT_EQ(bad_vars.status, 400);
  EXPECT_NE(bad_vars.json.value("detail", "").find("variables"), std::string::npos);
  EXPECT_EQ(Call("POST", T("/process-instances"), Json{{"processId", "nope"}}).status, 404);
  EXPECT_EQ(Call("GET", T("/process-instances/" + id, "t2")).status, 404);
  EXPECT_EQ(Call("GET", T("/process-instances/" + id + "/history", "t2")).status, 404);
  EXPECT_EQ(Call("GET", T("/process-instances/unknown")).status, 404);
  EXPECT_EQ(Call("POST", T("/jobs/unknown/failure"), Json{{"retries", 1}}).status, 404);
  Reply no_retries = Call("POST", T("/jobs/unknown/failure"), Json::object());
  EXPECT_EQ(no_retries.status, 400);
  EXPECT_NE(no_retries.json.value("detail", "").find("retries"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/tenants/bad%20tenant/incidents").status, 400);
}

TEST_P(EngineApiTest, SignalsTriggerCatchEventsAndStartProcesses) {
  const std::string roots = R"(<bpmn:signal id="s" name="storm-warning"/>)";
  ASSERT_EQ(DeployJson("wait.bpmn", Model("wait", R"(
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="catch"><bpmn:signalEventDefinition signalRef="s"/></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>)" + Flow("f1", "start", "catch") + Flow("f2", "catch", "end"), roots)).status, 201);
  ASSERT_EQ(DeployJson("react.bpmn", Model("react", R"(
    <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="s"/></bpmn:startEvent>
    <bpmn:userTask id="secure" name="Secure the site"/>)" + Flow("f1", "start", "secure"), roots)).status, 201);
  std::string a = StartVia("wait");
  std::string b = StartVia("wait");
  Reply r = Call("POST", T("/signals/broadcast"), Json{{"signalName", "storm-warning"}, {"variables", {{"level", 3}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["triggeredCatchEvents"], 2);
  EXPECT_EQ(r.json["startedInstances"], 1);
  EXPECT_EQ(Call("GET", T("/process-instances/" + a)).json["state"], "completed");
  EXPECT_EQ(Call("GET", T("/process-instances/" + b)).json["state"], "completed");
  // Another tenant's processes hear nothing.
  Reply other = Call("POST", T("/signals/broadcast", "t2"), Json{{"signalName", "storm-warning"}});
  EXPECT_EQ(other.json["triggeredCatchEvents"], 0);
  EXPECT_EQ(other.json["startedInstances"], 0);
  Reply missing = Call("POST", T("/signals/broadcast"), Json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.json.value("detail", "").find("signalName"), std::string::npos) << missing.body;
}

TEST_P(EngineApiTest, VariablesPatchAndCancellation) {
  ASSERT_EQ(DeployJson("approve.bpmn", kApproval).status, 201);
  std::string id = StartVia("approve", {{"a", 1}});
  EXPECT_EQ(Call("PATCH", T("/process-instances/" + id + "/variables"), Json{{"variables", {{"b", "x"}}}}).status, 204);
  EXPECT_EQ(Call("GET", T("/process-instances/" + id + "/variables")).json["variables"], (Json{{"a", 1}, {"b", "x"}}));
  EXPECT_EQ(Call("PATCH", T("/process-instances/" + id + "/variables"), Json{{"b", 1}}).status, 400);
  EXPECT_EQ(Call("POST", T("/process-instances/" + id + "/cancellation")).status, 204);
  EXPECT_EQ(Call("GET", T("/process-instances/" + id)).json["state"], "terminated");
  EXPECT_EQ(Call("GET", T("/user-tasks?processInstanceId=" + id)).json["items"].size(), 0u);
  Reply again = Call("POST", T("/process-instances/" + id + "/cancellation"));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Call("PATCH", T("/process-instances/" + id + "/variables"), Json{{"variables", {{"c", 1}}}}).status, 409);
}

TEST(EngineApiCursor, RoundTripsAndRefusesForeignText) {
  std::string c = EncodeCursor("0192b5f0-7c1e-7abc-8def-0123456789ab");
  auto back = DecodeCursor(c);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "0192b5f0-7c1e-7abc-8def-0123456789ab");
  EXPECT_FALSE(DecodeCursor("0192b5f0").ok());
  EXPECT_FALSE(DecodeCursor("!!").ok());
}

AW_STORE_INSTANTIATE(EngineApiTest);

}  // namespace
}  // namespace amtsweg::api
