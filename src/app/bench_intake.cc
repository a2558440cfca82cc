// `amtsweg bench intake`: validated, durable submissions over HTTP.
//
// An in-process server (2 threads) with a tenant, a ~30-field form, a process
// whose first wait state is a user task, and a service; wrk (200 connections,
// --latency) posts submissions: 9 of 10 JSON, 1 of 10 multipart with a
// 200 KB PDF attachment. Each answered 201 is one case with its process
// instance, committed (SQLite synchronous=FULL on ./data, the real disk).
// Prints `intake.<backend> 1 p50_us p99_us submissions_per_s`, then checks that
// the number of cases equals wrk's 2xx count.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <unistd.h>

#include "api/catalog_api.h"
#include "api/intake_api.h"
#include "app/commands.h"
#include "catalog/catalog.h"
#include "engine/engine.h"
#include "http/http_bench.h"
#include "http/server.h"
#include "intake/intake.h"
#include "store/database.h"

namespace amtsweg::app {
namespace {

using core::Json;

const char* kProcess = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs" targetNamespace="http://amtsweg.de/bench">
<bpmn:process id="antrag" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Antrag prüfen"><bpmn:extensionElements>
    <zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";

// 30 input fields of the kinds a real application has, and matching data.
std::pair<Json, Json> FormAndData() {
  Json comps = Json::array();
  Json data = Json::object();
  for (int i = 0; i < 12; ++i) {
    std::string k = fmt::format("text{}", i);
    comps.push_back({{"type", "textfield"}, {"key", k}, {"label", fmt::format("Angabe {}", i)},
                     {"validate", {{"required", true}, {"maxLength", 200}}}});
    data[k] = fmt::format("Müllerstraße {} in Süderbrarup", i);
  }
  for (int i = 0; i < 6; ++i) {
    std::string k = fmt::format("num{}", i);
    comps.push_back({{"type", "number"}, {"key", k}, {"label", fmt::format("Zahl {}", i)},
                     {"validate", {{"min", 0}, {"max", 100000}}}, {"decimalDigits", 2}});
    data[k] = 12.5 + i;
  }
  for (int i = 0; i < 4; ++i) {
    std::string k = fmt::format("choice{}", i);
    comps.push_back({{"type", "select"}, {"key", k}, {"label", fmt::format("Auswahl {}", i)},
                     {"values", {{{"label", "Ja"}, {"value", "ja"}}, {{"label", "Nein"}, {"value", "nein"}}}}});
    data[k] = "ja";
  }
  for (int i = 0; i < 4; ++i) {
    std::string k = fmt::format("date{}", i);
    comps.push_back({{"type", "datetime"}, {"key", k}, {"subtype", "date"}, {"dateLabel", "Datum"}});
    data[k] = "2026-03-01";
  }
  comps.push_back({{"type", "textfield"}, {"key", "email"}, {"label", "E-Mail"}, {"validate", {{"validationType", "email"}}}});
  data["email"] = "antrag@example.org";
  comps.push_back({{"type", "checkbox"}, {"key", "consent"}, {"label", "Einverstanden"}, {"validate", {{"required", true}}}});
  data["consent"] = true;
  comps.push_back({{"type", "textarea"}, {"key", "remarks"}, {"label", "Bemerkungen"}});
  data["remarks"] = "Bitte um zügige Bearbeitung.";
  comps.push_back({{"type", "filepicker"}, {"key", "plan"}, {"label", "Lageplan"}, {"accept", ".pdf"}});
  Json form{{"id", "bench-antrag"}, {"type", "default"}, {"components", comps}};
  return {form, data};
}

// A quoted Lua string literal (long strings would turn the multipart CRLFs into LF).
std::string LuaLongString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

core::Status Run(const BenchFlags& flags, const std::string& url, const std::string& label, std::ostream& out) {
  store::Options so;
  so.url = url;
  core::metrics::Registry metrics;
  so.metrics = &metrics;
  AW_ASSIGN_OR_RETURN(auto db, store::Database::Open(so));
  AW_TRY(db->Migrate());
  AW_TRY(db->writer().Start());
  std::string files = fmt::format("./data/bench-intake-files-{}", getpid());
  engine::Engine engine(*db);
  catalog::Catalog catalog(*db);
  intake::Intake intake(*db, catalog, engine, {.files_dir = files});
  auto [form, data] = FormAndData();
  AW_TRY(catalog.CreateTenant({{"id", "amt-bench"}, {"name", "Amt Bench"}, {"type", "Amt"}, {"ars", "010595988000"}}));
  AW_TRY(catalog.CreateDepartment("amt-bench", {{"id", "ordnungsamt"}, {"name", "Ordnungsamt"}}));
  AW_TRY(catalog.AddFormVersion("amt-bench", form));
  AW_TRY(engine.Deploy("amt-bench", {{"antrag.bpmn", kProcess}}));
  AW_TRY(catalog.CreateService("amt-bench", {{"id", "bench-antrag"}, {"leika", "99108011000000"}, {"published", true},
                                             {"name", {{"de", "Antrag"}}}, {"processingTimeDays", 14},
                                             {"form", {{"id", "bench-antrag"}, {"version", 1}}},
                                             {"process", {{"id", "antrag"}}},
                                             {"responsibility", {{"department", "ordnungsamt"}}}}));
  http::Router router;
  api::RegisterIntakeRoutes(router, intake);
  http::Options ho;
  ho.port = 0;
  ho.threads = 2;
  ho.access_log = false;
  AW_ASSIGN_OR_RETURN(auto server, http::Server::Start(ho, router, metrics));

  std::string json_body = data.dump();
  Json with_file = data;
  with_file["plan"] = "files::plan";
  std::string pdf = "%PDF-1.4\n";
  while (pdf.size() < 200 * 1024) pdf += "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n";
  pdf += "%%EOF\n";
  std::string mp = "--BENCH\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" + with_file.dump() +
                   "\r\n--BENCH\r\nContent-Disposition: form-data; name=\"files::plan\"; filename=\"plan.pdf\"\r\n"
                   "Content-Type: application/pdf\r\n\r\n" + pdf + "\r\n--BENCH--\r\n";
  std::string script = fmt::format("./data/bench-intake-{}.lua", getpid());
  {
    std::ofstream lua(script);
    lua << "local n = 0\n"
        << "local jb = " << LuaLongString(json_body) << "\n"
        << "local mb = " << LuaLongString(mp) << "\n"
        << "request = function()\n  n = n + 1\n"
        << "  if n % 10 == 0 then return wrk.format('POST', '/api/v1/services/bench-antrag/submissions', "
           "{['Content-Type'] = 'multipart/form-data; boundary=BENCH'}, mb) end\n"
        << "  return wrk.format('POST', '/api/v1/services/bench-antrag/submissions', "
           "{['Content-Type'] = 'application/json'}, jb)\nend\n";
  }
  int seconds = flags.seconds > 0 ? flags.seconds : 10;
  std::string cmd = fmt::format("wrk -t2 -c200 -d{}s --latency -s {} http://127.0.0.1:{}/ 2>&1", seconds, script,
                                server->port());
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  server->Stop(std::chrono::seconds(5));
  AW_TRY(db->writer().Flush());
  std::filesystem::remove(script);
  auto r = http::ParseWrkOutput(text);
  if (!r.ok()) {
    out << text;
    return std::move(r).error();
  }
  auto cases = db->Read([](store::Tx& tx) -> core::Result<int64_t> {
    AW_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM cases WHERE tenant_id = $1", {"amt-bench"}));
    return row ? row->Int(0) : 0;
  });
  AW_TRY(cases.ok() ? core::OkStatus() : core::Status(cases.error()));
  out << fmt::format("intake.{} 1 {:.0f} {:.0f} {:.0f}\n", label, r->p50_us, r->p99_us, r->requests_per_sec);
  out << fmt::format("# {}: {} requests, {} non-2xx, {} socket errors, {} cases stored; 200 connections, "
                     "10% with a 200 KB PDF\n",
                     label, r->requests, r->non_2xx, r->socket_errors, *cases);
  db->writer().Stop().ok();
  db->Close();
  std::error_code ec;
  std::filesystem::remove_all(files, ec);
  return core::OkStatus();
}

}  // namespace

int BenchIntake(const BenchFlags& flags, std::ostream& out) {
  std::error_code ec;
  std::filesystem::create_directories("./data", ec);
  std::string dir = fmt::format("./data/bench-intake-{}", getpid());
  std::filesystem::create_directories(dir, ec);
  int rc = 0;
  if (auto s = Run(flags, "sqlite:" + dir + "/amtsweg.db", "sqlite", out); !s.ok()) {
    ReportError(s.error());
    rc = 1;
  }
  std::filesystem::remove_all(dir, ec);
  if (flags.pg_url) {
    if (auto s = Run(flags, *flags.pg_url, "postgres", out); !s.ok()) {
      ReportError(s.error());
      rc = 1;
    }
  }
  out << "\n";
  return rc;
}

}  // namespace amtsweg::app
