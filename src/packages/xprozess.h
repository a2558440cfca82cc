// XProzess 2 messages (FIM process catalogue): the process class and its
// BPMN model, which ADONIS exports as a base64-encoded ZIP attachment
// (`prozessmodelldatei/inhalt`). Pure: the message text in, the model out.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace amtsweg::packages {

struct XProzessProcess {
  std::string id;       // the process class key (LeiKa-like, 14 digits)
  std::string version;  // e.g. "01.00.00"
  std::string name;
  std::string definition;
  std::vector<std::string> legal_bases;  // handlungsgrundlage names
  std::string bpmn_file;                 // the ZIP entry the model came from
  std::string bpmn;                      // the BPMN 2.0 XML, byte for byte
  std::vector<std::string> skipped;      // attachments not taken (PDFs, ...), with the reason
};

// kInvalidArgument: not XML, not an XProzess 2 message, no process class, no
// BPMN model attachment, attachment not base64 / not a ZIP / no .xml or
// .bpmn entry (the message names which).
core::Result<XProzessProcess> ParseXProzess(const std::string& xml);

}  // namespace amtsweg::packages
