#include "engine/engine_bench.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

namespace amtsweg::engine {
namespace {

TEST(EngineBench, RunsBothScenariosAndPrintsOneLineEach) {
  EngineBenchOptions o;
  o.sqlite_dir = (std::filesystem::temp_directory_path() / "aw-engine-bench-test").string();
  o.instances = 300;
  o.window = 64;
  o.runs = 1;
  o.waiting = 200;
  // Manual measurement: AMTSWEG_ENGINE_BENCH_INSTANCES=20000 engine_test --gtest_filter=EngineBench*
  if (const char* n = std::getenv("AMTSWEG_ENGINE_BENCH_INSTANCES")) {
    o.instances = std::atoi(n);
    o.window = 2048;
  }
  if (const char* pg = std::getenv("AMTSWEG_TEST_PG_URL")) o.pg_url = pg;
  std::ostringstream out;
  EngineBenchResult result;
  core::Status s = RunEngineBench(o, out, &result);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  std::string text = out.str();
  std::cout << text;
  EXPECT_NE(text.find("sqlite_engine_service_task 1 "), std::string::npos) << text;
  EXPECT_NE(text.find("sqlite_engine_xor_feel 1 "), std::string::npos) << text;
  EXPECT_NE(text.find("sqlite_engine_waiting_user_task 200 instances: "), std::string::npos) << text;
  ASSERT_GE(result.scenarios.size(), 2u);
  EXPECT_EQ(result.scenarios[0].name, "sqlite_engine_service_task");
  EXPECT_GT(result.scenarios[0].ops_per_s, 0);
  ASSERT_GE(result.waiting.size(), 1u);
  EXPECT_EQ(result.waiting[0].backend, "sqlite");
  // Each waiting instance keeps rows (instance, element, variables, user task, history).
  EXPECT_GT(result.waiting[0].db_bytes_per_instance, 100);
  if (!o.pg_url.empty()) {
    EXPECT_NE(text.find("postgres_engine_xor_feel 1 "), std::string::npos) << text;
  }
  o.instances = 0;
  EXPECT_EQ(RunEngineBench(o, out).error().code(), core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace amtsweg::engine
