#include "app/demo_world.h"

#include <future>

#include "app/wiring.h"
#include "core/hash.h"
#include "records/bescheid.h"

namespace amtsweg::app {

using core::Json;

namespace {

template <class T>
core::Result<T> Wait(std::function<void(std::function<void(core::Result<T>)>)> start) {
  std::promise<core::Result<T>> p;
  auto f = p.get_future();
  start([&p](core::Result<T> r) { p.set_value(std::move(r)); });
  return f.get();
}

core::Status WaitStatus(std::function<void(std::function<void(core::Status)>)> start) {
  std::promise<core::Status> p;
  auto f = p.get_future();
  start([&p](core::Status s) { p.set_value(std::move(s)); });
  return f.get();
}

}  // namespace

std::string DemoPdf(const std::string& title) {
  // One page with one line of text; offsets in the xref table are computed.
  std::string content = "BT /F1 12 Tf 72 720 Td (" + title + ") Tj ET";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t o : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

DemoWorld::DemoWorld(store::Database& db, std::filesystem::path files_dir, core::Timestamp start)
    : db_(db), clock_(start) {
  catalog_ = std::make_unique<catalog::Catalog>(db_);
  engine_ = std::make_unique<engine::Engine>(db_, engine::EngineOptions{.clock = &clock_});
  intake_ = std::make_unique<intake::Intake>(
      db_, *catalog_, *engine_,
      intake::IntakeOptions{.files_dir = files_dir, .clock = &clock_,
                            .on_case_created = [this](store::Tx& tx, const intake::CaseCreated& c) -> core::Status {
                              AW_TRY(cases::OnCaseCreated(tx, c));
                              // Remembered for Submit (the writer may run this twice: same values).
                              std::lock_guard lock(mu_);
                              created_[c.case_number] = {c.tenant, c.case_id, c.instance_id};
                              return core::OkStatus();
                            }});
  cases_ = std::make_unique<cases::Cases>(db_, *engine_, *catalog_, &clock_);
  records_ = std::make_unique<records::Records>(db_, *catalog_, *engine_,
                                                records::RecordsOptions{.files_dir = files_dir, .clock = &clock_});
  postfach_ = std::make_unique<postfach::Postfach>(db_, *engine_,
                                                   postfach::Options{.files_dir = files_dir, .clock = &clock_});
  WireDomainHooks(*records_, *postfach_);
}

DemoWorld::~DemoWorld() = default;

core::Result<Receipt> DemoWorld::Submit(const std::string& service_id, const Json& data,
                                        std::vector<intake::Upload> files) {
  intake::SubmitRequest r;
  r.service_id = service_id;
  r.data = data;
  r.files = std::move(files);
  r.request_hash = core::Sha256Hex(core::DumpJson(data));
  AW_ASSIGN_OR_RETURN(Json answer, Wait<Json>([&](auto done) { intake_->Submit(std::move(r), std::move(done)); }));
  Receipt out;
  out.tracking_code = answer.value("trackingCode", "");
  out.case_number = answer.value("caseNumber", "");
  out.key = answer.value("receipt", Json::object()).value("key", "");
  {
    std::lock_guard lock(mu_);
    auto it = created_.find(out.case_number);
    if (it == created_.end()) return core::Internal("demo world: intake answered without creating a case");
    out.tenant = it->second.tenant;
    out.case_id = it->second.case_id;
    out.instance_id = it->second.instance_id;
    created_.erase(it);
  }
  AW_TRY(Drain());
  return out;
}

core::Result<int> DemoWorld::Drain() {
  int total = 0;
  for (int round = 0; round < 1000; ++round) {
    int n = 0;
    AW_ASSIGN_OR_RETURN(int b, records::RunBescheidJobs(*records_, 64));
    AW_ASSIGN_OR_RETURN(int p, postfach_->RunJobs(64));
    n += b + p;
    AW_ASSIGN_OR_RETURN(auto tenants, engine_->TenantsWithAvailableJobs(engine_->WorkerTypes()));
    for (const auto& t : tenants) {
      AW_ASSIGN_OR_RETURN(int w, engine_->RunWorkers(t, 64));
      n += w;
    }
    total += n;
    if (n == 0) return total;
  }
  return core::Internal("demo world: the workers did not come to rest after 1000 rounds");
}

core::Result<int> DemoWorld::AdvanceTo(core::Timestamp t) {
  if (t > clock_.Now()) clock_.Set(t);
  int total = 0;
  for (int round = 0; round < 1000; ++round) {
    AW_ASSIGN_OR_RETURN(int fired, engine_->FireDueTimers(1000));
    AW_ASSIGN_OR_RETURN(int ran, Drain());
    total += fired;
    if (fired == 0 && ran == 0) return total;
  }
  return core::Internal("demo world: timers kept firing at the same time");
}

core::Result<std::vector<engine::UserTask>> DemoWorld::Tasks(const std::string& tenant,
                                                             const std::string& instance_id) {
  return engine_->ListUserTasks(tenant, instance_id);
}

core::Result<Json> DemoWorld::CompleteTask(const std::string& tenant, const std::string& task_id, const Json& data,
                                           const std::string& login) {
  cases::Actor actor{.login = login, .audit_actor = "user:" + login};
  AW_TRY(WaitStatus([&](auto done) { cases_->AssignTask(tenant, task_id, login, false, actor, std::move(done)); }));
  AW_ASSIGN_OR_RETURN(Json out, Wait<Json>([&](auto done) {
                        cases_->CompleteTask(tenant, task_id, data, forms::Language::kGerman, actor, std::move(done));
                      }));
  AW_TRY(Drain());
  return out;
}

core::Result<Json> DemoWorld::Reply(const Receipt& r, const std::string& subject, const std::string& text) {
  AW_ASSIGN_OR_RETURN(Json out, Wait<Json>([&](auto done) {
                        postfach_->PostForCitizen(r.tracking_code, r.key, subject, text, {}, std::move(done));
                      }));
  AW_TRY(Drain());
  return out;
}

}  // namespace amtsweg::app
