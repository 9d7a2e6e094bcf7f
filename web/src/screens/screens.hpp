// The screens draw_app() composes. Each draws into the current ImGui window at the cursor,
// within the size it is given. Internal to st_ui.
#pragma once

#include <imgui.h>

#include "st/app/view.hpp"
#include "widgets/widgets.hpp"

namespace st::ui::detail {

// Kiosk mode (kiosk.cpp): the UI's part of ending a session (call before drawing), the bar at the
// top (returns its height) and the countdown before an idle session is wiped.
void forget_ended_kiosk_session(const app::AppView& view, UiState& state);
float draw_kiosk_bar(Ctx& ctx, float width);
void draw_kiosk_countdown(Ctx& ctx);

// Onboarding: welcome, recovery phrase, restore, display name (onboarding.cpp).
void draw_onboarding(Ctx& ctx, ImVec2 size);

// The account's own screens (sidebar.cpp, conversation.cpp, panels.cpp).
void draw_sidebar(Ctx& ctx, ImVec2 size);
void draw_conversation(Ctx& ctx, const app::OpenConversationView& open, ImVec2 size,
                       bool narrow);
void draw_no_conversation(Ctx& ctx, ImVec2 size);
void draw_panel(Ctx& ctx, ImVec2 size, bool narrow);

// The virtualised message list of a conversation (message_list.cpp), filling `size`.
void draw_message_list(Ctx& ctx, const app::OpenConversationView& open, ImVec2 size);

// One row of the conversation list (or of the requests list), its widget named
// `name_prefix` + the peer's Session ID (sidebar.cpp).
void conversation_row(Ctx& ctx, const app::ConversationSummary& c, float width, float height,
                      bool selected, const char* name_prefix);
// An unread count as a pill whose right edge is at `right`; returns its width (0 for no count).
float count_badge(Ctx& ctx, ImDrawList* dl, float right, float centre_y, std::uint32_t count);
inline constexpr const char* kTypingText = "typing\xE2\x80\xA6";

// Message requests (requests.cpp): the "Message requests" row at the top of the conversation
// list, the requests list that replaces the conversation list, and the bar under an open
// request (Accept, Decline, Block). request_bar returns its height (0 when not a request).
void requests_row(Ctx& ctx, float width, float height);
void draw_requests(Ctx& ctx, ImVec2 size);
float request_bar_height(Ctx& ctx, const app::OpenConversationView& open, float width);
void request_bar(Ctx& ctx, const app::OpenConversationView& open, float width, float height);

// The passphrase lock (lock.cpp): the lock screen of a locked account, the Settings section that
// turns it on, changes or removes it, and what must happen to the typed secrets every frame.
void draw_lock_screen(Ctx& ctx, ImVec2 size);
// Zeroes a typed secret's buffer and empties it (best effort: ImGui's own buffer is its own).
void wipe_secret(std::string& secret);
void lock_settings(Ctx& ctx, float width);
void follow_lock(Ctx& ctx);

// The Settings panel (settings.cpp), and what must happen when it is left (the recovery phrase
// is hidden again), called every frame.
void settings_panel(Ctx& ctx, float width, bool narrow);
void follow_settings(Ctx& ctx);

// The confirmation modal before anything is deleted (confirm.cpp), drawn over everything when
// UiState::deletion.confirm asks for one.
void draw_confirmation(Ctx& ctx);

// A panel's title row with a close/back button named `close_name`; returns true when pressed.
bool panel_header(Ctx& ctx, const char* title, const char* close_label, const char* close_name);

// Starts a child region with a solid background and inner padding; pair with end_region().
void begin_region(const char* id, ImVec2 size, ImU32 background, ImVec2 padding,
                  ImGuiWindowFlags flags = 0);
void end_region();

}  // namespace st::ui::detail
