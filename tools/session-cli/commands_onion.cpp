// Onion commands (protocol.md §6): build a request for a snode destination, open its reply.
//   onion build --enc xchacha20 --payload-hex HEX --dest ED:X --hop ED:X [--hop ED:X ...]
//   onion open-response --enc xchacha20 --dest-x HEX --eph-sk HEX --eph-pk HEX --hex CIPHERTEXT
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "st/crypto/keys.hpp"
#include "st/onion/builder.hpp"
#include "st/onion/hop.hpp"

namespace st::cli {

namespace {

void require_enc(const Args& args) {
    auto enc = onion::parse_enc_type(args.require("enc"));
    if (!enc) throw UsageError(enc.error().message);
}

template <class Key>
Key key_arg(const std::string& text, const std::string& what) {
    auto key = Key::from_hex(text);
    if (!key) throw InputError(what + ": expected 64 hex digits (" + key.error().message + ")");
    return *key;
}

// "ED:X" — a node's Ed25519 and X25519 public keys in hex.
onion::Hop hop_arg(const std::string& text, const std::string& what) {
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        throw InputError(what + ": expected ED25519_HEX:X25519_HEX, got no ':'");
    return {key_arg<crypto::Ed25519PublicKey>(text.substr(0, colon), what + " (Ed25519)"),
            key_arg<crypto::X25519PublicKey>(text.substr(colon + 1), what + " (X25519)")};
}

int onion_build(const Args& args) {
    args.expect_positional(1, "");
    require_enc(args);
    auto payload = from_hex(args.require("payload-hex"));
    if (!payload) throw InputError("--payload-hex: " + payload.error().message);
    const auto dest = hop_arg(args.require("dest"), "--dest");
    std::vector<onion::Hop> path;
    for (const auto& h : args.all("hop")) path.push_back(hop_arg(h, "--hop"));
    if (path.empty())
        throw UsageError("at least one --hop ED:X is needed (the first is the guard)");
    auto req = unwrap(onion::build_to_snode(path, dest, *payload));
    nlohmann::ordered_json out;
    out["request_hex"] = to_hex(req.body);
    out["dest_ephemeral_pk"] = req.dest_ephemeral_pk.hex();
    out["dest_ephemeral_sk"] = to_hex(req.dest_ephemeral_sk.view());
    std::cout << out.dump() << '\n';
    return 0;
}

int onion_open_response(const Args& args) {
    args.expect_positional(1, "");
    require_enc(args);
    const auto dest_x = key_arg<crypto::X25519PublicKey>(args.require("dest-x"), "--dest-x");
    const auto eph_pk = key_arg<crypto::X25519PublicKey>(args.require("eph-pk"), "--eph-pk");
    crypto::X25519SecretKey eph_sk;
    if (auto ok = from_hex_into(args.require("eph-sk"), eph_sk.mutable_view()); !ok)
        throw InputError("--eph-sk: " + ok.error().message);
    if (!(onion::ephemeral_from_secret(eph_sk.clone()).pk == eph_pk))
        throw InputError("--eph-pk is not the public key of --eph-sk");
    auto sealed = from_hex(args.require("hex"));
    if (!sealed) throw InputError("--hex: " + sealed.error().message);
    auto key = unwrap(onion::client_key(eph_sk, eph_pk, dest_x));
    auto plain = unwrap(onion::decrypt(key, *sealed));
    std::cout << to_hex(plain) << '\n';
    return 0;
}

}  // namespace

int cmd_onion(const std::vector<std::string>& words) {
    Args args(words, {"enc", "payload-hex", "dest", "hop", "dest-x", "eph-sk", "eph-pk", "hex"});
    if (args.positional().empty()) throw UsageError("missing 'build' or 'open-response'");
    const auto& action = args.positional()[0];
    if (action == "build") return onion_build(args);
    if (action == "open-response") return onion_open_response(args);
    throw UsageError("unknown onion action '" + action + "' (expected build or open-response)");
}

}  // namespace st::cli
