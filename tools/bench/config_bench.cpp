// Config sync (issue 15, docs/config.md): what a device pays for an account with 1,000 contacts —
// one local change, pushing the Contacts config (serialize, zstd, pad, encrypt, wrap), a fresh
// device merging the one stored message (unwrap, decrypt, decompress, parse, merge), and merging
// two concurrent versions (two devices changed contacts at the same seqno: the merge of §3 plus a
// new version).
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"
#include "st/config/compress.hpp"
#include "st/config/contacts.hpp"
#include "st/crypto/session_id.hpp"

namespace {

using st::config::Contact;
using st::config::Contacts;
using st::config::IncomingConfig;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr int kContacts = 1000;

// A Session seed: 16 bytes of entropy, zero-extended (the clients' form).
std::array<std::uint8_t, 32> seed() {
    std::array<std::uint8_t, 32> s{};
    for (int i = 0; i < 16; ++i) s[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0x5a ^ (i * 29));
    return s;
}

st::crypto::SessionId contact_id(int i) {
    char hex[67];
    // A deterministic spread of IDs: 05 + 64 hex digits.
    std::snprintf(hex, sizeof hex, "05%08x%08x%08x%08x%08x%08x%08x%08x", i * 2654435761u, i * 40503u + 7u,
                  i * 2246822519u, i * 3266489917u, i * 668265263u, i * 374761393u, i * 1u + 99u,
                  i * 2654435769u);
    auto id = st::crypto::SessionId::parse(hex);
    if (!id) std::abort();
    return *id;
}

Contacts with_contacts(const std::string& suffix) {
    const auto s = seed();
    auto c = *Contacts::create(s);
    for (int i = 0; i < kContacts; ++i) {
        Contact contact(contact_id(i));
        contact.name = "Contact number " + std::to_string(i);
        contact.nickname = i % 7 == 0 ? "Nick " + std::to_string(i) + suffix : "";
        contact.approved = i % 3 != 0;
        contact.approved_me = i % 2 == 0;
        contact.blocked = i % 50 == 0;
        contact.created_s = kNow / 1000 - i;
        c.set(contact);
    }
    return c;
}

struct Stored {
    std::string hash;
    st::Bytes data;
};

Stored push_of(Contacts& c, const char* hash) {
    auto p = c.push(kNow);
    if (!p) std::abort();
    c.confirm_pushed(p->seqno, hash);
    return {hash, std::move(p->data)};
}

// Device A's 1,000 contacts (seqno 1), and device B's concurrent edit of them (seqno 2 on both).
struct Fixture {
    Stored first;
    Stored a2;
    Stored b2;
    Fixture() {
        auto a = with_contacts("");
        first = push_of(a, "hash-first");
        auto b = *Contacts::create(seed());
        b.merge(std::vector<IncomingConfig>{{first.hash, first.data}});
        for (int i = 0; i < kContacts; i += 10) {
            auto c = *a.get(contact_id(i));
            c.nickname = "A's " + std::to_string(i);
            a.set(c);
            auto d = *b.get(contact_id(i + 5));
            d.blocked = !d.blocked;
            b.set(d);
        }
        a2 = push_of(a, "hash-a2");
        b2 = push_of(b, "hash-b2");
    }
};

const Fixture& fixture() {
    static const Fixture f;
    return f;
}

}  // namespace

// A device's Contacts config with 1,000 contacts, built once: the harness calls each case several
// times while it calibrates, so set-up inside a case would be timed with it.
// (Configs are not copyable: each case restores its own from the dump.)
Contacts thousand() {
    static const st::Bytes dump = [] {
        auto built = with_contacts("");
        (void)push_of(built, "hash-built");
        return built.dump();
    }();
    return *Contacts::create(seed(), st::ByteView(dump));
}

// One local change (a nickname) among 1,000 contacts: what every accept/block/rename costs.
ST_BENCH("config/set_one_of_1000_contacts") {
    auto c = thousand();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto contact = *c.get(contact_id(static_cast<int>(i % kContacts)));
        contact.nickname = "n" + std::to_string(i);
        c.set(contact);
    }
}

// Pushing the changed config: serialize, zstd, pad, encrypt, wrap.
ST_BENCH("config/push_1000_contacts") {
    auto c = thousand();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto contact = *c.get(contact_id(static_cast<int>(i % kContacts)));
        contact.nickname = "n" + std::to_string(i);
        c.set(contact);
        auto p = c.push(kNow);
        if (!p) std::abort();
        st::bench::keep(p->data);
        c.confirm_pushed(p->seqno, "h" + std::to_string(i));
    }
}

ST_BENCH("config/merge_1000_contacts_fresh_device") {
    const auto& f = fixture();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto c = *Contacts::create(seed());
        auto got = c.merge(std::vector<IncomingConfig>{{f.first.hash, f.first.data}});
        if (got.size() != 1) std::abort();
        st::bench::keep(c.seqno());
    }
}

ST_BENCH("config/merge_1000_contacts_two_concurrent_versions") {
    const auto& f = fixture();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto c = *Contacts::create(seed());
        auto got = c.merge(std::vector<IncomingConfig>{{f.a2.hash, f.a2.data}, {f.b2.hash, f.b2.data}});
        if (got.size() != 2 || !c.needs_push()) std::abort();
        st::bench::keep(c.seqno());
    }
}

// The compression step alone, on 64 KiB of config-like bytes (names, IDs, small integers).
ST_BENCH("config/zstd_compress_64k") {
    st::Bytes data;
    for (int i = 0; data.size() < 64 * 1024; ++i) {
        const auto line = "33:" + contact_id(i).hex() + "d1:n17:Contact number " + std::to_string(i) + "e";
        data.insert(data.end(), line.begin(), line.end());
    }
    for (std::uint64_t i = 0; i < iterations; ++i) st::bench::keep(st::config::zstd_compress(data));
}
