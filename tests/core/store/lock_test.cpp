#include "st/store/lock.hpp"

#include <gtest/gtest.h>

#include "st/store/memory_kv_store.hpp"
#include "support/kv_store_contract.hpp"
#include "support/manual_clock.hpp"

namespace st::store {
namespace {

using st::test::await_result;
using namespace std::chrono_literals;

SecretBytes pass(std::string_view text) {
    SecretBytes s;
    s.append(text);
    return s;
}

const std::string kAccount = "05" + std::string(64, 'a');
const std::string kPeer = "05" + std::string(64, 'b');
const std::string kAcct = "acct/" + kAccount + "/";

class LockTest : public ::testing::Test {
protected:
    SystemClock clock;
    Loop loop{clock};
    MemoryKvStore inner{loop};
    Locks locks{loop, inner};

    NewLock create(std::string_view passphrase, std::string name = "Work phone") {
        std::optional<Result<NewLock>> r;
        locks.create(pass(passphrase), std::move(name), kTestArgon2Params, [&](Result<NewLock> x) { r = std::move(x); });
        auto made = await_result(loop, r);
        EXPECT_TRUE(made);
        return std::move(*made);
    }
    Result<Secret<32>> unlock(const std::string& id, std::string_view passphrase, std::int64_t now_ms = 1'000'000) {
        std::optional<Result<Secret<32>>> r;
        locks.unlock(id, pass(passphrase), now_ms, [&](Result<Secret<32>> x) { r = std::move(x); });
        return await_result(loop, r);
    }
    LockRecord record(const std::string& id) {
        std::optional<Result<std::vector<LockRecord>>> r;
        locks.list([&](auto x) { r = std::move(x); });
        auto all = await_result(loop, r);
        for (auto& rec : *all)
            if (rec.id == id) return rec;
        ADD_FAILURE() << "no lock " << id;
        return {};
    }
    Result<bool> seal(SealedKvStore& sealed, std::size_t max_batches) {
        std::optional<Result<bool>> r;
        locks.seal_records(sealed, {"accounts/" + kAccount, kAcct}, {3, max_batches}, [&](auto x) { r = std::move(x); });
        return await_result(loop, r);
    }
    Result<bool> unseal(SealedKvStore& sealed, std::size_t max_batches) {
        std::optional<Result<bool>> r;
        locks.unseal_records(sealed, {3, max_batches}, [&](auto x) { r = std::move(x); });
        return await_result(loop, r);
    }
    void put(KvStore& s, std::vector<KvWrite> batch) {
        std::optional<Result<>> r;
        s.write(std::move(batch), [&](Result<> x) { r = std::move(x); });
        ASSERT_TRUE(await_result(loop, r));
    }
    std::vector<KvEntry> all(KvStore& s, std::string prefix = {}) {
        std::optional<Result<std::vector<KvEntry>>> r;
        s.scan(std::move(prefix), {}, 1'000'000, [&](auto x) { r = std::move(x); });
        auto v = await_result(loop, r);
        EXPECT_TRUE(v);
        return v ? *v : std::vector<KvEntry>{};
    }

    // An account of 20 messages and a few other records, in plain.
    std::vector<KvEntry> plain_account() {
        std::vector<KvEntry> out;
        out.push_back({"accounts/" + kAccount, to_bytes("seed")});
        out.push_back({kAcct + "settings", to_bytes("{}")});
        out.push_back({kAcct + "contact/" + kPeer, to_bytes("Bob")});
        for (std::uint64_t t = 0; t < 20; ++t)
            out.push_back({kAcct + "msg/" + kPeer + "/" + key::be64(1000 + t) + "/" + (t % 2 ? "o" : "i"),
                           to_bytes("message " + std::to_string(t))});
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.key < b.key; });
        return out;
    }
    void write_plain_account() {
        std::vector<KvWrite> b;
        for (auto& e : plain_account()) b.push_back(KvWrite::put(e.key, e.value));
        b.push_back(KvWrite::put("net/pool", to_bytes("public")));
        put(inner, std::move(b));
    }
    // Every record of the account, read through `sealed` and from the plain keys of `inner`.
    std::vector<KvEntry> visible(SealedKvStore& sealed) {
        std::vector<KvEntry> out;
        for (auto prefix : {"accounts/" + kAccount, kAcct}) {
            for (auto& e : all(sealed, prefix)) out.push_back(e);
            for (auto& e : all(inner, prefix)) out.push_back(e);
        }
        std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.key < b.key; });
        return out;
    }
};

bool finished(const Result<bool>& r) { return r && *r; }
bool stopped(const Result<bool>& r) { return r && !*r; }

bool same(const std::vector<KvEntry>& a, const std::vector<KvEntry>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].key != b[i].key || a[i].value != b[i].value) return false;
    return true;
}

TEST(LockRecord, RoundTripsAndRejectsDamage) {
    LockRecord r;
    r.id = "00112233445566778899aabbccddeeff";
    r.state = LockState::Unsealing;
    r.params = {3, 32768};
    r.salt.fill(1);
    r.nonce.fill(2);
    r.wrapped_key.fill(3);
    r.failed_attempts = 4;
    r.last_failure_ms = 1'700'000'000'000;
    r.public_name = "Ana's laptop ✓";
    auto bytes = encode_lock(r);
    auto back = decode_lock(r.id, bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->state, r.state);
    EXPECT_EQ(back->params.opslimit, 3u);
    EXPECT_EQ(back->params.memlimit_kib, 32768u);
    EXPECT_EQ(back->salt, r.salt);
    EXPECT_EQ(back->nonce, r.nonce);
    EXPECT_EQ(back->wrapped_key, r.wrapped_key);
    EXPECT_EQ(back->failed_attempts, 4u);
    EXPECT_EQ(back->last_failure_ms, r.last_failure_ms);
    EXPECT_EQ(back->public_name, r.public_name);
    for (std::size_t n = 0; n < 110; ++n) EXPECT_FALSE(decode_lock(r.id, ByteView(bytes.data(), n)));
    bytes[1] = 9;
    EXPECT_EQ(decode_lock(r.id, bytes).error().code, "lock.bad_record");
}

TEST(LockDelay, GrowsAfterThreeFailuresUpToFiveMinutes) {
    EXPECT_EQ(unlock_delay(0), 0ms);
    EXPECT_EQ(unlock_delay(2), 0ms);
    EXPECT_EQ(unlock_delay(3), 1s);
    EXPECT_EQ(unlock_delay(4), 2s);
    EXPECT_EQ(unlock_delay(10), 128s);
    EXPECT_EQ(unlock_delay(12), 5min);
    EXPECT_EQ(unlock_delay(4'000'000'000u), 5min);
    for (std::uint32_t n = 0; n < 40; ++n) EXPECT_LE(unlock_delay(n), unlock_delay(n + 1));
}

TEST_F(LockTest, UnlocksWithTheRightPassphraseOnly) {
    auto made = create("correct horse");
    EXPECT_EQ(made.record.id.size(), 32u);
    auto rec = record(made.record.id);
    EXPECT_EQ(rec.public_name, "Work phone");
    EXPECT_EQ(rec.state, LockState::Sealing);

    auto key = unlock(made.record.id, "correct horse");
    ASSERT_TRUE(key);
    EXPECT_TRUE(key->equals(made.data_key));
    auto wrong = unlock(made.record.id, "correct horsf");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "lock.wrong_passphrase");
    EXPECT_EQ(wrong.error().message.find("hors"), std::string::npos);
    EXPECT_EQ(unlock(made.record.id, "").error().code, "lock.empty_passphrase");
    EXPECT_EQ(unlock("ffff", "x").error().code, "lock.not_found");
}

TEST_F(LockTest, WrongPassphrasesGrowADelayThatAReloadKeeps) {
    auto made = create("right");
    const std::int64_t t0 = 1'700'000'000'000;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(unlock(made.record.id, "wrong", t0 + i).error().code, "lock.wrong_passphrase");
    EXPECT_EQ(record(made.record.id).failed_attempts, 3u);

    Locks reloaded(loop, inner);  // a new tab: the count comes from the record
    std::optional<Result<Secret<32>>> r;
    reloaded.unlock(made.record.id, pass("right"), t0 + 500, [&](auto x) { r = std::move(x); });
    auto early = await_result(loop, r);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, "lock.too_soon");  // even the right one waits: no attempt made

    EXPECT_EQ(unlock(made.record.id, "wrong", t0 + 2 + 1000).error().code, "lock.wrong_passphrase");
    EXPECT_EQ(record(made.record.id).failed_attempts, 4u);
    EXPECT_EQ(next_attempt_ms(record(made.record.id)), t0 + 1002 + 2000);
    EXPECT_EQ(unlock(made.record.id, "right", t0 + 1002 + 1999).error().code, "lock.too_soon");
    ASSERT_TRUE(unlock(made.record.id, "right", t0 + 1002 + 2000));
    EXPECT_EQ(record(made.record.id).failed_attempts, 0u);
}

TEST_F(LockTest, ChangingThePassphraseKeepsTheDataAndDropsTheOldOne) {
    write_plain_account();
    auto made = create("old one");
    SealedKvStore sealed(loop, inner, made.record.id, made.data_key.clone());
    ASSERT_TRUE(finished(seal(sealed, 1000)));
    const auto before = all(inner);

    std::optional<Result<>> r;
    locks.change_passphrase(made.record.id, pass("old one"), pass("new one"), kTestArgon2Params,
                            [&](Result<> x) { r = std::move(x); });
    ASSERT_TRUE(await_result(loop, r));
    EXPECT_EQ(unlock(made.record.id, "old one").error().code, "lock.wrong_passphrase");
    auto key = unlock(made.record.id, "new one");
    ASSERT_TRUE(key);
    SealedKvStore reopened(loop, inner, made.record.id, std::move(*key));
    EXPECT_TRUE(same(visible(reopened), plain_account()));
    // Only the lock record changed.
    auto after = all(inner);
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(after[i].key, before[i].key);
        if (after[i].key.rfind("lock/", 0) != 0) {
            EXPECT_EQ(after[i].value, before[i].value);
        }
    }

    std::optional<Result<>> wrong;
    locks.change_passphrase(made.record.id, pass("old one"), pass("x"), kTestArgon2Params,
                            [&](Result<> x) { wrong = std::move(x); });
    EXPECT_EQ(await_result(loop, wrong).error().code, "lock.wrong_passphrase");
}

TEST_F(LockTest, SealingInterruptedHalfWayThenResumedLosesNothing) {
    write_plain_account();
    auto made = create("pw");
    {
        SealedKvStore sealed(loop, inner, made.record.id, made.data_key.clone());
        ASSERT_TRUE(stopped(seal(sealed, 2)));  // the tab closes after two batches
        EXPECT_TRUE(same(visible(sealed), plain_account()));  // each record in exactly one form
        EXPECT_EQ(all(sealed).size(), 4u);  // batch 1: accounts/<id> alone; batch 2: three of acct/<id>/
        EXPECT_EQ(record(made.record.id).state, LockState::Sealing);
    }
    // The next start sees Sealing, asks for the passphrase, and resumes.
    auto key = unlock(made.record.id, "pw");
    ASSERT_TRUE(key);
    SealedKvStore sealed(loop, inner, made.record.id, std::move(*key));
    ASSERT_TRUE(finished(seal(sealed, 1000)));
    EXPECT_EQ(record(made.record.id).state, LockState::Ready);
    EXPECT_TRUE(all(inner, "acct/").empty());
    EXPECT_TRUE(all(inner, "accounts/").empty());
    EXPECT_TRUE(same(visible(sealed), plain_account()));
    EXPECT_EQ(all(inner, "net/").size(), 1u);  // shared public records are not the account's
}

TEST_F(LockTest, RemovingInterruptedHalfWayThenResumedLosesNothing) {
    write_plain_account();
    auto made = create("pw");
    SealedKvStore sealed(loop, inner, made.record.id, made.data_key.clone());
    ASSERT_TRUE(finished(seal(sealed, 1000)));

    ASSERT_TRUE(stopped(unseal(sealed, 3)));
    EXPECT_EQ(record(made.record.id).state, LockState::Unsealing);
    EXPECT_TRUE(same(visible(sealed), plain_account()));
    EXPECT_EQ(all(inner, "acct/").size() + all(inner, "accounts/").size(), 9u);

    ASSERT_TRUE(finished(unseal(sealed, 1000)));
    EXPECT_TRUE(all(inner, "sealed/").empty());
    EXPECT_TRUE(all(inner, "lock/").empty());
    std::vector<KvEntry> plain = all(inner, "acct/");
    plain.insert(plain.begin(), all(inner, "accounts/").front());
    EXPECT_TRUE(same(plain, plain_account()));
}

TEST_F(LockTest, RefusesToSealLockOrSealedRecords) {
    auto made = create("pw");
    SealedKvStore sealed(loop, inner, made.record.id, made.data_key.clone());
    for (std::string p : {"", "sealed/", "s", "lock/x", "l"}) {
        std::optional<Result<bool>> r;
        locks.seal_records(sealed, {p}, {}, [&](auto x) { r = std::move(x); });
        EXPECT_EQ(await_result(loop, r).error().code, "lock.bad_prefix") << p;
    }
}

TEST_F(LockTest, WipingALockedAccountLeavesOnlyTheOtherRecords) {
    write_plain_account();
    auto made = create("pw");
    SealedKvStore sealed(loop, inner, made.record.id, made.data_key.clone());
    ASSERT_TRUE(finished(seal(sealed, 1000)));
    std::optional<Result<>> r;
    sealed.erase_prefix("", [&](Result<> x) { r = std::move(x); });
    ASSERT_TRUE(await_result(loop, r));
    put(inner, {KvWrite::erase(lock_key(made.record.id))});
    auto left = all(inner);
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].key, "net/pool");
}

TEST(IdleLock, LocksAfterTheIdleTimeWithoutInputOnly) {
    st::test::ManualClock clock;
    Loop loop{clock};
    MemoryKvStore inner{loop};
    Secret<32> key;
    key.data()[0] = 1;
    SealedKvStore sealed(loop, inner, "00ff", std::move(key));
    int locked = 0;
    IdleLock idle(loop, sealed, 5min, [&] { ++locked; });
    st::test::advance(loop, clock, 4min);
    idle.touch();
    st::test::advance(loop, clock, 4min);  // 8 min since start, 4 since the input
    EXPECT_FALSE(sealed.locked());
    idle.touch();
    st::test::advance(loop, clock, 4min + 59s);
    EXPECT_FALSE(sealed.locked());
    st::test::advance(loop, clock, 1s);
    EXPECT_TRUE(sealed.locked());
    EXPECT_EQ(locked, 1);
    st::test::advance(loop, clock, 30min);
    EXPECT_EQ(locked, 1);
    std::optional<Result<std::optional<Bytes>>> r;
    sealed.get("x", [&](auto x) { r = std::move(x); });
    EXPECT_EQ(await_result(loop, r).error().code, "store.locked");
}

}  // namespace
}  // namespace st::store
