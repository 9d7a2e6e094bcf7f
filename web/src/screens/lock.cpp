// The passphrase lock on screen (docs/lock.md): the lock screen of a locked account (its public
// name, the passphrase, "Unlocking…", why it failed or how long to wait, the other accounts, and
// removing it), and the Settings section that turns the lock on, locks now, sets the idle time,
// changes and removes the passphrase. Typed passphrases are wiped as soon as they are not needed.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

constexpr float kLockCardCss = 420.0f;

bool password(Ctx& ctx, const char* id, std::string& text, const char* hint, const char* name, float width) {
    ImGui::PushItemWidth(width);
    const bool enter = input_text(id, text, ImGuiInputTextFlags_Password | ImGuiInputTextFlags_EnterReturnsTrue, hint);
    track(ctx, name);
    ImGui::PopItemWidth();
    return enter;
}

}  // namespace

void follow_lock(Ctx& ctx) {
    UiState& ui = ctx.ui;
    if (!ctx.view.lock_screen || ctx.view.account) {
        wipe_secret(ui.unlock_passphrase);
        if (ui.onboarding_drawn_step == -2) ui.onboarding_drawn_step = -1;  // focus again next visit
    }
    const bool settings_open = ctx.view.account && ui.panel == Panel::Settings;
    if (!settings_open || ctx.view.settings.lock_changes != ui.lock_changes_seen) {
        ui.lock_changes_seen = ctx.view.settings.lock_changes;
        wipe_secret(ui.lock_new);
        wipe_secret(ui.lock_repeat);
        wipe_secret(ui.lock_old);
        if (!settings_open) ui.lock_name.clear();
    }
}

void draw_lock_screen(Ctx& ctx, ImVec2 size) {
    const app::LockScreenView& lock = *ctx.view.lock_screen;
    UiState& ui = ctx.ui;
    const float width = std::min(size.x - ctx.px(32), ctx.px(kLockCardCss));
    begin_region("lock_screen", size, palette::kBackground, ImVec2(0, 0));
    ImGui::SetCursorPos(ImVec2(std::max(ctx.px(16), (size.x - width) * 0.5f), std::max(ctx.px(24), size.y * 0.16f)));
    ImGui::BeginGroup();
    ImGui::PushFont(ctx.title());
    ImGui::TextUnformatted(lock.public_name.empty() ? "Locked account" : lock.public_name.c_str());
    ImGui::PopFont();
    text_wrapped(ctx.body(), palette::kTextDim,
                 "This account is locked with a passphrase. Its messages, contacts and keys are stored "
                 "encrypted in this browser; enter the passphrase to open it.",
                 width);
    ImGui::Dummy(ImVec2(0, ctx.px(8)));
    const std::int64_t wait_ms = lock.next_attempt_ms > 0 ? lock.next_attempt_ms - ui.clock.now_ms : 0;
    const bool can_try = !lock.busy && wait_ms <= 0;
    if (ui.onboarding_drawn_step != -2) {
        ImGui::SetKeyboardFocusHere();
        ui.onboarding_drawn_step = -2;  // focus once per visit (the onboarding steps use >= 0)
    }
    const bool enter = password(ctx, "##unlock", ui.unlock_passphrase, "Passphrase", "lock.passphrase", width);
    if (button(lock.busy ? "Unlocking\xE2\x80\xA6" : "Unlock", ButtonKind::Primary, ImVec2(width, 0),
               can_try && !ui.unlock_passphrase.empty()) ||
        (enter && can_try && !ui.unlock_passphrase.empty())) {
        ctx.sink.push(app::intent::Unlock{lock.lock_id, ui.unlock_passphrase});
        wipe_secret(ui.unlock_passphrase);
    }
    track(ctx, "lock.unlock");
    if (wait_ms > 0) {
        const auto seconds = (wait_ms + 999) / 1000;
        text_wrapped(ctx.body(), palette::kWarning,
                     "Too many wrong passphrases: try again in " + std::to_string(seconds) + " s.", width);
        // The count goes down once a second: a frame then, not continuously.
        const std::int64_t next = ui.clock.now_ms + (wait_ms % 1000 == 0 ? 1000 : wait_ms % 1000);
        if (ui.redraw_at_ms == 0 || next < ui.redraw_at_ms) ui.redraw_at_ms = next;
    } else if (lock.problem) {
        problem_text(ctx, *lock.problem, width);
    }
    track(ctx, "lock.problem");
    ImGui::Dummy(ImVec2(0, ctx.px(16)));
    // The other accounts of this browser, and a way to add one.
    for (const auto& a : ctx.view.accounts) {
        if (a.shown) continue;
        const std::string label = (a.name.empty() ? short_id(a.session_id) : a.name) + (a.locked ? " (locked)" : "");
        ImGui::PushID(a.locked ? a.lock_id.c_str() : a.session_id.c_str());
        if (button(label.c_str(), ButtonKind::Secondary, ImVec2(width, 0))) {
            if (a.locked) ctx.sink.push(app::intent::ShowLockedAccount{a.lock_id});
            else ctx.sink.push(app::intent::SwitchAccount{a.session_id});
        }
        track(ctx, "lock.other." + (a.locked ? a.lock_id : a.session_id));
        ImGui::PopID();
    }
    if (button("Add account", ButtonKind::Link)) ctx.sink.push(app::intent::AddAccount{});
    track(ctx, "lock.add");
    ImGui::SameLine(0, ctx.px(16));
    if (button("Remove this account", ButtonKind::Link)) {
        ui.deletion.confirm = ConfirmWhat::RemoveLockedAccount;
        ui.deletion.confirm_peer = lock.lock_id;
        ui.deletion.confirm_title = lock.public_name;
        ui.deletion.confirm_opened = false;
    }
    track(ctx, "lock.remove");
    ImGui::EndGroup();
    end_region();
}

void lock_settings(Ctx& ctx, float width) {
    UiState& ui = ctx.ui;
    const app::SettingsView& s = ctx.view.settings;
    ImGui::Dummy(ImVec2(0, ctx.px(12)));
    ImGui::PushFont(ctx.title());
    ImGui::TextUnformatted("Passphrase lock");
    ImGui::PopFont();
    const bool busy = s.lock_busy;
    if (!s.passphrase_set) {
        text_wrapped(ctx.small(), palette::kTextDim,
                     "Encrypt everything of this account stored in this browser with a passphrase. Whoever copies "
                     "the browser's data then learns only the name you give the lock screen. Without the "
                     "passphrase, only the recovery phrase gets the account back.",
                     width);
        ImGui::PushItemWidth(width);
        input_text("##lock_name", ui.lock_name, 0, "Name on the lock screen (anyone can read it)");
        track(ctx, "settings.lock_name");
        ImGui::PopItemWidth();
        password(ctx, "##lock_new", ui.lock_new, "Passphrase (at least 8 characters)", "settings.lock_new", width);
        const bool enter = password(ctx, "##lock_repeat", ui.lock_repeat, "The passphrase again", "settings.lock_repeat", width);
        const bool same = !ui.lock_new.empty() && ui.lock_new == ui.lock_repeat;
        if (!ui.lock_repeat.empty() && !same)
            text_wrapped(ctx.small(), palette::kWarning, "The two passphrases differ.", width);
        if ((button(busy ? "Encrypting\xE2\x80\xA6" : "Lock with this passphrase", ButtonKind::Primary, ImVec2(width, 0),
                    same && !busy) ||
             (enter && same && !busy))) {
            ctx.sink.push(app::intent::SetPassphrase{ui.lock_new, ui.lock_name});
        }
        track(ctx, "settings.lock_set");
    } else {
        if (button("Lock now", ButtonKind::Secondary, ImVec2(width, 0), !busy)) ctx.sink.push(app::intent::LockNow{});
        track(ctx, "settings.lock_now");
        text(ctx.small(), palette::kTextDim, "Lock after this long without input in this tab:");
        struct Choice {
            std::uint32_t minutes;
            const char* label;
        };
        const Choice choices[] = {{0, "Never"}, {1, "1 min"}, {5, "5 min"}, {15, "15 min"}, {60, "60 min"}};
        for (const auto& c : choices) {
            ImGui::PushID(static_cast<int>(c.minutes));
            const bool on = s.lock_after_minutes == c.minutes;
            if (button(c.label, on ? ButtonKind::Primary : ButtonKind::Secondary)) {
                ctx.sink.push(app::intent::SetLockAfter{c.minutes});
            }
            track(ctx, "settings.lock_after." + std::to_string(c.minutes));
            ImGui::PopID();
            ImGui::SameLine(0, ctx.px(6));
        }
        ImGui::NewLine();
        ImGui::Dummy(ImVec2(0, ctx.px(6)));
        password(ctx, "##lock_old", ui.lock_old, "Current passphrase", "settings.lock_old", width);
        password(ctx, "##lock_new", ui.lock_new, "New passphrase (to change it)", "settings.lock_new", width);
        password(ctx, "##lock_repeat", ui.lock_repeat, "The new passphrase again", "settings.lock_repeat", width);
        const bool same = !ui.lock_new.empty() && ui.lock_new == ui.lock_repeat;
        if (!ui.lock_repeat.empty() && !same)
            text_wrapped(ctx.small(), palette::kWarning, "The two new passphrases differ.", width);
        const float half = (width - ctx.px(8)) * 0.5f;
        if (button("Change passphrase", ButtonKind::Secondary, ImVec2(half, 0), same && !ui.lock_old.empty() && !busy)) {
            ctx.sink.push(app::intent::ChangePassphrase{ui.lock_old, ui.lock_new});
        }
        track(ctx, "settings.lock_change");
        ImGui::SameLine(0, ctx.px(8));
        if (button("Remove passphrase", ButtonKind::Danger, ImVec2(half, 0), !ui.lock_old.empty() && !busy)) {
            ctx.sink.push(app::intent::RemovePassphrase{ui.lock_old});
        }
        track(ctx, "settings.lock_remove");
        if (busy) text(ctx.small(), palette::kTextDim, "Working\xE2\x80\xA6");
    }
    if (s.lock_problem) {
        problem_text(ctx, *s.lock_problem, width);
        track(ctx, "settings.lock_problem");
    }
}

}  // namespace st::ui::detail
