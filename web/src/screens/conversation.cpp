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
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float text_w = origin.x + width - pad - close_w - ctx.px(8) - x;
    const float top = origin.y + (height - body->FontSize - small->FontSize - ctx.px(2)) * 0.5f;
    const std::string title = ellipsize(body, open.title, text_w);
    dl->AddText(body, body->FontSize, ImVec2(x, top), palette::kText, title.c_str());
    const std::string id = ellipsize(small, open.peer_session_id, text_w);
    dl->AddText(small, small->FontSize, ImVec2(x, top + body->FontSize + ctx.px(2)),
                palette::kTextFaint, id.c_str());
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

}  // namespace

void draw_conversation(Ctx& ctx, const app::OpenConversationView& open, ImVec2 size,
                       bool narrow) {
    UiState& ui = ctx.ui;
    if (ui.composer_peer != open.peer_session_id) {
        // Another conversation: its draft (kept by the core) becomes the composer's text.
        ui.composer_peer = open.peer_session_id;
        ui.composer = open.draft;
        ui.focus_composer = true;
    }
    mark_read(ctx, open);

    const float title_h = ctx.px(60);
    const float composer_h = composer_height(ctx, size.x) + ctx.px(24);
    title_bar(ctx, open, size.x, title_h, narrow);
    const float list_h = std::max(0.0f, size.y - title_h - composer_h);
    draw_message_list(ctx, open, ImVec2(size.x, list_h));
    ImGui::SetCursorPos(ImVec2(0, title_h + list_h));
    composer(ctx, open, size.x, composer_h);
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
