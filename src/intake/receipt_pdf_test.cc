#include "intake/receipt_pdf.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::intake {
namespace {

// Text of a PDF as poppler's pdftotext reads it (poppler-utils).
std::string PdfToText(const std::string& pdf) {
  auto path = std::filesystem::temp_directory_path() / ("aw-receipt-" + store::testing::RandomSuffix() + ".pdf");
  {
    std::ofstream out(path, std::ios::binary);
    out << pdf;
  }
  std::string cmd = "pdftotext -enc UTF-8 " + path.string() + " - 2>/dev/null";
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  std::filesystem::remove(path);
  return text;
}

TEST(IntakeReceiptPdf, ParsesAndKeepsUmlautsAndHashes) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftotext (poppler-utils) missing";
  Receipt r;
  r.authority = "Amt Mittelangeln";
  r.service = "Aufgrabegenehmigung beantragen";
  r.case_number = "2026-000042";
  r.tracking_code = "7K2M-9QXH-4T0B";
  r.submitted_at = "05.01.2026, 08:00 Uhr (UTC)";
  r.data = {{"Antragsteller", "Jürgen Müller-Lüdenscheidt"}, {"Straße", "Große Straße 5, Süderbrarup"},
            {"Beschreibung", std::string(400, 'x') + " Ende"}};
  r.attachments = {{"Lageplan.pdf", "application/pdf", 1234,
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}};
  auto pdf = RenderReceiptPdf(r);
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  EXPECT_TRUE(pdf->starts_with("%PDF-"));
  std::string text = PdfToText(*pdf);
  EXPECT_NE(text.find("Eingangsbestätigung"), std::string::npos) << text;
  EXPECT_NE(text.find("Jürgen Müller-Lüdenscheidt"), std::string::npos) << text;
  EXPECT_NE(text.find("Große Straße 5, Süderbrarup"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-000042"), std::string::npos);
  EXPECT_NE(text.find("7K2M-9QXH-4T0B"), std::string::npos);
  // The hash may be wrapped; its characters all arrive in order.
  std::string compact;
  for (char c : text) {
    if (c != '\n' && c != ' ') compact += c;
  }
  EXPECT_NE(compact.find("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), std::string::npos) << text;
}

}  // namespace
}  // namespace amtsweg::intake
