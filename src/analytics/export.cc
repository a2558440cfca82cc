#include "analytics/export.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/time.h"

namespace amtsweg::analytics {
namespace {

struct Event {
  int64_t at;
  size_t order;  // activation order, then start before complete
  int activity;
  const char* transition;  // start | complete | ate_abort
  const std::string* resource;
};

// The events of one case in time order.
std::vector<Event> CaseEvents(const Case& c) {
  std::vector<Event> out;
  out.reserve(c.events.size() * 2);
  for (size_t i = 0; i < c.events.size(); ++i) {
    const ActivityInstance& e = c.events[i];
    out.push_back(Event{e.start_ms, i * 2, e.activity, "start", nullptr});
    if (e.end_ms >= 0) {
      out.push_back(Event{e.end_ms, i * 2 + 1, e.activity, e.terminated ? "ate_abort" : "complete",
                          e.resource.empty() ? nullptr : &e.resource});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.order < b.order;
  });
  return out;
}

// concept:name per activity: the name when non-empty and unique, else the id.
std::vector<std::string> Labels(const Log& log) {
  std::map<std::string, int> uses;
  for (const auto& a : log.activities) {
    if (!a.name.empty()) uses[a.name]++;
  }
  std::vector<std::string> labels;
  for (const auto& a : log.activities) labels.push_back(!a.name.empty() && uses[a.name] == 1 ? a.name : a.id);
  return labels;
}

void XmlEscape(std::string& out, std::string_view s) {
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters; drop them.
        if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
        out += ch;
    }
  }
}

void XesAttr(std::string& out, const char* indent, const char* type, std::string_view key, std::string_view value) {
  out += indent;
  out += '<';
  out += type;
  out += " key=\"";
  XmlEscape(out, key);
  out += "\" value=\"";
  XmlEscape(out, value);
  out += "\"/>\n";
}

std::string Iso(int64_t ms) { return core::FormatIso8601(core::FromUnixMillis(ms), 3); }

}  // namespace

std::string ToXes(const Log& log) {
  std::vector<std::string> labels = Labels(log);
  std::string out;
  out.reserve(256 + log.cases.size() * 600);
  out +=
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<log xmlns=\"http://www.xes-standard.org/\" xes.version=\"1.0\">\n"
      "  <extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
      "  <extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
      "  <extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
      "  <extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
      "  <global scope=\"trace\">\n"
      "    <string key=\"concept:name\" value=\"\"/>\n"
      "  </global>\n"
      "  <global scope=\"event\">\n"
      "    <string key=\"concept:name\" value=\"\"/>\n"
      "    <date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000Z\"/>\n"
      "    <string key=\"lifecycle:transition\" value=\"complete\"/>\n"
      "  </global>\n"
      "  <classifier name=\"Activity\" keys=\"concept:name\"/>\n"
      "  <classifier name=\"ActivityLifecycle\" keys=\"concept:name lifecycle:transition\"/>\n";
  XesAttr(out, "  ", "string", "concept:name", log.process_id);
  XesAttr(out, "  ", "string", "lifecycle:model", "standard");
  XesAttr(out, "  ", "string", "source", "Amtsweg engine history");
  for (const Case& c : log.cases) {
    out += "  <trace>\n";
    XesAttr(out, "    ", "string", "concept:name", c.id);
    XesAttr(out, "    ", "int", "version", std::to_string(c.version));
    XesAttr(out, "    ", "string", "state", c.state);
    for (const Event& e : CaseEvents(c)) {
      const ActivityInfo& a = log.activities[static_cast<size_t>(e.activity)];
      out += "    <event>\n";
      XesAttr(out, "      ", "string", "concept:name", labels[static_cast<size_t>(e.activity)]);
      XesAttr(out, "      ", "date", "time:timestamp", Iso(e.at));
      XesAttr(out, "      ", "string", "lifecycle:transition", e.transition);
      if (e.resource != nullptr) XesAttr(out, "      ", "string", "org:resource", *e.resource);
      XesAttr(out, "      ", "string", "elementId", a.id);
      out += "    </event>\n";
    }
    out += "  </trace>\n";
  }
  out += "</log>\n";
  return out;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

std::string ToCsv(const Log& log) {
  std::vector<std::string> labels = Labels(log);
  std::string out =
      "case:concept:name,concept:name,lifecycle:transition,time:timestamp,org:resource,elementId,processVersion\r\n";
  for (const Case& c : log.cases) {
    std::string case_id = CsvField(c.id);
    for (const Event& e : CaseEvents(c)) {
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{}\r\n", case_id,
                     CsvField(labels[static_cast<size_t>(e.activity)]), e.transition, Iso(e.at),
                     e.resource ? CsvField(*e.resource) : std::string(),
                     CsvField(log.activities[static_cast<size_t>(e.activity)].id), c.version);
    }
  }
  return out;
}

}  // namespace amtsweg::analytics
