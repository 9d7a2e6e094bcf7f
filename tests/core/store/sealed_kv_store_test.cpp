#include "st/store/sealed_kv_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "st/store/memory_kv_store.hpp"
#include "support/kv_store_contract.hpp"

namespace st::store {
namespace {

Secret<32> test_key(std::uint8_t fill) {
    Secret<32> k;
    std::fill(k.data(), k.data() + k.size(), fill);
    return k;
}

struct SealedFixture {
    SystemClock clock;
    Loop loop{clock};
    MemoryKvStore inner{loop};
    std::unique_ptr<KvStore> store = std::make_unique<SealedKvStore>(loop, inner, "0123abcd", test_key(7));
};

using namespace st::test;  // the contract's generated names must be found unqualified
INSTANTIATE_TYPED_TEST_SUITE_P(Sealed, KvStoreContract, ::testing::Types<SealedFixture>);

// Direct access to the sealed store, its inner store and the loop.
class SealedKvStoreTest : public ::testing::Test {
protected:
    SystemClock clock;
    Loop loop{clock};
    MemoryKvStore inner{loop};
    SealedKvStore sealed{loop, inner, "0123abcd", test_key(7)};

    Result<> write(KvStore& s, std::vector<KvWrite> batch) {
        std::optional<Result<>> r;
        s.write(std::move(batch), [&](Result<> x) { r = std::move(x); });
        return await_result(loop, r);
    }
    Result<std::optional<Bytes>> get(KvStore& s, std::string key) {
        std::optional<Result<std::optional<Bytes>>> r;
        s.get(std::move(key), [&](auto x) { r = std::move(x); });
        return await_result(loop, r);
    }
    Result<std::vector<KvEntry>> scan(KvStore& s, std::string prefix, std::string cursor = {},
                                      std::size_t limit = 1'000'000, ScanOrder order = ScanOrder::Ascending) {
        std::optional<Result<std::vector<KvEntry>>> r;
        s.scan(std::move(prefix), std::move(cursor), limit, [&](auto x) { r = std::move(x); }, order);
        return await_result(loop, r);
    }
    Result<> erase_prefix(KvStore& s, std::string prefix) {
        std::optional<Result<>> r;
        s.erase_prefix(std::move(prefix), [&](Result<> x) { r = std::move(x); });
        return await_result(loop, r);
    }
    std::vector<KvEntry> raw() { return *scan(inner, ""); }
};

const std::string kAccount = "05" + std::string(64, 'a');
const std::string kPeer = "05" + std::string(64, 'b');
const std::string kOther = "05" + std::string(64, 'c');
const std::string kAcct = "acct/" + kAccount + "/";

std::string msg_key(const std::string& peer, std::uint64_t ms, bool outgoing) {
    return kAcct + "msg/" + peer + "/" + key::be64(ms) + "/" + (outgoing ? "o" : "i");
}

std::vector<KvWrite> app_like_records() {
    std::vector<KvWrite> b;
    b.push_back(KvWrite::put("accounts/" + kAccount, to_bytes("seed and name Alice")));
    b.push_back(KvWrite::put(kAcct + "settings", to_bytes("{\"typing\":true}")));
    b.push_back(KvWrite::put(kAcct + "contact/" + kPeer, to_bytes("{\"name\":\"Bob Builder\"}")));
    b.push_back(KvWrite::put(kAcct + "conv/" + kPeer, to_bytes("{\"preview\":\"meet at the old mill\"}")));
    b.push_back(KvWrite::put(msg_key(kPeer, 1000, true), to_bytes("meet at the old mill")));
    b.push_back(KvWrite::put(msg_key(kPeer, 1000, false), to_bytes("at noon?")));
    b.push_back(KvWrite::put(kAcct + "expiry/" + key::be64(5000) + "/" + kPeer + "/" + key::be64(1000) + "/o", Bytes{}));
    b.push_back(KvWrite::put(kAcct + "outbox/" + key::be64(1000) + "/" + kPeer, to_bytes("meet at the old mill")));
    b.push_back(KvWrite::put(kAcct + "poll/seen/abcDEF+/hash=", Bytes{0, 0, 0, 1}));
    return b;
}

TEST_F(SealedKvStoreTest, StoredKeysAndValuesRevealNoIdsNamesOrText) {
    ASSERT_TRUE(write(sealed, app_like_records()));
    auto entries = raw();
    ASSERT_EQ(entries.size(), app_like_records().size());
    for (const auto& e : entries) {
        std::string value(e.value.begin(), e.value.end());
        for (const std::string& secret : {kAccount, std::string(64, 'a'), kPeer, std::string(64, 'b'),
                                          std::string("Alice"), std::string("Bob"), std::string("old mill"),
                                          std::string("noon"), std::string("typing"), std::string("abcDEF")}) {
            EXPECT_EQ(e.key.find(secret), std::string::npos) << e.key;
            EXPECT_EQ(value.find(secret), std::string::npos) << e.key;
        }
        for (const char* name : {"acct", "accounts", "msg", "contact", "conv", "settings", "outbox", "poll"})
            EXPECT_EQ(e.key.find(std::string("/") + name + "/"), std::string::npos) << e.key;
        EXPECT_EQ(e.key.rfind("sealed/0123abcd/", 0), 0u) << e.key;
    }
    // What stays visible by design (docs/lock.md): the timestamps.
    EXPECT_NE(*sealed.stored_key(msg_key(kPeer, 1000, true)), *sealed.stored_key(msg_key(kPeer, 1000, false)));
    EXPECT_NE(sealed.stored_key(msg_key(kPeer, 1000, true))->find(key::be64(1000)), std::string::npos);
}

TEST_F(SealedKvStoreTest, ReadsBackEveryAppRecord) {
    ASSERT_TRUE(write(sealed, app_like_records()));
    for (auto& w : app_like_records()) EXPECT_EQ(*get(sealed, w.key), w.value) << w.key;
    auto account = *scan(sealed, kAcct);
    EXPECT_EQ(account.size(), app_like_records().size() - 1);
    EXPECT_TRUE(std::is_sorted(account.begin(), account.end(), [](auto& a, auto& b) { return a.key < b.key; }));
}

TEST_F(SealedKvStoreTest, AValueMovedToAnotherKeyIsDetected) {
    ASSERT_TRUE(write(sealed, {KvWrite::put(msg_key(kPeer, 1, true), to_bytes("first")),
                               KvWrite::put(msg_key(kPeer, 2, true), to_bytes("second"))}));
    const auto from = *sealed.stored_key(msg_key(kPeer, 1, true));
    const auto to = *sealed.stored_key(msg_key(kPeer, 2, true));
    auto moved = get(inner, from);
    ASSERT_TRUE(moved && *moved);
    ASSERT_TRUE(write(inner, {KvWrite::put(to, **moved)}));

    auto r = get(sealed, msg_key(kPeer, 2, true));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.tampered");
    auto s = scan(sealed, kAcct + "msg/" + kPeer + "/");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "store.tampered");
    EXPECT_EQ(*get(sealed, msg_key(kPeer, 1, true)), to_bytes("first"));  // the original still opens
}

TEST_F(SealedKvStoreTest, AChangedByteOrAnotherAccountsKeyIsDetected) {
    ASSERT_TRUE(write(sealed, {KvWrite::put(kAcct + "settings", to_bytes("x"))}));
    const auto stored = *sealed.stored_key(kAcct + "settings");
    auto value = **get(inner, stored);
    value[value.size() / 2] ^= 1;
    ASSERT_TRUE(write(inner, {KvWrite::put(stored, value)}));
    auto r = get(sealed, kAcct + "settings");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.tampered");

    // The same lock id under another data key: nothing opens.
    SealedKvStore other(loop, inner, "0123abcd", test_key(8));
    ASSERT_TRUE(write(sealed, {KvWrite::put(kAcct + "settings", to_bytes("y"))}));
    EXPECT_EQ(*get(other, kAcct + "settings"), std::nullopt);  // its keys map elsewhere
    auto all = scan(other, "");
    ASSERT_FALSE(all);
    EXPECT_EQ(all.error().code, "store.tampered");
    for (Bytes junk : {Bytes{}, Bytes{1}, Bytes(100, 1), Bytes(41, 0)}) {
        ASSERT_TRUE(write(inner, {KvWrite::put(stored, junk)}));
        auto j = get(sealed, kAcct + "settings");
        ASSERT_FALSE(j);
        EXPECT_EQ(j.error().code, "store.tampered");
    }
}

TEST_F(SealedKvStoreTest, PagesAConversationWithBothDirectionsAtOneTimestampInOrder) {
    std::vector<KvWrite> batch;
    MemoryKvStore plain(loop);
    std::vector<KvWrite> plain_batch;
    for (std::uint64_t t = 0; t < 60; ++t) {
        for (bool o : {true, false}) {
            if ((t % 3 == 0) && o) continue;
            batch.push_back(KvWrite::put(msg_key(kPeer, 1000 + t / 2, o), Bytes{static_cast<std::uint8_t>(t)}));
            plain_batch.push_back(batch.back());
        }
    }
    batch.push_back(KvWrite::put(msg_key(kOther, 1000, true), Bytes{1}));
    plain_batch.push_back(batch.back());
    ASSERT_TRUE(write(sealed, batch));
    ASSERT_TRUE(write(plain, plain_batch));
    for (auto order : {ScanOrder::Descending, ScanOrder::Ascending}) {
        for (std::size_t page : {1u, 2u, 3u, 7u, 50u}) {
            std::string cursor_a, cursor_b;
            for (int i = 0; i < 200; ++i) {
                auto a = *scan(sealed, kAcct + "msg/" + kPeer + "/", cursor_a, page, order);
                auto b = *scan(plain, kAcct + "msg/" + kPeer + "/", cursor_b, page, order);
                ASSERT_EQ(a.size(), b.size());
                for (std::size_t k = 0; k < a.size(); ++k) {
                    EXPECT_EQ(a[k].key, b[k].key);
                    EXPECT_EQ(a[k].value, b[k].value);
                }
                if (a.size() < page) break;
                cursor_a = a.back().key;
                cursor_b = b.back().key;
            }
        }
    }
}

// Random app-shaped keys, writes and scans: the sealed store answers as a plain one.
TEST_F(SealedKvStoreTest, AnswersAsAPlainStoreForRandomAppShapedKeys) {
    MemoryKvStore plain(loop);
    std::mt19937 rng(16);
    const std::vector<std::string> peers = {kPeer, kOther, "05" + std::string(64, 'd')};
    auto random_key = [&] {
        const auto& p = peers[rng() % peers.size()];
        const auto t = 1000 + rng() % 20;
        switch (rng() % 6) {
            case 0: return kAcct + "contact/" + p;
            case 1: return kAcct + "conv/" + p;
            case 2: return msg_key(p, t, rng() % 2);
            case 3: return kAcct + "outbox/" + key::be64(t) + "/" + p + (rng() % 2 ? "/receipt" : "");
            case 4: return kAcct + "expiry/" + key::be64(t) + "/" + p + "/" + key::be64(t / 2) + "/o";
            default: return kAcct + "poll/seen/h" + std::to_string(rng() % 30);
        }
    };
    const std::vector<std::string> prefixes = {"",
                                               kAcct,
                                               kAcct + "contact/",
                                               kAcct + "msg/",
                                               kAcct + "msg/" + kPeer + "/",
                                               kAcct + "outbox/",
                                               kAcct + "expiry/",
                                               kAcct + "poll/seen/",
                                               kAcct + "poll/seen/h1",
                                               kAcct + "con"};
    for (int round = 0; round < 30; ++round) {
        std::vector<KvWrite> batch;
        for (int i = 0; i < 20; ++i) {
            auto k = random_key();
            batch.push_back(rng() % 5 ? KvWrite::put(k, Bytes{static_cast<std::uint8_t>(rng())}) : KvWrite::erase(k));
        }
        ASSERT_TRUE(write(sealed, batch));
        ASSERT_TRUE(write(plain, batch));
        for (int q = 0; q < 10; ++q) {
            const auto& prefix = prefixes[rng() % prefixes.size()];
            const auto order = rng() % 2 ? ScanOrder::Ascending : ScanOrder::Descending;
            const std::size_t limit = 1 + rng() % 8;
            std::string cursor = rng() % 3 ? random_key() : std::string();
            auto a = *scan(sealed, prefix, cursor, limit, order);
            auto b = *scan(plain, prefix, cursor, limit, order);
            ASSERT_EQ(a.size(), b.size()) << prefix << " " << cursor;
            for (std::size_t k = 0; k < a.size(); ++k) {
                EXPECT_EQ(a[k].key, b[k].key);
                EXPECT_EQ(a[k].value, b[k].value);
            }
        }
        if (round % 10 == 9) {
            const auto& prefix = prefixes[rng() % prefixes.size()];
            ASSERT_TRUE(erase_prefix(sealed, prefix));
            ASSERT_TRUE(erase_prefix(plain, prefix));
        }
    }
    EXPECT_EQ(scan(sealed, "")->size(), scan(plain, "")->size());
}

TEST_F(SealedKvStoreTest, ALockedStoreRefusesEverythingAndDropsReadsInFlight) {
    ASSERT_TRUE(write(sealed, app_like_records()));
    std::optional<Result<std::vector<KvEntry>>> in_flight;
    sealed.scan(kAcct, {}, 100, [&](auto x) { in_flight = std::move(x); });
    std::optional<Result<std::optional<Bytes>>> get_in_flight;
    sealed.get(kAcct + "settings", [&](auto x) { get_in_flight = std::move(x); });
    sealed.lock();
    EXPECT_TRUE(sealed.locked());
    auto s = await_result(loop, in_flight);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "store.locked");
    auto g0 = await_result(loop, get_in_flight);
    ASSERT_FALSE(g0);
    EXPECT_EQ(g0.error().code, "store.locked");

    auto g = get(sealed, kAcct + "settings");
    ASSERT_FALSE(g);
    EXPECT_EQ(g.error().code, "store.locked");
    auto w = write(sealed, {KvWrite::put(kAcct + "settings", Bytes{1})});
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().code, "store.locked");
    auto sc = scan(sealed, "");
    ASSERT_FALSE(sc);
    EXPECT_EQ(sc.error().code, "store.locked");
    auto e = erase_prefix(sealed, kAcct);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "store.locked");
    EXPECT_FALSE(sealed.stored_key("x"));
    EXPECT_EQ(inner.size(), app_like_records().size());  // nothing was changed or erased
}

TEST_F(SealedKvStoreTest, WipingTheAccountLeavesTheInnerStoreEmpty) {
    ASSERT_TRUE(write(sealed, app_like_records()));
    ASSERT_TRUE(erase_prefix(sealed, kAcct));
    EXPECT_EQ(inner.size(), 1u);  // accounts/<id> is outside acct/<id>/
    ASSERT_TRUE(erase_prefix(sealed, "accounts/" + kAccount));  // mid-segment: scan and erase
    EXPECT_EQ(inner.size(), 0u);
    ASSERT_TRUE(write(sealed, app_like_records()));
    ASSERT_TRUE(erase_prefix(sealed, ""));
    EXPECT_EQ(inner.size(), 0u);
}

}  // namespace
}  // namespace st::store
