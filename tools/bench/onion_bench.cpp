// Onion requests (protocol.md §6): what the client pays per request through a 3-hop path, with a
// 1 KiB payload — building the 4 layers (4 X25519 + BLAKE2b key agreements, 4 XChaCha20-Poly1305
// seals, JSON routing) and opening the destination's reply (base64, decrypt, JSON). Timed the same
// way natively and in wasm.
#include <sodium.h>

#include <string>
#include <vector>

#include "bench.hpp"
#include "st/crypto/keys.hpp"
#include "st/onion/builder.hpp"
#include "st/onion/response.hpp"

namespace {

struct Path {
    std::vector<st::onion::Hop> hops;
    st::onion::Hop dest;
    std::string payload;
    Path() {
        st::crypto::ensure_sodium_ready();
        auto node = [] {
            st::onion::Hop h;
            std::uint8_t sk[64];
            crypto_sign_keypair(h.ed25519.bytes.data(), sk);
            if (crypto_sign_ed25519_pk_to_curve25519(h.x25519.bytes.data(),
                                                     h.ed25519.bytes.data()) != 0)
                std::abort();
            sodium_memzero(sk, sizeof sk);
            return h;
        };
        hops = {node(), node(), node()};
        dest = node();
        // A 1 KiB RPC payload (a store of ~900 base64 characters).
        payload =
            R"({"method":"store","params":{"pubkey":"05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72","namespace":0,"ttl":1209600000,"timestamp":1700000000000,"data":")";
        payload += std::string(1024 - payload.size() - 3, 'A');
        payload += "\"}}";
    }
};
const Path& path() {
    static const Path p;
    return p;
}

// The destination's reply to a store: {"status":200,"body":"<~1 KiB JSON as a string>"}.
std::string reply_plaintext() {
    std::string body = R"({\"hash\":\"iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ\",\"swarm\":{)";
    body += std::string(900, 'x');
    body += R"(},\"t\":1700000000000})";
    return R"({"status":200,"body":")" + body + "\"}";
}

}  // namespace

ST_BENCH("onion/build_3hop_1k") {
    const auto& p = path();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto req = st::onion::build_to_snode(p.hops, p.dest, st::as_bytes(p.payload));
        st::bench::keep(req->body[0]);
    }
}

ST_BENCH("onion/open_response_1k") {
    st::onion::SymmetricKey key;
    randombytes_buf(key.data(), key.size());
    const std::string wire =
        st::to_base64(st::onion::encrypt(key, st::as_bytes(reply_plaintext())));
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto reply = st::onion::decode_snode_response(key, st::as_bytes(wire));
        st::bench::keep(reply->status);
    }
}

// Build, the destination seals its reply with the shared key (one XChaCha20 seal, standing in
// for the node), then the client opens it.
ST_BENCH("onion/round_trip_3hop_1k") {
    const auto& p = path();
    const std::string answer = reply_plaintext();
    for (std::uint64_t i = 0; i < iterations; ++i) {
        auto req = st::onion::build_to_snode(p.hops, p.dest, st::as_bytes(p.payload));
        const std::string wire =
            st::to_base64(st::onion::encrypt(req->response_key, st::as_bytes(answer)));
        auto reply = st::onion::decode_snode_response(req->response_key, st::as_bytes(wire));
        st::bench::keep(reply->status);
    }
}
