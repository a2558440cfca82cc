#include "intake/receipt_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <fmt/format.h>

namespace amtsweg::intake {
namespace {

constexpr double kPageWidth = 595.0;  // A4 in points
constexpr double kPageHeight = 842.0;
constexpr double kMargin = 56.0;

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Lays out text top to bottom, wrapping at word boundaries and starting new
// pages as needed.
class Writer {
 public:
  explicit Writer(cairo_t* cr) : cr_(cr) {}

  void Font(double size, bool bold) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    size_ = size;
  }

  // Writes `text` starting at `indent`, wrapped to the right margin.
  void Paragraph(const std::string& text, double indent = 0) {
    double width = kPageWidth - 2 * kMargin - indent;
    std::string line;
    size_t i = 0;
    while (i <= text.size()) {
      size_t next = text.find_first_of(" \n", i);
      if (next == std::string::npos) next = text.size();
      std::string word = text.substr(i, next - i);
      std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && Width(candidate) > width) {
        Line(line, indent);
        line = word;
      } else {
        line = candidate;
      }
      // A single word wider than the line (a hash) is cut by characters.
      while (Width(line) > width && line.size() > 1) {
        size_t cut = line.size();
        while (cut > 1 && Width(line.substr(0, cut)) > width) {
          --cut;
          while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
        }
        Line(line.substr(0, cut), indent);
        line = line.substr(cut);
      }
      if (next < text.size() && text[next] == '\n') {
        Line(line, indent);
        line.clear();
      }
      i = next + 1;
    }
    if (!line.empty()) Line(line, indent);
  }

  void Gap(double points) { y_ += points; }

 private:
  double Width(const std::string& s) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, s.c_str(), &ext);
    return ext.x_advance;
  }
  void Line(const std::string& s, double indent) {
    double lh = size_ * 1.4;
    if (y_ + lh > kPageHeight - kMargin) {
      cairo_show_page(cr_);
      y_ = kMargin;
    }
    y_ += lh;
    cairo_move_to(cr_, kMargin + indent, y_);
    cairo_show_text(cr_, s.c_str());
  }

  cairo_t* cr_;
  double size_ = 10;
  double y_ = kMargin;
};

}  // namespace

core::Result<std::string> RenderReceiptPdf(const Receipt& r) {
  std::string out;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &out, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 fmt::format("Eingangsbestätigung {}", r.case_number).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Amtsweg");
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0, 0, 0);
  Writer w(cr);
  w.Font(16, true);
  w.Paragraph("Eingangsbestätigung");
  w.Font(11, false);
  w.Paragraph(r.authority);
  w.Gap(8);
  w.Font(10, false);
  w.Paragraph("Leistung: " + r.service);
  w.Paragraph("Aktenzeichen / Vorgangsnummer: " + r.case_number);
  w.Paragraph("Sendungsnummer (Tracking-Code): " + r.tracking_code);
  w.Paragraph("Eingegangen am: " + r.submitted_at);
  w.Gap(10);
  w.Font(12, true);
  w.Paragraph("Ihre Angaben");
  for (const auto& line : r.data) {
    w.Font(10, true);
    w.Paragraph(line.label);
    w.Font(10, false);
    w.Paragraph(line.value.empty() ? "—" : line.value, 12);
  }
  if (!r.attachments.empty()) {
    w.Gap(10);
    w.Font(12, true);
    w.Paragraph("Anlagen");
    for (const auto& a : r.attachments) {
      w.Font(10, true);
      w.Paragraph(fmt::format("{} ({}, {} Bytes)", a.filename, a.content_type, a.size));
      w.Font(9, false);
      w.Paragraph("SHA-256: " + a.sha256, 12);
    }
  }
  w.Gap(14);
  w.Font(8, false);
  w.Paragraph("Diese Bestätigung wurde maschinell erstellt. Mit dem Tracking-Code können Sie den Stand "
              "Ihres Antrags abfragen; die SHA-256-Werte belegen, welche Dateien eingegangen sind.");
  cairo_show_page(cr);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return core::Internal(std::string("cairo: ") + cairo_status_to_string(status));
  }
  return out;
}

}  // namespace amtsweg::intake
