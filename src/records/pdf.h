// A small page layout on cairo's PDF surface for the letters and summaries of
// records/: A4, DejaVu Sans (fonts-dejavu-core via fontconfig, so umlauts, ß
// and typographic quotes are real, extractable text), word wrapping, page
// breaks and "Seite n von N" in the footer. Lines are laid out first and drawn
// afterwards, so the total page count is known when the footers are drawn.
// Thread-safety: one Pdf per thread.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace amtsweg::records {

class Pdf {
 public:
  Pdf();
  ~Pdf();
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  static constexpr double kWidth = 595.0;  // A4 in points
  static constexpr double kHeight = 842.0;
  static constexpr double kLeft = 70.0;
  static constexpr double kRight = 56.0;
  static constexpr double kTop = 56.0;
  static constexpr double kBottom = 70.0;

  // Wrapped text from the current position; `right_aligned` lines end at the right margin.
  void Paragraph(const std::string& text, double size = 10.5, bool bold = false, double indent = 0);
  // One line at absolute position on the current page (does not move the cursor).
  void TextAt(const std::string& text, double x, double y, double size, bool bold = false);
  void RightAligned(const std::string& text, double y, double size, bool bold = false);
  void Gap(double points);
  void Rule();  // a thin line across the text width
  // Starts a new page when fewer than `points` are left.
  void KeepTogether(double points);
  double y() const { return y_; }
  void SetY(double y) { y_ = y; }
  // Footer text left of the page number.
  void SetFooter(std::string footer) { footer_ = std::move(footer); }

  // The PDF bytes. kInternal when cairo fails.
  core::Result<std::string> Finish(const std::string& title);

 private:
  struct Op {
    int page;
    double x, y, size;
    bool bold;
    bool rule;
    std::string text;
  };
  double Width(const std::string& s, double size, bool bold);
  void Line(const std::string& s, double x, double size, bool bold);
  void NewPage();

  void* measure_surface_;  // cairo_surface_t*
  void* measure_;          // cairo_t*
  std::vector<Op> ops_;
  int page_ = 0;
  double y_ = kTop;
  std::string footer_;
};

}  // namespace amtsweg::records
