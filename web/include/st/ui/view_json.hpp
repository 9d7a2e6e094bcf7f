// JSON for the browser test hook (window.sessionTab): the AppView as a person would describe the
// screen, and the named widget rectangles. Plain C++ (no JSON library): the output is UTF-8 JSON
// with every string escaped, so a test can JSON.parse it whatever a message contains.
#pragma once

#include <cstddef>
#include <string>

#include "st/app/view.hpp"
#include "st/ui/ui.hpp"

namespace st::ui {

// The whole view. Of the open conversation's messages only the newest `max_messages` are listed
// ("messages"), with the total in "message_count". The recovery phrase appears only while the
// ShowPhrase step shows it on screen ("onboarding.phrase").
std::string view_to_json(const app::AppView& view, std::size_t max_messages = 1000);

// The widgets drawn in the last frame: [{"name","x","y","w","h"}, ...], divided by `scale`
// (so in CSS pixels when scale is the device pixel ratio).
std::string rects_to_json(const UiState& state, float scale);

// `text` as a JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD.
std::string json_string(std::string_view text);

}  // namespace st::ui
