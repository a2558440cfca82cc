// The demo's services run in-process with an injected clock: intake, the
// engine, the workspace (cases), the Bescheid worker (records) and the
// postbox (postfach) wired as `amtsweg serve` wires them (app/wiring.h), but
// driven step by step: submit, let the workers run until nothing is left,
// move the clock and fire the timers that became due, complete tasks as a
// case worker, reply as the citizen. Used by `amtsweg demo seed` (history for
// the dashboards) and by the scenario tests of the three services.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <vector>

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "engine/engine.h"
#include "intake/intake.h"
#include "postfach/postfach.h"
#include "records/records.h"
#include "store/database.h"

namespace amtsweg::app {

// A submission's answer, as the citizen keeps it.
struct Receipt {
  std::string tenant, case_id, case_number, tracking_code, key, instance_id;
};

class DemoWorld {
 public:
  // `db` must be migrated with its writer started; `files_dir` is the storage
  // root (attachments, Bescheid PDFs). The clock starts at `start`.
  DemoWorld(store::Database& db, std::filesystem::path files_dir, core::Timestamp start);
  ~DemoWorld();

  core::ManualClock& clock() { return clock_; }
  store::Database& db() { return db_; }
  engine::Engine& engine() { return *engine_; }
  catalog::Catalog& catalog() { return *catalog_; }
  cases::Cases& cases() { return *cases_; }
  records::Records& records() { return *records_; }
  postfach::Postfach& postfach() { return *postfach_; }

  // The citizen submits `data` (and files, `ref` as the form data names them)
  // to service `service_id`; the workers then run until idle.
  core::Result<Receipt> Submit(const std::string& service_id, const core::Json& data,
                               std::vector<intake::Upload> files = {});
  // Runs the Bescheid worker, the postbox worker and the engine's in-process
  // workers until none finds a job. Returns how many jobs ran.
  core::Result<int> Drain();
  // Moves the clock to `t` (never back), fires every timer due by then and
  // drains the workers, until nothing more is due.
  core::Result<int> AdvanceTo(core::Timestamp t);
  core::Result<int> Advance(std::chrono::microseconds d) { return AdvanceTo(clock_.Now() + d); }

  // Open user tasks of a process instance (creation order).
  core::Result<std::vector<engine::UserTask>> Tasks(const std::string& tenant, const std::string& instance_id);
  // The case worker `login` claims task `task_id` and completes it with `data`
  // through the workspace (form validation as the API does); then the workers run.
  core::Result<core::Json> CompleteTask(const std::string& tenant, const std::string& task_id, const core::Json& data,
                                        const std::string& login);
  // The citizen answers in the case's postbox (publishes the reply message).
  core::Result<core::Json> Reply(const Receipt& r, const std::string& subject, const std::string& text);

 private:
  store::Database& db_;
  core::ManualClock clock_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<cases::Cases> cases_;
  std::unique_ptr<records::Records> records_;
  std::unique_ptr<postfach::Postfach> postfach_;
  struct Created {
    std::string tenant, case_id, instance_id;
  };
  std::mutex mu_;
  std::map<std::string, Created> created_;  // GUARDED_BY(mu_) by case number, until Submit takes it
};

// A tiny but valid PDF (attachments of demo applications).
std::string DemoPdf(const std::string& title);

}  // namespace amtsweg::app
