// The screens draw_app() composes. Each draws into the current ImGui window at the cursor,
// within the size it is given. Internal to st_ui.
#pragma once

#include <imgui.h>

#include "st/app/view.hpp"
#include "widgets/widgets.hpp"

namespace st::ui::detail {

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

// A panel's title row with a close/back button named `close_name`; returns true when pressed.
bool panel_header(Ctx& ctx, const char* title, const char* close_label, const char* close_name);

// Starts a child region with a solid background and inner padding; pair with end_region().
void begin_region(const char* id, ImVec2 size, ImU32 background, ImVec2 padding,
                  ImGuiWindowFlags flags = 0);
void end_region();

}  // namespace st::ui::detail
