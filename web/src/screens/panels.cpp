// Panels shown in place of the conversation: start a new conversation by Session ID (checked as
// it is typed), the own Session ID with a QR code, and the network status with the onion path.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "screens/screens.hpp"
#include "st/crypto/session_id.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

constexpr float kPanelCss = 560.0f;

// What to say about the Session ID typed so far. Only a complete or clearly wrong ID gets an
// error: while the person is still typing hex digits, a neutral count is shown instead.
struct IdCheck {
    bool valid = false;
    bool error = false;
    std::string message;
};

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// What the core accepts as an ONS name (core/src/app/account_session.cpp looks_like_ons_name, after
// session-desktop's onsNameRegex): word characters and hyphens, not starting or ending with a
// hyphen, at most 64 characters.
bool looks_like_ons_name(std::string_view s) {
    if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
}

IdCheck check_session_id(std::string_view typed) {
    IdCheck check;
    typed = trimmed(typed);
    // Hex that starts like a Session ID is a Session ID being typed (or mistyped), not a name: the
    // same rule as the core's.
    const bool all_hex = std::all_of(typed.begin(), typed.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    const bool hex_attempt = all_hex && (typed.size() >= 60 || typed.starts_with("05"));
    if (!typed.empty() && !hex_attempt) {
        if (looks_like_ons_name(typed)) {
            check.valid = true;
            check.message = "An ONS name: it will be looked up.";
        } else {
            check.error = true;
            check.message =
                "Not a Session ID or an ONS name. An ONS name has letters, digits, _ and -.";
        }
        return check;
    }
    const auto parsed = crypto::SessionId::parse(typed);
    if (parsed) {
        check.valid = true;
        check.message = "A valid Session ID.";
        return check;
    }
    const Error& e = parsed.error();
    if (e.code == "session_id.empty") return check;
    std::size_t digits = 0;
    for (char c : typed) digits += std::isxdigit(static_cast<unsigned char>(c)) ? 1 : 0;
    if (e.code == "session_id.bad_length" && digits < crypto::SessionId::kTextLength) {
        check.message = std::to_string(digits) + " of " +
                        std::to_string(crypto::SessionId::kTextLength) + " characters";
        return check;
    }
    check.error = true;
    check.message = e.message;
    return check;
}

void new_conversation(Ctx& ctx, float width, bool narrow) {
    UiState& ui = ctx.ui;
    if (panel_header(ctx, "New conversation", narrow ? "Back" : "Close", "panel.close")) {
        ui.panel = Panel::None;
        return;
    }
    ImGui::PushItemWidth(width);
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Enter the Session ID or ONS name of the person you want to write to. A "
                 "Session ID is 66 characters long and starts with 05.",
                 width);
    if (ImGui::IsWindowAppearing() || ui.new_conversation_text.empty()) {
        if (!ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
    }
    const bool enter = input_text("##session_id", ui.new_conversation_text,
                                  ImGuiInputTextFlags_EnterReturnsTrue,
                                  "Session ID or ONS name");
    track(ctx, "new_conversation.input");

    const IdCheck check = check_session_id(ui.new_conversation_text);
    const auto& core_problem = ctx.view.new_conversation_problem;
    const bool resolving = ctx.view.resolving_name;
    if (resolving) {
        text_wrapped(ctx.body(), palette::kTextDim, "Looking up the ONS name\xE2\x80\xA6", width);
        track(ctx, "new_conversation.resolving");
    } else if (core_problem && ui.new_conversation_submitted == ui.new_conversation_text) {
        problem_text(ctx, *core_problem, width);
    } else if (!check.message.empty()) {
        text_wrapped(ctx.body(),
                     check.error ? palette::kDanger
                                 : (check.valid ? palette::kAccent : palette::kTextFaint),
                     check.message, width);
    }
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    // One look-up at a time: the button waits while the core resolves a name.
    const bool can_start = check.valid && !resolving;
    if (button(resolving ? "Looking up\xE2\x80\xA6" : "Start conversation", ButtonKind::Primary,
               ImVec2(width, 0), can_start) ||
        (enter && can_start)) {
        ctx.sink.push(app::intent::StartConversation{ui.new_conversation_text});
        ui.new_conversation_submitted = ui.new_conversation_text;
    }
    track(ctx, "new_conversation.start");
    ImGui::PopItemWidth();
}

void my_id(Ctx& ctx, float width, bool narrow) {
    UiState& ui = ctx.ui;
    if (panel_header(ctx, "Your Session ID", narrow ? "Back" : "Close", "panel.close")) {
        ui.panel = Panel::None;
        return;
    }
    const app::AccountView& account = *ctx.view.account;
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Give this ID or QR code to people so they can message you. It is not a secret.",
                 width);
    if (!account.display_name.empty()) {
        text(ctx.title(), palette::kText, account.display_name);
    }
    // The ID in two halves of 33 characters, so it reads in chunks.
    const std::string& id = account.session_id;
    const ImVec2 box0 = ImGui::GetCursorScreenPos();
    const float pad = ctx.px(12);
    const std::string shown = id.size() == crypto::SessionId::kTextLength
                                  ? id.substr(0, 33) + "\n" + id.substr(33)
                                  : id;
    ImFont* body = ctx.body();
    const ImVec2 extent =
        body->CalcTextSizeA(body->FontSize, FLT_MAX, width - 2 * pad, shown.c_str());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(box0, ImVec2(box0.x + width, box0.y + extent.y + 2 * pad), palette::kSurface,
                      ctx.px(8));
    dl->AddText(body, body->FontSize, ImVec2(box0.x + pad, box0.y + pad), palette::kText,
                shown.c_str(), nullptr, width - 2 * pad);
    ImGui::Dummy(ImVec2(width, extent.y + 2 * pad));
    track(ctx, "my_id.text");
    const bool copied = copied_recently(ctx, "session_id");
    if (button(copied ? "Copied" : "Copy Session ID", ButtonKind::Secondary, ImVec2(width, 0))) {
        copy_to_clipboard(ctx, "session_id", id);
    }
    track(ctx, "my_id.copy");
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    const float side = std::min(width, ctx.px(240));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (width - side) * 0.5f);
    qr_code(ctx, id, side);
    track(ctx, "my_id.qr");
}

void network(Ctx& ctx, float width, bool narrow) {
    UiState& ui = ctx.ui;
    if (panel_header(ctx, "Network", narrow ? "Back" : "Close", "panel.close")) {
        ui.panel = Panel::None;
        return;
    }
    const app::NetworkView& net = ctx.view.network;
    const char* state = net.state == app::Connectivity::Online       ? "Online"
                        : net.state == app::Connectivity::Connecting ? "Connecting"
                                                                     : "Offline";
    const ImU32 state_color = net.state == app::Connectivity::Online       ? palette::kAccent
                              : net.state == app::Connectivity::Connecting ? palette::kWarning
                                                                           : palette::kDanger;
    text(ctx.title(), state_color, state);
    if (!net.status_text.empty()) text_wrapped(ctx.body(), palette::kTextDim, net.status_text, width);
    ImGui::Dummy(ImVec2(0, ctx.px(8)));

    const float label_w = ctx.px(120);
    auto row = [&](const char* label, const std::string& value) {
        const float x = ImGui::GetCursorPosX();
        text(ctx.body(), palette::kTextFaint, label);
        ImGui::SameLine(x + label_w);
        text_wrapped(ctx.body(), palette::kText, value.empty() ? "\xE2\x80\x94" : value,
                     width - label_w);
    };
    row("Network", net.network_name);
    row("Relay", net.relay);
    row("Waiting", net.outbox == 0 ? "No messages waiting to be sent"
                                   : std::to_string(net.outbox) +
                                         (net.outbox == 1 ? " message" : " messages") +
                                         " waiting to be sent");
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    text(ctx.title(), palette::kText, "Onion path");
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Requests leave this tab wrapped in one layer of encryption per node. The relay "
                 "only passes them to the first node and cannot read them; no node sees both "
                 "who you are and what you send.",
                 width);
    ImGui::Dummy(ImVec2(0, ctx.px(4)));

    // This tab → relay → guard → middle → exit, drawn as a vertical chain.
    std::vector<std::pair<std::string, std::string>> hops;
    hops.emplace_back("This tab", "");
    hops.emplace_back("Relay", net.relay);
    const char* roles[] = {"Guard", "Middle", "Exit"};
    for (std::size_t i = 0; i < net.path.size(); ++i) {
        hops.emplace_back(i < 3 ? roles[i] : "Node", net.path[i]);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float step = ctx.px(44);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    for (std::size_t i = 0; i < hops.size(); ++i) {
        const ImVec2 dot(origin.x + ctx.px(10), origin.y + step * static_cast<float>(i) + ctx.px(10));
        if (i + 1 < hops.size()) {
            dl->AddLine(dot, ImVec2(dot.x, dot.y + step), palette::kBorder, ctx.px(2));
        }
        const bool node = i >= 2;
        dl->AddCircleFilled(dot, ctx.px(6), node ? state_color : palette::kTextFaint, 16);
        dl->AddText(body, body->FontSize, ImVec2(dot.x + ctx.px(18), dot.y - body->FontSize * 0.5f),
                    palette::kText, hops[i].first.c_str());
        if (!hops[i].second.empty()) {
            const std::string detail =
                ellipsize(small, hops[i].second, width - ctx.px(40));
            dl->AddText(small, small->FontSize,
                        ImVec2(dot.x + ctx.px(18), dot.y + body->FontSize * 0.5f + ctx.px(2)),
                        palette::kTextFaint, detail.c_str());
        }
    }
    ImGui::Dummy(ImVec2(width, step * static_cast<float>(hops.size())));
    if (net.path.empty()) {
        text_wrapped(ctx.body(), palette::kTextFaint, "No path has been built yet.", width);
    }
}

// The account switcher (docs/accounts.md): every account of this browser with its name, short
// Session ID and unread count; a click shows it (the others keep receiving). The one on screen
// leads to its Session ID; each can be removed (Clear device for it alone, after a question);
// "Add account" creates or restores another.
void accounts(Ctx& ctx, float width, bool narrow) {
    UiState& ui = ctx.ui;
    if (panel_header(ctx, "Accounts", narrow ? "Back" : "Close", "panel.close")) {
        ui.panel = Panel::None;
        return;
    }
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Accounts in this browser. Each has its own Session ID, contacts and messages; "
                 "the ones not on screen keep receiving.",
                 width);
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float row_h = ctx.px(60);
    const char* remove_label = "Remove";
    const float remove_w = ImGui::CalcTextSize(remove_label).x + ImGui::GetStyle().FramePadding.x * 2;
    for (const auto& a : ctx.view.accounts) {
        ImGui::PushID(a.locked ? a.lock_id.c_str() : a.session_id.c_str());
        const ImVec2 r0 = ImGui::GetCursorScreenPos();
        const float row_w = width - remove_w - ctx.px(8);
        if (ImGui::InvisibleButton("##account", ImVec2(row_w, row_h))) {
            if (a.locked) {
                ctx.sink.push(app::intent::ShowLockedAccount{a.lock_id});
                ui.panel = Panel::None;
            } else if (a.shown) {
                ui.panel = Panel::MyId;
            } else {
                ctx.sink.push(app::intent::SwitchAccount{a.session_id});
                ui.panel = Panel::None;
            }
        }
        track(ctx, "accounts." + (a.locked ? "locked." + a.lock_id : a.session_id));
        const bool hovered = ImGui::IsItemHovered();
        if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        if (hovered || a.shown) {
            dl->AddRectFilled(r0, ImVec2(r0.x + row_w, r0.y + row_h),
                              a.shown ? palette::kSelected : palette::kSurface, ctx.px(8));
        }
        const float radius = ctx.px(18);
        const std::string& name = a.name.empty() ? a.session_id : a.name;
        avatar(dl, ImVec2(r0.x + ctx.px(8) + radius, r0.y + row_h * 0.5f), radius, name, body);
        const float x = r0.x + ctx.px(8) + radius * 2 + ctx.px(10);
        const float badge_w = count_badge(ctx, dl, r0.x + row_w - ctx.px(8), r0.y + row_h * 0.5f, a.unread);
        const float text_w = r0.x + row_w - ctx.px(8) - badge_w - ctx.px(8) - x;
        const float top = r0.y + (row_h - body->FontSize - small->FontSize - ctx.px(2)) * 0.5f;
        const std::string title = ellipsize(body, a.name.empty() ? "No display name" : a.name, text_w);
        dl->AddText(body, body->FontSize, ImVec2(x, top), a.name.empty() ? palette::kTextDim : palette::kText,
                    title.c_str());
        const std::string second = ellipsize(
            small, a.locked ? std::string("Locked with a passphrase")
                            : short_id(a.session_id) + (a.shown ? "  \xC2\xB7  On screen: your Session ID" : ""),
            text_w);
        dl->AddText(small, small->FontSize, ImVec2(x, top + body->FontSize + ctx.px(2)), palette::kTextFaint,
                    second.c_str());
        ImGui::SameLine(0, ctx.px(8));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (row_h - ImGui::GetFrameHeight()) * 0.5f);
        if (button(remove_label, ButtonKind::Link)) {
            ui.deletion.confirm = a.locked ? ConfirmWhat::RemoveLockedAccount : ConfirmWhat::RemoveAccount;
            ui.deletion.confirm_peer = a.locked ? a.lock_id : a.session_id;
            ui.deletion.confirm_title = a.name;
            ui.deletion.confirm_opened = false;
        }
        track(ctx, "accounts.remove." + (a.locked ? a.lock_id : a.session_id));
        ImGui::SetCursorScreenPos(ImVec2(r0.x, r0.y + row_h + ctx.px(4)));
        ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    if (button("Add account", ButtonKind::Secondary, ImVec2(width, 0))) {
        ctx.sink.push(app::intent::AddAccount{});
        ui.panel = Panel::None;
    }
    track(ctx, "accounts.add");
}

}  // namespace

void draw_panel(Ctx& ctx, ImVec2 size, bool narrow) {
    const float width = std::min(size.x - ctx.px(40), ctx.px(kPanelCss));
    begin_region("panel", size, palette::kBackground, ImVec2(ctx.px(20), ctx.px(16)));
    ImGui::BeginGroup();
    switch (ctx.ui.panel) {
        case Panel::NewConversation: new_conversation(ctx, width, narrow); break;
        case Panel::MyId: my_id(ctx, width, narrow); break;
        case Panel::Network: network(ctx, width, narrow); break;
        case Panel::Settings: settings_panel(ctx, width, narrow); break;
        case Panel::Accounts: accounts(ctx, width, narrow); break;
        case Panel::None: break;
    }
    ImGui::EndGroup();
    ImGui::Dummy(ImVec2(0, ctx.px(24)));
    end_region();
}

}  // namespace st::ui::detail
