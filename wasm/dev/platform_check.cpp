// A test page, not the product: checks FetchTransport and IdbKvStore against the real browser APIs
// (platform_check.html, driven by tests/e2e/platform_check.mjs). The KvStore checks are those of
// tests/support/kv_store_contract.hpp, written as callback chains because IndexedDB answers only
// after control returns to the browser (the GoogleTest suite pumps the Loop synchronously).
// Results: window.platformCheck = {done, failures: [...], passed: [...]}.
// ?phase=reload checks that what the first run wrote survived a reload.
#include <emscripten.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/fetch_transport.hpp"
#include "platform/idb_kv_store.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"

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
EM_JS(int, st_js_reload_phase, (), {
    return new URLSearchParams(location.search).get('phase') === 'reload' ? 1 : 0;
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
    // The scan-order cases of tests/support/kv_store_contract.hpp (scan_order_fixture,
    // scan_order_cases), repeated here because that header needs GoogleTest.
    struct ScanCase {
        const char* what;
        std::string prefix, cursor;
        std::size_t limit;
        store::ScanOrder order;
        std::vector<std::string> keys;
    };

    static std::string m(int i) { return "m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000); }
    static std::vector<std::string> ms(std::initializer_list<int> is) {
        std::vector<std::string> out;
        for (int i : is) out.push_back(m(i));
        return out;
    }

    static std::vector<store::KvWrite> scan_order_fixture() {
        using namespace std::string_literals;
        std::vector<store::KvWrite> batch;
        for (int i = 9; i >= 0; --i) batch.push_back(store::KvWrite::put(m(i), Bytes{static_cast<std::uint8_t>(i)}));
        for (const char* k : {"m", "m.", "m0", "l/x", "n/0"}) batch.push_back(store::KvWrite::put(k, Bytes{0xee}));
        for (const std::string& k : {"p\xff"s, "p\xff\x00"s, "p\xff\x7f"s, "p\xff\xff"s, "p\xff\xff\xff"s,
                                     "p\xfe\xff"s, "q"s, "\xff\xff"s, "\xff\xff\x01"s, "\xff\xfe"s, "\xff"s}) {
            batch.push_back(store::KvWrite::put(k, Bytes(k.begin(), k.end())));
        }
        return batch;
    }

    static std::vector<ScanCase> scan_order_cases() {
        using namespace std::string_literals;
        const auto D = store::ScanOrder::Descending, A = store::ScanOrder::Ascending;
        return {
            {"descending: newest first", "m/", "", 100, D, ms({9, 8, 7, 6, 5, 4, 3, 2, 1, 0})},
            {"descending page 1", "m/", "", 4, D, ms({9, 8, 7, 6})},
            {"descending page 2: strictly before the cursor", "m/", m(6), 4, D, ms({5, 4, 3, 2})},
            {"descending page 3: the rest", "m/", m(2), 4, D, ms({1, 0})},
            {"descending past the oldest: empty", "m/", m(0), 4, D, {}},
            {"cursor between keys", "m/", "m/" + store::key::be64(6500), 3, D, ms({6, 5, 4})},
            {"ascending from a descending page's cursor", "m/", m(6), 100, A, ms({7, 8, 9})},
            {"descending from an ascending page's cursor", "m/", m(3), 100, D, ms({2, 1, 0})},
            {"cursor after the prefix: from the newest", "m/", "m0", 2, D, ms({9, 8})},
            {"cursor before the prefix: empty", "m/", "l/z", 2, D, {}},
            {"ascending, cursor after the prefix: empty", "m/", "m0", 2, A, {}},
            {"ascending, cursor before the prefix: from the oldest", "m/", "l/z", 2, A, ms({0, 1})},
            {"limit 0: empty", "m/", "", 0, D, {}},
            {"no key under the prefix: empty", "o/", "", 10, D, {}},
            {"no key under the prefix, ascending: empty", "o/", "", 10, A, {}},
            {"prefix ending in 0xff", "p\xff"s, "", 10, D, {"p\xff\xff\xff"s, "p\xff\xff"s, "p\xff\x7f"s, "p\xff\x00"s, "p\xff"s}},
            {"prefix ending in 0xff, ascending", "p\xff"s, "", 10, A, {"p\xff"s, "p\xff\x00"s, "p\xff\x7f"s, "p\xff\xff"s, "p\xff\xff\xff"s}},
            {"prefix ending in 0xff 0xff, paged", "p\xff\xff"s, "p\xff\xff\xff"s, 10, D, {"p\xff\xff"s}},
            {"bytes compare unsigned: 0x00 < 0x7f < 0xff", "p\xff"s, "p\xff\xff"s, 2, D, {"p\xff\x7f"s, "p\xff\x00"s}},
            {"prefix of only 0xff: no upper bound", "\xff\xff"s, "", 10, D, {"\xff\xff\x01"s, "\xff\xff"s}},
            {"prefix of only 0xff, ascending", "\xff\xff"s, "", 10, A, {"\xff\xff"s, "\xff\xff\x01"s}},
            {"empty prefix: the last keys of all", "", "", 3, D, {"\xff\xff\x01"s, "\xff\xff"s, "\xff\xfe"s}},
            {"empty prefix with a cursor", "", "\xff"s, 2, D, {"q"s, "p\xff\xff\xff"s}},
        };
    }

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
                    write(scan_order_fixture(), [this, done](Result<> w) {
                        if (!w) return done(w.error().message);
                        run_scan_cases(std::make_shared<std::vector<ScanCase>>(scan_order_cases()), 0,
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
    }
};

Checks* g_checks = nullptr;

}  // namespace

int main() {
    g_checks = new Checks();
    if (st_js_reload_phase()) {
        g_checks->add_reload_checks();
    } else {
        g_checks->add_fetch_checks();
        g_checks->add_store_checks();
    }
    emscripten_set_main_loop([] { g_checks->step(); }, 0, false);
    return 0;
}
