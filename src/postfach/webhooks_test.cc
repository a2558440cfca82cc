#include "postfach/webhooks.h"

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "store/store_test_util.h"

namespace amtsweg::postfach {
namespace {

using core::Json;

// The example of the Standard Webhooks reference libraries
// (standard-webhooks/libraries, tests of every language).
TEST(WebhookSignature, MatchesTheStandardWebhooksExample) {
  auto sig = SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                         R"({"test": 2432232314})");
  ASSERT_TRUE(sig.ok()) << sig.error().ToString();
  EXPECT_EQ(*sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  EXPECT_TRUE(VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                            R"({"test": 2432232314})", "v1,bm9ldHUjKzFob2VudXRob2VodWUzMjRvdWVvdW9ldQo= " + *sig));
  EXPECT_FALSE(VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265331",
                             R"({"test": 2432232314})", *sig));
  EXPECT_FALSE(VerifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                             R"({"test": 2432232315})", *sig));
  EXPECT_EQ(SignWebhook("geheim", "msg_1", 1, "{}").error().code(), core::ErrorCode::kInvalidArgument);
  std::string s = NewWebhookSecret();
  EXPECT_TRUE(s.starts_with("whsec_"));
  EXPECT_EQ(s.size(), 6u + 44u);
  EXPECT_NE(s, NewWebhookSecret());
}

TEST(WebhookSignature, EventTypes) {
  EXPECT_TRUE(EventMatches({"*"}, "intake.case_submitted"));
  EXPECT_TRUE(EventMatches({"postfach.*"}, "postfach.reply_received"));
  EXPECT_FALSE(EventMatches({"postfach.*"}, "postfachx.reply"));
  EXPECT_TRUE(EventMatches({"intake.case_submitted"}, "intake.case_submitted"));
  EXPECT_FALSE(EventMatches({"intake.case_submitted"}, "intake.case_submitted2"));
}

class WebhooksTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    hooks_ = std::make_unique<Webhooks>(*db_, WebhookOptions{});
  }
  void TearDown() override {
    hooks_.reset();
    if (db_) db_->Close();
    db_.reset();
    StoreTest::TearDown();
  }
  void Event(const std::string& tenant, const std::string& action, const std::string& type = "case",
             const std::string& id = "case-1") {
    auto s = db_->writer().Run([&](store::Tx& tx) -> core::Status {
      AW_TRY(audit::Append(tx, {.tenant = tenant, .actor = "system", .action = action, .object_type = type,
                                .object_id = id, .details = {{"k", "v"}}},
                           core::SystemClock::Instance().Now()));
      return core::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.error().ToString();
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Webhooks> hooks_;
};

TEST_P(WebhooksTest, SubscriptionsAreValidatedByField) {
  auto r = hooks_->Create("amt-a", Json{{"url", "ftp://x"}, {"eventTypes", {"*", "Bad Type"}}}, "user:u1");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().details().size(), 2u);
  EXPECT_EQ(r.error().details()[0].pointer, "/url");
  EXPECT_EQ(r.error().details()[1].pointer, "/eventTypes/1");
  auto none = hooks_->Create("amt-a", Json{{"url", "http://x.example/hook"}}, "user:u1");
  EXPECT_EQ(none.error().details()[0].pointer, "/eventTypes");
}

TEST_P(WebhooksTest, AuditEntriesBecomeDeliveriesOnceFromTheSubscriptionOn) {
  Event("amt-a", "intake.case_submitted");  // before the subscription: not delivered
  auto sub = hooks_->Create("amt-a", Json{{"url", "http://127.0.0.1:9/hook"}, {"eventTypes", {"intake.*", "postfach.*"}}},
                            "user:admin");
  ASSERT_TRUE(sub.ok()) << sub.error().ToString();
  EXPECT_TRUE((*sub)["secret"].get<std::string>().starts_with("whsec_"));
  std::string id = (*sub)["id"];
  auto listed = hooks_->Get("amt-a", id);
  ASSERT_TRUE(listed.ok());
  EXPECT_FALSE(listed->contains("secret")) << "the secret is shown once";
  EXPECT_EQ(hooks_->Get("amt-b", id).error().code(), core::ErrorCode::kNotFound);

  Event("amt-a", "intake.case_submitted", "case", "case-2");
  Event("amt-a", "auth.login", "session", "s1");         // not a case event
  Event("amt-a", "cases.assigned", "case", "case-2");    // not subscribed
  Event("amt-b", "intake.case_submitted", "case", "c-b");  // another tenant
  Event("amt-a", "postfach.message_sent", "case", "case-2");
  auto n = hooks_->Dispatch();
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*hooks_->Dispatch(), 0) << "the cursor moved: nothing is queued twice";
  // A restart (a new Webhooks on the same database) does not queue them again either.
  Webhooks again(*db_, {});
  EXPECT_EQ(*again.Dispatch(), 0);
  Event("amt-a", "postfach.reply_received", "case", "case-2");
  EXPECT_EQ(*again.Dispatch(), 1);

  auto d = hooks_->Deliveries("amt-a", id, "", 100);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  ASSERT_EQ((*d)["items"].size(), 3u);
  EXPECT_EQ((*d)["items"][0]["eventType"], "postfach.reply_received");  // newest first
  EXPECT_EQ((*d)["items"][2]["eventType"], "intake.case_submitted");
  EXPECT_EQ((*d)["items"][2]["status"], "pending");
  EXPECT_TRUE((*d)["items"][2]["id"].get<std::string>().starts_with("msg_"));
  EXPECT_EQ(hooks_->Deliveries("amt-b", id, "", 100).error().code(), core::ErrorCode::kNotFound);

  ASSERT_TRUE(hooks_->Delete("amt-a", id, "user:admin").ok());
  EXPECT_EQ(hooks_->Delete("amt-a", id, "user:admin").error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(ReadInt(*db_, "SELECT COUNT(*) FROM webhook_deliveries"), 0);
}

AW_STORE_INSTANTIATE(WebhooksTest);

}  // namespace
}  // namespace amtsweg::postfach
