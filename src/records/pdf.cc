#include "records/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <fmt/format.h>

#include <algorithm>

namespace amtsweg::records {
namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void SelectFont(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

}  // namespace

Pdf::Pdf() {
  measure_surface_ = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  measure_ = cairo_create(static_cast<cairo_surface_t*>(measure_surface_));
}

Pdf::~Pdf() {
  cairo_destroy(static_cast<cairo_t*>(measure_));
  cairo_surface_destroy(static_cast<cairo_surface_t*>(measure_surface_));
}

double Pdf::Width(const std::string& s, double size, bool bold) {
  auto* cr = static_cast<cairo_t*>(measure_);
  SelectFont(cr, size, bold);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, s.c_str(), &ext);
  return ext.x_advance;
}

void Pdf::NewPage() {
  ++page_;
  y_ = kTop;
}

void Pdf::KeepTogether(double points) {
  if (y_ + points > kHeight - kBottom) NewPage();
}

void Pdf::Line(const std::string& s, double x, double size, bool bold) {
  double lh = size * 1.45;
  if (y_ + lh > kHeight - kBottom) NewPage();
  y_ += lh;
  if (!s.empty()) ops_.push_back({page_, x, y_ - size * 0.35, size, bold, false, s});
}

void Pdf::Paragraph(const std::string& text, double size, bool bold, double indent) {
  double width = kWidth - kLeft - kRight - indent;
  double x = kLeft + indent;
  size_t start = 0;
  // Each line of the text (split at '\n') is wrapped at word boundaries.
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string src = text.substr(start, end - start);
    std::string line;
    size_t i = 0;
    if (src.empty()) Line("", x, size, bold);
    while (i < src.size()) {
      size_t next = src.find(' ', i);
      if (next == std::string::npos) next = src.size();
      std::string word = src.substr(i, next - i);
      std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && Width(candidate, size, bold) > width) {
        Line(line, x, size, bold);
        line = word;
      } else {
        line = candidate;
      }
      // A word wider than the line (a hash, a long URL) is cut at a UTF-8 boundary.
      while (Width(line, size, bold) > width && line.size() > 1) {
        size_t cut = line.size();
        while (cut > 1 && Width(line.substr(0, cut), size, bold) > width) {
          --cut;
          while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        }
        Line(line.substr(0, cut), x, size, bold);
        line = line.substr(cut);
      }
      i = next + 1;
    }
    if (!line.empty()) Line(line, x, size, bold);
    start = end + 1;
  }
}

void Pdf::TextAt(const std::string& text, double x, double y, double size, bool bold) {
  ops_.push_back({page_, x, y, size, bold, false, text});
}

void Pdf::RightAligned(const std::string& text, double y, double size, bool bold) {
  TextAt(text, kWidth - kRight - Width(text, size, bold), y, size, bold);
}

void Pdf::Gap(double points) { y_ += points; }

void Pdf::Rule() {
  if (y_ + 6 > kHeight - kBottom) NewPage();
  y_ += 3;
  ops_.push_back({page_, kLeft, y_, 0, false, true, ""});
  y_ += 3;
}

core::Result<std::string> Pdf::Finish(const std::string& title) {
  std::string out;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &out, kWidth, kHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Amtsweg");
  cairo_t* cr = cairo_create(surface);
  int pages = page_ + 1;
  std::stable_sort(ops_.begin(), ops_.end(), [](const Op& a, const Op& b) { return a.page < b.page; });
  size_t op = 0;
  for (int p = 0; p < pages; ++p) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (; op < ops_.size() && ops_[op].page == p; ++op) {
      const Op& o = ops_[op];
      if (o.rule) {
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, kLeft, o.y);
        cairo_line_to(cr, kWidth - kRight, o.y);
        cairo_stroke(cr);
        continue;
      }
      SelectFont(cr, o.size, o.bold);
      cairo_move_to(cr, o.x, o.y);
      cairo_show_text(cr, o.text.c_str());
    }
    SelectFont(cr, 8, false);
    if (!footer_.empty()) {
      cairo_move_to(cr, kLeft, kHeight - 36);
      cairo_show_text(cr, footer_.c_str());
    }
    std::string number = fmt::format("Seite {} von {}", p + 1, pages);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, number.c_str(), &ext);
    cairo_move_to(cr, kWidth - kRight - ext.x_advance, kHeight - 36);
    cairo_show_text(cr, number.c_str());
    cairo_show_page(cr);
  }
  cairo_status_t st = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (st != CAIRO_STATUS_SUCCESS) return core::Internal(std::string("PDF rendering failed: ") + cairo_status_to_string(st));
  return out;
}

}  // namespace amtsweg::records
