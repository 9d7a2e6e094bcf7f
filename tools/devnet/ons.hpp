// The devnet's ONS registry: Session names given on the command line (--ons NAME=SESSION_ID),
// answered the way oxend answers `ons_resolve` when a storage server forwards it an
// `oxend_request` (protocol.md §5.4.11). Written from the public behaviour of oxen-core
// (src/ons_core.cpp: name rules, name-hash forms, value encryption; src/rpc/core_rpc_server.cpp:
// ONS_RESOLVE), independently of the client core.
//
// A registration is stored as oxend stores it on chain: keyed by base64(BLAKE2b-256(lower-cased
// name)), value = XChaCha20-Poly1305(33-byte Session ID) under BLAKE2b-256(name, key =
// BLAKE2b-256(name)) with a nonce drawn at random when the name is registered. A lookup returns
// that stored value: {"encrypted_value": hex(49 bytes), "nonce": hex(24 bytes)}; an unknown name
// returns an empty object (oxend sets no field at all).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace devnet {

class OnsRegistry {
public:
    // oxend's rule for a Session name, applied after lower-casing ASCII letters: 1..64 characters
    // of a-z 0-9 _ -, not starting or ending with '-'. The lower-cased name, or nullopt with
    // `reason` set.
    static std::optional<std::string> session_name(std::string_view name, std::string* reason);
    // A Session ID as oxend accepts one for a session mapping: 66 hex digits starting with 05.
    static bool valid_session_id(std::string_view hex);

    // Registers (or replaces) a name; false with `reason` set if the name or the ID is invalid.
    bool add(std::string_view name, std::string_view session_id_hex, std::string* reason);
    std::size_t size() const { return records_.size(); }
    // Lower-cased name → Session ID hex, for the startup listing.
    const std::map<std::string, std::string>& names() const { return names_; }

    // The outcome of an ons_resolve call: the `result` object oxend returns, or an error text
    // (oxend's wording) that the storage server passes back with status 400.
    struct Answer {
        std::optional<nlohmann::json> result;
        std::string error;
    };
    Answer resolve(const nlohmann::json& params) const;

private:
    struct Record {
        std::string value;  // ciphertext (49 bytes)
        std::string nonce;  // 24 bytes
    };
    std::map<std::string, Record> records_;  // base64 name hash → record
    std::map<std::string, std::string> names_;
};

}  // namespace devnet
