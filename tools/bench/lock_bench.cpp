// Passphrase lock (issue 16, docs/lock.md): Argon2id at a few (opslimit, memlimit) pairs, to choose
// kDefaultArgon2Params, and the cost of SealedKvStore on reading a 10,000-message conversation
// (the first page the app opens with, and the whole history) against the same plain store.
#include <sodium.h>

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "bench.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/keys.hpp"
#include "st/store/lock.hpp"
#include "st/store/memory_kv_store.hpp"
#include "st/store/sealed_kv_store.hpp"

namespace {

void argon2id(std::uint64_t iterations, unsigned long long ops, std::size_t mem_mib) {
    st::crypto::ensure_sodium_ready();
    std::array<unsigned char, 32> key{};
    std::array<unsigned char, crypto_pwhash_SALTBYTES> salt{};
    const char pw[] = "correct horse battery staple";
    for (std::uint64_t i = 0; i < iterations; ++i) {
        int rc = crypto_pwhash(key.data(), key.size(), pw, sizeof pw - 1, salt.data(), ops, mem_mib << 20,
                               crypto_pwhash_ALG_ARGON2ID13);
        st::bench::keep(rc);
        st::bench::keep(key);
    }
}

}  // namespace

ST_BENCH("lock/argon2id_ops2_mem19MiB") { argon2id(iterations, 2, 19); }
ST_BENCH("lock/argon2id_ops3_mem16MiB") { argon2id(iterations, 3, 16); }
ST_BENCH("lock/argon2id_ops3_mem32MiB") { argon2id(iterations, 3, 32); }
ST_BENCH("lock/argon2id_ops2_mem64MiB") { argon2id(iterations, 2, 64); }
ST_BENCH("lock/argon2id_ops3_mem64MiB") { argon2id(iterations, 3, 64); }
ST_BENCH("lock/argon2id_ops4_mem128MiB") { argon2id(iterations, 4, 128); }

namespace {

constexpr int kMessages = 10'000;
const std::string kPrefix = "acct/05" + std::string(64, 'a') + "/msg/05" + std::string(64, 'b') + "/";

// One 10,000-message conversation (values the size of a stored text message, ~160 bytes), in a
// plain MemoryKvStore and through a SealedKvStore over another.
struct Conversation {
    st::SystemClock clock;
    st::Loop loop{clock};
    st::store::MemoryKvStore plain{loop};
    st::store::MemoryKvStore inner{loop};
    std::unique_ptr<st::store::SealedKvStore> sealed;

    Conversation() {
        st::Secret<32> key;
        key.data()[0] = 1;
        sealed = std::make_unique<st::store::SealedKvStore>(loop, inner, "00112233445566778899aabbccddeeff",
                                                            std::move(key));
        std::vector<st::store::KvWrite> batch;
        for (int i = 0; i < kMessages; ++i) {
            const auto id = st::store::key::be64(1'700'000'000'000ull + static_cast<std::uint64_t>(i) * 1000) +
                            (i % 2 ? "/o" : "/i");
            batch.push_back(st::store::KvWrite::put(kPrefix + id, st::Bytes(160, static_cast<std::uint8_t>(i))));
        }
        bool done = false;
        plain.write(batch, [&](st::Result<>) { done = true; });
        while (!done) loop.run_ready();
        done = false;
        sealed->write(std::move(batch), [&](st::Result<>) { done = true; });
        while (!done) loop.run_ready();
    }

    std::size_t read(st::store::KvStore& store, std::size_t page, bool all) {
        std::size_t total = 0;
        std::string cursor;
        for (;;) {
            std::optional<std::size_t> got;
            store.scan(
                kPrefix, cursor, page,
                [&](st::Result<std::vector<st::store::KvEntry>> r) {
                    got = r ? r->size() : 0;
                    if (r && !r->empty()) cursor = r->back().key;
                },
                st::store::ScanOrder::Descending);
            while (!got) loop.run_ready();
            total += *got;
            if (!all || *got < page) return total;
        }
    }
};

Conversation& conversation() {
    static Conversation c;
    return c;
}

}  // namespace

// Opening the conversation: the newest page (MessageStore reads 100).
ST_BENCH("lock/open_10k_conversation_page100_plain") {
    for (std::uint64_t i = 0; i < iterations; ++i) st::bench::keep(conversation().read(conversation().plain, 100, false));
}
ST_BENCH("lock/open_10k_conversation_page100_sealed") {
    for (std::uint64_t i = 0; i < iterations; ++i) st::bench::keep(conversation().read(*conversation().sealed, 100, false));
}
// Scrolling back through all of it, 500 at a time.
ST_BENCH("lock/scan_10k_messages_plain") {
    for (std::uint64_t i = 0; i < iterations; ++i) st::bench::keep(conversation().read(conversation().plain, 500, true));
}
ST_BENCH("lock/scan_10k_messages_sealed") {
    for (std::uint64_t i = 0; i < iterations; ++i) st::bench::keep(conversation().read(*conversation().sealed, 500, true));
}
