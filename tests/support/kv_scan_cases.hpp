// The scan-order cases of the KvStore contract: keys to store and the scans over them with the
// keys each must return. Shared by tests/support/kv_store_contract.hpp (GoogleTest, natively) and
// wasm/dev/platform_check.cpp (IndexedDB in Chromium), so both stores are held to one table.
// No GoogleTest here: the browser check does not link it.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/store/kv_store.hpp"

namespace st::test {

// Keys for the scan-order checks (here and in wasm/dev/platform_check.cpp): a conversation of ten
// messages between neighbours that must stay out of it, and binary keys around 0xff.
inline std::vector<store::KvWrite> scan_order_fixture() {
    std::vector<store::KvWrite> batch;
    for (int i = 9; i >= 0; --i)
        batch.push_back(store::KvWrite::put("m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000),
                                            Bytes{static_cast<std::uint8_t>(i)}));
    for (const char* k : {"m", "m.", "m0", "l/x", "n/0"}) batch.push_back(store::KvWrite::put(k, Bytes{0xee}));
    using namespace std::string_literals;
    for (const std::string& k : {"p\xff"s, "p\xff\x00"s, "p\xff\x7f"s, "p\xff\xff"s, "p\xff\xff\xff"s,
                                 "p\xfe\xff"s, "q"s, "\xff\xff"s, "\xff\xff\x01"s, "\xff\xfe"s, "\xff"s})
        batch.push_back(store::KvWrite::put(k, Bytes(k.begin(), k.end())));
    return batch;
}

// One scan over scan_order_fixture() and the keys it must return, in order.
struct ScanCase {
    const char* what;
    std::string prefix, cursor;
    std::size_t limit;
    store::ScanOrder order;
    std::vector<std::string> keys;
};

inline std::vector<ScanCase> scan_order_cases() {
    using namespace std::string_literals;
    using store::ScanOrder;
    auto m = [](int i) { return "m/" + store::key::be64(static_cast<std::uint64_t>(i) * 1000); };
    auto ms = [&](std::initializer_list<int> is) {
        std::vector<std::string> out;
        for (int i : is) out.push_back(m(i));
        return out;
    };
    const auto D = ScanOrder::Descending, A = ScanOrder::Ascending;
    return {
        {"descending: newest first", "m/", "", 100, D, ms({9, 8, 7, 6, 5, 4, 3, 2, 1, 0})},
        {"descending page 1", "m/", "", 4, D, ms({9, 8, 7, 6})},
        {"descending page 2: strictly before the cursor", "m/", m(6), 4, D, ms({5, 4, 3, 2})},
        {"descending page 3: the rest", "m/", m(2), 4, D, ms({1, 0})},
        {"descending past the oldest: empty", "m/", m(0), 4, D, {}},
        {"cursor between keys", "m/", "m/" + store::key::be64(6500), 3, D, ms({6, 5, 4})},
        {"ascending from a descending page's cursor", "m/", m(6), 100, A, ms({7, 8, 9})},
        {"descending from an ascending page's cursor", "m/", m(3), 100, D, ms({2, 1, 0})},
        {"cursor after the prefix: from the newest", "m/", "m0", 2, D, ms({9, 8})},
        {"cursor before the prefix: empty", "m/", "l/z", 2, D, {}},
        {"ascending, cursor after the prefix: empty", "m/", "m0", 2, A, {}},
        {"ascending, cursor before the prefix: from the oldest", "m/", "l/z", 2, A, ms({0, 1})},
        {"limit 0: empty", "m/", "", 0, D, {}},
        {"no key under the prefix: empty", "o/", "", 10, D, {}},
        {"no key under the prefix, ascending: empty", "o/", "", 10, A, {}},
        {"prefix ending in 0xff", "p\xff"s, "", 10, D, {"p\xff\xff\xff"s, "p\xff\xff"s, "p\xff\x7f"s, "p\xff\x00"s, "p\xff"s}},
        {"prefix ending in 0xff, ascending", "p\xff"s, "", 10, A, {"p\xff"s, "p\xff\x00"s, "p\xff\x7f"s, "p\xff\xff"s, "p\xff\xff\xff"s}},
        {"prefix ending in 0xff 0xff, paged", "p\xff\xff"s, "p\xff\xff\xff"s, 10, D, {"p\xff\xff"s}},
        {"bytes compare unsigned: 0x00 < 0x7f < 0xff", "p\xff"s, "p\xff\xff"s, 2, D, {"p\xff\x7f"s, "p\xff\x00"s}},
        {"prefix of only 0xff: no upper bound", "\xff\xff"s, "", 10, D, {"\xff\xff\x01"s, "\xff\xff"s}},
        {"prefix of only 0xff, ascending", "\xff\xff"s, "", 10, A, {"\xff\xff"s, "\xff\xff\x01"s}},
        {"empty prefix: the last keys of all", "", "", 3, D, {"\xff\xff\x01"s, "\xff\xff"s, "\xff\xfe"s}},
        {"empty prefix with a cursor", "", "\xff"s, 2, D, {"q"s, "p\xff\xff\xff"s}},
    };
}

}  // namespace st::test
