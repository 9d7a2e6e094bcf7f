// The sidebar: who I am (opens my Session ID and QR code), the conversation list (virtualised:
// rows have one height, so ImGuiListClipper draws only the visible ones) and the network status.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

ImU32 connectivity_color(app::Connectivity c) {
    switch (c) {
        case app::Connectivity::Online: return palette::kAccent;
        case app::Connectivity::Connecting: return palette::kWarning;
        case app::Connectivity::Offline: return palette::kDanger;
    }
    return palette::kTextFaint;
}

const char* connectivity_word(app::Connectivity c) {
    switch (c) {
        case app::Connectivity::Online: return "Online";
        case app::Connectivity::Connecting: return "Connecting\xE2\x80\xA6";
        case app::Connectivity::Offline: return "Offline";
    }
    return "";
}

void header(Ctx& ctx, float width, float height) {
    const app::AccountView& account = *ctx.view.account;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float pad = ctx.px(16);
    const char* new_label = "New";
    const float new_w = ImGui::CalcTextSize(new_label).x + ImGui::GetStyle().FramePadding.x * 2;
    const char* settings_label = "Settings";
    const float settings_w =
        ImGui::CalcTextSize(settings_label).x + ImGui::GetStyle().FramePadding.x * 2;

    // Avatar, name and ID: one button that opens the account menu (the switcher, and "Your
    // Session ID").
    const float me_w = width - pad * 2 - new_w - settings_w - ctx.px(12);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad * 0.5f, origin.y + ctx.px(8)));
    if (ImGui::InvisibleButton("##me", ImVec2(me_w + pad * 0.5f, height - ctx.px(16)))) {
        ctx.ui.panel = ctx.ui.panel == Panel::Accounts ? Panel::None : Panel::Accounts;
    }
    track(ctx, "sidebar.accounts");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (ImGui::IsItemHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        dl->AddRectFilled(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), palette::kSurface,
                          ctx.px(8));
    }
    const float radius = ctx.px(18);
    const std::string& name = account.display_name.empty() ? account.session_id
                                                           : account.display_name;
    const ImVec2 centre(origin.x + pad + radius, origin.y + height * 0.5f);
    avatar(dl, centre, radius, name, ctx.body());
    // Unread messages of the other accounts: a dot on the avatar, the count in the menu.
    std::uint32_t elsewhere = 0;
    for (const auto& a : ctx.view.accounts)
        if (!a.shown) elsewhere += a.unread;
    if (elsewhere > 0) {
        const ImVec2 dot(centre.x + radius * 0.72f, centre.y - radius * 0.72f);
        dl->AddCircleFilled(dot, ctx.px(6), palette::kSidebar, 16);
        dl->AddCircleFilled(dot, ctx.px(4.5f), palette::kAccent, 16);
    }
    const float text_x = origin.x + pad + radius * 2 + ctx.px(10);
    const float text_w = me_w - (text_x - origin.x) + pad;
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float top = origin.y + (height - body->FontSize - small->FontSize - ctx.px(2)) * 0.5f;
    const std::string shown_name =
        ellipsize(body, account.display_name.empty() ? "No display name" : account.display_name,
                  text_w);
    dl->AddText(body, body->FontSize, ImVec2(text_x, top),
                account.display_name.empty() ? palette::kTextDim : palette::kText,
                shown_name.c_str());
    const std::string id = short_id(account.session_id);
    dl->AddText(small, small->FontSize, ImVec2(text_x, top + body->FontSize + ctx.px(2)),
                palette::kTextFaint, id.c_str());

    const float button_y = origin.y + (height - ImGui::GetFrameHeight()) * 0.5f;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - new_w - ctx.px(4) - settings_w, button_y));
    if (button(settings_label, ButtonKind::Link)) {
        ctx.ui.panel = ctx.ui.panel == Panel::Settings ? Panel::None : Panel::Settings;
    }
    track(ctx, "sidebar.settings");
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - new_w, button_y));
    if (button(new_label, ButtonKind::Primary)) {
        ctx.ui.panel = Panel::NewConversation;
    }
    track(ctx, "sidebar.new");
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
    dl->AddLine(ImVec2(origin.x, origin.y + height - 1), ImVec2(origin.x + width, origin.y + height - 1),
                palette::kBorder);
}

}  // namespace

float count_badge(Ctx& ctx, ImDrawList* dl, float right, float centre_y, std::uint32_t count) {
    if (count == 0) return 0;
    ImFont* small = ctx.small();
    const std::string text = count > 999 ? "999+" : std::to_string(count);
    const float text_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, text.c_str()).x;
    const float h = small->FontSize + ctx.px(6);
    const float w = std::max(h, text_w + ctx.px(12));
    const ImVec2 b0(right - w, centre_y - h * 0.5f);
    dl->AddRectFilled(b0, ImVec2(b0.x + w, b0.y + h), palette::kAccent, h * 0.5f);
    dl->AddText(small, small->FontSize, ImVec2(b0.x + (w - text_w) * 0.5f, b0.y + ctx.px(3)),
                palette::kOnAccent, text.c_str());
    return w;
}

void conversation_row(Ctx& ctx, const app::ConversationSummary& c, float width, float height,
                      bool selected, const char* name_prefix) {
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::PushID(c.peer_session_id.c_str());
    if (ImGui::InvisibleButton("##row", ImVec2(width, height))) {
        ctx.sink.push(app::intent::OpenConversation{c.peer_session_id});
        ctx.ui.panel = Panel::None;
    }
    track(ctx, name_prefix + c.peer_session_id);
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImGui::PopID();

    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (selected || hovered) {
        dl->AddRectFilled(a, ImVec2(a.x + width, a.y + height),
                          selected ? palette::kSelected : palette::kSurface);
    }
    const float pad = ctx.px(16);
    const float radius = ctx.px(22);
    avatar(dl, ImVec2(a.x + pad + radius, a.y + height * 0.5f), radius, c.title, ctx.body());
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float x = a.x + pad + radius * 2 + ctx.px(12);
    const float right = a.x + width - pad;
    const float line1 = a.y + (height - body->FontSize * 2 - ctx.px(4)) * 0.5f;
    const float line2 = line1 + body->FontSize + ctx.px(4);

    std::string when = c.last_ms > 0 ? list_time(c.last_ms, ctx.ui.clock) : std::string();
    const float when_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, when.c_str()).x;
    dl->AddText(small, small->FontSize, ImVec2(right - when_w, line1 + ctx.px(2)),
                c.unread > 0 ? palette::kAccent : palette::kTextFaint, when.c_str());
    const std::string title = ellipsize(body, c.title, right - x - when_w - ctx.px(8));
    dl->AddText(body, body->FontSize, ImVec2(x, line1), palette::kText, title.c_str());

    float badge_w = count_badge(ctx, dl, right, line2 + body->FontSize * 0.5f, c.unread);
    if (badge_w > 0) badge_w += ctx.px(8);
    // While they type, the preview says so (in the accent colour, as the official clients do).
    const std::string preview =
        ellipsize(body, c.typing ? kTypingText : c.last_message, right - x - badge_w);
    dl->AddText(body, body->FontSize, ImVec2(x, line2),
                c.typing ? palette::kAccent : palette::kTextDim, preview.c_str());
}

namespace {

void conversation_list(Ctx& ctx, ImVec2 size) {
    const auto& conversations = ctx.view.conversations;
    begin_region("conversations", size, palette::kSidebar, ImVec2(0, 0));
    // Requests wait in their own list; one row at the top says how many there are.
    if (!ctx.view.requests.empty()) {
        requests_row(ctx, ImGui::GetContentRegionAvail().x, ctx.px(56));
    }
    if (conversations.empty() && ctx.view.requests.empty()) {
        ImGui::SetCursorPos(ImVec2(ctx.px(20), ctx.px(24)));
        text_wrapped(ctx.body(), palette::kTextDim,
                     "No conversations yet. Press New and enter someone's Session ID to start "
                     "one.",
                     size.x - ctx.px(40));
    } else if (!conversations.empty()) {
        const float row_h = ctx.px(68);
        const std::string open = ctx.view.open ? ctx.view.open->peer_session_id : std::string();
        const float width = ImGui::GetContentRegionAvail().x;
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(conversations.size()), row_h);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& c = conversations[static_cast<std::size_t>(i)];
                conversation_row(ctx, c, width, row_h, c.peer_session_id == open, "conversation.");
            }
        }
        clipper.End();
        ImGui::PopStyleVar();
    }
    end_region();
}

void network_chip(Ctx& ctx, float width, float height) {
    const app::NetworkView& net = ctx.view.network;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(origin, ImVec2(origin.x + width, origin.y), palette::kBorder);
    if (ImGui::InvisibleButton("##network", ImVec2(width, height))) {
        ctx.ui.panel = ctx.ui.panel == Panel::Network ? Panel::None : Panel::Network;
    }
    track(ctx, "sidebar.network");
    if (ImGui::IsItemHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        dl->AddRectFilled(ImVec2(origin.x, origin.y + 1), ImVec2(origin.x + width, origin.y + height),
                          palette::kSurface);
    }
    const float pad = ctx.px(16);
    ImFont* small = ctx.small();
    const float mid = origin.y + height * 0.5f;
    dl->AddCircleFilled(ImVec2(origin.x + pad + ctx.px(4), mid), ctx.px(4),
                        connectivity_color(net.state), 12);
    float right = origin.x + width - pad;
    if (!net.network_name.empty()) {
        const float tag_w =
            small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, net.network_name.c_str()).x +
            ctx.px(12);
        const ImVec2 t0(right - tag_w, mid - small->FontSize * 0.5f - ctx.px(3));
        dl->AddRectFilled(t0, ImVec2(right, t0.y + small->FontSize + ctx.px(6)),
                          palette::kSurfaceHover, ctx.px(4));
        dl->AddText(small, small->FontSize, ImVec2(t0.x + ctx.px(6), t0.y + ctx.px(3)),
                    palette::kTextDim, net.network_name.c_str());
        right = t0.x - ctx.px(8);
    }
    std::string status = net.status_text.empty() ? connectivity_word(net.state) : net.status_text;
    if (net.outbox > 0) {
        status += " \xC2\xB7 " + std::to_string(net.outbox) + (net.outbox == 1 ? " message" : " messages") +
                  " waiting";
    }
    const float text_x = origin.x + pad + ctx.px(16);
    const std::string shown = ellipsize(small, status, right - text_x);
    dl->AddText(small, small->FontSize, ImVec2(text_x, mid - small->FontSize * 0.5f),
                palette::kTextDim, shown.c_str());
}

}  // namespace

void draw_sidebar(Ctx& ctx, ImVec2 size) {
    const float header_h = ctx.px(72);
    const float footer_h = ctx.px(44);
    header(ctx, size.x, header_h);
    const ImVec2 list(size.x, std::max(0.0f, size.y - header_h - footer_h));
    if (ctx.ui.contacts.show_requests) {
        draw_requests(ctx, list);
    } else {
        conversation_list(ctx, list);
    }
    ImGui::SetCursorPos(ImVec2(0, size.y - footer_h));
    network_chip(ctx, size.x, footer_h);
}

}  // namespace st::ui::detail
