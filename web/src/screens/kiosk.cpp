// Kiosk mode on screen (docs/kiosk.md): a bar that says nothing is kept, with "End session"; the
// countdown before an idle session is wiped; and, when a session ended, the UI's own copies of
// what the person typed are dropped as the core dropped its own.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "st/base/secret.hpp"
#include "st/ui/ui.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

void zero(std::string& s) {
    s.resize(s.capacity());
    secure_zero(s.data(), s.size());
    s.clear();
}

template <class T>
void zero(ImVector<T>& v) {
    if (!v.empty()) secure_zero(v.Data, static_cast<std::size_t>(v.size_in_bytes()));
}

}  // namespace

void forget_ended_kiosk_session(const app::AppView& view, UiState& state) {
    if (view.kiosk.sessions_ended == state.kiosk_sessions_seen) return;
    // Every text field's content, then all of the UI's own state; what the host set stays.
    for (std::string* s : {&state.restore_phrase, &state.display_name, &state.new_conversation_text,
                           &state.new_conversation_submitted, &state.composer, &state.composer_buffer})
        zero(*s);
    UiState fresh;
    fresh.scale = state.scale;
    fresh.clock = state.clock;
    fresh.fonts = state.fonts;
    fresh.kiosk_sessions_seen = view.kiosk.sessions_ended;
    state = std::move(fresh);
    // ImGui keeps its own copy of the field being edited.
    if (ImGuiContext* g = ImGui::GetCurrentContext()) {
        ImGui::ClearActiveID();
        ImGuiInputTextState& edit = g->InputTextState;
        zero(edit.TextW);
        zero(edit.TextA);
        zero(edit.InitialTextA);
        edit.CurLenW = edit.CurLenA = 0;
        edit.ID = 0;
    }
}

float draw_kiosk_bar(Ctx& ctx, float width) {
    const float pad = ctx.px(8);
    const char* label = "End session";
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button_w = ImGui::CalcTextSize(label).x + style.FramePadding.x * 2;
    const float button_h = ImGui::GetFrameHeight();
    const char* what = "Kiosk mode: nothing you do here is kept on this computer.";
    const float text_w = std::max(ctx.px(80), width - 3 * pad - button_w);
    ImFont* font = ctx.body();
    const float text_h = font->CalcTextSizeA(font->FontSize, FLT_MAX, text_w, what).y;
    const float height = std::max(text_h, button_h) + 2 * pad;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height),
                                              palette::kSurface);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + pad, origin.y + (height - text_h) * 0.5f));
    text_wrapped(font, palette::kText, what, text_w);
    track(ctx, "kiosk.banner");
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - pad - button_w, origin.y + (height - button_h) * 0.5f));
    if (button(label, ButtonKind::Secondary)) ctx.sink.push(app::intent::EndKioskSession{});
    track(ctx, "kiosk.end_session");
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
    return height;
}

void draw_kiosk_countdown(Ctx& ctx) {
    const std::int64_t ends = ctx.view.kiosk.ends_at_ms;
    constexpr const char* kId = "##kiosk_countdown";
    if (ends == 0) {
        ctx.ui.kiosk_countdown_open = false;
        return;
    }
    if (!ctx.ui.kiosk_countdown_open) {
        ImGui::OpenPopup(kId);
        ctx.ui.kiosk_countdown_open = true;
    }
    const std::int64_t left_ms = std::max<std::int64_t>(ends - ctx.ui.clock.now_ms, 0);
    const std::int64_t seconds = (left_ms + 999) / 1000;
    // The text changes when the whole seconds do: one frame then, none in between.
    if (left_ms > 0) redraw_at(ctx, ends - (seconds - 1) * 1000);

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float width = std::max(ctx.px(200), std::min(ctx.px(420), vp->Size.x - ctx.px(32)));
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, FLT_MAX));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ctx.px(20), ctx.px(16)));
    const bool open = ImGui::BeginPopupModal(
        kId, nullptr,
        ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
            ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PopStyleVar();
    if (!open) return;
    const float inner = width - ctx.px(40);
    text(ctx.title(), palette::kText, "Are you still there?");
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    const std::string body = "This session ends in " + std::to_string(seconds) +
                             (seconds == 1 ? " second" : " seconds") +
                             ", and everything in it is erased from this computer.";
    text_wrapped(ctx.body(), palette::kTextDim, body, inner);
    track(ctx, "kiosk.countdown");
    ImGui::Dummy(ImVec2(inner, ctx.px(12)));
    const ImGuiStyle& style = ImGui::GetStyle();
    const float end_w = ImGui::CalcTextSize("End now").x + style.FramePadding.x * 2;
    const float keep_w = ImGui::CalcTextSize("Continue").x + style.FramePadding.x * 2;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, inner - end_w - keep_w - ctx.px(8)));
    const bool end = button("End now", ButtonKind::Secondary);
    track(ctx, "kiosk.end_now");
    ImGui::SameLine(0, ctx.px(8));
    const bool keep = button("Continue", ButtonKind::Primary);
    track(ctx, "kiosk.continue");
    if (end) {
        ctx.sink.push(app::intent::EndKioskSession{});
        ImGui::CloseCurrentPopup();
    } else if (keep || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
        ctx.sink.push(app::intent::KeepKioskSession{});
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace st::ui::detail
