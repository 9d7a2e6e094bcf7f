// The storage server's message hash (protocol.md §5.5) against §10.6 and §10.4.
#include "st/proto/message_hash.hpp"

#include <gtest/gtest.h>

#include "st/crypto/identity.hpp"
#include "st/proto/errors.hpp"

namespace st::proto {
namespace {

const crypto::SessionId& seed1_id() {
    static const auto id = *crypto::SessionId::parse(
        "05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72");
    return id;
}

TEST(StorageMessageHash, MatchesComputedVectorsForSeveralNamespaces) {
    EXPECT_EQ(storage_message_hash(seed1_id(), 0, as_bytes("abc 123")),
              "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
    EXPECT_EQ(storage_message_hash(seed1_id(), 2, as_bytes("abc 123")),
              "lJALGOiUZ2EnIz3Aq3O5JxL9iPq+6oKolUJzcwkoB0k");
    EXPECT_EQ(storage_message_hash(seed1_id(), -10, as_bytes("abc 123")),
              "OyxfyAc772mPEm3zbbbEvFJe3VDLMEPRsloecuFaSsw");
}

TEST(StorageMessageHash, RawPubkeyFormAgreesAndIs43Characters) {
    auto h = storage_message_hash(seed1_id().bytes(), 0, as_bytes("abc 123"));
    EXPECT_EQ(h, storage_message_hash(seed1_id(), 0, as_bytes("abc 123")));
    EXPECT_EQ(h.size(), 43u);
}

TEST(StorageMessageHash, FromBase64DataDecodesFirst) {
    auto h = storage_message_hash_of_base64(seed1_id(), 0, "YWJjIDEyMw==");  // "abc 123"
    ASSERT_TRUE(h);
    EXPECT_EQ(*h, "iBlnwojt+9l6J5m8qipR6tD4GRzWxy2z9UxAlUX6hLQ");
    auto bad = storage_message_hash_of_base64(seed1_id(), 0, "not base64!");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, kErrNotBase64);
}

}  // namespace
}  // namespace st::proto
