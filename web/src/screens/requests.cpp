// Message requests (protocol §8.4), as the official clients show them: strangers' first messages
// wait in a list of their own, reached from a "Message requests" row at the top of the
// conversation list; an open request shows its messages with Accept, Decline and Block under them.
// Replying accepts it (the core does that when the message is sent).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {


}  // namespace

void requests_row(Ctx& ctx, float width, float height) {
    const ImVec2 a = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("##requests", ImVec2(std::max(1.0f, width), height))) {
        ctx.ui.contacts.show_requests = true;
        ctx.ui.contacts.confirm_clear_requests = false;
    }
    track(ctx, "sidebar.requests");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    dl->AddRectFilled(a, ImVec2(a.x + width, a.y + height),
                      hovered ? palette::kSurfaceHover : palette::kSurface);
    dl->AddLine(ImVec2(a.x, a.y + height - 1), ImVec2(a.x + width, a.y + height - 1),
                palette::kBorder);
    const float pad = ctx.px(16);
    const float radius = ctx.px(16);
    const float mid = a.y + height * 0.5f;
    // A speech bubble in a circle where the conversations have avatars (drawn: the UI font has no
    // icon glyphs).
    const ImVec2 c(a.x + pad + radius, mid);
    dl->AddCircleFilled(c, radius, palette::kSelected, 24);
    const float bw = radius * 0.95f, bh = radius * 0.7f;
    const ImVec2 b0(c.x - bw * 0.5f, c.y - bh * 0.6f);
    dl->AddRect(b0, ImVec2(b0.x + bw, b0.y + bh), palette::kAccent, ctx.px(3), 0, ctx.px(1.5f));
    dl->AddTriangleFilled(ImVec2(b0.x + bw * 0.25f, b0.y + bh - ctx.px(1)),
                          ImVec2(b0.x + bw * 0.5f, b0.y + bh - ctx.px(1)),
                          ImVec2(b0.x + bw * 0.22f, b0.y + bh + ctx.px(5)), palette::kAccent);
    ImFont* body = ctx.body();
    const float badge_w = count_badge(ctx, dl, a.x + width - pad, mid, static_cast<std::uint32_t>(ctx.view.requests.size()));
    const float x = a.x + pad + radius * 2 + ctx.px(12);
    const std::string label =
        ellipsize(body, "Message requests", a.x + width - pad - badge_w - ctx.px(8) - x);
    dl->AddText(body, body->FontSize, ImVec2(x, mid - body->FontSize * 0.5f), palette::kText,
                label.c_str());
}

void draw_requests(Ctx& ctx, ImVec2 size) {
    ContactsUiState& cs = ctx.ui.contacts;
    const auto& requests = ctx.view.requests;
    const float pad = ctx.px(16);
    const float head_h = ctx.px(48);
    const float foot_h = requests.empty()             ? 0.0f
                         : cs.confirm_clear_requests ? ImGui::GetFrameHeight() * 2 + ctx.px(28)
                                                     : ImGui::GetFrameHeight() + ctx.px(24);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();

    // Header: Back and the title.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad * 0.5f, origin.y + (head_h - ImGui::GetFrameHeight()) * 0.5f));
    if (button("Back", ButtonKind::Link)) {
        cs.show_requests = false;
        cs.confirm_clear_requests = false;
    }
    track(ctx, "requests.back");
    const float title_x = ImGui::GetItemRectMax().x + ctx.px(8);
    ImFont* title = ctx.title();
    const std::string heading =
        ellipsize(title, "Message requests", origin.x + size.x - pad - title_x);
    dl->AddText(title, title->FontSize, ImVec2(title_x, origin.y + (head_h - title->FontSize) * 0.5f),
                palette::kText, heading.c_str());
    dl->AddLine(ImVec2(origin.x, origin.y + head_h - 1), ImVec2(origin.x + size.x, origin.y + head_h - 1),
                palette::kBorder);

    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + head_h));
    const ImVec2 list(size.x, std::max(0.0f, size.y - head_h - foot_h));
    begin_region("requests", list, palette::kSidebar, ImVec2(0, 0));
    if (requests.empty()) {
        ImGui::SetCursorPos(ImVec2(ctx.px(20), ctx.px(24)));
        text_wrapped(ctx.body(), palette::kTextDim, "No pending message requests.",
                     list.x - ctx.px(40));
    } else {
        ImGui::SetCursorPos(ImVec2(ctx.px(16), ctx.px(10)));
        text_wrapped(ctx.small(), palette::kTextFaint,
                     "People you have not talked to yet. They do not know you saw their message "
                     "until you accept or reply.",
                     list.x - ctx.px(32));
        ImGui::Dummy(ImVec2(0, ctx.px(4)));
        const float row_h = ctx.px(68);
        const std::string open = ctx.view.open ? ctx.view.open->peer_session_id : std::string();
        const float width = ImGui::GetContentRegionAvail().x;
        ImGui::SetCursorPosX(0);
        ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(requests.size()), row_h);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& c = requests[static_cast<std::size_t>(i)];
                ImGui::SetCursorPosX(0);
                conversation_row(ctx, c, width, row_h, c.peer_session_id == open, "request.");
            }
        }
        clipper.End();
        ImGui::PopStyleVar();
    }
    end_region();

    if (requests.empty()) return;
    // Footer: "Clear all", which asks first (it deletes every request and its messages).
    const float foot_y = origin.y + size.y - foot_h;
    dl->AddLine(ImVec2(origin.x, foot_y), ImVec2(origin.x + size.x, foot_y), palette::kBorder);
    const float inner = size.x - pad * 2;
    if (!cs.confirm_clear_requests) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, foot_y + (foot_h - ImGui::GetFrameHeight()) * 0.5f));
        if (button("Clear all", ButtonKind::Danger, ImVec2(inner, 0))) cs.confirm_clear_requests = true;
        track(ctx, "requests.clear_all");
        return;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, foot_y + ctx.px(8)));
    const std::string question =
        ellipsize(ctx.body(),
                  requests.size() == 1 ? "Delete the request and its messages?"
                                       : "Delete all " + std::to_string(requests.size()) +
                                             " requests and their messages?",
                  inner);
    text(ctx.body(), palette::kText, question);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, foot_y + foot_h - ImGui::GetFrameHeight() - ctx.px(10)));
    const float half = (inner - ctx.px(8)) * 0.5f;
    if (button("Cancel", ButtonKind::Secondary, ImVec2(half, 0))) cs.confirm_clear_requests = false;
    track(ctx, "requests.clear_cancel");
    ImGui::SameLine(0, ctx.px(8));
    if (button("Clear all", ButtonKind::Danger, ImVec2(half, 0))) {
        ctx.sink.push(app::intent::ClearAllRequests{});
        cs.confirm_clear_requests = false;
    }
    track(ctx, "requests.clear_confirm");
}

namespace {
constexpr const char* kRequestText =
    "wants to message you. Accept or reply to talk; they will not know you read it until you do.";
}

float request_bar_height(Ctx& ctx, const app::OpenConversationView& open, float width) {
    if (!open.is_request) return 0;
    ImFont* small = ctx.small();
    const std::string sentence = open.title + " " + kRequestText;
    const float text_h =
        small->CalcTextSizeA(small->FontSize, FLT_MAX, width - ctx.px(32), sentence.c_str()).y;
    return text_h + ImGui::GetFrameHeight() + ctx.px(32);
}

void request_bar(Ctx& ctx, const app::OpenConversationView& open, float width, float height) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), palette::kSidebar);
    dl->AddLine(origin, ImVec2(origin.x + width, origin.y), palette::kBorder);
    const float pad = ctx.px(16);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + ctx.px(10)));
    text_wrapped(ctx.small(), palette::kTextDim, open.title + " " + kRequestText, width - pad * 2);
    // Three equal buttons across the bar (as the official clients lay them out).
    const float gap = ctx.px(8);
    const float w = std::max(ctx.px(40), (width - pad * 2 - gap * 2) / 3.0f);
    const float y = origin.y + height - ImGui::GetFrameHeight() - ctx.px(12);
    const std::string& peer = open.peer_session_id;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, y));
    if (button("Accept", ButtonKind::Primary, ImVec2(w, 0))) {
        ctx.sink.push(app::intent::AcceptRequest{peer});
    }
    track(ctx, "request.accept");
    ImGui::SameLine(0, gap);
    // Decline and Block remove the request (and close it: the core closes a declined request).
    if (button("Decline", ButtonKind::Secondary, ImVec2(w, 0))) {
        ctx.sink.push(app::intent::DeclineRequest{peer});
    }
    track(ctx, "request.decline");
    ImGui::SameLine(0, gap);
    if (button("Block", ButtonKind::Danger, ImVec2(w, 0))) {
        ctx.sink.push(app::intent::BlockContact{peer});
    }
    track(ctx, "request.block");
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

}  // namespace st::ui::detail
