// The text-input bridge (toolchain.md "Text input"): Emscripten's GLFW only hears `keypress`, so
// IME compositions, dead keys, pasted and non-US text never reach ImGui through it. A hidden
// <textarea> takes the browser's focus whenever ImGui wants text; its `input` and
// `compositionend` events carry the text, which goes to io.AddInputCharactersUTF8 (queued by
// ImGuiHost). Enter, Backspace, arrows and shortcuts still arrive as GLFW key events. The same
// JS file also turns wheel events into ImGui's units (notches, positive = up) and reports mouse
// buttons released outside the canvas (GLFW listens on the canvas only).
#pragma once

struct ImGuiIO;

namespace st::wasm {

// Creates the textarea and listeners; sets io.ImeSetInputScreenPosFn so the IME window appears
// next to the text cursor.
void text_input_install(ImGuiIO& io);
// After each drawn frame: focus the textarea while ImGui wants text (or a text field had the
// keyboard a few frames ago), release it otherwise, and move it to the text cursor (device pixels /
// scale = CSS pixels).
void text_input_sync(bool wants_text, float scale);
// Empties the textarea (kiosk mode's end of a session).
void text_input_clear();

}  // namespace st::wasm
