// Every Bescheid the demo services' BPMN sends (send tasks of type
// amtsweg:bescheid, task header `vorlage`) has a template under
// demo/services/<service>/bescheide/, it parses, each placeholder names a
// field of the service's forms or a variable its process sets, and it renders
// to a PDF whose text pdftotext can read back.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "records/bescheid.h"
#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

namespace fs = std::filesystem;
using core::Json;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Keys (top level of the data: group paths and plain keys) of a form-js schema.
void FormKeys(const Json& components, std::set<std::string>& out) {
  for (const auto& c : components) {
    if (c.contains("path") && c["path"].is_string()) {
      out.insert(c["path"].get<std::string>().substr(0, c["path"].get<std::string>().find('.')));
    } else if (c.contains("key") && c["key"].is_string()) {
      out.insert(c["key"].get<std::string>());
    }
    if (c.contains("components") && !c.contains("path")) FormKeys(c["components"], out);
  }
}

// A value for `path` so that the placeholder renders; shaped by its filter.
void Put(Json& data, const std::string& path, const std::string& filter) {
  Json* cur = &data;
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      (*cur)[key] = filter == "datum" ? Json("2026-05-04") : filter == "betrag" ? Json(1234.5) : Json("Wert " + key);
      return;
    }
    if (!(*cur)[key].is_object()) (*cur)[key] = Json::object();
    cur = &(*cur)[key];
    start = dot + 1;
  }
}

TEST(DemoTemplates, EveryVorlageHasATemplateThatRenders) {
  fs::path root = fs::path(AMTSWEG_SOURCE_DIR) / "demo" / "services";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::regex header(R"re(type="amtsweg:bescheid"[^>]*/>\s*<zeebe:taskHeaders>\s*<zeebe:header key="vorlage" value="([^"]+)")re");
  std::regex placeholder(R"re(\{\{\s*([A-Za-z0-9_.]+)\??\s*(?:\|([a-z-]+))?\s*\}\})re");
  int rendered = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    std::string service = dir.path().filename().string();
    std::set<std::string> known = {"caseNumber", "today", "tenant", "service", "department", "caseId",
                                   "serviceId", "responsibleDepartment", "bewertung", "params", "vorkaufsrecht"};
    std::set<std::string> vorlagen;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string text = Read(f.path());
      if (f.path().extension() == ".form") FormKeys(Json::parse(text)["components"], known);
      if (f.path().extension() == ".bpmn") {
        for (std::sregex_iterator it(text.begin(), text.end(), header), end; it != end; ++it) vorlagen.insert((*it)[1]);
      }
    }
    for (const std::string& v : vorlagen) {
      SCOPED_TRACE(service + "/" + v);
      fs::path file = dir.path() / "bescheide" / (v + ".json");
      ASSERT_TRUE(fs::exists(file)) << file;
      std::string text = Read(file);
      auto t = ParseTemplate(Json::parse(text));
      ASSERT_TRUE(t.ok()) << t.error().ToString();
      Json data = Json::object();
      for (std::sregex_iterator it(text.begin(), text.end(), placeholder), end; it != end; ++it) {
        std::string path = (*it)[1];
        std::string first = path.substr(0, path.find('.'));
        EXPECT_TRUE(known.count(first)) << "placeholder {{" << path << "}} names nothing the service's forms or "
                                        << "process provide";
        if (first != "tenant" && first != "service" && first != "department" && first != "caseNumber" &&
            first != "today") {
          Put(data, path, (*it)[2]);
        }
      }
      BescheidInput in;
      in.letterhead = {"Amt Musterland", "Bauamt", "Amtsplatz 1", "24999", "Musterdorf", "post@amt.example", "04600 1"};
      in.case_number = "2026-000007";
      in.service_name = service;
      in.date = core::ParseIso8601("2026-05-04T08:00:00Z").value();
      in.data = data;
      auto out = RenderBescheid(*t, in);
      ASSERT_TRUE(out.ok()) << out.error().ToString();
      std::string pdf_text = testing::PdfText(out->pdf);
      EXPECT_NE(pdf_text.find("Aktenzeichen: 2026-000007"), std::string::npos);
      EXPECT_NE(pdf_text.find("4. Mai 2026"), std::string::npos);
      EXPECT_EQ(pdf_text.find("{{"), std::string::npos);
      EXPECT_EQ(pdf_text.find("\""), std::string::npos) << "straight quotes left";
      if (!t->rechtsbehelfsbelehrung.empty()) {
        EXPECT_NE(pdf_text.find("Widerspruch"), std::string::npos);
      }
      ++rendered;
    }
  }
  EXPECT_GE(rendered, 10);
}

}  // namespace
}  // namespace amtsweg::records
