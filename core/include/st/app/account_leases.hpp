// AccountLeases: which tab writes for an account (docs/accounts.md). Several tabs of one browser
// share one store; if two of them polled and wrote for the same account, both would store the
// same message, send the same receipt, and overwrite each other's conversation records. So one
// Client at a time holds an account's lease — it polls, sends and writes — and every other
// Client showing that account follows: it reads the store again whenever the holder announces a
// change, and asks the holder to hand over when the person does something there.
//
// In the browser this is a Web Lock per account plus a BroadcastChannel (wasm/platform/
// tab_leases.js); InProcessLeases below gives the same behaviour to Clients in one process
// (tests, tools). A Client without leases holds every account it opens.
//
// Every event arrives through the Loop, never inline.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "st/base/loop.hpp"

namespace st::app {

class AccountLeases {
public:
    struct Events {
        // This Client now holds the lease (it was queued behind another holder).
        std::function<void(const std::string& account)> granted;
        // Another Client wants the account: the holder finishes its writes, then releases.
        std::function<void(const std::string& account)> yield_asked;
        // The holder changed the account's stored state; "" : the list of accounts changed.
        std::function<void(const std::string& account)> changed;
    };
    virtual ~AccountLeases() = default;

    virtual void set_events(Events events) = 0;
    // Asks for the lease: `answer(true)` if it was free (it is held now); otherwise
    // `answer(false)`, this Client waits in line, and Events::granted follows when the holder
    // lets go (a tab closing lets go of everything).
    virtual void acquire(const std::string& account, std::function<void(bool held)> answer) = 0;
    // Lets go of the lease, or leaves the line.
    virtual void release(const std::string& account) = 0;
    virtual void ask_to_yield(const std::string& account) = 0;
    virtual void announce_change(const std::string& account) = 0;
};

// Leases shared by the Clients of one process: a broker hands out one AccountLeases per Client.
class InProcessLeases {
public:
    explicit InProcessLeases(Loop& loop) : loop_(loop) {}
    InProcessLeases(const InProcessLeases&) = delete;
    InProcessLeases& operator=(const InProcessLeases&) = delete;
    // The broker must outlive every handle; a handle destroyed lets go of all it holds or waits for.
    std::unique_ptr<AccountLeases> connect();

private:
    class Handle;
    struct Line {
        Handle* holder = nullptr;
        std::deque<Handle*> waiting;
    };
    void hand_on(const std::string& account);
    void leave(Handle* handle, const std::string& account);

    Loop& loop_;
    std::map<std::string, Line> lines_;
    std::vector<Handle*> handles_;
};

}  // namespace st::app
