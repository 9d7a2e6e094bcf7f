// Config messages, diffs and the merge (docs/config.md §2–3). Byte format and merge rules as
// libsession-util writes and applies them (checked against its src/config.cpp and
// docs/config-merge-logic.md); the code is our own.
#include "st/config/message.hpp"

#include <sodium.h>

#include <algorithm>

#include "st/crypto/keys.hpp"

namespace st::config {

namespace {

using bt::Dict;
using bt::List;
using bt::Value;

// The three kinds a data value can have. A change of kind is a removal plus an addition.
enum class Kind { Scalar, Map, Set };
Kind kind_of(const Value& v) {
    if (v.is_dict()) return Kind::Map;
    if (v.is_list()) return Kind::Set;
    return Kind::Scalar;
}

// [SECTION] Validation -----------------------------------------------------------------------------

// A set: non-empty (sets are pruned when empty), scalars only, strictly ascending (ints before
// strings), so it has exactly one encoding.
Result<void> check_set(const List& s, bool allow_empty) {
    if (s.empty() && !allow_empty) return fail(kErrBadData, "the data holds an empty set");
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!s[i].is_scalar()) return fail(kErrBadData, "a set holds a list or dict");
        if (i > 0 && !(s[i - 1] < s[i]))
            return fail(kErrBadData, "a set is unsorted or holds duplicates");
    }
    return {};
}

Result<void> check_data(const Dict& d, bool top_level) {
    if (!top_level && d.empty()) return fail(kErrBadData, "the data holds an empty dict");
    for (const auto& [k, v] : d) {
        if (const auto* sub = v.as_dict()) {
            if (auto r = check_data(*sub, false); !r) return r;
        } else if (const auto* s = v.as_list()) {
            if (auto r = check_set(*s, false); !r) return r;
        }
    }
    return {};
}

Result<void> check_diff(const Dict& d) {
    for (const auto& [k, v] : d) {
        if (const auto* s = v.as_string()) {
            if (!s->empty() && *s != "-")
                return fail(kErrBadDiff, "a diff marks a value with something else than \"\" or \"-\"");
        } else if (const auto* l = v.as_list()) {
            if (l->size() != 2)
                return fail(kErrBadDiff, "a set diff is not [added, removed]");
            for (const auto& part : *l) {
                const auto* elems = part.as_list();
                if (!elems) return fail(kErrBadDiff, "a set diff is not [added, removed]");
                if (auto r = check_set(*elems, true); !r)
                    return fail(kErrBadDiff, "a set diff: " + r.error().message);
            }
        } else if (const auto* sub = v.as_dict()) {
            if (auto r = check_diff(*sub); !r) return r;
        } else {
            return fail(kErrBadDiff, "a diff holds an integer");
        }
    }
    return {};
}

// Inserts into / erases from a sorted, duplicate-free list.
void set_insert(List& s, const Value& v) {
    auto it = std::lower_bound(s.begin(), s.end(), v);
    if (it == s.end() || *it != v) s.insert(it, v);
}
void set_erase(List& s, const Value& v) {
    auto it = std::lower_bound(s.begin(), s.end(), v);
    if (it != s.end() && *it == v) s.erase(it);
}

// [SECTION] Diffs ----------------------------------------------------------------------------------

Value set_diff(const List& before, const List& after) {
    List added, removed;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::back_inserter(added));
    std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                        std::back_inserter(removed));
    return Value(List{Value(std::move(added)), Value(std::move(removed))});
}

// The diff entry of a value that appeared (or replaced one of another kind).
Value added_entry(const Value& v) {
    if (const auto* d = v.as_dict()) return Value(compute_diff(Dict{}, *d));
    if (const auto* s = v.as_list()) return set_diff(List{}, *s);
    return Value("");
}
// The diff entry of a value that disappeared.
Value removed_entry(const Value& v) {
    if (const auto* d = v.as_dict()) return Value(compute_diff(*d, Dict{}));
    if (const auto* s = v.as_list()) return set_diff(*s, List{});
    return Value("-");
}

}  // namespace

Hash hash_bytes(ByteView serialized) {
    crypto::ensure_sodium_ready();
    Hash h{};
    crypto_generichash_blake2b(h.data(), h.size(), serialized.data(), serialized.size(), nullptr, 0);
    return h;
}

Dict compute_diff(const Dict& before, const Dict& after) {
    Dict out;
    auto o = before.begin();
    auto n = after.begin();
    while (o != before.end() || n != after.end()) {
        if (n == after.end() || (o != before.end() && o->first < n->first)) {
            out.emplace(o->first, removed_entry(o->second));
            ++o;
        } else if (o == before.end() || n->first < o->first) {
            out.emplace(n->first, added_entry(n->second));
            ++n;
        } else {
            const Kind ko = kind_of(o->second), kn = kind_of(n->second);
            if (ko != kn) {
                // A change of kind is written as the new value only: applying it replaces the
                // old value whatever its kind (libsession-util src/config.cpp, diff_impl).
                out.emplace(n->first, added_entry(n->second));
            } else if (kn == Kind::Scalar) {
                if (o->second != n->second) out.emplace(n->first, Value(""));
            } else if (kn == Kind::Map) {
                auto sub = compute_diff(*o->second.as_dict(), *n->second.as_dict());
                if (!sub.empty()) out.emplace(n->first, Value(std::move(sub)));
            } else if (o->second != n->second) {
                out.emplace(n->first, set_diff(*o->second.as_list(), *n->second.as_list()));
            }
            ++o;
            ++n;
        }
    }
    return out;
}

void apply_diff(Dict& data, const Dict& diff, const Dict& source) {
    for (const auto& [k, change] : diff) {
        auto src = source.find(k);
        const bool kind_matches =
            src != source.end() &&
            ((change.is_string() && kind_of(src->second) == Kind::Scalar) ||
             (change.is_list() && src->second.is_list()) ||
             (change.is_dict() && src->second.is_dict()));
        if (!kind_matches) {
            // The value is gone from the source, or has another kind there: a later diff removed
            // or replaced it, so drop it now (a change dict -> 42 -> dict must not merge the two
            // dicts; libsession-util src/config.cpp, apply_diff).
            data.erase(k);
            continue;
        }
        if (const auto* mark = change.as_string()) {
            if (*mark == "-")
                data.erase(k);
            else
                data[k] = src->second;
        } else if (const auto* sub = change.as_dict()) {
            auto& slot = data[k];
            if (!slot.is_dict()) slot = Value(Dict{});
            apply_diff(*slot.as_dict(), *sub, *src->second.as_dict());
        } else if (const auto* parts = change.as_list()) {
            auto& slot = data[k];
            if (!slot.is_list()) slot = Value(List{});
            auto& set = *slot.as_list();
            for (const auto& a : *(*parts)[0].as_list()) set_insert(set, a);
            for (const auto& r : *(*parts)[1].as_list()) set_erase(set, r);
        }
    }
}

namespace {
bool prune_value(Value& v) {  // true: remove v from its parent
    if (auto* d = v.as_dict()) {
        for (auto it = d->begin(); it != d->end();) {
            if (prune_value(it->second))
                it = d->erase(it);
            else
                ++it;
        }
        return d->empty();
    }
    if (auto* s = v.as_list()) return s->empty();
    return false;
}
}  // namespace

void prune_data(Dict& data) {
    for (auto it = data.begin(); it != data.end();) {
        if (prune_value(it->second))
            it = data.erase(it);
        else
            ++it;
    }
}

// [SECTION] Parsing and serializing ------------------------------------------------------------------

namespace {

Result<void> parse_lagged(Message& m, const List& rows, std::int64_t lag) {
    for (const auto& row_value : rows) {
        const auto* row = row_value.as_list();
        if (!row || row->size() != 3)
            return fail(kErrBadMessage, "a lagged diff is not [seqno, hash, diff]");
        const auto* seqno = (*row)[0].as_int();
        const auto* hash = (*row)[1].as_string();
        const auto* diff = (*row)[2].as_dict();
        if (!seqno || !hash || !diff)
            return fail(kErrBadMessage, "a lagged diff is not [seqno, hash, diff]");
        if (*seqno >= m.seqno)
            return fail(kErrBadMessage, "a lagged diff is not older than its message");
        if (hash->size() != 32) return fail(kErrBadMessage, "a lagged diff's hash is not 32 bytes");
        if (auto r = check_diff(*diff); !r) return Unexpected<Error>(std::move(r).error());
        SeqHash id;
        id.seqno = *seqno;
        std::copy(hash->begin(), hash->end(), id.hash.begin());
        if (!m.lagged.empty() && !(m.lagged.rbegin()->first < id))
            return fail(kErrBadMessage, "lagged diffs are unsorted or repeated");
        // Too old for the window: dropped, but it still had to be well-formed and in order.
        if (*seqno <= m.seqno - lag) continue;
        m.lagged.emplace_hint(m.lagged.end(), id, *diff);
    }
    return {};
}

}  // namespace

Result<Message> parse_message(ByteView bytes, std::int64_t lag) {
    auto decoded = bt::decode(bytes);
    if (!decoded) return Unexpected<Error>(std::move(decoded).error());
    auto* top = decoded->as_dict();
    if (!top) return fail(kErrBadMessage, "a config message is a dict");
    if (top->empty() || top->begin()->first != "#" || !top->begin()->second.is_int())
        return fail(kErrBadMessage, "a config message starts with the integer \"#\"");

    Message m;
    m.seqno = *top->begin()->second.as_int();
    if (m.seqno < 0 || m.seqno > (std::int64_t{1} << 62))
        return fail(kErrBadMessage, "a config message's seqno is out of range");
    bool have_data = false;
    bool after_signature = false;
    for (auto it = std::next(top->begin()); it != top->end(); ++it) {
        auto& [key, value] = *it;
        if (after_signature)
            return fail(kErrBadMessage, "a config message has keys after the signature");
        if (key == "&") {
            auto* d = value.as_dict();
            if (!d) return fail(kErrBadMessage, "a config message's \"&\" is not a dict");
            if (auto r = check_data(*d, true); !r) return Unexpected<Error>(std::move(r).error());
            m.data = std::move(*d);
            have_data = true;
        } else if (key == "<") {
            const auto* l = value.as_list();
            if (!l) return fail(kErrBadMessage, "a config message's \"<\" is not a list");
            if (auto r = parse_lagged(m, *l, lag); !r) return Unexpected<Error>(std::move(r).error());
        } else if (key == "=") {
            auto* d = value.as_dict();
            if (!d) return fail(kErrBadMessage, "a config message's \"=\" is not a dict");
            if (auto r = check_diff(*d); !r) return Unexpected<Error>(std::move(r).error());
            m.diff = std::move(*d);
        } else if (key == "~") {
            const auto* s = value.as_string();
            if (!s || s->size() != 64)
                return fail(kErrBadMessage, "a config message's signature is not 64 bytes");
            after_signature = true;
        } else if (key > "~") {
            return fail(kErrBadMessage, "a config message has keys after the signature");
        } else {
            // Unknown keys must sort between known ones; "&" is required, so one between "#"
            // and "&" is fine, and no key can sort before "#" (it is first). Kept as is.
            m.unknown.emplace(key, std::move(value));
        }
    }
    if (!have_data) return fail(kErrBadMessage, "a config message has no \"&\" data");
    return m;
}

Bytes serialize_message(const Message& m, std::int64_t lag) {
    Dict top = m.unknown;
    top.emplace("#", Value(m.seqno));
    top.emplace("&", Value(m.data));
    List rows;
    for (const auto& [id, diff] : m.lagged) {
        if (id.seqno <= m.seqno - lag || id.seqno >= m.seqno) continue;
        rows.emplace_back(List{Value(id.seqno),
                               Value(std::string(id.hash.begin(), id.hash.end())), Value(diff)});
    }
    top.emplace("<", Value(std::move(rows)));
    top.emplace("=", Value(m.diff));
    return bt::encode_bytes(Value(std::move(top)));
}

// [SECTION] Merging -----------------------------------------------------------------------------------

Result<MergeResult> merge_messages(std::span<const ByteView> inputs, std::int64_t lag) {
    struct Candidate {
        std::size_t index;
        Message message;
        SeqHash id;
        bool redundant = false;
    };
    MergeResult result;
    std::vector<Candidate> cands;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto m = parse_message(inputs[i], lag);
        if (!m) {
            result.bad.push_back(i);
            continue;
        }
        Candidate c{i, std::move(*m), {}, false};
        c.id.seqno = c.message.seqno;
        c.id.hash = hash_bytes(inputs[i]);
        cands.push_back(std::move(c));
    }
    if (cands.empty()) return fail(kErrBadMessage, "no valid config message to merge");

    std::int64_t max_seqno = cands.front().id.seqno;
    for (const auto& c : cands) max_seqno = std::max(max_seqno, c.id.seqno);
    // Redundant: already contained in another version's lagged diffs, a duplicate of an earlier
    // input, or lag or more versions behind the newest.
    for (std::size_t i = 0; i < cands.size(); ++i) {
        auto& c = cands[i];
        for (std::size_t j = 0; j < cands.size() && !c.redundant; ++j) {
            if (i == j) continue;
            if (cands[j].message.lagged.count(c.id) || (j < i && cands[j].id == c.id))
                c.redundant = true;
        }
        if (c.id.seqno + lag <= max_seqno) c.redundant = true;
    }
    const auto live = std::count_if(cands.begin(), cands.end(),
                                    [](const Candidate& c) { return !c.redundant; });
    if (live == 1) {
        for (auto& c : cands) {
            if (c.redundant) continue;
            result.message = std::move(c.message);
            result.id = c.id;
            result.unmerged_index = c.index;
            return result;
        }
    }

    std::erase_if(cands, [](const Candidate& c) { return c.redundant; });
    // Highest (seqno, hash) first: it provides the base data and wins when the same diff
    // (same version) is known to several of them.
    std::sort(cands.begin(), cands.end(),
              [](const Candidate& a, const Candidate& b) { return b.id < a.id; });

    Message& out = result.message;
    out.seqno = max_seqno + 1;
    out.data = cands.front().message.data;
    out.unknown = cands.front().message.unknown;
    std::map<SeqHash, std::pair<const Dict*, const Dict*>> replay;  // id -> (source, diff)
    for (const auto& c : cands) {
        replay.emplace(c.id, std::make_pair(&c.message.data, &c.message.diff));
        for (const auto& [id, diff] : c.message.lagged)
            replay.emplace(id, std::make_pair(&c.message.data, &diff));
    }
    // Ascending (seqno, hash): a later change overwrites an earlier one.
    for (const auto& [id, ptrs] : replay) {
        apply_diff(out.data, *ptrs.second, *ptrs.first);
        out.lagged.emplace_hint(out.lagged.end(), id, *ptrs.second);
    }
    prune_data(out.data);
    result.merged = true;
    result.id.seqno = out.seqno;
    result.id.hash = hash_bytes(serialize_message(out, lag));
    return result;
}

}  // namespace st::config
