// The archive, keys, signatures, manifest checks and parameter binding
// (pure: no database).
#include <gtest/gtest.h>

#include "core/hash.h"
#include "packages/package.h"
#include "packages/params.h"
#include "packages/zip.h"

namespace amtsweg::packages {
namespace {

using core::Json;

TEST(Zip, RoundTripsEntriesAndRefusesUnsafeNames) {
  std::string big(100000, 'x');
  auto zip = WriteZip({{"a.txt", "hello"}, {"dir/b.bin", std::string("\0\1\2", 3)}, {"big", big}});
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  auto back = ReadZip(*zip);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ((*back)[0].name, "a.txt");
  EXPECT_EQ((*back)[0].data, "hello");
  EXPECT_EQ((*back)[1].data, std::string("\0\1\2", 3));
  EXPECT_EQ((*back)[2].data, big);
  EXPECT_FALSE(WriteZip({{"../evil", "x"}}).ok());
  EXPECT_FALSE(WriteZip({{"/abs", "x"}}).ok());
  EXPECT_FALSE(WriteZip({{"a", "x"}, {"a", "y"}}).ok());
  auto not_zip = ReadZip("hello world");
  ASSERT_FALSE(not_zip.ok());
  EXPECT_NE(not_zip.error().message().find("not a ZIP"), std::string::npos);
}

TEST(Zip, FindsADamagedEntry) {
  auto zip = WriteZip({{"a.txt", std::string(1000, 'a')}});
  ASSERT_TRUE(zip.ok());
  std::string bad = *zip;
  // The deflated data starts after the 30-byte local header and the name.
  bad[30 + 5 + 2] ^= 0x55;
  auto back = ReadZip(bad);
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.error().message().find("a.txt"), std::string::npos) << back.error().message();
}

TEST(Keys, FilesRoundTripAndSignaturesVerify) {
  KeyPair kp = GenerateKeyPair();
  EXPECT_EQ(kp.public_key.id.size(), 16u);
  auto sk = ParseSecretKeyFile(FormatSecretKeyFile(kp.secret));
  ASSERT_TRUE(sk.ok()) << sk.error().ToString();
  EXPECT_EQ(sk->bytes, kp.secret.bytes);
  EXPECT_EQ(sk->public_key.id, kp.public_key.id);
  auto pk = ParsePublicKeyFile(FormatPublicKeyFile(kp.public_key));
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(pk->bytes, kp.public_key.bytes);
  std::string sig = SignDetached("message", *sk);
  EXPECT_TRUE(VerifyDetached("message", sig, *pk));
  EXPECT_FALSE(VerifyDetached("messagE", sig, *pk));
  EXPECT_FALSE(VerifyDetached("message", sig, GenerateKeyPair().public_key));
  auto wrong = ParsePublicKeyFile(FormatSecretKeyFile(kp.secret));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("first line"), std::string::npos);
  auto short_key = ParsePublicKeyFile("amtsweg-ed25519-public-key v1\nAAAA\n");
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.error().message().find("32 bytes"), std::string::npos);
}

Manifest SampleManifest() {
  Manifest m;
  m.name = "plakatierung";
  m.version = "1";
  m.leika = "99107004017000";
  m.process_id = "plakatierung";
  m.form_id = "plakatierung";
  m.service = {{"name", {{"de", "Plakatierung"}}}};
  m.binding = {"bpmn/p.bpmn", "parameter", "params"};
  ParameterDecl fee{"gebuehr", "number", 25, true, "Gebühr", "Fee", false};
  ParameterDecl days{"fristTage", "integer", 14, false, "Frist", "Deadline", false};
  ParameterDecl dept{"stelle", "department", "ordnungsamt", true, "Stelle", "Department", true};
  m.parameters = {fee, days, dept};
  return m;
}

const char* kBpmn = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
  <bpmn:process id="plakatierung" isExecutable="true">
    <bpmn:scriptTask id="parameter" name="Satzungswerte setzen"><bpmn:extensionElements><zeebe:script expression="={gebuehr: 25}" resultVariable="params"/></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:userTask id="pruefen"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="ordnungsamt, amtsleitung"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:userTask id="dyn"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=responsibleDepartment"/></bpmn:extensionElements></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>
)";

std::vector<PackageFile> SampleFiles() {
  return {{"bpmn/p.bpmn", kBpmn}, {"forms/plakatierung.form", R"({"id": "plakatierung", "components": []})"},
          {"templates/erlaubnis.txt", "Sehr geehrte Damen und Herren"}};
}

TEST(Package, BuildsAndOpensWithATrustedKey) {
  KeyPair kp = GenerateKeyPair();
  auto zip = BuildPackage(SampleManifest(), SampleFiles(), kp.secret);
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  auto pkg = OpenPackage(*zip, "p.zip", {kp.public_key}, true, "0.1.0");
  ASSERT_TRUE(pkg.ok()) << pkg.error().ToString();
  EXPECT_EQ(pkg->key_id, kp.public_key.id);
  EXPECT_EQ(pkg->manifest.name, "plakatierung");
  ASSERT_EQ(pkg->manifest.files.size(), 3u);
  EXPECT_EQ(pkg->manifest.files[0].sha256, core::Sha256Hex(kBpmn));
  ASSERT_NE(pkg->Find("templates/erlaubnis.txt"), nullptr);
  EXPECT_EQ(pkg->Find("templates/erlaubnis.txt")->data, "Sehr geehrte Damen und Herren");
  ASSERT_EQ(pkg->manifest.parameters.size(), 3u);
  EXPECT_EQ(pkg->manifest.parameters[2].responsibility, true);
  EXPECT_EQ(pkg->manifest.parameters[0].default_value, 25);
}

// Rewrites one archive entry, keeping the rest as it is.
std::string Replace(const std::string& zip, const std::string& name, const std::string& data) {
  auto entries = ReadZip(zip);
  EXPECT_TRUE(entries.ok());
  for (auto& e : *entries) {
    if (e.name == name) e.data = data;
  }
  return *WriteZip(*entries);
}

TEST(Package, RefusesAChangedFileNamingIt) {
  KeyPair kp = GenerateKeyPair();
  std::string zip = *BuildPackage(SampleManifest(), SampleFiles(), kp.secret);
  std::string bpmn = kBpmn;
  bpmn[bpmn.find("25")] = '9';  // one byte: the fee
  auto pkg = OpenPackage(Replace(zip, "bpmn/p.bpmn", bpmn), "p.zip", {kp.public_key}, true, "0.1.0");
  ASSERT_FALSE(pkg.ok());
  EXPECT_EQ(pkg.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(pkg.error().message().find("p.zip"), std::string::npos) << pkg.error().message();
  EXPECT_NE(pkg.error().message().find("bpmn/p.bpmn: SHA-256 does not match"), std::string::npos)
      << pkg.error().message();
}

TEST(Package, RefusesAChangedManifest) {
  KeyPair kp = GenerateKeyPair();
  std::string zip = *BuildPackage(SampleManifest(), SampleFiles(), kp.secret);
  auto entries = *ReadZip(zip);
  std::string manifest;
  for (const auto& e : entries) {
    if (e.name == "manifest.json") manifest = e.data;
  }
  // Lower the required fee default: still valid JSON and a valid manifest.
  size_t at = manifest.find("\"default\": 25");
  ASSERT_NE(at, std::string::npos) << manifest;
  manifest.replace(at, 13, "\"default\": 20");
  auto pkg = OpenPackage(Replace(zip, "manifest.json", manifest), "p.zip", {kp.public_key}, true, "0.1.0");
  ASSERT_FALSE(pkg.ok());
  EXPECT_EQ(pkg.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(pkg.error().message().find("manifest.json: the signature"), std::string::npos) << pkg.error().message();
}

TEST(Package, RefusesAnUnknownKeyAndAnExtraFile) {
  KeyPair signer = GenerateKeyPair();
  KeyPair other = GenerateKeyPair();
  std::string zip = *BuildPackage(SampleManifest(), SampleFiles(), signer.secret);
  auto wrong = OpenPackage(zip, "p.zip", {other.public_key}, true, "0.1.0");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), core::ErrorCode::kPermissionDenied);
  EXPECT_NE(wrong.error().message().find("signed by key " + signer.public_key.id + ", which is not trusted"),
            std::string::npos)
      << wrong.error().message();
  // A key that claims the signer's id but is another key: the signature fails.
  PublicKey impostor = other.public_key;
  impostor.id = signer.public_key.id;
  auto forged = OpenPackage(zip, "p.zip", {impostor}, true, "0.1.0");
  ASSERT_FALSE(forged.ok());
  EXPECT_NE(forged.error().message().find("signature"), std::string::npos);
  // Without trust (diff) the embedded key verifies.
  EXPECT_TRUE(OpenPackage(zip, "p.zip", {}, false, "0.1.0").ok());
  auto entries = *ReadZip(zip);
  entries.push_back({"bpmn/extra.bpmn", kBpmn});
  auto extra = OpenPackage(*WriteZip(entries), "p.zip", {signer.public_key}, true, "0.1.0");
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.error().message().find("bpmn/extra.bpmn: not listed in the signed manifest"), std::string::npos)
      << extra.error().message();
}

TEST(Package, RefusesAnUnsignedArchiveAndATooOldEngine) {
  KeyPair kp = GenerateKeyPair();
  std::string zip = *BuildPackage(SampleManifest(), SampleFiles(), kp.secret);
  auto entries = *ReadZip(zip);
  std::erase_if(entries, [](const ZipEntry& e) { return e.name == "signature.json"; });
  auto unsigned_pkg = OpenPackage(*WriteZip(entries), "p.zip", {kp.public_key}, true, "0.1.0");
  ASSERT_FALSE(unsigned_pkg.ok());
  EXPECT_NE(unsigned_pkg.error().message().find("not signed"), std::string::npos);
  Manifest m = SampleManifest();
  m.engine_min_version = "0.10.0";
  std::string newer = *BuildPackage(m, SampleFiles(), kp.secret);
  auto old_engine = OpenPackage(newer, "p.zip", {kp.public_key}, true, "0.9.5");
  ASSERT_FALSE(old_engine.ok());
  EXPECT_EQ(old_engine.error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(old_engine.error().message().find("0.10.0"), std::string::npos);
  EXPECT_TRUE(OpenPackage(newer, "p.zip", {kp.public_key}, true, "0.10.0").ok());
}

TEST(Manifest, NamesEveryBadField) {
  Json j = SampleManifest().ToJson();
  j["leika"] = "123";
  j["parameters"][0]["type"] = "money";
  j["parameters"][1]["default"] = "vierzehn";
  auto m = Manifest::FromJson(j);
  ASSERT_FALSE(m.ok());
  std::vector<std::string> pointers;
  for (const auto& d : m.error().details()) pointers.push_back(d.pointer);
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/leika"), pointers.end());
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/parameters/0/type"), pointers.end());
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/parameters/1/default"), pointers.end());
}

TEST(Parameters, RequiredMissingIsNamedAndDefaultsFillTheRest) {
  Manifest m = SampleManifest();
  auto missing = ResolveParameters(m.parameters, Json{{"stelle", "buergerbuero"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("required parameter 'gebuehr'"), std::string::npos)
      << missing.error().message();
  ASSERT_EQ(missing.error().details().size(), 1u);
  EXPECT_EQ(missing.error().details()[0].pointer, "/gebuehr");
  auto wrong = ResolveParameters(m.parameters, Json{{"stelle", "x"}, {"gebuehr", "dreißig"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("'gebuehr' must be of type number"), std::string::npos);
  auto unknown = ResolveParameters(m.parameters, Json{{"stelle", "x"}, {"gebuehr", 30}, {"gebuer", 1}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().details()[0].pointer, "/gebuer");
  auto ok = ResolveParameters(m.parameters, Json{{"stelle", "buergerbuero"}, {"gebuehr", 30}});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  Json values = ParameterValues(*ok);
  EXPECT_EQ(values, (Json{{"gebuehr", 30}, {"fristTage", 14}, {"stelle", "buergerbuero"}}));
  EXPECT_TRUE((*ok)[1].from_default);
}

TEST(Parameters, FeelLiteralsQuoteAndNest) {
  EXPECT_EQ(FeelLiteral(Json::parse(R"({"a": 0.15, "b": "say \"hi\"", "c": [1, true, null], "not ok": {"x": 1}})")),
            R"({a: 0.15, b: "say \"hi\"", c: [1, true, null], "not ok": {x: 1}})");
}

TEST(Parameters, BindingRewritesTheScriptAndMapsDepartments) {
  Manifest m = SampleManifest();
  auto params = ResolveParameters(m.parameters, Json{{"stelle", "buergerbuero"}, {"gebuehr", 30}});
  ASSERT_TRUE(params.ok());
  auto xml = BindParameters(kBpmn, m.binding, *params, true);
  ASSERT_TRUE(xml.ok()) << xml.error().ToString();
  EXPECT_NE(xml->find(R"(expression="={fristTage: 14, gebuehr: 30, stelle: &quot;buergerbuero&quot;}")"),
            std::string::npos)
      << *xml;
  EXPECT_NE(xml->find(R"(candidateGroups="buergerbuero,amtsleitung")"), std::string::npos) << *xml;
  EXPECT_NE(xml->find(R"(candidateGroups="=responsibleDepartment")"), std::string::npos) << *xml;
  EXPECT_EQ(xml->rfind("<?xml", 0), 0u) << "the declaration stays";
  Manifest::Binding bad = m.binding;
  bad.element = "nirgends";
  auto missing = BindParameters(kBpmn, bad, *params, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("no element 'nirgends'"), std::string::npos);
}

}  // namespace
}  // namespace amtsweg::packages
