#include "audit/audit.h"

#include "core/hash.h"

#include <sodium.h>

#include <fmt/format.h>

namespace amtsweg::audit {
namespace {

const std::string kZeroHash(64, '0');
constexpr int kVerifyPage = 2000;

// "<len>:<bytes>," so that a field's end can never be mistaken for another's start.
void Field(crypto_hash_sha256_state& st, std::string_view v) {
  std::string len = std::to_string(v.size()) + ":";
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(len.data()), len.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(v.data()), v.size());
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(","), 1);
}

StoredEntry FromRow(const store::Row& r) {
  StoredEntry e;
  e.tenant = r.Text(0);
  e.seq = r.Int(1);
  e.at = core::FromUnixMillis(r.Int(2));
  e.actor = r.Text(3);
  e.action = r.Text(4);
  e.object_type = r.Text(5);
  e.object_id = r.Text(6);
  e.details = r.Text(7);
  e.prev_hash = r.Text(8);
  e.hash = r.Text(9);
  return e;
}

ChainReport Broken(ChainReport r, int64_t seq, std::string problem) {
  r.intact = false;
  r.first_bad_seq = seq;
  r.problem = std::move(problem);
  return r;
}

core::Result<ChainReport> VerifyTenant(store::Database& db, const std::string& tenant) {
  ChainReport report;
  report.tenant = tenant;
  AW_ASSIGN_OR_RETURN(auto head, db.Read([&](store::Tx& tx) {
                        return tx.QueryOne("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", {tenant});
                      }));
  int64_t prev_seq = 0;
  std::string prev_hash = kZeroHash;
  while (true) {
    AW_ASSIGN_OR_RETURN(auto page, db.Read([&](store::Tx& tx) { return List(tx, tenant, prev_seq, kVerifyPage); }));
    for (const StoredEntry& e : page) {
      ++report.entries;
      if (e.seq != prev_seq + 1) {
        return Broken(report, prev_seq + 1,
                      fmt::format("entry {} was removed (the chain jumps from {} to {})", prev_seq + 1, prev_seq, e.seq));
      }
      if (EntryHash(e) != e.hash) {
        return Broken(report, e.seq, fmt::format("entry {} was altered (its hash does not match its content)", e.seq));
      }
      if (e.prev_hash != prev_hash) {
        // This entry is consistent in itself, so the one before it was
        // rewritten together with its hash (or this link was).
        int64_t bad = e.seq > 1 ? e.seq - 1 : e.seq;
        return Broken(report, bad,
                      fmt::format("entry {} was altered (entry {} does not link to its hash)", bad, e.seq));
      }
      prev_seq = e.seq;
      prev_hash = e.hash;
    }
    if (static_cast<int>(page.size()) < kVerifyPage) break;
  }
  int64_t head_seq = head ? head->Int(0) : 0;
  if (head_seq > prev_seq) {
    return Broken(report, prev_seq + 1,
                  fmt::format("entry {} was removed (the chain ends at {}, its head records {})", prev_seq + 1,
                              prev_seq, head_seq));
  }
  if (head && (head_seq < prev_seq || head->Text(1) != prev_hash)) {
    return Broken(report, prev_seq,
                  fmt::format("entry {} was altered (it does not match the recorded head of the chain)", prev_seq));
  }
  return report;
}

}  // namespace

std::string EntryHash(const StoredEntry& e) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  Field(st, "amtsweg-audit-v1");
  Field(st, e.tenant);
  Field(st, std::to_string(e.seq));
  Field(st, std::to_string(core::ToUnixMillis(e.at)));
  Field(st, e.actor);
  Field(st, e.action);
  Field(st, e.object_type);
  Field(st, e.object_id);
  Field(st, e.details);
  Field(st, e.prev_hash);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, digest);
  return core::HexLower(digest, sizeof(digest));
}

core::Result<int64_t> Append(store::Tx& tx, const Entry& entry, core::Timestamp at) {
  if (entry.tenant.empty()) return core::InvalidArgument("audit entry: tenant is empty");
  if (entry.actor.empty()) return core::InvalidArgument("audit entry: actor is empty");
  if (entry.action.empty()) return core::InvalidArgument("audit entry: action is empty");
  AW_TRY(tx.Exec("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
                 {entry.tenant, kZeroHash}));
  // FOR UPDATE: two processes appending to one tenant's chain take turns.
  // SQLite has a single writer and no FOR UPDATE.
  const char* head_sql = tx.dialect() == store::Dialect::kPostgres
                             ? "SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE"
                             : "SELECT seq, hash FROM audit_heads WHERE tenant_id = $1";
  AW_ASSIGN_OR_RETURN(auto head, tx.QueryOne(head_sql, {entry.tenant}));
  if (!head) return core::Internal("audit head row missing after insert");
  StoredEntry e;
  e.tenant = entry.tenant;
  e.seq = head->Int(0) + 1;
  // Stored with millisecond precision; hash what is stored.
  e.at = core::FromUnixMillis(core::ToUnixMillis(at));
  e.actor = entry.actor;
  e.action = entry.action;
  e.object_type = entry.object_type;
  e.object_id = entry.object_id;
  e.details = core::DumpJson(entry.details.is_null() ? core::Json::object() : entry.details);
  e.prev_hash = head->Text(1);
  e.hash = EntryHash(e);
  AW_TRY(tx.Exec(
      "INSERT INTO audit_log (tenant_id, seq, at, actor, action, object_type, object_id, details, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {e.tenant, e.seq, core::ToUnixMillis(e.at), e.actor, e.action, e.object_type, e.object_id, e.details,
       e.prev_hash, e.hash}));
  AW_TRY(tx.Exec("UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1", {e.tenant, e.seq, e.hash}));
  return e.seq;
}

core::Result<std::vector<StoredEntry>> List(store::Tx& tx, const std::string& tenant, int64_t after_seq, int limit) {
  AW_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT tenant_id, seq, at, actor, action, object_type, object_id, details, "
                                          "prev_hash, hash FROM audit_log WHERE tenant_id = $1 AND seq > $2 "
                                          "ORDER BY seq LIMIT $3",
                                          {tenant, after_seq, limit}));
  std::vector<StoredEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

core::Result<std::vector<ChainReport>> Verify(store::Database& db, const std::optional<std::string>& tenant) {
  std::vector<std::string> tenants;
  if (tenant) {
    tenants.push_back(*tenant);
  } else {
    // Tenants whose head row is gone still have entries: take both.
    AW_ASSIGN_OR_RETURN(auto rows, db.Read([&](store::Tx& tx) {
                          return tx.Query(
                              "SELECT tenant_id FROM audit_heads UNION SELECT DISTINCT tenant_id FROM audit_log "
                              "ORDER BY 1");
                        }));
    for (const auto& r : rows) tenants.push_back(r.Text(0));
  }
  std::vector<ChainReport> out;
  for (const auto& t : tenants) {
    AW_ASSIGN_OR_RETURN(ChainReport r, VerifyTenant(db, t));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace amtsweg::audit
