// InProcessLeases — see st/app/account_leases.hpp. The browser's Web Locks grant a lock to the
// requests waiting for it in the order they were made; this does the same, so tests see the
// hand-overs the tabs would.
#include "st/app/account_leases.hpp"

#include <algorithm>

namespace st::app {

class InProcessLeases::Handle final : public AccountLeases {
public:
    explicit Handle(InProcessLeases& broker) : broker_(broker) {}
    ~Handle() override {
        *alive_ = false;
        std::vector<std::string> accounts;
        for (auto& [account, line] : broker_.lines_) {
            if (line.holder == this || std::find(line.waiting.begin(), line.waiting.end(), this) != line.waiting.end())
                accounts.push_back(account);
        }
        for (auto& a : accounts) broker_.leave(this, a);
        std::erase(broker_.handles_, this);
    }

    void set_events(Events events) override { events_ = std::move(events); }

    void acquire(const std::string& account, std::function<void(bool held)> answer) override {
        auto& line = broker_.lines_[account];
        bool held = false;
        if (line.holder == nullptr) {
            line.holder = this;
            held = true;
        } else if (line.holder != this &&
                   std::find(line.waiting.begin(), line.waiting.end(), this) == line.waiting.end()) {
            line.waiting.push_back(this);
        } else {
            held = line.holder == this;
        }
        post([answer = std::move(answer), held] { answer(held); });
    }

    void release(const std::string& account) override { broker_.leave(this, account); }

    void ask_to_yield(const std::string& account) override {
        auto it = broker_.lines_.find(account);
        if (it == broker_.lines_.end() || it->second.holder == nullptr || it->second.holder == this) return;
        it->second.holder->deliver(&Events::yield_asked, account);
    }

    void announce_change(const std::string& account) override {
        for (auto* h : broker_.handles_)
            if (h != this) h->deliver(&Events::changed, account);
    }

    void deliver(std::function<void(const std::string&)> Events::*which, const std::string& account) {
        post([this, which, account] {
            if (events_.*which) (events_.*which)(account);
        });
    }

private:
    void post(std::function<void()> f) {
        broker_.loop_.post([alive = alive_, f = std::move(f)] {
            if (*alive) f();
        });
    }

    InProcessLeases& broker_;
    Events events_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

std::unique_ptr<AccountLeases> InProcessLeases::connect() {
    auto handle = std::make_unique<Handle>(*this);
    handles_.push_back(handle.get());
    return handle;
}

void InProcessLeases::leave(Handle* handle, const std::string& account) {
    auto it = lines_.find(account);
    if (it == lines_.end()) return;
    auto& line = it->second;
    std::erase(line.waiting, handle);
    if (line.holder == handle) {
        line.holder = nullptr;
        hand_on(account);
    }
}

void InProcessLeases::hand_on(const std::string& account) {
    auto& line = lines_[account];
    if (line.holder != nullptr || line.waiting.empty()) return;
    line.holder = line.waiting.front();
    line.waiting.pop_front();
    line.holder->deliver(&AccountLeases::Events::granted, account);
}

}  // namespace st::app
