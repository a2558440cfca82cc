#include "store/pool.h"

namespace amtsweg::store::internal {

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> conns, std::string name,
                               core::metrics::Registry& metrics)
    : owned_(std::move(conns)),
      capacity_(owned_.size()),
      name_(std::move(name)),
      in_use_(metrics.Gauge("amtsweg_store_pool_connections", "Connections of a store pool by state.",
                            {{"pool", name_}, {"state", "in_use"}})),
      idle_gauge_(metrics.Gauge("amtsweg_store_pool_connections", "Connections of a store pool by state.",
                                {{"pool", name_}, {"state", "idle"}})),
      timeouts_(metrics.Counter("amtsweg_store_pool_timeouts_total",
                                "Acquisitions that gave up because every connection was in use.",
                                {{"pool", name_}})),
      wait_(metrics.Histogram("amtsweg_store_pool_wait_seconds", "Time spent waiting for a pooled connection.",
                              core::metrics::LatencyBuckets(), {{"pool", name_}})) {
  for (auto& c : owned_) idle_.push_back(c.get());
  std::lock_guard lock(mu_);
  UpdateGauges();
}

ConnectionPool::~ConnectionPool() { Close(); }

core::Result<ConnectionPool::Lease> ConnectionPool::Acquire(std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return closed_ || !idle_.empty(); })) {
    timeouts_.Inc();
    return core::Unavailable("store " + name_ + " pool exhausted: all " + std::to_string(capacity_) +
                             " connections in use for " + std::to_string(timeout.count()) + " ms");
  }
  if (closed_) return core::Unavailable("store " + name_ + " pool is closed");
  Connection* c = idle_.back();
  idle_.pop_back();
  UpdateGauges();
  lock.unlock();
  wait_.Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return Lease(this, c);
}

void ConnectionPool::Return(Connection* conn) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(conn);
    UpdateGauges();
  }
  // notify_all: Close() and Acquire() wait on the same condition.
  cv_.notify_all();
}

void ConnectionPool::Close() {
  std::unique_lock lock(mu_);
  closed_ = true;
  if (owned_.empty()) return;
  cv_.wait(lock, [&] { return idle_.size() == owned_.size(); });
  idle_.clear();
  owned_.clear();
  UpdateGauges();
}

void ConnectionPool::UpdateGauges() {
  in_use_.Set(static_cast<double>(owned_.size() - idle_.size()));
  idle_gauge_.Set(static_cast<double>(idle_.size()));
}

}  // namespace amtsweg::store::internal
