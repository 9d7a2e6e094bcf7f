// The behaviour every KvStore must show (MemoryKvStore here; IdbKvStore runs the same checks in
// Chromium). Instantiate with INSTANTIATE_TYPED_TEST_SUITE_P(Name, KvStoreContract, Types<Fixture>)
// where Fixture has `Loop loop; std::unique_ptr<KvStore> store;` set up.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "st/base/loop.hpp"
#include "st/store/kv_store.hpp"

namespace st::test {

// Runs the loop until `result` is filled (every KvStore callback arrives through the loop).
template <class T>
T await_result(Loop& loop, std::optional<T>& result) {
    for (int i = 0; i < 10000 && !result; ++i) loop.run_ready();
    EXPECT_TRUE(result.has_value()) << "callback never ran";
    return std::move(*result);
}

template <class Fixture>
class KvStoreContract : public ::testing::Test {
protected:
    Fixture fx;

    void put(std::vector<store::KvWrite> batch) {
        std::optional<Result<>> r;
        fx.store->write(std::move(batch), [&](Result<> x) { r = std::move(x); });
        ASSERT_TRUE(await_result(fx.loop, r));
    }
    std::optional<Bytes> get(std::string key) {
        std::optional<Result<std::optional<Bytes>>> r;
        fx.store->get(std::move(key), [&](auto x) { r = std::move(x); });
        auto v = await_result(fx.loop, r);
        EXPECT_TRUE(v);
        return v ? *v : std::nullopt;
    }
    std::vector<store::KvEntry> scan(std::string prefix, std::string after = {}, std::size_t limit = 1000,
                                     store::ScanOrder order = store::ScanOrder::Ascending) {
        std::optional<Result<std::vector<store::KvEntry>>> r;
        fx.store->scan(
            std::move(prefix), std::move(after), limit, [&](auto x) { r = std::move(x); }, order);
        auto v = await_result(fx.loop, r);
        EXPECT_TRUE(v);
        return v ? *v : std::vector<store::KvEntry>{};
    }
};

TYPED_TEST_SUITE_P(KvStoreContract);

TYPED_TEST_P(KvStoreContract, GetsWhatWasPut) {
    this->put({store::KvWrite::put("a", Bytes{1, 2, 3})});
    EXPECT_EQ(this->get("a"), (Bytes{1, 2, 3}));
    EXPECT_EQ(this->get("b"), std::nullopt);
}

TYPED_TEST_P(KvStoreContract, AppliesABatchInOrder) {
    this->put({store::KvWrite::put("k", Bytes{1}), store::KvWrite::erase("k"),
               store::KvWrite::put("k", Bytes{2}), store::KvWrite::put("j", Bytes{})});
    EXPECT_EQ(this->get("k"), (Bytes{2}));
    EXPECT_EQ(this->get("j"), Bytes{});  // an empty value is a value, not an absence
}

TYPED_TEST_P(KvStoreContract, ScansAPrefixInKeyOrderAndPages) {
    std::vector<store::KvWrite> batch;
    for (int i = 9; i >= 0; --i)
        batch.push_back(store::KvWrite::put("m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000),
                                            Bytes{static_cast<std::uint8_t>(i)}));
    batch.push_back(store::KvWrite::put("m", Bytes{99}));   // not under "m/"
    batch.push_back(store::KvWrite::put("n/0", Bytes{98}));  // after the prefix
    this->put(std::move(batch));

    auto all = this->scan("m/");
    ASSERT_EQ(all.size(), 10u);
    for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].value, Bytes{static_cast<std::uint8_t>(i)});

    auto page1 = this->scan("m/", {}, 4);
    ASSERT_EQ(page1.size(), 4u);
    auto page2 = this->scan("m/", page1.back().key, 4);
    ASSERT_EQ(page2.size(), 4u);
    EXPECT_EQ(page2.front().value, Bytes{4});
    auto page3 = this->scan("m/", page2.back().key, 4);
    EXPECT_EQ(page3.size(), 2u);
}

// Keys for the scan-order checks (here and in wasm/dev/platform_check.cpp): a conversation of ten
// messages between neighbours that must stay out of it, and binary keys around 0xff.
inline std::vector<store::KvWrite> scan_order_fixture() {
    std::vector<store::KvWrite> batch;
    for (int i = 9; i >= 0; --i)
        batch.push_back(store::KvWrite::put("m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000),
                                            Bytes{static_cast<std::uint8_t>(i)}));
    for (const char* k : {"m", "m.", "m0", "l/x", "n/0"}) batch.push_back(store::KvWrite::put(k, Bytes{0xee}));
    using namespace std::string_literals;
    for (const std::string& k : {"p\xff"s, "p\xff\x00"s, "p\xff\x7f"s, "p\xff\xff"s, "p\xff\xff\xff"s,
                                 "p\xfe\xff"s, "q"s, "\xff\xff"s, "\xff\xff\x01"s, "\xff\xfe"s, "\xff"s})
        batch.push_back(store::KvWrite::put(k, Bytes(k.begin(), k.end())));
    return batch;
}

// One scan over scan_order_fixture() and the keys it must return, in order.
struct ScanCase {
    const char* what;
    std::string prefix, cursor;
    std::size_t limit;
    store::ScanOrder order;
    std::vector<std::string> keys;
};

inline std::vector<ScanCase> scan_order_cases() {
    using namespace std::string_literals;
    using store::ScanOrder;
    auto m = [](int i) { return "m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000); };
    auto ms = [&](std::initializer_list<int> is) {
        std::vector<std::string> out;
        for (int i : is) out.push_back(m(i));
        return out;
    };
    const auto D = ScanOrder::Descending, A = ScanOrder::Ascending;
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

TYPED_TEST_P(KvStoreContract, ScansInBothOrdersWithCursorsAndPrefixBounds) {
    this->put(scan_order_fixture());
    for (const ScanCase& c : scan_order_cases()) {
        std::vector<std::string> keys;
        for (auto& e : this->scan(c.prefix, c.cursor, c.limit, c.order)) {
            if (e.key.compare(0, 2, "m/") != 0) {
                EXPECT_EQ(e.value, Bytes(e.key.begin(), e.key.end())) << c.what;
            }
            keys.push_back(e.key);
        }
        EXPECT_EQ(keys, c.keys) << c.what;
    }
}

TYPED_TEST_P(KvStoreContract, PagesAConversationBackToTheStart) {
    std::vector<store::KvWrite> batch;
    for (int i = 0; i < 25; ++i)
        batch.push_back(store::KvWrite::put("c/" + store::key::be64(static_cast<std::uint64_t>(i)),
                                            Bytes{static_cast<std::uint8_t>(i)}));
    this->put(std::move(batch));
    std::vector<int> seen;
    std::string cursor;
    for (int pages = 0; pages < 10; ++pages) {
        auto page = this->scan("c/", cursor, 10, store::ScanOrder::Descending);
        for (auto& e : page) seen.push_back(e.value.at(0));
        if (page.size() < 10) break;
        cursor = page.back().key;
    }
    std::vector<int> expected;
    for (int i = 24; i >= 0; --i) expected.push_back(i);
    EXPECT_EQ(seen, expected);
}

TYPED_TEST_P(KvStoreContract, ErasesAPrefixOnly) {
    this->put({store::KvWrite::put("acct/a/1", Bytes{1}), store::KvWrite::put("acct/a/2", Bytes{2}),
               store::KvWrite::put("acct/b/1", Bytes{3})});
    std::optional<Result<>> r;
    this->fx.store->erase_prefix("acct/a/", [&](Result<> x) { r = std::move(x); });
    ASSERT_TRUE(await_result(this->fx.loop, r));
    EXPECT_TRUE(this->scan("acct/a/").empty());
    EXPECT_EQ(this->get("acct/b/1"), (Bytes{3}));
}

TYPED_TEST_P(KvStoreContract, NeverCallsBackInline) {
    bool called = false;
    this->fx.store->get("x", [&](auto) { called = true; });
    EXPECT_FALSE(called);
    std::optional<int> done;
    this->fx.store->write({store::KvWrite::put("x", Bytes{1})}, [&](Result<>) { done = 1; });
    EXPECT_FALSE(done);
    await_result(this->fx.loop, done);
}

REGISTER_TYPED_TEST_SUITE_P(KvStoreContract, GetsWhatWasPut, AppliesABatchInOrder,
                            ScansAPrefixInKeyOrderAndPages, ScansInBothOrdersWithCursorsAndPrefixBounds,
                            PagesAConversationBackToTheStart, ErasesAPrefixOnly, NeverCallsBackInline);

}  // namespace st::test
