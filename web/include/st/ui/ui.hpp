// The Session Tab interface: one function that draws the whole app with Dear ImGui from a
// read-only AppView and answers with Intents (architecture.md rule 6). It never calls the network
// or storage. Everything the UI remembers between frames (text being typed, scroll positions,
// measured message heights, which side panel is open) lives in UiState, owned by the host.
//
// Units: ImGui coordinates are device pixels. The host sets UiState::scale to the device pixel
// ratio and builds fonts and style at that scale (st/ui/theme.hpp); the UI multiplies every
// fixed size by it, so the app looks the same on any screen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "st/app/intent.hpp"
#include "st/app/view.hpp"

struct ImFont;

namespace st::ui {

// Fonts built by load_fonts(). Null members fall back to ImGui's current font.
struct Fonts {
    ImFont* body = nullptr;   // messages, inputs, most text
    ImFont* title = nullptr;  // screen and conversation titles
    ImFont* small = nullptr;  // times, delivery states, hints
};

// What the host tells the UI about "now" for this frame (the UI has no clock of its own).
struct FrameContext {
    std::int64_t now_ms = 0;         // Unix epoch milliseconds
    int utc_offset_minutes = 0;      // local time = UTC + offset (browser: -getTimezoneOffset())
};

// The on-screen rectangle of a named interactive widget, recorded while drawing (device pixels).
// Names are stable: "onboarding.create", "composer.input", "conversation.<session id>", ...
// The browser host exposes them to tests as window.sessionTab.rects().
struct WidgetRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
};

// Accounts: the account switcher (the avatar's menu): every account of this browser, add, remove.
enum class Panel { None, NewConversation, MyId, Network, Settings, Accounts };

// How long a copy button says "Copied" (the host draws a frame when it runs out).
inline constexpr std::int64_t kCopiedFeedbackMs = 2000;

// Layout cache of the open conversation's message list, so that 100k messages of varying height
// cost O(visible + log n) per frame. Heights are per message at the current wrap width: exact once
// a message has been measured, estimated from its length before that. `tree` is a Fenwick tree of
// the heights, giving the offset of any message and the message at any offset in O(log n).
struct MessageListState {
    std::string peer;                       // conversation the cache describes
    float wrap_width = 0;                   // bubble text width the heights belong to
    std::size_t count = 0;                  // messages described
    std::string last_id;                    // id of message count-1, to recognise appends
    std::vector<float> height;              // per message, device pixels
    std::vector<std::uint64_t> signature;   // 0: estimated; else what the measurement was of
    std::vector<double> tree;               // Fenwick tree over `height` (1-based)
    std::size_t background_next = 0;        // next message (counting down) to measure when idle
    double scroll = 0;                      // content offset at the top of the viewport
    bool stick_to_bottom = true;            // follow new messages until the person scrolls up
    bool dragging_scrollbar = false;
    float drag_grab_offset = 0;
    std::string first_id;                   // id of message 0, to recognise an older page
    std::size_t older_asked_at = 0;         // LoadOlderMessages sent while `count` was this (0: not)
};

// What the contact and settings screens remember between frames (requests.cpp, settings.cpp,
// conversation.cpp).
struct ContactsUiState {
    bool show_requests = false;         // the sidebar lists message requests instead of conversations
    bool confirm_clear_requests = false;
    std::string contact_peer;           // the open conversation's contact panel belongs to ...
    bool contact_open = false;          // ... and is shown under its title bar
    std::string nickname;               // nickname being typed
    bool confirm_block = false;
    std::string settings_name;          // display name being typed in Settings
    bool settings_name_loaded = false;  // settings_name was filled from the account
    bool confirm_reveal = false;        // "show recovery phrase" asked to confirm
    bool hide_sent = false;             // HideRecoveryPhrase sent, the view not updated yet
};

// Deletion and disappearing messages (message_list.cpp, conversation.cpp, settings.cpp,
// confirm.cpp): the message menu (right-click or a long press on a bubble), the message the
// keyboard shortcuts act on, and the confirmation asked before anything is deleted.
enum class ConfirmWhat {
    None,
    DeleteForEveryone,      // confirm_peer, confirm_message
    DeleteForMe,            // confirm_peer, confirm_message
    DeleteConversation,     // confirm_peer
    ClearDevice,
    ClearDeviceAndNetwork,
    RemoveAccount,          // confirm_peer: its Session ID, confirm_title: its name
    RemoveLockedAccount,    // confirm_peer: its lock id, confirm_title: its public name
};

struct DeletionUiState {
    std::string menu_message;      // the message whose menu is open ("" none)
    bool open_menu = false;        // open the message menu in this frame
    std::string selected_message;  // last bubble clicked: Delete / Shift+Delete act on it
    std::string press_message;     // bubble under a pointer held down (long press) ...
    float press_x = 0, press_y = 0;   // ... where it went down
    std::int64_t press_ms = 0;        // ... and when
    bool press_fired = false;         // the long press opened the menu already
    ConfirmWhat confirm = ConfirmWhat::None;
    std::string confirm_peer;
    std::string confirm_message;
    std::string confirm_title;     // the conversation's title when asked
    bool confirm_opened = false;   // the modal was opened (ImGui popup) for `confirm`
    bool open_disappearing = false;  // open the disappearing-messages menu in this frame
};

// A pointer held this long on a bubble without moving opens its menu (touch screens).
inline constexpr std::int64_t kLongPressMs = 500;

// A multi-line input's text as the input shows it: the logical text with a '\n' inserted wherever a
// line wraps (ImGui 1.86 only breaks lines at '\n'; see web/src/widgets/soft_wrap.hpp).
struct WrappedText {
    std::string display;            // logical text with the soft breaks inserted
    std::vector<std::size_t> soft;  // byte offsets in `display` of the inserted '\n', ascending
    float width = -1;               // line width (device pixels) the breaks were made for
};

struct UiState {
    // [Set by the host] --------------------------------------------------------------------------
    float scale = 1.0f;  // device pixels per CSS pixel
    FrameContext clock;
    Fonts fonts;

    // [UI-only state] ----------------------------------------------------------------------------
    Panel panel = Panel::None;
    std::string restore_phrase;         // EnterPhrase input (a secret: wiped when leaving the step)
    std::string display_name;           // ChooseName input
    std::string new_conversation_text;  // Session ID being typed
    std::string new_conversation_submitted;  // ... as last sent with StartConversation
    std::string composer;               // message being typed
    std::string composer_peer;          // conversation the composer text belongs to
    WrappedText composer_wrap;          // `composer` wrapped at the composer's width ...
    std::string composer_buffer;        // ... and the buffer ImGui edits (display text)
    bool composer_active = false;       // the composer had keyboard focus last frame
    bool focus_composer = false;        // give the composer keyboard focus on the next frame
    std::string seen_open_peer;         // open conversation of the previous frame
    std::string mark_read_peer;         // MarkRead already requested for this conversation ...
    std::uint32_t mark_read_unread = 0; // ... at this unread count
    app::OnboardingStep seen_step = app::OnboardingStep::Welcome;
    int onboarding_drawn_step = -1;     // step drawn last frame (-1: none): focus its input once
    MessageListState messages;
    ContactsUiState contacts;
    DeletionUiState deletion;

    // The QR code of the own Session ID, encoded once (modules row-major, 1 = dark).
    std::string qr_text;
    int qr_size = 0;
    std::vector<std::uint8_t> qr_modules;

    // "Copied" feedback next to a copy button, shown for kCopiedFeedbackMs.
    std::string copied_what;
    std::int64_t copied_at_ms = 0;

    // Kiosk mode: the AppView::kiosk.sessions_ended this state was last reset for, and whether the
    // countdown's popup is open.
    std::uint64_t kiosk_sessions_seen = 0;
    bool kiosk_countdown_open = false;
    std::uint64_t link_offers_seen = 0;  // AppView::link.offers already followed
    // The account on screen last frame: when another one is shown, what was open, typed or
    // asked for the previous one goes.
    std::string seen_account;
    // The passphrase lock (lock.cpp): the lock screen's field, and Settings' fields to turn it on
    // (public name, passphrase twice), change it (old, new twice) or remove it. Secrets: wiped
    // when the screen or the panel is left, and after each change the core accepted.
    std::string unlock_passphrase;
    std::string lock_name, lock_new, lock_repeat, lock_old;
    std::uint64_t lock_changes_seen = 0;

    // Widgets drawn in the last frame (cleared at the start of each draw_app).
    std::vector<WidgetRect> rects;

    // [Read by the host] -------------------------------------------------------------------------
    // When the picture changes with no event (a disappearing message's countdown label), as Unix
    // epoch ms; 0: never. Set by each draw_app; the host draws one frame at that time (frames on
    // demand: the countdown asks for a frame only when its text changes, never continuously).
    std::int64_t redraw_at_ms = 0;
};

// Draws one frame of the app. Call between ImGui::NewFrame() and ImGui::Render(); the view (and
// the span of messages in it) must stay valid for the duration of the call. Intents are pushed
// to `sink`; the host dispatches them after the frame.
void draw_app(const app::AppView& view, UiState& state, app::IntentSink& sink);

// The rectangle recorded under `name` in the last frame, or null.
const WidgetRect* find_rect(const UiState& state, std::string_view name);

}  // namespace st::ui
