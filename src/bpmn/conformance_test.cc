// BPMN MIWG conformance: every reference model and vendor export imports,
// survives the round trip, and vendor exports match the reference model of
// the same number by element types and names. One GoogleTest per file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bpmn/exporter.h"
#include "bpmn/importer.h"
#include "bpmn/lint.h"

namespace amtsweg::bpmn {
namespace {

namespace fs = std::filesystem;

fs::path ConformanceDir() {
  if (const char* env = std::getenv("AMTSWEG_CONFORMANCE"); env && *env) return env;
  return fs::path(AMTSWEG_SOURCE_DIR) / ".." / "shared" / "conformance";
}

fs::path MiwgDir() { return ConformanceDir() / "bpmn-miwg"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> BpmnFiles() {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(MiwgDir(), ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(MiwgDir(), ec)) {
    if (e.is_regular_file() && e.path().extension() == ".bpmn") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Collapses whitespace and case so "Review\ninvoice" and "Review Invoice"
// compare equal (tools re-typed the labels).
std::string NormalizeName(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

struct Counts {
  std::map<std::string, int> node_types;
  std::multiset<std::pair<std::string, std::string>> typed_names;  // (type, name)
  int flow_nodes = 0;
  int sequence_flows = 0;
  int message_flows = 0;
  int lanes = 0;
  int participants = 0;
};

Counts Count(const Definitions& d) {
  Counts c;
  for (const Process& p : d.processes) {
    for (const FlowNode& n : p.nodes) {
      std::string type = NodeKindName(n.kind);
      if (n.kind == NodeKind::kSubProcess && n.triggered_by_event) type = "eventSubProcess";
      ++c.node_types[type];
      ++c.flow_nodes;
      c.typed_names.insert({type, NormalizeName(n.name)});
    }
    c.sequence_flows += static_cast<int>(p.flows.size());
    c.lanes += static_cast<int>(p.lanes.size());
  }
  for (const Collaboration& col : d.collaborations) {
    c.message_flows += static_cast<int>(col.message_flows.size());
    c.participants += static_cast<int>(col.participants.size());
  }
  return c;
}

std::string Describe(const Counts& c) {
  std::string s = std::to_string(c.flow_nodes) + " flow nodes {";
  bool first = true;
  for (const auto& [t, n] : c.node_types) {
    s += (first ? "" : ", ") + t + ":" + std::to_string(n);
    first = false;
  }
  s += "}, " + std::to_string(c.sequence_flows) + " sequence flows, " +
       std::to_string(c.message_flows) + " message flows, " + std::to_string(c.lanes) +
       " lanes, " + std::to_string(c.participants) + " participants";
  return s;
}

// Unsupported element types: findings the engine would refuse as not
// implemented, plus BPMN elements the model does not map.
std::set<std::string> UnsupportedTypes(const Definitions& d) {
  std::set<std::string> out;
  for (const Finding& f : Lint(d)) {
    if (f.unsupported) out.insert(f.subject);
  }
  for (const OtherElement& o : d.other_elements) out.insert(o.type + " (not modelled)");
  return out;
}

// Upstream files that are wrong, with the reason (conformance/README.md: skip
// them and say why). The import must refuse them with a precise reason.
struct KnownBroken {
  const char* file;     // relative to bpmn-miwg/
  const char* reason;
  const char* expect;   // substring the import error must contain
};
constexpr KnownBroken kKnownBroken[] = {
    {"vendors/SAP-Signavio-Process-Manager-19.9.0/B.1.0-export.bpmn",
     "its last process holds two sequence flows whose sourceRef/targetRef name elements that "
     "exist nowhere in the file",
     "has unknown source 'sid-ED496D00-919C-4799-9F0C-D6FB0EA1D906'"},
};

const KnownBroken* FindKnownBroken(const fs::path& p) {
  std::string rel = fs::relative(p, MiwgDir()).generic_string();
  for (const KnownBroken& k : kKnownBroken) {
    if (rel == k.file) return &k;
  }
  return nullptr;
}

class MiwgFileTest : public testing::Test {
 public:
  explicit MiwgFileTest(fs::path path) : path_(std::move(path)) {}
  void TestBody() override {
    std::string xml = ReadFile(path_);
    ASSERT_FALSE(xml.empty()) << path_;
    auto d = ImportBpmn(xml);
    if (const KnownBroken* k = FindKnownBroken(path_)) {
      ASSERT_FALSE(d.ok()) << path_ << " is listed as broken upstream but imports";
      EXPECT_EQ(d.error().code(), core::ErrorCode::kInvalidArgument);
      EXPECT_NE(d.error().ToString().find(k->expect), std::string::npos) << d.error().ToString();
      std::cout << "[ MIWG     ] " << k->file << ": refused as expected (" << k->reason
                << "): " << d.error().message() << "\n";
      return;
    }
    ASSERT_TRUE(d.ok()) << path_ << ": " << d.error().ToString();
    Counts c = Count(**d);
    std::cout << "[ MIWG     ] " << fs::relative(path_, MiwgDir()).string() << ": " << Describe(c)
              << "\n";
    EXPECT_GT(c.flow_nodes, 0) << "a MIWG model without flow nodes means elements were dropped";
    // Round trip: the download is the upload, and it imports to the same model.
    EXPECT_EQ(ExportBpmn(**d), xml);
    auto again = ImportBpmn(ExportBpmn(**d));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(**again == **d);
    // Every sequence flow is wired both ways.
    for (const Process& p : (*d)->processes) {
      for (size_t i = 0; i < p.flows.size(); ++i) {
        const SequenceFlow& f = p.flows[i];
        ASSERT_NE(f.source, kNoIndex) << f.id;
        const auto& out = p.nodes[static_cast<size_t>(f.source)].outgoing;
        const auto& in = p.nodes[static_cast<size_t>(f.target)].incoming;
        EXPECT_NE(std::find(out.begin(), out.end(), static_cast<Index>(i)), out.end()) << f.id;
        EXPECT_NE(std::find(in.begin(), in.end(), static_cast<Index>(i)), in.end()) << f.id;
      }
    }
  }

 private:
  fs::path path_;
};

// Registers one test per .bpmn file before RUN_ALL_TESTS.
[[maybe_unused]] const bool kRegistered = [] {
  for (const fs::path& p : BpmnFiles()) {
    std::string name = fs::relative(p, MiwgDir()).string();
    std::replace_if(name.begin(), name.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
    testing::RegisterTest("MiwgFile", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [p]() -> testing::Test* { return new MiwgFileTest(p); });
  }
  return true;
}();

TEST(Miwg, ImportsEveryFileAndReportsCounts) {
  std::vector<fs::path> files = BpmnFiles();
  if (files.empty()) GTEST_SKIP() << "no MIWG data at " << MiwgDir() << " (set AMTSWEG_CONFORMANCE)";
  std::map<std::string, std::pair<int, int>> per_folder;  // parsed, failed
  std::map<std::string, std::set<std::string>> unsupported;  // type -> files
  int parsed = 0;
  int failed = 0;
  int refused = 0;
  int executable_ok = 0;
  int executable_refused = 0;
  for (const fs::path& p : files) {
    std::string folder = fs::relative(p.parent_path(), MiwgDir()).string();
    auto d = ImportBpmn(ReadFile(p));
    if (!d.ok() && FindKnownBroken(p) != nullptr) {
      ++refused;
      ++per_folder[folder].second;
      std::cout << "  REFUSED (broken upstream) " << p.filename().string() << ": "
                << d.error().message() << "\n";
      continue;
    }
    if (!d.ok()) {
      ++failed;
      ++per_folder[folder].second;
      std::cout << "  FAILED " << p.filename().string() << ": " << d.error().ToString() << "\n";
      continue;
    }
    ++parsed;
    ++per_folder[folder].first;
    for (const std::string& t : UnsupportedTypes(**d)) unsupported[t].insert(p.stem().string());
    bool has_exec = std::any_of((*d)->processes.begin(), (*d)->processes.end(),
                                [](const Process& pr) { return pr.is_executable; });
    if (has_exec) {
      core::Status st = CheckExecutable(**d);
      (st.ok() ? executable_ok : executable_refused)++;
      std::cout << "  " << fs::relative(p, MiwgDir()).string() << ": executable process "
                << (st.ok() ? "deployable" : "refused: " + st.error().message()) << "\n";
    }
  }
  std::cout << "MIWG: " << parsed << " parsed, " << failed + refused << " failed (" << refused
            << " refused as broken upstream, " << failed << " unexpected)\n";
  for (const auto& [folder, pf] : per_folder) {
    std::cout << "  " << folder << ": " << pf.first << " parsed, " << pf.second << " failed\n";
  }
  std::cout << "  files with executable processes: " << executable_ok << " deployable, "
            << executable_refused << " refused by CheckExecutable\n";
  std::cout << "  unsupported element types found (" << unsupported.size() << "):\n";
  for (const auto& [t, fs_] : unsupported) {
    std::cout << "    " << t << " in " << fs_.size() << " file(s)\n";
  }
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(parsed + refused, static_cast<int>(files.size()));
}

// Vendor exports redraw the reference diagram in their tool: same element
// types and names, different ids.
TEST(Miwg, VendorExportsMatchReferenceModels) {
  std::vector<fs::path> files = BpmnFiles();
  if (files.empty()) GTEST_SKIP() << "no MIWG data at " << MiwgDir() << " (set AMTSWEG_CONFORMANCE)";
  int compared = 0;
  int identical_types = 0;
  int identical_names = 0;
  for (const fs::path& p : files) {
    std::string stem = p.stem().string();
    if (!stem.ends_with("-export")) continue;
    fs::path ref = MiwgDir() / "Reference" / (stem.substr(0, stem.size() - 7) + ".bpmn");
    if (!fs::exists(ref) || FindKnownBroken(p) != nullptr) continue;
    auto vendor = ImportBpmn(ReadFile(p));
    auto reference = ImportBpmn(ReadFile(ref));
    ASSERT_TRUE(vendor.ok()) << p;
    ASSERT_TRUE(reference.ok()) << ref;
    Counts v = Count(**vendor);
    Counts r = Count(**reference);
    ++compared;
    std::string label = fs::relative(p, MiwgDir()).string();
    bool same_types = v.node_types == r.node_types;
    bool same_names = v.typed_names == r.typed_names;
    identical_types += same_types ? 1 : 0;
    identical_names += same_names ? 1 : 0;
    std::cout << "  " << label << ": types " << (same_types ? "equal" : "DIFFER") << ", names "
              << (same_names ? "equal" : "DIFFER") << ", sequence flows " << v.sequence_flows
              << "/" << r.sequence_flows << "\n";
    if (!same_types) {
      std::set<std::string> keys;
      for (const auto& [t, n] : v.node_types) keys.insert(t);
      for (const auto& [t, n] : r.node_types) keys.insert(t);
      for (const std::string& t : keys) {
        int a = v.node_types.count(t) ? v.node_types.at(t) : 0;
        int b = r.node_types.count(t) ? r.node_types.at(t) : 0;
        if (a != b) std::cout << "      " << t << ": vendor " << a << ", reference " << b << "\n";
      }
    }
    // Element sets must overlap substantially: the same diagram redrawn.
    std::vector<std::pair<std::string, std::string>> common;
    std::set_intersection(v.typed_names.begin(), v.typed_names.end(), r.typed_names.begin(),
                          r.typed_names.end(), std::back_inserter(common));
    double overlap = static_cast<double>(common.size()) /
                     static_cast<double>(std::max(v.typed_names.size(), r.typed_names.size()));
    std::cout << "      (type, name) overlap " << static_cast<int>(overlap * 100) << "%\n";
    if (!same_names) {
      std::vector<std::pair<std::string, std::string>> only_v, only_r;
      std::set_difference(v.typed_names.begin(), v.typed_names.end(), r.typed_names.begin(),
                          r.typed_names.end(), std::back_inserter(only_v));
      std::set_difference(r.typed_names.begin(), r.typed_names.end(), v.typed_names.begin(),
                          v.typed_names.end(), std::back_inserter(only_r));
      for (const auto& [t, n] : only_v) std::cout << "      vendor only: " << t << " '" << n << "'\n";
      for (const auto& [t, n] : only_r) std::cout << "      reference only: " << t << " '" << n << "'\n";
    }
    // The redrawn diagrams differ in details (renamed labels, an expanded call
    // activity redrawn as sub-process), but an importer that drops elements
    // or misreads a prefix style falls far below this.
    EXPECT_GE(overlap, 0.6) << label;
  }
  std::cout << "vendor exports compared: " << compared << ", equal flow node types: "
            << identical_types << ", equal (type, name) sets: " << identical_names << "\n";
  EXPECT_GT(compared, 0);
}

// The BPMN model embedded in the XProzess export (BOC ADONIS NP): a
// collaboration of 3 participants and 3 non-executable processes.
TEST(XProzessBpmn, ImportsAdonisExport) {
  fs::path p = ConformanceDir() / "xprozess" / "99006028261000.expected-bpmn.xml";
  if (!fs::exists(p)) GTEST_SKIP() << "no XProzess data at " << p;
  auto d = ImportBpmn(ReadFile(p));
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  Counts c = Count(**d);
  std::cout << "  xprozess: " << Describe(c) << "\n";
  EXPECT_EQ((*d)->processes.size(), 3u);
  EXPECT_EQ(c.participants, 3);
  for (const Process& pr : (*d)->processes) EXPECT_FALSE(pr.is_executable) << pr.id;
  EXPECT_FALSE(CheckExecutable(**d).ok());
}

}  // namespace
}  // namespace amtsweg::bpmn
