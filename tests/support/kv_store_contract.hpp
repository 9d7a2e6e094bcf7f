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
#include "support/kv_scan_cases.hpp"

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
