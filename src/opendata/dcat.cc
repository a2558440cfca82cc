#include "opendata/dcat.h"

#include <map>

#include <fmt/format.h>

#include "core/hash.h"

namespace amtsweg::opendata {
namespace {

using core::Json;

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";

struct Prefix {
  std::string_view name;
  std::string_view iri;
};
constexpr Prefix kPrefixes[] = {
    {"dcat", "http://www.w3.org/ns/dcat#"},         {"dcatap", "http://data.europa.eu/r5r/"},
    {"dcatde", "http://dcat-ap.de/def/dcatde/"},     {"dcterms", "http://purl.org/dc/terms/"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},         {"vcard", "http://www.w3.org/2006/vcard/ns#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},   {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
};

std::string Iri(std::string_view prefixed) {
  auto colon = prefixed.find(':');
  for (const auto& p : kPrefixes) {
    if (prefixed.substr(0, colon) == p.name) return std::string(p.iri) + std::string(prefixed.substr(colon + 1));
  }
  return std::string(prefixed);
}

// An object: an IRI, or a literal with a language or a datatype.
struct Term {
  enum class Kind { kIri, kLiteral } kind;
  std::string value;
  std::string lang;      // literal
  std::string datatype;  // literal, full IRI
};
Term I(std::string iri) { return {Term::Kind::kIri, std::move(iri), "", ""}; }
Term De(std::string text) { return {Term::Kind::kLiteral, std::move(text), "de", ""}; }
Term Plain(std::string text) { return {Term::Kind::kLiteral, std::move(text), "", ""}; }
Term Typed(std::string text, std::string_view xsd_type) {
  return {Term::Kind::kLiteral, std::move(text), "", std::string(kXsd) + std::string(xsd_type)};
}
Term DateTime(core::Timestamp t) { return Typed(core::FormatIso8601(t, 0), "dateTime"); }

// Triples grouped by subject, in insertion order.
class Graph {
 public:
  void Add(const std::string& s, std::string_view p, Term o) {
    auto it = index_.find(s);
    if (it == index_.end()) {
      index_[s] = nodes_.size();
      nodes_.push_back({s, {}});
      it = index_.find(s);
    }
    nodes_[it->second].props.push_back({Iri(p), std::move(o)});
  }
  void Type(const std::string& s, std::string_view cls) { Add(s, kRdfType, I(Iri(cls))); }

  std::string Turtle() const {
    std::string out;
    for (const auto& p : kPrefixes) out += fmt::format("@prefix {}: <{}> .\n", p.name, p.iri);
    for (const auto& n : nodes_) {
      out += "\n" + IriRef(n.subject);
      for (size_t i = 0; i < n.props.size(); ++i) {
        out += (i == 0 ? "\n    " : " ;\n    ");
        out += (n.props[i].first == kRdfType ? std::string("a") : Short(n.props[i].first)) + " " +
               TurtleTerm(n.props[i].second);
      }
      out += " .\n";
    }
    return out;
  }

  // Expanded JSON-LD (no context needed to read it; every consumer's toRDF gives the same triples).
  Json JsonLd() const {
    Json graph = Json::array();
    for (const auto& n : nodes_) {
      Json node{{"@id", n.subject}};
      for (const auto& [p, o] : n.props) {
        if (p == kRdfType) {
          node["@type"].push_back(o.value);
          continue;
        }
        Json v;
        if (o.kind == Term::Kind::kIri) {
          v = {{"@id", o.value}};
        } else {
          v = {{"@value", o.value}};
          if (!o.lang.empty()) v["@language"] = o.lang;
          if (!o.datatype.empty()) v["@type"] = o.datatype;
        }
        node[p].push_back(std::move(v));
      }
      graph.push_back(std::move(node));
    }
    return graph;
  }

 private:
  struct Node {
    std::string subject;
    std::vector<std::pair<std::string, Term>> props;
  };

  // <iri>, percent-encoding what IRIREF forbids (controls, space, <>"{}|^`\).
  static std::string IriRef(std::string_view iri) {
    std::string out = "<";
    for (unsigned char c : iri) {
      if (c <= 0x20 || std::string_view("<>\"{}|^`\\").find(static_cast<char>(c)) != std::string_view::npos) {
        out += fmt::format("%{:02X}", c);
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + ">";
  }
  static std::string Short(const std::string& iri) {
    for (const auto& p : kPrefixes) {
      if (iri.starts_with(p.iri)) {
        std::string local = iri.substr(p.iri.size());
        bool simple = !local.empty() && local.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                "0123456789_") == std::string::npos;
        if (simple) return std::string(p.name) + ":" + local;
      }
    }
    return IriRef(iri);
  }
  // A "..." string with the escapes of Turtle's STRING_LITERAL_QUOTE; UTF-8 passes through.
  static std::string Quote(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\u{:04X}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
    }
    return out + "\"";
  }
  static std::string TurtleTerm(const Term& t) {
    if (t.kind == Term::Kind::kIri) return Short(t.value);
    std::string out = Quote(t.value);
    if (!t.lang.empty()) return out + "@" + t.lang;
    if (!t.datatype.empty()) return out + "^^" + Short(t.datatype);
    return out;
  }

  std::vector<Node> nodes_;
  std::map<std::string, size_t> index_;
};

// accrualPeriodicity from the schedule's interval (EU frequency vocabulary).
std::string Frequency(std::string_view cycle) {
  auto slash = cycle.rfind('/');
  std::string_view p = slash == std::string_view::npos ? cycle : cycle.substr(slash + 1);
  if (p == "P1D" || p == "PT24H") return "DAILY";
  if (p == "P1W" || p == "P7D") return "WEEKLY";
  if (p == "P1M") return "MONTHLY";
  if (p == "PT1H") return "HOURLY";
  return "";
}

const DatasetDef* FindDef(const Settings& s, std::string_view id) {
  for (const auto& d : s.datasets) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

// The last path segment of a dcat-ap.de licence URI: CKAN's license_id.
std::string LicenceId(std::string_view uri) {
  constexpr std::string_view kBase = "http://dcat-ap.de/def/licenses/";
  return std::string(uri.starts_with(kBase) ? uri.substr(kBase.size()) : uri);
}

Graph Build(const TenantCatalog& c, std::string_view base) {
  const TenantInfo& t = c.tenant;
  Graph g;
  std::string catalog = CatalogUrl(base, t.id);
  std::string publisher = catalog + "#publisher";
  std::string contact = catalog + "#contact";
  Geocoding geo = GeocodingOf(t);
  std::string freq = Frequency(c.settings.schedule);

  g.Type(catalog, "dcat:Catalog");
  g.Add(catalog, "dcterms:title", De("Offene Daten: " + t.name));
  g.Add(catalog, "dcterms:description",
        De("Statistiken über die Verwaltungsleistungen von " + t.name +
           " (nur Summen; kleine Fallzahlen unterdrückt), berechnet von Amtsweg."));
  g.Add(catalog, "dcterms:publisher", I(publisher));
  g.Add(catalog, "dcterms:language", I("http://publications.europa.eu/resource/authority/language/DEU"));
  g.Add(catalog, "dcterms:spatial", I(geo.uri));
  if (!t.web.empty()) g.Add(catalog, "foaf:homepage", I(t.web));
  core::Timestamp latest{};
  for (const auto& p : c.publications) latest = std::max(latest, p.modified);
  if (!c.publications.empty()) g.Add(catalog, "dcterms:modified", DateTime(latest));

  // The regional key denotes a place (dcterms:spatial ranges over dcterms:Location).
  g.Type(geo.uri, "dcterms:Location");

  g.Type(publisher, "foaf:Agent");
  g.Add(publisher, "foaf:name", De(t.name));
  g.Add(publisher, "dcterms:type", I("http://purl.org/adms/publishertype/LocalAuthority"));

  g.Type(contact, "vcard:Organization");
  g.Add(contact, "vcard:fn", Plain(t.name));
  if (!t.email.empty()) g.Add(contact, "vcard:hasEmail", I("mailto:" + t.email));
  if (!t.web.empty()) g.Add(contact, "vcard:hasURL", I(t.web));

  for (const auto& p : c.publications) {
    const DatasetDef* d = FindDef(c.settings, p.dataset_id);
    if (d == nullptr) continue;
    std::string ds = DatasetUrl(base, t.id, d->id);
    g.Add(catalog, "dcat:dataset", I(ds));
    g.Type(ds, "dcat:Dataset");
    g.Add(ds, "dcterms:title", De(d->title));
    g.Add(ds, "dcterms:description", De(d->description));
    g.Add(ds, "dcterms:identifier", Plain(ds));
    g.Add(ds, "dcterms:publisher", I(publisher));
    g.Add(ds, "dcat:contactPoint", I(contact));
    g.Add(ds, "dcatde:contributorID", I(c.settings.contributor_id));
    g.Add(ds, "dcatde:politicalGeocodingURI", I(geo.uri));
    g.Add(ds, "dcatde:politicalGeocodingLevelURI", I(geo.level));
    g.Add(ds, "dcterms:spatial", I(geo.uri));
    g.Add(ds, "dcat:theme", I("http://publications.europa.eu/resource/authority/data-theme/" + d->theme));
    for (const auto& k : d->keywords) g.Add(ds, "dcat:keyword", De(k));
    g.Add(ds, "dcterms:issued", DateTime(p.issued));
    g.Add(ds, "dcterms:modified", DateTime(p.modified));
    if (!freq.empty()) {
      g.Add(ds, "dcterms:accrualPeriodicity", I("http://publications.europa.eu/resource/authority/frequency/" + freq));
    }
    g.Add(ds, "dcatap:availability",
          I("http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE"));
    for (std::string_view fmt : {"csv", "json"}) {
      bool csv = fmt == "csv";
      std::string url = DownloadUrl(base, t.id, d->id, fmt);
      std::string dist = ds + "/distributions/" + std::string(fmt);
      g.Add(ds, "dcat:distribution", I(dist));
      g.Type(dist, "dcat:Distribution");
      g.Add(dist, "dcterms:title", De(d->title + (csv ? " (CSV)" : " (JSON)")));
      g.Add(dist, "dcat:accessURL", I(url));
      g.Add(dist, "dcat:downloadURL", I(url));
      g.Add(dist, "dcterms:format",
            I(std::string("http://publications.europa.eu/resource/authority/file-type/") + (csv ? "CSV" : "JSON")));
      g.Add(dist, "dcat:mediaType",
            I(std::string("https://www.iana.org/assignments/media-types/") + (csv ? "text/csv" : "application/json")));
      g.Add(dist, "dcterms:license", I(c.settings.licence));
      g.Add(dist, "dcatde:licenseAttributionByText", Plain(t.name));
      g.Add(dist, "dcterms:issued", DateTime(p.issued));
      g.Add(dist, "dcterms:modified", DateTime(p.modified));
      g.Add(dist, "dcat:byteSize",
            Typed(std::to_string(csv ? p.csv.size() : p.json.size()), "nonNegativeInteger"));
      g.Add(dist, "dcatap:availability",
            I("http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE"));
    }
  }
  return g;
}

std::string Iso(core::Timestamp t) {
  // CKAN writes naive ISO timestamps (UTC) with microseconds.
  std::string s = core::FormatIso8601(t, 6);
  return s.substr(0, s.size() - 1);
}

}  // namespace

std::string CatalogUrl(std::string_view base, std::string_view tenant) {
  return fmt::format("{}/api/v1/opendata/{}/catalog", base, tenant);
}
std::string DatasetUrl(std::string_view base, std::string_view tenant, std::string_view dataset) {
  return fmt::format("{}/api/v1/opendata/{}/datasets/{}", base, tenant, dataset);
}
std::string DownloadUrl(std::string_view base, std::string_view tenant, std::string_view dataset,
                        std::string_view format) {
  return fmt::format("{}/api/v1/opendata/{}/datasets/{}.{}", base, tenant, dataset, format);
}

Geocoding GeocodingOf(const TenantInfo& t) {
  constexpr std::string_view kGeo = "http://dcat-ap.de/def/politicalGeocoding/";
  if (t.type == "Kreis" && t.ars.size() == 12) {
    return {std::string(kGeo) + "districtKey/" + t.ars.substr(0, 5), std::string(kGeo) + "Level/administrativeDistrict"};
  }
  // Gemeinde, Stadt and Amt (a Gemeindeverband) are found by their 12-digit Regionalschlüssel.
  return {std::string(kGeo) + "regionalKey/" + t.ars, std::string(kGeo) + "Level/municipality"};
}

std::string ToTurtle(const TenantCatalog& c, std::string_view base) { return Build(c, base).Turtle(); }
Json ToJsonLd(const TenantCatalog& c, std::string_view base) { return Build(c, base).JsonLd(); }

std::string CkanId(std::string_view key) {
  std::string h = core::Sha256Hex(key);
  // Shaped like a version 4/variant 1 UUID so strict clients accept it.
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4), h.substr(20, 12));
}

std::string CkanPackageName(std::string_view tenant, std::string_view dataset) {
  return fmt::format("{}--{}", tenant, dataset);
}

Json CkanOrganization(const TenantCatalog& c) {
  return Json{{"id", CkanId("org:" + c.tenant.id)},
              {"name", c.tenant.id},
              {"title", c.tenant.name},
              {"display_name", c.tenant.name},
              {"description", c.tenant.type + " " + c.tenant.name + " (ARS " + c.tenant.ars + ")"},
              {"image_url", ""},
              {"type", "organization"},
              {"is_organization", true},
              {"approval_status", "approved"},
              {"state", "active"},
              {"package_count", static_cast<int64_t>(c.publications.size())}};
}

Json CkanPackage(const TenantCatalog& c, const DatasetDef& d, const Publication& p, std::string_view base) {
  std::string name = CkanPackageName(c.tenant.id, d.id);
  std::string pid = CkanId("pkg:" + c.tenant.id + "/" + d.id);
  Json org = CkanOrganization(c);
  org.erase("package_count");
  org.erase("display_name");
  org["created"] = Iso(p.issued);
  Json tags = Json::array();
  for (const auto& k : d.keywords) {
    tags.push_back({{"id", CkanId("tag:" + k)},
                    {"name", k},
                    {"display_name", k},
                    {"state", "active"},
                    {"vocabulary_id", nullptr}});
  }
  Json resources = Json::array();
  int pos = 0;
  for (std::string_view fmt : {"csv", "json"}) {
    bool csv = fmt == "csv";
    resources.push_back({{"id", CkanId("res:" + c.tenant.id + "/" + d.id + "/" + std::string(fmt))},
                         {"package_id", pid},
                         {"name", d.title + (csv ? " (CSV)" : " (JSON)")},
                         {"description", d.description},
                         {"format", csv ? "CSV" : "JSON"},
                         {"mimetype", csv ? "text/csv" : "application/json"},
                         {"url", DownloadUrl(base, c.tenant.id, d.id, fmt)},
                         {"url_type", nullptr},
                         {"resource_type", nullptr},
                         {"size", static_cast<int64_t>(csv ? p.csv.size() : p.json.size())},
                         {"hash", ""},
                         {"cache_url", nullptr},
                         {"cache_last_updated", nullptr},
                         {"mimetype_inner", nullptr},
                         {"datastore_active", false},
                         {"created", Iso(p.issued)},
                         {"last_modified", Iso(p.modified)},
                         {"metadata_modified", Iso(p.modified)},
                         {"position", pos++},
                         {"state", "active"}});
  }
  Geocoding geo = GeocodingOf(c.tenant);
  std::string licence_id = LicenceId(c.settings.licence);
  return Json{{"id", pid},
              {"name", name},
              {"title", d.title},
              {"notes", d.description},
              {"type", "dataset"},
              {"state", "active"},
              {"private", false},
              {"isopen", true},
              {"license_id", licence_id},
              {"license_title", licence_id},
              {"license_url", c.settings.licence},
              {"author", c.tenant.name},
              {"author_email", c.tenant.email.empty() ? Json() : Json(c.tenant.email)},
              {"maintainer", c.tenant.name},
              {"maintainer_email", c.tenant.email.empty() ? Json() : Json(c.tenant.email)},
              {"url", DatasetUrl(base, c.tenant.id, d.id)},
              {"version", nullptr},
              {"creator_user_id", nullptr},
              {"metadata_created", Iso(p.issued)},
              {"metadata_modified", Iso(p.modified)},
              {"owner_org", org["id"]},
              {"organization", org},
              {"num_resources", static_cast<int64_t>(resources.size())},
              {"num_tags", static_cast<int64_t>(tags.size())},
              {"tags", tags},
              {"groups", Json::array()},
              {"resources", resources},
              {"relationships_as_object", Json::array()},
              {"relationships_as_subject", Json::array()},
              {"extras",
               Json::array({{{"key", "contributorID"}, {"value", c.settings.contributor_id}},
                            {{"key", "politicalGeocodingURI"}, {"value", geo.uri}},
                            {{"key", "politicalGeocodingLevelURI"}, {"value", geo.level}},
                            {{"key", "theme"},
                             {"value", "http://publications.europa.eu/resource/authority/data-theme/" + d.theme}},
                            {{"key", "rowCount"}, {"value", std::to_string(p.row_count)}}})}};
}

}  // namespace amtsweg::opendata
