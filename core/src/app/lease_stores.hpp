// Private to core/src/app: the store an account's session sees, by its role (docs/accounts.md).
//
//   AnnouncingStore  the lease holder's: every write that succeeded is announced to the Clients
//                    that follow the account (once per loop turn, however many writes).
//   FollowerStore    a follower's: reads the shared store; its writes are not made (the holder
//                    makes them). A follower's session never sends, and it is read again from
//                    the store after each announced change, so what it would have written is
//                    what the holder writes.
//
// Both may be destroyed while the inner store still owes callbacks: those capture nothing of the
// wrapper.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"

namespace st::app {

class AnnouncingStore final : public store::KvStore {
public:
    AnnouncingStore(Loop& loop, store::KvStore& inner, std::function<void()> announce)
        : loop_(loop), inner_(inner), state_(std::make_shared<State>()) {
        state_->announce = std::move(announce);
    }
    ~AnnouncingStore() override { state_->announce = nullptr; }
    // The lease is being handed over: from now on writes are not made (the next holder makes them).
    void stop_writing() { stopped_ = true; }

    void get(std::string key, Callback<std::optional<Bytes>> done) override { inner_.get(std::move(key), std::move(done)); }
    void scan(std::string prefix, std::string cursor, std::size_t limit, Callback<std::vector<store::KvEntry>> done,
              store::ScanOrder order = store::ScanOrder::Ascending) override {
        inner_.scan(std::move(prefix), std::move(cursor), limit, std::move(done), order);
    }
    void write(std::vector<store::KvWrite> batch, Callback<> done) override {
        if (stopped_) return settle(std::move(done));
        if (batch.empty()) return inner_.write(std::move(batch), std::move(done));
        inner_.write(std::move(batch), announcing(std::move(done)));
    }
    void erase_prefix(std::string prefix, Callback<> done) override {
        if (stopped_) return settle(std::move(done));
        inner_.erase_prefix(std::move(prefix), announcing(std::move(done)));
    }

private:
    struct State {
        std::function<void()> announce;
        bool posted = false;
    };
    Callback<> announcing(Callback<> done) {
        return [&loop = loop_, state = state_, done = std::move(done)](Result<> r) mutable {
            if (r && !state->posted && state->announce) {
                state->posted = true;
                loop.post([state] {
                    state->posted = false;
                    if (state->announce) state->announce();
                });
            }
            if (done) done(std::move(r));
        };
    }

    void settle(Callback<> done) {
        if (done) loop_.post([done = std::move(done)]() mutable { done(Result<>{}); });
    }

    Loop& loop_;
    store::KvStore& inner_;
    std::shared_ptr<State> state_;
    bool stopped_ = false;
};

class FollowerStore final : public store::KvStore {
public:
    FollowerStore(Loop& loop, store::KvStore& inner) : loop_(loop), inner_(inner) {}

    void get(std::string key, Callback<std::optional<Bytes>> done) override { inner_.get(std::move(key), std::move(done)); }
    void scan(std::string prefix, std::string cursor, std::size_t limit, Callback<std::vector<store::KvEntry>> done,
              store::ScanOrder order = store::ScanOrder::Ascending) override {
        inner_.scan(std::move(prefix), std::move(cursor), limit, std::move(done), order);
    }
    void write(std::vector<store::KvWrite>, Callback<> done) override { settle(std::move(done)); }
    void erase_prefix(std::string, Callback<> done) override { settle(std::move(done)); }

private:
    void settle(Callback<> done) {
        if (done) loop_.post([done = std::move(done)]() mutable { done(Result<>{}); });
    }
    Loop& loop_;
    store::KvStore& inner_;
};

}  // namespace st::app
