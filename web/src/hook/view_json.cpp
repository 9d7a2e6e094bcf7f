// JSON for the browser test hook (see st/ui/view_json.hpp).
#include "st/ui/view_json.hpp"

#include <cmath>
#include <cstdio>

namespace st::ui {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0Fu; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07u; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

class Writer {
public:
    std::string out;

    void raw(std::string_view s) { out += s; }
    void str(std::string_view s) { out += json_string(s); }
    void key(std::string_view k) {
        comma();
        str(k);
        out += ':';
        fresh_ = true;
    }
    void num(std::int64_t v) {
        comma();
        out += std::to_string(v);
    }
    void num(double v) {
        comma();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", std::isfinite(v) ? v : 0.0);
        out += buf;
    }
    void boolean(bool v) {
        comma();
        out += v ? "true" : "false";
    }
    void null() {
        comma();
        out += "null";
    }
    void string(std::string_view s) {
        comma();
        str(s);
    }
    void begin(char c) {
        comma();
        out += c;
        fresh_ = true;
    }
    void end(char c) {
        out += c;
        fresh_ = false;
    }

private:
    void comma() {
        if (!fresh_) out += ',';
        fresh_ = false;
    }
    bool fresh_ = true;
};

void problem(Writer& w, const std::optional<app::Problem>& p) {
    if (!p) return w.null();
    w.begin('{');
    w.key("code");
    w.string(p->code);
    w.key("text");
    w.string(p->text);
    w.key("word_position");
    if (p->word_position) {
        w.num(static_cast<std::int64_t>(*p->word_position));
    } else {
        w.null();
    }
    w.end('}');
}

const char* step_name(app::OnboardingStep s) {
    switch (s) {
        case app::OnboardingStep::Welcome: return "welcome";
        case app::OnboardingStep::ShowPhrase: return "show_phrase";
        case app::OnboardingStep::EnterPhrase: return "enter_phrase";
        case app::OnboardingStep::ChooseName: return "choose_name";
        case app::OnboardingStep::LoadingAccount: return "loading_account";
    }
    return "";
}

const char* delivery_name(app::DeliveryState d) {
    switch (d) {
        case app::DeliveryState::Sending: return "sending";
        case app::DeliveryState::Sent: return "sent";
        case app::DeliveryState::Failed: return "failed";
        case app::DeliveryState::Read: return "read";
    }
    return "";
}

const char* disappearing_name(app::DisappearingMode d) {
    switch (d) {
        case app::DisappearingMode::Off: return "off";
        case app::DisappearingMode::AfterRead: return "after_read";
        case app::DisappearingMode::AfterSend: return "after_send";
    }
    return "";
}

const char* kind_name(app::MessageKind k) {
    switch (k) {
        case app::MessageKind::Text: return "text";
        case app::MessageKind::Deleted: return "deleted";
        case app::MessageKind::Notice: return "notice";
    }
    return "";
}

const char* clear_stage_name(app::ClearNetworkStage s) {
    switch (s) {
        case app::ClearNetworkStage::Idle: return "idle";
        case app::ClearNetworkStage::Working: return "working";
        case app::ClearNetworkStage::Failed: return "failed";
    }
    return "";
}

const char* connectivity_name(app::Connectivity c) {
    switch (c) {
        case app::Connectivity::Connecting: return "connecting";
        case app::Connectivity::Online: return "online";
        case app::Connectivity::Offline: return "offline";
    }
    return "";
}

}  // namespace

std::string json_string(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < 0x20) {
            switch (c) {
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default: {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    out += buf;
                }
            }
            ++i;
        } else {
            const std::size_t n = utf8_length(s, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD";  // U+FFFD for a byte that does not start valid UTF-8
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
        }
    }
    out += '"';
    return out;
}

std::string view_to_json(const app::AppView& view, std::size_t max_messages) {
    Writer w;
    w.begin('{');
    w.key("version");
    w.num(static_cast<std::int64_t>(view.version));
    w.key("loading");
    w.boolean(view.loading);

    w.key("account");
    if (view.account) {
        w.begin('{');
        w.key("session_id");
        w.string(view.account->session_id);
        w.key("display_name");
        w.string(view.account->display_name);
        w.key("phrase_unsaved");
        w.boolean(view.account->phrase_unsaved);
        w.key("other_tab_holds");
        w.boolean(view.account->other_tab_holds);
        w.end('}');
    } else {
        w.null();
    }
    w.key("accounts");
    w.begin('[');
    for (const auto& a : view.accounts) {
        w.begin('{');
        w.key("session_id");
        w.string(a.session_id);
        w.key("name");
        w.string(a.name);
        w.key("unread");
        w.num(static_cast<std::int64_t>(a.unread));
        w.key("shown");
        w.boolean(a.shown);
        w.key("locked");
        w.boolean(a.locked);
        w.key("lock_id");
        w.string(a.lock_id);
        w.end('}');
    }
    w.end(']');
    w.key("lock_screen");
    if (view.lock_screen) {
        w.begin('{');
        w.key("lock_id");
        w.string(view.lock_screen->lock_id);
        w.key("public_name");
        w.string(view.lock_screen->public_name);
        w.key("busy");
        w.boolean(view.lock_screen->busy);
        w.key("next_attempt_ms");
        w.num(view.lock_screen->next_attempt_ms);
        w.key("problem");
        problem(w, view.lock_screen->problem);
        w.end('}');
    } else {
        w.null();
    }
    w.key("adding_account");
    w.boolean(view.adding_account);
    w.key("account_fragment");
    w.string(view.account_fragment);

    const app::OnboardingView& ob = view.onboarding;
    w.key("onboarding");
    w.begin('{');
    w.key("step");
    w.string(step_name(ob.step));
    w.key("phrase");
    w.string(ob.step == app::OnboardingStep::ShowPhrase ? ob.phrase_to_show : std::string());
    w.key("new_session_id");
    w.string(ob.new_session_id);
    w.key("phrase_problem");
    problem(w, ob.phrase_problem);
    w.key("name_problem");
    problem(w, ob.name_problem);
    w.key("busy");
    w.boolean(ob.busy);
    w.end('}');

    const auto summaries = [&w](const std::vector<app::ConversationSummary>& list) {
        w.begin('[');
        for (const auto& c : list) {
            w.begin('{');
            w.key("peer_session_id");
            w.string(c.peer_session_id);
            w.key("title");
            w.string(c.title);
            w.key("last_message");
            w.string(c.last_message);
            w.key("last_ms");
            w.num(c.last_ms);
            w.key("unread");
            w.num(static_cast<std::int64_t>(c.unread));
            w.key("typing");
            w.boolean(c.typing);
            w.end('}');
        }
        w.end(']');
    };
    w.key("conversations");
    summaries(view.conversations);
    w.key("requests");
    summaries(view.requests);

    w.key("open");
    if (view.open) {
        const auto& open = *view.open;
        w.begin('{');
        w.key("peer_session_id");
        w.string(open.peer_session_id);
        w.key("title");
        w.string(open.title);
        w.key("draft");
        w.string(open.draft);
        w.key("is_request");
        w.boolean(open.is_request);
        w.key("awaiting_approval");
        w.boolean(open.awaiting_approval);
        w.key("blocked");
        w.boolean(open.blocked);
        w.key("typing");
        w.boolean(open.typing);
        w.key("display_name");
        w.string(open.display_name);
        w.key("nickname");
        w.string(open.nickname);
        w.key("has_older");
        w.boolean(open.has_older);
        w.key("loading");
        w.boolean(open.loading);
        w.key("disappearing");
        w.string(disappearing_name(open.disappearing));
        w.key("disappearing_seconds");
        w.num(static_cast<std::int64_t>(open.disappearing_seconds));
        w.key("disappearing_text");
        w.string(open.disappearing_text);
        w.key("disappearing_choices");
        w.begin('[');
        for (const auto& c : open.disappearing_choices) {
            w.begin('{');
            w.key("mode");
            w.string(disappearing_name(c.mode));
            w.key("seconds");
            w.num(static_cast<std::int64_t>(c.seconds));
            w.key("label");
            w.string(c.label);
            w.end('}');
        }
        w.end(']');
        w.key("message_count");
        w.num(static_cast<std::int64_t>(open.messages.size()));
        w.key("messages");
        w.begin('[');
        const std::size_t first =
            open.messages.size() > max_messages ? open.messages.size() - max_messages : 0;
        for (std::size_t i = first; i < open.messages.size(); ++i) {
            const auto& m = open.messages[i];
            w.begin('{');
            w.key("id");
            w.string(m.id);
            w.key("outgoing");
            w.boolean(m.outgoing);
            w.key("body");
            w.string(m.body);
            w.key("sent_ms");
            w.num(m.sent_ms);
            w.key("delivery");
            w.string(delivery_name(m.delivery));
            w.key("failure_text");
            w.string(m.failure_text);
            w.key("kind");
            w.string(kind_name(m.kind));
            w.key("disappearing");
            w.string(disappearing_name(m.disappearing));
            w.key("disappearing_seconds");
            w.num(static_cast<std::int64_t>(m.disappearing_seconds));
            w.key("expires_ms");
            w.num(m.expires_ms);
            w.end('}');
        }
        w.end(']');
        w.end('}');
    } else {
        w.null();
    }
    w.key("new_conversation_problem");
    problem(w, view.new_conversation_problem);
    w.key("resolving_name");
    w.boolean(view.resolving_name);

    // Settings as the panel shows them. The recovery phrase is there only while the core holds it
    // revealed (the Settings panel shows it then, and hides it when the panel is left); a test
    // checks what the screen shows, never more.
    const app::SettingsView& st = view.settings;
    w.key("settings");
    w.begin('{');
    w.key("typing_indicators");
    w.boolean(st.typing_indicators);
    w.key("read_receipts");
    w.boolean(st.read_receipts);
    w.key("blocked");
    w.begin('[');
    for (const auto& b : st.blocked) {
        w.begin('{');
        w.key("session_id");
        w.string(b.session_id);
        w.key("title");
        w.string(b.title);
        w.end('}');
    }
    w.end(']');
    w.key("recovery_phrase_shown");
    w.boolean(!st.recovery_phrase.empty());
    w.key("recovery_phrase");
    w.string(st.recovery_phrase);
    w.key("name_problem");
    problem(w, st.name_problem);
    w.key("version");
    w.string(st.version);
    w.key("build");
    w.string(st.build);
    w.key("site_fingerprint");
    w.string(st.site_fingerprint);
    const app::ClearNetworkView& cn = st.clear_network;
    w.key("passphrase_set");
    w.boolean(view.settings.passphrase_set);
    w.key("lock_after_minutes");
    w.num(static_cast<std::int64_t>(view.settings.lock_after_minutes));
    w.key("lock_busy");
    w.boolean(view.settings.lock_busy);
    w.key("lock_changes");
    w.num(static_cast<std::int64_t>(view.settings.lock_changes));
    w.key("lock_problem");
    problem(w, view.settings.lock_problem);
    w.key("clear_network");
    w.begin('{');
    w.key("stage");
    w.string(clear_stage_name(cn.stage));
    w.key("members");
    w.begin('[');
    for (const auto& m : cn.members) {
        w.begin('{');
        w.key("node");
        w.string(m.node);
        w.key("confirmed");
        w.boolean(m.confirmed);
        w.key("problem");
        w.string(m.problem);
        w.end('}');
    }
    w.end(']');
    w.key("problem");
    problem(w, cn.problem);
    w.end('}');
    w.end('}');

    const app::NetworkView& net = view.network;
    w.key("network");
    w.begin('{');
    w.key("state");
    w.string(connectivity_name(net.state));
    w.key("network_name");
    w.string(net.network_name);
    w.key("relay");
    w.string(net.relay);
    w.key("path");
    w.begin('[');
    for (const auto& hop : net.path) w.string(hop);
    w.end(']');
    w.key("status_text");
    w.string(net.status_text);
    w.key("outbox");
    w.num(static_cast<std::int64_t>(net.outbox));
    w.end('}');

    w.key("banner");
    problem(w, view.banner);

    w.key("link");
    w.begin('{');
    w.key("problem");
    problem(w, view.link.problem);
    w.key("offer_session_id");
    w.string(view.link.offer_session_id);
    w.key("offers");
    w.num(static_cast<std::int64_t>(view.link.offers));
    w.end('}');

    w.key("kiosk");
    w.begin('{');
    w.key("active");
    w.boolean(view.kiosk.active);
    w.key("ends_at_ms");
    w.num(view.kiosk.ends_at_ms);
    w.key("sessions_ended");
    w.num(static_cast<std::int64_t>(view.kiosk.sessions_ended));
    w.end('}');
    w.end('}');
    return std::move(w.out);
}

std::string rects_to_json(const UiState& state, float scale) {
    const double k = scale > 0 ? 1.0 / static_cast<double>(scale) : 1.0;
    Writer w;
    w.begin('[');
    for (const WidgetRect& r : state.rects) {
        w.begin('{');
        w.key("name");
        w.string(r.name);
        w.key("x");
        w.num(r.x * k);
        w.key("y");
        w.num(r.y * k);
        w.key("w");
        w.num(r.w * k);
        w.key("h");
        w.num(r.h * k);
        w.end('}');
    }
    w.end(']');
    return std::move(w.out);
}

}  // namespace st::ui
