// One service node's message database (SQLite, like the real storage server's). Each node has
// its own file so replication between swarm members is a real copy: a stopped node really misses
// what was stored meanwhile and catches up only through the retry queue, as on the live network.
//
// Messages are kept in insertion order (the row id): `retrieve` returns them oldest first, so the
// last hash returned is the right `last_hash` for the next call, and an unknown `last_hash`
// restarts from the beginning (protocol.md §7.4).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace devnet {

struct Message {
    std::string owner;  // 33 raw bytes: type byte ‖ 32-byte key
    int ns = 0;
    std::string hash;
    std::int64_t timestamp = 0;  // ms, the store request's timestamp
    std::int64_t expiry = 0;     // ms
    std::string data;            // raw bytes
};

class Storage {
public:
    enum class StoreResult { New, Exists, Extended, Obsolete };

    // Opens (creating if needed) the database file. Throws std::runtime_error on failure.
    explicit Storage(const std::string& path);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;

    // Stores a message; an existing hash only has its expiry raised. A public outbox namespace
    // (−(20n+1)) holds a single message: a newer one replaces it, an older one is Obsolete.
    StoreResult store(const Message& m, std::int64_t* expiry_out);
    // Stores messages pushed by peers (swarm sync), keeping the later expiry of duplicates.
    void bulk_store(const std::vector<Message>& msgs);

    // Messages of (owner, ns) after `last_hash` (or from the start when it is empty or unknown)
    // that have not expired at `now_ms`. Returns (messages, more).
    std::pair<std::vector<Message>, bool> retrieve(const std::string& owner, int ns,
                                                   const std::string& last_hash,
                                                   std::optional<std::size_t> max_count,
                                                   std::optional<std::size_t> max_size,
                                                   std::int64_t now_ms);

    std::vector<std::pair<int, std::string>> delete_all(const std::string& owner);
    std::vector<std::string> delete_all(const std::string& owner, int ns);
    std::vector<std::string> delete_by_hash(const std::string& owner,
                                            const std::vector<std::string>& hashes);
    std::vector<std::pair<int, std::string>> delete_before(const std::string& owner,
                                                           std::int64_t before);
    std::vector<std::string> delete_before(const std::string& owner, int ns, std::int64_t before);

    // Sets each hash's expiry (one value for all, or one per hash); `extend_only` / `shorten_only`
    // restrict the change to a later / earlier value. Returns the (hash, expiry) pairs changed.
    std::vector<std::pair<std::string, std::int64_t>> update_expiry(
            const std::string& owner, const std::vector<std::string>& hashes,
            const std::vector<std::int64_t>& expiries, bool extend_only, bool shorten_only);
    std::map<std::string, std::int64_t> get_expiries(const std::string& owner,
                                                     const std::vector<std::string>& hashes);
    // Shortens (never extends) every expiry of the owner (in one namespace) to `expiry`.
    std::vector<std::pair<int, std::string>> shorten_all(const std::string& owner,
                                                         std::int64_t expiry);
    std::vector<std::string> shorten_all(const std::string& owner, int ns, std::int64_t expiry);

    // Removes messages by hash, whoever owns them (after handing them to another swarm).
    void remove(const std::vector<std::string>& hashes);
    // Every stored message (for pushing messages to a new swarm after a topology change).
    std::vector<Message> all();
    // Deletes every message whose expiry is at or before `now_ms`; returns how many.
    int remove_expired(std::int64_t now_ms);
    std::int64_t count();

private:
    class Stmt;
    Stmt& prepare(const char* sql);
    void exec(const char* sql);

    sqlite3* db_ = nullptr;
    std::map<const char*, std::unique_ptr<Stmt>> cache_;
};

}  // namespace devnet
