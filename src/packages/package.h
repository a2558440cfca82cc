// A process package: one ZIP archive that carries a service from one
// municipality to another (Nachnutzung).
//
//   manifest.json    name, version, LeiKa key, required engine version, the
//                    service texts, parameter declarations, the parameter
//                    binding, and every other file with its SHA-256 and size
//   signature.json   {"algorithm": "Ed25519", "keyId", "publicKey", "signature"}:
//                    a detached signature over the bytes of manifest.json
//   bpmn/ dmn/ forms/ templates/ texts/   the files the manifest lists
//
// The signature covers the manifest and the manifest covers every file by
// hash, so one changed byte anywhere is found. Pure: no I/O, no store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "packages/signing.h"

namespace amtsweg::packages {

inline constexpr std::string_view kPackageFormat = "amtsweg-package/1";

// A value the importing municipality sets for itself (fee rate, deadline,
// department, contact). Types: string, number, integer, boolean, email,
// department (a department id of the importing tenant), list, object.
struct ParameterDecl {
  std::string name;
  std::string type;
  core::Json default_value;  // null: none
  bool required = false;     // the importer must give its own value (the default is the publisher's)
  std::string description_de, description_en;
  // type department: this department becomes the catalogue service's responsibility.
  bool responsibility = false;
  // The value replaces this text of the catalogue service ("fees", "legalBasis";
  // type string) or "processingTimeDays" (type integer); empty: none.
  std::string service_field{};
};

struct FileEntry {
  std::string path;
  std::string sha256;
  size_t size = 0;
};

struct Manifest {
  std::string name;     // slug, e.g. "plakatierung"
  std::string version;  // the publisher's version, e.g. "3"
  std::string leika;    // 14 digits
  std::string engine_min_version = "0.1.0";
  std::string process_id;  // the BPMN process the service starts
  std::string form_id;     // the citizen's application form
  core::Json service = core::Json::object();    // name{de,en}, description{de,en}, legalBasis, fees, ...
  core::Json publisher = core::Json::object();  // tenant, name, ars
  std::string created_at;
  std::vector<ParameterDecl> parameters;
  // Where the values reach the process: the script task `element` in BPMN
  // file `file` whose result variable `variable` ("params") is set to a FEEL
  // context of the values. Empty file: parameters are not bound.
  struct Binding {
    std::string file, element, variable = "params";
  } binding;
  std::vector<FileEntry> files;

  core::Json ToJson() const;
  // kInvalidArgument with one FieldError (JSON pointer) per problem.
  static core::Result<Manifest> FromJson(const core::Json& j);
  const ParameterDecl* FindParameter(std::string_view name) const;
};

// Checks parameter declarations (names, types, defaults of the right type).
core::Status CheckParameterDecls(const std::vector<ParameterDecl>& decls, std::string_view pointer_prefix);
core::Json ParameterDeclToJson(const ParameterDecl& p);
core::Result<ParameterDecl> ParameterDeclFromJson(const core::Json& j, std::string_view pointer);

struct PackageFile {
  std::string path;  // "bpmn/plakatierung.bpmn"
  std::string data;
};

struct Package {
  Manifest manifest;
  std::vector<PackageFile> files;  // in manifest order
  std::string key_id;              // the signer
  std::string manifest_sha256;     // of manifest.json as signed
  const PackageFile* Find(std::string_view path) const;
};

// Builds the archive: fills `manifest.files` from `files`, writes the
// manifest, signs it with `key`. kInvalidArgument: a reserved or unsafe path,
// a path twice.
core::Result<std::string> BuildPackage(Manifest manifest, const std::vector<PackageFile>& files, const SecretKey& key);

// Opens and verifies `archive`. `label` (the file name) starts every error.
// With `trusted` non-empty the signer must be one of them; with
// `require_trust` false (diff) any correct signature of the key named in
// signature.json is accepted. kPermissionDenied: unknown key, bad
// signature, changed file; kInvalidArgument: malformed archive or manifest;
// kFailedPrecondition: the package needs a newer engine than `engine_version`.
core::Result<Package> OpenPackage(const std::string& archive, std::string_view label,
                                  const std::vector<PublicKey>& trusted, bool require_trust,
                                  std::string_view engine_version);

// Compares dotted version numbers ("0.10.1" > "0.9"); non-numbers compare as 0.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace amtsweg::packages
