// Message commands: encode a text message into a store request's `data`, decode a retrieved
// `data` into one JSON object (protocol.md §3, §8; the core's st::proto pipeline).
#include <charconv>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "st/crypto/identity.hpp"
#include "st/proto/message.hpp"

namespace st::cli {
namespace {

using nlohmann::ordered_json;

// Decode errors are reported with their stable code first, so scripts can match on it.
template <class T>
T unwrap_coded(Result<T> r) {
    if (!r) throw InputError(std::string(r.error().code) + ": " + r.error().message);
    return std::move(r).value();
}

std::uint64_t parse_timestamp(const std::string& text) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw UsageError("--timestamp must be a number of milliseconds, got '" + text + "'");
    return value;
}

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

ordered_json profile_json(const std::optional<proto::Profile>& p) {
    if (!p) return nullptr;
    ordered_json out;
    out["name"] = p->display_name.empty() ? ordered_json(nullptr) : ordered_json(p->display_name);
    if (p->picture_url) out["picture"] = *p->picture_url;
    return out;
}

ordered_json expiration_json(const proto::Expiration& e) {
    static constexpr const char* kTypes[] = {"off", "delete_after_read", "delete_after_send"};
    return {{"type", kTypes[static_cast<int>(e.type)]}, {"seconds", e.timer_seconds}};
}

ordered_json target_json(std::uint64_t timestamp, const std::string& author) {
    return {{"timestamp", timestamp}, {"author", author}};
}

void add_visible(ordered_json& out, const proto::VisibleMessage& v) {
    out["body"] = v.body;
    out["profile"] = profile_json(v.profile);
    if (v.quote) out["quote"] = target_json(v.quote->timestamp, v.quote->author);
    if (!v.attachments.empty()) {
        auto& list = out["attachments"] = ordered_json::array();
        for (const auto& a : v.attachments) {
            ordered_json item = {
                {"content_type", a.content_type}, {"file_name", a.file_name}, {"url", a.url}};
            if (a.size) item["size"] = *a.size;
            list.push_back(std::move(item));
        }
    }
}

// One JSON object per event: "sender", "timestamp", "kind", "expiration", then the kind's fields.
ordered_json event_json(const proto::IncomingEvent& e) {
    ordered_json out;
    out["sender"] = e.sender.hex();
    out["timestamp"] = e.sent_ms;
    out["kind"] = std::string(proto::kind_name(e.body));
    struct Fields {
        ordered_json& out;
        void operator()(const proto::VisibleMessage& v) const { add_visible(out, v); }
        void operator()(const proto::SyncedMessage& s) const {
            out["recipient"] = s.recipient.hex();
            add_visible(out, s.message);
        }
        void operator()(const proto::Typing& t) const {
            out["action"] = t.action == proto::TypingAction::Started ? "started" : "stopped";
        }
        void operator()(const proto::ReadReceipt& r) const { out["timestamps"] = r.timestamps; }
        void operator()(const proto::Unsend& u) const {
            out["target"] = target_json(u.timestamp, u.author.hex());
        }
        void operator()(const proto::RequestResponse& r) const {
            out["approved"] = r.approved;
            out["profile"] = profile_json(r.profile);
        }
        void operator()(const proto::ExpirationUpdate& x) const {
            if (x.sync_target) out["recipient"] = x.sync_target->hex();
        }
        void operator()(const proto::Reaction& r) const {
            out["target"] = target_json(r.timestamp, r.author);
            out["emoji"] = r.emoji;
            out["removed"] = r.removed;
            if (r.sync_target) out["recipient"] = r.sync_target->hex();
        }
        void operator()(const proto::DataExtraction& d) const {
            out["extraction"] =
                d.kind == proto::DataExtraction::Kind::Screenshot ? "screenshot" : "media_saved";
            if (d.timestamp) out["target_timestamp"] = *d.timestamp;
        }
    };
    out["expiration"] = expiration_json(e.expiration);
    std::visit(Fields{out}, e.body);
    return out;
}

int encode(const Args& args) {
    args.expect_positional(1, "");
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));
    auto to = unwrap(crypto::SessionId::parse(args.require("to")));
    const proto::OutgoingText text = outgoing_text(args);
    const auto timestamp = args.get("timestamp");
    const std::uint64_t sent_ms = timestamp ? parse_timestamp(*timestamp) : now_ms();
    std::cout << unwrap_coded(proto::encode_message(me, to, sent_ms, text)) << '\n';
    return 0;
}

int decode(const Args& args) {
    args.expect_positional(1, "");
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));
    auto event = unwrap_coded(proto::decode_incoming(me, args.require("data")));
    // Invalid UTF-8 from a sender is replaced, not fatal: the output must always be valid JSON.
    std::cout << event_json(event).dump(-1, ' ', false, ordered_json::error_handler_t::replace)
              << '\n';
    return 0;
}

}  // namespace

proto::OutgoingText outgoing_text(const Args& args) {
    proto::OutgoingText text;
    text.body = args.require("text");
    if (auto name = args.get("name")) {
        text.profile.emplace();
        text.profile->display_name = *name;
    }
    return text;
}

std::string event_json_line(const proto::IncomingEvent& event) {
    return event_json(event).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

int cmd_message(const std::vector<std::string>& words) {
    Args args(words, {"seed", "to", "text", "timestamp", "name", "data"});
    if (args.positional().empty()) throw UsageError("missing 'encode' or 'decode'");
    const auto& action = args.positional()[0];
    if (action == "encode") {
        if (args.get("data")) throw UsageError("message encode takes no --data");
        return encode(args);
    }
    if (action == "decode") {
        for (const char* flag : {"to", "text", "timestamp", "name"})
            if (args.get(flag)) throw UsageError(std::string("message decode takes no --") + flag);
        return decode(args);
    }
    throw UsageError("unknown message action '" + action + "' (expected encode or decode)");
}

}  // namespace st::cli
