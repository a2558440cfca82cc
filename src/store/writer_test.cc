#include "store/writer.h"

#include <atomic>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace amtsweg::store {
namespace {

using testing::StoreTest;

class WriterTest : public StoreTest {
 protected:
  static core::Status Put(Tx& tx, std::string_view tenant, std::string_view key, std::string_view value = "v") {
    AW_TRY(tx.Exec("INSERT INTO kv (tenant_id, key, value) VALUES ($1, $2, $3)", {tenant, key, value}));
    return core::OkStatus();
  }

  // Occupies the writer until the returned promise is set, so that commands
  // submitted meanwhile queue up and form the next batch together.
  std::promise<void> BlockWriter(Writer& w, std::future<core::Status>* blocker_done) {
    std::promise<void> release;
    auto released = std::make_shared<std::shared_future<void>>(release.get_future().share());
    auto started = std::make_shared<std::promise<void>>();
    auto started_f = started->get_future();
    *blocker_done = w.Submit([released, started](Tx&) -> core::Status {
      started->set_value();
      released->wait();
      return core::OkStatus();
    });
    started_f.wait();  // the writer is inside the blocker: everything submitted now waits in the queue
    return release;
  }
};
AW_STORE_INSTANTIATE(WriterTest);

TEST_P(WriterTest, WriteReturnsTheCommandsValueAfterCommit) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto n = db->writer().Write([](Tx& tx) -> core::Result<int64_t> {
    AW_TRY(Put(tx, "t", "a"));
    AW_TRY(Put(tx, "t", "b"));
    return tx.Exec("UPDATE kv SET value = $1 WHERE tenant_id = $2", {"changed", "t"});
  });
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE value = 'changed'"), 2);
}

TEST_P(WriterTest, TenThousandConcurrentWritesAreAllPresentAfterRestart) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 625;  // 10,000 in all
  std::set<std::string> acknowledged;
  std::mutex mu;
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Half the threads block on each write, half pipeline through futures.
        std::vector<std::pair<std::string, std::future<core::Status>>> pending;
        for (int i = 0; i < kPerThread; ++i) {
          std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
          if (t % 2 == 0) {
            core::Status s = db->writer().Run([&](Tx& tx) { return Put(tx, "tenant", key); });
            if (s.ok()) {
              std::lock_guard lock(mu);
              acknowledged.insert(key);
            }
          } else {
            pending.emplace_back(key, db->writer().Submit([key](Tx& tx) { return Put(tx, "tenant", key); }));
          }
        }
        for (auto& [key, f] : pending) {
          if (f.get().ok()) {
            std::lock_guard lock(mu);
            acknowledged.insert(key);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    auto stats = db->writer().stats();
    EXPECT_EQ(stats.commands_ok, 10000u);
    EXPECT_LT(stats.batches, 10000u) << "no two commands ever shared a commit";
    // "Restart": the database object goes away entirely and a new one opens the same place.
  }
  EXPECT_EQ(acknowledged.size(), 10000u);
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto keys = db->Read([](Tx& tx) -> core::Result<std::set<std::string>> {
    AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT key FROM kv WHERE tenant_id = $1", {"tenant"}));
    std::set<std::string> out;
    for (const Row& r : rows) out.insert(r.Text(0));
    return out;
  });
  ASSERT_TRUE(keys.ok()) << keys.error().ToString();
  EXPECT_EQ(*keys, acknowledged);
}

TEST_P(WriterTest, FailingCommandDoesNotLoseItsBatchMates) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  ASSERT_TRUE(w.Write([](Tx& tx) { return Put(tx, "t", "taken"); }).ok());

  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  std::vector<std::future<core::Status>> f;
  f.push_back(w.Submit([](Tx& tx) { return Put(tx, "t", "a"); }));
  f.push_back(w.Submit([](Tx& tx) -> core::Status {
    AW_TRY(Put(tx, "t", "partial"));  // written, then undone with the savepoint
    return Put(tx, "t", "taken");     // duplicate key
  }));
  f.push_back(w.Submit([](Tx& tx) { return Put(tx, "t", "b"); }));
  f.push_back(w.Submit([](Tx&) -> core::Status { return core::InvalidArgument("refused by the command"); }));
  f.push_back(w.Submit([](Tx& tx) { return Put(tx, "t", "c"); }));
  EXPECT_EQ(w.QueueDepth(), 5u);
  release.set_value();

  ASSERT_TRUE(blocker.get().ok());
  auto expect_ok = [](std::future<core::Status>& fut) {
    core::Status s = fut.get();
    EXPECT_TRUE(s.ok()) << s.error().ToString();
  };
  expect_ok(f[0]);
  core::Status dup = f[1].get();
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), core::ErrorCode::kAlreadyExists) << dup.error().ToString();
  expect_ok(f[2]);
  core::Status refused = f[3].get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), core::ErrorCode::kInvalidArgument);
  expect_ok(f[4]);

  auto stats = w.stats();
  EXPECT_EQ(stats.last_batch_size, 5u) << "the five commands did not share one transaction";
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key IN ('a', 'b', 'c')"), 3);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key = 'partial'"), 0);
  auto& hist = metrics_.Histogram("amtsweg_store_writer_batch_size", "", core::metrics::SizeBuckets());
  EXPECT_EQ(hist.Count(), 3u);   // first write, blocker, the five
  EXPECT_EQ(hist.Sum(), 7.0);
}

TEST_P(WriterTest, BatchWithoutFailuresRunsEachCommandOnce) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  std::vector<int> runs(20, 0);  // written on the writer thread, read after the answers
  std::vector<std::future<core::Status>> f;
  for (int i = 0; i < 20; ++i) {
    f.push_back(w.Submit([i, &runs](Tx& tx) {
      runs[i]++;
      return Put(tx, "t", "k" + std::to_string(i));
    }));
  }
  release.set_value();
  ASSERT_TRUE(blocker.get().ok());
  for (auto& x : f) EXPECT_TRUE(x.get().ok());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(runs[i], 1) << "command " << i;
  auto stats = w.stats();
  EXPECT_EQ(stats.last_batch_size, 20u);
  EXPECT_EQ(stats.replays, 0u);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 20);
}

TEST_P(WriterTest, FailingCommandReplaysItsBatchWithSavepoints) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  int before_runs = 0, failing_runs = 0, after_runs = 0;
  // A value returned through Write comes from the run that counted.
  std::promise<core::Result<int64_t>> value;
  std::thread writer_caller([&] {
    value.set_value(w.Write([&](Tx& tx) -> core::Result<int64_t> {
      before_runs++;
      AW_TRY(Put(tx, "t", "before"));
      return int64_t{before_runs};
    }));
  });
  while (w.QueueDepth() < 1) std::this_thread::yield();
  auto failing = w.Submit([&](Tx& tx) -> core::Status {
    failing_runs++;
    AW_TRY(Put(tx, "t", "failing-" + std::to_string(failing_runs)));
    return core::FailedPrecondition("refused after writing");
  });
  auto after = w.Submit([&](Tx& tx) {
    after_runs++;
    return Put(tx, "t", "after");
  });
  release.set_value();
  writer_caller.join();
  ASSERT_TRUE(blocker.get().ok());
  auto v = value.get_future().get();
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  core::Status fs = failing.get();
  ASSERT_FALSE(fs.ok());
  EXPECT_EQ(fs.error().code(), core::ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(after.get().ok());
  // The optimistic run stopped at the failing command; the replay ran all three.
  EXPECT_EQ(before_runs, 2);
  EXPECT_EQ(failing_runs, 2);
  EXPECT_EQ(after_runs, 1);
  EXPECT_EQ(*v, 2) << "the caller got the value of the rolled-back run";
  EXPECT_EQ(w.stats().replays, 1u);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key IN ('before', 'after')"), 2);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key LIKE 'failing%'"), 0);
  std::string text = metrics_.Render();
  EXPECT_NE(text.find("amtsweg_store_writer_replays_total 1\n"), std::string::npos) << text;
}

TEST_P(WriterTest, BatchesAfterAReplayStartWithSavepoints) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  // Runs one batch of two commands, the second failing; returns how often the first ran.
  int batch_no = 0;
  auto failing_batch = [&]() -> int {
    ++batch_no;
    int runs = 0;
    std::future<core::Status> blocker;
    std::promise<void> release = BlockWriter(w, &blocker);
    auto ok = w.Submit([&, n = batch_no](Tx& tx) {
      runs++;
      return Put(tx, "t", "ok" + std::to_string(n));
    });
    auto bad = w.Submit([](Tx&) -> core::Status { return core::InvalidArgument("bad"); });
    release.set_value();
    EXPECT_TRUE(blocker.get().ok());
    EXPECT_TRUE(ok.get().ok());
    EXPECT_FALSE(bad.get().ok());
    return runs;
  };
  EXPECT_EQ(failing_batch(), 2);  // optimistic, then replayed
  EXPECT_EQ(w.stats().replays, 1u);
  // The blockers are batches too; the isolated phase counts every batch.
  EXPECT_EQ(failing_batch(), 1);  // isolated from the start: no second run
  EXPECT_EQ(w.stats().replays, 1u);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(w.Write([](Tx&) { return core::OkStatus(); }).ok());
  EXPECT_EQ(failing_batch(), 2);  // optimistic again
  EXPECT_EQ(w.stats().replays, 2u);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 3);
}

TEST_P(WriterTest, SqlErrorInABatchFailsOnlyItsCommand) {
  // On PostgreSQL an SQL error aborts the optimistic transaction; the replay
  // with savepoints must still keep the batch-mates.
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  ASSERT_TRUE(w.Write([](Tx& tx) { return Put(tx, "t", "taken"); }).ok());
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  std::vector<std::future<core::Status>> f;
  for (int i = 0; i < 10; ++i) {
    f.push_back(w.Submit([i](Tx& tx) -> core::Status {
      AW_TRY(Put(tx, "t", "k" + std::to_string(i)));
      if (i == 7) return Put(tx, "t", "taken");  // duplicate key
      return core::OkStatus();
    }));
  }
  release.set_value();
  ASSERT_TRUE(blocker.get().ok());
  for (int i = 0; i < 10; ++i) {
    core::Status s = f[i].get();
    if (i == 7) {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code(), core::ErrorCode::kAlreadyExists) << s.error().ToString();
    } else {
      EXPECT_TRUE(s.ok()) << i << ": " << s.error().ToString();
    }
  }
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key LIKE 'k%'"), 9);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key = 'k7'"), 0);
}

TEST_P(WriterTest, EveryBlockedCallerOfALargeBatchIsAnswered) {
  // 100 callers blocked in Write share one batch; they are woken as a tree
  // (several levels deep), and each gets its own value.
  constexpr int kCallers = 100;
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  std::vector<int64_t> got(kCallers, -1);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      auto r = w.Write([i](Tx& tx) -> core::Result<int64_t> {
        AW_TRY(Put(tx, "t", "k" + std::to_string(i)));
        return int64_t{i};
      });
      got[i] = r.ok() ? *r : -2;
    });
  }
  // Blocked callers give no other signal that they have queued.
  while (w.QueueDepth() < kCallers) std::this_thread::yield();
  release.set_value();
  for (auto& t : callers) t.join();
  ASSERT_TRUE(blocker.get().ok());
  for (int i = 0; i < kCallers; ++i) EXPECT_EQ(got[i], i);
  EXPECT_EQ(w.stats().last_batch_size, static_cast<size_t>(kCallers));
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), kCallers);
}

TEST_P(WriterTest, FailedCommitFailsEveryCallerOfTheBatch) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  // A deferred foreign key is checked only at COMMIT in both SQLite and PostgreSQL.
  ASSERT_TRUE(w.Write([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("CREATE TABLE parent (id BIGINT PRIMARY KEY)"));
    AW_TRY(tx.Exec("CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT "
                   "REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)"));
    return core::OkStatus();
  }).ok());

  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  auto good = w.Submit([](Tx& tx) { return Put(tx, "t", "innocent"); });
  auto orphan = w.Submit([](Tx& tx) -> core::Status {
    AW_TRY(tx.Exec("INSERT INTO child (id, parent_id) VALUES ($1, $2)", {1, 404}));
    return core::OkStatus();
  });
  release.set_value();
  ASSERT_TRUE(blocker.get().ok());
  core::Status g = good.get();
  core::Status o = orphan.get();
  ASSERT_FALSE(g.ok());
  ASSERT_FALSE(o.ok());
  EXPECT_NE(g.error().message().find("commit failed"), std::string::npos) << g.error().ToString();
  EXPECT_EQ(w.stats().last_batch_size, 2u);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 0);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM child"), 0);
  // The writer goes on after a failed commit.
  EXPECT_TRUE(w.Write([](Tx& tx) { return Put(tx, "t", "after"); }).ok());
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 1);
}

TEST_P(WriterTest, StopDrainsTheQueueAndRefusesLaterCommands) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  std::vector<std::future<core::Status>> f;
  for (int i = 0; i < 50; ++i) {
    f.push_back(w.Submit([i](Tx& tx) { return Put(tx, "t", "k" + std::to_string(i)); }));
  }
  std::thread stopper([&] { EXPECT_TRUE(w.Stop().ok()); });
  // Stop refuses new commands at once, even while the queue still drains. A
  // refusal is answered synchronously; an accepted command waits behind the
  // blocker, so a ready future means "refused".
  for (;;) {
    auto late = w.Submit([](Tx&) { return core::OkStatus(); });
    if (late.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
      core::Status s = late.get();
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error().code(), core::ErrorCode::kUnavailable) << s.error().ToString();
      break;
    }
    f.push_back(std::move(late));  // accepted before Stop began: drained like the others
    std::this_thread::yield();     // let the stopper run
  }
  release.set_value();
  stopper.join();
  ASSERT_TRUE(blocker.get().ok());
  for (auto& x : f) EXPECT_TRUE(x.get().ok());
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key LIKE 'k%'"), 50);
  auto after = w.Write([](Tx& tx) { return Put(tx, "t", "after-stop"); });
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code(), core::ErrorCode::kUnavailable);
}

TEST_P(WriterTest, FlushWaitsForEverythingSubmittedBefore) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::atomic<int> answered{0};
  for (int i = 0; i < 200; ++i) {
    w.Submit([i](Tx& tx) { return Put(tx, "t", "k" + std::to_string(i)); },
             [&](core::Status s) {
               EXPECT_TRUE(s.ok());
               answered.fetch_add(1);
             });
  }
  ASSERT_TRUE(w.Flush().ok());
  EXPECT_EQ(answered.load(), 200);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 200);
}

TEST_P(WriterTest, RefusesWritesBeforeStartAndFromInsideACommand) {
  auto db = Open(MakeOptions(), /*migrate_and_start=*/false);
  ASSERT_NE(db, nullptr);
  auto before = db->writer().Write([](Tx&) { return core::OkStatus(); });
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.error().code(), core::ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(db->Migrate().ok());
  ASSERT_TRUE(db->writer().Start().ok());
  Writer& w = db->writer();
  auto nested = w.Write([&](Tx&) -> core::Status { return w.Write([](Tx&) { return core::OkStatus(); }); });
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code(), core::ErrorCode::kFailedPrecondition);
}

TEST_P(WriterTest, CommandSwallowingAnSqlErrorFailsAloneOnPostgres) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  ASSERT_TRUE(w.Write([](Tx& tx) { return Put(tx, "t", "taken"); }).ok());
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  auto before = w.Submit([](Tx& tx) { return Put(tx, "t", "before"); });
  auto swallow = w.Submit([](Tx& tx) -> core::Status {
    AW_TRY(Put(tx, "t", "mine"));
    (void)Put(tx, "t", "taken");  // duplicate key, error ignored
    return core::OkStatus();
  });
  auto after = w.Submit([](Tx& tx) { return Put(tx, "t", "after"); });
  release.set_value();
  ASSERT_TRUE(blocker.get().ok());
  core::Status b = before.get(), s = swallow.get(), a = after.get();
  EXPECT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_TRUE(a.ok()) << a.error().ToString();
  if (GetParam() == Dialect::kPostgres) {
    // PostgreSQL refuses everything after an error until the savepoint is
    // rolled back, so the writer fails the command instead of the batch.
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code(), core::ErrorCode::kInternal);
    EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key = 'mine'"), 0);
  } else {
    // In SQLite a failed statement fails alone; the command's other writes stand.
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key = 'mine'"), 1);
  }
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv WHERE key IN ('before', 'after')"), 2);
}

TEST_P(WriterTest, ThrowingCommandFailsAloneWithInternal) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  Writer& w = db->writer();
  std::future<core::Status> blocker;
  std::promise<void> release = BlockWriter(w, &blocker);
  auto ok = w.Submit([](Tx& tx) { return Put(tx, "t", "fine"); });
  auto bad = w.Submit([](Tx& tx) -> core::Status {
    AW_TRY(Put(tx, "t", "undone"));
    throw std::runtime_error("boom");
  });
  release.set_value();
  ASSERT_TRUE(blocker.get().ok());
  EXPECT_TRUE(ok.get().ok());
  core::Status s = bad.get();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), core::ErrorCode::kInternal);
  EXPECT_NE(s.error().message().find("boom"), std::string::npos);
  EXPECT_EQ(ReadInt(*db, "SELECT count(*) FROM kv"), 1);
}

TEST_P(WriterTest, ExportsQueueBatchAndCommitMetrics) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->writer().Write([](Tx& tx) { return Put(tx, "t", "k"); }).ok());
  std::string text = metrics_.Render();
  EXPECT_NE(text.find("amtsweg_store_writer_batch_size_count 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("amtsweg_store_writer_commit_seconds_count 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("amtsweg_store_writer_queue_depth 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("amtsweg_store_writer_commands_total{outcome=\"ok\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("amtsweg_store_pool_connections{pool=\"read\",state=\"idle\"} 2\n"), std::string::npos) << text;
}

// Tx::CacheEpoch: what a process-local cache of read data relies on.
TEST_P(WriterTest, CacheEpochChangesOnRollbackAndOnCommitsOfOtherConnectionsOnly) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  auto epoch = [&](Database& d) {
    auto e = d.writer().Write([](Tx& tx) -> core::Result<std::optional<uint64_t>> { return tx.CacheEpoch(); });
    EXPECT_TRUE(e.ok()) << e.error().ToString();
    return e.ok() ? *e : std::nullopt;
  };
  std::optional<uint64_t> first = epoch(*db);
  if (GetParam() == Dialect::kPostgres) {
    EXPECT_FALSE(first.has_value()) << "other nodes write unseen: no cache epoch";
    return;
  }
  ASSERT_TRUE(first.has_value());
  // Own commits keep it.
  ASSERT_TRUE(db->writer().Run([](Tx& tx) { return Put(tx, "t", "own"); }).ok());
  EXPECT_EQ(epoch(*db), first);
  // Read transactions have none.
  auto read = db->Read([](Tx& tx) -> core::Result<bool> { return tx.CacheEpoch().has_value(); });
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(*read);
  // A failing command (its batch rolled back and replayed) changes it, also
  // for what the command saw itself.
  std::optional<uint64_t> inside;
  core::Status failed = db->writer().Run([&](Tx& tx) -> core::Status {
    inside = tx.CacheEpoch();
    return core::Internal("fails on purpose");
  });
  EXPECT_FALSE(failed.ok());
  std::optional<uint64_t> after_failure = epoch(*db);
  EXPECT_NE(after_failure, first);
  EXPECT_NE(after_failure, inside);
  // A commit through another connection (as another process would) changes it.
  auto other = Open();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(other->writer().Run([](Tx& tx) { return Put(tx, "t", "other"); }).ok());
  std::optional<uint64_t> after_other = epoch(*db);
  EXPECT_NE(after_other, after_failure);
  EXPECT_EQ(epoch(*db), after_other);
  other->Close();
}

}  // namespace
}  // namespace amtsweg::store
