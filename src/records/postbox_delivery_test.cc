#include "records/postbox_delivery.h"

#include <gtest/gtest.h>

#include "records/bescheid.h"
#include "records/records_test_util.h"

namespace amtsweg::records {
namespace {

using testing::RecordsTest;

class PostboxDeliveryTest : public RecordsTest {};

// The Bescheid worker, wired to the postbox as `serve` wires it: the citizen's
// thread gets one office message with the very PDF stored in the case file.
TEST_P(PostboxDeliveryTest, TheBescheidArrivesInThePostboxOnceWithThePdf) {
  postfach::Postfach postfach(*db_, *engine_, {.files_dir = files_dir_});
  records_->SetDeliveryHook(PostboxDelivery(postfach, *records_));
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  ASSERT_FALSE(case_id.empty());

  auto handled = RunBescheidJobs(*records_);
  ASSERT_TRUE(handled.ok()) << handled.error().ToString();
  ASSERT_EQ(*handled, 1);
  auto docs = records_->ListDocuments("amt-a", case_id);
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  const DocumentVersion& v = (*docs)[0].versions.at(0);

  auto thread = postfach.ListForStaff("amt-a", case_id);
  ASSERT_TRUE(thread.ok()) << thread.error().ToString();
  ASSERT_EQ((*thread)["items"].size(), 1u) << thread->dump();
  const core::Json& m = (*thread)["items"][0];
  EXPECT_EQ(m["direction"], "toCitizen");
  EXPECT_EQ(m["author"], "system");
  EXPECT_NE(m["text"].get<std::string>().find("2026-000001"), std::string::npos) << m.dump();
  ASSERT_EQ(m["attachments"].size(), 1u);
  EXPECT_EQ(m["attachments"][0]["filename"], v.filename);
  EXPECT_EQ(m["attachments"][0]["sha256"], v.sha256);
  EXPECT_EQ(m["attachments"][0]["contentType"], "application/pdf");
  // The postbox holds the same bytes in its own store.
  auto stored = postfach.files().Get("amt-a", v.sha256);
  auto original = records_->ReadVersion("amt-a", case_id, v.document_id, 1);
  ASSERT_TRUE(stored.ok() && original.ok());
  EXPECT_EQ(*stored, original->second);

  // Nothing more to deliver; the message is not posted twice.
  EXPECT_EQ(*RunBescheidJobs(*records_), 0);
  EXPECT_EQ((*postfach.ListForStaff("amt-a", case_id))["items"].size(), 1u);
}

// Without a case postbox the delivery fails, and so does the whole command:
// no Bescheid document without its delivery.
TEST_P(PostboxDeliveryTest, ADeliveryThatFailsLeavesNoDocumentBehind) {
  postfach::Postfach postfach(*db_, *engine_, {.files_dir = files_dir_, .limits = {.max_file_bytes = 10}});
  records_->SetDeliveryHook(PostboxDelivery(postfach, *records_));
  ASSERT_TRUE(PutTemplate(*records_, "amt-a", "aufgrabung-amt-a", "erlaubnis", testing::SampleTemplate()).ok());
  std::string case_id = Submit("amt-a", "Jürgen Müller", "");
  ASSERT_FALSE(case_id.empty());
  (void)RunBescheidJobs(*records_);
  auto docs = records_->ListDocuments("amt-a", case_id);
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->size(), 0u);
  EXPECT_EQ((*postfach.ListForStaff("amt-a", case_id))["items"].size(), 0u);
}

AW_STORE_INSTANTIATE(PostboxDeliveryTest);

}  // namespace
}  // namespace amtsweg::records
