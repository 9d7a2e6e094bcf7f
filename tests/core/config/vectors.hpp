// Known answers for config sync (docs/config.md §8), from libsession-util tests/test_encrypt.cpp
// and tests/test_config_userprofile.cpp.
#pragma once

#include <string>
#include <string_view>

#include "st/base/bytes.hpp"

namespace st::config::vectors {

// Seed 1 of the identity vectors: the Ed25519 seed (16 random bytes + 16 zeros).
inline constexpr std::string_view kSeed1 =
    "0123456789abcdef0123456789abcdef00000000000000000000000000000000";
inline constexpr std::string_view kSeed2 =
    "00112233445566778899aabbccddeeff00000000000000000000000000000000";

// BLAKE2b-256 of the empty seqno-0 config "d1:#i0e1:&de1:<le1:=dee".
inline constexpr std::string_view kEmptyHash =
    "ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965";

inline std::string kallie_message() {
    auto hash = *from_hex(kEmptyHash);
    return "d1:#i1e1:&d1:+i9e1:n6:Kallie1:p34:http://example.org/omg-pic-123.bmp"
           "1:q32:secret78901234567890123456789012e1:<lli0e32:" +
           std::string(hash.begin(), hash.end()) + "deee1:=d1:+0:1:n0:1:p0:1:q0:ee";
}

inline constexpr std::string_view kKallieEncrypted =
    "9693a69686da3055f1ecdfb239c3bf8e746951a36d888c2fb7c02e856a5c2091b24e39a7e1af828f1fa09fe8bf7d274a"
    "fde0a0847ba143c43ffb8722301b5ae32e2f078b9a5e19097403336e50b18c84aade446cd2823b011f97d6ad2116a53f"
    "eb814efecc086bc172d31f4214b4d7c630b63bbe575b08682d146da44915063a07a78556ab5eff4f67f6aa26211e8d33"
    "0b53d28567a931028c393709a325425de7486ccde24416a7fd4a8ba5fa73899c65f4276dfaddd5b2100adcf0f793104f"
    "b235b31ce32ec656056009a9ebf58d45d7d696b74e0c7ff0499c4d23204976f19561dc0dba6dc53a2497d28ce03498ea"
    "49bf122762d7bc1d6d9c02f6d54f8384";

}  // namespace st::config::vectors
