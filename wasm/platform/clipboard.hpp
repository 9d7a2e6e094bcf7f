// A real clipboard for ImGui (toolchain.md: 3.1.6's GLFW stubs it). Copy writes through
// navigator.clipboard.writeText (allowed right after the click or key press that asked for it);
// paste is fed by the browser's `paste` event, whose text is kept and handed to ImGui when it
// handles Ctrl/Cmd+V in the next frame. Text copied inside the app pastes without any permission.
#pragma once

struct ImGuiIO;

namespace st::wasm {

// Sets io.SetClipboardTextFn / GetClipboardTextFn and listens for paste events.
void clipboard_install(ImGuiIO& io);
// Kiosk mode's end of a session (docs/kiosk.md): drops the text kept for pasting and empties the
// system clipboard if the app wrote it.
void clipboard_forget();

}  // namespace st::wasm
