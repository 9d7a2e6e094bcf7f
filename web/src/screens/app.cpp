// draw_app(): the whole window. Picks the screen (loading, onboarding, main), lays out the main
// screen (sidebar + conversation, or one of them on a narrow window) and shows app-wide problems.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "screens/screens.hpp"
#include "st/base/secret.hpp"
#include "st/ui/ui.hpp"
#include "theme/palette.hpp"

namespace st::ui {
namespace detail {
namespace {

// Below this width (CSS pixels) the sidebar and the conversation take turns on screen.
constexpr float kNarrowCss = 720.0f;

// Keeps UiState in step with what the view says happened since the last frame.
void follow_view(Ctx& ctx) {
    UiState& ui = ctx.ui;
    const app::AppView& view = ctx.view;
    const auto step = view.onboarding.step;
    if (view.account || step != app::OnboardingStep::EnterPhrase) wipe_secret(ui.restore_phrase);
    if (view.account || step != ui.seen_step) ui.display_name.clear();
    ui.seen_step = step;

    // Another account on screen (the switcher, a link, a removal): nothing of the previous one's
    // panels, menus, questions or typing carries over.
    const std::string account = view.account ? view.account->session_id : std::string();
    if (account != ui.seen_account) {
        if (!ui.seen_account.empty() && !account.empty()) {
            ui.panel = Panel::None;
            ui.contacts = ContactsUiState{};
            ui.deletion = DeletionUiState{};
            ui.new_conversation_text.clear();
            ui.new_conversation_submitted.clear();
            ui.composer_peer.clear();
            ui.qr_text.clear();
        }
        ui.seen_account = account;
    }

    const std::string open_peer = view.open ? view.open->peer_session_id : std::string();
    if (open_peer != ui.seen_open_peer) {
        if (!open_peer.empty() && ui.panel == Panel::NewConversation) {
            // The conversation just started is now open: the panel did its job.
            ui.panel = Panel::None;
            ui.new_conversation_text.clear();
            ui.new_conversation_submitted.clear();
        }
        // Closed: opening it again later is a new visit, so the composer takes the keyboard
        // (draw_conversation focuses it when its peer changes) and shows the stored draft.
        if (open_peer.empty()) ui.composer_peer.clear();
        ui.seen_open_peer = open_peer;
    }
}

// A link offered to start a conversation (docs/links.md): the New conversation panel, filled in,
// so the person sees who it is and decides.
void follow_link(Ctx& ctx) {
    UiState& ui = ctx.ui;
    const app::LinkView& link = ctx.view.link;
    if (link.offers == ui.link_offers_seen) return;
    ui.link_offers_seen = link.offers;
    if (link.offer_session_id.empty() || !ctx.view.account) return;
    ui.panel = Panel::NewConversation;
    ui.new_conversation_text = link.offer_session_id;
    ui.new_conversation_submitted.clear();
}

// A link that was refused: what is wrong, and a button to put it away.
float draw_link_problem(Ctx& ctx, const app::Problem& problem, float width) {
    int pressed = -1;
    const float height = notice_bar(ctx, width, palette::kWarningBg, problem.text, "link.problem",
                                    {{"Dismiss", ButtonKind::Secondary, "link.dismiss"}}, pressed);
    if (pressed == 0) ctx.sink.push(app::intent::DismissLinkProblem{});
    return height;
}

float draw_banner(Ctx& ctx, const app::Problem& problem, float width) {
    int pressed = -1;
    return notice_bar(ctx, width, palette::kWarningBg, problem.text, "banner", {}, pressed);
}

// A "Try it now" account whose phrase was not saved: a reminder on every screen of the account,
// with the two ways out — save the phrase (Settings) or delete the account (confirmed first).
float draw_trial_bar(Ctx& ctx, float width) {
    int pressed = -1;
    const float height = notice_bar(
        ctx, width, palette::kWarningBg,
        "This is a trial account. Save its recovery phrase to keep it, or delete it when you are done.",
        "trial.reminder",
        {{"Save phrase", ButtonKind::Primary, "trial.save"}, {"Delete account", ButtonKind::Secondary, "trial.delete"}},
        pressed);
    if (pressed == 0) ctx.ui.panel = Panel::Settings;
    if (pressed == 1) ctx.ui.deletion.confirm = ConfirmWhat::ClearDevice;
    return height;
}

void draw_loading(Ctx& ctx, ImVec2 size) {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + size.y * 0.45f);
    text_centered(ctx.body(), palette::kTextDim, "Loading\xE2\x80\xA6");
}

void draw_main(Ctx& ctx, ImVec2 size) {
    UiState& ui = ctx.ui;
    const bool narrow = size.x < ctx.px(kNarrowCss);
    const bool right_wanted = ui.panel != Panel::None || ctx.view.open.has_value();
    const ImVec2 origin = ImGui::GetCursorPos();

    float sidebar_w = std::clamp(size.x * 0.32f, ctx.px(280), ctx.px(380));
    if (narrow) sidebar_w = right_wanted ? 0.0f : size.x;
    if (sidebar_w > 0) {
        begin_region("sidebar", ImVec2(sidebar_w, size.y), palette::kSidebar, ImVec2(0, 0),
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        draw_sidebar(ctx, ImVec2(sidebar_w, size.y));
        end_region();
    }
    const float right_w = size.x - sidebar_w;
    if (right_w <= 0) return;
    ImGui::SetCursorPos(ImVec2(origin.x + sidebar_w, origin.y));
    const ImVec2 right(right_w, size.y);
    begin_region("main", right, palette::kBackground, ImVec2(0, 0),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    if (ui.panel != Panel::None) {
        draw_panel(ctx, right, narrow);
    } else if (ctx.view.open) {
        draw_conversation(ctx, *ctx.view.open, right, narrow);
    } else {
        draw_no_conversation(ctx, right);
    }
    end_region();
}

}  // namespace

void begin_region(const char* id, ImVec2 size, ImU32 background, ImVec2 padding,
                  ImGuiWindowFlags flags) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, background);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
    if (padding.x > 0 || padding.y > 0) flags |= ImGuiWindowFlags_AlwaysUseWindowPadding;
    ImGui::BeginChild(id, size, false, flags);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void end_region() { ImGui::EndChild(); }

bool panel_header(Ctx& ctx, const char* title, const char* close_label, const char* close_name) {
    ImGui::PushFont(ctx.title());
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetStyle().FramePadding.y);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    const float label_w = ImGui::CalcTextSize(close_label).x + ImGui::GetStyle().FramePadding.x * 2;
    // Right-aligned inside the region's padding (the style's WindowPadding was the region's only
    // while it began, so ask the window).
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float right = window->Pos.x + window->Size.x - window->WindowPadding.x;
    ImGui::SameLine();
    ImGui::SetCursorScreenPos(ImVec2(right - label_w, ImGui::GetCursorScreenPos().y -
                                                          ImGui::GetStyle().FramePadding.y));
    const bool pressed = button(close_label, ButtonKind::Secondary);
    track(ctx, close_name);
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    return pressed;
}

void wipe_secret(std::string& secret) {
    if (secret.capacity() == 0) return;
    // Best effort: the bytes in the buffer go; copies ImGui or an earlier reallocation made
    // cannot be reached from here.
    secret.resize(secret.capacity());  // within capacity: no reallocation, no copy
    secure_zero(secret.data(), secret.size());
    secret.clear();
    secret.shrink_to_fit();
}

}  // namespace detail

void draw_app(const app::AppView& view, UiState& state, app::IntentSink& sink) {
    using namespace detail;
    state.rects.clear();
    state.redraw_at_ms = 0;
    forget_ended_kiosk_session(view, state);
    Ctx ctx{view, state, sink, state.scale};
    follow_view(ctx);
    follow_settings(ctx);
    follow_lock(ctx);
    follow_link(ctx);

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    const ImGuiWindowFlags flags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::Begin("Session Tab", nullptr, flags);
    ImGui::PushFont(ctx.body());

    ImVec2 size = viewport->Size;
    if (view.kiosk.active) size.y -= draw_kiosk_bar(ctx, size.x);
    if (view.banner) size.y -= draw_banner(ctx, *view.banner, size.x);
    if (view.link.problem) size.y -= draw_link_problem(ctx, *view.link.problem, size.x);
    if (view.account && view.account->phrase_unsaved && !view.loading) size.y -= draw_trial_bar(ctx, size.x);
    if (view.loading) {
        draw_loading(ctx, size);
    } else if (!view.account && view.lock_screen) {
        draw_lock_screen(ctx, size);
    } else if (!view.account) {
        draw_onboarding(ctx, size);
    } else {
        draw_main(ctx, size);
    }
    draw_confirmation(ctx);
    draw_kiosk_countdown(ctx);

    ImGui::PopFont();
    ImGui::End();
}

const WidgetRect* find_rect(const UiState& state, std::string_view name) {
    for (const WidgetRect& r : state.rects) {
        if (r.name == name) return &r;
    }
    return nullptr;
}

}  // namespace st::ui
