// st::app::Client: the facade the UI and the hosts see (architecture.md §4). It owns all protocol
// and account state; the UI reads view() once per frame and sends Intents back with dispatch().
//
// The Client itself does onboarding (create or restore an identity, choose a name), the accounts
// of this browser (several, one on screen, the others polling slowly: accounts.cpp,
// docs/accounts.md) and the view; everything of an open account is an AccountSession with its
// rooms (core/src/app/account_session.hpp): contacts and message requests, conversations, the
// message store, the outbox, one handler per kind of incoming message. The storage layout is in
// records.hpp.
//
// Threading: none. Every callback arrives through the Loop the host pumps.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "st/app/account_leases.hpp"
#include "st/app/intent.hpp"
#include "st/app/view.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/identity.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/net/transport.hpp"
#include "st/store/kv_store.hpp"
#include "st/store/lock.hpp"

namespace st::app {

struct ClientConfig {
    std::string network_name = "devnet";  // shown in the network status
    std::string relay_label;              // shown in the network status ("" natively)
    net::NetworkConfig network;           // seeds, paths, attempts
    std::shared_ptr<const net::NodeAddressing> addressing;  // how guards are reached
    net::PollerConfig poller;
    std::chrono::milliseconds retry_min{2000};   // outbox back-off after a transient failure
    std::chrono::milliseconds retry_max{30000};
    std::size_t max_body_chars = 2000;           // desktop's limit for a message body
    std::size_t max_name_chars = 64;
    // Disappearing-message timers of 10 s, 30 s and 1 min besides the official choices, as the
    // official clients offer in their development builds (protocol §8.3): the devnet and tests.
    bool short_disappearing_timers = false;
    std::string app_version;                     // shown in Settings → About
    std::string build_id;                        // the source revision it was built from
    std::string site_fingerprint;                // of the site the page came from (host's word)
    // Kiosk mode (docs/kiosk.md): the host gives the Client a store that keeps nothing (memory);
    // after `kiosk_idle` without input a countdown of `kiosk_countdown` runs, then the session
    // ends: the account and everything typed are wiped and the tab returns to Welcome.
    bool kiosk = false;
    std::chrono::milliseconds kiosk_idle{std::chrono::minutes(5)};
    std::chrono::milliseconds kiosk_countdown{std::chrono::seconds(30)};
    // Argon2id cost of a new passphrase lock (docs/lock.md); tests use the cheapest.
    store::Argon2Params lock_params = store::kDefaultArgon2Params;
};

class AccountSession;

class Client {
public:
    // Everything referenced must outlive the Client. `leases` (optional) is shared with the other
    // Clients (tabs) on the same store: with it, an account open in several of them is polled and
    // written by one at a time (account_leases.hpp); without, this Client holds every account.
    Client(Loop& loop, const Clock& clock, net::Transport& transport, store::KvStore& store,
           ClientConfig config, AccountLeases* leases = nullptr);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Reads the stored account and conversations; view().loading until that is done.
    void start();
    void dispatch(Intent intent);
    // The snapshot for this frame; rebuilt only when something changed.
    const AppView& view();
    // Foreground (the tab is visible / a conversation is open): poll at the active interval.
    void set_foreground(bool foreground);

    // The person did something (a key, a click, a touch, the wheel): kiosk mode's idle time starts
    // again and a running countdown stops. Intents count too.
    void note_activity();

    // For tests and tools: the active account, if any.
    const crypto::Identity* identity() const;

private:
    struct Held;  // an account open in this Client (accounts.cpp)

    void create_account();
    void try_it_now();
    void restore_account(const std::string& phrase);
    void choose_display_name(const std::string& name);
    // Writes the account record (and makes it the account new tabs open); returns its creation time.
    std::int64_t store_account(const crypto::Identity& identity, const std::string& name,
                               bool phrase_unsaved = false);
    void changed() { ++version_; }
    void set_banner(Problem problem);
    void clear_banner(std::string_view code_prefix);
    // The session of the account on screen (nullptr: onboarding, or it is still being opened).
    AccountSession* account() const;
    void account_intent(AccountSession& a, Intent& intent);

    // [SECTION] accounts.cpp: the accounts of this browser
    // Reads every stored account and opens it; shows `preferred` (else the one last chosen).
    void open_stored_accounts(std::optional<std::string> preferred);
    // An account to hold open from now on (a new one, or one read from the store), shown or not.
    // `sealed`: the account is locked with a passphrase and was just unlocked; its records are
    // read and written through this store (docs/lock.md).
    void open_account(crypto::Identity identity, std::int64_t created_ms, std::string display_name, bool show,
                      std::unique_ptr<store::SealedKvStore> sealed = nullptr);
    // Builds the account's session in its role (lease holder or follower). The first one is on
    // screen at once; a later one replaces it once it has read the store.
    void start_session(Held& held, bool holder);
    void session_loaded(Held& held);
    // The replacement session takes over once it has read everything (and the open conversation).
    void swap_in_next(const std::string& id);
    void show(const std::string& id);
    void pace_sessions();
    void switch_account(const std::string& id);
    void add_account();
    void cancel_add_account();
    // Ends the account's session and erases every stored byte of it; another account (or
    // Welcome) is shown if it was on screen.
    void wipe_account(const std::string& id);
    // Closes the account here without erasing it (another tab removed it, or kiosk mode ends).
    void close_account(const std::string& id);
    // Leases: another Client gave us the account, asks for it, or changed what is stored.
    void lease_granted(const std::string& id);
    void yield_asked(const std::string& id);
    void store_changed_elsewhere(const std::string& id);
    // An intent for an account another Client holds: kept until the lease comes here.
    bool keep_for_holder(Held& held, Intent& intent);
    void fill_accounts(AppView& view);

    // [SECTION] account_lock.cpp: the passphrase lock (docs/lock.md)
    void read_locks(std::function<void()> then);
    void show_lock_screen(const std::string& lock_id);
    void unlock(const std::string& lock_id, SecretBytes passphrase);
    void unlocked(const std::string& lock_id, std::unique_ptr<store::SealedKvStore> sealed);
    // Closes the account, zeroes its keys and shows its lock screen (Lock now, the idle time).
    void lock_account(const std::string& id);
    void set_passphrase(SecretBytes passphrase, std::string public_name);
    void change_passphrase(SecretBytes old_passphrase, SecretBytes new_passphrase);
    void remove_passphrase(SecretBytes passphrase);
    void set_lock_after(std::uint32_t minutes);
    void remove_locked_account(const std::string& lock_id);
    void arm_idle_lock(Held& held);
    void lock_refused(const Error& e);
    // Links (links.cpp): applied once an account is open; until then kept.
    void open_link(std::string fragment);
    void apply_link(const std::string& fragment);
    void refuse_link(std::string code, std::string sentence);
    // Kiosk mode: the idle timer, the countdown, and the end of a session.
    void arm_kiosk_timer(std::chrono::milliseconds in);
    void kiosk_timer_fired();
    void end_kiosk_session();

    Loop& loop_;
    const Clock& clock_;
    net::Transport& transport_;
    store::KvStore& store_;
    ClientConfig config_;

    AppView view_;
    std::uint64_t version_ = 1;
    std::uint64_t built_version_ = 0;

    AccountLeases* leases_ = nullptr;

    // Onboarding: the identity being created or restored, not stored until a name is chosen.
    std::optional<crypto::Identity> pending_;
    // Every account open here, by Session ID; `shown_` is the one on screen ("": onboarding).
    std::map<std::string, std::unique_ptr<Held>> held_;
    std::string shown_;
    bool adding_ = false;  // onboarding another account: Welcome offers to go back
    // Locked accounts not unlocked here, by lock id; `shown_lock_`: the one whose lock screen is
    // on screen ("" none). The rest of the lock screen's and the Settings section's state.
    std::unique_ptr<store::Locks> locks_store_;
    std::map<std::string, store::LockRecord> locks_;
    std::string shown_lock_;
    bool unlocking_ = false;
    std::optional<Problem> unlock_problem_;
    bool lock_busy_ = false;
    std::optional<Problem> lock_problem_;
    std::uint64_t lock_changes_ = 0;
    std::optional<Problem> new_conversation_problem_;
    bool resolving_name_ = false;
    std::optional<Problem> banner_;
    bool foreground_ = true;
    std::chrono::milliseconds last_activity_{0};  // steady clock
    TimerId kiosk_timer_ = 0;
    std::int64_t kiosk_ends_at_ms_ = 0;
    std::uint64_t kiosk_sessions_ended_ = 0;
    std::optional<std::string> pending_link_;  // followed before an account was open
    LinkView link_;

    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace st::app
