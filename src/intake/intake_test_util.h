// Test support for intake/: sample file contents.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace amtsweg::intake::testing {

// A tiny but well-formed PDF.
inline std::string TinyPdf() {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
         "trailer << /Root 1 0 R >>\n%%EOF\n";
}

// The first 64 KiB of this test binary: a real ELF executable.
inline std::string ElfBytes() {
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::string s(64 * 1024, '\0');
  in.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

}  // namespace amtsweg::intake::testing
