// TabLeases — see tab_leases.hpp.
#include "platform/tab_leases.hpp"

#include <emscripten.h>

#include "platform/lifecycle.hpp"

extern "C" {
int st_leases_supported();
void st_leases_install();
void st_leases_acquire(const char* account);
void st_leases_release(const char* account);
void st_leases_post(int yield_not_changed, const char* account);
}

namespace st::wasm {
namespace {
TabLeases* g_leases = nullptr;  // one per page
}  // namespace

bool TabLeases::supported() { return st_leases_supported() != 0; }

TabLeases::TabLeases(Loop& loop) : loop_(loop) {
    g_leases = this;
    st_leases_install();
}

TabLeases::~TabLeases() {
    if (g_leases == this) g_leases = nullptr;
}

void TabLeases::acquire(const std::string& account, std::function<void(bool held)> answer) {
    answers_[account] = std::move(answer);
    st_leases_acquire(account.c_str());
}

void TabLeases::release(const std::string& account) {
    answers_.erase(account);
    st_leases_release(account.c_str());
}

void TabLeases::ask_to_yield(const std::string& account) { st_leases_post(1, account.c_str()); }

void TabLeases::announce_change(const std::string& account) { st_leases_post(0, account.c_str()); }

// Every event reaches the Client through the Loop, never inline (AccountLeases' contract).
void TabLeases::on_event(int kind, std::string account) {
    loop_.post([this, kind, account = std::move(account)] {
        switch (kind) {
            case 0:
            case 1: {
                auto it = answers_.find(account);
                if (it == answers_.end()) return;
                auto answer = std::move(it->second);
                answers_.erase(it);
                answer(kind == 1);
                return;
            }
            case 2:
                if (events_.granted) events_.granted(account);
                return;
            case 3:
                if (events_.yield_asked) events_.yield_asked(account);
                return;
            case 4:
                if (events_.changed) events_.changed(account);
                return;
            default: return;
        }
    });
    wake_loop();
}

}  // namespace st::wasm

extern "C" EMSCRIPTEN_KEEPALIVE void st_leases_event(int kind, const char* account) {
    if (st::wasm::g_leases != nullptr && account != nullptr) st::wasm::g_leases->on_event(kind, account);
}
