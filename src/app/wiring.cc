#include "app/wiring.h"

#include "cases/cases.h"
#include "core/json.h"
#include "records/bescheid.h"
#include "records/postbox_delivery.h"

namespace amtsweg::app {

void WireDomainHooks(records::Records& records, postfach::Postfach& postfach) {
  records::DeliveryHook deliver = records::PostboxDelivery(postfach, records);
  records.SetDeliveryHook([deliver, &records](store::Tx& tx, const records::BescheidDelivery& d) -> core::Status {
    AW_TRY(deliver(tx, d));
    // The Bescheid is often the process's last step: its job completion ended
    // the instance (CompleteJobWith runs this after the completion).
    return cases::CloseIfProcessEndedInTx(tx, records.engine(), d.tenant, d.case_id, records.Now());
  });
  records.SetIndexHook([](store::Tx& tx, std::string_view tenant, std::string_view case_id,
                          std::string_view document_id, std::string_view text) {
    return cases::IndexTextInTx(tx, tenant, case_id, "document:" + std::string(document_id), text);
  });
  postfach.SetIndexTextHook([](store::Tx& tx, std::string_view tenant, std::string_view case_id,
                               std::string_view message_id, std::string_view text) {
    return cases::IndexTextInTx(tx, tenant, case_id, "message:" + std::string(message_id), text);
  });
}

core::Result<int> InstallPackageTemplates(records::Records& records, const std::string& tenant,
                                          const std::string& service_id, const packages::Package& pkg) {
  int n = 0;
  for (const packages::PackageFile& f : pkg.files) {
    constexpr std::string_view kDir = "templates/", kExt = ".json";
    if (!f.path.starts_with(kDir) || !f.path.ends_with(kExt)) continue;
    std::string name = f.path.substr(kDir.size(), f.path.size() - kDir.size() - kExt.size());
    if (name.empty() || name.find('/') != std::string::npos) continue;
    auto doc = core::ParseJson(f.data);
    core::Status put = doc.ok() ? records::PutTemplate(records, tenant, service_id, name, *doc, "package")
                                : core::Status(std::move(doc).error());
    if (!put.ok()) {
      core::Error e = std::move(put).error();
      e.WithContext(f.path);
      return e;
    }
    ++n;
  }
  return n;
}

}  // namespace amtsweg::app
