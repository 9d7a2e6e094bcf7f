// An open conversation: title bar, the message list and the composer (Enter sends, Shift+Enter
// starts a new line). The composer's text is mirrored to the core as a draft.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

const char* mode_heading(app::DisappearingMode mode) {
    switch (mode) {
        case app::DisappearingMode::Off: return "";
        case app::DisappearingMode::AfterRead: return "Disappear after read";
        case app::DisappearingMode::AfterSend: return "Disappear after send";
    }
    return "";
}

std::string choice_name(const app::DisappearingChoice& c) {
    switch (c.mode) {
        case app::DisappearingMode::Off: return "disappearing.off";
        case app::DisappearingMode::AfterRead:
            return "disappearing.after_read." + std::to_string(c.seconds);
        case app::DisappearingMode::AfterSend:
            return "disappearing.after_send." + std::to_string(c.seconds);
    }
    return "";
}

// The disappearing-messages menu: the choices the core offers, grouped (Off; after read; after
// send), the current one checked. Choosing one sends SetDisappearing.
void disappearing_menu(Ctx& ctx, const app::OpenConversationView& open) {
    text(ctx.small(), palette::kTextDim, "Disappearing messages");
    if (open.disappearing_choices.empty()) {
        text(ctx.body(), palette::kTextFaint, "Not available for this conversation.");
        return;
    }
    for (const auto mode : {app::DisappearingMode::Off, app::DisappearingMode::AfterRead,
                            app::DisappearingMode::AfterSend}) {
        bool heading = false;
        for (const auto& c : open.disappearing_choices) {
            if (c.mode != mode) continue;
            if (!heading) {
                ImGui::Separator();
                if (mode != app::DisappearingMode::Off) {
                    text(ctx.small(), palette::kTextFaint, mode_heading(mode));
                }
                heading = true;
            }
            const bool current = c.mode == open.disappearing &&
                                 (c.mode == app::DisappearingMode::Off ||
                                  c.seconds == open.disappearing_seconds);
            const std::string name = choice_name(c);
            ImGui::PushID(name.c_str());
            if (ImGui::MenuItem(c.label.c_str(), nullptr, current) && !current) {
                ctx.sink.push(
                    app::intent::SetDisappearing{open.peer_session_id, c.mode, c.seconds});
            }
            ImGui::PopID();
            track(ctx, name);
        }
    }
}

// The timer button (disappearing messages) and the conversation's menu (⋯) in the title bar,
// from the cursor rightwards.
void conversation_tools(Ctx& ctx, const app::OpenConversationView& open) {
    DeletionUiState& del = ctx.ui.deletion;
    const ImVec2 square(ImGui::GetFrameHeight(), 0);
    const bool on = open.disappearing != app::DisappearingMode::Off;
    if (button("\xE2\x8F\xB1##disappearing", on ? ButtonKind::Primary : ButtonKind::Secondary,
               square)) {
        del.open_disappearing = true;
    }
    track(ctx, "conversation.disappearing");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Disappearing messages");
    ImGui::SameLine(0, ctx.px(4));
    if (button("\xE2\x8B\xAF##menu", ButtonKind::Secondary, square)) {
        ImGui::OpenPopup("##conversation_menu");
    }
    track(ctx, "conversation.menu");
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ctx.px(12), ctx.px(10)));
    const bool conversation_menu_open = ImGui::BeginPopup("##conversation_menu");
    ImGui::PopStyleVar();
    if (conversation_menu_open) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
        if (ImGui::MenuItem("Disappearing messages\xE2\x80\xA6")) del.open_disappearing = true;
        track(ctx, "conversation.menu_disappearing");
        if (ImGui::MenuItem("Delete conversation\xE2\x80\xA6")) {
            del.confirm = ConfirmWhat::DeleteConversation;
            del.confirm_peer = open.peer_session_id;
            del.confirm_message.clear();
            del.confirm_title = open.title;
            del.confirm_opened = false;
        }
        track(ctx, "conversation.delete");
        ImGui::EndPopup();
    }
    if (del.open_disappearing) {
        ImGui::OpenPopup("##disappearing");
        del.open_disappearing = false;
    }
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ctx.px(12), ctx.px(10)));
    const bool disappearing_open = ImGui::BeginPopup("##disappearing");
    ImGui::PopStyleVar();
    if (disappearing_open) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) ImGui::CloseCurrentPopup();
        disappearing_menu(ctx, open);
        ImGui::EndPopup();
    }
}

void title_bar(Ctx& ctx, const app::OpenConversationView& open, float width, float height,
               bool narrow) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), palette::kSidebar);
    dl->AddLine(ImVec2(origin.x, origin.y + height - 1),
                ImVec2(origin.x + width, origin.y + height - 1), palette::kBorder);
    const float pad = ctx.px(16);
    float x = origin.x + pad;
    const float button_y = origin.y + (height - ImGui::GetFrameHeight()) * 0.5f;
    if (narrow) {
        ImGui::SetCursorScreenPos(ImVec2(x - ctx.px(8), button_y));
        if (button("Back", ButtonKind::Link)) ctx.sink.push(app::intent::CloseConversation{});
        track(ctx, "conversation.back");
        x = ImGui::GetItemRectMax().x + ctx.px(8);
    }
    const float radius = ctx.px(17);
    avatar(dl, ImVec2(x + radius, origin.y + height * 0.5f), radius, open.title, ctx.body());
    x += radius * 2 + ctx.px(12);

    const char* close_label = "Close";
    const float close_w =
        narrow ? 0 : ImGui::CalcTextSize(close_label).x + ImGui::GetStyle().FramePadding.x * 2;
    // The disappearing-messages timer and the conversation's menu, left of Close.
    const float tools_w = ImGui::GetFrameHeight() * 2 + ctx.px(4) + ctx.px(8);
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float text_w = origin.x + width - pad - close_w - tools_w - ctx.px(8) - x;
    const float top = origin.y + (height - body->FontSize - small->FontSize - ctx.px(2)) * 0.5f;
    // The title is a button: it opens the contact panel (nickname, block) under the bar.
    ImGui::SetCursorScreenPos(ImVec2(x - ctx.px(6), origin.y + ctx.px(6)));
    ContactsUiState& cs = ctx.ui.contacts;
    if (ImGui::InvisibleButton("##title", ImVec2(std::max(ctx.px(20), text_w + ctx.px(12)),
                                                 height - ctx.px(12)))) {
        cs.contact_open = !cs.contact_open;
        cs.contact_peer = open.peer_session_id;
        cs.nickname = open.nickname;
        cs.confirm_block = false;
    }
    track(ctx, "conversation.title");
    if (ImGui::IsItemHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        dl->AddRectFilled(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), palette::kSurface,
                          ctx.px(8));
    }
    const std::string title = ellipsize(body, open.title, text_w);
    dl->AddText(body, body->FontSize, ImVec2(x, top), palette::kText, title.c_str());
    // Under the title: "typing…" while they type, else who this is (blocked), the
    // disappearing-messages setting when on, or the ID.
    const bool timer = !open.typing && !open.blocked && !open.disappearing_text.empty();
    const std::string second = open.typing    ? std::string(kTypingText)
                               : open.blocked ? "Blocked \xC2\xB7 " + open.peer_session_id
                               : timer        ? "\xE2\x8F\xB1 " + open.disappearing_text
                                              : open.peer_session_id;
    const std::string id = ellipsize(small, second, text_w);
    const ImVec2 second_pos(x, top + body->FontSize + ctx.px(2));
    dl->AddText(small, small->FontSize, second_pos,
                open.typing ? palette::kAccent
                : open.blocked ? palette::kDanger
                : timer ? palette::kTextDim : palette::kTextFaint,
                id.c_str());
    if (timer) {
        ImGui::SetCursorScreenPos(second_pos);
        ImGui::Dummy(ImVec2(std::max(1.0f, small->CalcTextSizeA(small->FontSize, FLT_MAX, 0,
                                                                 id.c_str()).x),
                            small->FontSize));
        track(ctx, "conversation.disappearing_text");
    }
    ImGui::SetCursorScreenPos(
        ImVec2(origin.x + width - pad - close_w - (narrow ? 0 : ctx.px(8)) - tools_w + ctx.px(8), button_y));
    conversation_tools(ctx, open);
    if (!narrow) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - close_w, button_y));
        if (button(close_label, ButtonKind::Secondary)) {
            ctx.sink.push(app::intent::CloseConversation{});
        }
        track(ctx, "conversation.close");
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

// Asks the core to mark the conversation read while it is on screen, once per unread count.
void mark_read(Ctx& ctx, const app::OpenConversationView& open) {
    std::uint32_t unread = 0;
    for (const auto& c : ctx.view.conversations) {
        if (c.peer_session_id == open.peer_session_id) {
            unread = c.unread;
            break;
        }
    }
    // A request read here is marked read here too (the core sends no receipt to a request).
    for (const auto& c : ctx.view.requests) {
        if (c.peer_session_id == open.peer_session_id) unread = c.unread;
    }
    UiState& ui = ctx.ui;
    if (ui.mark_read_peer != open.peer_session_id) {
        ui.mark_read_peer = open.peer_session_id;
        ui.mark_read_unread = 0;
    }
    if (unread == 0) {
        ui.mark_read_unread = 0;
    } else if (unread > ui.mark_read_unread) {
        ctx.sink.push(app::intent::MarkRead{open.peer_session_id});
        ui.mark_read_unread = unread;
    }
}

// The composer grows with its text, by visual lines (long lines wrap at its width), up to this
// many; past that it scrolls.
constexpr int kComposerMaxLines = 6;

const char* const kSendLabel = "Send";

float composer_input_width(Ctx& ctx, float width) {
    const float send_w = ImGui::CalcTextSize(kSendLabel).x + ImGui::GetStyle().FramePadding.x * 2;
    return std::max(ctx.px(40), width - ctx.px(12) * 3 - send_w);
}

// Height of the composer's input for this frame's text, wrapped at its width.
float composer_height(Ctx& ctx, float width) {
    UiState& ui = ctx.ui;
    const int lines = wrap_input(ui.composer, ui.composer_wrap, ui.composer_buffer,
                                 ui.composer_active, composer_input_width(ctx, width));
    const float visible = static_cast<float>(std::clamp(lines, 1, kComposerMaxLines));
    return visible * ImGui::GetTextLineHeight() + ImGui::GetStyle().FramePadding.y * 2;
}

void composer(Ctx& ctx, const app::OpenConversationView& open, float width, float height) {
    UiState& ui = ctx.ui;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), palette::kSidebar);
    dl->AddLine(origin, ImVec2(origin.x + width, origin.y), palette::kBorder);

    const float pad = ctx.px(12);
    const char* send_label = kSendLabel;
    const float send_w = ImGui::CalcTextSize(send_label).x + ImGui::GetStyle().FramePadding.x * 2;
    const float input_h = composer_height(ctx, width);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + pad));
    if (ui.focus_composer) {
        ImGui::SetKeyboardFocusHere();
        ui.focus_composer = false;
    }
    // Enter sends: with CtrlEnterForNewLine ImGui treats a plain Enter as "done" and Ctrl+Enter
    // as a new line; Shift+Enter must also add a line, so the flag is dropped while Shift is down.
    ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
    if (!ImGui::GetIO().KeyShift) flags |= ImGuiInputTextFlags_CtrlEnterForNewLine;
    const std::string before = ui.composer;
    const bool enter =
        input_text_wrapped("##composer", ui.composer, ui.composer_wrap, ui.composer_buffer,
                           ui.composer_active, ImVec2(composer_input_width(ctx, width), input_h),
                           flags);
    track(ctx, "composer.input");
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    }
    if (ui.composer.empty() && !ImGui::IsItemActive()) {
        const ImVec2 hint_pos(ImGui::GetItemRectMin().x + ImGui::GetStyle().FramePadding.x,
                              ImGui::GetItemRectMin().y + ImGui::GetStyle().FramePadding.y);
        dl->AddText(hint_pos, palette::kTextFaint, "Message");
    }
    if (ui.composer != before) {
        ctx.sink.push(app::intent::UpdateDraft{open.peer_session_id, ui.composer});
    }
    const bool can_send = !trim(ui.composer).empty();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - send_w,
                                     origin.y + pad + input_h - ImGui::GetFrameHeight()));
    const bool clicked = button(send_label, ButtonKind::Primary, ImVec2(send_w, 0), can_send);
    track(ctx, "composer.send");
    if (enter) ui.focus_composer = true;  // Enter ends ImGui's edit; keep typing in place
    if ((enter || clicked) && can_send) {
        ctx.sink.push(app::intent::SendText{open.peer_session_id, std::string(trim(ui.composer))});
        ui.composer.clear();
        ctx.sink.push(app::intent::UpdateDraft{open.peer_session_id, std::string()});
        ui.messages.stick_to_bottom = true;
        ui.focus_composer = true;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

// Under the title bar when the title was clicked: the contact's names, a nickname editor and
// Block / Unblock (block asks first). Returns the height used.
float contact_panel(Ctx& ctx, const app::OpenConversationView& open, float width) {
    ContactsUiState& cs = ctx.ui.contacts;
    if (!cs.contact_open) return 0;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float pad = ctx.px(16);
    const float inner = std::min(width - pad * 2, ctx.px(560));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + ctx.px(12)));
    ImGui::BeginGroup();
    const std::string their = open.display_name.empty() ? std::string("(no display name)")
                                                        : open.display_name;
    text_wrapped(ctx.small(), palette::kTextDim, "Their display name: " + their, inner);
    text(ctx.small(), palette::kTextFaint, "Nickname (only you see it)");
    const char* save_label = "Save";
    const char* clear_label = "Remove";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float save_w = ImGui::CalcTextSize(save_label).x + style.FramePadding.x * 2;
    const float clear_w = ImGui::CalcTextSize(clear_label).x + style.FramePadding.x * 2;
    ImGui::PushItemWidth(std::max(ctx.px(60), inner - save_w - clear_w - ctx.px(16)));
    const bool enter = input_text("##nickname", cs.nickname, ImGuiInputTextFlags_EnterReturnsTrue,
                                  "Nickname");
    track(ctx, "contact.nickname_input");
    ImGui::PopItemWidth();
    ImGui::SameLine(0, ctx.px(8));
    const bool changed = cs.nickname != open.nickname;
    if (button(save_label, ButtonKind::Primary, ImVec2(0, 0), changed) || (enter && changed)) {
        ctx.sink.push(app::intent::SetNickname{open.peer_session_id, cs.nickname});
    }
    track(ctx, "contact.nickname_save");
    ImGui::SameLine(0, ctx.px(8));
    if (button(clear_label, ButtonKind::Secondary, ImVec2(0, 0), !open.nickname.empty())) {
        cs.nickname.clear();
        ctx.sink.push(app::intent::SetNickname{open.peer_session_id, std::string()});
    }
    track(ctx, "contact.nickname_clear");
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    if (open.blocked) {
        if (button("Unblock", ButtonKind::Secondary)) {
            ctx.sink.push(app::intent::UnblockContact{open.peer_session_id});
        }
        track(ctx, "contact.unblock");
    } else if (!cs.confirm_block) {
        if (button("Block", ButtonKind::Danger)) cs.confirm_block = true;
        track(ctx, "contact.block");
    } else {
        text_wrapped(ctx.body(), palette::kText,
                     "Block " + open.title + "? You will not receive their messages.", inner);
        if (button("Cancel", ButtonKind::Secondary)) cs.confirm_block = false;
        track(ctx, "contact.block_cancel");
        ImGui::SameLine(0, ctx.px(8));
        if (button("Block", ButtonKind::Danger)) {
            ctx.sink.push(app::intent::BlockContact{open.peer_session_id});
            cs.confirm_block = false;
        }
        track(ctx, "contact.block_confirm");
    }
    ImGui::EndGroup();
    const float height = ImGui::GetItemRectMax().y - origin.y + ctx.px(12);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), palette::kSidebar);
    dl->AddLine(ImVec2(origin.x, origin.y + height - 1), ImVec2(origin.x + width, origin.y + height - 1),
                palette::kBorder);
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
    return height;
}

// In place of the composer while the contact is blocked: nothing can be sent until unblocked.
void blocked_bar(Ctx& ctx, const app::OpenConversationView& open, float width, float height) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), palette::kSidebar);
    dl->AddLine(origin, ImVec2(origin.x + width, origin.y), palette::kBorder);
    const float pad = ctx.px(16);
    const char* label = "Unblock";
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    const float y = origin.y + (height - ImGui::GetFrameHeight()) * 0.5f;
    const std::string line =
        ellipsize(ctx.body(), "You blocked " + open.title + ".", width - pad * 3 - w);
    dl->AddText(ctx.body(), ctx.body()->FontSize,
                ImVec2(origin.x + pad, origin.y + (height - ctx.body()->FontSize) * 0.5f),
                palette::kTextDim, line.c_str());
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - w, y));
    if (button(label, ButtonKind::Secondary)) {
        ctx.sink.push(app::intent::UnblockContact{open.peer_session_id});
    }
    track(ctx, "conversation.unblock");
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

// A quiet line over the composer while our message request waits for their answer.
float awaiting_height(Ctx& ctx, const app::OpenConversationView& open) {
    return open.awaiting_approval && !open.is_request ? ctx.small()->FontSize + ctx.px(12) : 0.0f;
}

void awaiting_hint(Ctx& ctx, float width, float height) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImFont* small = ctx.small();
    const std::string line =
        ellipsize(small, "Your message request is pending until they reply or accept it.",
                  width - ctx.px(32));
    const float w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, line.c_str()).x;
    ImGui::GetWindowDrawList()->AddText(
        small, small->FontSize,
        ImVec2(origin.x + (width - w) * 0.5f, origin.y + (height - small->FontSize) * 0.5f),
        palette::kTextFaint, line.c_str());
    ImGui::Dummy(ImVec2(width, height));
    track(ctx, "conversation.awaiting_approval");
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

}  // namespace

void draw_conversation(Ctx& ctx, const app::OpenConversationView& open, ImVec2 size,
                       bool narrow) {
    UiState& ui = ctx.ui;
    if (ui.composer_peer != open.peer_session_id) {
        // Another conversation: its draft (kept by the core) becomes the composer's text.
        ui.composer_peer = open.peer_session_id;
        ui.composer = open.draft;
        ui.focus_composer = true;
        ui.deletion.selected_message.clear();  // the keyboard shortcuts' message was elsewhere
        ui.deletion.menu_message.clear();
    }
    ContactsUiState& cs = ui.contacts;
    if (cs.contact_peer != open.peer_session_id) {
        cs.contact_peer = open.peer_session_id;  // the contact panel belongs to one conversation
        cs.contact_open = false;
        cs.confirm_block = false;
    }
    mark_read(ctx, open);

    const float title_h = ctx.px(60);
    // A request shows Accept / Decline / Block over the composer (replying accepts it too); a
    // blocked contact gets an Unblock bar instead of the composer.
    const float request_h = request_bar_height(ctx, open, size.x);
    const float hint_h = awaiting_height(ctx, open);
    const float composer_h = open.blocked ? ImGui::GetFrameHeight() + ctx.px(28)
                                          : composer_height(ctx, size.x) + ctx.px(24);
    title_bar(ctx, open, size.x, title_h, narrow);
    const float panel_h = contact_panel(ctx, open, size.x);
    const float top = title_h + panel_h;
    const float list_h = std::max(0.0f, size.y - top - request_h - hint_h - composer_h);
    ImGui::SetCursorPos(ImVec2(0, top));
    draw_message_list(ctx, open, ImVec2(size.x, list_h));
    ImGui::SetCursorPos(ImVec2(0, top + list_h));
    if (request_h > 0) request_bar(ctx, open, size.x, request_h);
    if (hint_h > 0) awaiting_hint(ctx, size.x, hint_h);
    ImGui::SetCursorPos(ImVec2(0, top + list_h + request_h + hint_h));
    if (open.blocked) {
        blocked_bar(ctx, open, size.x, composer_h);
    } else {
        composer(ctx, open, size.x, composer_h);
    }
}

void draw_no_conversation(Ctx& ctx, ImVec2 size) {
    ImGui::SetCursorPos(ImVec2(0, size.y * 0.42f));
    text_centered(ctx.title(), palette::kTextDim, "No conversation open");
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    text_centered(ctx.body(), palette::kTextFaint,
                  "Choose one on the left, or start a new one with a Session ID.");
    ImGui::Dummy(ImVec2(0, ctx.px(12)));
    const char* label = "New conversation";
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX((size.x - w) * 0.5f);
    if (button(label, ButtonKind::Primary)) ctx.ui.panel = Panel::NewConversation;
    track(ctx, "main.new_conversation");
}

}  // namespace st::ui::detail
