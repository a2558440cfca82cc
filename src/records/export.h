// The export of one case as a ZIP (libzip), e.g. for a records request or
// the hand-over to an archive:
//   zusammenfassung.pdf              a PDF summary: case, form data, documents with SHA-256, history
//   case.json                        {case, formData, process, documents[{..., path}], history}
//   dokumente/<documentId>/v<n>-<filename>   every version of every document, byte for byte
// Every file's SHA-256 is checked against its row before it goes into the ZIP.
#pragma once

#include <string>

#include "core/result.h"
#include "records/records.h"

namespace amtsweg::records {

// The ZIP bytes. kNotFound: no such case; kInternal: a file does not match its hash.
core::Result<std::string> ExportCase(Records& r, std::string_view tenant, std::string_view case_id);

}  // namespace amtsweg::records
