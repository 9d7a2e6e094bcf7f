#include "storage.hpp"

#include <sqlite3.h>

#include <stdexcept>
#include <string_view>
#include <unordered_set>

namespace devnet {

// A cached prepared statement: bind by position (1-based), step, read columns, reset.
class Storage::Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_{db} {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) != SQLITE_OK)
            throw std::runtime_error{std::string{"sqlite prepare: "} + sqlite3_errmsg(db)};
    }
    ~Stmt() { sqlite3_finalize(st_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(st_, i, v);
        return *this;
    }
    Stmt& bind(int i, std::string_view text) {
        sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind_blob(int i, std::string_view bytes) {
        sqlite3_bind_blob(st_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
        return *this;
    }
    // True while a row is available.
    bool step() {
        int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error{std::string{"sqlite step: "} + sqlite3_errmsg(db_)};
    }
    std::int64_t i64(int col) { return sqlite3_column_int64(st_, col); }
    std::string str(int col) {
        auto* p = static_cast<const char*>(sqlite3_column_blob(st_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, col)))
                 : std::string{};
    }
    int changes() { return sqlite3_changes(db_); }
    void reset() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

namespace {

// Resets a statement however the scope is left.
template <class S>
struct Reset {
    S& s;
    ~Reset() { s.reset(); }
};
template <class S>
Reset(S&) -> Reset<S>;

bool is_public_outbox(int ns) { return ns < 0 && -ns % 20 == 1; }

}  // namespace

Storage::Storage(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        std::string err = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error{"cannot open " + path + ": " + err};
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec(R"(
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    owner BLOB NOT NULL,
    namespace INTEGER NOT NULL DEFAULT 0,
    hash TEXT NOT NULL UNIQUE,
    timestamp INTEGER NOT NULL,
    expiry INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_owner ON messages(owner, namespace, id);
CREATE INDEX IF NOT EXISTS messages_expiry ON messages(expiry);
)");
}

Storage::~Storage() {
    cache_.clear();
    sqlite3_close(db_);
}

void Storage::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw std::runtime_error{"sqlite: " + msg};
    }
}

Storage::Stmt& Storage::prepare(const char* sql) {
    auto& slot = cache_[sql];
    if (!slot) slot = std::make_unique<Stmt>(db_, sql);
    return *slot;
}

Storage::StoreResult Storage::store(const Message& m, std::int64_t* expiry_out) {
    exec("BEGIN IMMEDIATE");
    try {
        StoreResult result;
        auto& find = prepare("SELECT expiry FROM messages WHERE hash = ?");
        std::optional<std::int64_t> existing;
        {
            Reset r{find};
            find.bind(1, m.hash);
            if (find.step()) existing = find.i64(0);
        }
        if (existing) {
            std::int64_t exp = *existing;
            if (exp < m.expiry) {
                auto& up = prepare("UPDATE messages SET expiry = ? WHERE hash = ?");
                Reset r{up};
                up.bind(1, m.expiry).bind(2, m.hash).step();
                exp = m.expiry;
                result = StoreResult::Extended;
            } else {
                result = StoreResult::Exists;
            }
            if (expiry_out) *expiry_out = exp;
        } else {
            if (is_public_outbox(m.ns)) {
                // A public outbox keeps only its newest message.
                auto& newest = prepare(
                        "SELECT timestamp FROM messages WHERE owner = ? AND namespace = ? "
                        "ORDER BY timestamp DESC LIMIT 1");
                std::optional<std::int64_t> ts;
                {
                    Reset r{newest};
                    newest.bind_blob(1, m.owner).bind(2, m.ns);
                    if (newest.step()) ts = newest.i64(0);
                }
                if (ts && *ts >= m.timestamp) {
                    exec("COMMIT");
                    return StoreResult::Obsolete;
                }
                auto& del = prepare("DELETE FROM messages WHERE owner = ? AND namespace = ?");
                Reset r{del};
                del.bind_blob(1, m.owner).bind(2, m.ns).step();
            }
            auto& ins = prepare(
                    "INSERT INTO messages (owner, namespace, hash, timestamp, expiry, data) "
                    "VALUES (?, ?, ?, ?, ?, ?)");
            Reset r{ins};
            ins.bind_blob(1, m.owner)
                    .bind(2, m.ns)
                    .bind(3, m.hash)
                    .bind(4, m.timestamp)
                    .bind(5, m.expiry)
                    .bind_blob(6, m.data)
                    .step();
            if (expiry_out) *expiry_out = m.expiry;
            result = StoreResult::New;
        }
        exec("COMMIT");
        return result;
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

void Storage::bulk_store(const std::vector<Message>& msgs) {
    if (msgs.empty()) return;
    exec("BEGIN IMMEDIATE");
    try {
        auto& ins = prepare(
                "INSERT INTO messages (owner, namespace, hash, timestamp, expiry, data) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (hash) DO UPDATE SET expiry = MAX(excluded.expiry, messages.expiry)");
        for (const auto& m : msgs) {
            Reset r{ins};
            ins.bind_blob(1, m.owner)
                    .bind(2, m.ns)
                    .bind(3, m.hash)
                    .bind(4, m.timestamp)
                    .bind(5, m.expiry)
                    .bind_blob(6, m.data)
                    .step();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

std::pair<std::vector<Message>, bool> Storage::retrieve(const std::string& owner, int ns,
                                                       const std::string& last_hash,
                                                       std::optional<std::size_t> max_count,
                                                       std::optional<std::size_t> max_size,
                                                       std::int64_t now_ms) {
    std::optional<std::int64_t> last_id;
    if (!last_hash.empty()) {
        auto& st = prepare("SELECT id FROM messages WHERE owner = ? AND namespace = ? AND hash = ?");
        Reset r{st};
        st.bind_blob(1, owner).bind(2, ns).bind(3, last_hash);
        if (st.step()) last_id = st.i64(0);
    }
    if (max_count && *max_count < 1) max_count = 1;
    auto& st = prepare(
            "SELECT hash, namespace, timestamp, expiry, data FROM messages "
            "WHERE owner = ? AND namespace = ? AND id > ? AND expiry > ? ORDER BY id LIMIT ?");
    Reset r{st};
    st.bind_blob(1, owner)
            .bind(2, ns)
            .bind(3, last_id.value_or(0))
            .bind(4, now_ms)
            .bind(5, max_count ? static_cast<std::int64_t>(*max_count) + 1 : -1);
    std::pair<std::vector<Message>, bool> result{};
    auto& [msgs, more] = result;
    std::size_t total = 0;
    while (st.step()) {
        if (max_count && msgs.size() >= *max_count) {
            more = true;
            break;
        }
        Message m;
        m.owner = owner;
        m.hash = st.str(0);
        m.ns = static_cast<int>(st.i64(1));
        m.timestamp = st.i64(2);
        m.expiry = st.i64(3);
        m.data = st.str(4);
        if (max_size) {
            // Sized as the JSON response will carry it: base64 data, the hash and the field names.
            total += m.data.size() * 4 / 3 + m.hash.size() + 100;
            if (!msgs.empty() && total > *max_size) {
                more = true;
                break;
            }
        }
        msgs.push_back(std::move(m));
    }
    return result;
}

std::vector<std::pair<int, std::string>> Storage::delete_all(const std::string& owner) {
    auto& st = prepare("DELETE FROM messages WHERE owner = ? RETURNING namespace, hash");
    Reset r{st};
    st.bind_blob(1, owner);
    std::vector<std::pair<int, std::string>> out;
    while (st.step()) out.emplace_back(static_cast<int>(st.i64(0)), st.str(1));
    return out;
}

std::vector<std::string> Storage::delete_all(const std::string& owner, int ns) {
    auto& st = prepare("DELETE FROM messages WHERE owner = ? AND namespace = ? RETURNING hash");
    Reset r{st};
    st.bind_blob(1, owner).bind(2, ns);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.str(0));
    return out;
}

std::vector<std::string> Storage::delete_by_hash(const std::string& owner,
                                                 const std::vector<std::string>& hashes) {
    std::vector<std::string> out;
    exec("BEGIN IMMEDIATE");
    try {
        auto& st = prepare("DELETE FROM messages WHERE hash = ? AND owner = ?");
        for (const auto& h : hashes) {
            Reset r{st};
            st.bind(1, h).bind_blob(2, owner).step();
            if (st.changes() > 0) out.push_back(h);
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
    return out;
}

std::vector<std::pair<int, std::string>> Storage::delete_before(const std::string& owner,
                                                                std::int64_t before) {
    auto& st = prepare(
            "DELETE FROM messages WHERE owner = ? AND timestamp <= ? RETURNING namespace, hash");
    Reset r{st};
    st.bind_blob(1, owner).bind(2, before);
    std::vector<std::pair<int, std::string>> out;
    while (st.step()) out.emplace_back(static_cast<int>(st.i64(0)), st.str(1));
    return out;
}

std::vector<std::string> Storage::delete_before(const std::string& owner, int ns,
                                                std::int64_t before) {
    auto& st = prepare(
            "DELETE FROM messages WHERE owner = ? AND namespace = ? AND timestamp <= ? "
            "RETURNING hash");
    Reset r{st};
    st.bind_blob(1, owner).bind(2, ns).bind(3, before);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.str(0));
    return out;
}

std::vector<std::pair<std::string, std::int64_t>> Storage::update_expiry(
        const std::string& owner, const std::vector<std::string>& hashes,
        const std::vector<std::int64_t>& expiries, bool extend_only, bool shorten_only) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    if (hashes.empty() || expiries.empty()) return out;
    const char* sql = extend_only
                              ? "UPDATE messages SET expiry = ?1 WHERE hash = ?2 AND owner = ?3 "
                                "AND expiry < ?1"
                      : shorten_only
                              ? "UPDATE messages SET expiry = ?1 WHERE hash = ?2 AND owner = ?3 "
                                "AND expiry > ?1"
                              : "UPDATE messages SET expiry = ?1 WHERE hash = ?2 AND owner = ?3";
    exec("BEGIN IMMEDIATE");
    try {
        auto& st = prepare(sql);
        std::unordered_set<std::string> seen;
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            // With one expiry for all, a repeated hash counts once.
            if (expiries.size() == 1 && !seen.insert(hashes[i]).second) continue;
            auto exp = expiries.size() == 1 ? expiries[0] : expiries[i];
            Reset r{st};
            st.bind(1, exp).bind(2, hashes[i]).bind_blob(3, owner).step();
            if (st.changes() > 0) out.emplace_back(hashes[i], exp);
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
    return out;
}

std::map<std::string, std::int64_t> Storage::get_expiries(const std::string& owner,
                                                          const std::vector<std::string>& hashes) {
    std::map<std::string, std::int64_t> out;
    auto& st = prepare("SELECT expiry FROM messages WHERE hash = ? AND owner = ?");
    for (const auto& h : hashes) {
        Reset r{st};
        st.bind(1, h).bind_blob(2, owner);
        if (st.step()) out.emplace(h, st.i64(0));
    }
    return out;
}

std::vector<std::pair<int, std::string>> Storage::shorten_all(const std::string& owner,
                                                              std::int64_t expiry) {
    auto& st = prepare(
            "UPDATE messages SET expiry = ?1 WHERE expiry > ?1 AND owner = ?2 "
            "RETURNING namespace, hash");
    Reset r{st};
    st.bind(1, expiry).bind_blob(2, owner);
    std::vector<std::pair<int, std::string>> out;
    while (st.step()) out.emplace_back(static_cast<int>(st.i64(0)), st.str(1));
    return out;
}

std::vector<std::string> Storage::shorten_all(const std::string& owner, int ns,
                                              std::int64_t expiry) {
    auto& st = prepare(
            "UPDATE messages SET expiry = ?1 WHERE expiry > ?1 AND owner = ?2 AND namespace = ?3 "
            "RETURNING hash");
    Reset r{st};
    st.bind(1, expiry).bind_blob(2, owner).bind(3, ns);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.str(0));
    return out;
}

void Storage::remove(const std::vector<std::string>& hashes) {
    if (hashes.empty()) return;
    exec("BEGIN IMMEDIATE");
    try {
        auto& st = prepare("DELETE FROM messages WHERE hash = ?");
        for (const auto& h : hashes) {
            Reset r{st};
            st.bind(1, h).step();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

std::vector<Message> Storage::all() {
    auto& st = prepare(
            "SELECT owner, hash, namespace, timestamp, expiry, data FROM messages ORDER BY id");
    Reset r{st};
    std::vector<Message> out;
    while (st.step()) {
        Message m;
        m.owner = st.str(0);
        m.hash = st.str(1);
        m.ns = static_cast<int>(st.i64(2));
        m.timestamp = st.i64(3);
        m.expiry = st.i64(4);
        m.data = st.str(5);
        out.push_back(std::move(m));
    }
    return out;
}

int Storage::remove_expired(std::int64_t now_ms) {
    auto& st = prepare("DELETE FROM messages WHERE expiry <= ?");
    Reset r{st};
    st.bind(1, now_ms).step();
    return st.changes();
}

std::int64_t Storage::count() {
    auto& st = prepare("SELECT COUNT(*) FROM messages");
    Reset r{st};
    return st.step() ? st.i64(0) : 0;
}

}  // namespace devnet
