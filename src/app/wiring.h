// The hooks between domains, wired the same way by `amtsweg serve` and by
// the in-process demo world (demo history, scenario tests).
#pragma once

#include "core/result.h"
#include "packages/package.h"
#include "postfach/postfach.h"
#include "records/records.h"

namespace amtsweg::app {

// A Bescheid is delivered to the case's postbox in the command that stores
// it (and completes its job); when that job ended the case's process, the
// case is closed in the same command. Documents' and messages' text goes into
// the case's full-text index.
void WireDomainHooks(records::Records& records, postfach::Postfach& postfach);

// The Bescheid templates a package carries (templates/<vorlage>.json) become
// the templates of the installed service (records::PutTemplate, validated);
// the installer (packages/, below records/) only carries them. Returns how
// many; an invalid template is an error naming its file.
core::Result<int> InstallPackageTemplates(records::Records& records, const std::string& tenant,
                                          const std::string& service_id, const packages::Package& pkg);

}  // namespace amtsweg::app
