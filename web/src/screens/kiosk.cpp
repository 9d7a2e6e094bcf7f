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
    int pressed = -1;
    const float height = notice_bar(ctx, width, palette::kSurface,
                                    "Kiosk mode: nothing you do here is kept on this computer.", "kiosk.banner",
                                    {{"End session", ButtonKind::Secondary, "kiosk.end_session"}}, pressed);
    if (pressed == 0) ctx.sink.push(app::intent::EndKioskSession{});
    return height;
}

void draw_kiosk_countdown(Ctx& ctx) {
    const std::int64_t ends = ctx.view.kiosk.ends_at_ms;
    if (ends == 0) {
        ctx.ui.kiosk_countdown_open = false;
        return;
    }
    const std::int64_t left_ms = std::max<std::int64_t>(ends - ctx.ui.clock.now_ms, 0);
    const std::int64_t seconds = (left_ms + 999) / 1000;
    // The text changes when the whole seconds do: one frame then, none in between.
    if (left_ms > 0) redraw_at(ctx, ends - (seconds - 1) * 1000);

    float inner = 0;
    if (!begin_centered_modal(ctx, "##kiosk_countdown", ctx.ui.kiosk_countdown_open, 420, inner)) return;
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
