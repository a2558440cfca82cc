#include "packages/package.h"

#include <algorithm>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "core/hash.h"
#include "packages/zip.h"

namespace amtsweg::packages {

using core::Json;

namespace {

const std::set<std::string>& ParameterTypes() {
  static const std::set<std::string> types = {"string", "number",     "integer", "boolean",
                                              "email",  "department", "list",    "object"};
  return types;
}

bool IsIdentifier(const std::string& s) {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_]{0,62}");
  return std::regex_match(s, re);
}

// A value of `type`? (null never is; the caller handles absence).
bool HasType(const Json& v, const std::string& type) {
  if (type == "string" || type == "email" || type == "department") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer") return v.is_number_integer() || v.is_number_unsigned();
  if (type == "boolean") return v.is_boolean();
  if (type == "list") return v.is_array();
  if (type == "object") return v.is_object();
  return false;
}

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool ReservedPath(const std::string& p) { return p == "manifest.json" || p == "signature.json"; }

}  // namespace

Json ParameterDeclToJson(const ParameterDecl& p) {
  Json j{{"name", p.name},
         {"type", p.type},
         {"required", p.required},
         {"description", {{"de", p.description_de}, {"en", p.description_en}}}};
  if (!p.default_value.is_null()) j["default"] = p.default_value;
  if (p.responsibility) j["responsibility"] = true;
  if (!p.service_field.empty()) j["serviceField"] = p.service_field;
  return j;
}

core::Result<ParameterDecl> ParameterDeclFromJson(const Json& j, std::string_view pointer) {
  std::string at(pointer);
  if (!j.is_object()) return core::InvalidArgument(at + ": a parameter must be an object", {{at, "must be an object"}});
  std::vector<core::FieldError> errors;
  static const std::set<std::string> known = {"name",        "type",           "default",     "required",
                                              "description", "responsibility", "serviceField"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!known.contains(it.key())) errors.push_back({at + "/" + it.key(), "unknown field"});
  }
  ParameterDecl p;
  p.name = Str(j, "name");
  p.type = Str(j, "type");
  if (!IsIdentifier(p.name)) errors.push_back({at + "/name", "a FEEL name: letters, digits, _ (not first), at most 63"});
  if (!ParameterTypes().contains(p.type)) {
    errors.push_back({at + "/type", "one of string, number, integer, boolean, email, department, list, object"});
  }
  if (j.contains("required")) {
    if (!j["required"].is_boolean()) errors.push_back({at + "/required", "must be true or false"});
    else p.required = j["required"].get<bool>();
  }
  if (j.contains("responsibility")) {
    if (!j["responsibility"].is_boolean()) errors.push_back({at + "/responsibility", "must be true or false"});
    else p.responsibility = j["responsibility"].get<bool>();
    if (p.responsibility && p.type != "department") {
      errors.push_back({at + "/responsibility", "only a department parameter can be the responsibility"});
    }
  }
  if (j.contains("serviceField")) {
    p.service_field = Str(j, "serviceField");
    bool text = p.service_field == "fees" || p.service_field == "legalBasis";
    if (!(text && p.type == "string") && !(p.service_field == "processingTimeDays" && p.type == "integer")) {
      errors.push_back({at + "/serviceField", "fees or legalBasis (type string), processingTimeDays (type integer)"});
    }
  }
  if (j.contains("description")) {
    const Json& d = j["description"];
    if (!d.is_object()) errors.push_back({at + "/description", "must be an object {de, en}"});
    else {
      p.description_de = Str(d, "de");
      p.description_en = Str(d, "en");
    }
  }
  if (p.description_de.empty()) errors.push_back({at + "/description/de", "a German description is required"});
  if (j.contains("default") && !j["default"].is_null()) {
    p.default_value = j["default"];
    if (ParameterTypes().contains(p.type) && !HasType(p.default_value, p.type)) {
      errors.push_back({at + "/default", "must be of type " + p.type});
    }
  }
  if (!errors.empty()) {
    std::string m = fmt::format("invalid parameter '{}': {} {}", p.name, errors.front().pointer, errors.front().message);
    return core::InvalidArgument(m, std::move(errors));
  }
  return p;
}

core::Status CheckParameterDecls(const std::vector<ParameterDecl>& decls, std::string_view pointer_prefix) {
  std::set<std::string> names;
  int responsible = 0;
  for (size_t i = 0; i < decls.size(); ++i) {
    std::string at = fmt::format("{}/{}", pointer_prefix, i);
    if (!names.insert(decls[i].name).second) {
      return core::InvalidArgument(fmt::format("parameter '{}' is declared twice", decls[i].name),
                                   {{at + "/name", "declared twice"}});
    }
    if (decls[i].responsibility) ++responsible;
  }
  if (responsible > 1) {
    return core::InvalidArgument("at most one parameter can be the responsibility",
                                 {{std::string(pointer_prefix), "more than one responsibility parameter"}});
  }
  return core::OkStatus();
}

const ParameterDecl* Manifest::FindParameter(std::string_view n) const {
  for (const auto& p : parameters) {
    if (p.name == n) return &p;
  }
  return nullptr;
}

Json Manifest::ToJson() const {
  Json params = Json::array();
  for (const auto& p : parameters) params.push_back(ParameterDeclToJson(p));
  Json files_json = Json::array();
  for (const auto& f : files) files_json.push_back({{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}});
  Json j{{"format", std::string(kPackageFormat)},
         {"name", name},
         {"version", version},
         {"leika", leika},
         {"engine", {{"minVersion", engine_min_version}}},
         {"process", {{"id", process_id}}},
         {"form", {{"id", form_id}}},
         {"service", service},
         {"publisher", publisher},
         {"createdAt", created_at},
         {"parameters", params},
         {"files", files_json}};
  if (!binding.file.empty()) {
    j["parameterBinding"] = {{"file", binding.file}, {"element", binding.element}, {"variable", binding.variable}};
  }
  return j;
}

core::Result<Manifest> Manifest::FromJson(const Json& j) {
  if (!j.is_object()) return core::InvalidArgument("manifest.json must be a JSON object", {{"", "must be an object"}});
  std::vector<core::FieldError> errors;
  Manifest m;
  if (Str(j, "format") != kPackageFormat) {
    errors.push_back({"/format", fmt::format("must be \"{}\"", kPackageFormat)});
  }
  m.name = Str(j, "name");
  m.version = Str(j, "version");
  m.leika = Str(j, "leika");
  m.created_at = Str(j, "createdAt");
  static const std::regex slug("[a-z0-9][a-z0-9-]{0,62}");
  if (!std::regex_match(m.name, slug)) errors.push_back({"/name", "a slug: a-z, 0-9, -"});
  if (m.version.empty()) errors.push_back({"/version", "required"});
  static const std::regex leika("[0-9]{14}");
  if (!std::regex_match(m.leika, leika)) errors.push_back({"/leika", "14 digits"});
  if (j.contains("engine") && j["engine"].is_object()) m.engine_min_version = Str(j["engine"], "minVersion");
  if (m.engine_min_version.empty()) errors.push_back({"/engine/minVersion", "required"});
  if (j.contains("process") && j["process"].is_object()) m.process_id = Str(j["process"], "id");
  if (m.process_id.empty()) errors.push_back({"/process/id", "required"});
  if (j.contains("form") && j["form"].is_object()) m.form_id = Str(j["form"], "id");
  if (m.form_id.empty()) errors.push_back({"/form/id", "required"});
  if (j.contains("service") && j["service"].is_object()) m.service = j["service"];
  else errors.push_back({"/service", "an object with the service texts"});
  if (j.contains("publisher") && j["publisher"].is_object()) m.publisher = j["publisher"];
  if (j.contains("parameters")) {
    if (!j["parameters"].is_array()) errors.push_back({"/parameters", "must be an array"});
    else {
      for (size_t i = 0; i < j["parameters"].size(); ++i) {
        auto p = ParameterDeclFromJson(j["parameters"][i], fmt::format("/parameters/{}", i));
        if (!p.ok()) {
          for (const auto& d : p.error().details()) errors.push_back(d);
        } else {
          m.parameters.push_back(std::move(*p));
        }
      }
    }
  }
  if (j.contains("parameterBinding")) {
    const Json& b = j["parameterBinding"];
    m.binding.file = Str(b, "file");
    m.binding.element = Str(b, "element");
    m.binding.variable = Str(b, "variable");
    if (m.binding.file.empty()) errors.push_back({"/parameterBinding/file", "required"});
    if (m.binding.element.empty()) errors.push_back({"/parameterBinding/element", "required"});
    if (m.binding.variable.empty()) errors.push_back({"/parameterBinding/variable", "required"});
  }
  if (!j.contains("files") || !j["files"].is_array()) {
    errors.push_back({"/files", "an array of {path, sha256, size}"});
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < j["files"].size(); ++i) {
      const Json& f = j["files"][i];
      std::string at = fmt::format("/files/{}", i);
      FileEntry e;
      e.path = f.is_object() ? Str(f, "path") : "";
      e.sha256 = f.is_object() ? Str(f, "sha256") : "";
      if (f.is_object() && f.contains("size") && f["size"].is_number_unsigned()) e.size = f["size"].get<size_t>();
      if (!IsSafeEntryName(e.path) || ReservedPath(e.path)) errors.push_back({at + "/path", "a safe relative path"});
      else if (!seen.insert(e.path).second) errors.push_back({at + "/path", "listed twice"});
      static const std::regex hex("[0-9a-f]{64}");
      if (!std::regex_match(e.sha256, hex)) errors.push_back({at + "/sha256", "64 lower-case hex digits"});
      m.files.push_back(std::move(e));
    }
  }
  if (errors.empty()) {
    auto s = CheckParameterDecls(m.parameters, "/parameters");
    if (!s.ok()) {
      for (const auto& d : s.error().details()) errors.push_back(d);
    }
  }
  if (!errors.empty()) {
    std::string msg = fmt::format("invalid manifest: {} {}", errors.front().pointer, errors.front().message);
    return core::InvalidArgument(msg, std::move(errors));
  }
  return m;
}

const PackageFile* Package::Find(std::string_view path) const {
  for (const auto& f : files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

int CompareVersions(std::string_view a, std::string_view b) {
  auto parts = [](std::string_view s) {
    std::vector<long> out;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find('.', start);
      if (end == std::string_view::npos) end = s.size();
      long v = 0;
      for (char c : s.substr(start, end - start)) {
        if (c < '0' || c > '9') break;
        v = v * 10 + (c - '0');
      }
      out.push_back(v);
      start = end + 1;
    }
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  size_t n = std::max(pa.size(), pb.size());
  pa.resize(n, 0);
  pb.resize(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (pa[i] != pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

core::Result<std::string> BuildPackage(Manifest manifest, const std::vector<PackageFile>& files, const SecretKey& key) {
  manifest.files.clear();
  std::vector<ZipEntry> entries;
  entries.push_back({"manifest.json", ""});
  entries.push_back({"signature.json", ""});
  for (const auto& f : files) {
    if (ReservedPath(f.path)) return core::InvalidArgument(fmt::format("'{}' is a reserved name", f.path));
    manifest.files.push_back({f.path, core::Sha256Hex(f.data), f.data.size()});
    entries.push_back({f.path, f.data});
  }
  AW_TRY(CheckParameterDecls(manifest.parameters, "/parameters"));
  std::string text = core::DumpJson(manifest.ToJson(), 2) + "\n";
  // What we write must read back: validate our own manifest.
  AW_ASSIGN_OR_RETURN(Json parsed, core::ParseJson(text));
  AW_TRY(Manifest::FromJson(parsed));
  Json sig{{"algorithm", "Ed25519"},
           {"keyId", key.public_key.id},
           {"publicKey", Base64Encode(key.public_key.bytes)},
           {"signature", Base64Encode(SignDetached(text, key))}};
  entries[0].data = std::move(text);
  entries[1].data = core::DumpJson(sig, 2) + "\n";
  return WriteZip(entries);
}

core::Result<Package> OpenPackage(const std::string& archive, std::string_view label,
                                  const std::vector<PublicKey>& trusted, bool require_trust,
                                  std::string_view engine_version) {
  std::string at(label);
  auto fail = [&](core::Error e) {
    e.WithContext(at);
    return e;
  };
  auto entries = ReadZip(archive);
  if (!entries.ok()) return fail(std::move(entries).error());
  const ZipEntry* manifest_entry = nullptr;
  const ZipEntry* sig_entry = nullptr;
  for (const auto& e : *entries) {
    if (e.name == "manifest.json") manifest_entry = &e;
    if (e.name == "signature.json") sig_entry = &e;
  }
  if (manifest_entry == nullptr) return fail(core::InvalidArgument("manifest.json is missing: not a process package"));
  if (sig_entry == nullptr) return fail(core::PermissionDenied("signature.json is missing: the package is not signed"));
  // The signature first: nothing of an unsigned manifest is trusted.
  auto sig = core::ParseJson(sig_entry->data);
  if (!sig.ok() || !sig->is_object()) return fail(core::InvalidArgument("signature.json: not a JSON object"));
  if (Str(*sig, "algorithm") != "Ed25519") {
    return fail(core::InvalidArgument("signature.json: algorithm must be \"Ed25519\""));
  }
  std::string key_id = Str(*sig, "keyId");
  auto signature = Base64Decode(Str(*sig, "signature"));
  if (!signature.ok()) return fail(core::InvalidArgument("signature.json: signature is not base64"));
  PublicKey key;
  if (require_trust) {
    auto it = std::find_if(trusted.begin(), trusted.end(), [&](const PublicKey& k) { return k.id == key_id; });
    if (it == trusted.end()) {
      return fail(core::PermissionDenied(fmt::format(
          "signed by key {}, which is not trusted here (trust its public key with --trust FILE or "
          "`amtsweg package trust`)", key_id.empty() ? "(none)" : key_id)));
    }
    key = *it;
  } else {
    auto embedded = PublicKeyFromBase64(Str(*sig, "publicKey"));
    if (!embedded.ok()) return fail(core::InvalidArgument("signature.json: publicKey is not a 32-byte base64 key"));
    if (embedded->id != key_id) return fail(core::PermissionDenied("signature.json: keyId does not match publicKey"));
    key = *embedded;
  }
  if (!VerifyDetached(manifest_entry->data, *signature, key)) {
    return fail(core::PermissionDenied(fmt::format(
        "manifest.json: the signature of key {} does not match (the manifest was changed after signing, or "
        "it was signed with another key)", key.id)));
  }
  auto mj = core::ParseJson(manifest_entry->data);
  if (!mj.ok()) return fail(core::InvalidArgument("manifest.json: " + mj.error().message()));
  auto manifest = Manifest::FromJson(*mj);
  if (!manifest.ok()) return fail(std::move(manifest).error());
  if (CompareVersions(engine_version, manifest->engine_min_version) < 0) {
    return fail(core::FailedPrecondition(fmt::format("the package needs engine version {} or newer; this is {}",
                                                     manifest->engine_min_version, engine_version)));
  }
  Package pkg;
  pkg.key_id = key.id;
  pkg.manifest_sha256 = core::Sha256Hex(manifest_entry->data);
  std::set<std::string> listed;
  for (const auto& f : manifest->files) {
    listed.insert(f.path);
    auto it = std::find_if(entries->begin(), entries->end(), [&](const ZipEntry& e) { return e.name == f.path; });
    if (it == entries->end()) {
      return fail(core::PermissionDenied(fmt::format("{}: listed in the manifest but missing", f.path)));
    }
    if (it->data.size() != f.size || !core::ConstantTimeEquals(core::Sha256Hex(it->data), f.sha256)) {
      return fail(core::PermissionDenied(
          fmt::format("{}: SHA-256 does not match the signed manifest (the file was changed after signing)", f.path)));
    }
    pkg.files.push_back({f.path, it->data});
  }
  for (const auto& e : *entries) {
    if (ReservedPath(e.name) || listed.contains(e.name)) continue;
    return fail(core::PermissionDenied(fmt::format("{}: not listed in the signed manifest", e.name)));
  }
  if (!manifest->binding.file.empty() && !listed.contains(manifest->binding.file)) {
    return fail(core::InvalidArgument(fmt::format("parameterBinding: file {} is not in the package", manifest->binding.file)));
  }
  pkg.manifest = std::move(*manifest);
  return pkg;
}

}  // namespace amtsweg::packages
