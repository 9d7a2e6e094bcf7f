// Private to core/src/app: an account open in the Client (accounts.cpp, docs/accounts.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "account_session.hpp"
#include "lease_stores.hpp"
#include "st/app/client.hpp"
#include "st/store/lock.hpp"
#include "st/store/sealed_kv_store.hpp"

namespace st::app {

struct Client::Held {
    std::string id;
    std::optional<crypto::Identity> identity;
    std::int64_t created_ms = 0;
    std::string name;             // as last read from its record
    bool holder = false;          // this Client polls and writes for it (always, without leases)
    // Locked with a passphrase (docs/lock.md): every record goes through this store. Declared
    // before the sessions and their stores, so it outlives them.
    std::unique_ptr<store::SealedKvStore> sealed;
    // Its records are moving between plain and sealed (the lock turned on or off): intents wait.
    bool moving = false;
    std::string reopen_peer;  // the conversation to open again once the new session has loaded
    // The session on screen, the store it sees, and its replacement while that reads the store.
    std::unique_ptr<store::KvStore> store;
    std::unique_ptr<AccountSession> session;
    std::unique_ptr<store::KvStore> next_store;
    std::unique_ptr<AccountSession> next;
    AnnouncingStore* announcing = nullptr;  // `store`, when this Client holds the lease
    // `next` has read the store, and (if a conversation is open) is reading its newest page:
    // it replaces `session` once that page is in, so the conversation never shows empty.
    bool next_loaded = false;
    AnnouncingStore* next_announcing = nullptr;
    bool yield_when_loaded = false;
    bool asked_to_yield = false;
    TimerId read_timer = 0;
    std::vector<Intent> kept;     // intents waiting for the lease (or for `moving` to end)
    // Locks the account after the idle time its settings say (destroyed first: it uses `sealed`).
    std::unique_ptr<store::IdleLock> idle_lock;
};

}  // namespace st::app
