#include "store/history_batch.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/json.h"

namespace amtsweg::store {
namespace {

struct Event {
  std::string event, element_id;
  int64_t element_key = 0;
  std::string data;
  bool operator==(const Event&) const = default;
};

core::Result<std::vector<Event>> Decode(std::string_view text) {
  std::vector<Event> out;
  AW_TRY(ForEachHistoryEvent(text, [&](const HistoryEventView& e) -> core::Status {
    out.push_back(Event{std::string(e.event), std::string(e.element_id), e.element_key, std::string(e.data)});
    return core::OkStatus();
  }));
  return out;
}

std::string Encode(const std::vector<Event>& events) {
  std::string batch;
  for (const Event& e : events) AppendHistoryEvent(batch, e.event, e.element_id, e.element_key, e.data);
  FinishHistoryBatch(batch);
  return batch;
}

TEST(HistoryBatch, RoundTripsAnyElementIdAndData) {
  std::string every_byte;  // every ASCII byte including control characters, then UTF-8
  for (int c = 1; c < 128; ++c) every_byte += static_cast<char>(c);
  every_byte += "\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80";  // ä € 😀
  std::vector<Event> events{
      {"instance_started", "Proc_1", 0, R"({"definitionKey":"d:1","version":1})"},
      {"element_activated", every_byte, 3, ""},
      {"job_created", "a\"b\\c]d,[e", -42, R"({"s":"] , [ \" \\ }","n":[1,[2,{"x":null}]],"u":"\u00e4"})"},
      {"element_completed", "", 9223372036854775807, "null"},
      {"x", "y", 1, R"("a string, with ] and \" inside")"},
      {"x", "y", 2, "-1.5e3"},
      {"x", "y", 3, "true"},
  };
  std::string text = Encode(events);
  auto back = Decode(text);
  ASSERT_TRUE(back.ok()) << back.error().message();
  events[3].data.clear();  // JSON null reads back as "no data"
  EXPECT_EQ(*back, events);

  // The batch is plain JSON: a general parser reads the same events.
  auto json = core::ParseJson(text);
  ASSERT_TRUE(json.ok()) << json.error().message();
  ASSERT_EQ(json->size(), events.size());
  EXPECT_EQ((*json)[1][1].get<std::string>(), every_byte);
  EXPECT_EQ((*json)[2][1].get<std::string>(), "a\"b\\c]d,[e");
  EXPECT_EQ((*json)[2][2].get<int64_t>(), -42);
  EXPECT_EQ((*json)[2][3]["s"].get<std::string>(), "] , [ \" \\ }");
  EXPECT_TRUE((*json)[1][3].is_null());
}

TEST(HistoryBatch, ReadsWhatOtherJsonWritersProduce) {
  // PostgreSQL's json_build_array (migration 0006) spaces its output; nlohmann
  // escapes differently (\u escapes, surrogate pairs, \/).
  auto spaced = Decode(" [ [\"element_activated\", \"Task_1\", 3, {\"a\": [1, 2]}] ,\n\t[\"e\", \"\", 0, null] ] ");
  ASSERT_TRUE(spaced.ok()) << spaced.error().message();
  ASSERT_EQ(spaced->size(), 2u);
  EXPECT_EQ((*spaced)[0], (Event{"element_activated", "Task_1", 3, "{\"a\": [1, 2]}"}));
  EXPECT_EQ((*spaced)[1], (Event{"e", "", 0, ""}));

  auto escaped = Decode(R"([["e","\u00e4\ud83d\ude00\/\u0001\n",1]])");
  ASSERT_TRUE(escaped.ok()) << escaped.error().message();
  EXPECT_EQ((*escaped)[0].element_id, "\xc3\xa4\xf0\x9f\x98\x80/\x01\n");
  EXPECT_EQ((*escaped)[0].data, "");  // three fields: no data

  auto empty = Decode("[]");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(Encode({}), "[]");
}

TEST(HistoryBatch, RefusesCorruptText) {
  for (std::string_view bad : {"", "[", "[[", "[[\"e\"]]", "[[\"e\",\"x\"]]", "[[\"e\",\"x\",\"k\"]]",
                               "[[\"e\",\"x\",1,{]]", "[[\"e\",\"x\",1]", "[[\"e\",\"x\",1]]x", "[[\"e\",\"x\",1][]]",
                               "[[\"e\\q\",\"x\",1]]", "[[\"\\ud800\",\"x\",1]]", "[[\"\\u12\",\"x\",1]]",
                               "{\"e\":1}"}) {
    auto r = Decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), core::ErrorCode::kInternal) << bad;
    EXPECT_NE(r.error().message().find("stored engine history is corrupt"), std::string::npos);
  }
}

TEST(HistoryBatch, StopsAtTheCallbacksError) {
  std::string text = Encode({{"a", "x", 1, ""}, {"b", "x", 2, ""}, {"c", "x", 3, ""}});
  int seen = 0;
  auto st = ForEachHistoryEvent(text, [&](const HistoryEventView& e) -> core::Status {
    ++seen;
    if (e.event == "b") return core::InvalidArgument("stop");
    return core::OkStatus();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace amtsweg::store
