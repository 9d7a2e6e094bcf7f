// st::app::Client — see client.hpp for what it does.
//
// Index
//   [SECTION] Storage layout and records
//   [SECTION] Words for people (error codes → sentences)
//   [SECTION] Life cycle and view
//   [SECTION] Onboarding and account
//   [SECTION] Conversations and messages
//   [SECTION] Sending (outbox)
//   [SECTION] Receiving
#include "st/app/client.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "st/app/kv_poll_state.hpp"
#include "st/crypto/mnemonic.hpp"
#include "st/proto/message.hpp"

namespace st::app {

// [SECTION] Storage layout and records -------------------------------------------------------------
//
//   meta/active_account                         → Session ID of the account shown at start
//   accounts/<id>                               → account record (binary, holds the seed)
//   acct/<id>/conv/<peer>                       → conversation record (JSON)
//   acct/<id>/msg/<peer>/<be64 sent ms>/<o|i>   → message record (JSON); o = ours, i = theirs
//   acct/<id>/outbox/<be64 sent ms>/<peer>      → a message still to be sent (JSON)
//   acct/<id>/poll/...                          → KvPollStateStore
// Every value starts with a format version byte. A message is identified by (author, sent
// timestamp) as in the protocol (§8); within a conversation that is "<be64 ms>/<o|i>", which also
// sorts by time.

struct Client::Conversation {
    std::string peer;
    std::string name;  // the peer's display name, from their messages' profiles
    std::string last_message;
    std::int64_t last_ms = 0;
    std::uint32_t unread = 0;
    std::string draft;
    bool loaded = false;
    bool loading = false;
    // Oldest first (ordered by id), while the conversation is open or being opened; messages
    // added during the initial scan are inserted at once and the scan merges around them.
    std::vector<MessageView> messages;
};

struct Client::OutboxEntry {
    std::string peer;
    std::uint64_t sent_ms = 0;
    std::string body;
    std::string message_id;
    int attempts = 0;
};

namespace {

constexpr std::uint8_t kRecordVersion = 1;
constexpr std::string_view kActiveAccountKey = "meta/active_account";
constexpr std::size_t kScanPage = 1000;
constexpr std::int64_t kMessageTtlMs = 14LL * 24 * 3600 * 1000;  // §7.2: visible messages

Bytes encode_json(const nlohmann::json& j) {
    auto text = j.dump();
    Bytes out;
    out.reserve(text.size() + 1);
    out.push_back(kRecordVersion);
    out.insert(out.end(), text.begin(), text.end());
    return out;
}

std::optional<nlohmann::json> decode_json(const Bytes& value) {
    if (value.empty() || value[0] != kRecordVersion) return std::nullopt;
    auto j = nlohmann::json::parse(value.begin() + 1, value.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    return j;
}

// Account record: version | seed (16) | created ms (8, big-endian) | display name (UTF-8).
// Binary so the seed never passes through a JSON string that could not be zeroed.
SecretBytes encode_account(const crypto::Identity& id, std::int64_t created_ms, const std::string& name) {
    SecretBytes out;
    const std::uint8_t version = kRecordVersion;
    out.append(&version, 1);
    out.append(id.seed().data(), id.seed().size());
    std::uint8_t created[8];
    for (int i = 0; i < 8; ++i) created[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(created_ms) >> (56 - 8 * i));
    out.append(created, 8);
    out.append(name);
    return out;
}

struct AccountRecord {
    crypto::Identity identity;
    std::string name;
};

std::optional<AccountRecord> decode_account(const Bytes& value) {
    if (value.size() < 1 + 16 + 8 || value[0] != kRecordVersion) return std::nullopt;
    crypto::AccountSeed seed(std::span<const std::uint8_t, 16>(value.data() + 1, 16));
    std::string name(value.begin() + 1 + 16 + 8, value.end());
    return AccountRecord{crypto::Identity::from_seed(seed), std::move(name)};
}

bool by_id(const MessageView& m, const std::string& id) { return m.id < id; }

std::string message_id(std::uint64_t sent_ms, bool outgoing) {
    return store::key::be64(sent_ms) + (outgoing ? "/o" : "/i");
}

std::string short_id(const std::string& session_id) {
    if (session_id.size() < 12) return session_id;
    return session_id.substr(0, 6) + "\xE2\x80\xA6" + session_id.substr(session_id.size() - 4);
}

// Counts code points, not bytes: limits are about what a person typed.
std::size_t utf8_length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string trim(std::string_view s) {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

// First line of a message body, for the conversation list.
std::string preview_of(std::string_view body) {
    auto line = body.substr(0, body.find('\n'));
    if (line.size() > 120) {
        std::size_t cut = 120;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // whole code points
        return std::string(line.substr(0, cut)) + "\xE2\x80\xA6";
    }
    return std::string(line);
}

nlohmann::json message_json(const MessageView& m) {
    return {{"body", m.body},
            {"out", m.outgoing},
            {"ts", m.sent_ms},
            {"state", static_cast<int>(m.delivery)},
            {"fail", m.failure_text}};
}

std::optional<MessageView> message_from(const std::string& id, const Bytes& value) {
    auto j = decode_json(value);
    if (!j) return std::nullopt;
    MessageView m;
    m.id = id;
    m.body = j->value("body", "");
    m.outgoing = j->value("out", false);
    m.sent_ms = j->value("ts", std::int64_t{0});
    int state = j->value("state", 1);
    m.delivery = state == 0 ? DeliveryState::Sending : state == 2 ? DeliveryState::Failed : DeliveryState::Sent;
    m.failure_text = j->value("fail", "");
    return m;
}

// [SECTION] Words for people (error codes → sentences) -----------------------------------------

bool is_transient(const Error& e) {
    const std::string_view c = e.code;
    for (std::string_view prefix : {"net.", "path.", "pool.", "swarm."})
        if (c.substr(0, prefix.size()) == prefix) return true;
    for (std::string_view code : {"rpc.clock_out_of_sync", "rpc.wrong_swarm", "rpc.rate_limited",
                                  "rpc.server_error", "rpc.bad_gateway", "rpc.unavailable",
                                  "rpc.gateway_timeout", "rpc.unexpected_status", "rpc.bad_json",
                                  "rpc.bad_response"})
        if (c == code) return true;
    return false;
}

std::string send_failure_sentence(const Error& e) {
    const std::string_view c = e.code;
    if (c == "rpc.unauthorized") return "The network refused the message's signature.";
    if (c == "rpc.bad_ttl") return "The network refused how long the message should be kept.";
    if (c.substr(0, 6) == "proto." || c == "send.bad_message")
        return "This message could not be prepared for sending (it may be too long).";
    return "The network refused this message.";
}

std::string offline_sentence(const Error& e) {
    const std::string_view c = e.code;
    if (c == "pool.no_seeds" || c == "pool.seed_failed")
        return "Cannot reach the network: the list of service nodes could not be fetched.";
    if (c.substr(0, 5) == "path.") return "Cannot build a private path through the network; retrying.";
    if (c == "net.timeout") return "The network is not answering; retrying.";
    return "Cannot reach the network; retrying.";
}

}  // namespace

// [SECTION] Life cycle and view ---------------------------------------------------------------------

Client::Client(Loop& loop, const Clock& clock, net::Transport& transport, store::KvStore& store,
               ClientConfig config)
    : loop_(loop), clock_(clock), transport_(transport), store_(store), config_(std::move(config)) {
    view_.network.network_name = config_.network_name;
    view_.network.relay = config_.relay_label;
    view_.network.status_text = "Starting";
}

Client::~Client() {
    *alive_ = false;
    secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
    // The Poller, Sender and poll state reference the Network: destroy them first.
    poller_.reset();
    sender_.reset();
    poll_state_.reset();
    network_.reset();
}

std::string Client::account_prefix() const {
    return identity_ ? "acct/" + identity_->session_id().hex() + "/" : std::string();
}

void Client::start() {
    store_.get(std::string(kActiveAccountKey), [this, alive = alive_](Result<std::optional<Bytes>> r) {
        if (!*alive) return;
        if (!r) {
            banner_ = Problem{std::string(r.error().code),
                              "This browser does not let Session Tab store anything, so nothing "
                              "you do here will be kept.", std::nullopt};
            view_.loading = false;
            changed();
            return;
        }
        load_account(std::move(*r));
    });
}

void Client::load_account(std::optional<Bytes> active) {
    if (!active || active->empty()) {
        view_.loading = false;
        changed();
        return;
    }
    std::string id(as_chars(*active));
    store_.get("accounts/" + id, [this, alive = alive_](Result<std::optional<Bytes>> r) {
        if (!*alive) return;
        std::optional<AccountRecord> account;
        if (r && *r) account = decode_account(**r);
        if (r && *r) secure_zero((*r)->data(), (*r)->size());
        if (!account) {
            banner_ = Problem{"store.corrupt",
                              "The stored account could not be read. You can restore it from its "
                              "recovery phrase.", std::nullopt};
            view_.loading = false;
            changed();
            return;
        }
        activate(std::move(account->identity), std::move(account->name));
    });
}

const AppView& Client::view() {
    if (built_version_ == version_) return view_;
    built_version_ = version_;
    view_.version = version_;
    view_.banner = banner_;
    view_.new_conversation_problem = new_conversation_problem_;

    if (identity_) {
        view_.account = AccountView{identity_->session_id().hex(), display_name_};
    } else {
        view_.account.reset();
    }

    view_.conversations.clear();
    for (auto& [peer, c] : conversations_) {
        view_.conversations.push_back(ConversationSummary{
            peer, c->name.empty() ? short_id(peer) : c->name, c->last_message, c->last_ms, c->unread});
    }
    std::stable_sort(view_.conversations.begin(), view_.conversations.end(),
                     [](const auto& a, const auto& b) { return a.last_ms > b.last_ms; });

    view_.open.reset();
    if (auto it = conversations_.find(open_peer_); it != conversations_.end()) {
        auto& c = *it->second;
        view_.open = OpenConversationView{c.peer, c.name.empty() ? short_id(c.peer) : c.name,
                                          std::span<const MessageView>(c.messages), c.draft};
    }

    view_.network.outbox = static_cast<std::uint32_t>(outbox_.size());
    view_.network.path = current_path();
    return view_;
}

std::vector<std::string> Client::current_path() const {
    std::vector<std::string> out;
    if (!network_) return out;
    const auto& paths = network_->router().paths();
    if (paths.empty()) return out;
    for (const auto& node : paths.front().nodes)
        out.push_back(node.ip_text() + ":" + std::to_string(node.port) + " (" +
                      node.ed25519.hex().substr(0, 8) + ")");
    return out;
}

void Client::set_foreground(bool foreground) {
    foreground_ = foreground;
    if (poller_) poller_->set_active(foreground);
}

void Client::set_network_state(Connectivity state, std::string text) {
    if (view_.network.state == state && view_.network.status_text == text) return;
    view_.network.state = state;
    view_.network.status_text = std::move(text);
    changed();
}

void Client::persist(std::vector<store::KvWrite> batch) {
    if (batch.empty()) return;
    store_.write(std::move(batch), [this, alive = alive_](Result<> r) {
        if (!*alive || r) return;
        banner_ = Problem{std::string(r.error().code),
                          r.error().code == "store.quota_exceeded"
                              ? "This browser's storage for Session Tab is full: new messages are "
                                "not being saved."
                              : "Saving to this browser's storage failed: recent changes may be lost "
                                "when the tab closes.",
                          std::nullopt};
        changed();
    });
}

void Client::dispatch(Intent intent) {
    std::visit(
        [this](auto&& i) {
            using T = std::decay_t<decltype(i)>;
            if constexpr (std::is_same_v<T, intent::CreateAccount>) create_account();
            else if constexpr (std::is_same_v<T, intent::ConfirmPhraseSaved>) {
                if (view_.onboarding.step != OnboardingStep::ShowPhrase) return;
                auto& phrase = view_.onboarding.phrase_to_show;
                secure_zero(phrase.data(), phrase.size());
                phrase.clear();
                view_.onboarding.step = OnboardingStep::ChooseName;
                changed();
            } else if constexpr (std::is_same_v<T, intent::StartRestore>) {
                if (identity_) return;
                view_.onboarding = OnboardingView{};
                view_.onboarding.step = OnboardingStep::EnterPhrase;
                changed();
            } else if constexpr (std::is_same_v<T, intent::RestoreAccount>) restore_account(i.phrase);
            else if constexpr (std::is_same_v<T, intent::BackToWelcome>) {
                if (identity_) return;
                pending_.reset();
                secure_zero(view_.onboarding.phrase_to_show.data(), view_.onboarding.phrase_to_show.size());
                view_.onboarding = OnboardingView{};
                changed();
            } else if constexpr (std::is_same_v<T, intent::ChooseDisplayName>) choose_display_name(i.name);
            else if constexpr (std::is_same_v<T, intent::StartConversation>) start_conversation(i.session_id_text);
            else if constexpr (std::is_same_v<T, intent::OpenConversation>) open_conversation(i.peer_session_id);
            else if constexpr (std::is_same_v<T, intent::CloseConversation>) {
                open_peer_.clear();
                changed();
            } else if constexpr (std::is_same_v<T, intent::UpdateDraft>) update_draft(i.peer_session_id, i.text);
            else if constexpr (std::is_same_v<T, intent::SendText>) send_text(i.peer_session_id, i.text);
            else if constexpr (std::is_same_v<T, intent::RetryMessage>) retry_message(i.peer_session_id, i.message_id);
            else if constexpr (std::is_same_v<T, intent::MarkRead>) mark_read(i.peer_session_id);
        },
        intent);
}

// [SECTION] Onboarding and account --------------------------------------------------------------

void Client::create_account() {
    if (identity_) return;
    pending_ = crypto::Identity::generate();
    view_.onboarding = OnboardingView{};
    view_.onboarding.step = OnboardingStep::ShowPhrase;
    auto phrase = crypto::mnemonic::encode(pending_->seed());
    view_.onboarding.phrase_to_show.assign(phrase.str());
    view_.onboarding.new_session_id = pending_->session_id().hex();
    changed();
}

void Client::restore_account(const std::string& phrase) {
    if (identity_) return;
    auto seed = crypto::mnemonic::decode_seed(phrase);
    if (!seed) {
        Problem p{std::string(seed.error().code), seed.error().message, std::nullopt};
        if (seed.error().code == "mnemonic.unknown_word") p.word_position = crypto::mnemonic::first_unknown_word(phrase);
        // The core's sentence starts lower-case for command lines; a screen wants a capital.
        if (!p.text.empty() && p.text[0] >= 'a' && p.text[0] <= 'z') p.text[0] = static_cast<char>(p.text[0] - 'a' + 'A');
        view_.onboarding.phrase_problem = std::move(p);
        changed();
        return;
    }
    pending_ = crypto::Identity::from_seed(*seed);
    view_.onboarding.phrase_problem.reset();
    view_.onboarding.new_session_id = pending_->session_id().hex();
    view_.onboarding.step = OnboardingStep::ChooseName;
    changed();
}

void Client::choose_display_name(const std::string& typed) {
    if (identity_ || !pending_ || view_.onboarding.step != OnboardingStep::ChooseName) return;
    auto name = trim(typed);
    if (name.empty()) {
        view_.onboarding.name_problem = Problem{"name.empty", "Enter a display name.", std::nullopt};
        changed();
        return;
    }
    if (utf8_length(name) > config_.max_name_chars) {
        view_.onboarding.name_problem =
            Problem{"name.too_long",
                    "A display name can be at most " + std::to_string(config_.max_name_chars) + " characters.",
                    std::nullopt};
        changed();
        return;
    }
    view_.onboarding.name_problem.reset();
    auto identity = std::move(*pending_);
    pending_.reset();
    const auto id = identity.session_id().hex();
    auto record = encode_account(identity, clock_.now_ms(), name);
    persist({store::KvWrite::put("accounts/" + id, Bytes(record.view().begin(), record.view().end())),
             store::KvWrite::put(std::string(kActiveAccountKey), to_bytes(id))});
    activate(std::move(identity), std::move(name));
}

void Client::activate(crypto::Identity identity, std::string display_name) {
    identity_ = std::move(identity);
    display_name_ = std::move(display_name);
    view_.onboarding = OnboardingView{};
    const auto prefix = account_prefix();

    network_ = std::make_unique<net::Network>(loop_, clock_, transport_, config_.addressing, config_.network);
    poll_state_ = std::make_unique<KvPollStateStore>(loop_, store_, prefix);
    sender_ = std::make_unique<net::Sender>(*network_, poll_state_.get(), &*identity_);
    poller_ = std::make_unique<net::Poller>(
        *network_, identity_->clone(), *poll_state_, config_.poller,
        [this, alive = alive_](std::vector<net::RetrievedItem> items) {
            if (*alive) on_items(std::move(items));
        });
    poller_->set_active(foreground_);
    poller_->on_report([this, alive = alive_](const net::PollReport& report) {
        if (*alive) on_poll_report(report);
    });
    set_network_state(Connectivity::Connecting, "Connecting to the network");
    changed();
    load_conversations();
}

// Loads conversation summaries, then the outbox, then the poll state, then starts the network.
void Client::load_conversations() {
    const auto prefix = account_prefix();
    store_.scan(prefix + "conv/", {}, 100000, [this, alive = alive_, prefix](Result<std::vector<store::KvEntry>> r) {
        if (!*alive) return;
        if (r) {
            for (auto& e : *r) {
                auto j = decode_json(e.value);
                if (!j) continue;
                auto peer = e.key.substr(prefix.size() + 5);
                auto& c = conversation(peer);
                c.name = j->value("name", "");
                c.last_message = j->value("last", "");
                c.last_ms = j->value("last_ms", std::int64_t{0});
                c.unread = j->value("unread", 0u);
                c.draft = j->value("draft", "");
            }
        }
        store_.scan(prefix + "outbox/", {}, 100000, [this, alive, prefix](Result<std::vector<store::KvEntry>> o) {
            if (!*alive) return;
            if (o) {
                for (auto& e : *o) {
                    auto j = decode_json(e.value);
                    if (!j) continue;
                    auto entry = std::make_unique<OutboxEntry>();
                    entry->peer = j->value("peer", "");
                    entry->sent_ms = j->value("ts", std::uint64_t{0});
                    entry->body = j->value("body", "");
                    entry->message_id = message_id(entry->sent_ms, true);
                    last_sent_ms_ = std::max(last_sent_ms_, entry->sent_ms);
                    outbox_.emplace(e.key, std::move(entry));
                }
            }
            view_.loading = false;
            changed();
            poll_state_->load([this, alive](Result<> loaded) {
                if (!*alive) return;
                (void)loaded;  // without it polling still works; duplicates are dropped by id
                poller_->start();
                pump_outbox();
            });
        });
    });
}

// [SECTION] Conversations and messages -------------------------------------------------------------

Client::Conversation& Client::conversation(const std::string& peer) {
    auto& slot = conversations_[peer];
    if (!slot) {
        slot = std::make_unique<Conversation>();
        slot->peer = peer;
    }
    return *slot;
}

static nlohmann::json conversation_json(const Client::Conversation& c);

void Client::start_conversation(const std::string& text) {
    if (!identity_) return;
    auto id = crypto::SessionId::parse(text);
    if (!id) {
        auto sentence = id.error().message;
        if (!sentence.empty() && sentence[0] >= 'a' && sentence[0] <= 'z') sentence[0] = static_cast<char>(sentence[0] - 'a' + 'A');
        new_conversation_problem_ = Problem{std::string(id.error().code), sentence, std::nullopt};
        changed();
        return;
    }
    new_conversation_problem_.reset();
    const auto peer = id->hex();
    auto& c = conversation(peer);
    if (c.last_ms == 0) {
        c.last_ms = clock_.now_ms();
        persist({store::KvWrite::put(account_prefix() + "conv/" + peer, encode_json(conversation_json(c)))});
    }
    open_conversation(peer);
}

void Client::open_conversation(const std::string& peer) {
    auto it = conversations_.find(peer);
    if (it == conversations_.end()) return;
    open_peer_ = peer;
    auto& c = *it->second;
    if (!c.loaded && !c.loading) {
        c.loading = true;
        load_messages(peer, {});
    }
    mark_read(peer);
    changed();
}

void Client::load_messages(const std::string& peer, std::string after) {
    const auto prefix = account_prefix() + "msg/" + peer + "/";
    store_.scan(prefix, after, kScanPage, [this, alive = alive_, peer, prefix](Result<std::vector<store::KvEntry>> r) {
        if (!*alive) return;
        auto it = conversations_.find(peer);
        if (it == conversations_.end()) return;
        auto& c = *it->second;
        if (r) {
            for (auto& e : *r) {
                auto m = message_from(e.key.substr(prefix.size()), e.value);
                if (!m) continue;
                // A message added while the scan ran is already in memory and newer: keep it.
                auto pos = std::lower_bound(c.messages.begin(), c.messages.end(), m->id, by_id);
                if (pos == c.messages.end() || pos->id != m->id) c.messages.insert(pos, std::move(*m));
            }
            if (r->size() == kScanPage) {
                changed();
                return load_messages(peer, r->back().key);
            }
        }
        c.loading = false;
        c.loaded = true;
        changed();
    });
}

static nlohmann::json conversation_json(const Client::Conversation& c) {
    return {{"name", c.name}, {"last", c.last_message}, {"last_ms", c.last_ms}, {"unread", c.unread},
            {"draft", c.draft}};
}

void Client::add_message(Conversation& c, MessageView message, bool persist_meta,
                         std::vector<store::KvWrite>& batch) {
    batch.push_back(store::KvWrite::put(account_prefix() + "msg/" + c.peer + "/" + message.id,
                                        encode_json(message_json(message))));
    if (message.sent_ms >= c.last_ms) {
        c.last_ms = message.sent_ms;
        c.last_message = preview_of(message.body);
    }
    if (c.loading || c.loaded) {
        auto pos = std::lower_bound(c.messages.begin(), c.messages.end(), message.id, by_id);
        if (pos != c.messages.end() && pos->id == message.id) *pos = std::move(message);
        else c.messages.insert(pos, std::move(message));
    }
    if (persist_meta)
        batch.push_back(store::KvWrite::put(account_prefix() + "conv/" + c.peer, encode_json(conversation_json(c))));
    changed();
}

void Client::mark_read(const std::string& peer) {
    auto it = conversations_.find(peer);
    if (it == conversations_.end() || it->second->unread == 0) return;
    it->second->unread = 0;
    persist({store::KvWrite::put(account_prefix() + "conv/" + peer, encode_json(conversation_json(*it->second)))});
    changed();
}

void Client::update_draft(const std::string& peer, std::string text) {
    auto it = conversations_.find(peer);
    if (it == conversations_.end() || it->second->draft == text) return;
    it->second->draft = std::move(text);
    persist({store::KvWrite::put(account_prefix() + "conv/" + peer, encode_json(conversation_json(*it->second)))});
    changed();
}

// [SECTION] Sending (outbox) ------------------------------------------------------------------------

void Client::send_text(const std::string& peer_text, const std::string& text) {
    if (!identity_) return;
    auto peer = crypto::SessionId::parse(peer_text);
    if (!peer) return;  // the UI only sends to conversations the core created
    auto body = trim(text);
    if (body.empty()) return;
    auto& c = conversation(peer->hex());
    if (utf8_length(body) > config_.max_body_chars) {
        banner_ = Problem{"message.too_long",
                          "A message can be at most " + std::to_string(config_.max_body_chars) +
                              " characters; this one was not sent.",
                          std::nullopt};
        changed();
        return;
    }
    if (banner_ && banner_->code == "message.too_long") banner_.reset();

    // Sent timestamps identify messages (§8), so ours must be unique: strictly increasing.
    std::uint64_t now = static_cast<std::uint64_t>(network_ ? network_->now_ms() : clock_.now_ms());
    std::uint64_t sent_ms = std::max(now, last_sent_ms_ + 1);
    last_sent_ms_ = sent_ms;

    MessageView m;
    m.id = message_id(sent_ms, true);
    m.outgoing = true;
    m.body = body;
    m.sent_ms = static_cast<std::int64_t>(sent_ms);
    m.delivery = DeliveryState::Sending;

    c.draft.clear();
    std::vector<store::KvWrite> batch;
    add_message(c, m, true, batch);
    const auto outbox_key = account_prefix() + "outbox/" + store::key::be64(sent_ms) + "/" + c.peer;
    batch.push_back(store::KvWrite::put(outbox_key, encode_json({{"peer", c.peer}, {"ts", sent_ms}, {"body", body}})));
    persist(std::move(batch));

    auto entry = std::make_unique<OutboxEntry>();
    entry->peer = c.peer;
    entry->sent_ms = sent_ms;
    entry->body = std::move(body);
    entry->message_id = m.id;
    outbox_.emplace(outbox_key, std::move(entry));
    changed();
    pump_outbox();
}

void Client::retry_message(const std::string& peer, const std::string& id) {
    auto it = conversations_.find(peer);
    if (!identity_ || it == conversations_.end()) return;
    auto& c = *it->second;
    auto m = std::find_if(c.messages.begin(), c.messages.end(), [&](const MessageView& x) { return x.id == id; });
    if (m == c.messages.end() || !m->outgoing || m->delivery != DeliveryState::Failed) return;
    const auto sent_ms = static_cast<std::uint64_t>(m->sent_ms);
    const auto outbox_key = account_prefix() + "outbox/" + store::key::be64(sent_ms) + "/" + peer;
    auto entry = std::make_unique<OutboxEntry>();
    entry->peer = peer;
    entry->sent_ms = sent_ms;
    entry->body = m->body;
    entry->message_id = id;
    persist({store::KvWrite::put(outbox_key, encode_json({{"peer", peer}, {"ts", sent_ms}, {"body", m->body}}))});
    outbox_[outbox_key] = std::move(entry);
    set_delivery(peer, id, DeliveryState::Sending, "");
    // A person asked: try now, not at the end of a back-off.
    if (retry_timer_) loop_.cancel(retry_timer_);
    retry_timer_ = 0;
    pump_outbox();
}

// One message at a time, oldest first, so a conversation's messages arrive in order.
void Client::pump_outbox() {
    if (sending_ || retry_timer_ || outbox_.empty() || !sender_) return;
    send_next(outbox_.begin()->first);
}

void Client::send_next(const std::string& outbox_key) {
    auto& entry = *outbox_.at(outbox_key);
    auto peer = crypto::SessionId::parse(entry.peer);
    if (!peer) {  // a corrupt record: drop it rather than block the queue
        persist({store::KvWrite::erase(outbox_key)});
        outbox_.erase(outbox_key);
        return pump_outbox();
    }
    proto::OutgoingText text;
    text.body = entry.body;
    text.profile = proto::Profile{display_name_, std::nullopt, std::nullopt};
    const proto::OutgoingMessage message = text;
    auto data = proto::encode_message(*identity_, *peer, entry.sent_ms, message);
    if (!data) return on_sent(outbox_key, Unexpected<Error>(std::move(data).error()));

    net::OutgoingMessage out(*peer, std::move(*data));
    out.ttl_ms = kMessageTtlMs;
    sending_ = true;
    ++entry.attempts;
    auto done = [this, alive = alive_, outbox_key](Result<net::PairReceipt> r) {
        if (*alive) on_sent(outbox_key, std::move(r));
    };
    if (*peer == identity_->session_id()) {
        // Note to Self: the message already is in our own swarm; no sync copy.
        sender_->send(std::move(out), [done](Result<net::SendReceipt> r) mutable {
            if (!r) return done(Unexpected<Error>(std::move(r).error()));
            done(net::PairReceipt{*r, *r});
        });
        return;
    }
    auto copy = proto::encode_sync_copy(*identity_, *peer, entry.sent_ms, message);
    if (!copy) {
        sending_ = false;
        return on_sent(outbox_key, Unexpected<Error>(std::move(copy).error()));
    }
    net::OutgoingMessage sync(identity_->session_id(), std::move(*copy));
    sync.ttl_ms = kMessageTtlMs;
    sender_->send_with_sync_copy(std::move(out), std::move(sync), std::move(done));
}

void Client::on_sent(const std::string& outbox_key, Result<net::PairReceipt> result) {
    sending_ = false;
    auto it = outbox_.find(outbox_key);
    if (it == outbox_.end()) return pump_outbox();
    auto& entry = *it->second;
    if (result) {
        set_delivery(entry.peer, entry.message_id, DeliveryState::Sent, "");
        persist({store::KvWrite::erase(outbox_key)});
        outbox_.erase(it);
        retry_delay_ = std::chrono::milliseconds{0};
        set_network_state(Connectivity::Online, "Connected");
        changed();
        return pump_outbox();
    }
    const Error& e = result.error();
    if (is_transient(e)) {
        // Keep it queued (it is persisted) and try again later; say why in the status line.
        retry_delay_ = retry_delay_.count() == 0 ? config_.retry_min : std::min(retry_delay_ * 2, config_.retry_max);
        set_network_state(Connectivity::Offline, offline_sentence(e));
        retry_timer_ = loop_.post_after(retry_delay_, [this, alive = alive_] {
            if (!*alive) return;
            retry_timer_ = 0;
            pump_outbox();
        });
        changed();
        return;
    }
    set_delivery(entry.peer, entry.message_id, DeliveryState::Failed, send_failure_sentence(e));
    persist({store::KvWrite::erase(outbox_key)});
    outbox_.erase(it);
    changed();
    pump_outbox();
}

void Client::set_delivery(const std::string& peer, const std::string& id, DeliveryState state,
                          std::string failure_text) {
    auto it = conversations_.find(peer);
    if (it == conversations_.end()) return;
    auto& c = *it->second;
    auto update = [&](std::vector<MessageView>& list) -> MessageView* {
        auto m = std::find_if(list.begin(), list.end(), [&](const MessageView& x) { return x.id == id; });
        if (m == list.end()) return nullptr;
        m->delivery = state;
        m->failure_text = failure_text;
        return &*m;
    };
    MessageView* m = update(c.messages);
    MessageView record;
    if (m) {
        record = *m;
    } else {
        // Not in memory (conversation not opened): rewrite the stored record from the outbox.
        auto ob = std::find_if(outbox_.begin(), outbox_.end(), [&](auto& kv) { return kv.second->message_id == id && kv.second->peer == peer; });
        if (ob == outbox_.end()) return;
        record.id = id;
        record.outgoing = true;
        record.body = ob->second->body;
        record.sent_ms = static_cast<std::int64_t>(ob->second->sent_ms);
        record.delivery = state;
        record.failure_text = failure_text;
    }
    persist({store::KvWrite::put(account_prefix() + "msg/" + peer + "/" + id, encode_json(message_json(record)))});
    changed();
}

// [SECTION] Receiving ------------------------------------------------------------------------------

void Client::on_items(std::vector<net::RetrievedItem> items) {
    if (!identity_) return;
    std::vector<store::KvWrite> batch;
    std::set<std::string> touched;
    for (auto& item : items) {
        if (item.ns != 0) continue;  // config namespaces: multi-device config sync comes later
        auto event = proto::decode_incoming(*identity_, item.data);
        if (!event) continue;  // not for us, tampered, unsupported: nothing to show
        const auto sender = event->sender.hex();
        const bool from_me = event->sender == identity_->session_id();
        std::visit(
            [&](auto&& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, proto::VisibleMessage>) {
                    if (body.body.empty()) return;  // attachments only: not shown yet
                    auto& c = conversation(sender);
                    if (!from_me && body.profile && !body.profile->display_name.empty())
                        c.name = body.profile->display_name;
                    MessageView m;
                    m.id = message_id(event->sent_ms, from_me);
                    m.outgoing = from_me;
                    m.body = body.body;
                    m.sent_ms = static_cast<std::int64_t>(event->sent_ms);
                    m.delivery = DeliveryState::Sent;
                    if (!from_me && !(foreground_ && open_peer_ == sender)) ++c.unread;
                    add_message(c, std::move(m), false, batch);
                    touched.insert(sender);
                } else if constexpr (std::is_same_v<T, proto::SyncedMessage>) {
                    if (!from_me || body.message.body.empty()) return;  // only we may sync to us
                    const auto peer = body.recipient.hex();
                    auto& c = conversation(peer);
                    MessageView m;
                    m.id = message_id(event->sent_ms, true);
                    m.outgoing = true;
                    m.body = body.message.body;
                    m.sent_ms = static_cast<std::int64_t>(event->sent_ms);
                    m.delivery = DeliveryState::Sent;
                    last_sent_ms_ = std::max(last_sent_ms_, event->sent_ms);
                    add_message(c, std::move(m), false, batch);
                    touched.insert(peer);
                } else if constexpr (std::is_same_v<T, proto::Unsend>) {
                    // Only the author may delete a message (§8.2); the protocol layer checked
                    // author == sender. Ours (from another device) may be in any conversation.
                    const auto id = message_id(body.timestamp, from_me);
                    for (auto& [peer, c] : conversations_) {
                        if (!from_me && peer != sender) continue;
                        auto m = std::find_if(c->messages.begin(), c->messages.end(),
                                              [&](const MessageView& x) { return x.id == id; });
                        if (m != c->messages.end()) c->messages.erase(m);
                        batch.push_back(store::KvWrite::erase(account_prefix() + "msg/" + peer + "/" + id));
                        changed();
                    }
                }
                // Typing, receipts, request responses, reactions, data extraction and timer updates
                // are decoded but not shown yet.
            },
            event->body);
    }
    for (const auto& peer : touched)
        batch.push_back(store::KvWrite::put(account_prefix() + "conv/" + peer,
                                            encode_json(conversation_json(*conversations_.at(peer)))));
    persist(std::move(batch));
}

void Client::on_poll_report(const net::PollReport& report) {
    if (report.nodes_answered > 0) {
        if (outbox_.empty() || !retry_timer_) set_network_state(Connectivity::Online, "Connected");
    } else if (!report.errors.empty()) {
        set_network_state(Connectivity::Offline, offline_sentence(report.errors.front()));
    }
    // A new view only if the path shown changed: hosts redraw on every new version, and a poll
    // every second that changed nothing visible must not cost a redraw.
    if (current_path() != view_.network.path) changed();
}

}  // namespace st::app
