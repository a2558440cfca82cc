// Asynchronous handlers: the answer comes later, from another thread, without
// holding one of the server's threads meanwhile.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/metrics.h"
#include "http/server.h"
#include "http/test_client.h"

namespace amtsweg::http {
namespace {

using namespace std::chrono_literals;
using testutil::MakeRequest;
using testutil::TestConnection;

// Holds Responders until the test releases them, as a group-commit writer
// holds its callers until the commit.
class PendingAnswers {
 public:
  void Add(Responder r, std::string body) {
    std::lock_guard lock(mu_);
    pending_.push_back({std::move(r), std::move(body)});
    cv_.notify_all();
  }
  bool WaitFor(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pending_.size() >= n; });
  }
  // Answers everything pending from a thread of its own.
  void ReleaseAll() {
    std::deque<std::pair<Responder, std::string>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(pending_);
    }
    std::thread([batch = std::move(batch)]() mutable {
      for (auto& [respond, body] : batch) respond(Response::Text(body, 201));
    }).join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Responder, std::string>> pending_;
};

class AsyncHandlerTest : public ::testing::Test {
 protected:
  AsyncHandlerTest() {
    router_.PostAsync(
        "/later/{n}",
        [this](Request& r, Responder respond) { pending_.Add(std::move(respond), std::string(r.PathParam("n"))); },
        {.summary = "Answered later"});
    router_.GetAsync(
        "/invalid",
        [](Request&, Responder respond) {
          std::thread([respond] { respond(core::InvalidArgument("bad form", {{"/name", "required"}})); }).detach();
        },
        {.summary = "Error later"});
    router_.GetAsync(
        "/throws", [](Request&, Responder) { throw std::runtime_error("before answering"); },
        {.summary = "Throws"});
    router_.GetAsync(
        "/twice",
        [](Request&, Responder respond) {
          respond(Response::Text("first"));
          respond(Response::Text("second"));
        },
        {.summary = "Answers twice"});
  }
  void Start() {
    Options o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    auto s = Server::Start(o, router_, metrics_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    server_ = std::move(*s);
  }

  PendingAnswers pending_;
  Router router_;
  core::metrics::Registry metrics_;
  std::unique_ptr<Server> server_;
};

TEST_F(AsyncHandlerTest, ManyPendingRequestsDoNotHoldServerThreads) {
  Start();
  constexpr int kConns = 200;  // 100 times the server's threads
  std::vector<std::unique_ptr<TestConnection>> conns;
  for (int i = 0; i < kConns; ++i) {
    auto c = TestConnection::Connect(server_->port());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->Send(MakeRequest("POST", "/later/" + std::to_string(i), "", "x")));
    conns.push_back(std::move(c));
  }
  // Every request reached its handler although none was answered yet: the
  // two server threads were free all along.
  ASSERT_TRUE(pending_.WaitFor(kConns, 10s));
  pending_.ReleaseAll();
  for (int i = 0; i < kConns; ++i) {
    auto r = conns[i]->Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, std::to_string(i));
  }
  // Keep-alive goes on after an asynchronous answer.
  ASSERT_TRUE(conns[0]->Send(MakeRequest("POST", "/later/again", "", "x")));
  ASSERT_TRUE(pending_.WaitFor(1, 5s));
  pending_.ReleaseAll();
  auto again = conns[0]->Read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, "again");
}

TEST_F(AsyncHandlerTest, ErrorFromAnotherThreadIsProblemJson) {
  Start();
  auto r = testutil::Get(server_->port(), "/invalid");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(r->Header("Content-Type"), "application/problem+json");
  EXPECT_NE(r->body.find("\"/name\""), std::string::npos) << r->body;
}

TEST_F(AsyncHandlerTest, HandlerThatThrowsBeforeAnsweringIs500) {
  Start();
  auto r = testutil::Get(server_->port(), "/throws");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
}

TEST_F(AsyncHandlerTest, OnlyTheFirstAnswerIsSent) {
  Start();
  auto c = TestConnection::Connect(server_->port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/twice")));
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "first");
  // No stray second response is waiting on the connection.
  ASSERT_TRUE(c->Send(MakeRequest("GET", "/twice")));
  auto next = c->Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "first");
}

TEST_F(AsyncHandlerTest, StopWaitsForAPendingAnswer) {
  Start();
  auto c = TestConnection::Connect(server_->port());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->Send(MakeRequest("POST", "/later/inflight", "", "x")));
  ASSERT_TRUE(pending_.WaitFor(1, 5s));
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop(10s);
    stopped = true;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(stopped.load()) << "Stop returned while an answer was pending";
  pending_.ReleaseAll();
  auto r = c->Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "inflight");
  EXPECT_EQ(r->Header("Connection"), "close");
  stopper.join();
  EXPECT_TRUE(stopped.load());
}

}  // namespace
}  // namespace amtsweg::http
