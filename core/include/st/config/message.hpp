// The config message (docs/config.md §2): one bencoded dict per version of a config, with the
// full data, the diff that produced it and the diffs of the few versions before it, so devices
// that changed the config concurrently can merge their versions deterministically.
//
//   d
//     1:#  i<seqno>e                      version number
//     1:&  d<data>e                       the application data (typed views give it meaning)
//     1:<  l l i<seqno>e 32:<hash> d<diff>e e ... e     diffs of up to 4 earlier versions
//     1:=  d<diff>e                       this version's diff against the version it replaced
//     1:~  64:<signature>                 optional (group configs); last key
//   e
//
// Other top-level keys sort between the known ones (e.g. "%" between "#" and "&") and are kept
// unchanged. The message hash is BLAKE2b-256 of the encoded message.
//
// Data values are: integers, strings, dicts (never empty below the top level) and "sets" (lists
// of distinct ints and strings, ints first, each kind ascending; never empty).
//
// Diff values: "" = set to the new message's value, "-" = removed, a dict = changes inside a
// dict, [[added...], [removed...]] = changes to a set.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "st/base/bytes.hpp"
#include "st/base/error.hpp"
#include "st/config/bencode.hpp"

namespace st::config {

using Hash = std::array<std::uint8_t, 32>;

// Ordering of versions: by seqno, then by hash bytes. The higher one wins a conflict.
struct SeqHash {
    std::int64_t seqno = 0;
    Hash hash{};
    bool operator==(const SeqHash&) const = default;
    bool operator<(const SeqHash& o) const {
        if (seqno != o.seqno) return seqno < o.seqno;
        return std::lexicographical_compare(hash.begin(), hash.end(), o.hash.begin(), o.hash.end());
    }
};

// How many versions back diffs are kept and replayed (libsession-util's default lag).
inline constexpr std::int64_t kLag = 5;

// Error codes.
inline constexpr std::string_view kErrBadMessage = "config.bad_message";
inline constexpr std::string_view kErrBadDiff = "config.bad_diff";
inline constexpr std::string_view kErrBadData = "config.bad_data";

struct Message {
    std::int64_t seqno = 0;
    bt::Dict data;
    std::map<SeqHash, bt::Dict> lagged;  // earlier versions' diffs (seqno > seqno - kLag)
    bt::Dict diff;                       // this version's diff
    bt::Dict unknown;                    // other top-level keys, kept and re-written
    // "~": parsed and checked (64 bytes, last key) but not kept: user configs are not signed, and
    // libsession-util drops an unverified signature when it re-serializes.
};

// BLAKE2b-256 of the bytes.
Hash hash_bytes(ByteView serialized);

// Parses an encoded config message. Lagged diffs with seqno <= seqno - lag are dropped (as old
// versions drop out of the window). Errors: the bencode.* codes, config.bad_message (not a config
// message: "#" missing or not first, "&" missing, a lagged row malformed/unsorted/not older than
// the message, a bad signature field), config.bad_data (data holds an empty dict or set, an
// unsorted set, a list of non-scalars), config.bad_diff.
Result<Message> parse_message(ByteView bytes, std::int64_t lag = kLag);

// Encodes the message canonically (only lagged rows inside the window). Never fails.
Bytes serialize_message(const Message& message, std::int64_t lag = kLag);

// The diff turning `before` into `after` (empty if they are equal).
bt::Dict compute_diff(const bt::Dict& before, const bt::Dict& after);

// Applies `diff`, taking new values from `source` (the data of the message the diff belongs to).
// Does not prune: call prune_data() after the last diff.
void apply_diff(bt::Dict& data, const bt::Dict& diff, const bt::Dict& source);

// Removes empty dicts and sets, recursively (the top level itself stays).
void prune_data(bt::Dict& data);

// The outcome of merging several versions (docs/config.md §3).
struct MergeResult {
    Message message;
    SeqHash id;                      // seqno and hash of `message`
    bool merged = false;             // true: a new version combining several (seqno = max + 1)
    std::optional<std::size_t> unmerged_index;  // else: which input it simply is
    std::vector<std::size_t> bad;    // inputs that did not parse (left alone)
};

// Merges encoded messages: duplicates and versions contained in another's lagged diffs are
// dropped, as are versions kLag or more behind the newest. One left: that is the result. Several:
// a new version with seqno = newest + 1 whose data is the newest's data with every known diff
// (own and lagged, deduplicated) replayed in ascending (seqno, hash) order, so a field changed
// by two versions ends with the value of the higher (seqno, hash).
// Errors: config.bad_message when no input parses.
Result<MergeResult> merge_messages(std::span<const ByteView> messages, std::int64_t lag = kLag);

}  // namespace st::config
