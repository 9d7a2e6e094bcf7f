// TabLeases: st::app::AccountLeases between the tabs of one browser (docs/accounts.md). The lease
// of an account is a Web Lock ("session-tab-account:<Session ID>"): the browser grants it to one
// tab at a time, queues the others in the order they asked, and lets go of everything a tab held
// when it closes or crashes — so closing the tab that polls hands the account to the next one
// without any code running. Requests to hand over and announcements of changes go over a
// BroadcastChannel ("session-tab-accounts"), which reaches the other tabs, not this one.
//
// Web Locks need a secure context (https, or http on localhost): where they are missing the host
// gives the Client no leases, and one tab is expected (as before accounts could be shared).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "st/app/account_leases.hpp"
#include "st/base/loop.hpp"

namespace st::wasm {

class TabLeases final : public app::AccountLeases {
public:
    static bool supported();
    explicit TabLeases(Loop& loop);
    ~TabLeases() override;

    void set_events(Events events) override { events_ = std::move(events); }
    void acquire(const std::string& account, std::function<void(bool held)> answer) override;
    void release(const std::string& account) override;
    void ask_to_yield(const std::string& account) override;
    void announce_change(const std::string& account) override;

    // From the page (tab_leases.js), in the kinds it names.
    void on_event(int kind, std::string account);

private:
    Loop& loop_;
    Events events_;
    std::map<std::string, std::function<void(bool)>> answers_;
};

}  // namespace st::wasm
