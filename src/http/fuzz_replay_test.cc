// Replays the fuzz corpus (http/fuzz_corpus/*) and deterministic mutations of
// it through the fuzz entry, and checks that ParseRequest reads back what a
// request serialised from parts contained.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "http/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace amtsweg::http {
namespace {

int FuzzOne(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::vector<std::string> Corpus() {
  std::vector<std::string> out;
  std::filesystem::path dir = std::filesystem::path(AW_HTTP_SOURCE_DIR) / "fuzz_corpus";
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

TEST(HttpFuzzReplay, CorpusAndMutationsRunCleanly) {
  auto corpus = Corpus();
  ASSERT_GE(corpus.size(), 5u);
  std::mt19937 rng(20261127);
  static constexpr std::string_view kBytes[] = {"%", "%2", "%00", "..", "/", "?", "#", "\r\n", "\r\n\r\n", " ",
                                                ":", "\0", "{", "}", "0\r\n", "chunked", "\xff", "HTTP/1.1"};
  int runs = 0;
  for (const auto& seed : corpus) {
    EXPECT_EQ(FuzzOne(seed), 0);
    for (int i = 0; i < 300; ++i) {
      std::string s = seed;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 3) {
          case 0: s.insert(pos, std::string(kBytes[rng() % std::size(kBytes)])); break;
          case 1: if (pos < s.size()) s.erase(pos, 1 + rng() % 8); break;
          default: if (pos < s.size()) s[pos] = static_cast<char>(rng() & 0xFF); break;
        }
      }
      EXPECT_EQ(FuzzOne(s), 0);
      ++runs;
    }
  }
  EXPECT_GT(runs, 1000);
}

TEST(ParseRequest, ReadsBackWhatWasSerialised) {
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string method = i % 3 == 0 ? "POST" : (i % 3 == 1 ? "GET" : "PATCH");
    std::string seg = "c" + std::to_string(rng() % 1000);
    std::string body(rng() % 50, static_cast<char>('a' + i % 26));
    bool chunked = method != "GET" && i % 2 == 0;
    std::string raw = method + " /api/v1/cases/" + seg + "%20x?q=" + std::to_string(i) + "&z=a+b HTTP/1.1\r\n";
    raw += "Host: example.org\r\nX-Trace: " + std::to_string(i) + "\r\n";
    if (chunked) {
      raw += "Transfer-Encoding: chunked\r\n\r\n";
      if (!body.empty()) {
        std::ostringstream hex;
        hex << std::hex << body.size();
        raw += hex.str() + "\r\n" + body + "\r\n";
      }
      raw += "0\r\n\r\n";
    } else {
      if (method != "GET") raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
      raw += "\r\n";
      if (method != "GET") raw += body;
    }
    auto r = ParseRequest(raw);
    ASSERT_TRUE(r.ok()) << r.error().ToString() << "\n" << raw;
    EXPECT_EQ(r->method, method);
    EXPECT_EQ(r->path, "/api/v1/cases/" + seg + " x");
    EXPECT_EQ(r->QueryParam("q"), std::to_string(i));
    EXPECT_EQ(r->QueryParam("z"), "a b");
    EXPECT_EQ(r->Header("x-trace"), std::to_string(i));
    EXPECT_EQ(r->body, method == "GET" ? "" : body);
  }
}

TEST(ParseRequest, ReportsLimitsAndGarbage) {
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\n").error().code(), core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 64).error().code(),
            core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789", 1024, 5).error().code(),
            core::ErrorCode::kResourceExhausted);
  EXPECT_FALSE(ParseRequest("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n").ok());
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.1\r\n\r\n").ok());  // no Host
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n").ok());  // trailing bytes
  auto absolute = ParseRequest("GET http://example.org/a%2Fb?x=1 HTTP/1.1\r\nHost: example.org\r\n\r\n");
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(absolute->path, "/a/b");
  EXPECT_EQ(absolute->query, "x=1");
}

}  // namespace
}  // namespace amtsweg::http
