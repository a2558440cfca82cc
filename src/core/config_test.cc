#include "core/config.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace amtsweg::core {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string WriteFile(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("amtsweg-config-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::filesystem::path path_;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto cfg = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->server.port, 8080);
  EXPECT_EQ(cfg->database.url, "sqlite:./data/amtsweg.db");
  EXPECT_EQ(cfg->log.level, LogLevel::kInfo);
}

TEST_F(ConfigTest, FileValuesAreApplied) {
  auto cfg = LoadConfig(WriteFile("[server]\nport = 9090\nmax_body_bytes = 3000000000\n"
                                  "[database]\nurl = \"postgresql://u@h/db\"\n[log]\nformat = \"json\"\n"),
                        {});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->server.port, 9090);
  EXPECT_EQ(cfg->server.max_body_bytes, 3'000'000'000);
  EXPECT_EQ(cfg->database.url, "postgresql://u@h/db");
  EXPECT_EQ(cfg->log.format, LogFormat::kJson);
}

TEST_F(ConfigTest, EnvironmentOverridesFile) {
  auto cfg = LoadConfig(WriteFile("[server]\nport = 9090\n"),
                        {{"AMTSWEG_SERVER_PORT", "7070"}, {"AMTSWEG_LOG_ACCESS_LOG", "false"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->server.port, 7070);
  EXPECT_FALSE(cfg->log.access_log);
}

TEST_F(ConfigTest, UnknownKeyInFileNamesKeyAndLine) {
  auto cfg = LoadConfig(WriteFile("[server]\nport = 1\n\nprot = 2\n"), {});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("server.prot"), std::string::npos) << cfg.error().message();
  EXPECT_NE(cfg.error().message().find(".toml:4"), std::string::npos) << cfg.error().message();
}

TEST_F(ConfigTest, UnknownSectionIsRejected) {
  auto cfg = LoadConfig(WriteFile("[sever]\nport = 1\n"), {});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("'sever'"), std::string::npos) << cfg.error().message();
}

TEST_F(ConfigTest, WrongTypeAndRangeAreRejected) {
  auto type = LoadConfig(WriteFile("[server]\nport = \"eighty\"\n"), {});
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message().find("server.port must be a integer"), std::string::npos)
      << type.error().message();
  auto range = LoadConfig(std::nullopt, {{"AMTSWEG_SERVER_PORT", "70000"}});
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.error().message().find("AMTSWEG_SERVER_PORT"), std::string::npos) << range.error().message();
  EXPECT_NE(range.error().message().find("out of range"), std::string::npos);
}

TEST_F(ConfigTest, UnknownEnvironmentKeyIsNamed) {
  auto cfg = LoadConfig(std::nullopt, {{"AMTSWEG_DATABASE_URI", "x"}});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("AMTSWEG_DATABASE_URI"), std::string::npos);
}

TEST_F(ConfigTest, OtherAmtswegVariablesAreNotConfiguration) {
  auto cfg = LoadConfig(std::nullopt, {{"AMTSWEG_CONFORMANCE", "/x"}, {"AMTSWEG_TEST_PG_URL", "y"}});
  EXPECT_TRUE(cfg.ok());
}

TEST_F(ConfigTest, BadLogLevelIsRejected) {
  auto cfg = LoadConfig(std::nullopt, {{"AMTSWEG_LOG_LEVEL", "loud"}});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("loud"), std::string::npos);
}

TEST_F(ConfigTest, MalformedTomlNamesLine) {
  auto cfg = LoadConfig(WriteFile("[server]\nport = = 3\n"), {});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find(".toml:2:"), std::string::npos) << cfg.error().message();
}

TEST_F(ConfigTest, MissingExplicitFileIsAnError) {
  auto cfg = LoadConfig("/nonexistent/amtsweg.toml", {});
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message().find("/nonexistent/amtsweg.toml"), std::string::npos);
}

TEST(ConfigKeys, ListsEveryKeyWithDefault) {
  auto keys = ConfigKeys();
  bool found = false;
  for (const auto& k : keys) {
    if (k.name == "server.port") {
      found = true;
      EXPECT_EQ(k.default_value, "8080");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ConfigTest, IntakeSweepFromFileAndEnvironment) {
  auto cfg = LoadConfig(WriteFile("[storage]\nfiles_dir = \"/srv/files\"\n[intake]\nsweep_interval_s = 600\n"),
                        {{"AMTSWEG_INTAKE_SWEEP_MIN_AGE_S", "7200"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->intake.sweep_interval_s, 600);
  EXPECT_EQ(cfg->intake.sweep_min_age_s, 7200);
  EXPECT_EQ(cfg->storage.files_dir, "/srv/files");
  auto young = LoadConfig(std::nullopt, {{"AMTSWEG_INTAKE_SWEEP_MIN_AGE_S", "5"}});
  ASSERT_FALSE(young.ok());
  EXPECT_NE(young.error().message().find("intake.sweep_min_age_s"), std::string::npos) << young.error().message();
}

TEST_F(ConfigTest, AuthSectionFromFileAndEnvironment) {
  auto cfg = LoadConfig(WriteFile("[auth]\nsession_idle_timeout_s = 900\ncookie_secure = true\n"
                                  "client_ip_header = \"X-Forwarded-For\"\n"),
                        {{"AMTSWEG_AUTH_COOKIE_SECURE", "false"}, {"AMTSWEG_AUTH_MAX_FAILURES_PER_ACCOUNT", "7"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_EQ(cfg->auth.session_idle_timeout_s, 900);
  EXPECT_EQ(cfg->auth.session_absolute_timeout_s, 12 * 60 * 60);
  EXPECT_FALSE(cfg->auth.cookie_secure);
  EXPECT_EQ(cfg->auth.max_failures_per_account, 7);
  EXPECT_EQ(cfg->auth.client_ip_header, "X-Forwarded-For");
  auto low = LoadConfig(std::nullopt, {{"AMTSWEG_AUTH_MIN_PASSWORD_LENGTH", "4"}});
  ASSERT_FALSE(low.ok());
  EXPECT_NE(low.error().message().find("auth.min_password_length"), std::string::npos) << low.error().message();
  auto unknown = LoadConfig(std::nullopt, {{"AMTSWEG_AUTH_PEPPER", "x"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("auth.pepper"), std::string::npos) << unknown.error().message();
}

TEST_F(ConfigTest, OutboundSectionDefaultsToTheStrictPolicy) {
  auto defaults = LoadConfig(std::nullopt, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->outbound.allow_http);
  EXPECT_FALSE(defaults->outbound.allow_private);
  auto cfg = LoadConfig(WriteFile("[outbound]\nallow_networks = \"10.20.0.0/16\"\nca_file = \"/etc/amtsweg/ca.pem\"\n"),
                        {{"AMTSWEG_OUTBOUND_ALLOW_PRIVATE", "true"}});
  ASSERT_TRUE(cfg.ok()) << cfg.error().ToString();
  EXPECT_TRUE(cfg->outbound.allow_private);
  EXPECT_EQ(cfg->outbound.allow_networks, "10.20.0.0/16");
  EXPECT_EQ(cfg->outbound.ca_file, "/etc/amtsweg/ca.pem");
  auto unknown = LoadConfig(std::nullopt, {{"AMTSWEG_OUTBOUND_VERIFY_TLS", "false"}});
  ASSERT_FALSE(unknown.ok()) << "there is no switch to turn certificate verification off";
  EXPECT_NE(unknown.error().message().find("outbound.verify_tls"), std::string::npos) << unknown.error().message();
}

}  // namespace
}  // namespace amtsweg::core
