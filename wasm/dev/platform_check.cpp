// A test page, not the product: checks FetchTransport and IdbKvStore against the real browser APIs
// (platform_check.html, driven by tests/e2e/platform_check.mjs). The KvStore checks are those of
// tests/support/kv_store_contract.hpp, written as callback chains because IndexedDB answers only
// after control returns to the browser (the GoogleTest suite pumps the Loop synchronously).
// Results: window.platformCheck = {done, failures: [...], passed: [...]}.
// ?phase=write only opens the store and offers window.platformCheckWrite(mode) (0: one write,
// 1: a large batch, then draft writes and a message, most of it still queued in IdbKvStore) and
// flushes the store on `pagehide`, as the product's host does; tests/e2e/platform_check.mjs reloads the
// page right after. ?phase=reload checks that what the earlier phases wrote survived.
#include <emscripten.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/fetch_transport.hpp"
#include "platform/idb_kv_store.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "support/kv_scan_cases.hpp"

namespace {

using namespace st;
using st::wasm::FetchTransport;
using st::wasm::IdbKvStore;

// clang-format off
EM_JS(void, st_js_report, (const char* name, const char* error), {
    var check = window.platformCheck = window.platformCheck || { done: false, passed: [], failures: [] };
    var e = UTF8ToString(error);
    if (e) check.failures.push(UTF8ToString(name) + ': ' + e); else check.passed.push(UTF8ToString(name));
});
EM_JS(void, st_js_finish, (), { window.platformCheck.done = true; });
// 0: the checks, 1: ?phase=reload, 2: ?phase=write.
EM_JS(int, st_js_phase, (), {
    var phase = new URLSearchParams(location.search).get('phase');
    return phase === 'reload' ? 1 : phase === 'write' ? 2 : 0;
});
EM_JS(void, st_js_set_quota_faults, (int n), { window.sessionTabStoreFaults = { quota: n }; });
EM_JS(int, st_js_quota_faults_left, (), {
    return window.sessionTabStoreFaults ? window.sessionTabStoreFaults.quota : -1;
});
EM_JS(void, st_js_offer_writes, (), {
    window.platformCheckWrite = function(mode) { _st_check_write(mode); };
    window.addEventListener('pagehide', function() { _st_check_page_hide(); });
});
// sessionStorage outlives a reload of the tab: how many transactions the pagehide flush created.
EM_JS(void, st_js_note_flushed, (int mode, int transactions), {
    sessionStorage.setItem('flushed-' + mode, String(transactions));
});
EM_JS(int, st_js_flushed, (int mode), {
    var v = sessionStorage.getItem('flushed-' + mode);
    return v === null ? -1 : Number(v);
});
// clang-format on

using Done = std::function<void(std::string error)>;
struct Check {
    std::string name;
    std::function<void(Done)> run;
};

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

struct Checks {
    SystemClock clock;
    Loop loop{clock};
    FetchTransport fetch{loop};
    FetchTransport small_fetch{loop, 1024 * 1024};
    IdbKvStore store{loop, "session-tab-platform-check"};
    std::vector<Check> checks;
    std::size_t next = 0;
    bool running = false;

    void add(std::string name, std::function<void(Done)> run) {
        checks.push_back({std::move(name), std::move(run)});
    }

    void step() {
        loop.run_ready();
        if (running) return;
        if (next == checks.size()) {
            st_js_finish();
            emscripten_cancel_main_loop();
            return;
        }
        running = true;
        Check& c = checks[next++];
        c.run([this, name = c.name](std::string error) {
            st_js_report(name.c_str(), error.c_str());
            running = false;
        });
    }

    // [SECTION] fetch
    void get(std::string url, Callback<net::HttpResponse> done, int timeout_ms = 5000,
             FetchTransport* t = nullptr) {
        net::HttpRequest r;
        r.method = "GET";
        r.url = std::move(url);
        r.timeout = std::chrono::milliseconds(timeout_ms);
        (t ? *t : fetch).send(std::move(r), std::move(done));
    }

    static std::function<void(Result<net::HttpResponse>)> expect_error(Done done,
                                                                       std::string_view code) {
        return [done, code](Result<net::HttpResponse> r) {
            if (r) return done("expected " + std::string(code) + ", got HTTP " + std::to_string(r->status));
            done(r.error().code == code ? "" : "expected " + std::string(code) + ", got " + std::string(r.error().code));
        };
    }

    void add_fetch_checks() {
        add("fetch: GET answers with status and body", [this](Done done) {
            get("fixture.html", [done](Result<net::HttpResponse> r) {
                if (!r) return done(r.error().message);
                const std::string body(r->body.begin(), r->body.end());
                done(r->status == 200 && body.find("<canvas") != std::string::npos ? "" : "unexpected answer");
            });
        });
        add("fetch: an HTTP error status is an answer, not an error", [this](Done done) {
            get("no-such-file", [done](Result<net::HttpResponse> r) {
                done(r && r->status == 404 ? "" : "expected HTTP 404");
            });
        });
        add("fetch: binary POST body and headers go out unchanged", [this](Done done) {
            net::HttpRequest r;
            r.url = "__echo";
            r.headers = {{"X-Session-Tab", "check"}, {"Bad\nName", "dropped"}};
            for (int i = 0; i < 256; ++i) r.body.push_back(static_cast<std::uint8_t>(i));
            const Bytes sent = r.body;
            fetch.send(std::move(r), [done, sent](Result<net::HttpResponse> a) {
                if (!a) return done(a.error().message);
                done(a->status == 201 && a->body == sent ? "" : "echo differs");
            });
        });
        add("fetch: no answer within the timeout is net.timeout", [this](Done done) {
            get("__slow", expect_error(done, net::kTimeout), 300);
        });
        add("fetch: cancel completes once with net.cancelled, never inline", [this](Done done) {
            auto calls = std::make_shared<int>(0);
            net::HttpRequest r;
            r.method = "GET";
            r.url = "__slow";
            const auto id = fetch.send(std::move(r), [done, calls](Result<net::HttpResponse> a) {
                ++*calls;
                done(!a && a.error().code == net::kCancelled ? "" : "expected net.cancelled");
            });
            fetch.cancel(id);
            fetch.cancel(id);  // twice: still once
            if (*calls != 0) done("called back inline");
        });
        add("fetch: an answer over the size limit is net.too_large", [this](Done done) {
            get("__big", expect_error(done, net::kResponseTooLarge), 5000, &small_fetch);
        });
        add("fetch: a blocked or unreachable origin is net.unreachable", [this](Done done) {
            get("http://127.0.0.1:1/", expect_error(done, net::kUnreachable));
        });
        add("fetch: a malformed URL is net.bad_url", [this](Done done) {
            get("http://[::1", expect_error(done, net::kBadUrl));
        });
    }

    // [SECTION] IndexedDB
    // The scan-order cases: tests/support/kv_scan_cases.hpp, the same table the native contract runs.
    using ScanCase = test::ScanCase;

    void run_scan_cases(std::shared_ptr<std::vector<ScanCase>> cases, std::size_t i, Done done) {
        if (i == cases->size()) return done("");
        const ScanCase& c = (*cases)[i];
        store.scan(
            c.prefix, c.cursor, c.limit,
            [this, cases, i, done](Result<std::vector<store::KvEntry>> r) {
                const ScanCase& c = (*cases)[i];
                if (!r) return done(std::string(c.what) + ": " + r.error().message);
                std::vector<std::string> keys;
                for (auto& e : *r) {
                    if (e.key.compare(0, 2, "m/") != 0 && e.value != Bytes(e.key.begin(), e.key.end())) {
                        return done(std::string(c.what) + ": a value does not match its key");
                    }
                    keys.push_back(e.key);
                }
                if (keys != c.keys) {
                    return done(std::string(c.what) + ": " + std::to_string(keys.size()) + " keys, expected " +
                                std::to_string(c.keys.size()) + " (or another order)");
                }
                run_scan_cases(cases, i + 1, done);
            },
            c.order);
    }

    // Pages of 10, newest first, until a short page; gives every value seen.
    void page_back(std::string prefix, std::string cursor, std::shared_ptr<std::vector<int>> seen,
                   std::function<void(std::vector<int>)> then) {
        store.scan(
            prefix, cursor, 10,
            [this, prefix, seen, then](Result<std::vector<store::KvEntry>> r) {
                if (!r) return then({});
                for (auto& e : *r) seen->push_back(e.value.empty() ? -1 : e.value[0]);
                if (r->size() < 10 || seen->size() > 100) return then(*seen);
                page_back(prefix, r->back().key, seen, then);
            },
            store::ScanOrder::Descending);
    }

    void write(std::vector<store::KvWrite> batch, std::function<void(Result<>)> then) {
        store.write(std::move(batch), std::move(then));
    }

    void add_store_checks() {
        add("idb: gets what was put; absent keys are nullopt", [this](Done done) {
            write({store::KvWrite::put("a", Bytes{1, 2, 3})}, [this, done](Result<> w) {
                if (!w) return done(w.error().message);
                store.get("a", [this, done](Result<std::optional<Bytes>> a) {
                    if (!a || *a != Bytes{1, 2, 3}) return done("value of a differs");
                    store.get("b", [done](Result<std::optional<Bytes>> b) {
                        done(b && !*b ? "" : "b should be absent");
                    });
                });
            });
        });
        add("idb: a batch applies in order; an empty value is a value", [this](Done done) {
            write({store::KvWrite::put("k", Bytes{1}), store::KvWrite::erase("k"),
                   store::KvWrite::put("k", Bytes{2}), store::KvWrite::put("j", Bytes{})},
                  [this, done](Result<> w) {
                      if (!w) return done(w.error().message);
                      store.get("k", [this, done](Result<std::optional<Bytes>> k) {
                          if (!k || *k != Bytes{2}) return done("k should be {2}");
                          store.get("j", [done](Result<std::optional<Bytes>> j) {
                              done(j && *j && j->value().empty() ? "" : "j should be empty, present");
                          });
                      });
                  });
        });
        add("idb: scans a prefix in byte order and pages with start_after", [this](Done done) {
            std::vector<store::KvWrite> batch;
            for (int i = 9; i >= 0; --i) {
                batch.push_back(store::KvWrite::put(
                    "m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000),
                    Bytes{static_cast<std::uint8_t>(i)}));
            }
            batch.push_back(store::KvWrite::put("m", Bytes{99}));
            batch.push_back(store::KvWrite::put("n/0", Bytes{98}));
            // Raw bytes order as unsigned: 0x7f < 0x80 < 0xff.
            batch.push_back(store::KvWrite::put(std::string("z/\x80", 3), Bytes{2}));
            batch.push_back(store::KvWrite::put(std::string("z/\x7f", 3), Bytes{1}));
            batch.push_back(store::KvWrite::put(std::string("z/\xff\x00", 4), Bytes{3}));
            write(std::move(batch), [this, done](Result<> w) {
                if (!w) return done(w.error().message);
                store.scan("m/", "", 4, [this, done](Result<std::vector<store::KvEntry>> p1) {
                    if (!p1 || p1->size() != 4 || (*p1)[0].value != Bytes{0}) return done("page 1");
                    store.scan("m/", p1->back().key, 4, [this, done](auto p2) {
                        if (!p2 || p2->size() != 4 || (*p2)[0].value != Bytes{4}) return done("page 2");
                        store.scan("m/", p2->back().key, 4, [this, done](auto p3) {
                            if (!p3 || p3->size() != 2) return done("page 3");
                            store.scan("z/", "", 10, [done](auto z) {
                                if (!z || z->size() != 3) return done("binary keys: count");
                                for (std::size_t i = 0; i < 3; ++i) {
                                    if ((*z)[i].value != Bytes{static_cast<std::uint8_t>(i + 1)}) {
                                        return done("binary keys out of byte order");
                                    }
                                }
                                done("");
                            });
                        });
                    });
                });
            });
        });
        add("idb: scans both orders: cursors, limits, prefix bounds at 0xff, empty results",
            [this](Done done) {
                // An empty database first: the empty-prefix cases see every key.
                store.erase_prefix("", [this, done](Result<> e) {
                    if (!e) return done(e.error().message);
                    write(test::scan_order_fixture(), [this, done](Result<> w) {
                        if (!w) return done(w.error().message);
                        run_scan_cases(std::make_shared<std::vector<ScanCase>>(test::scan_order_cases()), 0,
                                       done);
                    });
                });
            });
        add("idb: a conversation paged newest first back to the start", [this](Done done) {
            std::vector<store::KvWrite> batch;
            for (int i = 0; i < 25; ++i) {
                batch.push_back(store::KvWrite::put("c/" + store::key::be64(static_cast<std::uint64_t>(i)),
                                                    Bytes{static_cast<std::uint8_t>(i)}));
            }
            write(std::move(batch), [this, done](Result<> w) {
                if (!w) return done(w.error().message);
                page_back("c/", "", std::make_shared<std::vector<int>>(), [done](std::vector<int> seen) {
                    std::vector<int> expected;
                    for (int i = 24; i >= 0; --i) expected.push_back(i);
                    done(seen == expected ? "" : "pages differ");
                });
            });
        });
        add("idb: erase_prefix erases that prefix only", [this](Done done) {
            write({store::KvWrite::put("acct/a/1", Bytes{1}), store::KvWrite::put("acct/a/2", Bytes{2}),
                   store::KvWrite::put("acct/b/1", Bytes{3})},
                  [this, done](Result<> w) {
                      if (!w) return done(w.error().message);
                      store.erase_prefix("acct/a/", [this, done](Result<> e) {
                          if (!e) return done(e.error().message);
                          store.scan("acct/", "", 10, [done](auto all) {
                              done(all && all->size() == 1 && (*all)[0].key == "acct/b/1" ? ""
                                                                                     : "wrong keys left");
                          });
                      });
                  });
        });
        add("idb: never calls back inline", [this](Done done) {
            auto called = std::make_shared<bool>(false);
            store.get("x", [called, done](auto) {
                *called = true;
                done("");
            });
            if (*called) done("called back inline");
        });
        add("idb: a large batch (1000 entries, 1 MB) is one transaction", [this](Done done) {
            std::vector<store::KvWrite> batch;
            for (int i = 0; i < 1000; ++i) {
                batch.push_back(store::KvWrite::put("big/" + store::key::be64(static_cast<std::uint64_t>(i)),
                                                    Bytes(1000, static_cast<std::uint8_t>(i))));
            }
            write(std::move(batch), [this, done](Result<> w) {
                if (!w) return done(w.error().message);
                store.scan("big/", "", 5000, [done](auto all) {
                    done(all && all->size() == 1000 && (*all)[999].value.size() == 1000 ? "" : "scan");
                });
            });
        });
        add("idb: 200 batches back to back: merged, one transaction in flight, callbacks in order, "
            "a read right after sees all",
            [this](Done done) {
                struct State {
                    std::vector<int> order;
                    std::optional<std::string> scan_error;
                    std::uint32_t started_before = IdbKvStore::write_transactions_started();
                };
                auto st = std::make_shared<State>();
                auto finish = [st, done] {
                    if (st->order.size() < 200 || !st->scan_error) return;
                    if (!st->scan_error->empty()) return done(*st->scan_error);
                    for (int i = 0; i < 200; ++i) {
                        if (st->order[static_cast<std::size_t>(i)] != i) return done("callbacks out of order or failed");
                    }
                    const auto transactions = IdbKvStore::write_transactions_started() - st->started_before;
                    if (transactions > 3) return done(std::to_string(transactions) + " transactions for 200 batches");
                    if (IdbKvStore::max_write_transactions_in_flight() != 1) return done("more than one write in flight");
                    done("");
                };
                for (int i = 0; i < 200; ++i) {
                    store.write({store::KvWrite::put("q/" + store::key::be64(static_cast<std::uint64_t>(i)),
                                                     Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)})},
                                [st, i, finish](Result<> r) {
                                    st->order.push_back(r ? i : -1);
                                    finish();
                                });
                }
                store.scan("q/", "", 1000, [st, finish](Result<std::vector<store::KvEntry>> r) {
                    st->scan_error = "";
                    if (!r) {
                        st->scan_error = r.error().message;
                    } else if (r->size() != 200) {
                        st->scan_error = "the read saw " + std::to_string(r->size()) + " of 200 batches";
                    } else {
                        for (std::size_t i = 0; i < 200; ++i) {
                            if ((*r)[i].value != Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)}) {
                                st->scan_error = "a value differs";
                            }
                        }
                    }
                    finish();
                });
            });
        add("idb: a read sees the writes issued before it, not those issued after", [this](Done done) {
            auto seen = std::make_shared<std::vector<int>>();
            auto value_of = [](const Result<std::optional<Bytes>>& r) {
                return r && *r && (*r)->size() == 1 ? int((**r)[0]) : -1;
            };
            write({store::KvWrite::put("rw/k", Bytes{1})}, [](Result<>) {});  // in flight
            write({store::KvWrite::put("rw/k", Bytes{2})}, [](Result<>) {});  // waits
            store.get("rw/k", [seen, value_of](auto r) { seen->push_back(value_of(r)); });
            write({store::KvWrite::put("rw/k", Bytes{3})}, [](Result<>) {});
            store.get("rw/k", [seen, value_of, done](auto r) {
                seen->push_back(value_of(r));
                done(*seen == std::vector<int>{2, 3} ? "" : "reads saw other writes");
            });
        });
        add("idb: injected QuotaExceededError fails the affected batches only", [this](Done done) {
            // A is written while nothing is in flight: its transaction alone takes the fault;
            // B and C wait meanwhile and share the next transaction.
            st_js_set_quota_faults(1);
            auto results = std::make_shared<std::vector<std::string>>();
            auto note = [results](Result<> r) { results->push_back(r ? "ok" : std::string(r.error().code)); };
            write({store::KvWrite::put("fault/a", Bytes{1})}, note);
            write({store::KvWrite::put("fault/b", Bytes{2})}, note);
            write({store::KvWrite::put("fault/c", Bytes{3})}, [this, results, note, done](Result<> r) {
                note(r);
                if (*results != std::vector<std::string>{"store.quota_exceeded", "ok", "ok"}) {
                    std::string got;
                    for (auto& x : *results) got += x + " ";
                    return done("batch results: " + got);
                }
                if (st_js_quota_faults_left() != 0) return done("the fault was not used up");
                store.scan("fault/", "", 10, [done](Result<std::vector<store::KvEntry>> all) {
                    done(all && all->size() == 2 && (*all)[0].key == "fault/b" && (*all)[1].key == "fault/c"
                             ? ""
                             : "the failed batch was written, or a later one was not");
                });
            });
        });
        add("idb: write for the reload check", [this](Done done) {
            write({store::KvWrite::put("persist/marker", bytes("still here"))},
                  [done](Result<> w) { done(w ? "" : w.error().message); });
        });
    }

    void add_reload_checks() {
        add("idb: data written before a reload is still there", [this](Done done) {
            store.get("persist/marker", [done](Result<std::optional<Bytes>> r) {
                done(r && *r && **r == bytes("still here") ? "" : "marker lost");
            });
        });
        add("idb: a write right before page.reload() is kept", [this](Done done) {
            store.get("reload/idle", [done](Result<std::optional<Bytes>> r) {
                done(r && *r && **r == bytes("idle write") ? "" : "the write is lost");
            });
        });
        add("idb: a burst still queued at pagehide is kept (flush)", [this](Done done) {
            if (st_js_flushed(1) < 1) {
                return done("nothing was queued at pagehide (flushed " + std::to_string(st_js_flushed(1)) +
                            "): the check did not test the flush");
            }
            store.get("reload/message", [this, done](Result<std::optional<Bytes>> m) {
                if (!m || !*m || **m != bytes("sent")) return done("the message is lost");
                store.get("reload/draft", [this, done](Result<std::optional<Bytes>> d) {
                    if (!d || *d) return done("the draft cleared with the message is back");
                    store.scan("reload/slow/", "", 1, [done](Result<std::vector<store::KvEntry>> last) {
                        // A batch is atomic: its last key stands for all of it.
                        const std::string want = "reload/slow/" + store::key::be64(static_cast<std::uint64_t>(kReloadSlowBatch - 1));
                        done(last && last->size() == 1 && (*last)[0].key == want ? "" : "the large batch is lost");
                    }, store::ScanOrder::Descending);
                });
            });
        });
    }

    // ?phase=write: the store open, then writes on request (platformCheckWrite).
    static constexpr int kReloadSlowBatch = 30000;
    int write_mode = -1;
    void add_write_phase() {
        st_js_offer_writes();
        add("idb: store open for the reload writes", [this](Done done) {
            store.get("reload/none", [done](auto r) { done(r ? "" : r.error().message); });
        });
    }
    void write_for_reload(int mode) {
        write_mode = mode;
        if (mode == 0) {
            write({store::KvWrite::put("reload/idle", bytes("idle write"))}, [](Result<>) {});
            return;
        }
        // A large batch (an import: its transaction is still running at pagehide), then a person
        // typing: a draft saved per keystroke, then the message sent and its draft cleared.
        std::vector<store::KvWrite> slow;
        for (int i = 0; i < kReloadSlowBatch; ++i) {
            slow.push_back(store::KvWrite::put("reload/slow/" + store::key::be64(static_cast<std::uint64_t>(i)), Bytes(100, 1)));
        }
        write(std::move(slow), [](Result<>) {});
        for (int i = 0; i < 30; ++i) {
            write({store::KvWrite::put("reload/draft", bytes("draft " + std::to_string(i)))}, [](Result<>) {});
        }
        write({store::KvWrite::put("reload/message", bytes("sent")), store::KvWrite::erase("reload/draft")},
              [](Result<>) {});
    }
    void page_hide() {
        const auto before = IdbKvStore::write_transactions_started();
        store.flush();
        if (write_mode >= 0) {
            st_js_note_flushed(write_mode, static_cast<int>(IdbKvStore::write_transactions_started() - before));
        }
    }
};

Checks* g_checks = nullptr;

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void st_check_write(int mode) {
    if (g_checks) g_checks->write_for_reload(mode);
}
extern "C" EMSCRIPTEN_KEEPALIVE void st_check_page_hide() {
    if (g_checks) g_checks->page_hide();
}

int main() {
    g_checks = new Checks();
    if (const int phase = st_js_phase(); phase == 1) {
        g_checks->add_reload_checks();
    } else if (phase == 2) {
        g_checks->add_write_phase();
    } else {
        g_checks->add_fetch_checks();
        g_checks->add_store_checks();
    }
    emscripten_set_main_loop([] { g_checks->step(); }, 0, false);
    return 0;
}
