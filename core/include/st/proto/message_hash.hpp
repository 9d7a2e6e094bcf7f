// The storage server's message hash (protocol.md §5.5): the id a service node gives a stored
// message, used as `last_hash` when polling, to de-duplicate retrieved messages, and to delete or
// expire them. Clients compute it locally before storing.
//
//   hash = base64_unpadded( BLAKE2b-256( pubkey (33 bytes, prefix included) || NS || data ) )
//
// NS is empty for namespace 0 and otherwise the namespace in decimal ASCII ("2", "-10"); data is
// the base64-DECODED `data` of the store request. The result is 43 characters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/crypto/session_id.hpp"

namespace st::proto {

// Any 33-byte account or group pubkey (05…, 03…). Never fails.
std::string storage_message_hash(ByteView pubkey33, std::int32_t ns, ByteView data);
std::string storage_message_hash(const crypto::SessionId& pubkey, std::int32_t ns, ByteView data);

// The same from a store request's base64 `data`. Errors: proto.not_base64.
Result<std::string> storage_message_hash_of_base64(const crypto::SessionId& pubkey, std::int32_t ns,
                                                   std::string_view data_base64);

}  // namespace st::proto
