// The message list of a conversation, virtualised for very long histories (100k messages).
//
// Bubbles wrap their text, so rows have different heights and ImGuiListClipper (one height for
// all) does not apply. Instead MessageListState keeps one height per message at the current wrap
// width: estimated from the text length until the message is first drawn, then measured exactly.
// A Fenwick tree over those heights answers "where does message i start" and "which message is at
// offset y" in O(log n), so a frame costs O(visible messages + log n) whatever the history size.
// Scrolling is the list's own (no ImGui scroll state): when heights above the viewport change,
// the scroll offset moves with them, so what the person is reading stays put; while the list is
// at the bottom it stays at the bottom as messages arrive.
//
// Bubbles of messages deleted for everyone say so; notices ("… set messages to disappear …") are
// centred lines; disappearing messages count down (redrawn only when the label changes). A bubble's
// menu (right-click, or a long press on a touch screen) copies or deletes it; Delete and
// Shift+Delete do the same on the bubble under the pointer or clicked last.
//
// Index: [SECTION] Fenwick tree · Metrics · Sync · Input · Layout · Message menu · Drawing
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "screens/screens.hpp"
#include "theme/palette.hpp"

namespace st::ui::detail {
namespace {

using app::DeliveryState;
using app::MessageKind;
using app::MessageView;

constexpr std::string_view kDeletedText = "This message was deleted";

// What a bubble shows: the body, or the placeholder of a message deleted for everyone.
std::string_view shown_text(const MessageView& msg) {
    return msg.kind == MessageKind::Deleted ? kDeletedText : std::string_view(msg.body);
}

// [SECTION] Fenwick tree ---------------------------------------------------------------------

void tree_build(MessageListState& st) {
    const std::size_t n = st.height.size();
    st.tree.assign(n + 1, 0.0);
    for (std::size_t i = 1; i <= n; ++i) {
        st.tree[i] += st.height[i - 1];
        const std::size_t parent = i + (i & (~i + 1));
        if (parent <= n) st.tree[parent] += st.tree[i];
    }
}

void tree_add(MessageListState& st, std::size_t index, double delta) {
    for (std::size_t i = index + 1; i < st.tree.size(); i += i & (~i + 1)) st.tree[i] += delta;
}

// Sum of the heights of messages [0, index).
double tree_prefix(const MessageListState& st, std::size_t index) {
    double sum = 0;
    for (std::size_t i = index; i > 0; i -= i & (~i + 1)) sum += st.tree[i];
    return sum;
}

// The message whose row contains offset y (clamped to the last message). Requires n > 0.
std::size_t tree_find(const MessageListState& st, double y) {
    const std::size_t n = st.tree.size() - 1;
    std::size_t pos = 0;
    std::size_t bit = 1;
    while (bit * 2 <= n) bit *= 2;
    for (; bit > 0; bit /= 2) {
        if (pos + bit <= n && st.tree[pos + bit] <= y) {
            pos += bit;
            y -= st.tree[pos];
        }
    }
    return std::min(pos, n - 1);
}

void set_height(MessageListState& st, std::size_t i, float h) {
    const float old = st.height[i];
    if (old == h) return;
    st.height[i] = h;
    tree_add(st, i, static_cast<double>(h) - static_cast<double>(old));
}

// [SECTION] Metrics --------------------------------------------------------------------------

// Layout constants of one frame (device pixels).
struct Metrics {
    ImFont* body;
    ImFont* small;
    float width;       // list width
    float margin;      // left/right margin of bubbles
    float bubble_max;  // widest bubble
    float text_w;      // wrap width of bubble text
    float pad_x, pad_y, meta_gap, spacing, day_h, failed_h, retry_h;
    float notice_w, notice_pad;  // a notice line's wrap width and vertical padding
    float avg_char;    // for estimates
    FrameContext clock;
};

Metrics metrics(const Ctx& ctx, float width) {
    Metrics m{};
    m.body = ctx.body();
    m.small = ctx.small();
    m.width = width;
    m.margin = ctx.px(16);
    m.bubble_max = std::max(ctx.px(120), std::min((width - 2 * m.margin) * 0.78f, ctx.px(560)));
    m.pad_x = ctx.px(12);
    m.pad_y = ctx.px(8);
    m.text_w = std::floor(m.bubble_max - 2 * m.pad_x);
    m.meta_gap = ctx.px(3);
    m.spacing = ctx.px(6);
    m.day_h = m.small->FontSize + ctx.px(24);
    m.retry_h = ImGui::GetFrameHeight();
    m.failed_h = ctx.px(4) + m.retry_h;
    m.avg_char = m.body->FontSize * 0.5f;
    m.notice_w = std::max(ctx.px(60), std::min(width - 4 * m.margin, ctx.px(560)));
    m.notice_pad = ctx.px(6);
    m.clock = ctx.ui.clock;
    return m;
}

bool day_break(std::span<const MessageView> msgs, std::size_t i, const FrameContext& clock) {
    return i == 0 ||
           local_day(msgs[i].sent_ms, clock) != local_day(msgs[i - 1].sent_ms, clock);
}

bool failed(const MessageView& msg) {
    return msg.outgoing && msg.delivery == DeliveryState::Failed;
}

// What a measured height depends on, so a change (delivery state, edit) triggers a re-measure.
std::uint64_t signature(const MessageView& msg, bool breaks) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ull; };
    for (const char c : msg.id) mix(static_cast<std::uint8_t>(c));
    mix(msg.body.size());
    mix(static_cast<std::uint64_t>(msg.delivery));
    mix(msg.failure_text.size());
    mix(breaks ? 1 : 2);
    mix(msg.outgoing ? 3 : 4);
    mix(static_cast<std::uint64_t>(msg.kind) + 5);
    return h | 1;  // never 0 (0 means "estimated")
}

ImVec2 notice_size(const Metrics& m, const MessageView& msg) {
    const char* b = msg.body.data();
    return m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, m.notice_w, b, b + msg.body.size());
}

float row_extra(const Metrics& m, const MessageView& msg, bool breaks) {
    if (msg.kind == MessageKind::Notice) {
        return 2 * m.notice_pad + m.spacing + (breaks ? m.day_h : 0.0f);
    }
    float h = 2 * m.pad_y + m.meta_gap + m.small->FontSize + m.spacing;
    if (failed(msg)) h += m.failed_h;
    if (breaks) h += m.day_h;
    return h;
}

float estimate(const Metrics& m, const MessageView& msg, bool breaks) {
    if (msg.kind == MessageKind::Notice) return m.small->FontSize + row_extra(m, msg, breaks);
    const auto newlines = std::count(msg.body.begin(), msg.body.end(), '\n');
    const float chars_per_line = std::max(1.0f, m.text_w / m.avg_char);
    const float lines = static_cast<float>(newlines) + 1.0f +
                        std::floor(static_cast<float>(msg.body.size()) / chars_per_line);
    return lines * m.body->FontSize + row_extra(m, msg, breaks);
}

ImVec2 text_size(const Metrics& m, const MessageView& msg) {
    const std::string_view t = shown_text(msg);
    return m.body->CalcTextSizeA(m.body->FontSize, FLT_MAX, m.text_w, t.data(), t.data() + t.size());
}

float measure(const Metrics& m, const MessageView& msg, bool breaks) {
    if (msg.kind == MessageKind::Notice) return notice_size(m, msg).y + row_extra(m, msg, breaks);
    return text_size(m, msg).y + row_extra(m, msg, breaks);
}

// [SECTION] Sync -----------------------------------------------------------------------------

void estimate_range(MessageListState& st, std::span<const MessageView> msgs, const Metrics& m,
                    std::size_t from) {
    st.height.resize(msgs.size());
    st.signature.resize(msgs.size());
    for (std::size_t i = from; i < msgs.size(); ++i) {
        st.height[i] = estimate(m, msgs[i], day_break(msgs, i, m.clock));
        st.signature[i] = 0;
    }
}

// Brings the cache in line with this frame's messages and wrap width, keeping the message at the
// top of the viewport where it is.
void sync(MessageListState& st, const app::OpenConversationView& open, const Metrics& m) {
    const auto msgs = open.messages;
    const std::size_t n = msgs.size();
    if (st.peer != open.peer_session_id) {
        st = MessageListState{};
        st.peer = open.peer_session_id;
        st.wrap_width = -1;
    }
    const bool width_changed = std::abs(st.wrap_width - m.text_w) > 0.5f;
    const bool same_tail = n > 0 && st.count > 0 && st.count <= n &&
                           msgs[st.count - 1].id == st.last_id;
    const bool unchanged = !width_changed && n == st.count && (n == 0 || same_tail);
    if (unchanged) return;

    // An older page arrived (LoadOlderMessages): the window grew at the top, the newest message
    // is the same. Keep the measured heights of the messages already there and move the scroll
    // offset by the height added above them, so what the person is reading stays put.
    const std::size_t added = n > st.count ? n - st.count : 0;
    if (!width_changed && added > 0 && st.count > 0 && msgs[n - 1].id == st.last_id &&
        msgs[added].id == st.first_id) {
        std::vector<float> height(added, 0.0f);
        std::vector<std::uint64_t> sig(added, 0);
        height.insert(height.end(), st.height.begin(), st.height.end());
        sig.insert(sig.end(), st.signature.begin(), st.signature.end());
        st.height = std::move(height);
        st.signature = std::move(sig);
        for (std::size_t i = 0; i < added; ++i) {
            st.height[i] = estimate(m, msgs[i], day_break(msgs, i, m.clock));
        }
        // The first old message may have lost its day separator (the day continues above it).
        // Measured now (one message), so the change is exactly the separator's.
        const float was = st.height[added];
        const bool breaks = day_break(msgs, added, m.clock);
        st.signature[added] = signature(msgs[added], breaks);
        st.height[added] = measure(m, msgs[added], breaks);
        double grown = static_cast<double>(st.height[added]) - was;
        for (std::size_t i = 0; i < added; ++i) grown += st.height[i];
        st.count = n;
        st.first_id = msgs[0].id;
        st.background_next = n;  // measure the new page when idle (already measured are skipped)
        tree_build(st);
        if (!st.stick_to_bottom) st.scroll += grown;
        return;
    }

    // Anchor: the message at the top of the viewport and how far into it the viewport starts.
    std::size_t anchor = 0;
    double into = 0;
    bool anchored = !st.stick_to_bottom && st.count > 0 && !st.tree.empty();
    if (anchored) {
        anchor = tree_find(st, st.scroll);
        into = (st.scroll - tree_prefix(st, anchor)) / std::max(1.0f, st.height[anchor]);
    }
    if (!width_changed && same_tail && n > st.count) {
        // Appended messages (the usual case): estimate only the new ones. The first new one may
        // now need a day separator, which its estimate includes.
        estimate_range(st, msgs, m, st.count);
    } else {
        estimate_range(st, msgs, m, 0);  // new width, or messages inserted/removed
        if (!same_tail || n < st.count) anchored = false;
    }
    st.wrap_width = m.text_w;
    st.count = n;
    st.last_id = n > 0 ? msgs[n - 1].id : std::string();
    st.first_id = n > 0 ? msgs[0].id : std::string();
    st.background_next = n;
    tree_build(st);
    if (anchored && anchor < n) {
        st.scroll = tree_prefix(st, anchor) + into * st.height[anchor];
    }
}

// [SECTION] Input ----------------------------------------------------------------------------

void scroll_input(Ctx& ctx, MessageListState& st, ImVec2 origin, ImVec2 size, double total,
                  const Metrics& m) {
    const ImGuiIO& io = ImGui::GetIO();
    const double max_scroll = std::max(0.0, total - size.y);
    const double before = st.scroll;
    if (ImGui::IsWindowHovered() && io.MouseWheel != 0.0f) {
        st.scroll -= static_cast<double>(io.MouseWheel) * 3.0 * m.body->FontSize;
    }
    if (!io.WantTextInput || !ImGui::IsAnyItemActive()) {
        const double page = std::max(1.0, size.y - static_cast<double>(m.body->FontSize) * 2);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp))) st.scroll -= page;
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown))) st.scroll += page;
    }

    // Scrollbar: a thin track on the right; drag the grab or click the track to jump.
    if (max_scroll > 0 && size.y >= 1.0f) {  // (no room at all: no scrollbar, ImGui wants a size)
        const float bar_w = ctx.px(8);
        const float grab_h = std::max(ctx.px(28), size.y * static_cast<float>(size.y / total));
        const float travel = std::max(1.0f, size.y - grab_h);
        const ImVec2 track0(origin.x + size.x - bar_w - ctx.px(3), origin.y);
        ImGui::SetCursorScreenPos(track0);
        ImGui::InvisibleButton("##scrollbar", ImVec2(bar_w, size.y));
        track(ctx, "messages.scrollbar");
        const float grab_y =
            origin.y + travel * static_cast<float>(std::clamp(st.scroll / max_scroll, 0.0, 1.0));
        const float mouse_y = io.MousePos.y;
        if (ImGui::IsItemActivated()) {
            const bool on_grab = mouse_y >= grab_y && mouse_y <= grab_y + grab_h;
            st.drag_grab_offset = on_grab ? mouse_y - grab_y : grab_h * 0.5f;
            st.dragging_scrollbar = true;
        }
        if (st.dragging_scrollbar && ImGui::IsItemActive()) {
            const float t = (mouse_y - st.drag_grab_offset - origin.y) / travel;
            st.scroll = static_cast<double>(std::clamp(t, 0.0f, 1.0f)) * max_scroll;
        } else {
            st.dragging_scrollbar = false;
        }
        const bool hot = ImGui::IsItemHovered() || st.dragging_scrollbar;
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(track0.x + (hot ? 0 : ctx.px(2)), grab_y),
            ImVec2(track0.x + bar_w, grab_y + grab_h),
            hot ? palette::kTextFaint : palette::kSurfaceActive, bar_w * 0.5f);
    }
    if (st.scroll < before - 0.5) st.stick_to_bottom = false;  // the person scrolled up
    st.scroll = std::clamp(st.scroll, 0.0, max_scroll);
    if (st.scroll >= max_scroll - 1.0) st.stick_to_bottom = true;
}

// [SECTION] Layout ---------------------------------------------------------------------------

// Measures the messages in view (and a few hundred more when idle), updating the tree, and
// settles the scroll offset. Returns the total content height.
double layout(MessageListState& st, std::span<const MessageView> msgs, const Metrics& m,
              float view_h) {
    const std::size_t n = msgs.size();
    if (n == 0) return 0;
    for (int pass = 0; pass < 4; ++pass) {
        const double total = tree_prefix(st, n);
        const double max_scroll = std::max(0.0, total - view_h);
        if (st.stick_to_bottom) st.scroll = max_scroll;
        st.scroll = std::clamp(st.scroll, 0.0, max_scroll);
        bool changed = false;
        std::size_t i = tree_find(st, st.scroll);
        double y = tree_prefix(st, i);
        for (; i < n && y < st.scroll + view_h; ++i) {
            const bool breaks = day_break(msgs, i, m.clock);
            const std::uint64_t sig = signature(msgs[i], breaks);
            if (st.signature[i] != sig) {
                st.signature[i] = sig;
                const float h = measure(m, msgs[i], breaks);
                changed = changed || h != st.height[i];
                set_height(st, i, h);
            }
            y += st.height[i];
        }
        if (!changed) break;
    }
    // Idle work: measure from the newest message backwards, a bounded number per frame, so the
    // scrollbar becomes exact over time. Messages above the viewport keep the view in place by
    // moving the scroll offset with their change in height.
    const std::size_t first_visible = tree_find(st, st.scroll);
    int budget = 256;
    while (budget > 0 && st.background_next > 0) {
        const std::size_t i = --st.background_next;
        if (st.signature[i] != 0) continue;
        const bool breaks = day_break(msgs, i, m.clock);
        const float h = measure(m, msgs[i], breaks);
        st.signature[i] = signature(msgs[i], breaks);
        if (i < first_visible && !st.stick_to_bottom) st.scroll += h - st.height[i];
        set_height(st, i, h);
        --budget;
    }
    const double total = tree_prefix(st, n);
    if (st.stick_to_bottom) st.scroll = std::max(0.0, total - view_h);
    return total;
}

// [SECTION] Drawing --------------------------------------------------------------------------

const char* delivery_word(DeliveryState d) {
    switch (d) {
        case DeliveryState::Sending: return "Sending\xE2\x80\xA6";
        case DeliveryState::Sent: return "Sent";
        case DeliveryState::Failed: return "Not sent";
        case DeliveryState::Read: return "Read";
    }
    return "";
}

// [SECTION] Message menu ---------------------------------------------------------------------

bool escape_pressed() { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false); }

// Ours, sent, still a message: it can be deleted for everyone (unsend, protocol §8.2).
bool can_unsend(const MessageView& msg) {
    return msg.outgoing && msg.kind == MessageKind::Text &&
           (msg.delivery == DeliveryState::Sent || msg.delivery == DeliveryState::Read);
}

const MessageView* find_message(std::span<const MessageView> msgs, const std::string& id) {
    if (id.empty()) return nullptr;
    for (std::size_t i = msgs.size(); i-- > 0;) {
        if (msgs[i].id == id) return &msgs[i];
    }
    return nullptr;
}

void ask(Ctx& ctx, const app::OpenConversationView& open, ConfirmWhat what, const std::string& id) {
    DeletionUiState& del = ctx.ui.deletion;
    del.confirm = what;
    del.confirm_peer = open.peer_session_id;
    del.confirm_message = id;
    del.confirm_title = open.title;
    del.confirm_opened = false;
}

// Right-click (released over the bubble) or a pointer held kLongPressMs without moving opens the
// menu; a click selects the bubble for the keyboard shortcuts.
void bubble_input(Ctx& ctx, const std::string& id) {
    DeletionUiState& del = ctx.ui.deletion;
    const ImGuiIO& io = ImGui::GetIO();
    const std::int64_t now = ctx.ui.clock.now_ms;
    if (ImGui::IsItemHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
        del.menu_message = id;
        del.open_menu = true;
    }
    if (ImGui::IsItemActivated()) {
        del.selected_message = id;
        del.press_message = id;
        del.press_x = io.MousePos.x;
        del.press_y = io.MousePos.y;
        del.press_ms = now;
        del.press_fired = false;
    }
    if (del.press_message != id) return;
    if (!ImGui::IsItemActive()) {
        del.press_message.clear();
        return;
    }
    const float dx = io.MousePos.x - del.press_x;
    const float dy = io.MousePos.y - del.press_y;
    if (dx * dx + dy * dy > ctx.px(8) * ctx.px(8)) {
        del.press_message.clear();  // a drag (scrolling on a touch screen), not a press
    } else if (!del.press_fired && now - del.press_ms >= kLongPressMs) {
        del.press_fired = true;
        del.menu_message = id;
        del.open_menu = true;
    } else if (!del.press_fired) {
        redraw_at(ctx, del.press_ms + kLongPressMs);
    }
}

// The menu of one message: Copy text, Delete for me, Delete for everyone (ours, sent). The
// shortcuts work in the menu too.
void message_menu(Ctx& ctx, const app::OpenConversationView& open, const MessageView& msg) {
    const bool text = msg.kind == MessageKind::Text;
    if (text) {
        if (ImGui::MenuItem("Copy text")) copy_to_clipboard(ctx, "message", msg.body);
        track(ctx, "message_menu.copy");
    }
    const bool shift = ImGui::GetIO().KeyShift;
    const bool del_key = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false);
    if (ImGui::MenuItem("Delete for me", "Del") || (del_key && !shift)) {
        ask(ctx, open, ConfirmWhat::DeleteForMe, msg.id);
        ImGui::CloseCurrentPopup();
    }
    track(ctx, "message_menu.delete_for_me");
    if (can_unsend(msg)) {
        if (ImGui::MenuItem("Delete for everyone", "Shift+Del") || (del_key && shift)) {
            ask(ctx, open, ConfirmWhat::DeleteForEveryone, msg.id);
            ImGui::CloseCurrentPopup();
        }
        track(ctx, "message_menu.delete_for_everyone");
    }
}

// Delete / Shift+Delete on the bubble under the pointer, else on the one clicked last, while no
// text field has the keyboard (the composer's Delete key deletes characters).
void deletion_shortcuts(Ctx& ctx, const app::OpenConversationView& open,
                        const std::string& hovered) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    if (!ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete), false)) return;
    DeletionUiState& del = ctx.ui.deletion;
    const MessageView* msg = find_message(open.messages, hovered.empty() ? del.selected_message : hovered);
    if (msg == nullptr || msg->kind == MessageKind::Notice) return;
    if (!io.KeyShift) {
        ask(ctx, open, ConfirmWhat::DeleteForMe, msg->id);
    } else if (can_unsend(*msg)) {
        ask(ctx, open, ConfirmWhat::DeleteForEveryone, msg->id);
    }
}

// Draws message i; returns whether the pointer is over its bubble.
bool draw_message(Ctx& ctx, const app::OpenConversationView& open, std::size_t i,
                  const Metrics& m, float top, float left) {
    const MessageView& msg = open.messages[i];
    ImDrawList* dl = ImGui::GetWindowDrawList();
    float y = top;
    if (day_break(open.messages, i, m.clock)) {
        const std::string day = day_heading(msg.sent_ms, m.clock);
        const float w = m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, 0, day.c_str()).x;
        const ImVec2 pos(left + (m.width - w) * 0.5f, y + ctx.px(12));
        dl->AddRectFilled(ImVec2(pos.x - ctx.px(10), pos.y - ctx.px(4)),
                          ImVec2(pos.x + w + ctx.px(10), pos.y + m.small->FontSize + ctx.px(4)),
                          palette::kSurface, ctx.px(10));
        dl->AddText(m.small, m.small->FontSize, pos, palette::kTextDim, day.c_str());
        y += m.day_h;
    }

    if (msg.kind == MessageKind::Notice) {
        // A line about the conversation ("… set messages to disappear …"), centred and quiet.
        const ImVec2 ts = notice_size(m, msg);
        const ImVec2 pos(left + (m.width - ts.x) * 0.5f, y + m.notice_pad);
        dl->AddText(m.small, m.small->FontSize, pos, palette::kTextDim, msg.body.data(),
                    msg.body.data() + msg.body.size(), m.notice_w);
        ImGui::SetCursorScreenPos(pos);
        ImGui::Dummy(ImVec2(std::max(1.0f, ts.x), std::max(1.0f, ts.y)));
        track(ctx, "message." + msg.id);
        return false;
    }

    const bool deleted = msg.kind == MessageKind::Deleted;
    const std::string_view shown_body = shown_text(msg);
    const ImVec2 text = text_size(m, msg);
    std::string meta = clock_time(msg.sent_ms, m.clock);
    std::string countdown;
    if (msg.expires_ms > 0 && !deleted) {
        // Disappearing: the time left, redrawn only when its text changes.
        std::int64_t changes_in = 0;
        countdown = "\xE2\x8F\xB1 " + countdown_text(msg.expires_ms - m.clock.now_ms, changes_in);
        if (changes_in > 0) redraw_at(ctx, m.clock.now_ms + changes_in);
        meta = countdown + "  " + meta;
    } else if (msg.disappearing != app::DisappearingMode::Off && !deleted) {
        meta = "\xE2\x8F\xB1  " + meta;  // disappears after it is read: no time known yet
    }
    if (msg.outgoing && !deleted) meta += std::string("  ") + delivery_word(msg.delivery);
    const float meta_w = m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, 0, meta.c_str()).x;
    const float bubble_w = std::max(text.x, meta_w) + 2 * m.pad_x;
    const float bubble_h = 2 * m.pad_y + text.y + m.meta_gap + m.small->FontSize;
    const float x = msg.outgoing ? left + m.width - m.margin - bubble_w : left + m.margin;
    const ImVec2 a(x, y);
    const ImVec2 b(x + bubble_w, y + bubble_h);

    // The bubble is an item: right-click or a long press opens its menu (message_menu), a click
    // selects it for the keyboard (Delete, Shift+Delete).
    ImGui::PushID(msg.id.c_str());
    ImGui::SetCursorScreenPos(a);
    ImGui::InvisibleButton("##bubble", ImVec2(bubble_w, bubble_h));
    track(ctx, "message." + msg.id);
    const bool hovered = ImGui::IsItemHovered();
    bubble_input(ctx, msg.id);

    const ImU32 fill = deleted ? palette::kSurface
                       : msg.outgoing ? palette::kBubbleOut : palette::kBubbleIn;
    const ImU32 ink = deleted ? palette::kTextDim
                      : msg.outgoing ? palette::kOnAccent : palette::kText;
    const ImU32 faint = deleted || !msg.outgoing ? palette::kTextFaint : palette::kOnAccentDim;
    dl->AddRectFilled(a, b, fill, ctx.px(12));
    if (deleted) dl->AddRect(a, b, palette::kBorder, ctx.px(12), 0, ctx.px(1));
    const DeletionUiState& del = ctx.ui.deletion;
    if (del.selected_message == msg.id && !ImGui::GetIO().WantTextInput) {
        dl->AddRect(ImVec2(a.x - ctx.px(2), a.y - ctx.px(2)), ImVec2(b.x + ctx.px(2), b.y + ctx.px(2)),
                    palette::kTextDim, ctx.px(13), 0, ctx.px(1.5f));
    }
    dl->AddText(m.body, m.body->FontSize, ImVec2(a.x + m.pad_x, a.y + m.pad_y), ink, shown_body.data(),
                shown_body.data() + shown_body.size(), m.text_w);
    const ImVec2 meta_pos(b.x - m.pad_x - meta_w, a.y + m.pad_y + text.y + m.meta_gap);
    dl->AddText(m.small, m.small->FontSize, meta_pos,
                failed(msg) ? palette::kDangerBg : faint, meta.c_str());
    if (!countdown.empty()) {
        // A rectangle of its own, so tests can see the countdown is drawn.
        const float cw = m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, 0, countdown.c_str()).x;
        ImGui::SetCursorScreenPos(meta_pos);
        ImGui::Dummy(ImVec2(std::max(1.0f, cw), m.small->FontSize));
        track(ctx, "message." + msg.id + ".countdown");
    }

    if (failed(msg)) {
        // Why it failed and a Retry button, under the bubble on its right.
        const char* label = "Retry";
        const float retry_w =
            ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
        const float row_y = b.y + ctx.px(4);
        const float retry_x = b.x - retry_w;
        ImGui::SetCursorScreenPos(ImVec2(retry_x, row_y));
        if (button(label, ButtonKind::Danger)) {
            ctx.sink.push(app::intent::RetryMessage{open.peer_session_id, msg.id});
            // The click took the keyboard from the composer: give it back, so the next words
            // typed go where the person expects them.
            ctx.ui.focus_composer = true;
        }
        track(ctx, "message." + msg.id + ".retry");
        const std::string why = msg.failure_text.empty() ? "Not sent." : msg.failure_text;
        const float why_max = std::max(ctx.px(40), retry_x - ctx.px(8) - (left + m.margin));
        const std::string shown = ellipsize(m.small, why, why_max);
        const float why_w = m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, 0, shown.c_str()).x;
        dl->AddText(m.small, m.small->FontSize,
                    ImVec2(retry_x - ctx.px(8) - why_w, row_y + (m.retry_h - m.small->FontSize) * 0.5f),
                    palette::kDanger, shown.c_str());
    }
    ImGui::PopID();
    return hovered;
}

}  // namespace

void draw_message_list(Ctx& ctx, const app::OpenConversationView& open, ImVec2 size) {
    MessageListState& st = ctx.ui.messages;
    begin_region("messages", size, palette::kBackground, ImVec2(0, 0),
                 ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const Metrics m = metrics(ctx, size.x);
    sync(st, open, m);

    if (open.messages.empty()) {
        ImGui::SetCursorPos(ImVec2(0, size.y * 0.45f));
        text_centered(ctx.body(), palette::kTextFaint, "No messages yet. Say hello!");
        end_region();
        return;
    }

    // Controls (scrollbar, "Jump to latest") go first so they win the mouse over the bubbles
    // beneath them, but are drawn in a channel above the bubbles.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    const double total_before = tree_prefix(st, open.messages.size());
    scroll_input(ctx, st, origin, size, total_before, m);
    const double total = layout(st, open.messages, m, size.y);
    const float bottom = origin.y + size.y;
    if (!st.stick_to_bottom) {
        const char* label = "Jump to latest";
        const float w = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetCursorScreenPos(ImVec2(origin.x + size.x - w - ctx.px(24),
                                         bottom - ImGui::GetFrameHeight() - ctx.px(12)));
        if (button(label, ButtonKind::Secondary)) st.stick_to_bottom = true;
        track(ctx, "messages.jump_latest");
    }

    // Older messages: asked for once when the list reaches its top (again only after the person
    // scrolled away and back, or after the page arrived and the top is reached again).
    const std::size_t n = open.messages.size();
    const bool at_top = st.scroll <= static_cast<double>(ctx.px(24));
    if (!at_top) st.older_asked_at = 0;
    if (at_top && open.has_older && !open.loading && st.older_asked_at != n) {
        ctx.sink.push(app::intent::LoadOlderMessages{open.peer_session_id});
        st.older_asked_at = n;
    }
    if (open.loading && at_top) {
        const char* label = "Loading older messages\xE2\x80\xA6";
        const float w = m.small->CalcTextSizeA(m.small->FontSize, FLT_MAX, 0, label).x;
        const ImVec2 p(origin.x + (size.x - w) * 0.5f, origin.y + ctx.px(8));
        dl->AddRectFilled(ImVec2(p.x - ctx.px(10), p.y - ctx.px(4)),
                          ImVec2(p.x + w + ctx.px(10), p.y + m.small->FontSize + ctx.px(4)),
                          palette::kSurface, ctx.px(10));
        dl->AddText(m.small, m.small->FontSize, p, palette::kTextDim, label);
    }

    dl->ChannelsSetCurrent(0);
    // Short conversations sit at the bottom, next to the composer, as in any messenger.
    const float slack = total < size.y ? size.y - static_cast<float>(total) : 0.0f;
    std::size_t i = tree_find(st, st.scroll);
    float y = origin.y + slack + static_cast<float>(tree_prefix(st, i) - st.scroll);
    std::string hovered;
    for (; i < open.messages.size() && y < bottom; ++i) {
        if (draw_message(ctx, open, i, m, y, origin.x)) hovered = open.messages[i].id;
        y += st.height[i];
    }
    dl->ChannelsMerge();

    DeletionUiState& del = ctx.ui.deletion;
    if (del.open_menu) {
        ImGui::OpenPopup("##message_menu");
        del.open_menu = false;
    }
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ctx.px(12), ctx.px(10)));
    const bool message_menu_open = ImGui::BeginPopup("##message_menu");
    ImGui::PopStyleVar();
    if (message_menu_open) {
        const MessageView* msg = find_message(open.messages, del.menu_message);
        if (msg == nullptr || msg->kind == MessageKind::Notice || escape_pressed()) {
            ImGui::CloseCurrentPopup();  // it disappeared meanwhile, or Escape
        } else {
            message_menu(ctx, open, *msg);
        }
        ImGui::EndPopup();
    } else {
        del.menu_message.clear();
    }
    deletion_shortcuts(ctx, open, hovered);
    end_region();
}

}  // namespace st::ui::detail
