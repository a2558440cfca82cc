#include "intake/attachment_store.h"

#include <fcntl.h>
#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "intake/codes.h"

namespace amtsweg::intake {
namespace fs = std::filesystem;
namespace {

core::Error IoError(std::string_view what, const fs::path& p) {
  return core::Unavailable(fmt::format("{} {}: {}", what, p.string(), std::strerror(errno)));
}

core::Status FsyncPath(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IoError("open", p);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) return IoError("fsync", p);
  return core::OkStatus();
}

// A clock's time as the two timespecs of futimens/utimensat (access, modification).
void ToTimespecs(core::Timestamp t, struct timespec ts[2]) {
  auto us = t.time_since_epoch().count();
  ts[0].tv_sec = static_cast<time_t>(us / 1'000'000);
  ts[0].tv_nsec = static_cast<long>((us % 1'000'000) * 1000);
  ts[1] = ts[0];
}

bool SafeSegment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

fs::path AttachmentStore::PathOf(std::string_view tenant, std::string_view sha) const {
  return root_ / std::string(tenant) / std::string(sha.substr(0, 2)) / std::string(sha);
}

AttachmentStore::~AttachmentStore() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

core::Status AttachmentStore::Put(std::string_view tenant, std::string_view sha, std::string_view bytes) {
  std::set<fs::path> dirs;
  AW_TRY(WriteFile(tenant, sha, bytes, dirs));
  for (const fs::path& d : dirs) AW_TRY(FsyncPath(d, O_RDONLY | O_DIRECTORY));
  return core::OkStatus();
}

core::Status AttachmentStore::WriteFile(std::string_view tenant, std::string_view sha, std::string_view bytes,
                                        std::set<fs::path>& dirs) {
  if (!SafeSegment(tenant) || sha.size() != 64 || !SafeSegment(sha)) {
    return core::Internal("attachment key is not a tenant slug and a SHA-256");
  }
  fs::path target = PathOf(tenant, sha);
  fs::path dir = target.parent_path();
  std::error_code ec;
  if (fs::exists(target, ec)) {
    // Content-addressed: the same bytes are there already. Refresh the time so
    // that a concurrent sweep sees it as young.
    struct timespec ts[2];
    if (clock_ != nullptr) ToTimespecs(clock_->Now(), ts);
    if (::utimensat(AT_FDCWD, target.c_str(), clock_ != nullptr ? ts : nullptr, 0) != 0) return IoError("touch", target);
    return core::OkStatus();
  }
  bool created_dir = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return core::Unavailable(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  fs::path tmp = dir / fmt::format(".tmp-{}", NewSecret(10));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("create", tmp);
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto e = IoError("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    off += static_cast<size_t>(n);
  }
  if (clock_ != nullptr) {
    struct timespec ts[2];
    ToTimespecs(clock_->Now(), ts);
    if (::futimens(fd, ts) != 0) {
      auto e = IoError("touch", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
  }
  if (::fsync(fd) != 0) {
    auto e = IoError("fsync", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    auto e = IoError("rename", tmp);
    ::unlink(tmp.c_str());
    return e;
  }
  // The rename is durable only once the folder is synced; a new folder also
  // needs its own entry in the parent synced (the caller syncs them).
  dirs.insert(dir);
  if (created_dir) {
    dirs.insert(dir.parent_path());
    dirs.insert(dir.parent_path().parent_path());
  }
  return core::OkStatus();
}

void AttachmentStore::PutAsync(std::string tenant, std::vector<PutItem> items, std::function<void(core::Status)> done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      if (threads_.empty()) {
        // Parallel fsyncs of different files share the file system's journal
        // commits; four threads keep several in flight without many idle threads.
        for (int i = 0; i < 4; ++i) threads_.emplace_back([this] { FileThread(); });
      }
      jobs_.push_back({std::move(tenant), std::move(items), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(core::Unavailable("attachment store is shutting down"));
}

void AttachmentStore::FileThread() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, nothing left
    std::deque<Job> batch;
    batch.swap(jobs_);
    lock.unlock();
    std::set<fs::path> dirs;
    std::vector<core::Status> results;
    results.reserve(batch.size());
    for (Job& job : batch) {
      core::Status st = core::OkStatus();
      for (const PutItem& item : job.items) {
        st = WriteFile(job.tenant, item.sha256, item.bytes, dirs);
        if (!st.ok()) break;
      }
      results.push_back(std::move(st));
    }
    // One fsync per folder for the whole batch; if one fails, every job that
    // wrote is failed (its files become orphans for the sweep).
    core::Status dir_status = core::OkStatus();
    for (const fs::path& d : dirs) {
      if (auto s = FsyncPath(d, O_RDONLY | O_DIRECTORY); !s.ok() && dir_status.ok()) dir_status = std::move(s);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      if (results[i].ok() && !dir_status.ok()) results[i] = dir_status;
      batch[i].done(std::move(results[i]));
    }
    lock.lock();
  }
}

core::Result<std::string> AttachmentStore::Get(std::string_view tenant, std::string_view sha) const {
  if (!SafeSegment(tenant) || sha.size() != 64 || !SafeSegment(sha)) return core::NotFound("no such attachment");
  fs::path p = PathOf(tenant, sha);
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return core::NotFound("attachment file missing: " + std::string(sha));
    return IoError("open", p);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = IoError("read", p);
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

core::Result<int> AttachmentStore::SweepOrphans(std::string_view tenant, std::chrono::seconds min_age,
                                                const std::function<core::Result<bool>(const std::string&)>& referenced) {
  if (!SafeSegment(tenant)) return core::InvalidArgument("not a tenant slug");
  fs::path base = root_ / std::string(tenant);
  std::error_code ec;
  if (!fs::exists(base, ec)) return 0;
  // Ages on the clock's time line when there is one (files are stamped with it).
  auto now = clock_ != nullptr ? std::chrono::time_point_cast<std::chrono::system_clock::duration>(clock_->Now())
                               : std::chrono::system_clock::now();
  int removed = 0;
  for (auto it = fs::recursive_directory_iterator(base, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto written = it->last_write_time(ec);
    if (ec) continue;
    auto age = now - std::chrono::file_clock::to_sys(written);
    if (age < min_age) continue;
    std::string name = it->path().filename().string();
    bool orphan = false;
    if (name.starts_with(".tmp-")) {
      orphan = true;
    } else {
      AW_ASSIGN_OR_RETURN(bool ref, referenced(name));
      orphan = !ref;
    }
    if (orphan && fs::remove(it->path(), ec)) ++removed;
  }
  if (ec) return core::Unavailable(fmt::format("sweeping {}: {}", base.string(), ec.message()));
  return removed;
}

core::Result<std::vector<std::string>> AttachmentStore::Tenants() const {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return out;
  for (auto it = fs::directory_iterator(root_, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && SafeSegment(name)) out.push_back(std::move(name));
  }
  if (ec) return core::Unavailable(fmt::format("listing {}: {}", root_.string(), ec.message()));
  return out;
}

core::Result<std::string> DetectContentType(std::string_view bytes) {
  // A magic_t is not thread-safe; one per thread, loaded once.
  struct Cookie {
    magic_t m = nullptr;
    bool loaded = false;
    Cookie() {
      m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR);
      loaded = m != nullptr && magic_load(m, nullptr) == 0;
    }
    ~Cookie() {
      if (m != nullptr) magic_close(m);
    }
  };
  thread_local Cookie cookie;
  if (!cookie.loaded) return core::Internal("libmagic could not load its database");
  const char* type = magic_buffer(cookie.m, bytes.data(), bytes.size());
  if (type == nullptr) return core::Internal(std::string("libmagic: ") + magic_error(cookie.m));
  return std::string(type);
}

}  // namespace amtsweg::intake
