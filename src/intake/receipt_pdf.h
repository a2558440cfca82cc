// The receipt (Eingangsbestätigung) of a submission as PDF: who received it,
// case number, tracking code, time, every submitted field with its label, and
// each attachment with its SHA-256. Rendered with cairo's PDF surface in
// DejaVu Sans (Debian fonts-dejavu-core, found through fontconfig), which has
// every German letter, so umlauts and ß come out right and are extractable text.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace amtsweg::intake {

struct ReceiptLine {
  std::string label;
  std::string value;
};

struct ReceiptAttachment {
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
};

struct Receipt {
  std::string authority;     // tenant name
  std::string service;       // service name (German)
  std::string case_number;
  std::string tracking_code; // formatted with dashes
  std::string submitted_at;  // human-readable
  std::vector<ReceiptLine> data;
  std::vector<ReceiptAttachment> attachments;
};

// The PDF bytes. kInternal when cairo fails.
core::Result<std::string> RenderReceiptPdf(const Receipt& receipt);

}  // namespace amtsweg::intake
