// Identity commands: keygen, id, mnemonic encode/decode (protocol.md §1, §2).
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/mnemonic.hpp"

namespace st::cli {

using crypto::Identity;
namespace mnemonic = crypto::mnemonic;

int cmd_keygen(const std::vector<std::string>& words) {
    Args args(words, {});
    args.expect_positional(0, "");
    auto id = Identity::generate();
    auto phrase = mnemonic::encode(id.seed());
    nlohmann::ordered_json out;
    out["seed"] = to_hex(id.seed().view());
    out["mnemonic"] = std::string(phrase.str());
    out["session_id"] = id.session_id().hex();
    std::cout << out.dump() << '\n';
    return 0;
}

int cmd_id(const std::vector<std::string>& words) {
    Args args(words, {"seed", "mnemonic"});
    args.expect_positional(0, "");
    auto seed_hex = args.get("seed");
    auto phrase = args.get("mnemonic");
    if (seed_hex.has_value() == phrase.has_value())
        throw UsageError("give exactly one of --seed HEX32 or --mnemonic \"13 WORDS\"");
    auto id = seed_hex ? unwrap(Identity::from_seed_hex(*seed_hex))
                       : Identity::from_seed(unwrap(mnemonic::decode_seed(*phrase)));
    std::cout << id.session_id().hex() << '\n';
    return 0;
}

int cmd_mnemonic(const std::vector<std::string>& words) {
    Args args(words, {});
    if (args.positional().empty()) throw UsageError("missing 'encode HEX32' or 'decode \"13 WORDS\"'");
    const auto& action = args.positional()[0];
    if (action == "encode") {
        args.expect_positional(2, "the seed (32 hex digits)");
        auto id = unwrap(Identity::from_seed_hex(args.positional()[1]));
        std::cout << mnemonic::encode(id.seed()).str() << '\n';
        return 0;
    }
    if (action == "decode") {
        args.expect_positional(2, "the recovery phrase (13 words, quoted)");
        auto seed = unwrap(mnemonic::decode_seed(args.positional()[1]));
        std::cout << to_hex(seed.view()) << '\n';
        return 0;
    }
    throw UsageError("unknown mnemonic action '" + action + "' (expected encode or decode)");
}

}  // namespace st::cli
