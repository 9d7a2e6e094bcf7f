// Message commands: encode any kind of message the app sends into a store request's `data`,
// decode a retrieved `data` into one JSON object (protocol.md §3, §4, §8; the core's st::proto
// pipeline does all the work: encode_message / encode_sync_copy / decode_incoming).
//
//   encode kinds (one per call)           what goes on the wire
//     --text T [--name N]  (default)       DataMessage{body, profile}
//     --typing started|stopped             TypingMessage{timestamp = sent time, action}
//     --read-receipt T1,T2,...             ReceiptMessage{READ, timestamps}
//     --request-response approved [--name] MessageRequestResponse{isApproved, profile}
//     --unsend-timestamp T --unsend-author ID   UnsendRequest{timestamp, author}
//     --expiration-update off|after_read:S|after_send:S
//                                          DataMessage{flags = EXPIRATION_TIMER_UPDATE} with the
//                                          new setting in Content.expirationType/Timer (§8.3)
//   --expire after_read:S|after_send:S on a text: Content.expirationType/expirationTimer.
//   --sync-target ID with --to = our own ID: the sync copy for our other devices (§8.1) of the
//   text (or unsend) we sent to ID, made by encode_sync_copy.
// Rules the official clients keep are refused with exit 2 (an unsend of someone else's message,
// a sync copy not addressed to ourselves, kinds that are never synced). For testing receivers,
// --unchecked lets an unsend name another author and --envelope-timestamp T rewrites the
// (unsigned) Envelope.timestamp after encoding, breaking the timestamp binding (§3.7).
#include <charconv>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "st/crypto/identity.hpp"
#include "st/proto/envelope.hpp"
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

std::uint64_t parse_timestamp(const std::string& text, const char* flag = "--timestamp") {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw UsageError(std::string(flag) + " must be a number of milliseconds, got '" + text +
                         "'");
    return value;
}

std::vector<std::uint64_t> parse_timestamp_list(const std::string& text) {
    std::vector<std::uint64_t> out;
    std::size_t start = 0;
    for (;;) {
        const auto comma = text.find(',', start);
        out.push_back(parse_timestamp(text.substr(start, comma - start), "--read-receipt"));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
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

// The options that choose a kind; at most one may be given (none: a text message).
constexpr const char* kKindFlags[] = {"text", "typing", "read-receipt", "request-response",
                                      "unsend-timestamp", "expiration-update"};

// The message the options describe, checked against the rules official clients keep.
proto::OutgoingMessage outgoing_message(const Args& args, const crypto::Identity& me) {
    std::string kind = "text";
    int kinds = 0;
    for (const char* flag : kKindFlags)
        if (args.get(flag)) {
            kind = flag;
            ++kinds;
        }
    if (kinds > 1)
        throw UsageError(
            "give one kind of message per call (--text, --typing, "
            "--read-receipt, --request-response, --unsend-timestamp or --expiration-update)");
    auto only_for = [&](const char* flag, std::initializer_list<std::string_view> allowed) {
        if (!args.get(flag)) return;
        for (auto k : allowed)
            if (k == kind) return;
        throw UsageError(std::string("--") + flag + " does not apply to a " + kind + " message");
    };
    only_for("name", {"text", "request-response"});
    only_for("unsend-author", {"unsend-timestamp"});
    only_for("expire", {"text"});
    if (kind == "unsend-timestamp" && !args.get("unsend-author"))
        throw UsageError("--unsend-timestamp needs --unsend-author");

    if (kind == "text") return outgoing_text(args);
    if (kind == "expiration-update")
        return proto::OutgoingExpirationUpdate{
            parse_expiration(*args.get("expiration-update"), "--expiration-update", true)};
    if (kind == "typing") {
        const auto action = *args.get("typing");
        if (action != "started" && action != "stopped")
            throw UsageError("--typing must be started or stopped, got '" + action + "'");
        return proto::OutgoingTyping{action == "started" ? proto::TypingAction::Started
                                                         : proto::TypingAction::Stopped};
    }
    if (kind == "read-receipt")
        return proto::OutgoingReadReceipt{parse_timestamp_list(*args.get("read-receipt"))};
    if (kind == "request-response") {
        // Official clients only ever send isApproved = true (declining sends nothing, §8.4).
        if (*args.get("request-response") != "approved")
            throw UsageError(
                "--request-response must be 'approved' (declining a request sends "
                "nothing), got '" +
                *args.get("request-response") + "'");
        proto::OutgoingRequestResponse response;
        if (auto name = args.get("name")) {
            response.profile.emplace();
            response.profile->display_name = *name;
        }
        return response;
    }
    proto::OutgoingUnsend unsend{
        parse_timestamp(*args.get("unsend-timestamp"), "--unsend-timestamp"),
        unwrap(crypto::SessionId::parse(*args.get("unsend-author")))};
    // In a 1:1 conversation only the author may unsend; receivers drop anything else (§8.2).
    if (!(unsend.author == me.session_id()) && !args.get("unchecked"))
        throw InputError(
            "--unsend-author must be your own Session ID: only a message's author "
            "can unsend it (receivers drop other unsend requests)");
    return unsend;
}

// Re-wraps encoded `data` with another (unsigned) Envelope.timestamp, through the proto layer's
// own envelope codec: the signed Content.sigTimestamp keeps the original time.
std::string with_envelope_timestamp(const std::string& data_b64, std::uint64_t timestamp) {
    auto ws = unwrap_coded(from_base64(data_b64));
    auto body = unwrap_coded(proto::unwrap_websocket_request(ws));
    auto envelope = unwrap_coded(proto::decode_envelope(body));
    envelope.timestamp = timestamp;
    return to_base64(proto::wrap_websocket_request(proto::encode_envelope(envelope)));
}

int encode(const Args& args) {
    args.expect_positional(1, "");
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));
    auto to = unwrap(crypto::SessionId::parse(args.require("to")));
    const proto::OutgoingMessage message = outgoing_message(args, me);
    const auto timestamp = args.get("timestamp");
    const std::uint64_t sent_ms = timestamp ? parse_timestamp(*timestamp) : now_ms();
    std::string data;
    if (auto target = args.get("sync-target")) {
        // A sync copy is stored in our own swarm, encrypted to ourselves (§8.1).
        if (!(to == me.session_id()))
            throw InputError("a sync copy goes to your own Session ID: --to must be " +
                             me.session_id().hex() + " with --sync-target");
        auto recipient = unwrap(crypto::SessionId::parse(*target));
        data = unwrap_coded(proto::encode_sync_copy(me, recipient, sent_ms, message));
    } else {
        data = unwrap_coded(proto::encode_message(me, to, sent_ms, message));
    }
    if (auto envelope_ts = args.get("envelope-timestamp"))
        data = with_envelope_timestamp(data, parse_timestamp(*envelope_ts, "--envelope-timestamp"));
    std::cout << data << '\n';
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

proto::Expiration parse_expiration(const std::string& text, const char* flag, bool allow_off) {
    const std::string expected = std::string(flag) + " must be " + (allow_off ? "off, " : "") +
                                 "after_send:SECONDS or after_read:SECONDS (10..1209600), got '" +
                                 text + "'";
    if (text == "off") {
        if (!allow_off) throw UsageError(expected);
        return proto::Expiration{};
    }
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw UsageError(expected);
    const std::string type = text.substr(0, colon), seconds_text = text.substr(colon + 1);
    proto::Expiration e;
    if (type == "after_send")
        e.type = proto::ExpirationType::DeleteAfterSend;
    else if (type == "after_read")
        e.type = proto::ExpirationType::DeleteAfterRead;
    else
        throw UsageError(expected);
    std::uint32_t seconds = 0;
    auto [end, ec] = std::from_chars(seconds_text.data(),
                                     seconds_text.data() + seconds_text.size(), seconds);
    // 10 s is the shortest TTL a node accepts (§5.6), 14 days the longest for a 1:1 message.
    if (seconds_text.empty() || ec != std::errc() ||
        end != seconds_text.data() + seconds_text.size() || seconds < 10 || seconds > 1209600)
        throw UsageError(expected);
    e.timer_seconds = seconds;
    return e;
}

proto::OutgoingText outgoing_text(const Args& args) {
    proto::OutgoingText text;
    text.body = args.require("text");
    if (auto name = args.get("name")) {
        text.profile.emplace();
        text.profile->display_name = *name;
    }
    if (auto expire = args.get("expire")) text.expiration = parse_expiration(*expire, "--expire", false);
    return text;
}

std::string event_json_line(const proto::IncomingEvent& event) {
    return event_json(event).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

int cmd_message(const std::vector<std::string>& words) {
    Args args(words,
              {"seed", "to", "text", "timestamp", "name", "data", "typing", "read-receipt",
               "request-response", "unsend-timestamp", "unsend-author", "sync-target",
               "envelope-timestamp", "expire", "expiration-update"},
              {"unchecked"});
    if (args.positional().empty()) throw UsageError("missing 'encode' or 'decode'");
    const auto& action = args.positional()[0];
    if (action == "encode") {
        if (args.get("data")) throw UsageError("message encode takes no --data");
        return encode(args);
    }
    if (action == "decode") {
        for (const char* flag : {"to", "text", "timestamp", "name", "typing", "read-receipt",
                                 "request-response", "unsend-timestamp", "unsend-author",
                                 "sync-target", "envelope-timestamp", "unchecked", "expire",
                                 "expiration-update"})
            if (args.get(flag)) throw UsageError(std::string("message decode takes no --") + flag);
        return decode(args);
    }
    throw UsageError("unknown message action '" + action + "' (expected encode or decode)");
}

}  // namespace st::cli
