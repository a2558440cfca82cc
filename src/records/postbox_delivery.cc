#include "records/postbox_delivery.h"

#include <fmt/format.h>

#include "core/id.h"
#include "core/time.h"

namespace amtsweg::records {

DeliveryHook PostboxDelivery(postfach::Postfach& postfach, Records& records) {
  return [&postfach, &records](store::Tx& tx, const BescheidDelivery& d) -> core::Status {
    AW_ASSIGN_OR_RETURN(std::string bytes, records.files().Get(d.tenant, d.sha256));
    AW_ASSIGN_OR_RETURN(std::vector<postfach::StoredAttachment> files,
                        postfach.PrepareAttachments(d.tenant, {{d.filename, std::move(bytes)}}));
    std::string text = fmt::format(
        "Guten Tag,\n\nin Ihrer Sache mit dem Aktenzeichen {} ist ein Bescheid ergangen: „{}“. "
        "Sie finden ihn als PDF im Anhang dieser Nachricht.\n\nMit freundlichen Grüßen\nIhre Verwaltung",
        d.case_number, d.title);
    std::string subject = d.subject.empty() ? d.title : d.subject;
    AW_ASSIGN_OR_RETURN(std::string id,
                        postfach.PostOfficeMessageInTx(tx, d.tenant, d.case_id, core::NewId(), "system", subject, text,
                                                       files, core::SystemClock::Instance().Now(),
                                                       fmt::format("bescheid:{}:{}", d.document_id, d.version)));
    (void)id;
    return core::OkStatus();
  };
}

}  // namespace amtsweg::records
