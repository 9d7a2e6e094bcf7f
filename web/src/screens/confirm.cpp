// The confirmation asked before anything is deleted: a message for me or for everyone, a
// conversation, the device, the device and the network. A small modal in the middle of the window
// with Cancel and the action, both named for tests ("confirm.cancel", "confirm.ok"); Escape cancels.
// The question names what goes and, for the whole account, whose account it is.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

struct Question {
    std::string title;
    std::string text;
    const char* action;
};

Question question(const Ctx& ctx, const DeletionUiState& d) {
    const std::string& who = d.confirm_title;
    std::string account;
    if (ctx.view.account) {
        const auto& a = *ctx.view.account;
        account = (a.display_name.empty() ? std::string("This account") : a.display_name) + " (" +
                  short_id(a.session_id) + ")";
    }
    switch (d.confirm) {
        case ConfirmWhat::DeleteForEveryone:
            return {"Delete for everyone?",
                    "Delete this message for everyone? It will be deleted for you and for " + who +
                        ".",
                    "Delete for everyone"};
        case ConfirmWhat::DeleteForMe:
            return {"Delete for me?",
                    "Delete this message from this device? " + who +
                        " keeps their copy.",
                    "Delete for me"};
        case ConfirmWhat::DeleteConversation:
            return {"Delete conversation?",
                    "Delete the conversation with " + who +
                        " and all its messages from this device? " + who + " keeps their copies.",
                    "Delete"};
        case ConfirmWhat::ClearDevice:
            return {"Clear device?",
                    account + ": everything of this account in this browser will be deleted: "
                              "messages, contacts, keys. Without your recovery phrase it is gone "
                              "for good.",
                    "Clear device"};
        case ConfirmWhat::ClearDeviceAndNetwork:
            return {"Clear device and network?",
                    account + ": everything of this account stored in the Session network will "
                              "be deleted first, then everything in this browser: messages, "
                              "contacts, keys. Without your recovery phrase it is gone for good.",
                    "Clear device and network"};
        case ConfirmWhat::RemoveAccount:
            return {"Remove account?",
                    (who.empty() ? std::string("This account") : who) + " (" + short_id(d.confirm_peer) +
                        "): everything of this account in this browser will be deleted: messages, "
                        "contacts, keys. Your other accounts stay. Without its recovery phrase it is "
                        "gone for good.",
                    "Remove account"};
        case ConfirmWhat::RemoveLockedAccount:
            return {"Remove locked account?",
                    "The locked account \"" + who + "\" and everything of it in this browser will be "
                    "deleted without asking its passphrase. Without its recovery phrase it is gone for good.",
                    "Remove account"};
        case ConfirmWhat::None: break;
    }
    return {"", "", ""};
}

void act(Ctx& ctx, const DeletionUiState& d) {
    switch (d.confirm) {
        case ConfirmWhat::DeleteForEveryone:
            ctx.sink.push(app::intent::DeleteForEveryone{d.confirm_peer, d.confirm_message});
            break;
        case ConfirmWhat::DeleteForMe:
            ctx.sink.push(app::intent::DeleteForMe{d.confirm_peer, d.confirm_message});
            break;
        case ConfirmWhat::DeleteConversation:
            ctx.sink.push(app::intent::DeleteConversation{d.confirm_peer});
            break;
        case ConfirmWhat::ClearDevice: ctx.sink.push(app::intent::ClearDevice{}); break;
        case ConfirmWhat::ClearDeviceAndNetwork:
            ctx.sink.push(app::intent::ClearDeviceAndNetwork{});
            break;
        case ConfirmWhat::RemoveAccount:
            ctx.sink.push(app::intent::RemoveAccount{d.confirm_peer});
            break;
        case ConfirmWhat::RemoveLockedAccount:
            ctx.sink.push(app::intent::RemoveLockedAccount{d.confirm_peer});
            break;
        case ConfirmWhat::None: break;
    }
}

void finish(Ctx& ctx, DeletionUiState& d) {
    const bool about_messages = d.confirm == ConfirmWhat::DeleteForEveryone ||
                                d.confirm == ConfirmWhat::DeleteForMe;
    d.confirm = ConfirmWhat::None;
    d.confirm_opened = false;
    d.confirm_message.clear();
    ImGui::CloseCurrentPopup();
    // Back to typing where the person was.
    if (about_messages && ctx.view.open) ctx.ui.focus_composer = true;
}

}  // namespace

void draw_confirmation(Ctx& ctx) {
    DeletionUiState& d = ctx.ui.deletion;
    if (d.confirm == ConfirmWhat::None) return;
    const bool about_locked = d.confirm == ConfirmWhat::RemoveLockedAccount;
    if (!ctx.view.account && !about_locked) {  // the account is gone (cleared): nothing left to ask about
        d.confirm = ConfirmWhat::None;
        d.confirm_opened = false;
        return;
    }
    float inner = 0;
    if (!begin_centered_modal(ctx, "##confirm", d.confirm_opened, 440, inner)) {
        d.confirm = ConfirmWhat::None;
        d.confirm_opened = false;
        return;
    }
    const Question q = question(ctx, d);
    text(ctx.title(), palette::kText, q.title);
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    text_wrapped(ctx.body(), palette::kTextDim, q.text, inner);
    ImGui::Dummy(ImVec2(inner, ctx.px(12)));
    track(ctx, "confirm.text");
    const ImGuiStyle& style = ImGui::GetStyle();
    const float cancel_w = ImGui::CalcTextSize("Cancel").x + style.FramePadding.x * 2;
    const float ok_w = ImGui::CalcTextSize(q.action).x + style.FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, inner - cancel_w - ok_w - ctx.px(8)));
    const bool cancel = button("Cancel", ButtonKind::Secondary);
    track(ctx, "confirm.cancel");
    ImGui::SameLine(0, ctx.px(8));
    const bool ok = button(q.action, ButtonKind::Danger);
    track(ctx, "confirm.ok");
    if (ok) {
        act(ctx, d);
        finish(ctx, d);
    } else if (cancel || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        finish(ctx, d);
    }
    ImGui::EndPopup();
}

}  // namespace st::ui::detail
