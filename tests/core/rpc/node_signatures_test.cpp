// The signatures swarm members put on their delete / delete_all / expire results: the storage
// server's layouts (written out by hand here, independently of the library's text builders) are
// accepted; a flipped byte, another key, a missing or malformed signature, invented hashes and a
// later expiry are refused; hostile answers never crash the parser.
#include "st/rpc/node_signatures.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>

#include "st/rpc/responses.hpp"
#include "st/rpc/status.hpp"

namespace st::rpc {
namespace {

const std::string kOwner = "05" + std::string(64, 'a');
const std::string kH1 = "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ";
const std::string kH2 = "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k";
const std::string kH3 = "AAALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k";

struct NodeKey {
    crypto::Ed25519PublicKey pk;
    std::array<unsigned char, 64> sk{};
    explicit NodeKey(unsigned char fill) {
        crypto::ensure_sodium_ready();
        std::array<unsigned char, 32> seed;
        seed.fill(fill);
        crypto_sign_seed_keypair(pk.bytes.data(), sk.data(), seed.data());
    }
    std::string sign_b64(const std::string& text) const {
        std::array<unsigned char, 64> sig{};
        crypto_sign_detached(sig.data(), nullptr,
                             reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                             sk.data());
        return to_base64(sig);
    }
};

// One member's answer, parsed as the client parses it.
NodeOutcome member(const NodeKey& node, const std::string& result_json) {
    auto parsed =
        parse_swarm_outcome(R"({"swarm":{")" + node.pk.hex() + R"(":)" + result_json + "}}");
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed ? parsed->nodes.at(node.pk.hex()) : NodeOutcome{};
}

TEST(VerifyDelete, AcceptsTheServersLayout) {
    NodeKey node(1);
    const std::vector<std::string> asked{kH2, kH1};  // request order is kept in the signed text
    // owner ‖ requested (request order) ‖ deleted (sorted)
    const std::string sig = node.sign_b64(kOwner + kH2 + kH1 + kH1 + kH2);
    auto o = member(
        node, R"({"deleted":[")" + kH1 + R"(",")" + kH2 + R"("],"signature":")" + sig + R"("})");
    EXPECT_EQ(o.signature.size(), 64u);
    EXPECT_TRUE(verify_delete(kOwner, asked, node.pk, o));
    // Nothing deleted (already gone) is signed too.
    auto none = member(
        node, R"({"deleted":[],"signature":")" + node.sign_b64(kOwner + kH2 + kH1) + R"("})");
    EXPECT_TRUE(verify_delete(kOwner, asked, node.pk, none));
}

TEST(VerifyDelete, RejectsAFlippedByteAnotherKeyAndAMissingSignature) {
    NodeKey node(1), other(2);
    const std::vector<std::string> asked{kH1};
    const std::string text = kOwner + kH1 + kH1;
    auto good = member(
        node, R"({"deleted":[")" + kH1 + R"("],"signature":")" + node.sign_b64(text) + R"("})");
    ASSERT_TRUE(verify_delete(kOwner, asked, node.pk, good));

    auto flipped = good;
    flipped.signature[10] ^= 0x01;
    auto e = verify_delete(kOwner, asked, node.pk, flipped);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, kBadNodeSignature);
    EXPECT_EQ(e.error().message, "its signature is not valid");

    // Signed by another key than the one it is listed under.
    auto wrong_key = member(
        node, R"({"deleted":[")" + kH1 + R"("],"signature":")" + other.sign_b64(text) + R"("})");
    EXPECT_FALSE(verify_delete(kOwner, asked, node.pk, wrong_key));
    // The honest signature, but a different claim (nothing deleted).
    auto other_claim = good;
    other_claim.hashes.clear();
    EXPECT_FALSE(verify_delete(kOwner, asked, node.pk, other_claim));
    // Another owner.
    EXPECT_FALSE(verify_delete("05" + std::string(64, 'b'), asked, node.pk, good));

    auto missing = member(node, R"({"deleted":[")" + kH1 + R"("]})");
    auto m = verify_delete(kOwner, asked, node.pk, missing);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "its answer is not signed");
    auto garbage = member(node, R"({"deleted":[")" + kH1 + R"("],"signature":"not base64!"})");
    EXPECT_TRUE(garbage.signature.empty());
    EXPECT_FALSE(verify_delete(kOwner, asked, node.pk, garbage));
    auto short_sig = member(node, R"({"deleted":[")" + kH1 + R"("],"signature":"AAAA"})");
    EXPECT_FALSE(verify_delete(kOwner, asked, node.pk, short_sig));
}

TEST(VerifyDelete, RejectsHashesThatWereNotAskedFor) {
    NodeKey node(1);
    const std::vector<std::string> asked{kH1};
    // Validly signed, but it claims a deletion nobody asked for.
    auto o = member(node, R"({"deleted":[")" + kH2 + R"("],"signature":")" +
                              node.sign_b64(kOwner + kH1 + kH2) + R"("})");
    EXPECT_FALSE(verify_delete(kOwner, asked, node.pk, o));
}

TEST(VerifyDeleteAll, AcceptsEveryNamespaceSortedTogetherAndOneNamespace) {
    NodeKey node(3);
    const std::int64_t ts = 1700000000123;
    // "all": {"<ns>": [hashes]}, signed over all hashes sorted together (kH3 < kH1 < kH2).
    const std::string sig = node.sign_b64(kOwner + "1700000000123" + kH3 + kH1 + kH2);
    auto all = member(node, R"({"deleted":{"0":[")" + kH1 + R"(",")" + kH2 + R"("],"2":[")" + kH3 +
                                R"("]},"signature":")" + sig + R"("})");
    EXPECT_TRUE(verify_delete_all(kOwner, ts, node.pk, all));
    EXPECT_FALSE(verify_delete_all(kOwner, ts + 1, node.pk, all));  // another request's time

    auto one = member(node, R"({"deleted":[")" + kH1 + R"("],"signature":")" +
                                node.sign_b64(kOwner + "1700000000123" + kH1) + R"("})");
    EXPECT_TRUE(verify_delete_all(kOwner, ts, node.pk, one));
    auto empty = member(
        node, R"({"deleted":{},"signature":")" + node.sign_b64(kOwner + "1700000000123") + R"("})");
    EXPECT_TRUE(verify_delete_all(kOwner, ts, node.pk, empty));
    auto unsigned_ = member(node, R"({"deleted":{}})");
    EXPECT_FALSE(verify_delete_all(kOwner, ts, node.pk, unsigned_));
}

TEST(VerifyExpire, AcceptsTheServersLayoutWithUnchangedMessages) {
    NodeKey node(4);
    const std::vector<std::string> asked{kH2, kH1};
    const std::int64_t expiry = 1700000600000;
    // shorten: kH2 updated, kH1 already expired sooner (unchanged, with its expiry).
    const std::string text = kOwner + "1700000600000" + kH2 + kH1 + kH2 + kH1 + "1700000500000";
    auto o = member(node, R"({"updated":[")" + kH2 + R"("],"unchanged":{")" + kH1 +
                              R"(":1700000500000},"expiry":1700000600000,"signature":")" +
                              node.sign_b64(text) + R"("})");
    EXPECT_TRUE(verify_expire(kOwner, asked, expiry, node.pk, o));
    EXPECT_EQ(o.unchanged.at(kH1), 1700000500000);

    // The node clamps to now + 30 days and signs what it applied: earlier is fine.
    auto clamped = member(node, R"({"updated":[],"unchanged":{},"expiry":1700000599000,)"
                                R"("signature":")" +
                                    node.sign_b64(kOwner + "1700000599000" + kH2 + kH1) + R"("})");
    EXPECT_TRUE(verify_expire(kOwner, asked, expiry, node.pk, clamped));
    // Later than asked: refused even though correctly signed.
    auto later = member(node, R"({"updated":[],"expiry":1700000600001,"signature":")" +
                                  node.sign_b64(kOwner + "1700000600001" + kH2 + kH1) + R"("})");
    EXPECT_FALSE(verify_expire(kOwner, asked, expiry, node.pk, later));
    // No expiry at all.
    auto no_expiry = member(
        node, R"({"updated":[],"signature":")" + node.sign_b64(kOwner + kH2 + kH1) + R"("})");
    EXPECT_FALSE(verify_expire(kOwner, asked, expiry, node.pk, no_expiry));
    // A flipped byte.
    auto flipped = o;
    flipped.signature[63] ^= 0x80;
    EXPECT_FALSE(verify_expire(kOwner, asked, expiry, node.pk, flipped));
}

TEST(ParseSwarmOutcome, HostileAnswersNeverCrash) {
    const std::string key = NodeKey(5).pk.hex();
    const std::vector<std::string> bodies = {
        "",
        "null",
        "[]",
        R"({"swarm":null})",
        R"({"swarm":[]})",
        R"({"swarm":{")" + key + R"(":null}})",
        R"({"swarm":{")" + key + R"(":{"signature":7,"deleted":"x"}}})",
        R"({"swarm":{")" + key + R"(":{"signature":[],"deleted":{"0":7}}}})",
        R"({"swarm":{")" + key + R"(":{"unchanged":{"a":"b"}}}})",
        R"({"swarm":{")" + key + R"(":{"unchanged":[1,2],"expiry":"x"}}})",
        R"({"swarm":{")" + key + R"(":{"signature":")" + std::string(5000, 'A') + R"("}}})",
        R"({"swarm":{")" + std::string(64, 'z') + R"(":{"deleted":[]}}})",
        std::string(100, '[') + std::string(100, ']'),
        R"({"swarm":{")" + key + R"(":{"deleted":[)" + std::string(1000, '[') + "}}}",
    };
    for (const auto& body : bodies) {
        auto r = parse_swarm_outcome(body);
        if (!r) continue;
        for (const auto& [k, o] : r->nodes) {
            auto ed = crypto::Ed25519PublicKey::from_hex(k);
            if (!ed) continue;
            EXPECT_FALSE(verify_delete(kOwner, {kH1}, *ed, o));
            EXPECT_FALSE(verify_delete_all(kOwner, 1, *ed, o));
            EXPECT_FALSE(verify_expire(kOwner, {kH1}, 1, *ed, o));
        }
    }
    EXPECT_FALSE(parse_get_expiries("{}"));
    EXPECT_FALSE(parse_get_expiries(R"({"expiries":{"short":1}})"));
    EXPECT_FALSE(parse_get_expiries(R"({"expiries":{")" + kH1 + R"(":"soon"}})"));
    auto ok = parse_get_expiries(R"({"expiries":{")" + kH1 + R"(":1700000000000}})");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->at(kH1), 1700000000000);
}

}  // namespace
}  // namespace st::rpc
