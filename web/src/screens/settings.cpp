// The Settings panel: display name, privacy (typing indicators, read receipts), blocked contacts,
// the recovery phrase shown again after a warning, clearing the device (and the network), and
// About. The phrase is a secret: the core
// holds it only between RevealRecoveryPhrase and HideRecoveryPhrase, and follow_settings() sends
// HideRecoveryPhrase as soon as the panel is no longer on screen.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

void section(Ctx& ctx, const char* title) {
    ImGui::Dummy(ImVec2(0, ctx.px(10)));
    text(ctx.title(), palette::kText, title);
    ImGui::Dummy(ImVec2(0, ctx.px(2)));
}

// A switch row: label and a sentence on the left, On/Off on the right. Returns true when toggled.
bool switch_row(Ctx& ctx, const char* id, const char* label, const char* detail, bool on,
                float width) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImFont* body = ctx.body();
    ImFont* small = ctx.small();
    const float knob_w = ctx.px(44);
    const float knob_h = ctx.px(24);
    const float text_w = width - knob_w - ctx.px(16);
    const float detail_h =
        small->CalcTextSizeA(small->FontSize, FLT_MAX, text_w, detail).y;
    const float height = std::max(knob_h, body->FontSize + ctx.px(2) + detail_h) + ctx.px(8);
    ImGui::PushID(id);
    // (A window narrower than the panel's padding leaves no width: ImGui wants a size.)
    const bool pressed = ImGui::InvisibleButton("##switch", ImVec2(std::max(1.0f, width), height));
    ImGui::PopID();
    track(ctx, id);
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddText(body, body->FontSize, origin, palette::kText, label);
    dl->AddText(small, small->FontSize, ImVec2(origin.x, origin.y + body->FontSize + ctx.px(2)),
                palette::kTextDim, detail, nullptr, text_w);
    const ImVec2 k0(origin.x + width - knob_w, origin.y + (height - ctx.px(8) - knob_h) * 0.5f);
    dl->AddRectFilled(k0, ImVec2(k0.x + knob_w, k0.y + knob_h),
                      on ? palette::kAccent : (hovered ? palette::kSurfaceActive : palette::kSurfaceHover),
                      knob_h * 0.5f);
    const float r = knob_h * 0.5f - ctx.px(3);
    const float cx = on ? k0.x + knob_w - knob_h * 0.5f : k0.x + knob_h * 0.5f;
    dl->AddCircleFilled(ImVec2(cx, k0.y + knob_h * 0.5f), r, palette::kText, 20);
    return pressed;
}

void display_name(Ctx& ctx, float width) {
    ContactsUiState& cs = ctx.ui.contacts;
    const std::string& current = ctx.view.account->display_name;
    section(ctx, "Display name");
    text_wrapped(ctx.small(), palette::kTextDim,
                 "Shown to the people you write to, with your next message.", width);
    const char* save_label = "Save";
    const float save_w = ImGui::CalcTextSize(save_label).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::PushItemWidth(width - save_w - ctx.px(8));
    const bool enter =
        input_text("##settings_name", cs.settings_name, ImGuiInputTextFlags_EnterReturnsTrue,
                   "Display name");
    track(ctx, "settings.name_input");
    ImGui::PopItemWidth();
    ImGui::SameLine(0, ctx.px(8));
    const bool can_save = !cs.settings_name.empty() && cs.settings_name != current;
    if (button(save_label, ButtonKind::Primary, ImVec2(save_w, 0), can_save) || (enter && can_save)) {
        ctx.sink.push(app::intent::SetDisplayName{cs.settings_name});
    }
    track(ctx, "settings.name_save");
    if (ctx.view.settings.name_problem) {
        problem_text(ctx, *ctx.view.settings.name_problem, width);
        track(ctx, "settings.name_problem");
    }
}

void privacy(Ctx& ctx, float width) {
    const app::SettingsView& s = ctx.view.settings;
    section(ctx, "Privacy");
    if (switch_row(ctx, "settings.typing", "Typing indicators",
                   "See when people are typing, and let them see when you are. Off: neither.",
                   s.typing_indicators, width)) {
        ctx.sink.push(app::intent::SetTypingIndicators{!s.typing_indicators});
    }
    if (switch_row(ctx, "settings.read_receipts", "Read receipts",
                   "Let people know when you have read their messages, and see when they have "
                   "read yours. Off: neither.",
                   s.read_receipts, width)) {
        ctx.sink.push(app::intent::SetReadReceipts{!s.read_receipts});
    }
}

void blocked(Ctx& ctx, float width) {
    const auto& list = ctx.view.settings.blocked;
    section(ctx, "Blocked contacts");
    if (list.empty()) {
        text_wrapped(ctx.small(), palette::kTextDim, "You have not blocked anyone.", width);
        return;
    }
    const char* label = "Unblock";
    const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
    for (const auto& b : list) {
        ImGui::PushID(b.session_id.c_str());
        const ImVec2 row = ImGui::GetCursorScreenPos();
        ImFont* body = ctx.body();
        ImFont* small = ctx.small();
        const float text_w = width - w - ctx.px(12);
        const float row_h = std::max(ImGui::GetFrameHeight(), body->FontSize + small->FontSize + ctx.px(2));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const std::string title = ellipsize(body, b.title.empty() ? short_id(b.session_id) : b.title, text_w);
        const std::string id = ellipsize(small, b.session_id, text_w);
        dl->AddText(body, body->FontSize, row, palette::kText, title.c_str());
        dl->AddText(small, small->FontSize, ImVec2(row.x, row.y + body->FontSize + ctx.px(2)),
                    palette::kTextFaint, id.c_str());
        ImGui::SetCursorScreenPos(ImVec2(row.x + width - w, row.y + (row_h - ImGui::GetFrameHeight()) * 0.5f));
        if (button(label, ButtonKind::Secondary)) {
            ctx.sink.push(app::intent::UnblockContact{b.session_id});
        }
        track(ctx, "settings.unblock." + b.session_id);
        ImGui::SetCursorScreenPos(ImVec2(row.x, row.y + row_h + ctx.px(8)));
        ImGui::Dummy(ImVec2(width, 0));
        ImGui::PopID();
    }
}

void recovery_phrase(Ctx& ctx, float width) {
    ContactsUiState& cs = ctx.ui.contacts;
    const std::string& phrase = ctx.view.settings.recovery_phrase;
    section(ctx, "Recovery phrase");
    if (!phrase.empty()) {
        text_wrapped(ctx.small(), palette::kWarning,
                     "Anyone with these 13 words can take over your account. Keep them private.",
                     width);
        const ImVec2 box0 = ImGui::GetCursorScreenPos();
        const float pad = ctx.px(12);
        ImFont* body = ctx.body();
        const ImVec2 extent =
            body->CalcTextSizeA(body->FontSize, FLT_MAX, width - 2 * pad, phrase.c_str());
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(box0, ImVec2(box0.x + width, box0.y + extent.y + 2 * pad),
                          palette::kSurface, ctx.px(8));
        dl->AddText(body, body->FontSize, ImVec2(box0.x + pad, box0.y + pad), palette::kText,
                    phrase.c_str(), nullptr, width - 2 * pad);
        ImGui::Dummy(ImVec2(width, extent.y + 2 * pad));
        track(ctx, "settings.phrase");
        const float half = (width - ctx.px(8)) * 0.5f;
        const bool copied = copied_recently(ctx, "settings_phrase");
        if (button(copied ? "Copied" : "Copy", ButtonKind::Secondary, ImVec2(half, 0))) {
            copy_to_clipboard(ctx, "settings_phrase", phrase);
        }
        track(ctx, "settings.copy_phrase");
        ImGui::SameLine(0, ctx.px(8));
        if (button("Hide", ButtonKind::Secondary, ImVec2(half, 0))) {
            ctx.sink.push(app::intent::HideRecoveryPhrase{});
            cs.hide_sent = true;
        }
        track(ctx, "settings.hide_phrase");
        if (ctx.view.account && ctx.view.account->phrase_unsaved) {
            // A "Try it now" account: the reminder goes once they say they kept the words.
            ImGui::Dummy(ImVec2(0, ctx.px(4)));
            if (button("I have saved it", ButtonKind::Primary, ImVec2(width, 0))) {
                ctx.sink.push(app::intent::PhraseSaved{});
            }
            track(ctx, "settings.phrase_saved");
        }
        return;
    }
    text_wrapped(ctx.small(), palette::kTextDim,
                 "The 13 words that restore your account on another device.", width);
    if (!cs.confirm_reveal) {
        if (button("Show recovery phrase", ButtonKind::Secondary, ImVec2(width, 0))) {
            cs.confirm_reveal = true;
        }
        track(ctx, "settings.reveal");
        return;
    }
    // Asked first: someone may be looking at the screen.
    text_wrapped(ctx.body(), palette::kWarning,
                 "Anyone who sees your recovery phrase can take over your account. Make sure no "
                 "one can see your screen.",
                 width);
    const float half = (width - ctx.px(8)) * 0.5f;
    if (button("Cancel", ButtonKind::Secondary, ImVec2(half, 0))) cs.confirm_reveal = false;
    track(ctx, "settings.reveal_cancel");
    ImGui::SameLine(0, ctx.px(8));
    if (button("Show", ButtonKind::Danger, ImVec2(half, 0))) {
        ctx.sink.push(app::intent::RevealRecoveryPhrase{});
        cs.confirm_reveal = false;
        cs.hide_sent = false;
    }
    track(ctx, "settings.reveal_confirm");
}

// Clear device / Clear device and network, both confirmed first (confirm.cpp). While the network
// is being cleared, which swarm members confirmed; after a failure, why, and Retry / Close.
void clear_data(Ctx& ctx, float width) {
    const app::ClearNetworkView& cn = ctx.view.settings.clear_network;
    DeletionUiState& del = ctx.ui.deletion;
    section(ctx, "Clear data");
    if (cn.stage == app::ClearNetworkStage::Idle) {
        text_wrapped(ctx.small(), palette::kTextDim,
                     "Clear device deletes everything of this account in this browser. Clear device "
                     "and network also deletes your messages and settings stored in the Session "
                     "network first.",
                     width);
        const float half = (width - ctx.px(8)) * 0.5f;
        if (button("Clear device", ButtonKind::Danger, ImVec2(half, 0))) {
            del.confirm = ConfirmWhat::ClearDevice;
            del.confirm_opened = false;
        }
        track(ctx, "settings.clear_device");
        ImGui::SameLine(0, ctx.px(8));
        if (button("Clear device and network", ButtonKind::Danger, ImVec2(half, 0))) {
            del.confirm = ConfirmWhat::ClearDeviceAndNetwork;
            del.confirm_opened = false;
        }
        track(ctx, "settings.clear_network");
        return;
    }

    const bool working = cn.stage == app::ClearNetworkStage::Working;
    const ImVec2 box0 = ImGui::GetCursorScreenPos();
    const float pad = ctx.px(12);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(box0.x + pad, box0.y + pad));
    ImGui::BeginGroup();
    const float inner = width - 2 * pad;
    if (working) {
        text_wrapped(ctx.body(), palette::kText,
                     "Deleting your data from the Session network\xE2\x80\xA6 Nothing on this "
                     "device is deleted until every node of your swarm has confirmed.",
                     inner);
    } else {
        text_wrapped(ctx.body(), palette::kDanger,
                     cn.problem ? cn.problem->text
                                : std::string("Your data could not be deleted from the network."),
                     inner);
        track(ctx, "settings.clear_network_problem");
        text_wrapped(ctx.small(), palette::kTextDim,
                     "Nothing was deleted on this device. You can try again.", inner);
    }
    ImGui::Dummy(ImVec2(0, ctx.px(4)));
    std::size_t confirmed = 0;
    for (const auto& mbr : cn.members) confirmed += mbr.confirmed ? 1 : 0;
    if (!cn.members.empty()) {
        text(ctx.small(), palette::kTextDim,
             std::to_string(confirmed) + " of " + std::to_string(cn.members.size()) +
                 " nodes confirmed");
    }
    for (std::size_t i = 0; i < cn.members.size(); ++i) {
        const auto& mbr = cn.members[i];
        const std::string mark = mbr.confirmed          ? "\xE2\x9C\x93 "
                                 : !mbr.problem.empty() ? "\xE2\x9C\x96 "
                                                        : "\xE2\x80\xA6 ";
        std::string line = mark + mbr.node;
        if (mbr.confirmed) {
            line += " \xC2\xB7 confirmed";
        } else if (!mbr.problem.empty()) {
            line += " \xC2\xB7 " + mbr.problem;
        } else {
            line += working ? " \xC2\xB7 waiting" : " \xC2\xB7 not confirmed";
        }
        text_wrapped(ctx.small(),
                     mbr.confirmed ? palette::kAccent
                     : mbr.problem.empty() ? palette::kTextFaint : palette::kDanger,
                     line, inner);
        track(ctx, "settings.clear_network_member." + std::to_string(i));
    }
    if (!working) {
        ImGui::Dummy(ImVec2(0, ctx.px(4)));
        const float half = (inner - ctx.px(8)) * 0.5f;
        if (button("Close##clear_network", ButtonKind::Secondary, ImVec2(half, 0))) {
            ctx.sink.push(app::intent::DismissClearNetwork{});
        }
        track(ctx, "settings.clear_network_close");
        ImGui::SameLine(0, ctx.px(8));
        if (button("Retry##clear_network", ButtonKind::Primary, ImVec2(half, 0))) {
            ctx.sink.push(app::intent::ClearDeviceAndNetwork{});
        }
        track(ctx, "settings.clear_network_retry");
    }
    ImGui::EndGroup();
    const float height = ImGui::GetItemRectMax().y - box0.y + pad;
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(box0, ImVec2(box0.x + width, box0.y + height),
                      working ? palette::kSurface : palette::kDangerBg, ctx.px(8));
    dl->ChannelsMerge();
    ImGui::SetCursorScreenPos(box0);
    ImGui::Dummy(ImVec2(width, height));
    track(ctx, "settings.clear_network_panel");
}

void about(Ctx& ctx, float width) {
    const app::SettingsView& s = ctx.view.settings;
    section(ctx, "About");
    text_wrapped(ctx.body(), palette::kTextDim,
                 "Session Tab " + (s.version.empty() ? std::string("(version unknown)") : s.version),
                 width);
    track(ctx, "settings.version");
    if (!s.build.empty()) text_wrapped(ctx.small(), palette::kTextFaint, "Build " + s.build, width);
    // What the relay says it serves (docs/deployment.md): compare with the release's SHA256.
    if (!s.site_fingerprint.empty()) {
        text_wrapped(ctx.small(), palette::kTextFaint, "Site fingerprint: " + s.site_fingerprint,
                     width);
        track(ctx, "settings.site_fingerprint");
    }
}

}  // namespace

void settings_panel(Ctx& ctx, float width, bool narrow) {
    UiState& ui = ctx.ui;
    ContactsUiState& cs = ui.contacts;
    if (panel_header(ctx, "Settings", narrow ? "Back" : "Close", "panel.close")) {
        ui.panel = Panel::None;
        return;
    }
    if (!cs.settings_name_loaded) {
        // The field starts with the current name each time the panel opens.
        cs.settings_name = ctx.view.account->display_name;
        cs.settings_name_loaded = true;
    }
    display_name(ctx, width);
    privacy(ctx, width);
    blocked(ctx, width);
    recovery_phrase(ctx, width);
    lock_settings(ctx, width);
    clear_data(ctx, width);
    about(ctx, width);
}

void follow_settings(Ctx& ctx) {
    ContactsUiState& cs = ctx.ui.contacts;
    const bool on_screen = ctx.view.account && ctx.ui.panel == Panel::Settings;
    if (!on_screen) {
        cs.settings_name_loaded = false;
        cs.confirm_reveal = false;
        // Leaving the panel hides the phrase again: the core drops its copy (once per reveal; the
        // view says it is gone a frame later).
        if (!ctx.view.settings.recovery_phrase.empty() && !cs.hide_sent) {
            ctx.sink.push(app::intent::HideRecoveryPhrase{});
            cs.hide_sent = true;
        }
    }
    if (ctx.view.settings.recovery_phrase.empty()) cs.hide_sent = false;
}

}  // namespace st::ui::detail
