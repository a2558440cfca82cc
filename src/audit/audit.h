// The audit trail: an append-only log of every change of state, one SHA-256
// hash chain per tenant. Other layers call Append with the store::Tx of the
// change they record, so the entry commits (or rolls back) with it.
//
// Entry n's hash covers tenant, seq, time, actor, action, object, the details
// text exactly as stored and entry n-1's hash (64 zeros for the first), each
// field length-prefixed so no two entries serialise alike. audit_heads keeps
// the last (seq, hash) of each chain: appends lock it (PostgreSQL row lock;
// SQLite has one writer), and Verify uses it to notice entries removed from
// the end.
//
// Thread-safety: free functions; Append runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"
#include "store/tx.h"

namespace amtsweg::audit {

struct Entry {
  std::string tenant{};
  std::string actor{};        // "user:<id>", "token:<id>", "cli", "system", "anonymous"
  std::string action{};       // "auth.login", "auth.user_created", ... (layer.verb_past)
  std::string object_type{};  // "user", "session", "api_token", "case", ...
  std::string object_id{};
  core::Json details = core::Json::object();  // no secrets, no passwords
};

struct StoredEntry {
  std::string tenant;
  int64_t seq = 0;
  core::Timestamp at{};
  std::string actor, action, object_type, object_id;
  std::string details;  // JSON text as stored
  std::string prev_hash, hash;
};

// Appends `entry` at time `at` to its tenant's chain inside `tx`. Returns the
// new sequence number. kInvalidArgument: empty tenant, actor or action.
// Store errors as store::Tx reports them (the caller's command then fails and
// its change rolls back with the entry).
core::Result<int64_t> Append(store::Tx& tx, const Entry& entry, core::Timestamp at);

// The hash of `e` given its fields and prev_hash (hex, lower case).
std::string EntryHash(const StoredEntry& e);

// Entries of `tenant` with seq > after_seq, oldest first, at most `limit`.
core::Result<std::vector<StoredEntry>> List(store::Tx& tx, const std::string& tenant, int64_t after_seq,
                                            int limit);

struct ChainReport {
  std::string tenant;
  int64_t entries = 0;   // rows read
  bool intact = true;
  int64_t first_bad_seq = 0;  // set when !intact: the first entry altered or removed
  std::string problem;        // "entry 7 was altered (its hash does not match its content)"
};

// Checks the chain of `tenant`, or of every tenant that has one. Reads in
// pages, one read transaction per page. Store errors only; a broken chain is
// a report with intact = false naming the first entry altered or removed.
core::Result<std::vector<ChainReport>> Verify(store::Database& db, const std::optional<std::string>& tenant);

}  // namespace amtsweg::audit
