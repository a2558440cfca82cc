// Internal: a bounded pool of read connections.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/metrics.h"
#include "core/result.h"
#include "store/connection.h"

namespace amtsweg::store::internal {

// A fixed set of connections lent out one caller at a time. Acquire blocks
// while all are lent, up to a timeout. Thread-safe.
class ConnectionPool {
 public:
  // Lends one connection; gives it back when destroyed.
  class Lease {
   public:
    Lease() = default;
    Lease(ConnectionPool* pool, Connection* conn) : pool_(pool), conn_(conn) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.pool_ = nullptr; o.conn_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease() { if (pool_ != nullptr) pool_->Return(conn_); }
    Connection* operator->() const { return conn_; }
    Connection& operator*() const { return *conn_; }

   private:
    ConnectionPool* pool_ = nullptr;
    Connection* conn_ = nullptr;
  };

  // `name` labels the metrics: amtsweg_store_pool_connections{pool=name,state=in_use|idle}.
  ConnectionPool(std::vector<std::unique_ptr<Connection>> conns, std::string name,
                 core::metrics::Registry& metrics);
  // Waits until every lease is back, then closes the connections.
  ~ConnectionPool();

  // A connection, waiting at most `timeout` for one to come back.
  // kUnavailable: none came back in time (the pool is exhausted), or the pool is closed.
  core::Result<Lease> Acquire(std::chrono::milliseconds timeout);

  // Refuses new leases and waits for the lent ones. Idempotent.
  void Close();

  size_t capacity() const { return capacity_; }

 private:
  void Return(Connection* conn);
  void UpdateGauges();  // REQUIRES(mu_)

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> owned_;  // GUARDED_BY(mu_)
  std::vector<Connection*> idle_;                     // GUARDED_BY(mu_)
  const size_t capacity_;
  bool closed_ = false;            // GUARDED_BY(mu_)
  std::string name_;
  core::metrics::Gauge& in_use_;
  core::metrics::Gauge& idle_gauge_;
  core::metrics::Counter& timeouts_;
  core::metrics::Histogram& wait_;
};

}  // namespace amtsweg::store::internal
