#include "st/store/memory_kv_store.hpp"

#include <gtest/gtest.h>

#include "support/kv_store_contract.hpp"

namespace st::store {
namespace {

struct MemoryFixture {
    SystemClock clock;
    Loop loop{clock};
    std::unique_ptr<KvStore> store = std::make_unique<MemoryKvStore>(loop);
};

using namespace st::test;  // the contract's generated names must be found unqualified
INSTANTIATE_TYPED_TEST_SUITE_P(Memory, KvStoreContract, ::testing::Types<MemoryFixture>);

TEST(MemoryKvStore, ReportsInjectedFailures) {
    SystemClock clock;
    Loop loop{clock};
    MemoryKvStore store(loop);
    store.fail_with(Error{"store.quota_exceeded", "storage is full"});
    std::optional<Result<>> r;
    store.write({KvWrite::put("a", Bytes{1})}, [&](Result<> x) { r = std::move(x); });
    auto result = st::test::await_result(loop, r);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, "store.quota_exceeded");
    store.fail_with(std::nullopt);
    EXPECT_EQ(store.size(), 0u);  // the failed batch wrote nothing
}

TEST(StoreKey, Be64SortsNumerically) {
    EXPECT_EQ(key::be64(0), "0000000000000000");
    EXPECT_EQ(key::be64(0x1234), "0000000000001234");
    EXPECT_LT(key::be64(999), key::be64(1000));
    EXPECT_EQ(key::be64(~0ull), "ffffffffffffffff");
}

TEST(StoreKey, PrefixEndIsTheFirstKeyPastThePrefix) {
    EXPECT_EQ(key::prefix_end("m/"), "m0");
    EXPECT_EQ(key::prefix_end(std::string("p\xff\xff", 3)), "q");
    EXPECT_EQ(key::prefix_end(std::string("a\xfe\xff", 3)), std::string("a\xff", 2));
    EXPECT_EQ(key::prefix_end(std::string("\xff\xff", 2)), "");  // no key is past it
    EXPECT_EQ(key::prefix_end(""), "");
}

}  // namespace
}  // namespace st::store
