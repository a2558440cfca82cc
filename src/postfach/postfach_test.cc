#include "postfach/postfach.h"

#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "audit/audit.h"
#include "core/id.h"
#include "intake/intake_test_util.h"
#include "postfach/postfach_test_util.h"

namespace amtsweg::postfach {
namespace {

using core::Json;
namespace fs = std::filesystem;

class PostfachTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    db_ = Open();
    ASSERT_NE(db_, nullptr);
    files_dir_ = fs::temp_directory_path() / ("aw-postfach-files-" + store::testing::RandomSuffix());
    catalog_ = std::make_unique<catalog::Catalog>(*db_);
    engine_ = std::make_unique<engine::Engine>(*db_);
    intake_ = std::make_unique<intake::Intake>(*db_, *catalog_, *engine_, intake::IntakeOptions{.files_dir = files_dir_});
    MakePostfach(true);
    testing::SetUpTenant(*catalog_, *engine_, "amt-a");
    testing::SetUpTenant(*catalog_, *engine_, "amt-b");
  }
  void MakePostfach(bool mail) {
    postfach_ = std::make_unique<Postfach>(*db_, *engine_,
                                           Options{.files_dir = files_dir_, .mail_enabled = mail,
                                                   .public_url = "https://portal.example"});
  }
  void TearDown() override {
    postfach_.reset();
    intake_.reset();
    engine_.reset();
    catalog_.reset();
    if (db_) db_->Close();
    db_.reset();
    std::error_code ec;
    if (!files_dir_.empty()) fs::remove_all(files_dir_, ec);
    StoreTest::TearDown();
  }

  testing::SubmittedCase NewCase(const std::string& tenant = "amt-a", Json extra = Json::object()) {
    Json data{{"applicant", "Jürgen Müller"}, {"district", "sued"}, {"email", "juergen@example.org"}};
    for (auto& [k, v] : extra.items()) data[k] = v;
    return testing::Submit(*intake_, *db_, tenant, data);
  }
  core::Result<Json> StaffPost(const testing::SubmittedCase& c, std::string subject, std::string text,
                               std::vector<NewAttachment> files = {}) {
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    postfach_->PostForStaff(c.tenant, c.case_id, "user:u1", std::move(subject), std::move(text), std::move(files),
                            [&p](core::Result<Json> r) { p.set_value(std::move(r)); });
    return f.get();
  }
  core::Result<Json> CitizenPost(const std::string& code, const std::string& key, std::string subject,
                                 std::string text, std::vector<NewAttachment> files = {}) {
    std::promise<core::Result<Json>> p;
    auto f = p.get_future();
    postfach_->PostForCitizen(code, key, std::move(subject), std::move(text), std::move(files),
                              [&p](core::Result<Json> r) { p.set_value(std::move(r)); });
    return f.get();
  }
  int64_t Count(const std::string& sql) { return ReadInt(*db_, sql); }
  std::vector<std::string> AuditActions(const std::string& tenant) {
    auto entries = db_->Read([&](store::Tx& tx) { return audit::List(tx, tenant, 0, 1000); });
    EXPECT_TRUE(entries.ok());
    std::vector<std::string> out;
    if (entries.ok()) {
      for (const auto& e : *entries) out.push_back(e.action);
    }
    return out;
  }
  std::vector<std::string> ActiveElements(const testing::SubmittedCase& c) {
    auto info = engine_->GetInstance(c.tenant, c.instance_id);
    EXPECT_TRUE(info.ok()) << info.error().ToString();
    return info.ok() ? info->active_elements : std::vector<std::string>{};
  }

  std::unique_ptr<store::Database> db_;
  fs::path files_dir_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<Postfach> postfach_;
};

TEST_P(PostfachTest, OfficeMessageWithAttachmentReachesTheCitizenWithReadStatus) {
  auto c = NewCase();
  auto posted = StaffPost(c, "Ihr Antrag", "Bitte beachten Sie die Anlage.",
                          {{"Hinweise.pdf", intake::testing::TinyPdf()}});
  ASSERT_TRUE(posted.ok()) << posted.error().ToString();
  std::string id = (*posted)["id"];
  EXPECT_EQ((*posted)["direction"], "toCitizen");
  EXPECT_EQ((*posted)["author"], "user:u1");
  EXPECT_EQ((*posted)["attachments"][0]["contentType"], "application/pdf");

  // The citizen: tracking code as printed (with dashes) or typed in lower case.
  std::string typed = c.tracking_code;
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto thread = postfach_->ListForCitizen(typed, c.key);
  ASSERT_TRUE(thread.ok()) << thread.error().ToString();
  ASSERT_EQ((*thread)["items"].size(), 1u);
  const Json& m = (*thread)["items"][0];
  EXPECT_EQ(m["subject"], "Ihr Antrag");
  EXPECT_EQ(m["text"], "Bitte beachten Sie die Anlage.");
  EXPECT_FALSE(m.contains("author")) << "the citizen does not see staff ids";
  EXPECT_TRUE(m["readByCitizenAt"].is_null());
  EXPECT_EQ((*thread)["caseNumber"], c.case_number);
  EXPECT_EQ((*thread)["authority"], "Amt Musterland");

  auto file = postfach_->CitizenAttachment(c.tracking_code, c.key, id, 0);
  ASSERT_TRUE(file.ok()) << file.error().ToString();
  EXPECT_EQ(file->bytes, intake::testing::TinyPdf());
  EXPECT_EQ(file->filename, "Hinweise.pdf");
  EXPECT_EQ(postfach_->CitizenAttachment(c.tracking_code, c.key, id, 1).error().code(), core::ErrorCode::kNotFound);

  auto read = postfach_->MarkReadByCitizen(c.tracking_code, c.key, id);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_TRUE((*read)["readByCitizenAt"].is_string());
  // Reading again keeps the first time and writes no second audit entry.
  auto again = postfach_->MarkReadByCitizen(c.tracking_code, c.key, id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["readByCitizenAt"], (*read)["readByCitizenAt"]);
  auto staff = postfach_->ListForStaff("amt-a", c.case_id);
  ASSERT_TRUE(staff.ok());
  EXPECT_EQ((*staff)["items"][0]["readByCitizenAt"], (*read)["readByCitizenAt"]);
  auto actions = AuditActions("amt-a");
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "postfach.message_sent"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "postfach.message_read"), 1);
  // The staff cannot mark their own message read for the citizen.
  EXPECT_EQ(postfach_->MarkReadByOffice("amt-a", c.case_id, id, "user:u1").error().code(),
            core::ErrorCode::kFailedPrecondition);
}

TEST_P(PostfachTest, WrongCodeOrKeyIsTheSameNotFound) {
  auto c = NewCase();
  auto other = NewCase("amt-b");
  auto wrong_key = postfach_->ListForCitizen(c.tracking_code, other.key);
  auto wrong_code = postfach_->ListForCitizen("ZZZZ-ZZZZ-ZZZZ", c.key);
  auto malformed = postfach_->ListForCitizen("nonsense", c.key);
  auto no_key = postfach_->ListForCitizen(c.tracking_code, "");
  for (const auto* r : {&wrong_key, &wrong_code, &malformed, &no_key}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code(), core::ErrorCode::kNotFound);
    EXPECT_EQ(r->error().message(), wrong_key.error().message());
  }
  auto post = CitizenPost(c.tracking_code, other.key, "Hallo", "Text");
  EXPECT_EQ(post.error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages"), 0);
}

TEST_P(PostfachTest, StaffOfAnotherTenantDoesNotFindTheCase) {
  auto c = NewCase();
  EXPECT_EQ(postfach_->ListForStaff("amt-b", c.case_id).error().code(), core::ErrorCode::kNotFound);
  auto r = StaffPost({.tenant = "amt-b", .case_id = c.case_id}, "Betreff", "Text");
  EXPECT_EQ(r.error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages"), 0);
}

TEST_P(PostfachTest, AttachmentsAreCheckedByContentAndTextByField) {
  auto c = NewCase();
  auto elf = StaffPost(c, "Anlage", "Siehe Anhang", {{"bescheid.pdf", intake::testing::ElfBytes()}});
  ASSERT_FALSE(elf.ok());
  EXPECT_EQ(elf.error().code(), core::ErrorCode::kInvalidArgument);
  ASSERT_EQ(elf.error().details().size(), 1u);
  EXPECT_EQ(elf.error().details()[0].pointer, "/files/0");
  EXPECT_NE(elf.error().details()[0].message.find("application/x-"), std::string::npos)
      << elf.error().details()[0].message;

  auto empty = CitizenPost(c.tracking_code, c.key, "", "", {});
  ASSERT_FALSE(empty.ok());
  ASSERT_EQ(empty.error().details().size(), 2u);
  EXPECT_EQ(empty.error().details()[0].pointer, "/subject");
  EXPECT_EQ(empty.error().details()[1].pointer, "/text");

  std::string big(11 * 1024 * 1024, 'a');
  auto too_big = CitizenPost(c.tracking_code, c.key, "Groß", "Anbei", {{"gross.txt", big}});
  EXPECT_EQ(too_big.error().code(), core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_attachments"), 0);
}

TEST_P(PostfachTest, TemplateJobPostsOnceAndTheReplyContinuesTheProcess) {
  auto c = NewCase();
  // The process waits at the send task: the worker renders "nachforderung".
  EXPECT_EQ(ActiveElements(c), std::vector<std::string>{"nachfragen"});
  auto n = postfach_->RunJobs();
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(ActiveElements(c), std::vector<std::string>{"nachgereicht"});
  EXPECT_EQ(*postfach_->RunJobs(), 0) << "the job is complete: nothing to post twice";

  auto thread = postfach_->ListForCitizen(c.tracking_code, c.key);
  ASSERT_TRUE(thread.ok());
  ASSERT_EQ((*thread)["items"].size(), 1u);
  std::string subject = (*thread)["items"][0]["subject"];
  std::string text = (*thread)["items"][0]["text"];
  EXPECT_EQ(subject, "Bitte reichen Sie Angaben nach – Vorgang " + c.case_number);
  EXPECT_NE(text.find("innerhalb von 14 Tagen"), std::string::npos) << text;
  auto staff = postfach_->ListForStaff("amt-a", c.case_id);
  EXPECT_EQ((*staff)["items"][0]["author"], "system");

  // The citizen's reply publishes "angaben-nachgereicht" in its transaction.
  auto reply = CitizenPost(c.tracking_code, c.key, "Re: Angaben", "Hier der Lageplan.",
                           {{"Lageplan.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33)}});
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ((*reply)["direction"], "toOffice");
  EXPECT_EQ(ActiveElements(c), std::vector<std::string>{"pruefen"});
  auto info = engine_->GetInstance("amt-a", c.instance_id);
  EXPECT_EQ(info->variables["postfachNachricht"], (*reply)["id"]);

  // The office reads it; the citizen sees that.
  auto read = postfach_->MarkReadByOffice("amt-a", c.case_id, (*reply)["id"].get<std::string>(), "user:u1");
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  auto after = postfach_->ListForCitizen(c.tracking_code, c.key);
  EXPECT_TRUE((*after)["items"][1]["readByOfficeAt"].is_string());
  auto actions = AuditActions("amt-a");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "postfach.reply_received"), actions.end());
}

TEST_P(PostfachTest, ReplyWithoutAWaitingProcessIsStillStored) {
  auto c = NewCase();
  // The process still waits at the send task, not at the catch event.
  auto reply = CitizenPost(c.tracking_code, c.key, "Frage", "Wie lange dauert es?");
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_EQ(ActiveElements(c), std::vector<std::string>{"nachfragen"});
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages WHERE direction = 'to_office'"), 1);
}

TEST_P(PostfachTest, UnknownTemplateFailsTheJobWithTheReason) {
  auto c = NewCase();
  const char* bad = R"(<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Defs2" targetNamespace="http://amtsweg.de/test">
<bpmn:process id="schlecht" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:sendTask id="senden">
    <bpmn:extensionElements><zeebe:taskDefinition type="amtsweg:postfach-nachricht" retries="1"/>
      <zeebe:taskHeaders><zeebe:header key="vorlage" value="gibt-es-nicht"/></zeebe:taskHeaders></bpmn:extensionElements>
  </bpmn:sendTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="senden"/>
  <bpmn:sequenceFlow id="f2" sourceRef="senden" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>)";
  ASSERT_TRUE(engine_->Deploy("amt-a", {{"schlecht.bpmn", bad}}).ok());
  auto inst = engine_->StartInstance("amt-a", "schlecht", Json{{"caseId", c.case_id}});
  ASSERT_TRUE(inst.ok()) << inst.error().ToString();
  ASSERT_TRUE(postfach_->RunJobs().ok());
  auto incidents = engine_->ListIncidents("amt-a", *inst);
  ASSERT_TRUE(incidents.ok());
  ASSERT_EQ(incidents->size(), 1u);
  EXPECT_NE((*incidents)[0].message.find("gibt-es-nicht"), std::string::npos) << (*incidents)[0].message;
  EXPECT_NE((*incidents)[0].message.find("nachforderung"), std::string::npos);
}

TEST_P(PostfachTest, OfficeMessageQueuesOneMailWithoutContent) {
  auto c = NewCase();
  ASSERT_TRUE(StaffPost(c, "Vertraulich: Ihr Bescheid", "Geheimer Inhalt").ok());
  auto mails = db_->Read([&](store::Tx& tx) -> core::Result<std::vector<store::Row>> {
    return tx.Query("SELECT recipient, subject, body, status, attempts FROM postfach_mail_outbox "
                    "WHERE tenant_id = $1 AND case_id = $2",
                    {"amt-a", c.case_id});
  });
  ASSERT_TRUE(mails.ok());
  ASSERT_EQ(mails->size(), 1u);
  const auto& m = (*mails)[0];
  EXPECT_EQ(m.Text(0), "juergen@example.org");
  EXPECT_EQ(m.Text(3), "pending");
  std::string body = m.Text(2);
  EXPECT_EQ(body.find("Geheimer Inhalt"), std::string::npos);
  EXPECT_EQ(m.Text(1).find("Vertraulich"), std::string::npos);
  EXPECT_NE(body.find("Guten Tag Jürgen Müller,"), std::string::npos) << body;
  EXPECT_NE(body.find("https://portal.example/portal/postfach/" + c.tracking_code), std::string::npos) << body;
  EXPECT_EQ(body.find(c.key), std::string::npos) << "the key never goes by mail";

  // The citizen's own reply sends no mail; a case without an address none either.
  ASSERT_TRUE(CitizenPost(c.tracking_code, c.key, "Danke", "Erhalten").ok());
  auto c2 = NewCase("amt-a", Json{{"email", "kein-mail"}});
  ASSERT_TRUE(StaffPost(c2, "Hallo", "Text").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_mail_outbox"), 1);
  // With SMTP off, nothing is queued.
  MakePostfach(false);
  ASSERT_TRUE(StaffPost(c, "Noch etwas", "Text").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_mail_outbox"), 1);
}

TEST_P(PostfachTest, PostOfficeMessageInTxIsIdempotentPerOrigin) {
  auto c = NewCase();
  auto stored = postfach_->PrepareAttachments("amt-a", {{"Bescheid.pdf", intake::testing::TinyPdf()}});
  ASSERT_TRUE(stored.ok());
  std::string first_id = core::NewId();
  for (int i = 0; i < 2; ++i) {
    std::string id = i == 0 ? first_id : core::NewId();
    auto r = db_->writer().Write([&](store::Tx& tx) {
      return postfach_->PostOfficeMessageInTx(tx, "amt-a", c.case_id, id, "system", "Ihr Bescheid",
                                              "Der Bescheid liegt bei.", *stored, core::SystemClock::Instance().Now(),
                                              "bescheid:1");
    });
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(*r, first_id);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_messages"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM postfach_attachments"), 1);
}

TEST(PostfachTemplates, NachforderungUsesTheProcessVariables) {
  auto r = RenderTemplate("nachforderung", Json{{"caseNumber", "2026-000007"},
                                                {"nachforderung", "Ein Lageplan im Maßstab 1:500."},
                                                {"params", {{"nachreichfristTage", 10}}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject, "Bitte reichen Sie Angaben nach – Vorgang 2026-000007");
  EXPECT_NE(r->text.find("Ein Lageplan im Maßstab 1:500."), std::string::npos);
  EXPECT_NE(r->text.find("innerhalb von 10 Tagen"), std::string::npos);
  EXPECT_EQ(r->text.find("{{"), std::string::npos);
  EXPECT_EQ(RenderTemplate("unbekannt", Json::object()).error().code(), core::ErrorCode::kNotFound);
  EXPECT_EQ(TemplateNames(), (std::vector<std::string>{"nachforderung", "sachstand"}));
}

// Every `vorlage` the demo municipality's processes give a Postfach task has a template.
TEST(PostfachTemplates, EveryVorlageOfTheDemoProcessesRenders) {
  fs::path services = fs::path(AMTSWEG_SOURCE_DIR) / "demo" / "services";
  std::regex task(R"re(type="amtsweg:postfach-nachricht"[^<]*/>\s*<zeebe:taskHeaders>\s*<zeebe:header key="vorlage" value="([^"]+)")re");
  std::set<std::string> used;
  for (const auto& e : fs::recursive_directory_iterator(services)) {
    if (e.path().extension() != ".bpmn") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string xml = ss.str();
    for (std::sregex_iterator it(xml.begin(), xml.end(), task), end; it != end; ++it) used.insert((*it)[1]);
  }
  ASSERT_FALSE(used.empty()) << "no amtsweg:postfach-nachricht task found under " << services;
  for (const auto& v : used) {
    auto r = RenderTemplate(v, Json{{"caseNumber", "2026-000001"}});
    ASSERT_TRUE(r.ok()) << v << ": " << r.error().ToString();
    EXPECT_EQ(r->text.find("{{"), std::string::npos) << v;
  }
}

AW_STORE_INSTANTIATE(PostfachTest);

}  // namespace
}  // namespace amtsweg::postfach
