// Network commands: send a text message to a Session ID and poll our own swarm, through 3-hop
// onion paths built by the core (st::net::Network, Sender, Poller) over the native Asio transport.
//   send  encode_message → store in the recipient's swarm, then encode_sync_copy → store in ours
//         (protocol.md §5.4.1, §8.1); prints {"hash", "timestamp"} once both are stored.
//   poll  signed retrieves of namespace 0 from our swarm (§7.1), every message decoded (§3) and
//         printed as `message decode` prints it; repeated until --wait seconds have passed.
// A CLI process keeps no poll state between runs (MemoryPollStateStore): each `poll` replays what
// the swarm holds.
//   ons resolve  an ONS name → Session ID with Network::resolve_ons (three random nodes through
//         onion paths must agree, protocol.md §5.4.11); prints the Session ID.
//   delete-all  delete_all of every namespace of our own swarm with st::net::SwarmAdmin
//         (§5.4.4, docs/deletion.md): every member's signed result is checked; prints
//         {"swarm", "confirmed", "deleted": {node: [hashes]}, "problems": {node: sentence}}.
//   send --expire  a disappearing message (§8.3, §7.2): after_send stores it with
//         TTL = SECONDS × 1000 (the node forgets it then), after_read with the usual 14 days
//         (the reader shortens it) and our sync copy with TTL = SECONDS × 1000.
// Exit codes: 0 done, 1 network failure after the core's retries, 2 bad input (also an ONS name
// that is invalid or not registered) or a seed that does not answer, 3 (delete-all) the swarm
// answered but not every member confirmed with a valid signature.
#include <boost/asio/io_context.hpp>
#include <charconv>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "args.hpp"
#include "commands.hpp"
#include "network_session.hpp"
#include "st/base/clock.hpp"
#include "st/base/loop.hpp"
#include "st/crypto/identity.hpp"
#include "st/crypto/ons.hpp"
#include "st/net/addressing.hpp"
#include "st/net/network.hpp"
#include "st/net/poll_state.hpp"
#include "st/net/poller.hpp"
#include "st/net/sender.hpp"
#include "st/net/swarm_admin.hpp"
#include "st/proto/message.hpp"
#include "st/rpc/status.hpp"

namespace st::cli {
namespace {

int send(const Args& args) {
    args.expect_positional(0, "");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));
    auto to = unwrap(crypto::SessionId::parse(args.require("to")));
    const proto::OutgoingText text = outgoing_text(args);

    Session session(seed_url);
    session.bootstrap(seed_url);
    const auto sent_ms = static_cast<std::uint64_t>(session.network->now_ms());
    auto data = proto::encode_message(me, to, sent_ms, text);
    if (!data) throw InputError(describe(data.error()));
    auto copy = proto::encode_sync_copy(me, to, sent_ms, text);
    if (!copy) throw InputError(describe(copy.error()));

    net::MemoryPollStateStore seen;
    net::Sender sender(*session.network, &seen, &me);
    // Like the app's outbox: a store that failed for a reason a retry can cure (a path or a
    // member that went silent, a swarm that could not be reached) is tried again with the same
    // bytes, which the network stores once (the hash depends only on them, §5.5). The second
    // and third tries use what the first taught the core (struck nodes, rebuilt paths).
    constexpr int kTries = 3;
    // Disappearing messages live exactly as long in the swarm (§7.2): after-send for the timer,
    // after-read 14 days for the recipient (who shortens it once read) and the timer for our
    // own sync copy.
    const net::OutgoingMessage defaults(to, "");
    std::int64_t ttl_ms = defaults.ttl_ms, copy_ttl_ms = defaults.ttl_ms;
    if (text.expiration && text.expiration->enabled()) {
        const std::int64_t timer_ms = std::int64_t{text.expiration->timer_seconds} * 1000;
        copy_ttl_ms = timer_ms;
        if (text.expiration->type == proto::ExpirationType::DeleteAfterSend) ttl_ms = timer_ms;
    }
    auto store = [&](const crypto::SessionId& recipient, const std::string& payload,
                     std::int64_t ttl) -> Result<net::SendReceipt> {
        Result<net::SendReceipt> r = fail(net::kBadMessage, "not sent");
        for (int attempt = 0; attempt < kTries; ++attempt) {
            r = session.wait<net::SendReceipt>([&](Callback<net::SendReceipt> done) {
                net::OutgoingMessage m(recipient, payload);
                m.ttl_ms = ttl;
                sender.send(std::move(m), std::move(done));
            });
            if (r || !worth_retrying(r.error())) break;
        }
        return r;
    };
    auto receipt = store(to, *data, ttl_ms);
    if (!receipt) throw NetworkError("message not stored: " + describe(receipt.error()));
    nlohmann::ordered_json out = {{"hash", receipt->hash}, {"timestamp", sent_ms}};
    if (text.expiration) out["expiry"] = receipt->expiry_ms;
    std::cout << out.dump() << '\n' << std::flush;
    // The sync copy (§8.1) only after the message itself is stored.
    auto sync_copy = store(me.session_id(), *copy, copy_ttl_ms);
    if (!sync_copy)
        throw NetworkError("message stored, but its sync copy was not: " +
                           describe(sync_copy.error()));
    return 0;
}

int poll(const Args& args) {
    args.expect_positional(0, "");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));
    std::chrono::milliseconds wait{0};
    if (auto text = args.get("wait")) {
        double seconds = -1;
        try {
            std::size_t used = 0;
            seconds = std::stod(*text, &used);
            if (used != text->size()) seconds = -1;
        } catch (const std::exception&) {
            seconds = -1;
        }
        if (!(seconds >= 0 && seconds <= 86400))
            throw UsageError("--wait must be a number of seconds (0..86400), got '" + *text + "'");
        wait = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    }

    Session session(seed_url);
    session.bootstrap(seed_url);
    net::MemoryPollStateStore state;
    net::PollerConfig config;
    config.namespaces = {0};  // 1:1 messages; the config namespaces are not messages
    std::size_t undecodable = 0;
    net::Poller poller(*session.network,
                       unwrap(crypto::Identity::from_seed_hex(args.require("seed"))), state, config,
                       [&](std::vector<net::RetrievedItem> items) {
                           for (const auto& item : items) {
                               auto event = proto::decode_incoming(me, item.data);
                               if (!event) {
                                   ++undecodable;
                                   continue;
                               }
                               std::cout << event_json_line(*event) << '\n';
                           }
                           std::cout << std::flush;
                       });

    const auto deadline = session.clock.steady() + wait;
    bool any_answer = false;
    int extra_rounds = 0;  // rounds past the deadline because a node had more to give
    int rounds = 0;
    std::string last_error = "no swarm member answered";
    for (;;) {
        auto report = session.wait<net::PollReport>(
            [&](Callback<net::PollReport> done) { poller.poll_once(std::move(done)); });
        if (!report) {
            last_error = describe(report.error());
        } else {
            if (report->nodes_answered > 0) any_answer = true;
            if (!report->errors.empty()) last_error = describe(report->errors.back());
        }
        const bool more = report && report->more;
        const auto now = session.clock.steady();
        ++rounds;
        // Past the deadline: stop, unless a node had more to give, or no member has answered
        // yet (the next round goes through paths and members the failures have taught about:
        // with dead nodes on the paths, a loaded machine needed more than three rounds).
        const bool unanswered = !any_answer && rounds < 6;
        if (now >= deadline && !unanswered && !(more && any_answer && ++extra_rounds <= 20)) break;
        if (!more && now < deadline) {
            // Between rounds: a second, or what is left of --wait.
            const auto pause = std::min<std::chrono::milliseconds>(
                std::chrono::seconds(1),
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
            session.run([] { return false; }, pause);
        }
    }
    if (undecodable)
        std::cerr << "session-cli poll: skipped " << undecodable
                  << " message(s) that could not be decoded\n";
    if (!any_answer) throw NetworkError("no poll succeeded: " + last_error);
    return 0;
}

int ons_resolve(const Args& args) {
    args.expect_positional(2, "NAME");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    const std::string& name = args.positional()[1];
    // An invalid name is refused before any network traffic.
    if (auto lower = crypto::normalize_ons_name(name); !lower) throw InputError(lower.error());

    Session session(seed_url);
    session.bootstrap(seed_url);
    Result<crypto::SessionId> id = fail(crypto::kOnsNotFound, "not asked");
    // As `send`: failures of the way there are tried again (up to 3 times), answers are final.
    for (int attempt = 0; attempt < 3; ++attempt) {
        id = session.wait<crypto::SessionId>([&](Callback<crypto::SessionId> done) {
            session.network->resolve_ons(name, std::move(done));
        });
        if (id || !worth_retrying(id.error())) break;
    }
    if (!id) {
        const std::string_view code = id.error().code;
        if (code == crypto::kOnsNotFound || code == crypto::kOnsInvalidName)
            throw InputError(id.error());
        throw NetworkError("the name could not be resolved: " + describe(id.error()));
    }
    std::cout << id->hex() << '\n';
    return 0;
}

int delete_all(const Args& args) {
    args.expect_positional(0, "");
    crypto::ensure_sodium_ready();
    const auto seed_url = seed_url_of(args);
    auto me = unwrap(crypto::Identity::from_seed_hex(args.require("seed")));

    Session session(seed_url);
    session.bootstrap(seed_url);
    net::SwarmAdmin admin(*session.network, me);
    // As `send`: failures of the way there are tried again (delete_all is idempotent).
    Result<net::SwarmReport> report = fail(rpc::kBadParams, "not sent");
    for (int attempt = 0; attempt < 3; ++attempt) {
        report = session.wait<net::SwarmReport>(
            [&](Callback<net::SwarmReport> done) { admin.delete_all(std::move(done)); });
        if (report || !worth_retrying(report.error())) break;
    }
    if (!report) throw NetworkError("nothing was deleted: " + describe(report.error()));

    nlohmann::ordered_json out;
    out["swarm"] = report->members.size();
    out["confirmed"] = report->confirmed();
    auto& deleted = out["deleted"] = nlohmann::ordered_json::object();
    auto& problems = out["problems"] = nlohmann::ordered_json::object();
    for (const auto& m : report->members) {
        if (m.confirmed)
            deleted[m.node] = m.hashes;  // only what a member proved with its signature
        else
            problems[m.node] = m.problem;
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
              << '\n'
              << std::flush;
    if (!report->all_confirmed()) {
        std::cerr << "session-cli delete-all: " << report->members.size() - report->confirmed()
                  << " of " << report->members.size()
                  << " swarm members did not confirm the deletion\n";
        return 3;
    }
    return 0;
}

}  // namespace

int cmd_delete_all(const std::vector<std::string>& words) {
    Args args(words, {"network", "seed"});
    try {
        return delete_all(args);
    } catch (const NetworkError& e) {
        std::cerr << "session-cli delete-all: " << e.what() << '\n';
        return 1;
    }
}

int cmd_ons(const std::vector<std::string>& words) {
    Args args(words, {"network"});
    if (args.positional().empty()) throw UsageError("missing 'resolve'");
    if (args.positional()[0] != "resolve")
        throw UsageError("unknown ons action '" + args.positional()[0] + "' (expected resolve)");
    try {
        return ons_resolve(args);
    } catch (const NetworkError& e) {
        std::cerr << "session-cli ons: " << e.what() << '\n';
        return 1;
    }
}

int cmd_send(const std::vector<std::string>& words) {
    Args args(words, {"network", "seed", "to", "text", "name", "expire"});
    try {
        return send(args);
    } catch (const NetworkError& e) {
        std::cerr << "session-cli send: " << e.what() << '\n';
        return 1;
    }
}

int cmd_poll(const std::vector<std::string>& words) {
    Args args(words, {"network", "seed", "wait"});
    try {
        return poll(args);
    } catch (const NetworkError& e) {
        std::cerr << "session-cli poll: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace st::cli
